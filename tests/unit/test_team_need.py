"""A team is needed from the first call that waited for its unit types (a ``queued``
record asking for them), never from a later alarm of the plan that nobody called."""

from __future__ import annotations

import math

from conftest import make_scenario

from drillsim.engine import run_drill
from drillsim.metrics.teams import first_need


def _fire(detection: str):
    return make_scenario(
        forces__response_plans={"dwelling": [{"engine": 1}, {"engine|rescue": 1}]},
        incidents=[{"id": "F1", "occupancy": "dwelling", "at": "+00:01",
                    "location": {"node": "N1"}, "detection_delay": detection}])


def test_a_second_alarm_never_called_needs_no_rescue_unit(line_world):
    result = run_drill(_fire("30 s"), line_world)
    assert not [r for r in result.records if r.event == "escalate"]
    t, call = first_need(result, {"rescue"})
    assert math.isnan(t) and call == ""


def test_a_second_alarm_called_needs_it_from_the_first_wait(line_world):
    result = run_drill(_fire("25 min"), line_world)  # one engine cannot hold it: 2nd alarm
    esc = next(r for r in result.records if r.event == "escalate")
    assert esc.data["alarm"] == 2
    waits = [r for r in result.records if r.event == "queued"
             and any("rescue" in str(k).split("|") for k in r.get("needs", {}))]
    t, call = first_need(result, {"rescue"})
    if waits:
        assert (t, call) == (waits[0].t, waits[0].incident) and t >= esc.t
    else:
        assert math.isnan(t) and call == ""
