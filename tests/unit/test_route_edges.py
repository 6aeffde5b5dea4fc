"""``TravelTimes.route_edges`` finds every hop's arcs at once: for routes across the
district, with roads closed to cars, it must name the arcs the rule names hop by hop (the
arcs from one node to the next in arc order, for a walker then the arcs back; the fastest
open one now, the first of them on a tie)."""

from __future__ import annotations

import numpy as np
import pytest

from drillsim.network.graph import RoadNetwork, TravelTimes
from drillsim.network.world import load_world
from tests.unit.test_network import B, C, hand_graph


def _by_the_rule(tt: TravelTimes, route: list[int], vehicle: str) -> list[int]:
    net = tt.network
    graph = tt._graph(vehicle)
    out = []
    for u, v in zip(route[:-1], route[1:], strict=True):
        arcs = [e for e in range(net.n_edges) if net.edge_u[e] == u and net.edge_v[e] == v]
        if tt.vehicles[vehicle].ignores_oneway:
            arcs += [e for e in range(net.n_edges)
                     if net.edge_u[e] == v and net.edge_v[e] == u]
        times = [float(graph.edge_time_s(np.array([e]))[0]) for e in arcs]
        out.append(arcs[times.index(min(times))])
    return out


@pytest.mark.parametrize("vehicle", ["foot", "car"])
def test_route_edges_name_the_arcs_the_rule_names(vehicle):
    world = load_world()
    net = world.network
    tt = TravelTimes(net)
    rng = np.random.default_rng(7)
    closed = rng.choice(net.n_edges, size=net.n_edges // 10, replace=False)
    tt.close(closed, ["car"])
    routes = [tt.route(int(o), int(d), vehicle)
              for o, d in rng.choice(net.n_nodes, size=(30, 2)) if o != d]
    routes = [r for r in routes if len(r) > 1]
    assert len(routes) >= 20 and sum(len(r) for r in routes) > 300
    for route in routes:
        assert tt.route_edges(route, vehicle) == _by_the_rule(tt, route, vehicle)
    assert tt.route_edges([routes[0][0]], vehicle) == []


def test_route_edges_take_the_faster_parallel_arc_open_now():
    """B->C has a 1,000 m arc and a parallel 1,500 m one (the hand-checkable network of
    test_network.py): the shorter one while open, the longer once it is closed; on foot
    the arc back from C is as fast as the short one and comes after it."""
    net = RoadNetwork.from_networkx(hand_graph())
    tt = TravelTimes(net)
    arcs = sorted(net.edges_between(B, C), key=lambda e: net.edge_length_m[e])
    short, long_ = arcs
    assert tt.route_edges([B, C], "car") == [short] == _by_the_rule(tt, [B, C], "car")
    assert tt.route_edges([B, C], "foot") == [short] == _by_the_rule(tt, [B, C], "foot")
    tt.close(short, ["car"])
    assert tt.route_edges([B, C], "car") == [long_] == _by_the_rule(tt, [B, C], "car")
