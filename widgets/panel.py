"""The base of every science panel and what each panel shows beside its figure.

- :class:`Panel`, the small base every science component shares: a status line for calm
  messages, guarded ``observe`` wiring, and **kernel-side validation** of values that come
  from the browser (any synced trait, including a slider's own ``min``/``max``, can be set
  from the page, so each control remembers the range it was built with and values outside
  it are clamped with a calm note). Its sliders take range, label and help from the
  engine's parameter tables (:func:`widgets.common.number_control`).
- :func:`heading`, :func:`safety_note` and :func:`lecture_notes` (equations, parameter
  table, citation for the lecture view).

The figures themselves are drawn by :mod:`workshop.figures`; no science here.
"""
from __future__ import annotations

import html
import math

import ipywidgets as w

from widgets.common import calm_message, guard, mode_notes, number_control, page_mode, status_line

__all__ = ["SAFETY_LINE", "Panel", "heading", "safety_note", "lecture_notes", "parameter_table",
           "assumptions_table"]

#: Wherever a component mentions leaving or no contact (DESIGN.md, safety rules).
SAFETY_LINE = ("Leaving can be the most dangerous time. If you are thinking about leaving or "
               "about no contact, a domestic-abuse advocate can help you make a safety plan; "
               "the Help link at the top of this page lists people to talk to.")

def safety_note() -> w.HTML:
    """The safety line, shown wherever a component talks about leaving or no contact."""
    box = w.HTML(f'<p class="bondlab-safety" role="note"><strong>Safety first.</strong> '
                 f'{html.escape(SAFETY_LINE)}</p>')
    box.add_class("bondlab-safety")
    return box


def lecture_notes(*models, mode: str | None = None):
    """Equations, parameters, fixed assumptions and citations of engine classes, for the
    lecture view (else ``None``)."""
    mode = mode or page_mode()
    if mode != "lecture":
        return None
    parts = []
    for m in models:
        eqs = "\n".join(f"$${e}$$" for e in getattr(m, "equations", ()))
        fixed = assumptions_table(m)
        fixed = f"*Fixed in the model (assumptions, not parameters):*\n\n{fixed}\n\n" if fixed else ""
        parts.append(f"**{getattr(m, 'label', '') or m.__name__}** ({m.__name__})\n\n{eqs}\n\n"
                     f"{parameter_table(m)}\n\n{fixed}*Source:* {getattr(m, 'citation', '')}")
    return mode_notes("\n\n".join(parts), mode, title="The model behind this figure")


def parameter_table(model) -> str:
    """The engine class's parameter table as Markdown: name, meaning, allowed range, default."""
    rows = ["| parameter | what it means | allowed | default |", "|---|---|---|---|"]
    for name, param in getattr(model, "parameters", {}).items():
        if param.low is not None or param.high is not None:
            allowed = f"{param.low if param.low is not None else '−∞'} to {param.high if param.high is not None else '∞'}"
            if param.slider is not None:
                allowed += f" (slider {param.slider[0]} to {param.slider[1]})"
        else:
            allowed = ", ".join(map(str, param.choices or ())) or "—"
        meaning = (param.help or param.label or "").replace("|", "/")
        rows.append(f"| `{name}` | {meaning} | {allowed} {param.unit or ''} | {param.default!r} |")
    return "\n".join(rows) if len(rows) > 2 else ""


def assumptions_table(model) -> str:
    """The fixed numbers of the model's module (:data:`bondlab.assumptions.ASSUMPTIONS`) as
    Markdown: where it lives, its value, what it does, why this value."""
    from bondlab.assumptions import ASSUMPTIONS

    module = model.__module__.rsplit(".", 1)[-1]
    rows = ["| fixed number | value | what it does | why this value |", "|---|---|---|---|"]
    for a in ASSUMPTIONS:
        if a.name.split(".", 1)[0] == module:
            value = (", ".join(f"{k} {v:g}" for k, v in a.value.items())
                     if isinstance(a.value, dict) else
                     f"{a.value:g}" if isinstance(a.value, float) else str(a.value))
            rows.append(f"| `{a.name}` | {value} | {a.meaning.replace('|', '/')} | "
                        f"{a.why.replace('|', '/')} |")
    return "\n".join(rows) if len(rows) > 2 else ""


class Panel(w.VBox):
    """Base for the science panels: a status line, guarded callbacks, checked values.

    Subclasses build controls with :meth:`slider` (or register others with
    :meth:`track`), assign ``self.children``, and implement ``update()``.
    """

    css_class = "bondlab-panel"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-panel")
        self.add_class(self.css_class)
        self.status = status_line()
        self._ranges: dict[int, tuple] = {}
        self._fixing = False

    # -- controls
    def slider(self, param=None, name=None, **kwargs):
        """:func:`number_control` whose settled value re-runs the panel (checked first)."""
        s = number_control(param, name, **kwargs)
        self.track(s, s.min, s.max, isinstance(s, w.IntSlider))
        return s

    def track(self, control, low=None, high=None, integer=False, handler=None):
        """Remember ``control``'s allowed range and call ``handler`` (default
        :meth:`update`) on each settled, valid value (inside the error boundary)."""
        if low is not None:
            self._ranges[id(control)] = (low, high, integer)
        target = handler or (lambda change: self.update())

        def on_value(change):
            if self._fixing or not self.check(change["owner"]):
                return
            if "only goes from" in self.status.value:
                self.status.value = ""
            target(change)

        on_value.__qualname__ = f"{type(self).__name__}.on_value"
        control.observe(guard(on_value, self.status), names="value")
        return control

    def check(self, control) -> bool:
        """Clamp ``control.value`` into its remembered range; False if it had to change.

        Values come from the browser and are not trusted: NaN or junk goes back to the
        lower end, too-high or too-low values to the nearest end, each with a calm note.
        """
        rng = self._ranges.get(id(control))
        if rng is None:
            return True
        low, high, integer = rng
        value = control.value
        try:
            ok = float(value)
            fixed = min(max(ok, low), high) if math.isfinite(ok) else low
        except (TypeError, ValueError):
            fixed = low
        if integer:
            fixed = int(round(fixed))
        if fixed == value and (control.min, control.max) == (low, high):
            return True
        self._fixing = True
        try:
            control.min, control.max = low, high
            control.value = fixed
        finally:
            self._fixing = False
        self.status.value = calm_message(
            f"{control.description or 'That control'} only goes from {low:g} to {high:g}; "
            f"it is now set to {fixed:g}.")
        self.update()
        return False

    def update(self):  # pragma: no cover - subclasses implement it
        raise NotImplementedError


def heading(text: str) -> w.HTML:
    """A panel's title as a heading (h3), for screen-reader navigation."""
    return w.HTML(f'<h3 class="bondlab-panel-title">{html.escape(text)}</h3>')
