"""The fire and rescue part of the report: incidents, response times, bottlenecks.

Bottlenecks come from the records: for an objective not fully met, the incidents
that drove its metric are taken apart into the segments of their response
(detection, call processing, queueing for a free unit, turnout, travel, mutual
aid), the largest segment is named, and what else the records show at the time
(units out of service, closed roads and the extra travel they caused,
escalations, a communications delay, a call surge) is listed with it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.response import (
    COMPONENTS,
    Assignment,
    IncidentRow,
    ResponseSegments,
    Turnout,
    fire_station_turnouts,
    five_minute_cases,
    response_segments,
    unit_activity,
)
from drillsim.metrics.standards import (
    FIVE_MINUTE,
    NFPA_BY_SEGMENT,
    NFPA_PROCESSING,
    NFPA_TRAVEL,
    NFPA_TURNOUT,
)
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.figures import finite, png, pyplot, style_axes, thicken
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

# ----------------------------------------------------------------------------- owners

SEGMENTS = {  # key -> (English, Chinese)
    "detection": ("detection and reporting (ignition to call)", "发现与报警（起火至接警）"),
    "processing": ("call processing", "接警处理"),
    "queue": ("waiting for a free unit", "等待可用力量"),
    "turnout": ("turnout", "出动准备"),
    "travel": ("travel", "行驶"),
    "aid": ("mutual aid on the way", "区外增援途中"),
}
# What to do about the largest segment: (action en, action zh, owner key, capability key)
SEGMENT_ACTIONS = {
    "detection": (
        "Earlier detection and reporting: smoke alarms and e-bike charging rules in old "
        "compounds, residents taught to call 119 at once; check with a follow-up drill.",
        "提前发现与报警：老旧小区安装独立式烟感、规范电动自行车充电，宣传第一时间拨打119；"
        "复演检验。", "subdistricts", "warning"),
    "processing": (
        "Shorten call processing: review the call-taking script, pre-alert stations while the "
        "call is still being taken, train call takers on this incident type.",
        "缩短接警处理时间：修订接警流程，接警同时预警出动站点，开展专项接警培训。",
        "command", "command"),
    "queue": (
        "Keep cover while units are committed: move-up of a reserve engine, and an earlier "
        "trigger for mutual aid agreed with the neighbouring districts.",
        "力量全部出动时保持覆盖：预备车辆前置备勤，与相邻区约定更早启动跨区增援。",
        "detachment", "resources"),
    "turnout": (
        "Turnout drills at the station(s) named, with the night routine timed against 80 s "
        "(NFPA 1710).", "在所列消防站开展出动训练，夜间出动按80秒计时考核（NFPA 1710）。",
        "detachment", "mobilisation"),
    "travel": (
        "Review station coverage and pre-planned routes to this area; pre-position a unit "
        "when the nearest station is weakened.",
        "评估该区域的站点覆盖与预设行车路线；最近站点力量不足时前置调派力量。",
        "detachment", "operations"),
    "aid": (
        "Agree faster mutual aid (pre-alert, staging points) with the city fire rescue corps "
        "and the neighbouring districts.",
        "与市消防救援总队及相邻区约定更快的增援机制（预警、集结点）。",
        "bureau", "resources"),
}

# ----------------------------------------------------------------------------- decomposition


@dataclass(frozen=True)
class Breakdown:
    """One incident's response up to an end point, in segments (seconds)."""

    incident: str
    unit: str
    end: float
    segments: dict[str, float]
    facts: list[tuple[str, str]]  # (en, zh)
    actions: list[tuple[str, str, str, str]]  # extra actions (en, zh, owner, capability)


def activity(ctx: ReportContext) -> dict[str, list[Assignment]]:
    """Every unit's assignments (:func:`drillsim.metrics.response.unit_activity`), once."""
    if "unit_activity" not in ctx.extra:
        ctx.extra["unit_activity"] = unit_activity(ctx.result)
    return ctx.extra["unit_activity"]


def turnouts(ctx: ReportContext) -> list[Turnout]:
    """The fire-station turnouts the turnout metrics count, once."""
    if "turnouts" not in ctx.extra:
        ctx.extra["turnouts"] = fire_station_turnouts(ctx.result, activity(ctx))
    return ctx.extra["turnouts"]


