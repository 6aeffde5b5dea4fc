"""Loading road networks (osmnx GraphML, embedded YAML) and places."""

from __future__ import annotations

import textwrap
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from drillsim.network.graph import TravelTimes, haversine_m
from drillsim.network.graphml import (
    NetworkLoadError,
    _layers_from_yaml,
    _network_from_yaml,
    _places_from_yaml,
    load_graphml,
    load_network,
)


def osmnx_style_graph() -> nx.MultiDiGraph:
    """A small graph as osmnx saves it: every attribute a string, lists as list-strings."""
    g = nx.MultiDiGraph(crs="epsg:4326")
    coords = {101: (39.150, 117.150), 102: (39.150, 117.160), 103: (39.160, 117.160),
              104: (39.160, 117.150)}
    for n, (lat, lon) in coords.items():
        g.add_node(n, y=str(lat), x=str(lon), street_count="2")

    def arc(u, v, length, **attrs):
        g.add_edge(u, v, osmid="1", length=str(length), **attrs)

    for u, v in ((101, 102), (102, 101)):
        arc(u, v, 860.5, highway="['primary', 'secondary']", maxspeed="50", oneway="False",
            name="西青道", bridge="yes")
    arc(102, 103, 1110.0, highway="secondary", maxspeed="50 mph", oneway="True")
    for u, v in ((103, 104), (104, 103)):
        arc(u, v, 860.0, highway="tertiary", maxspeed="['40', '50']", oneway="False",
            name="['A', 'B']")
    arc(104, 101, 1110.0, highway="residential", oneway="True")
    return g


def test_graphml_round_trip(tmp_path):
    path = tmp_path / "city.graphml"
    nx.write_graphml(osmnx_style_graph(), path)
    net = load_graphml(path)
    assert net.n_nodes == 4 and net.n_edges == 6
    assert net.node_ids == ("101", "102", "103", "104")
    ab = net.edges_between(0, 1)[0]
    assert net.edge_length_m[ab] == pytest.approx(860.5)
    assert net.edge_highway[ab] == "primary"
    assert net.edge_speed_kmh[ab] == pytest.approx(50)
    assert net.edge_bridge[ab] and not net.edge_oneway[ab]
    assert net.edge_name[ab] == "西青道"
    bc = net.edges_between(1, 2)[0]
    assert net.edge_oneway[bc] and net.edge_speed_kmh[bc] == pytest.approx(80.4672)
    assert net.edges_between(2, 1) == []
    cd = net.edges_between(2, 3)[0]
    assert net.edge_speed_kmh[cd] == pytest.approx(45)
    assert set(net.edges_named("B")) == set(net.edges_between(2, 3) + net.edges_between(3, 2))
    da = net.edges_between(3, 0)[0]
    assert net.edge_speed_kmh[da] == 25.0  # residential default
    tt = TravelTimes(net)
    assert tt.time(1, 0, "car") == pytest.approx(860.5 / (50 / 3.6))
    assert tt.route(0, 2, "car") == [0, 1, 2]
    assert tt.route(2, 0, "car") == [2, 3, 0]
    assert load_network(str(path)).n_edges == 6


def test_undirected_graphml_is_refused(tmp_path):
    g = nx.Graph()
    g.add_node("a", x=117.0, y=39.0)
    g.add_node("b", x=117.01, y=39.0)
    g.add_edge("a", "b", length=860.0, highway="primary", oneway="True")
    path = tmp_path / "u.graphml"
    nx.write_graphml(g, path)
    with pytest.raises(NetworkLoadError, match="the graph is undirected, so every one-way "
                       "street would be driven both ways"):
        load_graphml(path)


@pytest.mark.parametrize(("content", "message"), [
    (None, "no such GraphML file"),
    ("this is not xml", "not a readable GraphML file"),
    ("<?xml version='1.0'?><root/>", "not a readable GraphML file"),
])
def test_bad_files(tmp_path, content, message):
    path = tmp_path / "bad.graphml"
    if content is not None:
        path.write_text(content)
    with pytest.raises(NetworkLoadError, match=message) as err:
        load_graphml(path)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_graphml_without_coordinates(tmp_path):
    g = nx.MultiDiGraph()
    g.add_edge("a", "b", length="10")
    path = tmp_path / "nocoords.graphml"
    nx.write_graphml(g, path)
    with pytest.raises(NetworkLoadError, match="'x'/'y'"):
        load_graphml(path)


def test_empty_graphml(tmp_path):
    path = tmp_path / "empty.graphml"
    nx.write_graphml(nx.MultiDiGraph(), path)
    with pytest.raises(NetworkLoadError, match="no nodes"):
        load_graphml(path)


