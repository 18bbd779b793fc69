"""A cell that fails shows a participant a calm line, never a traceback; the server logs it."""
from __future__ import annotations

import pytest

from kit_browser import VoilaServer, wait_ready

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def broken_voila(tmp_path_factory):
    server = VoilaServer(tmp_path_factory.mktemp("broken") / "voila.log", folder="tests/pages/").start()
    yield server
    server.stop()


def test_failing_cell_shows_a_calm_message(chromium, broken_voila):
    context = chromium.new_context()
    page = context.new_page()
    page.goto(broken_voila.page_url("broken.ipynb"))
    wait_ready(page)
    text = page.inner_text("#rendered_cells")
    assert "could not be shown" in text and "carry on" in text
    for leak in ("There was an error when executing", "Traceback", "ZeroDivisionError", "kit-test-failure", "do-not-show", "--show_tracebacks"):
        assert leak not in text
    assert "after the failure" in text, "the rest of the page still runs"
    assert page.locator("#kit-exit").is_visible()
    context.close()
    assert "kit-test-failure" in broken_voila.log_path.read_text(), "the error goes to the server log"
