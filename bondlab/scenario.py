"""Scenarios: a relationship that runs for some days, then ends; what follows.

A :class:`Scenario` joins a partner (what happens), a learner (how
expectation updates: by default :class:`~bondlab.learners.ChangeDetection`)
and an opponent process (how it is felt), for many simulated people at once.
After leaving there is no contact, except on the days listed in
``contacts``; reminders (a song, a place, a date) come at random.
"""

from __future__ import annotations

import math

import numpy as np

from ._params import (DTYPE, U16_LEVELS, Model, Param, chance16, check_memory,
                      check_value, make_rng, spread_factors)
from ._fast.scenario_chunks import Blocks
from .affect import OpponentProcess
from .learners import ChangeDetection, DayStepper, Learner
from .partners import PHASE_NAMES, IntermittentPartner, Partner
from .stats import band

__all__ = ["Scenario", "ScenarioResult", "OUTPUTS", "contact_cost"]

#: Names of the per-person, per-day outputs of a scenario run, in order.
OUTPUTS = ("warmth", "cruelty", "attachment", "mood", "withdrawal", "surprise")

# The model's fixed assumptions (each listed, with its reason, in bondlab.ASSUMPTIONS).
#: Warmth below this does not count as "warmth came" for the learner.
HIT_LEVEL = 0.25
#: Warmth of a contact after leaving, by kind (before grey rock).
CONTACT_WARMTH = {"message": 0.6, "meeting": 1.0}
#: After leaving, support adds a daily pleasant stimulus of this much per unit of support.
SUPPORT_WARMTH = 0.4
#: ... and cuts craving by this fraction per unit of support.
SUPPORT_CRAVING_CUT = 0.5
#: How much one reminder lowers the evidence that things have changed (log-odds units).
REMINDER_STRENGTH = 2.0
#: A reminder's effect fades by a factor e every this many days.
REMINDER_DAYS = 3
#: Time constant of the slow ups and downs of mood (days).
MOOD_NOISE_DAYS = 5

OUTPUT_HELP = {
    "warmth": "Warmth received that day (0 = none).",
    "cruelty": "Cruelty received that day (0 = none).",
    "attachment": "The pull toward the partner: belief that the warm times are still "
                  "there to come, times how good they felt (incl. relief).",
    "mood": "Felt mood: opponent process of warmth minus that of cruelty, plus noise.",
    "withdrawal": "After leaving: negative mood plus craving (the pull on days without "
                  "warmth). Zero while together.",
    "surprise": "Prediction error: warmth came (1) or not (0), minus what was expected.",
}


