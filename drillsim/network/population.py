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
    """A community (社区) of the population grid: a listed one or a SYNTHETIC area.

    A package's population file may list a subdistrict's communities (``communities:``,
    each with its centre and residents): each cell of the subdistrict then belongs to the
    nearest listed centre (docs/districts.md). Otherwise the data give only the
    subdistrict's number of communities (the embedded Hongqiao: 2023 statistical codes),
    not their names or boundaries; its cells are split into that many compact areas
    (k-means on the cell centres), numbered from north-west to south-east.

    Attributes
    ----------
    id
        The listed community's id, or ``<subdistrict id>_<number>`` for a synthetic one,
        e.g. ``jieyuan_03``.
    subdistrict
        Id of its subdistrict.
    number
        1 .. the subdistrict's community count (file order for listed ones).
    lat, lon
        The listed centre, or the centre of a synthetic one's cells, degrees.
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
    """Ids of every community of the places catalogue, without building the grid: a
    subdistrict's listed communities, else its ``communities`` count numbered from 1."""
    out = []
    for s in places.of_kind("subdistrict"):
        listed = listed_communities(places, s.id)
        out += [c.id for c in listed] or [
            community_id(s.id, k) for k in range(1, int(s.attrs.get("communities", 1)) + 1)]
    return out


def area_names(places: Places, area: str) -> tuple[str, str]:
    """English and Chinese names of a subdistrict or community id: a listed place's own
    names, or for a SYNTHETIC community (``<subdistrict>_<number>``) its subdistrict's
    short name and number (``Jieyuan 3``, ``芥园3``, as the report names it); the id itself
    when the places know neither."""
    p = places.get(area)
    if p is not None:
        return p.name_en or area, p.name_zh or area
    sub, _, number = area.rpartition("_")
    p = places.get(sub)
    if p is None or not number.isdigit():
        return area, area
    return (f"{p.name_en.removesuffix(' Subdistrict')} {int(number)}",
            f"{p.name_zh.removesuffix('街道')}{int(number)}")


def listed_communities(places: Places, subdistrict: str) -> list[Place]:
    """The communities (kind ``community``) the package lists for a subdistrict, in file
    order."""
    return [c for c in places.of_kind("community") if c.attrs.get("subdistrict") == subdistrict]


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
    """Where people live: 100 m cells holding the package's residents.

    The cells are those within :data:`URBAN_REACH_M` of a road node. Each belongs to the
    subdistrict with the nearest centre, and within a subdistrict whose communities the
    package lists, to the nearest listed community centre. Residents, in order of
    preference: the package's population grid file (``Places.cells``, summed into the
    cell nearest each of its points: :meth:`_gridded`); else each listed community's
    residents spread evenly over its cells; else each subdistrict's population spread
    evenly over its cells (synthetic, like the subdistrict split itself).

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
        The communities and each cell's (properties; synthetic ones split on first use).
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
        self._k = k
        self._listed: list[Place] = []  # the listed communities, subdistrict by subdistrict
        self._listed_of = np.full(self.lat.size, -1, dtype=np.int64)  # index into _listed
        subs = self.subdistricts
        if subs:
            self.owner = nearest_subdistrict(subs, self.lat, self.lon, k)
            for j, sub in enumerate(subs):
                self._label_listed(j, listed_communities(places, sub.id))
        if places.cells is not None:
            self.people = self._gridded(places.cells, lats[0], lons[0], dlat, dlon,
                                        (lats.size, lons.size), near)
            return
        for j, sub in enumerate(subs):
            mine = self.owner == j
            if not mine.any():
                continue
            if (self._listed_of[mine] >= 0).any():
                for c in np.unique(self._listed_of[mine]):
                    cells = self._listed_of == c
                    self.people[cells] = float(self._listed[c].attrs["residents"]) / cells.sum()
            else:
                self.people[mine] = float(sub.attrs.get("population", 0)) / mine.sum()

    def _label_listed(self, j: int, listed: list[Place]) -> None:
        """Give each cell of subdistrict ``j`` the nearest of its ``listed`` communities'
        centres; a community no cell is nearest to takes its nearest cell from a community
        with more than one cell, so every listed community keeps its residents on the map."""
        cells = np.flatnonzero(self.owner == j)
        if not listed or not cells.size:
            return
        first = len(self._listed)
        self._listed += listed
        clat = np.array([c.lat for c in listed])
        clon = np.array([c.lon for c in listed])
        d2 = ((self.lat[cells, None] - clat) ** 2
              + ((self.lon[cells, None] - clon) * self._k) ** 2)
        label = np.argmin(d2, axis=1)
        for c in range(len(listed)):
            if (label == c).any():
                continue
            counts = np.bincount(label, minlength=len(listed))
            free = np.flatnonzero(counts[label] > 1)
            if free.size:
                label[free[np.argmin(d2[free, c])]] = c
        self._listed_of[cells] = first + label

    def _gridded(self, points: np.ndarray, lat0: float, lon0: float, dlat: float, dlon: float,
                 shape: tuple[int, int], near: np.ndarray) -> np.ndarray:
        """Residents of each cell from a population grid file's points (``(n, 3)``: lat,
        lon, residents): each point inside the grid's rectangle goes to the kept cell
        nearest it (its own cell, or for a point on a cell far from every road, the
        nearest cell near one); points outside the rectangle (beyond the road network's
        area; ``district check`` counts them) are left out."""
        from scipy.spatial import cKDTree

        i = np.rint((points[:, 0] - lat0) / dlat)
        jj = np.rint((points[:, 1] - lon0) / dlon)
        inside = (i >= 0) & (i < shape[0]) & (jj >= 0) & (jj < shape[1])
        people = np.zeros(self.lat.size)
        if not inside.any() or not self.lat.size:
            return people
        kept = np.full(near.size, -1, dtype=np.int64)
        kept[near] = np.arange(self.lat.size)
        cell = kept[(i[inside] * shape[1] + jj[inside]).astype(np.int64)]
        off = cell < 0
        if off.any():
            tree = cKDTree(np.column_stack([self.lat, self.lon * self._k]))
            pts = points[inside][off]
            cell[off] = tree.query(np.column_stack([pts[:, 0], pts[:, 1] * self._k]))[1]
        return np.bincount(cell, weights=points[inside, 2], minlength=self.lat.size)

    @property
    def communities(self) -> list[Community]:
        """The communities, subdistrict by subdistrict (see :class:`Community`)."""
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
        appending to ``communities`` and labelling the cells in ``community``: its listed
        communities' cells, else a k-means split."""
        cells = np.flatnonzero(self.owner == j)
        listed = np.unique(self._listed_of[cells])
        if listed.size and listed[0] >= 0:
            for number, c in enumerate(listed, start=1):
                mine = np.flatnonzero(self._listed_of == c)
                community[mine] = len(communities)
                place = self._listed[c]
                communities.append(Community(place.id, sub.id, number, place.lat, place.lon,
                                             float(self.people[mine].sum())))
            return
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
