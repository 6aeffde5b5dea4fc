"""The fire in the engine: its size depends on the response, and control needs the water."""

from __future__ import annotations

import pytest
from conftest import make_scenario

from drillsim.engine import run_drill
from drillsim.hazards.fire_growth import OCCUPANCIES, water_flow_l_s


def _fire(detection: str, plan: list[dict[str, int]] | None = None):
    changes = {"incidents": [{"id": "F1", "occupancy": "dwelling", "at": "+00:01",
                              "location": {"node": "N1"}, "detection_delay": detection}]}
    if plan is not None:
        changes["forces__response_plans"] = {"dwelling": plan}
    return make_scenario(**changes)


def _first(result, event: str):
    return next((r for r in result.records if r.event == event and r.incident == "F1"), None)


def test_fire_size_at_first_arrival_grows_with_a_slower_response(line_world):
    fast = _first(run_drill(_fire("30 s"), line_world), "arrive")
    slow = _first(run_drill(_fire("12 min"), line_world), "arrive")
    assert fast.data["q_kw"] < OCCUPANCIES["dwelling"].fire().flashover_kw  # before flashover
    assert slow.data["q_kw"] > 2 * fast.data["q_kw"]
    assert slow.data["need_l_s"] > fast.data["need_l_s"]
    assert slow.data["rooms"] >= 1


def test_flashover_is_recorded_at_thomas_criterion(line_world):
    result = run_drill(_fire("12 min"), line_world)
    fo = _first(result, "flashover")
    fire = OCCUPANCIES["dwelling"].fire()
    ignition = _first(result, "ignition")
    assert fo.t - ignition.t == pytest.approx(fire.t_flashover, abs=1e-6)
    assert fo.data["q_kw"] == pytest.approx(fire.room_kw, abs=1)


def test_a_fire_caught_early_never_flashes_over(line_world):
    result = run_drill(_fire("30 s"), line_world)
    assert _first(result, "flashover") is None
    assert _first(result, "control") is not None


def test_one_engine_cannot_control_a_fire_that_spread_through_rooms(line_world):
    # 25 minutes undetected: the dwelling fire has spread beyond two rooms, needs > 10 L/s
    one = run_drill(_fire("25 min", plan=[{"engine": 1}]), line_world)
    arrive = _first(one, "arrive")
    assert arrive.data["need_l_s"] > water_flow_l_s("engine")
    # past the one-alarm plan the commander calls the engines the water lacks: the
    # district's second engine, sent on the further alarm, and not before the water
    # on the fire fell short
    esc = _first(one, "escalate")
    assert esc is not None and esc.data["alarm"] == 2
    lacking = esc.data["need_l_s"] - water_flow_l_s("engine")
    assert 0 < lacking <= water_flow_l_s("engine")  # one engine's worth: one engine sent
    sent = [r for r in one.records if r.event == "dispatch" and r.incident == "F1"]
    assert [r.get("alarm") for r in sent] == [1, 2]
    control = _first(one, "control")
    assert control is not None and control.t > max(r.t for r in sent)
    assert control.data["need_l_s"] <= 2 * water_flow_l_s("engine")
    # with a second alarm the commander calls it, and two engines hold the fire
    two = run_drill(_fire("25 min", plan=[{"engine": 1}, {"engine": 1}]), line_world)
    esc = _first(two, "escalate")
    assert esc is not None and esc.data["alarm"] == 2
    control = _first(two, "control")
    assert control is not None
    assert control.data["need_l_s"] <= 2 * water_flow_l_s("engine")


def test_catalogue_response_plans_are_handed_out_read_only():
    """The engine reads an occupancy's response plan at every call and size-up without a
    copy: the plan it is handed cannot change the catalogue for the next call or drill."""
    forces = make_scenario().forces
    key = next(k for k in sorted(OCCUPANCIES) if k not in forces.response_plans)
    plan = forces.plan(key)
    before = [dict(level) for level in plan]
    assert plan is forces.plan(key) and plan == OCCUPANCIES[key].plan
    with pytest.raises(TypeError):
        plan[0]["engine"] = 99  # type: ignore[index]
    assert [dict(level) for level in forces.plan(key)] == before
