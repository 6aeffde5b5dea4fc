"""Every figure the chemical part of the report states equals what the metrics measured.

For the three chemical drills (and a chlorine release whose container runs empty before
the crew stops it), in English and Chinese: the measures table, the zone lengths, the
isolation radius and ERG distances of the overview, the end of the leak wherever it is
stated, and the numbers of the exposure, evacuation and responder findings are parsed
from the report's text and compared with :func:`drillsim.metrics.chemical.chemical_facts`
and the summary's metrics, to the report's rounding. The engine's records are checked
against the shared rules of :mod:`drillsim.hazards.chemical_zones`.
"""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.hazards import chemical_zones as rules
from drillsim.hazards.plume import ground_concentration_g_m3
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.chemical import chemical_facts
from drillsim.report import build_report, make_context
from drillsim.report import chemical as ch
from drillsim.report import text as tx
from drillsim.report.ratings import rate
from drillsim.scenarios.loader import load_scenario

# Renders every ready drill's report in both languages: in the slow suite (.ci/run runs it)
# so the README's test command stays under 5 minutes.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRILLS = ("chlorine-night", "chlorine-day-wind-shift", "ammonia-liquor-group")
EMPTIED = "chlorine-night-emptied"
"""chlorine-night with 450 kg that can leak: the container runs empty after 30 min, before
the crew stops the leak (the case the reviewer saw contradicted)."""
ALL = (*DRILLS, EMPTIED)
METRIC_KEYS = ("hazmat_first_arrival", "source_control_time", "people_above_aegl3",
               "people_above_aegl2", "people_above_aegl1", "person_minutes_aegl2",
               "evacuation_time", "responders_exposed")
OFFSET = re.compile(r"\+(\d\d):(\d\d):(\d\d)")


@pytest.fixture(scope="module")
def world():
    return load_world("default")


@pytest.fixture(scope="module")
def results(world):
    out = {}
    for name in DRILLS:
        out[name] = run_drill(load_scenario(ROOT / "scenarios" / f"{name}.yaml"), world=world)
    s = load_scenario(ROOT / "scenarios" / "chlorine-night.yaml")
    rel = s.chemical.release.model_copy(update={"quantity_kg": 450.0})
    s = s.model_copy(update={"chemical": s.chemical.model_copy(update={"release": rel})})
    out[EMPTIED] = run_drill(s, world=world)
    return out


@pytest.fixture(scope="module")
def contexts(results, world):
    return {(n, lang): make_context(r, lang=lang, world=world)
            for n, r in results.items() for lang in ("en", "zh")}


@pytest.fixture(scope="module")
def reports(contexts):
    return {k: build_report(ctx, figures=False) for k, ctx in contexts.items()}


def _offsets(text: str) -> list[float]:
    """Drill times ``+HH:MM:SS`` in a text, s."""
    return [int(h) * 3600 + int(m) * 60 + int(s) for h, m, s in OFFSET.findall(text)]


def _minutes(text: str) -> float:
    """The first ``4.1 min`` / ``4.1 分钟`` in a text, in minutes."""
    return float(re.search(r"([\d,.]+) (?:min|分钟)", text).group(1).replace(",", ""))


def _number(text: str) -> float:
    return float(re.search(r"[\d,]+(?:\.\d+)?", text).group(0).replace(",", ""))


def _measures(rep) -> dict[str, str]:
    sec = next(s for s in rep.sections if s.key == "chemical")
    return {row[0]: row[1] for row in sec.tables[0].rows}


def _overview(rep) -> dict[str, str]:
    return {row[0]: row[1] for row in rep.overview_tables[0].rows}


def _finding(ctx, metric, target="<= 1"):
    from drillsim.metrics.evaluation import ObjectiveResult
    from drillsim.scenarios.schema import Objective

    res = ObjectiveResult(Objective(id="OX", metric=metric, target=target),
                          ctx.summary.metrics[metric], "not_met")
    return ch.EXPLAINERS[metric](ctx, res, rate(res))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_measures_table_states_the_metrics(contexts, reports, name, lang):
    ctx = contexts[(name, lang)]
    m = ctx.summary.metrics
    f = ch.facts(ctx)
    rows = _measures(reports[(name, lang)])
    for key in METRIC_KEYS:
        info = METRICS[key]
        said = rows[ctx.name(info.en, info.zh)]
        v = m[key]
        if key == "source_control_time" and f.leak_end.how != "source_control":
            assert math.isinf(v)
            assert said.endswith(ch.leak_end_text(ctx))
            assert tx.tr("not_by_end", lang) not in said
        elif info.unit == "seconds" and math.isfinite(v):
            assert abs(_minutes(said) - v / 60) <= 0.05 + 1e-9, (key, said, v)
        elif info.unit == "seconds":
            assert said == tx.tr("not_by_end", lang), (key, said)
        else:
            assert _number(said) == v, (key, said, v)
    said = rows[ctx.name("end of the leak", "泄漏结束")]
    assert said == ch.leak_end_value(ctx)  # the row's label is not repeated in its value
    if math.isfinite(f.leak_end.t):
        assert _offsets(said) == [round(f.leak_end.t)]


