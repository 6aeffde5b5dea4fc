"""Intervals that cover the true value at about the nominal rate."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from drillsim.sweep.stats import fractiles, t_interval, wilson


def _binomial_band(n: int, p: float = 0.95) -> tuple[float, float]:
    """Where the coverage count of n independent 95 % intervals falls with probability 0.998."""
    lo, hi = stats.binom.ppf([0.001, 0.999], n, p)
    return lo / n, hi / n


def test_t_interval_basics():
    n, mean, sd, lo, hi = t_interval([1.0, 2.0, 3.0, float("nan")])
    assert (n, mean, sd) == (3, 2.0, 1.0)
    half = stats.t.ppf(0.975, 2) / math.sqrt(3)
    assert lo == pytest.approx(2 - half) and hi == pytest.approx(2 + half)
    assert t_interval([5.0])[:2] == (1, 5.0) and math.isnan(t_interval([5.0])[3])
    assert t_interval([])[0] == 0


def test_wilson_known_values():
    # Wilson (1927) / Newcombe (1998) table: 0 of 10 -> [0, 0.2775]; 5 of 10 -> [0.2366, 0.7634]
    assert wilson(0, 10)[1:] == pytest.approx((0.0, 0.2775), abs=1e-4)
    assert wilson(5, 10)[1:] == pytest.approx((0.2366, 0.7634), abs=1e-4)
    assert math.isnan(wilson(0, 0)[0])


def test_fractiles():
    assert fractiles(list(range(11))) == [1.0, 5.0, 9.0]


def test_t_interval_covers_a_known_mean_at_the_nominal_rate():
    rng = np.random.default_rng(20260715)
    trials, n = 2000, 20
    sigma = 0.4
    true_mean = 60.0 * math.exp(sigma**2 / 2)   # lognormal, like a turnout time
    hits = 0
    for _ in range(trials):
        _, _, _, lo, hi = t_interval(60.0 * np.exp(sigma * rng.standard_normal(n)))
        hits += lo <= true_mean <= hi
    lo_band, hi_band = _binomial_band(trials)
    # the t interval is slightly conservative-to-liberal on skewed data: allow 1.5 points
    assert lo_band - 0.015 <= hits / trials <= hi_band


def test_wilson_covers_a_known_probability():
    rng = np.random.default_rng(7)
    trials, n, p = 2000, 40, 0.8
    k = rng.binomial(n, p, size=trials)
    hits = sum(lo <= p <= hi for _, lo, hi in (wilson(int(x), n) for x in k))
    lo_band, hi_band = _binomial_band(trials)
    assert lo_band - 0.01 <= hits / trials <= hi_band + 0.01


@pytest.mark.slow
def test_sweep_interval_covers_the_known_turnout_mean(tmp_path):
    """A drill with one alarm call whose only random part is the first unit's turnout:
    lognormal, median 50 s and p90 70 s, so its mean is known; the sweep's interval for
    turnout_p90 (here: that single turnout) covers it in about 95 % of sweeps."""
    from drillsim.sweep import load_experiment, run_sweep

    base = tmp_path / "one-call.yaml"
    base.write_text("""\
name: one alarm call
start: 2026-07-15 10:00
duration: "01:00"
seed: 1
dispatch: {processing: 30 s}
incidents:
  - {id: A1, kind: alarm, at: "10:05", location: xigu_park, work_time: 5 min}
""", encoding="utf-8")
    sigma = math.log(70 / 50) / stats.norm.ppf(0.9)
    true_mean = 50 * math.exp(sigma**2 / 2)
    sweeps, hits = 100, 0
    for k in range(sweeps):
        exp = tmp_path / f"e{k}.yaml"
        exp.write_text(f"base: {base}\nseed: {1000 + k}\nreplications: 20\n"
                       "metrics: [turnout_p90]\nvariants: [{name: only}]\n", encoding="utf-8")
        r = run_sweep(load_experiment(exp), tmp_path / f"o{k}", workers=1, plots=False)
        row = r.summary[r.summary.measure == "turnout_p90"].iloc[0]
        hits += row.ci_low <= true_mean <= row.ci_high
    lo_band, hi_band = _binomial_band(sweeps)
    assert lo_band - 0.02 <= hits / sweeps <= hi_band
