"""The kit's figures, drawn on plain matplotlib Axes: one function per figure.

The widgets show these figures live (``widgets/``: an ipympl canvas, a slider re-runs the
engine and calls the ``update_*`` function) and the handouts print them
(:mod:`workshop.handouts`), so every figure is drawn by the one function here. No
ipywidgets and no pyplot: tests run everything on a plain
:class:`matplotlib.figure.Figure` (:func:`plain_figure`).

Each ``draw_*`` function takes data computed by the engine (``bondlab``) and the axes, and
returns the artists it made; the matching ``update_*`` moves those artists to new data in
place (``set_data``; no re-plotting), keeping axis ends at round numbers while the data
still fit them (:func:`steady_limit`), so the frame stays put for small changes.

No science here: every number drawn comes from the engine.
"""
from __future__ import annotations

import math

import numpy as np

from bondlab import PHASE_NAMES
from bondlab import stats
from workshop.style import (COLORS, LINESTYLES, OKABE_ITO, PHASE_COLORS, PHASE_HATCHES, RC,
                            plot_style)

__all__ = [
    "fmt_days", "nice_ceiling", "steady_limit", "steady_range", "plain_figure", "style_axes",
    "fit_width", "fitted_width", "label_panels", "smallest_text_px",
    "draw_band", "update_band", "phase_runs", "draw_phase_bands",
    "update_phase_bands", "place_phase_labels", "mark_day",
    "draw_explorer", "update_explorer", "draw_records", "draw_record", "draw_prediction",
    "draw_side", "update_side", "draw_attachment", "update_attachment",
    "draw_timeline", "update_timeline", "draw_playground", "update_playground",
    "draw_strategy", "update_strategy", "draw_leaving", "update_leaving",
]


def fmt_days(x: float) -> str:
    """'12 days', '1 day', or 'longer than the time simulated' for inf or None."""
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
    :class:`widgets.live_figure.LiveFigure`), and the data still fill at least ~80 % of them.
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


def steady_range(current, lo, hi):
    """(lo, hi) with each end kept or moved to a round number (``lo <= 0 <= hi``).

    >>> steady_range((-1.0, 2.5), -0.7, 1.9)
    (-1.0, 2.5)
    """
    cur_lo, cur_hi = current
    new_hi = steady_limit(cur_hi, hi) if hi > 0 else hi
    new_lo = -steady_limit(-cur_lo, -lo) if lo < 0 else lo
    return new_lo, new_hi


# --------------------------------------------------------------------------- figures, axes

def plain_figure(nrows: int = 1, ncols: int = 1, *, figsize=(8, 4.5), **subplots_kw):
    """A Figure in the kit's style (:func:`workshop.style.plot_style`) and its axes.

    Made without pyplot (nothing registered in pyplot's global state), laid out with
    matplotlib's constrained layout. Returns ``(fig, axes)``; ``axes`` is one Axes for
    1x1, otherwise an array.

    >>> fig, ax = plain_figure()
    >>> type(ax).__name__
    'Axes'
    """
    from matplotlib.figure import Figure

    with plot_style():
        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplots_kw)
    return fig, axes


# --------------------------------------------------------------------------- fitting a screen

#: Text on a figure never gets smaller than this on any screen, in CSS px (issue 15: at least
#: 12 px on a phone). 9 pt at 100 dpi is 12.5 px.
TEXT_MIN_PX = 12.5
#: The kit's smallest font size on a figure, in points (legends, phase names): every
#: draw function keeps to it, so that a fit can keep it at TEXT_MIN_PX.
SMALLEST_PT = 12
#: Below this width (CSS px) panels drawn side by side go one under another.
STACK_BELOW = 560
#: A row of panels is never lower than this (CSS px): axes, ticks and a title need room.
ROW_MIN_PX = 170
#: ... and its lowest row (a narrow strip over a main panel) never lower than this.
LOW_ROW_MIN_PX = 110
#: A wide column (a projector's presenting view) scales a figure up to this, as a picture;
#: its height stays within MAX_HEIGHT_PX (unless its rows need more).
S_MAX = 1.4
MAX_HEIGHT_PX = 960


