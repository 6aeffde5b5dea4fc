"""Waterlogging measures: water depth, road closures, pumps and displaced people per point.

Pure functions of a run's records (``depth``, ``road_state``, ``dispatch`` with task
``pump``, ``displacement``, ``rain``, ``pump_station_failed``/``restored``). A road
is closed to a vehicle class while its speed factor is 0, i.e. while the water is
at or above the class's depth limit (:data:`drillsim.hazards.pluvial_flood.DEPTH_LIMIT_M`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M
from drillsim.records.result import RunResult

CAR_CLASSES: tuple[str, ...] = ("car",)
"""Vehicle classes of the 'closed to cars' column."""
TRUCK_CLASSES: tuple[str, ...] = ("truck", "fire_engine")
"""Vehicle classes of the 'closed to trucks and fire engines' column (closed when either is)."""
CAR_LIMIT_M: float = min(DEPTH_LIMIT_M[v] for v in CAR_CLASSES)
"""Depth at which cars stop, m."""
TRUCK_LIMIT_M: float = min(DEPTH_LIMIT_M[v] for v in TRUCK_CLASSES)
"""Depth at which trucks or fire engines stop, m."""

Span = tuple[float, float]
"""A closed span (from, to) in drill seconds; ``to`` is ``inf`` when closed to the end."""


@dataclass(frozen=True)
class PointMeasure:
    """What happened at one waterlogging point.

    Attributes
    ----------
    point
        Id of the waterlogging point.
    times_s, depths_m
        The depth series: drill time (s) and water depth (m) after each hydrology step.
    peak_m
        Largest water depth, m (0 when the point recorded no depth).
    peak_at
        Drill time of the peak, s (NaN when no depth was recorded).
    closed_to_cars, closed_to_trucks
        Spans the point's roads were closed to cars, and to trucks or fire engines.
    pumps_sent
        Pump crews dispatched to the point.
    displaced
        Residents who left home because of the point, people.
    """

    point: str
    times_s: tuple[float, ...]
    depths_m: tuple[float, ...]
    peak_m: float
    peak_at: float
    closed_to_cars: tuple[Span, ...]
    closed_to_trucks: tuple[Span, ...]
    pumps_sent: int
    displaced: int


def closed_spans(states: list[tuple[float, float]]) -> tuple[Span, ...]:
    """Closed spans (speed factor 0) from a series of (drill time s, speed factor)."""
    spans: list[Span] = []
    since = None
    for t, f in states:
        if f <= 0 and since is None:
            since = t
        elif f > 0 and since is not None:
            spans.append((since, t))
            since = None
    if since is not None:
        spans.append((since, math.inf))
    return tuple(spans)


def waterlogging_points(result: RunResult) -> dict[str, PointMeasure]:
    """Per waterlogging point of the drill (in the drill file's order), its measures."""
    flood = result.scenario.flood
    if flood is None:
        return {}
    ids = [p.id for p in flood.points]
    t: dict[str, list[float]] = {p: [] for p in ids}
    d: dict[str, list[float]] = {p: [] for p in ids}
    car: dict[str, list[tuple[float, float]]] = {p: [] for p in ids}
    truck: dict[str, list[tuple[float, float]]] = {p: [] for p in ids}
    pumps = dict.fromkeys(ids, 0)
    displaced = dict.fromkeys(ids, 0)
    for r in result.records:
        if r.place not in pumps:
            continue
        if r.event == "depth":
            t[r.place].append(r.t)
            d[r.place].append(float(r.data["depth_m"]))
        elif r.event == "road_state":
            f = r.data["factors"]
            car[r.place].append((r.t, min(float(f.get(v, 1.0)) for v in CAR_CLASSES)))
            truck[r.place].append((r.t, min(float(f.get(v, 1.0)) for v in TRUCK_CLASSES)))
        elif r.event == "dispatch" and r.get("task") == "pump":
            pumps[r.place] += 1
        elif r.event == "displacement":
            displaced[r.place] += int(r.data["people"])
    out: dict[str, PointMeasure] = {}
    for p in ids:
        depths = np.asarray(d[p], dtype=float)
        if depths.size:
            k = int(np.nanargmax(depths))
            peak, peak_at = float(depths[k]), t[p][k]
        else:
            peak, peak_at = 0.0, math.nan
        out[p] = PointMeasure(p, tuple(t[p]), tuple(d[p]), peak, peak_at,
                              closed_spans(car[p]), closed_spans(truck[p]), pumps[p],
                              displaced[p])
    return out


def rain_curve(result: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Rain intensity as recorded: drill time (s) of each change and intensity (mm/h)."""
    rain = [(r.t, float(r.data["mm_h"])) for r in result.records if r.event == "rain"]
    return (np.array([x[0] for x in rain], dtype=float),
            np.array([x[1] for x in rain], dtype=float))


@dataclass(frozen=True)
class PumpStationEvent:
    """A pump station failing or being restored at a waterlogging point.

    Attributes
    ----------
    t
        Drill time, s.
    point
        Waterlogging point id.
    failed
        A failure (else a restoration).
    scripted
        An inject of the drill file did it (else a chance failure of the flood
        uncertainty model: a ``pump_station_failed`` record without an inject).
    """

    t: float
    point: str
    failed: bool
    scripted: bool = True


def pump_station_events(result: RunResult) -> list[PumpStationEvent]:
    """Pump-station failures and restorations, in drill order, scripted or by chance."""
    scripted = {(i.at, i.point, i.kind) for i in result.scenario.injects
                if i.kind in ("pump_station_failed", "pump_station_restored")}
    return [PumpStationEvent(r.t, r.place, r.event == "pump_station_failed",
                             (r.t, r.place, r.event) in scripted)
            for r in result.records
            if r.event in ("pump_station_failed", "pump_station_restored")]


def first_pump_after(result: RunResult, point: str, t: float) -> tuple[float, str] | None:
    """The first pump crew sent to ``point`` from drill time ``t`` (s) on: (time, unit)."""
    r = next((r for r in result.records if r.t >= t and r.event == "dispatch"
              and r.place == point and r.get("task") == "pump"), None)
    return None if r is None else (r.t, r.unit)


@dataclass(frozen=True)
class StationOutage:
    """A pump station out of service, and the first mobile pump sent there.

    Attributes
    ----------
    point
        Waterlogging point id.
    failed_t, restored_t
        Drill times the station failed and was restored, s (``inf``: not restored).
    pump_t
        Drill time the first pump crew was sent to the point after the failure, s
        (NaN: none was).
    unit
        That pump crew (``""``: none).
    scripted
        The failure was an inject (else a chance failure).
    """

    point: str
    failed_t: float
    restored_t: float
    pump_t: float
    unit: str
    scripted: bool

    @property
    def late(self) -> bool:
        """No pump came while the station was out: none at all, or the first one only at
        or after the restoration."""
        return not self.pump_t < self.restored_t


def station_outages(result: RunResult) -> list[StationOutage]:
    """Every pump-station failure of the run with its restoration and first pump."""
    events = pump_station_events(result)
    out = []
    for k, e in enumerate(events):
        if not e.failed:
            continue
        back = next((x.t for x in events[k + 1:] if x.point == e.point and not x.failed),
                    math.inf)
        pump = first_pump_after(result, e.point, e.t)
        out.append(StationOutage(e.point, e.t, back, pump[0] if pump else math.nan,
                                 pump[1] if pump else "", e.scripted))
    return out


def pumped_before_peak(result: RunResult) -> set[str]:
    """The waterlogging points where a mobile pump was pumping before the water peaked
    (a ``pump_start`` record before the point's peak): only there can pumps have kept the
    peak down."""
    peaks = {p: m.peak_at for p, m in waterlogging_points(result).items()}
    return {r.place for r in result.records
            if r.event == "pump_start" and r.place in peaks and r.t < peaks[r.place]}


@dataclass(frozen=True)
class OutageCost:
    """What a pump-station failure cost at its point, from the point's ``depth`` records.

    Attributes
    ----------
    outage
        The failure.
    depth_m
        Depth at the last record before the failure, m.
    drain_before, drain_after
        Drainage out of the point, m³/s, in the record step before the failure and in the
        first whole step after it.
    pump_start_t
        Drill time the first mobile pump started pumping there after the failure, s (NaN:
        none did).
    reopened_t
        Drill time the point's roads reopened to cars after the failure, s (``inf``: not by
        the end; NaN: they were not closed at the failure).
    reopened_if_drained_t
        When they would have reopened had the lost drainage (before − after) gone on,
        with everything else as recorded: the recorded volume less the lost drainage since
        the failure, against the volume at the car limit (volume / depth of the deepest
        record up to the failure: the point's ponding area), s (NaN as ``reopened_t``).
    """

    outage: StationOutage
    depth_m: float
    drain_before: float
    drain_after: float
    pump_start_t: float
    reopened_t: float
    reopened_if_drained_t: float


def outage_costs(result: RunResult) -> list[OutageCost]:
    """:class:`OutageCost` of each pump-station failure of the run."""
    out = []
    for o in station_outages(result):
        recs = [r for r in result.records if r.event == "depth" and r.place == o.point]
        before = [r for r in recs if r.t <= o.failed_t]
        if len(before) < 2:
            continue
        step = before[-1].t - before[-2].t
        after = [r for r in recs if r.t >= o.failed_t + step]
        if not after:
            continue
        d_before = float(before[-1].get("out_m3")) / step
        d_after = float(after[0].get("out_m3")) / step
        # the ponding area from the deepest record up to the failure (depths are rounded
        # to 0.1 mm: a deep record gives the area to 4 or more digits)
        deep = max(before, key=lambda r: float(r.get("depth_m")))
        depth = float(deep.get("depth_m"))
        area = float(deep.get("volume_m3")) / depth if depth > 0 else 0.0
        pump = next((r.t for r in result.records if r.event == "pump_start"
                     and r.place == o.point and r.t >= o.failed_t), math.nan)
        m = waterlogging_points(result).get(o.point)
        span = next((s for s in (m.closed_to_cars if m else ()) if s[0] <= o.failed_t < s[1]),
                    None)
        reopened = span[1] if span else math.nan
        lost = max(d_before - d_after, 0.0)
        car = CAR_LIMIT_M * area
        if_drained = math.nan
        if span is not None:
            if_drained = next((r.t for r in after if r.t < o.restored_t and
                               float(r.get("volume_m3")) - lost * (r.t - o.failed_t) < car),
                              reopened)
        out.append(OutageCost(o, float(before[-1].get("depth_m")), d_before, d_after, pump,
                              reopened, if_drained))
    return out
