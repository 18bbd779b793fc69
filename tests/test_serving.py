"""The lost wake-up behind Voila's stuck pages, reproduced, and the kit's fix for it."""
from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import zmq
import zmq.asyncio
from jupyter_client.session import Session

import bondlab.serving


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


def run_fresh(coroutine):
    """Run on a fresh event loop in its own thread (the browser tests leave one running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


@pytest.fixture
def original_send(monkeypatch):
    monkeypatch.setattr(Session, "send", Session.send)  # restored after the test
    return Session.send


def test_without_the_fix_the_reply_is_stranded(original_send):
    assert not getattr(Session.send, "_rearms_asyncio", False)
    assert run_fresh(_reply_after_shadow_send(Session())) is False


def test_with_the_fix_the_reply_arrives(original_send):
    assert bondlab.serving.fix_lost_wakeup() is True
    assert bondlab.serving.fix_lost_wakeup() is True  # applying it twice changes nothing
    assert run_fresh(_reply_after_shadow_send(Session())) is True
