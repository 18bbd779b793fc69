"""The lab notebooks (labs/): one instructor source, a student version made from it, plain checks.

nbval runs every instructor notebook top to bottom (pyproject's testpaths). The student
versions stop at their first exercise by design; the test here runs each that far and reads
what the student is told.
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
LABS = ROOT / "labs"
sys.path.insert(0, str(LABS))

import build_student  # noqa: E402
import checks  # noqa: E402
from checks import NotYet  # noqa: E402

NAMES = sorted(p.name for p in (LABS / "instructor").glob("*.ipynb"))
#: The module each lab serves: its lecture view links to the lab.
MODULE_LAB = {"01": "1_schedules", "02": "2_extinction", "03": "3_prediction_errors",
              "04": "4_opponent_process", "05": "5_scenario", "06": "5_scenario"}


def instructor(name):
    return nbformat.read(LABS / "instructor" / name, as_version=4)


def student(name):
    return nbformat.read(LABS / "student" / name, as_version=4)


def tagged(nb, tag):
    return [i for i, c in enumerate(nb.cells) if tag in c.metadata.get("tags", [])]


def test_there_are_five_labs_each_with_its_student_version():
    assert NAMES == ["1_schedules.ipynb", "2_extinction.ipynb", "3_prediction_errors.ipynb",
                     "4_opponent_process.ipynb", "5_scenario.ipynb"]
    assert sorted(p.name for p in (LABS / "student").glob("*.ipynb")) == NAMES


def test_student_notebooks_are_current():
    assert build_student.build(check=True) == [], "run `make lab-student` and commit the result"


@pytest.mark.parametrize("name", NAMES)
def test_no_solution_left_in_the_student_version(name):
    src, out = instructor(name), student(name)
    text = nbformat.writes(out)
    assert not tagged(out, "solution") and "# solution" not in text
    by_id = {c.id: c for c in out.cells}
    holes = 0
    for i in tagged(src, "solution"):
        cell = src.cells[i]
        if cell.cell_type == "markdown":
            assert cell.id not in by_id and cell.source not in text, f"note {i} left in"
            continue
        lines = by_id[cell.id].source.splitlines()
        for line, made in zip(cell.source.splitlines(), lines, strict=True):
            m = build_student._HOLE.match(line)
            if not m:
                assert made == line
                continue
            holes += 1
            answer = m["answer"].strip()
            assert re.fullmatch(r"\s*(return|.+?=) \.\.\.(  # .*)?", made), made
            assert answer not in made
            if len(answer) >= 8:  # (short answers such as 0.0 occur elsewhere by chance)
                assert answer not in text, f"solution {answer!r} left in {name}"
    assert holes >= 2, "the instructor version has solutions"
    # each exercise keeps its `...` and is followed by its check
    for i in tagged(out, "exercise"):
        assert "..." in out.cells[i].source
        assert "checks.check_" in out.cells[i + 1].source


def test_a_solution_line_that_cannot_become_a_hole_is_refused():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "x = 1\nprint(x * 2)  # solution", metadata={"tags": ["solution"]})])
    with pytest.raises(ValueError, match=r"lab.ipynb, cell 1, line 2: a '# solution' line"):
        build_student.student_version(nb, "lab.ipynb")


def test_a_hole_keeps_the_name_and_the_hint():
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "def f(n, t):\n    rate = n / t  # solution: the slope\n    return rate * 2  # solution",
        metadata={"tags": ["solution"]})])
    cell = build_student.student_version(nb).cells[0]
    assert cell.source == "def f(n, t):\n    rate = ...  # the slope\n    return ..."
    assert cell.metadata["tags"] == ["exercise"]


@pytest.mark.parametrize("name", NAMES)
def test_each_lab_has_goals_time_exercises_questions_and_references(name):
    nb = student(name)
    md = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "## Goals" in md and re.search(r"\*\*Time:\*\* about \d+ minutes", md)
    exercises = re.findall(r"^### Exercise \d\.\d", md, flags=re.M)
    assert 2 <= len(exercises) <= 4 and len(exercises) == len(tagged(nb, "exercise"))
    assert "## Questions to discuss" in md and "## References" in md
    assert any("import bondlab" in c.source for c in nb.cells if c.cell_type == "code")


def test_every_modules_lecture_exercises_appear_in_a_lab():
    """At least one exercise per module's lecture part, named by module in its heading."""
    md = "\n".join(c.source for n in NAMES for c in student(n).cells if c.cell_type == "markdown")
    headings = re.findall(r"^### Exercise .*$", md, flags=re.M)
    for module in ("1", "2", "3", "4", "5", "6"):
        assert any(f"Module {module}," in h for h in headings), f"no exercise from Module {module}"


def test_references_come_from_references_json():
    from workshop.references import format_reference

    known = {format_reference(e) for e in json.loads((ROOT / "data/references.json").read_text())}
    for name in NAMES:
        cell = next(c for c in instructor(name).cells if c.source.startswith("## References"))
        lines = [ln[2:] for ln in cell.source.splitlines() if ln.startswith("- ")]
        assert lines and set(lines) <= known, set(lines) - known


