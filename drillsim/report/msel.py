"""The drill script for facilitators: the Master Scenario Events List (MSEL).

One row per inject and per scripted incident, in time order, with the HSEEP MSEL
columns (time, inject text, from, to, method, expected player action, objective)
and the simulated time at which the expected action happens in the run. That action
is measured by :func:`drillsim.metrics.injects.inject_responses` (one rule per inject
kind); this module only words it (``msel.*`` in ``wording/msel.yaml``).
"""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from drillsim.hazards.plume import CHEMICALS
from drillsim.metrics.injects import InjectResponse, Served, inject_responses
from drillsim.metrics.response import unreachable_calls
from drillsim.metrics.waterlogging import waterlogging_points
from drillsim.records.spreadsheet import spreadsheet_cell
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.registry import Table
from drillsim.report.wording import say
from drillsim.scenarios.schema import ChemicalRelease, Incident


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


def _units(ctx: ReportContext, units: tuple[str, ...]) -> str:
    return ctx.say("msel.unit_sep").join(units)


def _incident(ctx: ReportContext, a: InjectResponse) -> str:
    if a.outcome == "none":
        return ctx.say("msel.no_unit_dispatched")
    call = a.values.get("call_t")
    call_txt = ctx.say("msel.call_at", offset=tx.offset(call)) if call is not None else ""
    return ctx.say("msel.first_dispatch", call=call_txt, offset=tx.offset(a.sim_t),
                   units=_units(ctx, a.units))


def _road(ctx: ReportContext, a: InjectResponse) -> str:
    delays = [d for d in ctx.closure_delays if d.inject == a.id] \
        if a.kind == "road_closed" else []
    if delays:  # units routed around it, at the turnout order or on the way
        return ctx.say("sep_semicolon").join(ctx.say(
            "msel.closure_first_due" if d.first_due else "msel.closure_delay",
            unit=ctx.unit_label(d.unit), incident=ctx.incident_short(d.incident),
            extra=tx.minutes(d.delay, ctx.lang)) for d in delays)
    cut = [c for c in unreachable_calls(ctx.result) if a.id in c.closures] \
        if a.kind == "road_closed" else []
    if cut:  # no unit could get to a call behind it
        return ctx.say("sep_semicolon").join(ctx.say(
            "msel.cut_off", incident=ctx.incident_short(c.incident)) for c in cut)
    if a.outcome == "none":
        return ctx.say("msel.no_reroute")
    return ctx.say("msel.reroute", unit=ctx.unit_label(a.unit))


def _out(ctx: ReportContext, a: InjectResponse) -> str:
    if a.outcome == "none":
        return ctx.say("msel.none_needed_while_out",
                       type=tx.term("unit", a.subject_type, ctx.lang), out=a.subject)
    return ctx.say("msel.sent_instead", unit=ctx.unit_label(a.unit),
                   incident=ctx.incident_short(a.incident), out=a.subject)


def _back(ctx: ReportContext, a: InjectResponse) -> str:
    if a.outcome == "none":
        return ctx.say("msel.was_not_out", unit=a.subject)
    return ctx.say("msel.back_in_service", unit=a.subject)


def _call(ctx: ReportContext, incident: str) -> str:
    """A call with what it is: ``BG002 (automatic alarm)`` / ``BG002（自动报警）``."""
    row = ctx.rows.get(incident)
    what = tx.incident_type(row.occupancy, row.kind, ctx.lang) if row is not None else ""
    name = ctx.incident_short(incident)
    return name + tx.paren(what, ctx.lang) if what and name == incident else name


def _served(ctx: ReportContext, s: Served) -> str:
    """When a waiting call got its first unit, and every later wait of it (a later alarm
    that waited again: warehouse BG001 at alarm 2 from +01:14:13 to +02:17:24)."""
    def at(t: float) -> str:
        return tx.offset(t) if math.isfinite(t) else ctx.say("msel.not_served")

    text = at(s.dispatched)
    for w in s.waits[1:]:
        text = ctx.say("msel.served_again", served=text, alarm=w.alarm, start=tx.offset(w.start),
                       end=at(w.end if w.served else math.inf))
    return text


