"""A responding agent for the cumulative record and the lever game.

:class:`RespondingAgent` chooses, tick by tick, whether to respond (press the
lever, send the message).  It is a **didactic model, not one from a paper**:
a SARSA learner (Sutton & Barto 1998) whose state is what an animal can
know — responses and time since the last reinforcer, and time since its
own last response — with a small cost per response and a discount on
delayed reward.  That is enough to reproduce the classic schedule
signatures (Ferster & Skinner 1957): variable ratio faster than a variable
interval paying at the same rate (Cole 1999), a pause after each fixed-ratio
reinforcer, and the fixed-interval scallop.

:func:`presses_after_rewards_stop` gives the lever game's prediction of how
long a person keeps pressing once rewards stop, using
:class:`~bondlab.learners.ChangeDetection`.
"""

from __future__ import annotations

import numpy as np

from ._params import DTYPE, Model, Param, check_memory, check_value, make_rng
from ._fast.agent_loop import agent_loop
from .learners import ChangeDetection, _extinguish
from .schedules import Schedule, schedule_from_spec

__all__ = ["RespondingAgent", "ResponseRecord", "presses_after_rewards_stop"]

# The model's fixed assumptions (each listed, with its reason, in bondlab.ASSUMPTIONS).
#: Optimistic starting value of every action (encourages trying both).
Q0 = 0.5
#: How many states each clue tells apart: responses since the reinforcer, ticks since it
#: (read with timing noise; 1-tick bins up to 20, then 2-tick bins), ticks since the
#: agent's own last response.  Counts beyond the last bin share it.
CLUE_BINS = (24, 40, 12)
#: How fast each clue's running squared surprise follows new surprises (per tick).
SURPRISE_SMOOTHING = 0.02


