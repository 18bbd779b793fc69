"""Opponent-process playground: a train of exposures and the feelings it sets off.

:func:`bondlab.exposure_train` makes the exposures (spacing, intensity, count) and
:class:`bondlab.OpponentProcess` turns them into a fast first reaction *a*, a slow opposite
reaction *b* that grows with use (tolerance while exposed, withdrawal after), and the felt
result *a - b*. Play / pause run the picture forward in time; "Step" moves it on
by a few steps; "Reset" brings back the starting settings.

Example
-------
>>> pg = OpponentPlayground()
>>> pg.sliders["count"].value = 8
>>> pg.history.felt.shape[1] == len(pg.stimulus)
True
>>> pg.step_button.click(); pg.play.value == pg.play.max
True
"""
from __future__ import annotations

import numpy as np

import ipywidgets as w

import bondlab
from widgets.common import (COLORS, LINESTYLES, OKABE_ITO, LiveFigure, figure_panel,
                            figure_summary, guard, new_figure, set_summary, style_axes)
from widgets.plots import Panel, heading, lecture_notes, steady_limit

__all__ = ["OpponentPlayground", "draw_playground", "update_playground", "TRAIN",
           "exposure_peaks"]

#: Exposure-train settings offered as sliders: name -> (low, high, default, label).
#: Ranges sit inside the engine's own checks (bondlab.affect._EXPO), narrowed for a slider.
TRAIN = {
    "spacing": (2, 100, 20, "Time between exposures (steps)"),
    "intensity": (-3.0, 3.0, 1.0, "Intensity (below 0 = unpleasant)"),
    "count": (1, 20, 5, "Number of exposures"),
}
#: Fixed parts of the train (engine defaults), needed to find each exposure again.
DURATION, LEAD, TAIL = 10, 10, 150
FRAMES = 60  # a full play takes about this many frames
INTERVAL = 0.15  # seconds between frames while playing


def exposure_peaks(felt, sign, starts, spacing):
    """Strongest felt response (in the direction ``sign``) in each exposure's window."""
    out = []
    for s in starts:
        seg = felt[s:s + max(spacing, 1)] * sign
        out.append(float(seg.max()) if seg.size else float("nan"))
    return np.array(out)


def draw_playground(axes, t, stimulus, a, b, felt):
    """Stimulus above; first reaction, opposite reaction (drawn as -b) and felt below."""
    ax_s, ax_f = axes
    art = {}
    art["stimulus"], = ax_s.step(t, stimulus, where="post", color=OKABE_ITO["black"],
                                 linestyle=LINESTYLES[0], linewidth=2)
    style_axes(ax_s, ylabel="Exposure")
    art["a"], = ax_f.plot(t, a, color=COLORS[0], linestyle=LINESTYLES[0],
                          label="First reaction (a)")
    art["b"], = ax_f.plot(t, -b, color=COLORS[1], linestyle=LINESTYLES[1],
                          label="Opposite reaction (b, drawn below zero)")
    art["felt"], = ax_f.plot(t, felt, color=OKABE_ITO["black"], linestyle=LINESTYLES[2],
                             linewidth=3.2, label="What is felt (a - b)")
    ax_f.axhline(0, color="#666666", linewidth=1)
    art["now"] = ax_f.axvline(t[-1], color=COLORS[2], linestyle=LINESTYLES[3], linewidth=2)
    style_axes(ax_f, xlabel="Time (steps)", ylabel="Feeling")
    update_playground(art, axes, t, stimulus, a, b, felt, len(t) - 1)
    return art