def _texts(fig):
    from matplotlib.text import Text

    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def _design(fig):
    """What the figure was drawn for, kept on its first fit: size, dpi, grid, tick labels
    and legend columns (a fit starts from these every time, so fits never drift)."""
    design = getattr(fig, "_kit_design", None)
    if design is None:
        axes = [ax for ax in fig.axes if ax.get_subplotspec() is not None]
        spec = axes[0].get_subplotspec().get_gridspec() if axes else None
        grid = spec.get_geometry() if spec else (1, 1)
        ratios = (spec.get_height_ratios() if spec else None) or [1] * grid[0]
        dpi = getattr(fig, "_original_dpi", fig.dpi)
        design = fig._kit_design = {
            "size": tuple(fig.get_size_inches()), "dpi": dpi, "grid": grid,
            "rows_low": sum(ratios) / min(ratios),  # the figure's height in its lowest rows
            "specs": [(ax, ax.get_subplotspec(),
                       ax.xaxis.get_tick_params().get("labelbottom", True),
                       ax.yaxis.get_tick_params().get("labelleft", True)) for ax in axes],
        }
    return design


def fit_width(fig, css_px: float) -> None:
    """Fit a figure drawn for a wide column to a column ``css_px`` CSS pixels wide.

    The one place where figures meet the size of a screen (every component's figure goes
    through it, see :func:`widgets.live_figure.fit_page`). From the figure's design (its
    size and grid when first fitted: ``figsize`` at 100 dpi):

    - **scale** ``s = clamp(panel width / designed panel width, s_min, S_MAX)``, the
      figure's pixels per point: text, lines and markers shrink together, as a picture
      would, but never below ``s_min``, where the smallest text (:data:`SMALLEST_PT`) is
      :data:`TEXT_MIN_PX`; narrower still, the figure gets fewer inches instead;
    - **stacking**: below :data:`STACK_BELOW` px, panels side by side are put one under
      another (a one-column grid, in reading order), each with its own tick labels;
    - **height** from each panel's designed aspect ratio, at least :data:`ROW_MIN_PX` a row
      (:data:`LOW_ROW_MIN_PX` for the lowest);
    - **legends** under the figure take as many columns as fit (fewer on a phone);
      titles and axis labels wrap rather than run off the edge.

    Only sizes change, never data; a figure with no layout engine (laid out once and kept)
    is laid out again for its new size. Works on any Figure (no browser needed).
    """
    design = _design(fig)
    w0, h0 = design["size"]
    base = design["dpi"]
    rows0, cols0 = design["grid"]
    stack = cols0 > 1 and css_px < STACK_BELOW
    rows, cols = (rows0 * cols0, 1) if stack else (rows0, cols0)
    panel_px, panel0_px = css_px / cols, w0 * base / cols0
    s = min(S_MAX, max(TEXT_MIN_PX / (SMALLEST_PT * base / 72), panel_px / panel0_px))
    aspect = (h0 / rows0) / (w0 / cols0)  # one panel's, with its share of titles and legend
    if stack:
        aspect = min(aspect, 0.75)  # one under another: lower panels, less to scroll
    lowest = rows if stack else design["rows_low"]
    height_px = max(min(rows * panel_px * aspect, MAX_HEIGHT_PX), rows * ROW_MIN_PX,
                    lowest * LOW_ROW_MIN_PX)
    if design.get("stacked", False) != stack:
        _regrid(fig, design, stack)
    ratio = getattr(fig.canvas, "device_pixel_ratio", 1) or 1
    fig._original_dpi = base * s  # where ipympl's pixel ratio and savefig(dpi="figure") start
    fig._set_dpi(base * s * ratio, forward=False)
    fig.set_size_inches(css_px / (base * s), height_px / (base * s), forward=False)
    for ax in fig.axes:
        for text in (ax.title, ax.xaxis.label, ax.yaxis.label):
            text.set_wrap(True)
    _fit_legends(fig)
    fig._kit_fit = float(css_px)
    if "labels" in design:  # the figure's labels are drawn (label_panels): fit them too
        _set_labels(fig, design)
    _layout_once(fig)


