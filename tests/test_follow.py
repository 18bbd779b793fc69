"""Leading the room (issue 15): the lead place in the room store, and the lead/follow bar of
the workshop page (widgets/follow.py), driven in plain Python against a temporary store.

The browser test (a facilitator's page leading a follower's in Chromium) is
tests/test_follow_browser.py; the room's figures come from bench/bench_room.py --phases follow.
"""
from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time

import pytest

from kit_browser import run_fresh
from widgets import follow
from widgets.common import CALM_UPDATE, set_query_string
from widgets.workshop_page import WorkshopPage
from workshop import room
from workshop.content import module_ids

IDS = module_ids()


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BONDLAB_FACILITATOR_KEY_FILE", raising=False)
    monkeypatch.delenv("BONDLAB_PUBLIC_URL", raising=False)
    yield room.db_path()
    set_query_string(None)


@pytest.fixture
def log():
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage() + (record.exc_text or ""))

    handler = Keep(logging.DEBUG)
    logger = logging.getLogger("bondlab")  # "bondlab.room" propagates to it
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)


def key_pass():
    return room.lead_pass(room.facilitator_key())


def table_counts(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("rooms", "assignments", "results")}
    finally:
        conn.close()


# --------------------------------------------------------------------------- the store

def test_the_lead_is_a_place_a_move_count_and_a_time(db):
    code = room.start_room()
    assert room.lead_of(code) == room.Lead(None, 0, None)
    before = time.time()
    assert room.set_lead(code, "m=2&s=3", key_pass()) == 1
    assert room.set_lead(code, "m=2&s=3", key_pass()) == 1   # the same place is no move
    assert room.set_lead(code, "m=02&s=004", key_pass()) == 2  # normalised
    lead = room.lead_of(code)
    assert (lead.place, lead.moves) == ("m=2&s=4", 2) and before <= lead.at <= time.time()
    room.stop_lead(code, key_pass())
    assert room.lead_of(code).place is None and room.lead_of(code).moves == 2
    other = room.start_room()
    assert room.lead_of(other).place is None  # one room's lead is its own


@pytest.mark.parametrize("bad", [None, "", "wrong", "x" * 64, 12345, ["pass"], "é" * 64,
                                 room.lead_pass("not the key")])
def test_only_the_facilitator_key_can_lead(db, log, bad):
    code = room.start_room()
    with pytest.raises(room.Refused, match="lead pass"):
        room.set_lead(code, "m=1&s=1", bad)
    with pytest.raises(room.Refused, match="lead pass"):
        room.stop_lead(code, bad)
    assert room.lead_of(code).place is None
    assert any(m.startswith("refused: lead pass") for m in log)


def test_a_pass_from_an_old_key_stops_working_when_the_key_changes(db, tmp_path, monkeypatch):
    code = room.start_room()
    old = key_pass()
    room.set_lead(code, "m=1&s=1", old)
    keyfile = tmp_path / "new.key"
    keyfile.write_text("ANOTHER-KEY-ENTIRELY\n")
    monkeypatch.setenv("BONDLAB_FACILITATOR_KEY_FILE", str(keyfile))
    with pytest.raises(room.Refused):
        room.set_lead(code, "m=1&s=2", old)
    assert room.set_lead(code, "m=1&s=2", room.lead_pass("ANOTHER-KEY-ENTIRELY")) == 2


HOSTILE_PLACES = [None, 23, 2.5, ["m=1&s=1"], "", "m=2", "s=3", "m=2&s=0", "m=guide",
                  "m=room&s=1", "m=2&s=3&x=1", "m=2&s=3;DROP TABLE rooms", "m=100&s=1",
                  "m=1&s=1000", "m=-1&s=2", "m=<script>&s=1", "m=2&s=3" * 40, "m=\u0662&s=1"]


