"""Schedules of reinforcement: when a bid for connection is answered.

A *schedule* decides, response by response, whether a reinforcer follows
(Ferster & Skinner 1957).  Every schedule here can be used in two ways:

* ``outcomes(trials, people, rng)`` -> bool array (people x trials): one
  response per trial (a discrete-trial experiment, or one bid per day);
* ``start(people, rng)`` then ``step(state, responded, rng)`` once per time
  tick, for a free-operant agent that chooses when to respond
  (see :class:`bondlab.agent.RespondingAgent`).

Interval schedules count time in ticks; in ``outcomes`` one trial = one tick.
"""

from __future__ import annotations

import re

import numpy as np

from ._params import Model, Param, make_rng

__all__ = [
    "Schedule", "Continuous", "FixedRatio", "VariableRatio", "RandomRatio",
    "FixedInterval", "VariableInterval", "Extinction", "Then", "schedule_from_spec",
    "SCHEDULE_CLASSES",
]


class Schedule(Model):
    """Base class for schedules (validated parameters, vectorised steps)."""

    citation = ("Ferster, C. B., & Skinner, B. F. (1957). Schedules of "
                "Reinforcement. Appleton-Century-Crofts.")
    #: Short code used by :func:`schedule_from_spec` ("VR5", "CRF", ...).
    code = ""

    def spec(self):
        """The compact spec string, e.g. ``'VR5'`` (inverse of schedule_from_spec)."""
        v = self.validate()
        if not v:
            return self.code
        (val,) = v.values()
        return f"{self.code}{val:g}"

    @property
    def reward_probability(self):
        """Long-run fraction of responses reinforced when responding on every trial."""
        raise NotImplementedError

    def start(self, people, rng):
        """Initial per-person state (a dict of arrays)."""
        self.validate()
        return {}

    def step(self, state, responded, rng):
        """Advance one tick; return a bool array: which responses were reinforced."""
        raise NotImplementedError

    def outcomes(self, trials, people=1, rng=None):
        """Reinforcement on each of ``trials`` trials, one response per trial.

        Parameters
        ----------
        trials : int
            Number of trials (time ticks).
        people : int
            Number of simulated people (rows).
        rng : numpy.random.Generator or int or None
            Random generator (or a seed for one).

        Returns
        -------
        numpy.ndarray of bool, shape (people, trials)
        """
        rng = make_rng(rng)
        state = self.start(people, rng)
        out = np.empty((trials, people), dtype=bool)
        yes = np.ones(people, dtype=bool)
        for t in range(trials):
            out[t] = self.step(state, yes, rng)
        return out.T


class Continuous(Schedule):
    r"""Continuous reinforcement (CRF): every response is reinforced.

    .. math:: P(\text{reinforcer} \mid \text{response}) = 1

    Examples
    --------
    >>> Continuous().outcomes(4, people=1, rng=0).tolist()
    [[True, True, True, True]]
    """

    label = "Every time (continuous)"
    code = "CRF"
    parameters = {}
    equations = (r"P(\mathrm{reinforcer}\mid\mathrm{response}) = 1",)

    def __init__(self):
        pass

    @property
    def reward_probability(self):
        return 1.0

    def step(self, state, responded, rng):
        return responded.copy()


class Extinction(Schedule):
    r"""Extinction (EXT): no response is reinforced any more.

    .. math:: P(\text{reinforcer} \mid \text{response}) = 0

    Examples
    --------
    >>> Extinction().outcomes(3, people=1, rng=0).tolist()
    [[False, False, False]]
    """

    label = "Never (extinction)"
    code = "EXT"
    parameters = {}
    equations = (r"P(\mathrm{reinforcer}\mid\mathrm{response}) = 0",)

    def __init__(self):
        pass

    @property
    def reward_probability(self):
        return 0.0

    def step(self, state, responded, rng):
        return np.zeros_like(responded)


