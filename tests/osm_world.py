"""A small synthetic road network as osmnx saves it, with the faults of real extracts.

Built in code (no data file, nothing to license). A 6 x 6 street grid in Chengdu,
far from Hongqiao (about 1,500 km), nodes ``g{row}{col}`` 0.002° apart (222 m
north-south, 190 m east-west), every attribute a string as in osmnx GraphML:

- row 0 and column 0 are a two-way primary road ("Main Road", 50 km/h); the rest are
  two-way residential streets, except row 3, a one-way street running east
  ("One Way Street");
- ``dead_end``: a one-way spur from ``g55`` east to a node with no way out;
- ``source``: a one-way spur from a node that no road leads to, into ``g50``;
- ``park``: reached from ``g05`` only by a footway (no vehicle can drive there).

So the drivable core (largest strongly connected part) is the 36 grid nodes, and
the three spur nodes lie outside it. Spur nodes are 0.002° from their grid node.
"""

from __future__ import annotations

from pathlib import Path

import networkx as nx

LAT0, LON0, STEP = 30.66, 104.06, 0.002
"""South-west corner of the grid and the node spacing, degrees."""

GRID = [f"g{r}{c}" for r in range(6) for c in range(6)]
OUTSIDE = ("dead_end", "source", "park")


def node_latlon(node: str) -> tuple[float, float]:
    """Latitude and longitude of a grid node ``g{row}{col}``."""
    return LAT0 + int(node[1]) * STEP, LON0 + int(node[2]) * STEP


def osm_like_graph(*, projected: bool = False, directed: bool = True) -> nx.Graph:
    """The test network; ``projected`` gives UTM zone 48N metres (:func:`project`),
    ``directed=False`` an undirected graph (as ``ox.convert.to_undirected`` makes)."""
    g = nx.MultiDiGraph(crs="epsg:4326", created_with="osmnx 2.1 (synthetic)")
    pos = {n: node_latlon(n) for n in GRID}
    pos["dead_end"] = (LAT0 + 5 * STEP, LON0 + 6 * STEP)
    pos["source"] = (LAT0 + 6 * STEP, LON0)
    pos["park"] = (LAT0 - STEP, LON0 + 5 * STEP)
    for i, (n, (lat, lon)) in enumerate(pos.items()):
        g.add_node(n, y=str(lat), x=str(lon), osmid=str(1000 + i), street_count="3")

    def way(u: str, v: str, highway: str, name: str, oneway: bool, **extra: str) -> None:
        for a, b in ((u, v),) if oneway else ((u, v), (v, u)):
            g.add_edge(a, b, osmid="7", highway=highway, name=name, oneway=str(oneway),
                       length=str(_length(pos[a], pos[b])), reversed="False", **extra)

    for r in range(6):
        for c in range(5):
            main = r == 0
            way(f"g{r}{c}", f"g{r}{c + 1}", "primary" if main else "residential",
                "Main Road" if main else ("One Way Street" if r == 3 else f"Row {r} Street"),
                oneway=r == 3, **({"maxspeed": "50"} if main else {}))
    for c in range(6):
        for r in range(5):
            main = c == 0
            way(f"g{r}{c}", f"g{r + 1}{c}", "primary" if main else "residential",
                "Main Road" if main else f"Column {c} Street", oneway=False,
                **({"maxspeed": "50"} if main else {}))
    way("g55", "dead_end", "residential", "Dead End Lane", oneway=True)
    way("source", "g50", "residential", "Source Lane", oneway=True)
    way("g05", "park", "footway", "Park Path", oneway=False)
    if projected:
        project(g, "EPSG:32648")
    return g.to_undirected() if not directed else g


def project(g: nx.MultiDiGraph, crs: str) -> None:
    """Project a longitude / latitude graph to ``crs`` in place as ``ox.project_graph`` does:
    node ``x`` / ``y`` in the projected system (pyproj), the old ones kept as ``lon`` /
    ``lat``, arc ``length`` unchanged, and an arc ``geometry`` projected."""
    from pyproj import Transformer

    to = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform
    for _, data in g.nodes(data=True):
        lon, lat = float(data["x"]), float(data["y"])
        x, y = to(lon, lat)
        data["x"], data["y"], data["lon"], data["lat"] = repr(x), repr(y), str(lon), str(lat)
    for _, _, data in g.edges(data=True):
        if "geometry" in data:
            pts = [p.split() for p in data["geometry"].removeprefix("LINESTRING (")
                   .removesuffix(")").split(", ")]
            data["geometry"] = "LINESTRING (" + ", ".join(
                "{!r} {!r}".format(*to(float(a), float(b))) for a, b in pts) + ")"
    g.graph["crs"] = crs


def _length(a: tuple[float, float], b: tuple[float, float]) -> float:
    from drillsim.network.graph import haversine_m

    return round(float(haversine_m(a[0], a[1], b[0], b[1])), 3)


def write_osm_like(path: Path, **kw: bool) -> Path:
    """Write :func:`osm_like_graph` as GraphML (as osmnx ``save_graphml`` does) to ``path``."""
    nx.write_graphml(osm_like_graph(**kw), path)
    return path