@pytest.mark.parametrize("name", ALL)
def test_metrics_are_those_of_the_records(results, name):
    """The metrics against a direct reading of the records."""
    res = results[name]
    spec = res.scenario.chemical
    f = chemical_facts(res)
    plumes = [r for r in res.records if r.event == "plume" and r.place == spec.id]
    for lvl in (1, 2, 3):
        assert f.exposure[lvl].peak == max(r.data[f"aegl{lvl}_people"] for r in plumes)
    step_min = spec.step / 60
    assert f.exposure[2].person_minutes == pytest.approx(
        sum(r.data["aegl2_people"] for r in plumes) * step_min)
    displaced = sum(r.data["people"] for r in res.records
                    if r.event == "displaced" and r.place == spec.id)
    assert f.evacuation.people == displaced
    assert f.responders_exposed == sum(r.data["crew"] for r in res.records
                                       if r.event == "responder_exposed")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_overview_states_zone_lengths_isolation_and_erg(contexts, reports, results, name,
                                                        lang):
    ctx = contexts[(name, lang)]
    f = ch.facts(ctx)
    spec = ctx.scenario.chemical
    rows = _overview(reports[(name, lang)])
    for lvl in (3, 2, 1):
        said = rows[ctx.name(f"AEGL-{lvl} zone length at the release (Gaussian estimate)",
                          f"泄漏时AEGL-{lvl}区域下风向长度（高斯估算）")]
        semicolon, colon = ctx.say("sep_semicolon"), ctx.say("sep_label")  # page's language
        parts = said.split(semicolon)
        assert len(parts) == len(f.weather)
        for k, (part, st) in enumerate(zip(parts, f.weather, strict=True)):
            x = st.extent_m[lvl]
            assert 0 < x < 10_000  # the drills' zones are all inside the model's range
            if k:
                assert part.startswith(f"{tx.offset(st.t)}{colon}")
                part = part.split(colon, 1)[1]
            assert _number(part) == round(x), (lvl, part, x)
            # the length is where the centreline concentration falls below the level
            args = rules.plume_kwargs(spec, 0.0, 0.0, st.wind_from, st.u, st.cls)
            c = [float(ground_concentration_g_m3(args["q_g_s"], st.u, x * s, 0.0, args["h_m"],
                                                 st.cls, urban=args["urban"]))
                 for s in (0.98, 1.02)]
            thr = rules.threshold_g_m3(spec, lvl)
            assert c[0] > thr > c[1]
    said = rows[ctx.name("initial isolation", "初始隔离")]
    order = next(r for r in results[name].records if r.event == "protective_action")
    assert order.data["isolation_m"] == round(f.isolation_m) == round(rules.isolation_m(spec))
    assert said.startswith(ctx.name(f"{order.data['isolation_m']:.0f} m radius",
                                 f"半径{order.data['isolation_m']:.0f}米"))
    e = rules.erg(spec, f.weather[0].u)
    assert ctx.name(f"downwind {e.day_km:.1f} km by day, {e.night_km:.1f} km by night",
                 f"白天{e.day_km:.1f}千米、夜间{e.night_km:.1f}千米") in said
    used = re.search(ctx.name(r"order used ([\d,]+) m downwind$", r"下风向([\d,]+)米$"),
                     said).group(1)
    assert float(used.replace(",", "")) == order.data["downwind_m"] == round(f.downwind_m)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_leak_end_is_stated_the_same_everywhere(contexts, reports, results, name, lang):
    ctx = contexts[(name, lang)]
    rep = reports[(name, lang)]
    res = results[name]
    spec = res.scenario.chemical
    end = ch.facts(ctx).leak_end
    # the engine and the metric agree on when and how
    control = [r for r in res.records if r.event == "source_control"]
    empty = [r for r in res.records if r.event == "source_empty"]
    if end.how == "source_control":
        assert [r.t for r in control] == [end.t] and not empty
        assert end.t < rules.container_empty_at(spec)
        assert ctx.summary.metrics["source_control_time"] == pytest.approx(end.since_call)
    else:
        assert end.how == "container_empty" and not control
        assert [r.t for r in empty] == [end.t] == [rules.container_empty_at(spec)]
    assert (end.how == "container_empty") == (name in ("ammonia-liquor-group", EMPTIED))
    sentence = ch.leak_end_text(ctx)
    when = round(end.t)
    assert _offsets(sentence) == [when]
    assert _overview(rep)[ctx.name("end of the leak", "泄漏结束")] == ch.leak_end_value(ctx)
    assert sentence == ctx.say("chem.leak_ended", what=ch.leak_end_value(ctx))
    assert _measures(rep)[ctx.name("end of the leak", "泄漏结束")] == ch.leak_end_value(ctx)
    how = {ctx.say("chem.tl_leak_stopped", unit=end.unit), ctx.say("chem.tl_leak_line_empty"),
           ctx.say("chem.tl_leak_empty")}  # the row gives the time, its text how (review 7d)
    timeline = [row for row in rep.overview_tables[3].rows if row[2] in how]
    assert [row[0] for row in timeline] == [tx.offset(end.t)]
    explained = " ".join(_finding(ctx, "source_control_time").paragraphs)
    assert (sentence[0].upper() + sentence[1:]) in explained
    # no other leak-end wording anywhere in the chemical tables (the evacuation-time row
    # may say "not by the end" of the evacuation, which is not the leak)
    evac = getattr(METRICS["evacuation_time"], lang)
    cells = " ".join(c for t in [*rep.overview_tables[:4],  # the chemical part's four
                                 *next(s for s in rep.sections if s.key == "chemical").tables]
                     for row in t.rows if evac not in row for c in row[1:])  # values
    for other in ("leak stopped by", "ran empty before", "堵漏前容器已泄空"):
        assert other not in cells
    if end.how != "source_control":
        assert tx.tr("not_by_end", lang) not in cells
    strengths = " ".join(rep.strengths)
    if end.how == "source_control":
        assert f"{sentence[0].upper() + sentence[1:]}" in strengths
    else:
        assert ctx.name("Leak ended", "泄漏结束") not in strengths


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_exposure_findings_state_the_metrics(contexts, name, lang):
    ctx = contexts[(name, lang)]
    m = ctx.summary.metrics
    f = ch.facts(ctx)
    for lvl in (1, 2, 3):
        paras = _finding(ctx, f"people_above_aegl{lvl}").paragraphs
        if not m[f"people_above_aegl{lvl}"]:
            assert paras[1] == ctx.say("chem.nobody_above", level=lvl)
            continue
        text = paras[1]
        peak = re.search(ctx.name(r"peaked at ([\d,]+)", r"[（(]([\d,]+)人"), text).group(1)
        assert float(peak.replace(",", "")) == m[f"people_above_aegl{lvl}"]
        times = _offsets(text)
        assert times[0] == round(f.exposure[lvl].peak_t)
        assert times[-1] == round(f.leak_end.t)
        if f.exposure[lvl].peak_until > f.exposure[lvl].peak_t:
            assert times[1] == round(f.exposure[lvl].peak_until)
        order = paras[2]
        t = f.order_times
        assert _offsets(order)[:2] == [round(t["decided"]), round(t["issued"])]
        assert round(t["decided"]) == round(f.evacuation.order)
        pattern = ctx.name(r"([\d,]+) before the decision, ([\d,]+) between decision and issue, "
                           r"([\d,]+) between issue and the first evacuee leaving, ([\d,]+) after",
                           r"决定前([\d,]+)，决定至发布([\d,]+)，发布至首批群众离家([\d,]+)，"
                           r"其后([\d,]+)")
        said = [float(x.replace(",", "")) for x in re.search(pattern, order).groups()]
        if lvl == 2:
            assert abs(sum(said) - m["person_minutes_aegl2"]) <= 2.0
        assert said[0] == round(f.exposure[lvl].before)
        assert abs(sum(said[1:]) - f.exposure[lvl].after) <= 1.5


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ALL)
def test_evacuation_finding_states_the_metric(contexts, name, lang):
    ctx = contexts[(name, lang)]
    m = ctx.summary.metrics
    ev = ch.facts(ctx).evacuation
    text = _finding(ctx, "evacuation_time").paragraphs[1]
    people = float(re.match(r"[\d,]+", text).group(0).replace(",", ""))
    assert people == ev.people
    order_t, last_t, opened_t = _offsets(text)
    assert order_t == round(ev.order) and opened_t == round(ev.first_open)
    if math.isfinite(m["evacuation_time"]):
        assert abs((last_t - order_t) - m["evacuation_time"]) <= 1.0
        assert ctx.name("did not all reach", "未全部到达") not in text
    else:
        assert ctx.name("did not all reach", "未全部到达") in text
    rows = _measures(build_report(ctx, figures=False))
    said = rows[ctx.name(METRICS["evacuation_time"].en, METRICS["evacuation_time"].zh)]
    assert said == tx.value(m["evacuation_time"], "seconds", lang)


