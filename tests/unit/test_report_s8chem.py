"""Eighth round, chemical drills (review 7d): what the report says, in both languages.

Each test reads what the page says and compares it with the records or the model,
counted here independently of the code that wrote it.
"""

from __future__ import annotations

import statistics

import pytest

from drillsim.metrics.catalog import METRICS
from drillsim.report import render_markdown
from drillsim.report import text as tx
from drillsim.report.findings import beyond_ref, named
from drillsim.report.summary_text import summary_tables

LANGS = ("en", "zh")
CHEMICAL = ("chlorine-night", "chlorine-day-wind-shift", "ammonia-liquor-group")


def _fire_section(rep):
    return next(s for s in rep.sections if s.key == "fire")


def _cells(table) -> list[str]:
    return [c for row in table.rows for c in row]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", CHEMICAL)
def test_walking_groups_are_at_most_the_size_with_recorded_sizes(reports, drill, lang):
    """A1: the model-limits table said "in groups of 200" while the groups recorded were
    mostly of 1 to 5 people (the model splits each road node's leavers into groups of at
    most ``group_size``). The page says "at most" and the count, median and largest of
    the groups the displaced records hold, counted here from the records."""
    ctx, rep = reports[drill, lang]
    spec = ctx.scenario.chemical
    sizes = [int(r.data["people"]) for r in ctx.result.records
             if r.event == "displaced" and r.place == spec.id]
    assert sizes and max(sizes) <= spec.group_size
    assert max(sizes) < spec.group_size or drill != "ammonia-liquor-group"
    text = render_markdown(rep)
    at_most = "at most 200" if lang == "en" else "每组至多200人"
    assert at_most in text
    median = f"{statistics.median(sizes):g}"
    if lang == "en":
        said = f"this run: {len(sizes):,} groups; size median {median}, largest {max(sizes):,})"
    else:
        said = f"{len(sizes):,}组，中位数{median}人，最大{max(sizes):,}人"
    assert said in text, said
    assert ("groups of 200" if lang == "en" else "每组200人") not in text


FIRE_ONLY_EN = ("within 240 s", "heat-release rate when the first unit arrives",
                "fire at 1st arrival", "first-engine travel to fires")
FIRE_ONLY_ZH = ("240秒", "首车到场时火灾热释放速率", "首车到场时火灾规模", "首辆水罐车赴火灾现场")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", ("chlorine-day-wind-shift", "ammonia-liquor-group"))
def test_no_fire_rows_without_fire_calls(reports, drill, lang):
    """A2: chlorine-day (alarm calls) and ammonia (rescue calls) showed "share of
    first-engine travel within 240 s | not measured", the fire heat-release row, an
    always-empty "fire at 1st arrival" column and a caption comparing "first-engine
    travel to fires". None is on the page (as the terminal already left them out); the
    turnout measure, over these calls too, stays."""
    ctx, rep = reports[drill, lang]
    kinds = {r.kind for r in ctx.summary.rows if r.call == r.call}
    assert kinds and "fire" not in kinds
    sec = _fire_section(rep)
    words = FIRE_ONLY_EN if lang == "en" else FIRE_ONLY_ZH
    page = "\n".join([*sec.paragraphs, *(t.caption for t in sec.tables),
                      *(c for t in sec.tables for c in t.columns),
                      *(c for t in sec.tables for c in _cells(t))])
    for w in words:
        assert w not in page, w
    firsts = {row[0] for t in sec.tables for row in t.rows}
    terminal = {row[0] for t in summary_tables(ctx) for row in t.rows}
    for name, shown in (("nfpa_travel_share", False), ("fire_size_at_first_arrival_p90", False),
                        ("nfpa_turnout_share", True), ("five_minute_share", True)):
        label = named(ctx, METRICS[name])
        assert (label in firsts) is shown, label
        if name != "fire_size_at_first_arrival_p90":  # the terminal never shows it
            assert (label in terminal) is shown, label


