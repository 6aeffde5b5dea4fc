"""The rainstorm part of the report: water, roads, shelters, relief, warning, teams.

This module only presents. Every figure it states is computed in :mod:`drillsim.metrics`:
points, depths, closures and pumps in :mod:`drillsim.metrics.waterlogging`; shelters,
depots, the relief curve and the relief bottleneck (person-hours of waiting by cause) in
:mod:`drillsim.metrics.relief`; team mobilisation in :mod:`drillsim.metrics.teams`; the
warning in :mod:`drillsim.metrics.warning`. The vehicle depth limits are
:data:`drillsim.hazards.pluvial_flood.DEPTH_LIMIT_M`; the arcs a waterlogging point floods
are :func:`drillsim.network.waterlogging_arcs.point_edges`, the same function the engine
uses. Its words are in ``wording/flood.yaml``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M
from drillsim.metrics import evacuation as ev
from drillsim.metrics import relief as rm
from drillsim.metrics import teams as tm_
from drillsim.metrics import warning as wm
from drillsim.metrics import waterlogging as wl
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.rescue import rescue_calls
from drillsim.metrics.waterlogging import CAR_LIMIT_M, TRUCK_LIMIT_M
from drillsim.network.waterlogging_arcs import point_edges
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.figures import (
    EVENT_LABEL,
    MIN_FONT,
    clear_of_curves,
    fit_width,
    png,
    pyplot,
    style_axes,
    thicken,
    time_axis,
    wrap,
)
from drillsim.report.findings import (
    beyond_objectives,
    beyond_ref,
    draft_action,
    finding_title,
    measured_sentence,
    observation,
    rated_objectives,
    restates_objective,
)
from drillsim.report.registry import (
    Action,
    Figure,
    Finding,
    HazardPart,
    Section,
    Table,
    register,
)
from drillsim.report.wording import say

TEAM_OWNER = {"blue_star": "bluestar", "civil_air_defence": "air", "city_management": "citymgmt"}
# relief bottleneck cause -> [(action wording, owner, capability)]; the rainstorm's
# actions (a warning to open with, an orange level to activate at) only in a flood drill,
# and the stock action names the items (see :func:`cause_actions`)
CAUSE_ACTIONS = {
    "mobilisation": [("flood.action_open_shelters_sooner", "subdistricts", "shelter"),
                     ("flood.action_activate_at_orange", "hq", "mobilisation")],
    "shelter_space": [("flood.action_add_shelter_places", "bureau", "shelter")],
    "roads": [("flood.action_pumps_on_routes", "citymgmt", "traffic"),
              ("flood.action_close_roads_early", "hq", "traffic")],
    "stock": [("flood.action_keep_stock", "civil", "resources")],
    "trucks": [("flood.action_more_trucks", "civil", "resources")],
    "no_trucks": [("flood.action_depot_trucks", "civil", "resources")],
    "left_late": [("flood.action_tell_sooner", "subdistricts", "warning")],
}
NO_RAIN_ACTIONS = {  # the same actions worded for a drill without a rainstorm (a release)
    "flood.action_open_shelters_sooner": "flood.action_open_shelters_with_order",
    "flood.action_activate_at_orange": "",
    "flood.action_pumps_on_routes": "",
    "flood.action_more_trucks": "flood.action_more_trucks_release",
    "flood.action_close_roads_early": "flood.action_route_around_hot_zone",
}
CAUSES = {  # relief waiting cause (metrics.relief.bottleneck) -> (name, what it means)
    "mobilisation": ("flood.cause_mobilisation", "flood.cause_mobilisation_meaning"),
    "shelter_space": ("flood.cause_shelter_space", "flood.cause_shelter_space_meaning"),
    "roads": ("flood.cause_roads", "flood.cause_roads_meaning"),
    "stock": ("flood.cause_stock", "flood.cause_stock_meaning"),
    "trucks": ("flood.cause_trucks", "flood.cause_trucks_meaning"),
    "no_trucks": ("flood.cause_no_trucks", "flood.cause_no_trucks_meaning"),
    "transport": ("flood.cause_transport", "flood.cause_transport_meaning"),
    "walking": ("flood.cause_walking", "flood.cause_walking_meaning"),
    "left_late": ("flood.cause_left_late", "flood.cause_left_late_meaning"),
}
NO_RAIN_MEANINGS = {  # what a cause means without a rainstorm (a release's hot-zone closures)
    "flood.cause_roads_meaning": "flood.cause_roads_meaning_release",
}


# ----------------------------------------------------------------------------- words


def dur(seconds: float, lang: str = "en") -> str:
    """A duration in minutes, or in hours from two hours on."""
    if seconds is None or not math.isfinite(seconds) or seconds < 7200:
        return tx.minutes(seconds, lang)
    return say(lang, "flood.hours", hours=f"{seconds / 3600:.1f}")


def names(ctx: ReportContext, items) -> str:
    """Names listed the way the language lists them (``a, b`` / ``a、b``)."""
    return ctx.say("flood.sep_names").join(items)


def clauses(ctx: ReportContext, items) -> str:
    """Clauses listed the way the language lists them (``a, b`` / ``a，b``)."""
    return ctx.say("flood.sep_clauses").join(items)


def _action(ctx: ReportContext, key: str, owner: str, cap: str, ref: str,
            **values: object) -> Action:
    """A drafted improvement action worded by ``key`` (:func:`findings.draft_action`)."""
    return draft_action(ctx, ctx.say(key, **values), owner, cap, ref)


def cause_name(ctx: ReportContext, cause: str | None) -> str:
    """The name of a relief waiting cause (a dash for none)."""
    return ctx.say(CAUSES[cause][0]) if cause in CAUSES else "—"


def bottleneck_name(ctx: ReportContext, b: dict) -> str:
    """The relief bottleneck's name (:func:`drillsim.metrics.relief.bottleneck`), said to
    be the largest *avoidable* wait when an unavoidable cause (walking, normal transport)
    took more person-hours; stock that binds (an item's whole stock covers fewer than the
    displaced) with the item and its cover, and the larger wait it overrides."""
    name = cause_name(ctx, b["bottleneck"])
    short: rm.Shortfall = b["shortfall"]
    if b["bottleneck"] == "stock" and short.capped:  # the binding item overrides the waits
        avoidable = b["avoidable_share"]
        largest = max(avoidable, key=avoidable.get) if avoidable else "stock"
        fields = {"cause": name, "item": tx.term("item", short.binding.item, ctx.lang),
                  "covered": f"{short.covered:,}", "displaced": f"{short.displaced:,}"}
        if largest == "stock":
            return ctx.say("flood.binding_name", **fields)
        return ctx.say("flood.binding_name_not_largest", largest=cause_name(ctx, largest),
                       **fields)
    larger = b.get("unavoidable_larger", ())
    hours = b["person_hours"]
    return ctx.say("flood.largest_avoidable_name", cause=name, larger=tx.join(
        (cause_name(ctx, k) + tx.paren(ctx.say("flood.person_hours", hours=f"{hours[k]:,.1f}"),
                                       ctx.lang) for k in larger), ctx.lang)) \
        if larger else name


def cause_meaning(ctx: ReportContext, cause: str) -> str:
    """What a relief waiting cause means, in the drill's hazard's words (closed roads are
    flooded in a rainstorm, closed around the hot zone in a release)."""
    key = CAUSES[cause][1]
    if ctx.scenario.flood is None:
        key = NO_RAIN_MEANINGS.get(key, key)
    return ctx.say(key)


def metric_name(ctx: ReportContext, metric: str) -> str:
    """The catalogue's description of a metric in the report language."""
    return ctx.name(METRICS[metric].en, METRICS[metric].zh)


def team_name(ctx: ReportContext, spec) -> str:
    """A team's name in the report language (its id when it has none)."""
    return (spec.name_zh if ctx.lang == "zh" else spec.name_en) or spec.id


# ----------------------------------------------------------------------------- data


def _cached(ctx: ReportContext, key: str, fn):
    store = ctx.extra.setdefault("flood", {})
    if key not in store:
        store[key] = fn()
    return store[key]


def ration_text(ctx: ReportContext) -> str:
    """The drill's ration per person (``relief.ration``), e.g. ``drinking water (L) 3``."""
    return tx.quantities(ctx.scenario.relief.ration, ctx.lang)


def limit_text(limit_m: float) -> str:
    """A depth limit as the report writes it (``0.3 m``)."""
    return f"{limit_m:g} m"


def point_label(ctx: ReportContext, spec) -> str:
    if spec.name_zh or spec.name_en:
        return f"{spec.name_zh} {spec.name_en}".strip()
    if spec.location is not None and spec.location.place:
        return ctx.place_label(spec.location.place)
    return spec.id


def short_point(ctx: ReportContext, spec) -> str:
    """Short name for figures and running text: Chinese name in zh, English in en (id as
    fallback); tables use :func:`point_label` (both names)."""
    return ctx.point_name(spec.id)


def place_short(ctx: ReportContext, place_id: str) -> str:
    """A depot's, shelter's or place's name in the report language
    (:meth:`ReportContext.place_name`)."""
    return ctx.place_name(place_id)


def named(ctx: ReportContext, spec) -> str:
    """Bilingual label of a shelter or depot (its own names, else the place's)."""
    if getattr(spec, "name_zh", "") or getattr(spec, "name_en", ""):
        return f"{spec.name_zh} {spec.name_en}".strip()
    return ctx.place_label(spec.id)


@dataclass(frozen=True)
class PointView:
    """A waterlogging point: its spec and place on the map, and its measures."""

    spec: object
    node: int
    edges: np.ndarray
    m: wl.PointMeasure


def points(ctx: ReportContext) -> dict[str, PointView]:
    """Per waterlogging point: spec, node, arcs, and its measures (``PointMeasure``)."""
    def build():
        flood = ctx.scenario.flood
        if flood is None:
            return {}
        measures = wl.waterlogging_points(ctx.result)
        net = ctx.world.network
        out: dict[str, PointView] = {}
        for p in flood.points:
            try:
                node = ctx.world.node_of(p.location)
                edges = point_edges(net, node, p)
            except KeyError:
                node, edges = -1, np.asarray([], dtype=np.int64)
            out[p.id] = PointView(p, node, edges, measures[p.id])
        return out
    return _cached(ctx, "points", build)


def _span_text(ctx: ReportContext, spans) -> str:
    if not spans:
        return ctx.say("flood.no")
    end = ctx.say("flood.span_end")
    return names(ctx, [f"{tx.offset(a)}–{tx.offset(b) if math.isfinite(b) else end}"
                       for a, b in spans])


@dataclass(frozen=True)
class ShelterView:
    """A shelter of the drill: its spec, its places and its measures."""

    spec: object
    capacity: int
    m: rm.ShelterMeasure


