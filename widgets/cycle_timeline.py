"""Cycle timeline: the four phases of the cycle as bands, felt mood, and surprise.

One :class:`bondlab.Scenario` run with a :class:`bondlab.CyclePartner` gives the phases
(``result.phase``), the felt ``mood`` and the learner's ``surprise``. The figure follows one
example person (people start at different points of the cycle, so a group average would
blur the phases away); the text summary gives the numbers over everyone simulated.

Example
-------
>>> tl = CycleTimeline(people=50)
>>> tl.sliders["escalation"].value = 0.2
>>> tl.partner().escalation
0.2
"""
from __future__ import annotations

import numpy as np

import ipywidgets as w

import bondlab
from bondlab import PHASE_NAMES
from widgets.live_figure import LiveFigure, figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import Panel, heading, lecture_notes
from workshop.figures import draw_timeline, phase_runs, update_timeline

__all__ = ["CycleTimeline", "CONTROLS"]

#: The CyclePartner parameters offered as sliders (ranges from the engine's table).
CONTROLS = ("tension_days", "incident_days", "reconciliation_days", "calm_days",
            "incident_cruelty", "escalation")


class CycleTimeline(Panel):
    """The four phases over time, how they feel, and the surprise of making up.

    Parameters
    ----------
    days : int
        Days of the relationship shown.
    people : int
        Simulated people (the summary's numbers are over all of them).
    seed : int
        Random seed.
    """

    css_class = "bondlab-cycle-timeline"

    def __init__(self, days=90, people=200, seed=0, **kwargs):
        super().__init__(**kwargs)
        self.days, self.people, self.seed = days, people, seed
        table = bondlab.CyclePartner.parameters
        self.sliders = {name: self.slider(table[name], name) for name in CONTROLS}
        self.fig, self.axes = new_figure(2, 1, figsize=(10, 5.8), sharex=True,
                                         height_ratios=[1.6, 1])
        self.summary = figure_summary("")
        self.run_model()
        self.art = draw_timeline(self.axes, *self._data())
        art = self.art
        self.live = LiveFigure(self.fig, [art["bands_m"], art["bands_s"], art["mood"],
                                          art["surprise"].markerline,
                                          art["surprise"].stemlines, art["labels"]])
        self.update(run=False)
        grid = w.VBox(list(self.sliders.values()))
        notes = lecture_notes(bondlab.CyclePartner, bondlab.ChangeDetection)
        self.children = [heading("The cycle, day by day"), grid,
                         figure_panel(self.fig, self.summary), self.status] + (
            [notes] if notes else [])

    def partner(self):
        """The engine's CyclePartner for the current slider values."""
        return bondlab.CyclePartner(**{n: s.value for n, s in self.sliders.items()})

    def run_model(self):
        self.result = bondlab.Scenario(partner=self.partner(), days_together=self.days,
                                       days_after=1, people=self.people,
                                       seed=self.seed).run()

    def _data(self):
        r, T = self.result, self.days
        day = np.arange(1, T + 1)
        return day, r.phase[0], r.mood[0, :T], r.surprise[0, :T]

    def update(self, run=True):
        if run:
            self.run_model()
        update_timeline(self.art, self.axes, *self._data())
        self.live.refresh()
        set_summary(self.summary, self.describe())

    def describe(self) -> str:
        r, T = self.result, self.days
        phase, mood, sur = r.phase, r.mood[:, :T], r.surprise[:, :T]
        mood_by = [float(np.mean(mood[phase == k])) if (phase == k).any() else float("nan")
                   for k in range(4)]
        sur_by = [float(np.mean(sur[phase == k])) if (phase == k).any() else float("nan")
                  for k in range(4)]
        top = int(np.nanargmax(sur_by))
        cycles = len([1 for code, _, _ in phase_runs(phase[0]) if code == 1])
        parts = ", ".join(f"{PHASE_NAMES[k]} {mood_by[k]:+.2f}" for k in range(4))
        return (f"One simulated person over {T} days: {cycles} incidents. Average felt mood "
                f"by phase, over {self.people} simulated people: {parts}. In the model, the "
                f"biggest positive surprise comes in the {PHASE_NAMES[top]} phase (average "
                f"{sur_by[top]:+.2f}): warmth arriving after hurt is unexpected, and in the "
                f"model the unexpected is what the learning system marks most strongly.")
