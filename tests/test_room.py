"""The room's store (workshop/room.py): many writers, killed writers, hostile values, retention.

Each test has its own database in a temporary directory. The concurrency tests write through
the kit's own functions (``join`` then ``submit``, one short transaction each), from 30
processes and from 30 threads released at the same instant.
"""
from __future__ import annotations

import csv
import io
import logging
import math
import multiprocessing
import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest

from workshop import room

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BONDLAB_FACILITATOR_KEY_FILE", raising=False)
    return room.db_path()


class Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record):
        self.messages.append(record.getMessage())


@pytest.fixture
def room_log():
    """What logger "bondlab.room" wrote (it may not propagate to pytest's caplog)."""
    handler = Records()
    logger = logging.getLogger("bondlab.room")
    logger.addHandler(handler)
    yield handler.messages
    logger.removeHandler(handler)


def table_counts(path) -> dict:
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("rooms", "assignments", "results")}
    finally:
        conn.close()


def _participant(args):
    """One participant's page in its own process: join, wait for the common instant, submit
    twice (a re-sent message), report what happened."""
    data_dir, code, token, start_at = args
    os.environ["BONDLAB_STATE_DIR"] = data_dir
    from workshop import room as r

    kind = r.join(code, token)
    time.sleep(max(0.0, start_at - time.time()))
    t = time.time()
    first = r.submit(code, token, kind, presses=40, presses_after_stop=7, seconds_to_stop=3.25)
    again = r.submit(code, token, kind, presses=40, presses_after_stop=7, seconds_to_stop=3.25)
    return kind, first, again, t, time.time()


def _check_thirty(db, code, outcomes, tokens):
    kinds = [o[0] for o in outcomes]
    assert all(o[1] is True for o in outcomes), "every first submit is stored"
    assert all(o[2] is False for o in outcomes), "a re-sent result is not stored again"
    conn = sqlite3.connect(db)
    stored = conn.execute("SELECT token, kind, presses, presses_after_stop, seconds_to_stop "
                          "FROM results WHERE room = ?", (code,)).fetchall()
    conn.close()
    assert len(stored) == 30 and {s[0] for s in stored} == set(tokens)
    assert sorted(s[1] for s in stored) == sorted(kinds)
    assert {s[2:] for s in stored} == {(40, 7, 3.25)}
    assert kinds.count("continuous") == kinds.count("variable") == 15
    assert room.room_counts(code) == {"joined": 30, "finished": 30}
    starts = [o[3] for o in outcomes]
    assert max(starts) - min(starts) < 1.0, "all 30 submitted within the same second"


def test_thirty_processes_submit_in_the_same_second_each_stored_once(db):
    code = room.start_room()
    tokens = [room.new_token() for _ in range(30)]
    start_at = time.time() + 3.0
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(30) as pool:
        outcomes = pool.map(_participant, [(str(db.parent), code, t, start_at) for t in tokens])
    _check_thirty(db, code, outcomes, tokens)
    spread = max(o[4] for o in outcomes) - min(o[3] for o in outcomes)
    print(f"30 processes: all stored once; first submit to last done {spread:.3f} s")


