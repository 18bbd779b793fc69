"""Schedule explorer: pick a schedule of reinforcement, see what it does to responding.

One run of the engine's :class:`bondlab.RespondingAgent` (simulated people who learn when
responding pays) on the chosen schedule gives every number on the figure:

1. the cumulative record (Sniffy-style: total responses over time, steeper = faster), for
   the middle of the group and for one example person, with a mark at each reward, which
   also shows *when rewards arrive*;
2. the learner's expectation (:class:`bondlab.ChangeDetection` by default) fed with those
   same responses and rewards;
3. its surprise (prediction error) at each response.

"Switch to extinction" stops every reward from a chosen moment on.

Example
-------
>>> ex = ScheduleExplorer(preset="continuous", people=5, ticks=120, training=60)
>>> ex.kind.value
'Continuous'
>>> ex.extinction.value = True
>>> int(ex.record.reinforced[:, ex.switch.value:].sum())
0
"""
from __future__ import annotations

import numpy as np

import ipywidgets as w

import bondlab
from bondlab import presets
from bondlab._params import Param
from bondlab.schedules import Then
from widgets.live_figure import LiveFigure, figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import Panel, heading, lecture_notes
from workshop.figures import draw_explorer, update_explorer

__all__ = ["ScheduleExplorer", "SCHEDULES", "LEARNERS"]

#: Schedule classes offered, in the order of the menu (each class's ``label`` names it).
SCHEDULES = ("Continuous", "FixedRatio", "VariableRatio", "RandomRatio", "FixedInterval",
             "VariableInterval")
LEARNERS = (("Change detection (shows the paradox)", "cd"),
            ("Rescorla-Wagner (the classic average)", "rw"))


def switch_param(ticks: int) -> Param:
    """The tick at which rewards stop: inside the time shown (1 to ticks - 1)."""
    return Param(int, 1, ticks - 1, default=ticks // 2, label="Rewards stop at tick",
                 help="From this moment on, no response is rewarded.", step=1)


