"""What the players did in answer to each inject: the MSEL's simulated actions.

:func:`inject_responses` gives, for every scripted incident and inject of the drill in
time order, the simulated time at which the expected action happens in the run and what
that action was, as data (the record kind, unit, incident, place and numbers); the
report's MSEL (:mod:`drillsim.report.msel`) only words it. One rule per inject kind
(:data:`RULES`):

=====================  ==============================================================
kind                   simulated action
=====================  ==============================================================
incident (scripted     first dispatch of a unit to that incident (with the call time)
or injected)
release (the drill's   first dispatch to the hazmat incident its call raises (with the
chemical release)      call time)
road_closed,           first re-route of a unit at or after the inject
road_reopened
unit_out_of_service    next dispatch of a unit of the same type while that unit is out
                       (the dispatch that had to do without it)
unit_in_service        the unit is back in service (``in_service`` record)
call_surge             first call that had to wait for a free unit during the surge;
                       the order the waiting calls were served in (``served``: every
                       call that waited during it or in its backlog, :func:`surge_waits`)
                       and the stations left without an engine in quarters meanwhile
                       (``empty``: each spell that overlaps the surge, whole;
                       :func:`drillsim.metrics.response.empty_stations`)
comms_delay            first dispatch order after the delay starts
pump_station_failed    first pump crew sent to that waterlogging point at or after the
                       inject (:func:`drillsim.metrics.waterlogging.first_pump_after`),
                       with the restoration time (``restored_t``) when the station was
                       back before it
pump_station_restored  the station pumping again (``pump_station_restored`` record at the
                       point), with the drainage it gives back
stock_change           the stock change at that depot (``stock_change`` record; ``values``:
                       the items, negative taken away), then the depot's next
                       replenishment (``replenish`` record, ``then``)
wind_shift             first zone update showing the new wind, with the next evacuation
                       extension, order or responder exposure
                       (:func:`drillsim.metrics.chemical.wind_shift_response`)
note naming            the trips from quarters that met those points closed to fire
waterlogging points    engines (``passages``:
(``points``)           :func:`drillsim.metrics.roads.point_passages`); ``done`` at the
                       first turnout order of a unit the closure routed around, ``none``
                       when it lengthened no route (needs the run's world)
note                   first record that its objective's metric measures
                       (:data:`METRIC_EVENT`) at or after the inject; when there is none
                       after it, the last one before it (``already``). Records that name
                       an incident count only for the note's incident (the incident it
                       follows: the last one started at or before it). ``already``
                       cites the first such record before the inject, and the last one
                       before it as ``then`` (a commander who called alarms 2 and 3),
                       those between as ``between`` (every alarm: 2, 3 and 4)
=====================  ==============================================================
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal

from drillsim.metrics.chemical import hazmat_units, wind_shift_response
from drillsim.metrics.response import (
    EmptyStation,
    Wait,
    call_waits,
    empty_stations,
    unit_activity,
)
from drillsim.metrics.roads import PointPassage, point_passages
from drillsim.metrics.waterlogging import first_pump_after, station_outages
from drillsim.network.world import World
from drillsim.records.record import Record
from drillsim.records.result import RunResult

Outcome = Literal["done", "already", "none", "no_objective", "unmeasured", "no_release",
                  "no_rule"]
"""How an inject was answered: ``done`` (the action happened at or after it), ``already``
(a note's action happened only before it), ``none`` (no action), ``no_objective`` (a note
naming no objective of the drill), ``unmeasured`` (a note on a metric that no record
measures), ``no_release`` (a wind shift in a drill without a release), ``no_rule`` (an
inject kind without a rule)."""


@dataclass(frozen=True)
class FollowUp:
    """A second action that followed the first one (a wind shift's evacuation extension).

    Attributes
    ----------
    t
        Drill time, s.
    event
        Record kind (``displaced``, ``protective_action``, ``responder_exposed``).
    unit
        The unit, if the record names one.
    people
        People concerned (the evacuation extension), 0 if none.
    incident
        The incident the record names, if any.
    values
        The record's numbers (a note's: ``alarm``, ``people``).
    """

    t: float
    event: str
    unit: str = ""
    people: int = 0
    incident: str = ""
    values: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Served:
    """A call that waited for a free unit, and when a unit was sent to it (s); ``waits``:
    every spell it waited (:func:`drillsim.metrics.response.call_waits`; a later alarm can
    wait again)."""

    incident: str
    queued: float
    dispatched: float
    waits: tuple[Wait, ...] = ()


@dataclass(frozen=True)
class InjectResponse:
    """The simulated action that answered one inject or scripted incident.

    Attributes
    ----------
    id, kind, at
        The inject's (or incident's) id, kind and scenario time, s.
    spec
        The scenario's incident or inject (its texts, sender, method ...).
    outcome
        How it was answered (:data:`Outcome`).
    sim_t
        Drill time of the action, s (NaN when there is none).
    event
        Record kind of the action (for a note, also the kind looked for when none).
    unit, incident, place
        What the action's record names.
    units
        Every unit of the action (an incident's first dispatch sends several).
    subject, subject_type
        What the inject itself names (its unit, pump point, depot, incident) and, for a
        unit, its type.
    destination
        Where the action leads (the shelter a relief truck loads for).
    values
        Numbers of the action (``call_t``; a zone update's ``wind_from_deg``,
        ``aegl2_nodes``, ``aegl2_people``; a note's record's numeric fields).
    then
        The action that followed (a wind shift's), or None.
    between
        A note answered ``already``: the records it measures between the first one and
        ``then`` (a commander who called alarms 2, 3 and 4 before the note: alarm 3), in
        time order.
    served
        A call surge's waiting calls in the order units were sent to them.
    empty
        A call surge's stations without an engine in quarters, and when.
    passages
        A note on waterlogging points: the trips that met them closed.
    """

    id: str
    kind: str
    at: float
    spec: object
    outcome: Outcome
    sim_t: float = math.nan
    event: str = ""
    unit: str = ""
    incident: str = ""
    place: str = ""
    units: tuple[str, ...] = ()
    subject: str = ""
    subject_type: str = ""
    destination: str = ""
    values: Mapping[str, float] = field(default_factory=dict)
    then: FollowUp | None = None
    between: tuple[FollowUp, ...] = ()
    served: tuple[Served, ...] = ()
    empty: tuple[EmptyStation, ...] = ()
    passages: tuple[PointPassage, ...] = ()


@dataclass(frozen=True)
class Measured:
    """The records an objective's metric measures (what a note inject looks for).

    Attributes
    ----------
    event
        Record kind.
    at_incident
        Only records at an incident (not a pump crew at a waterlogging point).
    incident_kind
        Only records of incidents of this kind (``""``: any).
    hazmat
        Only records of hazmat crews (:func:`drillsim.metrics.chemical.hazmat_units`).
    from_quarters
        Only turnouts from quarters.
    per_incident
        The records name an incident: a note counts only its own incident's.
    """

    event: str
    at_incident: bool = False
    incident_kind: str = ""
    hazmat: bool = False
    from_quarters: bool = False
    per_incident: bool = False


_ARRIVAL = Measured("arrive", at_incident=True, per_incident=True)
_PLUME = Measured("plume")
_RELIEF = Measured("relieved")
_TURNOUT = Measured("enroute", from_quarters=True, per_incident=True)

METRIC_EVENT: dict[str, Measured | None] = {
    "first_arrival_p50": _ARRIVAL, "first_arrival_p90": _ARRIVAL,
    "dispatch_to_arrival_p90": _ARRIVAL, "travel_p90": _ARRIVAL,
    "five_minute_share": _ARRIVAL, "nfpa_travel_share": _ARRIVAL,
    "five_minute_n": _ARRIVAL, "nfpa_travel_n": _ARRIVAL,
    "fire_size_at_first_arrival_p90": Measured("arrive", at_incident=True,
                                               incident_kind="fire", per_incident=True),
    "turnouts_n": _TURNOUT, "turnout_p90": _TURNOUT, "nfpa_turnout_share": _TURNOUT,
    "full_assignment_p90": Measured("full_assignment", per_incident=True),
    "fire_size_at_full_assignment_max": Measured("escalate", per_incident=True),
    "calls_unmet": Measured("unmet"), "calls_queued": Measured("queued"),
    "mutual_aid_calls": Measured("mutual_aid_request", per_incident=True),
    "utilisation_max": Measured("dispatch"),
    "rescue_first_arrival_p90": Measured("arrive", at_incident=True,
                                         incident_kind="flood_rescue"),
    "people_displaced": Measured("displaced"), "people_unsheltered": Measured("unsheltered"),
    "relief_share_10h": _RELIEF, "relief_t95": _RELIEF, "relief_t100": _RELIEF,
    "warning_t95": Measured("warning_target"), "warning_share_1h": Measured("warning"),
    "hazmat_first_arrival": Measured("arrive", at_incident=True, hazmat=True,
                                     per_incident=True),
    "source_control_time": Measured("source_control", per_incident=True),
    "people_above_aegl1": _PLUME, "people_above_aegl2": _PLUME, "people_above_aegl3": _PLUME,
    "person_minutes_aegl2": _PLUME,
    "evacuation_time": Measured("shelter_admit"),
    "responders_exposed": Measured("responder_exposed"),
}
"""The records each metric of :data:`drillsim.metrics.catalog.METRICS` measures (None: no
record does, a note on it has no simulated action)."""


Rule = Callable[[RunResult, object, str, float], InjectResponse]


def _first(result: RunResult, pred: Callable[[Record], bool], after: float) -> Record | None:
    return next((r for r in result.records if r.t >= after and pred(r)), None)


def _incident(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    inc = inj.incident.id if hasattr(inj, "incident") else getattr(inj, "incident_id", inj.id)
    call = _first(result, lambda r: r.event == "call" and r.incident == inc, 0.0)
    r = _first(result, lambda r: r.event == "dispatch" and r.incident == inc, 0.0)
    if r is None:
        return InjectResponse(iid, "incident", t, inj, "none", subject=inc)
    units = tuple(sorted({x.unit for x in result.records if x.event == "dispatch"
                          and x.incident == inc and x.t == r.t}))
    values = {"call_t": call.t} if call is not None else {}
    return InjectResponse(iid, "incident", t, inj, "done", r.t, "dispatch", r.unit, inc,
                          r.place, units, subject=inc, values=values)


def _release(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    return replace(_incident(result, inj, iid, t), kind="release")


def _first_unit_response(result: RunResult, inj, iid: str, t: float,
                         pred) -> InjectResponse:
    """The first record after the inject that ``pred`` accepts, as the unit's response."""
    r = _first(result, pred, t)
    if r is None:
        return InjectResponse(iid, inj.kind, t, inj, "none")
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, r.unit, r.incident,
                          r.place, (r.unit,))


def _road(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    return _first_unit_response(result, inj, iid, t, lambda r: r.event == "reroute")


def _out(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    unit = inj.unit
    types = {u.id: u.type for u in result.units}
    back = _first(result, lambda r: r.event == "in_service" and r.unit == unit, t)
    until = back.t if back is not None else math.inf
    kind = types.get(unit, "")
    r = _first(result, lambda r: r.event == "dispatch" and r.t < until and r.unit != unit
               and r.unit in types and types[r.unit] == kind, t)
    if r is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", subject=unit, subject_type=kind)
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, r.unit, r.incident,
                          r.place, (r.unit,), unit, kind)


def _back(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    r = _first(result, lambda r: r.event == "in_service" and r.unit == inj.unit, t)
    if r is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", subject=inj.unit)
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, r.unit,
                          units=(r.unit,), subject=inj.unit)


def surge_waits(result: RunResult, t0: float, t1: float) -> list[Served]:
    """Every call that waited for a free unit during ``[t0, t1]`` (s) or in the backlog
    it left: each call's first wait, when it began before ``t0`` and lasted into it, began
    within it, or began later while a call already counted still waited; in the order
    units were sent to them (``inf``: never), with every wait of the call
    (:func:`~drillsim.metrics.response.call_waits`)."""
    out: list[Served] = []
    waits = call_waits(result)
    for first, *_ in sorted(waits.values(), key=lambda ws: ws[0].start):
        s = Served(first.incident, first.start, _first_dispatch(result, first),
                   tuple(waits[first.incident]))
        if (first.start < t0 < s.dispatched or t0 <= first.start <= t1
                or (first.start > t1 and any(w.dispatched > first.start for w in out))):
            out.append(s)
    return sorted(out, key=lambda s: (s.dispatched, s.queued))


def _first_dispatch(result: RunResult, wait: Wait) -> float:
    """When the first unit was sent to a call after its wait began, s (``inf``: never)."""
    sent = _first(result, lambda r: r.event == "dispatch" and r.incident == wait.incident,
                  wait.start)
    return sent.t if sent is not None else math.inf


def _surge(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    end = t + inj.lasting if inj.lasting is not None else math.inf
    waited = [r for r in result.records if r.event == "queued" and t <= r.t <= end]
    served = surge_waits(result, t, end)
    # each empty spell that overlaps the surge, from its real start to its real end
    empty = tuple(e for e in empty_stations(result, "engine", 0.0, math.inf)
                  if e.start < end and e.end > t)
    if not waited:
        return InjectResponse(iid, inj.kind, t, inj, "none", empty=empty)
    r = waited[0]
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, incident=r.incident,
                          served=tuple(served), empty=empty)


def _comms(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    return _first_unit_response(result, inj, iid, t, lambda r: r.event == "dispatch")


def _pump(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    out = next((o for o in station_outages(result) if o.point == inj.point
                and o.failed_t >= t), None)
    # the station back before the first pump: when (``restored_t``)
    late = {"restored_t": out.restored_t} if out is not None and out.late \
        and math.isfinite(out.restored_t) else {}
    found = first_pump_after(result, inj.point, t)
    if found is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", subject=inj.point, values=late)
    at, unit = found
    return InjectResponse(iid, inj.kind, t, inj, "done", at, "dispatch", unit,
                          place=inj.point, units=(unit,), subject=inj.point, values=late)


def _restored(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    r = next((r for r in result.records if r.event == "pump_station_restored"
              and r.place == inj.point and r.t >= t), None)
    if r is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", subject=inj.point)
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, place=inj.point,
                          subject=inj.point, values={"drain_m3_s": float(r.get("drain_m3_s"))})


def _stock(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    r = _first(result, lambda r: r.event == "stock_change" and r.place == inj.depot, t)
    if r is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", subject=inj.depot)
    nxt = _first(result, lambda x: x.event == "replenish" and x.place == inj.depot, r.t)
    sign = -1.0 if r.get("removed") else 1.0
    values = {k: sign * float(v) for k, v in r.data.get("items", {}).items()}
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, place=inj.depot,
                          subject=inj.depot, values=values,
                          then=None if nxt is None else FollowUp(nxt.t, nxt.event))


def _wind(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    spec = result.scenario.chemical
    if spec is None:
        return InjectResponse(iid, inj.kind, t, inj, "no_release")
    plume, nxt, people = wind_shift_response(result, inj.wind_from_deg, t)
    if plume is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", subject=spec.id)
    d = plume.data
    values = {"wind_from_deg": float(d["wind_from_deg"]), "aegl2_nodes": d["aegl2_nodes"],
              "aegl2_people": float(d["aegl2_people"])}
    return InjectResponse(iid, inj.kind, t, inj, "done", plume.t, plume.event,
                          place=plume.place, subject=spec.id, values=values,
                          then=None if nxt is None else FollowUp(nxt.t, nxt.event, nxt.unit,
                                                                 people))


def _measures(result: RunResult, m: Measured, incident: str = "") -> Callable[[Record], bool]:
    """Whether a record is one that ``m`` describes (of ``incident`` only, if given and the
    records name one)."""
    kinds = {i.id: i.kind for i in result.incidents}
    crews = hazmat_units(result) if m.hazmat else set()
    only = incident if m.per_incident else ""

    def pred(r: Record) -> bool:
        if r.event != m.event:
            return False
        if only and r.incident != only:
            return False
        if m.at_incident and (not r.incident or r.get("task", "incident") != "incident"):
            return False
        if m.incident_kind and kinds.get(r.incident) != m.incident_kind:
            return False
        if m.hazmat and r.unit not in crews:
            return False
        return not m.from_quarters or bool(r.get("from_quarters"))
    return pred


def note_incident(result: RunResult, t: float) -> str:
    """The incident a note at drill time ``t`` (s) concerns: the last scripted or injected
    incident started at or before it (``""`` if none)."""
    s = result.scenario
    started = [(inc.at if inc.at is not None else 0.0, inc.id) for inc in s.incidents]
    started += [(inj.at, inj.incident.id) for inj in s.injects if inj.kind == "incident"]
    before = [x for x in started if x[0] <= t]
    return max(before, key=lambda x: x[0])[1] if before else ""


def _note(result: RunResult, inj, iid: str, t: float) -> InjectResponse:
    obj = next((o for o in result.scenario.objectives if o.id == inj.objective), None)
    if obj is None:
        return InjectResponse(iid, inj.kind, t, inj, "no_objective")
    m = METRIC_EVENT.get(obj.metric)
    if m is None:
        return InjectResponse(iid, inj.kind, t, inj, "unmeasured", subject=obj.metric)
    inc = note_incident(result, t)
    pred = _measures(result, m, inc)
    r = _first(result, pred, t)
    if r is None:
        before = [r for r in result.records if r.t < t and pred(r)]
        if not before:
            return InjectResponse(iid, inj.kind, t, inj, "none", event=m.event,
                                  subject=obj.metric, incident=inc if m.per_incident else "")
        r, last = before[0], before[-1]
        then = FollowUp(last.t, last.event, last.unit, incident=last.incident,
                        values=_numbers(last)) if last.t > r.t else None
        between = tuple(FollowUp(x.t, x.event, x.unit, incident=x.incident, values=_numbers(x))
                        for x in before[1:-1])
        return InjectResponse(iid, inj.kind, t, inj, "already", r.t, r.event, r.unit,
                              r.incident, r.place, (r.unit,) if r.unit else (), obj.metric,
                              values=_numbers(r), then=then, between=between)
    return InjectResponse(iid, inj.kind, t, inj, "done", r.t, r.event, r.unit, r.incident,
                          r.place, (r.unit,) if r.unit else (), obj.metric,
                          values=_numbers(r))


def _points_note(result: RunResult, world: World, inj, iid: str, t: float) -> InjectResponse:
    """A note on waterlogging points: the trips that met them closed (see :data:`RULES`)."""
    found = tuple(point_passages(result, world, unit_activity(result), list(inj.points)))
    first = next((p for p in found if p.detoured), None)
    if first is None:
        return InjectResponse(iid, inj.kind, t, inj, "none", event="reroute",
                              passages=found)
    return InjectResponse(iid, inj.kind, t, inj, "done", first.dispatch, "reroute",
                          first.unit, first.incident, units=(first.unit,), passages=found)


def _numbers(r: Record) -> dict[str, float]:
    """The numeric typed fields of a record (a note's action: ``alarm``, ``people``,
    ``share``, ``aegl2_people``), for the sentence that states it."""
    return {k: float(v) for k, v in r.data.items()
            if isinstance(v, int | float) and not isinstance(v, bool)}


RULES: dict[str, Rule] = {
    "incident": _incident, "release": _release,
    "road_closed": _road, "road_reopened": _road,
    "unit_out_of_service": _out, "unit_in_service": _back,
    "call_surge": _surge, "comms_delay": _comms,
    "pump_station_failed": _pump, "pump_station_restored": _restored,
    "stock_change": _stock,
    "wind_shift": _wind,
    "note": _note,
}
"""The simulated-action rule of each inject kind."""


def inject_responses(result: RunResult, world: World | None = None) -> list[InjectResponse]:
    """The simulated action of every scripted incident (the chemical release among them)
    and inject of the run, in time order (incidents before injects at the same time); a
    note naming waterlogging points is answered by the routes around them given the run's
    ``world`` (without it, by its objective's records)."""
    s = result.scenario
    items = []
    for inc in s.incidents:
        items.append((inc.at if inc.at is not None else 0.0, 0, inc.id, "incident", inc))
    if s.chemical is not None:  # the release: scripted, answered by its hazmat call
        items.append((s.chemical.at, 0, s.chemical.id, "release", s.chemical))
    for label, inj in zip(s.inject_ids(), s.injects, strict=True):
        items.append((inj.at, 1, label, inj.kind, inj))
    items.sort(key=lambda x: (x[0], x[1]))
    out = []
    for at, _order, iid, kind, spec in items:
        rule = RULES.get(kind)
        if kind == "note" and getattr(spec, "points", None) and world is not None:
            out.append(_points_note(result, world, spec, iid, at))
            continue
        out.append(rule(result, spec, iid, at) if rule is not None
                   else InjectResponse(iid, kind, at, spec, "no_rule"))
    return out
