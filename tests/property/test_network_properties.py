"""Properties of the travel-time engine on random small grid networks."""

from __future__ import annotations

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.network.graph import RoadNetwork, TravelTimes


@st.composite
def grids_with_closures(draw):
    rows, cols = draw(st.integers(2, 4)), draw(st.integers(2, 4))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    for r in range(rows):
        for c in range(cols):
            g.add_node(f"{r}-{c}", y=39.1 + 0.002 * r, x=117.1 + 0.002 * c)
    classes = ["primary", "secondary", "residential", "service"]
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((0, 1), (1, 0)):
                if r + dr < rows and c + dc < cols:
                    a, b = f"{r}-{c}", f"{r + dr}-{c + dc}"
                    attrs = dict(length=float(rng.uniform(50, 500)),
                                 highway=classes[int(rng.integers(len(classes)))])
                    one_way = rng.random() < 0.3
                    g.add_edge(a, b, oneway=one_way, **attrs)
                    if not one_way:
                        g.add_edge(b, a, oneway=False, **attrs)
    net = RoadNetwork.from_networkx(g)
    closed = draw(st.lists(st.integers(0, net.n_edges - 1), max_size=net.n_edges, unique=True))
    vehicle = draw(st.sampled_from(["car", "fire_engine", "foot"]))
    return net, closed, vehicle


@settings(max_examples=60, deadline=None)
@given(grids_with_closures())
def test_closures_never_shorten_and_tables_are_consistent(case):
    net, closed, vehicle = case
    tt = TravelTimes(net)
    n = net.n_nodes
    before = np.array([tt.times_from(o, vehicle) for o in range(n)])
    tt.close(closed)
    after = np.array([tt.times_from(o, vehicle) for o in range(n)])
    assert np.all(after >= before - 1e-9)
    to = np.array([tt.times_to(d, vehicle) for d in range(n)])
    np.testing.assert_allclose(to.T, after)
    # Triangle inequality along every open arc: t(o, v) <= t(o, u) + w(u, v).
    graph = tt._graph(vehicle)
    w = graph.csr.scipy().toarray()
    for u, v in zip(graph.slot_u, graph.slot_v, strict=True):
        if w[u, v] < 1e14:
            assert np.all(after[:, v] <= after[:, u] + w[u, v] + 1e-6)
    np.testing.assert_allclose(np.diag(after), 0.0)
    tt.reopen(range(net.n_edges))
    np.testing.assert_array_equal([tt.times_from(o, vehicle) for o in range(n)], before)