def segments(ctx: ReportContext, row: IncidentRow, endpoint: str = "first",
             from_ignition: bool = False) -> ResponseSegments:
    """The segments of an incident's response (computed by the metrics)."""
    return response_segments(ctx.result, row, activity(ctx), endpoint, from_ignition)


def breakdown(ctx: ReportContext, row: IncidentRow, endpoint: str = "first",
              from_ignition: bool = False) -> Breakdown:
    """Split an incident's response up to its first (or full-assignment) arrival."""
    rs = segments(ctx, row, endpoint, from_ignition)
    facts: list[tuple[str, str]] = []
    actions: list[tuple[str, str, str, str]] = []
    a = rs.assignment
    if a is not None and not a.mutual_aid and not math.isnan(a.enroute):
        _travel_facts(ctx, row, a, facts, actions)
    _context_facts(ctx, row, facts, actions)
    return Breakdown(row.incident, rs.unit, rs.end, rs.segments, facts, actions)


def _home_node(ctx: ReportContext, unit: str) -> int | None:
    info = ctx.units.get(unit)
    if info is None or info.station == "mutual_aid":
        return None
    for st in ctx.scenario.forces.stations:
        if st.id == info.station:
            from drillsim.scenarios.schema import Location

            try:
                return ctx.world.node_of(st.location or Location(place=st.id))
            except KeyError:
                return None
    return None


def _travel_facts(ctx: ReportContext, row: IncidentRow, a: Assignment,
                  facts: list[tuple[str, str]], actions: list[tuple[str, str, str, str]]) -> None:
    unit = a.unit
    closed = [s for s in ctx.road_closures if s.start < a.arrive and s.end > a.enroute]
    home = _home_node(ctx, unit)
    if closed and home is not None and a.from_quarters:
        free = ctx.world.travel.time(home, row.node, "fire_engine")
        extra = a.travel - free
        roads = ", ".join(f"{s.road} ({s.inject})" for s in closed)
        if math.isfinite(free) and extra > 10:
            facts.append((f"{roads} closed while {unit} was on the way: its travel took "
                          f"{tx.minutes(extra)} longer than on the open network.",
                          f"{unit}途中{roads}封闭，行驶时间比道路畅通时多"
                          f"{tx.minutes(extra, 'zh')}。"))
            actions.append((
                f"Agree detours and traffic escort for closures on {roads} with the traffic "
                "police; tell the command centre of road works before they start.",
                f"与交警约定{roads}封闭时的绕行与引导方案；道路施工前通报指挥中心。",
                "traffic", "traffic"))
        else:
            facts.append((f"{roads} was closed while {unit} was on the way (no measurable "
                          "delay to this unit).",
                          f"{unit}途中{roads}封闭（对该车行驶时间无明显影响）。"))
    if a.reroutes:
        facts.append((f"{unit} changed its route {a.reroutes} time(s) on the way.",
                      f"{unit}途中改变路线{a.reroutes}次。"))


def _context_facts(ctx, row, facts, actions) -> None:
    t_call = row.call
    if math.isnan(t_call):
        return
    out = ctx.units_out_at(t_call)
    for u in out:
        home = _home_node(ctx, u)
        eta = ctx.world.travel.time(home, row.node, "fire_engine") if home is not None \
            else math.inf
        near = f" ({tx.minutes(eta)} from the scene)" if math.isfinite(eta) else ""
        near_zh = f"（距现场{tx.minutes(eta, 'zh')}）" if math.isfinite(eta) else ""
        station = ctx.station_label(ctx.units[u].station) if u in ctx.units else ""
        facts.append((f"{u} of {station} was out of service at the call{near}.",
                       f"接警时{station}{u}停用{near_zh}。"))
        actions.append((
            f"Cut the time {u} is out of service (maintenance plan, spare apparatus) and cover "
            f"its area while it is out.",
            f"缩短{u}停用时间（维保计划、备用车辆），停用期间安排力量覆盖其辖区。",
            "detachment", "resources"))
    recs = ctx.by_incident(row.incident)
    esc = [r for r in recs if r.event == "escalate"]
    if esc:
        q = float(esc[0].get("q_kw", math.nan))
        n_esc = row.alarms - 1
        facts.append((
            f"The first alarm was not enough: escalated {n_esc} time(s), first at "
            f"{tx.offset(esc[0].t)} with the fire at {tx.value(q, 'kW')}.",
            f"首批力量不足：升级{n_esc}次，首次在{tx.offset(esc[0].t)}，"
            f"火灾规模{tx.value(q, 'kW')}。"))
        actions.append((
            f"Send a larger first alarm to {row.occupancy or row.kind} incidents (response plan), "
            "and have the first officer size up and escalate on arrival.",
            f"调整{row.occupancy or row.kind}类警情的首批出动力量（响应计划），"
            "首到指挥员到场即评估升级。",
            "detachment", "command"))
    if row.mutual_aid:
        facts.append(("Mutual aid was requested from outside the district.", "请求了区外增援。"))
    delay = _level_at(ctx, "comms_delay", "delay_s", t_call)
    if delay > 0:
        facts.append((f"A communications delay of {tx.minutes(delay)} was in force at the call.",
                      f"接警时存在{tx.minutes(delay, 'zh')}的通信延迟。"))
        actions.append(("Back-up dispatch channel (radio, phone) tested each shift.",
                        "每班测试备用调度通信手段（电台、电话）。", "command", "comms"))
    surge = _level_at(ctx, "call_surge", "factor", t_call)
    if surge > 1:
        facts.append((f"Everyday calls were running at {surge:g}× the usual rate.",
                      f"日常警情量为平时的{surge:g}倍。"))


