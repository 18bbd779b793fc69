"""Cycle timeline: phase bands, felt mood and surprise straight from a CyclePartner run."""
import numpy as np
import pytest
from matplotlib.figure import Figure

from bondlab import PHASE_NAMES
from widgets.common import CALM_UPDATE
from widgets.cycle_timeline import CycleTimeline
from workshop.figures import draw_phase_bands, phase_runs
from workshop.style import PHASE_HATCHES


@pytest.fixture(scope="module")
def tl():
    return CycleTimeline(people=60)


def test_bands_follow_the_phases_with_labels_and_hatching(tl):
    phase = tl.result.phase[0]
    for k, (_, coll) in enumerate(tl.art["bands_m"]):
        assert coll.get_label() == PHASE_NAMES[k]
        assert (coll.get_hatch() or "") == PHASE_HATCHES[k]
        assert len(coll.get_paths()) == sum(1 for c, _, _ in phase_runs(phase) if c == k)
    assert {t.get_text() for t in tl.art["labels"]} <= {"tension", "incident", "making up",
                                                        "calm", ""}


def test_mood_and_surprise_are_the_engine_arrays(tl):
    assert np.allclose(tl.art["mood"].get_ydata(), tl.result.mood[0, :tl.days])
    assert np.allclose(tl.art["surprise"].markerline.get_ydata(),
                       tl.result.surprise[0, :tl.days])
    assert "reconciliation phase" in tl.summary.value   # the spike at making up


@pytest.mark.parametrize("name, value", [("tension_days", 3), ("calm_days", 20),
                                         ("incident_cruelty", 3.0), ("escalation", 0.2)])
def test_each_slider_reaches_the_partner(tl, name, value):
    before = tl.art["mood"]
    tl.sliders[name].value = value
    assert getattr(tl.partner(), name) == value
    assert tl.result.scenario.partner.get_params()[name] == value
    assert tl.art["mood"] is before


def test_clamp_and_error_boundary(tl, monkeypatch):
    s = tl.sliders["calm_days"]
    s.min = -50
    s.value = -50
    assert s.value == 0 and "only goes from" in tl.status.value
    monkeypatch.setattr(tl, "run_model", lambda: 1 / 0)
    tl.sliders["tension_days"].value = 9
    assert CALM_UPDATE in tl.status.value


def test_phase_bands_on_plain_figure():
    colls = draw_phase_bands(Figure().subplots(), 1, np.array([0, 0, 1, 2, 3, 3, 0]),
                             PHASE_NAMES)
    assert [len(c.get_paths()) for _, c in colls] == [2, 1, 1, 1]
    assert [c.get_label() for _, c in colls] == list(PHASE_NAMES)


@pytest.mark.parametrize("settings", [{}, {"tension_days": 8, "incident_days": 2,
                                          "reconciliation_days": 4, "calm_days": 11},
                                      {"tension_days": 3, "incident_days": 1,
                                       "reconciliation_days": 1, "calm_days": 2},
                                      {"tension_days": 30, "calm_days": 30}])
def test_phase_names_sit_over_their_phase_and_never_overlap(tl, settings):
    """Drawn for real: no two names' boxes overlap, and each name is over its own phase."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    for name, value in settings.items():
        tl.sliders[name].value = value
    FigureCanvasAgg.draw(tl.fig.canvas)
    renderer = tl.fig.canvas.get_renderer()
    shown = [t for t in tl.art["labels"] if t.get_text()]
    assert shown, "no phase named at all"
    boxes = [t.get_window_extent(renderer) for t in shown]
    for i in range(len(boxes)):
        for j in range(i + 1, len(boxes)):
            assert not boxes[i].overlaps(boxes[j]), (shown[i].get_text(), shown[j].get_text())
    phase = tl.result.phase[0]
    day = tl.art["mood"].get_xdata()
    for t in shown:
        x = t.get_position()[0]
        code = ("tension", "incident", "making up", "calm").index(t.get_text())
        assert phase[int(np.argmin(np.abs(day - x)))] == code
