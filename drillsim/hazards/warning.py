"""Public warning coverage over time (indicator 7 of the plan: coverage ≥ 95 %).

Each channel (cell broadcast, sirens and loudspeakers, TV/radio/social media, grid
workers going door to door) starts reaching people a delay after the decision to
warn and then reaches a growing share of the population along a linear ramp until
its own eventual reach. Channels are taken as independent: a person is missed only if
every channel misses them, so coverage(t) = 1 − Π_c (1 − share_c(t)).

Independence is an optimistic assumption: the people a phone alert misses (no phone,
phone off, elderly living alone) are more likely than average to miss television and
social media too, so the model overstates coverage when channels overlap in whom they
miss. Reaching someone is not the same as their acting on the warning (Mileti & Sorensen
1990 separate hearing, understanding, believing and acting); this module counts the
first step only, which is what the plan's indicator counts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np


@dataclass(frozen=True)
class Channel:
    """One warning channel.

    Attributes
    ----------
    name
        Label for reports.
    reach
        Share of the population this channel alone eventually reaches, 0-1.
    delay_s
        From the decision to warn to the first people reached, s.
    ramp_s
        From the first people reached to full reach (linear), s; 0 = all at once.
    """

    name: str
    reach: float
    delay_s: float
    ramp_s: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.reach <= 1.0:
            raise ValueError(f"channel {self.name!r}: reach must be between 0 and 1, "
                             f"got {self.reach}")
        if not (self.delay_s >= 0 and math.isfinite(self.delay_s)):
            raise ValueError(f"channel {self.name!r}: delay must be ≥ 0 s, got {self.delay_s}")
        if not (self.ramp_s >= 0 and math.isfinite(self.ramp_s)):
            raise ValueError(f"channel {self.name!r}: ramp must be ≥ 0 s, got {self.ramp_s}")

    def share_at(self, t_s: float | np.ndarray) -> float | np.ndarray:
        """Share of the population this channel has reached ``t_s`` seconds after the decision.

        reach × F(t − delay), F(x) = 0 for x < 0, x / ramp on the ramp, 1 after it
        (a step at the delay when ramp = 0).
        """
        out = self.reach * ramp_share(t_s, self.delay_s, self.ramp_s)
        return float(out) if np.ndim(out) == 0 else out


def ramp_share(t_s: float | np.ndarray, delay_s: float | np.ndarray,
               ramp_s: float | np.ndarray) -> np.ndarray:
    """F(t − delay): 0 before the delay, (t − delay) / ramp on the ramp, 1 after it (a step
    at the delay when ramp = 0); element-wise, so each cell may have its own delay and ramp.

    Parameters
    ----------
    t_s
        Seconds after the decision.
    delay_s, ramp_s
        The channel's delay and ramp, s (scalars or arrays broadcasting with ``t_s``).

    Returns
    -------
    numpy.ndarray
        The share of the channel's reach reached, 0-1.
    """
    t = np.asarray(t_s, dtype=float)
    delay = np.asarray(delay_s, dtype=float)
    ramp = np.asarray(ramp_s, dtype=float)
    x = t - delay
    # full reach from delay + ramp exactly (the breakpoint time_to_coverage uses), whatever
    # the rounding of (t − delay) / ramp
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        on_ramp = np.where(ramp > 0, np.clip(x / np.where(ramp > 0, ramp, 1.0), 0.0, 1.0),
                           0.0)
    return np.where(t >= delay + ramp, 1.0, np.where(x >= 0, on_ramp, 0.0))


def coverage(channels: Sequence[Channel], t_s: float | np.ndarray) -> float | np.ndarray:
    """Share warned by at least one channel, channels independent: 1 − Π(1 − share_c(t)).

    Parameters
    ----------
    channels
        Warning channels (none gives 0).
    t_s
        Seconds after the decision to warn; a scalar or an array.

    Returns
    -------
    float or numpy.ndarray
        Coverage, 0-1, of the same shape as ``t_s``.
    """
    t = np.asarray(t_s, dtype=float)
    missed = np.ones_like(t)
    for c in channels:
        missed = missed * (1.0 - np.asarray(c.share_at(t)))
    out = 1.0 - missed
    return float(out) if np.ndim(out) == 0 else out


def max_coverage(channels: Sequence[Channel]) -> float:
    """Coverage once every channel has run its course: 1 − Π(1 − reach_c)."""
    return 1.0 - math.prod(1.0 - c.reach for c in channels)


def time_to_coverage(channels: Sequence[Channel], share: float, tol_s: float = 1e-3) -> float:
    """Seconds after the decision until coverage first reaches ``share``.

    Coverage is non-decreasing and piecewise polynomial between the channels' delays and
    ramp ends: find the first such breakpoint at which it reaches ``share`` and bisect on
    the segment before it (to ``tol_s``; the result never undershoots: coverage at the
    returned time is at least ``share``).

    Parameters
    ----------
    channels
        Warning channels.
    share
        Target coverage, 0-1 (e.g. 0.95 for indicator 7).
    tol_s
        Width of the final bracket, s.

    Returns
    -------
    float
        Seconds; 0 if ``share`` ≤ 0; ``inf`` if the channels can never reach ``share``.
    """
    if share <= 0:
        return 0.0
    points = sorted({0.0} | {c.delay_s for c in channels}
                    | {c.delay_s + c.ramp_s for c in channels})
    # every channel is at full reach at the last breakpoint: coverage there is the maximum
    if share > coverage(channels, points[-1]):
        return math.inf
    prev = 0.0
    for p in points:
        if coverage(channels, p) >= share:
            if p == prev or coverage(channels, prev) >= share:
                return p
            lo, hi = prev, p
            while hi - lo > tol_s:
                mid = 0.5 * (lo + hi)
                if coverage(channels, mid) >= share:
                    hi = mid
                else:
                    lo = mid
            return hi
        prev = p
    return math.inf  # not reached: the last breakpoint holds the maximum


def door_to_door(name: str, households: float, workers: float,
                 households_per_worker_hour: float, delay_s: float, reach: float) -> Channel:
    """Grid workers (网格员) visiting or phoning households one by one.

    The ramp is the time the team needs for every household:
    households / (workers × households per worker-hour) hours.

    Parameters
    ----------
    name
        Label.
    households
        Households to visit.
    workers
        Grid workers on the round.
    households_per_worker_hour
        Visits one worker completes per hour.
    delay_s
        From the decision to the first visit (call-out, briefing), s.
    reach
        Share of the population reached once every household has been visited (people
        at home who answer), 0-1.
    """
    if workers <= 0 or households_per_worker_hour <= 0:
        raise ValueError("door-to-door warning needs at least one worker and a positive "
                         "visit rate")
    if households < 0:
        raise ValueError(f"households must not be negative, got {households}")
    ramp_s = households / (workers * households_per_worker_hour) * 3600.0
    return Channel(name, reach, delay_s, ramp_s)


HONGQIAO_POPULATION = 483_130
"""Residents of Hongqiao District, 2020 census (brief, hongqiao-geodata.md)."""

PERSONS_PER_HOUSEHOLD = 2.4
"""ASSUMPTION: about the urban Chinese average household size in the 2020 census (≈2.6
nationally, smaller in big cities); gives ≈201,000 households."""

HONGQIAO_HOUSEHOLDS = round(HONGQIAO_POPULATION / PERSONS_PER_HOUSEHOLD)
"""Households in Hongqiao (derived; assumption through the household size)."""

HONGQIAO_COMMUNITIES = 114
"""Communities (社区) of Hongqiao (brief: 9 subdistricts, 114 communities)."""

GRID_WORKERS_PER_COMMUNITY = 5
"""ASSUMPTION: grid workers (网格员) per community; the plan names grid workers as the
"first responders" (应急第一响应人) of the community-based grid but gives no count."""

GRID_WORKERS = GRID_WORKERS_PER_COMMUNITY * HONGQIAO_COMMUNITIES
"""Grid workers of the district: 570 (assumption through the per-community count)."""

DOOR_VISITS_PER_WORKER_HOUR = 20.0
"""ASSUMPTION: households one grid worker notifies per hour going door to door (and by
phone): 3 minutes a household to knock, explain and move on. No measured rate was found."""

DOOR_DELAY_S = 1800.0
"""ASSUMPTION: from the decision to the first door-to-door visit (call-out, briefing), s."""

DOOR_REACH = 0.9
"""ASSUMPTION: share of the people of a visited household reached (at home and answering)."""

DOOR_TO_DOOR = "grid workers door to door"
"""Name of the door-to-door channel of the district's defaults."""

