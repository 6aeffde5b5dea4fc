"""The cached shortest-path trees stay exact through any sequence of road changes.

Closures, reopenings, slowdowns and weather keep some trees, drop others and bring back
trees kept aside for an earlier road state (:class:`~drillsim.network.graph.TravelTimes`).
Whatever the sequence, every answer must equal a fresh Dijkstra on the weights of the
moment: a fresh :class:`TravelTimes` given the same changes and no queries in between.
"""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.network.graph import RoadNetwork, TravelTimes

VEHICLES = ("fire_engine", "car", "foot")


def grid_network() -> RoadNetwork:
    """A 4 x 3 grid, arcs 300-900 m long (fixed draws), a few one-way, classes mixed."""
    rng = np.random.default_rng(7)
    g = nx.MultiDiGraph()
    cols, rows = 4, 3
    for r in range(rows):
        for c in range(cols):
            g.add_node(f"n{r}{c}", y=39.15 + 0.004 * r, x=117.15 + 0.005 * c)
    classes = ("primary", "residential", "service", "footway")
    k = 0
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((0, 1), (1, 0)):
                if r + dr >= rows or c + dc >= cols:
                    continue
                a, b = f"n{r}{c}", f"n{r + dr}{c + dc}"
                attrs = dict(length=float(rng.uniform(300, 900)), highway=classes[k % 4])
                k += 1
                g.add_edge(a, b, **attrs)
                if k % 5:  # every fifth road one-way
                    g.add_edge(b, a, **attrs)
    g.add_edge("n00", "n11", length=700.0, highway="primary")  # a diagonal shortcut
    return RoadNetwork.from_networkx(g)


NET = grid_network()

change = st.one_of(
    st.tuples(st.just("factor"), st.lists(st.integers(0, NET.n_edges - 1), min_size=1,
                                          max_size=4),
              st.sampled_from([0.0, 0.0, 1.0, 1.0, 0.5]),
              st.sampled_from([None, ("car",), ("fire_engine", "foot")])),
    st.tuples(st.just("weather"), st.sampled_from([1.0, 0.7])),
)
query = st.tuples(st.just("query"), st.sampled_from(["from", "to", "route"]),
                  st.integers(0, NET.n_nodes - 1), st.integers(0, NET.n_nodes - 1),
                  st.sampled_from(VEHICLES))


def apply(tt: TravelTimes, op: tuple) -> None:
    if op[0] == "factor":
        tt.set_edge_factor(op[1], op[2], op[3])
    else:
        tt.set_weather_factor(op[1])


def check_route(tt: TravelTimes, o: int, d: int, vehicle: str, ref: np.ndarray) -> None:
    """The route runs from ``o`` to ``d`` over open arcs and takes the fresh time."""
    nodes, times = tt.route_times(o, d, vehicle)
    if not np.isfinite(ref[d]):
        assert nodes == ()
        return
    assert nodes[0] == o and nodes[-1] == d
    graph = tt._graph(vehicle)
    for u, v, t0, t1 in zip(nodes[:-1], nodes[1:], times[:-1], times[1:], strict=True):
        w = graph.csr.scipy()[u, v]
        assert 0 < w < 1e14  # an open arc
        assert t1 - t0 == pytest.approx(w, rel=1e-9, abs=1e-9)
    assert times[-1] == pytest.approx(ref[d], rel=1e-12)


@settings(max_examples=150, deadline=None)
@given(ops=st.lists(st.one_of(change, query, query), min_size=1, max_size=40),
       small_cache=st.booleans())
