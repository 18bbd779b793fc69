"""A small room against one server: the smoke version of bench/bench_room.py.

Six participants open the workshop page at figure steps at the same moment (a server kept
ready for a room of three: ``BONDLAB_ROOM=3``) -- one real Chromium page and five
protocol-level clients that talk to the kernel websocket as the page does (one of them on
the older websocket protocol, which froze the whole server before server/voila_fixes.py's
``fix_binary_frames``) -- every page must become interactive, every slider move must bring
its new figure, and once everyone has left the server must hold no more kernels than the
preheated pool. The full room (bursts of 30, slider latency, a day of visits) is
``make bench-room``.
"""
from __future__ import annotations

import asyncio
import os
import re
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kit_browser import CANVAS_HASH, ROOT, VoilaServer, wait_ready

sys.path.insert(0, str(ROOT / "bench"))
from bench_room import (FIGURE_STEPS, Participant, kernel_pids, wait_room_ready,  # noqa: E402
                        xsrf_cookie)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

MOVES = 3
ROOM = 3


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    """A server of its own, so that its kernels can be counted."""
    log = tmp_path_factory.mktemp("room") / "voila.log"
    server = VoilaServer(log, extra_env={"BONDLAB_ROOM": str(ROOM)}).start()
    server.connection_dir = re.search(r"connection files in (\S+?)\.?$", log.read_text(), re.M).group(1)
    yield server
    server.stop()


async def protocol_room(server, spots):
    """Open every page at once, then move each page's slider MOVES times."""
    xsrf = await xsrf_cookie(server)
    people = [Participant(server, nb, xsrf, query, legacy=legacy) for nb, query, legacy in spots]
    opened = await asyncio.gather(*(p.open() for p in people), return_exceptions=True)
    sliders = await asyncio.gather(*(p.attach_widgets(timeout=90, place=p.query)
                                     for p, o in zip(people, opened)
                                     if not isinstance(o, Exception)), return_exceptions=True)

    async def wiggle(p, found):
        model, state = found[0]
        step = state.get("step") or 1
        values = [state["value"] + step if state["value"] + step <= state["max"] else state["value"] - step,
                  state["value"]]
        return [await p.move(model, values[i % 2], timeout=60) for i in range(MOVES)]

    ready = [(p, s) for p, s in zip([p for p, o in zip(people, opened) if not isinstance(o, Exception)], sliders)
             if not isinstance(s, Exception) and s]
    moves = await asyncio.gather(*(wiggle(p, s) for p, s in ready))
    await asyncio.gather(*(p.leave() for p in people if p.kernel), return_exceptions=True)
    return {"opened": opened, "sliders": sliders, "moves": moves,
            "closed": [p.closed_reason for p in people if p.closed_reason]}


def test_a_small_room_opens_moves_sliders_and_leaves(room_server, chromium):
    t0 = time.monotonic()
    wait_room_ready(room_server, ROOM, cap=240)
    spots = [(nb, q, i == 1) for i, (nb, q) in enumerate(FIGURE_STEPS)]  # one legacy client
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps a loop in this thread
        room = pool.submit(asyncio.run, protocol_room(room_server, spots))

        context = chromium.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        nb, query = FIGURE_STEPS[0]
        page.goto(room_server.page_url(nb, query), wait_until="commit", timeout=180_000)
        wait_ready(page, 180_000)
        page.wait_for_selector(".bondlab-figure canvas", timeout=60_000)
        page.focus(".bondlab-panel .noUi-handle")
        for key in ["ArrowRight", "ArrowLeft"][:MOVES]:
            before = page.evaluate(CANVAS_HASH, ".bondlab-figure")
            page.keyboard.press(key)
            page.wait_for_function(f"([s, h]) => ({CANVAS_HASH})(s) !== h",
                                   arg=[".bondlab-figure", before], timeout=60_000)
        page.goto("about:blank")  # the page's shutdown request on leaving
        context.close()
        result = room.result(timeout=240)

    failed = [repr(o) for o in result["opened"] if isinstance(o, Exception)]
    assert not failed, f"pages that never became interactive: {failed}"
    no_slider = [repr(s)[:200] for s in result["sliders"] if isinstance(s, Exception) or not s]
    assert not no_slider, f"pages without a slider or first figure: {no_slider}"
    assert len(result["moves"]) == len(spots)
    lost = [(spots[i][0], m) for i, m in enumerate(result["moves"]) if None in m]
    assert not lost, f"slider moves whose figure never came (None): {lost}"
    assert not result["closed"], result["closed"]
    # no cell's output was dropped for coming late (a page with the shell and nothing else)
    assert "Timeout waiting for IOPub output" not in room_server.log_path.read_text()

    # everyone left: no kernels but the ready pool, refilled one page at a time once quiet
    deadline = time.monotonic() + 30
    while len(kernel_pids(room_server.connection_dir)) > ROOM and time.monotonic() < deadline:
        time.sleep(0.5)
    kernels = len(kernel_pids(room_server.connection_dir))
    assert kernels <= ROOM, f"{kernels} kernels after everyone left; the pool is {ROOM}"
    wait_room_ready(room_server, ROOM, cap=240)
    log = room_server.log_path.read_text()
    said = [int(n) for n in re.findall(rf"room ready: (\d+) of {ROOM}", log)]
    assert said[-1] == ROOM, said
    rising = [b - a for a, b in zip(said, said[1:]) if b > a]
    assert rising and set(rising) == {1}, f"the pool must refill one page at a time: {said}"
    # only the workshop page is preheated
    assert set(re.findall(r"Kernel pool of (\S+) is filled", log)) == {"index.ipynb"}
    print(f"small room: {len(spots) + 1} pages, {MOVES} moves each, "
          f"{time.monotonic() - t0:.0f} s, {kernels} kernels left (pool {ROOM})")
