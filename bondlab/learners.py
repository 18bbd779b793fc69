"""Learners: how a person's expectation updates, trial by trial or day by day.

Every learner emits a per-step prediction error, the "surprise" a dopamine
neuron is thought to signal (Schultz, Dayan & Montague 1997).

=====================  ==================  ==================================
learner                partial-reinf.      what it is for in the kit
                       extinction effect
=====================  ==================  ==================================
RescorlaWagner         no (none/reversed)  the classic; the negative control
TemporalDifference     no                  surprise at cue / reward / omission
ChangeDetection        yes, ~1/p           persistence, reinstatement, the
                                           attachment in every Scenario
=====================  ==================  ==================================

Arrays: people on axis 0, trials (or days) on axis 1.
"""

from __future__ import annotations

import math
from typing import Protocol, runtime_checkable

import numpy as np

from ._params import (DTYPE, Model, Param, check_memory, check_value, make_rng)
from ._fast.change_days import change_days
from .stats import band

__all__ = [
    "Learner", "Stepper", "DayStepper", "RescorlaWagner", "TemporalDifference", "ChangeDetection",
    "LearningHistory", "trials_to_extinction", "LEARNER_CLASSES", "learner_from_name",
]


class LearningHistory:
    """Named histories of a trial-by-trial run (each array: people x trials).

    Attributes
    ----------
    names : tuple of str
        The recorded arrays, e.g. ``("expectation", "surprise", "strength")``.
        ``expectation`` is the prediction *before* each trial's outcome,
        ``surprise`` the prediction error at the outcome, ``strength`` the
        response strength *after* the trial (what responding would be).
    """

    def __init__(self, arrays, learner=None):
        self._arrays = dict(arrays)
        self.names = tuple(self._arrays)
        self.learner = learner

    def __getattr__(self, name):
        try:
            return self.__dict__["_arrays"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name):
        return self._arrays[name]

    def band(self, name):
        """(median, 25th percentile, 75th percentile) over people, per trial (a person
        with no trial yet, NaN, is left out; see :func:`bondlab.stats.band`)."""
        return band(self._arrays[name], axis=0, nan="omit")


class Stepper(Protocol):
    """What :meth:`Learner.begin` returns: one learner's state for many people at once.

    The stepper's :meth:`step` is the model, written out; the same stepper drives
    :meth:`Learner.run` (trials) and :class:`bondlab.Scenario` (days), so the equations
    live in one place.
    """

    #: The output rows :meth:`step` can write, by keyword (e.g. "surprise").
    outputs: tuple
    #: True when :meth:`step` multiplies the reward by ``x`` itself (the reward only
    #: counts on reinforced steps), so a caller need not zero it on the others.
    gates_reward: bool
    #: True when the stepper has an ``offset`` (reminders lower the evidence for a change
    #: by it); Scenario sets it each day after leaving.
    takes_reminders: bool

    def step(self, x, reward=None, *, expectation=None, surprise=None, strength=None,
             pull=None, valid=None):
        """Consume one outcome per person (``x``: 1 = reinforced, 0 = not; ``reward``: how
        good it felt; ``valid``: 0 = no trial for that person, state unchanged), write the
        requested output rows in place (``pull``: the attachment Scenario reports) and
        update the state."""


@runtime_checkable
class DayStepper(Stepper, Protocol):
    """A stepper with a fast path over many days, which Scenario uses when present."""

    def days(self, x, reward, surprise, pull, cue=None, cue_decay=1.0):
        """:meth:`step` day after day (``x=None``: no warmth on any of the days)."""


class Learner(Model):
    """Base class.  Subclasses implement ``begin(people, sensitivity)``, which returns a
    :class:`Stepper` (optionally a :class:`DayStepper`)."""

    def begin(self, people, sensitivity=None):
        raise NotImplementedError

    def run(self, outcomes):
        """Run the learner over a people x trials array of outcomes.

        Parameters
        ----------
        outcomes : array_like, shape (people, trials)
            1 = reinforced, 0 = not; NaN = no trial for that person (state
            unchanged), so differently long trainings can be right-aligned.

        Returns
        -------
        LearningHistory
            With ``expectation``, ``surprise`` and ``strength`` (and, for
            :class:`TemporalDifference`, ``surprise_cue``).
        """
        x = np.asarray(outcomes, dtype=DTYPE)
        if x.ndim == 1:
            x = x[None, :]
        people, trials = x.shape
        check_memory(people * trials * 5, f"Running {type(self).__name__}")
        xt = np.ascontiguousarray(x.T)
        valid_all = ~np.isnan(xt)
        has_gaps = not valid_all.all()
        xt = np.nan_to_num(xt, nan=0.0)
        st = self.begin(people)
        names = st.outputs
        hist = {n: np.empty((trials, people), dtype=DTYPE) for n in names}
        for t in range(trials):
            st.step(xt[t], xt[t], valid=valid_all[t] if has_gaps else None,
                    **{n: hist[n][t] for n in names})
        if has_gaps:
            for n in names:
                if n.startswith("surprise"):
                    hist[n][~valid_all] = np.nan
        return LearningHistory({n: hist[n].T for n in names}, learner=self)


