"""bondlab.learners: the fast path of change detection gives the step's numbers."""

import numpy as np
import pytest

import bondlab
from bondlab import ChangeDetection


@pytest.mark.parametrize("observation,prior_a,spread", [("rate", 1.0, 0.3),
                                                        ("bernoulli", 2.0, 0.0)])
def test_fast_change_detection_matches_step(observation, prior_a, spread):
    rng = np.random.default_rng(2)
    P, T, T1 = 40, 150, 90
    x = (rng.random((T, P)) < 0.4).astype(bondlab.DTYPE)
    x[T1:] = 0
    x[T1 + 20] = 1                                  # a contact
    reward = (x * (1 + rng.random((T, P)))).astype(bondlab.DTYPE)
    cue = ((rng.random((T - T1, P)) < 0.2) * 2.0).astype(bondlab.DTYPE)
    sens = np.exp(spread * rng.standard_normal(P)).astype(bondlab.DTYPE)
    cd = ChangeDetection(observation=observation, prior_a=prior_a)
    su, pull = np.empty((T, P), bondlab.DTYPE), np.empty((T, P), bondlab.DTYPE)
    fast = cd.begin(P, sens)
    for t0, t1 in ((0, 50), (50, T1)):             # in chunks, as Scenario goes
        fast.days(x[t0:t1], reward[t0:t1], su[t0:t1], pull[t0:t1])
    for t0, t1 in ((T1, 100), (100, T)):           # (90, 100): no warmth at all
        xs = None if not x[t0:t1].any() else x[t0:t1]
        fast.days(xs, reward[t0:t1], su[t0:t1], pull[t0:t1], cue=cue[t0 - T1:t1 - T1],
                  cue_decay=0.7)
    st = cd.begin(P, sens)
    R = np.zeros(P, bondlab.DTYPE)
    su1, pull1 = np.empty(P, bondlab.DTYPE), np.empty(P, bondlab.DTYPE)
    for t in range(T):
        if t >= T1:
            st.offset = R
            R *= bondlab.DTYPE(0.7)
            R += cue[t - T1]
        st.step(x[t], reward[t], surprise=su1, pull=pull1)
        assert np.allclose(su[t], su1, atol=1e-5) and np.allclose(pull[t], pull1, atol=1e-5)

