"""Leading the room: the facilitator's page leads, the room's pages and the projector follow.

One bar in the workshop page's menu (:class:`FollowBar`), in one of three roles:

- **Lead** (``?mode=facilitator``). Once the room's experiment is unlocked with the
  facilitator key and a room is open on it, the bar offers "Lead room CODE". Ticked, every
  move of the page to a module's step writes that place, numbers only (``"m=2&s=3"``), into
  the room's row (:func:`workshop.room.set_lead`, with the key's lead pass). The reading
  pages (the guide, the dashboard) move nobody: the facilitator can read the guide while the
  room stays on the step. Unticked, nobody leads and the followers stay where they are.
- **Follow** (a participant's page, or a student's). Once the page knows the room (it was
  opened with ``?room=CODE``, or the code was typed on the room's page), the bar offers
  "Follow the facilitator". Ticked, the page goes to the facilitator's step and moves with
  it. Moving on one's own pauses following, and the bar says so; "Back to the
  facilitator" goes to their step and follows again. The page sends nothing: it only reads
  the facilitator's place. Saying yes or no to sharing a result changes nothing here.
- **Present** (``?mode=present&room=CODE``, the projector's window): follows from the
  start, without joining the room (no consent is asked: it stores nothing, sends nothing).

A follower's kernel reads the lead (:func:`workshop.room.lead_of`: one read by primary key,
no write) every :data:`POLL_SECONDS` on the kernel's own event loop, and changes the page
only when the lead has moved. The timer stops when following is turned off, when the room
is closed or gone (a calm line says so), and when the bar is closed; a page whose kernel is
shut down or culled takes it with it. So a follower shows the facilitator's new step within
POLL_SECONDS plus the time its kernel takes to build that step; and a few seconds after each
move (:data:`PREPARE_AFTER`, spread over the room) it builds the step after it, so that the
facilitator's Next costs the room next to nothing at the click (``bench/bench_room.py
--phases follow`` measures it for a room of 30).
"""
from __future__ import annotations

import asyncio
import random
import re

import ipywidgets as w

from widgets.common import calm_message, guard, logger
from workshop import room

__all__ = ["FollowBar", "POLL_SECONDS", "where"]

#: Seconds between two reads of the lead by a following page.
POLL_SECONDS = 0.5
#: A following page builds the facilitator's next step this many seconds after each move,
#: plus a random part of PREPARE_SPREAD, so that a room's kernels do not all build at once:
#: the next move then waits for nothing but the picture (a figure's step takes 0.3-0.9 s of
#: CPU to build; thirty at once on two cores would take seconds).
PREPARE_AFTER, PREPARE_SPREAD = 1.0, 5.0
_PLACE = re.compile(r"m=([0-9]{1,2})&s=([0-9]{1,3})")

LEADING = ("Leading room {code}: every page that follows goes to the step you are on. The "
           "guide and the room's experiment move nobody.")
NOT_LEADING = "Not leading: the pages that follow stay where they are until you lead again."
FOLLOWING = "Following the facilitator: this page moves to the step they are on."
WAITING = "The facilitator is not leading just now: this page stays where it is until they do."
PAUSED = "You moved on your own, so following is paused."
NOT_FOLLOWING = "Not following: you move through the workshop at your own pace."
UNREACHABLE = "The room cannot be reached just now; this page will try again."
ROOM_GONE = "Room {code} has ended, so this page no longer follows. You can carry on at your own pace."
ROOM_CLOSED = ("Room {code} has closed, so this page no longer follows. You can carry on at "
               "your own pace.")
LEAD_GONE = "Room {code} has ended, so this page no longer leads."
LEAD_CLOSED = "Room {code} is closed, so this page no longer leads."
LEAD_REFUSED = ("This page can no longer lead: the facilitator key has changed. Unlock the "
                "room's experiment again to lead.")


def where(place: str | None) -> str:
    """A place in words.

    >>> where("m=2&s=3"), where("m=0&s=1"), where("m=guide")
    ('Module 2 · Step 3', 'Start · Step 1', 'a reading page')
    """
    found = _PLACE.fullmatch(place or "")
    if not found:
        return "a reading page"
    n, step = int(found.group(1)), int(found.group(2))
    return f"{'Start' if n == 0 else f'Module {n}'} · Step {step}"


