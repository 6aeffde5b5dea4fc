"""Run an experiment: points x replications, recorded as they finish, then summarised.

:func:`run_sweep` is the whole pipeline: it opens (or resumes) the SQLite store in
the output folder, runs the replications that are not recorded yet on the chosen
executor, and writes the tables, plots and manifest from the store. Because the
tables are built from the store, sorted by (point, replication), the same
experiment gives the same files whatever the executor, the number of workers, or
how often the sweep was interrupted and resumed.
"""

from __future__ import annotations

import json
import math
import os
import platform
import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from drillsim.errors import DrillsimError
from drillsim.records.spreadsheet import spreadsheet_cell
from drillsim.sweep import executors
from drillsim.sweep.spec import Experiment
from drillsim.sweep.stats import bounded_interval, fractiles, t_interval, wilson
from drillsim.sweep.store import STORE_NAME, Store

REPLICATIONS_FILE = "replications"   # .csv and .parquet
SUMMARY_FILE = "summary"             # .csv and .parquet
DEPENDENCIES = ("simpy", "numpy", "scipy", "pandas", "pyarrow", "dask", "distributed")

Progress = Callable[[int, int], None]


@dataclass
class SweepResult:
    """What a sweep produced (the same data as the files in ``out_dir``)."""

    experiment: Experiment
    out_dir: Path
    replications: Any      # pandas.DataFrame, one row per replication
    summary: Any           # pandas.DataFrame, one row per point and measure
    ran: int               # replications run by this call
    failed: int            # replications recorded with an error (all calls)
    missing: int           # replications neither recorded nor run (a worker was lost)
    executor: str
    wall_s: float
    first_error: str | None = None


def run_sweep(experiment: Experiment, out_dir: str | Path, *, workers: int | None = None,
              scheduler: Any = None, resume: bool = False, progress: Progress | None = None,
              chunk: int | None = None, plots: bool = True,
              replicate: Callable | None = None) -> SweepResult:
    """Run (or resume) a sweep and write its results to ``out_dir``.

    Parameters
    ----------
    experiment
        From :func:`drillsim.sweep.load_experiment`.
    out_dir
        Folder for ``sweep.sqlite``, the tables, plots and manifest.
    workers
        Local processes; ``1`` runs in this process; default: the number of cores.
    scheduler
        A Dask scheduler address (or a ``distributed.Client``): run on that cluster;
        ``"local"``: start a Dask cluster of ``workers`` processes on this machine for
        the sweep (:func:`drillsim.sweep.executors.local_cluster`).
    resume
        Continue the sweep recorded in ``out_dir`` (refused if the experiment changed).
    progress
        Called with (replications recorded, total) as chunks finish.
    chunk
        Replications per task (default: about eight tasks per worker; Dask at least 8).
    replicate
        Replaces :func:`drillsim.sweep.executors.run_replication` (tests).
    """
    t0 = time.perf_counter()
    if workers is not None and not 1 <= workers <= max_workers():
        raise DrillsimError(f"--workers must be from 1 to {max_workers()} (4 per core of this "
                            f"machine), got {workers}; each worker is a process with its own "
                            "copy of the road network")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    store_path = out / STORE_NAME
    if store_path.exists() and not resume:
        raise DrillsimError(f"{out}: already holds a sweep ({STORE_NAME}); add --resume to "
                            "continue it, or choose another --out folder")
    spec_hash = experiment.spec_hash()
    store = Store(store_path)
    try:
        store.check_resumable(spec_hash, out)
        store.start(spec_hash, _info(experiment), [
            (p.index, p.label, p.variant, json.dumps(p.values, default=str))
            for p in experiment.points])
        done = store.done()
        total = len(experiment.points) * experiment.replications
        todo = [(p.index, r) for r in range(experiment.replications)
                for p in experiment.points if (p.index, r) not in done]
        payload = executors.Payload(
            key=spec_hash, network=experiment.network, district=experiment.district,
            seed=experiment.seed,
            scenarios={p.index: p.scenario for p in experiment.points},
            metrics=experiment.metrics, objectives=experiment.objectives, replicate=replicate)
        local = workers or os.cpu_count() or 1  # processes on this machine
        if scheduler is not None:
            name = "dask"
            n = local if scheduler == executors.LOCAL else _dask_workers(scheduler)
            size = chunk or executors.chunk_size(len(todo), n, minimum=8)
            run = executors.dask(payload, _chunks(todo, size), scheduler, n)
        else:
            n = local
            size = chunk or executors.chunk_size(len(todo), n)
            if n == 1:
                name, run = "serial", executors.serial(payload, _chunks(todo, size))
            else:
                name = f"processes({n})"
                run = executors.processes(payload, _chunks(todo, size), n)
        recorded = len(done)
        if progress:
            progress(recorded, total)
        ran = 0
        try:
            with _terminate_as_interrupt():
                for rows in run:
                    store.record(rows)
                    ran += len(rows)
                    recorded += len(rows)
                    if progress:
                        progress(recorded, total)
        except KeyboardInterrupt as stop:  # Ctrl-C or SIGTERM: what is recorded is kept
            run.close()
            raise SweepInterrupted(out, recorded, total, getattr(stop, "signal_name", "SIGINT"),
                                   ) from None
        except Exception as exc:  # a lost worker or cluster: keep what was recorded
            if isinstance(exc, DrillsimError):
                raise
            lost = f"{type(exc).__name__}: {exc}"
        else:
            lost = None
        rows = store.rows()
    finally:
        store.close()
    tables = result_tables(experiment, rows)
    failed = sum(r["status"] != "ok" for r in rows)
    first_error = next((r["error"] for r in rows if r["status"] != "ok"), None)
    missing = total - len(rows)
    _write_outputs(experiment, out, tables, plots)
    wall = time.perf_counter() - t0
    _write_manifest(experiment, out, spec_hash=spec_hash, executor=name, wall_s=wall,
                    ran=ran, failed=failed, missing=missing, lost=lost, rows=rows)
    return SweepResult(experiment, out, tables[0], tables[1], ran, failed, missing, name, wall,
                       first_error or lost)


