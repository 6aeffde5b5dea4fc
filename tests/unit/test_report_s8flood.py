"""The rainstorm drills as the seventh review read them (issue 10, review 7b): the depth
figure's axis at the data's range, the depot stock labels clear of the data lines."""

from __future__ import annotations

import numpy as np
import pytest

from drillsim.report import figures as fg
from drillsim.report import text as tx

LANGS = ["en", "zh"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def _drawn(monkeypatch, make, ctx):
    """The figure ``make`` draws, as finished for the page (kept open), and its Figure."""
    from drillsim.report import flood as fl

    kept = []
    monkeypatch.setattr(fl, "png", lambda fig, *a, **k: kept.append(fig) or b"")
    out = make(ctx)
    (fig,) = kept
    fig.set_dpi(fg.DPI)
    fig.draw_without_rendering()
    return fig, out


def _data_lines(ax):
    return [ln for ln in ax.get_lines() if len(ln.get_xdata()) > 2]


@pytest.mark.parametrize("lang", LANGS)
def test_depth_axis_stays_at_the_data_range_and_crowded_labels_go_to_the_caption(
        reports, lang, monkeypatch):
    """Night rainstorm: the English pump-station labels found no room beside their lines
    and each failed try raised the depth axis by 1.3 (to 6.8 m for a 2.47 m peak). The axis
    top is at most 1.3 × the highest depth drawn, and every pump-station label is said,
    on the axes (in full) or in the caption (numbered on the axes)."""
    from drillsim.metrics import waterlogging as wl
    from drillsim.report import flood as fl

    ctx, _ = reports["rainstorm-50y-night", lang]
    fig, out = _drawn(monkeypatch, fl.depth_figure, ctx)
    ax = fig.axes[1]
    highest = max(float(np.max(ln.get_ydata())) for ln in _data_lines(ax))
    assert highest == pytest.approx(2.47, abs=0.01)
    assert ax.get_ylim()[1] <= 1.3 * highest
    shown = [" ".join(t.get_text().split()) for t in ax.texts]
    pts = fl.points(ctx)
    for e in wl.pump_station_events(ctx.result):
        key = ("flood.pump_station_restored" if not e.failed
               else "flood.pump_station_failed" if e.scripted else "flood.pump_station_chance")
        said = ctx.say(key, point=fl.short_point(ctx, pts[e.point].spec)).strip()
        if said not in shown:
            number = [t.get_text() for t in ax.texts
                      if t.get_text().isdigit() and t.xy[0] == pytest.approx(e.t / 60)]
            assert number and f"{number[0]} {said}" in out.caption, (said, out.caption)


@pytest.mark.parametrize("drill", ["rainstorm-50y-afternoon", "rainstorm-50y-night"])
@pytest.mark.parametrize("lang", LANGS)
def test_depot_stock_labels_cross_no_data_line(reports, drill, lang, monkeypatch):
    """The depot panels' event labels sat at the top, where the items' lines run at 100 %
    (afternoon 'replenished' at +390 min under food and water at 104 %; night 'stock
    change' at +60 min under bedding). No label's box (display coordinates, as saved)
    meets a point of any item's line as drawn (steps, sampled every pixel or so)."""
    from drillsim.report import flood as fl

    ctx, _ = reports[drill, lang]
    fig, _ = _drawn(monkeypatch, fl.stock_figure, ctx)
    renderer = fig.canvas.get_renderer()
    labels = 0
    for ax in fig.axes:
        for t in ax.texts:
            if not t.get_text().strip():
                continue
            labels += 1
            box = t.get_window_extent(renderer)
            for ln in _data_lines(ax):
                x, y = (np.asarray(v, dtype=float) for v in ln.get_data())
                xs = np.repeat(x, 2)[1:]  # steps-post: across at the old level, then up/down
                ys = np.repeat(y, 2)[:-1]
                pix = ax.transData.transform(np.column_stack([xs, ys]))
                for (x0, y0), (x1, y1) in zip(pix[:-1], pix[1:], strict=True):
                    n = int(max(abs(x1 - x0), abs(y1 - y0))) + 2
                    px, py = np.linspace(x0, x1, n), np.linspace(y0, y1, n)
                    inside = (px > box.x0) & (px < box.x1) & (py > box.y0) & (py < box.y1)
                    assert not inside.any(), (t.get_text(), ln.get_label())
    assert labels


@pytest.mark.parametrize("lang", LANGS)
def test_gantt_caption_speaks_of_scripted_incidents_only_when_there_are_some(reports, lang):
    """The rainstorm drills script no incident (every call comes from the flood model):
    their time-line captions named 'the scripted incident' twice. Now only flood-and-fire,
    which scripts F1, says its bars are labelled and its incidents not drawn as lines."""
    word = "scripted incident" if lang == "en" else "脚本警情"
    for drill in ("rainstorm-50y-afternoon", "rainstorm-50y-night"):
        ctx, _ = reports[drill, lang]
        assert not fg.scripted_labels(ctx)
        assert word not in fg.gantt_caption(ctx)
    night = fg.gantt_caption(reports["rainstorm-50y-night", lang][0])
    assert ("Dotted lines mark when the injects" if lang == "en" else "虚线为情景注入") in night
    ctx, _ = reports["flood-and-fire", lang]
    caption = fg.gantt_caption(ctx)
    assert "F1" in fg.scripted_labels(ctx)
    assert ctx.say("figure.gantt_caption_labelled") in caption
    assert ctx.say("figure.gantt_caption_no_incident_lines") in caption


@pytest.mark.parametrize("lang", LANGS)
def test_rescue_bottleneck_says_which_calls_it_is_of(reports, lang):
    """Night O2 said 'mutual aid on the way, the largest segment (81% of the response time
    of these calls)' after '63 rescue calls': 81 % holds for the 6 calls beyond the target
    only; over all 63 waiting for a free unit is the largest (41 % against 19 %). The
    finding names the 6 calls, and then the largest segment over all calls, each share
    summed here from the calls' segments."""
    from collections import defaultdict

    from drillsim.metrics.rescue import rescue_calls
    from drillsim.report.fire import SEGMENT_WORDING, breakdown

    ctx, rep = reports["rainstorm-50y-night", lang]
    found = next(f for f in rep.findings if f.objective == "O2")
    obj = next(o for o in ctx.scenario.objectives if o.id == "O2")
    calls = rescue_calls(ctx.summary.rows, obj.bound()[1])

    def largest(rows):
        totals = defaultdict(float)
        for r in rows:
            for k, v in breakdown(ctx, r, "first", False).segments.items():
                totals[k] += v
        top = max(totals, key=totals.get)
        return ctx.say(SEGMENT_WORDING[top]), round(100 * totals[top] / sum(totals.values()))

    seg, share = largest(calls.late)
    all_seg, all_share = largest(calls.calls)
    assert (len(calls.late), len(calls.calls), share, all_share) == (6, 63, 81, 41)
    text = " ".join(found.paragraphs)
    if lang == "en":
        assert (f"Bottleneck of the 6 calls beyond the target: {seg}, the largest segment "
                f"(81% of their response time).") in text
        assert (f"Over all 63 calls the largest segment is {all_seg} (41% of their response "
                "time).") in text
    else:
        assert f"超出目标的6起警情的瓶颈：{seg}，为最大环节（占其响应时间的81%）。" in text
        assert f"就全部63起警情而言，最大环节为{all_seg}（占其响应时间的41%）。" in text


@pytest.mark.parametrize("lang", LANGS)
def test_rescue_actions_say_the_teams_were_activated_early_and_assembly_once(reports, lang):
    """Night O2: the teams were activated at +00:45, before the first rescue call (+01:31),
    so 'activate at the warning, not at the flooding' was wrong: the action says they were
    activated before the first call and the time lost was their assembly. City Management's
    191.2 min assembly was stated three times (finding, observation, action): now once in
    the findings and once in the plan."""
    from drillsim.metrics.rescue import rescue_calls
    from drillsim.metrics.teams import team_mobilisation

    ctx, rep = reports["rainstorm-50y-night", lang]
    teams = team_mobilisation(ctx.result)
    activated = min(m.activated_at for m in teams)
    obj = next(o for o in ctx.scenario.objectives if o.id == "O2")
    first = rescue_calls(ctx.summary.rows, obj.bound()[1]).first_call
    assert activated < first
    o2 = " ".join(a.action for a in rep.plan if a.finding == "O2")
    assert ctx.say("flood.action_preposition_rescue") not in o2
    assert ctx.say("flood.action_preposition_assembled", activated=tx.offset(activated),
                   first=tx.offset(first)) in o2
    assert (tx.offset(activated), tx.offset(first)) == ("+00:45:00", "+01:31:14")
    slow = max(teams, key=lambda m: m.assembly_s)
    minutes = tx.minutes(slow.assembly_s, lang)
    assert minutes.startswith("191.2")
    findings = " ".join(p for f in rep.findings for p in f.paragraphs)
    assert findings.count(minutes) == 1
    assert o2.count(minutes) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_terminal_relief_tables_and_objective_ratings(reports, lang):
    """Terminal summary (review 7b B6): the relief stock table had an empty fifth header
    (all blank in the afternoon); the night's 'relief bottleneck' and 'item that binds'
    rows said the same; night O2 showed 'met' though the report rates it S (cases beyond
    the target). Now: the mark column only when an item binds, with a header; the binding
    item said once; O2's cell gives the report's rating."""
    from drillsim.report.findings import level_name, rated_objectives
    from drillsim.report.summary_text import caps_table, objectives_table, relief_table

    day, _ = reports["rainstorm-50y-afternoon", lang]
    night, _ = reports["rainstorm-50y-night", lang]
    for ctx in (day, night):
        caps = caps_table(ctx)
        assert all(c.strip() for c in caps.columns)
        assert all(len(r) == len(caps.columns) for r in caps.rows)
    assert len(caps_table(day).columns) == 4  # nothing binds in the afternoon
    marks = [r[4] for r in caps_table(night).rows]
    assert marks == [night.say("sum.binds"), "", ""]
    item = tx.term("item", "bedding_set", lang)
    cells = [v for r in relief_table(night).rows for v in r[1:]]
    assert len([c for c in cells if c.startswith(item)]) == 1
    o2 = next(ro for ro in rated_objectives(night) if ro.res.objective.id == "O2")
    assert (o2.res.status, o2.rating.code) == ("met", "S")
    row = next(r for r in objectives_table(night).rows if r[0].startswith("O2"))
    assert row[4] == night.say("sum.met_capped", code="S", level=level_name(night, o2.rating))
    assert ("S/good" if lang == "en" else "S/") in row[4]


@pytest.mark.parametrize("lang", LANGS)
def test_team_table_says_shared_members_apart(reports, lang):
    """Afternoon teams table (review 7b B8): 'members left' 107 (City Management) and 348
    (Civil air defence) both held the 30 members on both rosters (a count of who is free
    at each assembly, right for each team, not to be summed). The shared ones are said
    apart: own left is the team's own members less the crews its units took (a team fields
    from its own members first), recomputed here from the drill file and the records."""
    from collections import defaultdict

    from drillsim.report import flood as fl

    ctx, rep = reports["rainstorm-50y-afternoon", lang]
    crews = defaultdict(int)
    for r in ctx.records:
        if r.event == "mobilised":
            crews[r.place] += int(r.data["crew"])
    free = {r.place: int(r.data["free_members"]) for r in ctx.records
            if r.event == "team_assembled"}
    table = next(t for t in rep.overview_tables
                 if t.columns[-1] == ctx.say("flood.col_members_left"))
    shared_said = 0
    for (spec, m), row in zip(fl.shown_team_rows(ctx), table.rows, strict=True):
        own_total = spec.members - sum(m.shared.values())
        own = max(own_total - crews[spec.id], 0)
        shared = free[spec.id] - own
        if shared:
            shared_said += 1
            assert row[-1] == ctx.say("flood.members_left_shared", own=tx.count(own),
                                      shared=tx.count(shared)), row
        else:
            assert row[-1] == tx.count(free[spec.id])
    # City Management and Civil air defence share 30, Blue Star and Civil air defence 10:
    # 77 + 30, 308 + 40, 0 + 10 (the record's 107, 348, 10)
    assert shared_said == 3


@pytest.mark.parametrize("lang", LANGS)
def test_no_injects_said_once(reports, lang):
    """Afternoon rainstorm (review 7b B11): 'The drill script has no injects…' stood under
    the inject time line and again as the MSEL section; the MSEL now points back to it."""
    from drillsim.report import render_html, render_markdown

    ctx, rep = reports["rainstorm-50y-afternoon", lang]
    assert not rep.injects.rows and not rep.msel.rows
    for page in (render_markdown(rep), render_html(rep)):
        assert page.count(ctx.say("no_injects")) == 1
        assert page.count(ctx.say("no_msel")) == 1


@pytest.mark.parametrize("lang", LANGS)
def test_waterlogging_table_words_and_the_millimetre_depth(reports, lang):
    """Night (review 7b B10): 'road arcs' is graph jargon; the culvert's 0.599 m stood
    unexplained among two-decimal depths. The column says road sections; the caption says
    why 0.599 keeps the millimetre (0.60 would read as the 0.6 m truck limit, which the
    peak stays below)."""
    from drillsim.report import flood as fl

    ctx, rep = reports["rainstorm-50y-night", lang]
    table = next(t for t in rep.overview_tables
                 if t.columns[0] == ctx.say("flood.col_point"))
    assert "arcs" not in " ".join(table.columns)
    culvert = [r for r in table.rows if r[1] == "0.599 m"]
    assert len(culvert) == 1
    peak = max(p.m.peak_m for p in fl.points(ctx).values() if tx.depth(p.m.peak_m) == "0.599")
    assert 0.5985 <= peak < 0.6
    assert ctx.say("flood.points_caption_mm", depth="0.599", limit="0.6 m") in table.caption
    assert table.caption.count(" m") >= 1 and "0.42" not in table.caption


@pytest.mark.parametrize("lang", LANGS)
def test_relief_finding_says_where_the_restock_went(reports, lang):
    """Night O1 (review 7b B13): 'Most behind: Hongqiao Park' did not say that the +06:30
    restock sent 958 bedding sets to West Station South Square, 957 to Binhe Park and 85 to
    Hongqiao Park (the truck_load records at 23,400 s). The finding says so, the split
    summed here from the records."""
    from collections import defaultdict

    from drillsim.report import flood as fl

    ctx, rep = reports["rainstorm-50y-night", lang]
    restock = next(r for r in ctx.records if r.event == "replenish")
    split = defaultdict(float)
    for r in ctx.records:
        if r.event == "truck_load" and r.place == restock.place and r.t >= restock.t:
            split[r.data["shelter"]] += float(r.data["items"].get("bedding_set", 0.0))
    split = {k: v for k, v in sorted(split.items(), key=lambda kv: -kv[1]) if v}
    assert split == {"xizhan_south_square": 958, "binhe_park": 957, "hongqiao_park": 85}
    said = ctx.say("flood.restock_split", depot=fl.place_short(ctx, restock.place),
                   at="+06:30:00", item=tx.term("item", "bedding_set", lang),
                   split=tx.join((ctx.say("flood.to_shelter", qty=tx.count(q),
                                          shelter=fl.place_short(ctx, s))
                                  for s, q in split.items()), lang))
    o1 = next(f for f in rep.findings if f.objective == "O1")
    assert said in o1.paragraphs
    assert ("85 to Hongqiao Park" if lang == "en" else "红桥公园85") in said


def test_chinese_page_details(reports, monkeypatch):
    """Review 7b B7 (Chinese): a stock figure alone carries the item's counter
    (各储备库共有3,500套, not 3,500); the depth figure's axes bracket their units; the
    page shows no file path; the response-component table's count column is 样本数 as in
    the terminal, not 'n'."""
    from drillsim.report import flood as fl
    from drillsim.report import render_markdown

    assert tx.amount("bedding_set", 3500, "zh") == "3,500套"
    assert tx.amount("water_l", 27000, "zh") == "27,000升"
    assert tx.amount("bedding_set", 3500, "en") == "3,500"
    ctx, rep = reports["rainstorm-50y-night", "zh"]
    plan = " ".join(a.action for a in rep.plan)
    assert "各储备库共有5,500套（含补充）" in plan and "至少增加800套" in plan
    fig, _ = _drawn(monkeypatch, fl.depth_figure, ctx)
    assert [ax.get_ylabel() for ax in fig.axes[:2]] == ["雨强（mm/h）", "水深（m）"]
    day, day_rep = reports["rainstorm-50y-afternoon", "zh"]
    page = render_markdown(day_rep)
    assert "docs/" not in page and ".md" not in page
    assert "| 环节 | P50 | P90 | 样本数 |" in page
