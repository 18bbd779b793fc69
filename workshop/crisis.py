"""Crisis resources for the help panel, read from ``data/crisis_resources.json``.

The safety shell of every page (the Voila template ``kit``) shows these. They are
validated when loaded: a missing or malformed field raises ``ValueError`` naming
the file and the field, so a broken file stops the server at start-up instead of
showing a participant an empty help panel.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from bondlab.presets import data_dir

__all__ = ["load_crisis_resources"]

_ENTRY_REQUIRED = ("name", "url", "source_url", "checked")
_ENTRY_OPTIONAL = ("phone", "text", "hours", "description", "how_checked")
_TOP_TEXT = ("emergency", "safety_planning", "device_safety")


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be a non-empty string, got {value!r}")
    return value.strip()


def load_crisis_resources(path: str | os.PathLike | None = None) -> dict:
    """Load and validate the crisis resources.

    Returns a dict with ``emergency``, ``safety_planning``, ``device_safety`` (strings)
    and ``regions``: a list of ``{"id", "name", "entries": [...]}``; every entry has
    ``name``, ``url``, ``source_url`` and ``checked`` and may have ``phone``, ``text``,
    ``hours``, ``description`` and ``how_checked``.

    Example
    -------
    >>> help = load_crisis_resources()
    >>> {"us", "uk", "ca", "au"} <= {region["id"] for region in help["regions"]}
    True
    """
    path = Path(path) if path is not None else data_dir() / "crisis_resources.json"
    name = path.name if path.parent == data_dir() else str(path)
    name = f"data/{name}" if path.parent == data_dir() else name
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"{name}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise ValueError(f"{name}: not valid JSON ({error})") from None
    if not isinstance(raw, dict):
        raise ValueError(f"{name}: must hold a JSON object, got {type(raw).__name__}")
    help = {key: _text(raw.get(key), f"{name}, field '{key}'") for key in _TOP_TEXT}
    regions = raw.get("regions")
    if not isinstance(regions, list) or not regions:
        raise ValueError(f"{name}, field 'regions': must be a non-empty list")
    help["regions"] = []
    for i, region in enumerate(regions):
        where = f"{name}, regions[{i}]"
        if not isinstance(region, dict):
            raise ValueError(f"{where}: must be an object")
        entries = region.get("entries")
        if not isinstance(entries, list) or not entries:
            raise ValueError(f"{where}, field 'entries': must be a non-empty list")
        clean = []
        for j, entry in enumerate(entries):
            at = f"{where}, entries[{j}]"
            if not isinstance(entry, dict):
                raise ValueError(f"{at}: must be an object")
            item = {key: _text(entry.get(key), f"{at}, field '{key}'") for key in _ENTRY_REQUIRED}
            item.update({key: _text(entry[key], f"{at}, field '{key}'")
                         for key in _ENTRY_OPTIONAL if entry.get(key) is not None})
            clean.append(item)
        help["regions"].append({"id": _text(region.get("id"), f"{where}, field 'id'"),
                                "name": _text(region.get("name"), f"{where}, field 'name'"),
                                "entries": clean})
    return help
