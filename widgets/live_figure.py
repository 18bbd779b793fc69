"""How a figure reaches the page: an ipympl canvas, redrawn fast, with its text summary.

:func:`new_figure` makes a plain :class:`matplotlib.figure.Figure` in the kit's style
(:func:`workshop.figures.plain_figure`: never through pyplot, so no figure is registered in
pyplot's global state, the equivalent of ``plt.ioff()``) and attaches an **ipympl** canvas
to it: ``fig.canvas`` *is* the widget to display. Components draw with
:mod:`workshop.figures`, keep their artists, move them with ``set_data`` and call
:meth:`LiveFigure.refresh`; only the new image goes to the page. Chosen over an
``ipywidgets.Image`` re-rendered as PNG because it is faster, and because the ``Image``
widget has no ``alt`` attribute (axe-core reports that as a critical violation); the canvas
carries a text summary beside it instead (:func:`figure_panel`). No ``Output`` widget is
used anywhere: writing into Output widgets while a cell executes can hang Voila (a lost
wake-up), and displaying one returned widget per cell avoids that entirely.
"""
from __future__ import annotations

import html
import traceback
import weakref

import ipywidgets as w
import numpy as np

from widgets.common import logger
from workshop.figures import fit_width, fitted_width, label_panels, plain_figure

__all__ = ["new_figure", "LiveFigure", "png_bytes", "figure_summary", "set_summary",
           "figure_panel", "fit_page", "page_width"]

#: The width figures are made for until the page has said its own (CSS px): the workshop's
#: column on a computer (60rem less its margins), so a computer's page needs no resize.
DEFAULT_WIDTH = 900
#: Widths the page may send (CSS px); anything outside is clamped to them.
WIDTH_RANGE = (240, 2400)
_page = {"width": None}
_figures: "weakref.WeakSet" = weakref.WeakSet()  # every figure new_figure made, while alive


def page_width() -> float:
    """The width figures are fitted to: the page's column, once it said (:func:`fit_page`)."""
    return _page["width"] or DEFAULT_WIDTH


def fit_page(css_px) -> float | None:
    """The page's column is ``css_px`` CSS px wide: fit every figure of this kernel (one
    kernel serves one page) and those made later (:func:`workshop.figures.fit_width`).

    A figure shown in the browser is told its new size through ipympl's own protocol
    (``resize``: the browser resizes the canvas, asks for a refresh and then a picture,
    which :class:`LiveFigure` draws anew: the size is part of its frame). Figures never
    shown yet just change size. Junk (not a number) is ignored and returns ``None``;
    numbers are clamped to :data:`WIDTH_RANGE`. Only a narrower column, or one at least
    24 px wider, refits a figure (a little margin beside it is not worth a redraw).
    """
    try:
        width = float(css_px)
    except (TypeError, ValueError):
        return None
    if not np.isfinite(width):
        return None
    width = float(int(min(max(width, WIDTH_RANGE[0]), WIDTH_RANGE[1])))
    _page["width"] = width
    for fig in list(_figures):
        _fit(fig, width)
    return width


def _fit(fig, width) -> None:
    current = fitted_width(fig)
    if current is not None and current <= width < current + 24:
        return
    try:
        fit_width(fig, width)
    except Exception:  # noqa: BLE001 -- a figure that cannot fit keeps its size
        logger.exception("could not fit a figure to %s px", width)
        return
    canvas = fig.canvas
    if getattr(canvas, "comm", None) is not None and hasattr(canvas, "manager"):
        # ipympl's resize protocol (FigureCanvasWebAggCore.handle_resize, from our side),
        # also to a canvas whose view has not said "initialized" yet: its model takes the
        # size (a width that arrived in between left a canvas of the old width on screen)
        canvas._png_is_old = True
        canvas.manager.resize(*fig.bbox.size, forward=False)


def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(8, 4.5), interactive=True,
               **subplots_kw):
    """A styled Figure and its axes, with an ipympl canvas as ``fig.canvas`` (the widget).

    Made without pyplot (nothing leaks into pyplot's figure list). The canvas has no
    header, toolbar or footer (fewer unlabeled controls on the page) and is not a tab stop:
    the figure is read through :func:`figure_summary`. With ``interactive=False`` (or when
    ipympl is missing) the figure keeps matplotlib's plain Agg canvas.

    ``figsize`` is what the figure is drawn for (inches at 100 dpi: its proportions and
    a wide screen's size); it is then fitted to the page's column (:func:`fit_page`).

    Returns ``(fig, axes)``; ``axes`` is one Axes for 1×1, otherwise an array.

    >>> fig, ax = new_figure()
    >>> line, = ax.plot([0, 1], [0, 1]); line.set_ydata([1, 0]); fig.canvas.draw_idle()
    """
    fig, axes = plain_figure(nrows, ncols, figsize=figsize, **subplots_kw)
    _figures.add(fig)
    if interactive:
        try:
            from ipympl.backend_nbagg import Canvas, FigureManager

            canvas = Canvas(fig)
            FigureManager(canvas, 0)
            canvas.header_visible = False
            canvas.toolbar_visible = False
            canvas.footer_visible = False
            canvas.resizable = False
            canvas.capture_scroll = False
            if "tabbable" in canvas.trait_names():
                canvas.tabbable = False
            canvas.layout = w.Layout(max_width="100%")
        except Exception:  # noqa: BLE001 -- plain Agg still draws (handouts, scripts)
            logger.warning("ipympl canvas unavailable:\n%s", traceback.format_exc())
    _fit(fig, page_width())
    return fig, axes


