"""Chemical-drill benchmark: CPU per simulated hour of each ready chemical drill against
the ready flood drills'.

Run: ``python benchmarks/bench_chemical.py [--reps N]``. Every ready drill with a
chemical release and every one with a flood (and no release) is run once to warm its
world (what every later run in a process shares, as a sweep's replications do: the
travel-time trees, the world's population grid, the dense-gas source of each weather;
a first run in a fresh process pays about 30 ms more for a chemical drill), then all are
interleaved ``--reps`` times in this process; the figure is CPU seconds of ``run_drill``
per simulated hour. Target (issue 14): each chemical drill's
median ≤ 2× the median of the flood drills. Exit status 1 when missed.
"""

from __future__ import annotations

import argparse
import statistics
import sys

from _bench import READY, at_most, cpu_of, header, interleave

from drillsim.api import open_drill, run_drill

TARGET = 2.0
"""Largest CPU per simulated hour of a chemical drill, as a multiple of a flood drill's."""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=5)
    args = ap.parse_args()
    bench = header("chemical drill")
    drills = {p.stem: open_drill(p) for p in READY}
    chem = [n for n, d in drills.items() if d.scenario.chemical is not None]
    flood = [n for n, d in drills.items()
             if d.scenario.flood is not None and d.scenario.chemical is None]
    for name in chem + flood:  # warm the world (see the module)
        run_drill(drills[name].scenario, world=drills[name].world)

    def per_hour(name: str) -> float:
        d = drills[name]
        return cpu_of(lambda: run_drill(d.scenario, world=d.world)) / (
            d.scenario.duration / 3600)

    times = interleave({n: (lambda n=n: per_hour(n)) for n in chem + flood}, args.reps)
    flood_med = statistics.median(statistics.median(times[n]) for n in flood)
    for n in flood:
        print(f"  {n:28s} flood    {statistics.median(times[n]) * 1e3:8.1f} ms CPU "
              f"per simulated hour (min {min(times[n]) * 1e3:.1f})")
    for n in chem:
        print(f"  {n:28s} chemical {statistics.median(times[n]) * 1e3:8.1f} ms CPU "
              f"per simulated hour (min {min(times[n]) * 1e3:.1f})")
        bench.add(at_most(f"{n} / flood drills", [t / flood_med for t in times[n]],
                          TARGET, "×"))
    return bench.done()


if __name__ == "__main__":
    sys.exit(main())
