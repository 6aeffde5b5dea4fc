"""Every statement of the fire and response part is one the records support (issue 10):
incidents still burning at the end are named with their last recorded size, a unit
arriving after control does not complete the full assignment, a call that waited is
explained by where the units were held and by the mutual-aid cap, counts are worded in
proper singular and plural."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from drillsim.metrics.response import (
    after_control,
    held_at,
    mutual_aid_cap_reached,
    queued_needs,
)
from drillsim.report import fire as fi
from drillsim.report import text as tx
from drillsim.report.wording import say

ROOT = Path(__file__).resolve().parents[2]
DRILLS = ["warehouse-escalation", "flood-and-fire", "highrise-evening"]
LANGS = ["en", "zh"]


def _text(rep) -> str:
    """Every paragraph, table cell, caption and action of the report."""
    parts = []
    for f in rep.findings:
        parts += [f.title, *f.paragraphs, *(a.action for a in f.actions)]
        if f.table is not None:
            parts += [c for row in f.table.rows for c in row] + [f.table.caption or ""]
    parts += list(rep.strengths)
    return "\n".join(parts)


def _finding(rep, title: str):
    return next(f for f in rep.findings if f.title.endswith(title))


# ----------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("lang", LANGS)
def test_uncontrolled_fire_is_named_with_its_last_size(reports, lang):
    ctx, rep = reports["warehouse-escalation@8820", lang]  # BG001 controlled at 9202 s
    recs = [r for r in ctx.records if r.incident == "BG001"]
    assert not [r for r in recs if r.event in ("control", "clear")]  # the premise
    last = [r for r in recs if r.get("q_kw") is not None][-1]
    f = _finding(rep, ctx.say("fire.obs_uncontrolled_title"))
    row = next(r for r in f.table.rows if r[0] == ctx.incident_label("BG001"))
    assert row[4] == tx.value(float(last.get("q_kw")), "kW", lang)
    assert row[5] == f"{float(last.get('rooms')):.0f}"
    assert float(last.get("rooms")) >= 10 and float(last.get("q_kw")) > 20_000
    assert "BG001" in f.paragraphs[0]


@pytest.mark.parametrize("lang", LANGS)
def test_no_all_reached_strength_while_a_fire_burns(reports, lang):
    ctx, rep = reports["warehouse-escalation@8820", lang]
    n = sum(not math.isnan(r.call) for r in ctx.summary.rows)
    assert ctx.say("fire.strength_all_reached", n=n) not in rep.strengths
    assert ctx.say("fire.strength_no_queue") not in rep.strengths


# ----------------------------------------------------------------------------- item 2


def test_unit_after_control_does_not_complete_full_assignment(reports):
    """F1 is controlled before its first alarm's rescue unit could come; control stands the
    response down (issue 10), so no unit is sent, arrives or completes the assignment after
    control (the first version sent XZ-R1 28 min after control)."""
    ctx, _ = reports["flood-and-fire", "en"]
    f1 = ctx.rows["F1"]
    control = min(r.t for r in ctx.records if r.incident == "F1"
                  and r.event in ("control", "clear"))
    late = [r for r in ctx.records if r.incident == "F1" and r.t > control
            and r.event in ("dispatch", "arrive", "full_assignment")]
    assert late == []
    assert math.isnan(f1.full_assignment) and f1.full_before_control
    assert math.isnan(f1.call_to_full_assignment)
    assert math.isnan(f1.q_full_assignment_kw)
    assert after_control(fi.activity(ctx), f1) == []  # every unit sent came before control


@pytest.mark.parametrize("lang", LANGS)
def test_report_says_which_units_never_came_while_it_burned(reports, lang):
    ctx, rep = reports["flood-and-fire", lang]
    overview = fi.overview_tables(ctx)[0]
    row = next(r for r in overview.rows if r[0] == ctx.incident_label("F1"))
    assert row[6] == fi.full_assignment_cell(ctx, ctx.rows["F1"])  # the rescue truck
    assert row[6] != ctx.say("fire.not_before_control")  # (test_report_fire_review4)
    # no unit was sent to F1 that had not come by control: no paragraph claims one
    title = ctx.say("fire.obs_after_control_title")
    assert not [f for f in rep.findings if f.title.endswith(title)]


# ----------------------------------------------------------------------------- item 3


@pytest.mark.parametrize("lang", LANGS)
def test_waiting_calls_name_units_held_and_the_aid_cap(reports, lang):
    ctx, rep = reports["warehouse-escalation", lang]
    f = next(f for f in rep.findings if f.objective == "O1")
    text = "\n".join(f.paragraphs)
    w1_clear = next(r.t for r in ctx.records if r.incident == "W1" and r.event == "clear")
    held = held_at(ctx.result, fi.activity(ctx), ctx.rows["BG006"].queued_at, "BG006",
                   queued_needs(ctx.result, "BG006"))[0]
    assert held.incident == "W1" and held.until == pytest.approx(w1_clear)
    t_q = ctx.rows["BG006"].queued_at
    engines = {u.id for u in ctx.result.units if u.type == "engine"}
    at_w1 = {r.unit for r in ctx.records if r.event == "dispatch" and r.incident == "W1"
             and r.t <= t_q and r.unit in engines and not r.get("mutual_aid")}
    left = {r.unit for r in ctx.records if r.event == "release" and r.incident == "W1"
            and r.t <= t_q}
    assert set(held.units) == at_w1 - left and len(held.units) == 8  # every district engine
    assert ctx.say("fire.held_item", at=ctx.incident_short("W1"), until=tx.offset(w1_clear),
                   units=tx.join(held.units, ctx.lang, words=True)) in text  # XZ-E1、XZ-E2
    cap = ctx.scenario.forces.mutual_aid.max_units
    cap_t = mutual_aid_cap_reached(ctx.result)
    n_aid = sum(1 for r in ctx.records if r.event == "dispatch" and r.get("mutual_aid")
                and r.t <= cap_t)
    assert n_aid == cap
    cells = " ".join(str(row[-1]) for row in f.table.rows)  # facts of some calls only
    assert ctx.say("fire.fact_aid_cap", cap=cap, at=tx.offset(cap_t)) in text + cells
    # the drill's own incident met it, and the report says so
    assert ctx.incident_short("W1") in f.paragraphs[-1]
    assert ctx.say("fire.action_queue") not in [a.action for a in f.actions]
    assert ctx.say("fire.action_release_units", at="W1") in [a.action for a in f.actions]


# ----------------------------------------------------------------------------- item 11


@pytest.mark.parametrize("name", DRILLS)
def test_counts_have_proper_plural(reports, name):
    _, rep = reports[name, "en"]
    assert "(s)" not in _text(rep)
    assert say("en", "fire.once") == "once"


# ----------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("lang", LANGS)
def test_first_minutes_action_fits_a_warehouse(reports, lang):
    ctx, rep = reports["warehouse-escalation", lang]
    assert ctx.rows["W1"].occupancy == "warehouse"
    acts = [a for f in rep.findings for a in f.actions]
    texts = [a.action for a in acts]
    assert ctx.say("fire.action_first_minutes") not in texts  # e-bikes: residential only
    # W1's O2 miss came from its first alarm's far last engine, which the plan now aims at
    # (test_report_s7fire); a first-minutes action for a warehouse is the workplace one,
    # owned by the premises
    from drillsim.report.fire import FIRST_MINUTES, _first_minutes

    key, owner_key = FIRST_MINUTES[_first_minutes("warehouse")]
    assert key == "fire.action_first_minutes_workplace" and owner_key == "premises"
    act = ctx.say("fire.action_first_minutes_workplace")
    for a in acts:
        if a.action == act:
            assert a.owner == ctx.say("owner.premises", detachment=ctx.say("owner.detachment"))
    assert ctx.say("owner.subdistricts") not in [a.owner for a in acts]  # shelters: no flood


def test_first_minutes_class_of_every_occupancy():
    from drillsim.hazards.fire_growth import OCCUPANCIES

    assert {k for k, o in OCCUPANCIES.items() if o.first_minutes == "residential"} == {
        "dwelling", "old_residential_compound", "high_rise_residential", "three_in_one"}
    assert OCCUPANCIES["warehouse"].first_minutes == "workplace"
    assert OCCUPANCIES["factory"].first_minutes == "workplace"
    assert set(fi.FIRST_MINUTES) >= {o.first_minutes for o in OCCUPANCIES.values()}


# ----------------------------------------------------------------------------- item 5


@pytest.mark.parametrize("lang", LANGS)
def test_wait_for_team_units_names_team_assembly(reports, lang):
    from drillsim.metrics.teams import team_mobilisation

    ctx, rep = reports["flood-and-fire", lang]
    f = next(f for f in rep.findings if f.objective == "O2")
    para = next(p for p in f.paragraphs if p.startswith(
        ctx.say("fire.waited_for_teams", first="", teams="")[:8]))
    teams = {t.id: t for t in ctx.scenario.forces.teams}
    measures = {m.team: m for m in team_mobilisation(ctx.result)}
    air = measures["civil_air_defence"]
    assert tx.offset(air.assembled_at) in para and tx.minutes(air.assembly_s, lang) in para
    medical = [t for t in teams.values() if not {u.type for u in t.units} & {
        "rescue", "boat_team", "rescue_team", "volunteer_squad"}]
    for t in medical:  # a team that could not have served a rescue call is not named
        assert ctx.name(t.name_en, t.name_zh) not in para
    texts = [a.action for a in f.actions]
    assert ctx.say("fire.action_queue") not in texts
    from drillsim.report.flood import team_name

    assert ctx.say("flood.action_team_earlier", team=team_name(ctx, teams[air.team]),
                   after=tx.minutes(air.assembled_at - air.needed_at, lang),
                   needed=tx.offset(air.needed_at),
                   minutes=tx.minutes(air.assembly_s, lang)) in texts


# ----------------------------------------------------------------------------- item 6


@pytest.mark.parametrize("lang", LANGS)
def test_no_surge_fact_for_calls_that_did_not_wait(reports, lang):
    ctx, rep = reports["highrise-evening", lang]
    f = next(f for f in rep.findings if f.objective == "O2")
    drivers = [r for r in ctx.summary.rows if r.background]
    assert all(not r.queued for r in drivers)  # the premise: nobody waited
    surge = ctx.say("fire.fact_call_surge", factor="", start="", end="")[:6]
    assert not [p for p in f.paragraphs if surge in p]


@pytest.mark.parametrize("lang", LANGS)
def test_travel_action_names_the_subdistrict(reports, lang):
    from drillsim.network.population import nearest_subdistrict

    ctx, rep = reports["highrise-evening", lang]
    f = next(f for f in rep.findings if f.objective == "O2")
    subs = ctx.world.places.of_kind("subdistrict")
    net = ctx.world.network
    drove = [i for i in ctx.rows if i in f.paragraphs[1]]  # "Incidents that drove it: ..."
    nodes = [ctx.rows[i].node for i in drove]
    assert drove == ["BG004"]
    names = [ctx.name(subs[j].name_en, subs[j].name_zh)
             for j in sorted(set(nearest_subdistrict(subs, net.lat[nodes], net.lon[nodes])))]
    assert ctx.say("fire.action_travel_area", area=ctx.say("sep_list").join(names)) in [
        a.action for a in f.actions]


@pytest.mark.parametrize("lang", LANGS)
def test_travel_action_names_no_subdistrict_for_calls_outside_the_district(reports, lang):
    # rev7a A1: node 164 lies across the North Canal, ~380 m outside the outline; the
    # nearest subdistrict centre (Santiaoshi) is not where the call was
    ctx, _ = reports["highrise-evening", lang]
    assert fi._travel_action(ctx, [164]) == ctx.say("fire.action_travel")
    inside = ctx.rows["F1"].node
    assert fi._travel_action(ctx, [164, inside]) == fi._travel_action(ctx, [inside]) != \
        ctx.say("fire.action_travel")


# ----------------------------------------------------------------------------- items 7, 10, 12


@pytest.mark.parametrize("lang", LANGS)
def test_five_minute_strength_says_what_it_counts_and_few_cases_as_values(reports, lang):
    ctx, rep = reports["flood-and-fire", lang]
    cases = fi.five_minute_cases(ctx.summary.rows)
    others = [r for r in ctx.summary.rows if not math.isnan(r.call)
              and not fi.FIVE_MINUTE.applies(r.kind)]
    assert len(cases) < fi.MIN_CASES and others  # the premise: 3 fire calls, 57 flood rescues
    line = next(s for s in rep.strengths if fi.named(ctx, fi.FIVE_MINUTE) in s)
    assert "100%" not in line  # no share of three cases
    for r in cases:
        assert tx.minutes(r.dispatch_to_arrival, lang) in line
    assert ctx.say("fire.standard_scope", n=len(others),
                   kinds=fi._kind_label(ctx, others[0])) in line


@pytest.mark.parametrize("lang", LANGS)
def test_red_rows_agree_with_the_caption(reports, lang):
    """BG006 was reached 67.4 min after the call, all of it waiting before the turnout
    order: its row is red, as the caption says."""
    ctx, rep = reports["warehouse-escalation", lang]
    sec = next(s for s in rep.sections if s.key == "fire")
    table = next(t for t in sec.tables if ctx.say("fire.red_rule_fire") in t.caption)
    red = {row[0] for row, c in zip(table.rows, table.row_classes, strict=True) if c == "bad"}
    for r in ctx.summary.rows:
        expected = r.unmet or r.queued or r.dispatch_to_arrival > 300.0
        assert (ctx.incident_label(r.incident) in red) == expected, r.incident
    assert ctx.incident_label("BG006") in red


# ----------------------------------------------------------------------------- item 11


@pytest.mark.parametrize("name", DRILLS)
def test_zh_fire_text_has_chinese_punctuation(reports, name):
    ctx, rep = reports[name, "zh"]
    for f in rep.findings:
        for p in f.paragraphs:
            assert ", " not in p and " (" not in p, p
    sec = next(s for s in rep.sections if s.key == "fire")
    notes = [row[-1] for t in sec.tables for row in t.rows]
    assert not [n for n in notes if ", " in n]


def test_first_engine_travel_has_one_name_in_chinese():
    from drillsim.metrics.catalog import METRICS
    from drillsim.metrics.standards import NFPA_TRAVEL

    assert "首辆水罐车" in METRICS["nfpa_travel_share"].zh and "首辆水罐车" in NFPA_TRAVEL.zh
    assert "240秒" in METRICS["nfpa_travel_share"].zh and "240秒" in NFPA_TRAVEL.zh


def test_out_of_service_names_the_station_in_the_page_language():
    text = say("zh", "fire.fact_out_of_service", unit="NY-E1", station="南运河路消防救援站",
               near="")
    assert "消防救援站的NY-E1" in text


# ----------------------------------------------------------------------------- short findings


@pytest.mark.parametrize("lang", LANGS)
def test_long_finding_says_its_cause_in_a_few_sentences(reports, lang):
    """flood-and-fire O2 (90 % of calls reached within 10 min) had 16 paragraphs, one per
    fact and group of calls: now one paragraph per cause at most (the measured value, the
    driving calls counted, the largest segment, where the units were held, what every
    driving call shared, the station units never sent, the late team assembly); the
    calls' segments are in the table."""
    ctx, rep = reports["flood-and-fire", lang]
    f = next(f for f in rep.findings if f.objective == "O2")
    assert len(f.paragraphs) <= 7
    text = " ".join(f.paragraphs)
    assert ctx.say("fire.segment_queue") in text  # the cause: calls waited for a free unit
    assert ctx.say("fire.driving_incidents_n", n=len(f.table.rows)) in f.paragraphs
    aid = ctx.scenario.forces.mutual_aid
    assert ctx.say("fire.fact_aid_cap", cap=aid.max_units, at="+").split("+")[0] in text
    assert text.count(ctx.say("fire.waited_for_teams", first="\0", teams="\0").split("\0")[0]) == 1
    held = ctx.say("fire.fact_held", incidents="\0", places="\0").split("\0")[1]
    assert held in text  # where the units were held, grouped by the calls that waited