def _level_at(ctx: ReportContext, event: str, key: str, t: float) -> float:
    level = 0.0
    for r in ctx.records:
        if r.t > t:
            break
        if r.event == event:
            try:
                level = float(r.data.get(key, "0"))
            except ValueError:
                level = 0.0
    return level


# ----------------------------------------------------------------------------- explainers

# metric -> (per-incident value, end point, from ignition, threshold for share metrics)
_BY_INCIDENT = {
    "first_arrival_p50": (lambda r: r.response, "first", False, None),
    "first_arrival_p90": (lambda r: r.response, "first", False, None),
    "dispatch_to_arrival_p90": (lambda r: r.dispatch_to_arrival, "first", False, None),
    "travel_p90": (lambda r: r.first_unit_travel, "first", False, None),
    "full_assignment_p90": (lambda r: r.call_to_full_assignment, "full", False, None),
    "five_minute_share": (lambda r: r.dispatch_to_arrival, "first", False,
                          FIVE_MINUTE.threshold_s),
    "nfpa_travel_share": (lambda r: r.first_engine_travel, "first", False,
                          NFPA_TRAVEL.threshold_s),
    "fire_size_at_first_arrival_p90": (lambda r: r.q_first_arrival_kw, "first", True, None),
    "fire_size_at_full_assignment_max": (lambda r: r.q_full_assignment_kw, "full", True, None),
    "calls_unmet": (lambda r: float(r.unmet), "first", False, 0.5),
    "calls_queued": (lambda r: float(r.queued), "first", False, 0.5),
    "mutual_aid_calls": (lambda r: float(r.mutual_aid), "first", False, 0.5),
}

_STANDARD_OF = {"five_minute_share": FIVE_MINUTE, "nfpa_travel_share": NFPA_TRAVEL}
"""The standard of each per-incident compliance metric (its incident kinds)."""


def driving_incidents(ctx: ReportContext, metric: str, value: float, op: str,
                      target: float, limit: int = 5) -> list[tuple[IncidentRow, float]]:
    """The incidents that drove a metric: beyond the target (or the threshold of a share
    metric), else those at or beyond the measured value; worst first."""
    fn, _end, _ign, threshold = _BY_INCIDENT[metric]
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    if metric.startswith("fire_size"):
        rows = [r for r in rows if r.kind == "fire"]
    elif metric in _STANDARD_OF:
        rows = [r for r in rows if _STANDARD_OF[metric].applies(r.kind)]
    vals = [(r, fn(r)) for r in rows]
    vals = [(r, v) for r, v in vals if not math.isnan(v)]
    if threshold is not None:
        out = [(r, v) for r, v in vals if v > threshold]
    else:
        bad = [(r, v) for r, v in vals if v > target] if op in ("<=", "<") else []
        out = bad or [(r, v) for r, v in vals if v >= value - 1e-9]
    out.sort(key=lambda rv: (-rv[1] if math.isfinite(rv[1]) else -math.inf, rv[0].incident))
    return out[:limit]


def _unit_of(metric: str) -> str:
    return METRICS[metric].unit


