"""Population from a district package (issue 15): listed communities (社区) and a population
grid file, on the small package of :mod:`other_district`."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from osm_world import node_latlon
from other_district import make_other_district

from drillsim.cli import main
from drillsim.network.district import load_district
from drillsim.network.graphml import district_network, district_places
from drillsim.network.population import PopulationGrid, community_ids


def _at(node: str) -> str:
    lat, lon = node_latlon(node)
    return f"lat: {lat:.4f}, lon: {lon:.4f}"


COMMUNITIES = f"""\
subdistricts:
  - {{id: north, name_zh: 北街道, name_en: North Subdistrict, {_at("g44")}, population: 20000,
     communities: 2}}
  - {{id: south, name_zh: 南街道, name_en: South Subdistrict, {_at("g11")}, population: 10000,
     communities: 1}}
communities:
  - {{id: lotus, name: 荷花社区, name_en: Lotus Community, {_at("g55")}, residents: 12000,
     subdistrict: north}}
  - {{id: willow, name: 柳树社区, name_en: Willow Community, {_at("g35")}, residents: 8000,
     subdistrict: north}}
  - {{id: pine, name_zh: 松树社区, name_en: Pine Community, {_at("g00")}, residents: 10000,
     subdistrict: south}}
"""

CHEM = """\
name: Test City chlorine leak
name_zh: 测试市氯气泄漏
district: {district}
start: 2026-07-15 10:00
duration: 01:30
seed: 5
chemical:
  id: CL1
  chemical: chlorine
  site: {{lat: 30.6700, lon: 104.0700}}
  at: "10:10"
  release: {{kind: leaking_valve, rate_kg_min: 60, quantity_kg: 2000}}
  weather:
    - {{at: "+00:00", wind_speed_m_s: 2, wind_from_deg: 45, cloud_eighths: 1}}