# ----------------------------------------------------------------------------- ratings


@pytest.mark.parametrize("lang", LANGS)
def test_rating_does_not_contradict_an_uncontrolled_fire(reports, lang):
    """warehouse-escalation ended at 8820 s: O3 (every everyday call answered) is met, but
    BG001 and BG007 still burn: O3 is rated S (良), not P (优); its rating cell, its finding
    and the score note say so with the fires' last sizes from the metrics (a list of
    names: 、 in Chinese); the metric and target stay. (The full drill controls BG001 since
    the commander calls engines past the plan: test_report_fire_review4.)"""
    from drillsim.metrics.response import uncontrolled
    from drillsim.report.findings import LEVEL_NAME

    ctx, rep = reports["warehouse-escalation@8820", lang]
    o3 = next(o for o in rep.objectives if o.id == "O3")
    res = next(r for r in ctx.summary.objectives if r.objective.id == "O3")
    assert res.status == "met" and res.value == 0  # the designer's metric, unchanged
    assert (o3.rating.code, o3.rating.score, o3.rating.rule) == ("S", 82, "contradicted")
    fires = {st.incident: st for st in uncontrolled(ctx.result, ctx.summary.rows)}
    assert {"BG001", "BG007"} <= set(fires)  # the fires among them (O3 counts calls)
    sizes = [say(lang, "fire.name_value", incident=i, value=tx.value(fires[i].q_kw, "kW", lang))
             for i in ("BG001", "BG007")]
    what = say(lang, "report.still_uncontrolled",
               incidents=(", " if lang == "en" else "、").join(sizes),
               end=tx.offset(ctx.end_time))
    cap = f"S/{say(lang, LEVEL_NAME['S'])}"
    # the calls it counts reached late follow (test_report_fire_review5)
    from drillsim.metrics.evaluation import calls_late
    from drillsim.report.build import _calls_late_text

    what = say(lang, "sep_semicolon").join(
        [what, _calls_late_text(ctx, calls_late(res, ctx.summary.rows))])
    assert o3.level_text.endswith(say(lang, "report.contradicted", what=what, level=cap))
    finding = next(f for f in rep.findings if f.objective == "O3")
    assert say(lang, "report.contradicted_sentence", what=what, level=cap) in finding.paragraphs
    assert "O3" in rep.score_note and "BG001" in rep.score_note
    assert say(lang, "report.strength_met", id="O3", evidence=o3.evidence) \
        not in rep.strengths
