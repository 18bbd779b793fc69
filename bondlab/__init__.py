"""Bond Lab engine: schedules, learning, attachment and withdrawal, vectorised over people.

Pure Python + NumPy; importing ``bondlab`` loads no matplotlib, ipywidgets or
IPython.  Every array has people on axis 0 and time (trials, ticks or days)
on axis 1; every run takes a seed and uses one ``numpy.random.Generator``.
Every model class carries ``parameters`` (a dict of :class:`Param`: type,
low, high, default, label, help, unit, step — the single source of truth for
validation *and* slider ranges), ``citation`` (str), ``equations`` (LaTeX
strings) and ``describe()`` (all of it as a dict, for the lecture view).
``__init__`` only stores keyword arguments; ``validate()`` checks them and
raises ``ValueError("The 'p' parameter of RandomRatio must be a float in the
range [0, 1]. Got 1.7 instead.")``.  Runs needing more than ~1 GB raise
:class:`RunTooLarge` (a ``ValueError``).

Schedules (``bondlab.schedules``; trial level: when is a bid answered?)
    ``Continuous()``, ``FixedRatio(n=5)``, ``VariableRatio(n=5.0)``,
    ``RandomRatio(p=0.3)``, ``FixedInterval(t=10)``, ``VariableInterval(t=10.0)``,
    ``Extinction()``.  Methods: ``outcomes(trials, people=1, rng=None)`` ->
    bool (people x trials); ``start(people, rng)`` / ``step(state, responded,
    rng)`` for free-operant use; ``spec()``.
    ``schedule_from_spec("VR5" | "RR0.3" | "FI10" | "VI30" | "FR3" | "CRF" | "EXT")``.

Responding agent (``bondlab.agent``; cumulative record, lever game)
    ``RespondingAgent(alpha=0.2, gamma=0.9, cost=0.05, beta=40.0, timing_noise=0.15)``
    ``.run(schedule, ticks=4000, people=50, seed=0, record_from=0, fast=True)`` ->
    ``ResponseRecord`` (``responses``, ``reinforced``: bool people x ticks;
    ``cumulative()``, ``rate()``, ``reinforcement_rate()``,
    ``post_reinforcement_pause()``, ``profile(interval, bins=4)``).
    ``presses_after_rewards_stop(training="continuous"|"variable", rewards=10,
    ratio=5.0, people=200, seed=0, learner=None, max_presses=1000)`` ->
    presses per person after rewards stop (PREE prediction for the game).

Partners (``bondlab.partners``; relationship level, day by day)
    ``ConsistentPartner(p_warmth=0.9, warmth=1.0, p_cruelty=0.02, cruelty=0.5)``,
    ``IntermittentPartner(p_warmth=0.3, warmth=1.0, p_cruelty=0.3, cruelty=1.0,
    alternation=0.5)``, ``CyclePartner(tension_days=7, incident_days=1,
    reconciliation_days=3, calm_days=10, tension_cruelty=0.5, tension_chance=0.5,
    incident_cruelty=2.0, reconciliation_warmth=1.5, calm_warmth=0.6,
    escalation=0.05, jitter=0.3)`` (also ``.phases(days, people, rng)``).
    ``partner.events(days, people=1, rng=None)`` -> ``Events(warmth, cruelty,
    phase)``: float arrays people x days, ``phase`` int8 codes into
    ``PHASE_NAMES = ("tension building", "incident", "reconciliation", "calm")``
    (CyclePartner) or None.

Learners (``bondlab.learners``; each emits a per-step prediction error)
    ``RescorlaWagner(alpha=0.1)`` (negative control: no PREE),
    ``TemporalDifference(alpha=0.1, gamma=1.0, delay=3)`` (surprise at cue ≈ p,
    reward ≈ 1-p, omission ≈ -p), ``ChangeDetection(hazard=0.0005, prior_a=1.0,
    prior_b=1.0, observation="rate")`` (PREE ~1/p, reinstatement, fast
    relearning).  ``learner.run(outcomes)`` -> ``LearningHistory`` with
    ``expectation``, ``surprise``, ``strength`` (+ ``surprise_cue`` for TD),
    people x trials, and ``band(name)``.  ``learner_from_name("rw"|"td"|"cd")``.
    ``trials_to_extinction(schedule, learner, train_trials=100, people=200,
    seed=0, criterion=0.5, max_trials=1000)`` -> trials per person.

Affect (``bondlab.affect``)
    ``OpponentProcess(tau_a=0.5, tau_b=15.0, gain=1.0, opponent=0.3,
    opponent_max=0.9, growth=0.02, recovery=60.0, allostasis=0.0,
    tau_setpoint=60.0)``; ``.run(stimulus, dt=1.0)`` -> ``AffectHistory``
    (``a``, ``b``, ``gain``, ``setpoint``, ``felt``: people x steps).
    ``exposure_train(spacing=20, intensity=1.0, count=5, duration=10, lead=10,
    tail=150)`` -> 1-D stimulus for the playground.

Scenarios (``bondlab.scenario``)
    ``Scenario(partner=None, learner=None, affect=None, days_together=180,
    days_after=180, contacts=(), contact_kind="message", grey_rock=False,
    grey_rock_factor=0.1, support=0.0, reminders=1.0, mood_noise=0.15, people=500, spread=0.2,
    seed=0).run()`` -> ``ScenarioResult`` with arrays (people x days)
    ``warmth``, ``cruelty``, ``attachment``, ``mood``, ``withdrawal``,
    ``surprise``; ``phase`` (CyclePartner, people x days_together, else None);
    ``day`` (days relative to leaving); ``band(name)`` -> (median, q25, q75)
    per day; ``summary(threshold=0.25, recover_threshold=0.15,
    recover_window=7)`` -> dict (``total_warmth``, ``persistence_days``,
    ``peak_withdrawal``, ``days_to_recover``, ...); ``contact_cost(after_days=30)``;
    ``to_dict()`` (JSON-ready).  ``contact_cost(scenario, after_days=30,
    threshold=0.25)``.  ``OUTPUTS`` and ``OUTPUT_HELP`` name and explain outputs.

Statistics and assumptions (``bondlab.stats``, ``bondlab.assumptions``)
    ``band(x, axis=0, nan="propagate")`` -> (median, q25, q75), the one band every
    figure draws.  ``ASSUMPTIONS``: the model's fixed numbers (``Assumption(name,
    value, meaning, why)``), for the lecture view.

Presets (``bondlab.presets``; JSON in ``data/presets/``, validated on load)
    ``list_presets(kind=None)``, ``load_schedule(name)``, ``load_partner(name)``,
    ``load_scenario(name, **overrides)``, ``preset_info(kind, name)``,
    ``data_dir()`` (``BONDLAB_DATA`` overrides).

Validation (``bondlab.validate``)
    ``TARGETS`` (phenomenon, citation, literature, claim), ``run_all()``,
    ``run_target(key)``
    -> list of ``TargetResult``; ``format_table(results)``.  Used by
    ``bondlab validate`` and by the science tests.

Command line: ``bondlab list | run | extinction | validate`` (``python -m bondlab``).

Examples
--------
>>> import bondlab
>>> r = bondlab.Scenario(partner=bondlab.ConsistentPartner(), people=100).run()
>>> sorted(r.summary())[:3]
['attachment_at_leaving', 'days_pull_above', 'days_to_recover']
"""