@pytest.mark.parametrize("name", ALL)
def test_responders_finding_states_the_metric(contexts, reports, name):
    ctx = contexts[(name, "en")]
    n = ctx.summary.metrics["responders_exposed"]
    text = " ".join(_finding(ctx, "responders_exposed").paragraphs)
    crews = [int(c) for c in re.findall(r"\((\d+) crew\)", text)]
    assert sum(crews) == n
    said = " ".join(reports[(name, "en")].strengths)
    assert (ctx.say("chem.no_responder_in_zone") in said) == (
        n == 0 and not ch.station_in_zone(ctx))


def test_leak_end_rule_when_nobody_reaches_the_source(results):
    """No source_control or source_empty record: the shared rule still says the container
    ran empty at quantity / rate, or that the leak had not ended when the run did."""
    res = results["ammonia-liquor-group"]
    spec = res.scenario.chemical
    recs = tuple(r for r in res.records if r.event not in ("source_control", "source_empty"))
    f = chemical_facts(dataclasses.replace(res, records=recs))
    assert (f.leak_end.t, f.leak_end.how) == (rules.container_empty_at(spec), "container_empty")
    early = tuple(r for r in recs if r.t < rules.container_empty_at(spec))
    f = chemical_facts(dataclasses.replace(res, records=early))
    assert (f.leak_end.t, f.leak_end.how) == (math.inf, "not_ended")
    assert rules.leak_end(spec, controlled_at=1000.0, emptied_at=None, run_end=0.0) == (
        1000.0, "source_control")


