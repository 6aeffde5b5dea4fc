"""Public warning measures (indicator 7 of the plan: coverage ≥ 95 %).

Coverage over time comes from the ``warning_issued``, ``warning`` and
``warning_target`` records; the channels and what each contributes from the drill's
warning spec and :mod:`drillsim.hazards.warning`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from drillsim.hazards.warning import Channel, channels_for, max_coverage
from drillsim.records.result import RunResult
from drillsim.scenarios.schema import Scenario


def warning_issued_at(result: RunResult) -> float:
    """Drill time the public warning was issued (its ``warning_issued`` record), s (NaN
    when the drill has no warning)."""
    return next((r.t for r in result.records if r.event == "warning_issued"), math.nan)


def warning_metrics(result: RunResult) -> dict[str, float]:
    """Time to reach the warning target, and the share warned one hour after its issue."""
    issued = warning_issued_at(result)
    if math.isnan(issued):
        return {"warning_t95": math.nan, "warning_share_1h": math.nan}
    reached = next((r.t for r in result.records if r.event == "warning_target"), math.inf)
    t, share = warning_curve(result)
    return {"warning_t95": reached - issued,
            "warning_share_1h": float(np.interp(3600.0, t, share)) if t.size else math.nan}


def warning_curve(result: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Share of the public warned against time since the warning's issue (s)."""
    issued = warning_issued_at(result)
    if math.isnan(issued):
        return np.array([]), np.array([])
    pts = [(r.t - issued, float(r.data["share"])) for r in result.records
           if r.event == "warning"]
    t = np.array([0.0] + [p[0] for p in pts])
    return t, np.array([0.0] + [p[1] for p in pts])


def channels_of(scenario: Scenario) -> list[Channel]:
    """The warning channels of a drill at the hour of its decision to warn (the district's
    defaults when it names none; none without a warning):
    :func:`drillsim.hazards.warning.channels_for`, the list the engine's warning model
    plays forward."""
    spec = scenario.warning
    return [] if spec is None else channels_for(spec.channels,
                                                scenario.clock_seconds(spec.issued_at))


@dataclass(frozen=True)
class ChannelMeasure:
    """One warning channel and whether the target needs it.

    Attributes
    ----------
    name
        Channel name.
    reach
        Share of the public it alone eventually reaches, 0-1.
    first_s
        From the warning's issue to the first people reached, s.
    full_s
        From the warning's issue to its full reach, s.
    needed
        Whether the other channels together cannot reach the warning target without it.
    """

    name: str
    reach: float
    first_s: float
    full_s: float
    needed: bool


@dataclass(frozen=True)
class WarningChannels:
    """The channels of the drill's warning, and what they can reach together.

    Attributes
    ----------
    target
        The warning target share, 0-1.
    channels
        Each channel's measure.
    max_share
        Coverage once every channel has run its course, 0-1.
    bottleneck
        Of the needed channels, the one that reaches its full reach last (``None``: none).
    """

    target: float
    channels: tuple[ChannelMeasure, ...]
    max_share: float
    bottleneck: ChannelMeasure | None


def warning_channels(result: RunResult) -> WarningChannels | None:
    """The warning channels of the drill and which ones the target needs (None: no warning)."""
    spec = result.scenario.warning
    if spec is None:
        return None
    chans = channels_of(result.scenario)
    rows = tuple(ChannelMeasure(
        c.name, c.full_reach, c.delay_s, c.full_s,
        max_coverage([x for x in chans if x is not c]) < spec.target) for c in chans)
    needed = [r for r in rows if r.needed]
    slow = max(needed, key=lambda r: r.full_s) if needed else None
    return WarningChannels(spec.target, rows, max_coverage(chans), slow)
