"""The class experiment's page (widgets/class_experiment.py): consent, room game, dashboard.

Widgets driven in plain Python against a temporary rooms database; the browser test with
several pages and one Voila server is tests/test_class_experiment_browser.py.
"""
from __future__ import annotations

import csv
import io
import logging
import socket
import sqlite3
from urllib.parse import unquote

import pytest

from workshop import room
from widgets import class_experiment as ce
from widgets.common import CALM_UPDATE, set_query_string
from widgets.lever_game import LeverGame


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("BONDLAB_STATE_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("BONDLAB_FACILITATOR_KEY_FILE", raising=False)
    monkeypatch.delenv("BONDLAB_PUBLIC_URL", raising=False)
    for var in ("SERVER_NAME", "SERVER_PORT", "SCRIPT_NAME"):
        monkeypatch.delenv(var, raising=False)
    return room.db_path()


@pytest.fixture
def room_log():
    messages: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            messages.append(record.getMessage())

    handler = Keep(logging.DEBUG)
    logger = logging.getLogger("bondlab")  # "bondlab.room" propagates to it
    logger.addHandler(handler)
    yield messages
    logger.removeHandler(handler)


def counts(path):
    if not path.exists():
        return {"rooms": 0, "assignments": 0, "results": 0}
    conn = sqlite3.connect(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
                for t in ("rooms", "assignments", "results")}
    finally:
        conn.close()


def play(game, n):
    for _ in range(n):
        game.check_button.click()
    game.stop_button.click()


def dashboard(code=None):
    d = ce.FacilitatorDashboard()
    d.key_field.value = room.facilitator_key()
    d.unlock_button.click()
    assert d.unlocked
    if code:
        d.open_field.value = code
        d.open_button.click()
    return d


# --------------------------------------------------------------------------- the game hook

def test_lever_game_takes_an_assigned_schedule_and_reports_its_end():
    ended = []
    for kind in ("continuous", "variable"):
        game = LeverGame(seed=3, kind=kind, on_finish=ended.append, intro="Room intro.")
        assert game.kind == kind
        assert "Room intro." in game.children[1].value
        play(game, 50)
        assert ended[-1] is game and game.stopped_at >= game.presses[-1][0]
        game.again_button.click()
        assert game.kind == kind, "Play again keeps the room's schedule"
    with pytest.raises(ValueError):
        LeverGame(kind="sometimes")


def test_a_failing_on_finish_shows_a_calm_line():
    game = LeverGame(seed=1, on_finish=lambda g: 1 / 0)
    play(game, 5)
    assert CALM_UPDATE in game.status.value and game.finished


def test_result_of_a_game(monkeypatch):
    import types
    import widgets.lever_game
    clock = iter(100.0 + 1.5 * k for k in range(1000))   # a check every 1.5 s, then stop
    monkeypatch.setattr(widgets.lever_game, "time",
                        types.SimpleNamespace(monotonic=lambda: next(clock)))
    game = LeverGame(seed=2, kind="continuous", rewards=4)
    play(game, 10)
    r = ce.result_of(game)
    assert r["presses"] == 10 and r["presses_after_stop"] == 6 == game.after_stop()
    # the 4th check (4.5 s after the 1st) brought the last message; stop came at 15 s
    assert r["seconds_to_stop"] == 10.5
    early = LeverGame(seed=2, kind="variable", rewards=40)
    play(early, 3)
    assert ce.result_of(early) == {"presses": 3, "presses_after_stop": 0,
                                   "seconds_to_stop": None}


# --------------------------------------------------------------------------- participant

def test_no_room_in_the_address_plain_game_and_nothing_written(db):
    page = ce.ParticipantRoom(code=None, seed=1)
    assert "ask your facilitator for the room link" in page.notice.value
    assert "you can still play on your own" in page.notice.value.lower()
    assert page.consent.children == () and isinstance(page.game, LeverGame)
    play(page.game, 20)
    assert counts(db) == {"rooms": 0, "assignments": 0, "results": 0}


@pytest.mark.parametrize("code", ["ZZZZZZ", "' OR 1=1 --", "<script>", "A" * 300])
def test_wrong_or_forged_code_gets_the_calm_message_and_plain_game(db, room_log, code):
    room.start_room()
    page = ce.ParticipantRoom(code=code, seed=1)
    assert "could not find an open room" in page.notice.value
    assert "Traceback" not in page.notice.value and page.code is None
    play(page.game, 30)
    assert counts(db)["results"] == 0 and counts(db)["assignments"] == 0
    assert any("room code" in m or "no room" in m for m in room_log)


def test_expired_room_code_gets_the_calm_message(db):
    code = room.start_room(retention_days=1)
    conn = sqlite3.connect(db)
    conn.execute("UPDATE rooms SET created = created - 3 * 86400")
    conn.commit()
    conn.close()
    page = ce.ParticipantRoom(code=code)
    assert "could not find an open room" in page.notice.value
    assert counts(db)["rooms"] == 0


def test_consent_comes_first_and_says_what_is_shared(db):
    code = room.start_room(retention_days=5)
    page = ce.ParticipantRoom(code=code.lower(), seed=1)
    text = page.consent.children[0].value
    for words in ("which hidden schedule", "how many times you checked", "No name",
                  "no free text", "within 5 days", "nothing leaves this page",
                  "on the computer that runs this workshop", "projected screen shows only",
                  "at least 5 people", "facilitator can see each result",
                  "random number and the times", "save a copy"):
        assert words in text, words
    until = ce._date(room.get_room(code).expires)
    assert f"deleted on {until}" in text
    assert page.game_box.children == (), "no game, and nothing sent, before the choice"
    assert counts(db)["assignments"] == 0


def test_saying_no_plays_and_sends_nothing(db, monkeypatch):
    code = room.start_room(rewards=5)
    page = ce.ParticipantRoom(code=code, seed=1)

    def no_network(*a, **k):
        raise AssertionError("network used")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    page.no_button.click()
    assert "leaves this page" in page.game.children[1].value
    assert page.game.rewards == 5, "the same game as the room, only not shared"
    play(page.game, 40)
    assert page.game.finished and page.after.children == ()
    page.yes_button.click()  # a late (or forged) yes after a no changes nothing
    assert counts(db)["assignments"] == 0 and counts(db)["results"] == 0


def test_saying_yes_plays_the_rooms_schedule_and_stores_the_result_once(db):
    code = room.start_room(rewards=5, ratio=3.0)
    page = ce.ParticipantRoom(code=code, seed=4)
    page.yes_button.click()
    assert counts(db)["assignments"] == 1 and counts(db)["results"] == 0
    game = page.game
    assert game.rewards == 5 and game.ratio == 3.0
    assert "added to the room" in game.children[1].value
    play(game, 60)
    stored = room.rows(code)
    assert len(stored) == 1 and stored[0]["schedule"] == game.kind
    assert stored[0]["presses"] == 60 and stored[0]["presses_after_stop"] == game.after_stop()
    assert "now part of the room" in page.after.children[0].value
    game.again_button.click()
    play(game, 10)
    assert len(room.rows(code)) == 1, "Play again does not add a second result"
    assert "already has your first round" in page.after.children[0].value


def test_the_rooms_view_only_after_reveal_and_never_a_row(db):
    code = room.start_room()
    for after in (101, 103, 107, 109, 113, 127, 131, 137, 139, 149):
        t = room.new_token()
        room.submit(code, t, room.join(code, t), 200, after, after + 0.25)
    page = ce.ParticipantRoom(code=code, seed=1)
    page.yes_button.click()
    play(page.game, 45)
    page.see_button.click()
    assert "has not shared" in page.room_view.value
    room.set_revealed(code)
    page.see_button.click()
    view = page.room_view.value
    assert "<table" in view and "<caption>" in view
    agg = room.aggregate(code)
    for kind in room.KINDS:
        assert f"<td>{agg[kind]['finished']}</td>" in view
    shown = {agg[k]["median_after"] for k in room.KINDS}
    assert None not in shown
    for r in room.rows(code):  # a person's own number appears only as a group's median
        if r["presses_after_stop"] not in shown:  # whole cells: 11 is no cell of 113
            assert f">{r['presses_after_stop']}<" not in view
        assert f"{r['seconds_to_stop']:.2f}" not in view


def test_a_room_closed_before_the_end_keeps_the_result_on_the_page(db):
    code = room.start_room()
    page = ce.ParticipantRoom(code=code, seed=1)
    page.yes_button.click()
    room.close_room(code)
    play(page.game, 40)
    assert "closed before you finished" in page.after.children[0].value
    assert counts(db)["results"] == 0


def test_forged_counts_from_the_page_are_refused_logged_not_stored(db, room_log):
    code = room.start_room()
    page = ce.ParticipantRoom(code=code, seed=1)
    page.yes_button.click()
    page.game.presses = [(0.0, True)] * 5000      # more checks than any game allows
    page.game.stop_index = 4000
    page.game.stop_button.click()
    assert "could not be added" in page.after.children[0].value
    assert counts(db)["results"] == 0
    assert any(m.startswith("refused: presses") for m in room_log)


def test_a_typed_code_joins_and_a_typed_forgery_does_not(db, room_log):
    code = room.start_room()
    page = ce.ParticipantRoom(code=None, seed=1)
    page.code_field.value = "'; DROP TABLE rooms; --"
    page.code_button.click()
    assert "could not find an open room" in page.notice.value and page.code is None
    assert counts(db)["rooms"] == 1
    page.code_field.value = code
    page.code_button.click()
    assert page.code == code and page.yes_button in page.consent.children[1].children


# --------------------------------------------------------------------------- facilitator

def test_facilitator_mode_without_the_key_shows_nothing_of_the_dashboard(db, room_log):
    code = room.start_room()
    t = room.new_token()
    room.submit(code, t, room.join(code, t), 40, 9, 4.0)
    set_query_string(f"mode=facilitator&room={code}&key=guess")
    try:
        page = ce.class_experiment()
    finally:
        set_query_string(None)
    assert isinstance(page, ce.FacilitatorDashboard) and not page.unlocked
    assert not hasattr(page, "start_button") and not hasattr(page, "panel")
    text = " ".join(getattr(c, "value", "") for c in page.children)
    assert code not in text and "finished" not in text
    for attempt in range(ce.MAX_KEY_TRIES):
        page.key_field.value = f"wrong-{attempt}"
        page.unlock_button.click()
        assert not page.unlocked and page.key_field.value == ""
    assert page.unlock_button.disabled and "no more tries" in page.status.value
    page.key_field.value = room.facilitator_key()  # even the right key: no more tries here
    page.unlock_button.click()
    assert not page.unlocked
    with pytest.raises(PermissionError):
        page.refresh()
    assert sum("facilitator key refused" in m for m in room_log) == ce.MAX_KEY_TRIES


def test_participant_page_is_the_default_and_lecture_mode(db):
    for query in ("", "mode=lecture", "mode=<b>"):
        set_query_string(query)
        try:
            assert isinstance(ce.class_experiment(), ce.ParticipantRoom)
        finally:
            set_query_string(None)


def test_start_a_room_link_qr_and_a_dashboard_of_thirty(db, monkeypatch):
    monkeypatch.setenv("SERVER_NAME", "192.168.1.20")
    monkeypatch.setenv("SERVER_PORT", "8866")
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/class_experiment.ipynb")
    d = dashboard()
    d.retention.value = 3
    d.start_button.click()
    code = d.code
    assert code and room.get_room(code).retention_days == 3
    assert d.link == f"http://192.168.1.20:8866/voila/render/class_experiment.ipynb?room={code}"
    assert 'src="data:image/svg+xml' in d.header.value and "alt=" in d.header.value
    assert "localhost" not in d.header.value
    for i in range(30):
        t = room.new_token()
        room.submit(code, t, room.join(code, t), 40 + i, i, 0.5 * i)
    d.refresh_button.click()
    redraws = d.redraws
    d.refresh_button.click()  # nothing new: the figure is not rendered again
    assert d.redraws == redraws
    assert "30 joined, 30 finished" in d.counts.value
    assert "30 joined, 30 finished" in d.summary.value
    agg = room.aggregate(code)
    for kind in room.KINDS:  # the projected figure: the group's median and middle half
        median = d.art[(kind, "presses_after_stop", "median")].get_ydata()
        assert list(median) == [agg[kind]["median_after"]] * 2
        assert tuple(d.art[(kind, "presses_after_stop", "middle")].get_ydata()) == \
            agg[kind]["middle_after"]
    exported = unquote(d.download.value.split('href="data:text/csv;charset=utf-8,')[1]
                       .split('"')[0])
    assert exported == room.export_csv(code)
    assert len(list(csv.DictReader(io.StringIO(exported)))) == 30
    assert 'download="results.csv"' in d.download.value


def test_localhost_link_warns(db):
    d = dashboard()
    d.start_button.click()
    assert "opened as localhost" in d.header.value


def test_public_url_setting_wins(db, monkeypatch):
    monkeypatch.setenv("BONDLAB_PUBLIC_URL", "http://10.0.0.5:9000/")
    monkeypatch.setenv("SCRIPT_NAME", "/voila/render/notebooks/class_experiment.ipynb")
    link, local = ce.participant_link("ABCDEF")
    assert link == "http://10.0.0.5:9000/voila/render/notebooks/class_experiment.ipynb?room=ABCDEF"
    assert not local
    monkeypatch.setenv("BONDLAB_PUBLIC_URL", "javascript:alert(1)")
    monkeypatch.setenv("SERVER_NAME", "evil\"><script>")
    link, local = ce.participant_link("ABCDEF")
    assert link.startswith("http://localhost") and local


def test_reveal_close_retention_and_delete(db):
    d = dashboard()
    d.start_button.click()
    code = d.code
    t = room.new_token()
    room.submit(code, t, room.join(code, t), 40, 9, 4.0)
    d.reveal_button.click()
    assert room.get_room(code).revealed and d.reveal_button.description == "Hide from the room"
    d.reveal_button.click()
    assert not room.get_room(code).revealed
    d.keep.value = 30
    assert room.get_room(code).retention_days == 30
    d.close_button.click()
    assert room.get_room(code).closed and d.close_button.disabled
    assert "closed" in d.counts.value
    d.delete_button.click()
    assert room.get_room(code)  # asking is not deleting
    no = d.confirm.children[2]
    no.click()
    assert d.confirm.children == () and room.get_room(code)
    d.delete_button.click()
    d.confirm.children[1].click()
    assert d.code is None and "deleted" in d.panel.children[0].value
    assert counts(db) == {"rooms": 0, "assignments": 0, "results": 0}


def test_forged_dashboard_values_are_refused_with_a_calm_line(db, room_log):
    d = dashboard()
    d.rewards.max = 10**6
    d.rewards.value = 10**6
    d.start_button.click()
    assert "could not start" in d.status.value and counts(db)["rooms"] == 0
    d.open_field.value = "<img src=x onerror=alert(1)>"
    d.open_button.click()
    assert "no room with that code" in d.status.value and "<img" not in d.status.value
    assert any(m.startswith("refused: rewards") for m in room_log)
    d.rewards.value = 8
    d.start_button.click()
    code = d.code
    d.keep.max = 10**6
    d.keep.value = 10**6          # a forged retention far past the allowed range
    assert "Not changed" in d.status.value
    assert room.get_room(code).retention_days == room.DEFAULT_RETENTION_DAYS
    assert any(m.startswith("refused: retention_days") for m in room_log)


def test_a_failing_refresh_shows_a_calm_line(db, monkeypatch):
    d = dashboard()
    d.start_button.click()
    monkeypatch.setattr(room, "rows", lambda *a, **k: 1 / 0)
    d.refresh_button.click()
    assert CALM_UPDATE in d.status.value and "Traceback" not in d.status.value


def test_the_dashboard_returns_to_a_deleted_room_calmly(db):
    d = dashboard()
    d.start_button.click()
    room.delete_room(d.code)
    d.refresh_button.click()
    assert "no longer exists" in d.panel.children[0].value


# --------------------------------------------------------------------------- what is projected

def _projected_values(d):
    """Every finite number the projected figure shows, and its text (axes, labels, summary)."""
    ys, texts = [], [d.summary.value, d.counts.value]
    for ax in d.axes:
        for line in ax.get_lines():
            ys += [float(y) for y in line.get_ydata() if y == y]
        texts += [t.get_text() for t in ax.texts]
        ys.append(ax.get_ylim()[1])
    return ys, " ".join(texts)


def test_the_projected_view_shows_no_single_result_below_the_threshold(db):
    """Below 5 results on a schedule the projector shows none of them, not even their
    median or the axis stretched to them; the single results are in a separate, folded
    panel marked as not for the projector."""
    code = room.start_room()
    d = dashboard(code)
    base = {"continuous": (500, 700.25), "variable": (200, 300.25)}  # far from the model's
    people = []
    for i in range(9):  # 4 on one schedule, 5 on the other
        t = room.new_token()
        kind = room.join(code, t)
        people.append((kind, base[kind][0] + i, base[kind][1] + i))
        room.submit(code, t, kind, 900, *people[-1][1:])
    d.refresh_button.click()
    few = min(room.KINDS, key=lambda k: sum(p[0] == k for p in people))
    many = next(k for k in room.KINDS if k != few)
    ys, text = _projected_values(d)
    mine = [p for p in people if p[0] == few]
    assert len(mine) == 4
    for low in base[few]:  # none of the 4 values, nor their median, on the projector
        assert not [y for y in ys if low - 1 <= y <= low + 10], (few, ys)
    for _, after, secs in mine:
        assert str(after) not in text and f"{secs:.0f}" not in text
    agg = room.aggregate(code)
    assert agg[few]["median_after"] is None and agg[many]["median_after"] is not None
    assert f"median of {agg[many]['median_after']:g}" in text  # the group of 5 is shown
    assert "shown once" in text
    panel = d.single_panel
    assert panel.selected_index is None, "folded by default"
    assert "not for the projector" in panel.get_title(0)
    assert panel not in d.panel.children[:3], "below the projected part, not in it"
    for _, after, secs in people:
        assert f"<td>{after}</td>" in d.singles.value and f"{secs:.1f}" in d.singles.value


def test_the_threshold_is_a_setting(db, monkeypatch):
    monkeypatch.setenv("BONDLAB_MIN_GROUP", "7")
    code = room.start_room()
    for i in range(12):
        t = room.new_token()
        room.submit(code, t, room.join(code, t), 900, 500 + i, 700.25 + i)
    d = dashboard(code)
    ys, text = _projected_values(d)
    assert not [y for y in ys if 500 <= y <= 720] and "shown once\n7" in text
    assert "at least 7 people" in ce.ParticipantRoom(code=code).consent.children[0].value


def test_the_retention_a_participant_was_shown_is_kept_when_the_room_is_changed(db):
    code = room.start_room(retention_days=7)
    page = ce.ParticipantRoom(code=code, seed=3)
    assert "within 7 days" in page.consent.children[0].value
    d = dashboard(code)
    d.keep.value = 30                 # the facilitator raises it while the page is open
    assert room.get_room(code).retention_days == 30
    page.yes_button.click()
    play(page.game, 60)
    assert len(room.rows(code)) == 1
    room.purge_expired(now=room.get_room(code).created + 8 * 86400)
    assert room.rows(code) == [], "kept no longer than the 7 days this participant was told"
    assert room.get_room(code).retention_days == 30


def test_the_export_says_what_to_do_with_the_file(db):
    d = dashboard()
    d.start_button.click()
    note = d.export_note.value
    until = ce._date(room.get_room(d.code).expires)
    for words in ("copy on this device", "does not reach it", f"delete it by {until}",
                  "ethics approval"):
        assert words in note, words


def test_consent_offers_two_equal_choices(db):
    page = ce.ParticipantRoom(code=room.start_room())
    assert page.yes_button.button_style == page.no_button.button_style == ""
