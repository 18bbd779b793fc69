"""bondlab.presets: loading, error messages naming file and field, the cache."""

import json

import pytest

from bondlab import presets


def test_presets_load_and_list():
    names = presets.list_presets()
    assert {"schedules", "partners", "scenarios"} == set(names)
    for n in names["schedules"]:
        presets.load_schedule(n)
    for n in names["partners"]:
        presets.load_partner(n)
    for n in names["scenarios"]:
        s = presets.load_scenario(n, people=5, days_after=70, days_together=5)
        s.run()
    s = presets.load_scenario("intermittent", p_warmth=0.2, **{"learner.hazard": 0.01})
    assert s.partner.p_warmth == 0.2 and s.learner.hazard == 0.01
    with pytest.raises(ValueError, match="Unknown parameter 'zzz'"):
        presets.load_scenario("intermittent", zzz=1)
    with pytest.raises(ValueError, match="Unknown scenario"):
        presets.load_scenario("nope")


def _write(tmp_path, kind, doc):
    d = tmp_path / "presets"
    d.mkdir(exist_ok=True)
    for k in ("schedules", "partners", "scenarios"):
        src = presets.data_dir() / "presets" / f"{k}.json"
        (d / f"{k}.json").write_text(src.read_text())
    (d / f"{kind}.json").write_text(json.dumps(doc) if not isinstance(doc, str) else doc)
    return tmp_path


def test_preset_errors_name_file_and_field(tmp_path, monkeypatch):
    data = presets.data_dir()
    doc = json.loads((data / "presets" / "partners.json").read_text())
    doc["partners"]["intermittent"]["params"]["p_warmth"] = "high"
    monkeypatch.setenv("BONDLAB_DATA", str(_write(tmp_path, "partners", doc)))
    with pytest.raises(ValueError) as e:
        presets.load_partner("intermittent")
    assert str(e.value).endswith("partners.json: partner 'intermittent', field 'p_warmth': "
                                 "must be a float in [0, 1], got 'high'")


def test_preset_error_default_path_and_bad_json(tmp_path, monkeypatch):
    monkeypatch.setenv("BONDLAB_DATA", str(_write(tmp_path, "scenarios", "{not json")))
    with pytest.raises(ValueError, match="scenarios.json: not valid JSON"):
        presets.load_scenario("intermittent")
    monkeypatch.delenv("BONDLAB_DATA")
    assert presets.data_dir().name == "data"


def test_preset_cache_returns_equal_copies_and_sees_a_changed_file(tmp_path, monkeypatch):
    data = presets.data_dir()
    doc = json.loads((data / "presets" / "partners.json").read_text())
    monkeypatch.setenv("BONDLAB_DATA", str(_write(tmp_path, "partners", doc)))
    shown, first = presets._read("partners")
    first["intermittent"]["params"]["p_warmth"] = "mutated"   # a caller changes its copy
    first.clear()
    _, again = presets._read("partners")
    assert again == doc["partners"]                            # the cache is untouched
    assert presets._parse.cache_info().hits >= 1               # ... and was used
    doc["partners"]["intermittent"]["params"]["p_warmth"] = 0.123
    doc["partners"]["extra"] = {"kind": "consistent"}
    (tmp_path / "presets" / "partners.json").write_text(json.dumps(doc))
    assert presets.load_partner("intermittent").p_warmth == 0.123
    assert "extra" in presets.list_presets("partners")
    (tmp_path / "presets" / "partners.json").write_text("{not json")
    with pytest.raises(ValueError, match="partners.json: not valid JSON"):
        presets.load_partner("intermittent")

