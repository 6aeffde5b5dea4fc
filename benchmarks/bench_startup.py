"""Start-up benchmark: CPU of ``drillsim --help``, ``validate`` and ``run`` (fire drill)
against the bare import baseline, measured in the same run.

Run: ``python benchmarks/bench_startup.py [--reps N]``. Each command runs as a fresh
``python -m drillsim.cli`` child (what a user waits for: interpreter, imports, the
command); its CPU time (user + system, ``getrusage`` of the child) is compared with
``python -c "import simpy, numpy, scipy.sparse.csgraph"``, the imports no drill run can
do without. Commands are interleaved (baseline, help, validate, run, baseline ...) and
repeated; the ratio of medians must keep the targets of issue 14 (0.5×, 1.2×, 1.5×).
Exit status 1 when one is missed.

The first, warming run of each command also fills the per-user disk cache
(:mod:`drillsim.diskcache`: the network, its strong components, the trees of the unchanged
roads, the wording), so the figures are those of a warm start, as every command after
the first on a machine is.
"""

from __future__ import annotations

import argparse
import sys

from _bench import at_most, cpu_of_command, header, interleave, ratio

PY = sys.executable
DRILL = "scenarios/highrise-evening.yaml"
COMMANDS = {
    "baseline": [PY, "-c", "import simpy, numpy, scipy.sparse.csgraph"],
    "--help": [PY, "-m", "drillsim.cli", "--help"],
    "validate": [PY, "-m", "drillsim.cli", "validate", DRILL],
    "run": [PY, "-m", "drillsim.cli", "run", DRILL],
}
TARGETS = {"--help": 0.5, "validate": 1.2, "run": 1.5}
"""Largest CPU of each command as a multiple of the baseline's."""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=7, help="repetitions of each command")
    args = ap.parse_args()
    bench = header("start-up")
    for argv in COMMANDS.values():  # warm the file cache and the .pyc files once
        cpu_of_command(argv)
    times = interleave({k: (lambda a=argv: cpu_of_command(a)) for k, argv in COMMANDS.items()},
                       args.reps)
    base = times["baseline"]
    print(f"  baseline import: median {sorted(base)[len(base) // 2]:.3f} s, "
          f"min {min(base):.3f} s CPU")
    for name, bound in TARGETS.items():
        med, low = ratio(times[name], base)
        bench.add(at_most(f"drillsim {name} / baseline", med, bound, "×", lows=low,
                          note=f"median {sorted(times[name])[len(base) // 2]:.3f} s"))
    return bench.done()


if __name__ == "__main__":
    sys.exit(main())
