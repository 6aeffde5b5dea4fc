"""Speed in standing water against Pregnolato et al. (2017), Transportation Research D 55:67-81."""

import numpy as np
import pytest

from drillsim.hazards.pluvial_flood import (
    DEPTH_LIMIT_M,
    road_speed_factor,
    speed_factor,
    wading_speed_factor,
)


def published_car_speed_km_h(depth_mm: float) -> float:
    """The published depth-disruption curve, km/h (d in mm)."""
    return 0.0009 * depth_mm**2 - 0.5529 * depth_mm + 86.9


def test_dry_road_is_free_flow():
    for limit in DEPTH_LIMIT_M.values():
        assert speed_factor(0.0, limit) == 1.0
        assert speed_factor(-0.1, limit) == 1.0


@pytest.mark.parametrize("depth_m", [0.05, 0.1, 0.2, 0.25, 0.29])
def test_car_matches_published_curve(depth_m):
    expected = published_car_speed_km_h(depth_m * 1000) / published_car_speed_km_h(0)
    assert speed_factor(depth_m, DEPTH_LIMIT_M["car"]) == pytest.approx(expected, rel=1e-12)


def test_published_values_at_0_1_and_0_2_m():
    # v(100) = 40.61 km/h, v(200) = 12.32 km/h, v(0) = 86.9 km/h.
    assert speed_factor(0.1, 0.3) == pytest.approx(40.61 / 86.9)
    assert speed_factor(0.2, 0.3) == pytest.approx(12.32 / 86.9)


def test_car_stops_at_0_3_m():
    # The fitted curve still gives about 2 km/h at 300 mm; Pregnolato et al. treat
    # 300 mm as impassable for cars, and so do we.
    assert speed_factor(0.3, DEPTH_LIMIT_M["car"]) == 0.0
    assert speed_factor(0.5, DEPTH_LIMIT_M["car"]) == 0.0


@pytest.mark.parametrize("kind", sorted(DEPTH_LIMIT_M))
def test_non_increasing_and_zero_at_limit(kind):
    limit = DEPTH_LIMIT_M[kind]
    depths = np.linspace(0, 1.5 * limit, 2001)
    f = np.array([speed_factor(d, limit) for d in depths])
    assert np.all(np.diff(f) <= 0)
    assert np.all((f >= 0) & (f <= 1))
    assert speed_factor(limit, limit) == 0.0
    assert speed_factor(limit * 1.01, limit) == 0.0
    # the stretched curve: half the limit is the car curve at 150 mm
    assert speed_factor(limit / 2, limit) == pytest.approx(published_car_speed_km_h(150) / 86.9)


def test_emergency_vehicles_wade_deeper_than_cars():
    assert DEPTH_LIMIT_M["fire_engine"] == 0.6 and DEPTH_LIMIT_M["truck"] == 0.6
    assert speed_factor(0.35, DEPTH_LIMIT_M["fire_engine"]) > 0
    assert speed_factor(0.35, DEPTH_LIMIT_M["car"]) == 0


def test_drill_roads_follow_the_curve_up_to_each_limit(ring_world):
    """The roads a point floods carry the curve's own factor until the class's limit.

    The speed factors were once rounded down to steps of 0.05, which closed roads to cars
    from about 0.256 m and to fire engines and trucks from about 0.512 m (issue 11).
    """
    from conftest import make_scenario

    from drillsim.engine import run_drill

    point = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 2, "runoff_coeff": 1.0,
             "drain_m3_s": 0.05, "area_m2": 2000, "radius_m": 300}
    # 30 mm/h for 4 h: the water rises about 1.75 cm per 5-min step to about 0.84 m,
    # so several steps fall just below and just above each limit
    rain = {"series": [{"at": "+00:00", "mm_h": 30}, {"at": "+04:00", "mm_h": 0}]}
    scenario = make_scenario(duration="06:00", flood={"rain": rain, "points": [point],
                                                     "step": "5 min"},
                             forces__response_plans={"alarm": [{"engine": 1}]})
    records = run_drill(scenario, ring_world).records
    depth, factors = None, {v: 1.0 for v in DEPTH_LIMIT_M}
    seen = {v: {"below": 0, "above": 0} for v in DEPTH_LIMIT_M}
    for r in records:  # each step logs the depth, then the roads when a factor changed
        if r.event == "depth":
            depth = float(r.data["depth_m"])
        elif r.event == "road_state":
            factors = r.data["factors"]
        else:
            continue
        for vehicle, limit in DEPTH_LIMIT_M.items():
            if r.event != "road_state":
                continue
            assert factors[vehicle] == pytest.approx(road_speed_factor(vehicle, depth), abs=1e-3)
            if 0.85 * limit <= depth < limit:  # just below: slow but open
                assert factors[vehicle] > 0.0
                seen[vehicle]["below"] += 1
            elif depth >= limit:
                assert factors[vehicle] == 0.0
                seen[vehicle]["above"] += 1
    for vehicle in ("car", "truck", "fire_engine"):
        assert seen[vehicle]["below"] >= 2 and seen[vehicle]["above"] >= 2, (vehicle, seen)


