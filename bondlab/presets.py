"""Presets: named schedules, partners and scenarios stored as JSON in ``data/presets/``.

The data directory is ``<repo>/data`` (found from this file's location), or
the directory named by the environment variable ``BONDLAB_DATA``.  Every
file is validated when loaded, against the same parameter tables the models
use; an error names the file and the field, e.g.::

    data/presets/partners.json: partner 'intermittent', field 'p_warmth':
    must be a float in [0, 1], got 'high'

Examples
--------
>>> sorted(list_presets("partners"))
['consistent', 'cycle', 'intermittent']
>>> load_partner("intermittent")
IntermittentPartner()
>>> load_scenario("intermittent", people=50, p_warmth=0.2).partner
IntermittentPartner(p_warmth=0.2)
"""

from __future__ import annotations

import copy
import functools
import json
import os
from pathlib import Path

from ._params import _Invalid, _show
from .affect import OpponentProcess
from .learners import learner_from_name
from .partners import PARTNER_CLASSES, IntermittentPartner
from .scenario import Scenario
from .schedules import schedule_from_spec

__all__ = ["data_dir", "list_presets", "load_schedule", "load_partner", "load_scenario",
           "preset_info", "PresetError", "apply_overrides"]

KINDS = {"schedules": "schedule", "partners": "partner", "scenarios": "scenario"}


class PresetError(ValueError):
    """A preset file is missing, malformed, or has an invalid field."""