def test_cached_answers_equal_a_fresh_dijkstra(ops, small_cache):
    tt = TravelTimes(NET)
    if small_cache:  # room for 3 trees in all: evictions, parked trees dropped
        tt.max_cache_bytes = 3 * 16 * NET.n_nodes
    done: list[tuple] = []
    for op in ops:
        if op[0] != "query":
            apply(tt, op)
            done.append(op)
            continue
        _, kind, a, b, vehicle = op
        fresh = TravelTimes(NET)
        for past in done:
            apply(fresh, past)
        if kind == "to":
            np.testing.assert_allclose(tt.times_to(a, vehicle), fresh.times_to(a, vehicle),
                                       rtol=1e-12)
        else:
            ref = fresh.times_from(a, vehicle)
            np.testing.assert_allclose(tt.times_from(a, vehicle), ref, rtol=1e-12)
            if kind == "route":
                check_route(tt, a, b, vehicle, ref)
        graph, fresh_graph = tt._graph(vehicle), fresh._graph(vehicle)
        assert graph.enterable == fresh_graph.enterable
        assert (graph.reverse.scipy() != fresh_graph.csr.scipy().transpose().tocsr()).nnz == 0
    if small_cache:
        assert tt.cache_nbytes() <= tt.max_cache_bytes


def test_reopening_brings_back_the_trees_of_the_open_roads():
    """Close, query, reopen: the trees of the open network come back unchanged (the same
    arrays), with no Dijkstra run; closing again brings back the closed network's."""
    tt = TravelTimes(NET)
    open_trees = {o: tt.times_from(o, "car") for o in range(NET.n_nodes)}
    open_to = {d: tt.times_to(d, "car") for d in range(NET.n_nodes)}
    tt.close([0, 1])
    closed_trees = {o: tt.times_from(o, "car") for o in range(NET.n_nodes)}
    runs = tt.dijkstra_runs
    tt.reopen([0, 1])
    assert all(tt.times_from(o, "car") is open_trees[o] for o in range(NET.n_nodes))
    assert all(tt.times_to(d, "car") is open_to[d] for d in range(NET.n_nodes))
    tt.close([1, 0])
    assert all(tt.times_from(o, "car") is closed_trees[o] for o in range(NET.n_nodes))
    assert tt.dijkstra_runs == runs
    # weather and back: the dry network's trees come back too
    tt.reopen([0, 1])
    tt.set_weather_factor(0.7)
    assert tt.times_from(0, "car")[5] > open_trees[0][5]
    tt.set_weather_factor(1.0)
    assert tt.times_from(0, "car") is open_trees[0]


