"""Public warning measures (indicator 7 of the plan: coverage ≥ 95 %).

Coverage over time comes from the ``warning_issued``, ``warning`` and
``warning_target`` records; the channels and what each contributes from the drill's
warning spec and :mod:`drillsim.hazards.warning`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from drillsim.hazards.warning import (
    Channel,
    awake_share,
    channels_for,
    coverage,
    max_coverage,
    time_to_coverage,
)
from drillsim.metrics.response import run_end
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
    without
        Coverage of the other channels together at the time the needs are judged
        (:attr:`WarningChannels.judged_s`), 0-1.
    needed
        Whether the other channels together fall short of the warning target then
        (``without`` below it).
    """

    name: str
    reach: float
    first_s: float
    full_s: float
    without: float
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
    judged_s
        From the warning's issue to the time the needs are judged at, s: the drill's end.
    reached
        Whether the drill reached the target.
    """

    target: float
    channels: tuple[ChannelMeasure, ...]
    max_share: float
    bottleneck: ChannelMeasure | None
    judged_s: float
    reached: bool


def warning_channels(result: RunResult) -> WarningChannels | None:
    """The warning channels of the drill and which ones the target needs (None: no warning).

    A channel is needed when the other channels together would not have reached the
    target by the drill's end: judged within the drill, not on what the channels would
    reach eventually, long after it (review 7), and not at the moment the drill reached
    the target, when every channel that had reached anyone is needed by construction
    (review 8).
    """
    spec = result.scenario.warning
    if spec is None:
        return None
    chans = channels_of(result.scenario)
    issued = warning_issued_at(result)
    hit = next((r.t for r in result.records if r.event == "warning_target"), None)
    judged = run_end(result) - issued
    rows = []
    for c in chans:
        without = float(coverage([x for x in chans if x is not c], judged))
        rows.append(ChannelMeasure(c.name, c.full_reach, c.delay_s, c.full_s, without,
                                   without < spec.target))
    needed = [r for r in rows if r.needed]
    slow = max(needed, key=lambda r: r.full_s) if needed else None
    return WarningChannels(spec.target, tuple(rows), max_coverage(chans), slow, judged,
                           hit is not None)


@dataclass(frozen=True)
class SleepGap:
    """A night warning whose target came only as sleepers got up and read the messages left
    overnight (:meth:`drillsim.hazards.warning.ChannelProfile.at`).

    Attributes
    ----------
    asleep
        Share of residents asleep when the warning went out (at the decision), 0-1.
    within_s
        The window the target asks for (from the decision), s.
    share
        Coverage within the window, 0-1 (the model the engine plays).
    deferred
        Each channel that reaches people only on their getting up, and the share of the
        public it reaches so, 0-1 (largest first).
    waking
        Each channel that reached people within the window (the awake and those it woke),
        and the share of the public it reached in it, 0-1 (largest first).
    wake_needed
        Share of the public a further channel, independent of these and reaching people at
        once (waking them), would have to reach within the window for the target:
        1 − (1 − target) / (1 − share) (channels independent, as the model takes them).
    """

    asleep: float
    within_s: float
    share: float
    deferred: tuple[tuple[str, float], ...]
    waking: tuple[tuple[str, float], ...]
    wake_needed: float


def sleep_gap(result: RunResult, within_s: float) -> SleepGap | None:
    """Why a night warning missed its window, when the reason is sleep: the target was
    reached only once the messages left overnight were read (without the share the
    channels reach on waking, the target would come later or never), and not within
    ``within_s``. ``None`` otherwise (a day warning, or one that met its window).

    Parameters
    ----------
    result
        The drill's records.
    within_s
        The window the warning target asks for, s after the decision (1 h: indicator 7).
    """
    spec = result.scenario.warning
    if spec is None:
        return None
    chans = channels_of(result.scenario)
    if not any(c.later_reach > 0 for c in chans):
        return None
    now_only = [Channel(c.name, c.reach, c.delay_s, c.ramp_s) for c in chans]
    t_all = time_to_coverage(chans, spec.target)
    if t_all <= within_s or not time_to_coverage(now_only, spec.target) > t_all:
        return None
    share = float(coverage(chans, within_s))
    need = 1.0 - (1.0 - spec.target) / (1.0 - share) if share < 1.0 else 0.0
    by = sorted(((c.name, c.later_reach) for c in chans if c.later_reach > 0),
                key=lambda x: -x[1])
    woke = sorted(((c.name, float(c.share_at(within_s))) for c in now_only
                   if c.share_at(within_s) > 0), key=lambda x: -x[1])
    return SleepGap(1.0 - awake_share(result.scenario.clock_seconds(spec.issued_at)),
                    within_s, share, tuple(by), tuple(woke), need)