class LiveFigure:
    """Redraw a figure fast when only its data changed: the frame is drawn once and reused.

    A component's figure has a *frame* (axes, ticks, grid, titles, labels, legends: the
    expensive part to draw, mostly text) and *data artists* (lines, bands, markers) that
    move on every update. :meth:`refresh` draws the frame only when it changed (axis
    limits, titles, labels, size or DPI; :meth:`frame_key`), keeps a copy of its pixels,
    and otherwise restores that copy and draws just the data artists on it, in z-order,
    then sends the image through the ipympl canvas at once (no round trip through the
    browser that ``draw_idle`` makes). Nothing is hidden or approximated: every artist is
    drawn every time; only the frame's unchanged pixels are reused. The one visible
    difference from a full draw: data artists are painted over the frame's grid lines and
    legends instead of under them, so components keep their legends outside the axes.

    Without a browser attached (tests, nbval, a page still loading) it falls back to
    ``draw_idle`` and the browser asks for a full draw when it connects; a full draw (the
    browser's own request, ``savefig``, handouts) always draws every artist normally.

    >>> fig, ax = new_figure(interactive=False)
    >>> line, = ax.plot([0, 1], [0, 1])
    >>> live = LiveFigure(fig, [line])
    >>> line.set_ydata([1, 0]); live.refresh()
    """

    #: Images sent closer together than this (seconds) go whole, not as a diff: the
    #: browser drops an image that a newer one overtakes before it has loaded, and a
    #: diff drawn over a dropped diff would leave stale pixels (playing, quick typing).
    full_within = 0.3

    def __init__(self, fig, artists=()):
        self.fig = fig
        self.artists: list = []
        self._background = None
        self._key = None
        self._last_sent = float("-inf")
        self.add(artists)
        if hasattr(fig.canvas, "handle_draw"):  # ipympl: the browser asks for a picture
            fig.canvas.handle_draw = self._draw_for_browser

    def add(self, artists) -> None:
        """Register data artists (nested lists, tuples and dicts of artists are walked)."""
        stack = [artists]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, (list, tuple)):
                stack.extend(item)
            elif item is not None and hasattr(item, "draw"):
                self.artists.append(item)
        # matplotlib's own order: by zorder, ties in the order they were made
        self.artists.sort(key=lambda a: a.get_zorder())
        self.invalidate()

    def invalidate(self) -> None:
        """Draw the frame again on the next refresh (call after changing it by hand)."""
        self._key = None
        self._background = None

    def frame_key(self) -> tuple:
        """Everything of the frame that can change between updates."""
        fig = self.fig
        parts = [fig.dpi, tuple(fig.canvas.get_width_height(physical=True))]
        for ax in fig.axes:
            parts += [ax.get_xlim(), ax.get_ylim(), ax.get_title("left"), ax.get_title(),
                      ax.get_title("right"), ax.get_xlabel(), ax.get_ylabel(),
                      ax.get_visible()]
        return tuple(parts)

    def _attached(self) -> bool:
        canvas = self.fig.canvas
        # ipympl stops syncing the data URL once a browser view said "initialized"
        return (isinstance(canvas, w.DOMWidget) and hasattr(canvas, "manager")
                and getattr(canvas, "syncing_data_url", True) is False
                and getattr(canvas, "comm", None) is not None)

    def _draw_frame(self):
        from matplotlib.backends.backend_agg import FigureCanvasAgg

        canvas = self.fig.canvas
        # animated artists are left out of a draw but still count for the layout
        before = [a.get_animated() for a in self.artists]
        for a in self.artists:
            a.set_animated(True)
        try:
            FigureCanvasAgg.draw(canvas)
        finally:
            for a, was in zip(self.artists, before):
                a.set_animated(was)
        self._background = canvas.copy_from_bbox(self.fig.bbox)

    def render(self):
        """Draw into the canvas's pixel buffer (frame reused when unchanged); no sending."""
        canvas = self.fig.canvas
        key = self.frame_key()
        if key != self._key or self._background is None:
            self._draw_frame()
            self._key = key
        else:
            canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in self.artists:
            a.draw(renderer)
            a.stale = False
        self.fig.stale = False

    def _draw_for_browser(self, event=None) -> None:
        """The browser asks for the whole picture (it has just connected, or resized): drawn
        as :meth:`refresh` draws it, so the frame is ready before the first slider move
        (otherwise that move draws everything twice: 100-250 ms, for everyone at once when
        a facilitator says "now move the slider")."""
        canvas = self.fig.canvas
        self.render()
        if self._attached():
            self._send()
        else:  # still syncing the picture into the page (ipympl's own path)
            canvas._png_is_old = True
            canvas.manager.refresh_all()

    def refresh(self) -> None:
        """Show the figure's current data in the browser (once per update)."""
        canvas = self.fig.canvas
        if not self._attached():
            canvas.draw_idle()
            return
        self.render()
        self._send()

    def _send(self):
        """ipympl's image protocol (``FigureCanvasWebAggCore.get_diff_image``): a full PNG
        or only the changed pixels (the rest transparent), encoded by :func:`png_bytes`."""
        import time

        canvas = self.fig.canvas
        pixels = np.asarray(canvas.get_renderer().buffer_rgba())
        buff = pixels.view(np.uint32).squeeze(2)
        last = canvas._last_buff
        now = time.monotonic()
        rapid = now - self._last_sent < self.full_within
        self._last_sent = now
        if (canvas._force_full or rapid or buff.shape != last.shape
                or (pixels[:, :, 3] != 255).any()):
            canvas.set_image_mode("full")
            output = buff
        else:
            canvas.set_image_mode("diff")
            output = np.where(buff != last, buff, 0)
        canvas._last_buff = buff.copy()
        canvas._force_full = False
        canvas._png_is_old = False
        canvas.send_binary(png_bytes(output.view(np.uint8).reshape((*output.shape, 4))))


