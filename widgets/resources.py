"""Resources: the crisis and support services from ``data/crisis_resources.json``, in the page.

The same list the Help link opens in every page's safety shell, here as part of a step.
"""
from __future__ import annotations

import html

import ipywidgets as w

__all__ = ["Resources"]


def _e(text) -> str:
    return html.escape(str(text))


class Resources(w.VBox):
    """The help services by region, with the emergency line and safety-planning advice."""

    def __init__(self, data=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-resources")
        if data is None:
            from workshop.crisis import load_crisis_resources
            data = load_crisis_resources()
        parts = [f"<p><strong>{_e(data['emergency'])}</strong></p>",
                 f"<p>{_e(data['safety_planning'])}</p>",
                 f"<p>{_e(data['device_safety'])}</p>"]
        for region in data["regions"]:
            parts.append(f"<h4>{_e(region['name'])}</h4><ul>")
            for entry in region["entries"]:
                bits = [f'<a href="{_e(entry["url"])}" rel="noreferrer">{_e(entry["name"])}</a>']
                for key in ("phone", "text", "hours"):
                    if entry.get(key):
                        bits.append(_e(entry[key]))
                if entry.get("description"):
                    bits.append(_e(entry["description"]))
                parts.append("<li>" + " · ".join(bits) + "</li>")
            parts.append("</ul>")
        self.children = [w.HTML("".join(parts))]
