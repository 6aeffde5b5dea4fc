"""Facts of a run that need its road network: when which roads were closed, and what a
closure, a unit's distance or a unit out of service cost a response.

Everything else about a response is in :mod:`drillsim.metrics.response`; these
functions take the :class:`~drillsim.network.world.World` the run used besides the
:class:`~drillsim.records.result.RunResult` (which does not carry the network).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from drillsim.metrics.response import Assignment, IncidentRow
from drillsim.network.road_changes import road_change_edges
from drillsim.network.world import World
from drillsim.records.result import RunResult
from drillsim.scenarios.schema import Location, RoadChange

VEHICLE = "fire_engine"
"""The vehicle whose travel times the closure and distance facts use."""
NOTICEABLE_S = 10.0
"""Extra travel a closure must cause to count as a delay, s."""


@dataclass(frozen=True)
class RoadClosure:
    """A road closure as the records (when) and the scenario (which arcs) tell it.

    Attributes
    ----------
    inject
        The id of the ``road_closed`` inject.
    road
        The road's name.
    start, end
        Delivery of the closure and of the reopening, s (``end`` inf: closed to the end).
    edges
        The arcs closed.
    """

    inject: str
    road: str
    start: float
    end: float
    edges: tuple[int, ...]


def road_closures(result: RunResult, world: World) -> list[RoadClosure]:
    """The closures of a run, in the order they were delivered."""
    injects = {}
    for label, inj in zip(result.scenario.inject_ids(), result.scenario.injects, strict=True):
        if isinstance(inj, RoadChange):
            injects[label] = inj
    delivered = [(r.t, r.data["id"]) for r in result.records if r.event == "inject"]
    spans: list[RoadClosure] = []
    open_spans: dict[int, int] = {}
    for t, label in delivered:
        inj = injects.get(label)
        if inj is None:
            continue
        try:
            edges = tuple(int(e) for e in road_change_edges(world, inj))
        except KeyError:
            edges = ()
        if inj.kind == "road_closed":
            spans.append(RoadClosure(label, inj.road, t, math.inf, edges))
            for e in edges:
                open_spans[e] = len(spans) - 1
        else:
            for e in edges:
                k = open_spans.pop(e, None)
                if k is not None and math.isinf(spans[k].end):
                    s = spans[k]
                    spans[k] = RoadClosure(s.inject, s.road, s.start, t, s.edges)
    return spans


def home_node(result: RunResult, world: World, unit: str) -> int | None:
    """The network node of a unit's station (``None``: mutual aid or no known place)."""
    info = next((u for u in result.units if u.id == unit), None)
    if info is None or info.station == "mutual_aid":
        return None
    for st in result.scenario.forces.stations:
        if st.id == info.station:
            try:
                return world.node_of(st.location or Location(place=st.id))
            except KeyError:
                return None
    return None


def time_from_home(result: RunResult, world: World, unit: str, node: int) -> float:
    """Travel time from a unit's station to ``node`` on the open network, s (inf: no
    station or no route)."""
    home = home_node(result, world, unit)
    return world.travel.time(home, node, VEHICLE) if home is not None else math.inf


def nearer_of_type(result: RunResult, world: World, unit: str, node: int,
                   sent: Iterable[str] = ()) -> tuple[str, ...]:
    """The district's staffed units of ``unit``'s type, other than ``sent``, whose station
    is nearer ``node`` than ``unit``'s on the open network (sorted by that time): units the
    dispatcher would have sent before ``unit`` had they been free."""
    info = next((u for u in result.units if u.id == unit), None)
    own = time_from_home(result, world, unit, node)
    if info is None or not math.isfinite(own):
        return ()
    skip = {unit, *sent}
    times = [(time_from_home(result, world, u.id, node), u.id) for u in result.units
             if u.type == info.type and u.staffed and u.id not in skip]
    return tuple(u for t, u in sorted(times) if t < own)


def unstaffed_at(result: RunResult, station: str, unit_type: str) -> tuple[str, ...]:
    """The units of ``unit_type`` kept at ``station`` without a crew on duty (the
    ``staffed`` flag of the run's units), in the run's unit order."""
    return tuple(u.id for u in result.units
                 if u.station == station and u.type == unit_type and not u.staffed)


