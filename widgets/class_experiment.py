"""The room as a live experiment: everyone plays "Check your phone", the room sees the pattern.

Two views of one page (``notebooks/class_experiment.ipynb``), chosen by the query string:

- **Participant** (``?room=CODE``): the page says exactly what would be shared and asks
  first. With a yes, the room assigns the hidden schedule (balanced), the lever game runs,
  and the result (schedule, checks, checks after the messages stopped, seconds to stop; no
  name, no free text) is stored once in the room (:mod:`workshop.room`). With a no, the
  game is the same and nothing leaves the page. Afterwards "See the room's results" shows
  the room's counts and medians once the facilitator has revealed them, never a row.
  Without a room code, or with a wrong or expired one, a calm line and the plain game.
- **Facilitator** (``?mode=facilitator``): nothing but a key field until the facilitator
  key (printed by the server at start) is typed in. Then: start a room (code, link, QR code
  drawn here, no web service), the live dashboard meant for the projector (joined and
  finished counts; each schedule's median and middle half beside the model's prediction, only
  once :func:`workshop.room.min_group` people share it; a text summary), refresh and a
  pausable auto-refresh, reveal, close, CSV download made in the browser with what to do with
  the file, delete with confirmation, and the retention period. The single results are in a
  separate panel, folded, marked "not for the projector".

Every callback runs inside :func:`widgets.common.guard`; every value that reaches the room
is validated by :mod:`workshop.room`, which logs and refuses anything malformed.

Example
-------
>>> import tempfile, pathlib
>>> db = pathlib.Path(tempfile.mkdtemp()) / "rooms.sqlite3"
>>> from workshop import room
>>> code = room.start_room(path=db)
>>> page = ParticipantRoom(code=code, path=db)
>>> page.yes_button.click(); page.game.kind in ("continuous", "variable")
True
"""
from __future__ import annotations

import asyncio
import datetime as _dt
import html
import os
import re
import time
from urllib.parse import quote

import ipywidgets as w
import numpy as np
import traitlets

import bondlab
from workshop import room
from widgets.common import (calm_message, guard, logger, number_control, page_mode,
                            query_param, safe_build, status_line)
from widgets.lever_game import LeverGame
from widgets.live_figure import figure_panel, figure_summary, new_figure, set_summary
from widgets.panel import heading
from workshop.figures import style_axes
from workshop.style import COLORS, OKABE_ITO

__all__ = ["class_experiment", "ParticipantRoom", "FacilitatorDashboard", "SHARED_LINE",
           "NO_ROOM", "WRONG_CODE", "participant_link", "draw_room", "update_room",
           "describe_room", "single_results_html", "EXPORT_LINE"]

LABELS = {"continuous": "Every check (continuous)", "variable": "Unpredictable (variable)"}
SHORT = {"continuous": "every-check", "variable": "unpredictable"}
SHARED_LINE = ("What will be shared if you say yes: which hidden schedule you had, how many "
               "times you checked, how many checks came after the messages stopped, and how "
               "many seconds you kept going. No name and no free text. Beside them the page "
               "stores a random number and the times it joined and finished, so that your "
               "result is counted once. "
               "Where: on the computer that runs this workshop, and nowhere else. "
               "Who sees what: the projected screen shows only each schedule\u2019s middle "
               "values, and only once at least {group} people on that schedule have finished. "
               "The facilitator can see each result, without a name, on their own screen. "
               "You and everyone else in the room see the same middle values when the "
               "facilitator shares them. "
               "How long: your result is deleted on {until}, within {days} days, or sooner if "
               "the facilitator deletes it. The facilitator may save a copy without names for "
               "teaching; they are asked to delete it by the same date.")
NO_LINE = "If you say no, you still play the game, and nothing leaves this page."
NO_ROOM = ("To join your group\u2019s experiment, ask your facilitator for the room link "
           "(or type the room code below). You can still play on your own: nothing you do "
           "here leaves this page.")
WRONG_CODE = ("We could not find an open room with that code. It may have ended, or a letter "
              "may be different: ask your facilitator for the link. You can still play on "
              "your own below; nothing leaves this page.")
ROOM_INTRO = ("Press \u201cCheck for messages\u201d whenever you like, as often as you like. "
              "When you feel like stopping, press \u201cI\u2019d stop checking now\u201d. There "
              "is no right way to play. When you stop, your result is added to the room\u2019s "
              "results, as you agreed: no name, no free text.")
