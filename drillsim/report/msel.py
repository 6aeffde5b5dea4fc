"""The drill script for facilitators: the Master Scenario Events List (MSEL).

One row per inject and per scripted incident, in time order, with the HSEEP MSEL
columns (time, inject text, from, to, method, expected player action, objective)
and the simulated time at which the expected action happens in the run. That
time follows one rule per inject kind (:data:`RULES`; a hazard module adds its
own kinds with :func:`rule`):

=====================  ==============================================================
kind                   simulated action
=====================  ==============================================================
incident (scripted     first dispatch of a unit to that incident
or injected)
road_closed,           first re-route of a unit at or after the inject ("none": no unit
road_reopened          had to change its route)
unit_out_of_service    next dispatch of a unit of the same type while that unit is out
                       (the dispatch that had to do without it)
unit_in_service        the unit is back in service (``in_service`` record)
call_surge             first call that had to wait for a free unit during the surge
comms_delay            first dispatch order after the delay starts
note                   first record of the event its objective's metric measures
                       (see :data:`METRIC_EVENT`) at or after the inject; when there is
                       none after it, the last one before it, marked "already"
=====================  ==============================================================
"""

from __future__ import annotations

import csv
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.registry import Table

METRIC_EVENT = {
    "first_arrival_p50": "arrive", "first_arrival_p90": "arrive",
    "dispatch_to_arrival_p90": "arrive", "travel_p90": "arrive",
    "five_minute_share": "arrive", "nfpa_travel_share": "arrive",
    "fire_size_at_first_arrival_p90": "arrive",
    "turnout_p90": "enroute", "nfpa_turnout_share": "enroute",
    "full_assignment_p90": "full_assignment", "fire_size_at_full_assignment_max": "escalate",
    "calls_unmet": "unmet", "calls_queued": "queued", "mutual_aid_calls": "mutual_aid_request",
    "utilisation_max": "dispatch",
}
"""The record event that a note inject's objective is looking for, by metric."""


@dataclass
class MselRow:
    """One line of the drill script."""

    number: int
    id: str
    kind: str
    at: float
    text: str
    text_zh: str
    sender: str
    deliver_to: str
    method: str
    expected_action: str
    objective: str
    sim_t: float
    sim_what: str


Rule = Callable[[ReportContext, object, float], tuple[float, str]]
RULES: dict[str, Rule] = {}


def rule(*kinds: str):
    """Register the simulated-action rule of inject kinds (used by hazard modules too)."""
    def deco(fn: Rule) -> Rule:
        for k in kinds:
            RULES[k] = fn
        return fn
    return deco


def _first(ctx: ReportContext, pred, after: float):
    return next((r for r in ctx.records if r.t >= after and pred(r)), None)


