"""bondlab.agent: the responding agent; its fast loop gives the step-by-step numbers."""

import numpy as np
import pytest

from bondlab import RespondingAgent


@pytest.mark.parametrize("spec,kw", [
    ("VR5", {}), ("FR10", {"record_from": 150}), ("FI20", {"people": 7}),
    ("VI15", {"seed": 5}), ("CRF", {}), ("EXT", {}),
    ("RR0.3", {"agent": RespondingAgent(timing_noise=0.0, beta=5.0, alpha=0.9)}),
])
def test_the_fast_loop_gives_the_step_by_step_models_numbers(spec, kw):
    kw = {"people": 12, "seed": 1, "record_from": 0, **kw}
    agent = kw.pop("agent", RespondingAgent())
    fast = agent.run(spec, ticks=400, **kw)
    ref = agent.run(spec, ticks=400, fast=False, **kw)
    assert fast.responses.shape == (kw["people"], 400 - kw["record_from"])
    assert np.array_equal(fast.responses, ref.responses)
    assert np.array_equal(fast.reinforced, ref.reinforced)

