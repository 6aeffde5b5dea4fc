"""Making and checking district packages (adapter layer): ``drillsim district new / check``.

:func:`make_district` turns a road network file (osmnx GraphML, or an OpenStreetMap
extract read by :func:`read_osm`) into a package folder: the driving network
(footways and non-roads dropped, the largest strongly connected part kept) and
templates, with comments, for the places, population, waterlogging points and forces
the user fills in. :func:`check_district` says what is missing or suspicious, one line
each.

OSM extracts: osmnx (which reads OSM through the Overpass API and needs geopandas and
shapely) is not a dependency. An ``.osm`` file (the "Export" of openstreetmap.org,
JOSM, or an Overpass ``out body;`` query) is plain XML that the standard library
reads (:func:`read_osm_xml`); a ``.pbf`` file (Geofabrik, BBBike, ``osmium extract``)
and a compressed ``.osm.gz`` / ``.osm.bz2`` are read with pyosmium, the Python binding of
libosmium, the OSM community's reference reader (:func:`read_osm_osmium`). Both readers
give the same parsed ways (:class:`OsmData`) and one function builds the graph from them
(:func:`osm_graph`).
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import yaml

from drillsim.network.district import MANIFEST, District, DistrictError, load_district
from drillsim.network.graph import EARTH_RADIUS_M, RoadNetwork, haversine_m, parse_maxspeed
from drillsim.network.places import Place, Places

DRIVE_MINUTES = 10.0
"""A station should reach half of the district's drivable nodes within this, min."""

SHELTER_FLOOD_M = 250.0
"""A shelter this close to a waterlogging point is suspicious, m (a street ponding
reaches about 200 m along the street from its sag, docs/models.md)."""


@dataclass
class MadeDistrict:
    """What :func:`make_district` wrote and dropped.

    Attributes
    ----------
    folder
        The package folder.
    nodes, arcs
        Nodes and arcs of the written driving network.
    dropped
        Arcs dropped per reason (non-roads, ways not driven) and ``"nodes"``.
    outside_core
        Nodes dropped because they are not in the largest strongly connected part
        (dead ends of one-way fragments, islands).
    converted
        How a projected GraphML was converted to longitude / latitude
        (:func:`drillsim.network.graphml.to_wgs84`), ``""`` when it was not.
    turn_restrictions
        Turn restrictions of an OSM extract, not honoured by routing
        (:data:`TURN_RESTRICTIONS`).
    shape_nodes
        Nodes added along arcs longer than
        :data:`~drillsim.network.package_roads.MAX_ARC_M` and at their geometry's vertices
        (included in ``nodes``).
    """

    folder: Path
    nodes: int
    arcs: int
    dropped: dict[str, int] = field(default_factory=dict)
    outside_core: int = 0
    converted: str = ""
    turn_restrictions: int = 0
    shape_nodes: int = 0


# --------------------------------------------------------------------------- OSM XML

SKIPPED_WAYS = "skipped_ways"
"""Graph attribute of :func:`osm_graph`: the ways it left out, counted by why
(``"railway=rail (no highway tag: not a road)"``, ``"access=private (closed to motor
traffic)"``...)."""

SKIPPED_ROADS = "skipped_roads"
"""Graph attribute of :func:`osm_graph`: the rows of ``dropped.csv``
(:data:`~drillsim.network.package_roads.DROPPED_COLUMNS`) of the highway ways it left out
(closed to motor traffic, tidal), one per stretch between two drawn nodes: they never
become arcs, so ``dropped.csv`` learns of them only here."""

TURN_RESTRICTIONS = "turn_restrictions"
"""Graph attribute of :func:`osm_graph`: the number of turn restrictions (relations
``type=restriction``) in the file, which routing does not honour."""

_NOT_ROAD_KEYS = ("railway", "waterway", "building", "landuse", "leisure", "natural",
                  "barrier", "amenity", "power", "boundary", "area:highway", "man_made")
"""Tags that name what a way without ``highway`` is, in the order they are reported."""

_ACCESS_KEYS = ("motorcar", "motor_vehicle", "vehicle", "access")
"""Access tags that concern a fire engine, most specific first (OSM access rules: the most
specific tag given wins)."""

_EMERGENCY_YES = frozenset({"yes", "designated", "permissive"})


def _closed_to_driving(tags: dict[str, str]) -> str | None:
    """Why a highway way is closed to fire engines and trucks, or ``None``.

    ``emergency=yes`` keeps a way open whatever else it says. Otherwise the most specific
    of ``motorcar``, ``motor_vehicle``, ``vehicle``, ``access`` that is given decides:
    ``no`` or ``private`` closes the way; ``destination``, ``delivery``, ``yes`` and the
    rest keep it (a fire engine goes to a destination).
    """
    if str(tags.get("emergency", "")).lower() in _EMERGENCY_YES:
        return None
    for key in _ACCESS_KEYS:
        value = str(tags.get(key, "")).strip().lower()
        if value:
            return f"{key}={value}" if value in ("no", "private") else None
    return None


def _direction(tags: dict[str, str]) -> str:
    """Which way a highway way is driven: ``"both"``, ``"forward"`` (as its nodes run),
    ``"backward"`` or ``"reversible"`` (the direction changes by the time of day).

    As osmnx: ``oneway=yes/true/1``, ``junction=roundabout`` or ``circular`` and
    ``highway=motorway`` (unless ``oneway=no``) are forward, ``oneway=-1`` or ``reverse``
    backward.
    """
    oneway = str(tags.get("oneway", "")).strip().lower()
    if oneway == "reversible":
        return "reversible"
    if oneway in ("-1", "reverse"):
        return "backward"
    if oneway in ("yes", "true", "1") or tags.get("junction") in ("roundabout", "circular") \
            or (tags.get("highway") == "motorway" and oneway not in ("no", "false", "0")):
        return "forward"
    return "both"