class FixedRatio(Schedule):
    r"""Fixed ratio FR n: every n-th response is reinforced.

    Signature: a pause after each reinforcer, then a fast run of responses
    ("break and run"; Ferster & Skinner 1957).

    .. math:: \text{reinforcer after response } k \iff k \equiv 0 \pmod n

    Examples
    --------
    >>> FixedRatio(n=3).outcomes(6, rng=0).astype(int).tolist()
    [[0, 0, 1, 0, 0, 1]]
    """

    label = "Every n-th time (fixed ratio)"
    code = "FR"
    parameters = {
        "n": Param(int, 1, 1000, default=5, label="Responses per reward",
                   help="How many bids it takes before one is answered.", step=1,
                   slider=(1, 30)),
    }
    equations = (r"R_k = 1 \iff k \bmod n = 0",)

    def __init__(self, n=5):
        self.n = n

    @property
    def reward_probability(self):
        return 1.0 / self.validate()["n"]

    def start(self, people, rng):
        self._n = self.validate()["n"]
        return {"count": np.zeros(people, dtype=np.int64)}

    def step(self, state, responded, rng):
        c = state["count"]
        c += responded
        rf = responded & (c >= self._n)
        c[rf] = 0
        return rf


class VariableRatio(Schedule):
    r"""Variable ratio VR n: reinforced after a varying number of responses, n on average.

    The requirement after each reinforcer is drawn uniformly from
    1 .. 2n-1 (mean n).  Signature: a high, steady response rate, and more
    responding than a variable-interval schedule with the same reinforcement
    rate (Ferster & Skinner 1957; Cole 1999).

    .. math:: m \sim \mathcal{U}\{1, \dots, 2n-1\},\quad E[m] = n

    Examples
    --------
    >>> x = VariableRatio(n=4).outcomes(4000, rng=1)
    >>> round(float(x.mean()), 2)
    0.25
    """

    label = "Unpredictably, n-th time on average (variable ratio)"
    code = "VR"
    parameters = {
        "n": Param(float, 1, 1000, default=5.0, label="Average responses per reward",
                   help="On average how many bids it takes before one is answered.",
                   step=1, slider=(1, 30)),
    }
    equations = (r"m \sim \mathcal{U}\{1,\dots,2n-1\},\ \ E[m]=n",)

    def __init__(self, n=5.0):
        self.n = n

    @property
    def reward_probability(self):
        return 1.0 / self.validate()["n"]

    def _draw(self, rng, size):
        hi = max(1, int(round(2 * self._n - 1)))
        return rng.integers(1, hi + 1, size=size)

    def start(self, people, rng):
        self._n = self.validate()["n"]
        # later requirements come from a stock drawn in blocks (one draw per tick costs
        # more than the rest of the step); the same seed gives the same sequence
        return {"count": np.zeros(people, dtype=np.int64),
                "need": self._draw(rng, people), "stock": self._draw(rng, 1024)}

    def step(self, state, responded, rng):
        c = state["count"]
        c += responded
        rf = responded & (c >= state["need"])
        k = int(rf.sum())
        if k:
            c[rf] = 0
            stock = state["stock"]
            if len(stock) < k:
                stock = np.concatenate([stock, self._draw(rng, max(k, 1024))])
            state["need"][rf] = stock[:k]
            state["stock"] = stock[k:]
        return rf


