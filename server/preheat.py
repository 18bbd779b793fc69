"""Which page gets ready ("preheated") kernels, how many, and when the pool is refilled
(used only by etc/jupyter/voila.py).

Only the one workshop page (``notebooks/index.ipynb``) is preheated: every participant
opens it, and moves between modules inside it. Its pool holds ``ROOM`` kernels for a room
(``ROOM=30 make workshop``), or one for a person alone, so the server stays light; every
other page starts its kernel when opened.

Voila fills a pool all at once, and refills every kernel at the moment it is taken: when a
room of 30 arrived, 30 new kernels started in the same seconds as the 30 pages being
served, and the room waited for them (measured: 47-52 s instead of the pool's few).
:func:`one_page_pool` fills the pool one kernel at a time instead, each one only once the
server has been quiet for :data:`QUIET` seconds (no page taken from the pool) and the
machine's processors are at least :data:`IDLE_SHARE` idle, and each waits until the
previous one has built its page *and* finished building its modules ahead (its process has
gone quiet): a refill never competes with a room at work. Measured before this (room of 30,
2 cores): a refill running under the room's first slider moves gave a slider p95 of 3.7 s,
against 85-264 ms once it had finished. The console says "room ready: N of M" as it fills,
and :func:`workshop.room.write_ready` keeps the same count for the facilitator's page.
"""
from __future__ import annotations

import asyncio
import logging
import os
import time
from pathlib import Path

from workshop.room import write_ready

__all__ = ["WORKSHOP_PAGE", "QUIET", "IDLE_SHARE", "room_size", "one_page_pool", "pool_config"]

#: The one page a room opens (relative to notebooks/).
WORKSHOP_PAGE = "index.ipynb"
#: Seconds without a page taken from the pool before the pool is refilled.
QUIET = 5.0
#: Longest wait (s) for one pooled kernel to build its page before filling the next.
BUILD_CAP = 120.0
#: Share of the machine's CPU time that must have been idle over the last second before
#: another kernel is started (a kernel's start and build take several seconds of CPU).
IDLE_SHARE = 0.5
#: Seconds a pooled kernel must stay quiet before it counts as ready: longer than the wait
#: before it builds modules ahead (widgets.workshop_page.AHEAD_AFTER, 2 s).
SETTLE = 3.0
#: Longest wait (s) for an idle moment; then one kernel starts anyway (a server that is
#: never idle still gets its pool back, one kernel at a time).
IDLE_CAP = 15.0

log = logging.getLogger("bondlab.serving")


def room_size(environ=os.environ) -> int:
    """Ready workshop pages to keep: ``$BONDLAB_ROOM`` (``ROOM=30 make workshop``), else 1.

    >>> room_size({"BONDLAB_ROOM": "30"}), room_size({}), room_size({"BONDLAB_ROOM": "lots"})
    (30, 1, 1)
    """
    raw = str(environ.get("BONDLAB_ROOM", "") or "").strip()
    if not raw:
        return 1
    if not raw.isdigit() or not 0 <= int(raw) <= 200:
        log.warning("BONDLAB_ROOM=%r is not a number of people from 0 to 200; keeping 1 "
                    "page ready", raw)
        return 1
    return int(raw)


def pool_config(size: int) -> dict:
    """Voila's ``kernel_pools_config``: ``size`` kernels for the workshop page, none else."""
    return {"default": {"pool_size": 0}, WORKSHOP_PAGE: {"pool_size": size}}


