"""Which road arcs a road-change inject affects (used by the engine and the report's map)."""

from __future__ import annotations

import numpy as np

from drillsim.network.world import World
from drillsim.scenarios.schema import RoadChange


def road_change_edges(world: World, inj: RoadChange) -> np.ndarray:
    """The arcs a road-change inject affects.

    Parameters
    ----------
    world
        The world the drill runs in.
    inj
        A ``road_closed`` or ``road_reopened`` inject.

    Returns
    -------
    numpy.ndarray
        Arc indices (int64, read-only; kept with the world): the arcs of the named road
        and, with ``near``, only those whose midpoint lies within ``radius_m`` (m) of that
        place.

    Raises
    ------
    KeyError
        For an unknown road name or place (the scenario checks catch these first).
    """
    key = (inj.road, inj.near, inj.radius_m)
    edges = world.road_edges.get(key)
    if edges is None:
        edges = np.asarray(world.network.edges_named(inj.road), dtype=np.int64)
        if inj.near is not None:
            edges = world.network.edges_near(world.node_of(inj.near), inj.radius_m, edges)
        edges.flags.writeable = False
        world.road_edges[key] = edges
    return edges
