"""Shared behaviour for every Bond Lab component: mode, error boundary, controls, plot style.

Everything here works in three places: a Voila page (preheated kernels), JupyterLab, and
plain Python (nbval, pytest) where no frontend is attached.

Contents
--------
- :func:`page_mode`, :func:`query_param`, :func:`query_int` -- the page's query string
  (``?mode=facilitator&step=3``), read once per kernel; :func:`when_query_known` -- a page
  built before its request arrives applies it later, without waiting for it.
- :func:`guard`, :func:`status_line`, :func:`safe_build` -- the error boundary: a failing
  callback or component logs its traceback on the server (logger ``"bondlab"``, written to
  the kernel's real stderr, which Voila copies into the server log) and shows a calm line on
  the page. Participants never see a traceback.
- :func:`number_control`, :func:`debounce` -- labelled sliders that also take a typed value,
  built from the engine's parameter tables (:class:`bondlab._params.Param`).
- :data:`OKABE_ITO`, :data:`LINESTYLES`, :func:`plot_style`, :func:`new_figure`,
  :func:`style_axes`, :func:`figure_summary`, :func:`figure_panel` -- one plotting style.
- :func:`markdown_html`, :func:`mode_notes` -- Markdown with LaTeX kept intact, for the
  facilitator and lecture extras (rendered by ``ipywidgets.HTMLMath``).

How figures are displayed
-------------------------
:func:`new_figure` makes a plain :class:`matplotlib.figure.Figure` (never through pyplot, so
no figure is registered in pyplot's global state, the equivalent of ``plt.ioff()``) and
attaches an **ipympl** canvas to it: ``fig.canvas`` *is* the widget to display. Components
keep their artists, change them with ``set_data``/``set_ydata`` and call
``fig.canvas.draw_idle()``; ipympl sends only the new image to the page. Chosen over an
``ipywidgets.Image`` re-rendered as PNG because (1) it is faster (measured on this 2-core
machine: ~70 ms vs ~110 ms per update for a small figure, issue 4), and (2) the ``Image``
widget has no ``alt`` attribute, which axe-core reports as a critical violation; the
canvas carries a text summary beside it instead (:func:`figure_panel`). No ``Output``
widget is used anywhere: writing into Output widgets while a cell executes can hang Voila
(a lost wake-up), and displaying one returned widget per cell avoids that entirely.
"""
from __future__ import annotations

import asyncio
import functools
import html
import logging
import os
import re
import sys
import threading
import traceback
from urllib.parse import parse_qs

import ipywidgets as w
import numpy as np

from workshop.style import COLORS, LINESTYLES, OKABE_ITO, RC, plot_style  # noqa: F401 (re-exported)

__all__ = [
    "MODES", "page_mode", "query_param", "query_int", "set_query_string", "when_query_known",
    "query_arrived",
    "CALM_UPDATE", "CALM_BUILD", "NOT_AVAILABLE", "logger", "status_line", "guard",
    "safe_build", "calm_message",
    "number_control", "debounce",
    "OKABE_ITO", "COLORS", "LINESTYLES", "RC", "plot_style", "new_figure", "style_axes",
    "LiveFigure", "png_bytes",
    "figure_summary", "set_summary", "figure_panel",
    "markdown_html", "mode_notes",
]

# --------------------------------------------------------------------------- logging

logger = logging.getLogger("bondlab")


