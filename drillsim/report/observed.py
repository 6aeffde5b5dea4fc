"""Observed versus simulated: line up what happened in a real drill with the run.

The evaluator records key actions in a CSV file (UTF-8, header row)::

    time,actor,action,incident,inject,note
    +00:12:30,NY-E2,dispatch,F1,,
    02:17,NY-E2,arrive,F1,,first engine on scene
    +00:20,command centre,inject_action,,I1,detours planned

``time``
    ``+HH:MM[:SS]`` after the drill start, or a clock time ``HH:MM[:SS]``.
``actor``
    a unit id, a station id (any unit of it), or an organisation (free text,
    not used for matching).
``action``
    one of :data:`ACTIONS`: a record event of the run, or ``inject_action`` (the
    expected action of the inject named in ``inject``; compared with the MSEL's
    simulated action time).
``incident``, ``inject``
    optional ids; ``inject`` alone narrows the match to records at or after the
    inject (or to its incident for an ``incident`` inject).

Each row is matched to the first simulated record of the same event that fits
the incident and actor. Rows later than the simulation by more than the
threshold are flagged *late*, earlier by more *early*; rows with no simulated
counterpart are *not simulated*; the key actions of the scripted incidents
(first dispatch, first arrival, escalation, mutual-aid request, control, clear)
with no observed row are listed as *not observed* (missing).
"""

from __future__ import annotations

import csv
import difflib
import math
from dataclasses import dataclass
from pathlib import Path

from drillsim.errors import DrillsimError, FileProblem
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.registry import Section, Table
from drillsim.timefmt import parse_drill_time

ACTIONS = {
    "call": "the call reaches the command centre",
    "dispatch": "a unit is assigned (turnout order)",
    "enroute": "the unit leaves",
    "arrive": "the unit is on scene",
    "full_assignment": "the whole first alarm is on scene",
    "escalate": "the next alarm is called",
    "mutual_aid_request": "help is asked from outside the district",
    "control": "the incident is under control",
    "clear": "the incident is closed",
    "release": "the unit leaves the scene",
    "quarters": "the unit is back in quarters",
    "reroute": "a unit changes its route",
    "inject_action": "the expected action of an inject (column inject)",
}
COLUMNS = ("time", "actor", "action", "incident", "inject", "note")
REQUIRED = ("time", "actor", "action")
KEY_EVENTS = ("dispatch", "arrive", "escalate", "mutual_aid_request", "control", "clear")


@dataclass(frozen=True)
class ObservedRow:
    line: int
    t: float
    actor: str
    action: str
    incident: str
    inject: str
    note: str


@dataclass(frozen=True)
class Comparison:
    row: ObservedRow | None  # None: a simulated key action nobody observed
    sim_t: float
    sim_what: str
    delta: float
    status: str  # on_time, late, early, not_simulated, not_observed


def read_observed(path: Path, scenario, unit_ids, station_ids) -> list[ObservedRow]:
    """Read and check an observed-actions CSV.

    Raises
    ------
    DrillsimError
        One problem per bad cell: ``FILE:LINE: column: message``.
    """
    name = str(path)
    incidents = {i.id for i in scenario.all_incidents()}
    injects = {inj.id or f"inject-{k + 1}" for k, inj in enumerate(scenario.injects)}
    problems: list[FileProblem] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in (reader.fieldnames or [])]
            missing = [c for c in REQUIRED if c not in header]
            unknown = [c for c in header if c not in COLUMNS]
            if missing or unknown:
                msg = []
                if missing:
                    msg.append("missing column(s) " + ", ".join(missing))
                if unknown:
                    msg.append("unknown column(s) " + ", ".join(unknown))
                raise DrillsimError([FileProblem(name, 1, "header", "; ".join(msg) +
                                                 f"; expected {', '.join(COLUMNS)}")])
            rows = []
            for raw in reader:
                line = reader.line_num
                cells = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
                if not any(cells.values()):
                    continue
                bad = len(problems)
                try:
                    t = parse_drill_time(cells["time"], scenario.start)
                except ValueError as exc:
                    problems.append(FileProblem(name, line, "time", str(exc)))
                    t = math.nan
                action = cells["action"]
                if action not in ACTIONS:
                    close = difflib.get_close_matches(action, list(ACTIONS), n=1)
                    hint = f" (did you mean {close[0]!r}?)" if close else ""
                    problems.append(FileProblem(
                        name, line, "action", f"unknown action {action!r}{hint}; one of "
                        + ", ".join(ACTIONS)))
                if not cells["actor"]:
                    problems.append(FileProblem(name, line, "actor", "empty: give a unit, "
                                                "station or organisation"))
                inc = cells.get("incident", "")
                if inc and inc not in incidents:
                    problems.append(FileProblem(name, line, "incident",
                                                f"no incident {inc!r} in the scenario"))
                inj = cells.get("inject", "")
                if inj and inj not in injects:
                    problems.append(FileProblem(name, line, "inject",
                                                f"no inject {inj!r} in the scenario"))
                if action == "inject_action" and not inj:
                    problems.append(FileProblem(name, line, "inject",
                                                "inject_action needs an inject id"))
                if len(problems) == bad:
                    rows.append(ObservedRow(line, t, cells["actor"], action, inc, inj,
                                            cells.get("note", "")))
    except UnicodeDecodeError as exc:
        raise DrillsimError([FileProblem(name, None, "", f"not UTF-8 text ({exc.reason})")]) \
            from None
    except csv.Error as exc:
        raise DrillsimError([FileProblem(name, None, "", f"not a CSV file ({exc})")]) from None
    if problems:
        raise DrillsimError(problems)
    return rows