class Scenario(Model):
    r"""A relationship, its end, and what follows — for many people at once.

    Each day *t* and person *i* (the numbered steps of :meth:`run`):

    1. **events**: the partner's events give warmth :math:`W_t` and cruelty
       :math:`C_t` (after leaving: 0, except contacts);
    2. **feel**: the opponent process turns them into felt states, one channel
       for warmth (plus support from friends after leaving) and one for
       cruelty; the felt reward :math:`r_t` of warmth is warmth plus *relief*,
       the positive after-reaction of the cruelty channel (negative
       reinforcement);
    3. **learn**: the learner sees whether warmth came
       (:math:`x_t = [W_t \ge 0.25]`) and how good it felt: its pull is the
       ``attachment``, its prediction error the ``surprise``;
    4. **mood**: felt warmth minus felt cruelty, plus slow noise;
    5. **withdrawal** (after leaving): negative mood plus craving.

    .. math::
        r_t = W_t + x_t\,\max(0,\ b^-_t - a^-_t)

        \text{attachment}_t = (1-\pi_t)\,\bar r_t,\qquad
        \text{mood}_t = (a^+_t - b^+_t) - (a^-_t - b^-_t) + n_t

        \text{withdrawal}_t = \max(0, -\text{mood}_t) +
            (1 - x_t)\,\text{attachment}_t\,(1 - \tfrac12 \text{support})
            \quad\text{(after leaving; 0 while together)}

    with :math:`\pi_t` the change-detection belief that things have
    changed, :math:`\bar r` its running mean reward on warm days, and
    :math:`n_t` slow AR(1) mood noise.  Reminders lower the evidence for
    "it has changed" by 2 log-odds units, fading over 3 days (waves of
    craving while healing; Bouton's renewal and reinstatement in spirit).
    The fixed numbers of these equations are listed, with their reasons, in
    :data:`bondlab.ASSUMPTIONS`.

    With the default parameters, the intermittent partner gives markedly
    less warmth in total than the consistent one, yet the pull lasts
    markedly longer after leaving: the partial-reinforcement extinction
    effect carried by :class:`~bondlab.learners.ChangeDetection`.  With
    ``learner=RescorlaWagner()`` it does not (the negative control).

    Parameters
    ----------
    partner : Partner, optional
        Default :class:`~bondlab.partners.IntermittentPartner`.
    learner : Learner, optional
        Default :class:`~bondlab.learners.ChangeDetection`.
    affect : OpponentProcess, optional
        Default ``OpponentProcess()`` with time in days.
    days_together, days_after : int
        Length of the relationship, and of the time simulated after it ends.
    contacts : list of int
        Days after leaving on which a contact happens (1 = the first day).
    contact_kind : {"message", "meeting"}
        Warmth 0.6 for a message, 1.0 for a meeting.
    grey_rock : bool
        Keep contacts flat (warmth × ``grey_rock_factor``): they no longer count
        as warmth.
    grey_rock_factor : float in [0, 1]
        What is left of a contact's warmth when it is kept grey rock.
    support : float in [0, 1]
        Alternative rewards after leaving (friends, a group): a daily
        pleasant stimulus of 0.4 × support, and craving × (1 − support/2).
    reminders : float in [0, 7]
        Reminders per week after leaving.
    mood_noise : float in [0, 2]
        Size of the slow day-to-day ups and downs of mood.
    people : int
        Number of simulated people.
    spread : float in [0, 1]
        How much people differ (log-normal spread of learning and feeling).
    seed : int or None
        Random seed (same seed → same numbers).

    Examples
    --------
    >>> r = Scenario(people=200, seed=1).run()
    >>> r.attachment.shape
    (200, 360)
    >>> med, q25, q75 = r.band("attachment")
    >>> s = r.summary()
    >>> s["total_warmth"] > 0 and s["persistence_days"] > 0
    True
    """

    label = "A relationship and after"
    citation = ("Didactic composite (not from a paper) of the partner, learner and affect "
                "models, each citing its source; motivated by, not proposed in, Dutton, D. G., "
                "& Painter, S. (1993). Violence and Victims, 8(2), 105–120.")
    equations = (
        r"r_t = W_t + x_t\,\max(0,\,b^-_t - a^-_t)",
        r"\mathrm{attachment}_t = (1-\pi_t)\,\bar r_t",
        r"\mathrm{mood}_t = (a^+_t - b^+_t) - (a^-_t - b^-_t) + n_t",
        r"\mathrm{withdrawal}_t = \max(0,-\mathrm{mood}_t) + (1-x_t)\,"
        r"\mathrm{attachment}_t\,(1-\tfrac12\mathrm{support})",
    )
    parameters = {
        "partner": Param(Partner, default=None, none_ok=True, label="Partner",
                         help="Who the relationship is with (default: intermittent)."),
        "learner": Param(Learner, default=None, none_ok=True, label="Learner",
                         help="How expectation updates (default: change detection)."),
        "affect": Param(OpponentProcess, default=None, none_ok=True, label="Affect",
                        help="How events are felt (default: opponent process)."),
        "days_together": Param(int, 1, 3650, default=180, label="Days together",
                               help="How long the relationship lasts.", unit="days",
                               step=1, slider=(30, 365)),
        "days_after": Param(int, 1, 3650, default=180, label="Days after leaving",
                            help="How long to follow what happens after it ends.",
                            unit="days", step=1),
        "contacts": Param("days", 1, 3650, default=(), label="Contact on days",
                          help="Days after leaving on which there is contact."),
        "contact_kind": Param(str, default="message", choices=("message", "meeting"),
                              label="Kind of contact",
                              help="A message (warmth 0.6) or a meeting (warmth 1)."),
        "grey_rock": Param(bool, default=False, label="Grey rock",
                           help="Keep any contact flat and brief, so it brings little "
                                "warmth."),
        "grey_rock_factor": Param(float, 0, 1, default=0.1, label="Warmth left with grey rock",
                                  help="How much of a contact's warmth still comes through "
                                       "when it is kept flat and brief (0: none).",
                                  step=0.05),
        "support": Param(float, 0, 1, default=0.0, label="Support from others",
                         help="Friends, family, a group: other sources of warmth after "
                              "leaving.", step=0.05, slider=(0.05, 1)),
        "reminders": Param(float, 0, 7, default=1.0, label="Reminders",
                           help="Songs, places, dates that bring the partner to mind.",
                           unit="per week", step=0.5),
        "mood_noise": Param(float, 0, 2, default=0.15, label="Ups and downs",
                            help="How much mood varies from day to day for other "
                                 "reasons.", step=0.05, slider=(0, 1)),
        "people": Param(int, 1, 10_000_000, default=500, label="People simulated",
                        help="How many simulated people to run at once.", step=100),
        "spread": Param(float, 0, 1, default=0.2, label="How much people differ",
                        help="Spread of people's learning and feeling.", step=0.05),
        "seed": Param(int, 0, 2**63 - 1, default=0, none_ok=True, label="Random seed",
                      help="Same seed, same numbers."),
    }

    def __init__(self, partner=None, learner=None, affect=None, days_together=180,
                 days_after=180, contacts=(), contact_kind="message", grey_rock=False,
                 grey_rock_factor=0.1, support=0.0, reminders=1.0, mood_noise=0.15, people=500, spread=0.2,
                 seed=0):
        self.partner = partner
        self.learner = learner
        self.affect = affect
        self.days_together = days_together
        self.days_after = days_after
        self.contacts = contacts
        self.contact_kind = contact_kind
        self.grey_rock = grey_rock
        self.grey_rock_factor = grey_rock_factor
        self.support = support
        self.reminders = reminders
        self.mood_noise = mood_noise
        self.people = people
        self.spread = spread
        self.seed = seed

    def validate(self):
        v = super().validate()
        v["partner"] = v["partner"] if v["partner"] is not None else IntermittentPartner()
        v["learner"] = v["learner"] if v["learner"] is not None else ChangeDetection()
        v["affect"] = v["affect"] if v["affect"] is not None else OpponentProcess()
        for k in ("partner", "learner", "affect"):
            v[k].validate()
        bad = [c for c in v["contacts"] if c > v["days_after"]]
        if bad:
            raise ValueError(
                f"The 'contacts' parameter of Scenario must list days within "
                f"'days_after' (1 to {v['days_after']}). Got {bad[0]} instead.")
        check_memory(14 * v["people"] * (v["days_together"] + v["days_after"]),
                     "This scenario")
        return v

    #: The parameters that only act after leaving: a run may continue from an earlier
    #: run that differs from it in these alone (``run(start=...)``).
    AFTER_LEAVING = ("days_after", "contacts", "contact_kind", "grey_rock",
                     "grey_rock_factor", "support", "reminders")

    # ------------------------------------------------------------------
    def run(self, start=None):
        """Simulate every person, every day.  Returns a :class:`ScenarioResult`.

        Parameters
        ----------
        start : ScenarioResult, optional
            An earlier run of a scenario that differs from this one only in what happens
            after leaving (:attr:`AFTER_LEAVING`): its days together and everyone's state
            on the day of leaving are taken over, and only the days after are simulated.
            The numbers are the same as without it (a test checks); it saves the time of
            the days together when several ways of leaving are compared.

        The steps are those of the class docstring, each a function below (``_events``,
        ``_feel``, ``_felt_reward``, ``_learn``, ``_mood``, ``_withdrawal``).  They run
        block by block (:class:`bondlab._fast.scenario_chunks.Blocks`: chunks of days,
        groups of people), which gives the same numbers as day by day (a test checks).
        """
        v = self.validate()
        if start is not None:
            self._check_start(v, start)
        P, T1, T2 = v["people"], v["days_together"], v["days_after"]
        rng = make_rng(v["seed"])
        sens_learn = spread_factors(rng, P, v["spread"])
        sens_feel = spread_factors(rng, P, v["spread"])
        # 1. events: warmth W and cruelty each day (stimulus S: warmth plus support, cruelty)
        S, W, phase = _events(v, rng)
        noise_rng, rem_rng = (make_rng(int(k)) for k in rng.integers(0, 2**63, size=2))
        out = {name: np.empty((T1 + T2, P), DTYPE) for name in ("attachment", "mood",
                                                                  "surprise")}
        out["withdrawal"] = np.zeros((T1 + T2, P), DTYPE)     # (zero while together)
        blocks = Blocks(v, T1, T1 + T2, sens_feel, sens_learn)
        if start is not None:   # the days together, and everyone's state on leaving
            phase = _days_together_from(start, S, W, out)
            blocks.continue_from(start._at_leaving, noise_rng)
        k = _Constants(v, blocks.learns[0])
        for b in blocks(noise_rng, rem_rng):
            x = _warmth_came(b, W)
            d = _feel(b, k, S)                                             # 2. feel
            rel = _felt_reward(b, k, d, x, W)
            _learn(b, k, x, rel, out["surprise"], out["attachment"])       # 3. learn
            _mood(b, k, d, out["mood"])                                    # 4. mood
            if b.after:
                _withdrawal(b, k, x, out)                                  # 5. withdrawal
        arrays = {"warmth": W.T, "cruelty": S[1].T, **{n: a.T for n, a in out.items()}}
        result = ScenarioResult({n: arrays[n] for n in OUTPUTS}, days_together=T1,
                                days_after=T2, phase=phase, scenario=self, params=v)
        result._at_leaving = blocks.at_leaving
        return result

    def _check_start(self, v, start):
        saved = getattr(start, "_at_leaving", None)
        if not isinstance(start, ScenarioResult) or saved is None:
            raise ValueError("The 'start' argument of Scenario.run must be the result of an "
                             f"earlier Scenario run. Got {type(start).__name__}.")
        differ = [k for k in v if k not in self.AFTER_LEAVING and start.params.get(k) != v[k]]
        if differ:
            raise ValueError(
                "The 'start' argument of Scenario.run must come from a scenario that differs "
                f"only after leaving ({', '.join(self.AFTER_LEAVING)}). This one differs in "
                f"{', '.join(differ)}.")

    def contact_cost(self, after_days=30, threshold=0.25):
        """The cost of one contact after ``after_days`` days of no contact.

        See :func:`contact_cost`.
        """
        return contact_cost(self, after_days=after_days, threshold=threshold)


