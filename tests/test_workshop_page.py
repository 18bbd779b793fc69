"""The one workshop page from Python: moving across module ends, the address (hostile values
too), links kept inside the page, and a page built before its request arrives."""
from __future__ import annotations

import asyncio
import json
import os
import threading
from pathlib import Path

import pytest

from workshop.content import load_module, module_ids
from kit_browser import in_own_thread, run_fresh
from widgets import common
from widgets.workshop_page import (WorkshopPage, _canvases, in_page_links, parse_place,
                                    show_workshop)

IDS = module_ids()
NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "index.ipynb"
TOPIC = ("abuse", "trauma", "bond", "pull", "withdrawal", "reward", "cycle", "intermittent",
         "tolerance", "moving", "start")


@pytest.fixture(autouse=True)
def _no_query():
    common.set_query_string("")
    yield
    common.set_query_string(None)
    common._WAITING = None
    common._ARRIVED.clear()


def test_next_runs_across_every_module_and_back_returns():
    page = WorkshopPage(mode="participant")
    seen = [page.place]
    while not page.next_button.disabled:
        page.next_button.click()
        seen.append(page.place)
    steps = [len(load_module(m).steps) for m in IDS]
    assert len(seen) == sum(steps)  # every step of every module, once
    assert seen[steps[0]] == "m=1&s=1" and page.place == f"m=6&s={steps[6]}"
    assert page.next_button.tooltip == "This is the end of the workshop"
    page.go_to("m=2&s=1")
    assert page.back_button.description == "Previous module"
    page.back_button.click()
    assert page.place == f"m=1&s={steps[1]}" and page.next_button.description == "Next module"
    assert page.progress_text == f"Module 1 of 6 · Step {steps[1]} of {steps[1]}"
    for place in seen:  # the address and the signal carry numbers only
        assert not any(word in place for word in TOPIC)


def _live_canvases():
    from ipywidgets.widgets.widget import _instances
    return [m for m in _instances.values() if type(m).__name__ == "Canvas"]


def test_figures_of_modules_left_behind_are_released_and_notes_kept():
    in_own_thread(_release_and_keep)  # no loop running: nothing is built ahead meanwhile


def _release_and_keep():
    page = WorkshopPage(mode="participant")
    page.go_to("m=1&s=5")  # module 1's reflection: a typed note
    box = page.view.children[0].stepper.content.children[0]
    notes = [x for x in _walk(box) if type(x).__name__ == "Textarea"]
    notes[0].value = "a quiet note"
    before = len(_live_canvases())
    for mid in IDS[2:]:  # every step of modules 2 to 6
        for s in range(1, len(load_module(mid).steps) + 1):
            page.go_to(f"m={int(mid[:2])}&s={s}")
    shown = len([c for c in _walk(page.view) if type(c).__name__ == "Canvas"])
    # only the module on screen keeps figures (module 6 has none); the others were closed
    assert len(_live_canvases()) - before == shown == 0
    page.go_to("m=1&s=5")
    assert page.view.children[0].stepper.content.children[0] is box  # the note is still there
    assert notes[0].value == "a quiet note"
    page.go_to("m=2&s=1")
    assert len(_live_canvases()) - before == 1  # built again on return


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


@pytest.mark.parametrize("query, place", [
    ("m=2&s=3", ("02_consistent_vs_intermittent", 3)), ("m=0", ("00_start", None)),
    ("m=sources", ("sources", None)), ("room=ABCD", ("room", None)),
    ("m=7", (None, None)), ("m=-1&s=2", (None, None)), ("s=2", (None, 2)), ("m=<script>&s=1e9", (None, None)),
    ("m=" + "9" * 5000, (None, None)), ("s=%00", (None, None))])
def test_place_from_the_address(query, place):
    from urllib.parse import parse_qs
    assert parse_place(parse_qs(query), IDS) == place


@pytest.mark.parametrize("query, expected", [
    ("m=2&s=3", "m=2&s=3"), ("m=2&s=999", "m=2&s=6"), ("m=99&s=2", "m=0&s=1"),
    ("m=guide", "m=guide"), ("m=abc&mode=<b>", "m=0&s=1")])
def test_the_address_opens_that_place(query, expected):
    common.set_query_string(query)
    page = WorkshopPage()
    assert page.place == expected and page.mode == "participant"


