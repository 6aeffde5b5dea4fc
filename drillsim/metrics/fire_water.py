"""A scripted fire's development against the water: flashover, size and water needed at
first arrival and at control, the water the first alarm brought and the water on the fire
when it was held.

Everything comes from the records: the ``flashover`` record, the fire-size fields
(``q_kw``, ``rooms``, ``need_l_s``) of the first ``arrive`` and of ``control``, the
``dispatch`` records of the first alarm (``alarm`` 1) and the ``arrive`` times. Water per
unit is :data:`drillsim.hazards.fire_growth.WATER_FLOW_L_S` (GB 50974-2014 hose streams;
assumptions), on the fire :data:`~drillsim.hazards.fire_growth.SETUP_S` after the unit
arrives; the engine holds the fire when that water reaches the need and calls it under
control :data:`~drillsim.hazards.fire_growth.KNOCKDOWN_S` later, so the water on the fire
at control is that of the units set up by ``control - KNOCKDOWN_S``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.hazards.fire_growth import KNOCKDOWN_S, SETUP_S, water_flow_l_s
from drillsim.metrics.response import IncidentRow
from drillsim.records.record import Record
from drillsim.records.result import RunResult

NAN = math.nan
_EPS = 1e-6  # s: the unit whose water caught up with the fire sets up at the held time


@dataclass(frozen=True)
class FireWater:
    """One scripted fire's development and water (times in s of drill time; NaN: none).

    Attributes
    ----------
    incident
        The incident.
    flashover
        When the room of origin flashed over (NaN: not before the water held the fire,
        or not before the drill's end).
    first_arrival, q_first_kw, rooms_first, need_first_l_s
        First unit on scene, and the fire's heat-release rate (kW), rooms burning and the
        water it needed (L/s, NFA fire-flow formula) then.
    first_alarm_l_s
        Water the units of the first alarm bring together, L/s.
    control, q_control_kw, rooms_control, need_control_l_s
        Under control, and the fire's size, rooms and water need then (NaN: not
        controlled before the drill's end).
    water_control_l_s
        Water on the fire when it was held (units set up by ``control - KNOCKDOWN_S``),
        L/s (NaN: not controlled).
    """

    incident: str
    flashover: float
    first_arrival: float
    q_first_kw: float
    rooms_first: float
    need_first_l_s: float
    first_alarm_l_s: float
    control: float
    q_control_kw: float
    rooms_control: float
    need_control_l_s: float
    water_control_l_s: float


def _size(r: Record | None) -> tuple[float, float, float]:
    if r is None or r.get("q_kw") is None:
        return NAN, NAN, NAN
    return float(r.get("q_kw")), float(r.get("rooms")), float(r.get("need_l_s"))


def fire_water(result: RunResult, rows: list[IncidentRow]) -> list[FireWater]:
    """The development and water of every scripted fire (not background calls, not calls
    a hazard raised), in the order of ``rows``."""
    fires = [r.incident for r in rows if r.kind == "fire" and not r.background
             and not r.place]
    types = {u.id: u.type for u in result.units}
    recs: dict[str, list[Record]] = {i: [] for i in fires}
    for r in result.records:
        if r.incident in recs:
            recs[r.incident].append(r)
    out = []
    for inc in fires:
        mine = recs[inc]
        flash = next((r.t for r in mine if r.event == "flashover"), NAN)
        arrivals = [r for r in mine if r.event == "arrive"
                    and r.get("task", "incident") == "incident"]
        first = arrivals[0] if arrivals else None
        control = next((r for r in mine if r.event == "control"), None)
        alarm1 = {r.unit for r in mine if r.event == "dispatch" and r.get("alarm") == 1}
        brought = sum(water_flow_l_s(types.get(u, "")) for u in alarm1)
        if control is not None:
            held = control.t - KNOCKDOWN_S
            on = sum(water_flow_l_s(types.get(a.unit, "")) for a in arrivals
                     if a.t + SETUP_S <= held + _EPS)
        else:
            on = NAN
        out.append(FireWater(inc, flash, first.t if first else NAN, *_size(first),
                             float(brought), control.t if control else NAN, *_size(control),
                             float(on)))
    return out


@dataclass(frozen=True)
class FirstAlarm:
    """How a fire's first alarm came together, from its ``dispatch`` (``alarm`` 1),
    ``arrive``, ``full_assignment`` and ``escalate`` records (times in s of drill time).

    Attributes
    ----------
    incident
        The incident.
    last
        The unit whose arrival completed the first alarm (the full assignment).
    last_eta
        Its travel time as the dispatcher estimated it at the turnout order, s.
    last_arrive
        When it arrived (the full assignment), s.
    rest
        The rest of the first alarm, in turnout order.
    rest_eta
        The longest travel estimate among them, s.
    rest_arrive
        When the last of them arrived, s (NaN: one of them never did).
    water_l_s
        Water the first alarm brings together, L/s.
    water_on
        The earliest the first alarm's water can be on the fire: its first unit's arrival
        plus :data:`~drillsim.hazards.fire_growth.SETUP_S` (hose streams on), s.
    need_on_l_s
        Water the fire needed then, L/s (NFA fire-flow formula): the ``need_l_s`` of the
        last record of the incident at or before ``water_on`` (the fire only grows until
        water holds it, so the need then is at least that).
    escalated
        When the fire was first escalated beyond the first alarm, s (NaN: never).
    short
        Whether the fire needed more units than the first alarm sent: its water was below
        the fire's need when that water could first be on the fire (``need_on_l_s``), or
        the fire was escalated after the whole first alarm was on scene. A fire escalated
        before the first alarm was complete, whose need when the water could first be on
        it was within the first alarm's water, did not show that: its first alarm came
        too late, not too small.
    """

    incident: str
    last: str
    last_eta: float
    last_arrive: float
    rest: tuple[str, ...]
    rest_eta: float
    rest_arrive: float
    water_l_s: float
    water_on: float
    need_on_l_s: float
    escalated: float
    short: bool


def first_alarm(result: RunResult, row: IncidentRow) -> FirstAlarm | None:
    """How ``row``'s first alarm came together (``None``: not a fire, no full assignment, or
    a first alarm of one unit)."""
    if row.kind != "fire" or not math.isfinite(row.full_assignment):
        return None
    mine = [r for r in result.records if r.incident == row.incident]
    sent = [r for r in mine if r.event == "dispatch" and r.get("alarm") == 1]
    arrive: dict[str, float] = {}
    for r in mine:
        if r.event == "arrive" and r.get("task", "incident") == "incident":
            arrive.setdefault(r.unit, r.t)
    units = [r.unit for r in sent]
    if len(units) < 2 or not all(u in arrive for u in units):
        return None
    last = max(units, key=lambda u: (arrive[u], units.index(u)))
    rest = tuple(u for u in units if u != last)
    eta = {r.unit: float(r.get("eta_s", NAN)) for r in sent}
    types = {u.id: u.type for u in result.units}
    water = float(sum(water_flow_l_s(types.get(u, "")) for u in units))
    on = min(arrive[u] for u in units) + SETUP_S
    sized = [r for r in mine if r.t <= on and r.get("need_l_s") is not None]
    need = _size(sized[-1])[2] if sized else NAN
    esc = next((r.t for r in mine if r.event == "escalate"), NAN)
    short = (math.isfinite(need) and need > water) or \
        (math.isfinite(esc) and esc >= arrive[last])
    return FirstAlarm(row.incident, last, eta[last], arrive[last], rest,
                      max(eta[u] for u in rest), max(arrive[u] for u in rest), water, on,
                      need, esc, short)
