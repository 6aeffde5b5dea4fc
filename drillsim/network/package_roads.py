"""The roads of a package made by ``drillsim district new``: long arcs split, dropped roads kept.

Splitting (:func:`split_long_arcs`)
    osmnx simplifies a graph (``simplify=True``, its default) to junctions and dead
    ends: an arc runs from one junction to the next, up to about 1 km, its bends kept
    only in the ``geometry`` attribute (a WKT ``LINESTRING`` of longitude / latitude).
    drillsim plays every location at a node and measures its models to nodes, so on
    such a graph a place beside a long block is measured against a junction hundreds
    of metres away, the flood's walking approach (150 m,
    :data:`drillsim.network.graph.APPROACH_MAX_M`) never reaches a scene whose
    junctions are 445 m apart, and a 150 m waterlogging point closes the whole 1 km
    arcs that end in it (issue 15, trial of a Hexi District extract). A package made by
    ``district new`` therefore has a node at every vertex of an arc's geometry (as the
    OSM XML reader keeps every node the mapper drew) and no arc longer than
    :data:`MAX_ARC_M`: longer pieces are cut into equal parts along the road. The
    pieces' lengths (and osmnx ``travel_time``, when present) are those of the arc
    shared in proportion to the pieces' great-circle lengths, so every shortest-path
    time between junctions is unchanged; all other attributes (name, class, speed,
    one-way) are copied to each piece. The two arcs of a two-way road get the same
    shape nodes.
Dropped roads (:func:`dropped_roads`, ``dropped.csv``)
    The arcs ``district new`` leaves out (footways, non-roads, one-way fragments and
    islands outside the largest strongly connected part), one row per road piece
    with its reason and geometry, so that a drill location on such a road is told
    why it is far from every usable road (:func:`nearest_dropped`).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from drillsim.network.graph import EARTH_RADIUS_M, haversine_m

if TYPE_CHECKING:
    import networkx as nx

MAX_ARC_M = 50.0
"""Longest arc of a package made by ``district new``, m. A point on a road then lies at
most 25 m (along it) from a node, half the distance beyond which a snap is recorded
(:data:`drillsim.network.fit.SNAP_NOTE_M`, 50 m), well within the flood's walking
approach (150 m) and the radius of a waterlogging point (typically 100-200 m), so a
point closes about its own radius of road. A real OSM street carries a drawn node every
10-50 m anyway, so the OSM XML path gains few nodes; a 20 km² district of about 300 km
of road gets about 6,000 nodes, for which a shortest-path tree takes milliseconds."""

GEOMETRY_END_M = 10.0
"""An arc's ``geometry`` is used only when its two ends lie within this of the arc's end
nodes (summed), m; osmnx draws them at the nodes exactly."""

DROPPED_FILE = "dropped.csv"
"""The package file listing the roads ``district new`` dropped."""

DROPPED_COLUMNS = ("reason", "name", "name_en", "highway", "from_node", "to_node",
                   "length_m", "geometry")
"""Columns of :data:`DROPPED_FILE`; ``geometry`` is a WKT ``LINESTRING (lon lat, ...)``."""

_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


# --------------------------------------------------------------------------- splitting


def parse_linestring(wkt: object) -> list[tuple[float, float]] | None:
    """``[(lat, lon), ...]`` of a WKT ``LINESTRING (lon lat, lon lat, ...)`` as osmnx writes
    an arc's ``geometry``; ``None`` when ``wkt`` is no such text with two points or more."""
    if not isinstance(wkt, str) or not wkt.strip().upper().startswith("LINESTRING"):
        return None
    body = wkt[wkt.find("(") + 1:wkt.rfind(")")]
    points = []
    for pair in body.split(","):
        numbers = _NUMBER.findall(pair)
        if len(numbers) < 2:
            return None
        points.append((float(numbers[1]), float(numbers[0])))
    return points if len(points) >= 2 else None


def _polyline(graph: nx.MultiDiGraph, u: object, v: object, data: dict
              ) -> list[tuple[float, float]]:
    """The arc's course from ``u`` to ``v`` as ``(lat, lon)``: its geometry's inner
    vertices (turned round when drawn from ``v``) between the exact end nodes; straight
    when the geometry's ends are not at the nodes (more than :data:`GEOMETRY_END_M` off:
    a geometry left in projected metres, or none)."""
    a = (float(graph.nodes[u]["y"]), float(graph.nodes[u]["x"]))
    b = (float(graph.nodes[v]["y"]), float(graph.nodes[v]["x"]))
    shape = parse_linestring(data.get("geometry"))
    if shape is None:
        return [a, b]
    forward = _flat_m(shape[0], a) + _flat_m(shape[-1], b)
    backward = _flat_m(shape[0], b) + _flat_m(shape[-1], a)
    if min(forward, backward) > GEOMETRY_END_M:
        return [a, b]
    if backward < forward:
        shape = shape[::-1]
    return [a, *shape[1:-1], b]


