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
from bondlab.schedules import Schedule
from widgets.common import (COLORS, LINESTYLES, OKABE_ITO, LiveFigure, figure_panel,
                            figure_summary, new_figure, set_summary, style_axes)
from widgets.plots import Panel, draw_band, heading, lecture_notes, update_band

__all__ = ["ScheduleExplorer", "SCHEDULES", "LEARNERS", "draw_explorer", "update_explorer"]

#: Schedule classes offered, in the order of the menu: (menu label, class name).
SCHEDULES = (
    ("Every time (continuous)", "Continuous"),
    ("Every nth time (fixed ratio)", "FixedRatio"),
    ("Unpredictable count (variable ratio)", "VariableRatio"),
    ("Same chance each time (random ratio)", "RandomRatio"),
    ("After a fixed wait (fixed interval)", "FixedInterval"),
    ("After an unpredictable wait (variable interval)", "VariableInterval"),
)
#: Slider ranges narrower than the engine's (which allows up to 1000 or 10000): a slider
#: must stay usable. The engine's table still gives low, default, label and help.
SLIDER_HIGH = {"FixedRatio": 30, "VariableRatio": 30, "FixedInterval": 60,
               "VariableInterval": 60}
LEARNERS = (("Change detection (shows the paradox)", "cd"),
            ("Rescorla-Wagner (the classic average)", "rw"))


class _ThenExtinction(Schedule):
    """Plumbing, not science: the chosen schedule until tick ``at``, then no rewards.

    Uses only the public free-operant protocol (``start``/``step``) of the engine's
    schedules and its :class:`~bondlab.Extinction` rule (no response rewarded).
    """

    parameters = {}
    code = "EXT"

    def __init__(self, inner, at):
        self.inner, self.at = inner, int(at)

    def start(self, people, rng):
        return {"inner": self.inner.start(people, rng), "t": 0}

    def step(self, state, responded, rng):
        rf = self.inner.step(state["inner"], responded, rng)
        if state["t"] >= self.at:
            rf = bondlab.Extinction().step({}, responded, rng)
        state["t"] += 1
        return rf


def draw_explorer(axes, tick, cumulative_band, example, rewards, expectation_band,
                  surprise_band):
    """Draw the three rows on ``axes`` (cumulative record, expectation, surprise).

    Returns a dict of the artists, for :func:`update_explorer`. The legend sits under
    the figure (one for all three rows), outside the axes: the data never cover it.
    """
    ax_c, ax_e, ax_s = axes
    art = {}
    art["cum"] = draw_band(ax_c, tick, *cumulative_band, color=COLORS[0],
                           linestyle=LINESTYLES[0], label="Middle of the group")
    art["example"], = ax_c.plot(tick, example, color=OKABE_ITO["black"],
                                linestyle=LINESTYLES[2], linewidth=1.8,
                                label="One example person")
    art["rewards"], = ax_c.plot(rewards[0], rewards[1], linestyle="none", marker="v",
                                markersize=8, color=COLORS[1], label="A reward arrived")
    art["switch"] = ax_c.axvline(np.nan, color=OKABE_ITO["black"], linestyle=(0, (4, 2)),
                                 linewidth=2)
    art["switch_e"] = ax_e.axvline(np.nan, color=OKABE_ITO["black"], linestyle=(0, (4, 2)),
                                   linewidth=2)
    art["switch_s"] = ax_s.axvline(np.nan, color=OKABE_ITO["black"], linestyle=(0, (4, 2)),
                                   linewidth=2, label="Rewards stop")
    style_axes(ax_c, title="Cumulative record", ylabel="Responses so far")
    art["exp"] = draw_band(ax_e, tick, *expectation_band, color=COLORS[2],
                           linestyle=LINESTYLES[0], label="Expectation")
    ax_e.set_ylim(-0.02, 1.02)
    style_axes(ax_e, ylabel="Expects\na reward")
    art["sur"] = draw_band(ax_s, tick, *surprise_band, color=COLORS[3],
                           linestyle=LINESTYLES[3], label="Surprise")
    ax_s.axhline(0, color="#666666", linewidth=1)
    ax_s.set_ylim(-1.05, 1.05)
    style_axes(ax_s, xlabel="Time (ticks)", ylabel="Surprise")
    handles, labels = [], []
    for ax in (ax_c, ax_s):
        for h, lab in zip(*ax.get_legend_handles_labels()):
            if lab not in labels:
                handles.append(h)
                labels.append(lab)
    ax_c.figure.legend(handles, labels, loc="outside lower center", ncol=3, frameon=False,
                       fontsize=12)
    update_explorer(art, axes, tick, cumulative_band, example, rewards, expectation_band,
                    surprise_band)
    return art


def update_explorer(art, axes, tick, cumulative_band, example, rewards, expectation_band,
                    surprise_band, switch=None):
    """Move every artist to new data in place (no re-plotting).

    The record's height is fixed at one response per tick, the most anyone can make (as
    on a cumulative recorder's paper): slopes, the response rates, compare across
    schedules, and the axes stay put.
    """
    update_band(art["cum"], tick, *cumulative_band)
    art["example"].set_data(tick, example)
    art["rewards"].set_data(*rewards)
    update_band(art["exp"], tick, *expectation_band)
    update_band(art["sur"], tick, *surprise_band)
    x = np.nan if switch is None else switch
    for key in ("switch", "switch_e", "switch_s"):
        art[key].set_xdata([x, x])
    top = max(len(tick), float(np.nanmax([np.nanmax(cumulative_band[2]), np.nanmax(example),
                                           1])))
    axes[0].set_ylim(0, top * 1.03)
    for ax in axes:
        ax.set_xlim(tick[0], tick[-1])


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
        names = [cls for _, cls in SCHEDULES]
        kind = type(start).__name__ if type(start).__name__ in names else "VariableRatio"
        self.kind = w.Dropdown(options=[(label, cls) for label, cls in SCHEDULES],
                               value=kind, description="Schedule",
                               style={"description_width": "initial"},
                               layout=w.Layout(width="min(100%, 30rem)"))
        self.track(self.kind, handler=lambda change: self._show_param())
        self.param_sliders = {}
        for cls_name in names:
            cls = getattr(bondlab, cls_name)
            for pname, param in cls.parameters.items():
                value = getattr(start, pname) if type(start) is cls else None
                high = SLIDER_HIGH.get(cls_name)
                slider = self.slider(param, pname, value=value, high=high)
                self.param_sliders[cls_name] = slider
        self.learner_choice = w.Dropdown(options=LEARNERS, value="cd", description="Learner",
                                         style={"description_width": "initial"},
                                         layout=w.Layout(width="min(100%, 30rem)"))
        self.track(self.learner_choice)
        self.extinction = w.Checkbox(value=False, description="Switch to extinction "
                                     "(rewards stop)", indent=False,
                                     style={"description_width": "initial"})
        self.track(self.extinction)
        self.switch = self.slider(low=1, high=ticks - 1, default=ticks // 2,
                                  label="Rewards stop at tick", integer=True,
                                  help="From this moment on, no response is rewarded.")
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
            sched = _ThenExtinction(sched, self.training + switch)
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
        label = dict((cls, lab) for lab, cls in SCHEDULES)[self.kind.value]
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
