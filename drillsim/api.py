"""The public Python API: load a drill, build its world, run it."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from drillsim.engine import run_drill as _run
from drillsim.network.world import World
from drillsim.records.result import RunResult
from drillsim.scenarios.schema import Scenario


@lru_cache(maxsize=4)
def load_world(network: str = "default") -> World:
    """The world for a network spec: ``"default"`` (embedded Hongqiao) or a GraphML path.

    Worlds are cached, so repeated runs share their travel-time tables.
    """
    from drillsim.network.graphml import load_network, load_places

    return World(load_network(network), load_places())


def load_scenario(path: str | Path) -> Scenario:
    """Read and validate a drill file; raises :class:`drillsim.errors.ScenarioError`."""
    from drillsim.scenarios.loader import load_scenario as _load

    return _load(path)


def run_drill(scenario: Scenario, seed: int | None = None, *, world: World | None = None,
              spawn_key: tuple[int, ...] = ()) -> RunResult:
    """Run a drill; its own seed unless ``seed`` is given. Returns the records."""
    world = world if world is not None else load_world(scenario.network)
    return _run(scenario, world, seed, spawn_key)
