"""Every step of every module, by keyboard only, in the three modes (Tab to Next, Enter),
with axe-core (serious and critical violations) on every step it shows."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from workshop.content import load_module, module_ids
from widgets.module_page import NOTES_TITLE
from kit_browser import wait_ready

pytestmark = pytest.mark.browser
MODULES = module_ids()
MODE_MARK = {"participant": None, "facilitator": NOTES_TITLE,  # folded: only its title shows
             "lecture": "For lecture and study"}
PROGRESS = "p.bondlab-progress"
ON_NEXT = ("() => { const el = document.activeElement;"
           " return !!el && el.tagName === 'BUTTON' && el.textContent.trim() === 'Next'; }")


def _progress(page) -> str:
    return page.locator(PROGRESS).inner_text().strip()


def _serious_violations(page) -> list[str]:
    """axe-core on the page as it is now: serious and critical rule ids, with the targets."""
    out = []
    for v in Axe().run(page).response["violations"]:
        if v["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, n.get("target", []))) for n in v["nodes"][:3]]
            out.append(f"{v['id']} at {targets}")
    return out


def _tab_to_next(page, limit=80):
    for _ in range(limit):
        if page.evaluate(ON_NEXT):
            return
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the Next button")


@pytest.mark.parametrize("mode", ["participant", "facilitator", "lecture"])
@pytest.mark.parametrize("module_id", MODULES)
def test_click_through_by_keyboard(page, voila, module_id, mode):
    module = load_module(module_id)
    n = len(module.steps)
    query = "" if mode == "participant" else f"mode={mode}"
    page.goto(voila.page_url(f"{module_id}.ipynb", query))
    wait_ready(page)
    assert _progress(page) == f"Step 1 of {n}"
    violations = {}
    for k in range(1, n + 1):
        step = page.locator(".bondlab-step-content").first
        expect(step.locator("h2").first).to_have_text(module.steps[k - 1].title)
        found = _serious_violations(page)
        if found:
            violations[f"step {k}"] = found
        mark = MODE_MARK[mode]
        if mark and (mode != "lecture" or module.steps[k - 1].lecture):
            assert mark in step.inner_text(), f"step {k}: no {mode} notes"
        elif mode == "participant":
            assert NOTES_TITLE not in step.inner_text()
        if k == n:
            break
        _tab_to_next(page)
        page.keyboard.press("Enter")
        page.wait_for_function(
            f"() => document.querySelector('{PROGRESS}').textContent.trim() === "
            f"'Step {k + 1} of {n}'", timeout=10_000)
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert violations == {}, f"axe-core, serious or critical: {violations}"
    assert page.watch.problems() == []
    assert page.watch.outside_requests == []


@pytest.mark.parametrize("query, expected", [("step=3", 3), ("step=999", 6), ("step=abc", 1)])
def test_step_in_address_opens_that_step(page, voila, query, expected):
    page.goto(voila.page_url("01_why_rewards_hook_us.ipynb", query))
    wait_ready(page)
    assert _progress(page) == f"Step {expected} of 6"
    title = load_module("01_why_rewards_hook_us").steps[expected - 1].title
    expect(page.locator(".bondlab-step-content h2").first).to_have_text(title)
    assert page.watch.problems() == []


def test_reflection_notes_download_in_the_browser_and_clear(page, voila):
    """Typed notes become the download link's own data: URL (no server file); Clear wipes."""
    page.goto(voila.page_url("01_why_rewards_hook_us.ipynb", "step=5"))
    wait_ready(page)
    box = page.locator(".bondlab-reflection textarea").first
    box.focus()
    page.keyboard.type("a quiet note")
    link = page.locator("a.bondlab-download")
    expect(link).to_have_attribute("href", re.compile(r"^data:text/plain.*a%20quiet%20note"))
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "notes.txt"
    page.locator(".bondlab-reflection button", has_text="Clear").focus()
    page.keyboard.press("Enter")
    expect(box).to_have_value("")
    expect(link).not_to_have_attribute("href", re.compile("quiet"))
    assert page.watch.problems() == [] and page.watch.outside_requests == []
