"""The whole workshop in one page: ``show_workshop()`` (``notebooks/index.ipynb``).

The start page, the six modules and the reading pages (the facilitator guide, the sources,
the room's experiment) in one widget, switched inside the page's kernel: a menu ("Go to"
and Open), one Back / Next that runs on across the ends of modules, and a line saying
where you are ("Module 2 of 6 · Step 3 of 6"). Moving adds no page, no kernel, no history
entry, and writes nothing into the address.

**Built before the request.** In a preheated kernel (Voila's pool) the notebook runs before
anyone asks for the page: the start page is built then, in participant mode, and the page
is sent the moment it is asked for. The address's mode and place are read in the
background (:func:`widgets.common.when_query_known`) and applied when they arrive.

**The address.** ``?mode=facilitator`` / ``?mode=lecture`` / ``?mode=present`` (the
presenting view: no notes) as on every page; ``?m=N`` opens
module N (0 is the start), ``?m=guide`` / ``?m=sources`` / ``?m=room`` a reading page,
``?s=N`` a step, and ``?room=CODE`` the room's experiment with that code. Numbers and
neutral words only: no topic word ever reaches the address or the history. Anything
unknown falls back to the start (an unknown mode to participant), a step is clamped.

**Ready before anyone asks.** In a pooled kernel, once the start page is built, every
module's first step is built and its figures drawn, one module per turn of the kernel's
event loop, until the request arrives: then a room that moves to a module at the same
moment waits only for the picture to be sent (``server/preheat.py`` keeps the pool).

**Figures of modules left behind are released.** A module is built on its first visit and
kept, but when the person moves to another part, the module's steps that hold a figure are
closed (their figures, models and pixels leave the kernel and the page) and built again,
with their starting settings, if the person comes back. Its other steps are kept: the notes
a person typed (which live only in the page) and their quick-check answers are still there.
Keeping every figure grew a kernel to about 310 MB after the whole workshop; the limit is
250 MB (``bench/bench_room.py`` measures it, the facilitator guide gives the figure). The
memory is collected a few seconds after the move (:data:`COLLECT_AFTER`), not during it.

**Leading the room.** The menu bar holds :class:`widgets.follow.FollowBar`: once the page
knows a room (the room's page saw its code), the facilitator can lead it and the others
follow; ``?mode=present&room=CODE`` (the projector) follows from the start.

**Reload.** The page tells the browser where the person is through a hidden widget; the
kit's template script (``static/workshop.js``) keeps that place (numbers only) in the
tab's ``sessionStorage``, which is gone when the tab closes, and after a reload of the
same address sends it back through a second hidden widget. Links in the pages' text
(``01_...ipynb``) become links inside the page (``data-kit-go``), with ``?m=N`` as their
address for a browser without scripts. Every value from the browser is checked here.

**Figures fit the screen.** The same script sends the module column's width
(``width=734``, CSS px) when it changes; every figure of the page follows it
(:func:`widgets.live_figure.fit_page`).
"""
from __future__ import annotations

import asyncio
import html
import re
from urllib.parse import parse_qs

import ipywidgets as w

from widgets.common import (MODES, guard, kit_style, logger, page_mode, query_arrived,
                            query_param, safe_build, status_line, when_query_known)
from widgets.follow import FollowBar
from widgets.live_figure import fit_page, page_width
from widgets.module_page import START, ModulePage
from widgets.stepper import close_tree, progress_html
from workshop.figures import smallest_text_px

__all__ = ["show_workshop", "WorkshopPage", "READING", "parse_place", "in_page_links"]

#: The reading pages: address key -> (menu label, notebook it replaces).
READING = {
    "guide": ("Facilitator guide", "facilitator_guide"),
    "sources": ("Sources", "references"),
    "room": ("The room's experiment", "class_experiment"),
}
_NOTEBOOK_KEY = {notebook: key for key, (_, notebook) in READING.items()}
_INT = re.compile(r"\d{1,6}")
_LINK = re.compile(r'href="(?:\./)?((\d\d)_[a-z0-9_]+|[a-z_]+)\.ipynb(?:\?([^"#]*))?"')

def _ids() -> list[str]:
    from workshop.content import module_ids

    return module_ids()


def _key(part: str) -> str:
    """The address key of a part: "2" for module 02_..., "guide" for a reading page."""
    return part if part in READING else str(int(part[:2]))