class _Constants:
    """The numbers one run's steps use, from its parameters and the fixed assumptions."""

    def __init__(self, v, stepper):
        self.support = DTYPE(SUPPORT_WARMTH * v["support"])
        self.crave = DTYPE(1 - SUPPORT_CRAVING_CUT * v["support"])
        # mood noise: AR(1) with innovations uniform on (-1/2, 1/2) x scale, in 2**16 steps
        self.rho = rho = DTYPE(math.exp(-1 / MOOD_NOISE_DAYS))
        noise_scale = v["mood_noise"] * math.sqrt(1 - rho * rho) * 2 * math.sqrt(3)
        self.noise_step = DTYPE(noise_scale / U16_LEVELS)
        # reminders: on each day after leaving, one comes with chance 1 - exp(-rate)
        # (a Poisson number of them, two on one day counting as one)
        self.p_reminder = -math.expm1(-v["reminders"] / 7)
        self.reminder_decay = DTYPE(math.exp(-1 / REMINDER_DAYS))
        # what the learner's stepper does (bondlab.learners.Stepper)
        self.gated = stepper.gates_reward
        self.by_days = isinstance(stepper, DayStepper)
        self.reminded = stepper.takes_reminders


def _events(v, rng):
    """Step 1, every day at once: the partner's events while together, then contacts.

    Returns the stimulus ``S`` (2, days, people): warmth (plus, after leaving, the
    support) and cruelty; the warmth received ``W`` (days, people; ``S[0]`` itself when
    there is no support); and the cycle's phases (or None).  Time-major, so the partner
    draws straight into it (no copies).
    """
    P, T1 = v["people"], v["days_together"]
    S = np.zeros((2, T1 + v["days_after"], P), DTYPE)
    phase = v["partner"]._events_into(T1, P, rng, S[0, :T1], S[1, :T1])
    if v["contacts"]:
        cw = CONTACT_WARMTH[v["contact_kind"]] * (v["grey_rock_factor"] if v["grey_rock"]
                                                  else 1.0)
        for d in v["contacts"]:
            S[0, T1 + d - 1] = cw
    sup = DTYPE(SUPPORT_WARMTH * v["support"])
    if sup:                               # (warmth received excludes the support)
        W = S[0].copy()
        S[0, T1:] += sup
    else:
        W = S[0]
    return S, W, phase


