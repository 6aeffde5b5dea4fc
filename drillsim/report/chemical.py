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
from drillsim.metrics.chemical import ChemicalFacts, WeatherState, chemical_facts
from drillsim.metrics.chemical import hazmat_units as metrics_hazmat_units
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.figures import png, pyplot, style_axes, thicken, time_axis
from drillsim.report.findings import (
    draft_action,
    finding_title,
    measured_sentence,
)
from drillsim.report.registry import (
    Figure,
    Finding,
    HazardPart,
    Section,
    Table,
    register,
)

LEVEL_STYLE = {3: ("#922b21", 0.30), 2: ("#e67e22", 0.22), 1: ("#f4d03f", 0.22)}
"""AEGL level -> (colour, fill alpha) on the map and in the figures."""

ENTERPRISES = {  # release site -> (English, Chinese)
    "jieyuan_water_works": ("Sino-French Jieyuan Water Co. (Jieyuan Water Works)",
                            "中法芥园水务有限公司（芥园水厂）"),
    "tianjin_liquor_group": ("Tianjin Liquor Group", "津酒集团"),
}
RESPONSE_SEGMENTS = {  # key -> (English, Chinese)
    "processing": ("call processing (call to dispatch)", "接警处理（接警至调派）"),
    "queue": ("waiting for a free hazmat unit", "等待可用危化品处置力量"),
    "turnout": ("turnout of the hazmat unit", "危化品处置车出动准备"),
    "travel": ("travel of the hazmat unit", "危化品处置车行驶"),
    "aid": ("mutual aid on the way", "区外增援途中"),
}
CONTROL_SEGMENTS = {
    "arrival": ("call to the hazmat unit on scene", "接警至危化品处置力量到场"),
    "ppe": ("putting on gas-tight suits (PPE)", "穿戴防护装备"),
    "walk_in": ("walk-in from the staging point to the source", "自集结点步行进入泄漏点"),
    "work": ("work at the source until the leak stopped", "泄漏点堵漏作业"),
}
RELEASE_KIND = {"leaking_valve": ("leaking valve", "阀门泄漏"),
                "ruptured_line": ("ruptured line", "管线破裂"),
                "container_failure": ("container failure", "容器破裂")}
ACTION_TEXT = {"evacuate": ("evacuate", "疏散"),
               "shelter_in_place": ("shelter in place", "就地避险"),
               "none": ("no action", "不采取措施")}


# ----------------------------------------------------------------------------- data


def _spec(ctx: ReportContext):
    return ctx.scenario.chemical


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
    return f"HZ-{_spec(ctx).id}"


def facts(ctx: ReportContext) -> ChemicalFacts:
    """What happened in the release, as :mod:`drillsim.metrics.chemical` measured it."""
    return _cached(ctx, "facts", lambda: chemical_facts(ctx.result))


def source(ctx: ReportContext) -> tuple[int, float, float]:
    """The release node and its (lat, lon)."""
    net = ctx.world.network
    start = _mine(ctx, "release_start")
    node = start[0].node if start and start[0].node >= 0 else ctx.world.node_of(_spec(ctx).site)
    return int(node), float(net.lat[node]), float(net.lon[node])


def _plume_args(ctx: ReportContext, st: WeatherState) -> dict:
    _, lat, lon = source(ctx)
    return rules.plume_kwargs(_spec(ctx), lat, lon, st.wind_from, st.u, st.cls)


def weather_states(ctx: ReportContext) -> tuple[WeatherState, ...]:
    """The release's weather at the start and after each change, until the leak ended."""
    return facts(ctx).weather


def zone_rings(ctx: ReportContext, st: WeatherState) -> dict[int, list[tuple[float, float]]]:
    """The outline of each level's zone for the steady plume of one weather state."""
    from drillsim.hazards.plume import zone_polygon

    def build():
        args = _plume_args(ctx, st)
        return {lvl: zone_polygon(**args, threshold_g_m3=rules.threshold_g_m3(_spec(ctx), lvl))
                for lvl in LEVELS}
    return _cached(ctx, f"rings-{st.t}", build)


def leak_end_pair(ctx: ReportContext) -> tuple[str, str]:
    """One sentence, English and Chinese, the same everywhere: when and how the leak ended
    (``leak_end`` of the metrics)."""
    end = facts(ctx).leak_end
    if end.how == "source_control":
        return (f"leak ended: stopped by {end.unit} at {tx.offset(end.t)}",
                f"泄漏结束：{tx.offset(end.t)} {end.unit}堵漏成功")
    if end.how == "container_empty":
        return (f"leak ended: container empty at {tx.offset(end.t)}",
                f"泄漏结束：{tx.offset(end.t)} 容器泄空")
    return ("leak ended: not by the end of the drill", "泄漏结束：演练结束前未结束")


def leak_end_text(ctx: ReportContext) -> str:
    """:func:`leak_end_pair` in the report's language."""
    return ctx.t(*leak_end_pair(ctx))


def hot_edges(ctx: ReportContext, st: WeatherState) -> np.ndarray:
    """Arcs closed to vehicles for the steady plume of one weather state (the engine's
    rule, :func:`drillsim.hazards.chemical_zones.hot_zone`)."""
    from drillsim.hazards.plume import zone_mask

    net = ctx.world.network
    _, lat, lon = source(ctx)
    aegl3 = zone_mask(net.lat, net.lon, **_plume_args(ctx, st),
                      threshold_g_m3=rules.threshold_g_m3(_spec(ctx), 3))
    hot = rules.hot_zone(rules.distance_m(net.lat, net.lon, lat, lon), aegl3,
                         facts(ctx).isolation_m)
    return rules.hot_edges(hot, net.edge_u, net.edge_v)


def staging_node(ctx: ReportContext) -> int:
    """Where the hazmat incident was placed (the staging point, upwind of the zones)."""
    r = _first(ctx, "call", incident_id(ctx))
    if r is not None and r.node >= 0:
        return int(r.node)
    r = _first(ctx, "arrive", incident_id(ctx))
    return int(r.node) if r is not None else -1


