"""Fire development against the water on scene: growth, flashover, spread and fire flow.

Growth
    Before flashover the fire is a t² design fire, Q(t) = α·t² (kW, t in s since
    ignition). α values are the standard slow/medium/fast/ultra-fast classes of
    NFPA 72 (Annex B) and BS PD 7974-1:2019 (Table 3), which reach 1,055 kW at
    600/300/150/75 s; the class of each occupancy is in the occupancy catalogue
    (``drillsim/data/occupancies.json``, after EN 1991-1-2:2002 Annex E Table E.5).
    The burning floor area is Q/q″ with q″ the heat release rate per unit area
    (EN 1991-1-2 Table E.5).

Flashover
    The room of origin flashes over when Q reaches Thomas's flashover heat release
    rate (Thomas, *Fire Technology* 17, 1981; SFPE Handbook, 5th ed., ch. 30):
    Q_fo = 7.8·A_T + 378·A_o·√H_o kW, with A_T the room's internal surface less
    the opening (m²), A_o the opening area (m²) and H_o its height (m). After
    flashover the room burns at its fully developed rate, the smaller of the
    ventilation limit 1500·A_o·√H_o kW (Kawagoe 1958; Karlsson & Quintiere,
    *Enclosure Fire Dynamics*, 2000, §6) and the fuel limit q″·A_room.

Spread and burnout
    After flashover the area the fire reaches grows by one room's area every
    ``spread_s`` seconds (to neighbouring rooms, along corridors, to the floor
    above), up to the building's fire compartment (GB 50016-2014) or its size; the
    rate is a labelled ASSUMPTION per occupancy. Each square metre burns for
    fire load / q″ seconds (fire load densities of EN 1991-1-2 Table E.4) and is
    then burnt out, so a fire no one controls dies down by itself. Q scales with
    the burning area.

Fire flow and control
    The water a fire needs follows the National Fire Academy fire-flow formula
    (NFA, *Preincident Planning*; IFSTA *Fire Stream Practices*): needed flow in
    US gpm = involved area in ft² / 3, i.e. 0.2264 L/s per m² of involved floor.
    The fire stops growing once the water on it reaches the flow it needs at that
    moment, and is under control after the knockdown time. Flows: an engine works
    two 5 L/s hose streams (GB 50974-2014 sets 5 L/s as the least flow of one hose
    stream), a ladder one 15 L/s elevated stream, a tanker one 5 L/s line
    (assumptions). One engine thus controls at most 44 m² of involved floor: a
    flashed-over room, not a fire that has spread through a flat.
"""

from __future__ import annotations

import json
import math
from bisect import bisect_right
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Literal

ALPHA_KW_S2 = {"slow": 0.00293, "medium": 0.01172, "fast": 0.0469, "ultra_fast": 0.1876}
"""t² growth coefficients in kW/s² (NFPA 72 Annex B; PD 7974-1 Table 3)."""

GPM_TO_L_S = 3.785411784 / 60.0
"""One US gallon per minute in L/s."""

FT2_TO_M2 = 0.09290304
"""One square foot in m²."""

NFA_L_S_PER_M2 = GPM_TO_L_S / 3.0 / FT2_TO_M2
"""NFA fire flow per m² of fully involved floor, L/s/m² (area in ft² / 3 = gpm): 0.2264."""

THOMAS_WALL_KW_M2 = 7.8
"""Thomas's flashover criterion: heat lost to the bounding surfaces, kW per m² of A_T."""

THOMAS_VENT_KW = 378.0
"""Thomas's flashover criterion: kW per m^(5/2) of opening factor A_o·√H_o."""

VENTILATION_LIMIT_KW = 1500.0
"""Fully developed, ventilation-limited fire: kW per m^(5/2) of A_o·√H_o (Kawagoe 1958:
air inflow 0.5·A_o·√H_o kg/s times 3,000 kJ per kg of air)."""

