"""Fixes for a Voila server that stops answering (used only by etc/jupyter/voila.py).

Server-side only: no component imports this module, and zmq / jupyter_client / voila are
imported only inside the functions.

:func:`fix_lost_wakeup` -- pages that hang on "Executing N of M". The hang (jupyter_client
PR #1059, nbclient #312, voila #1428, all open): while a cell runs, nbclient mirrors
Output-widget state back to the kernel with ``Session.send``, which sends on a *blocking
shadow* of the ``zmq.asyncio`` shell socket. libzmq signals "readable" on its file
descriptor only on an edge; if the cell's ``execute_reply`` arrives just before that send,
the send consumes the edge, asyncio is never told, and ``await get_msg()`` waits forever
with the reply sitting in the socket. The fix asks the asyncio socket to re-check its
pending events after every such send.

:func:`fix_binary_frames` -- the whole server freezing when one websocket client speaks
the older kernel-websocket protocol. Voila's ``VoilaKernelWebsocketHandler.write_message``
reads the header of every binary frame to drop ``execute_input`` messages, and always
reads it as protocol v1 (first 8 bytes: the number of offsets, little-endian). The
browser page negotiates v1 (``Sec-WebSocket-Protocol: v1.kernel.websocket.jupyter.org``),
so browsers never meet it; a client that does not (an older frontend, a script, the room
benchmark's first protocol client) gets the legacy format, where a message with buffers
(every ipympl figure image) starts with a 4-byte big-endian count and offsets. Read as v1,
those bytes say ~8.6e17 offsets, and Voila builds that list in its event loop: the server
stops answering everyone, at 100 % CPU, with memory growing until it is killed. Found with
py-spy (main thread in ``read_header_from_binary_message``) while the client's slider
update sat unread in the server's socket. Same code in voila 0.5.13 and in later
sources of voila's repository; no upstream report found.
The fix reads a frame's header only when its offset table fits inside the frame.
"""
from __future__ import annotations

import logging

from server.patch import is_replaced, replace

__all__ = ["fix_lost_wakeup", "fix_binary_frames", "V1_PROTOCOL"]

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"

log = logging.getLogger("bondlab.serving")


def fix_lost_wakeup() -> bool:
    """Patch ``jupyter_client.session.Session.send`` to re-arm asyncio sockets.

    Returns True when the patch is in place (idempotent), False when this pyzmq has no
    ``_schedule_remaining_events`` (a private method; pyproject.toml pins pyzmq, and
    tests/test_serving.py reproduces the race with and without the patch).
    """
    import zmq.asyncio
    from jupyter_client.session import Session

    if is_replaced(Session.send):
        return True
    if not hasattr(zmq.asyncio.Socket, "_schedule_remaining_events"):
        log.warning("pyzmq %s has no _schedule_remaining_events: pages may hang under load",
                    zmq.__version__)
        return False

    def wrap(original):
        def send(self, stream, *args, **kwargs):
            msg = original(self, stream, *args, **kwargs)
            if isinstance(stream, zmq.asyncio.Socket) and not stream.closed:
                stream._schedule_remaining_events()
            return msg
        return send

    return replace(Session, "send", wrap)


def fix_binary_frames() -> bool:
    """Make Voila's websocket handler read a binary frame's header only if it is a v1 frame.

    Replaces ``voila.tornado.kernel_websocket_handler.read_header_from_binary_message``
    (looked up by ``write_message`` at each call) with a version that returns ``None``
    unless the frame's offset count is at least 3 and its offset table fits in the frame;
    v1 frames read exactly as before, so ``execute_input`` is still dropped for browsers.
    A legacy frame is then sent as it is (legacy ``execute_input`` messages are text,
    never binary, so nothing Voila meant to drop gets through). Idempotent; returns False
    if this Voila has no such function (tests/test_serving.py checks both versions).
    """
    try:
        from voila.tornado import kernel_websocket_handler as handler
    except ImportError:
        return False
    def wrap(original):
        def read_header_from_binary_message(ws_msg: bytes):
            if len(ws_msg) < 8:
                return None
            count = int.from_bytes(ws_msg[:8], "little")
            if not 3 <= count <= (len(ws_msg) - 8) // 8:
                return None  # not a v1 frame: the legacy protocol (or junk)
            return original(ws_msg)
        return read_header_from_binary_message

    return replace(handler, "read_header_from_binary_message", wrap)
