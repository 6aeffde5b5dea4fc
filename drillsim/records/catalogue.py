"""The event catalogue: every kind of record the engine writes, declared once.

Each :class:`EventKind` names the record's columns it fills (``incident``,
``unit``, ``node``, ``place``) and its typed fields with units. The engine writes
only catalogued kinds (:meth:`drillsim.engine.Drill.log` refuses others), a test
checks every record of every ready drill against this table (:func:`problems`),
and ``docs/records.md`` is generated from it (:func:`markdown`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from drillsim.records.record import Record

FieldType = Literal["float", "int", "str", "bool", "map", "list"]

_PY = {"float": (float, int), "int": (int,), "str": (str,), "bool": (bool,),
       "map": (dict, Mapping), "list": (list, tuple)}


@dataclass(frozen=True)
class Field:
    """One typed field of a record's ``data``.

    Attributes
    ----------
    name
        Key in ``Record.data``.
    type
        ``float``, ``int``, ``str``, ``bool``, ``map`` (str → number) or ``list`` (of str).
    unit
        Unit of the value (``s``, ``kW``, ``m``, ``people`` ...), ``""`` when none.
    doc
        What the value means.
    required
        Whether every record of the kind carries it.
    """

    name: str
    type: FieldType
    unit: str
    doc: str
    required: bool = True

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` has this field's type (bools are not numbers here)."""
        if self.type in ("float", "int") and isinstance(value, bool):
            return False
        if not isinstance(value, _PY[self.type]):
            return False
        if self.type == "map":
            return all(isinstance(k, str) and isinstance(v, int | float) and not
                       isinstance(v, bool) for k, v in value.items())
        if self.type == "list":
            return all(isinstance(v, str) for v in value)
        return True


@dataclass(frozen=True)
class EventKind:
    """One kind of record.

    Attributes
    ----------
    name
        The ``event`` column.
    group
        Which part of the model writes it (``response``, ``flood`` ...).
    doc
        What happened.
    columns
        Which of ``incident``, ``unit``, ``node``, ``place`` it fills (others stay empty).
    fields
        Its typed fields.
    """

    name: str
    group: str
    doc: str
    columns: tuple[str, ...] = ()
    fields: tuple[Field, ...] = ()

    def field(self, name: str) -> Field:
        """The field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"event {self.name!r} has no field {name!r}")


def _f(name: str, type_: FieldType, unit: str, doc: str, required: bool = True) -> Field:
    return Field(name, type_, unit, doc, required)


Q_KW = _f("q_kw", "float", "kW", "heat release rate of the fire at that moment (0 decimals)")
NEED = _f("need_l_s", "float", "L/s", "water the fire needs at that moment, NFA fire-flow "
          "formula (1 decimal)")
ROOMS = _f("rooms", "int", "rooms", "rooms (compartments) of the building on fire at that moment")
FIRE_SIZE = (Q_KW, NEED, ROOMS)
"""The fire-size fields of a fire's records: all three or none."""


