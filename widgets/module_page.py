"""A whole workshop module as one widget: ``show_module("01_why_rewards_hook_us")``.

Title, key idea, goals and estimated time at the top, then a :class:`~widgets.stepper.Stepper`
with one step at a time: the step's prose, its one interactive (built on first visit), and
its "Think about" question. The page's mode (``?mode=...``) adds:

- facilitator: the minutes per step, and the discussion prompt, what to watch for and a
  short distress protocol line on every step, folded ("Facilitator notes (for your
  screen)", closed until opened);
- lecture: the step's Lecture section (equations typeset from LaTeX), its citations as a
  reference list, and the exercises (open: they are the lecture's content);
- present: the presenting view for a projector: no notes of any kind, no goals list (the
  step itself comes first on a short screen); the kit's stylesheet
  (``share/jupyter/voila/templates/kit/static/kit.css``) sets large type and high contrast
  for the class ``bondlab-mode-present``.

This is the only call a notebook makes. It never raises: a broken module shows a calm line
and logs the reason on the server.
"""
from __future__ import annotations

import html

import ipywidgets as w

from widgets.common import (kit_style, markdown_html, mode_notes, page_mode, safe_build,
                            logger)
from widgets.registry import build_interactive
from widgets.stepper import Stepper

__all__ = ["show_module", "ModulePage", "DISTRESS_PROTOCOL", "NOTES_TITLE", "module_href"]

DISTRESS_PROTOCOL = (
    "If someone becomes distressed: pause the activity calmly; offer a grounding exercise "
    "(feet on the floor, slow breaths, name five things you can see); your co-facilitator "
    "can sit with them somewhere quieter; point everyone to the Help link and its services. "
    "Nobody has to explain or carry on.")

START = "00_start"

#: The title of the folded facilitator notes on each step: they are for the facilitator's own
#: screen, closed until opened there, and absent from the presenting view (``?mode=present``).
NOTES_TITLE = "Facilitator notes (for your screen)"


def module_href(module_id: str, mode: str = "participant") -> str:
    """Relative link to a module's page, keeping the facilitator or lecture mode."""
    href = f"{module_id}.ipynb"
    return href if mode == "participant" else f"{href}?mode={mode}"


def _cite_label(ref: dict) -> str:
    names = [a.get("family") or a.get("literal", "") for a in ref.get("author", [])]
    if len(names) > 2:
        who = f"{names[0]} et al."
    else:
        who = " & ".join(names) or ref.get("publisher", "")
    year = (ref.get("issued", {}).get("date-parts") or [[""]])[0][0]
    return f"{who} {year}".strip()


def _reference_line(ref: dict) -> str:
    parts = [_cite_label(ref) + ".", ref.get("title", "") + "."]
    if ref.get("container-title"):
        parts.append(f"*{ref['container-title']}*.")
    if ref.get("DOI"):
        parts.append(f"doi:{ref['DOI']}")
    return " ".join(p for p in parts if p.strip("."))


def _with_citations(text: str, refs: dict) -> tuple[str, list[str]]:
    """Replace [@key] by (Author Year); return the text and the keys cited."""
    from workshop.content import _CITE, citation_keys

    keys = citation_keys(text)
    out = _CITE.sub(lambda m: f"({_cite_label(refs[m.group(1)])})"
                    if m.group(1) in refs else m.group(0), text)
    return out, keys


