"""The fire and response part says only what the records show (issue 10, third review):
the NFPA column only beside fire-call fractiles, rows painted red by the measure of
their kind, the largest fires named, every unit a road closure delayed, the idle station
units the flood-rescue plan never sends, few-case statistics stated as cases, fire calls
typed as fires, held units grouped, and figure panels that match their caption."""

from __future__ import annotations

import math

import pytest

from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.response import missed_measure
from drillsim.metrics.standards import FIRE_CALLS, FIVE_MINUTE, FLOOD_RESCUE_TARGET_S
from drillsim.report import fire as fi
from drillsim.report import text as tx
from drillsim.report.findings import gap_text, named, target_text
from drillsim.report.msel import msel_rows

LANGS = ["en", "zh"]


def _section(ctx, monkeypatch):
    """The response section without drawing its figure."""
    monkeypatch.setattr(fi, "response_figure", lambda ctx: None)
    return fi.sections(ctx)[0]


def _finding(rep, objective):
    return next(f for f in rep.findings if f.objective == objective)


# ----------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("lang", LANGS)
def test_nfpa_column_only_beside_fire_calls(reports, lang, monkeypatch):
    ctx, _ = reports["flood-and-fire", lang]
    comp = _section(ctx, monkeypatch).tables[0]
    assert ctx.say("fire.col_nfpa") not in comp.columns  # 57 of 60 calls are flood rescues
    assert all(len(r) == 4 for r in comp.rows)
    assert tx.term("kind", "flood_rescue", lang) in comp.caption
    ctx, _ = reports["night-compound-fire", lang]
    comp = _section(ctx, monkeypatch).tables[0]
    assert all(r.kind in FIRE_CALLS for r in ctx.summary.rows)  # the premise
    assert ctx.say("fire.col_nfpa") in comp.columns
    assert not fi.teams_called(ctx)  # teams on paper, never called out
    assert ctx.say("fire.components_caption_teams") not in comp.caption


@pytest.mark.parametrize("lang", LANGS)
def test_fire_only_captions_name_no_other_kind(reports, lang, monkeypatch):
    ctx, _ = reports["night-compound-fire", lang]
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    caption = fi._response_caption(ctx, rows, fi.response_panel_rows(rows))
    comp = _section(ctx, monkeypatch).tables[0]
    words = ("flood", "hazmat", "team") if lang == "en" else ("积水", "危化", "队伍")
    for text in (caption, comp.caption, ctx.say("figure.gantt_title")):
        assert not any(w in text.lower() for w in words), text


# ----------------------------------------------------------------------------- item 2


@pytest.mark.parametrize("lang", LANGS)
def test_rows_red_by_the_measure_of_their_kind(reports, lang, monkeypatch):
    ctx, _ = reports["flood-and-fire", lang]
    table = _section(ctx, monkeypatch).tables[2]
    assert not [o for o in ctx.scenario.objectives if o.metric == "rescue_first_arrival_p90"]
    rows = sorted(ctx.summary.rows, key=lambda r: r.call)  # the table's order: call time
    assert len(table.rows) == len(rows)
    spared = 0
    for r, cls in zip(rows, table.row_classes, strict=True):
        if r.kind == "flood_rescue":
            want = r.unmet or not r.response <= FLOOD_RESCUE_TARGET_S
            spared += r.queued and not want  # the fire rule would have painted it
        else:
            # any unit it needed waited (test_report_fire_review5: A4)
            want = r.unmet or r.queued or not FIVE_MINUTE.met(r.dispatch_to_arrival)
        assert (cls == "bad") == want, r.incident
        assert missed_measure(r, FLOOD_RESCUE_TARGET_S) == want
    assert spared > 0
    assert ctx.say("fire.red_rule_rescue", target=tx.minutes(FLOOD_RESCUE_TARGET_S, lang),
                   source=ctx.say("fire.rescue_target_default")) in table.caption
    assert ctx.say("fire.red_rule_fire") in table.caption


# ----------------------------------------------------------------------------- item 3


