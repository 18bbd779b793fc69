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


@pytest.mark.parametrize("title", PLANS)
def test_plan_grounds_the_room_after_module_4_before_module_5(title):
    """Module 4's withdrawal list is the heaviest content: its grounding step comes next,
    before any step of Module 5 (content review 4.C)."""
    rows = [(part.split(" · ", 1)[0], step) for part, step, _ in plan_rows(title)]
    for i, (number, step) in enumerate(rows):
        if (number, step) == ("4", "What people describe after an ending"):
            assert rows[i + 1] == ("4", "Looking after yourself"), rows[i + 1]
    later = [n for n, _ in rows]
    if "4" in later and "5" in later:
        first5 = later.index("5")
        assert ("4", "Looking after yourself") in rows[:first5]


def test_guide_covers_danger_duties_harm_devices_follow_up_and_the_class_experiment():
    """Content review 10.2-10.6 and 10.9: the guide has a section for each."""
    headings = re.findall(r"^## (.+)$", GUIDE.read_text(encoding="utf-8"), re.M)
    for needed in ("If someone discloses current danger", "Duties to report",
                   "If someone in the room is causing harm", "Devices and Wi-Fi in the room",
                   "Safe follow-up contact", "Fitting the class experiment into a session"):
        assert needed in headings, needed
