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

By time of day
    At night most people are asleep: a broadcast reaches only those awake, a siren or a
    phone alert wakes some of the others, and a message that stays (an SMS, a WeChat
    post) reaches the rest when they get up. A :class:`ChannelProfile` gives a channel's
    daytime reach and the share of sleepers it wakes; at the hour it goes out it becomes
    a :class:`Channel` that reaches reach × (awake + asleep × wakes) on its ramp and, if
    the message stays, reach × asleep × (1 − wakes) more as people wake (06:00-08:30).
    Sleep after :data:`AWAKE_BY_HOUR`. Sorensen (2000, Natural Hazards Review 1(2):119-125)
    and Lindell & Perry (1992, *Behavioral Foundations of Community Emergency Planning*)
    report that warnings at night reach people more slowly for these reasons, sirens
    being poor at waking people indoors; the shares here are ASSUMPTIONS in that direction,
    not fitted numbers.
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
    later_reach
        Share reached later, when sleepers wake and read the message, 0-1 (0: none).
    later_s
        From the decision to the first of them, s.
    later_ramp_s
        From the first of them to all of them (linear), s.
    """

    @property
    def full_reach(self) -> float:
        """Share this channel alone reaches in the end: reach + later reach."""
        return self.reach + self.later_reach

    @property
    def full_s(self) -> float:
        """From the decision to the channel's full reach, s."""
        end = self.delay_s + self.ramp_s
        return max(end, self.later_s + self.later_ramp_s) if self.later_reach > 0 else end

    name: str
    reach: float
    delay_s: float
    ramp_s: float
    later_reach: float = 0.0
    later_s: float = math.inf
    later_ramp_s: float = 0.0

    def __post_init__(self) -> None:
        if not 0.0 <= self.reach <= 1.0:
            raise ValueError(f"channel {self.name!r}: reach must be between 0 and 1, "
                             f"got {self.reach}")
        if not (0.0 <= self.later_reach and self.reach + self.later_reach <= 1.0 + 1e-12):
            raise ValueError(f"channel {self.name!r}: reach and later reach must add up to "
                             f"at most 1, got {self.reach} + {self.later_reach}")
        if self.later_reach > 0 and not (self.later_s >= 0 and math.isfinite(self.later_s)
                                         and self.later_ramp_s >= 0):
            raise ValueError(f"channel {self.name!r}: the later reach needs a time ≥ 0 s")
        if not (self.delay_s >= 0 and math.isfinite(self.delay_s)):
            raise ValueError(f"channel {self.name!r}: delay must be ≥ 0 s, got {self.delay_s}")
        if not (self.ramp_s >= 0 and math.isfinite(self.ramp_s)):
            raise ValueError(f"channel {self.name!r}: ramp must be ≥ 0 s, got {self.ramp_s}")

    def share_at(self, t_s: float | np.ndarray) -> float | np.ndarray:
        """Share of the population this channel has reached ``t_s`` seconds after the decision.

        reach × F(t − delay) + later reach × F'(t − later), F(x) = 0 for x < 0, x / ramp on
        the ramp, 1 after it (a step at the delay when ramp = 0).
        """
        out = self.reach * ramp_share(t_s, self.delay_s, self.ramp_s)
        if self.later_reach > 0:
            out = out + self.later_reach * ramp_share(t_s, self.later_s, self.later_ramp_s)
        return float(out) if np.ndim(out) == 0 else out


