"""Water rescue calls of a rainstorm: how many, how many late, queued or helped from outside.

Computed from the incident table (:func:`drillsim.metrics.response.incident_table`):
the rows of kind ``flood_rescue`` that reached the command centre.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from drillsim.metrics.response import Assignment, IncidentRow
from drillsim.records.result import RunResult


@dataclass(frozen=True)
class RescueCalls:
    """The water rescue calls of a run against a response target.

    Attributes
    ----------
    calls
        Every flood rescue call that was made, in the incident table's order.
    late
        Calls whose call-to-first-arrival time exceeded the target (or were never
        reached), longest first.
    queued
        Calls that waited for a free unit.
    mutual_aid
        Calls that needed help from outside the district.
    first_call
        Drill time of the first call, s (NaN: none).
    """

    calls: tuple[IncidentRow, ...]
    late: tuple[IncidentRow, ...]
    queued: int
    mutual_aid: int
    first_call: float


def rescue_calls(rows: Sequence[IncidentRow], target_s: float) -> RescueCalls:
    """The flood rescue calls among ``rows`` against a response target (s)."""
    calls = tuple(r for r in rows if r.kind == "flood_rescue" and not math.isnan(r.call))
    late = tuple(sorted((r for r in calls if not r.response <= target_s),
                        key=lambda r: -(r.response if math.isfinite(r.response) else 1e12)))
    return RescueCalls(calls, late, sum(r.queued for r in calls),
                       sum(r.mutual_aid for r in calls),
                       min((r.call for r in calls), default=math.nan))


@dataclass(frozen=True)
class RescueTaker:
    """Who reached the water rescue calls first: one team, fire station or mutual aid.

    Attributes
    ----------
    owner
        The team or station id of the first unit on scene (``mutual_aid`` for help from
        outside the district; ``""`` for calls nobody reached).
    first
        Calls this owner's unit reached first.
    response_p50
        Median call-to-first-arrival time of those calls, s (NaN: none reached).
    """

    owner: str
    first: int
    response_p50: float


def rescue_takers(calls: RescueCalls, unit_owner: dict[str, str]) -> list[RescueTaker]:
    """The water rescue calls by who reached them first, most calls first.

    Parameters
    ----------
    calls
        The run's water rescue calls (:func:`rescue_calls`).
    unit_owner
        Unit id -> its team or station id (:attr:`drillsim.records.result.UnitInfo.station`).
    """
    by: dict[str, list[float]] = {}
    for r in calls.calls:
        owner = unit_owner.get(r.first_unit, r.first_unit) if r.first_unit else ""
        by.setdefault(owner, []).append(r.response)
    out = [RescueTaker(o, len(v), float(np.median(v)) if o else math.nan)
           for o, v in by.items()]
    return sorted(out, key=lambda t: (t.owner == "", -t.first, t.owner))


@dataclass(frozen=True)
class IdleWhileWaiting:
    """District units the flood-rescue response plan never sends, idle while rescue calls
    waited for a free unit.

    Attributes
    ----------
    start, end
        The wait: the first rescue call's queueing to the last waiting rescue call's
        dispatch (the end of the run if one was never dispatched), s.
    calls
        The rescue calls that waited, in order of their calls.
    plan_types
        The unit types the flood-rescue response plan asks for (``forces.response_plans``),
        in the plan's order.
    idle
        Staffed units of the district's stations, of types the plan does not ask for, never
        dispatched nor out of service during the wait, by unit type (ids in station order).
    peak_depth_m
        The peak water depth at each waterlogging point the waiting calls came from, m.
    """

    start: float
    end: float
    calls: tuple[str, ...]
    plan_types: tuple[str, ...]
    idle: dict[str, list[str]]
    peak_depth_m: dict[str, float]

    @property
    def n_idle(self) -> int:
        """How many units were idle."""
        return sum(len(v) for v in self.idle.values())


def idle_while_waiting(result: RunResult, rows: Sequence[IncidentRow],
                       activity: dict[str, list[Assignment]]) -> IdleWhileWaiting | None:
    """The district units left idle by the flood-rescue plan while rescue calls waited
    (``None`` when no rescue call waited or the drill has no flood-rescue plan)."""
    from drillsim.metrics.response import out_of_service, run_end
    from drillsim.metrics.waterlogging import waterlogging_points

    forces = result.scenario.forces
    waited = [r for r in rows if r.kind == "flood_rescue" and r.queued]
    if not waited or "flood_rescue" not in forces.response_plans:
        return None
    plan = list(dict.fromkeys(t for level in forces.plan("flood_rescue") for key in level
                              for t in key.split("|")))
    start = min(r.queued_at for r in waited)
    end = max((run_end(result) if math.isnan(r.first_dispatch) else r.first_dispatch)
              for r in waited)
    stations = {st.id for st in forces.stations}
    out = {u for u, t0, t1 in out_of_service(result) if t0 < end and t1 > start}
    idle: dict[str, list[str]] = {}
    for u in result.units:
        if u.station not in stations or not u.staffed or u.type in plan or u.id in out:
            continue
        busy = any(a.dispatch < end and not a.release <= start
                   for a in activity.get(u.id, []))
        if not busy:
            idle.setdefault(u.type, []).append(u.id)
    points = waterlogging_points(result)
    depth = {r.place: points[r.place].peak_m for r in waited if r.place in points}
    return IdleWhileWaiting(start, end, tuple(r.incident for r in waited), tuple(plan), idle,
                            dict(sorted(depth.items())))


@dataclass(frozen=True)
class RescuePoint:
    """The water rescue calls from one waterlogging point.

    Attributes
    ----------
    point
        The waterlogging point's id (the calls' place).
    calls
        Calls made from it.
    response_p50, response_max
        Median and longest call-to-first-arrival time, s (inf: a call nobody reached).
    queued, mutual_aid, unmet
        Calls that waited for a free unit, needed help from outside, were never reached.
    """

    point: str
    calls: int
    response_p50: float
    response_max: float
    queued: int
    mutual_aid: int
    unmet: int


def rescue_points(calls: RescueCalls) -> list[RescuePoint]:
    """The water rescue calls by the point they came from, most calls first."""
    by: dict[str, list[IncidentRow]] = {}
    for r in calls.calls:
        by.setdefault(r.place, []).append(r)
    out = []
    for point, rows in by.items():
        resp = [r.response if not math.isnan(r.response) else math.inf for r in rows]
        out.append(RescuePoint(point, len(rows), float(np.median(resp)), max(resp),
                               sum(r.queued for r in rows), sum(r.mutual_aid for r in rows),
                               sum(bool(r.unmet) for r in rows)))
    return sorted(out, key=lambda p: (-p.calls, p.point))
