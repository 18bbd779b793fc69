"""The lecture view shows each model's equations, parameter table and citation."""
from __future__ import annotations

import html

import bondlab
from widgets.panel import lecture_notes


def test_lecture_notes_carry_equations_parameters_and_source():
    notes = lecture_notes(bondlab.CyclePartner, bondlab.OpponentProcess, mode="lecture")
    text = notes.value
    for model in (bondlab.CyclePartner, bondlab.OpponentProcess):
        for name, param in model.parameters.items():
            assert f"<td><code>{name}</code></td>" in text
        assert model.citation.split(",")[0] in text
        for equation in model.equations:
            assert f"$${html.escape(equation, quote=False)}$$" in text
    assert text.count("<table>") == 2 and "<th>allowed</th>" in text


def test_lecture_notes_list_the_models_fixed_assumptions():
    from bondlab.assumptions import ASSUMPTIONS

    text = html.unescape(lecture_notes(bondlab.Scenario, bondlab.RespondingAgent,
                                       mode="lecture").value)
    fixed = [a for a in ASSUMPTIONS if a.name.split(".")[0] in ("scenario", "agent")]
    assert len(fixed) == len(ASSUMPTIONS) >= 8
    for a in fixed:
        assert f"<td><code>{a.name}</code></td>" in text and a.meaning in text, a.name
    assert "<td><code>scenario.HIT_LEVEL</code></td>" in text
    assert f"<td>{bondlab.scenario.HIT_LEVEL:g}</td>" in text
    assert "(slider 30 to 365)" in text  # days together: what the slider offers, too
    assert "Fixed in the model" not in lecture_notes(bondlab.CyclePartner,
                                                     mode="lecture").value


def test_participants_see_no_lecture_notes():
    assert lecture_notes(bondlab.CyclePartner, mode="participant") is None
