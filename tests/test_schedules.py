"""bondlab.schedules: specs, shapes and rates."""

import numpy as np
import pytest

import bondlab
from bondlab import Continuous, Extinction, FixedInterval, FixedRatio, RandomRatio, VariableRatio


def test_schedule_from_spec():
    s = bondlab.schedule_from_spec
    assert s("crf") == Continuous() and s("EXT") == Extinction()
    assert s("FR3") == FixedRatio(n=3) and s("VR5") == VariableRatio(n=5.0)
    assert s("RR0.25") == RandomRatio(p=0.25) and s("VI30").spec() == "VI30"
    for bad in ("XX", "RR", "CRF2", "RR1.5", "FR0", "", "VR-1"):
        with pytest.raises(ValueError):
            s(bad)


def test_schedules_shapes_and_rates():
    rng = np.random.default_rng(0)
    assert FixedRatio(n=4).outcomes(400, 3, rng).sum(axis=1).tolist() == [100] * 3
    x = VariableRatio(n=4).outcomes(8000, 2, rng)
    assert x.shape == (2, 8000) and abs(x.mean() - 0.25) < 0.02
    assert FixedInterval(t=5).outcomes(50, 1, rng).sum() == 10



def test_then_switches_to_extinction_keeping_the_draws_before():
    from bondlab.schedules import Then
    inner = bondlab.RandomRatio(p=0.5)
    alone = bondlab.Schedule.outcomes(inner, 40, people=30, rng=7)  # step by step, as Then
    switched = Then(inner, at=25).outcomes(40, people=30, rng=7)
    assert np.array_equal(switched[:, :25], alone[:, :25]) and alone[:, 25:].any()
    assert not switched[:, 25:].any()
    back = Then(bondlab.Extinction(), at=3, after=bondlab.Continuous()).outcomes(5, rng=0)
    assert back.tolist() == [[False, False, False, True, True]]
    with pytest.raises(ValueError, match="'inner' parameter of Then"):
        Then(None, at=3).outcomes(5)
