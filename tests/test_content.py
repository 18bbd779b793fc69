"""workshop.content: the module texts and JSON data load, and broken files say where."""
from __future__ import annotations

import json
import sys

import pytest

from workshop import content as c

VALID = """# 9 · Test module
<!-- minutes: 5 -->
<!-- key_idea: An idea. -->

## Goals
- A goal.

## Step · First
<!-- interactive: none -->
<!-- minutes: 2 -->

Some text [@ferster1957].

### Think about
A question?

### Facilitator
- Prompt: Ask.
- Watch for: Things.

### Lecture
$x = 1$

## Step · Second
<!-- interactive: reflection -->
<!-- minutes: 3 -->

More text.

### Think about
Another?
"""


def test_every_module_loads_and_adds_up():
    modules = c.load_modules()
    assert [m.id for m in modules][:2] == ["00_start", "01_why_rewards_hook_us"]
    assert len(modules) == 7
    for m in modules:
        assert sum(s.minutes for s in m.steps) == m.minutes
        assert m.goals and m.key_idea
        for s in m.steps:
            assert s.interactive and s.think
            assert {"Prompt", "Watch for"} <= set(s.facilitator_items), (m.id, s.title)


def test_every_citation_is_in_references():
    refs = c.load_references()
    for m in c.load_modules():
        for s in m.steps:
            assert set(s.citations) <= set(refs)


def test_json_data_loads():
    assert set(c.load_quick_check()) <= {m.number for m in c.load_modules()}
    assert {f["flag"] for f in c.load_flags()} == {"red", "green"}
    assert all(c.load_reflections().values())


def test_valid_text_parses():
    m = c.parse_module(VALID, "x.md", "09_test")
    assert (m.title, m.minutes, m.goals) == ("9 · Test module", 5, ["A goal."])
    assert [s.title for s in m.steps] == ["First", "Second"]
    assert m.steps[0].facilitator_items == {"Prompt": "Ask.", "Watch for": "Things."}
    assert m.steps[0].lecture == "$x = 1$" and m.steps[0].line == 8
    assert m.steps[0].citations == ["ferster1957"]


@pytest.mark.parametrize("old, new, message", [
    ("# 9 · Test module", "Test module", "line 1: the file must start with '# Title'"),
    ("<!-- minutes: 5 -->\n<!-- key", "<!-- key", "missing '<!-- minutes"),
    ("<!-- key_idea: An idea. -->", "", "missing '<!-- key_idea"),
    ("<!-- minutes: 5 -->", "<!-- minutes: five -->", "line 2: minutes must be a whole number"),
    ("<!-- minutes: 5 -->", "<!-- minutes: 6 -->", "minutes: the steps add up to 5"),
    ("<!-- minutes: 3 -->", "<!-- minutes: 0 -->", "line 26: minutes must be"),
    ("<!-- interactive: none -->", "<!-- interactive: Slot machine! -->",
     "line 9: interactive 'Slot machine!' is not known"),
    ("<!-- interactive: none -->\n", "", "line 8: step 'First' needs '<!-- interactive"),
    ("<!-- minutes: 2 -->\n", "", "line 8: step 'First' needs '<!-- minutes"),
    ("[@ferster1957]", "[@nobody2020]", "line 12: citation [@nobody2020] is not in"),
    ("### Think about\nA question?\n", "", "step 'First' needs a '### Think about'"),
    ("### Lecture", "### Notes", "unknown section '### Notes'"),
    ("## Step · First", "## Part · First", "unknown heading '## Part · First'"),
    ("- A goal.", "A goal.", "goals must be '- ' bullets"),
    ("<!-- interactive: none -->", "<!-- interactive: none -->\n<!-- colour: red -->",
     "unknown field 'colour'"),
])
def test_broken_module_names_file_and_field(old, new, message):
    assert old in VALID
    with pytest.raises(c.ContentError) as err:
        c.parse_module(VALID.replace(old, new, 1), "data/modules/09_test.md", "09_test")
    assert "data/modules/09_test.md" in str(err.value)
    assert message in str(err.value)


def test_missing_module_file():
    with pytest.raises(c.ContentError, match="data/modules/99_nothing.md: file not found"):
        c.load_module("99_nothing")
    with pytest.raises(c.ContentError, match="must look like"):
        c.load_module("../etc/passwd")


@pytest.mark.parametrize("loader, filename, data, message", [
    (c.load_quick_check, "quick_check.json", {"01": [{"question": "Q", "choices": ["a", "b"],
                                                       "answer": 2, "explanation": "E"}]},
     "['01'][0].answer must be an index into choices (0 to 1), got 2"),
    (c.load_quick_check, "quick_check.json", {"01": [{"question": "Q", "choices": ["a"],
                                                       "answer": 0, "explanation": "E"}]},
     "['01'][0].choices must be a list of at least 2"),
    (c.load_quick_check, "quick_check.json", {"one": []}, "key 'one' must be a two-digit"),
    (c.load_flags, "flags.json", [{"statement": "S", "flag": "blue", "explanation": "E"}],
     "[0].flag must be 'red' or 'green', got 'blue'"),
    (c.load_flags, "flags.json", [{"statement": "", "flag": "red", "explanation": "E"}],
     "[0].statement must be a non-empty string"),
    (c.load_reflections, "reflections.json", {"01": ["ok", 3]}, "['01'][1] must be a non-empty"),
    (c.load_reflections, "reflections.json", {"1": ["ok"]}, "key '1' must be a two-digit"),
    (c.load_reflections, "reflections.json", {"01": []}, "['01'] must be a non-empty list of prompts"),
    (c.load_reflections, "reflections.json", ["01"], "must be an object keyed by module number"),
    (c.load_quick_check, "quick_check.json", {"02": {}}, "['02'] must be a non-empty list of questions"),
    (c.load_references, "references.json", [{"id": "a", "title": "T"}, {"id": "a", "title": "U"}],
     "[1].id 'a' appears twice"),
])
def test_broken_json_names_file_and_field(tmp_path, loader, filename, data, message):
    path = tmp_path / filename
    path.write_text(json.dumps(data))
    with pytest.raises(c.ContentError) as err:
        loader(path)
    assert filename in str(err.value) and message in str(err.value)


def test_invalid_json_names_line(tmp_path):
    path = tmp_path / "flags.json"
    path.write_text('[\n{"statement": }\n]')
    with pytest.raises(c.ContentError, match=r"flags.json, line 2: not valid JSON"):
        c.load_flags(path)


def test_content_imports_no_jupyter():
    import subprocess

    code = ("import sys, workshop.content as c; c.load_modules(); "
            "print([m for m in ('ipywidgets', 'IPython', 'matplotlib') if m in sys.modules])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
