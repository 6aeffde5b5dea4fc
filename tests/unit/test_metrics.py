"""Metrics as pure functions of hand-written records."""

from __future__ import annotations

import math

import pytest
from conftest import make_scenario

from drillsim.metrics.evaluation import evaluate
from drillsim.metrics.response import (
    Span,
    component_fractiles,
    fractile,
    incident_table,
    response_metrics,
    response_segments,
    turnouts,
    unit_activity,
    unit_timeline,
    utilisation,
)
from drillsim.metrics.standards import FIVE_MINUTE, NFPA_TRAVEL, NFPA_TURNOUT, STANDARDS
from drillsim.records.record import Record as R
from drillsim.records.result import IncidentInfo, RunResult, UnitInfo
from drillsim.scenarios.schema import Objective


def result_of(records, incidents, units=None, **scenario):
    units = units or (UnitInfo("E1", "engine", "st", 5, True), UnitInfo("E2", "engine", "st", 5,
                                                                        True))
    return RunResult(make_scenario(**scenario), 1, tuple(records), tuple(units), tuple(incidents))


FIRE = IncidentInfo("F1", "fire", "dwelling", 3, False, 0.01172, 5000.0)
ALARM = IncidentInfo("A1", "alarm", "", 2, True, 0.0, 0.0)

def _sent(eta_s: float) -> dict:
    return {"task": "incident", "alarm": 1, "eta_s": eta_s, "mutual_aid": False}


RECORDS = [
    R(0.0, "ignition", "F1", node=3),
    R(100.0, "call", "F1", node=3),
    R(150.0, "dispatch", "F1", "E1", data=_sent(200.0)),
    R(150.0, "dispatch", "F1", "E2", data=_sent(300.0)),
    R(210.0, "enroute", "F1", "E1", data={"from_quarters": True}),
    R(240.0, "enroute", "F1", "E2", data={"from_quarters": True}),
    R(400.0, "arrive", "F1", "E1", node=3, data={"q_kw": 1875.0}),
    R(500.0, "call", "A1", node=2),
    R(530.0, "queued", "A1", node=2, data={"needs": {"engine": 1}}),
    R(560.0, "arrive", "F1", "E2", node=3, data={"q_kw": 3670.0}),
    R(560.0, "full_assignment", "F1", node=3, data={"q_kw": 3670.0}),
    R(980.0, "control", "F1", node=3, data={"q_kw": 3670.0}),
    R(2000.0, "clear", "F1", node=3),
    R(2000.0, "release", "F1", "E1", node=3),
    R(2000.0, "release", "F1", "E2", node=3),
    R(2000.0, "dispatch", "A1", "E1", data=_sent(100.0)),
    R(2000.0, "enroute", "A1", "E1", data={"from_quarters": False}),
    R(2100.0, "arrive", "A1", "E1", node=2),
    R(7200.0, "end"),
]


def test_incident_table_reads_each_component():
    rows = incident_table(result_of(RECORDS, [FIRE, ALARM]))
    f1, a1 = rows
    assert (f1.call, f1.first_dispatch, f1.first_arrival, f1.full_assignment) == (
        100.0, 150.0, 400.0, 560.0)
    assert f1.first_unit == "E1"
    assert f1.first_unit_turnout == 60.0       # 150 -> 210
    assert f1.first_unit_travel == 190.0       # 210 -> 400
    assert f1.first_engine_travel == 190.0
    assert f1.response == 300.0
    assert f1.dispatch_to_arrival == 250.0
    assert f1.q_first_arrival_kw == 1875.0
    assert f1.q_full_assignment_kw == 3670.0
    assert (f1.control, f1.clear, f1.units_sent, f1.queued) == (980.0, 2000.0, 2, False)
    # A1 was served from the road: no turnout, queued, response 1600 s.
    assert math.isnan(a1.first_unit_turnout)
    assert a1.queued and a1.response == 1600.0 and not a1.unmet


def test_compliance_shares_and_fractiles():
    m = response_metrics(result_of(RECORDS, [FIRE, ALARM]))
    # 5-minute rule counts from the turnout order: F1 250 s, A1 100 s (its queueing is
    # not part of the rule; first_arrival_p90 shows it).
    assert m["five_minute_share"] == 1.0
    # Turnouts from quarters: 60 s and 90 s; both within NFPA's 80 s? 60 yes, 90 no.
    assert m["nfpa_turnout_share"] == 0.5
    assert m["nfpa_travel_share"] == 1.0       # first engine 190 s <= 240 s
    assert m["first_arrival_p50"] == 300.0     # inverted CDF of {300, 1600}
    assert m["first_arrival_p90"] == 1600.0
    assert m["calls_queued"] == 1.0 and m["calls_unmet"] == 0.0


def test_turnouts_and_utilisation():
    res = result_of(RECORDS, [FIRE, ALARM])
    assert turnouts(res) == [60.0, 90.0]
    util = utilisation(res)
    # E1: 150-2000 and 2000-end(7200); E2: 150-2000.
    assert util["E1"] == pytest.approx((1850 + 5200) / 7200)
    assert util["E2"] == pytest.approx(1850 / 7200)


