"""The chemical-release part of the report: threat zones, exposure, evacuation, hazmat crews.

Every figure it states comes from :func:`drillsim.metrics.chemical.chemical_facts` (when
and how the leak ended, the weather states and zone lengths, people above each AEGL level,
the evacuation per group, the responders exposed) and the summary's metrics; the rules
(isolation radius, hot zone, plume source term) are those of
:mod:`drillsim.hazards.chemical_zones`, the engine's. The threat-zone outlines are
:func:`drillsim.hazards.plume.zone_polygon` for each weather state, the same plume the
engine uses; the hot-zone arcs are the engine's rule for the steady plume of each weather
state. The relief of evacuees is drawn by the rainstorm part's relief curve (it keys on
the relief records, whatever displaced the people).
"""

from __future__ import annotations

import math

import numpy as np

from drillsim.hazards import chemical_zones as rules
from drillsim.hazards.chemical_zones import LEVELS
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.chemical import (
    ChemicalFacts,
    WeatherState,
    ZoneReach,
    chemical_facts,
    shelter_use,
)
from drillsim.metrics.chemical import hazmat_units as metrics_hazmat_units
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.figures import (
    MIN_FONT,
    clear_of_curves,
    fit_width,
    legend_below,
    localise_map,
    png,
    pyplot,
    style_axes,
    thicken,
    time_axis,
)
from drillsim.report.findings import (
    beyond_objectives,
    beyond_ref,
    draft_action,
    finding_title,
    measured_sentence,
    observation,
    restates_objective,
)
from drillsim.report.registry import (
    Figure,
    Finding,
    HazardPart,
    Section,
    Table,
    register,
)
from drillsim.report.wording import say

LEVEL_STYLE = {3: ("#922b21", 0.30), 2: ("#e67e22", 0.22), 1: ("#f4d03f", 0.22)}
OUTLINE_Z = 9.5
"""Drawing order of the zone outlines: above the hot-zone arcs (5), the isolation circle (6)
and the source and staging markers (9), below the labels (10); the smallest zone (AEGL-3)
on top."""
DENSE_EDGE = {3: "#4a0f0a", 2: "#9c4a06", 1: "#9a7d0a"}
"""Outline colours of the dense-gas zones: darker than the Gaussian fills, to tell them
apart where the two nearly coincide."""
DENSE_DASH = (0, (5.0, 1.5, 1.2, 1.5))
"""Dash-dot pattern of the dense-gas outlines (short enough to show in the legend)."""
"""AEGL level -> (colour, fill alpha) on the map and in the figures."""

ENTERPRISES = {  # release site -> wording of the enterprise's name
    "jieyuan_water_works": "chem.enterprise_jieyuan",
    "tianjin_liquor_group": "chem.enterprise_liquor_group",
}
RESPONSE_SEGMENTS = {  # segment -> wording of its name
    "processing": "chem.seg_processing",
    "queue": "chem.seg_queue",
    "turnout": "chem.seg_turnout",
    "travel": "chem.seg_travel",
    "aid": "chem.seg_aid",
}
CONTROL_SEGMENTS = {
    "arrival": "chem.seg_arrival",
    "ppe": "chem.seg_ppe",
    "walk_in": "chem.seg_walk_in",
    "work": "chem.seg_work",
}
def is_line(ctx: ReportContext) -> bool:
    """The release is a ruptured line (its inventory runs out, not a container): the
    report words the source by release kind."""
    return _spec(ctx).release.kind == "ruptured_line"


RELEASE_KIND = {"leaking_valve": "chem.release_leaking_valve",
                "ruptured_line": "chem.release_ruptured_line",
                "container_failure": "chem.release_container_failure"}
ACTION_TEXT = {"evacuate": "chem.action_evacuate",
               "shelter_in_place": "chem.action_shelter_in_place",
               "none": "chem.action_none"}
REASON_TEXT = {"isolation": "chem.reason_isolation", "aegl3": "chem.reason_aegl3",
               "aegl2": "chem.reason_aegl2", "aegl1": "chem.reason_aegl1",
               "downwind": "chem.reason_downwind", "area": "chem.reason_area"}
"""Why people were ordered out (:data:`drillsim.metrics.chemical.REASONS`), in words."""
COMPASS = ("chem.compass_n", "chem.compass_ne", "chem.compass_e", "chem.compass_se",
           "chem.compass_s", "chem.compass_sw", "chem.compass_w", "chem.compass_nw")
"""Wording of the eight wind directions, from north clockwise."""


# ----------------------------------------------------------------------------- data


def _spec(ctx: ReportContext):
    return ctx.scenario.chemical


def _both(key: str, **values: object) -> tuple[str, str]:
    """The wording ``key`` in English and Chinese (an improvement action, an owner)."""
    return say("en", key, **values), say("zh", key, **values)


def _action(ctx: ReportContext, action: str) -> str:
    """A protective action (``evacuate`` ...) in words; ``""`` for an unknown one."""
    return ctx.say(ACTION_TEXT[action]) if action in ACTION_TEXT else ""


def _joined(ctx: ReportContext, parts) -> str:
    return ctx.say("chem.sep").join(parts)


def _segments(ctx: ReportContext, segs: dict[str, float], names: dict[str, str]) -> str:
    """``name minutes`` of each segment, joined."""
    return _joined(ctx, (ctx.say("chem.segment", name=ctx.say(names[k]),
                                 minutes=tx.minutes(v, ctx.lang)) for k, v in segs.items()))


def _cached(ctx: ReportContext, key: str, fn):
    store = ctx.extra.setdefault("chemical", {})
    if key not in store:
        store[key] = fn()
    return store[key]


def _mine(ctx: ReportContext, event: str) -> list:
    spec = _spec(ctx)
    return [r for r in ctx.records if r.event == event and r.place == spec.id]


def _first(ctx: ReportContext, event: str, incident: str = ""):
    return next((r for r in ctx.records if r.event == event
                 and (not incident or r.incident == incident)), None)


def incident_id(ctx: ReportContext) -> str:
    return _spec(ctx).incident_id


def facts(ctx: ReportContext) -> ChemicalFacts:
    """What happened in the release, as :mod:`drillsim.metrics.chemical` measured it."""
    return _cached(ctx, "facts", lambda: chemical_facts(ctx.result))


def source(ctx: ReportContext) -> tuple[int, float, float]:
    """The release node and its (lat, lon)."""
    net = ctx.world.network
    start = _mine(ctx, "release_start")
    node = start[0].node if start and start[0].node >= 0 else ctx.world.node_of(_spec(ctx).site)
    return int(node), float(net.lat[node]), float(net.lon[node])


SITE_LINK_M = 10.0
"""A site marker farther than this from the release node is joined to it by a line."""


def site_offset(ctx: ReportContext) -> tuple[float, float, float] | None:
    """The drill site's place marker when the release is modelled at a road node away
    from it (the nearest node): (lat, lon, distance m); ``None`` without a site place
    or within :data:`SITE_LINK_M`."""
    from drillsim.network.graph import haversine_m

    place = _spec(ctx).site.place
    site = next((p for p in ctx.world.places if p.id == place), None) if place else None
    if site is None:
        return None
    _, lat, lon = source(ctx)
    d = float(haversine_m(lat, lon, site.lat, site.lon))
    return (site.lat, site.lon, d) if d > SITE_LINK_M else None


def _plume_args(ctx: ReportContext, st: WeatherState) -> dict:
    _, lat, lon = source(ctx)
    return rules.plume_kwargs(_spec(ctx), lat, lon, st.wind_from, st.u, st.cls)


def weather_states(ctx: ReportContext) -> tuple[WeatherState, ...]:
    """The release's weather at the start and after each change, until the leak ended."""
    return facts(ctx).weather


def zone_rings(ctx: ReportContext, st: WeatherState
               ) -> dict[int, tuple[list[tuple[float, float]], list[tuple[float, float]]]]:
    """The outline of each level's zone by each estimate (Gaussian, dense-gas; the latter
    empty for a gas lighter than air) for the steady plume of one weather state."""
    def build():
        _, lat, lon = source(ctx)
        return {lvl: rules.zone_outlines(_spec(ctx), lat, lon, st.wind_from, st.u, st.cls, lvl)
                for lvl in LEVELS}
    return _cached(ctx, f"rings-{st.t}", build)


def leak_end_value(ctx: ReportContext) -> str:
    """When and how the leak ended (``leak_end`` of the metrics), for a table row labelled
    "end of the leak": ``stopped by XZ-H1 at +01:16:47``."""
    end = facts(ctx).leak_end
    if end.how == "source_control":
        return ctx.say("chem.leak_end_stopped", unit=end.unit, offset=tx.offset(end.t))
    if end.how == "container_empty":
        return ctx.say("chem.leak_end_line_empty" if is_line(ctx)
                       else "chem.leak_end_container_empty", offset=tx.offset(end.t))
    return ctx.say("chem.leak_end_not_ended")


def leak_end_text(ctx: ReportContext) -> str:
    """One sentence, the same everywhere: ``leak ended: stopped by XZ-H1 at +01:16:47``."""
    return ctx.say("chem.leak_ended", what=leak_end_value(ctx))


def _leak_end_capital(ctx: ReportContext) -> str:
    """:func:`leak_end_text` starting with a capital letter (to open a sentence)."""
    text = leak_end_text(ctx)
    return text[0].upper() + text[1:]


