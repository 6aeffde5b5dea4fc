"""The drill engine: a SimPy model of the command centre, the units and the incidents.

:func:`run_drill` takes a validated :class:`~drillsim.scenarios.schema.Scenario`,
the :class:`~drillsim.network.world.World` and a seed, and returns a :class:`RunResult`
whose records are the only output. It never touches files or the wall clock.

The engine itself plays the incidents, the units, the dispatcher, background calls
and the core injects. Everything else (flood, chemical release, public warning,
shelters, relief) is a hazard module (:mod:`drillsim.agents.hazard`) built from the
registry :data:`drillsim.agents.registry.HAZARDS`; the engine knows none of them by
name. Every inject is handled through one table, inject class -> handler: the
engine's own core handlers plus those each hazard of the drill registers.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import accumulate
from typing import TYPE_CHECKING

import numpy as np
import simpy

from drillsim.agents.dispatch import Dispatcher
from drillsim.agents.hazard import Hazard, InjectHandler
from drillsim.agents.incident import BackgroundCall, IncidentState
from drillsim.agents.registry import HAZARDS
from drillsim.agents.teams import Rosters
from drillsim.agents.units import Leg, Unit
from drillsim.hazards.fire_growth import KNOCKDOWN_S, OCCUPANCIES, SETUP_S, water_flow_l_s
from drillsim.network.demand import call_nodes
from drillsim.network.graph import APPROACH_MAX_M
from drillsim.network.road_changes import road_change_edges
from drillsim.network.world import World
from drillsim.records.catalogue import EVENTS
from drillsim.records.record import NO_DATA, Record
from drillsim.records.result import IncidentInfo, RunResult, UnitInfo
from drillsim.rng import Streams
from drillsim.scenarios.schema import (
    CallSurge,
    CommsDelay,
    Distribution,
    Incident,
    Location,
    LogNormal,
    NewIncident,
    Note,
    RoadChange,
    Scenario,
    UnitInService,
    UnitOutOfService,
)

if TYPE_CHECKING:
    from drillsim.agents.chemical_release import ChemicalModel
    from drillsim.agents.relief import Relief
    from drillsim.agents.shelters import Shelters
    from drillsim.agents.waterlogging import FloodModel

TEAM_TURNOUT_S = 120.0
"""An assembled team unit's time from order to leaving its base, s (assumption)."""

_NO_TIME = np.zeros(1)
_NO_TIME.flags.writeable = False
"""The elapsed times of a leg that stays where it is (no route)."""

WORK_TIME = {
    # On-scene work after control (fires: overhaul) or in total (rescue, alarm), s.
    # ASSUMPTIONS, of the order of Chinese urban incident statistics.
    "fire": LogNormal(dist="lognormal", median=1500.0, p90=3600.0),
    "rescue": LogNormal(dist="lognormal", median=1200.0, p90=2700.0),
    "alarm": LogNormal(dist="lognormal", median=480.0, p90=900.0),
    "flood_rescue": LogNormal(dist="lognormal", median=1800.0, p90=4500.0),
    "hazmat": LogNormal(dist="lognormal", median=1800.0, p90=3600.0),  # decontamination
}


