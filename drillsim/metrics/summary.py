"""The summary of a run: every figure the summary, report, MSEL and sweeps present.

:func:`summarize` is the one place that turns a :class:`~drillsim.records.result.RunResult`
into numbers; :func:`summary_dict` is what ``summary.json`` holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.metrics.chemical import chemical_metrics
from drillsim.metrics.evaluation import ObjectiveResult, evaluate
from drillsim.metrics.relief import relief_metrics
from drillsim.metrics.response import (
    INCIDENT_COLUMNS,
    IncidentRow,
    component_fractiles,
    incident_table,
    response_metrics,
    row_dict,
    utilisation,
)
from drillsim.records.result import RunResult


@dataclass(frozen=True)
class Summary:
    """Everything measured in one run."""

    rows: list[IncidentRow]
    metrics: dict[str, float]
    components: dict[str, dict[str, float]]
    objectives: list[ObjectiveResult]
    utilisation: dict[str, float]

    def incident_rows(self) -> tuple[tuple[str, ...], list[list[object]]]:
        """The incident table as (columns, rows of plain values) for ``incidents.csv``."""
        return INCIDENT_COLUMNS, [list(row_dict(r).values()) for r in self.rows]


def summarize(result: RunResult) -> Summary:
    """Measure a run: incident table, metrics, fractiles, objectives, utilisation."""
    rows = incident_table(result)
    metrics = response_metrics(result, rows) | relief_metrics(result) | chemical_metrics(result)
    return Summary(rows, metrics, component_fractiles(rows),
                   evaluate(result.scenario.objectives, metrics), utilisation(result))


def _clean(value: object) -> object:
    """JSON-safe value: NaN becomes null, infinity the string 'inf', floats rounded."""
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if math.isinf(value):
            return "inf"
        return round(value, 3)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def summary_dict(result: RunResult, summary: Summary, world=None) -> dict[str, object]:
    """The summary as plain data (what ``summary.json`` holds). With the run's ``world``
    (:class:`drillsim.network.world.World`) a chemical drill's threat zones by weather
    state and level are added under ``chemical_zones``
    (:func:`drillsim.metrics.chemical.zone_reach_dict`), and the ERG protective-action
    square the order used and who lives in it under ``chemical_downwind_square``
    (:func:`drillsim.metrics.chemical.downwind_reach_dict`; empty when the order gave it no
    action)."""
    from drillsim.metrics.chemical import downwind_reach_dict, zone_reach_dict

    s = result.scenario
    extra = {"chemical_zones": zone_reach_dict(result, world),
             "chemical_downwind_square": downwind_reach_dict(result, world)} \
        if world is not None and s.chemical is not None else {}
    return _clean({
        "scenario": s.name,
        "scenario_zh": s.name_zh,
        "start": s.start.isoformat(),
        "duration_s": s.duration,
        "seed": result.seed,
        "incidents": len(summary.rows),
        "scripted_incidents": sum(not r.background for r in summary.rows),
        "metrics": summary.metrics,
        "components_s": summary.components,
        "objectives": [
            {"id": o.objective.id, "metric": o.objective.metric, "target": o.objective.target,
             "value": o.value, "unit": o.unit, "status": o.status}
            for o in summary.objectives
        ],
        "utilisation": summary.utilisation,
        **extra,
    })