def _surge(ctx: ReportContext, a: InjectResponse) -> str:
    """The reserve first (the surge asks stations to keep an engine in quarters): per
    station, the spans it had none in; then whether any call waited (from when: the
    table gives this row no leading time, which would read as the reserve's), and the
    order the waiting calls were served in."""
    if a.outcome == "none":
        wait = ctx.say("msel.no_call_waited")
    else:
        order = [tx.label(_call(ctx, s.incident), _served(ctx, s), ctx.lang) for s in a.served]
        wait = ctx.say("msel.call_waits", incident=ctx.incident_short(a.incident),
                       offset=tx.offset(a.sim_t)) \
            + ctx.say("msel.served_order", calls=tx.join(order, ctx.lang))
    if not a.empty:
        return ctx.say("msel.every_station_kept") + ctx.say("sep_semicolon") + wait
    by_station: dict[str, list] = {}
    for e in a.empty:  # by start: each station where its first span puts it
        by_station.setdefault(e.station, []).append(e)
    gaps = [ctx.say("msel.station_empty", station=ctx.place_name(station),
                    units=_units(ctx, spans[0].units),
                    spans=ctx.say("msel.span_sep").join(ctx.say(
                        "msel.empty_span", start=tx.offset(e.start), end=tx.offset(e.end))
                        for e in spans))
            for station, spans in by_station.items()]
    return (ctx.say("msel.stations_empty", stations=tx.join(gaps, ctx.lang))
            + ctx.say("sep_semicolon") + wait)


def _comms(ctx: ReportContext, a: InjectResponse) -> str:
    if a.outcome == "none":
        return ctx.say("msel.no_delayed_dispatch")
    return ctx.say("msel.first_delayed_dispatch", unit=ctx.unit_label(a.unit),
                   incident=ctx.incident_short(a.incident))


def _pump(ctx: ReportContext, a: InjectResponse) -> str:
    point = ctx.point_name(a.subject)
    back = a.values.get("restored_t")
    late = ctx.say("msel.pump_after_restored", offset=tx.offset(back)) if back is not None \
        else ""
    if a.outcome == "none":
        return ctx.say("msel.no_pump_sent", point=point) + late
    return ctx.say("msel.pump_sent", unit=ctx.unit_label(a.unit), point=point) + late


def _restored(ctx: ReportContext, a: InjectResponse) -> str:
    point = ctx.point_name(a.subject)
    if a.outcome == "none":
        return ctx.say("msel.not_restored", point=point)
    return ctx.say("msel.station_restored", point=point,
                   drain=f"{a.values['drain_m3_s']:.2f}")


def _stock(ctx: ReportContext, a: InjectResponse) -> str:
    depot = ctx.place_name(a.subject)
    if a.outcome == "none":
        return ctx.say("msel.no_stock_change", depot=depot)
    taken = {k: -v for k, v in a.values.items() if v < 0}
    added = {k: v for k, v in a.values.items() if v > 0}
    parts = ([ctx.say("msel.stock_taken", items=tx.quantities(taken, ctx.lang))] if taken
             else []) + ([ctx.say("msel.stock_added", items=tx.quantities(added, ctx.lang))]
                         if added else [])
    what = ctx.say("msel.stock_changed", depot=depot,
                   change=ctx.say("msel.unit_sep").join(parts))
    if a.then is None:
        return what + ctx.say("msel.no_replenishment")
    return what + ctx.say("msel.next_replenishment", offset=tx.offset(a.then.t))


def _wind(ctx: ReportContext, a: InjectResponse) -> str:
    if a.outcome == "no_release":
        return ctx.say("msel.no_release")
    if a.outcome == "none":
        return ctx.say("msel.no_zone_update")
    v = a.values
    what = ctx.say("msel.zones_redrawn", wind=f"{v['wind_from_deg']:g}",
                   people=tx.count(v['aegl2_people']))
    nxt = a.then
    if nxt is None:
        return what
    at = tx.offset(nxt.t)
    if nxt.event == "evacuation_ordered":
        return what + ctx.say("msel.evacuation_extended", offset=at, people=tx.count(nxt.people))
    if nxt.event == "protective_action":
        return what + ctx.say("msel.order_given", offset=at)
    return what + ctx.say("msel.staged_in_zone", offset=at, unit=ctx.unit_label(nxt.unit))