def ramp_share(t_s: float | np.ndarray, delay_s: float | np.ndarray,
               ramp_s: float | np.ndarray) -> np.ndarray:
    """F(t − delay): 0 before the delay, (t − delay) / ramp on the ramp, 1 after it (a step
    at the delay when ramp = 0); element-wise, so each cell may have its own delay and ramp.
    A channel's reach and its later reach (sleepers on waking) both rise along it.

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


def ramp_steady_s(t_s: float | np.ndarray, delay_s: float | np.ndarray,
                  ramp_s: float | np.ndarray) -> float:
    """How long :func:`ramp_share` keeps the value it has at ``t_s``, s (the shortest over the
    elements): until its delay for an element before it (0 there), for ever for one at full
    reach (1 there), 0 when one is on its ramp.

    Parameters
    ----------
    t_s
        Seconds after the decision.
    delay_s, ramp_s
        The ramps' delays and lengths, s (broadcasting with ``t_s``).

    Returns
    -------
    float
        Seconds from ``t_s`` during which every element stays exactly what it is (``inf``:
        for ever).
    """
    t, delay, ramp = np.broadcast_arrays(np.asarray(t_s, dtype=float),
                                         np.asarray(delay_s, dtype=float),
                                         np.asarray(ramp_s, dtype=float))
    return _steady_s(t.ravel().tolist(), delay.ravel().tolist(), ramp.ravel().tolist())


def _steady_s(ts: list[float], delays: list[float], ramps: list[float]) -> float:
    """:func:`ramp_steady_s` on plain floats (the same doubles, the same tests)."""
    out = math.inf
    for t, delay, ramp in zip(ts, delays, ramps, strict=True):
        if t >= delay + ramp:  # the tests of ramp_share
            continue
        if t - delay >= 0:
            return 0.0
        out = min(out, delay - t)
    return out


def coverage_steady_s(channels: Sequence[Channel], t_s: float | np.ndarray) -> float:
    """How long :func:`coverage` of ``channels`` keeps the value it has at ``t_s``, s
    (:func:`ramp_steady_s` of every ramp :meth:`Channel.share_at` uses; ``inf``: for ever)."""
    ts = np.ravel(np.asarray(t_s, dtype=float)).tolist()
    n = len(ts)
    out = math.inf
    for c in channels:
        out = min(out, _steady_s(ts, [float(c.delay_s)] * n, [float(c.ramp_s)] * n))
        if c.later_reach > 0:
            out = min(out, _steady_s(ts, [float(c.later_s)] * n,
                                          [float(c.later_ramp_s)] * n))
    return out


def max_coverage(channels: Sequence[Channel]) -> float:
    """Coverage once every channel has run its course: 1 − Π(1 − reach_c)."""
    return 1.0 - math.prod(1.0 - c.full_reach for c in channels)


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
                    | {c.delay_s + c.ramp_s for c in channels}
                    | {c.later_s for c in channels if c.later_reach > 0}
                    | {c.later_s + c.later_ramp_s for c in channels if c.later_reach > 0})
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


AWAKE_BY_HOUR = (0.20, 0.10, 0.05, 0.05, 0.05, 0.15, 0.40, 0.75, 1.0, 1.0, 1.0, 1.0,
                 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.45)
"""Share of residents awake in each local clock hour (0-23), taken at the middle of the
hour (:func:`awake_share` interpolates). ASSUMPTION after time-use surveys: China's 2018
national time-use survey (国家统计局, 2018年全国时间利用调查公报) gives 9 h 19 min a day of
sleep and rest; the table puts about 7 h of it at night, most people asleep from
midnight to 05:00 and up by 08:00 (the midday rest is left out: daytime reach is as
written)."""


def awake_share(clock_s: float) -> float:
    """Share of residents awake at local clock time ``clock_s`` (s after midnight): the
    :data:`AWAKE_BY_HOUR` values at the middle of each hour, linear in between."""
    hours = (clock_s % 86400.0) / 3600.0
    x = np.arange(-0.5, 25.0, 1.0)  # hour middles, one before and one after the day
    y = np.array([AWAKE_BY_HOUR[-1], *AWAKE_BY_HOUR, AWAKE_BY_HOUR[0]])
    return float(np.interp(hours, x, y))

WAKE_UP_CLOCK_S = 6 * 3600.0
"""When sleepers start getting up (local clock, s after midnight): 06:00 (ASSUMPTION,
with :data:`AWAKE_BY_HOUR`)."""

WAKE_UP_RAMP_S = 2.5 * 3600.0
"""Over which they get up, s: 06:00-08:30 (by 08:30 :func:`awake_share` is 1)."""


@dataclass(frozen=True)
class ChannelProfile:
    """A warning channel whose reach follows the hour it goes out at.

    Attributes
    ----------
    name, delay_s, ramp_s
        As :class:`Channel`.
    reach
        Share of the people awake this channel alone reaches (its daytime reach), 0-1.
    wakes
        Share of sleeping people it wakes (and so reaches at once), 0-1.
    on_waking
        Whether the message stays (an SMS, a post) and reaches the sleepers it did not
        wake when they get up.
    """

    name: str
    reach: float
    delay_s: float
    ramp_s: float
    wakes: float
    on_waking: bool

    def at(self, decision_clock_s: float) -> Channel:
        """The channel for a decision to warn at local clock time ``decision_clock_s``
        (s after midnight): its reach at the hour it starts reaching people.

        reach × (a + (1 − a)·wakes) on its own ramp, a = :func:`awake_share` at
        decision + delay; with ``on_waking``, reach × (1 − a)(1 − wakes) more as people get
        up: from the next 06:00 over :data:`WAKE_UP_RAMP_S`, or, when the channel starts
        between 06:00 and 08:30, from then until 08:30.
        """
        clock = (decision_clock_s + self.delay_s) % 86400.0
        awake = awake_share(clock)
        now = self.reach * (awake + (1.0 - awake) * self.wakes)
        if not self.on_waking or awake >= 1.0:
            return Channel(self.name, now, self.delay_s, self.ramp_s)
        later = self.reach * (1.0 - awake) * (1.0 - self.wakes)
        into = clock - WAKE_UP_CLOCK_S
        if 0.0 <= into < WAKE_UP_RAMP_S:  # people are getting up now: the rest by 08:30
            return Channel(self.name, now, self.delay_s, self.ramp_s, later_reach=later,
                           later_s=self.delay_s, later_ramp_s=WAKE_UP_RAMP_S - into)
        wait = (WAKE_UP_CLOCK_S - clock) % 86400.0
        return Channel(self.name, now, self.delay_s, self.ramp_s, later_reach=later,
                       later_s=self.delay_s + wait, later_ramp_s=WAKE_UP_RAMP_S)


def door_to_door(name: str, households: float, workers: float,
                 households_per_worker_hour: float, delay_s: float, reach: float,
                 wakes: float = 1.0) -> ChannelProfile:
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
    wakes
        Share of sleeping households a knock or call wakes (default 1: ASSUMPTION, a
        worker keeps knocking or calling until someone answers).
    """
    if workers <= 0 or households_per_worker_hour <= 0:
        raise ValueError("door-to-door warning needs at least one worker and a positive "
                         "visit rate")
    if households < 0:
        raise ValueError(f"households must not be negative, got {households}")
    ramp_s = households / (workers * households_per_worker_hour) * 3600.0
    return ChannelProfile(name, reach, delay_s, ramp_s, wakes, on_waking=False)


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

