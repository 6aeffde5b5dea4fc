"""The report fits the drill: hazards and sections follow what the drill contains, the
fire-station standards count only the calls they were written for, a failed critical
objective caps the score and is stated first, and an outage is blamed only when the
out unit would have been first on scene.

For a fire-only, a flood-only, a chemical-only and a compound ready drill, in English
and Chinese, the hazards line and the section headings are exactly those of the parts
the drill contains; a fire-only report carries none of the rainstorm, relief, warning
or team wording (read from the wording YAML) and no "not measured" cell.
"""

from __future__ import annotations

import html
import math
import re
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.metrics.evaluation import ObjectiveResult, failed_critical
from drillsim.metrics.response import fire_station_turnouts, five_minute_cases
from drillsim.metrics.roads import outage_effect
from drillsim.metrics.standards import FIVE_MINUTE, NFPA_TRAVEL, NFPA_TURNOUT
from drillsim.metrics.summary import summarize
from drillsim.report import build_report, make_context, render_html, render_markdown
from drillsim.report import text as tx
from drillsim.report.ratings import CRITICAL_CAP, grade, mean_score, overall, rate
from drillsim.report.wording import catalogue, say
from drillsim.scenarios.loader import load_scenario
from drillsim.scenarios.schema import Objective

# Renders every ready drill's report in both languages: under the slow marker, which
# .ci/run runs after the README's fast suite.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRILLS = ["highrise-evening", "rainstorm-50y-afternoon", "chlorine-night", "flood-and-fire",
          "night-compound-fire", "ammonia-liquor-group"]
LANGS = ("en", "zh")

# drill -> (hazard wording keys, section keys), what the drill file contains
EXPECTED = {
    "highrise-evening": (["hazard.fire"], ["fire"]),
    "rainstorm-50y-afternoon": (["hazard.rainstorm"], ["fire", "flood", "relief", "warning"]),
    "chlorine-night": (["hazard.chemical"], ["chemical", "fire", "relief", "warning"]),
    "flood-and-fire": (["hazard.fire", "hazard.rainstorm"],
                       ["fire", "flood", "relief", "warning"]),
}
SECTION_TITLE = {"fire": "fire.section_title", "flood": "flood.section_flood",
                 "relief": "flood.section_relief", "warning": "flood.section_warning",
                 "chemical": "chem.section"}


@pytest.fixture(scope="module")
def runs():
    world = load_world("default")
    out = {}
    for name in DRILLS:
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        result = run_drill(s, world=world)
        summary = summarize(result)
        reports = {lang: build_report(make_context(result, lang=lang, world=world,
                                                   summary=summary), figures=False)
                   for lang in LANGS}
        out[name] = (result, summary, reports)
    return out