def test_unmet_call_counts_as_infinitely_late():
    recs = [R(10.0, "call", "A1", node=2), R(40.0, "queued", "A1"), R(7200.0, "unmet", "A1"),
            R(7200.0, "end")]
    m = response_metrics(result_of(recs, [ALARM]))
    assert m["calls_unmet"] == 1.0
    assert m["first_arrival_p90"] == math.inf


def test_fractile_is_the_empirical_inverse_cdf():
    values = list(range(1, 11))  # 1..10
    assert fractile(values, 90) == 9
    assert fractile(values, 50) == 5
    assert math.isnan(fractile([], 50))
    assert fractile([1.0, math.nan, 3.0], 50) == 1.0


@pytest.mark.parametrize(("value", "status"), [(299.9, "met"), (300.0, "met"), (300.1, "not_met"),
                                                (math.nan, "not_measured")])
def test_objective_rating_at_the_boundary(value, status):
    obj = Objective(id="O1", metric="first_arrival_p90", target="<= 5 min")
    (res,) = evaluate([obj], {"first_arrival_p90": value})
    assert res.status == status


@pytest.mark.parametrize(("value", "status"), [(0.9, "met"), (0.8999, "not_met")])
def test_share_targets_in_percent(value, status):
    obj = Objective(id="O2", metric="five_minute_share", target=">= 90 %")
    assert evaluate([obj], {"five_minute_share": value})[0].status == status


def test_every_catalogue_metric_is_computed():
    from drillsim.metrics.catalog import METRICS
    from drillsim.metrics.chemical import chemical_metrics
    from drillsim.metrics.relief import relief_metrics

    res = result_of(RECORDS, [FIRE, ALARM])
    computed = response_metrics(res) | relief_metrics(res) | chemical_metrics(res)
    assert set(computed) == set(METRICS)


def test_unit_activity_and_time_line():
    res = result_of(RECORDS, [FIRE, ALARM])
    e1 = unit_activity(res)["E1"]
    assert [(a.incident, a.dispatch, a.enroute, a.arrive) for a in e1] == [
        ("F1", 150.0, 210.0, 400.0), ("A1", 2000.0, 2000.0, 2100.0)]
    assert e1[0].release == 2000.0 and math.isnan(e1[1].release)
    assert e1[0].turnout == 60.0 and e1[0].travel == 190.0
    assert math.isnan(e1[1].turnout) and e1[1].travel == 100.0  # sent on from the road
    # Zero-length spans (the turnout of a unit sent from the road) are left out.
    assert unit_timeline(res)["E1"] == [
        Span(150.0, 210.0, "turnout", "F1"), Span(210.0, 400.0, "travel", "F1"),
        Span(400.0, 2000.0, "scene", "F1"), Span(2000.0, 2100.0, "travel", "A1"),
        Span(2100.0, 7200.0, "scene", "A1")]


def test_response_segments_add_up_to_the_response():
    res = result_of(RECORDS, [FIRE, ALARM])
    act = unit_activity(res)
    f1, a1 = incident_table(res, act)
    first = response_segments(res, f1, act, "first", from_ignition=True)
    assert first.unit == "E1"
    assert first.segments == {"detection": 100.0, "processing": 50.0, "queue": 0.0,
                              "turnout": 60.0, "travel": 190.0}
    assert sum(first.segments.values()) == f1.first_arrival - f1.ignition
    full = response_segments(res, f1, act, "full")
    assert full.unit == "E2" and sum(full.segments.values()) == f1.call_to_full_assignment
    # A1: processed in 30 s (queued), then waited 1470 s for E1, which came from the road.
    a = response_segments(res, a1, act)
    assert a.segments == {"processing": 30.0, "queue": 1470.0, "travel": 100.0}
    assert sum(a.segments.values()) == a1.response


def test_call_processing_ends_when_the_call_is_queued():
    comp = component_fractiles(incident_table(result_of(RECORDS, [FIRE, ALARM])))
    assert comp["processing"]["p90"] == 50.0   # F1 50 s, A1 30 s (not its 1500 s wait)
    assert comp["queue"]["p90"] == 1470.0


def test_standards_are_data_the_metrics_use():
    assert {s.key for s in STANDARDS} == {"five_minute", "nfpa_processing", "nfpa_turnout",
                                          "nfpa_travel"}
    assert (FIVE_MINUTE.threshold_s, NFPA_TURNOUT.threshold_s, NFPA_TRAVEL.threshold_s) == (
        300.0, 80.0, 240.0)
    assert NFPA_TRAVEL.applies("fire") and not NFPA_TRAVEL.applies("alarm")
    # the fire stations' emergency calls only (建标152-2017); flood rescues have their own measure
    assert FIVE_MINUTE.applies("rescue") and not FIVE_MINUTE.applies("flood_rescue")
    # A turnout of exactly 80 s meets NFPA 1710; 80.5 s does not.
    recs = [R(0.0, "dispatch", "F1", "E1", data=_sent(100.0)),
            R(80.0, "enroute", "F1", "E1", data={"from_quarters": True}),
            R(0.0, "dispatch", "F1", "E2", data=_sent(100.0)),
            R(80.5, "enroute", "F1", "E2", data={"from_quarters": True}), R(7200.0, "end")]
    m = response_metrics(result_of(recs, [FIRE]))
    assert m["turnouts_n"] == 2.0 and m["nfpa_turnout_share"] == 0.5
