"""Crisis resources for the help panel, read from ``data/crisis_resources.json``.

The safety shell of every page (the Voila template ``kit``) and the in-page ``Resources``
step show these, both as :func:`help_html`; handouts print :func:`domestic_abuse_lines`.
They are validated when loaded: a missing or malformed field raises ``ValueError`` naming
the file and the field, so a broken file stops the server at start-up instead of
showing a participant an empty help panel.
"""
from __future__ import annotations

import html
import json
import os
from pathlib import Path

from bondlab.presets import data_dir

__all__ = ["load_crisis_resources", "help_html", "domestic_abuse_lines", "KINDS"]

_ENTRY_REQUIRED = ("name", "url", "source_url", "checked", "kind")
_ENTRY_OPTIONAL = ("phone", "text", "hours", "description", "how_checked")
_TOP_TEXT = ("emergency", "safety_planning", "about_services", "device_safety")
#: What an entry is for: handouts print each region's "domestic abuse" lines.
KINDS = ("domestic abuse", "crisis", "support")


def _text(value, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: must be a non-empty string, got {value!r}")
    return value.strip()


def load_crisis_resources(path: str | os.PathLike | None = None) -> dict:
    """Load and validate the crisis resources.

    Returns a dict with ``emergency``, ``safety_planning``, ``about_services`` and
    ``device_safety`` (strings), ``monitored_device`` (a list of strings) and ``regions``: a
    list of ``{"id", "name", "emergency"?, "entries": [...]}`` (``emergency``: the region's
    emergency number, which the ``emergency`` line must name); every entry has ``name``,
    ``url``, ``source_url``, ``checked`` and ``kind`` (one of :data:`KINDS`) and may have
    ``phone``, ``text``, ``hours``, ``description`` and ``how_checked``.

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
    points = raw.get("monitored_device")
    if not isinstance(points, list) or not points:
        raise ValueError(f"{name}, field 'monitored_device': must be a non-empty list")
    help["monitored_device"] = [_text(point, f"{name}, monitored_device[{i}]")
                                for i, point in enumerate(points)]
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
            if item["kind"] not in KINDS:
                raise ValueError(f"{at}, field 'kind': must be one of {KINDS}, "
                                 f"got {item['kind']!r}")
            clean.append(item)
        if not any(item["kind"] == "domestic abuse" for item in clean):
            raise ValueError(f"{where}: needs at least one entry of kind 'domestic abuse' "
                             "(handouts print it)")
        out = {"id": _text(region.get("id"), f"{where}, field 'id'"),
               "name": _text(region.get("name"), f"{where}, field 'name'"), "entries": clean}
        if region.get("emergency") is not None:
            out["emergency"] = _text(region["emergency"], f"{where}, field 'emergency'")
            if out["emergency"] not in help["emergency"]:
                raise ValueError(f"{where}, field 'emergency': {out['emergency']} is not in "
                                 "the emergency line")
        help["regions"].append(out)
    return help


def domestic_abuse_lines(region: dict) -> list[dict]:
    """The region's domestic-abuse entries, those with a phone number first."""
    lines = [e for e in region["entries"] if e["kind"] == "domestic abuse"]
    return sorted(lines, key=lambda e: "phone" not in e)


def help_html(help: dict | None = None) -> str:
    """The help panel's content as HTML, the same in the safety shell and the page.

    In this order: the emergency line (with what to do when you cannot speak); what this
    device keeps and how to remove it (history, call log, synced accounts, tech-safety
    guides); safety planning; the services by region. Phone numbers are ``tel:`` links (a
    call leaves an entry in the call log, as the text says); web addresses are written out,
    never links, so following one adds nothing to the page's history.
    """
    help = load_crisis_resources() if help is None else help
    e = html.escape
    parts = [f'<p class="kit-emergency"><strong>{e(help["emergency"])}</strong></p>',
             '<section class="kit-device" aria-labelledby="kit-device-title">'
             '<h3 id="kit-device-title">If someone may check this device</h3>'
             f"<p>{e(help['device_safety'])}</p><ul>"
             + "".join(f"<li>{e(point)}</li>" for point in help["monitored_device"])
             + "</ul></section>",
             f"<p>{e(help['safety_planning'])}</p>", f"<p>{e(help['about_services'])}</p>"]
    for region in help["regions"]:
        parts.append(f'<h3>{e(region["name"])}</h3><ul class="kit-resources">')
        for entry in region["entries"]:
            bits = [f"<strong>{e(entry['name'])}</strong>"]
            if entry.get("phone"):
                dial = "".join(c for c in entry["phone"] if c.isdigit() or c == "+")
                bits.append(f'call <a href="tel:{e(dial)}">{e(entry["phone"])}</a>')
            bits += [e(entry[key]) for key in ("text", "hours") if entry.get(key)]
            item = " \u00b7 ".join(bits)
            if entry.get("description"):
                item += f"<br>{e(entry['description'])}"
            item += (f'<br><span class="kit-url">{e(entry["url"])}</span><br><small>Source: '
                     f"{e(entry['source_url'])} \u00b7 details as of {e(entry['checked'])}, "
                     "not verified online</small>")
            parts.append(f"<li>{item}</li>")
        parts.append("</ul>")
    parts.append("<p><small>Numbers and opening hours change. The date beside each entry is "
                 "when its details were written down; they were not verified online, and the "
                 "person running the workshop is asked to check them for their region. Each "
                 "organisation\u2019s own website has the current ones.</small></p>")
    return "".join(parts)
