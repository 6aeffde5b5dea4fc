"""Fire growth and suppression: the t-squared design fire against the water on scene.

Growth
    Q(t) = α·t² (kW, t in s since ignition), capped at a fully developed size per
    occupancy. α values are the standard slow/medium/fast/ultra-fast classes of
    NFPA 72 (Annex B) and BS PD 7974-1:2019 (Table 3), which reach 1,055 kW at
    600/300/150/75 s. Occupancy classes follow PD 7974-1: dwellings and care homes
    medium-to-fast, shops fast, storage fast-to-ultra-fast.

Suppression
    A unit that puts water on the fire absorbs heat at flow × 2.6 MJ/kg × efficiency
    (2.6 MJ/kg is water heated from 20 °C and evaporated; Särdqvist, *Water and
    Other Extinguishing Agents*, Swedish Rescue Services Agency 2002, reports that
    only a fraction of the applied water absorbs heat; we assume 35 %). The fire
    is under control once the absorbing capacity on scene is at least Q(t). Flows:
    an engine works two 5 L/s hose streams (GB 50974-2014 sets 5 L/s as the least
    flow of one hose stream), a ladder one 15 L/s elevated stream (assumption).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

ALPHA_KW_S2 = {"slow": 0.00293, "medium": 0.01172, "fast": 0.0469, "ultra_fast": 0.1876}
"""t² growth coefficients in kW/s² (NFPA 72 Annex B; PD 7974-1 Table 3)."""

WATER_HEAT_ABSORPTION_KJ_PER_KG = 2600.0
"""Heat absorbed by 1 kg of water heated from 20 °C to 100 °C and evaporated (kJ/kg)."""

SUPPRESSION_EFFICIENCY = 0.35
"""Share of the applied water that absorbs heat (assumption after Särdqvist 2002)."""

WATER_FLOW_L_S = {"engine": 10.0, "ladder": 15.0, "tanker": 5.0}
"""Water each apparatus type puts on a fire, L/s (GB 50974-2014 hose stream; assumptions)."""

SETUP_S = 120.0
"""Time from arrival to water on the fire, s (assumption: stretch lines, connect supply)."""

KNOCKDOWN_S = 300.0
"""Time from enough water on the fire to 'under control', s (assumption)."""


@dataclass(frozen=True)
class Occupancy:
    """Fire behaviour of one occupancy type.

    Attributes
    ----------
    growth
        t² growth class, a key of :data:`ALPHA_KW_S2`.
    max_kw
        Fully developed (ventilation- or fuel-limited) heat-release rate, kW.
    zh, en
        Names for reports.
    """

    growth: Literal["slow", "medium", "fast", "ultra_fast"]
    max_kw: float
    zh: str
    en: str

    @property
    def alpha(self) -> float:
        """Growth coefficient α in kW/s²."""
        return ALPHA_KW_S2[self.growth]


OCCUPANCIES: dict[str, Occupancy] = {
    # Occupancy types named in the Hongqiao plan (seed: fire hazards), growth classes
    # after PD 7974-1 Table 3; max_kw are design-fire sizes (assumptions, order of
    # magnitude of unsprinklered compartment fires).
    "high_rise_residential": Occupancy("fast", 8_000.0, "高层住宅", "high-rise residential"),
    "old_residential_compound": Occupancy("fast", 6_000.0, "老旧小区", "old residential compound"),
    "large_commercial_complex": Occupancy(
        "fast", 40_000.0, "大型商业综合体", "large commercial complex"),
    "warehouse": Occupancy("ultra_fast", 50_000.0, "仓库", "warehouse"),
    "three_in_one": Occupancy("ultra_fast", 15_000.0, "“三合一”场所", "three-in-one premises"),
    "elderly_care_home": Occupancy("medium", 5_000.0, "养老机构", "elderly-care home"),
    "dwelling": Occupancy("medium", 5_000.0, "普通住宅", "ordinary dwelling"),
    "outdoor": Occupancy("slow", 2_000.0, "室外及车辆", "outdoor / vehicle"),
}


def heat_release_kw(alpha: float, max_kw: float, t_since_ignition: float) -> float:
    """Heat-release rate of a t² fire, kW.

    Parameters
    ----------
    alpha
        Growth coefficient, kW/s².
    max_kw
        Cap (fully developed fire), kW.
    t_since_ignition
        Seconds since ignition; negative times give 0.
    """
    if t_since_ignition <= 0:
        return 0.0
    return min(alpha * t_since_ignition**2, max_kw)


def time_to_reach_kw(alpha: float, max_kw: float, q_kw: float) -> float:
    """Seconds after ignition at which the fire reaches ``q_kw`` (``inf`` if it never does)."""
    if q_kw > max_kw:
        return math.inf
    return math.sqrt(max(q_kw, 0.0) / alpha)


def suppression_kw(apparatus_type: str) -> float:
    """Heat a unit of this type absorbs once its water is on the fire, kW."""
    flow = WATER_FLOW_L_S.get(apparatus_type, 0.0)
    return flow * WATER_HEAT_ABSORPTION_KJ_PER_KG * SUPPRESSION_EFFICIENCY
