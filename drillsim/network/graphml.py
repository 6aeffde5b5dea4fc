"""Reading road networks and places from files (adapter layer).

Two sources of road networks: drillsim's schematic YAML format (the embedded Hongqiao
network, ``drillsim/data/hongqiao/network.yaml``) and any road network saved by osmnx
as GraphML. Both become a :class:`~drillsim.network.graph.RoadNetwork`. A district
package (:mod:`drillsim.network.district`) names one of them and its places files.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import yaml

from drillsim import diskcache
from drillsim.errors import DrillsimError
from drillsim.network import graph as graph_module
from drillsim.network.district import DEFAULT_DISTRICT, District, load_district
from drillsim.network.fit import graph_problem, network_problem
from drillsim.network.graph import (
    CONVERTED_FROM,
    RoadNetwork,
    _as_list,
    haversine_m,
    non_road,
    road_class,
)
from drillsim.network.places import Place, Places, looks_swapped

if TYPE_CHECKING:
    import networkx as nx

_KINDS = {"stations": "station", "shelters": "shelter", "depots": "depot",
          "subdistricts": "subdistrict", "hazard_sites": "hazard_site",
          "landmarks": "landmark", "team_bases": "team_base", "communities": "community"}


class NetworkLoadError(DrillsimError):
    """A road network or places file that cannot be read; the message says why."""


@dataclass(frozen=True)
class MapLayers:
    """Map overlays of the embedded data: rivers and the district boundary.

    Attributes
    ----------
    rivers
        ``(name_zh, name_en, coords)`` per river, ``coords`` an ``(k, 2)`` array of
        ``[lat, lon]`` degrees.
    boundary
        District outline, ``(k, 2)`` array of ``[lat, lon]``, or ``None``.
    """

    rivers: tuple[tuple[str, str, np.ndarray], ...] = ()
    boundary: np.ndarray | None = None


def load_network(spec: str = "default", district: str = DEFAULT_DISTRICT) -> RoadNetwork:
    """The road network for ``spec``: ``"default"`` (the district's own) or a GraphML path."""
    if spec == "default":
        return district_network(load_district(district))
    return load_graphml(spec)


def district_network(district: District) -> RoadNetwork:
    """The road network of a district package (GraphML, or the schematic YAML format)."""
    if district.network.suffix.lower() in (".yaml", ".yml"):
        return _network_from_yaml(district.network)
    return load_graphml(district.network)


def district_places(district: District) -> Places:
    """The places of a district package: its places files, then its population file (its
    subdistricts and communities), with the residents of its population grid file.

    Raises
    ------
    NetworkLoadError
        One line ``FILE:LINE: ...`` per bad entry: a place without id, lat or lon, an id
        used twice, a community without residents or naming no subdistrict of the
        package, a bad row of the population grid file.
    """
    files = [*district.places, *([district.population] if district.population else [])]
    places = [p for f in files for p in _places_from_yaml(f)]
    twice = _ids_used_twice(files)
    if twice:
        raise NetworkLoadError(twice)
    bad = _bad_communities(files, Places(places))
    if bad:
        raise NetworkLoadError(bad)
    cells = _cells_from_csv(district.population_grid) if district.population_grid else None
    return Places(places, cells)


def _bad_communities(files: list[Path], places: Places) -> list[str]:
    """One line per community (``communities:`` entry) without ``residents`` (a number, 0
    or more) or whose ``subdistrict`` is no subdistrict id of the package."""
    subs = [s.id for s in places.of_kind("subdistrict")]
    out = []
    for path in files:
        lines = _entry_lines(path)
        for i, entry in enumerate(_read_yaml(path).get("communities") or []):
            line = lines.get(("communities", i))
            where = f"{path}:{line}" if line else str(path)
            sub, residents = entry.get("subdistrict"), entry.get("residents")
            if str(sub) not in subs:
                given = "missing" if sub is None else f"{sub!r} is no subdistrict id"
                out.append(f"{where}: communities[{i}]: subdistrict: {given}; give the id of "
                           f"the subdistrict the community belongs to ({', '.join(subs)})"
                           if subs else f"{where}: communities[{i}]: subdistrict: the package "
                           "has no subdistricts; list them (subdistricts:) before their "
                           "communities")
            if isinstance(residents, bool) or not isinstance(residents, int | float) \
                    or not residents >= 0:
                out.append(f"{where}: communities[{i}]: residents: is {residents!r}; give "
                           "the community's residents (a number, 0 or more)")
    return out


def _cells_from_csv(path: Path) -> np.ndarray:
    """Residents on a grid: the rows of a CSV with columns ``lat``, ``lon`` (WGS84
    degrees) and ``residents``, as an ``(n, 3)`` array.

    Raises
    ------
    NetworkLoadError
        One line ``FILE:LINE: column: message`` per bad row (at most 10), or for missing
        columns.
    """
    import csv

    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in ("lat", "lon", "residents") if c not in (reader.fieldnames or [])]
        if missing:
            raise NetworkLoadError(f"{path}:1: {', '.join(missing)}: missing column(s); a "
                                   "population grid file has columns lat, lon, residents "
                                   "(WGS84 degrees, people per cell)")
        rows, bad = [], []
        for row in reader:
            line = reader.line_num
            try:
                lat, lon, people = (float(row[c]) for c in ("lat", "lon", "residents"))
            except (TypeError, ValueError):
                bad.append(f"{path}:{line}: lat, lon, residents: need numbers, got "
                           f"{row.get('lat')!r}, {row.get('lon')!r}, {row.get('residents')!r}")
                continue
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                hint = "; swapped lat/lon?" if looks_swapped(lat, lon) else ""
                bad.append(f"{path}:{line}: lat, lon: ({lat}, {lon}) out of range{hint}")
            elif not (people >= 0 and np.isfinite(people)):
                bad.append(f"{path}:{line}: residents: is {row['residents']!r}; give 0 or more")
            else:
                rows.append((lat, lon, people))
    if bad:
        raise NetworkLoadError(bad[:10] + ([f"{path}: ... {len(bad) - 10} more bad rows"]
                                           if len(bad) > 10 else []))
    return np.array(rows, dtype=float).reshape(-1, 3)


