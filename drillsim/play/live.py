"""A drill played with people at the table: advanced step by step, decisions applied.

:class:`LiveDrill` holds one :class:`~drillsim.engine.Drill` in its own world (its own
travel-time tables, so a fork or a second exercise in the same process does not see
its closures), plays it forward with :meth:`LiveDrill.advance` and carries out a
player's decision at the current drill time with :meth:`LiveDrill.decide`. A decision
is checked first (the role may take it, the unit or road exists and is in a state that
allows it) and refused with a message, changing nothing; a decision taken is recorded
(``decision`` record) and then carried out through the engine's own operations, so the
records that follow show what it did. Every kind, who may take it, what the model does
and what is refused: docs/play.md, "Decisions".

Where no player decides, the scripted drill's default policy acts (the dispatcher sends
the nearest free unit, teams mobilise at activation, trucks choose shelters by need).

Playing in steps gives the same records as one run (:meth:`~drillsim.engine.Drill.advance`),
so a decision log replayed at its recorded times rebuilds the exercise exactly
(:mod:`drillsim.play.exercise`).
"""

from __future__ import annotations

import math
from collections.abc import Callable

from drillsim.agents.teams import call_out
from drillsim.agents.units import Unit
from drillsim.engine import Drill
from drillsim.network.graph import APPROACH_MAX_M
from drillsim.network.population import area_names
from drillsim.network.road_changes import road_change_edges
from drillsim.network.world import World
from drillsim.play.decisions import (
    CallMutualAid,
    CloseRoad,
    DecisionRefused,
    HoldUnit,
    MobiliseTeam,
    MoveUp,
    Name,
    OpenShelters,
    ProtectiveAction,
    RecallUnit,
    ReleaseHold,
    ReopenRoad,
    SendPump,
    SendTruck,
    SendUnit,
    _Decision,
    target_of,
    word,
)
from drillsim.records.record import Record
from drillsim.records.result import RunResult
from drillsim.scenarios.checks import close_road_names
from drillsim.scenarios.roles import Role, is_blue_star, roles_for
from drillsim.scenarios.schema import RoadChange, Scenario


