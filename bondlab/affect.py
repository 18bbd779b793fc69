"""Affect: how events are felt over time — the opponent process.

A stimulus (warmth, or cruelty) sets off a fast primary reaction (the
a-process) and, opposing it, a slow reaction (the b-process) that grows with
use and fades with disuse (Solomon & Corbit 1974; Solomon 1980).  Felt mood
is their difference: a peak, adaptation to a lower steady level while the
stimulus lasts (tolerance), and an opposite after-reaction when it ends
(withdrawal after a pleasure; relief after a pain).  Koob & Le Moal (2001)
add a drifting set point (allostasis) when the opposing process never
returns to baseline.
"""

from __future__ import annotations

import math

import numpy as np

from ._params import DTYPE, Model, Param, check_memory, check_value
from .stats import band

__all__ = ["OpponentProcess", "AffectHistory", "exposure_train"]


class AffectHistory:
    """Named histories of an opponent-process run (arrays: people x steps).

    Attributes
    ----------
    a, b : numpy.ndarray
        Primary (fast) and opponent (slow) processes.
    gain : numpy.ndarray
        Opponent gain g (grows with use, relaxes with disuse).
    setpoint : numpy.ndarray
        Hedonic set point (0 unless ``allostasis`` > 0).
    felt : numpy.ndarray
        Felt state ``a - b + setpoint``.
    names : tuple of str
    """

    names = ("a", "b", "gain", "setpoint", "felt")

    def __init__(self, **arrays):
        for k, v in arrays.items():
            setattr(self, k, v)

    def band(self, name):
        """(median, 25th percentile, 75th percentile) over people, per step."""
        return band(getattr(self, name), axis=0)


