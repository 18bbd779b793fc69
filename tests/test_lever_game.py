"""Lever game "Check your phone": hidden schedule, silent stop, own record vs prediction."""
import socket

import numpy as np
import pytest

import bondlab
from widgets.common import CALM_UPDATE
from widgets.lever_game import LeverGame


def play(game, n):
    for _ in range(n):
        game.check_button.click()


@pytest.mark.parametrize("seed", range(6))
def test_messages_stop_after_the_set_number(seed):
    game = LeverGame(seed=seed, rewards=5)
    play(game, 80)
    got = [g for _, g in game.presses]
    assert sum(got) == 5
    assert not any(got[game.stop_index:])
    assert got[game.stop_index - 1] is True
    if game.kind == "continuous":
        assert got[:5] == [True] * 5


def test_both_schedules_are_assigned_and_page_seeded():
    kinds = {LeverGame(seed=s).kind for s in range(20)}
    assert kinds == {"continuous", "variable"}
    assert LeverGame(seed=7).kind == LeverGame(seed=7).kind


def test_records_presses_with_times_then_shows_record_and_prediction():
    game = LeverGame(seed=2, rewards=4)
    play(game, 30)
    times = [t for t, _ in game.presses]
    assert len(times) == 30 and times == sorted(times) and times[0] == 0
    game.stop_button.click()
    assert game.finished and game.check_button.disabled
    line = game.art["record"]["line"]
    assert line.get_ydata()[-1] == 30
    you = game.art["prediction"]["you"].get_ydata()[0]
    assert you == 30 - game.stop_index == game.after_stop()
    pred = bondlab.presses_after_rewards_stop("variable", rewards=4, ratio=4.0)
    assert np.median(pred) == np.median(game.predictions["variable"])
    assert f"checked {game.after_stop()} more times" in game.summary.value
    assert "Your hidden schedule" in game.result.children[1].value
    play(game, 3)                       # no effect once finished
    assert len(game.presses) == 30


def test_play_again_forgets_the_round():
    game = LeverGame(seed=4)
    play(game, 5)
    game.stop_button.click()
    game.again_button.click()
    assert game.presses == [] and not game.finished and game.result.children == ()


def test_stopping_before_messages_run_out():
    game = LeverGame(seed=5, rewards=50)
    play(game, 3)
    game.stop_button.click()
    assert "no \u201cafter\u201d" in game.summary.value


def test_nothing_leaves_the_page(monkeypatch, tmp_path):
    def no_network(*a, **k):
        raise AssertionError("network used")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.chdir(tmp_path)
    game = LeverGame(seed=1)
    play(game, 20)
    game.stop_button.click()
    assert list(tmp_path.iterdir()) == []


def test_error_boundary(monkeypatch):
    game = LeverGame(seed=1)
    monkeypatch.setattr(game, "schedule", None)
    game.check_button.click()
    assert CALM_UPDATE in game.status.value
