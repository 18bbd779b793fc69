"""Attachment & withdrawal: the workshop's central picture, two scenarios side by side.

Each side is one :class:`bondlab.Scenario` preset run for a simulated population: the pull
(``attachment``) while together and after leaving, and ``withdrawal`` after leaving, each
as the median with the middle half of people shaded. The leaving day is marked. Under the
figure, the paradox in one plain sentence computed from the two runs' summaries.

Example
-------
>>> fig = AttachmentFigure(people=100)
>>> "less warmth" in fig.paradox_text()
True
>>> fig.days_together.value = 90
>>> fig.results[0].days_together
90
"""
from __future__ import annotations

import functools
import html
import math

import numpy as np

import ipywidgets as w

import bondlab
from bondlab import presets
from widgets.common import (COLORS, LINESTYLES, LiveFigure, figure_panel, figure_summary,
                            new_figure, set_summary, style_axes)
from widgets.plots import (Panel, draw_band, fmt_days, heading, lecture_notes, mark_day,
                           safety_note, steady_limit, update_band)

__all__ = ["AttachmentFigure", "draw_side", "update_side", "paradox_sentence", "short_name"]


@functools.lru_cache(maxsize=64)
def short_name(scenario_name: str) -> str:
    """'the intermittent partner' from the scenario preset's partner label.

    Cached: the preset file is read once per name, not on every update.
    """
    info = presets.preset_info("scenarios", scenario_name)
    label = info["label"].split(",")[0].split(":")[0].strip()
    for article in ("An ", "A ", "The "):
        if label.startswith(article):
            return "the " + label[len(article):]
    return "the " + label[:1].lower() + label[1:]


def paradox_sentence(name_a: str, summary_a: dict, name_b: str, summary_b: dict) -> str:
    """One plain sentence comparing two runs: warmth given, and how long the pull lasted.

    ``summary_*`` are :meth:`bondlab.ScenarioResult.summary` dicts.

    >>> paradox_sentence("the consistent partner", {"total_warmth": 160, "persistence_days": 10},
    ...                  "the intermittent partner", {"total_warmth": 54, "persistence_days": 31})
    'In the simulation, the intermittent partner gave 66 % less warmth, yet the pull lasted 3.1× longer after leaving (31 days against 10 days of simulated time).'
    """
    wa, wb = summary_a["total_warmth"], summary_b["total_warmth"]
    pa, pb = summary_a["persistence_days"], summary_b["persistence_days"]
    if wa > 0:
        change = (wb - wa) / wa * 100
        warmth = (f"gave {abs(change):.0f} % {'less' if change < 0 else 'more'} warmth"
                  if round(change) != 0 else "gave about as much warmth")
    else:
        warmth = "gave warmth where the other gave none" if wb > 0 else "gave no warmth either"
    if math.isfinite(pa) and math.isfinite(pb) and pa > 0:
        ratio = pb / pa
        if ratio >= 1.05:
            how = f"the pull lasted {ratio:.1f}× longer after leaving"
        elif ratio <= 0.95:
            how = f"the pull faded {1 / ratio:.1f}× sooner after leaving" if pb > 0 else \
                "the pull faded at once after leaving"
        else:
            how = "the pull lasted about as long after leaving"
    elif not math.isfinite(pb) and math.isfinite(pa):
        how = "the pull outlasted the whole time simulated after leaving"
    elif math.isfinite(pb) and not math.isfinite(pa):
        how = "the pull faded, while the other's outlasted the time simulated"
    elif pa == 0 and math.isfinite(pb) and pb > 0:
        how = "the pull lasted after leaving, while the other's faded at once"
    else:
        how = "the pull lasted about as long after leaving"
    paradox = (wb < wa) and ("longer" in how or "outlasted the whole" in how
                             or "while the other's faded" in how)
    joint = ", yet " if paradox else "; "
    return (f"In the simulation, {name_b} {warmth}{joint}{how} ({fmt_days(pb)} against "
            f"{fmt_days(pa)} of simulated time).")


def draw_side(ax, result, title, bands=None):
    """Draw one scenario: pull and withdrawal bands, the leaving day. Returns artists.

    ``bands`` (optional) holds ``result.band(name)`` already computed, by name.
    """
    bands = bands or {k: result.band(k) for k in ("attachment", "withdrawal")}
    day = result.day
    att = draw_band(ax, day, *bands["attachment"], color=COLORS[0],
                    linestyle=LINESTYLES[0], label="Pull toward the partner")
    wd = draw_band(ax, day, *bands["withdrawal"], color=COLORS[1],
                   linestyle=LINESTYLES[1], label="Withdrawal")
    leave = mark_day(ax, 0, "leaving")
    style_axes(ax, title=title, xlabel="Days (0 = leaving)")
    return {"attachment": att, "withdrawal": wd, "leave": leave}


