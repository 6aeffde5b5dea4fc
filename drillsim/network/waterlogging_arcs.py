"""Which road arcs a waterlogging point governs (used by the engine and the report)."""

from __future__ import annotations

import numpy as np

from drillsim.network.graph import RoadNetwork
from drillsim.scenarios.schema import WaterloggingPoint


def point_edges(network: RoadNetwork, node: int, point: WaterloggingPoint) -> np.ndarray:
    """The arcs a waterlogging point floods.

    Parameters
    ----------
    network
        The road network.
    node
        The point's network node.
    point
        The waterlogging point of the drill file.

    Returns
    -------
    numpy.ndarray
        Arc indices (int64), sorted: the arcs of the point's named roads (of any road when
        it names none) whose midpoint lies within ``point.radius_m`` (m) of ``node``, and
        those that end at ``node`` (the sag is at the node: a long arc's midpoint may lie
        beyond the radius while its end is under water).

    Raises
    ------
    KeyError
        For an unknown road name (the scenario checks catch these first).
    """
    edges = np.asarray([], dtype=np.int64)
    for road in point.roads or [None]:
        pool = None if road is None else network.edges_named(road)
        near = network.edges_near(node, point.radius_m, pool)
        pool = np.arange(network.n_edges) if pool is None else np.asarray(pool, dtype=np.int64)
        ends = pool[(network.edge_u[pool] == node) | (network.edge_v[pool] == node)]
        edges = np.union1d(edges, np.union1d(near, ends))
    return edges.astype(np.int64)
