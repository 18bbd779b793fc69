"""What the kit's Voila template reads from ``VoilaConfiguration.resources`` (used only by
etc/jupyter/voila.py): the crisis resources and the quick-exit target of the safety shell."""
from __future__ import annotations

from workshop.crisis import help_html, load_crisis_resources

__all__ = ["shell_resources"]


def shell_resources(exit_url: str | None = None) -> dict:
    """What the ``kit`` template's safety shell reads from ``VoilaConfiguration.resources``.

    ``exit_url`` is where quick exit goes; ``None`` keeps the kit's own neutral page
    (right for an offline room). A public self-paced site should pass a common
    neutral site instead (``BONDLAB_EXIT_URL``), see the facilitator guide.
    """
    help = load_crisis_resources()
    kit = {"help": help, "help_html": help_html(help)}
    if exit_url:
        kit["exit_url"] = exit_url
    return {"kit": kit}