def test_every_modules_lecture_view_links_its_lab():
    from workshop.content import load_module, module_ids

    for mid in module_ids():
        if mid[:2] not in MODULE_LAB:
            continue
        lab = MODULE_LAB[mid[:2]]
        lecture = "\n".join(s.lecture for s in load_module(mid).steps)
        assert f"(../../../lab/tree/labs/student/{lab}.ipynb)" in lecture, mid
        assert (LABS / "student" / f"{lab}.ipynb").exists()


# ----------------------------------------------------------------------------- checks
WRONG = [
    (checks.check_misses_in_a_row, (lambda p, k: 1 - p ** k,),
     "Not yet: misses_in_a_row(0.2, 10) gave 1; it should be 0.1074"),
    (checks.check_rate, (lambda N, a, b: N[:, b] - N[:, a],),
     "rate_between(N, 0, 7) gave 3; it should be 0.429"),
    (checks.check_rw_extinction, (lambda p: 22.0,), "extinction_trials(0.25) gave 22"),
    (checks.check_pree_ratios, ({0.5: 1.0, 0.33: 1.1, 0.2: 1.2},), "should give about 3x and 5x"),
    (checks.check_doubling_p, (0.25,), "Not yet: p_double is 0.25"),
    (checks.check_surprise_at_reward, (lambda p: p,), "surprise_at_reward(0.9) gave 0.90"),
    (checks.check_cue_and_omission, (lambda p: p,), "should return two numbers"),
    (checks.check_mean_surprise, (0.2, 0.3), "Include omissions"),
    (checks.check_after_reaction, (3,), "Not yet: steps is 3"),
    (checks.check_tolerance, (lambda s: 1.0,), "peak_ratio(15) gave 1.00"),
    (checks.check_days_to_confidence, (lambda p, c: 8,), "days_to_confidence(0.3, 0.95) gave 8"),
    (checks.check_hazard, ({0.005: 30, 0.0005: 30, 0.00005: 30},), "should hold on longer"),
    (checks.check_contact, ({"cd": {"extra_days_of_pull": 2}, "rw": {"extra_days_of_pull": 0}},),
     "change detection gave 2 extra days"),
]


@pytest.mark.parametrize("check, args, message", WRONG, ids=[w[0].__name__ for w in WRONG])
def test_a_wrong_answer_is_told_what_is_off(check, args, message):
    with pytest.raises(NotYet, match=re.escape(message)):
        check(*args)


def test_a_placeholder_is_told_to_fill_in():
    with pytest.raises(NotYet, match=r"^Fill in p_double: it is still `...`\.$"):
        checks.check_doubling_p(...)
    with pytest.raises(NotYet, match=r"^Fill in costs: it still has a `...` in it\.$"):
        checks.check_contact({"cd": ..., "rw": ...})

    def half_done(p, k):
        return (1 - ...) ** k

    with pytest.raises(NotYet, match=r"^Fill in the `...` in misses_in_a_row: Python stopped"):
        checks.check_misses_in_a_row(half_done)


def test_a_fixed_opponent_needs_growth_zero():
    import bondlab

    with pytest.raises(NotYet, match="Set growth=0"):
        checks.check_fixed_opponent(bondlab.OpponentProcess(tau_a=1, tau_b=10, opponent=0.5), 0.5)
    op = bondlab.OpponentProcess(tau_a=1, tau_b=10, opponent=0.5, growth=0)
    checks.check_fixed_opponent(op, float(op.run([1.0] * 200).felt[0, -1]))


def test_the_checks_docstring_example_holds():
    import doctest

    assert doctest.testmod(checks).failed == 0


def test_not_yet_is_shown_without_a_traceback():
    assert NotYet("Fill in x.")._render_traceback_() == ["Fill in x."]


# ----------------------------------------------------------------------------- student runs
TRACEBACK = re.compile(r"Traceback|File \"|\x1b\[|-{20}")


@pytest.mark.parametrize("name", NAMES)
def test_the_student_version_runs_to_its_first_exercise_and_says_what_to_fill_in(name):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = student(name)
    first = tagged(nb, "exercise")[0]
    client = NotebookClient(nb, timeout=300, kernel_name="python3",
                            resources={"metadata": {"path": str(LABS / "student")}})
    with pytest.raises(CellExecutionError):
        client.execute()
    errors = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
              and any(o.output_type == "error" for o in c.outputs)]
    assert errors and errors[0] in (first, first + 1), "stops at the first exercise"
    stopped = nb.cells[errors[0]]
    assert all(c.execution_count for c in nb.cells[:errors[0]] if c.cell_type == "code")
    error = next(o for o in stopped.outputs if o.output_type == "error")
    said = "\n".join(error.traceback)
    assert said.startswith("Fill in") and not TRACEBACK.search(said), said
    assert len(said) < 300, "a line or two of plain words"