WATER_FLOW_L_S = {"engine": 10.0, "ladder": 15.0, "tanker": 5.0}
"""Water each apparatus type puts on a fire, L/s (GB 50974-2014 hose stream; assumptions)."""

SETUP_S = 120.0
"""Time from arrival to water on the fire, s (assumption: stretch lines, connect supply)."""

KNOCKDOWN_S = 300.0
"""Time from enough water on the fire to 'under control', s (assumption)."""

NEXT_TIME_TOL_S = 1e-6
"""How far past the exact crossing :meth:`FireDevelopment.next_time` may answer, s: far
below the millisecond of the records, far above the rounding of drill times (about 1e-11
s at a week), so a time it returns still lies past the crossing after the engine adds and
subtracts the fire's start."""

Growth = Literal["slow", "medium", "fast", "ultra_fast"]


def thomas_flashover_kw(surface_m2: float, opening_area_m2: float,
                        opening_height_m: float) -> float:
    """Heat release rate at which a room flashes over (Thomas 1981), kW.

    Parameters
    ----------
    surface_m2
        A_T: internal surface of the room (floor, ceiling, walls) less the opening, m².
    opening_area_m2
        A_o: area of the ventilation opening, m².
    opening_height_m
        H_o: height of the opening, m.
    """
    return (THOMAS_WALL_KW_M2 * surface_m2
            + THOMAS_VENT_KW * opening_area_m2 * math.sqrt(opening_height_m))


def ventilation_limited_kw(opening_area_m2: float, opening_height_m: float) -> float:
    """Largest heat release rate the air through an opening can feed (Kawagoe 1958), kW."""
    return VENTILATION_LIMIT_KW * opening_area_m2 * math.sqrt(opening_height_m)


def nfa_fire_flow_l_s(area_m2: float, involvement: float = 1.0) -> float:
    """Water a fire needs by the NFA formula, L/s.

    Parameters
    ----------
    area_m2
        Floor area of the space, m².
    involvement
        Share of it on fire, 0-1.
    """
    return NFA_L_S_PER_M2 * area_m2 * involvement


@dataclass(frozen=True)
class Compartment:
    """The room of origin: a square plan with one ventilation opening.

    Attributes
    ----------
    floor_m2, height_m
        Floor area (m²) and ceiling height (m).
    opening_w_m, opening_h_m
        Width and height of the opening (window or door), m.
    """

    floor_m2: float
    height_m: float
    opening_w_m: float
    opening_h_m: float

    @property
    def opening_m2(self) -> float:
        """A_o, m²."""
        return self.opening_w_m * self.opening_h_m

    @property
    def surface_m2(self) -> float:
        """A_T: floor, ceiling and walls of a square room less the opening, m²."""
        side = math.sqrt(self.floor_m2)
        return 2.0 * self.floor_m2 + 4.0 * side * self.height_m - self.opening_m2

    @property
    def flashover_kw(self) -> float:
        """Thomas's flashover heat release rate of this room, kW."""
        return thomas_flashover_kw(self.surface_m2, self.opening_m2, self.opening_h_m)


@dataclass(frozen=True)
class Occupancy:
    """Fire behaviour and first-alarm plan of one occupancy type (one catalogue entry).

    Attributes
    ----------
    zh, en
        Names for reports.
    growth
        t² growth class, a key of :data:`ALPHA_KW_S2`.
    hrrpua_kw_m2
        Heat release rate per unit floor area of the burning fuel, kW/m².
    fire_load_mj_m2
        Fire load density, MJ per m² of floor.
    compartment
        The room of origin, or ``None`` (outdoor fires: no flashover, no spread).
    spread_s
        Seconds for the involved area to grow by one room after flashover.
    max_area_m2
        Largest fire area (the building's fire compartment), m².
    max_kw
        Largest fire of an occupancy without compartment, kW (0 when it has one).
    plan
        Units by type for each alarm level, first alarm first (read-only).
    src
        Sources and labelled assumptions.
    first_minutes
        Who can act before the engines arrive (``residential``, ``workplace``, ``care``,
        ``outdoor``): the report words its first-minutes action by it.
    """

    zh: str
    en: str
    growth: Growth
    hrrpua_kw_m2: float
    fire_load_mj_m2: float
    compartment: Compartment | None
    spread_s: float
    max_area_m2: float
    max_kw: float
    plan: tuple[Mapping[str, int], ...]
    src: str
    first_minutes: str = ""

    @property
    def alpha(self) -> float:
        """Growth coefficient α in kW/s²."""
        return ALPHA_KW_S2[self.growth]

    def fire(self, alpha: float | None = None) -> FireDevelopment:
        """The development of a fire in this occupancy (``alpha`` overrides the class)."""
        return FireDevelopment.of(self, self.alpha if alpha is None else alpha)