def compare(ctx: ReportContext, rows: list[ObservedRow], msel_rows=None,
            late_after: float = 120.0) -> list[Comparison]:
    """Match each observed row to the simulation, then list key actions nobody observed."""
    from drillsim.report.msel import inject_time
    from drillsim.report.msel import msel_rows as make_msel
    from drillsim.scenarios.schema import NewIncident

    msel = {m.id: m for m in (msel_rows if msel_rows is not None else make_msel(ctx))}
    inject_incident = {(inj.id or f"inject-{k + 1}"): inj.incident.id
                       for k, inj in enumerate(ctx.scenario.injects)
                       if isinstance(inj, NewIncident)}
    out: list[Comparison] = []
    matched: set[tuple[str, str]] = set()
    for row in sorted(rows, key=lambda r: (r.t, r.line)):
        if row.action == "inject_action":
            m = msel.get(row.inject)
            sim_t, what = (m.sim_t, m.sim_what) if m else (math.nan, "")
        else:
            rec = _match(ctx, row, inject_incident, inject_time)
            sim_t = rec.t if rec is not None else math.nan
            what = f"{rec.event} {rec.unit or rec.incident}".strip() if rec else ""
            if rec is not None:
                matched.add((rec.incident, rec.event))
        if math.isnan(sim_t):
            out.append(Comparison(row, math.nan, what, math.nan, "not_simulated"))
            continue
        delta = row.t - sim_t
        status = "late" if delta > late_after else "early" if delta < -late_after else "on_time"
        out.append(Comparison(row, sim_t, what, delta, status))
    scripted = {i.id for i in ctx.scenario.all_incidents()}
    for r in ctx.records:
        if r.incident in scripted and r.event in KEY_EVENTS and \
                (r.incident, r.event) not in matched:
            matched.add((r.incident, r.event))
            out.append(Comparison(None, r.t, f"{r.event} {r.incident}", math.nan,
                                  "not_observed"))
    return out


def _match(ctx: ReportContext, row: ObservedRow, inject_incident, inject_time):
    incident = row.incident or inject_incident.get(row.inject, "")
    after = 0.0
    if row.inject and not incident:
        t = inject_time(ctx, row.inject)
        after = t if not math.isnan(t) else 0.0
    unit_filter = None
    if row.actor in ctx.units:
        unit_filter = {row.actor}
    elif any(u.station == row.actor for u in ctx.units.values()):
        unit_filter = {u.id for u in ctx.units.values() if u.station == row.actor}
    for r in ctx.records:
        if r.event != row.action or r.t < after:
            continue
        if incident and r.incident != incident:
            continue
        if unit_filter is not None and r.unit and r.unit not in unit_filter:
            continue
        return r
    return None


def observed_section(ctx: ReportContext, comps: list[Comparison], late_after: float) -> Section:
    labels = {"on_time": ctx.t("on time", "按时"), "late": ctx.t("LATE", "滞后"),
              "early": ctx.t("early", "提前"), "not_simulated": ctx.t("not in the simulation",
                                                                      "模拟中无对应"),
              "not_observed": ctx.t("MISSING (not observed)", "缺失（未记录）")}
    rows, classes = [], []
    for c in comps:
        r = c.row
        rows.append([
            str(r.line) if r else "—", tx.offset(r.t) if r else "—", r.actor if r else "—",
            r.action if r else "—", (r.incident or r.inject) if r else "—",
            tx.offset(c.sim_t), c.sim_what or "—",
            (f"{c.delta / 60:+.1f} min" if not math.isnan(c.delta) else "—"),
            labels[c.status], r.note if r else ""])
        classes.append({"late": "late", "not_observed": "missing", "not_simulated": "missing",
                        "early": ""}.get(c.status, ""))
    n = {k: sum(c.status == k for c in comps) for k in labels}
    para = ctx.t(
        f"{len([c for c in comps if c.row])} observed action(s): {n['on_time']} on time, "
        f"{n['late']} late and {n['early']} early by more than {tx.minutes(late_after)}, "
        f"{n['not_simulated']} with no simulated counterpart; {n['not_observed']} key "
        "simulated action(s) were not observed.",
        f"共记录{len([c for c in comps if c.row])}项实际行动：按时{n['on_time']}项，滞后超过"
        f"{tx.minutes(late_after, 'zh')}的{n['late']}项，提前{n['early']}项，"
        f"模拟中无对应{n['not_simulated']}项；"
        f"另有{n['not_observed']}项模拟中的关键行动未被记录。")
    table = Table([ctx.t("line", "行"), ctx.t("observed", "实际"), ctx.t("actor", "行动者"),
                   ctx.t("action", "行动"), ctx.t("incident / inject", "警情/注入"),
                   ctx.t("simulated", "模拟"), ctx.t("simulated record", "模拟记录"),
                   ctx.t("difference", "差值"), ctx.t("status", "状态"), ctx.t("note", "备注")],
                  rows, ctx.t("Difference = observed − simulated.", "差值 = 实际 − 模拟。"),
                  classes)
    return Section("observed", ctx.t("Observed versus simulated", "实际记录与模拟对比"),
                   [para], [table])


def load_observed(ctx: ReportContext, path: Path) -> list[ObservedRow]:
    """Read an observed-actions file against the run of ``ctx``."""
    stations = {u.station for u in ctx.units.values()}
    return read_observed(path, ctx.scenario, set(ctx.units), stations)


