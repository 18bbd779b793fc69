"""The repository's set-up files agree with each other and keep the kit private."""
from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ ;\[]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_runtime() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {_name(r): r.replace(" ", "") for r in project["dependencies"]}


def _environment_runtime() -> dict[str, str]:
    deps = {}
    text = (ROOT / "environment.yml").read_text()
    for line in text.split("\ndependencies:", 1)[1].splitlines():
        m = re.match(r"^  - ([A-Za-z0-9_.-]+[^#]*)$", line)
        if m and _name(m.group(1).rstrip(":")) not in ("python", "pip"):
            deps[_name(m.group(1))] = m.group(1).strip().replace(" ", "")
    return deps


def test_environment_yml_lists_the_same_runtime_dependencies_as_pyproject():
    assert _environment_runtime() == _pyproject_runtime()


def test_the_kit_is_made_of_the_packages_the_design_names():
    assert {"jupyterlab", "ipywidgets", "voila", "matplotlib", "numpy", "nbval"} <= set(_pyproject_runtime())


def test_environment_yml_installs_the_kit_itself():
    assert "- -e ." in (ROOT / "environment.yml").read_text()


TRACKED = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True).stdout.split()
OUTSIDE = re.compile(r"https?://(cdn\.|unpkg\.com|fonts\.(googleapis|gstatic)|cdnjs\.|www\.google-analytics|code\.jquery)")


@pytest.mark.parametrize("path", [p for p in TRACKED if p.endswith((".j2", ".html", ".css", ".js", ".py", ".ipynb"))])
def test_nothing_is_loaded_from_another_host(path):
    assert not OUTSIDE.search((ROOT / path).read_text(encoding="utf-8", errors="replace"))


def test_readme_starts_with_the_two_commands():
    head = (ROOT / "README.md").read_text().split("\n## ", 2)
    first_section = "\n".join(head[:2])
    assert "make workshop" in first_section and "make test" in first_section


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
