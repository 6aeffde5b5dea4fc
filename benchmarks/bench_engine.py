"""Engine benchmark: simulated events per second against a bare SimPy loop, and ready drills.

Run: ``python benchmarks/bench_engine.py``. Every figure is a ratio against a
baseline measured in the same run (these machines are noisy); nothing here is a
test. Target: the drill engine processes SimPy events at no less than half the
rate of a bare SimPy loop with the same number of events.

Drills: every ready drill, plus a long busy fire drill (72 h of background calls at
150 a day, written to a temporary folder). Each drill is run once to warm the
travel-time cache, as in a sweep, then ``--reps`` times on the same world. A second
table gives, for each flood drill, the cost of the road-network updates as the
water rises: time in ``FloodModel._update_roads`` (speed factors set on flooded
arcs, trees dropped) and in shortest-path trees recomputed afterwards (re-routing,
dispatch), hour by hour and in total, as a share of the run's wall time.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import simpy

from drillsim.api import load_world
from drillsim.engine import Drill
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
READY = sorted((ROOT / "scenarios").glob("*.yaml"))

HEAVY = """\
name: heavy-fire-72h
start: 2026-07-15T00:00:00+08:00
duration: "72:00"
seed: 3
background:
  calls_per_day: 150
"""
"""A long busy fire drill: only background calls, about 9 000 SimPy events a run."""


def bare_simpy(n_events: int) -> float:
    """Seconds for SimPy to process ``n_events`` timeout events in one process."""
    env = simpy.Environment()

    def proc():
        for _ in range(n_events):
            yield env.timeout(1.0)

    env.process(proc())
    t0 = time.perf_counter()
    env.run()
    return time.perf_counter() - t0


def drill_events(scenario, world, seed: int, per_hour: dict | None = None
                 ) -> tuple[int, int, float]:
    """(SimPy events processed, records, seconds) for one run; with ``per_hour``, also
    the wall time of each simulated hour (seconds, keyed by hour)."""
    drill = Drill(scenario, world, seed)
    count = 0
    step, env = drill.env.step, drill.env
    clock = time.perf_counter

    def counting_step():
        nonlocal count
        count += 1
        step()

    def timed_step():
        nonlocal count
        count += 1
        hour = int(env.peek() // 3600)
        t = clock()
        step()
        per_hour[hour] += clock() - t

    drill.env.step = counting_step if per_hour is None else timed_step
    t0 = clock()
    result = drill.run()
    return count, len(result.records), clock() - t0


def fire_table(drills: list[tuple[str, Path]], reps: int) -> None:
    print(f"{'drill':32s} {'events':>7s} {'records':>8s} {'wall ms':>8s} {'ms/sim h':>9s} "
          f"{'drill ev/s':>11s} {'bare ev/s':>10s} {'ratio':>6s}")
    for name, path in drills:
        try:
            scenario = load_scenario(path)
            world = load_world(scenario.network)
            drill_events(scenario, world, seed=1)  # warm the travel-time cache, as in a sweep
            runs = [drill_events(scenario, world, seed=s) for s in range(1, reps + 1)]
        except Exception as exc:  # noqa: BLE001 - a drill under construction must not stop the rest
            print(f"{name:32s} failed: {type(exc).__name__}: {str(exc)[:60]}")
            continue
        n = int(statistics.median(r[0] for r in runs))
        records = int(statistics.median(r[1] for r in runs))
        wall = statistics.median(r[2] for r in runs)
        drill_rate = statistics.median(r[0] / r[2] for r in runs)
        bare_rate = statistics.median(n / bare_simpy(n) for _ in range(reps))
        hours = scenario.duration / 3600
        print(f"{name:32s} {n:7d} {records:8d} {wall * 1000:8.1f} {wall * 1000 / hours:9.2f} "
              f"{drill_rate:11,.0f} {bare_rate:10,.0f} {drill_rate / bare_rate:6.3f}")


def flood_table(path: Path) -> None:
    """Cost of the network updates hour by hour, in one instrumented warm run."""
    scenario = load_scenario(path)
    world = load_world(scenario.network)
    drill_events(scenario, world, seed=1)  # warm
    travel = world.travel
    spent: dict[str, dict[int, float]] = {"roads": defaultdict(float), "trees": defaultdict(float)}
    trees: dict[int, int] = defaultdict(int)
    per_hour: dict[int, float] = defaultdict(float)
    made: list[Drill] = []
    real_init = Drill.__init__

    def init(self, *a, **k):
        real_init(self, *a, **k)
        made.append(self)
        update = self.flood._update_roads

        def timed_update():
            t = time.perf_counter()
            update()
            spent["roads"][int(self.env.now // 3600)] += time.perf_counter() - t

        self.flood._update_roads = timed_update

    real_tree = travel._tree

    def timed_tree(*a, **k):
        t = time.perf_counter()
        tree = real_tree(*a, **k)
        now = made[-1].env.now if made else 0.0
        spent["trees"][int(now // 3600)] += time.perf_counter() - t
        trees[int(now // 3600)] += 1
        return tree

    Drill.__init__ = init
    travel._tree = timed_tree
    try:
        n, _, wall = drill_events(scenario, world, seed=2, per_hour=per_hour)
    finally:
        Drill.__init__ = real_init
        del travel._tree
    depth: dict[int, float] = defaultdict(float)
    reroutes: dict[int, int] = defaultdict(int)
    records = made[-1].records
    for r in records:
        if r.event == "depth":
            d = float(r.detail.split(";")[0].split("=")[1])
            depth[int(r.t // 3600)] = max(depth[int(r.t // 3600)], d)
        elif r.event == "reroute":
            reroutes[int(r.t // 3600)] += 1
    print(f"\n{path.name}: network updates as water rises (one warm run, seed 2, "
          f"{n} events, {wall * 1000:.1f} ms)")
    print(f"{'hour':>4s} {'max depth m':>11s} {'wall ms':>8s} {'roads ms':>9s} "
          f"{'trees ms':>9s} {'trees':>6s} {'reroutes':>8s} {'share':>6s}")
    for h in sorted(per_hour):
        roads, tree = spent["roads"][h], spent["trees"][h]
        share = (roads + tree) / per_hour[h] if per_hour[h] else 0.0
        print(f"{h:4d} {depth[h]:11.3f} {per_hour[h] * 1000:8.1f} {roads * 1000:9.2f} "
              f"{tree * 1000:9.2f} {trees[h]:6d} {reroutes[h]:8d} {share:6.1%}")
    roads, tree = sum(spent["roads"].values()), sum(spent["trees"].values())
    print(f"{'all':>4s} {max(depth.values(), default=0):11.3f} {wall * 1000:8.1f} "
          f"{roads * 1000:9.2f} {tree * 1000:9.2f} {sum(trees.values()):6d} "
          f"{sum(reroutes.values()):8d} {(roads + tree) / wall:6.1%}")
    print("roads: FloodModel._update_roads (set_edge_factor, tree invalidation, interrupts); "
          "trees: Dijkstra trees recomputed (re-routing, dispatch)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="repetitions per measurement")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        heavy = Path(tmp) / "heavy-fire-72h.yaml"
        heavy.write_text(HEAVY)
        fire_table([(p.name, p) for p in READY] + [("(generated) " + heavy.name, heavy)],
                   args.reps)
    for path in READY:
        try:
            if load_scenario(path).flood is not None:
                flood_table(path)
        except Exception as exc:  # noqa: BLE001
            print(f"{path.name}: failed: {type(exc).__name__}: {str(exc)[:60]}")


if __name__ == "__main__":
    main()