def shelters(ctx: ReportContext) -> list[ShelterView]:
    """The drill's shelters with :class:`~drillsim.metrics.relief.ShelterMeasure`."""
    def build():
        measures = rm.shelter_measures(ctx.result)
        out = []
        for spec in ctx.scenario.forces.shelters:
            m = measures[spec.id]
            cap = m.capacity
            if cap is None:  # never opened and no capacity in the drill file: the map's
                p = ctx.world.places.get(spec.id)
                cap = int(p.attrs.get("capacity", 0)) if p is not None else 0
            out.append(ShelterView(spec, cap, m))
        return out
    return _cached(ctx, "shelters", build)


def bottleneck(ctx: ReportContext) -> dict:
    return _cached(ctx, "bottleneck", lambda: rm.bottleneck(ctx.result))


def depots(ctx: ReportContext) -> dict[str, rm.DepotMeasure]:
    """Per depot: :class:`~drillsim.metrics.relief.DepotMeasure`."""
    return _cached(ctx, "depots", lambda: rm.depot_measures(ctx.result))


def teams(ctx: ReportContext) -> list[tuple[object, tm_.TeamMeasure]]:
    """The drill's teams with :class:`~drillsim.metrics.teams.TeamMeasure`."""
    def build():
        specs = {t.id: t for t in ctx.scenario.forces.teams}
        return [(specs[m.team], m) for m in tm_.team_mobilisation(ctx.result)]
    return _cached(ctx, "teams", build)


def shown_team_rows(ctx: ReportContext) -> list[tuple[object, tm_.TeamMeasure]]:
    """The teams the report lists (:func:`~drillsim.metrics.teams.shown_teams`: fielding a
    unit type the drill can ask for, or sent), with their measures, in the drill's order."""
    tm = teams(ctx)
    shown = {m.team for m in tm_.shown_teams(ctx.result, [m for _, m in tm])}
    return [(spec, m) for spec, m in tm if m.team in shown]


def _team_name(ctx: ReportContext, team_id: str) -> str:
    """A team's name in the report language, by its id."""
    for t in ctx.scenario.forces.teams:
        if t.id == team_id:
            return ctx.name(t.name_en, t.name_zh) or team_id
    return team_id


def team_label(ctx: ReportContext, team) -> str:
    return f"{team.name_zh} {team.name_en}".strip() or team.id



# ----------------------------------------------------------------------------- overview


def overview_tables(ctx: ReportContext) -> list[Table]:
    """The waterlogging points table (the rainstorm part's overview)."""
    out = []
    pts = points(ctx)
    if pts:
        rows, classes = [], []
        for p in pts.values():
            m = p.m
            rows.append([point_label(ctx, p.spec), f"{tx.depth(m.peak_m)} m", tx.offset(m.peak_at),
                         _span_text(ctx, m.closed_to_cars), _span_text(ctx, m.closed_to_trucks),
                         tx.count(len(p.edges)), tx.count(m.pumps_sent),
                         tx.count(m.displaced)])
            classes.append("bad" if m.peak_m >= TRUCK_LIMIT_M else "")
        car, truck = limit_text(CAR_LIMIT_M), limit_text(TRUCK_LIMIT_M)
        out.append(Table(
            [ctx.say("flood.col_point"), ctx.say("flood.col_peak_depth"), ctx.say("flood.col_at"),
             ctx.say("flood.col_closed_cars", limit=car),
             ctx.say("flood.col_closed_trucks", limit=truck),
             ctx.say("flood.col_road_arcs"), ctx.say("flood.col_pumps_sent"),
             ctx.say("flood.col_displaced")], rows, ctx.say("flood.points_caption") + "".join(
                ctx.say("flood.points_caption_mm", depth=d, limit=limit_text(lim))
                for d, lim in _kept_mm(pts)), classes))
    return out


def _kept_mm(pts: dict) -> list[tuple[str, float]]:
    """The peak depths the table gives to the millimetre (:func:`drillsim.report.text.depth`:
    two decimals would round them onto a closure limit), each with that limit, m."""
    out = []
    for p in pts.values():
        d = tx.depth(p.m.peak_m)
        if len(d.partition(".")[2]) > 2:
            lim = min((CAR_LIMIT_M, TRUCK_LIMIT_M), key=lambda x: abs(x - p.m.peak_m))
            out.append((d, lim))
    return out


def relief_overview(ctx: ReportContext) -> list[Table]:
    """The relief part's overview: shelters, depots and the waiting by cause."""
    return _shelter_depot_tables(ctx) + evacuation_tables(ctx) + _cause_tables(ctx)


def origin_name(ctx: ReportContext, origin: str) -> str:
    """Where evacuees came from (a waterlogging point, else a place or release), named
    in the report language."""
    if ctx.point_spec(origin) is not None:
        return ctx.point_name(origin)
    chem = ctx.scenario.chemical
    if chem is not None and origin == chem.id:  # the release: its site, and its id
        site = ctx.place_name(chem.site.place) if chem.site.place else ""
        return ctx.say("flood.evac_from_release", site=site, id=origin) if site else origin
    return ctx.place_name(origin)


def evacuation_rows(ctx: ReportContext) -> list[list[str]]:
    """The rows of "where the evacuees went" (:func:`evacuation_tables`): origin, shelter,
    way, people, route km (median / longest), travel min (median / longest), re-routed,
    and for walkers the walking time then to every shelter (median over the groups),
    nearest first, in the order of :func:`~drillsim.metrics.evacuation.evacuation_flows`."""
    options = ev.walk_options(ctx.result)
    flows = ev.evacuation_flows(ctx.result)
    rows = []
    for f in flows:
        others = ""
        if f.by == "foot":  # nearest first: a shelter nearer on the map shows why it was not
            others = ctx.say("flood.sep_list").join(
                ctx.say("flood.evac_option", shelter=place_short(ctx, sid),
                        minutes=tx.minutes(t, ctx.lang)) if math.isfinite(t)
                else ctx.say("flood.evac_option_closed", shelter=place_short(ctx, sid))
                for sid, t in sorted(options.get(f.origin, {}).items(), key=lambda kv: kv[1]))
        rows.append([origin_name(ctx, f.origin), place_short(ctx, f.shelter),
                     ctx.say("flood.evac_on_foot" if f.by == "foot" else "flood.evac_rescued"),
                     tx.count(f.people), f"{f.median_m / 1000:.2f} / {f.max_m / 1000:.2f}",
                     f"{f.median_s / 60:.1f} / {f.max_s / 60:.1f}", tx.count(f.rerouted),
                     others or "—"])
    return rows


def evacuation_tables(ctx: ReportContext) -> list[Table]:
    """Where the evacuees went: origin → shelter, people, how far and how long."""
    rows = evacuation_rows(ctx)
    if not rows:
        return []
    return [Table(
        [ctx.say("flood.col_evac_origin"), ctx.say("flood.col_shelter"),
         ctx.say("flood.col_evac_way"), ctx.say("flood.col_evac_people"),
         ctx.say("flood.col_evac_km"), ctx.say("flood.col_evac_min"),
         ctx.say("flood.col_evac_rerouted"), ctx.say("flood.col_evac_options")], rows,
        ctx.say("flood.evac_caption", limit=limit_text(DEPTH_LIMIT_M["foot"]))
        if ctx.scenario.flood is not None else ctx.say("flood.evac_caption_release"))]


def relieved_header(ctx: ReportContext) -> str:
    """The header of the shelters' "relieved" count, in the report and the terminal
    summary: "relieved within 10 h", or, when the target time falls after the drill's end
    (:func:`drillsim.metrics.relief.target_after_end`), "relieved by the drill's end" (the
    records cannot show who would be relieved late)."""
    if rm.target_after_end(ctx.result):
        return ctx.say("flood.col_relieved_by_end")
    return ctx.say("flood.col_relieved_within",
                   target=tx.duration(ctx.scenario.relief.target, ctx.lang))


def _shelter_depot_tables(ctx: ReportContext) -> list[Table]:
    out = []
    sh = shelters(ctx)
    if sh:
        target = tx.duration(ctx.scenario.relief.target, ctx.lang)
        cut = rm.target_after_end(ctx.result)
        short: rm.Shortfall = bottleneck(ctx)["shortfall"]
        # with the target time after the drill's end a row is late only when the records
        # already show the target cannot be met: the binding item's whole stock is short
        red = not cut or short.capped > 0
        rows, classes = [], []
        for s in sh:
            m = s.m
            rows.append([named(ctx, s.spec), tx.count(s.capacity), tx.offset(m.opened_at),
                         tx.count(m.admitted),
                         tx.count(m.relieved_in_target)
                         + tx.paren(tx.share(m.share_in_target), ctx.lang) if m.admitted
                         else "—",
                         tx.minutes(m.t95_s, ctx.lang), tx.minutes(m.t100_s, ctx.lang),
                         _lacks(ctx, s.spec.lacks)])
            classes.append("bad" if red and m.admitted and m.relieved_in_target < m.admitted
                           else "")
        if not cut:
            caption = ctx.say("flood.shelters_caption")
        elif short.capped:
            c = short.binding
            caption = ctx.say("flood.shelters_caption_cut_capped", target=target,
                              horizon=tx.duration(rm.relief_horizon(ctx.result), ctx.lang),
                              item=tx.term("item", c.item, ctx.lang),
                              stock=tx.amount(c.item, c.stock, ctx.lang),
                              covered=f"{short.covered:,}", displaced=f"{short.displaced:,}")
        else:
            caption = ctx.say("flood.shelters_caption_cut", target=target,
                              horizon=tx.duration(rm.relief_horizon(ctx.result), ctx.lang))
        out.append(Table(
            [ctx.say("flood.col_shelter"), ctx.say("flood.col_capacity"),
             ctx.say("flood.col_opened"), ctx.say("flood.col_admitted"),
             relieved_header(ctx),
             ctx.say("flood.col_t95"), ctx.say("flood.col_t100"), ctx.say("flood.col_lacks")],
            rows, caption, classes))
    if ctx.scenario.forces.depots:
        rows = []
        dm = depots(ctx)
        for dep in ctx.scenario.forces.depots:
            m = dm[dep.id]
            outs = ctx.say("flood.sep_list").join(ctx.say(
                "flood.with_items", what=tx.offset(e.t),
                items=names(ctx, tx.item_names(e.items, ctx.lang))) for e in m.stock_outs)
            rows.append([named(ctx, dep), tx.quantities(m.initial, ctx.lang),
                         tx.sizes((t.capacity_kg for t in dep.trucks), ctx.lang)
                         if dep.trucks else "—",
                         str(m.loads), outs or "—", tx.quantities(m.final, ctx.lang)])
        out.append(Table(
            [ctx.say("flood.col_depot"), ctx.say("flood.col_initial_stock"),
             ctx.say("flood.col_trucks"), ctx.say("flood.col_loads"),
             ctx.say("flood.col_stock_outs"), ctx.say("flood.col_stock_end")], rows,
            ctx.say("flood.depots_caption")))
    return out


def members_left(ctx: ReportContext, m: tm_.TeamMeasure) -> str:
    """A team's members left after assembly: its own, and those also on another team's
    roster said apart (free for either team, so in both teams' figures): ``77 + 30
    shared``; a dash when it did not assemble."""
    if m.free_members is None:
        return "—"
    if not m.free_shared:
        return tx.count(m.free_members)
    return ctx.say("flood.members_left_shared", own=tx.count(m.free_members - m.free_shared),
                   shared=tx.count(m.free_shared))


