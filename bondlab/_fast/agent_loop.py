"""Fast path of the responding agent: :meth:`bondlab.RespondingAgent._step_by_step`, quicker.

The model is ``RespondingAgent._step_by_step`` in :mod:`bondlab.agent` (the equations are
in its docstring and the class's); :meth:`bondlab.RespondingAgent.run` uses this loop
unless ``fast=False``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["agent_loop"]


def agent_loop(v, schedule, ticks, P, rng, record_from):
    """The agent's ticks, computed as :meth:`RespondingAgent._step_by_step` computes them
    (the same random draws, in the same order: ``tests/test_agent.py`` checks the choices
    and reinforcers are identical), with less work per tick:

    * the three clue tables live in one flat array, read and written through one index per
      clue and person: ``Q[k][i, s, a]`` is ``Qf[((off[k] + s) * P + i) * 2 + a]``;
    * the choice ``U < sigma(beta * adv)`` is taken as the equivalent
      ``adv > logit(U) / beta`` (times the weights' total, so the weights need no
      normalising), with ``logit(U) / beta`` computed for all ticks at once;
    * the clock's bins come from a look-up table; outputs go into preallocated rows.

    Returns (responses, reinforced), ticks x people.
    """
    from ..agent import CLUE_BINS, Q0, SURPRISE_SMOOTHING, _tau_bin
    off = np.concatenate([[0], np.cumsum(CLUE_BINS)[:-1]])
    Qf = np.full(sum(CLUE_BINS) * P * 2, Q0)
    rowbase = off[:, None] * (2 * P) + 2 * np.arange(P)      # (3, P)
    err = np.ones((3, P))                             # running squared surprise
    n = np.zeros(P, np.int64)
    tau = np.zeros(P, np.int64)
    g = np.zeros(P, np.int64)
    cap_n, cap_g = CLUE_BINS[0] - 1, CLUE_BINS[2] - 1
    # the clock's bins for every reading up to the top one (above it: the last bin)
    top = 2 * (CLUE_BINS[1] - 1) - 20
    tau_lut = _tau_bin(np.arange(top + 1), CLUE_BINS[1] - 1)
    state = schedule.start(P, rng)
    U = rng.random((ticks, P))
    with np.errstate(divide="ignore"):  # U = 0: logit -inf, always responds (as U < p)
        threshold = (np.log(U) - np.log1p(-U)) / v["beta"]
    del U
    noise = np.exp(v["timing_noise"] * rng.standard_normal((ticks, P)))
    keep = ticks - record_from
    resp_out = np.zeros((keep, P), bool)
    rf_out = np.zeros((keep, P), bool)
    a_, g_, c_ = v["alpha"], v["gamma"], v["cost"]
    bins = np.empty((3, P), np.int64)
    idx = np.empty((3, P), np.int64)
    pidx = np.empty((3, P), np.int64)
    tt = np.empty(P)
    tti = np.empty(P, np.int64)
    wts = np.empty((3, P))
    adv = np.empty(P)
    total = np.empty(P)
    minimum, multiply, add, rint = np.minimum, np.multiply, np.add, np.rint
    take_q, take_tau = Qf.take, tau_lut.take
    step = schedule.step
    prev = False
    pai = pq = pr = None
    for t in range(ticks):
        minimum(n, cap_n, out=bins[0])
        multiply(tau, noise[t], out=tt)
        rint(tt, out=tti, casting="unsafe")
        take_tau(tti, out=bins[1], mode="clip")
        minimum(g, cap_g, out=bins[2])
        multiply(bins, 2 * P, out=idx)
        idx += rowbase
        q0 = take_q(idx)
        q1 = take_q(idx + 1)
        multiply(err, err, out=wts)
        np.divide(1.0, wts, out=wts)
        add(wts[0], wts[1], out=total)
        total += wts[2]
        dq = q1 - q0
        dq *= wts
        add(dq[0], dq[1], out=adv)
        adv += dq[2]
        total *= threshold[t]
        act = adv > total          # adv / total > logit(U) / beta
        ai = act.astype(np.int64)
        q = np.where(act, q1, q0)
        if prev:
            d = pr + g_ * q
            d -= pq
            err += SURPRISE_SMOOTHING * (d * d - err)
            d *= a_
            pidx += pai
            Qf[pidx] += d
        rf = step(state, act, rng)
        r = rf.astype(float)
        r -= c_ * act
        prev = True
        idx, pidx = pidx, idx
        pai, pq, pr = ai, q, r
        if t >= record_from:
            resp_out[t - record_from] = act
            rf_out[t - record_from] = rf
        n += act
        n[rf] = 0
        tau += 1
        tau[rf] = 0
        g += 1
        g[act] = 0
    return resp_out, rf_out