@dataclass(frozen=True)
class FireDevelopment:
    """One fire's heat release rate, burning area and needed flow over time.

    Times are seconds since ignition. The fire reaches floor area ``reached_m2(t)``
    (growth, flashover, spread); each square metre burns for ``burn_s`` and is then
    burnt out, so the burning area is ``reached_m2(t) - reached_m2(t - burn_s)``.
    Built by :meth:`Occupancy.fire`.

    Attributes
    ----------
    alpha
        t² growth coefficient, kW/s².
    hrrpua_kw_m2
        Heat release rate per unit burning area, kW/m².
    flashover_kw
        Q at flashover, kW (``inf``: the fire never flashes over).
    room_m2, room_kw
        Area and fully developed heat release rate of one room, m² and kW.
    spread_s
        Seconds per room of spread after flashover.
    max_area_m2
        Largest area the fire reaches, m².
    burn_s
        Seconds one square metre burns (fire load / heat release rate per unit area).
    """

    alpha: float
    hrrpua_kw_m2: float
    flashover_kw: float
    room_m2: float
    room_kw: float
    spread_s: float
    max_area_m2: float
    burn_s: float

    @classmethod
    def of(cls, occ: Occupancy, alpha: float) -> FireDevelopment:
        """The fire of occupancy ``occ`` growing with ``alpha`` (kW/s²); the same (immutable)
        object for the same figures, so what it caches is worked out once."""
        return _development(occ.hrrpua_kw_m2, occ.fire_load_mj_m2, occ.compartment,
                            occ.max_kw, occ.spread_s, occ.max_area_m2, alpha)

    @cached_property  # read at every step of the fire's formulas
    def t_flashover(self) -> float:
        """Seconds from ignition to flashover (``inf``: never)."""
        return math.sqrt(self.flashover_kw / self.alpha)

    @property
    def t_out(self) -> float:
        """Seconds from ignition until everything the fire reaches has burnt out."""
        if math.isinf(self.t_flashover):
            t_full = math.sqrt(self.room_kw / self.alpha)
        else:
            t_full = self.t_flashover + (self.max_area_m2 / self.room_m2 - 1.0) * self.spread_s
        return t_full + self.burn_s

    @property
    def largest_kw(self) -> float:
        """Heat release rate with the largest area burning at once, kW (an upper bound)."""
        if math.isinf(self.flashover_kw):
            return self.room_kw
        return self.room_kw * self.max_area_m2 / self.room_m2

    def reached_m2(self, t: float) -> float:
        """Floor area the fire has reached ``t`` s after ignition (burning or burnt), m²."""
        if t <= 0:
            return 0.0
        t_fo = self.t_flashover
        if t < t_fo:
            return heat_release_kw(self.alpha, self.room_kw, t) / self.hrrpua_kw_m2
        return min(self.room_m2 * (1.0 + (t - t_fo) / self.spread_s), self.max_area_m2)

    def area_m2(self, t: float) -> float:
        """Burning floor area ``t`` s after ignition, m²."""
        return self.reached_m2(t) - self.reached_m2(t - self.burn_s)

    def _kw_per_m2(self, t: float) -> float:
        """Heat release rate per burning square metre ``t`` s after ignition, kW/m²."""
        return self.hrrpua_kw_m2 if t < self.t_flashover else self.room_kw / self.room_m2

    def heat_release_kw(self, t: float) -> float:
        """Heat release rate ``t`` s after ignition, kW."""
        return self._kw_per_m2(t) * self.area_m2(t)

    def flow_needed_l_s(self, t: float) -> float:
        """Water the fire needs ``t`` s after ignition (NFA formula on the burning area), L/s."""
        return nfa_fire_flow_l_s(self.area_m2(t))

    def rooms(self, t: float) -> int:
        """Rooms' worth of floor the fire has reached ``t`` s after ignition (whole rooms,
        at least 1 once burning)."""
        return self._rooms_of(self.reached_m2(t))

    def _rooms_of(self, reached_m2: float) -> int:
        """Rooms' worth of ``reached_m2`` (m²) of floor, at least 1 once burning."""
        return max(1, math.floor(reached_m2 / self.room_m2 + 1e-9)) if reached_m2 > 0 else 0

    def size(self, t: float) -> tuple[float, float, int]:
        """:meth:`heat_release_kw` (kW), :meth:`flow_needed_l_s` (L/s) and :meth:`rooms`
        ``t`` s after ignition, the reached areas computed once for the three."""
        reached = self.reached_m2(t)
        area = reached - self.reached_m2(t - self.burn_s)
        return self._kw_per_m2(t) * area, nfa_fire_flow_l_s(area), self._rooms_of(reached)

    def _reached_breaks(self) -> tuple[float, ...]:
        """Times at which :meth:`reached_m2` changes formula (ignition, flashover or the
        cap of an outdoor fire, the whole area reached), s after ignition."""
        t_fo = self.t_flashover
        if math.isinf(t_fo):
            return (0.0, math.sqrt(self.room_kw / self.alpha))
        t_full = t_fo + (self.max_area_m2 / self.room_m2 - 1.0) * self.spread_s
        return (0.0, t_fo, t_full) if math.isfinite(t_full) and t_full > t_fo else (0.0, t_fo)

    @cached_property
    def _area_breaks(self) -> tuple[float, ...]:
        """Times at which the burning area changes formula: those of :meth:`_reached_breaks`
        and each ``burn_s`` later, ascending, s after ignition."""
        return tuple(sorted({b for r in self._reached_breaks() for b in (r, r + self.burn_s)}))

    @cached_property
    def _area_polys(self) -> tuple[tuple[float, float, float], ...]:
        """Coefficients (c2, c1, c0) of the burning area ``reached_m2(t) - reached_m2(t -
        burn_s)`` = c2·t² + c1·t + c0 (m², ``t`` s after ignition) on each piece between
        :attr:`_area_breaks`: before the first, between each two, after the last (each
        read inside its piece, where both terms keep one formula)."""
        bounds = (-math.inf, *self._area_breaks, math.inf)
        s = self.burn_s  # q(t - s) expanded in t
        polys = []
        for a, b in zip(bounds[:-1], bounds[1:], strict=True):
            mid = b - 1.0 if math.isinf(a) else a + 1.0 if math.isinf(b) else 0.5 * (a + b)
            p2, p1, p0 = self._reached_poly(mid)
            q2, q1, q0 = self._reached_poly(mid - s)
            polys.append((p2 - q2, p1 - (q1 - 2.0 * q2 * s), p0 - (q2 * s * s - q1 * s + q0)))
        return tuple(polys)

    def _reached_poly(self, t: float) -> tuple[float, float, float]:
        """Coefficients (c2, c1, c0) of :meth:`reached_m2` = c2·s² + c1·s + c0 (m², s after
        ignition) on the formula piece that holds at ``t``."""
        if t <= 0:
            return (0.0, 0.0, 0.0)
        t_fo = self.t_flashover
        if t < t_fo:  # growth: Q/q″ = (α/q″)·s², capped (outdoor fires) at the largest fire
            if self.alpha * t * t < self.room_kw:
                return (self.alpha / self.hrrpua_kw_m2, 0.0, 0.0)
            return (0.0, 0.0, self.room_kw / self.hrrpua_kw_m2)
        rate = self.room_m2 / self.spread_s  # spread: one room per spread_s
        if self.room_m2 + rate * (t - t_fo) < self.max_area_m2:
            return (0.0, rate, self.room_m2 - rate * t_fo)
        return (0.0, 0.0, self.max_area_m2)

    def next_time(self, t0: float, flow_l_s: float, *, outgrows: bool) -> float:
        """First time from ``t0`` (s after ignition) at which the fire needs more than
        ``flow_l_s`` (``outgrows``) or at most ``flow_l_s`` (not ``outgrows``), s.

        Exact to :data:`NEXT_TIME_TOL_S` (the time returned lies at most that much after the
        crossing, on its far side): the burning area ``reached_m2(t) - reached_m2(t -
        burn_s)`` is a polynomial of degree at most 2 between the times where either term
        changes formula (ignition, flashover, the whole area reached, each also ``burn_s``
        later), so the crossings on each piece are the roots of a quadratic; between two
        consecutive roots or breaks the answer is the same throughout and is read at the
        middle. ``inf`` when it never happens.
        """
        def hit(t: float) -> bool:
            need = self.flow_needed_l_s(t)
            return need > flow_l_s if outgrows else need <= flow_l_s

        if hit(t0):
            return t0
        tol = NEXT_TIME_TOL_S
        k = bisect_right(self._area_breaks, t0)  # the piece t0 lies on
        area = flow_l_s / NFA_L_S_PER_M2  # the burning area at which the answer changes
        a = t0
        for (c2, c1, c0), b in zip(self._area_polys[k:], [*self._area_breaks[k:], math.inf],
                                   strict=True):
            if _never_on(c2, c1, c0 - area, a, b, outgrows):
                a = b  # the piece holds no answer: skip the roots and the checks
                continue
            points = [a, *(r for r in _quadratic_roots(c2, c1, c0 - area) if a < r < b), b]
            for x, y in zip(points, points[1:], strict=False):
                mid = x + 1.0 if math.isinf(y) else 0.5 * (x + y)
                if not hit(mid):
                    continue
                hi = x + tol  # the crossing is at x: step just past it ...
                if hi < mid and hit(hi):
                    return hi
                lo, hi = x, mid  # ... or, if rounding put x a little early, bisect to tol
                while hi - lo > tol:
                    half = 0.5 * (lo + hi)
                    lo, hi = (lo, half) if hit(half) else (half, hi)
                return hi
            a = b
        return math.inf


