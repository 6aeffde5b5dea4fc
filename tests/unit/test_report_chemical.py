"""The chemical-release part of the report: zones on the map, figures, limits, explainers."""

from __future__ import annotations

import dataclasses
import html
import io
import math
from pathlib import Path

import numpy as np
import pytest

from drillsim.api import load_world, run_drill
from drillsim.hazards import chemical_zones as rules
from drillsim.hazards.plume import CHEMICALS
from drillsim.report import build_report, make_context, render_html, render_markdown
from drillsim.report import chemical as ch
from drillsim.report.ratings import rate
from drillsim.report.wording import say
from drillsim.scenarios.loader import load_scenario

# Renders every ready drill's report in both languages: under the slow marker, which
# .ci/run runs after the README's fast suite.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRILLS = ("chlorine-night", "chlorine-day-wind-shift", "ammonia-liquor-group")
HOSTILE = '<script>alert(1)</script>"><img src=x onerror=alert(2)>'


@pytest.fixture(scope="module")
def world():
    return load_world("default")


@pytest.fixture(scope="module")
def results(world):
    out = {}
    for name in DRILLS:
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        out[name] = run_drill(s, world=world)
    return out


@pytest.fixture(scope="module")
def reports(results, world):
    return {(name, lang): build_report(make_context(res, lang=lang, world=world))
            for name, res in results.items() for lang in ("en", "zh")}


def _png_ok(data: bytes) -> bool:
    import matplotlib.image as mpimg

    img = mpimg.imread(io.BytesIO(data), format="png")
    return img.shape[0] > 200 and img.shape[1] > 200 and float(img[..., :3].std()) > 0.02


def _area_m2(ring: list[tuple[float, float]]) -> float:
    lat0 = ring[0][0]
    y = np.array([a for a, _ in ring]) * 111_195.0
    x = np.array([b for _, b in ring]) * 111_195.0 * math.cos(math.radians(lat0))
    return 0.5 * abs(float(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1))))


