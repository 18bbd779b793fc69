"""Fixtures for Bond Lab's tests: a Voila server and headless Chromium pages.

Browser tests carry the ``browser`` marker. Without Chromium they are skipped
with a one-line explanation on a person's machine, and fail under CI (CI=true):
a run where nothing was tested must never look green.
"""
from __future__ import annotations

import os

import pytest

from kit_browser import CHROMIUM, CHROMIUM_ARGS, PageWatch, VoilaServer, chromium_available

# tests/pages holds pages the browser tests serve on purpose (one fails by design).
collect_ignore = ["pages"]

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
NO_BROWSER = ("Chromium not found at {path}: install it with `sudo apt-get install chromium` "
              "(Debian/Ubuntu) to run the browser tests.")
_skipped: list[str] = []


def pytest_collection_modifyitems(config, items):
    if chromium_available():
        return
    message = NO_BROWSER.format(path=CHROMIUM)
    for item in items:
        if "browser" in item.keywords and not IN_CI:  # under CI the chromium fixture fails
            _skipped.append(item.nodeid)
            item.add_marker(pytest.mark.skip(reason=message))


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.write_line(
            f"{NO_BROWSER.format(path=CHROMIUM)} Skipped {len(_skipped)} browser tests: "
            + ", ".join(sorted({n.split('::')[0] for n in _skipped})), yellow=True)


@pytest.fixture(scope="session")
def voila(tmp_path_factory):
    """The kit's Voila, as `make workshop` runs it, on a free loopback port.

    Its data directory (the class experiment's database and facilitator key) is a temporary
    folder: tests never write into the user's own data directory.
    """
    data = tmp_path_factory.mktemp("bondlab-data")
    server = VoilaServer(tmp_path_factory.mktemp("voila") / "voila.log",
                         extra_env={"BONDLAB_STATE_DIR": str(data)}).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def chromium():
    if not chromium_available():
        pytest.fail(NO_BROWSER.format(path=CHROMIUM) + " CI must run the browser tests.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, voila):
    """A fresh browser context and page; `page.watch` records errors and outside requests."""
    context = chromium.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(30_000)
    # A page streams while its kernel runs; on a loaded 2-core machine the first one after
    # start-up can take longer than 30 s to finish loading (wait_ready allows 90 s).
    page.set_default_navigation_timeout(90_000)
    page.watch = PageWatch(page, voila.url)
    yield page
    context.close()
