"""What the exercise pages show: a compact, JSON-able picture of the live drill.

:func:`map_base` is the part of the map that does not change (district outline, rivers,
roads by class, stations, shelters, depots), sent once per page; :func:`snapshot` is
the state at the drill clock, pushed to the pages as the clock runs and after each
decision: clock, units (position interpolated on their leg, status, incident),
incidents (fire size for fires), closed roads, waterlogging points (depth, closed),
plume zones, shelters, depot stock, the injects delivered and the decisions taken.

A player's snapshot (``role`` given) holds only what that seat sees: the injects
delivered to it, without their expected action (the facilitator's MSEL has that), the
units it commands and the decision forms it may fill (:func:`decision_forms`). Names are
given in both languages (``{"en": ..., "zh": ...}``); the page picks one.

Positions are longitude/latitude degrees (the network's coordinates); the page
projects them (equirectangular, x scaled by cos latitude, as the report's map draws
them with a true aspect).
"""

from __future__ import annotations

import json
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from drillsim.metrics.decisions import DecisionRow, decision_rows
from drillsim.play.live import unit_status
from drillsim.scenarios.roles import inject_roles

if TYPE_CHECKING:
    from drillsim.play.exercise import Exercise
    from drillsim.play.live import LiveDrill

MAP_PLACE_KINDS = ("station", "shelter", "depot", "hazard_site", "team_base")
"""The place kinds the exercise map marks."""


def _pair(en: str, zh: str) -> dict[str, str]:
    """A name in both languages, each falling back on the other."""
    return {"en": en or zh, "zh": zh or en}


def _ll(net, node: int) -> list[float] | None:
    if node < 0:
        return None
    return [round(float(net.lon[node]), 6), round(float(net.lat[node]), 6)]


def clock_text(live: LiveDrill, t: float | None = None) -> str:
    """The drill's wall-clock time at drill time ``t`` (now by default), ``hh:mm``."""
    s = live.scenario.clock_seconds(live.now if t is None else t)
    return f"{int(s // 3600):02d}:{int(s % 3600 // 60):02d}"


# ---------------------------------------------------------------------------- the base map

def map_base(live: LiveDrill) -> dict:
    """The map's fixed layers: bounding box, outline, rivers, roads by class and places.

    Styles (colours, line widths) are those of the report's network map
    (:mod:`drillsim.network.summary`), so the two maps read alike.
    """
    from drillsim.network.graphml import MapLayers, load_map_layers
    from drillsim.network.summary import _PLACE_STYLE, _ROAD_STYLE

    scenario, world = live.scenario, live.drill.world
    net = world.network
    layers = (load_map_layers(scenario.district) if scenario.network == "default"
              else MapLayers())
    roads = net.road_edges()
    classes = np.array(net.edge_highway)[roads] if roads.size else np.array([])
    road_layers = []
    for cls, (color, width, _order) in sorted(_ROAD_STYLE.items(), key=lambda kv: kv[1][2]):
        sel = roads[classes == cls]
        if sel.size:
            road_layers.append({"class": cls, "color": color, "width": width,
                                "lines": _lines(net, sel)})
    places = []
    for p in world.places:
        if p.kind in MAP_PLACE_KINDS:
            places.append({"id": p.id, "kind": p.kind, "name": _place_name(live, p.id),
                           "lonlat": [round(p.lon, 6), round(p.lat, 6)],
                           "color": _PLACE_STYLE.get(p.kind, ("", "#2c3e50"))[1]})
    lon, lat = np.asarray(net.lon), np.asarray(net.lat)
    bbox = [float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())]
    if layers.boundary is not None:
        b = layers.boundary
        bbox = [min(bbox[0], float(b[:, 1].min())), min(bbox[1], float(b[:, 0].min())),
                max(bbox[2], float(b[:, 1].max())), max(bbox[3], float(b[:, 0].max()))]
    return {
        "bbox": [round(v, 6) for v in bbox],
        "boundary": ([[round(float(x), 6), round(float(y), 6)] for y, x in layers.boundary]
                     if layers.boundary is not None else []),
        "rivers": [{"name": _pair(en, zh),
                    "line": [[round(float(x), 6), round(float(y), 6)] for y, x in coords]}
                   for zh, en, coords in layers.rivers],
        "roads": road_layers,
        "places": places,
    }


