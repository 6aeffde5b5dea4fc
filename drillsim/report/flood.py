"""The rainstorm part of the report: water, roads, shelters, relief, warning, teams.

This module only presents. Every figure it states is computed in :mod:`drillsim.metrics`:
points, depths, closures and pumps in :mod:`drillsim.metrics.waterlogging`; shelters,
depots, the relief curve and the relief bottleneck (person-hours of waiting by cause) in
:mod:`drillsim.metrics.relief`; team mobilisation in :mod:`drillsim.metrics.teams`; the
warning in :mod:`drillsim.metrics.warning`. The vehicle depth limits are
:data:`drillsim.hazards.pluvial_flood.DEPTH_LIMIT_M`; the arcs a waterlogging point floods
are :func:`drillsim.agents.waterlogging.point_edges`, the same function the engine uses.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from drillsim.metrics import relief as rm
from drillsim.metrics import teams as tm_
from drillsim.metrics import warning as wm
from drillsim.metrics import waterlogging as wl
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.rescue import rescue_calls
from drillsim.metrics.waterlogging import CAR_LIMIT_M, TRUCK_LIMIT_M
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.figures import png, pyplot, style_axes, thicken, time_axis
from drillsim.report.findings import (
    draft_action,
    finding_title,
    measured_sentence,
)
from drillsim.report.registry import Figure, Finding, HazardPart, Section, Table, register

TEAM_OWNER = {"blue_star": "bluestar", "civil_air_defence": "air", "city_management": "citymgmt"}
# relief bottleneck cause -> [(action en, action zh, owner, capability)]
CAUSE_ACTIONS = {
    "mobilisation": [
        ("Open shelters sooner: named shelter managers on call, keys and set-up kits at the "
         "shelter, the order to open given with the rainstorm warning, not at the flooding.",
         "提前开放避难场所：明确场所负责人并24小时待命，钥匙和开设物资放在场所，"
         "随暴雨预警下达开放指令，而非等到积水发生。", "subdistricts", "shelter"),
        ("Activate the flood response (teams, shelters) at the orange warning.",
         "橙色预警即启动防汛应急响应（队伍集结、场所开放）。", "hq", "mobilisation")],
    "shelter_space": [
        ("Add emergency shelter places near the low-lying compounds (schools, gyms) and agree "
         "their use in advance.",
         "在低洼小区附近增设应急避难场所（学校、体育馆）并事先签订使用协议。",
         "bureau", "shelter")],
    "roads": [
        ("Send mobile pumps first to the points on the relief and evacuation routes; pre-plan "
         "high-ground routes from the depots to every shelter.",
         "移动泵车优先保障救灾物资运输和转移路线上的积水点；预设各物资库至各避难场所的高地路线。",
         "citymgmt", "traffic"),
        ("Close flooded roads early and guide evacuees and trucks along the pre-planned routes.",
         "及早封闭积水道路，引导群众和运输车辆按预设路线通行。", "hq", "traffic")],
    "stock": [
        ("Keep the depot stock at the plan level (regular stock checks), and sign agreements "
         "with enterprises for water and food delivered within hours; ask the city for "
         "replenishment when the warning is issued.",
         "按预案标准保持储备（定期盘点），与企业签订数小时内供应饮用水和食品的协议储备；"
         "发布预警时即向市级申请调拨补充。", "civil", "resources")],
    "trucks": [
        ("More relief trucks when the storm comes: contracted logistics firms and trucks of "
         "other departments on call.",
         "增加应急运输力量：与物流企业签订运力协议，协调其他部门车辆待命。",
         "civil", "resources")],
}


# ----------------------------------------------------------------------------- data


def dur(seconds: float, lang: str = "en") -> str:
    """A duration in minutes, or in hours from two hours on."""
    if seconds is None or not math.isfinite(seconds) or seconds < 7200:
        return tx.minutes(seconds, lang)
    return f"{seconds / 3600:.1f} 小时" if lang == "zh" else f"{seconds / 3600:.1f} h"


def _cached(ctx: ReportContext, key: str, fn):
    store = ctx.extra.setdefault("flood", {})
    if key not in store:
        store[key] = fn()
    return store[key]


def ration_text(ctx: ReportContext) -> str:
    """The drill's ration per person (``relief.ration``), e.g. ``water_l 3, food_ration 1``."""
    return ", ".join(f"{k} {v:g}" for k, v in ctx.scenario.relief.ration.items())


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
    """Short name for figures: Chinese name in zh, English in en (id as fallback)."""
    p = ctx.world.places.get(spec.location.place) if spec.location.place else None
    zh = spec.name_zh or (p.name_zh if p is not None else "")
    en = spec.name_en or (getattr(p, "name_en", "") if p is not None else "")
    return ctx.t(en, zh) or spec.id


def place_short(ctx: ReportContext, place_id: str) -> str:
    p = ctx.world.places.get(place_id)
    if p is None:
        return place_id
    return ctx.t(getattr(p, "name_en", ""), p.name_zh) or place_id


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
        from drillsim.agents.waterlogging import point_edges

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
        return ctx.t("no", "否")
    return ", ".join(f"{tx.offset(a)}–{tx.offset(b) if math.isfinite(b) else ctx.t('end', '结束')}"
                     for a, b in spans)


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


def team_label(ctx: ReportContext, team) -> str:
    return f"{team.name_zh} {team.name_en}".strip() or team.id


# ----------------------------------------------------------------------------- overview


