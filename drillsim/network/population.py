"""Where people live: the population grid the chemical release counts people on (refined
near the source, :meth:`PopulationGrid.near_source`).

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


FINE_CELL_M = 10.0
"""Side of the sub-cells near a chemical source (:meth:`PopulationGrid.near_source`), m."""

FINE_RADIUS_M = 300.0
"""Cells whose centre lies within this distance of a chemical source are split into
sub-cells (:meth:`PopulationGrid.near_source`), m: three cells each way, beyond which the
zones are large next to a 100 m cell."""

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

    def near_source(self, src_lat: float, src_lon: float, *, radius_m: float = FINE_RADIUS_M,
                    cell_m: float = FINE_CELL_M) -> PopulationGrid:
        """The grid with every cell whose centre lies within ``radius_m`` of the source split
        into ``cell_m`` sub-cells, each with an even share of the cell's people, its road
        node, subdistrict and community.

        Every zone count of a chemical release (the isolation circle, the AEGL zones, the
        ERG square, in the engine and in the metrics) takes the people of the (sub-)cells
        whose centre lies inside the zone: one rule. On 100 m cells that rule is a lottery
        for zones smaller than a cell (a 30 m isolation circle held a whole cell of 98
        people while the 37 m AEGL-3 and 98 m AEGL-2 plumes from the same source held
        nobody); on 10 m sub-cells a zone's count is the people living in its area to
        within its edge (a 30 m circle: 29 sub-cell centres for 28.3 sub-cells of area).

        Parameters
        ----------
        src_lat, src_lon
            The source, degrees.
        radius_m, cell_m
            Reach of the refinement and side of the sub-cells, m (``cell_m`` divides
            :data:`CELL_M`).

        Returns
        -------
        PopulationGrid
            A new grid (this one is unchanged); the same people in total.
        """
        k = math.cos(math.radians(src_lat))
        d = np.hypot((self.lat - src_lat) * 111_195.0, (self.lon - src_lon) * 111_195.0 * k)
        split = d <= radius_m
        n = round(CELL_M / cell_m)
        offsets = (np.arange(n) + 0.5) / n - 0.5  # sub-cell centres, in cell sides
        dy, dx = (a.ravel() for a in np.meshgrid(offsets, offsets, indexing="ij"))
        parent = np.repeat(np.flatnonzero(split), n * n)
        sub_lat = self.lat[parent] + np.tile(dy, int(split.sum())) * CELL_M / 111_195.0
        sub_lon = self.lon[parent] + np.tile(dx, int(split.sum())) * CELL_M / (111_195.0 * k)
        keep = np.flatnonzero(~split)
        out = object.__new__(PopulationGrid)
        out.__dict__.update(self.__dict__)
        out.lat = np.concatenate([self.lat[keep], sub_lat])
        out.lon = np.concatenate([self.lon[keep], sub_lon])
        for name in ("node", "owner"):
            a = getattr(self, name)
            setattr(out, name, np.concatenate([a[keep], a[parent]]))
        com = self.community  # the sub-cells keep their cell's community (split once)
        out.__dict__["_communities"] = (self.communities,
                                        np.concatenate([com[keep], com[parent]]))
        out.people = np.concatenate([self.people[keep], self.people[parent] / (n * n)])
        return out

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