KEY_HELP = ("Type the facilitator key that the server printed when it started (or the one in "
            "your key file). It is never part of the page\u2019s address.")
AUTO_SECONDS = 5.0
MAX_KEY_TRIES = 5
CSV_NAME = "results.csv"
EXPORT_LINE = ("The file is a copy on this device: deleting the room here does not reach it. "
               "Use it only for teaching, keep it out of shared folders, and delete it by "
               "{until}, when the room\u2019s results are deleted here. Keeping or analysing "
               "it for research needs ethics approval.")
SINGLE_TITLE = "Single results \u2014 not for the projector"


def _date(seconds: float) -> str:
    return _dt.datetime.fromtimestamp(seconds).strftime("%d %B %Y, %H:%M")


def _btn(description, tooltip, icon="", style=""):
    return w.Button(description=description, tooltip=tooltip, icon=icon, button_style=style,
                    layout=w.Layout(min_width="10rem", height="2.5rem"))


def _p(text, cls=""):
    cls = f' class="{cls}"' if cls else ""
    return f"<p{cls}>{html.escape(text)}</p>"


# --------------------------------------------------------------------------- participant

def result_of(game: LeverGame) -> dict:
    """The values a finished game shares: checks, checks after the last message, seconds."""
    presses = len(game.presses)
    if game.stop_index is None:  # stopped before the messages ran out
        return {"presses": presses, "presses_after_stop": 0, "seconds_to_stop": None}
    last_message = game.presses[game.stop_index - 1][0] if game.stop_index else 0.0
    stopped = game.stopped_at if game.stopped_at is not None else game.presses[-1][0]
    return {"presses": presses, "presses_after_stop": game.after_stop(),
            "seconds_to_stop": round(max(0.0, stopped - last_message), 2)}