def load_graphml(path: str | Path) -> RoadNetwork:
    """Load a road network saved in osmnx GraphML format.

    Raises
    ------
    NetworkLoadError
        When the file is missing, is not GraphML, has no nodes or roads, is
        undirected, has metre coordinates without a ``crs``
        (:func:`drillsim.network.fit.graph_problem`), a ``crs`` pyproj does not know
        (:func:`to_wgs84`), or nodes without ``x``/``y`` coordinates.

    Notes
    -----
    A graph in a projected ``crs`` is converted to WGS84 longitude / latitude on
    loading; the network's :attr:`~drillsim.network.graph.RoadNetwork.converted_from`
    names the system it came from.
    """
    import xml.etree.ElementTree as ET  # here: networkx and its XML parser cost ~0.1 s

    import networkx as nx

    path = Path(path)
    if not path.is_file():
        raise NetworkLoadError(f"{path}: no such GraphML file")
    try:
        graph = nx.read_graphml(path, force_multigraph=True)
    except (ET.ParseError, nx.NetworkXError, UnicodeDecodeError, ValueError, KeyError) as exc:
        raise NetworkLoadError(f"{path}: not a readable GraphML file ({exc})") from None
    try:
        to_wgs84(graph)
    except ValueError as exc:
        raise NetworkLoadError(f"{path}: {exc}") from None
    problem = graph_problem(graph)
    if problem:
        raise NetworkLoadError(f"{path}: {problem}")
    drop_non_roads(graph)
    try:
        network = RoadNetwork.from_networkx(graph)
    except ValueError as exc:
        raise NetworkLoadError(f"{path}: {exc} (expected an osmnx road graph)") from None
    problem = network_problem(network)
    if problem:
        raise NetworkLoadError(f"{path}: {problem}")
    return network


_WKT_LINESTRING = re.compile(r"^\s*LINESTRING\s*\((.*)\)\s*$", re.IGNORECASE | re.DOTALL)