@dataclass(frozen=True)
class ClosureDelay:
    """What one road closure cost one unit's response: its route from quarters, at the
    turnout order or on the way, was longer because the road was closed.

    Attributes
    ----------
    inject, road
        The ``road_closed`` inject and the road's name.
    unit, incident
        The unit and the incident it was sent to.
    delay
        Its travel minus its travel time from quarters on the network as it was at the
        turnout order without this closure, s (> :data:`NOTICEABLE_S`).
    arrival
        When it arrived, s.
    first_arrival
        The incident's first arrival (by any unit), s.
    first_unit
        The unit that arrived first.
    """

    inject: str
    road: str
    unit: str
    incident: str
    delay: float
    arrival: float
    first_arrival: float
    first_unit: str

    @property
    def arrival_open(self) -> float:
        """When it would have arrived with the road open, s."""
        return self.arrival - self.delay

    @property
    def first_due(self) -> bool:
        """With the road open it would have been the first on scene, earlier than the
        first arrival was: the closure delayed the incident's first arrival."""
        return self.arrival_open < self.first_arrival


def closure_delays(result: RunResult, world: World, activity: dict[str, list[Assignment]],
                   rows: list[IncidentRow], closures: list[RoadClosure] | None = None
                   ) -> list[ClosureDelay]:
    """Every unit whose route was longer because of a road closure, per closure.

    The counterfactual: a unit turning out from its quarters while a closure was in force
    (closed before it arrived, not reopened before its turnout order) drives from its
    station on the network as it was at the turnout order (the other closures and the
    waterlogging too deep for trucks then, :func:`closed_arcs_at`) but with this road
    open; the difference from its recorded travel is the closure's delay. Units routed
    around the closure from the start count as well as those re-routed on the way (a
    ``reroute`` record). A travel time within :data:`NOTICEABLE_S` of the open road's is
    no delay.

    Returns
    -------
    list of ClosureDelay
        In the order of the closures, then of the units' arrivals.
    """
    closures = road_closures(result, world) if closures is None else closures
    by_inc = {r.incident: r for r in rows}
    cache: dict[frozenset[int], object] = {}
    out = []
    for c in closures:
        if not c.edges:
            continue
        found = []
        for lst in activity.values():
            for a in lst:
                row = by_inc.get(a.incident)
                if (row is None or row.node < 0 or a.mutual_aid or not a.from_quarters
                        or math.isnan(a.arrive) or not c.start < a.arrive
                        or not c.end > a.dispatch):
                    continue
                home = home_node(result, world, a.unit)
                if home is None:
                    continue
                arcs = frozenset(closed_arcs_at(result, world, a.dispatch, closures)
                                 - set(c.edges))
                free = _time_with(world, arcs, home, row.node, cache)
                delay = a.travel - free
                if math.isfinite(delay) and delay > NOTICEABLE_S:
                    found.append(ClosureDelay(c.inject, c.road, a.unit, a.incident, delay,
                                              a.arrive, row.first_arrival, row.first_unit))
        out += sorted(found, key=lambda d: (d.arrival, d.unit))
    return out


def _time_with(world: World, arcs: frozenset[int], origin: int, node: int,
               cache: dict) -> float:
    """A fire engine's travel time with ``arcs`` closed, s (one travel-time engine per set
    of closed arcs, kept in ``cache``)."""
    from drillsim.network.graph import TravelTimes

    if not arcs:
        return world.dry.time(origin, node, VEHICLE)
    travel = cache.get(arcs)
    if travel is None:
        travel = cache[arcs] = TravelTimes(world.network)
        travel.close(sorted(arcs), [VEHICLE])
    return travel.time(origin, node, VEHICLE)


def closed_arcs_at(result: RunResult, world: World, t: float,
                   closures: list[RoadClosure] | None = None) -> set[int]:
    """The arcs closed to fire engines at drill time ``t``, s: the road closures in force
    and the arcs of waterlogging points then too deep for trucks."""
    from drillsim.metrics.waterlogging import waterlogging_points
    from drillsim.network.waterlogging_arcs import point_edges

    closures = road_closures(result, world) if closures is None else closures
    arcs = {e for c in closures if c.start <= t < c.end for e in c.edges}
    flood = result.scenario.flood
    if flood is not None:
        measures = waterlogging_points(result)
        for p in flood.points:
            m = measures.get(p.id)
            if m is None or not any(a <= t < b for a, b in m.closed_to_trucks):
                continue
            try:
                arcs.update(int(e) for e in point_edges(world.network, world.node_of(p.location),
                                                         p))
            except KeyError:
                continue
    return arcs


