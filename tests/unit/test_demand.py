"""Everyday calls come from where people are: residents by night, workers and travellers by day."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_scenario

from drillsim.engine import run_drill
from drillsim.network.demand import RESIDENTS_HOME_BY_DAY, Demand, call_nodes, inside_outline
from drillsim.network.fit import drive_core
from drillsim.network.world import World, load_world


@pytest.fixture(scope="module")
def world():
    return load_world()


@pytest.fixture(scope="module")
def demand(world) -> Demand:
    return world.demand


def _near(world, place_id: str) -> np.ndarray:
    centre = world.places[place_id]
    net = world.network
    k = math.cos(math.radians(float(net.lat.mean())))
    dist = np.hypot((net.lat - centre.lat) * 111_195.0, (net.lon - centre.lon) * 111_195.0 * k)
    return dist <= float(centre.attrs["radius_m"])


def test_residents_are_the_census_total(world, demand):
    total = sum(float(s.attrs["population"]) for s in world.places.of_kind("subdistrict"))
    assert demand.residents.sum() == pytest.approx(total)
    assert total == pytest.approx(483_130)


def test_weights_are_people_shares_by_day_and_by_night(world, demand):
    centres = world.places.of_kind("activity_centre")
    day_people = sum(float(c.attrs["day_people"]) for c in centres)
    night_people = sum(float(c.attrs["night_people"]) for c in centres)
    residents = demand.residents.sum()
    assert demand.day.sum() == pytest.approx(1.0) and demand.night.sum() == pytest.approx(1.0)
    # the share of the activity centres is their people over everybody present
    assert demand.visitors_day.sum() == pytest.approx(day_people)
    home_day = RESIDENTS_HOME_BY_DAY * residents
    assert (demand.day * (home_day + day_people) - RESIDENTS_HOME_BY_DAY * demand.residents
            - demand.visitors_day) == pytest.approx(0.0, abs=1e-6)
    assert (demand.night * (residents + night_people) - demand.residents
            - demand.visitors_night) == pytest.approx(0.0, abs=1e-6)


def test_west_station_draws_more_calls_by_day_than_by_night(world, demand):
    station = _near(world, "west_station_area")
    assert station.any()
    assert demand.day[station].sum() > 1.5 * demand.night[station].sum()
    assert demand.weights(12 * 3600.0) is demand.day
    assert demand.weights(3 * 3600.0) is demand.night


def test_node_at_follows_the_weights(demand):
    u = (np.arange(200_000) + 0.5) / 200_000
    for clock, w in ((12 * 3600.0, demand.day), (2 * 3600.0, demand.night)):
        hits = np.bincount([demand.node_at(clock, x) for x in u], minlength=w.size)
        assert np.abs(hits / u.size - w).max() < 1e-4


def test_node_at_is_the_first_node_whose_cumulative_weight_passes_the_draw(demand):
    """The bisection in plain floats picks what ``searchsorted(..., side="right")`` on the
    cumulative weights picks, ties at a node's exact cumulative weight included."""
    rng = np.random.default_rng(3)
    for clock, w in ((12 * 3600.0, demand.day), (2 * 3600.0, demand.night)):
        cum = np.cumsum(w)
        exact = cum[rng.integers(0, cum.size, 200)] / cum[-1]  # draws landing on a boundary
        for u in np.concatenate([rng.random(2000), exact, [0.0, np.nextafter(1.0, 0.0)]]):
            want = min(int(cum.searchsorted(u * cum[-1], side="right")), cum.size - 1)
            assert demand.node_at(clock, float(u)) == want


def _one_engine_station(world) -> dict:
    """A station with one engine at the network's first node (drill-file fields)."""
    return {"id": "st", "location": {"node": world.network.node_ids[0]}, "personnel": 10,
            "on_duty_fraction": 1.0, "apparatus": [{"id": "E1", "type": "engine", "crew": 5}],
            "turnout": {"day": "60 s", "night": "90 s"}}


def test_background_calls_land_where_people_are(world, demand):
    # a night of many calls: the share landing at the 30 most weighted nodes matches
    # their weight within 4 binomial standard deviations
    station = _one_engine_station(world)
    s = make_scenario(start="2026-07-15T00:00:00+08:00", duration="06:00",
                      forces__stations=[station],
                      background={"calls_per_day": 1500, "mix": {"alarm": 1.0},
                                  "hourly_profile": [1.0] * 24, "work_time": "1 s"})
    result = run_drill(s, world)
    calls = [r.node for r in result.records if r.event == "call"]
    top = np.argsort(demand.night)[-30:]
    share = np.isin(calls, top).mean()
    p = demand.night[top].sum()
    sd = math.sqrt(p * (1 - p) / len(calls))
    assert len(calls) > 200
    assert abs(share - p) < 4 * sd
    # uniform placement would put only 30 / 298 of the calls there
    assert p > 2 * 30 / len(demand.night)


# the review's out-of-district call nodes (rev7a A1): across the North Canal / Hai River
# (BG001 node 164, BG002 node 278), south in Nankai (BG003 node 15), north (BG004 node 16)
OUTSIDE = (164, 278, 15, 16)


def test_inside_outline_is_point_in_polygon():
    # a 1 x 1 degree square: points inside, outside and on neither side of it
    square = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 1.0], [1.0, 0.0]])
    net = type("Net", (), {"n_nodes": 4, "lat": np.array([0.5, 1.5, 0.5, -0.2]),
                           "lon": np.array([0.5, 0.5, 2.0, 0.9])})()
    assert inside_outline(net, square).tolist() == [True, False, False, False]
    assert inside_outline(net, None).tolist() == [True] * 4


def test_calls_come_only_from_inside_the_district_outline(world, demand):
    inside = inside_outline(world.network, world.outline)
    assert world.outline is not None and not inside[list(OUTSIDE)].any()
    assert inside.sum() > 0.8 * inside.size  # the outline is the district, not a corner
    for w in (demand.day, demand.night, demand.residents, demand.visitors_day,
              demand.visitors_night):
        assert not w[~inside].any()
    assert set(call_nodes(world).tolist()) == set(
        np.flatnonzero(inside & drive_core(world.network).mask).tolist())
    # the people of the edge cells still call (from the nearest inside node): the census
    # total is kept (test_residents_are_the_census_total)


def test_a_network_without_an_outline_takes_calls_at_every_core_node(world):
    bare = World(world.network, world.places)  # as a GraphML network: no district outline
    assert bare.outline is None
    core = drive_core(world.network).nodes
    assert call_nodes(bare).tolist() == core.tolist()
    assert (bare.demand.night[list(OUTSIDE)] > 0).all()


def test_junction_calls_come_only_from_inside_the_outline(world):
    station = _one_engine_station(world)
    s = make_scenario(start="2026-07-15T00:00:00+08:00", duration="03:00",
                      forces__stations=[station],
                      background={"calls_per_day": 1500, "mix": {"alarm": 1.0},
                                  "where": "junctions", "hourly_profile": [1.0] * 24,
                                  "work_time": "1 s"})
    calls = [r.node for r in run_drill(s, world).records if r.event == "call"]
    inside = inside_outline(world.network, world.outline)
    assert len(calls) > 100
    assert inside[calls].all()