def data_dir():
    """The data directory: ``$BONDLAB_DATA`` or ``<repo>/data``."""
    env = os.environ.get("BONDLAB_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


def _display(path):
    d = data_dir()
    if not os.environ.get("BONDLAB_DATA"):
        try:
            return str(Path(d.name) / path.relative_to(d))
        except ValueError:
            pass
    return str(path)


def _read(kind):
    """``(shown name, entries)`` of one preset file: a fresh copy of the cached parse.

    The parse is cached per file and revalidated by its modification time,
    size and inode, so a slider move does not re-read the JSON; the copy
    keeps callers from changing the cache.
    """
    path = data_dir() / "presets" / f"{kind}.json"
    shown = _display(path)
    try:   # (also when the file goes between the stat and the read)
        st = os.stat(path)
        entries = _parse(str(path), kind, shown, (st.st_mtime_ns, st.st_size, st.st_ino))
    except FileNotFoundError:
        raise PresetError(f"{shown}: file not found (set BONDLAB_DATA to the data "
                          "directory).") from None
    return shown, copy.deepcopy(entries)


@functools.lru_cache(maxsize=32)
def _parse(path, kind, shown, stamp):
    # ``stamp`` (mtime, size, inode) is only part of the cache key: a changed file misses.
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
    except json.JSONDecodeError as e:
        raise PresetError(f"{shown}: not valid JSON (line {e.lineno}: {e.msg}).") from None
    if not isinstance(doc, dict) or not isinstance(doc.get(kind), dict):
        raise PresetError(f"{shown}: expected an object with a {kind!r} object inside.")
    return doc[kind]


def _entry(kind, name):
    shown, entries = _read(kind)
    if not isinstance(name, str) or name not in entries:
        raise PresetError(f"Unknown {KINDS[kind]} {name!r}. Known: "
                          f"{', '.join(sorted(entries))}.")
    entry = entries[name]
    if not isinstance(entry, dict):
        raise PresetError(f"{shown}: {KINDS[kind]} {name!r}: expected an object.")
    return shown, entry


def _field_error(shown, kind, name, field, param, value):
    return PresetError(f"{shown}: {kind} '{name}', field '{field}': must be "
                       f"{param.short()}, got {_show(value)}")


def _build(cls, params, shown, kind, name, prefix=""):
    if not isinstance(params, dict):
        raise PresetError(f"{shown}: {kind} '{name}', field '{prefix or 'params'}': "
                          "must be an object")
    clean = {}
    for field, value in params.items():
        if field not in cls.parameters:
            raise PresetError(f"{shown}: {kind} '{name}', field '{prefix}{field}': unknown "
                              f"(allowed: {', '.join(cls.parameters)})")
        p = cls.parameters[field]
        try:
            clean[field] = p.check(value)
        except _Invalid:
            raise _field_error(shown, kind, name, prefix + field, p, value) from None
    return cls(**clean)


def list_presets(kind=None):
    """Names of presets: a dict kind -> list, or one list for ``kind``.

    ``kind`` is ``"schedules"``, ``"partners"`` or ``"scenarios"``.
    """
    if kind is None:
        return {k: list_presets(k) for k in KINDS}
    if kind not in KINDS:
        raise ValueError(f"Unknown preset kind {kind!r}. Use one of: {', '.join(KINDS)}.")
    return list(_read(kind)[1])


def preset_info(kind, name):
    """Label and description of a preset (for menus): dict with ``label``, ``description``."""
    if kind not in KINDS:
        raise ValueError(f"Unknown preset kind {kind!r}. Use one of: {', '.join(KINDS)}.")
    _, e = _entry(kind, name)
    return {"name": name, "label": e.get("label", name),
            "description": e.get("description", "")}


def load_schedule(name):
    """A schedule preset, e.g. ``load_schedule("variable_ratio_5")``."""
    shown, e = _entry("schedules", name)
    spec = e.get("spec")
    try:
        return schedule_from_spec(spec)
    except ValueError as err:
        raise PresetError(f"{shown}: schedule '{name}', field 'spec': {err}") from None


def load_partner(name, **overrides):
    """A partner preset, optionally with parameters changed."""
    shown, e = _entry("partners", name)
    kind = e.get("kind")
    if kind not in PARTNER_CLASSES:
        raise PresetError(f"{shown}: partner '{name}', field 'kind': must be one of "
                          f"{', '.join(PARTNER_CLASSES)}, got {_show(kind)}")
    partner = _build(PARTNER_CLASSES[kind], e.get("params", {}), shown, "partner", name)
    if overrides:
        partner.set_params(**overrides)
        partner.validate()
    return partner


_SCENARIO_FIELDS = {"label", "description", "partner", "partner_params", "learner",
                    "learner_params", "affect_params", "params"}
_NESTED = ("partner", "learner", "affect")


def load_scenario(name, **overrides):
    """A :class:`~bondlab.scenario.Scenario` preset, with optional overrides.

    Overrides may name a scenario parameter (``people=100``), a parameter
    of its partner, learner or affect model (``p_warmth=0.2``), or use a
    dotted name (``"learner.hazard"`` via ``**{"learner.hazard": 0.01}``).
    """
    shown, e = _entry("scenarios", name)
    for field in e:
        if field not in _SCENARIO_FIELDS:
            raise PresetError(f"{shown}: scenario '{name}', field '{field}': unknown "
                              f"(allowed: {', '.join(sorted(_SCENARIO_FIELDS))})")
    pname = e.get("partner", "intermittent")
    try:
        partner = load_partner(pname)
    except PresetError as err:
        raise PresetError(f"{shown}: scenario '{name}', field 'partner': {err}") from None
    if e.get("partner_params"):
        partner = _build(type(partner), {**partner.get_params(), **e["partner_params"]},
                         shown, "scenario", name, "partner_params.")
    learner = None
    if "learner" in e:
        try:
            learner = learner_from_name(e["learner"])
        except ValueError as err:
            raise PresetError(f"{shown}: scenario '{name}', field 'learner': {err}") from None
    if e.get("learner_params"):
        base = learner or learner_from_name("cd")
        learner = _build(type(base), e["learner_params"], shown, "scenario", name,
                         "learner_params.")
    affect = None
    if e.get("affect_params"):
        affect = _build(OpponentProcess, e["affect_params"], shown, "scenario", name,
                        "affect_params.")
    params = e.get("params", {})
    scn_fields = {k: p for k, p in Scenario.parameters.items() if k not in _NESTED}
    if not isinstance(params, dict):
        raise PresetError(f"{shown}: scenario '{name}', field 'params': must be an object")
    clean = {}
    for field, value in params.items():
        if field not in scn_fields:
            raise PresetError(f"{shown}: scenario '{name}', field 'params.{field}': unknown "
                              f"(allowed: {', '.join(scn_fields)})")
        try:
            clean[field] = scn_fields[field].check(value)
        except _Invalid:
            raise _field_error(shown, "scenario", name, "params." + field,
                               scn_fields[field], value) from None
    scn = Scenario(partner=partner, learner=learner, affect=affect, **clean)
    if overrides:
        apply_overrides(scn, overrides)
    scn.validate()
    return scn


def apply_overrides(scenario, overrides):
    """Set parameters on a scenario or its partner / learner / affect by name.

    Plain names are looked up in the scenario first, then its partner,
    learner and affect model; ``"partner.x"`` etc. say where explicitly.
    Unknown names raise ``ValueError``.  Returns the scenario.
    """
    parts = {"partner": scenario.partner, "learner": scenario.learner,
             "affect": scenario.affect}
    defaults = {"partner": IntermittentPartner(), "learner": learner_from_name("cd"),
                "affect": OpponentProcess()}
    for key, value in overrides.items():
        where, _, field = key.rpartition(".")
        if where and where not in parts:
            raise ValueError(f"Unknown parameter {key!r}: use a scenario parameter, or "
                             "partner.NAME, learner.NAME or affect.NAME.")
        if not where and field in Scenario.parameters and field not in _NESTED:
            setattr(scenario, field, value)
            continue
        targets = [where] if where else list(parts)
        done = False
        for t in targets:
            obj = parts[t]
            if obj is None and defaults[t] is not None:
                obj = parts[t] = defaults[t].clone()
                setattr(scenario, t, obj)
            if obj is not None and field in obj.parameters:
                setattr(obj, field, value)
                done = True
                break
        if not done:
            names = [k for k in Scenario.parameters if k not in _NESTED]
            for t in ("partner", "learner", "affect"):
                obj = parts[t] or defaults[t]
                if obj is not None:
                    names += [f"{k}" for k in obj.parameters]
            raise ValueError(f"Unknown parameter {key!r}. Known: "
                             f"{', '.join(dict.fromkeys(names))}.")
    return scenario