def _layout_once(fig) -> None:
    """A figure with constrained layout is laid out at its next draw; one without (laid
    out once and kept) is laid out again now, for its new size or labels."""
    from matplotlib.layout_engine import ConstrainedLayoutEngine

    fig.stale = True
    if not isinstance(fig.get_layout_engine(), ConstrainedLayoutEngine):
        fig.set_layout_engine("constrained")
        fig.draw_without_rendering()
        fig.set_layout_engine("none")


def fitted_width(fig) -> float | None:
    """The CSS width of the last :func:`fit_width` (``None``: never fitted)."""
    return getattr(fig, "_kit_fit", None)


def smallest_text_px(fig) -> float:
    """The size of the figure's smallest text as drawn, in CSS px (``font size x dpi /
    72``, at the figure's CSS size; 0 for a figure without text)."""
    dpi = getattr(fig, "_original_dpi", fig.dpi)
    return min((t.get_fontsize() * dpi / 72 for t in _texts(fig)), default=0.0)


def _regrid(fig, design, stack):
    """Panels side by side <-> one under another (reading order), with constrained layout
    placing them; stacked panels each show their own tick labels (their neighbour is no
    longer beside or under them)."""
    n = len(design["specs"])
    grid = fig.add_gridspec(n, 1) if stack else None
    for i, (ax, spec, bottom, left) in enumerate(design["specs"]):
        ax.set_subplotspec(grid[i] if stack else spec)
        ax.xaxis.set_tick_params(which="both", labelbottom=True if stack else bottom)
        ax.yaxis.set_tick_params(which="both", labelleft=True if stack else left)
    design["stacked"] = stack


def label_panels(fig) -> None:
    """Axis labels for the figure's grid, once its labels are drawn (call it then; later
    :func:`fit_width` calls keep it up). Panels :func:`fit_width` put one under another
    each show a y label (a panel that had its left neighbour's takes it, where it fits
    beside the panel: longer, it would run into the next panel's), and an x label
    the panels share goes under the last panel only, not between two; side by side again,
    the labels are as drawn."""
    design = _design(fig)
    design.setdefault("labels", [(ax.get_xlabel(), ax.get_ylabel()) for ax, *_ in design["specs"]])
    if _set_labels(fig, design):
        _layout_once(fig)


def _set_labels(fig, design) -> bool:
    """:func:`label_panels` for the grid as it is now; True if a label changed. An emptied
    label keeps its font size, so the designed labels' sizes are read off their axes."""
    axes = [ax for ax, *_ in design["specs"]]
    kept, stack, n = design["labels"], design.get("stacked", False), len(axes)
    size = {k: next((getattr(ax, f"{k}axis").label.get_fontsize()
                     for ax, labels in zip(axes, kept) if labels["xy".index(k)]), None)
            for k in "xy"}
    xs = {x for x, _ in kept if x}
    changed = False
    for i, ax in enumerate(axes):
        x, y = kept[i]
        if stack and len(xs) == 1:
            x = next(iter(xs)) if i == n - 1 else ""
        if stack and not y:
            left = next((kept[j][1] for j in range(i - 1, -1, -1) if kept[j][1]), "")
            if _fits_beside(fig, left, size["y"], n):
                y = left
        for k, text in (("x", x), ("y", y)):
            label = getattr(ax, f"{k}axis").label
            if label.get_text() != text:
                changed = True
                label.set_text(text)
                if text and size[k] is not None:
                    label.set_fontsize(size[k])
    return changed


def _fits_beside(fig, text, size_pt, rows) -> bool:
    """Whether a y label ``text`` (turned upright, about 0.6 em a character) is no longer
    than a panel is high: the figure's CSS height shared by its ``rows`` (one a panel,
    stacked), less a title and tick labels (about 4 lines of text)."""
    if not text or size_pt is None:
        return False
    css_dpi = getattr(fig, "_original_dpi", fig.dpi)
    size_px = size_pt * css_dpi / 72
    row_px = fig.get_size_inches()[1] * css_dpi / rows
    return len(text) * 0.6 * size_px <= row_px - 4 * size_px


def _fit_legends(fig):
    """Every legend under the figure (:func:`_legend_below`) fitted to its new width."""
    for legend in list(fig.legends):
        if hasattr(legend, "_kit_entries"):
            legend.remove()
            _legend_below(fig, *legend._kit_entries)


