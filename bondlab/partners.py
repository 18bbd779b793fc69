"""Partners: relationship-level schedules of warmth and cruelty, day by day.

A partner produces, for each simulated person and each day, how much
*warmth* came (affection, a reply, making up — reward, including relief)
and how much *cruelty* (criticism, silent treatment, an incident —
punishment).  ``events(days, people, rng)`` returns
``Events(warmth, cruelty, phase)``: two float arrays (people x days) and,
for :class:`CyclePartner`, an int array of phase codes (else ``None``).

Intermittency (how unpredictable warmth is) and alternation (how regularly
warmth follows cruelty) are separate parameters: Dutton & Painter (1993)
found that their measure of intermittency was unrelated to predictability.
"""

from __future__ import annotations

from typing import NamedTuple, Optional

import numpy as np

from ._params import (DTYPE, U16_LEVELS, Model, Param, chance16, check_memory,
                      check_value, make_rng, uniform16_rows)

__all__ = ["Events", "Partner", "ConsistentPartner", "IntermittentPartner",
           "CyclePartner", "PHASE_NAMES", "PARTNER_CLASSES"]

#: Names of the four phases of the abuse cycle, indexed by the phase code.
PHASE_NAMES = ("tension building", "incident", "reconciliation", "calm")

_DAYS = Param(int, 1, 100000, default=365, label="Days")
_PEOPLE = Param(int, 1, 10000000, default=1, label="People")
#: Partners draw their days in blocks of about this many person-days (small
#: temporaries); each day's numbers come from its own part of the stream.
_BLOCK_VALUES = 1 << 17


def _scaled(flags, level, out):
    """out = flags * level (a plain copy when level is 1: twice as fast)."""
    if level == 1:
        np.copyto(out, flags)
    else:
        np.multiply(flags, level, out=out)