class LiveDrill:
    """One drill played forward in steps, taking players' decisions.

    Parameters
    ----------
    scenario
        The validated drill.
    world
        The world to copy: the drill gets its own travel-time tables (network and
        places shared, never changed).
    seed
        Root seed (the scenario's own when ``None``).
    """

    def __init__(self, scenario: Scenario, world: World, seed: int | None = None) -> None:
        own = World(world.network, world.places, world.district, disk=world.disk)
        self.drill = Drill(scenario, own, scenario.seed if seed is None else seed)
        self.scenario = scenario
        self.roles: dict[str, Role] = {r.id: r for r in roles_for(scenario)}
        self.decisions: list[tuple[float, _Decision]] = []
        self._result: RunResult | None = None
        self.drill.start()
        self._apply: dict[type, Callable[[_Decision], tuple[str, str, str]]] = {
            SendUnit: self._send_unit, HoldUnit: self._hold, ReleaseHold: self._release_hold,
            RecallUnit: self._recall, CloseRoad: self._road, ReopenRoad: self._road,
            CallMutualAid: self._mutual_aid, MoveUp: self._move_up,
            OpenShelters: self._open_shelters, ProtectiveAction: self._protective_action,
            SendTruck: self._send_truck, MobiliseTeam: self._mobilise_team,
            SendPump: self._send_pump,
        }

    # ------------------------------------------------------------------ the clock

    @property
    def now(self) -> float:
        """Drill time, s from the start."""
        return float(self.drill.env.now)

    @property
    def duration(self) -> float:
        """The drill's length, s."""
        return float(self.scenario.duration)

    @property
    def finished(self) -> bool:
        """Whether the drill has been played to its end."""
        return self._result is not None

    def advance(self, until: float) -> None:
        """Play every event before ``until`` (s; capped at the end)."""
        if self._result is None:
            self.drill.advance(until)

    def next_inject(self) -> float:
        """Time of the next inject or scripted incident not yet played, s (the end when
        none). One at the clock's own time counts: :meth:`advance` plays the events before
        its ``until`` only, so an inject at ``now`` (the drill's start, or a step that ended
        on it) is still to be delivered."""
        times = [i.at for i in self.scenario.injects] + [i.at for i in self.scenario.incidents]
        return min((t for t in times if t >= self.now), default=self.duration)

    def next_policy_moment(self) -> float:
        """Time of the next moment the default policy acts on the drill file's schedule,
        after now, s (the end when none): the rain's start, the flood's activation (teams
        called out, shelters ordered open) and the relief's onset. A clock stopped there
        has not played it yet (:meth:`advance` plays the events before its ``until``), so
        players may decide before the policy does."""
        flood, relief = self.scenario.flood, self.scenario.relief
        times = [] if flood is None else [flood.rain.start, flood.activation]
        times.append(relief.onset)
        return min((float(t) for t in times if t is not None and t > self.now),
                   default=self.duration)

    def finish(self) -> RunResult:
        """Play to the end (the default policy from now on) and return the records."""
        if self._result is None:
            self._result = self.drill.finish()
        return self._result

    # ------------------------------------------------------------------ what a seat sees

    def options(self, role_id: str) -> dict:
        """What the seat ``role_id`` can decide about now, JSON-able (the player's forms).

        Keys (each only when the role may take a decision that uses it):

        ``role``, ``t`` (s), ``kinds``
            The seat, the drill time and the decision kinds it may take.
        ``units``
            The units it commands (send, hold, release, recall, move up): ``id``,
            ``type``, ``station`` (its own), ``covers`` (the station whose quarters are
            its home now), ``status`` (:func:`unit_status`: ``available``,
            ``committed``, ``turning_back``, ``held``, ``out_of_service``), ``where``
            (``in_quarters``, ``on_road``, ``en_route``, ``on_scene``, ``on_task``: a pump
            crew at a point), ``incident`` (committed only), ``lat``/``lon``
            (where it is or next passes, degrees).
        ``stations``
            Stations a unit can move up to: ``id``, ``name_en``, ``name_zh``.
        ``calls``
            The calls being worked (called, not under control): ``id``, ``kind``,
            ``name_en``/``name_zh`` (scripted incidents; ``""`` for everyday calls),
            ``units`` (assigned), ``waiting`` (in the queue).
        ``roads_closed``, ``roads``
            Roads closed now by injects and decisions, and every named road of the map,
            as ``[name_zh, name_en]`` pairs (a decision may use either name).
        ``teams``
            Teams not yet called out: ``id``, ``name_en``, ``name_zh``.
        ``depots``
            ``id``, ``name_en``, ``name_zh``, ``free_trucks`` (ids), ``stock`` (item ->
            quantity).
        ``shelters``
            ``id``, ``name_en``, ``name_zh``, ``ordered`` (the order to open given),
            ``open``, ``closed`` (by a threat zone or flood water), ``occupants``,
            ``capacity``.
        ``communities``
            ``[id, name_en, name_zh]`` a protective action may name (chemical drills).
        ``pump_crews``, ``points``
            The team units with a pump it commands (as ``units``), and the waterlogging
            points: ``id``, ``name_en``, ``name_zh``, ``depth_m`` (m), ``pumps`` (the
            crews there or on their way) (rainstorm drills).

        Raises
        ------
        KeyError
            When ``role_id`` does not play in this drill.
        """
        role = self.roles[role_id]
        kinds = role.kinds
        d = self.drill
        out: dict = {"role": role.id, "t": self.now, "kinds": sorted(kinds)}
        if kinds & {"send_unit", "hold_unit", "release_hold", "recall_unit", "move_up"}:
            out["units"] = [self._unit_state(u) for u in d.units.values()
                            if role.commands(u.station)]
            out["stations"] = [self._named(st) for st in self.scenario.forces.stations]
        if kinds & {"send_unit", "call_mutual_aid"}:
            waiting = set(d.dispatcher.waiting())
            out["calls"] = [{"id": i.id, "kind": i.spec.kind,
                             "name_en": "" if i.background else i.spec.name_en,
                             "name_zh": "" if i.background else i.spec.name_zh,
                             "units": list(i.assigned), "waiting": i in waiting}
                            for i in d.incidents.values()
                            if i.called and not i.controlled.triggered]
        if kinds & {"close_road", "reopen_road"}:
            out["roads_closed"] = [list(r) for r in self.closed_roads()]
            out["roads"] = [list(r) for r in _named_roads(d.world.network)]
        if "mobilise_team" in kinds:
            out["teams"] = [self._named(t) for t in self.scenario.forces.teams
                            if t.id not in d.rosters.called
                            and (role.id != "blue_star" or is_blue_star(t))]
        if "send_truck" in kinds and d.relief is not None:
            out["depots"] = [{**self._named(dep.spec),
                              "free_trucks": [u.id for u, dd, _ in d.relief.trucks
                                              if dd is dep and u.id in d.relief.idle
                                              and u.id not in d.relief.orders],
                              "stock": {k: float(v) for k, v in sorted(dep.stock.items())}}
                             for dep in d.relief.depots.values()]
        if kinds & {"send_truck", "open_shelters"} and d.shelters is not None:
            sh = d.shelters
            out["shelters"] = [{**self._named(s.spec), "ordered": sh.ordered,
                                "open": s.opened.triggered, "closed": s.id in sh.blocked,
                                "occupants": s.occupants, "capacity": s.capacity}
                               for s in sh.by_id.values()]
        if "protective_action" in kinds and d.chemical is not None:
            out["communities"] = [list(c) for c in self.communities()]
        if "send_pump" in kinds and d.flood is not None:
            out["pump_crews"] = [self._unit_state(u) for u in d.units.values()
                                 if u.pump_m3_s > 0 and role.commands(u.station)]
            out["points"] = [{"id": p.id, **{f"name_{k}": v for k, v in
                                             self.point_name(p.id).items()},
                              "depth_m": p.depth_m, "pumps": [u.id for u in p.pumps]}
                             for p in d.flood.points]
        return out

    def _named(self, spec) -> dict[str, str]:
        """``id``, ``name_en``, ``name_zh`` of a station, team, depot or shelter: the drill
        file's names, else those of the place of that id."""
        place = self.drill.world.places.get(spec.id)
        return {"id": spec.id,
                "name_en": spec.name_en or (place.name_en if place is not None else ""),
                "name_zh": spec.name_zh or (place.name_zh if place is not None else "")}

    def place_name(self, place_id: str) -> Name:
        """A station, team, depot or shelter named in both languages: its drill-file names,
        else its place's, else its id."""
        f = self.scenario.forces
        for spec in [*f.stations, *f.teams, *f.depots, *f.shelters]:
            if spec.id == place_id and (spec.name_zh or spec.name_en):
                return _pair(spec.name_en, spec.name_zh)
        p = self.drill.world.places.get(place_id)
        if p is None:
            return _pair(place_id, place_id)
        return _pair(getattr(p, "name_en", "") or place_id, p.name_zh or place_id)

    def point_name(self, point_id: str) -> Name:
        """A waterlogging point named in both languages: its drill-file names, else its
        place's, else its id (as the report names it)."""
        flood = self.scenario.flood
        spec = next((p for p in flood.points if p.id == point_id), None) if flood else None
        if spec is None:
            return _pair(point_id, point_id)
        loc = spec.location
        p = self.drill.world.places.get(loc.place) if loc is not None and loc.place else None
        return _pair(spec.name_en or (getattr(p, "name_en", "") if p is not None else "")
                     or point_id,
                     spec.name_zh or (p.name_zh if p is not None else "") or point_id)

    def road_name(self, road: str) -> Name:
        """A road of the map (named by either name) in both languages; as given when the
        map has no such road."""
        pair = next(((en, zh) for zh, en in _named_roads(self.drill.world.network)
                     if road in (zh, en)), (road, road))
        return _pair(*pair)

    def _unit_state(self, unit: Unit) -> dict:
        """One unit for :meth:`options`."""
        d = self.drill
        status = unit_status(unit)
        inc = d.incidents.get(unit.incident) if status == "committed" else None
        if status == "committed":
            where = "on_task" if inc is None else (
                "on_scene" if unit.id in inc.on_scene else "en_route")
        else:
            where = "in_quarters" if unit.in_quarters and unit.leg is None else "on_road"
        node = unit.position(self.now)[0]
        net = d.world.network
        covers = next((sid for sid, n in d.station_nodes.items() if n == unit.home), "")
        return {"id": unit.id, "type": unit.type, "station": unit.station, "covers": covers,
                "status": status, "where": where,
                "incident": unit.incident if status == "committed" else "",
                "lat": float(net.lat[node]), "lon": float(net.lon[node])}

    # ------------------------------------------------------------------ decisions

    def decide(self, decision: _Decision) -> Record:
        """Carry out ``decision`` now and return its ``decision`` record.

        Raises
        ------
        DecisionRefused
            When the drill is over, the role is unknown or may not take this kind of
            decision, or what it names does not allow it now; nothing is changed.
        """
        self.check(decision)
        seq = len(self.decisions) + 1
        rec_at = len(self.drill.records)
        incident = getattr(decision, "incident", "")
        if isinstance(decision, RecallUnit):  # the call it is recalled from
            incident = self.drill.units[decision.unit].incident
        self.drill.log("decision", incident, getattr(decision, "unit", ""),
                       place=getattr(decision, "shelter", "") or getattr(decision, "station", "")
                       or getattr(decision, "point", ""),
                       seq=seq, role=decision.role,
                       decision=decision.kind, target=target_of(decision),
                       inject=decision.inject)
        self.decisions.append((self.now, decision))
        self._apply[type(decision)](decision)
        return self.drill.records[rec_at]

    def check(self, decision: _Decision) -> None:
        """Raise :class:`DecisionRefused` when ``decision`` cannot be taken now (what
        :meth:`decide` would refuse); change nothing."""
        if self._result is not None:
            raise DecisionRefused("refused_over")
        role = self.roles.get(decision.role)
        if role is None:
            raise DecisionRefused("refused_no_role", role=decision.role)
        if decision.kind not in role.kinds:
            raise DecisionRefused("refused_not_your_kind", role=_role_name(role),
                                  kind=word(f"kind_{decision.kind}"))
        if decision.inject and decision.inject not in self._inject_ids():
            raise DecisionRefused("refused_no_inject", inject=decision.inject)
        check = getattr(self, f"_check_{decision.kind}", None)
        if check is not None:
            check(decision, role)

    def _inject_ids(self) -> set[str]:
        return set(self.scenario.inject_ids())

    def _unit(self, uid: str, role: Role) -> Unit:
        unit = self.drill.units.get(uid)
        if unit is None:
            raise DecisionRefused("refused_no_unit", unit=uid)
        if not role.commands(unit.station):
            raise DecisionRefused("refused_not_commanded", unit=uid, role=_role_name(role))
        return unit

    def _check_send_unit(self, d: SendUnit, role: Role) -> None:
        unit = self._unit(d.unit, role)
        if unit.status != "available":
            raise DecisionRefused("refused_not_free", unit=d.unit, status=_status(unit))
        inc = self.drill.incidents.get(d.incident)
        if inc is None or not inc.called:
            raise DecisionRefused("refused_no_call", incident=d.incident)
        if inc.controlled.triggered:
            raise DecisionRefused("refused_controlled", incident=d.incident)
        if not math.isfinite(self._eta(unit, inc.node)):
            raise DecisionRefused("refused_unreachable", unit=d.unit, incident=d.incident)

    def _eta(self, unit: Unit, node: int, walk_m: float = APPROACH_MAX_M) -> float:
        """Travel time of ``unit`` from where it is now to where it would stop for
        ``node`` (at most ``walk_m`` from it, m), s (``inf`` when no route reaches it)."""
        travel = self.drill.world.travel
        stop = travel.approach(node, unit.vehicle, walk_m)
        at, t_at = unit.position(self.now)
        return (t_at - self.now) + float(travel.times_to(stop, unit.vehicle)[at])

    def _send_unit(self, d: SendUnit) -> tuple[str, str, str]:
        unit, inc = self.drill.units[d.unit], self.drill.incidents[d.incident]
        key = next((k for k in sorted(inc.needs) if inc.needs[k] > 0
                    and unit.type in k.split("|")), None)
        if key is not None:  # counts against what the call waits for
            inc.needs[key] -= 1
            if sum(inc.needs.values()) == 0:
                self.drill.dispatcher.dequeue(inc)
        self.drill.commit(unit, inc, inc.alarm, self._eta(unit, inc.node))
        return d.incident, d.unit, ""

    def _check_hold_unit(self, d: HoldUnit, role: Role) -> None:
        unit = self._unit(d.unit, role)
        if unit.status != "available":
            raise DecisionRefused("refused_hold_not_free", unit=d.unit, status=_status(unit))

    def _hold(self, d: HoldUnit) -> tuple[str, str, str]:
        self.drill.units[d.unit].status = "held"
        return "", d.unit, ""

    def _check_release_hold(self, d: ReleaseHold, role: Role) -> None:
        unit = self._unit(d.unit, role)
        if unit.status != "held" and not unit.hold_on_release:
            raise DecisionRefused("refused_not_held", unit=d.unit)

    def _release_hold(self, d: ReleaseHold) -> tuple[str, str, str]:
        unit = self.drill.units[d.unit]
        unit.hold_on_release = False
        if unit.status == "held":
            unit.status = "available"
            self.drill.dispatcher.serve_queue()
        return "", d.unit, ""

    def _check_recall_unit(self, d: RecallUnit, role: Role) -> None:
        unit = self._unit(d.unit, role)
        if unit_status(unit) == "turning_back":
            raise DecisionRefused("refused_turning_back", unit=d.unit)
        if unit.status != "committed" or not unit.incident:
            raise DecisionRefused("refused_not_en_route", unit=d.unit)
        inc = self.drill.incidents.get(unit.incident)
        if inc is None or d.unit in inc.on_scene:
            raise DecisionRefused("refused_on_scene", unit=d.unit, incident=unit.incident)
        if unit.process is None or not unit.process.is_alive:
            raise DecisionRefused("refused_recall_not_now", unit=d.unit)

    def _recall(self, d: RecallUnit) -> tuple[str, str, str]:
        unit = self.drill.units[d.unit]
        inc = self.drill.incidents[unit.incident]
        unit.hold_on_release = True
        inc.assigned.remove(unit.id)
        inc.add_assigned(unit.type, -1)
        key = next((k for k in sorted(inc.needs) if unit.type in k.split("|")), unit.type)
        inc.needs[key] += 1  # the call gets the next nearest unit
        dispatcher = self.drill.dispatcher
        if not dispatcher.is_queued(inc):
            dispatcher.enqueue(inc)
            inc.queued_since = self.now
        unit.process.interrupt("recall")
        dispatcher.serve_queue()
        return inc.id, d.unit, ""

    def _road_change(self, d: CloseRoad | ReopenRoad) -> RoadChange:
        kind = "road_closed" if d.kind == "close_road" else "road_reopened"
        return RoadChange(kind=kind, at=self.now, road=d.road, near=d.near, radius_m=d.radius_m)

    def _check_close_road(self, d: CloseRoad, role: Role) -> None:
        world = self.drill.world
        if not world.network.edges_named(d.road):
            close = close_road_names(world.network, d.road)
            if close:
                raise DecisionRefused("refused_no_road_did_you_mean", road=d.road, names={
                    "en": " or ".join(map(repr, close)),
                    "zh": "或".join(f"“{n}”" for n in close)})
            raise DecisionRefused("refused_no_road", road=d.road)
        try:
            edges = road_change_edges(world, self._road_change(d))
        except KeyError:  # the road is on the map: the place it is near is not
            near = d.near.place or d.near.node or f"{d.near.lat}, {d.near.lon}"
            raise DecisionRefused("refused_no_place", place=str(near)) from None
        if edges.size == 0:
            raise DecisionRefused("refused_not_near", road=self.road_name(d.road),
                                  radius=d.radius_m)
        closed = self.drill._closed_roads
        by = [closed[int(e)] for e in edges if int(e) in closed]
        if d.kind == "reopen_road" and not by:
            raise DecisionRefused("refused_not_closed", road=self.road_name(d.road))
        if d.kind == "close_road" and len(by) == edges.size:
            labels = list(dict.fromkeys(by))
            raise DecisionRefused("refused_already_closed", road=self.road_name(d.road), by={
                lang: sep.join(_closed_by(lab, lang) for lab in labels)
                for lang, sep in (("en", ", "), ("zh", "、"))})

    _check_reopen_road = _check_close_road

    def _road(self, d: CloseRoad | ReopenRoad) -> tuple[str, str, str]:
        self.drill._inject_label = f"decision-{len(self.decisions)}"
        self.drill._change_roads(self._road_change(d))
        return "", "", d.road

    def _check_call_mutual_aid(self, d: CallMutualAid, role: Role) -> None:
        aid = self.scenario.forces.mutual_aid
        if not aid.enabled:
            raise DecisionRefused("refused_no_mutual_aid")
        if self.drill.dispatcher.mutual_aid_sent + d.count > aid.max_units:
            left = aid.max_units - self.drill.dispatcher.mutual_aid_sent
            raise DecisionRefused("refused_aid_cap", cap=aid.max_units, left=left)
        inc = self.drill.incidents.get(d.incident)
        if inc is None or not inc.called or inc.controlled.triggered:
            raise DecisionRefused("refused_not_a_call", incident=d.incident)

    def _mutual_aid(self, d: CallMutualAid) -> tuple[str, str, str]:
        inc = self.drill.incidents[d.incident]
        unit_type = d.unit_type or self._aid_type(inc)
        inc.mutual_aid_requested = True
        self.drill.log("mutual_aid_request", inc.id, needs={unit_type: d.count})
        for _ in range(d.count):
            key = next((k for k in sorted(inc.needs) if inc.needs[k] > 0
                        and unit_type in k.split("|")), None)
            if key is not None:
                inc.needs[key] -= 1
            self.drill.dispatcher.send_mutual_aid(inc, unit_type)
        if sum(inc.needs.values()) == 0:
            self.drill.dispatcher.dequeue(inc)
        return d.incident, "", ""

    def _aid_type(self, inc) -> str:
        """The unit type mutual aid sends when the decision names none: the first type of
        the first need the call still waits for, else of its plan's first alarm (the first
        need as the drill file lists it); as the dispatcher's own timer does."""
        waiting = next((k for k, n in inc.needs.items() if n > 0), None)
        if waiting is None:
            waiting = next(iter(self.scenario.forces.plan(inc.spec.plan_key)[0]), "engine")
        return waiting.split("|")[0]

    def _check_move_up(self, d: MoveUp, role: Role) -> None:
        unit = self._unit(d.unit, role)
        home = self.drill.station_nodes.get(d.station)
        if home is None:
            raise DecisionRefused("refused_no_station", station=d.station)
        if unit.status != "available":
            raise DecisionRefused("refused_move_not_free", unit=d.unit, status=_status(unit))
        if unit.home == home:
            raise DecisionRefused("refused_already_covers", unit=d.unit,
                                  station=self.place_name(d.station))

    def _move_up(self, d: MoveUp) -> tuple[str, str, str]:
        self.drill.move_up(self.drill.units[d.unit], d.station)
        return "", d.unit, d.station

    def _check_open_shelters(self, d: OpenShelters, role: Role) -> None:
        shelters = self.drill.shelters
        if shelters is None:
            raise DecisionRefused("refused_no_shelters")
        if shelters.ordered:
            raise DecisionRefused("refused_shelters_ordered")

    def _open_shelters(self, d: OpenShelters) -> tuple[str, str, str]:
        self.drill.shelters.order_open()
        return "", "", ""

    def closed_roads(self) -> list[tuple[str, str]]:
        """The named roads with a part closed now by an inject or a decision, as
        ``(name_zh, name_en)`` pairs: each arc's own state, so a road reopened along one
        stretch and still closed along another is listed."""
        net = self.drill.world.network
        return list(dict.fromkeys(
            (net.edge_name[e], net.edge_name_en[e]) for e in sorted(self.drill._closed_roads)
            if net.edge_name[e] or net.edge_name_en[e]))

    def communities(self) -> list[tuple[str, str, str]]:
        """The communities a protective action can name: ``(id, name_en, name_zh)`` of
        each community of the release's population grid, subdistrict by subdistrict (none
        when the drill has no chemical release). A decision may name a community, or a
        subdistrict, by its id or either name."""
        chem = self.drill.chemical
        if chem is None:
            return []
        places = self.drill.world.places
        return [(c.id, *area_names(places, c.id)) for c in chem.grid.communities]

    def _area_ids(self, names: list[str]) -> list[str]:
        """The subdistrict or community id of each name (id, English or Chinese name)."""
        chem = self.drill.chemical
        known: dict[str, str] = {}
        for sub in chem.grid.subdistricts:
            for key in (sub.id, sub.name_en, sub.name_zh):
                known.setdefault(key, sub.id)
        for cid, en, zh in self.communities():
            for key in (cid, en, zh):
                known.setdefault(key, cid)
        known.pop("", None)
        unknown = [n for n in names if n.strip() not in known]
        if unknown:
            raise DecisionRefused("refused_no_area", names="、".join(unknown))
        return list(dict.fromkeys(known[n.strip()] for n in names))

    def _check_protective_action(self, d: ProtectiveAction, role: Role) -> None:
        chem = self.drill.chemical
        if chem is None:
            raise DecisionRefused("refused_no_release")
        self._area_ids(d.communities)
        if chem.release_over():
            raise DecisionRefused("refused_release_over")

    def _protective_action(self, d: ProtectiveAction) -> tuple[str, str, str]:
        chem = self.drill.chemical
        chem.order_areas(self._area_ids(d.communities), d.action)
        return "", "", chem.spec.id

    def _check_send_truck(self, d: SendTruck, role: Role) -> None:
        relief, shelters = self.drill.relief, self.drill.shelters
        if relief is None or not relief.depots:
            raise DecisionRefused("refused_no_depots")
        if d.depot not in relief.depots:
            raise DecisionRefused("refused_no_depot", depot=d.depot)
        shelter = shelters.by_id.get(d.shelter)
        if shelter is None:
            raise DecisionRefused("refused_no_shelter", shelter=d.shelter)
        if d.shelter in shelters.blocked:
            raise DecisionRefused("refused_shelter_closed", shelter=self.place_name(d.shelter))
        if not shelters.ordered:
            raise DecisionRefused("refused_shelter_not_open",
                                  shelter=self.place_name(d.shelter))
        free = relief.free_truck(d.depot)
        if free is None:
            raise DecisionRefused("refused_no_free_truck", depot=self.place_name(d.depot))
        if not relief.load_for(d.depot, shelter, free[1]):
            raise DecisionRefused("refused_nothing_needed", depot=self.place_name(d.depot),
                                  shelter=self.place_name(d.shelter))

    def _send_truck(self, d: SendTruck) -> tuple[str, str, str]:
        truck = self.drill.relief.send(d.depot, self.drill.shelters.by_id[d.shelter])
        return "", truck.id, d.shelter

    def _check_send_pump(self, d: SendPump, role: Role) -> None:
        flood = self.drill.flood
        if flood is None:
            raise DecisionRefused("refused_no_flood")
        unit = self._unit(d.unit, role)
        if unit.pump_m3_s <= 0:
            raise DecisionRefused("refused_no_pump", unit=d.unit)
        point = flood.by_id.get(d.point)
        if point is None:
            raise DecisionRefused("refused_no_point", point=d.point, points={
                lang: sep.join(self.point_name(p.id)[lang] for p in flood.points)
                for lang, sep in (("en", ", "), ("zh", "、"))})
        if unit in point.pumps:
            raise DecisionRefused("refused_already_pumping", unit=d.unit,
                                  point=self.point_name(d.point))
        if unit.status != "available":
            raise DecisionRefused("refused_not_free", unit=d.unit, status=_status(unit))
        if not math.isfinite(self._eta(unit, point.node, math.inf)):
            raise DecisionRefused("refused_pump_unreachable", unit=d.unit,
                                  point=self.point_name(d.point))

    def _send_pump(self, d: SendPump) -> tuple[str, str, str]:
        flood = self.drill.flood
        point, unit = flood.by_id[d.point], self.drill.units[d.unit]
        flood.send_pump(point, unit, self._eta(unit, point.node, math.inf))
        return "", d.unit, d.point

    def _check_mobilise_team(self, d: MobiliseTeam, role: Role) -> None:
        team = next((t for t in self.scenario.forces.teams if t.id == d.team), None)
        if team is None:
            raise DecisionRefused("refused_no_team", team=d.team)
        if role.id == "blue_star" and not is_blue_star(team):
            raise DecisionRefused("refused_blue_star_only", role=_role_name(role),
                                  team=self.place_name(d.team))
        if d.team in self.drill.rosters.called:
            raise DecisionRefused("refused_team_called", team=self.place_name(d.team))

    def _mobilise_team(self, d: MobiliseTeam) -> tuple[str, str, str]:
        call_out(self.drill, d.team)
        return "", "", d.team


