"""What every benchmark here shares: CPU time, interleaved repetitions, targets that fail.

The rules (issue 14): measure CPU time, not wall time (the machine is shared);
interleave A and B (A, B, A, B ...) so that a change in the machine's load hits both
alike; repeat and give the minimum and the median; print the target beside the figure;
print the machine load (1-minute load average per core) beside it and say when a figure
is not trustworthy; exit non-zero when a target is missed.

A :class:`Bench` collects :class:`Check` rows and prints them; ``sys.exit(bench.done())``
ends a benchmark script with status 1 when any target was missed.
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:  # measure this checkout, not an installed drillsim
    sys.path.insert(0, str(ROOT))
READY = sorted((ROOT / "scenarios").glob("*.yaml"))
BUSY_LOAD = 1.0
"""Load average per core above which a figure is flagged as not trustworthy (other
processes then share the cores, caches and memory bandwidth with the one measured)."""


def load_per_core() -> float:
    """The 1-minute load average divided by the number of cores."""
    return os.getloadavg()[0] / (os.cpu_count() or 1)


def cpu() -> float:
    """CPU seconds of this process so far (user + system)."""
    return time.process_time()


def cpu_of(fn: Callable[[], object]) -> float:
    """CPU seconds ``fn()`` takes in this process."""
    t0 = time.process_time()
    fn()
    return time.process_time() - t0


def child_env() -> dict[str, str]:
    """The environment for a command run as a child: this checkout first on the path, and
    bytecode cached as on a user's machine (``pip install`` compiles every module; without
    the cache each command would compile drillsim's sources again, about 0.1-0.3 s of CPU
    that no user pays: the first, warming run of each command writes it)."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def cpu_of_command(argv: Sequence[str], env: dict[str, str] | None = None) -> float:
    """CPU seconds (user + system) a command takes, measured with ``getrusage`` on the
    finished child; raises when the command fails."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.run(list(argv), env=env or child_env(), cwd=ROOT,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({proc.returncode}): "
                           f"{proc.stderr.strip()[-300:]}")
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def interleave(cases: dict[str, Callable[[], float]], reps: int) -> dict[str, list[float]]:
    """Run each case ``reps`` times, A, B, C, A, B, C ...; each call returns its figure."""
    out: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(reps):
        for name, fn in cases.items():
            out[name].append(fn())
    return out


@dataclass
class Check:
    """One figure against its target.

    Attributes
    ----------
    name
        What is measured.
    value
        The figure (median over repetitions, or a ratio of medians).
    target
        The bound the figure must keep.
    ok
        Whether it keeps it.
    unit
        Unit of value and target ("s", "×", "MB" ...).
    low
        The minimum over repetitions (or its ratio), when repeated.
    load
        Load average per core while it was measured.
    note
        Anything a reader needs (what the ratio is of, a reference used instead).
    """

    name: str
    value: float
    target: str
    ok: bool
    unit: str = ""
    low: float | None = None
    load: float = 0.0
    note: str = ""

    @property
    def trustworthy(self) -> bool:
        return self.load <= BUSY_LOAD


def at_most(name: str, values: Sequence[float] | float, bound: float, unit: str = "",
            note: str = "", lows: float | None = None) -> Check:
    """A check that the median of ``values`` is at most ``bound``."""
    med, low = _med_min(values, lows)
    return Check(name, med, f"≤ {bound:g}{unit}", med <= bound, unit, low, load_per_core(),
                 note)


def at_least(name: str, values: Sequence[float] | float, bound: float, unit: str = "",
             note: str = "", lows: float | None = None) -> Check:
    """A check that the median of ``values`` is at least ``bound``."""
    med, low = _med_min(values, lows)
    return Check(name, med, f"≥ {bound:g}{unit}", med >= bound, unit, low, load_per_core(),
                 note)


def _med_min(values, lows) -> tuple[float, float | None]:
    if isinstance(values, int | float):
        return float(values), lows
    return statistics.median(values), min(values) if lows is None else lows


def ratio(a: Sequence[float], b: Sequence[float]) -> tuple[float, float]:
    """(median a / median b, min a / min b)."""
    return statistics.median(a) / statistics.median(b), min(a) / min(b)


@dataclass
class Bench:
    """The checks of one benchmark script, printed as a table."""

    title: str
    checks: list[Check] = field(default_factory=list)

    def add(self, check: Check) -> Check:
        self.checks.append(check)
        flag = "ok" if check.ok else "MISSED"
        low = f"{check.low:.3g}" if check.low is not None else "-"
        trust = "" if check.trustworthy else "  (busy machine: not trustworthy)"
        print(f"  {check.name:44s} {check.value:9.3g}{check.unit:2s} min {low:>7s}  "
              f"target {check.target:10s} {flag:6s} load/core {check.load:4.2f}{trust}"
              + (f"  [{check.note}]" if check.note else ""), flush=True)
        return check

    def done(self) -> int:
        """Print the verdict; the exit status (1 when a target was missed)."""
        missed = [c.name for c in self.checks if not c.ok]
        busy = [c.name for c in self.checks if not c.trustworthy]
        print(f"{self.title}: {len(self.checks) - len(missed)}/{len(self.checks)} targets met"
              + (f"; MISSED: {', '.join(missed)}" if missed else "")
              + (f"; measured on a busy machine: {', '.join(busy)}" if busy else ""))
        return 1 if missed else 0


def header(title: str) -> Bench:
    print(f"== {title} (CPU time; load/core now {load_per_core():.2f}; "
          f"python {sys.version.split()[0]})", flush=True)
    return Bench(title)
