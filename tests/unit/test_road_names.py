"""Road names drawn along the main roads of a map (issue 15, trial 2: G4)."""

from __future__ import annotations

import networkx as nx
import pytest

from drillsim.network.graph import RoadNetwork
from drillsim.report.figures import pyplot
from drillsim.report.road_names import draw_road_names

LAT, LON, STEP = 39.15, 117.15, 0.004


def _network() -> RoadNetwork:
    """长路 Long Road west-east (4 arcs), 中路 Mid Road north-south (2 arcs), 短路 Short Road
    (1 arc), an unnamed lane (5 arcs: longest, but nameless)."""
    g = nx.MultiDiGraph()

    def road(points, zh, en):
        for (a, pa), (b, pb) in zip(points, points[1:], strict=False):
            for n, (la, lo) in ((a, pa), (b, pb)):
                g.add_node(n, y=la, x=lo)
            for s, t in ((a, b), (b, a)):
                g.add_edge(s, t, highway="secondary", name=zh, name_en=en)

    road([(f"L{i}", (LAT, LON + i * STEP)) for i in range(5)], "长路", "Long Road")
    road([(f"M{i}", (LAT - STEP + i * STEP, LON + 5.2 * STEP)) for i in range(3)],
         "中路", "Mid Road")
    road([("S0", (LAT + 2 * STEP, LON)), ("S1", (LAT + 2 * STEP, LON + STEP))], "短路",
         "Short Road")
    road([(f"U{i}", (LAT - 2 * STEP, LON + i * STEP)) for i in range(6)], "", "")
    return RoadNetwork.from_networkx(g)


@pytest.mark.parametrize(("lang", "names"), [("en", ["Long Road", "Mid Road"]),
                                             ("zh", ["长路", "中路"])])
def test_the_longest_named_roads_get_their_name_clear_of_place_labels(lang, names):
    net = _network()
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(6, 5))
    for u, v in zip(net.edge_u, net.edge_v, strict=True):
        ax.plot([net.lon[u], net.lon[v]], [net.lat[u], net.lat[v]], color="grey")
    ax.set_xlim(LON - STEP, LON + 6 * STEP)
    ax.set_ylim(LAT - 3 * STEP, LAT + 3 * STEP)
    # a place label over the middle of Long Road, where its name would go first
    place = ax.annotate("Some Place 某地", (LON + 2 * STEP, LAT), ha="center", va="center",
                        fontsize=9)
    assert draw_road_names(ax, net, lang, count=2) == names
    renderer = fig.canvas.get_renderer()
    texts = {t.get_text(): t for t in ax.texts if t is not place}
    assert sorted(texts) == sorted(names)
    boxes = [place.get_window_extent(renderer)] + [
        t.get_window_extent(renderer) for t in texts.values()]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # along the road: Long Road's name level, Mid Road's upright
    assert texts[names[0]].get_rotation() == pytest.approx(0.0, abs=1e-6)
    assert texts[names[1]].get_rotation() % 180 == pytest.approx(90.0, abs=1e-6)
    plt.close(fig)