# --------------------------------------------------------------------------
class RescorlaWagner(Learner):
    r"""Rescorla–Wagner learning: expectation moves a fixed fraction toward each outcome.

    The classic delta rule (technical name: Rescorla–Wagner / least-mean-squares).
    In this kit it is the **negative control**: it does *not* produce the
    partial-reinforcement extinction effect.  It settles at
    :math:`V \approx p\lambda` and in extinction shrinks by the same fraction
    every trial whatever the history, so the time to fall to half its level
    is the same at every p (about :math:`\ln 2/\alpha` trials) and the time
    to reach a fixed low level is *shorter* after thin schedules (a reversed
    effect).  One reinforcer after extinction moves V only by α: no
    reinstatement, no faster relearning.

    .. math::
        \delta_t = x_t - V_t,\qquad V_{t+1} = V_t + \alpha\,\delta_t

    Parameters
    ----------
    alpha : float in [0.001, 1]
        Learning rate (fraction of the surprise learned each trial).

    Notes
    -----
    Rescorla, R. A., & Wagner, A. R. (1972). A theory of Pavlovian
    conditioning. In Black & Prokasy (Eds.), Classical Conditioning II.

    Examples
    --------
    >>> h = RescorlaWagner(alpha=0.5).run([[1, 1, 0]])
    >>> h.strength.round(3).tolist()
    [[0.5, 0.75, 0.375]]
    >>> h.surprise.round(3).tolist()
    [[1.0, 0.5, -0.75]]
    """

    label = "Simple averaging (Rescorla–Wagner)"
    citation = ("Rescorla, R. A., & Wagner, A. R. (1972). A theory of Pavlovian "
                "conditioning: variations in the effectiveness of reinforcement and "
                "nonreinforcement. In A. H. Black & W. F. Prokasy (Eds.), Classical "
                "Conditioning II (pp. 64–99). Appleton-Century-Crofts.")
    equations = (r"\delta_t = x_t - V_t", r"V_{t+1} = V_t + \alpha\,\delta_t")
    parameters = {
        "alpha": Param(float, 0.001, 1, default=0.1, label="Learning speed",
                       help="How much of each surprise is learned at once.", step=0.01),
    }
    reproduces = ("acquisition to V = p", "surprise at reward 1 - p")
    fails = ("partial-reinforcement extinction effect", "reinstatement",
             "faster relearning")

    def __init__(self, alpha=0.1):
        self.alpha = alpha

    def begin(self, people, sensitivity=None):
        return _RWStepper(self.validate()["alpha"], people, sensitivity)


class _RWStepper:
    r"""Rescorla–Wagner, one step at a time (:class:`RescorlaWagner`):
    :math:`\delta = r - V,\ V \leftarrow V + \alpha s\,\delta` (``valid`` = 0 leaves
    V as it is), with :math:`s` the person's sensitivity (:math:`\alpha s \le 1`)."""

    outputs = ("expectation", "surprise", "strength")
    gates_reward = False
    takes_reminders = False

    def __init__(self, alpha, people, sens):
        self.V = np.zeros(people, DTYPE)
        self.d = np.empty(people, DTYPE)
        self.a = (DTYPE(alpha) * (np.ones(people, DTYPE) if sens is None
                                  else np.minimum(sens, 1 / alpha).astype(DTYPE)))

    def step(self, x, reward=None, expectation=None, surprise=None, strength=None,
             pull=None, valid=None):
        V, d = self.V, self.d
        if expectation is not None:
            expectation[...] = V
        r = x if reward is None else reward
        np.subtract(r, V, out=d)
        if surprise is not None:
            surprise[...] = d
        d *= self.a
        if valid is not None:
            d *= valid
        V += d
        if strength is not None:
            strength[...] = V
        if pull is not None:
            pull[...] = V


