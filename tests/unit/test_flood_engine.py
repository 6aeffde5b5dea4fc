"""The flood drill on a hand-checkable ring network: water, roads, people, relief, teams."""

from __future__ import annotations

import copy
import math

import pytest
from conftest import make_scenario

from drillsim.engine import Drill, run_drill
from drillsim.metrics.relief import bottleneck, relief_metrics

POINT = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 2, "runoff_coeff": 1.0,
         "drain_m3_s": 0.05, "area_m2": 2000, "radius_m": 300, "residents": 200,
         "trapped_share": 0.0}
RAIN = {"series": [{"at": "+00:00", "mm_h": 60}, {"at": "+01:00", "mm_h": 0}]}
PLANS = {"alarm": [{"engine": 1}], "flood_rescue": [{"engine|rescue_team": 1}]}


def flood_scenario(*, stock=None, trucks=1, rain=RAIN, point=POINT, teams=(), **extra):
    stock = stock or {"water_l": 300, "food_ration": 100, "bedding_set": 100}
    return make_scenario(
        duration="12:00",
        flood={"rain": rain, "points": [point], "step": "5 min", "group_size": 50},
        forces__response_plans=PLANS,
        forces__shelters=[{"id": "S1", "location": {"node": "N3"}, "capacity": 1000,
                           "open_delay": "10 min"}],
        forces__depots=[{"id": "D1", "location": {"node": "N0"}, "stock": stock,
                         "trucks": [{"id": f"T{k + 1}", "capacity_kg": 2000}
                                    for k in range(trucks)]}],
        forces__teams=list(teams), **extra)


def depth_rows(records, point="P1"):
    return [dict(r.data) | {"t": r.t} for r in records if r.event == "depth" and r.place == point]


def test_water_balances_at_every_step(ring_world):
    rows = depth_rows(run_drill(flood_scenario(), ring_world).records)
    volume = 0.0
    for row in rows:
        volume += float(row["in_m3"]) - float(row["out_m3"])
        # records are rounded to 1 mm³: the balance holds to that precision per step
        assert float(row["volume_m3"]) == pytest.approx(volume, abs=1e-3 * (len(rows) + 1))
    # 60 mm for one hour on 2 ha with runoff coefficient 1: exactly 1,200 m³ of inflow
    assert sum(float(r["in_m3"]) for r in rows) == pytest.approx(1200.0, abs=0.01)
    assert float(rows[-1]["volume_m3"]) == 0.0  # drained by the end


def test_more_rain_never_means_less_water(ring_world):
    def peak(mm_h):
        rain = {"series": [{"at": "+00:00", "mm_h": mm_h}, {"at": "+01:00", "mm_h": 0}]}
        rows = depth_rows(run_drill(flood_scenario(rain=rain), ring_world).records)
        return max(float(r["depth_m"]) for r in rows)

    peaks = [peak(x) for x in (10, 30, 60, 90)]
    assert peaks == sorted(peaks) and peaks[0] < peaks[-1]


def test_roads_close_by_vehicle_class_and_reopen(ring_world):
    records = run_drill(flood_scenario(), ring_world).records
    states = [r.data["factors"] for r in records if r.event == "road_state"]
    # cars stop at 0.3 m while trucks and fire engines still pass (0.6 m limit)
    assert any(s["car"] == 0 and s["truck"] > 0 for s in states)
    assert states[-1]["car"] == 1 and states[-1]["truck"] == 1
    # and the drill leaves the network as it found it
    assert ring_world.travel.time(0, 2, "car") == ring_world.dry.time(0, 2, "car")


def test_residents_move_to_the_shelter_and_are_relieved_first_come_first_served(ring_world):
    records = run_drill(flood_scenario(), ring_world).records
    events = [r.event for r in records]
    assert "displacement" in events and "shelter_admit" in events
    admitted = sum(r.data["people"] for r in records if r.event == "shelter_admit")
    assert admitted == 200
    # 300 L of water is three litres for 100 people: exactly 100 are relieved, in arrival order
    relieved = [dict(r.data) for r in records if r.event == "relieved"]
    assert sum(int(r["people"]) for r in relieved) == 100
    assert [r["group"] for r in relieved] == sorted(r["group"] for r in relieved)
    m = relief_metrics_of(records, ring_world)
    assert m["people_displaced"] == 200 and m["relief_share_10h"] == 0.5
    assert m["relief_t100"] == math.inf


