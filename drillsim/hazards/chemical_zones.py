"""The chemical-release rules, defined once: source term, isolation, hot zone, leak end.

Pure functions of a release's specification (``drillsim.scenarios.schema.ChemicalRelease``)
and of points around the source. The engine (:mod:`drillsim.agents.chemical_release`)
plays them forward; the metrics (:mod:`drillsim.metrics.chemical`) and the report apply
the same functions to what the run recorded, so the isolation radius, the hot zone, the
downwind distance and the time the leak ends are the same number everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from drillsim.hazards.dense_gas import DenseSource, dense_extent_m, dense_source
from drillsim.hazards.plume import (
    CHEMICALS,
    ErgDistances,
    _to_lat_lon,
    downwind_crosswind,
    erg_distances,
    zone_extent_m,
    zone_polygon,
)
from drillsim.hazards.plume import zone_masks as plume_zone_masks

if TYPE_CHECKING:
    from drillsim.scenarios.schema import ChemicalRelease

LEVELS = (3, 2, 1)
"""AEGL levels, most severe first."""

ERG_CONTAINER = {"chlorine": "ton_cylinder", "ammonia": "multiple_small_cylinders"}
"""The ERG Table 3 row used for the default isolation radius and downwind distance (one
ton container of chlorine; small ammonia containers or a plant line)."""

INDOOR_SHARE_BY_HOUR = (0.97, 0.97, 0.97, 0.97, 0.97, 0.97, 0.93, 0.82, 0.82, 0.83, 0.83, 0.83,
                        0.82, 0.83, 0.83, 0.83, 0.82, 0.78, 0.80, 0.86, 0.90, 0.93, 0.95, 0.96)
"""Share of residents indoors by local clock hour (0-23) when no order holds.

Anchored to the US National Human Activity Pattern Survey (Klepeis et al. 2001, J.
Expo. Anal. Environ. Epidemiol. 11:231-252): 86.9 % of the day indoors, 5.5 % in
vehicles, 7.6 % outdoors, and nearly everyone at home indoors between midnight and
06:00. The hourly shape is an assumption after that survey's published hourly profile
(vehicles count as outdoors); its daily mean is 88 %. No Chinese hourly survey was found."""

LeakEndHow = Literal["source_control", "container_empty", "not_ended"]
"""How a leak ended: a crew stopped it, the container ran empty, or not by the drill's end."""