DEFAULT_CHANNELS: tuple[Channel, ...] = (
    # ASSUMPTION. Cell broadcast / operator alert SMS through the national emergency
    # warning release system (国家突发事件预警信息发布系统). Reach 0.85: phones switched
    # off, no phone (young children, some elderly), messages not read; survey studies of
    # the US Wireless Emergency Alerts tests (Bean & Grevstad 2023; RAND 2024, RR-A2451-1)
    # find reach well below 100 % for the same reasons. Delay 10 min for drafting,
    # approval and operator release; 10 min to go out across the cells.
    Channel("cell broadcast", reach=0.85, delay_s=600.0, ramp_s=600.0),
    # ASSUMPTION. Air-raid sirens (人防警报) and community loudspeakers: heard by people
    # outdoors or near open windows; in heavy rain with windows shut, perhaps 4 in 10.
    # Delay 15 min (civil air defence office activation), sounded district-wide at once
    # over 5 min.
    Channel("sirens and loudspeakers", reach=0.4, delay_s=900.0, ramp_s=300.0),
    # ASSUMPTION. TV and radio crawls, official WeChat/Weibo accounts: 0.6 of the
    # population see or hear it in the first hours; delay 15 min, spread over 45 min as
    # people check their phones and media pick it up.
    Channel("TV, radio and social media", reach=0.6, delay_s=900.0, ramp_s=2700.0),
    # Grid workers door to door (and by phone) across every household of the district
    # (all values ASSUMPTIONS, above). With 570 workers this takes ≈17.7 h: for a
    # district-wide warning door to door finishes the job, it cannot start it. An order
    # for a few zones is carried door to door in those zones only (door_to_door_rounds).
    door_to_door(DOOR_TO_DOOR, HONGQIAO_HOUSEHOLDS, GRID_WORKERS, DOOR_VISITS_PER_WORKER_HOUR,
                 delay_s=DOOR_DELAY_S, reach=DOOR_REACH),
)
"""A documented default set of warning channels for Hongqiao (all values ASSUMPTIONS)."""