def travel_time_at(result: RunResult, world: World, origin: int, node: int, t: float,
                   closures: list[RoadClosure] | None = None) -> float:
    """A fire engine's travel time from ``origin`` to ``node`` on the network as it was at
    drill time ``t``: the closures of :func:`closed_arcs_at` in force (slower driving in
    shallow water is not counted), s (inf: no route)."""
    arcs = frozenset(closed_arcs_at(result, world, t, closures))
    return _time_with(world, arcs, origin, node, {})


def station_turnout_s(result: RunResult, unit: str, t: float) -> float:
    """The mean turnout of a unit's station at drill time ``t`` (its day or night
    distribution), s (NaN: the unit has no station of the drill)."""
    info = next((u for u in result.units if u.id == unit), None)
    station = next((st for st in result.scenario.forces.stations
                    if info is not None and st.id == info.station), None)
    if station is None:
        return math.nan
    start = result.scenario.start
    clock = start.hour * 3600 + start.minute * 60 + start.second + t
    return float(station.turnout.for_clock(clock).mean())


@dataclass(frozen=True)
class OutageEffect:
    """Whether a unit out of service at a call would have been the first on scene.

    Attributes
    ----------
    unit
        The unit out of service.
    turnout, travel
        Its station's mean turnout at the first dispatch, and its travel from its
        quarters to the scene on the network as it was then, s.
    arrival
        When it would have arrived: first dispatch + turnout + travel, s (inf: no route).
    actual
        The incident's actual first arrival, s (inf: nobody arrived).
    """

    unit: str
    turnout: float
    travel: float
    arrival: float
    actual: float

    @property
    def first_due(self) -> bool:
        """It would have arrived before the unit that did: the outage delayed the response."""
        return self.arrival < self.actual

    @property
    def delay(self) -> float:
        """How much later the first unit arrived than the out unit would have, s (>= 0)."""
        return max(self.actual - self.arrival, 0.0)


def outage_effect(result: RunResult, world: World, row: IncidentRow, unit: str,
                  closures: list[RoadClosure] | None = None) -> OutageEffect | None:
    """What a unit out of service at an incident's call would have done had it been in.

    The counterfactual: dispatched with the first dispatch, it turns out in its station's
    mean turnout time and drives from its quarters on the network as it was then.

    Returns
    -------
    OutageEffect or None
        ``None`` when the incident was never dispatched or the unit has no station on the
        network (mutual aid, unknown place).
    """
    t = row.first_dispatch
    home = home_node(result, world, unit)
    turnout = station_turnout_s(result, unit, t)
    if math.isnan(t) or home is None or math.isnan(turnout) or row.node < 0:
        return None
    travel = travel_time_at(result, world, home, row.node, t, closures)
    actual = row.first_arrival if not math.isnan(row.first_arrival) else math.inf
    return OutageEffect(unit, turnout, travel, t + turnout + travel, actual)


@dataclass(frozen=True)
class PointPassage:
    """One unit's trip from quarters while some of the given waterlogging points were closed
    to fire engines, and what those closures did to its route.

    Attributes
    ----------
    unit, incident
        The unit and the incident it was sent to.
    dispatch, arrival
        Turnout order and arrival, s.
    extra
        Its fastest route from quarters with the points' roads closed minus with them open,
        on the network as it was when it set out (the turnout order, or the first closure
        of these points during the trip; the other closures then in force; dry speeds on
        both sides), s (0: the closure did not lengthen its route; inf: no route with them
        closed).
    nearest_m
        How close its fastest route with the points closed came to the nearest of them, m.
    point
        That nearest point's id.
    rerouted
        When the unit, already on the road, was re-routed because these points closed (a
        ``reroute`` record of its trip at the start of their closure: ``extra`` is then
        counted from where it was), s; NaN if it was not.
    other_reroutes
        The times of its trip's other ``reroute`` records, while these points were closed
        throughout: another change of the roads (the water elsewhere) re-routed it, not
        these points, s.
    """

    unit: str
    incident: str
    dispatch: float
    arrival: float
    extra: float
    nearest_m: float
    point: str
    rerouted: float = math.nan
    other_reroutes: tuple[float, ...] = ()

    @property
    def detoured(self) -> bool:
        """The closure made its route longer by more than :data:`NOTICEABLE_S`: it was routed
        around the points."""
        return self.extra > NOTICEABLE_S