class ParticipantRoom(w.VBox):
    """A participant's page in a room: consent first, then the game, then the room's view.

    Parameters
    ----------
    code : str, optional
        The room code from the link (``?room=``); None shows the plain game and a code field.
    path : path, optional
        The rooms database (default :func:`workshop.room.db_path`).
    seed : int, optional
        Seed for the game's random draws (tests).
    """

    #: The room this page is in, once its code checks out (kernel-side only, never sent to
    #: the browser): the workshop page observes it to offer following (widgets/follow.py).
    code = traitlets.Unicode(None, allow_none=True)

    def __init__(self, code=None, path=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-class-experiment")
        self.add_class("bondlab-room-participant")
        self.path, self.seed = path, seed
        self.token = room.new_token()
        self.code = None          # set once a room code checks out
        self.shared = False       # consent given and the room assigned a schedule
        self.declined = False     # "no": nothing from this page is ever sent
        self.submitted = None     # True once the room holds this page's result
        self.game = None
        self.status = status_line()
        self.notice = w.HTML()
        self.consent = w.VBox()
        self.game_box = w.VBox()
        self.after = w.VBox()
        self.code_field = w.Text(description="Room code", placeholder="6 letters",
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="16rem"))
        self.code_button = _btn("Join the room", "Join with the room code typed here")
        self.code_button.on_click(guard(self.join_typed, self.status))
        self.code_row = w.HBox([self.code_field, self.code_button],
                               layout=w.Layout(flex_flow="row wrap", align_items="center"))
        # Two equal choices: neither answer is the highlighted one.
        self.yes_button = _btn("Yes, share my result", "Share the four values listed above",
                                icon="check")
        self.no_button = _btn("No, keep it on this page",
                               "Play without sending anything", icon="times")
        self.yes_button.on_click(guard(self.agree, self.status))
        self.no_button.on_click(guard(self.decline, self.status))
        self.see_button = _btn("See the room\u2019s results",
                                "Show the room's totals if the facilitator has shared them",
                                icon="users")
        self.see_button.on_click(guard(self.see_room, self.status))
        self.room_view = w.HTML()
        self.children = [self.notice, self.code_row, self.consent, self.game_box, self.after,
                         self.status]
        if code is None:
            self._solo(NO_ROOM)
        else:
            self.open_code(code)

    # -- joining
    def open_code(self, code):
        """Check the code; a room that is open asks for consent, anything else plays solo."""
        try:
            self.room = room.open_room(code, path=self.path)
        except room.RoomError as error:  # wrong, forged, deleted, expired or closed
            logger.info("participant page: room code not usable: %s", error)
            self._solo(WRONG_CODE)
            return
        self.code = self.room.code
        self.notice.value = ""
        self.code_row.layout.display = "none"
        days = self.shown_days = self.room.retention_days
        line = SHARED_LINE.format(days=days, until=_date(self.room.expires),
                                  group=room.min_group())
        self.consent.children = [
            w.HTML(f'<div class="bondlab-consent" role="group" aria-label="Sharing your result">'
                   f"<h3>The room\u2019s experiment</h3>"
                   + _p(line) + _p(NO_LINE) +
                   "<p><strong>Would you like to share your result with the room?</strong></p>"
                   "</div>"),
            w.HBox([self.yes_button, self.no_button],
                   layout=w.Layout(flex_flow="row wrap")),
        ]
        self.game_box.children = []

    def join_typed(self, _button=None):
        """The code field's button: a typed code is checked like one from the link."""
        if self.code is not None:
            return
        self.open_code(self.code_field.value)
        if self.code is None:
            self.notice.value = calm_message(WRONG_CODE)

    def _solo(self, message):
        self.notice.value = calm_message(message)
        self.code_row.layout.display = None
        self.consent.children = []
        self._play(kind=None, intro=None)

    def _play(self, kind, intro):
        """The game: the room's schedule and result hook when shared (``kind`` given), else
        the page's own draw and nothing sent; the room's settings whenever there is a room."""
        settings = getattr(self, "room", None)
        game = LeverGame(seed=self.seed, kind=kind, intro=intro,
                         rewards=settings.rewards if settings else 8,
                         ratio=settings.ratio if settings else 4.0,
                         on_finish=self.finished if kind else None)
        self.game = game
        self.game_box.children = [game]

    def agree(self, _button=None):
        """Consent given: the room assigns the schedule; the result will be sent at the end."""
        if self.code is None or self.shared or self.declined:
            return
        try:
            kind = room.join(self.code, self.token, shown_days=self.shown_days,
                             path=self.path)
        except room.RoomError as error:
            logger.info("participant page: could not join %s: %s", self.code, error)
            self.code = None
            self.consent.children = []
            self._solo("This room is not taking results any more. You can still play on your "
                       "own below; nothing leaves this page.")
            return
        self.shared = True
        self.consent.children = [w.HTML(_p("Thank you. Your result will be added to the "
                                           "room\u2019s results when you stop."))]
        self._play(kind=kind, intro=ROOM_INTRO)

    def decline(self, _button=None):
        """No consent: the plain game; nothing is sent, ever, from this page."""
        if self.shared:
            return
        self.declined = True
        self.consent.children = [w.HTML(_p("You chose to keep your result on this page. "
                                           "Nothing will be sent."))]
        self._play(kind=None, intro=None)

    # -- after the game
    def finished(self, game):
        """``on_finish`` of a shared game: store the result once, then offer the room's view."""
        if not self.shared or game is not self.game:
            return
        try:
            stored = room.submit(self.code, self.token, game.kind, path=self.path,
                                 **result_of(game))
        except room.Refused:
            self.after.children = [w.HTML(calm_message(
                "Your result could not be added to the room; it stays on this page."))]
            return
        except room.RoomError:
            self.after.children = [w.HTML(calm_message(
                "The room closed before you finished, so your result was not added. It stays "
                "on this page."))]
            return
        if stored:
            text = "Your result is now part of the room\u2019s results. Thank you."
        else:  # "Play again": the room keeps the first round only
            text = "The room already has your first round. This round stays on this page."
        self.submitted = True
        self.after.children = [w.HTML(calm_message(text)), self.see_button, self.room_view]

    def see_room(self, _button=None):
        """The room's counts and medians, if the facilitator has revealed them."""
        if self.code is None:
            return
        try:
            current = room.get_room(self.code, path=self.path)
        except room.RoomError:
            self.room_view.value = calm_message("The room\u2019s results have been deleted.")
            return
        if not current.revealed:
            self.room_view.value = calm_message(
                "The facilitator has not shared the room\u2019s results yet. Try again when "
                "they say so.")
            return
        self.room_view.value = aggregate_html(room.aggregate(self.code, path=self.path))


