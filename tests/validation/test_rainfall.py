"""Design rain: the Tianjin formula against published station depths; the Chicago storm."""

import math

import numpy as np
import pytest

from drillsim.hazards.pluvial_flood import (
    TIANJIN_HANDBOOK,
    RainSeries,
    StormFormula,
    chicago_hyetograph,
    rain_series,
)

# Design depths (mm) of the central-city station 天津站, annual-maximum sampling
# (李明财, 任雨, 熊明明, 杨艳娟 2012, 天津市设计暴雨的空间分布特征, 地理科学 32(12):1538-1544,
# Table 1, 最大值法), by duration (min) and return period (years).
PUBLISHED_MM = {
    30: {1: 24.83, 2: 31.26, 3: 35.02, 5: 39.75, 10: 46.18, 20: 52.61, 50: 61.11},
    60: {1: 33.19, 2: 41.78, 3: 46.81, 5: 53.14, 10: 61.73, 20: 70.33, 50: 81.69},
    120: {1: 42.99, 2: 54.13, 3: 60.64, 5: 68.84, 10: 79.97, 20: 91.10, 50: 105.81},
}
PUBLISHED_60MIN_MM = {p: PUBLISHED_MM[60][p] for p in (1, 5, 10, 50)}

# The tolerance is the sampling uncertainty of the published depths themselves. For a
# Gumbel fit to n annual maxima the standard error of the T-year depth is
# SE = (s/√n)·√(1 + 1.1396·K_T + 1.1·K_T²), K_T = −(√6/π)(0.5772 + ln ln(T/(T − 1)))
# (Kite 1977, Frequency and Risk Analyses in Hydrology, ch. 8). s follows from the table
# itself, s = (x50 − x10)/(K50 − K10) per duration; n = 50 years of minute records
# (ASSUMPTION: the paper's record runs to about 2010; a shorter one only widens the
# tolerance). A formula depth must lie within 1.96·SE of the station's depth. 1-year
# depths are left out: T = 1 has no Gumbel quantile.
RECORD_YEARS = 50
CHECKED_PERIODS = (2, 3, 5, 10, 20, 50)

# GB 50014-2021 (室外排水设计标准) §4.1 asks a fitted storm-intensity formula to keep
# the mean relative root-mean-square deviation from the station data within 5 % where
# rain is intense, over return periods 2-20 years.
FIT_RMS = 0.05

# A formula seen quoted for Tianjin; it is not the default because it overstates the
# published depths by 73-86 %.
QUOTED_ALTERNATIVE = StormFormula(A=2141.0, C=0.7562, b=7.0838, n=0.6)


def gumbel_k(period_y: float) -> float:
    """Gumbel frequency factor K_T (method of moments)."""
    return -math.sqrt(6) / math.pi * (0.5772 + math.log(math.log(period_y / (period_y - 1))))


def station_se_mm(duration_min: int, period_y: float) -> float:
    """Standard error of the station's T-year depth, mm (Kite 1977, Gumbel)."""
    table = PUBLISHED_MM[duration_min]
    s = (table[50] - table[10]) / (gumbel_k(50) - gumbel_k(10))
    k = gumbel_k(period_y)
    return s / math.sqrt(RECORD_YEARS) * math.sqrt(1 + 1.1396 * k + 1.1 * k * k)


@pytest.mark.parametrize("period", CHECKED_PERIODS)
@pytest.mark.parametrize("duration", sorted(PUBLISHED_MM))
def test_default_formula_within_the_station_depths_sampling_error(duration, period):
    depth = TIANJIN_HANDBOOK.depth_mm(duration, period)
    published = PUBLISHED_MM[duration][period]
    assert abs(depth - published) <= 1.96 * station_se_mm(duration, period)


def station_gumbel_mm(duration_min: int, period_y: float) -> float:
    """The station's T-year depth on the Gumbel line through its 10- and 50-year depths, mm
    (derived, not published: the paper's table stops at 50 years)."""
    table = PUBLISHED_MM[duration_min]
    s = (table[50] - table[10]) / (gumbel_k(50) - gumbel_k(10))
    return table[50] + s * (gumbel_k(period_y) - gumbel_k(50))