def explain_incident_metric(ctx: ReportContext, res, rating) -> Finding:
    """Bottleneck of an objective whose metric is computed per incident."""
    obj = res.objective
    metric = obj.metric
    op, target = obj.bound()
    _fn, endpoint, from_ign, threshold = _BY_INCIDENT[metric]
    drivers = driving_incidents(ctx, metric, res.value, op, target)
    title = finding_title(ctx, res, rating)
    paras = [measured_sentence(ctx, res, rating)]
    if not drivers:
        paras.append(ctx.t("No single incident stands out in the records.",
                           "记录中没有突出的单个警情。"))
        return Finding(title, obj.id, paras)
    bds = [breakdown(ctx, row, endpoint, from_ign) for row, _ in drivers]
    totals: dict[str, float] = {}
    for b in bds:
        for k, v in b.segments.items():
            totals[k] = totals.get(k, 0.0) + v
    largest = max(totals, key=lambda k: totals[k]) if totals else ""
    whole = sum(totals.values())
    unit = _unit_of(metric)
    def _shown(v: float) -> str:
        return ctx.t("yes", "是") if unit == "count" else tx.value(v, unit, ctx.lang)

    shown = ", ".join(f"{row.incident} ({_shown(v)})"
                      for row, v in drivers)
    span = ctx.t("ignition", "起火") if from_ign else ctx.t("call", "接警")
    goal = ctx.t("full assignment", "力量全部到场") if endpoint == "full" else \
        ctx.t("first arrival", "首车到场")
    paras.append(ctx.t(f"Incidents that drove it: {shown}.", f"主要相关警情：{shown}。"))
    if largest:
        en, zh = SEGMENTS[largest]
        paras.append(ctx.t(
            f"Bottleneck: from {span} to {goal}, the largest segment is {en} — "
            f"{tx.minutes(totals[largest])} of {tx.minutes(whole)} "
            f"({totals[largest] / whole:.0%}) summed over these incidents.",
            f"瓶颈：从{span}到{goal}，占比最大的环节是{zh}，合计{tx.minutes(totals[largest], 'zh')}"
            f"（共{tx.minutes(whole, 'zh')}，占{totals[largest] / whole:.0%}）。"))
    seen = set()
    for b in bds:
        for en, zh in b.facts:
            line = ctx.t(f"{b.incident}: {en}", f"{b.incident}：{zh}")
            if line not in seen:
                seen.add(line)
                paras.append(line)
    cols = [ctx.t("incident", "警情"), ctx.t("unit", "车辆")] + \
        [ctx.t(*SEGMENTS[k]) for k in SEGMENTS if k in totals] + [ctx.t("total", "合计")]
    rows = []
    for b in bds:
        cells = [ctx.incident_label(b.incident), b.unit or "—"]
        cells += [tx.minutes(b.segments.get(k, math.nan), ctx.lang) for k in SEGMENTS
                  if k in totals]
        cells.append(tx.minutes(sum(b.segments.values()), ctx.lang))
        rows.append(cells)
    table = Table(cols, rows, ctx.t(f"Segments of the response up to {goal}",
                                    f"至{goal}的各环节用时"))
    actions = []
    ref = obj.id
    if largest:
        a_en, a_zh, owner, cap = SEGMENT_ACTIONS[largest]
        if largest == "turnout":
            stations = sorted({ctx.station_label(ctx.units[b.unit].station) for b in bds
                               if b.unit in ctx.units})
            a_en += " (" + "; ".join(stations) + ")"
            a_zh += "（" + "；".join(stations) + "）"
        actions.append(draft_action(ctx, a_en, a_zh, owner, cap, ref))
    extra = {a for b in bds for a in b.actions}
    for a_en, a_zh, owner, cap in sorted(extra):
        actions.append(draft_action(ctx, a_en, a_zh, owner, cap, ref))
    return Finding(title, obj.id, paras, table, actions)


