"""Fire development against its published sources.

- t² classes: NFPA 72 Annex B / PD 7974-1 Table 3 (1,055 kW at 600/300/150/75 s).
- Flashover: Thomas (1981) for the ISO 9705 room, against the 1 MW heat release rate
  at which that room flashes over (the flashover criterion of the ISO 9705 room
  corner test, used by EN 13501-1); Thomas's and the other flashover correlations
  scatter by about ±30 % around test data (Babrauskas, SFPE Handbook ch. on
  flashover), so the tolerance is 30 %.
- Ventilation limit: Kawagoe's air inflow 0.5·A_o·√H_o kg/s times Huggett's
  3.03 MJ per kg of air consumed (Huggett 1980).
- Fire flow: the NFA formula's own worked figures (a 30 ft × 50 ft area fully
  involved needs 1,500 / 3 = 500 gpm; at 50 % involvement 250 gpm).
"""

import math

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from drillsim.hazards.fire_growth import (
    ALPHA_KW_S2,
    NEXT_TIME_TOL_S,
    OCCUPANCIES,
    Compartment,
    FireDevelopment,
    heat_release_kw,
    nfa_fire_flow_l_s,
    thomas_flashover_kw,
    time_to_reach_kw,
    ventilation_limited_kw,
    water_flow_l_s,
)
from drillsim.scenarios.schema import APPARATUS_TYPES

# NFPA 72 Annex B: each growth class reaches 1,055 kW (1,000 BTU/s) at these times.
PUBLISHED_T_1055 = {"slow": 600.0, "medium": 300.0, "fast": 150.0, "ultra_fast": 75.0}


@pytest.mark.parametrize("growth", sorted(PUBLISHED_T_1055))
def test_growth_class_reaches_1055_kw_at_published_time(growth):
    alpha = ALPHA_KW_S2[growth]
    assert heat_release_kw(alpha, 1e9, PUBLISHED_T_1055[growth]) == pytest.approx(1055, rel=5e-3)
    assert time_to_reach_kw(alpha, 1e9, 1055) == pytest.approx(PUBLISHED_T_1055[growth], rel=5e-3)


def test_t_squared_shape_and_cap():
    alpha, cap = ALPHA_KW_S2["fast"], 5000.0
    assert heat_release_kw(alpha, cap, 0) == 0
    assert heat_release_kw(alpha, cap, -10) == 0
    assert heat_release_kw(alpha, cap, 200) == pytest.approx(4 * heat_release_kw(alpha, cap, 100))
    assert heat_release_kw(alpha, cap, 10_000) == cap
    assert time_to_reach_kw(alpha, cap, cap + 1) == math.inf


# ISO 9705 room: 3.6 m × 2.4 m floor, 2.4 m high, door 0.8 m × 2.0 m.
ISO_9705_SURFACE_M2 = 2 * 3.6 * 2.4 + 2 * 3.6 * 2.4 + 2 * 2.4 * 2.4 - 0.8 * 2.0
ISO_9705_FLASHOVER_KW = 1000.0


def test_thomas_flashover_of_the_iso_9705_room_is_the_published_1_mw():
    q = thomas_flashover_kw(ISO_9705_SURFACE_M2, 0.8 * 2.0, 2.0)
    assert q == pytest.approx(ISO_9705_FLASHOVER_KW, rel=0.30)


def test_thomas_flashover_closed_form():
    # 7.8 kW per m² of surface plus 378 kW per m^(5/2) of opening factor
    assert thomas_flashover_kw(100.0, 0.0, 2.0) == pytest.approx(780.0)
    assert thomas_flashover_kw(0.0, 2.0, 4.0) == pytest.approx(378.0 * 2.0 * 2.0)


def test_compartment_geometry_matches_a_hand_count():
    room = Compartment(floor_m2=16.0, height_m=2.5, opening_w_m=1.0, opening_h_m=2.0)
    # floor + ceiling 32 m², walls 4 × 4 m × 2.5 m = 40 m², less the 2 m² opening
    assert room.surface_m2 == pytest.approx(70.0)
    assert room.flashover_kw == pytest.approx(7.8 * 70.0 + 378.0 * 2.0 * math.sqrt(2.0))


def test_ventilation_limit_is_kawagoe_air_flow_times_huggett_constant():
    air_kg_s = 0.5 * 2.0 * math.sqrt(2.0)  # Kawagoe: 0.5·A_o·√H_o for A_o = 2 m², H_o = 2 m
    assert ventilation_limited_kw(2.0, 2.0) == pytest.approx(air_kg_s * 3030.0, rel=0.02)