def _lines(net, edges: np.ndarray) -> list[list[list[float]]]:
    """Arcs joined into polylines of ``[lon, lat]`` (a two-way road once)."""
    from drillsim.network.summary import _chains

    return [[[round(float(x), 6), round(float(y), 6)] for x, y in line]
            for line in _chains(net, np.asarray(edges, dtype=np.int64))]


def _place_name(live: LiveDrill, place_id: str) -> dict[str, str]:
    """A station, team base, depot or shelter by its drill-file names, else its place's."""
    return live.place_name(place_id)


# ---------------------------------------------------------------------------- the state

def inject_ids(live: LiveDrill) -> list[str]:
    """Each inject's id as the records name it (``inject-N`` when the file gives none)."""
    return [inj.id or f"inject-{k + 1}" for k, inj in enumerate(live.scenario.injects)]


def msel(live: LiveDrill) -> list[dict]:
    """Every inject of the drill, in time order, with who receives it and whether it has
    been delivered: the facilitator's MSEL."""
    delivered = {r.get("id"): r.t for r in live.drill.records if r.event == "inject"}
    out = []
    for iid, inj in zip(inject_ids(live), live.scenario.injects, strict=True):
        out.append({
            "id": iid, "t": inj.at, "clock": clock_text(live, inj.at), "kind": inj.kind,
            "text": _pair(inj.text or _inject_what(inj), inj.text_zh),
            "deliver_to": _pair(inj.deliver_to, inj.deliver_to_zh),
            "expected_action": _pair(inj.expected_action, inj.expected_action_zh),
            "roles": inject_roles(live.scenario, inj.deliver_to, inj.deliver_to_zh),
            "delivered": iid in delivered,
        })
    return sorted(out, key=lambda row: row["t"])


def _inject_what(inj) -> str:
    """An inject without text, described by its kind and what it names."""
    what = next((str(getattr(inj, n)) for n in ("road", "unit", "point", "depot")
                 if getattr(inj, n, None)), "")
    return f"{inj.kind.replace('_', ' ')}: {what}" if what else inj.kind.replace("_", " ")


def snapshot(exercise: Exercise, role: str | None = None) -> dict:
    """The state at the drill clock, for the facilitator (``role`` ``None``) or one seat.

    Parameters
    ----------
    exercise
        The exercise being played.
    role
        A role id of the drill: only its injects (without expected actions), its units
        and its decision forms; ``None``: everything, the MSEL with expected actions.
    """
    live = exercise.live
    drill = live.drill
    net = drill.world.network
    now = live.now
    seat = live.roles.get(role) if role else None
    units = []
    for u in [*(drill.units[uid] for uid in sorted(drill.units)),
              *drill.dispatcher.mutual_aid]:  # the units called in from outside last
        if seat is not None and not seat.commands(u.station):
            continue
        status = unit_status(u)
        units.append({"id": u.id, "type": u.type, "type_name": _term("unit", u.type),
                      "station": u.station,
                      "owner": _place_name(live, u.station) if u.station else
                      _pair("mutual aid", "区外增援"),
                      "status": status, "moving": u.leg is not None,
                      "incident": u.incident if status == "committed" else "",
                      "lonlat": _unit_lonlat(u, net, now)})
    if seat is not None and "send_truck" in seat.kinds:  # the trucks it sends
        units += _trucks(live)
    state = {
        "t": now, "clock": clock_text(live), "duration": live.duration,
        "finished": live.finished, "units": units,
        "incidents": _incidents(live), "closures": _closures(live),
        "flood_points": _flood_points(live), "plume": _plume(live),
        "shelters": _shelters(live), "depots": _depots(live),
    }
    rows = msel(live)
    calls = {row.seq: row for row in decision_rows(drill.records)}
    namers = {lang: LiveNames(live, lang) for lang in ("en", "zh")}
    if seat is None:
        state["msel"] = rows
        state["decisions"] = [_decision_row(live, e, calls, namers) for e in exercise.log]
    else:
        state["injects"] = [{k: v for k, v in r.items() if k != "expected_action"}
                            for r in rows if r["delivered"] and seat.id in r["roles"]]
        state["decisions"] = [_decision_row(live, e, calls, namers) for e in exercise.log
                              if e["decision"].get("role") == seat.id]
        state["forms"] = decision_forms(live, seat.id)
        # what the page says beside them: the default policy acts where the seat takes no
        # decision (not once the drill is over), and why a team seat has no unit yet
        state["default_policy"] = not live.finished
        state["units_empty"] = "units_after_assembly" if seat.teams else "none_yet"
    return state


