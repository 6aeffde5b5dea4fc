"""Engine benchmark: simulated events per second against a bare SimPy loop, and ready drills.

Run: ``python benchmarks/bench_engine.py``. Every figure is a ratio against a
baseline measured in the same run (these machines are noisy); nothing here is a
test. Target: the drill engine processes SimPy events at no less than half the
rate of a bare SimPy loop with the same number of events.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import simpy

from drillsim.api import load_world
from drillsim.engine import Drill
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
READY = sorted((ROOT / "scenarios").glob("*.yaml"))


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


def drill_events(path: Path, seed: int) -> tuple[int, float]:
    """(SimPy events processed, seconds) for one run of a drill file."""
    scenario = load_scenario(path)
    world = load_world(scenario.network)
    drill = Drill(scenario, world, seed)
    count = 0
    step = drill.env.step

    def counting_step():
        nonlocal count
        count += 1
        step()

    drill.env.step = counting_step
    t0 = time.perf_counter()
    drill.run()
    return count, time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5, help="repetitions per measurement")
    args = ap.parse_args()
    print(f"{'drill':38s} {'events':>8s} {'drill ev/s':>11s} {'bare ev/s':>11s} "
          f"{'ratio':>6s} {'wall ms':>8s}")
    for path in READY:
        drill_events(path, seed=1)  # warm the travel-time cache, as in a sweep
        runs = [drill_events(path, seed=s) for s in range(1, args.reps + 1)]
        n = int(statistics.median(r[0] for r in runs))
        drill_rate = statistics.median(r[0] / r[1] for r in runs)
        bare_rate = statistics.median(n / bare_simpy(n) for _ in range(args.reps))
        wall = statistics.median(r[1] for r in runs) * 1000
        print(f"{path.name:38s} {n:8d} {drill_rate:11,.0f} {bare_rate:11,.0f} "
              f"{drill_rate / bare_rate:6.2f} {wall:8.1f}")


if __name__ == "__main__":
    main()
