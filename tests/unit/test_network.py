"""Exact tests of the road network and travel-time engine on a hand-checkable network."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import numpy as np
import pytest

from drillsim.network.graph import (
    VEHICLES,
    RoadNetwork,
    TravelTimes,
    haversine_m,
    parse_bool,
    parse_maxspeed,
    road_class,
)
from drillsim.network.waterlogging_arcs import point_edges
from drillsim.scenarios.schema import WaterloggingPoint

A, B, C, D, E, F = range(6)


def hand_graph() -> nx.MultiDiGraph:
    """Six nodes; primary roads at 36 km/h (10 m/s for a car).

    A-B 1000 m, B-C 1000 m (plus a parallel 1500 m B->C arc), A-D 500 m, D-E 500 m,
    E->C 500 m one-way, C-F 2000 m. Node ids are "A".."F" so index order is A..F.
    """
    g = nx.MultiDiGraph()
    for i, name in enumerate("ABCDEF"):
        g.add_node(name, y=39.15 + 0.001 * i, x=117.15)

    def road(a, b, length, oneway=False, **extra):
        attrs = dict(length=length, highway="primary", maxspeed="36", oneway=oneway, **extra)
        g.add_edge(a, b, **attrs)
        if not oneway:
            g.add_edge(b, a, **attrs)

    road("A", "B", 1000, name="Long Road")
    road("B", "C", 1000, name="Long Road")
    g.add_edge("B", "C", length=1500, highway="primary", maxspeed="36", oneway=True)
    road("A", "D", 500)
    road("D", "E", 500, name="Short Road", name_en="Short Rd", bridge="yes")
    road("E", "C", 500, oneway=True)
    road("C", "F", 2000)
    return g


@pytest.fixture
def net() -> RoadNetwork:
    return RoadNetwork.from_networkx(hand_graph())


def arc(net: RoadNetwork, u: int, v: int) -> int:
    return min(net.edges_between(u, v), key=lambda e: net.edge_length_m[e])


def nx_times(net: RoadNetwork, tt: TravelTimes, vehicle: str) -> np.ndarray:
    """All-pairs times from networkx on the same weights, as a reference."""
    g = nx.DiGraph()
    g.add_nodes_from(range(net.n_nodes))
    foot = VEHICLES[vehicle].ignores_oneway
    graph = tt._graph(vehicle)
    for e in range(net.n_edges):
        w = float(graph.edge_time_s(np.array([e]))[0])
        if w >= 1e15:
            continue
        pairs = [(net.edge_u[e], net.edge_v[e])] + ([(net.edge_v[e], net.edge_u[e])] if foot
                                                    else [])
        for u, v in pairs:
            if not g.has_edge(u, v) or g[u][v]["w"] > w:
                g.add_edge(int(u), int(v), w=w)
    out = np.full((net.n_nodes, net.n_nodes), np.inf)
    for o, dists in nx.all_pairs_dijkstra_path_length(g, weight="w"):
        for d, t in dists.items():
            out[o, d] = t
    return out


def test_topology(net):
    assert net.n_nodes == 6
    assert net.n_edges == 12
    assert net.node_ids == tuple("ABCDEF")
    assert net.node_index["C"] == C
    assert net.total_km() == pytest.approx(5.5)  # two-way roads once, shortest of parallels
    assert sorted(net.edges_named("Long Road")) == sorted(
        net.edges_between(A, B) + net.edges_between(B, A) + [arc(net, B, C), arc(net, C, B)])
    assert net.edges_named("Short Rd") == net.edges_named("Short Road")
    assert len(net.edges_between(B, C)) == 2
    assert net.edges_between(C, E) == []
    assert net.edge_bridge[arc(net, D, E)] and not net.edge_bridge[arc(net, A, B)]
    assert net.edge_oneway[arc(net, E, C)] and not net.edge_oneway[arc(net, A, B)]
    assert net.bbox == pytest.approx((39.15, 117.15, 39.155, 117.15))
    with pytest.raises(ValueError):
        net.lat[0] = 0.0


def test_edges_named_by_whole_name_and_by_each_part_ascending():
    """A road named ``a / b`` (two names for one road) is found by either part and by the
    whole name; arcs come in index order; a caller changing the list changes nothing."""
    from conftest import line_graph

    g = line_graph(4)
    for u, v, data in g.edges(data=True):
        if {u, v} == {"N1", "N2"}:
            data["name"], data["name_en"] = "红桥路 / 北马路", "Hongqiao Rd / Beima Rd"
    net = RoadNetwork.from_networkx(g)
    middle = sorted(net.edges_between(1, 2) + net.edges_between(2, 1))
    for name in ("红桥路", "北马路", "红桥路 / 北马路", "Beima Rd", "Hongqiao Rd / Beima Rd"):
        assert net.edges_named(name) == middle
    assert net.edges_named("Test Road") == sorted(set(range(net.n_edges)) - set(middle))
    assert net.edges_named("Hongqiao") == [] and net.edges_named("Unknown Road") == []
    net.edges_named("红桥路").clear()
    assert net.edges_named("红桥路") == middle


def test_car_times_are_hand_values_and_match_networkx(net):
    tt = TravelTimes(net)
    assert tt.times_from(A, "car").tolist() == pytest.approx([0, 100, 150, 50, 100, 350])
    # C cannot go back through the one-way E->C: C->A is C-B-A.
    assert tt.times_to(A, "car").tolist() == pytest.approx([0, 100, 200, 50, 100, 400])
    assert tt.time(C, A, "car") == pytest.approx(200)
    for vehicle in VEHICLES:
        ref = nx_times(net, tt, vehicle)
        for o in range(6):
            np.testing.assert_allclose(tt.times_from(o, vehicle), ref[o])
            np.testing.assert_allclose(tt.times_to(o, vehicle), ref[:, o])


def test_parallel_arcs_keep_the_fastest_not_the_sum(net):
    assert TravelTimes(net).time(B, C, "car") == pytest.approx(100)


def test_vehicle_speeds(net):
    tt = TravelTimes(net)
    assert tt.time(A, B, "fire_engine") == pytest.approx(1000 / (36 * 1.1 / 3.6))
    assert tt.time(A, B, "truck") == pytest.approx(1000 / 8)
    assert tt.time(A, B, "high_clearance") == pytest.approx(tt.time(A, B, "truck"))
    assert tt.time(A, B, "foot") == pytest.approx(1000 / 1.3)


def test_routes_respect_one_way_except_on_foot(net):
    tt = TravelTimes(net)
    assert tt.route(A, F, "car") == [A, D, E, C, F]
    assert tt.route(C, A, "car") == [C, B, A]
    assert tt.route(C, A, "foot") == [C, E, D, A]
    assert tt.route(A, A, "car") == [A]
    route = tt.route(C, A, "foot")
    assert tt.route_edges(route, "foot") == [arc(net, E, C), arc(net, E, D), arc(net, D, A)]


def test_closure_lengthens_and_reopen_restores(net):
    tt = TravelTimes(net)
    before = {v: np.array([tt.times_from(o, v) for o in range(6)]) for v in VEHICLES}
    tt.close(arc(net, E, C))
    assert tt.time(A, C, "car") == pytest.approx(200)
    assert tt.route(A, C, "car") == [A, B, C]
    tt.close(net.edges_between(B, C) + net.edges_between(E, C))
    assert tt.time(A, C, "car") == np.inf
    assert tt.route(A, C, "car") == []
    assert tt.closed_edges("car") == sorted(net.edges_between(B, C) + [arc(net, E, C)])
    for v in VEHICLES:
        after = np.array([tt.times_from(o, v) for o in range(6)])
        assert np.all(after >= before[v] - 1e-9)
    tt.reopen(range(net.n_edges))
    for v in VEHICLES:
        np.testing.assert_array_equal([tt.times_from(o, v) for o in range(6)], before[v])


def test_per_vehicle_closure_affects_only_that_class(net):
    tt = TravelTimes(net)
    fire = tt.times_from(A, "fire_engine").copy()
    tt.close([arc(net, E, C)], vehicles=["car"])
    assert tt.time(A, C, "car") == pytest.approx(200)
    np.testing.assert_array_equal(tt.times_from(A, "fire_engine"), fire)


def test_slowdown_factor(net):
    tt = TravelTimes(net)
    tt.set_edge_factor(net.edges_between(A, D), 0.5, vehicles=["car"])
    assert tt.time(A, D, "car") == pytest.approx(100)
    assert tt.time(D, A, "car") == pytest.approx(50)
    with pytest.raises(ValueError):
        tt.set_edge_factor([0], -1)
    with pytest.raises(IndexError):
        tt.close([99])
    with pytest.raises(KeyError, match="unknown vehicle"):
        tt.time(A, B, "hovercraft")


@pytest.mark.parametrize(("u", "v", "expected_users"), [(D, E, [A, B, C, D, F]), (E, D, [E])])
def test_cache_recomputes_only_affected_origins(net, u, v, expected_users):
    tt = TravelTimes(net)
    trees = {o: tt.times_from(o, "car") for o in range(6)}
    preds = {o: tt._from["car", o][1].copy() for o in range(6)}
    runs, version = tt.dijkstra_runs, tt.version
    assert runs == 6
    for o in range(6):  # cached: no new runs
        tt.time(o, F, "car")
    assert tt.dijkstra_runs == runs
    users = [o for o in range(6) if preds[o][v] == u]  # trees using arc u->v
    assert users == expected_users
    tt.close(net.edges_between(u, v), vehicles=["car"])
    assert tt.version > version
    assert tt.cached_origins("car") == [o for o in range(6) if o not in users]
    for o in range(6):
        tt.times_from(o, "car")
    assert tt.dijkstra_runs == runs + len(users)
    # Reopening brings back the trees of the open network, kept aside at the closure:
    # the same arrays, no Dijkstra run.
    runs = tt.dijkstra_runs
    tt.reopen(net.edges_between(u, v), vehicles=["car"])
    assert tt.cached_origins("car") == list(range(6))
    assert all(tt.times_from(o, "car") is trees[o] for o in range(6))
    assert tt.dijkstra_runs == runs
    # With no trees of the open network to bring back, reopening drops only the trees
    # the arc now shortens (dist[u] + 50 < dist[v]).
    tt = TravelTimes(net)
    tt.close(net.edges_between(u, v), vehicles=["car"])
    dists = {o: tt.times_from(o, "car") for o in range(6)}
    shortened = [o for o in range(6) if dists[o][u] + 50 < dists[o][v]]
    assert shortened == users
    runs = tt.dijkstra_runs
    tt.reopen(net.edges_between(u, v), vehicles=["car"])
    assert tt.cached_origins("car") == [o for o in range(6) if o not in shortened]
    for o in range(6):
        np.testing.assert_array_equal(tt.times_from(o, "car"), trees[o])
    assert tt.dijkstra_runs == runs + len(shortened)


def test_unchanged_weight_keeps_cache(net):
    tt = TravelTimes(net)
    tt.times_from(A, "car")
    version = tt.version
    tt.close(max(net.edges_between(B, C), key=lambda e: net.edge_length_m[e]), ["car"])
    assert tt.version == version  # the slower parallel arc is not the one in use
    assert tt.cached_origins("car") == [A]


def test_cache_memory_is_origins_times_nodes(net):
    tt = TravelTimes(net)
    for o in (A, B, C):
        tt.times_from(o, "car")
    assert tt.cache_nbytes() <= 3 * net.n_nodes * (8 + 8)


def test_nearest_node_and_haversine(net):
    node, dist = net.nearest_node(39.1521, 117.1501)
    assert node == C
    assert dist == pytest.approx(haversine_m(39.1521, 117.1501, 39.152, 117.15))
    assert haversine_m(39.0, 117.0, 40.0, 117.0) == pytest.approx(111_195, rel=1e-3)


@pytest.mark.parametrize(("value", "expected"), [
    ("50", 50.0), (50, 50.0), ("50 mph", 80.4672), ("['40', '50']", 45.0), (["30", "50"], 40.0),
    (None, None), ("none", None), ("signals", None), ("CN:urban", 50.0), ("", None),
])
def test_parse_maxspeed(value, expected):
    result = parse_maxspeed(value)
    assert result == (None if expected is None else pytest.approx(expected))


@pytest.mark.parametrize(("value", "expected"), [
    ("primary", "primary"), ("['primary', 'secondary']", "primary"), (["tertiary"], "tertiary"),
    ("primary_link", "primary"), ("footway", "path"), ("bogus", "unclassified"),
    (None, "unclassified"),
])
def test_road_class(value, expected):
    assert road_class(value) == expected


def test_parse_bool():
    assert [parse_bool(v) for v in (True, "True", "yes", "1", "viaduct")] == [True] * 5
    assert [parse_bool(v) for v in (False, "False", "no", "0", None, "")] == [False] * 6


def test_from_networkx_errors():
    with pytest.raises(ValueError, match="no nodes"):
        RoadNetwork.from_networkx(nx.MultiDiGraph())
    g = nx.MultiDiGraph()
    g.add_node(1, x=117.1)
    with pytest.raises(ValueError, match="'x'/'y'"):
        RoadNetwork.from_networkx(g)


def test_missing_length_is_haversine():
    g = nx.MultiDiGraph()
    g.add_node(0, y=39.0, x=117.0)
    g.add_node(1, y=39.01, x=117.0)
    g.add_edge(0, 1, highway="residential")
    net = RoadNetwork.from_networkx(g)
    assert net.edge_length_m[0] == pytest.approx(haversine_m(39.0, 117.0, 39.01, 117.0))
    assert net.edge_speed_kmh[0] == 25.0


def test_core_modules_do_not_import_yaml_or_matplotlib():
    code = ("import sys, drillsim.network.graph, drillsim.network.places; "
            "print(sorted(m for m in ('yaml', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _point(radius_m: float, roads: list[str] | None) -> WaterloggingPoint:
    return WaterloggingPoint(id="p", location={"lat": 39.151, "lon": 117.15}, catchment_ha=1,
                             runoff_coeff=0.5, drain_m3_s=0.1, area_m2=100,
                             radius_m=radius_m, roads=roads)


def test_point_edges_are_the_named_roads_within_the_radius(net):
    # arcs whose midpoint is within 60 m of B (midpoints 55.6 m away): A-B, B-C (both
    # arcs B->C), A-D; the others' midpoints are 167 m or more away
    near = sorted(net.edges_between(A, B) + net.edges_between(B, A) + net.edges_between(B, C)
                  + net.edges_between(C, B) + net.edges_between(A, D) + net.edges_between(D, A))
    assert point_edges(net, B, _point(60, None)).tolist() == near
    assert point_edges(net, B, _point(60, ["Long Road"])).tolist() == sorted(
        net.edges_named("Long Road"))  # the parallel B->C arc has no name
    assert point_edges(net, B, _point(60, ["Long Road", "Short Rd"])).tolist() == sorted(
        net.edges_named("Long Road"))  # Short Road is 278 m away
    assert point_edges(net, B, _point(300, ["Short Rd"])).tolist() == sorted(
        net.edges_named("Short Road"))
    assert point_edges(net, B, _point(300, ["Short Rd"])).dtype == np.int64


def test_tree_cache_is_bounded_and_answers_stay_the_same():
    """Beyond ``max_cache_bytes`` the oldest trees are dropped (memory flat over a long
    sweep); a dropped tree is recomputed and gives the same times."""
    from conftest import line_graph

    from drillsim.network.graph import RoadNetwork, TravelTimes

    net = RoadNetwork.from_networkx(line_graph(6))
    free = TravelTimes(net)
    tt = TravelTimes(net)
    per_tree = 2 * 8 * net.n_nodes
    tt.max_cache_bytes = 2 * per_tree
    for o in range(net.n_nodes):
        assert np.array_equal(tt.times_from(o, "fire_engine"), free.times_from(o, "fire_engine"))
        assert len(tt.cached_origins("fire_engine")) <= 2
    assert tt.cache_nbytes() <= 2 * per_tree
    assert tt.cached_origins("fire_engine") == [net.n_nodes - 2, net.n_nodes - 1]
    assert np.array_equal(tt.times_from(0, "fire_engine"), free.times_from(0, "fire_engine"))
