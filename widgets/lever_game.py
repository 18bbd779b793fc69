"""Lever game, "Check your phone": a small personal experiment on a hidden schedule.

The participant presses "Check for messages". Messages arrive on a schedule they do not
see, drawn at random for this page: every check (:class:`bondlab.Continuous`) or after an
unpredictable number of checks (:class:`bondlab.VariableRatio`). After a set number of
messages they silently stop (:class:`bondlab.Extinction`). The game records each check and
its time; when the participant presses "I'd stop checking now" it shows their own
cumulative record beside the engine's prediction
(:func:`bondlab.presses_after_rewards_stop`) and explains the schedule they had.

Privacy: everything stays in this page's kernel memory; nothing is written to a file and
nothing is sent anywhere. "Play again" forgets the round.

Example
-------
>>> game = LeverGame(seed=1)
>>> for _ in range(40):
...     game.check_button.click()
>>> game.stop_button.click()
>>> game.finished, len(game.presses)
(True, 40)
"""
from __future__ import annotations

import html
import secrets
import time

import numpy as np

import ipywidgets as w

import bondlab
from widgets.common import guard
from widgets.live_figure import figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import Panel, heading, lecture_notes
from workshop.figures import draw_prediction, draw_record

__all__ = ["LeverGame", "SCHEDULES", "MESSAGES"]

#: The two hidden schedules: key -> (engine training name, plain description).
SCHEDULES = {
    "continuous": ("continuous", "every check brought a message (continuous reinforcement)"),
    "variable": ("variable", "messages came after an unpredictable number of checks, about "
                             "one check in {ratio:g} on average (variable ratio)"),
}
MESSAGES = ("Hey, how is your day going?", "Thinking of you.", "Saw this and smiled.",
            "Are you free later?", "Good morning!", "That was funny, thanks.",
            "Miss you.", "Call me when you can.")
INTRO = ("Press \u201cCheck for messages\u201d whenever you like, as often as you like. "
         "When you feel like stopping, press \u201cI\u2019d stop checking now\u201d. "
         "There is no right way to play, and nothing you do here leaves this page.")
MAX_PRESSES = 300


