"""Every slider takes its range from its parameter's table (one source for every range).

Builds every component a page can show (widgets.registry.REGISTRY) and checks every
number control in it, shown or not yet shown: it carries its Param, its min and max are
the Param's slider range, and that range lies inside what the engine accepts.
"""
from __future__ import annotations

import ipywidgets as w
import pytest
from ipywidgets.widgets.widget_float import _Float
from ipywidgets.widgets.widget_int import _Int

from widgets.registry import REGISTRY


def number_controls(root):
    """Every int/float widget reachable from ``root``: its children, and the widgets it
    keeps in attributes (sliders of other schedules, controls shown only on demand)."""
    seen, found, todo = set(), [], [root]
    while todo:
        item = todo.pop()
        if isinstance(item, dict):
            todo.extend(item.values())
            continue
        if isinstance(item, (list, tuple)):
            todo.extend(item)
            continue
        if not isinstance(item, w.Widget) or id(item) in seen:
            continue
        seen.add(id(item))
        if isinstance(item, (_Int, _Float)):
            found.append(item)
        todo.extend(getattr(item, "children", ()) or ())
        todo.extend(v for k, v in vars(item).items() if not k.startswith("_trait"))
    return found


@pytest.fixture(scope="module")
def built():
    return {name: factory() for name, factory in REGISTRY.items()}


def check_controls(name, widget):
    for control in number_controls(widget) if widget is not None else ():
        what = f"{name}: {control.description or type(control).__name__}"
        param = getattr(control, "param", None)
        assert param is not None, f"{what} has no Param (its range has no source)"
        low, high = param.slider_range
        if hasattr(control, "min"):
            assert (control.min, control.max) == (low, high), what
        assert param.low is None or param.low <= low, what
        assert param.high is None or high <= param.high, what
        assert low <= control.value <= high, what


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_slider_takes_its_range_from_its_param(built, name):
    check_controls(name, built[name])


def test_the_class_experiment_dashboards_sliders_take_their_range_from_the_room(
        monkeypatch, tmp_path):
    """The facilitator's settings (messages, checks per message, days kept) and the retention
    of an open room: their ranges are the room store's own table (workshop.room.SETTINGS)."""
    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path))
    from widgets import class_experiment as ce
    from workshop import room

    d = ce.FacilitatorDashboard()
    d.key_field.value = room.facilitator_key()
    d.unlock_button.click()
    d.open_field.value = room.start_room()
    d.open_button.click()
    controls = number_controls(d)
    assert len(controls) == 4, [c.description for c in controls]
    assert {c.param_name for c in controls} == set(room.SETTINGS)
    check_controls("class experiment dashboard", d)


def test_the_science_components_have_sliders(built):
    """The walk finds the controls (a walk that found none would pass anything)."""
    counts = {name: len(number_controls(built[name])) for name in
              ("schedule_explorer", "attachment_figure", "cycle_timeline",
               "opponent_playground", "leaving_simulator")}
    assert counts["schedule_explorer"] == 6  # FR, VR, RR, FI, VI + the switch
    assert counts["attachment_figure"] == 4  # days together, reminders, Partner B's two
    assert min(counts.values()) >= 3, counts