class FollowBar(w.HBox):
    """Lead or follow controls for a :class:`widgets.workshop_page.WorkshopPage` (see the
    module's note). The page calls :meth:`watch` with every part it builds and :meth:`moved`
    after every move; nothing shows until the page knows a room.

    Parameters
    ----------
    page : WorkshopPage
        The page it leads or moves (``place``, ``part``, ``mode``, ``go_to``).
    path : path, optional
        The rooms database (default :func:`workshop.room.db_path`).
    """

    def __init__(self, page, path=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-follow")
        self.page, self.path = page, path
        self.role = None         # "lead" or "follow" once the page knows a room
        self.code = None         # that room
        self.lead_pass = None    # the facilitator's, for leading
        self.written = None      # the place this page last led to
        self.lead = None         # the last room.Lead read
        self.seen = None         # the lead's move count this page last acted on
        self.target = None       # where following last brought the page
        self.paused = False
        self.polls = 0
        self._present_pending = False
        self._quiet = False      # the bar itself moving the page or the toggle
        self._failing = False
        self._timer = None
        self._prepare = None     # the timer that builds the facilitator's next step
        self.status = w.HTML(layout=w.Layout(min_height="0"))
        self.status.add_class("bondlab-follow-status")
        self.toggle = w.Checkbox(value=False, indent=False, layout=w.Layout(width="auto"))
        self.toggle.observe(guard(self._toggled, self.status), names="value")
        self.back_button = w.Button(description="Back to the facilitator", icon="undo",
                                    tooltip="Go to the step the facilitator is on, and follow "
                                            "them again",
                                    layout=w.Layout(min_width="12rem", height="2.5rem",
                                                    display="none"))
        self.back_button.on_click(guard(self.come_back, self.status))
        self.layout = w.Layout(display="none", flex_flow="row wrap", align_items="center")
        self.children = [self.toggle, self.back_button, self.status]

    # -- what the page tells the bar ---------------------------------------------------
    def watch(self, part: str, widget: w.Widget) -> None:
        """A part the page built: the room's page offers its room (its ``code`` trait)."""
        if part != "room":
            return
        from widgets.class_experiment import FacilitatorDashboard, ParticipantRoom

        for item in (widget, *getattr(widget, "children", ())):
            if isinstance(item, (FacilitatorDashboard, ParticipantRoom)):
                item.observe(guard(self._room_known, self.status), names="code")
                self._room_known({"owner": item, "new": item.code})

    def moved(self) -> None:
        """The page moved (or was redrawn): lead from the new place, or pause following."""
        if self._quiet:
            return
        if self._present_pending:  # the projector's page follows once its address applied
            self._present_pending = False
            self.toggle.value = True
        elif self.role == "lead" and self.toggle.value:
            self._write()
        elif (self.role == "follow" and self.toggle.value and not self.paused
              and self.page.place != self.target):
            self._pause()

    def _room_known(self, change) -> None:
        from widgets.class_experiment import FacilitatorDashboard

        owner, code = change["owner"], change["new"]
        if code is None:  # the room was deleted, or closed before this page could join
            if self.code is not None:
                self.end((LEAD_GONE if self.role == "lead" else ROOM_CLOSED)
                         if self.toggle.value else "")
            return
        if code == self.code:
            return
        if self.role == "lead" and self.toggle.value:
            self._set_toggle(False)
            self._stop_leading()
        self.code = code
        self.paused = False
        self.toggle.layout.display = None
        if isinstance(owner, FacilitatorDashboard):
            self.role, self.lead_pass = "lead", owner.lead_pass
            self.toggle.description = f"Lead room {code}"
            self.toggle.tooltip = "Bring every page that follows to the step you are on"
            self.status.value = ""
        else:
            self.role = "follow"
            present = self.page.mode == "present"
            self.toggle.description = f"Follow room {code}" if present else \
                "Follow the facilitator"
            self.toggle.tooltip = "Move with the facilitator's steps; untick to go at your own pace"
            self._present_pending = present and not self.toggle.value
        self.layout.display = None

    # -- leading -----------------------------------------------------------------------
    def _toggled(self, change) -> None:
        if self._quiet:
            return
        if self.role == "lead":
            if change["new"]:
                self.written = None
                self.status.value = calm_message(LEADING.format(code=self.code))
                self._write()
            else:
                self._stop_leading()
                self.status.value = calm_message(NOT_LEADING)
        elif self.role == "follow":
            if change["new"]:
                self.start()
            else:
                self.stop(NOT_FOLLOWING)

    def _write(self) -> None:
        place = self.page.place
        if not _PLACE.fullmatch(place) or place == self.written:
            return  # a reading page moves nobody
        try:
            room.set_lead(self.code, place, self.lead_pass, path=self.path)
        except room.NoSuchRoom:
            self.end(LEAD_GONE)
            return
        except room.RoomClosed:
            self.end(LEAD_CLOSED)
            return
        except room.Refused:
            self.end(LEAD_REFUSED)
            return
        self.written = place

    def _stop_leading(self) -> None:
        try:
            room.stop_lead(self.code, self.lead_pass, path=self.path)
        except room.RoomError as error:  # gone, or the key changed: nobody leads either way
            logger.info("stopping the lead of %s: %s", self.code, error)

    # -- following ---------------------------------------------------------------------
    def start(self) -> None:
        """Follow: go to the facilitator's step now, then read it every POLL_SECONDS."""
        self.paused, self.seen, self.target = False, None, self.page.place
        self.back_button.layout.display = "none"
        self.status.value = calm_message(FOLLOWING)
        self.poll()
        if self.role == "follow" and self.lead is not None and self.lead.place is None \
                and self.page.part == "room" and self.page.mode == "present":
            self._go("m=0")  # the projector never shows the room's page: the start instead
        self._schedule()

    def stop(self, message: str) -> None:
        """Stop following (the timer too); ``message`` says so on the page."""
        self._cancel()
        self.paused = False
        self.back_button.layout.display = "none"
        self.status.value = calm_message(message) if message else ""

    def end(self, message: str) -> None:
        """The room is gone or closed: no more leading or following, said calmly
        (``message`` may name the room as ``{code}``)."""
        self._set_toggle(False)
        self.stop(message.format(code=self.code))
        self.role = self.code = self.lead_pass = None
        self.toggle.layout.display = "none"

    def poll(self) -> None:
        """Read the room's lead once and act on it (the timer's work)."""
        if self.role != "follow" or not self.toggle.value:
            return
        self.polls += 1
        try:
            lead = room.lead_of(self.code, path=self.path)
        except room.NoSuchRoom:
            self.end(ROOM_GONE)
            return
        except room.RoomClosed:
            self.end(ROOM_CLOSED)
            return
        except Exception:  # noqa: BLE001 -- a busy or unreadable store: say so, try again
            if not self._failing:
                logger.exception("reading the lead of room %s failed", self.code)
            self._failing = True
            self.status.value = calm_message(UNREACHABLE)
            return
        if self._failing:
            self._failing = False
            self.status.value = calm_message(PAUSED if self.paused else FOLLOWING)
        self.lead = lead
        if lead.place is None:
            if not self.paused:
                self.status.value = calm_message(WAITING)
            return
        if lead.moves == self.seen:
            return
        self.seen = lead.moves
        if self.paused:
            self._say_paused()
        else:
            self._go(lead.place)
            self.status.value = calm_message(FOLLOWING)
            self._prepare_next(lead.place)

    def come_back(self, _button=None) -> None:
        """"Back to the facilitator": their step now, and following again."""
        if self.role != "follow" or not self.toggle.value:
            return
        self.paused, self.seen, self.target = False, None, self.page.place
        self.back_button.layout.display = "none"
        self.status.value = calm_message(FOLLOWING)
        self.poll()

    def _go(self, place: str) -> None:
        self._quiet = True
        try:
            self.page.go_to(place)
        finally:
            self._quiet = False
        self.target = self.page.place

    def _prepare_next(self, place: str) -> None:
        """In a while, build the step the facilitator's Next would show, unless the page has
        moved on by then (WorkshopPage.prepare_next)."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python (tests): page.prepare_next() by hand
            return
        if self._prepare is not None:
            self._prepare.cancel()

        def build():
            self._prepare = None
            if self.toggle.value and not self.paused and self.page.place == place:
                guard(self.page.prepare_next, self.status)()

        self._prepare = loop.call_later(PREPARE_AFTER + random.uniform(0, PREPARE_SPREAD),
                                        build)

    def _pause(self) -> None:
        self.paused = True
        self.back_button.layout.display = None
        self._say_paused()

    def _say_paused(self) -> None:
        there = self.lead.place if self.lead is not None else None
        text = PAUSED + (f" The facilitator is at {where(there)}." if there else "")
        self.status.value = calm_message(text)

    def _set_toggle(self, value: bool) -> None:
        self._quiet = True
        try:
            self.toggle.value = value
        finally:
            self._quiet = False

    # -- the timer ---------------------------------------------------------------------
    def _schedule(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self.role != "follow" or not self.toggle.value:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # plain Python (tests): poll() by hand
            return
        self._timer = loop.call_later(POLL_SECONDS, self._tick)

    def _tick(self) -> None:
        self._timer = None
        guard(self.poll, self.status)()
        self._schedule()

    def _cancel(self) -> None:
        for timer in (self._timer, self._prepare):
            if timer is not None:
                timer.cancel()
        self._timer = self._prepare = None

    def close(self) -> None:
        self._cancel()
        super().close()
