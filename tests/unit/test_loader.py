"""The drill-file loader: kind YAML, typed results, one readable line per problem."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import networkx as nx
import pytest

from drillsim.errors import DrillsimError, ScenarioError
from drillsim.hazards.fire_growth import OCCUPANCIES
from drillsim.network.graph import RoadNetwork
from drillsim.scenarios.loader import default_forces, load_scenario, scenario_hash
from drillsim.scenarios.schema import CHINA_STANDARD_TIME, NewIncident

BASE = """\
name: Test drill
start: 2026-07-15 18:30
duration: 04:00
"""
DEFAULT_STATIONS = ["xizhan_station", "nanyunhe_station", "dingzigu_station", "benxi_station"]
# Every place the default forces name (stations, team bases, depots, shelters).
DEFAULT_PLACES = [*DEFAULT_STATIONS, "city_management_base", "district_government",
                  "blue_star_base", "district_relief_depot", "xianyang_beilu_reserve",
                  "xigu_park", "hongqiao_park", "binhe_park", "xizhan_south_square"]


class FakePlaces:
    """Places catalogue with a few ids, all at the same spot."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = set(ids)

    def get(self, place_id: str) -> SimpleNamespace | None:
        return (SimpleNamespace(id=place_id, lat=39.16, lon=117.15, attrs={"capacity": 1000},
                                label=place_id)
                if place_id in self.ids else None)

    find = get  # names are ids here

    def suggest(self, text: str) -> None:
        return None


def two_node_network() -> RoadNetwork:
    """Nodes n_a at 39.16 N 117.15 E and n_b 0.001° (111 m) north, joined by 西青道 both ways."""
    g = nx.MultiDiGraph()
    g.add_node("n_a", y=39.16, x=117.15)
    g.add_node("n_b", y=39.161, x=117.15)
    for u, v in (("n_a", "n_b"), ("n_b", "n_a")):
        g.add_edge(u, v, length=111.0, highway="primary", name="西青道", name_en="Xiqing Road")
    return RoadNetwork.from_networkx(g)


def world(*extra: str) -> dict[str, object]:
    return {"places": FakePlaces([*DEFAULT_PLACES, *extra]),
            "network": two_node_network()}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "drill.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def load(tmp_path: Path, text: str, **kw: object):
    kw = kw or {"check_world": False}
    return load_scenario(write(tmp_path, text), **kw)


def fails(tmp_path: Path, text: str, **kw: object) -> list[str]:
    """The error lines, with the file's path written as FILE."""
    path = write(tmp_path, text)
    kw = kw or {"check_world": False}
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, **kw)
    assert isinstance(info.value, DrillsimError)
    return [line.replace(str(path), "FILE") for line in info.value.lines()]


# --------------------------------------------------------------------------- valid files


def test_minimal_drill_loads_with_default_forces(tmp_path: Path) -> None:
    s = load(tmp_path, BASE)
    assert s.name == "Test drill"
    assert s.start == datetime(2026, 7, 15, 18, 30, tzinfo=CHINA_STANDARD_TIME)
    assert s.duration == 4 * 3600.0
    assert s.seed == 1 and s.network == "default"
    assert [st.id for st in s.forces.stations] == DEFAULT_STATIONS
    assert s.forces.mutual_aid.request_after == 300.0


def test_minimal_drill_passes_the_world_checks(tmp_path: Path) -> None:
    assert load(tmp_path, BASE, **world()).name == "Test drill"


def test_start_with_zone(tmp_path: Path) -> None:
    s = load(tmp_path, BASE.replace("2026-07-15 18:30", "2026-07-15T18:30:00+08:00"))
    assert s.start == datetime(2026, 7, 15, 18, 30, tzinfo=CHINA_STANDARD_TIME)


