"""The debrief of a played exercise: decisions against the injects' expected actions (on
time, late, missing) and what they changed against the default policy, in the metrics and
in the report's section, in both languages."""

from __future__ import annotations

import dataclasses
import json
import math
import re
from pathlib import Path

import pytest
import yaml

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.decisions import debrief, decision_effect, inject_answers
from drillsim.records.record import Record
from drillsim.records.run_folder import read_run, read_summary
from drillsim.report import text as tx
from drillsim.report.build import build_report, make_context
from drillsim.report.render import render_html, render_markdown

ROOT = Path(__file__).resolve().parents[2]
FIRE = ROOT / "scenarios" / "night-compound-fire.yaml"


def _fire_with_three_asks(tmp: Path) -> Path:
    """night-compound-fire with expected actions on I2 (to the Nanyunhe Road station) and
    I3 (to the command centre, answered within 5 min): three injects to answer."""
    d = yaml.safe_load(FIRE.read_text(encoding="utf-8"))
    i2, i3 = d["injects"][1], d["injects"][2]
    i2 |= {"expected_action": "Put NY-E1 back on the run card.",
           "expected_action_zh": "将NY-E1重新列入出动序列。"}
    i3 |= {"deliver_to": "command centre", "deliver_to_zh": "指挥中心",
           "expected_action": "Tell the stations the road is open.",
           "expected_action_zh": "通知各站道路已恢复通行。", "respond_within": "5 min"}
    path = tmp / "fire3.yaml"
    path.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def played(tmp_path_factory):
    """One played exercise (finished) and its reports in both languages (no figures).

    Decisions: the command centre holds NY-E2 (the nearest engine to F1) at +00:10:20 and
    releases it at +00:30; it answers I1 (+00:00, window 10 min) at +00:11:40: late; the
    Dingzigu officer sends DZ-E1 to F1 on his own initiative; nobody answers I2 (to the
    Nanyunhe Road station): missing; the command centre answers I3 (+01:00, window 5 min)
    at +01:02: on time.
    """
    from drillsim.play.exercise import Exercise

    tmp = tmp_path_factory.mktemp("debrief")
    folder = tmp / "exercise"
    ex = Exercise.create(folder, _fire_with_three_asks(tmp))
    ex.advance(620)
    ex.decide({"kind": "hold_unit", "role": "command_centre", "unit": "NY-E2"})
    ex.advance(700)
    ex.decide({"kind": "close_road", "role": "command_centre", "road": "西青道",
               "inject": "I1"})
    ex.decide({"kind": "send_unit", "role": "station:dingzigu_station", "unit": "DZ-E1",
               "incident": "F1"})
    ex.advance(1800)
    ex.decide({"kind": "release_hold", "role": "command_centre", "unit": "NY-E2"})
    ex.advance(3720)
    ex.decide({"kind": "reopen_road", "role": "command_centre", "road": "西青道",
               "inject": "I3"})
    result = ex.finish()
    reports = {}
    for lang in ("en", "zh"):
        ctx = make_context(result, lang=lang, world=ex.opened.world, run_dir=folder)
        rep = build_report(ctx, figures=False)
        reports[lang] = (rep, render_markdown(rep), render_html(rep, embed_font=False))
    return folder, result, reports


def _section_md(md: str, title: str) -> str:
    """The Markdown of the section headed ``## N. title`` (to the next ``## ``)."""
    m = re.search(rf"^## \d+\. {re.escape(title)}\n(.*?)(?=^## )", md, re.S | re.M)
    assert m is not None, title
    return m.group(1)


def _rows(section: str) -> list[list[str]]:
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| ") and "---" not in line]


def test_finish_writes_the_default_run(played):
    folder, result, _ = played
    default = read_run(folder / "default")
    assert default.seed == result.seed
    assert not [r for r in default.records if r.event == "decision"]
    assert len([r for r in result.records if r.event == "decision"]) == 5


def test_answers_on_time_late_missing(played):
    _, result, _ = played
    got = {(a.inject, a.role): (a.answer, a.seq, a.t) for a in inject_answers(result)}
    assert got == {("I1", "command_centre"): ("late", 2, 700.0),
                   ("I2", "station:nanyunhe_station"): ("missing", 0, got[
                       ("I2", "station:nanyunhe_station")][2]),
                   ("I3", "command_centre"): ("on_time", 5, 3720.0)}
    assert math.isnan(got[("I2", "station:nanyunhe_station")][2])
    verdicts = {d.seq: d.verdict for d in debrief(result).decisions}
    assert verdicts == {1: "own_initiative", 2: "late", 3: "own_initiative",
                        4: "own_initiative", 5: "on_time"}