class ModulePage(w.VBox):
    """One module: header and a stepper. Use :func:`show_module`."""

    def __init__(self, module_id: str, mode: str | None = None, start: int | None = None,
                 navigation: bool = True, links=None, **kwargs):
        super().__init__(**kwargs)
        from workshop.content import load_module, load_references, module_ids

        self.add_class("bondlab-module")
        self.mode = mode or page_mode()
        self.add_class(f"bondlab-mode-{self.mode}")
        self.module = load_module(module_id)
        self.refs = load_references()
        self.ids = module_ids()
        # ``links`` rewrites the links in the page's HTML (the workshop page keeps them
        # inside the page: widgets/workshop_page.py); by default they stay as written.
        self._links = links or (lambda text: text)
        m = self.module
        header = [f'<h1 tabindex="-1">{html.escape(m.title)}</h1>',
                  f"<p class='bondlab-key-idea'><strong>Key idea:</strong> "
                  f"{html.escape(m.key_idea)}</p>",
                  f"<p class='bondlab-meta'>About {m.minutes} minutes · {len(m.steps)} steps</p>"]
        if self.mode != "present":
            header.append("<h2>Goals</h2><ul class='bondlab-goals'>"
                          + "".join(f"<li>{html.escape(g)}</li>" for g in m.goals) + "</ul>")
        if self.mode == "facilitator":
            header.append("<p><strong>Facilitator view:</strong> each step shows its "
                          "minutes; its discussion prompt and what to watch for are folded "
                          f"under \u201c{NOTES_TITLE}\u201d. To project, open the same "
                          "address with <code>mode=present</code> instead: it shows no "
                          "notes.</p>")
        elif self.mode == "lecture":
            header.append("<p><strong>Lecture view:</strong> each step adds equations, "
                          "citations and exercises.</p>")
        if module_id == START:
            header.append(self._module_list())
        self.header = w.HTML(self._links("".join(header)))
        self.header.add_class("bondlab-module-header")
        footer = self._next_module_link() if navigation else None
        self.stepper = Stepper([(s.title, lambda s=s: self._build_step(s)) for s in m.steps],
                               start=start, home_href=module_href(START, self.mode)
                               if module_id != START else None, footer=footer,
                               navigation=navigation)
        self.children = kit_style() + [self.header, self.stepper]

    # -- parts --------------------------------------------------------------------
    def _module_list(self) -> str:
        from workshop.content import load_module

        items = []
        for mid in self.ids:
            if mid == START:
                continue
            other = load_module(mid)
            items.append(f'<li><a href="{html.escape(module_href(mid, self.mode))}">'
                         f"{html.escape(other.title)}</a> (about {other.minutes} minutes)</li>")
        return "<h2>The modules</h2><ul class='bondlab-module-list'>" + "".join(items) + "</ul>"

    def _next_module_link(self):
        ids = self.ids
        i = ids.index(self.module.id) if self.module.id in ids else -1
        if i < 0 or i + 1 >= len(ids):
            return None
        try:
            from workshop.content import load_module
            nxt = load_module(ids[i + 1])
        except Exception:  # noqa: BLE001 -- the next module's own page will say so
            logger.exception("could not read the next module %s", ids[i + 1])
            return None
        return w.HTML(f'<a class="bondlab-home" href="{html.escape(module_href(nxt.id, self.mode))}">'
                      f"Next module: {html.escape(nxt.title)}</a>")

    def _build_step(self, step) -> w.Widget:
        parts = []
        title = f"<h2>{html.escape(step.title)}</h2>"
        if self.mode == "facilitator":
            title += f"<p class='bondlab-meta'>About {step.minutes} minutes</p>"
        parts.append(w.HTML(title))
        body, _ = _with_citations(step.body, self.refs)
        body_html = self._links(markdown_html(body))
        parts.append(w.HTMLMath(body_html) if "$" in body else w.HTML(body_html))
        if step.interactive != "none":
            widget = safe_build(build_interactive, step.interactive, self.module, step)
            if widget is not None:
                parts.append(widget)
        think = w.HTML(f"<div class='bondlab-think'><h3>Think about</h3>"
                       f"{markdown_html(step.think)}</div>")
        parts.append(think)
        if self.mode == "facilitator":
            text = step.facilitator + "\n\n**Distress protocol.** " + DISTRESS_PROTOCOL
            note = mode_notes(text, "facilitator", title=NOTES_TITLE, folded=True)
            if note is not None:
                parts.append(note)
        elif self.mode == "lecture" and step.lecture:
            text, keys = _with_citations(step.lecture, self.refs)
            if keys:
                text += "\n\n**References**\n\n" + "\n".join(
                    f"- {_reference_line(self.refs[k])}" for k in keys if k in self.refs)
            note = mode_notes(text, "lecture", title="For lecture and study")
            if note is not None:
                parts.append(note)
        box = w.VBox(parts)
        box.add_class("bondlab-step-content")
        return box


def show_module(module_id: str, mode: str | None = None, start: int | None = None):
    """The whole module ``module_id`` as one widget; display it as a cell's result.

    ``mode`` and ``start`` default to ``?mode=`` and ``?step=`` in the page address.

    >>> page = show_module("01_why_rewards_hook_us", mode="participant", start=1)
    >>> page.stepper.progress_text
    'Step 1 of 6'
    """
    widget = safe_build(ModulePage, module_id, mode=mode, start=start)
    if not isinstance(widget, ModulePage):
        return w.VBox(kit_style() + [widget])
    return widget