def relief_metrics_of(records, world):
    from drillsim.records.result import RunResult

    return relief_metrics(RunResult(flood_scenario(), 1, tuple(records), (), ()))


def test_relief_stock_is_conserved(ring_world):
    stock = {"water_l": 450, "food_ration": 150, "bedding_set": 150}
    drill = Drill(flood_scenario(stock=stock), ring_world, seed=1)
    drill.run()
    ration = drill.scenario.relief.ration
    relieved = sum(r.data["people"] for r in drill.records if r.event == "relieved")
    shelter = drill.shelters.by_id["S1"]
    depot = drill.relief.depots["D1"]
    for item, start in stock.items():
        in_transit = shelter.in_transit.get(item, 0.0)
        at_shelter = shelter.stock.get(item, 0.0)
        used = relieved * ration[item]
        assert start == pytest.approx(depot.stock[item] + in_transit + at_shelter + used)


@pytest.mark.parametrize(("less", "more"), [
    ({"stock": {"water_l": 150, "food_ration": 50, "bedding_set": 50}},
     {"stock": {"water_l": 600, "food_ration": 200, "bedding_set": 200}}),
    ({"trucks": 1}, {"trucks": 3}),
])
def test_more_stock_or_trucks_never_means_later_relief(ring_world, less, more):
    def measure(kwargs):
        s = flood_scenario(**kwargs)
        # deterministic: fixed delays everywhere (no random draw decides the comparison)
        recs = run_drill(s, ring_world).records
        from drillsim.records.result import RunResult
        return relief_metrics(RunResult(s, 1, tuple(recs), (), ()))

    a, b = measure(less), measure(more)
    assert b["relief_share_10h"] >= a["relief_share_10h"]
    assert b["relief_t95"] <= a["relief_t95"]


def test_stock_shortage_is_named_as_the_bottleneck(ring_world):
    from drillsim.records.result import RunResult

    s = flood_scenario(stock={"water_l": 60, "food_ration": 20, "bedding_set": 20})
    recs = run_drill(s, ring_world).records
    assert bottleneck(RunResult(s, 1, tuple(recs), (), ()))["bottleneck"] == "stock"


def test_a_drill_without_relief_trucks_names_that_as_the_bottleneck(ring_world):
    """Trial 2 of issue 15: a package's forces.yaml without depots gave a flood drill no
    truck, yet the waiting for rations was charged to "loading and driving" (trucks at
    normal speed) and the bottleneck was roads. With no truck, every person-hour waited at
    a shelter is no_trucks; nobody is relieved."""
    from drillsim.records.result import RunResult

    with_trucks = flood_scenario()
    s = flood_scenario(trucks=0)  # its stock is short too (test above): no truck comes first
    recs = run_drill(s, ring_world).records
    assert not any(r.event == "relieved" for r in recs)
    b = bottleneck(RunResult(s, 1, tuple(recs), (), ()))
    assert b["bottleneck"] == "no_trucks"
    assert "transport" not in b["person_hours"] and "trucks" not in b["person_hours"]
    admitted = [r for r in recs if r.event == "shelter_admit"]
    end = recs[-1].t
    waited = sum(int(r.data["people"]) * (end - r.t) for r in admitted) / 3600.0
    assert b["person_hours"]["no_trucks"] == pytest.approx(waited, rel=1e-9)
    b_with = bottleneck(RunResult(with_trucks, 1, tuple(run_drill(with_trucks,
                                                                  ring_world).records), (), ()))
    assert "no_trucks" not in b_with["person_hours"]


TEAM = {"kind": "part_time", "base": {"node": "N0"},
        "units": [{"type": "rescue_team", "count": 10, "crew": 5}]}


def test_shared_members_serve_only_one_team(ring_world):
    teams = [
        dict(TEAM, id="A", members=20, shared_members={"B": 10},
             mobilisation={"dist": "fixed", "value": "10 min"}),
        dict(TEAM, id="B", members=20, mobilisation={"dist": "fixed", "value": "20 min"}),
    ]
    records = run_drill(flood_scenario(teams=teams), ring_world).records
    fielded = {r.place: r.data["units"] for r in records if r.event == "team_assembled"}
    # A assembles first and fields 4 units of 5 from its 20; B then has only its 10 own people
    assert fielded == {"A": 4, "B": 2}


def test_pump_station_failure_raises_the_water(ring_world):
    base = depth_rows(run_drill(flood_scenario(), ring_world).records)
    failed = depth_rows(run_drill(flood_scenario(injects=[
        {"kind": "pump_station_failed", "at": "+00:00", "point": "P1"}]), ring_world).records)
    assert max(float(r["depth_m"]) for r in failed) > max(float(r["depth_m"]) for r in base)