def test_the_window_is_the_injects_respond_within(played):
    """I1 answered at +00:11:40 is late against 10 min and on time against 15 min."""
    _, result, _ = played
    s = result.scenario
    wider = s.model_copy(update={"injects": [
        s.injects[0].model_copy(update={"respond_within": 900.0}), *s.injects[1:]]})
    answers = inject_answers(dataclasses.replace(result, scenario=wider))
    assert answers[0].inject == "I1" and answers[0].answer == "on_time"


def test_a_decision_before_the_inject_is_on_time_and_another_roles_is_not_an_answer(played):
    _, result, _ = played
    recs = tuple(r for r in result.records if r.event != "decision") + (
        Record(3500.0, "decision", data={"seq": 1, "role": "command_centre",
                                         "decision": "open_shelters", "target": "",
                                         "inject": "I3"}),
        Record(3500.0, "decision", data={"seq": 2, "role": "relief_desk",
                                         "decision": "open_shelters", "target": "",
                                         "inject": "I2"}))
    d = debrief(dataclasses.replace(result, records=recs))
    got = {(a.inject, a.role): a.answer for a in d.answers}
    assert got == {("I1", "command_centre"): "missing",
                   ("I2", "station:nanyunhe_station"): "missing",
                   ("I3", "command_centre"): "on_time"}
    assert [x.verdict for x in d.decisions] == ["on_time", "not_asked"]


def test_answers_in_both_languages(played):
    _, _, reports = played
    words = {"en": ("Debrief: the players' decisions", "on time", "late", "missing"),
             "zh": ("复盘：参演人员的决策", "按时", "超时", "缺失")}
    for lang, (title, on_time, late, missing) in words.items():
        rows = _rows(_section_md(reports[lang][1], title))
        answer = {r[2].split(" ")[0]: r[4] for r in rows if len(r) == 5 and r[2][:1] == "I"}
        assert answer["I1"].startswith(late)
        assert answer["I2"].startswith(missing)
        assert answer["I3"].startswith(on_time)
        i1 = tx.minutes(700.0, lang)
        assert i1 in answer["I1"] and tx.minutes(600.0, lang) in answer["I1"]
        assert tx.minutes(120.0, lang) in answer["I3"]


def test_the_changes_table_says_what_the_summaries_hold(played):
    """Each row's numbers are the two summary.json values in the report's format, the
    change and better/worse compare's; holding the nearest engine made first arrival
    worse, and the table says so in both languages."""
    folder, _, reports = played
    base, now = read_summary(folder / "default"), read_summary(folder)
    eff = decision_effect(base, now)
    assert eff.metrics[0].name == "first_arrival_p50"
    assert now["metrics"]["first_arrival_p50"] > base["metrics"]["first_arrival_p50"]
    for lang, title, worse in (("en", "Debrief: the players' decisions", "worse"),
                               ("zh", "复盘：参演人员的决策", "变差")):
        rows = {r[0]: r for r in _rows(_section_md(reports[lang][1], title)) if len(r) == 5}
        for m in eff.metrics:
            info = METRICS[m.name]
            name = info.zh if lang == "zh" else info.en
            assert rows[name][1] == tx.value(base["metrics"][m.name], info.unit, lang)
            assert rows[name][2] == tx.value(now["metrics"][m.name], info.unit, lang)
        first = METRICS["first_arrival_p50"]
        assert rows[first.zh if lang == "zh" else first.en][4] == worse


def test_the_largest_change_sentence_uses_the_tables_numbers(played):
    folder, _, reports = played
    eff = decision_effect(read_summary(folder / "default"), read_summary(folder))
    m = eff.largest
    assert m is not None and m.name in ("first_arrival_p50", "first_arrival_p90")
    rep = reports["en"][0]
    unit = METRICS[m.name].unit
    sentence = next(p for p in rep.debrief.paragraphs if p.startswith("The largest change"))
    assert tx.value(m.values[0], unit, "en") in sentence
    assert tx.value(m.values[1], unit, "en") in sentence
    assert METRICS[m.name].en in sentence and "worse" in sentence


def test_the_section_comes_after_the_objectives(played):
    _, _, reports = played
    md, html = reports["en"][1], reports["en"][2]
    heads = re.findall(r"^## \d+\. (.*)$", md, re.M)
    assert heads[heads.index("Objectives and ratings") + 1] == "Debrief: the players' decisions"
    assert '<section id="debrief">' in html and 'href="#debrief"' in html


