"""The engine on a hand-checkable line network: exact event logs."""

from __future__ import annotations

from conftest import make_scenario

from drillsim.engine import run_drill


def log(result, *, skip=("end",)):
    return [(round(r.t, 3), r.event, r.incident, r.unit) for r in result.records
            if r.event not in skip]


def test_single_call_exact_log(line_world):
    s = make_scenario(incidents=[{
        "id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N2"},
        "work_time": "10 min"}])
    result = run_drill(s, line_world)
    tt = line_world.travel
    go = tt.time(0, 2, "fire_engine")
    back = tt.time(2, 0, "truck")
    t_arr = 60 + 30 + 60 + go
    assert log(result) == [
        (60.0, "call", "A1", ""),
        (90.0, "dispatch", "A1", "E1"),
        (150.0, "enroute", "A1", "E1"),
        (round(t_arr, 3), "arrive", "A1", "E1"),
        (round(t_arr, 3), "full_assignment", "A1", ""),
        (round(t_arr + 600, 3), "control", "A1", ""),
        (round(t_arr + 600, 3), "clear", "A1", ""),
        (round(t_arr + 600, 3), "release", "A1", "E1"),
        (round(t_arr + 600 + back, 3), "quarters", "", "E1"),
    ]


def test_second_call_takes_second_engine_then_queues(line_world):
    incidents = [
        {"id": f"A{i}", "kind": "alarm", "at": f"+00:0{i}", "location": {"node": "N3"},
         "work_time": "30 min"} for i in (1, 2, 3)]
    result = run_drill(make_scenario(incidents=incidents), line_world)
    dispatched = [(r.incident, r.unit) for r in result.records if r.event == "dispatch"]
    assert dispatched[:2] == [("A1", "E1"), ("A2", "E2")]
    queued = [r.incident for r in result.records if r.event == "queued"]
    assert queued == ["A3"]
    # A3 is served by the first engine to come free, sent on from the scene of A1.
    assert dispatched[2] == ("A3", "E1")
    # ... which is no turnout from quarters: the first two are, the third is not
    enroute = [(r.incident, r.data["from_quarters"]) for r in result.records
               if r.event == "enroute"]
    assert enroute == [("A1", True), ("A2", True), ("A3", False)]
    release = next(r.t for r in result.records if r.event == "release" and r.unit == "E1")
    assert next(r.t for r in result.records if r.event == "enroute" and r.incident == "A3") \
        == release


def test_out_of_service_unit_is_never_sent(line_world):
    s = make_scenario(forces__out_of_service=["E1"], incidents=[{
        "id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"}}])
    result = run_drill(s, line_world)
    assert [r.unit for r in result.records if r.event == "dispatch"] == ["E2"]


def test_unanswered_call_is_reported_unmet(line_world):
    s = make_scenario(forces__out_of_service=["E1", "E2"], incidents=[{
        "id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"}}])
    result = run_drill(s, line_world)
    events = [r.event for r in result.records]
    assert "queued" in events and "unmet" in events


def test_call_no_unit_can_reach_waits_for_the_road_to_reopen(line_world):
    # Closing the road around N2 cuts N3 off (every road into it closed): the call is
    # recorded unreachable (not queued for mutual aid) and served when the road reopens.
    s = make_scenario(
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N3"},
                    "work_time": "1 min"}],
        injects=[
            {"kind": "road_closed", "at": "+00:00", "road": "Test Road",
             "near": {"node": "N2"}, "radius_m": 600},
            {"kind": "road_reopened", "at": "+00:30", "road": "Test Road",
             "near": {"node": "N2"}, "radius_m": 600},
        ])
    result = run_drill(s, line_world)
    assert [(r.t, r.event) for r in result.records
            if r.event in ("queued", "unreachable", "dispatch")] == [
        (90.0, "unreachable"), (1800.0, "dispatch")]
    # The drill restores the network for the next run.
    assert line_world.travel.time(0, 3, "fire_engine") < 1000


def test_unit_on_the_road_reroutes_around_a_closure(ring_world):
    # N0 (station) - N1 - N2 (incident) - N3 - N0 is a ring; the direct way is via N1.
    tt = ring_world.travel
    route = tt.route(0, 2, "fire_engine")
    assert route == [0, 1, 2]
    s = make_scenario(
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N2"},
                    "work_time": "1 min"}],
        injects=[{"kind": "road_closed", "at": "+00:03", "road": "North Road",
                  "near": {"node": "N2"}, "radius_m": 500}])
    result = run_drill(s, ring_world)
    events = [r.event for r in result.records]
    assert "reroute" in events
    arrive = next(r for r in result.records if r.event == "arrive")
    assert arrive.t > 150 + tt.time(0, 2, "fire_engine")


