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
    """A pump station failing or being restored at a waterlogging point."""

    t: float
    point: str
    failed: bool


def pump_station_events(result: RunResult) -> list[PumpStationEvent]:
    """Pump-station failures and restorations, in drill order."""
    return [PumpStationEvent(r.t, r.place, r.event == "pump_station_failed")
            for r in result.records
            if r.event in ("pump_station_failed", "pump_station_restored")]


def first_pump_after(result: RunResult, point: str, t: float) -> tuple[float, str] | None:
    """The first pump crew sent to ``point`` from drill time ``t`` (s) on: (time, unit)."""
    r = next((r for r in result.records if r.t >= t and r.event == "dispatch"
              and r.place == point and r.get("task") == "pump"), None)
    return None if r is None else (r.t, r.unit)


def pumped_before_peak(result: RunResult) -> set[str]:
    """The waterlogging points where a mobile pump was pumping before the water peaked
    (a ``pump_start`` record before the point's peak): only there can pumps have kept the
    peak down."""
    peaks = {p: m.peak_at for p, m in waterlogging_points(result).items()}
    return {r.place for r in result.records
            if r.event == "pump_start" and r.place in peaks and r.t < peaks[r.place]}