def overview_tables(ctx: ReportContext) -> list[Table]:
    out = []
    pts = points(ctx)
    if pts:
        rows, classes = [], []
        for p in pts.values():
            m = p.m
            rows.append([point_label(ctx, p.spec), f"{m.peak_m:.2f} m", tx.offset(m.peak_at),
                         _span_text(ctx, m.closed_to_cars), _span_text(ctx, m.closed_to_trucks),
                         str(len(p.edges)), str(m.pumps_sent), str(m.displaced)])
            classes.append("bad" if m.peak_m >= TRUCK_LIMIT_M else "")
        car, truck = limit_text(CAR_LIMIT_M), limit_text(TRUCK_LIMIT_M)
        out.append(Table(
            [ctx.t("waterlogging point", "积水点"), ctx.t("peak depth", "最大水深"),
             ctx.t("at", "出现时间"), ctx.t(f"closed to cars (≥ {car})", f"小汽车断行（≥{car}）"),
             ctx.t(f"closed to trucks / fire engines (≥ {truck})", f"货车/消防车断行（≥{truck}）"),
             ctx.t("road arcs", "受控路段数"), ctx.t("pumps sent", "调派泵车"),
             ctx.t("residents displaced", "转移居民")], rows,
            ctx.t("Waterlogging points (drill times); rows closed to fire engines in red.",
                  "积水点（演练时间）；消防车无法通行的行标红。"), classes))
    sh = shelters(ctx)
    if sh:
        rows, classes = [], []
        for s in sh:
            m = s.m
            rows.append([named(ctx, s.spec), str(s.capacity), tx.offset(m.opened_at),
                         str(m.admitted),
                         f"{m.relieved_in_target} ({m.share_in_target:.0%})" if m.admitted
                         else "—",
                         tx.minutes(m.t95_s, ctx.lang), tx.minutes(m.t100_s, ctx.lang),
                         _lacks(ctx, s.spec.lacks)])
            classes.append("bad" if m.admitted and m.relieved_in_target < m.admitted else "")
        target = ctx.scenario.relief.target
        out.append(Table(
            [ctx.t("shelter", "避难场所"), ctx.t("capacity", "容量"), ctx.t("opened", "开放"),
             ctx.t("admitted", "安置人数"),
             ctx.t(f"relieved within {tx.minutes(target)}", f"{tx.minutes(target, 'zh')}内救助"),
             "t95", "t100", ctx.t("lacks", "欠缺")], rows,
            ctx.t("Shelters: t95/t100 on the relief clock; rows with people relieved late in red.",
                  "避难场所：t95/t100按救助计时口径；有人员超时救助的行标红。"), classes))
    if ctx.scenario.forces.depots:
        rows = []
        dm = depots(ctx)
        for dep in ctx.scenario.forces.depots:
            m = dm[dep.id]
            sizes = ", ".join(f"{t.capacity_kg / 1000:g} t" for t in dep.trucks)
            outs = "; ".join(f"{tx.offset(e.t)} ({', '.join(e.items)})" for e in m.stock_outs)
            rows.append([named(ctx, dep), ", ".join(f"{k} {v:g}" for k, v in m.initial.items()),
                         f"{len(dep.trucks)} × {sizes}" if dep.trucks else "—",
                         str(m.loads), outs or "—",
                         ", ".join(f"{k} {v:g}" for k, v in m.final.items())])
        out.append(Table(
            [ctx.t("depot", "物资库"), ctx.t("initial stock", "初始库存"),
             ctx.t("trucks", "车辆"), ctx.t("loads", "装车次数"),
             ctx.t("stock-outs", "缺货"), ctx.t("stock at the end", "结束时库存")], rows,
            ctx.t("Relief depots.", "救灾物资库。")))
    tm = teams(ctx)
    if tm:
        rows, classes = [], []
        for spec, m in tm:
            units = ", ".join(f"{k} {m.fielded.get(k, 0)}/{n}" for k, n in m.planned.items())
            shared = ", ".join(f"{k} {n}" for k, n in m.shared.items()) or "—"
            rows.append([team_label(ctx, spec), str(spec.members), shared,
                         tx.offset(m.assembled_at), tx.minutes(m.assembly_s, ctx.lang), units,
                         "—" if m.free_members is None else str(m.free_members)])
            classes.append("bad" if m.short else "")
        out.append(Table(
            [ctx.t("team", "队伍"), ctx.t("members", "人数"),
             ctx.t("members shared with", "与其他队伍重叠人员"), ctx.t("assembled", "集结完毕"),
             ctx.t("mobilisation", "集结用时"), ctx.t("units fielded / planned", "出动编组/计划"),
             ctx.t("members left", "剩余人员")], rows,
            ctx.t("Teams: a member on two rosters serves in the first team to assemble; rows "
                  "that fielded fewer units than planned in red.",
                  "应急队伍：在两支队伍名册上的人员只能在先集结的队伍出勤；出动编组少于计划的行标红。"),
            classes))
    b = bottleneck(ctx)
    if b["person_hours"]:
        rows, classes = [], []
        for k, v in sorted(b["person_hours"].items(), key=lambda kv: -kv[1]):
            en, zh, meaning_en, meaning_zh = rm.BOTTLENECKS.get(k, (k, k, "", ""))
            share = f"{b['share'][k]:.0%}" if k in b["share"] else "—"
            rows.append([ctx.t(en, zh), f"{v:,.0f}", share, ctx.t(meaning_en, meaning_zh)])
            classes.append("bad" if k == b["bottleneck"] else "")
        items = ", ".join(b["stock_out_items"]) or ctx.t("none", "无")
        name = rm.BOTTLENECKS.get(b["bottleneck"], ("—", "—", "", ""))
        out.append(Table(
            [ctx.t("cause", "原因"), ctx.t("person-hours", "人·小时"), ctx.t("share", "占比"),
             ctx.t("meaning", "含义")], rows,
            ctx.t(f"Waiting for relief by cause (person-hours over the drill); bottleneck: "
                  f"{name[0]}; items that ran out: {items}.",
                  f"按原因统计的等待救助人·小时；瓶颈：{name[1]}；缺货物资：{items}。"), classes))
    return out


# ----------------------------------------------------------------------------- map