# --------------------------------------------------------------------------
class TemporalDifference(Learner):
    r"""Temporal-difference learning over a cue followed, some steps later, by an outcome.

    Each trial: a cue (its timing unpredictable, so the value before it is 0),
    ``delay`` time steps, then the outcome (1 or 0).  A tapped delay line
    holds one value per step after the cue (TD(0); Sutton & Barto 1998).
    Once learned with reward probability p (γ = 1): surprise at the cue ≈ p,
    at a reward ≈ 1 − p, at an omission ≈ −p — the pattern of dopamine
    neurons (Schultz, Dayan & Montague 1997; Fiorillo, Tobler & Schultz 2003).
    With a fixed learning rate it fails the partial-reinforcement extinction
    effect the same way Rescorla–Wagner does.  It does not produce the
    uncertainty "ramp" of Fiorillo et al.; Niv, Duff & Dayan (2005) argue
    that ramp may be an artefact of averaging.

    .. math::
        \delta^{cue}_t = \gamma V_0,\quad
        \delta_j = \gamma V_{j+1} - V_j,\quad
        \delta^{out}_t = x_t - V_{D-1},\quad V_j \leftarrow V_j + \alpha\,\delta_j

    Parameters
    ----------
    alpha : float in [0.001, 1]
        Learning rate.
    gamma : float in [0, 1]
        Discount per time step inside a trial.
    delay : int in [1, 50]
        Time steps from cue to outcome.

    Notes
    -----
    Schultz, Dayan & Montague (1997), Science 275, 1593–1599.
    Fiorillo, Tobler & Schultz (2003), Science 299, 1898–1902.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = (rng.random((200, 400)) < 0.25).astype(float)
    >>> h = TemporalDifference().run(x)
    >>> round(float(h.surprise_cue[:, -100:].mean()), 1)
    0.2
    """

    label = "Learning from surprises over time (temporal difference)"
    citation = ("Schultz, W., Dayan, P., & Montague, P. R. (1997). A neural substrate "
                "of prediction and reward. Science, 275, 1593–1599. Fiorillo, C. D., "
                "Tobler, P. N., & Schultz, W. (2003). Discrete coding of reward "
                "probability and uncertainty by dopamine neurons. Science, 299, "
                "1898–1902.")
    equations = (r"\delta^{\mathrm{cue}} = \gamma V_0",
                 r"\delta_j = \gamma V_{j+1} - V_j",
                 r"\delta^{\mathrm{out}} = x - V_{D-1}",
                 r"V_j \leftarrow V_j + \alpha\,\delta_j")
    parameters = {
        "alpha": Param(float, 0.001, 1, default=0.1, label="Learning speed",
                       help="How much of each surprise is learned at once.", step=0.01),
        "gamma": Param(float, 0, 1, default=1.0, label="Discount per step",
                       help="How much a reward one step later is worth now.", step=0.01),
        "delay": Param(int, 1, 50, default=3, label="Steps from cue to outcome",
                       help="How long after the cue the outcome comes.", step=1),
    }
    reproduces = ("surprise at cue p, at reward 1 - p, at omission -p",)
    fails = ("partial-reinforcement extinction effect", "reinstatement",
             "uncertainty ramp (Fiorillo et al. 2003)")

    def __init__(self, alpha=0.1, gamma=1.0, delay=3):
        self.alpha = alpha
        self.gamma = gamma
        self.delay = delay

    def begin(self, people, sensitivity=None):
        v = self.validate()
        return _TDStepper(v["alpha"], v["gamma"], v["delay"], people, sensitivity)


