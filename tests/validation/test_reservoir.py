"""The waterlogging point as a storage: closed form, emptying, mass balance, monotonicity."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.hazards.pluvial_flood import TIANJIN_HANDBOOK, Reservoir, rational_flow_m3_s

POINT = Reservoir(catchment_ha=12.0, runoff_coeff=0.9, drain_m3_s=0.5, area_m2=8000.0)


def test_inflow_units():
    # 36 mm/h is 100 L/(s·ha) (1 L/(s·ha) = 0.36 mm/h): on 1 ha with ψ = 0.5, 50 L/s.
    r = Reservoir(catchment_ha=1.0, runoff_coeff=0.5, drain_m3_s=0.0, area_m2=1.0)
    assert r.inflow_m3_s(36.0) == pytest.approx(0.05)


@pytest.mark.parametrize("v0", [0.0, 500.0, 5000.0])
@pytest.mark.parametrize("rain", [0.0, 10.0, 30.0, 80.0])
@pytest.mark.parametrize("pump", [0.0, 0.3])
@pytest.mark.parametrize("t", [60.0, 600.0, 3600.0])
def test_constant_inputs_follow_closed_form(v0, rain, pump, t):
    q_in = POINT.inflow_m3_s(rain)
    q_out = POINT.drain_m3_s + pump
    expected = max(0.0, v0 + (q_in - q_out) * t)
    v, inflow, outflow = POINT.step(v0, rain, pump, t)
    assert v == pytest.approx(expected, abs=1e-9)
    assert POINT.depth_m(v) == pytest.approx(expected / POINT.area_m2, abs=1e-12)
    assert inflow == pytest.approx(q_in * t)
    # many small steps give the same answer as one (exact, not an Euler scheme)
    w = v0
    for _ in range(60):
        w, _, _ = POINT.step(w, rain, pump, t / 60)
    assert w == pytest.approx(expected, abs=1e-6)


def test_emptying_within_a_step():
    # 300 m³ stored, no rain, 0.5 m³/s drains: empty after 600 s of a 1,000 s step.
    v, inflow, outflow = POINT.step(300.0, 0.0, 0.0, 1000.0)
    assert v == 0.0 and inflow == 0.0 and outflow == pytest.approx(300.0)
    # with rain, outflow is everything stored plus everything that came in
    v, inflow, outflow = POINT.step(300.0, 5.0, 0.0, 1000.0)
    assert v == 0.0 and outflow == pytest.approx(300.0 + inflow)
    assert outflow < POINT.drain_m3_s * 1000.0


def test_time_to_depth():
    rain = 80.0
    net = POINT.inflow_m3_s(rain) - POINT.drain_m3_s
    t = POINT.time_to_depth(0.0, 0.3, rain)
    assert t == pytest.approx(0.3 * POINT.area_m2 / net)
    v, _, _ = POINT.step(0.0, rain, 0.0, t)
    assert POINT.depth_m(v) == pytest.approx(0.3)
    assert POINT.time_to_depth(0.0, 0.3, 1.0) == math.inf
    assert POINT.time_to_depth(5000.0, 0.3, 0.0) == 0.0


def test_rational_method():
    # Q = ψ q F: 0.9 × q(10 min, 1 y) L/(s·ha) × 12 ha.
    q = TIANJIN_HANDBOOK.intensity(10, 1)
    flow = rational_flow_m3_s(TIANJIN_HANDBOOK, 1, 10, 12.0, 0.9)
    assert flow == pytest.approx(0.9 * q * 12 / 1000)


def test_rejects_nonsense():
    with pytest.raises(ValueError):
        Reservoir(catchment_ha=1.0, runoff_coeff=1.5, drain_m3_s=0.1, area_m2=10.0)
    with pytest.raises(ValueError):
        Reservoir(catchment_ha=1.0, runoff_coeff=0.5, drain_m3_s=0.1, area_m2=0.0)
    with pytest.raises(ValueError):
        POINT.step(-1.0, 0.0, 0.0, 10.0)


reservoirs = st.builds(
    Reservoir,
    catchment_ha=st.floats(0.0, 200.0),
    runoff_coeff=st.floats(0.0, 1.0),
    drain_m3_s=st.floats(0.0, 20.0),
    area_m2=st.floats(1.0, 1e5),
)
steps = st.lists(
    st.tuples(st.floats(0.0, 200.0), st.floats(0.0, 5.0), st.floats(0.0, 3600.0)),
    min_size=1, max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(reservoirs, st.floats(0.0, 1e5), steps)
def test_mass_balances_and_volume_never_negative(res, v0, seq):
    v, total_in, total_out = v0, 0.0, 0.0
    for rain, pump, dt in seq:
        v, i, o = res.step(v, rain, pump, dt)
        assert v >= 0.0
        assert i >= 0.0 and o >= 0.0
        total_in += i
        total_out += o
    scale = max(v0, total_in, total_out, 1.0)
    assert v - v0 == pytest.approx(total_in - total_out, abs=1e-12 * scale * (len(seq) + 1))


@settings(max_examples=300, deadline=None)
@given(reservoirs, st.floats(0.0, 1e5), steps, st.floats(0.0, 100.0), st.floats(0.0, 5.0))
def test_more_rain_never_less_water_more_drainage_never_more(res, v0, seq, extra_rain, extra_pump):
    base = wetter = drier = v0
    for rain, pump, dt in seq:
        base, _, _ = res.step(base, rain, pump, dt)
        wetter, _, _ = res.step(wetter, rain + extra_rain, pump, dt)
        drier, _, _ = res.step(drier, rain, pump + extra_pump, dt)
        assert wetter >= base
        assert drier <= base
