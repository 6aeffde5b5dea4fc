"""The one writer and reader of run folders.

Files (all UTF-8):

``events.csv``
    every record, in time order: ``t, event, incident, unit, node, place, data``,
    ``data`` being the kind's typed fields as a JSON object (``docs/records.md``);
``incidents.csv``
    one row per incident (:class:`drillsim.metrics.response.IncidentRow`);
``summary.json``
    metrics, response-time fractiles, objectives and unit utilisation;
``manifest.json``
    scenario file and hash, the road network (as the drill names it, its absolute
    path, the drill file's folder and the SHA-256 of the network file), seed,
    package and dependency versions, wall time and any exception;
``scenario.yaml``
    the drill file exactly as the user wrote it;
``actors.json``
    the units and incidents of the run (what :func:`read_run` needs besides the
    events).

Two runs with the same seed write identical files, apart from the manifest's wall
time. :func:`read_run` turns a folder back into the same :class:`RunResult`, records
and their typed fields included.
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import platform
import shutil
from dataclasses import asdict
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from drillsim.records.record import NO_DATA, Record
from drillsim.records.result import IncidentInfo, RunResult, UnitInfo
from drillsim.records.spreadsheet import cell_text, spreadsheet_cell

if TYPE_CHECKING:
    from drillsim.metrics.summary import Summary

SCENARIO_COPY = "scenario.yaml"
DISTRICT_COPY = "district"
"""The run folder's copy of a district package that does not ship with drillsim."""

NETWORK_COPY = "network.graphml"
"""The run folder's copy of a drill's own GraphML ``network:`` (not a district's)."""


class DistrictCopy(NamedTuple):
    """The district of a run, for its folder.

    Attributes
    ----------
    record
        For the manifest: ``name``, ``name_en``, ``name_zh``, ``version``, ``sha256`` (of
        the package content) and ``path`` (the package folder, ``None`` when embedded).
    files
        ``(source, relative path in the package)`` of each file to copy into the run
        folder's ``district/`` (none for an embedded district).
    """

    record: dict[str, str | None]
    files: tuple[tuple[Path, Path], ...] = ()
EVENT_COLUMNS = ("t", "event", "incident", "unit", "node", "place", "data")
DEPENDENCIES = ("simpy", "numpy", "scipy", "networkx", "pydantic", "PyYAML", "matplotlib")


def _fmt(value: object) -> object:
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.3f}"
    return value


def _data_text(data: object) -> str:
    return json.dumps(dict(data), ensure_ascii=False, separators=(",", ":")) if data else ""