def one_page_pool(size: int, notebook: str = WORKSHOP_PAGE) -> bool:
    """Fill ``notebook``'s pool of ``size`` kernels one at a time, when the server is quiet.

    Wraps ``voila.app.voila_kernel_manager_factory`` (Voila calls it after reading this
    configuration, in ``Voila.start``) so that the preheating kernel manager starts the
    pooled kernels of ``notebook`` itself: one kernel, then, once it has run its notebook,
    the next, and never within :data:`QUIET` s of a page being taken. A request that finds
    the pool empty gets a fresh kernel, as in Voila. Idempotent; False if this Voila has no
    such factory.
    """
    try:
        import voila.app
    except ImportError:
        return False
    factory = getattr(voila.app, "voila_kernel_manager_factory", None)
    if factory is None:
        return False
    original = getattr(factory, "__wrapped__", factory)

    def kernel_manager_factory(base_class, preheat_kernel, default_pool_size, *args, **kwargs):
        cls = original(base_class, preheat_kernel, default_pool_size, *args, **kwargs)
        if not preheat_kernel:
            return cls

        class OnePagePoolKernelManager(cls):
            def __init__(self, **kw):
                self._filler = None
                self._fill_kwargs = None
                self._last_taken = float("-inf")
                self._ready_said = None
                self._settled: set[str] = set()  # pooled kernels done building
                super().__init__(**kw)

            def fill_if_needed(self, delay=None, notebook_name=None, **kw):
                if notebook_name != notebook:
                    return super().fill_if_needed(delay=delay, notebook_name=notebook_name, **kw)
                loop = _loop()
                if self._fill_kwargs is None:  # the first fill: keep its arguments
                    self._fill_kwargs = {k: v for k, v in kw.items()
                                         if k != "extra_kernel_env_variables"}
                if delay is None:  # Voila refills like this when a page takes a kernel
                    self._last_taken = loop.time()
                    self._say_ready()
                if self._filler is None or self._filler.done():
                    self._filler = loop.create_task(self._fill_slowly())
                return None

            def _pool(self):
                return self._pools.setdefault(notebook, [])

            async def _fill_slowly(self):
                loop = asyncio.get_running_loop()
                while len(self._pool()) < size:
                    quiet_for = loop.time() - self._last_taken
                    if quiet_for < QUIET:
                        await asyncio.sleep(QUIET - quiet_for)
                        continue
                    if self._settled:  # the very first page of a server does not wait
                        await _idle_moment(IDLE_SHARE, IDLE_CAP)
                    if loop.time() - self._last_taken < QUIET:
                        continue  # a page was taken meanwhile: quiet again first
                    self._start_one()
                    try:
                        content = await self._pool()[-1]
                        await _built(content, BUILD_CAP)
                        await _settled(self._pid(content["kernel_id"]), BUILD_CAP)
                        self._settled.add(content["kernel_id"])
                    except Exception:  # noqa: BLE001 -- Voila logs it; try the next one
                        log.warning("preheating %s failed", notebook, exc_info=True)
                        await asyncio.sleep(QUIET)
                    self._say_ready()

            def _start_one(self):
                """Voila's own fill, for one kernel more than the pool holds now."""
                config = dict(self.kernel_pools_config)
                mine = dict(config.get(notebook, {}), pool_size=len(self._pool()) + 1)
                self.kernel_pools_config = dict(config, **{notebook: mine})
                try:
                    super().fill_if_needed(delay=0, notebook_name=notebook,
                                           **(self._fill_kwargs or {}))
                finally:
                    self.kernel_pools_config = config

            def _pid(self, kernel_id):
                try:
                    return self.get_kernel(kernel_id).provisioner.pid
                except Exception:  # noqa: BLE001 -- not a local process: no settling wait
                    return None

            def ready(self) -> int:
                """Pooled pages built (modules ahead too) and waiting for a participant."""
                n = 0
                for task in self._pool():
                    if (task.done() and not task.exception() and task.result()["task"].done()
                            and task.result()["kernel_id"] in self._settled):
                        n += 1
                return n

            def _say_ready(self):
                said = (self.ready(), size)
                if said != self._ready_said:
                    self._ready_said = said
                    self.log.info("room ready: %s of %s workshop pages", *said)
                    write_ready(*said)

            async def shutdown_all(self, *a, **kw):
                if self._filler is not None:
                    self._filler.cancel()
                write_ready(None, size)
                return await super().shutdown_all(*a, **kw)

        OnePagePoolKernelManager.__name__ = cls.__name__
        return OnePagePoolKernelManager

    kernel_manager_factory.__wrapped__ = original
    voila.app.voila_kernel_manager_factory = kernel_manager_factory
    return True


def _loop():
    try:
        return asyncio.get_event_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        return loop


async def _built(content: dict, cap: float) -> None:
    """Until a pooled kernel has run its notebook (its page is built), at most ``cap`` s."""
    try:
        await asyncio.wait_for(asyncio.shield(content["task"]), cap)
    except asyncio.TimeoutError:
        log.warning("a pooled page took longer than %.0f s to build; filling on", cap)


def _busy_idle() -> tuple[float, float] | None:
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]]
    except (OSError, ValueError):
        return None
    return float(sum(f[:3]) + sum(f[5:8])), float(f[3] + f[4])


async def _idle_moment(share: float, cap: float) -> None:
    """Until the machine's CPUs were at least ``share`` idle over one second, at most
    ``cap`` s (Linux's /proc/stat; elsewhere at once)."""
    deadline = time.monotonic() + cap
    before = _busy_idle()
    while before is not None and time.monotonic() < deadline:
        await asyncio.sleep(1.0)
        after = _busy_idle()
        busy, idle = after[0] - before[0], after[1] - before[1]
        if busy + idle <= 0 or idle / (busy + idle) >= share:
            return
        before = after


def _cpu_seconds(pid: int) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return None


async def _settled(pid: int | None, cap: float, busy: float = 0.1, hold: float | None = None
                   ) -> None:
    """Until the kernel process ``pid`` used less than ``busy`` of a CPU for ``hold`` s in a
    row (default :data:`SETTLE`: it has finished building its modules ahead), at most
    ``cap`` s."""
    hold = SETTLE if hold is None else hold
    deadline = time.monotonic() + cap
    last = _cpu_seconds(pid) if pid else None
    quiet_since = time.monotonic()
    while last is not None and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
        now = _cpu_seconds(pid)
        if now is None:
            return
        if now - last >= busy * 0.5:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= hold:
            return
        last = now
