"""Every decision a player can take in a played exercise: what the records say after it,
what is refused (and that a refusal changes nothing), and that stepping and replay give
the records of one run.

Drills: night-compound-fire (a fire; shelters, depots and teams with no hazard that calls
them) and rainstorm-50y-night (flood, shelters, relief); chlorine-night for the
protective actions (the only decision that needs a release). Each drill file is opened
once per module; a LiveDrill of the fire drill plays in ~0.1 s.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from drillsim.api import open_drill
from drillsim.engine import Drill
from drillsim.play.decisions import DecisionRefused, parse_decision
from drillsim.play.exercise import Exercise
from drillsim.play.live import LiveDrill
from drillsim.records.catalogue import check_all

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
FIRE, RAIN, CHLORINE = "night-compound-fire", "rainstorm-50y-night", "chlorine-night"
F1_DISPATCH = 702.1  # s: the default dispatch to F1 (NY-E2, XZ-E1, NY-R1)


@pytest.fixture(scope="module")
def opened():
    return {name: open_drill(SCENARIOS / f"{name}.yaml") for name in (FIRE, RAIN, CHLORINE)}


@pytest.fixture(scope="module")
def default_fire(opened):
    return LiveDrill(opened[FIRE].scenario, opened[FIRE].world).finish().records


def live(opened, name: str, at: float = 0.0) -> LiveDrill:
    drill = LiveDrill(opened[name].scenario, opened[name].world)
    drill.advance(at)
    return drill


def decide(drill: LiveDrill, **request) -> list:
    """Take the decision; return the records from its ``decision`` record on."""
    n = len(drill.drill.records)
    rec = drill.decide(parse_decision(request))
    assert rec.event == "decision" and rec.t == drill.now
    assert rec.data["decision"] == request["kind"] and rec.data["role"] == request["role"]
    return drill.drill.records[n:]


def after(drill: LiveDrill, n: int, event: str, **match) -> list:
    """Records of ``event`` from index ``n`` on whose columns or fields match ``match``."""
    def value(r, k):
        return getattr(r, k) if k in r._fields else r.data.get(k)
    return [r for r in drill.drill.records[n:]
            if r.event == event and all(value(r, k) == v for k, v in match.items())]


# ---------------------------------------------------------------- every kind: the records


def test_send_unit_dispatches_that_unit_now_with_the_alarm(opened):
    drill = live(opened, FIRE, 710.0)
    new = decide(drill, kind="send_unit", role="command_centre", unit="DZ-E1", incident="F1")
    sent = [r for r in new if r.event == "dispatch"]
    assert len(sent) == 1
    assert (sent[0].t, sent[0].incident, sent[0].unit) == (710.0, "F1", "DZ-E1")
    assert sent[0].data["alarm"] == 1 and sent[0].data["mutual_aid"] is False
    drill.finish()
    assert after(drill, 0, "arrive", incident="F1", unit="DZ-E1")


def test_hold_unit_keeps_the_nearest_engine_back(opened, default_fire):
    nearest = [r.unit for r in default_fire if r.event == "dispatch" and r.incident == "F1"]
    assert "NY-E2" in nearest  # the default sends it
    drill = live(opened, FIRE, 650.0)
    decide(drill, kind="hold_unit", role="station:nanyunhe_station", unit="NY-E2")
    drill.finish()
    sent = [r.unit for r in drill.drill.records if r.event == "dispatch"]
    assert "NY-E2" not in sent
    assert len([u for u in sent if u.endswith(("-E1", "-E2"))]) == 2  # another engine went
    assert drill.drill.units["NY-E2"].status == "held"


def test_release_hold_gives_the_unit_back(opened, default_fire):
    drill = live(opened, FIRE, 600.0)
    decide(drill, kind="hold_unit", role="command_centre", unit="NY-E2")
    drill.advance(620.0)
    decide(drill, kind="release_hold", role="command_centre", unit="NY-E2")
    rest = [r for r in drill.finish().records if r.event != "decision"]
    assert rest == list(default_fire)  # held and released before the call: no change


def test_recall_unit_turns_it_back_and_the_call_gets_another(opened):
    drill = live(opened, FIRE, 720.0)
    n = len(drill.drill.records)
    decide(drill, kind="recall_unit", role="station:nanyunhe_station", unit="NY-E2")
    drill.advance(721.0)
    released = after(drill, n, "release", unit="NY-E2", incident="F1")
    assert len(released) == 1 and released[0].data.get("recalled") is True
    assert released[0].t == 720.0
    again = after(drill, n, "dispatch", incident="F1")
    assert len(again) == 1 and again[0].unit != "NY-E2" and again[0].t == 720.0
    drill.finish()
    assert drill.drill.units["NY-E2"].status == "held"
    assert not after(drill, n, "arrive", unit="NY-E2")


def test_close_road_closes_its_edges_and_units_on_it_reroute(opened):
    drill = live(opened, FIRE, 800.0)
    d = drill.drill
    unit = d.units["XZ-E1"]
    net = d.world.network
    legs = d.world.travel.route_edges(unit.leg.nodes, unit.vehicle)
    ahead = [e for e, t in zip(legs, unit.leg.times[1:], strict=True) if t > 810.0]
    road = next(net.edge_name[e] for e in ahead if net.edge_name[e])
    n = len(d.records)
    decide(drill, kind="close_road", role="command_centre", road=road)
    closed = after(drill, n, "road_closed", road=road)
    assert len(closed) == 1 and closed[0].data["edges"] == len(net.edges_named(road))
    drill.advance(801.0)
    assert after(drill, n, "reroute", unit="XZ-E1")
    reopened = decide(drill, kind="reopen_road", role="command_centre", road=road)
    assert [r.data["edges"] for r in reopened if r.event == "road_reopened"] == [
        closed[0].data["edges"]]


def test_call_mutual_aid_requests_and_sends_units_from_outside(opened):
    drill = live(opened, FIRE, 710.0)
    new = decide(drill, kind="call_mutual_aid", role="command_centre", incident="F1",
                 count=2)
    request = [r for r in new if r.event == "mutual_aid_request"]
    assert request and request[0].data["needs"] == {"engine": 2}
    aid = [r for r in new if r.event == "dispatch" and r.data["mutual_aid"]]
    assert [r.unit for r in aid] == ["MA-1", "MA-2"]


def test_move_up_covers_another_station_and_moving_back_returns(opened):
    drill = live(opened, FIRE, 100.0)
    d = drill.drill
    ny = d.station_nodes["nanyunhe_station"]
    new = decide(drill, kind="move_up", role="station:dingzigu_station", unit="DZ-E1",
                 station="nanyunhe_station")
    moved = [r for r in new if r.event == "move_up"]
    assert moved[0].unit == "DZ-E1" and moved[0].place == "nanyunhe_station"
    assert moved[0].data == {"station": "nanyunhe_station", "own": False}
    drill.advance(650.0)
    there = after(drill, 0, "quarters", unit="DZ-E1")
    assert [r.node for r in there] == [ny]  # it covers Nanyunhe from its quarters
    units = {u["id"]: u for u in drill.options("command_centre")["units"]}
    assert units["DZ-E1"]["covers"] == "nanyunhe_station"
    back = decide(drill, kind="move_up", role="command_centre", unit="DZ-E1",
                  station="dingzigu_station")
    assert [r.data["own"] for r in back if r.event == "move_up"] == [True]
    drill.finish()
    home = after(drill, 0, "quarters", unit="DZ-E1")
    assert home[-1].node == d.station_nodes["dingzigu_station"]
    assert check_all(d.records) == []  # the move_up and decision records by the catalogue


def test_open_shelters_opens_each_after_its_set_up(opened):
    drill = live(opened, FIRE, 100.0)
    decide(drill, kind="open_shelters", role="civil_air_defence")
    drill.finish()
    opened_at = {r.place: r.t for r in drill.drill.records if r.event == "shelter_open"}
    specs = opened[FIRE].scenario.forces.shelters
    assert opened_at == {s.id: 100.0 + s.open_delay for s in specs}


def test_mobilise_team_calls_it_out_now_and_the_activation_not_again(opened):
    drill = live(opened, RAIN, 600.0)  # the flood activates every team at 2700 s
    new = decide(drill, kind="mobilise_team", role="blue_star", team="blue_star")
    assert not [r for r in new if r.event == "team_activated"]
    drill.advance(2800.0)
    called = after(drill, 0, "team_activated", place="blue_star")
    assert [r.t for r in called] == [600.0]
    others = {r.place: r.t for r in after(drill, 0, "team_activated")}
    assert others["health"] == 2700.0
    assembled = after(drill, 0, "team_assembled", place="blue_star")
    assert len(assembled) == 1
    assert assembled[0].t == pytest.approx(600.0 + assembled[0].data["delay_s"], abs=0.5)


def test_send_truck_loads_that_depot_truck_for_that_shelter(opened):
    drill = live(opened, RAIN, 3500.0)  # shelters ordered open, trucks idle, no one yet
    depot = drill.drill.relief.depots["district_relief_depot"]
    before = dict(depot.stock)
    decide(drill, kind="send_truck", role="relief_desk", depot="district_relief_depot",
           shelter="binhe_park")
    drill.advance(3501.0)
    load = after(drill, 0, "truck_load", place="district_relief_depot")
    assert len(load) == 1 and load[0].t == 3500.0 and load[0].data["shelter"] == "binhe_park"
    cap = next(t.capacity_kg for t in drill.scenario.forces.depots[0].trucks
               if t.id == load[0].unit)
    assert cap - 10 < load[0].data["kg"] <= cap  # nothing needed yet: a full truck
    for item, qty in load[0].data["items"].items():
        assert depot.stock[item] == before[item] - qty
    drill.advance(9000.0)
    assert after(drill, 0, "relief_delivered", unit=load[0].unit, place="binhe_park")


def test_protective_action_orders_the_named_communities_now(opened):
    drill = live(opened, CHLORINE, 1200.0)
    chem = drill.drill.chemical
    assert chem.order_time is None  # before the default order
    most = max(chem.grid.communities, key=lambda c: c.people)
    cid, en, zh = next(c for c in drill.communities() if c[0] == most.id)
    new = decide(drill, kind="protective_action", role="hazmat_officer",
                 communities=[zh], action="evacuate")
    order = [r for r in new if r.event == "area_order"]
    people = float(np.round(chem.grid.people[chem.grid.cells_of(cid)].sum()))
    assert order[0].data["areas"] == [cid] and order[0].data["action"] == "evacuate"
    assert order[0].data["people"] == pytest.approx(people, abs=1.0)
    ordered = [r for r in new if r.event == "evacuation_ordered"]
    assert ordered[0].data["people"]["area"] == pytest.approx(people, abs=1.0)
    assert ordered[0].data["people"]["isolation"] == 0.0  # only what the player named
    assert order[0].data["told_from"] == chem.told_from()  # on the warning's channels
    drill.finish()
    zones = after(drill, 0, "protective_action")
    assert len(zones) == 1  # the zones' order still comes, at its time
    default = live(opened, CHLORINE).finish().records
    moved = sum(r.data["people"] for r in after(drill, 0, "displaced", place=chem.spec.id))
    moved_default = sum(r.data["people"] for r in default
                        if r.event == "displaced" and r.place == chem.spec.id)
    assert moved_default < moved <= moved_default + people  # some of them left
    assert check_all(drill.drill.records) == []


# ---------------------------------------------------------------- refusals


REFUSED = [
    (FIRE, 710.0, {"kind": "send_unit", "role": "station:xizhan_station", "unit": "NY-E2",
                   "incident": "F1"}, "NY-E2"),
    (FIRE, 0.0, {"kind": "close_road", "role": "relief_desk", "road": "西青道"},
     "“Close a road”"),
    (FIRE, 0.0, {"kind": "hold_unit", "role": "command_centre", "unit": "ZZ-E9"}, "ZZ-E9"),
    (FIRE, 0.0, {"kind": "close_road", "role": "command_centre", "road": "No Such Road"},
     "No Such Road"),
    (FIRE, 0.0, {"kind": "mobilise_team", "role": "command_centre", "team": "nobody"},
     "nobody"),
    (FIRE, 0.0, {"kind": "mobilise_team", "role": "blue_star", "team": "health"},
     "Health commission"),
    (FIRE, 710.0, {"kind": "hold_unit", "role": "command_centre", "unit": "NY-E2"}, "NY-E2"),
    (FIRE, 0.0, {"kind": "recall_unit", "role": "command_centre", "unit": "XZ-E1"},
     "XZ-E1"),
    (FIRE, 1000.0, {"kind": "recall_unit", "role": "command_centre", "unit": "NY-E2"},
     "on scene"),
    (FIRE, 0.0, {"kind": "move_up", "role": "command_centre", "unit": "XZ-E1",
                 "station": "xizhan_station"}, "Xizhan Fire Rescue Station"),
    (FIRE, 0.0, {"kind": "move_up", "role": "command_centre", "unit": "XZ-E1",
                 "station": "moon_base"}, "moon_base"),
    (FIRE, 0.0, {"kind": "protective_action", "role": "command_centre",
                 "communities": ["x"], "action": "evacuate"}, "no chemical release"),
    (CHLORINE, 0.0, {"kind": "protective_action", "role": "hazmat_officer",
                     "communities": ["Atlantis"], "action": "evacuate"}, "Atlantis"),
    (RAIN, 3000.0, {"kind": "open_shelters", "role": "relief_desk"}, "already"),
    (FIRE, 0.0, {"kind": "send_truck", "role": "relief_desk",
                 "depot": "district_relief_depot", "shelter": "xigu_park"}, "not open"),
    (RAIN, 6000.0, {"kind": "send_truck", "role": "relief_desk",
                    "depot": "district_relief_depot", "shelter": "xigu_park"},
     "District Relief-Material Depot"),
    (RAIN, 3000.0, {"kind": "mobilise_team", "role": "flood_control",
                    "team": "city_management"}, "City Management Commission"),
]


@pytest.mark.parametrize(("name", "at", "request_", "says"), REFUSED,
                         ids=[f"{r[2]['kind']}-{k}" for k, r in enumerate(REFUSED)])
def test_a_refusal_names_the_thing_and_changes_nothing(opened, name, at, request_, says):
    drill = live(opened, name, at)
    records = list(drill.drill.records)
    with pytest.raises(DecisionRefused, match=None) as exc:
        drill.decide(parse_decision(request_))
    assert says in str(exc.value)
    assert drill.drill.records == records and drill.decisions == []


def test_a_second_open_shelters_and_a_decision_after_the_end_are_refused(opened):
    drill = live(opened, FIRE, 10.0)
    decide(drill, kind="open_shelters", role="relief_desk")
    with pytest.raises(DecisionRefused, match="already ordered open"):
        drill.decide(parse_decision({"kind": "open_shelters", "role": "civil_air_defence"}))
    drill.finish()
    n = len(drill.drill.records)
    with pytest.raises(DecisionRefused, match="over"):
        drill.decide(parse_decision({"kind": "hold_unit", "role": "command_centre",
                                     "unit": "XZ-E1"}))
    assert len(drill.drill.records) == n


def test_options_list_what_a_seat_may_decide_about(opened):
    drill = live(opened, FIRE, 710.0)
    station = drill.options("station:nanyunhe_station")
    assert {u["id"] for u in station["units"]} == {
        u.id for u in drill.drill.units.values() if u.station == "nanyunhe_station"}
    by_id = {u["id"]: u for u in station["units"]}
    assert by_id["NY-E2"]["status"] == "committed" and by_id["NY-E2"]["incident"] == "F1"
    assert by_id["NY-E1"]["status"] == "out_of_service"
    desk = drill.options("relief_desk")
    assert "units" not in desk and {s["id"] for s in desk["shelters"]} == {
        s.id for s in drill.scenario.forces.shelters}
    centre = drill.options("command_centre")
    assert [c["id"] for c in centre["calls"]] == ["F1"]
    assert centre["roads_closed"] == [["西青道", centre["roads_closed"][0][1]]]  # inject I1
    assert {t["id"] for t in drill.options("blue_star")["teams"]} == {"blue_star"}


# ---------------------------------------------------------------- stepping and replay


@pytest.mark.parametrize("name", [FIRE, RAIN])
def test_stepping_gives_the_records_of_one_run(opened, name):
    _stepped_equals_run(opened[name])


def _stepped_equals_run(op) -> None:
    one = Drill(op.scenario, op.world, op.scenario.seed).run()
    drill = Drill(op.scenario, op.world, op.scenario.seed)
    drill.start()
    steps = set(np.linspace(0.0, op.scenario.duration, 97)[1:].tolist())
    for t in sorted(steps | {702.1277220954724}):  # an instant with events (F1's dispatch)
        drill.advance(t)
    stepped = drill.finish()
    assert stepped.records == one.records


def test_a_reopened_exercise_has_the_records_of_the_live_one(opened, tmp_path):
    ex = Exercise.create(tmp_path / "ex", SCENARIOS / f"{FIRE}.yaml")
    ex.advance(100.0)
    ex.decide({"kind": "move_up", "role": "command_centre", "unit": "DZ-E1",
               "station": "nanyunhe_station"})
    ex.advance(650.0)
    ex.decide({"kind": "hold_unit", "role": "station:xizhan_station", "unit": "XZ-E1"})
    ex.advance(710.0)
    ex.decide({"kind": "call_mutual_aid", "role": "command_centre", "incident": "F1"})
    ex.advance(900.0)
    back = Exercise.open(tmp_path / "ex")
    assert back.live.now == ex.live.now
    assert back.live.drill.records == ex.live.drill.records
    assert back.live.finish().records == ex.live.finish().records
    assert math.isclose(back.live.decisions[0][0], 100.0)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(p.stem for p in SCENARIOS.glob("*.yaml")))
def test_stepping_gives_the_records_of_one_run_for_every_ready_drill(name):
    _stepped_equals_run(open_drill(SCENARIOS / f"{name}.yaml"))