from ._params import DTYPE, MEMORY_LIMIT_BYTES, Param, RunTooLarge
from .affect import AffectHistory, OpponentProcess, exposure_train
from .agent import RespondingAgent, ResponseRecord, presses_after_rewards_stop
from .learners import (ChangeDetection, LearningHistory, RescorlaWagner,
                       TemporalDifference, learner_from_name, trials_to_extinction)
from .partners import (PHASE_NAMES, ConsistentPartner, CyclePartner, Events,
                       IntermittentPartner, Partner)
from .scenario import OUTPUT_HELP, OUTPUTS, Scenario, ScenarioResult, contact_cost
from .stats import band
from .assumptions import ASSUMPTIONS, Assumption
from .schedules import (Continuous, Extinction, FixedInterval, FixedRatio, RandomRatio,
                        Schedule, VariableInterval, VariableRatio, schedule_from_spec)
from . import presets

__version__ = "0.1.0"

__all__ = [
    "DTYPE", "MEMORY_LIMIT_BYTES", "Param", "RunTooLarge",
    "Continuous", "FixedRatio", "VariableRatio", "RandomRatio", "FixedInterval",
    "VariableInterval", "Extinction", "Schedule", "schedule_from_spec",
    "RespondingAgent", "ResponseRecord", "presses_after_rewards_stop",
    "ConsistentPartner", "IntermittentPartner", "CyclePartner", "Partner", "Events",
    "PHASE_NAMES",
    "RescorlaWagner", "TemporalDifference", "ChangeDetection", "LearningHistory",
    "learner_from_name", "trials_to_extinction",
    "OpponentProcess", "AffectHistory", "exposure_train",
    "Scenario", "ScenarioResult", "OUTPUTS", "OUTPUT_HELP", "contact_cost",
    "band", "ASSUMPTIONS", "Assumption", "presets",
]
