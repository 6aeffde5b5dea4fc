"""Where people live: the population grid the chemical release counts people on.

Shared by the engine (exposure and evacuation in
:mod:`drillsim.agents.chemical_release`) and the metrics (who lives in each threat
zone, :func:`drillsim.metrics.chemical.zone_reach`), so both count the same people.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from drillsim.network.places import Place, Places

CELL_M = 100.0
"""Side of the population grid's cells, m."""

URBAN_REACH_M = 400.0
"""Cells farther than this from every road node hold nobody (parks, rivers, rail yards)."""


class PopulationGrid:
    """Where people live: 100 m cells, each subdistrict's population spread evenly over the
    cells nearest its centroid (synthetic, like the subdistrict split itself).

    Exposure and evacuation count people in cells, so a narrow plume between two road
    nodes still finds the people who live there; each cell's people leave from its
    nearest road node.

    Attributes
    ----------
    lat, lon
        Cell centres, degrees.
    node
        Nearest road node of each cell.
    people
        Residents of each cell.
    subdistricts
        The subdistricts of the places catalogue, in catalogue order.
    owner
        Index into ``subdistricts`` of each cell (-1 when there is no subdistrict).
    """

    def __init__(self, network, places: Places) -> None:
        lat0 = float(network.lat.mean())
        k = math.cos(math.radians(lat0))
        dlat = CELL_M / 111_195.0
        dlon = dlat / k
        lats = np.arange(network.lat.min(), network.lat.max() + dlat, dlat)
        lons = np.arange(network.lon.min(), network.lon.max() + dlon, dlon)
        glat, glon = (a.ravel() for a in np.meshgrid(lats, lons, indexing="ij"))
        node = network.nearest_nodes(glat, glon)
        near = np.hypot((glat - network.lat[node]) * 111_195.0,
                        (glon - network.lon[node]) * 111_195.0 * k) <= URBAN_REACH_M
        self.lat, self.lon, self.node = glat[near], glon[near], node[near]
        self.people = np.zeros(self.lat.size)
        self.subdistricts: list[Place] = places.of_kind("subdistrict")
        self.owner = np.full(self.lat.size, -1, dtype=np.int64)
        subs = self.subdistricts
        if subs:
            slat = np.array([s.lat for s in subs])
            slon = np.array([s.lon for s in subs])
            self.owner = np.argmin((self.lat[:, None] - slat) ** 2
                                   + ((self.lon[:, None] - slon) * k) ** 2, axis=1)
            for j, sub in enumerate(subs):
                mine = self.owner == j
                if mine.any():
                    self.people[mine] = float(sub.attrs.get("population", 0)) / mine.sum()
