"""Room benchmark: a room of participants opening pages at once, moving sliders, leaving.

Starts the kit's Voila (as `make workshop` does) and drives it as a room would, in phases:

Everyone opens the one workshop page (``notebooks/index.ipynb``), kept ready for the room
(``BONDLAB_ROOM=--room``). Phases:

0. **first** -- the first page after start-up, opened the moment the server answers.
1. **bursts** -- ``--bursts`` times, ``--room`` participants open a deep link to a figure step
   (``?m=2&s=1`` ...) at the same moment, then leave; each burst waits until the pool is
   ready again. ``--browsers`` of them are Chromium pages. A page counts as interactive
   when its figure's first image has arrived (protocol clients) or is drawn (Chromium).
   Time to interactive (TTI), pages per second, kernel memory, pages stuck or failed.
2. **moves** -- ``--room`` participants on a module's last step press Next at the same
   moment: seconds until the next module's figure is on screen.
3. **slider** -- for each size in ``--slider-rooms`` (1 is a baseline: the same outside load,
   nobody else in the room): that many participants open a module
   step with a figure and each moves a slider every ``--slider-period`` seconds for
   ``--slider-seconds``; ``--browsers`` of them are real headless Chromium pages (key press
   on the slider, figure pixels change), the rest protocol-level clients. Slider-to-figure
   time: protocol client, from sending the slider's new value to receiving the figure's new
   image; Chromium, from keydown to the first animation frame with new canvas pixels.
4. **memory** -- one Chromium participant walks every step of every module; the kernel's
   memory afterwards (the page keeps the modules it has left).
5. **follow** -- a facilitator's page leads the room (widgets/follow.py) and ``--room``
   followers follow it (``--browsers`` of them Chromium pages, the rest protocol clients
   that also show each new figure, as a page does); the facilitator presses Next
   ``--follow-moves`` times: seconds from the click to each follower showing the new step
   (goal p95 < 3 s), and what following costs a follower's kernel while nobody moves.
6. **day** -- ``--day-opens`` page opens and closes spread over time (a rolling room, some
   participants vanish without closing their page, as a closed laptop does), then the
   kernels the server still holds, against open pages plus the ready pool.

Protocol-level clients talk to Voila exactly as the page does (compare a browser's own
frames: Playwright ``page.on("websocket")``): the kernel websocket with the
``v1.kernel.websocket.jupyter.org`` subprotocol, the ipywidgets control comm
(``request_states``), the figure canvas's ``refresh``/``send_image_mode``/``initialized``,
the slider's ``{"method": "update", "state": {"value": ...}, "buffer_paths": []}``, and
ipympl's draw round trip (the kernel asks for a drawing with ``{"type": "draw"}``, the page
answers ``draw`` unless it is already waiting for an image, the image arrives as a binary
``comm_msg``). A client on the older protocol froze the whole server (server/voila_fixes.py).

Prints pages per second, TTI percentiles, memory per participant, slider p50/p95, kernels
left, and the largest room this machine holds within the goals (every page interactive,
slider p95 < 500 ms, memory). Loopback only; every wait is bounded.

    python bench/bench_room.py [--bursts 20] [--room 30] [--slider-rooms 1,10,20,30]
                               [--browsers 3] [--day-opens 200]
                               [--phases first,bursts,moves,slider,memory,follow,day]
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from jupyter_server.services.kernels.connection.base import (deserialize_msg_from_ws_v1,
                                                             serialize_msg_to_ws_v1)
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from kit_browser import CHROMIUM, CHROMIUM_ARGS, PIXEL_HASH, READY_JS, VoilaServer  # noqa: E402

V1 = "v1.kernel.websocket.jupyter.org"
SLIDERS = {"IntSliderModel", "FloatSliderModel"}
CANVAS = "MPLCanvasModel"
#: The one workshop page (server.preheat.WORKSHOP_PAGE) every participant opens.
PAGE = "index.ipynb"
#: The components whose step shows a figure driven by sliders.
FIGURES = {"schedule_explorer", "attachment_figure", "cycle_timeline", "opponent_playground",
           "leaving_simulator"}


def _places():
    """From the module texts, so that a step added to a module cannot point these elsewhere:
    each module's first figure step (module 2's first: it opens with its figure), and each
    module's last step whose Next leads into a module that opens with a figure."""
    from workshop.content import load_module, module_ids

    steps = {int(mid[:2]): load_module(mid).steps for mid in module_ids() if mid[:2] != "00"}
    first = {n: next((j for j, st in enumerate(st_list, 1) if st.interactive in FIGURES), None)
             for n, st_list in steps.items()}
    figure = [(PAGE, f"m={n}&s={first[n]}") for n in sorted(first, key=lambda n: n != 2)
              if first[n] is not None]
    ends = [(f"m={n}&s={len(steps[n])}", f"m={n + 1}&s=1") for n in sorted(steps)
            if first.get(n + 1) == 1]
    return figure, ends


#: Places in it whose one interactive is a figure driven by sliders (page, query).
#: Last steps whose Next leads to a module that opens with a figure (query, next place).
FIGURE_STEPS, MODULE_ENDS = _places()
PLACE = re.compile(r'data-place="([^"]*)"')
GOAL_P95 = 0.5  # seconds, slider to figure


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] if values else float("nan")


def kernel_pids(connection_dir: str) -> dict[str, int]:
    """Kernels of this Voila only (their connection files are in its own folder)."""
    pids = {}
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        m = re.search(re.escape(connection_dir) + r"/kernel-([0-9a-f-]{36})\.json", cmd)
        if m and "ipykernel" in cmd:
            pids[m.group(1)] = int(proc.name)
    return pids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def mem_available_mb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemAvailable:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_times() -> np.ndarray:
    """This machine's CPU time so far (/proc/stat): busy, idle, and stolen by the host
    (a shared virtual machine: other tenants' work shows as steal)."""
    f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    user, nice, system, idle, iowait, irq, softirq, steal = f
    return np.array([user + nice + system + irq + softirq, idle + iowait, steal], float)


def legacy_frame(raw):
    """(header, parent_header, content, buffers) of a frame in the older protocol: JSON
    text, or for a message with buffers a big-endian count and offsets, JSON, buffers."""
    if isinstance(raw, str):
        msg, buffers = json.loads(raw), []
    else:
        n = int.from_bytes(raw[:4], "big")
        offsets = [int.from_bytes(raw[4 * (i + 1):4 * (i + 2)], "big") for i in range(n)] + [len(raw)]
        msg = json.loads(raw[offsets[0]:offsets[1]])
        buffers = [raw[offsets[i]:offsets[i + 1]] for i in range(1, n)]
    return msg["header"], msg["parent_header"], msg["content"], buffers


