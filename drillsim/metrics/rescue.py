"""Water rescue calls of a rainstorm: how many, how many late, queued or helped from outside.

Computed from the incident table (:func:`drillsim.metrics.response.incident_table`):
the rows of kind ``flood_rescue`` that reached the command centre.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from drillsim.metrics.response import IncidentRow


@dataclass(frozen=True)
class RescueCalls:
    """The water rescue calls of a run against a response target.

    Attributes
    ----------
    calls
        Every flood rescue call that was made, in the incident table's order.
    late
        Calls whose call-to-first-arrival time exceeded the target (or were never
        reached), longest first.
    queued
        Calls that waited for a free unit.
    mutual_aid
        Calls that needed help from outside the district.
    first_call
        Drill time of the first call, s (NaN: none).
    """

    calls: tuple[IncidentRow, ...]
    late: tuple[IncidentRow, ...]
    queued: int
    mutual_aid: int
    first_call: float


def rescue_calls(rows: Sequence[IncidentRow], target_s: float) -> RescueCalls:
    """The flood rescue calls among ``rows`` against a response target (s)."""
    calls = tuple(r for r in rows if r.kind == "flood_rescue" and not math.isnan(r.call))
    late = tuple(sorted((r for r in calls if not r.response <= target_s),
                        key=lambda r: -(r.response if math.isfinite(r.response) else 1e12)))
    return RescueCalls(calls, late, sum(r.queued for r in calls),
                       sum(r.mutual_aid for r in calls),
                       min((r.call for r in calls), default=math.nan))