@lru_cache(maxsize=256)
def _development(hrrpua_kw_m2: float, fire_load_mj_m2: float, room: Compartment | None,
                 max_kw: float, spread_s: float, max_area_m2: float, alpha: float
                 ) -> FireDevelopment:
    """:meth:`FireDevelopment.of` from an occupancy's figures (kW/m², MJ/m², kW, s, m²,
    kW/s²)."""
    burn_s = fire_load_mj_m2 * 1000.0 / hrrpua_kw_m2
    if room is None:  # outdoor: t² up to max_kw, no flashover
        area = max_kw / hrrpua_kw_m2
        return FireDevelopment(alpha, hrrpua_kw_m2, math.inf, area, max_kw, math.inf, area,
                               burn_s)
    room_kw = min(ventilation_limited_kw(room.opening_m2, room.opening_h_m),
                  hrrpua_kw_m2 * room.floor_m2)
    return FireDevelopment(alpha, hrrpua_kw_m2, room.flashover_kw, room.floor_m2,
                           max(room_kw, room.flashover_kw), spread_s, max_area_m2, burn_s)


def _never_on(c2: float, c1: float, c0: float, a: float, b: float, above: bool) -> bool:
    """Whether c2·t² + c1·t + c0 (the burning area less the area at which the answer of
    :meth:`FireDevelopment.next_time` changes, m²) stays clearly below zero (``above``:
    the fire never outgrows the flow) or clearly above it (else: never falls to it) for
    every ``t`` in [a, b]; "clearly": by a margin of 1e-9 of the terms' size, far beyond
    the rounding that separates the polynomial from the area's own formulas. ``False``
    when unsure, and on an unbounded piece unless the polynomial is constant."""
    if math.isinf(b):
        if c2 or c1:
            return False
        values = [c0]
    else:
        values = [(c2 * a + c1) * a + c0, (c2 * b + c1) * b + c0]
        if c2 and a < -c1 / (2.0 * c2) < b:  # the vertex
            t = -c1 / (2.0 * c2)
            values.append((c2 * t + c1) * t + c0)
    t_max = max(abs(a), abs(b)) if math.isfinite(b) else abs(a)
    margin = 1e-9 * (abs(c2) * t_max * t_max + abs(c1) * t_max + abs(c0) + 1.0)
    return max(values) < -margin if above else min(values) > margin


