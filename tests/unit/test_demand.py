"""Everyday calls come from where people are: residents by night, workers and travellers by day."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_scenario

from drillsim.engine import run_drill
from drillsim.network.demand import RESIDENTS_HOME_BY_DAY, Demand
from drillsim.network.world import load_world


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


def test_background_calls_land_where_people_are(world, demand):
    # a night of many calls: the share landing at the 30 most weighted nodes matches
    # their weight within 4 binomial standard deviations
    station = {"id": "st", "location": {"node": world.network.node_ids[0]}, "personnel": 10,
               "on_duty_fraction": 1.0, "apparatus": [{"id": "E1", "type": "engine", "crew": 5}],
               "turnout": {"day": "60 s", "night": "90 s"}}
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