@pytest.mark.parametrize("name", DRILLS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_with_chemical_section(reports, name, lang):
    rep = reports[(name, lang)]
    assert [f.key for f in rep.figures] == ["map", "gantt"]
    sec = next(s for s in rep.sections if s.key == "chemical")
    keys = {f.key for f in sec.figures}
    assert {"chemical_zones", "chemical_exposure"} <= keys
    for f in [f for s in rep.sections for f in s.figures] + rep.figures:
        assert _png_ok(f.png), (name, f.key)
    page = render_html(rep, embed_font=False)
    md = render_markdown(rep)
    assert ("危化品泄漏" if lang == "zh" else "Chemical release") in page
    assert ("威胁区域" if lang == "zh" else "AEGL-2 zone length") in page
    assert md.startswith("# ")
    hz = ["危险化学品泄漏" if lang == "zh" else "hazardous-chemical release"]
    assert hz[0] in rep.hazards


def test_relief_curve_drawn_for_the_evacuees(reports):
    rep = reports[("chlorine-day-wind-shift", "en")]
    keys = {f.key for s in rep.sections for f in s.figures}
    assert {"relief_curve", "chemical_evacuation"} <= keys


@pytest.mark.parametrize("name", DRILLS)
def test_zones_on_the_map_layer_nest(results, world, name):
    import matplotlib.pyplot as plt
    from matplotlib.path import Path as MPath

    ctx = make_context(results[name], world=world)
    fig, ax = plt.subplots()
    handles: list = []
    ch.map_layer(ctx, ax, handles)
    zones = {p.get_gid(): p for p in ax.patches
             if (p.get_gid() or "").startswith(("chem-zone", "chem-dense"))}
    plt.close(fig)
    states = ch.weather_states(ctx)
    assert states and not states[0].shifted
    dense = rules.is_dense(ctx.scenario.chemical)
    for k, st in enumerate(states):
        all_rings = ch.zone_rings(ctx, st)
        # both estimates for chlorine (the dense-gas one drawn as an outline), one for ammonia
        for est, prefix, extent in ((0, "chem-zone", st.extent_m), (1, "chem-dense", st.dense_m)):
            rings = {lvl: all_rings[lvl][est] for lvl in (1, 2, 3) if all_rings[lvl][est]}
            if est == 1 and not dense:
                assert not rings and not any(g.startswith("chem-dense") for g in zones)
                continue
            assert 1 in rings and 2 in rings  # the drills all reach AEGL-2 somewhere
            for lvl in rings:
                assert f"{prefix}-{k}-aegl{lvl}" in zones
                assert len(zones[f"{prefix}-{k}-aegl{lvl}"].get_xy()) >= len(rings[lvl])
            areas = [_area_m2(rings[lvl]) for lvl in (3, 2, 1) if lvl in rings]
            assert areas == sorted(areas) and areas[0] > 0
            for inner, outer in ((3, 2), (2, 1)):
                if inner in rings:
                    path = MPath([(b, a) for a, b in rings[outer]])
                    pts = [(b, a) for a, b in rings[inner][1:-1]]
                    inside = path.contains_points(pts, radius=1e-7)
                    assert inside.mean() > 0.97, (name, k, inner, outer)
            assert extent[3] <= extent[2] <= extent[1]
    labels = " ".join(h.get_label() for h in handles)
    assert "AEGL-1" in labels and "staging point" in labels and "isolation" in labels
    assert "hot zone" in labels


def test_wind_shift_draws_the_zones_after_the_shift(results, world):
    ctx = make_context(results["chlorine-day-wind-shift"], world=world)
    states = ch.weather_states(ctx)
    assert [st.wind_from for st in states] == [135.0, 225.0]
    assert states[1].shifted


@pytest.mark.parametrize("name", DRILLS)
def test_model_limits_worded_from_their_keys(results, reports, name):
    """Each logged limit is listed in both languages: the English words are the engine's
    text, the Chinese words are the limit's key worded with the logged numbers."""
    logged = [r.data for r in results[name].records if r.event == "model_limit"]
    assert logged or name == "ammonia-liquor-group"  # class B, lighter than air: none
    chem_zh = CHEMICALS[results[name].scenario.chemical.chemical].name_zh
    for lang in ("en", "zh"):
        rep = reports[(name, lang)]
        cells = [row[0] for t in rep.overview_tables for row in t.rows]
        page = html.unescape(render_html(rep, embed_font=False))
        for d in logged:
            words = d["text"] if lang == "en" else say(
                "zh", ch.LIMIT_TEXT[d["limit"]], **_limit_fields(d, chem_zh))
            assert words in cells and words in page
            if lang == "zh":
                assert d["text"] not in page


def _limit_fields(d: dict, chem_zh: str) -> dict:
    v = d["values"]
    return {"wind": f"{v.get('wind_m_s', 0):.1f}", "min_wind": f"{v.get('min_wind_m_s', 0):g}",
            "stability": d.get("stability", ""), "metres": f"{v.get('distance_m', 0):g}",
            "km": f"{v.get('distance_m', 0) / 1000:g}",
            "minutes": f"{v.get('duration_min', 0):g}",
            "density": f"{v.get('density_rel_air', 0):.2f}", "chemical": chem_zh}


def test_night_limits_name_stable_air_and_dense_gas(results):
    logged = [r.data["text"] for r in results["chlorine-night"].records
              if r.event == "model_limit"]
    assert any("very stable air" in t for t in logged)
    assert any("dense gas" in t for t in logged)


def test_hostile_release_id_and_names_are_escaped(results, world):
    res = results["chlorine-day-wind-shift"]
    s = res.scenario
    chem = s.chemical.model_copy(update={"id": HOSTILE})
    scen = s.model_copy(update={"chemical": chem, "name": HOSTILE, "name_zh": HOSTILE})
    old = s.chemical.id
    recs = tuple(r._replace(
        place=HOSTILE if r.place == old else r.place,
        incident=f"HZ-{HOSTILE}" if r.incident == f"HZ-{old}" else r.incident)
        for r in res.records)
    hostile = dataclasses.replace(res, scenario=scen, records=recs)
    for lang in ("en", "zh"):
        rep = build_report(make_context(hostile, lang=lang, world=world), figures=False)
        page = render_html(rep, embed_font=False)
        assert "<script>alert" not in page and "<img src=x" not in page
        assert "&lt;script&gt;" in page
        assert any(HOSTILE in row[1] for t in rep.overview_tables for row in t.rows)


def _finding(ctx, metric, target="<= 1"):
    from drillsim.metrics.evaluation import ObjectiveResult
    from drillsim.scenarios.schema import Objective

    res = next((r for r in ctx.summary.objectives if r.objective.metric == metric), None)
    if res is None:
        obj = Objective(id="OX", metric=metric, target=target)
        res = ObjectiveResult(obj, ctx.summary.metrics[metric], "not_met")
    return ch.EXPLAINERS[metric](ctx, res, rate(res))


def test_hazmat_arrival_explainer_names_the_largest_segment(results, world):
    for name in DRILLS:
        ctx = make_context(results[name], world=world)
        recs = [r for r in ctx.records if r.incident == ch.incident_id(ctx)]
        hz = ch.hazmat_units(ctx)
        arr = next(r for r in recs if r.event == "arrive" and r.unit in hz)
        disp = next(r for r in recs if r.event == "dispatch" and r.unit == arr.unit)
        enr = next(r for r in recs if r.event == "enroute" and r.unit == arr.unit)
        call = next(r for r in recs if r.event == "call")
        segs = {"processing": disp.t - call.t, "turnout": enr.t - disp.t,
                "travel": arr.t - enr.t}
        want = max(segs, key=segs.get)
        text = " ".join(_finding(ctx, "hazmat_first_arrival").paragraphs)
        assert f"Bottleneck: {say('en', ch.RESPONSE_SEGMENTS[want])}" in text
        assert arr.unit in text
        assert "BX-H1" in text and "not staffed" in text  # the second hazmat crew


def test_source_control_explainer_names_the_largest_segment(results, world):
    ctx = make_context(results["chlorine-day-wind-shift"], world=world)
    f = _finding(ctx, "source_control_time")
    text = " ".join(f.paragraphs)
    segs, emptied = ch.control_segments(ctx)
    assert not emptied and set(segs) == {"arrival", "ppe", "walk_in", "work"}
    want = max(segs, key=segs.get)
    assert f"Bottleneck: {say('en', ch.CONTROL_SEGMENTS[want])}" in text
    owners = {a.owner for a in f.actions}
    assert any("Jieyuan" in o for o in owners)
    ctx = make_context(results["ammonia-liquor-group"], world=world)
    text = " ".join(_finding(ctx, "source_control_time").paragraphs)
    assert "inventory ran out" in text  # a ruptured line: its inventory, not a container
    zh = make_context(results["ammonia-liquor-group"], lang="zh", world=world)
    assert any("津酒集团" in a.owner for a in _finding(zh, "source_control_time").actions)


def test_evacuation_and_exposure_explainers(results, world):
    ctx = make_context(results["chlorine-day-wind-shift"], world=world)
    text = " ".join(_finding(ctx, "evacuation_time").paragraphs)
    # issue 10 item 2: people leave only once the order reaches them; the district-wide
    # door-to-door round reaches the last of them hours later
    assert "Bottleneck: waiting at home for the order to reach them" in text
    f = ch.facts(ctx)
    later = sum(o.total for o in f.ordered_out if o.t > f.evacuation.order)
    assert later > 0  # the wind shift extended the evacuation
    assert f"{later:,.0f} residents were ordered out later" in text
    f = _finding(ctx, "people_above_aegl2", "<= 0")
    text = " ".join(f.paragraphs)
    # the exposure by stretch of the order, as the metrics split it; door to door in the
    # ordered zone makes the wait for the order to reach people the longest stretch, so the
    # finding says so and does not claim that most exposure came before the order
    pm = ch.facts(ctx).person_minutes_by_phase(2)
    assert (f"Person-minutes above AEGL-2: {pm['to_decision']:,.0f} before the decision, "
            f"{pm['to_issue']:,.0f} between decision and issue, {pm['to_action']:,.0f} between "
            f"issue and the first evacuee leaving, {pm['after']:,.0f} after.") in text
    delays = ch.order_delays(ctx)
    assert max(delays, key=delays.get) == "reaction"
    assert ("The longest delay: from the order going out to the first people acting on it"
            in text)
    e = ch.facts(ctx).exposure[2]
    assert e.before < e.after and "Most of the exposure happened before the order" not in text
    assert "People in the AEGL-2 zone were told to evacuate" in text
    from drillsim.report.findings import OWNERS
    from drillsim.report.wording import say

    owners = {a.owner for a in f.actions}  # no 'monitor the plume': no finding calls for it
    assert say("en", OWNERS["health"]) in owners and say("en", OWNERS["ecology"]) not in owners


def test_responders_explainer_and_msel_rule(results, world):
    from drillsim.report.msel import msel_rows

    ctx = make_context(results["chlorine-day-wind-shift"], world=world)
    f = _finding(ctx, "responders_exposed")
    assert "wind shifted at +00:55:00" in " ".join(f.paragraphs)
    row = next(r for r in msel_rows(ctx) if r.kind == "wind_shift")
    plume = next(r for r in ctx.records if r.event == "plume" and r.t >= row.at
                 and r.data["wind_from_deg"] == 225)
    assert row.sim_t == plume.t
    assert "wind from 225" in row.sim_what and "evacuation extended" in row.sim_what
