"""Shared behaviour for every Bond Lab component: mode, error boundary, controls, text.

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
- :func:`number_control` -- labelled sliders that also take a typed value,
  built from the engine's parameter tables (:class:`bondlab._params.Param`).
- :func:`markdown_html`, :func:`mode_notes` -- Markdown with LaTeX kept intact, for the
  facilitator and lecture extras (rendered by ``ipywidgets.HTMLMath``).
- :data:`STYLESHEET`, :func:`kit_style` -- the kit's one stylesheet (the look of every page),
  which the kit's Voila template links; a page outside Voila (JupyterLab) gets it inline.

Figures: :mod:`widgets.live_figure` (display) and :mod:`workshop.figures` (drawing).
"""
from __future__ import annotations

import asyncio
import functools
import html
import logging
import math
import os
import re
import sys
import threading
import traceback
from pathlib import Path
from urllib.parse import parse_qs

import ipywidgets as w

__all__ = [
    "MODES", "NOTE_MODES", "page_mode", "query_param", "query_int", "set_query_string", "when_query_known",
    "query_arrived",
    "CALM_UPDATE", "CALM_BUILD", "NOT_AVAILABLE", "logger", "status_line", "guard",
    "safe_build", "calm_message",
    "number_control",
    "markdown_html", "mode_notes", "STYLESHEET", "kit_style",
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

#: The page's modes (``?mode=...``). "present" is the presenting view for a projector: large
#: type, high contrast, and no notes of any kind (facilitator notes are for the
#: facilitator's own screen: :func:`mode_notes`).
MODES = ("participant", "facilitator", "lecture", "present")
#: The modes whose pages carry notes (:func:`mode_notes`); every other mode shows none.
NOTE_MODES = ("facilitator", "lecture")
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
    """"participant" (default), "facilitator", "lecture" or "present", from ``?mode=...``.

    Unknown or hostile values fall back to "participant".

    >>> set_query_string("mode=lecture"); page_mode()
    'lecture'
    >>> set_query_string("m=2&s=3&mode=present"); page_mode()
    'present'
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

def number_control(param, name: str | None = None, *, value=None, on_change=None,
                   status: w.HTML | None = None):
    """A labelled slider that also takes a typed value, one model run per settled value.

    Parameters
    ----------
    param : bondlab._params.Param
        An entry of a ``parameters`` table (the engine's, or a service's such as
        ``workshop.room.SETTINGS``), the single source of truth: the range
        (:attr:`~bondlab._params.Param.slider_range`), default, label, help, unit and step
        come from it, and it is kept on the widget as ``.param``. A slider never has a range
        of its own (tests/test_slider_ranges.py).
    name : str, optional
        The parameter's name (kept on the widget as ``.param_name``).
    value : optional
        Start value (default: the Param's default).
    on_change : callable, optional
        Called with the new value; wrapped in :func:`guard` (``status`` shows the calm line).

    Returns an ``IntSlider``/``FloatSlider`` with ``continuous_update=False`` (a drag runs
    the model once, when released), an editable readout (type a value, press Enter), a
    visible ``description`` label and the help text as tooltip.

    >>> from bondlab._params import Param
    >>> s = number_control(Param(float, 0, 1, default=0.25, label="Chance of warmth"))
    >>> (s.min, s.max, s.value, s.description, s.continuous_update, s.readout)
    (0.0, 1.0, 0.25, 'Chance of warmth', False, True)
    """
    low, high = param.slider_range
    default, label, step = param.default, param.label, getattr(param, "step", None)
    help, unit = getattr(param, "help", ""), getattr(param, "unit", "")
    integer = getattr(param, "kind", None) is int
    if default is None:
        default = low
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
            step = 10 ** (round(math.log10(span)) - 2) if span > 0 else 0.01
        slider = w.FloatSlider(min=float(low), max=float(high), step=float(step),
                               value=float(min(max(start, low), high)),
                               readout_format=".3g", **common)
    slider.param_name = name
    slider.param = param
    if on_change is not None:
        handler = guard(lambda change: on_change(change["new"]), status)
        slider.observe(handler, names="value")
    return slider


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
               css_class: str = "bondlab-notes", folded: bool = False) -> w.HTMLMath | None:
    """Facilitator or lecture extras as an ``HTMLMath`` widget (LaTeX typeset), or None.

    ``mode`` defaults to :func:`page_mode`; only the :data:`NOTE_MODES` get notes
    (participants and the presenting view get ``None``). ``folded``: the notes sit in a
    native ``<details>`` section, closed, whose ``<summary>`` (the ``title``) opens it by
    mouse, touch or keyboard (Enter, Space) and names it for screen readers; the page
    shows only the title until the reader opens it on their own screen.

    >>> mode_notes("Watch for X.", "present") is None
    True
    >>> "<details" in mode_notes("Watch for X.", "facilitator", title="Notes", folded=True).value
    True
    """
    mode = mode or page_mode()
    if mode not in NOTE_MODES or not (markdown or "").strip():
        return None
    classes = f"{css_class} {css_class}-{mode}"
    body = markdown_html(markdown)
    if folded:
        summary = html.escape(title or "Notes")
        value = (f'<details class="{classes}"><summary>{summary}</summary>'
                 f'<div class="{css_class}-body">{body}</div></details>')
    else:
        heading = f"<h4>{html.escape(title)}</h4>" if title else ""
        value = f'<div class="{classes}">{heading}{body}</div>'
    box = w.HTMLMath(value=value)
    box.add_class(css_class)
    return box


# --------------------------------------------------------------------------- the look

#: The kit's one stylesheet: the safety shell, the type scale, the steps as cards, the
#: progress bar, the notes and the presenting view. The kit's Voila template links it on
#: every page it serves (``index.html.j2``, ``page.html``), from the server itself.
STYLESHEET = (Path(__file__).resolve().parents[1]
              / "share" / "jupyter" / "voila" / "templates" / "kit" / "static" / "kit.css")


@functools.lru_cache(maxsize=1)
def _stylesheet_html() -> str:
    try:
        return "<style>" + STYLESHEET.read_text(encoding="utf-8") + "</style>"
    except OSError:  # an installed copy without the template: the page still works
        logger.warning("the kit's stylesheet is missing: %s", STYLESHEET)
        return ""


def kit_style() -> list[w.Widget]:
    """``[]`` in Voila (the kit's template links :data:`STYLESHEET`); elsewhere (JupyterLab,
    nbval) one hidden HTML widget holding it, so a page opened there has the same look.

    >>> os.environ.get("VOILA_BASE_URL") is None and len(kit_style())
    1
    """
    if os.environ.get("VOILA_BASE_URL") is not None:  # Voila sets it in every kernel
        return []
    style = w.HTML(_stylesheet_html(), layout=w.Layout(display="none"))
    style.add_class("bondlab-style")
    return [style]