def map_layer(ctx: ReportContext, ax, handles: list) -> None:
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    from drillsim.fonts import text_effects

    pts = points(ctx)
    if not pts:
        return
    net = ctx.world.network
    for limit, colour, lw, label in (
            (CAR_LIMIT_M, "#00acc1", 3.5, "积水断行（小汽车）closed to cars at the peak"),
            (TRUCK_LIMIT_M, "#d81b60", 4.5,
             "积水断行（货车、消防车）closed to trucks and fire engines")):
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
    ax.scatter(net.lon[[p.node for p in shown]], net.lat[[p.node for p in shown]],
               s=40 + 260 * np.clip(peaks, 0, 1.5), c=colours, marker="o", alpha=0.85,
               edgecolors="#1b2631", linewidths=0.8, zorder=8)
    placed: list[tuple[float, float]] = []
    for i in sorted(shown, key=lambda p: -net.lat[p.node]):
        x, y = float(net.lon[i.node]), float(net.lat[i.node])
        near = sum(abs(x - a) < 0.02 and abs(y - b) < 0.004 for a, b in placed)
        placed.append((x, y))
        ax.annotate(f"{short_point(ctx, i.spec)} {i.m.peak_m:.2f} m",
                    (x, y), xytext=(8, 6 - 13 * near),
                    textcoords="offset points", fontsize=7.5, color="#1b4f72", zorder=9,
                    path_effects=text_effects("#1b4f72"))
    handles.append(Line2D([], [], marker="o", color="#3498db", ls="", markersize=8,
                          markeredgecolor="#1b2631",
                          label="积水点（大小、颜色为最大水深）waterlogging point, by peak depth"))


# ----------------------------------------------------------------------------- figures


def _png(fig) -> bytes:
    """PNG bytes, with the thin CJK glyphs of every text and annotation given weight."""
    for ax in fig.axes:
        thicken(*ax.texts)
    return png(fig)


def _hours_axis(ax, ctx: ReportContext, label_en: str, label_zh: str) -> None:
    ax.set_xlabel(ctx.t(label_en, label_zh))
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)


def depth_figure(ctx: ReportContext) -> Figure | None:
    pts = points(ctx)
    if not pts or not any(p.m.times_s for p in pts.values()):
        return None
    plt = pyplot()
    fig, (ax0, ax1) = plt.subplots(2, 1, figsize=(11, 6.2), sharex=True,
                                   gridspec_kw={"height_ratios": [1, 2.6]})
    rain_t, rain_mm_h = wl.rain_curve(ctx.result)
    step = ctx.scenario.flood.step
    if rain_t.size:
        ax0.bar((rain_t - step) / 60, rain_mm_h, width=step / 60,
                align="edge", color="#5dade2", edgecolor="none")
    ax0.set_ylabel(ctx.t("rain, mm/h", "雨强 mm/h"))
    ax0.set_title(ctx.t("Rain and water depth at the waterlogging points",
                        "降雨过程与各积水点水深"), fontsize=10)
    t_max = max(ctx.scenario.duration, ctx.end_time)
    cmap = plt.get_cmap("tab10")
    for k, p in enumerate(pts.values()):
        if p.m.times_s:
            ax1.plot(np.asarray(p.m.times_s) / 60, p.m.depths_m, color=cmap(k % 10), lw=1.6,
                     label=f"{short_point(ctx, p.spec)} ({p.m.peak_m:.2f} m)")
    car, truck = limit_text(CAR_LIMIT_M), limit_text(TRUCK_LIMIT_M)
    for y, colour, en, zh in ((CAR_LIMIT_M, "#e67e22", f"{car}: cars stop", f"{car}：小汽车断行"),
                              (TRUCK_LIMIT_M, "#922b21", f"{truck}: trucks and fire engines stop",
                               f"{truck}：货车、消防车断行")):
        ax1.axhline(y, color=colour, ls="--", lw=1.2)
        ax1.text(0.995, y, ctx.t(en, zh), color=colour, fontsize=8, ha="right", va="bottom",
                 transform=ax1.get_yaxis_transform())
    for e in wl.pump_station_events(ctx.result):
        where = short_point(ctx, pts[e.point].spec) if e.point in pts else e.point
        ax1.axvline(e.t / 60, color="#7d3c98", ls=":", lw=1)
        ax1.text(e.t / 60, 0.98, ctx.t(" pump station failed" if e.failed
                                       else " pump station restored",
                                       " 泵站故障" if e.failed else " 泵站恢复") + f" ({where})",
                 color="#7d3c98", fontsize=7, va="top", rotation=90,
                 transform=ax1.get_xaxis_transform())
    ax1.set_ylabel(ctx.t("water depth, m", "水深 m"))
    ax1.set_xlim(0, t_max / 60)
    ax1.set_ylim(bottom=0)
    time_axis(ctx, ax1, t_max)
    ax1.tick_params(axis="x", labelsize=7)
    lg = ax1.legend(fontsize=7, loc="upper right", bbox_to_anchor=(1.0, 0.9))
    thicken(*lg.get_texts())
    for ax in (ax0, ax1):
        ax.grid(color="#eaeded", lw=0.6)
        ax.set_axisbelow(True)
        style_axes(ax)
    caption = ctx.t(
        "Top: rain intensity (mean over each hydrology step). Bottom: water depth at each "
        f"waterlogging point (peak in the legend); dashed lines: {car}, where cars stop "
        f"(Pregnolato et al. 2017), and {truck}, where trucks and fire engines stop; dotted "
        "lines: pump-station injects.",
        f"上：雨强（各计算步长内平均值）。下：各积水点水深（图例中为最大水深）；虚线为{car}"
        f"（小汽车无法通行）和{truck}（货车、消防车无法通行）；点线为泵站故障/恢复注入。")
    return Figure("flood_depth", ctx.t("Rain and water depth", "降雨与积水深度"), caption,
                  _png(fig), alt=ctx.t("water depth over time", "积水深度随时间变化"))


