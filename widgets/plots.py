"""Shared drawing functions and panel plumbing for the science components (2-7).

Two kinds of things live here, as in ``STYLE.md``:

- **drawing functions** that take data and an ``ax`` and return the artists they made
  (:func:`draw_band`, :func:`update_band`, :func:`draw_phase_bands`, :func:`update_phase_bands`,
  :func:`mark_day`). They know nothing of widgets, so tests run them on a plain
  :class:`matplotlib.figure.Figure`.
- :class:`Panel`, the small base every science component shares: a status line for calm
  messages, guarded ``observe`` wiring, and **kernel-side validation** of values that come
  from the browser (any synced trait, including a slider's own ``min``/``max``, can be set
  from the page, so each control remembers the range it was built with and values outside
  it are clamped with a calm note).

No science here: every number drawn comes from the engine (``bondlab``).
"""
from __future__ import annotations

import html
import math

import ipywidgets as w
import numpy as np

from workshop.style import PHASE_COLORS, PHASE_HATCHES  # noqa: F401 (re-exported)
from widgets.common import (COLORS, LINESTYLES, OKABE_ITO, calm_message, guard, mode_notes,
                            number_control, page_mode, status_line)

__all__ = [
    "SAFETY_LINE", "PHASE_HATCHES", "nan_band", "draw_band", "update_band", "draw_phase_bands",
    "update_phase_bands", "phase_runs", "mark_day", "Panel", "safety_note", "lecture_notes",
    "parameter_table",
    "fmt_days", "nice_ceiling", "steady_limit",
]

#: Wherever a component mentions leaving or no contact (DESIGN.md, safety rules).
SAFETY_LINE = ("Leaving can be the most dangerous time. If you are thinking about leaving or "
               "about no contact, a domestic-abuse advocate can help you make a safety plan; "
               "the Help link at the top of this page lists people to talk to.")

def fmt_days(x: float) -> str:
    """'12 days', '1 day', or 'more than the whole run' for inf."""
    if x is None or not math.isfinite(x):
        return "longer than the time simulated"
    n = int(round(x))
    return f"{n} day" + ("" if n == 1 else "s")


# --------------------------------------------------------------------------- axis limits

_NICE = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(x: float) -> float:
    """The smallest round number at least ``x`` (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k).

    Axis limits from the data are rounded up with it, so the axes stay put while a setting
    changes a little (the data move, not the frame; the frame is also redrawn less, see
    :class:`widgets.common.LiveFigure`), and the data still fill at least ~80 % of them.
    Zero, negative or non-finite ``x`` comes back unchanged.

    >>> [nice_ceiling(v) for v in (0.9, 1.0, 1.07, 287, 0.013)]
    [1.0, 1.0, 1.2, 300.0, 0.015]
    """
    if not math.isfinite(x) or x <= 0:
        return x
    k = math.floor(math.log10(x))
    m = x / 10 ** k
    for n in _NICE:
        if m <= n * (1 + 1e-9):
            return float(round(n * 10 ** k, 12))
    return float(10 ** (k + 1))


def steady_limit(current: float, needed: float, keep: float = 0.6) -> float:
    """An axis end for data reaching ``needed``: the ``current`` end while the data fit
    and still fill at least ``keep`` of it, else the next round number up.

    Stops the axes jumping back and forth when a setting moves the data a little (and
    the frame then need not be redrawn); the data always fit, and fill at least ~60 %.

    >>> steady_limit(2.5, 1.9), steady_limit(2.5, 2.6), steady_limit(2.5, 1.2)
    (2.5, 3.0, 1.2)
    """
    if (math.isfinite(current) and current > 0 and nice_ceiling(current) == current
            and keep * current <= needed <= current):
        return float(current)
    return nice_ceiling(needed)


# --------------------------------------------------------------------------- drawing

def nan_band(values):
    """(median, 25th, 75th percentile) over axis 0, ignoring NaN, vectorised.

    Same numbers as ``np.nanpercentile(values, [50, 25, 75], axis=0)`` (linear
    interpolation) without its per-column Python loop; all-NaN columns give NaN.

    >>> m, lo, hi = nan_band(np.array([[1.0, np.nan], [3.0, np.nan], [2.0, 5.0]]))
    >>> m.tolist(), lo.tolist(), hi.tolist()
    ([2.0, 5.0], [1.5, 5.0], [2.5, 5.0])
    """
    x = np.sort(np.asarray(values, dtype=float), axis=0)  # NaN sort last
    n = (~np.isnan(x)).sum(axis=0)
    cols = np.arange(x.shape[1])
    out = []
    for q in (0.5, 0.25, 0.75):
        pos = q * np.maximum(n - 1, 0)
        lo = np.floor(pos).astype(int)
        hi = np.minimum(lo + 1, np.maximum(n - 1, 0))
        frac = pos - lo
        v = x[lo, cols] * (1 - frac) + x[hi, cols] * frac
        v[n == 0] = np.nan
        out.append(v)
    return tuple(out)


