"""Travel-time engine benchmarks: run ``python benchmarks/bench_network.py``.

Measures, in one run, on seeded synthetic jittered-grid road networks:

1. a cached travel-time lookup against one networkx Dijkstra query (target: >= 50x);
2. recomputation after a closure against one plain scipy Dijkstra per affected
   origin (target: <= 2x);
3. memory of the cached tables against origins x nodes x 8 bytes (grows with
   origins x nodes, never nodes^2);
4. loading a 50,000-node osmnx-style GraphML file and routing on it.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
from scipy.sparse.csgraph import dijkstra

from drillsim.network.graph import RoadNetwork, TravelTimes
from drillsim.network.graphml import load_graphml


def jittered_grid(side: int, seed: int, as_strings: bool = False) -> nx.MultiDiGraph:
    """A ``side`` x ``side`` street grid (~250 m blocks) with jittered nodes, two-way
    streets, an arterial every fifth line; attributes as strings when ``as_strings``."""
    rng = np.random.default_rng(seed)
    g = nx.MultiDiGraph()
    lat = 39.1 + 0.00225 * np.arange(side)[:, None] + rng.normal(0, 2e-4, (side, side))
    lon = 117.1 + 0.0029 * np.arange(side)[None, :] + rng.normal(0, 2e-4, (side, side))
    fmt = str if as_strings else (lambda x: x)
    for r in range(side):
        for c in range(side):
            g.add_node(r * side + c, y=fmt(float(lat[r, c])), x=fmt(float(lon[r, c])))
    for r in range(side):
        for c in range(side):
            for r2, c2 in ((r, c + 1), (r + 1, c)):
                if r2 < side and c2 < side:
                    arterial = r % 5 == 0 if r2 == r else c % 5 == 0
                    attrs = {"highway": "primary" if arterial else "residential",
                             "maxspeed": "50" if arterial else "30", "oneway": "False",
                             "length": fmt(float(rng.uniform(220, 280)))}
                    a, b = r * side + c, r2 * side + c2
                    g.add_edge(a, b, **attrs)
                    g.add_edge(b, a, **attrs)
    return g


def best_of(fn, repeat: int = 5) -> float:
    """Fastest of ``repeat`` runs of ``fn()``, seconds."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_lookup(net: RoadNetwork, g: nx.DiGraph, rng: np.random.Generator) -> tuple:
    tt = TravelTimes(net)
    origins = rng.choice(net.n_nodes, 10, replace=False)
    dests = rng.choice(net.n_nodes, 2000)
    for o in origins:
        tt.times_from(int(o), "car")
    pairs = [(int(origins[i % 10]), int(d)) for i, d in enumerate(dests)]

    def lookups():
        for o, d in pairs:
            tt.time(o, d, "car")

    per_lookup = best_of(lookups) / len(pairs)
    queries = pairs[:20]
    t0 = time.perf_counter()
    for o, d in queries:
        nx.shortest_path_length(g, o, d, weight="w", method="dijkstra")
    per_nx = (time.perf_counter() - t0) / len(queries)
    return per_lookup, per_nx


def bench_closure(net: RoadNetwork, rng: np.random.Generator) -> tuple:
    tt = TravelTimes(net)
    origins = [int(o) for o in rng.choice(net.n_nodes, 20, replace=False)]
    for o in origins:
        tt.times_from(o, "car")
    # Close every arc of a 2 km stretch of one arterial.
    lat0 = net.lat.mean()
    mid_lat = (net.lat[net.edge_u] + net.lat[net.edge_v]) / 2
    on_line = [e for e in np.flatnonzero(np.abs(mid_lat - lat0) < 0.004)
               if net.edge_highway[e] == "primary"][:16]
    runs = tt.dijkstra_runs
    t0 = time.perf_counter()
    tt.close(on_line, vehicles=["car"])
    for o in origins:
        tt.times_from(o, "car")
    recompute = time.perf_counter() - t0
    affected = tt.dijkstra_runs - runs
    matrix = tt._graph("car").csr
    plain = best_of(lambda: dijkstra(matrix, indices=[origins[0]], return_predecessors=True))
    return recompute, affected, plain, len(origins)


def bench_memory(net: RoadNetwork) -> tuple:
    tt = TravelTimes(net)
    origins = range(0, net.n_nodes, max(1, net.n_nodes // 25))[:25]
    for o in origins:
        tt.times_from(o, "fire_engine")
    return tt.cache_nbytes(), len(origins) * net.n_nodes * 8


def bench_big_graphml(side: int) -> tuple:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.graphml"
        nx.write_graphml(jittered_grid(side, seed=3, as_strings=True), path)
        size_mb = path.stat().st_size / 1e6
        t0 = time.perf_counter()
        net = load_graphml(path)
        load_s = time.perf_counter() - t0
    tt = TravelTimes(net)
    t0 = time.perf_counter()
    route = tt.route(0, net.n_nodes - 1, "fire_engine")
    route_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    tt.times_from(net.n_nodes // 2, "fire_engine")
    tree_s = time.perf_counter() - t0
    return net, size_mb, load_s, route_s, tree_s, len(route)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=100, help="grid side for tests 1-3")
    parser.add_argument("--big-side", type=int, default=224, help="grid side for test 4")
    args = parser.parse_args()
    rng = np.random.default_rng(20260715)
    net = RoadNetwork.from_networkx(jittered_grid(args.side, seed=1))
    g = nx.DiGraph()
    tt = TravelTimes(net)
    weights = tt._graph("car").edge_time_s(np.arange(net.n_edges))
    for e in range(net.n_edges):
        g.add_edge(int(net.edge_u[e]), int(net.edge_v[e]), w=float(weights[e]))

    rows = []
    per_lookup, per_nx = bench_lookup(net, g, rng)
    figures = f"{per_lookup * 1e6:.2f} us vs {per_nx * 1e3:.2f} ms"
    rows.append(("lookup vs networkx dijkstra", figures, f"{per_nx / per_lookup:,.0f}x cheaper",
                 ">= 50x"))
    recompute, affected, plain, n_origins = bench_closure(net, rng)
    ratio = recompute / (max(affected, 1) * plain)
    rows.append(("recompute after closure", f"{recompute * 1e3:.2f} ms for {affected}/{n_origins} "
                 f"origins; plain {plain * 1e3:.2f} ms", f"{ratio:.2f}x", "<= 2x"))
    cached, expected = bench_memory(net)
    rows.append(("cache memory / (origins x nodes x 8 B)", f"{cached / 1e6:.2f} MB",
                 f"{cached / expected:.2f}", "O(1), dist + pred"))
    big, size_mb, load_s, route_s, tree_s, hops = bench_big_graphml(args.big_side)
    rows.append((f"GraphML {big.n_nodes:,} nodes, {big.n_edges:,} arcs ({size_mb:.0f} MB)",
                 f"load {load_s:.1f} s", f"first route {route_s * 1e3:.0f} ms ({hops} nodes), "
                 f"next tree {tree_s * 1e3:.0f} ms", "loads and routes"))

    print(f"network for 1-3: {net.n_nodes:,} nodes, {net.n_edges:,} arcs")
    header = ("measure", "figures", "ratio", "target")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(4)]
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