def test_the_chinese_section_holds_no_internal_id(played):
    _, _, reports = played
    text = _section_md(reports["zh"][1], "复盘：参演人员的决策")
    for bad in ("send_unit", "hold_unit", "close_road", "command_centre", "station:",
                "_station", "respond_within", "default/"):
        assert bad not in text
    ascii_words = set(re.findall(r"[A-Za-z][A-Za-z0-9-]*", text))
    assert ascii_words <= {"NY-E1", "NY-E2", "DZ-E1", "F1", "I1", "I2", "I3", "MW"}, ascii_words


def test_an_ordinary_run_has_no_debrief(played):
    folder, _, _ = played
    result = read_run(folder / "default")
    rep = build_report(make_context(result, lang="en", run_dir=folder / "default"),
                       figures=False)
    assert rep.debrief is None
    md = render_markdown(rep)
    assert "Debrief" not in md and 'id="debrief"' not in render_html(rep, embed_font=False)


def test_a_played_folder_without_its_default_run_says_so(played, tmp_path):
    folder, result, _ = played
    ctx = make_context(result, lang="en", run_dir=tmp_path)
    rep = build_report(ctx, figures=False)
    assert rep.debrief is not None and len(rep.debrief.tables) == 3  # the three roles'
    assert any("no run of the default policy" in p for p in rep.debrief.paragraphs)
    assert json.loads((folder / "summary.json").read_text())["seed"] == result.seed


def test_every_decision_kind_is_worded_without_ids_in_chinese(played):
    """Each kind a seat can take has its words; in Chinese the decision names units,
    incidents, roads, depots and teams, never a kind or field id."""
    from drillsim.metrics.decisions import DecisionRow
    from drillsim.report.debrief import _DO, decision_text
    from drillsim.scenarios.roles import roles_for

    _, result, _ = played
    kinds = set().union(*(r.kinds for r in roles_for(result.scenario)))
    assert set(_DO) >= kinds
    ctx = make_context(result, lang="zh")
    s = result.scenario
    targets = {"send_unit": "XZ-E1", "close_road": "西青道", "reopen_road": "西青道",
               "send_truck": s.forces.depots[0].id, "mobilise_team": s.forces.teams[0].id,
               "protective_action": "", "open_shelters": ""}
    for kind in _DO:
        row = DecisionRow(1, 0.0, "command_centre", kind, targets.get(kind, "XZ-E1"), "",
                          "F1" if kind in ("send_unit", "recall_unit", "call_mutual_aid")
                          else "", "XZ-E1" if kind in ("send_unit", "hold_unit",
                                                        "release_hold", "recall_unit",
                                                        "move_up") else "")
        text = decision_text(ctx, row)
        assert not re.search(r"[a-z]{3,}|_", text), (kind, text)
    assert decision_text(ctx, DecisionRow(1, 0.0, "command_centre", "send_unit", "XZ-E1",
                                          "", "F1", "XZ-E1")) == "派XZ-E1前往F1"


def test_move_up_names_the_station_and_no_expected_action_is_said(tmp_path):
    """Trial (night fire): the command centre moved DZ-E1 up to cover Nanyunhe Road and,
    when NY-E1 was back, sent it home; the debrief said "moved DZ-E1 up to cover another
    station" both times. Its decision naming I3 (no expected action, delivered to it) was
    called "not asked (already answered, or not delivered to it)": neither was true."""
    from drillsim.play.exercise import Exercise
    from drillsim.report.debrief import debrief_section

    drill = Path(__file__).parents[2] / "scenarios" / "night-compound-fire.yaml"
    ex = Exercise.create(tmp_path / "ex", drill)
    ex.advance(720.0)
    ex.decide({"kind": "move_up", "role": "command_centre", "unit": "DZ-E1",
               "station": "nanyunhe_station"})
    ex.advance(2760.0)
    ex.decide({"kind": "move_up", "role": "command_centre", "unit": "DZ-E1",
               "station": "dingzigu_station"})
    ex.advance(3660.0)
    ex.decide({"kind": "hold_unit", "role": "command_centre", "unit": "BX-E2",
               "inject": "I3"})
    result = ex.finish()
    words = {"en": ("moved DZ-E1 up to cover Nanyunhe Road Fire Rescue Station",
                    "sent DZ-E1 back to its own station, Dingzigu Fire Rescue Station",
                    "the inject asks no action of the players"),
             "zh": ("调DZ-E1移防至南运河路消防救援站补位", "令DZ-E1返回本站（丁字沽消防救援站）",
                    "该注入未设预期行动，无需应答")}
    for lang, (away, home, no_ask) in words.items():
        section = debrief_section(make_context(result, lang=lang, run_dir=ex.folder))
        rows = {row[1]: row[4] for row in section.tables[0].rows}
        assert away in rows and home in rows, (lang, list(rows))
        hold = next(r for r in rows if "BX-E2" in r)
        assert rows[hold].startswith(no_ask), lang
