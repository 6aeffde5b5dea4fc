"""Write a run to a folder: event log, incident table, summary and manifest.

Files (all UTF-8):

``events.csv``
    every record, in time order;
``incidents.csv``
    one row per incident (:class:`drillsim.metrics.response.IncidentRow`);
``summary.json``
    metrics, response-time fractiles, objectives and unit utilisation;
``manifest.json``
    scenario file and hash, seed, package and dependency versions, wall time and
    any exception;
``scenario.yaml``
    the drill file exactly as the user wrote it;
``actors.json``
    the units and incidents of the run (what :func:`read_run` needs besides the
    events).

Two runs with the same seed write identical files, apart from the manifest's
wall time. :func:`read_run` turns a folder back into a :class:`RunResult`.
"""

from __future__ import annotations

import csv
import json
import math
import platform
import shutil
from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from drillsim.engine import IncidentInfo, RunResult, UnitInfo
from drillsim.metrics.chemical import chemical_metrics
from drillsim.metrics.evaluation import ObjectiveResult, evaluate
from drillsim.metrics.relief import relief_metrics
from drillsim.metrics.response import (
    INCIDENT_COLUMNS,
    IncidentRow,
    component_fractiles,
    incident_table,
    response_metrics,
    row_dict,
    utilisation,
)
from drillsim.records import Record

SCENARIO_COPY = "scenario.yaml"
DEPENDENCIES = ("simpy", "numpy", "scipy", "networkx", "pydantic", "PyYAML", "matplotlib")


@dataclass(frozen=True)
class Summary:
    """Everything measured in one run."""

    rows: list[IncidentRow]
    metrics: dict[str, float]
    components: dict[str, dict[str, float]]
    objectives: list[ObjectiveResult]
    utilisation: dict[str, float]


def summarize(result: RunResult) -> Summary:
    """Measure a run: incident table, metrics, fractiles, objectives, utilisation."""
    rows = incident_table(result)
    metrics = response_metrics(result, rows) | relief_metrics(result) | chemical_metrics(result)
    return Summary(rows, metrics, component_fractiles(rows),
                   evaluate(result.scenario.objectives, metrics), utilisation(result))


def _clean(value: object) -> object:
    """JSON-safe value: NaN becomes null, infinity the string 'inf', floats rounded."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf"
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def summary_dict(result: RunResult, summary: Summary) -> dict[str, object]:
    """The summary as plain data (what ``summary.json`` holds)."""
    s = result.scenario
    return _clean({
        "scenario": s.name,
        "scenario_zh": s.name_zh,
        "start": s.start.isoformat(),
        "duration_s": s.duration,
        "seed": result.seed,
        "incidents": len(summary.rows),
        "scripted_incidents": sum(not r.background for r in summary.rows),
        "metrics": summary.metrics,
        "components_s": summary.components,
        "objectives": [
            {"id": o.objective.id, "metric": o.objective.metric, "target": o.objective.target,
             "value": o.value, "unit": o.unit, "status": o.status}
            for o in summary.objectives
        ],
        "utilisation": summary.utilisation,
    })


def _fmt(value: object) -> object:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.3f}"
    return value


def write_run(result: RunResult, out_dir: Path, *, scenario_file: str, scenario_hash: str,
              wall_time_s: float, summary: Summary | None = None) -> Summary:
    """Write the files of a run into ``out_dir`` (created if missing)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(scenario_file, out_dir / SCENARIO_COPY)
    _write_json(out_dir / "actors.json", {
        "seed": result.seed,
        "units": [asdict(u) for u in result.units],
        "incidents": [asdict(i) for i in result.incidents]})
    summary = summary or summarize(result)
    with open(out_dir / "events.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(Record._fields)
        for r in result.records:
            w.writerow([f"{r.t:.3f}", r.event, r.incident, r.unit, r.node, r.detail, r.place])
    with open(out_dir / "incidents.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(INCIDENT_COLUMNS)
        for row in summary.rows:
            w.writerow([_fmt(v) for v in row_dict(row).values()])
    _write_json(out_dir / "summary.json", summary_dict(result, summary))
    _write_json(out_dir / "manifest.json", manifest(
        scenario_file=scenario_file, scenario_hash=scenario_hash, seed=result.seed,
        wall_time_s=wall_time_s))
    return summary


def write_failure(out_dir: Path, *, scenario_file: str, scenario_hash: str, seed: int,
                  wall_time_s: float, error: str) -> None:
    """Write only the manifest of a run that raised, with the exception."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_json(out_dir / "manifest.json", manifest(
        scenario_file=scenario_file, scenario_hash=scenario_hash, seed=seed,
        wall_time_s=wall_time_s, error=error))


def manifest(*, scenario_file: str, scenario_hash: str, seed: int, wall_time_s: float,
             error: str | None = None) -> dict[str, object]:
    """Provenance of a run: what ran, with which seed and versions, how long it took."""
    return {
        "scenario_file": scenario_file,
        "scenario_sha256": scenario_hash,
        "seed": seed,
        "drillsim": _version("drillsim"),
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "wall_time_s": round(wall_time_s, 3),
        "error": error,
    }


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_run(run_dir: Path) -> RunResult:
    """Rebuild the result of a run from the folder :func:`write_run` wrote.

    Raises
    ------
    DrillsimError
        When the folder is not a run folder or a file in it is damaged.
    """
    from drillsim.errors import DrillsimError
    from drillsim.scenarios.loader import load_scenario

    run_dir = Path(run_dir)
    needed = (SCENARIO_COPY, "actors.json", "events.csv")
    missing = [n for n in needed if not (run_dir / n).is_file()]
    if missing:
        raise DrillsimError(f"{run_dir}: not a run folder of `drillsim run --out` "
                            f"(missing {', '.join(missing)})")
    scenario = load_scenario(run_dir / SCENARIO_COPY, check_world=False)
    try:
        actors = json.loads((run_dir / "actors.json").read_text(encoding="utf-8"))
        with open(run_dir / "events.csv", newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))[1:]
        records = tuple(Record(float(t), ev, inc, unit, int(node), detail, place)
                        for t, ev, inc, unit, node, detail, place in rows)
        units = tuple(UnitInfo(**u) for u in actors["units"])
        incidents = tuple(IncidentInfo(**i) for i in actors["incidents"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DrillsimError(f"{run_dir}: damaged run files ({exc})") from None
    return RunResult(scenario=scenario, seed=int(actors["seed"]), records=records, units=units,
                     incidents=incidents)
