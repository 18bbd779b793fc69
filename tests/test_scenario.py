"""bondlab.scenario: reproducibility, results, chunks and groups, contact cost, continued runs."""

import json

import numpy as np
import pytest

import bondlab
from bondlab import RescorlaWagner, Scenario


def test_scenario_reproducible_and_seed_matters():
    a = Scenario(people=60, days_together=40, days_after=30, seed=5).run()
    b = Scenario(people=60, days_together=40, days_after=30, seed=5).run()
    c = Scenario(people=60, days_together=40, days_after=30, seed=6).run()
    for n in bondlab.OUTPUTS:
        assert np.array_equal(a[n], b[n]), n
        assert a[n].shape == (60, 70) and a[n].dtype == bondlab.DTYPE
    assert not np.array_equal(a.attachment, c.attachment)


def test_scenario_does_not_touch_global_random_state():
    np.random.seed(0)
    before = np.random.random()
    np.random.seed(0)
    Scenario(people=20, days_together=10, days_after=10).run()
    assert np.random.random() == before


def test_result_band_and_summary():
    r = Scenario(people=80, days_together=30, days_after=40, seed=1).run()
    med, q25, q75 = r.band("attachment")
    assert med.shape == (70,) and np.all(q25 <= med + 1e-6) and np.all(med <= q75 + 1e-6)
    after = r.band("withdrawal", after_leaving=True)
    whole = r.band("withdrawal")
    assert all(a.shape == (40,) and np.array_equal(a, b[30:]) for a, b in zip(after, whole))
    d = r.to_dict()
    json.dumps(d, allow_nan=False)
    assert set(d["outputs"]) == set(bondlab.OUTPUTS)
    assert d["outputs"]["attachment"]["median"] == [round(float(m), 4) for m in med]
    with pytest.raises(ValueError, match="Unknown output"):
        r.band("nope")
    assert (r.withdrawal[:, :30] == 0).all()


def test_summary_metrics_are_the_medians_of_each_persons_numbers():
    T1, T2 = 60, 150
    r = Scenario(people=60, days_together=T1, days_after=T2, seed=1).run()
    s = r.summary(threshold=0.25, recover_threshold=0.15, recover_window=7)
    assert s["people"] == 60
    # each metric recomputed person by person, the slow way
    w, pull, wd = r.warmth[:, :T1], r.attachment[:, T1:], r.withdrawal[:, T1:]

    def first(flags):
        return next((d for d, f in enumerate(flags) if f), np.inf)

    def recovered(row):
        return next((d for d in range(T2 - 6) if (row[d:d + 7] < 0.15).all()), np.inf)

    assert s["total_warmth"] == np.median(w.sum(axis=1))     # (warm days: 0 or 1, exact)
    assert s["warm_days_fraction"] == np.median((w >= 0.25).mean(axis=1))
    assert s["attachment_at_leaving"] == np.median(r.attachment[:, T1 - 1])
    assert s["persistence_days"] == np.median([first(p < 0.25) for p in pull])
    assert s["days_pull_above"] == np.median((pull >= 0.25).sum(axis=1))
    assert s["peak_withdrawal"] == np.median(wd.max(axis=1))
    assert s["days_to_recover"] == np.median([recovered(p) for p in wd])
    assert s["recovered_fraction"] == np.mean([recovered(p) < np.inf for p in wd])
    # (a run in which the pull fades and people recover: every branch is exercised)
    assert 0 < s["persistence_days"] < T2 and 0 < s["days_to_recover"] < T2
    assert 0 < s["recovered_fraction"] <= 1


def test_grey_rock_keeps_that_fraction_of_a_contacts_warmth():
    base = Scenario(people=5, days_together=20, days_after=30, contacts=(10,), seed=1,
                    contact_kind="meeting", grey_rock=True)
    for factor in (0.1, 0.5, 0.0):
        r = base.clone(grey_rock_factor=factor).run()
        assert np.all(r.warmth[:, 29] == np.float32(1.0 * factor))      # day 10 after leaving
        assert not np.delete(r.warmth[:, 20:], 9, axis=1).any()        # no other warmth
    assert np.all(base.clone(grey_rock=False).run().warmth[:, 29] == 1.0)


def test_contacts_must_fall_within_days_after():
    with pytest.raises(ValueError, match="'contacts'"):
        Scenario(days_after=10, contacts=[20]).run()


@pytest.mark.parametrize("kw", [{}, {"learner": RescorlaWagner(), "support": 0.5,
                                     "contacts": [3, 9]}])