def _flat_m(p: tuple[float, float], q: tuple[float, float]) -> float:
    return float(haversine_m(p[0], p[1], q[0], q[1]))


def _cut(line: list[tuple[float, float]], max_m: float) -> list[tuple[float, float]]:
    """``line`` with points added so that no stretch is longer than ``max_m`` (each too long
    stretch cut into equal parts, along the great circle's local straight line)."""
    out = [line[0]]
    for p, q in zip(line[:-1], line[1:], strict=True):
        n = max(1, math.ceil(_flat_m(p, q) / max_m - 1e-9))
        out += [(p[0] + (q[0] - p[0]) * i / n, p[1] + (q[1] - p[1]) * i / n)
                for i in range(1, n)]
        out.append(q)
    return out


def split_long_arcs(graph: nx.MultiDiGraph, max_m: float = MAX_ARC_M) -> int:
    """Give every arc a node at each vertex of its geometry and cut stretches longer than
    ``max_m`` into equal pieces, in place (see the module docstring).

    Parameters
    ----------
    graph
        An osmnx-style graph in WGS84 (node ``y`` / ``x`` degrees; arc ``length`` m,
        optional ``geometry`` WKT and ``travel_time`` s).
    max_m
        Longest piece, m.

    Returns
    -------
    int
        Number of nodes added. New node ids are ``"{a}-{b}.{i}"`` (``a``, ``b`` the
        arc's end ids in sorted order, ``i`` counting from ``a``: ``"1009-1010.3"``), with
        ``#k`` after ``b`` for a second road between the same two nodes (and ``'`` added
        in the unlikely case that the id is taken).
    """
    text_xy = any(isinstance(d.get("x"), str) for _, d in graph.nodes(data=True))
    plans: dict[tuple, list[tuple[float, float]]] = {}
    ids: dict[tuple, list[str]] = {}
    per_pair: dict[tuple[str, str], int] = {}
    work = []
    for u, v, k, data in list(graph.edges(keys=True, data=True)):
        line = _polyline(graph, u, v, data)
        forward = str(u) <= str(v)
        canon = line if forward else line[::-1]
        lo, hi = (str(u), str(v)) if forward else (str(v), str(u))
        key = (lo, hi, tuple((round(p[0], 7), round(p[1], 7)) for p in canon))
        if key not in plans:
            points = _cut(canon, max_m)
            plans[key] = points
            ordinal = per_pair.get((lo, hi), 0)
            per_pair[(lo, hi)] = ordinal + 1
            tag = f"{lo}-{hi}" + (f"#{ordinal + 1}" if ordinal else "")
            ids[key] = [_free(f"{tag}.{i}", graph) for i in range(1, len(points) - 1)]
        if len(plans[key]) > 2:
            work.append((u, v, k, data, key, forward))
    added = 0
    for key, points in plans.items():
        for node_id, (lat, lon) in zip(ids[key], points[1:-1], strict=True):
            graph.add_node(node_id, y=repr(lat) if text_xy else lat,
                           x=repr(lon) if text_xy else lon)
            added += 1
    for u, v, k, data, key, forward in work:
        points, inner = plans[key], ids[key]
        if not forward:
            points, inner = points[::-1], inner[::-1]
        chain = [u, *inner, v]
        geo = np.array([_flat_m(p, q) for p, q in zip(points[:-1], points[1:], strict=True)])
        share = geo / geo.sum() if geo.sum() > 0 else np.full(geo.size, 1.0 / geo.size)
        graph.remove_edge(u, v, k)
        pieces = {name: _shares(data.get(name), share) for name in ("length", "travel_time")}
        for i, (a, b) in enumerate(zip(chain[:-1], chain[1:], strict=True)):
            attrs = {n: val for n, val in data.items() if n != "geometry"}
            for name, values in pieces.items():
                if values is not None:
                    attrs[name] = (repr(values[i]) if isinstance(data[name], str)
                                   else values[i])
            graph.add_edge(a, b, key=k, **attrs)
    return added


def _free(node_id: str, graph: nx.MultiDiGraph) -> str:
    """``node_id``, with ``'`` added while a node of ``graph`` has it."""
    while node_id in graph:
        node_id += "'"
    return node_id


def _shares(value: object, share: np.ndarray) -> list[float] | None:
    """``value`` (a number or numeric text) shared out in proportions ``share``, the last
    piece taking the rest so that the pieces sum to ``value``; ``None`` when not a number."""
    try:
        total = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    if not math.isfinite(total):
        return None
    parts = [total * float(s) for s in share[:-1]]
    return [*parts, total - math.fsum(parts)]


# --------------------------------------------------------------------------- dropped roads