def test_thirty_threads_submit_in_the_same_second_each_stored_once(db):
    code = room.start_room()
    tokens = [room.new_token() for _ in range(30)]
    kinds = {t: room.join(code, t) for t in tokens}
    barrier = threading.Barrier(30)
    outcomes: list = []
    lock = threading.Lock()

    def page(token):
        barrier.wait()
        t = time.time()
        first = room.submit(code, token, kinds[token], presses=40, presses_after_stop=7,
                            seconds_to_stop=3.25)
        again = room.submit(code, token, kinds[token], presses=40, presses_after_stop=7,
                            seconds_to_stop=3.25)
        with lock:
            outcomes.append((kinds[token], first, again, t, time.time()))

    threads = [threading.Thread(target=page, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert len(outcomes) == 30
    _check_thirty(db, code, outcomes, tokens)


KILLED_IN_A_TRANSACTION = textwrap.dedent("""
    import sys, time
    from workshop import room
    code = sys.argv[1]
    with room._Tx(None) as conn:            # the kit's write transaction
        for i in range(2000):
            room._store_result(conn, code, f"killed-token-{i:06d}", "variable", 50, 10, 5.0,
                               None)
        print("inside", flush=True)
        time.sleep(120)                     # killed here, before COMMIT
""")

KILLED_WHILE_SUBMITTING = textwrap.dedent("""
    import sys
    from workshop import room
    code = sys.argv[1]
    print("go", flush=True)
    for i in range(100000):                 # killed somewhere in here
        token = room.new_token()
        room.submit(code, token, room.join(code, token), presses=60, presses_after_stop=12,
                    seconds_to_stop=6.5)
""")


def _run_and_kill(script, code, wait_for, after=0.0):
    child = subprocess.Popen([sys.executable, "-c", script, code], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        assert child.stdout.readline().strip() == wait_for
        time.sleep(after)
        child.send_signal(signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == -signal.SIGKILL


def _ten_good_rows(code):
    tokens = [room.new_token() for _ in range(10)]
    for i, t in enumerate(tokens):
        room.submit(code, t, room.join(code, t), presses=20 + i, presses_after_stop=i,
                    seconds_to_stop=float(i))
    return sorted((20 + i, i, float(i)) for i in range(10))


def _integrity(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_a_kernel_killed_inside_a_write_leaves_the_database_readable_and_intact(db):
    code = room.start_room()
    good = _ten_good_rows(code)
    _run_and_kill(KILLED_IN_A_TRANSACTION, code, "inside")
    assert _integrity(db) == "ok"
    kept = sorted((r["presses"], r["presses_after_stop"], r["seconds_to_stop"])
                  for r in room.rows(code))
    assert kept == good, "the killed transaction left nothing and took nothing"
    t = room.new_token()  # the write lock was released: the room still takes results
    assert room.submit(code, t, room.join(code, t), presses=5, presses_after_stop=0,
                       seconds_to_stop=None) is True


def test_a_kernel_killed_while_submitting_leaves_only_whole_results(db):
    code = room.start_room()
    good = _ten_good_rows(code)
    _run_and_kill(KILLED_WHILE_SUBMITTING, code, "go", after=1.0)
    assert _integrity(db) == "ok"
    rows = room.rows(code)
    theirs = [r for r in rows if r["presses"] == 60]
    assert sorted((r["presses"], r["presses_after_stop"], r["seconds_to_stop"])
                  for r in rows if r["presses"] != 60) == good
    assert theirs, "the child stored some results before it was killed"
    assert all((r["presses_after_stop"], r["seconds_to_stop"]) == (12, 6.5) for r in theirs)
    counts = room.room_counts(code)
    assert counts["finished"] == len(rows)
    assert counts["joined"] - counts["finished"] in (0, 1)  # killed between join and submit


HOSTILE = [
    dict(presses=-1), dict(presses=10**9), dict(presses="40"), dict(presses=40.0),
    dict(presses=True), dict(presses=None), dict(presses_after_stop=-3),
    dict(presses_after_stop=41), dict(presses_after_stop="7"), dict(seconds_to_stop=math.nan),
    dict(seconds_to_stop=math.inf), dict(seconds_to_stop=-0.5), dict(seconds_to_stop=1e12),
    dict(seconds_to_stop="3"), dict(seconds_to_stop=None), dict(kind="bogus"),
    dict(kind=["variable"]), dict(kind=None), dict(code="ABC0O1"), dict(code="' OR 1=1 --"),
    dict(code=123456), dict(code="A" * 5000), dict(token="short"), dict(token="x" * 500),
    dict(token="<script>alert(1)</script>......"), dict(kind="other-schedule"),
]


@pytest.mark.parametrize("bad", HOSTILE, ids=lambda d: f"{next(iter(d))}={str(d[next(iter(d))])[:12]}")
def test_hostile_values_are_refused_logged_and_never_stored(db, room_log, bad):
    code = room.start_room()
    token = room.new_token()
    kind = room.join(code, token)
    values = dict(code=code, token=token, kind=kind, presses=40, presses_after_stop=7,
                  seconds_to_stop=3.0)
    values.update(bad)
    if values["kind"] == "other-schedule":  # the schedule the room did not assign
        values["kind"] = "variable" if kind == "continuous" else "continuous"
    with pytest.raises(room.Refused) as refused:
        room.submit(values.pop("code"), values.pop("token"), values.pop("kind"), **values)
    assert refused.value.reason
    assert any(refused.value.reason in m and m.startswith("refused") for m in room_log)
    assert table_counts(db)["results"] == 0


def test_a_result_for_a_closed_or_unknown_room_is_not_stored(db):
    code = room.start_room()
    token = room.new_token()
    kind = room.join(code, token)
    room.close_room(code)
    with pytest.raises(room.RoomClosed):
        room.submit(code, token, kind, 10, 2, 1.0)
    with pytest.raises(room.RoomClosed):
        room.join(code, room.new_token())
    with pytest.raises(room.NoSuchRoom):
        room.submit("ZZZZZZ", token, kind, 10, 2, 1.0)
    with pytest.raises(room.Refused):  # a token that never joined cannot post
        room.submit(room.start_room(), room.new_token(), "variable", 10, 2, 1.0)
    assert table_counts(db)["results"] == 0


def test_rooms_are_purged_after_their_retention_period(db):
    short, long_ = room.start_room(retention_days=7), room.start_room(retention_days=7)
    for code in (short, long_):
        t = room.new_token()
        room.submit(code, t, room.join(code, t), 10, 2, 1.0)
    room.set_retention(long_, 30)
    assert room.get_room(long_).retention_days == 30
    assert room.purge_expired(now=time.time() + 6 * 86400) == 0
    assert room.purge_expired(now=time.time() + 8 * 86400) == 1
    conn = sqlite3.connect(db)
    left = {t: conn.execute(f"SELECT COUNT(*) FROM {t} WHERE {c} = ?", (short,)).fetchone()[0]
            for t, c in (("rooms", "code"), ("assignments", "room"), ("results", "room"))}
    conn.close()
    assert left == {"rooms": 0, "assignments": 0, "results": 0}
    assert room.get_room(long_).code == long_
    with pytest.raises(room.Refused):
        room.set_retention(long_, 0)
    with pytest.raises(room.Refused):
        room.set_retention(long_, 10**6)


def test_an_expired_room_is_gone_on_the_next_access(db):
    code = room.start_room(retention_days=1)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE rooms SET created = created - 2 * 86400 WHERE code = ?", (code,))
    conn.commit()
    conn.close()
    with pytest.raises(room.NoSuchRoom) as gone:
        room.get_room(code)
    assert "no room with that code" in str(gone.value)
    assert table_counts(db)["rooms"] == 0


def test_wrong_codes_get_a_calm_message(db, room_log):
    room.start_room()
    with pytest.raises(room.NoSuchRoom) as unknown:
        room.open_room("ZZZZZZ")
    assert "may have ended" in str(unknown.value) and "Traceback" not in str(unknown.value)
    with pytest.raises(room.Refused):
        room.open_room("not a code!")
    assert any("room code" in m for m in room_log)
    assert room.open_room(" " + room.start_room().lower() + " ")  # typed loosely: still found


def test_codes_are_short_and_unambiguous(db):
    codes = {room.start_room() for _ in range(40)}
    assert len(codes) == 40
    for code in codes:
        assert len(code) == 6 and not set(code) & set("0O1IL")


def test_export_csv_matches_the_rows_and_holds_no_identifier(db):
    code = room.start_room()
    tokens = []
    for i in range(12):
        t = room.new_token()
        tokens.append(t)
        room.submit(code, t, room.join(code, t), presses=30 + i, presses_after_stop=i % 5,
                    seconds_to_stop=None if i == 5 else i * 1.5)
    text = room.export_csv(code)
    parsed = list(csv.DictReader(io.StringIO(text)))
    assert list(parsed[0]) == ["row", "schedule", "presses", "presses_after_stop",
                               "seconds_to_stop"]
    rows = room.rows(code)
    assert len(parsed) == len(rows) == 12
    for p, r in zip(parsed, rows):
        assert int(p["row"]) == r["row"] and p["schedule"] == r["schedule"]
        assert int(p["presses"]) == r["presses"]
        assert int(p["presses_after_stop"]) == r["presses_after_stop"]
        if r["seconds_to_stop"] is None:  # stopped before the messages ran out
            assert p["seconds_to_stop"] == ""
        else:
            assert float(p["seconds_to_stop"]) == pytest.approx(r["seconds_to_stop"])
    assert not any(t in text for t in tokens) and code not in text


def test_delete_leaves_nothing_not_even_in_the_file(db):
    keep = room.start_room()
    code = room.start_room()
    tokens = [room.new_token() for _ in range(8)]
    for t in tokens + [room.new_token()]:
        room.submit(code, t, room.join(code, t), 50, 10, 4.0)
    t = room.new_token()
    room.submit(keep, t, room.join(keep, t), 50, 10, 4.0)
    room.delete_room(code)
    conn = sqlite3.connect(db)
    left = sum(conn.execute(f"SELECT COUNT(*) FROM {t} WHERE {c} = ?", (code,)).fetchone()[0]
               for t, c in (("rooms", "code"), ("assignments", "room"), ("results", "room")))
    conn.close()
    assert left == 0
    assert room.rows(keep) and room.room_counts(keep) == {"joined": 1, "finished": 1}
    raw = b"".join(p.read_bytes() for p in db.parent.glob("rooms.sqlite3*"))
    assert not any(tok.encode() in raw for tok in tokens), "deleted rows overwritten"
    assert code.encode() not in raw
    with pytest.raises(room.NoSuchRoom):
        room.get_room(code)


def test_assignment_is_balanced_and_sticky(db):
    code = room.start_room()
    tokens = [room.new_token() for _ in range(31)]
    kinds = [room.join(code, t) for t in tokens]
    assert sorted((kinds.count("continuous"), kinds.count("variable"))) == [15, 16]
    assert [room.join(code, t) for t in tokens] == kinds
    firsts = {room.join(room.start_room(), room.new_token()) for _ in range(30)}
    assert firsts == {"continuous", "variable"}, "ties are broken at random"


def test_group_figures_only_for_groups_of_five_by_default_or_the_setting(db, monkeypatch,
                                                                         room_log):
    code = room.start_room()
    for after in (2, 4, 9, 30, 31, 33, 40, 41):
        t = room.new_token()
        kind = room.join(code, t)
        room.submit(code, t, kind, 60, after, after / 2)
    agg = room.aggregate(code)
    assert agg["continuous"]["finished"] == agg["variable"]["finished"] == 4
    assert agg["continuous"]["median_after"] is None  # 4 < 5: close to a person's number
    assert agg["variable"]["middle_seconds"] is None
    assert room.aggregate(code, group=4)["continuous"]["median_after"] is not None
    monkeypatch.setenv("BONDLAB_MIN_GROUP", "8")
    assert room.min_group() == 8
    for bad in ("2", "five", "-7"):  # never below the floor; a bad value is logged, not raised
        monkeypatch.setenv("BONDLAB_MIN_GROUP", bad)
        assert room.min_group() == room.MIN_GROUP == 5
    assert any("BONDLAB_MIN_GROUP" in m for m in room_log)


def test_the_database_lives_in_the_data_dir_privately_in_wal_mode(db, tmp_path):
    code = room.start_room()
    assert db == tmp_path / "data" / "rooms.sqlite3" and db.exists()
    assert not str(db).startswith(str(ROOT))
    assert stat.S_IMODE(db.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(db.stat().st_mode) == 0o600
    conn = room.connect()
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    conn.close()
    assert room.get_room(code).retention_days == room.DEFAULT_RETENTION_DAYS


def test_default_state_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("BONDLAB_STATE_DIR", raising=False)
    monkeypatch.delenv("BONDLAB_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert room.state_dir() == tmp_path / "xdg" / "bondlab"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert room.state_dir() == tmp_path / "home" / ".local" / "share" / "bondlab"


def test_the_old_name_of_the_state_dir_still_works_with_a_warning(monkeypatch, tmp_path):
    monkeypatch.delenv("BONDLAB_STATE_DIR", raising=False)
    monkeypatch.setenv("BONDLAB_DATA_DIR", str(tmp_path / "old"))
    with pytest.warns(FutureWarning, match="BONDLAB_STATE_DIR"):
        assert room.state_dir() == tmp_path / "old"
    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path / "new"))
    assert room.state_dir() == tmp_path / "new"  # the new name wins, and says nothing


def test_facilitator_key_is_made_once_privately_and_checked(db, room_log, tmp_path,
                                                            monkeypatch):
    key = room.facilitator_key()
    path = room.key_path()
    assert path.parent == db.parent and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert room.facilitator_key() == key and len(key) >= 16
    assert room.check_key(key) and room.check_key(f" {key}\n")
    for wrong in ("", "   ", key[:-1], key.lower() + "x", None, 12, "x" * 10_000):
        assert not room.check_key(wrong)
    assert sum("facilitator key refused" in m for m in room_log) == 7
    own = tmp_path / "my.key"
    own.write_text("correct horse battery staple\n")
    monkeypatch.setenv("BONDLAB_FACILITATOR_KEY_FILE", str(own))
    assert room.facilitator_key() == "correct horse battery staple"
    assert room.check_key("correct horse battery staple") and not room.check_key(key)
    own.write_text("short\n")
    with pytest.raises(room.RoomError):
        room.facilitator_key()


def test_settings_are_validated(db, room_log):
    room.connect().close()
    for bad in (dict(rewards=0), dict(rewards=10**6), dict(ratio=math.nan), dict(ratio=1.0),
                dict(ratio="4"), dict(retention_days=0), dict(retention_days=3.5)):
        with pytest.raises(room.Refused):
            room.start_room(**bad)
    assert table_counts(db)["rooms"] == 0
    assert len([m for m in room_log if m.startswith("refused")]) == 7


def test_the_engine_layer_imports_no_jupyter():
    code = ("import sys, workshop.room; bad = [m for m in ('ipywidgets', 'IPython', "
            "'matplotlib.pyplot', 'voila') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert out.stdout.strip() == "[]", out.stderr


def _expiry(table, code, path=None):
    conn = room.connect(path)
    try:
        return [r[0] for r in conn.execute(f"SELECT expires FROM {table} WHERE room = ?",
                                           (code,))]
    finally:
        conn.close()


def test_a_longer_retention_set_later_never_extends_a_stored_result(db):
    """Each row keeps the period its participant was shown; raising the room's period
    afterwards applies to later results only, and lowering it shortens every row."""
    code = room.start_room(retention_days=7)
    created = room.get_room(code).created
    early = room.new_token()
    room.submit(code, early, room.join(code, early, shown_days=7), 10, 2, 1.0)
    shown_7 = room.new_token()
    kind = room.join(code, shown_7, shown_days=7)  # agreed at 7 days, finishes after the change
    room.set_retention(code, 30)
    room.submit(code, shown_7, kind, 12, 3, 2.0)
    late = room.new_token()
    room.submit(code, late, room.join(code, late, shown_days=30), 14, 4, 3.0)
    assert sorted(_expiry("results", code)) == [created + 7 * 86400] * 2 + [created + 30 * 86400]
    assert room.purge_expired(now=created + 8 * 86400) == 0  # the room stays ...
    assert [r["presses"] for r in room.rows(code)] == [14]    # ... with the later result only
    assert len(_expiry("assignments", code)) == 1
    assert room.purge_expired(now=created + 31 * 86400) == 1
    with pytest.raises(room.NoSuchRoom):
        room.get_room(code)


def test_a_shown_period_cannot_outlast_the_rooms_and_is_validated(db, room_log):
    code = room.start_room(retention_days=3)
    t = room.new_token()
    room.submit(code, t, room.join(code, t, shown_days=20), 10, 2, 1.0)  # a forged, longer one
    assert _expiry("results", code) == [room.get_room(code).expires]
    for bad in (0, 91, 2.5, "7"):
        with pytest.raises(room.Refused):
            room.join(code, room.new_token(), shown_days=bad)


def test_rows_of_a_database_from_before_per_row_expiry_expire_with_their_room(tmp_path):
    old = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(old)
    conn.executescript(room._SCHEMA.replace("    expires REAL,\n", ""))
    conn.execute("INSERT INTO rooms (code, created, retention_days, rewards, ratio) "
                 "VALUES ('ABCDEF', ?, 7, 8, 4.0)", (time.time() - 8 * 86400,))
    conn.execute("INSERT INTO results VALUES ('ABCDEF', 'a', 'variable', 5, 1, 1.0, 0)")
    conn.commit()
    conn.close()
    assert room.purge_expired(path=old) == 1
    assert room.rows("ABCDEF", path=old) == []


def test_a_mistyped_code_never_reaches_the_log(db, room_log):
    with pytest.raises(room.Refused):
        room.valid_code("my-secret-word")
    assert room_log and not any("secret" in m for m in room_log)