def style_axes(ax, *, title=None, xlabel=None, ylabel=None, legend=False):
    """Apply the kit's font sizes to labels made after the figure (or outside plot_style)."""
    if title is not None:
        ax.set_title(title, fontsize=RC["axes.titlesize"])
    if xlabel is not None:
        ax.set_xlabel(xlabel, fontsize=RC["axes.labelsize"])
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=RC["axes.labelsize"])
    ax.tick_params(labelsize=RC["xtick.labelsize"])
    if legend:
        ax.legend(fontsize=RC["legend.fontsize"], frameon=False)
    return ax


def _legend_below(fig, handles, labels, ncol):
    """One legend for the whole figure, under it (outside the axes: data never cover it):
    ``ncol`` columns, or as many as fit in a figure fitted to a narrow screen
    (:func:`fit_width`; one at least, its labels wrapped if need be)."""
    import textwrap

    renderer = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    shown = list(labels)
    for n in [*range(ncol, 0, -1), 0]:  # 0: one column, its long labels on two lines
        if n == 0:
            chars = max(len(label) for label in labels) * 0.96 * fig.bbox.width / width
            shown = [textwrap.fill(label, max(12, int(chars))) for label in labels]
        legend = fig.legend(handles, shown, loc="outside lower center", ncol=max(n, 1),
                            frameon=False, fontsize=SMALLEST_PT)
        if renderer is None or fitted_width(fig) is None or n == 0:
            break
        width = legend.get_window_extent(renderer).width
        if width <= 0.98 * fig.bbox.width:
            break
        legend.remove()
    legend._kit_entries = (list(handles), list(labels), ncol)  # for :func:`fit_width`
    return legend


# --------------------------------------------------------------------------- bands

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


def mark_day(ax, x, text, *, color=OKABE_ITO["black"]):
    """A labelled vertical line (e.g. the day of leaving). Returns ``(line, label)``."""
    line = ax.axvline(x, color=color, linestyle=(0, (4, 2)), linewidth=2)
    label = ax.annotate(text, xy=(x, 1), xycoords=("data", "axes fraction"),
                        xytext=(4, -4), textcoords="offset points", ha="left", va="top",
                        fontsize=13)
    return line, label


# --------------------------------------------------------------------------- cycle phases

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


#: The phase names written over the bands (the legend has the full names).
SHORT_NAMES = ("tension", "incident", "making up", "calm")


def place_phase_labels(labels, ax, x0, runs, rows=(1.0, 1.09)):
    """Name each phase once over the top strip, on one of two rows, never overlapping.

    Each phase goes over its longest appearance that has room on a row (longest phases
    first); widths are estimated from the font size (about 0.55 em a letter) and the axes'
    width on screen. A phase with no room anywhere is left to the legend.
    """
    width_px = ax.get_window_extent().width or 1.0
    span = ax.get_xlim()[1] - ax.get_xlim()[0]
    per_px = span / width_px if span > 0 else 1.0
    taken = {row: [] for row in rows}
    by_phase = {}
    for code, start, n in runs:
        by_phase.setdefault(code, []).append((start, n))
    order = sorted(by_phase, key=lambda code: -max(n for _, n in by_phase[code]))
    for text in labels:
        text.set_text("")
    for code in order:
        text = labels[code]
        half = 0.55 * text.get_fontsize() * ax.figure.dpi / 72 * len(SHORT_NAMES[code]) / 2
        half = (half + 3) * per_px  # a few pixels between neighbours
        for start, n in sorted(by_phase[code], key=lambda run: (-run[1], run[0])):
            x = x0 + start + (n - 1) / 2
            row = next((r for r in rows if all(x + half <= a or x - half >= b
                                               for a, b in taken[r])), None)
            if row is not None:
                taken[row].append((x - half, x + half))
                text.set_position((x, row))
                text.set_text(SHORT_NAMES[code])
                break


# --------------------------------------------------------------------------- module 1

