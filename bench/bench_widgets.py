"""Browser benchmark: key press on a slider -> updated figure on screen, per component.

Starts the kit's Voila (as the tests do), opens notebooks/gallery.ipynb in headless
Chromium (Debian's /usr/bin/chromium via Playwright, the flags of tests/kit_browser.py),
focuses each component's first slider and presses ArrowRight / ArrowLeft in turn. Each
latency runs from the keydown event (``performance.now()`` in the page) to the first
animation frame in which the component's figure canvas shows different pixels.
Prints median and 95th percentile per component (goal: median < 150 ms, p95 < 300 ms).

    .venv/bin/python bench/bench_widgets.py [--presses 20]
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

from kit_browser import CHROMIUM, CHROMIUM_ARGS, VoilaServer, wait_ready  # noqa: E402

COMPONENTS = {
    "schedule explorer": ".bondlab-schedule-explorer",
    "attachment figure": ".bondlab-attachment-figure",
    "cycle timeline": ".bondlab-cycle-timeline",
    "opponent playground": ".bondlab-opponent-playground",
    "leaving simulator": ".bondlab-leaving-simulator",
}

# Arm a watcher: remember the canvas's pixels, note the keydown time, then poll every
# animation frame until the pixels differ; resolves with the latency in ms.
ARM_JS = """(sel) => {
  const canvas = document.querySelector(sel + ' canvas');
  const ctx = canvas.getContext('2d');
  const hash = () => {
    const d = new Uint32Array(ctx.getImageData(0, 0, canvas.width, canvas.height).data.buffer);
    let h = 0;
    for (let i = 0; i < d.length; i += 3) h = (h * 31 + d[i]) | 0;
    return h;
  };
  const before = hash();
  window.__bench = {t0: null, dt: null};
  document.addEventListener('keydown', () => { window.__bench.t0 = performance.now(); },
                            {once: true, capture: true});
  const tick = () => {
    if (window.__bench.t0 !== null && hash() !== before) {
      window.__bench.dt = performance.now() - window.__bench.t0;
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}"""


def percentile(values, q):
    xs = sorted(values)
    k = (len(xs) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def measure(page, selector, presses):
    page.focus(f"{selector} .noUi-handle")
    out = []
    for i in range(presses + 1):
        page.evaluate(ARM_JS, selector)
        page.keyboard.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
        page.wait_for_function("() => window.__bench && window.__bench.dt !== null",
                               timeout=20_000, polling="raf")
        dt = page.evaluate("window.__bench.dt")
        page.wait_for_timeout(150)  # let the component settle (figure + summary)
        if i:  # the first press warms up the path
            out.append(dt)
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presses", type=int, default=20)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    log = Path(tempfile.mkdtemp(prefix="bondlab-bench-")) / "voila.log"
    server = VoilaServer(log).start()
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1200, "height": 900})
            page.set_default_timeout(60_000)
            page.goto(server.page_url("gallery.ipynb"), wait_until="commit", timeout=180_000)
            wait_ready(page, 180_000)
            for name, sel in COMPONENTS.items():
                page.locator(sel).scroll_into_view_if_needed()
                times = measure(page, sel, args.presses)
                rows.append((name, statistics.median(times), percentile(times, 0.95),
                             len(times)))
            browser.close()
    finally:
        server.stop()
    print(f"{'component':22s} {'median ms':>10s} {'p95 ms':>8s} {'n':>4s}  goal <150 / <300")
    for name, med, p95, n in rows:
        ok = "ok" if med < 150 and p95 < 300 else "SLOW"
        print(f"{name:22s} {med:10.0f} {p95:8.0f} {n:4d}  {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
