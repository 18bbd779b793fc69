"""widgets.common: query string, error boundary, controls, plot style, markdown."""
from __future__ import annotations

import logging

import ipywidgets as w
import pytest

from widgets import common as c


@pytest.fixture(autouse=True)
def _forget_query():
    c.set_query_string(None)
    yield
    c.set_query_string(None)


@pytest.mark.parametrize("query, mode", [
    ("", "participant"), ("mode=facilitator", "facilitator"), ("mode=lecture", "lecture"),
    ("mode=LECTURE", "lecture"), ("mode=admin", "participant"), ("mode=", "participant"),
    ("mode=%00%ff", "participant"), ("mode=<script>alert(1)</script>", "participant"),
    ("mode=lecture&mode=facilitator", "lecture"), ("%%%&&&==", "participant"),
    ("mode=" + "x" * 10000, "participant"),
])
def test_page_mode(query, mode):
    c.set_query_string(query)
    assert c.page_mode() == mode


@pytest.mark.parametrize("query, step", [
    ("step=3", 3), ("step=-2", -2), ("step=abc", None), ("step=1e999", None),
    ("step=99999999999", None), ("", None), ("step=3.5", None), ("step= 4 ", 4),
])
def test_query_int(query, step):
    c.set_query_string(query)
    assert c.query_int("step") == step


def test_outside_voila_reads_environment_without_blocking(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "mode=facilitator&step=2")
    assert c.page_mode() == "facilitator" and c.query_int("step") == 2


def test_guard_logs_and_shows_calm_line(caplog):
    status = c.status_line()
    c.logger.propagate = True
    try:
        with caplog.at_level(logging.ERROR, logger="bondlab"):
            c.guard(lambda change: 1 / 0, status)({"new": 1})
    finally:
        c.logger.propagate = False
    assert "could not update" in status.value and "Traceback" not in status.value
    assert "ZeroDivisionError" in caplog.text
    ok = c.guard(lambda change: "fine", status)
    assert ok({}) == "fine" and status.value == ""


def test_guard_finds_component_status():
    class Panel(w.VBox):
        def __init__(self):
            super().__init__()
            self.status = c.status_line()

        def fail(self, *_):
            raise RuntimeError("boom")

    p = Panel()
    button = w.Button(description="Go")
    button.on_click(c.guard(p.fail))
    button.click()
    assert c.CALM_UPDATE in p.status.value


def test_safe_build():
    assert c.safe_build(w.Label, "x").value == "x"
    bad = c.safe_build(lambda: 1 / 0)
    assert isinstance(bad, w.HTML) and "could not be shown" in bad.value
    assert "could not be shown" in c.safe_build(lambda: 42).value


def test_number_control_from_param():
    from bondlab._params import Param

    s = c.number_control(Param(float, 0, 1, default=0.3, label="Chance of warmth",
                               help="How often", unit=""), "p_warmth")
    assert isinstance(s, w.FloatSlider)
    assert (s.min, s.max, s.value, s.description) == (0, 1, 0.3, "Chance of warmth")
    assert s.continuous_update is False and s.readout is True and s.param_name == "p_warmth"
    i = c.number_control(Param(int, 1, 50, default=5, label="Presses", unit="presses"))
    assert isinstance(i, w.IntSlider) and i.description == "Presses (presses)"


def test_number_control_plain_and_callback_guarded():
    seen, status = [], c.status_line()
    s = c.number_control(low=0, high=10, default=2, label="Days", on_change=seen.append,
                         status=status)
    s.value = 7
    assert seen == [7]
    s2 = c.number_control(low=0.0, high=1.0, label="x", on_change=lambda v: 1 / 0,
                          status=status)
    s2.value = 0.5
    assert c.CALM_UPDATE in status.value
    with pytest.raises(ValueError, match="range"):
        c.number_control(label="no range")


