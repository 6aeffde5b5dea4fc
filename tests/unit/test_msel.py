"""The drill script (MSEL) and observed-versus-simulated comparison."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.errors import DrillsimError
from drillsim.metrics import injects
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.injects import inject_responses
from drillsim.report import text as tx
from drillsim.report.build import make_context
from drillsim.report.msel import MSEL_COLUMNS, msel_rows, msel_table, write_msel_csv
from drillsim.report.observed import compare, load_observed
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ctx():
    s = load_scenario(ROOT / "scenarios" / "night-compound-fire.yaml")
    return make_context(run_drill(s, world=load_world(s.network)), lang="en")


def test_msel_rows_in_time_order_with_simulated_actions(ctx, tmp_path):
    rows = msel_rows(ctx)
    assert [r.id for r in rows] == ["I1", "F1", "I2", "I3"]
    assert [r.number for r in rows] == [1, 2, 3, 4]
    f1 = next(r for r in rows if r.id == "F1")
    first_dispatch = min(r.t for r in ctx.records if r.event == "dispatch" and r.incident == "F1")
    assert f1.sim_t == first_dispatch
    back = next(r for r in rows if r.id == "I2")
    assert back.sim_t == next(r.t for r in ctx.records if r.event == "in_service")
    road = next(r for r in rows if r.id == "I1")
    reroutes = [r.t for r in ctx.records if r.event == "reroute"]
    assert (road.sim_t == reroutes[0]) if reroutes else math.isnan(road.sim_t)
    out = tmp_path / "msel.csv"
    write_msel_csv(ctx, out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == MSEL_COLUMNS
    assert table[0]["clock_time"] == "02:00:00" and table[0]["to"] == "command centre"
    assert table[1]["simulated_action_time"].startswith("+00:")


def test_inject_responses_are_data_the_msel_words(ctx):
    answers = {a.id: a for a in inject_responses(ctx.result)}
    f1 = answers["F1"]
    sent = sorted({r.unit for r in ctx.records if r.event == "dispatch" and r.incident == "F1"
                   and r.t == f1.sim_t})
    assert (f1.kind, f1.outcome, f1.event, f1.incident) == ("incident", "done", "dispatch", "F1")
    assert list(f1.units) == sent
    call = next(r.t for r in ctx.records if r.event == "call" and r.incident == "F1")
    assert f1.values["call_t"] == call
    row = next(r for r in msel_rows(ctx) if r.id == "F1")
    assert row.sim_t == f1.sim_t and row.sim_what.endswith(", ".join(sent))
    back = answers["I2"]
    assert back.event == "in_service" and back.subject in row_text(ctx, "I2")


def row_text(ctx, inject_id: str) -> str:
    return next(r.sim_what for r in msel_rows(ctx) if r.id == inject_id)


def test_every_metric_names_the_records_it_measures():
    assert set(injects.METRIC_EVENT) == set(METRICS)


@pytest.fixture(scope="module")
def rainstorm_with_notes():
    """The night rainstorm with note injects on its rescue and relief objectives."""
    from drillsim.scenarios.schema import Note

    s = load_scenario(ROOT / "scenarios" / "rainstorm-50y-night.yaml")
    notes = [Note(id="N1", at=14000.0, kind="note", objective="O2", text="rescue calls"),
             Note(id="N2", at=0.0, kind="note", objective="O1", text="relief"),
             Note(id="N3", at=0.0, kind="note", objective="none", text="no objective")]
    s = s.model_copy(update={"injects": [*s.injects, *notes]})
    return make_context(run_drill(s, world=load_world(s.network)), lang="en")


def test_note_inject_names_the_record_its_metric_measures(rainstorm_with_notes):
    ctx = rainstorm_with_notes
    kinds = {i.id: i.kind for i in ctx.result.incidents}
    answers = {a.id: a for a in inject_responses(ctx.result)}
    rows = {r.id: r for r in msel_rows(ctx)}
    # rescue_first_arrival_p90: an arrival at a rescue call, not a pump crew at a point
    t = answers["N1"].at
    first = next(r for r in ctx.records if r.event == "arrive" and r.t >= t)
    assert "pump_crew" in first.unit  # what the MSEL used to name
    rescues = [r for r in ctx.records if r.event == "arrive"
               and kinds.get(r.incident) == "flood_rescue"]
    after = [r for r in rescues if r.t >= t]
    rescue = after[0] if after else [r for r in rescues if r.t < t][0]  # already: the first
    n1 = answers["N1"]
    assert (n1.sim_t, n1.event, n1.unit, n1.incident) == (rescue.t, "arrive", rescue.unit,
                                                          rescue.incident)
    assert n1.outcome == ("done" if after else "already")
    # a plain sentence: who did what where (the time stands beside it)
    assert (f"{ctx.unit_label(rescue.unit)} arrived at {ctx.incident_short(rescue.incident)}"
            in rows["N1"].sim_what)
    relieved = next(r for r in ctx.records if r.event == "relieved")
    assert answers["N2"].sim_t == relieved.t and rows["N2"].sim_what == (
        f"{tx.count(relieved.get('people'))} people at {ctx.place_name(relieved.place)} "
        "received their basic-needs ration")
    assert answers["N3"].outcome == "no_objective" and math.isnan(rows["N3"].sim_t)


def test_note_on_a_metric_no_record_measures_says_so(rainstorm_with_notes, monkeypatch):
    monkeypatch.setitem(injects.METRIC_EVENT, "rescue_first_arrival_p90", None)
    ctx = rainstorm_with_notes
    row = next(r for r in msel_rows(ctx) if r.id == "N1")
    assert math.isnan(row.sim_t) and row.sim_what.startswith(
        "nothing in the records corresponds")
    zh = make_context(ctx.result, lang="zh", world=ctx.world)
    assert next(r for r in msel_rows(zh) if r.id == "N1").sim_what.startswith("记录中没有对应")


def test_note_nothing_in_the_records_corresponds(rainstorm_with_notes, monkeypatch):
    """A note whose objective's records never occur (here: a leak stopped, in a rainstorm)
    says that nothing in the records corresponds, in both languages."""
    monkeypatch.setitem(injects.METRIC_EVENT, "rescue_first_arrival_p90",
                        injects.Measured("source_control"))
    ctx = rainstorm_with_notes
    assert not any(r.event == "source_control" for r in ctx.records)
    for lang, text in (("en", "nothing in the records corresponds"),
                       ("zh", "记录中没有对应的行动")):
        c = make_context(ctx.result, lang=lang, world=ctx.world)
        row = next(r for r in msel_rows(c) if r.id == "N1")
        assert math.isnan(row.sim_t) and row.sim_what == text


def _write(tmp_path, text: str) -> Path:
    p = tmp_path / "observed.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_observed_rows_are_matched_and_late_ones_flagged(ctx, tmp_path):
    first_arrival = min(r.t for r in ctx.records if r.event == "arrive" and r.incident == "F1")
    m, s = divmod(int(first_arrival) + 400, 60)  # 6.7 min late
    path = _write(tmp_path, "time,actor,action,incident,inject,note\n"
                  f"+00:{m:02d}:{s:02d},NY-E2,arrive,F1,,engine on scene\n"
                  "+00:11:50,nanyunhe_station,dispatch,F1,,\n"
                  "+00:20,command centre,mutual_aid_request,F1,,asked for help\n")
    rows = load_observed(ctx, path)
    comps = compare(ctx, rows, late_after=120)
    by_action = {c.row.action: c for c in comps if c.row}
    assert by_action["arrive"].status == "late"
    assert by_action["arrive"].delta == pytest.approx(
        rows[0].t - next(r.t for r in ctx.records if r.event == "arrive" and r.unit == "NY-E2"))
    assert by_action["dispatch"].status == "on_time"
    assert by_action["mutual_aid_request"].status == "not_simulated"
    missing = {c.sim_what for c in comps if c.status == "not_observed"}
    assert "control F1" in missing and "clear F1" in missing


def test_bad_observed_rows_name_file_line_and_column(ctx, tmp_path):
    path = _write(tmp_path, "time,actor,action,incident\n"
                  "+00:10,NY-E2,arive,F1\n"
                  "25:99,NY-E2,arrive,F9\n"
                  ",,,\n")
    with pytest.raises(DrillsimError) as exc:
        load_observed(ctx, path)
    lines = exc.value.lines()
    assert any(line.startswith(f"{path}:2: action:") and "'arrive'" in line for line in lines)
    assert any(line.startswith(f"{path}:3: time:") for line in lines)
    assert any(line.startswith(f"{path}:3: incident:") for line in lines)
    bad_header = _write(tmp_path, "when,who,what\n+00:10,a,b\n")
    with pytest.raises(DrillsimError, match=r":1: header: missing column"):
        load_observed(ctx, bad_header)


def test_cli_report_and_msel(tmp_path):
    from click.testing import CliRunner

    from drillsim.cli import main

    runner = CliRunner()
    drill = ROOT / "scenarios" / "night-compound-fire.yaml"
    out = tmp_path / "run"
    res = runner.invoke(main, ["run", str(drill), "--out", str(out), "--report", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert (out / "report.en.html").is_file() and (out / "report.en.md").is_file()
    obs = _write(tmp_path, "time,actor,action\n+00:10,NY-E2,dispatsh\n")
    res = runner.invoke(main, ["report", str(out), "--lang", "en", "--observed", str(obs)])
    assert res.exit_code == 2 and f"{obs}:2: action:" in res.output
    res = runner.invoke(main, ["msel", str(out), "--out", str(tmp_path / "m.csv")])
    assert res.exit_code == 0 and (tmp_path / "m.csv").is_file()


@pytest.fixture(scope="module")
def night_rain():
    s = load_scenario(ROOT / "scenarios" / "rainstorm-50y-night.yaml")
    return run_drill(s, world=load_world(s.network))


def test_restored_pump_station_and_stock_change_say_what_happened(night_rain):
    restored = next(a for a in inject_responses(night_rain) if a.kind == "pump_station_restored")
    rec = next(r for r in night_rain.records if r.event == "pump_station_restored")
    assert (restored.sim_t, restored.values["drain_m3_s"]) == (rec.t, rec.get("drain_m3_s"))
    for lang in ("en", "zh"):
        c = make_context(night_rain, lang=lang)
        rows = {r.kind: r for r in msel_rows(c)}
        assert rows["pump_station_restored"].sim_what == c.say(
            "msel.station_restored", point=c.point_name(restored.subject),
            drain=f"{rec.get('drain_m3_s'):.2f}")
        stock = rows["stock_change"].sim_what
        assert "_" not in stock, stock  # depots and shelters by name, never by id


# ------------------------------------------------------------------ issue 10: what the MSEL says


def _run(name: str):
    s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    return run_drill(s, world=load_world(s.network))


@pytest.fixture(scope="module")
def warehouse():
    return _run("warehouse-escalation")


@pytest.fixture(scope="module")
def flood_fire():
    return _run("flood-and-fire")


def test_note_cites_its_own_incident_and_says_already_with_the_time(warehouse):
    """I1 (W1's commander asks for more engines at +00:20) cites W1's first escalation
    before it (the time in the cell) and every later one, never a background call's."""
    a = next(a for a in inject_responses(warehouse) if a.id == "I1")
    before = [r for r in warehouse.records if r.event == "escalate" and r.incident == "W1"
              and r.t < a.at]
    after = [r for r in warehouse.records if r.event == "escalate" and r.incident == "W1"
             and r.t >= a.at]
    assert len(before) >= 2 and not after  # the run this test is about
    assert (a.outcome, a.incident, a.sim_t) == ("already", "W1", before[0].t)
    first = before[0].get("alarm")
    for lang, text in (
            ("en", f"already before the inject: the incident commander at W1 called alarm "
                   f"{first}" + "".join(f"; then at {tx.offset(r.t)} the incident commander "
                                        f"at W1 called alarm {r.get('alarm')}"
                                        for r in before[1:])),
            ("zh", f"注入前已发生：W1现场指挥员提升至第{first}级调派" + "".join(
                f"；随后于{tx.offset(r.t)}，W1现场指挥员提升至第{r.get('alarm')}级调派"
                for r in before[1:]))):
        c = make_context(warehouse, lang=lang)
        row = next(r for r in msel_rows(c) if r.id == "I1")
        assert row.sim_what == text
        cell = msel_table(c, msel_rows(c)).rows[row.number - 1][-1]
        assert cell.startswith(tx.offset(before[0].t))


def test_note_on_closed_underpasses_answers_with_the_trips_that_met_them(flood_fire):
    """I1 (underpasses closed, ``points`` named): the trips it weighs are exactly the
    fire-station units sent from quarters to a call while a named underpass was closed to fire
    engines (its ``road_state`` records); none was routed around them, so no re-route is
    cited as theirs (the periodic road-state update writes ``reroute`` records that do not
    say why the unit turned: test_report_fire_review5 says what did). Without the world,
    the note falls back to its objective's records."""
    world = load_world(flood_fire.scenario.network)
    a = next(a for a in inject_responses(flood_fire, world) if a.id == "I1")
    points = set(a.spec.points)
    closed: list[tuple[float, float]] = []
    since: dict[str, float] = {}
    for r in flood_fire.records:
        if r.event == "road_state" and r.place in points:
            shut = r.data["factors"]["fire_engine"] == 0
            if shut:
                since.setdefault(r.place, r.t)
            elif r.place in since:
                closed.append((since.pop(r.place), r.t))
    closed += [(t, math.inf) for t in since.values()]
    trips = set()
    stations = {st.id for st in flood_fire.scenario.forces.stations}
    station_units = {u.id for u in flood_fire.units if u.station in stations}
    sent: dict[str, tuple[str, float]] = {}
    for r in flood_fire.records:
        if r.event == "dispatch" and r.incident and r.unit in station_units:
            sent[r.unit] = (r.incident, r.t)
        elif r.event == "enroute" and r.get("from_quarters") and r.unit in sent:
            inc, t = sent[r.unit]
            end = next((x.t for x in flood_fire.records if x.event == "arrive"
                        and x.unit == r.unit and x.t >= t), math.inf)
            if any(t0 < end and t1 > t for t0, t1 in closed):
                trips.add((r.unit, inc))
    assert {(p.unit, p.incident) for p in a.passages} == trips and trips
    assert a.outcome == "none" and not any(p.detoured for p in a.passages)
    assert next(x for x in inject_responses(flood_fire) if x.id == "I1").event == "arrive"


@pytest.fixture(scope="module")
def highrise():
    return _run("highrise-evening")


def test_surge_says_which_stations_kept_no_engine(highrise):
    """highrise I1 ("keep one engine per station in reserve"): F1 took both staffed Dingzigu
    engines (DZ-E3 is unstaffed) and I2 both Benxi engines; the answer names those
    stations and when they had no engine in quarters."""
    a = next(a for a in inject_responses(highrise) if a.id == "I1")
    sent = {r.unit: r.t for r in reversed(highrise.records) if r.event == "dispatch"}
    home = {}
    for r in highrise.records:
        if r.event == "quarters" and r.unit in ("DZ-E1", "DZ-E2") and r.t > sent["DZ-E1"]:
            home.setdefault(r.unit, r.t)
    dz = a.empty[0]
    assert (dz.station, dz.units, dz.start) == ("dingzigu_station", ("DZ-E1", "DZ-E2"),
                                                max(sent["DZ-E1"], sent["DZ-E2"]))
    assert dz.end == min(home.values())  # the first engine back in quarters ends it
    assert "benxi_station" in {e.station for e in a.empty}
    for lang, text in (  # its first spell; its others follow before the units
            ("en", f"Dingzigu Fire Rescue Station {tx.offset(dz.start)} to "
                   f"{tx.offset(dz.end)}"),
            ("zh", f"丁字沽消防救援站{tx.offset(dz.start)}至{tx.offset(dz.end)}")):
        c = make_context(highrise, lang=lang)
        what = next(r.sim_what for r in msel_rows(c) if r.id == "I1")
        assert text in what and c.say("msel.no_call_waited") in what


def test_surge_states_the_order_waiting_calls_were_served_in(warehouse):
    """warehouse I2 ("prioritise by risk"): the calls that waited during the surge or in
    the backlog it left (queued while one of them still waited: BG010, BG011), in the
    order a unit was sent to them, with what each call was."""
    a = next(a for a in inject_responses(warehouse) if a.id == "I2")
    end = a.at + a.spec.lasting
    first_q, first_sent = {}, {}
    for r in warehouse.records:
        if r.event == "queued":
            first_q.setdefault(r.incident, r.t)
    for r in warehouse.records:
        if r.event == "dispatch" and r.incident in first_q and r.t >= first_q[r.incident]:
            first_sent.setdefault(r.incident, r.t)
    waited: set[str] = set()
    for i, q in sorted(first_q.items(), key=lambda kv: kv[1]):
        sent = first_sent.get(i, math.inf)
        if q < a.at < sent or a.at <= q <= end or (
                q > end and any(first_sent.get(w, math.inf) > q for w in waited)):
            waited.add(i)
    assert {"BG010", "BG011"} <= waited and max(first_q[i] for i in waited) > end
    assert [s.incident for s in a.served] == sorted(waited, key=lambda i: (first_sent[i], next(
        r.t for r in warehouse.records if r.event == "queued" and r.incident == i)))
    s0 = a.served[0]  # dispatch by risk: the dwelling fire before the alarm calls
    assert next(r.get("type") for r in warehouse.records
                if r.event == "call" and r.incident == s0.incident) == "dwelling"
    for lang, text in (("en", f"got their first unit in this order: {s0.incident} (dwelling fire): "
                              f"{tx.offset(s0.dispatched)}, "),
                       ("zh", f"按以下顺序获派首个单位：{s0.incident}（住宅火灾）："
                              f"{tx.offset(s0.dispatched)}，")):
        c = make_context(warehouse, lang=lang)
        assert text in next(r.sim_what for r in msel_rows(c) if r.id == "I2")


def test_incident_cell_states_call_then_dispatch(warehouse):
    call = next(r.t for r in warehouse.records if r.event == "call" and r.incident == "W1")
    sent = next(r.t for r in warehouse.records if r.event == "dispatch" and r.incident == "W1")
    for lang, text in (("en", f"call {tx.offset(call)}; first dispatch {tx.offset(sent)}: "),
                       ("zh", f"接警{tx.offset(call)}；首次出动{tx.offset(sent)}：")):
        c = make_context(warehouse, lang=lang)
        rows = msel_rows(c)
        row = next(r for r in rows if r.id == "W1")
        assert msel_table(c, rows).rows[row.number - 1][-1].startswith(text)


def test_pump_after_the_restoration_and_stock_change_are_said(night_rain):
    """Night rainstorm: the first pump reached the failed station only after it was back;
    the stock-change inject cites the stock change and the 07:00 replenishment."""
    back = next(r.t for r in night_rain.records if r.event == "pump_station_restored")
    pump = next(r for r in night_rain.records if r.event == "dispatch"
                and r.get("task") == "pump" and r.place == "tianping_underpass")
    assert pump.t > back  # the run this test is about
    change = next(r for r in night_rain.records if r.event == "stock_change")
    refill = next(r.t for r in night_rain.records if r.event == "replenish"
                  and r.place == change.place and r.t >= change.t)
    for lang in ("en", "zh"):
        c = make_context(night_rain, lang=lang)
        rows = {r.id: r for r in msel_rows(c)}
        late = c.say("msel.pump_after_restored", offset=tx.offset(back))
        assert rows["I1"].sim_what == c.say("msel.pump_sent", unit=c.unit_label(pump.unit),
                                            point=c.point_name("tianping_underpass")) + late
        assert rows["I1"].sim_t == pump.t
        stock = rows["I2"].sim_what
        assert rows["I2"].sim_t == change.t and tx.offset(refill) in stock
        items = tx.quantities(change.data["items"], lang)
        assert items in stock and "DRD" not in stock
        assert lang == "en" or ", " not in stock  # Chinese punctuation
    en, zh = make_context(night_rain, lang="en"), make_context(night_rain, lang="zh")
    assert en.unit_label("DRD-T1") == "District Relief-Material Depot, truck 1"
    assert zh.unit_label("DRD-T1") == "区救灾物资储备库运输车1"


@pytest.mark.slow  # renders three chemical drills' reports
@pytest.mark.parametrize("name, release", [("chlorine-night", "CL1"),
                                           ("ammonia-liquor-group", "NH1"),
                                           ("chlorine-day-wind-shift", "CL2")])
def test_chemical_release_is_a_scripted_incident_of_the_script(reports, name, release):
    """The drill file's ``chemical: at:`` is scripted: the inject time line and the MSEL
    list it (with its call and first hazmat dispatch), never "no injects" beside HZ-…
    (issue 10, third review item 2)."""
    from drillsim.report import render_markdown

    ctx, rep = reports[name, "en"]
    spec = ctx.scenario.chemical
    call = next(r.t for r in ctx.records if r.event == "call" and r.incident == f"HZ-{release}")
    sent = next(r.t for r in ctx.records if r.event == "dispatch"
                and r.incident == f"HZ-{release}")
    for lang, kind, said in (
            ("en", "chemical release", f"call {tx.offset(call)}; first dispatch "
                                       f"{tx.offset(sent)}: "),
            ("zh", "危化品泄漏", f"接警{tx.offset(call)}；首次出动{tx.offset(sent)}：")):
        ctx, rep = reports[name, lang]
        row = next(r for r in rep.injects.rows if r[3].startswith(release))
        assert row[1] == tx.offset(spec.at) and kind in row[3]
        assert f"{spec.release.rate_kg_min:g}" in row[4]
        m = next(r for r in msel_table(ctx, msel_rows(ctx)).rows if r[3].startswith(release))
        assert m[-1].startswith(said)
        assert ctx.say("no_injects") not in render_markdown(rep)