class SweepInterrupted(DrillsimError):
    """A sweep stopped by Ctrl-C (SIGINT) or SIGTERM; the recorded replications are kept.

    Attributes
    ----------
    exit_code
        130 for SIGINT, 143 for SIGTERM (128 + the signal number, as shells report).
    """

    def __init__(self, out: Path, recorded: int, total: int, signal_name: str) -> None:
        self.exit_code = 143 if signal_name == "SIGTERM" else 130
        super().__init__(
            f"sweep interrupted ({signal_name}) with {recorded} of {total} replication(s) "
            f"recorded in {out / STORE_NAME}; run the same command again with --resume "
            "to finish it")


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C."""

    signal_name = "SIGTERM"


@contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """Within the block, SIGTERM stops the sweep like Ctrl-C (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(_signum: int, _frame: Any) -> None:
        raise _Terminated()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def max_workers() -> int:
    """Most local worker processes: 4 per core (more only queue for the same cores)."""
    return 4 * (os.cpu_count() or 1)


def _chunks(todo: list[tuple[int, int]], size: int) -> list[list[tuple[int, int]]]:
    return [todo[i:i + size] for i in range(0, len(todo), size)]


def _dask_workers(scheduler: Any) -> int:
    from distributed import Client

    if isinstance(scheduler, Client):
        return max(1, len(scheduler.scheduler_info().get("workers", {})))
    with Client(scheduler, set_as_default=False) as client:
        return max(1, len(client.scheduler_info().get("workers", {})))


def _info(e: Experiment) -> dict[str, Any]:
    return {"name": e.name, "file": e.file, "base": e.base_file, "seed": e.seed,
            "replications": e.replications, "metrics": list(e.metrics),
            "objectives": list(e.objectives), "points": len(e.points)}


# --------------------------------------------------------------------------- tables


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return value


def point_columns(e: Experiment) -> list[str]:
    """The columns that describe a point: label, variant (if any), each parameter."""
    return ["label"] + (["variant"] if e.variants else []) + [p.name for p in e.parameters]


def _point_row(e: Experiment, index: int) -> dict[str, Any]:
    p = e.points[index]
    row: dict[str, Any] = {"point": index, "label": p.label}
    if e.variants:
        row["variant"] = p.variant
    for par in e.parameters:
        row[par.name] = _cell(p.values.get(par.name))
    return row


def result_tables(e: Experiment, rows: list[dict[str, Any]]):
    """(replications, summary) data frames from the stored rows."""
    import pandas as pd

    cols = e.columns()
    rep_rows = []
    for r in rows:
        rec = _point_row(e, r["point"])
        rec.update(replication=r["replication"], seed=r["seed"], status=r["status"],
                   error=r["error"] or "")
        rec.update({c: float(r["values"].get(c, math.nan)) for c in cols})
        rep_rows.append(rec)
    reps = pd.DataFrame(rep_rows, columns=["point", *point_columns(e), "replication", "seed",
                                           "status", "error", *cols])
    reps = reps.sort_values(["point", "replication"], kind="stable").reset_index(drop=True)
    for c in point_columns(e):  # mixed types (e.g. 52 and 'x') cannot go to Parquet
        kinds = {type(v) for v in reps[c] if v is not None}
        if len(kinds) > 1 and not kinds <= {int, float}:
            reps[c] = reps[c].astype(str)
    return reps, summary_table(e, reps)


def summary_table(e: Experiment, reps):
    """One row per point and measure: n, mean, sd, 95 % CI, p10/p50/p90, paired difference."""
    import numpy as np
    import pandas as pd

    ok = reps[reps["status"] == "ok"]
    by_point = {p: g.set_index("replication") for p, g in ok.groupby("point")}
    out = []
    for point in e.points:
        g = by_point.get(point.index)
        base = e.baseline[point.index] if e.baseline else point.index
        gb = by_point.get(base)
        errors = int(((reps["point"] == point.index) & (reps["status"] != "ok")).sum())
        for col in e.columns():
            row = _point_row(e, point.index)
            row.update(measure=col, kind="objective" if col.startswith("met_") else "metric",
                       errors=errors)
            x = g[col].to_numpy(float) if g is not None else np.array([])
            if row["kind"] == "metric":
                n, mean, sd, lo, hi = bounded_interval(x, *_metric_range(col))
                p10, p50, p90 = fractiles(x)
            else:
                finite = x[np.isfinite(x)]
                n = int(finite.size)
                mean, lo, hi = wilson(int((finite == 1).sum()), n)
                sd = p10 = p50 = p90 = math.nan
            row.update(n=n, mean=mean, sd=sd, ci_low=lo, ci_high=hi, p10=p10, p50=p50, p90=p90,
                       baseline=base)
            dmean = dlo = dhi = math.nan
            if g is not None and gb is not None and base != point.index:
                joined = g[[col]].join(gb[[col]].add_suffix("_base"), how="inner")
                a, b = joined[col].to_numpy(float), joined[f"{col}_base"].to_numpy(float)
                both = np.isfinite(a) & np.isfinite(b)
                _, dmean, _, dlo, dhi = t_interval(a[both] - b[both])
            row.update(diff_mean=dmean, diff_ci_low=dlo, diff_ci_high=dhi)
            out.append(row)
    return pd.DataFrame(out)


def _metric_range(col: str) -> tuple[float, float]:
    """The values a metric can take: a share 0-1, a count, time or power at least 0;
    unbounded for a column the catalogue does not know."""
    from drillsim.metrics.catalog import METRICS

    info = METRICS.get(col)
    if info is None:
        return -math.inf, math.inf
    return (0.0, 1.0) if info.unit == "share" else (0.0, math.inf)


# --------------------------------------------------------------------------- files


def _spreadsheet_safe(table: Any) -> Any:
    """The table for CSV: text cells and column names that a spreadsheet would run as
    formulas (variant labels, parameter names, error texts) made plain text."""
    out = table.rename(columns=lambda c: spreadsheet_cell(str(c)))
    for col in out.select_dtypes(include=["object", "string"]).columns:
        out[col] = out[col].map(spreadsheet_cell)
    return out


def _write_outputs(e: Experiment, out: Path, tables, plots: bool) -> None:
    reps, summary = tables
    _spreadsheet_safe(reps).to_csv(out / f"{REPLICATIONS_FILE}.csv", index=False)
    reps.to_parquet(out / f"{REPLICATIONS_FILE}.parquet", index=False)
    _spreadsheet_safe(summary).to_csv(out / f"{SUMMARY_FILE}.csv", index=False)
    summary.to_parquet(out / f"{SUMMARY_FILE}.parquet", index=False)
    if e.source_text:
        (out / "experiment.yaml").write_text(e.source_text, encoding="utf-8")
    if plots:
        from drillsim.sweep.plots import plot_summary

        plot_summary(e, summary, out / "plots")


def _write_manifest(e: Experiment, out: Path, *, spec_hash: str, executor: str, wall_s: float,
                    ran: int, failed: int, missing: int, lost: str | None,
                    rows: list[dict]) -> None:
    walls = [r["wall_s"] for r in rows if r["status"] == "ok"]
    doc = {
        "experiment": e.name, "experiment_file": e.file, "spec_sha256": spec_hash,
        "base_drill": e.base_file, "seed": e.seed, "replications": e.replications,
        "points": len(e.points), "recorded": len(rows), "ran_this_call": ran,
        "failed": failed, "missing": missing, "lost": lost, "executor": executor,
        "wall_time_s": round(wall_s, 3),
        "replication_wall_s_mean": round(sum(walls) / len(walls), 6) if walls else None,
        "drillsim": _version("drillsim"), "python": platform.python_version(),
        "dependencies": {d: _version(d) for d in DEPENDENCIES},
    }
    (out / "manifest.json").write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n",
                                       encoding="utf-8")


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"