def explain_turnout(ctx: ReportContext, res, rating) -> Finding:
    """Bottleneck of a turnout objective: the slow turnouts, by station and time of day."""
    obj = res.objective
    title = finding_title(ctx, res, rating)
    paras = [measured_sentence(ctx, res, rating)]
    op, target = obj.bound()
    limit = target if obj.metric == "turnout_p90" else NFPA_TURNOUT.threshold_s
    n = ctx.summary.metrics["turnouts_n"]
    slow = sorted((t for t in turnouts(ctx) if t.seconds > limit), key=lambda t: -t.seconds)
    by_station: dict[str, int] = {}
    for t in slow:
        by_station[t.station] = by_station.get(t.station, 0) + 1
    if slow:
        worst = ", ".join(f"{ctx.station_label(s)} ({k})" for s, k in
                          sorted(by_station.items(), key=lambda kv: -kv[1]))
        paras.append(ctx.t(
            f"{len(slow)} of {n:.0f} fire-station turnouts from quarters took longer than "
            f"{tx.minutes(limit)}; by station: {worst}.",
            f"消防站车辆自驻地出动{n:.0f}次，其中{len(slow)}次出动准备超过"
            f"{tx.minutes(limit, 'zh')}；按消防站：{worst}。"))
    else:
        paras.append(ctx.t(
            f"None of the {n:.0f} fire-station turnouts from quarters took longer than "
            f"{tx.minutes(limit)}.",
            f"消防站车辆自驻地出动{n:.0f}次，均未超过{tx.minutes(limit, 'zh')}。"))
    table = Table([ctx.t("unit", "车辆"), ctx.t("incident", "警情"), ctx.t("order", "出动命令"),
                   ctx.t("turnout", "出动准备")],
                  [[t.unit, ctx.incident_label(t.incident), tx.offset(t.order),
                    tx.minutes(t.seconds, ctx.lang)] for t in slow[:10]]) if slow else None
    a_en, a_zh, owner, cap = SEGMENT_ACTIONS["turnout"]
    stations = sorted(ctx.station_label(s) for s in by_station)
    if stations:
        a_en += " (" + "; ".join(stations) + ")"
        a_zh += "（" + "；".join(stations) + "）"
    return Finding(title, obj.id, paras, table, [draft_action(ctx, a_en, a_zh, owner, cap, obj.id)])


def explain_utilisation(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    util = ctx.summary.utilisation
    paras = [measured_sentence(ctx, res, rating)]
    if util:
        top = sorted(util.items(), key=lambda kv: -kv[1])[:3]
        paras.append(ctx.t(
            "Busiest units: " + ", ".join(f"{u} {v:.0%}" for u, v in top) + ".",
            "最繁忙车辆：" + "，".join(f"{u} {v:.0%}" for u, v in top) + "。"))
    a = SEGMENT_ACTIONS["queue"]
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None,
                   [draft_action(ctx, a[0], a[1], a[2], a[3], obj.id)])


EXPLAINERS = {m: explain_incident_metric for m in _BY_INCIDENT}
EXPLAINERS["turnout_p90"] = explain_turnout
EXPLAINERS["nfpa_turnout_share"] = explain_turnout
EXPLAINERS["utilisation_max"] = explain_utilisation


# ----------------------------------------------------------------------------- overview


def _kind_label(ctx: ReportContext, row: IncidentRow) -> str:
    return row.occupancy or row.kind


def overview_tables(ctx: ReportContext) -> list[Table]:
    rows = [r for r in ctx.summary.rows if not r.background]
    n_bg = sum(r.background for r in ctx.summary.rows)
    inc = Table(
        [ctx.t("incident", "警情"), ctx.t("type", "类型"), ctx.t("location", "位置"),
         ctx.t("start", "起火/发生"), ctx.t("call", "接警"), ctx.t("first arrival", "首车到场"),
         ctx.t("full assignment", "力量到齐"), ctx.t("alarms", "出动等级"),
         ctx.t("units", "车辆数"), ctx.t("control", "控制")],
        [[ctx.incident_label(r.incident), _kind_label(ctx, r), ctx.node_label(r.node),
          tx.offset(r.ignition if not math.isnan(r.ignition) else r.call), tx.offset(r.call),
          tx.offset(r.first_arrival), tx.offset(r.full_assignment), str(r.alarms),
          str(r.units_sent), tx.offset(r.control)] for r in rows],
        ctx.t(f"Scripted incidents (drill times); plus {n_bg} background call(s).",
              f"脚本警情（演练时间）；另有{n_bg}起日常警情。"))
    forces = ctx.scenario.forces
    out0 = set(forces.out_of_service)
    f_rows = []
    for st in forces.stations:
        staffed = [a.id for a in st.staffed()]
        unstaffed = [a.id for a in st.apparatus if a.id not in staffed]
        f_rows.append([ctx.station_label(st.id), f"{st.on_duty}/{st.personnel}",
                       ", ".join(a for a in staffed if a not in out0) or "—",
                       ", ".join(a for a in staffed if a in out0) or "—",
                       ", ".join(unstaffed) or "—"])
    aid = forces.mutual_aid
    if aid.enabled:
        cap = ctx.t(
            f"Mutual aid: up to {aid.max_units} units, asked after "
            f"{tx.minutes(aid.request_after)}, arriving {tx.minutes(aid.arrival_delay)} later.",
            f"区外增援：最多{aid.max_units}车，等待{tx.minutes(aid.request_after, 'zh')}后请求，"
            f"请求后{tx.minutes(aid.arrival_delay, 'zh')}到场。")
    else:
        cap = ctx.t("Mutual aid: none.", "区外增援：无。")
    force = Table([ctx.t("station", "消防站"), ctx.t("on duty / roll", "在岗/编制"),
                   ctx.t("staffed units", "执勤车辆"),
                   ctx.t("out of service at start", "开始时停用"),
                   ctx.t("not staffed", "未配员")], f_rows, cap)
    return [inc, force]