class _TDStepper:
    r"""Temporal difference over one trial's delay line, one trial at a time
    (:class:`TemporalDifference`): :math:`\delta^{cue} = \gamma V_0`, then for each
    step after the cue :math:`V_j \leftarrow V_j + \alpha s\,(\gamma V_{j+1} - V_j)`, and
    at the outcome :math:`V_{D-1} \leftarrow V_{D-1} + \alpha s\,(r - V_{D-1})`."""

    outputs = ("expectation", "surprise", "surprise_cue", "strength")
    gates_reward = False
    takes_reminders = False

    def __init__(self, alpha, gamma, delay, people, sens):
        self.V = np.zeros((delay, people), DTYPE)
        self.g = DTYPE(gamma)
        self.a = (DTYPE(alpha) * (np.ones(people, DTYPE) if sens is None
                                  else np.minimum(sens, 1 / alpha).astype(DTYPE)))
        self.d = np.empty(people, DTYPE)

    def step(self, x, reward=None, expectation=None, surprise=None, surprise_cue=None,
             strength=None, pull=None, valid=None):
        V, d, g, a = self.V, self.d, self.g, self.a
        if surprise_cue is not None:
            np.multiply(V[0], g, out=surprise_cue)
        if expectation is not None:
            expectation[...] = V[-1]
        for j in range(V.shape[0] - 1):
            np.multiply(V[j + 1], g, out=d)
            d -= V[j]
            d *= a
            if valid is not None:
                d *= valid
            V[j] += d
        r = x if reward is None else reward
        np.subtract(r, V[-1], out=d)
        if surprise is not None:
            surprise[...] = d
        d *= a
        if valid is not None:
            d *= valid
        V[-1] += d
        if strength is not None:
            strength[...] = V[0]
        if pull is not None:
            pull[...] = V[0]


