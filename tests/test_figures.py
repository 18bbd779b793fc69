"""workshop.figures: the drawing functions shared by the widgets and the handouts."""
from __future__ import annotations

import doctest
import inspect
import subprocess
import sys

import numpy as np

import workshop.figures as figures
from workshop.figures import nice_ceiling, steady_limit
from bondlab import presets
from workshop import handouts


def test_doctests():
    assert doctest.testmod(figures, extraglobs={"np": np}).failed == 0


def test_round_and_steady_axis_limits():
    assert [nice_ceiling(v) for v in (0.9, 1.07, 287, 0.013)] == [1.0, 1.2, 300.0, 0.015]
    assert steady_limit(2.5, 1.9) == 2.5  # fits and fills enough: the axis stays
    assert steady_limit(2.5, 2.6) == 3.0  # does not fit: next round number
    assert steady_limit(2.5, 1.2) == 1.2  # would fill too little: shrinks
    assert steady_limit(1.05, 1.0) == 1.0  # an autoscaled (not round) end is replaced




def test_drawing_loads_no_pyplot_and_no_widgets():
    code = ("import sys, workshop.figures as f; fig, ax = f.plain_figure(); "
            "f.draw_band(ax, [0, 1], [1, 2], [0, 1], [2, 3]); fig.savefig(__import__('io')"
            ".BytesIO()); print([m for m in ('matplotlib.pyplot', 'ipywidgets', 'ipympl') "
            "if m in sys.modules])")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120)
    assert done.stdout.strip() == "[]", done.stderr


def test_handouts_draw_only_through_the_shared_functions():
    """The handouts hold no drawing code of their own (no second copy of a figure)."""
    source = inspect.getsource(handouts)
    for own in (".plot(", ".fill_between(", ".axvspan(", ".bar(", "import matplotlib",
                "from matplotlib", "_C[",
                "_ThenStop", "hatches ="):
        assert own not in source, own


def test_the_handout_figure_shows_the_engine_numbers(monkeypatch):
    """Module 2's handout goes through draw_side with the runs the widget would show."""
    drawn = []
    draw_side = figures.draw_side

    def spy(ax, result, title, bands=None):
        art = draw_side(ax, result, title, bands)
        drawn.append((result, art))
        return art

    monkeypatch.setattr(figures, "draw_side", spy)
    png, alt, summary = handouts.module_figure("02")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(drawn) == 2
    for (result, art), name in zip(drawn, ("consistent", "intermittent")):
        engine = presets.load_scenario(name, people=handouts._PEOPLE, seed=handouts._SEED).run()
        assert np.allclose(art["attachment"][0].get_ydata(), engine.band("attachment")[0])
        assert np.allclose(art["withdrawal"][0].get_ydata(), engine.band("withdrawal")[0])
    assert f"{engine.summary()['total_warmth']:.0f}" in summary