@pytest.mark.parametrize("lang", LANGS)
def test_fire_drill_keeps_fire_rows(reports, lang):
    """A2, the other side: a drill with fires keeps the travel and fire-size rows, the
    column and (when other calls remove the NFPA column) the caption's travel clause."""
    ctx, rep = reports["highrise-evening", lang]
    sec = _fire_section(rep)
    words = FIRE_ONLY_EN if lang == "en" else FIRE_ONLY_ZH
    page = "\n".join([*(c for t in sec.tables for c in t.columns),
                      *(c for t in sec.tables for c in _cells(t))])
    for w in words[:3]:
        assert w in page, w


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", CHEMICAL)
def test_scripted_warning_before_the_order_is_said(reports, drill, lang):
    """B5: the scripted public warning (warning.issued_at) went out before the
    protective-action order, and the warning coverage (ammonia's O3, the strength) is
    timed from it; the page never said so. The chemical section gives the warning's time,
    the gap to the order and the objectives timed from the warning, exactly when the
    records show the warning first."""
    ctx, rep = reports[drill, lang]
    warned = [r.t for r in ctx.result.records if r.event == "warning_issued"]
    order = next(r.t for r in ctx.result.records if r.event == "protective_action")
    ids = [o.id for o in ctx.scenario.objectives if o.metric.startswith("warning_")]
    text = render_markdown(rep)
    head = ctx.say("chem.warning_before_order", warned="", gap="", objectives="")[:12]
    if not (warned and warned[0] < order):
        assert head not in text
        assert drill == "chlorine-night"
        return
    said = ctx.say("chem.warning_before_order", warned=tx.offset(warned[0]),
                   gap=tx.minutes(order - warned[0], lang),
                   objectives=ctx.say("chem.warning_objectives", ids=ids[0]) if ids else "")
    assert said in text, said
    assert tx.offset(warned[0]) == "+00:25:00"
    assert (ids == ["O3"]) == (drill == "ammonia-liquor-group")


@pytest.mark.parametrize("lang", LANGS)
def test_one_reach_the_zone_action(reports, lang):
    """B6: chlorine-day's plan had "Reach the ordered zone sooner" (O4) and "Reach the
    ordered zone first" (beyond the objectives): same owner, same aim. The plan keeps
    one, the objective's, answering both findings; no owner has two actions of one aim."""
    ctx, rep = reports["chlorine-day-wind-shift", lang]
    first = ctx.say("chem.act_reach_zone_first")
    assert first not in [a.action for a in rep.plan]
    sooner = ctx.say("chem.act_reach_zone_door", last="", households="", upto="", staff="",
                     delay="")[:8]
    (reach,) = [a for a in rep.plan if a.action.startswith(sooner)]
    assert reach.finding == tx.join(["O4", beyond_ref(ctx)], lang, words=True)
    owners_aims = [(a.owner, a.aim or a.action) for a in rep.plan]
    assert len(owners_aims) == len(set(owners_aims))


@pytest.mark.parametrize("lang", LANGS)
def test_preauthorisation_names_the_failed_zone_first(reports, lang):
    """B7: chlorine-night's pre-authorisation action named the AEGL-1 (shelter-in-place)
    communities first, while O3 (nobody above AEGL-2) failed in the evacuation zones. The
    action names the AEGL-2 zone's communities first (most residents first), counted here
    from the zone table's metrics."""
    from drillsim.report import chemical as ch

    ctx, rep = reports["chlorine-night", lang]
    (o3,) = [o for o in ctx.scenario.objectives if o.id == "O3"]
    assert o3.metric == "people_above_aegl2"
    zone2 = ch.zone_reach(ctx)[0][1][2].communities
    assert zone2
    decide = [a for a in rep.plan if a.aim == "decide_sooner"]
    assert len(decide) == 1 and decide[0].finding.startswith("O3")
    text = decide[0].action
    named_first = [ch.area_name(ctx, a) for a, _ in zone2[:ch.PREAUTHORISE_NAMED]]
    sep = "、" if lang == "zh" else ", "
    assert sep.join(named_first) in text or tx.join(named_first, lang, words=True) in text
    widest = ch.zone_reach(ctx)[0][1][1].communities
    top1 = ch.area_name(ctx, widest[0][0])
    if widest[0][0] not in {a for a, _ in zone2}:  # an AEGL-1-only community is not first
        assert text.index(named_first[0]) < text.find(top1) or top1 not in text