def test_nfa_fire_flow_worked_example():
    area_m2 = 30 * 50 * 0.09290304  # 30 ft × 50 ft
    gpm = 3.785411784 / 60.0
    assert nfa_fire_flow_l_s(area_m2) == pytest.approx(500 * gpm, rel=1e-6)
    assert nfa_fire_flow_l_s(area_m2, involvement=0.5) == pytest.approx(250 * gpm, rel=1e-6)
    # about 0.23 L/s per m² involved: one 10 L/s engine holds about 44 m²
    assert 10.0 / nfa_fire_flow_l_s(1.0) == pytest.approx(44.2, abs=0.1)


def test_water_flows():
    assert water_flow_l_s("engine") == 10.0  # two 5 L/s hose streams (GB 50974-2014)
    assert water_flow_l_s("rescue") == 0.0


# ------------------------------------------------------------------ the catalogue

ISSUE_TYPES = {"dwelling", "high_rise_residential", "school", "hospital", "elderly_care_home",
               "large_commercial_complex", "market", "warehouse", "factory",
               "hazardous_chemical_site", "old_residential_compound", "three_in_one", "outdoor"}


def test_catalogue_holds_every_type_the_plan_needs():
    assert ISSUE_TYPES <= set(OCCUPANCIES)


@pytest.mark.parametrize("key", sorted(OCCUPANCIES))
def test_catalogue_entry_is_complete_and_consistent(key):
    occ = OCCUPANCIES[key]
    assert occ.growth in ALPHA_KW_S2
    assert occ.src and occ.zh and occ.en
    assert occ.plan and all(t in APPARATUS_TYPES and n >= 1
                            for level in occ.plan for t, n in level.items())
    assert any(water_flow_l_s(t) > 0 for t in occ.plan[0])  # the first alarm brings water
    fire = occ.fire()
    if occ.compartment is not None:
        # a room can flash over: its fully developed fire is larger than Thomas's criterion
        assert fire.room_kw > fire.flashover_kw
        assert occ.max_area_m2 > occ.compartment.floor_m2


def test_occupancy_classes_follow_the_sources():
    assert OCCUPANCIES["dwelling"].growth == "medium"  # EN 1991-1-2 Table E.5
    assert OCCUPANCIES["school"].growth == "medium"  # classroom
    assert OCCUPANCIES["hospital"].growth == "medium"
    assert OCCUPANCIES["large_commercial_complex"].growth == "fast"  # shopping centre
    assert OCCUPANCIES["warehouse"].growth == "ultra_fast"  # PD 7974-1 high-racked storage
    assert OCCUPANCIES["dwelling"].fire_load_mj_m2 == 780  # EN 1991-1-2 Table E.4 mean


# ------------------------------------------------------------------ the development

@pytest.mark.parametrize("key", sorted(OCCUPANCIES))
def test_fire_grows_then_burns_out(key):
    fire = OCCUPANCIES[key].fire()
    ts = [float(t) for t in range(0, int(fire.t_out) + 60, 15)]
    reached = [fire.reached_m2(t) for t in ts]
    assert all(b >= a for a, b in zip(reached, reached[1:], strict=False))
    assert fire.flow_needed_l_s(fire.t_out + 1.0) == pytest.approx(0.0, abs=1e-9)
    assert max(fire.heat_release_kw(t) for t in ts) <= fire.largest_kw * (1 + 1e-9)


@pytest.mark.parametrize("key", sorted(OCCUPANCIES))
def test_size_is_the_three_fields_exactly(key):
    """``size`` (one pass, what the records carry) is bit for bit heat_release_kw,
    flow_needed_l_s and rooms, before ignition, around flashover and after burn-out."""
    fire = OCCUPANCIES[key].fire()
    t_fo = fire.t_flashover if math.isfinite(fire.t_flashover) else 600.0
    ts = [-5.0, 0.0, t_fo - 1e-6, t_fo, t_fo + 1e-6, fire.burn_s, fire.t_out + 1.0,
          *(float(t) for t in range(1, int(fire.t_out) + 60, 7))]
    for t in ts:
        assert fire.size(t) == (fire.heat_release_kw(t), fire.flow_needed_l_s(t),
                                fire.rooms(t)), t