def test_same_seed_same_records(line_world):
    s = make_scenario(background={"calls_per_day": 200, "mix": {"alarm": 1, "dwelling": 1}})
    a = run_drill(s, line_world, seed=5).records
    b = run_drill(s, line_world, seed=5).records
    c = run_drill(s, line_world, seed=6).records
    assert a == b
    assert a != c


def test_comms_delay_holds_each_dispatch_order(line_world):
    inc = {"id": "A1", "kind": "alarm", "at": "+00:10", "location": {"node": "N1"}}
    base = run_drill(make_scenario(incidents=[inc]), line_world)
    late = run_drill(make_scenario(incidents=[inc], injects=[
        {"kind": "comms_delay", "at": "+00:05", "delay": "2 min", "lasting": "30 min"}]),
        line_world)

    def dispatch_t(res):
        return next(r.t for r in res.records if r.event == "dispatch")

    assert dispatch_t(late) - dispatch_t(base) == 120.0
    assert [r.data for r in late.records if r.event == "comms_delay"] == [
        {"delay_s": 120.0}, {"delay_s": 0.0}]


def test_unit_taken_out_while_committed_leaves_service_after_release(line_world):
    s = make_scenario(
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"},
                    "work_time": "20 min"},
                   {"id": "A2", "kind": "alarm", "at": "+00:40", "location": {"node": "N1"}}],
        injects=[{"kind": "unit_out_of_service", "at": "+00:05", "unit": "E1"}])
    result = run_drill(s, line_world)
    e1 = [(r.event, r.incident) for r in result.records if r.unit == "E1"]
    assert e1[:4] == [("dispatch", "A1"), ("enroute", "A1"), ("arrive", "A1"),
                      ("release", "A1")]
    assert ("out_of_service", "") in e1
    assert [r.unit for r in result.records if r.event == "dispatch" and r.incident == "A2"] == [
        "E2"]


def test_call_surge_raises_the_background_rate(line_world):
    bg = {"calls_per_day": 48, "hourly_profile": [1] * 24, "mix": {"alarm": 1}}
    calm = run_drill(make_scenario(background=bg, duration="24:00"), line_world, seed=3)
    busy = run_drill(make_scenario(background=bg, duration="24:00", injects=[
        {"kind": "call_surge", "at": "+00:00", "factor": 4}]), line_world, seed=3)

    def calls(res):
        return sum(r.event == "call" for r in res.records)

    # 48 and 192 expected calls: Poisson, so ±4 standard deviations is a safe band.
    assert abs(calls(calm) - 48) < 4 * 48**0.5
    assert abs(calls(busy) - 192) < 4 * 192**0.5


def test_queue_serves_a_call_behind_calls_waiting_for_another_unit_type(line_world):
    """A queued call whose unit type has come free is served even when a call waiting
    for a type that is still busy is ahead of it (the queue is skipped, not stopped)."""
    station = {"id": "S1", "location": {"node": "N0"}, "personnel": 20,
               "on_duty_fraction": 1.0, "turnout": {"day": "60 s", "night": "90 s"},
               "apparatus": [{"id": "E1", "type": "engine", "crew": 5},
                             {"id": "L1", "type": "ladder", "crew": 4}]}
    plans = {"alarm": [{"engine": 1}], "rescue": [{"ladder": 1}]}
    incidents = [
        {"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N3"},
         "work_time": "10 min"},
        {"id": "R1", "kind": "rescue", "at": "+00:01", "location": {"node": "N3"},
         "work_time": "60 min"},
        {"id": "R2", "kind": "rescue", "at": "+00:03", "location": {"node": "N3"},
         "work_time": "10 min"},
        {"id": "A2", "kind": "alarm", "at": "+00:04", "location": {"node": "N3"},
         "work_time": "10 min"}]
    result = run_drill(make_scenario(incidents=incidents, forces__stations=[station],
                                     forces__response_plans=plans), line_world)
    queued = [r.incident for r in result.records if r.event == "queued"]
    assert queued == ["R2", "A2"]
    dispatched = [(r.incident, r.unit) for r in result.records if r.event == "dispatch"]
    assert dispatched == [("A1", "E1"), ("R1", "L1"), ("A2", "E1"), ("R2", "L1")]
    release = {(r.incident, r.unit): r.t for r in result.records if r.event == "release"}
    sent = {r.incident: r.t for r in result.records if r.event == "dispatch"}
    assert sent["A2"] == release[("A1", "E1")] < release[("R1", "L1")] == sent["R2"]


def test_incident_states_compare_by_identity():
    """Two incidents with the same fields are two incidents: the dispatcher's queue finds
    and removes the one it holds (dataclass field equality made ``in`` / ``remove`` cost
    one field comparison per queued call)."""
    from drillsim.agents.incident import IncidentState

    a = IncidentState(spec=None, node=1, t_start=0.0, background=True)
    b = IncidentState(spec=None, node=1, t_start=0.0, background=True)
    assert a != b and a == a
    queue = [a, b]
    queue.remove(b)
    assert queue[0] is a