def to_wgs84(graph: nx.Graph) -> str | None:
    """Convert an osmnx-style graph in a projected (or another geographic) ``crs`` to WGS84
    longitude / latitude, in place.

    Node ``x`` / ``y`` and the points of an arc's ``geometry`` (``LINESTRING``, as osmnx
    writes it) are transformed with pyproj (PROJ; ``always_xy``: ``x`` is easting or
    longitude); arc ``length`` is kept (osmnx measures it on the sphere before
    projecting). The graph's ``crs`` becomes ``epsg:4326`` and :data:`CONVERTED_FROM`
    names the old one. A graph without ``crs``, or in a longitude / latitude system
    within a metre or two of WGS84 (:func:`drillsim.network.fit.is_lonlat_crs`), is left
    alone without importing pyproj.

    Parameters
    ----------
    graph
        The graph, as read from GraphML (attributes may be strings).

    Returns
    -------
    str or None
        What was done, for the user ("converted from EPSG:32650 (WGS 84 / UTM zone
        50N) to WGS84 longitude / latitude"), or ``None`` when nothing was.

    Raises
    ------
    ValueError
        When the ``crs`` is not one pyproj knows, or nodes fall outside its area (no
        finite longitude / latitude).
    """
    from drillsim.network.fit import is_lonlat_crs

    crs = str(graph.graph.get("crs", "") or "").strip()
    if not crs or is_lonlat_crs(crs):
        return None
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError

    try:
        source = CRS.from_user_input(crs)
    except CRSError:
        raise ValueError(f"the graph's crs {crs!r} is not a coordinate reference system "
                         "pyproj knows (give it as 'EPSG:32650' or a '+proj=...' string)") \
            from None
    wgs84 = CRS.from_epsg(4326)
    if source.is_geographic and source.equals(wgs84, ignore_axis_order=True):
        graph.graph["crs"] = "epsg:4326"
        return None
    transform = Transformer.from_crs(source, wgs84, always_xy=True).transform
    ids, xs, ys = [], [], []
    for n, data in graph.nodes(data=True):
        try:
            x, y = float(data["x"]), float(data["y"])
        except (KeyError, TypeError, ValueError):
            continue  # RoadNetwork.from_networkx names the node without numeric x / y
        ids.append(n)
        xs.append(x)
        ys.append(y)
    lon, lat = transform(np.array(xs), np.array(ys))
    bad = ~(np.isfinite(lon) & np.isfinite(lat))
    if bad.any():
        first = ids[int(np.argmax(bad))]
        raise ValueError(f"{int(bad.sum())} node(s) cannot be converted from the graph's crs "
                         f"{crs!r} to longitude / latitude (first: node {first!r}): is the "
                         "crs right?")
    for n, x, y in zip(ids, lon, lat, strict=True):
        graph.nodes[n]["x"], graph.nodes[n]["y"] = float(x), float(y)
    for _, _, data in graph.edges(data=True):
        if "geometry" in data:
            data["geometry"] = _linestring_to_wgs84(str(data["geometry"]), transform)
    graph.graph["crs"] = "epsg:4326"
    named = source.name and source.name not in (crs, "unknown")
    note = f"{crs} ({source.name})" if named else crs
    graph.graph[CONVERTED_FROM] = note
    return f"converted from {note} to WGS84 longitude / latitude"


def _linestring_to_wgs84(wkt: str, transform) -> str:
    """A WKT ``LINESTRING`` with its points transformed (``transform(x, y) -> (lon, lat)``);
    ``""`` (no geometry: the arc is drawn straight) when it is no readable linestring."""
    m = _WKT_LINESTRING.match(wkt)
    try:
        pts = np.array([[float(c) for c in p.split()[:2]] for p in m.group(1).split(",")])
    except (AttributeError, ValueError):
        return ""
    if pts.ndim != 2 or pts.shape[1] != 2:
        return ""
    lon, lat = transform(pts[:, 0], pts[:, 1])
    return "LINESTRING (" + ", ".join(f"{x:.7f} {y:.7f}" for x, y in zip(lon, lat,
                                                                       strict=True)) + ")"