def update_playground(art, axes, t, stimulus, a, b, felt, now):
    """Show the run up to step ``now`` (the rest stays hidden until played).

    Axis ends are round numbers, kept while the new run fits them well
    (:func:`~widgets.plots.steady_limit`): the axes stay put for small changes.
    """
    k = int(now) + 1
    art["stimulus"].set_data(t, stimulus)
    art["a"].set_data(t[:k], a[:k])
    art["b"].set_data(t[:k], -b[:k])
    art["felt"].set_data(t[:k], felt[:k])
    art["now"].set_xdata([t[k - 1], t[k - 1]])
    lo = min(float(np.min(stimulus)), float(np.min(-b)), float(np.min(felt)), -0.2)
    hi = max(float(np.max(stimulus)), float(np.max(a)), float(np.max(felt)), 0.2)
    pad = 0.08 * (hi - lo)
    axes[0].set_ylim(*_steady_range(axes[0].get_ylim(), min(float(np.min(stimulus)), 0) - 0.2,
                                    max(float(np.max(stimulus)), 0) + 0.2))
    axes[1].set_ylim(*_steady_range(axes[1].get_ylim(), lo - pad, hi + pad))
    x0, x1 = axes[1].get_xlim()
    span = steady_limit(x1 - t[0] if x0 == t[0] else 0.0, float(t[-1] - t[0]))
    for ax in axes:
        ax.set_xlim(t[0], t[0] + span)


def _steady_range(current, lo, hi):
    """(lo, hi) with each end kept or moved to a round number (``lo <= 0 <= hi``)."""
    cur_lo, cur_hi = current
    new_hi = steady_limit(cur_hi, hi) if hi > 0 else hi
    new_lo = -steady_limit(-cur_lo, -lo) if lo < 0 else lo
    return new_lo, new_hi


