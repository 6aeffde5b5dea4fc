"""Speed in standing water against Pregnolato et al. (2017), Transportation Research D 55:67-81."""

import numpy as np
import pytest

from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M, speed_factor


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
