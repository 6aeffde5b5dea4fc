"""Response metrics: pure functions of a run's records.

Definitions follow NFPA 1710 (2020), section 3.3 (alarm processing, turnout and
travel time) and 建标152-2017 (the 5-minute rule counts from the turnout order,
that is the dispatch, to arrival on scene). Fractiles are empirical ("inverted
CDF": the smallest observed value with at least the given share at or below it),
as the standards count incidents; a call nobody reached counts as infinitely late.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields

import numpy as np

from drillsim.records.record import Record
from drillsim.records.result import RunResult

FIVE_MINUTES_S = 300.0
"""建标152-2017: a station reaches the edge of its district within 5 min of the order."""
NFPA_TURNOUT_FIRE_S = 80.0
"""NFPA 1710 4.1.2.1: turnout 80 s for fire and special operations."""
NFPA_FIRST_ENGINE_TRAVEL_S = 240.0
"""NFPA 1710 4.1.2.1: first engine company travel 240 s."""


@dataclass(frozen=True)
class IncidentRow:
    """The life of one incident, times in seconds since the drill start (NaN: did not happen)."""

    incident: str
    kind: str
    occupancy: str
    background: bool
    node: int
    ignition: float
    call: float
    first_dispatch: float
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

    @property
    def response(self) -> float:
        """Call to first arrival, s (``inf`` if nobody arrived)."""
        return _gap(self.call, self.first_arrival)

    @property
    def dispatch_to_arrival(self) -> float:
        """Turnout order to first arrival, s (the 5-minute rule)."""
        return _gap(self.first_dispatch, self.first_arrival)

    @property
    def call_to_full_assignment(self) -> float:
        return _gap(self.call, self.full_assignment)


def _gap(a: float, b: float) -> float:
    if math.isnan(a):
        return math.nan
    return math.inf if math.isnan(b) else b - a


INCIDENT_COLUMNS = [f.name for f in fields(IncidentRow)]


def incident_table(result: RunResult) -> list[IncidentRow]:
    """One row per incident that started, in the order they started."""
    by_inc: dict[str, list[Record]] = {i.id: [] for i in result.incidents}
    for r in result.records:
        if r.incident in by_inc:
            by_inc[r.incident].append(r)
    types = {u.id: u.type for u in result.units}
    return [_row(info, by_inc[info.id], types) for info in result.incidents]


def _row(info, recs: list[Record], types: dict[str, str]) -> IncidentRow:
    nan = math.nan
    first: dict[str, Record] = {}
    enroute: dict[str, Record] = {}
    arrivals: list[Record] = []
    dispatches: dict[str, Record] = {}
    alarms = 1
    for r in recs:
        first.setdefault(r.event, r)
        if r.event == "dispatch":
            dispatches.setdefault(r.unit, r)
        elif r.event == "enroute":
            enroute.setdefault(r.unit, r)
        elif r.event == "arrive":
            arrivals.append(r)
        elif r.event == "escalate":
            alarms += 1
    t = {k: (first[k].t if k in first else nan) for k in
         ("ignition", "call", "dispatch", "arrive", "full_assignment", "control", "clear")}
    first_unit = first["arrive"].unit if "arrive" in first else ""
    turnout = travel = engine_travel = nan
    if first_unit and first_unit in enroute:
        e = enroute[first_unit]
        if e.data["from_quarters"]:
            turnout = e.t - dispatches[first_unit].t
        travel = first["arrive"].t - e.t
    for a in arrivals:
        if a.unit in enroute and types.get(a.unit) == "engine":
            engine_travel = a.t - enroute[a.unit].t
            break
    return IncidentRow(
        incident=info.id, kind=info.kind, occupancy=info.occupancy,
        background=info.background, node=info.node,
        ignition=t["ignition"], call=t["call"], first_dispatch=t["dispatch"],
        first_arrival=t["arrive"], full_assignment=t["full_assignment"],
        control=t["control"], clear=t["clear"], first_unit=first_unit,
        first_unit_turnout=turnout, first_unit_travel=travel,
        first_engine_travel=engine_travel,
        q_first_arrival_kw=_q(first.get("arrive")),
        q_full_assignment_kw=_q(first.get("full_assignment")),
        alarms=alarms, units_sent=len(dispatches), queued="queued" in first,
        mutual_aid="mutual_aid_request" in first, unmet="unmet" in first,
    )


def _q(rec: Record | None) -> float:
    if rec is None:
        return math.nan
    return float(rec.get("q_kw", math.nan))


def fractile(values: list[float] | np.ndarray, q: float) -> float:
    """Empirical q-th percentile (0-100) with NaNs dropped; NaN for no values."""
    arr = np.asarray([v for v in values if not math.isnan(v)], dtype=float)
    if arr.size == 0:
        return math.nan
    return float(np.percentile(arr, q, method="inverted_cdf"))


def share(flags: list[bool]) -> float:
    """Share of True values; NaN for none."""
    return float(np.mean(flags)) if flags else math.nan


def turnouts(result: RunResult) -> list[float]:
    """Every fire-station turnout from quarters: dispatch to wheels rolling, s."""
    stations = {st.id for st in result.scenario.forces.stations}
    apparatus = {u.id for u in result.units if u.station in stations}
    dispatched: dict[str, float] = {}
    out = []
    for r in result.records:
        if r.unit not in apparatus:
            continue
        if r.event == "dispatch":
            dispatched[r.unit] = r.t
        elif r.event == "enroute" and r.data["from_quarters"] and r.unit in dispatched:
            out.append(r.t - dispatched.pop(r.unit))
    return out


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
    end = max((r.t for r in result.records), default=duration)
    for unit, t0 in since.items():
        busy[unit] += end - t0
    return {u: b / duration for u, b in busy.items()}


COMPONENTS = {
    # name: (English, Chinese, function of a row)
    "processing": ("call processing", "接警处理", lambda r: _gap(r.call, r.first_dispatch)),
    "turnout": ("turnout (first unit)", "出动准备（首车）", lambda r: r.first_unit_turnout),
    "travel": ("travel (first unit)", "行驶（首车）", lambda r: r.first_unit_travel),
    "response": ("call to first arrival", "接警至首车到场", lambda r: r.response),
    "full_assignment": ("call to full assignment", "接警至力量全部到场",
                        lambda r: r.call_to_full_assignment),
    "control": ("call to control", "接警至控制", lambda r: _gap(r.call, r.control)),
    "clear": ("call to clear", "接警至结束", lambda r: _gap(r.call, r.clear)),
}


def component_fractiles(rows: list[IncidentRow]) -> dict[str, dict[str, float]]:
    """50th and 90th percentiles of each response component, s."""
    answered = [r for r in rows if not math.isnan(r.call)]
    return {name: {"p50": fractile([f(r) for r in answered], 50),
                   "p90": fractile([f(r) for r in answered], 90),
                   "n": sum(1 for r in answered if not math.isnan(f(r)))}
            for name, (_, _, f) in COMPONENTS.items()}


def response_metrics(result: RunResult, rows: list[IncidentRow] | None = None) -> dict[str, float]:
    """Every metric of :data:`drillsim.metrics.catalog.METRICS`, keyed by name."""
    rows = incident_table(result) if rows is None else rows
    called = [r for r in rows if not math.isnan(r.call)]
    fires = [r for r in called if r.kind == "fire"]
    to = turnouts(result)
    util = utilisation(result)
    engine_travel = [r.first_engine_travel for r in fires]
    return {
        "first_arrival_p50": fractile([r.response for r in called], 50),
        "first_arrival_p90": fractile([r.response for r in called], 90),
        "dispatch_to_arrival_p90": fractile([r.dispatch_to_arrival for r in called], 90),
        "turnout_p90": fractile(to, 90),
        "travel_p90": fractile([r.first_unit_travel for r in called], 90),
        "full_assignment_p90": fractile([r.call_to_full_assignment for r in called], 90),
        "five_minute_share": share([r.dispatch_to_arrival <= FIVE_MINUTES_S
                                    for r in called if not math.isnan(r.first_dispatch)]),
        "nfpa_turnout_share": share([t <= NFPA_TURNOUT_FIRE_S for t in to]),
        "nfpa_travel_share": share([t <= NFPA_FIRST_ENGINE_TRAVEL_S
                                    for t in engine_travel if not math.isnan(t)]),
        "fire_size_at_first_arrival_p90": fractile([r.q_first_arrival_kw for r in fires], 90),
        "fire_size_at_full_assignment_max": max(
            (r.q_full_assignment_kw for r in fires if not math.isnan(r.q_full_assignment_kw)),
            default=math.nan),
        "calls_unmet": float(sum(r.unmet for r in called)),
        "calls_queued": float(sum(r.queued for r in called)),
        "mutual_aid_calls": float(sum(r.mutual_aid for r in called)),
        "rescue_first_arrival_p90": fractile(
            [r.response for r in called if r.kind == "flood_rescue"], 90),
        "utilisation_max": max(util.values(), default=math.nan),
    }


def row_dict(row: IncidentRow) -> dict[str, object]:
    """A row as a plain dict (for CSV and JSON)."""
    return asdict(row)
