"""Dense-gas screening estimate: the Britter-McQuaid workbook correlations for a
continuous ground-level release, continued by a Gaussian plume from a virtual source.

Sources
-------
- Britter, R.E. and McQuaid, J. (1988). *Workbook on the Dispersion of Dense Gases*.
  HSE Contract Research Report 17/1988. Figure for continuous releases: the maximum
  (centreline) ground concentration ratio Cm/C0 against x/(q0/u)^(1/2) for the
  buoyancy parameter α = (1/5)·log10(g0'²·q0/u⁵), curves for Cm/C0 = 0.1, 0.05, 0.02,
  0.01, 0.005 and 0.002; the passive limit Cm/C0 = 306·x'^-2 / (1 + 306·x'^-2) at short
  range (x' ≤ 30).
- The curves as straight-line segments in α (TSCREEN's digitisation, reproduced in
  AIChE/CCPS (1999) *Guidelines for Consequence Analysis of Chemical Releases* §2.1.2
  and in Crowl & Louvar, *Chemical Process Safety*, the Britter-McQuaid plume table):
  β = log10(x/(q0/u)^(1/2)) = a·α + b on each band of α (:data:`BM_PLUME`).
- Below the last curve (Cm/C0 = 0.002) the workbook's dense-gas effects have died out
  and the cloud disperses passively. ALOHA and CCPS hand over to a Gaussian plume from
  a *virtual source*: the point upwind where a ground-level Gaussian plume of the same
  emission gives the workbook's concentration at the workbook's distance
  (CCPS 1999 §2.1.2; Reynolds 1992, ALOHA theoretical description, heavy-gas to
  Gaussian transition). The passive plume uses the drill's own stability class and
  urban or rural σ's (:mod:`drillsim.hazards.plume`), with the release at ground level
  (a dense cloud has slumped).

Assumptions (stated in docs/models.md): the source gas is pure vapour at ambient
temperature (25 °C, 1 atm), so C0 = 1 and no non-isothermal correction; a cold or
two-phase chlorine release is denser and would reach farther near the source.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from drillsim.hazards.plume import R_GAS, Stability, ground_concentration_g_m3

G_M_S2 = 9.81
"""Acceleration of gravity, m/s²."""

AIR_M_G_MOL = 28.96
"""Molar mass of dry air, g/mol (the same as :attr:`Chemical.density_rel_air` uses)."""

AMBIENT_K = 298.15
"""Ambient temperature of the screening estimate, K (25 °C)."""

AMBIENT_PA = 101_325.0
"""Ambient pressure, Pa."""

NEAR_FIELD_X = 30.0
"""x/(q0/u)^(1/2) up to which the workbook's passive short-range formula applies."""

BM_PLUME: dict[float, tuple[tuple[float, float, float], ...]] = {
    # Cm/C0: (upper bound of α, a, b) with β = a·α + b on (previous bound, upper bound]
    0.10: ((-0.55, 0.0, 1.75), (-0.14, 0.24, 1.88), (1.0, -0.50, 1.78)),
    0.05: ((-0.68, 0.0, 1.92), (-0.29, 0.36, 2.16), (-0.18, 0.0, 2.06), (1.0, -0.56, 1.96)),
    0.02: ((-0.69, 0.0, 2.08), (-0.31, 0.45, 2.39), (-0.16, 0.0, 2.25), (1.0, -0.54, 2.16)),
    0.01: ((-0.70, 0.0, 2.25), (-0.29, 0.49, 2.59), (-0.20, 0.0, 2.45), (1.0, -0.52, 2.35)),
    0.005: ((-0.67, 0.0, 2.40), (-0.28, 0.59, 2.80), (-0.15, 0.0, 2.63), (1.0, -0.49, 2.56)),
    0.002: ((-0.69, 0.0, 2.60), (-0.25, 0.39, 2.87), (-0.13, 0.0, 2.77), (1.0, -0.50, 2.71)),
}
"""The Britter-McQuaid continuous-plume curves as line segments in α (CCPS 1999;
TSCREEN). Below the first bound a curve is flat; above α = 1 the last segment is
extended (the workbook's data end there)."""

LOWEST_RATIO = min(BM_PLUME)
"""The last workbook curve, Cm/C0 = 0.002."""


def beta(ratio: float, alpha: float) -> float:
    """β = log10(x/(q0/u)^(1/2)) of one workbook curve at buoyancy parameter ``alpha``.

    Parameters
    ----------
    ratio
        Cm/C0 of a tabulated curve (a key of :data:`BM_PLUME`).
    alpha
        α = (1/5)·log10(g0'²·q0/u⁵), dimensionless.
    """
    for upper, a, b in BM_PLUME[ratio]:
        if alpha <= upper:
            return a * alpha + b
    _, a, b = BM_PLUME[ratio][-1]
    return a * alpha + b


def passive_ratio(x_dimless: float) -> float:
    """The workbook's short-range passive limit Cm/C0 = 306·x'^-2 / (1 + 306·x'^-2)."""
    k = 306.0 / x_dimless ** 2
    return k / (1.0 + k)


