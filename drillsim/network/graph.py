"""Road network, vehicle speeds and the travel-time engine (model core).

:class:`RoadNetwork` is the immutable topology: nodes with coordinates and
directed edges (arcs) with length, road class and free-flow speed, built from an
osmnx-style ``networkx.MultiDiGraph``. :class:`TravelTimes` holds the mutable
road conditions (closures, slowdowns, per vehicle class) and answers travel-time
and route queries from shortest-path trees computed with
``scipy.sparse.csgraph.dijkstra`` and cached per (vehicle, origin).

Units: lengths in metres, speeds in km/h, times in seconds, coordinates in
WGS84 degrees.
"""

from __future__ import annotations

import ast
import hashlib
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np

from drillsim import diskcache

if TYPE_CHECKING:
    import networkx as nx
    from scipy.sparse import csr_matrix

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius (IUGG), metres."""

DEFAULT_SPEED_KMH: dict[str, float] = {
    # Free-flow speeds by OSM road class when an edge has no usable ``maxspeed``.
    # Source: design speeds of CJJ 37-2012 (城市道路工程设计规范), table 3.0.2:
    # expressway 60-100, arterial 40-60, collector 30-50, local 20-40 km/h.
    # Taking a mid value of each band is an assumption.
    "motorway": 80.0,
    "trunk": 60.0,
    "primary": 50.0,
    "secondary": 40.0,
    "tertiary": 30.0,
    "unclassified": 25.0,
    "residential": 25.0,
    "living_street": 10.0,  # OSM living_street: walking pace zones (assumption)
    "service": 15.0,  # assumption: car parks, compounds, access lanes
    "path": 5.0,  # footway, path, pedestrian, steps, cycleway, track (assumption)
}

_PATH_CLASSES = frozenset({"footway", "path", "pedestrian", "steps", "cycleway", "track",
                           "bridleway", "corridor", "elevator", "escalator"})

_ARTERIAL = ("motorway", "trunk", "primary", "secondary")
_LOCAL = ("unclassified", "residential", "living_street", "service")


@dataclass(frozen=True)
class Vehicle:
    """How fast one vehicle class moves on each road class.

    Attributes
    ----------
    name
        Vehicle class name.
    factors
        Speed multiplier per road class, relative to the edge's free-flow speed;
        0 means the class may not use that road. Classes missing here use 1.
    cap_kmh
        Absolute speed cap, km/h.
    constant_kmh
        When set, the class moves at this speed (km/h) on every road it may use,
        whatever the road's speed (walking).
    ignores_oneway
        Whether the class may travel against one-way arcs (walking).
    """

    name: str
    factors: Mapping[str, float]
    cap_kmh: float
    constant_kmh: float | None = None
    ignores_oneway: bool = False

    def speed_kmh(self, road_class: str, free_flow_kmh: float) -> float:
        """Speed on a road of ``road_class`` with free-flow speed ``free_flow_kmh`` (km/h)."""
        factor = self.factors.get(road_class, 1.0)
        base = self.constant_kmh if self.constant_kmh is not None else free_flow_kmh
        return min(base * factor, self.cap_kmh)


def _per_class(arterial: float, tertiary: float, local: float, path: float) -> dict[str, float]:
    factors = {c: arterial for c in _ARTERIAL} | {c: local for c in _LOCAL}
    return factors | {"tertiary": tertiary, "path": path}


_TRUCK_FACTORS = _per_class(0.8, 0.8, 0.8, 0.0)

VEHICLES: dict[str, Vehicle] = {
    # Fire engine under lights and siren. Assumption, in line with Ho & Casey (1998,
    # Ann. Emerg. Med. 32:585), who measured lights-and-siren runs in an urban
    # area as saving well under a minute over normal driving: ~10 % above
    # free-flow on arterials, free-flow on collectors, 0.8x on narrow residential
    # and 0.6x on service lanes (a heavy appliance turning in tight streets).
    "fire_engine": Vehicle("fire_engine", _per_class(1.1, 1.0, 0.8, 0.0) | {"service": 0.6},
                           cap_kmh=90.0),
    # Heavy goods vehicle (relief supplies). Assumption: 0.8x free-flow on every
    # class; cap 60 km/h, a common urban limit for trucks in Chinese cities.
    "truck": Vehicle("truck", _TRUCK_FACTORS, cap_kmh=60.0),
    # High-clearance vehicle for flood work: truck speeds (assumption); it differs
    # from a truck only in the water depth at which later issues close roads to it.
    "high_clearance": Vehicle("high_clearance", _TRUCK_FACTORS, cap_kmh=60.0),
    # Private car or light vehicle at free-flow speed (definition), no paths.
    "car": Vehicle("car", _per_class(1.0, 1.0, 1.0, 0.0), cap_kmh=120.0),
    # Walking at 1.3 m/s (4.68 km/h), about the mean adult walking speed measured
    # by Knoblauch, Pietrucha & Nitzburg (1996, Transp. Res. Rec. 1538); on every
    # road except motorways, in both directions.
    "foot": Vehicle("foot", {"motorway": 0.0}, cap_kmh=4.68, constant_kmh=4.68,
                    ignores_oneway=True),
}

_MPH_KMH = 1.609344


def haversine_m(lat1, lon1, lat2, lon2):
    """Great-circle distance in metres between points given in degrees (broadcasts)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(np.asarray(lon2) - np.asarray(lon1))
    a = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def _as_list(value) -> list:
    """A value that may be a list or a list written as a string (GraphML), as a list."""
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str) and value.startswith("["):
        try:
            parsed = ast.literal_eval(value)
        except (ValueError, SyntaxError):
            return [value]
        return list(parsed) if isinstance(parsed, list | tuple) else [parsed]
    return [value]


def road_class(highway) -> str:
    """Normalised road class of an OSM ``highway`` value (``primary_link`` -> ``primary``).

    A list (or list-string) takes its first entry, as osmnx does; unknown values
    become ``unclassified``, footways and the like ``path``.
    """
    values = [v for v in _as_list(highway) if v not in (None, "")]
    if not values:
        return "unclassified"
    cls = str(values[0]).strip().removesuffix("_link")
    if cls in _PATH_CLASSES:
        return "path"
    return cls if cls in DEFAULT_SPEED_KMH else "unclassified"


ZONE_SPEED_KMH: dict[str, float] = {
    # Implicit speed limits written as ``maxspeed=<country>:<zone>`` (OSM key
    # ``maxspeed``, "Implicit maxspeed values"). Values: the national default limits
    # listed on the OSM wiki page "Default speed limits" (wiki.openstreetmap.org/wiki/
    # Default_speed_limits), which cites each country's traffic code (e.g. DE StVO
    # para. 3: 50 urban / 100 rural; RU Traffic Rules 10.2-10.3: 60 / 90 / 110; GB
    # national speed limit 60 mph single / 70 mph dual carriageway).
    # CN: Regulations for the Implementation of the Road Traffic Safety Law, art. 45:
    # 30 km/h urban without a centre line, 50 km/h with one lane each way; ``CN:urban``
    # does not say which, 50 is taken (assumption, the more common street type).
    # ``<cc>:motorway`` of a country without a general motorway limit (DE) is absent
    # and falls back to the road class.
    "AT:urban": 50.0, "AT:rural": 100.0, "AT:motorway": 130.0,
    "BE:urban": 50.0, "BE-VLG:rural": 70.0, "BE-WAL:rural": 90.0, "BE:motorway": 120.0,
    "CH:urban": 50.0, "CH:rural": 80.0, "CH:motorway": 120.0,
    "CN:urban": 50.0, "CN:rural": 70.0,
    "CZ:urban": 50.0, "CZ:rural": 90.0, "CZ:motorway": 130.0,
    "DE:urban": 50.0, "DE:rural": 100.0, "DE:living_street": 7.0, "DE:bicycle_road": 30.0,
    "DK:urban": 50.0, "DK:rural": 80.0, "DK:motorway": 130.0,
    "ES:urban": 50.0, "ES:rural": 90.0, "ES:motorway": 120.0,
    "FR:urban": 50.0, "FR:rural": 80.0, "FR:motorway": 130.0,
    "GB:nsl_single": 60 * 1.609344, "GB:nsl_dual": 70 * 1.609344,
    "GB:motorway": 70 * 1.609344,
    "IT:urban": 50.0, "IT:rural": 90.0, "IT:motorway": 130.0,
    "NL:urban": 50.0, "NL:rural": 80.0, "NL:motorway": 100.0,
    "PL:urban": 50.0, "PL:rural": 90.0, "PL:motorway": 140.0,
    "RU:urban": 60.0, "RU:rural": 90.0, "RU:motorway": 110.0, "RU:living_street": 20.0,
    "UA:urban": 50.0, "UA:rural": 90.0, "UA:motorway": 130.0,
}
"""National default speed limits by zone tag, km/h (``DE:zone30``-style tags carry their
own number and are read from it, see :func:`parse_maxspeed`)."""