"""


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def package_with(tmp_path: Path, population: str, grid_csv: str | None = None) -> Path:
    package = make_other_district(tmp_path)
    (package / "population.yaml").write_text(population, encoding="utf-8")
    if grid_csv is not None:
        (package / "cells.csv").write_text(grid_csv, encoding="utf-8")
        manifest = package / "district.yaml"
        text = manifest.read_text(encoding="utf-8")
        manifest.write_text(text.replace("  population: population.yaml\n",
                                         "  population: population.yaml\n"
                                         "  population_grid: cells.csv\n"), encoding="utf-8")
    return package


def grid_of(package: Path) -> PopulationGrid:
    d = load_district(str(package))
    return PopulationGrid(district_network(d), district_places(d))


@pytest.fixture(scope="module")
def with_communities(tmp_path_factory) -> Path:
    package = package_with(tmp_path_factory.mktemp("com"), COMMUNITIES)
    forces = package / "forces.yaml"  # a hazmat unit and plan for the chemical drill
    text = forces.read_text(encoding="utf-8")
    text = text.replace("      - {id: W-R1, type: rescue, crew: 4}\n",
                        "      - {id: W-R1, type: rescue, crew: 4}\n"
                        "      - {id: W-H1, type: hazmat, crew: 4, hazmat: true}\n")
    text = text.replace("  alarm: [{engine: 1}]\n",
                        "  alarm: [{engine: 1}]\n  hazmat: [{hazmat: 1, engine: 1}]\n")
    forces.write_text(text.replace("personnel: 20", "personnel: 40"), encoding="utf-8")
    return package


def test_listed_communities_hold_their_residents_on_their_nearest_cells(with_communities):
    grid = grid_of(with_communities)
    assert grid.people.sum() == pytest.approx(30_000, rel=1e-9)
    assert [c.id for c in grid.communities] == ["lotus", "willow", "pine"]
    assert {c.id: c.people for c in grid.communities} == pytest.approx(
        {"lotus": 12_000, "willow": 8_000, "pine": 10_000}, rel=1e-9)
    # every cell of the north subdistrict belongs to the nearer of lotus (g55) and willow
    # (g35): the nearest-centre rule, not k-means
    k = math.cos(math.radians(float(grid.lat.mean())))
    north = np.flatnonzero(grid.owner == 0)
    (la, lo), (wa, wo) = node_latlon("g55"), node_latlon("g35")
    d_lotus = (grid.lat[north] - la) ** 2 + ((grid.lon[north] - lo) * k) ** 2
    d_willow = (grid.lat[north] - wa) ** 2 + ((grid.lon[north] - wo) * k) ** 2
    assert np.array_equal(grid.community[north], np.where(d_lotus < d_willow, 0, 1))
    # each community's residents are spread evenly over its cells
    for j, c in enumerate(grid.communities):
        mine = grid.people[grid.community == j]
        assert mine == pytest.approx(np.full(mine.size, c.people / mine.size))
    places = district_places(load_district(str(with_communities)))
    assert community_ids(places) == ["lotus", "willow", "pine"]
    assert places["lotus"].name_zh == "荷花社区"  # `name` is the Chinese name


def test_a_subdistrict_without_listed_communities_keeps_the_synthetic_split(tmp_path):
    text = COMMUNITIES.split("  - {id: pine")[0]
    grid = grid_of(package_with(tmp_path, text))
    assert [c.id for c in grid.communities] == ["lotus", "willow", "south_01"]
    assert grid.people.sum() == pytest.approx(30_000, rel=1e-9)
    assert grid.communities[2].people == pytest.approx(10_000, rel=1e-9)


def test_population_grid_file_gives_the_cells_residents(tmp_path):
    """Points inside the network's area land in drillsim's cells (their sums kept); a point
    outside is left out and `district check` says so; communities still label the cells."""
    rows = ["lat,lon,residents"]
    inside = 0.0
    for r in range(11):
        for c in range(11):
            lat, lon = 30.66 + r * 0.001, 104.06 + c * 0.001
            rows.append(f"{lat:.4f},{lon:.4f},{r * 10 + c}")
            inside += r * 10 + c
    rows.append("31.5000,104.0650,999")  # ~90 km north: outside the network's area
    package = package_with(tmp_path, COMMUNITIES, "\n".join(rows) + "\n")
    grid = grid_of(package)
    assert grid.people.sum() == pytest.approx(inside, rel=1e-12)
    # the point at g00 (0 residents) and the one at g55 (110): each on its own cell
    lat, lon = node_latlon("g55")
    at = np.argmin(np.hypot(grid.lat - lat, grid.lon - lon))
    assert grid.people[at] == pytest.approx(110.0)
    assert [c.id for c in grid.communities] == ["lotus", "willow", "pine"]
    assert sum(c.people for c in grid.communities) == pytest.approx(inside, rel=1e-12)
    r = invoke("district", "check", package)
    out = " ".join(r.output.split())
    assert inside == 6_655
    assert "cells.csv: lat, lon: 1 of 122 points (999 of 7,654 residents) lie outside" in out


@pytest.mark.parametrize(("row", "expected"), [
    ("30.66,104.06,-5", "cells.csv:3: residents: is '-5'; give 0 or more"),
    ("30.66,,5", "cells.csv:3: lat, lon, residents: need numbers, got '30.66', '', '5'"),
    ("104.06,30.66,5", "cells.csv:3: lat, lon: (104.06, 30.66) out of range; swapped"),
])
def test_a_bad_grid_row_is_one_line(tmp_path, row, expected):
    package = package_with(tmp_path, COMMUNITIES, f"lat,lon,residents\n30.66,104.06,1\n{row}\n")
    r = invoke("district", "check", package)
    assert r.exit_code == 2, r.output
    assert expected in " ".join(r.output.split())


def test_check_says_by_how_much_communities_miss_their_subdistrict(tmp_path):
    text = COMMUNITIES.replace("residents: 8000", "residents: 7500")
    package = package_with(tmp_path, text)
    r = invoke("district", "check", package)
    out = " ".join(r.output.split())
    assert "population.yaml:2: north: the 2 communities of 北街道 North Subdistrict sum to " \
           "19,500 residents, 500 fewer than its population 20,000" in out
    assert "south:" not in out  # pine's 10,000 match
    assert grid_of(package).people.sum() == pytest.approx(29_500, rel=1e-9)


def test_check_names_communities_off_the_map_and_far_from_roads(tmp_path):
    north = 30.67 + 600 / (math.pi / 180 * 6_371_008.8)  # 600 m north of the grid's edge
    text = COMMUNITIES.replace(_at("g35"), f"lat: {north:.6f}, lon: 104.0700").replace(
        _at("g00"), "lat: 39.1500, lon: 117.1500")
    r = invoke("district", "check", package_with(tmp_path, text))
    out = " ".join(r.output.split())
    assert "population.yaml:9: willow: the centre of community 柳树社区 Willow Community " \
           "lies 600 m from the nearest road node" in out
    assert "population.yaml:11: pine: the centre of 松树社区 Pine Community lies 1,4" in out
    assert r.exit_code == 2


@pytest.mark.parametrize(("change", "expected"), [
    (("id: willow", "id: lotus"), "population.yaml:9: communities[1]: place id 'lotus' is "
     "used twice (also at"),
    (("subdistrict: south", "subdistrict: sourh"), "population.yaml:11: communities[2]: "
     "subdistrict: 'sourh' is no subdistrict id; give the id of the subdistrict"),
    (("residents: 10000,", ""), "population.yaml:11: communities[2]: residents: is None"),
])
def test_bad_communities_are_one_line_each(tmp_path, change, expected):
    r = invoke("district", "check", package_with(tmp_path, COMMUNITIES.replace(*change)))
    assert r.exit_code == 2, r.output
    assert expected in " ".join(r.output.split())
    assert "Traceback" not in r.output


@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
def test_chemical_zone_table_names_the_package_communities(with_communities, tmp_path):
    drill = tmp_path / "chem.yaml"
    drill.write_text(CHEM.format(district=with_communities), encoding="utf-8")
    out = tmp_path / "run"
    r = invoke("run", drill, "--report", "--out", out)
    assert r.exit_code == 0, r.output
    md = next(out.rglob("report*.md")).read_text(encoding="utf-8")
    rows = [line for line in md.splitlines() if "AEGL" in line and "|" in line]
    assert any("Willow Community" in row or "Lotus Community" in row
               or "Pine Community" in row for row in rows), textwrap.shorten(md, 3000)
    assert "North 1" not in md and "South 1" not in md  # no synthetic community names


def test_an_order_names_a_listed_community_by_its_id(with_communities, tmp_path):
    drill = tmp_path / "chem.yaml"
    text = CHEM.format(district=with_communities) + \
        "  protective_actions:\n    areas:\n      - {area: wilow, action: evacuate}\n"
    drill.write_text(text, encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 2, r.output
    assert "unknown subdistrict or community 'wilow'; did you mean 'willow'? subdistricts: " \
           "north, south; communities: lotus, willow, pine" in " ".join(r.output.split())
    drill.write_text(text.replace("wilow", "willow"), encoding="utf-8")
    r = invoke("validate", drill)
    assert r.exit_code == 0, r.output