DEFAULT_CHANNELS: tuple[ChannelProfile, ...] = (
    # ASSUMPTION. Cell broadcast / operator alert SMS through the national emergency
    # warning release system (国家突发事件预警信息发布系统). Reach 0.85: phones switched
    # off, no phone (young children, some elderly), messages not read; survey studies of
    # the US Wireless Emergency Alerts tests (Bean & Grevstad 2023; RAND 2024, RR-A2451-1)
    # find reach well below 100 % for the same reasons. Delay 10 min for drafting,
    # approval and operator release; 10 min to go out across the cells. At night it
    # arrives as an ordinary message on phones many keep silent: it wakes 1 sleeper in 4
    # (ASSUMPTION); the others read it when they get up.
    ChannelProfile("cell broadcast", reach=0.85, delay_s=600.0, ramp_s=600.0, wakes=0.25,
                   on_waking=True),
    # ASSUMPTION. Air-raid sirens (人防警报) and community loudspeakers: heard by people
    # outdoors or near open windows; in heavy rain with windows shut, perhaps 4 in 10.
    # Delay 15 min (civil air defence office activation), sounded district-wide at once
    # over 5 min. Sirens wake few people indoors (Sorensen 2000): 3 sleepers in 10 of
    # those it would reach awake (ASSUMPTION); a siren does not stay.
    ChannelProfile("sirens and loudspeakers", reach=0.4, delay_s=900.0, ramp_s=300.0,
                   wakes=0.3, on_waking=False),
    # ASSUMPTION. TV and radio crawls, official WeChat/Weibo accounts: 0.6 of the
    # population see or hear it in the first hours; delay 15 min, spread over 45 min as
    # people check their phones and media pick it up. It wakes nobody; the posts stay and
    # are read on getting up.
    ChannelProfile("TV, radio and social media", reach=0.6, delay_s=900.0, ramp_s=2700.0,
                   wakes=0.0, on_waking=True),
    # Grid workers door to door (and by phone) across every household of the district
    # (all values ASSUMPTIONS, above; a knock wakes them: wakes 1). With 570 workers this
    # takes ≈17.7 h: for a district-wide warning door to door finishes the job, it cannot
    # start it. An order for a few zones is carried door to door in those zones only
    # (DoorToDoor).
    door_to_door(DOOR_TO_DOOR, HONGQIAO_HOUSEHOLDS, GRID_WORKERS, DOOR_VISITS_PER_WORKER_HOUR,
                 delay_s=DOOR_DELAY_S, reach=DOOR_REACH),
)
"""A documented default set of warning channels for Hongqiao (all values ASSUMPTIONS); by
day they reach as written, by night less (:meth:`ChannelProfile.at`)."""