def relief_figure(ctx: ReportContext) -> Figure | None:
    t, share = rm.relief_curve(ctx.result)
    if not t.size:
        return None
    plt = pyplot()
    target = ctx.scenario.relief.target
    m = ctx.summary.metrics
    fig, ax = plt.subplots(figsize=(10, 4.2))
    t_end = max(float(t[-1]), target * 1.15) / 3600
    ax.step(np.append(t / 3600, t_end), np.append(share, share[-1]) * 100, where="post",
            color="#1e8449", lw=2)
    ax.axvline(target / 3600, color="#c0392b", ls="--", lw=1.5)
    ax.text(target / 3600, 0.03,
        ctx.t(f" {target / 3600:g} h target", f" {target / 3600:g}小时目标"),
            color="#c0392b", fontsize=8, transform=ax.get_xaxis_transform())
    ax.axhline(100, color="#aab7b8", lw=0.8)
    s10 = m.get("relief_share_10h", math.nan)
    if math.isfinite(s10):
        ax.plot([target / 3600], [s10 * 100], marker="o", color="#c0392b", zorder=5)
        ax.annotate(f"{s10:.0%}", (target / 3600, s10 * 100), xytext=(6, -12),
                    textcoords="offset points", color="#c0392b", fontsize=9)
    ax.set_ylim(0, 105)
    ax.set_xlim(0, t_end)
    ax.set_ylabel(ctx.t("share of displaced people relieved, %", "得到救助的受灾人员比例 %"))
    clock = ctx.t("disaster onset", "灾害发生") if rm.relief_clock(ctx.result) == "onset" \
        else ctx.t("leaving home", "离家")
    _hours_axis(ax, ctx, f"hours since the {clock}", f"自{clock}起的小时数")
    ax.set_title(ctx.t(f"Relief of displaced people (t95 {tx.value(m.get('relief_t95'), 'seconds')}"
                       f", t100 {tx.value(m.get('relief_t100'), 'seconds')})",
                       f"受灾人员基本生活救助进度"
                       f"（t95 {tx.value(m.get('relief_t95'), 'seconds', 'zh')}"
                       f"，t100 {tx.value(m.get('relief_t100'), 'seconds', 'zh')}）"), fontsize=10)
    style_axes(ax)
    ration = ration_text(ctx)
    caption = ctx.t(
        f"Share of displaced people whose first basic-needs ration ({ration} per person) had "
        f"reached them, against hours on the relief clock; the dashed line is the "
        f"{target / 3600:g}-hour target (indicator 8; 14th five-year national "
        "disaster-reduction plan).",
        f"按救助计时口径，首份基本生活物资（每人{ration}）送达的受灾人员比例；"
        f"虚线为{target / 3600:g}小时目标（指标8，“十四五”国家综合防灾减灾规划）。")
    return Figure("relief_curve", ctx.t("Relief curve", "救助进度曲线"), caption, _png(fig),
                  alt=ctx.t("share relieved over time", "救助比例随时间变化"))


def warning_figure(ctx: ReportContext) -> Figure | None:
    t, share = wm.warning_curve(ctx.result)
    spec = ctx.scenario.warning
    if not t.size or spec is None:
        return None
    plt = pyplot()
    m = ctx.summary.metrics
    fig, ax = plt.subplots(figsize=(10, 4.0))
    ax.plot(t / 3600, share * 100, color="#2471a3", lw=2)
    ax.axhline(spec.target * 100, color="#c0392b", ls="--", lw=1.5)
    ax.text(0.995, spec.target * 100 - 1.5,
            ctx.t(f"{spec.target:.0%} target", f"{spec.target:.0%}目标"),
            color="#c0392b", fontsize=8, ha="right", va="top",
            transform=ax.get_yaxis_transform())
    ax.axvline(1.0, color="#7f8c8d", ls=":", lw=1)
    s1 = m.get("warning_share_1h", math.nan)
    if math.isfinite(s1):
        ax.plot([1.0], [s1 * 100], marker="o", color="#2471a3")
        ax.annotate(ctx.t(f"1 h: {s1:.0%}", f"1小时：{s1:.0%}"), (1.0, s1 * 100),
                    xytext=(6, -14), textcoords="offset points", fontsize=9, color="#2471a3")
    t95 = m.get("warning_t95", math.nan)
    if math.isfinite(t95):
        ax.axvline(t95 / 3600, color="#c0392b", ls=":", lw=1)
        ax.annotate(ctx.t(f"{spec.target:.0%} at {dur(t95)}",
                          f"{dur(t95, 'zh')}达到{spec.target:.0%}"),
                    (t95 / 3600, spec.target * 100), xytext=(6, -28),
                    textcoords="offset points", fontsize=9, color="#c0392b")
    ax.set_ylim(0, 102)
    ax.set_xlim(0, max(float(t[-1]), 1.2) / 3600 if t[-1] > 3600 else 1.2)
    ax.set_ylabel(ctx.t("share of the public warned, %", "收到预警的公众比例 %"))
    _hours_axis(ax, ctx, "hours after the decision to warn", "自决定发布预警起的小时数")
    ax.set_title(ctx.t("Public warning coverage", "预警信息覆盖率"), fontsize=10)
    style_axes(ax)
    names = ", ".join(c.name for c in _channels(ctx).channels)
    caption = ctx.t(
        f"Share of the public reached by at least one channel ({names}), channels taken as "
        "independent; dashed line: the 95 % target (indicator 7).",
        f"至少被一种渠道（{names}）覆盖的公众比例（各渠道视为相互独立）；虚线为95%目标（指标7）。")
    return Figure("warning", ctx.t("Warning coverage", "预警覆盖"), caption, _png(fig),
                  alt=ctx.t("warning coverage over time", "预警覆盖率随时间变化"))