def draw_explorer(axes, tick, cumulative_band, example, rewards, expectation_band,
                  surprise_band):
    """The schedule explorer's three rows (cumulative record, expectation, surprise).

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
    _legend_below(ax_c.figure, handles, labels, 3)
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


def draw_records(ax, records):
    """Cumulative records of several schedules on one axes, rewards marked.

    ``records``: a list of ``(label, cumulative, reward_ticks)`` for one person each, in
    the order of :data:`workshop.style.COLORS` and ``LINESTYLES``. Returns the lines.
    """
    lines = []
    for i, (label, cum, hits) in enumerate(records):
        line, = ax.plot(np.arange(len(cum)), cum, color=COLORS[i], linestyle=LINESTYLES[i],
                        label=label)
        ax.plot(hits, np.asarray(cum)[hits], linestyle="none", marker="|", markersize=9,
                color=COLORS[i])
        lines.append(line)
    style_axes(ax, title="Cumulative records (one example person)",
               xlabel="Time (ticks)", ylabel="Responses so far")
    ax.legend(loc="upper left", frameon=False, fontsize=12)
    return lines


def draw_record(ax, seconds, rewarded, stop_index):
    """The participant's own cumulative record: checks over time, messages marked."""
    seconds = np.asarray(seconds, float)
    rewarded = np.asarray(rewarded, bool)
    count = np.arange(1, len(seconds) + 1)
    line, = ax.step(seconds, count, where="post", color=COLORS[0], linestyle=LINESTYLES[0],
                    label="Your checks")
    marks, = ax.plot(seconds[rewarded], count[rewarded], linestyle="none", marker="v",
                     markersize=9, color=COLORS[1], label="A message came")
    art = {"line": line, "marks": marks}
    if stop_index is not None and stop_index < len(seconds):
        art["stop"] = ax.axvline(seconds[stop_index], color=OKABE_ITO["black"],
                                 linestyle=(0, (4, 2)), linewidth=2,
                                 label="Messages stopped")
    style_axes(ax, title="What you did", xlabel="Seconds since your first check",
               ylabel="Checks so far")
    ax.legend(loc="upper left", frameon=False, fontsize=12)
    return art


def draw_prediction(ax, predictions, yours=None, your_key=None):
    """Predicted checks after messages stop for both schedules (median bar, middle half
    as error bar), with the participant's own count when there is one."""
    art = {}
    labels = {"continuous": "Every check\n(continuous)", "variable": "Unpredictable\n(variable)"}
    for i, key in enumerate(("continuous", "variable")):
        med, q25, q75 = stats.band(predictions[key])
        art[key] = ax.bar(i, med, color=COLORS[2 + i], hatch=("", "//")[i],
                          edgecolor=OKABE_ITO["black"], width=0.6,
                          yerr=[[med - q25], [q75 - med]], capsize=8,
                          label="Model: median, middle half" if i == 0 else None)
    if yours is not None:
        i = 0 if your_key == "continuous" else 1
        art["you"], = ax.plot([i], [yours], linestyle="none", marker="D", markersize=12,
                              color=OKABE_ITO["black"], label="You")
    ax.set_xticks([0, 1], [labels["continuous"], labels["variable"]])
    style_axes(ax, title="Checks after messages stopped", ylabel="Checks")
    ax.legend(loc="upper left", frameon=False, fontsize=12)
    return art


# --------------------------------------------------------------------------- module 2

def draw_side(ax, result, title, bands=None):
    """Draw one scenario: pull and withdrawal bands, the leaving day. Returns artists.

    ``bands`` (optional) holds ``result.band(name)`` already computed, by name.
    """
    bands = bands or {k: result.band(k) for k in ("attachment", "withdrawal")}
    day = result.day
    att = draw_band(ax, day, *bands["attachment"], color=COLORS[0],
                    linestyle=LINESTYLES[0], label="Pull toward the partner")
    wd = draw_band(ax, day, *bands["withdrawal"], color=COLORS[1],
                   linestyle=LINESTYLES[1], label="Withdrawal")
    leave = mark_day(ax, 0, "leaving")
    style_axes(ax, title=title, xlabel="Days (0 = leaving)")
    return {"attachment": att, "withdrawal": wd, "leave": leave}


