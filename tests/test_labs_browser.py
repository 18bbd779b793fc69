"""A lab notebook in real JupyterLab: open it in Chromium, Run All, and see its figure, no error.

JupyterLab is started as `make lab` starts it (no Voila settings, no news feed), on a free
loopback port with a token, on a copy of labs/: Run All would otherwise leave its outputs in
the repository's notebook when JupyterLab autosaves. One notebook keeps the test short.
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from kit_browser import ROOT, free_port

pytestmark = pytest.mark.browser
NOTEBOOK = "labs/instructor/1_schedules.ipynb"


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jupyterlab")
    root = tmp / "repo"
    shutil.copytree(ROOT / "labs", root / "labs", ignore=shutil.ignore_patterns("__pycache__"))
    port, token = free_port(), secrets.token_hex(16)
    # Every cell stays in the page: JupyterLab's default windowing may detach cells scrolled out
    # of view (Run All ends at the bottom), and the figure is near the top.
    tracker = tmp / "settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}')
    env = dict(os.environ, JUPYTER_CONFIG_PATH="", JUPYTER_CONFIG_DIR=str(tmp / "config"),
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"))
    log = open(tmp / "lab.log", "w")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter"), "lab", "--no-browser", "--allow-root",
         f"--port={port}", "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.news_url=None",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"],
        cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"jupyter lab exited: {(tmp / 'lab.log').read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("jupyter lab did not answer within 120 s") from None
                time.sleep(0.3)
        yield url, token, tmp
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                pass
        try:  # the kernels this server started
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        log.close()


PROMPTS = """() => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                   .map(p => p.textContent.trim())"""
ERRORS = (".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
          " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']")


def _run_all_until_done(page, code_cells, limit_s=360):
    """Run All, until every code cell has its execution number (about a minute on a loaded
    2-core machine), or an error shows. A Run All sent while the kernel is still connecting
    can be lost, whole or in part: when nothing has run or changed for 30 s and cells are
    left without a number, ask again (twice at most). Fails saying what the prompts showed."""
    def run_all():
        page.locator(".lm-MenuBar-item", has_text="Run").first.click()
        page.locator(".lm-Menu-item:has(.lm-Menu-itemLabel:text-is('Run All Cells'))").click()

    run_all()
    asks, last, changed = 1, None, time.monotonic()
    deadline = changed + limit_s
    while True:
        prompts = page.evaluate(PROMPTS)
        if len(prompts) == code_cells and all(re.fullmatch(r"\[\d+\]:?", p) for p in prompts):
            return
        if page.locator(ERRORS).count():
            return  # the test's own assertion says which
        if prompts != last:
            last, changed = prompts, time.monotonic()
        elif not any("*" in p for p in prompts) and time.monotonic() - changed > 30 and asks < 3:
            run_all()
            asks, changed = asks + 1, time.monotonic()
        assert time.monotonic() < deadline, (
            f"{limit_s} s after the first of {asks} Run All, {code_cells} code cells: {prompts}")
        time.sleep(1)


def test_run_all_shows_the_figure_and_no_error(chromium, jupyterlab):
    url, token, tmp = jupyterlab
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(120_000)
    try:
        page.goto(f"{url}/lab/tree/{NOTEBOOK}?token={token}")
        page.locator(".jp-Notebook .jp-Cell").first.wait_for()
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
        code_cells = page.locator(".jp-Notebook .jp-CodeCell").count()
        _run_all_until_done(page, code_cells)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
        figure = page.locator(".jp-OutputArea-output img")
        figure.first.scroll_into_view_if_needed()
        assert figure.count() >= 1 and figure.first.bounding_box()["height"] > 100
        errors = page.locator(ERRORS)
        assert errors.count() == 0, errors.all_inner_texts()
        text = page.locator(".jp-Notebook").inner_text()
        assert text.count("Well done:") == 3 and "Not yet" not in text
    finally:
        page.screenshot(path=str(tmp / "lab.png"))  # what the page showed, pass or fail
        context.close()
