"""Urban pluvial flood: design rain, waterlogging points as storages, road passability by depth.

Rain
    Storm-intensity (IDF) formula of the Chinese form q = A(1 + C·lgP) / (t + b)^n, q in
    L/(s·ha), t the duration in minutes, P the return period in years (GB 50014-2021,
    室外排水设计标准 §4.1; Tianjin's local standard DB/T 29-236-2016 uses the same form,
    zoned, with coefficients we could not retrieve). The default is the commonly quoted
    pre-2016 handbook formula for Tianjin, q = 3833.34(1 + 0.85 lgP)/(t + 17)^0.85,
    which gives 30-120-minute depths for 2-50 years within −2.7 % to +5.1 % of the
    station statistics for the central city, well inside their sampling error (李明财
    et al. 2012, 地理科学 32(12), Table 1, annual-maximum method; see
    ``tests/validation/test_rainfall.py``). A formula becomes a hyetograph by the
    Chicago design storm (Keifer & Chu 1957, J. Hydraul. Div. ASCE 83(HY4)), or the
    designer gives a piecewise-constant series.

Waterlogging point (易涝点)
    A single storage (reservoir): inflow = rain × catchment × runoff coefficient
    (the rational method's ψ·q·F), outflow = drainage capacity plus any pumps, depth =
    stored volume / ponding area (prismatic: vertical sides). For inputs constant over
    a step the volume is V(t) = max(0, V0 + (Q_in − Q_out)·t), solved exactly; mass
    balances to floating-point precision. Not modelled: surcharge of the pipes by the
    river level, overland flow between points, infiltration, the shape of the dip.

Passability
    Speed share by water depth after Pregnolato et al. (2017, Transportation Research
    Part D 55:67-81), whose fitted depth-disruption curve v(d) = 0.0009·d² − 0.5529·d
    + 86.9 (km/h, d in mm) holds for cars up to 300 mm, where they treat a road as
    impassable. Other vehicles use the same shape stretched to their own limit
    (:data:`DEPTH_LIMIT_M`). People on foot follow measured wading speeds instead
    (:func:`wading_speed_factor`, Li et al. 2026) up to their own limit.

Rain on open roads
    Falling rain slows traffic on every road, flooded or not: Hranac et al. (2006,
    *Empirical Studies on Traffic Flow in Inclement Weather*, FHWA-HOP-07-073; also Rakha
    et al. 2008, Transp. Res. Rec. 2071) found from loop detectors in three US cities that
    light rain (0.01 cm/h = 0.1 mm/h) lowers the free-flow speed by 2-3.6 % and rain of
    1.6 cm/h (16 mm/h, the heaviest in their data) by 6-9 %, with the reduction growing
    about linearly between. :func:`rain_speed_factor` takes the middle of each range and
    interpolates linearly; above 16 mm/h it holds the 16 mm/h value (no data: an
    ASSUMPTION that understates the slowing in a cloudburst, where visibility falls too).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

L_S_HA_TO_MM_H = 0.36
"""1 L/(s·ha) of rain is 0.36 mm/h (1 L over 10⁴ m² is 0.1 mm; × 3600 s/h)."""


@dataclass(frozen=True)
class StormFormula:
    """Storm-intensity formula q = A(1 + C·lgP) / (t + b)^n.

    q in L/(s·ha) is the average intensity over a duration t (minutes) that is
    reached or exceeded once in P years on average.

    Attributes
    ----------
    A
        Rain-force parameter, L/(s·ha)·min^n.
    C
        Return-period coefficient, dimensionless.
    b
        Time offset, min.
    n
        Decay exponent, dimensionless.
    """

    A: float
    C: float
    b: float
    n: float

    def intensity(self, duration_min: float, return_period_y: float) -> float:
        """Average intensity over ``duration_min`` for a return period, L/(s·ha).

        Parameters
        ----------
        duration_min
            Duration t, minutes (≥ 0).
        return_period_y
            Return period P, years (> 0).
        """
        if return_period_y <= 0:
            raise ValueError(f"return period must be positive, got {return_period_y} years")
        if duration_min < 0:
            raise ValueError(f"duration must not be negative, got {duration_min} min")
        return (self.A * (1.0 + self.C * math.log10(return_period_y))
                / (duration_min + self.b) ** self.n)

    def depth_mm(self, duration_min: float, return_period_y: float) -> float:
        """Design rain depth over ``duration_min`` for a return period, mm.

        Depth = q · 0.36 mm/h per L/(s·ha) · t / 60.
        """
        q = self.intensity(duration_min, return_period_y)
        return q * L_S_HA_TO_MM_H * duration_min / 60.0


TIANJIN_HANDBOOK = StormFormula(A=3833.34, C=0.85, b=17.0, n=0.85)
"""The pre-2016 handbook storm-intensity formula for Tianjin,
q = 3833.34(1 + 0.85 lgP)/(t + 17)^0.85 (L/(s·ha), t in min, P in years; as quoted in the
brief, `hongqiao-geodata.md`). Within −2.7 % to +5.1 % of the 30-, 60- and 120-min
central-city station depths (2-50 years) of 李明财 et al. (2012). DB/T 29-236-2016
replaces it; put its zone's coefficients in the drill file when they are available."""


