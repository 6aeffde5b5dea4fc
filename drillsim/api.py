"""The public Python API: load a drill, build its world, run it."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from drillsim.engine import run_drill as _run
from drillsim.network.world import World, load_world
from drillsim.records.result import RunResult
from drillsim.scenarios.schema import Scenario

__all__ = ["OpenedDrill", "load_scenario", "load_world", "open_drill", "run_drill"]


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
    return OpenedDrill(drill.scenario, World(drill.network, drill.places, own), drill.sha256,
                       tuple(str(w) for w in drill.warnings), drill.network_given)


def run_drill(scenario: Scenario, seed: int | None = None, *, world: World | None = None,
              spawn_key: tuple[int, ...] = ()) -> RunResult:
    """Run a drill; its own seed unless ``seed`` is given. Returns the records."""
    world = world if world is not None else load_world(scenario.network, scenario.district)
    return _run(scenario, world, seed, spawn_key)