def aggregate_html(agg: dict) -> str:
    """The room's totals and medians as a small table with a caption (no rows)."""
    cells = []
    for kind in room.KINDS:
        a = agg[kind]
        after = "\u2014" if a["median_after"] is None else f"{a['median_after']:g}"
        secs = "\u2014" if a["median_seconds"] is None else f"{a['median_seconds']:.0f}"
        cells.append(f"<tr><th scope=\"row\">{html.escape(LABELS[kind])}</th>"
                     f"<td>{a['finished']}</td><td>{after}</td><td>{secs}</td></tr>")
    return ('<table class="bondlab-room-table"><caption>The room\u2019s results (middle values; '
            f"a dash where fewer than {room.min_group()} people share a schedule)</caption>"
            "<thead><tr><th scope=\"col\">Schedule</th><th scope=\"col\">People</th>"
            "<th scope=\"col\">Checks after messages stopped</th>"
            "<th scope=\"col\">Seconds to stop</th></tr></thead><tbody>"
            + "".join(cells) + "</tbody></table>")


# --------------------------------------------------------------------------- facilitator

_HOST = re.compile(r"[A-Za-z0-9.\-\[\]:]{1,253}")
_PATH = re.compile(r"/[A-Za-z0-9/._~-]{0,500}")
_LOCAL = ("localhost", "127.0.0.1", "::1", "[::1]")


def participant_link(code: str) -> tuple[str, bool]:
    """The participants' link for ``code`` and whether it only works on this computer.

    Built from ``$BONDLAB_PUBLIC_URL`` (e.g. ``http://192.168.1.20:8866``) when set, else
    from the address the facilitator's own page was opened at (Voila gives the kernel the
    request's host and path).
    """
    code = room.valid_code(code)
    path = os.environ.get("SCRIPT_NAME") or ""
    if not _PATH.fullmatch(path):
        path = "/voila/render/class_experiment.ipynb"
    base = (os.environ.get("BONDLAB_PUBLIC_URL") or "").strip().rstrip("/")
    if not re.fullmatch(r"https?://[A-Za-z0-9.\-\[\]:]{1,260}(/[A-Za-z0-9/._~-]*)?", base):
        host = os.environ.get("SERVER_NAME") or "localhost"
        host = host if _HOST.fullmatch(host) else "localhost"
        port = os.environ.get("SERVER_PORT") or ""
        port = f":{port}" if port.isdigit() else ""
        base = f"http://{host}{port}"
    host = re.sub(r"^https?://", "", base).split("/")[0].rsplit(":", 1)[0]
    return f"{base}{path}?room={code}", host in _LOCAL


def qr_image(url: str) -> str:
    """An ``<img>`` holding the link's QR code as a data: URL (segno, drawn in the kernel)."""
    import segno

    uri = segno.make(url, error="m").svg_data_uri(scale=6, border=4)
    return (f'<img class="bondlab-qr" src="{uri}" width="220" height="220" '
            f'alt="QR code for the participants\u2019 link, {html.escape(url)}">')


_PREDICTIONS: dict = {}


def predictions(rewards: int, ratio: float) -> dict:
    """The engine's checks-after-stop prediction for both schedules (cached per setting)."""
    key = (int(rewards), float(ratio))
    if key not in _PREDICTIONS:
        _PREDICTIONS[key] = {
            "continuous": bondlab.presses_after_rewards_stop("continuous", rewards=key[0]),
            "variable": bondlab.presses_after_rewards_stop("variable", rewards=key[0],
                                                           ratio=key[1]),
        }
    return _PREDICTIONS[key]


FIELDS = ("presses_after_stop", "seconds_to_stop")


