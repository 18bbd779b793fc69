"""Which pages get a ready ("preheated") kernel, and in what order (used only by
etc/jupyter/voila.py).

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

__all__ = ["start_page_first", "READING_PAGES"]

#: Pages a facilitator or lecturer reads alone, never opened by a whole room at once: they
#: get no preheated kernel (etc/jupyter/voila.py), which saves ~100 MB each all day.
READING_PAGES = ("facilitator_guide.ipynb", "references.ipynb", "gallery.ipynb")

log = logging.getLogger("bondlab.serving")


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
