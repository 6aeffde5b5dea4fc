"""The Gaussian plume against a published worked example and its own limits."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.hazards.plume import (
    CHEMICALS,
    CLASSES,
    concentration_g_m3,
    downwind_crosswind,
    ground_concentration_g_m3,
    model_warnings,
    plume_g_m3,
    sigma_y,
    sigma_y_pg,
    sigma_z,
    sigma_z_pg,
    stability_class,
    zone_extent_m,
    zone_mask,
    zone_masks,
    zone_polygon,
)

# Boubel, Fox, Turner & Stern (1994), Fundamentals of Air Pollution 3rd ed., §19.III.D
# "Example of a dispersion calculation": Q = 0.37 g/s, H = 40 m, u = 2 m/s, class B,
# σy from Table 19-4 and σz from Table 19-5 (Turner's Pasquill-Gifford formulas).
# Printed: x (km), σz (m), σy (m), χ (g/m³).
BOUBEL_EXAMPLE = [
    (0.26, 26.2, 45.9, 1.53e-5),
    (0.28, 28.2, 49.0, 1.56e-5),
    (0.30, 30.1, 52.2, 1.55e-5),
]


@pytest.mark.parametrize(("x_km", "sz", "sy", "chi"), BOUBEL_EXAMPLE)
def test_boubel_worked_example_sigmas(x_km, sz, sy, chi):
    # σ's printed to 0.1 m (3 significant figures): half a unit in the last place.
    assert float(sigma_y_pg(x_km * 1000, "B")) == pytest.approx(sy, abs=0.051)
    assert float(sigma_z_pg(x_km * 1000, "B")) == pytest.approx(sz, abs=0.051)


@pytest.mark.parametrize(("x_km", "sz", "sy", "chi"), BOUBEL_EXAMPLE)
def test_boubel_worked_example_concentration(x_km, sz, sy, chi):
    # χ printed to 3 significant figures: 0.5 % (half a unit in the last place is
    # 0.33 %; the printed σ's carry their own rounding).
    with_printed_sigmas = float(plume_g_m3(0.37, 2.0, 0.0, 0.0, 40.0, sy, sz))
    assert with_printed_sigmas == pytest.approx(chi, rel=5e-3)
    with_own_sigmas = float(plume_g_m3(0.37, 2.0, 0.0, 0.0, 40.0, sigma_y_pg(x_km * 1000, "B"),
                                       sigma_z_pg(x_km * 1000, "B")))
    assert with_own_sigmas == pytest.approx(chi, rel=5e-3)


def test_boubel_maximum_near_280_m():
    # The example's answer: the maximum is near 0.28 km, where σz ≈ H/√2 = 28.3 m.
    xs = np.linspace(200, 400, 2001)
    c = plume_g_m3(0.37, 2.0, 0.0, 0.0, 40.0, sigma_y_pg(xs, "B"), sigma_z_pg(xs, "B"))
    assert 260 <= xs[np.argmax(c)] <= 300
    assert float(sigma_z_pg(280, "B")) == pytest.approx(40 / math.sqrt(2), rel=5e-3)


def test_ground_release_closed_form():
    # H = 0, z = 0: C = Q/(π u σy σz) (Turner 1970 eq. 3.4).
    x, q, u = 500.0, 10.0, 3.0
    sy, sz = float(sigma_y(x, "D", urban=False)), float(sigma_z(x, "D", urban=False))
    assert float(ground_concentration_g_m3(q, u, x, 0, 0, "D", urban=False)) == pytest.approx(
        q / (math.pi * u * sy * sz), rel=1e-12)


# --- Briggs coefficients (Boubel et al. 1994 Tables 19-6, 19-7) -------------------------

def test_briggs_spot_values():
    x = 1000.0
    assert float(sigma_y(x, "D", urban=False)) == pytest.approx(0.08 * x / math.sqrt(1.1))
    assert float(sigma_z(x, "D", urban=False)) == pytest.approx(0.06 * x / math.sqrt(2.5))
    assert float(sigma_z(x, "F", urban=False)) == pytest.approx(0.016 * x / 1.3)
    assert float(sigma_y(x, "F", urban=True)) == pytest.approx(0.11 * x / math.sqrt(1.4))
    assert float(sigma_z(x, "A", urban=True)) == pytest.approx(0.24 * x * math.sqrt(2.0))
    assert float(sigma_z(x, "C", urban=True)) == pytest.approx(0.20 * x)


XS = np.geomspace(10, 10_000, 200)


@pytest.mark.parametrize("urban", [False, True])
@pytest.mark.parametrize("cls", CLASSES)
def test_sigmas_increase_with_distance(cls, urban):
    assert np.all(np.diff(sigma_y(XS, cls, urban=urban)) > 0)
    assert np.all(np.diff(sigma_z(XS, cls, urban=urban)) > 0)
    assert np.all(np.diff(sigma_y_pg(XS, cls)) > 0)
    assert np.all(np.diff(sigma_z_pg(XS, cls)) >= 0)


def test_sigmas_fall_with_stability():
    for a, b in zip(CLASSES, CLASSES[1:], strict=False):
        # Rural and PG: strictly A > B > ... > F at every distance.
        assert np.all(sigma_y(XS, a, urban=False) > sigma_y(XS, b, urban=False))
        assert np.all(sigma_z(XS, a, urban=False) > sigma_z(XS, b, urban=False))
        assert np.all(sigma_y_pg(XS, a) > sigma_y_pg(XS, b))
        assert np.all(sigma_z_pg(XS, a) > sigma_z_pg(XS, b))
        # Urban fits merge A-B and E-F: non-increasing.
        assert np.all(sigma_y(XS, a, urban=True) >= sigma_y(XS, b, urban=True))
        assert np.all(sigma_z(XS, a, urban=True) >= sigma_z(XS, b, urban=True))


def test_urban_spreads_more_than_rural():
    # Checked claim: urban ≥ rural for both σ's at every distance to 10 km for B-F and for
    # σz of A; σy of A is the exception: 0.32x/√(1+0.0004x) falls below 0.22x/√(1+0.0001x)
    # beyond x = 1.1157/1.8843e-4 ≈ 5.92 km.
    for cls in "BCDEF":
        assert np.all(sigma_y(XS, cls, urban=True) >= sigma_y(XS, cls, urban=False))
        assert np.all(sigma_z(XS, cls, urban=True) >= sigma_z(XS, cls, urban=False))
    assert np.all(sigma_z(XS, "A", urban=True) >= sigma_z(XS, "A", urban=False))
    short = XS[XS < 5900]
    assert np.all(sigma_y(short, "A", urban=True) > sigma_y(short, "A", urban=False))
    assert float(sigma_y(8000, "A", urban=True)) < float(sigma_y(8000, "A", urban=False))


# --- Stability (Pasquill 1961 / Turner 1970 table) --------------------------------------

@pytest.mark.parametrize(("wind", "day", "insolation", "cloud", "expected"), [
    (1.5, True, "strong", 0, "A"),
    (2.5, True, "strong", 0, "B"),        # A-B -> more stable
    (4.0, True, "strong", 0, "B"),
    (4.0, True, "moderate", 2, "C"),      # B-C -> C
    (5.5, True, "moderate", 2, "D"),      # C-D -> D
    (7.0, True, "strong", 2, "C"),
    (2.5, True, "slight", 2, "C"),
    (7.0, True, "slight", 2, "D"),
    (2.5, False, "moderate", 5, "E"),
    (2.5, False, "moderate", 2, "F"),
    (4.0, False, "moderate", 5, "D"),
    (4.0, False, "moderate", 3, "E"),
    (5.5, False, "moderate", 0, "D"),
    (2.5, True, "strong", 8, "D"),        # overcast: D by day
    (2.5, False, "moderate", 8, "D"),     # and by night
])
def test_stability_table(wind, day, insolation, cloud, expected):
    assert stability_class(wind, day=day, insolation=insolation,
                           cloud_eighths=cloud) == expected


def test_stability_rejects_bad_input():
    with pytest.raises(ValueError):
        stability_class(-1, day=True)
    with pytest.raises(ValueError):
        stability_class(3, day=True, insolation="blazing")  # type: ignore[arg-type]


# --- The plume's own limits --------------------------------------------------------------

classes = st.sampled_from(CLASSES)
winds = st.floats(0.5, 15)
rates = st.floats(1e-3, 1e4)
heights = st.floats(0, 50)


@settings(max_examples=60, deadline=None)
@given(classes, winds, rates, st.booleans())
def test_ground_release_centreline_is_monotone(cls, u, q, urban):
    c = ground_concentration_g_m3(q, u, XS, 0.0, 0.0, cls, urban=urban)
    assert np.all(np.diff(c) < 0)


@settings(max_examples=60, deadline=None)
@given(classes, winds, rates, st.floats(5, 50), st.booleans())
def test_elevated_release_falls_beyond_its_maximum(cls, u, q, h, urban):
    xs = np.geomspace(1, 10_000, 3000)
    c = ground_concentration_g_m3(q, u, xs, 0.0, h, cls, urban=urban)
    i = int(np.argmax(c))
    assert np.all(np.diff(c[i:]) <= 0)
    assert np.all(np.diff(c[: i + 1]) >= 0)


@settings(max_examples=60, deadline=None)
@given(classes, winds, rates, heights, st.floats(1, 10_000), st.floats(0, 2000),
       st.floats(0, 30), st.booleans())
def test_symmetry_linearity_and_wind(cls, u, q, h, x, y, z, urban):
    c = float(concentration_g_m3(q, u, x, y, z, h, cls, urban=urban))
    assert c == float(concentration_g_m3(q, u, x, -y, z, h, cls, urban=urban))
    assert float(concentration_g_m3(3 * q, u, x, y, z, h, cls, urban=urban)) == pytest.approx(
        3 * c, rel=1e-12, abs=1e-300)
    assert float(concentration_g_m3(q, 2 * u, x, y, z, h, cls, urban=urban)) == pytest.approx(
        c / 2, rel=1e-12, abs=1e-300)
    assert c >= 0


@settings(max_examples=40, deadline=None)
@given(classes, winds, rates, heights, st.floats(-10_000, 0), st.floats(-500, 500))
def test_zero_upwind(cls, u, q, h, x, y):
    assert float(concentration_g_m3(q, u, x, y, 0.0, h, cls, urban=True)) == 0.0


def test_wind_must_blow():
    with pytest.raises(ValueError):
        concentration_g_m3(1.0, 0.0, 100, 0, 0, 0, "D", urban=True)


# --- Geometry and zones -------------------------------------------------------------------

SRC = (39.16, 117.15)   # about Hongqiao District


def _offset(d_north_m, d_east_m):
    k = math.pi / 180 * 6_371_008.8
    return SRC[0] + d_north_m / k, SRC[1] + d_east_m / (k * math.cos(math.radians(SRC[0])))


def test_downwind_crosswind_directions():
    # North wind (from 0°) blows south: a point 1 km south is 1 km downwind.
    x, y = downwind_crosswind(*_offset(-1000, 0), *SRC, 0.0)
    assert float(x) == pytest.approx(1000, rel=1e-9) and abs(float(y)) < 1e-6
    # West wind (from 270°) blows east.
    x, y = downwind_crosswind(*_offset(0, 1000), *SRC, 270.0)
    assert float(x) == pytest.approx(1000, rel=1e-9) and abs(float(y)) < 1e-6
    # East wind: a point to the east is upwind, a point to the north is crosswind.
    x, _ = downwind_crosswind(*_offset(0, 1000), *SRC, 90.0)
    assert float(x) == pytest.approx(-1000, rel=1e-9)
    x, y = downwind_crosswind(*_offset(500, 0), *SRC, 90.0)
    assert abs(float(x)) < 1e-6 and abs(float(y)) == pytest.approx(500, rel=1e-9)


CHLORINE = CHEMICALS["chlorine"]


@settings(max_examples=25, deadline=None)
@given(classes, st.floats(1, 10), st.floats(10, 5000), st.floats(0, 20), st.booleans(),
       st.floats(0, 360))
def test_zones_nest(cls, u, q, h, urban, wind_from):
    lat, lon = np.meshgrid(np.linspace(SRC[0] - 0.05, SRC[0] + 0.05, 41),
                           np.linspace(SRC[1] - 0.06, SRC[1] + 0.06, 41), indexing="ij")
    kw = dict(src_lat=SRC[0], src_lon=SRC[1], wind_from_deg=wind_from, q_g_s=q, u_m_s=u,
              h_m=h, cls=cls, urban=urban)
    masks = [zone_mask(lat, lon, threshold_g_m3=CHLORINE.aegl_g_m3(level, 60), **kw)
             for level in (1, 2, 3)]
    assert np.all(masks[2] <= masks[1]) and np.all(masks[1] <= masks[0])
    extents = [zone_extent_m(q, u, h, cls, urban, CHLORINE.aegl_g_m3(level, 60))
               for level in (1, 2, 3)]
    assert extents[0] >= extents[1] >= extents[2]


@pytest.mark.parametrize("cls", CLASSES)
@pytest.mark.parametrize("h", [0.0, 20.0])
def test_extent_is_the_threshold_crossing(cls, h):
    q, u, thr = 2000.0, 3.0, CHLORINE.aegl_g_m3(2, 60)
    x = zone_extent_m(q, u, h, cls, True, thr)
    assert 0 < x < 10_000
    assert float(ground_concentration_g_m3(q, u, x, 0, h, cls, urban=True)) == pytest.approx(
        thr, rel=1e-6)
    assert float(ground_concentration_g_m3(q, u, x * 1.01, 0, h, cls, urban=True)) < thr


def test_extent_limits():
    assert zone_extent_m(1e-6, 5, 0, "A", False, 1.0) == 0.0
    assert zone_extent_m(1e6, 1, 0, "F", True, 1e-6) == 10_000
    assert zone_polygon(src_lat=SRC[0], src_lon=SRC[1], wind_from_deg=0, q_g_s=1e-6,
                        u_m_s=5, h_m=0, cls="A", urban=False, threshold_g_m3=1.0) == []


def test_polygon_traces_the_contour():
    q, u, thr = 2000.0, 3.0, CHLORINE.aegl_g_m3(2, 60)
    ring = zone_polygon(src_lat=SRC[0], src_lon=SRC[1], wind_from_deg=45.0, q_g_s=q, u_m_s=u,
                        h_m=0.0, cls="D", urban=True, threshold_g_m3=thr, n=32)
    assert len(ring) == 65 and ring[0] == ring[-1]
    lat, lon = np.array(ring).T
    x, y = downwind_crosswind(lat, lon, *SRC, 45.0)
    # A north-east wind carries the plume south-west (the tip and the bulk of the zone).
    assert np.all(x >= 0)
    tip = int(np.argmax(x))
    assert lat[tip] < SRC[0] and lon[tip] < SRC[1]
    assert lat.mean() < SRC[0] and lon.mean() < SRC[1]
    assert x.max() == pytest.approx(zone_extent_m(q, u, 0.0, "D", True, thr), rel=1e-6)
    inner = (x > 1) & (x < x.max() * 0.999)
    c = ground_concentration_g_m3(q, u, x[inner], y[inner], 0.0, "D", urban=True)
    np.testing.assert_allclose(c, thr, rtol=1e-6)


# --- Warnings --------------------------------------------------------------------------

def test_aloha_style_warnings():
    assert model_warnings(3.0, "D", [200, 5000], 30) == []
    limits = model_warnings(1.0, "F", [50, 12_000], 90)
    assert [w.key for w in limits] == ["low_wind", "stable_air", "near_source",
                                       "beyond_distance", "beyond_duration"]
    assert limits[0].values["wind_m_s"] == 1.0 and limits[1].stability == "F"
    text = " ".join(w.text for w in limits)
    for phrase in ("1.3 m/s", "stable", "near the source", "10 km", "60 minutes"):
        assert phrase in text
    dense = model_warnings(3.0, "D", chemical=CHLORINE)
    assert any("Gaussian screening model: chlorine is a dense gas" in w.text for w in dense)
    assert model_warnings(3.0, "D", chemical=CHEMICALS["ammonia"]) == []


@settings(max_examples=25, deadline=None)
@given(classes, st.floats(1, 10), st.floats(10, 5000), st.floats(0, 20), st.floats(0, 360))
def test_zone_masks_are_zone_mask_per_threshold(cls, u, q, h, wind_from):
    lat, lon = np.meshgrid(np.linspace(SRC[0] - 0.05, SRC[0] + 0.05, 21),
                           np.linspace(SRC[1] - 0.06, SRC[1] + 0.06, 21), indexing="ij")
    kw = dict(src_lat=SRC[0], src_lon=SRC[1], wind_from_deg=wind_from, q_g_s=q, u_m_s=u,
              h_m=h, cls=cls, urban=True)
    thresholds = [CHLORINE.aegl_g_m3(level, 60) for level in (1, 2, 3)]
    masks = zone_masks(lat, lon, thresholds, **kw)
    for mask, thr in zip(masks, thresholds, strict=True):
        assert np.array_equal(mask, zone_mask(lat, lon, threshold_g_m3=thr, **kw))
    with pytest.raises(ValueError):
        zone_masks(lat, lon, [thresholds[0], 0.0], **kw)