def _days_together_from(start, S, W, out):
    """Copy the days together of an earlier run (events and outputs); returns its phases.

    (The events were drawn again in step 1 to keep the random streams in step, but with
    seed=None those draws differ from the start's own.)
    """
    T1 = start.days_together
    for name in ("attachment", "mood", "surprise"):
        out[name][:T1] = start[name][:, :T1].T
    S[0, :T1] = start["warmth"][:, :T1].T
    S[1, :T1] = start["cruelty"][:, :T1].T
    if W is not S[0]:
        W[:T1] = S[0, :T1]
    return start.phase


def _warmth_came(b, W):
    r""":math:`x_t = [W_t \ge` :data:`HIT_LEVEL` :math:`]`: warmth came (1) or not (0)."""
    if b.quiet:
        return b.zero
    np.greater_equal(W[b.days, b.g], DTYPE(HIT_LEVEL), out=b.x)
    return b.x


def _feel(b, k, S):
    """Step 2: the opponent process of each channel; returns (a - b) / scale per channel."""
    b.feel.run(None if b.quiet and not k.support else S[:, b.days, b.g], b.d)
    return b.d


def _felt_reward(b, k, d, x, W):
    r"""Step 2, the felt reward of warmth: :math:`r_t = W_t + x_t\max(0, b^-_t - a^-_t)`,
    warmth plus relief (the cruelty channel's positive after-reaction)."""
    rel = b.rel
    if b.quiet and k.gated and k.by_days:   # (no warmth at all: days() does not read it)
        return rel
    np.minimum(d[:, 1], b.zero, out=rel)
    rel *= -b.feel.scale
    if not k.gated:                         # (a gating learner multiplies by x itself)
        rel *= x
    if not b.quiet:
        rel += W[b.days, b.g]
    return rel