def _decision_row(live: LiveDrill, entry: dict, rows: dict[int, DecisionRow],
                  namers: dict[str, LiveNames] | None = None) -> dict:
    """One row of the decisions table; ``rows`` the drill's decisions as the debrief reads
    them from the records (by ``seq``: a recall names the call the unit was recalled from,
    a move-up its station, a truck its shelter); ``namers`` one :class:`LiveNames` per
    language, shared by the rows of one snapshot."""
    namers = namers or {lang: LiveNames(live, lang) for lang in ("en", "zh")}
    from drillsim.play.decisions import parse_decision, target_of
    from drillsim.report.debrief import decision_text

    d = entry["decision"]
    seat = live.roles.get(d.get("role", ""))
    row = rows.get(entry["seq"])
    return {"seq": entry["seq"], "t": entry["t"], "clock": clock_text(live, entry["t"]),
            "role": d.get("role", ""),
            "role_name": _pair(seat.name_en, seat.name_zh) if seat else _pair("", ""),
            "kind": d.get("kind", ""), "target": target_of(parse_decision(d)),
            "about": {lang: decision_text(namers[lang], row) if row is not None
                      else d.get("kind", "") for lang in ("en", "zh")},
            "inject": d.get("inject", ""), "note": d.get("note", "")}


class LiveNames:
    """Names things as the report's context does (the methods the debrief's
    :func:`drillsim.report.debrief.decision_text` uses), for a drill being played: units
    by their ids, calls as the report names them (a hazard's call by its point and
    number), roads, stations, depots, shelters and teams by their names in ``lang``."""

    def __init__(self, live: LiveDrill, lang: str) -> None:
        self.live, self.lang, self.world = live, lang, live.drill.world

    def name(self, en: str, zh: str) -> str:
        own, other = (zh, en) if self.lang == "zh" else (en, zh)
        return own or other

    def say(self, key: str, **values: object) -> str:
        from drillsim.report.wording import say

        return say(self.lang, key, **values)

    def unit_label(self, unit_id: str, *, short: bool = False) -> str:
        return unit_id

    @cached_property
    def _hazard_calls(self) -> dict[str, dict[str, str]]:
        return _hazard_call_names(self.live)

    def incident_short(self, incident_id: str) -> str:
        hazard = self._hazard_calls.get(incident_id)
        return hazard[self.lang] if hazard is not None else incident_id

    def road_name(self, road: str) -> str:
        return self.live.road_name(road)[self.lang]

    def place_name(self, place_id: str) -> str:
        return self.live.place_name(place_id)[self.lang]

    def point_name(self, point_id: str) -> str:
        return self.live.point_name(point_id)[self.lang]


def about(live: LiveDrill, row: DecisionRow, lang: str) -> str:
    """A decision in words in ``lang``, as the debrief words it (the decisions table's
    "About"): ``moved DZ-E1 up to cover Nanyunhe Road Fire Rescue Station``, ``从区救灾
    物资储备库派出运输车前往西沽公园``."""
    from drillsim.report.debrief import decision_text

    return decision_text(LiveNames(live, lang), row)


def _hazard_call_names(live: LiveDrill) -> dict[str, dict[str, str]]:
    """The calls a waterlogging point raised, named in both languages as the report names
    them (``Nancang Road ponding, rescue call 3``, ``南仓道积水点求救3``: the point and the
    call's number among its calls), in call order."""
    from drillsim.report.wording import say

    points = {p.spec.id: live.point_name(p.spec.id)
              for p in (live.drill.flood.points if live.drill.flood is not None else [])}
    out: dict[str, dict[str, str]] = {}
    seen: dict[str, int] = {}
    for r in live.drill.records:
        if r.event == "call" and r.place in points:
            seen[r.place] = n = seen.get(r.place, 0) + 1
            out[r.incident] = {lang: say(lang, "report.flood_rescue_call",
                                         point=points[r.place][lang], n=n)
                               for lang in ("en", "zh")}
    return out