def indoor_share(spec: ChemicalRelease, clock_s: float) -> float:
    """Share of residents indoors when no order holds, at local clock time ``clock_s``
    (s since midnight): the drill's ``indoor_share``, else :data:`INDOOR_SHARE_BY_HOUR`."""
    if spec.indoor_share is not None:
        return float(spec.indoor_share)
    return INDOOR_SHARE_BY_HOUR[int(clock_s // 3600) % 24]


def exposed_people(people: np.ndarray, outdoor: np.ndarray, indoor: np.ndarray,
                   sheltered: np.ndarray, share_in: float) -> float:
    """People above a level: the indoor infiltration model (indoor C = ``indoor_factor`` ×
    outdoor C) applied to those indoors.

    Parameters
    ----------
    people
        Residents still at home, per cell.
    outdoor, indoor
        Cells where the outdoor concentration, and the indoor one, exceed the level.
    sheltered
        Per cell, the share of people told to shelter in place and reached by the order
        (all of them indoors), 0-1; a boolean mask means all or none.
    share_in
        Share indoors in the other cells (:func:`indoor_share`).

    Returns
    -------
    float
        Σ people × (share outdoors × [outdoor above] + share indoors × [indoor above]),
        share indoors ``sheltered + (1 − sheltered) × share_in``.
    """
    told = np.asarray(sheltered, dtype=float)
    s_in = told + (1.0 - told) * share_in
    return float((people * ((1.0 - s_in) * outdoor + s_in * indoor)).sum())


def release_duration_s(spec: ChemicalRelease) -> float:
    """Time for the whole quantity to leak at the release rate, s."""
    return spec.release.quantity_kg / spec.release.rate_kg_min * 60.0


def container_empty_at(spec: ChemicalRelease) -> float:
    """Drill time at which the container has run empty if nobody stops the leak, s."""
    return spec.at + release_duration_s(spec)


def crew_stops_leak(finish_s: float, spec: ChemicalRelease) -> bool:
    """Whether a crew whose work ends at drill time ``finish_s`` (s) stops the leak: only
    if it finishes before the container runs empty."""
    return finish_s < container_empty_at(spec)


def source_rate_g_s(spec: ChemicalRelease) -> float:
    """Release rate, g/s."""
    return spec.release.rate_kg_min * 1000.0 / 60.0


def threshold_g_m3(spec: ChemicalRelease, level: int, factor: float = 1.0) -> float:
    """Outdoor concentration above which a point is in the AEGL ``level`` zone, g/m³
    (÷ ``factor``: the indoor/outdoor ratio when testing people sheltering indoors)."""
    return CHEMICALS[spec.chemical].aegl_mg_m3(level, spec.exposure_min) / 1000.0 / factor


def plume_kwargs(spec: ChemicalRelease, src_lat: float, src_lon: float, wind_from_deg: float,
                 u_m_s: float, cls: str) -> dict:
    """Keyword arguments of :func:`drillsim.hazards.plume.zone_mask` and
    :func:`~drillsim.hazards.plume.zone_polygon` for one weather state (all but the
    threshold): the same steady plume for engine and report."""
    return dict(src_lat=src_lat, src_lon=src_lon, wind_from_deg=wind_from_deg,
                q_g_s=source_rate_g_s(spec), u_m_s=u_m_s, h_m=spec.release.height_m,
                cls=cls, urban=spec.dispersion == "urban")


def is_dense(spec: ChemicalRelease) -> bool:
    """Whether the release gets the dense-gas estimate beside the Gaussian one: its gas is
    heavier than air (chlorine 2.47 × air; ammonia, 0.59 × air, does not)."""
    return CHEMICALS[spec.chemical].density_rel_air > 1.0


def dense_virtual_source(spec: ChemicalRelease, u_m_s: float, cls: str) -> DenseSource:
    """The dense-gas estimate's hand-over point and virtual source for one weather state
    (:func:`drillsim.hazards.dense_gas.dense_source`)."""
    return dense_source(source_rate_g_s(spec) / 1000.0, CHEMICALS[spec.chemical].mw_g_mol,
                        u_m_s, cls, urban=spec.dispersion == "urban")


def _dense_plume(spec: ChemicalRelease, src_lat: float, src_lon: float, wind_from_deg: float,
                 u_m_s: float, cls: str) -> tuple[dict, float]:
    """Plume keyword arguments of the dense-gas estimate beyond its hand-over (the passive
    plume from the virtual source, at ground level) and the hand-over distance, m."""
    src = dense_virtual_source(spec, u_m_s, cls)
    vlat, vlon = _to_lat_lon(np.array([src.shift_m]), np.array([0.0]), src_lat, src_lon,
                             wind_from_deg)
    kw = plume_kwargs(spec, float(vlat[0]), float(vlon[0]), wind_from_deg, u_m_s, cls)
    kw["h_m"] = 0.0
    return kw, src.handover_m


def zone_masks(spec: ChemicalRelease, lat: ArrayLike, lon: ArrayLike, *, src_lat: float,
               src_lon: float, wind_from_deg: float, u_m_s: float, cls: str, level: int,
               factor: float = 1.0) -> tuple[np.ndarray, np.ndarray | None]:
    """Points above an AEGL level (÷ ``factor``) by each estimate of one steady plume.

    Returns
    -------
    tuple
        (Gaussian estimate, dense-gas estimate or None when the gas is not dense). The
        dense-gas zone is the passive plume from the virtual source together with the
        downwind half-disc out to the hand-over (the workbook's dense cloud, above every
        AEGL). The zone that drives the protective actions is their union
        (:func:`driving_mask`).
    """
    return zone_masks_by_level(spec, lat, lon, src_lat=src_lat, src_lon=src_lon,
                               wind_from_deg=wind_from_deg, u_m_s=u_m_s, cls=cls,
                               levels=(level,), factor=factor)[level]


def zone_masks_by_level(spec: ChemicalRelease, lat: ArrayLike, lon: ArrayLike, *,
                        src_lat: float, src_lon: float, wind_from_deg: float, u_m_s: float,
                        cls: str, levels: Sequence[int], factor: float = 1.0
                        ) -> dict[int, tuple[np.ndarray, np.ndarray | None]]:
    """:func:`zone_masks` for several AEGL levels, each estimate's plume evaluated once
    (:func:`drillsim.hazards.plume.zone_masks`)."""
    thresholds = [threshold_g_m3(spec, lvl, factor) for lvl in levels]
    gauss = plume_zone_masks(lat, lon, thresholds, **plume_kwargs(
        spec, src_lat, src_lon, wind_from_deg, u_m_s, cls))
    if not is_dense(spec):
        return {lvl: (g, None) for lvl, g in zip(levels, gauss, strict=True)}
    kw, handover = _dense_plume(spec, src_lat, src_lon, wind_from_deg, u_m_s, cls)
    x, _ = downwind_crosswind(lat, lon, src_lat, src_lon, wind_from_deg)
    near = (x > 0) & (distance_m(lat, lon, src_lat, src_lon) <= handover)
    dense = plume_zone_masks(lat, lon, thresholds, **kw)
    return {lvl: (g, d | near) for lvl, g, d in zip(levels, gauss, dense, strict=True)}


def driving_mask(masks: tuple[np.ndarray, np.ndarray | None]) -> np.ndarray:
    """The zone the protective actions, the hot zone and the exposure counts use: the
    union of the two estimates (the conservative choice; the Gaussian one alone for a gas
    lighter than air)."""
    gauss, dense = masks
    return gauss if dense is None else gauss | dense


def dense_extent(spec: ChemicalRelease, u_m_s: float, cls: str, level: int) -> float:
    """Farthest downwind distance above an AEGL level by the dense-gas estimate, m (NaN
    when the gas is not dense)."""
    if not is_dense(spec):
        return math.nan
    return dense_extent_m(source_rate_g_s(spec) / 1000.0, CHEMICALS[spec.chemical].mw_g_mol,
                          u_m_s, cls, urban=spec.dispersion == "urban",
                          threshold_g_m3=threshold_g_m3(spec, level))


def gaussian_extent(spec: ChemicalRelease, u_m_s: float, cls: str, level: int) -> float:
    """Farthest downwind distance above an AEGL level by the Gaussian estimate, m."""
    return zone_extent_m(source_rate_g_s(spec), u_m_s, spec.release.height_m, cls,
                         spec.dispersion == "urban", threshold_g_m3(spec, level))


def zone_outlines(spec: ChemicalRelease, src_lat: float, src_lon: float, wind_from_deg: float,
                  u_m_s: float, cls: str, level: int
                  ) -> tuple[list[tuple[float, float]], list[tuple[float, float]]]:
    """Outlines of an AEGL zone by each estimate, (lat, lon) rings for maps: (Gaussian,
    dense-gas beyond the hand-over; empty when the gas is not dense or the zone is
    never reached)."""
    threshold = threshold_g_m3(spec, level)
    gauss = zone_polygon(**plume_kwargs(spec, src_lat, src_lon, wind_from_deg, u_m_s, cls),
                         threshold_g_m3=threshold)
    if not is_dense(spec):
        return gauss, []
    kw, _ = _dense_plume(spec, src_lat, src_lon, wind_from_deg, u_m_s, cls)
    return gauss, zone_polygon(**kw, threshold_g_m3=threshold)


def erg(spec: ChemicalRelease, wind_m_s: float) -> ErgDistances | None:
    """The ERG Table 3 row of the release's chemical and container at a wind speed (m/s);
    None when the ERG has no row for the chemical."""
    try:
        return erg_distances(spec.chemical, ERG_CONTAINER.get(spec.chemical, "ton_cylinder"),
                             wind_m_s)
    except (KeyError, ValueError):
        return None


def isolation_m(spec: ChemicalRelease) -> float:
    """Initial isolation radius: the scenario's, else the ERG's for the container, m (the
    ERG's does not depend on the wind)."""
    if spec.isolation_m is not None:
        return float(spec.isolation_m)
    row = erg(spec, 1.0)
    if row is None:
        raise KeyError(f"no ERG isolation distance for {spec.chemical!r}; set isolation_m")
    return row.isolation_m


def downwind_m(spec: ChemicalRelease, wind_m_s: float, *, day: bool) -> float:
    """Side of the ERG protective-action square: the scenario's, else the ERG's for the
    wind (m/s) and time of day, m."""
    if spec.protective_actions.downwind_m is not None:
        return float(spec.protective_actions.downwind_m)
    row = erg(spec, wind_m_s)
    if row is None:
        raise KeyError(f"no ERG downwind distance for {spec.chemical!r}; set downwind_m")
    return (row.day_km if day else row.night_km) * 1000.0


def distance_m(lat: ArrayLike, lon: ArrayLike, src_lat: float, src_lon: float) -> np.ndarray:
    """Distance of points from the source, m."""
    x, y = downwind_crosswind(lat, lon, src_lat, src_lon, 0.0)
    return np.hypot(x, y)


def in_slug(t: float, x_m: ArrayLike, t_start: float, t_stop: float, u_m_s: float
            ) -> np.ndarray:
    """Points ``x_m`` metres downwind reached by the release at time ``t`` (s): the start
    and the stop of the leak travel downwind at the wind speed ``u_m_s``."""
    start, stop = _slug_times(x_m, t_start, t_stop, u_m_s)
    return (t >= start) & (t <= stop)


def slug_holds(t: float, x_m: ArrayLike, t_start: float, t_stop: float, u_m_s: float
               ) -> tuple[float, float]:
    """How long :func:`in_slug` keeps its answer at ``t``: the same for every time ``t'``
    with ``t <= t' < before`` and ``t' <= through``.

    Returns
    -------
    tuple of float
        (``before``: when the start of the leak next reaches a point, s; ``through``: the
        last time before the stop of the leak passes a point it has not passed yet, s;
        ``inf`` when none).
    """
    start, stop = _slug_times(x_m, t_start, t_stop, u_m_s)
    ahead, behind = start[t < start], stop[t <= stop]
    return (float(ahead.min()) if ahead.size else math.inf,
            float(behind.min()) if behind.size else math.inf)


def _slug_times(x_m: ArrayLike, t_start: float, t_stop: float, u_m_s: float
                ) -> tuple[np.ndarray, np.ndarray]:
    """When the start and the stop of the leak reach points ``x_m`` metres downwind, s."""
    lag = np.maximum(np.asarray(x_m, dtype=float), 0.0) / u_m_s
    return t_start + lag, t_stop + lag


def hot_zone(dist_m: ArrayLike, aegl3: np.ndarray, isolation_radius_m: float) -> np.ndarray:
    """The hot zone: within the isolation circle or in the AEGL-3 zone."""
    return (np.asarray(dist_m) <= isolation_radius_m) | aegl3


ROAD_STEP_M = 5.0
"""Spacing of the points at which a road arc is tested against the hot zone, m: a closed
section's ends are exact to this."""


class RoadPoints(NamedTuple):
    """Points along the road arcs near a source (:func:`road_points`).

    Attributes
    ----------
    arc
        Arc index of each point; the points of one arc are consecutive, from its tail.
    lat, lon
        Coordinates, degrees.
    """

    arc: np.ndarray
    lat: np.ndarray
    lon: np.ndarray


def road_points(lat: np.ndarray, lon: np.ndarray, edge_u: np.ndarray, edge_v: np.ndarray, *,
                src_lat: float, src_lon: float, reach_m: float,
                step_m: float = ROAD_STEP_M) -> RoadPoints:
    """Points at most ``step_m`` apart (both ends included) along every arc that passes
    within ``reach_m`` of the source (nearest point of the straight arc, m)."""
    x, y = downwind_crosswind(lat, lon, src_lat, src_lon, 0.0)  # any axes: distances only
    ax, ay, bx, by = x[edge_u], y[edge_u], x[edge_v], y[edge_v]
    dx, dy = bx - ax, by - ay
    length = np.hypot(dx, dy)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = np.clip(np.where(length > 0, -(ax * dx + ay * dy) / length**2, 0.0), 0.0, 1.0)
    near = np.flatnonzero(np.hypot(ax + p * dx, ay + p * dy) <= reach_m)
    n = np.maximum(np.ceil(length[near] / step_m).astype(np.int64) + 1, 2)
    arc = np.repeat(near, n)
    first = np.repeat(np.cumsum(n) - n, n)
    t = (np.arange(arc.size) - first) / np.repeat(n - 1, n)
    u, v = edge_u[arc], edge_v[arc]
    return RoadPoints(arc, lat[u] + t * (lat[v] - lat[u]), lon[u] + t * (lon[v] - lon[u]))


def hot_arcs(points: RoadPoints, inside: np.ndarray) -> np.ndarray:
    """Arcs closed to vehicles: those with a point in the hot zone (``inside``), sorted."""
    return np.unique(points.arc[inside])


def hot_sections(points: RoadPoints, inside: np.ndarray
                 ) -> list[tuple[tuple[float, float], tuple[float, float]]]:
    """The closed stretches of road: each run of consecutive points of one arc in the hot
    zone, as ((lat, lon) of its first point, (lat, lon) of its last)."""
    out = []
    k = np.flatnonzero(inside)
    if k.size == 0:
        return out
    breaks = np.flatnonzero((np.diff(k) != 1) | (np.diff(points.arc[k]) != 0)) + 1
    for run in np.split(k, breaks):
        a, b = int(run[0]), int(run[-1])
        out.append(((float(points.lat[a]), float(points.lon[a])),
                    (float(points.lat[b]), float(points.lon[b]))))
    return out


def hot_reach_m(spec: ChemicalRelease, u_m_s: float, cls: str) -> float:
    """How far from the source the hot zone can reach in this weather, m: the isolation
    radius or the AEGL-3 zone's length by either estimate (+10 % for the zone's width at
    its far end), whichever is longer."""
    dense = dense_extent(spec, u_m_s, cls, 3)
    return max(isolation_m(spec), 1.1 * gaussian_extent(spec, u_m_s, cls, 3),
               0.0 if math.isnan(dense) else 1.1 * dense)


def downwind_square(x_m: ArrayLike, y_m: ArrayLike, side_m: float) -> np.ndarray:
    """Points in the ERG protective-action area: downwind of the source, as wide as long."""
    x, y = np.asarray(x_m), np.asarray(y_m)
    return (x > 0) & (x <= side_m) & (np.abs(y) <= side_m / 2)


def downwind_square_outline(src_lat: float, src_lon: float, wind_from_deg: float,
                            side_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Corners of the :func:`downwind_square` area on the map (to draw it).

    Returns
    -------
    tuple of arrays
        (lat, lon) of the four corners, degrees: at the source 1/2 ``side_m`` (m) to
        either side of the wind's axis, then ``side_m`` downwind.
    """
    h = side_m / 2.0
    x = np.array([0.0, side_m, side_m, 0.0])
    y = np.array([-h, -h, h, h])
    return _to_lat_lon(x, y, src_lat, src_lon, wind_from_deg)


def leak_end(spec: ChemicalRelease, *, controlled_at: float | None, emptied_at: float | None,
             run_end: float) -> tuple[float, LeakEndHow]:
    """When and how the leak ended.

    Parameters
    ----------
    spec
        The release.
    controlled_at
        Drill time a crew stopped the leak (``source_control``), s, or None.
    emptied_at
        Drill time the engine logged the container empty (``source_empty``), s, or None.
    run_end
        Drill time the run ended, s.

    Returns
    -------
    tuple
        (drill time, s, ``inf`` when not ended; how: ``source_control``,
        ``container_empty`` or ``not_ended``). With no crew at the source the container
        still runs empty at :func:`container_empty_at`, if that is within the run.
    """
    if controlled_at is not None:
        return float(controlled_at), "source_control"
    empty = emptied_at if emptied_at is not None else container_empty_at(spec)
    if empty <= run_end:
        return float(empty), "container_empty"
    return math.inf, "not_ended"