def _chicago_mass_curve(formula: StormFormula, return_period_y: float, duration_min: float,
                        peak_ratio: float, t_min: np.ndarray) -> np.ndarray:
    """Cumulative Chicago-storm depth from the start of the storm to ``t_min``, mm.

    With H(D) the IDF depth for duration D and the peak at t_p = r·T, the rain in the
    s minutes before the peak is r·H(s/r) and in the s minutes after it (1 − r)·H(s/(1 − r)):
    so every window of length D with r·D before the peak holds H(D) (Keifer & Chu 1957).
    """
    scale = formula.A * (1.0 + formula.C * math.log10(return_period_y))

    def h(d: np.ndarray) -> np.ndarray:
        q = scale / (d + formula.b) ** formula.n
        return q * L_S_HA_TO_MM_H * d / 60.0

    r = peak_ratio
    t_p = r * duration_min
    before = np.zeros_like(t_min) if r == 0 else r * h(np.maximum(t_p - t_min, 0.0) / r)
    after = (np.zeros_like(t_min) if r == 1
             else (1.0 - r) * h(np.maximum(t_min - t_p, 0.0) / (1.0 - r)))
    total_before = r * h(np.asarray(duration_min, dtype=float)) if r > 0 else 0.0
    return total_before - before + after


def chicago_hyetograph(formula: StormFormula, return_period_y: float, duration_min: float,
                       peak_ratio: float, step_min: float) -> np.ndarray:
    """Keifer & Chu (1957) Chicago design storm as block intensities, mm/h, one per step.

    Each block is the exact integral of the continuous Chicago curve over that step divided
    by the step, so the blocks sum (× step) to the IDF depth for the whole duration, and the
    most intense window of any length D centred on the peak (split by ``peak_ratio``) holds
    the IDF depth for D.

    Parameters
    ----------
    formula
        Storm-intensity formula.
    return_period_y
        Return period P, years.
    duration_min
        Storm duration T, minutes; a whole number of steps.
    peak_ratio
        Position of the peak as a share of the duration, r in [0, 1] (0.4 is a common
        choice in Chinese practice; assumption unless the drill sets it).
    step_min
        Block length, minutes.

    Returns
    -------
    numpy.ndarray
        Intensity of each block, mm/h, length T / step.
    """
    if not 0.0 <= peak_ratio <= 1.0:
        raise ValueError(f"peak ratio must be between 0 and 1, got {peak_ratio}")
    if not return_period_y > 0:
        raise ValueError(f"return period must be positive, got {return_period_y} years")
    if step_min <= 0 or duration_min <= 0:
        raise ValueError("duration and step must be positive")
    n_steps = round(duration_min / step_min)
    if n_steps < 1 or abs(n_steps * step_min - duration_min) > 1e-9 * duration_min:
        raise ValueError(f"duration {duration_min} min is not a whole number of "
                         f"{step_min}-min steps")
    edges = np.arange(n_steps + 1, dtype=float) * step_min
    edges[-1] = duration_min
    mass = _chicago_mass_curve(formula, return_period_y, duration_min, peak_ratio, edges)
    return np.diff(mass) / step_min * 60.0