def drop_non_roads(graph: nx.MultiDiGraph, *, drive: bool = False) -> dict[str, int]:
    """Remove the arcs that are no road (:func:`drillsim.network.graph.non_road`) and the
    nodes left without any arc, in place.

    Parameters
    ----------
    graph
        An osmnx-style graph.
    drive
        Also remove footways, paths, cycleways, steps and pedestrian streets
        (:data:`drillsim.network.graph.DRIVE_EXCLUDED`), which no vehicle drives.

    Returns
    -------
    dict
        Number of arcs removed per reason (``"highway=construction"``, ``"railway"``...),
        and ``"nodes"``: the nodes removed.
    """
    dropped: dict[str, int] = {}
    gone = []
    for u, v, k, data in graph.edges(keys=True, data=True):
        why = why_not_road(data, drive=drive)
        if why is not None:
            gone.append((u, v, k))
            dropped[why] = dropped.get(why, 0) + 1
    touched = {n for u, v, _ in gone for n in (u, v)}
    graph.remove_edges_from(gone)
    lonely = [n for n in touched if graph.degree(n) == 0]
    graph.remove_nodes_from(lonely)
    if lonely:
        dropped["nodes"] = len(lonely)
    return dropped


def why_not_road(data: dict, *, drive: bool = False) -> str | None:
    """Why :func:`drop_non_roads` removes an arc (``"area=yes"``, ``"highway=footway (not
    driven)"``...), or ``None`` when it keeps it."""
    why = non_road(data)
    if why is None and drive and road_class(data.get("highway")) == "path":
        why = f"highway={str(_first(data.get('highway')))} (not driven)"
    return why


def _first(value) -> object:
    values = _as_list(value)
    return values[0] if values else ""


def load_hongqiao() -> RoadNetwork:
    """The embedded schematic road network of Hongqiao District."""
    return district_network(load_district(DEFAULT_DISTRICT))


def load_places(district: str = DEFAULT_DISTRICT) -> Places:
    """The catalogue of a district's places (default the embedded Hongqiao: stations,
    shelters, depots..., and the activity centres of ``activity.yaml``)."""
    return district_places(load_district(district))


def load_map_layers(district: str = DEFAULT_DISTRICT) -> MapLayers:
    """Rivers and boundary of a district whose network is in the schematic YAML format
    (empty for a GraphML network), for maps."""
    path = load_district(district).network
    if path.suffix.lower() not in (".yaml", ".yml"):
        return MapLayers()
    return _layers_from_yaml(path)


def _read_yaml(path: Path) -> dict:
    """The YAML mapping in ``path``, parsed once per process and file version (the
    network and the map layers both read ``network.yaml``): read-only."""
    try:
        st = path.stat()
    except OSError as exc:
        raise NetworkLoadError(f"{path}: cannot read YAML ({exc})") from None
    return _parse_yaml(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=4)
def _parse_yaml(path: Path, _mtime_ns: int, _size: int) -> dict:
    # the C parser when PyYAML has it: 6-10x faster than the pure-Python one, same data
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506
    except (OSError, yaml.YAMLError) as exc:
        raise NetworkLoadError(f"{path}: cannot read YAML ({' '.join(str(exc).split())})") \
            from None
    if not isinstance(doc, dict):
        raise NetworkLoadError(f"{path}: expected a YAML mapping at the top")
    return doc


def _network_from_yaml(path: Path) -> RoadNetwork:
    """The network of a ``network.yaml``; kept in the per-user disk cache
    (:mod:`drillsim.diskcache`) keyed by a digest of the file's bytes, so a warm start
    neither parses the file nor builds the network again."""
    try:
        data = path.read_bytes()
    except OSError:
        return _build_network_from_yaml(path)  # tells what is wrong
    name = diskcache.key("network", data, diskcache.code_digest(__name__, graph_module.__name__))
    kept = diskcache.load(name, _NETWORK_FIELDS)
    if kept is not None:
        network = _network_from_arrays(kept)
        if network is not None:
            return network
    network = _build_network_from_yaml(path)
    diskcache.store(name, {f: np.asarray(getattr(network, f)) for f in _NETWORK_FIELDS})
    return network