def test_station_table_follows_its_gumbel_line_in_the_upper_tail():
    # the published 20-year depths lie on the line through 10 and 50 years to 0.2 %: the
    # line may carry the table to 100 years
    for d in PUBLISHED_MM:
        assert station_gumbel_mm(d, 20) == pytest.approx(PUBLISHED_MM[d][20], rel=0.002)


@pytest.mark.parametrize("duration", sorted(PUBLISHED_MM))
def test_default_formula_at_100_years_within_the_extrapolated_station_depth_error(duration):
    # 100 years: beyond the published table; the station depth is extrapolated on its
    # Gumbel line (67.4, 90.1, 116.7 mm at 30, 60, 120 min) and the tolerance is its
    # sampling error at 100 years (±18.7 %); the formula is +4.7 %, +3.0 %, −2.5 %
    depth = TIANJIN_HANDBOOK.depth_mm(duration, 100)
    station = station_gumbel_mm(duration, 100)
    assert abs(depth - station) <= 1.96 * station_se_mm(duration, 100)


def test_default_formula_fits_as_the_drainage_standard_asks():
    errors = [TIANJIN_HANDBOOK.depth_mm(d, p) / PUBLISHED_MM[d][p] - 1
              for d in PUBLISHED_MM for p in (2, 3, 5, 10, 20)]
    assert math.sqrt(np.mean(np.square(errors))) <= FIT_RMS


def test_the_tolerance_is_the_published_scatter_not_slack():
    # 1.96·SE is 9-18 % of the depth here; the quoted alternative formula, 70-90 % high,
    # falls outside it everywhere
    for d in PUBLISHED_MM:
        for p in CHECKED_PERIODS:
            rel = 1.96 * station_se_mm(d, p) / PUBLISHED_MM[d][p]
            assert 0.05 < rel < 0.25
            assert abs(QUOTED_ALTERNATIVE.depth_mm(d, p) - PUBLISHED_MM[d][p]) \
                > 1.96 * station_se_mm(d, p)


def test_default_storm_depth_spread_is_the_50_year_sampling_error():
    from drillsim.scenarios.schema import FloodUncertainty

    for d in PUBLISHED_MM:
        rel = station_se_mm(d, 50) / PUBLISHED_MM[d][50]
        assert FloodUncertainty().storm_depth_sd == pytest.approx(rel, abs=0.005)


@pytest.mark.parametrize("period", sorted(PUBLISHED_60MIN_MM))
def test_quoted_alternative_overstates_by_about_80_percent(period):
    excess = QUOTED_ALTERNATIVE.depth_mm(60, period) / PUBLISHED_60MIN_MM[period] - 1
    assert 0.70 < excess < 0.90


def test_units():
    # 1 L/(s·ha) over an hour is 0.36 mm.
    flat = StormFormula(A=1.0, C=0.0, b=0.0, n=0.0)
    assert flat.intensity(60, 1) == 1.0
    assert flat.depth_mm(60, 1) == pytest.approx(0.36)
    with pytest.raises(ValueError):
        flat.intensity(60, 0)


# Chicago storm -----------------------------------------------------------------------------

@pytest.mark.parametrize("period", [1, 5, 50])
@pytest.mark.parametrize("ratio", [0.0, 0.35, 0.4, 0.5, 1.0])
def test_blocks_sum_to_idf_depth(period, ratio):
    blocks = chicago_hyetograph(TIANJIN_HANDBOOK, period, 120, ratio, 5)
    assert len(blocks) == 24
    assert np.all(blocks > 0)
    # Closed-form mass curve: floating-point error only.
    assert blocks.sum() * 5 / 60 == pytest.approx(TIANJIN_HANDBOOK.depth_mm(120, period),
                                                  rel=1e-12)


@pytest.mark.parametrize("ratio", [0.1, 0.375, 0.4, 0.5, 0.9])
def test_peak_block_at_peak_ratio(ratio):
    blocks = chicago_hyetograph(TIANJIN_HANDBOOK, 10, 120, ratio, 5)
    k = ratio * 120 / 5
    expected = {min(int(k), 23)} if k != int(k) else {int(k) - 1, int(k)}
    assert int(np.argmax(blocks)) in expected


