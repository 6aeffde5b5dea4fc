"""Travel times from scipy's Dijkstra agree with networkx on a jittered grid city."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from drillsim.network.graph import RoadNetwork, TravelTimes


def jittered_grid(side: int, seed: int) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    for r in range(side):
        for c in range(side):
            g.add_node(r * side + c, y=39.1 + 0.002 * r + rng.normal(0, 2e-4),
                       x=117.1 + 0.0026 * c + rng.normal(0, 2e-4))
    for r in range(side):
        for c in range(side):
            for nb in ((r, c + 1), (r + 1, c)):
                if nb[0] < side and nb[1] < side:
                    hw = "primary" if r % 5 == 0 or c % 5 == 0 else "residential"
                    a, b = r * side + c, nb[0] * side + nb[1]
                    g.add_edge(a, b, highway=hw)
                    g.add_edge(b, a, highway=hw)
    return g


def test_matches_networkx_dijkstra():
    net = RoadNetwork.from_networkx(jittered_grid(25, seed=7))
    tt = TravelTimes(net)
    ref = nx.DiGraph()
    for e in range(net.n_edges):
        w = net.edge_length_m[e] / (min(net.edge_speed_kmh[e], 120.0) / 3.6)
        ref.add_edge(int(net.edge_u[e]), int(net.edge_v[e]), w=w)
    for origin in (0, 312, 624):
        expected = nx.single_source_dijkstra_path_length(ref, origin, weight="w")
        got = tt.times_from(origin, "car")
        for node, t in expected.items():
            assert got[node] == pytest.approx(t, rel=1e-9)
        path = tt.route(origin, 100, "car")
        assert sum(ref[a][b]["w"] for a, b in zip(path[:-1], path[1:], strict=True)) \
            == pytest.approx(expected[100], rel=1e-9)


@pytest.mark.slow
def test_50k_node_graphml_loads_and_routes(tmp_path):
    from drillsim.network.graphml import load_graphml

    path = tmp_path / "big.graphml"
    nx.write_graphml(jittered_grid(224, seed=3), path)
    net = load_graphml(path)
    assert net.n_nodes == 224 * 224
    corner, far = net.node_index["0"], net.node_index[str(net.n_nodes - 1)]
    route = TravelTimes(net).route(corner, far, "fire_engine")
    assert len(route) >= 2 * 223 + 1
