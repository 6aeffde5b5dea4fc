"""Linear-cost benchmark: CPU per call stays flat as the call rate and the drill grow.

Run: ``python benchmarks/bench_linear.py [--reps N]``. Three background-only fire drills
on the embedded Hongqiao network with the default forces: one day at 150 calls a day
(the busy day of ``bench_engine.py``; 1×), one day at 600 a day (4×) and seven days at
150 a day. Each is run once to warm the travel-time trees (as in a sweep), then the
three are interleaved ``--reps`` times in this process; the figure is CPU seconds of
``run_drill`` per answered-or-queued call. Target (issue 14): the 4× and the 7-day figure
within 1.2× of the 1-day 1× figure. Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

from _bench import at_most, cpu_of, header, interleave

from drillsim.api import load_world, run_drill
from drillsim.scenarios.loader import load_scenario

CASES = {"1 day, 1×": (150, 24), "1 day, 4×": (600, 24), "7 days, 1×": (150, 168)}
"""Name -> (calls a day, hours)."""
TARGET = 1.2
"""Largest CPU per call as a multiple of the 1-day 1× figure."""


def drill_yaml(calls_per_day: int, hours: int) -> str:
    return (f'name: linear-{calls_per_day}-{hours}h\nstart: 2026-07-15T00:00:00+08:00\n'
            f'duration: "{hours}:00"\nseed: 3\nbackground:\n  calls_per_day: {calls_per_day}\n')


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    bench = header("cost vs work")
    with tempfile.TemporaryDirectory() as tmp:
        scenarios = {}
        for name, (rate, hours) in CASES.items():
            path = Path(tmp) / f"linear-{rate}-{hours}.yaml"
            path.write_text(drill_yaml(rate, hours))
            scenarios[name] = load_scenario(path)
    world = load_world("default")
    calls = {}
    for name, sc in scenarios.items():  # warm the trees; count the calls
        result = run_drill(sc, world=world)
        calls[name] = sum(r.event == "call" for r in result.records)

    def per_call(name: str) -> float:
        return cpu_of(lambda: run_drill(scenarios[name], world=world)) / calls[name]

    times = interleave({n: (lambda n=n: per_call(n)) for n in CASES}, args.reps)
    base = statistics.median(times["1 day, 1×"])
    for name in CASES:
        print(f"  {name:12s} {calls[name]:5d} calls, CPU per call median "
              f"{statistics.median(times[name]) * 1e3:.3f} ms, min {min(times[name]) * 1e3:.3f} ms")
    for name in ("1 day, 4×", "7 days, 1×"):
        rel = [t / base for t in times[name]]
        bench.add(at_most(f"CPU per call, {name} / 1 day 1×", rel, TARGET, "×"))
    return bench.done()


if __name__ == "__main__":
    sys.exit(main())
