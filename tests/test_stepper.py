"""Stepper: one step at a time, Back/Next, progress text, ?step=N, lazy building."""
from __future__ import annotations

import ipywidgets as w
import pytest

from widgets import common
from widgets.stepper import Stepper


def make(n=4, **kw):
    built = []

    def builder(i):
        def build():
            built.append(i)
            if i == 2:
                raise RuntimeError("broken step")
            return w.Label(f"step {i + 1}")
        return build

    return Stepper([(f"Title {i + 1}", builder(i)) for i in range(n)], **kw), built


@pytest.fixture(autouse=True)
def _no_query():
    common.set_query_string("")
    yield
    common.set_query_string(None)


def test_next_back_and_progress():
    s, built = make(start=1)
    assert s.progress_text == "Step 1 of 4" and s.back_button.disabled and built == [0]
    s.next_button.click()
    assert s.progress_text == "Step 2 of 4" and not s.back_button.disabled
    assert "Step 2 of 4" in s.progress.value and s.content.children[0].value == "step 2"
    s.back_button.click()
    assert s.index == 0 and built == [0, 1]  # built once each
    s.next_button.click()
    assert built == [0, 1]


def test_last_step_disables_next_and_shows_footer():
    footer = w.HTML("next module")
    s, _ = make(start=4, footer=footer)
    assert s.next_button.disabled and footer in s.nav.children
    s.next_button.click()
    assert s.index == 3
    s.back_button.click()
    assert footer not in s.nav.children


def test_failing_step_shows_calm_line_and_rest_works():
    s, _ = make(start=3)
    shown = s.content.children[0]
    assert "could not be shown" in shown.value and "Traceback" not in shown.value
    s.next_button.click()
    assert s.progress_text == "Step 4 of 4"


@pytest.mark.parametrize("query, index", [
    ("step=3", 2), ("step=0", 0), ("step=-5", 0), ("step=99", 3), ("step=abc", 0),
    ("step=", 0), ("step=2.5", 0), ("", 0)])
def test_step_from_query(query, index):
    common.set_query_string(query)
    s, built = make()
    assert s.index == index and built == [index]


def test_home_link_is_relative():
    s, _ = make(home_href="00_start.ipynb?mode=lecture")
    assert 'href="00_start.ipynb?mode=lecture"' in s.home.value
    s2 = Stepper([("only", lambda: w.Label("x"))], home_href=None)
    assert s2.progress_text == "Step 1 of 1" and len(s2.nav.children) == 2


def test_index_is_observable_and_go_clamps():
    s, _ = make()
    seen = []
    s.observe(lambda c: seen.append(c["new"]), names="index")
    s.go(3)
    s.go(100)
    assert seen == [2, 3]
