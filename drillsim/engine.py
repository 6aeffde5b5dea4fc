"""The drill engine: a SimPy model of the command centre, the units and the incidents.

:func:`run_drill` takes a validated :class:`~drillsim.scenarios.schema.Scenario`,
the :class:`~drillsim.world.World` and a seed, and returns a :class:`RunResult`
whose records are the only output. It never touches files or the wall clock.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import simpy

from drillsim.agents.dispatch import DISPATCH_VEHICLE, Dispatcher
from drillsim.agents.incident import IncidentState
from drillsim.agents.units import Leg, Unit
from drillsim.records import Record
from drillsim.rng import Streams
from drillsim.scenarios.fire import KNOCKDOWN_S, OCCUPANCIES, SETUP_S, suppression_kw
from drillsim.scenarios.schema import (
    CallSurge,
    CommsDelay,
    Incident,
    Location,
    LogNormal,
    NewIncident,
    RoadChange,
    Scenario,
    UnitInService,
    UnitOutOfService,
)
from drillsim.world import World

RETURN_VEHICLE = "truck"
"""Units drive back to quarters without lights, at truck speeds."""

WORK_TIME = {
    # On-scene work after control (fires: overhaul) or in total (rescue, alarm), s.
    # ASSUMPTIONS, of the order of Chinese urban incident statistics.
    "fire": LogNormal(dist="lognormal", median=1500.0, p90=3600.0),
    "rescue": LogNormal(dist="lognormal", median=1200.0, p90=2700.0),
    "alarm": LogNormal(dist="lognormal", median=480.0, p90=900.0),
}


@dataclass(frozen=True)
class UnitInfo:
    """A unit as it stood at the start of the drill."""

    id: str
    type: str
    station: str
    crew: int
    staffed: bool


@dataclass(frozen=True)
class IncidentInfo:
    """What the metrics need to know of an incident besides its records."""

    id: str
    kind: str
    occupancy: str
    node: int
    background: bool
    alpha: float
    max_kw: float


@dataclass(frozen=True)
class RunResult:
    """Everything a run produced: records plus the tables that describe its actors."""

    scenario: Scenario
    seed: int
    records: tuple[Record, ...]
    units: tuple[UnitInfo, ...]
    incidents: tuple[IncidentInfo, ...]


class Drill:
    """One run of one scenario in one world with one seed."""

    def __init__(self, scenario: Scenario, world: World, seed: int,
                 spawn_key: tuple[int, ...] = ()) -> None:
        self.scenario = scenario
        self.world = world
        self.env = simpy.Environment()
        self.streams = Streams(seed, spawn_key)
        self.seed = seed
        self.records: list[Record] = []
        self.dispatcher = Dispatcher(self)
        self.units: dict[str, Unit] = {}
        self.units_mutual_aid: list[Unit] = []
        self.unit_info: list[UnitInfo] = []
        self.incidents: dict[str, IncidentState] = {}
        self.comms_delay = 0.0
        self.net_changed = self.env.event()
        self.changed_edges: set[int] = set()
        self._clock0 = (scenario.start - scenario.start.replace(
            hour=0, minute=0, second=0, microsecond=0)).total_seconds()
        self._build_units()

    # ------------------------------------------------------------------ set-up

    def _build_units(self) -> None:
        forces = self.scenario.forces
        for st in forces.stations:
            home = self.world.node_of(st.location or Location(place=st.id))
            staffed = {a.id for a in st.staffed()}
            for app in st.apparatus:
                self.unit_info.append(UnitInfo(app.id, app.type, st.id, app.crew,
                                               app.id in staffed))
                if app.id in staffed:
                    self.units[app.id] = Unit(app.id, app.type, st.id, home, app.crew,
                                              app.hazmat, node=home)
        self._turnout = {st.id: st.turnout for st in forces.stations}

    def log(self, event: str, incident: str = "", unit: str = "", node: int = -1,
            detail: str = "", place: str = "") -> None:
        """Append one record at the current simulated time."""
        self.records.append(
            Record(float(self.env.now), event, incident, unit, node, detail, place))

    def clock_seconds(self, t: float) -> float:
        """Seconds after midnight (local) at drill time ``t``."""
        return (self._clock0 + t) % 86400.0

    # ------------------------------------------------------------------ run

    def run(self) -> RunResult:
        """Play the drill to its end and return the records."""
        s = self.scenario
        for uid in s.forces.out_of_service:
            unit = self.units.get(uid)
            if unit is not None:
                unit.status = "out_of_service"
                self.log("out_of_service", unit=uid, node=unit.node, detail="at start")
        for inc in s.incidents:
            self.env.process(self._incident(inc, inc.at, background=False))
        for k, inj in enumerate(s.injects):
            self.env.process(self._inject(k, inj))
        if s.background is not None and s.background.calls_per_day > 0:
            self.env.process(self._background())
        try:
            self.env.run(until=s.duration)
        finally:
            self._restore_network()
        for inc in self.incidents.values():
            if inc.called and not inc.arrived:
                self.log("unmet", inc.id, node=inc.node)
        self.log("end")
        return RunResult(
            scenario=s, seed=self.seed, records=tuple(self.records),
            units=tuple(self.unit_info) + tuple(
                UnitInfo(u.id, u.type, "mutual_aid", 0, True) for u in self.units_mutual_aid),
            incidents=tuple(
                IncidentInfo(i.id, i.spec.kind, i.spec.occupancy or "", i.node, i.background,
                             i.alpha, i.max_kw)
                for i in self.incidents.values()),
        )

    def _restore_network(self) -> None:
        if self.changed_edges:
            self.world.travel.reopen(np.array(sorted(self.changed_edges)), None)
            self.changed_edges.clear()

    # ------------------------------------------------------------------ incidents

    def _incident(self, spec: Incident, at: float, background: bool):
        env = self.env
        yield env.timeout(max(at - env.now, 0.0))
        inc = IncidentState(spec, self.world.node_of(spec.location), env.now, background)
        inc.controlled, inc.cleared = env.event(), env.event()
        self.incidents[spec.id] = inc
        rng = self.streams[f"incident/{spec.id}"]
        if inc.is_fire:
            self.log("ignition", inc.id, node=inc.node, detail=f"alpha={inc.alpha:g}")
            yield env.timeout(spec.detection_delay.sample(rng))
        inc.called = True
        self.log("call", inc.id, node=inc.node, detail=f"type={spec.plan_key}")
        yield env.timeout(self.scenario.dispatch.processing.sample(rng) + self.comms_delay)
        plans = self.scenario.forces.response_plans[spec.plan_key]
        self.dispatcher.request(inc, plans[0], alarm=0)
        yield inc.controlled
        detail = f"q_kw={inc.heat_release_kw(env.now):.0f}" if inc.is_fire else ""
        self.log("control", inc.id, node=inc.node, detail=detail)
        if inc.is_fire:  # overhaul; other calls did their work before control
            yield env.timeout((spec.work_time or WORK_TIME["fire"]).sample(rng))
        self.dispatcher.withdraw(inc)  # a closed incident needs no more units
        self.log("clear", inc.id, node=inc.node)
        inc.cleared.succeed()

    def commit(self, unit: Unit, inc: IncidentState, alarm: int, eta: float) -> None:
        """Send a unit to an incident (called by the dispatcher)."""
        if unit.process is not None and unit.process.is_alive and unit.leg is not None:
            unit.process.interrupt("redirect")
        unit.status, unit.incident = "committed", inc.id
        inc.assigned.append(unit.id)
        inc.add_assigned(unit.type)
        self.log("dispatch", inc.id, unit.id, detail=f"alarm={alarm + 1};eta={eta:.0f}")
        unit.process = self.env.process(self._respond(unit, inc, alarm))

    def commit_mutual_aid(self, unit: Unit, inc: IncidentState, delay: float) -> None:
        """Send a unit from outside the district; it reaches the scene after ``delay``."""
        unit.status, unit.incident = "committed", inc.id
        inc.assigned.append(unit.id)
        inc.add_assigned(unit.type)
        self.log("dispatch", inc.id, unit.id, detail="mutual_aid")
        self.env.process(self._mutual_aid_unit(unit, inc, delay))

    def _respond(self, unit: Unit, inc: IncidentState, alarm: int):
        env = self.env
        if unit.in_quarters:
            unit.in_quarters = False
            clock = self.clock_seconds(env.now)
            rng = self.streams[f"turnout/{unit.id}"]
            yield env.timeout(self._turnout[unit.station].for_clock(clock).sample(rng))
        self.log("enroute", inc.id, unit.id, detail=f"from={'road' if unit.leg else 'quarters'}")
        yield from self._drive(unit, inc.node, DISPATCH_VEHICLE)
        self._arrive(unit, inc, alarm)
        yield inc.cleared
        self._release(unit)

    def _mutual_aid_unit(self, unit: Unit, inc: IncidentState, delay: float):
        yield self.env.timeout(delay)
        unit.node = inc.node
        self._arrive(unit, inc, alarm=-1)
        yield inc.cleared
        self.log("release", inc.id, unit.id, node=inc.node)

    def _arrive(self, unit: Unit, inc: IncidentState, alarm: int) -> None:
        inc.on_scene.append(unit.id)
        first = not inc.arrived
        inc.arrived = True
        detail = f"q_kw={inc.heat_release_kw(self.env.now):.0f}" if inc.is_fire else ""
        self.log("arrive", inc.id, unit.id, node=inc.node, detail=detail)
        if alarm == 0 or (alarm == -1 and inc.first_alarm_left > 0):
            inc.first_alarm_left -= 1
            if inc.first_alarm_left == 0:
                self.log("full_assignment", inc.id, node=inc.node, detail=detail)
                if not inc.is_fire:
                    self.env.process(self._work(inc))
        if inc.is_fire:
            if suppression_kw(unit.type) > 0:
                self.env.process(self._water_on(unit, inc))
            if first:
                self._assess(inc)

    def _work(self, inc: IncidentState):
        """Rescue and alarm calls: work with the full assignment, then clear."""
        work = inc.spec.work_time or WORK_TIME[inc.spec.kind]
        yield self.env.timeout(work.sample(self.streams[f"incident/{inc.id}"]))
        if not inc.controlled.triggered:
            inc.controlled.succeed()

    def _water_on(self, unit: Unit, inc: IncidentState):
        yield self.env.timeout(SETUP_S)
        if inc.q_frozen_kw is not None:
            return
        inc.capacity_kw += suppression_kw(unit.type)
        self._assess(inc)

    def _assess(self, inc: IncidentState) -> None:
        """The incident commander sizes up the fire against the water on scene and on the way."""
        now = self.env.now
        if inc.q_frozen_kw is not None:
            return
        q = inc.heat_release_kw(now)
        if inc.capacity_kw >= q and inc.capacity_kw > 0:
            inc.q_frozen_kw = q
            self.env.process(self._knockdown(inc))
            return
        plans = self.scenario.forces.response_plans[inc.spec.plan_key]
        if inc.assigned_capacity_kw < q and inc.alarm + 1 < len(plans) and inc.arrived:
            inc.alarm += 1
            self.log("escalate", inc.id, node=inc.node,
                     detail=f"alarm={inc.alarm + 1};q_kw={q:.0f}")
            self.dispatcher.request(inc, plans[inc.alarm], alarm=inc.alarm)
        t_next = inc.time_to_outgrow(inc.assigned_capacity_kw)
        if inc.arrived and math.isfinite(t_next) and t_next > now:
            inc.assessment += 1
            self.env.process(self._reassess(inc, t_next, inc.assessment))

    def _reassess(self, inc: IncidentState, t: float, token: int):
        yield self.env.timeout(t - self.env.now)
        if token == inc.assessment:
            self._assess(inc)

    def _knockdown(self, inc: IncidentState):
        yield self.env.timeout(KNOCKDOWN_S)
        inc.controlled.succeed()

    # ------------------------------------------------------------------ units on the road

    def _drive(self, unit: Unit, dest: int, vehicle: str):
        """Move a unit to ``dest``, re-routing whenever the road network changes."""
        env = self.env
        origin, t0 = unit.position(env.now)
        while True:
            leg = self._plan(origin, dest, vehicle, t0)
            if leg is None:
                unit.leg = Leg([origin], np.array([t0]))
                self.log("reroute", unit.incident, unit.id, node=origin, detail="no_route")
                yield self.net_changed
                origin, t0 = unit.position(env.now)
                continue
            unit.leg = leg
            try:
                yield env.timeout(float(leg.times[-1]) - env.now)
                break
            except simpy.Interrupt as exc:
                if exc.cause != "reroute":
                    raise
                origin, t0 = unit.position(env.now)
                self.log("reroute", unit.incident, unit.id, node=origin)
        unit.leg = None
        unit.node = dest

    def _plan(self, origin: int, dest: int, vehicle: str, t0: float) -> Leg | None:
        travel = self.world.travel
        times = travel.times_from(origin, vehicle)
        if not math.isfinite(times[dest]):
            return None
        route = travel.route(origin, dest, vehicle)
        return Leg(list(route), t0 + np.asarray(times[route], dtype=float))

    def _release(self, unit: Unit):
        inc_id = unit.incident
        self.log("release", inc_id, unit.id, node=unit.node)
        unit.incident = ""
        if unit.pending_out_of_service:
            unit.status = "out_of_service"
            unit.pending_out_of_service = False
            self.log("out_of_service", unit=unit.id, node=unit.node)
        else:
            unit.status = "available"
            unit.process = None
            self.dispatcher.serve_queue()  # may send it on from the scene at once
        if unit.status != "committed":
            unit.process = self.env.process(self._go_home(unit))

    def _go_home(self, unit: Unit):
        try:
            yield from self._drive(unit, unit.home, RETURN_VEHICLE)
        except simpy.Interrupt:
            return  # sent on to a new call from the road
        unit.in_quarters = True
        self.log("quarters", unit=unit.id, node=unit.home)

    # ------------------------------------------------------------------ injects

    def _inject(self, k: int, inj):
        env = self.env
        yield env.timeout(max(inj.at - env.now, 0.0))
        label = inj.id or f"inject-{k + 1}"
        self.log("inject", detail=f"id={label};kind={inj.kind}")
        if isinstance(inj, UnitOutOfService):
            self._take_out(inj.unit)
        elif isinstance(inj, UnitInService):
            self._put_back(inj.unit)
        elif isinstance(inj, RoadChange):
            self._change_roads(inj)
        elif isinstance(inj, NewIncident):
            env.process(self._incident(inj.incident, env.now, background=False))
        elif isinstance(inj, CallSurge):  # the background process reads the surge schedule
            self.log("call_surge", detail=f"factor={inj.factor:g}")
            if inj.lasting is not None:
                yield env.timeout(inj.lasting)
                self.log("call_surge", detail="factor=1")
        elif isinstance(inj, CommsDelay):
            self.comms_delay = inj.delay
            self.log("comms_delay", detail=f"delay_s={inj.delay:.0f}")
            if inj.lasting is not None:
                yield env.timeout(inj.lasting)
                self.comms_delay = 0.0
                self.log("comms_delay", detail="delay_s=0")

    def _take_out(self, uid: str) -> None:
        unit = self.units.get(uid)
        if unit is None:
            return
        if unit.status == "committed":
            unit.pending_out_of_service = True
            return
        unit.status = "out_of_service"
        self.log("out_of_service", unit=uid, node=unit.node)

    def _put_back(self, uid: str) -> None:
        unit = self.units.get(uid)
        if unit is None:
            return
        unit.pending_out_of_service = False
        if unit.status == "out_of_service":
            unit.status = "available"
            self.log("in_service", unit=uid, node=unit.node)
            self.dispatcher.serve_queue()

    def _change_roads(self, inj: RoadChange) -> None:
        edges = road_change_edges(self.world, inj)
        vehicles = list(inj.vehicles) if inj.vehicles else None
        if inj.kind == "road_closed":
            self.world.travel.close(edges, vehicles)
            self.changed_edges.update(int(e) for e in edges)
        else:
            self.world.travel.reopen(edges, vehicles)
        self.log(inj.kind, detail=f"road={inj.road};edges={edges.size}")
        changed, self.net_changed = self.net_changed, self.env.event()
        changed.succeed()
        for unit in self.units.values():
            if unit.leg is not None and unit.process is not None and unit.process.is_alive \
                    and len(unit.leg.nodes) > 1:
                unit.process.interrupt("reroute")
        self.dispatcher.serve_queue()  # a call no unit could reach may be reachable now

    # ------------------------------------------------------------------ background calls

    def _background(self):
        """Everyday calls: a Poisson process whose rate changes by clock hour and with surges.

        Within an hour (and a surge level) the rate is constant; at each change the
        waiting time is drawn afresh, which is exact for a Poisson process because
        it is memoryless.
        """
        env, bg = self.env, self.scenario.background
        rng_when = self.streams["background/when"]
        rng_what = self.streams["background/what"]
        rng_where = self.streams["background/where"]
        keys = sorted(bg.mix)
        cum = np.cumsum([bg.mix[k] for k in keys], dtype=float)
        cum /= cum[-1]
        node_ids = self.world.network.node_ids
        changes = self._surge_changes()
        n = 0
        while True:
            now = env.now
            clock = self.clock_seconds(now)
            rate = bg.rate_per_s(int(clock // 3600)) * _surge_at(changes, now)
            boundary = min(3600.0 - clock % 3600.0, _next_change(changes, now) - now)
            gap = rng_when.exponential(1.0 / rate) if rate > 0 else math.inf
            if gap >= boundary:
                yield env.timeout(boundary)
                continue
            yield env.timeout(gap)
            n += 1
            key = keys[int(np.searchsorted(cum, rng_what.random(), side="right"))]
            node = node_ids[int(rng_where.integers(len(node_ids)))]
            kind = "fire" if key in OCCUPANCIES else key
            spec = Incident(id=f"BG{n:03d}", kind=kind,
                            occupancy=key if kind == "fire" else None,
                            at=env.now, location=Location(node=node), work_time=bg.work_time)
            env.process(self._incident(spec, env.now, background=True))

    def _surge_changes(self) -> list[tuple[float, float]]:
        """(time, factor) at which the background rate factor changes, in time order."""
        out = []
        for inj in self.scenario.injects:
            if isinstance(inj, CallSurge):
                out.append((inj.at, inj.factor))
                if inj.lasting is not None:
                    out.append((inj.at + inj.lasting, 1.0))
        return sorted(out, key=lambda c: c[0])


def _surge_at(changes: list[tuple[float, float]], t: float) -> float:
    factor = 1.0
    for at, f in changes:
        if at > t:
            break
        factor = f
    return factor


def _next_change(changes: list[tuple[float, float]], t: float) -> float:
    return next((at for at, _ in changes if at > t), math.inf)


def road_change_edges(world: World, inj: RoadChange) -> np.ndarray:
    """The arcs a road-change inject affects: arcs of the named road, and with ``near``
    only those whose midpoint lies within ``radius_m`` of that place (used by the
    engine and by the report's map)."""
    net = world.network
    edges = np.asarray(net.edges_named(inj.road), dtype=np.int64)
    if inj.near is not None and edges.size:
        centre = world.node_of(inj.near)
        lat0, lon0 = net.lat[centre], net.lon[centre]
        mid_lat = (net.lat[net.edge_u[edges]] + net.lat[net.edge_v[edges]]) / 2
        mid_lon = (net.lon[net.edge_u[edges]] + net.lon[net.edge_v[edges]]) / 2
        dist = _equirectangular_m(lat0, lon0, mid_lat, mid_lon)
        edges = edges[dist <= inj.radius_m]
    return edges


def _equirectangular_m(lat0: float, lon0: float, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """Distances in metres on a local flat projection (good to < 0.1 % over 10 km)."""
    k = 111_195.0
    dx = (lon - lon0) * k * math.cos(math.radians(lat0))
    dy = (lat - lat0) * k
    return np.hypot(dx, dy)


def run_drill(scenario: Scenario, world: World, seed: int | None = None,
              spawn_key: tuple[int, ...] = ()) -> RunResult:
    """Run a drill and return its records.

    Parameters
    ----------
    scenario
        A validated scenario.
    world
        The road network, places and travel-time engine.
    seed
        Root seed; the scenario's own seed when ``None``.
    spawn_key
        Extra stream key (a sweep's replication index) for common random numbers.
    """
    drill = Drill(scenario, world, scenario.seed if seed is None else seed, spawn_key)
    return drill.run()