def timeline(ctx: ReportContext) -> list[tuple[float, str, str]]:
    """Key moments of the release: (t, English, Chinese)."""
    inc = incident_id(ctx)
    out: list[tuple[float, str, str]] = []
    spec = _spec(ctx)
    for r in ctx.records:
        if r.event == "release_start" and r.place == spec.id:
            out.append((r.t, "release starts", "泄漏开始"))
        elif r.event == "call" and r.incident == inc:
            out.append((r.t, "call received", "接警"))
        elif r.event == "dispatch" and r.incident == inc and r.unit in hazmat_units(ctx):
            aid = " (mutual aid)" if r.get("mutual_aid") else ""
            out.append((r.t, f"hazmat unit {r.unit} dispatched{aid}",
                        f"调派危化品处置车{r.unit}" + ("（区外增援）" if aid else "")))
        elif r.event == "arrive" and r.incident == inc:
            out.append((r.t, f"{r.unit} at the staging point", f"{r.unit}到达集结点"))
        elif r.place == spec.id and r.event in ("ppe_on", "entry", "protective_action",
                                                 "wind_shift", "responder_exposed"):
            d = r.data
            en, zh = {
                "ppe_on": (f"{r.unit} in protective suits", f"{r.unit}完成防护装备穿戴"),
                "entry": (f"{r.unit} reaches the source", f"{r.unit}进入泄漏点"),
                "protective_action": ("protective-action order: " + ", ".join(
                    f"AEGL-{lvl} {ACTION_TEXT.get(d.get(f'action_aegl{lvl}', ''), ('', ''))[0]}"
                    for lvl in (3, 2, 1)),
                    "防护行动命令：" + "，".join(
                    f"AEGL-{lvl}{ACTION_TEXT.get(d.get(f'action_aegl{lvl}', ''), ('', ''))[1]}"
                    for lvl in (3, 2, 1))),
                "wind_shift": (f"wind shift: now from {d.get('wind_from_deg', 0):g}°",
                               f"风向突变：转为{d.get('wind_from_deg', 0):g}°方向来风"),
                "responder_exposed": (f"{r.unit} ({d.get('crew', '?')} crew) staged inside "
                                      "the AEGL-2 zone",
                                      f"{r.unit}（{d.get('crew', '?')}人）在AEGL-2区域内集结"),
            }[r.event]
            out.append((r.t, en, zh))
    end = facts(ctx).leak_end
    if math.isfinite(end.t):
        out.append((end.t, *leak_end_pair(ctx)))
        out.sort(key=lambda e: e[0])
    return out


def hazmat_units(ctx: ReportContext) -> set[str]:
    """The hazmat crews of the run (:func:`drillsim.metrics.chemical.hazmat_units`)."""
    return _cached(ctx, "hazmat_units", lambda: metrics_hazmat_units(ctx.result))


def limits(ctx: ReportContext) -> list[str]:
    """The model limits the engine logged, verbatim, in their order."""
    out: list[str] = []
    for r in _mine(ctx, "model_limit"):
        if r.data["text"] not in out:
            out.append(r.data["text"])
    return out


def report_limits(ctx: ReportContext) -> list[str]:
    """Further ALOHA limits for the zones as drawn (each weather state's zone lengths and
    the release duration), not already logged by the engine."""
    from drillsim.hazards.plume import model_warnings

    spec = _spec(ctx)
    logged = set(limits(ctx))
    duration = rules.release_duration_s(spec) / 60.0
    out: list[str] = []
    for st in weather_states(ctx):
        xs = [x for x in st.extent_m.values() if x > 0]
        for w in model_warnings(st.u, st.cls, xs or None, max(duration, spec.exposure_min)):
            if w not in logged and w not in out:
                out.append(w)
    return out


def site_label(ctx: ReportContext) -> str:
    site = _spec(ctx).site
    if site.place:
        return ctx.place_label(site.place)
    return ctx.node_label(source(ctx)[0])


def enterprise(ctx: ReportContext) -> tuple[str, str]:
    site = _spec(ctx).site
    if site.place in ENTERPRISES:
        return ENTERPRISES[site.place]
    p = ctx.world.places.get(site.place) if site.place else None
    if p is not None:
        return (f"the operator of {getattr(p, 'name_en', '') or p.name_zh}",
                f"{p.name_zh}所属企业")
    return ("the enterprise at the release site", "泄漏点所属企业")


def _chem(ctx: ReportContext):
    from drillsim.hazards.plume import CHEMICALS

    return CHEMICALS[_spec(ctx).chemical]


def _deg(d: float) -> str:
    names = ("N", "NE", "E", "SE", "S", "SW", "W", "NW")
    return f"{d:g}° ({names[int((d % 360) / 45 + 0.5) % 8]})"