def shelter_figure(ctx: ReportContext) -> Figure | None:
    sh = [s for s in shelters(ctx) if s.m.admitted]
    if not sh:
        return None
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(10, 4.2))
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
        ax.step(np.asarray(ts) / 60, occ, where="post", color=cmap(k % 10), lw=1.8,
                label=ctx.t(f"{place_short(ctx, sid)} (capacity {s.capacity:,})",
                            f"{place_short(ctx, sid)}（容量{s.capacity:,}）"))
        if math.isfinite(s.m.opened_at):
            ax.plot([s.m.opened_at / 60], [0], marker="^", color=cmap(k % 10), ms=8,
                    clip_on=False, zorder=5)
    for k, s in enumerate(sh):
        if s.capacity <= 1.5 * max(top, 1):
            ax.axhline(s.capacity, color=cmap(k % 10), ls="--", lw=1)
    ax.set_xlim(0, t_max / 60)
    ax.set_ylim(bottom=0)
    time_axis(ctx, ax, t_max)
    ax.tick_params(axis="x", labelsize=7)
    ax.set_ylabel(ctx.t("people admitted", "安置人数"))
    ax.grid(color="#eaeded", lw=0.6)
    ax.set_axisbelow(True)
    lg = ax.legend(fontsize=7, loc="upper left")
    thicken(*lg.get_texts())
    ax.set_title(ctx.t("Shelter occupancy", "避难场所安置人数"), fontsize=10)
    style_axes(ax)
    caption = ctx.t(
        "People admitted at each shelter over time (capacity in the legend; dashed line when "
        "it is within the chart); triangles mark when each shelter opened.",
        "各避难场所安置人数随时间变化（图例中为容量，容量在图幅内时以虚线表示）；三角为场所开放时刻。")
    return Figure("shelters", ctx.t("Shelter occupancy", "避难场所安置"), caption, _png(fig),
                  alt=ctx.t("shelter occupancy over time", "避难场所安置人数随时间变化"))


def stock_figure(ctx: ReportContext) -> Figure | None:
    dm = depots(ctx)
    ration = ctx.scenario.relief.ration
    shown = [d for d in ctx.scenario.forces.depots if dm[d.id].levels]
    if not shown:
        return None
    plt = pyplot()
    t_max = max(ctx.scenario.duration, ctx.end_time)
    fig, axes = plt.subplots(len(shown), 1, figsize=(10, 2.6 * len(shown) + 0.8),
                             sharex=True, squeeze=False)
    cmap = plt.get_cmap("tab10")
    items = sorted({k for d in shown for k in dm[d.id].levels})
    for ax, dep in zip(axes[:, 0], shown, strict=True):
        for k, item in enumerate(items):
            series = dm[dep.id].levels.get(item)
            if not series or (item not in ration and len(series) == 1):
                continue
            ts = [s[0] for s in series] + [t_max]
            vs = [s[1] for s in series] + [series[-1][1]]
            ax.step(np.asarray(ts) / 60, vs, where="post", color=cmap(k % 10), lw=1.6,
                    label=item)
        for e in dm[dep.id].events:
            colour = {"stock_out": "#c0392b", "replenish": "#1e8449",
                      "stock_change": "#7d3c98"}[e.kind]
            ax.axvline(e.t / 60, color=colour, ls=":", lw=1)
            ax.text(e.t / 60, 0.97, " " + ctx.t(*{
                "stock_out": ("stock-out", "缺货"), "replenish": ("replenished", "补充"),
                "stock_change": ("stock change", "库存变化")}[e.kind]),
                color=colour, fontsize=7, va="top", transform=ax.get_xaxis_transform())
        ax.set_ylim(bottom=0)
        ax.set_title(place_short(ctx, dep.id) if ctx.world.places.get(dep.id)
                     else ctx.t(dep.name_en, dep.name_zh) or dep.id, fontsize=9)
        ax.set_ylabel(ctx.t("stock", "库存"))
        ax.grid(color="#eaeded", lw=0.6)
        ax.set_axisbelow(True)
        lg = ax.legend(fontsize=7, loc="upper right", bbox_to_anchor=(1.0, 0.85))
        thicken(*lg.get_texts())
        style_axes(ax)
    last = axes[-1, 0]
    last.set_xlim(0, t_max / 60)
    time_axis(ctx, last, t_max)
    last.tick_params(axis="x", labelsize=7)
    thicken(last.xaxis.label)
    caption = ctx.t(
        "Stock of each depot by item (ration items, and any other item that changed): "
        "initial stock from the drill file, less truck loads, plus replenishment and stock "
        "injects; dotted lines mark stock-outs, replenishment and stock changes.",
        "各物资库分品类库存（救助物资及有变化的其他物资）：初始库存取自演练文件，减去装车量，"
        "加上补充及库存注入；点线为缺货、补充和库存变化时刻。")
    return Figure("depot_stock", ctx.t("Depot stock", "物资库存"), caption, _png(fig),
                  alt=ctx.t("depot stock over time", "物资库存随时间变化"))


# ----------------------------------------------------------------------------- sections


def sections(ctx: ReportContext) -> list[Section]:
    m = ctx.summary.metrics
    out = []
    if ctx.scenario.flood is not None:
        pts = points(ctx)
        car = [point_label(ctx, p.spec) for p in pts.values() if p.m.closed_to_cars]
        truck = [point_label(ctx, p.spec) for p in pts.values() if p.m.closed_to_trucks]
        paras = [ctx.t(
            f"{len(pts)} waterlogging points; {len(car)} closed to cars"
            + (f" ({', '.join(car)})" if car else "") + f", {len(truck)} to trucks and fire "
            "engines" + (f" ({', '.join(truck)})" if truck else "") + ".",
            f"积水点{len(pts)}处；小汽车断行{len(car)}处" + (f"（{'、'.join(car)}）" if car else "")
            + f"，货车和消防车断行{len(truck)}处" + (f"（{'、'.join(truck)}）" if truck else "")
            + "。")]
        figs = [f for f in (depth_figure(ctx),) if f is not None]
        out.append(Section("flood", ctx.t("Rainstorm: water and roads", "暴雨：积水与道路"),
                           paras, [], figs))
    if ctx.scenario.forces.shelters:
        b = bottleneck(ctx)
        name = rm.BOTTLENECKS.get(b["bottleneck"], ("—", "—", "", ""))
        rows = [[ctx.t(METRICS[k].en, METRICS[k].zh),
                 tx.value(m.get(k, math.nan), METRICS[k].unit, ctx.lang)]
                for k in ("people_displaced", "people_unsheltered", "relief_share_10h",
                          "relief_t95", "relief_t100") if k in METRICS]
        paras = [ctx.t(
            f"The relief clock starts at the {_clock_from(ctx)}; a person is relieved when "
            "admitted to a shelter and their first ration has arrived there. The largest "
            f"avoidable wait was {name[0]}.",
            f"救助计时自{_clock_from(ctx)}起算；人员进入避难场所且首份基本生活物资送达即视为得到救助。"
            f"可避免等待中最大的一项为{name[1]}。")]
        figs = [f for f in (relief_figure(ctx), shelter_figure(ctx), stock_figure(ctx))
                if f is not None]
        out.append(Section("relief", ctx.t("Shelters and relief", "转移安置与生活救助"), paras,
                           [Table([ctx.t("measure", "指标"), ctx.t("value", "数值")], rows)],
                           figs))
    if ctx.scenario.warning is not None:
        paras = [_warning_sentence(ctx)]
        figs = [f for f in (warning_figure(ctx),) if f is not None]
        rows = [[c.name, f"{c.reach:.0%}", tx.minutes(c.first_s, ctx.lang),
                 dur(c.full_s, ctx.lang)] for c in _channels(ctx).channels]
        out.append(Section("warning", ctx.t("Public warning", "预警信息发布"), paras,
                           [Table([ctx.t("channel", "渠道"), ctx.t("reach", "覆盖上限"),
                                   ctx.t("first people reached", "开始覆盖"),
                                   ctx.t("full reach", "达到上限")], rows,
                                  ctx.t("Times after the decision to warn.",
                                        "时间自决定发布预警起算。"))], figs))
    return out


