"""What the report's findings tell around an incident is computed by the metrics:
escalations, the comms delay and call surge in force, segment shares and closed roads."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from test_metrics import FIRE, RECORDS, result_of

from drillsim.metrics.response import (
    call_surge_span,
    comms_delay_at,
    escalation,
    incident_table,
    segment_shares,
)
from drillsim.records.record import Record as R

ROOT = Path(__file__).resolve().parents[2]


def test_escalation_counts_alarms_and_reads_the_first():
    recs = [*RECORDS[:7], R(300.0, "escalate", "F1", data={"q_kw": 2500.0, "alarm": 2}),
            R(450.0, "escalate", "F1", data={"q_kw": 4000.0, "alarm": 3}), *RECORDS[7:]]
    recs.sort(key=lambda r: r.t)
    result = result_of(recs, [FIRE])
    row = incident_table(result)[0]
    esc = escalation(result, row)
    assert (esc.count, esc.first_t, esc.first_q_kw) == (2, 300.0, 2500.0)
    plain = result_of(RECORDS, [FIRE])
    assert escalation(plain, incident_table(plain)[0]) is None


def test_levels_in_force_are_the_last_inject_before():
    recs = [R(0.0, "comms_delay", data={"delay_s": 90.0}),
            R(600.0, "call_surge", data={"factor": 3.0}),
            R(1200.0, "comms_delay", data={"delay_s": 0.0}), R(7200.0, "end")]
    result = result_of(recs, [])
    assert [comms_delay_at(result, t) for t in (0.0, 599.0, 1199.0, 1200.0)] == \
        [90.0, 90.0, 90.0, 0.0]
    assert [call_surge_span(result, t)[0] for t in (0.0, 600.0, 5000.0)] == [0.0, 3.0, 3.0]


def test_segment_shares_sum_and_name_the_largest():
    s = segment_shares([{"processing": 60.0, "travel": 120.0}, {"processing": 30.0,
                                                                 "queue": 200.0}])
    assert s.totals == {"processing": 90.0, "travel": 120.0, "queue": 200.0}
    assert s.largest == "queue" and s.whole == 410.0
    assert s.share == pytest.approx(200 / 410)
    empty = segment_shares([])
    assert empty.largest == "" and math.isnan(empty.share)


def test_closure_delays_count_units_routed_around_at_dispatch():
    """Xiqing Road (I1) is closed from the start of night-compound-fire: nobody re-routes,
    but XZ-E1's route to F1 is longer; with the road open (its travel on the dry network)
    it would have beaten NY-E2, the first unit on scene (issue 10, review 3)."""
    from drillsim.api import load_world, run_drill
    from drillsim.metrics.response import incident_table, unit_activity
    from drillsim.metrics.roads import closure_delays, home_node
    from drillsim.scenarios.loader import load_scenario

    s = load_scenario(ROOT / "scenarios" / "night-compound-fire.yaml")
    world = load_world(s.network)
    result = run_drill(s, world=world)
    activity = unit_activity(result)
    rows = incident_table(result, activity)
    assert not [r for r in result.records if r.event == "reroute"]  # the premise
    got = closure_delays(result, world, activity, rows)
    assert [(d.inject, d.unit, d.incident) for d in got] == [("I1", "XZ-E1", "F1")]
    d = got[0]
    a = next(x for x in activity["XZ-E1"] if x.incident == "F1")
    f1 = next(r for r in rows if r.incident == "F1")
    free = world.dry.time(home_node(result, world, "XZ-E1"), f1.node, "fire_engine")
    assert d.delay == pytest.approx(a.travel - free)
    assert d.arrival_open == pytest.approx(a.enroute + free)
    assert f1.first_unit == "NY-E2" and d.first_due
    assert d.arrival_open < f1.first_arrival


def test_call_surge_span_runs_from_its_inject_to_the_next():
    """A surge from 600 s ended by a factor-1 record at 3000 s: in force 600–3000 s; one
    never ended runs to the end (inf); before any, factor 0."""
    recs = [R(600.0, "call_surge", data={"factor": 6.0}),
            R(3000.0, "call_surge", data={"factor": 1.0}), R(7200.0, "end")]
    result = result_of(recs, [])
    assert call_surge_span(result, 1000.0) == (6.0, 600.0, 3000.0)
    assert call_surge_span(result, 4000.0) == (1.0, 3000.0, math.inf)
    assert call_surge_span(result, 100.0)[0] == 0.0
