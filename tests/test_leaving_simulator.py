"""Leaving simulator: four strategies, withdrawal bands, the cost of one contact, safety."""
import numpy as np
import pytest

import bondlab
from widgets.common import CALM_UPDATE
from widgets.leaving_simulator import STRATEGIES, LeavingSimulator
from widgets.panel import SAFETY_LINE


@pytest.fixture(scope="module")
def sim():
    return LeavingSimulator(people=80)


def test_four_strategies_and_safety_line(sim):
    assert list(sim.results) == list(STRATEGIES)
    assert sim.scenarios["grey rock"].grey_rock is True
    assert sim.scenarios["support from others"].support == 0.6
    assert SAFETY_LINE in sim.children[1].value.replace("&#x27;", "'")


def test_panels_show_engine_withdrawal_and_an_example_person(sim):
    r = sim.results["occasional contact"]
    art = sim.art[2]
    assert np.allclose(art["band"][0].get_ydata(), r.band("withdrawal")[0][180:])
    assert np.allclose(art["example"].get_ydata(), r.withdrawal[0, 180:])
    assert list(art["contacts"].get_xdata()) == [30, 60, 90, 120, 150, 180]


def test_contact_slider_and_cost_line(sim):
    sim.every.value = 45
    assert sim.scenarios["occasional contact"].contacts == (45, 90, 135, 180)
    cost = bondlab.contact_cost(sim.scenarios["no contact"], after_days=45)
    assert sim.cost == cost
    assert f"on day 45 of no contact lifts the pull from {cost['pull_before']:.2f}" \
        in sim.cost_line.value


def test_support_and_noise_sliders(sim):
    sim.support.value = 1.0
    assert sim.results["support from others"].params["support"] == 1.0
    sim.noise.value = 0.5
    assert all(r.params["mood_noise"] == 0.5 for r in sim.results.values())
    assert "ups and downs" in sim.summary.value


def test_clamp_and_error_boundary(sim, monkeypatch):
    sim.every.max = 10 ** 6
    sim.every.value = 10 ** 6
    assert sim.every.value == 90
    monkeypatch.setattr(sim, "run_model", lambda: 1 / 0)
    sim.every.value = 20
    assert CALM_UPDATE in sim.status.value
