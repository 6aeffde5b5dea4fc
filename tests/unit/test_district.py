"""District packages end to end: `drillsim district new / check / show`, a fire and a flood
drill on another district through the CLI, the run folder read from itself alone, and
the one-line errors of bad packages and bad `district:` values."""

from __future__ import annotations

import csv
import json
import math
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner
from other_district import PLACES, make_other_district

from drillsim.cli import main
from drillsim.network.district import DistrictError, load_district
from drillsim.network.district_make import read_osm_xml
from drillsim.network.graph import haversine_m
from drillsim.network.graphml import district_network, district_places

FIRE = """\
name: Test City house fire
name_zh: 测试市住宅火灾
district: {district}
start: 2026-07-15 10:00
duration: 01:00
seed: 5
incidents:
  - {{id: F1, occupancy: dwelling, at: '+00:05', location: {{lat: 30.6700, lon: 104.0700}}}}
"""

FLOOD = """\
name: Test City rainstorm
name_zh: 测试市暴雨
district: {district}
start: 2026-07-15 16:00
duration: 06:00
seed: 5
flood:
  rain: {{return_period: 50, duration: 2 h, peak_ratio: 0.4, start: "16:30"}}
  activation: "16:45"
"""


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def events(run: Path) -> list[dict[str, str]]:
    with open(run / "events.csv", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The package, a fire and a flood drill in a folder beside it, and their run folders
    (the drills run once for the module)."""
    root = tmp_path_factory.mktemp("other")
    package = make_other_district(root)
    (root / "drills").mkdir()
    out = {"root": root, "package": package}
    for name, text in (("fire", FIRE), ("flood", FLOOD)):
        drill = root / "drills" / f"{name}.yaml"
        drill.write_text(text.format(district="../testcity"), encoding="utf-8")
        r = invoke("run", drill, "--out", root / "runs" / name)
        assert r.exit_code == 0, r.output
        out[name] = root / "runs" / name
    return out


def test_new_reports_what_it_dropped(tmp_path):
    from osm_world import GRID, write_osm_like

    graphml = write_osm_like(tmp_path / "city.graphml")
    r = invoke("district", "new", "c1", "--graphml", graphml, "--out", tmp_path / "c1")
    assert r.exit_code == 0, r.output
    assert "246 nodes" in r.output  # 36 junctions, arcs of 191-222 m cut in 4-5 pieces
    assert "36 nodes from the source and 210 added along the roads" in r.output
    assert "dropped 2 arc(s): highway=footway (not driven)" in r.output  # the park path
    assert "dropped 1 node(s) left without a drivable road" in r.output  # the park
    assert "dropped 2 node(s) outside the largest part" in r.output       # dead end, source
    d = load_district(str(tmp_path / "c1"))
    net = district_network(d)
    assert sorted(n for n in net.node_ids if "-" not in n) == sorted(GRID)
    assert net.edge_length_m.max() <= 50.0
    assert len(district_places(d)) == 0  # the templates hold no place yet
    again = invoke("district", "new", "c1", "--graphml", graphml, "--out", tmp_path / "c1")
    assert again.exit_code == 2 and "already a district package" in again.output


def test_new_from_a_projected_graphml_converts_it_once(tmp_path):
    """A UTM GraphML (pyproj, as ox.project_graph saves it): `district new` says it converted
    the coordinates, the package's network.graphml is in longitude / latitude (its nodes
    within 1 cm of the unprojected grid's, no conversion on later loads), and `district
    check` has nothing to say about the crs."""
    from osm_world import GRID, node_latlon, write_osm_like

    graphml = write_osm_like(tmp_path / "utm.graphml", projected=True)
    r = invoke("district", "new", "u1", "--graphml", graphml, "--out", tmp_path / "u1")
    assert r.exit_code == 0, r.output
    assert ("coordinates converted from EPSG:32648 (WGS 84 / UTM zone 48N) to WGS84 "
            "longitude / latitude") in " ".join(r.output.split())
    net = district_network(load_district(str(tmp_path / "u1")))
    assert net.converted_from == ""
    assert sorted(n for n in net.node_ids if "-" not in n) == sorted(GRID)  # + split nodes
    for n in GRID:
        lat, lon = node_latlon(n)
        i = net.node_index[n]
        assert 6_371_008.8 * math.radians(math.hypot(net.lat[i] - lat, (net.lon[i] - lon) * (
            math.cos(math.radians(lat))))) < 0.01
    check = invoke("district", "check", tmp_path / "u1")
    assert "converted" not in check.output


def test_check_of_fresh_templates_says_what_is_missing(tmp_path):
    from osm_world import write_osm_like

    graphml = write_osm_like(tmp_path / "city.graphml")
    assert invoke("district", "new", "c2", "--graphml", graphml, "--out",
                  tmp_path / "c2").exit_code == 0
    r = invoke("district", "check", tmp_path / "c2")
    assert r.exit_code == 2
    lines = r.output.splitlines()
    assert any(line.startswith("error: ") and "places.yaml:" in line
               and ": stations: no stations yet" in line for line in lines)
    for what in (": shelters: no shelters yet", ": subdistricts: no population",
                 ": points: no waterlogging points", ": stations: no default forces",
                 "district.yaml:10: licence: licence is still the template's placeholder"):
        assert any(what in line for line in lines), what
    assert "1 error(s), 5 warning(s)" in r.output


def test_check_warns_when_no_depot_has_a_truck(runs, tmp_path):
    """Trial 2 of issue 15: forces.yaml with stations and shelters but no `depots:` checked
    clean, and a flood drill on it relieved nobody. The check says so; the test package
    (a depot with trucks) does not get the warning."""
    import yaml

    package = make_other_district(tmp_path)
    assert "depots: no relief depot" not in invoke("district", "check", package).output
    forces = package / "forces.yaml"
    data = yaml.safe_load(forces.read_text(encoding="utf-8"))
    del data["depots"]
    forces.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    out = " ".join(invoke("district", "check", package).output.split())
    assert (f"warning: {forces}: depots: no relief depot with trucks: a flood or chemical "
            "drill on these forces brings no ration to any shelter (nobody is relieved; the "
            "report names 'no relief trucks' as the bottleneck); give `depots:` with `stock` "
            "and `trucks` (docs/scenario-format.md)") in out


def test_check_names_plans_no_staffed_unit_can_answer(runs, tmp_path):
    """West Gate has 20 firefighters, half on duty: its two engines (5 + 5) take all ten,
    so the ladder and the rescue unit stay unstaffed, and the pump team has no rescuers:
    the rescue and flood_rescue plans cannot be answered (the trial's Jinjiang package:
    hazmat). With 34 firefighters (17 on duty: 5 + 5 + 3 + 4) and residents at the
    underpass the check is clean."""
    r = invoke("district", "check", runs["package"])
    assert r.exit_code == 0, r.output
    out = " ".join(r.output.split())
    forces = runs["package"] / "forces.yaml"
    for plan, types, line in (("rescue", "rescue", 13), ("flood_rescue", "rescue|rescue_team",
                                                          15)):
        assert (f"warning: {forces}:{line}: response_plans.{plan}: no unit staffed on duty can "
                f"answer response plan {plan!r}: it asks for {types}, and none is staffed; "
                "not staffed: W-R1 (west_station) (personnel × on_duty_fraction leaves no "
                "crew for them); its calls would go to mutual aid or never be reached") in out
    # the underpass has no residents: the flood would displace nobody (trial of issue 15)
    points = runs["package"] / "waterlogging.yaml"
    assert (f"warning: {points}:1: points: no waterlogging point has residents: a flood drill "
            "on them displaces nobody (no shelters filled, no relief, no water rescue calls); "
            "give each point's `residents`, the people in low-lying homes nearby") in out
    assert "测试市 Test City (version 1): 0 error(s), 3 warning(s)" in r.output
    package = make_other_district(tmp_path)
    forces = package / "forces.yaml"
    forces.write_text(forces.read_text(encoding="utf-8").replace("personnel: 20",
                                                                 "personnel: 34"),
                      encoding="utf-8")
    points = package / "waterlogging.yaml"
    points.write_text(points.read_text(encoding="utf-8") + "    residents: 300\n",
                      encoding="utf-8")
    r = invoke("district", "check", package)
    assert "测试市 Test City (version 1): 0 error(s), 0 warning(s)" in r.output, r.output


def test_check_finds_far_places_slow_stations_and_flooded_shelters(tmp_path):
    package = make_other_district(tmp_path)
    text = PLACES.replace("lat: 30.6680, lon: 104.0680", "lat: 30.6660, lon: 104.0660")  # g44
    text = text.replace("lat: 30.6600, lon: 104.0600", "lat: 30.7000, lon: 104.0600")  # g00
    text += ("  - {id: far_school, name_zh: 远郊学校, name_en: Far School, lat: 30.6600, "
             "lon: 104.0700}\n")
    (package / "places.yaml").write_text(text.replace("hazard_sites: []\n", ""),
                                         encoding="utf-8")
    # the shelter moved onto the underpass (g33); the station 4.4 km north of the grid
    r = invoke("district", "check", package)
    assert r.exit_code == 2, r.output
    out = " ".join(r.output.split())
    assert "west_station: 西门消防救援站 West Gate Fire Station lies" in out
    assert "drills refuse it" in out
    assert "east_park: shelter 东湖公园 East Lake Park is 0 m from waterlogging point " \
           "'underpass'" in out


def test_an_id_used_in_places_and_population_names_both_files_and_lines(tmp_path):
    """A landmark and a subdistrict with one id (found in the trial of issue 15: the message
    named district.yaml, without a line)."""
    package = make_other_district(tmp_path)
    text = (package / "places.yaml").read_text(encoding="utf-8")
    (package / "places.yaml").write_text(text.replace("id: rail_underpass", "id: north"),
                                         encoding="utf-8")
    r = invoke("district", "check", package)
    assert r.exit_code == 2
    landmark = next(i for i, line in enumerate(text.splitlines(), 1) if "rail_underpass" in line)
    assert " ".join(r.output.split()) == (
        f"error: {package / 'population.yaml'}:2: subdistricts[0]: place id 'north' is used "
        f"twice (also at {package / 'places.yaml'}:{landmark} (landmarks[0])): give each place "
        "and subdistrict its own id")


def test_show_lists_ids_and_both_names(runs):
    r = invoke("district", "show", runs["package"], "--places")
    assert r.exit_code == 0, r.output
    assert "west_station" in r.output and "西门消防救援站" in r.output
    assert "West Gate Fire Station" in r.output and "north" in r.output
    r = invoke("district", "show", runs["package"], "--points")
    assert "underpass" in r.output and "铁路桥下地道" in r.output
    r = invoke("district", "show", runs["package"], "--roads")
    assert "One Way Street" in r.output and "Main Road" in r.output
    r = invoke("district", "show")
    assert "红桥区 Hongqiao District" in r.output and "2021-2025.1" in r.output


def test_fire_drill_on_another_district(runs):
    rows = events(runs["fire"])
    dispatched = {r["unit"] for r in rows if r["event"] == "dispatch"}
    assert dispatched and dispatched <= {"W-E1", "W-E2", "W-L1", "W-R1"}  # the package's
    assert any(r["event"] == "arrive" and r["incident"] == "F1" for r in rows)
    manifest = json.loads((runs["fire"] / "manifest.json").read_text(encoding="utf-8"))
    d = manifest["district"]
    assert (d["name"], d["name_en"], d["name_zh"], d["version"]) == \
        ("testcity", "Test City", "测试市", "1")
    assert d["sha256"] == load_district(str(runs["package"])).sha256()
    assert (runs["fire"] / "district" / "network.graphml").is_file()


def test_report_names_a_map_node_by_the_roads_that_meet_there(runs, tmp_path):
    """A GraphML node has no name: the report's location is the roads meeting there (F1 is
    at g55, where Row 5 Street meets Column 5 Street), not "road node 35" (trial of issue 15).
    """
    shutil.copytree(runs["fire"], tmp_path / "fire")
    assert invoke("report", tmp_path / "fire", "--lang", "en").exit_code == 0
    text = (tmp_path / "fire" / "report.en.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if line.startswith("| F1 | dwelling fire"))
    assert row.split(" | ")[2] == "Column 5 Street × Row 5 Street"
    assert "road node" not in text


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_map_of_another_district_shows_longitudes_and_its_axis_label(runs, lang):
    """Trial 2 of issue 15 (Nangang, Harbin): a district a few km wide got longitude ticks
    "0.02 0.03 ..." with "+1.266e2" in the corner, and on a flat district the legend under
    the map (placed at a fixed share of the map's height) covered the axis label. The ticks
    are the longitudes themselves; the legend starts below the label."""
    from drillsim.network.world import load_world
    from drillsim.records.run_folder import read_run
    from drillsim.report.build import make_context
    from drillsim.report.figures import fit_width, map_axes, pyplot
    from drillsim.report.registry import load_parts

    result = read_run(runs["flood"])
    world = load_world(result.scenario.network, result.scenario.district)
    ctx = make_context(result, lang=lang, world=world)
    fig = map_axes(ctx, [p for p in load_parts().values() if p.applies(ctx)])
    fit_width(fig)
    ax = fig.axes[0]
    fig.canvas.draw()
    assert ax.xaxis.get_offset_text().get_text() == ""
    ticks = [float(t.get_text().replace("\u2212", "-")) for t in ax.get_xticklabels()
             if t.get_text()]
    assert ticks and all(104.0 < t < 104.2 for t in ticks)  # the test city's longitudes
    renderer = fig.canvas.get_renderer()
    label = ax.xaxis.label.get_window_extent(renderer)
    legend = ax.get_legend().get_window_extent(renderer)
    assert legend.y1 <= label.y0 + 0.5, (legend, label)
    pyplot().close(fig)


def test_legend_below_a_flat_map_clears_its_axis_label():
    """A district three times wider than tall (Nangang's extract: 3.3 x 2.0 km is enough) gives
    a flat map in the report's 9.2 x 8.4 in figure: the legend placed at -0.07 of the map's
    height sat on the axis label. legend_below puts it under the drawn label."""
    from matplotlib.lines import Line2D

    from drillsim.report.figures import fit_width, legend_below, pyplot

    plt = pyplot()
    fig, ax = plt.subplots(figsize=(9.2, 8.4))
    ax.plot([126.61, 126.67], [45.74, 45.76])
    ax.set_aspect(1 / math.cos(math.radians(45.75)))
    ax.set_xlabel("经度（°E）")
    handles = [Line2D([], [], color="k", label=f"road class {i}") for i in range(6)]
    legend_below(ax, handles)
    fit_width(fig)
    legend_below(ax, handles)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert ax.get_window_extent(renderer).height < 0.5 * fig.bbox.height  # flat indeed
    label = ax.xaxis.label.get_window_extent(renderer)
    assert ax.get_legend().get_window_extent(renderer).y1 <= label.y0 + 0.5
    plt.close(fig)


def test_flood_drill_on_another_district_uses_its_points_and_teams(runs):
    rows = events(runs["flood"])
    depth = [json.loads(r["data"])["depth_m"] for r in rows if r["event"] == "depth"]
    assert {r["place"] for r in rows if r["event"] == "depth"} == {"underpass"}
    assert max(depth) > 0.1
    assert any(r["event"] == "pump_start" for r in rows)
    assert any(r["event"] == "road_state" for r in rows)


def test_report_of_a_run_folder_alone(runs, tmp_path):
    """The package moved away after the run: the run folder's copy serves the report."""
    archive = tmp_path / "archive"
    shutil.copytree(runs["flood"], archive)
    moved = runs["package"].with_name("moved-away")
    runs["package"].rename(moved)
    try:
        r = invoke("report", archive, "--lang", "en")
    finally:
        moved.rename(runs["package"])
    assert r.exit_code == 0, r.output
    text = (archive / "report.en.md").read_text(encoding="utf-8")
    assert "road network of the district package Test City (version 1)" in text
    assert "Hongqiao" not in text


def test_chemical_drill_without_population_is_refused(tmp_path):
    package = make_other_district(tmp_path, population=False)
    drill = tmp_path / "chem.yaml"
    head = FIRE.format(district=package.name).split("incidents:")[0]
    drill.write_text(head + textwrap.dedent("""\
        chemical:
          id: CL1
          chemical: chlorine
          site: {lat: 30.666, lon: 104.066}
          at: "00:10"
          release: {kind: leaking_valve, rate_kg_min: 15, quantity_kg: 1000}
          weather:
            - {at: "+00:00", wind_speed_m_s: 2, wind_from_deg: 135, cloud_eighths: 1}
        """), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2, r.output
    line = " ".join(r.output.split())
    assert "chem.yaml:" in line and ": chemical: the district has no population" in line


@pytest.mark.parametrize(("manifest", "expected"), [
    ("name: Bad Name\n", "district.yaml:1: name: needs a short id"),
    ("name: x\nname_en: X\nname_zh: 某\nversion: '1'\nfiles: {network: gone.graphml}\n",
     "district.yaml:5: files.network: no file 'gone.graphml'"),
    ("name: x\nname_en: X\nname_zh: 某\nversion: '1'\nfilez: {}\n",
     "district.yaml:5: filez: unknown key"),
    ("name: x\nname_en: X\nname_zh: 某\nversion: '1'\ncrs: EPSG:32650\nfiles: {}\n",
     "district.yaml:5: crs: is 'EPSG:32650'; drillsim reads WGS84"),
])
def test_bad_district_yaml_is_one_line(tmp_path, manifest, expected):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "district.yaml").write_text(manifest, encoding="utf-8")
    with pytest.raises(DistrictError) as err:
        load_district(str(tmp_path / "pkg"))
    assert len(err.value.lines()) == 1 and expected in err.value.lines()[0]


def test_drill_naming_no_district_is_one_line(tmp_path):
    drill = tmp_path / "d.yaml"
    drill.write_text(FIRE.format(district="nowhere"), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2
    lines = [line for line in r.output.splitlines() if line.strip()]
    assert lines[0].startswith(f"error: {drill}:3: district: no district 'nowhere'")


OSM = """\
<?xml version="1.0" encoding="UTF-8"?>
<osm version="0.6">
  <node id="1" lat="30.000" lon="104.000"/>
  <node id="2" lat="30.000" lon="104.001"/>
  <node id="3" lat="30.000" lon="104.002"/>
  <node id="4" lat="30.001" lon="104.002"/>
  <node id="5" lat="30.001" lon="104.000"/>
  <node id="6" lat="30.002" lon="104.000"/>
  <way id="10"><nd ref="1"/><nd ref="2"/><nd ref="3"/>
    <tag k="highway" v="primary"/><tag k="name" v="光荣道"/><tag k="name:en" v="Guangrong Road"/>
    <tag k="maxspeed" v="50|30"/></way>
  <way id="11"><nd ref="3"/><nd ref="4"/><nd ref="5"/><nd ref="1"/>
    <tag k="highway" v="residential"/><tag k="oneway" v="yes"/></way>
  <way id="12"><nd ref="5"/><nd ref="6"/><tag k="highway" v="footway"/></way>
  <way id="13"><nd ref="2"/><nd ref="6"/><tag k="railway" v="rail"/></way>
</osm>
"""


def test_osm_xml_reader_keeps_shape_points(tmp_path):
    path = tmp_path / "x.osm"
    path.write_text(OSM, encoding="utf-8")
    g = read_osm_xml(path)
    # every pair of consecutive nodes of a way is an arc: node 2 is a shape point of way 10
    # (the railway crossing it is no highway), node 4 one of the one-way way 11
    assert sorted((u, v) for u, v in g.edges()) == sorted(
        [("1", "2"), ("2", "1"), ("2", "3"), ("3", "2"), ("3", "4"), ("4", "5"), ("5", "1"),
         ("5", "6"), ("6", "5")])
    (data,) = g.get_edge_data("1", "2").values()
    # 0.001° of longitude at 30°N on a sphere of the mean Earth radius, to the millimetre
    assert data["length"] == pytest.approx(6_371_008.8 * math.radians(0.001) * math.cos(
        math.radians(30.0)), abs=5e-4)
    assert data["name"] == "光荣道" and data["name_en"] == "Guangrong Road"
    r = invoke("district", "new", "osm1", "--osm", path, "--out", tmp_path / "osm1")
    assert r.exit_code == 0, r.output
    net = district_network(load_district(str(tmp_path / "osm1")))
    # the footway's end is not driven; arcs of 96-111 m got a node in the middle
    assert sorted(n for n in net.node_ids if "-" not in n) == ["1", "2", "3", "4", "5"]
    assert net.n_nodes == 5 + 9  # 96, 96, 111, 192 and 111 m: 1, 1, 2, 3 and 2 added
    assert set(net.edge_speed_kmh[net.edges_named("光荣道")]) == {30.0}  # lowest lane of 50|30


def test_a_place_beside_a_long_block_snaps_to_its_shape_point(tmp_path):
    """Trial of issue 15: a depot 44 m from 黑牛城道 was "521 m from the nearest drivable
    road node" (the reader kept junctions only, 1 km apart) and drills refused it. Here a
    point 33 m north of node 2, the shape point between junctions 1 and 3, is played there.
    """
    from drillsim.network.fit import drive_core

    path = tmp_path / "x.osm"
    path.write_text(OSM, encoding="utf-8")
    assert invoke("district", "new", "osm2", "--osm", path, "--out",
                  tmp_path / "osm2").exit_code == 0
    net = district_network(load_district(str(tmp_path / "osm2")))
    node, dist = drive_core(net).nearest(net, 30.0003, 104.001)
    assert net.node_ids[node] == "2"
    assert dist == pytest.approx(6_371_008.8 * math.radians(0.0003), rel=1e-3)  # 33.4 m
def _osm_ways(ways: list[tuple[str, dict[str, str]]], relations: str = "") -> str:
    """An OSM XML file with one two-node way per entry ``(way id, tags)``: way ``i`` runs
    east from node ``{i}0`` to node ``{i}1``, 0.001° long, the ways 0.01° apart."""
    nodes, body = [], []
    for i, (wid, tags) in enumerate(ways):
        lat = 30.0 + 0.01 * i
        nodes += [f'<node id="{i}0" lat="{lat}" lon="104.000"/>',
                  f'<node id="{i}1" lat="{lat}" lon="104.001"/>']
        tag_xml = "".join(f'<tag k="{k}" v="{v}"/>' for k, v in tags.items())
        body.append(f'<way id="{wid}"><nd ref="{i}0"/><nd ref="{i}1"/>{tag_xml}</way>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6">\n'
            + "\n".join(nodes + body) + relations + "\n</osm>\n")


ACCESS_WAYS = [
    ("20", {"highway": "residential", "access": "private"}),
    ("21", {"highway": "service", "access": "private", "emergency": "yes"}),
    ("22", {"highway": "residential", "access": "destination"}),
    ("23", {"highway": "residential", "motor_vehicle": "no"}),
    ("24", {"highway": "residential", "access": "no", "motorcar": "yes"}),
    ("25", {"highway": "tertiary", "oneway": "-1"}),
    ("26", {"highway": "secondary", "oneway": "reversible"}),
    ("27", {"highway": "primary", "maxspeed": "60", "maxspeed:backward": "40"}),
    ("28", {"highway": "residential", "junction": "roundabout"}),
    ("29", {"highway": "unclassified", "access": "no"}),
    ("30", {"highway": "residential", "motorcar": "no", "access": "delivery"}),
    ("31", {"highway": "primary", "maxspeed": "60", "maxspeed:forward": "50"}),
]
RESTRICTIONS = """
<relation id="90"><member type="way" ref="27" role="from"/><member type="node" ref="41"
  role="via"/><member type="way" ref="28" role="to"/><tag k="type" v="restriction"/>
  <tag k="restriction" v="no_left_turn"/></relation>
<relation id="91"><tag k="type" v="restriction"/><tag k="restriction" v="no_u_turn"/>
  </relation>
<relation id="92"><tag k="type" v="route"/><tag k="route" v="bus"/></relation>"""


def test_osm_reader_honours_access_direction_and_direction_speeds(tmp_path):
    """access / vehicle / motor_vehicle / motorcar = no or private close a way to driving
    unless emergency=yes (the most specific tag decides: motorcar=yes opens access=no,
    motorcar=no closes access=delivery); destination stays open. oneway=-1 is driven
    against the way's node order only, a roundabout in its node order only, a reversible
    way not at all; maxspeed:forward / maxspeed:backward are the speeds of the arcs in
    that direction (the network reads them as km/h), maxspeed the other's."""
    from drillsim.network.graph import RoadNetwork

    path = tmp_path / "access.osm"
    path.write_text(_osm_ways(ACCESS_WAYS, RESTRICTIONS), encoding="utf-8")
    g = read_osm_xml(path)
    arcs = {(u, v): d for u, v, d in g.edges(data=True)}
    ways = {str(d["osmid"]) for d in arcs.values()}
    assert ways == {"21", "22", "24", "25", "27", "28", "31"}
    assert ("51", "50") in arcs and ("50", "51") not in arcs  # oneway=-1
    assert ("80", "81") in arcs and ("81", "80") not in arcs  # roundabout
    assert arcs["51", "50"]["oneway"] and arcs["80", "81"]["oneway"]
    assert (arcs["70", "71"]["maxspeed"], arcs["71", "70"]["maxspeed"]) == ("60", "40")
    net = RoadNetwork.from_networkx(g)
    speeds = {(net.node_ids[u], net.node_ids[v]): float(sp) for u, v, sp in
              zip(net.edge_u, net.edge_v, net.edge_speed_kmh, strict=True)}
    assert (speeds["70", "71"], speeds["71", "70"]) == (60.0, 40.0)
    assert (speeds["110", "111"], speeds["111", "110"]) == (50.0, 60.0)
    assert g.graph["skipped_ways"] == {
        "access=private (closed to motor traffic)": 1,
        "motor_vehicle=no (closed to motor traffic)": 1,
        "access=no (closed to motor traffic)": 1,
        "motorcar=no (closed to motor traffic)": 1,
        "oneway=reversible (a tidal way: its direction at the drill's hour is unknown)": 1}
    assert g.graph["turn_restrictions"] == 2  # the bus route is no restriction


def test_new_from_osm_reports_closed_ways_and_ignored_turn_restrictions(tmp_path):
    """`district new` lists the ways closed to driving among the dropped ways, and counts
    the turn restrictions routing does not honour."""
    path = tmp_path / "access.osm"
    path.write_text(_osm_ways(ACCESS_WAYS, RESTRICTIONS), encoding="utf-8")
    r = invoke("district", "new", "acc", "--osm", path, "--out", tmp_path / "acc")
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    for why in ("access=private (closed to motor traffic)",
                "oneway=reversible (a tidal way: its direction at the drill's hour is "
                "unknown)", "motorcar=no (closed to motor traffic)"):
        assert f"dropped 1 way(s): {why}" in text
    assert ("ignored 2 turn restriction(s) (relations type=restriction: no left turn, no "
            "U-turn...): routing allows every turn (docs/districts.md)") in text


def test_dropped_csv_of_an_osm_package_lists_closed_and_tidal_ways(tmp_path):
    """Trial 2 of issue 15: the ways the OSM reader leaves out whole (access=private, a
    tidal way) were missing from dropped.csv, so a fire in a private compound got "222 m
    from the nearest usable node" with no word of the compound's road. Each stretch of
    them is a row, with its reason, ends and course; the railway (not a road) is not."""
    from drillsim.network.package_roads import read_dropped

    path = tmp_path / "access.osm"
    path.write_text(_osm_ways(ACCESS_WAYS + [("32", {"railway": "rail"})]), encoding="utf-8")
    r = invoke("district", "new", "acc", "--osm", path, "--out", tmp_path / "acc")
    assert r.exit_code == 0, r.output
    rows = {(d.reason, d.nodes): d for d in read_dropped(tmp_path / "acc" / "dropped.csv")}
    private = rows["access=private (closed to motor traffic)", ("00", "01")]
    assert private.highway == "residential"
    assert private.line == ((30.0, 104.0), (30.0, 104.001))
    tidal = ("oneway=reversible (a tidal way: its direction at the drill's hour is unknown)",
             ("60", "61"))
    assert rows[tidal].line == ((30.06, 104.0), (30.06, 104.001))
    islands = "not connected to the rest of the network"  # the kept ways: one island each
    assert {why for why, _ in rows} - {islands} == {
        "access=private (closed to motor traffic)", "motor_vehicle=no (closed to motor traffic)",
        "access=no (closed to motor traffic)", "motorcar=no (closed to motor traffic)",
        tidal[0]}


def test_an_extract_of_closed_ways_only_says_so(tmp_path):
    path = tmp_path / "closed.osm"
    path.write_text(_osm_ways([("1", {"highway": "service", "access": "private"}),
                               ("2", {"railway": "rail"})]), encoding="utf-8")
    with pytest.raises(DistrictError) as info:
        read_osm_xml(path)
    assert str(info.value) == (f"{path}: no drivable ways with a highway tag (1 closed to "
                               "driving) (is it an extract of roads?)")



def _osmium_copy(xml: Path, out: Path) -> Path:
    """``xml`` written again by pyosmium in the format of ``out``'s suffix (PBF, gzip or
    bzip2 XML), object for object."""
    import osmium

    with osmium.SimpleWriter(str(out)) as writer:
        for obj in osmium.FileProcessor(str(xml)):
            writer.add(obj)
    return out


@pytest.mark.parametrize("suffix", [".pbf", ".osm.gz", ".osm.bz2"])
@pytest.mark.parametrize("fixture", ["shape points", "access", "cut"])
def test_pbf_and_compressed_extracts_give_the_xml_graph(tmp_path, suffix, fixture):
    """Issue 15 asks for PBF extracts: pyosmium reads .pbf, .osm.gz and .osm.bz2 into the
    graph the XML reader builds from the same data, node for node and arc for arc (ids,
    coordinates, lengths, tags, directions, speeds, in the same order), with the same
    skipped ways, dropped.csv rows and turn restriction count. A way cut by the extract's
    edge (node 3 of way 10 missing) keeps the nodes present in both. (The XML is the one
    pyosmium writes: OSM ids are integers, and the access fixture's node "00" is node 0 in
    PBF.)"""
    from drillsim.network.district_make import read_osm

    written = tmp_path / "written.osm"
    written.write_text({
        "shape points": OSM, "cut": OSM.replace('<node id="3" lat="30.000" lon="104.002"/>', ""),
        "access": _osm_ways(ACCESS_WAYS + [("32", {"railway": "rail"})], RESTRICTIONS)}[fixture],
        encoding="utf-8")
    xml = _osmium_copy(written, tmp_path / "x.osm")
    other = _osmium_copy(xml, tmp_path / f"x{suffix}")
    a, b = read_osm_xml(xml), read_osm(other)
    assert list(b.nodes(data=True)) == list(a.nodes(data=True))
    assert list(b.edges(keys=True, data=True)) == list(a.edges(keys=True, data=True))
    assert b.graph == a.graph
    assert a.number_of_edges() == {"shape points": 9, "access": 12, "cut": 6}[fixture]
    if fixture == "access":
        assert b.graph["turn_restrictions"] == 2 and len(b.graph["skipped_ways"]) == 6
        assert len(b.graph["skipped_roads"]) == 5


def test_district_new_from_pbf_writes_the_xml_package(tmp_path):
    """`district new --osm x.pbf` writes the package `--osm x.osm` writes: same network
    and dropped roads, same report of what it left out."""
    written = tmp_path / "written.osm"
    written.write_text(_osm_ways(ACCESS_WAYS, RESTRICTIONS), encoding="utf-8")
    xml = _osmium_copy(written, tmp_path / "access.osm")  # integer node ids, as in PBF
    pbf = _osmium_copy(xml, tmp_path / "access.osm.pbf")
    out = {}
    for src in (xml, pbf):
        r = invoke("district", "new", "acc", "--osm", src, "--out", tmp_path / src.name[-3:])
        assert r.exit_code == 0, r.output
        out[src.name[-3:]] = r.output.replace(str(tmp_path / src.name[-3:]), "DIR")
    assert out["osm"] == out["pbf"]
    assert "ignored 2 turn restriction(s)" in " ".join(out["pbf"].split())
    for name in ("network.graphml", "dropped.csv"):
        assert (tmp_path / "pbf" / name).read_bytes() == (tmp_path / "osm" / name).read_bytes()


def test_a_broken_pbf_is_one_line(tmp_path):
    path = tmp_path / "broken.pbf"
    path.write_bytes(b"<osm>not a pbf</osm>" * 10)
    r = invoke("district", "new", "b", "--osm", path, "--out", tmp_path / "b")
    assert r.exit_code == 2
    (line,) = r.output.strip().splitlines()
    assert line.startswith(f"error: {path}: not a readable OpenStreetMap file (PBF error: ")
    assert line.endswith("drillsim reads .osm (XML), .osm.gz, .osm.bz2 and .pbf extracts")
    assert not (tmp_path / "b").exists()


BY_NAME = """\
name: places by name
district: ../testcity
start: 2026-07-15 10:00
duration: 01:00
incidents:
  - {id: F1, occupancy: dwelling, at: '+00:05', location: 东湖公园}
  - {id: F2, occupancy: dwelling, at: '+00:15', location: {place: "railway  underpass"}}
"""


def test_places_named_by_chinese_or_english_name(runs):
    from drillsim.scenarios.loader import load_scenario

    drill = runs["root"] / "drills" / "byname.yaml"
    drill.write_text(BY_NAME, encoding="utf-8")
    s = load_scenario(drill)
    assert [i.location.place for i in s.incidents] == ["east_park", "rail_underpass"]
    assert invoke("run", drill).exit_code == 0
    drill.write_text(BY_NAME.replace("东湖公园", "East Lake Prk"), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2
    assert "byname.yaml:6: incidents[0].location: unknown place 'East Lake Prk'; did you " \
           "mean 'east_park' (东湖公园 East Lake Park)?" in " ".join(r.output.split())


def test_road_name_did_you_mean_on_hongqiao(tmp_path):
    drill = tmp_path / "d.yaml"
    drill.write_text(textwrap.dedent("""\
        name: road typo
        start: 2026-07-15 10:00
        duration: 01:00
        injects:
          - {id: I1, at: "+00:00", kind: road_closed, road: 光荣路, text: closed}
        """), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2
    assert "d.yaml:5: injects[0].road: no road named '光荣路' in the network; did you mean " \
           "'光荣道'?" in " ".join(r.output.split())


def test_background_calls_without_population_are_announced(tmp_path):
    package = make_other_district(tmp_path, population=False)
    drill = tmp_path / "bg.yaml"
    drill.write_text(FIRE.format(district=package.name) + "background: {calls_per_day: 30}\n",
                     encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 0, r.output
    assert "bg.yaml:9: background: the district has no population (no subdistricts with " \
           "'population'): background calls are spread evenly over the roads" \
           in " ".join(r.output.split())


def test_hongqiao_people_are_not_spread_over_another_network(tmp_path):
    """A bare GraphML network with the Hongqiao district: its subdistricts lie 1,500 km away,
    so a chemical drill is refused instead of counting Hongqiao's residents in Chengdu."""
    from osm_world import write_osm_like

    write_osm_like(tmp_path / "city.graphml")
    drill = tmp_path / "chem.yaml"
    drill.write_text(textwrap.dedent("""\
        name: chlorine on a bare network
        start: 2026-07-15 10:00
        duration: 01:00
        network: city.graphml
        forces:
          stations:
            - id: s1
              location: {node: g00}
              personnel: 10
              apparatus: [{id: E1, type: engine, crew: 5}]
              turnout: {day: 60 s, night: 90 s}
          teams: []
          depots: []
          shelters: []
        chemical:
          id: CL1
          chemical: chlorine
          site: {node: g33}
          at: "00:10"
          release: {kind: leaking_valve, rate_kg_min: 15, quantity_kg: 1000}
          weather:
            - {at: "+00:00", wind_speed_m_s: 2, wind_from_deg: 135, cloud_eighths: 1}
        """), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2
    out = " ".join(r.output.split())
    assert "chem.yaml:15: chemical: the district's subdistricts (" in out
    assert "lie far from this drill's road network" in out


def test_sweep_on_another_district_uses_its_world(runs, tmp_path):
    """Each worker builds the drill's district, not Hongqiao: the station's turnout moves
    the first arrival by exactly the minute added (a deterministic travel)."""
    spec = tmp_path / "sweep.yaml"
    spec.write_text(textwrap.dedent(f"""\
        name: turnout in Test City
        base: {runs["root"] / "drills" / "fire.yaml"}
        seed: 1
        replications: 2
        metrics: [first_arrival_p90]
        parameters:
          - {{path: forces.stations.west_station.turnout.day, name: turnout,
             values: [60 s, 120 s]}}
        """), encoding="utf-8")
    r = invoke("sweep", spec, "--out", tmp_path / "out", "--workers", "1")
    assert r.exit_code == 0, r.output
    with open(tmp_path / "out" / "replications.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [row["status"] for row in rows] == ["ok"] * 4
    first = {(row["turnout"], row["replication"]): float(row["first_arrival_p90"])
             for row in rows}
    for rep in ("0", "1"):
        assert first["120 s", rep] - first["60 s", rep] == pytest.approx(60.0)  # seconds


CUT_OFF = """\
name: Test City fire behind closed streets
district: {district}
start: 2026-07-15 10:00
duration: 01:00
seed: 5
injects:
  - {{id: I1, kind: road_closed, at: '+00:00', road: Row 2 Street, text: closed for works}}
  - {{id: I2, kind: road_closed, at: '+00:00', road: Column 3 Street, text: closed}}
incidents:
  - {{id: F1, occupancy: dwelling, at: '+00:05', location: {{lat: 30.6640, lon: 104.0660}}}}
  - {{id: F2, occupancy: dwelling, at: '+00:20', location: {{lat: 30.6631, lon: 104.0629}}}}
  - {{id: R1, kind: rescue, at: '+00:30', location: {{lat: 30.6680, lon: 104.0680}}}}
"""
F2_NODE = ("g11-g21.3", 30.6632, 104.062)
"""F2 stands inside the block g11-g12-g21-g22, 86 m east of Column 1 Street: played at the
node ``district new`` put on that street every 44.5 m (the third from g11), and the run
says so."""


def test_a_fire_behind_closed_roads_is_unreachable_not_mutual_aid(runs):
    """Every road into g23 closed, its nearest open neighbours (g22, g24) 191 m away, more
    than a crew works on foot (150 m): the call is recorded unreachable with the closures
    and the distance, no unit arrives, no mutual aid is asked, the 5-minute rule is missed,
    and the summary, the report and the MSEL say so."""
    drill = runs["root"] / "drills" / "cut_off.yaml"
    drill.write_text(CUT_OFF.format(district="../testcity"),
                     encoding="utf-8")
    out = runs["root"] / "runs" / "cut_off"
    r = invoke("run", drill, "--report", "--out", out)
    assert r.exit_code == 0, r.output
    rows = events(out)
    cut = [r for r in rows if r["event"] == "unreachable"]
    assert len(cut) == 1 and cut[0]["incident"] == "F1"
    data = json.loads(cut[0]["data"])
    # 0.002° of longitude at 30.664° N
    expected_m = 0.002 * math.pi / 180 * 6_371_008.8 * math.cos(math.radians(30.664))
    assert data["closures"] == "I1, I2"
    assert data["nearest_m"] == pytest.approx(expected_m, abs=0.1)
    kinds = {r["event"] for r in rows if r["incident"] == "F1"}
    assert not kinds & {"arrive", "queued", "mutual_aid_request", "dispatch"}
    assert "unmet" in kinds
    sentence = ("F1 cannot be reached: every road into it is closed (I1, I2); "
                "nearest reachable junction 191 m")
    assert sentence in " ".join(r.output.split())
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    fires = [r for r in rows if r["event"] == "arrive" and r["incident"] == "F2"]
    assert fires  # F2 and R1 are reached in time, F1 never: it counts as missed
    assert summary["metrics"]["five_minute_share"] == pytest.approx(2 / 3, abs=0.001)
    assert summary["metrics"]["five_minute_n"] == 3
    report = (out / "report.en.md").read_text(encoding="utf-8")
    assert sentence in report
    assert report.count("F1 cut off: no unit could get to it, no mutual aid asked") == 2
    assert "no unit had to change its route" not in report
    assert "F1无法到达：通往该处的道路全部封闭（I1，I2）；最近可达路口191 m" in \
        (out / "report.zh.md").read_text(encoding="utf-8")


CUT_LATER = """\
name: Test City fire cut off after dispatch
district: ../testcity
start: 2026-07-15 10:00
duration: 01:00
seed: 5
deterministic: true
injects:
  - {{id: I1, kind: road_closed, at: '+00:09', road: Row 2 Street, text: closed for works}}
  - {{id: I2, kind: road_closed, at: '+00:09', road: Column 3 Street, text: closed}}
{reopen}incidents:
  - {{id: F1, occupancy: dwelling, at: '+00:05', location: {{lat: 30.6640, lon: 104.0660}}}}
"""


@pytest.mark.parametrize("reopen", [False, True])
def test_a_scene_cut_off_after_dispatch_turns_the_unit_back(runs, reopen):
    """F1 (g23) is called at +00:07, W-E1 sent at +00:07:45 and on its way at +00:08:45
    (deterministic: turnout 60 s, about 2 min to drive); at +00:09 I1 and I2 close every road
    into g23 (nearest open junction 191 m, beyond the 150 m a crew walks). W-E1 does not wait
    on the road for the drill's end: it is turned back (``release`` with ``cut_off``) and
    goes home, the call is recorded ``unreachable`` once, with the closures and the
    distance, and gets no mutual aid; unreopened, it stays unmet and the summary, the report
    and the MSEL say it was cut off. When I3 reopens Column 3 Street at +00:20, a unit is sent
    at once and arrives, and the report says so."""
    extra = ("  - {id: I3, kind: road_reopened, at: '+00:20', road: Column 3 Street}\n"
             if reopen else "")
    name = f"cut_later{'_reopen' if reopen else ''}"
    drill = runs["root"] / "drills" / f"{name}.yaml"
    drill.write_text(CUT_LATER.format(reopen=extra), encoding="utf-8")
    out = runs["root"] / "runs" / name
    r = invoke("run", drill, "--report", "--out", out)
    assert r.exit_code == 0, r.output
    rows = events(out)
    t = {(row["event"], row["unit"]): float(row["t"]) for row in reversed(rows)}  # first ones
    assert t["dispatch", "W-E1"] < 540.0 < t["enroute", "W-E1"] + 118  # sent, not there yet
    (cut,) = [row for row in rows if row["event"] == "unreachable"]
    assert (cut["incident"], float(cut["t"])) == ("F1", 540.0)
    data = json.loads(cut["data"])
    assert data["closures"] == "I1, I2"
    expected_m = 0.002 * math.pi / 180 * 6_371_008.8 * math.cos(math.radians(30.664))
    assert data["nearest_m"] == pytest.approx(expected_m, abs=0.1)
    back = [row for row in rows if row["event"] == "release" and row["unit"] == "W-E1"]
    assert float(back[0]["t"]) == 540.0 and json.loads(back[0]["data"]) == {"cut_off": True}
    home = [float(row["t"]) for row in rows if row["event"] == "quarters"
            and row["unit"] == "W-E1"]
    assert home and 540.0 < home[0] < 1200.0  # back in quarters, not waiting on the road
    assert not [row for row in rows if row["event"] == "reroute"
                and json.loads(row["data"])["no_route"]]
    assert not [row for row in rows if row["event"] in ("mutual_aid_request", "queued")]
    sentence = ("F1 cannot be reached: every road into it is closed (I1, I2); "
                "nearest reachable junction 191 m")
    report = " ".join((out / "report.en.md").read_text(encoding="utf-8").split())
    assert sentence in " ".join(r.output.split()) and sentence in report
    arrivals = [float(row["t"]) for row in rows if row["event"] == "arrive"]
    if not reopen:
        assert not arrivals
        assert [row["incident"] for row in rows if row["event"] == "unmet"] == ["F1"]
        assert report.count("+00:09:00 F1 cut off: no unit could get to it, no mutual aid "
                            "asked") == 2  # the MSEL rows of I1 and I2
    else:
        assert t["dispatch", "W-E1"] < 540.0
        sent = [float(row["t"]) for row in rows if row["event"] == "dispatch"]
        assert sent[1] == 1200.0 and len(arrivals) == 1 and arrivals[0] > 1200.0
        assert not [row for row in rows if row["event"] == "unmet"]
        m, sec = divmod(round(arrivals[0]), 60)
        assert f"{sentence}; a unit arrived at +00:{m:02d}:{sec:02d} after a road reopened" \
            in report


def test_snaps_beyond_50_m_are_recorded_and_reported(runs, tmp_path):
    """F2 of the cut-off drill stands 87 m from its node: the manifest's ``snaps`` and the
    report's provenance say where it was played and how far; places at their node (0 m)
    are not listed."""
    out = runs["root"] / "runs" / "cut_off"
    if not (out / "manifest.json").is_file():
        pytest.skip("needs test_a_fire_behind_closed_roads_is_unreachable_not_mutual_aid")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (snap,) = manifest["snaps"]
    node, lat, lon = F2_NODE
    assert (snap["where"], snap["node"]) == ("incidents[1].location", node)
    expected = float(haversine_m(30.6631, 104.0629, lat, lon))
    assert snap["distance_m"] == pytest.approx(expected, abs=0.5)  # 86.9 m
    report = " ".join((out / "report.en.md").read_text(encoding="utf-8").split())
    # the report names the incident and the roads at its node: no field path, no node id
    said = re.search(r"places played at a road node more than 50 m away: F2 at (.+?), 87 m",
                     report)
    assert said and node not in said.group(1) \
        and "incidents[1]" not in report.replace("\\", "")


def test_map_caption_names_the_package_source_not_the_schematic(runs):
    """Only the embedded Hongqiao network is a schematic; the test package's map caption
    names its source (district.yaml: "roads: city.graphml")."""
    out = runs["root"] / "runs" / "cut_off"
    if not (out / "manifest.json").is_file():
        pytest.skip("needs test_a_fire_behind_closed_roads_is_unreachable_not_mutual_aid")
    report = " ".join((out / "report.en.md").read_text(encoding="utf-8").split())
    assert "Road network (roads: city.graphml), " in report
    assert "schematic" not in report


def test_a_plan_no_staffed_unit_can_answer_is_named_as_the_cause(runs):
    """R1 (a rescue call) needs a rescue unit; West Gate's W-R1 is not staffed (see
    test_check_names_plans_no_staffed_unit_can_answer): the call waits for mutual aid, and
    the summary and the report name the cause."""
    out = runs["root"] / "runs" / "cut_off"
    if not (out / "manifest.json").is_file():
        pytest.skip("needs test_a_fire_behind_closed_roads_is_unreachable_not_mutual_aid")
    rows = events(out)
    assert any(r["event"] == "mutual_aid_request" and r["incident"] == "R1" for r in rows)
    cause = ("R1: no staffed unit in the district can answer rescue (it asks for rescue; none "
             "is staffed on duty); the calls went to mutual aid or were never reached")
    assert cause in " ".join((out / "report.en.md").read_text(encoding="utf-8").split())


def test_forgetting_district_says_where_the_drill_is_played(tmp_path):
    """Chengdu coordinates in a drill without `district:` are 1,500 km from Hongqiao: the
    error says the drill is played in the default Hongqiao district and how to select
    another."""
    drill = tmp_path / "no_district.yaml"
    drill.write_text(FIRE.replace("district: {district}\n", "").format(), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2
    line = " ".join(r.output.split())
    assert "incidents[0].location: (30.67, 104.07) lies 1,5" in line
    assert ("the drill is played in the Hongqiao district (红桥区, Tianjin), the default; "
            "'district: PATH' selects another package") in line


def test_a_hongqiao_place_id_on_another_district_says_so(runs):
    drill = runs["root"] / "drills" / "xigu.yaml"
    drill.write_text(FIRE.format(district="../testcity").replace(
        "{lat: 30.6700, lon: 104.0700}", "xigu_park"), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2
    line = " ".join(r.output.split())
    assert ("incidents[0].location: unknown place 'xigu_park' ('xigu_park' is a place of the "
            "Hongqiao district, 红桥区, not of this one)") in line
    assert (f"the drill is played in district 'testcity' (测试市 Test City, "
            f"{runs['package']})") in line


def test_new_from_osm_lists_dropped_ways_and_why_nodes_went(tmp_path):
    """Like the GraphML path, the OSM path says what it left out: the railway way (no
    highway tag), the footway's arcs, and the node only the footway led to."""
    path = tmp_path / "x.osm"
    path.write_text(OSM, encoding="utf-8")
    r = invoke("district", "new", "x", "--osm", path, "--out", tmp_path / "x")
    assert r.exit_code == 0, r.output
    lines = [line.strip() for line in r.output.splitlines()]
    assert "dropped 1 way(s): railway=rail (no highway tag: not a road)" in lines
    assert "dropped 2 arc(s): highway=footway (not driven)" in lines
    assert ("dropped 1 node(s) left without a drivable road (only the arcs dropped above led "
            "to them)") in lines


def test_map_caption_of_the_embedded_network_says_schematic(reports):
    from drillsim.report.figures import network_source

    ctx, _ = reports["highrise-evening", "en"]
    assert network_source(ctx) == "schematic"
    assert ctx.say("figure.map_caption", network=network_source(ctx), places="stations") \
        .startswith("Road network (schematic), stations")
    zh, _ = reports["highrise-evening", "zh"]
    assert network_source(zh) == "示意"


def _validate_location(runs, name: str, location: str) -> str:
    drill = runs["root"] / "drills" / f"{name}.yaml"
    drill.write_text(FIRE.format(district="../testcity").replace(
        "{lat: 30.6700, lon: 104.0700}", location), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2, r.output
    return " ".join(r.output.split())


def test_a_coordinate_on_a_dropped_fragment_names_the_road_and_why(runs):
    """Trial of issue 15 (F6): a fire on a one-way fragment `district new` dropped got "458 m
    from the nearest usable node" and no hint. Source Lane runs one way from `source`
    (30.672, 104.06) into g50 (30.670); a fire 11 m south of `source` on it is 211 m from
    g50 and from every kept node."""
    line = _validate_location(runs, "on_fragment", "{lat: 30.6719, lon: 104.0600}")
    assert "incidents[0].location: (30.6719, 104.06) lies 211 m from the nearest usable " \
           "network node 'g50'" in line
    dropped = runs["package"] / "dropped.csv"
    assert (f"Source Lane (one-way fragment: not reachable from the rest), 0 m away, was "
            f"dropped by `drillsim district new` (see {dropped})") in line


def test_a_node_of_a_dropped_road_says_it_was_dropped(runs):
    line = _validate_location(runs, "dropped_node", "{node: source}")
    assert ("unknown network node 'source'; it was dropped by `drillsim district new` with "
            "Source Lane (one-way fragment: not reachable from the rest; see ") in line
    assert "`drillsim district show --nodes` lists the node ids" in line


def test_a_node_given_as_an_index_names_the_id_it_stands_for(runs):
    """events.csv's `node` is an index; written as `node:` it is refused (indices move when
    the package is remade) with the id to write instead."""
    net = district_network(load_district(str(runs["package"])))
    i = net.node_index["g23"]
    line = _validate_location(runs, "index_node", f"{{node: '{i}'}}")
    assert (f"unknown network node '{i}'; {i} is the index (events.csv's `node` column) of "
            "node 'g23' (Column 3 Street × Row 2 Street): write 'node: g23' to mean that "
            "one") in line


def test_a_node_written_as_a_bare_number_is_read_as_that_id(runs):
    """Trial 2 of issue 15: OSM node ids are numbers, and docs/districts.md writes
    `location: {node: 1009}`, but an unquoted number was refused ("expected text, got the
    number"), even in the answer to the index mistake ("write 'node: 2028'"). A whole
    number is that id: here the unquoted index gets the index message."""
    from drillsim.scenarios.schema import Location

    assert Location.model_validate({"node": 1009}).node == "1009"
    net = district_network(load_district(str(runs["package"])))
    i = net.node_index["g23"]
    line = _validate_location(runs, "bare_index_node", f"{{node: {i}}}")
    assert (f"unknown network node '{i}'; {i} is the index (events.csv's `node` column) of "
            "node 'g23'") in line


def test_an_unknown_node_suggests_the_nearest_matching_ids(runs):
    line = _validate_location(runs, "typo_node", "{node: g5}")
    assert "unknown network node 'g5'; did you mean 'g55', 'g54', 'g53'?" in line


def test_show_nodes_lists_index_id_roads_in_both_languages_and_position(tmp_path):
    """`drillsim district show --nodes`: the table that takes an events.csv index to the id a
    drill writes, with the roads that meet there."""
    path = tmp_path / "x.osm"
    path.write_text(OSM, encoding="utf-8")
    assert invoke("district", "new", "x", "--osm", path, "--out", tmp_path / "x").exit_code == 0
    net = district_network(load_district(str(tmp_path / "x")))
    r = invoke("district", "show", tmp_path / "x", "--nodes")
    assert r.exit_code == 0, r.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in r.output.splitlines()
            if line.startswith("│")]
    by_id = {row[1]: row for row in rows if row[1]}
    assert len(by_id) == net.n_nodes
    two = by_id["2"]
    assert two[0] == str(net.node_index["2"])
    assert (two[2], two[3]) == ("光荣道", "Guangrong Road")
    assert (two[4], two[5]) == ("30.00000", "104.00100")
    assert by_id["1-2.1"][2] == "光荣道"  # the node put between 1 and 2, on the same road


def test_show_nodes_lists_ids_in_natural_order(tmp_path):
    """Trial 2 of issue 15: `--nodes` listed ``2000-2001.10`` before ``2000-2001.2``. A 580 m
    road split every 50 m has pieces 1-2.1 ... 1-2.11: they come in numeric order, each row
    still with its own index."""
    path = tmp_path / "x.osm"
    path.write_text(OSM.replace('id="2" lat="30.000" lon="104.001"',
                                'id="2" lat="30.000" lon="104.006"'), encoding="utf-8")
    assert invoke("district", "new", "x", "--osm", path, "--out", tmp_path / "x").exit_code == 0
    net = district_network(load_district(str(tmp_path / "x")))
    r = invoke("district", "show", tmp_path / "x", "--nodes")
    assert r.exit_code == 0, r.output
    rows = [[c.strip() for c in line.split("│")[1:-1]] for line in r.output.splitlines()
            if line.startswith("│") and line.split("│")[2].strip()]
    pieces = [row[1] for row in rows if row[1].startswith("1-2.")]
    assert len(pieces) >= 11
    assert pieces == [f"1-2.{k}" for k in range(1, len(pieces) + 1)]
    assert all(row[0] == str(net.node_index[row[1]]) for row in rows)


def _speed_warnings(tmp_path, osm: str) -> tuple[list[str], list[str]]:
    """The speed warnings `district new` prints and `district check` gives for ``osm``."""
    path = tmp_path / "x.osm"
    path.write_text(osm, encoding="utf-8")
    r = invoke("district", "new", "x", "--osm", path, "--out", tmp_path / "x")
    assert r.exit_code == 0, r.output
    made = [line for line in r.output.splitlines() if "maxspeed" in line or "km/h" in line]
    check = invoke("district", "check", tmp_path / "x")
    return made, [line for line in check.output.splitlines()
                  if ": maxspeed: " in line or ": speed: " in line]


def test_new_and_check_warn_of_mph_tags_and_fast_urban_streets(tmp_path):
    """Trial 2 of issue 15: ``50 mph`` on a street of Harbin gave engines 88 km/h without a
    word. At 30°N 104°E (Chengdu) a road tagged in mph, and a residential street tagged 90
    (km/h), each give one warning line naming the road and the network file."""
    osm = OSM.replace('<tag k="maxspeed" v="50|30"/>', '<tag k="maxspeed" v="50 mph"/>')
    osm = osm.replace('<tag k="oneway" v="yes"/>',
                      '<tag k="oneway" v="yes"/><tag k="maxspeed" v="90"/>'
                      '<tag k="name" v="玉林街"/>')
    made, check = _speed_warnings(tmp_path, osm)
    network = str(tmp_path / "x" / "network.graphml")
    mph = (f"warning: {network}: maxspeed: 光荣道 Guangrong Road (primary) is tagged "
           "maxspeed='50 mph' (80 km/h): limits are signed in mph only in the United States, "
           "the United Kingdom, Liberia and Myanmar, and this district lies at 30.00°N "
           "104.00°E: check the tag (km/h meant?)")
    fast = (f"warning: {network}: speed: 玉林街 (residential) is driven at 90 km/h, more than "
            "80 km/h on an urban street class: check its maxspeed and highway tags")
    assert check == [mph, fast]
    assert " ".join(made).replace("  ", " ").count("warning:") == 2


def test_mph_tags_in_the_united_states_and_urban_50_give_no_warning(tmp_path):
    """The same network moved to Kansas: mph is the signed unit there, and 80 km/h on a
    primary road (not an urban street class) is plausible."""
    osm = OSM.replace('lat="30.00', 'lat="38.00').replace('lon="104.00', 'lon="-98.00')
    osm = osm.replace('<tag k="maxspeed" v="50|30"/>', '<tag k="maxspeed" v="50 mph"/>')
    assert _speed_warnings(tmp_path, osm) == ([], [])


def test_check_does_not_warn_of_subdistrict_centres_far_from_roads(tmp_path):
    """Trial of issue 15: the four subdistrict centres got "205-446 m from the nearest road
    node" warnings, though no unit drives to a centre (it seeds the split of residents).
    A centre 400 m north of the grid is fine; one in Tianjin, about 1,500 km away, is an
    error;
    a station as far off as the first centre is still warned of."""
    package = make_other_district(tmp_path)
    north = 30.670 + 400 / (math.pi / 180 * 6_371_008.8)
    pop = (package / "population.yaml").read_text(encoding="utf-8")
    pop = pop.replace("lat: 30.6680, lon: 104.0680, population: 20000",
                      f"lat: {north:.6f}, lon: 104.0650, population: 20000")
    pop = pop.replace("lat: 30.6620, lon: 104.0620", "lat: 39.1500, lon: 117.1500")
    (package / "population.yaml").write_text(pop, encoding="utf-8")
    places = (package / "places.yaml").read_text(encoding="utf-8").replace(
        "hazard_sites: []\n", f"hazard_sites:\n  - {{id: far_plant, name_zh: 远厂, name_en: "
        f"Far Plant, lat: {north:.6f}, lon: 104.0650}}\n")
    (package / "places.yaml").write_text(places, encoding="utf-8")
    r = invoke("district", "check", package)
    out = " ".join(r.output.split())
    assert "north:" not in out
    assert "south: the centre of 南街道 South Subdistrict lies 1,4" in out
    assert "km outside the road network's area" in out and r.exit_code == 2
    assert "far_plant: 远厂 Far Plant lies 400 m from the nearest drivable " \
           "road node, more than 200 m" in out
