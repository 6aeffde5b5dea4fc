"""Shared figures: the map of the run and the Gantt chart of every unit (matplotlib, Agg)."""

from __future__ import annotations

import io
import math

from drillsim.metrics.response import unit_timeline
from drillsim.report.context import ReportContext
from drillsim.report.registry import Figure, HazardPart

MAP_KINDS = ("station", "shelter", "depot", "hazard_site", "team_base")

MAP_LEGEND = {  # legend label of drillsim.network.summary.draw_network -> wording
    "消防站 fire station": "term.place.station",
    "避难场所 shelter": "term.place.shelter",
    "物资库 depot": "term.place.depot",
    "危险源 hazard site": "term.place.hazard_site",
    "地标 landmark": "term.place.landmark",
    "救援队 team base": "term.place.team_base",
    "街道 subdistrict": "term.place.subdistrict",
    "区界 district boundary": "term.map.boundary",
    "河流 river": "term.map.river",
    "桥 bridge": "term.map.bridge",
    "封闭 closed": "term.map.closed",
    "motorway": "term.road.motorway",
    "trunk": "term.road.trunk",
    "primary": "term.road.primary",
    "secondary": "term.road.secondary",
    "tertiary": "term.road.tertiary",
    "unclassified": "term.road.unclassified",
    "residential": "term.road.residential",
    "living_street": "term.road.living_street",
    "service": "term.road.service",
    "path": "term.road.path",
}

SEGMENT_STYLE = {  # state -> (colour, wording)
    "turnout": ("#f39c12", "figure.state_turnout"),
    "travel": ("#e74c3c", "figure.state_travel"),
    "aid": ("#8e44ad", "figure.state_aid"),
    "scene": ("#7b241c", "figure.state_scene"),
    "return": ("#aab7b8", "figure.state_return"),
    "oos": ("#2c3e50", "figure.state_oos"),
}


def pyplot():
    """pyplot on the Agg backend with the CJK font registered."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from drillsim.fonts import use_cjk_font

    use_cjk_font()
    return plt


def png(fig, dpi: int = 110) -> bytes:
    """The figure as PNG bytes (the figure is closed)."""
    plt = pyplot()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def thicken(*texts) -> None:
    """Give the thin CJK glyphs of axis labels and titles a regular weight."""
    from drillsim.fonts import text_effects

    for t in texts:
        if t is not None:
            t.set_path_effects(text_effects(t.get_color(), halo=None))


def style_axes(ax) -> None:
    thicken(ax.title, ax.xaxis.label, ax.yaxis.label, *ax.get_xticklabels(),
            *ax.get_yticklabels())


def time_axis(ctx: ReportContext, ax, t_max: float) -> None:
    """x axis in drill minutes with clock times under them."""
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    from drillsim.report.text import clock

    span_min = t_max / 60
    step = next((s for s in (5, 10, 15, 30, 60, 120, 240) if span_min / s <= 12), 480)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    start = ctx.scenario.start
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda x, _pos: f"+{int(x)}\n{clock(start, x * 60)[-8:-3]}"))
    ax.set_xlabel(ctx.say("figure.time_axis"))


def map_figure(ctx: ReportContext, parts: list[HazardPart]) -> Figure:
    """The road network with places, closed roads and each hazard's objects."""
    from drillsim.network.graphml import load_map_layers
    from drillsim.network.places import Places
    from drillsim.network.summary import draw_network

    plt = pyplot()
    world = ctx.world
    layers = load_map_layers() if ctx.scenario.network == "default" else None
    places = Places([p for p in world.places if p.kind in MAP_KINDS])
    closed = sorted({e for s in ctx.road_closures for e in s.edges})
    fig, ax = plt.subplots(figsize=(13, 9.5))
    draw_network(world.network, places, ax=ax, closed_edges=closed,
                 rivers=layers.rivers if layers else None,
                 boundary=layers.boundary if layers else None, labels=True)
    handles = list(ax.get_legend().legend_handles) if ax.get_legend() else []
    localise_map(ctx, ax, handles)
    for part in parts:
        if part.map_layer is not None:
            part.map_layer(ctx, ax, handles)
    from drillsim.fonts import text_effects

    # beside the map, so it hides no road or place
    legend = ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       fontsize=7, framealpha=0.9)
    for text in legend.get_texts():
        text.set_path_effects(text_effects(text.get_color(), halo=None))
    ax.set_title(ctx.say("figure.map_title"))
    thicken(ax.title)
    roads = "; ".join(f"{s.road} ({s.inject})" for s in ctx.road_closures)
    caption = ctx.say("figure.map_caption_closed", roads=roads) if roads else \
        ctx.say("figure.map_caption")
    return Figure("map", ctx.say("figure.map_name"), caption, png(fig),
                  alt=ctx.say("figure.map_alt"))