def test_warning_target_time_matches_the_channel_model(ring_world):
    from drillsim.hazards.warning import Channel, time_to_coverage

    channels = [{"name": "cell", "reach": 0.9, "delay": "10 min", "ramp": "10 min"},
                {"name": "door", "reach": 0.8, "delay": "20 min", "ramp": "2 h"}]
    s = flood_scenario(warning={"issued_at": "+00:30", "channels": channels})
    records = run_drill(s, ring_world).records
    issued = next(r.t for r in records if r.event == "warning_issued")
    reached = next(r.t for r in records if r.event == "warning_target")
    model = [Channel(c["name"], c["reach"], 600 if c["name"] == "cell" else 1200,
                     600 if c["name"] == "cell" else 7200) for c in channels]
    assert reached - issued == pytest.approx(time_to_coverage(model, 0.95), abs=1e-3)


def test_trapped_residents_call_for_rescue_and_reach_a_shelter(ring_world):
    point = copy.deepcopy(POINT) | {"trapped_share": 0.05, "people_per_call": 5}
    records = run_drill(flood_scenario(point=point), ring_world).records
    calls = [r for r in records if r.event == "call" and r.incident.startswith("FR-")]
    # 10 trapped people (5 % of 200) in the four groups of 50 that leave one after another
    # (cumulative rounding: 2, 3, 3, 2 people, each at most 5 per call): four calls, at
    # four different times as the water reaches each group's floor and their delay ends
    assert len(calls) == 4
    assert len({r.t for r in calls}) == 4
    assert sum(r.data["people"] for r in records if r.event == "rescued") == 10


@pytest.mark.parametrize(("policy", "first"), [("failed_first", "P2"), ("deepest_first", "P1")])
def test_pump_priority_is_the_drill_files_policy(ring_world, policy, first):
    # P1 floods deeper; P2's pump station fails at the start but it stays shallower. One pump
    # crew assembles after 30 min, when both are above the pump threshold.
    deep = POINT | {"residents": 0, "catchment_ha": 4}
    failed = POINT | {"id": "P2", "location": {"node": "N3"}, "residents": 0,
                      "catchment_ha": 1.5, "drain_m3_s": 0.02}
    team = dict(TEAM, id="pumps", members=4, mobilisation={"dist": "fixed", "value": "30 min"},
                units=[{"type": "pump_crew", "count": 1, "crew": 4, "vehicle": "truck",
                        "pump_m3_s": 0.2}])
    s = make_scenario(
        duration="06:00", deterministic=True,
        flood={"rain": RAIN, "points": [deep, failed], "step": "5 min",
               "pump_threshold_m": 0.05, "pump_priority": policy},
        forces__response_plans=PLANS, forces__teams=[team],
        forces__shelters=[{"id": "S1", "location": {"node": "N2"}, "capacity": 1000}],
        injects=[{"kind": "pump_station_failed", "at": "+00:00", "point": "P2"}])
    records = run_drill(s, ring_world).records
    sent = [r for r in records if r.event == "dispatch" and r.get("task") == "pump"]
    at = sent[0].t
    depth = {r.place: float(r.data["depth_m"]) for r in records
             if r.event == "depth" and r.t <= at}
    assert depth["P1"] > depth["P2"] > 0.05  # the deeper point is not the failed one
    assert sent[0].place == first


def test_rain_slows_motor_vehicles_on_open_roads_and_the_drill_restores_them(ring_world):
    from drillsim.hazards.pluvial_flood import rain_speed_factor

    seen = {}
    # a point too small to flood: only the rain changes the roads
    drill = Drill(flood_scenario(point=POINT | {"catchment_ha": 0.01}), ring_world, 1)

    def probe():
        yield drill.env.timeout(1800)  # mid-storm: 60 mm/h
        for v in ("car", "fire_engine", "foot"):
            seen[v] = ring_world.travel.time(0, 2, v)

    drill.env.process(probe())
    records = drill.run().records
    f = rain_speed_factor(60.0)
    assert f == pytest.approx(1 - 0.075)
    for v in ("car", "fire_engine"):
        assert seen[v] == pytest.approx(ring_world.dry.time(0, 2, v) / f, rel=1e-9)
    assert seen["foot"] == pytest.approx(ring_world.dry.time(0, 2, "foot"), rel=1e-9)
    rain = [r.data for r in records if r.event == "rain"]
    assert {r["speed_factor"] for r in rain if r["mm_h"] == 60} == {round(f, 4)}
    assert rain[-1]["speed_factor"] == 1.0
    assert ring_world.travel.time(0, 2, "car") == ring_world.dry.time(0, 2, "car")


