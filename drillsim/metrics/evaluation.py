"""Objectives against measured metrics: met, not met, or not measured."""

from __future__ import annotations

import math
import operator
from dataclasses import dataclass

from drillsim.metrics.catalog import METRICS
from drillsim.scenarios.schema import Objective

_OPS = {"<=": operator.le, "<": operator.lt, ">=": operator.ge, ">": operator.gt}


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


def evaluate(objectives: list[Objective], metrics: dict[str, float]) -> list[ObjectiveResult]:
    """Mark each objective met or not from the measured metrics."""
    out = []
    for obj in objectives:
        value = metrics.get(obj.metric, math.nan)
        op, target = obj.bound()
        if math.isnan(value):
            status = "not_measured"
        else:
            status = "met" if _OPS[op](value, target) else "not_met"
        out.append(ObjectiveResult(obj, value, status))
    return out