@dataclass(frozen=True)
class RainSeries:
    """Piecewise-constant rain intensity over time.

    ``values[i]`` (mm/h) holds on ``[edges[i], edges[i+1])``; the rain is zero before
    ``edges[0]`` and from ``edges[-1]`` on. ``edges[-1]`` may be ``inf`` (the last value
    holds for ever).

    Attributes
    ----------
    edges
        Block boundaries, s, strictly increasing, one more than ``values``.
    values
        Intensities, mm/h, non-negative and finite.
    """

    edges: tuple[float, ...]
    values: tuple[float, ...]

    def __post_init__(self) -> None:
        edges = tuple(float(t) for t in self.edges)
        values = tuple(float(v) for v in self.values)
        object.__setattr__(self, "edges", edges)
        object.__setattr__(self, "values", values)
        if len(edges) != len(values) + 1:
            raise ValueError("a rain series needs one more time than intensities")
        if any(math.isnan(t) for t in edges) or any(math.isinf(t) for t in edges[:-1]):
            raise ValueError("rain times must be finite numbers (only the end may be infinite)")
        if any(b <= a for a, b in zip(edges, edges[1:], strict=False)):
            raise ValueError("rain times must be strictly increasing")
        if any(not math.isfinite(v) or v < 0 for v in values):
            raise ValueError("rain intensities must be finite and not negative (mm/h)")
        # cumulative depth (mm) at each finite edge
        cum = [0.0]
        for i, v in enumerate(values):
            width = edges[i + 1] - edges[i]
            cum.append(cum[-1] + (v * width / 3600.0 if v > 0 else 0.0))
        object.__setattr__(self, "_cum", tuple(cum))

    @classmethod
    def from_blocks(cls, blocks_mm_h: Sequence[float], step_s: float,
                    start_s: float = 0.0) -> RainSeries:
        """A series of equal blocks (a hyetograph), the first starting at ``start_s``.

        Parameters
        ----------
        blocks_mm_h
            Intensity of each block, mm/h.
        step_s
            Block length, s.
        start_s
            Start of the first block, s.
        """
        if step_s <= 0:
            raise ValueError(f"block length must be positive, got {step_s} s")
        n = len(blocks_mm_h)
        if n == 0:
            raise ValueError("a hyetograph needs at least one block")
        edges = tuple(start_s + i * step_s for i in range(n + 1))
        return cls(edges, tuple(blocks_mm_h))

    @property
    def breakpoints(self) -> tuple[float, ...]:
        """Times (s) at which the intensity changes, including the start and the end of rain."""
        out: list[float] = []
        prev = 0.0
        for t, v in zip(self.edges, (*self.values, 0.0), strict=True):
            if v != prev and math.isfinite(t):
                out.append(t)
            prev = v
        return tuple(out)

    def intensity_mm_h(self, t_s: float) -> float:
        """Rain intensity at time ``t_s`` (s), mm/h (zero outside the series)."""
        if t_s < self.edges[0] or t_s >= self.edges[-1]:
            return 0.0
        i = int(np.searchsorted(self.edges, t_s, side="right")) - 1
        return self.values[i]

    def _cumulative(self, t_s: float) -> float:
        edges, cum = self.edges, self._cum  # type: ignore[attr-defined]
        if t_s <= edges[0]:
            return 0.0
        if t_s >= edges[-1]:
            return cum[-1]
        i = int(np.searchsorted(edges, t_s, side="right")) - 1
        v = self.values[i]
        if v == 0:
            return cum[i]
        return cum[i] + v * (t_s - edges[i]) / 3600.0

    def depth_mm(self, t0_s: float, t1_s: float) -> float:
        """Rain depth between ``t0_s`` and ``t1_s`` (s, t0 ≤ t1), mm: the exact integral."""
        if t1_s < t0_s:
            raise ValueError(f"depth needs t0 ≤ t1, got {t0_s} > {t1_s}")
        if t1_s == t0_s:
            return 0.0
        return max(0.0, self._cumulative(t1_s) - self._cumulative(t0_s))


def rain_series(times_s: Sequence[float], intensities_mm_h: Sequence[float]) -> RainSeries:
    """A piecewise-constant rain series given by the drill designer.

    Parameters
    ----------
    times_s
        Times (s from the start of the drill) at which each intensity begins, strictly
        increasing, starting at 0. Either as many as the intensities (the last one then
        holds to the end of the drill: give a final 0 to stop the rain) or one more (the
        last time is when the rain stops).
    intensities_mm_h
        Intensities, mm/h, not negative.

    Raises
    ------
    ValueError
        With a plain message when the series is malformed.
    """
    times = [float(t) for t in times_s]
    values = [float(v) for v in intensities_mm_h]
    if not values:
        raise ValueError("the rain series is empty: give at least one time and intensity")
    if len(times) not in (len(values), len(values) + 1):
        raise ValueError(f"the rain series has {len(times)} times for {len(values)} intensities: "
                         "give one time per intensity (or one more, for the end of the rain)")
    if times[0] != 0.0:
        raise ValueError(f"the rain series must start at time 0, not {times[0]} s")
    for i, (a, b) in enumerate(zip(times, times[1:], strict=False)):
        if not b > a:
            raise ValueError(f"rain times must increase strictly: time {i + 2} ({b} s) "
                             f"is not after time {i + 1} ({a} s)")
    for i, v in enumerate(values):
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"rain intensity {i + 1} is {v} mm/h: it must be a number ≥ 0")
    if not all(math.isfinite(t) for t in times):
        raise ValueError("rain times must be finite numbers of seconds")
    if len(times) == len(values):
        times.append(math.inf)
    return RainSeries(tuple(times), tuple(values))