# --------------------------------------------------------------------------
class ChangeDetection(Learner):
    r"""Bayesian change detection: "has something changed, or is this just another dry spell?"

    The learner keeps two things apart: *how often* warmth comes when things
    are as before (an estimate :math:`\hat p`, learned only from trials it
    believes belong to the old pattern), and *whether* the old pattern still
    holds (the belief :math:`\pi_t` that it has changed, e.g. stopped).
    After :math:`k` misses in a row the evidence for a change (the
    log-likelihood ratio, summed over the run) is about :math:`k\lambda(\hat p)`: with ``observation="bernoulli"`` this is the
    exact log-likelihood ratio :math:`\lambda = -\ln(1-\hat p)`; with the
    default ``observation="rate"`` it is its first-order (Poisson, rate)
    form :math:`\lambda = \hat p`, the number of reinforcers that should
    have come but did not (Gallistel & Gibbon 2000).  The two agree for
    p ≤ 0.5; near p = 1 the exact form says a single miss after continuous
    reinforcement is conclusive, which animals do not show.  Either way the
    misses needed before the learner stops expecting grow about as
    :math:`1/\hat p`: the **partial-reinforcement extinction effect**.

    A reinforcer after extinction is strong evidence the old pattern is back,
    so expectation returns at once (**reinstatement**), and because the
    misses of extinction were attributed to "a change" rather than used to
    unlearn :math:`\hat p`, relearning is faster than first learning —
    extinction as new learning that suppresses, not erases (Bouton 2004).
    This is a didactic simplification of change-point / latent-cause models
    (Courville, Daw & Touretzky 2006; Gershman, Blei & Niv 2010), not a
    model taken from one paper.

    .. math::
        e_t = (e_{t-1} + \lambda(\hat p_{t-1}))(1-x_t),\qquad
        \operatorname{logit}\pi_t = \operatorname{logit}h + e_t

        \hat p_t = \frac{a_0 + \sum_s (1-\pi_s)x_s}{a_0 + b_0 + \sum_s (1-\pi_s)},\qquad
        \text{strength}_t = 1 - \pi_t,\qquad
        \delta_t = x_t - (1-\pi_{t-1})\hat p_{t-1}

    Parameters
    ----------
    hazard : float in [1e-6, 0.5]
        Prior chance per trial that the pattern changes; sets how sure the
        learner must be before it concludes "it has stopped".
    prior_a, prior_b : float in [0.01, 100]
        Pseudo-counts of hits and misses before any experience (start
        estimate a/(a+b)).
    observation : {"rate", "bernoulli"}
        Evidence per miss: :math:`\hat p` (rate form) or :math:`-\ln(1-\hat p)`.

    Notes
    -----
    Gallistel, C. R., & Gibbon, J. (2000). Time, rate, and conditioning.
    Psychological Review, 107, 289–344.  Chan, C. K. J., & Harris, J. A.
    (2019). JEP: Animal Learning & Cognition, 45(1), 43.  Courville, Daw &
    Touretzky (2006), Trends Cogn. Sci. 10, 294–300.  Bouton (2004),
    Learning & Memory 11, 485–494.

    Examples
    --------
    >>> cd = ChangeDetection()
    >>> x = np.r_[np.ones(50), np.zeros(10)][None, :]
    >>> s = cd.run(x).strength[0]
    >>> bool(s[49] > 0.99), int(np.argmax(s < 0.5) - 49)
    (True, 9)
    """

    label = "Is this a dry spell, or has it changed? (change detection)"
    citation = ("Gallistel, C. R., & Gibbon, J. (2000). Time, rate, and conditioning. "
                "Psychological Review, 107, 289–344. Courville, A. C., Daw, N. D., & "
                "Touretzky, D. S. (2006). Bayesian theories of conditioning in a "
                "changing world. Trends in Cognitive Sciences, 10, 294–300.")
    equations = (
        r"e_t = \big(e_{t-1} + \lambda(\hat p_{t-1})\big)\,(1-x_t)",
        r"\mathrm{logit}\,\pi_t = \mathrm{logit}\,h + e_t",
        r"\lambda(\hat p) = \hat p\ \text{(rate)}\quad\text{or}\quad -\ln(1-\hat p)\ \text{(Bernoulli)}",
        r"\hat p = \frac{a_0 + \sum (1-\pi_s)\,x_s}{a_0 + b_0 + \sum (1-\pi_s)}",
        r"\mathrm{strength}_t = 1-\pi_t,\qquad \delta_t = x_t - (1-\pi_{t-1})\,\hat p",
    )
    parameters = {
        "hazard": Param(float, 1e-6, 0.5, default=0.0005, label="How often things change",
                        help="The prior chance, each day, that the pattern has changed "
                             "for good; smaller means a longer wait before giving up hope.",
                        step=0.001),
        "prior_a": Param(float, 0.01, 100, default=1.0, label="Prior hits",
                         help="Imagined warm replies before any experience.", step=0.1),
        "prior_b": Param(float, 0.01, 100, default=1.0, label="Prior misses",
                         help="Imagined unanswered bids before any experience.", step=0.1),
        "observation": Param(str, default="rate", choices=("rate", "bernoulli"),
                             label="Evidence per miss",
                             help="'rate': p per miss (Gallistel & Gibbon); "
                                  "'bernoulli': -ln(1-p) per miss."),
    }
    reproduces = ("partial-reinforcement extinction effect (~1/p)",
                  "omitted reinforcers to extinction ~ constant",
                  "reinstatement by one reinforcer", "faster relearning")
    fails = ("gradual extinction curve of a single animal (it is abrupt per person)",)

    def __init__(self, hazard=0.0005, prior_a=1.0, prior_b=1.0, observation="rate"):
        self.hazard = hazard
        self.prior_a = prior_a
        self.prior_b = prior_b
        self.observation = observation

    def misses_to_stop(self, p, criterion=0.5):
        """Misses in a row before strength falls below ``criterion``, for a known p.

        ``ceil((logit(1 - criterion) - logit(h)) / lambda(p))``.

        Examples
        --------
        >>> cd = ChangeDetection()
        >>> [cd.misses_to_stop(p) for p in (1.0, 0.33, 0.2)]
        [8, 24, 39]
        """
        v = self.validate()
        lam = p if v["observation"] == "rate" else -math.log1p(-min(p, 0.999))
        h = v["hazard"]
        need = math.log((1 - criterion) / criterion) - math.log(h / (1 - h))
        return int(math.ceil(need / lam - 1e-9))

    def begin(self, people, sensitivity=None):
        v = self.validate()
        return _CDStepper(v, people, sensitivity)