def team_overview(ctx: ReportContext) -> list[Table]:
    """The teams part's overview: how each team mobilised."""
    out = []
    tm = shown_team_rows(ctx)
    if tm:
        rows, classes = [], []
        for spec, m in tm:
            units = names(ctx, [f"{tx.term('unit', k, ctx.lang)} {m.fielded.get(k, 0)}/{n}"
                                for k, n in m.planned.items()])
            shared = names(ctx, [f"{_team_name(ctx, k)} {n}"
                                 for k, n in m.shared.items()]) or "—"
            rows.append([team_label(ctx, spec), str(spec.members), shared,
                         tx.offset(m.assembled_at), tx.minutes(m.assembly_s, ctx.lang), units,
                         members_left(ctx, m)])
            classes.append("bad" if m.short else "")
        out.append(Table(
            [ctx.say("flood.col_team"), ctx.say("flood.col_members"),
             ctx.say("flood.col_members_shared"), ctx.say("flood.col_assembled"),
             ctx.say("flood.col_mobilisation"), ctx.say("flood.col_units_fielded"),
             ctx.say("flood.col_members_left")], rows, ctx.say("flood.teams_caption") + (
                 _not_asked(ctx, [m.team for _, m in teams(ctx)
                             if m.team not in {s.team for _, s in tm}])),
            classes))
    return out


def _not_asked(ctx: ReportContext, team_ids: list[str]) -> str:
    """The line under the teams table counting the teams it leaves out (``""``: none),
    without their names: a team the drill's hazards do not call for is not named."""
    if not team_ids:
        return ""
    return ctx.say("flood.teams_not_asked_one") if len(team_ids) == 1 else \
        ctx.say("flood.teams_not_asked", n=len(team_ids))


def _cause_tables(ctx: ReportContext) -> list[Table]:
    out = []
    b = bottleneck(ctx)
    if b["person_hours"]:
        rows, classes = [], []
        for k, v in sorted(b["person_hours"].items(), key=lambda kv: -kv[1]):
            share = tx.share(b["share"][k]) if k in b["share"] else "—"
            rows.append([ctx.say(CAUSES[k][0]), tx.count(v), share, cause_meaning(ctx, k)])
            classes.append("bad" if k == b["bottleneck"] else "")
        items = names(ctx, tx.item_names(b["stock_out_items"], ctx.lang)) or ctx.say("flood.none")
        out.append(Table(
            [ctx.say("flood.col_cause"), ctx.say("flood.col_person_hours"),
             ctx.say("flood.col_share"), ctx.say("flood.col_meaning")], rows,
            ctx.say("flood.causes_caption", bottleneck=bottleneck_name(ctx, b),
                    items=items), classes))
    return out


# ----------------------------------------------------------------------------- map


def map_layer(ctx: ReportContext, ax, handles: list) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import ConnectionPatch
    from matplotlib.transforms import ScaledTranslation

    from drillsim.fonts import text_effects
    from drillsim.report.figures import spread_markers

    pts = points(ctx)
    if not pts:
        return
    net = ctx.world.network
    for limit, colour, lw, label in (
            (CAR_LIMIT_M, "#00acc1", 3.5, ctx.say("flood.map_closed_cars")),
            (TRUCK_LIMIT_M, "#d81b60", 4.5, ctx.say("flood.map_closed_trucks"))):
        edges = sorted({int(e) for p in pts.values() if p.m.peak_m >= limit for e in p.edges})
        if not edges:
            continue
        segs = [[(net.lon[net.edge_u[e]], net.lat[net.edge_u[e]]),
                 (net.lon[net.edge_v[e]], net.lat[net.edge_v[e]])] for e in edges]
        ax.add_collection(LineCollection(segs, colors=colour, linewidths=lw, zorder=5,
                                         capstyle="round"))
        handles.append(Line2D([], [], color=colour, lw=lw, label=label))
    shown = [p for p in pts.values() if p.node >= 0]
    peaks = np.array([p.m.peak_m for p in shown])
    colours = ["#aed6f1" if p < CAR_LIMIT_M else "#3498db" if p < TRUCK_LIMIT_M else "#154360"
               for p in peaks]
    xy = np.column_stack([net.lon[[p.node for p in shown]], net.lat[[p.node for p in shown]]])
    sizes = 40 + 260 * np.clip(peaks, 0, 1.5)
    off = spread_markers(ax, xy, sizes)  # two points at one corner: both circles show
    for k in range(len(shown)):
        shift = ScaledTranslation(off[k, 0] / 72, off[k, 1] / 72, ax.figure.dpi_scale_trans)
        ax.scatter(xy[k:k + 1, 0], xy[k:k + 1, 1], s=sizes[k:k + 1], c=colours[k:k + 1],
                   marker="o", alpha=0.85, edgecolors="#1b2631", linewidths=0.8, zorder=8,
                   transform=ax.transData + shift)
        if off[k].any():  # moved: a thin line back to where it is
            ax.add_artist(ConnectionPatch(xy[k], xy[k], coordsA=ax.transData,
                                          coordsB=ax.transData + shift, color="#1b2631",
                                          lw=0.8, zorder=7.9,
                                          gid=f"point-moved-{shown[k].spec.id}"))
    calls: dict[str, int] = {}  # the rescue calls each point raised: said at the point
    for r in ctx.summary.rows:
        if r.kind == "flood_rescue" and r.place:
            calls[r.place] = calls.get(r.place, 0) + 1
    # a moved marker's label at the marker (in data units at the size drawn now)
    at = ax.transData.inverted().transform(ax.transData.transform(xy)
                                           + off * ax.figure.dpi / 72)
    for i, (x, y) in zip(shown, at.tolist(), strict=True):  # by figures.place_labels
        label = f"{short_point(ctx, i.spec)} {tx.depth(i.m.peak_m)} m"
        n = calls.get(i.spec.id, 0)
        if n:
            label += ctx.say("flood.map_point_call_one" if n == 1 else "flood.map_point_calls",
                             n=tx.count(n))
        ax.annotate(label, (x, y), xytext=(8, 6), textcoords="offset points", fontsize=MIN_FONT,
                    color="#1b4f72", zorder=9, path_effects=text_effects("#1b4f72"))
    handles.append(Line2D([], [], marker="o", color="#3498db", ls="", markersize=8,
                          markeredgecolor="#1b2631", label=ctx.say("flood.map_point")))


# ----------------------------------------------------------------------------- figures


def _png(fig, head_room: bool = True) -> bytes:
    """PNG bytes, with the thin CJK glyphs of every text and annotation given weight and
    the event labels clear of the curves (:func:`~drillsim.report.figures.clear_of_curves`,
    placed at the final size; without ``head_room`` the axes keep their range)."""
    fit_width(fig)
    for ax in fig.axes:
        thicken(*ax.texts)
        clear_of_curves(ax, tries=3 if head_room else 0)
    return png(fig)


def _number_crowded(ax) -> list[str]:
    """The event labels of ``ax`` with no free spot beside their line at the axis range
    drawn (:func:`~drillsim.report.figures.clear_of_curves` without head room), each
    replaced by its number at the top of its line (upright); returns their texts in number
    order, for the caption."""
    fit_width(ax.figure)
    thicken(*ax.texts)
    crowded = sorted(clear_of_curves(ax, tries=0), key=lambda a: a.xy[0])
    texts = []
    for i, a in enumerate(crowded, 1):
        texts.append(" ".join(a.get_text().split()))
        a.set_text(str(i))
        a.set_rotation(0)
    return texts


def _hours_axis(ax, label: str) -> None:
    ax.set_xlabel(label)
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)