class ChannelLike(Protocol):
    """A warning channel as a drill file gives it (``scenarios.schema.ChannelSpec``)."""

    name: str
    reach: float
    delay: float
    ramp: float
    wakes: float | None
    on_waking: bool


def channels_for(spec_channels: Sequence[ChannelLike] | None,
                 decision_clock_s: float) -> list[Channel]:
    """The warning channels of a drill at the hour of its decision to warn, in seconds.

    Parameters
    ----------
    spec_channels
        The ``channels`` of the drill's warning spec (delay and ramp in seconds);
        ``None``: the district's :data:`DEFAULT_CHANNELS`. A channel with ``wakes``
        follows the hour (:class:`ChannelProfile`); one without reaches as written.
    decision_clock_s
        Local clock time of the decision to warn, s after midnight.

    Returns
    -------
    list of Channel
        The engine plays these forward and the metrics measure them.
    """
    if spec_channels is None:
        return [p.at(decision_clock_s) for p in DEFAULT_CHANNELS]
    return [Channel(c.name, c.reach, c.delay, c.ramp) if c.wakes is None
            else ChannelProfile(c.name, c.reach, c.delay, c.ramp, c.wakes,
                                c.on_waking).at(decision_clock_s)
            for c in spec_channels]


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

    def round(self, households: float, communities: int, start_s: float,
              order_clock_s: float) -> Channel:
        """One round: ``households`` visited by the staff of ``communities`` communities,
        first visit at ``start_s`` (s after the order went out at local clock time
        ``order_clock_s``, s after midnight), as the default door-to-door profile reaches
        at the hour of that first visit (:func:`door_to_door`: a knock wakes people, so
        its reach is the same by night as by day)."""
        return door_to_door(DOOR_TO_DOOR, households, self.staff(communities),
                            self.visits_per_worker_hour, delay_s=start_s,
                            reach=self.reach).at(order_clock_s)


def order_channels(spec_channels: Sequence[ChannelLike] | None, decision_clock_s: float
                   ) -> tuple[list[Channel], DoorToDoor | None]:
    """The channels that carry a protective-action order to everyone at once, at the hour
    it goes out, and the door-to-door work sized to the ordered area.

    Parameters
    ----------
    spec_channels
        The drill's warning channels (``None``: the district's defaults).
    decision_clock_s
        Local clock time the order goes out on the channels, s after midnight.

    Returns
    -------
    tuple
        With the district's defaults: every default channel but door to door, at the hour
        (:func:`channels_for`), and :class:`DoorToDoor` (door to door in the ordered area
        only). With the drill's own channels: them, as :func:`channels_for` gives them
        (as written, or by the hour when they give ``wakes``), and ``None`` (a drill's
        channel is not resized).
    """
    channels = channels_for(spec_channels, decision_clock_s)
    if spec_channels is None:
        return [c for c in channels if c.name != DOOR_TO_DOOR], DoorToDoor()
    return channels, None