def test_rain_and_flooding_together_then_dry_again_bring_the_dry_trees_back():
    """Weather and road changes made together (the rain starts and streets flood before the
    next question) keep every dry tree under the dry state, even those the flooded arcs do
    not touch: when the rain stops and the roads reopen, all of them come back."""
    tt = TravelTimes(NET)
    dry = {o: tt.times_from(o, "truck") for o in range(NET.n_nodes)}
    preds = [tt._from["truck", o][1] for o in range(NET.n_nodes)]
    users = [sum(p[NET.edge_v[e]] == NET.edge_u[e] for p in preds) for e in range(NET.n_edges)]
    arc = next(e for e, n in enumerate(users) if 0 < n < NET.n_nodes // 2)  # a few trees'
    tt.set_weather_factor(0.7)
    tt.close(arc)
    wet = tt.times_from(5, "truck")
    assert wet[0] > dry[5][0]
    runs = tt.dijkstra_runs
    tt.reopen(arc)
    tt.set_weather_factor(1.0)
    assert all(tt.times_from(o, "truck") is dry[o] for o in range(NET.n_nodes))
    assert tt.dijkstra_runs == runs


def test_trees_kept_aside_are_bounded():
    """Trees kept for earlier road states count against ``max_cache_bytes``: the oldest
    state's go first, and the memory held stays bounded whatever the changes."""
    tt = TravelTimes(NET)
    per_tree = 16 * NET.n_nodes
    tt.max_cache_bytes = 4 * per_tree
    for k in range(30):  # thirty different road states, each with its trees
        tt.set_edge_factor([k % NET.n_edges], 0.5 + 0.01 * k, ["car"])
        for o in range(4):
            tt.times_from(o, "car")
        assert tt.cache_nbytes() <= tt.max_cache_bytes  # cached and kept aside, in all
    assert tt._parked_bytes <= tt.max_cache_bytes


def test_the_tree_cache_drops_the_least_recently_used():
    """One bound for both directions: a tree asked for again is kept, the one of the
    fuller direction not asked for longest goes; answers stay those of a fresh
    computation."""
    tt, fresh = TravelTimes(NET), TravelTimes(NET)
    per_tree = tt.times_from(0, "car").nbytes + tt._from["car", 0][1].nbytes
    tt.max_cache_bytes = 3 * per_tree
    tt.times_to(1, "car")
    tt.times_from(2, "car")
    tt.times_from(0, "car")  # used again: now the most recent
    tt.times_from(3, "car")  # one too many: the tree from 2 goes (from holds more)
    assert tt.cached_origins("car") == [0, 3] and list(tt._to) == [("car", 1)]
    tt.times_to(4, "car")  # as many trees each way: the other direction's oldest goes
    assert tt.cached_origins("car") == [3] and list(tt._to) == [("car", 1), ("car", 4)]
    assert tt.cache_nbytes() <= tt.max_cache_bytes
    runs = tt.dijkstra_runs
    assert np.array_equal(tt.times_from(2, "car"), fresh.times_from(2, "car"))
    assert tt.dijkstra_runs == runs + 1


def test_world_keeps_snaps_and_road_change_arcs(ring_world):
    """A coordinate snaps to the same node and a road change names the same arcs every
    run; the world keeps both (read-only arcs), keyed by what the drill file says."""
    from drillsim.network.fit import snap
    from drillsim.network.road_changes import road_change_edges
    from drillsim.scenarios.schema import Location, RoadChange

    world = ring_world
    net = world.network
    here = Location(lat=39.1551, lon=117.1501)
    node = snap(net, 39.1551, 117.1501)[0]
    assert world.node_of(here) == node == world.node_of(Location(lat=39.1551, lon=117.1501))
    assert net.node_ids[node] == "N1"
    near = RoadChange(at=0, kind="road_closed", road="North Road", near=here, radius_m=100)
    whole = RoadChange(at=0, kind="road_closed", road="North Road")
    edges = road_change_edges(world, near)
    assert road_change_edges(world, near) is edges and not edges.flags.writeable
    # arc midpoints of North Road: N0-N1 278 m from N1, N1-N2 432 m
    assert edges.tolist() == []
    wide = RoadChange(at=0, kind="road_reopened", road="North Road", near=here, radius_m=400)
    n0, n1 = net.node_index["N0"], net.node_index["N1"]
    assert sorted(road_change_edges(world, wide).tolist()) == sorted(
        net.edges_between(n0, n1) + net.edges_between(n1, n0))
    assert sorted(road_change_edges(world, whole).tolist()) == sorted(net.edges_named(
        "North Road"))


def test_a_road_state_has_one_key_however_it_was_reached():
    """The key of the road weights (trees are kept under it) is the same for the same
    weights whatever changes led there, differs for different weights, and is the digest
    of every weight for the unchanged roads (the disk cache names trees by it)."""
    import hashlib

    tt = TravelTimes(NET)
    graph = tt._graph("car")
    assert graph.key == graph.unchanged_key == hashlib.blake2b(
        graph.csr.data.tobytes(), digest_size=16).digest()
    seen = {}

    def key_now(state: str) -> bytes:
        key = tt._graph("car").key
        assert seen.setdefault(state, key) == key  # the same state: the same key
        return key

    open_key = key_now("open")
    tt.close([0])
    tt.close([3])
    key_now("0, 3 closed")
    tt.reopen([0, 3])
    assert key_now("open") == open_key
    tt.close([3, 0])  # another order, in one change
    key_now("0, 3 closed")
    tt.set_edge_factor([3], 0.5)
    key_now("0 closed, 3 slow")
    tt.reopen([0, 3])
    tt.set_weather_factor(0.7)  # every slot changes
    key_now("rain")
    tt.close([0])
    key_now("rain, 0 closed")
    tt.reopen([0])
    key_now("rain")
    tt.set_weather_factor(1.0)
    key_now("open")
    assert len(set(seen.values())) == len(seen)  # different weights, different keys