class Participant:
    """One browser tab, at the protocol level: open the page, reach its kernel, move a
    slider, leave. Speaks the kernel websocket protocol v1, as the page does."""

    def __init__(self, server: VoilaServer, notebook: str, xsrf: str, query: str = "",
                 legacy: bool = False):
        self.server, self.notebook, self.xsrf, self.query = server, notebook, xsrf, query
        self.legacy = legacy  # the older protocol (JSON text, legacy binary frames): tests only
        self.session = uuid.uuid4().hex
        self.kernel = None
        self.ws = None
        self.pending: dict[str, asyncio.Future] = {}
        self.states: asyncio.Future | None = None
        self.canvases: set[str] = set()
        self.root = None          # the page's root widget (its output in the HTML)
        self.place = None         # where the one page is (its hidden place signal)
        self.place_changed: asyncio.Event | None = None
        self.waiting_for_image: dict[str, bool] = {}
        self.images = 0
        self.image_waiters: list[asyncio.Future] = []
        self.closed_reason = None

    async def open(self) -> float:
        t0 = time.perf_counter()
        resp = await AsyncHTTPClient().fetch(self.server.page_url(self.notebook, self.query),
                                             request_timeout=600)
        html = resp.body.decode()
        if "</html>" not in html:
            raise RuntimeError(f"{self.notebook}: page never finished")
        self.kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', html).group(1)
        root = re.search(r'"model_id": "([0-9a-f]{32})"', html)
        self.root = root.group(1) if root else None
        self.place_changed = asyncio.Event()
        url = (self.server.url.replace("http", "ws")
               + f"/api/kernels/{self.kernel}/channels?session_id={self.session}")
        # a loaded server can take more than tornado's default 20 s to answer the handshake
        self.ws = await websocket_connect(HTTPRequest(url, connect_timeout=300, request_timeout=300),
                                          subprotocols=[] if self.legacy else [V1],
                                          max_message_size=64 << 20)
        if self.ws.selected_subprotocol != (None if self.legacy else V1):
            raise RuntimeError(f"server chose {self.ws.selected_subprotocol!r}, not {V1}")
        self.reader = asyncio.ensure_future(self._read())
        await self.request("shell", "kernel_info_request", {})
        return time.perf_counter() - t0

    def send(self, channel, msg_type, content, metadata=None) -> str:
        msg_id = uuid.uuid4().hex
        header = {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                  "username": "bench", "version": "5.3",
                  "date": datetime.now(timezone.utc).isoformat()}
        if self.legacy:
            self.ws.write_message(json.dumps({"header": header, "parent_header": {}, "channel": channel,
                                              "metadata": metadata or {}, "content": content}))
            return msg_id
        parts = [json.dumps(p).encode() for p in (header, {}, metadata or {}, content)]
        self.ws.write_message(serialize_msg_to_ws_v1(parts, channel), binary=True)
        return msg_id

    async def request(self, channel, msg_type, content, timeout=120):
        fut = asyncio.get_running_loop().create_future()
        msg_id = self.send(channel, msg_type, content)
        self.pending[msg_id] = fut
        return await asyncio.wait_for(fut, timeout)

    def comm(self, comm_id, data, metadata=None):
        self.send("shell", "comm_msg", {"comm_id": comm_id, "data": data}, metadata)

    async def _read(self):
        try:
            while True:
                raw = await self.ws.read_message()
                if raw is None:
                    self.closed_reason = f"websocket closed ({self.ws.close_code} {self.ws.close_reason})"
                    return
                if self.legacy:
                    header, parent, content, buffers = legacy_frame(raw)
                    parts = [None] * 4 + buffers
                else:
                    channel, parts = deserialize_msg_from_ws_v1(raw)
                    header, parent, content = (json.loads(parts[i]) for i in (0, 1, 3))
                mtype = header.get("msg_type", "")
                if mtype.endswith("_reply") and parent.get("msg_id") in self.pending:
                    fut = self.pending.pop(parent["msg_id"])
                    if not fut.done():
                        fut.set_result(content)
                elif mtype == "comm_msg":
                    self._on_comm(content, parts[4:])
                elif mtype == "comm_open":
                    self._on_open(content)
        except Exception as error:  # noqa: BLE001 -- a bench client must say why it stopped
            self.closed_reason = f"stopped reading: {error!r}"
            print(f"client for {self.notebook} {self.closed_reason}", file=sys.stderr)

    def _on_open(self, content):
        """A widget model the kernel just made (a Follower shows its figure, as a page does)."""

    def _on_comm(self, content, buffers):
        comm_id, data = content.get("comm_id"), content.get("data", {})
        method = data.get("method")
        value = data.get("state", {}).get("value") if method == "update" else None
        if isinstance(value, str) and "data-place" in value:
            self.place = PLACE.search(value).group(1).replace("&amp;", "&")
            self.place_changed.set()
        if method == "update_states" and self.states is not None and not self.states.done():
            self.states.set_result(data.get("states", {}))
        elif method == "custom" and comm_id in self.canvases:
            try:
                kind = json.loads(data.get("content", {}).get("data", "{}")).get("type")
            except (TypeError, ValueError):
                return
            if kind == "draw" and not self.waiting_for_image.get(comm_id):
                # what the page does: ask for the drawing, once, until the image arrives
                self.waiting_for_image[comm_id] = True
                self.comm(comm_id, {"method": "custom", "content": {"type": "draw"}})
            elif kind == "binary" and buffers:
                self.waiting_for_image[comm_id] = False
                self.images += 1
                now = time.perf_counter()
                for fut in self.image_waiters:
                    if not fut.done():
                        fut.set_result(now)
                self.image_waiters.clear()

    def next_image(self) -> asyncio.Future:
        fut = asyncio.get_running_loop().create_future()
        self.image_waiters.append(fut)
        return fut

    async def fetch_states(self, timeout=120) -> dict:
        """Every model's state, through the control comm (what the page's widget manager
        does once when it connects)."""
        control = str(uuid.uuid4())
        self.states = asyncio.get_running_loop().create_future()
        # ipywidgets 8 refuses a control comm without its protocol version
        self.send("shell", "comm_open", {"comm_id": control, "target_name": "jupyter.widget.control",
                                         "data": {}}, metadata={"version": "1.0.0"})
        self.comm(control, {"method": "request_states"}, metadata={"version": "1.0.0"})
        states = await asyncio.wait_for(self.states, timeout)
        self.send("shell", "comm_close", {"comm_id": control, "data": {}})
        for s in states.values():
            value = s.get("state", {}).get("value")
            if isinstance(value, str) and "data-place" in value:
                self.place = PLACE.search(value).group(1).replace("&amp;", "&")
        return states

    def shown(self, states) -> dict:
        """The models on screen: the page's root and its children, recursively (a browser
        makes views of these only; modules built ahead but not shown have none)."""
        if self.root is None or self.root not in states:
            return states
        out, stack = {}, [self.root]
        while stack:
            mid = stack.pop()
            if mid in out or mid not in states:
                continue
            out[mid] = states[mid]
            kids = states[mid].get("state", {}).get("children") or []
            stack += [k[len("IPY_MODEL_"):] for k in kids if isinstance(k, str)]
        return out

    async def wait_place(self, place, timeout=120):
        """Until the one page shows ``place`` (it applies the address after the request)."""
        end = time.perf_counter() + timeout
        while self.place != place:
            self.place_changed.clear()
            await asyncio.wait_for(self.place_changed.wait(), max(0.1, end - time.perf_counter()))

    async def attach_widgets(self, timeout=120, place=None) -> list[tuple[str, dict]]:
        """What the page does: fetch every model's state, then show each figure canvas on
        screen and wait for its first image. With ``place``, first wait until the page
        shows it. Returns the sliders on screen."""
        states = await self.fetch_states(timeout)
        if place is not None and self.place != place:
            await self.wait_place(place, timeout)
            states = await self.fetch_states(timeout)
        return await self.show_figures(states, timeout)

    async def show_figures(self, states, timeout=120):
        shown = self.shown(states)
        first_image = self.next_image()
        new = [m for m, s in shown.items() if s.get("state", {}).get("_model_name") == CANVAS
               and m not in self.canvases]
        for model_id in new:
            self.canvases.add(model_id)
            for kind in ("refresh", "send_image_mode", "initialized"):
                self.comm(model_id, {"method": "custom", "content": {"type": kind}})
        if new:
            await asyncio.wait_for(first_image, timeout)
        return [(mid, s["state"]) for mid, s in shown.items()
                if s.get("state", {}).get("_model_name") in SLIDERS
                and not s["state"].get("disabled")]

    async def next_module(self, timeout=120) -> tuple[float, float]:
        """Press Next on a module's last step: seconds until the page says it moved, and
        until the next module's figure is on screen."""
        states = self.shown(await self.fetch_states(timeout))
        button = next(m for m, s in states.items()
                      if s.get("state", {}).get("_model_name") == "ButtonModel"
                      and s["state"].get("description") == "Next module")
        before = self.place
        t0 = time.perf_counter()
        self.comm(button, {"method": "custom", "content": {"event": "click"}})
        while self.place == before:
            self.place_changed.clear()
            await asyncio.wait_for(self.place_changed.wait(), timeout)
        moved = time.perf_counter() - t0
        await self.show_figures(await self.fetch_states(timeout), timeout)
        return moved, time.perf_counter() - t0

    async def move(self, model_id: str, value, timeout=30) -> float | None:
        """Send the slider's new value as the page does; seconds until the new figure."""
        fut = self.next_image()
        t0 = time.perf_counter()
        self.comm(model_id, {"method": "update", "state": {"value": value}, "buffer_paths": []})
        try:
            return await asyncio.wait_for(fut, timeout) - t0
        except asyncio.TimeoutError:
            return None

    async def leave(self, beacon: bool = True):
        if self.ws:
            self.ws.close()
            self.reader.cancel()
        if beacon and self.kernel:  # the page's shutdown request on leaving
            req = HTTPRequest(f"{self.server.url}/voila/api/shutdown/{self.kernel}", method="POST",
                              body="", headers={"Cookie": f"_xsrf={self.xsrf}", "X-XSRFToken": self.xsrf})
            await AsyncHTTPClient().fetch(req, raise_error=False)