class RandomRatio(Schedule):
    r"""Random ratio RR p: each response is reinforced with probability p.

    The schedule of an unpredictable partner, and of a slot machine: no
    count helps, every bid has the same chance.

    .. math:: P(\text{reinforcer} \mid \text{response}) = p

    Examples
    --------
    >>> x = RandomRatio(p=0.3).outcomes(5000, rng=2)
    >>> round(float(x.mean()), 1)
    0.3
    """

    label = "With a fixed chance each time (random ratio)"
    code = "RR"
    parameters = {
        "p": Param(float, 0, 1, default=0.3, label="Chance of warmth",
                   help="The chance that any one bid is answered.", step=0.01),
    }
    equations = (r"P(\mathrm{reinforcer}\mid\mathrm{response}) = p",)

    def __init__(self, p=0.3):
        self.p = p

    @property
    def reward_probability(self):
        return self.validate()["p"]

    def start(self, people, rng):
        self._p = self.validate()["p"]
        return {}

    def step(self, state, responded, rng):
        return responded & (rng.random(responded.shape[0]) < self._p)

    def outcomes(self, trials, people=1, rng=None):
        rng = make_rng(rng)
        p = self.validate()["p"]
        return rng.random((people, trials)) < p


class FixedInterval(Schedule):
    r"""Fixed interval FI t: the first response after t ticks is reinforced.

    Signature: the "scallop", responding speeds up as the end of the
    interval nears (Ferster & Skinner 1957).

    .. math:: R = 1 \iff \text{response and } \tau \ge t

    where :math:`\tau` is the time since the last reinforcer.

    Examples
    --------
    >>> FixedInterval(t=3).outcomes(7, rng=0).astype(int).tolist()
    [[0, 0, 1, 0, 0, 1, 0]]
    """

    label = "After a fixed wait (fixed interval)"
    code = "FI"
    parameters = {
        "t": Param(int, 1, 10000, default=10, label="Wait before a reward is available",
                   help="How long after one reward the next becomes available.",
                   unit="ticks", step=1, slider=(1, 60)),
    }
    equations = (r"R = 1 \iff \mathrm{response} \wedge \tau \ge t",)

    def __init__(self, t=10):
        self.t = t

    @property
    def reward_probability(self):
        return 1.0 / self.validate()["t"]

    def start(self, people, rng):
        self._t = self.validate()["t"]
        return {"elapsed": np.zeros(people, dtype=np.int64)}

    def step(self, state, responded, rng):
        e = state["elapsed"]
        e += 1
        rf = responded & (e >= self._t)
        e[rf] = 0
        return rf


class VariableInterval(Schedule):
    r"""Variable interval VI t: a reward becomes available after a random wait (mean t).

    Constant-probability ("random interval") version: on every tick a
    reward is set up with probability 1/t and waits until the next response
    collects it.  Signature: a moderate, steady response rate, lower than a
    variable-ratio schedule paying at the same rate (Cole 1999).

    .. math:: P(\text{armed at tick } k) = 1/t,\quad R = 1 \iff \text{response} \wedge \text{armed}

    Examples
    --------
    >>> x = VariableInterval(t=5).outcomes(5000, rng=3)
    >>> round(float(x.mean()), 1)
    0.2
    """

    label = "After an unpredictable wait (variable interval)"
    code = "VI"
    parameters = {
        "t": Param(float, 1, 10000, default=10.0, label="Average wait before a reward",
                   help="On average how long until the next reward is available.",
                   unit="ticks", step=1, slider=(1, 60)),
    }
    equations = (r"P(\mathrm{armed}_k)=1/t,\ \ R=1\iff \mathrm{response}\wedge\mathrm{armed}",)

    def __init__(self, t=10.0):
        self.t = t

    @property
    def reward_probability(self):
        return 1.0 / self.validate()["t"]

    def start(self, people, rng):
        self._h = 1.0 / self.validate()["t"]
        return {"armed": np.zeros(people, dtype=bool)}

    def step(self, state, responded, rng):
        a = state["armed"]
        a |= rng.random(a.shape[0]) < self._h
        rf = responded & a
        a[rf] = False
        return rf