def _skipped_rows(why: str, tags: dict[str, str], refs: list[str],
                  coords: dict[str, tuple[float, float]]) -> list[dict[str, str]]:
    """``dropped.csv`` rows of a highway way :func:`osm_graph` left out: one per stretch
    between two consecutive drawn nodes (as the arcs of a kept way)."""
    rows = []
    for u, v in zip(refs[:-1], refs[1:], strict=True):
        if u == v:
            continue
        (la, lo), (lb, lob) = coords[u], coords[v]
        rows.append({"reason": why, "name": tags.get("name:zh") or tags.get("name") or "",
                     "name_en": tags.get("name:en") or "", "highway": tags["highway"],
                     "from_node": u, "to_node": v,
                     "length_m": f"{float(haversine_m(la, lo, lb, lob)):.1f}",
                     "geometry": f"LINESTRING ({lo!r} {la!r}, {lob!r} {lb!r})"})
    return rows


@dataclass
class OsmData:
    """What an OSM extract holds for the driving graph, whatever its format.

    Attributes
    ----------
    coords
        ``(lat, lon)`` of the nodes, degrees (WGS84), by OSM node id; nodes no way
        references may be left out.
    ways
        ``(way id, node ids, tags)`` of every way, in file order; node ids without a
        coordinate are left out.
    turn_restrictions
        Number of relations ``type=restriction``.
    """

    coords: dict[str, tuple[float, float]]
    ways: list[tuple[str, list[str], dict[str, str]]]
    turn_restrictions: int = 0


OSMIUM_SUFFIXES = (".pbf", ".osm.gz", ".osm.bz2")
"""Extract names read with pyosmium (:func:`read_osm_osmium`); others are OSM XML."""


def read_osm(path: str | Path) -> nx.MultiDiGraph:
    """The driving graph (:func:`osm_graph`) of an OSM extract, read by its suffix: ``.pbf``,
    ``.osm.gz`` and ``.osm.bz2`` with pyosmium (:func:`read_osm_osmium`), any other as OSM
    XML (:func:`read_osm_xml`).

    Raises
    ------
    DistrictError
        When the file cannot be read or holds no drivable highway.
    """
    path = Path(path)
    if path.name.lower().endswith(OSMIUM_SUFFIXES):
        return read_osm_osmium(path)
    return read_osm_xml(path)


def read_osm_xml(path: str | Path) -> nx.MultiDiGraph:
    """The driving graph (:func:`osm_graph`) of an OpenStreetMap XML file (``.osm``),
    parsed with the standard library.

    Raises
    ------
    DistrictError
        When the file is not OSM XML or holds no drivable highway.
    """
    path = Path(path)
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as exc:
        raise DistrictError(f"{path}: not a readable OpenStreetMap XML file ({exc})") from None
    if root.tag != "osm":
        raise DistrictError(f"{path}: not an OpenStreetMap XML file (the root element is "
                            f"<{root.tag}>, expected <osm>)")
    coords: dict[str, tuple[float, float]] = {}
    for n in root.iter("node"):
        try:
            coords[n.attrib["id"]] = (float(n.attrib["lat"]), float(n.attrib["lon"]))
        except (KeyError, ValueError):
            continue
    ways = [(w.attrib.get("id", ""),
             [nd.attrib["ref"] for nd in w.iter("nd") if nd.attrib.get("ref") in coords],
             {t.attrib.get("k"): t.attrib.get("v") for t in w.iter("tag")})
            for w in root.iter("way")]
    restrictions = sum(
        1 for rel in root.iter("relation")
        if any(t.attrib.get("k") == "type" and t.attrib.get("v") == "restriction"
               for t in rel.iter("tag")))
    return osm_graph(path, OsmData(coords, ways, restrictions))


def read_osm_osmium(path: str | Path) -> nx.MultiDiGraph:
    """The driving graph (:func:`osm_graph`) of an OSM extract read with pyosmium: PBF
    (``.pbf``) or compressed XML (``.osm.gz``, ``.osm.bz2``).

    Way nodes take their coordinates from libosmium's node location index (the
    ``with_locations`` of :class:`osmium.FileProcessor`), so only the nodes of ways are
    kept in memory. libosmium stores coordinates to 1e-7° (about 1 cm), the precision of
    the OSM database and of PBF files.

    Raises
    ------
    DistrictError
        When pyosmium cannot read the file or it holds no drivable highway.
    """
    import osmium

    path = Path(path)
    coords: dict[str, tuple[float, float]] = {}
    ways: list[tuple[str, list[str], dict[str, str]]] = []
    restrictions = 0
    try:
        for obj in osmium.FileProcessor(str(path)).with_locations():
            if obj.is_way():
                refs = []
                for nd in obj.nodes:
                    if nd.location.valid():
                        ref = str(nd.ref)
                        coords.setdefault(ref, (nd.location.lat, nd.location.lon))
                        refs.append(ref)
                ways.append((str(obj.id), refs, {t.k: t.v for t in obj.tags}))
            elif obj.is_relation() and obj.tags.get("type") == "restriction":
                restrictions += 1
    except (RuntimeError, OSError, ValueError) as exc:
        raise DistrictError(f"{path}: not a readable OpenStreetMap file ({exc}); drillsim "
                            "reads .osm (XML), .osm.gz, .osm.bz2 and .pbf extracts") from None
    return osm_graph(path, OsmData(coords, ways, restrictions))


