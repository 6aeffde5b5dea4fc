"""Where people live: the population grid the chemical release counts people on.

Shared by the engine (exposure and evacuation in
:mod:`drillsim.agents.chemical_release`) and the metrics (who lives in each threat
zone, :func:`drillsim.metrics.chemical.zone_reach`), so both count the same people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from drillsim.network.places import Place, Places

CELL_M = 100.0
"""Side of the population grid's cells, m."""

URBAN_REACH_M = 400.0
"""Cells farther than this from every road node hold nobody (parks, rivers, rail yards)."""


COMMUNITY_SEED = 20_210_101
"""Seed of the k-means split of a subdistrict's cells into its communities (any fixed value:
the split must be the same in every run)."""


@dataclass(frozen=True)
class Community:
    """A community (社区) of the population grid: a SYNTHETIC area.

    The data give only each subdistrict's number of communities (2023 statistical
    codes), not their names or boundaries; each subdistrict's cells are split into that
    many compact areas (k-means on the cell centres), numbered from north-west to
    south-east. Real community boundaries, when available, replace them.

    Attributes
    ----------
    id
        ``<subdistrict id>_<number>``, e.g. ``jieyuan_03``.
    subdistrict
        Id of its subdistrict.
    number
        1 .. the subdistrict's community count.
    lat, lon
        Centre of its cells, degrees.
    people
        Residents, the sum of its cells.
    """

    id: str
    subdistrict: str
    number: int
    lat: float
    lon: float
    people: float


def community_id(subdistrict: str, number: int) -> str:
    """The id of a subdistrict's ``number``-th (synthetic) community."""
    return f"{subdistrict}_{number:02d}"


def community_ids(places: Places) -> list[str]:
    """Ids of every (synthetic) community of the places catalogue, without building the
    grid: each subdistrict's ``communities`` count numbered from 1."""
    return [community_id(s.id, k) for s in places.of_kind("subdistrict")
            for k in range(1, int(s.attrs.get("communities", 1)) + 1)]


def nearest_subdistrict(subdistricts: list[Place], lat: np.ndarray, lon: np.ndarray,
                        k: float | None = None) -> np.ndarray:
    """Index into ``subdistricts`` of the subdistrict each point (degrees) belongs to: the
    one with the nearest centroid (the data give no boundaries; the same rule spreads the
    population over the cells). ``k``: cosine of the latitude scaling longitude
    differences (default: at the subdistricts' mean latitude)."""
    if k is None:
        k = math.cos(math.radians(float(np.mean([s.lat for s in subdistricts]))))
    slat = np.array([s.lat for s in subdistricts])
    slon = np.array([s.lon for s in subdistricts])
    lat, lon = np.atleast_1d(lat), np.atleast_1d(lon)
    return np.argmin((lat[:, None] - slat) ** 2 + ((lon[:, None] - slon) * k) ** 2, axis=1)


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
    communities, community
        The (synthetic) communities and each cell's (properties, split on first use).
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
            self.owner = nearest_subdistrict(subs, self.lat, self.lon, k)
            for j, sub in enumerate(subs):
                mine = self.owner == j
                if mine.any():
                    self.people[mine] = float(sub.attrs.get("population", 0)) / mine.sum()
        self._k = k

    @property
    def communities(self) -> list[Community]:
        """The (synthetic) communities, subdistrict by subdistrict (see :class:`Community`)."""
        return self._communities[0]

    @property
    def community(self) -> np.ndarray:
        """Index into :attr:`communities` of each cell (-1 when there is no subdistrict)."""
        return self._communities[1]

    @cached_property
    def _communities(self) -> tuple[list[Community], np.ndarray]:
        # split on first use: the k-means costs a fire drill's background calls ~0.1 s
        communities: list[Community] = []
        community = np.full(self.lat.size, -1, dtype=np.int64)
        for j, sub in enumerate(self.subdistricts):
            self._split(j, sub, communities, community)
        return communities, community

    def cells_of(self, area: str) -> np.ndarray:
        """Cells of a subdistrict or (synthetic) community, by id (bool per cell; none when
        the id is unknown)."""
        subs = [j for j, s in enumerate(self.subdistricts) if s.id == area]
        if subs:
            return self.owner == subs[0]
        coms = [j for j, c in enumerate(self.communities) if c.id == area]
        if coms:
            return self.community == coms[0]
        return np.zeros(self.lat.size, dtype=bool)

    def _split(self, j: int, sub: Place, communities: list[Community],
               community: np.ndarray) -> None:
        """Split subdistrict ``j``'s cells into its communities (see :class:`Community`),
        appending to ``communities`` and labelling the cells in ``community``."""
        cells = np.flatnonzero(self.owner == j)
        n = min(int(sub.attrs.get("communities", 1)), cells.size)
        if n == 0:
            return
        xy = np.column_stack([self.lon[cells] * self._k, self.lat[cells]])
        if n == 1:
            label = np.zeros(cells.size, dtype=np.int64)
        else:
            from scipy.cluster.vq import kmeans2  # here: only subdistricts with communities

            _, label = kmeans2(xy, n, minit="++", seed=np.random.default_rng(COMMUNITY_SEED))
        used = sorted(set(label.tolist()),
                      key=lambda c: (-xy[label == c, 1].mean(), xy[label == c, 0].mean()))
        for number, c in enumerate(used, start=1):
            mine = cells[label == c]
            community[mine] = len(communities)
            communities.append(Community(
                community_id(sub.id, number), sub.id, number, float(self.lat[mine].mean()),
                float(self.lon[mine].mean()), float(self.people[mine].sum())))