def update_side(ax, art, result, title, bands=None):
    """Move one side's artists to a new run, in place.

    The time axis starts at a round number of days before leaving, kept while the run
    fits it well (:func:`steady_limit`): a longer or shorter relationship moves the start
    of the lines, and the axes stay put for small changes.
    """
    bands = bands or {k: result.band(k) for k in ("attachment", "withdrawal")}
    update_band(art["attachment"], result.day, *bands["attachment"])
    update_band(art["withdrawal"], result.day, *bands["withdrawal"])
    if ax.get_title() != title:
        style_axes(ax, title=title)
    start = float(result.day[0])
    if start < 0:
        start = -steady_limit(-ax.get_xlim()[0], -start)
    ax.set_xlim(start, result.day[-1])


def draw_attachment(axes, results, titles, bands):
    """The two-partner figure: one :func:`draw_side` per scenario run, one legend under
    both, a shared strength axis. Returns the list of the sides' artists."""
    art = [draw_side(ax, r, t, b) for ax, r, t, b in zip(axes, results, titles, bands)]
    style_axes(axes[0], ylabel="Strength (median)")  # the legend names the shading
    _legend_below(axes[0].figure, *axes[0].get_legend_handles_labels(), 2)
    update_attachment(axes, art, results, titles, bands)
    return art


def update_attachment(axes, art, results, titles, bands):
    """Move both sides to new runs; the strength axis ends at a steady round number."""
    for ax, a, r, t, b in zip(axes, art, results, titles, bands):
        update_side(ax, a, r, t, b)
    top = max(float(np.max(b[k][2])) for b in bands for k in ("attachment", "withdrawal"))
    axes[0].set_ylim(0, steady_limit(axes[0].get_ylim()[1], max(top, 0.1) * 1.08))


# --------------------------------------------------------------------------- module 3

def draw_timeline(axes, day, phase, mood, surprise):
    """Phase bands on both rows, felt mood above, surprise below, one legend under the
    figure. Returns artists."""
    ax_m, ax_s = axes
    art = {"bands_m": draw_phase_bands(ax_m, day[0], phase, PHASE_NAMES, ylim=(-6, 6)),
           "bands_s": draw_phase_bands(ax_s, day[0], phase, [None] * 4, ylim=(-3, 3),
                                       strip=0)}
    art["mood"], = ax_m.plot(day, mood, color=OKABE_ITO["black"], linestyle=LINESTYLES[0],
                             label="Felt mood")
    ax_m.axhline(0, color="#666666", linewidth=1)
    art["surprise"] = ax_s.stem(day, surprise, linefmt="-", markerfmt="o", basefmt=" ")
    art["surprise"].markerline.set_color(COLORS[0])
    art["surprise"].stemlines.set_color(COLORS[0])
    art["labels"] = [ax_m.text(0, 1.0, "", transform=ax_m.get_xaxis_transform(), ha="center",
                               va="bottom", fontsize=12) for _ in range(4)]
    style_axes(ax_m, ylabel="Felt mood")
    style_axes(ax_s, xlabel="Day", ylabel="Surprise")
    handles, labels = ax_m.get_legend_handles_labels()
    _legend_below(ax_m.figure, handles + [art["surprise"].markerline],
                  labels + ["Surprise (prediction error)"], 3)
    update_timeline(art, axes, day, phase, mood, surprise)
    return art


def update_timeline(art, axes, day, phase, mood, surprise):
    """Move bands, lines and stems to a new run, in place.

    Vertical ranges are symmetric around zero (good and bad days on one scale), at round
    numbers, and kept while the new run fits them well (:func:`steady_limit`): the axes
    stay put for small changes.
    """
    ax_m, ax_s = axes
    hi_m = steady_limit(ax_m.get_ylim()[1], max(1.0, float(np.max(np.abs(mood))) * 1.15))
    hi_s = steady_limit(ax_s.get_ylim()[1],
                        max(1.2, float(np.max(np.abs(surprise))) * 1.15))
    lo_m, lo_s = -hi_m, -hi_s
    runs = update_phase_bands(art["bands_m"], day[0], phase, ylim=(lo_m, hi_m))
    update_phase_bands(art["bands_s"], day[0], phase, ylim=(lo_s, hi_s), strip=0)
    art["mood"].set_data(day, mood)
    stem = art["surprise"]
    stem.markerline.set_data(day, surprise)
    stem.stemlines.set_segments([[(x, 0), (x, y)] for x, y in zip(day, surprise)])
    place_phase_labels(art["labels"], ax_m, day[0], runs)
    ax_m.set_ylim(lo_m, hi_m)
    ax_s.set_ylim(lo_s, hi_s)
    for ax in axes:
        ax.set_xlim(day[0] - 0.5, day[-1] + 0.5)