def parse_place(params: dict, ids: list[str]) -> tuple[str | None, int | None]:
    """(part, step) from parsed query parameters (``parse_qs``); ``None`` where absent.

    ``part`` is a module id (``ids``) or a :data:`READING` key; ``?room=`` alone means the
    room's experiment. Junk gives ``None`` (the caller's default), never an error.

    >>> ids = ["00_start", "01_a", "02_b"]
    >>> parse_place({"m": ["2"], "s": ["3"]}, ids), parse_place({"m": ["9"]}, ids)
    (('02_b', 3), (None, None))
    >>> parse_place({"m": ["<x>"], "s": ["1e9"]}, ids), parse_place({"room": ["ABC"]}, ids)
    ((None, None), ('room', None))
    """
    def first(name):
        values = params.get(name) or [""]
        return str(values[0])[:200].strip().lower()

    m, s = first("m"), first("s")
    part = None
    if _INT.fullmatch(m):
        numbers = {int(i[:2]): i for i in ids}
        part = numbers.get(int(m))
    elif m in READING:
        part = m
    elif not m and first("room"):
        part = "room"
    if m and part is None:  # an unknown part: its step means nothing either
        return None, None
    step = int(s) if _INT.fullmatch(s) else None
    return part, step


def in_page_links(text: str, mode: str) -> str:
    """Links to the workshop's notebooks (``02_x.ipynb``, ``references.ipynb``) as links
    inside the one page: ``href="?m=2"`` (no topic word) and ``data-kit-go="m=2"``, which
    the template's script sends to the kernel instead of loading a page. A link that names
    another mode (``?mode=facilitator`` on a participant's page) loads the page in that
    mode (``href`` only); a link without one keeps the page's mode.

    >>> in_page_links('<a href="02_b.ipynb">2</a>', "participant")
    '<a href="?m=2" data-kit-go="m=2">2</a>'
    >>> in_page_links('<a href="01_a.ipynb?mode=lecture">1</a>', "participant")
    '<a href="?m=1&amp;mode=lecture">1</a>'
    """
    def sub(match):
        name, number, query = match.group(1), match.group(2), match.group(3) or ""
        if number:
            key = str(int(number))
        elif name in _NOTEBOOK_KEY:
            key = _NOTEBOOK_KEY[name]
        elif name == START[3:] or name == START:
            key = "0"
        else:
            return match.group(0)
        wanted = (parse_qs(html.unescape(query)).get("mode") or [mode])[0]
        wanted = wanted if wanted in MODES else "participant"
        href = f"?m={key}" + ("" if wanted == "participant" else f"&mode={wanted}")
        out = f'href="{html.escape(href)}"'
        if wanted == mode:
            out += f' data-kit-go="m={key}"'
        return out

    return _LINK.sub(sub, text)


