"""What the fourth review of issue 10 found in the fire / MSEL / advice part of the report,
checked on what the pages say, in both languages: the rating rules state every rule the
ratings apply (from the same constants), the MSEL answers the question each inject asks,
advice follows the records, and strengths list only what went well and was needed."""

from __future__ import annotations

import math

import pytest
from conftest import make_scenario

from drillsim.engine import run_drill
from drillsim.report import make_context, render_markdown
from drillsim.report import ratings as rt
from drillsim.report import text as tx
from drillsim.report.build import rules_table
from drillsim.report.msel import msel_rows

# ----------------------------------------------------------------------------- 1. rules


@pytest.mark.parametrize("lang, cap, contradicted", [
    ("en", "caps the overall score at 59 / 100, the top of poor",
     "S (good) at most: target met, but the records show a failure"),
    ("zh", "综合得分封顶为59/100（差的上限）", "最高为良（S）：目标虽已达成"),
])
def test_rules_state_the_critical_cap_first_and_the_contradicted_cap(reports, lang, cap,
                                                                     contradicted):
    """The appendix's first rule is the critical-objective cap (it overrides the mean, and
    its finding comes first); the rule capping a met objective whose records show its
    subject failing has its own row, at S."""
    _, rep = reports["rainstorm-50y-night", lang]
    first = rep.rules.rows[0]
    assert rt.grade(rt.CRITICAL_CAP) == "差" and first[2].endswith("59")
    assert cap in first[3]
    assert ("stated first" if lang == "en" else "列在最前") in first[3]
    row = next(r for r in rep.rules.rows if contradicted in r[3])
    assert row[:3] == ["S", "good" if lang == "en" else "良", "82"]
    md = render_markdown(rep)
    appendix = md[md.index("## " + rep.labels["appendix"]):]
    assert cap in appendix and contradicted in appendix


def test_rules_are_stated_from_the_constants_the_ratings_use(reports, monkeypatch):
    """Change the constants and the rules' words follow: margins, scores, cap, grades."""
    ctx, _ = reports["rainstorm-50y-night", "en"]
    monkeypatch.setattr(rt, "MARGIN_P", 0.05)
    monkeypatch.setattr(rt, "SHORTFALL_M", 0.30)
    monkeypatch.setattr(rt, "CRITICAL_CAP", 49.0)
    monkeypatch.setattr(rt, "GRADE_FLOORS", (("优", 85), ("良", 70), ("中", 50)))
    monkeypatch.setitem(rt.SCORES, "S", 80)
    table = rules_table(ctx)
    text = " | ".join(" ".join(r) for r in table.rows)
    assert "margin of at least 5 %" in text and "margin under 5 %" in text
    assert "missed by at most 30 %" in text and "more than 30 %" in text
    assert "overall ≤ 49" in text and "at 49 / 100" in text
    assert ["S", "good", "80"] == table.rows[2][:3]
    assert "excellent ≥ 85, good 70–84, fair 50–69, poor < 50" in table.caption
    assert rt.grade(84.9) == "良" and rt.grade(49.9) == "差"


# ----------------------------------------------------------------------------- 2. underpasses

POINT = {"id": "P1", "location": {"node": "N1"}, "catchment_ha": 4, "runoff_coeff": 1.0,
         "drain_m3_s": 0.02, "area_m2": 2000, "radius_m": 300, "residents": 0,
         "trapped_share": 0.0, "name_en": "North underpass", "name_zh": "北地道"}


def _underpass_drill(ring_world, fire_node: str):
    """The ring (North Road N0-N1-N2 1.2 km, South Road N2-N3-N0 1.8 km) in a 1-hour storm
    that floods P1 at N1 past the fire-engine limit; a fire at ``fire_node`` at +00:50
    and a note on P1 at +00:55."""
    s = make_scenario(
        duration="04:00",
        flood={"rain": {"series": [{"at": "+00:00", "mm_h": 120}, {"at": "+01:00", "mm_h": 0}]},
               "points": [POINT], "step": "5 min"},
        forces__response_plans={"alarm": [{"engine": 1}], "dwelling": [{"engine": 1}]},
        incidents=[{"id": "F1", "kind": "alarm", "at": "+00:50",
                    "location": {"node": fire_node}, "work_time": "10 min"}],
        injects=[{"id": "I1", "kind": "note", "at": "+00:55", "points": ["P1"],
                  "text": "P1 closed."}])
    return run_drill(s, ring_world)


def _msel(result, world, lang: str) -> str:
    ctx = make_context(result, lang=lang, world=world)
    return next(r for r in msel_rows(ctx) if r.id == "I1")