def _pair(en: str, zh: str) -> Name:
    """A name in both languages, each falling back on the other."""
    return {"en": en or zh, "zh": zh or en}


def unit_status(unit: Unit) -> str:
    """A unit's status as the pages show it: the engine's, or ``turning_back`` for a unit
    a player recalled whose turn back is still to be played (committed, with
    ``hold_on_release``: the engine plays the interrupt at the clock's next step)."""
    if unit.status == "committed" and unit.hold_on_release:
        return "turning_back"
    return unit.status


def _closed_by(label: str, lang: str) -> str:
    """Who closed a road: an inject's id, or the ``decision-N`` that did."""
    if label.startswith("decision-"):
        n = label.removeprefix("decision-")
        return f"decision {n}" if lang == "en" else f"第{n}号决策"
    return label


def _role_name(role: Role) -> Name:
    return _pair(role.name_en, role.name_zh)


def _status(unit: Unit) -> Name:
    """A unit's status in both languages (the pages' ``status_*`` words)."""
    return word(f"status_{unit.status}")


def _named_roads(net) -> list[tuple[str, str]]:
    """Every named road of the network once, as ``(name_zh, name_en)``, sorted."""
    return sorted({(zh, en) for zh, en in zip(net.edge_name, net.edge_name_en, strict=True)
                   if zh or en})
