"""Chemical data, unit conversion, source term and ERG distances against their sources."""

import math

import pytest

from drillsim.hazards.plume import (
    AEGL_DURATIONS_MIN,
    CHEMICALS,
    dense_gas_warning,
    erg_distances,
    erg_wind_category,
    liquid_release_rate_kg_s,
    mg_m3_to_ppm,
    ppm_to_mg_m3,
)

# The brief (hongqiao-geodata.md, Chlorine): AEGLs in ppm, US EPA / NRC.
BRIEF_CHLORINE = {
    1: (0.5, 0.5, 0.5, 0.5, 0.5),
    2: (2.8, 2.8, 2.0, 1.0, 0.71),
    3: (50, 28, 20, 10, 7.1),
}
# NRC (2008) AEGL Vol. 6, ammonia.
NRC_AMMONIA = {
    1: (30, 30, 30, 30, 30),
    2: (220, 220, 160, 110, 110),
    3: (2700, 1600, 1100, 550, 390),
}


@pytest.mark.parametrize(("key", "table"), [("chlorine", BRIEF_CHLORINE),
                                            ("ammonia", NRC_AMMONIA)])
def test_aegl_tables(key, table):
    chem = CHEMICALS[key]
    for level, values in table.items():
        for t, v in zip(AEGL_DURATIONS_MIN, values, strict=True):
            assert chem.aegl_ppm[level][t] == v
            assert chem.aegl_ppm_at(level, t) == pytest.approx(v, rel=1e-12)


def test_chlorine_properties_from_brief():
    cl2 = CHEMICALS["chlorine"]
    assert cl2.density_rel_air == 2.47 and cl2.idlh_ppm == 10
    assert (cl2.cas, cl2.un_number, cl2.erg_guide) == ("7782-50-5", "1017", "124")
    nh3 = CHEMICALS["ammonia"]
    assert nh3.density_rel_air < 1 and nh3.idlh_ppm == 300
    assert (nh3.cas, nh3.un_number, nh3.erg_guide) == ("7664-41-7", "1005", "125")
    for chem in CHEMICALS.values():
        assert chem.source


def test_ppm_mg_m3_for_chlorine():
    # Brief: 1 ppm = 2.90 mg/m³ (printed to 3 significant figures: ±0.17 %).
    assert ppm_to_mg_m3(1.0, CHEMICALS["chlorine"].mw_g_mol) == pytest.approx(2.90, rel=2e-3)
    # Molar volume 24.465 L/mol at 25 °C, 22.414 L/mol at 0 °C.
    assert ppm_to_mg_m3(1.0, 24.465) == pytest.approx(1.0, rel=1e-4)
    assert ppm_to_mg_m3(1.0, 22.414, temp_c=0.0) == pytest.approx(1.0, rel=1e-4)
    for ppm in (0.5, 20, 2700):
        assert mg_m3_to_ppm(ppm_to_mg_m3(ppm, 17.031, 10, 100), 17.031, 10, 100) == (
            pytest.approx(ppm, rel=1e-12))


def test_aegl_interpolation_is_log_log_and_clamped():
    cl2 = CHEMICALS["chlorine"]
    # Between 60 min (20 ppm) and 240 min (10 ppm) at the geometric mean, 120 min:
    # log-log interpolation gives the geometric mean of the values, √200 ppm.
    assert cl2.aegl_ppm_at(3, 120) == pytest.approx(math.sqrt(20 * 10), rel=1e-12)
    assert cl2.aegl_ppm_at(3, 5) == 50 and cl2.aegl_ppm_at(3, 1000) == pytest.approx(7.1)
    assert cl2.aegl_mg_m3(3, 10) == pytest.approx(50 * 2.898, rel=1e-3)
    assert cl2.aegl_g_m3(1, 60) == pytest.approx(cl2.aegl_mg_m3(1, 60) / 1000)
    with pytest.raises(ValueError):
        cl2.aegl_ppm_at(4, 60)
    # Levels are ordered at every duration.
    for t in (10, 25, 60, 200, 480):
        assert cl2.aegl_ppm_at(1, t) < cl2.aegl_ppm_at(2, t) < cl2.aegl_ppm_at(3, t)


def test_dense_gas_label():
    dense = dense_gas_warning(CHEMICALS["chlorine"])
    assert dense.key == "dense_gas" and dense.values["density_rel_air"] > 1
    assert "Gaussian screening model: chlorine is a dense gas" in dense.text
    assert dense_gas_warning(CHEMICALS["ammonia"]) is None


def test_orifice_flow():
    # Hand calculation: Cd·A·√(2ρΔP) for a 10 mm hole, 5.8 bar g, liquid chlorine 1,410 kg/m³:
    # 0.61 × 7.854e-5 m² × √(2 × 1410 × 5.8e5) = 1.938 kg/s.
    assert liquid_release_rate_kg_s(10, 5.8, 1410) == pytest.approx(1.938, rel=1e-3)
    base = liquid_release_rate_kg_s(10, 4, 1000)
    assert liquid_release_rate_kg_s(20, 4, 1000) == pytest.approx(4 * base)
    assert liquid_release_rate_kg_s(10, 16, 1000) == pytest.approx(2 * base)
    assert liquid_release_rate_kg_s(10, 0, 1000) == 0.0
    with pytest.raises(ValueError):
        liquid_release_rate_kg_s(10, 4, 1000, cd=1.5)


def test_erg_chlorine_ton_container():
    # Brief: one leaking chlorine ton container, initial isolation about 150 m; downwind
    # protection grows at night and in light wind.
    low, mod, high = (erg_distances("chlorine", "ton_cylinder", w)
                      for w in ("low", "moderate", "high"))
    assert low.isolation_m == pytest.approx(150, abs=5)
    assert low.night_km > low.day_km and mod.night_km > mod.day_km
    assert low.day_km > mod.day_km > high.day_km
    assert low.night_km > mod.night_km > high.night_km
    # ERG 2024 Table 3 (US customary): 0.9 mi day, 1.5 mi night in low wind.
    assert low.day_km == pytest.approx(0.9 * 1.609344)
    assert low.night_km == pytest.approx(1.5 * 1.609344)
    assert low.approximate and "Table 3" in low.source


def test_erg_containers_and_wind():
    rail = erg_distances("chlorine", "rail_tank_car", "low")
    assert rail.plus and rail.isolation_m == pytest.approx(914.4)
    assert erg_distances("chlorine", "single_ton_cylinder", 1.0) == erg_distances(
        "chlorine", "ton_cylinder", "low")
    assert erg_distances("ammonia", "rail_tank_car", "moderate").day_km < rail.day_km
    assert (erg_wind_category(2.0), erg_wind_category(4.0), erg_wind_category(6.0)) == (
        "low", "moderate", "high")
    with pytest.raises(KeyError):
        erg_distances("phosgene", "rail_tank_car", "low")
    with pytest.raises(KeyError):
        erg_distances("ammonia", "ton_cylinder", "low")
