"""Report benchmark: CPU time to build and render each ready drill's report, per language.

Run: ``python benchmarks/bench_report.py [--reps N] [--cold]``. For each ready drill the
drill is run once, then each language's report (``make_context`` + ``build_report`` +
``render_html``) is timed ``--reps`` times, languages interleaved (zh, en, zh, en ...) so
that a change in the machine's load hits both alike; the median CPU time is printed
beside the target (3 s per language on a quiet machine) and as a ratio to the drill's
own run time. The first repetition warms the CJK font-subset cache (``--cold`` points
the cache at an empty folder first, so the first repetition pays the subsetting); the
median is over the warm repetitions. Exit status 1 when a drill misses the target.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from drillsim.api import open_drill, run_drill
from drillsim.metrics.summary import summarize
from drillsim.report.build import build_report, make_context
from drillsim.report.render import render_html

ROOT = Path(__file__).resolve().parent.parent
READY = sorted((ROOT / "scenarios").glob("*.yaml"))
TARGET_S = 3.0
"""CPU seconds per language for one ready drill's report."""
LANGS = ("zh", "en")


def report_cpu(result, summary, world, lang: str) -> float:
    """CPU seconds to build and render one language's report."""
    t0 = time.process_time()
    ctx = make_context(result, lang=lang, world=world, summary=summary)
    render_html(build_report(ctx))
    return time.process_time() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reps", type=int, default=3, help="warm repetitions per language")
    ap.add_argument("--cold", action="store_true", help="start from an empty font cache")
    ap.add_argument("drills", nargs="*", help="drill names (default: every ready drill)")
    args = ap.parse_args()
    if args.cold:
        os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="drillsim-bench-")
    paths = [p for p in READY if not args.drills or p.stem in args.drills]
    print(f"{'drill':28s} {'run s':>6s} " + " ".join(
        f"{f'{lg} first':>9s} {f'{lg} s':>6s} {'target':>6s} {'×run':>6s}" for lg in LANGS))
    missed = []
    for path in paths:
        drill = open_drill(path)
        t0 = time.process_time()
        result = run_drill(drill.scenario, None, world=drill.world)
        run_s = time.process_time() - t0
        summary = summarize(result)
        times: dict[str, list[float]] = {lg: [] for lg in LANGS}
        for _ in range(args.reps + 1):  # the first repetition warms the font cache
            for lg in LANGS:
                times[lg].append(report_cpu(result, summary, drill.world, lg))
        cells = []
        for lg in LANGS:
            warm = statistics.median(times[lg][1:])
            ok = warm <= TARGET_S
            if not ok:
                missed.append(f"{path.stem} ({lg})")
            cells.append(f"{times[lg][0]:9.2f} {warm:6.2f} {'ok' if ok else 'MISSED':>6s} "
                         f"{warm / max(run_s, 1e-6):6.1f}")
        print(f"{path.stem:28s} {run_s:6.2f} " + " ".join(cells), flush=True)
    if missed:
        print(f"target of {TARGET_S:g} s missed: {', '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
