"""widgets.common: query string, error boundary, controls, markdown."""
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
    ("m=2&s=3&mode=present", "present"), ("mode=Present", "present"), ("mode=presenter", "participant"),
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


def test_number_control_callback_guarded_and_no_range_of_its_own():
    from bondlab._params import Param

    seen, status = [], c.status_line()
    s = c.number_control(Param(int, 0, 10, default=2, label="Days"), on_change=seen.append,
                         status=status)
    s.value = 7
    assert seen == [7]
    s2 = c.number_control(Param(float, 0.0, 1.0, default=0.2, label="x"),
                          on_change=lambda v: 1 / 0, status=status)
    s2.value = 0.5
    assert c.CALM_UPDATE in status.value
    with pytest.raises(TypeError):
        c.number_control(low=0, high=10, label="a range of its own")


def test_markdown_keeps_math_and_escapes_html():
    out = c.markdown_html(r"$$R = \frac{k\,r}{r + r_e}$$ and $a_b$ *x* <img src=x>")
    assert r"\frac{k\,r}{r + r_e}" in out and "$a_b$" in out and "<em>x</em>" in out
    assert "<img" not in out


def test_mode_notes():
    assert c.mode_notes("text", "participant") is None
    note = c.mode_notes("Use $p$", "lecture", title="Lecture")
    assert isinstance(note, w.HTMLMath) and "$p$" in note.value and "Lecture" in note.value


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
                # nor says it twice in other words ("Reminders per week (per week)")
                assert param.unit not in param.label, (model.__name__, name, text)
    assert bondlab.CyclePartner.parameters["calm_days"].unit == "days"
