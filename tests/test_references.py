"""Sources: every citation resolves, every entry is complete, and the references page
(notebooks/references.ipynb) lists them all (make test runs it under nbval with every notebook)."""
from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest

from workshop.content import load_references
from workshop.references import format_reference, reference_year, sort_references

ROOT = Path(__file__).resolve().parent.parent
MODULE_TEXTS = sorted((ROOT / "data" / "modules").glob("*.md"))
NOTEBOOK = ROOT / "notebooks" / "references.ipynb"
REFS = load_references()


@pytest.mark.parametrize("path", MODULE_TEXTS, ids=lambda p: p.name)
def test_every_citation_is_in_references_json(path):
    keys = re.findall(r"\[@([A-Za-z0-9_:.\-]+)\]", path.read_text(encoding="utf-8"))
    missing = sorted(set(keys) - set(REFS))
    assert not missing, f"{path.name} cites keys not in data/references.json: {missing}"


def test_modules_cite_something():
    cited = {k for p in MODULE_TEXTS for k in re.findall(r"\[@([^\]]+)\]", p.read_text())}
    assert len(cited) >= 20


@pytest.mark.parametrize("key", sorted(REFS))
def test_every_reference_is_complete(key):
    entry = REFS[key]
    assert entry.get("title", "").strip()
    authors = entry.get("author")
    assert authors and all(a.get("family") or a.get("literal") for a in authors)
    assert reference_year(entry).isdigit() and 1800 < int(reference_year(entry)) < 2100
    assert entry.get("note", "").strip(), "every entry says how certain its details are"
    text = format_reference(entry)
    assert authors[0].get("family", authors[0].get("literal")) in text
    assert f"({reference_year(entry)})" in text and entry["title"].rstrip(".") in text
    if entry.get("DOI"):
        assert f"doi:{entry['DOI']}" in text
    assert "http" not in text


def test_references_page_lists_every_entry_sorted_by_author():
    from widgets.references import references_html, show_references
    import ipywidgets

    page = references_html()
    for entry in REFS.values():
        assert html.escape(entry["title"].rstrip("."), quote=False) in page
        assert html.escape(entry["note"], quote=False) in page
        if entry.get("DOI"):
            assert f"doi:{html.escape(entry['DOI'])}" in page
    order = re.findall(r'<li id="ref-([^"]+)"', page)
    assert order == [e["id"] for e in sort_references(REFS.values())]
    families = [REFS[k]["author"][0].get("family", "").lower() for k in order]
    assert families == sorted(families)
    assert "href=" not in page and "<script" not in page
    assert isinstance(show_references(), ipywidgets.HTML)


def test_notebook_is_thin_and_stored_without_outputs():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["title"] == "Notes"
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds == ["markdown", "code"]
    assert "".join(nb["cells"][0]["source"]).startswith("# ")
    code = nb["cells"][1]
    assert "".join(code["source"]) == ("from widgets.references import show_references\n"
                                       "show_references()")
    assert code["outputs"] == [] and code["execution_count"] is None


def test_doctests():
    import doctest

    import workshop.references
    import widgets.references
    for module in (workshop.references, widgets.references):
        assert doctest.testmod(module).failed == 0, module.__name__
