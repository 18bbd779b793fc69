"""Reflection: prompts with text boxes; the notes stay in the page.

Nothing typed here is written on the server. "Download my notes" is a link whose address
holds the notes themselves (a ``data:`` URL, rebuilt as you type), so the browser makes the
file on this device; "Clear" empties every box. The panel says so in one line.

Example
-------
>>> r = Reflection(["What surprised you?"])
>>> r.boxes[0].value = "The gaps."
>>> "The%20gaps." in r.download.value
True
>>> r.clear_button.click(); r.boxes[0].value
''
"""
from __future__ import annotations

import html
from urllib.parse import quote

import ipywidgets as w

from widgets.common import guard, status_line

__all__ = ["Reflection", "PRIVACY_LINE", "FILE_NAME"]

PRIVACY_LINE = ("What you write stays in this page and is not saved on the server. "
                "\u201cDownload my notes\u201d saves a copy on this device only; think about "
                "who else can open files here. \u201cClear\u201d wipes the boxes. Writing is "
                "optional.")
#: A neutral file name: the file may sit on a shared or checked device.
FILE_NAME = "notes.txt"


class Reflection(w.VBox):
    """Reflection prompts, each with a text box, plus Download and Clear.

    Parameters
    ----------
    prompts : list of str
        The questions (from ``data/reflections.json`` for the module).
    title : str
        A heading for the notes file (kept neutral: "Notes").
    """

    def __init__(self, prompts, title="Notes", **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-reflection")
        self.prompts = [str(p) for p in prompts] or ["Your thoughts"]
        self.title = title
        self.status = status_line()
        self.boxes = []
        rows = [w.HTML(f'<p class="bondlab-privacy">{html.escape(PRIVACY_LINE)}</p>')]
        for i, prompt in enumerate(self.prompts):
            box = w.Textarea(value="", description=prompt, placeholder="Type here if you like",
                             continuous_update=True, rows=3,
                             style={"description_width": "initial"},
                             layout=w.Layout(width="100%", flex_flow="column"))
            box.observe(guard(self._update, self.status), names="value")
            self.boxes.append(box)
            rows.append(box)
        self.download = w.HTML()
        self.clear_button = w.Button(description="Clear", icon="eraser",
                                     tooltip="Wipe everything written in these boxes",
                                     layout=w.Layout(min_width="7rem", height="2.5rem"))
        self.clear_button.on_click(guard(self.clear, self.status))
        self.cleared = w.HTML()
        rows.append(w.HBox([self.download, self.clear_button, self.cleared],
                           layout=w.Layout(align_items="center", flex_flow="row wrap")))
        rows.append(self.status)
        self.children = rows
        self._update()

    def text(self) -> str:
        """The notes as plain text: each prompt followed by what was written."""
        parts = [self.title, ""]
        for prompt, box in zip(self.prompts, self.boxes):
            parts += [prompt, box.value.strip() or "-", ""]
        return "\n".join(parts)

    def _update(self, _change=None):
        href = "data:text/plain;charset=utf-8," + quote(self.text(), safe="")
        self.download.value = (f'<a class="bondlab-download" download="{FILE_NAME}" '
                               f'href="{href}">Download my notes</a>')
        if any(b.value for b in self.boxes):
            self.cleared.value = ""

    def clear(self, _button=None):
        """Wipe every box (and the download link's copy)."""
        for box in self.boxes:
            box.value = ""
        self._update()
        self.cleared.value = '<span role="status">The boxes are empty now.</span>'
