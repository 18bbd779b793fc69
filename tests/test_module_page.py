"""Module pages from Python: every module, every mode, registry, notebooks thin and clean."""
from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as w
import pytest

from workshop.content import ContentError, load_module, module_ids, parse_module
from widgets import common, registry
from widgets.module_page import DISTRESS_PROTOCOL, ModulePage, show_module

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def _text(widget) -> str:
    out = [str(getattr(widget, "value", ""))] if isinstance(widget, (w.HTML, w.HTMLMath)) else []
    for child in getattr(widget, "children", ()):
        out.append(_text(child))
    return "\n".join(out)


@pytest.mark.parametrize("mode", common.MODES)
@pytest.mark.parametrize("module_id", module_ids())
def test_every_step_builds(module_id, mode):
    page = show_module(module_id, mode=mode, start=1)
    assert isinstance(page, ModulePage)
    module = load_module(module_id)
    s = page.stepper
    for k, step in enumerate(module.steps):
        assert s.progress_text == f"Step {k + 1} of {len(module.steps)}"
        text = _text(s.content)
        assert html.escape(step.title) in text and "Traceback" not in text
        assert (DISTRESS_PROTOCOL in text) == (mode == "facilitator")
        assert ("For lecture and study" in text) == (mode == "lecture" and bool(step.lecture))
        assert ("[@" not in text)
        s.next_button.click()


def test_mode_from_query_string():
    common.set_query_string("mode=facilitator&step=2")
    try:
        page = show_module("01_why_rewards_hook_us")
    finally:
        common.set_query_string(None)
    assert page.mode == "facilitator" and page.stepper.index == 1
    assert "About 5 minutes" in _text(page.stepper.content)


def test_start_page_lists_modules_with_times_and_modes():
    page = show_module("00_start", mode="lecture")
    header = page.header.value
    for mid in module_ids()[1:]:
        m = load_module(mid)
        assert f'href="{mid}.ipynb?mode=lecture"' in header and f"about {m.minutes} minutes" in header


def test_links_home_and_onwards():
    page = show_module("01_why_rewards_hook_us", mode="participant", start=6)
    nav = _text(page.stepper.nav)
    assert 'href="00_start.ipynb"' in nav and 'href="02_consistent_vs_intermittent.ipynb"' in nav


def test_broken_module_is_calm():
    page = show_module("99_missing")
    assert "could not be shown" in _text(page) and "Traceback" not in _text(page)


def test_every_page_uses_only_registered_interactives():
    for mid in module_ids():
        module = registry.load_module(mid)
        assert {s.interactive for s in module.steps} <= set(registry.REGISTRY), mid
    text = (registry.load_module("01_why_rewards_hook_us").path.read_text(encoding="utf-8")
            .replace("interactive: lever_game", "interactive: slot_machine", 1))
    with pytest.raises(ContentError, match="interactive 'slot_machine' is not known; use one "
                                           "of: lever_game"):
        parse_module(text, "x.md", "01_x", interactives=registry.REGISTRY)
    assert registry.build_interactive("none") is None
    assert "not available yet" in registry.build_interactive("no_such_thing").value


def test_missing_science_component_is_calm(monkeypatch):
    monkeypatch.setitem(registry.SCIENCE, "lever_game", "LeverGame")
    monkeypatch.setattr(registry.importlib.util, "find_spec", lambda name: None)
    assert "not available yet" in registry.build_interactive("lever_game").value


@pytest.mark.parametrize("module_id", module_ids())
def test_notebooks_are_thin_and_clean(module_id):
    notebook = NOTEBOOKS / f"{module_id}.ipynb"
    nb = json.loads(notebook.read_text())
    assert nb["metadata"]["title"] == "Notes"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds == ["markdown", "code"]
    code = "".join(nb["cells"][1]["source"])
    assert code == f'from widgets.module_page import show_module\nshow_module("{notebook.stem}")'
    assert nb["cells"][1]["outputs"] == [] and nb["cells"][1]["execution_count"] is None
