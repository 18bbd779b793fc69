"""What the kit's server does to keep the privacy promises the pages make (used only by
etc/jupyter/voila.py and, under a Jupyter server, etc/jupyter/jupyter_server_config.py).

- **Stored results are deleted on time** even when nobody opens the class experiment:
  :func:`start_purging` purges expired results when the server starts and every
  :data:`workshop.room.PURGE_SECONDS` while it runs (a Tornado ``PeriodicCallback`` in the
  server's own event loop).
- **Quick exit clears what the browser keeps for the kit's address**: the safety shell sends
  a beacon to ``<base>voila/bondlab/clear-site-data``; :class:`ClearSiteData` answers with
  ``Clear-Site-Data: "cache", "storage"``, and the browser deletes the site's cached pages
  and its local and session storage. Not ``"cookies"``: that clears every site under the same
  registrable domain (a hub's log-in, a university's other services), and a sudden log-out
  elsewhere is itself a sign. Browsers honour the header on https and on localhost only.

Standalone Voila (``make workshop``) has no setting for extra handlers:
:func:`install_in_voila` wraps ``Voila.init_handlers`` (called once in ``Voila.start``, before
the event loop runs). Under a Jupyter server (Binder, a hub) this module is a server
extension (:func:`_load_jupyter_server_extension`).
"""
from __future__ import annotations

import logging

from server.patch import replace

__all__ = ["CLEAR_PATH", "CLEAR_SITE_DATA", "ClearSiteData", "purge_now", "start_purging",
           "handlers", "install_in_voila"]

#: Under the server's base URL; the safety shell derives it from ``data-base-url``.
CLEAR_PATH = "voila/bondlab/clear-site-data"
CLEAR_SITE_DATA = '"cache", "storage"'

log = logging.getLogger("bondlab.room")


def _handler_class():
    from tornado.web import RequestHandler

    class ClearSiteData(RequestHandler):
        """Answers a quick exit's beacon: no body, ``Clear-Site-Data`` for cache and storage."""

        def check_xsrf_cookie(self):
            """A beacon carries no XSRF token; this changes nothing on the server and clears
            only the asking browser's own data for this address."""

        def post(self):
            self.set_header("Clear-Site-Data", CLEAR_SITE_DATA)
            self.set_header("Cache-Control", "no-store")
            self.set_status(204)

    return ClearSiteData


ClearSiteData = _handler_class()


def purge_now() -> None:
    """Purge the class experiment's expired results; a failure is logged, never raised."""
    from workshop import room

    try:
        room.purge_expired()
    except Exception:  # noqa: BLE001 -- the workshop runs without the experiment
        log.exception("could not purge expired results")


def start_purging(seconds: float | None = None):
    """Purge now, then every ``seconds`` (default :data:`workshop.room.PURGE_SECONDS`) in
    the current Tornado event loop. Returns the started ``PeriodicCallback``."""
    from tornado.ioloop import PeriodicCallback

    from workshop import room

    purge_now()
    timer = PeriodicCallback(purge_now, 1000 * (seconds or room.PURGE_SECONDS))
    timer.start()
    return timer


def handlers(base_url: str = "/") -> list:
    """The kit's own Tornado handlers under ``base_url``."""
    return [(base_url.rstrip("/") + "/" + CLEAR_PATH, ClearSiteData)]


def install_in_voila() -> bool:
    """Make standalone Voila serve :func:`handlers` and run :func:`start_purging` at start.
    Idempotent; False if this Voila has no ``init_handlers``."""
    try:
        from voila.app import Voila
    except ImportError:
        return False
    def wrap(original):
        def init_handlers(self):
            found = original(self)
            self._bondlab_purge = start_purging()
            return handlers(self.server_url) + found
        return init_handlers

    return replace(Voila, "init_handlers", wrap)


def _jupyter_server_extension_points():
    return [{"module": "server.privacy"}]


def _load_jupyter_server_extension(server_app):
    """Under a Jupyter server: the same handler and purging as standalone Voila."""
    web_app = server_app.web_app
    web_app.add_handlers(".*$", handlers(web_app.settings.get("base_url", "/")))
    server_app._bondlab_purge = start_purging()
