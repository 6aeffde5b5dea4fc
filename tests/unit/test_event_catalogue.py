"""The event catalogue is the contract: every record the engine writes follows it.

Every ready drill is run once; kinds no ready drill writes are made by small inline
drills on the hand-checkable worlds of ``conftest.py``; a test fails listing any
catalogued kind neither writes. ``docs/records.md`` is generated from the catalogue and
a run folder reads back to the records that were written.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import BASE, make_scenario

from drillsim.api import load_scenario
from drillsim.engine import Drill, run_drill
from drillsim.metrics.summary import summarize, summary_dict
from drillsim.network.world import World, load_world
from drillsim.records.catalogue import EVENTS, check_all, markdown
from drillsim.records.result import RunResult
from drillsim.records.run_folder import read_run, write_run
from drillsim.scenarios.loader import scenario_hash

ROOT = Path(__file__).resolve().parents[2]
READY = sorted((ROOT / "scenarios").glob("*.yaml"))


@pytest.fixture(scope="module")
def ready() -> dict[str, RunResult]:
    """Every ready drill, run once at its own seed."""
    out = {}
    for path in READY:
        s = load_scenario(path)
        out[path.stem] = run_drill(s, world=load_world(s.network))
    return out


@pytest.mark.parametrize("name", [p.stem for p in READY])
def test_ready_drill_records_follow_the_catalogue(ready, name):
    assert check_all(ready[name].records) == []


@pytest.mark.parametrize("name", [p.stem for p in READY])
def test_ready_drill_sends_no_unit_to_a_controlled_incident(ready, name):
    """Control stands the response down (flood-and-fire sent XZ-R1 to F1 28 min after
    control): no dispatch and no arrival after an incident's control record."""
    control: dict[str, float] = {}
    late = []
    for r in ready[name].records:
        if r.event == "control":
            control.setdefault(r.incident, r.t)
        elif r.event in ("dispatch", "arrive") and r.incident in control:
            late.append((r.t, r.event, r.incident, r.unit))
    assert late == []


# ------------------------------------------------------------ kinds no ready drill writes

# everyone leaves at once at 0.3 m (no floor spread, no decision delay): the cases below
# time their events against that moment
POINT = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 2, "runoff_coeff": 1.0,
         "drain_m3_s": 0.05, "area_m2": 2000, "radius_m": 300, "residents": 200,
         "trapped_share": 0.0, "displace_spread_m": 0.0, "leave_delay": "0 s"}
RAIN = {"series": [{"at": "+00:00", "mm_h": 60}, {"at": "+01:00", "mm_h": 0}]}
PLANS = {"alarm": [{"engine": 1}], "flood_rescue": [{"engine|rescue_team": 1}],
         "hazmat": [{"engine": 1}]}


def _flood(*, capacity: int = 1000, point=POINT, rain=RAIN, depot_node="N0", **extra):
    """200 residents near P1 (N1) walk in groups of 50 to the one shelter S1 (N3)."""
    return make_scenario(
        duration="12:00", deterministic=True,
        flood={"rain": rain, "points": [point], "step": "5 min", "group_size": 50},
        forces__response_plans=PLANS,
        forces__shelters=[{"id": "S1", "location": {"node": "N3"}, "capacity": capacity,
                           "open_delay": "10 min"}],
        forces__depots=[{"id": "D1", "location": {"node": depot_node},
                         "stock": {"water_l": 300, "food_ration": 100, "bedding_set": 100},
                         "trucks": [{"id": "T1", "capacity_kg": 2000}]}],
        **extra)


def _unmet(world: World) -> RunResult:
    # both engines out of service: the call is never answered
    return run_drill(make_scenario(forces__out_of_service=["E1", "E2"], incidents=[{
        "id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"}}]), world)


