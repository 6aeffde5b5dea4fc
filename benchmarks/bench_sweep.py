"""Sweep throughput: replications per second serial, on 2 local processes, on local Dask.

Prints the rates, the speed-ups against serial and the per-replication overhead
of each executor against the drill's own run time (measured inside the workers).
Targets (issue 14): CPU overhead per replication ≤ 2 % on processes, ≤ 10 % on Dask
(steady state, worker-seconds beyond the serial drill time); end to end ≥ 1.8× serial
on 2 workers (for 1,000 replications: ``--reps 500``) on an idle machine. Wall-clock
speed-ups need idle cores: each figure is printed with the machine load, and flagged as
not trustworthy when other processes share the cores. Exit status 1 when missed.

    python benchmarks/bench_sweep.py [--reps 500] [--rounds 3]

The three executors run in turn, round after round (``--rounds``), so that a change in
the machine's load hits all alike; each figure is the median over the rounds (the
minimum beside it), each round's overheads taken against that round's serial run.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from _bench import at_least, at_most, header

ROOT = Path(__file__).resolve().parents[1]

EXPERIMENT = """\
name: bench
base: {base}
seed: 5
replications: {reps}
metrics: [first_arrival_p50, first_arrival_p90, five_minute_share]
set: {{duration: "72 h", background.calls_per_day: 24}}
parameters:
  - {{path: forces.stations.xizhan_station.personnel, name: xz, values: [52, 59]}}
"""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=150, help="replications per point (2 points)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="rounds of serial, processes, Dask (interleaved); medians judged")
    args = ap.parse_args()

    from drillsim.sweep import load_experiment

    tmp = Path(tempfile.mkdtemp(prefix="bench-sweep-"))
    exp = tmp / "bench.yaml"
    exp.write_text(EXPERIMENT.format(base=ROOT / "scenarios" / "highrise-evening.yaml",
                                     reps=args.reps), encoding="utf-8")
    e = load_experiment(exp)
    n = len(e.points) * e.replications
    print(f"{n} replications of a 3-day drill with 24 background calls a day ({e.network} "
          f"network); {args.rounds} rounds, each: serial, 2 processes, Dask")
    figures: dict[str, list[float]] = {"processes": [], "dask": [], "end to end": []}
    for k in range(args.rounds):
        one = _round(e, n, tmp / f"round{k}")
        for name, value in one.items():
            figures[name].append(value)
    print("reps/s: end to end; steady: first to last finished chunk. drill s/rep: measured "
          "inside the workers. overhead: 2 workers' seconds per replication minus the serial "
          "drill time of the same round (includes the workers' contention for 2 cores)")
    print("(end-to-end wall times include starting the pool or connecting to the cluster, shipping "
          "the drills and building each worker's world once, and writing the tables)")
    bench = header("sweeps")
    bench.add(at_most("2 processes: overhead per replication / drill", figures["processes"],
                      0.02, "×"))
    bench.add(at_most("dask (2 workers): overhead per replication / drill", figures["dask"],
                      0.10, "×"))
    bench.add(at_least(f"2 processes, end to end, {n} reps / serial", figures["end to end"],
                       1.8, "×"))
    return bench.done()


def _round(e, n: int, tmp: Path) -> dict[str, float]:
    """One round: the sweep serial, on 2 processes and on a local Dask cluster of 2
    workers; prints its table and gives the three judged figures (overheads per
    replication over the serial drill time, end-to-end speed-up of the processes)."""
    from drillsim.sweep import run_sweep

    rows = {}
    for name, kw in (("serial", {"workers": 1}), ("2 processes", {"workers": 2}),
                     # the cluster `drillsim sweep --scheduler local --workers 2` starts (its
                     # start is in the end-to-end time, not in the steady state judged)
                     ("dask (2 workers)", {"scheduler": "local", "workers": 2})):
        out = tmp / name.split()[0]
        marks: list[tuple[float, int]] = []
        t0 = time.perf_counter()
        run_sweep(e, out, plots=False,
                  progress=lambda done, _, marks=marks: marks.append((time.perf_counter(), done)),
                  **kw)
        wall = time.perf_counter() - t0
        # steady state: from the first finished chunk to the last (no start-up, no tables)
        (ta, na), (tb, nb) = marks[1], marks[-1]
        steady = (nb - na) / (tb - ta) if tb > ta else float("nan")
        rows[name] = (wall, steady, _own_time(out))
    ref_wall, ref_steady, drill = rows["serial"]   # drill: its own time per replication
    print(f"{'executor':<18}{'reps/s':>8}{'x':>6}{'steady reps/s':>15}{'x':>6}"
          f"{'drill s/rep':>13}{'overhead s/rep':>16}{'/drill':>8}")
    overheads = {}
    for name, (wall, steady, own) in rows.items():
        workers = 1 if name == "serial" else 2
        # worker-seconds per replication in steady state beyond the serial drill time
        overhead = workers / steady - drill
        overheads[name] = overhead / drill
        print(f"{name:<18}{n / wall:>8.1f}{ref_wall / wall:>6.2f}{steady:>15.1f}"
              f"{steady / ref_steady:>6.2f}{own:>13.4f}{overhead:>16.4f}{overhead / drill:>8.2f}")
    return {"processes": overheads["2 processes"], "dask": overheads["dask (2 workers)"],
            "end to end": ref_wall / rows["2 processes"][0]}


def _own_time(out: Path) -> float:
    """Mean time of one replication inside its worker (from the store)."""
    import sqlite3

    with sqlite3.connect(out / "sweep.sqlite") as conn:
        return conn.execute("SELECT avg(wall_s) FROM runs WHERE status = 'ok'").fetchone()[0]


if __name__ == "__main__":
    sys.exit(main())
