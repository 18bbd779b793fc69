"""bondlab.partners: events, alternation, the cycle, drawing blocks."""

import numpy as np
import pytest

import bondlab
from bondlab import ConsistentPartner, CyclePartner, IntermittentPartner


def test_partner_events_shapes_and_phase():
    for p in (ConsistentPartner(), IntermittentPartner(), CyclePartner()):
        ev = p.events(days=100, people=7, rng=1)
        assert ev.warmth.shape == ev.cruelty.shape == (7, 100)
        assert (ev.warmth >= 0).all() and (ev.cruelty >= 0).all()
    ph = CyclePartner().events(100, 7, 1).phase
    assert ph.shape == (7, 100) and set(np.unique(ph)) <= {0, 1, 2, 3}
    assert bondlab.PHASE_NAMES[1] == "incident"


def test_alternation_links_warmth_to_cruelty():
    def warm_after_cruel(a):
        ev = IntermittentPartner(alternation=a).events(5000, 4, 0)
        c = ev.cruelty[:, :-1] > 0
        return (ev.warmth[:, 1:][c] > 0).mean(), (ev.warmth > 0).mean()
    hi, pw_hi = warm_after_cruel(1.0)
    lo, pw_lo = warm_after_cruel(0.0)
    assert hi > 0.95 and abs(lo - 0.3) < 0.03
    assert abs(pw_hi - 0.3) < 0.03 and abs(pw_lo - 0.3) < 0.03   # chance of warmth kept


def test_tension_phase_brings_cruelty_with_its_chance():
    def tense_cruel(chance):
        ev = CyclePartner(tension_chance=chance, escalation=0).events(3000, 2, 0)
        return (ev.cruelty[ev.phase == 0] > 0).mean()
    assert tense_cruel(0.0) == 0 and tense_cruel(1.0) == 1
    assert abs(tense_cruel(0.5) - 0.5) < 0.03 and abs(tense_cruel(0.2) - 0.2) < 0.03


def test_cycle_escalates():
    ev = CyclePartner(jitter=0, escalation=0.2).events(200, 1, 0)
    incidents = ev.cruelty[0][ev.phase[0] == 1]
    assert incidents[-1] > incidents[0] * 2


@pytest.mark.parametrize("partner", [ConsistentPartner(), IntermittentPartner()])
def test_partner_days_do_not_depend_on_the_drawing_blocks(monkeypatch, partner):
    import bondlab.partners as pa
    whole = partner.events(60, 30, 4)
    monkeypatch.setattr(pa, "_BLOCK_VALUES", 30 * 7)
    blocks = partner.events(60, 30, 4)
    assert np.array_equal(whole.warmth, blocks.warmth)
    assert np.array_equal(whole.cruelty, blocks.cruelty)