class OpponentProcess(Model):
    r"""Opponent-process model of affect (Solomon & Corbit 1974; Koob & Le Moal 2001).

    A fast primary process *a* follows the stimulus; a slow opponent *b*
    follows *a* with a gain *g* that grows with use and relaxes with disuse;
    felt state = a − b (+ a set point that can drift: allostasis).  Updates
    use the exact exponential step, so they are stable for any time step.

    .. math::
        \tau_a \dot a = -a + A\,s(t),\qquad
        \tau_b \dot b = -b + g\,a

        \dot g = \kappa\,|a|\,(g_{max} - g) - (g - g_0)/\tau_g,\qquad
        \tau_s \dot{sp} = -sp - \kappa_s\, b,\qquad
        \text{felt} = a - b + sp

    This formalisation is a common one in textbooks and models; it is *not*
    given as equations in Solomon & Corbit (1974) or Koob & Le Moal (2001),
    whose accounts are verbal and graphical.

    Signatures it reproduces (see ``bondlab validate``): a peak, adaptation
    to a lower steady level, an opposite after-reaction at offset that
    decays slowly; with closely spaced repetition a smaller peak
    (tolerance) and a deeper, longer after-reaction (withdrawal); with
    widely spaced repetition little change; an aversive stimulus (s < 0)
    gives a positive after-reaction (relief).  Sandvik, Diener & Larsen
    (1985) found habituation to emotional stimuli without a larger
    after-reaction in people: the model is a hypothesis, not a law.

    Parameters
    ----------
    tau_a : float in [0.05, 100]
        Time constant of the primary reaction (steps).
    tau_b : float in [0.5, 1000]
        Time constant of the opponent reaction (steps); should be ≫ tau_a.
    gain : float in [0, 10]
        Strength A of the primary reaction per unit of stimulus.
    opponent : float in [0, 1]
        Starting opponent gain g0 (how strongly b answers a at first).
    opponent_max : float in [0, 1]
        The most g can grow to with use.
    growth : float in [0, 1]
        How fast g grows with use (per unit of |a| per step).
    recovery : float in [1, 10000]
        Time constant (steps) for g to relax back to g0 with disuse.
    allostasis : float in [0, 1]
        How strongly a lasting opponent reaction drags the set point down.
    tau_setpoint : float in [1, 10000]
        Time constant (steps) of the set point.

    Notes
    -----
    Solomon, R. L., & Corbit, J. D. (1974). Psychological Review, 81,
    119–145.  Solomon, R. L. (1980). American Psychologist, 35, 691–712.
    Koob, G. F., & Le Moal, M. (2001). Neuropsychopharmacology, 24, 97–129.

    Examples
    --------
    >>> s = np.r_[np.ones(30), np.zeros(60)]
    >>> h = OpponentProcess().run(s)
    >>> f = h.felt[0]
    >>> bool(f.max() > f[29] > 0 > f[35])
    True
    """

    label = "Opponent process (tolerance and withdrawal)"
    citation = ("Solomon, R. L., & Corbit, J. D. (1974). An opponent-process theory of "
                "motivation: I. Temporal dynamics of affect. Psychological Review, 81, "
                "119–145. Koob, G. F., & Le Moal, M. (2001). Drug addiction, "
                "dysregulation of reward, and allostasis. Neuropsychopharmacology, 24, "
                "97–129.")
    equations = (r"\tau_a \dot a = -a + A\,s(t)",
                 r"\tau_b \dot b = -b + g\,a",
                 r"\dot g = \kappa\,|a|\,(g_{\max}-g) - (g-g_0)/\tau_g",
                 r"\tau_s\,\dot{sp} = -sp - \kappa_s\,b",
                 r"\mathrm{felt} = a - b + sp")
    parameters = {
        "tau_a": Param(float, 0.05, 100, default=0.5, label="Speed of the first reaction",
                       help="How quickly the immediate feeling follows an event.",
                       unit="steps", step=0.05),
        "tau_b": Param(float, 0.5, 1000, default=15.0, label="Slowness of the opposite reaction",
                       help="How slowly the opposite feeling builds and fades.",
                       unit="steps", step=1),
        "gain": Param(float, 0, 10, default=1.0, label="Strength of the first reaction",
                      help="How strongly an event is felt at first.", step=0.1),
        "opponent": Param(float, 0, 1, default=0.3, label="Starting opposite reaction",
                          help="How strongly the body pushes back at first.", step=0.05),
        "opponent_max": Param(float, 0, 1, default=0.9, label="Largest opposite reaction",
                              help="How strong the push-back can grow with use.",
                              step=0.05),
        "growth": Param(float, 0, 1, default=0.02, label="Growth with use",
                        help="How fast the push-back grows with repeated exposure.",
                        step=0.005),
        "recovery": Param(float, 1, 10000, default=60.0, label="Recovery with disuse",
                          help="How long the push-back takes to fade without exposure.",
                          unit="steps", step=1),
        "allostasis": Param(float, 0, 1, default=0.0, label="Set-point drift",
                            help="How much a lasting push-back lowers the baseline mood.",
                            step=0.05),
        "tau_setpoint": Param(float, 1, 10000, default=60.0, label="Set-point speed",
                              help="How slowly the baseline mood drifts.", unit="steps",
                              step=1),
    }

    def __init__(self, tau_a=0.5, tau_b=15.0, gain=1.0, opponent=0.3, opponent_max=0.9,
                 growth=0.02, recovery=60.0, allostasis=0.0, tau_setpoint=60.0):
        self.tau_a = tau_a
        self.tau_b = tau_b
        self.gain = gain
        self.opponent = opponent
        self.opponent_max = opponent_max
        self.growth = growth
        self.recovery = recovery
        self.allostasis = allostasis
        self.tau_setpoint = tau_setpoint

    def begin(self, shape, dt=1.0, sensitivity=None):
        """A stepper (:class:`_OPStepper`, the model step by step) over state arrays of
        ``shape``, used by :meth:`run`."""
        return _OPStepper(self.validate(), shape, dt, sensitivity)

    def run(self, stimulus, dt=1.0):
        """Felt state over time for a stimulus (people x steps, or one 1-D series).

        Parameters
        ----------
        stimulus : array_like
            s(t) per step: positive = pleasant, negative = aversive.
        dt : float
            Step length in the units of the time constants.

        Returns
        -------
        AffectHistory
        """
        dt = check_value("OpponentProcess.run", "dt",
                         Param(float, 1e-3, 1e3, default=1.0, label="dt"), dt)
        s = np.asarray(stimulus, dtype=DTYPE)
        if s.ndim == 1:
            s = s[None, :]
        if s.ndim != 2 or not np.isfinite(s).all():
            raise ValueError("The stimulus must be a finite 1-D or 2-D (people x steps) array.")
        people, steps = s.shape
        check_memory(people * steps * 6, "Running OpponentProcess")
        st = self.begin((people,), dt)
        out = {n: np.empty((steps, people), DTYPE) for n in AffectHistory.names}
        st_ = np.ascontiguousarray(s.T)
        for t in range(steps):
            st.step(st_[t], out["felt"][t])
            out["a"][t] = st.a
            out["b"][t] = st.b
            out["gain"][t] = st.g
            out["setpoint"][t] = st.sp
        return AffectHistory(**{k: v.T for k, v in out.items()})