class _CDStepper:
    r"""Change detection, one step at a time: **the model** (:class:`ChangeDetection`).

    State per person: the evidence :math:`e` summed over the current run of misses,
    the belief strength :math:`w = 1 - \pi`, and the running sums (hits ``acnt``,
    weight ``ncnt``, value of warmth ``vnum``/``vden``) weighted by :math:`w`.  One step
    with outcome :math:`x` (1 = reinforced) and felt reward :math:`r`:

    .. math::
        \text{expectation} = w\,\hat p,\qquad \text{surprise} = x - w\,\hat p

        e \leftarrow (e + \lambda(\hat p))\,(1 - x),\qquad
        w = 1 \big/ \big(1 + e^{\,\operatorname{logit} h + s\,e - R}\big)

        \text{acnt} \mathrel{+}= w x,\quad \text{ncnt} \mathrel{+}= w,\quad
        \hat p = \text{acnt}/\text{ncnt},\qquad
        \text{pull} = w\,\frac{\sum w x r}{1 + \sum w x}

    with :math:`s` the person's sensitivity and :math:`R` the reminder ``offset`` (0 unless
    set).  The fast path over many days, :func:`bondlab._fast.change_days.change_days`
    (:meth:`days`), computes the same (a test checks).
    """

    outputs = ("expectation", "surprise", "strength")
    takes_reminders = True

    def __init__(self, v, people, sens):
        h = v["hazard"]
        self.L0 = DTYPE(math.log(h / (1 - h)))
        self.rate = v["observation"] == "rate"
        self.sens = None if sens is None else np.asarray(sens, DTYPE)
        self.k = np.zeros(people, DTYPE)
        # running sums, stacked [value numerator, hits, weight] so that
        # :meth:`days` updates them with one add a day (these are views)
        self._sums = np.empty((3, people), DTYPE)
        self.vnum, self.acnt, self.ncnt = self._sums
        self.vnum[...] = 0
        self.acnt[...] = v["prior_a"]
        self.ncnt[...] = v["prior_a"] + v["prior_b"]
        self.phat = self.acnt / self.ncnt
        self.w = np.full(people, 1.0 / (1.0 + math.exp(self.L0)), DTYPE)
        self.vden = np.ones(people, DTYPE)
        self.tmp = np.empty(people, DTYPE)
        self.lam = np.empty(people, DTYPE)
        self.offset = None
        self._inc = np.empty((3, people), DTYPE)
        # vden = acnt + (1 - prior_a) always (both grow by w x); None when prior_a = 1
        self._c_den = DTYPE(1 - v["prior_a"]) if v["prior_a"] != 1 else None

    gates_reward = True     # (the reward is multiplied by x: see Stepper)

    def step(self, x, reward=None, expectation=None, surprise=None, strength=None,
             pull=None, valid=None, miss=None):
        """One step; ``miss`` may pass ``1 - x`` precomputed (Scenario does)."""
        w, tmp, lam, phat = self.w, self.tmp, self.lam, self.phat
        mul = np.multiply
        # prediction before the outcome
        if expectation is not None or surprise is not None:
            mul(w, phat, out=tmp)
            if expectation is not None:
                expectation[...] = tmp
            if surprise is not None:
                np.subtract(x, tmp, out=surprise)
        # evidence for a change, summed over the current run of misses
        e = self.k
        if self.rate:
            if valid is None:
                e += phat
            else:
                mul(phat, valid, out=lam)
                e += lam
        else:
            np.minimum(phat, 0.999, out=lam)
            np.negative(lam, out=lam)
            np.log1p(lam, out=lam)
            np.negative(lam, out=lam)
            if valid is not None:
                lam *= valid
            e += lam
        if miss is None:
            np.subtract(DTYPE(1), x, out=tmp)
            miss = tmp
        e *= miss
        # belief strength w = 1 - pi
        if self.sens is not None:
            mul(e, self.sens, out=lam)
        else:
            lam[...] = e
        lam += self.L0
        if self.offset is not None:
            lam -= self.offset
        np.minimum(lam, 60, out=lam)
        np.exp(lam, out=lam)
        lam += 1
        np.reciprocal(lam, out=w)
        # learn p-hat (and the value of warmth) from trials attributed to the old pattern
        if valid is None:
            mul(w, x, out=tmp)
            self.acnt += tmp
            self.ncnt += w
            self.vden += tmp
        else:
            mul(w, valid, out=lam)
            self.ncnt += lam
            lam *= x
            self.acnt += lam
            self.vden += lam
            tmp[...] = lam
        if reward is not None and pull is not None:
            tmp *= reward
            self.vnum += tmp
        np.divide(self.acnt, self.ncnt, out=phat)
        if strength is not None:
            strength[...] = w
        if pull is not None:
            np.divide(self.vnum, self.vden, out=pull)
            pull *= w

    def days(self, x, reward, surprise, pull, cue=None, cue_decay=1.0):
        """:meth:`step` over many days at once (Scenario), with reminders ``cue``: the
        fast path :func:`bondlab._fast.change_days.change_days` (see there)."""
        change_days(self, x, reward, surprise, pull, cue, cue_decay)


LEARNER_CLASSES = {
    "rescorla-wagner": RescorlaWagner, "rw": RescorlaWagner,
    "temporal-difference": TemporalDifference, "td": TemporalDifference,
    "change-detection": ChangeDetection, "cd": ChangeDetection,
}