def test_debounce_runs_immediately_without_loop():
    """In a thread with no running loop (Playwright's sync API leaves one in the main thread)."""
    from concurrent.futures import ThreadPoolExecutor

    calls = []
    f = c.debounce(0.1)(calls.append)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(lambda: (f(1), f(2))).result()
    assert calls == [1, 2]


def test_figure_in_place_update_and_summary():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, ax = c.new_figure()
    line, = ax.plot([0, 1, 2], [0, 1, 0])
    line.set_ydata([1, 1, 1])
    fig.canvas.draw_idle()
    assert isinstance(fig.canvas, w.DOMWidget) and not fig.canvas.toolbar_visible
    panel = c.figure_panel(fig, "Three days, flat.")
    assert panel.children[0] is fig.canvas and "Three days, flat." in panel.children[1].value
    assert plt.get_fignums() == before  # no pyplot state
    assert len(c.COLORS) == len(c.LINESTYLES) and c.OKABE_ITO["blue"] == "#0072B2"


def test_markdown_keeps_math_and_escapes_html():
    out = c.markdown_html(r"$$R = \frac{k\,r}{r + r_e}$$ and $a_b$ *x* <img src=x>")
    assert r"\frac{k\,r}{r + r_e}" in out and "$a_b$" in out and "<em>x</em>" in out
    assert "<img" not in out


def test_mode_notes():
    assert c.mode_notes("text", "participant") is None
    note = c.mode_notes("Use $p$", "lecture", title="Lecture")
    assert isinstance(note, w.HTMLMath) and "$p$" in note.value and "Lecture" in note.value


def test_debounce_leading_and_trailing_edge():
    """A first call runs at once; a burst after it runs once more, with the last value."""
    import asyncio

    calls = []

    async def burst():
        f = c.debounce(0.05)(calls.append)
        f(1)
        assert calls == [1]  # the key press is answered without waiting
        f(2)
        f(3)
        assert calls == [1]
        await asyncio.sleep(0.15)
        assert calls == [1, 3]
        f(4)  # quiet again: at once
        assert calls == [1, 3, 4]

    # In a thread of its own: the browser tests' Playwright keeps an event loop running in
    # this thread, and asyncio.run() refuses to start inside one.
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, burst()).result(timeout=30)


def _attached(fig, monkeypatch):
    """Pretend a browser view is attached to the ipympl canvas; collect what it is sent."""
    sent = []
    monkeypatch.setattr(fig.canvas, "send_binary", sent.append)
    fig.canvas.syncing_data_url = False
    return sent


def test_live_figure_draws_the_frame_once_and_the_data_every_time(monkeypatch):
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig, ax = c.new_figure()
    ax.set_xlim(-0.5, 2.5)  # data clear of the spines, no grid: nothing of the frame lies
    ax.set_ylim(-0.5, 2.5)  # over the data, so the fast path must match a full draw exactly
    ax.grid(False)
    line, = ax.plot([0, 1, 2], [0, 1, 0], label="pull")
    band = ax.fill_between([0, 1, 2], [0, 0.5, 0], [0.5, 1.5, 0.5], alpha=0.2)
    fig.legend(loc="outside upper right")  # outside the axes: data never covers it
    live = c.LiveFigure(fig, {"line": line, "band": [band]})
    assert live.artists == [band, line]  # matplotlib's z-order
    frames = []
    draw_frame = live._draw_frame
    monkeypatch.setattr(live, "_draw_frame", lambda: (frames.append(1), draw_frame()))

    # no browser attached (tests, nbval, a page still loading): only draw_idle
    idle = []
    monkeypatch.setattr(fig.canvas, "draw_idle", lambda: idle.append(1))
    live.refresh()
    assert idle == [1] and frames == []

    sent = _attached(fig, monkeypatch)
    live.refresh()
    assert frames == [1] and len(sent) == 1 and fig.canvas._current_image_mode == "full"
    line.set_ydata([2, 1, 2])
    live._last_sent -= live.full_within  # not a quick succession: a diff is sent
    live.refresh()
    assert frames == [1] and len(sent) == 2  # same frame, new data
    assert fig.canvas._current_image_mode == "diff"
    fast = np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()
    # the browser's picture (full first image + the diff) is what a full draw gives
    shown = np.asarray(Image.open(io.BytesIO(sent[0])).convert("RGBA")).copy()
    diff = np.asarray(Image.open(io.BytesIO(sent[1])).convert("RGBA"))
    shown[diff[..., 3] > 0] = diff[diff[..., 3] > 0]
    FigureCanvasAgg.draw(fig.canvas)
    full = np.asarray(fig.canvas.get_renderer().buffer_rgba())
    assert np.array_equal(fast, full) and np.array_equal(shown, full)
    ax.set_ylim(-0.5, 3)  # the frame changed: drawn again
    live.refresh()
    assert frames == [1, 1]
    live.refresh()  # right after another: sent whole (a dropped diff cannot linger)
    assert fig.canvas._current_image_mode == "full" and len(sent) == 4
    assert line.get_visible() and not line.get_animated()


