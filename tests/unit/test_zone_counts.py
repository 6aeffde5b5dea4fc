"""Who is in a chemical zone and which roads close: one counting rule for every zone
(population sub-cells near the source), and closures only where the hot zone is."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from drillsim.api import load_scenario, load_world
from drillsim.hazards import chemical_zones as rules
from drillsim.network.population import FINE_CELL_M, PopulationGrid

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def liquor():
    """The ammonia-liquor-group release: spec, world, source (its road node) and the grid
    the engine counts people on."""
    s = load_scenario(ROOT / "scenarios" / "ammonia-liquor-group.yaml")
    world = load_world(s.network)
    net = world.network
    node = world.node_of(s.chemical.site)
    lat, lon = float(net.lat[node]), float(net.lon[node])
    grid = PopulationGrid(net, world.places).near_source(lat, lon)
    return s.chemical, world, lat, lon, grid


def test_refining_keeps_every_resident_and_their_subdistricts(liquor):
    _, world, lat, lon, grid = liquor
    coarse = PopulationGrid(world.network, world.places)
    assert grid.people.sum() == pytest.approx(coarse.people.sum(), rel=1e-12)
    for j in range(len(coarse.subdistricts)):
        assert grid.people[grid.owner == j].sum() == pytest.approx(
            coarse.people[coarse.owner == j].sum(), rel=1e-12)


def test_circle_counts_grow_with_the_radius_and_match_area_times_density(liquor):
    spec, _, lat, lon, grid = liquor
    d = rules.distance_m(grid.lat, grid.lon, lat, lon)
    density = grid.people[d <= 60].sum() / (math.pi * 60**2)  # people/m², even near here
    radii = [10, 20, rules.isolation_m(spec), 50, 100, 200, 300]
    counts = [float(grid.people[d <= r].sum()) for r in radii]
    assert counts == sorted(counts)
    for r, n in zip(radii[:5], counts[:5], strict=True):  # where the density is even
        # lattice count of sub-cell centres: off by at most the sub-cells along the edge
        edge = 2 * math.pi * r * FINE_CELL_M / 2 * density
        assert abs(n - math.pi * r**2 * density) <= edge, r


@pytest.mark.parametrize("cls", ["B", "D", "F"])
def test_aegl_zone_counts_are_nested_and_small_zones_are_not_empty(liquor, cls):
    """The review found 98 residents in the 30 m isolation circle but 0 in the 37 m AEGL-3
    and 98 m AEGL-2 zones from the same source."""
    spec, _, lat, lon, grid = liquor
    both = rules.zone_masks_by_level(spec, grid.lat, grid.lon, src_lat=lat, src_lon=lon,
                                     wind_from_deg=315.0, u_m_s=2.5, cls=cls,
                                     levels=(3, 2, 1))
    count = {lvl: float(grid.people[rules.driving_mask(both[lvl])].sum()) for lvl in (3, 2, 1)}
    assert 0 < count[3] <= count[2] <= count[1]
    iso = float(grid.people[rules.distance_m(grid.lat, grid.lon, lat, lon)
                            <= rules.isolation_m(spec)].sum())
    assert iso < 40  # a 30 m circle holds about 28 people here, not a whole 98-people cell


def _segment_distance(net, arcs, lat, lon) -> np.ndarray:
    x, y = rules.downwind_crosswind(net.lat, net.lon, lat, lon, 0.0)
    ax, ay = x[net.edge_u[arcs]], y[net.edge_u[arcs]]
    dx, dy = x[net.edge_v[arcs]] - ax, y[net.edge_v[arcs]] - ay
    p = np.clip(-(ax * dx + ay * dy) / np.maximum(dx**2 + dy**2, 1e-12), 0, 1)
    return np.hypot(ax + p * dx, ay + p * dy)


@pytest.mark.parametrize("radius", [30.0, 120.0, 400.0])
def test_a_circle_closes_exactly_the_arcs_that_pass_through_it(liquor, radius):
    """Distances from the release's road node (the engine's source), no tolerance: a closed
    arc's nearest point lies inside the circle; an arc passing more than one sampling step
    inside it is closed (the first version closed every arc with an end node inside: 430 m
    of road for a 30 m circle)."""
    _, world, lat, lon, _ = liquor
    net = world.network
    road = rules.road_points(net.lat, net.lon, net.edge_u, net.edge_v, src_lat=lat,
                             src_lon=lon, reach_m=radius)
    inside = rules.distance_m(road.lat, road.lon, lat, lon) <= radius
    closed = rules.hot_arcs(road, inside)
    assert closed.size > 0
    assert (_segment_distance(net, closed, lat, lon) <= radius + 1e-6).all()
    every = np.arange(net.n_edges)
    deep = every[_segment_distance(net, every, lat, lon) <= radius - rules.ROAD_STEP_M]
    assert set(deep.tolist()) <= set(closed.tolist())
    for a, b in rules.hot_sections(road, inside):  # drawn: only the parts inside
        ends = rules.distance_m(np.array([a[0], b[0]]), np.array([a[1], b[1]]), lat, lon)
        assert (ends <= radius + 1e-6).all()
