"""How long the warning ramps hold their value (:func:`drillsim.hazards.warning.ramp_steady_s`,
:func:`~drillsim.hazards.warning.coverage_steady_s`): the chemical release keeps the share
of people acting on an order while it holds, so the figure must never be too long."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from drillsim.hazards.warning import (
    Channel,
    coverage,
    coverage_steady_s,
    ramp_share,
    ramp_steady_s,
)


def test_before_the_delay_the_ramp_holds_until_the_delay():
    assert ramp_steady_s(100.0, 200.0, 50.0) == 100.0
    assert ramp_share(199.999, 200.0, 50.0) == 0.0


def test_at_full_reach_the_ramp_holds_for_ever():
    assert ramp_steady_s(250.0, 200.0, 50.0) == math.inf  # delay + ramp exactly: full
    assert ramp_steady_s(200.0, 200.0, 0.0) == math.inf  # a step: full at the delay


def test_on_the_ramp_nothing_holds():
    assert ramp_steady_s(200.0, 200.0, 50.0) == 0.0
    assert ramp_steady_s(249.9, 200.0, 50.0) == 0.0


def test_elements_the_shortest_and_any_on_its_ramp_wins():
    t = np.array([100.0, 300.0, 50.0])
    assert ramp_steady_s(t, np.array([200.0, 0.0, 80.0]), 10.0) == 30.0
    assert ramp_steady_s(t, np.array([200.0, 295.0, 80.0]), 10.0) == 0.0


def test_later_reach_counts_and_no_channel_holds_for_ever():
    sleepers = Channel("sms", 0.5, 0.0, 0.0, later_reach=0.3, later_s=3600.0,
                       later_ramp_s=600.0)
    assert coverage_steady_s([sleepers], np.array([10.0, 20.0])) == 3580.0
    assert coverage_steady_s([sleepers], 3700.0) == 0.0
    assert coverage_steady_s([sleepers], 4200.0) == math.inf
    assert coverage_steady_s([], 5.0) == math.inf


channels = st.lists(st.builds(
    Channel, name=st.just("c"), reach=st.floats(0.0, 0.6),
    delay_s=st.floats(0.0, 5000.0), ramp_s=st.floats(0.0, 5000.0),
    later_reach=st.floats(0.0, 0.4), later_s=st.floats(0.0, 20000.0),
    later_ramp_s=st.floats(0.0, 5000.0)), max_size=4)


@given(channels, st.lists(st.floats(-3000.0, 30000.0), min_size=1, max_size=5),
       st.floats(0.0, 1.0))
def test_coverage_is_exactly_the_same_while_it_holds(chs, ts, frac):
    t = np.array(ts)
    steady = coverage_steady_s(chs, t)
    later = t + (min(steady, 1e6) - 1e-3) * frac if steady > 1e-3 else t
    np.testing.assert_array_equal(coverage(chs, later), coverage(chs, t))
