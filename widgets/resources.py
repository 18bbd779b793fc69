"""Resources: the crisis and support services from ``data/crisis_resources.json``, in the page.

The same help as the Help panel of every page's safety shell (:func:`workshop.crisis.help_html`):
phone numbers to tap, web addresses written out (never links), the advice for a device
someone may check first.
"""
from __future__ import annotations

import ipywidgets as w

__all__ = ["Resources"]


class Resources(w.VBox):
    """The help services by region, with the emergency line and safety-planning advice."""

    def __init__(self, data=None, **kwargs):
        super().__init__(**kwargs)
        self.add_class("bondlab-resources")
        from workshop.crisis import help_html

        self.children = [w.HTML(help_html(data))]
