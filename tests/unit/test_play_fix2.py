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


def test_a_change_that_reads_as_none_is_no_change_and_never_the_largest():
    """The trial's debrief said "+0.0 min worse", "7.8 vs 7.8 min, −0.1 min better", and
    picked a −0.0 min headline change as "the largest" while every displaced person was
    relieved 16.7 min sooner."""
    from drillsim.metrics.decisions import decision_effect
    from drillsim.report.debrief import negligible, shown_verdict

    base = {"metrics": {"first_arrival_p50": 470.4, "first_arrival_p90": 1440.0,
                        "relief_t100": 26994.0, "relief_share_10h": 0.870}}
    now = {"metrics": {"first_arrival_p50": 465.6,  # 7.84 → 7.76 min: 7.8 vs 7.8
                       "first_arrival_p90": 1442.0,  # +2 s: "+0.0 min"
                       "relief_t100": 25992.0,  # −16.7 min
                       "relief_share_10h": 0.866}}  # 87 % vs 87 %, −0.4 pp: told
    by_name = {m.name: m for m in decision_effect(base, now).metrics}
    for lang in ("en", "zh"):
        assert [shown_verdict(by_name[n], lang) for n in (
            "first_arrival_p50", "first_arrival_p90", "relief_t100", "relief_share_10h")] \
            == ["same", "same", "better", "worse"]
    def largest(lang: str | None) -> str:
        return decision_effect(base, now, negligible=lang and (
            lambda m: negligible(m, lang))).largest.name

    assert largest(None) == "first_arrival_p50"  # 7.8 vs 7.8 min: the trial's pick
    assert largest("en") == largest("zh") == "relief_share_10h"  # the headline that moved
    del now["metrics"]["relief_share_10h"], base["metrics"]["relief_share_10h"]
    assert largest("en") == largest("zh") == "relief_t100"  # no headline moved: the others



@pytest.fixture(scope="module")
def night(tmp_path_factory):
    from drillsim.play.exercise import Exercise

    return Exercise.create(tmp_path_factory.mktemp("fix2") / "ex", RAIN)


def test_the_relief_desk_lists_the_depots_trucks_and_a_shelter_opening(night):
    """The trial's relief desk read "Your resources: none" though it sends the depots'
    trucks, and shelters ordered open (01:15) and setting up read "not open"."""
    from drillsim.play.decisions import word
    from drillsim.play.state import snapshot

    trucks = {"DRD-T1", "DRD-T2", "DRD-T3", "XYB-T1"}
    said = {"truck_load": "loading", "truck_depart": "on_road", "truck_arrive": "on_road",
            "relief_delivered": "on_road"}
    for t, shelters in ((1000.0, "not_open"), (5500.0, "opening"), (7200.0, "open")):
        night.advance(t)
        state = snapshot(night, "relief_desk")
        units = {u["id"]: u for u in state["units"]}
        assert set(units) == trucks
        last = {r.unit: r.event for r in night.live.drill.records
                if r.event.startswith(("truck_", "relief_delivered")) and r.unit in trucks}
        assert {u: units[u]["status"] for u in trucks} == {
            u: said.get(last.get(u, ""), "available") for u in trucks}
        assert {s["status"] for s in state["shelters"]} == {shelters}
        assert units["DRD-T1"]["owner"]["zh"] == "区救灾物资储备库"
    assert {s for u in snapshot(night, "relief_desk")["units"] for s in [u["status"]]} >= {
        "loading", "on_road"}
    assert word("opening") == {"en": "opening", "zh": "开放中"}
    assert word("status_loading") == {"en": "loading", "zh": "装车中"}
    assert word("status_on_road") == {"en": "on the road", "zh": "运送途中"}
    assert "units" not in {k for k, v in snapshot(night, "civil_air_defence").items()
                           if v}  # a seat that sends no truck lists none


def test_team_seats_say_their_units_come_when_assembled_and_no_policy_notice_after_the_end(
        tmp_path):
    from drillsim.play.decisions import word
    from drillsim.play.exercise import Exercise
    from drillsim.play.state import snapshot

    ex = Exercise.create(tmp_path / "ex", RAIN)
    flood = snapshot(ex, "flood_control")
    assert flood["units"] == [] and flood["units_empty"] == "units_after_assembly"
    assert word("units_after_assembly")["en"].startswith(
        "none yet: a team's units appear here when the team has assembled")
    assert word("units_after_assembly")["zh"].startswith("暂无：队伍集结完毕后")
    assert snapshot(ex, "relief_desk")["units_empty"] == "none_yet"
    assert flood["default_policy"] is True
    ex.live.advance(ex.live.duration)
    ex.live.finish()
    assert snapshot(ex, "flood_control")["default_policy"] is False


def test_next_decision_point_stops_before_the_policy_activates_then_after_it(tmp_path):
    """rainstorm-50y-afternoon: *Next decision point* went 13:30 → 14:51 in one step, past
    the rain's start and the 14:00 activation (teams called out, shelters ordered)."""
    from starlette.testclient import TestClient

    from drillsim.play.exercise import Exercise
    from drillsim.play.server import create_app

    ex = Exercise.create(tmp_path / "ex", RAIN.with_name("rainstorm-50y-afternoon.yaml"))
    url = f"/api/{ex.codes['facilitator']}/clock"
    with TestClient(create_app(ex, report=False, embed_font=False)) as client:
        assert client.post(url, json={"action": "next_decision_point"}).status_code == 200
        live = ex.live
        assert live.now == 1800.0  # 14:00, the activation not yet played
        assert not [r for r in live.drill.records if r.event == "team_activated"]
        assert not live.drill.shelters.ordered  # the players may still open them first
        ex.decide({"kind": "open_shelters", "role": "relief_desk"})
        assert client.post(url, json={"action": "next_decision_point"}).status_code == 200
        activated = [r.t for r in live.drill.records if r.event == "team_activated"]
        assert activated and activated[0] == 1800.0 and live.now == 1860.0  # one step on
        seq = [r.get("decision") for r in live.drill.records if r.event == "decision"]
        assert seq == ["open_shelters"]  # the players' order came before the policy's


def test_the_fork_tables_last_two_columns_are_headed_apart_in_both_languages():
    """The fork's last column read "Alternative is" (en) and "替代决策", as the column
    before it (zh)."""
    from drillsim.play.decisions import word

    assert word("fork_verdict") == {"en": "Alternative against the default",
                                    "zh": "替代决策相较默认策略"}
    assert word("fork_alt_col") == {"en": "Alternative", "zh": "替代决策"}


def test_a_policy_moment_at_an_injects_time_is_one_stop_after_the_inject(tmp_path):
    """rainstorm-50y-night: the rain starts at 01:00 with I1; the clock stops once there
    (I1 delivered), then just before the 01:15 activation."""
    from starlette.testclient import TestClient

    from drillsim.play.exercise import Exercise
    from drillsim.play.server import create_app

    ex = Exercise.create(tmp_path / "ex", RAIN)
    url = f"/api/{ex.codes['facilitator']}/clock"
    stops = []
    with TestClient(create_app(ex, report=False, embed_font=False)) as client:
        for _ in range(2):
            client.post(url, json={"action": "next_decision_point"})
            stops.append(ex.live.now)
    assert stops == [pytest.approx(1800.0, abs=1e-3), 2700.0]
    assert stops[0] > 1800.0  # I1 delivered
    assert not [r for r in ex.live.drill.records if r.event == "team_activated"]
