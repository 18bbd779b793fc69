"""The one workshop page in Chromium: the whole workshop by keyboard in the four modes (the
presenting view too), with no history entry and no topic word in the address, history or
storage; facilitator notes folded and opened by keyboard, none in the presenting view; links
inside the page; a reload comes back to the same place; `/` opens it."""
from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from workshop.content import load_module, module_ids
from widgets.common import MODES
from widgets.module_page import DISTRESS_PROTOCOL, NOTES_TITLE
from kit_browser import wait_ready

pytestmark = pytest.mark.browser
MODULES = [load_module(m) for m in module_ids()]
PAGE = "index.ipynb"
PROGRESS = ".bondlab-workshop p.bondlab-progress"
# What each mode adds to a step, as a person sees it (facilitator notes folded: their title).
MODE_MARK = {"participant": None, "facilitator": NOTES_TITLE,
             "lecture": "For lecture and study", "present": None}
NOTE_WORDS = (NOTES_TITLE, "For lecture", "not for the projector", DISTRESS_PROTOCOL[:30])
# Words of the modules' titles and file names: none may reach the address or storage.
TOPIC = sorted({w for m in MODULES for w in re.findall(r"[a-z]{4,}", (m.id + " " + m.title).lower())})
ON_NEXT = ("() => { const el = document.activeElement; return !!el && el.tagName === 'BUTTON'"
           " && el.closest('.bondlab-nav') && el.textContent.trim().startsWith('Next'); }")
TRACE = "() => [location.href, history.length, JSON.stringify(sessionStorage), localStorage.length]"
# A known race in ipywidgets' page manager, not fixed here (see the report of issue 14): when
# the kernel creates widgets in the very moment the page's websocket connects (the page applies
# its address just after the request; on a loaded machine that can take seconds), the first of
# them never reach the page, the next ones name them, and the manager logs this once; the
# models then arrive with the page's full state request, and the tests check the page shows
# the right place and content. Any other console error fails a test.
KNOWN_RACE = "Error: widget model not found"


def _problems(page) -> list[str]:
    return [p for p in page.watch.problems() if not p.startswith("console: " + KNOWN_RACE)]


def _open(page, voila, query=""):
    page.goto(voila.page_url(PAGE, query), wait_until="commit")
    wait_ready(page)
    page.wait_for_selector(PROGRESS)


def _progress_is(page, text, timeout=30_000):
    page.wait_for_function("([sel, text]) => { const p = document.querySelector(sel);"
                           " return !!p && p.textContent.trim() === text; }",
                           arg=[PROGRESS, text], timeout=timeout)


def _where(module, k):
    n = len(module.steps)
    where = "Start" if module.number == "00" else f"Module {int(module.number)} of {len(MODULES) - 1}"
    return f"{where} · Step {k} of {n}"


def _serious(page) -> list[str]:
    return [f"{v['id']} at {[n.get('target') for n in v['nodes'][:3]]}"
            for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]


def _tab_to_next(page, limit=80) -> int:
    """Tab until the Next button has the focus; the number of presses it took."""
    for presses in range(limit):
        if page.evaluate(ON_NEXT):
            return presses
        page.keyboard.press("Tab")
    raise AssertionError("Tab never reached the Next button")


STEP_JS = """([sel, want]) => {
  const p = document.querySelector(sel);
  if (!p || p.textContent.trim() !== want) return null;
  const c = document.querySelector('.bondlab-workshop .bondlab-step-content');
  const h = c && c.querySelector('h2');
  return h ? [h.textContent.trim(), c.innerText, document.querySelector('.bondlab-workshop')
              .textContent] : null;
}"""
# The presenting view as the projector shows it: its root type size, and the safety shell.
PRESENT_JS = """() => [parseFloat(getComputedStyle(document.documentElement).fontSize),
  !!document.querySelector('#kit-exit') && document.querySelector('#kit-exit').offsetHeight > 0,
  !!document.querySelector('#kit-help-link') && document.querySelector('#kit-help-link').offsetHeight > 0,
  document.querySelectorAll('.bondlab-notes, .bondlab-not-projected, details').length]"""


