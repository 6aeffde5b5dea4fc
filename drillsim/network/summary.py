"""Summary figures and a map of a road network (adapter layer)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np

from drillsim.network.graph import RoadNetwork, TravelTimes, haversine_m
from drillsim.network.places import Places

REACH_S = 300.0
"""Reach horizon of the summary, s (5 minutes)."""

REACH_VEHICLE = "fire_engine"

_ROAD_STYLE = {  # road class -> (colour, line width in points, drawing order)
    "motorway": ("#c0392b", 2.6, 9), "trunk": ("#d35400", 2.3, 8),
    "primary": ("#e67e22", 2.0, 7), "secondary": ("#f1c40f", 1.6, 6),
    "tertiary": ("#7f8c8d", 1.2, 5), "unclassified": ("#95a5a6", 0.8, 4),
    "residential": ("#95a5a6", 0.8, 4), "living_street": ("#bdc3c7", 0.6, 3),
    "service": ("#bdc3c7", 0.5, 2), "path": ("#d5dbdb", 0.4, 1),
}
_PLACE_STYLE = {  # place kind -> (marker, colour, size, legend label)
    "station": ("^", "#c0392b", 70, "消防站 fire station"),
    "shelter": ("s", "#27ae60", 55, "避难场所 shelter"),
    "depot": ("D", "#8e5a2b", 45, "物资库 depot"),
    "hazard_site": ("X", "#8e44ad", 55, "危险源 hazard site"),
    "landmark": ("o", "#2c3e50", 30, "地标 landmark"),
    "team_base": ("P", "#16a085", 50, "救援队 team base"),
    "subdistrict": (None, "#566573", 0, "街道 subdistrict"),
}


def _components(network: RoadNetwork, connection: str) -> tuple[int, float]:
    # here: the report's map (draw_network) needs no scipy, which costs ~0.2 s to import
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    n = network.n_nodes
    adj = csr_matrix((np.ones(network.n_edges), (network.edge_u, network.edge_v)), shape=(n, n))
    count, labels = connected_components(adj, directed=True, connection=connection)
    return int(count), float(np.bincount(labels).max() / n)


def summarize(network: RoadNetwork, places: Places, tt: TravelTimes) -> dict:
    """Size, connectivity and the 5-minute fire-engine reach of each station.

    Returns
    -------
    dict
        ``nodes``, ``arcs``, ``road_km`` (two-way roads once), ``bridges``,
        ``strong_components`` / ``largest_strong_share`` (share of nodes, 0-1),
        ``weak_components`` / ``largest_weak_share``, ``usable_nodes`` (nodes of the
        drivable core a drill's places snap to, :mod:`drillsim.network.fit`), and
        ``station_reach_5min``: one dict per station within reach of the network
        (:func:`on_network`) with the snapped ``node``, ``snap_m`` (m), ``nodes``
        reached and ``road_km`` reached (roads whose both ends are within 5 min).
    """
    from drillsim.network.fit import drive_core, snap

    strong, strong_share = _components(network, "strong")
    weak, weak_share = _components(network, "weak")
    reach = []
    for station in on_network(network, places).of_kind("station"):
        node, snap_m = snap(network, station.lat, station.lon)
        inside = tt.times_from(node, REACH_VEHICLE) <= REACH_S
        edges = np.flatnonzero(inside[network.edge_u] & inside[network.edge_v])
        reach.append({"station": station.id, "name": station.name_zh, "node": node,
                      "node_id": network.node_ids[node], "snap_m": round(snap_m, 1),
                      "nodes": int(inside.sum()), "road_km": round(network.total_km(edges), 2)})
    return {
        "nodes": network.n_nodes,
        "arcs": network.n_edges,
        "road_km": round(network.total_km(), 2),
        "bridges": int(network.road_edges(np.flatnonzero(network.edge_bridge)).size),
        "strong_components": strong,
        "largest_strong_share": round(strong_share, 4),
        "weak_components": weak,
        "largest_weak_share": round(weak_share, 4),
        "usable_nodes": int(drive_core(network).nodes.size),
        "station_reach_5min": reach,
    }


CLOSED_DASH = (0, (2.0, 1.2))
"""Dash pattern of a closed road on the map and in its legend (in line widths)."""


def _chains(network: RoadNetwork, edges: np.ndarray) -> list[np.ndarray]:
    """``edges`` joined into polylines (lon, lat) where one arc ends where the next
    starts (either direction of a two-way road once)."""
    pairs = {(int(u), int(v)) for u, v in zip(network.edge_u[edges], network.edge_v[edges],
                                               strict=True)}
    pairs = {p for p in pairs if p[::-1] not in pairs or p[0] < p[1]}
    nxt: dict[int, list[int]] = {}
    for u, v in sorted(pairs):
        nxt.setdefault(u, []).append(v)
    starts = {u for u, _ in pairs} - {v for _, v in pairs}
    out = []
    for first in [*sorted(starts), *sorted(nxt)]:  # chains first, then any loops left
        while nxt.get(first):
            path = [first]
            while nxt.get(path[-1]):
                path.append(nxt[path[-1]].pop(0))
            out.append(np.column_stack([network.lon[path], network.lat[path]]))
    return out


def _segments(network: RoadNetwork, edges: np.ndarray) -> np.ndarray:
    u, v = network.edge_u[edges], network.edge_v[edges]
    return np.stack([np.column_stack([network.lon[u], network.lat[u]]),
                     np.column_stack([network.lon[v], network.lat[v]])], axis=1)


def draw_network(network: RoadNetwork, places: Places | None = None, *, ax=None,
                 closed_edges: Iterable[int] | None = None,
                 routes: Sequence[Sequence[int]] | None = None,
                 rivers: Iterable[tuple[str, str, np.ndarray]] | None = None,
                 boundary: np.ndarray | None = None, labels: bool = True,
                 lang: str | None = None):
    """Draw the road network, with optional places, closures, routes and rivers.

    Parameters
    ----------
    network
        The road network; x = longitude, y = latitude (degrees), true aspect.
    places
        Places to mark, with bilingual labels.
    ax
        Axes to draw in; a new figure when ``None``.
    closed_edges
        Arc indices to show as closed (red dashes).
    routes
        Node-index sequences to draw as routes.
    rivers
        ``(name_zh, name_en, coords)`` per river, ``coords`` ``[lat, lon]`` rows.
    boundary
        District outline, ``[lat, lon]`` rows.
    labels
        Whether to label places.
    lang
        ``"zh"`` or ``"en"``: label places and rivers in that language only (the other
        when a name lacks it); ``None``: both. Labels are at 7 pt, anchored at their
        place; callers that need them apart move them (``drillsim.report.figures``).

    Returns
    -------
    (Figure, Axes)
    """
    import matplotlib.pyplot as plt
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    from drillsim.fonts import literal_text, text_effects, use_cjk_font

    use_cjk_font()
    literal_text()
    if ax is None:
        fig, ax = plt.subplots(figsize=(10, 10))
    else:
        fig = ax.figure
    handles = []
    if boundary is not None:
        ax.plot(boundary[:, 1], boundary[:, 0], color="#34495e", lw=1.2, ls="--", zorder=0)
        handles.append(Line2D([], [], color="#34495e", ls="--", label="区界 district boundary"))
    for i, (name_zh, name_en, coords) in enumerate(rivers or ()):
        ax.plot(coords[:, 1], coords[:, 0], color="#5dade2", lw=3, alpha=0.8, zorder=0.5,
                solid_capstyle="round")
        mid = coords[len(coords) // 2]
        ax.annotate(_name(name_zh, name_en, lang, " "), (mid[1], mid[0]), fontsize=7,
                    color="#1f618d",
                    style="italic", zorder=6, path_effects=text_effects("#1f618d"))
        if i == 0:
            handles.append(Line2D([], [], color="#5dade2", lw=3, label="河流 river"))
    roads = network.road_edges()
    classes = np.array(network.edge_highway)[roads] if roads.size else np.array([])
    for cls, (color, width, order) in _ROAD_STYLE.items():
        sel = roads[classes == cls]
        if sel.size:
            ax.add_collection(LineCollection(_segments(network, sel), colors=color,
                                             linewidths=width, zorder=1 + order / 10,
                                             capstyle="round"))
            handles.append(Line2D([], [], color=color, lw=width, label=cls))
    bridges = roads[network.edge_bridge[roads]]
    if bridges.size:
        ax.add_collection(LineCollection(_segments(network, bridges), colors="#1b2631",
                                         linewidths=3.5, zorder=1, capstyle="butt"))
        handles.append(Line2D([], [], color="#1b2631", lw=3.5, label="桥 bridge"))
    closed = np.asarray(sorted(set(closed_edges or ())), dtype=np.int64)
    if closed.size:
        # one line per closed stretch, so the dashes run on across its arcs (dashes
        # restarted on every short arc drew solid), on a white casing, so the dashes show
        # on a red motorway too: as the legend draws it
        lines = _chains(network, closed)
        ax.add_collection(LineCollection(lines, colors="white", linewidths=4.0, zorder=2.9,
                                         capstyle="butt"))
        ax.add_collection(LineCollection(lines, colors="#e74c3c", linewidths=2.5,
                                         linestyles=CLOSED_DASH, zorder=3, capstyle="butt",
                                         gid="closed-roads"))
        handles.append(Line2D([], [], color="#e74c3c", lw=2.5, ls=CLOSED_DASH,
                              label="封闭 closed"))
    for route in routes or ():
        ax.plot(network.lon[list(route)], network.lat[list(route)], lw=3, alpha=0.8, zorder=4)
    if places is not None:
        _draw_places(ax, on_network(network, places), labels, handles, lang)
    ax.autoscale_view()
    ax.set_aspect(1 / math.cos(math.radians(float(np.mean(network.lat)))))
    ax.ticklabel_format(useOffset=False)  # 126.62, not 0.02 and "+1.266e2" in a corner
    ax.set_xlabel("经度 longitude (°E)")
    ax.set_ylabel("纬度 latitude (°N)")
    legend = ax.legend(handles=handles, loc="upper left", fontsize=7, framealpha=0.85)
    for text in [*legend.get_texts(), ax.xaxis.label, ax.yaxis.label]:
        text.set_path_effects(text_effects(text.get_color(), halo=None))
    return fig, ax


def on_network(network: RoadNetwork, places: Places) -> Places:
    """The places within :data:`drillsim.network.fit.SNAP_PLACE_MAX_M` of a node of ``network``.

    The embedded catalogue is Hongqiao's: on another district's network its places
    lie far away and would stretch a map across the globe, so maps leave them out.
    """
    from drillsim.network.fit import SNAP_PLACE_MAX_M

    if not len(places):
        return places
    lat = np.array([p.lat for p in places])
    lon = np.array([p.lon for p in places])
    near = network.nearest_nodes(lat, lon)
    dist = haversine_m(lat, lon, network.lat[near], network.lon[near])
    return Places([p for p, d in zip(places, dist, strict=True) if d <= SNAP_PLACE_MAX_M])


def _name(zh: str, en: str, lang: str | None, sep: str = "\n") -> str:
    """A name in ``lang`` (the other language when it has none), or both."""
    if lang is None:
        return sep.join(n for n in (zh, en) if n)
    own, other = (zh, en) if lang == "zh" else (en, zh)
    return own or other


def _draw_places(ax, places: Places, labels: bool, handles: list,
                 lang: str | None = None) -> None:
    from matplotlib.lines import Line2D

    from drillsim.fonts import text_effects

    for kind in places.kinds:
        marker, color, size, label = _PLACE_STYLE.get(kind, ("o", "#2c3e50", 30, kind))
        group = places.of_kind(kind)
        if marker is not None:
            ax.scatter([p.lon for p in group], [p.lat for p in group], marker=marker, s=size,
                       color=color, edgecolors="white", linewidths=0.8, zorder=5,
                       gid=f"places-{kind}")
            handles.append(Line2D([], [], marker=marker, color=color, ls="", label=label))
        if not labels:
            continue
        for p in group:
            ax.annotate(_name(p.name_zh, p.name_en, lang), (p.lon, p.lat), fontsize=7,
                        color=color,
                        xytext=(0, 0) if marker is None else (5, 4),
                        textcoords="offset points", zorder=6,
                        ha="center" if marker is None else "left",
                        path_effects=text_effects(color))