@pytest.mark.parametrize("name", ALL)
def test_engine_and_report_share_the_rules(results, contexts, name):
    """The engine's records, the metrics and the report use the same rule functions."""
    res = results[name]
    spec = res.scenario.chemical
    order = next(r for r in res.records if r.event == "protective_action")
    assert order.data["isolation_m"] == round(rules.isolation_m(spec))
    assert ch.facts(contexts[(name, "en")]).isolation_m == rules.isolation_m(spec)
    u = next(r.data["u_m_s"] for r in reversed(res.records)
             if r.event == "plume" and r.t <= order.t)
    assert order.data["downwind_m"] in {round(rules.downwind_m(spec, u, day=d))
                                        for d in (True, False)}
    control = next((r.t for r in res.records if r.event == "source_control"), None)
    end = ch.facts(contexts[(name, "en")]).leak_end
    assert (end.t, end.how) == rules.leak_end(spec, controlled_at=control, emptied_at=None,
                                              run_end=max(r.t for r in res.records))


def _areas(ctx, areas) -> str:
    return ctx.say("sep_list").join(tx.label(ch.area_name(ctx, a), f"{p:,.0f}", ctx.lang)
                                    for a, p in areas) or ctx.say("none")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_overview_states_both_estimates_and_which_drives(contexts, reports, name, lang):
    """Chlorine (dense): the dense-gas lengths of the metrics, each where the virtual-source
    plume crosses the level, and the sentence naming the estimate that reaches farther;
    ammonia (lighter than air): no dense-gas rows."""
    ctx = contexts[(name, lang)]
    f = ch.facts(ctx)
    spec = ctx.scenario.chemical
    rows = _overview(reports[(name, lang)])
    drives = rows.get(ctx.name("estimate that drives the protective actions", "决定防护行动的估算"))
    if not rules.is_dense(spec):
        assert drives is None
        assert all(math.isnan(st.dense_m[lvl]) for st in f.weather for lvl in (1, 2, 3))
        return
    for lvl in (3, 2, 1):
        said = rows[ctx.name(f"AEGL-{lvl} zone length by the dense-gas estimate",
                          f"重气估算的AEGL-{lvl}区域下风向长度")].split(ctx.say("sep_semicolon"))
        assert len(said) == len(f.weather)
        for part, st in zip(said, f.weather, strict=True):
            x = st.dense_m[lvl]
            assert _number(part.split(ctx.say("sep_label"))[-1]) == round(x)
            src = rules.dense_virtual_source(spec, st.u, st.cls)
            c = [float(ground_concentration_g_m3(rules.source_rate_g_s(spec), st.u,
                                                 x * s - src.shift_m, 0.0, 0.0, st.cls,
                                                 urban=spec.dispersion == "urban"))
                 for s in (0.98, 1.02)]
            assert c[0] > rules.threshold_g_m3(spec, lvl) > c[1]
    farther = [lvl for lvl in (3, 2, 1) if any(st.dense_m[lvl] > st.extent_m[lvl]
                                                for st in f.weather)]
    assert farther == [3, 2, 1]  # the virtual source lies downwind: dense-gas reaches farther
    assert drives == ctx.say("chem.drives_dense", levels=tx.join(
        (f"AEGL-{lvl}" for lvl in farther), ctx.lang, words=True))  # AEGL-3、AEGL-2


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_areas_table_and_summary_json_state_who_lives_in_each_zone(contexts, reports, results,
                                                                     world, name, lang):
    """The report's table of who lives in each zone, and summary.json, equal the metrics'
    zone_reach; subdistricts and communities each add up to the zone's residents."""
    from drillsim.metrics.chemical import zone_reach
    from drillsim.metrics.summary import summarize, summary_dict

    ctx = contexts[(name, lang)]
    reach = zone_reach(results[name], world)
    table = reports[(name, lang)].overview_tables[1]
    expected = [(f"AEGL-{lvl}", z[lvl]) for _, z in reach for lvl in (3, 2, 1)]
    rows = [r for r in table.rows if r[1].startswith("AEGL-")]  # then the ERG square's
    assert len(rows) == len(expected)
    for row, (level, zr) in zip(rows, expected, strict=True):
        assert row[1] == level
        assert _number(row[2]) == round(zr.length_m)
        assert _number(row[4]) == round(zr.residents)
        assert row[5] == _areas(ctx, zr.subdistricts)
        assert row[6] == _areas(ctx, zr.communities)
        assert sum(p for _, p in zr.subdistricts) == pytest.approx(zr.residents)
        assert sum(p for _, p in zr.communities) == pytest.approx(zr.residents)
        if rules.is_dense(ctx.scenario.chemical):
            assert _number(row[3]) == round(zr.dense_length_m)
            assert row[3].endswith("★") == (zr.drives == "dense")
    assert any(zr.residents > 0 for _, zr in expected)
    js = summary_dict(results[name], summarize(results[name]), world)["chemical_zones"]
    assert [(z["level"], z["residents"]) for z in js] == [
        (lvl, round(zr.residents, 3)) for lvl, zr in expected]
    assert [[c["id"] for c in z["communities"]] for z in js] == [
        [c for c, _ in zr.communities] for _, zr in expected]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_section_says_how_the_order_reached_people(contexts, reports, results, name, lang):
    """Issue 10 item 2: the chemical section states when the order went out, on which
    channels, the reaction time and when the first evacuee left, as the records say; and
    nobody leaves before the channels' first delay plus the reaction time."""
    from drillsim.agents.chemical_release import REACTION_S
    from drillsim.hazards.warning import channels_for

    ctx = contexts[(name, lang)]
    reach = ch.facts(ctx).order_reach
    rec = next(r for r in results[name].records if r.event == "protective_action")
    sec = next(s for s in reports[(name, lang)].sections if s.key == "chemical")
    text = next(p for p in sec.paragraphs
                if ctx.name("went out from", "经以下渠道发布") in p)
    # at night a fourth offset follows: when the sleepers get up (tested below)
    order_t, told_t, first_t = _offsets(text)[:3]
    assert order_t == round(rec.t) and told_t == round(rec.data["told_from"])
    assert first_t == round(reach.first_out)
    assert _minutes(text) == pytest.approx(REACTION_S / 60)
    for c in rec.data["channels"]:
        assert tx.term("channel", c, lang) in text
    warning = results[name].scenario.warning
    first_delay = min(c.delay_s for c in channels_for(warning.channels if warning else None,
                                                         0.0))
    assert reach.first_out >= rec.data["told_from"] + first_delay + REACTION_S
    assert (ctx.name("default warning channels", "默认预警渠道") in text) == (warning is None)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_report_says_who_was_ordered_out_and_why(contexts, results, name, lang):
    """Issue 10 item 3: the evacuees are reconciled with the order: the people ordered out
    by reason (the ``evacuation_ordered`` records) add up to the total stated, those who
    left are the evacuation's groups, and the rest were not reached."""
    ctx = contexts[(name, lang)]
    f = ch.facts(ctx)
    recs = [r for r in results[name].records if r.event == "evacuation_ordered"]
    assert recs and len(f.ordered_out) == len(recs)
    left = sum(int(r.data["people"]) for r in results[name].records
               if r.event == "displaced" and r.place == results[name].scenario.chemical.id)
    assert left == f.evacuation.people <= f.people_ordered_out
    text = next(p for p in _finding(ctx, "evacuation_time").paragraphs
                if ctx.name("ordered out, and why", "须疏散的居民及原因") in p)
    head, tail = text.split(ctx.name("Of these", "这"), 1)
    nums = [float(x.replace(",", "")) for x in re.findall(r"(?<![\d:+])\d[\d,]*(?![\d:])",
                                                          tail)]
    ordered, said_left, stayed = nums[:3]
    assert ordered == round(f.people_ordered_out) == sum(round(r.data["total"]) for r in recs)
    assert said_left == left and stayed == ordered - left
    assert [round(t) for t in _offsets(head)] == [round(r.t) for r in recs]
    iso = f.ordered_out[0].people["isolation"]
    if iso > 0:
        assert ctx.name(f"{iso:,.0f} inside the {f.isolation_m:,.0f} m isolation circle",
                        f"{f.isolation_m:,.0f}米初始隔离圈内{iso:,.0f}人") in head