def depth_figure(ctx: ReportContext) -> Figure | None:
    pts = points(ctx)
    if not pts or not any(p.m.times_s for p in pts.values()):
        return None
    plt = pyplot()
    fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(9.2, 6.2), sharex=True,
                                   gridspec_kw={"height_ratios": [1, 2.6]})
    rain_t, rain_mm_h = wl.rain_curve(ctx.result)
    step = ctx.scenario.flood.step
    if rain_t.size:
        ax0.bar((rain_t - step) / 60, rain_mm_h, width=step / 60,
                align="edge", color="#5dade2", edgecolor="none")
    ax0.set_ylabel(ctx.say("flood.rain_axis"))
    ax0.set_title(ctx.say("flood.depth_heading"), fontsize=10)
    t_max = max(ctx.scenario.duration, ctx.end_time)
    cmap = plt.get_cmap("tab10")
    for k, p in enumerate(pts.values()):
        if p.m.times_s:
            # a line style and marker of its own, markers staggered: two points with the
            # same depths (Tianping bridge and Xianyang Road underpasses) both show
            n = len(p.m.times_s)
            every = max(n // 8, 1)
            ax1.plot(np.asarray(p.m.times_s) / 60, p.m.depths_m, color=cmap(k % 10),
                     lw=2.2 if k == 0 else 1.6, ls=SERIES_STYLES[k % len(SERIES_STYLES)],
                     marker=SERIES_MARKERS[k % len(SERIES_MARKERS)], ms=5,
                     markevery=((k * every) // len(pts) % every, every),
                     label=short_point(ctx, p.spec)
                     + tx.paren(f"{tx.depth(p.m.peak_m)} m", ctx.lang))
    car, truck = limit_text(CAR_LIMIT_M), limit_text(TRUCK_LIMIT_M)
    for y, colour, text in ((CAR_LIMIT_M, "#e67e22", ctx.say("flood.car_line", limit=car)),
                            (TRUCK_LIMIT_M, "#922b21",
                             ctx.say("flood.truck_line", limit=truck))):
        ax1.axhline(y, color=colour, ls="--", lw=1.2)
        ax1.text(0.995, y, text, color=colour, fontsize=8, ha="right", va="bottom",
                 transform=ax1.get_yaxis_transform())
    pumps = wl.pump_station_events(ctx.result)
    for e in pumps:
        where = short_point(ctx, pts[e.point].spec) if e.point in pts else e.point
        # a scripted inject purple dotted; a chance failure grey dash-dot
        colour, ls = ("#7d3c98", ":") if e.scripted else ("#566573", "-.")
        key = ("flood.pump_station_restored" if not e.failed
               else "flood.pump_station_failed" if e.scripted else "flood.pump_station_chance")
        ax1.axvline(e.t / 60, color=colour, ls=ls, lw=1)
        # beside its line, never on it (a few points to the right, on a white ground)
        ax1.annotate(ctx.say(key, point=where), (e.t / 60, 0.98),
                     xycoords=ax1.get_xaxis_transform(), xytext=(3, 0),
                     textcoords="offset points", color=colour, fontsize=MIN_FONT, ha="left",
                     va="top", rotation=90, bbox={"facecolor": "white", "edgecolor": "none",
                                                  "alpha": 0.8, "pad": 0.5})
    ax1.set_ylabel(ctx.say("flood.depth_axis"))
    ax1.set_xlim(0, t_max / 60)
    # head room above the curves and the truck line for the station labels
    peak = max([TRUCK_LIMIT_M, *(p.m.peak_m for p in pts.values())])
    ax1.set_ylim(0, peak * 1.25)
    time_axis(ctx, ax1, t_max)
    ax1.tick_params(axis="x", labelsize=MIN_FONT)
    # under the time axis: inside, it covered the station labels
    lg = ax1.legend(fontsize=MIN_FONT, loc="upper center", ncol=3, frameon=False,
                    bbox_to_anchor=(0.5, -0.26))
    thicken(*lg.get_texts())
    for ax in (ax0, ax1):
        ax.grid(color="#eaeded", lw=0.6)
        ax.set_axisbelow(True)
        style_axes(ax)
    # the depth axis stays at the data's range (head room would squash the points' curves
    # into its bottom): a station label with no room beside its line goes to the caption
    crowded = _number_crowded(ax1)
    return Figure("flood_depth", ctx.say("flood.depth_title"),
                  depth_caption(ctx, pumps, car, truck, crowded), _png(fig, head_room=False),
                  alt=ctx.say("flood.depth_alt"))


SERIES_STYLES = ["-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1))]
"""Line styles of the series of a flood figure (depth points, depot items), in turn: two
series with the same values both show (with :data:`SERIES_MARKERS` on the depths)."""
SERIES_MARKERS = ["o", "s", "^", "D", "v", "P", "X"]


def depth_caption(ctx: ReportContext, pumps: list, car: str, truck: str,
                  numbered: Sequence[str] = ()) -> str:
    """The depth figure's caption by what it draws: the pump-station lines only when the
    run has a scripted (dotted) or a chance (dash-dot) pump-station event; the labels
    numbered at the top of their lines (``numbered``, number 1 first), in full."""
    caption = ctx.say("flood.depth_caption", car=car, truck=truck)
    if any(e.scripted for e in pumps):
        caption += ctx.say("flood.depth_caption_pump_inject")
    if any(not e.scripted for e in pumps):
        caption += ctx.say("flood.depth_caption_pump_chance")
    if numbered:
        caption += ctx.say("flood.depth_caption_numbered", items=tx.join(
            (f"{i} {text}" for i, text in enumerate(numbered, 1)), ctx.lang))
    return caption + ctx.say("flood.depth_caption_styles")


def relieved_after(ctx: ReportContext, share: str, seconds: float | None) -> str:
    """"95% relieved after 7.9 h" / "95%获救助用时7.9 小时", in words, or that the share
    was not relieved by the drill's end (NaN, infinite or missing ``seconds``)."""
    if seconds is None or not math.isfinite(seconds):
        return ctx.say("flood.relieved_never", share=share)
    return ctx.say("flood.relieved_after", share=share,
                   time=tx.value(seconds, "seconds", ctx.lang))


def relief_figure(ctx: ReportContext) -> Figure | None:
    t, share = rm.relief_curve(ctx.result)
    if not t.size:
        return None
    plt = pyplot()
    target = ctx.scenario.relief.target
    hours = f"{target / 3600:g}"
    m = ctx.summary.metrics
    fig, ax = plt.subplots(figsize=(9.2, 4.2))
    horizon = rm.relief_horizon(ctx.result)
    cut = rm.target_after_end(ctx.result)
    t_end = max(float(t[-1]), target * 1.15) / 3600
    # the curve stops where the records do: at the drill's end
    curve_end = min(t_end, horizon / 3600) if math.isfinite(horizon) else t_end
    ax.step(np.append(t / 3600, curve_end), np.append(share, share[-1]) * 100, where="post",
            color="#1e8449", lw=2)
    ax.axvline(target / 3600, color="#c0392b", ls="--", lw=1.5)
    ax.text(target / 3600, 0.03, ctx.say("flood.target_hours", hours=hours),
            color="#c0392b", fontsize=8, transform=ax.get_xaxis_transform())
    if math.isfinite(horizon) and horizon / 3600 < t_end:
        ax.axvline(horizon / 3600, color="#566573", ls=":", lw=1.5)
        ax.text(horizon / 3600, 0.03, ctx.say("flood.drill_ends"), color="#566573",
                fontsize=8, ha="right", transform=ax.get_xaxis_transform())
    ax.axhline(100, color="#aab7b8", lw=0.8)
    s10 = m.get("relief_share_10h", math.nan)
    if math.isfinite(s10):
        at = (horizon if cut else target) / 3600
        ax.plot([at], [s10 * 100], marker="o", color="#c0392b", zorder=5)
        # at the drill's end, just before the target line: the label goes on its left
        ax.annotate(f"{s10:.0%}", (at, s10 * 100), xytext=(-6 if cut else 6, -12),
                    ha="right" if cut else "left", textcoords="offset points",
                    color="#c0392b", fontsize=9)
    ax.set_ylim(0, 105)
    ax.set_xlim(0, t_end)
    ax.set_ylabel(ctx.say("flood.relief_axis"))
    clock = ctx.say("flood.clock_onset" if rm.relief_clock(ctx.result) == "onset"
                    else "flood.clock_leaving_home")
    _hours_axis(ax, ctx.say("flood.hours_since", clock=clock))
    ax.set_title(ctx.say("flood.relief_heading",
                         t95=relieved_after(ctx, "95%", m.get("relief_t95", math.nan)),
                         t100=relieved_after(ctx, ctx.say("flood.share_all"),
                                             m.get("relief_t100", math.nan))), fontsize=10)
    style_axes(ax)
    caption = ctx.say("flood.relief_caption", ration=ration_text(ctx), hours=hours)
    if cut:
        caption += ctx.say("flood.relief_caption_cut", horizon=tx.duration(horizon, ctx.lang))
    return Figure("relief_curve", ctx.say("flood.relief_title"), caption, _png(fig),
                  alt=ctx.say("flood.relief_alt"))


def warning_figure(ctx: ReportContext) -> Figure | None:
    t, share = wm.warning_curve(ctx.result)
    spec = ctx.scenario.warning
    if not t.size or spec is None:
        return None
    plt = pyplot()
    m = ctx.summary.metrics
    target = f"{spec.target:.0%}"
    fig, ax = plt.subplots(figsize=(9.2, 4.0))
    ax.plot(t / 3600, share * 100, color="#2471a3", lw=2)
    ax.axhline(spec.target * 100, color="#c0392b", ls="--", lw=1.5)
    ax.text(0.995, spec.target * 100 - 1.5, ctx.say("flood.target_line", target=target),
            color="#c0392b", fontsize=8, ha="right", va="top",
            transform=ax.get_yaxis_transform())
    ax.axvline(1.0, color="#7f8c8d", ls=":", lw=1)
    s1 = m.get("warning_share_1h", math.nan)
    if math.isfinite(s1):
        ax.plot([1.0], [s1 * 100], marker="o", color="#2471a3")
        ax.annotate(ctx.say("flood.share_at_1h", share=f"{s1:.0%}"), (1.0, s1 * 100),
                    xytext=(6, -14), textcoords="offset points", fontsize=9, color="#2471a3")
    t95 = m.get("warning_t95", math.nan)
    if math.isfinite(t95):
        ax.axvline(t95 / 3600, color="#c0392b", ls=":", lw=1)
        ax.annotate(ctx.say("flood.target_at", target=target, time=dur(t95, ctx.lang)),
                    (t95 / 3600, spec.target * 100), xytext=(6, -28),
                    textcoords="offset points", fontsize=9, color="#c0392b")
    ax.set_ylim(0, 102)
    ax.set_xlim(0, max(float(t[-1]), 1.2) / 3600 if t[-1] > 3600 else 1.2)
    ax.set_ylabel(ctx.say("flood.warned_axis"))
    _hours_axis(ax, ctx.say("flood.hours_after_warning"))
    ax.set_title(ctx.say("flood.warning_heading"), fontsize=10)
    style_axes(ax)
    channels = names(ctx, [tx.term("channel", c.name, ctx.lang) for c in _channels(ctx).channels])
    return Figure("warning", ctx.say("flood.warning_title"),
                  ctx.say("flood.warning_caption", channels=channels), _png(fig),
                  alt=ctx.say("flood.warning_alt"))


LEGEND_COLUMNS = 60
"""Widest line of a legend entry of a two-column legend, character cells (a Chinese
character counts two): longer ones wrap (:func:`drillsim.report.figures.wrap`)."""


def shelter_figure(ctx: ReportContext) -> Figure | None:
    """Occupancy of every shelter that opened (an empty one too: its line stays at 0 and
    it is in the legend), one triangle per opening time naming the shelters opened then."""
    sh = [s for s in shelters(ctx) if s.m.admitted or math.isfinite(s.m.opened_at)]
    if not any(s.m.admitted for s in sh):
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9.2, 4.2))
    t_max = max(ctx.scenario.duration, ctx.end_time)
    cmap = plt.get_cmap("tab10")
    top = 0
    for k, s in enumerate(sh):
        sid = s.spec.id
        occ_steps = s.m.occupancy
        ts = [0.0] + [p[0] for p in occ_steps] + [t_max]
        occ = [0] + [p[1] for p in occ_steps]
        occ.append(occ[-1])
        top = max(top, occ[-1])
        key = "flood.shelter_capacity" if s.m.admitted else "flood.shelter_capacity_empty"
        ax.step(np.asarray(ts) / 60, occ, where="post", color=cmap(k % 10), lw=1.8,
                clip_on=False, label=ctx.say(key, shelter=place_short(ctx, sid),
                                             capacity=tx.count(s.capacity)))
    opened: dict[float, list[str]] = {}
    for s in sh:
        if math.isfinite(s.m.opened_at):
            opened.setdefault(s.m.opened_at, []).append(place_short(ctx, s.spec.id))
    from matplotlib.lines import Line2D

    marks = []  # triangles on the time axis; what opened when goes in the legend, not on
    for t, names in sorted(opened.items()):  # the curves
        ax.plot([t / 60], [0], marker="^", color="#34495e", ms=8, clip_on=False, zorder=5)
        marks.append(Line2D([], [], marker="^", color="#34495e", ls="", ms=8, label=wrap(
            ctx.say("flood.shelters_opened", at=tx.offset(t),
                    names=tx.join(names, ctx.lang, words=True)), LEGEND_COLUMNS)))
    for k, s in enumerate(sh):
        if s.capacity <= 1.5 * max(top, 1):
            ax.axhline(s.capacity, color=cmap(k % 10), ls="--", lw=1)
    ax.set_xlim(0, t_max / 60)
    ax.set_ylim(bottom=-0.025 * ax.get_ylim()[1])  # a shelter with nobody: a line over the axis
    time_axis(ctx, ax, t_max)
    ax.tick_params(axis="x", labelsize=MIN_FONT)
    ax.set_ylabel(ctx.say("flood.admitted_axis"))
    ax.yaxis.set_major_formatter(lambda v, _: tx.count(v))  # 2,500 as in the tables
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    lg = ax.legend(handles=ax.get_legend_handles_labels()[0] + marks, fontsize=MIN_FONT,
                   loc="upper center", ncol=2, frameon=False,
                   bbox_to_anchor=(0.5, -0.24))  # under the axis: never over a line
    thicken(*lg.get_texts())
    ax.set_title(ctx.say("flood.shelter_heading"), fontsize=10)
    style_axes(ax)
    return Figure("shelters", ctx.say("flood.shelter_title"), ctx.say("flood.shelter_caption"),
                  _png(fig), alt=ctx.say("flood.shelter_alt"))


STOCK_MARKS = {"stock_out": ("flood.mark_stock_out", "#c0392b"),
               "replenish": ("flood.mark_replenish", "#1e8449"),
               "stock_change": ("flood.mark_stock_change", "#7d3c98")}
"""Depot stock events on the stock figure: (wording, colour)."""


def stock_share(series: list[tuple[float, float]]) -> tuple[list[float], float]:
    """A depot item's stock levels as % of its initial stock (items in litres, rations
    and sets share one axis), and that initial stock; an item that started at 0 (first
    delivered by a restock) as % of its largest level."""
    initial = series[0][1]
    base = initial if initial > 0 else max(v for _, v in series)
    return [100.0 * v / base if base > 0 else 0.0 for _, v in series], initial


ALONG_PCT = 1.0
"""Two stock shares closer than this (percentage points) at every time are drawn as one
line on the depot panel (about 2 px at its height), so the later one is styled to show."""


def _runs_along(xa: np.ndarray, ya: np.ndarray, xb: np.ndarray, yb: np.ndarray) -> bool:
    """Whether two step series (``where="post"``) lie within :data:`ALONG_PCT` of each
    other at every time of either: food and water stock taken for the same people at
    slightly different moments or in rounded amounts draw one line."""
    at = np.union1d(xa, xb)

    def value(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return y[np.clip(np.searchsorted(x, at, side="right") - 1, 0, len(y) - 1)]

    return bool(np.all(np.abs(value(xa, ya) - value(xb, yb)) < ALONG_PCT))


def stock_figure(ctx: ReportContext) -> Figure | None:
    """The depots' stock over time, each item as a share of its initial stock: one panel
    per depot, its legend right of the panel (it hides no line); an item whose share runs
    along an earlier item's (the same ration per person; :func:`_runs_along`) is drawn
    thin with markers over the earlier one drawn wide, so both stay visible."""
    dm = depots(ctx)
    ration = ctx.scenario.relief.ration
    shown = [d for d in ctx.scenario.forces.depots if dm[d.id].levels]
    if not shown:
        return None
    plt = pyplot()
    t_max = max(ctx.scenario.duration, ctx.end_time)
    fig, axes = plt.subplots(len(shown), 1, figsize=(9.2, 2.6 * len(shown) + 0.8),
                             sharex=True, squeeze=False)
    cmap = plt.get_cmap("tab10")
    items = sorted({k for d in shown for k in dm[d.id].levels})
    for ax, dep in zip(axes[:, 0], shown, strict=True):
        drawn = []
        for k, item in enumerate(items):
            series = dm[dep.id].levels.get(item)
            if not series or (item not in ration and len(series) == 1):
                continue
            ts = [s[0] for s in series] + [t_max]
            vs, initial = stock_share(series)
            drawn.append((k, item, np.asarray(ts) / 60, np.asarray([*vs, vs[-1]]), initial))
        along = [[_runs_along(a[2], a[3], b[2], b[3]) for b in drawn] for a in drawn]
        same = [any(row[:i]) for i, row in enumerate(along)]
        for i, (k, item, x, y, initial) in enumerate(drawn):
            # a later item runs along this one: drawn wide under it
            covered = not same[i] and any(along[i][i + 1:])
            ax.step(x, y, where="post", color=cmap(k % 10), zorder=2 + i,
                    lw=1.2 if same[i] else 4.0 if covered else 2.4 if k == 0 else 1.6,
                    ls=SERIES_STYLES[k % len(SERIES_STYLES)],
                    marker=SERIES_MARKERS[k % len(SERIES_MARKERS)] if same[i] else None,
                    ms=5, mfc="white",
                    label=ctx.say("flood.stock_item",
                                  items=tx.quantities({item: initial}, ctx.lang)))
        for e in dm[dep.id].events:
            key, colour = STOCK_MARKS[e.kind]
            ax.axvline(e.t / 60, color=colour, ls=":", lw=1)
            # beside its line where no item's line runs through it (placed at the final
            # size by _png: figures.clear_of_curves)
            ax.annotate(ctx.say(key), (e.t / 60, 0.97), xycoords=ax.get_xaxis_transform(),
                        xytext=(3, 0), textcoords="offset points", color=colour,
                        fontsize=MIN_FONT, va="top", ha="left", gid=EVENT_LABEL)
        ax.set_ylim(0, max(105.0, ax.get_ylim()[1]))
        ax.set_title(place_short(ctx, dep.id) if ctx.world.places.get(dep.id)
                     else ctx.name(dep.name_en, dep.name_zh) or dep.id, fontsize=9)
        ax.set_ylabel(ctx.say("flood.stock_axis"))
        ax.grid(color="#eaeded", lw=0.6)
        ax.set_axisbelow(True)
        lg = ax.legend(fontsize=MIN_FONT, loc="upper left", bbox_to_anchor=(1.01, 1.0),
                       borderaxespad=0.0, frameon=False)
        thicken(*lg.get_texts())
        style_axes(ax)
    last = axes[-1, 0]
    last.set_xlim(0, t_max / 60)
    time_axis(ctx, last, t_max)
    last.tick_params(axis="x", labelsize=MIN_FONT)
    thicken(last.xaxis.label)
    return Figure("depot_stock", ctx.say("flood.stock_title"), ctx.say("flood.stock_caption"),
                  _png(fig), alt=ctx.say("flood.stock_alt"))


# ----------------------------------------------------------------------------- sections


def _bracketed(ctx: ReportContext, items: list[str]) -> str:
    """`` (a, b)`` / ``（a、b）`` after a count, or nothing when there are none."""
    return ctx.say("flood.in_brackets", names=names(ctx, items)) if items else ""


def sections(ctx: ReportContext) -> list[Section]:
    """The rainstorm section: waterlogging points, closures and depths."""
    out = []
    if ctx.scenario.flood is not None:
        pts = points(ctx)
        car = [short_point(ctx, p.spec) for p in pts.values() if p.m.closed_to_cars]
        truck = [short_point(ctx, p.spec) for p in pts.values() if p.m.closed_to_trucks]
        paras = [ctx.say("flood.points_closed", points=len(pts), cars=len(car),
                         car_names=_bracketed(ctx, car), trucks=len(truck),
                         truck_names=_bracketed(ctx, truck))]
        chance = [o for o in wl.station_outages(ctx.result) if not o.scripted]
        if chance:
            paras.append(ctx.say("flood.chance_failure_one" if len(chance) == 1
                                 else "flood.chance_failures", n=len(chance), failures=names(
                ctx, [ctx.say("flood.failure_at", point=ctx.point_name(o.point),
                              offset=tx.offset(o.failed_t)) for o in chance])))
        figs = [f for f in (depth_figure(ctx),) if f is not None]
        out.append(Section("flood", ctx.say("flood.section_flood"), paras, [], figs))
    return out


def relief_value(ctx: ReportContext, metric: str) -> str:
    """A relief metric's value as the relief table states it; the share within the target,
    when the target time falls after the drill's end, as the share by the drill's end."""
    v = ctx.summary.metrics.get(metric, math.nan)
    text = tx.value(v, METRICS[metric].unit, ctx.lang)
    if metric == "relief_share_10h" and math.isfinite(v) and rm.target_after_end(ctx.result):
        return ctx.say("flood.share_by_end", share=text, target=tx.duration(
            ctx.scenario.relief.target, ctx.lang), horizon=tx.duration(
            rm.relief_horizon(ctx.result), ctx.lang))
    return text


def relief_sections(ctx: ReportContext) -> list[Section]:
    """The relief section: the relief clock, its measures and figures."""
    out = []
    if ctx.scenario.forces.shelters:
        b = bottleneck(ctx)
        rows = [[metric_name(ctx, k), relief_value(ctx, k)]
                for k in ("people_displaced", "people_unsheltered", "relief_share_10h",
                          "relief_t95", "relief_t100") if k in METRICS]
        paras = [ctx.say("flood.relief_clock", clock=_clock_from(ctx),
                         bottleneck=bottleneck_name(ctx, b))] + last_relief_paras(ctx)
        figs = [f for f in (relief_figure(ctx), shelter_figure(ctx), stock_figure(ctx))
                if f is not None]
        out.append(Section("relief", ctx.say("flood.section_relief"), paras,
                           [Table([ctx.say("flood.col_measure"), ctx.say("flood.col_value")],
                                  rows)], figs))
    return out


def last_relief_paras(ctx: ReportContext) -> list[str]:
    """Which case sets "every displaced person relieved" when it came from a rescue
    (:func:`drillsim.metrics.relief.last_relief`): its time on scene against the run's
    median, drawn from the drill's work-time model, so the reader does not take a long
    rescue for a relief failure."""
    last = rm.last_relief(ctx.result)
    if last is None or not last.incident:
        return []
    return [ctx.say("flood.last_relief_rescue", people=f"{last.people:,}",
                    shelter=place_short(ctx, last.shelter), delay=tx.minutes(last.delay_s,
                                                                            ctx.lang),
                    call=ctx.incident_label(last.incident),
                    on_scene=tx.minutes(last.on_scene_s, ctx.lang), rescues=f"{last.rescues:,}",
                    median=tx.minutes(last.median_on_scene_s, ctx.lang),
                    admitted=tx.offset(last.admitted_t),
                    after=tx.minutes(last.relieved_t - last.admitted_t, ctx.lang))]


def warning_sections(ctx: ReportContext) -> list[Section]:
    """The warning section: coverage over time and by channel."""
    out = []
    if ctx.scenario.warning is not None:
        paras = [_warning_sentence(ctx)]
        figs = [f for f in (warning_figure(ctx),) if f is not None]
        rows = [[tx.term("channel", c.name, ctx.lang), f"{c.reach:.0%}",
                 tx.minutes(c.first_s, ctx.lang),
                 _full_reach(ctx, c.full_s)] for c in _channels(ctx).channels]
        out.append(Section("warning", ctx.say("flood.section_warning"), paras,
                           [Table([ctx.say("flood.col_channel"), ctx.say("flood.col_reach"),
                                   ctx.say("flood.col_first_reached"),
                                   ctx.say("flood.col_full_reach")], rows,
                                  ctx.say("flood.channel_times_caption"))], figs))
    return out


def _clock_from(ctx: ReportContext) -> str:
    if rm.relief_clock(ctx.result) == "onset":
        return ctx.say("flood.clock_from_onset")
    return ctx.say("flood.clock_from_leaving")


def _channels(ctx: ReportContext) -> wm.WarningChannels:
    """The warning channels (:func:`drillsim.metrics.warning.warning_channels`)."""
    def build():
        found = wm.warning_channels(ctx.result)
        return found if found is not None else wm.WarningChannels(math.nan, (), 0.0, None)
    return _cached(ctx, "channels", build)


def _full_reach(ctx: ReportContext, full_s: float) -> str:
    """A channel's time to full reach (from the warning model), said to fall after the
    drill's end when it does: the records cannot show it."""
    text = dur(full_s, ctx.lang)
    if wm.warning_issued_at(ctx.result) + full_s > ctx.end_time:
        return ctx.say("flood.after_drill_end", time=text)
    return text


def _warning_sentence(ctx: ReportContext) -> str:
    m = ctx.summary.metrics
    target = f"{ctx.scenario.warning.target:.0%}"
    issued = wm.warning_issued_at(ctx.result)
    t95 = m.get("warning_t95", math.nan)
    reached = (ctx.say("flood.warning_reached_after", target=target, time=dur(t95, ctx.lang))
               if math.isfinite(t95) else ctx.say("flood.warning_never_reached", target=target))
    return ctx.say("flood.warning_sentence", issued=tx.offset(issued),
                   clock=tx.clock(ctx.scenario.start, issued),
                   share=tx.value(m.get("warning_share_1h", math.nan), "share", ctx.lang),
                   reached=reached)


# ----------------------------------------------------------------------------- explainers


def restock_paras(ctx: ReportContext, b: dict) -> list[str]:
    """Where each restock of the item that binds (else the first that ran out) went, shelter
    by shelter (:func:`drillsim.metrics.relief.restock_split`): why a shelter stayed
    behind after a restock."""
    short: rm.Shortfall = b["shortfall"]
    item = short.binding.item if short.capped else next(iter(b["stock_out_items"]), None)
    if item is None:
        return []
    out = []
    for t, depot, split in rm.restock_split(ctx.result, item):
        out.append(ctx.say("flood.restock_split", depot=place_short(ctx, depot),
                           at=tx.offset(t), item=tx.term("item", item, ctx.lang),
                           split=tx.join((ctx.say("flood.to_shelter", qty=tx.count(q),
                                                  shelter=place_short(ctx, sh))
                                          for sh, q in split.items()), ctx.lang)))
    return out


def explain_relief(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    b = bottleneck(ctx)
    paras = [measured_sentence(ctx, res, rating)]
    name = b["bottleneck"]
    avoidable = b["avoidable_share"]
    paras += bottleneck_paras(ctx, b)
    events = rm.stock_events(ctx.result)
    if b["stock_out_items"]:
        where = ctx.say("flood.sep_list").join(ctx.say(
            "flood.with_items", what=f"{place_short(ctx, e.depot)} {tx.offset(e.t)}",
            items=names(ctx, tx.item_names(e.items, ctx.lang)))
            for e in events if e.kind == "stock_out")
        paras.append(ctx.say("flood.items_ran_out",
                             items=names(ctx, tx.item_names(b["stock_out_items"], ctx.lang)),
                             where=where))
    for e in events:
        if e.kind != "stock_change":
            continue
        sign = "−" if e.removed else "+"
        its = tx.quantities(e.items, ctx.lang, sign)
        paras.append(ctx.say("flood.stock_inject", depot=place_short(ctx, e.depot),
                             at=tx.offset(e.t), items=its))
    # shelters where someone admitted was not relieved in the target (all relieved: none)
    behind = sorted([s for s in shelters(ctx)
                     if s.m.admitted and s.m.relieved_in_target < s.m.admitted],
                    key=lambda s: (s.m.share_in_target, -_fin(s.m.t95_s)))[:3]
    rows = [[named(ctx, s.spec), tx.count(s.m.admitted), tx.count(s.m.relieved_in_target),
             tx.minutes(s.m.t95_s, ctx.lang), tx.minutes(s.m.t100_s, ctx.lang),
             _lacks(ctx, s.spec.lacks)] for s in behind]
    table = Table([ctx.say("flood.col_shelter"), ctx.say("flood.col_admitted_short"),
                   ctx.say("flood.col_relieved_in_target"), ctx.say("flood.col_t95"),
                   ctx.say("flood.col_t100"), ctx.say("flood.col_lacks")], rows,
                  ctx.say("flood.most_behind_caption")) if rows else None
    if behind:
        paras.append(ctx.say("flood.most_behind", shelters=clauses(ctx, [
            ctx.say("flood.behind_shelter", shelter=place_short(ctx, s.spec.id),
                    relieved=tx.count(s.m.relieved_in_target), admitted=tx.count(s.m.admitted))
            for s in behind])))
        paras += restock_paras(ctx, b)
    actions = cause_actions(ctx, name, b, obj.id)
    # the next largest avoidable wait, when it is a fifth of it or more; not trucks when
    # an item's stock caps the relieved: more trucks would not relieve anyone more
    capped = b["shortfall"].capped > 0
    second = [k for k in sorted(avoidable, key=lambda k: -avoidable[k])
              if k != name and not (capped and k == "trucks")][:1]
    for k in second:
        if avoidable[k] >= 0.2:
            actions += cause_actions(ctx, k, b, obj.id)[:1]
    # only where the shelters behind lack something relief needs (an item of the ration or
    # one that ran out); communications or a medical point do not relieve anyone
    needs = set(ctx.scenario.relief.ration) | set(b["stock_out_items"])
    missing = sorted({x for s in behind for x in s.spec.lacks if x in needs})
    if missing:
        actions.append(_action(ctx, "flood.action_equip_shelters", "air", "shelter", obj.id,
                               lacks=names(ctx, tx.item_names(missing, ctx.lang))))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, table, actions)


def bottleneck_paras(ctx: ReportContext, b: dict) -> list[str]:
    """The relief bottleneck in words (:func:`drillsim.metrics.relief.bottleneck`): the
    binding item and how many people its stock leaves without a ration; the people who
    left home after their relief deadline; else the largest avoidable wait. When the
    bottleneck is not the largest wait, the largest wait follows it."""
    name, hours, avoidable = b["bottleneck"], b["person_hours"], b["avoidable_share"]
    short: rm.Shortfall = b["shortfall"]
    target = tx.duration(ctx.scenario.relief.target, ctx.lang)
    paras = []
    if name == "stock" and short.capped:
        c = short.binding
        paras.append(ctx.say("flood.relief_binding_item",
                             item=tx.term("item", c.item, ctx.lang),
                             stock=tx.amount(c.item, c.stock, ctx.lang), ration=f"{c.ration:g}",
                             covered=f"{short.covered:,}", displaced=f"{short.displaced:,}",
                             capped=f"{short.capped:,}"))
    elif name == "left_late":
        paras.append(ctx.say("flood.relief_left_late", late=f"{short.left_late:,}",
                             missed=f"{short.missed:,}", target=target,
                             typical=dur(short.typical_s, ctx.lang),
                             last=tx.offset(short.last_left)))
    elif name:
        larger = b.get("unavoidable_larger", ())
        paras.append(ctx.say("flood.relief_largest_wait" if larger else "flood.relief_bottleneck",
                             cause=cause_name(ctx, name),
                             hours=f"{hours[name]:,.0f}", share=tx.share(avoidable[name]),
                             meaning=cause_meaning(ctx, name)))
        for k in larger:
            paras.append(ctx.say("flood.relief_unavoidable_larger",
                                 cause=cause_name(ctx, k), hours=f"{hours[k]:,.1f}",
                                 share=tx.share(b["share"][k]), meaning=cause_meaning(ctx, k)))
    largest = max(avoidable, key=avoidable.get) if avoidable else ""
    if name in ("stock", "left_late") and largest and largest != name \
            and hours.get(largest, 0) > 0:
        paras.append(ctx.say("flood.relief_largest_wait", cause=cause_name(ctx, largest),
                             hours=f"{hours[largest]:,.0f}",
                             share=tx.share(avoidable[largest]),
                             meaning=cause_meaning(ctx, largest)))
    if not name:
        paras.append(ctx.say("flood.no_avoidable_wait"))
    return paras


def cause_actions(ctx: ReportContext, cause: str | None, b: dict, ref: str) -> list[Action]:
    """The improvement actions for a relief waiting ``cause``: worded for the drill (no
    rainstorm words without a rainstorm) and, for stock, naming the binding item: the one
    whose stock covers the fewest people (:func:`drillsim.metrics.relief.item_caps`); when
    its whole stock over the drill covers fewer than the displaced, by how much to raise
    it (displaced × ration − stock, restocks included)."""
    out = []
    short: rm.Shortfall = b["shortfall"]
    for key, owner, cap in CAUSE_ACTIONS.get(cause or "", []):
        if ctx.scenario.flood is None:
            key = NO_RAIN_ACTIONS.get(key, key)
        if not key:
            continue
        if key == "flood.action_keep_stock" and short.capped:
            c = short.binding
            out.append(_action(ctx, "flood.action_raise_stock", owner, cap, ref,
                               item=tx.term("item", c.item, ctx.lang),
                               needed=tx.amount(c.item, math.ceil(short.needed - 1e-9),
                                                ctx.lang),
                               stock=tx.amount(c.item, c.stock, ctx.lang),
                               covered=f"{short.covered:,}",
                               displaced=f"{short.displaced:,}"))
        elif key == "flood.action_tell_sooner":
            out.append(_action(ctx, key, owner, cap, ref, late=f"{short.left_late:,}"))
        elif key == "flood.action_keep_stock":
            caps = rm.item_caps(ctx.result)
            items = [c.item for c in caps[:1]] or list(b["stock_out_items"])
            out.append(_action(ctx, key, owner, cap, ref,
                               items=names(ctx, tx.item_names(items, ctx.lang))))
        else:
            out.append(_action(ctx, key, owner, cap, ref))
    return out


def _fin(v: float) -> float:
    return v if math.isfinite(v) else 1e12


def explain_warning(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    wc = _channels(ctx)
    paras = [measured_sentence(ctx, res, rating), _warning_sentence(ctx)]
    target = f"{wc.target:.0%}"
    at = tx.offset(wm.warning_issued_at(ctx.result) + wc.judged_s)  # the drill's end
    rows = [[tx.term("channel", c.name, ctx.lang), f"{c.reach:.0%}",
             tx.minutes(c.first_s, ctx.lang), _full_reach(ctx, c.full_s),
             ctx.say("flood.yes" if c.needed else "flood.no")] for c in wc.channels]
    table = Table([ctx.say("flood.col_channel"), ctx.say("flood.col_reach"),
                   ctx.say("flood.col_first_reached"), ctx.say("flood.col_full_reach"),
                   ctx.say("flood.col_needed_for", target=target, at=at)], rows,
                  ctx.say("flood.channels_caption"))
    actions = []
    if wc.max_share < wc.target:
        paras.append(ctx.say("flood.channels_never_reach", target=target,
                             most=f"{wc.max_share:.0%}"))
    slow = wc.bottleneck
    _, within = obj.bound()
    gap = wm.sleep_gap(ctx.result, within) if obj.metric == "warning_t95" else None
    if gap is not None:
        # the target came only as sleepers got up: the lever is the channels that wake
        # people, not the ramp of any channel (a faster ramp reaches no more sleepers)
        gap_ = "" if ctx.lang == "zh" else " "

        def listed(pairs):
            return tx.join((f"{tx.term('channel', n, ctx.lang)}{gap_}{v:.0%}" for n, v in pairs),
                           ctx.lang)
        paras.append(ctx.say("flood.warning_asleep", asleep=f"{gap.asleep:.0%}",
                             clock=tx.clock(ctx.scenario.start, wm.warning_issued_at(ctx.result)),
                             within=tx.duration(within, ctx.lang), share=f"{gap.share:.0%}",
                             waking=listed(gap.waking), target=target,
                             deferred=listed(gap.deferred)))
        actions.append(_action(ctx, "flood.action_wake_channels", "subdistricts", "warning",
                               obj.id, within=tx.duration(within, ctx.lang),
                               share=f"{gap.share:.0%}", target=target,
                               need=f"{gap.wake_needed:.0%}",
                               deferred=tx.join((tx.term("channel", n, ctx.lang)
                                                 for n, _ in gap.deferred), ctx.lang)))
    elif slow is not None:
        paras.append(ctx.say("flood.warning_bottleneck",
                             channel=tx.term("channel", slow.name, ctx.lang), target=target,
                             at=at,
                             reach=f"{slow.reach:.0%}", time=_full_reach(ctx, slow.full_s)))
        # every channel counts from the one decision to warn (the drill file gives no channel
        # its own start), so the miss is the slowest needed channel's ramp: aim at it
        actions.append(_action(ctx, "flood.action_speed_up_channel", "subdistricts", "warning",
                               obj.id, channel=tx.term("channel", slow.name, ctx.lang),
                               target=target,
                               ramp=tx.duration(slow.full_s - slow.first_s, ctx.lang)))
    elif wc.max_share < wc.target:
        actions.append(_action(ctx, "flood.action_add_reach", "hq", "warning", obj.id,
                               target=target, most=f"{wc.max_share:.0%}"))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, table, actions)


def assembly_action(ctx: ReportContext, spec, m: tm_.TeamMeasure, ref: str) -> Action:
    """The action for a team that assembled after its first need (the first call that
    waited for its unit types, :attr:`~drillsim.metrics.teams.TeamMeasure.late`): call it
    out earlier or pre-position it. Its assembly time is the drill file's drawn
    mobilisation delay, not a roster the records show: the action says so and asks for a
    check."""
    return _action(ctx, "flood.action_team_earlier", TEAM_OWNER.get(spec.id, "bureau"),
                   "mobilisation", ref, team=team_name(ctx, spec),
                   after=tx.minutes(m.assembled_at - m.needed_at, ctx.lang),
                   needed=tx.offset(m.needed_at), minutes=tx.minutes(m.assembly_s, ctx.lang))


def late_team_actions(ctx: ReportContext) -> list[tuple[object, tm_.TeamMeasure]]:
    """The teams the rescue finding drafts an assembly action for (:func:`assembly_action`):
    the two slowest to assemble of the listed teams that assembled after their first need."""
    late = [(spec, m) for spec, m in shown_team_rows(ctx)
            if m.late and math.isfinite(m.assembled_at)]
    return sorted(late, key=lambda t: -_fin(t[1].assembly_s))[:2]


def rescue_explained(ctx: ReportContext) -> bool:
    """Whether the report explains a rescue objective (:func:`explain_rescue`: rated below
    P, and not only for fires still burning at the end)."""
    return any(ro.res.objective.metric == "rescue_first_arrival_p90" and ro.rating.code != "P"
               and not (ro.failures and ro.res.status == "met") for ro in rated_objectives(ctx))


def explain_rescue(ctx: ReportContext, res, rating) -> Finding:
    from drillsim.report.fire import SEGMENT_WORDING, breakdown

    obj = res.objective
    op, target = obj.bound()
    calls = rescue_calls(ctx.summary.rows, target)
    rows, late = calls.calls, calls.late
    paras = [measured_sentence(ctx, res, rating)]
    paras.append(ctx.say("flood.rescue_calls", calls=len(rows), late=len(late),
                         queued=calls.queued, aid=calls.mutual_aid))

    def largest_of(calls_: list) -> tuple[str, str]:
        """The largest response segment of ``calls_`` and its share of their total time."""
        totals: dict[str, float] = defaultdict(float)
        for r in calls_:
            for k, v in breakdown(ctx, r, "first", False).segments.items():
                totals[k] += v
        if not totals or not sum(totals.values()):
            return "", ""
        top = max(totals, key=totals.get)
        return top, f"{totals[top] / sum(totals.values()):.0%}"

    # the response segments are named by the fire part (report.fire.SEGMENT_WORDING); the
    # calls beyond the target first, and then all calls when their largest differs
    largest, share = largest_of(late or rows)
    every, every_share = largest_of(rows) if late else (largest, share)
    if largest and late:
        paras.append(ctx.say("flood.rescue_bottleneck_late", late=len(late),
                             segment=ctx.say(SEGMENT_WORDING[largest]), share=share))
        if every != largest:
            paras.append(ctx.say("flood.rescue_largest_all", calls=len(rows),
                                 segment=ctx.say(SEGMENT_WORDING[every]), share=every_share))
    elif largest:
        paras.append(ctx.say("flood.rescue_bottleneck", calls=len(rows),
                             segment=ctx.say(SEGMENT_WORDING[largest]), share=share))
    tm = shown_team_rows(ctx)
    if tm:
        paras.append(ctx.say("flood.team_mobilisation", teams=clauses(ctx, [
            ctx.say("flood.team_assembled", team=team_name(ctx, spec),
                    at=tx.offset(m.assembled_at), minutes=tx.minutes(m.assembly_s, ctx.lang))
            for spec, m in tm])))
    first_call = calls.first_call
    t_rows = [[team_label(ctx, spec), tx.offset(m.activated_at), tx.offset(m.assembled_at),
               ctx.say("flood.after_first_call" if m.assembled_at > first_call
                       else "flood.before_first_call")] for spec, m in tm]
    table = Table([ctx.say("flood.col_team"), ctx.say("flood.col_activated"),
                   ctx.say("flood.col_assembled"), ctx.say("flood.col_vs_first_call")],
                  t_rows, ctx.say("flood.first_rescue_call", at=tx.offset(first_call))
                  ) if t_rows else None
    actions = []
    if largest in ("queue", "processing") or calls.queued:
        activated = [m.activated_at for _, m in tm if math.isfinite(m.activated_at)]
        if activated and max(activated) < first_call:
            # activated before the first call already: the time lost was their assembly
            actions.append(_action(
                ctx, "flood.action_preposition_assembled", "hq", "mobilisation", obj.id,
                activated=tx.offset(min(activated)), first=tx.offset(first_call)))
        else:
            actions.append(_action(ctx, "flood.action_preposition_rescue", "hq",
                                   "mobilisation", obj.id))
    for spec, m in late_team_actions(ctx):
        actions.append(assembly_action(ctx, spec, m, obj.id))
    if calls.mutual_aid or largest == "aid":
        actions.append(_action(ctx, "flood.action_mutual_aid", "bureau", "operations", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, table, actions)


def explain_displaced(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    b = bottleneck(ctx)
    paras = [measured_sentence(ctx, res, rating)]
    pts = points(ctx)
    worst = [p for p in pts.values() if p.m.displaced]
    if worst:
        paras.append(ctx.say("flood.displaced_from", points=clauses(ctx, [
            ctx.say("flood.displaced_point", point=short_point(ctx, p.spec),
                    people=tx.count(p.m.displaced), peak=tx.depth(p.m.peak_m)) for p in worst])))
    sp = b["person_hours"].get("shelter_space", 0.0)
    if sp:
        paras.append(ctx.say("flood.turned_away", hours=tx.count(sp)))
    actions = cause_actions(ctx, "shelter_space", bottleneck(ctx), obj.id)
    actions.append(_action(ctx, "flood.action_pumps_residential", "citymgmt", "operations",
                           obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


EXPLAINERS = {
    "relief_share_10h": explain_relief, "relief_t95": explain_relief,
    "relief_t100": explain_relief, "warning_t95": explain_warning,
    "warning_share_1h": explain_warning, "rescue_first_arrival_p90": explain_rescue,
    "people_displaced": explain_displaced, "people_unsheltered": explain_displaced,
}


# ----------------------------------------------------------------------------- strengths


def relief_strengths(ctx: ReportContext) -> list[str]:
    """Relief strengths: everyone relieved in time, everyone sheltered."""
    m = ctx.summary.metrics
    out = []
    target = ctx.scenario.relief.target
    s10 = m.get("relief_share_10h", math.nan)
    if math.isfinite(s10) and s10 >= 1.0 and not restates_objective(ctx, "relief_share_10h"):
        out.append(ctx.say("flood.all_relieved", target=tx.duration(target, ctx.lang)))
    # without a rainstorm the displaced are a release's evacuees: the chemical part says it
    if (ctx.scenario.flood is not None and m.get("people_displaced", 0)
            and m.get("people_unsheltered", 1) == 0
            and not restates_objective(ctx, "people_unsheltered")):
        out.append(ctx.say("flood.all_sheltered", people=tx.count(m["people_displaced"])))
    return out


def relief_observations(ctx: ReportContext) -> list[Finding]:
    """The plan's relief target (indicator 8) missed, when no objective measures it: the
    share relieved in time and the bottleneck; met although depot items ran out: what
    carried it."""
    s10 = ctx.summary.metrics.get("relief_share_10h", math.nan)
    if s10 >= 1.0:
        return _ran_out_but_met(ctx)
    if not beyond_objectives(ctx, "relief_share_10h") or not s10 < 1.0:
        return []
    b = bottleneck(ctx)
    cut = rm.target_after_end(ctx.result)
    key = "flood.obs_relief"
    if cut:  # after the end: unknown, unless an item's whole stock is already short
        key = "flood.obs_relief_by_end_capped" if b["shortfall"].capped \
            else "flood.obs_relief_by_end"
    paras = [ctx.say(key,
                     share=tx.share(s10),
                     target=tx.duration(ctx.scenario.relief.target, ctx.lang),
                     horizon=tx.duration(rm.relief_horizon(ctx.result), ctx.lang),
                     people=tx.count(ctx.summary.metrics.get('people_displaced', 0)))]
    paras += bottleneck_paras(ctx, b)
    return [observation(ctx, ctx.say("flood.obs_relief_title"), paras,
                        actions=cause_actions(ctx, b["bottleneck"], b, beyond_ref(ctx)))]


def pump_observations(ctx: ReportContext) -> list[Finding]:
    """Failed pump stations no mobile pump reached while they were out (the first pump
    sent only after the restoration, or none), scripted or by chance."""
    late = [o for o in wl.station_outages(ctx.result) if o.late]
    if not late:
        return []
    paras = []
    for o in late:
        how = ctx.say("flood.failed_scripted" if o.scripted else "flood.failed_by_chance")
        back = (ctx.say("flood.restored_at", offset=tx.offset(o.restored_t))
                if math.isfinite(o.restored_t) else ctx.say("flood.not_restored"))
        pump = (ctx.say("flood.first_pump_at", offset=tx.offset(o.pump_t),
                        after=tx.duration(o.pump_t - o.failed_t, ctx.lang),
                        unit=ctx.unit_label(o.unit))
                if math.isfinite(o.pump_t) else ctx.say("flood.no_pump"))
        paras.append(ctx.say("flood.obs_pump_late", point=ctx.point_name(o.point), how=how,
                             failed=tx.offset(o.failed_t), back=back, pump=pump))
    return [observation(ctx, ctx.say("flood.obs_pump_title"), paras)]


def flood_observations(ctx: ReportContext) -> list[Finding]:
    """The rainstorm's findings beyond the objectives: pumps at failed stations, then
    chance failures a pump reached."""
    return pump_observations(ctx) + chance_failure_observations(ctx)


def chance_failure_observations(ctx: ReportContext) -> list[Finding]:
    """Pump stations failed by chance (the flood uncertainty model) that a mobile pump did
    reach while out (the others are in :func:`pump_observations`): what failed, when, the
    drainage lost, the pump's times and the longer road closure the lost drainage cost
    (:func:`drillsim.metrics.waterlogging.outage_costs`)."""
    paras = []
    for c in wl.outage_costs(ctx.result):
        o = c.outage
        if o.scripted or o.late:
            continue
        pump = ctx.say("flood.chance_pump", sent=tx.offset(o.pump_t),
                       unit=ctx.unit_label(o.unit), start=tx.offset(c.pump_start_t),
                       after=tx.minutes(c.pump_start_t - o.failed_t, ctx.lang)) \
            if math.isfinite(c.pump_start_t) else ctx.say("flood.chance_pump_sent_only",
                                                          sent=tx.offset(o.pump_t))
        closure = ""
        if math.isfinite(c.reopened_if_drained_t) and c.reopened_t > c.reopened_if_drained_t:
            closure = ctx.say("flood.chance_closure", reopened=tx.offset(c.reopened_t),
                              if_drained=tx.offset(c.reopened_if_drained_t),
                              longer=tx.minutes(c.reopened_t - c.reopened_if_drained_t,
                                                ctx.lang))
        paras.append(ctx.say("flood.chance_failure_finding", point=ctx.point_name(o.point),
                             failed=tx.offset(o.failed_t), before=f"{c.drain_before:g}",
                             after=f"{c.drain_after:g}", depth=tx.depth(c.depth_m),
                             pump=pump, closure=closure))
    return [observation(ctx, ctx.say("flood.obs_chance_title"), paras)] if paras else []


def _ran_out_but_met(ctx: ReportContext) -> list[Finding]:
    """Every displaced person relieved within the target although depot items ran out: when
    and where, the person-hours of waiting for stock, and the deliveries that carried it
    (replenishments or stock added at those depots after their first stock-out)."""
    outs = [e for d in depots(ctx).values() for e in d.stock_outs]
    if not outs:
        return []
    first: dict[str, float] = {}
    for e in sorted(outs, key=lambda e: e.t):
        first.setdefault(e.depot, e.t)
    carried = sorted((e for d in depots(ctx).values() for e in d.events
                      if e.depot in first and e.t > first[e.depot]
                      and (e.kind == "replenish" or (e.kind == "stock_change"
                                                     and not e.removed))),
                     key=lambda e: e.t)
    ran = names(ctx, [ctx.say("flood.ran_out_at", items=names(
        ctx, tx.item_names(e.items, ctx.lang)), depot=place_short(ctx, e.depot),
        at=tx.offset(e.t)) for e in sorted(outs, key=lambda e: e.t)])
    paras = [ctx.say("flood.obs_ran_out", target=tx.duration(ctx.scenario.relief.target,
                                                             ctx.lang),
                     ran=ran, hours=tx.count(bottleneck(ctx)['person_hours'].get('stock', 0.0)))]
    if carried:
        paras.append(ctx.say("flood.obs_carried_by", deliveries=names(ctx, [
            ctx.say("flood.delivery_at", depot=place_short(ctx, e.depot), at=tx.offset(e.t))
            for e in carried])))
    # each item the depots held too little of before it first ran out: how much more,
    # where, or the restock brought forward (metrics.relief.stock_gaps)
    actions = []
    for g in rm.stock_gaps(ctx.result):
        if g.more <= 0:
            continue
        refill = (ctx.say("flood.or_refill_sooner", at=tx.offset(g.refill_t),
                          before=tx.offset(g.first_out))
                  if math.isfinite(g.refill_t) else "")
        actions.append(_action(ctx, "flood.action_stock_before_out", "civil",
                               "resources", beyond_ref(ctx),
                               item=tx.term("item", g.item, ctx.lang),
                               more=tx.amount(g.item, math.ceil(g.more - 1e-9), ctx.lang),
                               depots=names(ctx, [place_short(ctx, d) for d in g.depots]),
                               refill=refill, held=tx.amount(g.item, g.held, ctx.lang),
                               covered=tx.count(math.floor(g.covered + 1e-9)),
                               at=tx.offset(g.first_out),
                               displaced=f"{ctx.summary.metrics.get('people_displaced', 0):,.0f}",
                               hours=tx.count(bottleneck(ctx)['person_hours'].get('stock',
                                                                                   0.0))))
    return [observation(ctx, ctx.say("flood.obs_ran_out_title"), paras, actions=actions)]


def warning_observations(ctx: ReportContext) -> list[Finding]:
    """The plan's warning coverage (indicator 7: at least 95 %) not reached during the
    drill, when no objective measures it."""
    if not beyond_objectives(ctx, "warning_t95"):
        return []
    if math.isfinite(ctx.summary.metrics.get("warning_t95", math.nan)):
        return []
    return [observation(ctx, ctx.say("flood.obs_warning_title"), [ctx.say(
        "flood.obs_warning", target=f"{ctx.scenario.warning.target:.0%}",
        most=f"{_channels(ctx).max_share:.0%}")])]


def warning_strengths(ctx: ReportContext) -> list[str]:
    """Warning strength: the target coverage within the hour."""
    m = ctx.summary.metrics
    out = []
    t95 = m.get("warning_t95", math.nan)
    if math.isfinite(t95) and t95 <= 3600 and not restates_objective(ctx, "warning_t95",
                                                                      "warning_share_1h"):
        out.append(ctx.say("flood.warning_within_hour", time=tx.minutes(t95, ctx.lang)))
    return out


def strengths(ctx: ReportContext) -> list[str]:
    """Rainstorm strengths: roads kept open to trucks, points pumped passable."""
    out = []
    pts = points(ctx)
    if pts and not any(p.m.closed_to_trucks for p in pts.values()):
        out.append(ctx.say("flood.no_truck_closure"))
    early = wl.pumped_before_peak(ctx.result)
    pumped = [p for p in pts.values() if p.spec.id in early and p.m.peak_m < TRUCK_LIMIT_M]
    if pumped:
        out.append(ctx.say("flood.pumps_kept_passable",
                           points=names(ctx, [short_point(ctx, p.spec) for p in pumped]),
                           limit=limit_text(TRUCK_LIMIT_M)))
    return out


def team_strengths(ctx: ReportContext) -> list[str]:
    """Team strength: the teams that fielded every planned unit and were ready when
    needed (sent, and assembled before any call waited for their unit types:
    :attr:`~drillsim.metrics.teams.TeamMeasure.ready_when_needed`). A late team is a
    finding (:func:`team_observations`), an unused one neither."""
    ready = [team_name(ctx, spec) for spec, m in teams(ctx)
             if m.planned and not m.short and m.ready_when_needed]
    return [ctx.say("flood.teams_full", teams=names(ctx, ready))] if ready else []


def team_observations(ctx: ReportContext) -> list[Finding]:
    """Teams that assembled only after the first call that asked for their unit types (a
    team the rescue finding already drafts an assembly action for is said there, once)."""
    paras = []
    said = {spec.id for spec, _ in late_team_actions(ctx)} if rescue_explained(ctx) else set()
    for spec, m in teams(ctx):
        if not m.late or spec.id in said:
            continue
        if math.isnan(m.assembled_at):
            paras.append(ctx.say("flood.obs_team_never", team=team_name(ctx, spec),
                                 needed=tx.offset(m.needed_at),
                                 call=ctx.incident_short(m.needed_by)))
        else:
            paras.append(ctx.say("flood.obs_team_late", team=team_name(ctx, spec),
                                 minutes=tx.minutes(m.assembly_s, ctx.lang),
                                 assembled=tx.offset(m.assembled_at),
                                 needed=tx.offset(m.needed_at),
                                 call=ctx.incident_short(m.needed_by),
                                 after=tx.minutes(m.assembled_at - m.needed_at, ctx.lang)))
    return [observation(ctx, ctx.say("flood.obs_team_title"), paras)] if paras else []


def applies(ctx: ReportContext) -> bool:
    """The rainstorm: the drill has a ``flood:``."""
    return ctx.scenario.flood is not None


def relief_applies(ctx: ReportContext) -> bool:
    """Relief and shelters: people can be displaced (a rainstorm or a chemical release
    whose evacuees need relief) or the records show people displaced."""
    s = ctx.scenario
    return (s.flood is not None or s.chemical is not None
            or any(r.event == "displaced" for r in ctx.records))


def warning_applies(ctx: ReportContext) -> bool:
    """The public warning: the drill has a ``warning:``."""
    return ctx.scenario.warning is not None


def teams_applies(ctx: ReportContext) -> bool:
    """The teams: some team was called out in the run."""
    return any(r.event == "team_activated" for r in ctx.records)


PART = register(HazardPart(
    key="flood", name="hazard.rainstorm", hazard=applies, applies=applies,
    overview=overview_tables, map_layer=map_layer, sections=sections, strengths=strengths,
    observations=flood_observations, explainers={"rescue_first_arrival_p90": explain_rescue}))
register(HazardPart(
    key="relief", applies=relief_applies, overview=relief_overview, sections=relief_sections,
    strengths=relief_strengths, observations=relief_observations,
    explainers={k: EXPLAINERS[k] for k in ("relief_share_10h", "relief_t95", "relief_t100",
                                           "people_displaced", "people_unsheltered")}))
register(HazardPart(
    key="warning", applies=warning_applies, sections=warning_sections,
    strengths=warning_strengths, observations=warning_observations,
    explainers={k: EXPLAINERS[k] for k in ("warning_t95", "warning_share_1h")}))
register(HazardPart(key="teams", applies=teams_applies, overview=team_overview,
                    strengths=team_strengths, observations=team_observations))


LACKS = {"emergency_communications": "flood.lacks_emergency_communications",
         "medical": "flood.lacks_medical"}
"""What a shelter lacks (the plan names these two); other entries print as written."""


def _lacks(ctx: ReportContext, lacks: list[str]) -> str:
    return names(ctx, [ctx.say(LACKS[x]) if x in LACKS else x for x in lacks]) or "—"