def _learn(b, k, x, rel, SU, A):
    """Step 3: the learner sees whether warmth came and how good it felt; it writes the
    surprise and the attachment (its pull).  After leaving, reminders (each lowering the
    evidence for "it has changed" by :data:`REMINDER_STRENGTH`, fading over
    :data:`REMINDER_DAYS`) act on a learner that takes them."""
    cue = None
    if b.after:
        cue = np.multiply(chance16(b.reminders, k.p_reminder), DTYPE(REMINDER_STRENGTH),
                          out=b.cue)
    if k.by_days:
        b.learn.days(None if b.quiet else x, rel, SU[b.days, b.g], A[b.days, b.g], cue=cue,
                     cue_decay=k.reminder_decay)
        return
    R = b.R                                 # the reminders' trace, day by day
    for t in range(b.t0, b.t1):
        if b.after and k.reminded:
            b.learn.offset = R
            R *= k.reminder_decay
            R += cue[t - b.t0]
        b.learn.step(x[t - b.t0], rel[t - b.t0], surprise=SU[t, b.g], pull=A[t, b.g])


def _mood(b, k, d, M):
    r"""Step 4: mood = felt warmth minus felt cruelty, plus slow AR(1) noise
    :math:`n_t = \rho\,n_{t-1} + \xi_t`."""
    m = M[b.days, b.g]
    np.multiply(b.noise, k.noise_step, out=m)         # the innovations xi_t
    m += k.noise_step / 2
    nt, nu = b.tmp[0], b.nu
    np.multiply(nu, k.rho, out=nt)
    m[0] += nt
    for j in range(1, len(m)):
        np.multiply(m[j - 1], k.rho, out=nt)
        m[j] += nt
    nu[...] = m[-1]
    np.subtract(d[:, 0], d[:, 1], out=b.tmp)
    b.tmp *= b.feel.scale
    m += b.tmp