NOTE_ACTIONS = {
    "arrive": "msel.did_arrive", "enroute": "msel.did_enroute",
    "dispatch": "msel.did_dispatch", "reroute": "msel.did_reroute",
    "full_assignment": "msel.did_full_assignment", "escalate": "msel.did_escalate",
    "mutual_aid_request": "msel.did_mutual_aid_request", "unmet": "msel.did_unmet",
    "queued": "msel.did_queued", "displaced": "msel.did_displaced",
    "unsheltered": "msel.did_unsheltered", "relieved": "msel.did_relieved",
    "shelter_admit": "msel.did_shelter_admit", "warning_target": "msel.did_warning_target",
    "warning": "msel.did_warning", "source_control": "msel.did_source_control",
    "plume": "msel.did_plume", "responder_exposed": "msel.did_responder_exposed",
}
"""The sentence of each record kind a note's objective measures
(:data:`drillsim.metrics.injects.METRIC_EVENT`): who did what, where."""


def _did(ctx: ReportContext, event: str, units: tuple[str, ...], incident: str, place: str,
         values: dict) -> str:
    """What one record (or the same record of several units) says happened, as a sentence
    without its time (the MSEL shows the time beside it)."""
    v = dict(values)
    return ctx.say(
        NOTE_ACTIONS[event], who=_units(ctx, tuple(ctx.unit_label(u) for u in units)),
        incident=ctx.incident_short(incident) if incident else "—",
        place=ctx.place_name(place) if place else "—",
        alarm=f"{v.get('alarm', 0):.0f}", people=tx.count(v.get("people", math.nan)),
        share=f"{v.get('share', math.nan):.0%}",
        aegl2=tx.count(v.get("aegl2_people", math.nan)))


def _points(ctx: ReportContext, a: InjectResponse) -> str:
    """A note on waterlogging points: the units the closure routed around them, or that
    none had to re-route and how close the units sent meanwhile came."""
    ids = list(a.spec.points)
    names = tx.join([ctx.point_name(p) for p in ids], ctx.lang, words=True)
    detours = [p for p in a.passages if p.detoured]
    if detours:
        return ctx.say("sep_semicolon").join(ctx.say(
            "msel.points_detour" if math.isnan(p.rerouted) else "msel.points_detour_on_way",
            unit=ctx.unit_label(p.unit), incident=ctx.incident_short(p.incident),
            point=ctx.point_name(p.point), extra=tx.minutes(p.extra, ctx.lang),
            at=tx.offset(p.rerouted)) for p in detours)
    if not a.passages:
        measures = waterlogging_points(ctx.result)
        closed = any(measures[p].closed_to_trucks for p in ids if p in measures)
        return ctx.say("msel.points_no_trip" if closed else "msel.points_never_closed",
                       points=names)
    near = round(min(p.nearest_m for p in a.passages), -1)
    closest = [p for p in a.passages if round(p.nearest_m, -1) == near]
    text = ctx.say("msel.points_no_detour", points=names, n=len(a.passages),
                   distance=f"{near:.0f} m", point=ctx.point_name(closest[0].point),
                   units=_units(ctx, tuple(ctx.say(
                       "msel.unit_at", unit=ctx.unit_label(p.unit),
                       incident=ctx.incident_short(p.incident)) for p in closest)))
    other = [p for p in a.passages if p.other_reroutes]
    if other:  # the records show re-routes on these trips: say what caused them
        times = sorted({t for p in other for t in p.other_reroutes})
        named = [p for p in other if p in closest]  # each unit said once: "these"
        units = _units(ctx, tuple(ctx.say(
            "msel.unit_at", unit=ctx.unit_label(p.unit), incident=ctx.incident_short(p.incident))
            for p in other if p not in closest))
        if named:
            these = ctx.say("msel.these") if len(named) == len(closest) else _units(
                ctx, tuple(ctx.unit_label(p.unit) for p in named))
            units = ctx.say("msel.these_and", these=these, units=units) if units else these
        text += ctx.say("sep_semicolon") + ctx.say(
            "msel.points_other_reroutes", units=units,
            times=tx.join([tx.offset(t) for t in times], ctx.lang, words=True),
            points=names)
    return text


def _note(ctx: ReportContext, a: InjectResponse) -> str:
    if a.passages or getattr(a.spec, "points", None):
        return _points(ctx, a)
    if a.outcome == "no_objective":
        return ctx.say("msel.no_objective")
    if a.outcome == "unmeasured":
        return ctx.say("msel.no_simulated_action")
    if a.outcome == "none":
        return ctx.say("msel.none_in_run")
    what = _did(ctx, a.event, a.units, a.incident, a.place, a.values)
    for nxt in (*a.between, *([a.then] if a.then is not None else [])):  # every one
        what += ctx.say("msel.then", offset=tx.offset(nxt.t), what=_did(
            ctx, nxt.event, (nxt.unit,) if nxt.unit else (), nxt.incident, "", nxt.values))
    return ctx.say("msel.already", what=what) if a.outcome == "already" else what


