"""Displaced people, the shelters they go to, and the rations that relieve them.

People move in groups. A group walks (or, when rescued, rides) to the nearest open
shelter that still has room counting those already heading there: nearest by travel
time over the road network as it is when they set off (flooded roads slow walkers and
close from the walking limit, :func:`drillsim.hazards.pluvial_flood.road_speed_factor`;
rivers are crossed only where the network has a bridge). A shelter that is full when
they arrive sends the rest on to the next nearest (a re-route). A shelter takes people
in only once it is open (the order to open plus its set-up time); one ordered open but
still being set up is not closed, and people wait outside it. A shelter inside a threat
zone or a flooded area is closed to evacuees (:meth:`Shelters.set_blocked`, one place
for every hazard): nobody is sent there, people arriving go on, and people already
waiting outside it for the opening leave for the nearest safe shelter with room the
moment the zone reaches it. Each leg is recorded (``evacuate``: the origin, the
shelter, the leg's distance and time and the travel time then to every open shelter
with room) and so is each admission (``shelter_admit``: the origin and the whole trip's
distance, time and re-routes). A person is
*relieved* once admitted and their first basic-needs ration (every item of
``relief.ration``) has reached the shelter; rations go to people in the order
they arrived.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import simpy

from drillsim.agents.hazard import Hazard
from drillsim.scenarios.schema import Location, Scenario, Shelter

if TYPE_CHECKING:
    from drillsim.agents.hazard import DrillContext


FLOOD_WATER = "flood water"
"""The hazard name under which flood water closes shelters (:meth:`Shelters.set_blocked`)."""


@dataclass
class Waiting:
    """Admitted people of one group not yet relieved."""

    group: str
    people: int
    displaced_at: float


@dataclass
class ShelterState:
    """One shelter during the drill."""

    spec: Shelter
    node: int
    capacity: int
    opened: simpy.Event
    occupants: int = 0
    heading: int = 0
    stock: dict[str, float] = field(default_factory=dict)
    in_transit: dict[str, float] = field(default_factory=dict)
    waiting: deque[Waiting] = field(default_factory=deque)
    outdoors: int = 0
    """People waiting outside for the opening (not yet admitted)."""
    zone_reached: simpy.Event | None = None
    """Succeeds when a threat zone reaches the shelter (a fresh event for each closure)."""

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def room(self) -> int:
        """Places not yet taken or promised to people on their way."""
        return self.capacity - self.occupants - self.heading

    @property
    def people(self) -> int:
        """People admitted and not yet relieved, plus those on their way (0: it needs
        nothing, :meth:`unmet` is zero for every item)."""
        if not self.waiting:  # asked by every relief truck, mostly of empty shelters
            return self.heading
        return sum(w.people for w in self.waiting) + self.heading

    def unmet(self, ration: dict[str, float]) -> dict[str, float]:
        """Items still needed for the people here and on their way, beyond stock and deliveries."""
        people = self.people
        return {item: max(people * per - self.stock.get(item, 0.0)
                          - self.in_transit.get(item, 0.0), 0.0)
                for item, per in ration.items()}


class Shelters(Hazard):
    """All shelters of a drill and the people moving to them (the ``"shelters"`` module:
    the hazards that displace people order them open)."""

    name = "shelters"

    @classmethod
    def build(cls, drill: DrillContext, scenario: Scenario) -> Shelters | None:
        """The shelters of the scenario's forces, or ``None`` when it has none."""
        shelters = scenario.forces.shelters
        return cls(drill, shelters) if shelters else None

    def __init__(self, drill: DrillContext, specs: list[Shelter]) -> None:
        self.drill = drill
        self.ration = drill.scenario.relief.ration
        self.by_id: dict[str, ShelterState] = {}
        for spec in specs:
            place = drill.world.places.get(spec.id)
            capacity = spec.capacity if spec.capacity is not None else int(
                place.attrs["capacity"])
            node = drill.world.node_of(spec.location or Location(place=spec.id))
            self.by_id[spec.id] = ShelterState(spec, node, capacity, drill.env.event())
        self.ordered = False
        self.clock_started = False
        self.groups = 0
        self.blocked: set[str] = set()  # inside a threat zone or flooded: nobody is sent there
        self._blocked_by: dict[str, set[str]] = {}

    def set_blocked(self, ids: set[str], by: str = "threat zone") -> None:
        """The shelters ``by`` (a hazard: a threat zone, flood water) now closes; a shelter
        is closed while any hazard closes it. People waiting outside one that has just
        become closed are woken to move on. Each change is a ``shelter_closed`` or
        ``shelter_reopened`` record with the hazard as its reason (the one place that logs
        them)."""
        before = self._blocked_by.get(by, set())
        for sid in sorted(set(ids) ^ before):
            self.drill.log("shelter_closed" if sid in ids else "shelter_reopened",
                           node=self.by_id[sid].node, place=sid, reason=by)
        self._blocked_by[by] = set(ids)
        blocked = set().union(*self._blocked_by.values())
        for sid in sorted(blocked - self.blocked):
            event = self.by_id[sid].zone_reached
            if event is not None and not event.triggered:
                event.succeed()
        self.blocked = blocked

    def blocked_by(self, by: str) -> set[str]:
        """The shelters that hazard ``by`` closes now."""
        return set(self._blocked_by.get(by, ()))

    def closed_for_good(self) -> set[str]:
        """Closed shelters that people do not wait for: those a threat zone closes (flood
        water falls within hours; people cut off wait for it, a zone they flee)."""
        return set().union(*(ids for by, ids in self._blocked_by.items() if by != FLOOD_WATER))

    def waiting_outdoors(self) -> dict[int, int]:
        """People waiting outside a shelter for its opening, by road node."""
        out: dict[int, int] = {}
        for s in self.by_id.values():
            if s.outdoors:
                out[s.node] = out.get(s.node, 0) + s.outdoors
        return out

    def start_clock(self) -> None:
        """Start the relief clock now (the ``onset`` record), once per drill: with a flood
        and a chemical release in one drill, the first to strike starts it."""
        if self.clock_started:
            return
        self.clock_started = True
        relief = self.drill.scenario.relief
        self.drill.log("onset", clock=relief.clock_from, target_s=float(round(relief.target)))

    def order_open(self) -> None:
        """The order to open every shelter; each opens after its set-up time."""
        if self.ordered:
            return
        self.ordered = True
        for shelter in self.by_id.values():
            self.drill.env.process(self._open(shelter))

    def _open(self, shelter: ShelterState):
        yield self.drill.env.timeout(shelter.spec.open_delay)
        self.drill.log("shelter_open", node=shelter.node, place=shelter.id,
                       capacity=int(shelter.capacity))
        shelter.opened.succeed()

    def displace(self, people: int, origin: int, source: str, vehicle: str = "foot",
                 group_size: int | None = None, from_place: str | None = None) -> None:
        """People leave ``origin`` (a road node, because of ``source``) for a shelter, in
        groups; ``from_place`` names where they come from in the evacuation records (a
        waterlogging point, a release; default ``source``)."""
        flood = self.drill.scenario.flood
        size = group_size or (flood.group_size if flood else people)
        while people > 0:
            n = min(size, people)
            people -= n
            self.groups += 1
            group = f"G{self.groups:04d}"
            self.drill.log("displaced", node=origin, place=source,
                           group=group, people=int(n))
            self.drill.env.process(self._move(group, n, origin, self.drill.env.now, vehicle,
                                              from_place or source))

    def _move(self, group: str, people: int, origin: int, displaced_at: float, vehicle: str,
              from_place: str):
        drill = self.drill
        env = drill.env
        tried: set[str] = set()
        stranded = False
        legs, distance_m, travel_s = 0, 0.0, 0.0
        while people > 0:
            options = self._open_with_room(origin, vehicle, tried)
            shelter = self.by_id[min(options, key=options.__getitem__)] if options else None
            if shelter is None:
                if any(s.room > 0 for s in self.by_id.values()
                       if s.id not in tried and s.id not in self.closed_for_good()):
                    # every way out, or every shelter with room, is flooded: wait for the
                    # water to fall (roads and flooded shelters change together)
                    if not stranded:
                        drill.log("stranded", node=origin,
                                  group=group, people=int(people))
                        stranded = True
                    yield drill.net_changed
                    continue
                drill.log("unsheltered", node=origin, group=group, people=int(people))
                return
            tried.add(shelter.id)
            shelter.heading += people
            drill.relief_need_changed()  # relief can start for people on their way
            leg = drill.plan(origin, shelter.node, vehicle, env.now)
            leg_m = float(drill.world.network.edge_length_m[
                drill.world.travel.route_edges(leg.nodes, vehicle)].sum())
            leg_s = leg.arrival - env.now
            legs += 1
            drill.log("evacuate", node=origin, place=shelter.id, group=group, people=int(people),
                      origin=from_place, by=vehicle, leg=legs, distance_m=round(leg_m, 1),
                      travel_s=round(leg_s, 1),
                      options_s={k: round(v, 1) for k, v in options.items()})
            yield env.timeout(leg_s)
            distance_m += leg_m
            travel_s += leg_s
            shelter.heading -= people
            origin = shelter.node
            if shelter.id in self.blocked:  # a threat zone reached it meanwhile: go on
                drill.log("shelter_blocked", node=origin, place=shelter.id,
                          group=group, people=int(people))
                continue
            if not shelter.opened.triggered:
                drill.log("shelter_wait", node=origin, place=shelter.id,
                          group=group, people=int(people))
                if shelter.zone_reached is None or shelter.zone_reached.triggered:
                    shelter.zone_reached = env.event()
                shelter.outdoors += people
                yield shelter.opened | shelter.zone_reached
                shelter.outdoors -= people
                if shelter.id in self.blocked:  # the zone reached them while they waited
                    drill.log("shelter_blocked", node=origin, place=shelter.id,
                              group=group, people=int(people))
                    continue
            admitted = min(people, shelter.capacity - shelter.occupants)
            if admitted > 0:
                shelter.occupants += admitted
                shelter.waiting.append(Waiting(group, admitted, displaced_at))
                drill.log("shelter_admit", node=origin, place=shelter.id,
                          group=group, people=int(admitted), origin=from_place, by=vehicle,
                          distance_m=round(distance_m, 1), travel_s=round(travel_s, 1),
                          reroutes=legs - 1)
                self.relieve(shelter)
                drill.relief_need_changed()
            people -= admitted
            if people > 0:
                drill.log("shelter_full", node=origin, place=shelter.id,
                          group=group, people=int(people))

    def _open_with_room(self, origin: int, vehicle: str, tried: set[str]) -> dict[str, float]:
        """Travel time now (s) from ``origin`` to every shelter not yet tried, not closed,
        with room and reachable, in the drill file's order (the first nearest wins ties)."""
        times = self.drill.world.travel.times_from(origin, vehicle)
        return {s.id: float(times[s.node]) for s in self.by_id.values()
                if s.id not in tried and s.id not in self.blocked and s.room > 0
                and math.isfinite(times[s.node])}

    def deliver(self, shelter: ShelterState, load: dict[str, float]) -> None:
        """A truck has unloaded: the items join the shelter's stock and relieve whom they can."""
        for item, qty in load.items():
            shelter.stock[item] = shelter.stock.get(item, 0.0) + qty
            shelter.in_transit[item] = shelter.in_transit.get(item, 0.0) - qty
        self.relieve(shelter)

    def relieve(self, shelter: ShelterState) -> None:
        """Give first rations to admitted people, first come first served."""
        while shelter.waiting:
            first = shelter.waiting[0]
            can = min(math.floor(shelter.stock.get(item, 0.0) / per + 1e-9)
                      for item, per in self.ration.items())
            n = min(first.people, can)
            if n <= 0:
                return
            for item, per in self.ration.items():
                shelter.stock[item] -= n * per
            first.people -= n
            self.drill.log("relieved", node=shelter.node, place=shelter.id,
                           group=first.group, people=int(n),
                           displaced_at=round(float(first.displaced_at), 3))
            if first.people == 0:
                shelter.waiting.popleft()
