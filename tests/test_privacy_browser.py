"""What the kit's server and shell do for the privacy promises (server/privacy.py, the kit
template): expired results are purged at start and while the server runs, quick exit asks the
browser to clear what it keeps for the kit's address, and the error page's way back adds no
history entry. One real Voila for the module, its store in a temporary BONDLAB_STATE_DIR."""
from __future__ import annotations

import asyncio
import re
import sqlite3
import time
import urllib.request

import pytest

from kit_browser import VoilaServer, run_fresh
from workshop import room

DAY = 86400.0


def _shift(db, sql, *args):
    conn = sqlite3.connect(db)
    conn.execute(sql, args)
    conn.commit()
    conn.close()


def _store_with_expired_results(db):
    """Room ``gone``: past its retention. Room ``kept``: its period was raised to 30 days
    after the first participant agreed to 7, and those 7 days have passed. The clock is
    moved back in the file only after every room action (each one purges)."""
    gone = room.start_room(retention_days=7, path=db)
    t = room.new_token()
    room.submit(gone, t, room.join(gone, t, path=db), 10, 2, 1.0, path=db)
    kept = room.start_room(retention_days=7, path=db)
    early = room.new_token()
    room.submit(kept, early, room.join(kept, early, shown_days=7, path=db), 11, 3, 2.0, path=db)
    room.set_retention(kept, 30, path=db)
    late = room.new_token()
    room.submit(kept, late, room.join(kept, late, shown_days=30, path=db), 12, 4, 3.0, path=db)
    _shift(db, "UPDATE rooms SET created = created - ?", 8 * DAY)
    for table in ("results", "assignments"):
        _shift(db, f"UPDATE {table} SET expires = expires - ?", 8 * DAY)
    return gone, kept


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    state = tmp_path_factory.mktemp("state")
    db = state / "rooms.sqlite3"
    codes = _store_with_expired_results(db)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 3
    conn.close()
    voila = VoilaServer(tmp_path_factory.mktemp("voila-privacy") / "voila.log",
                        extra_env={"BONDLAB_STATE_DIR": str(state), "BONDLAB_EXIT_URL": "",
                                   "BONDLAB_POOL_SIZE": "0"}).start()
    voila.db, voila.codes = db, codes
    yield voila
    voila.stop()


def test_a_server_started_after_the_retention_has_passed_purges_at_start(server):
    gone, kept = server.codes
    conn = sqlite3.connect(server.db)
    try:
        assert conn.execute("SELECT COUNT(*) FROM rooms WHERE code = ?", (gone,)).fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM results WHERE room = ?", (gone,)).fetchone()[0] == 0
        left = conn.execute("SELECT presses FROM results WHERE room = ?", (kept,)).fetchall()
    finally:
        conn.close()
    assert left == [(12,)], "the 7-day result went; the one shared after the change stays"


def test_the_running_server_purges_on_a_schedule(tmp_path, monkeypatch):
    from server.privacy import start_purging

    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path))

    async def run():
        timer = start_purging(seconds=0.1)
        try:
            code = room.start_room(retention_days=1)  # expires while the server runs
            t = room.new_token()
            room.submit(code, t, room.join(code, t), 10, 2, 1.0)
            _shift(room.db_path(), "UPDATE rooms SET created = created - ?", 2 * DAY)
            for _ in range(50):
                await asyncio.sleep(0.1)
                if not room.rows(code):
                    return True
            return False
        finally:
            timer.stop()

    assert run_fresh(run()), "purged by the timer, with no room action in between"


def test_the_clear_site_data_handler_answers_with_the_header(server):
    request = urllib.request.Request(server.url + "/voila/bondlab/clear-site-data", data=b"",
                                     method="POST")
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 204
        assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
        assert "cookies" not in response.headers["Clear-Site-Data"]


@pytest.mark.browser
def test_quick_exit_clears_what_the_browser_keeps_for_the_kit(chromium, server):
    context = chromium.new_context()
    page = context.new_page()
    beacons = []
    page.on("request", lambda r: beacons.append(r.url) if "clear-site-data" in r.url else None)
    page.goto(server.url + "/voila/render/no_such_page.ipynb")
    page.evaluate("""async () => {
        localStorage.setItem('kept', 'yes');
        sessionStorage.setItem('kept', 'yes');
        const cache = await caches.open('kit');
        await cache.put('/kept', new Response('yes'));
    }""")
    assert page.evaluate("localStorage.length") == 1
    page.click("#kit-exit")
    page.wait_for_url(re.compile(r"/weather\.html"), timeout=10_000)
    assert beacons, "quick exit sent the clearing request"
    kept = "async () => [localStorage.length, sessionStorage.length, (await caches.keys()).length]"
    deadline = time.monotonic() + 15
    while page.evaluate(kept) != [0, 0, 0] and time.monotonic() < deadline:
        page.wait_for_timeout(100)  # the browser clears in the background: poll, briefly
    assert page.evaluate(kept) == [0, 0, 0], "local, session and cache storage are cleared"
    context.close()


@pytest.mark.browser
def test_the_error_pages_way_back_adds_no_history_entry(chromium, server):
    context = chromium.new_context()
    page = context.new_page()
    page.set_default_navigation_timeout(90_000)
    before = server.url + "/voila/templates/kit/static/weather.html?before"
    page.goto(before)
    page.goto(server.url + "/voila/render/no_such_page.ipynb")
    length = page.evaluate("history.length")
    page.click("text=Go to the start page", no_wait_after=True)
    page.wait_for_url(re.compile(r"/voila/render/(?!no_such_page)[^/]+\.ipynb"),
                      wait_until="commit")
    page.wait_for_load_state("domcontentloaded")  # the start page streams: wait for its DOM
    assert page.evaluate("history.length") == length
    page.go_back(wait_until="commit")
    assert page.url == before, "Back skips the error page"
    context.close()
