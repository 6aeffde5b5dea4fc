"""What the user trial of the rainstorm drills (rainstorm-50y-night) found wrong in play,
each with the test that would have caught it.

One LiveDrill of the night rainstorm per test (~1 s to the times used); the drill file is
opened once per module.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from drillsim.api import open_drill
from drillsim.play.decisions import DecisionRefused, parse_decision
from drillsim.play.live import LiveDrill

RAIN = Path(__file__).resolve().parents[2] / "scenarios" / "rainstorm-50y-night.yaml"
BLUE_STAR_READY = 4862.0  # s: Blue Star assembles (seed 20260721)
SQUAD = "blue_star-volunteer_squad-1"


@pytest.fixture(scope="module")
def opened():
    return open_drill(RAIN)


def live(opened, at: float) -> LiveDrill:
    drill = LiveDrill(opened.scenario, opened.world)
    drill.advance(at)
    return drill


def test_flood_control_commands_every_team_unit_and_no_fire_engine(opened):
    drill = live(opened, BLUE_STAR_READY + 60)
    teams = {t.id for t in opened.scenario.forces.teams}
    seat = {u["id"] for u in drill.options("flood_control")["units"]}
    assert seat == {u.id for u in drill.drill.units.values() if u.station in teams}
    assert SQUAD in seat and "XZ-E1" not in seat
    blue = {u["id"] for u in drill.options("blue_star")["units"]}
    assert blue == {u.id for u in drill.drill.units.values() if u.station == "blue_star"}
    assert "send_unit" in drill.options("flood_control")["kinds"]


def test_flood_control_holds_a_team_unit_and_the_dispatcher_passes_it_over(opened):
    drill = live(opened, BLUE_STAR_READY + 60)
    drill.decide(parse_decision({"kind": "hold_unit", "role": "flood_control", "unit": SQUAD}))
    assert drill.drill.units[SQUAD].status == "held"
    drill.advance(7000.0)
    assert not [r for r in drill.drill.records if r.event == "dispatch" and r.unit == SQUAD]


def test_flood_control_sends_a_team_unit_to_a_rescue_call(opened):
    drill = live(opened, 5480.0)  # FR-nancang_road-1 called at 5474 s
    drill.decide(parse_decision({"kind": "send_unit", "role": "flood_control", "unit": SQUAD,
                                 "incident": "FR-nancang_road-1"}))
    sent = [r for r in drill.drill.records if r.event == "dispatch" and r.unit == SQUAD]
    assert [(r.t, r.incident) for r in sent] == [(5480.0, "FR-nancang_road-1")]


@pytest.mark.parametrize(("request_", "says"), [
    ({"kind": "hold_unit", "role": "flood_control", "unit": "XZ-E1"},
     "XZ-E1 is not commanded by this seat"),
    ({"kind": "hold_unit", "role": "blue_star", "unit": "health-medical_team-1"},
     "not commanded by this seat"),
    ({"kind": "move_up", "role": "flood_control", "unit": SQUAD, "station": "xizhan_station"},
     "cannot take the decision “Move a unit up"),
])
def test_team_seats_are_refused_beyond_their_units(opened, request_, says):
    drill = live(opened, BLUE_STAR_READY + 60)
    records = list(drill.drill.records)
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(parse_decision(request_))
    assert says in str(exc.value)
    assert drill.drill.records == records


@pytest.mark.parametrize(("request_", "says"), [
    ({"road": "西青路"}, "no road '西青路' on this district's map; did you mean"),
    ({"road": "Xiqing Rd"}, "did you mean 'Xiqing Road'"),
    ({"road": "Zzzz"}, "no road 'Zzzz' on this district's map"),
    ({"road": "Zzzz", "near": "tianping_underpass"}, "no road 'Zzzz'"),
    ({"road": "Xiqing Road", "near": "moon_base"}, "no place 'moon_base'"),
])
def test_close_road_names_what_is_unknown(opened, request_, says):
    drill = live(opened, 0.0)
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(parse_decision({"kind": "close_road", "role": "flood_control",
                                     **request_}))
    assert says in str(exc.value)
    assert "within" not in str(exc.value)
    assert drill.decisions == []


def test_an_unknown_road_is_refused_in_chinese_with_the_close_names():
    refused = DecisionRefused("refused_no_road_did_you_mean", road="西青路",
                              names={"en": "'西青道'", "zh": "“西青道”"})
    assert refused.text("zh") == "本区地图上没有道路“西青路”，是否指“西青道”？"


def test_a_unit_sent_while_the_call_is_processed_is_not_doubled_by_the_dispatcher(opened):
    """FR-nancang_road-1 is called at 5474 s and dispatched (DZ-R1) at 5521 s by default;
    a rescue truck a player sends at 5480 s takes its place, not comes on top of it."""
    drill = live(opened, 5480.0)
    drill.decide(parse_decision({"kind": "send_unit", "role": "command_centre",
                                 "unit": "XZ-R1", "incident": "FR-nancang_road-1"}))
    drill.advance(6000.0)
    sent = [(r.t, r.unit) for r in drill.drill.records
            if r.event == "dispatch" and r.incident == "FR-nancang_road-1"]
    assert sent == [(5480.0, "XZ-R1")]


def test_mutual_aid_for_a_flood_rescue_call_sends_what_the_call_needs(opened):
    """The form sends no unit type: mutual aid for a flood rescue call is a rescue unit
    (what its plan asks for), not a fire engine that fills none of its needs."""
    drill = live(opened, 5480.0)
    n = len(drill.drill.records)
    drill.decide(parse_decision({"kind": "call_mutual_aid", "role": "command_centre",
                                 "incident": "FR-nancang_road-1"}))
    request = [r for r in drill.drill.records[n:] if r.event == "mutual_aid_request"]
    assert request[0].data["needs"] == {"rescue": 1}
    assert [u.type for u in drill.drill.dispatcher.mutual_aid] == ["rescue"]
    drill.advance(6000.0)  # it fills the call's first need: the dispatcher sends none
    assert [r.unit for r in drill.drill.records
            if r.event == "dispatch" and r.incident == "FR-nancang_road-1"] == ["MA-1"]


def test_closing_a_closed_road_or_reopening_an_open_one_is_refused(opened):
    """The trial closed 天平路 twice: the second was taken and logged as a decision that did
    nothing (and the debrief counted it)."""
    drill = live(opened, 1800.0)
    drill.decide(parse_decision({"kind": "close_road", "role": "flood_control",
                                 "road": "天平路"}))
    for kind, road, says in (("close_road", "天平路", "Tianping Road is already closed"),
                             ("close_road", "Tianping Road", "already closed"),
                             ("reopen_road", "新红路", "Xinhong Road is not closed")):
        with pytest.raises(DecisionRefused, match=says):
            drill.decide(parse_decision({"kind": kind, "role": "flood_control", "road": road}))
    assert len(drill.decisions) == 1
    drill.decide(parse_decision({"kind": "reopen_road", "role": "flood_control",
                                 "road": "天平路"}))


def test_open_shelters_is_not_offered_once_the_policy_ordered_them(opened):
    """At I2 (01:30) the flood's activation (01:15) has already ordered the shelters open:
    the relief desk's page offered *Open the shelters*, and the model refused it."""
    from drillsim.play.state import decision_forms

    drill = live(opened, 1000.0)
    assert "open_shelters" in {f["kind"] for f in decision_forms(drill, "relief_desk")}
    drill.advance(3601.0)
    assert drill.drill.shelters.ordered
    assert {f["kind"] for f in decision_forms(drill, "relief_desk")} == {"send_truck"}