def map_layer(ctx: ReportContext, ax, handles: list) -> None:
    from matplotlib.lines import Line2D

    from drillsim.fonts import text_effects

    net = ctx.world.network
    bg = [r for r in ctx.summary.rows if r.background and r.node >= 0]
    if bg:
        ax.scatter(net.lon[[r.node for r in bg]], net.lat[[r.node for r in bg]], s=16,
                   marker="o", color="#f5b041", edgecolors="#7e5109", linewidths=0.5, zorder=7)
        handles.append(Line2D([], [], marker="o", color="#f5b041", ls="",
                              label="日常警情 background call"))
    scripted = [r for r in ctx.summary.rows if not r.background and r.node >= 0]
    if scripted:
        ax.scatter(net.lon[[r.node for r in scripted]], net.lat[[r.node for r in scripted]],
                   s=260, marker="*", color="#e74c3c", edgecolors="#641e16", linewidths=0.8,
                   zorder=8)
        at_node: dict[int, list[str]] = {}
        for r in scripted:  # one label per place (many rescue calls share a node)
            at_node.setdefault(r.node, []).append(r.incident)
        for node, ids in at_node.items():
            label = ids[0] if len(ids) == 1 else f"{ids[0]} (+{len(ids) - 1})"
            ax.annotate(label, (net.lon[node], net.lat[node]), xytext=(7, -10),
                        textcoords="offset points", fontsize=9,
                        color="#641e16", zorder=9, path_effects=text_effects("#641e16"))
        handles.append(Line2D([], [], marker="*", color="#e74c3c", ls="", markersize=12,
                              label="演练警情 scripted incident"))