def _withdrawal(b, k, x, out):
    r"""Step 5 (after leaving): negative mood, plus craving on days without warmth,
    :math:`\max(0, -\text{mood}_t) + (1 - x_t)\,\text{attachment}_t\,(1 - \tfrac12
    \text{support})`."""
    wd = out["withdrawal"][b.days, b.g]
    np.minimum(out["mood"][b.days, b.g], b.zero, out=wd)
    if b.quiet:                             # (no warmth: craving on every day)
        a = out["attachment"][b.days, b.g]
    else:
        a = np.subtract(DTYPE(1), x, out=b.tmp)
        a *= out["attachment"][b.days, b.g]
    if k.crave != 1:
        a = np.multiply(a, k.crave, out=b.tmp)
    np.subtract(a, wd, out=wd)


def _first_true(mask, censored):
    """Index of the first True along axis 0 (time-major), ``censored`` where none."""
    idx = np.argmax(mask, axis=0).astype(float)
    idx[~mask.any(axis=0)] = censored
    return idx


def _med(x):
    return float(np.median(np.asarray(x, float)))


class ScenarioResult:
    """What a :class:`Scenario` run produced: named arrays, bands, summary metrics.

    Attributes
    ----------
    warmth, cruelty, attachment, mood, withdrawal, surprise : numpy.ndarray
        Shape (people, days): axis 0 people, axis 1 days.  Day index
        ``days_together`` is the first day after leaving.  (Transposed views of the
        run's day-major arrays, so not C-contiguous: each day's people are.)
    phase : numpy.ndarray of int8 or None
        Cycle phase per person and day together (CyclePartner only; see
        :data:`bondlab.partners.PHASE_NAMES`), shape (people, days_together).
    days_together, days_after : int
    day : numpy.ndarray
        Day numbers relative to leaving (0 = first day after; negative = together).
    names : tuple of str
        The output names (:data:`OUTPUTS`).
    params : dict
        The validated scenario parameters.
    """

    names = OUTPUTS
    phase_names = PHASE_NAMES

    def __init__(self, arrays, days_together, days_after, phase=None, scenario=None,
                 params=None):
        self._arrays = arrays
        for k, v in arrays.items():
            setattr(self, k, v)
        self.days_together = days_together
        self.days_after = days_after
        self.phase = phase
        self.scenario = scenario
        self.params = params or {}
        self.day = np.arange(days_together + days_after) - days_together
        self._at_leaving = None  # the state on the day of leaving (Scenario.run sets it)

    @property
    def people(self):
        return self.attachment.shape[0]

    def __getitem__(self, name):
        return self._arrays[name]

    def band(self, name, after_leaving=False):
        """Median and quartiles over people for each day.

        Parameters
        ----------
        name : str
            One of the outputs (``names``).
        after_leaving : bool
            Only the days after leaving (a third of the work for a year together
            and half a year apart).

        Returns
        -------
        (median, q25, q75) : three numpy arrays of shape (days,), or
        (days_after,) with ``after_leaving``

        Examples
        --------
        >>> r = Scenario(people=50, days_together=20, days_after=10).run()
        >>> [a.shape for a in r.band("mood")]
        [(30,), (30,), (30,)]
        """
        if name not in self._arrays:
            raise ValueError(f"Unknown output {name!r}. Outputs: {', '.join(self.names)}.")
        # (over the stored day-major array: each day's people are contiguous)
        days = self._after(name) if after_leaving else self._arrays[name].T
        return band(days, axis=1)

    def _after(self, name):
        return self._arrays[name].T[self.days_together:]

    def summary(self, threshold=0.25, recover_threshold=0.15, recover_window=7):
        """Summary metrics (medians over people).

        Parameters
        ----------
        threshold : float
            Pull level below which the attachment counts as faded.
        recover_threshold : float
            Withdrawal level below which a day counts as recovered.
        recover_window : int
            Days in a row below ``recover_threshold`` that count as recovery.

        Returns
        -------
        dict
            ``total_warmth`` (sum of warmth while together),
            ``warm_days_fraction``, ``total_cruelty``,
            ``attachment_at_leaving``,
            ``persistence_days`` (days after leaving until the pull first
            falls below ``threshold``; ``inf`` if not within the run),
            ``days_pull_above`` (days after leaving with pull ≥ threshold),
            ``peak_withdrawal`` (largest withdrawal after leaving),
            ``days_to_recover`` (first day after leaving that starts
            ``recover_window`` days below ``recover_threshold``; ``inf`` if
            none), ``recovered_fraction`` (people who recovered),
            ``mean_mood_together``, ``mean_mood_after``, and ``people``.
        """
        T1, T2 = self.days_together, self.days_after
        w = self.warmth.T[:T1]
        pull_after = self._after("attachment")
        wd_after = self._after("withdrawal")
        persist = _first_true(pull_after < threshold, np.inf)
        ok = wd_after < recover_threshold
        k = int(recover_window)
        if T2 >= k:
            bad = np.concatenate([np.zeros((1, ok.shape[1]), np.int32),
                                  np.cumsum(~ok, axis=0, dtype=np.int32)])
            window_clear = (bad[k:] - bad[:-k]) == 0
            recover = _first_true(window_clear, np.inf)
        else:
            recover = np.full(ok.shape[1], np.inf)
        return {
            "people": int(self.people),
            "total_warmth": _med(w.sum(axis=0)),
            "warm_days_fraction": _med((w >= HIT_LEVEL).mean(axis=0)),
            "total_cruelty": _med(self.cruelty.T[:T1].sum(axis=0)),
            "attachment_at_leaving": _med(self.attachment[:, T1 - 1]),
            "persistence_days": _med(persist),
            "days_pull_above": _med((pull_after >= threshold).sum(axis=0)),
            "peak_withdrawal": _med(wd_after.max(axis=0)),
            "days_to_recover": _med(recover),
            "recovered_fraction": float(np.isfinite(recover).mean()),
            "mean_mood_together": _med(self.mood.T[:T1].mean(axis=0)),
            "mean_mood_after": _med(self._after("mood").mean(axis=0)),
        }

    def contact_cost(self, after_days=30, threshold=0.25):
        """Cost of one contact after ``after_days`` of no contact (re-runs the scenario)."""
        return contact_cost(self.scenario, after_days=after_days, threshold=threshold)

    def to_dict(self, summary=True):
        """A JSON-ready dict: per-day median and quartiles of each output, and the summary."""
        d = {"days_together": self.days_together, "days_after": self.days_after,
             "day": self.day.tolist(), "outputs": {}}
        for n in self.names:
            med, q25, q75 = self.band(n)
            d["outputs"][n] = {"median": _round(med), "q25": _round(q25),
                               "q75": _round(q75)}
        if self.phase is not None:
            d["phase_names"] = list(PHASE_NAMES)
            d["phase_person0"] = self.phase[0].tolist()
        if summary:
            d["summary"] = _jsonable(self.summary())
        return d