class ChannelLike(Protocol):
    """A warning channel as a drill file gives it (``scenarios.schema.ChannelSpec``)."""

    name: str
    reach: float
    delay: float
    ramp: float


def channels_for(spec_channels: Sequence[ChannelLike] | None) -> list[Channel]:
    """The warning channels of a drill: the ones its warning spec names, in seconds.

    Parameters
    ----------
    spec_channels
        The ``channels`` of the drill's warning spec (delay and ramp in seconds);
        ``None``: the district's :data:`DEFAULT_CHANNELS`.

    Returns
    -------
    list of Channel
        The engine plays these forward and the metrics measure them.
    """
    if spec_channels is None:
        return list(DEFAULT_CHANNELS)
    return [Channel(c.name, c.reach, c.delay, c.ramp) for c in spec_channels]


@dataclass(frozen=True)
class DoorToDoor:
    """Door-to-door notification of a protective-action order in the area it covers.

    The staff of the communities (社区) the ordered area touches (grid workers,
    :data:`GRID_WORKERS_PER_COMMUNITY` each) visit its households, and only those: the
    work is a queue of rounds (one per group of households, in the order the groups are
    ordered), each started when the one before it is done or, for the first, ``delay_s``
    after the order goes out. A round of H households with W staff takes
    H / (W × visits per worker-hour) hours (:func:`door_to_door`).

    Attributes
    ----------
    staff_per_community
        People who go door to door per community.
    visits_per_worker_hour
        Households one of them notifies per hour.
    delay_s
        From the order going out to the first visit, s.
    reach
        Share of the people of a visited household reached, 0-1.
    """

    staff_per_community: float = GRID_WORKERS_PER_COMMUNITY
    visits_per_worker_hour: float = DOOR_VISITS_PER_WORKER_HOUR
    delay_s: float = DOOR_DELAY_S
    reach: float = DOOR_REACH

    def staff(self, communities: int) -> float:
        """Staff of ``communities`` communities (at least one community's)."""
        return self.staff_per_community * max(communities, 1)

    def round(self, households: float, communities: int, start_s: float) -> Channel:
        """One round: ``households`` visited by the staff of ``communities`` communities,
        first visit at ``start_s`` (s after the order went out)."""
        return door_to_door(DOOR_TO_DOOR, households, self.staff(communities),
                            self.visits_per_worker_hour, delay_s=start_s, reach=self.reach)


def order_channels(spec_channels: Sequence[ChannelLike] | None
                   ) -> tuple[list[Channel], DoorToDoor | None]:
    """The channels that carry a protective-action order to everyone at once, and the
    door-to-door work sized to the ordered area.

    Parameters
    ----------
    spec_channels
        The drill's warning channels (``None``: the district's defaults).

    Returns
    -------
    tuple
        With the district's defaults: every default channel but door to door, and
        :class:`DoorToDoor` (door to door in the ordered area only). With the drill's own
        channels: them, as written, and ``None`` (a drill's channel is not resized).
    """
    if spec_channels is None:
        return [c for c in DEFAULT_CHANNELS if c.name != DOOR_TO_DOOR], DoorToDoor()
    return channels_for(spec_channels), None

