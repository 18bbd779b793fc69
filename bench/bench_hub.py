"""Hub sizing: the workshop opened by 10, 20 and 30 hub users at once, on this machine.

Starts a real JupyterHub with TLJH's Bond Lab settings and a local spawner (tests/hub_config.py,
as tests/test_hub.py does), then for each size: that many new users log in over HTTP at the
same moment and open the workshop (the hub starts each one's server; the page streams while
its notebook runs), then connect to their page's kernel as the page does. Time to
interactive: from the login to the kernel's first reply on the page's websocket. Memory per
user: the proportional set size (PSS: shared pages split between their users) of each user's
server and its kernels, once everyone is in; CPU per user: the CPU time those processes have
used by then. Then every server is stopped before the next size.

Prints the machine's load average before and after (the machine may be shared), TTI
p50/p95/max, pages that failed, memory and CPU time per user.

    python bench/bench_hub.py [--sizes 10,20,30]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psutil
import websocket

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from kit_hub import Hub, hub_for_tests  # noqa: E402


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def open_workshop(hub: Hub, name: str) -> float:
    """Seconds from login to the first kernel reply on the user's workshop page."""
    t0 = time.monotonic()
    session = hub.login(name)
    page = hub.open_workshop(session, timeout=900)
    if page.status_code != 200 or 'id="kit-exit"' not in page.text:
        raise RuntimeError(f"{name}: {page.status_code} {page.url}")
    kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', page.text).group(1)
    cookies = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    ws = websocket.create_connection(
        f"ws://127.0.0.1:{hub.port}/user/{name}/api/kernels/{kernel}/channels",
        header=[f"Cookie: {cookies}"], timeout=300)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "kernel_info_request",
                                       "username": name, "session": uuid.uuid4().hex,
                                       "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "content": {},
                            "channel": "shell", "buffers": []}))
        while json.loads(ws.recv()).get("parent_header", {}).get("msg_id") != msg_id:
            pass
    finally:
        ws.close()
    return time.monotonic() - t0


def usage_per_user(hub: Hub) -> dict[str, tuple[float, float]]:
    """(PSS in MB, CPU seconds so far) of each user's server and kernels, by JUPYTERHUB_USER.

    The CPU seconds are what starting the server and opening the page cost, whatever else
    the machine was doing: the figure to size a machine by when the machine is shared."""
    per_user: dict[str, tuple[float, float]] = {}
    for proc in psutil.Process(hub.proc.pid).children(recursive=True):
        try:
            user = proc.environ().get("JUPYTERHUB_USER")
            if user:
                cpu = proc.cpu_times()
                pss, seconds = per_user.get(user, (0.0, 0.0))
                per_user[user] = (pss + proc.memory_full_info().pss / 2**20,
                                  seconds + cpu.user + cpu.system)
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return per_user


def stop_all(hub: Hub, names) -> None:
    for name in names:
        hub.api("DELETE", f"/users/{name}/server", hub.token)
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if not any(hub.api("GET", f"/users/{n}", hub.token).json()["servers"] for n in names):
            return
        time.sleep(1)
    raise RuntimeError("servers did not stop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10,20,30")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = Path(tempfile.mkdtemp(prefix="bench-hub-"))
    hub = hub_for_tests(work / "hub", "tljh_bondlab.py", BONDLAB_TEST_HOMES=work / "homes",
                        BONDLAB_STATE_DIR=work / "rooms")
    print(f"cores: {os.cpu_count()}, memory: {psutil.virtual_memory().total / 2**30:.1f} GB, "
          f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
    hub.start(timeout=300)
    try:
        for size in sizes:
            names = [f"u{size}x{i}" for i in range(size)]
            with ThreadPoolExecutor(size) as pool:
                results = list(pool.map(lambda n: _try(open_workshop, hub, n), names))
            times = [r for r in results if isinstance(r, float)]
            failed = [r for r in results if not isinstance(r, float)]
            usage = usage_per_user(hub)
            mine = [usage[n][0] for n in names if n in usage]
            cpu = [usage[n][1] for n in names if n in usage]
            if not times or not mine:
                print(f"{size:3d} users at once: every page failed", failed[:3], flush=True)
                break
            print(f"{size:3d} users at once: TTI p50 {pct(times, 50):.1f} s, p95 "
                  f"{pct(times, 95):.1f} s, max {max(times):.1f} s; {len(failed)} failed; "
                  f"memory per user (PSS) median {statistics.median(mine):.0f} MB, "
                  f"all users {sum(mine) / 1024:.2f} GB; CPU per user median "
                  f"{statistics.median(cpu):.1f} s; load average "
                  f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}", flush=True)
            for error in failed[:3]:
                print("   ", error)
            stop_all(hub, names)
    finally:
        hub.stop()
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


def _try(fn, *args):
    try:
        return fn(*args)
    except Exception as error:  # noqa: BLE001 -- a failed page is a result, not a crash
        return f"{type(error).__name__}: {str(error)[:300]}"


if __name__ == "__main__":
    main()
