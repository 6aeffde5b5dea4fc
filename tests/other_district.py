"""A small synthetic "other district" package, made the way a user makes one.

``drillsim district new`` turns the synthetic Chengdu street grid of
:mod:`osm_world` (36 nodes, 0.002° apart) into a package; the templates are then
filled in as docs/districts.md tells a user to: the licence, one fire station at ``g00``, a shelter
at ``g44``, a relief depot at ``g11``, a pump team's base at ``g22``, an underpass
(waterlogging point) at ``g33`` on "One Way Street", and two subdistricts with
20,000 and 10,000 residents.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from osm_world import node_latlon, write_osm_like

from drillsim.cli import main


def _at(node: str) -> str:
    lat, lon = node_latlon(node)
    return f"lat: {lat:.4f}, lon: {lon:.4f}"


PLACES = f"""\
stations:
  - {{id: west_station, name_zh: 西门消防救援站, name_en: West Gate Fire Station, {_at("g00")}}}
shelters:
  - {{id: east_park, name_zh: 东湖公园, name_en: East Lake Park, {_at("g44")}, capacity: 3000}}
depots:
  - {{id: city_depot, name_zh: 市救灾物资库, name_en: City Relief Depot, {_at("g11")}}}
team_bases:
  - {{id: city_yard, name_zh: 市政车场, name_en: City Works Yard, {_at("g22")}}}
hazard_sites: []
landmarks:
  - {{id: rail_underpass, name_zh: 铁路桥下地道, name_en: Railway Underpass, {_at("g33")}}}
"""

POPULATION = f"""\
subdistricts:
  - {{id: north, name_zh: 北街道, name_en: North Subdistrict, {_at("g44")}, population: 20000,
     communities: 2}}
  - {{id: south, name_zh: 南街道, name_en: South Subdistrict, {_at("g11")}, population: 10000,
     communities: 1}}
"""

POINTS = """\
points:
  - id: underpass
    name_zh: 铁路桥下地道
    name_en: Railway Underpass
    location: rail_underpass
    catchment_ha: 3
    runoff_coeff: 0.9
    drain_m3_s: 0.3
    area_m2: 1000
    radius_m: 150
    roads: [One Way Street]
"""

FORCES = """\
stations:
  - id: west_station
    name_zh: 西门消防救援站
    name_en: West Gate Fire Station
    personnel: 20
    apparatus:
      - {id: W-E1, type: engine, crew: 5}
      - {id: W-E2, type: engine, crew: 5}
      - {id: W-L1, type: ladder, crew: 3}
      - {id: W-R1, type: rescue, crew: 4}
    turnout: {day: 60 s, night: 90 s}
response_plans:
  rescue: [{rescue: 1, engine: 1}]
  alarm: [{engine: 1}]
  flood_rescue: [{"rescue|rescue_team": 1}]
teams:
  - id: pump_team
    name_zh: 排涝队
    name_en: Pump Team
    kind: part_time
    base: city_yard
    members: 12
    mobilisation: {dist: lognormal, median: 30 min, p90: 60 min}
    units:
      - {type: pump_crew, count: 2, crew: 4, vehicle: truck, pump_m3_s: 0.5}
depots:
  - id: city_depot
    name_zh: 市救灾物资库
    name_en: City Relief Depot
    stock: {water_l: 5000, food_ration: 2000, bedding_set: 500}
    trucks:
      - {id: CD-T1, capacity_kg: 5000}
shelters:
  - {id: east_park, kind: fixed}
"""


def make_other_district(folder: Path, *, population: bool = True) -> Path:
    """Make the package in ``folder / "testcity"`` through the CLI and fill it in; returns
    the package folder."""
    graphml = write_osm_like(folder / "city.graphml")
    package = folder / "testcity"
    result = CliRunner().invoke(main, ["district", "new", "testcity", "--graphml",
                                       str(graphml), "--out", str(package),
                                       "--name-en", "Test City", "--name-zh", "测试市"])
    assert result.exit_code == 0, result.output
    manifest = package / "district.yaml"
    text = manifest.read_text(encoding="utf-8")
    start = text.index("licence:")
    end = text.index("\n", start)
    manifest.write_text(text[:start] + "licence: synthetic test data, no rights reserved"
                        + text[end:], encoding="utf-8")
    (package / "places.yaml").write_text(PLACES, encoding="utf-8")
    if population:
        (package / "population.yaml").write_text(POPULATION, encoding="utf-8")
    (package / "waterlogging.yaml").write_text(POINTS, encoding="utf-8")
    (package / "forces.yaml").write_text(FORCES, encoding="utf-8")
    return package