def _tau_bin(tau, cap):
    """The clock's state: 1-tick bins up to 20 ticks, then 2-tick bins, up to ``cap``."""
    return np.minimum(np.where(tau < 20, tau, 20 + (tau - 20) // 2), cap)


class ResponseRecord:
    """What a :class:`RespondingAgent` did (arrays: people x ticks, bool).

    Attributes
    ----------
    responses : numpy.ndarray of bool
        Whether the agent responded at each tick.
    reinforced : numpy.ndarray of bool
        Whether that response was reinforced.
    """

    def __init__(self, responses, reinforced):
        self.responses = responses
        self.reinforced = reinforced

    def cumulative(self):
        """Cumulative responses per person (the cumulative record), people x ticks."""
        return np.cumsum(self.responses, axis=1)

    def rate(self):
        """Responses per tick, per person."""
        return self.responses.mean(axis=1)

    def reinforcement_rate(self):
        """Reinforcers per tick, per person."""
        return self.reinforced.mean(axis=1)

    def _since_reinforcer(self):
        """Ticks since the last reinforcer (ticks before the first one: -1)."""
        P, T = self.reinforced.shape
        idx = np.where(self.reinforced, np.arange(T), -1)
        last = np.maximum.accumulate(idx, axis=1)
        prev = np.concatenate([np.full((P, 1), -1), last[:, :-1]], axis=1)
        since = np.arange(T) - prev
        since[prev < 0] = -1
        return since

    def post_reinforcement_pause(self):
        """Mean ticks from a reinforcer to the next response, and mean ticks between
        the other responses (both pooled over people).

        Returns
        -------
        (pause, inter_response_time) : tuple of float
        """
        pauses, irts = [], []
        for resp, rf in zip(self.responses, self.reinforced):
            t = np.flatnonzero(resp)
            if len(t) < 3:
                continue
            gaps = np.diff(t)
            after_rf = rf[t[:-1]]
            pauses.append(gaps[after_rf])
            irts.append(gaps[~after_rf])
        p = np.concatenate(pauses) if pauses else np.array([np.nan])
        i = np.concatenate(irts) if irts else np.array([np.nan])
        return float(p.mean()), float(i.mean())

    def profile(self, interval, bins=4):
        """Response rate in ``bins`` equal parts of an interval after each reinforcer.

        For a fixed interval ``interval``: the scallop shows as a rising profile.
        """
        since = self._since_reinforcer()
        edges = np.linspace(0, interval, bins + 1)
        out = []
        for lo, hi in zip(edges[:-1], edges[1:]):
            m = (since > lo) & (since <= hi)
            out.append(float(self.responses[m].mean()) if m.any() else np.nan)
        return np.array(out)


class RespondingAgent(Model):
    r"""An agent that learns when responding pays (didactic model, not from a paper).

    Three clues, each with its own small SARSA table of action values:
    responses since the last reinforcer *n* (the count), ticks since it *τ*
    (the clock, read with scalar timing noise), and ticks since the agent's
    own last response *g* (the pause).  The agent acts on a mixture of the
    three, each weighted by how well it has been predicting (inverse squared
    running surprise): it works out which clue matters on this schedule.

    .. math::
        \delta_k = r - c\,a + \gamma\,Q_k(s'_k, a') - Q_k(s_k, a),\qquad
        Q_k \leftarrow Q_k + \alpha\,\delta_k

        \omega_k \propto \overline{\delta_k^2}^{\,-2},\qquad
        P(\text{respond}) = \sigma\Big(\beta \sum_k \omega_k\,\big(Q_k(s_k,1) - Q_k(s_k,0)\big)\Big)

    A ratio schedule pays per response, so the value of responding is high
    everywhere (VR: fast, steady responding) but, under a fixed ratio, low
    just after a reinforcer when the next is far away (a post-reinforcement
    pause).  An interval schedule pays for waiting, so responding early in
    the interval is wasted (the FI scallop) and fast responding earns
    little more (VI slower than VR at the same reinforcement rate).

    Parameters
    ----------
    alpha : float in [0.001, 1]
        Learning rate.
    gamma : float in [0, 0.999]
        Discount per tick (how much a reward one tick later is worth now).
    cost : float in [0, 1]
        Effort of one response, in units of one reinforcer.
    beta : float in [0.1, 200]
        How decisively the agent follows its values (inverse temperature).
    timing_noise : float in [0, 1]
        Scalar noise on the agent's reading of elapsed time.

    Examples
    --------
    >>> rec = RespondingAgent().run("VR5", ticks=1500, people=20, seed=0)
    >>> rec.responses.shape
    (20, 1500)
    >>> bool(rec.rate().mean() > 0.5)
    True
    """

    label = "A learner that chooses when to respond"
    citation = ("Didactic model (not from a paper). SARSA: Sutton, R. S., & Barto, A. G. "
                "(1998). Reinforcement Learning. MIT Press. Signatures: Ferster, C. B., & "
                "Skinner, B. F. (1957); Cole, M. R. (1999). JEAB, 71, 319–328.")
    equations = (
        r"\delta_k = r - c\,a + \gamma Q_k(s'_k,a') - Q_k(s_k,a)",
        r"\omega_k \propto \overline{\delta_k^2}^{\,-2}",
        r"P(\mathrm{respond}) = \sigma\!\left(\beta \sum_k \omega_k (Q_k(s_k,1)-Q_k(s_k,0))\right)",
    )
    parameters = {
        "alpha": Param(float, 0.001, 1, default=0.2, label="Learning speed", step=0.01),
        "gamma": Param(float, 0, 0.999, default=0.9, label="Patience per tick",
                       help="How much a reward one tick later is worth now.", step=0.01),
        "cost": Param(float, 0, 1, default=0.05, label="Effort per response",
                      help="What one press costs, in units of one reward.", step=0.01),
        "beta": Param(float, 0.1, 200, default=40.0, label="Decisiveness",
                      help="How strictly the agent follows what it has learned.", step=1),
        "timing_noise": Param(float, 0, 1, default=0.15, label="Timing noise",
                              help="How fuzzy the agent's sense of elapsed time is "
                                   "(scalar: grows with the time).", step=0.05),
    }

    def __init__(self, alpha=0.2, gamma=0.9, cost=0.05, beta=40.0, timing_noise=0.15):
        self.alpha = alpha
        self.gamma = gamma
        self.cost = cost
        self.beta = beta
        self.timing_noise = timing_noise

    def run(self, schedule, ticks=4000, people=50, seed=0, record_from=0, fast=True):
        """Let ``people`` agents respond on ``schedule`` for ``ticks`` ticks.

        Parameters
        ----------
        schedule : Schedule or str
            A schedule or a spec such as ``"FR10"``.
        ticks : int
            Number of time ticks.
        people : int
            Number of independent agents.
        seed : int or numpy.random.Generator
            Random seed.
        record_from : int
            Ticks before this are training and not returned.
        fast : bool
            True: the fast loop (:func:`bondlab._fast.agent_loop.agent_loop`); False: the
            model tick by tick as written (:meth:`_step_by_step`).  Same numbers (a test
            checks); the fast loop takes less time.

        Returns
        -------
        ResponseRecord
        """
        if isinstance(schedule, str):
            schedule = schedule_from_spec(schedule)
        if not isinstance(schedule, Schedule):
            raise ValueError(f"schedule must be a Schedule or a spec string. Got {schedule!r}.")
        v = self.validate()
        ticks = check_value("RespondingAgent.run", "ticks",
                            Param(int, 1, 10**7, default=4000, label="ticks"), ticks)
        people = check_value("RespondingAgent.run", "people",
                             Param(int, 1, 10**6, default=50, label="people"), people)
        record_from = check_value("RespondingAgent.run", "record_from",
                                  Param(int, 0, ticks - 1, default=0, label="from"),
                                  record_from)
        check_memory(people * (ticks - record_from) + people * sum(CLUE_BINS) * 2 * 4,
                     "This agent run")
        rng = make_rng(seed)
        loop = agent_loop if fast else self._step_by_step
        responses, reinforced = loop(v, schedule, ticks, people, rng, record_from)
        return ResponseRecord(responses.T, reinforced.T)

    @staticmethod
    def _step_by_step(v, schedule, ticks, people, rng, record_from):
        r"""The agent tick by tick, as the equations say: **the model** (``run(fast=False)``).

        Each tick, for every person: read the three clues (responses since the last
        reinforcer *n*, the clock *τ* read with timing noise, ticks since the last response
        *g*), each binned to a state :math:`s_k`; weigh each clue's advantage
        :math:`Q_k(s_k,1) - Q_k(s_k,0)` by :math:`\omega_k \propto \overline{\delta_k^2}^{-2}`;
        respond with chance :math:`\sigma(\beta \sum_k \omega_k (Q_k(s_k,1)-Q_k(s_k,0)))`.
        Then the SARSA update of the previous tick's choice, now that this tick's value is
        known, :math:`\delta_k = r - c\,a + \gamma Q_k(s'_k, a') - Q_k(s_k, a)`,
        :math:`Q_k \mathrel{+}= \alpha\,\delta_k`, and the running squared surprise
        :math:`\overline{\delta_k^2} \mathrel{+}= \epsilon(\delta_k^2 - \overline{\delta_k^2})`
        (:data:`SURPRISE_SMOOTHING`).  Returns (responses, reinforced), ticks x people.
        """
        P, rows = people, np.arange(people)
        Q = [np.full((P, nb, 2), Q0) for nb in CLUE_BINS]   # Q[k][person, state, action]
        err = np.ones((3, P))                                # running squared surprise
        n, tau, g = (np.zeros(P, np.int64) for _ in range(3))
        caps = [nb - 1 for nb in CLUE_BINS]
        state = schedule.start(P, rng)
        U = rng.random((ticks, P))
        noise = np.exp(v["timing_noise"] * rng.standard_normal((ticks, P)))
        resp, rfs = [], []
        prev = None
        for t in range(ticks):
            bins = (np.minimum(n, caps[0]),
                    _tau_bin(np.rint(tau * noise[t]).astype(np.int64), caps[1]),
                    np.minimum(g, caps[2]))
            q0 = np.stack([Q[k][rows, bins[k], 0] for k in range(3)])
            q1 = np.stack([Q[k][rows, bins[k], 1] for k in range(3)])
            wts = 1.0 / err ** 2
            wts /= wts.sum(axis=0)
            adv = ((q1 - q0) * wts).sum(axis=0)
            p = 1.0 / (1.0 + np.exp(np.clip(-v["beta"] * adv, -50, 50)))
            act = U[t] < p
            q = np.where(act, q1, q0)
            if prev is not None:                             # SARSA: the previous choice
                pbins, pai, pq, pr = prev
                d = pr + v["gamma"] * q - pq
                err += SURPRISE_SMOOTHING * (d * d - err)
                d *= v["alpha"]
                for k in range(3):
                    Q[k][rows, pbins[k], pai] += d[k]
            rf = schedule.step(state, act, rng)
            prev = (bins, act.astype(np.int64), q, rf.astype(float) - v["cost"] * act)
            if t >= record_from:
                resp.append(act)
                rfs.append(rf)
            n = np.where(rf, 0, n + act)
            tau = np.where(rf, 0, tau + 1)
            g = np.where(act, 0, g + 1)
        return np.array(resp), np.array(rfs)


_PRESS = {
    "rewards": Param(int, 1, 1000, default=10, label="Rewards earned in training"),
    "ratio": Param(float, 1, 100, default=5.0, label="Average presses per reward"),
    "people": Param(int, 1, 100000, default=200, label="People"),
    "seed": Param(int, 0, 2**63 - 1, default=0, none_ok=True, label="Seed"),
    "max_presses": Param(int, 1, 100000, default=1000, label="Most presses simulated"),
}


def presses_after_rewards_stop(training="continuous", rewards=10, ratio=5.0, people=200,
                               seed=0, learner=None, max_presses=1000):
    r"""Predicted presses after rewards stop (the lever game's prediction; PREE).

    Training earns ``rewards`` rewards, either one per press (continuous) or
    after an unpredictable number of presses, ``ratio`` on average
    (variable ratio).  Then rewards stop; a person keeps pressing while
    the change-detection learner still believes the old pattern holds
    (strength ≥ 0.5).

    .. math:: \text{presses} \approx \frac{\operatorname{logit}(1-h)}{\hat p}
              \quad(\hat p = 1 \text{ continuous},\ 1/\text{ratio variable})

    Parameters
    ----------
    training : {"continuous", "variable"}
        The training schedule.
    rewards : int
        Rewards earned in training.
    ratio : float
        Average presses per reward for ``"variable"``.
    people, seed : int
        Simulated people and random seed.
    learner : ChangeDetection, optional
        The learner (default ``ChangeDetection()``).
    max_presses : int
        Longest extinction simulated.

    Returns
    -------
    numpy.ndarray of float, shape (people,)
        Presses after the last reward, per person.

    Examples
    --------
    >>> crf = np.median(presses_after_rewards_stop("continuous", rewards=10))
    >>> vr = np.median(presses_after_rewards_stop("variable", rewards=10, ratio=5))
    >>> bool(vr > 3 * crf)
    True
    """
    if training not in ("continuous", "variable"):
        raise ValueError("The 'training' argument of presses_after_rewards_stop must be "
                         f"'continuous' or 'variable'. Got {training!r} instead.")
    v = {k: check_value("presses_after_rewards_stop", k, p, x) for (k, p), x in zip(
        _PRESS.items(), (rewards, ratio, people, seed, max_presses))}
    learner = ChangeDetection() if learner is None else learner
    rng = make_rng(v["seed"])
    P, N = v["people"], v["rewards"]
    if training == "continuous":
        train = np.ones((P, N), DTYPE)
    else:
        hi = max(1, int(round(2 * v["ratio"] - 1)))
        need = rng.integers(1, hi + 1, size=(P, N))
        lengths = need.sum(axis=1)
        L = int(lengths.max())
        check_memory(P * L, "This lever game")
        train = np.full((P, L), np.nan, DTYPE)
        for i in range(P):  # right-align each person's training (P small; setup only)
            seq = np.zeros(lengths[i], DTYPE)
            seq[np.cumsum(need[i]) - 1] = 1
            train[i, L - lengths[i]:] = seq
    st = learner.begin(P)
    s = np.empty(P, DTYPE)
    valid_all = ~np.isnan(train)
    x_all = np.nan_to_num(train)
    for t in range(train.shape[1]):
        valid = None if valid_all[:, t].all() else valid_all[:, t].astype(DTYPE)
        st.step(np.ascontiguousarray(x_all[:, t]), strength=s, valid=valid)
    return _extinguish(st, P, 0.5, v["max_presses"])