@pytest.mark.parametrize("lang", LANGS)
def test_person_minutes_before_the_call_are_not_the_decisions(reports, lang):
    """B8: ammonia's O2 finding aimed the plan at the delay from the call to the decision,
    but people were above AEGL-2 from +00:17:00, before the call at +00:17:43: those
    person-minutes cannot be removed by deciding sooner. The finding says how many,
    counted here from the exposure records (the people above the level at each zone update,
    held until the next update step or the call, whichever is first: review 8 found whole
    steps counted, 22 person-minutes where the records give 8)."""
    from drillsim.report import chemical as ch

    ctx, rep = reports["ammonia-liquor-group", lang]
    f = ch.facts(ctx)
    call = f.call
    ups = [(r.t, float(r.data["aegl2_people"])) for r in ctx.result.records
           if r.event == "plume" and r.place == ctx.scenario.chemical.id]
    step = float(ctx.scenario.chemical.step)
    before = sum(n * (min(t + step, call) - t) for t, n in ups if t < call) / 60.0
    first = min(t for t, n in ups if n > 0)
    assert first < call and before > 0
    total = sum(f.person_minutes_by_phase(2).values())
    said = ctx.say("chem.exposure_before_call", level=2, first=tx.offset(first),
                   call=tx.offset(call), pm=f"{before:,.0f}", total=f"{total:,.0f}")
    paras = "\n".join(p for fi in rep.findings for p in fi.paragraphs)
    assert said in paras, said
    assert before < total
    assert aimed_at_decision(ctx)


def aimed_at_decision(ctx) -> bool:
    from drillsim.report import chemical as ch

    return ch.aimed_delay(ctx, 2) == "decision"


@pytest.mark.parametrize("lang", LANGS)
def test_staging_rating_says_why_not_capped(reports, lang):
    """B9: chlorine-day's O3 (no responder at a staging point inside the AEGL-2 zone) is
    rated P while its note records crews turning out of a station inside the zone. The
    objective's subject is staging points, so the rating is not capped (the cap rule:
    a failure the objective's own subject covers); the note says so, and the turnouts
    are a finding beyond the objectives, with its action."""
    ctx, rep = reports["chlorine-day-wind-shift", lang]
    (row,) = [r for r in rep.objectives if r.id == "O3"]
    reason = ("which the objective does not cover, so the rating is not capped"
              if lang == "en" else "不属本目标范围，故不据此下调评级")
    assert reason in row.level_text
    assert row.rating.code == "P"
    titles = [fi.title for fi in rep.findings]
    assert any(t.endswith(ctx.say("chem.obs_station_turnout_title")) for t in titles)


def _figure_of(monkeypatch, module, make, ctx):
    """The matplotlib figure ``make(ctx)`` draws (its PNG step replaced)."""
    got = {}

    def keep(fig):
        got["fig"] = fig
        return b""

    monkeypatch.setattr(module, "_png", keep)
    make(ctx)
    return got["fig"]