_NETWORK_FIELDS = tuple(f.name for f in dataclasses.fields(RoadNetwork) if f.init)
"""What a :class:`RoadNetwork` is made of (everything else is derived on construction)."""


def _network_from_arrays(arrays: dict[str, np.ndarray]) -> RoadNetwork | None:
    """The network stored as ``arrays`` (text fields as numpy text arrays), or ``None``
    when they do not make one."""
    kw: dict = {}
    for f in dataclasses.fields(RoadNetwork):
        if not f.init:
            continue
        a = arrays[f.name]
        if a.dtype.kind == "U":
            kw[f.name] = str(a) if a.ndim == 0 else tuple(str(x) for x in a)
        elif a.dtype.kind in "fib" and a.ndim == 1:
            kw[f.name] = a
        else:
            return None
    try:
        network = RoadNetwork(**kw)
    except (TypeError, ValueError):
        return None
    n, m = network.n_nodes, network.n_edges
    sizes = {"lat": n, "lon": n, "node_names": n, "edge_v": m, "edge_length_m": m,
             "edge_highway": m, "edge_speed_kmh": m, "edge_oneway": m, "edge_name": m,
             "edge_name_en": m, "edge_bridge": m}
    if any(len(kw[k]) != size for k, size in sizes.items()) or \
            len(network.node_names_en) not in (0, n):
        return None
    return network


def _build_network_from_yaml(path: Path) -> RoadNetwork:
    nodes, arcs = _arcs_from_doc(_read_yaml(path), str(path))
    try:
        return RoadNetwork.from_arcs(nodes, arcs)
    except ValueError as exc:
        raise NetworkLoadError(f"{path}: {exc}") from None


def _arcs_from_doc(doc: dict, where: str
                   ) -> tuple[dict[str, dict], list[tuple[str, str, int, dict]]]:
    """Node attributes and arcs of a parsed ``network.yaml`` (format in
    docs/architecture.md), as :meth:`RoadNetwork.from_arcs` takes them: node ids are
    strings, parallel arcs between two nodes get keys 0, 1, ... in file order."""
    nodes: dict[str, dict] = {}
    doc_nodes = doc.get("nodes")
    if not isinstance(doc_nodes, dict) or not doc_nodes:
        raise NetworkLoadError(f"{where}: 'nodes' must be a non-empty mapping of node ids")
    for nid, attrs in doc_nodes.items():
        try:
            lat, lon = float(attrs["lat"]), float(attrs["lon"])
        except (KeyError, TypeError, ValueError):
            raise NetworkLoadError(f"{where}: nodes.{nid}: needs numeric lat and lon") from None
        nodes[str(nid)] = {"y": lat, "x": lon, "name": str(attrs.get("name", "")),
                          "name_en": str(attrs.get("name_en", ""))}
    arcs: list[tuple[str, str, int, dict]] = []
    keys: dict[tuple[str, str], int] = {}

    def add(a: str, b: str, attrs: dict) -> None:
        key = keys[a, b] = keys.get((a, b), -1) + 1
        arcs.append((a, b, key, attrs))

    for i, road in enumerate(doc.get("roads") or []):
        label = f"roads[{i}] ({road.get('name_zh') or road.get('name_en') or 'unnamed'})"
        ids = [str(n) for n in road.get("nodes") or []]
        unknown = [n for n in ids if n not in nodes]
        if len(ids) < 2 or unknown:
            problem = f"unknown nodes {unknown}" if unknown else "needs at least two nodes"
            raise NetworkLoadError(f"{where}: {label}: {problem}")
        attrs = {"highway": road.get("highway", "unclassified"),
                 "name": road.get("name_zh", ""), "name_en": road.get("name_en", ""),
                 "oneway": bool(road.get("oneway", False)),
                 "bridge": bool(road.get("bridge", False))}
        if road.get("maxspeed") is not None:
            attrs["maxspeed"] = road["maxspeed"]
        for a, b in zip(ids[:-1], ids[1:], strict=True):
            length = float(haversine_m(nodes[a]["y"], nodes[a]["x"],
                                       nodes[b]["y"], nodes[b]["x"]))
            add(a, b, {"length": length, **attrs})
            if not attrs["oneway"]:
                add(b, a, {"length": length, **attrs})
    return nodes, arcs


