"""Leaving simulator: what follows the end of the relationship, four ways.

Four :class:`bondlab.Scenario` runs share one partner and one seed (so they share every
random event) and differ only in what happens after leaving:

- **no contact**;
- **grey rock**: the same contacts as below, kept flat and brief (``grey_rock=True``);
- **occasional contact**: a message every N days;
- **support from others**: no contact, plus friends, family, a group (``support``).

Each panel shows withdrawal after leaving (median, middle half shaded) and one example
person's day-to-day line, whose ups and downs are put in by hand (mood noise and random
reminders): the summary says so.
:func:`bondlab.contact_cost` gives "what one contact after N days costs".

Example
-------
>>> sim = LeavingSimulator(people=100)
>>> sim.every.value = 45
>>> sim.scenarios["occasional contact"].contacts[:2]
(45, 90)
"""
from __future__ import annotations

import html

import numpy as np

import ipywidgets as w

import bondlab
from bondlab import presets
from bondlab._params import Param
from widgets.live_figure import LiveFigure, figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import Panel, heading, lecture_notes, safety_note
from workshop.figures import draw_leaving, fmt_days, update_leaving

__all__ = ["LeavingSimulator", "STRATEGIES", "cost_sentence", "contact_every"]

STRATEGIES = ("no contact", "grey rock", "occasional contact", "support from others")


def cost_sentence(cost: dict) -> str:
    """'One message on day 30 after leaving ...' from :func:`bondlab.contact_cost`."""
    kind = "message" if cost["contact_kind"] == "message" else "meeting"
    extra = cost["extra_days_of_pull"]
    return (f"What one contact does, in the simulation: a single {kind} on day "
            f"{cost['after_days']} of no contact lifts the pull from {cost['pull_before']:.2f} "
            f"to {cost['pull_after_contact']:.2f} and adds {fmt_days(max(extra, 0))} of "
            f"strong pull (medians of simulated people). In the model, that is how learning "
            f"works: the fading starts again. A contact is not a failure.")


def contact_every(days_after: int) -> Param:
    """How often there is contact after leaving: a day within the time shown (the day of
    the single contact costed by :func:`bondlab.contact_cost` too)."""
    return Param(int, 1, days_after, default=min(30, days_after), label="Contact every",
                 unit="days", step=1, slider=(min(5, days_after), min(90, days_after)),
                 help="For occasional contact and grey rock: how often there is contact. "
                      "Also the day of the single contact costed below.")


def _key(scenario):
    return repr(sorted((k, repr(v)) for k, v in scenario.get_params().items()))


