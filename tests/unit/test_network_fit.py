"""A drill on its own road network: snap distances, the reachable core, no Hongqiao defaults.

The network is the synthetic osmnx-style extract of ``tests/osm_world.py`` (a 6 x 6
grid with a dead end, a one-way source spur and a footway-only node).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from osm_world import GRID, OUTSIDE, node_latlon, osm_like_graph, write_osm_like

from drillsim.api import open_drill, run_drill
from drillsim.errors import ScenarioError
from drillsim.network.fit import SNAP_MAX_M, SNAP_PLACE_MAX_M, SNAP_WARN_M, drive_core, snap
from drillsim.network.graph import haversine_m
from drillsim.network.graphml import NetworkLoadError, load_graphml, load_hongqiao
from drillsim.scenarios.loader import load_drill

HEAD = """\
name: Chengdu test
start: 2026-07-15 10:00
duration: 02:00
seed: 3
network: city.graphml
"""
FORCES = """\
forces:
  stations:
    - id: s1
      location: {node: g00}
      personnel: 10
      apparatus: [{id: E1, type: engine, crew: 5}, {id: E2, type: engine, crew: 5}]
      turnout: {day: 60 s, night: 90 s}
  teams: []
  depots: []
  shelters: []
"""


@pytest.fixture(scope="module")
def city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding city.graphml."""
    folder = tmp_path_factory.mktemp("city")
    write_osm_like(folder / "city.graphml")
    return folder