def test_clock_times_quoted_and_unquoted(tmp_path: Path) -> None:
    s = load(tmp_path, BASE + """\
injects:
  - {kind: note, at: "19:05"}
  - {kind: note, at: 19:05}
  - kind: note
    at: 19:05
  - {kind: note, at: +00:30}
  - {kind: note, at: "+1.5 h"}
""")
    assert [i.at for i in s.injects] == [2100.0, 2100.0, 2100.0, 1800.0, 5400.0]


def test_clock_time_wraps_past_midnight(tmp_path: Path) -> None:
    s = load(tmp_path, """\
name: Overnight
start: 2026-07-15 23:30
duration: 02:00
injects:
  - {kind: note, at: 00:15}
""")
    assert s.injects[0].at == 45 * 60.0


def test_yaml_1_1_words_stay_text(tmp_path: Path) -> None:
    s = load(tmp_path, BASE.replace("Test drill", "no") + "name_zh: on\nseed: 0123\n")
    assert (s.name, s.name_zh, s.seed) == ("no", "on", 123)


def test_anchors_and_partial_forces(tmp_path: Path) -> None:
    s = load(tmp_path, BASE + """\
forces:
  stations:
    - id: xizhan_station
      personnel: 20
      apparatus: [{id: A1, type: engine, crew: 5}]
      turnout: &turnout
        day: 50 s
        night: {dist: lognormal, median: 65 s, p90: 95 s}
    - id: benxi_station
      personnel: 20
      apparatus: [{id: B1, type: engine, crew: 5}]
      turnout: *turnout
  out_of_service: [B1]
""")
    assert s.forces.unit_ids() == ["A1", "B1"]
    assert s.forces.stations[1].turnout == s.forces.stations[0].turnout
    assert s.forces.stations[0].turnout.day.value == 50.0
    assert s.forces.out_of_service == ["B1"]
    _, default = default_forces()
    assert list(s.forces.response_plans) == list(default.data["response_plans"])


def test_incident_inject_and_objective(tmp_path: Path) -> None:
    s = load(tmp_path, BASE + """\
injects:
  - kind: incident
    at: 18:50
    incident: {id: F1, occupancy: dwelling, location: xigu_park}
objectives:
  - {id: O1, metric: first_arrival_p90, target: "<= 5 min"}
""", **world())
    assert isinstance(s.injects[0], NewIncident) and s.injects[0].at == 1200.0
    assert s.objectives[0].bound() == ("<=", 300.0)


def test_scenario_hash_is_sha256_of_bytes(tmp_path: Path) -> None:
    path = write(tmp_path, BASE)
    assert scenario_hash(path) == hashlib.sha256(BASE.encode()).hexdigest()


# --------------------------------------------------------------------------- the file itself


def test_malformed_yaml(tmp_path: Path) -> None:
    text = BASE + "injects:\n  - kind: note\n    at: +00:10\n    text: Call: the mayor\n"
    assert fails(tmp_path, text) == [
        "FILE:7:15: YAML syntax error: a ':' is not allowed here; put text that contains ': ' "
        "in quotes, or check the indentation of this line"]


def test_unclosed_quote_points_at_the_quote(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "name_zh: '晚高峰\nseed: 2\n") == [
        "FILE:4:10: YAML syntax error: the file ends inside quotes or brackets: a quote or "
        "bracket is opened but never closed"]


def test_tab_indentation(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "dispatch:\n\tpolicy: nearest_available\n") == [
        "FILE:5:1: YAML syntax error: a tab character: indent with spaces only"]


def test_duplicate_key(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "seed: 1\nseed: 2\n") == [
        "FILE:5: seed: duplicate key 'seed' (first on line 4); a key may appear only once "
        "in a mapping"]


def test_empty_file(tmp_path: Path) -> None:
    assert fails(tmp_path, "# nothing yet\n") == [
        "FILE:1: the file is empty; a drill file is a mapping of keys (name:, start:, "
        "duration:, ...)"]


