"""Leading the room in Chromium (issue 15): a facilitator's page leads, a participant's page
follows by keyboard, steps away and comes back by touch, and the projector's presenting
window follows without joining; one Voila server (the session's), separate browser contexts
as separate devices. The room's timing figures come from ``bench/bench_room.py --phases
follow``; here a follower must reach each step by itself, within FOLLOW_WAIT.
"""
from __future__ import annotations

import os
import re
import sqlite3
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from kit_browser import PageWatch, wait_ready
from workshop.content import load_module, module_ids

pytestmark = pytest.mark.browser

PAGE = "index.ipynb"
PROGRESS = ".bondlab-workshop p.bondlab-progress"
FOLLOW = ".bondlab-follow"
#: Generous on purpose (a loaded test machine): the 2 s goal is measured by the room bench.
FOLLOW_WAIT = 20_000
TRACE = "() => [location.href, history.length, JSON.stringify(sessionStorage), localStorage.length]"
TOPIC = sorted({w for m in module_ids() for w in re.findall(
    r"[a-z]{4,}", (m + " " + load_module(m).title).lower())})
KNOWN_RACE = "Error: widget model not found"  # see tests/test_workshop_browser.py


def _open(chromium, voila, query, **context_args):
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, **context_args)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.watch = PageWatch(page, voila.url)
    page.goto(voila.page_url(PAGE, query), wait_until="commit", timeout=180_000)
    return context, page


def _ready(page):
    wait_ready(page, 180_000)
    page.wait_for_selector(PROGRESS)


def _progress_is(page, text, timeout=60_000):
    page.wait_for_function("([sel, text]) => { const p = document.querySelector(sel);"
                           " return !!p && p.textContent.trim() === text; }",
                           arg=[PROGRESS, text], timeout=timeout)


def _clean(page):
    assert "Traceback" not in page.inner_text("body")
    assert [p for p in page.watch.problems() if not p.startswith("console: " + KNOWN_RACE)] == []
    assert page.watch.outside_requests == []


def _no_trace(page, history):
    href, length, session, local = page.evaluate(TRACE)
    assert length == history, "following added history entries"
    assert local == 0
    for word in TOPIC:
        assert word not in href.lower() and word not in session.lower(), word


def _key(voila) -> str:
    state = Path(voila.extra_env["BONDLAB_STATE_DIR"])
    path = Path(os.environ.get("BONDLAB_FACILITATOR_KEY_FILE") or state / "facilitator.key")
    return path.read_text().strip().splitlines()[0].strip()


def _assignments(voila, code) -> int:
    conn = sqlite3.connect(Path(voila.extra_env["BONDLAB_STATE_DIR"]) / "rooms.sqlite3")
    try:
        return conn.execute("SELECT COUNT(*) FROM assignments WHERE room = ?",
                            (code,)).fetchone()[0]
    finally:
        conn.close()


def _serious(page) -> list[str]:
    return [f"{v['id']} at {[n.get('target') for n in v['nodes'][:3]]}"
            for v in Axe().run(page).response["violations"]
            if v["impact"] in ("serious", "critical")]


def _next(page):
    page.locator(".bondlab-workshop .bondlab-nav button").nth(1).click()


def _follows(page, text, t_click):
    _progress_is(page, text, FOLLOW_WAIT)
    return time.monotonic() - t_click