@pytest.mark.parametrize("bad", HOSTILE_PLACES, ids=lambda b: repr(b)[:20])
def test_hostile_places_are_refused_logged_and_never_stored(db, log, bad):
    code = room.start_room()
    with pytest.raises(room.Refused) as refused:
        room.set_lead(code, bad, key_pass())
    assert "lead place" in refused.value.reason
    assert room.lead_of(code).place is None
    assert any(m.startswith("refused: lead place") for m in log)
    assert not any("<script>" in m or "DROP" in m for m in log)


@pytest.mark.parametrize("bad", ["' OR 1=1 --", 123456, None, "ABC0O1", "A" * 5000])
def test_hostile_codes_are_refused(db, bad):
    with pytest.raises(room.Refused):
        room.set_lead(bad, "m=1&s=1", key_pass())
    with pytest.raises(room.Refused):
        room.lead_of(bad)


def test_a_closed_deleted_or_expired_room_is_not_led_nor_followed(db):
    closed, deleted, expired = (room.start_room(retention_days=1) for _ in range(3))
    for code in (closed, deleted, expired):
        room.set_lead(code, "m=1&s=1", key_pass())
    room.close_room(closed)
    room.delete_room(deleted)
    conn = sqlite3.connect(db)  # two days old, and not purged yet
    conn.execute("UPDATE rooms SET created = ? WHERE code = ?", (time.time() - 2 * 86400, expired))
    conn.commit()
    conn.close()
    with pytest.raises(room.RoomClosed):
        room.lead_of(closed)
    with pytest.raises(room.RoomClosed):
        room.set_lead(closed, "m=1&s=2", key_pass())
    for code in (deleted, expired):
        with pytest.raises(room.NoSuchRoom):
            room.lead_of(code)
        with pytest.raises(room.NoSuchRoom):
            room.set_lead(code, "m=1&s=2", key_pass())


def test_reading_the_lead_writes_nothing_and_waits_for_no_writer(db):
    code = room.start_room(retention_days=1)
    room.set_lead(code, "m=3&s=2", key_pass())
    conn = sqlite3.connect(db)
    conn.execute("UPDATE rooms SET created = ? WHERE code = ?", (time.time() - 2 * 86400, code))
    conn.commit()
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # a facilitator's write holds the lock
    with pytest.raises(room.NoSuchRoom):
        room.lead_of(code)  # past its period: gone for a follower...
    writer.execute("ROLLBACK")
    writer.close()
    assert conn.execute("SELECT COUNT(*) FROM rooms").fetchone()[0] == 1  # ...but not purged
    conn.close()


def test_a_kept_reading_connection_does_not_keep_a_deleted_room_in_the_file(db):
    code = room.start_room()
    room.set_lead(code, "m=2&s=1", key_pass())
    assert room.lead_of(code).place == "m=2&s=1"  # the follower's connection stays open
    room.delete_room(code)
    raw = b"".join(p.read_bytes() for p in db.parent.glob("rooms.sqlite3*"))
    assert code.encode() not in raw
    with pytest.raises(room.NoSuchRoom):
        room.lead_of(code)


def test_a_database_from_before_the_lead_gets_it_and_keeps_every_row(tmp_path):
    old = tmp_path / "before-the-lead.sqlite3"
    schema = room._SCHEMA
    for column in ("    lead_place TEXT,\n", "    lead_moves INTEGER NOT NULL DEFAULT 0,\n",
                   "    lead_at REAL\n"):
        assert column in schema
        schema = schema.replace(column, "")
    schema = schema.replace("ratio REAL NOT NULL,\n);", "ratio REAL NOT NULL\n);")
    conn = sqlite3.connect(old)
    conn.executescript(schema)
    conn.execute("INSERT INTO rooms (code, created, retention_days, rewards, ratio) "
                 "VALUES ('ABCDEF', ?, 7, 8, 4.0)", (time.time(),))
    conn.execute("INSERT INTO assignments VALUES ('ABCDEF', ?, 'variable', ?, NULL)",
                 ("t" * 22, time.time()))
    conn.execute("INSERT INTO results VALUES ('ABCDEF', ?, 'variable', 5, 1, 1.0, ?, NULL)",
                 ("t" * 22, time.time()))
    conn.commit()
    assert "lead_place" not in {r[1] for r in conn.execute("PRAGMA table_info(rooms)")}
    conn.close()
    assert room.lead_of("ABCDEF", path=old) == room.Lead(None, 0, None)
    assert table_counts(old) == {"rooms": 1, "assignments": 1, "results": 1}
    assert room.rows("ABCDEF", path=old)[0]["presses"] == 5