def draw_room(axes, data: list[dict], predicted: dict) -> dict:
    """Each schedule's median and middle half (group figures only), beside the model's.

    Left: checks after the messages stopped; right: seconds from the last message to
    stopping; over the results where the messages stopped. What the projector shows: no
    single result, and a schedule's figures only once :func:`workshop.room.min_group` people
    share it (until then a line says how many are needed). Makes the artists once;
    :func:`update_room` moves them to new data. Returns the artists.

    >>> from matplotlib.figure import Figure
    >>> axes = Figure().subplots(1, 2)
    >>> art = draw_room(axes, [], {"continuous": [10.0], "variable": [40.0]})
    >>> update_room(art, axes, [{"schedule": "variable", "presses_after_stop": 30 + i,
    ...                          "seconds_to_stop": 6.0} for i in range(5)])
    >>> [float(y) for y in art[("variable", "presses_after_stop", "median")].get_ydata()]
    [32.0, 32.0]
    """
    art = {"top": [0.0, 0.0]}
    for i, kind in enumerate(room.KINDS):
        for ax, field in zip(axes, FIELDS):
            art[(kind, field, "middle")], = ax.plot(
                [i - 0.12] * 2, [np.nan, np.nan], color=COLORS[i], linewidth=10, alpha=0.45,
                solid_capstyle="butt", label="Room: middle half" if i == 0 else None)
            art[(kind, field, "median")], = ax.plot(
                [i - 0.3, i + 0.06], [np.nan, np.nan], color=OKABE_ITO["black"],
                linewidth=3, label="Room\u2019s median" if i == 0 else None)
            art[(kind, field, "wait")] = ax.text(
                i - 0.12, 0.0, "", ha="center", va="bottom", fontsize=12, wrap=True)
        med, q25, q75 = bondlab.band(predicted[kind])
        art[(kind, "model")] = axes[0].errorbar(
            [i + 0.22], [med], yerr=[[med - q25], [q75 - med]], marker="D", markersize=9,
            color=COLORS[2], capsize=6, linestyle="none",
            label="Model: median, middle half" if i == 0 else None)
        art["top"][0] = max(art["top"][0], float(q75))
    for ax, title, ylabel in zip(axes, ("Checks after messages stopped", "Time to stop"),
                                 ("Checks", "Seconds after the last message")):
        ax.set_xticks([0, 1], ["Every check\n(continuous)", "Unpredictable\n(variable)"])
        ax.set_xlim(-0.6, 1.6)
        style_axes(ax, title=title, ylabel=ylabel)
        ax.legend(loc="upper left", frameon=False, fontsize=12)
    update_room(art, axes, data)
    return art


def update_room(art: dict, axes, data: list[dict]) -> None:
    """Move :func:`draw_room`'s group figures to ``data`` (in place); the axes' tops follow
    the group figures and the model only, never a single result."""
    group = room.min_group()
    figures = room.group_figures(data, group)
    tops = list(art["top"])
    for kind in room.KINDS:
        g = figures[kind]
        for j, (field, name) in enumerate(zip(FIELDS, ("after", "seconds"))):
            median, middle = g[f"median_{name}"], g[f"middle_{name}"]
            art[(kind, field, "median")].set_ydata([np.nan if median is None else median] * 2)
            art[(kind, field, "middle")].set_ydata(list(middle) if middle else [np.nan] * 2)
            art[(kind, field, "wait")].set_text(
                "" if median is not None else f"shown once\n{group} have\nfinished here")
            if middle:
                tops[j] = max(tops[j], float(middle[1]))
    for j, ax in enumerate(axes):
        top = max(tops[j], 1.0)
        ax.set_ylim(0, top * 1.25)  # room above the figures for the legend


def describe_room(data: list[dict], predicted: dict, counts: dict) -> str:
    """The text beside the figure: counts, each schedule's medians once enough people share
    it, the model's medians. Like the figure, never a single result."""
    group = room.min_group()
    figures = room.group_figures(data, group)
    text = (f"{counts['joined']} joined, {counts['finished']} finished. ")
    parts = []
    for kind in room.KINDS:
        g = figures[kind]
        model = float(np.median(predicted[kind]))
        if g["median_after"] is not None:
            parts.append(f"On the {SHORT[kind]} schedule, {g['stopped']} kept going after the "
                         f"messages stopped: they checked a median of {g['median_after']:g} "
                         f"more times and stopped a median of {g['median_seconds']:.0f} seconds "
                         f"after the last message (the model: about {model:.0f} checks).")
        else:
            parts.append(f"The {SHORT[kind]} schedule\u2019s figures are shown once {group} "
                         f"people on it have finished after the messages stopped (the model: "
                         f"about {model:.0f} checks).")
    return text + " ".join(parts)


def single_results_html(data: list[dict]) -> str:
    """The room's single results as a table: for the facilitator's own screen only."""
    if not data:
        return _p("No results yet.")
    dash = "\u2014"
    body = "".join(
        f"<tr><td>{r['row']}</td><td>{html.escape(LABELS[r['schedule']])}</td>"
        f"<td>{r['presses']}</td><td>{r['presses_after_stop']}</td><td>"
        f"{dash if r['seconds_to_stop'] is None else format(r['seconds_to_stop'], '.1f')}"
        f"</td></tr>" for r in data)
    return ('<table class="bondlab-room-table bondlab-single-results"><caption>Each result, '
            "without names (a dash: stopped before the messages ran out). For your screen "
            "only: close this panel before projecting.</caption><thead><tr>"
            '<th scope="col">Row</th><th scope="col">Schedule</th><th scope="col">Checks</th>'
            '<th scope="col">Checks after messages stopped</th>'
            '<th scope="col">Seconds to stop</th></tr></thead><tbody>' + body
            + "</tbody></table>")