def osm_graph(path: Path, data: OsmData) -> nx.MultiDiGraph:
    """An osmnx-style driving graph from the parsed ways of an OSM extract ``path``.

    Every way with a ``highway`` tag becomes an arc between each two consecutive nodes,
    shape points included (``length`` the haversine distance, m): places and coordinates
    snap to the road node nearest them, and a 1 km block without a junction still has the
    nodes the mapper drew on it (as the embedded network keeps its shape points); maps
    draw bends as mapped.
    Directions (:func:`_direction`): one-way forward or backward (``oneway=-1``);
    ``oneway=reversible`` ways (tidal lanes) are left out, their direction at the drill's
    hour being unknown. Ways closed to motor traffic (:func:`_closed_to_driving`:
    ``access``, ``vehicle``, ``motor_vehicle``, ``motorcar`` = ``no`` or ``private``,
    unless ``emergency=yes``) are left out. Each arc's ``maxspeed`` is the way's
    ``maxspeed:forward`` or ``maxspeed:backward`` for its direction when given, else
    ``maxspeed``. Tags kept: ``highway``, ``name``, ``name:en`` (as ``name_en``),
    ``name:zh``, ``maxspeed``, ``bridge``, ``area``, ``railway``. Turn restrictions
    (relations ``type=restriction``) are counted (:data:`TURN_RESTRICTIONS`), not
    honoured.

    Raises
    ------
    DistrictError
        When the extract holds no drivable highway.
    """
    coords = data.coords
    ways = []
    skipped: dict[str, int] = {}
    skipped_roads: list[dict[str, str]] = []
    highways = 0
    for osmid, refs, tags in data.ways:
        if not tags.get("highway"):
            key = next((f"{k}={tags[k]}" for k in _NOT_ROAD_KEYS if tags.get(k)), "untagged"
                       if not tags else "no highway tag")
            why = f"{key} (no highway tag: not a road)"
        else:
            highways += 1
            closed = _closed_to_driving(tags)
            why = (f"{closed} (closed to motor traffic)" if closed else
                   "oneway=reversible (a tidal way: its direction at the drill's hour is "
                   "unknown)" if _direction(tags) == "reversible" else None)
        if why is not None:
            skipped[why] = skipped.get(why, 0) + 1
            if tags.get("highway"):
                skipped_roads += _skipped_rows(why, tags, refs, coords)
            continue
        if len(refs) >= 2:
            ways.append((osmid, refs, tags))
    if not ways:
        closed = f" ({highways} closed to driving)" if highways else ""
        raise DistrictError(f"{path}: no drivable ways with a highway tag{closed} (is it an "
                            "extract of roads?)")
    graph = nx.MultiDiGraph(crs="epsg:4326", created_with="drillsim OSM reader")
    graph.graph[SKIPPED_WAYS] = skipped
    graph.graph[SKIPPED_ROADS] = skipped_roads
    graph.graph[TURN_RESTRICTIONS] = data.turn_restrictions
    for osmid, refs, tags in ways:
        attrs = {k: v for k, v in {
            "osmid": osmid, "highway": tags.get("highway"), "name": tags.get("name:zh")
            or tags.get("name"), "name_en": tags.get("name:en"),
            "bridge": tags.get("bridge"), "area": tags.get("area"),
            "railway": tags.get("railway")}.items() if v}
        speed = {d: tags.get(f"maxspeed:{d}") or tags.get("maxspeed")
                 for d in ("forward", "backward")}
        direction = _direction(tags)
        for u, v in zip(refs[:-1], refs[1:], strict=True):
            if u == v:
                continue
            length = round(float(haversine_m(coords[u][0], coords[u][1], coords[v][0],
                                             coords[v][1])), 3)
            for node in (u, v):
                if node not in graph:
                    graph.add_node(node, y=coords[node][0], x=coords[node][1])
            one = direction != "both"
            for d, (tail, head) in (("forward", (u, v)), ("backward", (v, u))):
                if direction in ("both", d):
                    extra = {"maxspeed": speed[d]} if speed[d] else {}
                    graph.add_edge(tail, head, length=length, oneway=one, **attrs, **extra)
    return graph


# --------------------------------------------------------------------------- new package


def make_district(name: str, folder: str | Path, *, graphml: str | Path | None = None,
                  osm: str | Path | None = None, name_en: str = "", name_zh: str = ""
                  ) -> MadeDistrict:
    """Create a district package in ``folder`` from a GraphML or OSM road network (XML or PBF).

    Raises
    ------
    DistrictError
        When the folder already holds a package, the source cannot be read, or nothing
        drivable is left.
    """
    from drillsim.network.fit import graph_problem
    from drillsim.network.graph import CONVERTED_FROM
    from drillsim.network.graphml import drop_non_roads, to_wgs84

    folder = Path(folder)
    if (folder / MANIFEST).exists():
        raise DistrictError(f"{folder}: already a district package ({MANIFEST} exists); "
                            "choose another folder or delete it first")
    if (graphml is None) == (osm is None):
        raise DistrictError("give the road network: --graphml FILE or --osm FILE")
    if graphml is not None:
        source = Path(graphml)
        if not source.is_file():
            raise DistrictError(f"{source}: no such GraphML file")
        try:
            graph = nx.read_graphml(source, force_multigraph=True)
        except (ET.ParseError, nx.NetworkXError, UnicodeDecodeError, ValueError,
                KeyError) as exc:
            raise DistrictError(f"{source}: not a readable GraphML file ({exc})") from None
    else:
        source = Path(osm)
        if not source.is_file():
            raise DistrictError(f"{source}: no such OpenStreetMap file")
        graph = read_osm(source)
    try:
        converted = to_wgs84(graph) or ""
    except ValueError as exc:
        raise DistrictError(f"{source}: {exc}") from None
    graph.graph.pop(CONVERTED_FROM, None)  # the package's file is in longitude / latitude
    problem = graph_problem(graph)
    if problem:
        raise DistrictError(f"{source}: {problem}")
    dropped = {f"way {k}": n for k, n in graph.graph.pop(SKIPPED_WAYS, {}).items()}
    restrictions = int(graph.graph.pop(TURN_RESTRICTIONS, 0))
    skipped_roads = graph.graph.pop(SKIPPED_ROADS, [])
    source_graph = graph.copy()
    dropped |= drop_non_roads(graph, drive=True)
    strong = max(nx.strongly_connected_components(graph), key=len, default=set())
    if len(strong) < 2:
        raise DistrictError(f"{source}: no two nodes can be driven between both ways")
    outside = graph.number_of_nodes() - len(strong)
    drivable, graph = graph, graph.subgraph(sorted(strong, key=str)).copy()
    for _, data in graph.nodes(data=True):
        for k, v in list(data.items()):
            if v is None:
                del data[k]
    for _, _, data in graph.edges(data=True):
        for k, v in list(data.items()):
            if v is None or isinstance(v, list | dict):
                data[k] = str(v) if v is not None else ""
    folder.mkdir(parents=True, exist_ok=True)
    shape_nodes = _write_roads(folder, source_graph, drivable, graph, skipped_roads)
    lat = np.array([float(d["y"]) for _, d in graph.nodes(data=True)])
    lon = np.array([float(d["x"]) for _, d in graph.nodes(data=True)])
    centre = (float(np.mean(lat)), float(np.mean(lon)))
    _write_templates(folder, name, name_en or name, name_zh or name, source, centre,
                     dropped, outside)
    return MadeDistrict(folder, graph.number_of_nodes(), graph.number_of_edges(), dropped,
                        outside, converted, restrictions, shape_nodes)


