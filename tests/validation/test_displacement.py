"""Graded displacement: the floor-height ramp, the groups, and depth and duration in a drill."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import make_scenario

from drillsim.engine import run_drill
from drillsim.hazards.displacement import FloorHeights, households


def test_share_flooded_is_the_ramp_between_the_lowest_and_highest_floor():
    f = FloorHeights(0.3, 0.2)
    assert [f.share_flooded(d) for d in (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.8)] == \
        pytest.approx([0.0, 0.0, 0.25, 0.5, 0.75, 1.0, 1.0])
    # floors never below the street; a zero spread is the old all-at-once step
    assert FloorHeights(0.1, 0.3).low_m == 0.0
    step = FloorHeights(0.3, 0.0)
    assert step.share_flooded(0.2999) == 0.0 and step.share_flooded(0.3) == 1.0


@pytest.mark.parametrize(("median", "spread"), [(0.3, 0.2), (0.25, 0.05), (0.5, 0.4)])
def test_share_changes_at_most_by_depth_change_over_the_ramp_width(median, spread):
    f = FloorHeights(median, spread)
    d = np.linspace(0, 1.2, 1201)
    s = np.array([f.share_flooded(x) for x in d])
    assert np.all(np.diff(s) >= 0)
    assert np.max(np.diff(s)) <= (d[1] - d[0]) / (f.high_m - f.low_m) + 1e-12


def test_groups_go_lowest_floor_first_and_hold_everyone():
    homes = households(1050, 100, FloorHeights(0.3, 0.2), 3600.0)
    assert sum(h.people for h in homes) == 1050 and len(homes) == 11
    floors = [h.floor_m for h in homes]
    assert floors == sorted(floors) and 0.1 < floors[0] < floors[-1] < 0.5
    # the k-th group's floor is the stratified midpoint quantile
    assert floors[0] == pytest.approx(0.1 + 0.4 * 0.5 / 11)
    delays = sorted(h.delay_s for h in homes)
    assert 0 <= delays[0] < 3600 / 11 and 3600 * 10 / 11 <= delays[-1] < 3600
    assert len(set(delays)) == 11


def _point_drill(ring_world, mm_h: float, hours: float, drain_m3_s: float = 0.05):
    point = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 2, "runoff_coeff": 1.0,
             "drain_m3_s": drain_m3_s, "area_m2": 2000, "radius_m": 300, "residents": 400,
             "trapped_share": 0.0}
    end = f"+{int(hours):02d}:{int(round(hours % 1 * 60)):02d}"
    rain = {"series": [{"at": "+00:00", "mm_h": mm_h}, {"at": end, "mm_h": 0}]}
    s = make_scenario(
        duration="10:00",
        flood={"rain": rain, "points": [point], "step": "5 min", "group_size": 50},
        forces__response_plans={"alarm": [{"engine": 1}]},
        forces__shelters=[{"id": "S1", "location": {"node": "N3"}, "capacity": 1000}])
    records = run_drill(s, ring_world).records
    peak = max(float(r.data["depth_m"]) for r in records if r.event == "depth")
    left = [r for r in records if r.event == "displacement"]
    return peak, left


def test_displaced_grow_with_depth_along_the_ramp(ring_world):
    seen = []
    for mm_h in (25, 30, 40, 60):
        peak, left = _point_drill(ring_world, mm_h, 1.0)
        people = sum(int(r.data["people"]) for r in left)
        # at most the homes the peak reached, at least those it reached a delay ago
        assert people <= 400 * FloorHeights(0.3, 0.2).share_flooded(peak) + 1e-9
        seen.append(people)
        if left:  # the groups leave one after another, not in the same second
            assert len({r.t for r in left}) == len(left)
    assert seen == sorted(seen) and seen[0] < seen[-1]


def test_water_that_stays_longer_displaces_more_at_the_same_peak(ring_world):
    # the same peak of 0.315 m after 30 min of rain (net inflow 0.35 m³/s on 2,000 m²):
    # drained in 21 min by 0.5 m³/s, or held for hours by 0.05 m³/s
    brief_peak, brief = _point_drill(ring_world, 153, 0.5, drain_m3_s=0.5)
    held_peak, held = _point_drill(ring_world, 72, 0.5, drain_m3_s=0.05)
    assert brief_peak == pytest.approx(0.315, abs=1e-3) and held_peak == pytest.approx(0.315,
                                                                                       abs=1e-3)
    n_brief = sum(int(r.data["people"]) for r in brief)
    n_held = sum(int(r.data["people"]) for r in held)
    # held water reaches every group whose floor it covers (0.1-0.315 m: 215/400 of the ramp)
    assert n_held == pytest.approx(400 * 0.215 / 0.4, abs=50)
    assert n_brief < n_held


def test_a_flood_that_reaches_no_floor_displaces_zero_people(ring_world):
    # 5 mm/h for an hour barely wets the street: nobody leaves, and the metric says 0 (not
    # "not measured"), so sweeps average the dry runs in
    from drillsim.metrics.relief import relief_metrics
    from drillsim.records.result import RunResult

    peak, left = _point_drill(ring_world, 5, 1.0)
    assert peak < 0.1 and left == []
    point = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 2, "runoff_coeff": 1.0,
             "drain_m3_s": 0.05, "area_m2": 2000, "residents": 400}
    s = make_scenario(flood={"rain": {"series": [{"at": "+00:00", "mm_h": 5},
                                                 {"at": "+01:00", "mm_h": 0}]},
                             "points": [point]},
                      forces__response_plans={"alarm": [{"engine": 1}]},
                      forces__shelters=[{"id": "S1", "location": {"node": "N3"},
                                         "capacity": 1000}])
    m = relief_metrics(RunResult(s, 1, tuple(run_drill(s, ring_world).records), (), ()))
    assert m["people_displaced"] == 0.0 and m["people_unsheltered"] == 0.0