@pytest.mark.parametrize("lang", LANGS)
def test_largest_fires_at_first_arrival_and_control_name_the_incident(reports, lang,
                                                                      monkeypatch):
    ctx, _ = reports["flood-and-fire", lang]
    std = _section(ctx, monkeypatch).tables[1]
    q = {r.event: float(r.get("q_kw")) for r in ctx.records
         if r.incident == "F1" and r.event in ("arrive", "control") and r.get("q_kw")
         and (r.event == "control" or r.unit == ctx.rows["F1"].first_unit)}
    bg = ctx.rows["BG001"].q_first_arrival_kw
    assert q["arrive"] > bg and q["control"] > bg  # the premise: F1 is the larger fire
    cells = {row[0]: row[1] for row in std.rows}
    for key, event in (("fire.largest_at_first", "arrive"), ("fire.largest_at_control",
                                                            "control")):
        assert cells[ctx.say(key)] == ctx.say("fire.name_value", incident="F1",
                                              value=tx.value(q[event], "kW", lang))
    # the largest-fire rows (the P90 row, over 2 cases, lists each case's value: BG001 too)
    largest = [cells[ctx.say(k)] for k in ("fire.largest_at_first", "fire.largest_at_control")]
    assert "0.8 MW" not in " ".join(largest) if lang == "en" else True


# ----------------------------------------------------------------------------- item 4


@pytest.mark.parametrize("lang", LANGS)
def test_closure_that_delayed_a_would_be_first_unit_is_named(reports, lang):
    ctx, rep = reports["night-compound-fire", lang]
    [d] = ctx.closure_delays
    assert (d.inject, d.unit, d.first_unit) == ("I1", "XZ-E1", "NY-E2") and d.first_due
    f = _finding(rep, "O2")
    text = "\n".join(f.paragraphs)
    road = ctx.say("fire.name_value", incident=ctx.road_name(d.road), value="I1")
    assert ("Xiqing Road" if lang == "en" else "西青道") in road  # the page's language
    assert ctx.say("fire.fact_closed_first_due", road=road, unit="XZ-E1",
                   extra=tx.minutes(d.delay, lang), at=tx.offset(d.arrival_open),
                   first=tx.offset(d.first_arrival)) in text
    # the fire's size then, between its recorded sizes around that moment (flashover,
    # first arrival): about 4.8 MW instead of 5.5 MW
    sized = [(r.t, float(r.get("q_kw"))) for r in ctx.records
             if r.incident == "F1" and r.get("q_kw") is not None]
    (t0, q0), (t1, q1) = [(t, q) for t, q in sized if t <= d.arrival_open][-1], \
        next((t, q) for t, q in sized if t >= d.arrival_open)
    q_open = q0 + (q1 - q0) * (d.arrival_open - t0) / (t1 - t0)
    assert q0 < q_open < ctx.rows["F1"].q_first_arrival_kw
    assert ctx.say("fire.fact_closed_size", q_open=tx.value(q_open, "kW", lang),
                   q_first=tx.value(ctx.rows["F1"].q_first_arrival_kw, "kW", lang)) in text
    assert ctx.say("fire.fact_closed_no_delay", roads=road) not in text
    assert ctx.say("fire.action_closed_road", roads=road) in [a.action for a in f.actions]
    row = next(r for r in msel_rows(ctx) if r.id == "I1")
    assert row.sim_what == ctx.say("msel.closure_first_due", unit="XZ-E1", incident="F1",
                                   extra=tx.minutes(d.delay, lang))


# ----------------------------------------------------------------------------- item 5