def test_the_browser_cannot_send_anything_but_a_place():
    page = WorkshopPage(mode="participant")
    for junk in ("m=__import__('os')", "m=3&s=abc", "x" * 10_000, "m=../../etc"):
        page.inbox.value = junk
        assert page.inbox.value == ""  # taken, then cleared for the next link
    assert page.place == "m=3&s=1"  # only the one valid place was followed
    assert "could not update" not in page.status.value


def test_links_stay_inside_the_page_and_keep_the_mode():
    page = WorkshopPage(mode="facilitator")
    header = page.built[IDS[0]].header.value
    assert 'href="?m=2&amp;mode=facilitator" data-kit-go="m=2"' in header
    assert ".ipynb" not in header
    # a link naming another mode loads the page in that mode (no data-kit-go)
    assert in_page_links('<a href="01_a.ipynb?mode=lecture">', "facilitator") == \
        '<a href="?m=1&amp;mode=lecture">'
    assert in_page_links('<a href="class_experiment.ipynb?mode=facilitator">', "facilitator") == \
        '<a href="?m=room&amp;mode=facilitator" data-kit-go="m=room">'


def test_page_is_built_before_its_request_and_follows_the_address(monkeypatch):
    """In a preheated kernel: shown at once, the mode and place applied when they come."""
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "test-kernel")
    common.set_query_string(None)
    request = threading.Event()

    def the_request_comes_later():
        assert request.wait(30)
        return "m=2&s=3&mode=lecture"

    monkeypatch.setattr(common, "_read_query_string", the_request_comes_later)

    async def kernel():
        page = show_workshop()
        assert page.place == "m=0&s=1" and page.mode == "participant" and not page._known
        for _ in range(60):  # a page asked for at once is not kept behind modules built ahead
            await asyncio.sleep(0)
        assert set(page.built) == {IDS[0]}
        for _ in range(400):  # then, before the request: every module, between other work
            if set(page.built) == set(IDS):
                break
            await asyncio.sleep(0.05)
        assert set(page.built) == set(IDS)
        page.built_for_participants = list(page.built.values())
        request.set()
        for _ in range(600):
            if page._known:
                break
            await asyncio.sleep(0.05)
        return page

    page = run_fresh(kernel())
    assert page.place == "m=2&s=3" and page.mode == "lecture"
    assert "For lecture and study" in str(page.view.children[0].stepper.content.children[0].children)
    assert set(page.built) == {IDS[2]}  # what was built for participants was rebuilt
    # ... and closed: none of its widgets is left in the kernel or the page
    assert all(old.comm is None for old in page.built_for_participants)
    assert all(canvas.comm is None for old in page.built_for_participants
               for canvas in _canvases(old))


def test_notebook_is_thin_neutral_and_clean():
    nb = json.loads(NOTEBOOK.read_text())
    assert nb["metadata"]["title"] == "Notes"
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert code == ["from widgets.workshop_page import show_workshop\nshow_workshop()"]
    assert all(c.get("outputs", []) == [] for c in nb["cells"])
    assert not any(word in NOTEBOOK.name for word in TOPIC)


def test_facilitator_page_says_how_many_pages_are_ready(tmp_path, monkeypatch):
    """The server's pool count (server/preheat.py writes it) on the facilitator's page only,
    and nothing when no server is keeping a pool (or the file is not the server's)."""
    from workshop import room

    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path))
    assert WorkshopPage(mode="facilitator").room_ready.layout.display == "none"
    room.write_ready(28, 30)
    page = WorkshopPage(mode="facilitator")
    assert page.room_ready.layout.display is None
    assert "Room ready: 28 of 30 pages" in page.room_ready.value
    assert WorkshopPage(mode="participant").room_ready.layout.display == "none"
    room.write_ready(30, 30)
    page._say_room_ready()
    assert "Room ready: 30 of 30 pages</p>" in page.room_ready.value
    for junk in ('{"ready": 31, "of": 30, "pid": %d}' % os.getpid(), "not json",
                 '{"ready": 3, "of": 30, "pid": 999999999}'):
        room.ready_path().write_text(junk)
        assert room.read_ready() is None, junk
    room.write_ready(None, 30)  # the server stops
    assert not room.ready_path().exists()
