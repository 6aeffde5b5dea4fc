"""Who leaves a flooded street, and when: graded displacement of ground-floor households.

Water enters a home when the street water at its waterlogging point rises above the
home's ground floor, and its people leave once the water has stood in the home for
their decision delay. The residents of a point (people in low-lying ground-floor homes)
therefore leave a few at a time as the water rises and stays, lowest floors first,
instead of all at once at one depth.

Floor heights
    The height of a home's ground floor above the street is spread uniformly over
    ``median ± spread`` (clipped at 0): the share of homes with water inside at a
    street depth d is F(d) = clip((d − (m − s)) / (2s), 0, 1), a ramp, not a step.
    Anchors: Chinese building code puts the ground floor of a new building at least
    0.15 m above the outside ground (GB 50352-2019, 民用建筑设计统一标准, §5.3 on
    site levels: 室内外高差不应小于0.15 m); older single-storey homes (平房) of
    Xiyuzhuang and Nancang Road stand at or below street level. The default median
    0.3 m and spread 0.2 m (0.1-0.5 m) are an ASSUMPTION bracketing those, with the
    median at the depth the district's point list names for leaving.
    Because F is a ramp of slope 1/(2s), a point's displaced share changes by at most
    Δd / (2s) when its peak depth changes by Δd: the bound the return-period property
    test states.

Decision delay
    Households do not leave the moment water crosses the doorstep: departure times after
    a warning or cue spread over tens of minutes to hours (Lindell, Kang & Prater 2011,
    Natural Hazards 58:1093-1109, on evacuation departure curves; Sorensen 2000, Natural
    Hazards Review 1(2):119-125). For urban waterlogging the spread is taken uniform over
    0 to ``delay_spread`` (default 60 min, ASSUMPTION). If the water leaves the home
    before the delay is over, its people stay: displacement grows with depth *and*
    duration.

Trapped residents
    A share (``trapped_share``) of each leaving household cannot walk out (the frail,
    the elderly, people with small children) and calls for rescue instead; so calls
    arrive as the households decide, spread over the rise of the water.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

GOLDEN = (math.sqrt(5.0) - 1.0) / 2.0
"""The golden-ratio fraction 0.618…, whose multiples mod 1 spread evenly over [0, 1)."""


@dataclass(frozen=True)
class FloorHeights:
    """Ground-floor heights above the street of a point's at-risk homes, uniform.

    Attributes
    ----------
    median_m
        Median floor height, m (half the homes have water inside at this street depth).
    spread_m
        Half-width of the uniform spread, m (0 gives the old all-at-once step).
    """

    median_m: float
    spread_m: float

    def __post_init__(self) -> None:
        if not self.median_m > 0:
            raise ValueError(f"median floor height must be positive, got {self.median_m} m")
        if not self.spread_m >= 0:
            raise ValueError(f"floor-height spread must not be negative, got {self.spread_m} m")

    @property
    def low_m(self) -> float:
        """The lowest floor, m (not below the street)."""
        return max(0.0, self.median_m - self.spread_m)

    @property
    def high_m(self) -> float:
        """The highest floor, m."""
        return self.median_m + self.spread_m

    def share_flooded(self, depth_m: float) -> float:
        """Share of homes with water inside at a street depth, in [0, 1]."""
        lo, hi = self.low_m, self.high_m
        if depth_m >= hi:
            return 1.0
        if depth_m < lo or hi == lo:
            return 0.0
        return (depth_m - lo) / (hi - lo)

    def height_m(self, u: float | np.ndarray) -> float | np.ndarray:
        """The floor height at quantile ``u`` in [0, 1], m (the inverse of the ramp)."""
        return self.low_m + np.asarray(u, dtype=float) * (self.high_m - self.low_m)


@dataclass(frozen=True)
class Household:
    """A group of residents who leave together: their floor height and decision delay."""

    people: int
    floor_m: float
    delay_s: float


def households(residents: int, group_size: int, floors: FloorHeights, delay_spread_s: float,
               u_floor: np.ndarray | None = None,
               u_delay: np.ndarray | None = None) -> list[Household]:
    """Split a point's residents into leaving groups, lowest floors first.

    Parameters
    ----------
    residents
        People in the point's low-lying homes.
    group_size
        People per group (the last group takes the rest).
    floors
        Their floor heights.
    delay_spread_s
        Decision delays are spread over 0 to this, s.
    u_floor, u_delay
        Quantiles in [0, 1) for each group's floor height and delay, one per group;
        ``None`` takes the deterministic choice: the stratified midpoints (k + 0.5) / K for
        the floors, and for the delays the golden-ratio sequence (0.5 + k·0.618…) mod 1,
        evenly spread and not tied to the floor order.

    Returns
    -------
    list of Household
        Sorted by floor height (ground-floor households first).
    """
    if residents <= 0:
        return []
    k = math.ceil(residents / group_size)
    sizes = [min(group_size, residents - i * group_size) for i in range(k)]
    mid = (np.arange(k) + 0.5) / k
    uf = np.sort(np.asarray(u_floor, dtype=float)) if u_floor is not None else mid
    ud = (np.asarray(u_delay, dtype=float) if u_delay is not None
          else (0.5 + np.arange(k) * GOLDEN) % 1.0)
    if uf.size != k or ud.size != k:
        raise ValueError(f"need {k} quantiles for {residents} residents in groups of {group_size}")
    heights = floors.height_m(uf)
    return [Household(int(n), float(h), float(d * delay_spread_s))
            for n, h, d in zip(sizes, heights, ud, strict=True)]
