"""Uncertainty by default, determinism on request (issue 11)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from conftest import make_scenario

from drillsim.agents.waterlogging import draw_storm
from drillsim.engine import run_drill
from drillsim.scenarios.schema import Exponential, Fixed, LogNormal, Uniform

POINT = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 2, "runoff_coeff": 1.0,
         "drain_m3_s": 0.05, "area_m2": 2000, "radius_m": 300, "residents": 400,
         "trapped_share": 0.05}


FLOOD = {"rain": {"return_period": 2, "duration": "2 h"}, "points": [POINT], "step": "5 min",
         "group_size": 50}


def storm_drill(flood=FLOOD, **extra):
    return make_scenario(
        duration="10:00", flood=flood,
        forces__response_plans={"alarm": [{"engine": 1}],
                                "flood_rescue": [{"engine": 1}]},
        forces__shelters=[{"id": "S1", "location": {"node": "N3"}, "capacity": 1000}],
        forces__depots=[{"id": "D1", "location": {"node": "N0"},
                         "stock": {"water_l": 3000, "food_ration": 1000, "bedding_set": 1000},
                         "trucks": [{"id": "T1", "capacity_kg": 2000}]}],
        **extra)


def summary(records):
    peak = max(float(r.data["depth_m"]) for r in records if r.event == "depth")
    left = sum(int(r.data["people"]) for r in records if r.event == "displacement")
    return peak, left, [(r.t, r.event, r.incident, r.unit, r.place) for r in records]


def test_central_values_of_the_distributions():
    assert Fixed(value=50).central() == 50
    assert LogNormal(dist="lognormal", median=60, p90=120).central() == 60
    assert Uniform(dist="uniform", low=40, high=80).central() == 60
    assert Exponential(dist="exponential", mean=600).central() == 600


def test_a_deterministic_drill_is_the_same_for_every_seed(ring_world):
    s = storm_drill(deterministic=True)
    runs = [summary(run_drill(s, ring_world, seed=seed).records) for seed in (1, 2, 3)]
    assert runs[0] == runs[1] == runs[2]
    # and it is the design storm: the peak of the plain design storm with stratified floors
    assert runs[0][1] > 0


def test_an_uncertain_drill_varies_by_seed_and_repeats_by_seed(ring_world):
    s = storm_drill()
    a = [summary(run_drill(s, ring_world, seed=seed).records)[:2] for seed in range(1, 9)]
    assert len({peak for peak, _ in a}) == 8  # the storm depth differs in every run
    assert len({left for _, left in a}) > 1  # and so does how many leave
    again = summary(run_drill(s, ring_world, seed=3).records)[:2]
    assert again == a[2]


def test_storm_draws_follow_their_distributions():
    s = storm_drill(flood={
        "rain": {"return_period": 50, "peak_ratio": 0.4},
        "points": [POINT | {"id": f"P{k}"} for k in range(10)],
        "uncertainty": {"storm_depth_sd": 0.08, "peak_ratio_spread": 0.1,
                        "drain_failure_p": 0.05, "drain_failure_share": 0.5}})
    rng = np.random.default_rng(20261129)
    n = 4000
    draws = [draw_storm(s.flood, rng) for _ in range(n)]
    logs = np.log([d.depth_factor for d in draws])
    # log-normal, median 1: mean of the logs 0 within 4 standard errors, sd 0.08 within 5 %
    assert abs(logs.mean()) < 4 * 0.08 / math.sqrt(n)
    assert logs.std() == pytest.approx(0.08, rel=0.05)
    ratios = np.array([d.peak_ratio for d in draws])
    assert ratios.min() >= 0.3 and ratios.max() <= 0.5
    assert ratios.mean() == pytest.approx(0.4, abs=4 * 0.2 / math.sqrt(12 * n))
    # 10 points × 4000 storms, p = 0.05: 2,000 failures expected, sd about 44
    fails = sum(len(d.drain_failures) for d in draws)
    assert abs(fails - 0.05 * 10 * n) < 4 * math.sqrt(10 * n * 0.05 * 0.95)
    starts = [t for d in draws for _, t in d.drain_failures]
    assert min(starts) >= 0 and max(starts) <= 7200  # during the rain
    assert draw_storm(s.flood, None).depth_factor == 1.0  # deterministic: the design storm


def test_chance_drain_failures_are_recorded(ring_world):
    s = storm_drill(flood={
        "rain": {"return_period": 20, "duration": "2 h"}, "points": [POINT], "step": "5 min",
        "uncertainty": {"drain_failure_p": 1.0, "drain_failure_share": 0.25}})
    fails = [r for r in run_drill(s, ring_world, seed=1).records
             if r.event == "pump_station_failed"]
    assert len(fails) == 1 and fails[0].data["drain_m3_s"] == pytest.approx(0.05 * 0.25)
    assert 0 <= fails[0].t <= 7200
