"""Benchmark the Bond Lab engine (run by ``make bench``; prints figures, asserts nothing).

Measures a Scenario of 10,000 people x 365 days with every output computed
(events, opponent process, learner, attachment, mood, withdrawal, surprise),
as the median over repeats, and the *floor*: the same number of time steps
of a bare NumPy Rescorla-Wagner update over arrays of the same shape and
dtype, recording the history (per step: subtract, multiply, add, store),
measured in the same run, interleaved run by run with the scenario so
both see the same load on a shared machine.  Wall-clock and CPU time
(``time.thread_time``: less disturbed when other programs share the cores)
are both reported.

Then where the time goes (the parts run alone), a *model floor* (the bare
update above for every state the model must carry from day to day, and a
stored row for each of its six outputs: what a day costs in NumPy before
any of the model's own arithmetic), and how time grows with people and days.
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bondlab import DTYPE, ChangeDetection, OpponentProcess, Scenario  # noqa: E402
from bondlab._fast.felt_days import FeltDays  # noqa: E402
from bondlab._fast.scenario_chunks import CHUNK_MIN_DAYS, CHUNK_VALUES  # noqa: E402

#: States the scenario carries from day to day, each updated by a recurrence that
#: feeds back: a, b, g of the opponent process for warmth and for cruelty (6);
#: change detection's evidence, hit count, weight count and value sum (4); the
#: mood noise (1).  (After leaving also the reminder trace.)
MODEL_STATES = 11
#: Outputs stored per person and day.
MODEL_OUTPUTS = 6


def timed(fn, repeats):
    """(median, best) wall-clock seconds of ``fn()`` over ``repeats`` calls."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def rw_floor(people, days, states=1, outputs=1):
    """A function running the bare RW update for ``states`` arrays, storing ``outputs``."""
    rng = np.random.default_rng(0)
    x = (rng.random((days, people)) < 0.3).astype(DTYPE)
    alpha = DTYPE(0.1)

    def rw():
        hist = [np.empty((days, people), DTYPE) for _ in range(outputs)]
        vs = [np.zeros(people, DTYPE) for _ in range(states)]
        d = np.empty(people, DTYPE)
        for t in range(days):
            for v in vs:
                np.subtract(x[t], v, out=d)
                d *= alpha
                v += d
            for h, v in zip(hist, vs):
                h[t] = v
    return rw


def floor(people, days, repeats):
    return timed(rw_floor(people, days), repeats)


def scenario(people, days, repeats):
    together = days // 2
    s = Scenario(people=people, days_together=together, days_after=days - together, seed=0)
    return timed(s.run, repeats)


def interleaved(people, days, repeats):
    """Scenario and floor alternately, so both see the same load on a shared machine.

    Returns {"wall": (scenario median, best, floor median, best, median paired
    ratio), "cpu": the same in CPU seconds}.
    """
    together = days // 2
    s = Scenario(people=people, days_together=together, days_after=days - together, seed=0)
    rw = rw_floor(people, days)
    w = {"s": [], "f": []}
    c = {"s": [], "f": []}
    for _ in range(repeats):
        for key, fn in (("s", s.run), ("f", rw)):
            w0, c0 = time.perf_counter(), time.thread_time()
            fn()
            w[key].append(time.perf_counter() - w0)
            c[key].append(time.thread_time() - c0)
    out = {}
    for name, d in (("wall", w), ("cpu", c)):
        ratios = [a / b for a, b in zip(d["s"], d["f"])]
        out[name] = (statistics.median(d["s"]), min(d["s"]), statistics.median(d["f"]),
                     min(d["f"]), statistics.median(ratios))
    return out


