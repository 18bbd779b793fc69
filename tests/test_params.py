"""bondlab._params: parameter tables, validation messages, memory limit, random helpers."""

import inspect
import json

import numpy as np
import pytest

import bondlab
from bondlab import ChangeDetection, ConsistentPartner, Continuous, CyclePartner, Extinction, FixedInterval, FixedRatio, IntermittentPartner, OpponentProcess, RandomRatio, RescorlaWagner, RespondingAgent, Scenario, TemporalDifference, VariableInterval, VariableRatio


MODELS = [Continuous, FixedRatio, VariableRatio, RandomRatio, FixedInterval,
          VariableInterval, Extinction, ConsistentPartner, IntermittentPartner,
          CyclePartner, RescorlaWagner, TemporalDifference, ChangeDetection,
          OpponentProcess, RespondingAgent, Scenario]


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_signature_defaults_match_parameter_table(cls):
    sig = inspect.signature(cls.__init__)
    names = [n for n in sig.parameters if n != "self"]
    assert names == list(cls.parameters)
    for n in names:
        assert sig.parameters[n].default == cls.parameters[n].default, n
    cls().validate()      # defaults are valid


@pytest.mark.parametrize("cls", MODELS, ids=lambda c: c.__name__)
def test_every_model_has_citation_equations_and_labels(cls):
    assert cls.citation and cls.label
    assert cls.equations and all(isinstance(e, str) for e in cls.equations)
    for name, p in cls.parameters.items():
        assert p.label, name
    d = json.loads(json.dumps(cls.describe()))          # (JSON-ready, for the lecture view)
    assert d["name"] == cls.__name__ and d["equations"] == list(cls.equations)
    assert list(d["parameters"]) == list(cls.parameters)
    for name, p in cls.parameters.items():
        assert d["parameters"][name]["label"] == p.label and \
            d["parameters"][name]["low"] == p.low, name


def _invalid_cases():
    cases = []
    for cls in MODELS:
        for name, p in cls.parameters.items():
            if p.kind is float:
                bad = [float("nan"), float("inf"), True, "0.5", p.low - 1]
                if p.high is not None:
                    bad.append(p.high + 1)
            elif p.kind is int:
                bad = [1.5, True, "3", p.low - 1, float("nan")]
                if p.high is not None:
                    bad.append(p.high + 1)
            elif p.kind is bool:
                bad = [1, "yes"]
            elif p.kind is str:
                bad = ["nonsense", 3]
            elif p.kind == "days":
                bad = [[0], [1.5], "30", [True]]
            else:
                bad = ["a string", 3]
            cases += [(cls, name, b) for b in bad]
    return cases


@pytest.mark.parametrize("cls,name,value", _invalid_cases(),
                         ids=lambda x: getattr(x, "__name__", repr(x)))
def test_invalid_values_are_refused_with_a_clear_message(cls, name, value):
    obj = cls().set_params(**{name: value})
    with pytest.raises(ValueError) as e:
        obj.validate()
    msg = str(e.value)
    assert msg.startswith(f"The '{name}' parameter of {cls.__name__} must be ")
    assert msg.endswith("instead.")


def test_error_text_exactly():
    with pytest.raises(ValueError, match=r"^The 'p' parameter of RandomRatio must be a "
                       r"float in the range \[0, 1\]\. Got 1\.7 instead\.$"):
        RandomRatio(p=1.7).outcomes(3)


def test_unknown_parameter():
    with pytest.raises(ValueError, match="Unknown parameter 'q' for RandomRatio"):
        RandomRatio().set_params(q=1)
    with pytest.raises(TypeError):
        RandomRatio(q=1)


def test_too_large_run_is_refused():
    with pytest.raises(bondlab.RunTooLarge, match="GB"):
        Scenario(people=5_000_000, days_together=3650, days_after=3650).run()


def test_uniform16_is_the_raw_stream_least_significant_bits_first():
    from bondlab._params import chance16, uniform16
    u = uniform16(np.random.default_rng(7), (3, 5))
    raw = np.random.default_rng(7).bit_generator.random_raw(4).tolist()
    want = [(raw[k // 4] >> (16 * (k % 4))) & 0xFFFF for k in range(15)]
    assert u.dtype == np.uint16 and u.ravel().tolist() == want
    big = uniform16(np.random.default_rng(0), (200_000,))
    assert abs(chance16(big, 0.3).mean() - 0.3) < 0.005
    assert chance16(big, 1.0).all() and not chance16(big, 0.0).any()

