"""What the fire drills' report pages say (issue 10, the leftovers of the sixth review):
advice on the first alarm follows the cause the records show, an objective's evidence says
what it is taken over, incident rows in call order, critical objectives marked in the
table, a unit already at the point said so, the idle window said, the overhaul
assumption said plainly, mid-width columns not squeezed, full-width brackets in
drillsim's own Chinese."""

from __future__ import annotations

import math
import re

import pytest

from drillsim.report import text as tx
from drillsim.report.render import column_classes, render_html, render_markdown

LANGS = ["en", "zh"]
FIRE_DRILLS = ["warehouse-escalation", "flood-and-fire", "night-compound-fire",
               "highrise-evening"]


def _prefix(ctx, key: str, **_: str) -> str:
    """The fixed text of a wording up to its first field."""
    from drillsim.report.wording import catalogue

    return catalogue()[key][ctx.lang].split("{")[0]


def _finding(rep, objective):
    return next(f for f in rep.findings if f.objective == objective)


def _incident_table(ctx, rep):
    sec = next(s for s in rep.sections if s.key == "fire")
    return next(t for t in sec.tables if ctx.say("fire.red_rule_fire") in t.caption)


# ----------------------------------------------------------------------------- 1


# test_o2_advice_follows_the_far_last_unit_of_the_first_alarm: superseded by
# tests/unit/test_report_s8model.py (rev7c A1: the first alarm was too small)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", FIRE_DRILLS)
def test_larger_first_alarm_only_when_more_units_were_needed(reports, drill, lang):
    """Every fire drill: "send a larger first alarm" is drafted only for a fire whose first
    alarm was short (its water below the need at the first arrival, or escalated with the
    whole first alarm on scene)."""
    from drillsim.metrics.fire_water import first_alarm

    ctx, rep = reports[drill, lang]
    short = [r for r in ctx.summary.rows if r.kind == "fire" and r.alarms > 1
             and (first_alarm(ctx.result, r) is None or first_alarm(ctx.result, r).short)]
    drafted = [a for f in rep.findings for a in f.actions
               if a.action.startswith(_prefix(ctx, "fire.action_escalate", kind=""))]
    if not short:
        assert not drafted


# ----------------------------------------------------------------------------- 2


@pytest.mark.parametrize("lang", LANGS)
def test_o1_evidence_says_it_is_taken_over_all_calls(reports, lang):
    """warehouse O1 (90th percentile of call to full assignment) counts all 19 calls of
    the run: its evidence cell and its finding say so."""
    from drillsim.report.findings import objective_cases

    ctx, rep = reports["warehouse-escalation", lang]
    cases = objective_cases(ctx, "full_assignment_p90")
    calls = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    assert len(cases) == len(calls) == 19
    said = ("taken over all 19 calls it counts" if lang == "en" else "按其统计的全部19起警情计")
    o1 = next(o for o in rep.objectives if o.id == "O1")
    assert o1.evidence.endswith(said)
    assert said in _finding(rep, "O1").paragraphs[0]
    o2 = next(o for o in rep.objectives if o.id == "O2")  # a maximum: no count of cases
    assert said not in o2.evidence


# ----------------------------------------------------------------------------- 3


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", FIRE_DRILLS)
def test_incident_rows_in_call_order(reports, drill, lang):
    """The incident table lists the calls in the order they came (highrise-evening's BG004
    came at +02:05:41, after BG005), not in id order."""
    ctx, rep = reports[drill, lang]
    table = _incident_table(ctx, rep)
    by_label = {ctx.incident_label(r.incident): r for r in ctx.summary.rows}
    calls = [by_label[cells[0]].call for cells in table.rows]
    assert all(not math.isnan(c) for c in calls)
    assert calls == sorted(calls)
    assert [cells[2] for cells in table.rows] == [tx.offset(c) for c in calls]
    if drill == "highrise-evening":
        ids = [by_label[cells[0]].incident for cells in table.rows]
        assert ids != sorted(ids)


# ----------------------------------------------------------------------------- 4


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", ["ammonia-liquor-group", "warehouse-escalation"])
def test_critical_objectives_marked_in_the_table(reports, drill, lang):
    """The objectives table marks each critical objective beside its id ("O3 (critical)",
    "O3（关键）") on the HTML and Markdown pages; the others show their id alone."""
    ctx, rep = reports[drill, lang]
    critical = {o.id for o in ctx.scenario.objectives if o.critical}
    assert bool(critical) is (drill == "ammonia-liquor-group")
    md = render_markdown(rep)
    html = render_html(rep)
    for o in rep.objectives:
        mark = f"{o.id} (critical)" if lang == "en" else f"{o.id}（关键）"
        assert o.label == (mark if o.id in critical else o.id)
        assert f"| {o.label} | {o.text} |" in md
        assert f'<td class="nw">{o.label}</td>' in html


# ----------------------------------------------------------------------------- 5


