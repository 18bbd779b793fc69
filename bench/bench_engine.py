"""Benchmark the Bond Lab engine (run by ``make bench``; prints figures, asserts nothing).

Measures a Scenario of 10,000 people x 365 days with every output computed
(events, opponent process, learner, attachment, mood, withdrawal, surprise),
as the median over repeats, and the *floor*: the same number of time steps
of a bare NumPy Rescorla-Wagner update over arrays of the same shape and
dtype, recording the history (per step: subtract, multiply, add, store),
measured in the same run, interleaved run by run with the scenario so
both see the same load on a shared machine.  Then how time grows with people and days.
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bondlab import DTYPE, Scenario  # noqa: E402


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def floor(people, days, repeats):
    rng = np.random.default_rng(0)
    x = (rng.random((days, people)) < 0.3).astype(DTYPE)
    hist = np.empty((days, people), DTYPE)
    alpha = DTYPE(0.1)

    def rw():
        v = np.zeros(people, DTYPE)
        d = np.empty(people, DTYPE)
        for t in range(days):
            np.subtract(x[t], v, out=d)
            d *= alpha
            v += d
            hist[t] = v
    return timed(rw, repeats)


def scenario(people, days, repeats):
    together = days // 2
    s = Scenario(people=people, days_together=together, days_after=days - together, seed=0)
    return timed(s.run, repeats)


def interleaved(people, days, repeats):
    """Scenario and floor alternately, so both see the same load on a shared machine.

    Returns (median, best) of each, and the median of the per-pair ratios.
    """
    together = days // 2
    s = Scenario(people=people, days_together=together, days_after=days - together, seed=0)
    ts, fs = [], []
    for _ in range(repeats):
        ts.append(timed(s.run, 1)[0])
        fs.append(floor(people, days, 1)[0])
    ratios = [a / b for a, b in zip(ts, fs)]
    return (statistics.median(ts), min(ts), statistics.median(fs), min(fs),
            statistics.median(ratios))


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    P, T = 10_000, 365
    scenario(1000, 50, 2)                      # warm up
    med, best, fmed, fbest, pair_ratio = interleaved(P, T, repeats)
    print(f"Bond Lab engine benchmark (dtype {np.dtype(DTYPE).name}, numpy {np.__version__}, "
          f"{repeats} repeats, median [best])")
    print(f"scenario {P:,} people x {T} days:   {med * 1e3:7.1f} ms [{best * 1e3:.1f}]   "
          f"goal < 150 ms: {'met' if med < 0.150 else 'NOT met'}")
    print(f"floor (bare RW, same shape):         {fmed * 1e3:7.1f} ms [{fbest * 1e3:.1f}]")
    print(f"ratio to floor:                      {med / fmed:7.1f} x   "
          f"goal <= 4x: {'met' if med / fmed <= 4 else 'NOT met'}")
    print(f"  (median of paired ratios {pair_ratio:.1f} x; best/best {best / fbest:.1f} x; "
          f"runs interleaved with the floor)")
    r = Scenario(people=P, days_together=T // 2, days_after=T - T // 2).run()
    bm, _ = timed(lambda: r.band("attachment"), 3)
    sm, _ = timed(r.summary, 3)
    print(f"one band (median+quartiles):         {bm * 1e3:7.1f} ms;  summary(): "
          f"{sm * 1e3:.1f} ms")
    print("scaling with people:")
    for n, d in ((1_000, T), (10_000, T), (100_000, 180)):
        m, _ = scenario(n, d, 3 if n < 100_000 else 1)
        f, _ = floor(n, d, 3 if n < 100_000 else 1)
        print(f"  {n:>7,} people x {d} days: {m * 1e3:8.1f} ms  (floor {f * 1e3:6.1f} ms, "
              f"{m / f:4.1f}x; {m / (n * d) * 1e9:5.1f} ns per person-day)")
    print("  (100,000 x 365 is refused: it would need more than the 1 GB limit)")
    print("scaling with days (10,000 people):")
    for d in (90, 365, 730):
        m, _ = scenario(P, d, 3)
        print(f"  {d:>4} days: {m * 1e3:8.1f} ms  ({m / d * 1e3:.3f} ms/day)")


if __name__ == "__main__":
    main()