def test_scenario_same_numbers_whatever_the_chunks_of_days_and_groups_of_people(
        monkeypatch, kw):
    import bondlab._fast.scenario_chunks as sc
    s = Scenario(people=40, days_together=25, days_after=30, seed=2, **kw)
    whole = s.run()
    monkeypatch.setattr(sc, "CHUNK_VALUES", 40 * 7)     # chunks of 7 days
    monkeypatch.setattr(sc, "CHUNK_MIN_DAYS", 1)
    chunked = s.run()
    monkeypatch.setattr(sc, "GROUP_PEOPLE", 15)         # groups of 15, 15 and 10
    grouped = s.run()
    blocks = sc.Blocks(s.validate(), 25, 55, np.ones(40), np.ones(40))   # (the patch acts)
    assert blocks.edges == [0, 18, 25, 36, 54, 55] and [g.stop for g in blocks.groups] == [15, 30, 40]
    for n in bondlab.OUTPUTS:
        assert np.allclose(whole[n], chunked[n], rtol=1e-6, atol=1e-6), n
        assert np.allclose(whole[n], grouped[n], rtol=1e-6, atol=1e-6), n


def test_contact_cost_reuses_a_matching_base_run_and_refuses_another():
    scn = Scenario(people=30, days_together=40, days_after=50, seed=3)
    plain = bondlab.contact_cost(scn, after_days=20)
    base = scn.clone(contacts=()).run()
    assert bondlab.contact_cost(scn, after_days=20, base=base) == plain
    with_contacts = scn.clone(contacts=(10, 20))          # base ignores the contacts
    assert bondlab.contact_cost(with_contacts, after_days=20, base=base) == \
        bondlab.contact_cost(with_contacts, after_days=20)
    for wrong in (scn.clone(seed=4).run(), scn.clone(contacts=(5,)).run(),
                  scn.clone(people=31, contacts=()).run()):
        with pytest.raises(ValueError, match="'base' argument of contact_cost"):
            bondlab.contact_cost(scn, after_days=20, base=wrong)
    with pytest.raises(ValueError, match="'base'.*Got a dict"):
        bondlab.contact_cost(scn, after_days=20, base={})


@pytest.mark.parametrize("learner", ["cd", "rw", "td"])
@pytest.mark.parametrize("partner", ["intermittent", "cycle"])
def test_a_run_continued_from_the_day_of_leaving_gives_the_same_numbers(learner, partner,
                                                                        monkeypatch):
    """Scenario.run(start=...) takes the days together from an earlier run: every output
    equals a run from day one, for every way of leaving (people in several groups too)."""
    import bondlab._fast.scenario_chunks as sc
    from bondlab import presets

    monkeypatch.setattr(sc, "GROUP_PEOPLE", 16)  # 37 people: three groups
    base = bondlab.Scenario(partner=presets.load_partner(partner), people=37, seed=3,
                            learner=bondlab.learner_from_name(learner), days_together=120,
                            days_after=150)
    no_contact = base.run()
    for after in ({"contacts": (5, 40, 41)}, {"contacts": (30,), "grey_rock": True},
                  {"support": 0.6}, {"reminders": 5.0, "contact_kind": "meeting",
                                     "contacts": (7,)},
                  {"days_after": 400, "contacts": (300,)}):
        scenario = base.clone(**after)
        fresh, continued = scenario.run(), scenario.run(start=no_contact)
        for name in bondlab.OUTPUTS:
            assert np.array_equal(fresh[name], continued[name], equal_nan=True), (after, name)
        # and a continued run can itself be continued from
        again = base.clone(contacts=(60,)).run(start=continued)
        assert np.array_equal(again.attachment, base.clone(contacts=(60,)).run().attachment)


def test_a_run_continues_only_from_the_same_days_together():
    base = Scenario(people=20, seed=1)
    with pytest.raises(ValueError, match="differs only after leaving.*differs in seed"):
        base.run(start=base.clone(seed=2).run())
    with pytest.raises(ValueError, match="differs in .*days_together"):
        base.run(start=base.clone(days_together=100).run())
    with pytest.raises(ValueError, match="'start' argument of Scenario.run must be the result"):
        base.run(start={"attachment": []})


def test_a_continued_run_without_a_seed_keeps_its_start_days_together():
    """seed=None: every run draws afresh, so the days together (events and all) come from
    the start, never half from a new draw."""
    base = Scenario(partner=bondlab.CyclePartner(), people=25, seed=None, days_together=60,
                    days_after=40)
    start = base.run()
    cont = base.clone(contacts=(10,), support=0.5).run(start=start)
    for name in bondlab.OUTPUTS:
        assert np.array_equal(cont[name][:, :60], start[name][:, :60], equal_nan=True), name
    assert np.array_equal(cont.phase, start.phase)

