"""Network summary figures and the network map."""

from __future__ import annotations

import matplotlib
import pytest

from drillsim.network.graph import RoadNetwork, TravelTimes
from drillsim.network.places import Place, Places
from drillsim.network.summary import draw_network, summarize
from tests.conftest import line_graph

matplotlib.use("Agg")


@pytest.fixture
def world():
    g = line_graph(4)  # N0..N3, 1000 m apart, two-way primary at 36 km/h
    g.add_node("X", y=39.20, x=117.20)  # an island
    net = RoadNetwork.from_networkx(g)
    places = Places([Place("st", "station", "一站", "Station One", 39.15, 117.15),
                     Place("park", "shelter", "公园", "Park", 39.15, 117.168)])
    return net, places, TravelTimes(net)


def test_summary(world):
    net, places, tt = world
    info = summarize(net, places, tt)
    assert info["nodes"] == 5 and info["arcs"] == 6
    assert info["road_km"] == pytest.approx(3.0)
    assert info["weak_components"] == 2 and info["largest_weak_share"] == pytest.approx(0.8)
    assert info["strong_components"] == 2
    (reach,) = info["station_reach_5min"]
    # Fire engine: 36 km/h x 1.1 on primary = 11 m/s, so 3300 m in 300 s: N0..N3.
    assert reach["station"] == "st" and reach["node"] == net.node_index["N0"]
    assert reach["node_id"] == "N0"  # the id a drill writes beside the index events.csv shows
    assert reach["nodes"] == 4 and reach["road_km"] == pytest.approx(3.0)
    assert reach["snap_m"] == pytest.approx(0.0, abs=0.1)


def test_draw_network(world, tmp_path):
    net, places, tt = world
    route = tt.route(0, 3, "car")
    fig, ax = draw_network(net, places, closed_edges=net.edges_between(1, 2), routes=[route])
    fig.savefig(tmp_path / "map.png", dpi=60)
    assert (tmp_path / "map.png").stat().st_size > 1000
    labels = [t.get_text() for t in ax.texts]
    assert "一站\nStation One" in labels