def _places_from_yaml(path: Path) -> Places:
    """The places of a places or population file; every bad entry is reported, one line
    each (``FILE:LINE: section[i]: ...``), not only the first."""
    doc = _read_yaml(path)
    lines = _entry_lines(path)
    places, bad = [], []
    for section, entries in doc.items():
        if not isinstance(entries, list):
            continue
        kind = _KINDS.get(section, section.removesuffix("s"))
        for i, entry in enumerate(entries):
            line = lines.get((str(section), i))
            where = f"{path}:{line}: {section}[{i}]" if line else f"{path}: {section}[{i}]"
            try:
                attrs = {k: v for k, v in entry.items()
                         if k not in ("id", "name_zh", "name_en", "lat", "lon")}
                places.append(Place(id=str(entry["id"]), kind=kind,
                                    name_zh=str(entry.get("name_zh",
                                                          entry.get("name", ""))),
                                    name_en=str(entry.get("name_en", "")),
                                    lat=float(entry["lat"]), lon=float(entry["lon"]),
                                    attrs=attrs))
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                swapped = ""
                if isinstance(entry, dict) and looks_swapped(entry.get("lat"), entry.get("lon")):
                    swapped = "; swapped lat/lon?"
                bad.append(f"{where}: needs id, lat and lon ({exc}){swapped}")
    if bad:
        raise NetworkLoadError(bad)
    twice = _ids_used_twice([path])
    if twice:
        raise NetworkLoadError(twice)
    return Places(places)


def _ids_used_twice(files: list[Path]) -> list[str]:
    """One line per place entry of ``files`` whose id an earlier entry (of the same file or
    an earlier one) already has: ``FILE:LINE: section[i]: ...``, naming where the id is
    first used. Places and subdistricts share one set of ids (drills name either)."""
    first: dict[str, str] = {}
    out = []
    for path in files:
        lines = _entry_lines(path)
        for section, entries in _read_yaml(path).items():
            if not isinstance(entries, list):
                continue
            for i, entry in enumerate(entries):
                if not isinstance(entry, dict) or "id" not in entry:
                    continue
                pid = str(entry["id"])
                line = lines.get((str(section), i))
                where = f"{path}:{line}" if line else str(path)
                if pid in first:
                    out.append(f"{where}: {section}[{i}]: place id {pid!r} is used twice (also "
                               f"at {first[pid]}): give each place and subdistrict its own id")
                else:
                    first[pid] = f"{where} ({section}[{i}])"
    return out


def _entry_lines(path: Path) -> dict[tuple[str, int], int]:
    """1-based line of each entry ``(section, index)`` of a places file ({} when the file
    cannot be composed): read-only, composed once per process and file version."""
    try:
        st = path.stat()
    except OSError:
        return {}
    return _compose_lines(path, st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=8)
def _compose_lines(path: Path, _mtime_ns: int, _size: int) -> dict[tuple[str, int], int]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        return {}
    try:  # libyaml's composer (same nodes and marks, 6-10x faster), else the pure-Python one
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        try:
            root = yaml.compose(text)
        except yaml.YAMLError:
            return {}
    out: dict[tuple[str, int], int] = {}
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if isinstance(value, yaml.SequenceNode):
                for i, item in enumerate(value.value):
                    out[(str(key.value), i)] = item.start_mark.line + 1
    return out


def _layers_from_yaml(path: Path) -> MapLayers:
    doc = _read_yaml(path)
    rivers = tuple((str(r.get("name_zh", "")), str(r.get("name_en", "")),
                    np.asarray(r["coords"], dtype=float))
                   for r in doc.get("rivers") or [] if r.get("coords"))
    boundary = (doc.get("boundary") or {}).get("coords")
    return MapLayers(rivers, np.asarray(boundary, dtype=float) if boundary else None)
