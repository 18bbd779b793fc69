"""The browser harness itself: no Chromium is a one-line skip at home and a failure under CI."""
from __future__ import annotations

import os
import subprocess
import sys

from kit_browser import ROOT

ONE_BROWSER_TEST = "tests/test_pages.py::test_two_shifts_do_not_exit"


def run_pytest(ci: bool) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["BONDLAB_CHROMIUM"] = "/nonexistent/chromium"
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "--durations=0", ONE_BROWSER_TEST],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_without_chromium_at_home_the_browser_tests_are_skipped_with_one_line():
    result = run_pytest(ci=False)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "1 skipped" in result.stdout
    lines = [l for l in result.stdout.splitlines() if "apt-get install chromium" in l and "Skipped 1 browser tests" in l]
    assert lines and "tests/test_pages.py" in lines[0]


def test_without_chromium_under_ci_the_browser_tests_fail():
    result = run_pytest(ci=True)
    assert result.returncode != 0
    assert "skipped" not in result.stdout.splitlines()[-1]
    assert "CI must run the browser tests" in result.stdout