def test_underpass_note_names_the_engine_routed_around_it(ring_world):
    """Fire at N2: with P1 closed, E1 drives the South Road (1.8 km) instead of the North
    Road (1.2 km): half its dry travel time longer; the note cites that, not the arrival."""
    result = _underpass_drill(ring_world, "N2")
    closed = [r for r in result.records if r.event == "road_state" and r.place == "P1"
              and r.data["factors"]["fire_engine"] == 0]
    assert closed and closed[0].t < 3000  # closed before the fire's turnout order
    extra = ring_world.dry.time(0, 2, "fire_engine") * (1800 / 1200 - 1)
    sent = next(r for r in result.records if r.event == "dispatch" and r.incident == "F1")
    for lang, text in (("en", f"E1 (F1) routed around North underpass: "
                              f"{tx.minutes(extra, 'en')} longer"),
                       ("zh", f"E1（F1）绕开北地道行驶，多用{tx.minutes(extra, 'zh')}")):
        row = _msel(result, ring_world, lang)
        assert row.sim_what == text and row.sim_t == sent.t
        assert "arrive" not in row.sim_what and "到达" not in row.sim_what


def test_underpass_note_says_no_unit_rerouted_and_how_close_they_came(ring_world):
    """Fire at N3: the South Road is E1's route either way: no detour; its route (N0-N3)
    came closest to P1 at N0, 0.005° of latitude (556 m) from N1."""
    result = _underpass_drill(ring_world, "N3")
    for lang, text in (
            ("en", "none: no unit had to re-route around North underpass (fire-station units "
                   "sent from quarters while they were closed to fire engines: 1); the closest came "
                   "560 m from North underpass: E1 (F1)"),
            ("zh", "无：没有车辆需要绕开北地道（其对消防车封闭期间从消防站出动1个单元）；"
                   "离其最近的距北地道560 m：E1（F1）")):
        row = _msel(result, ring_world, lang)
        assert row.sim_what == text and math.isnan(row.sim_t)


@pytest.mark.parametrize("lang, text", [
    ("en", "none: no unit had to re-route around Tianping bridge underpass, Xianyang Road "
           "underpass (fire-station units sent from quarters while they were closed to "
           "fire engines: "),
    ("zh", "无：没有车辆需要绕开天平桥下地道、咸阳路地道（其对消防车封闭期间从消防站出动")])
def test_ready_underpass_note_answers_with_the_routes(reports, lang, text):
    """flood-and-fire I1 (the traffic police close the Tianping and Xianyang Road
    underpasses): the answer is about re-routing around them, not F1's arrival."""
    ctx, _ = reports["flood-and-fire", lang]
    row = next(r for r in msel_rows(ctx) if r.id == "I1")
    assert row.sim_what.startswith(text), row.sim_what
    assert "arrived" not in row.sim_what and "到达" not in row.sim_what


# ----------------------------------------------------------------------------- 3. reserve


@pytest.mark.parametrize("lang, opens, spans, waited", [
    ("en", "stations left without an engine in quarters: Dingzigu Fire Rescue Station ",
     " and ", "; no call had to wait for a free unit"),
    ("zh", "站内无消防车留守的站：丁字沽消防救援站", "、", "；没有警情因无可用力量而排队")])
def test_surge_answers_the_reserve_question_first_per_station(reports, lang, opens, spans,
                                                              waited):
    """highrise-evening I1 ("keep one engine per station in reserve"): the answer opens with
    the stations that had no engine in quarters, each named once with all its spans (the
    metric's :func:`empty_stations` spells), and only then says whether a call waited."""
    from drillsim.metrics.injects import inject_responses

    ctx, _ = reports["highrise-evening", lang]
    a = next(x for x in inject_responses(ctx.result, ctx.world) if x.id == "I1")
    text = next(r.sim_what for r in msel_rows(ctx) if r.id == "I1")
    assert text.startswith(opens) and text.endswith(waited), text
    assert a.outcome == "none" and a.empty
    stations = list(dict.fromkeys(e.station for e in a.empty))
    for st in stations:
        assert text.count(ctx.place_name(st)) == 1
        mine = [e for e in a.empty if e.station == st]
        said = spans.join((f"{tx.offset(e.start)} to {tx.offset(e.end)}" if lang == "en"
                           else f"{tx.offset(e.start)}至{tx.offset(e.end)}") for e in mine)
        assert ctx.place_name(st) + ("" if lang == "zh" else " ") + said in text
    dz = [e for e in a.empty if e.station == "dingzigu_station"]
    assert len(dz) >= 2  # Dingzigu emptied twice: one station, two spans
