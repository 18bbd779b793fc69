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
from widgets.common import (COLORS, LINESTYLES, OKABE_ITO, LiveFigure, figure_panel,
                            figure_summary, new_figure, set_summary, style_axes)
from widgets.plots import (Panel, draw_phase_bands, heading, lecture_notes,
                           phase_runs, steady_limit, update_phase_bands)

__all__ = ["CycleTimeline", "draw_timeline", "update_timeline", "place_phase_labels", "CONTROLS"]

#: The CyclePartner parameters offered as sliders (ranges from the engine's table, upper
#: ends narrowed so a slider stays usable).
CONTROLS = {"tension_days": 30, "incident_days": 7, "reconciliation_days": 14,
            "calm_days": 30, "incident_cruelty": None, "escalation": None}


def draw_timeline(axes, day, phase, mood, surprise):
    """Phase bands on both rows, felt mood above, surprise below. Returns artists."""
    ax_m, ax_s = axes
    art = {"bands_m": draw_phase_bands(ax_m, day[0], phase, PHASE_NAMES, ylim=(-6, 6)),
           "bands_s": draw_phase_bands(ax_s, day[0], phase, [None] * 4, ylim=(-3, 3),
                                       strip=0)}
    art["mood"], = ax_m.plot(day, mood, color=OKABE_ITO["black"], linestyle=LINESTYLES[0],
                             label="Felt mood")
    ax_m.axhline(0, color="#666666", linewidth=1)
    art["surprise"] = ax_s.stem(day, surprise, linefmt="-", markerfmt="o", basefmt=" ")
    art["surprise"].markerline.set_color(COLORS[0])
    art["surprise"].stemlines.set_color(COLORS[0])
    art["labels"] = [ax_m.text(0, 1.0, "", transform=ax_m.get_xaxis_transform(), ha="center",
                               va="bottom", fontsize=12) for _ in range(4)]
    style_axes(ax_m, ylabel="Felt mood")
    style_axes(ax_s, xlabel="Day", ylabel="Surprise")
    update_timeline(art, axes, day, phase, mood, surprise)
    return art


def update_timeline(art, axes, day, phase, mood, surprise):
    """Move bands, lines and stems to a new run, in place.

    Vertical ranges are symmetric around zero (good and bad days on one scale), at round
    numbers, and kept while the new run fits them well (:func:`~widgets.plots.steady_limit`):
    the axes stay put for small changes.
    """
    ax_m, ax_s = axes
    hi_m = steady_limit(ax_m.get_ylim()[1], max(1.0, float(np.max(np.abs(mood))) * 1.15))
    hi_s = steady_limit(ax_s.get_ylim()[1],
                        max(1.2, float(np.max(np.abs(surprise))) * 1.15))
    lo_m, lo_s = -hi_m, -hi_s
    runs = update_phase_bands(art["bands_m"], day[0], phase, ylim=(lo_m, hi_m))
    update_phase_bands(art["bands_s"], day[0], phase, ylim=(lo_s, hi_s), strip=0)
    art["mood"].set_data(day, mood)
    stem = art["surprise"]
    stem.markerline.set_data(day, surprise)
    stem.stemlines.set_segments([[(x, 0), (x, y)] for x, y in zip(day, surprise)])
    place_phase_labels(art["labels"], ax_m, day[0], runs)
    ax_m.set_ylim(lo_m, hi_m)
    ax_s.set_ylim(lo_s, hi_s)
    for ax in axes:
        ax.set_xlim(day[0] - 0.5, day[-1] + 0.5)


#: The phase names written over the bands (the legend has the full names).
SHORT_NAMES = ("tension", "incident", "making up", "calm")


def place_phase_labels(labels, ax, x0, runs, rows=(1.0, 1.09)):
    """Name each phase once over the top strip, on one of two rows, never overlapping.

    Each phase goes over its longest appearance that has room on a row (longest phases
    first); widths are estimated from the font size (about 0.55 em a letter) and the axes'
    width on screen. A phase with no room anywhere is left to the legend.
    """
    width_px = ax.get_window_extent().width or 1.0
    span = ax.get_xlim()[1] - ax.get_xlim()[0]
    per_px = span / width_px if span > 0 else 1.0
    taken = {row: [] for row in rows}
    by_phase = {}
    for code, start, n in runs:
        by_phase.setdefault(code, []).append((start, n))
    order = sorted(by_phase, key=lambda code: -max(n for _, n in by_phase[code]))
    for text in labels:
        text.set_text("")
    for code in order:
        text = labels[code]
        half = 0.55 * text.get_fontsize() * ax.figure.dpi / 72 * len(SHORT_NAMES[code]) / 2
        half = (half + 3) * per_px  # a few pixels between neighbours
        for start, n in sorted(by_phase[code], key=lambda run: (-run[1], run[0])):
            x = x0 + start + (n - 1) / 2
            row = next((r for r in rows if all(x + half <= a or x - half >= b
                                               for a, b in taken[r])), None)
            if row is not None:
                taken[row].append((x - half, x + half))
                text.set_position((x, row))
                text.set_text(SHORT_NAMES[code])
                break


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
        self.sliders = {name: self.slider(table[name], name, high=high)
                        for name, high in CONTROLS.items()}
        self.fig, self.axes = new_figure(2, 1, figsize=(10, 5.8), sharex=True,
                                         height_ratios=[1.6, 1])
        self.summary = figure_summary("")
        self.run_model()
        self.art = draw_timeline(self.axes, *self._data())
        handles, labels = self.axes[0].get_legend_handles_labels()
        handles.append(self.art["surprise"].markerline)
        labels.append("Surprise (prediction error)")
        self.fig.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False,
                        fontsize=12)
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
