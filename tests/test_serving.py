"""The lost wake-up behind Voila's stuck pages, reproduced, and the kit's fix for it."""
from __future__ import annotations

import asyncio
import time

import pytest
import zmq
import zmq.asyncio
from jupyter_client.session import Session

import server.preheat
from server.patch import is_replaced
import server.voila_fixes
from kit_browser import run_fresh


async def _reply_after_shadow_send(session: Session) -> bool:
    """True if an asyncio recv still wakes when a Session.send lands right after the reply."""
    ctx, sync_ctx = zmq.asyncio.Context(), zmq.Context()
    voila_side = ctx.socket(zmq.DEALER)
    kernel_side = sync_ctx.socket(zmq.ROUTER)
    try:
        port = kernel_side.bind_to_random_port("tcp://127.0.0.1")
        voila_side.connect(f"tcp://127.0.0.1:{port}")
        session.send(voila_side, "kernel_info_request", {})
        ident = kernel_side.recv_multipart()[0]
        waiting = asyncio.ensure_future(voila_side.recv_multipart())
        await asyncio.sleep(0.05)                         # asyncio now watches the socket
        kernel_side.send_multipart([ident, b"execute_reply"])
        time.sleep(0.1)                                   # the reply has arrived ...
        session.send(voila_side, "comm_msg", {})          # ... and this send eats the edge
        try:
            await asyncio.wait_for(waiting, 1.0)
            return True
        except asyncio.TimeoutError:
            return False
    finally:
        voila_side.close(linger=0)
        kernel_side.close(linger=0)
        ctx.term()
        sync_ctx.term()


@pytest.fixture
def original_send(monkeypatch):
    monkeypatch.setattr(Session, "send", Session.send)  # restored after the test
    return Session.send


def test_without_the_fix_the_reply_is_stranded(original_send):
    assert not is_replaced(Session.send)
    assert run_fresh(_reply_after_shadow_send(Session())) is False


def test_with_the_fix_the_reply_arrives(original_send):
    assert server.voila_fixes.fix_lost_wakeup() is True
    assert server.voila_fixes.fix_lost_wakeup() is True  # applying it twice changes nothing
    assert run_fresh(_reply_after_shadow_send(Session())) is True


# -- the server freeze: Voila reads every binary frame as protocol v1 ---------------------

def _frames(msg_type="comm_msg"):
    """The same kernel message with a buffer (an ipympl image), in both websocket protocols."""
    from jupyter_client.session import Session as S
    from jupyter_server.services.kernels.connection.base import (serialize_binary_message,
                                                                 serialize_msg_to_ws_v1)

    session = S()
    msg = session.msg(msg_type, {"comm_id": "c", "data": {"method": "custom"}})
    msg["buffers"] = [b"\x89PNG" + b"x" * 5000]
    legacy = serialize_binary_message(dict(msg, channel="iopub"))
    parts = [session.pack(msg[k]) for k in ("header", "parent_header", "metadata", "content")]
    v1 = serialize_msg_to_ws_v1(parts + msg["buffers"], "iopub")
    return legacy, v1


@pytest.fixture
def voila_reader(monkeypatch):
    from voila.tornado import kernel_websocket_handler as handler

    monkeypatch.setattr(handler, "read_header_from_binary_message",
                        handler.read_header_from_binary_message)  # restored after the test
    return handler


def test_without_the_fix_voila_would_count_a_legacy_frame_as_1e17_offsets(voila_reader):
    legacy, v1 = _frames()
    assert not is_replaced(voila_reader.read_header_from_binary_message)
    # the number Voila's reader loops over, for a 5 kB frame (not run: it never ends)
    assert int.from_bytes(legacy[:8], "little") > 10**17
    assert voila_reader.read_header_from_binary_message(v1)["msg_type"] == "comm_msg"


