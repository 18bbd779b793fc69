"""The layers point one way: notebooks -> widgets -> workshop (the kit's services) -> bondlab
(the science), with server/ beside them, imported only by the Voila settings.

Every import in every file counts, including the late ones inside functions.
"""
from __future__ import annotations

import ast
import json
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB = set(sys.stdlib_module_names)
KIT = {"bondlab", "workshop", "widgets", "server", "notebooks"}

#: What each layer may import besides the standard library and itself.
ALLOWED = {
    "bondlab": {"numpy"},
    "workshop": {"bondlab", "numpy", "matplotlib", "cycler", "mistune", "segno", "playwright"},
    "widgets": {"workshop", "bondlab", "numpy", "matplotlib", "ipywidgets", "ipympl", "IPython",
                "traitlets", "voila", "cycler", "mistune", "segno"},
    "server": {"workshop", "bondlab", "voila", "jupyter_client", "jupyter_server", "zmq",
               "tornado", "nbclient", "traitlets"},
}
#: Never in the engine or the services, even late (DESIGN.md).
JUPYTER = {"ipywidgets", "IPython", "ipympl", "voila", "jupyter_client", "jupyter_server"}


def imports_of(source: str) -> set[str]:
    """Top-level module names imported anywhere in ``source`` (relative imports excluded)."""
    found = set()
    with warnings.catch_warnings():  # a docstring's LaTeX is no concern here
        warnings.simplefilter("ignore", SyntaxWarning)
        warnings.simplefilter("ignore", DeprecationWarning)
        tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def package_imports(package: str) -> dict[str, set[str]]:
    return {str(path.relative_to(ROOT)): imports_of(path.read_text(encoding="utf-8"))
            for path in sorted((ROOT / package).rglob("*.py"))}


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_each_layer_imports_only_what_lies_below_it(package):
    wrong = {}
    for path, names in package_imports(package).items():
        bad = sorted(n for n in names - STDLIB - {package} if n not in ALLOWED[package])
        if bad:
            wrong[path] = bad
    assert not wrong, f"{package}/ imports what it must not: {wrong}"


def test_the_engine_and_the_services_import_no_jupyter():
    for package in ("bondlab", "workshop"):
        for path, names in package_imports(package).items():
            assert not names & JUPYTER, f"{path} imports {sorted(names & JUPYTER)}"


def test_only_the_voila_settings_import_the_server_package():
    for package in ("bondlab", "workshop", "widgets"):
        for path, names in package_imports(package).items():
            assert "server" not in names, f"{path} imports server/"
    settings = imports_of((ROOT / "etc/jupyter/voila.py").read_text(encoding="utf-8"))
    assert "server" in settings


def test_workshop_pages_only_call_the_widgets():
    """A workshop page is thin: its code imports from widgets/ and nothing else of the kit."""
    pages = sorted((ROOT / "notebooks").rglob("*.ipynb"))
    assert pages
    for page in pages:
        cells = json.loads(page.read_text(encoding="utf-8"))["cells"]
        code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
        names = imports_of(code)
        assert names & KIT <= {"widgets"}, f"{page.name} imports {sorted(names & KIT)}"


def test_the_checker_sees_a_wrong_import():
    """The checks above can fail: a late import inside a function is found."""
    assert "ipywidgets" in imports_of("def f():\n    import ipywidgets as w\n")
    assert "workshop" in imports_of("def f():\n    from workshop.room import connect\n")
    assert imports_of("from . import presets\n") == set()
