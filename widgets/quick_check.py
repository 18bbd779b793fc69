"""QuickCheck: a few multiple-choice questions about the ideas, each with an explanation.

About the concepts only: no total, no score about the person.

Example
-------
>>> q = QuickCheck([{"question": "Q?", "choices": ["a", "b"], "answer": 1,
...                  "explanation": "Because."}])
>>> q.options[0].index = 1; q.check_buttons[0].click()
>>> "Because." in q.feedback[0].value
True
"""
from __future__ import annotations

import html

import ipywidgets as w

from widgets.common import guard, status_line

__all__ = ["QuickCheck"]


class QuickCheck(w.VBox):
    """Questions from ``data/quick_check.json`` for one module (``number`` like "01")."""

    def __init__(self, questions=None, number=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-quick-check")
        if questions is None:
            from workshop.content import load_quick_check
            questions = load_quick_check().get(number or "", [])
        self.questions = list(questions)
        self.status = status_line()
        self.options, self.check_buttons, self.feedback = [], [], []
        rows = []
        for i, q in enumerate(self.questions):
            options = w.RadioButtons(options=list(q["choices"]), index=None,
                                     description=f"Question {i + 1}",
                                     style={"description_width": "initial"},
                                     layout=w.Layout(width="auto", flex_flow="column"))
            button = w.Button(description="Check my answer",
                              tooltip=f"Check the answer to question {i + 1}",
                              layout=w.Layout(min_width="10rem", height="2.5rem"))
            button.on_click(guard(lambda b, i=i: self.check(i), self.status))
            feedback = w.HTML()
            self.options.append(options)
            self.check_buttons.append(button)
            self.feedback.append(feedback)
            rows += [w.HTML(f"<p><strong>{i + 1}. {html.escape(q['question'])}</strong></p>"),
                     options, button, feedback]
        if not rows:
            rows = [w.HTML("<p>There are no questions for this part yet.</p>")]
        self.children = rows + [self.status]

    def check(self, i: int):
        """Show the explanation for question ``i`` (0-based)."""
        q = self.questions[i]
        chosen = self.options[i].index
        right = q["choices"][q["answer"]]
        if chosen is None:
            lead = f"The answer is \u201c{html.escape(right)}\u201d. "
        elif chosen == q["answer"]:
            lead = "Yes, that's it. "
        else:
            lead = f"Not quite: the answer is \u201c{html.escape(right)}\u201d. "
        self.feedback[i].value = (f'<div role="status" class="bondlab-feedback"><p>'
                                  f"<strong>{lead}</strong>{html.escape(q['explanation'])}"
                                  f"</p></div>")