@rule("incident")
def _incident(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    inc = inj.incident.id if hasattr(inj, "incident") else inj.id
    call = _first(ctx, lambda r: r.event == "call" and r.incident == inc, 0.0)
    r = _first(ctx, lambda r: r.event == "dispatch" and r.incident == inc, 0.0)
    if r is None:
        return math.nan, ctx.t("no unit was dispatched", "未派出力量")
    units = sorted({x.unit for x in ctx.records if x.event == "dispatch" and x.incident == inc
                    and x.t == r.t})
    call_txt = ctx.t(f"call {tx.offset(call.t)}; ", f"接警{tx.offset(call.t)}；") if call else ""
    return r.t, call_txt + ctx.t(f"first dispatch: {', '.join(units)}",
                                 f"首次出动：{'、'.join(units)}")


@rule("road_closed", "road_reopened")
def _road(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    r = _first(ctx, lambda r: r.event == "reroute", t)
    if r is None:
        return math.nan, ctx.t("none: no unit had to change its route",
                               "无：没有车辆需要改变路线")
    return r.t, ctx.t(f"{r.unit} re-routes", f"{r.unit}改变路线")


@rule("unit_out_of_service")
def _out(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    unit = inj.unit
    info = ctx.units.get(unit)
    back = _first(ctx, lambda r: r.event == "in_service" and r.unit == unit, t)
    until = back.t if back is not None else math.inf
    kind = info.type if info is not None else ""
    r = _first(ctx, lambda r: r.event == "dispatch" and r.t < until and r.unit != unit
               and ctx.units.get(r.unit) is not None and ctx.units[r.unit].type == kind, t)
    if r is None:
        return math.nan, ctx.t(f"none: no {kind} was needed while {unit} was out",
                               f"无：{unit}停用期间未需要{kind}")
    return r.t, ctx.t(f"{r.unit} sent to {r.incident} instead of {unit}",
                      f"{r.unit}代替{unit}出动至{r.incident}")


@rule("unit_in_service")
def _back(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    r = _first(ctx, lambda r: r.event == "in_service" and r.unit == inj.unit, t)
    if r is None:
        return math.nan, ctx.t(f"{inj.unit} was not out of service", f"{inj.unit}未处于停用状态")
    return r.t, ctx.t(f"{inj.unit} back in service", f"{inj.unit}恢复执勤")


@rule("call_surge")
def _surge(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    end = t + inj.lasting if inj.lasting is not None else math.inf
    r = _first(ctx, lambda r: r.event == "queued" and r.t <= end, t)
    if r is None:
        return math.nan, ctx.t("none: no call had to wait for a free unit",
                               "无：没有警情因无可用力量而排队")
    return r.t, ctx.t(f"{r.incident} waits for a free unit", f"{r.incident}等待可用力量")


@rule("comms_delay")
def _comms(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    r = _first(ctx, lambda r: r.event == "dispatch", t)
    if r is None:
        return math.nan, ctx.t("none: no dispatch during the delay", "无：延迟期间无出动")
    return r.t, ctx.t(f"first delayed dispatch: {r.unit} to {r.incident}",
                      f"首次受延迟影响的出动：{r.unit}至{r.incident}")


@rule("note")
def _note(ctx: ReportContext, inj, t: float) -> tuple[float, str]:
    objectives = {o.id: o for o in ctx.scenario.objectives}
    obj = objectives.get(inj.objective)
    if obj is None:
        return math.nan, ctx.t("— (no objective named)", "—（未指定目标）")
    event = METRIC_EVENT.get(obj.metric)
    if event is None:
        return math.nan, "—"
    r = _first(ctx, lambda r: r.event == event, t)
    if r is not None:
        who = r.unit or r.incident
        return r.t, ctx.t(f"{event} ({who})", f"{event}（{who}）")
    before = [r for r in ctx.records if r.event == event and r.t < t]
    if before:
        r = before[-1]
        who = r.unit or r.incident
        return r.t, ctx.t(f"already: {event} ({who}) before the inject",
                          f"已发生：注入前{event}（{who}）")
    return math.nan, ctx.t(f"none: no {event} in the run", f"无：本次运行没有{event}")


def msel_rows(ctx: ReportContext) -> list[MselRow]:
    """The drill script of the run's scenario, in time order."""
    s = ctx.scenario
    items = []
    for inc in s.incidents:
        at = inc.at if inc.at is not None else 0.0
        items.append((at, 0, inc.id, "incident", inc, inc.text or inc.name_en,
                      inc.name_zh, "", "", "", ctx.t("Dispatch the first alarm.", "调派首批力量。"),
                      ""))
    for k, inj in enumerate(s.injects):
        iid = inj.id or f"inject-{k + 1}"
        items.append((inj.at, 1, iid, inj.kind, inj, inj.text, inj.text_zh, inj.sender,
                      inj.deliver_to, inj.method, inj.expected_action, inj.objective))
    items.sort(key=lambda x: (x[0], x[1]))
    out = []
    for n, (at, _o, iid, kind, obj, text, text_zh, sender, to, method, expect, objective) \
            in enumerate(items, 1):
        fn = RULES.get(kind)
        sim_t, what = fn(ctx, obj, at) if fn is not None else (math.nan, "—")
        out.append(MselRow(n, iid, kind, at, text, text_zh, sender, to, method, expect,
                           objective, sim_t, what))
    return out


def msel_table(ctx: ReportContext, rows: list[MselRow]) -> Table:
    start = ctx.scenario.start
    return Table(
        ["#", ctx.t("time", "时间"), ctx.t("clock", "时钟"), ctx.t("inject", "注入"),
         ctx.t("text", "内容"), ctx.t("from → to", "发送→接收"), ctx.t("method", "方式"),
         ctx.t("expected action", "预期行动"), ctx.t("objective", "目标"),
         ctx.t("simulated action", "模拟中的行动")],
        [[str(r.number), tx.offset(r.at), tx.clock(start, r.at), f"{r.id} ({r.kind})",
          ctx.t(r.text, r.text_zh) or "—", f"{r.sender or '—'} → {r.deliver_to or '—'}",
          r.method or "—", r.expected_action or "—", r.objective or "—",
          (f"{tx.offset(r.sim_t)} {r.sim_what}" if not math.isnan(r.sim_t) else r.sim_what)]
         for r in rows],
        ctx.t("Simulated action: when the expected action happens in this run (rules in "
              "docs/report.md).",
              "模拟中的行动：本次运行中预期行动发生的时间（规则见docs/report.md）。"))


MSEL_COLUMNS = ["number", "id", "kind", "scenario_time", "clock_time", "text", "text_zh",
                "from", "to", "method", "expected_action", "objective",
                "simulated_action_time", "simulated_action_clock", "simulated_action"]


def write_msel_csv(ctx: ReportContext, path: Path) -> list[MselRow]:
    """Write the drill script as CSV (UTF-8 with a byte-order mark, so Excel reads Chinese)."""
    rows = msel_rows(ctx)
    start = ctx.scenario.start
    with open(path, "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(MSEL_COLUMNS)
        for r in rows:
            w.writerow([r.number, r.id, r.kind, tx.offset(r.at), tx.clock(start, r.at),
                        _cell(r.text), _cell(r.text_zh), _cell(r.sender), _cell(r.deliver_to),
                        _cell(r.method), _cell(r.expected_action), _cell(r.objective),
                        tx.offset(r.sim_t) if not math.isnan(r.sim_t) else "",
                        tx.clock(start, r.sim_t) if not math.isnan(r.sim_t) else "",
                        _cell(r.sim_what)])
    return rows


def _cell(text: str) -> str:
    """Neutralise spreadsheet formulas in user text (CSV injection)."""
    text = " ".join(str(text).split())
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def inject_time(ctx: ReportContext, inject_id: str) -> float:
    """When an inject was delivered in the run (NaN if it was not)."""
    for r in ctx.records:
        if r.event == "inject" and r.data.get("id") == inject_id:
            return r.t
    return math.nan
