"""Attachment & withdrawal figure: two presets, bands from the engine, the paradox line."""
import math

import numpy as np
import pytest
from matplotlib.figure import Figure

from bondlab import presets
from widgets.attachment_figure import AttachmentFigure, paradox_sentence
from widgets.common import CALM_UPDATE
from widgets.panel import SAFETY_LINE
from workshop.figures import draw_side


@pytest.fixture(scope="module")
def fig():
    return AttachmentFigure(people=120)


def test_default_sides_and_paradox_sentence_from_the_run(fig):
    assert fig.names == ("consistent", "intermittent")
    s0, s1 = fig.summaries
    less = round((1 - s1["total_warmth"] / s0["total_warmth"]) * 100)
    ratio = s1["persistence_days"] / s0["persistence_days"]
    text = fig.paradox.value
    assert f"gave {less} % less warmth, yet the pull lasted {ratio:.1f}× longer" in text
    assert SAFETY_LINE[:40] in "".join(c.value for c in fig.children if hasattr(c, "value")
                                       and isinstance(c.value, str))


def test_bands_are_the_engine_medians(fig):
    med, q25, q75 = fig.results[1].band("attachment")
    line, band = fig.art[1]["attachment"]
    assert np.allclose(line.get_ydata(), med)
    assert line.get_xdata()[0] == -fig.days_together.value
    wd = fig.art[1]["withdrawal"][0].get_ydata()
    assert np.allclose(wd, fig.results[1].band("withdrawal")[0])


def test_slider_reruns_and_updates_in_place(fig):
    line = fig.art[0]["attachment"][0]
    fig.days_together.value = 90
    assert fig.results[0].days_together == 90
    assert fig.art[0]["attachment"][0] is line           # same artist, new data
    assert line.get_xdata()[0] == -90
    assert "over 90 days together" in fig.summary.value


def test_other_preset(fig):
    fig.right.value = "intermittent_rescorla_wagner"
    assert "negative control" in fig.paradox.value.lower()
    assert "yet" not in fig.paradox.value   # no paradox without change detection
    fig.right.value = "intermittent"


def test_clamps_browser_values(fig):
    fig.reminders.max = 1000
    fig.reminders.value = 999
    assert fig.reminders.value == 7 and fig.results[0].params["reminders"] == 7


def test_error_boundary(fig, monkeypatch):
    monkeypatch.setattr(fig, "run_model", lambda: [][1])
    fig.reminders.value = 2
    assert CALM_UPDATE in fig.status.value


@pytest.mark.parametrize("pa, pb, expect", [
    (10, 31, "3.1× longer"), (10, 10, "about as long"), (math.inf, 5, "faded"),
    (10, math.inf, "outlasted"), (30, 10, "3.0× sooner")])
def test_paradox_sentence_cases(pa, pb, expect):
    text = paradox_sentence("the a", {"total_warmth": 100, "persistence_days": pa},
                            "the b", {"total_warmth": 40, "persistence_days": pb})
    assert expect in text and text.startswith("In the simulation, the b gave 60 % less warmth")


def test_draw_side_on_plain_figure():
    r = presets.load_scenario("consistent", people=20, days_together=30, days_after=20).run()
    art = draw_side(Figure().subplots(), r, "x")
    assert len(art["attachment"][0].get_xdata()) == 50


def test_partner_b_warmth_reaches_the_engine_and_the_artists():
    """'How often is the partner warm?' for Partner B: one engine run for the right side,
    whose numbers are what the lines show; the left side's run is kept."""
    fig = AttachmentFigure(people=60)
    warm = fig.partner_b["p_warmth"]
    assert warm.description == "How often is the partner warm?"
    assert warm.value == presets.load_partner("intermittent").p_warmth
    assert fig.partner_b["p_cruelty"].value == presets.load_partner("intermittent").p_cruelty
    left, before = fig.results[0], fig.art[1]["attachment"][0].get_ydata().copy()
    warm.value = 0.2
    assert fig.results[1].scenario.partner.p_warmth == 0.2 and fig.results[0] is left
    engine = presets.load_scenario("intermittent", people=60, seed=0, p_warmth=0.2).run()
    shown = fig.art[1]["attachment"][0].get_ydata()
    assert np.allclose(shown, engine.band("attachment")[0]) and not np.allclose(shown, before)
    assert np.allclose(fig.art[1]["withdrawal"][0].get_ydata(), engine.band("withdrawal")[0])
    assert f"{engine.summary()['total_warmth']:.0f} over" in fig.summary.value
    fig.partner_b["p_cruelty"].value = 0.1
    assert fig.results[1].scenario.partner.p_cruelty == 0.1
    fig.right.value = "consistent"  # another preset: its own values
    assert warm.value == 0.9 and fig.results[1].scenario.partner.p_warmth == 0.9
    fig.right.value = "cycle"  # a partner without these settings: no sliders for it
    assert fig.partner_b_box.layout.display == "none" and CALM_UPDATE not in fig.status.value


def test_module_2_exercise_names_the_control_by_its_label():
    """The exercise asks the reader to change p for Partner B: on this page, by its label."""
    import bondlab
    from workshop.content import load_module

    label = bondlab.IntermittentPartner.parameters["p_warmth"].label
    step = next(s for s in load_module("02_consistent_vs_intermittent").steps
                if s.interactive == "attachment_figure")
    assert f"**{label}** for Partner B" in step.lecture
