"""What the rainstorm trial left (issue 16, play-fix2), each with the test that would have
caught it: the pump crew a player sends (A14), the relief desk's trucks and a shelter
opening (A16), the pages' words (B2, B3, B11, B12), the debrief's changes (B7) and the
decision points (B8).

The night rainstorm is opened once per module; each LiveDrill plays only to the times
used.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from drillsim.api import open_drill
from drillsim.play.decisions import DecisionRefused, parse_decision
from drillsim.play.live import LiveDrill

RAIN = Path(__file__).resolve().parents[2] / "scenarios" / "rainstorm-50y-night.yaml"
CREW = "city_management-pump_crew-1"
CREWS_READY = 14170.0  # s: the city-management team (pump crews) assembles (seed 20260721)


@pytest.fixture(scope="module")
def opened():
    return open_drill(RAIN)


@pytest.fixture(scope="module")
def no_rule(opened):
    """The night rainstorm with a pump threshold no point reaches: the rule sends no pump
    crew, so the crews are free when the team has assembled."""
    s = opened.scenario
    return s.model_copy(update={"flood": s.flood.model_copy(update={"pump_threshold_m": 10.0})})


def pump(unit: str, point: str, role: str = "flood_control") -> object:
    return parse_decision({"kind": "send_pump", "role": role, "unit": unit, "point": point})


def test_send_pump_sends_the_crew_through_the_flood_models_own_process(opened, no_rule):
    drill = LiveDrill(no_rule, opened.world)
    drill.advance(14400.0)
    point = drill.drill.flood.by_id["tianping_underpass"]
    assert point.depth_m > 1.0 and point.pumps == []  # deep, and the rule sent no one
    crew, eta = drill.drill.dispatcher.nearest(point.node, ("pump_crew",), walk_m=math.inf)
    assert crew.id == CREW
    n = len(drill.drill.records)
    record = drill.decide(pump(CREW, "tianping_underpass"))
    assert (record.event, record.unit, record.place, record.get("decision")) == (
        "decision", CREW, "tianping_underpass", "send_pump")
    dispatch = drill.drill.records[n + 1]
    assert (dispatch.event, dispatch.unit, dispatch.place, dispatch.get("task"),
            dispatch.get("eta_s")) == ("dispatch", CREW, "tianping_underpass", "pump",
                                       float(round(eta)))
    drill.advance(14400.0 + eta + no_rule.flood.pump_setup + 1.0)
    done = [r.event for r in drill.drill.records[n:] if r.unit == CREW and r.event != "reroute"]
    assert done == ["decision", "dispatch", "enroute", "arrive", "pump_start"]
    assert point.pumping_m3_s == pytest.approx(crew.pump_m3_s)


@pytest.mark.parametrize(("request_", "key", "says_zh"), [
    (("XZ-E1", "tianping_underpass", "command_centre"), "refused_no_pump",
     "XZ-E1未配备排涝泵，请派队伍的排涝泵车"),
    ((CREW, "tianping"), "refused_no_point",
     "本次演练没有积水点“tianping”（积水点：天平桥下地道、"),
    (("XZ-E1", "tianping_underpass"), "refused_not_commanded", "XZ-E1不归本席位"),
])
def test_send_pump_refusals_say_why_in_both_languages(opened, no_rule, request_, key,
                                                      says_zh):
    drill = LiveDrill(no_rule, opened.world)
    drill.advance(14400.0)
    records = list(drill.drill.records)
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(pump(*request_))
    assert exc.value.key == key
    assert exc.value.text("zh").startswith(says_zh)
    assert drill.drill.records == records


def test_a_crew_already_pumping_at_the_point_is_refused_as_such(opened, no_rule):
    drill = LiveDrill(no_rule, opened.world)
    drill.advance(14400.0)
    drill.decide(pump(CREW, "tianping_underpass"))
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(pump(CREW, "tianping_underpass"))
    assert exc.value.text("en") == f"{CREW} is already pumping at Tianping bridge underpass"
    with pytest.raises(DecisionRefused) as exc:  # elsewhere: it is simply not free
        drill.decide(pump(CREW, "nancang_road"))
    assert exc.value.key == "refused_not_free"


def test_send_pump_form_and_about_on_the_flood_control_and_command_centre_pages(opened,
                                                                                no_rule):
    from drillsim.play.state import decision_forms

    drill = LiveDrill(no_rule, opened.world)
    drill.advance(14400.0)
    for seat in ("flood_control", "command_centre"):
        form = next(f for f in decision_forms(drill, seat) if f["kind"] == "send_pump")
        fields = {f["name"]: f["choices"] for f in form["fields"]}
        assert [c["value"] for c in fields["unit"]] == [
            f"city_management-pump_crew-{k}" for k in range(1, 7)]
        depth = drill.drill.flood.by_id["tianping_underpass"].depth_m
        assert fields["point"][0] == {"value": "tianping_underpass", "label": {
            "en": f"Tianping bridge underpass ({depth:.2f} m)",
            "zh": f"天平桥下地道 ({depth:.2f} m)"}}
    fire = LiveDrill(open_drill(RAIN.with_name("night-compound-fire.yaml")).scenario,
                     opened.world)
    assert "send_pump" not in {f["kind"] for f in decision_forms(fire, "command_centre")}
    with pytest.raises(DecisionRefused) as exc:
        fire.decide(pump(CREW, "tianping_underpass", "command_centre"))
    assert exc.value.key == "refused_no_flood"


def test_the_debrief_words_a_pump_crew_sent(opened, no_rule):
    from drillsim.metrics.decisions import decision_rows
    from drillsim.play.state import about
    from drillsim.report.build import make_context
    from drillsim.report.debrief import decision_text

    drill = LiveDrill(no_rule, opened.world)
    drill.advance(14400.0)
    drill.decide(pump(CREW, "tianping_underpass"))
    row = decision_rows(drill.drill.records)[0]
    assert about(drill, row, "en") == f"sent pump crew {CREW} to Tianping bridge underpass"
    assert about(drill, row, "zh") == f"派排涝泵车{CREW}前往天平桥下地道"
    result = drill.finish()
    zh = make_context(result, lang="zh", world=opened.world)
    assert decision_text(zh, decision_rows(result)[0]) == \
        "派排涝泵车区城市管理委兼职应急队伍排涝组1前往天平桥下地道"  # the report names team units