class ScheduleExplorer(Panel):
    """Pick a schedule and its parameter; see responding, rewards, expectation, surprise.

    Parameters
    ----------
    preset : str
        A schedule preset from ``data/presets/schedules.json`` (default
        ``"variable_ratio_5"``).
    people : int
        Simulated people (the default population for this figure).
    ticks : int
        Time shown (after ``training`` ticks of learning that are not shown).
    seed : int
        Random seed (same seed, same figure).
    """

    css_class = "bondlab-schedule-explorer"

    def __init__(self, preset="variable_ratio_5", people=20, ticks=300, training=300,
                 seed=0, **kwargs):
        super().__init__(**kwargs)
        start = presets.load_schedule(preset)
        self.people, self.ticks, self.training, self.seed = people, ticks, training, seed
        self.agent = bondlab.RespondingAgent()
        names = SCHEDULES
        kind = type(start).__name__ if type(start).__name__ in names else "VariableRatio"
        self.kind = w.Dropdown(options=[(getattr(bondlab, cls).label, cls) for cls in names],
                               value=kind, description="Schedule",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="min(100%, 30rem)"))
        self.track(self.kind, handler=lambda change: self._show_param())
        self.param_sliders = {}
        for cls_name in names:
            cls = getattr(bondlab, cls_name)
            for pname, param in cls.parameters.items():
                value = getattr(start, pname) if type(start) is cls else None
                slider = self.slider(param, pname, value=value)
                self.param_sliders[cls_name] = slider
        self.learner_choice = w.Dropdown(options=LEARNERS, value="cd", description="Learner",
                                         style={"description_width": "initial"},
                                         layout=w.Layout(width="min(100%, 30rem)"))
        self.track(self.learner_choice)
        self.extinction = w.Checkbox(value=False, description="Switch to extinction "
                                     "(rewards stop)", indent=False,
                                     style={"description_width": "initial"})
        self.track(self.extinction)
        self.switch = self.slider(switch_param(ticks), "switch")
        self.param_box = w.VBox()
        self.switch_box = w.VBox()
        self.fig, self.axes = new_figure(3, 1, figsize=(9, 7.2), sharex=True,
                                         height_ratios=[2.2, 1, 1])
        self.summary = figure_summary("")
        self.run_model()
        self.art = draw_explorer(self.axes, *self._data())
        self.live = LiveFigure(self.fig, self.art)
        self._show_param(redraw=False)
        self.update()
        controls = w.VBox([self.kind, self.param_box, self.learner_choice, self.extinction,
                           self.switch_box])
        notes = lecture_notes(bondlab.RespondingAgent, bondlab.ChangeDetection)
        self.children = [heading("Schedule explorer"), controls,
                         figure_panel(self.fig, self.summary), self.status] + (
            [notes] if notes is not None else [])

    # -- model
    def schedule(self):
        """The schedule as chosen on the controls (an engine object)."""
        cls = getattr(bondlab, self.kind.value)
        slider = self.param_sliders.get(self.kind.value)
        if slider is None:
            return cls()
        (pname,) = cls.parameters
        return cls(**{pname: slider.value})

    def run_model(self):
        """One engine run for the current settings: agent record, then the learner."""
        sched = self.schedule()
        switch = self.switch.value if self.extinction.value else None
        if switch is not None:
            sched = Then(sched, at=self.training + switch)
        self.record = self.agent.run(sched, ticks=self.training + self.ticks,
                                     people=self.people, seed=self.seed,
                                     record_from=self.training)
        outcomes = np.where(self.record.responses, self.record.reinforced, np.nan)
        learner = bondlab.learner_from_name(self.learner_choice.value)
        self.history = learner.run(outcomes)
        self.switch_at = switch

    def _data(self):
        tick = np.arange(self.ticks)
        cum = self.record.cumulative()
        med, q25, q75 = bondlab.band(cum, axis=0)
        example = cum[0]
        rt = np.flatnonzero(self.record.reinforced[0])
        rewards = (rt, example[rt])
        expectation = self.history.band("expectation")
        surprise = self.history.band("surprise")
        return tick, (med, q25, q75), example, rewards, expectation, surprise

    def _show_param(self, redraw=True):
        slider = self.param_sliders.get(self.kind.value)
        self.param_box.children = [slider] if slider is not None else [
            w.HTML("<p>This schedule has no setting.</p>")]
        if redraw:
            self.update()

    # -- view
    def update(self):
        """Re-run the engine once for the settled values and move the artists."""
        self.switch_box.children = [self.switch] if self.extinction.value else []
        self.run_model()
        update_explorer(self.art, self.axes, *self._data(), switch=self.switch_at)
        self.live.refresh()
        set_summary(self.summary, self.describe())

    def describe(self) -> str:
        """The text summary, computed from this run."""
        rec = self.record
        label = getattr(bondlab, self.kind.value).label
        presses = rec.responses.sum(axis=1)
        rewards = rec.reinforced.sum(axis=1)
        per = np.where(rewards > 0, presses / np.maximum(rewards, 1), np.nan)
        per_text = (f"a reward every {np.nanmedian(per):.1f} responses"
                    if np.isfinite(per).any() else "no rewards")
        exp_end = float(np.median(self.history.expectation[:, -1]))
        text = (f"Schedule: {label}. Over {self.ticks} ticks the {self.people} simulated "
                f"people responded on {np.median(rec.rate()) * 100:.0f} % of ticks "
                f"(median) and got {per_text}. ")
        if self.switch_at is not None:
            after = rec.responses[:, self.switch_at:]
            before = rec.responses[:, max(0, self.switch_at - 50):self.switch_at]
            text += (f"After rewards stopped at tick {self.switch_at} the simulated people "
                     f"still responded "
                     f"{np.median(after.sum(axis=1)):.0f} more times (median; "
                     f"{before.mean() * 100:.0f} % of ticks just before, "
                     f"{after[:, -50:].mean() * 100:.0f} % at the end). ")
        text += (f"The simulated learner's expectation of a reward ends at {exp_end:.2f} "
                 f"(0 to 1).")
        return text
