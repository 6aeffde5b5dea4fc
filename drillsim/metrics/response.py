"""Response metrics: pure functions of a run's records.

Definitions follow NFPA 1710 (2020), section 3.3 (alarm processing, turnout and
travel time) and 建标152-2017 (the 5-minute rule counts from the turnout order,
that is the dispatch, to arrival on scene); the standards themselves are data in
:mod:`drillsim.metrics.standards`. Fractiles are empirical ("inverted CDF": the
smallest observed value with at least the given share at or below it), as the
standards count incidents; a call nobody reached counts as infinitely late.

Every response time the summary, the report and the figures show is computed here:
:func:`unit_activity` (each unit's assignments), :func:`unit_timeline` (the state
spans of the unit time line), :func:`fire_station_turnouts`, :func:`incident_table`,
:func:`response_segments` (an incident's response split into segments) and
:func:`segment_shares` (which segment took longest over several incidents), with what
the records show around an incident: :func:`escalation`, :func:`comms_delay_at` and
:func:`call_surge_span`. Facts that need the road network are in
:mod:`drillsim.metrics.roads`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import asdict, dataclass, fields
from typing import NamedTuple

import numpy as np

from drillsim.metrics.standards import FIVE_MINUTE, NFPA_TRAVEL, NFPA_TURNOUT
from drillsim.records.record import Record
from drillsim.records.result import IncidentInfo, RunResult

NAN = math.nan

# ----------------------------------------------------------------------------- units


@dataclass(frozen=True)
class Assignment:
    """One assignment of a unit, from its dispatch on; times in s (NaN: did not happen).

    Attributes
    ----------
    unit, incident, place, task
        The unit, the incident it was sent to (``""`` for a task such as pumping), the
        place of a task and the task (``incident``, ``pump``).
    mutual_aid
        The unit came from outside the district.
    dispatch, enroute, arrive, release, quarters
        Turnout order, wheels rolling, on scene, leaving the scene, back in quarters
        (NaN when the unit was sent on before it got home).
    from_quarters
        It turned out from its quarters (the ``enroute`` record says so).
    reroutes
        Route changes between wheels rolling and arrival.
    eta
        Expected travel time at the turnout order (the dispatch record's ``eta_s``), s.
    """

    unit: str
    incident: str
    place: str
    task: str
    mutual_aid: bool
    dispatch: float
    enroute: float = NAN
    from_quarters: bool = False
    arrive: float = NAN
    release: float = NAN
    quarters: float = NAN
    reroutes: int = 0
    eta: float = NAN

    @property
    def turnout(self) -> float:
        """Turnout order to wheels rolling, s; NaN unless it turned out from quarters."""
        return self.enroute - self.dispatch if self.from_quarters else NAN

    @property
    def travel(self) -> float:
        """Wheels rolling to arrival, s (NaN for mutual aid or no arrival)."""
        return self.arrive - self.enroute

    @property
    def late(self) -> float:
        """Travel beyond the time expected at the turnout order (:attr:`eta`), s: what
        route changes and slow water on the way cost (NaN when either is unknown)."""
        return self.travel - self.eta


def unit_activity(result: RunResult) -> dict[str, list[Assignment]]:
    """Every unit's assignments in the order they were given (each unit of the run a key)."""
    drafts: dict[str, list[dict]] = {u.id: [] for u in result.units}
    current: dict[str, dict] = {}
    for r in result.records:
        if not r.unit:
            continue
        if r.event == "dispatch":
            a = {"unit": r.unit, "incident": r.incident, "place": r.place,
                 "task": r.get("task", "incident"), "mutual_aid": bool(r.get("mutual_aid")),
                 "dispatch": r.t, "eta": float(r.get("eta_s", NAN))}
            drafts.setdefault(r.unit, []).append(a)
            current[r.unit] = a
        elif r.unit not in current:
            continue
        elif r.event == "enroute":
            current[r.unit].setdefault("enroute", r.t)
            current[r.unit].setdefault("from_quarters", bool(r.get("from_quarters")))
        elif r.event == "reroute":
            a = current[r.unit]
            if "arrive" not in a:
                a["reroutes"] = a.get("reroutes", 0) + 1
        elif r.event in ("arrive", "release"):
            current[r.unit].setdefault(r.event, r.t)
        elif r.event == "quarters":
            current.pop(r.unit)["quarters"] = r.t
    return {u: [Assignment(**a) for a in lst] for u, lst in drafts.items()}


def out_of_service(result: RunResult) -> list[tuple[str, float, float]]:
    """(unit, from, to) spans a unit was out of service (``to`` inf: to the end), by start."""
    since: dict[str, float] = {}
    out = []
    for r in result.records:
        if r.event == "out_of_service":
            since.setdefault(r.unit, r.t)
        elif r.event == "in_service" and r.unit in since:
            out.append((r.unit, since.pop(r.unit), r.t))
    out += [(u, t0, math.inf) for u, t0 in since.items()]
    return sorted(out, key=lambda s: (s[1], s[0]))


def run_end(result: RunResult) -> float:
    """Time of the last record, s (the scenario duration when there are none)."""
    return max((r.t for r in result.records), default=result.scenario.duration)


@dataclass(frozen=True)
class Span:
    """A stretch of a unit's time line: ``state`` from ``start`` to ``end`` (s)."""

    start: float
    end: float
    state: str  # turnout, travel, aid, scene, return, oos; trucks: load, travel, unload, return
    incident: str


def unit_timeline(result: RunResult) -> dict[str, list[Span]]:
    """Per unit, its time line: turnout, travel (or mutual aid on the way), on scene,
    return and out of service, each span ending where the next begins; relief trucks'
    trips (:func:`truck_trips`: load, travel, unload, return) too. A mutual-aid unit's
    line ends at its release: it leaves the district, and no record follows it home."""
    end = run_end(result)
    oos = out_of_service(result)
    out: dict[str, list[Span]] = {u.id: [] for u in result.units}
    for unit, assignments in unit_activity(result).items():
        stops = sorted([a.dispatch for a in assignments] + [t0 for u, t0, _ in oos if u == unit])
        for a in assignments:
            cut = min((s for s in stops if s > a.dispatch), default=end)
            marks = [(a.dispatch, "aid" if a.mutual_aid else "turnout"), (a.enroute, "travel"),
                     (a.arrive, "scene"), (a.release, "" if a.mutual_aid else "return"),
                     (a.quarters, "")]  # mutual aid leaves the district: no return is recorded
            marks = [(t, s) for t, s in marks if not math.isnan(t) and t <= cut]
            for (t0, s), (t1, _) in zip(marks, [*marks[1:], (cut, "")], strict=True):
                if not s:
                    break
                if t1 > t0 or s == "scene":
                    out.setdefault(unit, []).append(
                        Span(t0, t1, s, a.incident if s != "return" else ""))
    for u, t0, t1 in oos:
        out.setdefault(u, []).append(Span(t0, min(t1, end), "oos", ""))
    for u, spans in truck_trips(result).items():
        out.setdefault(u, []).extend(spans)
    return {u: sorted(spans, key=lambda s: s.start) for u, spans in out.items()}


@dataclass(frozen=True)
class EmptyStation:
    """A stretch during which a station had none of its staffed units of a type in quarters.

    Attributes
    ----------
    station
        The station's id.
    start, end
        Drill time, s.
    units
        The station's staffed units of that type (all committed, returning or out of
        service meanwhile).
    """

    station: str
    start: float
    end: float
    units: tuple[str, ...]


def empty_stations(result: RunResult, unit_type: str, t0: float,
                   t1: float) -> list[EmptyStation]:
    """Every stretch of ``[t0, t1)`` (s) during which a district station had none of its
    staffed units of ``unit_type`` free (each one turning out, travelling, on scene,
    returning or out of service: :func:`unit_timeline`), by start. Stations without such
    a unit are left out (they had none to keep)."""
    t1 = min(t1, run_end(result))
    spans = unit_timeline(result)
    out = []
    for st in result.scenario.forces.stations:
        units = tuple(u.id for u in result.units
                      if u.station == st.id and u.type == unit_type and u.staffed)
        if not units:
            continue
        busy = [[(s.start, s.end) for s in spans.get(u, [])] for u in units]
        cuts = sorted({t0, t1, *(x for b in busy for s in b for x in s if t0 < x < t1)})
        open_at = None
        for a, b in zip(cuts, cuts[1:], strict=False):
            mid = (a + b) / 2
            empty = all(any(s <= mid < e for s, e in b_) for b_ in busy)
            if empty and open_at is None:
                open_at = a
            elif not empty and open_at is not None:
                out.append(EmptyStation(st.id, open_at, a, units))
                open_at = None
        if open_at is not None:
            out.append(EmptyStation(st.id, open_at, t1, units))
    return sorted(out, key=lambda e: (e.start, e.station))


TRUCK_STATES = {"truck_load": "load", "truck_depart": "travel", "truck_arrive": "unload",
                "relief_delivered": "return", "truck_return": ""}
"""Relief-truck record -> the state it begins (``""``: back at the depot, idle)."""


def truck_trips(result: RunResult) -> dict[str, list[Span]]:
    """Per relief truck, the spans of its trips: loading at the depot, travel to the
    shelter, unloading, return; each ``Span.incident`` is the shelter served (the
    return's is ``""``). A trip still running at the end of the run ends there."""
    end = run_end(result)
    out: dict[str, list[Span]] = {}
    current: dict[str, tuple[float, str, str]] = {}
    for r in result.records:
        state = TRUCK_STATES.get(r.event)
        if state is None or not r.unit:
            continue
        shelter = r.get("shelter", "") if r.event == "truck_load" else r.place
        if r.unit in current:
            t0, s, where = current.pop(r.unit)
            out.setdefault(r.unit, []).append(Span(t0, r.t, s, where if s != "return" else ""))
        if state:
            current[r.unit] = (r.t, state, shelter)
    for unit, (t0, s, where) in current.items():
        out.setdefault(unit, []).append(Span(t0, end, s, where if s != "return" else ""))
    return out


@dataclass(frozen=True)
class Turnout:
    """One fire-station turnout from quarters."""

    unit: str
    station: str
    incident: str
    order: float
    """Turnout order (the dispatch), s since the drill start."""
    seconds: float
    """Turnout order to wheels rolling, s."""


def fire_station_turnouts(result: RunResult,
                          activity: dict[str, list[Assignment]] | None = None) -> list[Turnout]:
    """Every turnout from quarters of a fire-station unit (not teams, pump crews or mutual
    aid) to an incident kind :data:`~drillsim.metrics.standards.NFPA_TURNOUT` applies to,
    in the order the units rolled."""
    activity = unit_activity(result) if activity is None else activity
    stations = {st.id for st in result.scenario.forces.stations}
    kinds = {i.id: i.kind for i in result.incidents}
    out = []
    for u in result.units:
        if u.station not in stations:
            continue
        for a in activity.get(u.id, []):
            if a.from_quarters and NFPA_TURNOUT.applies(kinds.get(a.incident, a.task)):
                out.append((a.enroute, Turnout(u.id, u.station, a.incident, a.dispatch,
                                               a.turnout)))
    return [t for _, t in sorted(out, key=lambda p: p[0])]


def turnouts(result: RunResult) -> list[float]:
    """The times of :func:`fire_station_turnouts`, s."""
    return [t.seconds for t in fire_station_turnouts(result)]


# ----------------------------------------------------------------------------- incidents


@dataclass(frozen=True)
class IncidentRow:
    """The life of one incident, times in seconds since the drill start (NaN: did not happen)."""

    incident: str
    kind: str
    occupancy: str
    background: bool
    node: int
    place: str
    """Where the call came from when a hazard raised it (a flood rescue's waterlogging
    point id), else ``""``."""
    ignition: float
    call: float
    first_dispatch: float
    queued_at: float
    first_arrival: float
    full_assignment: float
    control: float
    clear: float
    first_unit: str
    first_unit_turnout: float
    first_unit_travel: float
    first_engine_travel: float
    q_first_arrival_kw: float
    q_full_assignment_kw: float
    alarms: int
    units_sent: int
    queued: bool
    mutual_aid: bool
    unmet: bool
    unreachable_at: float
    """When it was found that no unit could get to it (every road into it closed,
    :func:`unreachable_calls`), s; NaN if it never was."""
    source_empty: float = NAN
    """A release incident: when its source ran empty (the leak ended on its own), s; NaN
    if it never did. When that came before a crew's ``control`` record, :attr:`control`
    is this time (the leak was over) and :attr:`entry_after_end` says so."""
    entry: float = NAN
    """A release incident: when the hazmat crew entered the hot zone, s (NaN: never)."""

    @property
    def unreachable(self) -> bool:
        """No unit could get to it when units were asked for: every road into it closed."""
        return not math.isnan(self.unreachable_at)

    @property
    def entry_after_end(self) -> bool:
        """The release's source ran empty before the crew entered: the incident counts as
        controlled when the leak ended, and the crew's entry came after it."""
        return self.source_empty <= self.entry or (
            not math.isnan(self.source_empty) and math.isnan(self.entry))

    @property
    def request(self) -> float:
        """End of call processing: the first dispatch, or queueing (or finding the scene
        cut off) if that came first, s."""
        return min((t for t in (self.first_dispatch, self.queued_at, self.unreachable_at)
                    if not math.isnan(t)), default=NAN)

    @property
    def waited(self) -> bool:
        """The call waited for a free unit before any was sent: it queued before its first
        dispatch (or was never dispatched). A call that queued only for the rest of its
        first alarm, its first units sent at once, did not wait."""
        return self.queued and not self.queued_at >= self.first_dispatch

    @property
    def response(self) -> float:
        """Call to first arrival, s (``inf`` if nobody arrived)."""
        return _gap(self.call, self.first_arrival)

    @property
    def dispatch_to_arrival(self) -> float:
        """Turnout order to first arrival, s (the 5-minute rule)."""
        return _gap(self.first_dispatch, self.first_arrival)

    @property
    def ended(self) -> float:
        """Control, or clear when that came first, s (NaN: neither happened)."""
        return min((t for t in (self.control, self.clear) if not math.isnan(t)), default=NAN)

    @property
    def full_before_control(self) -> bool:
        """The incident was controlled (or cleared) before its full assignment was on scene
        (a unit arriving after control does not complete it)."""
        return math.isnan(self.full_assignment) and not math.isnan(self.ended)

    @property
    def call_to_full_assignment(self) -> float:
        """Call to full assignment, s: ``inf`` if it never came and the incident was never
        controlled, NaN if the incident was controlled first (:attr:`full_before_control`)."""
        return NAN if self.full_before_control else _gap(self.call, self.full_assignment)


def _gap(a: float, b: float) -> float:
    if math.isnan(a):
        return math.nan
    return math.inf if math.isnan(b) else b - a


INCIDENT_COLUMNS = [f.name for f in fields(IncidentRow)]


def incident_table(result: RunResult,
                   activity: dict[str, list[Assignment]] | None = None) -> list[IncidentRow]:
    """One row per incident that started, in the order they started."""
    activity = unit_activity(result) if activity is None else activity
    by_inc: dict[str, list[Record]] = {i.id: [] for i in result.incidents}
    for r in result.records:
        if r.incident in by_inc:
            by_inc[r.incident].append(r)
    sent: dict[str, list[Assignment]] = {i.id: [] for i in result.incidents}
    for lst in activity.values():
        for a in lst:
            if a.incident in sent:
                sent[a.incident].append(a)
    types = {u.id: u.type for u in result.units}
    return [_row(info, by_inc[info.id], sent[info.id], types) for info in result.incidents]


def _row(info: IncidentInfo, recs: list[Record], sent: list[Assignment],
         types: dict[str, str]) -> IncidentRow:
    first: dict[str, Record] = {}
    alarms = 1
    for r in recs:
        first.setdefault(r.event, r)
        if r.event == "escalate":
            alarms += 1
    t = {k: (first[k].t if k in first else NAN) for k in
         ("ignition", "call", "dispatch", "queued", "arrive", "full_assignment", "control",
          "clear", "source_empty", "entry")}
    # a release whose source ran empty was over then: a crew walking in later (whose
    # arrival the engine logs as ``control``) did not control it, the empty source did
    if not math.isnan(t["source_empty"]) and not t["source_empty"] >= t["control"]:
        t["control"] = t["source_empty"]
    # the full assignment counts only while the incident still needed it: a unit arriving
    # after control (or clear) did not complete it
    ended = min((t[k] for k in ("control", "clear") if not math.isnan(t[k])), default=math.inf)
    full = first.get("full_assignment")
    if full is not None and full.t > ended:
        full, t["full_assignment"] = None, NAN
    first_unit = first["arrive"].unit if "arrive" in first else ""
    lead = arrival_assignment(sent, first_unit, t["arrive"])
    arrived = sorted((a for a in sent if not math.isnan(a.arrive)), key=lambda a: a.arrive)
    # the first engine on scene, mutual aid included (its travel is not known: NaN, and
    # the call drops out of the first-engine travel share)
    engine = next((a for a in arrived if types.get(a.unit) == "engine"), None)
    return IncidentRow(
        incident=info.id, kind=info.kind, occupancy=info.occupancy,
        background=info.background, node=info.node,
        place=first["call"].place if "call" in first else "",
        ignition=t["ignition"], call=t["call"], first_dispatch=t["dispatch"],
        queued_at=t["queued"], first_arrival=t["arrive"], full_assignment=t["full_assignment"],
        control=t["control"], clear=t["clear"], first_unit=first_unit,
        first_unit_turnout=lead.turnout if lead else NAN,
        first_unit_travel=lead.travel if lead else NAN,
        first_engine_travel=engine.travel if engine else NAN,
        q_first_arrival_kw=_q(first.get("arrive")),
        q_full_assignment_kw=_q(full),
        alarms=alarms, units_sent=len({a.unit for a in sent}), queued="queued" in first,
        mutual_aid="mutual_aid_request" in first, unmet="unmet" in first,
        unreachable_at=first["unreachable"].t if "unreachable" in first else NAN,
        source_empty=t["source_empty"], entry=t["entry"],
    )


@dataclass(frozen=True)
class UnreachableCall:
    """A call no unit could get to: every road into its node was closed.

    Attributes
    ----------
    incident
        Incident id.
    t
        When it was found unreachable (its first request for units), s.
    closures
        The injects whose closures shut the roads into it (ids, in inject order).
    nearest_m
        Straight-line distance to the nearest junction a vehicle could reach, m
        (``inf``: none).
    reached_t
        When a unit arrived after all (a road reopened), s; NaN if none did.
    """

    incident: str
    t: float
    closures: tuple[str, ...]
    nearest_m: float
    reached_t: float


def unreachable_calls(result: RunResult) -> list[UnreachableCall]:
    """The calls recorded ``unreachable``, in the order they were found."""
    arrived: dict[str, float] = {}
    for r in result.records:
        if r.event == "arrive":
            arrived.setdefault(r.incident, r.t)
    return [UnreachableCall(r.incident, r.t,
                            tuple(c.strip() for c in str(r.get("closures", "")).split(",")
                                  if c.strip()),
                            float(r.get("nearest_m", math.inf)),
                            arrived.get(r.incident, NAN))
            for r in result.records if r.event == "unreachable"]


@dataclass(frozen=True)
class UnansweredPlan:
    """A response plan that no staffed unit of the district can answer.

    Attributes
    ----------
    plan
        The plan's key (``hazmat``, ``flood_rescue``, a fire occupancy...).
    types
        Its first-alarm needs (``a|b`` keys) none of whose unit types the district
        fielded staffed (stations' on-duty crews, teams' units).
    incidents
        Its calls that asked for mutual aid or that no unit reached, in call order.
    """

    plan: str
    types: tuple[str, ...]
    incidents: tuple[str, ...]


def unanswered_plans(result: RunResult) -> list[UnansweredPlan]:
    """The drill's response plans with a first-alarm need no staffed unit of the district
    can meet (an on-duty roll that leaves the rescue or hazmat units unstaffed), each with
    the calls of that plan that went to mutual aid or were never reached, in plan order."""
    staffed = {u.type for u in result.units if u.staffed and u.station != "mutual_aid"}
    plan_of: dict[str, str] = {}
    helped: set[str] = set()
    for r in result.records:
        if r.event == "call":
            plan_of.setdefault(r.incident, str(r.get("type", "")))
        elif r.event in ("mutual_aid_request", "unmet"):
            helped.add(r.incident)
    out = []
    for key, alarms in result.scenario.forces.response_plans.items():
        missing = tuple(sorted(k for k in (alarms[0] if alarms else {})
                               if not set(k.split("|")) & staffed))
        if missing:
            out.append(UnansweredPlan(key, missing, tuple(
                i for i, p in plan_of.items() if p == key and i in helped)))
    return out


def arrival_assignment(sent: list[Assignment], unit: str, t: float) -> Assignment | None:
    """The assignment of ``unit`` among ``sent`` that arrived at ``t`` (else its first)."""
    mine = [a for a in sent if a.unit == unit]
    return next((a for a in mine if a.arrive == t), mine[0] if mine else None)


def _q(rec: Record | None) -> float:
    if rec is None:
        return math.nan
    return float(rec.get("q_kw", math.nan))


# ----------------------------------------------------------------------------- segments

SEGMENT_KEYS = ("detection", "processing", "queue", "turnout", "travel", "aid")
"""The segments of a response, in time order: ignition to call, call processing, waiting
for a free unit, turnout, travel, and (instead of turnout and travel) mutual aid on the way."""


@dataclass(frozen=True)
class ResponseSegments:
    """One incident's response up to one unit's arrival, split into segments (s).

    Attributes
    ----------
    incident
        The incident.
    assignment
        The arriving unit's assignment (``None``: nobody arrived).
    end
        Its arrival time, or the end of the run when nobody arrived, s.
    segments
        Seconds by key of :data:`SEGMENT_KEYS` (only those that apply).
    """

    incident: str
    assignment: Assignment | None
    end: float
    segments: dict[str, float]

    @property
    def unit(self) -> str:
        return self.assignment.unit if self.assignment else ""


def incident_assignments(activity: dict[str, list[Assignment]],
                         incident: str) -> list[Assignment]:
    """Every assignment to ``incident``, in order of dispatch."""
    return sorted((a for lst in activity.values() for a in lst if a.incident == incident),
                  key=lambda a: a.dispatch)


def response_segments(result: RunResult, row: IncidentRow,
                      activity: dict[str, list[Assignment]], endpoint: str = "first",
                      from_ignition: bool = False, units: set[str] | None = None
                      ) -> ResponseSegments:
    """Split an incident's response up to an arrival into segments.

    Parameters
    ----------
    endpoint
        ``first``: the first arrival; ``full``: the last arrival at or before the full
        assignment (the first arrival when there was none); ``first_of``: the first
        arrival of one of ``units``.
    from_ignition
        Include detection (ignition to call).
    units
        The units that count for ``first_of``.
    """
    sent = incident_assignments(activity, row.incident)
    a: Assignment | None = None
    if endpoint == "full" and not math.isnan(row.full_assignment):
        before = [x for x in sent if x.arrive <= row.full_assignment]
        a = max(before, key=lambda x: x.arrive, default=None)
    elif endpoint == "first_of":
        mine = [x for x in sent if x.unit in (units or set()) and not math.isnan(x.arrive)]
        a = min(mine, key=lambda x: x.arrive, default=None)
    if a is None and endpoint != "first_of" and row.first_unit:
        a = arrival_assignment(sent, row.first_unit, row.first_arrival)
    seg: dict[str, float] = {}
    if from_ignition:
        seg["detection"] = row.call - row.ignition
    request = row.request
    seg["processing"] = request - row.call
    end = run_end(result)
    if a is not None and not math.isnan(a.arrive):
        end = a.arrive
        seg["queue"] = max(a.dispatch - request, 0.0)
        if a.mutual_aid:
            seg["aid"] = a.arrive - a.dispatch
        else:
            seg["turnout"] = a.turnout
            seg["travel"] = a.travel
    elif not math.isnan(request):
        seg["queue"] = max(end - request, 0.0)
    seg = {k: v for k, v in seg.items() if not math.isnan(v)}
    return ResponseSegments(row.incident, a if a is not None and not math.isnan(a.arrive)
                            else None, end, seg)


@dataclass(frozen=True)
class SegmentShares:
    """Segments summed over several responses, and the largest of them.

    Attributes
    ----------
    totals
        Seconds by segment key, in the order the segments first occur.
    largest
        The key with the most seconds (``""`` when there are none).
    whole
        The sum of every segment, s.
    """

    totals: dict[str, float]
    largest: str
    whole: float

    @property
    def share(self) -> float:
        """The largest segment's share of the whole (NaN when there is none)."""
        return self.totals[self.largest] / self.whole if self.largest else math.nan


def segment_shares(parts: Iterable[Mapping[str, float]]) -> SegmentShares:
    """Sum the segments (``ResponseSegments.segments``) of several responses."""
    totals: dict[str, float] = {}
    for segs in parts:
        for k, v in segs.items():
            totals[k] = totals.get(k, 0.0) + v
    largest = max(totals, key=lambda k: totals[k]) if totals else ""
    return SegmentShares(totals, largest, sum(totals.values()))


# ----------------------------------------------------------------------------- context


@dataclass(frozen=True)
class Escalation:
    """How an incident's first alarm was escalated.

    Attributes
    ----------
    count
        Escalations (alarms beyond the first).
    first_t
        Time of the first escalation, s.
    first_q_kw
        The fire's heat-release rate then, kW (NaN for other incidents).
    """

    count: int
    first_t: float
    first_q_kw: float


def escalation(result: RunResult, row: IncidentRow) -> Escalation | None:
    """The escalations of an incident (``None`` when its first alarm sufficed)."""
    first = next((r for r in result.records
                  if r.event == "escalate" and r.incident == row.incident), None)
    if first is None:
        return None
    return Escalation(row.alarms - 1, first.t, float(first.get("q_kw", math.nan)))


def _level_at(result: RunResult, event: str, key: str, t: float) -> float:
    """The value ``key`` of the last ``event`` record at or before ``t`` (0 before any)."""
    level = 0.0
    for r in result.records:
        if r.t > t:
            break
        if r.event == event:
            try:
                level = float(r.data.get(key, "0"))
            except ValueError:
                level = 0.0
    return level


def comms_delay_at(result: RunResult, t: float) -> float:
    """The communications delay in force at ``t``, s (0: none)."""
    return _level_at(result, "comms_delay", "delay_s", t)


def call_surge_span(result: RunResult, t: float) -> tuple[float, float, float]:
    """The call surge in force at ``t``: (factor, from, until), s; ``until`` is when the
    next ``call_surge`` record changed the factor (``inf``: to the end). Factor 0 and NaN
    times before any surge."""
    changes = [(r.t, float(r.data.get("factor", 0.0))) for r in result.records
               if r.event == "call_surge"]
    factor, start, end = 0.0, NAN, NAN
    for i, (at, f) in enumerate(changes):
        if at > t:
            break
        factor, start = f, at
        end = changes[i + 1][0] if i + 1 < len(changes) else math.inf
    return factor, start, end


@dataclass(frozen=True)
class Held:
    """District units committed to another incident (or task) at a moment.

    Attributes
    ----------
    incident
        The incident holding them (a task's place when it is no incident).
    units
        The units, in order of dispatch.
    until
        When the last of them was released there, s (``inf``: still there at the end).
    """

    incident: str
    units: tuple[str, ...]
    until: float


def queued_needs(result: RunResult, incident: str) -> set[str]:
    """The unit types an incident's first ``queued`` record waited for (``needs``; a key
    ``a|b`` lists types that can stand for each other); empty when it never queued."""
    rec = next((r for r in result.records if r.event == "queued" and r.incident == incident),
               None)
    needs = rec.get("needs", {}) if rec is not None else {}
    return {t for key in needs for t in str(key).split("|")}


@dataclass(frozen=True)
class Wait:
    """One spell a call waited for a free unit: from its ``queued`` record until every unit
    it asked for was sent (s; ``end`` is the end of the run when one never was: ``served``
    false), and the alarm it waited at (1: its first units). ``missing``: the units it asked
    for that were never sent, ``(need, count)`` in the order of its ``needs`` (a need
    ``a|b`` lists types that can stand for each other); empty when ``served``. ``needs``:
    the unit types it asked for."""

    incident: str
    start: float
    end: float
    alarm: int
    served: bool = True
    missing: tuple[tuple[str, int], ...] = ()
    needs: frozenset[str] = frozenset()

    @property
    def seconds(self) -> float:
        """How long it waited, s."""
        return self.end - self.start


def call_waits(result: RunResult) -> dict[str, list[Wait]]:
    """Every wait of every call, in time order (:class:`Wait`): each ``queued`` record
    until units of every type its ``needs`` names (``a|b``: either) were dispatched to the
    incident, as many as it asked for; a mutual-aid unit answers any need. Warehouse
    BG001 waited 3.0 min for its first engine, then 63.2 min at its second alarm (queued
    at 4453 s, engine XZ-E1 sent at 8244 s): both spells are its wait."""
    kind = {u.id: u.type for u in result.units}
    end = run_end(result)
    recs = result.records
    out: dict[str, list[Wait]] = {}
    alarm: dict[str, int] = {}
    for i, q in enumerate(recs):
        if q.event == "escalate":
            alarm[q.incident] = int(q.get("alarm", 1))
        if q.event != "queued":
            continue
        left = {str(k): int(n) for k, n in (q.get("needs") or {}).items()}
        t_end, served = end, False
        for r in recs[i + 1:]:
            if r.event != "dispatch" or r.incident != q.incident:
                continue
            utype = kind.get(r.unit)
            key = next((k for k, n in left.items() if n > 0 and (
                utype in k.split("|") or (utype is None and r.get("mutual_aid")))), None)
            if key is not None:
                left[key] -= 1
            if all(n <= 0 for n in left.values()):
                t_end, served = r.t, True
                break
        missing = tuple((k, n) for k, n in left.items() if n > 0) if not served else ()
        out.setdefault(q.incident, []).append(
            Wait(q.incident, q.t, t_end, alarm.get(q.incident, 1), served, missing,
                 frozenset(t for k in left for t in k.split("|"))))
    return out


def aid_released_while_waiting(result: RunResult, waits: list[Wait],
                               after: float = -math.inf) -> list[tuple[str, float]]:
    """Mutual-aid units released home (``release`` records of units the records dispatched
    as ``mutual_aid``) at or after ``after`` while one of ``waits`` waited for a unit of
    their type: ``(unit, t)`` in time order. The cap (``forces.mutual_aid.max_units``)
    counts units sent, so once it is reached a released unit is not replaced: warehouse
    MA-5 went home at 5429 s while BG008, BG009 and BG001 (alarm 2) waited for engines."""
    kind = {u.id: u.type for u in result.units}
    aid = {r.unit for r in result.records if r.event == "dispatch" and r.get("mutual_aid")}
    return [(r.unit, r.t) for r in result.records
            if r.event == "release" and r.unit in aid and r.t >= after
            and any(w.start <= r.t < w.end and kind.get(r.unit) in w.needs for w in waits)]



def waited_s(waits: list[Wait]) -> float:
    """The time a call spent waiting, s: the union of its waits (spells that overlap
    counted once); 0 when it never waited."""
    total, reach = 0.0, -math.inf
    for w in sorted(waits, key=lambda w: w.start):
        start = max(w.start, reach)
        if w.end > start:
            total += w.end - start
        reach = max(reach, w.end)
    return total


@dataclass(frozen=True)
class GrewWhileWaiting:
    """A fire that grew while a later alarm of it waited for a free unit: its wait, its
    size when the wait began and when the unit it waited for arrived (kW, rooms)."""

    wait: Wait
    q_kw_start: float
    rooms_start: float
    t_end: float
    q_kw_end: float
    rooms_end: float


def grew_while_waiting(result: RunResult, waits: list[Wait]) -> list[GrewWhileWaiting]:
    """The waits of a fire at a later alarm (:func:`call_waits`: alarm 2 or more) over
    which its recorded size grew: its last recorded size (``q_kw``, ``rooms``) at or before
    the wait began against its first at or after the wait ended (the arrival of the unit it
    waited for). Warehouse BG001 waited 63.2 min at alarm 2 while it grew from 3 rooms,
    14.3 MW to 10 rooms, 21.5 MW."""
    out = []
    for w in waits:
        if w.alarm < 2:
            continue
        sized = [r for r in result.records if r.incident == w.incident
                 and r.get("q_kw") is not None]
        before = [r for r in sized if r.t <= w.start]
        after = [r for r in sized if r.t >= w.end]
        if not before or not after:
            continue
        a, b = before[-1], after[0]
        if float(b.get("q_kw")) > float(a.get("q_kw")):
            out.append(GrewWhileWaiting(w, float(a.get("q_kw")), float(a.get("rooms", NAN)),
                                        b.t, float(b.get("q_kw")), float(b.get("rooms", NAN))))
    return out


def held_at(result: RunResult, activity: dict[str, list[Assignment]], t: float,
            exclude: str = "", types: set[str] | None = None) -> list[Held]:
    """The district's units (not mutual aid) committed at ``t`` (dispatched at or before,
    not yet released), grouped by the incident (or task place) holding them, most units
    first; ``exclude`` leaves out one incident (the one that waited), ``types`` keeps the
    unit types it waited for (:func:`queued_needs`; ``None``: all)."""
    kind = {u.id: u.type for u in result.units}
    by: dict[str, list[Assignment]] = {}
    for lst in activity.values():
        for a in lst:
            if a.mutual_aid or a.dispatch > t or a.release <= t:
                continue
            if types is not None and kind.get(a.unit) not in types:
                continue
            where = a.incident or a.place
            if where and where != exclude:
                by.setdefault(where, []).append(a)
    out = [Held(w, tuple(a.unit for a in sorted(lst, key=lambda a: a.dispatch)),
                max((math.inf if math.isnan(a.release) else a.release) for a in lst))
           for w, lst in by.items()]
    return sorted(out, key=lambda h: (-len(h.units), h.incident))


@dataclass(frozen=True)
class NeverCame:
    """Why an incident's first alarm never completed: the unit types it queued for that
    never reached it, and where such units were when it queued.

    Attributes
    ----------
    types
        The needed unit types none of which arrived (a key ``a|b`` as one item), sorted.
    at
        When the call queued for them, s.
    district_held, district_total
        District units of those types committed elsewhere at ``at``, and all staffed ones.
    aid_held
        Mutual-aid units committed elsewhere at ``at`` (any type).
    kinds
        Kinds of the incidents holding those units, sorted (a task's place has none).
    """

    types: tuple[str, ...]
    at: float
    district_held: int
    district_total: int
    aid_held: int
    kinds: tuple[str, ...]


def never_came(result: RunResult, activity: dict[str, list[Assignment]],
               row: IncidentRow) -> NeverCame | None:
    """The unit types an incident queued for that never reached it, for an incident whose
    first alarm never completed before control (``None`` otherwise), with where units of
    those types (and the mutual-aid units) were when it queued."""
    if not (row.full_before_control and row.queued):
        return None
    rec = next((r for r in result.records if r.event == "queued"
                and r.incident == row.incident), None)
    kind = {u.id: u.type for u in result.units}
    came = {kind.get(a.unit, "") for lst in activity.values() for a in lst
            if a.incident == row.incident and not math.isnan(a.arrive)}
    keys = rec.get("needs", {}) if rec is not None else {}
    missing = tuple(sorted(k for k, n in keys.items()
                           if n and not came & set(str(k).split("|"))))
    if not missing:
        return None
    types = {t for k in missing for t in k.split("|")}
    held = held_at(result, activity, row.queued_at, row.incident, types)
    aid = [a for lst in activity.values() for a in lst if a.mutual_aid
           and a.dispatch <= row.queued_at < a.release and a.incident != row.incident]
    inc_kind = {i.id: i.kind for i in result.incidents}
    kinds = {inc_kind[h.incident] for h in held if h.incident in inc_kind}
    kinds |= {inc_kind[a.incident] for a in aid if a.incident in inc_kind}
    total = sum(u.type in types and u.staffed and u.station != "mutual_aid"
                for u in result.units)
    return NeverCame(missing, row.queued_at, sum(len(h.units) for h in held), total,
                     len(aid), tuple(sorted(kinds)))


def open_calls(rows: list[IncidentRow], t: float) -> list[IncidentRow]:
    """The calls open at drill time ``t`` (s): called at or before it and not yet cleared
    (a call never cleared stays open to the end), in call order."""
    return sorted((r for r in rows if r.call <= t and not r.clear <= t), key=lambda r: r.call)


def mutual_aid_cap_reached(result: RunResult) -> float:
    """When the mutual-aid units dispatched reached the drill's cap
    (``forces.mutual_aid.max_units``), s; NaN if they never did."""
    cap = result.scenario.forces.mutual_aid.max_units
    n = 0
    for r in result.records:
        if r.event == "dispatch" and r.get("mutual_aid"):
            n += 1
            if n >= cap:
                return r.t
    return NAN


@dataclass(frozen=True)
class FireState:
    """An incident neither controlled nor cleared by the end of the run.

    Attributes
    ----------
    incident
        The incident.
    t
        Time of its last record giving the fire's size, s (NaN: none, not a fire).
    q_kw, rooms, need_l_s
        The fire's heat-release rate (kW), rooms burning and water need (L/s) then
        (NaN when not recorded).
    """

    incident: str
    t: float
    q_kw: float
    rooms: float
    need_l_s: float


def uncontrolled(result: RunResult, rows: list[IncidentRow]) -> list[FireState]:
    """The called incidents neither controlled nor cleared before the run ended, with the
    last size the records give (``arrive``, ``escalate``, ``flashover`` ... carry it)."""
    open_ = {r.incident for r in rows if not math.isnan(r.call) and math.isnan(r.ended)}
    last: dict[str, Record] = {}
    for r in result.records:
        if r.incident in open_ and r.get("q_kw") is not None:
            last[r.incident] = r
    out = []
    for row in rows:
        if row.incident in open_:
            rec = last.get(row.incident)
            val = [NAN if rec is None else float(rec.get(k, NAN))
                   for k in ("q_kw", "rooms", "need_l_s")]
            out.append(FireState(row.incident, NAN if rec is None else rec.t, *val))
    return out


def size_at(result: RunResult, incident: str, t: float) -> float:
    """A fire's heat-release rate at drill time ``t`` (s), kW: interpolated linearly
    between the two records of the incident that give its size (``q_kw``) on either side
    of ``t`` (the record's own size at a record's time); NaN outside the recorded span
    or for an incident whose records give no size. Meant for a moment before the first
    unit arrived, when nothing yet slowed the fire's growth."""
    pts = [(r.t, float(r.get("q_kw"))) for r in result.records
           if r.incident == incident and r.get("q_kw") is not None]
    for (t0, q0), (t1, q1) in zip(pts, pts[1:], strict=False):
        if t0 <= t <= t1:
            return q0 if t1 == t0 else q0 + (q1 - q0) * (t - t0) / (t1 - t0)
    return NAN


SIZE_ENDPOINT = {"fire_size_at_first_arrival_p90": "first",
                 "fire_size_at_full_assignment_max": "full"}
"""The fire-size metrics and the arrival each measures the fire at."""


def value_if_sooner(result: RunResult, row: IncidentRow, metric: str, value: float,
                    saved_s: float) -> float:
    """An incident's value of a per-incident response metric had its response reached its
    end point ``saved_s`` seconds sooner.

    For a fire-size metric (:data:`SIZE_ENDPOINT`) the fire's recorded size at that
    earlier moment (:func:`size_at`: its growth up to the arrival, which nothing had yet
    slowed), kW; for a time, ``value - saved_s``, s. NaN where the records give no size.
    The improvement plan aims an action at a part of the response only when this meets
    the objective (cutting 5 s off call processing cannot bring a fire that passed 4 MW a
    minute before the first engine back under 4 MW).
    """
    end = SIZE_ENDPOINT.get(metric)
    if end is None:
        return value - saved_s
    t = row.first_arrival if end == "first" else row.full_assignment
    return size_at(result, row.incident, t - saved_s)


def after_control(activity: dict[str, list[Assignment]], row: IncidentRow) -> list[Assignment]:
    """The assignments to an incident controlled before its full assignment
    (:attr:`IncidentRow.full_before_control`) that had not arrived by then: the units it
    never had while it burned (arrival NaN or after control)."""
    if not row.full_before_control:
        return []
    return [a for a in incident_assignments(activity, row.incident)
            if not a.arrive <= row.ended]


# ----------------------------------------------------------------------------- metrics


def fractile(values: list[float] | np.ndarray, q: float) -> float:
    """Empirical q-th percentile (0-100) with NaNs dropped; NaN for no values."""
    arr = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if arr.size == 0:
        return math.nan
    return float(np.percentile(arr, q, method="inverted_cdf"))


def share(flags: list[bool]) -> float:
    """Share of True values; NaN for none."""
    return float(np.mean(flags)) if flags else math.nan


def utilisation(result: RunResult) -> dict[str, float]:
    """Share of the drill each unit spent committed (dispatch to release), by unit."""
    duration = result.scenario.duration
    since: dict[str, float] = {}
    busy: dict[str, float] = {u.id: 0.0 for u in result.units
                             if u.staffed and u.station != "mutual_aid" and u.type != "truck"}
    for r in result.records:
        if r.event == "dispatch" and r.unit in busy:
            since[r.unit] = r.t
        elif r.event == "release" and r.unit in since:
            busy[r.unit] += r.t - since.pop(r.unit)
    end = run_end(result)
    for unit, t0 in since.items():
        busy[unit] += end - t0
    return {u: b / duration for u, b in busy.items()}


class Component(NamedTuple):
    """A response component: its name in English and Chinese and its value for a row."""

    en: str
    zh: str
    of: Callable[[IncidentRow], float]


COMPONENTS = {
    "processing": Component("call processing", "接警处理", lambda r: _gap(r.call, r.request)),
    "queue": Component("waiting for a free unit", "等待可用力量",
                       lambda r: NAN if r.unreachable else _gap(r.request, r.first_dispatch)),
    "turnout": Component("turnout (first unit)", "出动准备（首车）",
                         lambda r: r.first_unit_turnout),
    "travel": Component("travel (first unit)", "行驶（首车）", lambda r: r.first_unit_travel),
    "response": Component("call to first arrival", "接警至首车到场", lambda r: r.response),
    "full_assignment": Component("call to full assignment", "接警至力量全部到场",
                                 lambda r: r.call_to_full_assignment),
    "control": Component("call to control", "接警至控制", lambda r: _gap(r.call, r.control)),
    "clear": Component("call to clear", "接警至结束", lambda r: _gap(r.call, r.clear)),
}
"""The response components the summary gives fractiles of (a catalogue, like
:data:`drillsim.metrics.catalog.METRICS`)."""


def component_fractiles(rows: list[IncidentRow]) -> dict[str, dict[str, float]]:
    """50th and 90th percentiles of each response component, s."""
    answered = [r for r in rows if not math.isnan(r.call)]
    return {name: {"p50": fractile([f(r) for r in answered], 50),
                   "p90": fractile([f(r) for r in answered], 90),
                   "n": sum(1 for r in answered if not math.isnan(f(r)))}
            for name, (_, _, f) in COMPONENTS.items()}


def five_minute_cases(rows: list[IncidentRow]) -> list[IncidentRow]:
    """The incidents the 5-minute rule is measured over: called, dispatched, of a kind
    :data:`~drillsim.metrics.standards.FIVE_MINUTE` applies to (:data:`ROW_CASES`)."""
    keep = ROW_CASES["five_minute_share"][0]
    return [r for r in rows if not math.isnan(r.call) and keep(r)]


class LargestFire(NamedTuple):
    """The largest fire at one moment of the response, over a run's fires."""

    incident: str
    q_kw: float


def largest_fires(result: RunResult, rows: list[IncidentRow]) -> dict[str, LargestFire]:
    """The largest heat-release rate over the called fires at the first arrival
    (``first``) and at control (``control``, the ``control`` record's size), with the
    incident, kW; a moment no fire reached is left out."""
    fires = {r.incident for r in rows if r.kind == "fire" and not math.isnan(r.call)}
    at_control = {r.incident: _q(r) for r in result.records
                  if r.event == "control" and r.incident in fires}
    out: dict[str, LargestFire] = {}
    for key, values in (("first", {r.incident: r.q_first_arrival_kw for r in rows
                                   if r.incident in fires}), ("control", at_control)):
        known = [(q, inc) for inc, q in values.items() if not math.isnan(q)]
        if known:
            q, inc = max(known, key=lambda p: (p[0], p[1]))
            out[key] = LargestFire(inc, q)
    return out


def missed_measure(row: IncidentRow, rescue_target_s: float) -> bool:
    """Whether a called incident missed the measure that applies to its kind: a fire,
    rescue or alarm call the 5-minute rule (:data:`~drillsim.metrics.standards.FIVE_MINUTE`)
    or any unit it needed waited for a free one (:attr:`IncidentRow.queued`: its first
    unit, before the turnout order the rule counts from, or the rest of its first alarm, or
    a later alarm: warehouse W1 queued for alarms 3 and 4); a flood
    rescue its call-to-first-arrival target ``rescue_target_s`` (s, see
    :func:`~drillsim.metrics.standards.rescue_target_s`); any call when no unit came."""
    if row.unmet or math.isinf(row.response):
        return True
    if FIVE_MINUTE.applies(row.kind):
        return row.queued or not FIVE_MINUTE.met(row.dispatch_to_arrival)
    if row.kind == "flood_rescue":
        return not row.response <= rescue_target_s
    return False


ROW_CASES: dict[str, tuple[Callable[[IncidentRow], bool], Callable[[IncidentRow], float]]] = {
    "first_arrival_p50": (lambda r: True, lambda r: r.response),
    "first_arrival_p90": (lambda r: True, lambda r: r.response),
    "dispatch_to_arrival_p90": (lambda r: True, lambda r: r.dispatch_to_arrival),
    "travel_p90": (lambda r: True, lambda r: r.first_unit_travel),
    "full_assignment_p90": (lambda r: True, lambda r: r.call_to_full_assignment),
    "five_minute_share": (lambda r: (not math.isnan(r.first_dispatch) or r.unreachable)
                          and FIVE_MINUTE.applies(r.kind),
                          lambda r: math.inf if math.isnan(r.first_dispatch)
                          else r.dispatch_to_arrival),
    "nfpa_travel_share": (lambda r: NFPA_TRAVEL.applies(r.kind),
                          lambda r: r.first_engine_travel),
    "fire_size_at_first_arrival_p90": (lambda r: r.kind == "fire",
                                       lambda r: r.q_first_arrival_kw),
    "rescue_first_arrival_p90": (lambda r: r.kind == "flood_rescue", lambda r: r.response),
}
"""The cases of each fractile or share metric computed over called incidents: which
incidents count, and each one's value (s, or kW for fire sizes); NaN values are dropped."""

MIN_CASES = 5
"""Fewest cases a fractile or share is stated for; below it the report states each case's
value and rates an objective on them (a 90th percentile of one call is that call)."""

TURNOUT_METRICS = ("turnout_p90", "nfpa_turnout_share")
"""The metrics computed over :func:`fire_station_turnouts`."""


def metric_cases(result: RunResult, rows: list[IncidentRow], metric: str,
                 activity: dict[str, list[Assignment]] | None = None
                 ) -> list[tuple[str, float]] | None:
    """The cases a fractile or share metric is computed over: (incident, value), value in
    s (kW for fire sizes), in the order of the rows; turnouts: (unit, s), one case per
    turnout in the order the units rolled. ``None`` for a metric that is not a fractile
    or share of cases."""
    if metric in TURNOUT_METRICS:
        return [(t.unit, t.seconds) for t in fire_station_turnouts(result, activity)]
    if metric not in ROW_CASES:
        return None
    keep, value = ROW_CASES[metric]
    cases = [(r.incident, value(r)) for r in rows if not math.isnan(r.call) and keep(r)]
    return [(i, v) for i, v in cases if not math.isnan(v)]


def response_metrics(result: RunResult, rows: list[IncidentRow] | None = None,
                     activity: dict[str, list[Assignment]] | None = None) -> dict[str, float]:
    """Every response metric of :data:`drillsim.metrics.catalog.METRICS`, keyed by name."""
    activity = unit_activity(result) if activity is None else activity
    rows = incident_table(result, activity) if rows is None else rows
    called = [r for r in rows if not math.isnan(r.call)]
    fires = [r for r in called if r.kind == "fire"]
    to = [t.seconds for t in fire_station_turnouts(result, activity)]
    util = utilisation(result)

    def values(metric: str) -> list[float]:
        return [v for _, v in metric_cases(result, rows, metric, activity)]

    five = values("five_minute_share")
    engine_travel = values("nfpa_travel_share")
    return {
        "first_arrival_p50": fractile(values("first_arrival_p50"), 50),
        "first_arrival_p90": fractile(values("first_arrival_p90"), 90),
        "dispatch_to_arrival_p90": fractile(values("dispatch_to_arrival_p90"), 90),
        "turnouts_n": float(len(to)),
        "turnout_p90": fractile(to, 90),
        "travel_p90": fractile(values("travel_p90"), 90),
        "full_assignment_p90": fractile(values("full_assignment_p90"), 90),
        "five_minute_share": share([FIVE_MINUTE.met(v) for v in five]),
        "five_minute_n": float(len(five)),
        "nfpa_turnout_share": share([NFPA_TURNOUT.met(t) for t in to]),
        "nfpa_travel_share": share([NFPA_TRAVEL.met(t) for t in engine_travel]),
        "nfpa_travel_n": float(len(engine_travel)),
        "fire_size_at_first_arrival_p90": fractile(values("fire_size_at_first_arrival_p90"), 90),
        "fire_size_at_full_assignment_max": max(
            (r.q_full_assignment_kw for r in fires if not math.isnan(r.q_full_assignment_kw)),
            default=math.nan),
        "calls_unmet": float(sum(r.unmet for r in called)),
        "calls_queued": float(sum(r.queued for r in called)),
        "mutual_aid_calls": float(sum(r.mutual_aid for r in called)),
        "rescue_first_arrival_p90": fractile(values("rescue_first_arrival_p90"), 90),
        "utilisation_max": max(util.values(), default=math.nan),
    }


def row_dict(row: IncidentRow) -> dict[str, object]:
    """A row as a plain dict (for CSV and JSON)."""
    return asdict(row)