@pytest.mark.parametrize("window_min", [15, 30, 60, 90, 120])
def test_centred_window_holds_idf_depth_when_aligned(window_min):
    # r = 0.4, T = 150 min: the peak is at 60 min and r·D = 6, 12, 24, 36, 48 min is a whole
    # number of 3-min steps, so the centred window is a run of whole blocks: exact.
    step, r = 3.0, 0.4
    blocks = chicago_hyetograph(TIANJIN_HANDBOOK, 5, 150, r, step)
    first = round((60 - r * window_min) / step)
    n = round(window_min / step)
    depth = blocks[first:first + n].sum() * step / 60
    assert depth == pytest.approx(TIANJIN_HANDBOOK.depth_mm(window_min, 5), rel=1e-12)


@pytest.mark.parametrize("window_min", [10, 20, 30, 60, 90])
def test_most_intense_window_is_idf_depth_to_discretisation_error(window_min):
    # r = 0.37 puts the peak inside a block: the best run of whole blocks of length D can
    # only approach the IDF depth H(D), from below (no window beats the centred one).
    step = 5.0
    blocks = chicago_hyetograph(TIANJIN_HANDBOOK, 5, 120, 0.37, step)
    n = round(window_min / step)
    best = max(blocks[i:i + n].sum() for i in range(len(blocks) - n + 1)) * step / 60
    idf = TIANJIN_HANDBOOK.depth_mm(window_min, 5)
    assert best <= idf * (1 + 1e-12)
    # Misalignment moves part of one step of rain at the window's edges, where the two
    # edge intensities are nearly equal; with 5-min blocks the computed shortfall is
    # 0.01-0.9 %, so 2 % is a discretisation bound, not slack.
    assert best >= idf * (1 - 0.02)


def test_longer_return_period_rains_more_in_every_block():
    low = chicago_hyetograph(TIANJIN_HANDBOOK, 2, 180, 0.4, 5)
    high = chicago_hyetograph(TIANJIN_HANDBOOK, 20, 180, 0.4, 5)
    assert np.all(high > low)


def test_hyetograph_rejects_bad_input():
    with pytest.raises(ValueError):
        chicago_hyetograph(TIANJIN_HANDBOOK, 5, 100, 0.4, 7)
    with pytest.raises(ValueError):
        chicago_hyetograph(TIANJIN_HANDBOOK, 5, 120, 1.2, 5)


# Rain series -----------------------------------------------------------------------------

def test_series_from_hyetograph_integrates_exactly():
    blocks = chicago_hyetograph(TIANJIN_HANDBOOK, 10, 120, 0.4, 5)
    series = RainSeries.from_blocks(blocks, 300.0, start_s=600.0)
    assert series.depth_mm(0, 1e6) == pytest.approx(TIANJIN_HANDBOOK.depth_mm(120, 10), rel=1e-12)
    assert series.intensity_mm_h(599.9) == 0.0
    assert series.intensity_mm_h(600.0) == blocks[0]
    assert series.intensity_mm_h(600.0 + 7200.0) == 0.0
    # half of the third block
    assert series.depth_mm(1200, 1350) == pytest.approx(blocks[2] * 150 / 3600)
    assert series.breakpoints[0] == 600.0 and series.breakpoints[-1] == 7800.0


def test_designer_series():
    s = rain_series([0, 600, 1800], [0, 60, 10])
    assert s.intensity_mm_h(0) == 0 and s.intensity_mm_h(900) == 60
    assert s.intensity_mm_h(1e7) == 10  # the last value holds
    assert s.depth_mm(0, 1800) == pytest.approx(20.0)
    assert s.depth_mm(0, math.inf) == math.inf
    assert s.breakpoints == (600.0, 1800.0)
    ended = rain_series([0, 600, 1800], [30, 60])  # one more time: the rain stops
    assert ended.intensity_mm_h(1800) == 0 and ended.depth_mm(0, 1e9) == pytest.approx(25.0)
    assert ended.breakpoints == (0.0, 600.0, 1800.0)


@pytest.mark.parametrize("times, values, words", [
    ([60, 600], [10, 20], "start at time 0"),
    ([0, 600, 600], [10, 20, 0], "increase strictly"),
    ([0, 600, 300], [10, 20, 0], "increase strictly"),
    ([0, 600], [10, -1], "≥ 0"),
    ([0], [], "empty"),
    ([0, 1, 2, 3], [1], "times for"),
])
def test_designer_series_rejects_bad_input_plainly(times, values, words):
    with pytest.raises(ValueError, match=words):
        rain_series(times, values)
