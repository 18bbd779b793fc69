"""The public self-paced configuration (hub/public_bondlab.py), served by a real JupyterHub.

As it is, with a short visit and room for one visitor: a visitor gets a temporary account with
no sign-up and lands on the workshop page; the next one is asked to try again; the idle culler
ends the visit and nothing of it is kept; then the next visitor gets in.
"""
from __future__ import annotations

import re
import time
from urllib.parse import urlparse

import pytest

from kit_hub import EXIT_URL, check_workshop_page, hub_for_tests

VISIT_SECONDS = 30


@pytest.fixture(scope="module")
def public_hub(tmp_path_factory):
    visits = tmp_path_factory.mktemp("visits")
    hub = hub_for_tests(tmp_path_factory.mktemp("public-hub"), "public_bondlab.py",
                        BONDLAB_VISITS_DIR=visits, BONDLAB_VISIT_IDLE_SECONDS=VISIT_SECONDS,
                        BONDLAB_MAX_VISITORS=1)
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
    check_workshop_page(first, name)
    assert re.fullmatch(r"[0-9a-f-]{36}", name)  # a temporary account, named at random
    assert (hub.visits / name).is_dir()
    # The site is full (one server here): the next visitor is asked to come back.
    waiting = hub.login()
    refused = hub.open_workshop(waiting)
    assert refused.status_code == 429 and "try again" in refused.text.lower()
    assert f'data-exit-url="{EXIT_URL}"' in refused.text  # the hub's own page: quick exit too
    # Left idle, the visit ends: server stopped, account deleted, the visit's folder gone.
    deadline = time.monotonic() + VISIT_SECONDS + 120
    while hub.api("GET", f"/users/{name}", hub.token).status_code != 404:
        assert time.monotonic() < deadline, "the idle visit was never culled: " + hub.tail()
        time.sleep(1)
    assert not (hub.visits / name).exists()
    # Now there is room: the waiting visitor gets in.
    second = hub.open_workshop(waiting)
    check_workshop_page(second, _visitor_name(second))
