"""Which component a step's ``<!-- interactive: NAME -->`` builds: the one list of them.

:data:`REGISTRY` maps each name a step may use to a factory, called as
``factory(module, step)`` and returning a widget (or ``None`` for "none"); the content
parser checks a page's names against it (:func:`load_module`). The science
components (lever game, schedule explorer, ...) are imported lazily by module name, so a
page only loads what its steps use, and a component that does not exist yet shows a calm
line instead of an error.
"""
from __future__ import annotations

import importlib
import importlib.util

import ipywidgets as w

from widgets.common import NOT_AVAILABLE, calm_message, logger

__all__ = ["SCIENCE", "REGISTRY", "build_interactive", "load_module"]

#: interactive name -> class name in widgets/<name>.py (constructed with no arguments).
SCIENCE = {
    "lever_game": "LeverGame",
    "schedule_explorer": "ScheduleExplorer",
    "attachment_figure": "AttachmentFigure",
    "cycle_timeline": "CycleTimeline",
    "opponent_playground": "OpponentPlayground",
    "leaving_simulator": "LeavingSimulator",
}


def _not_available() -> w.HTML:
    return w.HTML(calm_message(NOT_AVAILABLE))


def _science(name: str):
    def factory(module=None, step=None):
        module_name = f"widgets.{name}"
        if importlib.util.find_spec(module_name) is None:
            logger.info("%s is not there yet; showing a calm line", module_name)
            return _not_available()
        cls = getattr(importlib.import_module(module_name), SCIENCE[name], None)
        if cls is None:
            logger.warning("%s has no %s yet", module_name, SCIENCE[name])
            return _not_available()
        return cls()

    factory.__qualname__ = f"build_{name}"
    return factory


def _none(module=None, step=None):
    return None


def _reflection(module=None, step=None):
    from workshop.content import load_reflections
    from widgets.reflection import Reflection

    prompts = load_reflections().get(module.number, []) if module is not None else []
    if not prompts and step is not None:
        prompts = [step.think]
    return Reflection(prompts)


def _flag_sort(module=None, step=None):
    from widgets.flag_sort import FlagSort

    return FlagSort()


def _quick_check(module=None, step=None):
    from widgets.quick_check import QuickCheck

    return QuickCheck(number=module.number if module is not None else None)


def _resources(module=None, step=None):
    from widgets.resources import Resources

    return Resources()


REGISTRY = {name: _science(name) for name in SCIENCE}
REGISTRY.update({"none": _none, "reflection": _reflection, "flag_sort": _flag_sort,
                 "quick_check": _quick_check, "resources": _resources})


def load_module(module_id: str):
    """A module's content, its interactive names checked against :data:`REGISTRY`."""
    from workshop.content import load_module as load

    return load(module_id, interactives=REGISTRY)


def build_interactive(name: str, module=None, step=None):
    """The widget for interactive ``name`` (``None`` for "none"); unknown names: calm line."""
    factory = REGISTRY.get(name)
    if factory is None:
        logger.error("unknown interactive %r", name)
        return _not_available()
    return factory(module, step)