def _call_names(live: LiveDrill) -> dict[str, dict[str, str]]:
    """Each call's label in both languages, in call order: a call a waterlogging point
    raised as the report names it (:func:`_hazard_call_names`), a scripted incident's id
    and names, else its id."""
    hazard = _hazard_call_names(live)
    out: dict[str, dict[str, str]] = {}
    for r in live.drill.records:
        if r.event != "call":
            continue
        iid, spec = r.incident, live.drill.incidents[r.incident].spec
        if iid in hazard:
            out[iid] = hazard[iid]
        elif spec.name_en or spec.name_zh:
            out[iid] = _pair(f"{iid} {spec.name_en}".strip(), f"{iid} {spec.name_zh}".strip())
        else:
            out[iid] = _pair(iid, iid)
    return out


def _unit_lonlat(unit, net, now: float) -> list[float] | None:
    """Where a unit is at ``now``: on its leg, between the last node passed and the next
    (linear in time), else at its node."""
    leg = unit.leg
    if leg is None or len(leg.nodes) < 2:
        return _ll(net, unit.node if unit.node >= 0 else unit.home)
    k = int(np.searchsorted(leg.times, now, side="right"))
    if k <= 0:
        return _ll(net, leg.nodes[0])
    if k >= len(leg.nodes):
        return _ll(net, leg.nodes[-1])
    a, b = leg.nodes[k - 1], leg.nodes[k]
    t0, t1 = float(leg.times[k - 1]), float(leg.times[k])
    f = 0.0 if t1 <= t0 else min(1.0, max(0.0, (now - t0) / (t1 - t0)))
    return [round(float(net.lon[a] + f * (net.lon[b] - net.lon[a])), 6),
            round(float(net.lat[a] + f * (net.lat[b] - net.lat[a])), 6)]


def _incidents(live: LiveDrill) -> list[dict]:
    """The calls being worked (called, not yet cleared), in the order they came in;
    ``alarm`` 1 is the first alarm, as the records count it; ``label`` what the pages
    call it (:func:`_call_names`)."""
    drill, now = live.drill, live.now
    net = drill.world.network
    names = _call_names(live)
    out = []
    for iid in names:
        inc = drill.incidents[iid]
        if not inc.called or (inc.cleared is not None and inc.cleared.triggered):
            continue
        spec = inc.spec
        named = spec.name_en or spec.name_zh
        row = {"id": iid, "name": _pair(spec.name_en or iid, spec.name_zh or iid) if named
               else names.get(iid, _pair(iid, iid)),
               "label": names.get(iid, _pair(iid, iid)),
               "kind": spec.kind, "background": inc.background, "alarm": inc.alarm + 1,
               "lonlat": _ll(net, inc.node), "assigned": list(inc.assigned),
               "on_scene": list(inc.on_scene),
               "controlled": bool(inc.controlled is not None and inc.controlled.triggered)}
        if inc.is_fire:
            kw, need, rooms = inc.size(now)
            row["fire"] = {"kw": round(kw), "need_l_s": round(need, 1), "rooms": rooms}
        out.append(row)
    return out


def _closures(live: LiveDrill) -> list[dict]:
    """Roads closed to fire engines now (by an inject, a decision, water or a threat
    zone) as polylines, and the named roads closed by injects and decisions
    (:meth:`LiveDrill.closed_roads`, in both languages)."""
    drill = live.drill
    net = drill.world.network
    edges = drill.world.travel.closed_edges("fire_engine")
    return [{"lines": _lines(net, np.asarray(edges, dtype=np.int64)) if edges else [],
             "roads": [_pair(en, zh) for zh, en in live.closed_roads()]}]


def _flood_points(live: LiveDrill) -> list[dict]:
    flood = live.drill.flood
    if flood is None:
        return []
    net = live.drill.world.network
    return [{"id": p.spec.id,
             "name": _pair(p.spec.name_en or p.spec.id, p.spec.name_zh or p.spec.id),
             "lonlat": _ll(net, p.node), "depth_m": round(p.depth_m, 3),
             "closed": any(f == 0 for f in p.factors.values())}
            for p in flood.points]


def _plume(live: LiveDrill) -> list[dict]:
    """Each AEGL level's threat zone now: the outline (convex hull) of the population-grid
    cells inside it and the source, ``[lon, lat]`` points (the road nodes are too sparse
    to draw a zone), and the people above that level as the last ``plume`` record says."""
    chem = live.drill.chemical
    if chem is None:
        return []
    last = next((r for r in reversed(live.drill.records) if r.event == "plume"), None)
    out = []
    for level in sorted(chem.cells):
        inside = chem.cells[level]
        if not inside.any():
            continue
        pts = np.column_stack([chem.grid.lon[inside], chem.grid.lat[inside]])
        pts = np.vstack([pts, [[chem.src_lon, chem.src_lat]]])
        people = last.get(f"aegl{level}_people") if last is not None else None
        out.append({"level": int(level), "outline": _hull(pts), "people": people})
    return out


