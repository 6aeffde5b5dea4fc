"""Report benchmark: CPU of ``drillsim report RUN_DIR --lang zh|en``, first time and after.

Run: ``python benchmarks/bench_report.py [--reps N] [--all | DRILL ...]``. Each drill
is run once into a temporary run folder; then its report is written by the command a
user types, as a child process (start-up, reading the run, figures, the embedded CJK
font), and the child's CPU time is measured. The first report in each language starts
from an empty font cache (``XDG_CACHE_HOME`` pointed at an empty folder): the figure a
user sees the first time on a machine; the next ``--reps`` reuse the cached font subset.
Languages are interleaved (zh, en, zh, en ...). Targets (issue 14): ≤ 6 s CPU the first
time, ≤ 3 s after, each language. Default drills: one per hazard; ``--all`` for the nine.
Exit status 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from _bench import READY, at_most, child_env, cpu_of_command, header, interleave

PY = sys.executable
FIRST_S = 6.0
"""CPU seconds for a report in one language with an empty font cache."""
WARM_S = 3.0
"""CPU seconds for a report in one language with the font subset cached."""
LANGS = ("zh", "en")
DEFAULT = ("highrise-evening", "rainstorm-50y-night", "chlorine-night")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3, help="warm repetitions per language")
    ap.add_argument("--all", action="store_true", help="every ready drill")
    ap.add_argument("drills", nargs="*", help="drill names (default: one per hazard)")
    args = ap.parse_args()
    names = [p.stem for p in READY] if args.all else (args.drills or list(DEFAULT))
    bench = header("report")
    with tempfile.TemporaryDirectory(prefix="drillsim-bench-report-") as tmp:
        for name in names:
            run_dir = Path(tmp) / name
            cpu_of_command([PY, "-m", "drillsim.cli", "run", f"scenarios/{name}.yaml",
                            "--out", str(run_dir)])
            env = child_env()
            env["XDG_CACHE_HOME"] = str(Path(tmp) / f"cache-{name}")  # empty: first time

            def report(lang: str, env=env, run_dir=run_dir) -> float:
                return cpu_of_command([PY, "-m", "drillsim.cli", "report", str(run_dir),
                                       "--lang", lang, "--out", str(run_dir / "report")],
                                      env=env)

            first = interleave({lg: (lambda lg=lg: report(lg)) for lg in LANGS}, 1)
            warm = interleave({lg: (lambda lg=lg: report(lg)) for lg in LANGS}, args.reps)
            for lg in LANGS:
                bench.add(at_most(f"{name} {lg}, first time", first[lg], FIRST_S, "s"))
                bench.add(at_most(f"{name} {lg}, font cached", warm[lg], WARM_S, "s"))
    return bench.done()


if __name__ == "__main__":
    sys.exit(main())
