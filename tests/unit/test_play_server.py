"""The exercise's web application (drillsim.play.server) as the pages use it, through
Starlette's test client: pages, state, decisions and refusals, the websocket, the clock,
forks and a resume after a restart. The night-compound-fire drill: I1 (at 0) goes to
the command centre, I2 (at 45 min) to the Nanyunhe Road station officer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from drillsim.play.exercise import LOG_FILE, Exercise
from drillsim.play.server import create_app
from drillsim.play.state import snapshot

DRILL = Path(__file__).parents[2] / "scenarios" / "night-compound-fire.yaml"
NANYUNHE = "station:nanyunhe_station"


def app_for(exercise: Exercise):
    return create_app(exercise, report=False, embed_font=False)


@pytest.fixture
def exercise(tmp_path: Path) -> Exercise:
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(2700.0 + 1.0)  # I1 and I2 delivered
    return ex


@pytest.fixture
def client(exercise: Exercise):
    with TestClient(app_for(exercise)) as c:
        yield c


def codes(ex: Exercise) -> tuple[str, str, str]:
    return ex.codes["facilitator"], ex.codes[NANYUNHE], ex.codes["command_centre"]


def test_facilitator_page_and_msel(client, exercise):
    fac, _, _ = codes(exercise)
    page = client.get(f"/f/{fac}")
    assert page.status_code == 200
    assert "Night fire in an old residential compound" in page.text
    assert 'data-testid="clock-next-decision"' in page.text
    msel = {r["id"]: r for r in client.get(f"/api/{fac}/state").json()["msel"]}
    assert msel["I1"]["expected_action"]["en"] == "Plan detours for Xizhan station units."
    assert msel["I1"]["roles"] == ["command_centre"] and msel["I1"]["delivered"]
    assert msel["I2"]["roles"] == [NANYUNHE] and msel["I2"]["delivered"]
    assert not msel["I3"]["delivered"]  # at 60 min, the clock is at 45 min


def test_player_sees_only_its_injects_without_expected_action(client, exercise):
    _, ny, cc = codes(exercise)
    page = client.get(f"/p/{ny}")
    assert page.status_code == 200 and "Nanyunhe Road" in page.text
    state = client.get(f"/api/{ny}/state").json()
    assert [i["id"] for i in state["injects"]] == ["I2"]
    assert all("expected_action" not in i for i in state["injects"])
    assert "msel" not in state
    assert {u["station"] for u in state["units"]} == {"nanyunhe_station"}
    assert [i["id"] for i in client.get(f"/api/{cc}/state").json()["injects"]] == ["I1"]


def test_decision_changes_the_records(client, exercise):
    _, ny, _ = codes(exercise)
    before = len(exercise.live.drill.records)
    r = client.post(f"/api/{ny}/decide", json={"kind": "hold_unit", "unit": "NY-E1",
                                                "inject": "I2", "note": "keep one back"})
    assert r.status_code == 200, r.text
    rec = r.json()["record"]
    assert rec["event"] == "decision" and rec["unit"] == "NY-E1"
    assert rec["data"]["role"] == NANYUNHE and rec["data"]["inject"] == "I2"
    assert exercise.live.drill.records[before].event == "decision"
    assert exercise.live.drill.units["NY-E1"].status == "held"
    assert len((exercise.folder / LOG_FILE).read_text().splitlines()) == 1
    state = client.get(f"/api/{ny}/state").json()
    assert [(d["kind"], d["target"], d["inject"]) for d in state["decisions"]] == \
        [("hold_unit", "NY-E1", "I2")]
    assert {u["id"]: u["status"] for u in state["units"]}["NY-E1"] == "held"


@pytest.mark.parametrize(("who", "body", "status", "words"), [
    ("ny", b"{not json", 400, "not JSON"),
    ("ny", b"[1, 2]", 400, "JSON object"),
    ("nobody", b'{"kind": "hold_unit", "unit": "NY-E1"}', 404, "unknown code"),
    ("ny", b'{"kind": "hold_unit", "unit": "XZ-E2"}', 409, "XZ-E2 is not commanded"),
    ("ny", b'{"kind": "hold_unit", "unit": "NY-E1", "role": "command_centre"}', 403,
     "'command_centre' is refused"),
    ("ny", b'{"kind": "hold_unit", "unit": "NY-E9"}', 409, "no unit 'NY-E9'"),
    ("ny", b'{"kind": "close_road", "road": "Youyi Road"}', 409,
     "cannot take the decision “Close a road”"),
    ("ny", b'{"kind": "launch_rocket"}', 409, "kind"),
])
def test_refusals_change_nothing(client, exercise, who, body, status, words):
    _, ny, _ = codes(exercise)
    code = ny if who == "ny" else "zzzzzz"
    n_records = len(exercise.live.drill.records)
    r = client.post(f"/api/{code}/decide", content=body,
                    headers={"Content-Type": "application/json"})
    assert r.status_code == status
    assert words in r.json()["error"]
    assert len(exercise.live.drill.records) == n_records
    assert (exercise.folder / LOG_FILE).read_text() == ""
    assert exercise.live.drill.units["NY-E1"].status == "available"


def test_websocket_sends_the_state_and_decisions(client, exercise):
    _, ny, _ = codes(exercise)
    with client.websocket_connect(f"/ws/{ny}") as ws:
        first = ws.receive_json()
        assert first["type"] == "state"
        assert first["state"]["clock"] == "02:45"  # the drill starts at 02:00
        assert [i["id"] for i in first["state"]["injects"]] == ["I2"]
        client.post(f"/api/{ny}/decide", json={"kind": "hold_unit", "unit": "NY-E1"})
        pushed = ws.receive_json()["state"]
        assert [d["target"] for d in pushed["decisions"]] == ["NY-E1"]


def test_clock_steps_and_only_the_facilitator_runs_it(client, exercise):
    fac, ny, _ = codes(exercise)
    assert client.post(f"/api/{ny}/clock", json={"action": "pause"}).status_code == 403
    r = client.post(f"/api/{fac}/clock", json={"action": "next_inject"})
    assert r.status_code == 200 and r.json()["t"] == pytest.approx(3600.0, abs=1e-3)  # I3
    bad = client.post(f"/api/{fac}/clock", json={"action": "run", "speed": 7})
    assert bad.status_code == 400 and "speed must be one of 1, 10, 60, 300" in bad.json()["error"]
    r = client.post(f"/api/{fac}/clock", json={"action": "next_decision_point"})
    assert r.status_code == 200 and 3600.0 < r.json()["t"] <= exercise.live.duration


def test_fork_numbers_are_the_metrics(client, exercise):
    from drillsim.metrics.summary import summarize

    fac, _, _ = codes(exercise)
    alt = [{"kind": "hold_unit", "unit": "NY-E1", "role": NANYUNHE}]
    r = client.post(f"/api/{fac}/fork", json={"alternative": alt})
    assert r.status_code == 200, r.text
    rows = {row["name"]: row for row in r.json()["rows"]}
    assert set(rows) == {"first_arrival_p50", "first_arrival_p90"}  # a fire drill
    default, other = exercise.fork(alt)
    for name, row in rows.items():
        want = [summarize(default).metrics[name], summarize(other).metrics[name]]
        assert row["values"] == pytest.approx(want, abs=1e-3)
    assert exercise.log == [] and exercise.live.drill.units["NY-E1"].status == "available"
    refused = client.post(f"/api/{fac}/fork", json={"alternative": [
        {"kind": "hold_unit", "unit": "NY-E9", "role": NANYUNHE}]})
    assert refused.status_code == 409 and "NY-E9" in refused.json()["error"]


def test_resume_after_restart_has_the_same_records(tmp_path, exercise):
    _, ny, _ = codes(exercise)
    with TestClient(app_for(exercise)) as c:
        assert c.post(f"/api/{ny}/decide", json={"kind": "hold_unit", "unit": "NY-E1"}) \
            .status_code == 200
        exercise.advance(3000.0)
        before = list(exercise.live.drill.records)
        state = c.get(f"/api/{ny}/state").json()
    resumed = Exercise.open(exercise.folder)  # a new server on the same folder
    assert resumed.live.now == pytest.approx(3000.0)
    assert list(resumed.live.drill.records) == before
    with TestClient(app_for(resumed)) as c:
        again = c.get(f"/api/{ny}/state").json()
    assert again["decisions"] == state["decisions"]
    assert again["units"] == state["units"]


def test_report_files_are_confined_to_the_folder(client, exercise):
    fac, _, _ = codes(exercise)
    (exercise.folder / "secret.txt").write_text("x")
    assert client.get(f"/r/{fac}/..%2Fetc%2Fpasswd").status_code == 404
    assert client.get(f"/r/{fac}/secret.txt").status_code == 404
    assert client.get(f"/r/{fac}/{LOG_FILE}").status_code == 404


def test_map_base_has_the_district(client, exercise):
    fac, _, _ = codes(exercise)
    base = client.get(f"/api/{fac}/map").json()
    assert len(base["boundary"]) > 3 and base["roads"]
    stations = {p["id"]: p["name"] for p in base["places"] if p["kind"] == "station"}
    assert stations["nanyunhe_station"]["zh"] == "南运河路消防救援站"
    assert json.dumps(base)  # JSON-able


def test_pages_embed_the_cjk_glyphs(exercise, monkeypatch):
    import drillsim.report.fontembed as fontembed

    seen = []
    monkeypatch.setattr(fontembed, "font_face_css",
                        lambda text: seen.append(text) or "@font-face{/*cjk*/}")
    app = create_app(exercise, report=False)
    with TestClient(app) as c:
        page = c.get(f"/p/{exercise.codes[NANYUNHE]}").text
    assert "@font-face{/*cjk*/}" in page
    assert "南运河路消防救援站指挥员" in seen[0] and "三条石" in seen[0]  # role and drill names
    assert "第90百分位" in seen[0]  # a fork's measure (first arrival P90)
    assert "运输车" in seen[0]  # a unit type not on any page yet (the relief desk's trucks)


def test_play_command_refuses_a_used_folder_and_a_missing_exercise(exercise, tmp_path):
    from drillsim.errors import DrillsimError
    from drillsim.play.cli import play_command

    with pytest.raises(DrillsimError, match="already holds an exercise: resume it with "
                                            "drillsim play --resume"):
        play_command(DRILL, folder=exercise.folder, serve=False)
    with pytest.raises(DrillsimError, match="no exercise here"):
        play_command(None, resume=tmp_path / "empty", serve=False)
    resumed = play_command(None, resume=exercise.folder, serve=False)
    assert resumed.live.now == pytest.approx(exercise.live.now)


def test_cli_bad_drill_file_is_one_line_and_exit_2(tmp_path):
    from click.testing import CliRunner

    from drillsim.cli import main

    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    out = CliRunner().invoke(main, ["play", str(bad), "--folder", str(tmp_path / "ex")])
    assert out.exit_code == 2
    assert f"{bad}:1: start: missing required key 'start'" in out.output
    assert not (tmp_path / "ex").exists()


def test_running_clock_pushes_states_and_pauses(client, exercise):
    fac, ny, _ = codes(exercise)
    t0 = exercise.live.now
    with client.websocket_connect(f"/ws/{ny}") as ws:
        assert ws.receive_json()["state"]["t"] == t0
        r = client.post(f"/api/{fac}/clock", json={"action": "run", "speed": 300})
        assert r.status_code == 200 and r.json()["running"]
        pushed = ws.receive_json()["state"]  # the tick's push (or the run's own)
        while pushed["t"] == t0:
            pushed = ws.receive_json()["state"]
        assert pushed["t"] > t0 and pushed["clock_state"]["running"]
        assert client.post(f"/api/{fac}/clock", json={"action": "pause"}).json()["running"] \
            is False
    t1 = exercise.live.now
    assert client.get(f"/api/{fac}/state").json()["t"] == t1
    assert exercise.folder.joinpath("clock.json").read_text() == json.dumps({"t": t1})


def test_forms_offer_what_the_seat_can_decide_now(client, exercise):
    _, ny, _ = codes(exercise)
    client.post(f"/api/{ny}/decide", json={"kind": "hold_unit", "unit": "NY-E1"})
    forms = {f["kind"]: {fl["name"]: fl["choices"] for fl in f["fields"]}
             for f in client.get(f"/api/{ny}/state").json()["forms"]}
    assert set(forms) == {"send_unit", "hold_unit", "release_hold", "recall_unit", "move_up"}
    assert [c["value"] for c in forms["release_hold"]["unit"]] == ["NY-E1"]
    free = {u.id for u in exercise.live.drill.units.values()
            if u.station == "nanyunhe_station" and u.status == "available"}
    assert {c["value"] for c in forms["hold_unit"]["unit"]} == free
    assert "NY-E1" not in free


def test_chemical_state_has_zones_and_their_people(tmp_path):
    ex = Exercise.create(tmp_path / "chl", DRILL.with_name("chlorine-night.yaml"))
    ex.advance(1320.0)
    with TestClient(app_for(ex)) as c:
        plume = c.get(f"/api/{ex.codes['facilitator']}/state").json()["plume"]
    last = next(r for r in reversed(ex.live.drill.records) if r.event == "plume")
    assert [z["level"] for z in plume] == [1, 2, 3]
    for z in plume:
        assert len(z["outline"]) >= 3
        assert z["people"] == last.get(f"aegl{z['level']}_people")


def test_next_inject_at_the_start_delivers_the_start_inject(tmp_path):
    """Trial (night fire): I1 at +00:00 stayed "to come" at 02:00 and *Next inject* went
    on to 02:10, so the command centre first saw it ten minutes late."""
    ex = Exercise.create(tmp_path / "ex", DRILL)
    with TestClient(app_for(ex)) as c:
        fac, _, cc = codes(ex)
        r = c.post(f"/api/{fac}/clock", json={"action": "next_inject"})
        assert r.status_code == 200 and r.json()["t"] == pytest.approx(0.0, abs=1e-3)
        state = c.get(f"/api/{cc}/state").json()
        assert state["clock"] == "02:00" and [i["id"] for i in state["injects"]] == ["I1"]
        r = c.post(f"/api/{fac}/clock", json={"action": "next_inject"})
        assert r.json()["t"] == pytest.approx(600.0, abs=1e-3)  # then F1 at 02:10


def test_clock_at_the_end_says_so_and_only_finish_is_left(client, exercise):
    """Trial (night fire): at 05:00 the page said "paused" and Run, Next inject and Next
    decision point were offered but did nothing."""
    fac, _, _ = codes(exercise)
    exercise.advance(exercise.live.duration)
    for action in ("run", "next_inject", "next_decision_point"):
        r = client.post(f"/api/{fac}/clock", json={"action": action})
        assert r.status_code == 400 and "at its end" in r.json()["error"], action
    state = client.get(f"/api/{fac}/state").json()
    assert state["t"] >= state["duration"] and not state["clock_state"]["running"]
    # the page's buttons and words at the end: tests/browser/test_play.py


def test_roads_closed_list_follows_the_arcs_in_both_languages(tmp_path):
    """Trial (night fire): the command centre closed all of Xiqing Road after I1; I3
    reopened the 600 m near West Station; the map still drew the rest closed but the
    "Roads closed" line said none (and, before, said 西青道 on the English page)."""
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(600.0)
    ex.decide({"kind": "close_road", "road": "西青道", "role": "command_centre"})
    with TestClient(app_for(ex)) as c:
        fac, _, cc = codes(ex)
        before = c.get(f"/api/{fac}/state").json()["closures"][0]
        ex.advance(3600.0 + 1.0)  # I3: Xiqing Road reopened near West Station
        after = c.get(f"/api/{fac}/state").json()["closures"][0]
        forms = {f["kind"]: f for f in c.get(f"/api/{cc}/state").json()["forms"]}
    xiqing = [{"en": "Xiqing Road", "zh": "西青道"}]
    assert before["roads"] == xiqing
    assert after["lines"]  # the rest of the road is still closed on the map
    assert after["roads"] == xiqing
    reopen = forms["reopen_road"]["fields"][0]["choices"]
    assert [ch["value"] for ch in reopen] == ["西青道"]
    ex.decide({"kind": "reopen_road", "road": "西青道", "role": "command_centre"})
    assert snapshot(ex, None)["closures"][0] == {"lines": [], "roads": []}


def test_mutual_aid_units_are_shown_to_the_facilitator_and_command_centre(tmp_path):
    """Trial (night fire): two mutual-aid engines called to F1 were in the call's
    assignment but on no page's unit list (the snapshot listed the district's units)."""
    ex = Exercise.create(tmp_path / "ex", DRILL)
    ex.advance(720.0)
    ex.decide({"kind": "call_mutual_aid", "role": "command_centre", "incident": "F1",
               "count": 2})
    for role in (None, "command_centre"):
        aid = [u for u in snapshot(ex, role)["units"] if u["id"].startswith("MA-")]
        assert [(u["id"], u["status"], u["incident"], u["owner"]["en"]) for u in aid] == [
            ("MA-1", "committed", "F1", "mutual aid"), ("MA-2", "committed", "F1", "mutual aid")]
    assert not [u for u in snapshot(ex, NANYUNHE)["units"] if u["id"].startswith("MA-")]