def write_run(result: RunResult, out_dir: Path, *, summary: Summary, summary_json: dict,
              scenario_file: str, scenario_hash: str, wall_time_s: float,
              network_given: str = "default", district: DistrictCopy | None = None,
              snaps: list[dict[str, object]] | None = None) -> None:
    """Write the files of a run into ``out_dir`` (created if missing).

    ``snaps``: the drill's locations played at a road node more than
    :data:`drillsim.network.fit.SNAP_NOTE_M` away (``where``, ``what``, ``node``,
    ``distance_m``), recorded in the manifest.

    ``network_given`` is the drill file's ``network`` as written (see
    :func:`network_record`). ``district``: the drill's district, recorded in the
    manifest; a package that does not ship with drillsim is copied into
    ``district/``, so the folder alone rebuilds the run.

    ``summary`` and ``summary_json`` come from :mod:`drillsim.metrics.summary`; this
    module only writes what the metrics computed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(scenario_file, out_dir / SCENARIO_COPY)
    copy = out_dir / DISTRICT_COPY
    if copy.is_dir():
        shutil.rmtree(copy)  # an earlier run's package
    for source, rel in district.files if district else ():
        (copy / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, copy / rel)
    if result.scenario.network != "default":  # a bare `network:` travels with the run too
        shutil.copyfile(result.scenario.network, out_dir / NETWORK_COPY)
    _write_json(out_dir / "actors.json", {
        "seed": result.seed,
        "units": [asdict(u) for u in result.units],
        "incidents": [asdict(i) for i in result.incidents]})
    with open(out_dir / "events.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(EVENT_COLUMNS)
        for r in result.records:
            w.writerow([spreadsheet_cell(c) for c in (
                f"{r.t:.3f}", r.event, r.incident, r.unit, r.node, r.place, _data_text(r.data))])
    columns, rows = summary.incident_rows()
    with open(out_dir / "incidents.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(columns)
        for row in rows:
            w.writerow([spreadsheet_cell(_fmt(v)) for v in row])
    _write_json(out_dir / "summary.json", summary_json)
    _write_json(out_dir / "manifest.json", manifest(
        scenario_file=scenario_file, scenario_hash=scenario_hash, seed=result.seed,
        wall_time_s=wall_time_s,
        network=network_record(scenario_file, network_given, result.scenario.network),
        district=district.record if district else None, snaps=snaps))


def write_failure(out_dir: Path, *, scenario_file: str, scenario_hash: str, seed: int,
                  wall_time_s: float, error: str) -> None:
    """Write only the manifest of a run that raised, with the exception."""
    out_dir.mkdir(parents=True, exist_ok=True)
    _write_json(out_dir / "manifest.json", manifest(
        scenario_file=scenario_file, scenario_hash=scenario_hash, seed=seed,
        wall_time_s=wall_time_s, error=error))


def manifest(*, scenario_file: str, scenario_hash: str, seed: int, wall_time_s: float,
             error: str | None = None, network: dict[str, str | None] | None = None,
             district: dict[str, str | None] | None = None,
             snaps: list[dict[str, object]] | None = None) -> dict[str, object]:
    """Provenance of a run: what ran, in which district, on which roads, where its places
    were played, with which seed and versions, how long it took (``network``: see
    :func:`network_record`; ``district``: :attr:`DistrictCopy.record`; ``snaps``: see
    :func:`write_run`)."""
    return {
        "scenario_file": scenario_file,
        "scenario_sha256": scenario_hash,
        "district": district,
        "network": network,
        "snaps": snaps or [],
        "seed": seed,
        "drillsim": _version("drillsim"),
        "python": platform.python_version(),
        "dependencies": {name: _version(name) for name in DEPENDENCIES},
        "wall_time_s": round(wall_time_s, 3),
        "error": error,
    }


def network_record(scenario_file: str, given: str, network: str) -> dict[str, str | None]:
    """The road network of a run, for the manifest.

    Parameters
    ----------
    scenario_file
        The drill file as the user named it.
    given
        The drill file's ``network`` as written.
    network
        The scenario's ``network``: ``"default"`` or the resolved absolute GraphML path.

    Returns
    -------
    dict
        ``given`` (the drill file's ``network`` text), ``path`` (absolute, ``None``
        for the embedded network), ``drill_folder`` (absolute folder of the drill
        file, against which a relative ``given`` is resolved) and ``sha256`` of the
        network file (the embedded ``network.yaml`` for ``default``).
    """
    from importlib import resources

    if network == "default":
        source = resources.files("drillsim") / "data" / "hongqiao" / "network.yaml"
        path, data = None, source.read_bytes()
    else:
        path, data = network, Path(network).read_bytes()
    return {"given": str(given), "path": path,
            "drill_folder": str(Path(scenario_file).resolve().parent),
            "sha256": hashlib.sha256(data).hexdigest()}


def _network_folder(run_dir: Path) -> Path:
    """The folder a run's relative ``network`` resolves against, once the network file
    is checked to be the one the run used.

    Raises
    ------
    DrillsimError
        When the network file is gone or changed since the run.
    """
    from drillsim.errors import DrillsimError

    try:
        info = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["network"]
    except (OSError, ValueError, KeyError, TypeError):
        info = None
    if not isinstance(info, dict):  # a run folder written before manifests named the network
        return run_dir
    if info.get("path") is not None:
        path = Path(str(info["path"]))
        short = str(info.get("sha256", ""))[:12]
        if not path.is_file():
            raise DrillsimError(
                f"{run_dir}: the run used the road network {info.get('given')!r} ({path}), "
                f"which is no longer there; put that file back (SHA-256 {short}...) to read "
                "the run")
        now = hashlib.sha256(path.read_bytes()).hexdigest()
        if now != info.get("sha256"):
            raise DrillsimError(
                f"{run_dir}: the road network {path} changed since the run (SHA-256 "
                f"{short}... then, {now[:12]}... now); the report would put the run on other "
                "roads: restore the file the run used, or run the drill again")
    return Path(str(info.get("drill_folder") or run_dir))


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def _write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def read_events(path: Path) -> tuple[Record, ...]:
    """The records of an ``events.csv`` (raises ``ValueError`` on a damaged file)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    if not rows or tuple(rows[0]) != EVENT_COLUMNS:
        raise ValueError(f"events.csv columns are not {', '.join(EVENT_COLUMNS)}")
    return tuple(Record(float(t), cell_text(ev), cell_text(inc), cell_text(unit), int(node),
                        cell_text(place), json.loads(data) if data else NO_DATA)
                 for t, ev, inc, unit, node, place, data in rows[1:])


def read_summary(run_dir: Path) -> dict:
    """The ``summary.json`` of a run folder.

    Raises
    ------
    DrillsimError
        When the folder has no summary or it is damaged.
    """
    from drillsim.errors import DrillsimError

    path = Path(run_dir) / "summary.json"
    if not path.is_file():
        raise DrillsimError(f"{run_dir}: not a run folder of `drillsim run --out` "
                            "(missing summary.json)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise DrillsimError(f"{path}: damaged summary ({exc})") from None
    if not isinstance(data, dict) or "metrics" not in data:
        raise DrillsimError(f"{path}: damaged summary (no metrics)")
    return data


def read_run(run_dir: Path) -> RunResult:
    """Rebuild the result of a run from the folder :func:`write_run` wrote.

    Raises
    ------
    DrillsimError
        When the folder is not a run folder or a file in it is damaged, or the road
        network file the run used (recorded in the manifest) is gone or changed.
    """
    from drillsim.errors import DrillsimError
    from drillsim.scenarios.loader import load_scenario

    run_dir = Path(run_dir)
    needed = (SCENARIO_COPY, "actors.json", "events.csv")
    missing = [n for n in needed if not (run_dir / n).is_file()]
    if missing:
        raise DrillsimError(f"{run_dir}: not a run folder of `drillsim run --out` "
                            f"(missing {', '.join(missing)})")
    copy = run_dir / DISTRICT_COPY
    net_copy = run_dir / NETWORK_COPY
    scenario = load_scenario(run_dir / SCENARIO_COPY, check_world=False,
                             folder=run_dir if net_copy.is_file() else _network_folder(run_dir),
                             district=str(copy.resolve()) if copy.is_dir() else None,
                             network_file=net_copy if net_copy.is_file() else None)
    try:
        actors = json.loads((run_dir / "actors.json").read_text(encoding="utf-8"))
        records = read_events(run_dir / "events.csv")
        units = tuple(UnitInfo(**u) for u in actors["units"])
        incidents = tuple(IncidentInfo(**i) for i in actors["incidents"])
    except (ValueError, KeyError, TypeError) as exc:
        raise DrillsimError(f"{run_dir}: damaged run files ({exc})") from None
    return RunResult(scenario=scenario, seed=int(actors["seed"]), records=records, units=units,
                     incidents=incidents)
