"""The chemical-release rules, defined once: source term, isolation, hot zone, leak end.

Pure functions of a release's specification (``drillsim.scenarios.schema.ChemicalRelease``)
and of points around the source. The engine (:mod:`drillsim.agents.chemical_release`)
plays them forward; the metrics (:mod:`drillsim.metrics.chemical`) and the report apply
the same functions to what the run recorded, so the isolation radius, the hot zone, the
downwind distance and the time the leak ends are the same number everywhere.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from drillsim.hazards.plume import (
    CHEMICALS,
    ErgDistances,
    _to_lat_lon,
    downwind_crosswind,
    erg_distances,
)

if TYPE_CHECKING:
    from drillsim.scenarios.schema import ChemicalRelease

LEVELS = (3, 2, 1)
"""AEGL levels, most severe first."""

ERG_CONTAINER = {"chlorine": "ton_cylinder", "ammonia": "multiple_small_cylinders"}
"""The ERG Table 3 row used for the default isolation radius and downwind distance (one
ton container of chlorine; small ammonia containers or a plant line)."""

LeakEndHow = Literal["source_control", "container_empty", "not_ended"]
"""How a leak ended: a crew stopped it, the container ran empty, or not by the drill's end."""


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
    lag = np.maximum(np.asarray(x_m, dtype=float), 0.0) / u_m_s
    return (t >= t_start + lag) & (t <= t_stop + lag)


def hot_zone(dist_m: ArrayLike, aegl3: np.ndarray, isolation_radius_m: float) -> np.ndarray:
    """The hot zone: within the isolation circle or in the AEGL-3 zone."""
    return (np.asarray(dist_m) <= isolation_radius_m) | aegl3


def hot_edges(hot: np.ndarray, edge_u: np.ndarray, edge_v: np.ndarray) -> np.ndarray:
    """Arcs closed to vehicles: those with an end node in the hot zone (indices)."""
    return np.flatnonzero(hot[edge_u] | hot[edge_v])


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