def dropped_roads(source: nx.MultiDiGraph, kept: nx.MultiDiGraph, drivable: nx.MultiDiGraph
                  ) -> list[dict[str, str]]:
    """The roads of ``source`` that ``district new`` left out, one row per road piece
    (the two arcs of a two-way road once), with why.

    Parameters
    ----------
    source
        The graph as read (before anything was dropped).
    kept
        The package's network (the largest strongly connected part of ``drivable``).
    drivable
        ``source`` without its non-roads and footways (before the core was taken).

    Returns
    -------
    list of dict
        Rows with :data:`DROPPED_COLUMNS`.
    """
    import networkx as nx

    from drillsim.network.graphml import why_not_road

    core = set(kept.nodes)
    seed = next(iter(core), None)
    reach_from = nx.descendants(drivable, seed) | {seed} if seed is not None else set()
    reach_to = nx.ancestors(drivable, seed) | {seed} if seed is not None else set()
    rows: dict[tuple, dict[str, str]] = {}
    for u, v, data in source.edges(data=True):
        why = why_not_road(data, drive=True)
        if why is None and u in core and v in core:
            continue
        if why is None:
            out = u if u not in core else v
            if out in reach_from:
                why = "dead end or one-way fragment: units could drive in but not back out"
            elif out in reach_to:
                why = "one-way fragment: not reachable from the rest"
            else:
                why = "not connected to the rest of the network"
        a, b = sorted((str(u), str(v)))
        line = _polyline(source, u, v, data)
        key = (a, b, why, str(data.get("name", "")))
        rows.setdefault(key, {
            "reason": why, "name": _text(data.get("name")), "name_en": _text(data.get("name_en")),
            "highway": _text(data.get("highway")), "from_node": str(u), "to_node": str(v),
            "length_m": f"{_length(data, line):.1f}",
            "geometry": "LINESTRING (" + ", ".join(f"{lon!r} {lat!r}" for lat, lon in line)
                        + ")"})
    return sorted(rows.values(), key=lambda r: (r["reason"], r["name"], r["from_node"]))


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _length(data: dict, line: list[tuple[float, float]]) -> float:
    try:
        return float(data["length"])
    except (KeyError, TypeError, ValueError):
        return sum(_flat_m(p, q) for p, q in zip(line[:-1], line[1:], strict=True))


def write_dropped(path: Path, rows: list[dict[str, str]]) -> None:
    """Write :data:`DROPPED_FILE` (UTF-8 CSV with a header, even when empty)."""
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=DROPPED_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


@dataclass(frozen=True)
class DroppedRoad:
    """A road ``district new`` dropped, as read back from :data:`DROPPED_FILE`.

    Attributes
    ----------
    reason
        Why it was dropped.
    name, name_en, highway
        Its names and OSM class ("" when none).
    nodes
        The source ids of its end nodes.
    line
        Its course, ``[(lat, lon), ...]``.
    """

    reason: str
    name: str
    name_en: str
    highway: str
    nodes: tuple[str, str]
    line: tuple[tuple[float, float], ...]

    @property
    def label(self) -> str:
        """``"天塔道 Tianta Road"``, or ``"an unnamed service road"``."""
        names = " ".join(n for n in (self.name, self.name_en) if n)
        return names or f"an unnamed {self.highway or 'road'}"


def read_dropped(path: Path) -> list[DroppedRoad]:
    """The rows of a :data:`DROPPED_FILE` (rows without a readable geometry are skipped)."""
    out = []
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            line = parse_linestring(row.get("geometry"))
            if line is None:
                continue
            out.append(DroppedRoad(row.get("reason") or "", row.get("name") or "",
                                   row.get("name_en") or "", row.get("highway") or "",
                                   (row.get("from_node") or "", row.get("to_node") or ""),
                                   tuple(line)))
    return out


def nearest_dropped(roads: list[DroppedRoad], lat: float, lon: float
                    ) -> tuple[DroppedRoad, float] | None:
    """The dropped road nearest to (``lat``, ``lon``) and its distance, m (to the nearest
    point of its course, on a local flat projection); ``None`` when there is none."""
    k = math.radians(1.0) * EARTH_RADIUS_M
    c = math.cos(math.radians(lat))
    best: tuple[DroppedRoad, float] | None = None
    for road in roads:
        xy = np.array([((q[1] - lon) * k * c, (q[0] - lat) * k) for q in road.line])
        a, b = xy[:-1], xy[1:]
        d = b - a
        norm = np.maximum((d * d).sum(axis=1), 1e-12)
        t = np.clip(-(a * d).sum(axis=1) / norm, 0.0, 1.0)
        dist = float(np.min(np.hypot(*(a + d * t[:, None]).T)))
        if best is None or dist < best[1]:
            best = (road, dist)
    return best
