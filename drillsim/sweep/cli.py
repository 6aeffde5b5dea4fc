"""The ``drillsim sweep`` command's body: read the experiment, run it with a progress bar,
print the summary. (``drillsim.cli`` only declares the options.)"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from drillsim.errors import DrillsimError
from drillsim.terminal import styled


def sweep_command(*, experiment: Path | None, workers: int | None, scheduler: str | None,
                  out_dir: Path | None, resume: bool, base: Path | None, vary: tuple[str, ...],
                  reps: int | None, metrics: tuple[str, ...], seed: int | None,
                  plots: bool, console: Console, err_console: Console) -> int:
    """Run a sweep from the command line; returns the exit code."""
    from drillsim.sweep.runner import run_sweep
    from drillsim.sweep.spec import load_experiment, quick_experiment

    if experiment is not None and (base is not None or vary):
        raise DrillsimError("give either an EXPERIMENT file or --base with --vary, not both")
    if experiment is None:
        if base is None:
            raise DrillsimError("give an EXPERIMENT file, or the quick form: --base DRILL "
                                "--vary PATH=V1,V2 [--reps N] [--metric NAME]")
        e = quick_experiment(base=base, vary=list(vary), replications=reps or 10,
                             metrics=list(metrics), seed=seed)
        default_out = Path("sweeps") / f"quick-{e.spec_hash()[:8]}"
    else:
        if vary or reps or metrics or seed is not None:
            raise DrillsimError("--vary, --reps, --metric and --seed belong to the quick form "
                                "(--base); write them in the experiment file instead")
        e = load_experiment(experiment)
        default_out = Path("sweeps") / experiment.stem
    out = out_dir or default_out
    total = len(e.points) * e.replications
    console.print(styled((e.name, "bold"), f": {len(e.points)} point(s) x {e.replications} "
                         f"replication(s) = {total} run(s), seed {e.seed}, results in {out}/"))

    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    with Progress(TextColumn("replications"), BarColumn(), MofNCompleteColumn(),
                  TimeElapsedColumn(), TextColumn("left"), TimeRemainingColumn(),
                  console=err_console, transient=False) as bar:
        task = bar.add_task("sweep", total=total)

        def progress(done: int, _total: int) -> None:
            bar.update(task, completed=done)

        result = run_sweep(e, out, workers=workers, scheduler=scheduler, resume=resume,
                           progress=progress, plots=plots)
    print_summary(result, console)
    if result.failed:
        err_console.print(styled(("warning:", "yellow"), f" {result.failed} replication(s) "
                                 f"failed; first: {result.first_error} (see the status and "
                                 "error columns)"))
    if result.missing:
        err_console.print(styled(("error:", "red"), f" {result.missing} replication(s) were "
                                 f"not run ({result.first_error}); run again with --resume "
                                 "to finish"))
        return 1
    return 0


def print_summary(result, console: Console) -> None:
    """One table: each point's measures with mean, 95 % interval and fractiles."""
    from drillsim.metrics.catalog import METRICS

    e, s = result.experiment, result.summary
    t = Table(title=f"Summary per point ({e.replications} replications, 95 % intervals; "
              "diff = paired difference to the baseline point)", title_justify="left")
    for col in ("point", "measure", "n", "mean", "95 % CI", "p10 p50 p90", "diff [95 % CI]"):
        t.add_column(col, justify="left" if col in ("point", "measure") else "right")
    last = None
    for row in s.itertuples(index=False):
        r = row._asdict()
        objective = r["kind"] == "objective"
        unit = "share" if objective else METRICS[r["measure"]].unit
        label = r["label"] if r["point"] != last else ""
        if r["point"] != last and last is not None:
            t.add_section()
        last = r["point"]
        suffix = {"seconds": " (min)", "share": " (%)", "kW": " (MW)"}.get(unit, "")
        measure = f"P({r['measure'][4:]} met) (%)" if objective else r["measure"] + suffix
        fr = "" if objective else " ".join(_fmt(r[k], unit) for k in ("p10", "p50", "p90"))
        diff = ""
        if not math.isnan(r["diff_mean"]):
            diff = (f"{_fmt(r['diff_mean'], unit, signed=True)} "
                    f"[{_fmt(r['diff_ci_low'], unit, True)}, "
                    f"{_fmt(r['diff_ci_high'], unit, True)}]")
        t.add_row(_shorten(label), measure, str(r["n"]), _fmt(r["mean"], unit),
                  f"{_fmt(r['ci_low'], unit)}–{_fmt(r['ci_high'], unit)}", fr, diff)
    console.print(t)
    console.print(f"{result.ran} replication(s) run in {result.wall_s:.1f} s on "
                  f"{result.executor}; tables, plots and manifest in {result.out_dir}/")


def _shorten(label: str) -> str:
    return re.sub(r"[a-z_]+\.(?:[a-z_0-9]+\.)*", "", label) if len(label) > 40 else label


def _fmt(v: Any, unit: str, signed: bool = False) -> str:
    from drillsim.sweep.spec import number

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "—"
    sign = "+" if signed else ""
    if unit == "seconds":
        return f"{v / 60:{sign}.2f}"
    if unit == "share":
        return f"{v * 100:{sign}.1f}"
    if unit == "kW":
        return f"{v / 1000:{sign}.2f}"
    return number(v, sign)
