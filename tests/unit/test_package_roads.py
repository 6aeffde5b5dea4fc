"""Packages made from sparse networks (issue 15, trial of a Hexi District extract).

osmnx's ``simplify=True`` keeps junctions only (arcs up to about 1 km, bends in the WKT
``geometry``). ``drillsim district new`` puts a node at every geometry vertex and cuts
stretches longer than 50 m, keeping every junction-to-junction time; it lists what it
dropped in ``dropped.csv``. The networks are built here: junctions ``J0``-``J3`` near
Hexi District, Tianjin.
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest

from drillsim.network.district import load_district
from drillsim.network.district_make import make_district, read_osm_xml
from drillsim.network.fit import drive_core
from drillsim.network.graph import EARTH_RADIUS_M, RoadNetwork, TravelTimes, haversine_m
from drillsim.network.graphml import district_network, drop_non_roads
from drillsim.network.package_roads import (
    MAX_ARC_M,
    nearest_dropped,
    parse_linestring,
    read_dropped,
    split_long_arcs,
)
from drillsim.network.waterlogging_arcs import point_edges
from drillsim.scenarios.schema import WaterloggingPoint

LAT0, LON0 = 39.09, 117.20
M_LAT = 1 / (math.radians(1.0) * EARTH_RADIUS_M)  # degrees of latitude per metre
M_LON = M_LAT / math.cos(math.radians(LAT0))       # degrees of longitude per metre


def at(east_m: float, north_m: float) -> tuple[float, float]:
    """(lat, lon) ``east_m`` east and ``north_m`` north of (LAT0, LON0)."""
    return LAT0 + north_m * M_LAT, LON0 + east_m * M_LON


def wkt(points: list[tuple[float, float]]) -> str:
    return "LINESTRING (" + ", ".join(f"{lon!r} {lat!r}" for lat, lon in points) + ")"


JUNCTIONS = {"J0": at(0, 0), "J1": at(1000, 0), "J2": at(2000, 0), "J3": at(1000, 445)}
BEND = [JUNCTIONS["J3"], at(500, 600), at(0, 445), JUNCTIONS["J0"]]  # J3 -> J0, two bends


def sparse_graph() -> nx.MultiDiGraph:
    """A junction-only osmnx graph as ``save_graphml`` writes it (every attribute text):
    围堤道 J0-J1-J2 two-way (1 km arcs, 60 km/h), 友谊路 J1-J3 two-way (445 m), a one-way
    bent 平江道 J3 -> J0 with its geometry and osmnx ``travel_time``, a one-way 东江道
    J2 -> J3 and a one-way fragment 气象台路 from a node no road leads to into J2, and a
    footway from J1."""
    g = nx.MultiDiGraph(crs="epsg:4326")
    nodes = {**JUNCTIONS, "F": at(2000, -300), "P": at(1000, -200)}
    for n, (lat, lon) in nodes.items():
        g.add_node(n, y=repr(lat), x=repr(lon))

    def road(u, v, name, highway, oneway=False, line=None, **extra):
        line = line or [nodes[u], nodes[v]]
        length = sum(float(haversine_m(*p, *q)) for p, q in zip(line[:-1], line[1:], strict=True))
        for a, b, pts in ((u, v, line),) if oneway else ((u, v, line), (v, u, line[::-1])):
            attrs = {"geometry": wkt(pts)} if len(line) > 2 else {}
            g.add_edge(a, b, name=name, highway=highway, oneway=str(oneway),
                       length=repr(length), **attrs, **extra)

    road("J0", "J1", "围堤道", "secondary", maxspeed="60")
    road("J1", "J2", "围堤道", "secondary", maxspeed="60")
    road("J1", "J3", "友谊路", "primary", maxspeed="50")
    road("J3", "J0", "平江道", "tertiary", oneway=True, line=BEND, travel_time="190.5")
    road("J2", "J3", "东江道", "tertiary", oneway=True)
    road("F", "J2", "气象台路", "service", oneway=True)
    road("J1", "P", "银河公园步道", "footway")
    return g


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sparse")
    source = folder / "hexi.graphml"
    nx.write_graphml(sparse_graph(), source)
    made = make_district("hexi", folder / "hexi", graphml=source)
    d = load_district(str(folder / "hexi"))
    return made, d, district_network(d)



def write_way_osm(path, course) -> None:
    """An OSM XML file of one residential way through the points ``course`` (lat, lon)."""
    osm = ['<?xml version="1.0"?>', '<osm version="0.6">']
    osm += [f'<node id="{i + 1}" lat="{lat!r}" lon="{lon!r}"/>' for i, (lat, lon)
            in enumerate(course)]
    refs = "".join(f'<nd ref="{i + 1}"/>' for i in range(len(course)))
    osm += [f'<way id="1">{refs}<tag k="highway" v="residential"/></way>', "</osm>"]
    path.write_text("\n".join(osm), encoding="utf-8")

def test_split_keeps_every_junction_to_junction_time(package):
    _, _, net = package
    g = sparse_graph()
    drop_non_roads(g, drive=True)
    before = RoadNetwork.from_networkx(g.subgraph(JUNCTIONS).copy())
    t0, t1 = TravelTimes(before), TravelTimes(net)
    for vehicle in ("fire_engine", "truck", "car"):
        for a in JUNCTIONS:
            x = t0.times_from(before.node_index[a], vehicle)
            y = t1.times_from(net.node_index[a], vehicle)
            for b in JUNCTIONS:
                assert y[net.node_index[b]] == pytest.approx(x[before.node_index[b]], abs=1e-6)
    assert net.total_km() == pytest.approx(before.total_km(), abs=1e-9)


def test_no_arc_is_longer_than_50_m_and_two_ways_share_their_nodes(package):
    made, _, net = package
    assert net.edge_length_m.max() <= MAX_ARC_M
    # 围堤道: 2 x 1000 m -> 2 x 20 pieces; 友谊路 445 m -> 9; 东江道 (1000² + 445²)^0.5 =
    # 1094.5 m -> 22; 平江道's three stretches 522.0, 522.0, 445 m -> 11 + 11 + 9
    pieces = {"围堤道": 40, "友谊路": 9, "东江道": 22, "平江道": 31}
    for name, n in pieces.items():
        arcs = net.edges_named(name)
        two_way = name in ("围堤道", "友谊路")
        assert len(arcs) == n * (2 if two_way else 1), name
    inner = sum(n - 1 for n in (20, 20, 9, 22)) + (11 - 1) + (11 - 1) + (9 - 1) + 2
    assert made.shape_nodes == inner
    assert net.n_nodes == 4 + inner


def test_shape_nodes_follow_the_geometry(package):
    """平江道 bends at (500 m, 600 m) and (0, 445 m): both are nodes, and every node of the
    road lies on its drawn course."""
    _, _, net = package
    arcs = net.edges_named("平江道")
    nodes = sorted({int(n) for a in arcs for n in (net.edge_u[a], net.edge_v[a])})
    for corner in BEND[1:3]:
        assert min(float(haversine_m(*corner, net.lat[n], net.lon[n])) for n in nodes) < 1e-3
    line = np.array([[(lon - LON0) / M_LON, (lat - LAT0) / M_LAT] for lat, lon in BEND])
    for n in nodes:
        p = np.array([(net.lon[n] - LON0) / M_LON, (net.lat[n] - LAT0) / M_LAT])
        d = min(_seg_dist(p, a, b) for a, b in zip(line[:-1], line[1:], strict=True))
        assert d < 0.5  # m: the local straight line between two vertices


def _seg_dist(p, a, b) -> float:
    t = np.clip(np.dot(p - a, b - a) / np.dot(b - a, b - a), 0, 1)
    return float(np.hypot(*(a + t * (b - a) - p)))


def test_a_place_beside_a_long_block_is_measured_to_the_road_not_a_far_junction(package):
    """Finding (a): 10 m north of the middle of 围堤道 J0-J1 was 500 m from a junction."""
    _, _, net = package
    _, dist = drive_core(net).nearest(net, *at(500, 10))
    assert dist <= math.hypot(MAX_ARC_M / 2, 10)


def _flood(net, node: int, radius_m: float) -> tuple[TravelTimes, np.ndarray]:
    point = WaterloggingPoint(id="u", location={"node": net.node_ids[node]}, catchment_ha=3,
                              runoff_coeff=0.9, drain_m3_s=0.5, area_m2=1000,
                              radius_m=radius_m)
    edges = point_edges(net, node, point)
    travel = TravelTimes(net)
    travel.close(edges)
    return travel, edges


def test_a_flooded_underpass_is_worked_from_the_waters_edge(package):
    """Finding (b): an underpass at junction J1 with a 100 m radius: the crew stops where
    the water ends and walks in, 100-125 m (on the junction-only network the nearest
    stop was a junction 445 m away: "cannot be reached")."""
    _, _, net = package
    j1 = net.node_index["J1"]
    travel, _ = _flood(net, j1, 100.0)
    assert travel.cut_off(j1) is None
    stop = travel.approach(j1)
    walk = float(haversine_m(net.lat[j1], net.lon[j1], net.lat[stop], net.lon[stop]))
    assert 100.0 - MAX_ARC_M / 2 <= walk <= 100.0 + MAX_ARC_M / 2
    g = sparse_graph()
    drop_non_roads(g, drive=True)
    coarse = RoadNetwork.from_networkx(g.subgraph(JUNCTIONS).copy())
    travel, _ = _flood(coarse, coarse.node_index["J1"], 100.0)
    assert travel.cut_off(coarse.node_index["J1"]) == pytest.approx(445.0, abs=0.5)


def test_a_waterlogging_point_closes_its_radius_not_whole_long_arcs(package):
    """Finding (c): a 150 m point at J1 closed 2 km of 围堤道 (both 1 km arcs end in it) and
    445 m of 友谊路: now about 150 m of each of the three roads that meet there."""
    _, _, net = package
    _, edges = _flood(net, net.node_index["J1"], 150.0)
    closed_m = net.total_km(edges) * 1000
    assert 3 * (150 - MAX_ARC_M / 2) <= closed_m <= 3 * (150 + MAX_ARC_M / 2)


def test_osm_xml_and_graphml_give_the_same_nodes_for_the_same_road(tmp_path):
    """The OSM reader keeps every drawn node; osmnx keeps them as geometry. Both packages
    place their nodes at the same points."""
    course = [at(0, 0), at(130, 0), at(130, 300), at(0, 300)]  # a U of 130, 300, 130 m
    write_way_osm(tmp_path / "u.osm", course)
    g = nx.MultiDiGraph(crs="epsg:4326")
    g.add_node("1", y=repr(course[0][0]), x=repr(course[0][1]))
    g.add_node("4", y=repr(course[3][0]), x=repr(course[3][1]))
    length = sum(float(haversine_m(*p, *q)) for p, q in zip(course[:-1], course[1:], strict=True))
    g.add_edge("1", "4", highway="residential", length=repr(length), geometry=wkt(course))
    g.add_edge("4", "1", highway="residential", length=repr(length), geometry=wkt(course[::-1]))
    nx.write_graphml(g, tmp_path / "u.graphml")
    nets = []
    for name, kw in (("a", {"osm": tmp_path / "u.osm"}), ("b", {"graphml": tmp_path /
                                                                  "u.graphml"})):
        make_district(name, tmp_path / name, **kw)
        nets.append(district_network(load_district(str(tmp_path / name))))
    a, b = (np.sort(np.round(np.column_stack([n.lat, n.lon]), 7), axis=0) for n in nets)
    assert a.shape == b.shape == (4 + 2 + 5 + 2, 2)  # 4 drawn nodes; 3, 6, 3 pieces
    assert np.abs(a - b).max() < 1e-6
    assert nets[0].total_km() == pytest.approx(nets[1].total_km(), abs=1e-6)  # OSM: to 1 mm


def test_parse_linestring():
    assert parse_linestring("LINESTRING (117.2 39.1, 117.3 39.2)") == [(39.1, 117.2),
                                                                        (39.2, 117.3)]
    assert parse_linestring("POINT (1 2)") is None
    assert parse_linestring(float("nan")) is None


def test_split_turns_a_misdrawn_geometry_round():
    """A geometry drawn from the arc's head is read from its tail: same shape nodes."""
    g = nx.MultiDiGraph()
    a, b = at(0, 0), at(120, 0)
    for n, (lat, lon) in (("A", a), ("B", b)):
        g.add_node(n, y=lat, x=lon)
    g.add_edge("A", "B", length=120.0, geometry=wkt([b, at(60, 5), a]))
    g.add_edge("B", "A", length=120.0, geometry=wkt([b, at(60, 5), a]))
    assert split_long_arcs(g) == 3  # the bend, and one cut in each 60 m stretch
    assert g.number_of_edges() == 8
    assert sum(d["length"] for _, _, d in g.edges(data=True)) == pytest.approx(240.0)


