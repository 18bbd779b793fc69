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


import ipywidgets as w

import bondlab
from bondlab import presets
from widgets.live_figure import LiveFigure, figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import Panel, heading, lecture_notes, safety_note
from workshop.figures import draw_attachment, fmt_days, update_attachment

__all__ = ["AttachmentFigure", "paradox_sentence", "short_name", "PARTNER_B"]

#: Partner B's settings offered on the figure (the right side's partner): the workshop's
#: central parameter, how often the partner is warm, and how often cruel.
PARTNER_B = ("p_warmth", "p_cruelty")


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
        table = bondlab.Scenario.parameters
        self.days_together = self.slider(table["days_together"], "days_together")
        self.reminders = self.slider(table["reminders"], "reminders")
        partner = self._preset_partner(right)
        b_table = bondlab.IntermittentPartner.parameters
        self.partner_b = {name: self.slider(b_table[name], name,
                                            value=getattr(partner, name, None))
                          for name in PARTNER_B}
        self.partner_b_box = w.VBox([w.HTML("<p>Partner B, on the right:</p>"),
                                     *self.partner_b.values()])
        self._show_partner_b()
        self.track(self.right, handler=lambda change: self._new_partner_b())
        self._runs = {}
        self.fig, self.axes = new_figure(1, 2, figsize=(11, 5.2), sharey=True)
        self.summary = figure_summary("")
        self.paradox = w.HTML()
        self.paradox.add_class("bondlab-paradox")
        self.run_model()
        self.art = draw_attachment(self.axes, self.results, self.titles, self.bands)
        self.live = LiveFigure(self.fig, [(a["attachment"], a["withdrawal"])
                                          for a in self.art])
        self.update(run=False)
        controls = w.VBox([self.left, self.right, self.days_together, self.reminders,
                           self.partner_b_box])
        notes = lecture_notes(bondlab.Scenario, bondlab.IntermittentPartner,
                              bondlab.ChangeDetection)
        self.children = [heading("Attachment and withdrawal"), controls,
                         figure_panel(self.fig, self.summary), self.paradox,
                         safety_note(), self.status] + ([notes] if notes else [])

    @staticmethod
    def _preset_partner(name):
        return presets.load_scenario(name).partner

    def _show_partner_b(self):
        """Partner B's sliders only for a partner that has these settings (not the cycle)."""
        has = all(n in self._preset_partner(self.right.value).parameters for n in PARTNER_B)
        self.partner_b_box.layout.display = None if has else "none"
        return has

    def _new_partner_b(self):
        """Another preset on the right: its partner's own values on Partner B's sliders."""
        if self._show_partner_b():
            partner = self._preset_partner(self.right.value)
            self._fixing = True
            try:
                for name, slider in self.partner_b.items():
                    slider.value = getattr(partner, name)
            finally:
                self._fixing = False
        self.update()

    @property
    def names(self):
        return (self.left.value, self.right.value)

    @property
    def titles(self):
        return [self._title(n) for n in self.names]

    def _title(self, name):
        return short_name(name)[:1].upper() + short_name(name)[1:]

    def _run(self, name, overrides):
        """(result, summary, bands) of one side; the last run of each side is kept, so
        moving Partner B's settings runs the engine for the right side only."""
        key = (name, tuple(sorted(overrides.items())))
        if key not in self._runs:
            r = presets.load_scenario(name, **overrides).run()
            self._runs = {k: v for k, v in self._runs.items() if k in self._keys}
            self._runs[key] = (r, r.summary(), {k: r.band(k) for k in ("attachment",
                                                                        "withdrawal")})
        return self._runs[key]

    def run_model(self):
        """Run both presets with the settled slider values (one engine run per side that
        changed): Partner B's settings go to the right side's partner."""
        common = dict(days_together=self.days_together.value,
                      reminders=self.reminders.value, people=self.people, seed=self.seed)
        right = dict(common)
        if self.partner_b_box.layout.display != "none":
            right.update({f"partner.{n}": s.value for n, s in self.partner_b.items()})
        sides = [(self.left.value, common), (self.right.value, right)]
        self._keys = {(n, tuple(sorted(o.items()))) for n, o in sides}
        runs = [self._run(n, o) for n, o in sides]
        self.results = [r for r, _, _ in runs]
        self.summaries = [s for _, s, _ in runs]
        self.bands = [b for _, _, b in runs]

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
        update_attachment(self.axes, self.art, self.results, self.titles, self.bands)
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