def learner_from_name(name):
    """A learner with default parameters from a name.

    ``"rw"``/``"rescorla-wagner"``, ``"td"``/``"temporal-difference"``,
    ``"cd"``/``"change-detection"`` (also the class names).

    Examples
    --------
    >>> learner_from_name("RW")
    RescorlaWagner()
    """
    key = str(name).strip().lower().replace("_", "-")
    for cls in set(LEARNER_CLASSES.values()):
        if key == cls.__name__.lower():
            return cls()
    if key not in LEARNER_CLASSES:
        raise ValueError(
            f"Unknown learner {name!r}. Use one of: rw (rescorla-wagner), "
            "td (temporal-difference), cd (change-detection).")
    return LEARNER_CLASSES[key]()


_TTE = {
    "train_trials": Param(int, 1, 100000, default=100, label="Training trials"),
    "people": Param(int, 1, 1000000, default=200, label="People"),
    "seed": Param(int, 0, 2**63 - 1, default=0, label="Seed", none_ok=True),
    "criterion": Param(float, 0.01, 0.99, default=0.5, label="Extinction criterion"),
    "max_trials": Param(int, 1, 1000000, default=1000, label="Longest extinction"),
}


def trials_to_extinction(schedule, learner, train_trials=100, people=200, seed=0,
                         criterion=0.5, max_trials=1000):
    r"""Extinction trials until responding falls below ``criterion`` of its trained level.

    Trains ``learner`` for ``train_trials`` trials on ``schedule`` (one
    response per trial), then withholds every reinforcer and counts the
    extinction trials until the learner's response strength is below
    ``criterion`` × its level at the end of training — a relative criterion
    applied the same way to every learner (Nevin 1988: count discrete trials).

    .. math:: n_{ext} = \min\{k : s_{T+k} < c\, s_T\}

    Parameters
    ----------
    schedule : Schedule or str
        A schedule, or a spec such as ``"RR0.2"``.
    learner : Learner or str
        A learner, or a name (``"rw"``, ``"td"``, ``"cd"``).
    train_trials, people, seed, criterion, max_trials
        Training length, simulated people, random seed, relative
        criterion, and the longest extinction simulated (people who have
        not stopped by then count as ``max_trials``).

    Returns
    -------
    numpy.ndarray of float, shape (people,)
        Trials to extinction per person (take the median).

    Examples
    --------
    >>> crf = np.median(trials_to_extinction("CRF", "cd", people=50))
    >>> rr = np.median(trials_to_extinction("RR0.2", "cd", people=50))
    >>> bool(4 < rr / crf < 6)
    True
    """
    from .schedules import Schedule, schedule_from_spec
    if isinstance(schedule, str):
        schedule = schedule_from_spec(schedule)
    if isinstance(learner, str):
        learner = learner_from_name(learner)
    if not isinstance(schedule, Schedule):
        raise ValueError(f"schedule must be a Schedule or a spec string. Got {schedule!r}.")
    if not isinstance(learner, Learner):
        raise ValueError(f"learner must be a Learner or a name. Got {learner!r}.")
    args = {k: check_value("trials_to_extinction", k, p, v) for (k, p), v in zip(
        _TTE.items(), (train_trials, people, seed, criterion, max_trials))}
    people, max_trials = args["people"], args["max_trials"]
    check_memory(people * 8 * 4, "trials_to_extinction")
    rng = make_rng(args["seed"])
    train = schedule.outcomes(args["train_trials"], people, rng).astype(DTYPE)
    st = learner.begin(people)
    s = np.empty(people, DTYPE)
    for t in range(train.shape[1]):
        st.step(np.ascontiguousarray(train[:, t]), strength=s)
    return _extinguish(st, people, s * DTYPE(args["criterion"]), max_trials)


def _extinguish(stepper, people, below, max_steps):
    """Steps with no reinforcement until each person's strength falls below ``below`` (one
    number, or one per person): the step at which it first does, per person (people who
    have not stopped after ``max_steps`` steps count as ``max_steps``)."""
    s = np.empty(people, DTYPE)
    done = np.full(people, float(max_steps))
    open_ = np.ones(people, bool)
    zero = np.zeros(people, DTYPE)
    for k in range(1, max_steps + 1):
        stepper.step(zero, strength=s)
        hit = open_ & (s < below)
        if hit.any():
            done[hit] = k
            open_ &= ~hit
            if not open_.any():
                break
    return done