def png_bytes(rgba) -> bytes:
    """An 8-bit RGBA image (rows x columns x 4, uint8) as PNG: no row filter, zlib level 1.

    A figure's pixels are runs of flat colour (and a diff image mostly zeros), which
    deflate packs well unfiltered. Pillow tries every PNG filter on every row and has no
    option to skip that: 21 ms for a 1100 x 520 diff image here against 6 ms for this, at
    about the same size (48 kB vs 46 kB). PNG format: ISO/IEC 15948 (W3C PNG, 2nd ed.).
    """
    import struct
    import zlib

    rgba = np.asarray(rgba, dtype=np.uint8)
    height, width, _ = rgba.shape
    rows = np.zeros((height, width * 4 + 1), np.uint8)  # each row: filter type 0, pixels
    rows[:, 1:] = rgba.reshape(height, width * 4)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    deflate = zlib.compressobj(1)
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", deflate.compress(rows) + deflate.flush())
            + chunk(b"IEND", b""))


def figure_summary(text: str = "") -> w.HTML:
    """The text summary beside a figure: what it shows, computed from the data.

    It is the screen-reader alternative to the picture (``role=note``, announced politely
    when it changes). Update it with ``summary.value = summary_html(new_text)`` or simply
    build a new one; :func:`set_summary` does it.
    """
    summary = w.HTML(value=_summary_html(text), layout=w.Layout(flex="1 1 16rem",
                                                                min_width="12rem"))
    summary.add_class("bondlab-figure-summary")
    return summary


def _summary_html(text: str) -> str:
    return (f'<div role="note" aria-live="polite" aria-label="Figure summary">'
            f'<p>{html.escape(text)}</p></div>')


def set_summary(summary: w.HTML, text: str) -> None:
    """Change a :func:`figure_summary` widget's text."""
    summary.value = _summary_html(text)


def figure_panel(fig, summary: w.HTML | str) -> w.Box:
    """The figure's canvas with its summary beside it (below it on narrow screens)."""
    if isinstance(summary, str):
        summary = figure_summary(summary)
    label_panels(fig)  # its labels are drawn: panels one under another each get theirs
    canvas = fig.canvas if isinstance(fig.canvas, w.Widget) else _static_image(fig)
    box = w.Box([canvas, summary], layout=w.Layout(display="flex", flex_flow="row wrap",
                                                   align_items="flex-start"))
    box.add_class("bondlab-figure")
    return box


def _static_image(fig) -> w.HTML:
    import base64
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    data = base64.b64encode(buf.getvalue()).decode()
    return w.HTML(f'<img src="data:image/png;base64,{data}" alt="Figure; see the summary '
                  f'beside it" style="max-width:100%">')