@dataclass(frozen=True)
class Reservoir:
    """A waterlogging point as a storage.

    Inflow = rain × catchment × runoff coefficient; outflow = drainage capacity (plus
    pumps); depth = stored volume / ponding area (prismatic). Exact for piecewise-constant
    inputs; mass balances.

    Attributes
    ----------
    catchment_ha
        Area draining to the point, ha.
    runoff_coeff
        Share of the rain that runs off, ψ in [0, 1] (about 0.85-0.95 for roofs and
        roads: GB 50014-2021 Table 4.1.9).
    drain_m3_s
        Capacity of the drains that empty the point, m³/s.
    area_m2
        Ponding area, m² (depth = volume / area).
    """

    catchment_ha: float
    runoff_coeff: float
    drain_m3_s: float
    area_m2: float

    def __post_init__(self) -> None:
        if not self.catchment_ha >= 0:
            raise ValueError(f"catchment must not be negative, got {self.catchment_ha} ha")
        if not 0.0 <= self.runoff_coeff <= 1.0:
            raise ValueError(f"runoff coefficient must be between 0 and 1, got {self.runoff_coeff}")
        if not self.drain_m3_s >= 0:
            raise ValueError(f"drainage capacity must not be negative, got {self.drain_m3_s} m³/s")
        if not self.area_m2 > 0:
            raise ValueError(f"ponding area must be positive, got {self.area_m2} m²")

    def inflow_m3_s(self, rain_mm_h: float) -> float:
        """Runoff reaching the point at a rain intensity, m³/s.

        rain (mm/h) / 1000 / 3600 × catchment (ha) × 10⁴ × ψ.
        """
        return rain_mm_h / 3.6e6 * self.catchment_ha * 1.0e4 * self.runoff_coeff

    def step(self, volume_m3: float, rain_mm_h: float, extra_drain_m3_s: float,
             dt_s: float) -> tuple[float, float, float]:
        """Advance by ``dt_s`` with constant rain and drainage.

        Parameters
        ----------
        volume_m3
            Stored volume at the start, m³ (≥ 0).
        rain_mm_h
            Rain intensity over the step, mm/h.
        extra_drain_m3_s
            Pumping on top of the drains, m³/s (≥ 0).
        dt_s
            Step length, s (≥ 0).

        Returns
        -------
        tuple of float
            ``(new_volume_m3, inflow_m3, outflow_m3)``, exact: the volume never goes
            negative; when the store empties within the step the outflow is
            volume + inflow, so new − old = inflow − outflow always.
        """
        if volume_m3 < 0 or dt_s < 0 or extra_drain_m3_s < 0 or rain_mm_h < 0:
            raise ValueError("volume, rain, pumping and step length must not be negative")
        inflow = self.inflow_m3_s(rain_mm_h) * dt_s
        capacity = (self.drain_m3_s + extra_drain_m3_s) * dt_s
        new = volume_m3 + inflow - capacity
        if new > 0:
            return new, inflow, capacity
        return 0.0, inflow, volume_m3 + inflow

    def depth_m(self, volume_m3: float) -> float:
        """Water depth at a stored volume, m (prismatic store)."""
        return max(volume_m3, 0.0) / self.area_m2

    def time_to_depth(self, volume_m3: float, depth_m: float, rain_mm_h: float,
                      extra_drain_m3_s: float = 0.0) -> float:
        """Seconds until the depth reaches ``depth_m`` under constant inputs.

        0 if it is already there; ``inf`` if the net inflow cannot get it there.
        """
        target = depth_m * self.area_m2
        if volume_m3 >= target:
            return 0.0
        net = self.inflow_m3_s(rain_mm_h) - self.drain_m3_s - extra_drain_m3_s
        if net <= 0:
            return math.inf
        return (target - max(volume_m3, 0.0)) / net


