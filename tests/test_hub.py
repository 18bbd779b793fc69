"""Rooms past one machine: TLJH's Bond Lab settings, served by a real JupyterHub.

hub/tljh_bondlab.py (that is, hub/bondlab_hub.py) with a local spawner and test accounts in
place of TLJH's own (tests/hub_config.py), on free loopback ports with its state in a temporary
folder. Several users log in over HTTP, each with their own cookies, and land on the workshop
page under /user/<name>/ with the safety shell and the kit's template; one of them logs in in
Chromium, where quick exit (click and Shift x3) and help work and no request leaves the hub.
The class experiment's room, started in one user's kernel, is found and joined from another
user's, in one store at the configured path. The public site: tests/test_hub_public.py.
"""
from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest

from kit_browser import PageWatch, wait_ready
from kit_hub import EXIT_URL, START_PAGE, check_workshop_page, hub_for_tests
from workshop.crisis import load_crisis_resources

USERS = ("ana", "ben", "cleo")

@pytest.fixture(scope="module")
def rooms_hub(tmp_path_factory):
    store = tmp_path_factory.mktemp("room-store")
    hub = hub_for_tests(tmp_path_factory.mktemp("rooms-hub"), "tljh_bondlab.py",
                        BONDLAB_STATE_DIR=store, BONDLAB_TEST_HOMES=tmp_path_factory.mktemp("homes"))
    hub.store = store
    hub.start()
    try:
        hub.sessions = {name: hub.login(name) for name in USERS}
        with ThreadPoolExecutor(len(USERS)) as pool:  # everyone opens the workshop at once
            hub.pages = dict(zip(USERS, pool.map(hub.open_workshop, hub.sessions.values())))
        yield hub
    finally:
        hub.stop()


def test_every_user_lands_on_the_workshop_page(rooms_hub):
    for name, response in rooms_hub.pages.items():
        check_workshop_page(response, name)


def test_a_user_cannot_open_another_users_page(rooms_hub):
    r = rooms_hub.sessions["ana"].get(f"{rooms_hub.url}/user/ben{START_PAGE}", timeout=120)
    assert r.status_code == 403
    assert 'id="kit-shell"' not in r.text  # not ben's page: the hub's refusal...
    assert f'data-exit-url="{EXIT_URL}"' in r.text  # ...which has quick exit too


def test_the_room_is_shared_across_users(rooms_hub):
    started = rooms_hub.run_in_kernel("ana", (
        "from workshop.room import db_path, facilitator_key, start_room\n"
        "print(start_room(), db_path(), facilitator_key())"), rooms_hub.token).split()
    code, path, key = started
    assert path == str(rooms_hub.store / "rooms.sqlite3")
    seen = rooms_hub.run_in_kernel("ben", (
        "from workshop.room import facilitator_key, get_room, join, new_token\n"
        f"print(get_room({code!r}).code, join({code!r}, new_token()), facilitator_key())"),
        rooms_hub.token).split()
    assert seen[0] == code and seen[1] in ("continuous", "variable") and seen[2] == key
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("SELECT COUNT(*) FROM assignments WHERE room = ?", (code,)).fetchone() == (1,)
    finally:
        conn.close()


@pytest.mark.browser
def test_a_user_in_chromium(rooms_hub, chromium):
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    # Quick exit's target, answered here: the test never reaches the real site.
    context.route(EXIT_URL + "**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<title>Weather</title>neutral"))
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.set_default_navigation_timeout(180_000)
    watch = PageWatch(page, rooms_hub.url)
    try:
        page.goto(rooms_hub.url + "/hub/login")
        assert page.locator("#kit-exit").is_visible()  # the hub's own pages have quick exit
        page.fill("input[name=username]", "cleo")
        page.fill("input[name=password]", "x")
        page.click("[type=submit]")
        page.wait_for_url(f"**/user/cleo{START_PAGE}")
        wait_ready(page, 180_000)
        assert "Traceback" not in page.inner_text("body") and page.title() == "Notes"
        assert watch.outside_requests == [], watch.outside_requests
        assert watch.problems() == []
        page.click("#kit-help-link")
        help_text = page.inner_text("#kit-help")
        first = load_crisis_resources()["regions"][0]["entries"][0]
        assert first["name"] in help_text and (first.get("phone") or "") in help_text
        page.click("#kit-help-close")
        for _ in range(3):
            page.keyboard.press("Shift")
        page.wait_for_url(EXIT_URL + "**", timeout=15_000)
        # Again, by the button, before the kernel has even answered.
        page.goto(f"{rooms_hub.url}/user/cleo{START_PAGE}", wait_until="domcontentloaded")
        page.click("#kit-exit")
        page.wait_for_url(EXIT_URL + "**", timeout=15_000)
        assert {urlparse(u).netloc for u in watch.outside_requests} == {urlparse(EXIT_URL).netloc}
    finally:
        context.close()