def _open_notes_by_keyboard(page) -> str:
    """Tab to the folded facilitator notes, open them with Enter: the text they show."""
    summary = page.locator(".bondlab-step-content details.bondlab-notes > summary")
    assert summary.count() == 1 and summary.evaluate("s => !s.parentElement.open")
    for _ in range(80):
        if page.evaluate("() => document.activeElement.tagName === 'SUMMARY'"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert summary.evaluate("s => s.parentElement.open")
    return page.locator(".bondlab-step-content").first.inner_text()


@pytest.mark.parametrize("mode", MODES)
def test_the_whole_workshop_by_keyboard_leaves_no_trace(page, voila, mode):
    _open(page, voila, "" if mode == "participant" else f"mode={mode}")
    address, length, _, _ = page.evaluate(TRACE)
    violations, presses = {}, {}
    for module in MODULES:
        for k, step in enumerate(module.steps, 1):
            title, text, everything = page.wait_for_function(
                STEP_JS, arg=[PROGRESS, _where(module, k)], timeout=30_000).json_value()
            assert title == step.title
            mark = MODE_MARK[mode]
            if mark and (mode != "lecture" or step.lecture):
                assert mark in text, f"{module.id} step {k}: no {mode} notes"
            if mode in ("participant", "present"):  # no notes of any kind, shown or hidden
                assert not [w for w in NOTE_WORDS if w in everything], (module.id, k)
            if mode == "facilitator":  # folded: the title shows, the notes do not
                assert DISTRESS_PROTOCOL[:30] not in text, f"{module.id} step {k}: not folded"
                if module.number == "02" and k == 1:
                    assert DISTRESS_PROTOCOL[:30] in _open_notes_by_keyboard(page)
            if mode == "present" and k == 1:
                size, exit_shown, help_shown, notes = page.evaluate(PRESENT_JS)
                assert size >= 20 and exit_shown and help_shown and notes == 0, module.id
            # axe on each module's first step here, on module 2 in the other modes (every
            # step of every module in every mode: tests/test_modules_browser.py)
            if k == 1 and (mode == "participant" or module.number == "02"):
                found = _serious(page)
                if found:
                    violations[module.id] = found
            if module is MODULES[-1] and k == len(module.steps):
                break
            presses[(module.number, k)] = _tab_to_next(page)
            page.keyboard.press("Enter")
    now = page.evaluate(TRACE)
    assert now[:2] == [address, length], "moving inside the page changed the address or history"
    assert now[3] == 0, "something was written to localStorage"
    assert not [w for w in TOPIC if w in (now[0] + now[2]).lower()], now
    # Enter, Enter, ...: the focus stays on Next across the ends of modules
    ends = {key: n for key, n in presses.items()
            if key[1] == len(MODULES[int(key[0])].steps)}
    assert ends and set(ends.values()) == {0}, ends
    assert violations == {}, f"axe-core, serious or critical: {violations}"
    assert "Traceback" not in page.inner_text("body")
    assert _problems(page) == [] and page.watch.outside_requests == []


def test_links_menu_and_reload_stay_in_the_page(page, voila):
    page.goto(voila.url + "/", wait_until="commit")  # `/` opens the workshop page
    page.wait_for_url(f"**/voila/render/{PAGE}", wait_until="commit")
    wait_ready(page)
    _progress_is(page, _where(MODULES[0], 1))
    address, length, _, _ = page.evaluate(TRACE)
    page.select_option(".bondlab-menu select", label="Sources")  # the menu, then Open
    page.locator(".bondlab-menu button", has_text="Open").click()
    _progress_is(page, "Sources")
    page.select_option(".bondlab-menu select", label="Start")
    page.locator(".bondlab-menu button", has_text="Open").click()
    for k in (2, 3, 4):
        page.locator(".bondlab-nav button", has_text="Next").click()
        _progress_is(page, _where(MODULES[0], k))
    link = page.locator(".bondlab-step-content a[data-kit-go='m=3']").first
    assert link.get_attribute("href") == "?m=3"
    link.focus()
    page.keyboard.press("Enter")  # a link in the text: inside the page, focus on its title
    _progress_is(page, _where(MODULES[3], 1))
    page.wait_for_function("() => document.activeElement.tagName === 'H1'")
    page.locator(".bondlab-nav button", has_text="Next").click()
    _progress_is(page, _where(MODULES[3], 2))
    assert page.evaluate(TRACE)[:2] == [address, length]
    page.reload(wait_until="commit")  # back where they were, from this tab's memory only
    wait_ready(page)
    _progress_is(page, _where(MODULES[3], 2), timeout=60_000)
    assert page.evaluate(TRACE)[0] == address
    assert _problems(page) == [] and page.watch.outside_requests == []


@pytest.mark.parametrize("query, place", [
    ("m=2&s=3&mode=facilitator", (2, 3)), ("m=5&s=999", (5, None)),
    ("m=2&s=3&mode=present", (2, 3)), ("m=<script>&s=2&mode=nonsense", (0, 1))])
def test_a_deep_link_opens_its_place(page, voila, query, place):
    _open(page, voila, query)
    module = MODULES[place[0]]
    _progress_is(page, _where(module, place[1] or len(module.steps)))
    text = page.locator(".bondlab-step-content").first.inner_text()
    assert (NOTES_TITLE in text) == ("facilitator" in query)
    present = "mode=present" in query
    assert page.locator(".bondlab-workshop.bondlab-mode-present").count() == present
    assert _problems(page) == []