def _round(a, nd=4):
    return [round(float(x), nd) for x in a]


def _jsonable(d):
    out = {}
    for k, v in d.items():
        if isinstance(v, float) and not math.isfinite(v):
            out[k] = None
        else:
            out[k] = v
    return out


def contact_cost(scenario, after_days=30, threshold=0.25, base=None):
    """What one contact after ``after_days`` days of no contact costs.

    Runs the scenario twice with the same seed (so both share every random
    event): without contacts, and with a single contact on day
    ``after_days`` after leaving (of the scenario's ``contact_kind``, grey
    rock or not).

    Parameters
    ----------
    base : ScenarioResult, optional
        The run without contacts, if the caller already has it (saves one of
        the two runs).  It must come from this scenario with ``contacts=()``:
        the same parameters, seed included; otherwise ``ValueError``.

    Returns
    -------
    dict
        ``after_days``; ``pull_before`` (median pull the day before, no
        contact); ``pull_after_contact`` (median pull on the contact day);
        ``extra_days_of_pull`` (median extra days with pull ≥ threshold);
        ``extra_withdrawal`` (median extra withdrawal summed over the days
        after leaving).

    Examples
    --------
    >>> c = contact_cost(Scenario(people=100), after_days=30)
    >>> c["pull_after_contact"] > c["pull_before"]
    True
    """
    if not isinstance(scenario, Scenario):
        raise ValueError(f"contact_cost needs a Scenario. Got {scenario!r}.")
    v = scenario.validate()
    n = check_value("contact_cost", "after_days",
                    Param(int, 1, v["days_after"], default=30, label="after"), after_days)
    if base is None:
        base = scenario.clone(contacts=()).run()
    else:
        want = scenario.clone(contacts=()).validate()
        got = base.params if isinstance(base, ScenarioResult) else None
        if got != want:
            why = (f"a {type(base).__name__}" if got is None else "a result that differs in "
                   + ", ".join(k for k in want if got.get(k) != want[k]))
            raise ValueError("The 'base' argument of contact_cost must be the result of this "
                             "scenario run without contacts (scenario.clone(contacts=())"
                             f".run(): same parameters and seed). Got {why}.")
    with_ = scenario.clone(contacts=(n,)).run(start=base)  # (the days together: from base)
    T1 = v["days_together"]
    pb, pw = base._after("attachment"), with_._after("attachment")
    wb, ww = base._after("withdrawal"), with_._after("withdrawal")
    return {
        "after_days": n,
        "contact_kind": v["contact_kind"],
        "grey_rock": v["grey_rock"],
        "pull_before": _med(pb[n - 2]) if n >= 2 else _med(base.attachment[:, T1 - 1]),
        "pull_after_contact": _med(pw[n - 1]),
        "extra_days_of_pull": _med((pw >= threshold).sum(axis=0)
                                   - (pb >= threshold).sum(axis=0)),
        "extra_withdrawal": _med((ww - wb).sum(axis=0)),
    }
