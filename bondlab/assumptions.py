"""The model's fixed assumptions: numbers that change results but are no parameter.

Everything a person can change is a parameter in a model's ``parameters`` table. A few
numbers are fixed instead: choices made when the model was written, kept fixed so that
the pages stay simple. :data:`ASSUMPTIONS` lists each of them with what it means and
why it has this value, for the lecture view and for anyone who wants to change the
model (the value is read from the module that uses it, so the list cannot drift).
"""

from __future__ import annotations

from typing import NamedTuple

from . import agent, scenario

__all__ = ["Assumption", "ASSUMPTIONS"]


class Assumption(NamedTuple):
    """One fixed number of the model."""

    #: Where it lives, as ``module.NAME`` (change it there).
    name: str
    value: object
    #: What it does, in the workshop's words.
    meaning: str
    #: Why this value; its source, or that it is the kit's own modelling choice.
    why: str


_CHOICE = "A modelling choice of this kit, not a measured value."

#: Every fixed number of the model, in the order the scenario uses them.
ASSUMPTIONS = (
    Assumption("scenario.HIT_LEVEL", scenario.HIT_LEVEL,
               "Warmth below this does not count as 'warmth came' for the learner.",
               "Between a contact kept grey rock (at most 0.1) and a message (0.6), so that "
               "grey rock does not feed the hope that things are back. " + _CHOICE),
    Assumption("scenario.CONTACT_WARMTH", dict(scenario.CONTACT_WARMTH),
               "How warm a contact after leaving is, where an ordinary warm day together "
               "is 1: a message, or a meeting.",
               "A message a little less warm than a warm day, a meeting as warm. " + _CHOICE),
    Assumption("scenario.SUPPORT_WARMTH", scenario.SUPPORT_WARMTH,
               "After leaving, support from others brings a daily pleasant feeling of this "
               "much per unit of support (it lifts mood; it is not the partner's warmth).",
               "Less than the partner's warm days, enough for full support to lift mood "
               "visibly. " + _CHOICE),
    Assumption("scenario.SUPPORT_CRAVING_CUT", scenario.SUPPORT_CRAVING_CUT,
               "Support cuts craving by this fraction per unit of support.",
               "Full support halves craving, no more: other rewards compete with the pull "
               "without removing it. " + _CHOICE),
    Assumption("scenario.REMINDER_STRENGTH", scenario.REMINDER_STRENGTH,
               "How much one reminder (a song, a place, a date) lowers the evidence that "
               "things have changed, in log-odds units.",
               "Enough for a reminder to bring a wave of pull back weeks after leaving, as "
               "renewal and reinstatement do in Bouton's (2004) account, in spirit. "
               + _CHOICE),
    Assumption("scenario.REMINDER_DAYS", scenario.REMINDER_DAYS,
               "A reminder's effect fades by a factor e every this many days.",
               "A wave of craving lasting days, not hours or months. " + _CHOICE),
    Assumption("scenario.MOOD_NOISE_DAYS", scenario.MOOD_NOISE_DAYS,
               "Time constant of the slow ups and downs of mood for other reasons (an AR(1) "
               "process; its daily steps are uniform, in 65,536 levels).",
               "Good and bad stretches of several days. " + _CHOICE),
    Assumption("agent.Q0", agent.Q0,
               "The responding agent's starting value of pressing and of not pressing.",
               "Optimistic, so that a new agent tries both actions before settling (the "
               "'optimistic initial values' of Sutton & Barto 1998). " + _CHOICE),
    Assumption("agent.CLUE_BINS", agent.CLUE_BINS,
               "How many states each of the agent's three clues tells apart (responses since "
               "the reward, time since it, time since its own last response).",
               "Time in 1-tick bins up to 20 ticks, then 2-tick bins up to 58 (a coarser "
               "sense of longer times); later counts share the last bin. " + _CHOICE),
    Assumption("agent.SURPRISE_SMOOTHING", agent.SURPRISE_SMOOTHING,
               "How fast the agent's running measure of each clue's surprise follows new "
               "surprises (per tick); the clue that surprises least is trusted most.",
               "A memory of about 50 ticks: a few rewards on the kit's schedules. " + _CHOICE),
)
