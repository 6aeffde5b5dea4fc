"""Statistics over replications: means with Student-t intervals, fractiles, Wilson intervals.

A metric that cannot leave a range (a share, 0-1; a count or a time, at least 0) keeps its
Student-t interval only while that lies inside the range; otherwise (a share near 100 %,
skewed over replications) the interval is the bootstrap percentile interval of the mean
(Efron & Tibshirani, *An Introduction to the Bootstrap*, 1993, ch. 13), which stays within
the values the replications took (:func:`bounded_interval`).

With common random numbers, replication ``k`` of two points saw the same random
streams, so the difference of two points is estimated from the paired
differences ``x_k - y_k`` (Law, *Simulation Modeling and Analysis*, 5th ed.,
section 10.2.1, the paired-t interval), usually far tighter than two separate
intervals suggest.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy import stats as _st

LEVEL = 0.95
FRACTILES = (10, 50, 90)


def t_interval(x: Sequence[float], level: float = LEVEL) -> tuple[int, float, float, float, float]:
    """``(n, mean, sd, low, high)`` of the finite values of ``x``; NaN where undefined.

    The interval is ``mean ± t(1-(1-level)/2, n-1) · sd / sqrt(n)``; it needs n >= 2.
    An all-equal sample gives a zero-width interval.
    """
    a = np.asarray(x, dtype=float)
    a = a[np.isfinite(a)]
    n = int(a.size)
    if n == 0:
        return 0, math.nan, math.nan, math.nan, math.nan
    mean = float(a.mean())
    if n == 1:
        return 1, mean, math.nan, math.nan, math.nan
    sd = float(a.std(ddof=1))
    half = float(_st.t.ppf(0.5 + level / 2, n - 1)) * sd / math.sqrt(n)
    return n, mean, sd, mean - half, mean + half


BOOTSTRAP_RESAMPLES = 9999
BOOTSTRAP_SEED = 20260802
"""Resamples and seed of the bootstrap interval (fixed: a sweep's summary is reproducible)."""


def bounded_interval(x: Sequence[float], low: float = -math.inf, high: float = math.inf,
                     level: float = LEVEL) -> tuple[int, float, float, float, float]:
    """``(n, mean, sd, low, high)`` like :func:`t_interval`, for a metric that lies in
    [``low``, ``high``]: the t interval while it stays in that range, else the bootstrap
    percentile interval of the mean (``scipy.stats.bootstrap``), which lies within the
    sample's own range.
    """
    n, mean, sd, lo, hi = t_interval(x, level)
    if n < 2 or (lo >= low and hi <= high):
        return n, mean, sd, lo, hi
    a = np.asarray(x, dtype=float)
    a = a[np.isfinite(a)]
    res = _st.bootstrap((a,), np.mean, confidence_level=level, method="percentile",
                        n_resamples=BOOTSTRAP_RESAMPLES,
                        random_state=np.random.default_rng(BOOTSTRAP_SEED))
    ci = res.confidence_interval
    return n, mean, sd, float(ci.low), float(ci.high)


def wilson(successes: int, n: int, level: float = LEVEL) -> tuple[float, float, float]:
    """``(p, low, high)``: the share of successes and its Wilson score interval.

    Wilson (1927), *JASA* 22:209; better than p ± z·se near 0 and 1.
    """
    if n == 0:
        return math.nan, math.nan, math.nan
    z = float(_st.norm.ppf(0.5 + level / 2))
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return p, max(0.0, centre - half), min(1.0, centre + half)


def fractiles(x: Sequence[float], qs: Sequence[float] = FRACTILES) -> list[float]:
    """Fractiles (linear interpolation) of the finite values of ``x``; NaN if none."""
    a = np.asarray(x, dtype=float)
    a = a[np.isfinite(a)]
    if a.size == 0:
        return [math.nan for _ in qs]
    return [float(v) for v in np.percentile(a, qs)]
