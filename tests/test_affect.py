"""bondlab.affect: the fast path of the opponent process gives the step's numbers."""

import numpy as np
import pytest

import bondlab
from bondlab import OpponentProcess


@pytest.mark.parametrize("allostasis", [0.0, 0.3])
def test_fast_opponent_process_matches_the_stepper(allostasis):
    from bondlab._fast.felt_days import FeltDays
    rng = np.random.default_rng(1)
    P, T = 50, 120
    S = (rng.random((2, T, P)) < 0.3) * rng.random((2, T, P)) * 2
    S = S.astype(bondlab.DTYPE)
    sens = np.exp(0.3 * rng.standard_normal(P)).astype(bondlab.DTYPE)
    op = OpponentProcess(allostasis=allostasis, growth=0.05)
    D = np.empty((T, 2, P), bondlab.DTYPE)
    felt = FeltDays(op.validate(), P, 2, sens)
    felt.run(S, D)
    scale = felt.scale
    st = op.begin((2, P), 1.0, sens)
    for t in range(T):
        st.step(S[:, t])
        want = st.a - st.b
        want[0] += st.sp[0] + st.sp[1]
        assert np.allclose(D[t] * scale, want, rtol=1e-4, atol=1e-5), t