def test_msel_wind_shift_states_the_extension_the_records_show(contexts, results):
    """Issue 10 item 3: the MSEL's "evacuation extended" figure is the people newly ordered
    out at the update after the shift, and it speaks of people above AEGL-2, not nodes."""
    from drillsim.report.msel import msel_rows

    name = "chlorine-day-wind-shift"
    shift = next(r.t for r in results[name].records if r.event == "wind_shift")
    ext = next(r for r in results[name].records
               if r.event == "evacuation_ordered" and r.t >= shift)
    for lang in ("en", "zh"):
        ctx = contexts[(name, lang)]
        row = next(r.sim_what for r in msel_rows(ctx) if r.id == "I1")
        assert ctx.name("nodes", "节点") not in row
        said = ctx.name(f"({ext.data['total']:,.0f} more residents ordered out)",
                        f"新增{ext.data['total']:,.0f}名居民须疏散")
        assert said in row


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_places_inside_a_zone_are_named_and_no_strength_is_claimed(contexts, reports, world,
                                                                    name, lang):
    """Issue 10 item 4: every station, shelter or depot the metrics put inside a zone is
    named in the chemical section with its zone; "no responder staged inside the AEGL-2
    zone" is not claimed as a strength when a station lies inside one."""
    from drillsim.hazards.chemical_zones import LEVELS
    from drillsim.metrics.chemical import zone_reach

    ctx = contexts[(name, lang)]
    reach = zone_reach(ctx.result, world)
    inside = {(k, i): max(lvl for lvl in LEVELS if (k, i) in zones[lvl].places)
              for _, zones in reach for lvl in LEVELS for k, i in zones[lvl].places}
    for _, zones in reach:  # the zones nest: a place in AEGL-3 is in AEGL-2 and AEGL-1
        assert set(zones[3].places) <= set(zones[2].places) <= set(zones[1].places)
    sec = next(s for s in reports[(name, lang)].sections if s.key == "chemical")
    text = " ".join(sec.paragraphs)
    for (_, pid), lvl in inside.items():
        assert ctx.place_name(pid) in text
        assert f"AEGL-{lvl}" in text
    station_in = any(k == "station" and lvl >= 2 for (k, _), lvl in inside.items())
    claim = ctx.say("chem.no_responder_in_zone")
    assert (claim in reports[(name, lang)].strengths) == (
        not station_in and ctx.summary.metrics["responders_exposed"] == 0)
    if name.startswith("chlorine"):  # the reviewer's case: Nanyunhe Road station
        assert station_in


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_evacuation_finding_explains_what_set_the_time(contexts, name, lang):
    """Issue 10 item 5: the evacuation finding says which group set the measured time:
    when it left home, reached a shelter and was admitted, and when shelters opened; the
    admission minus the order is the metric."""
    ctx = contexts[(name, lang)]
    ev = ch.facts(ctx).evacuation
    last = ev.last_group
    paras = _finding(ctx, "evacuation_time").paragraphs
    said = [p for p in paras if ctx.name("set by", "实测时间取决于") in p
            or "The measured time is that of the last group" in p]
    if last is None or ev.missing:
        assert not said
        return
    out_t, arrived_t, admit_t, opened_t = _offsets(said[0])
    assert out_t == round(last.out) and admit_t == round(last.last_admit)
    assert opened_t == round(ev.first_open)
    assert abs(admit_t - round(ev.order) - ctx.summary.metrics["evacuation_time"]) <= 1.0
    assert _minutes(said[0]) == pytest.approx((last.out - ev.order) / 60, abs=0.05)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_figures_keep_labels_legible_and_in_the_report_language(contexts, monkeypatch, name,
                                                                lang):
    """Issue 10 item 6: in the exposure and evacuation figures every line label lies inside
    the axes and starts right of its line (the line never runs through it), the legend
    sits below the axes (covering no curve or label), and the target is written in the
    report's language (``≤ 90 分钟``, never ``<= 90 min`` in Chinese)."""
    seen = []
    monkeypatch.setattr(ch, "_png", lambda fig: seen.append(fig) or b"")
    ctx = contexts[(name, lang)]
    ch.exposure_figure(ctx)
    ch.evacuation_figure(ctx)
    assert len(seen) == 2
    for fig in seen:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        ax = fig.axes[0]
        box = ax.get_window_extent(renderer)
        lo, hi = ax.get_xlim()
        for t in ax.texts:
            x = t.xy[0] if hasattr(t, "xy") else t.get_position()[0]
            assert lo <= x <= hi, t.get_text()
            line_px = ax.transData.transform((x, 0))[0]
            assert t.get_window_extent(renderer).x0 >= line_px + 2, t.get_text()  # clear
            assert "<=" not in t.get_text() and ">=" not in t.get_text()
            if lang == "zh":
                assert "min" not in t.get_text()
        legend = ax.get_legend()
        assert legend.get_window_extent(renderer).y1 <= box.y0
    goal = next((o for o in ctx.scenario.objectives if o.metric == "evacuation_time"), None)
    if goal is not None:
        texts = [t.get_text() for t in seen[1].axes[0].texts]
        assert any(tx.target(goal.metric, goal.target, lang) in t for t in texts)
    import matplotlib.pyplot as plt
    for fig in seen:
        plt.close(fig)


