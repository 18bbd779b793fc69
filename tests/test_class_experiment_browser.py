"""The room's experiment in Chromium: a facilitator and three participants, one Voila server.

The server gets its own data directory (BONDLAB_STATE_DIR in a temporary folder), so the
test reads and checks the very database the pages wrote. Each person has a separate
browser context (no shared cookies or storage), as on separate devices. Participants
consent and play by keyboard; the facilitator's dashboard shows their pooled results; the
CSV download matches what was played; delete leaves nothing; a participant who edits the
address to ?mode=facilitator sees no dashboard without the key.
"""
from __future__ import annotations

import csv
import io
import re
import sqlite3

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from kit_browser import PageWatch, VoilaServer, wait_ready

pytestmark = pytest.mark.browser

PAGE = "class_experiment.ipynb"
CHECKS = 20   # with 2 messages and about 4 checks per message, at most 14 checks earn them
KEY_FILE_NAME = "facilitator.key"


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    data = tmp_path_factory.mktemp("room-data")
    server = VoilaServer(tmp_path_factory.mktemp("voila-room") / "voila.log",
                         extra_env={"BONDLAB_STATE_DIR": str(data),
                                    "BONDLAB_FACILITATOR_KEY_FILE": str(data / KEY_FILE_NAME)})
    server.data = data
    server.start()
    yield server
    server.stop()


def _open(chromium, server, query):
    context = chromium.new_context(viewport={"width": 1200, "height": 900},
                                   accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.watch = PageWatch(page, server.url)
    page.goto(server.page_url(PAGE, query), wait_until="commit", timeout=180_000)
    return context, page


def _focus_in(page, selector):
    return page.evaluate("(s) => !!document.activeElement && "
                         "!!document.activeElement.closest(s)", selector)


def _tab_to_button(page, text, limit=120):
    """Tab until the focused element is the button labelled ``text``."""
    for _ in range(limit):
        if page.evaluate("(t) => !!document.activeElement && document.activeElement.tagName "
                         "=== 'BUTTON' && document.activeElement.textContent.trim() === t",
                         text):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached the button {text!r}")


def _clean(page):
    assert "Traceback" not in page.inner_text("body")
    assert page.watch.problems() == []
    assert page.watch.outside_requests == []


def _db_counts(path, code):
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t} WHERE {c} = ?", (code,)).fetchone()[0]
                for t, c in (("rooms", "code"), ("assignments", "room"), ("results", "room"))}
    finally:
        conn.close()


def _play_by_keyboard(page):
    """Consent with the keyboard, play CHECKS checks, stop; return (schedule, after-stop)."""
    _tab_to_button(page, "Yes, share my result")
    page.keyboard.press("Enter")
    page.get_by_text("Your result will be added to the room").wait_for()
    _tab_to_button(page, "Check for messages")
    for i in range(1, CHECKS + 1):
        page.keyboard.press("Enter" if i % 2 else "Space")
        page.wait_for_function(
            "(n) => document.querySelector('.bondlab-phone-screen')"
            ".textContent.startsWith('Check ' + n + ':')", arg=i, timeout=30_000)
    page.keyboard.press("Tab")
    assert "stop checking" in page.evaluate("document.activeElement.textContent")
    page.keyboard.press("Enter")
    page.get_by_text("now part of the room").wait_for()
    text = page.inner_text(".bondlab-lever-game")
    assert f"You checked {CHECKS} times" in text
    after = int(re.search(r"After the messages stopped you checked (\d+) more times", text)
                .group(1))
    kind = "continuous" if "every check brought a message" in text else "variable"
    return kind, after


