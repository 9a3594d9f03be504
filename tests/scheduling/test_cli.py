"""`yunting schedule solve`: a court plans from files; bad files end with exit 2 and a clear message."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from yunting.kernel.scheduling import check_plan
from yunting.kernel.scheduling.generate import division_week


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("schedule", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize("method", [[], ["--greedy"]])
def test_round_trip_through_json_files(tmp_path, method):
    problem = division_week(seed=5, judges=5, rooms=3, hearings=40, slots=8)
    source, target = tmp_path / "problem.json", tmp_path / "plan.json"
    source.write_text(json.dumps(problem, ensure_ascii=False), encoding="utf-8")
    code, out, _err = run("solve", "--input", str(source), "--output", str(target), "--time-limit", "2", *method)
    assert code == 0
    plan = json.loads(target.read_text(encoding="utf-8"))
    assert check_plan(problem, plan) == []
    assert len(plan["placed"]) + len(plan["unplaced"]) == 40
    assert f"{len(plan['placed'])}/40" in out
    assert plan["stats"]["method"] == ("greedy" if method else "cp-sat")


def test_planned_on_flag_and_english_reasons(tmp_path):
    problem = {"week_start": "2026-12-07", "days": 5, "slots": ["09:00"], "rooms": [{"id": "R1", "kind": "physical"}],
               "people": [{"id": "J1", "unavailable": []}],
               "hearings": [{"id": 7, "people": ["J1"], "room_kind": "online", "slots_needed": 1, "not_before": None,
                             "not_after": None, "served_on": None}]}
    source = tmp_path / "p.json"
    source.write_text(json.dumps(problem))
    code, out, _err = run("solve", "--input", str(source), "--planned-on", "2026-12-01", "--lang", "en")
    assert code == 0
    plan = json.loads(out)
    assert plan["unplaced"] == [{"hearing": 7, "reason": "No online courtroom this week"}]
    assert plan["stats"]["planned_on"] == "2026-12-01"


@pytest.mark.parametrize(("content", "message"), [
    ("{not json", "JSON"),
    ('{"week_start": "2026-12-07", "days": 5, "slots": ["09:00"], "rooms": [], "people": [], '
     '"hearings": [{"id": "H1", "people": ["J9"], "room_kind": "any", "slots_needed": 1}]}',
     "错误：hearings[0].people[0]：未知的参与人编号：J9"),
])
def test_invalid_input_exits_2_with_a_message_and_writes_nothing(tmp_path, content, message):
    source, target = tmp_path / "bad.json", tmp_path / "plan.json"
    source.write_text(content)
    code, _out, err = run("solve", "--input", str(source), "--output", str(target))
    assert code == 2 and message in err
    assert not target.exists()


def test_missing_file_exits_2(tmp_path):
    code, _out, err = run("solve", "--input", str(tmp_path / "nowhere.json"))
    assert code == 2 and "nowhere.json" in err


def test_the_yunting_console_script(tmp_path):
    problem = division_week(seed=9, judges=3, rooms=2, hearings=10, slots=4)
    source, target = tmp_path / "problem.json", tmp_path / "plan.json"
    source.write_text(json.dumps(problem))
    script = Path(sys.executable).with_name("yunting")
    done = subprocess.run([str(script), "schedule", "solve", "--input", str(source), "--output", str(target),
                           "--time-limit", "1"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert check_plan(problem, json.loads(target.read_text())) == []
    bad = subprocess.run([str(script), "schedule", "solve", "--input", str(tmp_path / "none.json")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "错误" in bad.stderr
