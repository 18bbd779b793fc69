"""A fix for pages that hang on "Executing N of M" under Voila (used by etc/jupyter/voila.py).

Not part of the simulation engine: nothing here is imported by ``import bondlab``,
and zmq / jupyter_client are imported only inside :func:`fix_lost_wakeup`.

The hang (jupyter_client PR #1059, nbclient #312, voila #1428, all open): while a cell
runs, nbclient mirrors Output-widget state back to the kernel with ``Session.send``,
which sends on a *blocking shadow* of the ``zmq.asyncio`` shell socket. libzmq signals
"readable" on its file descriptor only on an edge; if the cell's ``execute_reply``
arrives just before that send, the send consumes the edge, asyncio is never told, and
``await get_msg()`` waits forever with the reply sitting in the socket. The fix asks
the asyncio socket to re-check its pending events after every such send.
"""
from __future__ import annotations

import logging

__all__ = ["fix_lost_wakeup"]

log = logging.getLogger("bondlab.serving")


def fix_lost_wakeup() -> bool:
    """Patch ``jupyter_client.session.Session.send`` to re-arm asyncio sockets.

    Returns True when the patch is in place (idempotent), False when this pyzmq has no
    ``_schedule_remaining_events`` (a private method; pyproject.toml pins pyzmq, and
    tests/test_serving.py reproduces the race with and without the patch).
    """
    import zmq.asyncio
    from jupyter_client.session import Session

    if getattr(Session.send, "_rearms_asyncio", False):
        return True
    if not hasattr(zmq.asyncio.Socket, "_schedule_remaining_events"):
        log.warning("pyzmq %s has no _schedule_remaining_events: pages may hang under load",
                    zmq.__version__)
        return False
    original = Session.send

    def send(self, stream, *args, **kwargs):
        msg = original(self, stream, *args, **kwargs)
        if isinstance(stream, zmq.asyncio.Socket) and not stream.closed:
            stream._schedule_remaining_events()
        return msg

    send._rearms_asyncio = True
    send.__wrapped__ = original
    send.__doc__ = original.__doc__
    Session.send = send
    return True