def parts(people, days, repeats):
    """Median CPU ms of the scenario's main parts, each run alone over all days."""
    together = days // 2
    rng = np.random.default_rng(0)
    S = np.zeros((2, days, people), DTYPE)
    from bondlab import IntermittentPartner
    partner = IntermittentPartner()
    sens = np.exp(0.2 * rng.standard_normal(people)).astype(DTYPE)
    L = min(days, max(CHUNK_MIN_DAYS, CHUNK_VALUES // people))
    chunks = [(t0, min(days, t0 + L)) for t0 in range(0, days, L)]
    D = np.empty((L, 2, people), DTYPE)
    S[:, :together] = rng.random((2, together, people)) < 0.3
    x = np.ascontiguousarray(S[0])
    rel = np.ones((days, people), DTYPE)
    cue = np.zeros((days, people), DTYPE)
    su, pull = np.empty((days, people), DTYPE), np.empty((days, people), DTYPE)
    op = OpponentProcess().validate()

    def events():
        partner._events_into(together, people, np.random.default_rng(1),
                             np.empty((together, people), DTYPE),
                             np.empty((together, people), DTYPE))

    def felt():
        f = FeltDays(op, people, 2, sens)
        for t0, t1 in chunks:
            f.run(S[:, t0:t1], D[:t1 - t0])

    def learner():
        st = ChangeDetection().begin(people, sens)
        for t0, t1 in chunks:
            st.days(x[t0:t1], rel[t0:t1], su[t0:t1], pull[t0:t1],
                    cue=cue[t0:t1] if t0 >= together else None, cue_decay=0.7)

    res = {}
    for name, fn in (("partner events (random draws)", events),
                     ("opponent process (2 channels)", felt),
                     ("change detection (attachment, surprise)", learner)):
        times = []
        for _ in range(repeats):
            c0 = time.thread_time()
            fn()
            times.append(time.thread_time() - c0)
        res[name] = statistics.median(times)
    return res


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    P, T = 10_000, 365
    scenario(1000, 50, 2)                      # warm up
    r = interleaved(P, T, repeats)
    med, best, fmed, fbest, pair_ratio = r["wall"]
    cmed, cbest, cfmed, cfbest, cpair = r["cpu"]
    print(f"Bond Lab engine benchmark (dtype {np.dtype(DTYPE).name}, numpy {np.__version__}, "
          f"{repeats} repeats, median [best])")
    print(f"scenario {P:,} people x {T} days:   {med * 1e3:7.1f} ms [{best * 1e3:.1f}]   "
          f"goal < 150 ms: {'met' if med < 0.150 else 'NOT met'}")
    print(f"floor (bare RW, same shape):         {fmed * 1e3:7.1f} ms [{fbest * 1e3:.1f}]")
    print(f"ratio to floor:                      {med / fmed:7.1f} x   "
          f"goal <= 4x: {'met' if med / fmed <= 4 else 'NOT met'}")
    print(f"  (median of paired ratios {pair_ratio:.1f} x; best/best {best / fbest:.1f} x; "
          f"runs interleaved with the floor)")
    print(f"CPU time: scenario {cmed * 1e3:.1f} ms [{cbest * 1e3:.1f}], floor "
          f"{cfmed * 1e3:.1f} ms [{cfbest * 1e3:.1f}], ratio {cmed / cfmed:.1f} x "
          f"(paired {cpair:.1f} x)")
    res = Scenario(people=P, days_together=T // 2, days_after=T - T // 2).run()
    bm, _ = timed(lambda: res.band("attachment"), 3)
    sm, _ = timed(res.summary, 3)
    print(f"one band (median+quartiles):         {bm * 1e3:7.1f} ms;  summary(): "
          f"{sm * 1e3:.1f} ms")
    print("where the time goes (CPU ms, each part alone over all days):")
    for name, sec in parts(P, T, 5).items():
        print(f"  {name:42s} {sec * 1e3:6.1f} ms  ({sec / cfmed:4.1f} x floor)")
    mf, _ = timed(rw_floor(P, T, MODEL_STATES, MODEL_OUTPUTS), 5)
    f1, _ = floor(P, T, 5)
    print(f"model floor: bare RW update of the {MODEL_STATES} states the model carries from "
          f"day to day,\n  storing its {MODEL_OUTPUTS} outputs: {mf * 1e3:.1f} ms = "
          f"{mf / f1:.1f} x the floor ({f1 * 1e3:.1f} ms, same run)")
    print("scaling with people (CPU ms, median; floor measured alongside):")
    for n, d in ((1_000, T), (10_000, T), (100_000, 180)):
        r = interleaved(n, d, 3 if n < 100_000 else 2)["cpu"]
        m, f = r[0], r[2]
        print(f"  {n:>7,} people x {d} days: {m * 1e3:8.1f} ms  (floor {f * 1e3:6.1f} ms, "
              f"{m / f:4.1f}x; {m / (n * d) * 1e9:5.1f} ns per person-day)")
    print("  (100,000 x 365 is refused: it would need more than the 1 GB limit)")
    print("scaling with days (10,000 people; CPU ms, median):")
    for d in (90, 365, 730):
        m = interleaved(P, d, 3)["cpu"][0]
        print(f"  {d:>4} days: {m * 1e3:8.1f} ms  ({m / d * 1e3:.3f} ms/day)")

if __name__ == "__main__":
    main()