def test_lead_and_followers_at_once_from_many_threads(db):
    """A facilitator leading while 30 followers read: every read sees a whole lead."""
    code = room.start_room()
    done, seen, errors = threading.Event(), [], []

    def follower():
        try:
            while not done.is_set():
                lead = room.lead_of(code)
                seen.append((lead.moves, lead.place))
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(repr(error))

    threads = [threading.Thread(target=follower) for _ in range(30)]
    for t in threads:
        t.start()
    for step in range(1, 21):
        room.set_lead(code, f"m=1&s={step}", key_pass())
    done.set()
    for t in threads:
        t.join()
    assert errors == []
    assert all(place is None if moves == 0 else place == f"m=1&s={moves}"
               for moves, place in seen)
    assert room.lead_of(code).moves == 20


# --------------------------------------------------------------------------- the bar

def facilitator_page():
    """A facilitator's workshop page, unlocked, with a room open on it."""
    page = WorkshopPage(mode="facilitator", part="room")
    dashboard = page.built["room"].children[1]
    dashboard.key_field.value = room.facilitator_key()
    dashboard.unlock_button.click()
    dashboard.start_button.click()
    return page, dashboard


def follower_page(code, mode="participant"):
    set_query_string(f"room={code}" + ("" if mode == "participant" else f"&mode={mode}"))
    return WorkshopPage(mode=mode, part="room" if mode != "present" else None)


def test_nothing_is_offered_before_the_page_knows_a_room(db):
    for mode in ("participant", "facilitator", "lecture"):
        page = WorkshopPage(mode=mode, part=IDS[1])
        assert page.follow.layout.display == "none" and page.follow.role is None
    page = WorkshopPage(mode="facilitator", part="room")  # locked: no room, no lead
    assert page.follow.layout.display == "none"
    set_query_string("room=ZZZZZZ")  # a code no room has
    page = WorkshopPage(mode="participant", part="room")
    assert page.follow.layout.display == "none"


def test_the_facilitator_leads_module_steps_and_only_them(db):
    page, dashboard = facilitator_page()
    bar, code = page.follow, dashboard.code
    assert bar.layout.display is None and bar.toggle.description == f"Lead room {code}"
    assert room.lead_of(code).place is None  # not before they say so
    bar.toggle.value = True
    assert code in bar.status.value
    assert room.lead_of(code).place is None  # the dashboard is no place to lead to
    page.show(IDS[0], 1)
    assert room.lead_of(code).place == "m=0&s=1"
    page.next()
    page.next()
    assert room.lead_of(code).place == "m=0&s=3" and room.lead_of(code).moves == 3
    page.go_to("m=guide")  # the facilitator reads the guide: the room stays
    assert room.lead_of(code).place == "m=0&s=3"
    page.go_to("m=6&s=2")
    assert room.lead_of(code).place == "m=6&s=2"
    bar.toggle.value = False
    assert room.lead_of(code).place is None
    page.next()
    assert room.lead_of(code).place is None


