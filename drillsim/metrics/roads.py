"""Facts of a run that need its road network: when which roads were closed, and what a
closure or a unit's distance cost a response.

Everything else about a response is in :mod:`drillsim.metrics.response`; these
functions take the :class:`~drillsim.network.world.World` the run used besides the
:class:`~drillsim.records.result.RunResult` (which does not carry the network).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.metrics.response import Assignment
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
    for k, inj in enumerate(result.scenario.injects):
        if isinstance(inj, RoadChange):
            injects[inj.id or f"inject-{k + 1}"] = inj
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


@dataclass(frozen=True)
class ClosedRoadTravel:
    """The roads closed while a unit was on its way, and what they cost it.

    Attributes
    ----------
    closures
        The closures in force at some time between wheels rolling and arrival.
    extra
        Its travel time minus the time from its station on the open network, s (NaN
        when no route exists on the open network).
    """

    closures: list[RoadClosure]
    extra: float

    @property
    def delayed(self) -> bool:
        """The closures cost the unit more than :data:`NOTICEABLE_S`."""
        return not math.isnan(self.extra) and self.extra > NOTICEABLE_S


def closed_road_travel(result: RunResult, world: World, assignment: Assignment,
                       node: int, closures: list[RoadClosure] | None = None
                       ) -> ClosedRoadTravel | None:
    """Roads closed while a unit travelled from its quarters to ``node``, and the extra
    travel they caused.

    Parameters
    ----------
    assignment
        The unit's assignment; only a turnout from quarters counts.
    node
        The incident's node.
    closures
        :func:`road_closures` of the run when the caller has them already.

    Returns
    -------
    ClosedRoadTravel or None
        ``None`` when no road was closed on the way or the unit did not leave from its
        station.
    """
    a = assignment
    if a.mutual_aid or math.isnan(a.enroute) or not a.from_quarters:
        return None
    closures = road_closures(result, world) if closures is None else closures
    closed = [s for s in closures if s.start < a.arrive and s.end > a.enroute]
    if not closed:
        return None
    home = home_node(result, world, a.unit)
    if home is None:
        return None
    free = world.travel.time(home, node, VEHICLE)
    return ClosedRoadTravel(closed, a.travel - free if math.isfinite(free) else math.nan)
