"""The command centre: nearest available unit by travel time, a call queue, mutual aid.

Policy (the baseline of the dispatching literature, e.g. Larson & Odoni, *Urban
Operations Research*, 1981, ch. 5): for each unit type a call needs, send the
available unit of that type with the shortest travel time from where it is now
(a unit driving back to quarters is available and is sent on from the road).
What cannot be sent waits in a first-come first-served queue and is served as
units come free; a call still short of units after ``request_after`` asks for
mutual aid, which arrives after ``arrival_delay``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from drillsim.agents.incident import IncidentState
from drillsim.agents.units import Unit

if TYPE_CHECKING:
    from drillsim.engine import Drill



class Dispatcher:
    """Assigns units to incidents for one drill."""

    def __init__(self, drill: Drill) -> None:
        self.drill = drill
        self.queue: list[IncidentState] = []
        self.mutual_aid_sent = 0

    def request(self, inc: IncidentState, needs: dict[str, int], alarm: int) -> None:
        """Ask for units of the given types for an incident (one alarm level)."""
        for unit_type, count in sorted(needs.items()):
            inc.needs[unit_type] += count
        if alarm == 0:
            inc.first_alarm_left += sum(needs.values())
        self._assign(inc, alarm)
        if sum(inc.needs.values()) > 0 and inc not in self.queue:
            self.queue.append(inc)
            inc.queued_since = self.drill.env.now
            self.drill.log("queued", inc.id, node=inc.node, needs=_needs(inc))
            if self.drill.scenario.forces.mutual_aid.enabled and not inc.mutual_aid_requested:
                self.drill.env.process(self._mutual_aid_timer(inc))

    def serve_queue(self) -> None:
        """A unit came free or a road changed: serve the queue in call order."""
        for inc in list(self.queue):
            self._assign(inc, inc.alarm)
            if sum(inc.needs.values()) == 0:
                self.queue.remove(inc)

    def withdraw(self, inc: IncidentState) -> None:
        """The incident is closed: drop what it still waits for (no unit is sent to it)."""
        inc.needs.clear()
        if inc in self.queue:
            self.queue.remove(inc)

    def _assign(self, inc: IncidentState, alarm: int) -> None:
        """Send the nearest free unit for each need; a need 'a|b' takes either type."""
        drill = self.drill
        now = drill.env.now
        to_scene: dict[str, np.ndarray] = {}
        for key in sorted(inc.needs):
            types = key.split("|")
            while inc.needs[key] > 0:
                free = [u for u in drill.units.values()
                        if u.status == "available" and u.type in types]
                if not free:
                    break
                for vehicle in {u.vehicle for u in free} - to_scene.keys():
                    to_scene[vehicle] = drill.world.travel.times_to(inc.node, vehicle)
                best, best_eta = _nearest(free, to_scene, now)
                if best_eta == float("inf"):
                    break
                inc.needs[key] -= 1
                drill.commit(best, inc, alarm, best_eta)

    def _mutual_aid_timer(self, inc: IncidentState):
        drill = self.drill
        aid = drill.scenario.forces.mutual_aid
        yield drill.env.timeout(aid.request_after)
        short = sum(inc.needs.values())
        room = aid.max_units - self.mutual_aid_sent
        if short == 0 or room <= 0 or inc.mutual_aid_requested:
            return
        inc.mutual_aid_requested = True
        drill.log("mutual_aid_request", inc.id, needs=_needs(inc))
        for unit_type in sorted(inc.needs):
            while inc.needs[unit_type] > 0 and self.mutual_aid_sent < aid.max_units:
                self.mutual_aid_sent += 1
                inc.needs[unit_type] -= 1
                unit = Unit(id=f"MA-{self.mutual_aid_sent}", type=unit_type.split("|")[0],
                            station="",
                            home=-1, crew=0, in_quarters=False)
                drill.units_mutual_aid.append(unit)
                drill.commit_mutual_aid(unit, inc, aid.arrival_delay)
        if sum(inc.needs.values()) == 0 and inc in self.queue:
            self.queue.remove(inc)


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


def _needs(inc: IncidentState) -> dict[str, int]:
    """Units still needed by type (the ``needs`` field of a record)."""
    return {k: int(v) for k, v in sorted(inc.needs.items()) if v > 0}