def rational_flow_m3_s(formula: StormFormula, return_period_y: float, duration_min: float,
                       catchment_ha: float, runoff_coeff: float) -> float:
    """Design flow of the rational method Q = ψ·q·F (GB 50014-2021 §4.1), m³/s.

    Useful to set a point's drainage capacity from its design standard (pipes in old
    Chinese districts were built to P = 1 year or less; GB 50014-2021 asks 3-5 years
    for big cities: assumption per point).
    """
    return runoff_coeff * formula.intensity(duration_min, return_period_y) * catchment_ha / 1000.0


PREGNOLATO_V0_KM_H = 86.9
"""Free-flow speed of the Pregnolato et al. (2017) depth-disruption curve at zero depth, km/h."""

PREGNOLATO_LIMIT_MM = 300.0
"""Depth at which Pregnolato et al. (2017) treat a road as impassable to cars, mm."""


def pregnolato_speed_km_h(depth_mm: float) -> float:
    """Pregnolato et al. (2017) car speed in standing water, v = 0.0009·d² − 0.5529·d + 86.9.

    km/h for d in mm, valid for 0 ≤ d < 300 mm (their fit; 0 from 300 mm on).
    """
    if depth_mm >= PREGNOLATO_LIMIT_MM:
        return 0.0
    d = max(depth_mm, 0.0)
    return 0.0009 * d * d - 0.5529 * d + PREGNOLATO_V0_KM_H


def _dry_or_closed(depth_m: float, limit_m: float) -> float | None:
    """The speed share at the ends of a depth curve: 1 when dry, 0 from ``limit_m`` (m) on;
    ``None`` in between (the curve decides). Raises ``ValueError`` for a limit ≤ 0."""
    if not limit_m > 0:
        raise ValueError(f"depth limit must be positive, got {limit_m} m")
    if depth_m <= 0:
        return 1.0
    if depth_m >= limit_m:
        return 0.0
    return None


def speed_factor(depth_m: float, limit_m: float) -> float:
    """Share of free-flow speed at a water depth.

    The Pregnolato et al. (2017, Transportation Research Part D 55:67-81) depth-disruption
    curve v(d) = 0.0009·d² − 0.5529·d + 86.9 (km/h, d in mm), normalised by v(0) and
    stretched so that it reaches its 300 mm car limit at ``limit_m``; 0 at or beyond the
    limit; 1 when dry.

    Parameters
    ----------
    depth_m
        Water depth on the road, m.
    limit_m
        Depth at which this vehicle class stops, m (:data:`DEPTH_LIMIT_M`).

    Returns
    -------
    float
        Speed share in [0, 1], non-increasing in depth. Just below the limit it is about
        0.023 (the fitted curve's 2 km/h at 300 mm), and 0 from the limit on.
    """
    ends = _dry_or_closed(depth_m, limit_m)
    if ends is not None:
        return ends
    return pregnolato_speed_km_h(depth_m / limit_m * PREGNOLATO_LIMIT_MM) / PREGNOLATO_V0_KM_H


RAIN_LIGHT_MM_H = 0.1
"""Light rain of Hranac et al. (2006): 0.01 cm/h, mm/h."""

RAIN_HEAVY_MM_H = 16.0
"""The heaviest rain in Hranac et al. (2006): 1.6 cm/h, mm/h."""

RAIN_LIGHT_REDUCTION = 0.028
"""Free-flow speed reduction in light rain: the middle of Hranac et al.'s 2-3.6 %."""

RAIN_HEAVY_REDUCTION = 0.075
"""Free-flow speed reduction at 16 mm/h: the middle of Hranac et al.'s 6-9 %."""


def rain_speed_factor(rain_mm_h: float) -> float:
    """Share of free-flow speed left on open roads in rain (Hranac et al. 2006).

    1 when dry; from any rain on, 1 − r(i) with r linear from 2.8 % at 0.1 mm/h to 7.5 %
    at 16 mm/h (the middles of the published 2-3.6 % and 6-9 %), r(i) = 2.8 % below
    0.1 mm/h (a wet road) and 7.5 % above 16 mm/h (beyond the data: ASSUMPTION).

    Parameters
    ----------
    rain_mm_h
        Rain intensity, mm/h (≥ 0).

    Returns
    -------
    float
        Speed share in [0.925, 1], non-increasing in intensity.
    """
    if not rain_mm_h >= 0:
        raise ValueError(f"rain intensity must be a number ≥ 0, got {rain_mm_h} mm/h")
    if rain_mm_h == 0:
        return 1.0
    x = min(max(rain_mm_h, RAIN_LIGHT_MM_H), RAIN_HEAVY_MM_H)
    r = RAIN_LIGHT_REDUCTION + (RAIN_HEAVY_REDUCTION - RAIN_LIGHT_REDUCTION) * (
        (x - RAIN_LIGHT_MM_H) / (RAIN_HEAVY_MM_H - RAIN_LIGHT_MM_H))
    return 1.0 - r


