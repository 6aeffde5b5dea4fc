"""Incidents in progress: what they need, who is there, and how a fire grows against the water.

The fire side follows :mod:`drillsim.hazards.fire_growth`: a t² fire to flashover, then
spread room by room, until the water on scene reaches the flow the fire needs; from
then on the fire stops growing and is under control after the knockdown time. The
incident commander (the first officer on scene) calls the next alarm when the fire
needs more water than the units already sent can put on it; past the response plan's
last alarm, a further alarm of the engines the water still lacks.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

import simpy

from drillsim.hazards.fire_growth import OCCUPANCIES, FireDevelopment, water_flow_l_s
from drillsim.scenarios.schema import Distribution, Incident, Location

_DETECTION_DELAY = Incident.model_fields["detection_delay"].default


class BackgroundCall(NamedTuple):
    """A generated everyday call: what the engine reads of an :class:`Incident`.

    A named tuple (immutable, and made at a quarter of the cost of a frozen dataclass),
    not a validated model, since the engine makes one per background call; the first call
    of each kind is still made as an :class:`Incident`, so a mix key that is no valid
    incident fails as before.
    """

    id: str
    kind: str
    occupancy: str | None
    at: float
    location: Location
    work_time: Distribution | None = None
    detection_delay: Distribution = _DETECTION_DELAY
    alpha: float | None = None
    name_zh: str = ""
    name_en: str = ""
    text: str = ""

    @property
    def plan_key(self) -> str:
        """The response-plan key: the occupancy for fires, else the kind."""
        return self.occupancy if self.kind == "fire" else self.kind  # type: ignore[return-value]


@dataclass(eq=False)  # identity: two incidents are never the same one
class IncidentState:
    """The live state of one incident.

    Attributes
    ----------
    spec
        The incident as scripted (or generated, for background calls).
    node
        Network node index of the scene.
    t_start
        Ignition (fires) or occurrence time, s.
    alarm
        Current alarm level, 0 for the first alarm.
    needs
        Unit types still to be assigned, by type.
    first_alarm_left
        Units of the first alarm not yet on scene (full assignment when it reaches 0).
    water_l_s, assigned_water_l_s
        Water on the fire, and water of every unit sent (on scene or not), L/s.
    t_held
        When the water on scene caught up with the fire (it grows no more), s.
    found_cut_off
        Whether it was recorded ``unreachable`` (every road into it closed).
    """

    spec: Incident | BackgroundCall
    node: int
    t_start: float
    background: bool
    alarm: int = 0
    needs: Counter[str] = field(default_factory=Counter)
    first_alarm_left: int = 0
    assigned: list[str] = field(default_factory=list)
    on_scene: list[str] = field(default_factory=list)
    water_l_s: float = 0.0
    assigned_water_l_s: float = 0.0
    t_held: float | None = None
    called: bool = False
    arrived: bool = False
    queued_since: float | None = None
    mutual_aid_requested: bool = False
    found_cut_off: bool = False
    controlled: simpy.Event | None = None
    cleared: simpy.Event | None = None
    assessment: int = 0

    @property
    def id(self) -> str:
        return self.spec.id

    @property
    def is_fire(self) -> bool:
        return self.spec.kind == "fire"

    @property
    def alpha(self) -> float:
        """t² growth coefficient, kW/s² (0 for incidents that are not fires)."""
        if not self.is_fire:
            return 0.0
        return self.spec.alpha or OCCUPANCIES[self.spec.occupancy].alpha

    @cached_property
    def fire(self) -> FireDevelopment | None:
        """How the fire develops (``None`` for incidents that are not fires)."""
        if not self.is_fire:
            return None
        return OCCUPANCIES[self.spec.occupancy].fire(self.alpha)

    @property
    def max_kw(self) -> float:
        """Largest fire, every room of the fire compartment involved, kW (0: no fire)."""
        fire = self.fire
        return 0.0 if fire is None else fire.largest_kw

    def _age(self, now: float) -> float:
        """Seconds of free burning at ``now`` (growth stops when the water caught up)."""
        return (now if self.t_held is None else min(now, self.t_held)) - self.t_start

    def flow_needed_l_s(self, now: float) -> float:
        """Water the fire needs at ``now``, L/s (NFA fire-flow formula)."""
        fire = self.fire
        return 0.0 if fire is None else fire.flow_needed_l_s(self._age(now))

    def size(self, now: float) -> tuple[float, float, int]:
        """Fire size at ``now``: heat release rate (kW), the water it needs (L/s) and the
        rooms involved, growing until enough water is on it, then held (zeros for
        incidents that are not fires; see
        :meth:`~drillsim.hazards.fire_growth.FireDevelopment.size`)."""
        fire = self.fire
        return (0.0, 0.0, 0) if fire is None else fire.size(self._age(now))

    def next_time(self, now: float, flow_l_s: float, *, outgrows: bool) -> float:
        """When the free-burning fire will need more than ``flow_l_s`` (``outgrows``) or at
        most ``flow_l_s`` (not ``outgrows``), s of drill time (``inf``: never)."""
        fire = self.fire
        if fire is None or self.t_held is not None:
            return math.inf
        return self.t_start + fire.next_time(now - self.t_start, flow_l_s, outgrows=outgrows)

    @property
    def requested_water_l_s(self) -> float:
        """Water of every unit sent plus the units asked for and still waiting (a key
        ``a|b`` counts its smaller flow), L/s: what the commander can count on."""
        waiting = sum(n * min(water_flow_l_s(t) for t in key.split("|"))
                      for key, n in self.needs.items() if n > 0)
        return self.assigned_water_l_s + waiting

    def add_assigned(self, unit_type: str, count: int = 1) -> None:
        """``count`` units of ``unit_type`` sent (negative: turned back on the way)."""
        self.assigned_water_l_s += count * water_flow_l_s(unit_type)