def _write_roads(folder: Path, source: nx.MultiDiGraph, drivable: nx.MultiDiGraph,
                 kept: nx.MultiDiGraph, skipped_roads: list[dict[str, str]]) -> int:
    """Write the package's ``network.graphml`` (``kept`` with long arcs split,
    :func:`~drillsim.network.package_roads.split_long_arcs`) and ``dropped.csv`` (what
    was left out of ``source`` and why, with the ``skipped_roads`` the OSM reader never
    made arcs of, :data:`SKIPPED_ROADS`); returns the number of nodes the split added."""
    from drillsim.network.package_roads import (
        DROPPED_FILE,
        dropped_roads,
        split_long_arcs,
        write_dropped,
    )

    rows = dropped_roads(source, kept, drivable) + skipped_roads
    write_dropped(folder / DROPPED_FILE,
                  sorted(rows, key=lambda r: (r["reason"], r["name"], r["from_node"])))
    added = split_long_arcs(kept)
    nx.write_graphml(kept, folder / "network.graphml")
    return added


def _write_templates(folder: Path, name: str, name_en: str, name_zh: str, source: Path,
                     centre: tuple[float, float], dropped: dict[str, int], outside: int) -> None:
    lat, lon = centre
    dropped_text = ", ".join(f"{k}: {v}" for k, v in sorted(dropped.items())) or "nothing"
    files = {
        MANIFEST: f"""\
# District package for drillsim (docs/districts.md). Made by `drillsim district new`
# from {source.name}. Dropped from the source: {dropped_text}; {outside} node(s) outside
# the largest part in which every node can be driven to and from every other.
# FILL IN: the names, where your data come from and under which licence.
name: {name}
name_en: {yaml.safe_dump(name_en, allow_unicode=True).splitlines()[0]}
name_zh: {yaml.safe_dump(name_zh, allow_unicode=True).splitlines()[0]}
version: "1"
crs: EPSG:4326
licence: "FILL IN, e.g. ODbL (© OpenStreetMap contributors) for OSM roads"
sources:
  - "roads: {source.name}"
estimated: [places, population, waterlogging]
files:
  network: network.graphml
  places: [places.yaml]
  population: population.yaml
  waterlogging: waterlogging.yaml
  forces: forces.yaml
  dropped: dropped.csv   # roads left out of the network and why (written by district new)
""",
        "places.yaml": f"""\
# Places of the district. FILL IN each list; every place needs a unique `id` (letters,
# digits, _), `name_zh`, `name_en`, and `lat` / `lon` in WGS84 degrees (as on
# openstreetmap.org; NOT the shifted GCJ-02 coordinates of Chinese web maps).
# Drills name places by id (`location: north_station`). `drillsim district check`
# says which places lie far from the roads. The network's centre is ({lat:.5f}, {lon:.5f}).
#
# Example (remove the leading '# ' to use it):
# stations:
#   - {{id: north_station, name_zh: 北站消防救援站, name_en: North Fire Station,
#      lat: {lat:.5f}, lon: {lon:.5f}}}
stations: []      # fire rescue stations (their apparatus go in forces.yaml)
shelters: []      # emergency shelters: add `capacity: 5000` (people)
depots: []        # relief supply depots
team_bases: []    # where rescue teams gather
hazard_sites: []  # plants and stores with dangerous goods (chemical drills)
landmarks: []     # anything a drill names: underpasses, schools, hospitals...
""",
        "population.yaml": f"""\
# Who lives where: the district's subdistricts (街道) with their residents. The
# chemical model counts people exposed, and background calls come from where people
# live; a district without population cannot play a chemical drill.
# FILL IN one entry per subdistrict: its centre and its residents (e.g. census).
#
# Example:
# subdistricts:
#   - {{id: centre, name_zh: 中心街道, name_en: Centre Subdistrict, lat: {lat:.5f},
#      lon: {lon:.5f}, population: 50000, communities: 8}}
# communities:   # optional: its communities (社区); residents sum to its population
#   - {{id: east_gate, name: 东门社区, name_en: East Gate Community, lat: {lat:.5f},
#      lon: {lon:.5f}, residents: 6000, subdistrict: centre}}
subdistricts: []
communities: []
""",
        "waterlogging.yaml": """\
# Known waterlogging points (易涝点): the `flood.points` of a flood drill that gives
# none. FILL IN from the city's waterlogging list; the fields are those of
# `flood.points` in docs/scenario-format.md.
#
# Example:
# points:
#   - id: rail_underpass
#     name_zh: 铁路桥下地道
#     name_en: Railway underpass
#     location: {lat: 0.0, lon: 0.0}   # or the id of a landmark in places.yaml
#     catchment_ha: 3          # area that drains to the point, ha
#     runoff_coeff: 0.9        # share of the rain that runs off (paved: 0.9)
#     drain_m3_s: 0.5          # pumps / drains, m³/s
#     area_m2: 1200            # area the water spreads over, m²
#     radius_m: 200            # roads within this distance flood with it, m
#     roads: [Station Road]    # optional: only roads with these names
#     residents: 800           # people in low-lying homes nearby who leave when the water
#                              # is deep (default 0: nobody leaves, no rescue calls)
#     displace_depth_m: 0.3    # median floor height of those homes above the street, m
points: []
""",
        "forces.yaml": """\
# Default forces of a drill in this district that gives no `forces:` (the same
# fields as `forces:` in docs/scenario-format.md). FILL IN the stations of
# places.yaml with their apparatus (remove the leading '# ' of the lines you use):
#
# stations:
#   - id: north_station          # the id of the station in places.yaml
#     name_zh: 北站消防救援站
#     name_en: North Fire Station
#     personnel: 20
#     apparatus:
#       - {id: N-E1, type: engine, crew: 5}
#       - {id: N-L1, type: ladder, crew: 3}
#     turnout: {day: 60 s, night: 90 s}
# response_plans:                # units sent per call type (fires use the occupancy plans)
#   rescue: [{rescue: 1, engine: 1}]
#   alarm: [{engine: 1}]
#   flood_rescue: [{"rescue|rescue_team": 1}]
#   hazmat: [{hazmat: 1, engine: 2}]   # chemical drills: give a station a staffed
#                                      # hazmat unit ({id: N-H1, type: hazmat, crew: 4})
# teams:                         # rescue and pump teams (flood drills)
#   - id: pump_team
#     name_zh: 排涝队
#     name_en: Pump team
#     kind: part_time
#     base: city_yard            # a team_bases id of places.yaml
#     members: 20
#     mobilisation: {dist: lognormal, median: 45 min, p90: 90 min}
#     units:
#       - {type: pump_crew, count: 2, crew: 4, vehicle: truck, pump_m3_s: 0.5}
# depots:                        # relief depots of places.yaml: stock and trucks (without
#   - id: city_depot             # a truck no ration reaches a shelter in a flood drill)
#     stock: {water_l: 18000, food_ration: 6000, bedding_set: 3000}
#     trucks:
#       - {id: CD-T1, capacity_kg: 5000}
# shelters:                      # shelters of places.yaml that open in a drill
#   - {id: east_park, kind: fixed}
""",
    }
    for name_, text in files.items():
        (folder / name_).write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------- check