def _deg_zh(d: float) -> str:
    names = ("北", "东北", "东", "东南", "南", "西南", "西", "西北")
    return f"{names[int((d % 360) / 45 + 0.5) % 8]}风（{d:g}°）"


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
    kind = RELEASE_KIND.get(rel.kind, (rel.kind, rel.kind))
    duration_min = rules.release_duration_s(spec) / 60.0
    e = f.erg
    rows = [
        [ctx.t("release", "泄漏事故"), f"{spec.id} — {site_label(ctx)}"],
        [ctx.t("chemical", "化学品"),
         f"{chem.name_zh} {chem.name_en} (UN {chem.un_number}, CAS {chem.cas}; "
         f"{chem.density_rel_air:.2f} × {ctx.t('air', '空气')})"],
        [ctx.t("amount", "泄漏量"),
         ctx.t(f"{rel.quantity_kg:,.0f} kg can leak; {rel.containers_stored} container(s) "
               "stored at the site",
               f"可泄漏{rel.quantity_kg:,.0f} kg；现场储存{rel.containers_stored}个容器")],
        [ctx.t("rate", "泄漏速率"),
         ctx.t(f"{rel.rate_kg_min:g} kg/min (empty after {duration_min:.0f} min), "
               f"{rel.height_m:g} m above ground",
               f"{rel.rate_kg_min:g} kg/min（{duration_min:.0f}分钟泄空），"
               f"离地{rel.height_m:g} m")],
        [ctx.t("release kind", "泄漏形式"), ctx.t(*kind)],
        [ctx.t("end of the leak", "泄漏结束"), leak_end_text(ctx)],
        [ctx.t("weather at the release", "泄漏时气象"),
         ctx.t(f"wind {st0.u:g} m/s from {_deg(st0.wind_from)}, cloud {w0.cloud_eighths:g}/8",
               f"{_deg_zh(st0.wind_from)}，风速{st0.u:g} m/s，云量{w0.cloud_eighths:g}/8")
         if st0 else "—"],
        [ctx.t("stability", "大气稳定度"),
         ctx.t(f"Pasquill class {st0.cls}", f"帕斯奎尔{st0.cls}类") if st0 else "—"],
    ]
    for st in states[1:]:
        rows.append([ctx.t(f"weather from {tx.offset(st.t)}", f"{tx.offset(st.t)}起气象"),
                     ctx.t(f"wind {st.u:g} m/s from {_deg(st.wind_from)}, class {st.cls}",
                           f"{_deg_zh(st.wind_from)}，风速{st.u:g} m/s，{st.cls}类")])
    rows.append([ctx.t("exposure duration (AEGL)", "暴露时长（AEGL）"),
                 ctx.t(f"{spec.exposure_min:g} min", f"{spec.exposure_min:g}分钟")])
    for lvl in LEVELS:
        thr = rules.threshold_g_m3(spec, lvl) * 1000.0
        rows.append([ctx.t(f"AEGL-{lvl} zone length at the release",
                           f"泄漏时AEGL-{lvl}区域下风向长度"),
                     f"{_m(st0.extent_m.get(lvl, math.nan)) if st0 else '—'} "
                     f"(≥ {chem.aegl_ppm_at(lvl, spec.exposure_min):g} ppm, {thr:.3g} mg/m³)"
                     + "".join(f"; {tx.offset(st.t)}: {_m(st.extent_m.get(lvl, math.nan))}"
                               for st in states[1:])])
    rows.append([ctx.t("initial isolation", "初始隔离"),
                 ctx.t(f"{f.isolation_m:.0f} m radius", f"半径{f.isolation_m:.0f} m")
                 + (ctx.t(f"; ERG protective distance downwind {e.day_km:.1f} km by day, "
                          f"{e.night_km:.1f} km by night (ERG Table 3, approximate)",
                          f"；ERG下风向防护距离白天{e.day_km:.1f} km、夜间{e.night_km:.1f} km"
                          "（ERG表3，近似值）") if e is not None else "")
                 + (ctx.t(f"; the order used {f.downwind_m:,.0f} m downwind",
                          f"；防护命令采用下风向{f.downwind_m:,.0f} m")
                    if math.isfinite(f.downwind_m) else "")])
    pa = spec.protective_actions
    rows.append([ctx.t("protective actions", "防护行动"), "; ".join(
        f"AEGL-{lvl} {ctx.t(*ACTION_TEXT[getattr(pa, f'aegl{lvl}')])}" for lvl in LEVELS)
        + ctx.t(f", ordered {tx.minutes(pa.decided_after)} after the call; indoor factor "
                f"{spec.indoor_factor:g}",
                f"，接警后{tx.minutes(pa.decided_after, 'zh')}下令；"
                f"室内外浓度比{spec.indoor_factor:g}")])
    main = Table([ctx.t("item", "项目"), ctx.t("value", "数值")], rows,
                 ctx.t("Chemical release: source term, weather and threat zones (Gaussian "
                       "plume, Briggs urban/rural coefficients; zone length = farthest "
                       "downwind distance above the level on the plume axis).",
                       "危化品泄漏：源强、气象与威胁区域（高斯烟羽模型，Briggs城市/开阔地扩散参数；"
                       "区域长度为烟羽轴线上超过该浓度的最远下风向距离）。"))
    lim_rows = [[w, ctx.t("engine (at the release)", "模型运行（泄漏时）")] for w in limits(ctx)]
    lim_rows += [[w, ctx.t("report (zones as drawn, release duration)",
                           "报告核查（所绘区域、泄漏持续时间）")] for w in report_limits(ctx)]
    lim = Table([ctx.t("model limit (ALOHA)", "模型适用限制（ALOHA）"),
                 ctx.t("found by", "来源")],
                lim_rows or [[ctx.t("none applies", "无"), ""]],
                ctx.t("Limits of the screening model, as ALOHA states them (light wind, "
                      "stable air, near the source, beyond 10 km or 60 minutes, dense gas); "
                      "text as logged.",
                      "筛查模型的适用限制（参照ALOHA：小风、稳定大气、近源、超过10 km或60分钟、"
                      "重气体）；文字按记录原样列出。"))
    tl = Table([ctx.t("time", "时间"), ctx.t("clock", "时钟"), ctx.t("what", "事件")],
               [[tx.offset(t), tx.clock(ctx.scenario.start, t), ctx.t(en, zh)]
                for t, en, zh in timeline(ctx)],
               ctx.t("The release, the hazmat response and the protective actions.",
                     "泄漏、危化品处置与防护行动时间线。"))
    return [main, lim, tl]


# ----------------------------------------------------------------------------- map


def _circle(lat: float, lon: float, radius_m: float, n: int = 72) -> np.ndarray:
    a = np.linspace(0, 2 * math.pi, n)
    dlat = radius_m / 111_195.0
    dlon = dlat / math.cos(math.radians(lat))
    return np.column_stack([lon + dlon * np.sin(a), lat + dlat * np.cos(a)])


