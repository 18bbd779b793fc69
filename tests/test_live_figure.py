"""widgets.live_figure: the ipympl canvas, the fast redraw, the PNG encoder, the summary."""
from __future__ import annotations

import ipywidgets as w
import pytest

from widgets.live_figure import LiveFigure, figure_panel, new_figure, png_bytes
from workshop.style import COLORS, LINESTYLES, OKABE_ITO


def test_figure_in_place_update_and_summary():
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig, ax = new_figure()
    line, = ax.plot([0, 1, 2], [0, 1, 0])
    line.set_ydata([1, 1, 1])
    fig.canvas.draw_idle()
    assert isinstance(fig.canvas, w.DOMWidget) and not fig.canvas.toolbar_visible
    panel = figure_panel(fig, "Three days, flat.")
    assert panel.children[0] is fig.canvas and "Three days, flat." in panel.children[1].value
    assert plt.get_fignums() == before  # no pyplot state
    assert len(COLORS) == len(LINESTYLES) and OKABE_ITO["blue"] == "#0072B2"


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

    fig, ax = new_figure()
    ax.set_xlim(-0.5, 2.5)  # data clear of the spines, no grid: nothing of the frame lies
    ax.set_ylim(-0.5, 2.5)  # over the data, so the fast path must match a full draw exactly
    ax.grid(False)
    line, = ax.plot([0, 1, 2], [0, 1, 0], label="pull")
    band = ax.fill_between([0, 1, 2], [0, 0.5, 0], [0.5, 1.5, 0.5], alpha=0.2)
    fig.legend(loc="outside upper right")  # outside the axes: data never covers it
    live = LiveFigure(fig, {"line": line, "band": [band]})
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

    fig, ax = new_figure()
    line, = ax.plot([0, 1, 2], [0, 1, 0])
    live = LiveFigure(fig, [line])
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




@pytest.mark.parametrize("width", [240, 288, 390, 768, 960, 1280, 1920])
def test_every_figure_fits_a_column_and_keeps_its_text_legible(width):
    """workshop.figures.fit_width on each component's figure: as wide as the column, its
    smallest text at least 12 CSS px, its legend and labels inside it, panels one under
    another below STACK_BELOW, and back side by side when the column widens again."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from widgets import live_figure
    from widgets.attachment_figure import AttachmentFigure
    from widgets.cycle_timeline import CycleTimeline
    from widgets.leaving_simulator import LeavingSimulator
    from widgets.opponent_playground import OpponentPlayground
    from widgets.schedule_explorer import ScheduleExplorer
    from workshop.figures import STACK_BELOW, smallest_text_px

    try:
        live_figure.fit_page(width)
        for make in (ScheduleExplorer, AttachmentFigure, CycleTimeline, OpponentPlayground,
                     LeavingSimulator):
            fig = make().fig
            FigureCanvasAgg.draw(fig.canvas)
            css_w, css_h = fig.get_size_inches() * fig._original_dpi
            assert abs(css_w - width) < 1 and css_h > 0, make.__name__
            assert smallest_text_px(fig) >= 12, (make.__name__, smallest_text_px(fig))
            drawn = fig.get_tightbbox(fig.canvas.get_renderer())  # all that is drawn, inches
            inches = fig.get_size_inches()
            assert drawn.x0 >= -0.01 and drawn.x1 <= inches[0] + 0.01, (make.__name__, drawn)
            assert drawn.y0 >= -0.01 and drawn.y1 <= inches[1] + 0.01, (make.__name__, drawn)
            columns = {round(ax.get_position().x0, 2) for ax in fig.axes}
            if width < STACK_BELOW:
                assert len(columns) == 1, make.__name__  # one under another
            labels = [(ax.get_xlabel(), ax.get_ylabel()) for ax in fig.axes if ax.get_visible()]
            if make is LeavingSimulator and width < STACK_BELOW:
                # one under another, each panel says what it shows, and the days only once,
                # under the last (not between two panels)
                assert all(y == "Withdrawal" for _, y in labels), labels
                assert [bool(x) for x, _ in labels] == [False] * (len(labels) - 1) + [True], labels
            if make is AttachmentFigure:
                assert len(columns) == (1 if width < STACK_BELOW else 2)
                live_figure.fit_page(1280)  # and back beside each other, labels as designed
                FigureCanvasAgg.draw(fig.canvas)
                assert len({round(ax.get_position().x0, 2) for ax in fig.axes}) == 2
                assert [bool(ax.get_ylabel()) for ax in fig.axes] == [True, False]
                assert all(ax.get_xlabel() for ax in fig.axes)
                live_figure.fit_page(width)
    finally:
        live_figure._page["width"] = None


def test_the_page_width_from_the_browser_is_checked():
    from widgets import live_figure

    fig, _ = new_figure(1, 2, figsize=(11, 5))
    try:
        for junk in (None, "", "abc", "12px", float("nan"), float("inf"), [3], object()):
            assert live_figure.fit_page(junk) is None
        assert live_figure.fit_page(-5) == live_figure.WIDTH_RANGE[0]
        assert live_figure.fit_page(10**9) == live_figure.WIDTH_RANGE[1]
        assert abs(fig.get_size_inches()[0] * fig._original_dpi - 2400) < 1
    finally:
        live_figure._page["width"] = None
