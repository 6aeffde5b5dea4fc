"""Control stands the response down: no unit is sent to a controlled incident, and units
still on the way are recalled and free for the next call."""

from __future__ import annotations

import copy

from conftest import BASE, line_graph, make_scenario

from drillsim.engine import run_drill
from drillsim.network.graph import RoadNetwork
from drillsim.network.places import Places
from drillsim.network.world import World


def _far_station_scenario(turnout: str):
    """E1 at N0 holds a dwelling fire at N1; E3 at N7 (6 km) is on the way; no rescue unit
    exists, so the plan's rescue need waits in the queue; a second fire comes later."""
    stations = copy.deepcopy(BASE["forces"]["stations"])
    stations[0]["apparatus"] = [{"id": "E1", "type": "engine", "crew": 5}]
    stations.append({"id": "far", "location": {"node": "N7"}, "personnel": 5,
                     "on_duty_fraction": 1.0,
                     "apparatus": [{"id": "E3", "type": "engine", "crew": 5}],
                     "turnout": {"day": turnout, "night": turnout}})
    return make_scenario(
        forces__stations=stations,
        forces__response_plans={"dwelling": [{"engine": 2, "rescue": 1}],
                                "alarm": [{"engine": 1}]},
        incidents=[{"id": "F1", "occupancy": "dwelling", "at": "+00:01",
                    "location": {"node": "N1"}, "detection_delay": "30 s"},
                   {"id": "A2", "kind": "alarm", "at": "+00:40", "location": {"node": "N6"},
                    "work_time": "5 min"}])


def _world() -> World:
    return World(RoadNetwork.from_networkx(line_graph(8)), Places([]))


def test_no_dispatch_after_control_and_units_on_the_way_are_recalled():
    for turnout in ("60 s", "15 min"):  # recalled on the road, and during its turnout
        result = run_drill(_far_station_scenario(turnout), _world())
        rec = [r for r in result.records if r.incident == "F1"]
        control = next(r.t for r in rec if r.event == "control")
        assert not [r for r in rec if r.event == "dispatch" and r.t > control]
        assert [r.unit for r in rec if r.event == "arrive"] == ["E1"]
        recalled = [r for r in rec if r.event == "release" and r.get("recalled")]
        assert [(r.unit, r.t) for r in recalled] == [("E3", control)]
        # recalled, E3 is free: the later alarm call at N6 gets it
        assert [r.unit for r in result.records
                if r.event == "dispatch" and r.incident == "A2"] == ["E3"]
        assert not [r for r in result.records if r.event == "unmet"]


def test_recalled_during_turnout_stays_in_quarters():
    result = run_drill(_far_station_scenario("15 min"), _world())
    e3 = [r.event for r in result.records if r.unit == "E3" and r.incident == "F1"]
    assert e3 == ["dispatch", "release"]  # never turned out


def test_no_everyday_call_at_the_node_of_a_scripted_incident_being_worked(line_world):
    """Callers at a working incident report that incident: no separate call there until
    it is cleared (warehouse-escalation placed an alarm call on W1's node)."""
    s = make_scenario(
        duration="04:00",
        background={"calls_per_day": 1500, "where": "junctions", "mix": {"alarm": 1}},
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"},
                    "work_time": "2 h"}])
    result = run_drill(s, line_world)
    clear = next(r.t for r in result.records if r.event == "clear" and r.incident == "A1")
    n1 = line_world.network.node_index["N1"]
    calls = [r for r in result.records if r.event == "call" and r.incident.startswith("BG")]
    assert len(calls) > 100
    at_n1 = [r.t for r in calls if r.node == n1]
    assert at_n1 and min(at_n1) > clear  # from N1 again only once A1 is cleared
    # the other nodes keep their calls meanwhile
    before = [r for r in calls if r.t < clear]
    assert {r.node for r in before} == {0, 2, 3}


def test_an_everyday_fire_call_beside_a_rescue_of_another_kind_is_still_a_call(line_world):
    s = make_scenario(
        duration="04:00",
        background={"calls_per_day": 1500, "where": "junctions", "mix": {"alarm": 1}},
        incidents=[{"id": "R1", "kind": "rescue", "at": "+00:01", "location": {"node": "N1"},
                    "work_time": "2 h"}])
    result = run_drill(s, line_world)
    clear = next(r.t for r in result.records if r.event == "clear" and r.incident == "R1")
    n1 = line_world.network.node_index["N1"]
    assert [r for r in result.records if r.event == "call" and r.incident.startswith("BG")
            and r.node == n1 and 60 < r.t < clear]
