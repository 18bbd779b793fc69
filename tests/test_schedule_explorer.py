"""Schedule explorer, driven from Python: controls -> engine run -> figure artists."""
import numpy as np
import pytest
from matplotlib.figure import Figure

import bondlab
from widgets.common import CALM_UPDATE
from widgets.schedule_explorer import ScheduleExplorer
from workshop.figures import draw_explorer


@pytest.fixture(scope="module")
def ex():
    return ScheduleExplorer(people=6, ticks=120, training=80)


def test_builds_with_no_arguments():
    import ipywidgets as w
    ex = ScheduleExplorer()
    assert isinstance(ex, w.VBox) and ex.kind in ex.children[1].children
    # the preset's schedule, run by the engine, drawn, and described in words
    assert ex.schedule() == bondlab.presets.load_schedule("variable_ratio_5")
    assert ex.record.responses.shape == (20, 300) and ex.record.responses.any()
    assert np.array_equal(ex.art["example"].get_ydata(), ex.record.cumulative()[0])
    med = bondlab.band(ex.record.cumulative(), axis=0)[0]
    assert np.array_equal(ex.art["cum"][0].get_ydata(), med)
    assert f"Schedule: {bondlab.VariableRatio.label}." in ex.summary.value  # the menu's name


def test_schedule_choice_reaches_the_engine_and_the_figure(ex):
    ex.kind.value = "Continuous"
    assert isinstance(ex.schedule(), bondlab.Continuous)
    # continuous: every response rewarded; reward marks = responses of the example person
    assert np.array_equal(ex.record.reinforced, ex.record.responses)
    xs, ys = ex.art["rewards"].get_data()
    assert len(xs) == ex.record.reinforced[0].sum()
    assert np.array_equal(ex.art["example"].get_ydata(), ex.record.cumulative()[0])
    assert "Every time" in ex.summary.value


def test_parameter_slider_sets_the_schedule(ex):
    ex.kind.value = "FixedRatio"
    ex.param_sliders["FixedRatio"].value = 6
    assert ex.schedule().n == 6
    counts = ex.record.responses[0].sum(), ex.record.reinforced[0].sum()
    assert counts[1] <= counts[0] // 6 + 1
    assert ex.param_box.children == (ex.param_sliders["FixedRatio"],)


def test_switch_to_extinction_stops_rewards_and_moves_the_marker(ex):
    ex.kind.value = "VariableRatio"
    ex.extinction.value = True
    ex.switch.value = 50
    assert ex.record.reinforced[:, 50:].sum() == 0
    assert ex.record.reinforced[:, :50].sum() > 0
    assert ex.art["switch"].get_xdata()[0] == 50
    assert "After rewards stopped at tick 50" in ex.summary.value
    med = ex.art["exp"][0].get_ydata()
    assert med[-1] < med[49]  # expectation falls in extinction
    ex.extinction.value = False
    assert np.isnan(ex.art["switch"].get_xdata()[0])


def test_out_of_range_value_from_the_browser_is_clamped(ex):
    s = ex.param_sliders["VariableRatio"]
    s.max = 10 ** 6          # a page can set any synced trait
    s.value = 10 ** 5
    assert s.value == 30 and s.max == 30
    assert "only goes from" in ex.status.value
    assert ex.schedule().n == 30


def test_error_boundary_shows_calm_message(ex, monkeypatch):
    monkeypatch.setattr(ex, "run_model", lambda: 1 / 0)
    ex.kind.value = "RandomRatio"
    assert CALM_UPDATE in ex.status.value
    assert "Traceback" not in ex.status.value


def test_drawing_function_on_plain_figure():
    axes = Figure().subplots(3, 1)
    t = np.arange(5.0)
    band = (t, t - 1, t + 1)
    art = draw_explorer(axes, t, band, t, (np.array([1]), np.array([1.0])), band, band)
    assert art["cum"][0].get_ydata().tolist() == t.tolist()