def response_figure(ctx: ReportContext) -> Figure:
    """Distribution of turnout order to first arrival, with the 5-minute line, and the
    segments of the slowest responses."""
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    d2a = [r.dispatch_to_arrival / 60 for r in five_minute_cases(rows)]
    limit_min = FIVE_MINUTE.threshold_s / 60
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 4.2),
                                   gridspec_kw={"width_ratios": [1, 1.25]})
    vals = finite(d2a)
    unmet = sum(1 for v in d2a if math.isinf(v))
    if vals:
        top = max(max(vals), 6.0)
        bins = [i * 0.5 for i in range(int(top / 0.5) + 2)]
        ax1.hist(vals, bins=bins, color="#5dade2", edgecolor="white")
        for r in five_minute_cases(rows):
            if not r.background and math.isfinite(r.dispatch_to_arrival):
                x = r.dispatch_to_arrival / 60
                ax1.plot([x], [0], marker="v", color="#c0392b", ms=9, clip_on=False,
                         transform=ax1.get_xaxis_transform(), zorder=5)
                ax1.annotate(r.incident, (x, 0.02), xycoords=("data", "axes fraction"),
                             xytext=(0, 10), textcoords="offset points", ha="center",
                             fontsize=8, color="#c0392b")
    ax1.axvline(limit_min, color="#c0392b", lw=2, ls="--")
    ax1.text(limit_min, 0.97, " " + ctx.t(FIVE_MINUTE.en, FIVE_MINUTE.zh),
             color="#c0392b", fontsize=8, va="top", transform=ax1.get_xaxis_transform())
    share = ctx.summary.metrics.get("five_minute_share", math.nan)
    ax1.set_title(ctx.t(f"Turnout order to first arrival ({len(vals)} incidents, "
                        f"{tx.value(share, 'share')} within 5 min)",
                        f"出动命令至首车到场（{len(vals)}起，5分钟内{tx.value(share, 'share')}）"),
                  fontsize=10)
    ax1.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_xlabel(ctx.t("minutes", "分钟"))
    ax1.set_ylabel(ctx.t("incidents", "警情数"))
    if unmet:
        ax1.text(0.98, 0.85, ctx.t(f"{unmet} never reached", f"{unmet}起未到场"),
                 ha="right", transform=ax1.transAxes, color="#c0392b")
    # right: segments of the scripted incidents and the slowest background calls
    order = sorted(rows, key=lambda r: (r.background, -_finite(r.response)))
    pick = [r for r in order if not r.background] + \
        [r for r in order if r.background][:max(0, 10 - sum(not r.background for r in rows))]
    colours = {"processing": "#85929e", "queue": "#8e44ad", "turnout": "#f39c12",
               "travel": "#e74c3c", "aid": "#6c3483"}
    for y, r in enumerate(pick):
        b = segments(ctx, r)
        left = 0.0
        for k in ("processing", "queue", "turnout", "travel", "aid"):
            v = b.segments.get(k, 0.0) / 60
            if v > 0:
                ax2.barh(y, v, left=left, color=colours[k], height=0.6,
                         label=ctx.t(*SEGMENTS[k]) if y == 0 or k not in
                         {h.get_label() for h in ax2.patches} else None)
                left += v
    ax2.axvline(limit_min, color="#c0392b", lw=1, ls=":")
    ax2.set_yticks(range(len(pick)))
    ax2.set_yticklabels([r.incident for r in pick], fontsize=7)
    ax2.set_ylim(max(len(pick), 5) - 0.5, -0.5)
    handles, labels = ax2.get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=False))
    lg = ax2.legend(uniq.values(), uniq.keys(), fontsize=7, loc="lower right")
    thicken(*lg.get_texts())
    ax2.set_title(ctx.t("Call to first arrival, by segment", "接警至首车到场各环节用时"),
                  fontsize=10)
    ax2.set_xlabel(ctx.t("minutes", "分钟"))
    for ax in (ax1, ax2):
        ax.grid(axis="x", color="#eaeded")
        ax.set_axisbelow(True)
        style_axes(ax)
    caption = ctx.t(
        "Left: how long after the turnout order the first unit reached each incident; the "
        "dashed line is the 5-minute rule (建标152-2017); triangles mark the scripted "
        "incidents. Right: the call-to-first-arrival time of the scripted incidents and the "
        "slowest other calls, split into call processing, waiting for a free unit, turnout "
        "and travel.",
        "左：各警情出动命令下达后首车到场用时，虚线为5分钟到场要求（建标152-2017），三角标出脚本警情。"
        "右：脚本警情及用时最长的日常警情从接警至首车到场的各环节用时。")
    return Figure("response", ctx.t("Response times", "响应时间"), caption, png(fig),
                  alt=ctx.t("distribution of response times", "响应时间分布"))


def _finite(v: float) -> float:
    return v if math.isfinite(v) else 1e9