@dataclass(frozen=True)
class Finding:
    """One thing missing or suspicious in a package.

    Attributes
    ----------
    file
        The file concerned.
    line
        1-based line, or ``None``.
    field
        What it is about (``stations``, ``shelters[2]``...).
    message
        What is wrong, in plain words.
    error
        Whether drills cannot use the package as it is (else a warning).
    """

    file: str
    line: int | None
    field: str
    message: str
    error: bool = False

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


def _line_of(path: Path | None, needle: str) -> int | None:
    if path is None or not path.is_file():
        return None
    for i, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in text and not text.lstrip().startswith("#"):
            return i
    return None


def check_district(spec: str | Path) -> tuple[District, list[Finding]]:
    """What is missing or suspicious in a district package.

    Missing: stations, shelters, population, waterlogging points (or residents at them),
    default forces.
    Suspicious: places units drive to (every kind but subdistricts, whose centres are
    only checked to lie in the network's area, :func:`_centre_outside`) farther from the
    drivable network than the drills accept
    (:data:`drillsim.network.fit.SNAP_PLACE_MAX_M`: an error), than a drill's coordinate
    may lie (:data:`drillsim.network.fit.SNAP_MAX_M` or the package's ``snap_max_m``: a
    warning, with "swapped lat/lon?" when the swapped pair lies on the network) or than
    the network's warning bound; stations that
    reach less than half of the drivable nodes within :data:`DRIVE_MINUTES`; shelters
    within :data:`SHELTER_FLOOD_M` of a waterlogging point.

    Raises
    ------
    DistrictError
        When the package cannot be read at all.
    """
    from drillsim.network.fit import SNAP_MAX_M, SNAP_PLACE_MAX_M, drive_core
    from drillsim.network.graph import TravelTimes
    from drillsim.network.graphml import district_network, district_places

    d = load_district(str(spec))
    network = district_network(d)
    places = district_places(d)
    out: list[Finding] = []
    manifest = str(d.folder / MANIFEST)
    places_file = d.places[0] if d.places else None
    where = str(places_file or manifest)
    for kind, label, why in (("station", "stations", "fire drills need stations"),
                             ("shelter", "shelters", "flood and chemical drills send people "
                              "to shelters")):
        if not places.of_kind(kind):
            out.append(Finding(where, _line_of(places_file, f"{label}:"), label,
                               f"no {label} yet: {why}", error=kind == "station"))
    people = sum(float(p.attrs.get("population", 0) or 0) for p in places.of_kind("subdistrict"))
    if people <= 0:
        pop = d.population or places_file
        out.append(Finding(str(pop or manifest), _line_of(pop, "subdistricts:"), "subdistricts",
                           "no population: chemical drills are refused and background calls "
                           "come only from activity centres; give each subdistrict's residents"))
    points = _points(d)
    if not points:
        out.append(Finding(str(d.waterlogging or manifest),
                           _line_of(d.waterlogging, "points:"), "points",
                           "no waterlogging points: a flood drill must give its own "
                           "flood.points"))
    elif not _points_have_residents(d):
        out.append(Finding(str(d.waterlogging), _line_of(d.waterlogging, "points:"), "points",
                           "no waterlogging point has residents: a flood drill on them "
                           "displaces nobody (no shelters filled, no relief, no water "
                           "rescue calls); give each point's `residents`, the people in "
                           "low-lying homes nearby"))
    forces = yaml.safe_load(d.forces.read_text(encoding="utf-8")) if d.forces else None
    if not (isinstance(forces, dict) and forces.get("stations")):
        out.append(Finding(str(d.forces or manifest), None, "stations",
                           "no default forces: every drill must give its own forces: "
                           "(stations with apparatus)"))
    out += _plans_without_staff(d, forces)
    out += speed_findings(d, network)
    out += _no_relief_trucks(d, forces, places)
    if d.licence.strip().upper().startswith("FILL IN"):
        out.append(Finding(manifest, _line_of(d.folder / MANIFEST, "licence:"), "licence",
                           "licence is still the template's placeholder: state under which "
                           "licence the data may be used (ODbL for OpenStreetMap roads); "
                           "reports and run folders pass it on"))
    if network.converted_from:
        out.append(Finding(str(d.network), None, "crs",
                           f"the network's coordinates are converted from "
                           f"{network.converted_from} to WGS84 longitude / latitude on every "
                           "load; `drillsim district new` writes them converted once"))
    core = drive_core(network)
    bound = SNAP_MAX_M if d.snap_max_m is None else d.snap_max_m
    bound_source = "" if d.snap_max_m is None else " (snap_max_m of district.yaml)"
    for p in places:
        file = next((f for f in (*d.places, d.population) if f and _line_of(f, p.id)), None)
        if p.kind in ("subdistrict", "community"):
            out += _centre_outside(network, p, str(file or manifest), _line_of(file, p.id))
            if p.kind == "community":
                out += _community_off_road(network, p, str(file or manifest),
                                           _line_of(file, p.id))
            continue
        node, dist = core.nearest(network, p.lat, p.lon)
        swapped = ""
        if dist > bound and -90 <= p.lon <= 90:
            _, back = core.nearest(network, p.lon, p.lat)
            swapped = "; swapped lat/lon?" if back <= bound else ""
        if dist > SNAP_PLACE_MAX_M:
            out.append(Finding(str(file or manifest), _line_of(file, p.id), p.id,
                               f"{p.label} lies {dist:.0f} m from the nearest drivable road "
                               f"node, more than {SNAP_PLACE_MAX_M:.0f} m: drills refuse it; "
                               f"check its lat / lon (WGS84, not GCJ-02){swapped}", error=True))
        elif dist > bound:
            out.append(Finding(str(file or manifest), _line_of(file, p.id), p.id,
                               f"{p.label} lies {dist:.0f} m from the nearest drivable road "
                               f"node, more than {bound:.0f} m{bound_source}: drills play it "
                               "at that node (the run records the distance); check its lat / "
                               f"lon (WGS84, not GCJ-02){swapped}"))
        elif dist > core.warn_m:
            out.append(Finding(str(file or manifest), _line_of(file, p.id), p.id,
                               f"{p.label} is {dist:.0f} m from the nearest drivable road "
                               f"node (more than {core.warn_m:.0f} m)"))
    out += _communities_not_summing(d, places)
    out += _cells_outside(d, network, places)
    travel = TravelTimes(network)
    for s in places.of_kind("station"):
        node, _ = core.nearest(network, s.lat, s.lon)
        t = travel.times_from(node, "fire_engine")[core.nodes]
        share = float(np.mean(t <= DRIVE_MINUTES * 60.0))
        if share < 0.5:
            file = next((f for f in d.places if _line_of(f, s.id)), places_file)
            out.append(Finding(str(file or manifest), _line_of(file, s.id), s.id,
                               f"{s.label} reaches only {share:.0%} of the district's "
                               f"drivable nodes within {DRIVE_MINUTES:.0f} min (a station "
                               "should reach at least half): is it in the right place?"))
    for sh in places.of_kind("shelter"):
        for pid, plat, plon in points:
            dist = float(haversine_m(sh.lat, sh.lon, plat, plon))
            if dist <= SHELTER_FLOOD_M:
                file = next((f for f in d.places if _line_of(f, sh.id)), places_file)
                out.append(Finding(str(file or manifest), _line_of(file, sh.id), sh.id,
                                   f"shelter {sh.label} is {dist:.0f} m from waterlogging "
                                   f"point {pid!r}: people would be sent into the water"))
    return d, out


