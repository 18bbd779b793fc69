"""Fast path of change detection: :meth:`bondlab.learners._CDStepper.step` over many days.

The model is :meth:`bondlab.learners._CDStepper.step` (the equations are in
:class:`bondlab.learners.ChangeDetection`); this is the same model rearranged for speed,
used by :class:`bondlab.Scenario`.
"""

from __future__ import annotations

import numpy as np

from .._params import DTYPE

__all__ = ["change_days"]


def change_days(cd, x, reward, surprise, pull, cue=None, cue_decay=1.0):
    r"""Many steps of the change-detection stepper ``cd`` at once (Scenario).

    Computes what :meth:`bondlab.learners._CDStepper.step` computes, day after day
    (``tests/test_learners.py`` checks they agree to float32 rounding).

    ``x``, ``reward``: (days, people) outcomes (0/1) and how good each
    felt; writes ``surprise`` and ``pull`` (days, people).  ``x=None``
    means no warmth on any of these days (after leaving, between
    contacts; ``reward`` is then not used).  ``cue`` (optional, (days,
    people)): reminders; their trace
    :math:`R_t = \rho R_{t-1} + \mathrm{cue}_t` (``offset``, from 0,
    carried from one call to the next) lowers the evidence for a change
    by :math:`R_t` (it is subtracted from
    :math:`\operatorname{logit}\pi_t`).

    In the step's terms, for each day ``t`` in turn: ``cd.offset = R_t`` (with a cue),
    then ``cd.step(x[t], reward[t], surprise=surprise[t], pull=pull[t])``.

    Here a day costs fewer array operations than in ``step``: the counts are
    updated as one stacked array, the value's denominator is the hit count plus a constant, no clamp is
    needed before the exponential (an overflow gives strength 0, as it
    should), and days without warmth skip what cannot change (the hit
    counts, the value).
    """
    T, P = surprise.shape
    w, phat, e, lam, tmp = cd.w, cd.phat, cd.k, cd.lam, cd.tmp
    st = cd._sums                   # [vnum, acnt, ncnt]: one add a day
    inc = cd._inc
    winc = inc[2]                     # w_t (w_{t-1} until it is updated)
    winc[...] = w
    c_den = cd._c_den
    one, L0, sens = DTYPE(1), cd.L0, cd.sens
    R = fixed = None
    if cue is not None:
        if cd.offset is None:
            cd.offset = np.zeros(P, DTYPE)
        R = cd.offset
    else:
        fixed = cd.offset
    rho = DTYPE(cue_decay)
    mul, sub, div = np.multiply, np.subtract, np.divide
    quiet = x is None
    if quiet:                         # the value stays vnum / vden
        value = div(cd.vnum, cd.vden)
    with np.errstate(over="ignore"):
        for t in range(T):
            su = surprise[t]
            # the prediction before the outcome (the surprise, x minus that, below)
            mul(winc, phat, out=su)
            # evidence for a change over the current run of misses
            if cd.rate:
                e += phat
            else:
                np.minimum(phat, 0.999, out=lam)
                np.negative(lam, out=lam)
                np.log1p(lam, out=lam)
                e -= lam
            if not quiet:
                sub(one, x[t], out=tmp)
                e *= tmp
            if sens is not None:
                mul(e, sens, out=lam)
                lam += L0
            else:
                np.add(e, L0, out=lam)
            if R is not None:
                R *= rho
                R += cue[t]
                lam -= R
            elif fixed is not None:
                lam -= fixed
            # w = 1 - pi = 1 / (1 + exp(logit pi))
            np.exp(lam, out=lam)
            lam += one
            div(one, lam, out=winc)
            if quiet:                 # no hits: only the weight count grows
                st[2] += winc
                div(st[1], st[2], out=phat)
                mul(value, winc, out=pull[t])
                continue
            mul(winc, x[t], out=inc[1])
            mul(inc[1], reward[t], out=inc[0])
            st += inc
            div(st[1], st[2], out=phat)
            pl = pull[t]
            if c_den is None:
                div(st[0], st[1], out=pl)
            else:
                np.add(st[1], c_den, out=pl)
                div(st[0], pl, out=pl)
            pl *= winc
    if quiet:
        np.negative(surprise, out=surprise)
    else:
        sub(x, surprise, out=surprise)
    w[...] = winc
    np.add(cd.acnt, 0 if c_den is None else c_den, out=cd.vden)
