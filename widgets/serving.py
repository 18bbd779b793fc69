"""How the kit's Voila server serves a room (used by etc/jupyter/voila.py): fixes for a
server that stops answering, and the order in which pages' kernels are made ready.

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

:func:`start_page_first` -- the first page after start-up waiting for the whole preheat
pool. Voila starts one pooled kernel for every notebook at the same moment; on 2 cores the
start page's kernel competes with all the others and the facilitator's first click waits
for them all. The kit starts the start page's kernel alone, then the other pages' pools one
after another (a request for a page whose pool is not started yet gets a fresh kernel, as
when a pool is used up).
"""
from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["fix_lost_wakeup", "fix_binary_frames", "start_page_first", "V1_PROTOCOL",
           "READING_PAGES"]

V1_PROTOCOL = "v1.kernel.websocket.jupyter.org"

#: Pages a facilitator or lecturer reads alone, never opened by a whole room at once: they
#: get no preheated kernel (etc/jupyter/voila.py), which saves ~100 MB each all day.
READING_PAGES = ("facilitator_guide.ipynb", "references.ipynb", "gallery.ipynb")

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
    original = getattr(handler, "read_header_from_binary_message", None)
    if original is None:
        return False
    if getattr(original, "_bounded", False):
        return True

    def read_header_from_binary_message(ws_msg: bytes):
        if len(ws_msg) < 8:
            return None
        count = int.from_bytes(ws_msg[:8], "little")
        if not 3 <= count <= (len(ws_msg) - 8) // 8:
            return None  # not a v1 frame: the legacy protocol (or junk)
        return original(ws_msg)

    read_header_from_binary_message._bounded = True
    read_header_from_binary_message.__wrapped__ = original
    read_header_from_binary_message.__doc__ = original.__doc__
    handler.read_header_from_binary_message = read_header_from_binary_message
    return True


def start_page_first(notebook: str = "00_start.ipynb") -> bool:
    """Preheat ``notebook``'s kernel first; fill the other pages' pools after it, one by one.

    Wraps ``voila.app.voila_kernel_manager_factory`` (Voila calls it after reading this
    configuration, in ``Voila.start``) so the preheating kernel manager defers the pools
    its constructor would start all at once: the start page's pool starts at once, the
    others wait until its notebook has run as far as it can before a request (it waits for
    the page's query string), then start one notebook at a time in the same way. Without
    preheating, or when ``notebook`` is not among the served pages, Voila's own behaviour
    is kept. Idempotent; False if this Voila has no such factory.
    """
    try:
        import voila.app
    except ImportError:
        return False
    factory = getattr(voila.app, "voila_kernel_manager_factory", None)
    if factory is None:
        return False
    if getattr(factory, "_start_page_first", None) == notebook:
        return True
    original = getattr(factory, "__wrapped__", factory)

    def kernel_manager_factory(base_class, preheat_kernel, default_pool_size, *args, **kwargs):
        cls = original(base_class, preheat_kernel, default_pool_size, *args, **kwargs)
        if not preheat_kernel:
            return cls

        class StartPageFirstKernelManager(cls):
            def __init__(self, **kw):
                self._deferred_pools = []  # filled by fill_if_needed during Voila's __init__
                self._filling = None
                super().__init__(**kw)
                deferred, self._deferred_pools = self._deferred_pools, None
                if deferred:
                    import asyncio

                    try:
                        loop = asyncio.get_event_loop()
                    except RuntimeError:
                        loop = asyncio.new_event_loop()
                        asyncio.set_event_loop(loop)
                    self._filling = loop.create_task(self._fill_one_by_one(deferred))

            def fill_if_needed(self, delay=None, notebook_name=None, **kw):
                deferred = getattr(self, "_deferred_pools", None)
                if (deferred is not None and notebook_name != notebook
                        and self.notebook_path is None
                        and (Path(self.root_dir) / notebook).exists()):
                    deferred.append((notebook_name, kw))
                    return None
                return super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kw)

            async def _fill_one_by_one(self, deferred):
                pending = dict(deferred)
                for name in [notebook] + [name for name, _ in deferred]:
                    if name in pending:
                        super().fill_if_needed(delay=0, notebook_name=name, **pending[name])
                    for task in list(self._pools.get(name, ())):
                        try:
                            await _prerendered(await task)
                        except Exception:  # noqa: BLE001 -- Voila logs it; go on
                            log.warning("preheating %s failed", name, exc_info=True)
                self.log.info("Preheated: %s first, then the other pages one by one", notebook)

            async def shutdown_all(self, *a, **kw):
                if self._filling is not None:
                    self._filling.cancel()
                return await super().shutdown_all(*a, **kw)

        StartPageFirstKernelManager.__name__ = cls.__name__
        return StartPageFirstKernelManager

    async def _prerendered(content, cap: float = 60.0):
        """Until a pooled page has run as far as it can before its request: its notebook
        waits for the page's query string (the kernel has opened Voila's request-info
        websocket, ``/voila/query/<kernel id>``), or it has finished; at most ``cap`` s."""
        import asyncio

        from voila.request_info_handler import RequestInfoSocketHandler

        waiting = getattr(RequestInfoSocketHandler, "_waiters", {})
        end = asyncio.get_running_loop().time() + cap
        while (asyncio.get_running_loop().time() < end and not content["task"].done()
               and content["kernel_id"] not in waiting):
            await asyncio.sleep(0.2)

    kernel_manager_factory._start_page_first = notebook
    kernel_manager_factory.__wrapped__ = original
    voila.app.voila_kernel_manager_factory = kernel_manager_factory
    return True
