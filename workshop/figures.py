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
    """One legend for the whole figure, under it (outside the axes: data never cover it)."""
    return fig.legend(handles, labels, loc="outside lower center", ncol=ncol, frameon=False,
                      fontsize=12)


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
    style_axes(axes[0], ylabel="Strength (median, middle half shaded)")
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
