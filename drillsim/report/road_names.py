"""Names of the main roads drawn along them on a district map (issue 15, trial 2: G4)."""

from __future__ import annotations

import math

import numpy as np

from drillsim.network.graph import RoadNetwork

ROAD_NAMES_PER_MAP = 6
"""How many road names a map shows at most: the longest named roads in view."""


def draw_road_names(ax, network: RoadNetwork, lang: str,
                    count: int = ROAD_NAMES_PER_MAP) -> list[str]:
    """Write the names of the ``count`` longest named roads in view along them.

    Call after the place labels are settled (:func:`drillsim.report.figures.place_labels`):
    a name goes on the first stretch of its road, nearest the road's middle first, whose
    text box lies inside the axes and clear of every label, marker and name already drawn;
    a road with no free stretch gets no name. Length is the road's total length in view
    (one arc per node pair, so a two-way road counts once). The name is the one of the
    page's language (``name`` for ``zh``, ``name_en`` for ``en``), else the other.

    Returns
    -------
    list of str
        The names drawn.
    """
    import matplotlib.patheffects as pe
    from matplotlib.text import Text

    from drillsim.report.figures import DPI, _marker_boxes

    fig = ax.figure
    fig.set_dpi(DPI)
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    px = renderer.points_to_pixels(1.0)
    taken = _marker_boxes(ax, renderer) + [
        t.get_window_extent(renderer).padded(2 * px) for t in ax.texts
        if isinstance(t, Text) and t.get_visible() and t.get_text()]
    edges = network.road_edges()
    u, v = network.edge_u[edges], network.edge_v[edges]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    mid_lon = (network.lon[u] + network.lon[v]) / 2
    mid_lat = (network.lat[u] + network.lat[v]) / 2
    seen = (mid_lon >= x0) & (mid_lon <= x1) & (mid_lat >= y0) & (mid_lat <= y1)
    roads: dict[str, list[int]] = {}
    for k in np.flatnonzero(seen):
        zh, en = network.edge_name[edges[k]], network.edge_name_en[edges[k]]
        name = (zh or en) if lang == "zh" else (en or zh)
        if name:
            roads.setdefault(name, []).append(int(k))
    length = network.edge_length_m[edges]
    ranked = sorted(roads, key=lambda n: -float(length[roads[n]].sum()))[:count]
    drawn = []
    for name in ranked:
        ks = np.array(roads[name])
        w = length[ks]
        cx, cy = np.average(mid_lon[ks], weights=w), np.average(mid_lat[ks], weights=w)
        ends = np.concatenate([
            ax.transData.transform(np.column_stack([network.lon[u[ks]], network.lat[u[ks]]])),
            ax.transData.transform(np.column_stack([network.lon[v[ks]], network.lat[v[ks]]]))])
        for k in ks[np.argsort(np.hypot(mid_lon[ks] - cx, mid_lat[ks] - cy))]:
            angle = _direction(ends, ax.transData.transform((mid_lon[k], mid_lat[k])),
                               reach=3.5 * len(name) * px * (2 if lang == "zh" else 1))
            text = ax.text(mid_lon[k], mid_lat[k], name, rotation=angle,
                           rotation_mode="anchor", ha="center", va="center", fontsize=7,
                           style="normal" if lang == "zh" else "italic", color="#424949",
                           zorder=4,
                           path_effects=[pe.withStroke(linewidth=2.2, foreground="white")])
            box = text.get_window_extent(renderer).padded(1.5 * px)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
                and box.y1 <= frame.y1
            if inside and not any(box.overlaps(t) for t in taken):
                taken.append(box)
                drawn.append(name)
                break
            text.remove()
    return drawn


def _direction(points: np.ndarray, at: np.ndarray, reach: float) -> float:
    """The road's direction at display point ``at``, degrees in (-90, 90] (text never
    upside down): the main axis of the road's arc ends within ``reach`` px, so that a name
    longer than one 50 m arc follows the stretch it is written on."""
    near = points[np.hypot(*(points - at).T) <= reach]
    if len(near) < 2:
        near = points[np.argsort(np.hypot(*(points - at).T))[:2]]
    centred = near - near.mean(axis=0)
    _, vecs = np.linalg.eigh(centred.T @ centred)
    dx, dy = vecs[:, -1]
    return (math.degrees(math.atan2(dy, dx)) + 90.0) % 180.0 - 90.0