def _optional(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    return tuple(_f(f.name, f.type, f.unit, f.doc, required=False) for f in fields)

PEOPLE = _f("people", "int", "people", "how many people")
GROUP = _f("group", "str", "", "id of the group of people (waterlogging point, zone or incident)")
ITEMS = _f("items", "map", "item units", "quantity by relief item (water_l, food_kg ...)")
ORIGIN = _f("origin", "str", "", "where the people come from: a waterlogging point, a release")
BY = _f("by", "str", "", "`foot`, or the vehicle class that carries rescued people")
NEEDS = _f("needs", "map", "units", "units still needed, by apparatus type")

_KINDS: tuple[EventKind, ...] = (
    # --------------------------------------------------------------- response
    EventKind("ignition", "response", "a fire starts (not yet known to anyone)",
              ("incident", "node"), (_f("alpha", "float", "kW/s²", "t² growth coefficient"),)),
    EventKind("call", "response", "the call reaches the command centre (``place``: the "
              "waterlogging point whose trapped residents call, for a flood rescue)",
              ("incident", "node", "place"),
              (_f("type", "str", "", "response-plan key: occupancy of a fire, or incident kind"),)),
    EventKind("queued", "response", "no suitable unit is free; the call waits",
              ("incident", "node"), (NEEDS,)),
    EventKind("dispatch", "response", "a unit is assigned to an incident or a task",
              ("incident", "unit", "place"), (
                  _f("task", "str", "", "`incident`, or `pump` for a pump crew sent to a "
                     "waterlogging point (then `place` is the point)"),
                  _f("alarm", "int", "", "alarm level the unit answers (1 = first alarm)",
                     required=False),
                  _f("eta_s", "float", "s", "expected travel time when dispatched",
                     required=False),
                  _f("mutual_aid", "bool", "", "the unit comes from outside the district"))),
    EventKind("enroute", "response", "the unit has turned out and leaves its position",
              ("incident", "unit", "place"), (
                  _f("from_quarters", "bool", "", "it left its quarters (a turnout), "
                     "not a position on the road"),)),
    EventKind("reroute", "response", "a unit on the road changed its route",
              ("incident", "unit", "node"), (
                  _f("no_route", "bool", "", "no route exists now; the unit waits for "
                     "the roads to change"),)),
    EventKind("flashover", "response", "the room of origin of a fire flashes over (Thomas's "
              "criterion); the fire then spreads room by room", ("incident", "node"), FIRE_SIZE),
    EventKind("arrive", "response", "the unit arrives on scene (or at its task)",
              ("incident", "unit", "node", "place"), _optional(FIRE_SIZE)),
    EventKind("escalate", "response", "the incident commander calls the next alarm",
              ("incident", "node"),
              (_f("alarm", "int", "", "the alarm level called"), *FIRE_SIZE)),
    EventKind("full_assignment", "response", "every unit of the first alarm is on scene",
              ("incident", "node"), _optional(FIRE_SIZE)),
    EventKind("control", "response", "the incident is under control", ("incident", "node"),
              _optional(FIRE_SIZE)),
    EventKind("clear", "response", "the incident is closed; units are released",
              ("incident", "node")),
    EventKind("release", "response", "the unit leaves the scene (or its task)",
              ("incident", "unit", "node", "place"), (
                  _f("recalled", "bool", "", "the unit was turned back before it arrived: "
                     "the incident came under control first", required=False),
                  _f("cut_off", "bool", "", "the unit was turned back on its way: every "
                     "road into the scene was closed after it was sent (the call is "
                     "recorded `unreachable`)", required=False))),
    EventKind("quarters", "response", "the unit is back in quarters and available",
              ("unit", "node")),
    EventKind("move_up", "response", "a free unit moves up to cover another station (a "
              "player's decision): it answers calls from there and returns there; `node` is "
              "where it sets off", ("unit", "node", "place"), (
                  _f("station", "str", "", "the station it now covers (also `place`)"),
                  _f("own", "bool", "", "it goes back to its own station"))),
    EventKind("mutual_aid_request", "response", "help is asked from outside the district",
              ("incident",), (NEEDS,)),
    EventKind("unreachable", "response", "no unit can get to the call: every road into "
              "its node is closed and the nearest junction a vehicle can reach is farther "
              "than a crew works on foot (150 m); no mutual aid is asked (it could not get "
              "there either); the call waits for a road to reopen. Found when units are asked "
              "for, or when a unit on its way finds the roads closed behind the dispatch "
              "(then recorded once per call)", ("incident", "node"), (
                  _f("closures", "str", "", "the injects whose closures shut the roads into "
                     "it, comma-separated"),
                  _f("nearest_m", "float", "m", "straight-line distance to the nearest "
                     "junction a vehicle can reach (`inf`: none)"))),
    EventKind("unmet", "response", "a call that no unit reached before the drill ended",
              ("incident", "node")),
    EventKind("rescued", "response", "rescuers take the people of a rescue call to a shelter",
              ("incident", "node"), (PEOPLE,)),
    EventKind("out_of_service", "response", "a unit is taken out of service", ("unit", "node"),
              (_f("at_start", "bool", "", "out of service from the start of the drill"),)),
    EventKind("in_service", "response", "a unit returns to service", ("unit", "node")),
    # --------------------------------------------------------------- injects
    EventKind("inject", "inject", "an inject is delivered to the players", (), (
        _f("id", "str", "", "the inject's id (or `inject-N`)"),
        _f("kind", "str", "", "the inject's kind"))),
    EventKind("road_closed", "inject", "road arcs close", (), (
        _f("road", "str", "", "road name"), _f("edges", "int", "arcs", "arcs closed"))),
    EventKind("road_reopened", "inject", "road arcs reopen", (), (
        _f("road", "str", "", "road name"), _f("edges", "int", "arcs", "arcs reopened"))),
    EventKind("call_surge", "inject", "the background call rate changes", (),
              (_f("factor", "float", "×", "factor on the everyday call rate"),)),
    EventKind("comms_delay", "inject", "the dispatch delay changes", (),
              (_f("delay_s", "float", "s", "extra delay before each dispatch"),)),
    EventKind("end", "inject", "the drill ends"),
    # --------------------------------------------------------------- people and relief
    EventKind("onset", "relief", "the 10-hour relief clock starts", (), (
        _f("clock", "str", "", "what starts the clock (as the drill file says)"),
        _f("target_s", "float", "s", "relief target"))),
    EventKind("shelter_open", "relief", "a shelter opens", ("node", "place"),
              (_f("capacity", "int", "people", "places"),)),
    EventKind("displaced", "relief", "people leave home for a shelter", ("node", "place"),
              (GROUP, PEOPLE)),
    EventKind("stranded", "relief", "displaced people can reach no shelter now", ("node",),
              (GROUP, PEOPLE)),
    EventKind("unsheltered", "relief", "displaced people found no shelter place", ("node",),
              (GROUP, PEOPLE)),
    EventKind("shelter_blocked", "relief", "a shelter cannot be used (inside a threat zone)",
              ("node", "place"), (GROUP, PEOPLE)),
    EventKind("shelter_closed", "relief", "a shelter closes to evacuees", ("node", "place"),
              (_f("reason", "str", "", "what closes it (`flood water`, `threat zone`)"),)),
    EventKind("shelter_reopened", "relief", "a closed shelter takes evacuees again",
              ("node", "place"), (_f("reason", "str", "", "what had closed it"),)),
    EventKind("shelter_wait", "relief", "people wait on their way to a shelter",
              ("node", "place"), (GROUP, PEOPLE)),
    EventKind("evacuate", "relief", "a group sets off for the nearest open shelter with room",
              ("node", "place"), (GROUP, PEOPLE, ORIGIN, BY, _f(
                  "leg", "int", "", "1 for the first choice, 2 after one re-route ..."),
                  _f("distance_m", "float", "m", "length of this leg's route"),
                  _f("travel_s", "float", "s", "travel time of this leg as planned at setting off"),
                  _f("options_s", "map", "s", "travel time then to every open shelter with "
                     "room not yet tried, by shelter (the chosen one is the least)"))),
    EventKind("shelter_admit", "relief", "people are admitted to a shelter", ("node", "place"),
              (GROUP, PEOPLE, ORIGIN, BY,
               _f("distance_m", "float", "m", "route length from leaving home to here, all legs"),
               _f("travel_s", "float", "s", "travel time from leaving home to here, all legs "
                  "(waits outside unopened shelters excluded)"),
               _f("reroutes", "int", "", "shelters found full or closed on the way"))),
    EventKind("shelter_full", "relief", "a shelter is full; people go on to the next",
              ("node", "place"), (GROUP, PEOPLE)),
    EventKind("relieved", "relief", "people at a shelter receive their basic-needs ration",
              ("node", "place"), (GROUP, PEOPLE, _f(
                  "displaced_at", "float", "s", "when these people left home"))),
    EventKind("stock_change", "relief", "an inject adds or takes away depot stock",
              ("node", "place"), (ITEMS, _f("removed", "bool", "", "stock was taken away"))),
    EventKind("replenish", "relief", "scheduled stock reaches a depot", ("node", "place"),
              (ITEMS,)),
    EventKind("stock_out", "relief", "a depot has run out of items", ("node", "place"),
              (ITEMS,)),
    EventKind("truck_load", "relief", "a relief truck loads at a depot", ("unit", "node", "place"),
              (_f("shelter", "str", "", "the shelter it will serve"),
               _f("kg", "float", "kg", "load mass (0 decimals)"), ITEMS)),
    EventKind("truck_depart", "relief", "a loaded truck leaves for a shelter",
              ("unit", "node", "place"), (
                  _f("eta_s", "float", "s", "expected travel time now (0 decimals)"),
                  _f("dry_eta_s", "float", "s", "travel time on dry roads (0 decimals)"))),
    EventKind("truck_arrive", "relief", "a truck reaches its shelter", ("unit", "node", "place")),
    EventKind("relief_delivered", "relief", "a truck unloads at a shelter",
              ("unit", "node", "place"), (ITEMS,)),
    EventKind("truck_return", "relief", "a truck is back at its depot", ("unit", "node", "place")),
    # --------------------------------------------------------------- teams
    EventKind("team_activated", "teams", "a team is called out", ("place",)),
    EventKind("mobilised", "teams", "a team unit is fielded", ("unit", "node", "place"), (
        _f("type", "str", "", "unit type"), _f("crew", "int", "people", "crew"))),
    EventKind("team_assembled", "teams", "a team has assembled at its base", ("node", "place"), (
        _f("units", "int", "units", "units fielded"),
        _f("free_members", "int", "people", "members not in a unit"),
        _f("delay_s", "float", "s", "assembly time after the call-out (0 decimals)"))),
    # --------------------------------------------------------------- warning
    EventKind("warning_issued", "warning", "the public warning is issued", (),
              (_f("channels", "list", "", "names of the warning channels"),)),
    EventKind("warning_target", "warning", "warning coverage reaches the target", (),
              (_f("share", "float", "share", "the target share reached"),)),
    EventKind("warning", "warning", "warning coverage at this moment", (),
              (_f("share", "float", "share", "share of the population reached (4 decimals)"),)),
    # --------------------------------------------------------------- flood
    EventKind("rain", "flood", "the rain intensity changes", (),
              (_f("mm_h", "float", "mm/h", "mean rain intensity over the step (3 decimals)"),
               _f("speed_factor", "float", "", "share of free-flow speed motor vehicles keep "
                  "on open roads in this rain, Hranac et al. 2006 (4 decimals)"))),
    EventKind("depth", "flood", "water at a waterlogging point after one step", ("node", "place"), (
        _f("depth_m", "float", "m", "water depth (4 decimals)"),
        _f("volume_m3", "float", "m³", "stored volume (3 decimals)"),
        _f("in_m3", "float", "m³", "inflow during the step (3 decimals)"),
        _f("out_m3", "float", "m³", "outflow during the step (3 decimals)"))),
    EventKind("road_state", "flood", "the speed factors on a point's roads change",
              ("node", "place"), (_f("factors", "map", "share",
                                     "speed factor by vehicle class (0 = closed)"),)),
    EventKind("displacement", "flood", "a group of residents leaves home (water inside)",
              ("node", "place"), (PEOPLE, _f("trapped", "int", "people",
                                             "of them, trapped and calling for rescue"))),
    EventKind("pump_start", "flood", "a pump crew starts pumping", ("unit", "node", "place"),
              (_f("pump_m3_s", "float", "m³/s", "pumping rate"),)),
    EventKind("pump_station_failed", "flood", "a pump station fails", ("node", "place"),
              (_f("drain_m3_s", "float", "m³/s", "the point's drainage now"),)),
    EventKind("pump_station_restored", "flood", "a pump station is restored", ("node", "place"),
              (_f("drain_m3_s", "float", "m³/s", "the point's drainage now"),)),
    # --------------------------------------------------------------- chemical
    EventKind("release_start", "chemical", "a chemical release begins", ("node", "place"), (
        _f("chemical", "str", "", "chemical id"),
        _f("rate_kg_min", "float", "kg/min", "release rate"),
        _f("wind_m_s", "float", "m/s", "wind speed"),
        _f("wind_from_deg", "float", "°", "direction the wind blows from"),
        _f("stability", "str", "", "Pasquill-Gifford stability class"))),
    EventKind("model_limit", "chemical", "the plume model is used outside its range",
              ("place",), (
                  _f("text", "str", "", "the limit in words (English)"),
                  _f("limit", "str", "", "which limit: low_wind, stable_air, near_source, "
                     "beyond_distance, beyond_duration or dense_gas"),
                  _f("values", "map", "", "the numbers of the limit: wind_m_s, min_wind_m_s "
                     "(m/s), distance_m (m), duration_min (min), density_rel_air (× air)"),
                  _f("stability", "str", "", "stability class (stable_air only)",
                     required=False))),
    EventKind("wind_shift", "chemical", "the wind changes", ("place",),
              (_f("wind_from_deg", "float", "°", "direction the wind blows from now"),)),
    EventKind("plume", "chemical", "the threat zones after an update", ("place",), (
        _f("wind_from_deg", "float", "°", "direction the wind blows from"),
        _f("u_m_s", "float", "m/s", "wind speed"),
        _f("stability", "str", "", "Pasquill-Gifford stability class"),
        _f("aegl3_nodes", "int", "nodes", "road nodes inside the AEGL-3 zone"),
        _f("aegl2_nodes", "int", "nodes", "road nodes inside the AEGL-2 zone"),
        _f("aegl1_nodes", "int", "nodes", "road nodes inside the AEGL-1 zone"),
        _f("aegl3_people", "float", "people", "people above AEGL-3 now (0 decimals)"),
        _f("aegl2_people", "float", "people", "people above AEGL-2 now (0 decimals)"),
        _f("aegl1_people", "float", "people", "people above AEGL-1 now (0 decimals)"),
        _f("hot_nodes", "int", "nodes", "road nodes inside the hot zone"))),
    EventKind("protective_action", "chemical", "the protective-action order", ("place",), (
        _f("action_aegl3", "str", "", "`evacuate` or `shelter_in_place` in the AEGL-3 zone"),
        _f("action_aegl2", "str", "", "the same for the AEGL-2 zone"),
        _f("action_aegl1", "str", "", "the same for the AEGL-1 zone"),
        _f("action_downwind", "str", "", "the same for the ERG downwind area"),
        _f("downwind_m", "float", "m", "ERG protective-action distance (0 decimals)"),
        _f("isolation_m", "float", "m", "initial isolation radius (0 decimals)"),
        _f("told_from", "float", "s", "drill time from which the order goes out on the "
           "channels: the order, or the public warning's decision if later"),
        _f("channels", "list", "", "the channels that carry the order to people (the "
           "drill's warning channels, or the district's default ones without a warning)"),
        _f("reaction_s", "float", "s", "from being reached to acting on the order"))),
    EventKind("area_order", "chemical", "a player orders evacuation or shelter in place "
              "for named subdistricts or communities (``drillsim play``); it goes out on the "
              "order's channels", ("place",), (
                  _f("action", "str", "", "`evacuate` or `shelter_in_place`"),
                  _f("areas", "list", "", "ids of the subdistricts or communities"),
                  _f("people", "float", "people", "residents of those areas at home then "
                     "(0 decimals)"),
                  _f("told_from", "float", "s", "drill time from which the order goes out on "
                     "the channels"))),
    EventKind("evacuation_ordered", "chemical", "people newly under the evacuation order, "
              "by why (at the order and as the zones move)", ("place",), (
        _f("people", "map", "people", "reason -> residents at home in the cells newly "
           "ordered out: `isolation` (circle), `aegl3`/`aegl2`/`aegl1` (zone), `downwind` "
           "(ERG square), `area` (named subdistrict or community); each cell counted once, "
           "under the first reason in that order (0 decimals)"),
        _f("total", "float", "people", "the sum (0 decimals)"))),
    EventKind("door_to_door", "chemical", "a door-to-door round of the protective-action "
              "order: the households newly ordered out (or told to shelter) visited by the "
              "staff of the communities the order has touched (the district's default "
              "channels only; a drill's own channels are used as written)", ("place",), (
        _f("action", "str", "", "`evacuate` or `shelter_in_place`"),
        _f("households", "float", "households", "households to visit (residents at home ÷ "
           "persons per household, 0 decimals)"),
        _f("staff", "float", "people", "grid workers on the round (per community × "
           "communities)"),
        _f("communities", "int", "", "communities the order has touched so far"),
        _f("first_visit", "float", "s", "drill time of the round's first visit (after the "
           "call-out delay and any earlier round)"),
        _f("ramp_s", "float", "s", "from the first visit to the last"))),
    EventKind("responder_exposed", "chemical", "a crew at the staging point inside the AEGL-2 "
              "zone without protection (on arrival, or when the zone moves over it)",
              ("incident", "unit", "node", "place"), (_f("crew", "int", "people", "crew"),)),
    EventKind("ppe_on", "chemical", "a hazmat crew has donned protective gear",
              ("incident", "unit", "node", "place")),
    EventKind("entry", "chemical", "a hazmat crew enters the hot zone",
              ("incident", "unit", "node", "place"), (_f("crew", "int", "people", "crew"),)),
    EventKind("source_control", "chemical", "the crew stops the leak",
              ("incident", "unit", "node", "place")),
    EventKind("source_empty", "chemical", "the container has run empty; the leak ends",
              ("incident", "node", "place")),
    EventKind("decision", "play", "a player of a played exercise decides (``drillsim "
              "play``); the model carries it out at once, and the records that follow show "
              "what it did", ("incident", "unit", "place"), (
                  _f("seq", "int", "", "the decision's number in the exercise's log (1, 2 ...)"),
                  _f("role", "str", "", "the seat that decided (``command_centre``, "
                     "``station:<id>``, ``flood_control`` ...)"),
                  _f("decision", "str", "", "its kind (``send_unit``, ``close_road`` ...: "
                     "docs/play.md)"),
                  _f("target", "str", "", "what it is about: a unit, road, team, depot, "
                     "incident or communities"),
                  _f("inject", "str", "", "the inject it answers, ``\"\"`` when none"))),
)

EVENTS: Mapping[str, EventKind] = {k.name: k for k in _KINDS}
"""Every event kind the engine writes, by name."""

assert len(EVENTS) == len(_KINDS), "an event kind is declared twice"

COLUMNS = ("incident", "unit", "node", "place")


def problems(record: Record) -> list[str]:
    """What is wrong with ``record`` against the catalogue (empty when it conforms)."""
    kind = EVENTS.get(record.event)
    if kind is None:
        return [f"unknown event kind {record.event!r}"]
    out = []
    for col in COLUMNS:
        value = getattr(record, col)
        filled = value != -1 if col == "node" else value != ""
        if filled and col not in kind.columns:
            out.append(f"{record.event}: column {col} is filled ({value!r}) but not declared")
    declared = {f.name: f for f in kind.fields}
    for name, value in record.data.items():
        f = declared.get(name)
        if f is None:
            out.append(f"{record.event}: undeclared field {name!r}")
        elif not f.accepts(value):
            out.append(f"{record.event}.{name}: {value!r} is not a {f.type}")
    for f in kind.fields:
        if f.required and f.name not in record.data:
            out.append(f"{record.event}: required field {f.name!r} missing")
    return out


def check_all(records: Iterable[Record]) -> list[str]:
    """Every problem of every record, each message once."""
    seen: dict[str, None] = {}
    for r in records:
        for p in problems(r):
            seen.setdefault(p)
    return list(seen)


def markdown() -> str:
    """``docs/records.md``: the catalogue as a reference page."""
    lines = [
        "# Records: the event catalogue",
        "",
        "<!-- Generated from drillsim/records/catalogue.py by "
        "`python -m drillsim.records.catalogue > docs/records.md`; a test keeps it current. -->",
        "",
        "Every state change of a drill is one record: `t` (s since the drill start), `event`,",
        "`incident`, `unit`, `node` (road-network node index, -1 when none), `place` and",
        "`data`, the kind's typed fields. In a run folder's `events.csv` the `data` column",
        "holds the fields as a JSON object; `drillsim.read_run` reads it back exactly.",
        "",
        "Node index and node id: the `node` column is the node's *index* in the run's road",
        "network (0, 1, 2...: nodes sorted by id). A drill's `location: {node: ID}`, the",
        "manifest's `snaps` and the messages of `drillsim validate` use the node's *id* from",
        "the map data (an OSM node id such as `1009`; `1009-1010.3` for a node that",
        "`district new` put between two; a Hongqiao id such as `n_tpl_bxl`).",
        "`drillsim district show --nodes` lists index, id, the roads that meet there and",
        "lat / lon; in Python `world.network.node_ids[index]` gives the id and",
        "`world.network.node_index[id]` the index. A `node:` written as an index is refused",
        "with the id it stands for (indices change when the package's network is remade).",
        "",
    ]
    group = None
    for k in _KINDS:
        if k.group != group:
            group = k.group
            lines += [f"## {group}", ""]
        cols = ", ".join(f"`{c}`" for c in k.columns) or "none"
        lines += [f"### `{k.name}`", "", f"{k.doc[0].upper()}{k.doc[1:]}. Columns: {cols}.", ""]
        if k.fields:
            lines += ["| field | type | unit | meaning |", "|---|---|---|---|"]
            for f in k.fields:
                opt = "" if f.required else " (optional)"
                lines.append(f"| `{f.name}` | {f.type}{opt} | {f.unit or '–'} | {f.doc} |")
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # pragma: no cover - regenerates docs/records.md
    print(markdown())