def page_text(rep) -> str:
    """What the reader sees: the HTML page's text (tags dropped) and the Markdown."""
    page = render_html(rep, embed_font=False)
    page = re.sub(r"<style.*?</style>|<script.*?</script>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page)) + "\n" + render_markdown(rep)


def _fragments(template: str, lang: str) -> list[str]:
    """The literal pieces of a wording template long enough to be the part's own words."""
    pieces = re.split(r"\{[^}]*\}", template)
    least = 2 if lang == "zh" else 6
    return [p.strip(" :：,，;；()（）.、") for p in pieces
            if len(p.strip(" :：,，;；()（）.、")) >= least]


def flood_part_words(lang: str) -> list[str]:
    """Headings, captions and column labels of the rainstorm, relief, warning and team
    parts (``wording/flood.yaml``) that no other part's wording uses."""
    cat = catalogue()
    others = " ".join(t[lang] for k, t in cat.items() if not k.startswith("flood."))
    out = []
    for key, texts in cat.items():
        if not key.startswith("flood."):
            continue
        name = key.removeprefix("flood.")
        if not (name.startswith(("section_", "col_")) or name.endswith("_caption")):
            continue
        out += [f for f in _fragments(texts[lang], lang) if f not in others]
    return sorted(set(out))


@pytest.mark.parametrize("drill", list(EXPECTED))
@pytest.mark.parametrize("lang", LANGS)
def test_hazards_and_sections_are_what_the_drill_contains(runs, drill, lang):
    hazards, sections = EXPECTED[drill]
    rep = runs[drill][2][lang]
    assert rep.hazards == [say(lang, k) for k in hazards]
    assert [s.key for s in rep.sections] == sections
    assert [s.title for s in rep.sections] == [say(lang, SECTION_TITLE[k]) for k in sections]
    # the line the reader sees (Markdown: "- **灾种**：火灾、暴雨内涝", in the page's language)
    md = render_markdown(rep)
    line = re.search(rf"^- \*\*{re.escape(say(lang, 'hazards'))}\*\*"
                     rf"{re.escape(say(lang, 'sep_label'))}(.*)$", md, re.M)
    assert line is not None
    assert line.group(1).split(say(lang, "sep_words")) == [say(lang, k) for k in hazards]
    # the hazards line names hazards, never response functions
    for fn in ("flood.section_relief", "flood.section_warning"):
        assert say(lang, fn) not in rep.hazards


@pytest.mark.parametrize("lang", LANGS)
def test_fire_only_report_has_no_rainstorm_relief_warning_or_team_words(runs, lang):
    rep = runs["highrise-evening"][2][lang]
    text = page_text(rep)
    words = flood_part_words(lang)
    assert len(words) > 30  # the list is the part's real vocabulary
    found = [w for w in words if w in text]
    assert found == []
    tables = [*rep.overview_tables, *(t for sec in rep.sections for t in sec.tables)]
    cells = [c for t in tables for row in t.rows for c in row]
    assert cells and not [c for c in cells if say(lang, "not_measured") in c]
    assert [o.measured for o in rep.objectives if say(lang, "not_measured") in o.measured] == []


@pytest.mark.parametrize("lang", LANGS)
def test_chemical_only_report_names_no_rainstorm(runs, lang):
    rep = runs["chlorine-night"][2][lang]
    text = page_text(rep)
    assert say(lang, "hazard.rainstorm") not in text
    assert say(lang, "flood.section_flood") not in text


# ----------------------------------------------------------------------------- standards


@pytest.mark.parametrize("drill", DRILLS)
def test_fire_standards_count_no_flood_rescue_or_hazmat_call(runs, drill):
    result, summary, _ = runs[drill]
    kinds = {i.id: i.kind for i in result.incidents}
    m = summary.metrics
    # the 5-minute rule: the fire stations' emergency calls only
    cases = five_minute_cases(summary.rows)
    assert all(r.kind in ("fire", "rescue", "alarm") for r in cases)
    share = [FIVE_MINUTE.met(r.dispatch_to_arrival) for r in cases]
    if share:
        assert m["five_minute_share"] == pytest.approx(sum(share) / len(share))
    else:
        assert math.isnan(m["five_minute_share"])
    # NFPA turnout: turnouts to those calls only (no pumping, flood rescue or hazmat)
    turnouts = fire_station_turnouts(result)
    assert all(kinds.get(t.incident) in ("fire", "rescue", "alarm") for t in turnouts)
    assert m["turnouts_n"] == len(turnouts)
    if turnouts:
        assert m["nfpa_turnout_share"] == pytest.approx(
            sum(NFPA_TURNOUT.met(t.seconds) for t in turnouts) / len(turnouts))
    # NFPA travel: fires only
    travel = [r.first_engine_travel for r in summary.rows
              if r.kind == "fire" and not math.isnan(r.call)
              and not math.isnan(r.first_engine_travel)]
    if travel:
        assert m["nfpa_travel_share"] == pytest.approx(
            sum(NFPA_TRAVEL.met(t) for t in travel) / len(travel))


def test_the_standards_name_their_calls():
    for std in (FIVE_MINUTE, NFPA_TURNOUT, NFPA_TRAVEL):
        assert not std.applies("flood_rescue") and not std.applies("hazmat")
    assert FIVE_MINUTE.applies("rescue") and NFPA_TURNOUT.applies("alarm")
    assert NFPA_TRAVEL.applies("fire") and not NFPA_TRAVEL.applies("rescue")


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_states_the_share_over_fire_calls(runs, lang):
    """The fire section's five-minute sentence counts the same calls as the metric."""
    result, summary, reports = runs["rainstorm-50y-afternoon"]
    n = len(five_minute_cases(summary.rows))
    assert any(r.kind == "flood_rescue" for r in summary.rows)
    assert n < sum(not math.isnan(r.call) and not math.isnan(r.first_dispatch)
                   for r in summary.rows)
    share = summary.metrics["five_minute_share"]
    text = page_text(reports[lang])
    assert f"{share:.0%}" in text


# ----------------------------------------------------------------------------- critical


def score_line(rep) -> tuple[float, str, str]:
    """The overall score, grade and the sentence after them, read from the Markdown."""
    md = render_markdown(rep)
    label = re.escape(say(rep.lang, "overall"))
    colon = re.escape(say(rep.lang, "sep_label"))
    m = re.search(rf"^\*\*{label}{colon}(\d+) / 100 — (.+?)\*\*\n\n?(.*)$", md, re.M)
    assert m is not None
    return float(m.group(1)), m.group(2), m.group(3)


@pytest.mark.parametrize("lang", LANGS)
def test_a_failed_critical_objective_caps_the_score_and_comes_first(runs, lang):
    # a ready drill whose critical relief objective (plan indicator 8) fails in this run
    name = next(n for n in DRILLS if any(
        o.objective.critical and o.objective.metric == "relief_share_10h"
        and o.status == "not_met" for o in runs[n][1].objectives))
    result, summary, reports = runs[name]
    rep = reports[lang]
    failed = failed_critical(summary.objectives)
    relief = next(o for o in summary.objectives if o.objective.metric == "relief_share_10h")
    assert relief.objective.critical and relief.status == "not_met"
    assert [o.objective.id for o in failed] == [relief.objective.id]
    score, grade_, note = score_line(rep)
    mean = mean_score([rate(o) for o in summary.objectives])
    assert score == min(round(mean), CRITICAL_CAP) and score < 60
    from drillsim.report.render import grade_name

    assert grade_ == grade_name("差", lang)  # the lowest grade, in the report's language
    # the sentence beside the score names the failed objective, its value and the mean
    row = next(r for r in rep.objectives if r.id == relief.objective.id)
    assert relief.objective.id in note and row.measured in note
    assert f"{mean:.0f}" in note
    # stated first: the first finding and the first improvement actions answer it
    assert rep.findings[0].objective == relief.objective.id
    assert rep.plan[0].finding.split(say(lang, "sep_words"))[0] == relief.objective.id


@pytest.mark.parametrize("lang", LANGS)
def test_a_met_critical_objective_changes_nothing(runs, lang):
    result, summary, reports = runs["ammonia-liquor-group"]
    crit = [o for o in summary.objectives if o.objective.critical]
    assert crit and all(o.status == "met" for o in crit)
    rep = reports[lang]
    mean = mean_score([rate(o) for o in summary.objectives])
    assert rep.score == pytest.approx(mean)
    beyond = sum(not f.objective for f in rep.findings)  # the score says what it leaves out
    assert rep.score_note == (say(lang, "report.score_beyond", n=beyond) if beyond else "")
    assert score_line(rep)[0] == round(mean)


def _result(metric: str, target: str, value: float, status: str, critical: bool):
    obj = Objective(id="X", metric=metric, target=target, critical=critical)
    return ObjectiveResult(obj, value, status)


def test_the_cap_applies_to_a_good_mean_and_a_not_measured_critical_objective():
    good = [_result("first_arrival_p90", "<= 10 min", 300.0, "met", False)] * 3
    failed = _result("relief_share_10h", ">= 100 %", 0.95, "not_met", True)
    unmeasured = _result("warning_t95", "<= 60 min", math.nan, "not_measured", True)
    for bad in (failed, unmeasured):
        results = [*good, bad]
        ratings = [rate(r) for r in results]
        assert failed_critical(results) == [bad]
        assert grade(overall(ratings)) in ("良", "优", "中")  # the mean alone hides it
        assert overall(ratings, critical_failed=True) == CRITICAL_CAP
        assert grade(overall(ratings, critical_failed=True)) == "差"
    not_critical = _result("relief_share_10h", ">= 100 %", 0.95, "not_met", False)
    assert failed_critical([*good, not_critical]) == []


# ----------------------------------------------------------------------------- causes


def outage_facts(rep, unit: str) -> list[str]:
    """Every sentence of the findings (their tables' cells too) and sections that names
    ``unit``."""
    paras = [p for f in rep.findings for p in f.paragraphs]
    paras += [c for f in rep.findings if f.table is not None for row in f.table.rows
              for c in row]
    paras += [p for sec in rep.sections for p in sec.paragraphs]
    return [p for p in paras if unit in p]


def blamed(rep, unit: str) -> bool:
    """The improvement plan asks to cut ``unit``'s time out of service."""
    action = say(rep.lang, "fire.action_out_of_service", unit=unit)
    return any(a.action == action for a in rep.plan)


def outage_sentence(result, world, summary, lang, effect) -> str:
    """The sentence the report must state about an outage's effect."""
    ctx = make_context(result, lang=lang, world=world, summary=summary)
    station = ctx.place_name(ctx.units[effect.unit].station)  # running text: page's language
    key = "fire.fact_out_first_due" if effect.first_due else "fire.fact_out_not_first"
    return say(lang, key, unit=effect.unit, station=station, at=tx.offset(effect.arrival),
               first=tx.offset(effect.actual), delay=tx.minutes(effect.delay, lang),
               turnout=tx.against(effect.turnout, NFPA_TURNOUT.threshold_s, lang))


@pytest.mark.parametrize("lang", LANGS)
def test_night_compound_fire_advice_follows_the_counterfactual(runs, lang):
    """NY-E1 is out of service at F1's call: the report blames the outage exactly when
    NY-E1, turned out from its quarters, would have beaten the first arrival."""
    result, summary, reports = runs["night-compound-fire"]
    world = load_world("default")
    row = next(r for r in summary.rows if r.incident == "F1")
    effect = outage_effect(result, world, row, "NY-E1")
    assert effect is not None and math.isfinite(effect.arrival)
    assert effect.arrival == pytest.approx(
        row.first_dispatch + effect.turnout + effect.travel)
    assert effect.actual == row.first_arrival
    rep = reports[lang]
    assert blamed(rep, "NY-E1") == effect.first_due
    facts = outage_facts(rep, "NY-E1")
    expected = outage_sentence(result, world, summary, lang, effect)
    assert facts and all(expected in f for f in facts)


def test_an_outage_of_the_nearest_unit_is_blamed(line_world):
    """A small drill: the only engine next to the call is out; the far one answers late."""
    from conftest import make_scenario

    from drillsim.engine import run_drill as engine_run

    stations = [
        {"id": "st", "location": {"node": "N0"}, "personnel": 5, "on_duty_fraction": 1.0,
         "apparatus": [{"id": "E1", "type": "engine", "crew": 5}],
         "turnout": {"day": "60 s", "night": "90 s"}},
        {"id": "far", "location": {"node": "N3"}, "personnel": 5, "on_duty_fraction": 1.0,
         "apparatus": [{"id": "F1", "type": "engine", "crew": 5}],
         "turnout": {"day": "60 s", "night": "90 s"}}]
    s = make_scenario(
        forces__stations=stations, forces__out_of_service=["E1"],
        incidents=[{"id": "A1", "kind": "alarm", "at": "+00:01", "location": {"node": "N0"}}],
        objectives=[{"id": "O1", "metric": "first_arrival_p90", "target": "<= 3 min"}])
    result = engine_run(s, line_world)
    summary = summarize(result)
    row = next(r for r in summary.rows if r.incident == "A1")
    assert row.first_unit == "F1"
    effect = outage_effect(result, line_world, row, "E1")
    assert effect is not None and effect.first_due
    assert effect.turnout == 60.0 and effect.travel == pytest.approx(0.0)
    assert effect.delay == pytest.approx(row.first_arrival - row.first_dispatch - 60.0)
    for lang in LANGS:
        rep = build_report(make_context(result, lang=lang, world=line_world,
                                        summary=summary), figures=False)
        assert blamed(rep, "E1")
        expected = outage_sentence(result, line_world, summary, lang, effect)
        assert any(expected in f for f in outage_facts(rep, "E1"))


@pytest.mark.parametrize("lang", LANGS)
def test_a_chemical_drill_states_everyone_sheltered_once(runs, lang):
    result, summary, reports = runs["ammonia-liquor-group"]
    rep = reports[lang]
    m = summary.metrics
    assert m["people_displaced"] > 0 and m["people_unsheltered"] == 0
    assert math.isfinite(m["evacuation_time"])
    relief = say(lang, "flood.all_sheltered", people=f"{m['people_displaced']:g}")
    chem = say(lang, "chem.every_evacuee_sheltered", people=f"{m['people_displaced']:,.0f}")
    assert relief not in rep.strengths
    assert rep.strengths.count(chem) == 1
    # at night the order reaches the last sleepers when they get up (those door to door
    # did not reach): the last evacuees leave after 06:00 (04:45 into chlorine-night) and
    # the report claims them sheltered only if they all arrived by the drill's end
    night_result, night, night_reports = runs["chlorine-night"]
    evacuation = night.metrics["evacuation_time"]
    order = next(r.t for r in night_result.records if r.event == "protective_action")
    assert order + evacuation > 4.75 * 3600
    claimed = say(lang, "chem.every_evacuee_sheltered",
                  people=f"{night.metrics['people_displaced']:,.0f}")
    assert (claimed in night_reports[lang].strengths) == math.isfinite(evacuation)
