"""The kit's look (share/jupyter/voila/templates/kit/static/kit.css): every colour pair its
stylesheet allows has enough contrast, in the everyday look and in the presenting view
(WCAG 2.2: 1.4.3, text at least 4.5:1; 1.4.11, focus rings and marks that carry meaning at
least 3:1), and no colour is written anywhere but in the tokens, so nothing escapes the check.
The pages themselves are checked in Chromium by axe-core (color-contrast) in
tests/test_workshop_browser.py; the presenting view and the folded notes there too."""
from __future__ import annotations

import itertools
import re

import pytest

from widgets.common import MODES, NOTE_MODES, STYLESHEET, kit_style, mode_notes
from widgets.module_page import DISTRESS_PROTOCOL, NOTES_TITLE, show_module
from widgets.stepper import progress_html

RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")  # innermost rules (inside @media too)
HEX = re.compile(r"#(?:[0-9a-fA-F]{3}){1,2}\b")
LITERAL = re.compile(r"#[0-9a-fA-F]{3,8}\b|\b(?:rgba?|hsla?)\(|\b(?:white|black|red|gr[ae]y|"
                     r"blue|green|yellow|orange|purple|pink)\b", re.I)
VAR = re.compile(r"var\(--kit-([a-z0-9-]+)\)")


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rgb`` / ``#rrggbb``."""
    h = colour.lstrip("#")
    h = "".join(c * 2 for c in h) if len(h) == 3 else h
    def channel(c):
        c = int(c, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(h[i:i + 2]) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio, (L1 + 0.05) / (L2 + 0.05), 1 to 21."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def rules(css: str) -> list[tuple[str, dict]]:
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    out = []
    for selector, body in RULE.findall(css):
        decls = {}
        for decl in body.split(";"):
            if ":" in decl:
                name, value = decl.split(":", 1)
                decls[name.strip()] = value.strip()
        out.append((selector.strip(), decls))
    return out


def themes(css: str) -> dict[str, dict[str, str]]:
    """The colour tokens of each look: ``:root``'s, and each block that redefines some of
    them (the presenting view) on top of those."""
    blocks = [(sel, {k[6:]: v for k, v in d.items() if k.startswith("--kit-") and
                     k.split("-")[3] in ("text", "surface", "fill", "line", "deco")})
              for sel, d in rules(css)]
    base = next(t for sel, t in blocks if sel == ":root")
    out = {":root": base}
    out.update({sel: {**base, **t} for sel, t in blocks if t and sel != ":root"})
    return out


def problems(css: str) -> list[str]:
    """Every pair below its minimum, and every colour written outside the tokens."""
    found = []
    for name, tokens in themes(css).items():
        kind = lambda k: [t for t in tokens if t.split("-")[0] == k]  # noqa: E731
        for t in kind("text") + kind("surface") + kind("fill") + kind("line"):
            if not HEX.fullmatch(tokens[t]):
                found.append(f"{name}: --kit-{t} is {tokens[t]!r}, not an opaque #hex")
        if found:
            return found
        pairs = [(t, s, 4.5) for t in kind("text") if t != "text-on-fill" for s in kind("surface")]
        pairs += [("text-on-fill", f, 4.5) for f in kind("fill")]
        pairs += [(line, s, 3.0) for line in kind("line") for s in kind("surface")]
        for fg, bg, least in pairs:
            ratio = contrast(tokens[fg], tokens[bg])
            if ratio < least:
                found.append(f"{name}: --kit-{fg} on --kit-{bg} is {ratio:.2f}:1 (< {least})")
        for selector, decls in rules(css):
            fg = VAR.findall(decls.get("color", ""))
            bg = VAR.findall(decls.get("background", "") + decls.get("background-color", ""))
            if "text-on-fill" in fg and not any(b.startswith("fill") for b in bg):
                found.append(f"{selector}: --kit-text-on-fill without its fill in the rule")
            for f, b in itertools.product(fg, bg):
                if f in tokens and b in tokens and contrast(tokens[f], tokens[b]) < 4.5:
                    found.append(f"{name}: {selector}: --kit-{f} on --kit-{b} is "
                                 f"{contrast(tokens[f], tokens[b]):.2f}:1 (< 4.5)")
    for selector, decls in rules(css):
        for prop, value in decls.items():
            if not prop.startswith("--kit-") and LITERAL.search(value):
                found.append(f"{selector} {{ {prop}: {value} }}: a colour outside the tokens")
    return sorted(set(found))


def test_every_colour_pair_of_the_kit_has_enough_contrast():
    css = STYLESHEET.read_text(encoding="utf-8")
    assert len(themes(css)) == 2, "the everyday look and the presenting view"
    assert len(themes(css)[":root"]) >= 15
    assert problems(css) == []


@pytest.mark.parametrize("old, new", [
    ("--kit-text-muted: #4a5560;", "--kit-text-muted: #8a96a3;"),  # grey text, 2.8:1
    ("--kit-line-focus: #0072b2;", "--kit-line-focus: #a8c8e8;"),  # a faint focus ring
    ("--kit-fill-danger: #8a1c1c;", "--kit-fill-danger: #e06666;"),  # white on light red
    (".kit-lost a { color: var(--kit-text-link);", ".kit-lost a { color: #3388cc;"),
    (".kit-exit { background: var(--kit-fill-danger); color: var(--kit-text-on-fill);",
     ".kit-exit { background: var(--kit-surface-card); color: var(--kit-text-on-fill);"),
])
def test_the_check_finds_a_pair_too_faint(old, new):
    css = STYLESHEET.read_text(encoding="utf-8")
    assert old in css
    assert problems(css.replace(old, new)) != []


def test_contrast_ratio_is_wcags():
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert contrast("#fff", "#ffffff") == 1


def test_the_presenting_view_is_a_mode_with_no_notes():
    assert "present" in MODES and "present" not in NOTE_MODES
    assert mode_notes("Watch for X.", "present", title="x") is None
    for module_id in ("00_start", "02_consistent_vs_intermittent"):
        page = show_module(module_id, mode="present", start=1)
        assert "bondlab-mode-present" in page._dom_classes
        assert "Goals" not in page.header.value
        for i in range(page.stepper.n_steps):
            html = " ".join(x.value for x in _walk(page.stepper.step_widget(i))
                            if isinstance(getattr(x, "value", None), str))
            assert "<h2>" in html, (module_id, i)  # the step is there
            assert "bondlab-notes" not in html and NOTES_TITLE not in html, (module_id, i)
            assert DISTRESS_PROTOCOL not in html and "For lecture" not in html, (module_id, i)
            assert "bondlab-meta" not in html, "no facilitator minutes"


def test_every_page_the_template_serves_links_the_one_stylesheet():
    folder = STYLESHEET.parent.parent
    for page in ("index.html.j2", "page.html"):
        text = (folder / page).read_text(encoding="utf-8")
        assert 'include_css("static/kit.css")' in text, page
        assert not re.search(r"<link[^>]+https?:", text), page
    assert not list(folder.glob("static/shell.css")), "one stylesheet, not two"
    assert "@import" not in STYLESHEET.read_text(encoding="utf-8")


def test_facilitator_notes_are_folded_with_a_label():
    page = show_module("02_consistent_vs_intermittent", mode="facilitator", start=1)
    for i in range(page.stepper.n_steps):
        notes = [x.value for x in _walk(page.stepper.step_widget(i))
                 if "bondlab-notes" in str(getattr(x, "value", ""))]
        assert len(notes) == 1, i
        assert re.search(r'<details class="bondlab-notes bondlab-notes-facilitator">'
                         rf"<summary>{re.escape(NOTES_TITLE)}</summary>", notes[0]), notes[0][:200]
        assert "<details open" not in notes[0] and DISTRESS_PROTOCOL[:40] in notes[0]


def test_the_progress_bar_is_decoration_and_the_words_stay():
    out = progress_html("Module 2 of 6 · Step 3 of 6", 3, 6)
    assert '<p role="status" aria-live="polite" class="bondlab-progress">' in out
    assert "Module 2 of 6 · Step 3 of 6" in out
    assert '<div class="bondlab-progress-bar" aria-hidden="true"><span style="width: 50%">' in out
    assert "bondlab-progress-bar" not in progress_html("Sources")


def test_outside_voila_the_page_carries_the_stylesheet(monkeypatch):
    monkeypatch.delenv("VOILA_BASE_URL", raising=False)
    (style,) = kit_style()
    assert style.value.startswith("<style>") and "--kit-text:" in style.value
    monkeypatch.setenv("VOILA_BASE_URL", "/")  # Voila: the template links it instead
    assert kit_style() == []


def _walk(widget):
    stack = [widget]
    while stack:
        item = stack.pop()
        yield item
        stack.extend(getattr(item, "children", ()))