def draw_band(ax, x, median, q25, q75, *, color=COLORS[0], linestyle=LINESTYLES[0],
              label=None, alpha=0.22):
    """A median line with its quartile band. Returns ``(line, band)``.

    >>> from matplotlib.figure import Figure
    >>> ax = Figure().subplots()
    >>> line, band = draw_band(ax, [0, 1, 2], [1, 2, 3], [0, 1, 2], [2, 3, 4], label="pull")
    >>> line.get_ydata().tolist()
    [1, 2, 3]
    """
    band = ax.fill_between(x, q25, q75, color=color, alpha=alpha, linewidth=0,
                           label=None if label is None else "Middle half of people")
    line, = ax.plot(x, median, color=color, linestyle=linestyle, label=label)
    return line, band


def update_band(artists, x, median, q25, q75):
    """Move a :func:`draw_band` pair to new data, in place."""
    line, band = artists
    line.set_data(x, median)
    band.set_data(x, q25, q75)


def phase_runs(phase):
    """Runs of equal phase codes in a 1-D array: list of ``(code, start, length)``.

    >>> phase_runs(np.array([0, 0, 1, 2, 2, 2]))
    [(0, 0, 2), (1, 2, 1), (2, 3, 3)]
    """
    phase = np.asarray(phase)
    if phase.size == 0:
        return []
    cut = np.flatnonzero(np.diff(phase)) + 1
    starts = np.concatenate([[0], cut])
    ends = np.concatenate([cut, [phase.size]])
    return [(int(phase[s]), int(s), int(e - s)) for s, e in zip(starts, ends)]


def draw_phase_bands(ax, x0, phase, names, *, ylim=(0, 1), strip=0.12):
    """Shade the four cycle phases as bands: a light colour over the full height and a
    hatched strip along the top (colour is never the only code; the hatch stays in a strip
    so the figure stays quick to send). One pair of collections per phase.

    Returns a list of four ``(band, strip)`` pairs; the strips carry the phase names for
    the legend.
    """
    pairs = []
    for k, name in enumerate(names):
        band = ax.broken_barh([], ylim, facecolors=PHASE_COLORS[k], alpha=0.22, linewidth=0,
                              zorder=0)
        top = ax.broken_barh([], ylim, facecolors=PHASE_COLORS[k], alpha=0.75,
                             hatch=PHASE_HATCHES[k], edgecolor="#333333", linewidth=0,
                             label=name, zorder=0.5)
        pairs.append((band, top))
    update_phase_bands(pairs, x0, phase, ylim=ylim, strip=strip)
    return pairs


def update_phase_bands(pairs, x0, phase, *, ylim=(0, 1), strip=0.12):
    """Move the phase bands to a new phase sequence (``x0`` = x of the first day)."""
    lo, hi = ylim
    cut = hi - strip * (hi - lo)
    runs = phase_runs(phase)
    for k, (band, top) in enumerate(pairs):
        spans = [(x0 + s - 0.5, x0 + s + n - 0.5) for code, s, n in runs if code == k]
        band.set_verts([[(a, lo), (a, cut), (b, cut), (b, lo)] for a, b in spans])
        top.set_verts([[(a, cut), (a, hi), (b, hi), (b, cut)] for a, b in spans])
    return runs


def mark_day(ax, x, text, *, color=OKABE_ITO["black"]):
    """A labelled vertical line (e.g. the day of leaving). Returns ``(line, label)``."""
    line = ax.axvline(x, color=color, linestyle=(0, (4, 2)), linewidth=2)
    label = ax.annotate(text, xy=(x, 1), xycoords=("data", "axes fraction"),
                        xytext=(4, -4), textcoords="offset points", ha="left", va="top",
                        fontsize=13)
    return line, label


# --------------------------------------------------------------------------- panel

def safety_note() -> w.HTML:
    """The safety line, shown wherever a component talks about leaving or no contact."""
    box = w.HTML(f'<p class="bondlab-safety" role="note"><strong>Safety first.</strong> '
                 f'{html.escape(SAFETY_LINE)}</p>')
    box.add_class("bondlab-safety")
    return box


def lecture_notes(*models, mode: str | None = None):
    """Equations and citations of engine classes, for the lecture view (else ``None``)."""
    mode = mode or page_mode()
    if mode != "lecture":
        return None
    parts = []
    for m in models:
        eqs = "\n".join(f"$${e}$$" for e in getattr(m, "equations", ()))
        parts.append(f"**{getattr(m, 'label', '') or m.__name__}** ({m.__name__})\n\n{eqs}\n\n"
                     f"{parameter_table(m)}\n\n*Source:* {getattr(m, 'citation', '')}")
    return mode_notes("\n\n".join(parts), mode, title="The model behind this figure")


def parameter_table(model) -> str:
    """The engine class's parameter table as Markdown: name, meaning, allowed range, default."""
    rows = ["| parameter | what it means | allowed | default |", "|---|---|---|---|"]
    for name, param in getattr(model, "parameters", {}).items():
        if param.low is not None or param.high is not None:
            allowed = f"{param.low if param.low is not None else '−∞'} to {param.high if param.high is not None else '∞'}"
        else:
            allowed = ", ".join(map(str, param.choices or ())) or "—"
        meaning = (param.help or param.label or "").replace("|", "/")
        rows.append(f"| `{name}` | {meaning} | {allowed} {param.unit or ''} | {param.default!r} |")
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