class Then(Schedule):
    r"""One schedule until tick ``at``, then another: by default :class:`Extinction`,
    the rewards stop ("switch to extinction").

    .. math:: R_k = R^{\mathrm{inner}}_k \ (k < \mathrm{at}), \quad
              R_k = R^{\mathrm{after}}_k \ (k \ge \mathrm{at})

    The inner schedule keeps stepping after ``at`` (its draws go on, unused), so with the
    same seed the rewards before ``at`` do not depend on when, or whether, it switches.

    Examples
    --------
    >>> Then(Continuous(), at=2).outcomes(4, rng=0).tolist()
    [[True, True, False, False]]
    """

    label = "One schedule, then another"
    parameters = {
        "inner": Param(Schedule, default=None, label="Schedule until the switch"),
        "at": Param(int, 0, None, default=0, label="Switch at tick", step=1),
        "after": Param(Schedule, default=None, none_ok=True, label="Schedule after the switch",
                       help="None: extinction (no response is rewarded)."),
    }
    equations = (r"R_k = R^{\mathrm{inner}}_k\ (k<\mathrm{at}),\ "
                 r"R^{\mathrm{after}}_k\ (k\ge\mathrm{at})",)

    def __init__(self, inner=None, at=0, after=None):
        self.inner, self.at, self.after = inner, at, after

    def start(self, people, rng):
        v = self.validate()
        after = v["after"] if v["after"] is not None else Extinction()
        return {"inner": (v["inner"], v["inner"].start(people, rng)),
                "after": (after, after.start(people, rng)), "at": v["at"], "t": 0}

    def step(self, state, responded, rng):
        inner, inner_state = state["inner"]
        rf = inner.step(inner_state, responded, rng)
        if state["t"] >= state["at"]:
            after, after_state = state["after"]
            rf = after.step(after_state, responded, rng)
        state["t"] += 1
        return rf


SCHEDULE_CLASSES = {c.__name__: c for c in (
    Continuous, FixedRatio, VariableRatio, RandomRatio, FixedInterval,
    VariableInterval, Extinction)}

_SPEC = re.compile(r"^\s*(CRF|EXT|FR|VR|RR|FI|VI)\s*([0-9]*\.?[0-9]*(?:e-?[0-9]+)?)\s*$",
                   re.IGNORECASE)


def schedule_from_spec(spec):
    """Build a schedule from a short spec string.

    ``CRF`` continuous, ``EXT`` extinction, ``FRn``, ``VRn``, ``RRp``,
    ``FIt``, ``VIt`` (case does not matter).

    Parameters
    ----------
    spec : str
        For example ``"VR5"``, ``"RR0.3"``, ``"FI10"``, ``"CRF"``.

    Returns
    -------
    Schedule

    Raises
    ------
    ValueError
        For an unknown spec or an out-of-range number.

    Examples
    --------
    >>> schedule_from_spec("VR5")
    VariableRatio()
    >>> schedule_from_spec("rr0.2")
    RandomRatio(p=0.2)
    >>> schedule_from_spec("FR3").spec()
    'FR3'
    """
    if not isinstance(spec, str):
        raise ValueError(f"A schedule spec must be a string such as 'VR5'. Got {spec!r}.")
    m = _SPEC.match(spec)
    if not m:
        raise ValueError(
            f"Unknown schedule {spec!r}. Use CRF, EXT, FRn, VRn, RRp, FIt or VIt "
            "(for example VR5, RR0.3, FI10).")
    code, num = m.group(1).upper(), m.group(2)
    if code in ("CRF", "EXT"):
        if num:
            raise ValueError(f"Schedule {code} takes no number. Got {spec!r}.")
        return Continuous() if code == "CRF" else Extinction()
    if not num:
        raise ValueError(f"Schedule {code} needs a number, for example {code}5. Got {spec!r}.")
    value = float(num)
    cls = {"FR": FixedRatio, "VR": VariableRatio, "RR": RandomRatio,
           "FI": FixedInterval, "VI": VariableInterval}[code]
    (name, param), = cls.parameters.items()
    if param.kind is int and value.is_integer():
        value = int(value)
    sched = cls(**{name: value})
    sched.validate()
    return sched