def test_file_that_is_a_list(tmp_path: Path) -> None:
    assert fails(tmp_path, "- name: x\n") == [
        "FILE:1: a drill file is a mapping of keys (name:, start:, duration:, ...), but this "
        "file holds a list"]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario(tmp_path / "nope.yaml")
    assert str(info.value) == f"{tmp_path / 'nope.yaml'}: no such file"


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "drill.yaml"
    path.write_bytes(BASE.encode() + "name_zh: 演练\n".encode("gbk"))
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, check_world=False)
    assert str(info.value) == (f"{path}:4: the file is not UTF-8 text; save it as UTF-8 "
                               "(in most editors: 'Save with encoding' > UTF-8)")


# --------------------------------------------------------------------------- fields


def test_bad_start_is_reported_alone(tmp_path: Path) -> None:
    text = BASE.replace("2026-07-15 18:30", "2026-07-15") + "seed: many\n"
    assert fails(tmp_path, text) == [
        "FILE:2: start: expected a date and time such as '2026-07-15 18:30' (China Standard "
        "Time) or '2026-07-15T18:30:00+08:00', got '2026-07-15'"]


def test_wrong_type(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "seed: many\n") == [
        "FILE:4: seed: expected a whole number, got 'many'"]


def test_number_where_text_is_expected(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE.replace("Test drill", "2026")) == [
        "FILE:1: name: expected text, got the number 2026; put it in quotes if it is meant "
        "as text: '2026'"]


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE.replace("duration:", "duraton:")) == [
        "FILE:1: duration: missing required key 'duration' (how long the drill runs, "
        "e.g. '04:00')",
        "FILE:3: duraton: unknown key 'duraton'; did you mean 'duration'? (allowed: name, "
        "name_zh, description, description_zh, start, duration, seed, deterministic, district, "
        "network, snap_max_m, forces, dispatch, incidents, background, injects, objectives, "
        "flood, relief, warning, chemical)"]


def test_negative_duration(tmp_path: Path) -> None:
    text = BASE + """\
incidents:
  - id: F1
    occupancy: dwelling
    at: +00:10
    location: xigu_park
    detection_delay: -5 min
"""
    assert fails(tmp_path, text) == [
        "FILE:9: incidents[0].detection_delay: a duration cannot be negative, got '-5 min'"]


def test_bare_number_has_no_unit(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "forces:\n  mutual_aid: {arrival_delay: 25}\n") == [
        "FILE:5: forces.mutual_aid.arrival_delay: a bare number (25) has no unit; write a "
        "duration such as '90 s', '5 min', '1.5 h' or '01:30' (hours:minutes)"]


def test_lognormal_p90_below_median(tmp_path: Path) -> None:
    text = BASE + "dispatch:\n  processing: {dist: lognormal, median: 50 s, p90: 40 s}\n"
    assert fails(tmp_path, text) == [
        "FILE:5: dispatch.processing.p90: p90 must be longer than median"]


def test_distribution_of_the_wrong_shape(tmp_path: Path) -> None:
    text = BASE + "dispatch:\n  processing:\n    median: 50 s\n"
    assert fails(tmp_path, text) == [
        "FILE:5: dispatch.processing: expected a duration like '60 s' or a distribution such "
        "as {dist: lognormal, median: 50 s, p90: 70 s}, {dist: uniform, low: .., high: ..}, "
        "{dist: exponential, mean: ..} or {dist: fixed, value: ..}"]


@pytest.mark.parametrize(("duration", "message"), [
    ("0 min", "the drill must last more than 0 s and at most 7 days"),
    ("8 days", "at most 7 days (the longest drill), got '8 days'")])
def test_impossible_drill_duration(tmp_path: Path, duration: str, message: str) -> None:
    assert fails(tmp_path, BASE.replace("04:00", duration)) == [f"FILE:3: duration: {message}"]


def test_unknown_occupancy(tmp_path: Path) -> None:
    text = BASE + "incidents:\n  - {id: F1, occupancy: scool, at: +00:10, location: x}\n"
    assert fails(tmp_path, text) == [
        "FILE:5: incidents[0].occupancy: unknown occupancy 'scool' (did you mean 'school'?); "
        "expected one of " + _occupancies()]


