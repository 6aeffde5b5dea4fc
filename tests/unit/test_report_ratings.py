"""Ratings follow their rules just inside and just outside every boundary."""

from __future__ import annotations

import math

import pytest

from drillsim.metrics.evaluation import evaluate
from drillsim.report.ratings import grade, overall, rate, relative_gap
from drillsim.scenarios.schema import Objective


def _rate(metric: str, target: str, value: float):
    obj = Objective(id="O1", metric=metric, target=target)
    return rate(evaluate([obj], {metric: value})[0])


@pytest.mark.parametrize("value, code, rule", [
    (270.0, "P", "margin"),     # 10 % better than 300 s: P (boundary inclusive)
    (271.0, "S", "narrow"),     # 9.7 % better: S
    (300.0, "S", "narrow"),     # exactly on target: met, no margin
    (301.0, "M", "short"),      # just missed
    (375.0, "M", "short"),      # missed by exactly 25 %: M
    (376.0, "U", "far"),        # missed by more than 25 %: U
    (math.nan, "U", "not_measured"),
])
def test_lower_is_better_boundaries(value, code, rule):
    r = _rate("dispatch_to_arrival_p90", "<= 5 min", value)
    assert (r.code, r.rule) == (code, rule)


@pytest.mark.parametrize("value, code", [
    (0.99, "P"),    # 0.9 * 1.1 = 0.99: 10 % better
    (0.98, "S"),
    (0.90, "S"),
    (0.89, "M"),
    (0.675, "M"),   # 25 % short of 0.9
    (0.67, "U"),
    (1.0, "P"),     # best possible share
])
def test_higher_is_better_boundaries(value, code):
    assert _rate("five_minute_share", ">= 90 %", value).code == code


def test_best_possible_value_is_p_even_without_relative_margin():
    assert _rate("calls_unmet", "<= 0", 0.0).code == "P"
    assert _rate("nfpa_turnout_share", ">= 95 %", 1.0).code == "P"
    r = _rate("calls_unmet", "<= 0", 1.0)   # one unmet call against 0: 100 % over
    assert r.code == "U" and r.gap == pytest.approx(1.0)


def test_strict_target_on_the_bound_is_missed():
    assert _rate("first_arrival_p90", "< 8 min", 480.0).code == "M"


def test_gap_sign_and_scores_and_grades():
    assert relative_gap("first_arrival_p90", "<=", 300.0, 240.0) == pytest.approx(-0.2)
    assert relative_gap("five_minute_share", ">=", 0.9, 0.81) == pytest.approx(0.1)
    ratings = [_rate("first_arrival_p90", "<= 5 min", v) for v in (200.0, 290.0, 330.0)]
    assert [r.score for r in ratings] == [95, 82, 67]
    assert overall(ratings) == pytest.approx((95 + 82 + 67) / 3)
    grades = [grade(s) for s in (90, 89.9, 75, 74.9, 60, 59.9)]
    assert grades == ["优", "良", "良", "中", "中", "差"]
    assert _rate("first_arrival_p90", "<= 5 min", math.nan).score == 0


def test_a_failure_the_records_show_caps_a_met_objective_at_s():
    """Every call reached (0 unmet) while a fire still burns: S at most, never P; a
    rescue still being worked at the end is no failure; a missed objective keeps its
    rating; an objective on another subject (relief) is not touched."""
    from drillsim.metrics.evaluation import covered_failures
    from drillsim.metrics.response import FireState
    from drillsim.report.ratings import capped

    met = evaluate([Objective(id="O3", metric="calls_unmet", target="<= 0")],
                   {"calls_unmet": 0.0})[0]
    missed = evaluate([Objective(id="O3", metric="calls_unmet", target="<= 0")],
                      {"calls_unmet": 2.0})[0]
    relief = evaluate([Objective(id="O4", metric="relief_share_10h", target=">= 90%")],
                      {"relief_share_10h": 1.0})[0]

    class Row:  # the two fields covered_failures reads of an IncidentRow
        def __init__(self, incident, kind, first_arrival):
            self.incident, self.kind, self.first_arrival = incident, kind, first_arrival

    rows = [Row("BG001", "fire", 600.0), Row("BG018", "rescue", 900.0),
            Row("BG020", "alarm", math.nan)]
    burning = FireState("BG001", 1000.0, 21_500.0, 3.0, 30.0)
    rescue = FireState("BG018", math.nan, math.nan, math.nan, math.nan)
    unreached = FireState("BG020", math.nan, math.nan, math.nan, math.nan)
    states = [burning, rescue, unreached]
    assert covered_failures(met, states, rows) == [burning, unreached]
    assert covered_failures(met, [rescue], rows) == []
    assert covered_failures(missed, states, rows) == []
    assert covered_failures(relief, states, rows) == []
    assert rate(met).code == "P"
    c = capped(rate(met))
    assert (c.code, c.score, c.rule) == ("S", 82, "contradicted")
    assert capped(rate(missed)) == rate(missed)
