"""The rainstorm played forward: water at the waterlogging points, roads, pumps, people.

Every ``flood.step`` the model advances each point's reservoir exactly over the
step with that step's mean rain and the drainage then working (its pump station,
reduced when failed, plus mobile pumps set up before the step began), records the
depth, and sets the speed of the roads the point controls for each vehicle class
(:func:`drillsim.hazards.pluvial_flood.road_speed_factor`). Units on the road re-route when
a road changes. As the water rises over the floors of a point's low-lying homes
(:mod:`drillsim.hazards.displacement`) their people leave for shelters a group at a
time, after their decision delay, and the trapped among them call for rescue. A point
deeper than
``pump_threshold_m`` gets the nearest free pump crews (the dispatcher's search,
:meth:`drillsim.agents.dispatch.Dispatcher.nearest`), which stay until it drains.

As a :class:`~drillsim.agents.hazard.Hazard` (``"flood"``) the model also announces
the onset, mobilises the teams and orders the shelters open at activation, handles
the pump-station injects, takes the people rescued from the water to shelters, and
puts the road speeds back at the end.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from drillsim.agents.hazard import Hazard, InjectHandler, call_at
from drillsim.agents.shelters import FLOOD_WATER
from drillsim.agents.teams import mobilise_teams
from drillsim.agents.units import Unit
from drillsim.hazards.displacement import FloorHeights, Household, households
from drillsim.hazards.pluvial_flood import (
    DEPTH_LIMIT_M,
    RAIN_SLOWED,
    RainSeries,
    Reservoir,
    StormFormula,
    chicago_hyetograph,
    rain_series,
    rain_speed_factor,
    road_speed_factor,
)
from drillsim.network.graph import haversine_m
from drillsim.network.waterlogging_arcs import point_edges
from drillsim.scenarios.schema import (
    Flood,
    Incident,
    Location,
    PumpStation,
    Scenario,
    WaterloggingPoint,
)

if TYPE_CHECKING:
    from drillsim.agents.hazard import DrillContext
    from drillsim.agents.incident import IncidentState

def rain_of(flood: Flood, duration_s: float, depth_factor: float = 1.0,
            peak_ratio: float | None = None) -> RainSeries:
    """The drill's rain as a piecewise-constant series (design storm or given series).

    Parameters
    ----------
    flood
        The drill's flood section.
    duration_s
        Length of the drill, s (a given series lasts to its end).
    depth_factor
        The design storm's intensities times this (a drawn storm depth; 1 = the design).
    peak_ratio
        The design storm's peak position (default: the drill's ``rain.peak_ratio``).
        A given series is used as written: neither applies to it.
    """
    rain = flood.rain
    if rain.series is not None:
        times = [s.at for s in rain.series]
        values = [s.mm_h for s in rain.series]
        if times[0] > 0:
            times, values = [0.0, *times], [0.0, *values]
        return rain_series([*times, max(duration_s, times[-1] + 1.0)], values)
    f = rain.formula
    r = rain.peak_ratio if peak_ratio is None else peak_ratio
    blocks = chicago_hyetograph(StormFormula(f.A, f.C, f.b, f.n), rain.return_period,
                                rain.duration / 60, r, rain.step / 60)
    return RainSeries.from_blocks(blocks * depth_factor, rain.step, start_s=rain.start)


@dataclass(frozen=True)
class StormDraw:
    """What chance decided about one run's rainstorm (:class:`~drillsim.scenarios.schema.
    FloodUncertainty`): all at their design values in a deterministic drill.

    Attributes
    ----------
    depth_factor
        The design storm's depth times this.
    peak_ratio
        The design storm's peak position, or ``None`` for the drill's own.
    drain_failures
        ``(point id, drill time s)`` of each point whose drainage fails.
    """

    depth_factor: float = 1.0
    peak_ratio: float | None = None
    drain_failures: tuple[tuple[str, float], ...] = ()


def draw_storm(flood: Flood, rng: np.random.Generator | None) -> StormDraw:
    """Draw the uncertain parts of a rainstorm; ``rng=None`` gives the design values.

    The storm depth factor is log-normal with median 1 (so the design storm is the median
    storm) and log-sd ``storm_depth_sd``; the peak ratio uniform within
    ``peak_ratio ± peak_ratio_spread`` (kept inside 0.05-0.95); each point's drainage fails
    with chance ``drain_failure_p``, at a time uniform over the rain. Draws are made in the
    same order whatever the values, so one run's storm does not shift its other draws.
    """
    u = flood.uncertainty
    if rng is None:
        return StormDraw()
    z, v = rng.standard_normal(), rng.uniform(-1.0, 1.0)
    fails, at = rng.random(len(flood.points)), rng.random(len(flood.points))
    rain = flood.rain
    if rain.series is not None:
        return StormDraw(drain_failures=_failures(flood, fails, at, rain.series[0].at,
                                                  rain.series[-1].at))
    r = min(0.95, max(0.05, rain.peak_ratio + v * u.peak_ratio_spread))
    return StormDraw(math.exp(u.storm_depth_sd * z), r,
                     _failures(flood, fails, at, rain.start, rain.start + rain.duration))


def _failures(flood: Flood, fails: np.ndarray, at: np.ndarray, t0: float,
              t1: float) -> tuple[tuple[str, float], ...]:
    p = flood.uncertainty.drain_failure_p
    return tuple((pt.id, float(t0 + a * (t1 - t0)))
                 for pt, f, a in zip(flood.points, fails, at, strict=True) if f < p)


@dataclass
class PointState:
    """One waterlogging point during the drill."""

    spec: WaterloggingPoint
    node: int
    edges: np.ndarray
    reservoir: Reservoir
    volume_m3: float = 0.0
    drain_share: float = 1.0
    pumps: list[Unit] = field(default_factory=list)
    pumping_m3_s: float = 0.0
    factors: dict[str, float] = field(default_factory=dict)
    households: list[Household] = field(default_factory=list)
    waiting: set[int] = field(default_factory=set)  # households deciding, by index
    left: set[int] = field(default_factory=set)  # households gone, by index
    people_left: int = 0
    calls: int = 0

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def depth_m(self) -> float:
        return self.reservoir.depth_m(self.volume_m3)


class FloodModel(Hazard):
    """Water, roads, pumps and displacement for one drill."""

    name = "flood"

    def __init__(self, drill: DrillContext, flood: Flood) -> None:
        self.drill = drill
        self.spec = flood
        random = not drill.scenario.deterministic
        self.storm = draw_storm(flood, drill.streams["flood/storm"] if random else None)
        self.rain = rain_of(flood, drill.scenario.duration, self.storm.depth_factor,
                            self.storm.peak_ratio)
        net = drill.world.network
        self.points: list[PointState] = []
        for p in flood.points:
            node = drill.world.node_of(p.location)
            edges = point_edges(net, node, p)
            reservoir = Reservoir(p.catchment_ha, p.runoff_coeff, p.drain_m3_s, p.area_m2)
            floors = FloorHeights(p.displace_depth_m, p.displace_spread_m)
            k = math.ceil(p.residents / flood.group_size)
            rng = drill.streams[f"flood/homes/{p.id}"] if random else None
            homes = households(p.residents, flood.group_size, floors, p.leave_delay,
                               *((rng.random(k), rng.random(k)) if rng is not None else ()))
            self.points.append(PointState(p, node, edges, reservoir,
                                          factors={v: 1.0 for v in DEPTH_LIMIT_M},
                                          households=homes))
        self.by_id = {p.id: p for p in self.points}
        self._arcs: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.rescue_people: dict[str, int] = {}  # people trapped, by rescue call
        self._shelter_points: dict[str, list[PointState]] | None = None

    # ------------------------------------------------------------------ the hazard interface

    @classmethod
    def build(cls, drill: DrillContext, scenario: Scenario) -> FloodModel | None:
        """The flood of the scenario, or ``None`` when it has none."""
        return cls(drill, scenario.flood) if scenario.flood is not None else None

    def start(self) -> None:
        """Onset, rain and water, team mobilisation and the order to open the shelters."""
        drill, s = self.drill, self.drill.scenario
        onset = s.relief.onset if s.relief.onset is not None else self.spec.rain.start
        activation = self.spec.activation if self.spec.activation is not None \
            else self.spec.rain.start
        if drill.shelters is not None:
            drill.env.process(call_at(drill, onset, drill.shelters.start_clock))
        drill.env.process(self._hydrology())
        for point_id, at in self.storm.drain_failures:
            drill.env.process(call_at(drill, at, lambda p=point_id: self._drain_fails(p)))
        mobilise_teams(drill, activation)
        if drill.shelters is not None:
            drill.env.process(call_at(drill, activation, drill.shelters.order_open))

    def handlers(self) -> Mapping[type, InjectHandler]:
        return {PumpStation: self.pump_station}

    def restore(self) -> None:
        """Normal speed again on every arc a point controls."""
        travel = self.drill.world.travel
        travel.set_weather_factor(1.0, RAIN_SLOWED)
        if self._arcs is not None:
            travel.reopen(self._arcs[0], None)

    def on_team_ready(self, team_id: str) -> None:
        """Pump crews may now go to points already deep."""
        for point in self.by_priority():
            self.respond(point)

    def by_priority(self) -> list[PointState]:
        """The points in the order pump crews are given to them (``flood.pump_priority``).

        ``deepest_first``: the deepest water first. ``failed_first``: points whose pump
        station or drains have failed first (they will not drain by themselves), deepest
        first among them, then the others deepest first. Ties keep the drill file's order.
        """
        failed_first = self.spec.pump_priority == "failed_first"
        return sorted(self.points, key=lambda p: (failed_first and p.drain_share >= 1.0,
                                                  -p.depth_m))

    def on_incident_cleared(self, inc: IncidentState) -> None:
        """The rescuers of a flood-rescue call take the people to a shelter."""
        rescued = self.rescue_people.pop(inc.id, 0)
        if rescued and self.drill.shelters is not None:
            self.drill.log("rescued", inc.id, node=inc.node, people=int(rescued))
            origin = next((p.id for p in self.points if p.node == inc.node), inc.id)
            self.drill.shelters.displace(rescued, inc.node, inc.id, vehicle="high_clearance",
                                         from_place=origin)

    def pump_station(self, inj: PumpStation) -> None:
        """A pump station fails (keeping ``capacity_share`` of its drainage) or is restored."""
        point = self.by_id[inj.point]
        point.drain_share = inj.capacity_share if inj.kind == "pump_station_failed" else 1.0
        self.drill.log(inj.kind, node=point.node, place=point.id,
                       drain_m3_s=float(point.spec.drain_m3_s * point.drain_share))

    def _drain_fails(self, point_id: str) -> None:
        """A point's pump station or drains fail by chance (power cut, blockage)."""
        point = self.by_id[point_id]
        point.drain_share = min(point.drain_share, self.spec.uncertainty.drain_failure_share)
        self.drill.log("pump_station_failed", node=point.node, place=point.id,
                       drain_m3_s=float(point.spec.drain_m3_s * point.drain_share))

    # ------------------------------------------------------------------ water

    def _hydrology(self):
        env, dt = self.drill.env, self.spec.step
        while True:
            t0 = env.now
            rain = self.rain.depth_mm(t0, t0 + dt) / dt * 3600.0  # mean over the step, mm/h
            slowed = rain_speed_factor(rain)  # the storm is known: the step's rain slows it
            if slowed != self.drill.world.travel.weather_factor(RAIN_SLOWED[0]):
                self.drill.world.travel.set_weather_factor(slowed, RAIN_SLOWED)
                self.drill.network_changed()
            yield env.timeout(dt)
            self.drill.log("rain", mm_h=round(float(rain), 3), speed_factor=round(slowed, 4))
            for point in self.points:
                self._advance(point, rain, dt)
            self._update_roads()
            self._close_flooded_shelters()
            for point in self.by_priority():
                self.respond(point)

    def _advance(self, point: PointState, rain_mm_h: float, dt: float) -> None:
        r = point.reservoir
        working = Reservoir(r.catchment_ha, r.runoff_coeff, r.drain_m3_s * point.drain_share,
                            r.area_m2)
        before = point.volume_m3
        point.volume_m3, inflow, outflow = working.step(before, rain_mm_h, point.pumping_m3_s,
                                                        dt)
        self.drill.log("depth", node=point.node, place=point.id,
                       depth_m=round(float(point.depth_m), 4),
                       volume_m3=round(float(point.volume_m3), 3),
                       in_m3=round(float(inflow), 3), out_m3=round(float(outflow), 3))

    def _update_roads(self) -> None:
        """Set each vehicle class's speed on flooded arcs (the worst point governs an arc)."""
        travel = self.drill.world.travel
        changed = False
        if self._arcs is None:  # every point's arcs once, and which point each entry is from
            owner = np.repeat(np.arange(len(self.points)), [p.edges.size for p in self.points])
            flat = np.concatenate([p.edges for p in self.points] or [np.zeros(0, np.int64)])
            arcs, where = np.unique(flat.astype(np.int64), return_inverse=True)
            self._arcs = (arcs, where, owner)
        arcs, where, owner = self._arcs
        depths = [point.depth_m for point in self.points]
        for vehicle in DEPTH_LIMIT_M:
            factors = []
            for point, depth in zip(self.points, depths, strict=True):
                # the curve itself, unrounded: a road closes exactly at the class's limit
                f = road_speed_factor(vehicle, depth)
                if f != point.factors[vehicle]:
                    point.factors[vehicle] = f
                    changed = True
                factors.append(f)
            desired = np.ones(arcs.size)  # the worst point governs an arc
            np.minimum.at(desired, where, np.asarray(factors, dtype=float)[owner])
            if np.array_equal(travel.edge_factors(arcs, vehicle), desired):
                continue  # setting them again would change nothing
            for f in np.unique(desired):  # ascending, as before
                travel.set_edge_factor(arcs[desired == f], float(f), [vehicle])
        if changed:
            for point in self.points:
                self.drill.log("road_state", node=point.node, place=point.id,
                               factors={v: float(f) for v, f in point.factors.items()})
            self.drill.network_changed()

    def _close_flooded_shelters(self) -> None:
        """Close the shelters standing in a point's flooded area (a road node of its arcs
        within ``radius_m`` of the point) while its water is as deep as makes the point's
        residents leave home (``displace_depth_m``, the median floor height); they reopen
        when it falls."""
        shelters = self.drill.shelters
        if shelters is None:
            return
        if self._shelter_points is None:  # which points' water each shelter stands in
            net = self.drill.world.network
            self._shelter_points = {}
            for point in self.points:
                nodes = {*net.edge_u[point.edges].tolist(), *net.edge_v[point.edges].tolist()}
                for s in shelters.by_id.values():
                    if s.node in nodes and haversine_m(
                            net.lat[s.node], net.lon[s.node], net.lat[point.node],
                            net.lon[point.node]) <= point.spec.radius_m:
                        self._shelter_points.setdefault(s.id, []).append(point)
        flooded = {sid for sid, pts in self._shelter_points.items()
                   if any(p.depth_m >= p.spec.displace_depth_m for p in pts)}
        if flooded != shelters.blocked_by(FLOOD_WATER):
            shelters.set_blocked(flooded, by=FLOOD_WATER)

    # ------------------------------------------------------------------ response

    def respond(self, point: PointState) -> None:
        """Households with water inside start deciding to leave; pumps go to deep points."""
        depth = point.depth_m
        for i, home in enumerate(point.households):
            if depth >= home.floor_m and i not in point.waiting and i not in point.left:
                point.waiting.add(i)
                self.drill.env.process(self._leave(point, i, home))
        if depth >= self.spec.pump_threshold_m:
            while len(point.pumps) < self.spec.max_pumps_per_point and self._send_pump(point):
                pass

    def _leave(self, point: PointState, index: int, home: Household):
        """A household leaves once water has stood in the home for its decision delay."""
        yield self.drill.env.timeout(home.delay_s)
        point.waiting.discard(index)
        if point.depth_m < home.floor_m:  # the water left the home first: they stay
            return
        point.left.add(index)
        share = point.spec.trapped_share  # cumulative rounding: totals match the share
        before = point.people_left
        point.people_left += home.people
        trapped = round(point.people_left * share) - round(before * share)
        self.drill.log("displacement", node=point.node, place=point.id,
                       people=int(home.people), trapped=int(trapped))
        self.drill.shelters.order_open()
        self.drill.shelters.displace(home.people - trapped, point.node, point.id)
        self._rescue_calls(point, trapped)

    def _rescue_calls(self, point: PointState, trapped: int) -> None:
        per = point.spec.people_per_call
        for k in range(math.ceil(trapped / per)):
            people = min(per, trapped - k * per)
            point.calls += 1
            spec = Incident(id=f"FR-{point.id}-{point.calls}", kind="flood_rescue",
                            at=self.drill.env.now,
                            location=Location(node=self.drill.world.network.node_ids[point.node]),
                            text=f"{people} people trapped")
            self.rescue_people[spec.id] = people
            self.drill.start_incident(spec, place=point.id)

    def _send_pump(self, point: PointState) -> bool:
        """Send the dispatcher's nearest free pump crew to the point; ``False`` if none."""
        drill = self.drill
        found = drill.dispatcher.nearest(point.node, ("pump_crew",), walk_m=math.inf)
        if found is None:
            return False
        self.send_pump(point, *found)
        return True

    def send_pump(self, point: PointState, unit: Unit, eta_s: float) -> None:
        """Send the free pump crew ``unit`` to ``point`` now: the ``dispatch`` record (task
        ``pump``; ``eta_s`` its travel time there, s), then its trip, set-up and pumping
        until the water is gone and the rain over (the policy's choice, or a player's)."""
        drill = self.drill
        unit.take(point.id)
        point.pumps.append(unit)
        drill.log("dispatch", unit=unit.id, place=point.id, task="pump",
                  eta_s=float(round(eta_s)), mutual_aid=False)
        unit.process = drill.env.process(self._pump(unit, point))

    def _pump(self, unit: Unit, point: PointState):
        drill, env = self.drill, self.drill.env
        drill.log("enroute", unit=unit.id, place=point.id, from_quarters=unit.in_quarters)
        unit.in_quarters = False
        yield from drill.drive(unit, point.node, unit.vehicle)
        drill.log("arrive", unit=unit.id, node=unit.node, place=point.id)  # where it stopped
        yield env.timeout(self.spec.pump_setup)
        point.pumping_m3_s += unit.pump_m3_s
        drill.log("pump_start", unit=unit.id, node=point.node, place=point.id,
                  pump_m3_s=float(unit.pump_m3_s))
        while point.volume_m3 > 0 or self.rain.intensity_mm_h(env.now) > 0:
            yield env.timeout(self.spec.step)
        point.pumping_m3_s -= unit.pump_m3_s
        point.pumps.remove(unit)
        drill.log("release", unit=unit.id, node=point.node, place=point.id)
        drill.release_unit(unit)