def draw_zones(ctx: ReportContext, ax, handles: list, *, labels: bool = True) -> None:
    """Zones (solid at the release, dashed after a wind shift), hot-zone arcs, isolation
    circle, source and staging point on ``ax`` (lon/lat axes)."""
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Polygon

    from drillsim.fonts import text_effects

    net = ctx.world.network
    node, lat, lon = source(ctx)
    states = weather_states(ctx)
    shown_levels: set[int] = set()
    for k, st in enumerate(states):
        rings = zone_rings(ctx, st)
        for lvl in (1, 2, 3):
            ring = rings.get(lvl) or []
            if not ring:
                continue
            colour, alpha = LEVEL_STYLE[lvl]
            xy = np.array([(b, a) for a, b in ring])
            ax.add_patch(Polygon(xy, closed=True, facecolor=colour,
                                 alpha=alpha if not st.shifted else alpha * 0.6,
                                 edgecolor="none", zorder=4,
                                 gid=f"chem-zone-{k}-aegl{lvl}"))
            ax.add_patch(Polygon(xy, closed=True, fill=False, edgecolor=colour, lw=1.4,
                                 ls="--" if st.shifted else "-", zorder=4.5))
            shown_levels.add(lvl)
    for lvl in LEVELS:
        if lvl in shown_levels:
            colour, alpha = LEVEL_STYLE[lvl]
            handles.append(Patch(facecolor=colour, alpha=max(alpha, 0.35), edgecolor=colour,
                                 label=f"AEGL-{lvl} 威胁区域 threat zone"))
    if any(st.shifted for st in states):
        handles.append(Line2D([], [], color="#7f8c8d", ls="--", lw=1.4,
                              label="风向突变后区域 zones after the wind shift"))
    edges = sorted({int(e) for st in states for e in hot_edges(ctx, st)})
    if edges:
        segs = [[(net.lon[net.edge_u[e]], net.lat[net.edge_u[e]]),
                 (net.lon[net.edge_v[e]], net.lat[net.edge_v[e]])] for e in edges]
        ax.add_collection(LineCollection(segs, colors="#6c3483", linewidths=3.5, zorder=5,
                                         capstyle="round", gid="chem-hot-arcs"))
        handles.append(Line2D([], [], color="#6c3483", lw=3.5,
                              label="热区封闭（禁止车辆）hot zone, closed to vehicles"))
    iso = facts(ctx).isolation_m
    circ = _circle(lat, lon, iso)
    ax.plot(circ[:, 0], circ[:, 1], color="#1b2631", lw=1.2, ls=":", zorder=6,
            gid="chem-isolation")
    handles.append(Line2D([], [], color="#1b2631", ls=":", lw=1.2,
                          label=f"初始隔离 isolation {iso:.0f} m"))
    ax.scatter([lon], [lat], s=170, marker="X", color="#922b21", edgecolors="white",
               linewidths=1.0, zorder=9)
    handles.append(Line2D([], [], marker="X", color="#922b21", ls="", markersize=10,
                          markeredgecolor="white", label="泄漏源 release source"))
    stg = staging_node(ctx)
    if stg >= 0:
        ax.scatter([net.lon[stg]], [net.lat[stg]], s=110, marker="s", color="#1e8449",
                   edgecolors="white", linewidths=1.0, zorder=9)
        handles.append(Line2D([], [], marker="s", color="#1e8449", ls="", markersize=8,
                              markeredgecolor="white", label="集结点 staging point"))
    if labels:
        ax.annotate(_spec(ctx).id, (lon, lat), xytext=(8, 6), textcoords="offset points",
                    fontsize=9, color="#922b21", zorder=10, path_effects=text_effects("#922b21"))


def map_layer(ctx: ReportContext, ax, handles: list) -> None:
    draw_zones(ctx, ax, handles)


# ----------------------------------------------------------------------------- figures


def _png(fig) -> bytes:
    for ax in fig.axes:
        thicken(*ax.texts)
    return png(fig)


def _window(ctx: ReportContext) -> tuple[float, float]:
    """Drill-time window of the chemical figures: from the release to the last exposure or
    admission, with a margin (at least two hours)."""
    spec = _spec(ctx)
    f = facts(ctx)
    t, people = f.plume_t, f.people
    last = spec.at
    for lvl in LEVELS:
        nz = np.flatnonzero(people[lvl] > 0)
        if nz.size:
            last = max(last, float(t[nz[-1]]))
    adm = [g.admit for g in f.evacuation.groups if math.isfinite(g.admit)]
    last = max([last, *adm, *(tt for tt, _e, _z in timeline(ctx))])
    t0 = max(spec.at - 600.0, 0.0)
    t1 = min(max(last + 0.15 * (last - t0), t0 + 7200.0),
             max(ctx.scenario.duration, ctx.end_time))
    return t0, t1


def _marks(ctx: ReportContext, ax, events: tuple[str, ...]) -> None:
    """Vertical lines at the release and at ``events`` (record kinds, and ``leak_end``:
    the end of the leak as the metrics measured it)."""
    styles = {"protective_action": ("#1a5276", ("order", "防护命令")),
              "source_control": ("#1e8449", ("leak stopped", "堵漏成功")),
              "container_empty": ("#7d3c98", ("container empty", "容器泄空")),
              "wind_shift": ("#7f8c8d", ("wind shift", "风向突变")),
              "release_start": ("#922b21", ("release", "泄漏开始"))}
    marks = [(r.t, r.event) for e in ("release_start", *events) for r in _mine(ctx, e)]
    end = facts(ctx).leak_end
    if "leak_end" in events and math.isfinite(end.t):
        marks.append((end.t, end.how))
    for t, kind in marks:
        colour, (en, zh) = styles[kind]
        ax.axvline(t / 60, color=colour, ls="--" if kind != "wind_shift" else ":", lw=1.2)
        ax.text(t / 60, 0.98, ctx.t(en, zh) + " ", color=colour, fontsize=7.5, va="top",
                ha="left", rotation=90, transform=ax.get_xaxis_transform())


def exposure_figure(ctx: ReportContext):
    f = facts(ctx)
    t, people = f.plume_t, f.people
    if not t.size:
        return None
    plt = pyplot()
    t0, t1 = _window(ctx)
    fig, ax = plt.subplots(figsize=(10.5, 4.4))
    pa = _spec(ctx).protective_actions
    for lvl in (1, 2, 3):
        colour = LEVEL_STYLE[lvl][0]
        action = ctx.t(*ACTION_TEXT[getattr(pa, f"aegl{lvl}")])
        ax.step(t / 60, people[lvl], where="post", color=colour, lw=2 if lvl > 1 else 1.6,
                label=ctx.t(f"above AEGL-{lvl} (max {f.exposure[lvl].peak:,.0f}; ordered: "
                            f"{action})",
                            f"超过AEGL-{lvl}（最多{f.exposure[lvl].peak:,.0f}人；命令：{action}）"))
    _marks(ctx, ax, ("protective_action", "leak_end", "wind_shift"))
    ax.set_xlim(t0 / 60, t1 / 60)
    ax.set_ylim(bottom=0, top=max(1.0, max(float(p.max()) for p in people.values()) * 1.12))
    time_axis(ctx, ax, t1 - t0)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(ctx.t("people above the level", "超过该级别的人数"))
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    lg = ax.legend(fontsize=7.5, loc="upper right")
    thicken(*lg.get_texts())
    ax.set_title(ctx.t("People exposed above each AEGL level", "各AEGL级别暴露人数"),
                 fontsize=10)
    style_axes(ax)
    caption = ctx.t(
        "People above AEGL-1, -2 and -3 at each zone update (from the plume records): "
        "outdoors or not yet protected, and after the order, indoors only where even the "
        "indoor concentration exceeds the level; dashed lines mark the release, the "
        "protective-action order and the end of the leak, dotted lines the wind shifts.",
        "各次区域更新时超过AEGL-1、-2、-3的人数（取自烟羽记录）：未采取防护的人员，"
        "命令下达后就地避险人员仅计室内浓度仍超标者；虚线为泄漏开始、防护行动命令和泄漏停止，"
        "点线为风向突变。")
    return Figure("chemical_exposure", ctx.t("Exposure by AEGL level", "分级暴露人数"),
                  caption, _png(fig), alt=ctx.t("people above AEGL levels over time",
                                                "各AEGL级别暴露人数随时间变化"))