def _unreachable(world: World) -> RunResult:
    # every road closed: no unit can get to the call (nearest_m is inf)
    return run_drill(make_scenario(
        injects=[{"kind": "road_closed", "at": "+00:00", "road": "Test Road"}],
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N2"}}]),
        world)


def _comms_delay(world: World) -> RunResult:
    return run_drill(make_scenario(
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:10", "location": {"node": "N1"}}],
        injects=[{"kind": "comms_delay", "at": "+00:05", "delay": "2 min",
                  "lasting": "30 min"}]), world)


def _responder_exposed(world: World) -> RunResult:
    # a stable night-like plume; the wind turns onto the staging point (N0), chosen at the
    # immediate call, before the crew, slowed by 20 minutes of call processing, gets there
    plans = dict(BASE["forces"]["response_plans"], hazmat=[{"engine": 1}])
    return run_drill(make_scenario(
        forces__response_plans=plans, dispatch={"processing": "20 min"},
        chemical={"id": "CL1", "chemical": "chlorine", "site": {"node": "N1"}, "at": "+00:01",
                  "release": {"rate_kg_min": 500, "quantity_kg": 20000},
                  "detection_delay": "0 s",
                  "weather": [{"wind_speed_m_s": 1.5, "wind_from_deg": 270,
                               "stability": "F"}]},
        injects=[{"kind": "wind_shift", "at": "+00:02", "wind_from_deg": 90}]), world)


def _shelter_full(world: World) -> RunResult:
    # 200 people in groups of 50 for 120 places: the third group finds 20 places
    return run_drill(_flood(capacity=120), world)


def _stranded(world: World) -> RunResult:
    # a cloudburst floods every way out of N1 beyond walking depth within the first step
    point = dict(POINT, drain_m3_s=0.5, area_m2=500, radius_m=2000)
    rain = {"series": [{"at": "+00:00", "mm_h": 400}, {"at": "+00:10", "mm_h": 0}]}
    return run_drill(_flood(point=point, rain=rain), world)


def _truck_without_route(world: World) -> RunResult:
    # the relief truck leaves while the water cuts the shelter off: eta_s is inf
    # (everyone leaves at once at 0.3 m, before the water closes the way to people on foot;
    # the depot stands in the water at N1, whose two arcs it floods, the shelter S1 at N3
    # outside it)
    point = dict(POINT, drain_m3_s=0.0, area_m2=500, radius_m=450)
    rain = {"series": [{"at": "+00:00", "mm_h": 120}, {"at": "+03:00", "mm_h": 0}]}
    return run_drill(_flood(point=point, rain=rain, depot_node="N1"), world)


def _shelter_flooded(world: World) -> RunResult:
    # the shelter S1 (N3) stands in P1's water (2 km radius): closed from 0.3 m until the
    # water falls below it again
    return run_drill(_flood(point=dict(POINT, radius_m=2000)), world)


def _shelter_blocked(world: World) -> RunResult:
    # the groups leave at 40 min; a release next to the shelter at 45 min closes it to
    # them before they arrive
    return run_drill(_flood(chemical={
        "id": "CL1", "chemical": "chlorine", "site": {"node": "N3"}, "at": "+00:45",
        "release": {"rate_kg_min": 5, "quantity_kg": 100},
        "weather": [{"wind_speed_m_s": 3, "wind_from_deg": 0}]}), world)


# name: (world fixture, drill, kinds it must write)
CASES: dict[str, tuple[str, Callable[[World], RunResult], frozenset[str]]] = {
    "unmet": ("line_world", _unmet, frozenset({"unmet", "queued"})),
    "unreachable": ("line_world", _unreachable, frozenset({"unreachable", "unmet"})),
    "comms_delay": ("line_world", _comms_delay, frozenset({"comms_delay"})),
    "responder_exposed": ("line_world", _responder_exposed, frozenset({"responder_exposed"})),
    "shelter_full": ("ring_world", _shelter_full,
                     frozenset({"shelter_full", "unsheltered", "shelter_admit"})),
    "stranded": ("ring_world", _stranded, frozenset({"stranded", "shelter_admit"})),
    "truck_without_route": ("ring_world", _truck_without_route, frozenset({"truck_depart"})),
    "shelter_flooded": ("ring_world", _shelter_flooded,
                        frozenset({"shelter_closed", "shelter_reopened", "shelter_admit"})),
    "shelter_blocked": ("ring_world", _shelter_blocked,
                        frozenset({"shelter_blocked", "unsheltered"})),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_inline_drill_writes_its_kinds_by_the_catalogue(case, request):
    fixture, drill, kinds = CASES[case]
    result = drill(request.getfixturevalue(fixture))
    written = {r.event for r in result.records}
    assert kinds <= written, f"{case}: {sorted(kinds - written)} not written"
    assert check_all(result.records) == []


def test_truck_with_no_route_records_an_infinite_eta(ring_world):
    departs = [r for r in _truck_without_route(ring_world).records if r.event == "truck_depart"]
    assert departs and all(math.isinf(r.get("eta_s")) for r in departs)
    assert all(math.isfinite(r.get("dry_eta_s")) for r in departs)


PLAYED = frozenset({"decision", "move_up", "area_order"})
"""Kinds only a player's decision writes (``drillsim play``): tests/unit/test_play_decisions.py
checks that each is written, and what it says."""


def test_every_catalogued_kind_is_written_by_a_ready_or_an_inline_drill(ready):
    written = {r.event for res in ready.values() for r in res.records}
    for _, _, kinds in CASES.values():  # each is checked written by the test above
        written |= kinds
    written |= PLAYED
    assert sorted(set(EVENTS) - written) == []


# ------------------------------------------------------------------ the contract itself

def test_records_md_is_generated_from_the_catalogue():
    text = (ROOT / "docs" / "records.md").read_text(encoding="utf-8")
    assert text.rstrip("\n") == markdown().rstrip("\n"), (
        "docs/records.md is stale: run `python -m drillsim.records.catalogue > docs/records.md`")


def test_log_refuses_an_uncatalogued_kind(line_world):
    drill = Drill(make_scenario(), line_world, 1)
    with pytest.raises(KeyError, match="not in the catalogue"):
        drill.log("fire_out", "A1")
    drill.log("end")
    assert [r.event for r in drill.records] == ["end"]


@pytest.mark.parametrize("name", ["rainstorm-50y-night", "chlorine-night"])
def test_run_folder_reads_back_the_same_records(ready, tmp_path, name):
    result = ready[name]
    path = ROOT / "scenarios" / f"{name}.yaml"
    summary = summarize(result)
    write_run(result, tmp_path, summary=summary, summary_json=summary_dict(result, summary),
              scenario_file=str(path), scenario_hash=scenario_hash(path), wall_time_s=0.0)
    back = read_run(tmp_path)
    assert back.seed == result.seed
    assert back.units == result.units and back.incidents == result.incidents
    assert len(back.records) == len(result.records)
    for a, b in zip(back.records, result.records, strict=True):
        # times are written to the millisecond; everything else exactly, types included
        assert a.t == pytest.approx(b.t, abs=5e-4)
        assert a[1:6] == b[1:6]
        assert dict(a.data) == dict(b.data)
        assert {k: type(v) for k, v in a.data.items()} == {k: type(v) for k, v in b.data.items()}
    assert check_all(back.records) == []
