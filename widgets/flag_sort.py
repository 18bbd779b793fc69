"""FlagSort: sort statements about how a partner behaves into red flags and green flags.

One statement at a time; after each choice an explanation. It is about behaviours, never
about the person using it: no score, no verdict, no "correct/wrong" tally.

Example
-------
>>> f = FlagSort([{"statement": "S", "flag": "red", "explanation": "E"}])
>>> f.red_button.click(); "E" in f.feedback.value
True
"""
from __future__ import annotations

import html

import ipywidgets as w

from widgets.common import guard, status_line

__all__ = ["FlagSort"]


class FlagSort(w.VBox):
    """Statements from ``data/flags.json`` (default) sorted one at a time."""

    def __init__(self, items=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-flag-sort")
        if items is None:
            from workshop.content import load_flags
            items = load_flags()
        self.items = list(items)
        self.choices: list[str | None] = [None] * len(self.items)
        self.position = 0
        self.status = status_line()
        self.counter = w.HTML()
        self.statement = w.HTML()
        size = w.Layout(min_width="9rem", height="2.5rem")
        self.red_button = w.Button(description="Red flag", icon="flag", layout=size,
                                   tooltip="Sort this as a red flag (a warning sign)")
        self.green_button = w.Button(description="Green flag", icon="check", layout=size,
                                     tooltip="Sort this as a green flag (a healthy sign)")
        self.next_button = w.Button(description="Next statement", layout=size,
                                    tooltip="Show the next statement")
        self.red_button.on_click(guard(lambda b: self.choose("red"), self.status))
        self.green_button.on_click(guard(lambda b: self.choose("green"), self.status))
        self.next_button.on_click(guard(self.next, self.status))
        self.feedback = w.HTML()
        self.children = [
            w.HTML("<p>Read each statement about how someone treats a partner and sort it. "
                   "This is about behaviours, not about you, and nothing is scored.</p>"),
            self.counter, self.statement,
            w.HBox([self.red_button, self.green_button],
                   layout=w.Layout(flex_flow="row wrap")),
            self.feedback, self.next_button, self.status]
        self._show()

    def choose(self, flag: str):
        """Sort the current statement as "red" or "green" and show the explanation."""
        item = self.items[self.position]
        self.choices[self.position] = flag
        kind = "a red flag (a warning sign)" if item["flag"] == "red" else \
            "a green flag (a healthy sign)"
        lead = "Yes, this is usually seen as " if flag == item["flag"] else \
            "This one is usually seen as "
        self.feedback.value = (f'<div role="status" class="bondlab-feedback">'
                               f"<p><strong>{lead}{kind}.</strong> "
                               f"{html.escape(item['explanation'])}</p></div>")
        self._show(keep_feedback=True)

    def next(self, _button=None):
        """Move to the next statement (after the last, start again)."""
        self.position = (self.position + 1) % len(self.items)
        self._show()

    def _show(self, keep_feedback=False):
        item = self.items[self.position]
        self.counter.value = (f"<p>Statement {self.position + 1} of {len(self.items)}</p>")
        self.statement.value = (f'<blockquote class="bondlab-statement"><p>'
                                f"{html.escape(item['statement'])}</p></blockquote>")
        answered = self.choices[self.position] is not None
        if not keep_feedback:
            self.feedback.value = ""
        self.next_button.disabled = not answered and not keep_feedback
        if self.position == len(self.items) - 1:
            self.next_button.description = "Start again"
        else:
            self.next_button.description = "Next statement"