def point_passages(result: RunResult, world: World, activity: dict[str, list[Assignment]],
                   points: list[str]) -> list[PointPassage]:
    """Every fire-station unit of the district (teams' units have no station to route from)
    that set out from quarters to an incident while one of ``points``
    (waterlogging point ids) was closed to fire engines, or saw one close before it
    arrived, and what the closure did to its route (:class:`PointPassage`).

    The counterfactual is :func:`closure_delays`' with the points' arcs as the closure,
    but both sides are computed (the recorded travel also carries the rain's slower
    driving, which is no detour): the fastest route from the unit's station on the network
    as it was when it set out, with and without the points' roads.

    Returns
    -------
    list of PointPassage
        In the order of the units' turnout orders.
    """
    from drillsim.metrics.waterlogging import waterlogging_points
    from drillsim.network.graph import haversine_m
    from drillsim.network.waterlogging_arcs import point_edges

    flood = result.scenario.flood
    if flood is None or not points:
        return []
    measures = waterlogging_points(result)
    specs = [p for p in flood.points if p.id in points]
    spans = [s for p in specs for s in measures[p.id].closed_to_trucks]
    if not spans:
        return []
    net = world.network
    where = {p.id: world.node_of(p.location) for p in specs}
    arcs = set()
    for p in specs:
        arcs.update(int(e) for e in point_edges(net, where[p.id], p))
    nodes = {i.id: i.node for i in result.incidents}
    cache: dict[frozenset[int], object] = {}
    closures = road_closures(result, world)
    closing = {s0 for s0, _ in spans}  # when the points closed to fire engines
    reroutes: dict[tuple[str, str], list] = {}
    for r in result.records:
        if r.event == "reroute" and r.unit:
            reroutes.setdefault((r.unit, r.incident), []).append(r)
    out = []
    for lst in activity.values():
        for a in lst:
            node = nodes.get(a.incident, -1)
            end = a.arrive if not math.isnan(a.arrive) else math.inf
            starts = [max(a.dispatch, s0) for s0, s1 in spans if s0 < end and s1 > a.dispatch]
            if a.task != "incident" or node < 0 or a.mutual_aid or not a.from_quarters \
                    or not starts:
                continue
            home = home_node(result, world, a.unit)
            if home is None:
                continue
            t = min(starts)
            trip = [r for r in reroutes.get((a.unit, a.incident), [])
                    if a.dispatch <= r.t <= end]
            # on the road when the points closed: re-routed from where it was, then
            caused = next((r for r in trip if r.t == t and t in closing and r.node >= 0
                           and not r.get("no_route")), None)
            origin = caused.node if caused is not None else home
            base = closed_arcs_at(result, world, t, closures)
            shut = frozenset(base | arcs)
            closed = _time_with(world, shut, origin, node, cache)
            extra = closed - _time_with(world, frozenset(base - arcs), origin, node, cache)
            route = np.asarray(cache[shut].route(origin, node, VEHICLE) if shut in cache
                               else [], dtype=np.int64)
            dist = {pid: float(haversine_m(net.lat[route], net.lon[route], net.lat[n],
                                           net.lon[n]).min()) if route.size else math.inf
                    for pid, n in where.items()}
            pid = min(dist, key=dist.get)
            out.append(PointPassage(
                a.unit, a.incident, a.dispatch, a.arrive,
                max(extra, 0.0) if math.isfinite(closed) else math.inf, float(dist[pid]), pid,
                caused.t if caused is not None else math.nan,
                tuple(r.t for r in trip if r is not caused)))
    return sorted(out, key=lambda p: (p.dispatch, p.unit))