def test_decision_rows_and_call_choices_name_things_not_ids(opened):
    """The trial's pages showed ``xianyang_beilu_reserve`` (no shelter), ``city_management``
    and ``FR-nancang_road-1`` on the Chinese page."""
    from drillsim.metrics.decisions import DecisionRow
    from drillsim.play.decisions import target_of
    from drillsim.play.state import _decision_row, decision_forms

    drill = live(opened, 5480.0)

    def row(d: dict) -> dict:  # as the records give it: a truck's shelter is the place
        known = DecisionRow(seq=1, t=0.0, role=d["role"], kind=d["kind"],
                            target=target_of(parse_decision(d)), inject="",
                            incident=d.get("incident", ""), unit=d.get("unit", ""),
                            place=d.get("shelter", ""))
        return _decision_row(drill, {"seq": 1, "t": 0.0, "decision": d}, {1: known})

    rows = [row(d) for d in (
        {"kind": "send_truck", "role": "relief_desk", "depot": "xianyang_beilu_reserve",
         "shelter": "xigu_park"},
        {"kind": "mobilise_team", "role": "flood_control", "team": "city_management"},
        {"kind": "close_road", "role": "flood_control", "road": "天平路"},
        {"kind": "send_unit", "role": "command_centre", "unit": "XZ-R1",
         "incident": "FR-nancang_road-1"})]
    assert [r["about"]["zh"] for r in rows] == [
        "从咸阳北路街道应急物资储备点派出运输车前往西沽公园", "调集区城市管理委兼职应急队伍",
        "封闭天平路", "派XZ-R1前往南仓道积水点求救1"]
    assert rows[0]["about"]["en"] == \
        "sent a truck from Xianyang Beilu Subdistrict Reserve Point to Xigu Park"
    assert rows[2]["about"]["en"] == "closed Tianping Road"
    assert rows[3]["about"]["en"] == "sent XZ-R1 to Nancang Road ponding, rescue call 1"
    assert rows[3]["target"] == "XZ-R1"  # the record's target, as before
    send = next(f for f in decision_forms(drill, "command_centre") if f["kind"] == "send_unit")
    calls = next(fl["choices"] for fl in send["fields"] if fl["name"] == "incident")
    assert calls == [{"value": "FR-nancang_road-1",
                      "label": {"en": "Nancang Road ponding, rescue call 1",
                                "zh": "南仓道积水点求救1"}}]


