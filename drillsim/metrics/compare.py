"""What changed between runs: every metric and objective of two or more run summaries.

The designer's everyday question, "what changed when I added two trucks?", answered
from the ``summary.json`` of each run folder (:func:`drillsim.records.run_folder.read_summary`).
The first run is the baseline; every other run is compared with it. Each metric's
direction (lower or higher is better) comes from :data:`drillsim.metrics.catalog.METRICS`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from drillsim.metrics.catalog import METRICS

Verdict = Literal["better", "worse", "changed", "same", "new", "lost", "none"]


@dataclass(frozen=True)
class MetricChange:
    """One metric across the runs.

    Attributes
    ----------
    name
        Catalogue name.
    values
        Value in each run, in the metric's unit (NaN: not measured in that run).
    deltas
        Each run minus the baseline (the first is 0 or NaN).
    verdicts
        Each run against the baseline: ``better``, ``worse``, ``changed`` (a metric
        with no better direction), ``same``, ``new`` (measured
        only here), ``lost`` (measured only in the baseline) or ``none`` (in neither).
    """

    name: str
    values: tuple[float, ...]
    deltas: tuple[float, ...]
    verdicts: tuple[Verdict, ...]

    @property
    def changed(self) -> bool:
        """Whether any run differs from the baseline."""
        return any(v not in ("same", "none") for v in self.verdicts[1:])


@dataclass(frozen=True)
class ObjectiveChange:
    """One objective across the runs (``""`` status: the run has no such objective)."""

    id: str
    metric: str
    target: str
    statuses: tuple[str, ...]

    @property
    def changed(self) -> bool:
        return len(set(self.statuses)) > 1


@dataclass(frozen=True)
class Comparison:
    """Runs side by side: what each is, and every metric and objective."""

    labels: tuple[str, ...]
    scenarios: tuple[str, ...]
    scenarios_zh: tuple[str, ...]
    seeds: tuple[int, ...]
    metrics: tuple[MetricChange, ...]
    objectives: tuple[ObjectiveChange, ...]


def _number(v: object) -> float:
    """A ``summary.json`` value as a float: null is NaN, ``"inf"`` is infinity."""
    if v is None:
        return math.nan
    if v == "inf":
        return math.inf
    return float(v)  # type: ignore[arg-type]


def verdict(base: float, value: float, better: str) -> Verdict:
    """How ``value`` compares with ``base`` for a metric where ``better`` is lower/higher."""
    if math.isnan(base) and math.isnan(value):
        return "none"
    if math.isnan(base):
        return "new"
    if math.isnan(value):
        return "lost"
    if value == base:
        return "same"
    if better == "neither":
        return "changed"
    lower = value < base
    return "better" if lower == (better == "lower") else "worse"


def _delta(base: float, value: float) -> float:
    """``value - base``; 0 when equal (also both infinite), NaN when either is missing."""
    if math.isnan(base) or math.isnan(value):
        return math.nan
    return 0.0 if value == base else value - base


def compare(summaries: Sequence[Mapping], labels: Sequence[str]) -> Comparison:
    """Compare run summaries (``summary.json`` data), the first being the baseline.

    Parameters
    ----------
    summaries
        Two or more summaries as :func:`drillsim.metrics.summary.summary_dict` writes them.
    labels
        A short name for each run (its folder name).
    """
    if len(summaries) < 2 or len(labels) != len(summaries):
        raise ValueError("compare needs two or more summaries, each with a label")
    names = [m for m in METRICS if any(m in s.get("metrics", {}) for s in summaries)]
    metrics = []
    for name in names:
        values = tuple(_number(s.get("metrics", {}).get(name)) for s in summaries)
        better = METRICS[name].better
        metrics.append(MetricChange(
            name, values, tuple(_delta(values[0], v) for v in values),
            tuple(verdict(values[0], v, better) for v in values)))
    keyed: dict[tuple[str, str, str], list[str]] = {}
    for k, s in enumerate(summaries):
        for o in s.get("objectives", []):
            statuses = keyed.setdefault((o["id"], o["metric"], str(o["target"])),
                                        [""] * len(summaries))
            statuses[k] = o["status"]
    objectives = tuple(ObjectiveChange(i, m, t, tuple(st)) for (i, m, t), st in keyed.items())
    return Comparison(tuple(labels), tuple(str(s.get("scenario", "")) for s in summaries),
                      tuple(str(s.get("scenario_zh") or s.get("scenario", ""))
                            for s in summaries),
                      tuple(int(s.get("seed", 0)) for s in summaries), tuple(metrics),
                      objectives)