def _hull(pts: np.ndarray) -> list[list[float]]:
    """The convex hull of points (the points themselves when fewer than 3 or collinear)."""
    from scipy.spatial import ConvexHull, QhullError

    try:
        ring = pts[ConvexHull(pts).vertices] if len(pts) >= 3 else pts
    except QhullError:
        ring = pts
    return [[round(float(x), 6), round(float(y), 6)] for x, y in ring]


def _shelters(live: LiveDrill) -> list[dict]:
    shelters = live.drill.shelters
    if shelters is None:
        return []
    net = live.drill.world.network

    def status(sid: str, s) -> str:  # the pages' word: blocked, open, opening, not_open
        if sid in shelters.blocked:
            return "blocked"
        if s.opened.triggered:
            return "open"
        return "opening" if shelters.ordered else "not_open"  # ordered: setting up

    return [{"id": sid, "name": _place_name(live, sid), "lonlat": _ll(net, s.node),
             "people": s.occupants, "capacity": s.capacity, "open": s.opened.triggered,
             "blocked": sid in shelters.blocked, "status": status(sid, s)}
            for sid, s in sorted(shelters.by_id.items())]


def _trucks(live: LiveDrill) -> list[dict]:
    """The depots' trucks as units of the seats that send them: ``status`` ``available``
    (waiting at the depot for a job), ``loading`` (at the depot, loading for a shelter:
    the policy's or a player's) or ``on_road`` (to a shelter, unloading, or back)."""
    relief = live.drill.relief
    if relief is None:
        return []
    net = live.drill.world.network
    out = []
    for u, depot, _ in relief.trucks:
        if u.id in relief.idle and u.id not in relief.orders:
            status = "available"
        elif u.leg is None and u.node == depot.node:
            status = "loading"
        else:
            status = "on_road"
        out.append({"id": u.id, "type": u.type, "type_name": _term("unit", u.type),
                    "station": depot.id, "owner": _place_name(live, depot.id),
                    "status": status, "moving": False, "incident": "",
                    "lonlat": _unit_lonlat(u, net, live.now)})
    return out


def _depots(live: LiveDrill) -> list[dict]:
    relief = live.drill.relief
    if relief is None:
        return []
    return [{"id": did, "name": _place_name(live, did),
             "stock": [{"item": k, "name": _term("item", k), "qty": round(v, 1)}
                       for k, v in sorted(d.stock.items())]}
            for did, d in sorted(relief.depots.items())]


def _term(group: str, ident: str) -> dict[str, str]:
    """A catalogue id (relief item, unit type) named in both languages, as the report
    names it (:func:`drillsim.report.text.term`)."""
    from drillsim.report.text import term

    return {"en": term(group, ident, "en"), "zh": term(group, ident, "zh")}


# ---------------------------------------------------------------------------- decisions

