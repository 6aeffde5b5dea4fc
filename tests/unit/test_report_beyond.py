"""What the records show beyond the drill's objectives is named, with the metric's value:
standards missed, calls reached late, the plan's relief and warning targets; the score
says it rates the objectives only; a strength credits pumps only where they pumped before
the peak."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.metrics.response import MIN_CASES
from drillsim.metrics.waterlogging import pumped_before_peak
from drillsim.report import build_report, make_context
from drillsim.report import fire as fi
from drillsim.report import text as tx
from drillsim.report.findings import named
from drillsim.report.wording import say
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DRILLS = ["warehouse-escalation", "chlorine-night", "flood-and-fire", "highrise-evening"]


def _beyond(rep, lang):
    prefix = say(lang, "finding.beyond_title", what="")
    return {f.title.removeprefix(prefix): f for f in rep.findings if f.title.startswith(prefix)}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_standards_missed_are_named_with_their_share(reports, name, lang):
    ctx, rep = reports[name, lang]
    beyond = _beyond(rep, lang)
    m = ctx.summary.metrics
    covered = {o.metric for o in ctx.scenario.objectives}
    for key, n, std in fi.STANDARD_SHARES:
        v = m.get(key, math.nan)
        missed = key not in covered and not math.isnan(v) and v < std.fractile
        assert (named(ctx, std) in beyond) == missed, (key, v)
        if missed and m[n] < MIN_CASES:  # few cases: each value, no share (issue 10)
            cases = sorted(fi._case_values(ctx, key))
            assert len(cases) == m[n]
            assert beyond[named(ctx, std)].paragraphs[0] == ctx.say(
                "fire.obs_standard_few", missed=sum(not std.met(c) for c in cases),
                n=len(cases), standard=named(ctx, std),
                values=ctx.say("sep_words").join(tx.against(c, std.threshold_s, lang)
                                                 for c in cases))
        elif missed:
            assert beyond[named(ctx, std)].paragraphs[0] == ctx.say(
                "fire.obs_standard", share=f"{v:.0%}", n=f"{m[n]:.0f}",
                standard=named(ctx, std), fractile=f"{std.fractile:.0%}")
    assert not [f for f in rep.findings if not f.objective and f not in beyond.values()]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_calls_reached_late_are_listed_whatever_the_objectives(reports, name, lang):
    ctx, rep = reports[name, lang]
    late = [r for r in ctx.summary.rows if r.kind in ("fire", "rescue", "alarm")
            and not math.isnan(r.call) and not r.response <= fi.LATE_CALL_S]
    found = _beyond(rep, lang).get(ctx.say("fire.obs_late_title"))
    if name == "warehouse-escalation":
        assert late, "the ready drill's late background call (by mutual aid) went missing"
    # the calls an objective's capped rating cites are named there, not again (review 6 B2)
    cited = {i for f in rep.findings if f.objective and f.table is not None
             for i in (r.incident for r in late) if any(
                 row[0] == ctx.incident_label(i) for row in f.table.rows)}
    late = [r for r in late if r.incident not in cited]
    assert (found is not None) == bool(late)
    if found is not None:
        assert [row[0] for row in found.table.rows] == [ctx.incident_label(r.incident)
                                                        for r in late]
        assert [row[2] for row in found.table.rows] == [tx.minutes(r.response, lang)
                                                        for r in late]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_plan_relief_target_missed_is_named_and_the_score_says_what_it_rates(reports, lang):
    ctx, rep = reports["flood-and-fire", lang]
    s10 = ctx.summary.metrics["relief_share_10h"]
    assert s10 < 1 and all(o.metric != "relief_share_10h" for o in ctx.scenario.objectives)
    found = _beyond(rep, lang)[ctx.say("flood.obs_relief_title")]
    assert f"{s10:.0%}" in found.paragraphs[0]
    n = sum(1 for f in rep.findings if not f.objective)
    assert ctx.say("report.score_beyond", n=n) in rep.score_note


def test_pumps_are_credited_only_where_they_pumped_before_the_peak(reports):
    for lang in ("en", "zh"):
        ctx, rep = reports["flood-and-fire", lang]
        early = pumped_before_peak(ctx.result)
        credited = [s for s in rep.strengths if s.startswith(
            say(lang, "flood.pumps_kept_passable", points="", limit="")[:6])]
        assert bool(credited) == bool(early)


def test_no_action_on_a_segment_that_met_its_standard():
    s = load_scenario(ROOT / "scenarios" / "night-compound-fire.yaml")
    result = run_drill(s, world=load_world(s.network))
    for lang in ("en", "zh"):
        ctx = make_context(result, lang=lang)
        rep = build_report(ctx, figures=False)
        for f in rep.findings:
            said = [p for p in f.paragraphs if p.endswith(say(lang, "fire.segment_within_standard",
                                                               segment="", standard="")[-12:])]
            if said:  # then the segment's own action is not drafted, the first minutes' is
                assert all(a.action != say(lang, "fire.action_travel") for a in f.actions)
                assert say(lang, "fire.action_first_minutes") in [a.action for a in f.actions]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_share_objectives_driving_incidents_are_shown_as_times(reports, lang):
    """Issue 10 item 3: "F1 (31109%)" for 311.09 s must never come back."""
    ctx, rep = reports["highrise-evening", lang]
    o2 = next(o for o in ctx.scenario.objectives if o.metric == "five_minute_share")
    finding = next(f for f in rep.findings if f.objective == o2.id)
    rows = {r.incident: r for r in ctx.summary.rows}
    drivers = fi.driving_incidents(ctx, o2.metric, 0.0, *o2.bound())
    assert drivers
    times = [tx.minutes(rows[r.incident].dispatch_to_arrival, lang) for r, _ in drivers]
    said = ctx.say("fire.driving_incidents", incidents=ctx.say("sep_words").join(
        ctx.say("fire.name_value", incident=ctx.incident_short(r.incident), value=t)
        for (r, _), t in zip(drivers, times, strict=True)))
    assert said in finding.paragraphs
    assert "%)" not in said


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_overview_lists_the_scripted_incidents_and_counts_the_raised_calls(reports, lang):
    ctx, _ = reports["flood-and-fire", lang]
    inc = fi.overview_tables(ctx)[0]
    scripted = [i.id for i in ctx.scenario.all_incidents()]
    assert [row[0] for row in inc.rows] == [ctx.incident_label(i) for i in scripted]
    raised = sum(bool(r.place) for r in ctx.summary.rows)
    assert raised > 0 and ctx.say("fire.incidents_caption_raised", n=raised) in inc.caption