@pytest.mark.parametrize("name", DRILLS)
def test_objective_evidence_in_chinese_has_no_english_target(reports, name):
    """Issue 10 item 6: "目标≤ 15 分钟", never "目标<= 15 min"."""
    for row in reports[(name, "zh")].objectives:
        assert "<=" not in row.evidence and ">=" not in row.evidence
        assert " min" not in row.evidence


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_section_says_who_went_door_to_door(contexts, reports, results, name, lang):
    """Issue 12 (chemical evacuation time): with the default channels the section says the
    order went door to door in the ordered area only, with the households, grid workers,
    communities and the first and last visit of the ``door_to_door`` records, and labels
    the rates as assumptions."""
    ctx = contexts[(name, lang)]
    rounds = [r for r in results[name].records if r.event == "door_to_door"]
    sec = next(s for s in reports[(name, lang)].sections if s.key == "chemical")
    texts = [p for p in sec.paragraphs if ctx.name("Door to door", "逐户通知") in p]
    if results[name].scenario.warning is not None and \
            results[name].scenario.warning.channels is not None:
        assert not rounds and not texts
        return
    (text,) = texts
    evac = [r for r in rounds if r.data["action"] == "evacuate"]
    households = sum(r.data["households"] for r in evac)
    assert f"{households:,.0f}" in text
    assert f"{max(r.data['staff'] for r in evac):,.0f}" in text
    assert f"{max(r.data['communities'] for r in evac):,}" in text
    times = _offsets(text)
    assert times[0] == round(min(r.data["first_visit"] for r in evac))
    assert times[1] == round(max(r.data["first_visit"] + r.data["ramp_s"] for r in evac))
    assert ctx.name("are assumptions", "均为假定值") in text
    # the order's door to door is sized to the ordered area: every evacuee is visited
    # within a few hours, not the district's 17.7 h round
    order = next(r.t for r in results[name].records if r.event == "protective_action")
    assert times[1] - order < 3 * 3600


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_model_limits_list_the_labelled_assumptions(contexts, reports, name, lang):
    """Issue 12 item 3 (chemical): the model-limits table lists the indoor share by hour
    (its survey and the assumed hourly shape), the indoor factor, the detection delay, the
    reaction time, the evacuation group size and, with the default channels, the
    door-to-door rates, each labelled an assumption, a source or the drill's own value,
    with the values this run used."""
    ctx = contexts[(name, lang)]
    spec = ctx.scenario.chemical
    rows = ch.assumptions(ctx)
    assumed = ctx.say("chem.found_by_assumption")
    by_text = dict(rows)
    assert all(by in (assumed, ctx.say("chem.found_by_drill"),
                      ctx.say("chem.found_by_source_shape")) for _, by in rows)
    indoor = next(t for t in by_text if "97%" in t)
    assert by_text[indoor] == ctx.say("chem.found_by_source_shape")
    group = next(t for t in by_text if f"{spec.group_size:,}" in t
                 and ctx.name("groups of", "每组") in t)
    assert by_text[group] == assumed  # no ready drill sets its group size
    reaction = next(t for t in by_text if ctx.name("people act", "开始行动") in t)
    assert "10.0" in reaction and by_text[reaction] == assumed
    detection = next(t for t in by_text if ctx.name("detection delay", "发现延迟") in t)
    assert tx.minutes(spec.detection_delay.central(), lang) in detection
    door = next(t for t in by_text if ctx.name("door to door", "逐户通知") in t)
    assert by_text[door] == assumed and "20" in door and "5" in door
    (table,) = [t for t in reports[(name, lang)].overview_tables
                if t.caption == ctx.say("chem.limits_caption",
                                        dense=ch._dense_words(ctx, "chem.limits_dense"))]
    assert [list(r) for r in rows] == [list(r) for r in table.rows[-len(rows):]]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", ["chlorine-night", "chlorine-day-wind-shift"])