def test_a_room_of_three_in_separate_browsers(chromium, room_server):
    server = room_server
    key = (server.data / KEY_FILE_NAME).read_text().strip()
    assert key in server.log_path.read_text(), "the server prints the key when it starts"
    contexts = []
    try:
        # The facilitator unlocks the dashboard and starts a room with 2 messages.
        fctx, fac = _open(chromium, server, "mode=facilitator")
        contexts.append(fctx)
        # Participants' pages start their kernels while the facilitator works.
        people = []
        wait_ready(fac, 180_000)
        assert key not in fac.url
        fac.locator(".bondlab-room-dashboard input[type=password]").fill(key)
        fac.get_by_role("button", name="Unlock").click()
        fac.get_by_role("button", name="Start a room").wait_for()
        slider = fac.locator(".bondlab-room-dashboard .widget-slider").first
        slider.locator(".noUi-handle").focus()
        fac.keyboard.press("Home")
        fac.keyboard.press("ArrowRight")
        assert slider.locator(".widget-readout").inner_text().strip() == "2"
        fac.get_by_role("button", name="Start a room").click()
        code_el = fac.locator(".bondlab-room-code span")
        code_el.wait_for()
        code = code_el.inner_text().strip()
        assert re.fullmatch(r"[A-HJ-NP-Z2-9]{6}", code)
        assert fac.locator(".bondlab-room-code img.bondlab-qr").get_attribute(
            "src").startswith("data:image/svg+xml")
        link = fac.locator(".bondlab-room-code a").get_attribute("href")
        assert link.endswith(f"/voila/render/{PAGE}?room={code}")

        # Three participants, each in their own browser context.
        for _ in range(3):
            ctx, page = _open(chromium, server, f"room={code}")
            contexts.append(ctx)
            people.append(page)
        played = []
        for page in people:
            wait_ready(page, 180_000)
            assert "What will be shared if you say yes" in page.inner_text("body")
            played.append(_play_by_keyboard(page))
            _clean(page)

        # The dashboard refreshes by itself (every 5 s) and shows the pooled results.
        counts = fac.locator(".bondlab-room-dashboard p[role=status]").first
        fac.wait_for_function(
            "() => /3 joined, 3 finished/.test(document.querySelector("
            "'.bondlab-room-dashboard .bondlab-figure-summary').innerText)", timeout=30_000)
        expect(counts).to_contain_text("3 joined, 3 finished")  # its own widget message
        summary = fac.inner_text(".bondlab-room-dashboard .bondlab-figure-summary")
        assert "the model: about" in summary

        # Export CSV: the download is made in the browser and matches what was played.
        expect(fac.locator("a.bondlab-export")).to_contain_text("3 rows")
        with fac.expect_download() as download:
            fac.locator("a.bondlab-export").click()
        assert download.value.suggested_filename == "results.csv"
        exported = list(csv.DictReader(io.StringIO(open(download.value.path()).read())))
        assert sorted((r["schedule"], int(r["presses_after_stop"])) for r in exported) \
            == sorted(played)
        assert all(int(r["presses"]) == CHECKS for r in exported)
        assert set(exported[0]) == {"row", "schedule", "presses", "presses_after_stop",
                                    "seconds_to_stop"}

        serious = [v["id"] for v in Axe().run(fac).response["violations"]
                   if v["impact"] in ("serious", "critical")]
        assert serious == []

        # Reveal: a participant sees the room's totals, not rows.
        fac.get_by_role("button", name="Reveal to the room").click()
        fac.get_by_role("button", name="Hide from the room").wait_for()
        first = people[0]
        first.get_by_role("button", name="See the room\u2019s results").click()
        table = first.locator(".bondlab-room-table")
        table.wait_for()
        people_col = [int(x) for x in table.locator("tbody td:nth-child(2)").all_inner_texts()]
        assert sum(people_col) == 3

        # A participant who edits the address to ?mode=facilitator sees no dashboard.
        nctx, nosy = _open(chromium, server, "mode=facilitator")
        contexts.append(nctx)
        wait_ready(nosy, 180_000)
        body = nosy.inner_text("body")
        assert code not in body and "Start a room" not in body and "finished" not in body
        nosy.locator("input[type=password]").fill("K7QX-M3PA-9RTE-VW2H")
        nosy.get_by_role("button", name="Unlock").click()
        nosy.get_by_text("That key does not match").wait_for()
        body = nosy.inner_text("body")
        assert code not in body and "Start a room" not in body
        assert nosy.locator("canvas, a.bondlab-export").count() == 0
        _clean(nosy)

        # Delete, with confirmation: nothing of the room is left in the database.
        db = server.data / "rooms.sqlite3"
        assert _db_counts(db, code) == {"rooms": 1, "assignments": 3, "results": 3}
        fac.get_by_role("button", name="Delete the data\u2026").click()
        fac.get_by_role("button", name="Yes, delete everything").click()
        fac.get_by_text(f"Room {code} and all its results are deleted.").wait_for()
        assert _db_counts(db, code) == {"rooms": 0, "assignments": 0, "results": 0}
        first.get_by_role("button", name="See the room\u2019s results").click()
        first.get_by_text("have been deleted").wait_for()
        _clean(fac)
    finally:
        for ctx in contexts:
            ctx.close()