def evacuation_figure(ctx: ReportContext):
    ev = facts(ctx).evacuation
    if not ev.groups:
        return None
    plt = pyplot()
    t0, t1 = _window(ctx)
    fig, ax = plt.subplots(figsize=(10.5, 4.2))
    out = sorted((g.out, g.people) for g in ev.groups)
    adm = sorted((g.admit, g.admitted) for g in ev.groups if math.isfinite(g.admit))
    total = ev.people
    for series, colour, en, zh in (
            (out, "#1a5276", "ordered out (cumulative)", "接到疏散命令（累计）"),
            (adm, "#1e8449", "admitted to a shelter (cumulative)", "进入避难场所（累计）")):
        ts = [t0] + [s[0] for s in series] + [t1]
        ys = np.cumsum([0] + [s[1] for s in series])
        ys = np.append(ys, ys[-1])
        ax.step(np.asarray(ts) / 60, ys, where="post", color=colour, lw=2, label=ctx.t(en, zh))
    if math.isfinite(ev.first_open):
        ax.axvline(ev.first_open / 60, color="#b9770e", ls="-.", lw=1.2)
        ax.text(ev.first_open / 60, 0.5, ctx.t("first shelter opens", "首个避难场所开放"),
                color="#b9770e", fontsize=7.5, rotation=90, va="center", ha="right",
                transform=ax.get_xaxis_transform())
    for o in ctx.scenario.objectives:
        if o.metric == "evacuation_time" and math.isfinite(ev.order):
            _op, target = o.bound()
            ax.axvline((ev.order + target) / 60, color="#c0392b", ls="--", lw=1.2)
            ax.text((ev.order + target) / 60, 0.03,
                    " " + ctx.t(f"{o.id}: {o.target} after the order",
                                f"{o.id}：命令后{o.target}"),
                    color="#c0392b", fontsize=7.5, transform=ax.get_xaxis_transform())
            break
    _marks(ctx, ax, ("protective_action", "wind_shift"))
    ax.set_xlim(t0 / 60, t1 / 60)
    ax.set_ylim(0, max(total, 1) * 1.12)
    time_axis(ctx, ax, t1 - t0)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(ctx.t("people", "人数"))
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    lg = ax.legend(fontsize=7.5, loc="center right")
    thicken(*lg.get_texts())
    done = not ev.missing
    ax.set_title(ctx.t(f"Evacuation progress ({ev.admitted:,} of {total:,} "
                       "in shelters)" + ("" if done else ", not complete"),
                       f"疏散进度（{total:,}人中{ev.admitted:,}人进入避难场所）"
                       + ("" if done else "，未完成")), fontsize=10)
    style_axes(ax)
    caption = ctx.t(
        "People ordered out of the zones to be evacuated (displaced records of the release, "
        "new ones as the plume moves) and people admitted to a shelter (their shelter_admit "
        "records); the gap between the curves is people on the way or waiting at a shelter "
        "that is not open yet.",
        "疏散区域内接到撤离命令的人数（本次泄漏的转移记录，烟羽移动后新增区域随之增加）与进入避难场所的"
        "人数；两曲线之间为途中或在未开放场所外等待的人员。")
    return Figure("chemical_evacuation", ctx.t("Evacuation progress", "疏散进度"), caption,
                  _png(fig), alt=ctx.t("people evacuated over time", "疏散人数随时间变化"))


def zones_figure(ctx: ReportContext):
    """A close-up of the threat zones on the road network."""
    states = weather_states(ctx)
    if not states:
        return None
    from drillsim.network.places import Places
    from drillsim.network.summary import draw_network

    plt = pyplot()
    node, lat, lon = source(ctx)
    pts = [(lat, lon)] + [p for st in states for ring in zone_rings(ctx, st).values()
                          for p in ring]
    net = ctx.world.network
    stg = staging_node(ctx)
    if stg >= 0:
        pts.append((float(net.lat[stg]), float(net.lon[stg])))
    lats = np.array([p[0] for p in pts])
    lons = np.array([p[1] for p in pts])
    pad = max(facts(ctx).isolation_m, 250.0) / 111_195.0
    fig, ax = plt.subplots(figsize=(9, 8))
    places = Places([p for p in ctx.world.places if p.kind in ("station", "shelter",
                                                               "hazard_site")])
    draw_network(net, places, ax=ax, labels=True)
    if ax.get_legend() is not None:
        ax.get_legend().remove()
    handles: list = []
    draw_zones(ctx, ax, handles)
    k = math.cos(math.radians(lat))
    x0, x1 = lons.min() - pad / k, lons.max() + pad / k
    y0, y1 = lats.min() - pad, lats.max() + pad
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / k, adjustable="box")
    ax.ticklabel_format(useOffset=False)
    from drillsim.fonts import text_effects

    lg = ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.09), ncol=3,
                   fontsize=7, frameon=False)
    for text in lg.get_texts():
        text.set_path_effects(text_effects(text.get_color(), halo=None))
    ax.set_title(ctx.t("Threat zones (close-up)", "威胁区域（局部放大）"), fontsize=10)
    thicken(ax.title)
    shifted = [st for st in states if st.shifted]
    caption = ctx.t(
        "Ground-level AEGL-3, -2 and -1 zones of the steady plume for the weather at the "
        "release (solid)" + (", and after the wind shift (dashed)" if shifted else "")
        + ", the initial isolation circle, the arcs closed to vehicles (isolation circle or "
        "AEGL-3 zone), the source and the staging point. Screening estimate: see the model "
        "limits in the overview.",
        "泄漏时气象条件下稳态烟羽的地面AEGL-3、-2、-1区域（实线）"
        + ("及风向突变后的区域（虚线）" if shifted else "")
        + "、初始隔离圈、禁止车辆通行的路段（隔离圈或AEGL-3区域内）、泄漏源和集结点。"
        "为筛查估算，模型适用限制见概况。")
    return Figure("chemical_zones", ctx.t("Threat zones", "威胁区域"), caption, _png(fig),
                  alt=ctx.t("map of the threat zones", "威胁区域地图"))