def test_a_facilitator_leads_a_follower_and_the_projector(chromium, voila):
    contexts, seconds = [], []
    try:
        fctx, fac = _open(chromium, voila, "mode=facilitator&m=room")
        contexts.append(fctx)
        _ready(fac)
        assert fac.locator(FOLLOW).is_hidden()  # nothing to lead before a room is open
        fac.locator(".bondlab-room-dashboard input[type=password]").fill(_key(voila))
        fac.get_by_role("button", name="Unlock").click()
        fac.get_by_role("button", name="Start a room").click()
        code_el = fac.locator(".bondlab-room-code span")
        code_el.wait_for()
        code = code_el.inner_text().strip()
        lead = fac.get_by_role("checkbox", name=f"Lead room {code}")
        lead.focus()
        fac.keyboard.press("Space")  # by keyboard
        fac.get_by_text(f"Leading room {code}").wait_for()
        fac.select_option(".bondlab-menu select", label="Start")
        fac.get_by_role("button", name="Open").click()
        _progress_is(fac, "Start · Step 1 of 5")

        # A participant opens the room's link (on a touch screen) and follows by keyboard.
        pctx, person = _open(chromium, voila, f"room={code}", has_touch=True)
        contexts.append(pctx)
        _ready(person)
        history = person.evaluate("history.length")
        person.get_by_text("Would you like to share your result").wait_for()
        box = person.get_by_role("checkbox", name="Follow the facilitator")
        assert not box.is_checked()
        box.focus()
        person.keyboard.press("Space")
        _progress_is(person, "Start · Step 1 of 5", FOLLOW_WAIT)
        assert _assignments(voila, code) == 0  # following is not joining: nothing stored

        t = time.monotonic()
        _next(fac)
        seconds.append(_follows(person, "Start · Step 2 of 5", t))

        # Stepping away pauses following, and says so; the facilitator moves on alone.
        _next(person)
        _progress_is(person, "Start · Step 3 of 5")
        person.get_by_text("following is paused").wait_for()
        _next(fac)
        _progress_is(fac, "Start · Step 3 of 5")
        _next(fac)
        person.get_by_text("The facilitator is at Start · Step 4.").wait_for(timeout=FOLLOW_WAIT)
        assert person.inner_text(PROGRESS).strip() == "Start · Step 3 of 5"

        # The projector's window follows the facilitator, without joining the room.
        sctx, screen = _open(chromium, voila, f"mode=present&room={code}")
        contexts.append(sctx)
        _ready(screen)
        _progress_is(screen, "Start · Step 4 of 5", FOLLOW_WAIT)
        screen_history = screen.evaluate("history.length")
        assert screen.get_by_role("checkbox", name=f"Follow room {code}").is_checked()
        assert "share your result" not in screen.inner_text("body")
        assert _assignments(voila, code) == 0

        # One control brings the participant back (by touch), and following goes on.
        person.get_by_role("button", name="Back to the facilitator").tap()
        _progress_is(person, "Start · Step 4 of 5", FOLLOW_WAIT)
        assert person.get_by_role("button", name="Back to the facilitator").is_hidden()
        t = time.monotonic()
        _next(fac)
        seconds.append(_follows(person, "Start · Step 5 of 5", t))
        _progress_is(screen, "Start · Step 5 of 5", FOLLOW_WAIT)
        t = time.monotonic()
        _next(fac)  # into module 1
        seconds.append(_follows(person, "Module 1 of 6 · Step 1 of 6", t))
        _progress_is(screen, "Module 1 of 6 · Step 1 of 6", FOLLOW_WAIT)
        assert _serious(person) == []

        # The facilitator opens the room's dashboard (nobody moves), then closes the room.
        fac.select_option(".bondlab-menu select", label="The room's experiment")
        fac.get_by_role("button", name="Open").click()
        fac.get_by_role("button", name="Close the room").click()
        person.get_by_text(f"Room {code} has closed, so this page no longer follows").wait_for(
            timeout=FOLLOW_WAIT)
        screen.get_by_text(f"Room {code} has closed").wait_for(timeout=FOLLOW_WAIT)
        assert person.get_by_role("checkbox", name="Follow the facilitator").count() == 0 or \
            person.get_by_role("checkbox", name="Follow the facilitator").is_hidden()
        assert person.inner_text(PROGRESS).strip() == "Module 1 of 6 · Step 1 of 6"

        _no_trace(person, history)
        _no_trace(screen, screen_history)
        for page in (fac, person, screen):
            _clean(page)
        print(f"follower showed the facilitator's step {', '.join(f'{s:.2f}' for s in seconds)}"
              " s after the click (the bound is measured by bench/bench_room.py --phases follow)")
    finally:
        for context in contexts:
            context.close()
