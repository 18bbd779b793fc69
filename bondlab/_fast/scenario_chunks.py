"""How :meth:`bondlab.Scenario.run` goes through its people and days: in blocks.

The model is the five numbered steps of :meth:`bondlab.Scenario.run`, applied to every
person on every day.  This module only decides the order: the days go by in chunks and
the people in groups, small enough for the working arrays to stay in the processor's
cache, and each step runs over all of a block's days before the next step starts.  That
gives the same numbers as going day by day, because the opponent process does not depend
on the learner, and the learner's state depends on the felt reward only through the
attachment it reports (a test checks the numbers do not depend on the blocks).

It also keeps everyone's state on the day of leaving, so that a later run that differs
only after leaving can continue from there (``Scenario.run(start=...)``).
"""

from __future__ import annotations

import numpy as np

from .._params import DTYPE, uniform16_rows
from .felt_days import FeltDays

__all__ = ["Blocks", "Block"]

#: The days go by in chunks of about this many person-days (per group of people), so
#: the working arrays stay in cache, but at least this many days a chunk (the fixed
#: cost of a chunk must stay small).
CHUNK_VALUES = 1 << 17
CHUNK_MIN_DAYS = 4
#: People per group (each group's states stay in cache).
GROUP_PEOPLE = 16384


class Block:
    """Some days (``t0`` to ``t1``) of one group of people ``g``: views of the working
    arrays, and that group's steppers and states."""

    __slots__ = ("t0", "t1", "days", "after", "quiet", "g", "feel", "learn", "d", "rel",
                 "tmp", "zero", "x", "cue", "noise", "reminders", "R", "nu")


class Blocks:
    """The run's people in groups and days in chunks, with each group's steppers.

    ``v``: the validated scenario; ``days_together``, ``days``: T1 and T; ``contact_days``:
    day indices with a contact (no warmth at all on the other days after leaving).
    """

    def __init__(self, v, days_together, days, sens_feel, sens_learn):
        P, T, group = v["people"], days, GROUP_PEOPLE
        self.days_together = days_together
        self.groups = [slice(g0, min(P, g0 + group)) for g0 in range(0, P, group)]
        self.feels, self.learns = [], []
        for g in self.groups:
            n = g.stop - g.start
            self.feels.append(FeltDays(v["affect"].validate(), n, 2, sens_feel[g]))
            self.learns.append(v["learner"].begin(n, sens_learn[g]))
        Pg = self.groups[0].stop - self.groups[0].start
        L = min(T, max(CHUNK_MIN_DAYS, CHUNK_VALUES // Pg))
        self._D = np.empty((L, 2, Pg), DTYPE)        # (a - b) / scale per channel
        self._REL, self._CUE, self._TMP, self._X = (np.empty((L, Pg), DTYPE)
                                                    for _ in range(4))
        self._ZERO = np.zeros((L, Pg), DTYPE)
        self.R = np.zeros(P, DTYPE)                  # reminder trace (stepper by stepper)
        self.nu = np.zeros(P, DTYPE)                 # AR(1) mood noise
        self.people = P
        self.edges = sorted(set(range(0, T, L)) | {days_together, T})
        self.contact_days = [days_together + d - 1 for d in v["contacts"]]
        self.at_leaving = None

    def continue_from(self, saved, noise_rng):
        """Take over everyone's state on the day of leaving (from :attr:`at_leaving` of an
        earlier run); only the days after leaving are then gone through."""
        for obj, s in zip(self.feels + self.learns, saved["feels"] + saved["learns"]):
            _restore(obj, s)
        self.nu[...] = saved["nu"]
        noise_rng.bit_generator.state = saved["noise"]
        self.edges = [t for t in self.edges if t >= self.days_together]

    def __call__(self, noise_rng, rem_rng):
        """The blocks in order: each chunk of days, each group of people.

        Each chunk's random numbers (mood noise and reminders, 16 bits a person-day) are
        drawn for all people at once, from their own streams, so the numbers do not depend
        on the blocks.
        """
        T1, P = self.days_together, self.people
        for t0, t1 in zip(self.edges[:-1], self.edges[1:]):
            n, after = t1 - t0, t0 >= T1
            if t0 == T1 and self.at_leaving is None:  # kept for runs that continue from here
                self.at_leaving = {"feels": [_snapshot(f) for f in self.feels],
                                   "learns": [_snapshot(x) for x in self.learns],
                                   "nu": self.nu.copy(), "noise": noise_rng.bit_generator.state}
            # after leaving, days with no contact bring no warmth: no x, no reward
            quiet = after and not any(t0 <= c < t1 for c in self.contact_days)
            noise = uniform16_rows(noise_rng, n, P).view(np.int16)
            reminders = uniform16_rows(rem_rng, n, P) if after else None
            for g, feel, learn in zip(self.groups, self.feels, self.learns):
                k = g.stop - g.start
                b = Block()
                b.t0, b.t1, b.days, b.after, b.quiet, b.g = t0, t1, slice(t0, t1), after, \
                    quiet, g
                b.feel, b.learn = feel, learn
                b.d, b.rel, b.tmp = self._D[:n, :, :k], self._REL[:n, :k], self._TMP[:n, :k]
                b.zero, b.x, b.cue = self._ZERO[:n, :k], self._X[:n, :k], self._CUE[:n, :k]
                b.noise = noise[:, g]
                b.reminders = None if reminders is None else reminders[:, g]
                b.R, b.nu = self.R[g], self.nu[g]
                yield b


def _snapshot(stepper) -> dict:
    """A copy of a stepper's state (its attributes; arrays copied)."""
    return {k: (x.copy() if isinstance(x, np.ndarray) else x) for k, x in vars(stepper).items()}


def _restore(stepper, saved: dict) -> None:
    """Put a :func:`_snapshot` back into a stepper built the same way. Arrays are written
    in place, so arrays that are views of one another (a stepper's stacked sums) stay so."""
    for k, x in saved.items():
        mine = getattr(stepper, k, None)
        if isinstance(x, np.ndarray) and isinstance(mine, np.ndarray) and mine.shape == x.shape:
            np.copyto(mine, x)
        else:
            setattr(stepper, k, x.copy() if isinstance(x, np.ndarray) else x)