def decision_forms(live: LiveDrill, role_id: str) -> list[dict]:
    """The decision forms of seat ``role_id`` now, built from what the seat can decide
    about (:meth:`LiveDrill.options`): one per kind it may take, each field with the
    choices that make sense now (the free units it commands for *send*, the held ones for
    *release*, the calls being worked, the roads of the map, the closed ones for
    *reopen* ...). A field's ``choices`` is a list of ``{"value", "label"}`` (``label`` a
    name in both languages, or ``key``: a word of the pages' wording), ``None`` for a
    number; ``multiple`` fields take several. A choice offered may still be refused when
    sent (:meth:`LiveDrill.check` has the last word)."""
    if live.finished:
        return []
    opt = defaultdict(list, live.options(role_id))  # a key the seat has no use for: none

    def pick(items, value="id") -> list[dict]:
        return [{"value": x[value], "label": _pair(x.get("name_en", "") or x[value],
                                                   x.get("name_zh", "") or x[value])}
                for x in items]

    def units(*status: str, where: tuple[str, ...] = ()) -> list[dict]:
        return [{"value": u["id"], "label": _pair(u["id"], u["id"])} for u in opt["units"]
                if u["status"] in status and (not where or u["where"] in where)]

    names = _call_names(live)
    calls = [{"value": c["id"], "label": names.get(c["id"], _pair(c["id"], c["id"]))}
             for c in opt["calls"]]
    fields = {  # the most frequent decisions first
        "send_unit": lambda: [("unit", units("available")), ("incident", calls)],
        "hold_unit": lambda: [("unit", units("available"))],
        "release_hold": lambda: [("unit", units("held"))],
        "recall_unit": lambda: [("unit", units("committed", where=("en_route",)))],
        "move_up": lambda: [("unit", units("available")), ("station", pick(opt["stations"]))],
        "call_mutual_aid": lambda: [("incident", calls), ("count", None)],
        "close_road": lambda: [("road", _roads(opt["roads"])), ("near", _near(live)),
                               ("radius_m", None)],
        "reopen_road": lambda: [("road", _roads(opt["roads_closed"])), ("near", _near(live)),
                                ("radius_m", None)],
        "mobilise_team": lambda: [("team", pick(opt["teams"]))],
        "send_pump": lambda: [
            ("unit", [{"value": u["id"], "label": _pair(u["id"], u["id"])}
                      for u in opt["pump_crews"] if u["status"] == "available"]),
            ("point", [{"value": p["id"], "label": {
                lang: f"{p[f'name_{lang}']} ({p['depth_m']:.2f} m)" for lang in ("en", "zh")}}
                for p in opt["points"]])],
        "open_shelters": lambda: [],
        "send_truck": lambda: [("depot", pick([d for d in opt["depots"] if d["free_trucks"]])),
                               ("shelter", pick([x for x in opt["shelters"]
                                                 if not x["closed"]]))],
        "protective_action": lambda: [
            ("communities", [{"value": c[0], "label": _pair(c[1], c[2])}
                             for c in opt["communities"]]),
            ("action", [{"value": a, "key": f"action_{a}"}
                        for a in ("evacuate", "shelter_in_place")])],
    }
    return [{"kind": kind, "fields": [{"name": n, "choices": c, "multiple": n == "communities",
                                       **NUMBER_FIELDS.get(n, {}), "json": n == "near"}
                                      for n, c in fields[kind]()]}
            for kind in fields if kind in opt["kinds"]
            and (kind != "protective_action" or opt["communities"])  # chemical drills only
            and (kind != "send_pump" or opt["points"])  # rainstorm drills only
            and (kind != "open_shelters"  # not once ordered (by a player or the policy)
                 or (opt["shelters"] and not opt["shelters"][0]["ordered"]))]


NUMBER_FIELDS = {"count": {"min": 1, "max": 10, "step": 1, "value": 1},
                 "radius_m": {"min": 50, "max": 20000, "step": 50, "value": 400}}
"""The number fields of the forms: bounds, step and the value offered (``radius_m``: the
default of a closure near a place, m)."""


def _near(live: LiveDrill) -> list[dict]:
    """Where a closure or reopening can be centred (``near``): the whole road first, then
    the map's places (stations, shelters, depots, hazard sites, team bases), the
    waterlogging points and the scripted calls being worked. Values are JSON (a place id,
    or ``{"lat", "lon"}`` of a point's or a call's road node)."""
    def at(lonlat: list[float]) -> str:
        return json.dumps({"lat": lonlat[1], "lon": lonlat[0]})

    out = [{"value": "", "key": "whole_road"}]
    out += [{"value": json.dumps(p.id), "label": _place_name(live, p.id)}
            for p in live.drill.world.places if p.kind in MAP_PLACE_KINDS]
    flood = live.drill.flood
    for p in flood.points if flood is not None else []:  # at its place, else its road node
        place = p.spec.location.place if p.spec.location is not None else ""
        lonlat = _ll(live.drill.world.network, p.node)
        if place or lonlat:
            out.append({"value": json.dumps(place) if place else at(lonlat),
                        "label": live.point_name(p.spec.id)})
    out += [{"value": at(i["lonlat"]), "label": i["label"]}
            for i in _incidents(live) if i["lonlat"] and not i["background"]]
    return out


def _roads(pairs: list) -> list[dict]:
    """Road choices from ``[name_zh, name_en]`` pairs (the Chinese name is sent)."""
    return [{"value": zh or en, "label": _pair(en, zh)} for zh, en in pairs]