# ----------------------------------------------------------------------------- sections


def control_value(ctx: ReportContext) -> str:
    """The ``source_control_time`` metric in words; when no crew stopped the leak, how it
    ended instead (the metrics' ``leak_end``)."""
    end = facts(ctx).leak_end
    value = tx.value(ctx.summary.metrics.get("source_control_time", math.nan),
                     METRICS["source_control_time"].unit, ctx.lang)
    if end.how == "source_control":
        return value
    return ctx.t("not stopped by a crew; ", "未由处置人员堵漏；") + leak_end_text(ctx)


def sections(ctx: ReportContext) -> list[Section]:
    m = ctx.summary.metrics
    rows = [[ctx.t(METRICS[k].en, METRICS[k].zh),
             control_value(ctx) if k == "source_control_time" else
             tx.value(m.get(k, math.nan), METRICS[k].unit, ctx.lang)]
            for k in ("hazmat_first_arrival", "source_control_time", "people_above_aegl3",
                      "people_above_aegl2", "people_above_aegl1", "person_minutes_aegl2",
                      "evacuation_time", "responders_exposed") if k in METRICS]
    rows.insert(2, [ctx.t("end of the leak", "泄漏结束"), leak_end_text(ctx)])
    chem = _chem(ctx)
    spec = _spec(ctx)
    paras = [ctx.t(
        f"{chem.name_en} release {spec.id} at {site_label(ctx)}. Zones are recomputed every "
        f"{tx.minutes(spec.step)} for the weather then in force; the hot zone (isolation "
        "circle and AEGL-3 zone) is closed to vehicles. The relief of the evacuees is in "
        "the shelters and relief section.",
        f"{chem.name_zh}泄漏（{spec.id}），地点：{site_label(ctx)}。威胁区域按当时气象每"
        f"{tx.minutes(spec.step, 'zh')}重新计算；热区（初始隔离圈及AEGL-3区域）禁止车辆通行。"
        "疏散人员的生活救助见“转移安置与生活救助”一节。")]
    figs = [f for f in (zones_figure(ctx), exposure_figure(ctx), evacuation_figure(ctx))
            if f is not None]
    return [Section("chemical", ctx.t("Chemical release", "危化品泄漏"), paras,
                    [Table([ctx.t("measure", "指标"), ctx.t("value", "数值")], rows)], figs)]


# ----------------------------------------------------------------------------- explainers