@pytest.mark.parametrize("lang", LANGS)
def test_idle_station_units_and_the_rescue_plan_are_named(reports, lang):
    ctx, rep = reports["flood-and-fire", lang]
    plan = {t for level in ctx.scenario.forces.plan("flood_rescue") for k in level
            for t in k.split("|")}
    waited = [r for r in ctx.summary.rows if r.kind == "flood_rescue" and r.queued]
    t0 = min(r.queued_at for r in waited)
    t1 = max(r.first_dispatch for r in waited)
    stations = {st.id for st in ctx.scenario.forces.stations}
    sent = {r.unit for r in ctx.records if r.event == "dispatch" and r.t < t1}
    back = {r.unit for r in ctx.records if r.event == "release" and r.t <= t0}
    busy = {u for u in sent if u not in back or any(
        r.event == "dispatch" and r.unit == u and t0 <= r.t < t1 for r in ctx.records)}
    idle = [u for u in ctx.result.units if u.station in stations and u.staffed
            and u.type not in plan and u.id not in busy]
    assert len(idle) >= 10  # the premise: engines, ladders, tankers stood by
    f = _finding(rep, "O2")
    text = "\n".join(f.paragraphs)
    assert ctx.say("fire.units_of_type", type=tx.term("unit", "engine", lang),
                   n=sum(u.type == "engine" for u in idle)) in text
    assert all(f"{d:.2f} m" in text for d in _peaks(ctx, waited))
    assert max(_peaks(ctx, waited)) < DEPTH_LIMIT_M["fire_engine"]
    plan_names = ctx.say("sep_words").join(
        tx.term("unit", t, lang) for t in dict.fromkeys(
            t for level in ctx.scenario.forces.plan("flood_rescue") for k in level
            for t in k.split("|")))
    assert ctx.say("fire.action_engines_rescue", limit="0.6 m", n=len(idle),
                   plan=plan_names) in [a.action for a in f.actions]


def _peaks(ctx, waited):
    from drillsim.metrics.waterlogging import waterlogging_points

    pts = waterlogging_points(ctx.result)
    return sorted({pts[r.place].peak_m for r in waited})


@pytest.mark.parametrize("lang", LANGS)
def test_team_assembly_is_against_the_first_call_that_waited(reports, lang):
    ctx, rep = reports["flood-and-fire", lang]
    first_call = min(r.call for r in ctx.summary.rows if r.kind == "flood_rescue")
    first_wait = next(r for r in ctx.records if r.event == "queued"
                      and ctx.rows[r.incident].kind == "flood_rescue")
    assert first_wait.t > first_call  # the premise: a station rescue truck took call 1
    obs = next(f for f in rep.findings if f.title == ctx.say(
        "finding.beyond_title", what=ctx.say("flood.obs_team_title")))
    text = " ".join(obs.paragraphs)
    assert tx.offset(first_call) not in text
    assert tx.offset(first_wait.t) in text and ctx.incident_short(first_wait.incident) in text


# ----------------------------------------------------------------------------- item 6


@pytest.mark.parametrize("lang", LANGS)
def test_few_cases_are_stated_and_rated_on_their_values(reports, lang):
    ctx, rep = reports["night-compound-fire", lang]
    f = _finding(rep, "O2")
    q = ctx.rows["F1"].q_first_arrival_kw
    res = next(r for r in ctx.summary.objectives if r.objective.id == "O2")
    assert f.paragraphs[0] == ctx.say(
        "fire.measured_one", values=ctx.say("fire.name_value", incident="F1",
                                            value=tx.value(q, "kW", lang)),
        target=target_text(ctx, res.objective),
        metric=named(ctx, METRICS["fire_size_at_first_arrival_p90"]),
        value=tx.value(res.value, "kW", lang), gap=gap_text(ctx, res))
    for row in rep.objectives:  # O1 (one call), O2 (one fire), O3 (three turnouts)
        assert row.rule.endswith(ctx.say("report.rule_one_case") if row.id != "O3"
                                 else ctx.say("report.rule_few_cases", n=3)), row.id
    joined = "\n".join(rep.strengths)
    assert "Each of the 1 " not in joined and "1个统计对象均满足" not in joined
    assert "(too few cases" not in joined


def test_fire_wording_has_no_bracketed_plural():
    from drillsim.report.wording import catalogue

    cat = catalogue()
    for key, texts in cat.items():
        if key.startswith("fire."):
            assert "(s)" not in texts["en"], key


# ----------------------------------------------------------------------------- item 7