async def xsrf_cookie(server) -> str:
    resp = await AsyncHTTPClient().fetch(server.url + "/voila/tree", follow_redirects=False,
                                         raise_error=False)
    for header in resp.headers.get_list("Set-Cookie"):
        if header.startswith("_xsrf="):
            return header.split(";")[0].split("=", 1)[1]
    raise RuntimeError("no _xsrf cookie")


# --------------------------------------------------------------------------- phase 1: bursts

# A Chromium page's figure is drawn: its canvas has pixels (a blank canvas hashes to 0).
FIGURE_DRAWN_JS = f"""() => {{
  const c = document.querySelector('.bondlab-workshop .bondlab-figure canvas');
  return !!c && c.width > 0 && c.height > 0 && ({PIXEL_HASH})(c) !== 0;
}}"""


@contextlib.asynccontextmanager
async def chromium(wanted=True):
    """Headless Chromium (Debian's, as in the browser tests) for the phase, or None."""
    if not wanted:
        yield None
        return
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            await browser.close()


async def bursts(server, pages, n_bursts, room, browsers=0):
    """Everyone opens the link at once (a deep link to a figure step); a page counts as
    interactive when its figure's first image has arrived (a protocol client) or is drawn
    on the page (``browsers`` of the room are Chromium pages, opened in browsers already
    running, as a participant's is)."""
    xsrf = await xsrf_cookie(server)
    rows, all_tti, mem_per_page, browser_tti = [], [], [], []

    async def open_with_figure(p):
        t0 = time.perf_counter()
        await p.open()
        await p.attach_widgets(timeout=300, place=p.query)
        return time.perf_counter() - t0

    async def open_in_chromium(page, notebook, query):
        t0 = time.perf_counter()
        await page.goto(server.page_url(notebook, query), wait_until="commit", timeout=300_000)
        await page.wait_for_function(READY_JS, timeout=300_000, polling=100)
        await page.wait_for_function(FIGURE_DRAWN_JS, timeout=300_000, polling=100)
        return time.perf_counter() - t0

    async with chromium(browsers > 0) as browser:
        for b in range(n_bursts):
            wait_room_ready(server, room)
            spots = [FIGURE_STEPS[(b * room + i) % len(FIGURE_STEPS)] for i in range(room)]
            k = min(browsers, room)
            people = [Participant(server, nb, xsrf, q) for nb, q in spots[k:]]
            contexts = [await browser.new_context(viewport={"width": 1200, "height": 900})
                        for _ in range(k)]
            tabs = [await c.new_page() for c in contexts]
            t0 = time.perf_counter()
            results = await asyncio.gather(
                *(open_in_chromium(tab, nb, q) for tab, (nb, q) in zip(tabs, spots)),
                *(open_with_figure(p) for p in people), return_exceptions=True)
            wall = time.perf_counter() - t0
            ok = [r for r in results if isinstance(r, float)]
            in_chromium = [r for r in results[:k] if isinstance(r, float)]
            failed = [repr(r)[:120] for r in results if not isinstance(r, float)]
            pids = kernel_pids(server.connection_dir)
            mem = [rss_mb(pids[p.kernel]) for p in people if p.kernel in pids]
            mem_per_page.append(statistics.median(mem) if mem else float("nan"))
            all_tti += ok
            browser_tti += in_chromium
            rows.append((b + 1, len(ok), len(failed), max(ok) if ok else float("nan"), wall))
            print(f"burst {b + 1:2d}: {len(ok)}/{room} interactive, slowest {max(ok) if ok else float('nan'):5.1f} s"
                  + (f" (Chromium pages: {', '.join(f'{t:.1f}' for t in in_chromium)} s)" if k else "")
                  + f", {room / wall:4.1f} pages/s, kernel RSS median {mem_per_page[-1]:.0f} MB"
                  + (f", FAILED: {failed[:3]}" if failed else ""), flush=True)
            await asyncio.gather(*(p.leave() for p in people if p.kernel), return_exceptions=True)
            for c in contexts:
                await c.close()
            await asyncio.sleep(3)
    return rows, all_tti, mem_per_page, browser_tti


# --------------------------------------------------------------------------- phase 2: sliders