def test_with_the_fix_legacy_frames_pass_and_v1_frames_read_as_before(voila_reader):
    assert server.voila_fixes.fix_binary_frames() is True
    assert server.voila_fixes.fix_binary_frames() is True  # applying it twice changes nothing
    read = voila_reader.read_header_from_binary_message
    legacy, v1 = _frames()
    t0 = time.perf_counter()
    assert read(legacy) is None
    assert read(b"\xff" * 7) is None and read(b"\xff" * 64) is None
    assert time.perf_counter() - t0 < 0.1
    assert read(v1)["msg_type"] == "comm_msg"
    # Voila still drops execute_input for v1 clients (browsers): the header is still read
    assert read(_frames("execute_input")[1])["msg_type"] == "execute_input"


# -- the one page's pool: one kernel at a time, when quiet ---------------------------------

def test_one_page_pool_wraps_voilas_kernel_manager_factory(monkeypatch):
    import voila.app
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    original = voila.app.voila_kernel_manager_factory
    monkeypatch.setattr(voila.app, "voila_kernel_manager_factory", original)  # restored after
    assert server.preheat.one_page_pool(3) is True
    assert server.preheat.one_page_pool(3) is True  # applying it twice wraps once
    factory = voila.app.voila_kernel_manager_factory
    assert factory is not original and factory.__wrapped__ is original
    plain = factory(AsyncMappingKernelManager, False, 1)  # no preheating: Voila's own class
    assert plain.__name__ == "NormalKernelManager" and not hasattr(plain, "_fill_slowly")
    preheating = factory(AsyncMappingKernelManager, True, 1)
    assert preheating.__name__ == "VoilaKernelManager" and hasattr(preheating, "_fill_slowly")
    assert issubclass(preheating, AsyncMappingKernelManager)


def test_only_the_workshop_page_is_preheated():
    config = server.preheat.pool_config(30)
    assert config == {"default": {"pool_size": 0}, "index.ipynb": {"pool_size": 30}}
    assert server.preheat.room_size({"BONDLAB_ROOM": "30"}) == 30
    assert server.preheat.room_size({"BONDLAB_ROOM": "-3"}) == 1


# --------------------------------------------------------------------------- late outputs
# Under load a cell's output can reach Voila seconds after the cell's reply. nbclient waits
# `iopub_timeout` for it (default 4 s), then drops it: a page with the shell and no content.
LATE_OUTPUT = r'''
import asyncio, json, logging, sys
import nbformat
from jupyter_client.channels import AsyncZMQSocketChannel
from traitlets.config.loader import PyFileConfigLoader
from voila.execute import VoilaExecutor

config = PyFileConfigLoader("voila.py", path=sys.argv[1]).load_config()  # the kit's settings
if sys.argv[2] == "nbclient-default":
    del config.VoilaExecutor["iopub_timeout"]
read = AsyncZMQSocketChannel.get_msg

async def get_msg_late(self, *args, **kwargs):   # a busy server: the output arrives 6 s late
    msg = await read(self, *args, **kwargs)
    if msg["header"]["msg_type"] == "stream":
        await asyncio.sleep(6)
    return msg

AsyncZMQSocketChannel.get_msg = get_msg_late
logging.basicConfig(level=logging.WARNING)       # nbclient's warnings, on stderr
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print('the page content')")])
VoilaExecutor(nb, config=config, kernel_name="python3").execute(nb, {})
print(json.dumps(nb.cells[0].outputs))
'''


def _late_output(tmp_path, which):
    import json
    import os
    import subprocess
    import sys

    from kit_browser import ROOT

    env = dict(os.environ, BONDLAB_STATE_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", LATE_OUTPUT, str(ROOT / "etc" / "jupyter"), which],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), done.stderr


def test_nbclient_alone_drops_an_output_that_comes_late(tmp_path):
    outputs, log = _late_output(tmp_path, "nbclient-default")
    assert outputs == [] and "Timeout waiting for IOPub output" in log


def test_the_kit_keeps_an_output_that_comes_late(tmp_path):
    outputs, log = _late_output(tmp_path, "kit")
    assert [o.get("text") for o in outputs] == ["the page content\n"], log[-2000:]
