"""Run generated files through the ``drillsim`` command in a worker process, with a
time-out and a memory measure per file (issue 13's fuzz campaign).

The worker imports drillsim once and runs each file as a user would, through the
command (Click's runner: ``validate``, then ``run --out`` for a drill that validates;
``sweep --workers 1 --no-plots`` for an experiment). An exit code other than 0 or 2
is an internal error. A file that takes longer than the time-out is a time-out: the
worker is killed and a new one started. Memory is the worker's peak resident set
size after each file (Linux ``ru_maxrss``).

Command line (the long profile)::

    python tests/fuzz/fuzz_runner.py --files 10000 --seed 0 --report fuzz-report.json
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_files import ROOT, make_file  # noqa: E402

TIMEOUT_S = 120.0
"""Longest a file may take (validate and run); the workload checks keep a run under ~2 min."""
MEMORY_BOUND_MB = 1500.0
"""Most resident memory the worker may reach (the district world and a week-long drill)."""


def check_file(path: Path, kind: str, scratch: Path) -> tuple[int, str]:
    """(exit code, first error line) of running one file through the command."""
    from click.testing import CliRunner

    from drillsim.cli import main

    runner = CliRunner()
    if kind == "experiment":
        out = scratch / "sweep"
        shutil.rmtree(out, ignore_errors=True)
        r = runner.invoke(main, ["sweep", str(path), "--workers", "1", "--no-plots",
                                 "--out", str(out)])
        code = 2 if r.exit_code == 1 and "replication(s) were not run" in r.output else \
            r.exit_code
    else:
        r = runner.invoke(main, ["validate", str(path)])
        code = r.exit_code
        if code == 0:
            out = scratch / "run"
            shutil.rmtree(out, ignore_errors=True)
            r = runner.invoke(main, ["run", str(path), "--out", str(out)])
            code = r.exit_code
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        code = 3
    line = next((ln for ln in r.output.splitlines() if "error" in ln), "")
    return code, line[:300]


def _worker(conn, scratch: str) -> None:
    folder = Path(scratch)
    while True:
        task = conn.recv()
        if task is None:
            return
        path, kind = task
        code, line = check_file(Path(path), kind, folder)
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        conn.send((code, line, peak_mb))


class Worker:
    """A drillsim process that checks files one at a time; restarted after a time-out."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self._start()

    def _start(self) -> None:
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, str(self.scratch)), daemon=True)
        self.proc.start()

    def check(self, path: Path, kind: str, timeout_s: float) -> tuple[int | None, str, float]:
        """(exit code or None on time-out, error line, worker peak MB)."""
        self.conn.send((str(path), kind))
        if self.conn.poll(timeout_s):
            return self.conn.recv()
        self.proc.kill()
        self.proc.join()
        self._start()
        return None, "time-out", 0.0

    def close(self) -> None:
        self.conn.send(None)
        self.proc.join(timeout=10)


def run_corpus(files: int, seed: int = 0, timeout_s: float = TIMEOUT_S,
               keep: Path | None = None, jobs: int = 1, log: Path | None = None) -> dict:
    """Generate and check ``files`` files (seeds ``seed`` ...) on ``jobs`` workers;
    returns the counts."""
    t0 = time.monotonic()
    seeds = list(range(seed, seed + files))
    parts = [seeds[j::jobs] for j in range(jobs)]
    with ThreadPoolExecutor(jobs) as pool:
        results = list(pool.map(lambda part: _run_part(part, timeout_s, keep, log), parts))
    counts: Counter[str] = sum((c for c, _, _ in results), Counter())
    bad = sorted((b for _, part_bad, _ in results for b in part_bad), key=lambda b: b["seed"])
    peak = max(p for _, _, p in results)
    return {"files": files, "first_seed": seed, "timeout_s": timeout_s,
            "memory_bound_mb": MEMORY_BOUND_MB, "peak_mb": round(peak, 1),
            "wall_s": round(time.monotonic() - t0, 1), "jobs": jobs,
            **{k: counts.get(k, 0) for k in ("drill", "experiment", "exit_0", "exit_2",
                                              "internal_error", "timeout", "over_memory")},
            "failures": bad}


def _run_part(seeds: list[int], timeout_s: float, keep: Path | None, log: Path | None
              ) -> tuple[Counter[str], list[dict], float]:
    counts: Counter[str] = Counter()
    bad: list[dict] = []
    peak = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        worker = Worker(scratch)
        base = ROOT / "scenarios" / "night-compound-fire.yaml"
        try:
            for k in seeds:
                path, kind = make_file(random.Random(k), scratch, base)
                code, line, peak_mb = worker.check(path, kind, timeout_s)
                peak = max(peak, peak_mb)
                counts[kind] += 1
                outcome = ("timeout" if code is None else f"exit_{code}"
                           if code in (0, 2) else "internal_error")
                counts[outcome] += 1
                if peak_mb > MEMORY_BOUND_MB:
                    counts["over_memory"] += 1
                if log is not None:  # one line per file, so a stopped campaign still counts
                    with open(log, "a", encoding="utf-8") as fh:
                        fh.write(json.dumps({"seed": k, "kind": kind, "outcome": outcome,
                                             "peak_mb": round(peak_mb)}) + "\n")
                if outcome in ("timeout", "internal_error") or peak_mb > MEMORY_BOUND_MB:
                    bad.append({"seed": k, "kind": kind, "outcome": outcome, "line": line,
                                "peak_mb": round(peak_mb)})
                    if keep is not None:
                        keep.mkdir(parents=True, exist_ok=True)
                        shutil.copy(path, keep / f"seed{k}-{kind}.yaml")
        finally:
            worker.close()
    return counts, bad, peak


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--files", type=int, default=10_000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=TIMEOUT_S)
    ap.add_argument("--report", type=Path)
    ap.add_argument("--keep", type=Path, help="copy failing files here")
    ap.add_argument("--jobs", type=int, default=1, help="worker processes")
    ap.add_argument("--log", type=Path, help="append one JSON line per file here")
    a = ap.parse_args()
    report = run_corpus(a.files, a.seed, a.timeout, a.keep, a.jobs, a.log)
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if a.report:
        a.report.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0 if not report["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