WORDING = {
    "incident": _incident, "release": _incident, "road_closed": _road, "road_reopened": _road,
    "unit_out_of_service": _out, "unit_in_service": _back, "call_surge": _surge,
    "comms_delay": _comms, "pump_station_failed": _pump, "pump_station_restored": _restored,
    "stock_change": _stock, "wind_shift": _wind, "note": _note,
}
"""The sentence of each inject kind's simulated action."""


def simulated_action(ctx: ReportContext, a: InjectResponse) -> str:
    """What answered an inject, in the report language ("—" for a kind without a rule)."""
    fn = WORDING.get(a.kind)
    return fn(ctx, a) if fn is not None and a.outcome != "no_rule" else "—"


def _release_text(ctx: ReportContext, spec: ChemicalRelease) -> tuple[str, str]:
    """What the release row says, in English and Chinese: the chemical, where, how it
    leaks and how fast (the drill file gives no text for it)."""
    chem = CHEMICALS[spec.chemical]
    place = ctx.world.places.get(spec.site.place or "")
    site = {"en": getattr(place, "name_en", ""), "zh": getattr(place, "name_zh", "")}
    en, zh = (say(lang, "msel.release_text", chemical=getattr(chem, f"name_{lang}"),
                     site=site[lang] or site["en"] or site["zh"] or spec.site.place or "—",
                     rate=f"{spec.release.rate_kg_min:g}") for lang in ("en", "zh"))
    return en, zh


def msel_rows(ctx: ReportContext) -> list[MselRow]:
    """The drill script of the run's scenario, in time order."""
    out = []
    for n, a in enumerate(inject_responses(ctx.result, ctx.world), 1):
        spec = a.spec
        if isinstance(spec, Incident):  # a scripted incident
            row = (spec.text or spec.name_en, spec.text_zh or spec.name_zh, "", "", "",
                   ctx.say("msel.dispatch_first_alarm"), "")
        elif isinstance(spec, ChemicalRelease):  # the drill's release, scripted too
            row = (*_release_text(ctx, spec), "", "", "", ctx.say("msel.release_expected"), "")
        else:
            row = (spec.text, spec.text_zh, ctx.name(spec.sender, spec.sender_zh),
                   ctx.name(spec.deliver_to, spec.deliver_to_zh),
                   ctx.name(spec.method, spec.method_zh),
                   ctx.name(spec.expected_action, spec.expected_action_zh), spec.objective)
        out.append(MselRow(n, a.id, a.kind, a.at, *row, a.sim_t, simulated_action(ctx, a)))
    return out


def msel_table(ctx: ReportContext, rows: list[MselRow]) -> Table:
    start = ctx.scenario.start
    return Table(
        ["#", ctx.say("msel.col_time"), ctx.say("msel.col_clock"), ctx.say("msel.col_inject"),
         ctx.say("msel.col_text"), ctx.say("msel.col_from_to"), ctx.say("msel.col_method"),
         ctx.say("msel.col_expected"), ctx.say("msel.col_objective"),
         ctx.say("msel.col_simulated")],
        [[str(r.number), tx.offset(r.at), tx.clock(start, r.at),
          r.id + tx.paren(tx.term('inject', r.kind, ctx.lang), ctx.lang),
          ctx.name(r.text, r.text_zh) or "—", f"{r.sender or '—'} → {r.deliver_to or '—'}",
          r.method or "—", r.expected_action or "—", r.objective or "—",
          (f"{tx.offset(r.sim_t)} {r.sim_what}" if not math.isnan(r.sim_t)
           and r.kind not in ("incident", "release", "call_surge") else r.sim_what)]
         for r in rows],
        ctx.say("msel.caption"))


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
    """User text on one line, spreadsheet formulas neutralised (CSV injection)."""
    return str(spreadsheet_cell(" ".join(str(text).split())))


def inject_time(ctx: ReportContext, inject_id: str) -> float:
    """When an inject was delivered in the run (NaN if it was not)."""
    for r in ctx.records:
        if r.event == "inject" and r.data.get("id") == inject_id:
            return r.t
    return math.nan