# --------------------------------------------------------------------------- module 4

def draw_playground(axes, t, stimulus, a, b, felt):
    """Stimulus above; first reaction, opposite reaction (drawn as -b) and felt below;
    one legend under the figure."""
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
    _legend_below(ax_f.figure, *ax_f.get_legend_handles_labels(), 2)
    update_playground(art, axes, t, stimulus, a, b, felt, len(t) - 1)
    return art


def update_playground(art, axes, t, stimulus, a, b, felt, now):
    """Show the run up to step ``now`` (the rest stays hidden until played).

    Axis ends are round numbers, kept while the new run fits them well
    (:func:`steady_limit`): the axes stay put for small changes.
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
    axes[0].set_ylim(*steady_range(axes[0].get_ylim(), min(float(np.min(stimulus)), 0) - 0.2,
                                   max(float(np.max(stimulus)), 0) + 0.2))
    axes[1].set_ylim(*steady_range(axes[1].get_ylim(), lo - pad, hi + pad))
    x0, x1 = axes[1].get_xlim()
    span = steady_limit(x1 - t[0] if x0 == t[0] else 0.0, float(t[-1] - t[0]))
    for ax in axes:
        ax.set_xlim(t[0], t[0] + span)


# --------------------------------------------------------------------------- module 5

def draw_strategy(ax, day, band, example, contacts, title, color, linestyle):
    """One strategy: withdrawal band, an example person's ups and downs, contact days."""
    art = {"band": draw_band(ax, day, *band, color=color, linestyle=linestyle,
                             label="Withdrawal (median)")}
    art["example"], = ax.plot(day, example, color=OKABE_ITO["black"], linewidth=1,
                              linestyle="solid", alpha=0.7, label="One person, day by day")
    art["contacts"], = ax.plot(contacts, np.zeros(len(contacts)), linestyle="none",
                               marker="^", markersize=10, color=OKABE_ITO["reddish_purple"],
                               label="A contact")
    style_axes(ax, title=title)
    return art


def update_strategy(ax, art, day, band, example, contacts, title):
    """Move one strategy's artists to a new run, in place."""
    update_band(art["band"], day, *band)
    art["example"].set_data(day, example)
    art["contacts"].set_data(contacts, np.zeros(len(contacts)))
    if ax.get_title() != title:
        style_axes(ax, title=title)
    ax.set_xlim(day[0], day[-1])


def draw_leaving(axes, panels):
    """The leaving figure: one :func:`draw_strategy` per panel on a 2x2 grid (flattened
    ``axes``), axis labels on the outer edges, one legend under the figure.

    ``panels``: a list of ``(title, (day, band, example, contacts))``, one per strategy.
    Returns the list of the strategies' artists.
    """
    art = [draw_strategy(ax, *data, title, COLORS[i], LINESTYLES[i])
           for i, (ax, (title, data)) in enumerate(zip(axes, panels))]
    for ax in axes[2:]:
        style_axes(ax, xlabel="Days after leaving")
    for ax in axes[::2]:
        style_axes(ax, ylabel="Withdrawal")
    _legend_below(axes[0].figure, *axes[0].get_legend_handles_labels(), 4)
    update_leaving(axes, art, panels)
    return art


def update_leaving(axes, art, panels):
    """Move every strategy to new runs; the shared withdrawal axis ends at a steady round
    number (a little room below zero for the contact marks)."""
    top = 0.1
    for ax, a, (title, (day, band, example, contacts)) in zip(axes, art, panels):
        update_strategy(ax, a, day, band, example, contacts, title)
        top = max(top, float(np.max(band[2])), float(np.max(example)))
    top = steady_limit(axes[0].get_ylim()[1], top * 1.08)
    axes[0].set_ylim(-0.05 * top, top)
