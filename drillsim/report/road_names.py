"""Names of the main roads drawn along them on a district map (issue 15, trial 2: G4)."""

from __future__ import annotations

import math

import numpy as np

from drillsim.network.graph import RoadNetwork

ROAD_NAMES_PER_MAP = 6
"""How many road names a map shows at most: the longest named roads in view."""

STRAIGHT_PT = 3.0
"""How far (pt) the road may stray from the line of the arc a name is written along,
within the name's length: a third of the 7 pt name's height, so the name stays on it."""


def draw_road_names(ax, network: RoadNetwork, lang: str,
                    count: int = ROAD_NAMES_PER_MAP) -> list[str]:
    """Write the names of the ``count`` longest named roads in view along them.

    Call after the place labels are settled (:func:`drillsim.report.figures.place_labels`):
    a name goes on the first stretch of its road, nearest the road's middle first, where
    the road runs straight under the whole name (:data:`STRAIGHT_PT`) and whose text box
    lies inside the axes and clear of every label, marker and name already drawn, turned
    to the direction of the arc as drawn (display coordinates, -90..90°: readable);
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

    from drillsim.report.figures import DPI, _marker_boxes, ready

    fig = ax.figure
    fig.set_dpi(DPI)
    ready(fig)
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
        starts = ax.transData.transform(np.column_stack([network.lon[u[ks]],
                                                          network.lat[u[ks]]]))
        stops = ax.transData.transform(np.column_stack([network.lon[v[ks]],
                                                         network.lat[v[ks]]]))
        ends = np.concatenate([starts, stops])
        where = {int(k): i for i, k in enumerate(ks)}
        text = ax.text(cx, cy, name, rotation_mode="anchor", ha="center", va="center",
                       fontsize=7, style="normal" if lang == "zh" else "italic",
                       color="#424949", zorder=4,
                       path_effects=[pe.withStroke(linewidth=2.2, foreground="white")])
        reach = text.get_window_extent(renderer).width / 2 + 2 * px  # half the name
        placed = False
        for k in ks[np.argsort(np.hypot(mid_lon[ks] - cx, mid_lat[ks] - cy))]:
            i = where[int(k)]
            angle = _direction(ends, starts[i], stops[i], reach, STRAIGHT_PT * px)
            if angle is None:  # the road bends under the name: a straighter stretch
                continue
            text.set_position((mid_lon[k], mid_lat[k]))
            text.set_rotation(angle)
            box = text.get_window_extent(renderer).padded(1.5 * px)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 \
                and box.y1 <= frame.y1
            if inside and not any(box.overlaps(t) for t in taken):
                taken.append(box)
                drawn.append(name)
                placed = True
                break
        if not placed:
            text.remove()
    return drawn


def _direction(points: np.ndarray, start: np.ndarray, stop: np.ndarray, reach: float,
               tolerance: float) -> float | None:
    """The direction of the drawn arc from ``start`` to ``stop`` (display points),
    degrees in (-90, 90] (text never upside down), or None when the road does not run
    straight under a name reaching ``reach`` px either side of the arc's middle: an arc
    end of the road (``points``) that close lies more than ``tolerance`` px off the
    arc's line (a bend, a fork), so the name would cross the road there."""
    d = stop - start
    size = float(np.hypot(*d))
    if size == 0.0:
        return None
    at = (start + stop) / 2
    near = points[np.hypot(*(points - at).T) <= reach]
    off = np.abs((near - at) @ np.array([-d[1], d[0]]) / size)
    if len(off) and float(off.max()) > tolerance:
        return None
    return (math.degrees(math.atan2(d[1], d[0])) + 90.0) % 180.0 - 90.0