@pytest.mark.parametrize("lang", LANGS)
def test_unit_already_at_the_point_said_beside_zero_minutes(reports, lang):
    """flood-and-fire: rescue calls whose first unit was ordered there while already at the
    point (turnout order and arrival at the same moment) say so beside the 0.0 min; every
    other row does not."""
    ctx, rep = reports["flood-and-fire", lang]
    table = _incident_table(ctx, rep)
    note = ctx.say("fire.note_already_there")
    by_label = {ctx.incident_label(r.incident): r for r in ctx.summary.rows}
    there = 0
    for cells in table.rows:
        row = by_label[cells[0]]
        at_once = row.first_dispatch == row.first_arrival
        assert (note in cells[-1]) is at_once, row.incident
        if at_once:
            there += 1
            assert cells[4] == tx.minutes(0, lang)
    assert there >= 5
    assert ("already at the point" if lang == "en" else "受令时已在该点") in note


# ----------------------------------------------------------------------------- 6


@pytest.mark.parametrize("lang", LANGS)
def test_idle_units_sentence_says_its_window(reports, lang):
    """flood-and-fire O2: the 15 staffed fire units "sent nowhere" are counted between the
    first rescue call queuing and the last waiting one's dispatch; the sentence says that
    window and does not say "never sent" (some were sent outside it)."""
    from drillsim.metrics.rescue import idle_while_waiting
    from drillsim.report.fire import activity

    ctx, rep = reports["flood-and-fire", lang]
    got = idle_while_waiting(ctx.result, ctx.summary.rows, activity(ctx))
    assert got.n_idle == 15
    text = " ".join(p for f in rep.findings for p in f.paragraphs)
    start, end = tx.offset(got.start), tx.offset(got.end)
    if lang == "en":
        assert (f"from {start} to {end}, 15 staffed units of the district's fire stations "
                "were sent nowhere in that window") in text
        idle = next(p for f in rep.findings for p in f.paragraphs if "sent nowhere" in p)
        assert "never sent" not in idle  # ("never sent" elsewhere: a unit asked for)
    else:
        assert (f"{start}至{end}求救警情等待可用力量期间，"
                "本区消防站15个在岗单元在此时段内未被派出") in text
        assert "始终未出动" not in text


# ----------------------------------------------------------------------------- 7


@pytest.mark.parametrize("lang", LANGS)
def test_mid_width_columns_get_a_minimum_width(reports, lang):
    """The incident column of the incident table and the zh MSEL text column sit between
    the no-wrap and long-text widths: class ``mid``, which the page gives a minimum width
    (the incident name is not squeezed to a word a line)."""
    ctx, rep = reports["warehouse-escalation", lang]
    table = _incident_table(ctx, rep)
    _, cols = column_classes(table.columns, table.rows)
    # mid, or narrowed to mid9 / mid6 when the page has no room for 12em (review 7)
    assert cols[0].startswith("mid")
    html = render_html(rep)
    width = re.search(rf"td\.{cols[0]} \{{ min-width: (\d+)em; \}}", html)
    assert width and int(width.group(1)) >= 6
    if lang == "zh":
        _, mcols = column_classes(rep.msel.columns, rep.msel.rows)
        assert dict(zip(rep.msel.columns, mcols, strict=True))["内容"].startswith("mid")


# ----------------------------------------------------------------------------- 8


@pytest.mark.parametrize("lang", LANGS)
def test_overhaul_of_a_burnt_out_fire_said_as_an_assumption(reports, lang):
    """warehouse BG007 burnt out before a unit came; its 32.8 min of overhaul after control
    is a draw from the on-scene time assumed for every fire: the note says it is an
    assumption and not modelled, and does not call it the on-scene time of any fire."""
    ctx, rep = reports["warehouse-escalation", lang]
    row = ctx.rows["BG007"]
    cells = next(c for c in _incident_table(ctx, rep).rows
                 if c[0] == ctx.incident_label("BG007"))
    overhaul = tx.minutes(row.clear - row.control, lang)
    assert overhaul == tx.minutes(32.8 * 60, lang)
    if lang == "en":
        assert f"the {overhaul} of overhaul after control is an assumption, not modelled" \
            in cells[-1]
        assert "the assumed on-scene time of any fire" not in cells[-1]
    else:
        assert f"控制后清理残火{overhaul}为假设值，并非模拟所得" in cells[-1]
        assert "任一火灾" not in cells[-1]


# ----------------------------------------------------------------------------- 9


@pytest.mark.parametrize("drill", FIRE_DRILLS)
def test_own_chinese_words_use_full_width_brackets(reports, drill):
    """The Chinese page puts drillsim's own brackets full width ("（UTC+0800）"); ASCII
    brackets next to Chinese come only from the drill file's own text, which is shown as
    written ("电话(119)" in warehouse-escalation)."""
    ctx, rep = reports[drill, "zh"]
    md = render_markdown(rep)
    assert "（UTC+0800）" in md
    user = [getattr(x, f) for x in [*ctx.scenario.injects, *ctx.scenario.incidents]
            for f in ("text_zh", "method_zh", "expected_action_zh", "deliver_to_zh",
                      "name_zh") if isinstance(getattr(x, f, None), str)]
    rest = md
    for t in sorted(user, key=len, reverse=True):
        rest = rest.replace(t, "")
    assert not re.findall(r"\p{Han}[()]|[()]\p{Han}".replace(r"\p{Han}", "[\u4e00-\u9fff]"),
                          rest)
    if drill == "warehouse-escalation":
        assert "电话(119)" in md
