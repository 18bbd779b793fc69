"""Stepper: the click-through pages of a module, one step visible at a time.

Back / Next buttons (real ``<button>`` elements: Tab reaches them, Enter or Space presses
them), a "Step 3 of 7" line announced to screen readers, and a link to the module list.
``?step=N`` in the page address opens step N (clamped to the steps there are; junk is
ignored). Each step's content is built on its first visit, so a page with seven simulations
starts as fast as a page with one.

Example
-------
>>> import ipywidgets as w
>>> s = Stepper([("One", lambda: w.Label("first")), ("Two", lambda: w.Label("second"))])
>>> s.progress_text, s.next_button.click(), s.progress_text
('Step 1 of 2', None, 'Step 2 of 2')
"""
from __future__ import annotations

import html

import ipywidgets as w
import traitlets

from widgets.common import guard, query_int, safe_build, status_line

__all__ = ["Stepper"]


class Stepper(w.VBox):
    """One step at a time, with Back / Next and a progress line.

    Parameters
    ----------
    steps : list of (title, builder)
        ``builder()`` returns the step's widget; it is called once, on the step's first
        visit, inside the error boundary (a failing step shows a calm line).
    start : int, optional
        1-based step to open; default ``?step=N`` from the page address, else 1.
    home_href : str
        Relative link to the module list (``00_start.ipynb``); ``None`` hides it.
    home_text : str
        Text of that link.
    footer : ipywidgets.Widget, optional
        Shown under the navigation on the last step (e.g. a link to the next module).
    navigation : bool
        Show the progress line and Back / Next (default). ``False`` shows the steps only,
        for a page that drives them with its own navigation (the workshop page calls
        :meth:`go`); then ``back_button``, ``next_button``, ``home`` and ``footer`` are
        ``None``.

    Attributes
    ----------
    index : int (traitlet)
        0-based index of the visible step; observe it to follow the page.
    """

    index = traitlets.Int(0)

    def __init__(self, steps, start=None, home_href="00_start.ipynb",
                 home_text="All modules", footer=None, navigation=True, **kwargs):
        super().__init__(**kwargs)
        self.steps = list(steps)
        if not self.steps:
            raise ValueError("Stepper needs at least one step")
        self._built: dict[int, w.Widget] = {}
        self.status = status_line()
        self.content = w.VBox()
        self.content.add_class("bondlab-step")
        self.progress = self.back_button = self.next_button = self.home = self.nav = None
        self.footer = footer if navigation else None
        if navigation:
            self._build_navigation(home_href, home_text)
            self.children = [self.progress, self.content, self.nav, self.status]
        else:
            self.children = [self.content, self.status]
        self.observe(guard(self._show, self.status), names="index")
        if start is None:
            start = query_int("step", 1)
        self.index = self._clamp((start if isinstance(start, int) else 1) - 1)
        self._show()

    def _build_navigation(self, home_href, home_text):
        self.progress = w.HTML()
        self.progress.add_class("bondlab-progress")
        self.back_button = w.Button(description="Back", icon="arrow-left",
                                    tooltip="Go to the previous step")
        self.next_button = w.Button(description="Next", icon="arrow-right",
                                    tooltip="Go to the next step", button_style="primary")
        for b in (self.back_button, self.next_button):
            b.layout = w.Layout(min_width="7rem", height="2.5rem")
            b.add_class("bondlab-nav-button")
        self.back_button.on_click(guard(self._back, self.status))
        self.next_button.on_click(guard(self._next, self.status))
        nav = [self.back_button, self.next_button]
        if home_href:
            self.home = w.HTML(f'<a class="bondlab-home" href="{html.escape(home_href)}">'
                               f"{html.escape(home_text)}</a>")
            nav.append(self.home)
        self.nav = w.HBox(nav, layout=w.Layout(align_items="center", flex_flow="row wrap",
                                               margin="1rem 0 0 0"))
        self.nav.add_class("bondlab-nav")

    # -- state ------------------------------------------------------------------
    @property
    def n_steps(self) -> int:
        return len(self.steps)

    @property
    def progress_text(self) -> str:
        return f"Step {self.index + 1} of {self.n_steps}"

    @property
    def title(self) -> str:
        return self.steps[self.index][0]

    def _clamp(self, i: int) -> int:
        return max(0, min(int(i), self.n_steps - 1))

    def go(self, step: int) -> None:
        """Show step ``step`` (1-based, clamped)."""
        self.index = self._clamp(step - 1)

    def step_widget(self, i: int) -> w.Widget:
        """The widget of step ``i`` (0-based), built on first use."""
        if i not in self._built:
            title, builder = self.steps[i]
            self._built[i] = safe_build(builder)
        return self._built[i]

    def release(self, which, visible_too: bool = False) -> int:
        """Close and forget the built steps for which ``which(widget)`` is true, except the
        visible one unless ``visible_too`` (the page has left this stepper); they are built
        again on their next visit (:meth:`show_step`). Returns how many."""
        gone = [i for i, widget in self._built.items()
                if (visible_too or i != self.index) and which(widget)]
        for i in gone:
            close_tree(self._built.pop(i))
        if self.index in gone:
            self.content.children = []
        return len(gone)

    def show_step(self) -> None:
        """Show the current step again, building it if it was released."""
        self._show()

    # -- callbacks ----------------------------------------------------------------
    def _back(self, _button=None):
        self.index = self._clamp(self.index - 1)

    def _next(self, _button=None):
        self.index = self._clamp(self.index + 1)

    def _show(self, _change=None):
        i = self.index
        self.content.children = [self.step_widget(i)]
        if self.nav is None:
            return
        self.progress.value = (f'<p role="status" aria-live="polite" class="bondlab-progress">'
                               f"<strong>{self.progress_text}</strong></p>")
        self.back_button.disabled = i == 0
        last = i == self.n_steps - 1
        self.next_button.disabled = last
        self.next_button.tooltip = "This is the last step" if last else "Go to the next step"
        if self.footer is not None:
            nav = [c for c in self.nav.children if c is not self.footer]
            self.nav.children = nav + [self.footer] if last else nav


def close_tree(widget) -> None:
    """Close a widget and every widget it holds (children, layout, style, a figure's
    toolbar): their models leave the kernel and the page."""
    stack, seen = [widget], set()
    while stack:
        item = stack.pop()
        if not isinstance(item, w.Widget) or id(item) in seen:
            continue
        seen.add(id(item))
        for name in item.keys:
            value = getattr(item, name, None)
            stack.extend(value if isinstance(value, (list, tuple)) else [value])
        item.close()
