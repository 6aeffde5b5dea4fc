"""Units cannot arrive at a node every road into which is closed to their class: they stop
at the nearest node they can reach within a walk of 150 m and work from there (beyond it
the scene is cut off); a drill may not place a fire on a waterlogging point."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from conftest import line_graph, make_scenario

from drillsim.engine import run_drill
from drillsim.errors import ScenarioError
from drillsim.network.graph import RoadNetwork, TravelTimes
from drillsim.network.places import Places
from drillsim.network.world import World
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _into(net: RoadNetwork, node: int) -> np.ndarray:
    return np.flatnonzero(net.edge_v == node)


def test_approach_is_the_node_itself_while_a_road_into_it_is_open():
    net = RoadNetwork.from_networkx(line_graph(5))
    travel = TravelTimes(net)
    assert travel.approach(2) == 2
    travel.close(_into(net, 2)[:1])  # one of its two roads in: still reachable
    assert travel.approach(2) == 2


def test_approach_is_the_nearest_neighbour_that_can_be_reached_when_all_are_closed():
    g = line_graph(5, spacing_deg=0.0015)  # 129 m apart
    g.nodes["N3"]["x"] = 117.15 + 2 * 0.0015 + 0.0008  # N3 is nearer N2 (69 m) than N1 is
    net = RoadNetwork.from_networkx(g)
    travel = TravelTimes(net)
    assert travel.approach(2) == 2  # asked before: the cached entry flags follow the closures
    travel.close(_into(net, 2))
    assert travel.approach(2) == 3
    assert travel.approach(2, "truck") == 3
    assert travel.cut_off(2) is None
    travel.close(_into(net, 3))  # N3 cut off too: the next one that can be reached
    assert travel.approach(2) == 1
    travel.close(_into(net, 1))
    assert travel.approach(2) == 2  # nothing around can be reached: no route (units wait)
    # the nearest node with an open road in is two arcs away on foot (N0 and N4, 2 x 1000
    # m of road: the arcs' lengths, not the straight line): too far to walk
    assert travel.nearest_entry(2) == (0, 2000.0)
    assert travel.cut_off(2) == 2000.0
    travel.close(_into(net, 0))
    travel.close(_into(net, 4))
    assert travel.cut_off(2) == float("inf")  # no road open into any node
    travel.reopen(_into(net, 2), ["car"])
    assert travel.approach(2, "car") == 2 and travel.approach(2) == 2


def test_approach_walks_along_the_road_past_flooded_neighbours():
    """On short arcs (a district package's 50 m) a flooded stretch spans several: the crew
    stops at the nearest node with an open road in, walking along the road (2 x 60 m)."""
    g = line_graph(5, spacing_deg=0.0007)  # 60 m apart
    for _, _, data in g.edges(data=True):
        data["length"] = 60.0
    net = RoadNetwork.from_networkx(g)
    travel = TravelTimes(net)
    for node in (1, 2, 3):
        travel.close(_into(net, node))
    assert travel.nearest_entry(2) == (0, 120.0)  # N0 and N4 tie: the lower index
    assert travel.approach(2) == 0 and travel.cut_off(2) is None


def test_no_approach_beyond_a_walk_of_150_m():
    """A neighbour 172 m away is too far to work the scene from (APPROACH_MAX_M = 150 m):
    the scene is cut off, and cut_off states the distance."""
    g = line_graph(5, spacing_deg=0.002)  # 0.002° of longitude at 39.15° N: 172.6 m
    net = RoadNetwork.from_networkx(g)
    travel = TravelTimes(net)
    travel.close(_into(net, 2))
    assert travel.approach(2) == 2
    assert travel.cut_off(2) == pytest.approx(0.002 * np.pi / 180 * 6_371_008.8
                                              * np.cos(np.radians(39.15)), rel=1e-4)
    assert travel.nearest_entry(2)[0] in (1, 3)


def test_units_work_a_scene_they_cannot_enter_from_the_nearest_node():
    net = RoadNetwork.from_networkx(line_graph(4, spacing_deg=0.001))  # 86 m apart
    world = World(net, Places([]))
    s = make_scenario(incidents=[{"id": "F1", "occupancy": "dwelling", "at": "+00:01",
                                  "location": {"node": "N2"}, "detection_delay": "30 s"}])
    net = world.network
    open_run = run_drill(s, world)
    world.travel.close(_into(net, 2))  # every road into N2 flooded (N1, N3 equally near)
    try:
        closed_run = run_drill(s, world)
    finally:
        world.travel.reopen(_into(net, 2))
    arrivals = {name: [r.node for r in run.records if r.event == "arrive"]
                for name, run in (("open", open_run), ("closed", closed_run))}
    assert arrivals == {"open": [2], "closed": [1]}
    assert next(r for r in closed_run.records if r.event == "control")  # worked from N1
    # the dispatcher's expected time is the time to where it stops, not to the scene
    eta = next(r.data["eta_s"] for r in closed_run.records if r.event == "dispatch")
    assert eta == round(world.travel.time(0, 1, "fire_engine"))


def _flood_and_fire(tmp_path, old: str, new: str) -> Path:
    text = (ROOT / "scenarios" / "flood-and-fire.yaml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "drill.yaml"
    # 358 m is beyond a drill's default snap bound (200 m): raised, so that the
    # waterlogging check is the one that speaks
    path.write_text("snap_max_m: 400\n" + text.replace(old, new), encoding="utf-8")
    return path


LOCATION = "location: {lat: 39.1584, lon: 117.1302}"
UNDERPASS = "location: {lat: 39.1610, lon: 117.1290}"  # the first version's F1: 358 m off


def test_a_fire_snapping_onto_a_waterlogging_point_is_refused(tmp_path):
    with pytest.raises(ScenarioError) as err:
        load_scenario(_flood_and_fire(tmp_path, LOCATION, UNDERPASS))
    msg = str(err.value)
    assert "flood-and-fire" not in msg and "drill.yaml:" in msg
    assert "incidents[0].location" in msg
    assert "'tianping_underpass' (Tianping bridge underpass)" in msg
    assert "358 m away" in msg and "\n" not in msg.strip()


def test_a_flood_rescue_may_be_at_a_waterlogging_point(tmp_path):
    path = _flood_and_fire(tmp_path, LOCATION, UNDERPASS)
    text = path.read_text(encoding="utf-8").replace(
        "    kind: fire\n    occupancy: old_residential_compound\n", "    kind: flood_rescue\n")
    path.write_text(text, encoding="utf-8")
    assert load_scenario(path).incidents[0].kind == "flood_rescue"
