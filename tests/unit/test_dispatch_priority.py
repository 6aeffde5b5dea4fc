"""Waiting calls are served life risk first (``dispatch.priority: risk``), or in call
order (``call_order``)."""

from __future__ import annotations

import copy
from types import SimpleNamespace

import pytest
from conftest import BASE, make_scenario
from hypothesis import given, settings
from hypothesis import strategies as st

from drillsim.agents.dispatch import Dispatcher, risk_class
from drillsim.agents.incident import BackgroundCall, IncidentState
from drillsim.engine import run_drill
from drillsim.scenarios.schema import Location

# (id, kind, occupancy) in the order they began to wait
CALLS = [("A1", "alarm", None), ("W2", "fire", "warehouse"), ("D3", "fire", "dwelling"),
         ("A4", "alarm", None), ("R5", "rescue", None), ("O6", "fire", "outdoor"),
         ("H7", "hazmat", None), ("F8", "flood_rescue", None)]


def _queue(priority: str) -> Dispatcher:
    d = Dispatcher(SimpleNamespace(scenario=SimpleNamespace(
        dispatch=SimpleNamespace(priority=priority))))
    for k, (cid, kind, occ) in enumerate(CALLS):
        spec = BackgroundCall(id=cid, kind=kind, occupancy=occ, at=float(k),
                              location=Location(node="N0"))
        d.enqueue(IncidentState(spec, node=0, t_start=float(k), background=True))
    return d


def test_risk_serves_life_risk_then_other_fires_then_alarms_in_call_order_within():
    assert [i.id for i in _queue("risk").waiting()] == [
        "D3", "R5", "H7", "F8", "W2", "O6", "A1", "A4"]


def test_call_order_serves_first_come_first_served():
    assert [i.id for i in _queue("call_order").waiting()] == [c[0] for c in CALLS]


@settings(max_examples=200, deadline=None)
@given(priority=st.sampled_from(["risk", "call_order"]),
       ops=st.lists(st.tuples(st.booleans(), st.integers(0, len(CALLS) - 1)), max_size=40))
def test_queue_order_is_kept_as_calls_come_and_go(priority, ops):
    """Calls join (or rejoin, behind everyone: a unit turned back) and leave in any order:
    :meth:`Dispatcher.waiting` is always the queue order, stably sorted by risk class with
    ``risk`` (the order a sort on every release gives)."""
    d = _queue(priority)
    by_id = {inc.id: inc for inc in d.waiting()}
    calls = [by_id[cid] for cid, _, _ in CALLS]
    for inc in calls:
        d.dequeue(inc)
    line: list[IncidentState] = []  # the queue in the order the calls joined it
    for join, k in ops:
        inc = calls[k]
        if join and not d.is_queued(inc):
            d.enqueue(inc)
            line.append(inc)
        elif not join:
            d.dequeue(inc)
            line = [i for i in line if i is not inc]
        assert d.is_queued(inc) == (inc in line)
        expected = line if priority == "call_order" else sorted(
            line, key=lambda i: risk_class(i.spec.kind, i.spec.occupancy))
        assert [i.id for i in d.waiting()] == [i.id for i in expected]


@pytest.mark.parametrize(("kind", "occupancy", "cls"), [
    ("fire", "high_rise_residential", 0), ("fire", "elderly_care_home", 0),
    ("fire", "market", 0), ("fire", "factory", 1), ("fire", "hazardous_chemical_site", 1),
    ("rescue", None, 0), ("alarm", None, 2)])
def test_risk_class(kind, occupancy, cls):
    assert risk_class(kind, occupancy) == cls


def _busy_engine(priority: str | None):
    """One engine, busy 30 min on A0; meanwhile an alarm, an outdoor fire and a rescue
    call, in that order, and wait for it."""
    stations = copy.deepcopy(BASE["forces"]["stations"])
    stations[0]["apparatus"] = [{"id": "E1", "type": "engine", "crew": 5}]
    incidents = [{"id": "A0", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"},
                  "work_time": "30 min"},
                 {"id": "A1", "kind": "alarm", "at": "+00:05", "location": {"node": "N2"},
                  "work_time": "5 min"}]
    incidents += [{"id": "O2", "occupancy": "outdoor", "at": "+00:06",
                   "location": {"node": "N3"}, "detection_delay": "30 s"},
                  {"id": "R3", "kind": "rescue", "at": "+00:07", "location": {"node": "N3"},
                   "work_time": "5 min"}]
    dispatch = {"processing": "30 s"} | ({} if priority is None else {"priority": priority})
    return make_scenario(forces__stations=stations, incidents=incidents, dispatch=dispatch,
                         forces__response_plans={"alarm": [{"engine": 1}],
                                                 "outdoor": [{"engine": 1}],
                                                 "rescue": [{"engine": 1}]},
                         duration="04:00")


def _served(result) -> list[str]:
    return [r.incident for r in result.records if r.event == "dispatch" and r.unit == "E1"]


def test_the_freed_engine_goes_to_the_rescue_first_by_default(line_world):
    assert _served(run_drill(_busy_engine(None), line_world)) == ["A0", "R3", "O2", "A1"]


def test_call_order_keeps_first_come_first_served(line_world):
    assert _served(run_drill(_busy_engine("call_order"), line_world)) == ["A0", "A1", "O2", "R3"]


def test_the_first_mutual_aid_goes_to_the_most_urgent_waiting_call(line_world):
    """Both engines busy: an alarm waits, then a rescue; the alarm's request for help
    (5 min after it began to wait) brings the first outside unit to the rescue."""
    incidents = [{"id": f"A{k}", "kind": "alarm", "at": "+00:01", "location": {"node": "N1"},
                  "work_time": "2 h"} for k in (0, 9)]
    incidents += [{"id": "A1", "kind": "alarm", "at": "+00:05", "location": {"node": "N2"},
                   "work_time": "5 min"},
                  {"id": "R2", "kind": "rescue", "at": "+00:07", "location": {"node": "N3"},
                   "work_time": "5 min"}]
    aid = {"enabled": True, "request_after": "5 min", "arrival_delay": "20 min",
           "max_units": 4}
    firsts = {}
    for priority in ("risk", "call_order"):
        s = make_scenario(incidents=incidents, forces__mutual_aid=aid,
                          dispatch={"processing": "30 s", "priority": priority})
        result = run_drill(s, line_world)
        ma = [(r.t, r.incident) for r in result.records
              if r.event == "dispatch" and r.get("mutual_aid")]
        firsts[priority] = ma[0][1]
        assert sorted(i for _, i in ma) == ["A1", "R2"]  # both are helped
    assert firsts == {"risk": "R2", "call_order": "A1"}