def test_a_follower_moves_steps_away_and_comes_back(db):
    lead_page, dashboard = facilitator_page()
    code = dashboard.code
    lead_page.follow.toggle.value = True
    lead_page.show(IDS[0], 2)
    before = table_counts(db)
    page = follower_page(code)
    bar = page.follow
    assert bar.toggle.description == "Follow the facilitator" and not bar.toggle.value
    assert page.part == "room"  # nothing moves until they choose to follow
    bar.toggle.value = True
    assert page.place == "m=0&s=2"
    lead_page.next()
    bar.poll()
    assert page.place == "m=0&s=3" and "Following" in bar.status.value
    page.back()  # stepping away pauses following, and the bar says so
    assert bar.paused and page.place == "m=0&s=2"
    assert bar.back_button.layout.display is None
    assert "paused" in bar.status.value and "Start · Step 3" in bar.status.value
    lead_page.next()
    bar.poll()
    assert page.place == "m=0&s=2" and "Start · Step 4" in bar.status.value
    bar.back_button.click()
    assert page.place == "m=0&s=4" and not bar.paused
    assert bar.back_button.layout.display == "none"
    lead_page.go_to("m=6&s=2")
    bar.poll()
    assert page.place == "m=6&s=2"
    bar.toggle.value = False
    lead_page.next()
    bar.poll()  # no longer following: stays
    assert page.place == "m=6&s=2" and "own pace" in bar.status.value
    assert table_counts(db) == before  # following stored nothing: no join, no row


def test_the_follower_polls_only_read(db):
    lead_page, dashboard = facilitator_page()
    lead_page.follow.toggle.value = True
    lead_page.show(IDS[0], 1)
    page = follower_page(dashboard.code)
    page.follow.toggle.value = True
    conn = sqlite3.connect(db)
    changes = conn.execute("PRAGMA data_version").fetchone()[0]
    for _ in range(20):
        page.follow.poll()
    assert conn.execute("PRAGMA data_version").fetchone()[0] == changes  # no one wrote
    conn.close()


def test_a_typed_code_offers_following_too(db):
    lead_page, dashboard = facilitator_page()
    set_query_string(None)
    page = WorkshopPage(mode="participant", part="room")
    assert page.follow.layout.display == "none"
    participant = page.built["room"].children[1]
    participant.code_field.value = dashboard.code.lower()
    participant.code_button.click()
    assert page.follow.layout.display is None and page.follow.code == dashboard.code


@pytest.mark.parametrize("how", ["closed", "deleted"])
def test_a_room_that_ends_stops_following_with_a_calm_line(db, how):
    lead_page, dashboard = facilitator_page()
    lead_page.follow.toggle.value = True
    lead_page.show(IDS[0], 1)
    page = follower_page(dashboard.code)
    bar = page.follow
    bar.toggle.value = True
    (room.close_room if how == "closed" else room.delete_room)(dashboard.code)
    bar.poll()
    assert not bar.toggle.value and bar.toggle.layout.display == "none"
    assert f"has {'closed' if how == 'closed' else 'ended'}" in bar.status.value
    assert "Traceback" not in bar.status.value and page.place == "m=0&s=1"
    assert bar._timer is None


def test_the_facilitator_sees_when_the_room_ends(db):
    page, dashboard = facilitator_page()
    page.follow.toggle.value = True
    page.show(IDS[0], 1)
    room.close_room(dashboard.code)
    page.next()
    assert "closed" in page.follow.status.value and not page.follow.toggle.value
    page2, dashboard2 = facilitator_page()
    page2.follow.toggle.value = True
    page2.go_to("m=room")
    dashboard2.delete()
    assert "ended" in page2.follow.status.value and page2.follow.role is None
    dashboard2.start_button.click()  # a new room: it can be led again
    bar = page2.follow
    assert bar.toggle.layout.display is None and bar.toggle.description == \
        f"Lead room {dashboard2.code}" and not bar.toggle.value
    bar.toggle.value = True
    page2.go_to("m=0&s=2")
    assert room.lead_of(dashboard2.code).place == "m=0&s=2"