_ZONES_LOWER = {k.lower(): v for k, v in ZONE_SPEED_KMH.items()}
_ZONE_NUMBER = re.compile(r"[a-z]{2}(?:-[a-z]+)?:zone:?(\d+)")


def _one_speed(item) -> float | None:
    """km/h of one ``maxspeed`` entry (number, ``"50 mph"``, zone tag), or ``None``."""
    if isinstance(item, int | float) and not isinstance(item, bool):
        return float(item) if item > 0 else None
    text = str(item).strip()
    zone = _ZONES_LOWER.get(text.lower())
    if zone is not None:
        return zone
    match = _ZONE_NUMBER.fullmatch(text.lower())
    if match:
        return float(match[1])
    match = re.fullmatch(r"(\d+(?:\.\d+)?)\s*(mph|km/h|kmh|kph)?", text.lower())
    if match and float(match[1]) > 0:
        return float(match[1]) * (_MPH_KMH if match[2] == "mph" else 1.0)
    return None


def parse_maxspeed(value) -> float | None:
    """Speed limit in km/h from an OSM ``maxspeed`` value, or ``None`` if unusable.

    Accepts numbers, ``"50"``, ``"50 mph"``, zone tags (``"DE:urban"``, ``"RU:rural"``,
    ``"DE:zone30"``: :data:`ZONE_SPEED_KMH`), lane-separated values (``"50|30"``: the
    LOWEST lane, because a fire engine or truck keeps to the slower, right-hand lanes
    that carry the lower limits, and a lower speed errs towards later arrivals rather
    than promising times no appliance makes) and lists (mean of the parsable entries,
    as osmnx does); ``"none"``, ``"signals"``, ``"walk"`` give ``None`` (the road
    class's default applies).
    """
    speeds = []
    for item in _as_list(value):
        lanes = [_one_speed(x) for x in str(item).split("|")] if isinstance(item, str) \
            and "|" in item else [_one_speed(item)]
        lanes = [x for x in lanes if x is not None]
        if lanes:
            speeds.append(min(lanes))
    return float(np.mean(speeds)) if speeds else None


def edge_speed_kmh(attrs: Mapping, road_cls: str, length_m: float) -> float:
    """Free-flow speed of an arc, km/h, from the best source it carries.

    In order: its own ``maxspeed`` tag (:func:`parse_maxspeed`); osmnx's
    ``speed_kph`` (``ox.add_edge_speeds``: the tag, or the mean tagged speed of the
    arc's road type in the same graph); osmnx's ``travel_time`` (s, converted with the
    arc's ``length_m``); the road class default :data:`DEFAULT_SPEED_KMH`.
    """
    speed = parse_maxspeed(attrs.get("maxspeed"))
    if speed is None:
        kph = _float_or_nan(attrs.get("speed_kph"))
        speed = kph if np.isfinite(kph) and kph > 0 else None
    if speed is None:
        seconds = _float_or_nan(attrs.get("travel_time"))
        if np.isfinite(seconds) and seconds > 0 and length_m > 0:
            speed = length_m / seconds * 3.6
    return speed if speed is not None else DEFAULT_SPEED_KMH[road_cls]


NOT_ROADS = frozenset({"construction", "proposed", "planned", "platform", "abandoned",
                       "disused", "razed", "raceway", "bus_guideway", "escape", "rest_area",
                       "services", "elevator", "corridor"})
"""OSM ``highway`` values that are no usable road for anyone (dropped when a file is read)."""

DRIVE_EXCLUDED = _PATH_CLASSES
"""OSM ``highway`` values no vehicle drives (kept for walking, dropped from a district's
driving network by ``drillsim district new``)."""


def non_road(attrs: Mapping) -> str | None:
    """Why an OSM way (edge attributes) is no road, or ``None`` for a road.

    A way is no road when it has a ``railway`` tag and no ``highway`` (a way with
    neither is read as an unclassified road), when
    it is an area (``area=yes``: squares and car parks drawn as outlines), or when its
    ``highway`` is under construction, proposed, a platform and the like
    (:data:`NOT_ROADS`). A street with tram tracks (``highway`` and ``railway``) is a road.
    """
    values = [str(v).strip() for v in _as_list(attrs.get("highway")) if v not in (None, "")]
    if not values:
        return "railway" if attrs.get("railway") not in (None, "") else None
    if parse_bool(attrs.get("area")) and str(attrs.get("area")).strip().lower() != "viaduct":
        return "area=yes"
    if values[0].removesuffix("_link") in NOT_ROADS:
        return f"highway={values[0]}"
    return None


def parse_bool(value) -> bool:
    """OSM/GraphML truthiness: ``True``, ``"True"``, ``"yes"``, ``"1"``, ``"viaduct"``... ."""
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    return str(value).strip().lower() not in ("", "false", "no", "0", "none", "nan")


def _text(value) -> str:
    items = [str(v) for v in _as_list(value) if v not in (None, "")]
    return " / ".join(items)


def _readonly(a: np.ndarray) -> np.ndarray:
    a.flags.writeable = False
    return a


CONVERTED_FROM = "converted_from"
"""Graph attribute set by :func:`drillsim.network.graphml.to_wgs84`: the ``crs`` the
coordinates were converted from (read into :attr:`RoadNetwork.converted_from`)."""


