"""Helpers for the browser tests: start the kit's Voila, open pages in Debian's Chromium.

Used through the fixtures in conftest.py. Readiness is what a person sees: the
"Executing" spinner is gone, every output has been rendered, and every widget
view has arrived from the kernel -- never a fixed sleep.
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

from workshop.handouts import CHROMIUM_ARGS, chromium_path  # noqa: F401 (re-used by benches)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: The Chromium the tests drive, found as `bondlab handouts` finds it (one rule:
#: $BONDLAB_CHROMIUM when set, else Debian's); when there is none, the path named in messages.
CHROMIUM = chromium_path() or os.environ.get("BONDLAB_CHROMIUM") or "/usr/bin/chromium"

# True once every output is rendered and no cell is executing, and on the workshop page
# once its address (mode and place) has been applied: its signal then names the mode.
READY_JS = """() => {
  const loading = document.getElementById('loading');
  const cells = document.getElementById('rendered_cells');
  if (!cells || cells.style.display === 'none') return false;
  const signal = cells.querySelector('.bondlab-place-signal');
  if (signal && !signal.querySelector('[data-mode]')) return false;
  if (loading && loading.style.display !== 'none' && loading.offsetParent !== null) return false;
  if (document.querySelector('script[type="application/vnd.voila.cell-output+json"]')) return false;
  for (const out of cells.querySelectorAll('.jp-OutputArea-output')) {
    if (/Loading widget/.test(out.textContent)) return false;
  }
  return true;
}"""


#: JavaScript: a hash of a canvas's pixels (every third 32-bit pixel), to tell when a figure
#: shows something new. ``PIXEL_HASH`` takes the canvas element; ``CANVAS_HASH`` a selector
#: (the first canvas inside it): ``page.evaluate(CANVAS_HASH, ".bondlab-figure")``.
PIXEL_HASH = """(canvas) => {
  const d = new Uint32Array(canvas.getContext('2d')
                            .getImageData(0, 0, canvas.width, canvas.height).data.buffer);
  let h = 0;
  for (let i = 0; i < d.length; i += 3) h = (h * 31 + d[i]) | 0;
  return h;
}"""
CANVAS_HASH = f"(sel) => ({PIXEL_HASH})(document.querySelector(sel + ' canvas'))"


def chromium_available() -> bool:
    return chromium_path() is not None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def notebook_pages() -> list[str]:
    """Every page of the workshop, as paths relative to notebooks/."""
    return sorted(str(p.relative_to(NOTEBOOKS)) for p in NOTEBOOKS.rglob("*.ipynb")
                  if ".ipynb_checkpoints" not in p.parts)


def preheated_pages() -> list[str]:
    """The pages that get ready kernels: the one workshop page only (server.preheat)."""
    from server.preheat import WORKSHOP_PAGE
    return [WORKSHOP_PAGE]


class VoilaServer:
    """The kit's Voila, started as `make workshop` starts it, on a free loopback port."""

    def __init__(self, log_path: Path, extra_env: dict | None = None, folder: str = "notebooks/"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.extra_env = extra_env or {}
        self.folder = folder
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 90) -> "VoilaServer":
        env = dict(os.environ, **self.extra_env)
        # The class experiment's database and facilitator key stay beside the log, never in
        # the home folder of whoever runs the tests.
        env.setdefault("BONDLAB_STATE_DIR", str(self.log_path.parent / "bondlab-data"))
        for var, folder in (("JUPYTER_PATH", "share"), ("JUPYTER_CONFIG_PATH", "etc")):
            env[var] = os.pathsep.join(filter(None, [str(ROOT / folder / "jupyter"), env.get(var)]))
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "voila"), self.folder, f"--port={self.port}",
             "--no-browser", "--Voila.ip=127.0.0.1"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT,
            start_new_session=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Voila exited with {self.proc.returncode}: "
                                   f"{self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.url + "/voila/tree", timeout=2):
                    return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"Voila did not answer within {timeout} s")

    def page_url(self, notebook: str, query: str = "") -> str:
        return f"{self.url}/voila/render/{notebook}" + (f"?{query}" if query else "")

    def stop(self) -> None:
        """End the process this server started (and its kernels), nothing else."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        if self.proc:
            try:  # kernels Voila started in the same session, if any were left
                os.killpg(self.proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if getattr(self, "log", None):
            self.log.close()


def kernel_frame(payload) -> tuple[str, dict] | None:
    """(msg_type, content) of a kernel websocket frame, in JSON or the v1 binary protocol."""
    try:
        if isinstance(payload, str):
            msg = json.loads(payload)
            return msg.get("header", {}).get("msg_type", ""), msg.get("content", {})
        count = int.from_bytes(payload[:8], "little")
        offsets = [int.from_bytes(payload[8 * (i + 1):8 * (i + 2)], "little")
                   for i in range(count)] + [len(payload)]
        part = lambda i: payload[offsets[i]:offsets[i + 1]]  # noqa: E731
        return json.loads(part(1)).get("msg_type", ""), json.loads(part(4))
    except (ValueError, IndexError, UnicodeDecodeError):
        return None


class PageWatch:
    """Everything a page did that a person or the server should know about."""

    def __init__(self, page, server_url: str):
        self.server = urlparse(server_url).netloc
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.kernel_errors: list[str] = []
        self.outside_requests: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.console_errors.append(m.text))
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        page.on("request", self._on_request)
        page.on("websocket", lambda ws: ws.on("framereceived", self._on_frame))

    def _on_request(self, request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob", "about"):
            return
        if parsed.netloc != self.server:
            self.outside_requests.append(request.url)

    def _on_frame(self, payload) -> None:
        raw = payload.encode() if isinstance(payload, str) else payload
        if b'"error"' not in raw:
            return
        msg = kernel_frame(payload)
        if msg and msg[0] == "error":
            self.kernel_errors.append(f"{msg[1].get('ename')}: {msg[1].get('evalue')}")

    def problems(self) -> list[str]:
        return ([f"console: {m}" for m in self.console_errors]
                + [f"page error: {m}" for m in self.page_errors]
                + [f"kernel error: {m}" for m in self.kernel_errors])


def wait_ready(page, timeout_ms: int = 90_000) -> None:
    page.wait_for_function(READY_JS, timeout=timeout_ms, polling=50)


def in_own_thread(fn, *args):
    """``fn(*args)`` in a thread of its own, where no event loop runs: the browser tests'
    Playwright keeps one running in the main thread for the whole session, so after them
    ``asyncio.run`` refuses to start there, and code that schedules work on "the running
    loop" (as a kernel's does) would find Playwright's."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args).result()


def run_fresh(coroutine):
    """Run ``coroutine`` on a fresh event loop in its own thread (see :func:`in_own_thread`)."""
    import asyncio

    return in_own_thread(asyncio.run, coroutine)