def test_a_store_that_fails_is_said_calmly_logged_once_and_retried(db, log, monkeypatch):
    lead_page, dashboard = facilitator_page()
    lead_page.follow.toggle.value = True
    lead_page.show(IDS[0], 1)
    page = follower_page(dashboard.code)
    bar = page.follow
    bar.toggle.value = True
    real = room.lead_of

    def broken(*args, **kwargs):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(room, "lead_of", broken)
    log.clear()
    for _ in range(5):
        bar.poll()
    assert follow.UNREACHABLE in bar.status.value and "Traceback" not in bar.status.value
    assert sum("reading the lead" in m for m in log) == 1
    monkeypatch.setattr(room, "lead_of", real)
    lead_page.next()
    bar.poll()
    assert page.place == "m=0&s=2" and follow.FOLLOWING in bar.status.value


def test_a_failing_poll_never_shows_a_traceback(db, monkeypatch):
    lead_page, dashboard = facilitator_page()
    page = follower_page(dashboard.code)
    page.follow.toggle.value = True
    monkeypatch.setattr(page, "go_to", lambda place: 1 / 0)
    room.set_lead(dashboard.code, "m=0&s=3", key_pass())
    page.follow._tick()  # what the timer runs
    assert CALM_UPDATE in page.follow.status.value


def test_the_projector_follows_without_joining(db):
    lead_page, dashboard = facilitator_page()
    before = table_counts(db)
    page = follower_page(dashboard.code, mode="present")
    assert page.follow.toggle.value and page.follow.toggle.description == \
        f"Follow room {dashboard.code}"
    assert page.part == IDS[0]  # nobody leads yet: the start, never the room's page
    lead_page.follow.toggle.value = True
    lead_page.show(IDS[6], 3)
    page.follow.poll()
    assert page.place == "m=6&s=3"
    assert table_counts(db) == before


def test_the_timer_moves_the_page_and_stops_with_following(db):
    lead_page, dashboard = facilitator_page()
    code = dashboard.code

    async def scenario():
        page = follower_page(code)
        bar = page.follow
        bar.toggle.value = True
        assert bar._timer is not None
        room.set_lead(code, "m=0&s=3", key_pass())
        deadline = time.monotonic() + 30
        while page.place != "m=0&s=3" and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
        moved, polls = page.place, bar.polls
        bar.toggle.value = False
        unticked = bar._timer
        bar.toggle.value = True
        again = bar._timer is not None
        bar.close()  # the page goes: the timer with it
        return moved, polls, unticked, again, bar._timer

    moved, polls, unticked, again, closed = run_fresh(scenario())
    assert moved == "m=0&s=3" and polls >= 2  # the timer's polls moved it, not the first
    assert unticked is None and again and closed is None


def test_a_follower_prepares_the_facilitators_next_step(db, monkeypatch):
    monkeypatch.setattr(follow, "PREPARE_AFTER", 0.0)
    monkeypatch.setattr(follow, "PREPARE_SPREAD", 0.0)
    lead_page, dashboard = facilitator_page()
    code = dashboard.code

    async def scenario():
        page = follower_page(code)
        page.follow.toggle.value = True
        room.set_lead(code, "m=1&s=1", key_pass())
        deadline = time.monotonic() + 30
        stepper = None
        while time.monotonic() < deadline:
            stepper = page._stepper()
            if page.place == "m=1&s=1" and 1 in stepper._built:
                break
            await asyncio.sleep(0.05)
        built = sorted(stepper._built)
        page.follow.toggle.value = False
        return page.place, built, page.follow._prepare

    place, built, timer = run_fresh(scenario())
    assert place == "m=1&s=1" and built == [0, 1]  # step 2 ready before the facilitator's Next
    assert timer is None


def test_at_a_modules_end_the_next_module_is_prepared(db):
    page = WorkshopPage(mode="participant", part=IDS[1])
    page.go_to(f"m=1&s={page._stepper().n_steps}")
    assert IDS[2] not in page.built
    page.prepare_next()
    assert IDS[2] in page.built and page.place.startswith("m=1&")  # built, not shown
