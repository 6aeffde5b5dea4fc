"""A hazardous-chemical release played forward: plume, threat zones, roads, people, hazmat crews.

Every ``chemical.step`` the model recomputes the ground-level threat zones
(concentration above AEGL-3, -2 and -1 at the exposure duration) of a steady
Gaussian plume (:mod:`drillsim.hazards.plume`) for the weather then in force,
with the release's start and stop travelling downwind at the wind speed: a place
``x`` metres downwind is in the plume from ``start + x/u`` until ``stop + x/u``
(a steady plume cut into a moving slug; wind shifts turn the whole plume at once,
a simplification stated in the output). The hot zone (the initial isolation
circle and the AEGL-3 zone) is closed to all traffic; responders stage at the
nearest node outside it and upwind; hazmat-capable crews put on protective gear,
walk in and work at the source until the leak stops. People in zones ordered to
evacuate go to shelters outside every zone; people told to shelter in place are
exposed only where the indoor concentration (``indoor_factor`` × outdoor) still
exceeds a level.

The order takes effect for each person only once it has reached them: it goes out on
the public warning's channels (:mod:`drillsim.hazards.warning`; the district's default
channels when the drill has no ``warning:`` section) from the order or the warning
decision, whichever is later, as they reach people at that hour (at night fewer at once,
sleepers reached by a message on getting up), and people act :data:`REACTION_S` after
being reached. With the district's defaults door to door is not district-wide: the grid
workers of the communities the ordered area touches visit its households only, round
after round (:class:`~drillsim.hazards.warning.DoorToDoor`; a knock wakes people). In a
cell ordered out at ``t0`` the share gone at ``t`` is the coverage of the channels and
of the cell's door-to-door round at ``t − t0 − REACTION_S``; those never reached stay
(and stay exposed). A
shelter inside a threat zone is closed to evacuees (:mod:`drillsim.agents.shelters`);
people waiting outdoors at a shelter inside a zone count as exposed at the outdoor
concentration.

As a :class:`~drillsim.agents.hazard.Hazard` (``"chemical"``) the model also orders the
protective actions and mobilises the teams when the decision is taken, handles the
wind-shift inject, sends the first hazmat-capable crew at the staging point in, and
reopens the cordon at the end.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping
from typing import TYPE_CHECKING, Literal, TypeVar

import numpy as np

from drillsim.agents.hazard import Hazard, InjectHandler, call_at
from drillsim.agents.teams import mobilise_teams
from drillsim.hazards import chemical_zones as rules
from drillsim.hazards.chemical_zones import LEVELS
from drillsim.hazards.plume import (
    CHEMICALS,
    ModelLimit,
    downwind_crosswind,
    stability_class,
)
from drillsim.hazards.warning import (
    DOOR_TO_DOOR,
    PERSONS_PER_HOUSEHOLD,
    Channel,
    DoorToDoor,
    coverage,
    coverage_steady_s,
    order_channels,
    ramp_share,
    ramp_steady_s,
)
from drillsim.scenarios.schema import ChemicalRelease, Incident, Location, Scenario, WindShift

if TYPE_CHECKING:
    from drillsim.agents.hazard import DrillContext
    from drillsim.agents.incident import IncidentState
    from drillsim.agents.units import Unit

WALK_IN_SUIT_M_S = 0.8
"""Walking speed of a crew in gas-tight suits from the staging point to the source, m/s
(assumption)."""

REACTION_S = 600.0
"""From being reached by the order to acting on it (leaving home, or going indoors and
shutting windows), s. ASSUMPTION, labelled as such in the report: warning research
(Mileti & Sorensen 1990) separates hearing from understanding, believing and acting
but gives no single delay for a chemical-release order; 10 minutes to gather family
and documents is a planning figure, not a measured one."""

CORDONED = ["car", "truck", "high_clearance", "fire_engine"]
"""Vehicles kept out of the hot zone; people on foot may still walk out of it."""


T = TypeVar("T")


def _same(kept: tuple, key: tuple) -> bool:
    """Whether two keys of :meth:`ChemicalModel._kept` hold the same: element by element
    the same object (arrays compare by identity, a tuple element by element), or equal."""
    if len(kept) != len(key):
        return False
    for a, b in zip(kept, key, strict=True):
        if a is b:
            continue
        if isinstance(a, tuple) and isinstance(b, tuple):
            if not _same(a, b):
                return False
        elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray) or isinstance(a, dict) \
                or a != b:
            return False
    return True


class ChemicalModel(Hazard):
    """Plume, zones, closures, protective actions and the hazmat response for one drill."""

    name = "chemical"

    @classmethod
    def build(cls, drill: DrillContext, scenario: Scenario) -> ChemicalModel | None:
        """The chemical release of the scenario, or ``None`` when it has none."""
        return cls(drill, scenario.chemical) if scenario.chemical is not None else None

    def handlers(self) -> Mapping[type, InjectHandler]:
        return {WindShift: lambda inj: self.wind_shift(inj.wind_from_deg, inj.wind_speed_m_s)}

    def restore(self) -> None:
        """Reopen the cordon (arcs closed to vehicles now) to every vehicle class."""
        if self.closed.size:
            self.drill.world.travel.reopen(self.closed, None)

    def on_unit_arrived(self, unit: Unit, inc: IncidentState) -> None:
        """A unit at the staging point of the release's hazmat incident."""
        if inc.spec.kind == "hazmat":
            self.unit_arrived(unit, inc)

    def __init__(self, drill: DrillContext, spec: ChemicalRelease) -> None:
        self.drill = drill
        self.spec = spec
        self.chem = CHEMICALS[spec.chemical]
        net = drill.world.network
        self.source = drill.world.node_of(spec.site)
        self.src_lat, self.src_lon = float(net.lat[self.source]), float(net.lon[self.source])
        self.grid = drill.world.population.near_source(self.src_lat, self.src_lon)
        self.remaining = self.grid.people.copy()  # people still at home, per cell
        self.t_start = spec.at
        self.t_stop = rules.container_empty_at(spec)
        self.masks = {lvl: np.zeros(net.n_nodes, dtype=bool) for lvl in LEVELS}
        self.cells = {lvl: np.zeros(self.grid.lat.size, dtype=bool) for lvl in LEVELS}
        self.closed = np.zeros(0, dtype=np.int64)
        self.order_time: float | None = None
        self.order_day: bool | None = None  # ERG day/night distance, chosen at the order
        self.zone_order = False  # the zones' order is given (:meth:`order`)
        self.ordered: dict[int, str] = {}
        self.incident: Incident | None = None
        self.source_worked = False
        self.override: tuple[float, float, float | None] | None = None
        self._weather_memo: tuple[float, tuple | None, tuple[float, float, str]] | None = None
        """(drill time, s, the override then, :meth:`weather_at` then): the last answer."""
        self._isolation_m: float | None = None  # :meth:`isolation_m`, once asked
        self._roads: tuple[tuple[float, float, str], rules.RoadPoints, np.ndarray] | None = None
        """(weather, points along the arcs the hot zone can reach, their distance from the
        source, m)."""
        self._plume_cache: dict[tuple[str, float], tuple] = {}
        """(points, factor) -> (weather, number of points, the points in the plume (index),
        their downwind distance x, m, and mask per level among them)."""
        self._slug: dict[tuple[str, float], tuple] = {}
        """(points, factor) -> (the plume cache entry, the leak's stop, s, and from, before
        and through when (s, :func:`~drillsim.hazards.chemical_zones.slug_holds`) the points
        in the plume reached by the slug are these, a mask of them): :meth:`_zones`."""
        self._kept_values: dict[Hashable, tuple[tuple, object]] = {}
        """Name -> (key, value) of :meth:`_kept`."""
        self.area_cells = {a: np.zeros(self.grid.lat.size, dtype=bool)
                           for a in ("evacuate", "shelter_in_place")}
        for area in spec.protective_actions.areas:
            self.area_cells[area.action] |= self.grid.cells_of(area.area)
        warning = drill.scenario.warning
        # set by the order, at its hour: the channels reaching everyone at once, and door
        # to door in the ordered area only (None: the drill's own channels carry the order)
        self.broadcast: list[Channel] = []
        self.door: DoorToDoor | None = None
        # drill time when the door-to-door evacuation rounds, and all rounds, are done, s
        self.door_end = {"evacuate": -np.inf, "shelter_in_place": -np.inf}
        self.door_communities: set[int] = set()  # communities the order has touched
        self.warning_decided = warning.issued_at if warning is not None else None
        n_cells = self.grid.lat.size
        self.evac_from = np.full(n_cells, np.inf)  # when each cell's evacuation order went out
        self.evac_base = np.zeros(n_cells)  # people at home then
        self.evac_gone = np.zeros(n_cells)  # of whom gone so far
        self.sip_from = np.full(n_cells, np.inf)  # when each cell's shelter order went out
        # each ordered cell's door-to-door round: first visit and ramp (s after its order)
        # and reach at the hour of the first visit (0-1)
        self.evac_door = (np.zeros(n_cells), np.zeros(n_cells), np.zeros(n_cells))
        self.sip_door = (np.zeros(n_cells), np.zeros(n_cells), np.zeros(n_cells))
        self._carry = np.zeros(net.n_nodes)  # per node: people on their way out, not yet whole
        self._left = 0  # steps in which people left home (``remaining`` changed)
        self._groups: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}
        """Per array of order times (by id): :meth:`_told_groups`."""
        self._rows: dict[int, tuple[np.ndarray, dict[tuple, int]]] = {}
        """Per array of order times (by id): each cell's row (-1: not told) and the rows
        (since, first visit, ramp, reach), in the order first met, of :meth:`_told_groups`."""
        self._acted_memo: dict[int, tuple[tuple, float, np.ndarray]] = {}
        """Per array of order times (by id): (its groups, drill time until which the shares
        hold, s, the shares per told cell) of :meth:`_acted_told`."""
        self.staged: dict[str, tuple[Unit, IncidentState]] = {}  # units at the staging point
        self.caught: set[str] = set()  # units already counted in responder_exposed
        self.shelter_lat, self.shelter_lon = self._shelter_points()
        self._dist = {
            "nodes": rules.distance_m(net.lat, net.lon, self.src_lat, self.src_lon),
            "cells": rules.distance_m(self.grid.lat, self.grid.lon, self.src_lat, self.src_lon),
            "shelters": rules.distance_m(self.shelter_lat, self.shelter_lon, self.src_lat,
                                         self.src_lon)}
        """Distance from the source of the road nodes, population cells and shelters, m."""
        self._cell_axes: tuple[float, tuple[np.ndarray, np.ndarray]] | None = None
        """(wind-from direction, deg; population cells' downwind and crosswind, m)."""

    # ------------------------------------------------------------------ weather and plume

    def weather_at(self, t: float) -> tuple[float, float, str]:
        """Wind speed (m/s), wind-from direction (deg) and stability class in force at ``t``."""
        memo = self._weather_memo
        if memo is not None and memo[0] == t and memo[1] is self.override:
            return memo[2]
        step = [w for w in self.spec.weather if w.at <= t] or [self.spec.weather[0]]
        w = step[-1]
        speed, direction = w.wind_speed_m_s, w.wind_from_deg
        if self.override is not None and self.override[0] >= w.at and self.override[0] <= t:
            direction = self.override[1]
            speed = self.override[2] or speed
        cls = w.stability or stability_class(speed, day=self.drill.is_day(t),
                                             cloud_eighths=w.cloud_eighths)
        self._weather_memo = (t, self.override, (speed, direction, cls))
        return speed, direction, cls

    def wind_shift(self, wind_from_deg: float, wind_speed_m_s: float | None) -> None:
        """An inject turns the wind from now on."""
        self.override = (self.drill.env.now, wind_from_deg, wind_speed_m_s)
        self.drill.log("wind_shift", place=self.spec.id,
                       wind_from_deg=float(wind_from_deg))
        self._update()

    def _shelter_points(self) -> tuple[np.ndarray, np.ndarray]:
        """Where each shelter is (its place, else its road node), in ``drill.shelters``
        order, degrees."""
        shelters = self.drill.shelters
        net = self.drill.world.network
        lat, lon = [], []
        for s in (shelters.by_id.values() if shelters is not None else ()):
            place = self.drill.world.places.get(s.id) if s.spec.location is None else None
            lat.append(place.lat if place is not None else float(net.lat[s.node]))
            lon.append(place.lon if place is not None else float(net.lon[s.node]))
        return np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)

    def _road_points(self) -> tuple[rules.RoadPoints, np.ndarray]:
        """Points along the arcs the hot zone can reach in the weather now and their
        distance from the source, m (kept until the weather changes): an arc closes when one
        of them is in the hot zone."""
        u, wind_from, cls = self.weather_at(self.drill.env.now)
        if self._roads is None or self._roads[0] != (u, wind_from, cls):
            net = self.drill.world.network
            road = rules.road_points(
                net.lat, net.lon, net.edge_u, net.edge_v, src_lat=self.src_lat,
                src_lon=self.src_lon, reach_m=rules.hot_reach_m(self.spec, u, cls))
            self._roads = ((u, wind_from, cls), road,
                           rules.distance_m(road.lat, road.lon, self.src_lat, self.src_lon))
        return self._roads[1], self._roads[2]

    def _zones(self, t: float, points: Literal["nodes", "cells", "shelters", "roads"],
               factor: float = 1.0
               ) -> dict[int, np.ndarray]:
        """Road nodes or population cells above each AEGL level (÷ ``factor``) at time
        ``t``, the slug moving downwind. The plume is evaluated once per point set and
        weather (kept until the weather changes), the slug only at the points in the plume
        and only when one of them may have been reached or passed since the last time; the
        same arrays (not to be written to) while no point enters or leaves a zone."""
        u, wind_from, cls = self.weather_at(t)
        weather = (u, wind_from, cls)
        cached = self._plume_cache.get((points, factor))
        if cached is None or cached[0] != weather:
            if points == "nodes":
                lat, lon = self.drill.world.network.lat, self.drill.world.network.lon
            elif points == "shelters":
                lat, lon = self.shelter_lat, self.shelter_lon
            elif points == "roads":
                road = self._road_points()[0]
                lat, lon = road.lat, road.lon
            else:
                lat, lon = self.grid.lat, self.grid.lon
            both = rules.zone_masks_by_level(
                self.spec, lat, lon, src_lat=self.src_lat, src_lon=self.src_lon,
                wind_from_deg=wind_from, u_m_s=u, cls=cls, levels=LEVELS, factor=factor)
            masks = {lvl: rules.driving_mask(both[lvl]) for lvl in LEVELS}
            idx = np.flatnonzero(np.logical_or.reduce(list(masks.values())))
            x, _ = downwind_crosswind(lat[idx], lon[idx], self.src_lat, self.src_lon,
                                      wind_from)
            cached = (weather, np.size(lat), idx, x, {lvl: masks[lvl][idx] for lvl in LEVELS})
            self._plume_cache[(points, factor)] = cached
        _, n, idx, x, masks = cached
        stop = min(self.t_stop, self.stop_time())
        slug = self._slug.get((points, factor))
        if slug is None or slug[0] is not cached or slug[1] != stop \
                or not (slug[2] <= t < slug[3] and t <= slug[4]):
            slug = (cached, stop, t, *rules.slug_holds(t, x, self.t_start, stop, u),
                    rules.in_slug(t, x, self.t_start, stop, u))
            self._slug[(points, factor)] = slug
        reached = slug[5]

        def spread() -> dict[int, np.ndarray]:
            out = {}
            for lvl in LEVELS:
                out[lvl] = np.zeros(n, dtype=bool)
                out[lvl][idx] = masks[lvl] & reached
            return out

        return self._kept(("zones", points, factor), (cached, reached.tobytes()), spread)

    def _kept(self, name: Hashable, key: tuple, make: Callable[[], T]) -> T:
        """``make()``, kept while ``key`` holds: the same object again as long as every
        element of ``key`` is the one (arrays, tuples of them) or equals the one (other
        values) given with the last call of that ``name``."""
        hit = self._kept_values.get(name)
        if hit is not None and _same(hit[0], key):
            return hit[1]
        value = make()
        self._kept_values[name] = (key, value)
        return value

    def stop_time(self) -> float:
        """When the leak stops: source control, or the container empty."""
        return self._controlled_at if self.source_worked else self.t_stop

    def isolation_m(self) -> float:
        """Initial isolation radius (:func:`drillsim.hazards.chemical_zones.isolation_m`), m."""
        if self._isolation_m is None:
            self._isolation_m = rules.isolation_m(self.spec)
        return self._isolation_m

    # ------------------------------------------------------------------ the process

    def start(self) -> None:
        """The release; its call, the protective-action order and the teams follow."""
        self.drill.env.process(self._run())

    def _run(self):
        drill, env, spec = self.drill, self.drill.env, self.spec
        yield env.timeout(max(spec.at - env.now, 0.0))
        u, wind_from, cls = self.weather_at(env.now)
        drill.log("release_start", node=self.source, place=spec.id,
                  chemical=spec.chemical, rate_kg_min=float(spec.release.rate_kg_min),
                  wind_m_s=float(u), wind_from_deg=float(wind_from), stability=cls)
        if drill.shelters is not None:
            drill.shelters.start_clock()
        self._update()
        for lim in self.limits(u, cls):
            extra = {"stability": lim.stability} if lim.stability else {}
            drill.log("model_limit", place=spec.id, text=lim.text, limit=lim.key,
                      values=dict(lim.values), **extra)
        env.process(self._call())
        env.process(self._container_empties())
        while True:
            yield env.timeout(spec.step)
            self._update()

    def _call(self):
        """After the detection delay the hazmat call reaches the command centre: the
        incident starts (its units go to the staging point chosen now), and
        ``decided_after`` later the protective-action order is given and the teams are
        activated."""
        drill, env, spec = self.drill, self.drill.env, self.spec
        yield env.timeout(spec.detection_delay.sample(drill.streams[f"chemical/{spec.id}/call"]))
        self.incident = Incident(
            id=spec.incident_id, kind="hazmat",
            location=Location(node=drill.world.network.node_ids[self.staging()]),
            at=env.now, text=f"{self.chem.name_en} release")
        drill.start_incident(self.incident)
        order_at = env.now + spec.protective_actions.decided_after
        env.process(call_at(drill, order_at, self.order))
        mobilise_teams(drill, order_at)

    def limits(self, u: float, cls: str) -> list[ModelLimit]:
        """The model's limits for this release, as ALOHA states them (see the module)."""
        from drillsim.hazards.plume import dense_gas_warning, model_warnings

        net = self.drill.world.network
        staging = self.staging()
        x, y = downwind_crosswind(net.lat[staging], net.lon[staging], self.src_lat,
                                  self.src_lon, 0.0)
        duration = rules.release_duration_s(self.spec) / 60.0
        out = list(model_warnings(u, cls, float(np.hypot(x, y)), duration))
        dense = dense_gas_warning(self.chem)
        return out + ([dense] if dense else [])

    def _update(self) -> None:
        drill = self.drill
        now = drill.env.now
        self.masks = self._zones(now, "nodes")
        self.cells = self._zones(now, "cells")
        iso = self.isolation_m()
        hot_nodes = self._kept("hot_nodes", (self.masks[3], iso), lambda: int(rules.hot_zone(
            self._dist["nodes"], self.masks[3], iso).sum()))
        road, road_dist = self._road_points()
        road_hot = self._zones(now, "roads")[3]
        edges = self._kept("hot_arcs", (road, road_hot, iso), lambda: rules.hot_arcs(
            road, rules.hot_zone(road_dist, road_hot, iso)))
        if edges is self.closed or np.array_equal(edges, self.closed):  # the usual step
            reopen = close = edges[:0]
        else:
            reopen = np.setdiff1d(self.closed, edges)
            close = np.setdiff1d(edges, self.closed)
        if reopen.size:
            drill.world.travel.reopen(reopen, CORDONED)
        if close.size:
            drill.world.travel.close(close, CORDONED)
        self.closed = edges
        if drill.shelters is not None:
            drill.shelters.set_blocked(self._shelters_in_zone())
        if self.order_time is not None:
            self._protect()
        self._catch_staged()
        exposed = self._exposed()
        u, wind_from, cls = self.weather_at(now)
        nodes = self._kept("zone_nodes", (self.masks,), lambda: {
            lvl: int(self.masks[lvl].sum()) for lvl in LEVELS})
        drill.log("plume", place=self.spec.id, wind_from_deg=float(wind_from), u_m_s=float(u),
                  stability=cls,
                  **{f"aegl{lvl}_nodes": nodes[lvl] for lvl in LEVELS},
                  **{f"aegl{lvl}_people": float(round(exposed[lvl])) for lvl in LEVELS},
                  hot_nodes=hot_nodes)
        if close.size or reopen.size:
            drill.network_changed()

    def _shelters_in_zone(self, level: int = 1) -> set[str]:
        """Shelters whose place or road node lies in the zone of ``level`` (or above) now,
        or in the hot zone."""
        shelters = self.drill.shelters
        at_zone = self._zones(self.drill.env.now, "shelters")[level]
        iso = self.isolation_m()

        def blocked() -> set[str]:
            at_point = at_zone | self._near_source(iso, "shelters")
            at_node = self.masks[level] | self._near_source(iso)
            return {s.id for i, s in enumerate(shelters.by_id.values())
                    if at_point[i] or at_node[s.node]}

        return set(self._kept(("shelters_in_zone", level), (at_zone, self.masks[level], iso),
                              blocked))

    def _near_source(self, radius_m: float,
                     points: Literal["nodes", "cells", "shelters"] = "nodes") -> np.ndarray:
        """Road nodes, population cells or shelters within ``radius_m`` (m) of the source
        (the same array, not to be written to, for the same radius)."""
        return self._kept(("near_source", points), (radius_m,),
                          lambda: self._dist[points] <= radius_m)

    def staging(self) -> int:
        """Nearest node outside the hot zone and the AEGL-2 zone, upwind preferred."""
        net = self.drill.world.network
        _, wind_from, _ = self.weather_at(self.drill.env.now)
        x, y = downwind_crosswind(net.lat, net.lon, self.src_lat, self.src_lon, wind_from)
        dist = np.hypot(x, y)
        bad = self._near_source(self.isolation_m()) | self.masks[3] | self.masks[2]
        cost = np.where(x > 0, dist * 3.0, dist)
        cost[bad] = np.inf
        return int(np.argmin(cost))

    # ------------------------------------------------------------------ people

    def order(self) -> None:
        """The protective-action order: evacuate or shelter in place, zone by zone; it
        goes out on the warning channels from :meth:`told_from` (those chosen by a
        player's earlier order for named areas, :meth:`order_areas`, if any)."""
        self._open_channels()
        self.order_day = self.drill.is_day(self.drill.env.now)
        self.zone_order = True
        actions = self.spec.protective_actions
        self.ordered = {3: actions.aegl3, 2: actions.aegl2, 1: actions.aegl1}
        self.drill.log("protective_action", place=self.spec.id,
                       **{f"action_aegl{lvl}": a for lvl, a in self.ordered.items()},
                       action_downwind=actions.downwind,
                       downwind_m=float(round(self.downwind_m())),
                       isolation_m=float(round(self.isolation_m())),
                       told_from=round(float(self.told_from()), 3),
                       channels=[c.name for c in self.broadcast]
                       + ([DOOR_TO_DOOR] if self.door is not None else []),
                       reaction_s=float(REACTION_S))
        if self.drill.shelters is not None:
            self.drill.shelters.order_open()
        self._protect()

    def _open_channels(self) -> None:
        """The first order (the zones' or a player's for named areas) sets the time of
        the order and the channels that carry it, at the hour it goes out; a later order
        goes out on the same channels."""
        if self.order_time is not None:
            return
        self.order_time = self.drill.env.now
        warning = self.drill.scenario.warning
        self.broadcast, self.door = order_channels(
            warning.channels if warning is not None else None,
            self.drill.clock_seconds(self.told_from()))

    def order_areas(self, areas: list[str], action: Literal["evacuate", "shelter_in_place"]
                    ) -> None:
        """A player orders ``action`` now for the named subdistricts or communities (ids of
        :meth:`~drillsim.network.population.PopulationGrid.cells_of`): their cells join the
        order's named areas, as ``protective_actions.areas`` of a drill file do, recorded
        ``area_order``. The order goes out on the warning channels from :meth:`told_from`
        (the first order chooses them: :meth:`_open_channels`) and people act on it as on
        the zones' order (:meth:`_protect`); an evacuation orders the shelters open. The
        zones' own order (isolation circle, AEGL zones, ERG square) still comes at its
        time (``decided_after``) unless given before."""
        self._open_channels()
        cells = np.logical_or.reduce([self.grid.cells_of(a) for a in areas])
        self.area_cells[action] = self.area_cells[action] | cells
        self.drill.log("area_order", place=self.spec.id, action=action, areas=list(areas),
                       people=float(round(self.remaining[cells].sum())),
                       told_from=round(float(self.told_from()), 3))
        if action == "evacuate" and self.drill.shelters is not None:
            self.drill.shelters.order_open()
        self._protect()

    def told_from(self) -> float:
        """Drill time from which an order given now goes out on the channels: now, or the
        public warning's decision if that comes later, s."""
        now = self.drill.env.now
        return max(now, self.warning_decided) if self.warning_decided is not None else now

    def _acted_told(self, since: np.ndarray, door: tuple[np.ndarray, np.ndarray, np.ndarray]
                    ) -> tuple[np.ndarray, np.ndarray]:
        """The cells told (finite ``since``, s; index, ascending) and the share of their
        people who have acted by now: the channels' coverage ``REACTION_S`` earlier, door to
        door by each cell's own round (``door``: first visit and ramp per cell, s after
        ``since``, and reach). The same arrays (not to be written to) while the shares
        hold."""
        now = self.drill.env.now
        groups = self._told_groups(since, door)
        memo = self._acted_memo.get(id(since))
        if memo is not None and memo[0] is groups and now < memo[1]:
            return groups[0], memo[2]
        told, rows, inverse = groups
        share = np.zeros(told.size)
        steady = np.inf
        if rows.size:
            t = now - rows[:, 0] - REACTION_S
            missed = 1.0 - coverage(self.broadcast, t)
            steady = coverage_steady_s(self.broadcast, t)
            if self.door is not None:
                missed = missed * (1.0 - rows[:, 3] * ramp_share(t, rows[:, 1], rows[:, 2]))
                steady = min(steady, ramp_steady_s(t, rows[:, 1], rows[:, 2]))
            share = (1.0 - missed)[inverse]
        # every ramp before its delay or at full reach: the same shares until the first
        # delay (1 ms short of it, clear of rounding)
        self._acted_memo[id(since)] = (groups, now + steady - 1e-3, share)
        return told, share

    def _told_groups(self, since: np.ndarray, door: tuple[np.ndarray, np.ndarray, np.ndarray]
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The cells told (finite ``since``; index, ascending), the distinct rows (since,
        first visit, ramp, reach) among them and each told cell's row: cells told at one
        time share one round, so :meth:`_acted_told` evaluates the channels once per row,
        not per cell (the same element-wise arithmetic). The same tuple until an order
        tells more cells (:meth:`_order_cells` forgets it); a told cell's row never changes,
        so only the newly told cells are grouped then."""
        cached = self._groups.get(id(since))
        if cached is not None:
            return cached
        row_of, rows = self._rows.setdefault(id(since), (np.full(since.size, -1), {}))
        new = np.flatnonzero(np.isfinite(since) & (row_of < 0))
        if new.size:
            distinct, inverse = np.unique(
                np.stack([since[new], door[0][new], door[1][new], door[2][new]], axis=1),
                axis=0, return_inverse=True)
            ids = [rows.setdefault(tuple(r), len(rows)) for r in distinct.tolist()]
            row_of[new] = np.asarray(ids)[inverse.reshape(-1)]
        told = np.flatnonzero(row_of >= 0)
        cached = (told, np.array(list(rows), dtype=float).reshape(-1, 4), row_of[told])
        self._groups[id(since)] = cached
        return cached

    def _door_rounds(self, evac: np.ndarray, sip: np.ndarray) -> None:
        """Queue the door-to-door rounds of cells newly ordered out (``evac``) and newly
        told to shelter (``sip``), by the staff of every community the order has touched so
        far (:class:`~drillsim.hazards.warning.DoorToDoor`); logs each round. Evacuation
        comes first: an evacuation round waits only for earlier evacuation rounds, a
        shelter round for every earlier round (shelter rounds already planned are not
        pushed back by a later evacuation round: optimistic for them)."""
        if self.door is None or not (evac.any() or sip.any()):
            return
        since = self.told_from()
        coms = self.grid.community[evac | sip]
        self.door_communities |= {int(c) for c in coms[coms >= 0]}
        n_coms = len(self.door_communities)
        for action, cells, arrays in (("evacuate", evac, self.evac_door),
                                      ("shelter_in_place", sip, self.sip_door)):
            if not cells.any():
                continue
            start = max(self.door_end[action], since + self.door.delay_s)  # drill time, s
            households = float(self.remaining[cells].sum()) / PERSONS_PER_HOUSEHOLD
            rnd = self.door.round(households, n_coms, start - since,
                                  self.drill.clock_seconds(since))
            arrays[0][cells] = rnd.delay_s
            arrays[1][cells] = rnd.ramp_s
            arrays[2][cells] = rnd.reach
            self.drill.log("door_to_door", place=self.spec.id, action=action,
                           households=float(round(households)),
                           staff=float(self.door.staff(n_coms)), communities=n_coms,
                           first_visit=round(float(start), 3),
                           ramp_s=round(float(rnd.ramp_s), 3))
            end = start + rnd.ramp_s
            self.door_end["shelter_in_place"] = max(self.door_end["shelter_in_place"], end)
            if action == "evacuate":
                self.door_end["evacuate"] = end

    def _ordered_by_reason(self, action: str) -> dict[str, np.ndarray]:
        """Population cells under ``action`` now, by why: ``isolation`` (evacuation only),
        ``aegl3``/``aegl2``/``aegl1``, ``downwind`` (ERG square), ``area`` (the same dict,
        not to be written to, while none of them changes)."""
        zones = self.zone_order  # before it, only a player's named areas are ordered
        iso = self.isolation_m() if action == "evacuate" and zones else None
        aegl = tuple(self.ordered.get(lvl) == action for lvl in LEVELS)
        square = self._downwind_square() \
            if self.spec.protective_actions.downwind == action and zones else None
        area = self.area_cells[action]

        def by_reason() -> dict[str, np.ndarray]:
            n = self.grid.lat.size
            out = {"isolation": self._near_source(iso, "cells") if iso is not None
                   else np.zeros(n, dtype=bool)}
            for lvl, on in zip(LEVELS, aegl, strict=True):
                out[f"aegl{lvl}"] = self.cells[lvl] if on else np.zeros(n, dtype=bool)
            out["downwind"] = square if square is not None else np.zeros(n, dtype=bool)
            out["area"] = area
            return out

        cells = self.cells if any(aegl) else None
        return self._kept(("ordered_by_reason", action), (iso, aegl, cells, square, area),
                          by_reason)

    def _ordered_cells(self, action: str) -> np.ndarray:
        """Population cells under ``action`` now (any reason; the same array, not to be
        written to, while none changes)."""
        reasons = self._ordered_by_reason(action)
        return self._kept(("ordered_cells", action), (reasons,),
                          lambda: np.logical_or.reduce(list(reasons.values())))

    def _protect(self) -> None:
        """Cells newly under an order (none once :meth:`release_over`) get it from
        :meth:`told_from` (:meth:`_order_cells`, only when the ordered cells have changed
        since the last time); in every cell ordered out, the people reached (and past their
        reaction time) since the last step leave for a shelter."""
        adding = not self.release_over()  # no new area once the release is over
        evac = self._ordered_by_reason("evacuate")
        sip = self._ordered_cells("shelter_in_place")
        self._kept("orders", (evac, sip, adding), lambda: self._order_cells(evac, sip, adding))
        told, share = self._acted_told(self.evac_from, self.evac_door)
        # nobody leaves again while the shares hold after a step in which nobody left
        self._kept("leave", (share, self._left), lambda: self._leave(told, share))
        if self.drill.shelters is None:
            return
        nodes = self._kept("told_nodes", (told,), lambda: np.unique(self.grid.node[told]))
        whole = np.floor(self._carry[nodes] + 1e-9)
        for node, people in zip(nodes[whole > 0].tolist(), whole[whole > 0], strict=True):
            self.drill.shelters.displace(int(people), node, self.spec.id,
                                         group_size=self.spec.group_size)
            self._carry[node] -= people

    def _leave(self, told: np.ndarray, share: np.ndarray) -> None:
        """The people of the cells told to leave (``told``, index) who have acted
        (``share`` of those at home at the order) and not yet left, leave now: they join
        their road node's people on the way out (elsewhere nobody leaves: the same
        arithmetic on the told cells only)."""
        gone = self.evac_base[told] * share
        leaving = np.clip(gone - self.evac_gone[told], 0.0, self.remaining[told])
        self.evac_gone[told] += leaving
        self.remaining[told] -= leaving
        out = leaving > 0
        if out.any():
            self._left += 1
            # added cell by cell in cell order (ufunc.at is unbuffered and in index order)
            np.add.at(self._carry, self.grid.node[told[out]], leaving[out])

    def _order_cells(self, evac: dict[str, np.ndarray], sip: np.ndarray, adding: bool
                     ) -> None:
        """Cells under an order to evacuate (``evac``, by why: :meth:`_ordered_by_reason`)
        or to shelter in place (``sip``) and not yet told (none unless ``adding``) are told
        from :meth:`told_from`: logged ``evacuation_ordered``, their door-to-door rounds
        queued (:meth:`_door_rounds`)."""
        told_from = self.told_from()
        fresh = np.isinf(self.evac_from) & adding
        unordered = fresh.copy()
        why: dict[str, float] = {}
        for reason, mask in evac.items():
            cells = mask & fresh
            if not cells.any():
                why[reason] = 0.0
                continue
            why[reason] = float(round(self.remaining[cells].sum()))
            self.evac_from[cells] = told_from
            self.evac_base[cells] = self.remaining[cells]
            fresh &= ~cells
        if sum(why.values()) > 0:
            self.drill.log("evacuation_ordered", place=self.spec.id, people=why,
                           total=float(sum(why.values())))
        new_sip = sip & np.isinf(self.sip_from) & adding
        self.sip_from[new_sip] = told_from
        new_evac = unordered & ~fresh
        self._door_rounds(new_evac, new_sip & np.isinf(self.evac_from))
        both = new_sip & np.isfinite(self.evac_from)
        if both.any():
            for k in (0, 1, 2):  # a cell ordered out and told to shelter: its evacuation round
                self.sip_door[k][both] = self.evac_door[k][both]
        if new_evac.any() or new_sip.any():
            self._groups.clear()  # the order times or rounds have changed

    def _exposed(self) -> dict[int, float]:
        """People above each level now (:func:`~drillsim.hazards.chemical_zones.exposed_people`):
        those told to shelter in place and reached are indoors; elsewhere, and everywhere
        before the order, the hour's indoor share is; indoors the concentration is
        ``indoor_factor`` × the outdoor one. People waiting outdoors at a shelter inside a
        zone count at the outdoor concentration."""
        now = self.drill.env.now
        f = self.spec.indoor_factor
        indoor = self._zones(now, "cells", f) if f > 0 \
            else self._kept("no_cells", (), lambda: {
                v: np.zeros(self.grid.lat.size, dtype=bool) for v in LEVELS})
        out = dict.fromkeys(LEVELS, 0.0)  # no cell in a zone: nobody, whoever is indoors
        if self._kept("exposable", (self.cells, indoor), lambda: any(
                self.cells[lvl].any() or indoor[lvl].any() for lvl in LEVELS)):
            told, sheltered = self._acted_told(self.sip_from, self.sip_door)
            share = rules.indoor_share(self.spec, self.drill.clock_seconds(now))

            def exposed() -> dict[int, float]:
                told_share = np.zeros(self.grid.lat.size)
                told_share[told] = sheltered
                return {lvl: rules.exposed_people(self.remaining, self.cells[lvl], indoor[lvl],
                                                  told_share, share) for lvl in LEVELS}

            # the same while the zones, the shares sheltering, the hour's share indoors and
            # the people at home (``_left``) hold
            out = dict(self._kept("exposed", (self.cells, indoor, told, sheltered, share,
                                              self._left), exposed))
        shelters = self.drill.shelters
        if shelters is not None and any(s.outdoors for s in shelters.by_id.values()):
            at_point = self._zones(now, "shelters")
            for lvl in LEVELS:
                out[lvl] += sum(s.outdoors for i, s in enumerate(shelters.by_id.values())
                                if at_point[lvl][i] or self.masks[lvl][s.node])
        return out

    def downwind_m(self) -> float:
        """Side of the ERG protective-action square now
        (:func:`drillsim.hazards.chemical_zones.downwind_m`), m: the wind now, and the day
        or night distance chosen when the order was given (ERG 2020, "How to use Table 1":
        the time of day of the release decides; dusk does not lengthen an order already
        given), or now before the order."""
        now = self.drill.env.now
        u, _, _ = self.weather_at(now)
        day = self.order_day if self.order_day is not None else self.drill.is_day(now)
        return self._kept("downwind_m", (u, day), lambda: rules.downwind_m(self.spec, u,
                                                                          day=day))

    def release_over(self) -> bool:
        """The leak has stopped and no population cell or road node is in any zone now:
        the ERG distances are for an ongoing release, so no new area is ordered."""
        return self.drill.env.now >= self.stop_time() and not self._in_zone()

    def _in_zone(self) -> bool:
        """Whether any population cell or road node is in any zone now."""
        return self._kept("in_zone", (self.cells, self.masks), lambda: any(
            self.cells[lvl].any() or self.masks[lvl].any() for lvl in LEVELS))

    def _downwind_square(self) -> np.ndarray:
        """Population cells in the ERG protective-action area: downwind of the source, as
        wide as long (the cells' axes kept until the wind turns)."""
        _, wind_from, _ = self.weather_at(self.drill.env.now)
        if self._cell_axes is None or self._cell_axes[0] != wind_from:
            self._cell_axes = (wind_from, downwind_crosswind(
                self.grid.lat, self.grid.lon, self.src_lat, self.src_lon, wind_from))
        x, y = self._cell_axes[1]
        side = self.downwind_m()
        return self._kept("downwind_square", (self._cell_axes, side),
                          lambda: rules.downwind_square(x, y, side))

    # ------------------------------------------------------------------ the hazmat crews

    def unit_arrived(self, unit, inc) -> None:
        """A unit reached the staging point; the first hazmat-capable crew goes in."""
        drill = self.drill
        self.staged[unit.id] = (unit, inc)
        self._catch_staged()
        if (unit.hazmat or unit.type == "hazmat") and not self.source_worked \
                and not getattr(self, "_entering", False):
            self._entering = True
            drill.env.process(self._enter(unit, inc))

    def _catch_staged(self) -> None:
        """Log ``responder_exposed`` (once per unit) for every unit at the staging point
        while the AEGL-2 zone covers it: on arrival, or when the zone moves over it (a wind
        shift), until the incident is cleared. The crew that has gone in in protective
        gear is not counted."""
        for uid, (unit, inc) in sorted(self.staged.items()):
            if uid in self.caught or (inc.cleared is not None and inc.cleared.triggered) \
                    or uid == getattr(self, "_entry_unit", None):
                continue
            if self.masks[2][inc.node]:
                self.caught.add(uid)
                self.drill.log("responder_exposed", inc.id, uid, node=inc.node,
                               place=self.spec.id, crew=int(unit.crew))

    def _container_empties(self):
        """Log ``source_empty`` when the container runs empty, unless a crew stopped the
        leak before (whether or not a crew is at the source)."""
        env = self.drill.env
        yield env.timeout(max(self.t_stop - env.now, 0.0))
        if not self.source_worked:
            self.drill.log("source_empty", self.incident.id if self.incident else "",
                           node=self.source,
                           place=self.spec.id)

    def _enter(self, unit, inc):
        drill, env = self.drill, self.drill.env
        yield env.timeout(self.spec.ppe_time)
        drill.log("ppe_on", inc.id, unit.id, node=inc.node, place=self.spec.id)
        self._entry_unit = unit.id
        net = drill.world.network
        x, y = downwind_crosswind(net.lat[inc.node], net.lon[inc.node], self.src_lat,
                                  self.src_lon, 0.0)
        yield env.timeout(float(np.hypot(x, y)) / WALK_IN_SUIT_M_S)
        drill.log("entry", inc.id, unit.id, node=self.source, place=self.spec.id,
                  crew=int(unit.crew))
        work = drill.draw(self.spec.source_control, f"chemical/{self.spec.id}")
        if rules.crew_stops_leak(env.now + work, self.spec):
            yield env.timeout(work)
            self._controlled_at = env.now
            self.source_worked = True
            drill.log("source_control", inc.id, unit.id, node=self.source, place=self.spec.id)
        else:  # the container empties before the crew stops the leak (logged when it does)
            yield env.timeout(max(self.t_stop - env.now, 0.0))
        self._update()
        if not inc.controlled.triggered:
            inc.controlled.succeed()
