"""Past one machine: the kit's hub configurations, served by a real JupyterHub.

Two hubs on free loopback ports, each with its state in a temporary folder (tests/kit_hub.py):

- TLJH's Bond Lab settings (hub/tljh_bondlab.py, which is hub/bondlab_hub.py) with a local
  spawner and test accounts. Several users log in over HTTP, each with their own cookies, and
  land on the workshop page under /user/<name>/ with the safety shell and the kit's template;
  one of them logs in in Chromium, where quick exit (click and Shift x3) and help work and no
  request leaves the hub. The class experiment's room, started in one user's kernel, is found
  and joined from another user's, in one store at the configured path.
- The public self-paced configuration (hub/public_bondlab.py) as it is, with a short visit and
  room for one visitor: a visitor gets a temporary account with no sign-up; the next one is
  asked to try again; the idle culler ends the visit and nothing of it is kept; then the next
  visitor gets in.
"""
from __future__ import annotations

import re
import secrets
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlparse

import pytest
from traitlets.config.loader import PyFileConfigLoader

from bondlab.help import load_crisis_resources
from kit_browser import ROOT, PageWatch, wait_ready
from kit_hub import Hub

HUB_CONFIG = ROOT / "tests" / "hub_config.py"
SETTINGS = PyFileConfigLoader("bondlab_hub.py", path=str(ROOT / "hub")).load_config()
START_PAGE = SETTINGS.Spawner.default_url
EXIT_URL = SETTINGS.Spawner.environment["BONDLAB_EXIT_URL"]
USERS = ("ana", "ben", "cleo")


def _hub(tmp_path_factory, config: str, **env) -> Hub:
    folder = tmp_path_factory.mktemp(config.split("_")[0] + "-hub")
    hub = Hub(HUB_CONFIG, folder, env={"BONDLAB_TEST_HUB": config,
                                       "BONDLAB_TEST_HUB_TOKEN": secrets.token_hex(16),
                                       **{k: str(v) for k, v in env.items()}})
    hub.token = hub.env["BONDLAB_TEST_HUB_TOKEN"]
    return hub


def _check_workshop_page(response, name: str) -> None:
    """The workshop's first page under /user/<name>/, with the kit's template and shell."""
    html = response.text
    assert response.status_code == 200, html[:500]
    assert urlparse(response.url).path == f"/user/{name}{START_PAGE}"
    assert 'id="kit-exit"' in html and 'id="kit-help"' in html and 'class="kit-bar"' in html
    assert f'data-exit-url="{EXIT_URL}"' in html
    assert "<title>Notes</title>" in html
    first = load_crisis_resources()["regions"][0]["entries"][0]
    assert first["name"] in html
    hub_host = urlparse(response.url).netloc
    outside = [u for u in re.findall(r'(?:src|href)="(https?://[^"]+)"', html)
               if urlparse(u).netloc != hub_host]
    assert outside == []


# --------------------------------------------------------------------------- rooms (TLJH)

@pytest.fixture(scope="module")
def rooms_hub(tmp_path_factory):
    store = tmp_path_factory.mktemp("room-store")
    hub = _hub(tmp_path_factory, "tljh_bondlab.py", BONDLAB_DATA_DIR=store,
               BONDLAB_TEST_HOMES=tmp_path_factory.mktemp("homes"))
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
        _check_workshop_page(response, name)


def test_a_user_cannot_open_another_users_page(rooms_hub):
    r = rooms_hub.sessions["ana"].get(f"{rooms_hub.url}/user/ben{START_PAGE}", timeout=120)
    assert r.status_code == 403
    assert 'id="kit-exit"' not in r.text


def test_the_room_is_shared_across_users(rooms_hub):
    started = rooms_hub.run_in_kernel("ana", (
        "from bondlab.room import db_path, facilitator_key, start_room\n"
        "print(start_room(), db_path(), facilitator_key())"), rooms_hub.token).split()
    code, path, key = started
    assert path == str(rooms_hub.store / "rooms.sqlite3")
    seen = rooms_hub.run_in_kernel("ben", (
        "from bondlab.room import facilitator_key, get_room, join, new_token\n"
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


# --------------------------------------------------------------------------- public site

VISIT_SECONDS = 30


@pytest.fixture(scope="module")
def public_hub(tmp_path_factory):
    visits = tmp_path_factory.mktemp("visits")
    hub = _hub(tmp_path_factory, "public_bondlab.py", BONDLAB_VISITS_DIR=visits,
               BONDLAB_VISIT_IDLE_SECONDS=VISIT_SECONDS, BONDLAB_MAX_VISITORS=1)
    hub.visits = visits
    hub.start()
    yield hub
    hub.stop()


def _visitor_name(response) -> str:
    return urlparse(response.url).path.split("/")[2]


def test_a_public_visit_needs_no_account_and_leaves_nothing(public_hub):
    hub = public_hub
    first = hub.open_workshop(hub.login())  # a new visitor: no sign-up, straight in
    name = _visitor_name(first)
    _check_workshop_page(first, name)
    assert re.fullmatch(r"[0-9a-f-]{36}", name)  # a temporary account, named at random
    assert (hub.visits / name).is_dir()
    # The site is full (one server here): the next visitor is asked to come back.
    waiting = hub.login()
    refused = hub.open_workshop(waiting)
    assert refused.status_code == 429 and "try again" in refused.text.lower()
    # Left idle, the visit ends: server stopped, account deleted, the visit's folder gone.
    deadline = time.monotonic() + VISIT_SECONDS + 120
    while hub.api("GET", f"/users/{name}", hub.token).status_code != 404:
        assert time.monotonic() < deadline, "the idle visit was never culled: " + hub.tail()
        time.sleep(1)
    assert not (hub.visits / name).exists()
    # Now there is room: the waiting visitor gets in.
    second = hub.open_workshop(waiting)
    _check_workshop_page(second, _visitor_name(second))