# In a Chromium page: note the keydown time, then poll every animation frame until the
# figure canvas shows different pixels (the same measure as bench/bench_widgets.py).
ARM_JS = """() => {
  const canvas = document.querySelector('.bondlab-figure canvas');
  const hash = () => (""" + PIXEL_HASH + """)(canvas);
  const before = hash();
  window.__room = {t0: null, dt: null};
  document.addEventListener('keydown', () => { window.__room.t0 = performance.now(); },
                            {once: true, capture: true});
  const tick = () => {
    if (window.__room.t0 !== null && hash() !== before) {
      window.__room.dt = (performance.now() - window.__room.t0) / 1000;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


async def browser_participant(browser, server, notebook, query, seconds, period, ready, go,
                              out, lost, kernels):
    """A real Chromium page: open the step, say it is ready, wait for the room's start,
    then press ArrowRight/ArrowLeft on its slider every `period` s for `seconds`."""
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    console = []
    page.on("console", lambda m: console.append(f"{m.type}: {m.text}"[:300]))
    try:
        await page.goto(server.page_url(notebook, query), wait_until="commit", timeout=600_000)
        await page.wait_for_function(READY_JS, timeout=600_000, polling=100)
        try:
            await page.wait_for_selector(".bondlab-figure canvas", timeout=120_000)
        except Exception:
            # what the participant sees instead of the figure, for the log
            shot = Path(f"/tmp/bench_room_nofigure_{uuid.uuid4().hex[:6]}.png")
            await page.screenshot(path=str(shot), full_page=True)
            figure = await page.evaluate(
                "() => (document.querySelector('.bondlab-figure') || document.body)"
                ".outerHTML.slice(0, 1500)")
            print(f"  no figure on {notebook}?{query}: {shot}\n    {figure}\n    console: "
                  f"{console[-8:]}", flush=True)
            raise
        await page.focus(".bondlab-panel .noUi-handle")
        kernels.append(await page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))
        ready.set()
        await go.wait()
        await asyncio.sleep(random.uniform(0, period))
        end = time.perf_counter() + seconds
        i = 0
        while time.perf_counter() < end:
            await page.evaluate(ARM_JS)
            await page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            i += 1
            try:
                await page.wait_for_function("() => window.__room.dt !== null", timeout=30_000,
                                             polling="raf")
                out.append(await page.evaluate("window.__room.dt"))
            except Exception:  # noqa: BLE001 -- a figure that never came is counted
                lost.append(notebook)
            await asyncio.sleep(period)
    finally:
        ready.set()
        await context.close()


async def slider_room(server, n, browsers, seconds, period, browser=None):
    """n participants on figure steps; `browsers` of them in Chromium. Returns latencies."""
    xsrf = await xsrf_cookie(server)
    n_proto = n - browsers
    spots = [FIGURE_STEPS[i % len(FIGURE_STEPS)] for i in range(n)]
    proto, lost, by_page, stamps, kernels_seen = [], [], {}, [], []
    browser_lat, browser_lost = [], []
    go = asyncio.Event()  # everyone starts moving together, once every page is ready
    tasks, readies, browser_kernels = [], [], []
    if browsers and browser is not None:  # the Chromium pages open with everyone else
        for i in range(browsers):
            nb, query = spots[n_proto + i]
            readies.append(asyncio.Event())
            tasks.append(asyncio.ensure_future(browser_participant(
                browser, server, nb, query, seconds, period, readies[-1], go, browser_lat, browser_lost,
                browser_kernels)))
    people = [Participant(server, nb, xsrf, q) for nb, q in spots[:n_proto]]
    t0 = time.perf_counter()
    opened = await asyncio.gather(*(p.open() for p in people), return_exceptions=True)
    failed = [repr(r)[:120] for r in opened if not isinstance(r, float)]
    people = [p for p, r in zip(people, opened) if isinstance(r, float)]
    sliders = await asyncio.gather(*(p.attach_widgets(place=p.query) for p in people),
                                   return_exceptions=True)
    await asyncio.wait_for(asyncio.gather(*(e.wait() for e in readies)), 600)
    print(f"  {len(people)}/{n_proto} protocol clients and {len(readies)} Chromium pages ready in "
          f"{time.perf_counter() - t0:.0f} s" + (f", FAILED: {failed[:3]}" if failed else ""), flush=True)

    async def wiggle(p: Participant, found):
        if isinstance(found, Exception) or not found:
            lost.append(f"{p.notebook}: no slider/figure ({found!r:.80})")
            return
        model, state = found[0]
        low, high, step = state["min"], state["max"], state.get("step") or 1
        values = [state["value"], min(high, state["value"] + step) if state["value"] + step <= high
                  else max(low, state["value"] - step)]
        await go.wait()
        await asyncio.sleep(random.uniform(0, period))
        end = time.perf_counter() + seconds
        i = 1
        while time.perf_counter() < end:
            latency = await p.move(model, values[i % 2])
            i += 1
            if latency is None:
                lost.append(p.notebook)
            else:
                proto.append(latency)
                stamps.append((time.perf_counter() - t1, latency))
                by_page.setdefault(p.notebook, []).append(latency)
            await asyncio.sleep(max(0.0, period - (latency or 0)))

    tasks += [wiggle(p, s) for p, s in zip(people, sliders)]

    room_kernels = {p.kernel for p in people} | set(browser_kernels)

    def server_cpu():  # this room's kernels, and Voila; not the browsers, not the pool filling
        pids = kernel_pids(server.connection_dir)
        return np.array([sum(cpu_seconds(pid) for kid, pid in pids.items() if kid in room_kernels),
                         cpu_seconds(server.proc.pid)])

    async def count_kernels():  # the server's kernels over time (the pool refilling shows)
        while True:
            kernels_seen.append((time.perf_counter() - t1, len(kernel_pids(server.connection_dir))))
            await asyncio.sleep(5)

    t1, cpu0, machine0 = time.perf_counter(), server_cpu(), cpu_times()
    go.set()
    counting = asyncio.ensure_future(count_kernels())
    results = await asyncio.gather(*tasks, return_exceptions=True)
    counting.cancel()
    cpu_kernels, cpu_voila = server_cpu() - cpu0
    busy, idle, steal = cpu_times() - machine0
    for r in results:
        if isinstance(r, Exception):
            lost.append(f"participant failed: {r!r:.120}")
    wall = time.perf_counter() - t1
    await asyncio.gather(*(p.leave() for p in people), return_exceptions=True)
    return {"n": n, "proto": proto, "browser": browser_lat, "lost": lost + browser_lost,
            "by_page": by_page, "wall": wall, "open_failed": failed, "stamps": stamps,
            "kernels_seen": kernels_seen, "steal": steal / max(1.0, busy + idle + steal),
            "cpu_per_move": (cpu_kernels + cpu_voila) / max(1, len(proto) + len(browser_lat)),
            "voila_per_move": cpu_voila / max(1, len(proto) + len(browser_lat))}


def report_slider(r):
    both = r["proto"] + r["browser"]
    line = (f"slider to figure, {r['n']} participants moving a slider every few seconds: "
            f"n={len(both)}, p50 {1000 * pct(both, 50):.0f} ms, p95 {1000 * pct(both, 95):.0f} ms, "
            f"max {1000 * max(both, default=float('nan')):.0f} ms, no figure: {len(r['lost'])}; "
            f"server CPU per move {1000 * r['cpu_per_move']:.0f} ms "
            f"(Voila {1000 * r['voila_per_move']:.0f} ms of it); CPU taken by the host: "
            f"{100 * r['steal']:.0f} %")
    parts = [line]
    if r["browser"]:
        parts.append(f"    Chromium pages: n={len(r['browser'])}, p50 {1000 * pct(r['browser'], 50):.0f} ms, "
                     f"p95 {1000 * pct(r['browser'], 95):.0f} ms; protocol clients: n={len(r['proto'])}, "
                     f"p50 {1000 * pct(r['proto'], 50):.0f} ms, p95 {1000 * pct(r['proto'], 95):.0f} ms")
    for nb, lat in sorted(r["by_page"].items()):
        parts.append(f"    {nb:40s} n={len(lat):3d} p50 {1000 * pct(lat, 50):5.0f} ms  p95 {1000 * pct(lat, 95):5.0f} ms")
    if r["stamps"]:  # protocol clients' latencies over the phase, with the server's kernels
        edges = list(range(0, int(max(t for t, _ in r["stamps"])) + 15, 15))
        cells = []
        for a, b in zip(edges[:-1], edges[1:]):
            lat = [x for t, x in r["stamps"] if a <= t < b]
            k = [n for t, n in r["kernels_seen"] if a <= t < b]
            if lat:
                cells.append(f"{a}-{b} s: p95 {1000 * pct(lat, 95):.0f} ms"
                             + (f" ({max(k)} kernels)" if k else ""))
        parts.append("    over time: " + "; ".join(cells))
    if r["lost"]:
        parts.append(f"    no figure within 30 s: {r['lost'][:5]}")
    return "\n".join(parts)


async def slider_phase(server, rooms, browsers, seconds, period):
    results = []
    async with chromium(browsers > 0) as browser:
        for n in rooms:
            k = min(browsers, n - 1)  # a room of 1 is the baseline: one protocol client
            wait_room_ready(server, n)  # the room opens ready pages, as it would in a session
            print(f"\nslider phase: {n} participants ({k} in Chromium), "
                  f"{seconds:g} s, a move every {period:g} s each, load {os.getloadavg()[0]:.1f}", flush=True)
            r = await slider_room(server, n, k, seconds, period, browser)
            print(report_slider(r), flush=True)
            results.append(r)
            await asyncio.sleep(5)
    return results


# --------------------------------------------------------------------------- phase: moves

async def moves(server, room):
    """``room`` participants on the last step of a module (modules 1-3) press Next at the
    same moment: seconds until each page says it moved, and until the next module's figure
    is on screen."""
    wait_room_ready(server, room)
    xsrf = await xsrf_cookie(server)
    people = [Participant(server, PAGE, xsrf, MODULE_ENDS[i % len(MODULE_ENDS)][0])
              for i in range(room)]
    opened = await asyncio.gather(*(p.open() for p in people), return_exceptions=True)
    people = [p for p, o in zip(people, opened) if isinstance(o, float)]
    await asyncio.gather(*(p.attach_widgets(timeout=300, place=p.query) for p in people))
    await asyncio.sleep(3)
    print(f"  {len(people)}/{room} on a module's last step; everyone presses Next, "
          f"load {os.getloadavg()[0]:.1f}", flush=True)
    results = await asyncio.gather(*(p.next_module() for p in people), return_exceptions=True)
    ok = [r for r in results if isinstance(r, tuple)]
    failed = [repr(r)[:120] for r in results if not isinstance(r, tuple)]
    await asyncio.gather(*(p.leave() for p in people), return_exceptions=True)
    return {"moved": [m for m, _ in ok], "figure": [f for _, f in ok], "failed": failed,
            "n": room}


def report_moves(r):
    f, m = r["figure"], r["moved"]
    return (f"{r['n']} move to the next module at once: new figure on screen p50 "
            f"{pct(f, 50):.2f} s, p95 {pct(f, 95):.2f} s, max {max(f, default=float('nan')):.2f} s "
            f"(page says it moved: p95 {pct(m, 95):.2f} s); failed: {len(r['failed'])} {r['failed'][:2]}")


# --------------------------------------------------------------------------- phase: follow

class Follower(Participant):
    """A participant's page that follows the facilitator (widgets/follow.py): it notes when
    each new place arrived (wall clock, comparable with the facilitator's click) and shows
    each figure canvas the kernel makes, as a browser shows the new step's figure."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.arrived: list[tuple[float, str]] = []

    def _on_comm(self, content, buffers):
        before = self.place
        super()._on_comm(content, buffers)
        if self.place != before:
            self.arrived.append((time.time(), self.place))

    def _on_open(self, content):
        state = content.get("data", {}).get("state", {})
        if state.get("_model_name") == CANVAS and content.get("comm_id") not in self.canvases:
            self.canvases.add(content["comm_id"])
            for kind in ("refresh", "send_image_mode", "initialized"):
                self.comm(content["comm_id"], {"method": "custom", "content": {"type": kind}})

    def when(self, place, after) -> float | None:
        return next((t for t, p in self.arrived if p == place and t >= after), None)


def _model(states, name, test=lambda s: True):
    return next((m for m, s in states.items() if s.get("state", {}).get("_model_name") == name
                 and test(s["state"])), None)


async def _until_model(p, name, test, timeout=120):
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        found = _model(p.shown(await p.fetch_states()), name, test)
        if found:
            return found
        await asyncio.sleep(0.5)
    raise RuntimeError(f"no {name} on {p.query} within {timeout} s")


async def facilitator_leads(server, xsrf, key, start):
    """The facilitator's page: unlock the room's experiment, start a room, tick "Lead room",
    go to ``start``. Returns (client, room code)."""
    f = Follower(server, PAGE, xsrf, "mode=facilitator&m=room")
    await f.open()
    await f.fetch_states()
    await f.wait_place("m=room")
    password = await _until_model(f, "PasswordModel", lambda s: True)
    f.comm(password, {"method": "update", "state": {"value": key}, "buffer_paths": []})
    unlock = await _until_model(f, "ButtonModel", lambda s: s.get("description") == "Unlock")
    f.comm(unlock, {"method": "custom", "content": {"event": "click"}})
    begin = await _until_model(f, "ButtonModel", lambda s: s.get("description") == "Start a room")
    f.comm(begin, {"method": "custom", "content": {"event": "click"}})
    lead = await _until_model(f, "CheckboxModel",
                              lambda s: str(s.get("description", "")).startswith("Lead room "))
    states = f.shown(await f.fetch_states())
    code = states[lead]["state"]["description"].split()[-1]
    f.comm(lead, {"method": "update", "state": {"value": True}, "buffer_paths": []})
    inbox = _model(states, "TextModel", lambda s: "bondlab-go" in s.get("_dom_classes", ()))
    f.comm(inbox, {"method": "update", "state": {"value": start}, "buffer_paths": []})
    await f.wait_place(start)
    return f, code


async def follower_joins(server, xsrf, code):
    """A participant's page opened with the room's link, then "Follow the facilitator"."""
    p = Follower(server, PAGE, xsrf, f"room={code}")
    await p.open()
    await p.fetch_states()
    await p.wait_place("m=room")
    box = await _until_model(p, "CheckboxModel",
                             lambda s: s.get("description") == "Follow the facilitator")
    p.comm(box, {"method": "update", "state": {"value": True}, "buffer_paths": []})
    return p


# In a Chromium follower: the wall-clock time (ms) at which each place appeared on the page.
PLACES_JS = """() => {
  window.__places = [];
  let last = null;
  const look = () => {
    const s = document.querySelector('.bondlab-place-signal [data-place]');
    const place = s ? s.getAttribute('data-place') : null;
    if (place !== last) { last = place; window.__places.push([performance.timeOrigin + performance.now(), place]); }
  };
  new MutationObserver(look).observe(document.body, {subtree: true, childList: true, attributes: true});
  look();
}"""


async def browser_follower(browser, server, code, start):
    context = await browser.new_context(viewport={"width": 1200, "height": 900})
    page = await context.new_page()
    await page.goto(server.page_url(PAGE, f"room={code}"), wait_until="commit", timeout=600_000)
    await page.wait_for_function(READY_JS, timeout=600_000, polling=100)
    await page.get_by_role("checkbox", name="Follow the facilitator").check(timeout=120_000)
    await page.wait_for_function(
        "(p) => { const s = document.querySelector('.bondlab-place-signal [data-place]');"
        " return !!s && s.getAttribute('data-place') === p; }", arg=start, timeout=120_000)
    await page.evaluate(PLACES_JS)
    return context, page


async def follow(server, room, browsers, moves, gap, start="m=1&s=1"):
    """One facilitator leads; ``room`` followers (``browsers`` of them Chromium pages, the
    rest protocol clients) follow. The facilitator presses Next ``moves`` times, ``gap`` s
    apart once everyone has the step: seconds from the click to each follower showing the
    new step (its place on the page)."""
    from playwright.async_api import async_playwright

    os.environ.setdefault("BONDLAB_STATE_DIR", str(server.log_path.parent / "bondlab-data"))
    from workshop.room import facilitator_key

    wait_room_ready(server, room + 1)
    xsrf = await xsrf_cookie(server)
    lead, code = await facilitator_leads(server, xsrf, facilitator_key(), start)
    n_proto = room - browsers
    people = await asyncio.gather(*(follower_joins(server, xsrf, code) for _ in range(n_proto)),
                                  return_exceptions=True)
    failed = [repr(p)[:120] for p in people if isinstance(p, Exception)]
    people = [p for p in people if not isinstance(p, Exception)]
    await asyncio.gather(*(p.wait_place(start) for p in people))
    pw = await async_playwright().start()
    browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    pages = [await browser_follower(browser, server, code, start) for _ in range(browsers)]
    print(f"  room {code}: {len(people)}/{n_proto} protocol followers and {len(pages)} Chromium "
          f"followers on {start}" + (f", FAILED: {failed[:3]}" if failed else ""), flush=True)

    kernels = {p.kernel for p in people}
    for _, page in pages:
        kernels.add(await page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId"))

    def followers_cpu():
        pids = kernel_pids(server.connection_dir)
        return sum(cpu_seconds(pid) for kid, pid in pids.items() if kid in kernels)

    await asyncio.sleep(2)
    c0, t0 = followers_cpu(), time.perf_counter()
    await asyncio.sleep(10)  # everyone follows, nobody moves: what the polling alone costs
    idle_cpu = (followers_cpu() - c0) / (time.perf_counter() - t0) / max(1, len(kernels))

    nxt = _model(lead.shown(await lead.fetch_states()), "ButtonModel",
                 lambda s: "bondlab-nav-button" in s.get("_dom_classes", ())
                 and str(s.get("description", "")).startswith("Next"))
    load0, machine0 = os.getloadavg()[0], cpu_times()
    clicks, late = [], []
    for i in range(moves):
        before = lead.place
        t_click = time.time()
        lead.comm(nxt, {"method": "custom", "content": {"event": "click"}})
        while lead.place == before:
            lead.place_changed.clear()
            await asyncio.wait_for(lead.place_changed.wait(), 120)
        place = lead.place
        clicks.append((t_click, place))
        end = time.perf_counter() + 60
        while time.perf_counter() < end:
            shown = [p.when(place, t_click) for p in people]
            marks = [await page.evaluate("window.__places") for _, page in pages]
            shown += [next((t / 1000 for t, q in m if q == place and t / 1000 >= t_click), None)
                      for m in marks]
            if all(t is not None for t in shown):
                break
            await asyncio.sleep(0.2)
        late.append(sum(t is None for t in shown))
        print(f"  move {i + 1}: {place}, slowest follower {max((t for t in shown if t), default=t_click) - t_click:.2f} s"
              + (f", {late[-1]} not there within 60 s" if late[-1] else ""), flush=True)
        await asyncio.sleep(gap)
    busy, idle, steal = cpu_times() - machine0
    proto, chromium = [], []
    marks = [await page.evaluate("window.__places") for _, page in pages]
    per_move = []
    for t_click, place in clicks:
        a = [t - t_click for t in (p.when(place, t_click) for p in people) if t is not None]
        b = [t / 1000 - t_click for m in marks
             for t in [next((t for t, q in m if q == place and t / 1000 >= t_click), None)]
             if t is not None]
        proto += a
        chromium += b
        per_move.append((place, a + b))
    await asyncio.gather(*(p.leave() for p in people + [lead]), return_exceptions=True)
    for context, _ in pages:
        await context.close()
    await browser.close()
    await pw.stop()
    return {"n": len(people) + len(pages), "proto": proto, "chromium": chromium,
            "per_move": per_move, "late": sum(late), "failed": failed, "idle_cpu": idle_cpu,
            "load": (load0, os.getloadavg()[0]), "busy": busy / max(1.0, busy + idle + steal),
            "steal": steal / max(1.0, busy + idle + steal), "moves": moves}


def report_follow(r):
    both = r["proto"] + r["chromium"]
    lines = [f"follow: {r['n']} followers, {r['moves']} moves of the facilitator: click to the new "
             f"step on each follower p50 {pct(both, 50):.2f} s, p95 {pct(both, 95):.2f} s, max "
             f"{max(both, default=float('nan')):.2f} s (goal p95 < 3 s: "
             f"{'met' if pct(both, 95) < 3 and not r['late'] else 'NOT met'}); "
             f"not there within 60 s: {r['late']}; failed to join: {len(r['failed'])}",
             f"    Chromium pages: n={len(r['chromium'])}, p50 {pct(r['chromium'], 50):.2f} s, "
             f"p95 {pct(r['chromium'], 95):.2f} s; protocol clients: n={len(r['proto'])}, p50 "
             f"{pct(r['proto'], 50):.2f} s, p95 {pct(r['proto'], 95):.2f} s",
             f"    following costs each follower's kernel {1000 * r['idle_cpu']:.1f} ms of CPU per "
             f"second while nobody moves; machine load {r['load'][0]:.1f} -> {r['load'][1]:.1f}, "
             f"CPUs {100 * r['busy']:.0f} % busy during the moves, {100 * r['steal']:.0f} % taken by the host"]
    lines += [f"    {place:10s} p50 {pct(lat, 50):.2f} s  p95 {pct(lat, 95):.2f} s  max "
              f"{max(lat, default=float('nan')):.2f} s" for place, lat in r["per_move"]]
    return "\n".join(lines)


# --------------------------------------------------------------------------- phase: memory

async def memory_after_every_module(server):
    """One Chromium participant walks the whole workshop (every step of every module, each
    figure drawn on screen); the kernel's memory afterwards."""
    wait_room_ready(server, 1)
    async with chromium() as browser:
        page = await (await browser.new_context(viewport={"width": 1200, "height": 900})).new_page()
        await page.goto(server.page_url(PAGE), wait_until="commit", timeout=600_000)
        await page.wait_for_function(READY_JS, timeout=600_000, polling=100)
        kernel = await page.evaluate(
            "JSON.parse(document.getElementById('jupyter-config-data').textContent).kernelId")
        pid = kernel_pids(server.connection_dir).get(kernel)
        start_mb, steps = rss_mb(pid), 0
        nxt = page.locator(".bondlab-workshop .bondlab-nav button").nth(1)
        await page.wait_for_selector(".bondlab-workshop p.bondlab-progress")
        while await nxt.is_enabled():
            before = await page.inner_text(".bondlab-workshop p.bondlab-progress")
            await nxt.click()
            await page.wait_for_function(
                "(b) => document.querySelector('.bondlab-workshop p.bondlab-progress').textContent !== b",
                arg=before, timeout=120_000)
            steps += 1
            if await page.locator(".bondlab-figure canvas").count():
                await page.wait_for_timeout(300)  # let the figure's image arrive
        await asyncio.sleep(8)  # the page gives memory back a few seconds after a move
        end_mb = rss_mb(pid)
    return {"start": start_mb, "end": end_mb, "steps": steps}


# --------------------------------------------------------------------------- phase 3: a day

async def day(server, pages, opens, concurrent, stay, vanish, pool):
    """`opens` page visits, `concurrent` at a time, each staying `stay` seconds (random);
    a fraction `vanish` leave without the shutdown request (a closed laptop)."""
    xsrf = await xsrf_cookie(server)
    open_now, done, failed, vanished = set(), 0, 0, 0
    samples = []
    server_pid = server.proc.pid
    sem = asyncio.Semaphore(concurrent)

    async def visit(i):
        nonlocal done, failed, vanished
        async with sem:
            p = Participant(server, pages[i % len(pages)], xsrf)
            try:
                await p.open()
            except Exception:  # noqa: BLE001 -- counted
                failed += 1
                return
            open_now.add(p)
            await asyncio.sleep(random.uniform(*stay))
            gone = random.random() < vanish
            vanished += gone
            await p.leave(beacon=not gone)
            open_now.discard(p)
            done += 1

    async def watch():
        while True:
            k = len(kernel_pids(server.connection_dir))
            samples.append((time.perf_counter(), len(open_now), k, rss_mb(server_pid)))
            await asyncio.sleep(5)

    watcher = asyncio.ensure_future(watch())
    t0 = time.perf_counter()
    await asyncio.gather(*(visit(i) for i in range(opens)))
    wall = time.perf_counter() - t0
    # the culler (idle 60 s in the bench, checked every 60 s) reclaims the vanished ones
    deadline = time.perf_counter() + 200
    kernels = len(kernel_pids(server.connection_dir))
    while kernels > pool and time.perf_counter() < deadline:
        await asyncio.sleep(5)
        kernels = len(kernel_pids(server.connection_dir))
    settle = time.perf_counter() - t0 - wall
    watcher.cancel()
    return {"opens": opens, "done": done, "failed": failed, "vanished": vanished, "wall": wall,
            "kernels_end": kernels, "settle": settle, "pool": pool,
            "max_kernels": max(k for _, _, k, _ in samples), "max_open": max(o for _, o, _, _ in samples),
            "server_rss": (samples[0][3], max(s[3] for s in samples), rss_mb(server_pid)),
            # kernels beyond open pages and the pool while the day ran: pages being opened,
            # and the vanished participants' kernels until the idle culler takes them
            "extra": max(k - o - pool for _, o, k, _ in samples)}


# --------------------------------------------------------------------------- phase 0: start-up

async def first_page(server, started: float, notebook=PAGE):
    """The start page, opened the moment the server answers (the facilitator's first click)."""
    answered = time.perf_counter() - started
    p = Participant(server, notebook, "")
    tti = await p.open()
    kernels = kernel_pids(server.connection_dir)
    cpu = sum(cpu_seconds(pid) for pid in kernels.values())
    print(f"  when the start page was ready: {len(kernels)} kernels running, {cpu:.1f} s of "
          f"kernel CPU spent since launch", flush=True)
    await p.leave(beacon=False)
    return answered, tti


def start_server(log, cull_seconds, room=1):
    t0 = time.perf_counter()
    server = VoilaServer(log, extra_env={"BONDLAB_CULL_IDLE_SECONDS": str(cull_seconds),
                                         "BONDLAB_ROOM": str(room)}).start()
    server.connection_dir = re.search(r"connection files in (\S+?)\.?$", log.read_text(), re.M).group(1)
    return server, t0


def wait_room_ready(server, n, cap=900.0):
    """Until the pool holds ``n`` built workshop pages (server.preheat logs "room ready:
    N of M"), as when the facilitator starts the server a few minutes early."""
    end = time.perf_counter() + cap
    pattern = re.compile(r"room ready: (\d+) of (\d+)")
    while time.perf_counter() < end:
        said = pattern.findall(server.log_path.read_text())
        if said and int(said[-1][0]) >= min(n, int(said[-1][1])):
            break
        time.sleep(1)
    time.sleep(2)  # the last one's modules are built ahead on its own loop


def wait_preheated(server, cap=900.0):
    """Until the whole pool is ready."""
    wait_room_ready(server, 10 ** 6, cap)


def first_page_repeats(log, repeats, cull_seconds):
    """Start the server `repeats` times; each time open the start page at once."""
    out = []
    for _ in range(repeats):
        server, t0 = start_server(log, cull_seconds)
        try:
            answered, tti = asyncio.new_event_loop().run_until_complete(first_page(server, t0))
        finally:
            server.stop()
        print(f"first page after start-up: server answered after {answered:.1f} s, start page "
              f"interactive {tti:.1f} s later, {answered + tti:.1f} s after launch "
              f"(load {os.getloadavg()[0]:.1f})", flush=True)
        out.append((answered, tti))
        time.sleep(3)
    return out


# --------------------------------------------------------------------------- main

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--phases", default="first,bursts,moves,slider,memory,follow,day")
    ap.add_argument("--first-repeats", type=int, default=1,
                    help="with more than 1, start the server that many times for the first page")
    ap.add_argument("--bursts", type=int, default=20)
    ap.add_argument("--room", type=int, default=30)
    ap.add_argument("--slider-rooms", default="1,10,20,30",
                    help="room sizes for the slider phase (1: a baseline under the same outside load)")
    ap.add_argument("--browsers", type=int, default=3, help="real Chromium pages among them")
    ap.add_argument("--slider-seconds", type=float, default=60)
    ap.add_argument("--slider-period", type=float, default=3.0, help="seconds between one participant's moves")
    ap.add_argument("--follow-moves", type=int, default=10,
                    help="the facilitator's moves in the follow phase")
    ap.add_argument("--follow-gap", type=float, default=20.0,
                    help="seconds the facilitator stays on a step once everyone has it (in a room: minutes)")
    ap.add_argument("--day-opens", type=int, default=200)
    ap.add_argument("--day-concurrent", type=int, default=15)
    ap.add_argument("--cull-seconds", type=int, default=60, help="idle culling for the bench's server")
    args = ap.parse_args(argv)
    phases = set(args.phases.split(","))
    AsyncHTTPClient.configure(None, max_clients=200)
    pages = [PAGE]  # everyone opens the one workshop page
    pool = args.room  # the server keeps a room's worth ready (ROOM=--room)
    log = Path("/tmp/bench_room_voila.log")
    summary = {}
    if "first" in phases and args.first_repeats > 1:
        summary["first"] = first_page_repeats(log, args.first_repeats, args.cull_seconds)
        phases.discard("first")
    if phases:
        run_phases(args, phases, log, pages, pool, summary)
    print_summary(args, summary)


def run_phases(args, phases, log, pages, pool, summary):
    server, started = start_server(log, args.cull_seconds, room=args.room)
    print(f"bench_room: {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}, "
          f"{mem_available_mb() / 1024:.1f} GB available; Voila log {log}", flush=True)
    try:
        loop = asyncio.new_event_loop()
        if "first" in phases:
            answered, tti = loop.run_until_complete(first_page(server, started))
            summary["first"] = [(answered, tti)]
            print(f"first page after start-up: server answered after {answered:.1f} s, start page "
                  f"interactive {tti:.1f} s later", flush=True)
        waited = time.perf_counter()
        wait_preheated(server)
        before = kernel_pids(server.connection_dir)
        idle_pool_mb = sum(rss_mb(p) for p in before.values())
        print(f"preheated pool: {len(before)} kernels, {idle_pool_mb:.0f} MB (ready "
              f"{time.perf_counter() - waited:.0f} s later)", flush=True)
        # The participants' side (protocol clients, Chromium) runs at the lowest priority from
        # here on: in a room it runs on the participants' own devices, so the server's cores
        # are the server's. Their own delays still count in every latency (conservative).
        os.nice(19)
        if "bursts" in phases:
            rows, tti, mem, in_chromium = loop.run_until_complete(
                bursts(server, pages, args.bursts, args.room, args.browsers))
            time.sleep(5)
            after = kernel_pids(server.connection_dir)
            summary["bursts"] = (rows, tti, mem, len(before), len(after), in_chromium)
        if "moves" in phases:
            print(f"\nmoves phase: {args.room} participants", flush=True)
            summary["moves"] = loop.run_until_complete(moves(server, args.room))
            print(report_moves(summary["moves"]), flush=True)
        if "slider" in phases:
            rooms = [int(x) for x in args.slider_rooms.split(",") if x]
            summary["slider"] = loop.run_until_complete(slider_phase(
                server, rooms, args.browsers, args.slider_seconds, args.slider_period))
        if "memory" in phases:
            summary["memory"] = loop.run_until_complete(memory_after_every_module(server))
            m = summary["memory"]
            print(f"memory: a participant's kernel {m['start']:.0f} MB at the start, "
                  f"{m['end']:.0f} MB after every step of every module ({m['steps']} steps)",
                  flush=True)
        if "follow" in phases:
            k = min(args.browsers, args.room)
            print(f"\nfollow phase: a facilitator leads {args.room} followers ({k} in Chromium), "
                  f"{args.follow_moves} moves, load {os.getloadavg()[0]:.1f}", flush=True)
            summary["follow"] = loop.run_until_complete(follow(
                server, args.room, k, args.follow_moves, args.follow_gap))
            print(report_follow(summary["follow"]), flush=True)
        if "day" in phases:
            print(f"\nday phase: {args.day_opens} page opens, up to {args.day_concurrent} open at once", flush=True)
            summary["day"] = loop.run_until_complete(day(
                server, pages, args.day_opens, args.day_concurrent, (5, 40), 0.2, pool))
        # a cell output that came too late for nbclient is dropped: a page without content
        summary["dropped"] = server.log_path.read_text().count("Timeout waiting for IOPub output")
    finally:
        server.stop()


def print_summary(args, summary):
    print("\n==== Room summary", f"({os.cpu_count()} CPUs, load now {os.getloadavg()[0]:.1f}) ====")
    per_participant = None
    if "first" in summary:
        f = summary["first"]
        tti, total = [t for _, t in f], [a + t for a, t in f]
        print(f"first page after start-up (the start page, opened as soon as the server answers): "
              f"{statistics.median(tti):.1f} s after the server answered, {statistics.median(total):.1f} s "
              f"after launch" + (f" (medians of {len(f)} start-ups)" if len(f) > 1 else ""))
    if "bursts" in summary:
        rows, tti, mem, n_before, n_after, in_chromium = summary["bursts"]
        opened = sum(r[1] for r in rows)
        per_participant = statistics.median(mem)
        print(f"{opened} page opens in {len(rows)} bursts of {args.room}: "
              f"{sum(r[2] for r in rows)} failed or stuck; slowest page per burst: "
              + ", ".join(f"{r[3]:.1f}" for r in rows) + " s")
        print(f"pages per second (median over bursts): {statistics.median(args.room / r[4] for r in rows):.1f}")
        print(f"time to interactive: p50 {pct(tti, 50):.1f} s, p90 {pct(tti, 90):.1f} s, "
              f"p95 {pct(tti, 95):.1f} s, max {max(tti):.1f} s")
        if in_chromium:
            print(f"  of which Chromium pages (figure drawn on screen), n={len(in_chromium)}: "
                  f"p50 {pct(in_chromium, 50):.1f} s, p95 {pct(in_chromium, 95):.1f} s, "
                  f"max {max(in_chromium):.1f} s")
        print(f"memory per participant (median kernel RSS): {per_participant:.0f} MB")
        print(f"kernels before: {n_before} (the pool), after every burst's participants left: {n_after}")
    if "moves" in summary:
        print(report_moves(summary["moves"]))
    if "follow" in summary:
        print(report_follow(summary["follow"]).splitlines()[0])
    if "memory" in summary:
        m = summary["memory"]
        print(f"memory per participant after every module: {m['end']:.0f} MB "
              f"({m['start']:.0f} MB when the page opened)")
    if "slider" in summary:
        for r in summary["slider"]:
            print(report_slider(r).splitlines()[0])
    if "dropped" in summary:
        print(f"cell outputs dropped for coming late (Voila log): {summary['dropped']}")
    if "day" in summary:
        d = summary["day"]
        ok = d["kernels_end"] <= d["pool"]
        print(f"a day: {d['done']} of {d['opens']} visits in {d['wall']:.0f} s ({d['failed']} failed, "
              f"{d['vanished']} left without closing), at most {d['max_open']} open and "
              f"{d['max_kernels']} kernels at once (at most {d['extra']} beyond open pages and the pool: "
              f"pages opening, and vanished ones' kernels until culled); {d['settle']:.0f} s after the last one left: "
              f"{d['kernels_end']} kernels (pool {d['pool']}): {'bounded' if ok else 'NOT bounded'}; "
              f"server RSS {d['server_rss'][0]:.0f} -> max {d['server_rss'][1]:.0f} -> {d['server_rss'][2]:.0f} MB")
    # The largest room within the goals: every page interactive, slider p95 < 500 ms,
    # kernels in memory (what this machine has free now, less the pool and 1 GB headroom).
    fits = [r["n"] for r in summary.get("slider", [])
            if not r["lost"] and pct(r["proto"] + r["browser"], 95) < GOAL_P95]
    tried = [r["n"] for r in summary.get("slider", [])]
    if per_participant:
        by_memory = int((mem_available_mb() - 1024) / per_participant)
        print(f"memory alone would hold about {by_memory} participants ({mem_available_mb() / 1024:.1f} GB "
              f"available now, {per_participant:.0f} MB each)")
    if tried:
        # What the CPUs could serve with nobody else on the machine: a room of N moving a
        # slider every `period` s needs N / period moves per second; keep the CPUs half busy
        # (queueing delays grow fast beyond that).
        # (rooms of more than one: the baseline's few moves also carry Voila's work of
        # preparing the ready pool in the background)
        rooms = [r for r in summary["slider"] if r["n"] > 1] or summary["slider"]
        per_move = statistics.median(r["cpu_per_move"] for r in rooms)
        by_cpu = int(0.5 * os.cpu_count() * args.slider_period / per_move) if per_move > 0 else 0
        print(f"server CPU per slider move (kernel + Voila, median over the rooms): {1000 * per_move:.0f} ms; "
              f"with the CPUs half busy and nothing else running, {os.cpu_count()} cores serve about "
              f"{by_cpu} participants moving a slider every {args.slider_period:g} s")
        largest = max(fits) if fits else 0
        stuck = summary.get("bursts") and sum(r[2] for r in summary["bursts"][0])
        note = " (pages stuck in the bursts!)" if stuck else ""
        print(f"largest room within the goals on this machine: {largest} of the sizes tried {tried}"
              f" (slider p95 < {int(GOAL_P95 * 1000)} ms, every figure arrived){note}")


if __name__ == "__main__":
    main()