def _clock_from(ctx: ReportContext) -> str:
    if rm.relief_clock(ctx.result) == "onset":
        return ctx.t("disaster onset", "灾害发生时")
    return ctx.t("moment each person left home", "每人离家时")


def _channels(ctx: ReportContext) -> wm.WarningChannels:
    """The warning channels (:func:`drillsim.metrics.warning.warning_channels`)."""
    def build():
        found = wm.warning_channels(ctx.result)
        return found if found is not None else wm.WarningChannels(math.nan, (), 0.0, None)
    return _cached(ctx, "channels", build)


def _warning_sentence(ctx: ReportContext) -> str:
    m = ctx.summary.metrics
    spec = ctx.scenario.warning
    issued = wm.warning_issued_at(ctx.result)
    t95 = m.get("warning_t95", math.nan)
    return ctx.t(
        f"Warning decided at {tx.offset(issued)} ({tx.clock(ctx.scenario.start, issued)}); "
        f"{tx.value(m.get('warning_share_1h', math.nan), 'share')} of the public warned within "
        f"an hour; {spec.target:.0%} reached "
        + (f"after {dur(t95)}." if math.isfinite(t95) else "never during the drill."),
        f"{tx.offset(issued)}（{tx.clock(ctx.scenario.start, issued)}）决定发布预警；1小时内覆盖"
        f"{tx.value(m.get('warning_share_1h', math.nan), 'share')}的公众；"
        + (f"{dur(t95, 'zh')}后达到{spec.target:.0%}。" if math.isfinite(t95)
           else f"演练期间未达到{spec.target:.0%}。"))


# ----------------------------------------------------------------------------- explainers