@pytest.mark.parametrize("assembled", [False, True])
def test_a_team_assembled_in_advance_starts_where_it_waits(ring_world, assembled):
    # one rescue team, based at N3 (1.5 km from the flooded point at N1) with a 90-min
    # mobilisation; or already assembled at N1, where the water rises
    team = dict(TEAM, id="V", members=10, base={"node": "N3"},
                mobilisation={"dist": "fixed", "value": "90 min"},
                units=[{"type": "rescue_team", "count": 2, "crew": 5,
                        "vehicle": "high_clearance"}])
    if assembled:
        team["assembled_at"] = {"node": "N1"}
    point = copy.deepcopy(POINT) | {"trapped_share": 0.05, "people_per_call": 5}
    s = make_scenario(
        duration="08:00", deterministic=True,
        flood={"rain": RAIN, "points": [point], "step": "5 min", "group_size": 50},
        forces__response_plans={"flood_rescue": [{"rescue_team": 1}]},
        forces__teams=[team],
        forces__shelters=[{"id": "S1", "location": {"node": "N3"}, "capacity": 1000}])
    records = run_drill(s, ring_world).records
    ready = next(r for r in records if r.event == "team_assembled")
    n1, n3 = ring_world.network.node_ids.index("N1"), ring_world.network.node_ids.index("N3")
    assert ready.node == (n1 if assembled else n3)
    assert ready.t == (0.0 if assembled else 5400.0)  # activation: the rain's start
    assert ready.data["delay_s"] == (0.0 if assembled else 5400.0)
    assert {r.node for r in records if r.event == "mobilised"} == {ready.node}
    calls = {r.incident: r.t for r in records if r.event == "call" and r.incident.startswith("FR")}
    arrive = {}
    for r in records:
        if r.event == "arrive" and r.incident in calls:
            arrive.setdefault(r.incident, r.t)
    first = min(calls, key=calls.get)
    if assembled:  # the crew waits on the spot: call handling and turnout only
        assert arrive[first] - calls[first] < 5 * 60
    else:  # nobody can come before the team has assembled and driven 1.5 km
        assert arrive[first] >= 5400.0 + ring_world.dry.time(n3, n1, "high_clearance")


# The ready flood drills (run once per session, shared with the report tests) -------------

@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
@pytest.mark.parametrize("drill", ["rainstorm-50y-night", "rainstorm-50y-afternoon"])
def test_ready_drills_rescue_calls_spread_as_the_water_rises(reports, drill):
    # the issue saw all 16 calls at Xiyuzhuang in one second
    result = reports[drill, "en"][0].result
    by_point: dict[str, list[float]] = {}
    for r in result.records:
        if r.event == "call" and r.incident.startswith("FR-"):
            by_point.setdefault(r.place, []).append(r.t)
    assert by_point
    for times in by_point.values():
        assert len(times) >= 5
        assert max(times) - min(times) >= 30 * 60
        per_second = {}
        for t in times:
            per_second[int(t)] = per_second.get(int(t), 0) + 1
        assert max(per_second.values()) <= 2


def test_ready_night_drill_warns_more_slowly_than_the_afternoon_one(reports):
    night = reports["rainstorm-50y-night", "en"][0].summary.metrics
    day = reports["rainstorm-50y-afternoon", "en"][0].summary.metrics
    # same district channels; 13:30 by day: 47.7 min; 00:40 at night: people read it on
    # getting up after 06:00
    assert day["warning_t95"] / 60 == pytest.approx(47.7, abs=0.1)
    assert night["warning_t95"] > (6 * 3600 - 40 * 60)
    assert night["warning_share_1h"] < 0.6 < day["warning_share_1h"]


def test_ready_storm_slows_traffic_while_it_rains(reports):
    result = reports["rainstorm-50y-afternoon", "en"][0].result
    rain = [r.data for r in result.records if r.event == "rain"]
    wet = [r["speed_factor"] for r in rain if r["mm_h"] > 16]
    assert wet and set(wet) == {0.925}
    assert all(r["speed_factor"] == 1.0 for r in rain if r["mm_h"] == 0)
