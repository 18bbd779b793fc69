"""The room as a live experiment: pooled lever-game results, stored safely (issue 6).

A facilitator starts a *room*; participants who open the room's link and say yes to sharing
play the lever game ("Check your phone") on a schedule the room assigns, and their result is
stored here: the schedule, the number of checks, the checks after the messages stopped and
the seconds from the last message to stopping. No name, no free text, no address; beside
them only a random page token and two times (when the page joined, when it finished), which
the room needs to store each result once. The projected dashboard shows group figures only:
a schedule's median and middle half once at least :func:`min_group` people (5 by default,
``$BONDLAB_MIN_GROUP``) share it; the single rows are for the facilitator's own screen.
Participants only ever see the same counts and medians, once the facilitator reveals them.

Storage is one SQLite file in a state directory outside the repository
(:func:`state_dir`: ``$BONDLAB_STATE_DIR``, else ``$XDG_DATA_HOME/bondlab``, else
``~/.local/share/bondlab``), in WAL mode so many kernels write at once. Every write is one
short ``BEGIN IMMEDIATE`` transaction on its own connection; a result is keyed by the room
and a random per-page token, so sending it twice stores it once. Every value is validated
before it reaches SQL; a refusal raises :class:`Refused` (a ``ValueError``) with the
reason and is logged on the server (logger ``"bondlab.room"``), never stored.

A room's rows are deleted on request (:func:`delete_room`) and when their retention period
ends: by default seven days after the room started (:data:`DEFAULT_RETENTION_DAYS`). Each
participant is shown the period when asked to share, and that period is stored with their
row (``expires``): a longer period set later applies only to results shared after it, never
to rows already agreed. :func:`purge_expired` deletes what is past its time; it runs before
every room action, when the server starts and every :data:`PURGE_SECONDS` while it runs
(``server/retention.py``).

The facilitator's actions need the key from :func:`facilitator_key` (printed by the
server at start, or a file the facilitator sets with ``$BONDLAB_FACILITATOR_KEY_FILE``).

**Leading the room** (issue 15). The facilitator's page can lead: :func:`set_lead` writes
the place it shows (module and step numbers, ``"m=2&s=3"``, nothing else) into the room's
row with a move counter and the time, checked against :func:`lead_pass` (what the page keeps
of the key once it was typed; never the key itself). Followers' pages and the projector
read it with :func:`lead_of`: one read by primary key, no write, so thirty pages asking
twice a second cost the store nothing that matters. Nothing of a follower is stored.

Engine layer: standard library only, no Jupyter imports.

Example
-------
>>> import tempfile
>>> db = Path(tempfile.mkdtemp()) / "rooms.sqlite3"
>>> code = start_room(rewards=8, ratio=4, path=db)
>>> kind = join(code, "a" * 22, path=db)
>>> submit(code, "a" * 22, kind, presses=30, presses_after_stop=6, seconds_to_stop=4.5,
...        path=db)
True
>>> submit(code, "a" * 22, kind, presses=30, presses_after_stop=6, seconds_to_stop=4.5,
...        path=db)                                  # the same page again: stored once
False
>>> room_counts(code, path=db)
{'joined': 1, 'finished': 1}
"""
from __future__ import annotations

import csv
import hmac
import io
import json
import logging
import math
import os
import re
import secrets
import sqlite3
import statistics
import threading
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from bondlab._params import Param

__all__ = [
    "KINDS", "ALPHABET", "CODE_LENGTH", "SETTINGS", "DEFAULT_RETENTION_DAYS", "RETENTION_RANGE",
    "REWARDS_RANGE", "RATIO_RANGE", "MAX_PRESSES", "MAX_SECONDS", "MIN_GROUP", "PURGE_SECONDS",
    "min_group",
    "RoomError", "Refused", "NoSuchRoom", "RoomClosed", "Room",
    "state_dir", "db_path", "connect", "purge_expired", "new_token", "valid_code",
    "start_room", "get_room", "open_room", "join", "submit", "rows", "room_counts",
    "export_csv", "aggregate", "group_figures", "set_revealed", "close_room", "set_retention",
    "delete_room",
    "Lead", "valid_place", "lead_pass", "set_lead", "stop_lead", "lead_of",
    "key_path", "facilitator_key", "check_key",
]