class Drill:
    """One run of one scenario in one world with one seed.

    Parameters
    ----------
    scenario, world, seed
        What to play, where, and the root seed.
    spawn_key
        Extra stream key (a sweep's replication index).
    hazards
        The hazard modules to build from, in order; :data:`drillsim.agents.registry.HAZARDS`
        when ``None``.

    Raises
    ------
    ValueError
        When an inject of the scenario has no handler in this drill (e.g. a pump-station
        inject in a drill without a flood), or two modules handle one inject class.
    """

    def __init__(self, scenario: Scenario, world: World, seed: int,
                 spawn_key: tuple[int, ...] = (),
                 hazards: Sequence[type[Hazard]] | None = None) -> None:
        self.scenario = scenario
        self.world = world
        self.env = simpy.Environment()
        self.streams = Streams(seed, spawn_key)
        self.seed = seed
        self._day_s = scenario.clock_seconds(0.0)  # the start, s after local midnight
        self.records: list[Record] = []
        self.dispatcher = Dispatcher(self)
        self.unit_info: list[UnitInfo] = []
        self.incidents: dict[str, IncidentState] = {}
        self._scripted: list[IncidentState] = []  # the scripted ones (background calls check)
        self.comms_delay = 0.0
        self.net_changed = self.env.event()
        self._movers: list[Unit] = []
        # arcs closed by road injects (reopened at the end) -> the inject that closed them
        self._closed_roads: dict[int, str] = {}
        self._inject_label = ""  # the inject being delivered
        self.station_nodes: dict[str, int] = {}  # station id -> road node of its quarters
        self._build_units()
        self.rosters = Rosters(list(scenario.forces.teams))  # who serves in which team
        self.hazards: dict[str, Hazard] = {}
        for kind in HAZARDS if hazards is None else hazards:
            hazard = kind.build(self, scenario)
            if hazard is not None:
                self.hazards[kind.name] = hazard
        self._handlers = self._inject_table()

    # ------------------------------------------------------------------ set-up

    def _build_units(self) -> None:
        forces = self.scenario.forces
        for st in forces.stations:
            home = self.world.node_of(st.location or Location(place=st.id))
            self.station_nodes[st.id] = home
            staffed = {a.id for a in st.staffed()}
            for app in st.apparatus:
                self.unit_info.append(UnitInfo(app.id, app.type, st.id, app.crew,
                                               app.id in staffed))
                if app.id in staffed:
                    self.dispatcher.add_unit(Unit(app.id, app.type, st.id, home, app.crew,
                                                  app.hazmat or app.type == "hazmat",
                                                  node=home))
        self._turnout = {st.id: st.turnout for st in forces.stations}

    def _inject_table(self) -> dict[type, InjectHandler]:
        """Inject class -> handler: the core injects, then each hazard's; every inject of
        the scenario must have one."""
        table: dict[type, InjectHandler] = {
            UnitOutOfService: lambda inj: self._take_out(inj.unit),
            UnitInService: lambda inj: self._put_back(inj.unit),
            RoadChange: self._change_roads,
            NewIncident: lambda inj: self.start_incident(inj.incident),
            CallSurge: self._call_surge,  # the background process reads the surge schedule
            CommsDelay: self._comms_delay,
            Note: lambda inj: None,  # told to the players only
        }
        owner = dict.fromkeys(table, "the engine")
        for name, hazard in self.hazards.items():
            for cls, handler in hazard.handlers().items():
                if cls in table:
                    raise ValueError(f"inject class {cls.__name__} is handled by both "
                                     f"{owner[cls]} and hazard {name!r}")
                table[cls], owner[cls] = handler, f"hazard {name!r}"
        for label, inj in zip(self.scenario.inject_ids(), self.scenario.injects, strict=True):
            if _handler(table, inj) is None:
                raise ValueError(
                    f"inject {label!r} of kind {inj.kind!r}: nothing in "
                    f"this drill handles it (hazards here: {sorted(self.hazards) or 'none'}); "
                    f"its hazard is missing from the scenario or from "
                    f"drillsim.agents.registry.HAZARDS")
        return table

    # ------------------------------------------------------------------ what agents use

    @property
    def units(self) -> dict[str, Unit]:
        """The dispatcher's units, by id."""
        return self.dispatcher.units

    @property
    def shelters(self) -> Shelters | None:
        """The shelters (:class:`drillsim.agents.shelters.Shelters`), or ``None``."""
        return self.hazards.get("shelters")

    @property
    def relief(self) -> Relief | None:
        """The relief chain (:class:`drillsim.agents.relief.Relief`), or ``None``."""
        return self.hazards.get("relief")

    @property
    def flood(self) -> FloodModel | None:
        """The flood (:class:`drillsim.agents.waterlogging.FloodModel`), or ``None``."""
        return self.hazards.get("flood")

    @property
    def chemical(self) -> ChemicalModel | None:
        """The release (:class:`drillsim.agents.chemical_release.ChemicalModel`), or ``None``."""
        return self.hazards.get("chemical")

    def add_mover(self, unit: Unit) -> None:
        """A vehicle that is no response unit (a relief truck) but drives the network."""
        self._movers.append(unit)

    def log(self, event: str, incident: str = "", unit: str = "", node: int = -1,
            place: str = "", **data: object) -> None:
        """Append one record at the current simulated time.

        ``event`` must be a kind of :data:`drillsim.records.catalogue.EVENTS` and
        ``data`` its typed fields.
        """
        if event not in EVENTS:
            raise KeyError(f"event kind {event!r} is not in the catalogue")
        self.records.append(_new_record(Record, (float(self.env.now), event, incident, unit,
                                                 node, place, data or NO_DATA)))

    def clock_seconds(self, t: float) -> float:
        """Seconds after midnight (local) at drill time ``t`` (as
        :meth:`~drillsim.scenarios.schema.Scenario.clock_seconds`, start kept)."""
        return (self._day_s + t) % 86400.0

    # ------------------------------------------------------------------ run

    def run(self) -> RunResult:
        """Play the drill to its end and return the records."""
        self.start()
        return self.finish()

    def start(self) -> None:
        """Set the drill going at time 0: units out of service, the scripted incidents and
        injects, everyday calls and every hazard's processes (nothing is played yet:
        :meth:`advance` plays)."""
        s = self.scenario
        for uid in s.forces.out_of_service:
            unit = self.units.get(uid)
            if unit is not None:
                unit.status = "out_of_service"
                self.log("out_of_service", unit=uid, node=unit.node, at_start=True)
        for inc in s.incidents:
            self.env.process(self._incident(inc, inc.at, background=False))
        for label, inj in zip(s.inject_ids(), s.injects, strict=True):
            self.env.process(self._inject(label, inj))
        if s.background is not None and s.background.calls_per_day > 0:
            self.env.process(self._background())
        for hazard in self.hazards.values():
            hazard.start()

    def advance(self, until: float) -> None:
        """Play every event before ``until`` (s, capped at the drill's end); the events at
        ``until`` itself wait for the next call. Playing in several steps gives the same
        records as one step (SimPy's stop event at ``until`` is urgent, so it comes before
        every event of that instant); a played exercise relies on it."""
        until = min(float(until), self.scenario.duration)
        if until <= self.env.now:
            return
        try:
            self.env.run(until=until)
        except BaseException:
            self.restore_world()
            raise

    def restore_world(self) -> None:
        """Undo what the drill did to the world's roads (closures, water, the plume)."""
        self._restore_network()
        for hazard in self.hazards.values():
            hazard.restore()

    def finish(self) -> RunResult:
        """Play to the drill's end, restore the world and return the records."""
        s = self.scenario
        self.advance(s.duration)
        self.restore_world()
        for inc in self.incidents.values():
            if inc.called and not inc.arrived:
                self.log("unmet", inc.id, node=inc.node)
        self.log("end")
        listed = {i.id for i in self.unit_info}
        return RunResult(
            scenario=s, seed=self.seed, records=tuple(self.records),
            units=tuple(self.unit_info) + tuple(
                UnitInfo(u.id, u.type, u.station, u.crew, True) for u in self.units.values()
                if u.id not in listed) + tuple(
                UnitInfo(u.id, u.type, "mutual_aid", 0, True) for u in self.dispatcher.mutual_aid)
                + tuple(UnitInfo(u.id, u.type, u.station, 0, True) for u in self._movers),
            incidents=tuple(
                IncidentInfo(i.id, i.spec.kind, i.spec.occupancy or "", i.node, i.background,
                             i.alpha, i.max_kw)
                for i in self.incidents.values()),
        )

    def is_day(self, t: float) -> bool:
        """Daytime for Pasquill's table: 06:00-18:00 local (assumption; no sun calculation)."""
        return 6 * 3600 <= self.clock_seconds(t) < 18 * 3600

    def team_ready(self, team_id: str) -> None:
        """A team has assembled: every hazard hears of it (pump crews may now go out)."""
        for hazard in self.hazards.values():
            hazard.on_team_ready(team_id)

    def relief_need_changed(self) -> None:
        """Someone was admitted or relieved: idle relief trucks look again."""
        if self.relief is not None:
            self.relief.need_changed()

    def _restore_network(self) -> None:
        """Reopen the arcs road injects closed (the hazards restore their own)."""
        if self._closed_roads:
            self.world.travel.reopen(np.array(sorted(self._closed_roads)), None)
            self._closed_roads.clear()

    # ------------------------------------------------------------------ incidents

    def _incident(self, spec: Incident, at: float, background: bool, place: str = ""):
        env = self.env
        yield env.timeout(max(at - env.now, 0.0))
        inc = IncidentState(spec, self.world.node_of(spec.location), env.now, background)
        inc.controlled, inc.cleared = env.event(), env.event()
        self.incidents[spec.id] = inc
        if not background:
            self._scripted.append(inc)
        stream = f"incident/{spec.id}"
        if inc.is_fire:
            self.log("ignition", inc.id, node=inc.node, alpha=float(inc.alpha))
            if math.isfinite(inc.fire.t_flashover):
                env.process(self._flashover(inc))
            yield env.timeout(self.draw(spec.detection_delay, stream))
        inc.called = True
        self.log("call", inc.id, node=inc.node, place=place, type=spec.plan_key)
        yield env.timeout(self.draw(self.scenario.dispatch.processing, stream) + self.comms_delay)
        self.dispatcher.request(inc, self.scenario.forces.plan(spec.plan_key)[0], alarm=0)
        yield inc.controlled
        self.log("control", inc.id, node=inc.node, **self._fire_size(inc))
        self._stand_down(inc)
        if spec.kind in ("fire", "hazmat"):  # overhaul or decontamination after control
            yield env.timeout(self.draw(spec.work_time or WORK_TIME[spec.kind], stream))
        self.log("clear", inc.id, node=inc.node)
        inc.cleared.succeed()
        for hazard in self.hazards.values():
            hazard.on_incident_cleared(inc)

    def _stand_down(self, inc: IncidentState) -> None:
        """The incident is under control: the units on scene finish the work (overhaul,
        decontamination), so what it still waits for is withdrawn from the queue and every
        unit sent but not yet on scene is recalled (it records ``release`` with
        ``recalled`` and is free at once, from where it is; turning back a dispatch that a
        controlled incident no longer needs is the stand-down of the 119 command centre).
        """
        self.dispatcher.withdraw(inc)
        for uid in inc.assigned:
            if uid in inc.on_scene:
                continue
            unit = self.units.get(uid) or next(
                (u for u in self.dispatcher.mutual_aid if u.id == uid), None)
            if unit is not None and unit.process is not None and unit.process.is_alive:
                unit.process.interrupt("recall")

    def start_incident(self, spec: Incident, place: str = "") -> None:
        """An incident that starts now (an inject, or a hazard that calls for help from
        ``place``, e.g. a waterlogging point id, recorded with the call)."""
        self.env.process(self._incident(spec, self.env.now, background=False, place=place))

    def commit(self, unit: Unit, inc: IncidentState, alarm: int, eta: float) -> None:
        """Send a unit to an incident (called by the dispatcher)."""
        unit.take(inc.id)
        inc.assigned.append(unit.id)
        inc.add_assigned(unit.type)
        self.log("dispatch", inc.id, unit.id, task="incident", alarm=alarm + 1,
                 eta_s=round(float(eta)), mutual_aid=False)
        unit.process = self.env.process(self._respond(unit, inc, alarm))

    def commit_mutual_aid(self, unit: Unit, inc: IncidentState, delay: float) -> None:
        """Send a unit from outside the district; it reaches the scene after ``delay``."""
        unit.status, unit.incident = "committed", inc.id
        inc.assigned.append(unit.id)
        inc.add_assigned(unit.type)
        self.log("dispatch", inc.id, unit.id, task="incident", mutual_aid=True)
        unit.process = self.env.process(self._mutual_aid_unit(unit, inc, delay))

    def _respond(self, unit: Unit, inc: IncidentState, alarm: int):
        env = self.env
        turned_out = unit.in_quarters  # else sent on from a scene or from the road
        try:
            if turned_out:
                unit.in_quarters = False
                clock = self.clock_seconds(env.now)
                turnout = self._turnout.get(unit.station)
                yield env.timeout(self.draw(turnout.for_clock(clock), f"turnout/{unit.id}")
                                  if turnout else TEAM_TURNOUT_S)
            self.log("enroute", inc.id, unit.id, from_quarters=turned_out)
            yield from self.drive(unit, inc.node, unit.vehicle, APPROACH_MAX_M, scene=True)
        except SceneCutOff as cut:
            self._turn_back(unit, inc, cut.nearest_m)
            return
        except simpy.Interrupt as exc:
            if exc.cause != "recall":
                raise
            node = unit.position(env.now)[0]
            self.log("release", inc.id, unit.id, node=node, recalled=True)
            if turned_out and unit.leg is None:  # stood down during turnout: still in quarters
                unit.in_quarters = True
                unit.incident, unit.process = "", None
                if unit.hold_on_release:  # recalled by a player: held in quarters
                    unit.status, unit.hold_on_release = "held", False
                else:
                    unit.status = "available"
                    self.dispatcher.serve_queue()
            else:
                self.release_unit(unit)
            return
        self._arrive(unit, inc, alarm)
        yield inc.cleared
        self._release(unit)

    def _turn_back(self, unit: Unit, inc: IncidentState, nearest_m: float) -> None:
        """A unit on its way finds every road into the scene closed: it records ``release``
        with ``cut_off`` where it turns, is free, and heads home; the call gets back the
        unit it needs and waits, recorded ``unreachable`` (once per call, no mutual aid:
        :meth:`~drillsim.agents.dispatch.Dispatcher.cut_off_en_route`) until a road into
        it reopens."""
        node = unit.position(self.env.now)[0]
        self.log("release", inc.id, unit.id, node=node, cut_off=True)
        inc.assigned.remove(unit.id)
        inc.add_assigned(unit.type, -1)
        self.dispatcher.cut_off_en_route(inc, unit.type, nearest_m)
        self.release_unit(unit)

    def _mutual_aid_unit(self, unit: Unit, inc: IncidentState, delay: float):
        try:
            yield self.env.timeout(delay)
        except simpy.Interrupt:  # recalled: the incident came under control first
            self.log("release", inc.id, unit.id, recalled=True)
            return
        unit.node = inc.node
        self._arrive(unit, inc, alarm=-1)
        yield inc.cleared
        self.log("release", inc.id, unit.id, node=inc.node)

    def _arrive(self, unit: Unit, inc: IncidentState, alarm: int) -> None:
        inc.on_scene.append(unit.id)
        first = not inc.arrived
        inc.arrived = True
        size = self._fire_size(inc)
        self.log("arrive", inc.id, unit.id, node=unit.node, **size)  # where it stopped
        if alarm == 0 or (alarm == -1 and inc.first_alarm_left > 0):
            inc.first_alarm_left -= 1
            if inc.first_alarm_left == 0:
                self.log("full_assignment", inc.id, node=inc.node, **size)
                if inc.spec.kind not in ("fire", "hazmat"):  # hazmat: the source decides
                    self.env.process(self._work(inc))
        for hazard in self.hazards.values():
            hazard.on_unit_arrived(unit, inc)
        if inc.is_fire:
            if water_flow_l_s(unit.type) > 0:
                self.env.process(self._water_on(unit, inc))
            if first:
                self._assess(inc)

    def _fire_size(self, inc: IncidentState) -> dict[str, float]:
        """The fire-size fields of a fire's records now (none for other incidents)."""
        if not inc.is_fire:
            return {}
        q_kw, need_l_s, rooms = inc.size(self.env.now)
        return {"q_kw": float(round(q_kw)), "need_l_s": round(float(need_l_s), 1),
                "rooms": rooms}

    def _work(self, inc: IncidentState):
        """Rescue and alarm calls: work with the full assignment, then clear."""
        work = inc.spec.work_time or WORK_TIME[inc.spec.kind]
        yield self.env.timeout(self.draw(work, f"incident/{inc.id}"))
        if not inc.controlled.triggered:
            inc.controlled.succeed()

    def _flashover(self, inc: IncidentState):
        """The room of origin flashes over, unless the water caught up with the fire first."""
        yield self.env.timeout(inc.fire.t_flashover)
        if inc.t_held is None:
            self.log("flashover", inc.id, node=inc.node, **self._fire_size(inc))

    def _water_on(self, unit: Unit, inc: IncidentState):
        yield self.env.timeout(SETUP_S)
        if inc.t_held is not None:
            return
        inc.water_l_s += water_flow_l_s(unit.type)
        self._assess(inc)

    def _assess(self, inc: IncidentState) -> None:
        """The incident commander sizes up the fire against the water on scene and on the way.

        Enough water on the fire holds it. Too little water sent calls the next alarm of
        the response plan; past its last alarm, once every unit asked for has been sent
        and they still fall short, a further alarm of the engines the water lacks (one at a
        time; the fire-flow sizing of GB 50974-2014, the rule itself an ASSUMPTION). The
        commander looks again when the fire will outgrow the water counted on
        (:attr:`~drillsim.agents.incident.IncidentState.requested_water_l_s`) and whenever
        water goes on it, so a fire short of water gets engines as they come free.
        """
        now = self.env.now
        if inc.t_held is not None:
            return
        need = inc.flow_needed_l_s(now)
        if inc.water_l_s >= need and inc.water_l_s > 0:
            inc.t_held = now
            self.env.process(self._knockdown(inc))
            return
        plans = self.scenario.forces.plan(inc.spec.plan_key)
        if inc.arrived and inc.assigned_water_l_s < need and inc.alarm + 1 < len(plans):
            level = plans[inc.alarm + 1]
        elif inc.arrived and inc.requested_water_l_s < need and not sum(inc.needs.values()):
            flow = water_flow_l_s("engine")
            level = {"engine": math.ceil((need - inc.requested_water_l_s) / flow)}
        else:
            level = None
        if level is not None:
            inc.alarm += 1
            self.log("escalate", inc.id, node=inc.node, alarm=inc.alarm + 1,
                     **self._fire_size(inc))
            self.dispatcher.request(inc, level, alarm=inc.alarm)
        if inc.arrived:  # look again when the fire outgrows the water counted on, or dies down
            sent, on = inc.requested_water_l_s, inc.water_l_s
            t_next = min(inc.next_time(now, sent, outgrows=True) if need <= sent else math.inf,
                         inc.next_time(now, on, outgrows=False) if on > 0 else math.inf)
            if math.isfinite(t_next):
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

    def drive(self, unit: Unit, dest: int, vehicle: str, walk_m: float = math.inf, *,
              scene: bool = False):
        """Move a unit to ``dest``, re-routing whenever the road network changes.

        When every road into ``dest`` is closed to ``vehicle`` (a flooded underpass), the
        unit stops at the nearest node from which it could enter, if it lies within
        ``walk_m`` (m; a scene: :data:`~drillsim.network.graph.APPROACH_MAX_M`)
        (:meth:`~drillsim.network.graph.TravelTimes.approach`) and works from there;
        ``unit.node`` is where it stopped. Farther, no route reaches ``dest``: the unit
        waits for the roads to change, unless ``scene`` (``dest`` is a call's scene) and
        the scene itself is cut off (:meth:`~drillsim.network.graph.TravelTimes.cut_off`):
        then :class:`SceneCutOff` is raised, the unit standing where it could turn.
        """
        env = self.env
        origin, t0 = unit.position(env.now)
        while True:
            target = self.world.travel.approach(dest, vehicle, walk_m)
            leg = self.plan(origin, target, vehicle, t0)
            if leg is None:
                unit.leg = Leg((origin,), _NO_TIME, t0)
                nearest_m = self.world.travel.cut_off(dest, vehicle) if scene else None
                if nearest_m is not None:
                    raise SceneCutOff(nearest_m)
                self.log("reroute", unit.incident, unit.id, node=origin, no_route=True)
                yield self.net_changed
                origin, t0 = unit.position(env.now)
                continue
            unit.leg = leg
            try:
                yield env.timeout(leg.arrival - env.now)
                break
            except simpy.Interrupt as exc:
                if exc.cause != "reroute":
                    raise
                origin, t0 = unit.position(env.now)
                self.log("reroute", unit.incident, unit.id, node=origin, no_route=False)
        unit.leg = None
        unit.node = target

    def plan(self, origin: int, dest: int, vehicle: str, t0: float) -> Leg | None:
        """The fastest trip from ``origin`` leaving at ``t0``, or ``None`` if unreachable."""
        route, times = self.world.travel.route_times(origin, dest, vehicle)
        if not route:  # unreachable
            return None
        return Leg(route, times, t0)

    def _release(self, unit: Unit):
        self.log("release", unit.incident, unit.id, node=unit.node)
        self.release_unit(unit)

    def release_unit(self, unit: Unit) -> None:
        """A unit's job is done: it is free (or goes out of service) and heads home."""
        unit.incident = ""
        if unit.pending_out_of_service:
            unit.status = "out_of_service"
            unit.pending_out_of_service = False
            self.log("out_of_service", unit=unit.id, node=unit.node, at_start=False)
        elif unit.hold_on_release:  # recalled by a player: held, heading home
            unit.status, unit.hold_on_release = "held", False
        else:
            unit.status = "available"
            unit.process = None
            self.dispatcher.serve_queue()  # may send it on from the scene at once
        if unit.status != "committed":
            unit.process = self.env.process(self.go_home(unit))

    def move_up(self, unit: Unit, station: str) -> None:
        """A free unit moves up to cover ``station`` (a player's decision): that station's
        quarters become its home, from which it answers calls and to which it returns; it
        drives there now (from its quarters, or turning round on its way home), recorded
        ``move_up``. Moving it up to its own station sends it back.

        Parameters
        ----------
        unit
            An ``available`` unit.
        station
            Id of a station of the drill.
        """
        unit.home = self.station_nodes[station]
        at = unit.position(self.env.now)[0]
        self.log("move_up", unit=unit.id, node=at, place=station, station=station,
                 own=station == unit.station)
        if unit.process is not None and unit.process.is_alive:
            unit.process.interrupt("move_up")  # on its way home: go_home ends, a new one starts
        if at == unit.home and unit.leg is None:
            unit.process = None
            return
        unit.in_quarters = False
        unit.process = self.env.process(self.go_home(unit))

    def go_home(self, unit: Unit):
        try:
            yield from self.drive(unit, unit.home, unit.return_vehicle)
        except simpy.Interrupt:
            return  # sent on to a new call from the road
        unit.in_quarters = True
        self.log("quarters", unit=unit.id, node=unit.home)

    # ------------------------------------------------------------------ injects

    def _inject(self, label: str, inj):
        env = self.env
        yield env.timeout(max(inj.at - env.now, 0.0))
        self._inject_label = label
        self.log("inject", id=label, kind=inj.kind)
        work = _handler(self._handlers, inj)(inj)
        if work is not None:  # a handler that lasts: run it here to its end
            yield from work

    def _call_surge(self, inj: CallSurge):
        self.log("call_surge", factor=float(inj.factor))
        if inj.lasting is not None:
            yield self.env.timeout(inj.lasting)
            self.log("call_surge", factor=1.0)

    def _comms_delay(self, inj: CommsDelay):
        self.comms_delay = inj.delay
        self.log("comms_delay", delay_s=float(round(inj.delay)))
        if inj.lasting is not None:
            yield self.env.timeout(inj.lasting)
            self.comms_delay = 0.0
            self.log("comms_delay", delay_s=0.0)

    def _take_out(self, uid: str) -> None:
        unit = self.units.get(uid)
        if unit is None:
            return
        if unit.status == "committed":
            unit.pending_out_of_service = True
            return
        unit.status = "out_of_service"
        self.log("out_of_service", unit=uid, node=unit.node, at_start=False)

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
            self._closed_roads.update(dict.fromkeys(edges.tolist(), self._inject_label))
        else:
            self.world.travel.reopen(edges, vehicles)
            for e in edges.tolist():
                self._closed_roads.pop(e, None)
        self.log(inj.kind, road=inj.road, edges=int(edges.size))
        self.network_changed()

    def draw(self, dist: Distribution, stream: str) -> float:
        """A time from ``dist`` on the named stream, or its central value when deterministic.

        Parameters
        ----------
        dist
            The distribution (fixed, log-normal, uniform or exponential), s.
        stream
            Name of the random stream (see :class:`drillsim.rng.Streams`).
        """
        if self.scenario.deterministic:
            return dist.central()
        return dist.sample(self.streams[stream])

    def network_changed(self) -> None:
        """Roads changed: units on the road re-route, waiting trips retry, the queue is served."""
        changed, self.net_changed = self.net_changed, self.env.event()
        changed.succeed()
        for unit in self.movers():
            if unit.leg is not None and unit.process is not None and unit.process.is_alive \
                    and len(unit.leg.nodes) > 1:
                unit.process.interrupt("reroute")
        self.dispatcher.serve_queue()  # a call no unit could reach may be reachable now

    def closures_into(self, node: int) -> list[str]:
        """The injects (ids) whose closures shut roads into ``node`` now, in inject order."""
        net = self.world.network
        into = np.flatnonzero(net.edge_v == node)
        labels = {self._closed_roads[int(e)] for e in into if int(e) in self._closed_roads}
        order = self.scenario.inject_ids()
        return [lab for lab in order if lab in labels]

    def movers(self) -> list[Unit]:
        """Every vehicle that drives the network: units, then relief trucks."""
        return list(self.units.values()) + self._movers

    # ------------------------------------------------------------------ background calls

    def _background(self):
        """Everyday calls: a Poisson process whose rate changes by clock hour and with surges,
        placed where people are at that hour (:mod:`drillsim.network.demand`) or, with
        ``where: junctions``, uniformly over the road nodes inside the district outline.

        Within an hour (and a surge level) the rate is constant; at each change the
        waiting time is drawn afresh, which is exact for a Poisson process because
        it is memoryless.

        A call that lands on the node of a scripted incident still being worked (started,
        not yet cleared) is a caller reporting that incident when the incident is a fire
        or a hazmat release (seen, smelt and heard by many; automatic alarms ring) or the
        call is of the incident's own kind: the command centre merges it into the
        incident, so no separate call is made (its draws are still taken, so the other
        calls stay where they were). A fire call beside a flood rescue is still a call.
        """
        env, bg = self.env, self.scenario.background
        rng_when = self.streams["background/when"]
        rng_what = self.streams["background/what"]
        rng_where = self.streams["background/where"]
        keys = sorted(bg.mix)
        acc = list(accumulate(float(bg.mix[k]) for k in keys))
        cum = [c / acc[-1] for c in acc]  # the mix's cumulative shares
        hourly: dict[int, float] = {}  # calls/s by clock hour, as the hours come
        network = self.world.network
        node_ids = network.node_ids
        demand = self.world.demand if bg.where == "people" else None  # reachable only
        core = [node_ids[i] for i in call_nodes(self.world).tolist()] if demand is None \
            else []  # reachable and inside the outline too
        changes = self._surge_changes()
        n = 0
        while True:
            now = env.now
            clock = self.clock_seconds(now)
            hour = int(clock // 3600)
            rate = hourly.get(hour)
            if rate is None:
                rate = hourly[hour] = bg.rate_per_s(hour)
            rate *= _surge_at(changes, now)
            boundary = min(3600.0 - clock % 3600.0, _next_change(changes, now) - now)
            gap = rng_when.exponential(1.0 / rate) if rate > 0 else math.inf
            if gap >= boundary:
                yield env.timeout(boundary)
                continue
            yield env.timeout(gap)
            key = keys[bisect_right(cum, rng_what.random())]
            if demand is None:
                node = core[int(rng_where.integers(len(core)))]
            else:
                node = node_ids[demand.node_at(self.clock_seconds(env.now), rng_where.random())]
            kind = "fire" if key in OCCUPANCIES else key
            if self._reports_scripted(network.node_index[node], kind):
                continue  # a caller reporting the scripted incident there: no new call
            n += 1
            # the first call of a kind in this process is checked (a valid Incident)
            make = BackgroundCall if key in _VALID_MIX_KEYS else Incident
            spec = make(id=f"BG{n:03d}", kind=kind, occupancy=key if kind == "fire" else None,
                        at=env.now, location=_node_location(node), work_time=bg.work_time)
            _VALID_MIX_KEYS.add(key)
            env.process(self._incident(spec, env.now, background=True))

    def _reports_scripted(self, node: int, kind: str) -> bool:
        """Whether an everyday call of ``kind`` at ``node`` reports a scripted incident
        being worked there (see :meth:`_background`)."""
        if not self._scripted:
            return False
        return any(inc.node == node and not inc.cleared.triggered
                   and (inc.spec.kind in ("fire", "hazmat") or inc.spec.kind == kind)
                   for inc in self._scripted)

    def _surge_changes(self) -> list[tuple[float, float]]:
        """(time, factor) at which the background rate factor changes, in time order."""
        out = []
        for inj in self.scenario.injects:
            if isinstance(inj, CallSurge):
                out.append((inj.at, inj.factor))
                if inj.lasting is not None:
                    out.append((inj.at + inj.lasting, 1.0))
        return sorted(out, key=lambda c: c[0])


_new_record = tuple.__new__
"""``_new_record(Record, fields)`` is ``Record(*fields)`` without the keyword handling of
the named tuple's constructor (a record per state change)."""

@lru_cache(maxsize=1 << 16)
def _node_location(node: str) -> Location:
    """The (immutable) location of network node id ``node``, made once per id."""
    return Location(node=node)


_VALID_MIX_KEYS: set[str] = set()
"""Background mix keys already made into a valid :class:`Incident` in this process (the
calls of those kinds are then made as :class:`BackgroundCall`, unchecked)."""


def _handler(table: dict[type, InjectHandler], inj: object) -> InjectHandler | None:
    """The handler of ``inj``'s class (or of the nearest base class in the table)."""
    return next((table[cls] for cls in type(inj).__mro__ if cls in table), None)


def _surge_at(changes: list[tuple[float, float]], t: float) -> float:
    factor = 1.0
    for at, f in changes:
        if at > t:
            break
        factor = f
    return factor


def _next_change(changes: list[tuple[float, float]], t: float) -> float:
    return next((at for at, _ in changes if at > t), math.inf)


class SceneCutOff(Exception):  # noqa: N818 (a signal, not an error)
    """Raised by :meth:`Drill.drive` to a unit going to a scene that every road into is
    closed; ``nearest_m`` is the straight-line distance to the nearest junction a vehicle
    can reach, m."""

    def __init__(self, nearest_m: float) -> None:
        super().__init__(nearest_m)
        self.nearest_m = nearest_m


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


