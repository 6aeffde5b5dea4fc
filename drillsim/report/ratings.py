"""Objective ratings: the HSEEP P/S/M/U scale and the Chinese 4-level score.

Every rating comes from one explicit rule applied to the measured value ``v`` of
the objective's metric and its target ``T`` (both in the metric's unit). The
*relative gap* is how far the measurement is from the target, in the bad
direction, as a share of the target::

    d = (v - T) / max(|T|, u)     when lower is better  (targets "<=", "<")
    d = (T - v) / max(|T|, u)     when higher is better (targets ">=", ">")

where ``u`` is one unit of the metric (1 s, 1 kW, 1 call, or 1 percentage point
for shares) so that a target of 0 does not divide by zero. ``d < 0`` means
better than the target.

=====  ======  ======  ===================================================
HSEEP  中文    score   rule
=====  ======  ======  ===================================================
P      优      95      target met and d <= -10 % (met with a margin of at
                       least 10 %), or the value is the best possible (0 for
                       a count, 100 % for a share)
S      良      82      target met with a margin under 10 %
M      中      67      target not met, by at most 25 % (0 < d <= 25 %)
U      差      40      target not met by more than 25 % (d > 25 %)
U      差      0       not measured: the drill did not exercise the metric
=====  ======  ======  ===================================================

The scale follows the HSEEP After-Action Report (P: performed without
challenges, S: with some challenges, M: with major challenges, U: unable to be
performed). The 100-point score and the grades 优 (>= 90), 良 (75-89), 中
(60-74), 差 (< 60) follow the practice of AQ/T 9009-2015 and GB/T 46792-2025
(converting evaluation results into a score); the overall score is the mean of
the objective scores with equal weights, except that a *critical* objective (the
plan's own target, ``critical: true`` in the drill file) not met or not measured
caps it at :data:`CRITICAL_CAP`, the top of the lowest grade 差: a drill that misses
the plan's target fails, however well the rest went.

A rating must not contradict the records: a met objective whose own subject the records
show failing (an incident still uncontrolled at the end among the calls it covers,
:func:`drillsim.metrics.evaluation.covered_failures`; or, for a median or 90th percentile
met, cases beyond the target themselves, :func:`drillsim.metrics.evaluation.cases_beyond`:
6 of 63 rescue calls reached after 30 min; or, for "every call answered", calls it counts
reached late, :func:`drillsim.metrics.evaluation.calls_late`) is rated at most S / 良
(:func:`capped`, rule ``contradicted``), and the report says why beside the rating.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.evaluation import LATE_CALL_S, ObjectiveResult
from drillsim.metrics.standards import FLOOD_RESCUE_TARGET_S

MARGIN_P = 0.10
"""A met objective is rated P when it beats its target by at least this share."""
SHORTFALL_M = 0.25
"""A missed objective is rated M when it misses by at most this share, else U."""

CRITICAL_CAP = 59.0
"""The highest overall score when a critical objective failed: the top of 差 (< 60)."""

CONTRADICTED_CAP = "S"
"""The highest rating of a met objective whose own records show its subject failing."""

SCORES = {"P": 95, "S": 82, "M": 67, "U": 40}
SCORE_NOT_MEASURED = 0
GRADE_FLOORS = (("优", 90), ("良", 75), ("中", 60))
"""The lowest score of each grade above 差, best first."""
ZH_LEVEL = {"P": "优", "S": "良", "M": "中", "U": "差"}
LEVEL_TEXT = {"P": "rating.level_p", "S": "rating.level_s", "M": "rating.level_m",
              "U": "rating.level_u"}
"""What each HSEEP level means (wording keys)."""
_UNIT_FLOOR = {"seconds": 1.0, "kW": 1.0, "count": 1.0, "share": 0.01}


@dataclass(frozen=True)
class Rating:
    """The rating of one objective.

    Attributes
    ----------
    code
        ``P``, ``S``, ``M`` or ``U``.
    gap
        The relative gap ``d`` (negative: better than the target; NaN: not measured).
    score
        Points out of 100.
    rule
        Which rule produced it: ``ideal``, ``margin``, ``narrow``, ``short``,
        ``far`` or ``not_measured``.
    """

    code: str
    gap: float
    score: int
    rule: str

    @property
    def zh(self) -> str:
        return ZH_LEVEL[self.code]


def relative_gap(metric: str, op: str, target: float, value: float) -> float:
    """The relative gap ``d`` of a measured value against its target (see module doc)."""
    floor = _UNIT_FLOOR[METRICS[metric].unit]
    scale = max(abs(target), floor)
    if op in ("<=", "<"):
        return (value - target) / scale
    return (target - value) / scale


def _ideal(metric: str, op: str, value: float) -> bool:
    unit = METRICS[metric].unit
    if op in ("<=", "<"):
        return unit in ("count", "share") and value <= 0
    return unit == "share" and value >= 1.0


def rate(res: ObjectiveResult) -> Rating:
    """Rate one objective from its measured value (see the module doc for the rules)."""
    obj = res.objective
    op, target = obj.bound()
    if res.status == "not_measured" or math.isnan(res.value):
        return Rating("U", math.nan, SCORE_NOT_MEASURED, "not_measured")
    d = relative_gap(obj.metric, op, target, res.value)
    if res.status == "met":
        if _ideal(obj.metric, op, res.value):
            return Rating("P", d, SCORES["P"], "ideal")
        if d <= -MARGIN_P + 1e-12:
            return Rating("P", d, SCORES["P"], "margin")
        return Rating("S", d, SCORES["S"], "narrow")
    if d <= SHORTFALL_M + 1e-12:
        return Rating("M", d, SCORES["M"], "short")
    return Rating("U", d, SCORES["U"], "far")


def capped(rating: Rating) -> Rating:
    """A rating capped at :data:`CONTRADICTED_CAP` (``contradicted``): the target was met, but
    the records show a failure the objective's subject covers. S and below are kept as they
    are."""
    if SCORES[rating.code] <= SCORES[CONTRADICTED_CAP]:
        return rating
    return Rating(CONTRADICTED_CAP, rating.gap, SCORES[CONTRADICTED_CAP], "contradicted")


def grade(score: float) -> str:
    """The Chinese 4-level grade of a 100-point score: 优 >= 90, 良 >= 75, 中 >= 60, else 差."""
    if math.isnan(score):
        return "—"
    return next((g for g, floor in GRADE_FLOORS if score >= floor), "差")


def mean_score(ratings: list[Rating]) -> float:
    """Mean of the objective scores (NaN without objectives)."""
    return sum(r.score for r in ratings) / len(ratings) if ratings else math.nan


def overall(ratings: list[Rating], critical_failed: bool = False) -> float:
    """Overall score: :func:`mean_score`, capped at :data:`CRITICAL_CAP` when a critical
    objective failed (``critical_failed``)."""
    score = mean_score(ratings)
    return min(score, CRITICAL_CAP) if critical_failed else score


RULE_TEXT = {
    "ideal": "rating.rule_ideal",
    "margin": "rating.rule_margin",
    "narrow": "rating.rule_narrow",
    "short": "rating.rule_short",
    "far": "rating.rule_far",
    "not_measured": "rating.rule_not_measured",
    "contradicted": "rating.rule_contradicted",
}
"""The rule behind each rating, stated for the reader (wording keys; fill them with
:func:`rule_fields`)."""


def rule_fields() -> dict[str, str]:
    """The numbers the rules are stated with, from the constants the ratings use: the
    margin of P and the shortfall of M (per cent), the overall cap of a failed critical
    objective, and the grade floors (``p``, ``s``, ``m``: the lowest score of 优, 良, 中)."""
    floors = dict(GRADE_FLOORS)
    return {"margin": f"{MARGIN_P * 100:g}", "shortfall": f"{SHORTFALL_M * 100:g}",
            "cap": f"{CRITICAL_CAP:g}", "p": str(floors["优"]), "s": str(floors["良"]),
            "m": str(floors["中"]), "p_below": str(floors["优"] - 1),
            "s_below": str(floors["良"] - 1), "late": f"{LATE_CALL_S / 60:g}",
            "rescue": f"{FLOOD_RESCUE_TARGET_S / 60:g}"}