def test_fire_without_occupancy(tmp_path: Path) -> None:
    text = BASE + "incidents:\n  - id: F1\n    at: +00:10\n    location: xigu_park\n"
    assert fails(tmp_path, text) == [
        "FILE:5: incidents[0]: a fire needs an occupancy: " + ", ".join(OCCUPANCIES)]


def _occupancies() -> str:
    names = [repr(k) for k in OCCUPANCIES]
    return ", ".join(names[:-1]) + " or " + names[-1]


def test_school_fire_gets_the_catalogue_plan(tmp_path: Path) -> None:
    path = tmp_path / "school.yaml"
    path.write_text(BASE + "incidents:\n  - {id: F1, occupancy: school, at: +00:10, "
                    "location: xigu_park}\n", encoding="utf-8")
    s = load_scenario(path)
    assert "school" not in s.forces.response_plans
    assert s.forces.plan("school") == OCCUPANCIES["school"].plan  # the catalogue's, read-only
    assert dict(s.forces.plan("school")[0]) == {"engine": 2, "ladder": 1, "rescue": 1}


def test_inject_without_kind(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "injects:\n  - at: +00:10\n    unit: XZ-E1\n") == [
        "FILE:5: injects[0]: missing 'kind': one of unit_out_of_service, unit_in_service, "
        "road_closed, road_reopened, incident, call_surge, comms_delay, note, "
        "pump_station_failed, pump_station_restored, stock_change, wind_shift"]


def test_unknown_key_in_an_inject(tmp_path: Path) -> None:
    text = BASE + "injects:\n  - kind: note\n    at: +00:10\n    colour: red\n"
    assert fails(tmp_path, text) == [
        "FILE:7: injects[0].colour: unknown key 'colour' (allowed: id, at, text, text_zh, "
        "deliver_to, deliver_to_zh, sender, sender_zh, method, method_zh, expected_action, "
        "expected_action_zh, objective, respond_within, kind, points)"]


@pytest.mark.parametrize(("value", "message"), [
    ("0 s", "must be more than 0, got 0"),
    ("soon", "expected a duration such as '90 s', '5 min', '1.5 h' or '01:30' "
             "(hours:minutes), got 'soon'"),
])
def test_bad_respond_within(tmp_path: Path, value: str, message: str) -> None:
    """An inject's response window (played exercises) is a positive duration: one line."""
    text = BASE + f"injects:\n  - kind: note\n    at: +00:10\n    respond_within: '{value}'\n"
    assert fails(tmp_path, text) == [f"FILE:7: injects[0].respond_within: {message}"]