class _OPStepper:
    r"""The opponent process, one step at a time: **the model** (:class:`OpponentProcess`).

    State per person (arrays of ``shape``): primary reaction *a*, opponent *b*, opponent
    gain *g*, set point *sp*.  One step of length :math:`\Delta t` with stimulus
    :math:`s` uses the exact exponential update of each linear equation:

    .. math::
        a \leftarrow a + k_a\,(A s - a),\qquad
        b \leftarrow b + k_b\,(g a - b),\qquad
        k_x = 1 - e^{-\Delta t/\tau_x}

        g \leftarrow g_0 + r_g\,(g - g_0) + \kappa\Delta t\,|a|\,(g_{max} - g),\qquad
        r_g = e^{-\Delta t/\tau_g}

        sp \leftarrow sp + k_s\,(-\kappa_s b - sp),\qquad
        \text{felt} = a - b + sp

    with :math:`A` the gain times the person's sensitivity.  The fast path over many
    days, :class:`bondlab._fast.felt_days.FeltDays`, computes the same (a test checks).
    """

    def __init__(self, v, shape, dt, sens):
        self.ka = DTYPE(1 - math.exp(-dt / v["tau_a"]))
        self.kb = DTYPE(1 - math.exp(-dt / v["tau_b"]))
        self.A = DTYPE(v["gain"]) * (DTYPE(1) if sens is None else sens.astype(DTYPE))
        self.g0 = DTYPE(v["opponent"])
        self.gmax = DTYPE(max(v["opponent_max"], v["opponent"]))
        self.kg = DTYPE(v["growth"] * dt)
        self.rg = DTYPE(math.exp(-dt / v["recovery"]))
        self.ks = DTYPE(v["allostasis"])
        self.rs = DTYPE(1 - math.exp(-dt / v["tau_setpoint"]))
        self.a = np.zeros(shape, DTYPE)
        self.b = np.zeros(shape, DTYPE)
        self.g = np.full(shape, self.g0, DTYPE)
        self.sp = np.zeros(shape, DTYPE)

    def step(self, s, felt=None):
        """Advance one step with stimulus row ``s``; write a - b + sp into ``felt``."""
        a, b, g = self.a, self.b, self.g
        a += self.ka * (s * self.A - a)           # the first reaction follows A s, fast
        b += self.kb * (g * a - b)                # the opposite one follows g a, slowly
        # the gain grows with use (|a|) toward gmax and relaxes toward g0 with disuse
        g[...] = (g - self.g0) * self.rg + self.g0 + np.abs(a) * self.kg * (self.gmax - g)
        if self.ks:                               # allostasis: the set point drifts
            self.sp += self.rs * (b * -self.ks - self.sp)
        if felt is not None:
            np.subtract(a, b, out=felt)
            if self.ks:
                felt += self.sp


_EXPO = {
    "spacing": Param(int, 1, 10000, default=20, label="Time between exposures",
                     unit="steps", step=1, slider=(2, 100)),
    "intensity": Param(float, -10, 10, default=1.0, label="Intensity (below 0 = unpleasant)",
                       step=0.1, slider=(-3, 3)),
    "count": Param(int, 1, 1000, default=5, label="Number of exposures", step=1,
                   slider=(1, 20)),
    "duration": Param(int, 1, 10000, default=10, label="Length of each exposure",
                      unit="steps", step=1),
    "lead": Param(int, 0, 10000, default=10, label="Steps before the first", step=1),
    "tail": Param(int, 0, 100000, default=150, label="Steps after the last", step=1),
}


def exposure_train(spacing=20, intensity=1.0, count=5, duration=10, lead=10, tail=150):
    """A stimulus series of ``count`` exposures, one every ``spacing`` steps.

    For the opponent-process playground: closely spaced exposures build
    tolerance and withdrawal; widely spaced ones change little.

    Parameters
    ----------
    spacing : int
        Steps from the start of one exposure to the start of the next.
    intensity : float
        Stimulus level during an exposure (negative for an aversive one).
    count : int
        Number of exposures.
    duration : int
        Steps each exposure lasts (overlaps merge if duration > spacing).
    lead, tail : int
        Quiet steps before the first and after the last exposure.

    Returns
    -------
    numpy.ndarray, shape (steps,)

    Examples
    --------
    >>> exposure_train(spacing=4, count=2, duration=2, lead=1, tail=2).tolist()
    [0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 0.0]
    """
    v = {k: check_value("exposure_train", k, p, x) for (k, p), x in zip(
        _EXPO.items(), (spacing, intensity, count, duration, lead, tail))}
    n = v["lead"] + (v["count"] - 1) * v["spacing"] + v["duration"] + v["tail"]
    check_memory(n, "This exposure train")
    s = np.zeros(n, DTYPE)
    for i in range(v["count"]):
        start = v["lead"] + i * v["spacing"]
        s[start:start + v["duration"]] = v["intensity"]
    return s


#: Its parameter table (ranges, defaults, labels), as a model class has ``parameters``.
exposure_train.parameters = _EXPO