def _no_relief_trucks(d: District, forces: object, places: Places) -> list[Finding]:
    """A warning when the default forces (given, with stations) send people to shelters
    but no depot has a truck: a flood or chemical drill on them relieves nobody (trial 2
    of issue 15: forces.yaml without ``depots:``)."""
    if not (isinstance(forces, dict) and forces.get("stations")) or d.forces is None \
            or not (forces.get("shelters") or places.of_kind("shelter")):
        return []
    depots = forces.get("depots") or []
    if any(isinstance(x, dict) and x.get("trucks") for x in depots):
        return []
    line = _line_of(d.forces, "depots:")
    return [Finding(str(d.forces), line, "depots",
                    "no relief depot with trucks: a flood or chemical drill on these forces "
                    "brings no ration to any shelter (nobody is relieved; the report names "
                    "'no relief trucks' as the bottleneck); give `depots:` with `stock` and "
                    "`trucks` (docs/scenario-format.md)")]


URBAN_MAX_KMH = 80.0
"""Highest plausible speed on an urban street class (:data:`URBAN_CLASSES`), km/h: above
the 60 km/h top of the arterial band of CJJ 37-2012 table 3.0.2 and the 50-60 km/h urban
limits of most countries (OSM wiki "Default speed limits"); more is a tagging slip."""

URBAN_CLASSES = ("residential", "tertiary", "unclassified", "living_street", "service")
"""OSM classes of streets inside a town, where speeds above :data:`URBAN_MAX_KMH` warn."""

