"""Make the student lab notebooks from the instructor ones: ``make lab-student``.

``labs/instructor/*.ipynb`` is the one source; ``labs/student/*.ipynb`` is made from it.
In a cell tagged ``solution``:

- code: each line ending in ``# solution`` keeps its start up to the ``=`` of an assignment
  (or the word ``return``) and gets ``...`` for the rest, so ``rate = n / t  # solution: the
  slope`` becomes ``rate = ...  # the slope``; the cell's tag becomes ``exercise``;
- markdown: the cell is left out (answers and notes for the instructor).

Every other cell is copied as it is. Outputs and execution counts are cleared.
``python labs/build_student.py --check`` writes nothing and exits 1 if a student notebook
is not what its instructor version makes (a test runs the same comparison).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat

LABS = Path(__file__).resolve().parent
INSTRUCTOR = LABS / "instructor"
STUDENT = LABS / "student"
SOLUTION, EXERCISE = "solution", "exercise"
_HOLE = re.compile(r"^(?P<keep>\s*(?:return\b|[A-Za-z_][\w.\[\]'\", ]*?\s*=(?!=)))"
                   r"(?P<answer>.*?)\s*#\s*solution\b:?\s*(?P<hint>.*)$")


def _hole(line: str, where: str) -> str:
    if not re.search(r"#\s*solution\b", line):
        return line
    m = _HOLE.match(line)
    if not m or not m["answer"].strip():
        raise ValueError(f"{where}: a '# solution' line must be an assignment or a return "
                         f"with the answer on it. Got {line.strip()!r}.")
    hint = f"  # {m['hint']}" if m["hint"] else ""
    return f"{m['keep'].rstrip()} ...{hint}"


def student_version(nb, name: str = "notebook"):
    """The student notebook made from instructor notebook ``nb`` (an ``nbformat`` node)."""
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    for i, cell in enumerate(nb.cells):
        cell = nbformat.from_dict(cell)
        tags = list(cell.metadata.get("tags", []))
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        if SOLUTION in tags:
            if cell.cell_type != "code":
                continue
            where = f"{name}, cell {i + 1}"
            cell.source = "\n".join(_hole(line, f"{where}, line {j + 1}")
                                    for j, line in enumerate(cell.source.splitlines()))
            cell.metadata["tags"] = [EXERCISE if t == SOLUTION else t for t in tags]
        out.cells.append(cell)
    return out


def build(check: bool = False) -> list[str]:
    """Write (or, with ``check``, only compare) every student notebook; returns stale names."""
    stale = []
    STUDENT.mkdir(exist_ok=True)
    for src in sorted(INSTRUCTOR.glob("*.ipynb")):
        text = nbformat.writes(student_version(nbformat.read(src, as_version=4), src.name))
        text += "" if text.endswith("\n") else "\n"
        dest = STUDENT / src.name
        if not dest.exists() or dest.read_text(encoding="utf-8") != text:
            stale.append(dest.name)
            if not check:
                dest.write_text(text, encoding="utf-8")
    return stale


if __name__ == "__main__":
    check = "--check" in sys.argv[1:]
    stale = build(check=check)
    if not stale:
        print("Student notebooks are current.")
    elif check:
        sys.exit("Student notebooks out of date (run `make lab-student`): " + ", ".join(stale))
    else:
        print("Rebuilt: " + ", ".join(stale))