def test_respond_within_defaults_to_ten_minutes(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(BASE + "injects:\n  - kind: note\n    at: +00:10\n"
                    "  - kind: note\n    at: +00:20\n    respond_within: 3 min\n",
                    encoding="utf-8")
    assert [i.respond_within for i in load_scenario(path).injects] == [600.0, 180.0]


def test_note_on_an_unknown_waterlogging_point(tmp_path: Path) -> None:
    """A note's ``points`` must be the drill's waterlogging points (the MSEL answers with the
    routes around them): one line naming the file, line and field."""
    text = BASE + "injects:\n  - kind: note\n    at: +00:10\n    points: [tianping]\n"
    assert fails(tmp_path, text) == [
        "FILE:7: injects[0].points[0]: no waterlogging point 'tianping' (the drill has no "
        "flood)"]


def test_unknown_metric(tmp_path: Path) -> None:
    text = BASE + "objectives:\n  - {id: O1, metric: first_arival_p90, target: <= 5 min}\n"
    (line,) = fails(tmp_path, text)
    assert line.startswith(
        "FILE:5: objectives[0].metric: unknown metric 'first_arival_p90' (did you mean "
        "'first_arrival_p90'?); choose one of: first_arrival_p50, first_arrival_p90, ")


def test_bad_target(tmp_path: Path) -> None:
    text = BASE + """\
objectives:
  - id: O1
    metric: first_arrival_p90
    target: about 5 min
  - id: O2
    metric: five_minute_share
    target: ">= 90 min"
"""
    assert fails(tmp_path, text) == [
        "FILE:7: objectives[0].target: target 'about 5 min' should look like '<= 5 min' or "
        "'>= 90 %'",
        "FILE:10: objectives[1].target: target of five_minute_share is a share: write "
        "e.g. '>= 90 %'"]


def test_all_problems_sorted_by_line(tmp_path: Path) -> None:
    text = BASE + """\
objectives:
  - {id: O1, metric: first_arrival_p90, target: soon}
seed: -1
"""
    assert fails(tmp_path, text) == [
        "FILE:5: objectives[0].target: target 'soon' should look like '<= 5 min' or '>= 90 %'",
        "FILE:6: seed: must be at least 0, got -1"]


# --------------------------------------------------------------------------- cross-references


def test_inject_after_the_drill_ends(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "injects:\n  - {kind: note, at: +05:00}\n") == [
        "FILE:5: injects[0].at: the inject comes after the drill ends (the drill lasts 4.00 h)"]


def test_clock_time_after_the_drill_ends(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "injects:\n  - {kind: note, at: 18:00}\n") == [
        "FILE:5: injects[0].at: the inject comes after the drill ends (the drill lasts 4.00 h)"]


def test_unknown_unit_in_an_inject(tmp_path: Path) -> None:
    text = BASE + "injects:\n  - kind: unit_out_of_service\n    at: +00:10\n    unit: XZ-E99\n"
    assert fails(tmp_path, text) == ["FILE:7: injects[0].unit: unknown unit 'XZ-E99'"]


def test_unknown_unit_out_of_service(tmp_path: Path) -> None:
    (line,) = fails(tmp_path, BASE + "forces:\n  out_of_service: [XZ-E1, XX-E1]\n")
    assert line.startswith(
        "FILE:5: forces.out_of_service[1]: unknown unit 'XX-E1'; known units: BX-E1, BX-E2, ")


HQ = ("the drill is played in the Hongqiao district (红桥区, Tianjin), the default; "
      "'district: PATH' selects another package")
"""What a message about a place adds for a drill played in the default district."""


def test_unknown_place(tmp_path: Path) -> None:
    text = BASE + "incidents:\n  - {id: F1, occupancy: dwelling, at: +00:10, location: nowhere}\n"
    assert fails(tmp_path, text, **world()) == [
        "FILE:5: incidents[0].location: unknown place 'nowhere'; see `drillsim district show "
        "--places` (ids, Chinese and English names); " + HQ]


def test_coordinates_outside_the_network(tmp_path: Path) -> None:
    text = BASE + """\
incidents:
  - id: F1
    occupancy: dwelling
    at: +00:10
    location: {lat: 39.5, lon: 117.15}
"""
    assert fails(tmp_path, text, **world()) == [
        "FILE:8: incidents[0].location: (39.5, 117.15) lies 37.7 km from the nearest usable "
        "network node 'n_b'; more than 200 m (the default; a drill's or district.yaml's "
        "snap_max_m may raise it): give the coordinates of the place itself (WGS84), or "
        "'node:'; " + HQ]


def test_swapped_coordinates_say_so(tmp_path: Path) -> None:
    """Longitude written as lat (trial of issue 15: it said only "must be at most 90")."""
    text = BASE + "incidents:\n  - {id: F1, occupancy: dwelling, at: +00:10, " \
        "location: {lat: 117.2066, lon: 39.0908}}\n"
    assert fails(tmp_path, text) == [
        "FILE:5: incidents[0].location: lat 117.2066 is beyond 90°: lat and lon swapped? "
        "latitude comes first: {lat: 39.0908, lon: 117.2066}"]
    # beyond 90° with a longitude no latitude can be: the plain range error
    text = BASE + "incidents:\n  - {id: F1, occupancy: dwelling, at: +00:10, " \
        "location: {lat: 117.2, lon: 139.0}}\n"
    assert fails(tmp_path, text) == ["FILE:5: incidents[0].location.lat: must be at most 90, "
                                     "got 117.2"]


def test_unknown_road(tmp_path: Path) -> None:
    text = BASE + "injects:\n  - {kind: road_closed, at: +00:10, road: Nowhere Road}\n"
    assert fails(tmp_path, text, **world()) == [
        "FILE:5: injects[0].road: no road named 'Nowhere Road' in the network"]


def test_problem_in_the_default_forces_names_the_default_file(tmp_path: Path) -> None:
    places = FakePlaces([p for p in DEFAULT_PLACES if p != "benxi_station"])
    path = write(tmp_path, BASE)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path, places=places, network=two_node_network())
    file, doc = default_forces()
    line = doc.lines[("stations", 3, "id")]
    assert info.value.lines() == [
        f"{file}:{line}: forces.stations[3].id: unknown place 'benxi_station'; "
        "see `drillsim district show --places` (ids, Chinese and English names); " + HQ]