def test_evacuation_advice_follows_the_door_to_door_round(contexts, results, name, lang):
    """Issue 10 (true statements) after the door-to-door change: when reaching people set
    the evacuation time, the action names the round that did (its grid workers, the
    households ordered out, first and last visit after the order) instead of telling the
    reader to go door to door in the zone, which the model already does. At night, when
    the last evacuees left only once people got up (after the round, reached by a message
    on waking), the action says so and names no round (chlorine-night)."""
    ctx = contexts[(name, lang)]
    f = ch.facts(ctx)
    finding = _finding(ctx, "evacuation_time")
    ev = f.evacuation
    # in these drills reaching people sets the evacuation time (ammonia's 28 evacuees are
    # reached at once: walking sets it there, and the action is not about the round)
    assert max(ev.reach_s, ev.walk_s, ev.wait_s) == ev.reach_s
    (action,) = [a.action for a in finding.actions]
    door = f.door_summary("evacuate")
    assert door is not None
    assert ctx.say("chem.act_reach_zone_first") != action
    night = ev.last_group.out >= f.order_reach.waking_from
    assert night == (name == "chlorine-night")
    if night:  # the round ended hours before the last evacuees left
        assert ev.last_group.out > door.last_visit + 3600
        assert action == ctx.say("chem.act_reach_zone_night", out=tx.offset(ev.last_group.out),
                                 wake=tx.offset(f.order_reach.waking_from))
        assert tx.minutes(door.last_visit - ev.order, lang) not in action
        return
    assert f"{door.staff:,.0f}" in action and f"{door.households:,.0f}" in action
    assert tx.minutes(door.last_visit - ev.order, lang) in action
    assert tx.minutes(door.first_visit - ev.order, lang) in action


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", DRILLS)
def test_order_at_night_says_who_the_channels_reach_at_once(contexts, name, lang):
    """The order's broadcast channels follow the hour it goes out: at 01:50 (chlorine-night)
    they reach fewer at once than in the end and the rest from 06:00, and the section says
    so with those shares; by day (the other two) they reach as written and it says
    nothing of sleep."""
    from drillsim.hazards.warning import (
        DEFAULT_CHANNELS,
        DOOR_TO_DOOR,
        WAKE_UP_CLOCK_S,
        max_coverage,
    )

    ctx = contexts[(name, lang)]
    reach = ch.facts(ctx).order_reach
    text = " ".join(ch.order_reach_paras(ctx))
    day = max_coverage([p.at(14 * 3600.0) for p in DEFAULT_CHANNELS if p.name != DOOR_TO_DOOR])
    if name != "chlorine-night":
        assert math.isnan(reach.waking_from)
        assert reach.at_once == pytest.approx(reach.in_end) == pytest.approx(day)
        assert ctx.name("asleep", "睡眠") not in text
        return
    assert ctx.scenario.clock_seconds(reach.waking_from) == pytest.approx(WAKE_UP_CLOCK_S)
    # 1 - (1 - 0.85)(1 - 0.4)(1 - 0.6) = 0.964 by day; at night far less at once, as much
    # in the end but the sirens' sleepers (a siren does not stay)
    assert reach.at_once < 0.5 < reach.in_end < day
    assert ctx.say("chem.order_at_night_door", now=f"{reach.at_once:.0%}",
                   full=f"{reach.in_end:.0%}", wake=tx.offset(reach.waking_from)) in text