log = logging.getLogger("bondlab.room")

#: The two schedules the lever game assigns.
KINDS = ("continuous", "variable")
#: Room-code letters: no 0/O, 1/I/L, so a code read off a projector is typed right.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6
#: The room's settings, one table for what the store accepts and what the dashboard offers.
SETTINGS = {
    "rewards": Param(int, 1, 50, default=8, label="Messages before they stop",
                     help="Messages each person gets before they silently stop", step=1),
    "ratio": Param(float, 1.5, 20.0, default=4.0, label="Checks per message, unpredictable "
                   "schedule", help="Average checks per message on the variable schedule",
                   step=0.5),
    "retention_days": Param(int, 1, 90, default=7, label="Keep the results for", unit="days",
                            help="Days from the room's start until its results are deleted "
                                 "automatically; each participant is told this period",
                            step=1),
}
DEFAULT_RETENTION_DAYS = SETTINGS["retention_days"].default
RETENTION_RANGE = (SETTINGS["retention_days"].low, SETTINGS["retention_days"].high)
REWARDS_RANGE = (SETTINGS["rewards"].low, SETTINGS["rewards"].high)
RATIO_RANGE = (SETTINGS["ratio"].low, SETTINGS["ratio"].high)
#: Bounds for a stored result (the game itself stops at 300 checks).
MAX_PRESSES = 1000
MAX_SECONDS = 3 * 3600.0
#: The projector and the participants see a schedule's figures only when at least this many
#: results share it (a median of a few is close to a person's own number); the default and
#: the floor of ``$BONDLAB_MIN_GROUP`` (see :func:`min_group`).
MIN_GROUP = 5
#: How often the running server purges expired results (server/retention.py).
PURGE_SECONDS = 600
_TOKEN = re.compile(r"[A-Za-z0-9_-]{16,64}")
#: A place the facilitator can lead to: a module and a step, numbers only.
_PLACE = re.compile(r"m=([0-9]{1,2})&s=([0-9]{1,3})")
_CODE = re.compile(f"[{ALPHABET}]{{{CODE_LENGTH}}}")
_DAY = 86400.0


class RoomError(ValueError):
    """A room action that cannot happen; ``str(error)`` is calm and fit for a page."""


class Refused(RoomError):
    """A value was refused (validation); ``reason`` says which and why. Never stored."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class NoSuchRoom(RoomError):
    """No open room has this code (mistyped, deleted, or past its retention period)."""


class RoomClosed(RoomError):
    """The facilitator closed the room: it takes no new results."""


@dataclass(frozen=True)
class Room:
    code: str
    created: float
    closed: bool
    revealed: bool
    retention_days: int
    rewards: int
    ratio: float

    @property
    def expires(self) -> float:
        """When the room's rows are purged (seconds since the epoch)."""
        return self.created + self.retention_days * _DAY


def min_group() -> int:
    """How many results a schedule needs before its figures are shown: ``$BONDLAB_MIN_GROUP``
    (a whole number, at least :data:`MIN_GROUP`), else :data:`MIN_GROUP`. A value that is not
    a whole number, or is below the floor, is logged and the floor used."""
    raw = os.environ.get("BONDLAB_MIN_GROUP", "").strip()
    if not raw:
        return MIN_GROUP
    if not raw.isdigit() or int(raw) < MIN_GROUP:
        log.warning("BONDLAB_MIN_GROUP must be a whole number of at least %d, got %r: using %d",
                    MIN_GROUP, raw[:20], MIN_GROUP)
        return MIN_GROUP
    return int(raw)


# --------------------------------------------------------------------------- where

