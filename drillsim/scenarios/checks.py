"""Cross-reference checks of a drill that one field alone cannot make.

Each problem carries the path of the field at fault, so the loader can name the
line of the file. The checks that need the world (places, the road network) take
them as arguments; the rest need only the scenario.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from drillsim.scenarios.schema import Location, NewIncident, Scenario

if TYPE_CHECKING:
    from drillsim.network import RoadNetwork
    from drillsim.places import Places

Path = tuple[str | int, ...]

MAX_SNAP_M = 1000.0
"""A coordinate farther than this from every network node is 'outside the network' (m)."""


class Problem(NamedTuple):
    """One thing wrong with a drill file."""

    path: Path
    message: str


def check_scenario(
    scenario: Scenario, places: Places | None = None, network: RoadNetwork | None = None
) -> list[Problem]:
    """All cross-reference problems of a scenario, in file order.

    Parameters
    ----------
    scenario
        A scenario that passed field validation.
    places, network
        The world it will run in; without them, place ids and coordinates are not
        checked.
    """
    problems = list(_forces(scenario))
    problems += _incidents(scenario)
    problems += _injects(scenario)
    if places is not None and network is not None:
        problems += _locations(scenario, places, network)
    return problems


def _forces(s: Scenario) -> Iterator[Problem]:
    f = s.forces
    seen: dict[str, Path] = {}
    for i, st in enumerate(f.stations):
        if st.id in seen:
            yield Problem(("forces", "stations", i, "id"), f"station id {st.id!r} is used twice")
        seen[st.id] = ("forces", "stations", i)
        for j, app in enumerate(st.apparatus):
            path = ("forces", "stations", i, "apparatus", j, "id")
            if app.id in seen:
                yield Problem(path, f"unit id {app.id!r} is used twice")
            seen[app.id] = path
    units = set(f.unit_ids())
    for k, uid in enumerate(f.out_of_service):
        if uid not in units:
            yield Problem(("forces", "out_of_service", k),
                          f"unknown unit {uid!r}; known units: {', '.join(sorted(units))}")
    for key, alarms in f.response_plans.items():
        if not alarms:
            yield Problem(("forces", "response_plans", key), "a response plan needs an alarm level")


def _incidents(s: Scenario) -> Iterator[Problem]:
    plans = s.forces.response_plans
    ids: set[str] = set()
    for path, inc in _all_incidents(s):
        if inc.id in ids:
            yield Problem((*path, "id"), f"incident id {inc.id!r} is used twice")
        ids.add(inc.id)
        if path[0] == "incidents":
            if inc.at is None:
                yield Problem(path, "an incident needs 'at' (when it starts), e.g. '+00:10'")
            elif inc.at >= s.duration:
                yield Problem((*path, "at"), "the incident starts after the drill ends")
        elif inc.at is not None:
            yield Problem((*path, "at"), "an incident brought by an inject starts at the "
                          "inject's 'at'; remove this one")
        if inc.plan_key not in plans:
            yield Problem((*path, "occupancy" if inc.kind == "fire" else "kind"),
                          f"no response plan for {inc.plan_key!r}; plans: {', '.join(plans)}")
    if s.background:
        for key in s.background.mix:
            if key not in plans:
                yield Problem(("background", "mix", key), f"{key!r} has no response plan")


def _injects(s: Scenario) -> Iterator[Problem]:
    units = set(s.forces.unit_ids())
    objectives = {o.id for o in s.objectives}
    for i, inj in enumerate(s.injects):
        if inj.at > s.duration:
            yield Problem(("injects", i, "at"), "the inject comes after the drill ends "
                          f"(the drill lasts {s.duration / 3600:.2f} h)")
        unit = getattr(inj, "unit", None)
        if unit is not None and unit not in units:
            yield Problem(("injects", i, "unit"), f"unknown unit {unit!r}")
        if inj.objective and inj.objective not in objectives:
            yield Problem(("injects", i, "objective"), f"unknown objective {inj.objective!r}")


def _all_incidents(s: Scenario) -> Iterator[tuple[Path, object]]:
    for i, inc in enumerate(s.incidents):
        yield ("incidents", i), inc
    for i, inj in enumerate(s.injects):
        if isinstance(inj, NewIncident):
            yield ("injects", i, "incident"), inj.incident


def _locations(s: Scenario, places: Places, network: RoadNetwork) -> Iterator[Problem]:
    for i, st in enumerate(s.forces.stations):
        loc = st.location or Location(place=st.id)
        path = ("forces", "stations", i, "location" if st.location else "id")
        yield from _location(loc, path, places, network)
    for path, inc in _all_incidents(s):
        yield from _location(inc.location, (*path, "location"), places, network)
    for i, inj in enumerate(s.injects):
        near = getattr(inj, "near", None)
        if near is not None:
            yield from _location(near, ("injects", i, "near"), places, network)
        road = getattr(inj, "road", None)
        if road is not None and len(network.edges_named(road)) == 0:
            yield Problem(("injects", i, "road"), f"no road named {road!r} in the network")


def _location(
    loc: Location, path: Path, places: Places, network: RoadNetwork
) -> Iterator[Problem]:
    if loc.place is not None:
        if places.get(loc.place) is None:
            yield Problem(path, f"unknown place {loc.place!r}; see `drillsim network --places`")
    elif loc.node is not None:
        if loc.node not in network.node_index:
            yield Problem(path, f"unknown network node {loc.node!r}")
    else:
        _, dist = network.nearest_node(loc.lat, loc.lon)
        if dist > MAX_SNAP_M:
            yield Problem(path, f"({loc.lat}, {loc.lon}) lies {dist / 1000:.1f} km from the "
                          "nearest road of the network: outside the drill area")