class LeverGame(Panel):
    """"Check your phone": a hidden schedule, the participant's record, the model's view.

    Parameters
    ----------
    rewards : int
        Messages before they silently stop.
    ratio : float
        Average checks per message on the variable schedule.
    seed : int, optional
        Random seed for this page (default: fresh each page, so neighbours in a room
        get different schedules).
    kind : {"continuous", "variable"}, optional
        A schedule assigned from outside (the class experiment's room) instead of a draw.
    on_finish : callable, optional
        Called with the game when a round ends (inside the button's guard: a failure is
        logged and shows a calm line; the round's result is already on the page).
    intro : str, optional
        The text above the phone (default :data:`INTRO`, which promises nothing leaves).
    """

    css_class = "bondlab-lever-game"

    def __init__(self, rewards=8, ratio=4.0, seed=None, kind=None, on_finish=None, intro=None,
                 **kwargs):
        super().__init__(**kwargs)
        if kind is not None and kind not in SCHEDULES:
            raise ValueError(f"The 'kind' argument of LeverGame must be one of "
                             f"{tuple(SCHEDULES)}. Got {kind!r} instead.")
        self.rewards, self.ratio = int(rewards), float(ratio)
        self.assigned_kind, self.on_finish = kind, on_finish
        self.intro = INTRO if intro is None else str(intro)
        self.rng = np.random.default_rng(secrets.randbits(63) if seed is None else seed)
        self.phone = w.HTML()
        self.phone.add_class("bondlab-phone")
        self.check_button = w.Button(description="Check for messages", icon="mobile",
                                     button_style="primary",
                                     tooltip="Look at the phone for new messages",
                                     layout=w.Layout(min_width="14rem", height="3rem"))
        self.stop_button = w.Button(description="I\u2019d stop checking now", icon="hand-paper-o",
                                    tooltip="End the game and see what happened",
                                    layout=w.Layout(min_width="14rem", height="3rem"))
        self.again_button = w.Button(description="Play again", icon="refresh",
                                     tooltip="Start a new round with a new hidden schedule",
                                     layout=w.Layout(min_width="10rem", height="3rem"))
        self.check_button.on_click(guard(self.check, self.status))
        self.stop_button.on_click(guard(self.stop, self.status))
        self.again_button.on_click(guard(self.new_round, self.status))
        self.result = w.VBox()
        self.summary = figure_summary("")
        notes = lecture_notes(bondlab.VariableRatio, bondlab.ChangeDetection)
        self._notes = [notes] if notes else []
        self.new_round()

    # -- game
    def new_round(self, _button=None):
        """Forget the last round; draw a new hidden schedule."""
        self.kind = "continuous" if self.rng.random() < 0.5 else "variable"
        if self.assigned_kind is not None:
            self.kind = self.assigned_kind
        self.schedule = (bondlab.Continuous() if self.kind == "continuous"
                         else bondlab.VariableRatio(n=self.ratio))
        self.state = self.schedule.start(1, self.rng)
        self.presses: list[tuple[float, bool]] = []
        self.earned = 0
        self.stop_index = None  # index of the first check after messages stopped
        self.finished = False
        self.t0 = None
        self.stopped_at = None  # seconds from the first check to pressing stop
        self.phone.value = self._phone("No new messages yet.")
        self.check_button.disabled = False
        self.stop_button.disabled = False
        self.result.children = []
        self.children = [heading("Check your phone"), w.HTML(f"<p>{html.escape(self.intro)}</p>"),
                         self.phone, w.HBox([self.check_button, self.stop_button],
                                            layout=w.Layout(
                                                            flex_flow="row wrap")),
                         self.result, self.status] + self._notes

    def _phone(self, text, new=False):
        cls = "bondlab-phone-new" if new else "bondlab-phone-none"
        return (f'<div class="bondlab-phone-screen {cls}" role="status" aria-live="polite" '
                f'style="border:2px solid #333;border-radius:12px;padding:0.6rem 1rem;'
                f'max-width:22rem;margin:0.5rem 0;font-size:1.1rem">'
                f'{html.escape(text)}</div>')

    def check(self, _button=None):
        """One check: the hidden schedule decides whether a message is there."""
        if self.finished:
            return
        now = time.monotonic()
        if self.t0 is None:
            self.t0 = now
        if self.earned < self.rewards:
            got = bool(self.schedule.step(self.state, np.ones(1, bool), self.rng)[0])
        else:  # messages silently stop
            got = bool(bondlab.Extinction().step({}, np.ones(1, bool), self.rng)[0])
            if self.stop_index is None:
                self.stop_index = len(self.presses)
        self.presses.append((now - self.t0, got))
        n = len(self.presses)
        if got:
            self.earned += 1
            text = MESSAGES[(self.earned - 1) % len(MESSAGES)]
            self.phone.value = self._phone(f"Check {n}: new message \u2014 \u201c{text}\u201d",
                                           new=True)
        else:
            self.phone.value = self._phone(f"Check {n}: no new messages.")
        if n >= MAX_PRESSES:
            self.stop()

    def stop(self, _button=None):
        """End the round: show the participant's record beside the engine's prediction."""
        if self.finished:
            return
        self.finished = True
        self.stopped_at = 0.0 if self.t0 is None else time.monotonic() - self.t0
        self.check_button.disabled = True
        self.stop_button.disabled = True
        self.predictions = {
            "continuous": bondlab.presses_after_rewards_stop("continuous",
                                                             rewards=self.rewards),
            "variable": bondlab.presses_after_rewards_stop("variable", rewards=self.rewards,
                                                           ratio=self.ratio),
        }
        seconds = [t for t, _ in self.presses] or [0.0]
        rewarded = [g for _, g in self.presses] or [False]
        self.fig, self.axes = new_figure(1, 2, figsize=(11, 4.6))
        self.art = {"record": draw_record(self.axes[0], seconds, rewarded, self.stop_index),
                    "prediction": draw_prediction(self.axes[1], self.predictions,
                                                  self.after_stop(), self.kind)}
        set_summary(self.summary, self.describe())
        self.phone.value = self._phone("Game over. Thank you for playing.")
        self.result.children = [figure_panel(self.fig, self.summary),
                                w.HTML(f"<p>{html.escape(self.explain())}</p>"),
                                self.again_button]
        if self.on_finish is not None:  # inside stop's guard: a failure shows a calm line
            self.on_finish(self)

    def after_stop(self) -> int:
        """Checks made after the messages stopped (0 if they never stopped)."""
        return 0 if self.stop_index is None else len(self.presses) - self.stop_index

    # -- text
    def describe(self) -> str:
        n = len(self.presses)
        secs = self.presses[-1][0] if self.presses else 0.0
        med = {k: float(np.median(v)) for k, v in self.predictions.items()}
        text = (f"You checked {n} times over {secs:.0f} seconds and got {self.earned} "
                f"messages. ")
        if self.stop_index is None:
            text += ("You stopped before the messages ran out, so there is no "
                     "\u201cafter\u201d to compare. ")
        else:
            text += f"After the messages stopped you checked {self.after_stop()} more times. "
        text += (f"The model (simulated people who learn when a change has happened) keeps "
                 f"checking about {med['continuous']:.0f} times after messages stop on the "
                 f"every-check schedule and about {med['variable']:.0f} times on the "
                 f"unpredictable one (medians of {len(self.predictions['variable'])} "
                 f"simulated people).")
        return text

    def explain(self) -> str:
        how = SCHEDULES[self.kind][1].format(ratio=self.ratio)
        other = ("When every check brings a message, a run of empty checks is news: it is "
                 "easy to notice that something has changed."
                 if self.kind == "continuous" else
                 "When messages come unpredictably, a run of empty checks looks like the "
                 "usual gaps, so it takes longer to notice that something has changed.")
        return (f"Your hidden schedule: {how}, for the first {self.rewards} messages; after "
                f"that, no more came. {other} Across many people, that difference between "
                f"the two schedules is the partial-reinforcement extinction effect, found in "
                f"learning research and shown by the model beside your record. One person's "
                f"round can go either way, for many reasons. Whatever you did is a normal "
                f"response to the schedule, not a personal failing.")