def sections(ctx: ReportContext) -> list[Section]:
    comp = ctx.summary.components
    c_rows = []
    for name, (en, zh, _f) in COMPONENTS.items():
        vals = comp.get(name, {})
        std = NFPA_BY_SEGMENT.get(name)
        c_rows.append([ctx.t(en, zh), tx.minutes(vals.get("p50", math.nan), ctx.lang),
                       tx.minutes(vals.get("p90", math.nan), ctx.lang), str(vals.get("n", 0)),
                       tx.minutes(std.threshold_s, ctx.lang) if std else ""])
    comp_table = Table([ctx.t("segment", "环节"), "P50", "P90", "n",
                        ctx.t("NFPA 1710 (90 %)", "NFPA 1710（90%）")], c_rows,
                       ctx.t("Response segments over all incidents (fractiles, never means).",
                             "全部警情各环节用时（分位数）。"))
    m = ctx.summary.metrics
    s_rows = [[ctx.t(METRICS[k].en, METRICS[k].zh), tx.value(m.get(k, math.nan),
                                                             METRICS[k].unit, ctx.lang)]
              for k in ("five_minute_share", "turnouts_n", "turnout_p90",
                        "nfpa_turnout_share", "nfpa_travel_share",
                        "fire_size_at_first_arrival_p90", "fire_size_at_full_assignment_max",
                        "calls_queued", "mutual_aid_calls", "calls_unmet", "utilisation_max")]
    std_table = Table([ctx.t("measure", "指标"), ctx.t("value", "数值")], s_rows)
    all_rows = []
    classes = []
    for r in ctx.summary.rows:
        note = ", ".join(n for n, f in ((ctx.t("queued", "排队"), r.queued),
                                        (ctx.t("mutual aid", "增援"), r.mutual_aid),
                                        (ctx.t("UNMET", "未到场"), r.unmet)) if f)
        all_rows.append([ctx.incident_label(r.incident), _kind_label(ctx, r),
                         tx.offset(r.call), tx.minutes(r.response, ctx.lang),
                         tx.minutes(r.dispatch_to_arrival, ctx.lang),
                         tx.value(r.q_first_arrival_kw, "kW", ctx.lang)
                         if r.kind == "fire" else "", r.first_unit or "—", note])
        classes.append("bad" if r.unmet or not FIVE_MINUTE.met(r.dispatch_to_arrival) else "")
    inc_table = Table([ctx.t("incident", "警情"), ctx.t("type", "类型"), ctx.t("call", "接警"),
                       ctx.t("call → 1st arrival", "接警→首车"),
                       ctx.t("order → 1st arrival", "出动→首车"),
                       ctx.t("fire at 1st arrival", "首车到场时火灾规模"),
                       ctx.t("first unit", "首到车辆"), ctx.t("note", "备注")],
                      all_rows, ctx.t("Every incident of the run; rows beyond 5 minutes in red.",
                                      "本次运行的全部警情；超过5分钟的行标红。"), classes)
    return [Section("fire", ctx.t("Fire and rescue response", "火灾与抢险救援响应"),
                    [ctx.t("Times are measured from the records of the run, following NFPA "
                           "1710 and 建标152-2017 (5 minutes from the turnout order).",
                           "时间由运行记录计算，口径参照NFPA 1710和建标152-2017"
                           "（出动命令后5分钟到场）。")],
                    [comp_table, std_table, inc_table], [response_figure(ctx)])]


def strengths(ctx: ReportContext) -> list[str]:
    out = []
    comp = ctx.summary.components
    m = ctx.summary.metrics
    p90 = comp.get("processing", {}).get("p90", math.nan)
    std = NFPA_PROCESSING
    if math.isfinite(p90) and std.met(p90) and std.fractile == 0.9:
        out.append(ctx.t(
            f"Call processing was quick: 90 % of calls were processed within "
            f"{tx.minutes(p90)} ({std.en}).",
            f"接警处理迅速：90%的警情在{tx.minutes(p90, 'zh')}内完成处理（{std.zh}）。"))
    for key, std in (("five_minute_share", FIVE_MINUTE), ("nfpa_turnout_share", NFPA_TURNOUT),
                     ("nfpa_travel_share", NFPA_TRAVEL)):
        v = m.get(key, math.nan)
        if not math.isnan(v) and v >= std.fractile:
            out.append(ctx.t(f"{v:.0%} of cases met {std.en}, at or above the "
                             f"{std.fractile:.0%} the standard asks for.",
                             f"{v:.0%}满足{std.zh}，达到标准要求的{std.fractile:.0%}。"))
    called = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    if called and m.get("calls_unmet", 1) == 0:
        out.append(ctx.t(f"Every one of the {len(called)} calls was reached before the drill "
                         "ended.", f"全部{len(called)}起警情均在演练结束前有力量到场。"))
    if called and m.get("calls_queued", 1) == 0:
        out.append(ctx.t("No call had to wait for a free unit.", "没有警情因无可用力量而排队。"))
    return out


def applies(ctx: ReportContext) -> bool:
    return bool(ctx.result.incidents) or bool(ctx.scenario.forces.stations)


PART = register(HazardPart(
    key="fire", name_en="fire and rescue", name_zh="火灾与抢险救援", applies=applies,
    overview=overview_tables, map_layer=map_layer, sections=sections, strengths=strengths,
    explainers=EXPLAINERS))
