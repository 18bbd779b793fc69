"""bondlab.ASSUMPTIONS: every fixed number of the model, listed with its reason."""

import importlib
import inspect
import re

import bondlab


def test_every_assumption_names_the_value_the_model_uses():
    names = [a.name for a in bondlab.ASSUMPTIONS]
    assert len(names) == len(set(names))
    for a in bondlab.ASSUMPTIONS:
        module, attr = a.name.split(".")
        assert getattr(importlib.import_module(f"bondlab.{module}"), attr) == a.value, a.name
        assert len(a.meaning) > 20 and len(a.why) > 20, a.name


def test_the_scenarios_fixed_numbers_are_all_listed():
    import bondlab.scenario as sc
    source = inspect.getsource(sc)
    listed = {a.name for a in bondlab.ASSUMPTIONS}
    constants = {f"scenario.{k}" for k, v in vars(sc).items()
                 if re.search(rf"^{k} = ", source, re.M) and isinstance(v, (int, float, dict))
                 and k != "OUTPUT_HELP"}
    assert {"scenario.HIT_LEVEL", "scenario.REMINDER_DAYS"} <= constants <= listed, \
        constants - listed


def test_changing_an_assumption_changes_the_run(monkeypatch):
    """They are the numbers the model runs on: a run sees a changed one."""
    import bondlab.scenario as sc
    s = bondlab.Scenario(people=30, days_together=40, days_after=40, seed=2, support=0.5)
    before = s.run()
    monkeypatch.setattr(sc, "SUPPORT_WARMTH", 0.8)
    after = s.run()
    assert (after.mood[:, 40:] > before.mood[:, 40:]).mean() > 0.9
    assert bondlab.Scenario.__doc__.count("ASSUMPTIONS") == 1
