"""Consistency tests for the embedded Hongqiao data (drillsim/data/hongqiao/).

These tests parse the YAML files directly with PyYAML and use networkx; they do not
import any other drillsim module, so they can run while the rest of the package is
being written.

What is checked (network.yaml):
  * at least 170 nodes, and at least 150 of them are intersections, i.e. have
    degree >= 3 in the undirected simple road graph (distinct neighbours);
  * every road references existing nodes and has at least two of them;
  * the undirected graph is connected and the directed car graph (two arcs per edge
    unless ``oneway: true``) is strongly connected;
  * no edge of a road without ``bridge: true`` crosses a river polyline, and every
    bridge edge crosses at least one river (segment intersection in the lon/lat
    plane);
  * every node lies in the district bounding box (with the far ends of the bridges
    that leave the district, and the boundary-road ends just outside it).
What is checked (places.yaml):
  * place ids are unique across all kinds; station and shelter ids are the ones fixed
    in docs/architecture.md;
  * subdistrict populations sum to 483,130 (2020 census) and communities to 114;
  * fixed-shelter capacities sum to 140,000 people and areas to 230,000 m2;
  * every place lies within 300 m (haversine) of some network node.
"""

from __future__ import annotations

import math
from pathlib import Path

import networkx as nx
import pytest
import yaml

DATA = Path(__file__).resolve().parents[2] / "drillsim" / "data" / "hongqiao"