class WorkshopPage(w.VBox):
    """The start page, the modules and the reading pages in one widget.

    Parameters
    ----------
    mode : str, optional
        "participant", "facilitator", "lecture" or "present"; default from the address,
        once known.
    part, step : optional
        Where to open (a module id or a :data:`READING` key, 1-based step); default from
        the address (``?m=``, ``?s=``), else the start.

    Example
    -------
    >>> page = WorkshopPage(mode="participant", part="00_start")
    >>> page.progress_text
    'Start · Step 1 of 5'
    >>> for _ in range(5): page.next_button.click()
    >>> page.progress_text, page.place
    ('Module 1 of 6 · Step 1 of 6', 'm=1&s=1')
    """

    def __init__(self, mode: str | None = None, part: str | None = None,
                 step: int | None = None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-workshop")
        self.ids = _ids()
        self.mode = mode or "participant"
        self.add_class(f"bondlab-mode-{self.mode}")  # the look of the mode (kit.css)
        self.part, self.place = START, ""
        #: every part built so far, kept for the rest of the visit (see the module's note)
        self.built: dict[str, w.Widget] = {}
        self._known = False  # the address has been applied
        self._queued: list[str] = []  # places the browser sent before that
        self.status = status_line()
        self.menu = w.Dropdown(options=self._menu_options(), value=START, description="Go to",
                               style={"description_width": "initial"})
        self.open_button = w.Button(description="Open", tooltip="Open the chosen part")
        self.open_button.on_click(guard(self._open_chosen, self.status))
        self.follow = FollowBar(self)  # leading the room / following it (widgets/follow.py)
        top = w.HBox([self.menu, self.open_button, self.follow])
        top.add_class("bondlab-menu")
        self.progress = w.HTML()
        #: facilitator mode: "Room ready: 28 of 30 pages" while the server keeps a pool
        self.room_ready = w.HTML(layout=w.Layout(display="none"))
        self.room_ready.add_class("bondlab-room-ready")
        self.view = w.Box(layout=w.Layout(display="block"))
        self.back_button = w.Button(description="Back", icon="arrow-left")
        self.next_button = w.Button(description="Next", icon="arrow-right",
                                    button_style="primary")
        for b in (self.back_button, self.next_button):
            b.layout = w.Layout(min_width="7rem", height="2.5rem")
            b.add_class("bondlab-nav-button")
        self.back_button.on_click(guard(self.back, self.status))
        self.next_button.on_click(guard(self.next, self.status))
        self.nav = w.HBox([self.back_button, self.next_button],
                          layout=w.Layout(align_items="center", flex_flow="row wrap",
                                          margin="1rem 0 0 0"))
        self.nav.add_class("bondlab-nav")
        # The two hidden widgets the template's script talks through (see the module note).
        self.signal = w.HTML(layout=w.Layout(display="none"))
        self.signal.add_class("bondlab-place-signal")
        self.inbox = w.Text(layout=w.Layout(display="none"), description="Place")
        self.inbox.add_class("bondlab-go")
        self.inbox.observe(guard(self._from_browser, self.status), names="value")
        self.children = kit_style() + [top, self.room_ready, self.progress, self.view, self.nav,
                                       self.status, self.signal, self.inbox]
        self._explicit = (mode, part, step)
        if not when_query_known(self._apply_address):
            self.show(part or START, step or 1)  # until the address arrives
            _build_ahead(self, asyncio.get_running_loop())

    # -- the address ----------------------------------------------------------------
    def _apply_address(self):
        """Mode and place from the page's address, once the request has arrived."""
        mode, part, step = self._explicit
        wanted = mode or page_mode()
        if part is None:
            params = {"m": [query_param("m") or ""], "s": [query_param("s") or ""],
                      "room": [query_param("room") or ""]}
            part, step = parse_place(params, self.ids)
        if wanted != self.mode:
            self.remove_class(f"bondlab-mode-{self.mode}")
            self.add_class(f"bondlab-mode-{wanted}")
            self.mode = wanted
            _close_later(list(self.built.values()))  # built in the default mode: rebuilt
            self.built.clear()
            self.menu.options = self._menu_options()
        self._known = True
        if self.mode == "facilitator":
            self._say_room_ready()
        self.show(part or START, step or 1)
        for text in self._queued:
            self.go_to(text)
        self._queued.clear()

    #: Seconds between two looks at the server's ready count (facilitator mode only).
    ROOM_READY_EVERY = 5.0

    def _say_room_ready(self) -> None:
        """Show how many workshop pages the server keeps ready (``ROOM=30 make workshop``),
        and look again every :attr:`ROOM_READY_EVERY` s while the page is open."""
        from workshop.room import read_ready

        said = read_ready()
        if said is None:
            self.room_ready.layout.display = "none"
        else:
            ready, of = said
            text = f"Room ready: {ready} of {of} pages" + (
                "" if ready == of else " (more are being prepared; people can join already)")
            self.room_ready.value = f'<p class="bondlab-room-ready-line">{html.escape(text)}</p>'
            self.room_ready.layout.display = None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python: said once
            return
        if self.comm is not None:  # closed pages stop looking
            loop.call_later(self.ROOM_READY_EVERY, guard(self._say_room_ready, self.status))

    def _from_browser(self, change):
        text = str(change["new"] or "")[:500]
        if not text:
            return
        self.inbox.value = ""  # the same link can be followed again
        if text.startswith("width="):  # the module column's width: figures follow it
            if _INT.fullmatch(text[6:]) and fit_page(int(text[6:])) is not None:
                self._update()
            return
        if not self._known:
            self._queued.append(text)
        else:
            self.go_to(text)

    def go_to(self, query: str) -> None:
        """Go to the place in ``query`` (``"m=2&s=3"``); anything unknown is ignored."""
        part, step = parse_place(parse_qs(query[:500]), self.ids)
        if part is not None:
            self.show(part, step)

    def prepare_next(self) -> None:
        """Build and draw, without showing it, the step Next would show (the next module's
        first step at a module's end), so that moving there later waits only for the
        picture to be sent. A following page does this while the room is on a step
        (widgets/follow.py)."""
        stepper = self._stepper()
        if stepper is not None and stepper.index < stepper.n_steps - 1:
            _draw_ahead(stepper.step_widget(stepper.index + 1))
        elif self._neighbour(+1) and stepper is not None:
            _draw_ahead(self.part_widget(self._neighbour(+1)))

    # -- parts ----------------------------------------------------------------------
    def _menu_options(self):
        from workshop.content import load_module

        options = []
        for mid in self.ids:
            try:
                title = load_module(mid).title
            except Exception:  # noqa: BLE001 -- the part itself will say so calmly
                logger.exception("could not read module %s", mid)
                title = mid[:2]
            options.append(("Start" if mid == START else title, mid))
        return options + [(label, key) for key, (label, _) in READING.items()]

    def _build(self, part: str) -> w.Widget:
        links = lambda text: in_page_links(text, self.mode)  # noqa: E731
        if part in READING:
            return safe_build(_reading, part, self.mode, links)
        return safe_build(ModulePage, part, mode=self.mode, start=1, navigation=False,
                          links=links)

    def part_widget(self, part: str) -> w.Widget:
        """The widget of ``part``, built on its first visit and kept."""
        if part not in self.built:
            self.built[part] = self._build(part)
            self.follow.watch(part, self.built[part])
        return self.built[part]

    def _stepper(self, part: str | None = None):
        return getattr(self.built.get(part or self.part), "stepper", None)

    def show(self, part: str, step: int | None = None) -> None:
        """Show ``part`` at ``step`` (1-based, clamped; -1 the last; None where it was)."""
        if part not in READING and part not in self.ids:
            part = START
        widget = self.part_widget(part)
        if part != self.part:
            self._release_figures(self.part)
        stepper = self._stepper(part)
        if stepper is not None and not stepper.content.children:
            stepper.show_step()  # its step was released when the page left it
        if stepper is not None and step is not None:
            stepper.go(stepper.n_steps if step == -1 else step)
        self.part = part
        self.view.children = [widget]
        if self.menu.value != part:
            self.menu.value = part
        self._update()

    def _release_figures(self, part: str) -> None:
        stepper = self._stepper(part)
        if stepper is not None and stepper.release(
                lambda widget: next(_canvases(widget), None) is not None, visible_too=True):
            _give_back_memory_soon()

    # -- navigation -------------------------------------------------------------------
    def _neighbour(self, delta: int) -> str | None:
        if self.part not in self.ids:
            return None
        i = self.ids.index(self.part) + delta
        return self.ids[i] if 0 <= i < len(self.ids) else None

    def next(self, _button=None):
        stepper = self._stepper()
        if stepper is not None and stepper.index < stepper.n_steps - 1:
            stepper.go(stepper.index + 2)
            self._update()
        elif self._neighbour(+1):
            self.show(self._neighbour(+1), 1)

    def back(self, _button=None):
        stepper = self._stepper()
        if stepper is not None and stepper.index > 0:
            stepper.go(stepper.index)
            self._update()
        elif self._neighbour(-1):
            self.show(self._neighbour(-1), -1)

    def _open_chosen(self, _button=None):
        self.show(self.menu.value)

    @property
    def progress_text(self) -> str:
        if self.part in READING:
            return READING[self.part][0]
        n = len(self.ids) - 1
        where = "Start" if self.part == START else f"Module {int(self.part[:2])} of {n}"
        stepper = self._stepper()
        return f"{where} · {stepper.progress_text}" if stepper is not None else where

    def _update(self):
        stepper = self._stepper()
        reading = self.part in READING
        self.progress.value = progress_html(self.progress_text, *(
            (stepper.index + 1, stepper.n_steps) if stepper is not None else (0, 0)))
        self.nav.layout.display = "none" if reading else None
        at_start = stepper is None or stepper.index == 0
        at_end = stepper is None or stepper.index == stepper.n_steps - 1
        before, after = self._neighbour(-1), self._neighbour(+1)
        self.back_button.disabled = at_start and before is None
        self.next_button.disabled = at_end and after is None
        self.back_button.description = "Previous module" if at_start and before else "Back"
        self.next_button.description = "Next module" if at_end and after else "Next"
        self.back_button.tooltip = ("Go to the previous step" if not at_start else
                                    "Go to the end of the previous module" if before else
                                    "This is the first step")
        self.next_button.tooltip = ("Go to the next step" if not at_end else
                                    "Go to the next module" if after else
                                    "This is the end of the workshop")
        step = stepper.index + 1 if stepper is not None else 1
        self.place = f"m={_key(self.part)}" + ("" if reading else f"&s={step}")
        # numbers only: where the person is, and what the figures shown are fitted to
        # (their width and smallest text in CSS px), and the mode once the page's address
        # has been applied (until then the page shows the start as a participant would);
        # the browser tests read these
        figs = [c.figure for c in _canvases(self.view)]
        fit = (f' data-mode="{self.mode}"' if self._known else "") + (
            f' data-width="{page_width():.0f}"') + (
            f' data-text-px="{min(smallest_text_px(f) for f in figs):.1f}"' if figs else "")
        self.signal.value = f'<span data-place="{html.escape(self.place)}"{fit}></span>'
        self.follow.moved()


#: Seconds after a move before the released figures' memory is collected, plus up to as
#: much again at random: a full collection costs 0.15-0.3 s of CPU, and a room of 30
#: pressing Next together waited for 30 of them before their pages moved.
COLLECT_AFTER = 3.0
_collecting = []


def _give_back_memory_soon() -> None:
    """:func:`_give_back_memory` a few seconds from now, once (the move is answered first;
    a room's kernels collect at different moments). At once without an event loop."""
    import random

    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        _give_back_memory()
        return
    if _collecting:
        return

    def collect():
        _collecting.clear()
        _give_back_memory()

    _collecting.append(loop.call_later(COLLECT_AFTER * (1 + random.random()), collect))


#: Seconds before the parts built in the wrong mode are closed: the browser is still
#: making its models of them from the page's state when the address arrives, and a close
#: for a model it has not made yet shows as "Comm not found" in its console.
CLOSE_AFTER = 30.0


def _close_later(widgets) -> None:
    """Close ``widgets`` (and all they hold) :data:`CLOSE_AFTER` s from now, then give
    their memory back; at once without an event loop."""
    def close():
        for widget in widgets:
            close_tree(widget)
        _give_back_memory_soon()

    try:
        asyncio.get_running_loop().call_later(CLOSE_AFTER, close)
    except RuntimeError:
        close()


def _give_back_memory() -> None:
    """Collect the released figures now, and hand the freed memory back to the system
    (glibc keeps freed blocks for reuse otherwise; elsewhere only the collection runs)."""
    import ctypes
    import gc

    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


def _reading(key: str, mode: str, links) -> w.Widget:
    """A reading page, built by its own component; its links kept inside the page."""
    if key == "guide":
        from widgets.guide import show_guide
        page = show_guide()
    elif key == "sources":
        from widgets.references import show_references
        page = show_references()
    else:
        from widgets.class_experiment import FacilitatorDashboard, ParticipantRoom
        page = (FacilitatorDashboard() if mode == "facilitator"
                else ParticipantRoom(code=query_param("room")))
    if isinstance(page, w.HTML):
        page.value = links(page.value)
    return w.VBox([w.HTML(f'<h1 tabindex="-1">{html.escape(READING[key][0])}</h1>'), page])


def show_workshop():
    """The whole workshop as one widget: the one call of ``notebooks/index.ipynb``.

    Never raises: a failure shows a calm line and logs the reason on the server.
    """
    return safe_build(WorkshopPage)


def _canvases(widget):
    stack = [widget]
    while stack:
        item = stack.pop()
        if hasattr(item, "figure") and hasattr(item, "handle_draw"):
            yield item
        stack.extend(getattr(item, "children", ()))


def _draw_ahead(widget) -> None:
    """Draw the figures in ``widget`` now; each LiveFigure reuses the frame when shown."""
    for canvas in _canvases(widget):
        live = getattr(canvas.handle_draw, "__self__", None)
        if hasattr(live, "render"):
            live.render()


#: Seconds a ready kernel waits after building its page before building modules ahead: a
#: page asked for while its kernel is still starting (the first page after start-up, a
#: room larger than the pool) is answered at once instead of after a module's 1-3 s of
#: CPU. server/preheat.py waits longer than this before counting the kernel ready.
AHEAD_AFTER = 2.0


def _build_ahead(page: WorkshopPage, loop) -> None:
    """In a ready kernel, before anyone asks for its page: build every module's first step
    and draw its figures, one module per turn of the kernel's event loop, so that a room
    moving to a module at the same moment waits only for the picture to be sent. The page
    itself is already built and can be sent meanwhile; a turn takes well under a second of
    CPU. Stops as soon as the page's address has arrived (what is left is built on its
    first visit, in the page's mode).
    """
    import time

    todo = [mid for mid in page.ids if mid not in page.built]
    spent = [0.0]

    def one():
        if page._known or query_arrived() or not todo:
            logger.info("built %d modules ahead in %.2f s of CPU", len(page.ids) - len(todo)
                        - 1, spent[0])
            return
        t0 = time.process_time()
        _draw_ahead(page.part_widget(todo.pop(0)))
        spent[0] += time.process_time() - t0
        loop.call_soon(one)

    loop.call_later(AHEAD_AFTER, one)