def test_missing_graphml_file(tmp_path: Path) -> None:
    assert fails(tmp_path, BASE + "network: roads/hongqiao.graphml\n") == [
        f"FILE:4: network: no GraphML file 'roads/hongqiao.graphml' (looked for "
        f"{(tmp_path / 'roads/hongqiao.graphml').resolve()}); write 'default' or a path "
        "relative to the drill file's folder"]


OWN_FORCES = """\
forces:
  stations:
    - id: s1
      location: {node: n_a}
      personnel: 10
      apparatus: [{id: E1, type: engine, crew: 5}]
      turnout: {day: 60 s, night: 90 s}
  teams: []
  depots: []
  shelters: []
"""


def test_graphml_path_is_relative_to_the_drill_file(tmp_path: Path) -> None:
    (tmp_path / "roads").mkdir()
    (tmp_path / "roads" / "net.graphml").write_text("<graphml/>", encoding="utf-8")
    s = load(tmp_path, BASE + "network: roads/net.graphml\n" + OWN_FORCES)
    assert s.network == str((tmp_path / "roads" / "net.graphml").resolve())


# --------------------------------------------------------------------------- the real world


def test_real_world_checks(tmp_path: Path) -> None:
    text = BASE + """\
incidents:
  - {id: F1, occupancy: dwelling, at: +00:10, location: nowhere}
  - {id: F2, occupancy: dwelling, at: +00:10, location: {lat: 39.9, lon: 116.4}}
  - {id: F3, occupancy: dwelling, at: +00:10, location: xigu_park}
injects:
  - {kind: road_closed, at: +00:10, road: Nowhere Road}
  - {kind: road_closed, at: +00:10, road: 西青道, near: xigu_park}
"""
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = [line.replace(str(path), "FILE") for line in info.value.lines()]
    assert lines[0] == ("FILE:5: incidents[0].location: unknown place 'nowhere'; "
                        "see `drillsim district show --places` (ids, Chinese and English "
                        "names); " + HQ)
    assert re.fullmatch(r"FILE:6: incidents\[1\]\.location: \(39\.9, 116\.4\) lies \d+\.\d km "
                        r"from the nearest usable network node '\w+'; more than 200 m \(the "
                        r"default; .*", lines[1])
    assert lines[2:] == ["FILE:9: injects[0].road: no road named 'Nowhere Road' in the network"]


def test_broken_graphml_file(tmp_path: Path) -> None:
    (tmp_path / "net.graphml").write_text("not xml", encoding="utf-8")
    (line,) = fails(tmp_path, BASE + "network: net.graphml\n", check_world=True)
    assert line.startswith("FILE:4: network: the road network cannot be loaded: ")