def _day_blocks(days, people):
    """(first day, number of days) of each block, and the largest block."""
    n = max(1, min(days, _BLOCK_VALUES // people))
    return [(d0, min(n, days - d0)) for d0 in range(0, days, n)], n


# The parameters both ConsistentPartner and IntermittentPartner have (their defaults differ).
def _p_warmth(default):
    return Param(float, 0, 1, default=default, label="How often is the partner warm?",
                 help="How likely, each day, a bid for connection is answered warmly.",
                 step=0.01)


def _warmth(default):
    return Param(float, 0, 3, default=default, label="How warm",
                 help="How strong the warmth is when it comes.", step=0.1)


def _p_cruelty(default, what):
    return Param(float, 0, 1, default=default, label="How often is the partner cruel?",
                 help=f"How likely a day brings {what}.", step=0.01)


def _cruelty(default):
    return Param(float, 0, 3, default=default, label="How cruel",
                 help="How hurtful the cruelty is when it comes.", step=0.1)


class Events(NamedTuple):
    """What a partner did: arrays of shape (people, days).

    Attributes
    ----------
    warmth : numpy.ndarray of float
        Warmth received each day (0 = none; 1 = an ordinary warm day).
    cruelty : numpy.ndarray of float
        Cruelty received each day (0 = none).
    phase : numpy.ndarray of int or None
        Cycle phase code per day (index into :data:`PHASE_NAMES`), or None.
    """

    warmth: np.ndarray
    cruelty: np.ndarray
    phase: Optional[np.ndarray] = None


class Partner(Model):
    """Base class for partners (see :meth:`events`)."""

    def events(self, days, people=1, rng=None):
        """Warmth, cruelty (and phase) for ``people`` x ``days``.

        Parameters
        ----------
        days : int
            Number of days together.
        people : int
            Number of simulated people (rows).
        rng : numpy.random.Generator or int or None
            Random generator, or a seed.

        Returns
        -------
        Events
        """
        days, people, v = self._checked(days, people)
        check_memory(people * days * 3, "These events")
        return self._events(v, days, people, make_rng(rng))

    def _checked(self, days, people):
        """``days`` and ``people`` checked, and the validated parameters."""
        owner = type(self).__name__ + ".events"
        return (check_value(owner, "days", _DAYS, days),
                check_value(owner, "people", _PEOPLE, people), self.validate())

    def _events_into(self, days, people, rng, warmth, cruelty):
        """Write warmth and cruelty time-major (days x people) into the C-contiguous
        float arrays ``warmth`` and ``cruelty``; return the phase (or None).

        Same numbers as :meth:`events` with the same generator; partners that
        can draw straight into the arrays override ``_events(..., out=...)``.
        """
        days, people, v = self._checked(days, people)
        if getattr(self, "_draws_into", False):
            return self._events(v, days, people, make_rng(rng), out=(warmth, cruelty)).phase
        ev = self._events(v, days, people, make_rng(rng))
        warmth[...] = ev.warmth.T
        cruelty[...] = ev.cruelty.T
        return ev.phase


class ConsistentPartner(Partner):
    r"""A consistent partner: warmth nearly every day, rarely cruelty (continuous-like).

    Each day, independently: warmth with chance ``p_warmth`` (intensity
    ``warmth``), cruelty with chance ``p_cruelty`` (intensity ``cruelty``).
    Technical name: a near-continuous (random-ratio, high p) schedule.

    .. math:: W_t = w\,\mathbb{1}[U_t < p_w],\qquad C_t = c\,\mathbb{1}[U'_t < p_c]

    Examples
    --------
    >>> ev = ConsistentPartner().events(days=1000, people=2, rng=0)
    >>> ev.warmth.shape
    (2, 1000)
    >>> round(float((ev.warmth > 0).mean()), 1)
    0.9
    """

    label = "Consistent partner"
    citation = ("Ferster, C. B., & Skinner, B. F. (1957). Schedules of Reinforcement "
                "(continuous vs. partial reinforcement).")
    equations = (r"W_t = w\,\mathbb{1}[U_t < p_w]", r"C_t = c\,\mathbb{1}[U'_t < p_c]")
    parameters = {
        "p_warmth": _p_warmth(0.9),
        "warmth": _warmth(1.0),
        "p_cruelty": _p_cruelty(0.02, "criticism or coldness"),
        "cruelty": _cruelty(0.5),
    }

    def __init__(self, p_warmth=0.9, warmth=1.0, p_cruelty=0.02, cruelty=0.5):
        self.p_warmth = p_warmth
        self.warmth = warmth
        self.p_cruelty = p_cruelty
        self.cruelty = cruelty

    _draws_into = True

    def _events(self, v, days, people, rng, out=None):
        shape = (days, people)
        w, c = out if out is not None else (np.empty(shape, DTYPE), np.empty(shape, DTYPE))
        blocks, n = _day_blocks(days, people)
        cb, wb = np.empty((n, people), bool), np.empty((n, people), bool)
        pw, pc = v["p_warmth"], v["p_cruelty"]
        ww, cc = DTYPE(v["warmth"]), DTYPE(v["cruelty"])
        for d0, k in blocks:            # each day: a row for warmth, one for cruelty
            u = uniform16_rows(rng, 2 * k, people).reshape(k, 2, people)
            _scaled(chance16(u[:, 0], pw, out=wb[:k]), ww, w[d0:d0 + k])
            _scaled(chance16(u[:, 1], pc, out=cb[:k]), cc, c[d0:d0 + k])
        return Events(w.T, c.T, None)


class IntermittentPartner(Partner):
    r"""An intermittent partner: warmth unpredictable, often cruel, sometimes warm after cruelty.

    Cruelty comes on a day with chance ``p_cruelty``.  ``alternation`` sets
    how regularly warmth follows cruelty (0: no link; 1: always warm the
    day after cruelty — making up).  Warmth on other days is made rarer so
    that, where possible, the overall chance of warmth stays ``p_warmth``:

    .. math::
        q = a + (1-a)\,p_w,\qquad
        p_{other} = \frac{p_w - p_c\,q}{1 - p_c}\ (\text{clipped to } [0, 1]),\qquad
        P(W_t) = \begin{cases} q & C_{t-1} > 0\\ p_{other} & \text{else}\end{cases}

    Technical name: a random-ratio schedule of warmth with a sequential link
    to punishment.  Dutton & Painter (1993) found intermittency (not a
    regular "cycle") to be the key predictor of attachment after leaving,
    and unrelated to predictability — hence two separate parameters.

    Examples
    --------
    >>> ev = IntermittentPartner(p_warmth=0.3).events(days=4000, people=1, rng=0)
    >>> round(float((ev.warmth > 0).mean()), 1)
    0.3
    """

    label = "Intermittent partner"
    citation = ("Dutton, D. G., & Painter, S. (1993). Emotional attachments in abusive "
                "relationships: A test of traumatic bonding theory. Violence and "
                "Victims, 8(2), 105–120.")
    equations = (r"q = a + (1-a)\,p_w",
                 r"p_{\mathrm{other}} = \frac{p_w - p_c q}{1-p_c}",
                 r"P(W_t>0) = q\ \text{if}\ C_{t-1}>0,\ \text{else}\ p_{\mathrm{other}}")
    parameters = {
        "p_warmth": _p_warmth(0.3),
        "warmth": _warmth(1.0),
        "p_cruelty": _p_cruelty(0.3, "criticism, coldness or worse"),
        "cruelty": _cruelty(1.0),
        "alternation": Param(float, 0, 1, default=0.5, label="Warmth after cruelty",
                             help="How regularly warmth follows a cruel day "
                                  "(0: no link, 1: always).", step=0.05),
    }

    def __init__(self, p_warmth=0.3, warmth=1.0, p_cruelty=0.3, cruelty=1.0,
                 alternation=0.5):
        self.p_warmth = p_warmth
        self.warmth = warmth
        self.p_cruelty = p_cruelty
        self.cruelty = cruelty
        self.alternation = alternation

    _draws_into = True

    def _events(self, v, days, people, rng, out=None):
        shape = (days, people)
        pw, pc, a = v["p_warmth"], v["p_cruelty"], v["alternation"]
        w, c = out if out is not None else (np.empty(shape, DTYPE), np.empty(shape, DTYPE))
        q = a + (1 - a) * pw
        p_other = 0.0 if pc >= 1 else min(1.0, max(0.0, (pw - pc * q) / (1 - pc)))
        # warm if u < q the day after a cruel day, u < p_other otherwise
        # (boolean algebra: much faster than building the threshold array;
        # q >= p_other in theory, but keep it exact if rounding says no)
        exact = round(q * U16_LEVELS) < round(p_other * U16_LEVELS)
        blocks, n = _day_blocks(days, people)
        cb, wb, ab = (np.empty((n, people), bool) for _ in range(3))
        before = np.zeros(people, bool)             # cruel the day before
        ww, cc = DTYPE(v["warmth"]), DTYPE(v["cruelty"])
        for d0, k in blocks:            # each day: a row for cruelty, one for warmth
            u = uniform16_rows(rng, 2 * k, people).reshape(k, 2, people)
            cruel = chance16(u[:, 0], pc, out=cb[:k])
            warm = chance16(u[:, 1], p_other, out=wb[:k])
            after = chance16(u[:, 1], q, out=ab[:k])
            after[0] &= before
            after[1:] &= cruel[:-1]
            if exact:
                warm[0] &= ~before
                warm[1:] &= ~cruel[:-1]
            warm |= after
            before[...] = cruel[-1]
            _scaled(cruel, cc, c[d0:d0 + k])
            _scaled(warm, ww, w[d0:d0 + k])
        return Events(w.T, c.T, None)


class CyclePartner(Partner):
    r"""The abuse cycle in four phases: tension building, incident, reconciliation, calm.

    Phase lengths are given in days; with ``jitter`` > 0 each phase of each
    cycle varies per person (log-normal, median as given) and people start
    at random points of the cycle.  ``escalation`` makes each cycle's
    cruelty stronger by that fraction and its calm phase shorter.

    * tension building: small cruelty (``tension_cruelty``) with chance
      ``tension_chance`` a day
    * incident: cruelty every day (``incident_cruelty``)
    * reconciliation: strong warmth every day (``reconciliation_warmth``;
      apologies, gifts, promises)
    * calm: ordinary warmth with chance ``calm_warmth`` a day.

    .. math::
        L_{c,\phi} = \max(1, \mathrm{round}(\bar L_\phi\, e^{j Z})),\quad
        L_{c,calm} \leftarrow L_{c,calm}(1-e)^c,\quad
        C \leftarrow C\,(1+e)^c

    The four phases follow the "cycle of abuse" (Walker 1979) as described
    in the kit's source articles; Dutton & Painter (1993) argue that
    intermittency, not the cycle as such, is what builds the bond.  Use
    ``events(...).phase`` (codes into :data:`PHASE_NAMES`) to draw bands.

    Examples
    --------
    >>> ev = CyclePartner(jitter=0).events(days=21, people=1, rng=0)
    >>> "".join("TIRC"[k] for k in ev.phase[0])
    'TTTTTTTIRRRCCCCCCCCCC'
    """

    label = "Cycle of abuse"
    citation = ("Walker, L. E. (1979). The Battered Woman. Harper & Row. Dutton, D. G., & "
                "Painter, S. (1993). Violence and Victims, 8(2), 105–120.")
    equations = (r"L_{c,\phi} = \max\!\left(1, \mathrm{round}(\bar L_\phi e^{jZ})\right)",
                 r"L_{c,\mathrm{calm}} \leftarrow L_{c,\mathrm{calm}}\,(1-e)^c",
                 r"C \leftarrow C\,(1+e)^c")
    parameters = {
        "tension_days": Param(int, 1, 365, default=7, label="Tension building",
                              help="How long the tension builds.", unit="days", step=1,
                              slider=(1, 30)),
        "incident_days": Param(int, 1, 60, default=1, label="Incident",
                               help="How long an incident lasts.", unit="days", step=1,
                               slider=(1, 7)),
        "reconciliation_days": Param(int, 1, 60, default=3,
                                     label="Reconciliation",
                                     help="How long the making-up lasts.", unit="days",
                                     step=1, slider=(1, 14)),
        "calm_days": Param(int, 0, 365, default=10, label="Calm",
                           help="How long the calm lasts before tension builds again.",
                           unit="days", step=1, slider=(0, 30)),
        "tension_cruelty": Param(float, 0, 3, default=0.5, label="Cruelty while tense",
                                 help="How hurtful the small cruelties are.", step=0.1),
        "tension_chance": Param(float, 0, 1, default=0.5, label="Chance of cruelty while tense",
                                help="How likely a tense day brings a small cruelty.",
                                step=0.05),
        "incident_cruelty": Param(float, 0, 5, default=2.0, label="Cruelty of an incident",
                                  help="How hurtful an incident is.", step=0.1),
        "reconciliation_warmth": Param(float, 0, 3, default=1.5,
                                       label="Warmth when making up",
                                       help="How intense the apologies and affection are.",
                                       step=0.1),
        "calm_warmth": Param(float, 0, 1, default=0.6, label="Chance of warmth when calm",
                             help="How likely a calm day is a warm one.", step=0.05),
        "escalation": Param(float, 0, 0.5, default=0.05, label="Escalation per cycle",
                            help="How much worse each cycle gets (and the calm shorter).",
                            step=0.01),
        "jitter": Param(float, 0, 1, default=0.3, label="Irregularity",
                        help="How much phase lengths vary (0: a clockwork cycle).",
                        step=0.05),
    }

    def __init__(self, tension_days=7, incident_days=1, reconciliation_days=3,
                 calm_days=10, tension_cruelty=0.5, tension_chance=0.5, incident_cruelty=2.0,
                 reconciliation_warmth=1.5, calm_warmth=0.6, escalation=0.05,
                 jitter=0.3):
        self.tension_days = tension_days
        self.incident_days = incident_days
        self.reconciliation_days = reconciliation_days
        self.calm_days = calm_days
        self.tension_cruelty = tension_cruelty
        self.tension_chance = tension_chance
        self.incident_cruelty = incident_cruelty
        self.reconciliation_warmth = reconciliation_warmth
        self.calm_warmth = calm_warmth
        self.escalation = escalation
        self.jitter = jitter

    def phases(self, days, people=1, rng=None):
        """Phase codes (people x days; see :data:`PHASE_NAMES`) and cycle numbers.

        Returns
        -------
        phase : numpy.ndarray of int8, shape (people, days)
        cycle : numpy.ndarray of int32, shape (people, days)
        """
        v = self.validate()
        return self._phases(v, days, people, make_rng(rng))

    def _phases(self, v, days, people, rng):
        base = np.array([v["tension_days"], v["incident_days"],
                         v["reconciliation_days"], v["calm_days"]], float)
        j, esc = v["jitter"], v["escalation"]
        min_len = 3.0
        offset_max = int(base.sum()) if j > 0 else 0
        span = days + offset_max
        n_cycles = int(span // min_len) + 2
        lengths = np.broadcast_to(base, (people, n_cycles, 4)).copy()
        if j > 0:
            lengths *= np.exp(j * rng.standard_normal((people, n_cycles, 4)))
        lengths[:, :, 3] *= (1 - esc) ** np.arange(n_cycles)
        lengths = np.rint(lengths)
        lengths[:, :, :3] = np.maximum(lengths[:, :, :3], 1)
        lengths[:, :, 3] = np.maximum(lengths[:, :, 3], 0)
        ends = np.cumsum(lengths.reshape(people, -1), axis=1).astype(np.int64)
        offset = (rng.integers(0, offset_max, size=people) if offset_max > 0
                  else np.zeros(people, np.int64))
        ends -= offset[:, None]
        marks = np.zeros((people, days + 1), dtype=np.int32)
        rows = np.broadcast_to(np.arange(people)[:, None], ends.shape)
        keep = (ends >= 0) & (ends < days)
        np.add.at(marks, (rows[keep], ends[keep]), 1)
        # segments that ended before day 0 (from the random offset)
        marks[:, 0] += (ends < 0).sum(axis=1, dtype=np.int32)
        seg = np.cumsum(marks[:, :days], axis=1, dtype=np.int32)
        return (seg % 4).astype(np.int8), seg // 4

    def _events(self, v, days, people, rng):
        phase, cycle = self._phases(v, days, people, rng)
        grow = (1 + v["escalation"]) ** cycle.astype(DTYPE)
        u = rng.random((people, days), dtype=DTYPE)
        c = np.where(phase == 0, (u < v["tension_chance"]) * DTYPE(v["tension_cruelty"]), 0).astype(DTYPE)
        c += (phase == 1) * DTYPE(v["incident_cruelty"])
        c *= grow
        w = ((phase == 2) * DTYPE(v["reconciliation_warmth"])).astype(DTYPE)
        w += (phase == 3) & (rng.random((people, days), dtype=DTYPE) < v["calm_warmth"])
        return Events(w, c, phase)


PARTNER_CLASSES = {c.__name__: c for c in (ConsistentPartner, IntermittentPartner,
                                           CyclePartner)}