MPH_AREAS: dict[str, tuple[tuple[float, float, float, float], ...]] = {
    # (min lat, max lat, min lon, max lon), degrees: rough boxes, not borders.
    "the United States": ((24.4, 49.5, -125.0, -66.9), (51.0, 71.5, -180.0, -129.9),
                          (18.8, 22.4, -160.3, -154.7)),
    "the United Kingdom": ((49.8, 60.9, -8.2, 1.8),),
    "Liberia": ((4.3, 8.6, -11.5, -7.4),),
    "Myanmar": ((9.5, 28.6, 92.1, 101.2),),
}
"""Where speed limits are signed in miles per hour (OSM wiki "Key:maxspeed": the US, the
UK, Liberia, Myanmar; small territories left out). A package whose network centre lies in
none of these boxes gets a warning for each road tagged in mph. Boxes, not borders: Ireland
falls in the UK box (mph there is not warned of), which errs towards silence."""


def speed_findings(d: District, network: RoadNetwork) -> list[Finding]:
    """Warnings, one per road, for speeds the data make implausible (trial 2 of issue 15:
    ``maxspeed=50 mph`` on a street of Harbin gave engines 88 km/h without a word):
    ``maxspeed`` tags in mph when the network's centre lies outside :data:`MPH_AREAS`
    (GraphML packages, whose tags are kept), and speeds above :data:`URBAN_MAX_KMH` on an
    :data:`URBAN_CLASSES` street from any source (tag, osmnx ``speed_kph``, travel time)."""
    file = str(d.network)
    lat0, lon0, lat1, lon1 = network.bbox
    lat, lon = (lat0 + lat1) / 2, (lon0 + lon1) / 2
    out: list[Finding] = []
    in_mph_area = any(a <= lat <= b and c <= lon <= e
                      for boxes in MPH_AREAS.values() for a, b, c, e in boxes)
    if not in_mph_area and d.network.suffix.lower() == ".graphml":
        tagged: dict[tuple[str, str], None] = {}
        for _, _, attrs in nx.read_graphml(d.network, force_multigraph=True).edges(data=True):
            tag = str(attrs.get("maxspeed") or "")
            if "mph" in tag.lower():
                tagged[_road_label(attrs.get("name"), attrs.get("name_en"),
                                   str(attrs.get("highway") or "")), tag] = None
        for road, tag in tagged:
            *areas, last = MPH_AREAS
            out.append(Finding(file, None, "maxspeed",
                               f"{road} is tagged maxspeed={tag!r} ({parse_maxspeed(tag):.0f} "
                               f"km/h): limits are signed in mph only in {', '.join(areas)} "
                               f"and {last}, and this district lies at {lat:.2f}°N "
                               f"{lon:.2f}°E: check the tag (km/h meant?)"))
    fast: dict[str, float] = {}
    for i in np.flatnonzero(network.edge_speed_kmh > URBAN_MAX_KMH):
        cls = network.edge_highway[i]
        if cls in URBAN_CLASSES:
            road = _road_label(network.edge_name[i], network.edge_name_en[i], cls)
            fast[road] = max(fast.get(road, 0.0), float(network.edge_speed_kmh[i]))
    for road, kmh in fast.items():
        out.append(Finding(file, None, "speed",
                           f"{road} is driven at {kmh:.0f} km/h, more than {URBAN_MAX_KMH:.0f} "
                           "km/h on an urban street class: check its maxspeed and highway "
                           "tags"))
    return out


def _road_label(zh: object, en: object, cls: str) -> str:
    """``学府路 Xuefu Road (secondary)``, or ``an unnamed secondary road``."""
    name = " ".join(str(x).strip() for x in (zh, en) if x not in (None, "") and str(x).strip())
    return f"{name} ({cls})" if name else f"an unnamed {cls} road"


CENTRE_OUTSIDE_M = 1000.0
"""A subdistrict centre farther than this outside the road network's bounding box is an
error (wrong coordinates), m."""


def _centre_outside(network: RoadNetwork, p: Place, file: str, line: int | None
                    ) -> list[Finding]:
    """An error when subdistrict ``p``'s centre lies more than :data:`CENTRE_OUTSIDE_M`
    outside the network's bounding box. A subdistrict centre is no place units drive to
    (it seeds the split of the residents over the map, docs/models.md), so its distance
    from the nearest road node is not checked: a centroid in a park or a block is right."""
    lat0, lon0, lat1, lon1 = network.bbox
    k = math.radians(1.0) * EARTH_RADIUS_M
    dy = max(lat0 - p.lat, p.lat - lat1, 0.0) * k
    dx = max(lon0 - p.lon, p.lon - lon1, 0.0) * k * math.cos(math.radians(p.lat))
    gap = math.hypot(dx, dy)
    if gap <= CENTRE_OUTSIDE_M:
        return []
    return [Finding(file, line, p.id, f"the centre of {p.label} lies {gap / 1000:,.1f} km "
                    "outside the road network's area: its residents could not be placed on "
                    "the district's streets; check its lat / lon (WGS84, latitude first)",
                    error=True)]


def _community_off_road(network: RoadNetwork, p: Place, file: str, line: int | None
                        ) -> list[Finding]:
    """A warning when community ``p``'s centre lies inside the network's area (else
    :func:`_centre_outside` says so) but farther than
    :data:`drillsim.network.population.URBAN_REACH_M` from every road node: the grid has
    no cells there, so its residents live on the cells nearest its centre that are near
    a road, which may be far from it."""
    from drillsim.network.population import URBAN_REACH_M

    if _centre_outside(network, p, file, line):
        return []
    node = int(network.nearest_nodes(np.array([p.lat]), np.array([p.lon]))[0])
    dist = float(haversine_m(p.lat, p.lon, network.lat[node], network.lon[node]))
    if dist <= URBAN_REACH_M:
        return []
    return [Finding(file, line, p.id, f"the centre of community {p.label} lies {dist:,.0f} m "
                    f"from the nearest road node (more than {URBAN_REACH_M:.0f} m): the "
                    "population grid holds people only near roads, so its residents are "
                    "placed on the nearest cells near a road; check its lat / lon (WGS84, "
                    "not GCJ-02)")]