@dataclass(frozen=True, eq=False)
class RoadNetwork:
    """Immutable road topology: nodes ``0..n-1`` and directed edges (arcs).

    Two-way roads are two arcs. Build with :meth:`from_networkx`.

    Attributes
    ----------
    node_ids
        External node ids (strings), by index.
    lat, lon
        Node coordinates, degrees.
    node_names
        Node names ("" when none).
    node_names_en
        English node names ("" when none; empty tuple when the source gives none).
    edge_u, edge_v
        Tail and head node index of each arc.
    edge_length_m
        Arc length, metres.
    edge_highway
        Normalised road class (see :func:`road_class`).
    edge_speed_kmh
        Free-flow speed, km/h (``maxspeed`` or :data:`DEFAULT_SPEED_KMH`).
    edge_oneway
        Whether the arc belongs to a one-way road.
    edge_name, edge_name_en
        Road names ("" when none).
    edge_bridge
        Whether the arc is a bridge.
    converted_from
        The projected ``crs`` the file's coordinates were converted from on loading
        (:func:`drillsim.network.graphml.to_wgs84`), ``""`` when they were longitude /
        latitude.
    """

    node_ids: tuple[str, ...]
    lat: np.ndarray
    lon: np.ndarray
    node_names: tuple[str, ...]
    edge_u: np.ndarray
    edge_v: np.ndarray
    edge_length_m: np.ndarray
    edge_highway: tuple[str, ...]
    edge_speed_kmh: np.ndarray
    edge_oneway: np.ndarray
    edge_name: tuple[str, ...]
    edge_name_en: tuple[str, ...]
    edge_bridge: np.ndarray
    converted_from: str = ""
    node_names_en: tuple[str, ...] = ()
    node_index: dict[str, int] = field(init=False, repr=False)
    _near: NearestPoint = field(init=False, repr=False)
    _lat0: float = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("lat", "lon", "edge_u", "edge_v", "edge_length_m", "edge_speed_kmh",
                     "edge_oneway", "edge_bridge"):
            _readonly(getattr(self, name))
        object.__setattr__(self, "node_index", {nid: i for i, nid in enumerate(self.node_ids)})
        lat0 = float(np.mean(self.lat)) if self.n_nodes else 0.0
        object.__setattr__(self, "_lat0", lat0)
        object.__setattr__(self, "_near", NearestPoint(self._project(self.lat, self.lon)))

    @classmethod
    def from_networkx(cls, G: nx.MultiDiGraph) -> RoadNetwork:
        """Build from an osmnx-style graph (attributes may be GraphML strings).

        Node attributes: ``y`` = latitude, ``x`` = longitude (degrees), optional
        ``name``. Edge attributes: ``length`` (m; haversine of the end nodes when
        missing), ``highway``, ``maxspeed`` (km/h or ``"50 mph"``), ``oneway``,
        ``name``, ``name_en``, ``bridge``, and osmnx's ``speed_kph`` and ``travel_time``
        (s) when present (see :func:`edge_speed_kmh`). Node order is sorted by node id.
        The graph attribute :data:`CONVERTED_FROM` becomes :attr:`converted_from`.

        Raises
        ------
        ValueError
            When the graph has no nodes or a node lacks usable ``x``/``y``.
        """
        return cls.from_arcs(G.nodes, G.edges(keys=True, data=True),
                             converted_from=str(G.graph.get(CONVERTED_FROM, "") or ""))

    @classmethod
    def from_arcs(cls, nodes: Mapping[Any, Mapping[str, Any]],
                  arcs: Iterable[tuple[Any, Any, Any, Mapping[str, Any]]], *,
                  converted_from: str = "") -> RoadNetwork:
        """Build from node attributes and arcs, as :meth:`from_networkx` reads a graph.

        Parameters
        ----------
        nodes
            Attributes by node id (``y``, ``x``, optional ``name``).
        arcs
            ``(u, v, key, attributes)`` per arc, ``key`` telling parallel arcs apart;
            attributes as in :meth:`from_networkx`.
        converted_from
            See :attr:`converted_from`.

        Raises
        ------
        ValueError
            When there are no nodes or a node lacks usable ``x``/``y``.
        """
        if len(nodes) == 0:
            raise ValueError("the road network has no nodes")
        node_data = nodes
        nodes = sorted(node_data, key=str)
        index = {n: i for i, n in enumerate(nodes)}
        lat, lon = np.empty(len(nodes)), np.empty(len(nodes))
        for i, n in enumerate(nodes):
            data = node_data[n]
            try:
                lat[i], lon[i] = float(data["y"]), float(data["x"])
            except (KeyError, TypeError, ValueError):
                raise ValueError(f"node {n!r} has no numeric 'x'/'y' (lon/lat) attributes") \
                    from None
        if not (np.all(np.abs(lat) <= 90) and np.all(np.abs(lon) <= 180)):
            raise ValueError("node coordinates are not WGS84 degrees ('y' = lat, 'x' = lon)")
        arcs = sorted(arcs, key=lambda e: (index[e[0]], index[e[1]], str(e[2])))
        u = np.array([index[a[0]] for a in arcs], dtype=np.int64)
        v = np.array([index[a[1]] for a in arcs], dtype=np.int64)
        classes = tuple(road_class(a[3].get("highway")) for a in arcs)
        length = np.array([_float_or_nan(a[3].get("length")) for a in arcs])
        missing = ~np.isfinite(length)
        length[missing] = haversine_m(lat[u[missing]], lon[u[missing]], lat[v[missing]],
                                      lon[v[missing]])
        speed = np.array([edge_speed_kmh(a[3], c, x)
                          for a, c, x in zip(arcs, classes, length, strict=True)])
        return cls(
            node_ids=tuple(str(n) for n in nodes),
            lat=lat, lon=lon,
            node_names=tuple(_text(node_data[n].get("name")) for n in nodes),
            node_names_en=tuple(_text(node_data[n].get("name_en")) for n in nodes),
            edge_u=u, edge_v=v,
            edge_length_m=np.maximum(length, 0.0),
            edge_highway=classes,
            edge_speed_kmh=speed,
            edge_oneway=np.array([parse_bool(a[3].get("oneway")) for a in arcs], dtype=bool),
            edge_name=tuple(_text(a[3].get("name")) for a in arcs),
            edge_name_en=tuple(_text(a[3].get("name_en")) for a in arcs),
            edge_bridge=np.array([parse_bool(a[3].get("bridge")) for a in arcs], dtype=bool),
            converted_from=converted_from,
        )

    @property
    def n_nodes(self) -> int:
        """Number of nodes."""
        return len(self.node_ids)

    @property
    def n_edges(self) -> int:
        """Number of arcs (a two-way road counts twice)."""
        return int(self.edge_u.size)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """``(min_lat, min_lon, max_lat, max_lon)``, degrees."""
        return (float(self.lat.min()), float(self.lon.min()), float(self.lat.max()),
                float(self.lon.max()))

    def road_edges(self, edges: np.ndarray | None = None) -> np.ndarray:
        """One arc per connected node pair (the shortest), so a two-way road counts once.

        Parameters
        ----------
        edges
            Arc indices to choose from; all arcs when ``None``.
        """
        edges = np.arange(self.n_edges) if edges is None else np.asarray(edges, dtype=np.int64)
        u, v = self.edge_u[edges], self.edge_v[edges]
        pair = np.minimum(u, v) * self.n_nodes + np.maximum(u, v)
        order = np.lexsort((self.edge_length_m[edges], pair))
        first = np.ones(order.size, dtype=bool)
        first[1:] = pair[order][1:] != pair[order][:-1]
        return edges[order[first]]

    def total_km(self, edges: np.ndarray | None = None) -> float:
        """Road length in km, a two-way road counted once (see :meth:`road_edges`)."""
        return float(self.edge_length_m[self.road_edges(edges)].sum() / 1000.0)

    def _project(self, lat, lon) -> np.ndarray:
        """Local equirectangular projection around the mean latitude, metres."""
        k = math.radians(1.0) * EARTH_RADIUS_M
        return np.column_stack([np.asarray(lon, float) * k * math.cos(math.radians(self._lat0)),
                                np.asarray(lat, float) * k])

    def nearest_node(self, lat: float, lon: float) -> tuple[int, float]:
        """Index of the node nearest to (``lat``, ``lon``) and its distance in metres."""
        i = self._near.nearest(self._project([lat], [lon])[0])
        return i, float(haversine_m(lat, lon, self.lat[i], self.lon[i]))

    def nearest_nodes(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Index of the nearest node for each of many points (vectorised :meth:`nearest_node`)."""
        return self._near.nearest_many(self._project(lat, lon))

    def edges_named(self, name: str) -> list[int]:
        """Indices of the arcs whose Chinese or English road name is ``name`` (or one of the
        names of a road named ``a / b``), ascending."""
        return list(self._arcs_by_name.get(name, ()))

    @cached_property
    def _arcs_by_name(self) -> dict[str, tuple[int, ...]]:
        """Arc indices by each of their road names, whole and ``" / "``-separated parts
        (built on the first look-up: a road-change inject looks a name up each time)."""
        arcs: dict[str, list[int]] = {}
        for e, (zh, en) in enumerate(zip(self.edge_name, self.edge_name_en, strict=True)):
            for name in {zh, en, *zh.split(" / "), *en.split(" / ")}:
                arcs.setdefault(name, []).append(e)
        return {name: tuple(found) for name, found in arcs.items()}

    def edges_near(self, node: int, radius_m: float,
                   edges: Sequence[int] | np.ndarray | None = None) -> np.ndarray:
        """Arcs (of ``edges``, default all) whose midpoint lies within ``radius_m`` of ``node``.

        Distances on a local equirectangular projection (error < 0.1 % within 10 km).
        """
        idx = np.arange(self.n_edges) if edges is None else np.asarray(edges, dtype=np.int64)
        if idx.size == 0:
            return idx
        mid_lat = (self.lat[self.edge_u[idx]] + self.lat[self.edge_v[idx]]) / 2
        mid_lon = (self.lon[self.edge_u[idx]] + self.lon[self.edge_v[idx]]) / 2
        k = math.pi / 180 * EARTH_RADIUS_M
        dx = (mid_lon - self.lon[node]) * k * math.cos(math.radians(self.lat[node]))
        dy = (mid_lat - self.lat[node]) * k
        return idx[np.hypot(dx, dy) <= radius_m]

    def roads_at(self, node: int) -> list[tuple[str, str]]:
        """The named roads that meet at ``node``, each once as ``(name, name_en)``, in arc
        order (a node of map data has no name of its own: these name it)."""
        arcs = np.flatnonzero((self.edge_u == node) | (self.edge_v == node))
        roads = {(self.edge_name[a], self.edge_name_en[a]): None for a in arcs
                 if self.edge_name[a] or self.edge_name_en[a]}
        return list(roads)

    def edges_between(self, u: int, v: int) -> list[int]:
        """Indices of the arcs from node ``u`` to node ``v`` (parallel arcs included)."""
        lo = np.searchsorted(self.edge_u, u, side="left")
        hi = np.searchsorted(self.edge_u, u, side="right")
        return [int(e) for e in range(lo, hi) if self.edge_v[e] == v]


class NearestPoint:
    """The nearest of a fixed set of points in the plane (Euclidean distance).

    Up to :attr:`SCAN_MAX` points a numpy scan answers a query (a few µs at the ~300 nodes
    of the embedded network, cheaper than a k-d tree's per-query overhead, and without
    importing ``scipy.spatial``); larger sets build a ``scipy.spatial.cKDTree`` on the
    first query. Both give the point at the least distance.

    Parameters
    ----------
    xy
        ``(n, 2)`` coordinates, m.
    """

    SCAN_MAX = 4096
    """Largest number of points searched by a scan rather than a k-d tree."""

    def __init__(self, xy: np.ndarray) -> None:
        self._xy = np.ascontiguousarray(xy, dtype=float).reshape(-1, 2)
        self._x, self._y = self._xy[:, 0].copy(), self._xy[:, 1].copy()
        self._tree = None

    def _kdtree(self):
        if self._tree is None:
            from scipy.spatial import cKDTree  # here: only large networks need it

            self._tree = cKDTree(self._xy)
        return self._tree

    def nearest(self, p: np.ndarray) -> int:
        """Index of the point nearest to ``p`` = ``(x, y)``, m."""
        if self._x.size > self.SCAN_MAX:
            return int(self._kdtree().query(p)[1])
        dx, dy = self._x - p[0], self._y - p[1]
        return int(np.argmin(dx * dx + dy * dy))

    def nearest_many(self, p: np.ndarray) -> np.ndarray:
        """Index of the nearest point for each row of ``p`` (``(m, 2)``, m)."""
        p = np.asarray(p, dtype=float).reshape(-1, 2)
        if self._x.size > self.SCAN_MAX:
            return np.asarray(self._kdtree().query(p)[1], dtype=np.int64)
        out = np.empty(len(p), dtype=np.int64)
        step = max(1, (1 << 20) // max(self._x.size, 1))  # rows per block: ~8 MB of distances
        for a in range(0, len(p), step):
            dx = self._x[None, :] - p[a:a + step, :1]
            dy = self._y[None, :] - p[a:a + step, 1:]
            out[a:a + step] = np.argmin(dx * dx + dy * dy, axis=1)
        return out


def _float_or_nan(value) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


_MIN_WEIGHT_S = 1e-3
"""Smallest arc time, s: csgraph would read an explicit 0 as a missing arc."""

_CLOSED_S = 1e15

APPROACH_MAX_M = 150.0
"""Farthest a crew works a scene from where its vehicle must stop, m, when every road into
the scene is closed (a flooded underpass, a closed street): one short arc, walked or waded
carrying hose and tools. ASSUMPTION (a planning figure, not a standard for this case):
GB 50974-2014 §7.2.5 gives a municipal hydrant a protection radius of at most 150 m, i.e. a
150 m hose lay on foot is what crews are planned to work. Beyond it the incident is
unreachable (:meth:`TravelTimes.cut_off`)."""
"""Weight of a closed arc, s. csgraph mishandles ``inf`` weights (a node first reached by
an ``inf`` arc is never reached again), so closed arcs get this and any time beyond
:data:`_UNREACHABLE_S` is reported as ``inf``."""

_UNREACHABLE_S = 1e14
_NO_SLOTS = np.zeros(0, dtype=np.int64)
_NO_WEIGHTS = np.zeros(0)


class _Csr:
    """A square sparse matrix in compressed-row form, as plain numpy arrays: what
    :class:`_VehicleGraph` changes in place, without importing ``scipy.sparse`` (about
    0.2 s) until a shortest-path tree must be computed (:meth:`scipy`).

    Attributes
    ----------
    data
        Entry values (arc times, s), row by row.
    indices
        Column of each entry, ascending within a row.
    indptr
        Where each row's entries begin, ``(n + 1,)``.
    shape
        ``(n, n)``.
    """

    __slots__ = ("data", "indices", "indptr", "shape")

    def __init__(self, data: np.ndarray, indices: np.ndarray, indptr: np.ndarray,
                 n: int) -> None:
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, (n, n)

    def scipy(self) -> csr_matrix:
        """The same matrix as ``scipy.sparse.csr_matrix`` (sharing :attr:`data`)."""
        from scipy.sparse import csr_matrix  # here: scipy.sparse costs ~0.2 s to import

        return csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)


class _VehicleGraph:
    """One vehicle class's weighted graph: a CSR matrix with one slot per node pair.

    Parallel arcs between the same (tail, head) share a slot that holds the
    fastest of them (a CSR matrix would sum duplicates).
    """

    def __init__(self, net: RoadNetwork, vehicle: Vehicle) -> None:
        n = net.n_nodes
        edges = np.arange(net.n_edges)
        tail, head = net.edge_u, net.edge_v
        if vehicle.ignores_oneway:
            edges = np.concatenate([edges, edges])
            tail, head = np.concatenate([tail, net.edge_v]), np.concatenate([head, net.edge_u])
        pair, entry_slot = np.unique(tail * n + head, return_inverse=True)
        order = np.argsort(entry_slot, kind="stable")
        self.entry_edge = edges[order]
        self.slot_start = np.searchsorted(entry_slot[order], np.arange(pair.size + 1))
        self._slot_count = np.diff(self.slot_start)
        self._layouts: dict[bytes, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        self.edge_slots = entry_slot.reshape(-1, net.n_edges).T  # (arc, direction) -> slot
        self.slot_u, self.slot_v = pair // n, pair % n
        classes = np.asarray(net.edge_highway)
        speed = np.empty(net.n_edges)
        for cls in np.unique(classes):
            sel = classes == cls
            speed[sel] = [vehicle.speed_kmh(cls, s) for s in net.edge_speed_kmh[sel]]
        with np.errstate(divide="ignore"):
            self.base_s = np.maximum(net.edge_length_m / (speed / 3.6), _MIN_WEIGHT_S)
        self.factor = np.ones(net.n_edges)
        self.weather = 1.0  # speed share on every arc (rain), times the arc's own factor
        weights = np.full(pair.size, _CLOSED_S)
        np.minimum.at(weights, entry_slot, self.edge_time_s(edges))
        indptr = np.searchsorted(self.slot_u, np.arange(n + 1))
        self.csr = _Csr(weights, self.slot_v, indptr, n)
        # The transposed graph (arcs reversed, for times *to* a node) keeps its structure:
        # its row v holds the arcs into v, tails ascending (as scipy's transpose().tocsr()
        # lays it out); its weights follow every change in place
        rev_slot = np.argsort(self.slot_v, kind="stable")  # reversed position -> slot
        self.reverse = _Csr(weights[rev_slot], self.slot_u[rev_slot],
                            np.searchsorted(self.slot_v[rev_slot], np.arange(n + 1)), n)
        """The transposed graph (arcs reversed), for times *to* a node."""
        self._rev_pos = np.empty_like(rev_slot)
        self._rev_pos[rev_slot] = np.arange(rev_slot.size)  # slot -> reversed position
        self._n_in = np.diff(self.reverse.indptr)
        self._n_open = np.zeros(n, dtype=np.int64)
        self.enterable: list[bool] = []
        """Per node: some arc into it is open, or none leads into it."""
        self._count_open()
        self._key: bytes | None = None
        self._unchanged = weights.copy()  # the slot weights of the unchanged roads
        self.unchanged_key = hashlib.blake2b(weights.tobytes(), digest_size=16).digest()
        """:attr:`key` of the unchanged roads (no closure, no weather)."""

    @cached_property
    def structure(self) -> bytes:
        """A digest of the graph's slots (which node pairs have an arc), 128-bit BLAKE2b."""
        h = hashlib.blake2b(self.csr.indptr.tobytes(), digest_size=16)
        h.update(self.csr.indices.tobytes())
        return h.digest()

    def edge_time_s(self, edges: np.ndarray) -> np.ndarray:
        """Current traversal time of ``edges``, s (``_CLOSED_S`` when closed or forbidden)."""
        with np.errstate(divide="ignore"):
            return np.minimum(self.base_s[edges] / (self.factor[edges] * self.weather),
                              _CLOSED_S)

    def set_weather(self, factor: float) -> bool:
        """Set the speed share on every arc; ``True`` if any slot weight changed."""
        if factor == self.weather:
            return False
        self.weather = factor
        old = self.csr.data.copy()
        self.csr.data[:] = np.minimum.reduceat(self.edge_time_s(self.entry_edge),
                                               self.slot_start[:-1])
        if np.array_equal(old, self.csr.data):
            return False
        self.reverse.data[self._rev_pos] = self.csr.data
        self._count_open()
        self._key = None
        return True

    def set_factor(self, edges: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray]:
        """Set the speed factor of ``edges``; return the changed slots and their old weights."""
        if (self.factor[edges] == factor).all():
            # no-op: the slot weights are always the minimum over their arcs' current
            # times, so recomputing them from unchanged factors gives the same values
            return _NO_SLOTS, _NO_WEIGHTS
        self.factor[edges] = factor
        slots, arcs, first = self._layout(edges)
        data = self.csr.data
        old = data[slots]  # a copy (fancy indexing)
        data[slots] = np.minimum.reduceat(self.edge_time_s(arcs), first)
        changed = data[slots] != old
        slots, old = slots[changed], old[changed]
        if slots.size:
            new = data[slots]
            self.reverse.data[self._rev_pos[slots]] = new
            opened = (new < _CLOSED_S).astype(np.int64) - (old < _CLOSED_S)
            if opened.any():
                heads = self.slot_v[slots]
                np.add.at(self._n_open, heads, opened)
                for v in sorted(set(heads[opened != 0].tolist())):
                    self.enterable[v] = bool(self._n_open[v] > 0 or self._n_in[v] == 0)
            self._key = None
        return slots, old

    def _layout(self, edges: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The slots of ``edges``, every arc of those slots slot by slot, and where each
        slot's arcs begin in that list (kept per edge set: a drill changes the same roads
        again and again, closing and reopening them, raising and lowering the water)."""
        key = edges.tobytes()
        layout = self._layouts.get(key)
        if layout is None:
            if len(self._layouts) >= 1024:  # bounded: a long flood sweep keeps changing sets
                self._layouts.clear()
            slots = np.unique(self.edge_slots[edges])
            start, count = self.slot_start[slots], self._slot_count[slots]
            first = np.cumsum(count) - count
            arcs = self.entry_edge[np.repeat(start - first, count) + np.arange(count.sum())]
            layout = self._layouts[key] = (_readonly(slots), _readonly(arcs), _readonly(first))
        return layout

    def _count_open(self) -> None:
        """Count the open arcs into each node afresh (:attr:`enterable`)."""
        n = self._n_in.size
        heads = np.repeat(np.arange(n), self._n_in)
        self._n_open = np.bincount(heads[self.reverse.data < _CLOSED_S], minlength=n)
        self.enterable = ((self._n_open > 0) | (self._n_in == 0)).tolist()

    @property
    def key(self) -> bytes:
        """A digest of every slot weight (128-bit BLAKE2b): equal keys, equal graphs, so a
        tree computed under one key is exact whenever the graph has that key again.

        The unchanged roads' key (:attr:`unchanged_key`) digests all the weights; a changed
        graph's digests that key with the slots whose weight differs from it and their
        weights (a closure changes a few slots of thousands: a tenth of the bytes to hash),
        or, when most slots differ (weather), every weight again, marked apart."""
        if self._key is None:
            data = self.csr.data
            changed = np.flatnonzero(data != self._unchanged)
            if not changed.size:
                self._key = self.unchanged_key
            elif 2 * changed.size < data.size:
                h = hashlib.blake2b(b"slots" + self.unchanged_key, digest_size=16)
                h.update(changed.tobytes())
                h.update(data[changed].tobytes())
                self._key = h.digest()
            else:
                h = hashlib.blake2b(b"all" + self.unchanged_key, digest_size=16)
                h.update(data.tobytes())
                self._key = h.digest()
        return self._key


DISK_TREES_MAX_NODES = 5_000
"""Largest network whose trees :class:`TravelTimes` keeps on disk (a tree is 12 bytes a
node: at most 60 kB)."""

MAX_CACHE_BYTES = 64 * 2**20
"""Default bound of all the shortest-path trees one :class:`TravelTimes` keeps (from
origins, to destinations, and those kept aside for earlier road states), bytes: a tree is
12 bytes a node, so about 18,000 trees of the embedded network (every tree its drills and
sweeps ask for), 5,000 on a 1,000-node network, 110 on a 50,000-node one (a drill's
stations and incidents)."""


class TravelTimes:
    """Shortest travel times and routes under changing road conditions.

    Trees are computed lazily with ``scipy.sparse.csgraph.dijkstra`` from one
    origin (or, on the reversed graph, to one destination) and cached per
    (vehicle, node); after a query a lookup is a table read. A condition change
    drops only the cached trees it can affect, and keeps them aside under the state the
    graph left (a digest of its weights, :attr:`_VehicleGraph.key`): when the roads come
    back to that state (a road reopened, the rain over), its trees come back with it
    instead of being computed again. A tree is exact for the weights it was computed
    under, so it is exact again whenever the graph has those weights.

    Changes reach a class's graph when it is next asked something: a closure of every
    class costs nothing for the classes a drill does not drive, and a road closed and
    reopened between two questions is no change at all. The weights of a slot are a
    function of the arcs' final factors and the weather only, so the answers are those
    of changes applied at once.

    Parameters
    ----------
    network
        The road network.
    vehicles
        Vehicle classes by name; :data:`VEHICLES` by default.
    disk
        Keep the trees of the unchanged roads (no closure, no weather) in the per-user
        disk cache (:mod:`drillsim.diskcache`), for networks of at most
        :data:`DISK_TREES_MAX_NODES` nodes: the next command on the same network reads
        them instead of importing scipy's graph routines and computing them again. Keyed
        by a digest of the graph's structure and weights, the direction and the node:
        the same arrays as a computation gives.

    Attributes
    ----------
    dijkstra_runs
        Number of Dijkstra computations so far (for tests and benchmarks).
    disk_reads
        Number of trees read from the disk cache so far.
    max_cache_bytes
        Bytes of trees kept in all (from origins, to destinations, and those kept aside
        for earlier road states); beyond it the trees kept for the oldest road state go
        first, then the least recently used trees (the order of use is kept once the
        cache is half full; a dropped tree is recomputed when asked again: same times), so
        a long sweep on a large network does not grow without bound.
        :data:`MAX_CACHE_BYTES` by default.
    """

    def __init__(self, network: RoadNetwork, vehicles: Mapping[str, Vehicle] | None = None,
                 *, disk: bool = False) -> None:
        self.network = network
        self.vehicles = dict(VEHICLES if vehicles is None else vehicles)
        self.disk = disk and network.n_nodes <= DISK_TREES_MAX_NODES
        self.disk_reads = 0
        self._graphs: dict[str, _VehicleGraph] = {}
        self._from: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        self._to: dict[tuple[str, int], tuple[np.ndarray, np.ndarray]] = {}
        self._routes: dict[tuple[str, int], tuple[np.ndarray, dict]] = {}
        # trees dropped on leaving a road state, by (vehicle, state key), oldest first:
        # (tree from the node?, node) -> (tree, its route memo or None)
        self._parked: dict[tuple[str, bytes], dict[tuple[bool, int], tuple]] = {}
        self._parked_bytes = 0
        # changes not yet applied to a class's graph: (arc -> factor, weather or None)
        self._pending: dict[str, tuple[dict[int, float], list[float]]] = {}
        self._version = 0
        self.dijkstra_runs = 0
        self.max_cache_bytes = MAX_CACHE_BYTES
        self._lru = False  # lookups keep the order of use (see _store)
        self._walk: csr_matrix | None = None  # road lengths, one entry per node pair

    def _graph(self, vehicle: str) -> _VehicleGraph:
        """The graph of ``vehicle`` with every change made so far applied."""
        graph = self._graphs.get(vehicle)
        if graph is None:
            self._names([vehicle])
            graph = self._graphs[vehicle] = _VehicleGraph(self.network, self.vehicles[vehicle])
        if vehicle in self._pending:
            self._apply(vehicle, graph)
        return graph

    @property
    def version(self) -> int:
        """Increases whenever a change alters some travel time weight."""
        for vehicle in list(self._pending):
            self._graph(vehicle)
        return self._version

    def _names(self, vehicles: Iterable[str] | None) -> list[str]:
        """The classes named (every class for ``None``); ``KeyError`` for an unknown one."""
        names = sorted(self.vehicles) if vehicles is None else list(vehicles)
        for vehicle in names:
            if vehicle not in self.vehicles:
                raise KeyError(f"unknown vehicle class {vehicle!r}; known: "
                               f"{', '.join(sorted(self.vehicles))}")
        return names

    def _apply(self, vehicle: str, graph: _VehicleGraph) -> None:
        """Apply the changes waiting for ``vehicle``: the arcs' factors, one group of arcs
        per factor, then the weather; each drops the trees it affects.

        The trees dropped are kept aside under the state the graph was in before these
        changes (every one of them was cached then, so exact for it), and those kept for
        the state it is in after come back; the states in between are never asked about.
        """
        factors, weather = self._pending.pop(vehicle)
        left = graph.key
        dropped = []
        groups: dict[float, list[int]] = {}  # factor -> its arcs
        for edge, factor in factors.items():
            groups.setdefault(factor, []).append(edge)
        for factor in sorted(groups):
            slots, old = graph.set_factor(np.array(sorted(groups[factor]), dtype=np.int64),
                                          factor)
            if slots.size:
                self._version += 1
                dropped += self._invalidate(vehicle, graph, slots, old)
        if weather and graph.set_weather(weather[-1]):
            self._version += 1
            for cache in (self._from, self._to):
                for key in [k for k in cache if k[0] == vehicle]:
                    dropped.append(self._drop(cache, key))
        self._park(vehicle, left, dropped)
        self._unpark(vehicle, graph.key)  # the same state again: what was dropped comes back

    def _tree(self, cache: dict, matrix: _Csr, vehicle: str, node: int
              ) -> tuple[np.ndarray, np.ndarray]:
        name = self._disk_name(vehicle, matrix, node)
        kept = diskcache.load(name, ("dist", "pred")) if name else None
        n = self.network.n_nodes
        if kept is not None and kept["dist"].shape == kept["pred"].shape == (n,) \
                and kept["dist"].dtype == np.float64 and kept["pred"].dtype.kind == "i":
            self.disk_reads += 1
            dist, pred = kept["dist"], kept["pred"]
        else:
            from scipy.sparse.csgraph import dijkstra

            dist, pred = dijkstra(matrix.scipy(), directed=True, indices=[node],
                                  return_predecessors=True)
            self.dijkstra_runs += 1
            dist, pred = dist[0], pred[0]
            cut = dist >= _UNREACHABLE_S
            dist[cut], pred[cut] = np.inf, -9999
            if name:
                diskcache.store(name, {"dist": dist, "pred": pred})
        tree = _readonly(dist), _readonly(pred)
        self._store(cache, (vehicle, node), tree)
        return tree

    def _disk_name(self, vehicle: str, matrix: _Csr, node: int) -> str | None:
        """The disk cache entry of this tree, ``None`` when it is not kept on disk (not
        asked for, or the roads are changed: closures and weather come and go)."""
        if not self.disk:
            return None
        graph = self._graphs[vehicle]
        if graph.key != graph.unchanged_key:
            return None
        return diskcache.key("tree", graph.structure, graph.key,
                             "to" if matrix is graph.reverse else "from", str(node),
                             diskcache.code_digest(__name__))

    def _store(self, cache: dict, key: tuple[str, int], tree: tuple[np.ndarray, np.ndarray]
               ) -> None:
        """Cache ``tree`` under ``key`` as the most recently used, then drop what passes
        :attr:`max_cache_bytes`: the trees kept for the oldest road states first, then the
        least recently used trees of the direction holding more (every tree has the same
        size); ``tree`` itself stays."""
        cache.pop(key, None)
        cache[key] = tree
        per_tree = tree[0].nbytes + tree[1].nbytes
        other = self._to if cache is self._from else self._from
        while self._held_bytes(per_tree) > self.max_cache_bytes:
            if self._parked:
                self._drop_oldest_state()
                continue
            victim = cache if len(cache) > len(other) or not other else other
            if len(victim) == 1 and key in victim:
                break
            old = next(iter(victim))
            del victim[old]
            if victim is self._from:
                self._routes.pop(old, None)
        # a lookup moves its tree to the newest end only once the cache is half full: the
        # order matters only then, and a drill on the embedded network never gets there
        self._lru = 2 * self._held_bytes(per_tree) > self.max_cache_bytes

    def _tree_from(self, o: int, vehicle: str) -> tuple[np.ndarray, np.ndarray]:
        if vehicle in self._pending:
            self._graph(vehicle)
        tree = self._from.get((vehicle, o))
        if tree is None:
            return self._tree(self._from, self._graph(vehicle).csr, vehicle, o)
        if self._lru:  # now the most recently used
            self._from[vehicle, o] = self._from.pop((vehicle, o))
        return tree

    def times_from(self, o: int, vehicle: str = "fire_engine") -> np.ndarray:
        """Travel times from node ``o`` to every node, s (read-only; ``inf`` = unreachable)."""
        return self._tree_from(o, vehicle)[0]

    def times_to(self, d: int, vehicle: str = "fire_engine") -> np.ndarray:
        """Travel times from every node to node ``d``, s (read-only; ``inf`` = unreachable)."""
        if vehicle in self._pending:
            self._graph(vehicle)
        tree = self._to.get((vehicle, d))
        if tree is None:
            return self._tree(self._to, self._graph(vehicle).reverse, vehicle, d)[0]
        if self._lru:  # now the most recently used
            self._to[vehicle, d] = self._to.pop((vehicle, d))
        return tree[0]

    def time(self, o: int, d: int, vehicle: str = "fire_engine") -> float:
        """Travel time from node ``o`` to node ``d``, s (``inf`` when unreachable)."""
        return float(self._tree_from(o, vehicle)[0][d])

    def route(self, o: int, d: int, vehicle: str = "fire_engine") -> list[int]:
        """Fastest route from ``o`` to ``d`` as node indices (``[]`` when unreachable)."""
        return list(self.route_times(o, d, vehicle)[0])

    def route_times(self, o: int, d: int, vehicle: str = "fire_engine"
                    ) -> tuple[tuple[int, ...], np.ndarray]:
        """Fastest route from ``o`` to ``d`` and the travel time from ``o`` to each of its
        nodes, s (``()`` and an empty array when unreachable; the array is read-only).

        Kept with the origin's tree: a route is walked once per tree, not once per trip.
        """
        dist, pred = self._tree_from(o, vehicle)
        memo = self._routes.get((vehicle, o))
        if memo is None or memo[0] is not pred:  # none yet, or the tree was recomputed
            memo = self._routes[vehicle, o] = (pred, {})
        hit = memo[1].get(d)
        if hit is None:
            if np.isfinite(dist[d]):
                path = [d]
                while path[-1] != o:
                    path.append(int(pred[path[-1]]))
                nodes = tuple(path[::-1])
            else:
                nodes = ()
            hit = memo[1][d] = (nodes, _readonly(np.asarray(dist[list(nodes)], dtype=float)))
        return hit

    def route_edges(self, route: Sequence[int], vehicle: str = "fire_engine") -> list[int]:
        """The arc used for each hop of ``route``: the fastest one open to ``vehicle`` (the
        first in arc order on a tie).

        For a walker going against a one-way arc, that arc is returned (after the arcs the
        right way, on a tie).
        """
        graph = self._graph(vehicle)
        net = self.network
        nodes = np.asarray(route, dtype=np.int64)
        arcs: list[list[int]] = [[] for _ in range(max(nodes.size - 1, 0))]
        ways = [(nodes[:-1], nodes[1:])]
        if self.vehicles[vehicle].ignores_oneway:
            ways.append((nodes[1:], nodes[:-1]))
        found = []
        for tail, head in ways:  # every hop's arcs at once, in arc order
            lo = np.searchsorted(net.edge_u, tail, side="left")
            count = np.searchsorted(net.edge_u, tail, side="right") - lo
            hop = np.repeat(np.arange(tail.size), count)
            cand = np.repeat(lo, count) + np.arange(hop.size) - np.repeat(
                np.cumsum(count) - count, count)
            keep = net.edge_v[cand] == head[hop]
            for h, e in zip(hop[keep].tolist(), cand[keep].tolist(), strict=True):
                arcs[h].append(e)
            found.append(cand[keep])
        if all(len(a) == 1 for a in arcs):
            return [a[0] for a in arcs]
        every = np.concatenate(found)
        time = dict(zip(every.tolist(), graph.edge_time_s(every).tolist(), strict=True))
        return [a[0] if len(a) == 1 else min(a, key=time.__getitem__) for a in arcs]

    def set_edge_factor(self, edges: int | Iterable[int], factor: float,
                        vehicles: Iterable[str] | None = None) -> None:
        """Scale the speed on ``edges`` by ``factor`` (1 = normal, 0 = closed).

        The factor replaces any earlier one for those edges and classes.

        Parameters
        ----------
        edges
            Arc index or indices.
        factor
            Speed multiplier, >= 0.
        vehicles
            Vehicle classes concerned; all classes when ``None``.
        """
        if factor < 0 or not math.isfinite(factor):
            raise ValueError(f"speed factor must be a finite number >= 0, got {factor}")
        arcs = np.atleast_1d(np.asarray(edges, dtype=np.int64)).tolist()
        if not arcs:
            return
        if min(arcs) < 0 or max(arcs) >= self.network.n_edges:
            raise IndexError(f"edge index out of range 0..{self.network.n_edges - 1}")
        change = dict.fromkeys(arcs, float(factor))
        for vehicle in self._names(vehicles):
            self._pending.setdefault(vehicle, ({}, []))[0].update(change)

    def set_weather_factor(self, factor: float, vehicles: Iterable[str] | None = None) -> None:
        """Scale the speed on every arc by ``factor`` (weather; 1 = dry), on top of the arcs'
        own factors (:meth:`set_edge_factor`), which it does not replace.

        Every cached tree of a concerned class is dropped (all times change) when the
        class is next asked something.

        Parameters
        ----------
        factor
            Speed multiplier, > 0 and ≤ 1.
        vehicles
            Vehicle classes concerned; all classes when ``None``.
        """
        if not 0 < factor <= 1:
            raise ValueError(f"weather speed factor must be in (0, 1], got {factor}")
        for vehicle in self._names(vehicles):
            self._pending.setdefault(vehicle, ({}, []))[1][:] = [float(factor)]

    def weather_factor(self, vehicle: str) -> float:
        """The weather speed factor now set for ``vehicle``."""
        return self._graph(vehicle).weather

    def approach(self, node: int, vehicle: str = "fire_engine",
                 walk_m: float = APPROACH_MAX_M) -> int:
        """Where a ``vehicle`` going to ``node`` stops: ``node`` itself while some arc into
        it is open to the class; else the nearest entry (:meth:`nearest_entry`) when it
        lies within ``walk_m`` of ``node`` (m); else ``node`` (then no route reaches it:
        the scene is cut off, :meth:`cut_off`).

        A scene in a flooded underpass is worked from the edge of the water: the crew
        walks or wades the last stretch, at most :data:`APPROACH_MAX_M` by default. A pump
        crew pumps a waterlogging point from wherever the water's edge is, a relief truck
        unloads and a unit parks where it can get to (``walk_m = inf``).
        """
        stop, dist_m = self.nearest_entry(node, vehicle)
        return stop if dist_m <= walk_m else node

    def cut_off(self, node: int, vehicle: str = "fire_engine") -> float | None:
        """``None`` when a ``vehicle`` can drive to ``node`` or stop close enough
        (:meth:`approach`); else the straight-line distance from ``node`` to its nearest
        entry, m (``inf`` when no neighbour has an open road into it)."""
        stop, dist_m = self.nearest_entry(node, vehicle)
        return None if dist_m <= APPROACH_MAX_M else dist_m

    def nearest_entry(self, node: int, vehicle: str = "fire_engine") -> tuple[int, float]:
        """The node nearest ``node`` where a ``vehicle`` can stop, and its distance, m:
        ``(node, 0.0)`` while some arc into ``node`` is open to the class (or none leads
        into it); else the node it could come from (a tail of an arc into ``node``) that
        is nearest in a straight line and has an open arc into it itself (ties: the lower
        index), with the straight-line distance; else, when every such neighbour is cut
        off too (a flooded stretch several arcs long, as on a network with a node every
        50 m), the node with an open arc into it nearest on foot along the roads (any arc,
        either way, closed or not), with that walking distance; ``(node, inf)`` when there
        is none.
        """
        graph = self._graph(vehicle)
        if graph.enterable[node]:
            return node, 0.0
        rev = graph.reverse  # row v: the arcs into v (tail, weight)
        lo, hi = rev.indptr[node], rev.indptr[node + 1]
        best, best_d = node, math.inf
        net = self.network
        k = math.cos(math.radians(float(net.lat[node])))
        for tail in sorted(int(t) for t in rev.indices[lo:hi]):
            a, b = rev.indptr[tail], rev.indptr[tail + 1]
            if not (rev.data[a:b] < _CLOSED_S).any():
                continue
            d = math.hypot(float(net.lat[tail] - net.lat[node]),
                           float(net.lon[tail] - net.lon[node]) * k)
            if d < best_d:
                best, best_d = tail, d
        if best == node:
            return self._walk_to_entry(node, vehicle)
        return best, float(haversine_m(net.lat[node], net.lon[node], net.lat[best],
                                       net.lon[best]))

    def _walk_to_entry(self, node: int, vehicle: str) -> tuple[int, float]:
        """The node other than ``node`` with an open arc into it for ``vehicle`` that is
        nearest to ``node`` walking along the roads, and that distance, m (ties: the lower
        index); ``(node, inf)`` when none can be walked to."""
        from scipy.sparse.csgraph import dijkstra

        if self._walk is None:
            from scipy.sparse import csr_matrix

            net, n = self.network, self.network.n_nodes
            pairs = net.road_edges()
            self._walk = csr_matrix((np.maximum(net.edge_length_m[pairs], 1e-3),
                                     (net.edge_u[pairs], net.edge_v[pairs])), shape=(n, n))
        rev = self._graph(vehicle).reverse
        heads = np.repeat(np.arange(rev.shape[0]), np.diff(rev.indptr))
        open_into = np.bincount(heads[rev.data < _CLOSED_S], minlength=rev.shape[0]) > 0
        open_into[node] = False
        walk = dijkstra(self._walk, directed=False, indices=node)
        walk[~open_into] = np.inf
        best = int(np.argmin(walk))
        return (node, math.inf) if not np.isfinite(walk[best]) else (best, float(walk[best]))

    def edge_factors(self, edges: np.ndarray, vehicle: str) -> np.ndarray:
        """The speed factors now set on ``edges`` for ``vehicle`` (a copy)."""
        return self._graph(vehicle).factor[edges]

    def close(self, edges: int | Iterable[int], vehicles: Iterable[str] | None = None) -> None:
        """Close ``edges`` to ``vehicles`` (all classes when ``None``)."""
        self.set_edge_factor(edges, 0.0, vehicles)

    def reopen(self, edges: int | Iterable[int], vehicles: Iterable[str] | None = None) -> None:
        """Restore normal speed on ``edges`` for ``vehicles`` (all classes when ``None``)."""
        self.set_edge_factor(edges, 1.0, vehicles)

    def _invalidate(self, vehicle: str, graph: _VehicleGraph, slots: np.ndarray,
                    old: np.ndarray) -> list[tuple]:
        """Drop the cached trees of ``vehicle`` that changed ``slots`` can affect; return
        them (:meth:`_drop`).

        A slower arc u->v matters to a tree that uses it (``pred[v] == u``); a
        faster one to a tree it would shorten (``dist[u] + w < dist[v]``).
        """
        new = graph.csr.data[slots]
        up, down = new > old, new < old
        u, v = graph.slot_u[slots], graph.slot_v[slots]
        slower = (u[up], v[up]) if up.any() else None  # the arcs of each kind, picked once
        faster = (u[down], v[down], new[down]) if down.any() else None
        dropped = []
        for cache, forward in ((self._from, True), (self._to, False)):
            for key in [k for k in cache if k[0] == vehicle]:
                dist, pred = cache[key]
                if slower is not None:
                    a, b = slower if forward else slower[::-1]
                    if (pred[b] == a).any():
                        dropped.append(self._drop(cache, key))
                        continue
                if faster is not None:
                    a, b, w = faster if forward else (faster[1], faster[0], faster[2])
                    if (dist[a] + w < dist[b]).any():
                        dropped.append(self._drop(cache, key))
        return dropped

    def _drop(self, cache: dict, key: tuple[str, int]) -> tuple:
        """Take the tree ``key`` out of ``cache``: ``(from?, node, tree, route memo)``."""
        memo = self._routes.pop(key, None) if cache is self._from else None
        return cache is self._from, key[1], cache.pop(key), memo

    def _park(self, vehicle: str, state: bytes, dropped: list[tuple]) -> None:
        """Keep the trees ``dropped`` on leaving the road state ``state`` of ``vehicle``
        (newest state last; beyond :attr:`max_cache_bytes` in all, the oldest state's
        go)."""
        if not dropped:
            return
        shelf = self._parked.pop((vehicle, state), {})  # re-inserted: now the newest
        for is_from, node, tree, memo in dropped:
            gone = shelf.pop((is_from, node), None)
            if gone is not None:
                self._parked_bytes -= gone[0][0].nbytes + gone[0][1].nbytes
            shelf[is_from, node] = (tree, memo)
            self._parked_bytes += tree[0].nbytes + tree[1].nbytes
        self._parked[vehicle, state] = shelf
        per_tree = tree[0].nbytes + tree[1].nbytes  # every tree has the same size
        while self._parked and self._held_bytes(per_tree) > self.max_cache_bytes:
            self._drop_oldest_state()

    def _held_bytes(self, per_tree: int) -> int:
        """Bytes of every tree held (both directions and those kept aside), trees being
        ``per_tree`` bytes each (:meth:`cache_nbytes` without summing them)."""
        return (len(self._from) + len(self._to)) * per_tree + self._parked_bytes

    def _drop_oldest_state(self) -> None:
        """Forget the trees kept aside for the oldest road state."""
        oldest = self._parked.pop(next(iter(self._parked)))
        self._parked_bytes -= sum(t[0].nbytes + t[1].nbytes for t, _ in oldest.values())

    def _unpark(self, vehicle: str, state: bytes) -> None:
        """Bring back the trees kept for the road state ``state`` of ``vehicle``, now that
        the graph has it again (a tree still cached is valid too and stays)."""
        shelf = self._parked.pop((vehicle, state), None)
        if shelf is None:
            return
        for (is_from, node), (tree, memo) in shelf.items():
            self._parked_bytes -= tree[0].nbytes + tree[1].nbytes
            cache = self._from if is_from else self._to
            if (vehicle, node) not in cache:
                self._store(cache, (vehicle, node), tree)
                if memo is not None:
                    self._routes[vehicle, node] = memo

    def cached_origins(self, vehicle: str) -> list[int]:
        """Origins whose tree for ``vehicle`` is cached now (sorted)."""
        if vehicle in self._pending:
            self._graph(vehicle)
        return sorted(o for v, o in self._from if v == vehicle)

    def cache_nbytes(self) -> int:
        """Bytes held by the cached trees, those kept for earlier road states included
        (grows with trees x nodes)."""
        return self._parked_bytes + sum(d.nbytes + p.nbytes for c in (self._from, self._to)
                                        for d, p in c.values())

    def closed_edges(self, vehicle: str) -> list[int]:
        """Arcs currently closed to ``vehicle``."""
        if vehicle not in self._graphs and vehicle not in self._pending:
            return []
        return np.flatnonzero(self._graph(vehicle).factor == 0).tolist()