def test_flashover_and_spread_of_a_dwelling():
    fire = OCCUPANCIES["dwelling"].fire()
    t_fo = fire.t_flashover
    assert fire.heat_release_kw(t_fo - 1.0) < fire.flashover_kw  # still a t² fire
    assert fire.heat_release_kw(t_fo + 1.0) >= fire.room_kw  # the room burns fully
    assert fire.rooms(t_fo + 1.0) == 1
    # one spread time later the next room burns: twice the fire, twice the water
    later = t_fo + OCCUPANCIES["dwelling"].spread_s + 1.0
    assert fire.rooms(later) == 2
    assert fire.flow_needed_l_s(later) > 2 * fire.flow_needed_l_s(t_fo + 1.0) * 0.99
    # a single engine (10 L/s) holds one flashed-over room but not three
    assert fire.flow_needed_l_s(t_fo + 1.0) < 10.0
    t3 = t_fo + 2 * OCCUPANCIES["dwelling"].spread_s + 1.0
    assert fire.flow_needed_l_s(t3) > 10.0


@pytest.mark.parametrize("flow", [1.0, 5.0, 10.0, 30.0, 80.0])
def test_next_time_finds_the_crossing(flow):
    fire = OCCUPANCIES["high_rise_residential"].fire()
    t = fire.next_time(0.0, flow, outgrows=True)
    if math.isinf(t):
        assert all(fire.flow_needed_l_s(s) <= flow for s in range(0, int(fire.t_out), 10))
        return
    assert fire.flow_needed_l_s(t) > flow
    assert fire.flow_needed_l_s(t - 0.2) <= flow or t - 0.2 < 0
    down = fire.next_time(t, flow, outgrows=False)
    assert down > t and fire.flow_needed_l_s(down) <= flow


# ------------------------------------------------------------------ next_time, exactly

def _hit(fire: FireDevelopment, t: float, flow: float, outgrows: bool) -> bool:
    need = fire.flow_needed_l_s(t)
    return need > flow if outgrows else need <= flow


@st.composite
def fires(draw) -> FireDevelopment:
    """A catalogue fire with its growth rate scaled, or a made-up compartment fire whose
    rooms burn out before, while or after the fire spreads (need rising, flat, falling)."""
    if draw(st.booleans()):
        occ = OCCUPANCIES[draw(st.sampled_from(sorted(OCCUPANCIES)))]
        return occ.fire(occ.alpha * draw(st.floats(0.25, 4.0)))
    room_m2 = draw(st.floats(5.0, 400.0))
    hrrpua = draw(st.floats(100.0, 1000.0))
    flashover_kw = draw(st.floats(500.0, 20_000.0))
    return FireDevelopment(
        alpha=draw(st.sampled_from(sorted(ALPHA_KW_S2.values()))), hrrpua_kw_m2=hrrpua,
        flashover_kw=flashover_kw, room_m2=room_m2,
        room_kw=max(flashover_kw, hrrpua * room_m2 * draw(st.floats(0.2, 1.0))),
        spread_s=draw(st.floats(30.0, 1200.0)),
        max_area_m2=room_m2 * draw(st.floats(1.0, 20.0)), burn_s=draw(st.floats(60.0, 8000.0)))


@settings(max_examples=120, deadline=None)
@given(fire=fires(), start=st.floats(0.0, 1.1), flow=st.floats(0.5, 400.0),
       outgrows=st.booleans())
def test_next_time_is_the_first_crossing_of_a_dense_scan(fire, start, flow, outgrows):
    """Against a brute-force scan of 4,000 points from t0 to past burn-out: the answer is a
    time the condition holds, no scanned time before it holds, it is no later than the
    scan's first hit (the scan's step is the tolerance the other way, except where the
    condition holds only between two scanned times), and just before it (2 tolerances)
    the condition did not hold yet: a crossing, not a time inside a long-held stretch."""
    t0 = start * fire.t_out
    t = fire.next_time(t0, flow, outgrows=outgrows)
    end = max(t0, fire.t_out) + 60.0
    step = (end - t0) / 4000
    scan = [t0 + i * step for i in range(4001)]
    first = next((s for s in scan if _hit(fire, s, flow, outgrows)), math.inf)
    if math.isinf(t):
        assert math.isinf(first)
        return
    assert t >= t0 and _hit(fire, t, flow, outgrows)
    assert t <= first + NEXT_TIME_TOL_S
    assert not any(_hit(fire, s, flow, outgrows) for s in scan if s < t - NEXT_TIME_TOL_S)
    if t > t0:
        assert not _hit(fire, t - 2 * NEXT_TIME_TOL_S, flow, outgrows)