def update_side(ax, art, result, title, bands=None):
    """Move one side's artists to a new run, in place.

    The time axis starts at a round number of days before leaving, kept while the run
    fits it well (:func:`~widgets.plots.steady_limit`): a longer or shorter relationship
    moves the start of the lines, and the axes stay put for small changes.
    """
    bands = bands or {k: result.band(k) for k in ("attachment", "withdrawal")}
    update_band(art["attachment"], result.day, *bands["attachment"])
    update_band(art["withdrawal"], result.day, *bands["withdrawal"])
    if ax.get_title() != title:
        style_axes(ax, title=title)
    start = float(result.day[0])
    if start < 0:
        start = -steady_limit(-ax.get_xlim()[0], -start)
    ax.set_xlim(start, result.day[-1])


class AttachmentFigure(Panel):
    """Two scenario presets side by side: the pull while together and after leaving.

    Parameters
    ----------
    left, right : str
        Scenario presets (``data/presets/scenarios.json``); default consistent vs
        intermittent.
    people : int
        Simulated people per side.
    seed : int
        Random seed.
    """

    css_class = "bondlab-attachment-figure"

    def __init__(self, left="consistent", right="intermittent", people=500, seed=0,
                 **kwargs):
        super().__init__(**kwargs)
        self.people, self.seed = people, seed
        options = [(presets.preset_info("scenarios", n)["label"], n)
                   for n in presets.list_presets("scenarios")]
        common = dict(options=options, style={"description_width": "initial"},
                      layout=w.Layout(width="min(100%, 34rem)"))
        self.left = w.Dropdown(value=left, description="Left", **common)
        self.right = w.Dropdown(value=right, description="Right", **common)
        self.track(self.left)
        self.track(self.right)
        table = bondlab.Scenario.parameters
        self.days_together = self.slider(table["days_together"], "days_together", low=30,
                                         high=365, default=180)
        self.reminders = self.slider(table["reminders"], "reminders")
        self.fig, self.axes = new_figure(1, 2, figsize=(11, 5.2), sharey=True)
        self.summary = figure_summary("")
        self.paradox = w.HTML()
        self.paradox.add_class("bondlab-paradox")
        self.run_model()
        self.art = [draw_side(ax, r, self._title(n), b)
                    for ax, r, n, b in zip(self.axes, self.results, self.names, self.bands)]
        style_axes(self.axes[0], ylabel="Strength (median, middle half shaded)")
        handles, labels = self.axes[0].get_legend_handles_labels()
        self.fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False,
                        fontsize=12)
        self.live = LiveFigure(self.fig, [(a["attachment"], a["withdrawal"])
                                          for a in self.art])
        self.update(run=False)
        controls = w.VBox([self.left, self.right, self.days_together, self.reminders])
        notes = lecture_notes(bondlab.Scenario, bondlab.ChangeDetection)
        self.children = [heading("Attachment and withdrawal"), controls,
                         figure_panel(self.fig, self.summary), self.paradox,
                         safety_note(), self.status] + ([notes] if notes else [])

    @property
    def names(self):
        return (self.left.value, self.right.value)

    def _title(self, name):
        return short_name(name)[:1].upper() + short_name(name)[1:]

    def run_model(self):
        """Run both presets with the settled slider values (one engine run each)."""
        overrides = dict(days_together=self.days_together.value,
                         reminders=self.reminders.value, people=self.people, seed=self.seed)
        self.results = [presets.load_scenario(n, **overrides).run() for n in self.names]
        self.summaries = [r.summary() for r in self.results]
        self.bands = [{k: r.band(k) for k in ("attachment", "withdrawal")}
                      for r in self.results]

    def paradox_text(self) -> str:
        a, b = self.names
        na, nb = short_name(a), short_name(b)
        if na == nb:  # two variants of one partner: name them by their full labels
            na, nb = (presets.preset_info("scenarios", n)["label"].lower() for n in (a, b))
            na, nb = "the left: " + na, "the right: " + nb
        return paradox_sentence(na, self.summaries[0], nb, self.summaries[1])

    def update(self, run=True):
        if run:
            self.run_model()
        for ax, art, r, n, b in zip(self.axes, self.art, self.results, self.names,
                                    self.bands):
            update_side(ax, art, r, self._title(n), b)
        top = max(float(np.max(b[k][2])) for b in self.bands
                  for k in ("attachment", "withdrawal"))
        self.axes[0].set_ylim(0, steady_limit(self.axes[0].get_ylim()[1],
                                              max(top, 0.1) * 1.08))
        self.live.refresh()
        sentence = self.paradox_text()
        self.paradox.value = f'<p class="bondlab-paradox"><strong>{html.escape(sentence)}</strong></p>'
        set_summary(self.summary, self.describe())

    def describe(self) -> str:
        parts = []
        for name, s in zip(self.names, self.summaries):
            parts.append(
                f"{self._title(name)}, simulated: total warmth {s['total_warmth']:.0f} over "
                f"{self.days_together.value} days together; pull at leaving "
                f"{s['attachment_at_leaving']:.2f}; pull stayed high for "
                f"{fmt_days(s['persistence_days'])} after leaving; worst withdrawal "
                f"{s['peak_withdrawal']:.2f}; withdrawal settled after "
                f"{fmt_days(s['days_to_recover'])}.")
        return (f"Medians over {self.people} simulated people per side. " + " ".join(parts))