@pytest.mark.parametrize("shape", [(1, 1), (7, 13), (520, 1100)])
def test_png_bytes_decode_to_the_same_pixels(shape):
    """The kit's PNG encoder, read back by an independent decoder (Pillow)."""
    import io

    from PIL import Image

    from widgets.common import png_bytes

    import numpy as np

    rgba = np.random.default_rng(sum(shape)).integers(0, 256, (*shape, 4), dtype=np.uint8)
    rgba[: shape[0] // 2] = 0  # and runs of transparent zeros, as in a diff image
    data = png_bytes(rgba)
    with Image.open(io.BytesIO(data)) as img:
        img.load()  # checks every chunk's CRC and the zlib stream
        assert img.format == "PNG" and img.mode == "RGBA"
        assert np.array_equal(np.asarray(img), rgba)


def test_the_browsers_draw_request_readies_the_frame_for_the_first_move(monkeypatch):
    """A page connecting asks for the picture; the first slider move after it then draws
    only the data (not the whole figure again)."""
    import io

    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig, ax = c.new_figure()
    line, = ax.plot([0, 1, 2], [0, 1, 0])
    live = c.LiveFigure(fig, [line])
    frames = []
    draw_frame = live._draw_frame
    monkeypatch.setattr(live, "_draw_frame", lambda: (frames.append(1), draw_frame()))
    sent = _attached(fig, monkeypatch)
    fig.canvas.handle_event({"type": "draw"})  # ipympl's message from the page
    assert frames == [1] and len(sent) == 1
    # the picture sent is the whole figure
    FigureCanvasAgg.draw(fig.canvas)
    full = np.asarray(fig.canvas.get_renderer().buffer_rgba())
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(sent[0])).convert("RGBA")), full)
    line.set_ydata([1, 0, 1])
    live.refresh()
    assert frames == [1] and len(sent) == 2


def test_round_and_steady_axis_limits():
    from widgets.plots import nice_ceiling, steady_limit

    assert [nice_ceiling(v) for v in (0.9, 1.07, 287, 0.013)] == [1.0, 1.2, 300.0, 0.015]
    assert steady_limit(2.5, 1.9) == 2.5  # fits and fills enough: the axis stays
    assert steady_limit(2.5, 2.6) == 3.0  # does not fit: next round number
    assert steady_limit(2.5, 1.2) == 1.2  # would fill too little: shrinks
    assert steady_limit(1.05, 1.0) == 1.0  # an autoscaled (not round) end is replaced


def test_no_control_label_repeats_its_unit():
    """A control reads "Calm (days)", not "Calm (days) (days)": the unit is added once."""
    import bondlab
    from bondlab._params import Model

    def models(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from models(sub)

    for model in set(models(Model)):
        for name, param in model.parameters.items():
            if param.unit:
                control = c.number_control(param, name)
                text = control.description
                assert text.count(f"({param.unit})") == 1, (model.__name__, name, text)
    assert bondlab.CyclePartner.parameters["calm_days"].unit == "days"