@dataclass(frozen=True)
class DenseRelease:
    """A continuous dense-gas release for the workbook.

    Attributes
    ----------
    q0_m3_s
        Volume rate of the pure gas at the source, m³/s.
    g0
        Reduced gravity g·(ρ0 − ρa)/ρa, m/s².
    u_m_s
        Wind speed at 10 m, m/s.
    """

    q0_m3_s: float
    g0: float
    u_m_s: float

    @property
    def alpha(self) -> float:
        """α = (1/5)·log10(g0'²·q0/u⁵)."""
        return 0.2 * math.log10(self.g0 ** 2 * self.q0_m3_s / self.u_m_s ** 5)

    @property
    def length_m(self) -> float:
        """The workbook's length scale (q0/u)^(1/2), m."""
        return math.sqrt(self.q0_m3_s / self.u_m_s)

    def distance_m(self, ratio: float) -> float:
        """Downwind distance where the centreline Cm/C0 falls to ``ratio``, m, for
        LOWEST_RATIO ≤ ratio < 1: the short-range passive formula up to x' = 30, then
        the curves, interpolated linearly in β against log10(Cm/C0)."""
        if not LOWEST_RATIO <= ratio < 1.0:
            raise ValueError(f"the workbook covers Cm/C0 from {LOWEST_RATIO} to 1, got {ratio}")
        ratios = sorted(BM_PLUME, reverse=True)
        betas = [beta(r, self.alpha) for r in ratios]
        c_near = passive_ratio(NEAR_FIELD_X)
        if ratio >= c_near:
            return math.sqrt(306.0 * (1.0 - ratio) / ratio) * self.length_m
        logs = [math.log10(c_near)] + [math.log10(r) for r in ratios]
        bs = [math.log10(NEAR_FIELD_X)] + betas
        b = float(np.interp(-math.log10(ratio), [-v for v in logs], bs))
        return 10.0 ** b * self.length_m


def dense_release(rate_kg_s: float, mw_g_mol: float, u_m_s: float) -> DenseRelease:
    """The workbook's source parameters of a pure vapour at ambient temperature.

    Parameters
    ----------
    rate_kg_s
        Mass release rate, kg/s.
    mw_g_mol
        Molar mass of the gas, g/mol (denser than air: > 28.96).
    u_m_s
        Wind speed at 10 m, m/s.
    """
    rho0 = mw_g_mol / 1000.0 * AMBIENT_PA / (R_GAS * AMBIENT_K)
    return DenseRelease(rate_kg_s / rho0, G_M_S2 * (mw_g_mol / AIR_M_G_MOL - 1.0), u_m_s)


@dataclass(frozen=True)
class DenseSource:
    """Where the dense-gas estimate hands over to a passive Gaussian plume.

    Attributes
    ----------
    alpha
        The workbook's buoyancy parameter.
    handover_m
        Downwind distance of the last workbook curve (Cm/C0 = 0.002), m.
    shift_m
        Position of the virtual Gaussian source downwind of the real one, m (negative:
        upwind): handover_m minus the Gaussian distance to the same concentration.
    c_handover_g_m3
        Concentration at the hand-over, g/m³.
    """

    alpha: float
    handover_m: float
    shift_m: float
    c_handover_g_m3: float


@lru_cache(maxsize=64)
def dense_source(rate_kg_s: float, mw_g_mol: float, u_m_s: float, cls: Stability, *,
                 urban: bool) -> DenseSource:
    """The workbook's hand-over point and the virtual source of the passive plume.

    Kept for the last 64 arguments (a root search of about 4 ms: a release's zones, hot
    reach and outlines ask it again for each point set and level in one weather).

    Parameters
    ----------
    rate_kg_s, mw_g_mol, u_m_s
        See :func:`dense_release`.
    cls, urban
        Stability class and σ's of the passive plume beyond the hand-over.
    """
    rel = dense_release(rate_kg_s, mw_g_mol, u_m_s)
    x_h = rel.distance_m(LOWEST_RATIO)
    c_h = LOWEST_RATIO * rate_kg_s * 1000.0 / rel.q0_m3_s  # g/m³ (C0 = pure gas)
    q = rate_kg_s * 1000.0

    def excess(x: float) -> float:
        return float(ground_concentration_g_m3(q, u_m_s, x, 0.0, 0.0, cls, urban=urban)) - c_h

    from scipy.optimize import brentq  # here: scipy.optimize costs 0.3-1 s to import

    x_v = brentq(excess, 1e-3, 1e5, xtol=1e-6) if excess(1e-3) > 0 > excess(1e5) else 0.0
    return DenseSource(rel.alpha, x_h, x_h - x_v, c_h)


def dense_extent_m(rate_kg_s: float, mw_g_mol: float, u_m_s: float, cls: Stability, *,
                   urban: bool, threshold_g_m3: float, max_x_m: float = 10_000) -> float:
    """Farthest downwind distance of a threshold by the dense-gas estimate, m.

    Above the hand-over concentration the workbook curves give it; below, the passive
    plume from the virtual source (:func:`dense_source`). Capped at ``max_x_m``.
    """
    from drillsim.hazards.plume import zone_extent_m

    src = dense_source(rate_kg_s, mw_g_mol, u_m_s, cls, urban=urban)
    rel = dense_release(rate_kg_s, mw_g_mol, u_m_s)
    if threshold_g_m3 >= src.c_handover_g_m3:
        pure = rate_kg_s * 1000.0 / rel.q0_m3_s
        return min(rel.distance_m(threshold_g_m3 / pure), max_x_m)
    far = zone_extent_m(rate_kg_s * 1000.0, u_m_s, 0.0, cls, urban, threshold_g_m3,
                        max_x_m=max_x_m + max(-src.shift_m, 0.0))
    return min(src.shift_m + far, max_x_m)
