"""What the exercise pages say after the fire trial's findings: a recalled unit turns back at
once, road closures near a place, the decisions' "About" worded per language, the pages'
small words (plural rooms, legend, report links, favicon)."""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.play.exercise import Exercise
from drillsim.play.state import snapshot

DRILL = Path(__file__).parents[2] / "scenarios" / "night-compound-fire.yaml"
CC = "command_centre"


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(710.0)  # F1 dispatched: NY-E2, XZ-E1, NY-R1 on their way
    return ex


def units_of(state: dict) -> dict[str, dict]:
    return {u["id"]: u for u in state["units"]}


def test_a_recalled_unit_shows_turning_back_at_once(exercise):
    assert units_of(snapshot(exercise))["XZ-E1"]["status"] == "committed"
    exercise.decide({"kind": "recall_unit", "role": CC, "unit": "XZ-E1"})
    for state in (snapshot(exercise), snapshot(exercise, CC)):
        xz = units_of(state)["XZ-E1"]
        assert (xz["status"], xz["incident"]) == ("turning_back", "")
    recall = next(f for f in snapshot(exercise, CC)["forms"] if f["kind"] == "recall_unit")
    assert "XZ-E1" not in [c["value"] for c in recall["fields"][0]["choices"]]
    from drillsim.play.decisions import DecisionRefused

    with pytest.raises(DecisionRefused) as exc:
        exercise.decide({"kind": "recall_unit", "role": CC, "unit": "XZ-E1"})
    assert exc.value.text("zh") == "XZ-E1已在返回途中"
    exercise.advance(exercise.live.now + 1.0)  # the turn back played: held, heading home
    assert units_of(snapshot(exercise))["XZ-E1"]["status"] == "held"
