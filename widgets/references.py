"""The references page: every source in ``data/references.json``, grouped by first author.

Each entry shows authors, year, title, journal, volume, pages, the DOI as text (never a
link: pages make no request to any other host, and following one is the reader's choice)
and how sure the kit is of the details (the CSL ``note``), plus the modules that cite it.
Formatting lives in :mod:`workshop.references` and is shared with the handouts.

>>> page = references_html()
>>> "Solomon" in page and "Certainty" in page
True
"""
from __future__ import annotations

import html
from collections import defaultdict

import ipywidgets as w

from workshop.content import load_modules, load_references
from workshop.references import format_reference_html, reference_year, sort_references
from widgets.common import safe_build

__all__ = ["references_html", "show_references", "cited_in"]


def cited_in() -> dict:
    """``{key: ["1", "2"]}``: the module numbers that cite each reference."""
    out = defaultdict(list)
    for module in load_modules():
        keys = set()
        for step in module.steps:
            keys.update(step.citations)
        for key in keys:
            out[key].append(str(int(module.number)))
    return dict(out)


def _group(entry) -> str:
    first = (entry.get("author") or [{}])[0]
    name = str(first.get("family") or first.get("literal") or "?").strip()
    return name[:1].upper() or "?"


def references_html() -> str:
    """The whole page as HTML: an introduction, then entries grouped by initial."""
    refs = sort_references(load_references().values())
    where = cited_in()
    # A focusable, labelled region: the page has no other control, and keyboard users
    # scroll a long list from inside it (axe: scrollable-region-focusable).
    parts = ['<div class="bondlab-references" role="region" aria-label="Sources" '
                   'tabindex="0">',
             f"<p>The {len(refs)} sources the workshop pages cite, sorted by author. "
             "“Certainty” says how sure the kit is of each entry: “checked” details were "
             "compared with the source; “recalled” ones still need checking before you quote "
             "numbers from them. A DOI (digital object identifier) finds the work in any "
             "library search.</p>"]
    group = None
    for entry in refs:
        initial = _group(entry)
        if initial != group:
            if group is not None:
                parts.append("</ul>")
            parts.append(f"<h2>{html.escape(initial)}</h2><ul>")
            group = initial
        mods = where.get(entry["id"], [])
        cited = (f' <span class="bondlab-cited">Cited in module'
                 f'{"s" if len(mods) > 1 else ""} {", ".join(mods)}.</span>' if mods else "")
        parts.append(f'<li id="ref-{html.escape(entry["id"])}" '
                     f'data-year="{html.escape(reference_year(entry))}">'
                     f"{format_reference_html(entry)}{cited}</li>")
    if group is not None:
        parts.append("</ul>")
    parts.append("</div>")
    return "".join(parts)


def _build() -> w.HTML:
    page = w.HTML(value=references_html())
    page.add_class("bondlab-references-page")
    return page


def show_references() -> w.Widget:
    """The references page as an ``ipywidgets.HTML``; display it as a cell's result."""
    return safe_build(_build)
