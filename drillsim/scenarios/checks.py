"""Cross-reference checks of a drill that one field alone cannot make.

Each problem carries the path of the field at fault, so the loader can name the
line of the file. The checks that need the world (places, the road network) take
them as arguments; the rest need only the scenario.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from typing import TYPE_CHECKING, NamedTuple

from drillsim.scenarios.schema import (
    CallSurge,
    Location,
    NewIncident,
    Note,
    PumpStation,
    Scenario,
    StockChange,
    WindShift,
    shared_pairs,
)

if TYPE_CHECKING:
    from drillsim.network.graph import RoadNetwork
    from drillsim.network.places import Places

Path = tuple[str | int, ...]


MAX_CALLS = 5_000
"""Most calls one drill may bring (scripted, background over the drill with its largest
surge, and flood rescue calls). Hongqiao's fire service answers a few calls a day (China:
about 1.4 calls a year per 1,000 people); 5,000 is far beyond any day of the district and
keeps a run under about two minutes."""
MAX_GROUPS = 10_000
"""Most groups of displaced people moving to shelters in one drill."""


class Problem(NamedTuple):
    """One thing wrong with a drill file; ``warning`` ones do not stop it."""

    path: Path
    message: str
    warning: bool = False


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
    problems += _teams(scenario)
    problems += _relief(scenario)
    problems += _flood(scenario)
    problems += _workload(scenario)
    if network is not None and network.converted_from:
        problems.append(Problem(("network",), "the road network's coordinates were converted "
                                f"from {network.converted_from} to WGS84 longitude / latitude",
                                warning=True))
    if places is not None and network is not None:
        problems += _locations(scenario, places, network)
        problems += _areas(scenario, places)
        problems += _population(scenario, places, network)
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
        if not s.forces.has_plan(inc.plan_key):
            yield Problem((*path, "occupancy" if inc.kind == "fire" else "kind"),
                          f"no response plan for {inc.plan_key!r}; plans: {', '.join(plans)}")
    if s.background:
        for key in s.background.mix:
            if not s.forces.has_plan(key):
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


def _teams(s: Scenario) -> Iterator[Problem]:
    teams = {t.id: t for t in s.forces.teams}
    for i, team in enumerate(s.forces.teams):
        path = ("forces", "teams", i)
        for other in team.shared_members:
            if other not in teams or other == team.id:
                yield Problem((*path, "shared_members", other),
                              f"no other team {other!r}; teams: {', '.join(teams)}")
        shared = sum(n for key, n in shared_pairs(list(teams.values())).items()
                     if team.id in key and len(key) == 2)
        if shared > team.members:
            yield Problem((*path, "shared_members"),
                          f"shares {shared} people but has only {team.members} members")


def _relief(s: Scenario) -> Iterator[Problem]:
    kg = s.relief.item_kg
    for item in s.relief.ration:
        if item not in kg:
            yield Problem(("relief", "ration", item), f"no weight for {item!r} in relief.item_kg")
    depots = {d.id for d in s.forces.depots}
    ids = set(s.forces.unit_ids())
    for i, depot in enumerate(s.forces.depots):
        for item in depot.stock:
            if item not in kg:
                yield Problem(("forces", "depots", i, "stock", item),
                              f"unknown item {item!r}; items: {', '.join(kg)}")
        for j, truck in enumerate(depot.trucks):
            if truck.id in ids:
                yield Problem(("forces", "depots", i, "trucks", j, "id"),
                              f"id {truck.id!r} is used twice")
            ids.add(truck.id)
    for i, rep in enumerate(s.relief.replenishment):
        if rep.depot not in depots:
            yield Problem(("relief", "replenishment", i, "depot"),
                          f"unknown depot {rep.depot!r}; depots: {', '.join(depots)}")
        for item in rep.stock:
            if item not in kg:
                yield Problem(("relief", "replenishment", i, "stock", item),
                              f"unknown item {item!r}")
    for i, inj in enumerate(s.injects):
        if isinstance(inj, StockChange):
            if inj.depot not in depots:
                yield Problem(("injects", i, "depot"), f"unknown depot {inj.depot!r}")
            for item in inj.stock:
                if item not in kg:
                    yield Problem(("injects", i, "stock", item), f"unknown item {item!r}")


def _flood(s: Scenario) -> Iterator[Problem]:
    points = {p.id for p in s.flood.points} if s.flood else set()
    for i, inj in enumerate(s.injects):
        named = [(("point",), inj.point)] if isinstance(inj, PumpStation) else \
            [(("points", k), p) for k, p in enumerate(inj.points)] if isinstance(inj, Note) \
            else []
        for where, point in named:
            if point not in points:
                yield Problem(("injects", i, *where), f"no waterlogging point {point!r}"
                              + (f"; points: {', '.join(sorted(points))}" if points
                                 else " (the drill has no flood)"))
    for i, inj in enumerate(s.injects):
        if isinstance(inj, WindShift) and s.chemical is None:
            yield Problem(("injects", i, "kind"), "a wind shift needs a chemical release")
    if s.chemical is not None and "hazmat" not in s.forces.response_plans:
        yield Problem(("forces", "response_plans"), "a chemical drill needs a 'hazmat' plan")
    if s.flood is None:
        return
    if not s.flood.points:
        yield Problem(("flood", "points"), "a flood needs at least one waterlogging point")
    seen: set[str] = set()
    for i, p in enumerate(s.flood.points):
        if p.id in seen:
            yield Problem(("flood", "points", i, "id"), f"point id {p.id!r} is used twice")
        seen.add(p.id)
    if any(p.residents for p in s.flood.points) and not s.forces.shelters:
        yield Problem(("forces", "shelters"), "displaced residents need at least one shelter")
    if "flood_rescue" not in s.forces.response_plans:
        yield Problem(("forces", "response_plans"), "a flood drill needs a 'flood_rescue' plan")


def _workload(s: Scenario) -> Iterator[Problem]:
    """Calls and moving groups within what one drill can play (:data:`MAX_CALLS`,
    :data:`MAX_GROUPS`)."""
    background = 0.0
    if s.background is not None:
        surge = max((inj.factor for inj in s.injects if isinstance(inj, CallSurge)),
                    default=1.0)
        background = s.background.calls_per_day * s.duration / 86400.0 * max(1.0, surge)
    points = s.flood.points if s.flood is not None else []
    rescue = sum(-(-round(p.residents * p.trapped_share) // p.people_per_call) for p in points)
    calls = len(s.all_incidents()) + background + rescue
    if calls > MAX_CALLS:
        where: Path = ("background", "calls_per_day") if background >= rescue else (
            "flood", "points")
        yield Problem(where, (
            f"the drill would bring about {calls:,.0f} calls ({background:,.0f} background "
            f"calls over {s.duration / 3600:g} h with the largest call surge, {rescue:,} "
            f"flood rescue calls); one drill plays at most {MAX_CALLS:,}: lower calls_per_day, "
            "the surge factor, residents or trapped_share, or raise people_per_call"))
    if s.flood is not None:
        groups = sum(p.residents for p in points) / s.flood.group_size
        if groups > MAX_GROUPS:
            yield Problem(("flood", "group_size"), (
                f"{sum(p.residents for p in points):,} residents in groups of "
                f"{s.flood.group_size} make {groups:,.0f} groups; at most {MAX_GROUPS:,} move "
                "in one drill: raise group_size"))


def _all_incidents(s: Scenario) -> Iterator[tuple[Path, object]]:
    for i, inc in enumerate(s.incidents):
        yield ("incidents", i), inc
    for i, inj in enumerate(s.injects):
        if isinstance(inj, NewIncident):
            yield ("injects", i, "incident"), inj.incident


def located(s: Scenario) -> Iterator[tuple[Path, Location]]:
    """Every location of a drill (stations, incidents, teams, depots, shelters, flood
    points, the chemical site, road injects' ``near``) with its field path."""
    for i, st in enumerate(s.forces.stations):
        loc = st.location or Location(place=st.id)
        yield ("forces", "stations", i, "location" if st.location else "id"), loc
    for path, inc in _all_incidents(s):
        yield (*path, "location"), inc.location
    for kind in ("teams", "depots", "shelters"):
        for i, item in enumerate(getattr(s.forces, kind)):
            own = item.base if kind == "teams" else item.location
            yield (("forces", kind, i, ("base" if kind == "teams" else "location") if own
                    else "id"), own or Location(place=item.id))
            if kind == "teams" and item.assembled_at is not None:
                yield ("forces", kind, i, "assembled_at"), item.assembled_at
    if s.flood is not None:
        for i, p in enumerate(s.flood.points):
            yield ("flood", "points", i, "location"), p.location
    if s.chemical is not None:
        yield ("chemical", "site"), s.chemical.site
    for i, inj in enumerate(s.injects):
        near = getattr(inj, "near", None)
        if near is not None:
            yield ("injects", i, "near"), near


class Snap(NamedTuple):
    """A location played at a network node some distance away."""

    path: Path
    what: str
    node: str
    distance_m: float


def snaps(s: Scenario, places: Places, network: RoadNetwork,
          min_m: float | None = None) -> list[Snap]:
    """The drill's locations played at a node farther than ``min_m`` (m; default
    :data:`~drillsim.network.fit.SNAP_NOTE_M`), in file order, each once."""
    from drillsim.network.fit import SNAP_NOTE_M, drive_core

    min_m = SNAP_NOTE_M if min_m is None else min_m
    core = drive_core(network)
    out: dict[Path, Snap] = {}
    for path, loc in located(s):
        if loc.node is not None:
            continue
        if loc.place is not None:
            place = places.get(loc.place)
            if place is None:
                continue
            what, lat, lon = f"place {place.id!r} ({place.label})", place.lat, place.lon
        else:
            what, lat, lon = f"({loc.lat}, {loc.lon})", loc.lat, loc.lon
        node, dist = core.nearest(network, lat, lon)
        if dist > min_m:
            out.setdefault(path, Snap(path, what, network.node_ids[node], round(dist, 1)))
    return list(out.values())


def snap_record(s: Scenario, places: Places, network: RoadNetwork) -> list[dict[str, object]]:
    """:func:`snaps` as the run's manifest records them: ``where`` (the field, e.g.
    ``incidents[0].location``), ``what``, ``node`` and ``distance_m``."""
    from drillsim.scenarios.loader import dotted

    return [{"where": dotted(x.path), "what": x.what, "node": x.node,
             "distance_m": x.distance_m} for x in snaps(s, places, network)]


def snap_bound(s: Scenario) -> tuple[float, str]:
    """The farthest a coordinate of the drill may lie from its node, m, and where that
    bound comes from: the drill's ``snap_max_m``, its district's (``district.yaml``),
    else :data:`~drillsim.network.fit.SNAP_MAX_M`."""
    from drillsim.network.district import DistrictError, load_district
    from drillsim.network.fit import SNAP_MAX_M

    if s.snap_max_m is not None:
        return s.snap_max_m, "the drill's snap_max_m"
    try:
        district = load_district(s.district)
    except DistrictError:
        district = None
    if district is not None and district.snap_max_m is not None:
        return district.snap_max_m, f"snap_max_m of {district.name}'s district.yaml"
    return SNAP_MAX_M, "the default; a drill's or district.yaml's snap_max_m may raise it"


def _locations(s: Scenario, places: Places, network: RoadNetwork) -> Iterator[Problem]:
    bound = snap_bound(s)
    dropped = _dropped_roads(s)
    for path, loc in located(s):
        yield from _location(loc, path, places, network, bound, s.district, dropped, s.network)
    for i, item in enumerate(s.forces.shelters):
        if item.capacity is None:
            place = places.get(item.id)
            if place is None or "capacity" not in place.attrs:
                yield Problem(("forces", "shelters", i, "capacity"),
                              f"no capacity known for shelter {item.id!r}: give one")
    if s.flood is not None:
        for i, p in enumerate(s.flood.points):
            for road in p.roads or []:
                if len(network.edges_named(road)) == 0:
                    yield Problem(("flood", "points", i, "roads"),
                                  f"no road named {road!r} in the network"
                                  f"{_road_hint(network, road)}")
        yield from _incidents_on_points(s, places, network)
    for i, inj in enumerate(s.injects):
        road = getattr(inj, "road", None)
        if road is not None and len(network.edges_named(road)) == 0:
            yield Problem(("injects", i, "road"), f"no road named {road!r} in the network"
                          f"{_road_hint(network, road)}")


def _road_hint(network: RoadNetwork, road: str) -> str:
    """``"; did you mean '光荣道'?"`` for the closest road name, or ``""``."""
    close = close_road_names(network, road, 1)
    return f"; did you mean {close[0]!r}? (`drillsim district show --roads`)" if close else ""


def close_road_names(network: RoadNetwork, road: str, n: int = 3) -> list[str]:
    """Up to ``n`` road names of ``network`` (Chinese or English) closest to ``road``,
    closest first (``difflib`` ratio at least 0.65); ``[]`` when none is close."""
    names = sorted({n for n in (*network.edge_name, *network.edge_name_en) if n})
    return difflib.get_close_matches(road, names, n=n, cutoff=0.65)


def _population(s: Scenario, places: Places, network: RoadNetwork) -> Iterator[Problem]:
    """The people of the district on the drill's roads.

    A chemical drill counts people exposed and warned: it is refused where the district
    has no population on the drill's roads (a package without subdistricts, or
    Hongqiao's subdistricts with another city's road network), rather than counting
    nobody or spreading Hongqiao's residents over another city. Background calls
    follow the people (:mod:`drillsim.network.demand`); without them they are spread
    evenly over the roads, which the designer is told.
    """
    from drillsim.network.demand import ACTIVITY_KIND
    from drillsim.network.fit import SNAP_MAX_M, drive_core

    if s.chemical is None and s.background is None:
        return
    core = drive_core(network)
    subs = [p for p in places.of_kind("subdistrict") if float(p.attrs.get("population", 0)) > 0]
    if not subs:
        why = "the district has no population (no subdistricts with 'population')"
    elif all(core.nearest(network, p.lat, p.lon)[1] > SNAP_MAX_M for p in subs):
        why = (f"the district's subdistricts ({subs[0].label}, ...) lie far from this drill's "
               "road network, so their residents would be spread over another city")
    else:
        return
    fix = ("add the subdistricts and their residents to the district package's "
           "population.yaml, or play the drill in a district package of this network "
           "(docs/districts.md)")
    if s.chemical is not None:
        yield Problem(("chemical",), f"{why}: the chemical model could not count who is "
                      f"exposed or warned; {fix}")
    centres = [p for p in places.of_kind(ACTIVITY_KIND)
               if core.nearest(network, p.lat, p.lon)[1] <= SNAP_MAX_M]
    if s.background is not None and not centres:
        yield Problem(("background",), f"{why}: background calls are spread evenly over the "
                      f"roads instead of following where people live; {fix}", warning=True)


def _snap(loc: Location, places: Places, network: RoadNetwork) -> tuple[int, float] | None:
    """The node a location is played at and its distance, m (as the engine snaps it);
    ``None`` for an unknown place or node (reported by :func:`_location`)."""
    from drillsim.network.fit import drive_core

    if loc.node is not None:
        i = network.node_index.get(loc.node)
        return None if i is None else (i, 0.0)
    if loc.place is not None:
        place = places.get(loc.place)
        if place is None:
            return None
        lat, lon = place.lat, place.lon
    else:
        lat, lon = loc.lat, loc.lon
    return drive_core(network).nearest(network, lat, lon)


def _incidents_on_points(s: Scenario, places: Places, network: RoadNetwork
                         ) -> Iterator[Problem]:
    """A scripted incident other than a flood rescue may not be played at the node of a
    waterlogging point: the point floods every road into it (a fire in a flooded
    underpass is no plausible drill; engines could only work it from the water's edge)."""
    points = {}
    for p in s.flood.points:
        snapped = _snap(p.location, places, network)
        if snapped is not None:
            points.setdefault(snapped[0], p)
    for path, inc in _all_incidents(s):
        if inc.kind == "flood_rescue":
            continue
        snapped = _snap(inc.location, places, network)
        if snapped is None or snapped[0] not in points:
            continue
        node, dist = snapped
        p = points[node]
        name = f" ({p.name_en or p.name_zh})" if p.name_en or p.name_zh else ""
        yield Problem((*path, "location"), (
            f"the {inc.kind} is played at network node {network.node_ids[node]!r}, {dist:.0f} m "
            f"away, the node of waterlogging point {p.id!r}{name}, whose roads flood; a "
            f"{inc.kind} there is not plausible: move it off the point (only a flood_rescue "
            "may be there)"))


def _areas(s: Scenario, places: Places) -> Iterator[Problem]:
    """The subdistricts and communities named in ``chemical.protective_actions.areas``."""
    from drillsim.network.population import community_ids

    if s.chemical is None:
        return
    subs = [p.id for p in places.of_kind("subdistrict")]
    known = subs + community_ids(places)
    listed = [p.id for p in places.of_kind("community")]
    coms = (f"communities: {', '.join(listed)}" if listed else
            "communities are <subdistrict>_01, _02, ...")
    for i, a in enumerate(s.chemical.protective_actions.areas):
        if a.area not in known:
            close = difflib.get_close_matches(a.area, known, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            yield Problem(("chemical", "protective_actions", "areas", i, "area"),
                          f"unknown subdistrict or community {a.area!r}; {hint}subdistricts: "
                          f"{', '.join(subs)}; {coms} (see docs/scenario-format.md)")


def _location(loc: Location, path: Path, places: Places, network: RoadNetwork,
              bound: tuple[float, str], district: str,
              dropped: Dropped | None = None, network_file: str = "default"
              ) -> Iterator[Problem]:
    """Place ids, node ids and coordinates: known, near the network and in its core.

    A coordinate farther than ``bound`` (m, and where the bound comes from:
    :func:`snap_bound`) from its node is an error; a place of the district's catalogue
    farther than :data:`~drillsim.network.fit.SNAP_PLACE_MAX_M` (the package's positions,
    which ``drillsim district check`` reviews). Bounds and the core are explained in
    :mod:`drillsim.network.fit`. The messages name a road ``district new`` dropped
    (``dropped``) where the location lies on it, and where the drill is played
    (``district``, or the drill's own ``network_file``).
    """
    from drillsim.network.fit import SNAP_PLACE_MAX_M, drive_core

    core = drive_core(network)
    if loc.node is not None:
        i = network.node_index.get(loc.node)
        if i is None:
            yield Problem(path, f"unknown network node {loc.node!r}"
                          f"{_unknown_node_hint(loc.node, network, dropped)}")
        elif not core.mask[i]:
            near, dist = core.nearest(network, float(network.lat[i]), float(network.lon[i]))
            yield Problem(path, f"node {loc.node!r} is on a dead end or one-way fragment: "
                          f"units could not {_fragment_trouble(network, core, i)}; "
                          f"{_core_size(network, core)}; the nearest node they can use is "
                          f"{network.node_ids[near]!r}, {dist:.0f} m away")
        return
    if loc.place is not None:
        place = places.get(loc.place)
        if place is None:
            close = places.suggest(loc.place)
            hint = (f"did you mean {close.id!r} ({close.label})? " if close else "")
            yield Problem(path, f"unknown place {loc.place!r}"
                          f"{_hongqiao_place(loc.place, district)}; {hint}see `drillsim "
                          "district show --places` (ids, Chinese and English names); "
                          f"{_played_in(district, network_file)}")
            return
        what, lat, lon = f"place {place.id!r} ({place.label})", place.lat, place.lon
    else:
        what, lat, lon = f"({loc.lat}, {loc.lon})", loc.lat, loc.lon
    node, dist = core.nearest(network, lat, lon)
    plain, plain_dist = network.nearest_node(lat, lon)
    aside = ("" if plain == node else
             f" (node {network.node_ids[plain]!r}, {plain_dist:.0f} m away, is on a dead end "
             "or one-way fragment units could not use)")
    near = f"network node {network.node_ids[node]!r}"
    max_m, source = bound
    hint = _dropped_hint(dropped, lat, lon, min(dist, max_m if loc.place is None
                                                else core.warn_m))
    if loc.place is not None:
        if dist > SNAP_PLACE_MAX_M:
            yield Problem(path, f"{what} lies {_km(dist)} from the nearest usable {near}"
                          f"{aside}; more than {SNAP_PLACE_MAX_M:.0f} m is outside the "
                          f"drill's road network ({_played_in(district, network_file)}). On "
                          "another network give 'location: {lat: .., lon: ..}' or "
                          f"'location: {{node: ..}}'{hint}")
        elif dist > core.warn_m:
            yield Problem(path, f"{what} is played at {near}, {dist:.0f} m away, more than "
                          f"{core.warn_m:.0f} m{aside}; give 'node:' or closer coordinates if "
                          f"that is not the right road{hint}", warning=True)
        return
    if dist > max_m:
        as_is = ("" if network_file == "default" else
                 ", used as it is: an osmnx GraphML has nodes at junctions only (up to about "
                 "1 km apart); `drillsim district new NAME --graphml FILE` makes a district "
                 "package with a node every 50 m at most (docs/districts.md)")
        yield Problem(path, f"{what} lies {_km(dist)} from the nearest usable {near}{aside}; "
                      f"more than {max_m:.0f} m ({source}): give the coordinates of the place "
                      f"itself (WGS84), or 'node:'; {_played_in(district, network_file)}"
                      f"{as_is}{hint}")


class Dropped(NamedTuple):
    """The roads ``district new`` left out of a drill's network, and the file listing them."""

    roads: list
    file: Path


def _dropped_roads(s: Scenario) -> Dropped | None:
    """The dropped roads of the drill's district package (``dropped.csv``); ``None`` when
    it has none or the drill plays on a network of its own."""
    from drillsim.network.district import DistrictError, load_district
    from drillsim.network.package_roads import read_dropped

    if s.network != "default":
        return None
    try:
        d = load_district(s.district)
    except DistrictError:
        return None
    if d.dropped is None:
        return None
    try:
        return Dropped(read_dropped(d.dropped), d.dropped)
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def _dropped_hint(dropped: Dropped | None, lat: float, lon: float, within_m: float) -> str:
    """``"; 天塔道 (one-way fragment: ...), 12 m away, was dropped by ..."`` when a dropped
    road lies nearer than ``within_m`` (m), else ``""``."""
    from drillsim.network.package_roads import nearest_dropped

    found = nearest_dropped(dropped.roads, lat, lon) if dropped else None
    if found is None or found[1] >= within_m:
        return ""
    road, dist = found
    return (f"; {road.label} ({road.reason}), {dist:.0f} m away, was dropped by "
            f"`drillsim district new` (see {dropped.file})")


def _unknown_node_hint(node: str, network: RoadNetwork, dropped: Dropped | None) -> str:
    """Why a ``node:`` is unknown and what to write: a node ``district new`` dropped (its
    road and why), an index as events.csv shows it (the id of that node), the nearest
    matching ids, and where to list them all."""
    hints = []
    for road in dropped.roads if dropped else []:
        if node in road.nodes:
            hints.append(f"it was dropped by `drillsim district new` with {road.label} "
                         f"({road.reason}; see {dropped.file})")
            break
    if node.isdigit() and int(node) < network.n_nodes:
        i = int(node)
        roads = " × ".join(zh or en for zh, en in network.roads_at(i))
        hints.append(f"{node} is the index (events.csv's `node` column) of node "
                     f"{network.node_ids[i]!r}{f' ({roads})' if roads else ''}: write "
                     f"'node: {network.node_ids[i]}' to mean that one")
    close = [] if len(hints) else difflib.get_close_matches(node, network.node_ids, n=3,
                                                             cutoff=0.6)
    if close:
        hints.append(f"did you mean {', '.join(repr(c) for c in close)}?")
    hints.append("`drillsim district show --nodes` lists the node ids with the roads that "
                 "meet there")
    return "; " + "; ".join(hints)


def _played_in(district: str, network_file: str = "default") -> str:
    """Which district a drill is played in, for messages about its places: the default
    Hongqiao one is named as the default, with how to select another; a drill on a road
    network file of its own (``network_file``) is played on that file, as it is."""
    from drillsim.network.district import DEFAULT_DISTRICT, DistrictError, load_district

    if network_file != "default":
        return f"the drill is played on its own road network {network_file}"
    if district == DEFAULT_DISTRICT:
        return ("the drill is played in the Hongqiao district (红桥区, Tianjin), the default; "
                "'district: PATH' selects another package")
    try:
        d = load_district(district)
    except DistrictError:
        return f"the drill is played in district {district!r}"
    return f"the drill is played in district {d.name!r} ({d.label}, {d.folder})"


def _hongqiao_place(place_id: str, district: str) -> str:
    """`` (it is a place of the Hongqiao district)`` when ``place_id`` is one of the
    embedded Hongqiao catalogue and the drill is played elsewhere, else ``""``."""
    from drillsim.network.district import DEFAULT_DISTRICT
    from drillsim.network.graphml import load_places

    if district == DEFAULT_DISTRICT or load_places(DEFAULT_DISTRICT).get(place_id) is None:
        return ""
    return f" ({place_id!r} is a place of the Hongqiao district, 红桥区, not of this one)"


def _km(dist_m: float) -> str:
    return f"{dist_m:.0f} m" if dist_m < 10_000 else f"{dist_m / 1000:,.1f} km"


def _core_size(network: RoadNetwork, core) -> str:
    return (f"{core.nodes.size} of {network.n_nodes} nodes can reach each other both ways")


def _fragment_trouble(network: RoadNetwork, core, i: int) -> str:
    """What goes wrong at a node outside the core: getting there, getting back, or both."""
    from drillsim.network.fit import reach_core

    to_core, from_core = reach_core(network, core, i)
    if to_core and not from_core:
        return "reach it from the stations"
    if from_core and not to_core:
        return "drive back from it"
    return "reach it or drive back from it"