class FacilitatorDashboard(w.VBox):
    """The facilitator's room: key first, then start/open a room and the live dashboard.

    Parameters
    ----------
    path : path, optional
        The rooms database (default :func:`workshop.room.db_path`).
    """

    #: The room on the dashboard (kernel-side only): the workshop page observes it to offer
    #: leading the room (widgets/follow.py), with :attr:`lead_pass`.
    code = traitlets.Unicode(None, allow_none=True)

    def __init__(self, path=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-class-experiment")
        self.add_class("bondlab-room-dashboard")
        self.path = path
        self.unlocked = False
        self.lead_pass = None  # made from the key once it matched (workshop.room.lead_pass)
        self.tries = 0
        self.code = None
        self._timer = None
        self.status = status_line()
        self.key_field = w.Password(description="Facilitator key", placeholder="XXXX-XXXX-XXXX-XXXX",
                                    style={"description_width": "initial"},
                                    layout=w.Layout(width="24rem"))
        self.unlock_button = _btn("Unlock", "Check the key and open the dashboard",
                                   icon="unlock")
        self.unlock_button.on_click(guard(self.unlock, self.status))
        self.children = [heading("The room\u2019s experiment"), w.HTML(_p(KEY_HELP)),
                         w.HBox([self.key_field, self.unlock_button],
                                layout=w.Layout(flex_flow="row wrap", align_items="center")),
                         self.status]

    # -- key
    def unlock(self, _button=None):
        """Compare the typed key with the server's (constant time); then build the dashboard."""
        if self.unlocked:
            return
        typed, self.key_field.value = self.key_field.value, ""
        if self.tries >= MAX_KEY_TRIES:
            return
        if not room.check_key(typed):
            self.tries += 1
            if self.tries >= MAX_KEY_TRIES:
                self.key_field.disabled = self.unlock_button.disabled = True
                self.status.value = calm_message("That key does not match, and this page "
                                                 "takes no more tries. Reload it to try again.")
            else:
                self.status.value = calm_message(
                    "That key does not match. It is printed in the terminal where the server "
                    "was started.")
            return
        self.unlocked = True
        self.lead_pass = room.lead_pass(typed)
        self.status.value = ""
        self._build_setup()

    def _need_key(self):
        if not self.unlocked:
            raise PermissionError("facilitator action without the key")

    def _build_setup(self):
        self.rewards = number_control(room.SETTINGS["rewards"], "rewards")
        self.ratio = number_control(room.SETTINGS["ratio"], "ratio")
        self.retention = number_control(room.SETTINGS["retention_days"], "retention_days")
        self.start_button = _btn("Start a room", "Make a new room code and link",
                                  icon="play", style="primary")
        self.start_button.on_click(guard(self.start, self.status))
        self.open_field = w.Text(description="Room code", placeholder="6 letters",
                                 style={"description_width": "initial"},
                                 layout=w.Layout(width="16rem"))
        self.open_button = _btn("Open this room", "Return to a room you started earlier",
                                 icon="folder-open")
        self.open_button.on_click(guard(self.open_existing, self.status))
        self.setup = w.VBox([
            w.HTML("<h3>Start a room</h3>"), self.rewards, self.ratio, self.retention,
            self.start_button,
            w.HTML(_p("Or return to a room you started earlier:")),
            w.HBox([self.open_field, self.open_button],
                   layout=w.Layout(flex_flow="row wrap", align_items="center"))])
        self.panel = w.VBox()
        self.children = [heading("The room\u2019s experiment"), self.setup, self.panel,
                         self.status]

    # -- rooms
    def start(self, _button=None):
        """A new room with the chosen settings."""
        self._need_key()
        try:
            code = room.start_room(rewards=self.rewards.value, ratio=self.ratio.value,
                                   retention_days=self.retention.value, path=self.path)
        except room.Refused as error:
            self.status.value = calm_message(f"The room could not start: {error.reason}.")
            return
        self.show_room(code)

    def open_existing(self, _button=None):
        """Return to a room by its code (after a reload, say)."""
        self._need_key()
        try:
            current = room.get_room(self.open_field.value, path=self.path)
        except room.RoomError:
            self.status.value = calm_message("There is no room with that code. It may have "
                                             "been deleted or passed its retention period.")
            return
        self.status.value = ""
        self.show_room(current.code)

    def show_room(self, code):
        """Build the room's panel: code, link, QR code, dashboard, controls."""
        self._need_key()
        self.current = room.get_room(code, path=self.path)
        self.code = self.current.code
        link, local = participant_link(self.code)
        self.link = link
        warn = ("" if not local else _p(
            "This page was opened as localhost, so the link works only on this computer. "
            "Start the server with HOST=0.0.0.0 make workshop and open this page at the "
            "address it prints for others on the network (or set BONDLAB_PUBLIC_URL).",
            "bondlab-calm"))
        self.header = w.HTML(
            f'<div class="bondlab-room-code"><h3>Room code: <span style="font-size:2.2rem;'
            f'letter-spacing:0.2em;font-family:monospace">{self.code}</span></h3>'
            f'<p>Participants open <a href="{html.escape(link)}" target="_blank" '
            f'rel="noopener">{html.escape(link)}</a> or scan the code.</p>{warn}'
            f"{qr_image(link)}</div>")
        self.counts = w.HTML()
        self.fig, self.axes = new_figure(1, 2, figsize=(11, 4.6))
        self.art_code = self._layout_key = self._drawn = None  # drawn on the first refresh
        self.summary = figure_summary("")
        self.refresh_button = _btn("Refresh", "Read the room's results now", icon="refresh")
        self.auto = w.ToggleButton(value=True, description="Auto-refresh every 5 s",
                                   tooltip="Pause or resume refreshing the results",
                                   icon="pause", layout=w.Layout(min_width="14rem",
                                                                 height="2.5rem"))
        self.reveal_button = _btn("Reveal to the room", "Let participants see the totals "
                                   "and medians", icon="eye")
        self.close_button = _btn("Close the room", "Take no more results", icon="lock")
        self.delete_button = _btn("Delete the data\u2026", "Delete every result of this room",
                                   icon="trash", style="danger")
        self.download = w.HTML()
        self.export_note = w.HTML()
        self.singles = w.HTML()
        self.single_panel = w.Accordion([self.singles], selected_index=None)
        self.single_panel.set_title(0, SINGLE_TITLE)
        self.single_panel.add_class("bondlab-not-projected")
        self.confirm = w.HBox(layout=w.Layout(flex_flow="row wrap", align_items="center"))
        self.keep = number_control(room.SETTINGS["retention_days"], "retention_days",
                                   value=self.current.retention_days,
                                   on_change=self.set_retention, status=self.status)
        self.keep.tooltip = ("Days from the room's start until its results are deleted "
                             "automatically. A longer period applies only to results shared "
                             "after the change: results already shared keep the period their "
                             "participants were told")
        self.kept = w.HTML()
        self.refresh_button.on_click(guard(self.refresh, self.status))
        self.auto.observe(guard(self._auto_changed, self.status), names="value")
        self.reveal_button.on_click(guard(self.toggle_reveal, self.status))
        self.close_button.on_click(guard(self.close, self.status))
        self.delete_button.on_click(guard(self.ask_delete, self.status))
        self.panel.children = [
            self.header, self.counts, figure_panel(self.fig, self.summary),
            w.HBox([self.refresh_button, self.auto, self.reveal_button, self.close_button],
                   layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.download, self.delete_button],
                   layout=w.Layout(flex_flow="row wrap", align_items="center")),
            self.export_note, self.confirm, self.keep, self.kept, self.single_panel]
        self.setup.layout.display = "none"
        self.refresh()
        self._schedule()

    def refresh(self, _button=None):
        """Read the room and redraw: counts, group figures, summary, single results, CSV."""
        self._need_key()
        if self.code is None:
            return
        try:
            self.current = room.get_room(self.code, path=self.path)
        except room.RoomError:
            self._gone("This room no longer exists (deleted, or past its retention period).")
            return
        data = room.rows(self.code, path=self.path)
        counts = room.room_counts(self.code, path=self.path)
        predicted = predictions(self.current.rewards, self.current.ratio)
        self.data = data
        drawn = (self.code, tuple(tuple(r.values()) for r in data), counts["joined"])
        if drawn != getattr(self, "_drawn", None):  # unchanged: no render, no new image
            if getattr(self, "art_code", None) != self.code:  # a new room: new artists
                self.art, self.art_code = draw_room(self.axes, data, predicted), self.code
            else:
                update_room(self.art, self.axes, data)
            self._fix_layout()
            self.fig.canvas.draw_idle()
            set_summary(self.summary, describe_room(data, predicted, counts))
            self.singles.value = single_results_html(data)
            self._drawn = drawn
            self.redraws = getattr(self, "redraws", 0) + 1
        state = ("closed: it takes no more results" if self.current.closed
                 else "open: it takes results")
        shown = ("participants can see the totals" if self.current.revealed
                 else "participants cannot see the totals yet")
        self.counts.value = (f'<p role="status"><strong>{counts["joined"]} joined, '
                             f'{counts["finished"]} finished.</strong> The room is {state}; '
                             f"{shown}.</p>")
        self.reveal_button.description = ("Hide from the room" if self.current.revealed
                                          else "Reveal to the room")
        self.close_button.disabled = self.current.closed
        csv_text = room.export_csv(self.code, path=self.path)
        href = "data:text/csv;charset=utf-8," + quote(csv_text, safe="")
        self.download.value = (f'<a class="bondlab-download bondlab-export" download="{CSV_NAME}" '
                               f'href="{href}">Export CSV ({len(data)} rows)</a>')
        until = _date(self.current.expires)
        self.export_note.value = _p(EXPORT_LINE.format(until=until))
        self.kept.value = _p(f"The results are deleted automatically by {until} at the latest "
                             "(each on the date its participant was told), or now with "
                             "\u201cDelete the data\u201d.")
        self.refreshed = time.time()

    def _fix_layout(self):
        """Lay the figure out once, then keep it: constrained layout is about half of each
        render's time, and only the width of the y tick labels can change it."""
        key = tuple(len(f"{ax.get_ylim()[1]:.0f}") for ax in self.axes)
        if key == getattr(self, "_layout_key", None):
            return
        self.fig.set_layout_engine("constrained")
        self.fig.draw_without_rendering()
        self.fig.set_layout_engine("none")
        self._layout_key = key

    # -- auto-refresh (pausable)
    def _schedule(self):
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self.auto.value or self.code is None:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python (tests): refresh by hand
            return
        self._timer = loop.call_later(AUTO_SECONDS, self._tick)

    def _tick(self):
        self._timer = None
        guard(self.refresh, self.status)()
        self._schedule()

    def _auto_changed(self, change):
        self.auto.icon = "pause" if change["new"] else "play"
        self.auto.description = ("Auto-refresh every 5 s" if change["new"]
                                 else "Auto-refresh paused")
        self._schedule()

    # -- actions
    def toggle_reveal(self, _button=None):
        self._need_key()
        room.set_revealed(self.code, not self.current.revealed, path=self.path)
        self.refresh()

    def close(self, _button=None):
        self._need_key()
        room.close_room(self.code, path=self.path)
        self.refresh()

    def set_retention(self, days):
        self._need_key()
        try:
            room.set_retention(self.code, days, path=self.path)
        except room.Refused as error:
            self.status.value = calm_message(f"Not changed: {error.reason}.")
            return
        self.refresh()

    def ask_delete(self, _button=None):
        self._need_key()
        yes = _btn("Yes, delete everything", "Delete this room's results now; this "
                    "cannot be undone", icon="trash", style="danger")
        no = _btn("Cancel", "Keep the results")
        yes.on_click(guard(self.delete, self.status))
        no.on_click(guard(lambda _b: setattr(self.confirm, "children", []), self.status))
        self.confirm.children = [
            w.HTML(_p(f"Delete every result of room {self.code} now? This cannot be undone.")),
            yes, no]

    def delete(self, _button=None):
        self._need_key()
        code = self.code
        room.delete_room(code, path=self.path)
        self._gone(f"Room {code} and all its results are deleted.")

    def _gone(self, message):
        self.code = None
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        self.panel.children = [w.HTML(calm_message(message))]
        self.setup.layout.display = None


def _build():
    if page_mode() == "facilitator":
        return FacilitatorDashboard()
    return ParticipantRoom(code=query_param("room"))


def class_experiment():
    """The page's one call: the facilitator's dashboard (``?mode=facilitator``) or a
    participant's game (``?room=CODE``), chosen from the page's address."""
    return safe_build(_build)
