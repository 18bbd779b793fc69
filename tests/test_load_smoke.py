"""A small room against one server: the smoke version of bench/bench_room.py.

Six participants open figure pages at the same moment -- one real Chromium page and five
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

from kit_browser import CANVAS_HASH, ROOT, VoilaServer, preheated_pages, wait_ready

sys.path.insert(0, str(ROOT / "bench"))
from bench_room import (FIGURE_STEPS, Participant, kernel_pids, wait_preheated,  # noqa: E402
                        xsrf_cookie)

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

MOVES = 3


@pytest.fixture(scope="module")
def room_server(tmp_path_factory):
    """A server of its own, so that its kernels can be counted."""
    log = tmp_path_factory.mktemp("room") / "voila.log"
    server = VoilaServer(log).start()
    server.connection_dir = re.search(r"connection files in (\S+?)\.?$", log.read_text(), re.M).group(1)
    yield server
    server.stop()


async def protocol_room(server, spots):
    """Open every page at once, then move each page's slider MOVES times."""
    xsrf = await xsrf_cookie(server)
    people = [Participant(server, nb, xsrf, f"step={step}", legacy=legacy) for nb, step, legacy in spots]
    opened = await asyncio.gather(*(p.open() for p in people), return_exceptions=True)
    sliders = await asyncio.gather(*(p.attach_widgets(timeout=90) for p, o in zip(people, opened)
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
    spots = [(nb, step, i == 1) for i, (nb, step) in enumerate(FIGURE_STEPS)]  # one legacy client
    with ThreadPoolExecutor(1) as pool:  # Playwright's sync API keeps a loop in this thread
        room = pool.submit(asyncio.run, protocol_room(room_server, spots))

        context = chromium.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        nb, step = FIGURE_STEPS[0]
        page.goto(room_server.page_url(nb, f"step={step}"), wait_until="commit", timeout=180_000)
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

    # everyone left: no kernels but the preheated pool (at most one per page and pool slot;
    # the reading pages get none)
    preheated = preheated_pages()
    pool = len(preheated) * int(os.environ.get("BONDLAB_POOL_SIZE", "1"))
    deadline = time.monotonic() + 30
    while len(kernel_pids(room_server.connection_dir)) > pool and time.monotonic() < deadline:
        time.sleep(0.5)
    kernels = len(kernel_pids(room_server.connection_dir))
    assert kernels <= pool, f"{kernels} kernels after everyone left; the pool is {pool}"

    # the start page's kernel was preheated first (server.preheat.start_page_first), then
    # every page a room opens, and no reading page
    wait_preheated(room_server, cap=120)
    filled = re.findall(r"Kernel pool of (\S+) is filled", room_server.log_path.read_text())
    assert filled and filled[0] == "00_start.ipynb", filled
    assert set(filled) == set(preheated), f"pools filled: {filled}; expected {preheated}"
    print(f"small room: {len(spots) + 1} pages, {MOVES} moves each, "
          f"{time.monotonic() - t0:.0f} s, {kernels} kernels left (pool {pool})")
