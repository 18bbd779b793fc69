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


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_slider_takes_its_range_from_its_param(built, name):
    widget = built[name]
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


def test_the_science_components_have_sliders(built):
    """The walk finds the controls (a walk that found none would pass anything)."""
    counts = {name: len(number_controls(built[name])) for name in
              ("schedule_explorer", "attachment_figure", "cycle_timeline",
               "opponent_playground", "leaving_simulator")}
    assert counts["schedule_explorer"] == 6  # FR, VR, RR, FI, VI + the switch
    assert counts["attachment_figure"] == 4  # days together, reminders, Partner B's two
    assert min(counts.values()) >= 3, counts