def _quadratic_roots(c2: float, c1: float, c0: float) -> list[float]:
    """Real roots of c2·t² + c1·t + c0 = 0 (the numerically stable form), ascending; none
    when the polynomial is constant."""
    if c2 == 0.0:
        return [] if c1 == 0.0 else [-c0 / c1]
    disc = c1 * c1 - 4.0 * c2 * c0
    if disc < 0.0:
        return []
    q = -0.5 * (c1 + math.copysign(math.sqrt(disc), c1))
    roots = [q / c2] + ([c0 / q] if q != 0.0 else [])
    return sorted(roots)


def _load_catalogue() -> dict[str, Occupancy]:
    """The occupancy catalogue ``drillsim/data/occupancies.json`` (JSON: the model core
    reads no YAML)."""
    text = (resources.files("drillsim") / "data" / "occupancies.json").read_text("utf-8")
    out: dict[str, Occupancy] = {}
    for key, e in json.loads(text)["occupancies"].items():
        room = e["compartment"]
        out[key] = Occupancy(
            zh=e["zh"], en=e["en"], growth=e["growth"], hrrpua_kw_m2=float(e["hrrpua_kw_m2"]),
            fire_load_mj_m2=float(e["fire_load_mj_m2"]),
            compartment=None if room is None else Compartment(**room),
            spread_s=float(e.get("spread_s", math.inf)),
            max_area_m2=float(e.get("max_area_m2", 0.0)), max_kw=float(e.get("max_kw", 0.0)),
            plan=tuple(MappingProxyType(dict(level)) for level in e["plan"]), src=e["src"],
            first_minutes=e["first_minutes"])
    return out


OCCUPANCIES: dict[str, Occupancy] = _load_catalogue()
"""The occupancy catalogue, by key (``drillsim/data/occupancies.json``)."""


def heat_release_kw(alpha: float, max_kw: float, t_since_ignition: float) -> float:
    """Heat-release rate of a capped t² fire, kW (the growth phase alone).

    Parameters
    ----------
    alpha
        Growth coefficient, kW/s².
    max_kw
        Cap, kW.
    t_since_ignition
        Seconds since ignition; negative times give 0.
    """
    if t_since_ignition <= 0:
        return 0.0
    return min(alpha * t_since_ignition**2, max_kw)


def time_to_reach_kw(alpha: float, max_kw: float, q_kw: float) -> float:
    """Seconds after ignition at which a capped t² fire reaches ``q_kw`` (``inf``: never)."""
    if q_kw > max_kw:
        return math.inf
    return math.sqrt(max(q_kw, 0.0) / alpha)


def water_flow_l_s(apparatus_type: str) -> float:
    """Water a unit of this type puts on a fire once set up, L/s (0: none)."""
    return WATER_FLOW_L_S.get(apparatus_type, 0.0)
