"""OSM tags a real extract carries: zone speeds, lane speeds, osmnx speeds, non-road ways."""

from __future__ import annotations

import networkx as nx
import pytest

from drillsim.network.graph import DEFAULT_SPEED_KMH, ZONE_SPEED_KMH, parse_maxspeed
from drillsim.network.graphml import drop_non_roads, load_graphml


@pytest.mark.parametrize(("value", "expected"), [
    # national defaults (OSM wiki "Default speed limits"; DE StVO para. 3, RU rules 10.2)
    ("DE:urban", 50.0), ("DE:rural", 100.0), ("RU:urban", 60.0), ("RU:rural", 90.0),
    ("RU:motorway", 110.0), ("FR:rural", 80.0), ("CN:urban", 50.0), ("de:urban", 50.0),
    ("GB:nsl_single", 96.56064),  # 60 mph
    ("DE:zone30", 30.0), ("DE:zone:20", 20.0),
    ("DE:motorway", None),  # no general German motorway limit: the class default applies
    ("XX:urban", None),
    # lane-separated: the lowest lane
    ("50|30", 30.0), ("80|80|60", 60.0), ("50|none", 50.0), ("60 mph|50", 50.0),
    # lists: mean of the entries (as osmnx), each entry's lowest lane
    ("['50|30', '50']", 40.0),
])
def test_zone_and_lane_speeds(value, expected):
    result = parse_maxspeed(value)
    assert result == (None if expected is None else pytest.approx(expected))


def test_zone_table_values_are_plausible_limits():
    assert all(5 <= v <= 140 for v in ZONE_SPEED_KMH.values())


def _graphml(tmp_path, edges, name="t.graphml"):
    """A 2 x 3 grid of nodes 0.002° apart with the given extra arcs (u, v, attrs)."""
    g = nx.MultiDiGraph(crs="epsg:4326")
    for i in range(6):
        g.add_node(str(i), y=str(39.0 + (i // 3) * 0.002), x=str(117.0 + (i % 3) * 0.002))
    for u, v, attrs in edges:
        g.add_edge(str(u), str(v), length="200", **attrs)
    path = tmp_path / name
    nx.write_graphml(g, path)
    return path


def _two_way(u, v, **attrs):
    return [(u, v, attrs), (v, u, attrs)]


def test_osmnx_speed_and_travel_time_are_read(tmp_path):
    path = _graphml(tmp_path, [
        *_two_way(0, 1, highway="residential", speed_kph="37.5"),          # osmnx speed
        *_two_way(1, 2, highway="residential", travel_time="24"),          # 200 m in 24 s
        *_two_way(3, 4, highway="residential", maxspeed="DE:urban", speed_kph="20"),
        *_two_way(4, 5, highway="residential"),                            # class default
        *_two_way(0, 3, highway="primary"), *_two_way(2, 5, highway="primary"),
    ])
    net = load_graphml(path)

    def speed(u, v):
        return net.edge_speed_kmh[net.edges_between(net.node_index[str(u)],
                                                    net.node_index[str(v)])[0]]

    assert speed(0, 1) == pytest.approx(37.5)
    assert speed(1, 2) == pytest.approx(200 / 24 * 3.6)  # 30 km/h
    assert speed(3, 4) == pytest.approx(50.0)  # the tag beats osmnx's imputed speed
    assert speed(4, 5) == DEFAULT_SPEED_KMH["residential"]


def test_non_road_ways_are_dropped(tmp_path):
    path = _graphml(tmp_path, [
        *_two_way(0, 1, highway="primary"), *_two_way(1, 2, highway="primary"),
        *_two_way(0, 3, highway="primary"), *_two_way(3, 4, highway="primary"),
        *_two_way(1, 4, highway="construction"),
        *_two_way(2, 5, railway="rail"),
        *_two_way(4, 5, highway="pedestrian", area="yes"),
        (0, 4, {"highway": "proposed"}), (4, 2, {"highway": "platform"}),
        *_two_way(4, 0, highway="residential", railway="tram"),  # a street with tram tracks
    ])
    net = load_graphml(path)
    assert "5" not in net.node_index  # only non-road ways reached it
    pairs = {(net.node_ids[u], net.node_ids[v]) for u, v in
             zip(net.edge_u, net.edge_v, strict=True)}
    roads = {("0", "1"), ("1", "2"), ("0", "3"), ("3", "4"), ("4", "0")}  # + the tram street
    assert pairs == roads | {(v, u) for u, v in roads}
    assert net.n_edges == 10  # 4 primary roads and the tram street, both ways


def test_drive_drops_foot_ways_and_counts_reasons():
    g = nx.MultiDiGraph()
    for i in range(4):
        g.add_node(i, x=117.0 + i * 0.001, y=39.0)
    g.add_edge(0, 1, highway="primary")
    g.add_edge(1, 2, highway="footway")
    g.add_edge(2, 3, highway="steps")
    g.add_edge(1, 0, highway="construction")
    walk = g.copy()
    assert drop_non_roads(walk) == {"highway=construction": 1}
    assert walk.number_of_edges() == 3
    dropped = drop_non_roads(g, drive=True)
    assert dropped == {"highway=construction": 1, "highway=footway (not driven)": 1,
                       "highway=steps (not driven)": 1, "nodes": 2}
    assert sorted(g.nodes) == [0, 1]