def drill_file(folder: Path, text: str, name: str = "drill.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def errors(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as info:
        load_drill(path)
    return [line.replace(str(path), "FILE") for line in info.value.lines()]


def incident(location: str) -> str:
    return f"incidents:\n  - {{id: F1, occupancy: dwelling, at: '+00:10', location: {location}}}\n"


# --------------------------------------------------------------------------- the core


def test_core_is_the_strongly_connected_grid(city: Path) -> None:
    net = load_graphml(city / "city.graphml")
    core = drive_core(net)
    assert sorted(net.node_ids[i] for i in core.nodes) == sorted(GRID)
    assert sorted(net.node_ids[i] for i in np.flatnonzero(~core.mask)) == sorted(OUTSIDE)
    assert core.n_components == 4  # the grid and three single nodes
    assert drive_core(net) is core  # computed once per network


def test_hongqiao_core_is_the_whole_network() -> None:
    net = load_hongqiao()
    assert drive_core(net).complete and drive_core(net).nodes.size == net.n_nodes == 298


def test_a_coordinate_at_the_dead_end_snaps_to_the_grid(city: Path) -> None:
    net = load_graphml(city / "city.graphml")
    end = net.node_index["dead_end"]
    lat, lon = float(net.lat[end]), float(net.lon[end])
    assert net.nearest_node(lat, lon) == (end, 0.0)
    node, dist = snap(net, lat, lon)
    assert net.node_ids[node] == "g55"
    assert dist == pytest.approx(float(haversine_m(lat, lon, *node_latlon("g55"))))


# --------------------------------------------------------------------------- checks


def test_relying_on_hongqiao_forces_on_another_network_is_an_error(city: Path) -> None:
    path = drill_file(city, HEAD + incident("{lat: 30.67, lon: 104.07}"))
    assert errors(path) == [
        "FILE:5: network: this drill runs on its own road network, but forces.stations, "
        "forces.teams, forces.depots, forces.shelters would come from the Hongqiao defaults, "
        "whose places lie in Hongqiao; give your own (write an empty list, e.g. 'teams: []', "
        "for what the drill does not have), or make a district package of your network "
        "(docs/districts.md); see docs/scenario-format.md, "
        "'Your own road network'"]


def test_default_waterlogging_points_on_another_network_are_an_error(city: Path) -> None:
    path = drill_file(city, HEAD + FORCES + "flood:\n  rain: {return_period: 50}\n")
    (line,) = errors(path)
    assert line.startswith("FILE:5: network: this drill runs on its own road network, but "
                           "flood.points would come from the Hongqiao defaults")


def test_a_hongqiao_place_on_another_network_is_an_error(city: Path) -> None:
    (line,) = errors(drill_file(city, HEAD + FORCES + incident("xigu_park")))
    assert line.startswith("FILE:17: incidents[0].location: place 'xigu_park' (西沽公园 ")
    km = float(line.split(" lies ")[1].split(" km")[0].replace(",", ""))
    assert 1_400 < km < 1_600  # Tianjin to Chengdu
    assert line.endswith("more than 500 m is outside the drill's road network (the drill is "
                         f"played on its own road network {city / 'city.graphml'}). On another "
                         "network give 'location: {lat: .., lon: ..}' or 'location: {node: "
                         "..}'")


def _shifted(node: str, east_m: float) -> tuple[float, float]:
    lat, lon = node_latlon(node)
    return lat, lon + east_m / (111_195 * np.cos(np.radians(lat)))


def test_snap_distance_bounds(city: Path) -> None:
    """A drill's coordinate more than 200 m from its node is an error naming it and the
    distance (issue 15: the trial moved an incident 953 m without a word); a drill's
    snap_max_m raises the bound, and says so. A drill on a network file of its own is told
    so, not "played in the Hongqiao district" (trial 2 of issue 15), with why a point mid-block
    can be far from a node of a raw osmnx GraphML."""
    # row 0 is the south row; g05 is its east end.
    lat, lon = _shifted("g05", 150.0)  # 150 m east of the grid's east edge: played there
    assert load_drill(drill_file(
        city, HEAD + FORCES + incident(f"{{lat: {lat}, lon: {lon}}}"))).warnings == ()
    lat, lon = _shifted("g05", 250.0)  # beyond SNAP_MAX_M: an error
    assert errors(drill_file(city, HEAD + FORCES + incident(f"{{lat: {lat}, lon: {lon}}}"))) == [
        f"FILE:17: incidents[0].location: ({lat}, {lon}) lies 250 m from the nearest usable "
        "network node 'g05'; more than 200 m (the default; a drill's or district.yaml's "
        "snap_max_m may raise it): give the coordinates of the place itself (WGS84), or "
        f"'node:'; the drill is played on its own road network {city / 'city.graphml'}, used "
        "as it is: an osmnx GraphML has nodes at junctions only (up to about 1 km apart); "
        "`drillsim district new NAME --graphml FILE` makes a district package with a node "
        "every 50 m at most (docs/districts.md)"]
    raised = HEAD + "snap_max_m: 300\n" + FORCES + incident(f"{{lat: {lat}, lon: {lon}}}")
    assert load_drill(drill_file(city, raised)).scenario.snap_max_m == 300
    lat, lon = _shifted("g05", 350.0)
    (line,) = errors(drill_file(city, HEAD + "snap_max_m: 300\n" + FORCES
                                + incident(f"{{lat: {lat}, lon: {lon}}}")))
    assert "lies 350 m from the nearest usable network node 'g05'; more than 300 m (the " \
        "drill's snap_max_m)" in line
    assert SNAP_MAX_M == 200


def test_the_warning_bound_grows_with_a_coarse_network(city: Path) -> None:
    grid = drive_core(load_graphml(city / "city.graphml"))
    assert grid.warn_m == 223  # 3 arcs in 4 are 191 m or 222.4 m long, rounded up
    hongqiao = load_hongqiao()
    arcs = hongqiao.edge_length_m[hongqiao.road_edges()]
    assert drive_core(hongqiao).warn_m == np.ceil(np.percentile(arcs, 75)) == 440
    assert SNAP_WARN_M < drive_core(hongqiao).warn_m < SNAP_PLACE_MAX_M  # for places by id


def test_a_coordinate_near_a_dead_end_names_it(city: Path) -> None:
    lat, lon = _shifted("g55", 400.0)  # 400 m east of g55, 209 m beyond the dead end
    (line,) = errors(drill_file(city, HEAD + "snap_max_m: 300\n" + FORCES
                                + incident(f"{{lat: {lat}, lon: {lon}}}")))
    assert (f"({lat}, {lon}) lies 400 m from the nearest usable network node 'g55' (node "
            "'dead_end', 209 m away, is on a dead end or one-way fragment units could not "
            "use); more than 300 m") in line


@pytest.mark.parametrize(("node", "trouble"), [
    ("dead_end", "drive back from it"),
    ("source", "reach it from the stations"),
    ("park", "reach it or drive back from it"),
])
def test_a_node_outside_the_core_is_an_error(city: Path, node: str, trouble: str) -> None:
    (line,) = errors(drill_file(city, HEAD + FORCES + incident(f"{{node: {node}}}")))
    assert line.startswith(f"FILE:17: incidents[0].location: node '{node}' is on a dead end or "
                           f"one-way fragment: units could not {trouble}; 36 of 39 nodes can "
                           "reach each other both ways; the nearest node they can use is ")


def test_a_station_in_a_dead_end_is_an_error(city: Path) -> None:
    (line,) = errors(drill_file(city, HEAD + FORCES.replace("{node: g00}", "{node: dead_end}")))
    assert line == ("FILE:9: forces.stations[0].location: node 'dead_end' is on a dead end or "
                    "one-way fragment: units could not drive back from it; 36 of 39 nodes can "
                    "reach each other both ways; the nearest node they can use is 'g55', "
                    "191 m away")


# --------------------------------------------------------------------------- runs


def test_an_incident_at_the_dead_end_is_reached_and_the_unit_returns(city: Path) -> None:
    lat, lon = node_latlon("g55")
    lon += 0.002  # exactly at the dead end
    drill = open_drill(drill_file(city, HEAD + FORCES + incident(f"{{lat: {lat}, lon: {lon}}}")))
    result = run_drill(drill.scenario, world=drill.world)
    net = drill.world.network
    kinds = [r.event for r in result.records]
    assert "queued" not in kinds and "mutual_aid_request" not in kinds and "unmet" not in kinds
    arrive = next(r for r in result.records if r.event == "arrive")
    assert net.node_ids[arrive.node] == "g55"
    home = [r for r in result.records if r.event == "quarters"]
    assert [net.node_ids[r.node] for r in home] == ["g00"]


def test_background_calls_fall_only_on_reachable_nodes(city: Path) -> None:
    text = HEAD.replace("02:00", "12:00") + FORCES + "background: {calls_per_day: 60}\n"
    drill = open_drill(drill_file(city, text))
    result = run_drill(drill.scenario, world=drill.world)
    core = drive_core(drill.world.network)
    calls = [r for r in result.records if r.event == "call"]
    assert len(calls) > 15  # ~30 expected in 12 h
    assert all(core.mask[r.node] for r in calls)
    assert not [r for r in result.records if r.event in ("mutual_aid_request", "unmet")
                and not r.incident.startswith("BG")]


# --------------------------------------------------------------------------- unusable graphs


@pytest.mark.parametrize("crs", ["EPSG:32648", "EPSG:3857",
                                 "+proj=utm +zone=48 +ellps=WGS84 +datum=WGS84 +units=m "
                                 "+no_defs +type=crs"])
def test_a_projected_graph_is_converted_to_the_same_network(tmp_path: Path, crs: str) -> None:
    """The test grid in longitude / latitude, projected with pyproj as ox.project_graph does
    (UTM 48N, Web Mercator, osmnx's own '+proj=utm' string) and saved: loaded, every node
    lies within 1 cm of where the unprojected file puts it, and the travel times from every
    node are those of the unprojected network (lengths are kept: same arcs, same speeds)."""
    from osm_world import project

    from drillsim.network.graph import TravelTimes

    plain = load_graphml(write_osm_like(tmp_path / "plain.graphml"))
    g = osm_like_graph()
    first = next(iter(g.edges(keys=True)))
    lat0, lon0 = node_latlon("g00")
    g.edges[first]["geometry"] = (f"LINESTRING ({lon0} {lat0}, {lon0 + 0.001} {lat0 + 0.0005}, "
                                  f"{lon0 + 0.002} {lat0})")
    project(g, crs)
    assert float(g.nodes["g00"]["x"]) > 1000  # metres, not degrees
    nx.write_graphml(g, tmp_path / "projected.graphml")
    net = load_graphml(tmp_path / "projected.graphml")
    assert net.node_ids == plain.node_ids
    moved = haversine_m(net.lat, net.lon, plain.lat, plain.lon)
    assert float(np.max(moved)) < 0.01
    assert net.converted_from.startswith(crs) and "unknown" not in net.converted_from
    assert plain.converted_from == ""
    a, b = TravelTimes(net), TravelTimes(plain)
    for o in range(net.n_nodes):
        np.testing.assert_allclose(a.times_from(o), b.times_from(o), rtol=1e-12)


def test_a_projected_graphs_geometry_comes_back_to_degrees() -> None:
    """An arc's curved LINESTRING is converted point by point (to 1e-7 degrees, 1 cm)."""
    from osm_world import project

    from drillsim.network.graphml import to_wgs84

    g = osm_like_graph()
    lat0, lon0 = node_latlon("g00")
    pts = [(lon0, lat0), (lon0 + 0.001, lat0 + 0.0005), (lon0 + 0.002, lat0)]
    g.edges["g00", "g01", 0]["geometry"] = "LINESTRING (" + ", ".join(
        f"{x} {y}" for x, y in pts) + ")"
    project(g, "EPSG:32648")
    note = to_wgs84(g)
    assert note == ("converted from EPSG:32648 (WGS 84 / UTM zone 48N) to WGS84 longitude / "
                    "latitude")
    assert g.graph["crs"] == "epsg:4326"
    back = [tuple(map(float, p.split())) for p in g.edges["g00", "g01", 0]["geometry"]
            .removeprefix("LINESTRING (").removesuffix(")").split(", ")]
    np.testing.assert_allclose(back, pts, atol=1e-7)


def test_an_unknown_crs_is_named(tmp_path: Path) -> None:
    g = osm_like_graph(projected=True)
    g.graph["crs"] = "EPSG:99999"
    nx.write_graphml(g, tmp_path / "bad.graphml")
    with pytest.raises(NetworkLoadError) as info:
        load_graphml(tmp_path / "bad.graphml")
    assert str(info.value) == (
        f"{tmp_path / 'bad.graphml'}: the graph's crs 'EPSG:99999' is not a coordinate "
        "reference system pyproj knows (give it as 'EPSG:32650' or a '+proj=...' string)")


def test_coordinates_outside_the_crs_are_named() -> None:
    from drillsim.network.graphml import to_wgs84

    g = osm_like_graph(projected=True)
    g.nodes["g00"]["x"] = "1e12"  # no point of UTM zone 48N
    with pytest.raises(ValueError, match=r"^1 node\(s\) cannot be converted from the graph's "
                       r"crs 'EPSG:32648' to longitude / latitude \(first: node 'g00'\)"):
        to_wgs84(g)


def test_projected_coordinates_without_a_crs_are_named(tmp_path: Path) -> None:
    g = osm_like_graph(projected=True)
    del g.graph["crs"]
    nx.write_graphml(g, tmp_path / "nocrs.graphml")
    with pytest.raises(NetworkLoadError, match=r"node coordinates are not longitude / latitude "
                       r"degrees \(x up to 4\d\d,\d{3}\) and the graph names no crs: if it is "
                       r"projected, name its crs before saving: G.graph\['crs'\] = "
                       r"'EPSG:32650'"):
        load_graphml(tmp_path / "nocrs.graphml")


@pytest.mark.parametrize("crs", ["epsg:4326", "EPSG:4490", "+proj=longlat +datum=WGS84 +no_defs",
                                 "WGS84", ""])
def test_geographic_crs_are_accepted(tmp_path: Path, crs: str) -> None:
    g = osm_like_graph()
    g.graph["crs"] = crs
    nx.write_graphml(g, tmp_path / "g.graphml")
    assert load_graphml(tmp_path / "g.graphml").n_nodes == 39


def test_an_undirected_osm_graph_is_refused(tmp_path: Path) -> None:
    path = write_osm_like(tmp_path / "u.graphml", directed=False)
    with pytest.raises(NetworkLoadError, match="undirected, so every one-way street"):
        load_graphml(path)


def test_one_node_and_no_road(tmp_path: Path) -> None:
    """osmnx's own test file short.graphml: one node, no edge."""
    g = nx.MultiDiGraph(crs="epsg:4326")
    g.add_node(1, x="104.06", y="30.66")
    nx.write_graphml(g, tmp_path / "short.graphml")
    with pytest.raises(NetworkLoadError) as info:
        load_graphml(tmp_path / "short.graphml")
    assert str(info.value) == (f"{tmp_path / 'short.graphml'}: the graph has 1 node and no "
                               "roads; the extract holds no roads: take a larger area (osmnx: "
                               'network_type="drive")')


def test_footways_only_is_refused(tmp_path: Path) -> None:
    g = nx.MultiDiGraph(crs="epsg:4326")
    g.add_node(1, x="104.06", y="30.66")
    g.add_node(2, x="104.061", y="30.66")
    for u, v in ((1, 2), (2, 1)):
        g.add_edge(u, v, highway="footway", length="96")
    nx.write_graphml(g, tmp_path / "paths.graphml")
    with pytest.raises(NetworkLoadError, match="no two of its 2 nodes can be driven between "
                       "both ways"):
        load_graphml(tmp_path / "paths.graphml")


def test_cli_validate_on_a_projected_graph_says_it_converted(tmp_path: Path) -> None:
    """A drill whose `network:` is a projected GraphML validates, with one warning line
    naming the system the coordinates came from."""
    write_osm_like(tmp_path / "city.graphml", projected=True)
    path = drill_file(tmp_path, HEAD + FORCES)
    out = subprocess.run([sys.executable, "-m", "drillsim.cli", "validate", str(path)],
                         capture_output=True, text=True, env={**os.environ, "COLUMNS": "400"})
    assert out.returncode == 0, out.stderr
    text = " ".join((out.stdout + out.stderr).split())
    assert (f"{path}:5: network: the road network's coordinates were converted from "
            "EPSG:32648 (WGS 84 / UTM zone 48N) to WGS84 longitude / latitude") in text


# --------------------------------------------------------------------------- maps and summary


def test_maps_of_another_network_leave_out_hongqiao_places(city: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    from drillsim.network.graphml import load_places
    from drillsim.network.summary import draw_network, on_network

    net, hongqiao = load_graphml(city / "city.graphml"), load_places()
    assert len(on_network(net, hongqiao)) == 0
    assert len(on_network(load_hongqiao(), hongqiao)) == len(hongqiao)  # all within 293 m
    fig, ax = draw_network(net, hongqiao)
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    # framed on the network (104.060-104.072 E, 30.658-30.672 N), not stretched to Tianjin
    assert 104.05 < x0 < 104.06 and 104.072 < x1 < 104.08
    assert 30.65 < y0 < 30.658 and 30.672 < y1 < 30.68
    assert not ax.texts  # no Hongqiao label
    import matplotlib.pyplot as plt

    plt.close(fig)


def test_network_summary_of_another_network(city: Path) -> None:
    from drillsim.network.graph import TravelTimes
    from drillsim.network.graphml import load_places
    from drillsim.network.summary import summarize

    net = load_graphml(city / "city.graphml")
    info = summarize(net, load_places(), TravelTimes(net))
    assert info["usable_nodes"] == 36 and info["nodes"] == 39
    assert info["station_reach_5min"] == []  # the Hongqiao stations are 1,518 km away