def state_dir() -> Path:
    """Where the class experiment keeps its database and key: outside the repository, private
    (0700). ``$BONDLAB_STATE_DIR``, else ``$XDG_DATA_HOME/bondlab``, else
    ``~/.local/share/bondlab``. The old name ``$BONDLAB_DATA_DIR`` is still read, with a warning:
    it was too easily confused with ``$BONDLAB_DATA``, the kit's content folder."""
    env = os.environ.get("BONDLAB_STATE_DIR")
    if not env and os.environ.get("BONDLAB_DATA_DIR"):
        env = os.environ["BONDLAB_DATA_DIR"]
        warnings.warn("BONDLAB_DATA_DIR is the old name of BONDLAB_STATE_DIR (where the class "
                      "experiment keeps its results); set BONDLAB_STATE_DIR instead",
                      FutureWarning, stacklevel=2)
        log.warning("BONDLAB_DATA_DIR is the old name: set BONDLAB_STATE_DIR instead")
    if env:
        path = Path(env).expanduser()
    else:
        base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
        path = Path(base).expanduser() / "bondlab"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def db_path() -> Path:
    """The rooms database: ``state_dir() / "rooms.sqlite3"``."""
    return state_dir() / "rooms.sqlite3"


_SCHEMA = """
CREATE TABLE IF NOT EXISTS rooms (
    code TEXT PRIMARY KEY,
    created REAL NOT NULL,
    closed INTEGER NOT NULL DEFAULT 0,
    revealed INTEGER NOT NULL DEFAULT 0,
    retention_days INTEGER NOT NULL,
    rewards INTEGER NOT NULL,
    ratio REAL NOT NULL,
    lead_place TEXT,
    lead_moves INTEGER NOT NULL DEFAULT 0,
    lead_at REAL
);
CREATE TABLE IF NOT EXISTS assignments (
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    token TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('continuous', 'variable')),
    created REAL NOT NULL,
    expires REAL,
    PRIMARY KEY (room, token)
);
CREATE TABLE IF NOT EXISTS results (
    room TEXT NOT NULL REFERENCES rooms(code) ON DELETE CASCADE,
    token TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('continuous', 'variable')),
    presses INTEGER NOT NULL CHECK (presses BETWEEN 0 AND 1000),
    presses_after_stop INTEGER NOT NULL CHECK (presses_after_stop BETWEEN 0 AND presses),
    seconds_to_stop REAL CHECK (seconds_to_stop IS NULL OR seconds_to_stop BETWEEN 0 AND 10800),
    created REAL NOT NULL,
    expires REAL,
    PRIMARY KEY (room, token)
);
"""
#: Columns added since the first release: a database made before them gets them on opening
#: (rows without an expiry expire with their room; a room without a lead is not led).
_ADDED = (("assignments", "expires", "REAL"), ("results", "expires", "REAL"),
          ("rooms", "lead_place", "TEXT"), ("rooms", "lead_moves", "INTEGER NOT NULL DEFAULT 0"),
          ("rooms", "lead_at", "REAL"))
_READY: set[str] = set()


