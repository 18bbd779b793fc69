"""The science components on notebooks/gallery.ipynb, used by keyboard in Chromium.

One page load drives the five figure components (Tab to a slider, ArrowRight, the figure's
pixels and its text summary change) and a second plays the lever game with Enter and
Space only. Lean on purpose: two page loads in all.
"""
from __future__ import annotations

import pytest

from kit_browser import CANVAS_HASH, wait_ready

pytestmark = pytest.mark.browser

FIGURES = [".bondlab-schedule-explorer", ".bondlab-attachment-figure",
           ".bondlab-cycle-timeline", ".bondlab-opponent-playground",
           ".bondlab-leaving-simulator"]

def _focus_in(page, selector):
    return page.evaluate("(s) => !!document.activeElement && "
                         "!!document.activeElement.closest(s)", selector)


def _tab_to(page, selector, limit=200):
    """Press Tab until the focus is inside ``selector``; fail if it never gets there."""
    for _ in range(limit):
        if _focus_in(page, selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def _summary(page, component):
    return page.inner_text(f"{component} .bondlab-figure-summary")


def test_figure_components_by_keyboard(page, voila):
    page.goto(voila.page_url("gallery.ipynb"), wait_until="commit", timeout=180_000)
    wait_ready(page, 180_000)
    for component in FIGURES:
        slider = f"{component} .noUi-handle"
        _tab_to(page, slider)
        before_text = _summary(page, component)
        before_pixels = page.evaluate(CANVAS_HASH, component)
        value = page.locator(f"{component} .widget-readout").first.inner_text()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(  # the summary text follows the new value
            "([s, t]) => document.querySelector(s + ' .bondlab-figure-summary')"
            ".innerText !== t", arg=[component, before_text], timeout=30_000)
        page.wait_for_function(
            f"([s, h]) => ({CANVAS_HASH})(s) !== h", arg=[component, before_pixels],
            timeout=30_000)
        after = page.locator(f"{component} .widget-readout").first.inner_text()
        assert after != value, f"{component}: the slider did not move"
        assert "could not update" not in page.inner_text(component)
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert page.watch.problems() == []
    assert page.watch.outside_requests == []


def test_lever_game_by_keyboard(page, voila):
    game = ".bondlab-lever-game"
    page.goto(voila.page_url("gallery.ipynb"), wait_until="commit", timeout=180_000)
    wait_ready(page, 180_000)
    check = page.locator(f"{game} button", has_text="Check for messages")
    _tab_to(page, f"{game} button")
    assert page.evaluate("document.activeElement.textContent").strip() == "Check for messages"
    for i in range(1, 13):
        page.keyboard.press("Enter" if i % 2 else "Space")
        page.wait_for_function(
            "([s, n]) => document.querySelector(s + ' .bondlab-phone-screen')"
            ".textContent.startsWith('Check ' + n + ':')", arg=[game, i], timeout=20_000)
    page.keyboard.press("Tab")
    assert "stop checking" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    summary = page.locator(f"{game} .bondlab-figure-summary")
    summary.wait_for(timeout=30_000)
    assert "You checked 12 times" in summary.inner_text()
    assert "Your hidden schedule" in page.inner_text(game)
    assert check.is_disabled()
    assert page.watch.problems() == []
    assert page.watch.outside_requests == []
