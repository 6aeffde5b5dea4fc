"""The rainstorm part of the report: renders for the flood drills, escapes user text,
and names the relief bottleneck that :func:`drillsim.metrics.relief.bottleneck` computes."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from markupsafe import escape

from drillsim.api import load_world, run_drill
from drillsim.metrics import relief as rm
from drillsim.report import build_report, make_context, render_html, render_markdown
from drillsim.report import text as tx
from drillsim.report.msel import msel_rows
from drillsim.report.render import write_report
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FLOOD_DRILLS = ["rainstorm-50y-afternoon", "rainstorm-50y-night", "flood-and-fire"]
FLOOD_FIGURES = {"flood_depth", "relief_curve", "shelters", "depot_stock", "warning"}
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def results():
    out = {}
    for name in FLOOD_DRILLS:
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        out[name] = run_drill(s, world=load_world(s.network))
    return out


@pytest.fixture(scope="module")
def world():
    return load_world("default")


def _png_ok(data: bytes) -> bool:
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(data), format="png")
    return img.shape[0] > 200 and img.shape[1] > 200 and float(img[..., :3].std()) > 0.02


@pytest.mark.slow  # every drill with figures, both languages: run by .ci/run
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flood_report_renders_with_its_figures_and_tables(results, world, lang):
    import html5lib

    for name, result in results.items():
        rep = build_report(make_context(result, lang=lang, world=world))
        figs = {f.key: f for s in rep.sections for f in s.figures}
        assert FLOOD_FIGURES <= set(figs), (name, sorted(figs))
        for key in FLOOD_FIGURES:
            assert _png_ok(figs[key].png), (name, key)
        keys = [s.key for s in rep.sections]
        assert {"flood", "relief", "warning"} <= set(keys), keys
        captions = " ".join(t.caption for t in rep.overview_tables)
        for en, zh in (("Waterlogging points", "积水点"), ("Shelters", "避难场所"),
                       ("Relief depots", "救灾物资库"), ("Teams", "应急队伍"),
                       ("Waiting for relief by cause", "按原因统计的等待救助")):
            assert (zh if lang == "zh" else en) in captions, (name, en)
        page = render_html(rep, embed_font=False)
        html5lib.HTMLParser(strict=True).parse(page)
        assert page.count("data:image/png;base64,") == len(rep.figures) + sum(
            len(s.figures) for s in rep.sections)
        md = render_markdown(rep)
        assert "flood_depth" in md or "figures/" not in md
        if lang == "zh":
            assert "暴雨：积水与道路" in page and "转移安置与生活救助" in page


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
def test_waterlogging_table_matches_the_records(results, world):
    result = results["rainstorm-50y-night"]
    rep = build_report(make_context(result, lang="en", world=world), figures=False)
    table = next(t for t in rep.overview_tables if t.caption.startswith("Waterlogging"))
    peak = max(r.data["depth_m"] for r in result.records
               if r.event == "depth" and r.place == "tianping_underpass")
    row = next(r for r in table.rows if "Tianping bridge underpass" in r[0])
    assert row[1] == f"{peak:.2f} m" and peak >= 0.6
    assert row[3] != "no" and row[4] != "no"  # closed to cars and to fire engines


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
def test_explainers_name_the_bottleneck_of_the_records(world, tmp_path):
    # the night drill in a 100-year storm: more people leave than the stock covers in 10 h
    text = (ROOT / "scenarios" / "rainstorm-50y-night.yaml").read_text(encoding="utf-8")
    drill = tmp_path / "night-100y.yaml"
    drill.write_text(text.replace("return_period: 50", "return_period: 100"), encoding="utf-8")
    result = run_drill(load_scenario(drill), world=world)
    share = rm.relief_metrics(result)["relief_share_10h"]
    assert share < 1.0
    b = rm.bottleneck(result)
    # the binding item's whole stock covers fewer people than were displaced: that caps the
    # relieved share whatever the trucks do, so it is the bottleneck (not the longest wait)
    short = b["shortfall"]
    c = short.binding
    assert b["bottleneck"] == "stock" and short.capped == short.displaced - short.covered > 0
    assert share * short.displaced <= short.covered + 0.5
    from drillsim.report.wording import say

    for lang in ("en", "zh"):
        rep = build_report(make_context(result, lang=lang, world=world), figures=False)
        relief = next(f for f in rep.findings if f.objective == "O1")
        text = " ".join(relief.paragraphs)
        assert say(lang, "flood.relief_binding_item", item=tx.term("item", c.item, lang),
                   stock=tx.amount(c.item, c.stock, lang), ration=f"{c.ration:g}",
                   covered=f"{short.covered:,}", displaced=f"{short.displaced:,}",
                   capped=f"{short.capped:,}") in text
        for item in b["stock_out_items"]:
            assert tx.term("item", item, lang) in text
        assert relief.table is not None and relief.table.rows  # shelters most behind
        assert relief.actions and all(a.owner for a in relief.actions)
        warning = next(f for f in rep.findings if f.objective == "O3")
        assert tx.term("channel", "grid workers door to door", lang) in " ".join(
            warning.paragraphs)
    owners = " ".join(a.owner for a in rep.plan)
    assert "区民政局" in owners and "区防汛指挥部" in owners


def test_msel_rules_for_flood_injects(results, world):
    ctx = make_context(results["rainstorm-50y-night"], lang="en", world=world)
    rows = {r.id: r for r in msel_rows(ctx)}
    pump = next(r for r in ctx.records if r.event == "dispatch"
                and r.place == "tianping_underpass" and r.data["task"] == "pump")
    assert rows["I1"].sim_t == pump.t and ctx.unit_label(pump.unit) in rows["I1"].sim_what
    change = next(r for r in ctx.records if r.event == "stock_change"
                  and r.place == "district_relief_depot")
    assert rows["I2"].sim_t == change.t and "taken away" in rows["I2"].sim_what


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_chance_failure_and_late_pump_are_said(results, world, lang):
    """Night rainstorm: the chance pump-station failure is named as such in the flood text
    (not as an inject), and an observation says no pump reached the failed station while
    it was out (the first came after the restoration)."""
    from drillsim.metrics import waterlogging as wl

    result = results["rainstorm-50y-night"]
    ctx = make_context(result, lang=lang, world=world)
    chance = [r for r in result.records if r.event == "pump_station_failed"
              and not any(i.kind == r.event and i.at == r.t for i in result.scenario.injects)]
    assert chance  # the run this test is about
    events = wl.pump_station_events(result)
    assert [e.scripted for e in events if e.failed] == [True, False]
    rep = build_report(ctx, figures=False)
    flood = next(s for s in rep.sections if s.key == "flood")
    said = " ".join(flood.paragraphs)
    for r in chance:
        assert ctx.say("flood.failure_at", point=ctx.point_name(r.place),
                       offset=tx.offset(r.t)) in said
    obs = next(f for f in rep.findings if f.title == ctx.say(
        "finding.beyond_title", what=ctx.say("flood.obs_pump_title")))
    failed = next(r.t for r in result.records if r.event == "pump_station_failed")
    back = next(r.t for r in result.records if r.event == "pump_station_restored")
    pump = next(r.t for r in result.records if r.event == "dispatch"
                and r.place == "tianping_underpass" and r.get("task") == "pump")
    text = obs.paragraphs[0]
    assert all(tx.offset(t) in text for t in (failed, back, pump))
    assert tx.duration(pump - failed, lang) in text
    assert ctx.point_name("tianping_underpass") in text
    from drillsim.report.flood import depth_caption

    caption = depth_caption(ctx, events, "x", "y")
    assert ctx.say("flood.depth_caption_pump_chance") in caption


@pytest.fixture(scope="module")
def hostile_result():
    s = load_scenario(ROOT / "scenarios" / "rainstorm-50y-night.yaml")
    points = list(s.flood.points)
    points[0] = points[0].model_copy(update={"name_en": HOSTILE, "name_zh": HOSTILE})
    shelters = list(s.forces.shelters)
    shelters[0] = shelters[0].model_copy(update={"name_en": HOSTILE, "name_zh": "{{ 7*7 }}",
                                                 "lacks": [HOSTILE]})
    s = s.model_copy(update={
        "flood": s.flood.model_copy(update={"points": points}),
        "forces": s.forces.model_copy(update={"shelters": shelters}),
        "duration": 4 * 3600.0})
    return run_drill(s, world=load_world(s.network))


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hostile_point_and_shelter_names_are_escaped(hostile_result, world, lang):
    rep = build_report(make_context(hostile_result, lang=lang, world=world), figures=False)
    page = render_html(rep, embed_font=False)
    assert "<script" not in page.lower() and "<img" not in page.lower()
    assert str(escape(HOSTILE)) in page  # shown as text, in the point and shelter tables
    assert page.count(str(escape(HOSTILE))) >= 2
    assert "{{ 7*7 }}" in page and "<td>49</td>" not in page  # not evaluated
    md = render_markdown(rep)
    assert "<script>" not in md and "<img" not in md


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.skipif(shutil.which("chromium") is None, reason="headless Chromium not installed")
def test_flood_report_screenshot(results, world, tmp_path):
    rep = build_report(make_context(results["rainstorm-50y-night"], lang="zh", world=world))
    html_path, _ = write_report(rep, tmp_path)
    shot = tmp_path / "shot.png"
    args = [shutil.which("chromium"), "--headless", "--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--no-first-run",
            f"--user-data-dir={tmp_path / 'u'}", "--window-size=1280,3000"]
    proc = subprocess.run([*args, f"--screenshot={shot}", html_path.as_uri()],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert _png_ok(shot.read_bytes())


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_late_team_is_no_strength_and_an_observation_says_so(results, world, lang):
    """Night rainstorm: the City Management team assembled after the first rescue call
    that waited for units of its types (not the first rescue call, which a station's rescue
    truck may take at once): no strength lists it, an observation gives both times and
    names that call."""
    from drillsim.metrics import teams as tm_

    result = results["rainstorm-50y-night"]
    cm = next(m for m in tm_.team_mobilisation(result) if m.team == "city_management")
    types = {u.type for t in result.scenario.forces.teams if t.id == "city_management"
             for u in t.units}
    wait = next(r for r in result.records if r.event == "queued"
                and any(types & set(k.split("|")) for k in r.get("needs", {})))
    first_rescue = wait.t
    assembled = next(r.t for r in result.records if r.event == "team_assembled"
                     and r.place == "city_management")
    assert (cm.needed_at, cm.needed_by, cm.assembled_at, cm.late) == (
        first_rescue, wait.incident, assembled, True)
    ctx = make_context(result, lang=lang, world=world)
    name = ctx.name(*(lambda t: (t.name_en, t.name_zh))(
        next(t for t in result.scenario.forces.teams if t.id == "city_management")))
    rep = build_report(ctx, figures=False)
    # a late team is no strength: a finding says it assembled after a call needed it (the
    # rescue finding, which drafts the team's action; said once, review 7 B9)
    assert [s for s in rep.strengths if name in s] == []
    text = next(t for t in (" ".join(f.paragraphs) for f in rep.findings)
                if name in t and tx.offset(assembled) in t)
    text += " ".join(a.action for a in rep.plan if name in a.action)  # the call it came after
    assert name in text and tx.offset(assembled) in text and tx.offset(first_rescue) in text
    assert tx.minutes(assembled - first_rescue, lang) in text
    # the call is named by its time (+02:06:40) in the action


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_actions_aim_at_what_the_records_show(results, world, lang):
    """Night rainstorm: the warning action aims at waking people (the 95 % came only as
    sleepers got up, metrics.warning.sleep_gap), with the reach a waking channel would need
    within the window, not at the slowest channel's ramp; no shelter-equipment action, as
    the shelters behind lack nothing relief needs."""
    from drillsim.metrics import warning as wm

    result = results["rainstorm-50y-night"]
    ctx = make_context(result, lang=lang, world=world)
    rep = build_report(ctx, figures=False)
    _, within = next(o for o in result.scenario.objectives if o.id == "O3").bound()
    gap = wm.sleep_gap(result, within)
    assert gap is not None
    warn = [a.action for a in rep.plan if a.finding == "O3"]
    assert len(warn) == 1
    assert f"{gap.wake_needed:.0%}" in warn[0]
    slow = wm.warning_channels(result).bottleneck
    assert slow is None or tx.duration(slow.full_s - slow.first_s, lang) not in warn[0]
    relief = " ".join(a.action for a in rep.plan if a.finding == "O1")
    for word in ("communications", "medical", "通信", "医疗"):
        assert word not in relief


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_relief_target_after_the_drills_end_is_said(results, world, lang):
    """Flood and fire: the drill ends 7.5 h after the onset, before the 10 h relief target:
    the table and the observation give the share by the drill's end and say the target time
    is after it; the curve's caption says where it stops."""
    from drillsim.metrics import relief as rm_

    result = results["flood-and-fire"]
    onset = next(r.t for r in result.records if r.event == "onset")
    horizon = rm_.relief_horizon(result)
    assert horizon == result.scenario.duration - onset < result.scenario.relief.target
    ctx = make_context(result, lang=lang, world=world)
    rep = build_report(ctx, figures=False)
    share = ctx.summary.metrics["relief_share_10h"]
    cell = ctx.say("flood.share_by_end", share=f"{share:.0%}",
                   target=tx.duration(result.scenario.relief.target, lang),
                   horizon=tx.duration(horizon, lang))
    relief = next(s for s in rep.sections if s.key == "relief")
    assert any(cell in row for t in relief.tables for row in t.rows)
    obs = next(f for f in rep.findings if f.title == ctx.say(
        "finding.beyond_title", what=ctx.say("flood.obs_relief_title")))
    assert obs.paragraphs[0].startswith(ctx.say(
        "flood.obs_relief_by_end", share=f"{share:.0%}",
        target=tx.duration(result.scenario.relief.target, lang),
        horizon=tx.duration(horizon, lang),
        people=f"{ctx.summary.metrics['people_displaced']:,.0f}")[:20])
    assert tx.duration(horizon, lang) in obs.paragraphs[0]


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
def test_relief_curve_stops_at_the_drills_end(results, world):
    from drillsim.metrics import relief as rm_
    from drillsim.report.flood import relief_figure

    result = results["flood-and-fire"]
    ctx = make_context(result, lang="en", world=world)
    fig = relief_figure(ctx)
    horizon = tx.duration(rm_.relief_horizon(result), "en")
    assert fig.caption.endswith(ctx.say("flood.relief_caption_cut", horizon=horizon))


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stock_out_with_the_target_met_is_an_observation_with_its_action(results, world,
                                                                         lang):
    """Afternoon rainstorm: relief target met, but bedding ran out; an observation names the
    stock-outs, the stock wait and the replenishment that carried it, and the plan's one
    action answers it (review 6: the stock-out finding had no action)."""
    result = results["rainstorm-50y-afternoon"]
    ctx = make_context(result, lang=lang, world=world)
    assert ctx.summary.metrics["relief_share_10h"] >= 1.0
    # dated when the last unit left (test_report_s4b replays that from the records)
    outs = [e for e in rm.stock_events(result) if e.kind == "stock_out"]
    refill = next(r for r in result.records if r.event == "replenish" and r.t > outs[0].t)
    assert outs  # the run this test is about
    rep = build_report(ctx, figures=False)
    obs = next(f for f in rep.findings if f.title == ctx.say(
        "finding.beyond_title", what=ctx.say("flood.obs_ran_out_title")))
    text = " ".join(obs.paragraphs)
    assert all(tx.offset(r.t) in text for r in outs) and tx.offset(refill.t) in text
    stock_h = rm.bottleneck(result)["person_hours"]["stock"]
    assert f"{stock_h:,.0f}" in text
    assert len(rep.plan) == 1 and tx.offset(min(e.t for e in outs)) in rep.plan[0].action


@pytest.mark.slow  # whole flood reports: run by .ci/run's slow suite
def test_chinese_flood_relief_and_msel_text_uses_chinese_punctuation(results, world):
    """No ASCII ', ' '; ' or '(' beside Chinese text in the rainstorm, relief, team and
    MSEL parts of a Chinese report (numbers like 2,000 keep their comma)."""
    import re

    ascii_punct = re.compile(r"[\u4e00-\u9fff）][,;] |[,;] [\u4e00-\u9fff（]|[\u4e00-\u9fff] ?\(")
    for name in FLOOD_DRILLS:
        ctx = make_context(results[name], lang="zh", world=world)
        rep = build_report(ctx, figures=False)
        texts = [p for s in rep.sections if s.key in ("flood", "relief") for p in s.paragraphs]
        texts += [c for s in rep.sections if s.key in ("flood", "relief")
                  for t in s.tables for row in t.rows for c in row]
        texts += [c for t in rep.overview_tables for row in t.rows for c in row[2:]]
        texts += [row[-1] for row in rep.msel.rows]
        texts += [p for f in rep.findings if f.title.startswith("目标之外") for p in f.paragraphs]
        bad = [t for t in texts if ascii_punct.search(t)]
        assert bad == [], (name, bad[:3])