def localise_map(ctx: ReportContext, ax, handles: list) -> None:
    """Word a map drawn by :func:`drillsim.network.summary.draw_network` in the report
    language: its axis labels and the legend entries it made (it writes both languages)."""
    ax.set_xlabel(ctx.say("figure.longitude"))
    ax.set_ylabel(ctx.say("figure.latitude"))
    for h in handles:
        key = MAP_LEGEND.get(h.get_label())
        if key:
            h.set_label(ctx.say(key))


def gantt_figure(ctx: ReportContext) -> Figure:
    """Every unit's time line: turnout, travel, on scene, return, out of service."""
    from matplotlib.patches import Patch

    plt = pyplot()
    segs = unit_timeline(ctx.result)
    units = [u for u in ctx.result.units if u.staffed or segs.get(u.id)]
    order = sorted(units, key=lambda u: (u.station == "mutual_aid", u.station, u.id))
    scripted = {i.id for i in ctx.scenario.all_incidents()}
    t_max = max(ctx.scenario.duration, ctx.end_time)
    height = max(3.0, 0.3 * len(order) + 1.6)
    fig, ax = plt.subplots(figsize=(11, height))
    for y, u in enumerate(order):
        for span in segs.get(u.id, []):
            t0, t1, s, inc = span.start, span.end, span.state, span.incident
            colour = SEGMENT_STYLE[s][0]
            width = max((t1 - t0) / 60, 0.15)
            ax.barh(y, width, left=t0 / 60, height=0.62, color=colour,
                    hatch="///" if s == "oos" else None,
                    edgecolor="white" if s != "oos" else "#95a5a6", linewidth=0.3)
            if s == "scene" and width > 6:
                label = inc if inc in scripted else ""
                if label:
                    ax.text(t0 / 60 + width / 2, y, label, ha="center", va="center",
                            fontsize=6.5, color="white", clip_on=True)
        if y and order[y - 1].station != u.station:
            ax.axhline(y - 0.5, color="#d5d8dc", lw=0.8)
    for r in ctx.records:
        if r.event == "inject":
            label = r.data.get("id", "")
            ax.axvline(r.t / 60, color="#2471a3", lw=0.8, ls=":")
            ax.text(r.t / 60, -0.85, label, color="#2471a3", fontsize=7, ha="left",
                    va="center", clip_on=True)
    ax.set_yticks(range(len(order)))
    ax.set_yticklabels([f"{ctx.unit_label(u.id)}  {_short_station(ctx, u.station)}"
                        for u in order], fontsize=7)
    ax.set_ylim(len(order) - 0.5, -1.2)
    ax.set_xlim(0, t_max / 60)
    time_axis(ctx, ax, t_max)
    ax.tick_params(axis="x", labelsize=7)
    ax.grid(axis="x", color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    handles = [Patch(facecolor=colour, label=ctx.say(key),
                     hatch="///" if k == "oos" else None, edgecolor="#95a5a6")
               for k, (colour, key) in SEGMENT_STYLE.items()]
    handles.append(plt.Line2D([], [], color="#2471a3", ls=":",
                              label=ctx.say("figure.inject")))
    legend = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.16 *
                       6 / max(height, 6)), ncol=7, fontsize=7, frameon=False)
    thicken(*legend.get_texts())
    ax.set_title(ctx.say("figure.gantt_title"))
    style_axes(ax)
    return Figure("gantt", ctx.say("figure.gantt_name"), ctx.say("figure.gantt_caption"),
                  png(fig), alt=ctx.say("figure.gantt_alt"))


def _short_station(ctx: ReportContext, station: str) -> str:
    if station == "mutual_aid":
        return ctx.say("figure.mutual_aid_short")
    if any(t.id == station for t in ctx.scenario.forces.teams):
        return ""  # a team's unit: its label names the team
    p = ctx.world.places.get(station)
    if p is not None:
        return p.name_zh
    for st in ctx.scenario.forces.stations:
        if st.id == station:
            return st.name_zh or station
    return station


def finite(values) -> list[float]:
    return [v for v in values if v is not None and math.isfinite(v)]
