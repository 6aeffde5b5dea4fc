"""A bounded metric's interval stays in its range (issue 11: relief shares near 100 %
gave intervals up to 100.4 %)."""

from __future__ import annotations

import numpy as np
from scipy import stats

from drillsim.sweep.stats import bounded_interval, t_interval


def test_a_share_near_one_keeps_its_interval_within_the_values_taken():
    x = [1.0] * 25 + [0.80, 0.85, 0.90, 0.95, 0.97]  # 30 replications, skewed at 100 %
    n, mean, sd, lo, hi = t_interval(x)
    assert hi > 1.0  # the t interval leaves the possible range
    n2, mean2, sd2, lo2, hi2 = bounded_interval(x, 0.0, 1.0)
    assert (n2, mean2, sd2) == (n, mean, sd)
    assert min(x) <= lo2 < mean2 < hi2 <= 1.0
    # the bootstrap percentile interval of the mean, as scipy computes it
    ref = stats.bootstrap((np.asarray(x),), np.mean, method="percentile", n_resamples=9999,
                          random_state=np.random.default_rng(20260802)).confidence_interval
    assert (lo2, hi2) == (ref.low, ref.high)


def test_an_interval_inside_the_range_is_the_t_interval():
    x = [0.50, 0.60, 0.55, 0.65, 0.70, 0.45]
    assert bounded_interval(x, 0.0, 1.0) == t_interval(x)
    assert bounded_interval([5.0, 5.0, 5.0], 0.0) == t_interval([5.0, 5.0, 5.0])