def test_dropped_csv_says_what_was_left_out_and_why(package):
    _, d, _ = package
    assert d.dropped is not None and d.dropped.name == "dropped.csv"
    assert d.dropped in d.files()  # hashed, and copied into run folders
    rows = {r.name: r for r in read_dropped(d.dropped)}
    assert set(rows) == {"气象台路", "银河公园步道"}
    assert rows["气象台路"].reason == "one-way fragment: not reachable from the rest"
    assert rows["银河公园步道"].reason == "highway=footway (not driven)"
    road, dist = nearest_dropped(list(rows.values()), *at(2010, -150))
    assert road.name == "气象台路" and dist == pytest.approx(10.0, abs=0.05)


def test_osm_reader_shape_points_are_kept_before_splitting(tmp_path):
    """Splitting adds nodes between the mapper's; it never drops one."""
    course = [at(0, 0), at(30, 0), at(130, 0), at(130, 40)]
    write_way_osm(tmp_path / "s.osm", course)
    assert read_osm_xml(tmp_path / "s.osm").number_of_nodes() == 4
    make_district("s", tmp_path / "s", osm=tmp_path / "s.osm")
    net = district_network(load_district(str(tmp_path / "s")))
    assert {"1", "2", "3", "4"} <= set(net.node_ids)
    assert net.n_nodes == 4 + 1  # the 100 m stretch is cut once


def test_a_geometry_not_at_the_arcs_ends_is_not_followed():
    """A geometry left in projected metres (x 404,000, y 3,392,000) does not make nodes
    in nowhere: the arc is cut straight."""
    g = nx.MultiDiGraph()
    a, b = at(0, 0), at(120, 0)
    for n, (lat, lon) in (("A", a), ("B", b)):
        g.add_node(n, y=lat, x=lon)
    g.add_edge("A", "B", length=120.0,
               geometry="LINESTRING (404000 3392000, 404060 3392040, 404120 3392000)")
    assert split_long_arcs(g) == 2  # 3 straight pieces of 40 m
    for n in g.nodes:
        assert abs(g.nodes[n]["y"] - LAT0) < 1e-9
