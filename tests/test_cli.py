"""The bondlab command, run as a user would (subprocess), and via main()."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workshop.cli import main


BONDLAB = str(Path(sys.executable).parent / "bondlab")  # the installed command (workshop.cli)


def run(*args):
    return subprocess.run([BONDLAB, *args], capture_output=True, text=True, timeout=120)


def test_the_engine_alone_runs_as_python_m_bondlab():
    """The engine's own commands need nothing of the kit; the kit's are offered elsewhere."""
    p = subprocess.run([sys.executable, "-m", "bondlab", "list"], capture_output=True,
                       text=True, timeout=120)
    assert p.returncode == 0 and "intermittent" in p.stdout
    p = subprocess.run([sys.executable, "-m", "bondlab", "handouts", "--out", "x"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 2 and "handouts" in p.stderr


def test_list():
    p = run("list")
    assert p.returncode == 0
    for word in ("schedules:", "partners:", "scenarios:", "intermittent"):
        assert word in p.stdout


def test_run_json_is_one_object():
    p = run("run", "intermittent", "--people", "50", "--days", "40", "--seed", "3",
            "--set", "p_warmth=0.25", "--set", "contacts=10,20", "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["inputs"]["scenario"] == "intermittent"
    assert doc["inputs"]["parameters"]["partner"]["p_warmth"] == 0.25
    assert doc["inputs"]["parameters"]["contacts"] == [10, 20]
    assert doc["days_after"] == 40 and len(doc["day"]) == 220
    for name in ("attachment", "mood", "withdrawal", "surprise", "warmth", "cruelty"):
        assert set(doc["outputs"][name]) == {"median", "q25", "q75"}
        assert len(doc["outputs"][name]["median"]) == 220
    assert "persistence_days" in doc["summary"]


def test_run_text_and_same_seed_same_numbers(capsys):
    assert main(["run", "consistent", "--people", "40", "--seed", "1"]) == 0
    first = capsys.readouterr().out
    assert main(["run", "consistent", "--people", "40", "--seed", "1"]) == 0
    assert capsys.readouterr().out == first
    assert "persistence_days" in first


def test_plot(tmp_path):
    pytest.importorskip("matplotlib")
    f = tmp_path / "fig.png"
    assert main(["run", "cycle", "--people", "30", "--plot", str(f)]) == 0
    assert f.stat().st_size > 1000


def test_extinction():
    p = run("extinction", "--schedule", "RR0.2", "--learner", "cd", "--people", "50",
            "--json")
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)
    assert doc["inputs"]["schedule"] == "RR0.2"
    assert 25 < doc["trials_to_extinction"]["median"] < 60


@pytest.mark.parametrize("args,needle", [
    (["run", "nope"], "Unknown scenario 'nope'"),
    (["run", "intermittent", "--set", "p=abc"], "Unknown parameter 'p'"),
    (["run", "intermittent", "--set", "p_warmth=abc"], "'p_warmth' parameter"),
    (["run", "intermittent", "--set", "p_warmth=1.7"], "Got 1.7 instead"),
    (["run", "intermittent", "--people", "-3"], "--people"),
    (["run", "intermittent", "--people", "many"], "--people"),
    (["run", "intermittent", "--set", "zzz=1"], "Unknown parameter 'zzz'"),
    (["run", "intermittent", "--set", "novalue"], "name=value"),
    (["run", "intermittent", "--set", "contacts=999"], "'contacts'"),
    (["run", "intermittent", "--plot", "/nonexistent-dir/x.png", "--people", "5"],
     "Cannot write"),
    (["extinction", "--schedule", "XX", "--learner", "cd"], "Unknown schedule"),
    (["extinction", "--schedule", "RR0.2", "--learner", "zz"], "Unknown learner"),
    (["extinction", "--schedule", "RR0.2"], "--learner"),
    (["frobnicate"], "invalid choice"),
    ([], "choose a command"),
])
def test_bad_input_exits_2_with_one_line(args, needle):
    p = run(*args)
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1, p.stderr
    assert needle in p.stderr


def test_validate_json():
    p = run("validate", "--json")
    doc = json.loads(p.stdout)
    assert p.returncode == 0 and doc["all_ok"]
    controls = [t for t in doc["targets"] if t["negative_control"]]
    assert len(controls) >= 3 and all(t["ok"] for t in controls)
