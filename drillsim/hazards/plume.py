"""Toxic-gas release: Gaussian plume, stability classes, AEGL threat zones, ERG distances.

Plume
    Continuous point source with ground reflection (Turner 1970, *Workbook of Atmospheric
    Dispersion Estimates*, EPA AP-26, eq. 3.2; Boubel, Fox, Turner & Stern 1994,
    *Fundamentals of Air Pollution* 3rd ed., eq. 19-2)::

        C(x, y, z) = Q / (2π u σy σz) · exp(−y²/2σy²)
                     · [exp(−(z − H)²/2σz²) + exp(−(z + H)²/2σz²)]

    C in g/m³ for Q in g/s, u in m/s, lengths in m; C = 0 upwind (x ≤ 0). No mixing lid,
    no plume rise, no deposition or decay, steady state (a 10-60 min average).

Dispersion coefficients
    ``sigma_y``/``sigma_z`` are the Briggs (1973) open-country ("rural") and urban
    (McElroy-Pooler St Louis) fits as tabulated by Gifford (1976, *Nuclear Safety* 17:68)
    and Hanna, Briggs & Hosker (1982, *Handbook on Atmospheric Diffusion*, Table 4.5), and
    reproduced in Boubel et al. (1994) Tables 19-6 (urban) and 19-7 (rural); Griffiths (1994,
    *Atmos. Environ.* 28:2861) lists transcription errors of these tables in the literature.
    They are fitted for 100 m - 10 km and are used outside that range unchanged (with a
    warning). ``sigma_y_pg``/``sigma_z_pg`` are the Pasquill-Gifford curves in Turner's
    closed form (PTDIS/PTMTP; EPA ISC3 User's Guide Vol. II 1995, Tables 1-1 and 1-2;
    Boubel et al. 1994 Tables 19-4 and 19-5), kept to reproduce published worked examples.
    The engine uses Briggs, urban for the built-up district.

Stability
    Pasquill (1961) / Turner (1970) table, Table 19-3 in Boubel et al. (1994): by day from
    the 10-m wind and the insolation, by night from the wind and the cloud cover (≥ 4/8 vs
    ≤ 3/8); D for overcast (8/8) day or night. Split classes (A-B, B-C, C-D) resolve to the
    more stable letter (higher ground-level concentrations: the cautious side for a toxic
    release); Turner's table leaves night with wind < 2 m/s blank, we use E (≥ 4/8) and F
    (≤ 3/8), as the NOAA READY version of the table does.

Threat zones
    As ALOHA draws them: the ground-level area where C ≥ an AEGL (US EPA / National Research
    Council) at the exposure duration. ALOHA's stated limits (NOAA/EPA ALOHA User's Manual
    and Technical Documentation, Jones et al. 2013, NOAA Tech. Memo. NOS OR&R 43): unreliable
    at very low wind speeds and in very stable air, near the source, and not run beyond
    10 km or 60 minutes; :func:`model_warnings` returns the same caveats. Chlorine is a dense
    gas (2.47 × air), which the Gaussian model ignores: the result is a screening estimate
    for a drill (:func:`dense_gas_warning`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike

Stability = Literal["A", "B", "C", "D", "E", "F"]
CLASSES: tuple[Stability, ...] = ("A", "B", "C", "D", "E", "F")

R_GAS = 8.314462618
"""Molar gas constant, J/(mol·K) (CODATA 2018, exact)."""

EARTH_RADIUS_M = 6_371_008.8
"""Mean Earth radius, m (IUGG), for the local equirectangular projection."""

AEGL_DURATIONS_MIN: tuple[int, ...] = (10, 30, 60, 240, 480)
"""Exposure durations for which AEGLs are tabulated, minutes."""

ALOHA_MIN_WIND_M_S = 1.3
ALOHA_MIN_DISTANCE_M = 100.0
ALOHA_MAX_DISTANCE_M = 10_000.0
ALOHA_MAX_DURATION_MIN = 60.0


# ---------------------------------------------------------------------------
# Chemicals
# ---------------------------------------------------------------------------

def ppm_to_mg_m3(ppm: float, mw_g_mol: float, temp_c: float = 25.0,
                 pressure_kpa: float = 101.325) -> float:
    """Convert a gas mixing ratio to a mass concentration (ideal gas).

    mg/m³ = ppm · M / V_m with the molar volume V_m = R·T/P (24.465 L/mol at 25 °C and
    101.325 kPa).

    Parameters
    ----------
    ppm
        Volume mixing ratio, parts per million.
    mw_g_mol
        Molar mass, g/mol.
    temp_c
        Air temperature, °C.
    pressure_kpa
        Air pressure, kPa.

    Returns
    -------
    float
        Concentration, mg/m³.
    """
    molar_volume_l = R_GAS * (temp_c + 273.15) / pressure_kpa   # J/mol / kPa = L/mol
    return ppm * mw_g_mol / molar_volume_l


def mg_m3_to_ppm(mg_m3: float, mw_g_mol: float, temp_c: float = 25.0,
                 pressure_kpa: float = 101.325) -> float:
    """Inverse of :func:`ppm_to_mg_m3`: mass concentration (mg/m³) to ppm by volume."""
    molar_volume_l = R_GAS * (temp_c + 273.15) / pressure_kpa
    return mg_m3 * molar_volume_l / mw_g_mol


@dataclass(frozen=True)
class Chemical:
    """A toxic gas with its acute exposure guideline levels.

    Attributes
    ----------
    key
        Identifier used in scenario files ("chlorine", "ammonia").
    name_en, name_zh
        Names for reports.
    cas, un_number
        CAS registry number and UN number.
    mw_g_mol
        Molar mass, g/mol.
    density_rel_air
        Gas density relative to air at the same temperature (M / 28.96 g/mol).
    aegl_ppm
        AEGL level (1, 2, 3) -> {duration in minutes (10, 30, 60, 240, 480): ppm}.
    idlh_ppm
        NIOSH IDLH, ppm (None if none).
    erg_guide
        Emergency Response Guidebook guide number.
    source
        Where the numbers come from.
    """

    key: str
    name_en: str
    name_zh: str
    cas: str
    un_number: str
    mw_g_mol: float
    density_rel_air: float
    aegl_ppm: dict[int, dict[int, float]]
    idlh_ppm: float | None
    erg_guide: str
    source: str

    def aegl_ppm_at(self, level: int, duration_min: float) -> float:
        """AEGL in ppm at any exposure duration.

        Log-log interpolation between the tabulated durations (AEGLs follow Cⁿ·t = k
        between them, which is a straight line in log-log); durations outside 10-480 min
        are clamped to the end values (no extrapolation).

        Parameters
        ----------
        level
            1, 2 or 3.
        duration_min
            Exposure duration, minutes.
        """
        if level not in self.aegl_ppm:
            raise ValueError(f"no AEGL-{level} for {self.key}")
        table = self.aegl_ppm[level]
        ts = np.array(sorted(table), dtype=float)
        cs = np.array([table[int(t)] for t in ts], dtype=float)
        t = min(max(float(duration_min), ts[0]), ts[-1])
        if t in table:
            return float(table[int(t)])
        return float(np.exp(np.interp(math.log(t), np.log(ts), np.log(cs))))

    def aegl_mg_m3(self, level: int, duration_min: float) -> float:
        """AEGL in mg/m³ (25 °C, 101.325 kPa) at any exposure duration.

        See :meth:`aegl_ppm_at` for the interpolation (log-log, clamped to 10-480 min).
        """
        return ppm_to_mg_m3(self.aegl_ppm_at(level, duration_min), self.mw_g_mol)

    def aegl_g_m3(self, level: int, duration_min: float) -> float:
        """AEGL in g/m³, the unit of :func:`concentration_g_m3`."""
        return self.aegl_mg_m3(level, duration_min) / 1000.0


CHEMICALS: dict[str, Chemical] = {
    "chlorine": Chemical(
        key="chlorine", name_en="Chlorine", name_zh="氯气", cas="7782-50-5", un_number="1017",
        mw_g_mol=70.906, density_rel_air=2.47,
        aegl_ppm={
            1: {10: 0.5, 30: 0.5, 60: 0.5, 240: 0.5, 480: 0.5},
            2: {10: 2.8, 30: 2.8, 60: 2.0, 240: 1.0, 480: 0.71},
            3: {10: 50.0, 30: 28.0, 60: 20.0, 240: 10.0, 480: 7.1},
        },
        idlh_ppm=10.0, erg_guide="124",
        source=("AEGLs: US EPA / National Research Council (2004), Acute Exposure Guideline "
                "Levels for Selected Airborne Chemicals Vol. 4, chlorine chapter, as given in "
                "the project brief (hongqiao-geodata.md); IDLH 10 ppm (NIOSH); density 2.47 × "
                "air (brief); M = 70.906 g/mol (Cl2, IUPAC atomic weights)."),
    ),
    "ammonia": Chemical(
        key="ammonia", name_en="Ammonia (anhydrous)", name_zh="液氨", cas="7664-41-7",
        un_number="1005", mw_g_mol=17.031, density_rel_air=0.59,
        aegl_ppm={
            1: {10: 30.0, 30: 30.0, 60: 30.0, 240: 30.0, 480: 30.0},
            2: {10: 220.0, 30: 220.0, 60: 160.0, 240: 110.0, 480: 110.0},
            3: {10: 2700.0, 30: 1600.0, 60: 1100.0, 240: 550.0, 480: 390.0},
        },
        idlh_ppm=300.0, erg_guide="125",
        source=("AEGLs: National Research Council (2008), Acute Exposure Guideline Levels for "
                "Selected Airborne Chemicals Vol. 6, ch. 2 Ammonia (doi:10.17226/12018); the "
                "NRC chapter was located but its summary table was not retrievable here, the "
                "values match an independent transcription (AEGL-1 30, AEGL-2 220/220/160/110/"
                "110, AEGL-3 2700/1600/1100/550/390 ppm); IDLH 300 ppm (NIOSH IDLH "
                "documentation, 1994); M = 17.031 g/mol; density 17.03/28.96 = 0.59 × air."),
    ),
}
"""The toxic gases named in the district plan (seed: hazardous chemicals)."""


# ---------------------------------------------------------------------------
# Stability
# ---------------------------------------------------------------------------

# Pasquill (1961) / Turner (1970): rows by surface wind (< 2, 2-3, 3-5, 5-6, ≥ 6 m/s).
# Split classes resolved to the more stable letter (A-B -> B, B-C -> C, C-D -> D).
_DAY = {
    "strong": ("A", "B", "B", "C", "C"),      # A, A-B, B, C, C
    "moderate": ("B", "B", "C", "D", "D"),    # A-B, B, B-C, C-D, D
    "slight": ("B", "C", "C", "D", "D"),      # B, C, C, D, D
}
_NIGHT = {
    "cloudy": ("E", "E", "D", "D", "D"),      # thinly overcast or ≥ 4/8 low cloud
    "clear": ("F", "F", "E", "D", "D"),       # ≤ 3/8 cloud
}


def _wind_row(wind_m_s: float) -> int:
    if wind_m_s < 2.0:
        return 0
    if wind_m_s < 3.0:
        return 1
    if wind_m_s < 5.0:
        return 2
    if wind_m_s < 6.0:
        return 3
    return 4


def stability_class(wind_m_s: float, *, day: bool,
                    insolation: Literal["strong", "moderate", "slight"] = "moderate",
                    cloud_eighths: float = 4) -> Stability:
    """Pasquill-Gifford stability class from the surface wind, insolation and cloud cover.

    Pasquill (1961, *Meteorol. Mag.* 90:33) as given by Turner (1970, Table 1) and Boubel
    et al. (1994, Table 19-3):

    ======== ====== ======== ====== ============= ========
    u (m/s)  strong moderate slight night ≥ 4/8   ≤ 3/8
    ======== ====== ======== ====== ============= ========
    < 2      A      A-B      B      (E)           (F)
    2-3      A-B    B        C      E             F
    3-5      B      B-C      C      D             E
    5-6      C      C-D      D      D             D
    > 6      C      D        D      D             D
    ======== ====== ======== ====== ============= ========

    Overcast (8/8) gives D by day and by night. Split classes return the more stable
    letter (B, C, D); the bracketed night cells, blank in Turner's table, follow NOAA's
    READY version. Boundaries: a speed equal to a row limit falls in the faster row.

    Parameters
    ----------
    wind_m_s
        Wind speed at 10 m, m/s.
    day
        True between sunrise and sunset.
    insolation
        Incoming solar radiation by day (strong: summer noon, clear; slight: low sun).
    cloud_eighths
        Cloud cover in oktas (0-8).

    Returns
    -------
    str
        One of "A"-"F".
    """
    if wind_m_s < 0:
        raise ValueError(f"wind speed must not be negative, got {wind_m_s} m/s")
    if cloud_eighths >= 8:
        return "D"
    row = _wind_row(wind_m_s)
    if day:
        if insolation not in _DAY:
            raise ValueError(f"insolation must be strong, moderate or slight, got {insolation!r}")
        return _DAY[insolation][row]  # type: ignore[return-value]
    column = "cloudy" if cloud_eighths >= 4 else "clear"
    return _NIGHT[column][row]  # type: ignore[return-value]


# ---------------------------------------------------------------------------
# Dispersion coefficients
# ---------------------------------------------------------------------------

# Briggs (1973) fits, σ = a·x·(1 + b·x)^p, x in m. (a, b, p) per class.
# Rural: Boubel et al. (1994) Table 19-7; Hanna et al. (1982) Table 4.5.
_BRIGGS_RURAL_Y = {c: a for c, a in zip(CLASSES, (0.22, 0.16, 0.11, 0.08, 0.06, 0.04),
                                         strict=True)}
_BRIGGS_RURAL_Z: dict[str, tuple[float, float, float]] = {
    "A": (0.20, 0.0, 1.0),
    "B": (0.12, 0.0, 1.0),
    "C": (0.08, 0.0002, -0.5),
    "D": (0.06, 0.0015, -0.5),
    "E": (0.03, 0.0003, -1.0),
    "F": (0.016, 0.0003, -1.0),
}
# Urban (McElroy-Pooler): Boubel et al. (1994) Table 19-6; A = B and E = F.
_BRIGGS_URBAN_Y = {"A": 0.32, "B": 0.32, "C": 0.22, "D": 0.16, "E": 0.11, "F": 0.11}
_BRIGGS_URBAN_Z: dict[str, tuple[float, float, float]] = {
    "A": (0.24, 0.001, 0.5),
    "B": (0.24, 0.001, 0.5),
    "C": (0.20, 0.0, 1.0),
    "D": (0.14, 0.0003, -0.5),
    "E": (0.08, 0.0015, -0.5),
    "F": (0.08, 0.0015, -0.5),
}


def _check_class(cls: str) -> None:
    if cls not in CLASSES:
        raise ValueError(f"stability class must be one of A-F, got {cls!r}")


def sigma_y(x_m: ArrayLike, cls: Stability, *, urban: bool) -> np.ndarray:
    """Horizontal dispersion coefficient σy by Briggs (1973), m.

    Rural: σy = a·x·(1 + 0.0001x)^−½ with a = 0.22, 0.16, 0.11, 0.08, 0.06, 0.04 for A-F.
    Urban (McElroy-Pooler): σy = a·x·(1 + 0.0004x)^−½ with a = 0.32 (A-B), 0.22 (C),
    0.16 (D), 0.11 (E-F). Boubel et al. (1994) Tables 19-6/19-7; fitted for 100 m - 10 km.

    Parameters
    ----------
    x_m
        Downwind distance, m (> 0; 0 gives 0).
    cls
        Pasquill stability class.
    urban
        Urban (True) or open-country (False) fits.
    """
    _check_class(cls)
    x = np.asarray(x_m, dtype=float)
    if urban:
        return _BRIGGS_URBAN_Y[cls] * x / np.sqrt(1.0 + 0.0004 * x)
    return _BRIGGS_RURAL_Y[cls] * x / np.sqrt(1.0 + 0.0001 * x)


def sigma_z(x_m: ArrayLike, cls: Stability, *, urban: bool) -> np.ndarray:
    """Vertical dispersion coefficient σz by Briggs (1973), m.

    Rural: 0.20x (A), 0.12x (B), 0.08x(1 + 0.0002x)^−½ (C), 0.06x(1 + 0.0015x)^−½ (D),
    0.03x(1 + 0.0003x)^−1 (E), 0.016x(1 + 0.0003x)^−1 (F).
    Urban: 0.24x(1 + 0.001x)^+½ (A-B), 0.20x (C), 0.14x(1 + 0.0003x)^−½ (D),
    0.08x(1 + 0.0015x)^−½ (E-F). Boubel et al. (1994) Tables 19-6/19-7.

    Parameters
    ----------
    x_m
        Downwind distance, m (> 0; 0 gives 0).
    cls
        Pasquill stability class.
    urban
        Urban (True) or open-country (False) fits.
    """
    _check_class(cls)
    x = np.asarray(x_m, dtype=float)
    a, b, p = (_BRIGGS_URBAN_Z if urban else _BRIGGS_RURAL_Z)[cls]
    return a * x * (1.0 + b * x) ** p


# Turner's closed form of the Pasquill-Gifford curves (rural), x in km:
# σy = 465.11628·x·tan(TH), TH = 0.017453293·(c − d·ln x) (ISC3 Vol. II Table 1-1).
_PG_Y = {"A": (24.1670, 2.5334), "B": (18.3330, 1.8096), "C": (12.5000, 1.0857),
         "D": (8.3330, 0.72382), "E": (6.2500, 0.54287), "F": (4.1667, 0.36191)}
# σz = a·x^b by distance band (upper bound in km, a, b); ISC3 Vol. II Table 1-2.
_PG_Z: dict[str, list[tuple[float, float, float]]] = {
    "A": [(0.10, 122.800, 0.94470), (0.15, 158.080, 1.05420), (0.20, 170.220, 1.09320),
          (0.25, 179.520, 1.12620), (0.30, 217.410, 1.26440), (0.40, 258.890, 1.40940),
          (0.50, 346.750, 1.72830), (3.11, 453.850, 2.11660), (math.inf, 453.850, 2.11660)],
    "B": [(0.20, 90.673, 0.93198), (0.40, 98.483, 0.98332), (math.inf, 109.300, 1.09710)],
    "C": [(math.inf, 61.141, 0.91465)],
    "D": [(0.30, 34.459, 0.86974), (1.00, 32.093, 0.81066), (3.00, 32.093, 0.64403),
          (10.0, 33.504, 0.60486), (30.0, 36.650, 0.56589), (math.inf, 44.053, 0.51179)],
    "E": [(0.10, 24.260, 0.83660), (0.30, 23.331, 0.81956), (1.00, 21.628, 0.75660),
          (2.00, 21.628, 0.63077), (4.00, 22.534, 0.57154), (10.0, 24.703, 0.50527),
          (20.0, 26.970, 0.46713), (40.0, 35.420, 0.37615), (math.inf, 47.618, 0.29592)],
    "F": [(0.20, 15.209, 0.81558), (0.70, 14.457, 0.78407), (1.00, 13.953, 0.68465),
          (2.00, 13.953, 0.63227), (3.00, 14.823, 0.54503), (7.00, 16.187, 0.46490),
          (15.0, 17.836, 0.41507), (30.0, 22.651, 0.32681), (60.0, 27.074, 0.27436),
          (math.inf, 34.219, 0.21716)],
}
_PG_Z_CAP_M = 5000.0   # ISC3 caps σz at 5,000 m (reached by A and B only)


def sigma_y_pg(x_m: ArrayLike, cls: Stability) -> np.ndarray:
    """Pasquill-Gifford σy in Turner's closed form (rural, ISC3/PTDIS), m.

    σy = 465.11628·x·tan(0.017453293·(c − d·ln x)), x in km (Boubel et al. 1994 Table 19-4;
    EPA ISC3 User's Guide Vol. II, 1995, Table 1-1).

    Parameters
    ----------
    x_m
        Downwind distance, m (> 0).
    cls
        Pasquill stability class.
    """
    _check_class(cls)
    x_km = np.asarray(x_m, dtype=float) / 1000.0
    c, d = _PG_Y[cls]
    with np.errstate(divide="ignore", invalid="ignore"):
        th = np.deg2rad(c - d * np.log(x_km))
        return np.where(x_km > 0, 465.11628 * x_km * np.tan(th), 0.0)


def sigma_z_pg(x_m: ArrayLike, cls: Stability) -> np.ndarray:
    """Pasquill-Gifford σz in Turner's piecewise power law (rural, ISC3/PTDIS), m.

    σz = a·x^b with (a, b) by distance band, x in km, capped at 5,000 m (Boubel et al. 1994
    Table 19-5; EPA ISC3 User's Guide Vol. II, 1995, Table 1-2).

    Parameters
    ----------
    x_m
        Downwind distance, m (> 0).
    cls
        Pasquill stability class.
    """
    _check_class(cls)
    x_km = np.asarray(x_m, dtype=float) / 1000.0
    out = np.zeros_like(x_km)
    lower = 0.0
    for upper, a, b in _PG_Z[cls]:
        band = (x_km > lower) & (x_km <= upper) if lower > 0 else (x_km > 0) & (x_km <= upper)
        out = np.where(band, a * np.abs(x_km) ** b, out)
        lower = upper
    return np.minimum(out, _PG_Z_CAP_M)


# ---------------------------------------------------------------------------
# Plume
# ---------------------------------------------------------------------------

def plume_g_m3(q_g_s: ArrayLike, u_m_s: ArrayLike, y_m: ArrayLike, z_m: ArrayLike,
               h_m: ArrayLike, sig_y: ArrayLike, sig_z: ArrayLike) -> np.ndarray:
    """Gaussian plume with ground reflection for given σy, σz, g/m³.

    C = Q/(2π u σy σz) · exp(−y²/2σy²) · [exp(−(z−H)²/2σz²) + exp(−(z+H)²/2σz²)]
    (Turner 1970 eq. 3.2). Points with σ ≤ 0 give 0.

    Parameters
    ----------
    q_g_s
        Emission rate, g/s.
    u_m_s
        Mean wind speed at release height, m/s (> 0).
    y_m, z_m
        Crosswind distance from the plume axis and height above ground, m.
    h_m
        Effective release height H, m.
    sig_y, sig_z
        Dispersion coefficients at the receptor's downwind distance, m.
    """
    sy = np.asarray(sig_y, dtype=float)
    sz = np.asarray(sig_z, dtype=float)
    y = np.asarray(y_m, dtype=float)
    z = np.asarray(z_m, dtype=float)
    h = np.asarray(h_m, dtype=float)
    u = np.asarray(u_m_s, dtype=float)
    if np.any(u <= 0):
        raise ValueError("wind speed must be positive for a Gaussian plume")
    ok = (sy > 0) & (sz > 0)
    sy_s = np.where(ok, sy, 1.0)
    sz_s = np.where(ok, sz, 1.0)
    with np.errstate(over="ignore", under="ignore", divide="ignore", invalid="ignore"):
        c = (np.asarray(q_g_s, dtype=float) / (2.0 * math.pi * u * sy_s * sz_s)
             * np.exp(-0.5 * (y / sy_s) ** 2)
             * (np.exp(-0.5 * ((z - h) / sz_s) ** 2) + np.exp(-0.5 * ((z + h) / sz_s) ** 2)))
    # At vanishing σ (a receptor within micrometres of the source) the prefactor overflows:
    # inf · 0 (off-axis) is 0, inf on the axis of a ground release is the true singularity.
    return np.where(ok, np.nan_to_num(c, nan=0.0, posinf=np.inf), 0.0)


def concentration_g_m3(q_g_s: ArrayLike, u_m_s: ArrayLike, x_m: ArrayLike, y_m: ArrayLike,
                       z_m: ArrayLike, h_m: ArrayLike, cls: Stability, *,
                       urban: bool) -> np.ndarray:
    """Concentration downwind of a continuous point source, Briggs σ's, g/m³.

    The brief's Gaussian plume with ground reflection (:func:`plume_g_m3`) with
    σy(x), σz(x) from :func:`sigma_y`, :func:`sigma_z`; 0 for x ≤ 0 (upwind).

    Parameters
    ----------
    q_g_s
        Emission rate, g/s.
    u_m_s
        Wind speed, m/s (> 0).
    x_m, y_m, z_m
        Downwind, crosswind and vertical receptor coordinates, m.
    h_m
        Release height, m.
    cls
        Pasquill stability class.
    urban
        Urban or rural Briggs fits.
    """
    x = np.asarray(x_m, dtype=float)
    xp = np.where(x > 0, x, 0.0)
    c = plume_g_m3(q_g_s, u_m_s, y_m, z_m, h_m, sigma_y(xp, cls, urban=urban),
                   sigma_z(xp, cls, urban=urban))
    return np.where(x > 0, c, 0.0)


def ground_concentration_g_m3(q_g_s: ArrayLike, u_m_s: ArrayLike, x_m: ArrayLike,
                              y_m: ArrayLike, h_m: ArrayLike, cls: Stability, *,
                              urban: bool) -> np.ndarray:
    """Ground-level (z = 0) concentration, g/m³; see :func:`concentration_g_m3`."""
    return concentration_g_m3(q_g_s, u_m_s, x_m, y_m, 0.0, h_m, cls, urban=urban)


# ---------------------------------------------------------------------------
# Geometry and zones
# ---------------------------------------------------------------------------

def _downwind_unit(wind_from_deg: float) -> tuple[float, float]:
    """(east, north) unit vector the wind blows toward."""
    th = math.radians(wind_from_deg)
    return -math.sin(th), -math.cos(th)


def downwind_crosswind(lat: ArrayLike, lon: ArrayLike, src_lat: float, src_lon: float,
                       wind_from_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Downwind and crosswind distances of points from a source, m.

    Local equirectangular projection about the source (east = Δλ·cos φ0·R, north = Δφ·R;
    error below 0.1 % over 10 km at Tianjin's latitude). The wind direction is
    meteorological: the direction it blows FROM, degrees clockwise from north (a north wind,
    0°, carries the plume south).

    Parameters
    ----------
    lat, lon
        Receptor coordinates, degrees.
    src_lat, src_lon
        Source coordinates, degrees.
    wind_from_deg
        Wind direction (from), degrees.

    Returns
    -------
    tuple of arrays
        x (m, positive downwind) and y (m, positive to the left of the downwind direction).
    """
    de, dn = _downwind_unit(wind_from_deg)
    k = math.pi / 180.0 * EARTH_RADIUS_M
    east = (np.asarray(lon, dtype=float) - src_lon) * k * math.cos(math.radians(src_lat))
    north = (np.asarray(lat, dtype=float) - src_lat) * k
    return east * de + north * dn, -east * dn + north * de


def _to_lat_lon(x: np.ndarray, y: np.ndarray, src_lat: float, src_lon: float,
                wind_from_deg: float) -> tuple[np.ndarray, np.ndarray]:
    """Inverse of :func:`downwind_crosswind`."""
    de, dn = _downwind_unit(wind_from_deg)
    east = de * x - dn * y
    north = dn * x + de * y
    k = math.pi / 180.0 * EARTH_RADIUS_M
    return (src_lat + north / k,
            src_lon + east / (k * math.cos(math.radians(src_lat))))


def zone_mask(lat: ArrayLike, lon: ArrayLike, *, src_lat: float, src_lon: float,
              wind_from_deg: float, q_g_s: float, u_m_s: float, h_m: float, cls: Stability,
              urban: bool, threshold_g_m3: float, max_x_m: float = 10_000) -> np.ndarray:
    """Which points lie in a threat zone: ground-level C ≥ threshold, 0 < x ≤ max_x_m.

    Parameters
    ----------
    lat, lon
        Receptor coordinates, degrees (any matching shapes).
    src_lat, src_lon, wind_from_deg
        Source and wind direction (from), see :func:`downwind_crosswind`.
    q_g_s, u_m_s, h_m, cls, urban
        Plume parameters, see :func:`concentration_g_m3`.
    threshold_g_m3
        Level of concern (e.g. :meth:`Chemical.aegl_g_m3`), g/m³ (> 0).
    max_x_m
        Farthest downwind distance drawn, m (ALOHA stops at 10 km).

    Returns
    -------
    numpy.ndarray of bool
    """
    return zone_masks(lat, lon, (threshold_g_m3,), src_lat=src_lat, src_lon=src_lon,
                      wind_from_deg=wind_from_deg, q_g_s=q_g_s, u_m_s=u_m_s, h_m=h_m,
                      cls=cls, urban=urban, max_x_m=max_x_m)[0]


def zone_masks(lat: ArrayLike, lon: ArrayLike, thresholds_g_m3: Sequence[float], *,
               src_lat: float, src_lon: float, wind_from_deg: float, q_g_s: float,
               u_m_s: float, h_m: float, cls: Stability, urban: bool,
               max_x_m: float = 10_000) -> list[np.ndarray]:
    """:func:`zone_mask` for several thresholds, the plume evaluated once.

    Parameters
    ----------
    thresholds_g_m3
        Levels of concern, g/m³ (each > 0).

    Other parameters are those of :func:`zone_mask`.

    Returns
    -------
    list of numpy.ndarray of bool
        One mask per threshold, in order.
    """
    if any(t <= 0 for t in thresholds_g_m3):
        raise ValueError("threshold must be positive")
    x, y = downwind_crosswind(lat, lon, src_lat, src_lon, wind_from_deg)
    c = ground_concentration_g_m3(q_g_s, u_m_s, x, y, h_m, cls, urban=urban)
    inside = (x > 0) & (x <= max_x_m)
    return [inside & (c >= t) for t in thresholds_g_m3]


def _centreline(q: float, u: float, h: float, cls: Stability, urban: bool,
                x: np.ndarray) -> np.ndarray:
    return ground_concentration_g_m3(q, u, x, 0.0, h, cls, urban=urban)


def _crossings(q_g_s: float, u_m_s: float, h_m: float, cls: Stability, urban: bool,
               threshold_g_m3: float, max_x_m: float) -> tuple[float, float]:
    """First and last downwind distances where the centreline C = threshold (0, 0 if never).

    A log-spaced scan (1 cm to max_x) brackets the crossings, Brent's method refines them.
    The ground-level centreline rises to one maximum and then falls for every class, so a
    threshold is crossed at most twice.
    """
    if threshold_g_m3 <= 0:
        raise ValueError("threshold must be positive")
    xs = np.geomspace(0.01, max_x_m, 2000)
    above = _centreline(q_g_s, u_m_s, h_m, cls, urban, xs) >= threshold_g_m3
    if not above.any():
        return 0.0, 0.0
    idx = np.flatnonzero(above)

    def f(x: float) -> float:
        return float(_centreline(q_g_s, u_m_s, h_m, cls, urban, np.array(x))) - threshold_g_m3

    from scipy.optimize import brentq  # here: scipy.optimize costs 0.3-1 s to import

    i0, i1 = idx[0], idx[-1]
    first = 0.0 if i0 == 0 else brentq(f, xs[i0 - 1], xs[i0], xtol=1e-6, rtol=1e-10)
    last = max_x_m if i1 == len(xs) - 1 else brentq(f, xs[i1], xs[i1 + 1], xtol=1e-6,
                                                     rtol=1e-10)
    return float(first), float(last)


def zone_extent_m(q_g_s: float, u_m_s: float, h_m: float, cls: Stability, urban: bool,
                  threshold_g_m3: float, max_x_m: float = 10_000) -> float:
    """Farthest downwind distance on the centreline where C ≥ threshold, m.

    Found by root finding (Brent) after a log-spaced bracket scan; ``max_x_m`` if the
    threshold is still exceeded there, 0 if it is never reached.

    Parameters
    ----------
    q_g_s, u_m_s, h_m, cls, urban
        Plume parameters, see :func:`concentration_g_m3`.
    threshold_g_m3
        Level of concern, g/m³.
    max_x_m
        Search limit, m.
    """
    return _crossings(q_g_s, u_m_s, h_m, cls, urban, threshold_g_m3, max_x_m)[1]


def zone_polygon(*, src_lat: float, src_lon: float, wind_from_deg: float, q_g_s: float,
                 u_m_s: float, h_m: float, cls: Stability, urban: bool,
                 threshold_g_m3: float, n: int = 64,
                 max_x_m: float = 10_000) -> list[tuple[float, float]]:
    """Outline of the ground-level threshold contour as (lat, lon) pairs, for maps.

    At each downwind distance the contour's half-width is
    y = σy·√(2·ln(C₀(x)/threshold)), C₀ the ground-level centreline concentration. The
    outline runs out along the left edge and back along the right one, with n points per
    side (cosine spacing, dense at both tips) and the first point repeated at the end
    (a closed ring, as GeoJSON wants). Empty if the threshold is never reached.

    Parameters
    ----------
    src_lat, src_lon, wind_from_deg
        Source and wind direction (from), degrees.
    q_g_s, u_m_s, h_m, cls, urban
        Plume parameters, see :func:`concentration_g_m3`.
    threshold_g_m3
        Level of concern, g/m³.
    n
        Points per side (≥ 3).
    max_x_m
        Downwind cut-off, m.
    """
    if n < 3:
        raise ValueError("n must be at least 3")
    x0, x1 = _crossings(q_g_s, u_m_s, h_m, cls, urban, threshold_g_m3, max_x_m)
    if x1 <= 0:
        return []
    x0 = max(x0, 1e-3)
    s = 0.5 * (1.0 - np.cos(np.linspace(0.0, math.pi, n)))
    xs = x0 + (x1 - x0) * s
    c0 = _centreline(q_g_s, u_m_s, h_m, cls, urban, xs)
    ratio = np.maximum(c0 / threshold_g_m3, 1.0)
    half = sigma_y(xs, cls, urban=urban) * np.sqrt(2.0 * np.log(ratio))
    px = np.concatenate([xs, xs[::-1], xs[:1]])
    py = np.concatenate([half, -half[::-1], half[:1]])
    lat, lon = _to_lat_lon(px, py, src_lat, src_lon, wind_from_deg)
    return [(float(a), float(b)) for a, b in zip(lat, lon, strict=True)]


# ---------------------------------------------------------------------------
# Warnings
# ---------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelLimit:
    """One limit of the screening model that applies to a run.

    Attributes
    ----------
    key
        Which limit: ``low_wind``, ``stable_air``, ``near_source``, ``beyond_distance``,
        ``beyond_duration`` or ``dense_gas`` (the report words each in both languages).
    text
        The limit in English words (as ALOHA states it).
    values
        The numbers the words use: ``wind_m_s`` and ``min_wind_m_s`` (m/s),
        ``distance_m`` (m), ``duration_min`` (min), ``density_rel_air`` (× air).
    stability
        The Pasquill-Gifford class for ``stable_air``; ``""`` otherwise.
    """

    key: str
    text: str
    values: dict[str, float] = field(default_factory=dict)
    stability: str = ""

    def __str__(self) -> str:
        return self.text


def dense_gas_warning(chemical: Chemical) -> ModelLimit | None:
    """The screening-model limit for a gas heavier than air, or None.

    A dense gas slumps, spreads sideways and hugs the ground, which the Gaussian (neutrally
    buoyant) model does not represent; ALOHA switches to its heavy-gas model for such
    releases.
    """
    if chemical.density_rel_air <= 1.0:
        return None
    return ModelLimit(
        "dense_gas",
        f"Gaussian screening model: {chemical.name_en.lower()} is a dense gas "
        f"({chemical.density_rel_air:.2f} × air); it slumps and spreads along the ground, "
        "which a neutrally buoyant plume does not represent. A dense-gas screening estimate "
        "(Britter-McQuaid workbook) is given beside it and the zones used for the protective "
        "actions are the union of the two; for planning use a heavy-gas model such as "
        "ALOHA's DEGADIS",
        {"density_rel_air": float(chemical.density_rel_air)})


def model_warnings(u_m_s: float, cls: Stability, x_m: ArrayLike | None = None,
                   duration_min: float | None = None, *,
                   chemical: Chemical | None = None) -> list[ModelLimit]:
    """The limits of the Gaussian model that apply to a run, in ALOHA's terms.

    ALOHA (NOAA/EPA) states that its results are unreliable at very low wind speeds, in very
    stable air, near the source (concentration patchiness), and that it makes no prediction
    beyond 10 km or 60 minutes after the release starts.

    Parameters
    ----------
    u_m_s
        Wind speed, m/s.
    cls
        Stability class.
    x_m
        Downwind distances the result is read at, m (optional).
    duration_min
        Time since the release started or exposure duration, minutes (optional).
    chemical
        Adds :func:`dense_gas_warning` for a gas heavier than air.

    Returns
    -------
    list of ModelLimit
        Each with its key (for words in any language), English text and values.
    """
    out: list[ModelLimit] = []
    if u_m_s < ALOHA_MIN_WIND_M_S:
        out.append(ModelLimit(
            "low_wind", f"wind {u_m_s:.1f} m/s is below {ALOHA_MIN_WIND_M_S} m/s: the plume "
            "meanders and the Gaussian model is unreliable",
            {"wind_m_s": float(u_m_s), "min_wind_m_s": float(ALOHA_MIN_WIND_M_S)}))
    if cls in ("E", "F"):
        out.append(ModelLimit(
            "stable_air", f"very stable air (class {cls}): the plume stays narrow and "
            "concentrated far downwind; the Gaussian model is least reliable here",
            stability=cls))
    if x_m is not None:
        x = np.asarray(x_m, dtype=float)
        x = x[x > 0]
        if x.size and x.min() < ALOHA_MIN_DISTANCE_M:
            out.append(ModelLimit(
                "near_source", f"near the source (< {ALOHA_MIN_DISTANCE_M:g} m): concentrations "
                "are patchy and the model does not resolve them",
                {"distance_m": float(ALOHA_MIN_DISTANCE_M)}))
        if x.size and x.max() > ALOHA_MAX_DISTANCE_M:
            out.append(ModelLimit(
                "beyond_distance", f"beyond {ALOHA_MAX_DISTANCE_M / 1000:g} km: wind shifts and "
                "terrain steer the plume; no prediction",
                {"distance_m": float(ALOHA_MAX_DISTANCE_M)}))
    if duration_min is not None and duration_min > ALOHA_MAX_DURATION_MIN:
        out.append(ModelLimit(
            "beyond_duration", f"beyond {ALOHA_MAX_DURATION_MIN:g} minutes: wind and stability "
            "change; no prediction", {"duration_min": float(ALOHA_MAX_DURATION_MIN)}))
    if chemical is not None:
        dense = dense_gas_warning(chemical)
        if dense:
            out.append(dense)
    return out


# ---------------------------------------------------------------------------
# Source term
# ---------------------------------------------------------------------------

def liquid_release_rate_kg_s(hole_diameter_mm: float, pressure_bar_gauge: float,
                             liquid_density_kg_m3: float, cd: float = 0.61) -> float:
    """Liquid discharge through a sharp-edged hole (Bernoulli orifice flow), kg/s.

    Qm = Cd · A · √(2 ρ ΔP), ΔP the gauge pressure (CCPS 1999, *Guidelines for Consequence
    Analysis of Chemical Releases* §2.1.1; Crowl & Louvar, *Chemical Process Safety*,
    "flow of liquid through a hole"), Cd = 0.61 for a sharp-edged orifice. Liquefied gases
    (chlorine at its vapour pressure, about 5.8 bar g at 20 °C) flash in the hole; for a
    short hole the non-equilibrium flow stays close to this liquid rate, which is the
    usual screening choice (an upper estimate).

    Parameters
    ----------
    hole_diameter_mm
        Hole diameter, mm.
    pressure_bar_gauge
        Pressure above ambient at the hole, bar (gauge).
    liquid_density_kg_m3
        Liquid density, kg/m³ (liquid chlorine about 1,410 at 20 °C).
    cd
        Discharge coefficient (0.61 sharp-edged; up to 1 for a rounded nozzle).
    """
    if hole_diameter_mm < 0 or liquid_density_kg_m3 <= 0 or not 0 < cd <= 1:
        raise ValueError("hole diameter ≥ 0, density > 0 and 0 < cd ≤ 1 required")
    if pressure_bar_gauge <= 0:
        return 0.0
    area = math.pi / 4.0 * (hole_diameter_mm / 1000.0) ** 2
    return cd * area * math.sqrt(2.0 * liquid_density_kg_m3 * pressure_bar_gauge * 1e5)


# ---------------------------------------------------------------------------
# Emergency Response Guidebook
# ---------------------------------------------------------------------------

FT_TO_M = 0.3048
MI_TO_KM = 1.609344

ErgWind = Literal["low", "moderate", "high"]


@dataclass(frozen=True)
class ErgDistances:
    """Initial isolation and downwind protective-action distances (ERG Table 3).

    Attributes
    ----------
    isolation_m
        Radius of the initial isolation zone, all directions, m.
    day_km, night_km
        Downwind protective-action distance by day and by night, km.
    plus
        True where the ERG prints "+" (may be larger in some conditions): only the chlorine
        rail-car night/low-wind entry here.
    approximate
        True: converted from the ERG's US-customary table (feet, miles printed to 0.1 mi,
        i.e. ±0.08 km), not the metric edition's own rounded figures.
    source
        Where the numbers come from.
    """

    isolation_m: float
    day_km: float
    night_km: float
    plus: bool = False
    approximate: bool = True
    source: str = ""


# (isolation ft; day low, moderate, high mi; night low, moderate, high mi); "+" flagged.
_ERG_TABLE3_US: dict[str, dict[str, tuple[float, tuple[float, float, float],
                                          tuple[float, float, float]]]] = {
    "chlorine": {
        "rail_tank_car": (3000, (6.0, 3.9, 3.2), (7.0, 5.6, 4.1)),
        "highway_tank_truck": (2000, (3.5, 2.1, 1.6), (4.0, 2.9, 2.4)),
        "multiple_ton_cylinders": (1000, (1.2, 0.8, 0.6), (2.2, 1.4, 0.8)),
        "ton_cylinder": (500, (0.9, 0.5, 0.3), (1.5, 0.8, 0.4)),
    },
    "ammonia": {
        "rail_tank_car": (1000, (1.0, 0.8, 0.6), (2.6, 1.3, 0.8)),
        "highway_tank_truck": (500, (0.5, 0.3, 0.3), (1.1, 0.4, 0.4)),
        "agricultural_nurse_tank": (200, (0.3, 0.2, 0.2), (0.9, 0.2, 0.2)),
        "multiple_small_cylinders": (100, (0.2, 0.1, 0.1), (0.5, 0.2, 0.1)),
    },
}
_ERG_PLUS = {("chlorine", "rail_tank_car", "night", "low")}
_ERG_ALIASES = {"single_ton_cylinder": "ton_cylinder",
                "multiple_small_cylinders_or_single_ton_cylinder": "ton_cylinder"}
ERG_SOURCE = (
    "US DOT/PHMSA, Transport Canada, SCT: Emergency Response Guidebook 2024, Table 3 (large "
    "spills of six common TIH gases by container, day/night, low/moderate/high wind), "
    "US-customary values as transcribed in a third-party open-source dataset; the official "
    "PDF and the metric edition were not retrievable here, so metric values are conversions "
    "and approximate. Consistent with the brief: one leaking chlorine ton container, initial "
    "isolation about 150 m (500 ft).")


def erg_wind_category(wind_m_s: float) -> ErgWind:
    """ERG wind category: low < 10 km/h (6 mph), moderate 10-20 km/h, high > 20 km/h."""
    kmh = wind_m_s * 3.6
    if kmh < 10.0:
        return "low"
    if kmh <= 20.0:
        return "moderate"
    return "high"


def erg_distances(chemical_key: str, container: str, wind: ErgWind | float) -> ErgDistances:
    """ERG Table 3 protective distances for a large chlorine or ammonia release.

    Containers: chlorine ``rail_tank_car``, ``highway_tank_truck``,
    ``multiple_ton_cylinders``, ``ton_cylinder`` (the ERG row "multiple small cylinders or
    single ton cylinder"); ammonia ``rail_tank_car``, ``highway_tank_truck``,
    ``agricultural_nurse_tank``, ``multiple_small_cylinders``.

    For one chlorine ton container: isolation 500 ft (152 m, "about 150 m"); downwind by
    day 0.9/0.5/0.3 mi (1.45/0.80/0.48 km) and by night 1.5/0.8/0.4 mi (2.41/1.29/0.64 km)
    in low/moderate/high wind: larger at night and in light wind.

    The numbers are the ERG 2024 US-customary Table 3 as found in a third-party
    transcription (the official document could not be retrieved here); metric values are
    exact conversions of figures printed to 0.1 mi and are marked approximate. Check them
    against the printed ERG before operational use.

    Parameters
    ----------
    chemical_key
        "chlorine" or "ammonia".
    container
        Container key (see above).
    wind
        "low", "moderate", "high", or a wind speed in m/s (see :func:`erg_wind_category`).
    """
    table = _ERG_TABLE3_US.get(chemical_key)
    if table is None:
        raise KeyError(f"no ERG Table 3 entry for {chemical_key!r}")
    container = _ERG_ALIASES.get(container, container)
    if container not in table:
        raise KeyError(f"{chemical_key}: container must be one of {sorted(table)}")
    cat = wind if isinstance(wind, str) else erg_wind_category(float(wind))
    if cat not in ("low", "moderate", "high"):
        raise ValueError(f"wind must be low, moderate or high, got {wind!r}")
    col = ("low", "moderate", "high").index(cat)
    iso_ft, day_mi, night_mi = table[container]
    plus = any((chemical_key, container, t, cat) in _ERG_PLUS for t in ("day", "night"))
    return ErgDistances(isolation_m=iso_ft * FT_TO_M, day_km=day_mi[col] * MI_TO_KM,
                        night_km=night_mi[col] * MI_TO_KM, plus=plus, approximate=True,
                        source=ERG_SOURCE)