def test_shelter_without_capacity_and_not_a_known_place(tmp_path: Path) -> None:
    text = BASE + ("forces:\n  shelters:\n"
                   "    - {id: tent_camp, location: {lat: 39.16, lon: 117.15}}\n")
    assert fails(tmp_path, text, **world()) == [
        "FILE:6: forces.shelters[0].capacity: no capacity known for shelter 'tent_camp': "
        "give one"]


def test_flood_bad_inputs_name_their_lines(tmp_path: Path) -> None:
    text = BASE + """forces:
  shelters:
    - {id: xigu_park, capacity: 0}
  depots:
    - {id: d1, location: {lat: 39.16, lon: 117.15}, stock: {water_l: -5}}
flood:
  rain:
    series: [{at: "+01:00", mm_h: 10}, {at: "+00:30", mm_h: 0}]
"""
    lines = fails(tmp_path, text, **world())
    assert lines == [
        "FILE:6: forces.shelters[0].capacity: must be at least 1, got 0",
        "FILE:8: forces.depots[0].stock.water_l: must be at least 0, got -5",
        "FILE:10: flood.rain: series times must increase from one step to the next"]


def test_waterlogging_point_off_the_network(tmp_path: Path) -> None:
    text = BASE + """flood:
  rain: {return_period: 50}
  points:
    - {id: p1, location: {lat: 39.5, lon: 117.5}, catchment_ha: 2, runoff_coeff: 0.9,
       drain_m3_s: 0.5, area_m2: 1000}
"""
    lines = fails(tmp_path, text, **world())
    assert lines == ["FILE:7: flood.points[0].location: (39.5, 117.5) lies 48.2 km from the "
                     "nearest usable network node 'n_b'; more than 200 m (the default; a "
                     "drill's or district.yaml's snap_max_m may raise it): give the coordinates "
                     "of the place itself (WGS84), or 'node:'; " + HQ]



def test_uncertainty_and_displacement_bad_inputs_name_their_lines(tmp_path: Path) -> None:
    text = BASE.replace("duration: 04:00\n", "duration: 04:00\ndeterministic: sometimes\n") + """\
flood:
  rain: {return_period: 50}
  uncertainty: {storm_depth_sd: -0.1, peak_ratio_spread: 0.5, drain_failure_p: 1.5}
  points:
    - {id: p1, location: {lat: 39.16, lon: 117.15}, catchment_ha: 2, runoff_coeff: 0.9,
       drain_m3_s: 0.5, area_m2: 1000, displace_spread_m: -0.1, leave_delay: soon}
"""
    lines = fails(tmp_path, text, **world())
    assert len(lines) == 6 and all(line.count("\n") == 0 for line in lines), lines
    assert lines[0].startswith("FILE:4: deterministic: ")
    for field in ("uncertainty.storm_depth_sd", "uncertainty.peak_ratio_spread",
                  "uncertainty.drain_failure_p"):
        assert any(line.startswith(f"FILE:7: flood.{field}: ") for line in lines), field
    for field in ("displace_spread_m", "leave_delay"):
        assert any(line.startswith(f"FILE:10: flood.points[0].{field}: ") for line in lines), \
            "\n".join(lines)


def test_team_assembled_at_an_unknown_place(tmp_path: Path) -> None:
    text = BASE + """\
forces:
  teams:
    - {id: blue_star, kind: volunteer, members: 10, mobilisation: {dist: fixed, value: 1 h},
       base: blue_star_base, assembled_at: nowhere}
"""
    assert fails(tmp_path, text, **world()) == [
        "FILE:7: forces.teams[0].assembled_at: unknown place 'nowhere'; "
        "see `drillsim district show --places` (ids, Chinese and English names); " + HQ]
    ok = load(tmp_path, text.replace("nowhere", "xigu_park"), **world())
    assert ok.forces.teams[0].assembled_at.place == "xigu_park"
