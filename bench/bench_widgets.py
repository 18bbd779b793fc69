"""Browser benchmark: key press on a slider -> updated figure on screen, per component.

Starts the kit's Voila (as the tests do), opens notebooks/gallery.ipynb in headless
Chromium (Debian's /usr/bin/chromium via Playwright, the flags of tests/kit_browser.py),
focuses each component's first slider and presses ArrowRight / ArrowLeft in turn. Each
latency runs from the keydown event (``performance.now()`` in the page) to the first
animation frame in which the component's figure canvas shows different pixels (or, when
the new run draws the very same picture, the summary text beside it changed).
Measuring starts once Voila and its kernels are idle (the other pages' preheated kernels
run their notebooks after start-up).
Prints median and 95th percentile per component (goal: median < 150 ms, p95 < 300 ms).

Two press patterns: ``alternate`` (ArrowRight, ArrowLeft, ... : two values in turn, the
pattern of the first measurements) and ``fresh`` (ArrowRight only: every press asks for a
value not shown before, so no cache of earlier runs or frames can answer it). Both are
honest; ``--pattern both`` runs one after the other on the same page.

    .venv/bin/python bench/bench_widgets.py [--presses 20] [--pattern alternate|fresh|both] [--split]
        [--only "attachment figure"] [--slider 2]   (the third slider: Partner B's warmth)
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from kit_browser import (CHROMIUM, CHROMIUM_ARGS, PIXEL_HASH, VoilaServer,  # noqa: E402
                         wait_ready)

COMPONENTS = {
    "schedule explorer": ".bondlab-schedule-explorer",
    "attachment figure": ".bondlab-attachment-figure",
    "cycle timeline": ".bondlab-cycle-timeline",
    "opponent playground": ".bondlab-opponent-playground",
    "leaving simulator": ".bondlab-leaving-simulator",
}

# Arm a watcher: remember the canvas's pixels and the summary text, note the keydown time,
# then poll every animation frame until the pixels differ; resolves with the latency in
# ms. A new run can draw the very same picture (the cycle timeline follows one example
# person, whose days can be identical for two settings while the group's differ): then the
# summary's change marks the update done, once no new picture has come for SAME_MS after it.
ARM_JS = """(sel) => {
  const SAME_MS = 5000;
  const canvas = document.querySelector(sel + ' canvas');
  const summary = document.querySelector(sel + ' .bondlab-figure-summary');
  const hash = () => (""" + PIXEL_HASH + """)(canvas);
  const before = hash();
  const text = summary ? summary.innerText : '';
  window.__bench = {t0: null, dt: null, same: false, ts: null};
  document.addEventListener('keydown', () => { window.__bench.t0 = performance.now(); },
                            {once: true, capture: true});
  const tick = () => {
    const b = window.__bench, now = performance.now();
    if (b.t0 !== null && hash() !== before) {
      b.dt = now - b.t0;
      return;
    }
    if (b.t0 !== null && b.ts === null && summary && summary.innerText !== text) b.ts = now;
    if (b.ts !== null && now - b.ts > SAME_MS) {
      b.dt = b.ts - b.t0;
      b.same = true;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


# With --split: note when the page sends on a websocket and when a large frame arrives (a
# figure image; v1 kernel messages are all binary, the others are small), to split each
# latency into key -> message sent, sent -> image back, image -> new pixels on screen.
SPLIT_JS = """(() => {
  const Native = window.WebSocket;
  window.__ws = {sent: [], images: []};
  class Watched extends Native {
    send(data) { window.__ws.sent.push(performance.now()); return super.send(data); }
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        const size = e.data.byteLength || e.data.size || e.data.length || 0;
        if (size > 4096) window.__ws.images.push(performance.now());
      });
    }
  }
  window.WebSocket = Watched;
})();"""
SPLIT_READ = """() => {
  const b = window.__bench, w = window.__ws, first = (xs) => xs.find((t) => t >= b.t0);
  const sent = first(w.sent), image = first(w.images);
  return [sent - b.t0, image - sent, b.t0 + b.dt - image];
}"""


def _tree_cpu_seconds(root_pid):
    """CPU seconds used so far by a process and all its descendants (Linux /proc)."""
    import os

    tick = os.sysconf("SC_CLK_TCK")
    children, cpu = {}, {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / tick
    total, todo = 0.0, [root_pid]
    while todo:
        pid = todo.pop()
        total += cpu.get(pid, 0.0)
        todo.extend(children.get(pid, []))
    return total


def settle(server, quiet=0.15, timeout=180):
    """Wait until Voila and its kernels are idle (the preheated kernels of every other page
    run their notebooks after start-up; measuring during that measures them)."""
    import time

    deadline = time.monotonic() + timeout
    before = _tree_cpu_seconds(server.proc.pid)
    while time.monotonic() < deadline:
        time.sleep(2)
        now = _tree_cpu_seconds(server.proc.pid)
        if now - before < quiet * 2:
            return
        before = now


def percentile(values, q):
    xs = sorted(values)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


TIMEOUT_MS = 20_000


def measure(page, selector, presses, pattern="alternate", verbose=False, split=None,
            slider=0):
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    page.locator(f"{selector} .noUi-handle").nth(slider).focus()
    out = []
    for i in range(presses + 1):
        page.evaluate(ARM_JS, selector)
        key = "ArrowRight" if pattern == "fresh" or i % 2 == 0 else "ArrowLeft"
        page.keyboard.press(key)
        try:
            page.wait_for_function("() => window.__bench && window.__bench.dt !== null",
                                   timeout=TIMEOUT_MS, polling="raf")
            dt = page.evaluate("window.__bench.dt")
            if page.evaluate("window.__bench.same"):
                print(f"  {selector} {key}: same picture, summary updated after {dt:.0f} ms",
                      flush=True)
        except PlaywrightTimeout:  # counted, at the timeout, and said
            focus = page.evaluate("(s) => !!document.activeElement && "
                                  "!!document.activeElement.closest(s)", selector)
            readout = page.locator(f"{selector} .widget-readout").first.inner_text()
            print(f"  {selector} {key}: no new picture within {TIMEOUT_MS} ms "
                  f"(slider reads {readout!r}, focus in component: {focus})", flush=True)
            dt = float(TIMEOUT_MS)
        parts = page.evaluate(SPLIT_READ) if split is not None and dt < TIMEOUT_MS else None
        if verbose:
            print(f"  {selector} {key}: {dt:.0f} ms" + (
                " (key->sent {:.0f}, sent->image {:.0f}, image->screen {:.0f})".format(*parts)
                if parts and None not in parts else ""), flush=True)
        page.wait_for_timeout(150)  # let the component settle (figure + summary)
        if i:  # the first press warms up the path
            out.append(dt)
            if parts and None not in parts:
                split.append(parts)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--pattern", choices=["alternate", "fresh", "both"],
                        default="alternate")
    parser.add_argument("-v", "--verbose", action="store_true", help="print every press")
    parser.add_argument("--only", action="append", choices=list(COMPONENTS),
                        help="measure only this component (repeatable)")
    parser.add_argument("--slider", type=int, default=0,
                        help="which slider of each component to press (0: its first)")
    parser.add_argument("--split", action="store_true",
                        help="also split each latency: key -> sent, sent -> image back "
                             "(kernel and server), image -> new pixels (browser)")
    args = parser.parse_args(argv)
    patterns = ["alternate", "fresh"] if args.pattern == "both" else [args.pattern]
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="bondlab-bench-")) / "voila.log"
    server = VoilaServer(log).start()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(60_000)
            if args.split:
                page.add_init_script(SPLIT_JS)
            page.goto(server.page_url("gallery.ipynb"), wait_until="commit", timeout=180_000)
            wait_ready(page, 180_000)
            settle(server)
            for pattern in patterns:
                for name, sel in COMPONENTS.items():
                    if args.only and name not in args.only:
                        continue
                    page.locator(sel).scroll_into_view_if_needed()
                    split = [] if args.split else None
                    times = measure(page, sel, args.presses, pattern, args.verbose, split,
                                    args.slider)
                    rows.append((name, pattern, statistics.median(times),
                                 percentile(times, 0.95), len(times)))
                    if split:
                        print(f"  {name} {pattern}: medians of key -> sent "
                              f"{statistics.median(p[0] for p in split):.0f} ms, sent -> image "
                              f"{statistics.median(p[1] for p in split):.0f} ms, image -> screen "
                              f"{statistics.median(p[2] for p in split):.0f} ms "
                              f"({len(split)} presses)", flush=True)
            browser.close()
    finally:
        server.stop()
    print(f"{'component':22s} {'presses':>9s} {'median ms':>10s} {'p95 ms':>8s} {'n':>4s}  "
          f"goal <150 / <300")
    for name, pattern, med, p95, n in rows:
        ok = "ok" if med < 150 and p95 < 300 else "SLOW"
        print(f"{name:22s} {pattern:>9s} {med:10.0f} {p95:8.0f} {n:4d}  {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
