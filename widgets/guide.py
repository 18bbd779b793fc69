"""The facilitator guide as a workshop page, from ``data/modules/facilitator_guide.md``.

>>> "Session plan: 90 minutes" in show_guide().value
True
"""
from __future__ import annotations

import ipywidgets as w

from workshop.content import modules_dir
from widgets.common import markdown_html, safe_build

__all__ = ["show_guide"]


def _guide() -> w.HTML:
    text = (modules_dir() / "facilitator_guide.md").read_text(encoding="utf-8")
    # A focusable, labelled region (as on the references page): the page has no other
    # control, and keyboard users scroll it from inside (axe: scrollable-region-focusable).
    page = w.HTML('<div class="bondlab-guide" role="region" aria-label="Facilitator guide" '
                  f'tabindex="0">{markdown_html(text)}</div>')
    page.add_class("bondlab-guide-page")
    return page


def show_guide():
    """The whole facilitator guide: session plans, agreements, checklist, distress protocol."""
    return safe_build(_guide)