# ----------------------------------------------------------------------------- on foot
# Li, Song, Zhang & Bode (2026, Acta Polytechnica CTU Proceedings 57:226): from dry ground
# to 0.35 m of still water walking speed fell 38.6 % for men and 44.8 % for women.
LI_MEN_035, LI_WOMEN_035 = 1 - 0.386, 1 - 0.448


def test_wading_speed_at_the_measured_depth_lies_between_men_and_women():
    f = wading_speed_factor(0.35)
    assert LI_WOMEN_035 <= f <= LI_MEN_035
    assert f == pytest.approx((LI_MEN_035 + LI_WOMEN_035) / 2, abs=1e-12)


def test_wading_speed_is_free_when_dry_and_closed_at_the_walking_limit():
    limit = DEPTH_LIMIT_M["foot"]
    assert wading_speed_factor(0.0) == 1.0 and wading_speed_factor(-0.05) == 1.0
    assert wading_speed_factor(limit - 1e-9) > 0.5  # still walking just below the limit
    assert wading_speed_factor(limit) == 0.0 and wading_speed_factor(1.2) == 0.0


def test_wading_speed_is_non_increasing_and_continuous_below_the_limit():
    depths = np.linspace(0, DEPTH_LIMIT_M["foot"] - 1e-6, 5001)
    f = np.array([wading_speed_factor(d) for d in depths])
    assert np.all(np.diff(f) <= 0)
    assert np.max(np.abs(np.diff(f))) < 1e-3  # no step below the limit


def test_people_on_foot_use_the_wading_curve_and_vehicles_theirs():
    assert road_speed_factor("foot", 0.2) == wading_speed_factor(0.2)
    for vehicle in ("car", "truck", "fire_engine", "high_clearance"):
        assert road_speed_factor(vehicle, 0.2) == speed_factor(0.2, DEPTH_LIMIT_M[vehicle])
    # walkers wade faster than the car curve stretched to their limit said (issue 11)
    assert wading_speed_factor(0.3) > speed_factor(0.3, DEPTH_LIMIT_M["foot"])
# Rain on open roads ---------------------------------------------------------------------

# Hranac et al. (2006), FHWA-HOP-07-073: free-flow speed reduction 2-3.6 % in light rain
# (0.01 cm/h) and 6-9 % at 1.6 cm/h. The model must fall inside each published range.
HRANAC_RANGES = {0.1: (0.02, 0.036), 16.0: (0.06, 0.09)}


@pytest.mark.parametrize("mm_h", sorted(HRANAC_RANGES))
def test_rain_slowing_inside_the_published_range(mm_h):
    from drillsim.hazards.pluvial_flood import rain_speed_factor

    lo, hi = HRANAC_RANGES[mm_h]
    assert lo <= 1 - rain_speed_factor(mm_h) <= hi


def test_rain_slowing_grows_with_intensity_and_stops_at_the_data():
    from drillsim.hazards.pluvial_flood import rain_speed_factor

    assert rain_speed_factor(0.0) == 1.0
    grid = np.linspace(0.0, 200.0, 2001)
    f = np.array([rain_speed_factor(x) for x in grid])
    assert np.all(np.diff(f) <= 0)
    # beyond the heaviest rain in the data the 16 mm/h value holds (no extrapolation)
    assert rain_speed_factor(120.0) == rain_speed_factor(16.0)
    # halfway in intensity, halfway in reduction (linear between the two published points)
    mid = (0.1 + 16.0) / 2
    assert 1 - rain_speed_factor(mid) == pytest.approx((0.028 + 0.075) / 2)
    with pytest.raises(ValueError):
        rain_speed_factor(-1.0)
