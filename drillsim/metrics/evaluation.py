"""Objectives against measured metrics: met, not met, or not measured."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.response import FireState, IncidentRow
from drillsim.metrics.standards import FIRE_CALLS, FLOOD_RESCUE_TARGET_S
from drillsim.scenarios.schema import Objective

OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


@dataclass(frozen=True)
class ObjectiveResult:
    """One objective's outcome.

    Attributes
    ----------
    status
        ``met``, ``not_met`` or ``not_measured`` (no incident gave the metric a value); a
        critical objective (``objective.critical``) that is not ``met`` fails the drill.
    value
        The measured value in the metric's unit (seconds, share 0-1, count, kW).
    """

    objective: Objective
    value: float
    status: str

    @property
    def unit(self) -> str:
        return METRICS[self.objective.metric].unit


def failed_critical(results: list[ObjectiveResult]) -> list[ObjectiveResult]:
    """The critical objectives (the plan's own targets) not met or not measured, in order."""
    return [r for r in results if r.objective.critical and r.status != "met"]


_ANY_CALL: frozenset[str] = frozenset()
CALL_SUBJECT: dict[str, frozenset[str]] = {
    **{m: _ANY_CALL for m in (
        "first_arrival_p50", "first_arrival_p90", "dispatch_to_arrival_p90", "travel_p90",
        "full_assignment_p90", "five_minute_share", "nfpa_travel_share", "calls_unmet",
        "calls_queued", "mutual_aid_calls")},
    "fire_size_at_first_arrival_p90": frozenset({"fire"}),
    "fire_size_at_full_assignment_max": frozenset({"fire"}),
    "rescue_first_arrival_p90": frozenset({"flood_rescue"}),
    "hazmat_first_arrival": frozenset({"hazmat"}),
}
"""The metrics whose subject is the response to calls, with the incident kinds they cover
(empty: every call). An incident of those kinds that the records show neither controlled nor
cleared at the drill's end is a failure the objective's own subject covers, whatever the
metric's value (every call reached, yet one still burns)."""


def covered_failures(res: ObjectiveResult, states: list[FireState],
                     rows: list[IncidentRow]) -> list[FireState]:
    """The failures the records show within a *met* objective's own subject: the incidents
    of :data:`CALL_SUBJECT` kinds open at the end
    (:func:`drillsim.metrics.response.uncontrolled` gives ``states``) that are a fire still
    burning (a recorded size) or a call no unit reached; a rescue still being worked at the
    end is not a failure. Empty for an objective not met (its rating already says it
    failed) or on another subject.

    The report caps such an objective's rating at S (:mod:`drillsim.report.ratings`) and
    says why beside it: a rating must not contradict the records."""
    kinds = CALL_SUBJECT.get(res.objective.metric)
    if kinds is None or res.status != "met":
        return []
    by_id = {r.incident: r for r in rows}
    return [st for st in states if (not kinds or by_id[st.incident].kind in kinds)
            and (math.isfinite(st.q_kw) or math.isnan(by_id[st.incident].first_arrival))]


FRACTILE_SUFFIXES = ("_p50", "_p90")
"""The metric names of a fractile of cases (a median, a 90th percentile)."""


def cases_beyond(res: ObjectiveResult,
                 cases: list[tuple[str, float]] | None) -> list[tuple[str, float]]:
    """The cases of a *met* fractile objective that are themselves beyond its bound.

    A 90th percentile within its target still lets a tenth of the cases miss it: "trapped
    residents reached within 30 minutes" met at the 90th percentile while 6 of 63 rescue
    calls were reached after 31 min. Those cases are failures the objective's own subject
    covers, and the report caps its rating at S (:mod:`drillsim.report.ratings`), like
    :func:`covered_failures`.

    Parameters
    ----------
    res
        The objective's outcome.
    cases
        The metric's cases, (incident or unit, value in the metric's unit: s, kW), from
        :func:`drillsim.metrics.response.metric_cases`; ``None`` for a metric that is not
        a fractile or share of cases.

    Returns
    -------
    list of (str, float)
        The cases beyond the bound, slowest (largest) first; empty for an objective not
        met, a share (its target already counts the cases that miss) or another metric.
    """
    if res.status != "met" or not cases or not res.objective.metric.endswith(
            FRACTILE_SUFFIXES):
        return []
    op, target = res.objective.bound()
    beyond = [(i, v) for i, v in cases if not OPS[op](v, target)]
    return sorted(beyond, key=lambda c: -c[1] if op in ("<=", "<") else c[1])


LATE_CALL_S = 900.0
"""A fire, rescue or alarm call (or any call other than a flood rescue) first reached more
than this long after the call (s) is reached late: the report names it whatever the
objectives, and a met "every call answered" objective that counts it is capped
(:func:`calls_late`). 15 min, three times the 5-minute rule (建标152-2017), is a labelled
assumption of what an evaluator must hear about."""


def late_after_s(kind: str, rescue_target: float = FLOOD_RESCUE_TARGET_S) -> float:
    """How long after the call a call of ``kind`` may be first reached before it is late, s:
    a flood rescue its call-to-first-arrival target ``rescue_target`` (the drill's
    ``rescue_first_arrival_p90`` bound or :data:`~drillsim.metrics.standards.
    FLOOD_RESCUE_TARGET_S`: :func:`~drillsim.metrics.standards.rescue_target_s`), every
    other call :data:`LATE_CALL_S`."""
    return rescue_target if kind == "flood_rescue" else LATE_CALL_S


def late_calls(rows: list[IncidentRow], rescue_target: float = FLOOD_RESCUE_TARGET_S,
               kinds: tuple[str, ...] | None = FIRE_CALLS) -> list[IncidentRow]:
    """The calls of ``kinds`` (``None``: every kind) first reached later than their kind
    allows (:func:`late_after_s`), or never, in incident-table order."""
    return [r for r in rows if (kinds is None or r.kind in kinds) and not math.isnan(r.call)
            and not r.response <= late_after_s(r.kind, rescue_target)]


ANSWER_METRICS: frozenset[str] = frozenset({"calls_unmet"})
"""The metrics of "every call answered" objectives: met when no call went unanswered, which
says nothing of how long the answer took."""


def calls_late(res: ObjectiveResult, rows: list[IncidentRow],
               rescue_target: float = FLOOD_RESCUE_TARGET_S) -> list[tuple[str, float]]:
    """The calls a *met* "every call answered" objective counts that were reached late.

    "Every everyday call is answered while the warehouse fire burns" met (no call unmet)
    while BG006 waited 62 min for a free engine and was reached 65 min after its call: a
    call answered an hour late is a failure the objective's own subject covers, and the
    report caps its rating at S (:mod:`drillsim.report.ratings`), like
    :func:`covered_failures`. The metric counts every call, so every kind is checked, each
    by its own threshold (:func:`late_after_s`): flood-and-fire's flood rescues reached
    47 min after the call are late against its 30-min rescue target.

    Parameters
    ----------
    res
        The objective's outcome.
    rows
        The incident table (:func:`drillsim.metrics.response.incident_table`).
    rescue_target
        The flood rescue target, s (:func:`~drillsim.metrics.standards.rescue_target_s`).

    Returns
    -------
    list of (str, float)
        (incident, call to first arrival, s) of each call reached later than its kind
        allows, slowest first; empty for an objective not met or on another metric.
    """
    if res.status != "met" or res.objective.metric not in ANSWER_METRICS:
        return []
    late = [(r.incident, r.response) for r in late_calls(rows, rescue_target, kinds=None)
            if math.isfinite(r.response)]
    return sorted(late, key=lambda c: -c[1])


def evaluate(objectives: list[Objective], metrics: dict[str, float]) -> list[ObjectiveResult]:
    """Mark each objective met or not from the measured metrics."""
    out = []
    for obj in objectives:
        value = metrics.get(obj.metric, math.nan)
        op, target = obj.bound()
        if math.isnan(value):
            status = "not_measured"
        else:
            status = "met" if OPS[op](value, target) else "not_met"
        out.append(ObjectiveResult(obj, value, status))
    return out
