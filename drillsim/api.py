"""The public Python API: load a drill, build its world, run it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from drillsim.engine import run_drill as _run
from drillsim.network.world import World, load_world
from drillsim.records.result import RunResult
from drillsim.scenarios.schema import Scenario

__all__ = ["OpenedDrill", "load_scenario", "load_world", "open_drill", "run_drill",
           "write_run_folder"]


class OpenedDrill(NamedTuple):
    """A drill file read once: the drill, the world it was checked against, its hash.

    Attributes
    ----------
    scenario
        The validated drill.
    world
        The world built from the network and places the checks loaded.
    sha256
        SHA-256 of the file's bytes (hex), for the run manifest.
    warnings
        What the checks found worth a look without stopping the drill, one
        ``FILE:LINE: field: message`` each.
    network_given
        The file's ``network`` as written, for the run manifest.
    """

    scenario: Scenario
    world: World
    sha256: str
    warnings: tuple[str, ...] = ()
    network_given: str = "default"


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a drill file; raises :class:`drillsim.errors.ScenarioError`."""
    from drillsim.scenarios.loader import load_scenario as _load

    return _load(path)


def open_drill(path: str | Path) -> OpenedDrill:
    """Read, validate and check a drill file and build its world, each exactly once.

    The commands use this instead of :func:`load_scenario` plus :func:`load_world`,
    which would read the road network a second time.

    Raises
    ------
    ScenarioError
        With every problem of the file, one line each.
    """
    from drillsim.scenarios.loader import load_drill

    drill = load_drill(path)
    own = drill.scenario.district if drill.scenario.network == "default" else None
    world = World(drill.network, drill.places, own, disk=True)
    return OpenedDrill(drill.scenario, world, drill.sha256,
                       tuple(str(w) for w in drill.warnings), drill.network_given)


def run_drill(scenario: Scenario, seed: int | None = None, *, world: World | None = None,
              spawn_key: tuple[int, ...] = ()) -> RunResult:
    """Run a drill; its own seed unless ``seed`` is given. Returns the records."""
    world = world if world is not None else load_world(scenario.network, scenario.district)
    return _run(scenario, world, seed, spawn_key)


def write_run_folder(drill: OpenedDrill, result: RunResult, out_dir: Path, file: str | Path,
                     *, summary=None, wall_time_s: float = 0.0) -> None:
    """Write the run folder of ``result`` (``events.csv``, ``incidents.csv``,
    ``summary.json``, ``manifest.json`` ...: :func:`drillsim.records.run_folder.write_run`),
    as ``drillsim run --out`` does.

    Parameters
    ----------
    drill
        The opened drill file the run played.
    result
        Its records.
    out_dir
        Folder to write (created).
    file
        The drill file's path, for the manifest.
    summary
        The run's :class:`~drillsim.metrics.summary.Summary` (computed when ``None``).
    wall_time_s
        Wall time of the run, s, for the manifest.
    """
    from drillsim.metrics.summary import summarize, summary_dict
    from drillsim.records.run_folder import write_run
    from drillsim.scenarios.checks import snap_record

    summary = summarize(result) if summary is None else summary
    write_run(result, Path(out_dir), summary=summary,
              summary_json=summary_dict(result, summary, drill.world),
              scenario_file=str(file), scenario_hash=drill.sha256, wall_time_s=wall_time_s,
              network_given=drill.network_given, district=_district_files(drill.scenario),
              snaps=snap_record(drill.scenario, drill.world.places, drill.world.network))


def _district_files(scenario: Scenario):
    """The district of a drill for its run folder: its manifest record, and the package
    files to copy (none for an embedded district)."""
    from drillsim.network.district import load_district
    from drillsim.records.run_folder import DistrictCopy

    d = load_district(scenario.district)
    files = () if d.embedded else tuple((p, p.relative_to(d.folder)) for p in d.files())
    return DistrictCopy(d.record(), files)
