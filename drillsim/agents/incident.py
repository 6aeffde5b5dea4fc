"""Incidents in progress: what they need, who is there, and how a fire grows against the water.

The fire side follows :mod:`drillsim.hazards.fire_growth`: Q(t) = α·t² until the water
on scene absorbs at least Q(t); from then on the fire stops growing and is under
control after the knockdown time. The incident commander (the first officer on
scene) calls the next alarm when the fire outgrows what the units already sent
can absorb.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import simpy

from drillsim.hazards.fire_growth import OCCUPANCIES, heat_release_kw, suppression_kw
from drillsim.scenarios.schema import Distribution, Incident, Location

_DETECTION_DELAY = Incident.model_fields["detection_delay"].default


@dataclass(frozen=True, slots=True)
class BackgroundCall:
    """A generated everyday call: what the engine reads of an :class:`Incident`.

    A plain dataclass, not a validated model, since the engine makes one per background
    call; the first call of each kind is still made as an :class:`Incident`, so a mix
    key that is no valid incident fails as before.
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
    capacity_kw: float = 0.0
    assigned_capacity_kw: float = 0.0
    q_frozen_kw: float | None = None
    called: bool = False
    arrived: bool = False
    queued_since: float | None = None
    mutual_aid_requested: bool = False
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

    @property
    def max_kw(self) -> float:
        """Fully developed fire size, kW (0 for incidents that are not fires)."""
        return OCCUPANCIES[self.spec.occupancy].max_kw if self.is_fire else 0.0

    def heat_release_kw(self, now: float) -> float:
        """Fire size at ``now``, kW: growing until enough water is on it, then held."""
        if self.q_frozen_kw is not None:
            return self.q_frozen_kw
        return heat_release_kw(self.alpha, self.max_kw, now - self.t_start)

    def time_to_outgrow(self, capacity_kw: float) -> float:
        """Time at which the free-burning fire exceeds ``capacity_kw``, s (``inf``: never)."""
        if capacity_kw >= self.max_kw:
            return math.inf
        return self.t_start + math.sqrt(capacity_kw / self.alpha)

    def add_assigned(self, unit_type: str) -> None:
        self.assigned_capacity_kw += suppression_kw(unit_type)