def connect(path: Path | str | None = None) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), WAL, 10 s busy wait.

    The first connection of a process to a file switches it to WAL and creates the tables.
    """
    path = Path(path) if path is not None else db_path()
    conn = sqlite3.connect(str(path), timeout=10.0, isolation_level=None)
    conn.execute("PRAGMA busy_timeout = 10000")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA secure_delete = ON")  # deleted rows are overwritten with zeros
    key = str(path)
    if key not in _READY:
        for attempt in range(50):  # WAL switch and schema need the write lock once
            try:
                if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("BEGIN IMMEDIATE")
                for statement in filter(str.strip, _SCHEMA.split(";")):
                    conn.execute(statement)
                for table, column, kind in _ADDED:
                    have = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
                    if column not in have:
                        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")
                conn.execute("COMMIT")
                break
            except sqlite3.OperationalError:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                if attempt == 49:
                    raise
                time.sleep(0.05)
        try:
            os.chmod(path, 0o600)
        except OSError:
            pass
        _READY.add(key)
    conn.execute("PRAGMA synchronous = NORMAL")  # WAL: durable at checkpoints, never corrupt
    return conn


class _Tx:
    """``with _Tx(path) as conn``: one short write transaction on a fresh connection."""

    def __init__(self, path, write=True):
        self.path, self.write = path, write

    def __enter__(self):
        self.conn = connect(self.path)
        self.conn.execute("BEGIN IMMEDIATE" if self.write else "BEGIN")
        return self.conn

    def __exit__(self, kind, value, tb):
        try:
            self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
        finally:
            self.conn.close()
        return False


def purge_expired(now: float | None = None, path=None) -> int:
    """Delete every result and assignment past the period its participant was shown, and
    every room past its own period with all its rows. Returns how many rooms went."""
    now = time.time() if now is None else float(now)
    with _Tx(path) as conn:
        codes = [r[0] for r in conn.execute(
            "SELECT code FROM rooms WHERE created + retention_days * 86400.0 < ?", (now,))]
        for code in codes:
            _delete(conn, code)
        gone = sum(conn.execute(f"DELETE FROM {table} WHERE expires < ?", (now,)).rowcount
                   for table in ("results", "assignments"))
    if codes or gone:
        log.info("purged %d room(s) and %d row(s) past their retention period", len(codes), gone)
        _checkpoint(path)
    return len(codes)


# --------------------------------------------------------------------------- validation

def _refuse(reason: str):
    log.warning("refused: %s", reason)
    raise Refused(reason)


def valid_code(code) -> str:
    """A room code, upper-cased and stripped, or :class:`Refused` (logged)."""
    if not isinstance(code, str):
        _refuse(f"room code must be text, got {type(code).__name__}")
    clean = code.strip().upper()
    if not _CODE.fullmatch(clean):
        # What a participant typed never reaches the log: its length only.
        _refuse(f"room code of {len(code)} characters is not {CODE_LENGTH} letters from the "
                "code alphabet")
    return clean


def _valid_token(token) -> str:
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        _refuse("participant token is not 16-64 URL-safe characters")
    return token


def _valid_kind(kind) -> str:
    if not isinstance(kind, str) or kind not in KINDS:
        _refuse(f"schedule must be one of {KINDS}, got {str(kind)[:20]!r}")
    return kind


def _valid_int(name, value, low, high) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _refuse(f"{name} must be a whole number, got {type(value).__name__}")
    if not low <= value <= high:
        _refuse(f"{name} must be in [{low}, {high}], got {value}")
    return int(value)


def _valid_float(name, value, low, high, allow_none=False) -> float | None:
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        _refuse(f"{name} must be a number, got {type(value).__name__}")
    value = float(value)
    if not math.isfinite(value) or not low <= value <= high:
        _refuse(f"{name} must be a finite number in [{low:g}, {high:g}], got {value!r}")
    return value


# --------------------------------------------------------------------------- rooms

def _room(conn, code) -> Room | None:
    row = conn.execute("SELECT code, created, closed, revealed, retention_days, rewards, ratio "
                       "FROM rooms WHERE code = ?", (code,)).fetchone()
    return None if row is None else Room(row[0], row[1], bool(row[2]), bool(row[3]), row[4],
                                         row[5], row[6])


def new_token() -> str:
    """A random per-page token (the only key of a participant's row; never shown)."""
    return secrets.token_urlsafe(16)


def start_room(rewards: int = 8, ratio: float = 4.0,
               retention_days: int = DEFAULT_RETENTION_DAYS, path=None) -> str:
    """Start a room with the lever game's settings; returns its new code."""
    rewards = _valid_int("rewards", rewards, *REWARDS_RANGE)
    ratio = _valid_float("ratio", ratio, *RATIO_RANGE)
    retention_days = _valid_int("retention_days", retention_days, *RETENTION_RANGE)
    purge_expired(path=path)
    with _Tx(path) as conn:
        for _ in range(100):
            code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
            if _room(conn, code) is None:
                break
        conn.execute("INSERT INTO rooms (code, created, retention_days, rewards, ratio) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (code, time.time(), retention_days, rewards, ratio))
    log.info("room %s started (rewards=%d, ratio=%g, kept %d days)", code, rewards, ratio,
             retention_days)
    return code


def get_room(code, path=None) -> Room:
    """The room with this code (open or closed), after purging expired rooms.

    Raises :class:`NoSuchRoom` for an unknown, deleted or expired code.
    """
    code = valid_code(code)
    purge_expired(path=path)
    conn = connect(path)
    try:
        room = _room(conn, code)
    finally:
        conn.close()
    if room is None:
        log.info("no room %s (never started, deleted or expired)", code)
        raise NoSuchRoom("There is no room with that code. It may have ended, or a letter "
                         "may be different.")
    return room


def open_room(code, path=None) -> Room:
    """Like :func:`get_room`, but the room must still take results (:class:`RoomClosed`)."""
    room = get_room(code, path)
    if room.closed:
        raise RoomClosed("This room has closed and takes no more results.")
    return room


def join(code, token, shown_days: int | None = None, path=None) -> str:
    """The schedule this page plays in the room, assigned once and balanced.

    The schedule with fewer participants so far, ties broken at random, decided inside one
    write transaction, so rooms stay balanced however many kernels join at once. Joining
    again with the same token returns the same schedule. ``shown_days`` is the retention
    period the participant was shown when asked (default: the room's now); the row is kept
    until ``room start + min(shown_days, room's period)`` and never longer.
    """
    code, token = valid_code(code), _valid_token(token)
    if shown_days is not None:
        shown_days = _valid_int("shown_days", shown_days, *RETENTION_RANGE)
    purge_expired(path=path)
    with _Tx(path) as conn:
        room = _room(conn, code)
        if room is None:
            raise NoSuchRoom("There is no room with that code. It may have ended, or a letter "
                             "may be different.")
        known = conn.execute("SELECT kind FROM assignments WHERE room = ? AND token = ?",
                             (code, token)).fetchone()
        if known:
            return known[0]
        if room.closed:
            raise RoomClosed("This room has closed and takes no more results.")
        counts = dict(conn.execute("SELECT kind, COUNT(*) FROM assignments WHERE room = ? "
                                   "GROUP BY kind", (code,)).fetchall())
        n = [counts.get(k, 0) for k in KINDS]
        kind = KINDS[secrets.randbelow(2)] if n[0] == n[1] else KINDS[n.index(min(n))]
        days = room.retention_days if shown_days is None else min(shown_days,
                                                                   room.retention_days)
        conn.execute("INSERT INTO assignments (room, token, kind, created, expires) "
                     "VALUES (?, ?, ?, ?, ?)",
                     (code, token, kind, time.time(), room.created + days * _DAY))
    return kind


def _store_result(conn, code, token, kind, presses, after, seconds, expires) -> bool:
    cur = conn.execute(
        "INSERT OR IGNORE INTO results (room, token, kind, presses, presses_after_stop, "
        "seconds_to_stop, created, expires) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (code, token, kind, presses, after, seconds, time.time(), expires))
    return cur.rowcount == 1


def submit(code, token, kind, presses, presses_after_stop, seconds_to_stop, path=None) -> bool:
    """Store one participant's result; True if stored now, False if it was already there.

    ``seconds_to_stop`` is the time from the last message to pressing "I'd stop", or None
    when the participant stopped before the messages ran out (then ``presses_after_stop``
    is 0). Everything is validated first; a refusal raises :class:`Refused` and is logged.
    The schedule must be the one the room assigned to this token. The row keeps the expiry
    its participant agreed to at :func:`join` (never later than the room's own).
    """
    code, token, kind = valid_code(code), _valid_token(token), _valid_kind(kind)
    presses = _valid_int("presses", presses, 0, MAX_PRESSES)
    after = _valid_int("presses_after_stop", presses_after_stop, 0, presses)
    seconds = _valid_float("seconds_to_stop", seconds_to_stop, 0.0, MAX_SECONDS,
                           allow_none=True)
    if seconds is None and after:
        _refuse("presses_after_stop must be 0 when the messages never stopped")
    purge_expired(path=path)
    with _Tx(path) as conn:
        room = _room(conn, code)
        if room is None:
            raise NoSuchRoom("There is no room with that code any more.")
        if room.closed:
            raise RoomClosed("This room has closed and takes no more results.")
        assigned = conn.execute("SELECT kind, expires FROM assignments WHERE room = ? AND "
                                "token = ?", (code, token)).fetchone()
        if assigned is None:
            _refuse(f"token never joined room {code}")
        if assigned[0] != kind:
            _refuse(f"schedule {kind!r} is not the one room {code} assigned ({assigned[0]!r})")
        expires = min(room.expires, assigned[1] if assigned[1] is not None else room.expires)
        stored = _store_result(conn, code, token, kind, presses, after, seconds, expires)
    return stored


def rows(code, path=None) -> list[dict]:
    """The room's results, oldest first, without tokens: for the facilitator's screen."""
    code = valid_code(code)
    conn = connect(path)
    try:
        out = conn.execute("SELECT kind, presses, presses_after_stop, seconds_to_stop FROM "
                           "results WHERE room = ? ORDER BY created, rowid", (code,)).fetchall()
    finally:
        conn.close()
    return [{"row": i + 1, "schedule": k, "presses": p, "presses_after_stop": a,
             "seconds_to_stop": s} for i, (k, p, a, s) in enumerate(out)]


def room_counts(code, path=None) -> dict:
    """How many pages joined (said yes and got a schedule) and how many finished."""
    code = valid_code(code)
    conn = connect(path)
    try:
        joined = conn.execute("SELECT COUNT(*) FROM assignments WHERE room = ?",
                              (code,)).fetchone()[0]
        finished = conn.execute("SELECT COUNT(*) FROM results WHERE room = ?",
                                (code,)).fetchone()[0]
    finally:
        conn.close()
    return {"joined": joined, "finished": finished}


EXPORT_FIELDS = ("row", "schedule", "presses", "presses_after_stop", "seconds_to_stop")


def export_csv(code, path=None) -> str:
    """The room's rows as CSV: an anonymous row number and the four stored values only."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS, lineterminator="\n")
    writer.writeheader()
    for r in rows(code, path):
        r = dict(r)
        if r["seconds_to_stop"] is not None:
            r["seconds_to_stop"] = f"{r['seconds_to_stop']:.2f}"
        writer.writerow(r)
    return out.getvalue()


def aggregate(code, path=None, group: int | None = None) -> dict:
    """Counts and medians by schedule: what the projector and participants may see (never a
    row). See :func:`group_figures`."""
    return group_figures(rows(code, path), group)


def group_figures(data: list[dict], group: int | None = None) -> dict:
    """Counts, medians and middle halves by schedule of :func:`rows`' ``data``.

    Returns ``{kind: {"finished": n, "stopped": m, "median_after": x|None,
    "median_seconds": y|None, "middle_after": (q1, q3)|None, "middle_seconds": (q1, q3)|None}}``;
    figures only over results where the messages stopped, and only when at least ``group``
    (default :func:`min_group`) such results share the schedule.
    """
    group = min_group() if group is None else group
    out = {}
    for kind in KINDS:
        mine = [r for r in data if r["schedule"] == kind]
        stopped = [r for r in mine if r["seconds_to_stop"] is not None]
        enough = len(stopped) >= max(group, 2)
        out[kind] = {"finished": len(mine), "stopped": len(stopped)}
        for name, field in (("after", "presses_after_stop"), ("seconds", "seconds_to_stop")):
            values = [r[field] for r in stopped]
            q1, _, q3 = statistics.quantiles(values, n=4) if enough else (None,) * 3
            out[kind][f"median_{name}"] = statistics.median(values) if enough else None
            out[kind][f"middle_{name}"] = (q1, q3) if enough else None
    return out


def _set(code, column, value, path):
    code = valid_code(code)
    with _Tx(path) as conn:
        if _room(conn, code) is None:
            raise NoSuchRoom("There is no room with that code any more.")
        conn.execute(f"UPDATE rooms SET {column} = ? WHERE code = ?", (value, code))


def set_revealed(code, revealed: bool = True, path=None) -> None:
    """Let participants see the room's counts and medians (or hide them again)."""
    _set(code, "revealed", int(bool(revealed)), path)
    log.info("room %s results %s", code, "revealed" if revealed else "hidden")


def close_room(code, path=None) -> None:
    """Stop taking joins and results (rows stay until deleted or expired)."""
    _set(code, "closed", 1, path)
    log.info("room %s closed", code)


def set_retention(code, days: int, path=None) -> None:
    """Keep the room for ``days`` days from its start (then purged with all its rows).

    A shorter period deletes every row sooner; a longer one applies only to results shared
    from now on, whose participants are shown it: rows already stored keep their own expiry.
    """
    days = _valid_int("retention_days", days, *RETENTION_RANGE)
    _set(code, "retention_days", days, path)
    log.info("room %s kept %d days", code, days)


def _delete(conn, code):
    conn.execute("DELETE FROM results WHERE room = ?", (code,))
    conn.execute("DELETE FROM assignments WHERE room = ?", (code,))
    conn.execute("DELETE FROM rooms WHERE code = ?", (code,))


def delete_room(code, path=None) -> None:
    """Delete the room and every row it holds."""
    code = valid_code(code)
    with _Tx(path) as conn:
        _delete(conn, code)
    _checkpoint(path)
    log.info("room %s deleted with all its rows", code)


def _checkpoint(path):
    """Copy deletions into the main file and empty the write-ahead log."""
    conn = connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


# --------------------------------------------------------------------------- leading the room

@dataclass(frozen=True)
class Lead:
    """Where the facilitator's page leads a room: ``place`` (``"m=2&s=3"``, None while
    nobody leads), ``moves`` (how many times the lead moved: a follower that saw this number
    has nothing to do) and ``at`` (when it last moved, seconds since the epoch)."""
    place: str | None
    moves: int
    at: float | None


def valid_place(place) -> str:
    """A place the facilitator can lead to, ``"m=N&s=K"`` (module and step numbers, step
    from 1), normalised; anything else is :class:`Refused` (logged, by its length only)."""
    if not isinstance(place, str) or len(place) > 20:
        _refuse(f"lead place must be text like 'm=2&s=3', got {type(place).__name__}"
                + (f" of {len(place)} characters" if isinstance(place, str) else ""))
    found = _PLACE.fullmatch(place.strip())
    if not found or int(found.group(2)) < 1:
        _refuse(f"lead place of {len(place)} characters is not a module and step like "
                "'m=2&s=3'")
    return f"m={int(found.group(1))}&s={int(found.group(2))}"


def lead_pass(key) -> str:
    """What the facilitator's page keeps, once the key was typed, to lead a room:
    ``HMAC-SHA256(key, "bondlab: lead the room")`` in hex. It sets the lead and nothing
    else, and the key itself need not be kept; a wrong key makes a pass that
    :func:`set_lead` refuses."""
    text = key.strip() if isinstance(key, str) else ""
    return hmac.new(text.encode("utf-8"), b"bondlab: lead the room", "sha256").hexdigest()


def _check_pass(given) -> None:
    if not isinstance(given, str) or not hmac.compare_digest(
            given.encode("utf-8", "replace"), lead_pass(facilitator_key()).encode("ascii")):
        _refuse("lead pass does not match the facilitator key")


def _lead(conn, code) -> Lead:
    found = conn.execute("SELECT created + retention_days * 86400.0, closed, lead_place, "
                         "lead_moves, lead_at FROM rooms WHERE code = ?", (code,)).fetchall()
    row = found[0] if found else None  # fetchall: the read ends here, nothing stays open
    if row is None or row[0] < time.time():  # gone, or past its period and not purged yet
        raise NoSuchRoom("There is no room with that code any more.")
    if row[1]:
        raise RoomClosed("This room has closed.")
    return Lead(row[2], row[3], row[4])


def set_lead(code, place, pass_, path=None) -> int:
    """Lead room ``code`` to ``place`` (:func:`valid_place`); returns the lead's move count.

    Only with the facilitator's :func:`lead_pass` (else :class:`Refused`, logged); a room
    that is gone (:class:`NoSuchRoom`) or closed (:class:`RoomClosed`) is not led. The same
    place again is not a move.
    """
    code, place = valid_code(code), valid_place(place)
    _check_pass(pass_)
    with _Tx(path) as conn:
        now = _lead(conn, code)
        if now.place == place:
            return now.moves
        conn.execute("UPDATE rooms SET lead_place = ?, lead_moves = lead_moves + 1, "
                     "lead_at = ? WHERE code = ?", (place, time.time(), code))
    return now.moves + 1


def stop_lead(code, pass_, path=None) -> None:
    """Nobody leads room ``code`` any more (its followers wait); a room already gone is
    left as it is. Only with the facilitator's :func:`lead_pass`."""
    code = valid_code(code)
    _check_pass(pass_)
    with _Tx(path) as conn:
        conn.execute("UPDATE rooms SET lead_place = NULL, lead_at = ? WHERE code = ?",
                     (time.time(), code))


def lead_of(code, path=None) -> Lead:
    """Room ``code``'s :class:`Lead`: one read by primary key and no write (every follower
    asks twice a second), on a connection kept for it (opening one costs as much as a
    hundred such reads). :class:`NoSuchRoom` when the room is gone (deleted, or past its
    retention period even before the purge), :class:`RoomClosed` when it was closed."""
    code = valid_code(code)
    key = (str(Path(path) if path is not None else db_path()), threading.get_ident())
    conn = _READERS.get(key)
    if conn is None:
        conn = _READERS[key] = connect(path)
    return _lead(conn, code)


#: lead_of's connections, one per database file and thread (a kernel has one of each).
_READERS: dict[tuple[str, int], sqlite3.Connection] = {}


# --------------------------------------------------------------------------- facilitator key

def key_path() -> Path:
    """``$BONDLAB_FACILITATOR_KEY_FILE``, else ``state_dir() / "facilitator.key"``."""
    env = os.environ.get("BONDLAB_FACILITATOR_KEY_FILE")
    return Path(env).expanduser() if env else state_dir() / "facilitator.key"


def _new_key() -> str:
    return "-".join("".join(secrets.choice(ALPHABET) for _ in range(4)) for _ in range(4))


def facilitator_key() -> str:
    """The facilitator key: read from :func:`key_path`, or created there (mode 0600).

    A key file the facilitator set is used as it is (first line, stripped; at least 8
    characters). Otherwise a random key like ``K7QX-M3PA-9RTE-VW2H`` (about 78 bits) is
    written once; the server prints it at start and every kernel reads the same file.
    """
    path = key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process made it first: read theirs
        else:
            with os.fdopen(fd, "w") as f:
                f.write(_new_key() + "\n")
    text = path.read_text(encoding="utf-8").strip().splitlines()
    key = text[0].strip() if text else ""
    if len(key) < 8:
        raise RoomError(f"The facilitator key in {path} is shorter than 8 characters.")
    return key


def check_key(typed) -> bool:
    """Whether ``typed`` is the facilitator key (constant-time comparison; logged if not)."""
    if not isinstance(typed, str) or not typed.strip() or len(typed) > 200:
        log.warning("facilitator key refused: empty or not text")
        return False
    ok = hmac.compare_digest(typed.strip().encode("utf-8"),
                             facilitator_key().encode("utf-8"))
    if not ok:
        log.warning("facilitator key refused: does not match")
    return ok


# -- "room ready: N of M" (server/preheat.py writes it, the facilitator's page reads it) --
def ready_path() -> Path:
    """Where the server keeps how many workshop pages are ready: ``room-ready.json`` in
    :func:`state_dir`."""
    return state_dir() / "room-ready.json"


def write_ready(ready: int | None, of: int) -> None:
    """Keep the server's ready count for the facilitator's page; ``ready=None`` removes it
    (the server is stopping). Never raises: the count is a convenience."""
    try:
        path = ready_path()
        if ready is None:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        tmp.write_text(json.dumps({"ready": int(ready), "of": int(of), "pid": os.getpid(),
                                   "time": time.time()}))
        tmp.replace(path)
    except (OSError, ValueError, TypeError) as error:
        logging.getLogger("bondlab.room").warning("could not keep the ready count: %s", error)


def read_ready(path: Path | None = None) -> tuple[int, int] | None:
    """``(ready, of)`` as the server last said it, or None: no pool, a server that has
    stopped, or a file that is not what :func:`write_ready` writes.

    >>> read_ready(Path("/nonexistent/room-ready.json")) is None
    True
    """
    try:
        data = json.loads((path or ready_path()).read_text())
        ready, of, pid = int(data["ready"]), int(data["of"]), int(data["pid"])
        os.kill(pid, 0)  # the server that wrote it is still running
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None
    return (ready, of) if 0 <= ready <= of <= 1000 else None