def hot_sections(ctx: ReportContext, st: WeatherState
                 ) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The stretches of road closed to vehicles for the steady plume of one weather state,
    ((lat, lon), (lat, lon)) each: the parts of the closed arcs inside the hot zone (the
    engine's rule, :func:`drillsim.hazards.chemical_zones.hot_arcs`)."""
    net = ctx.world.network
    _, lat, lon = source(ctx)
    spec = _spec(ctx)
    road = rules.road_points(net.lat, net.lon, net.edge_u, net.edge_v, src_lat=lat,
                             src_lon=lon, reach_m=rules.hot_reach_m(spec, st.u, st.cls))
    aegl3 = rules.driving_mask(rules.zone_masks(
        spec, road.lat, road.lon, src_lat=lat, src_lon=lon, wind_from_deg=st.wind_from,
        u_m_s=st.u, cls=st.cls, level=3))
    inside = rules.hot_zone(rules.distance_m(road.lat, road.lon, lat, lon), aegl3,
                            facts(ctx).isolation_m)
    return rules.hot_sections(road, inside)


def staging_node(ctx: ReportContext) -> int:
    """Where the hazmat incident was placed (the staging point, upwind of the zones)."""
    r = _first(ctx, "call", incident_id(ctx))
    if r is not None and r.node >= 0:
        return int(r.node)
    r = _first(ctx, "arrive", incident_id(ctx))
    return int(r.node) if r is not None else -1


def timeline(ctx: ReportContext) -> list[tuple[float, str]]:
    """Key moments of the release: (t, what) in the report language."""
    inc = incident_id(ctx)
    out: list[tuple[float, str]] = []
    spec = _spec(ctx)
    for r in ctx.records:
        if r.event == "release_start" and r.place == spec.id:
            out.append((r.t, ctx.say("chem.tl_release_starts")))
        elif r.event == "call" and r.incident == inc:
            out.append((r.t, ctx.say("chem.tl_call")))
        elif r.event == "dispatch" and r.incident == inc and r.unit in hazmat_units(ctx):
            key = "chem.tl_hazmat_aid" if r.get("mutual_aid") else "chem.tl_hazmat_dispatched"
            out.append((r.t, ctx.say(key, unit=r.unit)))
        elif r.event == "arrive" and r.incident == inc:
            out.append((r.t, ctx.say("chem.tl_at_staging", unit=r.unit)))
        elif r.place == spec.id and r.event in ("ppe_on", "entry", "protective_action",
                                                 "wind_shift", "responder_exposed"):
            d = r.data
            if r.event == "ppe_on":
                what = ctx.say("chem.tl_ppe_on", unit=r.unit)
            elif r.event == "entry":
                what = ctx.say("chem.tl_entry", unit=r.unit)
            elif r.event == "protective_action":
                what = ctx.say("chem.tl_order", actions=_joined(ctx, (
                    ctx.say("chem.level_action", level=lvl,
                            action=_action(ctx, d.get(f"action_aegl{lvl}", "")))
                    for lvl in (3, 2, 1))))
            elif r.event == "wind_shift":
                what = ctx.say("chem.tl_wind_shift", deg=f"{d.get('wind_from_deg', 0):g}")
            else:
                what = ctx.say("chem.tl_responder_exposed", unit=r.unit,
                               crew=d.get("crew", "?"))
            out.append((r.t, what))
    end = facts(ctx).leak_end
    if math.isfinite(end.t):  # the row gives the time: the text says how only
        how = ctx.say("chem.tl_leak_stopped", unit=end.unit) if end.how == "source_control" \
            else ctx.say("chem.tl_leak_line_empty" if is_line(ctx) else "chem.tl_leak_empty")
        out.append((end.t, how))
        out.sort(key=lambda e: e[0])
    return out


def hazmat_units(ctx: ReportContext) -> set[str]:
    """The hazmat crews of the run (:func:`drillsim.metrics.chemical.hazmat_units`)."""
    return _cached(ctx, "hazmat_units", lambda: metrics_hazmat_units(ctx.result))


LIMIT_TEXT = {"low_wind": "chem.limit_low_wind", "stable_air": "chem.limit_stable_air",
              "near_source": "chem.limit_near_source",
              "beyond_distance": "chem.limit_beyond_distance",
              "beyond_duration": "chem.limit_beyond_duration",
              "dense_gas": "chem.limit_dense_gas"}
"""Wording of each limit of the screening model (:class:`drillsim.hazards.plume.ModelLimit`)."""


def limit_text(ctx: ReportContext, key: str, values: dict, stability: str, text: str) -> str:
    """A model limit in the report language (its English text when the key is unknown)."""
    if key not in LIMIT_TEXT:
        return text
    chem = _chem(ctx)
    v = {k: float(x) for k, x in values.items()}
    return ctx.say(LIMIT_TEXT[key], wind=f"{v.get('wind_m_s', math.nan):.1f}",
                   min_wind=f"{v.get('min_wind_m_s', math.nan):g}", stability=stability,
                   metres=f"{v.get('distance_m', math.nan):g}",
                   km=f"{v.get('distance_m', math.nan) / 1000:g}",
                   minutes=f"{v.get('duration_min', math.nan):g}",
                   density=f"{v.get('density_rel_air', math.nan):.2f}",
                   chemical=ctx.name(chem.name_en.lower(), chem.name_zh))


def _limits(ctx: ReportContext) -> list[tuple[str, str]]:
    """The (key, text) of each model limit the engine logged, in their order."""
    out: list[tuple[str, str]] = []
    for r in _mine(ctx, "model_limit"):
        key = r.data.get("limit", "")
        words = limit_text(ctx, key, r.data.get("values", {}), r.data.get("stability", ""),
                           r.data["text"])
        if (key, words) not in out:
            out.append((key, words))
    return out


def limits(ctx: ReportContext) -> list[str]:
    """The model limits the engine logged, in the report language, in their order."""
    return [words for _, words in _limits(ctx)]


def report_limits(ctx: ReportContext) -> list[str]:
    """Further ALOHA limits for the zones as drawn (each weather state's zone lengths and
    the release duration), not already logged by the engine."""
    from drillsim.hazards.plume import model_warnings

    spec = _spec(ctx)
    logged = {key for key, _ in _limits(ctx)}
    duration = rules.release_duration_s(spec) / 60.0
    out: list[str] = []
    for st in weather_states(ctx):
        xs = [st.driving_m(lvl) for lvl in LEVELS if st.driving_m(lvl) > 0]
        for w in model_warnings(st.u, st.cls, xs or None, max(duration, spec.exposure_min)):
            words = limit_text(ctx, w.key, w.values, w.stability, w.text)
            if w.key not in logged and words not in out:
                out.append(words)
    return out


def assumptions(ctx: ReportContext) -> list[tuple[str, str]]:
    """The model's labelled assumptions behind the people figures, each with where it
    comes from (a source, an assumption, or the drill's own value): (text, found by)."""
    from drillsim.hazards import warning

    spec = _spec(ctx)
    given = spec.model_fields_set
    assumed, drill = ctx.say("chem.found_by_assumption"), ctx.say("chem.found_by_drill")
    start = ctx.scenario.start
    clock = (start.hour * 3600 + start.minute * 60 + start.second + spec.at) % 86_400
    share = rules.indoor_share(spec, clock)
    if spec.indoor_share is not None:
        indoor = (ctx.say("chem.assume_indoor_drill", share=f"{share:.0%}"), drill)
    else:
        day = rules.INDOOR_SHARE_BY_HOUR[7:19]
        indoor = (ctx.say("chem.assume_indoor_hour", share=f"{share:.0%}",
                          night=f"{rules.INDOOR_SHARE_BY_HOUR[0]:.0%}",
                          day=ctx.say("chem.range", lo=f"{min(day):.0%}", hi=f"{max(day):.0%}")),
                  ctx.say("chem.found_by_source_shape"))
    out = [indoor,
           (ctx.say("chem.assume_indoor_factor", factor=f"{spec.indoor_factor:g}"),
            drill if "indoor_factor" in given else assumed),
           (ctx.say("chem.assume_detection",
                    median=tx.minutes(spec.detection_delay.central(), ctx.lang)),
            drill if "detection_delay" in given else assumed),
           (_group_assumption(ctx, spec.group_size),
            drill if "group_size" in given else assumed)]
    reach = facts(ctx).order_reach
    if reach is not None:  # the engine's reaction time, as the order's record gives it
        out.append((ctx.say("chem.assume_reaction",
                            reaction=tx.minutes(reach.reaction_s, ctx.lang)), assumed))
    if facts(ctx).door_rounds:
        door = warning.DoorToDoor()
        out.append((ctx.say("chem.assume_door", staff=f"{door.staff_per_community:g}",
                            rate=f"{door.visits_per_worker_hour:g}",
                            delay=tx.minutes(door.delay_s, ctx.lang),
                            reach=f"{door.reach:.0%}",
                            persons=f"{warning.PERSONS_PER_HOUSEHOLD:g}"), assumed))
    return out


def _group_assumption(ctx: ReportContext, size: int) -> str:
    """The walking groups: at most ``size`` people each, and the sizes this run recorded
    (:attr:`~drillsim.metrics.chemical.Evacuation.sizes`)."""
    text = ctx.say("chem.assume_group", size=f"{size:,}")
    count, median, largest = facts(ctx).evacuation.sizes
    if count:
        text += ctx.say("chem.assume_group_run", groups=f"{count:,}", median=f"{median:,g}",
                        largest=f"{largest:,}")
    return text


def site_label(ctx: ReportContext) -> str:
    site = _spec(ctx).site
    if site.place:
        return ctx.place_label(site.place)
    return ctx.node_label(source(ctx)[0])


def enterprise(ctx: ReportContext) -> tuple[str, str]:
    """The enterprise at the release site, in English and Chinese (an action's owner)."""
    site = _spec(ctx).site
    if site.place in ENTERPRISES:
        return _both(ENTERPRISES[site.place])
    p = ctx.world.places.get(site.place) if site.place else None
    if p is not None:
        return (say("en", "chem.enterprise_of", name=getattr(p, "name_en", "") or p.name_zh),
                say("zh", "chem.enterprise_of", name=p.name_zh))
    return _both("chem.enterprise_at_site")


def _chem(ctx: ReportContext):
    from drillsim.hazards.plume import CHEMICALS

    return CHEMICALS[_spec(ctx).chemical]


def _wind_from(ctx: ReportContext, d: float) -> str:
    """A wind direction: degrees and the nearest of the eight compass points."""
    name = ctx.say(COMPASS[int((d % 360) / 45 + 0.5) % 8])
    return ctx.say("chem.wind_from", deg=f"{d:g}", name=name)


DRIVES_MARK = " ★"
"""Marks the estimate that reaches farther (and so sets the protective-action zone)."""


def drives_text(ctx: ReportContext) -> str:
    """Which estimate sets the zones the protective actions, the hot zone and the exposure
    counts use (their union; the longer one at each level), in one sentence."""
    dense = [lvl for lvl in LEVELS if any(st.drives(lvl) == "dense" for st in facts(ctx).weather)]
    levels = tx.join((f"AEGL-{lvl}" for lvl in dense), ctx.lang, words=True)
    return ctx.say("chem.drives_dense", levels=levels) if dense \
        else ctx.say("chem.drives_gaussian")


def zone_reach(ctx: ReportContext) -> list:
    """:func:`drillsim.metrics.chemical.zone_reach` of the run, measured once per context."""
    from drillsim.metrics.chemical import zone_reach as measure

    return _cached(ctx, "zone_reach", lambda: measure(ctx.result, ctx.world, facts(ctx)))


def downwind_reach(ctx: ReportContext) -> dict[float, object]:
    """:func:`drillsim.metrics.chemical.downwind_reach` of the run by weather state start,
    measured once per context."""
    from drillsim.metrics.chemical import downwind_reach as measure

    return _cached(ctx, "downwind_reach", lambda: {
        st.t: dr for st, dr in measure(ctx.result, ctx.world, facts(ctx))})


def downwind_label(ctx: ReportContext, action: str, side_m: float | None = None) -> str:
    """The ERG protective-action square and what its people were told, in words; with
    ``side_m`` (m) its side too (the zone tables: not in their length columns, which hold
    the plume estimates)."""
    label = ctx.say("chem.erg_square", action=_action(ctx, action))
    return label + (ctx.say("chem.erg_side", side=f"{side_m:,.0f}") if side_m else "")


def places_in_zones(ctx: ReportContext) -> dict[tuple[str, str], list[tuple[float, int]]]:
    """(kind, id) of each station, shelter or depot inside a zone -> (weather state start,
    highest AEGL level it lies in) for every state that puts it in one."""
    out: dict[tuple[str, str], list[tuple[float, int]]] = {}
    for st, zones in zone_reach(ctx):
        for lvl in sorted(LEVELS, reverse=True):
            for key in zones[lvl].places:
                hits = out.setdefault(key, [])
                if not hits or hits[-1][0] != st.t:
                    hits.append((st.t, lvl))
    return out


def station_in_zone(ctx: ReportContext, level: int = 2) -> bool:
    """Whether a fire station lies in the zone of ``level`` or above in any weather state."""
    return any(k == "station" and any(lvl >= level for _, lvl in hits)
               for (k, _), hits in places_in_zones(ctx).items())


def station_turnouts_in_zone(ctx: ReportContext,
                             level: int = 2) -> list[tuple[str, str, float]]:
    """Turnouts from quarters (:func:`drillsim.metrics.response.unit_activity`) while the
    unit's station lay in the zone of ``level`` or above (the
    steady plume of the weather state then, from its start to the next state or the end of
    the leak), as (station, unit, wheels-rolling time in s), in turnout order."""
    from drillsim.metrics.response import unit_activity

    reach = zone_reach(ctx)
    end = facts(ctx).leak_end.t
    spans: dict[str, list[tuple[float, float]]] = {}
    for i, (st, zones) in enumerate(reach):
        stop = reach[i + 1][0].t if i + 1 < len(reach) else end
        for lvl in LEVELS:
            if lvl >= level:
                for kind, pid in zones[lvl].places:
                    if kind == "station":
                        spans.setdefault(pid, []).append((st.t, stop))
    station = {u.id: u.station for u in ctx.result.units}
    activity = ctx.extra.get("unit_activity") or unit_activity(ctx.result)
    out = [(station[a.unit], a.unit, a.enroute) for runs in activity.values() for a in runs
           if a.from_quarters and a.unit in station
           and any(t0 <= a.enroute < t1 for t0, t1 in spans.get(station[a.unit], ()))]
    return sorted(out, key=lambda x: x[2])


def responders_note(ctx: ReportContext, res) -> str:
    """Beside a responders-in-the-zone rating: the measure counts staging points, not the
    crews who turned out of a station inside the AEGL-2 zone (named beyond the
    objectives); ``""`` when none did."""
    got = station_turnouts_in_zone(ctx)
    if not got:
        return ""
    return ctx.say("chem.rating_staging_only", **_turnout_fields(ctx, got))


def _turnout_fields(ctx: ReportContext, got: list[tuple[str, str, float]]) -> dict[str, str]:
    """The units, stations and first and last times of :func:`station_turnouts_in_zone`,
    as the wording takes them (ids listed with 、 in Chinese)."""
    sep = ctx.say("sep_words")
    return {"units": sep.join(u for _, u, _ in got),
            "stations": sep.join(dict.fromkeys(ctx.place_name(s) for s, _, _ in got)),
            "first": tx.offset(min(t for *_, t in got)),
            "last": tx.offset(max(t for *_, t in got))}


def station_turnout_observations(ctx: ReportContext) -> list[Finding]:
    """Crews that turned out of a station inside the AEGL-2 zone, which the responders
    measure (staging points) does not count."""
    got = station_turnouts_in_zone(ctx)
    if not got:
        return []
    para = ctx.say("chem.obs_station_turnout", n=len(got), **_turnout_fields(ctx, got))
    action = draft_action(ctx, ctx.say("chem.act_station_turnout"), "detachment", "protection",
                          beyond_ref(ctx))
    return [observation(ctx, ctx.say("chem.obs_station_turnout_title"), [para],
                        actions=[action])]


def places_in_zones_paras(ctx: ReportContext) -> list[str]:
    """Names the stations, shelters and depots inside a zone, and since when."""
    found = places_in_zones(ctx)
    if not found:
        return []
    items = []
    for (_kind, pid), hits in found.items():
        name = ctx.place_name(pid)
        zones = _joined(ctx, (ctx.say("chem.zone_from", level=lvl, offset=tx.offset(t))
                              for t, lvl in hits))
        items.append(ctx.say("chem.place_zones", place=name, zones=zones))
    return [ctx.say("chem.places_in_zones", items=("；" if ctx.lang == "zh" else "; ")
                    .join(items))]


def areas_table(ctx: ReportContext) -> Table:
    """Who lives in each zone used for the protective actions, per weather state: residents,
    subdistricts and (synthetic) communities, from the metrics' ``zone_reach``."""
    rows = []
    for st, zones in zone_reach(ctx):
        for k, lvl in enumerate(sorted(LEVELS, reverse=True)):
            zr = zones[lvl]
            rows.append([tx.offset(st.t) if k == 0 else "", f"AEGL-{lvl}",
                         gauss_length_text(zr), dense_length_text(ctx, zr),
                         f"{zr.residents:,.0f}", areas_text(ctx, zr.subdistricts),
                         areas_text(ctx, zr.communities)])
        dr = downwind_reach(ctx).get(st.t)
        if dr is not None:
            rows.append(["", downwind_label(ctx, dr.action, dr.side_m), "—", "—",
                         f"{dr.residents:,.0f}", areas_text(ctx, dr.subdistricts),
                         areas_text(ctx, dr.communities)])
    return Table([ctx.say(k) for k in ("chem.col_from", "sum.col_zone", "sum.col_gauss_length",
                                        "sum.col_dense_length", "sum.col_residents",
                                        "sum.col_subdistricts", "sum.col_communities")],
                 rows, ctx.say("chem.areas_caption" if dense_release(ctx)
                               else "chem.areas_caption_gauss",
                               communities=ctx.say({
                                   "synthetic": "chem.com_synthetic", "listed": "chem.com_listed",
                                   "mixed": "chem.com_mixed"}[population_kind(ctx)[1]])))


def gauss_length_text(zr: ZoneReach) -> str:
    """A zone's Gaussian length, marked when it reaches farther than the dense-gas one."""
    mark = DRIVES_MARK if zr.drives == "gaussian" and math.isfinite(zr.dense_length_m) else ""
    return f"{zr.length_m:,.0f} m{mark}"


def dense_length_text(ctx: ReportContext, zr: ZoneReach) -> str:
    """A zone's dense-gas length, marked when it reaches farther; "not dense" for a gas
    lighter than air."""
    if not math.isfinite(zr.dense_length_m):
        return ctx.say("chem.not_dense")
    return f"{zr.dense_length_m:,.0f} m" + (DRIVES_MARK if zr.drives == "dense" else "")


def area_name(ctx: ReportContext, area: str) -> str:
    """A subdistrict's or listed community's name, or a synthetic community's (its
    subdistrict's short name and its number), in the report's language."""
    p = ctx.world.places.get(area)
    if p is not None:
        return ctx.name(p.name_en, p.name_zh)
    sub, _, number = area.rpartition("_")
    p = ctx.world.places.get(sub)
    if p is None or not number.isdigit():
        return area
    return ctx.say("chem.community_name", subdistrict=ctx.name(
        p.name_en.removesuffix(" Subdistrict"), p.name_zh.removesuffix("街道")), n=int(number))


def population_kind(ctx: ReportContext) -> tuple[str, str]:
    """Where the population grid's residents come from (``grid``: the package's
    population grid file; ``listed``: its communities' residents, in every subdistrict;
    else ``synthetic``) and its communities (``listed`` in every subdistrict, ``mixed``,
    or ``synthetic``), for the captions (:class:`drillsim.network.population.PopulationGrid`)."""
    from drillsim.network.population import listed_communities

    places = ctx.world.places
    subs = places.of_kind("subdistrict")
    n = sum(bool(listed_communities(places, s.id)) for s in subs)
    com = "listed" if subs and n == len(subs) else "mixed" if n else "synthetic"
    people = "grid" if places.cells is not None else "listed" if com == "listed" else "synthetic"
    return people, com


def areas_text(ctx: ReportContext, areas: tuple[tuple[str, float], ...]) -> str:
    """Subdistricts or communities with their residents, most first, name and count apart
    (``Jieyuan 3: 371`` / ``芥园3：371``; "none" if empty)."""
    return ctx.say("sep_list").join(tx.label(area_name(ctx, a), f"{people:,.0f}", ctx.lang)
                                    for a, people in areas) or ctx.say("none")


def _m(v: float) -> str:
    if v is None or not math.isfinite(v):
        return "—"
    return "0" if v <= 0 else (f"{v:,.0f} m" if v < 10_000 else "≥ 10 km")


# ----------------------------------------------------------------------------- overview


def overview_tables(ctx: ReportContext) -> list[Table]:
    spec = _spec(ctx)
    chem = _chem(ctx)
    f = facts(ctx)
    states = f.weather
    st0 = states[0] if states else None
    w0 = spec.weather[0]
    rel = spec.release
    kind = ctx.say(RELEASE_KIND[rel.kind]) if rel.kind in RELEASE_KIND else rel.kind
    duration_min = rules.release_duration_s(spec) / 60.0
    e = f.erg
    rows = [
        [ctx.say("chem.release"), f"{spec.id} — {site_label(ctx)}"],
        [ctx.say("chem.chemical"),
         ctx.name(chem.name_en, chem.name_zh) + tx.paren(
             tx.join([f"UN {chem.un_number}", f"CAS {chem.cas}"], ctx.lang)
             + ctx.say("sep_semicolon") + f"{chem.density_rel_air:.2f} × {ctx.say('chem.air')}",
             ctx.lang)],
        [ctx.say("chem.amount"),
         ctx.say("chem.amount_value_line" if is_line(ctx) else "chem.amount_value_one"
                 if rel.containers_stored == 1 else "chem.amount_value",
                 kg=tx.count(rel.quantity_kg), containers=tx.count(rel.containers_stored))],
        [ctx.say("chem.rate"),
         ctx.say("chem.rate_value_line" if is_line(ctx) else "chem.rate_value",
                 rate=f"{rel.rate_kg_min:g}", minutes=f"{duration_min:.0f}",
                 height=f"{rel.height_m:g}")],
        [ctx.say("chem.release_kind"), kind],
        [ctx.say("chem.end_of_leak"), leak_end_value(ctx)],
        [ctx.say("chem.weather_at_release"),
         ctx.say("chem.weather_value", u=f"{st0.u:g}", wind=_wind_from(ctx, st0.wind_from),
                 cloud=f"{w0.cloud_eighths:g}")
         if st0 else "—"],
        [ctx.say("chem.stability"),
         ctx.say("chem.stability_value", cls=st0.cls) if st0 else "—"],
    ]
    for st in states[1:]:
        rows.append([ctx.say("chem.weather_from", offset=tx.offset(st.t)),
                     ctx.say("chem.weather_later", u=f"{st.u:g}",
                             wind=_wind_from(ctx, st.wind_from), cls=st.cls)])
    rows.append([ctx.say("chem.exposure_duration"),
                 ctx.say("chem.exposure_minutes", minutes=f"{spec.exposure_min:g}")])
    for lvl in LEVELS:
        thr = rules.threshold_g_m3(spec, lvl) * 1000.0
        rows.append([ctx.say("chem.zone_length", level=lvl),
                     f"{_m(st0.extent_m.get(lvl, math.nan)) if st0 else '—'}"
                     + tx.paren(tx.join([f"≥ {chem.aegl_ppm_at(lvl, spec.exposure_min):g} ppm",
                                         f"{thr:.3g} mg/m³"], ctx.lang), ctx.lang)
                     + "".join(ctx.say("sep_semicolon") + tx.label(
                         tx.offset(st.t), _m(st.extent_m.get(lvl, math.nan)), ctx.lang)
                         for st in states[1:])])
        if st0 is not None and rules.is_dense(spec):
            rows.append([ctx.say("chem.dense_length", level=lvl), ctx.say("sep_semicolon").join(
                tx.label(tx.offset(st.t), _m(st.dense_m[lvl]), ctx.lang) if k
                else _m(st.dense_m[lvl]) for k, st in enumerate(states))])
    if st0 is not None and rules.is_dense(spec):
        rows.append([ctx.say("chem.drives"), drives_text(ctx)])
    rows.append([ctx.say("chem.isolation"),
                 ctx.say("chem.isolation_radius", radius=f"{f.isolation_m:.0f}")
                 + (ctx.say("chem.erg_distance", day=f"{e.day_km:.1f}", night=f"{e.night_km:.1f}")
                    if e is not None else "")
                 + (ctx.say("chem.order_downwind", metres=f"{f.downwind_m:,.0f}")
                    if math.isfinite(f.downwind_m) else "")])
    pa = spec.protective_actions
    rows.append([ctx.say("chem.protective_actions"), ctx.say("sep_semicolon").join(
        [f"AEGL-{lvl} {_action(ctx, getattr(pa, f'aegl{lvl}'))}" for lvl in LEVELS]
        + ([downwind_label(ctx, pa.downwind)] if downwind_reach(ctx) else [])
        + [f"{area_name(ctx, a.area)} {_action(ctx, a.action)}" for a in pa.areas])
        + ctx.say("chem.ordered_after", minutes=tx.minutes(pa.decided_after, ctx.lang),
                  factor=f"{spec.indoor_factor:g}")])
    main = Table([ctx.say("chem.col_item"), ctx.say("chem.col_value")], rows,
                 ctx.say("chem.overview_caption", dense=_dense_words(ctx, "chem.overview_dense")))
    areas = areas_table(ctx)
    lim_rows = [[w, ctx.say("chem.found_by_engine")] for w in limits(ctx)]
    lim_rows += [[w, ctx.say("chem.found_by_report")] for w in report_limits(ctx)]
    lim_rows += [[w, by] for w, by in assumptions(ctx)]
    lim = Table([ctx.say("chem.col_model_limit"), ctx.say("chem.col_found_by")],
                lim_rows or [[ctx.say("chem.no_limit"), ""]],
                ctx.say("chem.limits_caption", dense=_dense_words(ctx, "chem.limits_dense")))
    tl = Table([ctx.say("chem.col_time"), ctx.say("chem.col_clock"), ctx.say("chem.col_what")],
               [[tx.offset(t), tx.clock(ctx.scenario.start, t), what]
                for t, what in timeline(ctx)],
               ctx.say("chem.timeline_caption"))
    return [main, areas, lim, tl]


# ----------------------------------------------------------------------------- map


def _circle(lat: float, lon: float, radius_m: float, n: int = 72) -> np.ndarray:
    a = np.linspace(0, 2 * math.pi, n)
    dlat = radius_m / 111_195.0
    dlon = dlat / math.cos(math.radians(lat))
    return np.column_stack([lon + dlon * np.sin(a), lat + dlat * np.cos(a)])


def dense_release(ctx: ReportContext) -> bool:
    """Whether the drill's release gets the dense-gas estimate beside the Gaussian one
    (:func:`drillsim.hazards.chemical_zones.is_dense`: heavier than air; ammonia is not):
    the captions name that estimate only then."""
    return rules.is_dense(_spec(ctx))


def _dense_words(ctx: ReportContext, key: str) -> str:
    """A caption's words on the dense-gas estimate (wording ``key``), for a dense release
    only (:func:`dense_release`), where the engine computed and the figure draws it."""
    return ctx.say(key) if dense_release(ctx) else ""


def _halo() -> list:
    """A thin white stroke under a zone outline, so it shows on roads and arcs."""
    from matplotlib import patheffects

    return [patheffects.Stroke(linewidth=3.2, foreground="white", alpha=0.8),
            patheffects.Normal()]


def draw_zones(ctx: ReportContext, ax, handles: list, *, labels: bool = True) -> None:
    """Zones (solid at the release, dashed after a wind shift), hot-zone arcs, isolation
    circle, source and staging point on ``ax`` (lon/lat axes); the legend is bilingual in
    both report languages, like the map's."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon

    from drillsim.fonts import text_effects

    net = ctx.world.network
    node, lat, lon = source(ctx)
    states = weather_states(ctx)
    shown_levels: set[int] = set()
    dense_shown = False
    for k, st in enumerate(states):
        rings = zone_rings(ctx, st)
        for lvl in (1, 2, 3):
            ring, dense = rings[lvl]
            colour, alpha = LEVEL_STYLE[lvl]
            if ring:
                xy = np.array([(b, a) for a, b in ring])
                ax.add_patch(Polygon(xy, closed=True, facecolor=colour,
                                     alpha=alpha if not st.shifted else alpha * 0.6,
                                     edgecolor="none", zorder=4,
                                     gid=f"chem-zone-{k}-aegl{lvl}"))
                # the outline above the hot-zone arcs, the isolation circle and the source
                # marker, on a white halo: a zone tens of metres long stays visible
                ax.add_patch(Polygon(xy, closed=True, fill=False, edgecolor=colour, lw=1.6,
                                     ls="--" if st.shifted else "-", zorder=OUTLINE_Z + lvl / 10,
                                     path_effects=_halo(), gid=f"chem-outline-{k}-aegl{lvl}"))
                shown_levels.add(lvl)
            if dense:
                xy = np.array([(b, a) for a, b in dense])
                ax.add_patch(Polygon(xy, closed=True, fill=False, edgecolor=DENSE_EDGE[lvl],
                                     lw=2.2 if not st.shifted else 1.6, ls=DENSE_DASH,
                                     zorder=OUTLINE_Z + lvl / 10 + 0.05, path_effects=_halo(),
                                     gid=f"chem-dense-{k}-aegl{lvl}"))
                dense_shown = True
    for lvl in LEVELS:
        if lvl in shown_levels:
            colour, alpha = LEVEL_STYLE[lvl]
            handles.append(Patch(facecolor=colour, alpha=max(alpha, 0.35), edgecolor=colour,
                                 label=ctx.say("chem.map_zone", level=lvl)))
    if dense_shown:
        handles.append(Line2D([], [], color=DENSE_EDGE[2], ls=DENSE_DASH, lw=2.2,
                              label=ctx.say("chem.map_dense")))
    if any(st.shifted for st in states):
        handles.append(Line2D([], [], color="#7f8c8d", ls="--", lw=1.4,
                              label=ctx.say("chem.map_zones_shifted")))
    sections = sorted({sec for st in states for sec in hot_sections(ctx, st)})
    if sections:
        segs = [[(a[1], a[0]), (b[1], b[0])] for a, b in sections]
        ax.add_collection(LineCollection(segs, colors="#6c3483", linewidths=3.5, zorder=5,
                                         alpha=0.75, capstyle="round", gid="chem-hot-arcs"))
        handles.append(Line2D([], [], color="#6c3483", lw=3.5,
                              label=ctx.say("chem.map_hot_zone")))
    iso = facts(ctx).isolation_m
    circ = _circle(lat, lon, iso)
    ax.plot(circ[:, 0], circ[:, 1], color="#1b2631", lw=1.2, ls=":", zorder=6,
            gid="chem-isolation")
    handles.append(Line2D([], [], color="#1b2631", ls=":", lw=1.2,
                          label=ctx.say("chem.map_isolation", radius=f"{iso:.0f}")))
    ax.scatter([lon], [lat], s=170, marker="X", color="#922b21", edgecolors="white",
               linewidths=1.0, zorder=9, gid="chem-source")
    away = site_offset(ctx)
    if away is not None:  # the release sits on the road node nearest the site's marker
        ax.plot([lon, away[1]], [lat, away[0]], color="#922b21", lw=1.0, ls=(0, (2, 2)),
                zorder=8.9, gid="chem-site-link")
    handles.append(Line2D([], [], marker="X", color="#922b21", ls="", markersize=10,
                          markeredgecolor="white", label=ctx.say("chem.map_source")))
    stg = staging_node(ctx)
    if stg >= 0:
        ax.scatter([net.lon[stg]], [net.lat[stg]], s=110, marker="s", color="#1e8449",
                   edgecolors="white", linewidths=1.0, zorder=9)
        handles.append(Line2D([], [], marker="s", color="#1e8449", ls="", markersize=8,
                              markeredgecolor="white",
                              label=ctx.say("chem.map_staging")))
    if labels:
        ax.annotate(_spec(ctx).id, (lon, lat), xytext=(8, 6), textcoords="offset points",
                    fontsize=9, color="#922b21", zorder=10, path_effects=text_effects("#922b21"))
    # the map's place markers and every label above the zone fills and outlines: a
    # station in a zone stays visible, and no outline runs over a name
    from matplotlib.collections import PathCollection

    for coll in ax.collections:
        if isinstance(coll, PathCollection) and coll.get_zorder() == 5 \
                and not (coll.get_gid() or "").startswith("chem-"):
            coll.set_zorder(max(coll.get_zorder(), OUTLINE_Z + 0.4))
    for text in ax.texts:
        text.set_zorder(max(text.get_zorder(), OUTLINE_Z + 0.5))


def map_layer(ctx: ReportContext, ax, handles: list) -> None:
    """The zones on the district map; at its scale the zones are a few millimetres
    across and their outlines would hide the release source: the source on top."""
    draw_zones(ctx, ax, handles)
    for coll in ax.collections:
        if coll.get_gid() == "chem-source":
            coll.set_zorder(OUTLINE_Z + 0.45)


# ----------------------------------------------------------------------------- figures


def _png(fig) -> bytes:
    fit_width(fig)  # the final size first: event labels are placed for it
    for ax in fig.axes:  # weight for plain texts; a map label keeps its white halo
        thicken(*[t for t in ax.texts if not t.get_path_effects()])
        clear_of_curves(ax)
    return png(fig)


def _window(ctx: ReportContext, *, admissions: bool = True) -> tuple[float, float]:
    """Drill-time window of the chemical figures: from the release to the last exposure or
    (with ``admissions``) admission, with a margin (at least two hours)."""
    spec = _spec(ctx)
    f = facts(ctx)
    t, people = f.plume_t, f.people
    last = spec.at
    for lvl in LEVELS:
        nz = np.flatnonzero(people[lvl] > 0)
        if nz.size:
            last = max(last, float(t[nz[-1]]))
    adm = [g.admit for g in f.evacuation.groups if math.isfinite(g.admit)] if admissions \
        else []
    last = max([last, *adm, *(tt for tt, _what in timeline(ctx))])
    t0 = max(spec.at - 600.0, 0.0)
    t1 = min(max(last + 0.15 * (last - t0), t0 + 7200.0),
             max(ctx.scenario.duration, ctx.end_time))
    return t0, t1


MARK_WORDS = {"release_start": "chem.caption_release", "protective_action": "chem.caption_order",
              "source_control": "chem.caption_leak_end", "container_empty": "chem.caption_leak_end"}
"""How a caption names each dashed event line (the leak's end by either cause)."""


def _marks(ctx: ReportContext, ax, events: tuple[str, ...]) -> list[str]:
    """Vertical lines at the release and at ``events`` (record kinds, and ``leak_end``:
    the end of the leak as the metrics measured it); the kinds drawn, in time order."""
    styles = {"protective_action": ("#1a5276", "chem.mark_order"),
              "source_control": ("#1e8449", "chem.mark_leak_stopped"),
              "container_empty": ("#7d3c98", "chem.mark_container_empty"),
              "wind_shift": ("#7f8c8d", "chem.mark_wind_shift"),
              "release_start": ("#922b21", "chem.mark_release")}
    marks = [(r.t, r.event) for e in ("release_start", *events) for r in _mine(ctx, e)]
    end = facts(ctx).leak_end
    if "leak_end" in events and math.isfinite(end.t):
        marks.append((end.t, end.how))
    if is_line(ctx):
        styles["container_empty"] = ("#7d3c98", "chem.mark_line_empty")
    for t, kind in marks:
        colour, label = styles[kind]
        ax.axvline(t / 60, color=colour, ls="--" if kind != "wind_shift" else ":", lw=1.2)
        _line_label(ax, t / 60, 0.98, ctx.say(label), colour, va="top")
    return [kind for _, kind in sorted(marks)]


def _line_label(ax, x: float, y: float, text: str, colour: str, *, va: str) -> None:
    """A label up a vertical line at ``x`` (data) and ``y`` (axes fraction), set 3 points
    to its right on a white ground, so that the line never runs through the letters."""
    ax.annotate(text, xy=(x, y), xycoords=ax.get_xaxis_transform(), xytext=(3, 0),
                textcoords="offset points", color=colour, fontsize=7.5, rotation=90,
                va=va, ha="left",
                bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.85, "pad": 0.6})


def _legend_below(ax, ncol: int) -> None:
    """The legend under the axes, clear of the curves and the line labels."""
    lg = ax.legend(fontsize=7.5, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=ncol,
                   frameon=False)
    thicken(*lg.get_texts())


def exposure_figure(ctx: ReportContext):
    f = facts(ctx)
    t, people = f.plume_t, f.people
    if not t.size:
        return None
    plt = pyplot()
    t0, t1 = _window(ctx, admissions=False)
    fig, ax = plt.subplots(figsize=(9.2, 4.9))
    pa = _spec(ctx).protective_actions
    for lvl in (1, 2, 3):
        colour = LEVEL_STYLE[lvl][0]
        action = _action(ctx, getattr(pa, f"aegl{lvl}"))
        ax.step(t / 60, people[lvl], where="post", color=colour, lw=2 if lvl > 1 else 1.6,
                label=ctx.say("chem.fig_above_level", level=lvl,
                              peak=f"{f.exposure[lvl].peak:,.0f}", action=action))
    drawn = _marks(ctx, ax, ("protective_action", "leak_end", "wind_shift"))
    ax.set_xlim(t0 / 60, t1 / 60)
    ax.set_ylim(bottom=0, top=max(1.0, max(float(p.max()) for p in people.values()) * 1.12))
    time_axis(ctx, ax, t1 - t0)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(ctx.say("chem.fig_people_above"))
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    _legend_below(ax, 3)
    ax.set_title(ctx.say("chem.fig_exposure_title"), fontsize=10)
    style_axes(ax)
    dashed = [ctx.say(MARK_WORDS[k]) for k in dict.fromkeys(drawn) if k != "wind_shift"]
    caption = ctx.say("chem.fig_exposure_caption",
                      dashed=ctx.say("flood.sep_names").join(dashed)) + (
        ctx.say("chem.fig_exposure_caption_wind") if "wind_shift" in drawn else "")
    return Figure("chemical_exposure", ctx.say("chem.fig_exposure"),
                  caption, _png(fig), alt=ctx.say("chem.fig_exposure_alt"))


def evacuation_figure(ctx: ReportContext):
    ev = facts(ctx).evacuation
    if not ev.groups:
        return None
    plt = pyplot()
    t0, t1 = _window(ctx)
    goal = next((o for o in ctx.scenario.objectives if o.metric == "evacuation_time"), None)
    if goal is not None and math.isfinite(ev.order):  # the target line inside the axes
        t1 = max(t1, ev.order + goal.bound()[1] + 0.04 * (t1 - t0))
    fig, ax = plt.subplots(figsize=(9.2, 4.7))
    out = sorted((g.out, g.people) for g in ev.groups)
    adm = sorted((g.admit, g.admitted) for g in ev.groups if math.isfinite(g.admit))
    total = ev.people
    for series, colour, label in (
            (out, "#1a5276", "chem.fig_ordered_out"),
            (adm, "#1e8449", "chem.fig_admitted")):
        ts = [t0] + [s[0] for s in series] + [t1]
        ys = np.cumsum([0] + [s[1] for s in series])
        ys = np.append(ys, ys[-1])
        ax.step(np.asarray(ts) / 60, ys, where="post", color=colour, lw=2,
                label=ctx.say(label))
    if math.isfinite(ev.first_open):
        ax.axvline(ev.first_open / 60, color="#b9770e", ls="-.", lw=1.2)
        _line_label(ax, ev.first_open / 60, 0.5, ctx.say("chem.fig_first_shelter"),
                    "#b9770e", va="center")
    if goal is not None and math.isfinite(ev.order):
        x = (ev.order + goal.bound()[1]) / 60
        ax.axvline(x, color="#c0392b", ls="--", lw=1.2)
        _line_label(ax, x, 0.03, ctx.say(
            "chem.fig_target_after_order", id=goal.id,
            target=tx.target(goal.metric, goal.target, ctx.lang)), "#c0392b", va="bottom")
    _marks(ctx, ax, ("protective_action", "wind_shift"))
    ax.set_xlim(t0 / 60, t1 / 60)
    ax.set_ylim(0, max(total, 1) * 1.12)
    time_axis(ctx, ax, t1 - t0)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(ctx.say("chem.fig_people"))
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    _legend_below(ax, 2)
    done = not ev.missing
    ax.set_title(ctx.say("chem.fig_evacuation_title" if done else
                         "chem.fig_evacuation_title_incomplete",
                         admitted=f"{ev.admitted:,}", total=f"{total:,}"), fontsize=10)
    style_axes(ax)
    reach = facts(ctx).order_reach
    caption = ctx.say("chem.fig_evacuation_caption", reaction=tx.minutes(
        reach.reaction_s if reach is not None else 0.0, ctx.lang))
    return Figure("chemical_evacuation", ctx.say("chem.fig_evacuation"), caption,
                  _png(fig), alt=ctx.say("chem.fig_evacuation_alt"))


WIND_COLOURS = ("#117a65", "#7d3c98", "#b9770e")
"""Colours of the weather states' wind arrows and ERG areas on the zones map, in time
order (one state: the arrow blue, the area green, as before)."""


def _order_state(ctx: ReportContext) -> WeatherState:
    """The weather in force when the protective-action order was given (else at the
    release)."""
    states = weather_states(ctx)
    order = _first(ctx, "protective_action")
    if order is None:
        return states[0]
    return [st for st in states if st.t <= order.t][-1] if states[0].t <= order.t \
        else states[0]


def _mapped_states(ctx: ReportContext) -> list[WeatherState]:
    """The weather states the zones map shows an arrow and an ERG area for: the one in
    force at the order and every later one (every state when there is no order)."""
    states = list(weather_states(ctx))
    if not states:
        return []
    first = _order_state(ctx)
    return [st for st in states if st.t >= first.t]


def _erg_side_m(ctx: ReportContext, st: WeatherState) -> float:
    """Side of the ERG protective-action square for a weather state, m: the order's for
    the state in force at the order (its record), else the rule for the state's wind with
    the order's day or night (:func:`drillsim.hazards.chemical_zones.downwind_m`; a drill's
    release seldom spans dusk or dawn)."""
    side = facts(ctx).downwind_m
    first = _order_state(ctx)
    if st.t == first.t or not math.isfinite(side):
        return side
    spec = _spec(ctx)
    try:
        # the record rounds the side to the metre
        day = abs(rules.downwind_m(spec, first.u, day=True) - side) <= 0.5
        return rules.downwind_m(spec, st.u, day=day)
    except KeyError:
        return side


def _state_label(ctx: ReportContext, st: WeatherState) -> str:
    """A weather state's wind and since when (the label of its arrow and ERG area)."""
    return ctx.say("chem.map_state", wind=ctx.say(
        "figure.wind_from", deg=f"{st.wind_from:.0f}", speed=f"{st.u:.1f}"),
        offset=tx.offset(st.t))


def _scale_metres(span_m: float) -> int:
    """A round scale-bar length, about a fifth of ``span_m`` (m)."""
    return next((m for m in (2000, 1000, 500, 200, 100, 50) if m <= span_m / 4), 20)


def _map_furniture(ctx: ReportContext, ax, lat: float) -> list:
    """North arrow, wind arrow (the wind at the order) and scale bar on the zones map, in
    the corners; returns the text artists (fixed: labels are placed around them)."""
    from drillsim.fonts import text_effects

    fx = text_effects("#1b2631")
    north = ax.annotate(ctx.say("figure.north"), xy=(0.95, 0.97), xytext=(0.95, 0.87),
                        xycoords="axes fraction", ha="center", va="center",
                        fontsize=MIN_FONT + 2, zorder=12, gid="chem-north", path_effects=fx,
                        arrowprops={"arrowstyle": "-|>", "color": "#1b2631", "lw": 1.5})
    texts = []
    states = _mapped_states(ctx)
    for k, st in enumerate(states):  # one arrow per weather state, left to right in time
        colour = WIND_COLOURS[k % len(WIND_COLOURS)] if len(states) > 1 else "#2471a3"
        th = math.radians(st.wind_from)
        de, dn = -math.sin(th), -math.cos(th)  # the direction the wind blows toward
        at = (0.11, 0.86 - 0.2 * k)  # stacked down the left edge
        # the arrow's head at the corner point, its tail 40 pt upwind
        ax.annotate("", xy=at, xycoords="axes fraction", xytext=(-40 * de, -40 * dn),
                    textcoords="offset points", gid=f"chem-wind-{k}", zorder=12,
                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 2.2,
                                "mutation_scale": 16, "shrinkA": 0, "shrinkB": 0})
        wind = ctx.say("figure.wind_from", deg=f"{st.wind_from:.0f}", speed=f"{st.u:.1f}")
        if len(states) > 1:  # which state: since when, on a second line
            wind += "\n" + ctx.say("chem.map_from", offset=tx.offset(st.t))
        texts.append(ax.annotate(
            wind,
            xy=at, xycoords="axes fraction", xytext=(0, -46), textcoords="offset points",
            ha="center", va="top", fontsize=MIN_FONT, color=colour, zorder=12,
            gid=f"chem-wind-text-{k}", path_effects=text_effects(colour),
            bbox={"boxstyle": "round,pad=0.3", "facecolor": "white", "edgecolor": colour,
                  "lw": 0.6, "alpha": 0.95}))
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    k = 111_195.0 * math.cos(math.radians(lat))
    metres = _scale_metres((x1 - x0) * k)
    bx = x0 + 0.04 * (x1 - x0)
    by = y0 + 0.04 * (y1 - y0)
    ax.plot([bx, bx + metres / k], [by, by], color="#1b2631", lw=3, solid_capstyle="butt",
            zorder=12, gid="chem-scale-bar")
    scale = ax.annotate(ctx.say("figure.scale_bar", metres=f"{metres:,}"),
                        (bx + metres / k / 2, by), xytext=(0, 4), textcoords="offset points",
                        ha="center", va="bottom", fontsize=MIN_FONT, zorder=12,
                        gid="chem-scale-text", path_effects=fx)
    return [north, *texts, scale]


