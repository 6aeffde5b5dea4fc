"""Warning coverage: one channel's ramp, independent channels, the inverse in time."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.hazards.warning import (
    DEFAULT_CHANNELS,
    Channel,
    coverage,
    door_to_door,
    max_coverage,
    time_to_coverage,
)


def test_one_channel_is_its_ramp():
    c = Channel("cell", reach=0.8, delay_s=600, ramp_s=1200)
    t = np.array([0, 599, 600, 900, 1200, 1800, 5000], dtype=float)
    expected = 0.8 * np.clip((t - 600) / 1200, 0, 1)
    assert np.allclose(coverage([c], t), expected)
    assert coverage([c], 1200.0) == pytest.approx(0.4)
    assert isinstance(coverage([c], 1200.0), float)


def test_instant_channel_is_a_step():
    c = Channel("siren", reach=0.5, delay_s=300, ramp_s=0)
    assert coverage([c], 299.9) == 0.0
    assert coverage([c], 300.0) == 0.5
    assert time_to_coverage([c], 0.5) == 300.0


def test_independent_channels_combine():
    a = Channel("a", 0.85, 600, 600)
    b = Channel("b", 0.6, 900, 2700)
    for t in [0.0, 700.0, 1200.0, 2000.0, 4000.0]:
        sa, sb = a.share_at(t), b.share_at(t)
        assert coverage([a, b], t) == pytest.approx(1 - (1 - sa) * (1 - sb))
    assert max_coverage([a, b]) == pytest.approx(1 - 0.15 * 0.4)
    assert coverage([], 100.0) == 0.0


def test_never_reached_is_inf():
    a = Channel("a", 0.85, 600, 600)
    b = Channel("b", 0.6, 900, 2700)
    assert time_to_coverage([a, b], 0.95) == math.inf  # at most 0.94
    assert time_to_coverage([], 0.5) == math.inf
    assert time_to_coverage([a], 0.0) == 0.0


channels = st.lists(
    st.builds(Channel, st.just("c"), st.floats(0.0, 1.0), st.floats(0.0, 7200.0),
              st.one_of(st.just(0.0), st.floats(0.0, 36000.0))),
    min_size=1, max_size=5,
)


@settings(max_examples=300, deadline=None)
@given(channels, st.floats(0.001, 1.0))
def test_time_to_coverage_inverts_coverage(chs, fraction):
    target = fraction * max_coverage(chs)
    t = time_to_coverage(chs, target)
    if target <= 0:
        assert t == 0.0
        return
    assert math.isfinite(t)
    assert coverage(chs, t) >= target  # reached at the returned time
    assert t < 0.1 or coverage(chs, t - 0.1) < target  # and not 0.1 s earlier


@settings(max_examples=200, deadline=None)
@given(channels, st.floats(0.0, 1e5), st.floats(0.0, 1e4))
def test_coverage_non_decreasing_and_bounded(chs, t, dt):
    c0, c1 = coverage(chs, t), coverage(chs, t + dt)
    assert 0.0 <= c0 <= c1 <= max_coverage(chs) + 1e-12


def test_door_to_door_ramp():
    c = door_to_door("grid", households=10_000, workers=50, households_per_worker_hour=20,
                     delay_s=1800, reach=0.9)
    assert c.ramp_s == pytest.approx(10 * 3600)  # 10,000 / (50 × 20) = 10 h
    assert c.share_at(1800 + 5 * 3600) == pytest.approx(0.45)
    with pytest.raises(ValueError):
        door_to_door("grid", 100, 0, 20, 0, 0.9)


def test_defaults_are_documented_and_reach_95_percent():
    assert {c.name for c in DEFAULT_CHANNELS} >= {"cell broadcast", "grid workers door to door"}
    assert max_coverage(DEFAULT_CHANNELS) > 0.95
    t95 = time_to_coverage(DEFAULT_CHANNELS, 0.95)
    assert 1800 < t95 < 3 * 3600


def test_ramp_share_per_element_matches_the_channel():
    """ramp_share with one delay and ramp per cell is each cell's own channel."""
    from drillsim.hazards.warning import ramp_share

    t = np.array([0.0, 50.0, 150.0, 400.0, 100.0])
    delay = np.array([100.0, 0.0, 100.0, 100.0, 100.0])
    ramp = np.array([200.0, 100.0, 200.0, 200.0, 0.0])
    expected = [Channel("c", 1.0, d, r).share_at(x)
                for x, d, r in zip(t, delay, ramp, strict=True)]
    np.testing.assert_allclose(ramp_share(t, delay, ramp), expected)
    np.testing.assert_allclose(expected, [0.0, 0.5, 0.25, 1.0, 1.0])