@pytest.mark.parametrize("lang", LANGS)
def test_relief_share_label_clear_of_the_target_line(reports, monkeypatch, lang):
    """B10: ammonia's relief curve ends (drill end) just before the 10-h target line and
    the "100%" label beside its end point ran across that line. The label's box lies
    wholly left of the target line."""
    from drillsim.report import flood as fl

    ctx, _ = reports["ammonia-liquor-group", lang]
    fig = _figure_of(monkeypatch, fl, fl.relief_figure, ctx)
    ax = fig.axes[0]
    fig.canvas.draw()
    (label,) = [t for t in ax.texts if t.get_text() == "100%"]
    box = label.get_window_extent(fig.canvas.get_renderer())
    x_target = ax.transData.transform((ctx.scenario.relief.target / 3600, 0))[0]
    assert box.x1 < x_target


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", CHEMICAL)
def test_release_node_joined_to_site_marker(reports, monkeypatch, drill, lang):
    """B11: the close-up showed the release source (the road node nearest the site) and
    the enterprise's marker as two places, ~141 m apart in chlorine. A dashed line joins
    them and the caption gives the distance, measured here from the two positions."""
    from drillsim.network.graph import haversine_m
    from drillsim.report import chemical as ch

    ctx, _ = reports[drill, lang]
    spec = ctx.scenario.chemical
    (site,) = [p for p in ctx.world.places if p.id == spec.site.place]
    node = next(r.node for r in ctx.result.records
                if r.event == "release_start" and r.place == spec.id)
    net = ctx.world.network
    d = float(haversine_m(net.lat[node], net.lon[node], site.lat, site.lon))
    fig = _figure_of(monkeypatch, ch, ch.zones_figure, ctx)
    links = [ln for ax in fig.axes for ln in ax.lines if ln.get_gid() == "chem-site-link"]
    assert (len(links) == 1) == (d > ch.SITE_LINK_M)
    if links:
        xs, ys = links[0].get_data()
        assert {round(float(x), 6) for x in xs} == {round(float(net.lon[node]), 6),
                                                    round(site.lon, 6)}
        said = ctx.say("chem.fig_site_link", site=ch.site_label(ctx), d=f"{d:,.0f}")
        monkeypatch.undo()
        assert said in ch.zones_figure(ctx).caption
    if drill.startswith("chlorine"):
        assert 100 < d < 200


@pytest.mark.parametrize("drill", CHEMICAL)
def test_chinese_page_wording(reports, drill):
    """B13: the Chinese page wrote "n" as a header, "78%-83%", "3 × 5 t", "离地1 m" and
    "152 m" beside 千克, adjacent brackets "…更多）（见…", "进入，在其之后"; none is left,
    and the written forms are there."""
    import re

    ctx, rep = reports[drill, "zh"]
    text = render_markdown(rep)
    for bad in ("78%-83%", "× 5 t", "离地1 m", "）（见按原因", "进入，在其之后", "| n |"):
        assert bad not in text, bad
    assert "78%～83%" in text
    assert re.search(r"半径\d+米", text)
    assert ("离地" not in text) or re.search(r"离地\d+米", text)
    assert re.search(r"\d+辆\d+吨", text)
    sec = _fire_section(rep)
    assert sec.tables[0].columns[3] == "样本数"


@pytest.mark.parametrize("lang", LANGS)
def test_time_line_leak_end_says_the_time_once(reports, lang):
    """B13: the time line's leak-end row repeated its time ("+00:58:20 … leak ended:
    +00:58:20 XZ-H1 堵漏成功"). The row's text says how the leak ended, not when."""
    from drillsim.report import chemical as ch

    ctx, _ = reports["chlorine-day-wind-shift", lang]
    end = ch.facts(ctx).leak_end
    rows = [what for t, what in ch.timeline(ctx) if t == end.t]
    said = ctx.say("chem.tl_leak_stopped", unit=end.unit)
    assert said in rows
    assert tx.offset(end.t) not in said


@pytest.mark.parametrize("drill", ("chlorine-day-wind-shift", "chlorine-night"))
def test_district_map_station_and_source_above_zones(reports, drill):
    """B11: on the district map the Nanyunhe Road station's triangle and the release
    source lay under the zones' outlines (the station was reset below them after the
    zones lifted it). Both are drawn above every zone fill and outline."""
    from drillsim.report.figures import map_axes
    from drillsim.report.registry import load_parts

    ctx, _ = reports[drill, "en"]
    fig = map_axes(ctx, [p for p in load_parts().values() if p.applies(ctx)])
    ax = fig.axes[0]
    zones = [p.get_zorder() for p in ax.patches if (p.get_gid() or "").startswith(
        ("chem-zone", "chem-outline", "chem-dense"))]
    assert zones
    by_gid = {c.get_gid(): c.get_zorder() for c in ax.collections}
    assert by_gid["places-station"] > max(zones)
    assert by_gid["chem-source"] > max(zones)
