"""Kernels and pages: a dead kernel is told calmly; a closed page's kernel is shut down."""
from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from kit_browser import wait_ready

pytestmark = pytest.mark.browser


def kernel_pid(kernel_id: str) -> int | None:
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except (FileNotFoundError, PermissionError, NotADirectoryError):
            continue
        if f"kernel-{kernel_id}" in cmdline and "ipykernel" in cmdline:
            return int(proc.name)
    return None


def page_kernel_id(page) -> str:
    return json.loads(page.inner_text("#jupyter-config-data"))["kernelId"]


def test_killed_kernel_shows_a_calm_message_and_reload_works(page, voila, chromium):
    page.goto(voila.page_url("00_start.ipynb"))
    wait_ready(page)
    assert page.locator("#kit-lost").is_hidden()
    first = page_kernel_id(page)
    os.kill(kernel_pid(first), signal.SIGKILL)
    page.locator("#kit-lost").wait_for(state="visible", timeout=20_000)
    message = page.inner_text("#kit-lost")
    assert "Reload the page" in message and "Traceback" not in message

    other = chromium.new_context().new_page()   # the server keeps serving others
    other.goto(voila.page_url("00_start.ipynb"))
    wait_ready(other)
    other.context.close()

    page.click("#kit-reload")
    wait_ready(page)
    assert page_kernel_id(page) != first
    assert page.locator("#kit-lost").is_hidden()


def test_closing_a_page_opened_at_its_own_address_shuts_its_kernel_down(chromium, voila):
    """voila #1458: without an _xsrf cookie Voila refused the shutdown; the shell fetches one."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(voila.page_url("00_start.ipynb"))   # directly, not through the start page
    wait_ready(page)
    kernel = page_kernel_id(page)
    assert kernel_pid(kernel) is not None
    page.wait_for_function("() => /(^|;\\s*)_xsrf=/.test(document.cookie)", timeout=10_000)
    page.goto("about:blank")
    deadline = time.monotonic() + 20
    while kernel_pid(kernel) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    context.close()
    assert kernel_pid(kernel) is None, "the closed page's kernel is still running"