class OpponentPlayground(Panel):
    """Exposures (spacing, intensity, count) and the first, opposite and felt reactions."""

    css_class = "bondlab-opponent-playground"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.sliders = {name: self.slider(low=lo, high=hi, default=d, label=label,
                                          integer=isinstance(d, int), step=None
                                          if isinstance(d, int) else 0.1)
                        for name, (lo, hi, d, label) in TRAIN.items()}
        # Play/pause is a labelled toggle driving a kernel-side timer (ipywidgets.Play's
        # buttons are icons without names: axe-core reports them as critical).
        self.play = w.IntSlider(value=0, min=0, max=1, step=1, description="Time shown",
                                continuous_update=False, readout=True,
                                style={"description_width": "initial"},
                                layout=w.Layout(width="min(100%, 30rem)"))
        self.track(self.play, handler=lambda change: self._show_time())
        self.play_button = w.ToggleButton(value=False, description="Play", icon="play",
                                          tooltip="Play or pause the picture over time",
                                          layout=w.Layout(min_width="6rem", height="2.5rem"))
        self.play_button.observe(guard(self._toggle, self.status), names="value")
        self.step_button = w.Button(description="Step", icon="step-forward",
                                    tooltip="Move a few steps forward",
                                    layout=w.Layout(min_width="6rem", height="2.5rem"))
        self.reset_button = w.Button(description="Reset", icon="undo",
                                     tooltip="Back to the starting settings",
                                     layout=w.Layout(min_width="6rem", height="2.5rem"))
        self.step_button.on_click(guard(self.step, self.status))
        self.reset_button.on_click(guard(self.reset, self.status))
        self.fig, self.axes = new_figure(2, 1, figsize=(10, 5.6), sharex=True,
                                         height_ratios=[1, 2.4])
        self.summary = figure_summary("")
        self.run_model()
        self.art = draw_playground(self.axes, *self._data())
        handles, labels = self.axes[1].get_legend_handles_labels()
        self.fig.legend(handles, labels, loc="outside lower center", ncol=2, frameon=False,
                        fontsize=12)
        self.live = LiveFigure(self.fig, self.art)
        self.update(run=False)
        buttons = w.HBox([self.play_button, self.step_button, self.reset_button, self.play],
                         layout=w.Layout(align_items="center",
                                         flex_flow="row wrap"))
        notes = lecture_notes(bondlab.OpponentProcess)
        self.children = [heading("Opponent process: first reaction and opposite reaction"),
                         w.VBox(list(self.sliders.values())), buttons,
                         figure_panel(self.fig, self.summary), self.status] + (
            [notes] if notes else [])

    # -- model
    def settings(self):
        return {n: s.value for n, s in self.sliders.items()}

    def run_model(self):
        v = self.settings()
        self.stimulus = bondlab.exposure_train(spacing=v["spacing"], intensity=v["intensity"],
                                               count=v["count"], duration=DURATION,
                                               lead=LEAD, tail=TAIL)
        self.history = bondlab.OpponentProcess().run(self.stimulus)
        n = len(self.stimulus)
        self._step = max(1, n // FRAMES)
        # a new run shows in full; Play replays it from the start
        self._fixing = True
        try:
            self.play.max = n - 1
            self.play.value = n - 1
        finally:
            self._fixing = False
        self._ranges[id(self.play)] = (0, n - 1, True)

    def _data(self):
        h = self.history
        t = np.arange(len(self.stimulus))
        return t, self.stimulus, h.a[0], h.b[0], h.felt[0]

    # -- controls
    @property
    def playing(self) -> bool:
        return bool(self.play_button.value)

    def _toggle(self, change):
        self.play_button.description = "Pause" if change["new"] else "Play"
        self.play_button.icon = "pause" if change["new"] else "play"
        if change["new"]:
            if self.play.value >= self.play.max:
                self.play.value = 0
            self._schedule()

    def _schedule(self):
        import asyncio
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python (tests): advance with tick() by hand
            return
        loop.call_later(INTERVAL, guard(self.tick, self.status))

    def tick(self):
        """One frame of playing: move on, pause at the end."""
        if not self.playing:
            return
        self.play.value = min(self.play.value + self._step, self.play.max)
        if self.play.value >= self.play.max:
            self.play_button.value = False
        else:
            self._schedule()

    def step(self, _button=None):
        """Move the picture a few steps forward (pauses first)."""
        self.play_button.value = False
        self.play.value = min(self.play.value + self._step, self.play.max)

    def reset(self, _button=None):
        """Starting settings, the whole run shown."""
        self.play_button.value = False
        self._fixing = True
        try:
            for name, s in self.sliders.items():
                s.value = TRAIN[name][2]
        finally:
            self._fixing = False
        self.update()

    # -- view
    def _show_time(self):
        update_playground(self.art, self.axes, *self._data(), self.play.value)
        self.live.refresh()

    def update(self, run=True):
        if run:
            self.run_model()
        self._show_time()
        set_summary(self.summary, self.describe())

    def describe(self) -> str:
        v = self.settings()
        felt = self.history.felt[0]
        sign = 1.0 if v["intensity"] >= 0 else -1.0
        if v["intensity"] == 0:
            return ("With intensity 0 the model has nothing to react to: every line stays "
                    "at zero.")
        starts = [LEAD + i * v["spacing"] for i in range(v["count"])]
        peaks = exposure_peaks(felt, sign, starts, v["spacing"])
        end = starts[-1] + DURATION
        after = felt[end:] * sign
        dip = float(after.min()) if after.size else 0.0
        kind = "pleasant" if sign > 0 else "unpleasant"
        text = (f"Simulated: {v['count']} {kind} exposures, one every {v['spacing']} steps. "
                f"In the model, the first felt {peaks[0]:.2f} at its strongest")
        if v["count"] > 1:
            change = (peaks[-1] - peaks[0]) / peaks[0] * 100 if peaks[0] else 0.0
            text += (f", the last {peaks[-1]:.2f} ({abs(change):.0f} % "
                     f"{'weaker' if change < 0 else 'stronger'}: "
                     f"{'tolerance' if change < -1 else 'little tolerance'})")
        text += ". "
        if dip < -0.01:
            back = np.flatnonzero(np.abs(after) < 0.05 * abs(dip))
            lowest = int(np.argmin(after))
            later = back[back > lowest]
            how_long = (f"it takes {int(later[0])} steps to fade back near zero"
                        if later.size else "it has not faded by the end")
            text += (f"In the model, after the last one the feeling swings to the opposite side "
                     f"({dip * sign:+.2f}: {'withdrawal' if sign > 0 else 'relief'}); "
                     f"{how_long}.")
        else:
            text += ("In the model, after the last one there is hardly any swing to the "
                     "opposite side.")
        return text
