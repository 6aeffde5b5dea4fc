"""The chemical-release drill on a hand-checkable line network."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import numpy as np
import pytest
from conftest import START, make_scenario

from drillsim.engine import Drill, run_drill
from drillsim.metrics.chemical import chemical_metrics
from drillsim.network.graph import RoadNetwork
from drillsim.network.places import Place, Places
from drillsim.network.world import World
from drillsim.records.result import RunResult

# Nine nodes west to east, 300 m apart; the source in the middle (N4).
LON0, DLON = 117.15, 300 / (111_195 * 0.7755)


@pytest.fixture
def town() -> World:
    g = nx.MultiDiGraph()
    for i in range(9):
        g.add_node(f"N{i}", y=39.15, x=LON0 + i * DLON)
    for i in range(8):
        for u, v in ((f"N{i}", f"N{i + 1}"), (f"N{i + 1}", f"N{i}")):
            g.add_edge(u, v, length=300.0, highway="primary", maxspeed=36, name="Main Street")
    district = Place("town", "subdistrict", "镇", "Town", 39.15, LON0 + 4 * DLON,
                     {"population": 20_000})
    return World(RoadNetwork.from_networkx(g), Places([district]))


def chlorine(wind_from=270.0, **changes):
    chem = {"chemical": "chlorine", "site": {"node": "N4"}, "at": "+00:05",
            "release": {"rate_kg_min": 30, "quantity_kg": 5000},
            "weather": [{"wind_speed_m_s": 2, "wind_from_deg": wind_from, "stability": "D"}],
            "protective_actions": {"aegl1": "evacuate", "decided_after": "5 min"}}
    chem.update(changes)
    plans = {"alarm": [{"engine": 1}], "hazmat": [{"hazmat": 1, "engine": 1}]}
    apparatus = [{"id": "E1", "type": "engine", "crew": 5},
                 {"id": "H1", "type": "hazmat", "crew": 4}]
    station = {"id": "st", "location": {"node": "N0"}, "personnel": 9, "on_duty_fraction": 1.0,
               "apparatus": apparatus, "turnout": {"day": "60 s", "night": "60 s"}}
    shelters = [{"id": "WEST", "location": {"node": "N0"}, "capacity": 50_000,
                 "open_delay": "0 s"},
                {"id": "EAST", "location": {"node": "N8"}, "capacity": 50_000,
                 "open_delay": "0 s"}]
    return make_scenario(duration="06:00", chemical=chem, forces__response_plans=plans,
                         forces__stations=[station], forces__shelters=shelters)


def test_hazmat_crew_dresses_walks_in_and_stops_the_leak(town):
    s = chlorine()
    records = run_drill(s, town).records
    crew = [(r.t, r.event) for r in records if r.unit == "H1" or r.event == "source_control"]
    events = [e for _, e in crew]
    assert events[:5] == ["dispatch", "enroute", "arrive", "ppe_on", "entry"]
    t = dict((e, t) for t, e in crew)
    assert t["ppe_on"] - t["arrive"] == 600.0     # 10 min to put on gas-tight suits
    assert "source_control" in events
    m = chemical_metrics(RunResult(s, 1, tuple(records), (), ()))
    assert m["source_control_time"] > m["hazmat_first_arrival"] > 0


def test_no_evacuee_is_sent_to_a_shelter_inside_a_zone(town):
    # Wind from the west: the plume runs east over EAST (N8, 1200 m downwind); evacuees go
    # WEST until the crew stops the leak and the slug's tail (2 m/s) has passed EAST.
    for wind_from, inside, safe in ((270.0, "EAST", "WEST"), (90.0, "WEST", "EAST")):
        records = run_drill(chlorine(wind_from=wind_from), town).records
        stop = next(r.t for r in records if r.event in ("source_control", "source_empty"))
        admits = [r for r in records if r.event == "shelter_admit"]
        assert {r.place for r in admits if r.t < stop} == {safe}
        assert all(r.t >= stop + 1200 / 2 for r in admits if r.place == inside)


def test_people_waiting_at_a_shelter_move_on_when_a_zone_reaches_it(town):
    """Issue 10 item 1: evacuees wait outside EAST (not open for 3 h) until the wind turns
    the plume over it; they count as exposed outdoors at that moment and leave for WEST,
    now clear, instead of waiting in the zone."""
    s = chlorine(wind_from=90.0, release={"rate_kg_min": 30, "quantity_kg": 20_000})
    raw = _raw(s)
    for shelter in raw["forces"]["shelters"]:
        shelter["open_delay"] = "3 h"
    raw["injects"] = [{"kind": "wind_shift", "at": "+01:20", "wind_from_deg": 270}]
    records = run_drill(make_scenario(**raw), town).records
    shift = next(r.t for r in records if r.event == "wind_shift")
    waits = [r for r in records
             if r.event == "shelter_wait" and r.place == "EAST" and r.t < shift]
    waiting = sum(r.data["people"] for r in waits)
    assert waiting > 0
    groups = {r.data["group"] for r in waits}
    blocked = [r for r in records if r.event == "shelter_blocked" and r.place == "EAST"
               and r.data["group"] in groups]
    assert {r.t for r in blocked} == {shift}
    assert sum(r.data["people"] for r in blocked) == waiting
    assert not any(r.event == "shelter_admit" and r.place == "EAST" for r in records)
    moved = {r.data["group"] for r in blocked}
    assert {r.data["group"] for r in records if r.event == "shelter_wait"
            and r.place == "WEST" and r.t >= shift} >= moved
    # the plume record at the shift counts them in the AEGL-1 zone, outdoors
    at_shift = [r for r in records if r.event == "plume" and r.t == shift]
    assert at_shift[-1 if len(at_shift) == 1 else 0].data["aegl1_people"] >= waiting


def _one_channel(reach: float, delay: str = "10 min", issued_at: str = "+00:00") -> dict:
    return {"issued_at": issued_at,
            "channels": [{"name": "sms", "reach": reach, "delay": delay, "ramp": "0 s"}]}


def test_evacuees_leave_only_once_the_order_reaches_them(town):
    """Issue 10 item 2: the order goes out on the warning channels from the later of the
    order and the warning decision; people leave REACTION_S after being reached; a channel
    reaching half the people moves half of them (the rest stay in the zone)."""
    from drillsim.agents.chemical_release import REACTION_S

    full = run_drill(make_scenario(**{**_raw(chlorine()), "warning": _one_channel(1.0)}),
                     town).records
    order = next(r for r in full if r.event == "protective_action")
    assert order.data["told_from"] == pytest.approx(order.t, abs=1e-3)
    assert order.data["channels"] == ["sms"]
    first = min(r.t for r in full if r.event == "displaced")
    step = 120.0
    assert order.t + 600 + REACTION_S <= first < order.t + 600 + REACTION_S + step
    half = run_drill(make_scenario(**{**_raw(chlorine()), "warning": _one_channel(0.5)}),
                     town).records
    n_full = sum(r.data["people"] for r in full if r.event == "displaced")
    n_half = sum(r.data["people"] for r in half if r.event == "displaced")
    assert n_half == pytest.approx(0.5 * n_full, abs=9)  # < 1 person per origin node
    # a warning decided an hour after the order: nobody moves before it reaches them
    late = run_drill(make_scenario(**{**_raw(chlorine()),
                                      "warning": _one_channel(1.0, issued_at="+01:00")}),
                     town).records
    order = next(r for r in late if r.event == "protective_action")
    assert order.data["told_from"] == 3600.0 > order.t
    assert min(r.t for r in late if r.event == "displaced") >= 3600.0 + 600 + REACTION_S


def test_without_a_warning_the_order_goes_out_on_the_default_channels(town):
    from drillsim.agents.chemical_release import REACTION_S
    from drillsim.hazards.warning import DEFAULT_CHANNELS

    records = run_drill(chlorine(), town).records
    order = next(r for r in records if r.event == "protective_action")
    assert order.data["channels"] == [c.name for c in DEFAULT_CHANNELS]
    first_reached = min(c.delay_s for c in DEFAULT_CHANNELS)
    assert min(r.t for r in records if r.event == "displaced") >= \
        order.t + first_reached + REACTION_S


@pytest.mark.parametrize("hour", [10, 2])
def test_door_to_door_covers_only_the_ordered_area(town, hour):
    """Issue 12 (chemical evacuation time): with the district's default channels the order
    goes door to door in the ordered area only, by the staff of the communities it
    touches: one community of four ordered out gets one community's grid workers for its
    own households (not the district's round of every household), and the share gone follows
    1 − (1 − broadcast coverage)(1 − reach × the round's ramp), the broadcast channels as
    they reach at the hour of the order (fewer at 02:00) and door to door as many by night
    as by day (a knock wakes people)."""

    from drillsim.agents.chemical_release import REACTION_S
    from drillsim.hazards import warning as w
    from drillsim.network.population import PopulationGrid

    district = Place("town", "subdistrict", "镇", "Town", 39.15, LON0 + 4 * DLON,
                     {"population": 20_000, "communities": 4})
    world = World(town.network, Places([district]))
    none = {"aegl1": "none", "aegl2": "none", "aegl3": "none", "downwind": "none",
            "decided_after": "5 min", "areas": [{"area": "town_01", "action": "evacuate"}]}
    s = chlorine(protective_actions=none, release={"rate_kg_min": 0.01, "quantity_kg": 5000},
                 isolation_m=0)
    s = s.model_copy(update={"start": START.replace(hour=hour)})
    records = run_drill(s, world).records
    order = next(r for r in records if r.event == "protective_action")
    (rnd,) = [r for r in records if r.event == "door_to_door"]
    grid = PopulationGrid(world.network, world.places)
    people = float(grid.people[grid.cells_of("town_01")].sum())
    households = people / w.PERSONS_PER_HOUSEHOLD
    assert 0.2 * 20_000 < people < 0.3 * 20_000  # a quarter of the town
    assert rnd.data["action"] == "evacuate"
    assert rnd.data["households"] == pytest.approx(households, abs=0.5)
    assert rnd.data["communities"] == 1
    assert rnd.data["staff"] == w.GRID_WORKERS_PER_COMMUNITY
    ramp = households / (w.GRID_WORKERS_PER_COMMUNITY * w.DOOR_VISITS_PER_WORKER_HOUR) * 3600
    assert rnd.data["ramp_s"] == pytest.approx(ramp, rel=1e-9)
    assert rnd.data["first_visit"] == pytest.approx(order.data["told_from"] + w.DOOR_DELAY_S,
                                                    abs=1e-3)
    # the share gone by each evacuee's departure is the closed form at that time (steps of
    # the 2-minute update; whole people per origin node)
    nodes = len({r.node for r in records if r.event == "displaced"})
    clock = s.clock_seconds(order.data["told_from"])
    broadcast = [p.at(clock) for p in w.DEFAULT_CHANNELS if p.name != w.DOOR_TO_DOOR]
    assert (broadcast[0].reach < w.DEFAULT_CHANNELS[0].reach) == (hour == 2)
    end = max(r.t for r in records if r.event == "displaced")  # the last update with leavers
    t = end - order.data["told_from"] - REACTION_S
    door = w.DOOR_REACH * min(max((t - w.DOOR_DELAY_S) / ramp, 0.0), 1.0)
    share = 1 - (1 - w.coverage(broadcast, t)) * (1 - door)
    gone = sum(int(r.data["people"]) for r in records if r.event == "displaced")
    assert gone == pytest.approx(share * people, abs=nodes + 1)


def test_a_drills_own_channels_are_not_resized(town):
    records = run_drill(make_scenario(**{**_raw(chlorine()), "warning": _one_channel(1.0)}),
                        town).records
    assert not [r for r in records if r.event == "door_to_door"]


def test_zones_nest_and_follow_the_wind(town):
    records = run_drill(chlorine(), town).records
    plumes = [r.data for r in records if r.event == "plume"]
    for p in plumes:
        assert int(p["aegl3_nodes"]) <= int(p["aegl2_nodes"]) <= int(p["aegl1_nodes"])
        assert float(p["aegl3_people"]) <= float(p["aegl2_people"]) <= float(p["aegl1_people"])
    assert max(int(p["aegl1_nodes"]) for p in plumes) > 0


def test_wind_shift_turns_the_plume(town):
    s = chlorine(wind_from=270.0)
    shifted = make_scenario(**{**_raw(s), "injects": [
        {"kind": "wind_shift", "at": "+00:30", "wind_from_deg": 90}]})
    records = run_drill(shifted, town).records
    winds = [r.data["wind_from_deg"] for r in records if r.event == "plume"]
    assert winds[0] == 270 and winds[-1] == 90
    assert any(r.event == "wind_shift" for r in records)


def _raw(s):
    data = s.model_dump(mode="json", exclude_none=True)
    data.pop("start")
    return {k: v for k, v in data.items() if k not in ("name",)}


def test_hot_zone_closes_roads_to_vehicles_and_the_drill_reopens_them(town):
    drill = Drill(chlorine(), town, seed=1)
    drill.run()
    closed = [r for r in drill.records if r.event == "plume" and int(r.data["hot_nodes"]) > 0]
    assert closed
    # restored after the run: a car can cross the town again
    assert town.travel.time(0, 8, "car") == town.dry.time(0, 8, "car")


def test_bad_chemical_inputs_are_clear(tmp_path):
    from drillsim.errors import ScenarioError
    from drillsim.scenarios.loader import load_scenario

    f = tmp_path / "bad.yaml"
    f.write_text("""name: x
start: 2026-07-01 10:00
duration: 2 h
chemical:
  chemical: phosgene
  site: jieyuan_water_works
  at: "+00:05"
  release: {rate_kg_min: -3, quantity_kg: 1000}
  weather: [{wind_speed_m_s: 2, wind_from_deg: 400}]
""", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f, check_world=False)
    lines = info.value.lines()
    assert any(":5: chemical.chemical: unknown chemical 'phosgene'" in line for line in lines)
    assert any(":8: chemical.release.rate_kg_min:" in line for line in lines)
    assert any(":9: chemical.weather[0].wind_from_deg:" in line for line in lines)


def test_erg_downwind_area_is_evacuated_when_ordered(town):
    # A tiny leak: no AEGL zone reaches a cell, but the ERG square downwind is evacuated.
    small = {"rate_kg_min": 0.01, "quantity_kg": 5000}
    quiet = run_drill(chlorine(release=small, protective_actions={
        "aegl1": "none", "aegl2": "none", "aegl3": "none", "downwind": "none",
        "decided_after": "5 min"}, isolation_m=0), town).records
    assert not any(r.event == "displaced" for r in quiet)
    moved = run_drill(chlorine(release=small, protective_actions={
        "aegl1": "none", "aegl2": "none", "aegl3": "none", "downwind": "evacuate",
        "downwind_m": 1000, "decided_after": "5 min"}, isolation_m=0), town).records
    origins = {r.node for r in moved if r.event == "displaced"}
    # only from the source eastwards (downwind); cells just east of N4 snap to N4 itself
    assert origins and min(origins) >= 4 and max(origins) > 4


def test_flood_and_release_in_one_drill_start_the_relief_clock_once(tmp_path):
    """Two hazards that displace people share one relief clock: the first to strike starts it."""
    import yaml

    from drillsim.api import load_scenario, run_drill

    root = Path(__file__).resolve().parents[2] / "scenarios"
    drill = yaml.safe_load((root / "chlorine-day-wind-shift.yaml").read_text(encoding="utf-8"))
    flood = yaml.safe_load((root / "rainstorm-50y-afternoon.yaml").read_text(encoding="utf-8"))
    drill["flood"] = flood["flood"]
    path = tmp_path / "both.yaml"
    path.write_text(yaml.safe_dump(drill, allow_unicode=True), encoding="utf-8")
    scenario = load_scenario(path)
    records = run_drill(scenario).records
    onsets = [r for r in records if r.event == "onset"]
    first = min(scenario.flood.rain.start, scenario.chemical.at)
    assert [r.t for r in onsets] == [first]


def test_plume_evaluated_once_per_point_set_and_weather(town, monkeypatch):
    """The plume is a steady state: one evaluation per point set (road nodes, population
    cells outdoors, cells indoors, shelters, points along the roads the hot zone can reach)
    per weather state, not one per AEGL level and update."""
    import drillsim.agents.chemical_release as agent

    calls = []
    real = agent.rules.zone_masks_by_level

    def counting(spec, lat, lon, **kw):
        calls.append((lat.size, kw["wind_from_deg"], kw["u_m_s"], kw["cls"]))
        return real(spec, lat, lon, **kw)

    monkeypatch.setattr(agent.rules, "zone_masks_by_level", counting)
    s = chlorine(wind_from=270.0)
    shifted = make_scenario(**{**_raw(s), "injects": [
        {"kind": "wind_shift", "at": "+00:30", "wind_from_deg": 90}]})
    records = run_drill(shifted, town).records
    updates = sum(r.event == "plume" for r in records)
    weathers = {(r.data["wind_from_deg"], r.data["u_m_s"], r.data["stability"])
                for r in records if r.event == "plume"}
    assert updates > 2 * len(weathers)  # several updates per weather state
    assert len(weathers) == 2
    assert len(calls) == 5 * len(weathers)  # nodes, cells out, cells in, shelters, roads


def test_hazmat_call_after_the_detection_delay_and_the_order_after_the_call(town):
    """Issue 12 item 7: the call reaches the command centre ``detection_delay`` after the
    release starts; ``decided_after`` counts from the call."""
    s = chlorine(detection_delay="3 min",
                 protective_actions={"aegl1": "evacuate", "decided_after": "5 min"})
    records = run_drill(s, town).records
    start = next(r.t for r in records if r.event == "release_start")
    call = next(r for r in records if r.event == "call" and r.incident == "HZ-CHEM1")
    order = next(r.t for r in records if r.event == "protective_action")
    assert call.t - start == 180.0
    assert order - call.t == 300.0
    dispatched = min(r.t for r in records if r.event == "dispatch" and r.incident == call.incident)
    assert dispatched >= call.t


def _people_before_order(records) -> list[dict[int, float]]:
    order = next(r.t for r in records if r.event == "protective_action")
    return [{lvl: float(r.data[f"aegl{lvl}_people"]) for lvl in (1, 2, 3)}
            for r in records if r.event == "plume" and r.t < order]


def test_exposure_before_the_order_counts_the_indoor_share(town):
    """Issue 12 item 4, against the closed form Σ people·((1−s)·[C ≥ T] + s·[f·C ≥ T]): with
    indoors perfectly safe (f = 0) the count before the order is (1 − s) × everyone in the
    zone; with f = 1 indoors is no protection and the share does not matter."""
    late = {"aegl1": "evacuate", "decided_after": "3 h"}
    outdoors = _people_before_order(run_drill(chlorine(
        protective_actions=late, indoor_share=0.0, indoor_factor=0.0), town).records)
    safe = _people_before_order(run_drill(chlorine(
        protective_actions=late, indoor_share=0.75, indoor_factor=0.0), town).records)
    leaky = _people_before_order(run_drill(chlorine(
        protective_actions=late, indoor_share=0.75, indoor_factor=1.0), town).records)
    assert len(outdoors) == len(safe) == len(leaky) > 3
    assert max(p[2] for p in outdoors) > 0
    for out, s_, lk in zip(outdoors, safe, leaky, strict=True):
        for lvl in (1, 2, 3):
            assert s_[lvl] == pytest.approx(0.25 * out[lvl], abs=1.0)  # records round to 1
            assert lk[lvl] == pytest.approx(out[lvl], abs=1.0)


def test_exposed_people_closed_form():
    from drillsim.hazards.chemical_zones import exposed_people

    people = np.array([100.0, 200.0, 300.0, 400.0])
    outdoor = np.array([True, True, True, False])
    indoor = np.array([True, False, False, False])   # indoor C = f·outdoor C: a subset
    sheltered = np.array([False, False, True, False])
    s = 0.9
    expected = 100 * 1.0 + 200 * (1 - s) + 300 * 0.0 + 0.0
    assert exposed_people(people, outdoor, indoor, sheltered, s) == pytest.approx(expected)


def test_indoor_share_by_hour_follows_the_cited_survey():
    from drillsim.hazards.chemical_zones import INDOOR_SHARE_BY_HOUR, indoor_share

    assert len(INDOOR_SHARE_BY_HOUR) == 24
    # Klepeis et al. 2001: 86.9 % of the day indoors (vehicles, 5.5 %, counted as outdoors
    # here); the table's daily mean within 2 points of it; nearly everyone indoors at night
    assert np.mean(INDOOR_SHARE_BY_HOUR) == pytest.approx(0.869, abs=0.02)
    assert min(INDOOR_SHARE_BY_HOUR[0:6]) >= 0.95
    assert max(INDOOR_SHARE_BY_HOUR[9:17]) < min(INDOOR_SHARE_BY_HOUR[0:6])
    spec = chlorine().chemical
    assert indoor_share(spec, 3 * 3600 + 59) == INDOOR_SHARE_BY_HOUR[3]
    assert indoor_share(chlorine(indoor_share=0.5).chemical, 3 * 3600) == 0.5


def test_protective_actions_by_subdistrict_and_community(town):
    """Issue 12 item 6: a named area is ordered whatever the zones say (one channel that
    reaches everyone, so that the whole area acts on the order)."""
    from drillsim.agents.chemical_release import REACTION_S

    def run(actions, **chem):
        s = chlorine(protective_actions=actions, **chem)
        return run_drill(make_scenario(**{**_raw(s), "warning": _one_channel(1.0)}),
                         town).records

    none = {"aegl1": "none", "aegl2": "none", "aegl3": "none", "downwind": "none",
            "decided_after": "5 min"}
    tiny = {"rate_kg_min": 0.01, "quantity_kg": 5000}
    evac = run({**none, "areas": [{"area": "town", "action": "evacuate"}]},
               release=tiny, isolation_m=0)
    moved = sum(int(r.data["people"]) for r in evac if r.event == "displaced")
    assert moved == pytest.approx(20_000, abs=len({r.node for r in evac if r.event == "displaced"}))
    by_community = run({**none, "areas": [{"area": "town_01", "action": "evacuate"}]},
                       release=tiny, isolation_m=0)
    assert sum(int(r.data["people"]) for r in by_community if r.event == "displaced") == moved
    # shelter in place with indoors perfectly safe: nobody counts as exposed once the order
    # has reached them (10 min channel delay + the reaction time), and until then all do
    late = run({**none, "areas": [{"area": "town", "action": "shelter_in_place"}]},
               indoor_factor=0.0, indoor_share=0.0)
    order = next(r.t for r in late if r.event == "protective_action")
    acted = order + 600 + REACTION_S
    after = [float(r.data["aegl2_people"]) for r in late if r.event == "plume" and r.t >= acted]
    before = [float(r.data["aegl2_people"]) for r in late if r.event == "plume" and r.t < acted]
    assert max(before) > 0 and max(after) == 0


def test_unknown_area_is_one_line_with_did_you_mean(tmp_path):
    from drillsim.errors import ScenarioError
    from drillsim.scenarios.loader import load_scenario

    f = tmp_path / "areas.yaml"
    f.write_text("""name: x
start: 2026-07-01 10:00
duration: 2 h
chemical:
  chemical: chlorine
  site: jieyuan_water_works
  at: "+00:05"
  release: {rate_kg_min: 15, quantity_kg: 1000}
  weather: [{wind_speed_m_s: 2, wind_from_deg: 135}]
  protective_actions:
    areas:
      - {area: jieyaun, action: shelter_in_place}
      - {area: jieyuan_09, action: evacuate}
""", encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(f)
    lines = info.value.lines()
    assert any(":12: chemical.protective_actions.areas[0].area: unknown subdistrict or "
               "community 'jieyaun'; did you mean 'jieyuan'?" in line for line in lines), lines
    assert any(":13: chemical.protective_actions.areas[1].area:" in line
               and "did you mean 'jieyuan_08'?" in line for line in lines), lines


def test_crews_at_the_staging_point_are_caught_when_the_wind_turns_the_zone_over_them(town):
    """Issue 10 item 5: ``responders_exposed`` counts crews at the staging point when the
    AEGL-2 zone moves over it, not only on arrival. Wind from the west: staging is upwind
    (west of the source); the wind turns to the east at +00:30 and the zone runs west over
    the staging point, with the engine still there (the hazmat crew has gone in in gear)."""
    base = chlorine(wind_from=270.0, release={"rate_kg_min": 30, "quantity_kg": 20_000},
                    source_control="3 h")
    steady = run_drill(base, town).records
    assert not any(r.event == "responder_exposed" for r in steady)
    shifted = make_scenario(**{**_raw(base), "injects": [
        {"kind": "wind_shift", "at": "+00:30", "wind_from_deg": 90}]})
    records = run_drill(shifted, town).records
    shift = next(r.t for r in records if r.event == "wind_shift")
    caught = [r for r in records if r.event == "responder_exposed"]
    arrived = {r.unit for r in records if r.event == "arrive" and r.t <= shift
               and r.incident == "HZ-CHEM1"}
    entered = {r.unit for r in records if r.event == "ppe_on" and r.t <= shift}
    assert arrived - entered
    assert {r.unit for r in caught if r.t == shift} == arrived - entered
    assert len({r.unit for r in caught}) == len(caught)  # each unit once
    m = chemical_metrics(RunResult(shifted, 1, tuple(records), (), ()))
    assert m["responders_exposed"] == sum(int(r.data["crew"]) for r in caught) > 0
