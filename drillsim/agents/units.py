"""Response units (apparatus with crews) and where they are on the road network."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import simpy

Status = Literal["available", "committed", "out_of_service", "held"]
"""``held``: kept back by a player of a played exercise (the dispatcher skips it)."""


class Leg:
    """A trip along a route: the nodes and the time at which each is passed.

    Parameters
    ----------
    nodes
        Node indices from origin to destination (kept as given, not copied: a route
        handed out by :meth:`~drillsim.network.graph.TravelTimes.route_times` is a tuple).
    elapsed
        Travel time from the origin to each node, s (read-only; not copied).
    t0
        Simulated time of leaving the origin, s.

    Attributes
    ----------
    nodes
        As given.
    arrival
        Simulated time of reaching the last node, s (``times[-1]``).
    times
        Simulated time (s) at which each node is passed, ``t0 + elapsed``: made when first
        asked for (most trips end without anyone asking where the unit is on the way).
    """

    __slots__ = ("nodes", "arrival", "_elapsed", "_t0", "_times")

    def __init__(self, nodes: Sequence[int], elapsed: np.ndarray, t0: float) -> None:
        self.nodes = nodes
        self._elapsed, self._t0, self._times = elapsed, t0, None
        self.arrival = float(t0 + elapsed[-1])

    @property
    def times(self) -> np.ndarray:
        if self._times is None:
            self._times = self._t0 + self._elapsed
        return self._times

    def next_node(self, now: float) -> tuple[int, float]:
        """The first node not yet passed at ``now`` and when the unit reaches it."""
        times = self.times
        k = int(times.searchsorted(now, side="left"))
        k = min(k, len(self.nodes) - 1)
        return self.nodes[k], float(max(times[k], now))


@dataclass
class Unit:
    """One apparatus and its crew.

    Attributes
    ----------
    id, type, station
        Identity; ``station`` is the station or team id (``""`` for mutual aid).
    vehicle, return_vehicle
        Vehicle classes (see :data:`drillsim.network.graph.VEHICLES`) on a call and back.
    home
        Node index of its quarters.
    node
        Node where it is, or last was, at rest.
    leg
        The trip under way, or ``None`` when at rest.
    incident
        Incident it is committed to, or ``""``.
    """

    id: str
    type: str
    station: str
    home: int
    crew: int
    hazmat: bool = False
    vehicle: str = "fire_engine"
    return_vehicle: str = "truck"
    node: int = -1
    status: Status = "available"
    incident: str = ""
    leg: Leg | None = None
    in_quarters: bool = True
    pump_m3_s: float = 0.0
    pending_out_of_service: bool = False
    hold_on_release: bool = False  # a player recalled it: held, not free, once released
    process: simpy.Process | None = field(default=None, repr=False)

    def take(self, job: str) -> None:
        """Commit the unit to ``job`` (an incident or a place), turning it round if driving."""
        if self.process is not None and self.process.is_alive and self.leg is not None:
            self.process.interrupt("redirect")
        self.status, self.incident = "committed", job

    def position(self, now: float) -> tuple[int, float]:
        """Node from which the unit can head somewhere new, and when it is there."""
        if self.leg is None:
            return self.node, now
        return self.leg.next_node(now)