def _largest(ctx: ReportContext, segs: dict[str, float], names: dict) -> tuple[str, str]:
    """The largest segment and a sentence naming it."""
    segs = {k: v for k, v in segs.items() if math.isfinite(v)}
    if not segs:
        return "", ""
    key = max(segs, key=segs.get)
    whole = sum(segs.values()) or 1.0
    en, zh = names[key]
    return key, ctx.t(f"Bottleneck: {en}, the largest segment ({tx.minutes(segs[key])}, "
                      f"{segs[key] / whole:.0%} of the time).",
                      f"瓶颈：{zh}，为最大环节（{tx.minutes(segs[key], 'zh')}，"
                      f"占{segs[key] / whole:.0%}）。")


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
    paras.append(ctx.t(
        f"Hazmat units in the district: {', '.join(staffed) or 'none'} staffed"
        + (f"; {', '.join(unstaffed)} not staffed (no second hazmat crew on duty)"
           if unstaffed else "") + ".",
        f"全区危化品处置车：在岗{'、'.join(staffed) or '无'}"
        + (f"；{'、'.join(unstaffed)}未配备人员（无第二个危化品处置班组值班）" if unstaffed else "")
        + "。"))
    if unit:
        st = ctx.units[unit].station if unit in ctx.units else ""
        paras.append(ctx.t(
            f"First hazmat unit: {unit} ({ctx.station_label(st)})"
            + (", from outside the district (mutual aid)" if aid else "") + ": "
            + ", ".join(f"{RESPONSE_SEGMENTS[k][0]} {tx.minutes(v)}" for k, v in segs.items())
            + ".",
            f"首个危化品处置力量：{unit}（{ctx.station_label(st)}）" + ("，区外增援" if aid else "")
            + "：" + "，".join(f"{RESPONSE_SEGMENTS[k][1]}{tx.minutes(v, 'zh')}"
                              for k, v in segs.items()) + "。"))
    else:
        paras.append(ctx.t("No hazmat-capable unit reached the release in the drill.",
                           "演练中没有危化品处置力量到场。"))
    key, sentence = _largest(ctx, segs, RESPONSE_SEGMENTS)
    if sentence:
        paras.append(sentence)
    actions = []
    if key == "travel" or aid or unstaffed:
        actions.append(draft_action(
            ctx, "Staff a second hazmat crew (or pre-position one when the chemical sites are "
            "at risk) so that the nearest hazmat unit is never more than 15 minutes away.",
            "配齐第二个危化品处置班组（重点化工企业风险升高时前置备勤），确保最近的危化品处置力量"
            "15分钟内可到场。", "hazmat", "mobilisation", obj.id))
    if key in ("processing", "turnout", "queue"):
        actions.append(draft_action(
            ctx, "Dispatch the hazmat unit on the first call from a chemical site (pre-planned "
            "response) and time its turnout in drills.",
            "化工企业报警即按预案一次调派危化品处置车，演练中考核出动准备时间。",
            "hazmat", "mobilisation", obj.id))
    if aid:
        actions.append(draft_action(
            ctx, "Agree hazmat mutual aid with the city fire rescue corps: pre-alert on the "
            "first call and a named staging point.",
            "与市消防救援总队约定危化品增援机制：首次报警即预警，明确集结点。",
            "bureau", "mobilisation", obj.id))
    if not actions:
        actions.append(draft_action(ctx, "Keep the hazmat unit's response plan and drill it each "
                               "year.", "保持危化品处置响应预案并每年演练。", "hazmat",
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
        paras.append(ctx.t(
            "From the call: " + ", ".join(f"{CONTROL_SEGMENTS[k][0]} {tx.minutes(v)}"
                                          for k, v in segs.items()) + ".",
            "自接警起：" + "，".join(f"{CONTROL_SEGMENTS[k][1]}{tx.minutes(v, 'zh')}"
                                    for k, v in segs.items()) + "。"))
    en, zh = leak_end_pair(ctx)
    paras.append(ctx.t(en[0].upper() + en[1:] + ".", zh + "。"))
    if emptied:
        dur = rules.release_duration_s(spec) / 60.0
        paras.append(ctx.t(
            f"The container ran empty ({spec.release.quantity_kg:,.0f} kg at "
            f"{spec.release.rate_kg_min:g} kg/min, {dur:.0f} min) before a crew stopped the "
            "leak: the whole contents were released.",
            f"堵漏前容器已泄空（{spec.release.quantity_kg:,.0f} kg，{spec.release.rate_kg_min:g}"
            f" kg/min，{dur:.0f}分钟），全部物料泄放。"))
    key, sentence = _largest(ctx, segs, CONTROL_SEGMENTS)
    if sentence:
        paras.append(sentence)
    actions = []
    if key == "arrival":
        actions.append(draft_action(
            ctx, "Bring the hazmat unit closer (second crew, pre-positioning) so the leak "
            "team starts sooner.",
            "缩短危化品处置力量到场时间（第二班组、前置备勤），尽早开始堵漏。",
            "hazmat", "mobilisation", obj.id))
    if key in ("ppe", "walk_in"):
        actions.append(draft_action(
            ctx, "Suit up on the way or at arrival in parallel with size-up, and stage as "
            "close to the source as the upwind side allows.",
            "途中或到场侦检的同时穿戴防护装备，集结点在上风向尽量靠近泄漏源。",
            "hazmat", "operations", obj.id))
    actions.append(draft_action(
        ctx, "Keep leak-sealing kits (chlorine container kits, valve caps) and trained "
        "operators at the site, and fit remote shut-off valves so the enterprise can stop "
        "the leak before the fire service arrives.",
        "企业现场配备堵漏器具（氯瓶堵漏工具、阀门帽）和经培训的操作人员，加装紧急切断阀，"
        "使企业在消防到场前即可控制泄漏。", enterprise(ctx), "operations", obj.id))
    if emptied or spec.release.containers_stored > 1:
        actions.append(draft_action(
            ctx, f"Reduce what can leak: fewer containers stored at the site "
            f"({spec.release.containers_stored} now), an emergency absorption (neutralising) "
            "system and an enclosed storage room.",
            f"减少可泄漏量：降低现场储存容器数量（现为{spec.release.containers_stored}个），"
            "设置事故吸收（中和）装置和封闭储存间。", enterprise(ctx), "prevention", obj.id))
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
    early = math.isnan(order) or e.peak_t < order
    when_en = "before" if early else "after"
    when_zh = "前" if early else "后"
    paras.append(ctx.t(
        f"The most people above AEGL-{level} ({e.peak:,.0f}) were at {tx.offset(e.peak_t)}, "
        f"{when_en} the protective-action order at {tx.offset(order)}; person-minutes above "
        f"AEGL-{level}: {e.before:,.0f} before the order, {e.after:,.0f} after.",
        f"超过AEGL-{level}的人数在{tx.offset(e.peak_t)}最多（{e.peak:,.0f}人），"
        f"在{tx.offset(order)}防护行动命令之{when_zh}；超过AEGL-{level}的人·分钟：命令前"
        f"{e.before:,.0f}，命令后{e.after:,.0f}。"))
    paras.append(ctx.t(
        f"People in the AEGL-{level} zone were told to {ACTION_TEXT[action][0]}"
        + (f"; sheltering indoors counts them only where the indoor concentration "
           f"({_spec(ctx).indoor_factor:g} × outdoors) still exceeds the level"
           if action == "shelter_in_place" else
           "; evacuees leave their homes and stop counting once they have left"
           if action == "evacuate" else "") + ".",
        f"AEGL-{level}区域内人员的命令为{ACTION_TEXT[action][1]}"
        + (f"；就地避险者仅在室内浓度（室外的{_spec(ctx).indoor_factor:g}倍）仍超标时计入"
           if action == "shelter_in_place" else "；疏散人员离家后不再计入"
           if action == "evacuate" else "") + "。"))
    actions = []
    if e.before >= e.after:
        paras.append(ctx.t("Most of the exposure happened before the order: the decision "
                           "came too late for the plume's travel time.",
                           "暴露主要发生在命令下达之前：决策晚于烟羽扩散。"))
        actions.append(draft_action(
            ctx, "Order shelter-in-place downwind at once on a confirmed toxic release (a "
            "pre-scripted order sent by cell broadcast), then refine to evacuation.",
            "确认有毒气体泄漏后立即向下风向发布就地避险指令（预制文本，手机短信广播），再视情调整为疏散。",
            "bureau", "protection", obj.id))
    else:
        actions.append(draft_action(
            ctx, "Review the protective action per zone: where sheltering indoors still "
            "leaves people above the level, evacuate early or seal rooms (close windows, "
            "ventilation off).", "复核各区域防护行动：就地避险后仍超标的区域应尽早疏散，"
            "或指导居民密闭门窗、关闭通风。", "subdistricts", "protection", obj.id))
    actions.append(draft_action(
        ctx, "Monitor the plume downwind (mobile detectors) and feed the readings back to the "
        "zone and order decisions.", "在下风向开展移动监测，监测结果实时反馈区域划定和防护决策。",
        "ecology", "monitoring", obj.id))
    actions.append(draft_action(
        ctx, "Prepare poisoning care for the exposed (triage point outside the zones, "
        "designated hospitals warned).",
        "做好中毒人员救治准备（区域外设置检伤分类点，通知定点医院）。",
        "health", "medical", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


def explain_evacuation(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    ev = facts(ctx).evacuation
    paras = [measured_sentence(ctx, res, rating)]
    people = ev.people
    segs = {"walk": ev.walk_s, "wait": ev.wait_s}
    names = {"walk": ("the walk to the shelter", "前往避难场所途中"),
             "wait": ("waiting outside a shelter that was not open yet",
                      "在尚未开放的避难场所外等待")}
    missing = ev.missing
    paras.append(ctx.t(
        f"{people:,} people in {len(ev.groups)} groups were ordered out (order at "
        f"{tx.offset(ev.order)}); the last was admitted at {tx.offset(ev.last_admit)}"
        + (f"; {len(missing)} groups did not all reach a shelter" if missing else "")
        + f". The first shelter opened at {tx.offset(ev.first_open)}.",
        f"{people:,}人（{len(ev.groups)}组）接到撤离命令"
        f"（命令时间{tx.offset(ev.order)}）；"
        f"最后一批于{tx.offset(ev.last_admit)}进入避难场所"
        + (f"；{len(missing)}组未全部到达避难场所" if missing else "")
        + f"。首个避难场所开放时间：{tx.offset(ev.first_open)}。"))
    if ev.later:
        paras.append(ctx.t(
            f"{ev.later:,} of them were ordered out later, as the plume reached new streets.",
            f"其中{ev.later:,}人在烟羽扩展到新的街区后才接到撤离命令。"))
    hours = {k: v / 3600 for k, v in segs.items()}
    total = sum(hours.values())
    key = max(hours, key=hours.get) if total else ""
    if key:
        paras.append(ctx.t(
            f"Bottleneck: {names[key][0]} ({hours[key]:,.0f} person-hours, "
            f"{hours[key] / total:.0%} of the evacuees' time).",
            f"瓶颈：{names[key][1]}（{hours[key]:,.0f}人·小时，"
            f"占疏散用时的{hours[key] / total:.0%}）。"))
    actions = []
    if key == "wait":
        actions.append(draft_action(
            ctx, "Open the shelters with the evacuation order (managers on call, keys and "
            "set-up kits at the shelter), not when the evacuees arrive.",
            "避难场所随疏散命令同步开放（负责人待命，钥匙和开设物资放在场所），而非等群众到达后再开放。",
            "subdistricts", "shelter", obj.id))
        actions.append(draft_action(
            ctx, "Name the shelters for a toxic release in advance: upwind and outside every "
            "zone, with the order to open given by the command post.",
            "预先确定有毒气体泄漏的避难场所（上风向、所有威胁区域之外），由现场指挥部下达开放指令。",
            "bureau", "shelter", obj.id))
    else:
        actions.append(draft_action(
            ctx, "Shorter evacuation routes: buses for the residents farthest from a shelter, "
            "grid workers guiding each building out crosswind.",
            "缩短疏散路程：为距避难场所较远的居民安排车辆，网格员按楼栋引导群众沿侧风方向撤离。",
            "subdistricts", "shelter", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


def explain_responders(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    recs = facts(ctx).responders
    shifts = _mine(ctx, "wind_shift")
    paras = [measured_sentence(ctx, res, rating)]
    stg = staging_node(ctx)
    if recs:
        paras.append(ctx.t(
            "Crews that arrived at a staging point inside the AEGL-2 zone: " + ", ".join(
                f"{r.unit} ({r.crew} crew) at {tx.offset(r.t)}"
                for r in recs) + f"; staging point {ctx.node_label(stg)}.",
            "在AEGL-2区域内集结的班组：" + "，".join(
                f"{r.unit}（{r.crew}人，{tx.offset(r.t)}）"
                for r in recs) + f"；集结点：{ctx.node_label(stg)}。"))
    if shifts:
        caught = [r for r in recs if r.t >= shifts[0].t]
        paras.append(ctx.t(
            f"The wind shifted at {tx.offset(shifts[0].t)} (now from "
            f"{shifts[0].data['wind_from_deg']:g}°); {len(caught)} of the "
            "exposures came after it: the staging point chosen upwind of the first plume was "
            "not moved when the wind turned.",
            f"{tx.offset(shifts[0].t)}风向突变（转为"
            f"{shifts[0].data['wind_from_deg']:g}°方向来风）；"
            f"其中{len(caught)}次暴露发生在风向突变之后：按最初烟羽选定的上风向集结点在风向变化后未转移。"))
    actions = [
        draft_action(
            ctx, "Re-assess the zones and move the staging point and cordons at every wind "
                "change (a weather watch at the command post, a standing order to re-stage).",
                "每次风向变化即重新研判威胁区域，转移集结点和警戒线（现场指挥部设气象观测岗，明确重新集结的规定）。",
                "hazmat", "safety", obj.id),
        draft_action(ctx, "Put gas detectors at the staging point and report the wind to the "
                "command post from the meteorological bureau every 15 minutes.",
                "集结点设置气体检测仪，气象部门每15分钟向现场指挥部报告风向风速。",
                "ecology", "monitoring", obj.id),
        draft_action(ctx, "Check every responder who staged in the zone (poisoning symptoms, "
                "oxygen, follow-up).", "对在区域内集结的救援人员进行中毒症状检查、吸氧和随访。",
                "health", "medical", obj.id),
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


# ----------------------------------------------------------------------------- strengths


def strengths(ctx: ReportContext) -> list[str]:
    m = ctx.summary.metrics
    out = []
    end = facts(ctx).leak_end
    if end.how == "source_control":
        en, zh = leak_end_pair(ctx)
        out.append(ctx.t(en[0].upper() + en[1:] + ", before the container ran empty.",
                         zh + "，容器未泄空。"))
    if m.get("responders_exposed", math.nan) == 0:
        out.append(ctx.t("No responder staged inside the AEGL-2 zone.",
                         "没有救援人员在AEGL-2区域内集结。"))
    if m.get("people_above_aegl3", math.nan) == 0:
        out.append(ctx.t("Nobody was exposed above AEGL-3.", "无人暴露于AEGL-3以上浓度。"))
    ev = facts(ctx).evacuation
    if ev.groups and not ev.missing:
        out.append(ctx.t(f"Every one of the {ev.people:,} evacuees reached a shelter.",
                         f"{ev.people:,}名疏散群众全部进入避难场所。"))
    return out


def applies(ctx: ReportContext) -> bool:
    return ctx.scenario.chemical is not None


PART = register(HazardPart(
    key="chemical", name_en="hazardous-chemical release", name_zh="危险化学品泄漏",
    applies=applies, overview=overview_tables, map_layer=map_layer, sections=sections,
    strengths=strengths, explainers=EXPLAINERS))