RAIN_SLOWED = ("car", "truck", "fire_engine", "high_clearance")
"""Vehicle classes the rain slows: every motor vehicle. Emergency vehicles under lights
and siren are taken to slow by the same share (ASSUMPTION: no study of emergency
driving in rain was found; the drivers face the same wet braking distances and poor
visibility). People on foot keep their pace (not modelled)."""


DEPTH_LIMIT_M: dict[str, float] = {
    # Pregnolato et al. 2017: 300 mm of standing water stops a passenger car.
    "car": 0.3,
    # Trafficability criteria quoted in the brief (models-and-standards.md, Flood):
    # about 0.6 m for emergency vehicles; a loaded truck is taken the same (assumption).
    "truck": 0.6,
    "fire_engine": 0.6,
    # Assumption: high-clearance rescue vehicles (e.g. 6×6 flood trucks) wade about 0.9 m.
    "high_clearance": 0.9,
    # People in standing water: 0.5 m is the still-water limit for children and frail
    # people in Australian Rainfall & Runoff Revision Project 10 (Cox, Shand & Blacka 2010);
    # adults wade to about 1.2 m in still water (EMA advice cited there). A conservative
    # limit for a mixed population (assumption in the choice); velocity is not modelled.
    "foot": 0.5,
}
"""Depth (m) at which each vehicle class, or people on foot, can no longer pass."""

WADING_DEPTH_M = 0.35
"""The measured water depth of :data:`WADING_SPEED_SHARE`, m."""

WADING_SPEED_SHARE = 1.0 - (0.386 + 0.448) / 2.0
"""Share of the dry walking speed in 0.35 m of still water, 0.583: Li, Song, Zhang & Bode
(2026, Acta Polytechnica CTU Proceedings 57:226, doi:10.14311/APP.2026.57.0226), 188
participants at depths 0, 0.35, 0.60 and 0.90 m: speed fell 38.6 % for men and 44.8 % for
women from 0 to 0.35 m (the mean of the two: equal shares of men and women, assumption)."""


def wading_speed_factor(depth_m: float, limit_m: float = DEPTH_LIMIT_M["foot"]) -> float:
    """Share of the dry walking speed of people on foot in standing water.

    Li et al. (2026, :data:`WADING_SPEED_SHARE`) measured 0.583 of the dry speed at
    0.35 m and report that deeper water slowed walkers by progressively less. Between the
    dry street and 0.35 m the share is interpolated linearly (assumption); from 0.35 m to
    the walking limit it stays at 0.583 (assumption: the measured further falls are small;
    this errs towards faster walking); at or beyond ``limit_m`` the way is closed.

    Parameters
    ----------
    depth_m
        Water depth on the road, m.
    limit_m
        Depth from which people on foot cannot pass, m (:data:`DEPTH_LIMIT_M` ``"foot"``).

    Returns
    -------
    float
        Speed share in [0, 1], non-increasing in depth; 1 when dry, 0 from the limit on.
    """
    ends = _dry_or_closed(depth_m, limit_m)
    if ends is not None:
        return ends
    if depth_m >= WADING_DEPTH_M:
        return WADING_SPEED_SHARE
    return 1.0 - (1.0 - WADING_SPEED_SHARE) * depth_m / WADING_DEPTH_M


def road_speed_factor(vehicle: str, depth_m: float) -> float:
    """Share of free-flow speed of a vehicle class (or ``"foot"``) at a water depth.

    People on foot follow :func:`wading_speed_factor`, vehicles :func:`speed_factor`, each
    up to its limit in :data:`DEPTH_LIMIT_M`.
    """
    limit = DEPTH_LIMIT_M[vehicle]
    if vehicle == "foot":
        return wading_speed_factor(depth_m, limit)
    return speed_factor(depth_m, limit)
