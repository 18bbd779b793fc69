"""Benchmark: the class experiment's dashboard with 30 results, refresh to updated screen.

Two measurements (goal: under 1 s for a refresh with 30 rows):

1. **Kernel**: ``FacilitatorDashboard.refresh()`` on a room of 30 results, one more stored
   before each round (read the rows, counts and room; move the points and medians; summary;
   CSV link) plus a full Agg render of the figure (what ipympl sends to the page), in this
   process.
2. **Browser**: the kit's Voila (own data directory), the facilitator's page in headless
   Chromium, unlocked and showing a room of 30; auto-refresh paused. Each round one more
   result is stored (as a participant's kernel would), then Refresh is clicked; the time
   runs from the click to the moment the summary names the new count *and* the figure's
   canvas shows different pixels.

    .venv/bin/python bench/bench_room_dashboard.py [--rounds 15] [--no-browser]
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from kit_browser import PIXEL_HASH  # noqa: E402


def _fill(room, code, n, start=0):
    for i in range(start, start + n):
        t = room.new_token()
        room.submit(code, t, room.join(code, t), presses=30 + i % 40,
                    presses_after_stop=(i * 7) % 30, seconds_to_stop=1.0 + (i * 3) % 20)


def _stats(label, ms):
    ms = sorted(ms)
    p95 = ms[min(len(ms) - 1, int(round(0.95 * (len(ms) - 1))))]
    print(f"  {label:<44} median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   "
          f"max {ms[-1]:7.1f} ms   (n={len(ms)})")


def kernel_side(rounds):
    os.environ["BONDLAB_STATE_DIR"] = tempfile.mkdtemp(prefix="bondlab-bench-")
    from workshop import room
    from widgets.class_experiment import FacilitatorDashboard

    code = room.start_room(rewards=8, ratio=4.0)
    _fill(room, code, 30)
    d = FacilitatorDashboard()
    d.key_field.value = room.facilitator_key()
    d.unlock_button.click()
    d.open_field.value = code
    d.open_button.click()          # first refresh, model prediction computed and cached
    refresh, render = [], []
    for i in range(rounds):
        _fill(room, code, 1, start=30 + i)  # one new result each round: a real redraw
        t0 = time.perf_counter()
        d.refresh()
        t1 = time.perf_counter()
        d.fig.canvas.draw()        # the full Agg render ipympl sends to the page
        t2 = time.perf_counter()
        refresh.append((t1 - t0) * 1000)
        render.append((t2 - t0) * 1000)
    assert f"{30 + rounds} joined, {30 + rounds} finished" in d.summary.value
    print(f"Kernel, room of 30-{30 + rounds} results (one new result before each refresh):")
    _stats("refresh() (read + redraw + summary + CSV)", refresh)
    _stats("refresh() + full figure render", render)


CANVAS_HASH = ("() => (" + PIXEL_HASH
               + ")(document.querySelector('.bondlab-room-dashboard canvas'))")

# Click Refresh, then poll every animation frame until the summary names `want` finished
# and the canvas pixels differ from `before`; resolves with the ms since the click.
CLICK_AND_WAIT = """([want, before]) => new Promise((resolve, reject) => {
  const hash = """ + CANVAS_HASH + """;
  const summary = () => document.querySelector(
      '.bondlab-room-dashboard .bondlab-figure-summary').innerText;
  const button = [...document.querySelectorAll('.bondlab-room-dashboard button')]
      .find(b => b.textContent.trim() === 'Refresh');
  const t0 = performance.now();
  let text = null, pixels = null;
  button.click();
  const tick = () => {
    const now = performance.now() - t0;
    if (text === null && summary().includes(want + ' finished')) text = now;
    if (pixels === null && hash() !== before) pixels = now;
    if (text !== null && pixels !== null) {
      resolve([Math.max(text, pixels), text, pixels]);
    } else if (performance.now() - t0 > 20000) {
      reject(new Error('no update within 20 s'));
    } else {
      requestAnimationFrame(tick);
    }
  };
  requestAnimationFrame(tick);
})"""


def browser_side(rounds):
    from playwright.sync_api import sync_playwright

    from kit_browser import CHROMIUM, CHROMIUM_ARGS, VoilaServer, wait_ready

    data = Path(tempfile.mkdtemp(prefix="bondlab-bench-"))
    os.environ["BONDLAB_STATE_DIR"] = str(data)
    os.environ["BONDLAB_FACILITATOR_KEY_FILE"] = str(data / "facilitator.key")
    from workshop import room

    code = room.start_room(rewards=8, ratio=4.0)
    _fill(room, code, 30)
    server = VoilaServer(data / "voila.log").start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(server.page_url("class_experiment.ipynb", "mode=facilitator"),
                      wait_until="commit", timeout=180_000)
            wait_ready(page, 180_000)
            page.fill(".bondlab-room-dashboard input[type=password]", room.facilitator_key())
            page.get_by_role("button", name="Unlock").click()
            page.fill(".bondlab-room-dashboard input[type=text]", code)
            page.get_by_role("button", name="Open this room").click()
            page.get_by_text("30 joined, 30 finished").first.wait_for()
            page.get_by_role("button", name="Auto-refresh every 5 s").click()  # pause
            page.get_by_role("button", name="Auto-refresh paused").wait_for()
            times, texts, pixels = [], [], []
            for i in range(rounds):
                _fill(room, code, 1, start=30 + i)
                before = page.evaluate(CANVAS_HASH)
                both, text, pixel = page.evaluate(CLICK_AND_WAIT, [31 + i, before])
                times.append(both)
                texts.append(text)
                pixels.append(pixel)
            browser.close()
    finally:
        server.stop()
    print(f"Browser, room of 30-{30 + rounds} results (click Refresh -> new summary and "
          f"new pixels):")
    _stats("text summary updated", texts)
    _stats("figure pixels changed", pixels)
    _stats("both (refresh on screen)", times)
    print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    kernel_side(args.rounds)
    if not args.no_browser:
        browser_side(args.rounds)


if __name__ == "__main__":
    main()
