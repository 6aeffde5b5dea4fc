"""Refusals of a played exercise in the page's language: every reason has an English and a
Chinese text; the Chinese names shelters, depots, stations, teams, roads and seats by their
Chinese names (no internal snake_case id, no English word), and only unit, incident and
inject ids, and what the player typed, stay as they are.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from drillsim.api import open_drill
from drillsim.play.decisions import DecisionRefused, parse_decision, play_words
from drillsim.play.exercise import Exercise
from drillsim.play.live import LiveDrill
from drillsim.play.server import create_app

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
PLAY = Path(__file__).resolve().parents[2] / "drillsim" / "play"
FIRE, RAIN, CHLORINE = "night-compound-fire", "rainstorm-50y-night", "chlorine-night"
CC, NY = "command_centre", "station:nanyunhe_station"


@pytest.fixture(scope="module")
def opened():
    return {name: open_drill(SCENARIOS / f"{name}.yaml") for name in (FIRE, RAIN, CHLORINE)}


def refusal_words() -> dict[str, dict[str, str]]:
    return {k: v for k, v in play_words().items() if k.startswith("refused_")}


def test_every_reason_is_worded_in_both_languages_and_used():
    code = "".join(p.read_text(encoding="utf-8") for p in PLAY.glob("*.py"))
    for key, text in refusal_words().items():
        assert f'"{key}"' in code, f"{key} is never raised"
        en, zh = (set(re.findall(r"\{(\w+)", text[lang])) for lang in ("en", "zh"))
        assert zh <= en, key  # the Chinese may leave out an English-only detail
        assert not re.search("[A-Za-z]", re.sub(r"\{[^}]*\}", "", text["zh"])), key
        assert re.search("[\u4e00-\u9fff]", text["zh"]), key
    for key in re.findall(r'DecisionRefused\(\s*"(\w+)"', code):
        assert key in refusal_words(), key


# (drill, clock s, request, the key of the reason)
CASES = [
    (FIRE, 0.0, {"kind": "hold_unit", "role": "nobody", "unit": "XZ-E1"}, "refused_no_role"),
    (FIRE, 0.0, {"kind": "close_road", "role": "relief_desk", "road": "西青道"},
     "refused_not_your_kind"),
    (FIRE, 0.0, {"kind": "hold_unit", "role": CC, "unit": "XZ-E1", "inject": "I9"},
     "refused_no_inject"),
    (FIRE, 0.0, {"kind": "hold_unit", "role": CC, "unit": "ZZ-E9"}, "refused_no_unit"),
    (FIRE, 0.0, {"kind": "hold_unit", "role": NY, "unit": "XZ-E2"}, "refused_not_commanded"),
    (FIRE, 0.0, {"kind": "send_unit", "role": CC, "unit": "XZ-E1", "incident": "F1"},
     "refused_no_call"),
    (FIRE, 0.0, {"kind": "recall_unit", "role": CC, "unit": "XZ-E1"},
     "refused_not_en_route"),
    (FIRE, 0.0, {"kind": "close_road", "role": CC, "road": "Zzzz"},
     "refused_no_road"),
    (FIRE, 0.0, {"kind": "close_road", "role": CC, "road": "Xiqing Road",
                 "near": "xigu_park", "radius_m": 50}, "refused_not_near"),
    (FIRE, 0.0, {"kind": "reopen_road", "role": CC, "road": "西青道"}, "refused_not_closed"),
    (FIRE, 0.0, {"kind": "move_up", "role": CC, "unit": "XZ-E1", "station": "moon_base"},
     "refused_no_station"),
    (FIRE, 0.0, {"kind": "move_up", "role": CC, "unit": "XZ-E1",
                 "station": "xizhan_station"}, "refused_already_covers"),
    (FIRE, 0.0, {"kind": "protective_action", "role": CC, "communities": ["x"],
                 "action": "evacuate"}, "refused_no_release"),
    (FIRE, 0.0, {"kind": "send_truck", "role": "relief_desk",
                 "depot": "district_relief_depot", "shelter": "xigu_park"},
     "refused_shelter_not_open"),
    (FIRE, 0.0, {"kind": "send_truck", "role": "relief_desk", "depot": "nowhere",
                 "shelter": "xigu_park"}, "refused_no_depot"),
    (FIRE, 0.0, {"kind": "send_truck", "role": "relief_desk",
                 "depot": "district_relief_depot", "shelter": "nowhere"},
     "refused_no_shelter"),
    (FIRE, 0.0, {"kind": "mobilise_team", "role": CC, "team": "nobody"}, "refused_no_team"),
    (FIRE, 0.0, {"kind": "mobilise_team", "role": "blue_star", "team": "health"},
     "refused_blue_star_only"),
    (FIRE, 710.0, {"kind": "send_unit", "role": CC, "unit": "NY-E2", "incident": "F1"},
     "refused_not_free"),
    (FIRE, 710.0, {"kind": "hold_unit", "role": CC, "unit": "NY-E2"},
     "refused_hold_not_free"),
    (FIRE, 710.0, {"kind": "move_up", "role": CC, "unit": "NY-E2",
                   "station": "dingzigu_station"}, "refused_move_not_free"),
    (FIRE, 710.0, {"kind": "release_hold", "role": CC, "unit": "NY-E1"}, "refused_not_held"),
    (FIRE, 710.0, {"kind": "call_mutual_aid", "role": CC, "incident": "F9"},
     "refused_not_a_call"),
    (FIRE, 710.0, {"kind": "call_mutual_aid", "role": CC, "incident": "F1", "count": 10},
     "refused_aid_cap"),
    (FIRE, 1000.0, {"kind": "recall_unit", "role": CC, "unit": "NY-E2"}, "refused_on_scene"),
    (FIRE, 2701.0, {"kind": "send_unit", "role": CC, "unit": "XZ-E2", "incident": "F1"},
     "refused_controlled"),
    (RAIN, 3000.0, {"kind": "open_shelters", "role": "relief_desk"},
     "refused_shelters_ordered"),
    (RAIN, 3000.0, {"kind": "mobilise_team", "role": "flood_control",
                    "team": "city_management"}, "refused_team_called"),
    (RAIN, 6000.0, {"kind": "send_truck", "role": "relief_desk",
                    "depot": "district_relief_depot", "shelter": "xigu_park"},
     "refused_no_free_truck|refused_nothing_needed"),
    (CHLORINE, 0.0, {"kind": "protective_action", "role": "hazmat_officer",
                     "communities": ["Atlantis"], "action": "evacuate"}, "refused_no_area"),
]


def ids_of(drill: LiveDrill) -> set[str]:
    """Unit, incident and inject ids: these stay ids on a Chinese page."""
    d = drill.drill
    return {*d.units, *d.incidents, *drill.scenario.inject_ids(), "MA-1"}


def assert_chinese(zh: str, allowed: set[str]) -> None:
    """No Latin letter in ``zh`` once the allowed ids and typed values are taken out."""
    rest = zh
    for a in sorted(allowed, key=len, reverse=True):
        rest = rest.replace(a, "")
    assert not re.search("[A-Za-z]", rest), zh
    assert re.search("[\u4e00-\u9fff]", rest), zh


@pytest.mark.parametrize(("name", "at", "request_", "key"), CASES,
                         ids=[c[3].split("|")[0] for c in CASES])
def test_a_refusal_is_worded_in_chinese_without_internal_ids(opened, name, at, request_, key):
    drill = LiveDrill(opened[name].scenario, opened[name].world)
    drill.advance(at)
    records = list(drill.drill.records)
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(parse_decision(request_))
    assert exc.value.key in key.split("|")
    assert str(exc.value) == exc.value.text("en")
    typed = {v for k, v in request_.items() if k in ("role", "unit", "incident", "inject",
                                                     "road", "station", "team", "depot",
                                                     "shelter") and isinstance(v, str)}
    typed -= {"xizhan_station", "dingzigu_station", "health", "city_management",
              "district_relief_depot", "xigu_park", "blue_star", "relief_desk",
              "hazmat_officer", "flood_control", CC, NY, "Xiqing Road"}  # known: named
    assert_chinese(exc.value.text("zh"), ids_of(drill) | typed | set(request_["communities"]
                                                                     if "communities" in
                                                                     request_ else []))
    assert drill.drill.records == records


def test_names_are_the_pages_names_in_each_language(opened):
    drill = LiveDrill(opened[FIRE].scenario, opened[FIRE].world)
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(parse_decision({"kind": "send_truck", "role": "relief_desk",
                                     "depot": "district_relief_depot",
                                     "shelter": "xigu_park"}))
    park = drill.place_name("xigu_park")
    assert park["zh"] != "xigu_park" and park["en"] != "xigu_park"
    assert exc.value.text("zh").startswith(park["zh"])
    assert exc.value.text("en").startswith(park["en"])
    with pytest.raises(DecisionRefused) as exc:
        drill.decide(parse_decision({"kind": "hold_unit", "role": NY, "unit": "XZ-E2"}))
    assert "南运河" in exc.value.text("zh") and "Nanyunhe" in exc.value.text("en")


@pytest.mark.parametrize(("request_", "key"), [
    ({"kind": "launch_rocket", "role": CC}, "refused_unknown_kind"),
    ({"role": CC}, "refused_no_kind"),
    ({"kind": "hold_unit", "role": CC}, "refused_missing_field"),
    ({"kind": "hold_unit", "role": CC, "unit": "XZ-E1", "colour": 1}, "refused_extra_field"),
    ({"kind": "close_road", "role": CC, "road": "西青道", "radius_m": -5}, "refused_bad_value"),
    ({"kind": "protective_action", "role": CC, "communities": ["a"], "action": "run"},
     "refused_bad_value"),
    ([1, 2], "refused_not_object"),
])
def test_a_bad_request_is_worded_per_field(request_, key):
    with pytest.raises(DecisionRefused) as exc:
        parse_decision(request_)
    assert exc.value.key == key
    assert_chinese(exc.value.text("zh"), {"launch_rocket", "colour"})
    if key == "refused_missing_field":
        assert exc.value.text("zh") == "缺少力量" and exc.value.text("en") == "Unit: missing"
    if key == "refused_bad_value" and "radius_m" in request_:
        assert exc.value.text("zh").startswith("半径（米）")


def test_the_server_answers_in_both_languages(tmp_path):
    ex = Exercise.create(tmp_path / "ex", SCENARIOS / f"{FIRE}.yaml")
    fac, ny = ex.codes["facilitator"], ex.codes[NY]
    with TestClient(create_app(ex, report=False, embed_font=False)) as client:
        r = client.post(f"/api/{ny}/decide", json={"kind": "hold_unit", "unit": "XZ-E2"})
        assert r.status_code == 409
        assert r.json() == {"error": "XZ-E2 is not commanded by this seat (Officer, Nanyunhe "
                                     "Road Fire Rescue Station)",
                            "error_zh": f"XZ-E2不归本席位（{ex.live.roles[NY].name_zh}）指挥"}
        answers = [
            client.post(f"/api/{ny}/decide", content=b"{oops"),
            client.post(f"/api/{ny}/decide", json={"kind": "hold_unit", "unit": "NY-E1",
                                                    "role": CC}),
            client.post("/api/nobody/decide", json={}),
            client.post(f"/api/{ny}/clock", json={"action": "run"}),
            client.post(f"/api/{fac}/clock", json={"action": "fly"}),
            client.post(f"/api/{fac}/clock", json={"action": "run", "speed": 7}),
            client.post(f"/api/{fac}/fork", json={"alternative": 3}),
            client.post(f"/api/{fac}/fork", json={"alternative": [
                {"kind": "hold_unit", "role": CC, "unit": "ZZ-E9"}]}),
            client.get(f"/r/{fac}/nothing.html"),
        ]
        for r in answers:
            assert r.status_code in (400, 403, 404, 409), r.text
            body = r.json()
            assert set(body) == {"error", "error_zh"}
            assert_chinese(body["error_zh"], {"nobody", "fly", "ZZ-E9", "nothing.html", CC})