# Bounding box of the district plus a margin for bridge ends in Hebei/Beichen and
# the Nankai boundary roads: lat 39.130-39.205, lon 117.095-117.195.
BBOX = (39.130, 39.205, 117.095, 117.195)
HIGHWAY_CLASSES = {
    "motorway", "trunk", "primary", "secondary", "tertiary",
    "residential", "unclassified", "service",
}
PLACE_KINDS = (
    "stations", "shelters", "depots", "subdistricts", "hazard_sites",
    "landmarks", "team_bases",
)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6_371_008.8
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def _orient(a, b, c) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def segments_cross(p1, p2, q1, q2) -> bool:
    """True if closed segments p1-p2 and q1-q2 intersect (points are (lon, lat))."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 and d2 and d3 and d4:
        return True

    def on_seg(a, b, c):
        return (min(a[0], b[0]) <= c[0] <= max(a[0], b[0])
                and min(a[1], b[1]) <= c[1] <= max(a[1], b[1]))

    return ((d1 == 0 and on_seg(q1, q2, p1)) or (d2 == 0 and on_seg(q1, q2, p2))
            or (d3 == 0 and on_seg(p1, p2, q1)) or (d4 == 0 and on_seg(p1, p2, q2)))


@pytest.fixture(scope="module")
def net() -> dict:
    with open(DATA / "network.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@pytest.fixture(scope="module")
def places() -> dict:
    with open(DATA / "places.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def edges(net):
    """Yield (u, v, road) for each consecutive node pair of each road."""
    for road in net["roads"]:
        ns = road["nodes"]
        for u, v in zip(ns[:-1], ns[1:], strict=True):
            yield u, v, road


@pytest.fixture(scope="module")
def ugraph(net) -> nx.Graph:
    g = nx.Graph()
    g.add_nodes_from(net["nodes"])
    for u, v, _ in edges(net):
        g.add_edge(u, v)
    return g


def test_meta_and_format(net):
    assert "schematic" in net["meta"]["status"]
    assert net["meta"]["crs"] == "WGS84"
    for nid, n in net["nodes"].items():
        assert set(n) >= {"lat", "lon", "name", "src"}, nid
        assert n["src"], nid
    for road in net["roads"]:
        assert road["name_zh"] and road["name_en"]
        assert road["highway"] in HIGHWAY_CLASSES
        if "maxspeed" in road:
            assert 5 <= road["maxspeed"] <= 120
    assert net["rivers"] and net["boundary"]["coords"]


def test_node_and_intersection_counts(net, ugraph):
    assert len(net["nodes"]) >= 170
    intersections = [n for n, d in ugraph.degree() if d >= 3]
    assert len(intersections) >= 150, len(intersections)


def test_roads_reference_existing_nodes(net):
    for road in net["roads"]:
        assert len(road["nodes"]) >= 2, road["name_zh"]
        for nid in road["nodes"]:
            assert nid in net["nodes"], (road["name_zh"], nid)
        assert all(a != b for a, b in zip(road["nodes"][:-1], road["nodes"][1:], strict=True))


def test_every_node_used(net, ugraph):
    assert all(ugraph.degree(n) >= 1 for n in net["nodes"])


def test_connected(net, ugraph):
    assert nx.is_connected(ugraph)
    dg = nx.DiGraph()
    dg.add_nodes_from(net["nodes"])
    for u, v, road in edges(net):
        dg.add_edge(u, v)
        if not road.get("oneway", False):
            dg.add_edge(v, u)
    assert nx.is_strongly_connected(dg)


def test_rivers_crossed_only_at_bridges(net):
    nodes = net["nodes"]
    rsegs = []
    for river in net["rivers"]:
        cs = [(lon, lat) for lat, lon in river["coords"]]
        rsegs += [(river["name_zh"], a, b) for a, b in zip(cs[:-1], cs[1:], strict=True)]
    bad, dry_bridges = [], []
    for u, v, road in edges(net):
        p = (nodes[u]["lon"], nodes[u]["lat"])
        q = (nodes[v]["lon"], nodes[v]["lat"])
        crossed = [name for name, a, b in rsegs if segments_cross(p, q, a, b)]
        if road.get("bridge", False):
            if not crossed:
                dry_bridges.append((road["name_zh"], u, v))
        elif crossed:
            bad.append((road["name_zh"], u, v, crossed))
    assert not bad, bad
    assert not dry_bridges, dry_bridges


def test_bridges_named(net):
    bridges = [r for r in net["roads"] if r.get("bridge")]
    assert len(bridges) >= 15
    for r in bridges:
        assert "桥" in r["name_zh"], r["name_zh"]
    names = {r["name_zh"] for r in bridges}
    for required in ("大红桥", "金华桥", "金钟桥", "咸阳桥", "大丰桥", "邵公庄闸桥"):
        assert required in names


def test_nodes_in_bbox(net):
    lat0, lat1, lon0, lon1 = BBOX
    for nid, n in net["nodes"].items():
        assert lat0 <= n["lat"] <= lat1 and lon0 <= n["lon"] <= lon1, nid


def test_required_roads_present(net):
    names = {r["name_zh"] for r in net["roads"]}
    for required in (
        "红桥北大街", "西青道", "咸阳北路", "芥园道", "丁字沽一号路", "丁字沽三号路", "勤俭道",
        "光荣道", "本溪路", "大丰路", "河北大街", "南仓道", "新红路", "天平路",
        "西北半环快速路", "中环线", "西横堤", "千里堤", "大明道", "外环西路",
    ):
        assert required in names, required


def all_places(places):
    for kind in PLACE_KINDS:
        for p in places.get(kind) or []:
            yield kind, p


def test_place_ids_unique(places):
    ids = [p["id"] for _, p in all_places(places)]
    assert len(ids) == len(set(ids))
    for kind in places:
        assert kind in PLACE_KINDS, kind
    assert {p["id"] for p in places["stations"]} == {
        "nanyunhe_station", "xizhan_station", "dingzigu_station", "benxi_station"}
    assert {p["id"] for p in places["shelters"]} == {
        "xigu_park", "hongqiao_park", "binhe_park", "xizhan_south_square"}
    for _, p in all_places(places):
        assert p.get("src") or p.get("population_src"), p["id"]


def test_subdistrict_population(places):
    subs = places["subdistricts"]
    assert len(subs) == 9
    assert sum(s["population"] for s in subs) == 483_130
    assert sum(s["communities"] for s in subs) == 114
    assert len({s["code"] for s in subs}) == 9
    for s in subs:
        assert s["population_src"].startswith("synthetic")


def test_shelter_capacity(places):
    assert sum(s["capacity"] for s in places["shelters"]) == 140_000
    assert sum(s["area_m2"] for s in places["shelters"]) == 230_000


def test_places_near_network(net, places):
    pts = [(n["lat"], n["lon"]) for n in net["nodes"].values()]
    far = []
    for _, p in all_places(places):
        d = min(haversine_m(p["lat"], p["lon"], a, b) for a, b in pts)
        if d > 300:
            far.append((p["id"], round(d)))
    assert not far, far
