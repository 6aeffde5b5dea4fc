"""What the exercise pages say after the fire trial's findings: a recalled unit turns back at
once, road closures near a place, the decisions' "About" worded per language, the pages'
small words (plural rooms, legend, report links, favicon)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drillsim.play.exercise import Exercise
from drillsim.play.state import snapshot

DRILL = Path(__file__).parents[2] / "scenarios" / "night-compound-fire.yaml"
CC = "command_centre"


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(710.0)  # F1 dispatched: NY-E2, XZ-E1, NY-R1 on their way
    return ex


def units_of(state: dict) -> dict[str, dict]:
    return {u["id"]: u for u in state["units"]}


def test_a_recalled_unit_shows_turning_back_at_once(exercise):
    assert units_of(snapshot(exercise))["XZ-E1"]["status"] == "committed"
    exercise.decide({"kind": "recall_unit", "role": CC, "unit": "XZ-E1"})
    for state in (snapshot(exercise), snapshot(exercise, CC)):
        xz = units_of(state)["XZ-E1"]
        assert (xz["status"], xz["incident"]) == ("turning_back", "")
    rec = next(r for r in exercise.live.drill.records if r.event == "decision")
    assert rec.incident == "F1"  # the call it was recalled from, for the debrief too
    assert snapshot(exercise)["decisions"][0]["about"] == {"en": "recalled XZ-E1 from F1",
                                                           "zh": "召回前往F1的XZ-E1"}
    recall = next(f for f in snapshot(exercise, CC)["forms"] if f["kind"] == "recall_unit")
    assert "XZ-E1" not in [c["value"] for c in recall["fields"][0]["choices"]]
    from drillsim.play.decisions import DecisionRefused

    with pytest.raises(DecisionRefused) as exc:
        exercise.decide({"kind": "recall_unit", "role": CC, "unit": "XZ-E1"})
    assert exc.value.text("zh") == "XZ-E1已在返回途中"
    exercise.advance(exercise.live.now + 1.0)  # the turn back played: held, heading home
    assert units_of(snapshot(exercise))["XZ-E1"]["status"] == "held"


def test_close_road_form_closes_a_stretch_near_a_place(tmp_path):
    ex = Exercise.create(tmp_path / "ex", DRILL)
    form = next(f for f in snapshot(ex, CC)["forms"] if f["kind"] == "close_road")
    fields = {f["name"]: f for f in form["fields"]}
    assert list(fields) == ["road", "near", "radius_m"]
    assert fields["radius_m"]["choices"] is None and fields["radius_m"]["value"] == 400
    near = fields["near"]
    assert near["json"] and near["choices"][0] == {"value": "", "key": "whole_road"}
    by_label = {c["label"]["zh"]: c["value"] for c in near["choices"][1:]}
    station = ex.live.place_name("xizhan_station")["zh"]
    assert json.loads(by_label[station]) == "xizhan_station"
    whole = len(ex.live.drill.world.network.edges_named("西青道"))
    n = len(ex.live.drill.records)
    ex.decide({"kind": "close_road", "role": CC, "road": "Xiqing Road",
               "near": json.loads(by_label[station]), "radius_m": 800})
    closed = [r for r in ex.live.drill.records[n:] if r.event == "road_closed"]
    assert 0 < closed[0].data["edges"] < whole  # a stretch, not the whole road


def test_closing_a_stretch_already_closed_names_who_closed_it(tmp_path):
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(1.0)  # I1: 西青道 closed within 600 m of West Station
    from drillsim.play.decisions import DecisionRefused

    near = {"lat": 39.1560, "lon": 117.1560}
    with pytest.raises(DecisionRefused) as exc:
        ex.decide({"kind": "close_road", "role": CC, "road": "西青道", "near": near,
                   "radius_m": 300})
    assert exc.value.text("en") == "Xiqing Road is already closed there (by I1)"
    assert exc.value.text("zh") == "西青道该路段已封闭（I1）"
    ex.decide({"kind": "reopen_road", "role": CC, "road": "西青道", "near": near,
               "radius_m": 600})
    with pytest.raises(DecisionRefused) as exc:
        ex.decide({"kind": "reopen_road", "role": CC, "road": "西青道", "near": near,
                   "radius_m": 600})
    assert exc.value.key == "refused_not_closed"
    ex.decide({"kind": "close_road", "role": CC, "road": "西青道", "near": near,
               "radius_m": 600})
    with pytest.raises(DecisionRefused) as exc:
        ex.decide({"kind": "close_road", "role": CC, "road": "西青道", "near": near,
                   "radius_m": 400})
    assert exc.value.text("zh") == "西青道该路段已封闭（第2号决策）"


def test_decisions_about_is_worded_in_each_language_as_the_debrief_words_it(tmp_path):
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(10.0)
    for request in [
        {"kind": "close_road", "road": "西青道"},
        {"kind": "move_up", "unit": "DZ-E1", "station": "nanyunhe_station"},
        {"kind": "move_up", "unit": "DZ-E1", "station": "dingzigu_station"},
        {"kind": "open_shelters"},
        {"kind": "send_truck", "depot": "district_relief_depot", "shelter": "xigu_park"},
    ]:
        ex.decide({**request, "role": CC})
    live = ex.live
    ny, dz = (live.place_name(s) for s in ("nanyunhe_station", "dingzigu_station"))
    depot, park = (live.place_name(s) for s in ("district_relief_depot", "xigu_park"))
    about = [d["about"] for d in snapshot(ex)["decisions"]]
    assert [a["en"] for a in about] == [
        "closed Xiqing Road", f"moved DZ-E1 up to cover {ny['en']}",
        f"sent DZ-E1 back to its own station, {dz['en']}", "opened the shelters",
        f"sent a truck from {depot['en']} to {park['en']}"]
    assert [a["zh"] for a in about] == [
        "封闭西青道", f"调DZ-E1移防至{ny['zh']}补位", f"令DZ-E1返回本站（{dz['zh']}）",
        "开放避难场所", f"从{depot['zh']}派出运输车前往{park['zh']}"]
    assert snapshot(ex, CC)["decisions"][0]["about"]["en"] == "closed Xiqing Road"


def test_pages_carry_an_inline_favicon_and_the_legend_box(exercise):
    from starlette.testclient import TestClient

    from drillsim.play.server import create_app

    with TestClient(create_app(exercise, report=False, embed_font=False)) as client:
        for page in (f"/f/{exercise.codes['facilitator']}", f"/p/{exercise.codes[CC]}"):
            html = client.get(page).text
            assert '<link rel="icon" href="data:image/svg+xml,' in html  # no /favicon.ico
            assert 'id="legend"' in html


def test_the_addresses_are_printed_once_the_port_listens():
    import socket
    import threading

    import uvicorn
    from starlette.applications import Starlette

    from drillsim.play.cli import listening_server

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    answered: list[bool] = []

    def on_listen() -> None:  # a page opened at this instant
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            answered.append(True)
        server.should_exit = True

    server = listening_server(uvicorn.Config(Starlette(), host="127.0.0.1", port=port,
                                             log_level="warning"), on_listen)
    thread = threading.Thread(target=server.run)
    thread.start()
    thread.join(timeout=30)
    assert answered == [True]


def test_the_printed_addresses_and_folder_are_never_wrapped(tmp_path):
    """Piped output is 120 columns wide: a long folder path and the resume line stay on one
    line each (a wrapped path or address cannot be copied; the browser test's resume check
    read '1 decision(s) replayed' split over two lines under pytest-xdist's longer paths)."""
    import io

    from drillsim.play.cli import play_command
    from drillsim.terminal import SafeConsole

    folder = tmp_path / ("a-long-exercise-folder-name-" * 4) / "night"
    out = io.StringIO()
    play_command(Path("scenarios/night-compound-fire.yaml"), folder=folder, serve=False,
                 console=SafeConsole(file=out, width=80))
    resumed = io.StringIO()
    play_command(None, resume=folder, serve=False, console=SafeConsole(file=resumed, width=80))
    lines = resumed.getvalue().splitlines()
    assert any(str(folder) in line and "0 decision(s) replayed" in line for line in lines), lines
    assert any(f"drillsim play --resume {folder} goes on from here." in line for line in lines)
