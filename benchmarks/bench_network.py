"""Travel-time engine benchmarks: run ``python benchmarks/bench_network.py``.

Measures, in one run, on seeded synthetic jittered-grid road networks:

1. a cached travel-time lookup against one networkx Dijkstra query (target: >= 50x);
2. recomputation after a closure against one plain scipy Dijkstra per affected
   origin (target: <= 2x);
3. memory of the cached tables against origins x nodes x 8 bytes (grows with
   origins x nodes, never nodes^2);
4. loading a 50,000-node osmnx-style GraphML file against the reference reader of the
   same file (osmnx's ``load_graphml`` when osmnx is installed, else networkx's
   ``read_graphml``, which osmnx itself calls), CPU time, interleaved (target ≤ 1.3×),
   and that opening and running a drill on it parses the file once;
5. memory across 100 drill runs in one process on that network (the tree cache is
   bounded): peak RSS after run 100 minus after run 10 (target ≤ 64 MB).

Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx
import numpy as np
from _bench import at_most, cpu_of, header, interleave
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
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
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
    t0 = time.process_time()
    for o, d in queries:
        nx.shortest_path_length(g, o, d, weight="w", method="dijkstra")
    per_nx = (time.process_time() - t0) / len(queries)
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
    t0 = time.process_time()
    tt.close(on_line, vehicles=["car"])
    for o in origins:
        tt.times_from(o, "car")
    recompute = time.process_time() - t0
    affected = tt.dijkstra_runs - runs
    matrix = tt._graph("car").csr.scipy()
    plain = best_of(lambda: dijkstra(matrix, indices=[origins[0]], return_predecessors=True))
    return recompute, affected, plain, len(origins)


def bench_memory(net: RoadNetwork) -> tuple:
    tt = TravelTimes(net)
    origins = range(0, net.n_nodes, max(1, net.n_nodes // 25))[:25]
    for o in origins:
        tt.times_from(o, "fire_engine")
    return tt.cache_nbytes(), len(origins) * net.n_nodes * 8


def reference_reader():
    """(name, function path -> graph) of the reference GraphML reader."""
    try:
        import osmnx

        return "osmnx.load_graphml", osmnx.load_graphml
    except ImportError:
        return "networkx.read_graphml (osmnx not installed)", \
            lambda p: nx.read_graphml(p, force_multigraph=True)


def bench_graphml_checks(side: int, reps: int, runs: int, bench) -> None:
    """GraphML load against the reference, parsed once per command, memory over runs."""
    from drillsim.api import open_drill, run_drill

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.graphml"
        nx.write_graphml(jittered_grid(side, seed=3, as_strings=True), path)
        name, ref = reference_reader()
        times = interleave({"drillsim": lambda: cpu_of(lambda: load_graphml(path)),
                            "reference": lambda: cpu_of(lambda: ref(path))}, reps)
        rel = [a / b for a, b in zip(times["drillsim"], times["reference"], strict=True)]
        bench.add(at_most(f"GraphML {side * side:,} nodes: load / reference", rel, 1.3, "×",
                          note=name))
        drill = Path(tmp) / "drill.yaml"
        drill.write_text("name: big\nstart: 2026-07-15T00:00:00+08:00\nduration: \"02:00\"\n"
                         "seed: 3\nnetwork: big.graphml\nbackground:\n  calls_per_day: 150\n"
                         "forces:\n  stations:\n    - id: s1\n      location: {node: '0'}\n"
                         "      personnel: 10\n      apparatus: [{id: E1, type: engine, crew: 5},"
                         " {id: E2, type: engine, crew: 5}]\n"
                         "      turnout: {day: 60 s, night: 90 s}\n"
                         "  teams: []\n  depots: []\n  shelters: []\n")
        parses = []
        real = nx.read_graphml  # drillsim imports networkx inside its readers

        def counting(*a, **k):
            parses.append(a[0])
            return real(*a, **k)

        nx.read_graphml = counting
        try:
            opened = open_drill(drill)
            run_drill(opened.scenario, world=opened.world)
        finally:
            nx.read_graphml = real
        bench.add(at_most("GraphML parses to open and run a drill", len(parses), 1))
        rss = []
        for k in range(runs):
            run_drill(opened.scenario, seed=k, world=opened.world)
            if k + 1 in (10, runs):
                rss.append(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        bench.add(at_most(f"peak RSS growth, runs 10 -> {runs}", rss[-1] - rss[0], 64, "MB",
                          note=f"tree cache {opened.world.travel.cache_nbytes() / 2**20:.0f} MB"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=100, help="grid side for tests 1-3")
    parser.add_argument("--big-side", type=int, default=224, help="grid side for tests 4-5")
    parser.add_argument("--reps", type=int, default=3, help="repetitions of the GraphML load")
    parser.add_argument("--runs", type=int, default=100, help="drill runs for the memory test")
    args = parser.parse_args()
    bench = header("networks")
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

    print(f"network for 1-3: {net.n_nodes:,} nodes, {net.n_edges:,} arcs")
    cols = ("measure", "figures", "ratio", "target")
    widths = [max(len(r[i]) for r in [cols, *rows]) for i in range(4)]
    print("  ".join(h.ljust(w) for h, w in zip(cols, widths, strict=True)))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    bench.add(at_most("cached lookup / networkx Dijkstra", per_lookup / per_nx,
                      1 / 50, "×", note="cached lookup at least 50x cheaper"))
    bench.add(at_most("recompute after closure / plain Dijkstra", ratio, 2.0, "×"))
    bench_graphml_checks(args.big_side, args.reps, args.runs, bench)
    return bench.done()


if __name__ == "__main__":
    sys.exit(main())
