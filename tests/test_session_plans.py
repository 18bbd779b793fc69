"""The facilitator guide's session plans add up, and use the modules' own step timings."""
from __future__ import annotations

import re

import pytest

from workshop.content import load_modules, modules_dir

GUIDE = modules_dir() / "facilitator_guide.md"
PLANS = {"90 minutes": 90, "2 hours": 120}


def plan_rows(title: str) -> list[tuple[str, str, int]]:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split(f"## Session plan: {title}", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 3 and re.fullmatch(r"\**\d+\**", cells[2]):
            rows.append((cells[0], cells[1], int(cells[2].strip("*"))))
    return rows


@pytest.mark.parametrize("title, total", PLANS.items())
def test_plan_adds_up_to_its_length(title, total):
    rows = plan_rows(title)
    *parts, (label, _, stated) = rows
    assert "Total" in label and stated == total
    assert sum(minutes for _, _, minutes in parts) == total


@pytest.mark.parametrize("title", PLANS)
def test_plan_uses_the_modules_step_minutes(title):
    modules = {m.title.split(" · ", 1)[0].lstrip("# ").strip(): m for m in load_modules()}
    checked = 0
    for part, step, minutes in plan_rows(title):
        number = part.split(" · ", 1)[0]
        if number not in modules:
            continue                      # arrival, break, closing round
        module = modules[number]
        if step == "All steps":
            assert minutes == module.minutes, f"{part}: module takes {module.minutes} minutes"
        else:
            match = [s for s in module.steps if s.title == step]
            assert match, f"{part}: no step called {step!r}"
            assert minutes == match[0].minutes, f"{part} · {step}: the step takes {match[0].minutes}"
        checked += 1
    assert checked >= 5