def test_next_time_finds_flashover_to_the_microsecond():
    """A flashed-over warehouse room needs far more water than its t² fire did the instant
    before (Thomas's Q_fo at t_fo = √(Q_fo/α)): the crossing is the flashover itself, the
    same from whatever time the commander asks (the 5 s grid of the first version answered
    up to 0.1 s late, by an amount that depended on when it was asked)."""
    fire = OCCUPANCIES["warehouse"].fire()
    t_fo = math.sqrt(fire.flashover_kw / fire.alpha)
    flow = 0.5 * (fire.flow_needed_l_s(t_fo * (1 - 1e-9)) + fire.flow_needed_l_s(t_fo))
    for t0 in (0.0, 100.0, 237.794, t_fo - 0.05):
        t = fire.next_time(t0, flow, outgrows=True)
        assert t_fo < t <= t_fo + NEXT_TIME_TOL_S


def test_next_time_survives_the_engine_adding_the_fire_start():
    """The engine asks in fire time and waits in drill time (start + t): the answer still
    lies past the crossing after that round trip, so the commander never looks again at the
    same instant for ever."""
    fire = OCCUPANCIES["dwelling"].fire()
    for t_start in (0.0, 4381.052, 604_799.123):
        for flow in (1.0, 5.0, 10.0, 20.0):
            t = fire.next_time(10.0, flow, outgrows=True)
            if math.isfinite(t):
                age = (t_start + t) - t_start
                assert fire.flow_needed_l_s(age) > flow
                down = fire.next_time(age, flow, outgrows=False)
                assert fire.flow_needed_l_s((t_start + down) - t_start) <= flow


@settings(max_examples=80, deadline=None)
@given(fire=fires(), where=st.floats(0.01, 0.99))
def test_area_polynomials_are_the_burning_area_on_each_piece(fire, where):
    """The polynomial of each piece between the area's breaks, worked out once per fire
    (what :meth:`FireDevelopment.next_time` solves), equals the burning area
    ``reached_m2(t) - reached_m2(t - burn_s)`` inside that piece (before ignition, between
    each two breaks, after the last)."""
    bounds = (-100.0, *fire._area_breaks, fire._area_breaks[-1] + 5000.0)
    assert len(fire._area_polys) == len(bounds) - 1
    for (c2, c1, c0), a, b in zip(fire._area_polys, bounds[:-1], bounds[1:], strict=True):
        t = a + where * (b - a)
        assert c2 * t * t + c1 * t + c0 == pytest.approx(fire.area_m2(t), rel=1e-9,
                                                          abs=1e-9 * fire.max_area_m2)


@settings(max_examples=80, deadline=None)
@given(fire=fires(), flow=st.floats(0.0, 400.0), outgrows=st.booleans())
@example(  # burn-out at flashover + burn_s: at that very instant t - burn_s rounds to
    # just before flashover, so the area is 4.655 m² there and 0 just after
    fire=FireDevelopment(alpha=0.1876, hrrpua_kw_m2=100.0, flashover_kw=3634.5, room_m2=41.0,
                         room_kw=4100.0, spread_s=30.0, max_area_m2=41.0, burn_s=117.0),
    flow=1.0, outgrows=True)
def test_a_piece_next_time_skips_holds_no_answer(fire, flow, outgrows):
    """:meth:`FireDevelopment.next_time` skips a piece of the burning area's polynomial
    when the polynomial stays clearly on the side of no answer: then no time inside the
    piece (200 checked, the middles of 200 equal steps) has the fire outgrow the flow (or
    fall to it). The breaks themselves are left out: at a break the area's own formulas
    round either way (``t - burn_s`` may fall a hair before flashover), and the piece on
    the other side of the break answers for that instant."""
    from drillsim.hazards.fire_growth import NFA_L_S_PER_M2, _never_on

    bounds = (0.0, *fire._area_breaks[1:], fire._area_breaks[-1] + 5000.0)
    for (c2, c1, c0), a, b in zip(fire._area_polys[1:], bounds[:-1], bounds[1:], strict=True):
        if _never_on(c2, c1, c0 - flow / NFA_L_S_PER_M2, a, b, outgrows):
            assert not any(_hit(fire, a + (b - a) * (i + 0.5) / 200, flow, outgrows)
                           for i in range(200))
