"""The command centre: nearest available unit by travel time, a call queue, mutual aid.

Policy (the baseline of the dispatching literature, e.g. Larson & Odoni, *Urban
Operations Research*, 1981, ch. 5): for each unit type a call needs, send the
available unit of that type with the shortest travel time from where it is now
(a unit driving back to quarters is available and is sent on from the road).
What cannot be sent waits in a queue and is served as units come free; a call still
short of units after ``request_after`` asks for mutual aid, which arrives after
``arrival_delay``.

Queue order (``dispatch.priority``): ``risk`` (the default) serves the waiting calls by
:func:`risk_class`, life risk first, and in call order within a class; ``call_order``
serves them first come, first served. The basis is the life-first rule of the Fire
Protection Law of the PRC (《中华人民共和国消防法》, 2021, art. 44: the fire brigade
"rescues people in danger, removes the danger, puts out the fire", in that order; art.
45: command "gives priority to the life safety of people in danger"); the three classes
are an ASSUMPTION built on it (no published 119 queue order was found). With ``risk``
each mutual-aid request also goes to the most urgent waiting call not yet helped
(:meth:`Dispatcher._mutual_aid_timer`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from functools import cache
from typing import TYPE_CHECKING

import numpy as np

from drillsim.agents.incident import IncidentState
from drillsim.agents.units import Unit
from drillsim.network.graph import APPROACH_MAX_M

if TYPE_CHECKING:
    from drillsim.engine import Drill


LIFE_RISK_OCCUPANCIES = frozenset({
    "dwelling", "old_residential_compound", "high_rise_residential", "elderly_care_home",
    "hospital", "school", "large_commercial_complex", "market", "three_in_one"})
"""Fire occupancies where people live, sleep, are cared for or gather: a fire there puts
lives at risk (class 0 of :func:`risk_class`; ASSUMPTION). Warehouses, factories,
chemical sites and outdoor fires are property fires with few people present (class 1)."""

RISK_CLASSES = ("life risk", "other fire", "alarm or service call")
"""Names of the classes of :func:`risk_class`, most urgent first."""


def risk_class(kind: str, occupancy: str | None) -> int:
    """A call's dispatch priority class, 0 most urgent (see :data:`RISK_CLASSES`).

    0: fires in :data:`LIFE_RISK_OCCUPANCIES`, rescues (``rescue``, ``flood_rescue``: people
    trapped) and hazmat releases (people downwind); 1: other fires; 2: alarms and any other
    call. ASSUMPTION after the life-first rule of the Fire Protection Law (module docstring).
    """
    if kind in ("rescue", "flood_rescue", "hazmat"):
        return 0
    if kind == "fire":
        return 0 if occupancy in LIFE_RISK_OCCUPANCIES else 1
    return 2


class Dispatcher:
    """Assigns units to incidents for one drill.

    Attributes
    ----------
    units
        Every unit of the district at the dispatcher's disposal (staffed apparatus,
        then team units as they are fielded), by id.
    mutual_aid
        Units sent from outside the district, in the order sent.
    """

    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.units: dict[str, Unit] = {}
        self.mutual_aid: list[Unit] = []
        # the waiting calls, one bucket per risk class (one bucket with ``call_order``), each
        # in queue order: :meth:`waiting` order kept as calls come and go, never sorted
        self._queue: tuple[dict[IncidentState, None], ...] = ({}, {}, {})
        self.mutual_aid_sent = 0

    def add_unit(self, unit: Unit) -> None:
        """A unit is fielded (a staffed apparatus, or a team unit once assembled)."""
        self.units[unit.id] = unit

    def nearest(self, node: int, types: Collection[str],
                to_node: dict[str, np.ndarray] | None = None,
                walk_m: float = APPROACH_MAX_M) -> tuple[Unit, float] | None:
        """The free unit of one of ``types`` that reaches ``node`` first, and its travel time.

        Parameters
        ----------
        node
            Destination node index.
        types
            Unit types that will do.
        to_node
            Travel times to ``node`` by vehicle class, s, filled in as needed (a cache
            for repeated searches to one node at one instant); to the node where the
            class stops when every road into ``node`` is closed to it
            (:meth:`~drillsim.network.graph.TravelTimes.approach`).
        walk_m
            Farthest the crew works from where the vehicle stops, m (``inf``: a pump crew
            at the water's edge).

        Returns
        -------
        tuple or None
            The unit and its time to ``node`` from where it is now, s (turnout not
            counted; ties go to the unit fielded first), or ``None`` when no free unit
            of those types can reach ``node``.
        """
        free = [u for u in self.units.values() if u.status == "available" and u.type in types]
        if not free:
            return None
        to_node = {} if to_node is None else to_node
        travel = self.drill.world.travel
        for vehicle in {u.vehicle for u in free} - to_node.keys():  # to where it would stop
            to_node[vehicle] = travel.times_to(travel.approach(node, vehicle, walk_m), vehicle)
        best, best_eta = _nearest(free, to_node, self.drill.env.now)
        return None if best_eta == float("inf") else (best, best_eta)

    def request(self, inc: IncidentState, needs: Mapping[str, int], alarm: int) -> None:
        """Ask for units of the given types for an incident (one alarm level)."""
        for unit_type, count in sorted(needs.items()):
            inc.needs[unit_type] += count
        if alarm == 0:
            inc.first_alarm_left += sum(needs.values())
            self._sent_ahead(inc)
        self._assign(inc, alarm)
        if sum(inc.needs.values()) > 0 and not self.is_queued(inc):
            self.enqueue(inc)
            inc.queued_since = self.drill.env.now
            nearest_m = self.cut_off(inc)
            if nearest_m is not None:  # no unit can get there: mutual aid could not either
                self._log_unreachable(inc, nearest_m)
                return
            self.drill.log("queued", inc.id, node=inc.node, needs=_needs(inc))
            if self.drill.scenario.forces.mutual_aid.enabled and not inc.mutual_aid_requested:
                self.drill.env.process(self._mutual_aid_timer(inc))

    def _sent_ahead(self, inc: IncidentState) -> None:
        """Units a player sent while the call was being processed (``drillsim play``: sent
        before this first request) fill the needs of their type: the dispatcher does not
        send a second unit for them. A drill played without players has none."""
        if not inc.assigned:
            return
        aid = {u.id: u for u in self.mutual_aid}
        for uid in inc.assigned:
            unit = self.units.get(uid) or aid.get(uid)
            key = next((k for k in sorted(inc.needs) if inc.needs[k] > 0
                        and unit is not None and unit.type in k.split("|")), None)
            if key is not None:
                inc.needs[key] -= 1

    def cut_off_en_route(self, inc: IncidentState, unit_type: str, nearest_m: float) -> None:
        """A unit of ``unit_type`` sent to ``inc`` turned back: every road into the scene
        closed after it was sent (``nearest_m``, m, to the nearest junction a vehicle can
        reach). The call needs the unit again and waits in the queue, served when a road
        into it reopens; it is recorded ``unreachable`` once (as when found cut off at
        dispatch), and no mutual aid is asked for it (it could not get there either)."""
        key = next((k for k in sorted(inc.needs) if unit_type in k.split("|")), unit_type)
        inc.needs[key] += 1
        if not self.is_queued(inc):
            self.enqueue(inc)
            inc.queued_since = self.drill.env.now
        if not inc.found_cut_off:
            self._log_unreachable(inc, nearest_m)

    def _log_unreachable(self, inc: IncidentState, nearest_m: float) -> None:
        """Record that no unit can get to ``inc``: the closures into it and the distance."""
        inc.found_cut_off = True
        self.drill.log("unreachable", inc.id, node=inc.node,
                       closures=", ".join(self.drill.closures_into(inc.node)),
                       nearest_m=float(round(nearest_m, 1)))

    def cut_off(self, inc: IncidentState) -> float | None:
        """``None`` when some unit type ``inc`` still needs can drive to it (or stop within
        :data:`~drillsim.network.graph.APPROACH_MAX_M`); else the distance from the scene
        to its nearest reachable junction, m (every road into it is closed)."""
        types = {t for key, n in inc.needs.items() if n > 0 for t in key.split("|")}
        vehicles = {u.vehicle for u in self.units.values() if u.type in types} or {"fire_engine"}
        travel = self.drill.world.travel
        dists = [travel.cut_off(inc.node, v) for v in sorted(vehicles)]
        return None if any(d is None for d in dists) else min(dists)

    def enqueue(self, inc: IncidentState) -> None:
        """``inc`` begins to wait: behind the calls queued before it (of its
        :func:`risk_class`, with ``dispatch.priority: risk``)."""
        risk = self.drill.scenario.dispatch.priority != "call_order"
        self._queue[risk_class(inc.spec.kind, inc.spec.occupancy) if risk else 0][inc] = None

    def is_queued(self, inc: IncidentState) -> bool:
        """Whether ``inc`` waits in the queue."""
        return any(inc in bucket for bucket in self._queue)

    def dequeue(self, inc: IncidentState) -> None:
        """``inc`` leaves the queue (if it waits there)."""
        for bucket in self._queue:
            bucket.pop(inc, None)

    def waiting(self) -> list[IncidentState]:
        """The queued calls in the order they are served (``dispatch.priority``): by
        :func:`risk_class` then queue order (``risk``), or queue order (``call_order``)."""
        return [inc for bucket in self._queue for inc in bucket]

    def serve_queue(self) -> None:
        """A unit came free or a road changed: serve the queue in :meth:`waiting` order."""
        waiting = self.waiting()
        if not waiting:
            return
        free = self._free_types()
        for inc in waiting:
            if not free:
                break  # nothing left to send: the rest of the queue waits
            if not any(n > 0 and not free.isdisjoint(_types(key))
                       for key, n in inc.needs.items()):
                continue  # none of its unit types is free
            self._assign(inc, inc.alarm)
            if sum(inc.needs.values()) == 0:
                self.dequeue(inc)
            free = self._free_types()

    def _free_types(self) -> set[str]:
        """The unit types with at least one available unit."""
        return {u.type for u in self.units.values() if u.status == "available"}

    def withdraw(self, inc: IncidentState) -> None:
        """The incident is closed: drop what it still waits for (no unit is sent to it)."""
        inc.needs.clear()
        self.dequeue(inc)

    def _assign(self, inc: IncidentState, alarm: int) -> None:
        """Send the nearest free unit for each need; a need 'a|b' takes either type."""
        to_scene: dict[str, np.ndarray] = {}
        for key in sorted(inc.needs):
            types = key.split("|")
            while inc.needs[key] > 0:
                found = self.nearest(inc.node, types, to_scene)
                if found is None:
                    break
                inc.needs[key] -= 1
                self.drill.commit(found[0], inc, alarm, found[1])

    def _mutual_aid_timer(self, inc: IncidentState):
        """``request_after`` after ``inc`` was queued, unless the district's units served
        it meanwhile, help is asked for the first call of :meth:`waiting` still short and
        not yet helped (with ``risk`` a more urgent call queued later goes first, and its
        own request later helps ``inc``)."""
        drill = self.drill
        aid = drill.scenario.forces.mutual_aid
        yield drill.env.timeout(aid.request_after)
        room = aid.max_units - self.mutual_aid_sent
        # served by the district's own units: no request (a call helped ahead of its turn
        # passes its request on to the next call)
        if (sum(inc.needs.values()) == 0 and not inc.mutual_aid_requested) or room <= 0:
            return
        inc = next((w for w in self.waiting() if not w.mutual_aid_requested
                    and sum(w.needs.values()) > 0 and self.cut_off(w) is None), None)
        if inc is None:
            return
        inc.mutual_aid_requested = True
        drill.log("mutual_aid_request", inc.id, needs=_needs(inc))
        for unit_type in sorted(inc.needs):
            while inc.needs[unit_type] > 0 and self.mutual_aid_sent < aid.max_units:
                inc.needs[unit_type] -= 1
                self.send_mutual_aid(inc, unit_type.split("|")[0])
        if sum(inc.needs.values()) == 0:
            self.dequeue(inc)

    def send_mutual_aid(self, inc: IncidentState, unit_type: str) -> Unit:
        """One unit of ``unit_type`` from outside the district, sent to ``inc`` now (it
        arrives after ``mutual_aid.arrival_delay``); the caller keeps within
        ``mutual_aid.max_units`` and settles the call's needs."""
        self.mutual_aid_sent += 1
        unit = Unit(id=f"MA-{self.mutual_aid_sent}", type=unit_type, station="", home=-1,
                    crew=0, in_quarters=False)
        self.mutual_aid.append(unit)
        self.drill.commit_mutual_aid(unit, inc, self.drill.scenario.forces.mutual_aid.arrival_delay)
        return unit


def _nearest(free: list[Unit], to_scene: dict[str, np.ndarray], now: float
             ) -> tuple[Unit, float]:
    """The unit with the earliest arrival at the scene, ignoring turnout (ties: list order)."""
    best, best_eta = free[0], float("inf")
    for unit in free:
        node, t_at = unit.position(now)
        eta = (t_at - now) + float(to_scene[unit.vehicle][node])
        if eta < best_eta:
            best, best_eta = unit, eta
    return best, best_eta


@cache
def _types(key: str) -> frozenset[str]:
    """The unit types a need key names (``"engine|rescue"``: either)."""
    return frozenset(key.split("|"))


def _needs(inc: IncidentState) -> dict[str, int]:
    """Units still needed by type (the ``needs`` field of a record)."""
    return {k: int(v) for k, v in sorted(inc.needs.items()) if v > 0}