NETWORK_YAML = """\
meta: {name: test}
nodes:
  n_a: {lat: 39.150, lon: 117.150, name: "甲 × 乙", src: estimate}
  n_b: {lat: 39.150, lon: 117.160, src: estimate}
  n_c: {lat: 39.160, lon: 117.160, src: estimate}
roads:
  - {name_zh: 西青道, name_en: Xiqing Road, highway: primary, maxspeed: 60, nodes: [n_a, n_b, n_c]}
  - {name_zh: 单行路, name_en: One Way St, highway: residential, oneway: true, nodes: [n_c, n_a]}
  - {name_zh: 金钟桥, name_en: Jinzhong Bridge, highway: secondary, bridge: true, nodes: [n_b, n_a]}
rivers:
  - {name_zh: 南运河, name_en: South Canal, coords: [[39.151, 117.150], [39.152, 117.170]]}
boundary:
  coords: [[39.14, 117.14], [39.17, 117.14], [39.17, 117.17], [39.14, 117.14]]
"""

PLACES_YAML = """\
stations:
  - {id: st1, name_zh: 一站, name_en: Station One, lat: 39.150, lon: 117.151, src: estimate}
shelters:
  - {id: park, name_zh: 公园, name_en: Park, lat: 39.16, lon: 117.16, capacity: 5000}
hazard_sites:
  - {id: works, name_zh: 水厂, name_en: Water Works, kind: water_works, lat: 39.155, lon: 117.155}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_network_yaml(tmp_path):
    net = _network_from_yaml(write(tmp_path, "network.yaml", NETWORK_YAML))
    assert net.node_ids == ("n_a", "n_b", "n_c")
    assert net.node_names[0] == "甲 × 乙"
    assert net.n_edges == 4 + 1 + 2
    ab = net.edges_between(0, 1)
    assert sorted(net.edge_name[e] for e in ab) == ["西青道", "金钟桥"]  # parallel arcs
    ab = [e for e in ab if net.edge_name[e] == "西青道"]
    assert net.edge_name_en[ab[0]] == "Xiqing Road"
    assert net.edge_length_m[ab[0]] == pytest.approx(haversine_m(39.15, 117.15, 39.15, 117.16))
    assert net.edge_speed_kmh[ab[0]] == 60
    assert net.edges_between(0, 2) == [] and len(net.edges_between(2, 0)) == 1
    assert net.edge_bridge[net.edges_named("Jinzhong Bridge")].all()
    assert net.edge_speed_kmh[net.edges_named("金钟桥")[0]] == 40  # secondary default
    layers = _layers_from_yaml(write(tmp_path, "network.yaml", NETWORK_YAML))
    assert layers.rivers[0][:2] == ("南运河", "South Canal")
    assert layers.rivers[0][2].shape == (2, 2) and layers.boundary.shape == (4, 2)


@pytest.mark.parametrize(("bad", "message"), [
    (NETWORK_YAML.replace("nodes: [n_a, n_b, n_c]", "nodes: [n_a, n_x]"), r"roads\[0\].*n_x"),
    (NETWORK_YAML.replace("lat: 39.150, lon: 117.150,", "lon: 117.150,"), "nodes.n_a"),
    ("nodes: [", "cannot read YAML"),
    ("- a list", "mapping"),
])
def test_bad_network_yaml(tmp_path, bad, message):
    with pytest.raises(NetworkLoadError, match=message):
        _network_from_yaml(write(tmp_path, "network.yaml", bad))


def test_places_yaml(tmp_path):
    places = _places_from_yaml(write(tmp_path, "places.yaml", PLACES_YAML))
    assert places.ids == ["st1", "park", "works"]
    assert places.kinds == ["station", "shelter", "hazard_site"]
    assert places["park"].attrs["capacity"] == 5000
    assert places["works"].attrs["kind"] == "water_works"
    assert places.get("nope") is None and "st1" in places and len(places) == 3
    assert [p.id for p in places.of_kind("station")] == ["st1"]
    assert places["st1"].label == "一站 Station One"


@pytest.mark.parametrize(("bad", "message"), [
    (PLACES_YAML + "depots:\n  - {id: st1, lat: 39.1, lon: 117.1}\n",
     r"places.yaml:\d+: depots\[0\]: place id 'st1' is used twice \(also at \S+places.yaml:2 "
     r"\(stations\[0\]\)\)"),
    (PLACES_YAML + "depots:\n  - {id: d1, lon: 117.1}\n", r"depots\[0\]: needs id, lat and lon"),
    (PLACES_YAML + "depots:\n  - {id: d1, lat: 139.1, lon: 117.1}\n", "out of range"),
])
def test_bad_places_yaml(tmp_path, bad, message):
    with pytest.raises(NetworkLoadError, match=message):
        _places_from_yaml(write(tmp_path, "places.yaml", bad))


def test_embedded_hongqiao_network_loads_and_routes():
    net = load_network("default")
    assert net.n_nodes > 50 and net.n_edges > net.n_nodes
    tt = TravelTimes(net)
    times = tt.times_from(0, "fire_engine")
    assert np.isfinite(times).mean() > 0.95
    assert 39.0 < net.bbox[0] < net.bbox[2] < 39.3 and 117.0 < net.bbox[1] < net.bbox[3] < 117.3
