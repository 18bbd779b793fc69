"""Format the kit's sources (``data/references.json``, CSL-JSON) as text or HTML.

Pure Python: used by the references page (``widgets/references.py``) and the handouts
(``workshop/handouts.py``). The style is APA-like; a DOI is shown as text (``doi:10...``),
never as a link, so no page or handout points anywhere outside the kit.

Example
-------
>>> entry = {"id": "x", "type": "article-journal", "title": "Time, rate, and conditioning",
...          "author": [{"family": "Gallistel", "given": "C. R."},
...                     {"family": "Gibbon", "given": "J."}],
...          "issued": {"date-parts": [[2000]]}, "container-title": "Psychological Review",
...          "volume": "107", "issue": "2", "page": "289-344", "DOI": "10.1037/0033-295X.107.2.289"}
>>> format_reference(entry)
'Gallistel, C. R., & Gibbon, J. (2000). Time, rate, and conditioning. Psychological Review, 107(2), 289–344. doi:10.1037/0033-295X.107.2.289'
"""
from __future__ import annotations

import html

__all__ = ["format_authors", "reference_year", "format_reference", "format_reference_html",
           "sort_references", "certainty"]


def _name(person: dict) -> str:
    if person.get("literal"):
        return str(person["literal"]).strip()
    family = str(person.get("family", "")).strip()
    given = str(person.get("given", "")).strip()
    return f"{family}, {given}" if family and given else (family or given)


def _name_given_first(person: dict) -> str:
    if person.get("literal"):
        return str(person["literal"]).strip()
    return " ".join(x for x in (str(person.get("given", "")).strip(),
                                str(person.get("family", "")).strip()) if x)


def format_authors(people) -> str:
    """'Chan, C. K. J., & Harris, J. A.' (APA order); '' for none."""
    names = [_name(p) for p in people or () if isinstance(p, dict)]
    names = [n for n in names if n]
    if not names:
        return ""
    if len(names) == 1:
        return names[0]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def reference_year(entry: dict) -> str:
    """The year as text ('1999'), or 'n.d.' when the entry has none."""
    try:
        return str(int(entry["issued"]["date-parts"][0][0]))
    except (KeyError, IndexError, TypeError, ValueError):
        return "n.d."


def certainty(entry: dict) -> str:
    """How sure the kit is of the entry's details (its CSL ``note``), or ''."""
    return str(entry.get("note") or "").strip()


def _pages(entry: dict) -> str:
    return str(entry.get("page") or "").strip().replace("-", "–")


def _parts(entry: dict) -> list[tuple[str, str]]:
    """(kind, text) pieces: kind 'plain' or 'em' (italic)."""
    out: list[tuple[str, str]] = []
    authors = format_authors(entry.get("author"))
    title = str(entry.get("title") or "").strip().rstrip(".")
    out.append(("plain", f"{authors} ({reference_year(entry)}). " if authors
                else f"({reference_year(entry)}). "))
    kind = entry.get("type", "")
    container = str(entry.get("container-title") or "").strip()
    publisher = str(entry.get("publisher") or "").strip()
    pages = _pages(entry)
    if kind == "book":
        out += [("em", title), ("plain", ". ")]
        if publisher:
            out.append(("plain", f"{publisher}. "))
    elif kind == "chapter":
        out.append(("plain", f"{title}. In "))
        editors = [_name_given_first(p) for p in entry.get("editor") or ()
                   if isinstance(p, dict)]
        if editors:
            ed = " & ".join(editors) if len(editors) <= 2 else \
                ", ".join(editors[:-1]) + ", & " + editors[-1]
            out.append(("plain", f"{ed} ({'Eds.' if len(editors) > 1 else 'Ed.'}), "))
        if container:
            out.append(("em", container))
        out.append(("plain", f" (pp. {pages}). " if pages else ". "))
        if publisher:
            out.append(("plain", f"{publisher}. "))
    else:
        out.append(("plain", f"{title}. "))
        if container:
            out.append(("em", container))
            volume = str(entry.get("volume") or "").strip()
            issue = str(entry.get("issue") or "").strip()
            if volume:
                out.append(("plain", ", "))
                out.append(("em", volume))
                if issue:
                    out.append(("plain", f"({issue})"))
            out.append(("plain", f", {pages}. " if pages else ". "))
        elif pages:
            out.append(("plain", f"{pages}. "))
    doi = str(entry.get("DOI") or "").strip()
    if doi:
        out.append(("plain", f"doi:{doi}"))
    return out


def format_reference(entry: dict) -> str:
    """One reference as plain text (APA-like), DOI as ``doi:...`` text."""
    return "".join(text for _, text in _parts(entry)).strip()


def format_reference_html(entry: dict, note: bool = True) -> str:
    """One reference as an HTML fragment (escaped), with the certainty note if ``note``."""
    body = "".join(f"<em>{html.escape(t)}</em>" if k == "em" else html.escape(t)
                   for k, t in _parts(entry)).strip()
    doi = str(entry.get("DOI") or "").strip()
    if doi:
        esc = html.escape(f"doi:{doi}")
        body = body.replace(esc, f'<span class="bondlab-doi">{esc}</span>')
    if note and certainty(entry):
        body += (f' <span class="bondlab-certainty">(Certainty: '
                 f'{html.escape(certainty(entry))})</span>')
    return body


def sort_references(entries) -> list[dict]:
    """Entries sorted by author family names (first author first), then year, then title."""
    def key(e):
        names = [str(a.get("family") or a.get("literal") or "").lower()
                 for a in e.get("author") or () if isinstance(a, dict)]
        return (names or [""], reference_year(e), str(e.get("title", "")).lower())
    return sorted(entries, key=key)
