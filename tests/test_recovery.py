"""A page whose kernel dies tells the participant calmly and reloads; the server serves on."""
from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from kit_browser import wait_ready

pytestmark = pytest.mark.browser


def kernel_pid(kernel_id: str) -> int:
    for proc in Path("/proc").iterdir():
        try:
            cmdline = (proc / "cmdline").read_bytes().decode(errors="replace")
        except (FileNotFoundError, PermissionError, NotADirectoryError):
            continue
        if f"kernel-{kernel_id}" in cmdline and "ipykernel" in cmdline:
            return int(proc.name)
    raise LookupError(f"no process for kernel {kernel_id}")


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
