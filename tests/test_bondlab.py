"""The bondlab package as a whole: it imports no GUI, and its docstring examples run."""

import doctest
import importlib
import subprocess
import sys

import numpy as np
import pytest


def test_import_loads_no_gui_or_notebook_modules():
    code = ("import sys, bondlab, bondlab.validate, bondlab.__main__; "
            "print([m for m in ('matplotlib', 'ipywidgets', 'IPython') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]"


ENGINE_MODULES = ("bondlab", "bondlab._params", "bondlab.affect", "bondlab.agent",
                  "bondlab.learners", "bondlab.partners", "bondlab.presets", "bondlab.scenario",
                  "bondlab.schedules", "bondlab.stats", "bondlab.validate")


@pytest.mark.parametrize("name", ENGINE_MODULES)
def test_doctests(name):
    res = doctest.testmod(importlib.import_module(name), extraglobs={"np": np},
                          optionflags=doctest.ELLIPSIS)
    assert res.failed == 0 and res.attempted > 0, name
