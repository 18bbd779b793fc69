"""Opponent-process playground: exposure train -> OpponentProcess -> three lines, playable."""
import numpy as np
import pytest

import bondlab
from widgets.common import CALM_UPDATE
from widgets.opponent_playground import OpponentPlayground


@pytest.fixture
def pg():
    return OpponentPlayground()


def test_lines_are_the_engine_history(pg):
    h = bondlab.OpponentProcess().run(bondlab.exposure_train(spacing=20, intensity=1.0,
                                                             count=5))
    assert np.allclose(pg.art["felt"].get_ydata(), h.felt[0])
    assert np.allclose(pg.art["b"].get_ydata(), -h.b[0])
    assert "tolerance" in pg.summary.value and "withdrawal" in pg.summary.value


def test_sliders_change_the_train(pg):
    pg.sliders["count"].value = 9
    pg.sliders["spacing"].value = 15
    assert len(pg.stimulus) == 10 + 8 * 15 + 10 + 150
    assert (np.diff((pg.stimulus > 0).astype(int)) == 1).sum() == 9
    assert "9 pleasant exposures, one every 15 steps" in pg.summary.value


def test_play_step_pause_reset(pg):
    pg.play.value = 0
    assert len(pg.art["felt"].get_xdata()) == 1
    pg.step_button.click()
    assert pg.play.value == pg._step
    assert len(pg.art["felt"].get_xdata()) == pg._step + 1
    pg.play_button.value = True
    assert pg.play_button.description == "Pause"
    pg.tick()
    assert pg.play.value == 2 * pg._step
    pg.step_button.click()                  # Step pauses
    assert pg.playing is False and pg.play_button.description == "Play"
    pg.sliders["intensity"].value = -2.0
    pg.reset_button.click()
    assert {n: s.value for n, s in pg.sliders.items()} == {n: bondlab.exposure_train.parameters[n].default for n in pg.sliders}
    assert pg.play.value == pg.play.max


def test_play_from_the_end_restarts_and_pauses_at_the_end(pg):
    assert pg.play.value == pg.play.max
    pg.play_button.value = True
    assert pg.play.value == 0
    for _ in range(200):
        pg.tick()
    assert pg.play.value == pg.play.max and not pg.playing


def test_clamp_and_error_boundary(pg, monkeypatch):
    pg.sliders["intensity"].max = 50.0
    pg.sliders["intensity"].value = 50.0
    assert pg.sliders["intensity"].value == 3.0
    monkeypatch.setattr(pg, "run_model", lambda: 1 / 0)
    pg.sliders["count"].value = 2
    assert CALM_UPDATE in pg.status.value