def _setup_logger():
    """Send the "bondlab" logger to the kernel's real stderr (the server log).

    ``sys.stderr`` inside a kernel is redirected to the page; ``sys.__stderr__`` is the
    process's own stderr, which Voila writes into its log. Never the page.
    """
    if getattr(logger, "_bondlab_ready", False):
        return
    stream = sys.__stderr__ or sys.stderr
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter("[bondlab %(levelname)s %(asctime)s] %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger._bondlab_ready = True


_setup_logger()

# --------------------------------------------------------------------------- query string

MODES = ("participant", "facilitator", "lecture")
_QUERY: dict | None = None


def _preheated() -> bool:
    """True in a kernel Voila started before its page was asked for (a pooled kernel)."""
    return (os.environ.get("VOILA_PREHEAT", "False") == "True"
            and bool(os.environ.get("VOILA_KERNEL_ID")))


def _read_query_string() -> str:
    """The raw query string of the page this kernel serves ("" outside Voila).

    Voila with preheated kernels (``VOILA_PREHEAT=True`` in the kernel's environment) runs
    the notebook before any request arrives, so ``QUERY_STRING`` is empty then;
    ``voila.utils.get_query_string()`` waits for the real request and returns its query
    string (and puts the request's details, e.g. ``SCRIPT_NAME``, in ``os.environ``).
    Outside a preheated Voila kernel (JupyterLab, nbval, pytest, or Voila without
    preheating, which sets ``QUERY_STRING`` directly) it never blocks: we read the
    environment only.
    """
    if _preheated():
        try:
            from voila.utils import get_query_string
            return get_query_string() or ""
        except Exception:  # noqa: BLE001 -- a page without a mode is still a page
            logger.warning("could not read the query string:\n%s", traceback.format_exc())
            return os.environ.get("QUERY_STRING", "") or ""
    return os.environ.get("QUERY_STRING", "") or ""


def _parse(raw) -> dict:
    return parse_qs(str(raw)[:2000], keep_blank_values=False)


#: Callbacks waiting for the request (:func:`when_query_known`); None when nothing waits.
_WAITING: list | None = None
_ARRIVED = threading.Event()  # set by the background read the moment the request is there


def query_arrived() -> bool:
    """True once this page's request has arrived (at once outside a preheated kernel), even
    while the kernel is still busy and has not applied it yet. Work done ahead of the
    request checks it to stop in time."""
    return _ARRIVED.is_set() or (_WAITING is None and (_QUERY is not None or not _preheated()))


def _query() -> dict:
    global _QUERY
    if _QUERY is None:
        if _WAITING is not None:
            # The page is being built before its request; what it builds now is rebuilt
            # once the query string is known, so the defaults serve (and nothing blocks).
            return {}
        try:
            _QUERY = _parse(_read_query_string())
        except Exception:  # noqa: BLE001 -- hostile values never break a page
            logger.warning("ignored an unreadable query string:\n%s", traceback.format_exc())
            _QUERY = {}
    return _QUERY


def _run_logged(callback) -> None:
    try:
        callback()
    except Exception:  # noqa: BLE001 -- the boundary: log it, the page stays as it is
        logger.error("applying the page's address failed:\n%s", traceback.format_exc())


def when_query_known(callback) -> bool:
    """Call ``callback()`` once the page's query string is known, without waiting for it.

    In a preheated Voila kernel the notebook runs before anyone asks for the page; Voila
    hands the request's details to the kernel when it arrives (its request-info websocket,
    which :func:`voila.utils.get_query_string` waits on). Here a background thread does the
    waiting, then ``callback`` runs on the kernel's own event loop (the thread that handles
    widget messages), so the page is built and sent at once and the mode and place follow
    a moment later. Until then :func:`page_mode` and friends give their defaults.
    Everywhere else (JupyterLab, nbval, Voila without a pool) the query string is already
    known and ``callback`` runs now. Returns True if it ran now.

    A failing ``callback`` is logged on the server, never shown.
    """
    global _WAITING
    if _WAITING is not None:
        _WAITING.append(callback)
        return False
    if _QUERY is not None or not _preheated():
        _run_logged(callback)
        return True
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # no event loop running (plain Python): read it the ordinary way
        _run_logged(callback)
        return True
    _WAITING = [callback]

    def arrived(raw: str):
        global _QUERY, _WAITING
        waiting, _WAITING = _WAITING, None
        if _QUERY is None:
            _QUERY = _parse(raw)
        for cb in waiting:
            _run_logged(cb)

    def wait():
        try:
            raw = _read_query_string()
        except Exception:  # noqa: BLE001 -- then the defaults
            logger.warning("could not read the query string:\n%s", traceback.format_exc())
            raw = ""
        _ARRIVED.set()
        loop.call_soon_threadsafe(arrived, raw)

    threading.Thread(target=wait, name="bondlab-query", daemon=True).start()
    return False


def set_query_string(query: str | None) -> None:
    """Set (or with ``None`` forget) the cached query string. For tests and scripts."""
    global _QUERY
    _QUERY = None if query is None else _parse(query)


def query_param(name: str, default: str | None = None) -> str | None:
    """The first value of ``?name=...`` in the page's address, or ``default``."""
    values = _query().get(name)
    if not values:
        return default
    return values[0][:200]


def query_int(name: str, default: int | None = None) -> int | None:
    """``?name=N`` as an int; junk (``?step=abc``, ``?step=1e999``) gives ``default``."""
    value = query_param(name)
    if value is None:
        return default
    value = value.strip()
    if not re.fullmatch(r"[+-]?\d{1,6}", value):
        return default
    return int(value)


def page_mode() -> str:
    """"participant" (default), "facilitator" or "lecture", from ``?mode=...``.

    Unknown or hostile values fall back to "participant".

    >>> set_query_string("mode=lecture"); page_mode()
    'lecture'
    >>> set_query_string("mode=<script>"); page_mode()
    'participant'
    >>> set_query_string(None)
    """
    mode = (query_param("mode") or "").strip().lower()
    return mode if mode in MODES else "participant"


# --------------------------------------------------------------------------- error boundary

CALM_UPDATE = "This part could not update. The rest of the page still works."
CALM_BUILD = ("This part of the page could not be shown. The rest of the page still works; "
              "you can carry on without it.")
NOT_AVAILABLE = "This exercise is not available yet. You can read on and carry on without it."


def calm_message(text: str) -> str:
    """HTML for a calm, non-alarming notice (used on the page, never a traceback)."""
    return f'<p class="bondlab-calm" role="status">{html.escape(text)}</p>'


def status_line() -> w.HTML:
    """An empty status widget for a component's calm messages (a polite live region)."""
    status = w.HTML(value="", layout=w.Layout(min_height="0"))
    status.add_class("bondlab-status")
    return status


def _find_status(callback):
    owner = getattr(callback, "__self__", None)
    status = getattr(owner, "status", None)
    return status if isinstance(status, w.HTML) else None


def guard(callback, status: w.HTML | None = None):
    """Wrap an ``observe``/``on_click`` callback in the error boundary.

    An exception is logged with its traceback on the server (logger ``"bondlab"``) and
    ``status`` (an HTML widget; by default ``callback.__self__.status`` when the callback
    is a bound method of a component that has one) shows :data:`CALM_UPDATE`. A later
    successful call clears the message. Nothing is lost silently, nothing reaches the page
    as a traceback.

    >>> status = status_line()
    >>> boom = guard(lambda change: 1 / 0, status)
    >>> boom({"new": 1})
    >>> "could not update" in status.value
    True
    """
    @functools.wraps(callback)
    def wrapper(*args, **kwargs):
        target = status if status is not None else _find_status(callback)
        try:
            result = callback(*args, **kwargs)
        except Exception:  # noqa: BLE001 -- the boundary: log, then say it calmly
            name = getattr(callback, "__qualname__", repr(callback))
            logger.error("callback %s failed:\n%s", name, traceback.format_exc())
            if target is not None:
                target.value = calm_message(CALM_UPDATE)
            return None
        if target is not None and target.value and "could not update" in target.value:
            target.value = ""
        return result

    wrapper.__bondlab_guarded__ = True
    return wrapper


def safe_build(factory, *args, message: str = CALM_BUILD, **kwargs):
    """Build a component with ``factory(*args, **kwargs)``; on failure a calm HTML line.

    The traceback goes to the server log. Returns a widget either way.

    >>> safe_build(lambda: 1 / 0).value.startswith('<p class="bondlab-calm"')
    True
    """
    try:
        widget = factory(*args, **kwargs)
    except Exception:  # noqa: BLE001 -- the boundary for building
        name = getattr(factory, "__qualname__", repr(factory))
        logger.error("building %s failed:\n%s", name, traceback.format_exc())
        return w.HTML(value=calm_message(message))
    if not isinstance(widget, w.Widget):
        logger.error("building %s returned %r, not a widget", factory, type(widget))
        return w.HTML(value=calm_message(message))
    return widget


# --------------------------------------------------------------------------- controls

def number_control(param=None, name: str | None = None, *, low=None, high=None,
                   default=None, label: str | None = None, step=None, help: str = "",
                   unit: str = "", integer: bool | None = None, value=None,
                   on_change=None, status: w.HTML | None = None):
    """A labelled slider that also takes a typed value, one model run per settled value.

    Parameters
    ----------
    param : bondlab._params.Param, optional
        An entry of an engine class's ``parameters`` table: range, default, label, help,
        unit and step come from it (the single source of truth). Plain keyword arguments
        override it, or replace it when there is no table entry.
    name : str, optional
        The parameter's name (kept on the widget as ``.param_name``).
    integer : bool, optional
        IntSlider instead of FloatSlider (default: from ``param.kind`` or the types).
    value : optional
        Start value (default: the default).
    on_change : callable, optional
        Called with the new value; wrapped in :func:`guard` (``status`` shows the calm line).

    Returns an ``IntSlider``/``FloatSlider`` with ``continuous_update=False`` (a drag runs
    the model once, when released), an editable readout (type a value, press Enter), a
    visible ``description`` label and the help text as tooltip.

    >>> s = number_control(low=0, high=1, default=0.25, label="Chance of warmth")
    >>> (s.min, s.max, s.value, s.description, s.continuous_update, s.readout)
    (0.0, 1.0, 0.25, 'Chance of warmth', False, True)
    """
    if param is not None:
        low = param.low if low is None else low
        high = param.high if high is None else high
        default = param.default if default is None else default
        label = label or param.label
        help = help or getattr(param, "help", "")
        unit = unit or getattr(param, "unit", "")
        step = step if step is not None else getattr(param, "step", None)
        if integer is None:
            integer = getattr(param, "kind", None) is int
    if low is None or high is None:
        raise ValueError(f"number_control needs a range for {name or label!r}: "
                         f"got low={low!r}, high={high!r}")
    if default is None:
        default = low
    if integer is None:
        integer = all(isinstance(v, int) and not isinstance(v, bool)
                      for v in (low, high, default))
    label = label or (name or "").replace("_", " ")
    text = f"{label} ({unit})" if unit else label
    start = default if value is None else value
    common = dict(description=text, continuous_update=False, readout=True,
                  tooltip=help or text, style={"description_width": "initial"},
                  layout=w.Layout(width="min(100%, 30rem)"))
    if integer:
        slider = w.IntSlider(min=int(low), max=int(high), step=int(step or 1),
                             value=int(min(max(start, low), high)), **common)
    else:
        if step is None:
            span = float(high) - float(low)
            step = 10 ** (round(__import__("math").log10(span)) - 2) if span > 0 else 0.01
        slider = w.FloatSlider(min=float(low), max=float(high), step=float(step),
                               value=float(min(max(start, low), high)),
                               readout_format=".3g", **common)
    slider.param_name = name
    if on_change is not None:
        handler = guard(lambda change: on_change(change["new"]), status)
        slider.observe(handler, names="value")
    return slider


def debounce(wait: float = 0.15):
    """Decorator: run at once on the first call, then once more for the last of a burst.

    Leading and trailing edge: a call after a quiet moment runs immediately (a key press
    is answered without waiting); calls that follow within ``wait`` seconds of each other
    are collapsed into one run with the latest arguments, ``wait`` seconds after the last
    of them (a drag runs the model for the final value, not for every value in between).

    Inside a kernel the trailing call is scheduled on the kernel's running asyncio loop
    (the same thread as widget messages). Without a running loop (plain Python, tests)
    every call runs at once, so tests stay synchronous. Sliders already use
    ``continuous_update=False``; use this for controls that fire many events (text
    boxes, play buttons).
    """
    def decorate(fn):
        handle = None
        last = float("-inf")

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            nonlocal handle, last
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return fn(*args, **kwargs)
            now = loop.time()
            quiet = handle is None and now - last >= wait
            last = now
            if quiet:
                return fn(*args, **kwargs)
            if handle is not None:
                handle.cancel()

            def trailing():
                nonlocal handle
                handle = None
                fn(*args, **kwargs)

            handle = loop.call_later(wait, trailing)
            return None

        return wrapper

    return decorate


# --------------------------------------------------------------------------- plot style

def new_figure(nrows: int = 1, ncols: int = 1, *, figsize=(8, 4.5), interactive=True,
               **subplots_kw):
    """A styled Figure and its axes, with an ipympl canvas as ``fig.canvas`` (the widget).

    Made without pyplot (nothing leaks into pyplot's figure list). The canvas has no
    header, toolbar or footer (fewer unlabeled controls on the page) and is not a tab stop:
    the figure is read through :func:`figure_summary`. With ``interactive=False`` (or when
    ipympl is missing) the figure keeps matplotlib's plain Agg canvas.

    Returns ``(fig, axes)``; ``axes`` is one Axes for 1×1, otherwise an array.

    >>> fig, ax = new_figure()
    >>> line, = ax.plot([0, 1], [0, 1]); line.set_ydata([1, 0]); fig.canvas.draw_idle()
    """
    from matplotlib.figure import Figure

    with plot_style():
        fig = Figure(figsize=figsize, layout="constrained")
        axes = fig.subplots(nrows, ncols, squeeze=True, **subplots_kw)
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


# --------------------------------------------------------------------------- text & modes

_MATH = re.compile(r"(\$\$.+?\$\$|\\\[.+?\\\]|(?<![\\$])\$(?!\s)[^$\n]+?(?<!\s)\$)", re.S)


def markdown_html(text: str) -> str:
    """Markdown to HTML (mistune), keeping ``$...$`` and ``$$...$$`` LaTeX untouched.

    Math is swapped out before Markdown runs (so ``\\,`` and ``_`` survive) and put back
    HTML-escaped, for MathJax in ``HTMLMath`` to typeset. Raw HTML in the text is escaped.

    >>> markdown_html("Rate $R = k\\\\,r_e$ and *more*")
    '<p>Rate $R = k\\\\,r_e$ and <em>more</em></p>\\n'
    """
    import mistune

    keep: list[str] = []

    def stash(match):
        keep.append(match.group(0))
        return f"\x00MATH{len(keep) - 1}\x00"

    protected = _MATH.sub(stash, text or "")
    md = _markdown()
    out = md(protected)
    return re.sub("\x00MATH(\\d+)\x00", lambda m: html.escape(keep[int(m.group(1))],
                                                               quote=False), out)


@functools.lru_cache(maxsize=1)
def _markdown():
    import mistune

    return mistune.create_markdown(escape=True, plugins=["strikethrough", "table"])


def mode_notes(markdown: str, mode: str | None = None, *, title: str | None = None,
               css_class: str = "bondlab-notes") -> w.HTMLMath | None:
    """Facilitator or lecture extras as an ``HTMLMath`` widget (LaTeX typeset), or None.

    ``mode`` defaults to :func:`page_mode`; participants get ``None`` (nothing to add).
    """
    mode = mode or page_mode()
    if mode == "participant" or not (markdown or "").strip():
        return None
    heading = f"<h4>{html.escape(title)}</h4>" if title else ""
    box = w.HTMLMath(value=f'<div class="{css_class} {css_class}-{mode}">{heading}'
                           f"{markdown_html(markdown)}</div>")
    box.add_class(css_class)
    return box