class LeavingSimulator(Panel):
    """After leaving: no contact, grey rock, occasional contact, support from others.

    Parameters
    ----------
    partner : str
        A partner preset (``data/presets/partners.json``); default ``"intermittent"``.
    people : int
        Simulated people per strategy.
    days_together, days_after : int
        Length of the relationship and of the time shown after it.
    seed : int
        Random seed (shared by all four runs).
    """

    css_class = "bondlab-leaving-simulator"

    def __init__(self, partner="intermittent", people=300, days_together=180, days_after=180,
                 seed=0, **kwargs):
        super().__init__(**kwargs)
        self.people, self.seed = people, seed
        self.days_together, self.days_after = days_together, days_after
        self.partner_choice = w.Dropdown(
            options=[(presets.preset_info("partners", n)["label"], n)
                     for n in presets.list_presets("partners")],
            value=partner, description="Partner", style={"description_width": "initial"},
            layout=w.Layout(width="min(100%, 30rem)"))
        self.track(self.partner_choice)
        table = bondlab.Scenario.parameters
        self.every = self.slider(contact_every(days_after), "every")
        # support's start value: the preset of the "support from others" strategy
        self.support = self.slider(table["support"], "support",
                                   value=presets.load_scenario("intermittent_support").support)
        self.noise = self.slider(table["mood_noise"], "mood_noise")
        self.fig, self.axes = new_figure(2, 2, figsize=(11, 6.4), sharex=True, sharey=True)
        self.axes = self.axes.ravel()
        self.summary = figure_summary("")
        self.cost_line = w.HTML()
        self._cache = {}
        self.run_model()
        self.art = draw_leaving(self.axes, self._panels())
        self.live = LiveFigure(self.fig, self.art)
        self.update(run=False)
        controls = w.VBox([self.partner_choice, self.every, self.support, self.noise])
        notes = lecture_notes(bondlab.Scenario)
        self.children = [heading("After leaving"), safety_note(), controls,
                         figure_panel(self.fig, self.summary), self.cost_line,
                         self.status] + ([notes] if notes else [])

    # -- model
    def _scenarios(self):
        n = self.every.value
        contacts = tuple(range(n, self.days_after + 1, n))
        base = dict(partner=presets.load_partner(self.partner_choice.value),
                    days_together=self.days_together, days_after=self.days_after,
                    people=self.people, seed=self.seed, mood_noise=self.noise.value)
        return {
            "no contact": bondlab.Scenario(**base),
            "grey rock": bondlab.Scenario(**base, contacts=contacts, grey_rock=True),
            "occasional contact": bondlab.Scenario(**base, contacts=contacts),
            "support from others": bondlab.Scenario(**base, support=self.support.value),
        }

    def _cached(self, key, compute):
        """A small cache of runs: a slider changes one or two of the four strategies."""
        if key not in self._cache:
            if len(self._cache) > 24:  # (each run holds ~2.6 MB)
                self._cache.clear()
            self._cache[key] = compute()
        return self._cache[key]

    def _run(self, scenario, start=None):
        """(result, withdrawal band after leaving, summary) of one strategy."""
        def compute():
            r = scenario.run(start=start)
            return r, r.band("withdrawal", after_leaving=True), r.summary()
        return self._cached(_key(scenario), compute)

    def run_model(self):
        """Run the four strategies and the cost; unchanged ones come from the cache. The
        strategies share the days together: only no contact simulates them."""
        self.scenarios = self._scenarios()
        alone = self._run(self.scenarios["no contact"])[0]
        runs = {name: self._run(s, start=alone) for name, s in self.scenarios.items()}
        self.results = {name: run[0] for name, run in runs.items()}
        self.bands = {name: run[1] for name, run in runs.items()}
        self.summaries = {name: run[2] for name, run in runs.items()}
        alone = self.scenarios["no contact"]
        self.cost = self._cached(
            ("cost", _key(alone), self.every.value),
            lambda: bondlab.contact_cost(alone, after_days=self.every.value,
                                         base=self.results["no contact"]))

    def _data(self, name):
        r, T1 = self.results[name], self.days_together
        day = np.arange(1, self.days_after + 1)
        return day, self.bands[name], r.withdrawal[0, T1:], list(self.scenarios[name].contacts)

    def _panels(self):
        return [(name.capitalize(), self._data(name)) for name in STRATEGIES]

    # -- view
    def update(self, run=True):
        if run:
            self.run_model()
        update_leaving(self.axes, self.art, self._panels())
        self.live.refresh()
        set_summary(self.summary, self.describe())
        self.cost_line.value = (f'<p class="bondlab-cost"><strong>'
                                f'{html.escape(cost_sentence(self.cost))}</strong></p>')

    def describe(self) -> str:
        parts = []
        for name in STRATEGIES:
            s = self.summaries[name]
            how = ("simulated, its effect assumed" if name in ("grey rock", "support from others")
                   else "simulated")
            parts.append(f"{name.capitalize()} ({how}): worst withdrawal "
                         f"{s['peak_withdrawal']:.2f}, "
                         f"strong pull for {fmt_days(s['days_pull_above'])}, withdrawal "
                         f"settled after {fmt_days(s['days_to_recover'])}.")
        ex = self.results["no contact"].withdrawal[0, self.days_together:]
        ups = int(np.sum(np.diff(np.sign(np.diff(ex))) < 0))
        return ("In the model, what grey rock and support from others do is assumed, not "
                f"measured: grey rock multiplies a contact's warmth by "
                f"{self.scenarios['grey rock'].grey_rock_factor:g}, "
                "and support adds a small daily comfort and eases craving. "
                f"Medians over {self.people} simulated people per panel, "
                f"{self.days_after} days after leaving; grey rock and occasional contact "
                f"have contact every {self.every.value} days, and support from others is at "
                f"{self.support.value:.2f} (0 to 1), its effect assumed. " + " ".join(parts)
                + f" The example person's line has {ups} ups and downs under no contact; in "
                  "the model they are assumed, not found: the \u201cUps and downs\u201d "
                  "setting and random reminders put them there.")