def test_equal_times_fall_in_one_bin_and_the_last_bar_is_whole():
    vals, bins = fi.histogram_bins([25.0, 1500.0000001 / 60, 1499.9999999 / 60, 25.0, 3.2])
    import numpy as np

    counts, _ = np.histogram(vals, bins=bins)
    k = bins.index(25.0)
    assert counts[k] == 4 and bins[-1] > 25.0 and counts.sum() == 5


@pytest.mark.parametrize("lang", LANGS)
def test_segment_panel_holds_what_its_caption_says(reports, lang):
    ctx, _ = reports["flood-and-fire", lang]
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    pick = fi.response_panel_rows(rows)
    own = [r for r in rows if not r.background and not r.place]
    others = [r for r in rows if r.background or r.place]
    shown = [r for r in pick if r.background or r.place]
    assert pick[:len(own)] == own and len(shown) == max(fi.PANEL_ROWS - len(own),
                                                         fi.PANEL_OTHERS)
    left = [r.response for r in others if r not in shown]
    assert min(r.response for r in shown) >= max(left, default=-1)  # the slowest
    kinds = ctx.say("sep_words").join([ctx.say("fire.background_calls"),
                                      tx.term("kind", "flood_rescue", lang)])
    assert ctx.say("fire.fig_response_right", n=len(shown), of=len(others),
                   kinds=tx.paren(kinds, lang)) in fi._response_caption(ctx, rows, pick)


# ----------------------------------------------------------------------------- item 8


@pytest.mark.parametrize("lang", LANGS)
def test_background_fire_is_typed_as_a_fire(reports, lang, monkeypatch):
    ctx, _ = reports["flood-and-fire", lang]
    table = _section(ctx, monkeypatch).tables[2]
    row = next(r for r in table.rows if r[0] == ctx.incident_label("BG001"))
    assert ctx.rows["BG001"].occupancy == "dwelling"
    assert row[1] == ("dwelling fire" if lang == "en" else "住宅火灾")


# ----------------------------------------------------------------------------- item 9


@pytest.mark.parametrize("lang", LANGS)
def test_held_units_grouped_and_no_harmless_route_change(reports, lang):
    ctx, rep = reports["flood-and-fire", lang]
    f = _finding(rep, "O2")
    held = [p for p in f.paragraphs if ctx.say("fire.fact_held", incidents="", places="")[:4]
            in p]
    assert len(held) == 1  # one paragraph for where the units were held
    assert len(f.paragraphs) <= 8
    for a in (a for lst in fi.activity(ctx).values() for a in lst if a.reroutes):
        said = ctx.say("fire.fact_reroutes", unit=ctx.unit_label(a.unit),
                       times=fi.times(ctx, a.reroutes), late=tx.minutes(a.late, lang))
        if said in "\n".join(f.paragraphs):
            assert a.late > 10.0


@pytest.mark.parametrize("lang", LANGS)
def test_gantt_title_names_teams_only_when_one_was_called(reports, lang):
    from drillsim.report.figures import gantt_axes, pyplot

    for name, called in (("night-compound-fire", False), ("flood-and-fire", True)):
        ctx, _ = reports[name, lang]
        assert fi.teams_called(ctx) == called
        fig = gantt_axes(ctx)
        title = fig.axes[0].get_title()
        pyplot().close(fig)
        assert title == (ctx.say("figure.gantt_title_teams") if called
                         else ctx.say("figure.gantt_title"))
        assert ("队伍" in title or "team" in title) == called


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", [
    "flood-and-fire", "warehouse-escalation",
    pytest.param("rainstorm-50y-afternoon", marks=pytest.mark.slow)])  # one: singular
def test_score_note_counts_further_areas_in_singular_and_plural(reports, name, lang):
    ctx, rep = reports[name, lang]
    beyond = [f for f in rep.findings if f.objective not in
              {o.objective.id for o in ctx.summary.objectives}]
    assert beyond  # the premise
    want = ctx.say("report.score_beyond_one") if len(beyond) == 1 else \
        ctx.say("report.score_beyond", n=len(beyond))
    assert want in rep.score_note
    assert "1 further areas" not in rep.score_note