def _communities_not_summing(d: District, places: Places) -> list[Finding]:
    """A warning for each subdistrict whose listed communities' residents do not sum to
    its ``population`` (to the person): the population grid places the communities'
    residents (the finer figure), so the drills count their sum, not the subdistrict's.
    A warning, not an error: the two figures often come from different counts (census,
    community registers) and a drill runs correctly on either."""
    from drillsim.network.population import listed_communities

    out = []
    for s in places.of_kind("subdistrict"):
        listed = listed_communities(places, s.id)
        if not listed:
            continue
        total = sum(float(c.attrs["residents"]) for c in listed)
        given = float(s.attrs.get("population", 0) or 0)
        if abs(total - given) < 0.5:
            continue
        file = next((f for f in (*d.places, d.population) if f and _line_of(f, s.id)), None)
        diff = total - given
        out.append(Finding(str(file or d.folder / MANIFEST), _line_of(file, s.id), s.id,
                           f"the {len(listed)} communities of {s.label} sum to {total:,.0f} "
                           f"residents, {abs(diff):,.0f} {'more' if diff > 0 else 'fewer'} "
                           f"than its population {given:,.0f}: the drills place the "
                           f"communities' {total:,.0f}; make the two agree"))
    return out


def _cells_outside(d: District, network: RoadNetwork, places: Places) -> list[Finding]:
    """A warning when points of the population grid file lie outside the road network's
    area (its bounding box and half a grid cell): the drills leave their residents out."""
    from drillsim.network.population import CELL_M

    cells = places.cells
    if d.population_grid is None or cells is None or not len(cells):
        return []
    lat0, lon0, lat1, lon1 = network.bbox
    k = math.radians(1.0) * EARTH_RADIUS_M
    mlat = CELL_M / 2 / k
    mlon = mlat / math.cos(math.radians((lat0 + lat1) / 2))
    out = ((cells[:, 0] < lat0 - mlat) | (cells[:, 0] > lat1 + mlat)
           | (cells[:, 1] < lon0 - mlon) | (cells[:, 1] > lon1 + mlon))
    if not out.any():
        return []
    return [Finding(str(d.population_grid), None, "lat, lon",
                    f"{int(out.sum()):,} of {len(cells):,} points ({cells[out, 2].sum():,.0f} "
                    f"of {cells[:, 2].sum():,.0f} residents) lie outside the road network's "
                    "area: the drills leave them out; clip the grid to the district or check "
                    "that lat and lon are WGS84 (not GCJ-02) and not swapped")]


def _plans_without_staff(d: District, forces: object) -> list[Finding]:
    """A warning for each response plan of the package's forces with a first-alarm need no
    unit staffed on duty can meet (stations staff their apparatus in order with
    ``personnel × on_duty_fraction``; teams' units count as staffed): its calls would go
    to mutual aid or never be reached."""
    from pydantic import ValidationError

    from drillsim.scenarios.schema import Forces

    if not isinstance(forces, dict) or not forces.get("stations"):
        return []
    try:
        f = Forces.model_validate(forces)
    except ValidationError:
        return []  # the drills report the forces' own errors
    staffed = {a.type for st in f.stations for a in st.staffed()}
    staffed |= {u.type for team in f.teams for u in team.units if u.count > 0}
    out = []
    for key, alarms in f.response_plans.items():
        missing = [k for k in (alarms[0] if alarms else {}) if not set(k.split("|")) & staffed]
        if missing:
            unstaffed = [f"{a.id} ({st.id})" for st in f.stations for a in st.apparatus
                         if a not in st.staffed() and {a.type} & {t for k in missing
                                                                 for t in k.split("|")}]
            why = (f"; not staffed: {', '.join(unstaffed)} (personnel × on_duty_fraction "
                   "leaves no crew for them)" if unstaffed else "")
            out.append(Finding(str(d.forces), _plan_line(d.forces, key),
                               f"response_plans.{key}",
                               f"no unit staffed on duty can answer response plan {key!r}: "
                               f"it asks for {', '.join(missing)}, and none is staffed{why}; "
                               "its calls would go to mutual aid or never be reached"))
    return out


def _plan_line(path: Path | None, key: str) -> int | None:
    """Line of response plan ``key`` in a forces file (after ``response_plans:``)."""
    start = _line_of(path, "response_plans:")
    if path is None or start is None:
        return start
    lines = path.read_text(encoding="utf-8").splitlines()
    for i, text in enumerate(lines[start:], start + 1):
        if text.strip().strip("'\"").startswith(f"{key}:") or \
                text.strip().startswith((f"'{key}':", f'"{key}":')):
            return i
    return start


def _points_have_residents(d: District) -> bool:
    """Whether a waterlogging point of the package has ``residents`` above 0."""
    doc = yaml.safe_load(d.waterlogging.read_text(encoding="utf-8")) if d.waterlogging else {}
    points = doc.get("points") if isinstance(doc, dict) else None
    return any(isinstance(p, dict) and isinstance(p.get("residents"), int | float)
               and p["residents"] > 0 for p in points or [])


def _points(d: District) -> list[tuple[str, float, float]]:
    """``(id, lat, lon)`` of the package's waterlogging points given by coordinates or by
    a place id."""
    from drillsim.network.graphml import district_places

    if d.waterlogging is None:
        return []
    doc = yaml.safe_load(d.waterlogging.read_text(encoding="utf-8")) or {}
    places = district_places(d)
    out = []
    for p in doc.get("points") or [] if isinstance(doc, dict) else []:
        loc = p.get("location") if isinstance(p, dict) else None
        if isinstance(loc, str):
            loc = {"place": loc}
        if not isinstance(loc, dict):
            continue
        if "place" in loc and places.get(str(loc["place"])) is not None:
            place = places[str(loc["place"])]
            out.append((str(p.get("id")), place.lat, place.lon))
        elif "lat" in loc and "lon" in loc:
            out.append((str(p.get("id")), float(loc["lat"]), float(loc["lon"])))
    return out

