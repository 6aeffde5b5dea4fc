"""Everything a report part needs to know about one run, with bilingual labels."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from drillsim.metrics.response import IncidentRow
from drillsim.metrics.roads import ClosureDelay, RoadClosure, closure_delays, road_closures
from drillsim.metrics.summary import Summary
from drillsim.network.world import World
from drillsim.records.record import Record
from drillsim.records.result import RunResult
from drillsim.report.text import incident_type, term
from drillsim.report.wording import say

SHAPE_POINT = " (shape point)"
"""How the map data marks a node that only shapes a road (``北门外大街 (shape point)``)."""


@dataclass
class ReportContext:
    """One run, its measurements, its world and the report language."""

    result: RunResult
    summary: Summary
    world: World
    lang: str = "en"
    run_dir: Path | None = None
    extra: dict = field(default_factory=dict)

    # ---------------------------------------------------------------- basics
    @property
    def scenario(self):
        return self.result.scenario

    @property
    def records(self) -> tuple[Record, ...]:
        return self.result.records

    def name(self, en: str, zh: str) -> str:
        """A name or text that data (the drill file, the map, a catalogue) gives in English
        and Chinese, in the report language, or in the other when it has none in this one.
        Names are data; the report's own words come from :meth:`say`."""
        own, other = (zh, en) if self.lang == "zh" else (en, zh)
        return own or other

    def say(self, key: str, **values: object) -> str:
        """The wording ``key`` (:mod:`drillsim.report.wording`) in the report language."""
        return say(self.lang, key, **values)

    @cached_property
    def rows(self) -> dict[str, IncidentRow]:
        return {r.incident: r for r in self.summary.rows}

    @cached_property
    def units(self) -> dict:
        return {u.id: u for u in self.result.units}

    @cached_property
    def incident_specs(self) -> dict:
        return {i.id: i for i in self.scenario.all_incidents()}

    def by_incident(self, incident: str) -> list[Record]:
        return self._by_incident.get(incident, [])

    @cached_property
    def _by_incident(self) -> dict[str, list[Record]]:
        out: dict[str, list[Record]] = {}
        for r in self.records:
            if r.incident:
                out.setdefault(r.incident, []).append(r)
        return out

    # ---------------------------------------------------------------- labels
    def place_label(self, place_id: str) -> str:
        """Bilingual place name, or the id."""
        p = self.world.places.get(place_id)
        return p.label if p is not None else place_id

    def place_name(self, place_id: str) -> str:
        """A station, team base, depot or shelter (its own names in the drill file, else
        its place's), or a place, named in the report language; the id if nothing names
        it. For figures and running text; tables use the bilingual labels."""
        f = self.scenario.forces
        for spec in [*f.stations, *f.teams, *f.depots, *f.shelters]:
            if spec.id == place_id and (spec.name_zh or spec.name_en):
                return self.name(spec.name_en, spec.name_zh)
        p = self.world.places.get(place_id)
        return (self.name(getattr(p, "name_en", ""), p.name_zh) if p is not None else "") \
            or place_id

    def station_label(self, station_id: str) -> str:
        if station_id == "mutual_aid":
            return self.say("report.mutual_aid")
        for st in self.scenario.forces.stations:
            if st.id == station_id and (st.name_zh or st.name_en):
                return f"{st.name_zh} {st.name_en}".strip()
        return self.place_label(station_id)

    def incident_label(self, incident_id: str) -> str:
        """``F1 三条石老旧小区火灾`` / ``F1 Santiaoshi ...`` (the name in the report
        language, the other when the drill file gives none) or ``BG003 (background call)``."""
        spec = self.incident_specs.get(incident_id)
        if spec is not None and (spec.name_zh or spec.name_en):
            return f"{incident_id} {self.name(spec.name_en, spec.name_zh)}"
        row = self.rows.get(incident_id)
        if row is not None and row.background:
            what = incident_type(row.occupancy, row.kind, self.lang)
            return self.say("report.background_call", id=incident_id, what=what)
        return self.incident_short(incident_id)

    def incident_short(self, incident_id: str) -> str:
        """An incident as running text names it: its id as the designer wrote it (``F1``,
        ``BG003``), or for a call a hazard raised, where it came from and its number
        (``West of West Station ponding, rescue call 3``; the release's hazmat call by the
        drill's release id, ``CL1 hazmat call``) instead of a generated id."""
        row = self.rows.get(incident_id)
        if row is not None and row.kind == "flood_rescue" and row.place:
            return self.say("report.flood_rescue_call", point=self.point_name(row.place),
                            n=self._call_number[incident_id])
        chem = self.scenario.chemical
        if chem is not None and incident_id == chem.incident_id:
            return self.say("report.hazmat_call", release=chem.id)
        return incident_id

    def point_spec(self, point_id: str):
        """The drill's waterlogging point ``point_id`` (``None``: no such point)."""
        flood = self.scenario.flood
        return next((p for p in flood.points if p.id == point_id), None) if flood else None

    def point_name(self, point_id: str) -> str:
        """A waterlogging point's name in the report language, for figures and running
        text: its own name, or its place's, or its id."""
        spec = self.point_spec(point_id)
        if spec is None:
            return point_id
        loc = spec.location
        p = self.world.places.get(loc.place) if loc is not None and loc.place else None
        zh = spec.name_zh or (p.name_zh if p is not None else "")
        en = spec.name_en or (getattr(p, "name_en", "") if p is not None else "")
        return self.name(en, zh) or point_id

    @cached_property
    def _call_number(self) -> dict[str, int]:
        """A hazard-raised call's number among the calls from its place (1, 2, ...)."""
        seen: dict[str, int] = {}
        out = {}
        for r in self.summary.rows:
            if r.place:
                seen[r.place] = out[r.incident] = seen.get(r.place, 0) + 1
        return out

    def unit_label(self, unit_id: str, *, short: bool = False) -> str:
        """A unit's name: a fire unit's call sign as it is (``XZ-E1``); a team's unit as
        team, unit type and number (``City Management part-time team, pump crew 1``), a
        relief truck as its depot and number (``District Relief-Material Depot, truck 1``,
        ``区救灾物资储备库运输车1``), a unit from outside the district as mutual aid, its
        type and number (``mutual-aid engine 1``, ``区外增援消防车1``) instead of the
        generated ``MA-1``, or with ``short`` (under a heading that names the team or
        depot) type and number only."""
        u = self.units.get(unit_id)
        if u is not None and u.station == "mutual_aid":
            n = re.search(r"(\d+)$", unit_id)
            return self.say("term.mutual_aid_unit", unit=term("unit", u.type, self.lang),
                            n=n.group(1) if n else unit_id)
        team = self._teams.get(u.station) if u is not None else None
        if team is not None:
            owner, kind = self.name(team.name_en, team.name_zh) or team.id, u.type
        elif unit_id in self._depot_trucks:
            depot, kind = self._depot_trucks[unit_id], "truck"
            owner = self.place_name(depot)
        else:
            return unit_id
        n = re.search(r"(\d+)$", unit_id)
        n = n.group(1) if n else unit_id
        if short:
            return self.say("term.team_unit_short", unit=term("unit", kind, self.lang), n=n)
        return self.say("term.team_unit", team=owner, unit=term("unit", kind, self.lang), n=n)

    @cached_property
    def _depot_trucks(self) -> dict[str, str]:
        """Relief truck id -> its depot's id."""
        return {t.id: d.id for d in self.scenario.forces.depots for t in d.trucks}

    @cached_property
    def _teams(self) -> dict:
        return {t.id: t for t in self.scenario.forces.teams}

    def node_label(self, node: int) -> str:
        """The network node's name (an intersection) in the report language; without one
        (map data), the roads
        that meet there (``友谊路 × 平江道``, ``Youyi Road × Pingjiang Road``) in the report
        language; else its index."""
        if node < 0:
            return "—"
        net = self.world.network
        names = getattr(net, "node_names", None) or ()
        names_en = getattr(net, "node_names_en", None) or ()
        name = self.name(names_en[node] if node < len(names_en) else "",
                         names[node] if node < len(names) else "")
        # a shape point of the map data lies on the road it names: show the road
        name = name.removesuffix(SHAPE_POINT).strip()
        if not name and hasattr(net, "roads_at") and node < net.n_nodes:
            name = " × ".join(dict.fromkeys(self.name(en, zh)
                                            for zh, en in net.roads_at(node)))
        return name or self.say("report.node", n=node)

    def incident_location(self, incident_id: str, node: int) -> str:
        """Where an incident is, as the drill located it: the place it named (by id or
        name, ``邮政街小区``) in the report language; for coordinates, a node or a call
        without a drill entry, the roads at its network node (:meth:`node_label`)."""
        spec = self.incident_specs.get(incident_id)
        loc = getattr(spec, "location", None)
        place = self.world.places.get(loc.place) if loc is not None and loc.place else None
        if place is not None:
            return self.name(place.name_en, place.name_zh) or place.id
        return self.node_label(node)
    def road_name(self, road: str) -> str:
        """A road as a drill file names it (``西青道``, the network's name of its arcs) in
        the report language (``Xiqing Road``: the arcs' English name), through
        :meth:`name`; the name as written when the network has no other."""
        zh, en = self._road_names.get(road, ("", ""))
        return self.name(en, zh) or road

    @cached_property
    def _road_names(self) -> dict[str, tuple[str, str]]:
        """Either name of a road of the network -> (Chinese, English) names of its arcs."""
        net = self.world.network
        out: dict[str, tuple[str, str]] = {}
        for zh, en in zip(getattr(net, "edge_name", ()), getattr(net, "edge_name_en", ()),
                          strict=True):
            for key in (zh, en):
                if key and not all(out.get(key, ("", ""))):
                    old = out.get(key, ("", ""))
                    out[key] = (old[0] or zh, old[1] or en)
        return out

    # ---------------------------------------------------------------- road changes
    @cached_property
    def road_closures(self) -> list[RoadClosure]:
        """Closures of the run (:func:`drillsim.metrics.roads.road_closures`)."""
        return road_closures(self.result, self.world)

    @cached_property
    def closure_delays(self) -> list[ClosureDelay]:
        """Every unit a road closure delayed (:func:`drillsim.metrics.roads.closure_delays`)."""
        from drillsim.metrics.response import unit_activity

        activity = self.extra.get("unit_activity") or unit_activity(self.result)
        return closure_delays(self.result, self.world, activity, self.summary.rows,
                              self.road_closures)

    def closed_at(self, t: float) -> list[RoadClosure]:
        return [s for s in self.road_closures if s.start <= t < s.end]

    # ---------------------------------------------------------------- units
    @cached_property
    def out_of_service(self) -> list[tuple[str, float, float]]:
        """(unit, from, to) spans a unit was out of service (``to`` inf: to the end)."""
        from drillsim.metrics.response import out_of_service

        return out_of_service(self.result)

    def units_out_at(self, t: float) -> list[str]:
        return [u for u, t0, t1 in self.out_of_service if t0 <= t < t1]

    @property
    def end_time(self) -> float:
        return max((r.t for r in self.records), default=self.scenario.duration)
