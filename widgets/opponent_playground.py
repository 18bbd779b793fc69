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
from bondlab._params import Param
from widgets.common import guard
from widgets.live_figure import LiveFigure, figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import Panel, heading, lecture_notes
from workshop.figures import draw_playground, update_playground

__all__ = ["OpponentPlayground", "TRAIN", "exposure_peaks"]

#: The exposure-train settings offered as sliders; ranges, defaults and labels come from
#: the engine's table (:func:`bondlab.exposure_train`'s ``parameters``).
TRAIN = ("spacing", "intensity", "count")
#: The fixed parts of the train (the engine's defaults), needed to find each exposure again.
FIXED = {name: bondlab.exposure_train.parameters[name].default
         for name in ("duration", "lead", "tail")}
FRAMES = 60  # a full play takes about this many frames
INTERVAL = 0.15  # seconds between frames while playing


def exposure_peaks(felt, sign, starts, spacing):
    """Strongest felt response (in the direction ``sign``) in each exposure's window."""
    out = []
    for s in starts:
        seg = felt[s:s + max(spacing, 1)] * sign
        out.append(float(seg.max()) if seg.size else float("nan"))
    return np.array(out)


class OpponentPlayground(Panel):
    """Exposures (spacing, intensity, count) and the first, opposite and felt reactions."""

    css_class = "bondlab-opponent-playground"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        table = bondlab.exposure_train.parameters
        self.sliders = {name: self.slider(table[name], name) for name in TRAIN}
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
        self.stimulus = bondlab.exposure_train(**v, **FIXED)
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
        self.play.param = Param(int, 0, n - 1, default=n - 1, label="Time shown", step=1)
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
            for s in self.sliders.values():
                s.value = s.param.default
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
        starts = [FIXED["lead"] + i * v["spacing"] for i in range(v["count"])]
        peaks = exposure_peaks(felt, sign, starts, v["spacing"])
        end = starts[-1] + FIXED["duration"]
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
