"""Room benchmark: a room of participants opening pages at once, then leaving.

Starts the kit's Voila (as `make workshop` does) and drives it with protocol-level clients
that talk to Voila as a page does: GET the page (Voila streams it while the notebook runs:
the "Executing N of M" hang showed here), then the kernel websocket (kernel_info), then
the page's shutdown request on leaving. Prints pages per second, time-to-interactive
percentiles, memory per participant, and the kernels left after everyone left.
Slider latency under load is not measured here yet (see the README). Loopback only;
every loop is bounded.

    python bench/bench_room.py [--bursts 20] [--room 30]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import re
import statistics
import struct
import sys
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from kit_browser import VoilaServer, notebook_pages  # noqa: E402

def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))] if values else float("nan")


def kernel_pids(connection_dir: str) -> dict[str, int]:
    """Kernels of this Voila only (their connection files are in its own folder)."""
    pids = {}
    for proc in Path("/proc").iterdir():
        try:
            cmd = (proc / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        m = re.search(re.escape(connection_dir) + r"/kernel-([0-9a-f-]{36})\.json", cmd)
        if m and "ipykernel" in cmd:
            pids[m.group(1)] = int(proc.name)
    return pids


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class Participant:
    """One browser tab, at the protocol level: open the page, reach its kernel, leave."""

    def __init__(self, server: VoilaServer, notebook: str, xsrf: str):
        self.server, self.notebook, self.xsrf = server, notebook, xsrf
        self.session = uuid.uuid4().hex
        self.pending: dict[str, asyncio.Future] = {}
        self.ws = None

    async def open(self) -> float:
        t0 = time.perf_counter()
        http = AsyncHTTPClient()
        resp = await http.fetch(self.server.page_url(self.notebook), request_timeout=600)
        html = resp.body.decode()
        if "</html>" not in html:
            raise RuntimeError(f"{self.notebook}: page never finished")
        self.kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', html).group(1)
        url = self.server.url.replace("http", "ws") + f"/api/kernels/{self.kernel}/channels?session_id={self.session}"
        self.ws = await websocket_connect(url)
        self.reader = asyncio.ensure_future(self._read())
        await self.request("shell", "kernel_info_request", {})
        return time.perf_counter() - t0

    def _message(self, channel, msg_type, content, buffers=()):
        msg_id = uuid.uuid4().hex
        msg = {"header": {"msg_id": msg_id, "msg_type": msg_type, "session": self.session,
                          "username": "bench", "version": "5.3",
                          "date": datetime.now(timezone.utc).isoformat()},
               "parent_header": {}, "metadata": {}, "content": content, "channel": channel,
               "buffers": list(buffers)}
        return msg_id, msg

    async def request(self, channel, msg_type, content, wait_idle=False, timeout=120):
        msg_id, msg = self._message(channel, msg_type, content)
        fut = asyncio.get_running_loop().create_future()
        self.pending[msg_id] = fut
        await self.ws.write_message(json.dumps(msg))
        return await asyncio.wait_for(fut, timeout)

    async def _read(self):
        try:
            await self._read_forever()
        except Exception as error:  # noqa: BLE001 -- a bench client must say why it stopped
            print(f"client for {self.notebook} stopped reading: {error!r}", file=sys.stderr)

    async def _read_forever(self):
        while True:
            raw = await self.ws.read_message()
            if raw is None:
                print(f"client for {self.notebook}: the server closed the websocket "
                      f"({self.ws.close_code} {self.ws.close_reason})", file=sys.stderr)
                return
            if isinstance(raw, bytes):  # legacy binary frame: message with buffers
                n = struct.unpack("!I", raw[:4])[0]
                offsets = list(struct.unpack(f"!{n}I", raw[4:4 + 4 * n])) + [len(raw)]
                msg = json.loads(raw[offsets[0]:offsets[1]])
                msg["_has_buffers"] = n > 1
            else:
                msg = json.loads(raw)
            parent = msg.get("parent_header", {}).get("msg_id")
            mtype = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
            content = msg.get("content", {})
            if mtype.endswith("_reply") and parent in self.pending:
                self.pending.pop(parent).set_result(msg)

    async def leave(self):
        if self.ws:
            self.ws.close()
            self.reader.cancel()
        req = HTTPRequest(f"{self.server.url}/voila/api/shutdown/{self.kernel}", method="POST", body="",
                          headers={"Cookie": f"_xsrf={self.xsrf}", "X-XSRFToken": self.xsrf})
        await AsyncHTTPClient().fetch(req, raise_error=False)


async def xsrf_cookie(server) -> str:
    resp = await AsyncHTTPClient().fetch(server.url + "/voila/tree", follow_redirects=False, raise_error=False)
    for header in resp.headers.get_list("Set-Cookie"):
        if header.startswith("_xsrf="):
            return header.split(";")[0].split("=", 1)[1]
    raise RuntimeError("no _xsrf cookie")


async def bursts(server, pages, n_bursts, room):
    xsrf = await xsrf_cookie(server)
    rows, all_tti, mem_per_page = [], [], []
    for b in range(n_bursts):
        people = [Participant(server, pages[(b * room + i) % len(pages)], xsrf) for i in range(room)]
        t0 = time.perf_counter()
        results = await asyncio.gather(*(p.open() for p in people), return_exceptions=True)
        wall = time.perf_counter() - t0
        ok = [r for r in results if isinstance(r, float)]
        failed = [repr(r)[:120] for r in results if not isinstance(r, float)]
        pids = kernel_pids(server.connection_dir)
        mem = [rss_mb(pids[p.kernel]) for p in people if getattr(p, "kernel", None) in pids]
        mem_per_page.append(statistics.median(mem) if mem else float("nan"))
        all_tti += ok
        rows.append((b + 1, len(ok), len(failed), max(ok) if ok else float("nan"), wall))
        print(f"burst {b + 1:2d}: {len(ok)}/{room} interactive, slowest {max(ok) if ok else float('nan'):5.1f} s, "
              f"{room / wall:4.1f} pages/s, kernel RSS median {mem_per_page[-1]:.0f} MB"
              + (f", FAILED: {failed[:3]}" if failed else ""), flush=True)
        await asyncio.gather(*(p.leave() for p in people if getattr(p, "kernel", None)), return_exceptions=True)
        await asyncio.sleep(3)
    return rows, all_tti, mem_per_page


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bursts", type=int, default=20)
    ap.add_argument("--room", type=int, default=30)
    args = ap.parse_args(argv)
    AsyncHTTPClient.configure(None, max_clients=200)
    pages = [p for p in notebook_pages() if p[:2].isdigit()]
    server = VoilaServer(Path("/tmp/bench_room_voila.log"), extra_env={"BONDLAB_CULL_IDLE_SECONDS": "60"}).start()
    try:
        loop = asyncio.new_event_loop()
        server.connection_dir = re.search(r"connection files in (\S+?)\.?$", server.log_path.read_text(), re.M).group(1)
        before = len(kernel_pids(server.connection_dir))
        rows, tti, mem = loop.run_until_complete(bursts(server, pages, args.bursts, args.room))
        time.sleep(5)
        after = kernel_pids(server.connection_dir)
        opened = sum(r[1] for r in rows)
        print(f"\n{opened} page opens in {len(rows)} bursts of {args.room}: "
              f"{sum(r[2] for r in rows)} failed or stuck; slowest per burst: "
              + ", ".join(f"{r[3]:.1f}" for r in rows) + " s")
        print(f"time to interactive: median {pct(tti, 50):.1f} s, p90 {pct(tti, 90):.1f} s, max {max(tti):.1f} s")
        print(f"pages per second (median over bursts): {statistics.median(args.room / r[4] for r in rows):.1f}")
        print(f"kernel memory per participant (median RSS): {statistics.median(mem):.0f} MB")
        print(f"kernels before: {before}, after everyone left: {len(after)} (pool: {len(notebook_pages())} pages x pool size)")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
