"""Fast path of the opponent process: :class:`bondlab.affect._OPStepper` over many days.

The model is :meth:`bondlab.affect._OPStepper.step` (its docstring has the equations);
this is the same model rearranged for speed, used by :class:`bondlab.Scenario`.
"""

from __future__ import annotations

import math

import numpy as np

from .._params import DTYPE

__all__ = ["FeltDays"]


class FeltDays:
    r"""The opponent process over many days at once, for non-negative stimuli (Scenario).

    Computes what :meth:`bondlab.affect._OPStepper.step` computes, day after day, with
    ``dt`` = 1 (``tests/test_affect.py`` checks they agree to float32 rounding),
    rearranged so that a day costs 11 array operations
    instead of 16: everything is measured in units of :math:`k_a A` (per
    person, :attr:`scale`), and the gain is carried as its distance from the
    ceiling, :math:`h = g_{max} - g`, which turns its update into one product:

    .. math::
        \alpha_t = (1-k_a)\,\alpha_{t-1} + s_t,\qquad a_t = k_a A\,\alpha_t

        \beta'_t = (1-k_b)\,\beta'_{t-1} + (k_b g_{max} - h'_{t-1})\,\alpha_t,
        \qquad b_t = k_a A\,\beta'_t,\quad h' = k_b h

        h'_t = h'_{t-1}\,(r_g - k_g k_a A\,\alpha_t) + k_b (g_{max} - g_0)(1 - r_g)

    ``v``: validated :class:`OpponentProcess` parameters; ``sensitivity``:
    shape (people,) or None.  The state carries over from one :meth:`run`
    to the next, so a caller can go through the days in chunks.
    """

    def __init__(self, v, people, channels, sensitivity=None):
        P, C = people, channels
        self.ka = ka = DTYPE(1 - math.exp(-1 / v["tau_a"]))
        self.kb = kb = DTYPE(1 - math.exp(-1 / v["tau_b"]))
        A = DTYPE(v["gain"]) * (np.ones(P, DTYPE) if sensitivity is None
                                else sensitivity.astype(DTYPE))
        g0 = DTYPE(v["opponent"])
        gmax = DTYPE(max(v["opponent_max"], v["opponent"]))
        self.rg = rg = DTYPE(math.exp(-1 / v["recovery"]))
        #: k_a A per person: multiply the written values by it to get a - b.
        self.scale = (ka * A).astype(DTYPE)
        self.mG = (-DTYPE(v["growth"]) * self.scale).astype(DTYPE)    # -k_g k_a A
        self.K = DTYPE(kb * (gmax - g0) * (1 - rg))
        self.kbgmax = DTYPE(kb * gmax)
        self.ks = DTYPE(v["allostasis"])
        self.rs = DTYPE(1 - math.exp(-1 / v["tau_setpoint"]))
        self.al = np.zeros((C, P), DTYPE)
        self.be = np.zeros((C, P), DTYPE)
        self.h = np.full((C, P), kb * (gmax - g0), DTYPE)
        self.t1 = np.empty((C, P), DTYPE)
        self.sig = np.zeros((C, P), DTYPE)

    def run(self, S, D):
        """Advance through the days of ``S`` (channels, days, people), writing ``D``.

        ``D`` (days, channels, people) gets ``(a - b) / scale`` per channel;
        with allostasis, channel 0 also carries ``(sp_0 + sp_1 + ...) / scale``.
        ``S=None``: no stimulus on any of the ``len(D)`` days.
        """
        al, be, h, t1, sig = self.al, self.be, self.h, self.t1, self.sig
        ca, cb = DTYPE(1) - self.ka, DTYPE(1) - self.kb
        mG, K, kbgmax, rg, ks, rs = self.mG, self.K, self.kbgmax, self.rg, self.ks, self.rs
        mul, sub = np.multiply, np.subtract
        for t in range(D.shape[0]):
            al *= ca
            if S is not None:
                al += S[:, t]
            sub(kbgmax, h, out=t1)         # k_b g_{t-1}
            t1 *= al
            be *= cb
            be += t1
            mul(al, mG, out=t1)
            t1 += rg
            h *= t1
            h += K
            d = D[t]
            sub(al, be, out=d)
            if ks:                         # sp += r_s (-k_s b - sp), in the same units
                mul(be, -ks, out=t1)
                t1 -= sig
                t1 *= rs
                sig += t1
                for c in range(sig.shape[0]):
                    d[0] += sig[c]