def explain_relief(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    b = bottleneck(ctx)
    hours = b["person_hours"]
    paras = [measured_sentence(ctx, res, rating)]
    name = b["bottleneck"]
    avoidable = b["avoidable_share"]
    if name:
        en, zh, meaning_en, meaning_zh = rm.BOTTLENECKS[name]
        paras.append(ctx.t(
            f"Bottleneck: {en} — {hours[name]:,.0f} person-hours of waiting "
            f"({avoidable[name]:.0%} of the avoidable waiting): {meaning_en}.",
            f"瓶颈：{zh}——等待{hours[name]:,.0f}人·小时"
            f"（占可避免等待的{avoidable[name]:.0%}）：{meaning_zh}。"))
    else:
        paras.append(ctx.t("No avoidable waiting in the records: people waited only while "
                           "walking to shelter and while trucks loaded and drove.",
                           "记录中没有可避免的等待：仅有步行前往和正常装卸运输的时间。"))
    events = rm.stock_events(ctx.result)
    if b["stock_out_items"]:
        where = "; ".join(f"{place_short(ctx, e.depot)} {tx.offset(e.t)} ({', '.join(e.items)})"
                          for e in events if e.kind == "stock_out")
        paras.append(ctx.t(f"Items that ran out: {', '.join(b['stock_out_items'])} ({where}).",
                           f"缺货物资：{'、'.join(b['stock_out_items'])}（{where}）。"))
    for e in events:
        if e.kind != "stock_change":
            continue
        sign = "−" if e.removed else "+"
        its = ", ".join(f"{k} {sign}{v:g}" for k, v in e.items.items())
        paras.append(ctx.t(f"Stock inject at {place_short(ctx, e.depot)} at {tx.offset(e.t)}: "
                           f"{its}.",
                           f"{tx.offset(e.t)}{place_short(ctx, e.depot)}库存变化：{its}。"))
    behind = sorted([s for s in shelters(ctx) if s.m.admitted],
                    key=lambda s: (s.m.share_in_target, -_fin(s.m.t95_s)))[:3]
    rows = [[named(ctx, s.spec), str(s.m.admitted), str(s.m.relieved_in_target),
             tx.minutes(s.m.t95_s, ctx.lang), tx.minutes(s.m.t100_s, ctx.lang),
             _lacks(ctx, s.spec.lacks)] for s in behind]
    table = Table([ctx.t("shelter", "避难场所"), ctx.t("admitted", "安置"),
                   ctx.t("relieved in target", "按时救助"), "t95", "t100",
                   ctx.t("lacks", "欠缺")], rows,
                  ctx.t("The shelters most behind.", "救助进度最落后的避难场所。")
                  ) if rows else None
    if behind:
        paras.append(ctx.t("Most behind: " + ", ".join(
            f"{place_short(ctx, s.spec.id)} ({s.m.relieved_in_target}/{s.m.admitted} in target)"
            for s in behind) + ".", "进度最落后：" + "，".join(
            f"{place_short(ctx, s.spec.id)}（按时{s.m.relieved_in_target}/{s.m.admitted}）"
            for s in behind) + "。"))
    actions = [draft_action(ctx, *a, ref=obj.id) for a in CAUSE_ACTIONS.get(name, [])]
    second = sorted(avoidable, key=lambda k: -avoidable[k])[1:2]
    for k in second:
        if avoidable[k] >= 0.2:
            actions += [draft_action(ctx, *a, ref=obj.id) for a in CAUSE_ACTIONS.get(k, [])[:1]]
    if any(s.spec.lacks for s in shelters(ctx) if s.m.admitted):
        actions.append(draft_action(ctx, "Equip the shelters with what they lack (emergency "
                               "communications, a medical point).",
                               "为避难场所补齐应急通信、医疗点等欠缺设施。", "air", "shelter",
                               obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, table, actions)


def _fin(v: float) -> float:
    return v if math.isfinite(v) else 1e12


def explain_warning(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    wc = _channels(ctx)
    paras = [measured_sentence(ctx, res, rating), _warning_sentence(ctx)]
    target = wc.target
    rows = [[c.name, f"{c.reach:.0%}", tx.minutes(c.first_s, ctx.lang), dur(c.full_s, ctx.lang),
             ctx.t("yes", "是") if c.needed else ctx.t("no", "否")] for c in wc.channels]
    table = Table([ctx.t("channel", "渠道"), ctx.t("reach", "覆盖上限"),
                   ctx.t("first people reached", "开始覆盖"), ctx.t("full reach", "达到上限"),
                   ctx.t(f"needed for {target:.0%}", f"达到{target:.0%}所必需")], rows,
                  ctx.t("Warning channels (times after the decision to warn).",
                        "预警渠道（时间自决定发布预警起算）。"))
    actions = []
    if wc.max_share < target:
        paras.append(ctx.t(f"Together the channels can never reach {target:.0%} "
                           f"(at most {wc.max_share:.0%}).",
                           f"各渠道合计覆盖上限仅{wc.max_share:.0%}，无法达到{target:.0%}。"))
    slow = wc.bottleneck
    if slow is not None:
        paras.append(ctx.t(
            f"Bottleneck: {slow.name} — without it the other channels cannot reach "
            f"{target:.0%}, and it reaches its full {slow.reach:.0%} only "
            f"{dur(slow.full_s)} after the decision.",
            f"瓶颈：{slow.name}——缺少该渠道其他渠道无法达到{target:.0%}，而该渠道在决定发布后"
            f"{dur(slow.full_s, 'zh')}才达到其覆盖上限{slow.reach:.0%}。"))
        actions.append(draft_action(
            ctx, f"Speed up '{slow.name}': more grid workers and phone lists per building, "
            "loudspeaker vehicles for the low-lying compounds at night.",
            f"加快“{slow.name}”：增加网格员、按楼栋建立电话通知名单，夜间派广播车进入低洼小区。",
            "subdistricts", "warning", obj.id))
    actions.append(draft_action(
        ctx, "Issue the warning earlier and on every channel at once (cell broadcast to the "
        "whole district, sirens), and check the night-time reach of each channel.",
        "提前发布预警并各渠道同步发布（全区手机短信广播、警报），核查各渠道夜间覆盖能力。",
        "hq", "warning", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, table, actions)


def explain_rescue(ctx: ReportContext, res, rating) -> Finding:
    from drillsim.report.fire import SEGMENTS, breakdown

    obj = res.objective
    op, target = obj.bound()
    calls = rescue_calls(ctx.summary.rows, target)
    rows, late = calls.calls, calls.late
    paras = [measured_sentence(ctx, res, rating)]
    paras.append(ctx.t(
        f"{len(rows)} rescue calls; {len(late)} beyond the target, "
        f"{calls.queued} waited for a free unit, {calls.mutual_aid} needed mutual aid.",
        f"求救警情{len(rows)}起；超出目标{len(late)}起，"
        f"等待可用力量{calls.queued}起，需要区外增援{calls.mutual_aid}起。"))
    totals: dict[str, float] = defaultdict(float)
    for r in late or rows:
        for k, v in breakdown(ctx, r, "first", False).segments.items():
            totals[k] += v
    largest = max(totals, key=totals.get) if totals else ""
    whole = sum(totals.values())
    if largest:
        en, zh = SEGMENTS[largest]
        paras.append(ctx.t(
            f"Bottleneck: {en}, the largest segment ({totals[largest] / whole:.0%} of the "
            "response time of these calls).",
            f"瓶颈：{zh}，为最大环节（占这些警情响应时间的{totals[largest] / whole:.0%}）。"))
    tm = teams(ctx)
    if tm:
        paras.append(ctx.t("Team mobilisation: " + ", ".join(
            f"{spec.name_en or spec.id} assembled at {tx.offset(m.assembled_at)} "
            f"({tx.minutes(m.assembly_s)} after activation)" for spec, m in tm) + ".",
            "队伍集结：" + "，".join(
            f"{spec.name_zh or spec.id}于{tx.offset(m.assembled_at)}集结完毕"
            f"（启动后{tx.minutes(m.assembly_s, 'zh')}）" for spec, m in tm) + "。"))
    first_call = calls.first_call
    t_rows = [[team_label(ctx, spec), tx.offset(m.activated_at), tx.offset(m.assembled_at),
               ctx.t("after the first call", "晚于首个求救")
               if m.assembled_at > first_call else ctx.t("before", "早于")] for spec, m in tm]
    table = Table([ctx.t("team", "队伍"), ctx.t("activated", "启动"),
                   ctx.t("assembled", "集结完毕"), ctx.t("vs first rescue call", "与首个求救相比")],
                  t_rows, ctx.t(f"First rescue call at {tx.offset(first_call)}.",
                                f"首个求救警情：{tx.offset(first_call)}。")) if t_rows else None
    actions = []
    if largest in ("queue", "processing") or calls.queued:
        actions.append(draft_action(
            ctx, "Pre-position rescue teams and boats near the low-lying compounds before the "
            "rain peaks (activate at the warning, not at the flooding).",
            "暴雨峰值前将救援队伍和舟艇前置到低洼小区附近（预警即启动，而非积水后）。",
            "hq", "mobilisation", obj.id))
    late_teams = [(spec, m) for spec, m in tm if m.assembled_at > first_call]
    for spec, m in sorted(late_teams, key=lambda t: -_fin(t[1].assembly_s))[:2]:
        owner = TEAM_OWNER.get(spec.id, "bureau")
        actions.append(draft_action(
            ctx, f"Shorten the night-time assembly of {spec.name_en or spec.id} "
            f"({tx.minutes(m.assembly_s)}): call-out tree, duty roster, and no member counted "
            "on two teams' rosters.",
            f"缩短{spec.name_zh or spec.id}夜间集结时间"
            f"（{tx.minutes(m.assembly_s, 'zh')}）："
            "完善召集流程和值班名单，避免同一人员同时列入两支队伍名册。",
            owner, "mobilisation", obj.id))
    if calls.mutual_aid or largest == "aid":
        actions.append(draft_action(
            ctx, "Agree earlier mutual aid for water rescue with the city and the neighbouring "
            "districts.", "与市级及相邻区约定更早启动水域救援增援。", "bureau", "operations",
            obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, table, actions)


def explain_displaced(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    b = bottleneck(ctx)
    paras = [measured_sentence(ctx, res, rating)]
    pts = points(ctx)
    worst = [p for p in pts.values() if p.m.displaced]
    if worst:
        paras.append(ctx.t("Displaced from: " + ", ".join(
            f"{point_label(ctx, p.spec)} {p.m.displaced} (peak {p.m.peak_m:.2f} m)"
            for p in worst) + ".", "转移来源：" + "，".join(
            f"{point_label(ctx, p.spec)}{p.m.displaced}人（最大水深{p.m.peak_m:.2f} m）"
            for p in worst) + "。"))
    sp = b["person_hours"].get("shelter_space", 0.0)
    if sp:
        paras.append(ctx.t(f"{sp:,.0f} person-hours spent turned away or without a place.",
                           f"被拒收或无处安置共{sp:,.0f}人·小时。"))
    actions = [draft_action(ctx, *a, ref=obj.id) for a in CAUSE_ACTIONS["shelter_space"]]
    actions.append(draft_action(ctx, "Send mobile pumps to the residential ponding areas before "
                           "the water reaches doorsteps.",
                           "积水漫入住户前即向居民区积水片区调派移动泵车。",
                           "citymgmt", "operations", obj.id))
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None, actions)


EXPLAINERS = {
    "relief_share_10h": explain_relief, "relief_t95": explain_relief,
    "relief_t100": explain_relief, "warning_t95": explain_warning,
    "warning_share_1h": explain_warning, "rescue_first_arrival_p90": explain_rescue,
    "people_displaced": explain_displaced, "people_unsheltered": explain_displaced,
}


# ----------------------------------------------------------------------------- strengths


def strengths(ctx: ReportContext) -> list[str]:
    m = ctx.summary.metrics
    out = []
    target = ctx.scenario.relief.target
    s10 = m.get("relief_share_10h", math.nan)
    if math.isfinite(s10) and s10 >= 1.0:
        out.append(ctx.t(f"Every displaced person was relieved within {tx.minutes(target)}.",
                         f"全部受灾人员均在{tx.minutes(target, 'zh')}内得到基本生活救助。"))
    if m.get("people_displaced", 0) and m.get("people_unsheltered", 1) == 0:
        out.append(ctx.t(f"All {m['people_displaced']:g} displaced people found a shelter place.",
                         f"{m['people_displaced']:g}名转移群众全部得到安置。"))
    t95 = m.get("warning_t95", math.nan)
    if math.isfinite(t95) and t95 <= 3600:
        out.append(ctx.t(f"Warnings reached 95 % of the public in {tx.minutes(t95)} "
                         "(within an hour).",
                         f"预警信息{tx.minutes(t95, 'zh')}内覆盖95%公众（1小时以内）。"))
    pts = points(ctx)
    if pts and not any(p.m.closed_to_trucks for p in pts.values()):
        out.append(ctx.t("No waterlogging point closed the roads to fire engines and trucks.",
                         "没有积水点导致消防车和货车断行。"))
    pumped = [p for p in pts.values() if p.m.pumps_sent and p.m.peak_m < TRUCK_LIMIT_M]
    if pumped:
        names_en = ", ".join(point_label(ctx, p.spec) for p in pumped)
        names_zh = "、".join(point_label(ctx, p.spec) for p in pumped)
        truck = limit_text(TRUCK_LIMIT_M)
        out.append(ctx.t(f"Mobile pumps were sent to {names_en}; the water there stayed "
                         f"below {truck}, passable for fire engines and trucks.",
                         f"已向{names_zh}调派移动泵车，其水深保持在{truck}以下，"
                         "消防车和货车可以通行。"))
    full = [spec for spec, m in teams(ctx) if m.planned and not m.short]
    if full:
        out.append(ctx.t("Teams that fielded every planned unit: " + ", ".join(
            spec.name_en or spec.id for spec in full) + ".",
            "按计划全部编组出动的队伍：" + "、".join(spec.name_zh or spec.id
                                          for spec in full) + "。"))
    return out


def applies(ctx: ReportContext) -> bool:
    s = ctx.scenario  # a chemical release displaces people too: its evacuees' relief curve
    return (s.flood is not None or s.warning is not None or bool(s.forces.shelters)
            or s.chemical is not None)


PART = register(HazardPart(
    key="flood", name_en="rainstorm, relief and warning", name_zh="暴雨内涝、救助与预警",
    applies=applies, overview=overview_tables, map_layer=map_layer, sections=sections,
    strengths=strengths, explainers=EXPLAINERS))


LACKS = {"emergency_communications": ("emergency communications", "应急通信"),
         "medical": ("medical facilities", "医疗设施")}
"""Names of what a shelter lacks (the plan names these two); other entries print as written."""


def _lacks(ctx: ReportContext, lacks: list[str]) -> str:
    sep = "、" if ctx.lang == "zh" else ", "
    return sep.join(ctx.t(*LACKS.get(x, (x, x))) for x in lacks) or "—"