def _erg_square(ctx: ReportContext, ax, handles: list, lat: float, lon: float) -> None:
    """The ERG protective-action area the order used: a square ``downwind_m`` long and
    wide, downwind of the source (the rule of :func:`~drillsim.hazards.chemical_zones.
    downwind_square`)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Polygon

    from drillsim.hazards.chemical_zones import downwind_square_outline

    if not math.isfinite(facts(ctx).downwind_m):
        return
    states = _mapped_states(ctx)
    for k, st in enumerate(states):  # one area per weather state, coloured as its arrow
        side = _erg_side_m(ctx, st)
        colour = WIND_COLOURS[k % len(WIND_COLOURS)] if len(states) > 1 else "#117a65"
        lats, lons = downwind_square_outline(lat, lon, st.wind_from, side)
        ax.add_patch(Polygon(np.column_stack([lons, lats]), closed=True, fill=False,
                             edgecolor=colour, lw=1.6, ls=(0, (6, 3)), zorder=4.6,
                             gid=f"chem-erg-square-{k}"))
        label = ctx.say("figure.erg_square", metres=f"{side:,.0f}")
        if len(states) > 1:
            label = ctx.say("chem.map_erg_state", area=label, state=_state_label(ctx, st))
        handles.append(Line2D([], [], color=colour, lw=1.6, ls=(0, (6, 3)), label=label))


def zones_axes(ctx: ReportContext):
    """The threat-zone close-up as a matplotlib figure (see :func:`zones_figure`)."""
    from drillsim.hazards.chemical_zones import downwind_square_outline
    from drillsim.network.places import Places
    from drillsim.network.summary import draw_network
    from drillsim.report.figures import fit_width, numbered_handles, place_labels

    states = weather_states(ctx)
    plt = pyplot()
    node, lat, lon = source(ctx)
    pts = [(lat, lon)] + [p for st in states for rings in zone_rings(ctx, st).values()
                          for ring in rings for p in ring]
    if math.isfinite(facts(ctx).downwind_m):
        for st in _mapped_states(ctx):
            sq_lat, sq_lon = downwind_square_outline(lat, lon, st.wind_from,
                                                     _erg_side_m(ctx, st))
            pts += list(zip(sq_lat, sq_lon, strict=True))
    net = ctx.world.network
    stg = staging_node(ctx)
    if stg >= 0:
        pts.append((float(net.lat[stg]), float(net.lon[stg])))
    lats = np.array([p[0] for p in pts])
    lons = np.array([p[1] for p in pts])
    pad = max(facts(ctx).isolation_m, 250.0) / 111_195.0
    fig, ax = plt.subplots(figsize=(9.2, 8))
    places = Places([p for p in ctx.world.places if p.kind in ("station", "shelter",
                                                               "hazard_site")])
    draw_network(net, places, ax=ax, labels=True, lang=ctx.lang)
    localise_map(ctx, ax, [])
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    handles: list = []
    draw_zones(ctx, ax, handles)
    _erg_square(ctx, ax, handles, lat, lon)
    k = math.cos(math.radians(lat))
    x0, x1 = lons.min() - pad / k, lons.max() + pad / k
    y0, y1 = lats.min() - pad, lats.max() + pad
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / k, adjustable="box")
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(5))
    legend_below(ax, handles)
    fit_width(fig)  # the final size first: labels are placed for it
    fixed = _map_furniture(ctx, ax, lat)
    legend_below(ax, handles + numbered_handles(ctx, place_labels(ax, fixed=fixed)))
    ax.set_title(ctx.say("chem.fig_zones_title"), fontsize=10)
    thicken(ax.title)
    return fig


def zones_figure(ctx: ReportContext):
    """A close-up of the threat zones on the road network: zones, isolation circle, the
    ERG protective-action area, wind and north arrows and a scale bar."""
    states = weather_states(ctx)
    if not states:
        return None
    fig = zones_axes(ctx)
    shifted = [st for st in states if st.shifted]
    caption = ctx.say("chem.fig_zones_caption",
                      dense=_dense_words(ctx, "chem.fig_zones_dense"),
                      shifted=ctx.say("chem.fig_zones_shifted") if shifted else "")
    away = site_offset(ctx)
    if away is not None:
        caption += ctx.say("chem.fig_site_link", site=site_label(ctx), d=f"{away[2]:,.0f}")
    return Figure("chemical_zones", ctx.say("chem.fig_zones"), caption, _png(fig),
                  alt=ctx.say("chem.fig_zones_alt"))


# ----------------------------------------------------------------------------- sections


def control_value(ctx: ReportContext) -> str:
    """The ``source_control_time`` metric in words; when no crew stopped the leak, how it
    ended instead (the metrics' ``leak_end``)."""
    end = facts(ctx).leak_end
    value = tx.value(ctx.summary.metrics.get("source_control_time", math.nan),
                     METRICS["source_control_time"].unit, ctx.lang)
    if end.how == "source_control":
        return value
    return ctx.say("chem.not_stopped_by_crew", leak_end=leak_end_text(ctx))


def sections(ctx: ReportContext) -> list[Section]:
    m = ctx.summary.metrics
    rows = [[METRICS[k].zh if ctx.lang == "zh" else METRICS[k].en,
             control_value(ctx) if k == "source_control_time" else
             tx.value(m.get(k, math.nan), METRICS[k].unit, ctx.lang)]
            for k in ("hazmat_first_arrival", "source_control_time", "people_above_aegl3",
                      "people_above_aegl2", "people_above_aegl1", "person_minutes_aegl2",
                      "evacuation_time", "responders_exposed") if k in METRICS]
    rows.insert(2, [ctx.say("chem.end_of_leak"), leak_end_value(ctx)])
    chem = _chem(ctx)
    spec = _spec(ctx)
    paras = [ctx.say("chem.section_intro",
                     chemical=chem.name_zh if ctx.lang == "zh" else chem.name_en, id=spec.id,
                     site=site_label(ctx), step=tx.minutes(spec.step, ctx.lang))]
    paras += places_in_zones_paras(ctx)
    paras += order_reach_paras(ctx) + ordered_out_paras(ctx) + shelters_closed_paras(ctx)
    paras += shelter_zone_paras(ctx)[1]
    figs = [f for f in (zones_figure(ctx), exposure_figure(ctx), evacuation_figure(ctx))
            if f is not None]
    return [Section("chemical", ctx.say("chem.section"), paras,
                    [Table([ctx.say("chem.col_measure"), ctx.say("chem.col_value")], rows)],
                    figs)]


def order_reach_paras(ctx: ReportContext) -> list[str]:
    """How the order reached people: its channels, from when, the reaction time, and when
    the first evacuee left; then, with the default channels, the door-to-door rounds in
    the ordered area (nothing without an order)."""
    reach = facts(ctx).order_reach
    if reach is None:
        return []
    # channel names hold commas ("TV, radio and social media"): a stronger separator
    channels = ("，" if ctx.lang == "zh" else "; ").join(
        tx.term("channel", c, ctx.lang) for c in reach.channels)
    parts = [ctx.say("chem.order_reach", order=tx.offset(reach.order),
                     told=tx.offset(reach.told_from), channels=channels,
                     reaction=tx.minutes(reach.reaction_s, ctx.lang)),
             ctx.say("chem.first_out", first=tx.offset(reach.first_out))
             if math.isfinite(reach.first_out) else ctx.say("chem.nobody_out")]
    if reach.default_channels:
        parts.append(ctx.say("chem.order_default_channels"))
    if reach.warned < reach.order:  # NaN (no warning) compares False
        ids = [o.id for o in ctx.scenario.objectives
               if o.metric in ("warning_t95", "warning_share_1h")]
        parts.append(ctx.say(
            "chem.warning_before_order", warned=tx.offset(reach.warned),
            gap=tx.minutes(reach.order - reach.warned, ctx.lang),
            objectives=ctx.say("chem.warning_objectives", ids=ctx.say("sep_words").join(ids))
            if ids else ""))
    if math.isfinite(reach.waking_from):
        parts.append(ctx.say("chem.order_at_night_door" if facts(ctx).door_rounds
                             else "chem.order_at_night",
                             now=f"{reach.at_once:.0%}", full=f"{reach.in_end:.0%}",
                             wake=tx.offset(reach.waking_from)))
    sep = "" if ctx.lang == "zh" else " "
    door = door_to_door_parts(ctx)
    return [sep.join(parts)] + ([sep.join(door)] if door else [])


def _up_to(ctx: ReportContext) -> str:
    """"up to " before the evacuation rounds' largest staff when the rounds had different
    staff (a later round with more communities), else nothing."""
    staff = {r.staff for r in facts(ctx).door_rounds if r.action == "evacuate"}
    return ctx.say("chem.up_to") if len(staff) > 1 else ""


def door_to_door_parts(ctx: ReportContext) -> list[str]:
    """Who went door to door in the ordered area, how many households, from when to when
    (nothing when the drill's own channels carried the order)."""
    f = facts(ctx)
    out = []
    evac = f.door_summary("evacuate")
    if evac is not None:
        out.append(ctx.say("chem.door_evacuate", households=f"{evac.households:,.0f}",
                           upto=_up_to(ctx),
                           staff=f"{evac.staff:,.0f}", communities=f"{evac.communities:,}",
                           first=tx.offset(evac.first_visit), last=tx.offset(evac.last_visit)))
        out += _door_later(ctx, "evacuate")
    sip = f.door_summary("shelter_in_place")
    if sip is not None:
        late = sip.last_visit > float(ctx.scenario.duration)
        out.append(ctx.say("chem.door_shelter_late" if late else "chem.door_shelter",
                           households=f"{sip.households:,.0f}",
                           first=tx.offset(sip.first_visit), last=tx.offset(sip.last_visit)))
        out += _door_later(ctx, "shelter_in_place")
    if out:
        out.append(ctx.say("chem.door_assumption"))
    return out


def _door_later(ctx: ReportContext, action: str) -> list[str]:
    """When the households of ``action``'s later door-to-door rounds were added (the
    ordered area grew), so that one sentence over all rounds does not hide it."""
    later = facts(ctx).door_later(action)
    if later is None:
        return []
    times = facts(ctx).door_later_times(action)
    if len(times) == 1:
        return [ctx.say("chem.door_later_once", households=f"{later.households:,.0f}",
                        t=tx.offset(times[0]))]
    return [ctx.say("chem.door_later_rounds", households=f"{later.households:,.0f}",
                    rounds=f"{len(times):,}", first=tx.offset(times[0]),
                    last=tx.offset(times[-1]))]


def ordered_out_paras(ctx: ReportContext) -> list[str]:
    """Who was ordered out and why, update by update, and how many of them left (the
    evacuation's people) or were never reached."""
    f = facts(ctx)
    if not f.ordered_out:
        return []
    parts = []
    for o in f.ordered_out:
        why = _joined(ctx, (ctx.say(REASON_TEXT[k], people=f"{v:,.0f}",
                                    m=f"{f.isolation_m:,.0f}")
                            for k, v in o.people.items() if v > 0 and k in REASON_TEXT))
        parts.append(ctx.say("chem.ordered_at", offset=tx.offset(o.t),
                             people=f"{o.total:,.0f}", why=why))
    ordered = f.people_ordered_out
    left = f.evacuation.people
    sep = "；" if ctx.lang == "zh" else "; "  # the reasons inside a part use chem.sep
    return [ctx.say("chem.ordered_out", parts=sep.join(parts), ordered=f"{ordered:,.0f}",
                    left=f"{left:,}", stayed=f"{max(ordered - left, 0.0):,.0f}")]


def shelters_closed_paras(ctx: ReportContext) -> list[str]:
    """One sentence per shelter a threat zone reached while evacuees were using it."""
    return [ctx.say("chem.shelter_closed", shelter=ctx.place_name(c.shelter),
                    t=tx.offset(c.t), people=f"{c.people:,}", waited=f"{c.waited:,}")
            for c in facts(ctx).shelters_closed]


# ----------------------------------------------------------------------------- explainers


def _largest(ctx: ReportContext, segs: dict[str, float],
             names: dict[str, str]) -> tuple[str, str]:
    """The largest segment and a sentence naming it."""
    segs = {k: v for k, v in segs.items() if math.isfinite(v)}
    if not segs:
        return "", ""
    key = max(segs, key=segs.get)
    whole = sum(segs.values()) or 1.0
    return key, ctx.say("chem.largest_segment", name=ctx.say(names[key]),
                        minutes=tx.minutes(segs[key], ctx.lang),
                        share=f"{segs[key] / whole:.0%}")


def response_segments(ctx: ReportContext) -> tuple[dict[str, float], str, bool]:
    """The first hazmat unit's response in segments, its id, and whether it was mutual aid
    (:func:`drillsim.metrics.response.response_segments`)."""
    from drillsim.metrics.response import response_segments as segments_of
    from drillsim.report.fire import activity

    row = ctx.rows.get(incident_id(ctx))
    if row is None:
        return {}, "", False
    rs = segments_of(ctx.result, row, activity(ctx), "first_of", units=hazmat_units(ctx))
    aid = rs.assignment is not None and rs.assignment.mutual_aid
    return rs.segments, rs.unit, aid


def explain_hazmat_arrival(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    segs, unit, aid = response_segments(ctx)
    paras = [measured_sentence(ctx, res, rating)]
    all_hz = [u for u in ctx.result.units if u.type == "hazmat"]
    unstaffed = [u.id for u in all_hz if not u.staffed]
    staffed = [u.id for u in all_hz if u.staffed]
    sep = ctx.say("chem.unit_sep")
    paras.append(ctx.say(
        "chem.hazmat_units", staffed=sep.join(staffed) or ctx.say("chem.no_unit"),
        unstaffed=ctx.say("chem.hazmat_unstaffed", units=sep.join(unstaffed))
        if unstaffed else ""))
    if unit:
        st = ctx.units[unit].station if unit in ctx.units else ""
        paras.append(ctx.say(
            "chem.first_hazmat_unit", unit=unit, station=ctx.station_label(st),
            aid=ctx.say("chem.from_mutual_aid") if aid else "",
            segments=_segments(ctx, segs, RESPONSE_SEGMENTS)))
    else:
        paras.append(ctx.say("chem.no_hazmat_arrived"))
    key, sentence = _largest(ctx, segs, RESPONSE_SEGMENTS)
    if sentence:
        paras.append(sentence)
    actions = []
    if key == "travel" or aid or unstaffed:
        actions.append(draft_action(
            ctx, ctx.say("chem.act_second_crew"), "hazmat", "mobilisation", obj.id))
    if key in ("processing", "turnout", "queue"):
        actions.append(draft_action(
            ctx, ctx.say("chem.act_first_call"), "hazmat", "mobilisation", obj.id))
    if aid:
        actions.append(draft_action(
            ctx, ctx.say("chem.act_mutual_aid"), "bureau", "mobilisation", obj.id))
    if not actions:
        actions.append(draft_action(ctx, ctx.say("chem.act_keep_plan"), "hazmat",
                                    "operations", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


def control_segments(ctx: ReportContext) -> tuple[dict[str, float], bool]:
    """Call → hazmat arrival, PPE, walk-in, work; and whether the container ran empty."""
    inc = incident_id(ctx)
    call = next((r.t for r in ctx.by_incident(inc) if r.event == "call"), math.nan)
    units = hazmat_units(ctx)
    arr = next((r for r in ctx.by_incident(inc) if r.event == "arrive" and r.unit in units), None)
    ppe = next(iter(_mine(ctx, "ppe_on")), None)
    entry = next(iter(_mine(ctx, "entry")), None)
    done = next(iter(_mine(ctx, "source_control")), None)
    empty = next(iter(_mine(ctx, "source_empty")), None)
    segs: dict[str, float] = {}
    if arr is not None and math.isfinite(call):
        segs["arrival"] = arr.t - call
        if ppe is not None:
            segs["ppe"] = ppe.t - arr.t
            if entry is not None:
                segs["walk_in"] = entry.t - ppe.t
                end = done or empty
                if end is not None and end.t >= entry.t:  # not emptied before the entry
                    segs["work"] = end.t - entry.t
    return segs, done is None and empty is not None


def explain_source_control(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    segs, _ = control_segments(ctx)
    end = facts(ctx).leak_end
    emptied = end.how == "container_empty"
    spec = _spec(ctx)
    paras = [measured_sentence(ctx, res, rating)]
    if segs:
        paras.append(ctx.say("chem.from_the_call", segments=_segments(ctx, segs,
                                                                      CONTROL_SEGMENTS)))
    paras.append(ctx.say("chem.sentence", text=_leak_end_capital(ctx)))
    if emptied:
        dur = rules.release_duration_s(spec) / 60.0
        paras.append(ctx.say("chem.line_ran_empty" if is_line(ctx)
                             else "chem.container_ran_empty", kg=f"{spec.release.quantity_kg:,.0f}",
                             rate=f"{spec.release.rate_kg_min:g}", minutes=f"{dur:.0f}"))
    key, sentence = _largest(ctx, segs, CONTROL_SEGMENTS)
    if sentence:
        paras.append(sentence)
    actions = []
    if key == "arrival":
        actions.append(draft_action(
            ctx, ctx.say("chem.act_closer"), "hazmat", "mobilisation", obj.id))
    if key in ("ppe", "walk_in"):
        actions.append(draft_action(
            ctx, ctx.say("chem.act_suit_up"), "hazmat", "operations", obj.id))
    actions.append(draft_action(
        ctx, ctx.say("chem.act_sealing_kits"), enterprise(ctx), "operations", obj.id))
    if emptied or spec.release.containers_stored > 1:
        # less to leak shortens no response: it lowers the exposure, filed under the
        # objective on it (else beyond the objectives)
        actions.append(draft_action(
            ctx, ctx.say("chem.act_reduce_line") if is_line(ctx) else
            ctx.say("chem.act_reduce_stock", containers=spec.release.containers_stored),
            enterprise(ctx), "prevention", exposure_ref(ctx)))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


def explain_exposure(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    metric = obj.metric
    level = 2 if metric == "person_minutes_aegl2" else int(metric[-1])
    e = facts(ctx).exposure[level]
    order = facts(ctx).evacuation.order
    pa = _spec(ctx).protective_actions
    action = getattr(pa, f"aegl{level}")
    paras = [measured_sentence(ctx, res, rating)]
    paras += exposure_paras(ctx, level)
    how = ""
    if action == "shelter_in_place":
        how = ctx.say("chem.sheltering_counts", factor=f"{_spec(ctx).indoor_factor:g}")
    elif action == "evacuate":
        how = ctx.say("chem.evacuees_stop_counting")
    paras.append(ctx.say("chem.zone_told", level=level, action=_action(ctx, action), how=how))
    actions = []
    if e.before >= e.after:
        paras.append(ctx.say("chem.exposure_before_order"))
    if math.isnan(order):
        actions.append(draft_action(
            ctx, ctx.say("chem.act_shelter_at_once"), "bureau", "protection", obj.id))
    else:  # aim at the delay in which most people were exposed
        actions += delay_actions(ctx, obj.id, level)
    if action == "shelter_in_place" and facts(ctx).person_minutes_by_phase(level)["after"] > 0:
        # sheltering fell short only if people were still above the level after they acted
        actions.append(draft_action(
            ctx, ctx.say("chem.act_review_actions"), "subdistricts", "protection", obj.id))
    actions.append(draft_action(
        ctx, ctx.say("chem.act_poisoning_care"), "health", "medical", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


ORDER_DELAYS = {  # stretch of the order -> (name, action wording, owner, capability)
    "decision": ("chem.delay_decision", "chem.act_decide_sooner", "bureau", "protection"),
    "issue": ("chem.delay_issue", "chem.act_issue_with_order", "bureau", "warning"),
    "reaction": ("chem.delay_reaction", "chem.act_reach_zone_first", "subdistricts",
                 "warning"),
}


DELAY_AIM = {"decision": "decide_sooner", "reaction": "reach_zone"}
"""The aim (:attr:`~drillsim.report.registry.Action.aim`) of a delay's action that other
findings word differently: one action per aim in the plan."""


DELAY_ENDS = {"decision": ("call", "decided"), "issue": ("decided", "issued"),
              "reaction": ("issued", "acted")}
"""Each delay of :func:`order_delays`: the order times it runs between."""


def order_delays(ctx: ReportContext) -> dict[str, float]:
    """The delays between the release call and the first people acting, s (the metrics'
    :attr:`~drillsim.metrics.chemical.ChemicalFacts.order_times`): call → order decided,
    decided → issued on the channels, issued → the first evacuee leaving home (reach and
    reaction). A delay whose end did not happen is left out."""
    t = facts(ctx).order_times
    return {k: t[b] - t[a] for k, (a, b) in DELAY_ENDS.items()
            if math.isfinite(t[a]) and math.isfinite(t[b])}


def exposed_delays(ctx: ReportContext, level: int) -> dict[str, float]:
    """The delays of :func:`order_delays` while anyone was above ``level`` (each cut at
    :meth:`~drillsim.metrics.chemical.ChemicalFacts.exposed_until`), s; a delay that began
    after the exposure ended is left out (all of them when nobody was above it)."""
    f = facts(ctx)
    until = f.exposed_until(level)
    if math.isnan(until):
        return {}
    start = {k: f.order_times[a] for k, (a, _) in DELAY_ENDS.items()}
    return {k: min(v, until - start[k]) for k, v in order_delays(ctx).items()
            if start[k] < until}


LONG_DELAY_S = 600.0
"""A delay of the order this long or longer gets its own action (the aimed one always
does), while people were still exposed after the order took effect."""

DELAY_PHASE = {"decision": ("to_decision", "chem.phase_to_decision"),
               "issue": ("to_issue", "chem.phase_to_issue"),
               "reaction": ("to_action", "chem.phase_to_action")}
"""Delay of :func:`order_delays` -> the stretch it ends in
:meth:`~drillsim.metrics.chemical.ChemicalFacts.person_minutes_by_phase` and its name."""


def aimed_delay(ctx: ReportContext, level: int) -> str:
    """The delay of :func:`order_delays` the plan aims at: the one whose stretch held the
    most person-minutes above ``level`` (the longest when nobody was above it in any);
    ``""`` without delays."""
    delays = order_delays(ctx)
    if not delays:
        return ""
    pm = facts(ctx).person_minutes_by_phase(level)
    return max(delays, key=lambda k: (pm[DELAY_PHASE[k][0]], delays[k]))


def delay_actions(ctx: ReportContext, ref: str, level: int) -> list:
    """Actions aimed at the delays of :func:`order_delays`: the :func:`aimed_delay`, then,
    only when people were still above ``level`` after the order took effect (the first
    people acting), any other of :data:`LONG_DELAY_S` or more, longest first (none without
    delays). When the exposure ended before the order took effect, reaching people sooner
    would not have shortened it: the action aims at the decision."""
    delays = order_delays(ctx)
    aimed = aimed_delay(ctx, level)
    if not aimed:
        return []
    later = facts(ctx).person_minutes_by_phase(level)["after"] > 0
    keys = [aimed] + [k for k, v in sorted(delays.items(), key=lambda kv: -kv[1])
                      if k != aimed and later and v >= LONG_DELAY_S]
    out = []
    for key in keys:
        _, wording, owner, cap = ORDER_DELAYS[key]
        text = (decide_sooner_text(ctx, level) if key == "decision"
                else ctx.say(wording, minutes=tx.minutes(delays[key], ctx.lang)))
        out.append(draft_action(ctx, text, owner, cap, ref, aim=DELAY_AIM.get(key, "")))
    return out


PREAUTHORISE_NAMED = 4
"""Communities named in the pre-authorisation action (the most populous first)."""


def decide_sooner_text(ctx: ReportContext, level: int | None = None) -> str:
    """The action on the delay from the call to the decision, in the terms the exposure
    findings name it: pre-authorise each zone's protective action for the communities in
    the widest zone given one, at the release's first weather (from the metrics'
    ``zone_reach``), those of the ``level`` zone (the finding's) first, most residents
    first within each, with this run's decision time. The plan keeps one such action
    (aim ``decide_sooner``): the first finding's."""
    pa = _spec(ctx).protective_actions
    acted = [lvl for lvl in sorted(LEVELS, reverse=True)
             if getattr(pa, f"aegl{lvl}") not in (None, "none")]
    reach = zone_reach(ctx)
    zones = reach[0][1] if reach else {}
    widest = zones[acted[-1]].communities if zones and acted else ()
    first = zones[level].communities if level in zones and widest else ()
    named_first = {a for a, _ in first}
    areas = (*first, *(a for a in widest if a[0] not in named_first))
    listed = [area_name(ctx, a) for a, _ in areas[:PREAUTHORISE_NAMED]]
    if len(areas) > PREAUTHORISE_NAMED:
        listed.append(ctx.say("report.cases_more", n=len(areas) - PREAUTHORISE_NAMED))
    actions = tx.join((ctx.say("chem.zone_action", level=lvl,
                               action=_action(ctx, getattr(pa, f"aegl{lvl}")))
                       for lvl in acted), ctx.lang)
    return ctx.say("chem.act_decide_sooner", actions=actions,
                   communities=tx.join(listed, ctx.lang, words=True) or ctx.say("none"),
                   minutes=tx.minutes(order_delays(ctx)["decision"], ctx.lang))


def n_people(ctx: ReportContext, n: float) -> str:
    """A whole number of people in words: ``1 person``, ``11 people`` / ``1人``."""
    whole = round(n)
    return ctx.say("chem.n_people_one") if whole == 1 else ctx.say("chem.n_people",
                                                                    n=f"{whole:,}")


def exposure_paras(ctx: ReportContext, level: int, *, delay: bool = True) -> list[str]:
    """People above ``level``: the peak and how long it lasted, the count when the order
    was decided, the order's times (decided, issued, first people acting) and the
    person-minutes in each stretch, and (``delay``) the longest delay; all from the
    metrics' chemical facts."""
    f = facts(ctx)
    e = f.exposure[level]
    if not e.peak:
        return [ctx.say("chem.nobody_above", level=level)]
    end = f.leak_end.t
    lasted = (ctx.say("chem.peak_until", until=tx.offset(e.peak_until))
              if e.peak_until > e.peak_t else "")
    paras = [ctx.say("chem.exposure_peak", level=level, peak=f"{e.peak:,.0f}",
                     peak_at=tx.offset(e.peak_t), lasted=lasted,
                     leak_end=tx.offset(end))]
    t = f.order_times
    if math.isfinite(t["decided"]):
        pm = f.person_minutes_by_phase(level)
        delays = order_delays(ctx)
        acted = (ctx.say("chem.first_acted", acted=tx.offset(t["acted"]),
                         after=tx.minutes(delays.get("reaction", math.nan), ctx.lang))
                 if math.isfinite(t["acted"]) else ctx.say("chem.nobody_acted"))
        paras.append(ctx.say(
            "chem.exposure_order", level=level, decided=tx.offset(t["decided"]),
            at_decided=n_people(ctx, f.people_at(level, t["decided"])),
            decision=tx.minutes(delays.get("decision", math.nan), ctx.lang),
            issued=tx.offset(t["issued"]),
            issue=tx.minutes(delays.get("issue", math.nan), ctx.lang), acted=acted,
            to_decision=f"{pm['to_decision']:,.0f}", to_issue=f"{pm['to_issue']:,.0f}",
            to_action=f"{pm['to_action']:,.0f}", after=f"{pm['after']:,.0f}"))
        if delays and delay:
            key = max(delays, key=delays.get)
            exposed = exposed_delays(ctx, level)
            if exposed and max(exposed, key=exposed.get) != key:
                # the longest delay ran on after nobody was above the level: name the
                # longest while people were
                held = max(exposed, key=exposed.get)
                paras.append(ctx.say("chem.longest_delay_exposed", level=level,
                                     until=tx.offset(f.exposed_until(level)),
                                     name=ctx.say(ORDER_DELAYS[held][0]),
                                     minutes=tx.minutes(exposed[held], ctx.lang)))
            else:
                paras.append(ctx.say("chem.longest_delay", name=ctx.say(ORDER_DELAYS[key][0]),
                                     minutes=tx.minutes(delays[key], ctx.lang)))
            aimed = aimed_delay(ctx, level)
            if aimed != key:
                paras[-1] += ("" if ctx.lang == "zh" else " ") + ctx.say(
                    "chem.most_exposure_in", level=level,
                    pm=f"{pm[DELAY_PHASE[aimed][0]]:,.0f}", total=f"{sum(pm.values()):,.0f}",
                    phase=ctx.say(DELAY_PHASE[aimed][1]),
                    name=ctx.say(ORDER_DELAYS[aimed][0]),
                    minutes=tx.minutes(delays[aimed], ctx.lang))
            if aimed == "decision":
                paras[-1] += before_call_text(ctx, level)
    return paras


def before_call_text(ctx: ReportContext, level: int) -> str:
    """When people were above ``level`` before the release call: the person-minutes that
    fell before it, which deciding sooner (pre-authorisation) cannot remove, only earlier
    detection; ``""`` otherwise."""
    f = facts(ctx)
    pm, first = f.person_minutes_before(level, f.call)
    if not pm:
        return ""
    return ("" if ctx.lang == "zh" else " ") + ctx.say(
        "chem.exposure_before_call", level=level, first=tx.offset(first),
        call=tx.offset(f.call), pm=f"{pm:,.0f}",
        total=f"{sum(f.person_minutes_by_phase(level).values()):,.0f}")


def explain_evacuation(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    ev = facts(ctx).evacuation
    paras = [measured_sentence(ctx, res, rating)]
    people = ev.people
    segs = {"reach": ev.reach_s, "walk": ev.walk_s, "wait": ev.wait_s}
    names = {"reach": "chem.evac_reach", "walk": "chem.evac_walk", "wait": "chem.evac_wait"}
    missing = ev.missing
    paras.append(ctx.say(
        "chem.evacuation_summary", people=f"{people:,}", groups=len(ev.groups),
        order=tx.offset(ev.order), last=tx.offset(ev.last_admit),
        missing=ctx.say("chem.groups_missing", groups=len(missing)) if missing else "",
        opened=tx.offset(ev.first_open)))
    later = facts(ctx).ordered_later
    if later:
        paras.append(ctx.say("chem.ordered_later", people=f"{later:,.0f}"))
    last = ev.last_group
    if last is not None and not missing:
        arrived = last.wait if math.isfinite(last.wait) else last.admit
        paras.append(ctx.say(
            "chem.evacuation_last", out=tx.offset(last.out),
            after=tx.minutes(last.out - ev.order, ctx.lang), arrived=tx.offset(arrived),
            admit=tx.offset(last.last_admit), opened=tx.offset(ev.first_open)))
    paras += ordered_out_paras(ctx) + order_reach_paras(ctx) + shelters_closed_paras(ctx)
    hours = {k: v / 3600 for k, v in segs.items()}
    total = sum(hours.values())
    key = max(hours, key=hours.get) if total else ""
    if key:
        paras.append(ctx.say("chem.evacuation_bottleneck", name=ctx.say(names[key]),
                             hours=f"{hours[key]:,.0f}", share=f"{hours[key] / total:.0%}"))
    actions = []
    if key == "reach":
        door = facts(ctx).door_summary("evacuate")
        reach = facts(ctx).order_reach
        if last is not None and reach is not None and last.out >= reach.waking_from:
            # the last evacuees were reached on getting up, not by a round or an alert
            text = ctx.say("chem.act_reach_zone_night", out=tx.offset(last.out),
                           wake=tx.offset(reach.waking_from))
        elif door is not None:
            text = ctx.say("chem.act_reach_zone_door", staff=f"{door.staff:,.0f}",
                           upto=_up_to(ctx), households=f"{door.households:,.0f}",
                           delay=tx.minutes(door.first_visit - ev.order, ctx.lang),
                           last=tx.minutes(door.last_visit - ev.order, ctx.lang))
        else:
            text = ctx.say("chem.act_reach_zone_first")
        actions.append(draft_action(ctx, text, "subdistricts", "warning", obj.id,
                                    aim=DELAY_AIM["reaction"]))
    elif key == "wait":
        actions.append(draft_action(
            ctx, ctx.say("chem.act_open_with_order"), "subdistricts", "shelter", obj.id))
        actions.append(draft_action(
            ctx, ctx.say("chem.act_name_shelters"), "bureau", "shelter", obj.id))
    else:
        actions.append(draft_action(
            ctx, ctx.say("chem.act_shorter_routes"), "subdistricts", "shelter", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


def explain_responders(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    recs = facts(ctx).responders
    shifts = _mine(ctx, "wind_shift")
    paras = [measured_sentence(ctx, res, rating)]
    stg = staging_node(ctx)
    if recs:
        paras.append(ctx.say("chem.crews_in_zone", crews=_joined(ctx, (
            ctx.say("chem.crew_at", unit=r.unit, crew=r.crew, offset=tx.offset(r.t))
            for r in recs)), staging=ctx.node_label(stg)))
    if shifts:
        caught = [r for r in recs if r.t >= shifts[0].t]
        paras.append(ctx.say("chem.wind_shifted", offset=tx.offset(shifts[0].t),
                             deg=f"{shifts[0].data['wind_from_deg']:g}", caught=len(caught)))
    actions = [
        draft_action(ctx, ctx.say("chem.act_restage"), "hazmat", "safety", obj.id),
        draft_action(ctx, ctx.say("chem.act_detectors"), "ecology", "monitoring", obj.id),
        draft_action(ctx, ctx.say("chem.act_check_responders"), "health", "medical", obj.id),
    ]
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


EXPLAINERS = {
    "hazmat_first_arrival": explain_hazmat_arrival,
    "source_control_time": explain_source_control,
    "people_above_aegl1": explain_exposure, "people_above_aegl2": explain_exposure,
    "people_above_aegl3": explain_exposure, "person_minutes_aegl2": explain_exposure,
    "evacuation_time": explain_evacuation,
    "responders_exposed": explain_responders,
}


EXPOSURE_METRICS = {3: ("people_above_aegl3",),
                    2: ("people_above_aegl2", "person_minutes_aegl2")}
"""The metrics an objective on people above AEGL-3 / AEGL-2 uses."""


def exposure_ref(ctx: ReportContext) -> str:
    """The finding an action that lowers exposure is filed under: the first objective on
    people above an AEGL level, else beyond the objectives."""
    metrics = {m for ms in EXPOSURE_METRICS.values() for m in ms} | {"people_above_aegl1"}
    return next((o.id for o in ctx.scenario.objectives if o.metric in metrics),
                beyond_ref(ctx))


def exposure_observations(ctx: ReportContext) -> list[Finding]:
    """People above AEGL-3 and AEGL-2 when no objective measures them: the peak, how long,
    the order's times and the person-minutes (:func:`exposure_paras`)."""
    levels = [level for level, metrics in EXPOSURE_METRICS.items()
              if all(beyond_objectives(ctx, m) for m in metrics)
              and facts(ctx).exposure[level].peak]
    if not levels:
        return []
    paras = [p for level in levels
             for p in exposure_paras(ctx, level, delay=level == levels[-1])]
    ref = beyond_ref(ctx)
    actions = delay_actions(ctx, ref, levels[-1]) + [draft_action(
        ctx, ctx.say("chem.act_poisoning_care"), "health", "medical", ref)]
    names = [f"AEGL-{level}" for level in levels]
    title = ctx.say("chem.obs_exposure_title", levels=names[0] if len(names) == 1
                    else ctx.say("chem.levels_and", a=names[0], b=names[1]))
    return [observation(ctx, title, paras, actions=actions)]


def after_hazard_observations(ctx: ReportContext) -> list[Finding]:
    """The evacuation went on after the hazard was over (the leak ended and nobody and no
    road above AEGL-1 at a zone update): when, and how many left home or got into a
    shelter only then; for a short release, shelter-in-place to consider."""
    f = facts(ctx)
    ev = f.evacuation
    clear = f.clear_t
    if not ev.groups or not math.isfinite(clear) or not ev.last_admit > clear:
        return []
    left_after = sum(g.people for g in ev.groups if g.out >= clear)
    admitted_after = sum(g.admitted for g in ev.groups if g.last_admit >= clear)
    paras = [ctx.say("chem.obs_after_hazard", leak_end=tx.offset(f.leak_end.t),
                     clear=tx.offset(clear), people=f"{ev.people:,}",
                     first=tx.offset(min(g.out for g in ev.groups)),
                     left_after=f"{left_after:,}", admitted_after=f"{admitted_after:,}",
                     last=tx.offset(ev.last_admit),
                     after=tx.minutes(ev.last_admit - clear, ctx.lang))]
    actions = []
    empty_s = rules.release_duration_s(_spec(ctx))
    if empty_s <= SHORT_RELEASE_S:
        actions.append(draft_action(
            ctx, ctx.say("chem.act_shelter_short_release_line" if is_line(ctx)
                         else "chem.act_shelter_short_release",
                         minutes=tx.minutes(empty_s, ctx.lang)),
            "bureau", "protection", beyond_ref(ctx)))
    return [observation(ctx, ctx.say("chem.obs_after_hazard_title"), paras, actions=actions)]


SHORT_RELEASE_S = 3600.0
"""A release whose container empties within this time is short: the US DOT Emergency
Response Guidebook (2020, "Protective Actions") advises protecting in place when the
vapour cloud will pass quickly or evacuating would expose people more than staying."""


def shelter_zone_paras(ctx: ReportContext) -> tuple[list[str], list[str]]:
    """Shelters inside a steady-plume zone (:func:`places_in_zones`) that the release's
    evacuees were sent to: how many and when, against when the moving zones closed it
    (:func:`drillsim.metrics.chemical.shelter_use`); (shelters someone was sent to while
    closed, shelters nobody was)."""
    used = _cached(ctx, "shelter_use", lambda: shelter_use(ctx.result))
    paras: tuple[list[str], list[str]] = ([], [])
    for (kind, sid), hits in places_in_zones(ctx).items():
        u = used.get(sid)
        if kind != "shelter" or u is None:
            continue
        zones = _joined(ctx, (ctx.say("chem.zone_from", level=lvl, offset=tx.offset(t))
                              for t, lvl in hits))
        if u.closed:
            closed = _joined(ctx, (ctx.say(
                "chem.closed_span", closed=tx.offset(a),
                reopened=tx.offset(b) if math.isfinite(b) else ctx.say("chem.not_reopened"))
                for a, b in u.closed))
            how = ctx.say("chem.shelter_was_closed", spans=closed)
        else:
            how = ctx.say("chem.shelter_never_closed")
        inside = (ctx.say("chem.sent_while_closed", people=f"{u.sent_while_closed:,}")
                  if u.sent_while_closed else ctx.say("chem.none_sent_while_closed"))
        paras[0 if u.sent_while_closed else 1].append(ctx.say(
            "chem.obs_shelter_in_zone", shelter=ctx.place_name(sid), zones=zones,
            people=f"{u.people:,}", first=tx.offset(u.first), last=tx.offset(u.last),
            how=how, inside=inside, leak_end=tx.offset(facts(ctx).leak_end.t)))
    return paras


def shelter_zone_observations(ctx: ReportContext) -> list[Finding]:
    """Evacuees sent to a shelter in a threat zone while it was closed (an observation and
    an action); a shelter nobody was sent to while closed is a sentence of the section."""
    paras = shelter_zone_paras(ctx)[0]
    if not paras:
        return []
    return [observation(ctx, ctx.say("chem.obs_shelter_in_zone_title"), paras, actions=[
        draft_action(ctx, ctx.say("chem.act_name_shelters"), "bureau", "shelter",
                     beyond_ref(ctx))])]


def observations(ctx: ReportContext) -> list[Finding]:
    """What the records show beyond the objectives: public exposure, an evacuation that
    outlasted the hazard, evacuees sent to a shelter that lies in a threat zone."""
    return (exposure_observations(ctx) + after_hazard_observations(ctx)
            + shelter_zone_observations(ctx) + station_turnout_observations(ctx))


# ----------------------------------------------------------------------------- strengths


def strengths(ctx: ReportContext) -> list[str]:
    m = ctx.summary.metrics
    out = []
    end = facts(ctx).leak_end
    if end.how == "source_control":
        out.append(ctx.say("chem.stopped_before_line_empty" if is_line(ctx)
                           else "chem.stopped_before_empty", text=_leak_end_capital(ctx)))
    if m.get("responders_exposed", math.nan) == 0 and not station_in_zone(ctx) \
            and not restates_objective(ctx, "responders_exposed"):
        out.append(ctx.say("chem.no_responder_in_zone"))
    if m.get("people_above_aegl3", math.nan) == 0 \
            and not restates_objective(ctx, "people_above_aegl3"):
        out.append(ctx.say("chem.nobody_above_aegl3"))
    ev = facts(ctx).evacuation
    if ev.groups and not ev.missing:
        out.append(ctx.say("chem.every_evacuee_sheltered", people=f"{ev.people:,}"))
    return out


def applies(ctx: ReportContext) -> bool:
    return ctx.scenario.chemical is not None


PART = register(HazardPart(
    key="chemical", name="hazard.chemical", hazard=applies, applies=applies,
    overview=overview_tables, map_layer=map_layer, sections=sections,
    strengths=strengths, observations=observations, explainers=EXPLAINERS,
    rating_notes={"responders_exposed": responders_note}))
