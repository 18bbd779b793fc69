"""bondlab.agent: the fast loop of the responding agent gives the step-by-step numbers."""

import numpy as np
import pytest

from bondlab import RespondingAgent


def _agent_reference(agent, schedule, ticks, people, seed, record_from=0):
    """RespondingAgent.run written out step by step (as before it was made faster)."""
    from bondlab._params import make_rng
    from bondlab.agent import CLUE_BINS, Q0, ResponseRecord
    from bondlab.schedules import schedule_from_spec

    def tau_bin(tau, cap):
        return np.minimum(np.where(tau < 20, tau, 20 + (tau - 20) // 2), cap)

    schedule = schedule_from_spec(schedule) if isinstance(schedule, str) else schedule
    v = agent.validate()
    rng = make_rng(seed)
    P, rows = people, np.arange(people)
    Q = [np.full((P, nb, 2), Q0) for nb in CLUE_BINS]
    err = np.ones((3, P))
    n, tau, g = (np.zeros(P, np.int64) for _ in range(3))
    caps = [nb - 1 for nb in CLUE_BINS]
    state = schedule.start(P, rng)
    U = rng.random((ticks, P))
    noise = np.exp(v["timing_noise"] * rng.standard_normal((ticks, P)))
    resp, rfs = [], []
    prev = None
    for t in range(ticks):
        bins = (np.minimum(n, caps[0]),
                tau_bin(np.rint(tau * noise[t]).astype(np.int64), caps[1]),
                np.minimum(g, caps[2]))
        q0 = np.stack([Q[k][rows, bins[k], 0] for k in range(3)])
        q1 = np.stack([Q[k][rows, bins[k], 1] for k in range(3)])
        wts = 1.0 / err ** 2
        wts /= wts.sum(axis=0)
        adv = ((q1 - q0) * wts).sum(axis=0)
        p = 1.0 / (1.0 + np.exp(np.clip(-v["beta"] * adv, -50, 50)))
        act = U[t] < p
        q = np.where(act, q1, q0)
        if prev is not None:
            pbins, pai, pq, pr = prev
            d = pr + v["gamma"] * q - pq
            err += 0.02 * (d * d - err)
            d *= v["alpha"]
            for k in range(3):
                Q[k][rows, pbins[k], pai] += d[k]
        rf = schedule.step(state, act, rng)
        prev = (bins, act.astype(np.int64), q, rf.astype(float) - v["cost"] * act)
        if t >= record_from:
            resp.append(act)
            rfs.append(rf)
        n = np.where(rf, 0, n + act)
        tau = np.where(rf, 0, tau + 1)
        g = np.where(act, 0, g + 1)
    return ResponseRecord(np.array(resp).T, np.array(rfs).T)


@pytest.mark.parametrize("spec,kw", [
    ("VR5", {}), ("FR10", {"record_from": 150}), ("FI20", {"people": 7}),
    ("VI15", {"seed": 5}), ("CRF", {}), ("EXT", {}),
    ("RR0.3", {"agent": RespondingAgent(timing_noise=0.0, beta=5.0, alpha=0.9)}),
])
def test_agent_run_matches_the_step_by_step_reference(spec, kw):
    kw = {"people": 12, "seed": 1, "record_from": 0, **kw}
    agent = kw.pop("agent", RespondingAgent())
    fast = agent.run(spec, ticks=400, **kw)
    ref = _agent_reference(agent, spec, ticks=400, **kw)
    assert fast.responses.shape == (kw["people"], 400 - kw["record_from"])
    assert np.array_equal(fast.responses, ref.responses)
    assert np.array_equal(fast.reinforced, ref.reinforced)