def test_the_debrief_names_the_shelter_and_a_second_answer_is_not_not_asked(opened):
    """The trial's debrief said ``sent a truck from 咸阳北路…`` (no shelter), and called the
    relief desk's second decision for I2 (delivered to it) "not asked of this role"."""
    from drillsim.metrics.decisions import debrief
    from drillsim.report.build import make_context
    from drillsim.report.debrief import decision_text

    drill = live(opened, 3601.0)
    for depot, shelter in (("xianyang_beilu_reserve", "xigu_park"),
                           ("district_relief_depot", "xizhan_south_square")):
        drill.decide(parse_decision({"kind": "send_truck", "role": "relief_desk",
                                     "depot": depot, "shelter": shelter, "inject": "I2"}))
    result = drill.finish()
    rows = debrief(result).decisions
    assert [(r.verdict, r.place) for r in rows] == [("on_time", "xigu_park"),
                                                    ("further", "xizhan_south_square")]
    zh = make_context(result, lang="zh", world=opened.world)
    en = make_context(result, lang="en", world=opened.world)
    assert decision_text(zh, rows[0]) == "从咸阳北路街道应急物资储备点派出运输车前往西沽公园"
    assert decision_text(en, rows[1]) == \
        "sent a truck from District Relief-Material Depot to West Station South Square"
    assert zh.say("debrief.further").startswith("对该注入的后续决策")


def test_close_road_form_offers_the_underpass_not_only_the_whole_road(opened):
    """I1's expected action is to close the underpass; the form offered only whole roads,
    so the trial closed all of 天平路 (its arcs across the district)."""
    from drillsim.play.state import decision_forms

    drill = live(opened, 1801.0)
    form = next(f for f in decision_forms(drill, "flood_control") if f["kind"] == "close_road")
    near = next(fl["choices"] for fl in form["fields"] if fl["name"] == "near")
    assert near[0] == {"value": "", "key": "whole_road"}
    assert {"value": '"tianping_underpass"',
            "label": {"en": "Tianping bridge underpass", "zh": "天平桥下地道"}} in near
    n = len(drill.drill.records)
    drill.decide(parse_decision({"kind": "close_road", "role": "flood_control",
                                 "road": "天平路", "near": "tianping_underpass"}))
    closed = [r for r in drill.drill.records[n:] if r.event == "road_closed"]
    whole = len(opened.world.network.edges_named("天平路"))
    assert 0 < closed[0].data["edges"] < whole


def test_next_inject_with_none_left_does_not_play_the_drill_to_its_end(tmp_path):
    """rainstorm-50y-afternoon has no inject: *Next inject* played all 14 h in one click
    (every decision the players could still take, lost)."""
    from starlette.testclient import TestClient

    from drillsim.play.exercise import Exercise
    from drillsim.play.server import create_app

    ex = Exercise.create(tmp_path / "ex", RAIN.with_name("rainstorm-50y-afternoon.yaml"))
    with TestClient(create_app(ex, report=False, embed_font=False)) as client:
        r = client.post(f"/api/{ex.codes['facilitator']}/clock",
                        json={"action": "next_inject"})
    assert r.status_code == 400 and "no inject or scripted incident is left" in r.json()["error"]
    assert ex.live.now == 0.0 and not ex.live.finished


def test_the_calls_table_and_map_label_hazard_calls_by_name_in_call_order(opened):
    """The zh pages showed ``FR-xiyuzhuang_ponding-3`` on the map and in the calls table,
    sorted as text (…-10 before …-3)."""
    from drillsim.play.state import _incidents

    drill = live(opened, 7000.0)
    rows = _incidents(drill)
    calls = [r.incident for r in drill.drill.records if r.event == "call"]
    assert [r["id"] for r in rows] == [c for c in calls if c in {r["id"] for r in rows}]
    first = next(r for r in rows if r["id"] == "FR-xiyuzhuang_ponding-1")
    assert first["label"] == {"en": "Xiyuzhuang ponding area, rescue call 1",
                              "zh": "西于庄积水片区求救1"}
    assert all("FR-" not in r["label"]["zh"] for r in rows)


def test_a_log_decision_refused_on_replay_is_one_line_not_an_internal_error(tmp_path):
    """The trial's log (two closures of 天平路, the second now refused) crashed the resume
    with "internal error ... a bug"."""
    import json

    from drillsim.errors import DrillsimError
    from drillsim.play.exercise import LOG_FILE, Exercise

    ex = Exercise.create(tmp_path / "ex", RAIN)
    ex.advance(1801.0)
    ex.decide({"kind": "close_road", "role": "flood_control", "road": "天平路"})
    log = tmp_path / "ex" / LOG_FILE
    entry = json.loads(log.read_text().splitlines()[0])
    with log.open("a") as f:  # the same closure again, as an older version logged it
        f.write(json.dumps({**entry, "seq": 2}) + "\n")
    with pytest.raises(DrillsimError) as exc:
        Exercise.open(tmp_path / "ex")
    assert str(exc.value) == (f"{log}:2: decision: refused on replay: Tianping Road is "
                              f"already closed there (by decision 1)")
