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
    injects = set(scenario.inject_ids())
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
    inject_incident = {label: inj.incident.id for label, inj in
                       zip(ctx.scenario.inject_ids(), ctx.scenario.injects, strict=True)
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


STATUS_WORDING = {
    "on_time": "obs.status_on_time",
    "late": "obs.status_late",
    "early": "obs.status_early",
    "not_simulated": "obs.status_not_simulated",
    "not_observed": "obs.status_not_observed",
}
"""How the report names each comparison status (wording keys)."""


def observed_section(ctx: ReportContext, comps: list[Comparison], late_after: float) -> Section:
    rows, classes = [], []
    for c in comps:
        r = c.row
        rows.append([
            str(r.line) if r else "—", tx.offset(r.t) if r else "—", r.actor if r else "—",
            r.action if r else "—", (r.incident or r.inject) if r else "—",
            tx.offset(c.sim_t), c.sim_what or "—",
            (ctx.say("obs.delta", minutes=f"{c.delta / 60:+.1f}")
             if not math.isnan(c.delta) else "—"),
            ctx.say(STATUS_WORDING[c.status]), r.note if r else ""])
        classes.append({"late": "late", "not_observed": "missing", "not_simulated": "missing",
                        "early": ""}.get(c.status, ""))
    n = {k: sum(c.status == k for c in comps) for k in STATUS_WORDING}
    para = ctx.say("obs.summary", observed=len([c for c in comps if c.row]),
                   on_time=n["on_time"], late=n["late"], early=n["early"],
                   threshold=tx.minutes(late_after, ctx.lang), not_simulated=n["not_simulated"],
                   not_observed=n["not_observed"])
    table = Table([ctx.say("obs.col_line"), ctx.say("obs.col_observed"),
                   ctx.say("obs.col_actor"), ctx.say("obs.col_action"),
                   ctx.say("obs.col_incident_inject"), ctx.say("obs.col_simulated"),
                   ctx.say("obs.col_simulated_record"), ctx.say("obs.col_difference"),
                   ctx.say("obs.col_status"), ctx.say("obs.col_note")],
                  rows, ctx.say("obs.caption"), classes)
    return Section("observed", ctx.say("observed"), [para], [table])


def load_observed(ctx: ReportContext, path: Path) -> list[ObservedRow]:
    """Read an observed-actions file against the run of ``ctx``."""
    stations = {u.station for u in ctx.units.values()}
    return read_observed(path, ctx.scenario, set(ctx.units), stations)


