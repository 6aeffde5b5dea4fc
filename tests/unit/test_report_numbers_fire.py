"""The fire part of the report states the numbers the metrics computed, and nothing else."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.response import fire_station_turnouts
from drillsim.metrics.summary import summarize, summary_dict
from drillsim.report import build_report, make_context
from drillsim.scenarios.loader import load_scenario
from drillsim.scenarios.schema import Objective

ROOT = Path(__file__).resolve().parents[2]
FIRE_DRILLS = ("highrise-evening", "night-compound-fire", "warehouse-escalation",
               "flood-and-fire")


def _run(name: str, objectives=None):
    s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    if objectives is not None:
        s = s.model_copy(update={"objectives": [*s.objectives, *objectives]})
    world = load_world(s.network)
    result = run_drill(s, world=world)
    return result, world


@pytest.fixture(scope="module")
def fire_reports():
    out = {}
    for name in FIRE_DRILLS:
        result, world = _run(name)
        rep = build_report(make_context(result, lang="en", world=world), figures=False)
        out[name] = (rep, summary_dict(result, summarize(result)))
    return out


def _minutes(cell: str) -> float:
    """Seconds of a ``4.3 min`` cell (one decimal of a minute: ±3 s), or of a ``64.7 s``
    one (a segment timed by a second-scale standard, :func:`drillsim.report.text.against`)."""
    s = re.fullmatch(r"(-?\d+\.\d) s", cell)
    if s:
        return float(s.group(1))
    m = re.fullmatch(r"(-?\d+\.\d) min", cell)
    assert m, cell
    return float(m.group(1)) * 60


def _check(cell: str, value, unit: str) -> None:
    """The cell states ``value`` (from summary.json) to the report's rounding."""
    if value is None:
        assert cell in ("—", "not measured"), cell
    elif unit == "seconds":
        assert abs(_minutes(cell) - value) <= 3.0 + 1e-6, (cell, value)
    elif unit == "share":
        m = re.fullmatch(r"(\d+)%", cell)
        assert m and abs(int(m.group(1)) / 100 - value) <= 0.005 + 1e-9, (cell, value)
    elif unit == "kW":
        m = re.fullmatch(r"(\d+\.\d) MW", cell)
        assert m and abs(float(m.group(1)) * 1000 - value) <= 50.0 + 1e-6, (cell, value)
    else:
        assert float(cell) == value, (cell, value)


def _fire_tables(rep):
    sec = next(s for s in rep.sections if s.key == "fire")
    comp = next(t for t in sec.tables if t.columns[:4] == ["segment", "P50", "P90", "n"])
    std = next(t for t in sec.tables if t.columns == ["measure", "value"])
    return comp, std


@pytest.mark.parametrize("name", FIRE_DRILLS)
def test_fire_tables_state_the_summary(fire_reports, name):
    from drillsim.metrics.catalog import METRICS

    rep, sd = fire_reports[name]
    comp, std = _fire_tables(rep)
    by_label = {row[0]: row for row in comp.rows}
    for key, label in (("response", "call to first arrival"), ("turnout", "turnout (first unit)"),
                       ("travel", "travel (first unit)"), ("processing", "call processing")):
        row = by_label[label]
        c = sd["components_s"][key]
        _check(row[1], c["p50"], "seconds")
        _check(row[2], c["p90"], "seconds")
        assert int(row[3]) == c["n"]
    measures = {row[0]: row[1] for row in std.rows}
    for key in ("five_minute_share", "turnouts_n", "turnout_p90", "nfpa_turnout_share",
                "nfpa_travel_share", "fire_size_at_first_arrival_p90"):
        cell = measures[METRICS[key].en]
        if "(fewer than 5 cases: the values)" in cell:  # each case's value, no share:
            continue  # test_report_s5flood.test_no_share_or_percentile_of_fewer_than_min_cases
        _check(cell, sd["metrics"][key], METRICS[key].unit)


def test_flood_and_fire_states_one_turnout_count():
    """The turnout finding counts the turnouts the metric counts (not rescue teams or pump
    crews): one number in summary.json, the metric's table and the finding."""
    extra = Objective(id="T-check", metric="turnout_p90", target="<= 10 s")
    result, world = _run("flood-and-fire", [extra])
    sd = summary_dict(result, summarize(result))
    n = sd["metrics"]["turnouts_n"]
    assert n == len(fire_station_turnouts(result))
    stations = {st.id for st in result.scenario.forces.stations}
    assert all(t.station in stations for t in fire_station_turnouts(result))
    rep = build_report(make_context(result, lang="en", world=world), figures=False)
    finding = next(f for f in rep.findings if f.objective == "T-check")
    stated = [int(m.group(1)) for p in finding.paragraphs
              for m in [re.search(r"of (?:the )?(\d+) fire-station turnouts", p)] if m]
    assert stated == [n]
    _comp, std = _fire_tables(rep)
    assert float(dict(map(tuple, std.rows))[METRICS["turnouts_n"].en]) == n


@pytest.mark.parametrize("name", ["chlorine-night", "ammonia-liquor-group"])
def test_hazmat_response_segments_add_up_to_the_metric(name):
    from drillsim.report.chemical import response_segments

    result, world = _run(name)
    ctx = make_context(result, lang="en", world=world)
    segs, unit, _aid = response_segments(ctx)
    assert unit
    assert sum(segs.values()) == pytest.approx(ctx.summary.metrics["hazmat_first_arrival"],
                                               abs=1e-6)


# ----------------------------------------------------------------------------- issue 12: water


def _water_table(rep, lang: str):
    from drillsim.report.wording import say

    caption = say(lang, "fire.water_caption", setup="")[:20]
    return next((t for s in rep.sections for t in s.tables
                 if t.caption and t.caption.startswith(caption)), None)


@pytest.mark.parametrize("name", ["night-compound-fire", "warehouse-escalation"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_water_table_states_the_metric_and_the_records(reports, name, lang):
    """Flashover, fire size, rooms and water at first arrival and at control of each
    scripted fire: the report's cells are the metric's, and the metric is the records'
    (the flashover record, the first arrival's and control's fire-size fields, the first
    alarm's dispatches times each type's hose streams)."""
    from drillsim.hazards.fire_growth import WATER_FLOW_L_S
    from drillsim.metrics.fire_water import fire_water
    from drillsim.report import text as tx
    from drillsim.report.wording import say

    ctx, rep = reports[name, lang]
    table = _water_table(rep, lang)
    fires = fire_water(ctx.result, ctx.summary.rows)
    scripted = [r.incident for r in ctx.summary.rows if r.kind == "fire" and not r.background
                and not r.place]
    assert table is not None and [f.incident for f in fires] == scripted
    assert table.columns[1:] == scripted
    cells = {row[0]: row[1:] for row in table.rows}
    types = {u.id: u.type for u in ctx.result.units}
    for k, f in enumerate(fires):
        recs = [r for r in ctx.records if r.incident == f.incident]
        flash = next(r for r in recs if r.event == "flashover")  # both drills' fires flash over
        first = next(r for r in recs if r.event == "arrive")
        control = next(r for r in recs if r.event == "control")
        alarm1 = {r.unit for r in recs if r.event == "dispatch" and r.get("alarm") == 1}
        assert (f.flashover, f.first_arrival, f.control) == (flash.t, first.t, control.t)
        assert (f.q_first_kw, f.rooms_first, f.need_first_l_s) == (
            first.get("q_kw"), first.get("rooms"), first.get("need_l_s"))
        assert (f.q_control_kw, f.rooms_control, f.need_control_l_s) == (
            control.get("q_kw"), control.get("rooms"), control.get("need_l_s"))
        assert f.first_alarm_l_s == sum(WATER_FLOW_L_S.get(types[u], 0.0) for u in alarm1)
        # the fire was held when the water on it reached the need: at least the need
        assert f.water_control_l_s >= f.need_control_l_s > 0
        assert cells[say(lang, "fire.water_flashover")][k].startswith(tx.offset(flash.t))
        assert cells[say(lang, "fire.first_arrival")][k] == tx.offset(first.t)
        assert cells[say(lang, "fire.water_q_first")][k] == tx.value(f.q_first_kw, "kW", lang)
        assert cells[say(lang, "fire.water_rooms_first")][k] == f"{f.rooms_first:.0f}"
        assert cells[say(lang, "fire.water_need_first")][k] == f"{f.need_first_l_s:,.1f} L/s"
        assert cells[say(lang, "fire.water_first_alarm")][k] == f"{f.first_alarm_l_s:,.1f} L/s"
        assert cells[say(lang, "fire.col_control")][k] == tx.offset(control.t)
        assert cells[say(lang, "fire.water_q_control")][k] == tx.value(f.q_control_kw, "kW",
                                                                       lang)
        assert cells[say(lang, "fire.water_rooms_control")][k] == f"{f.rooms_control:.0f}"
        assert cells[say(lang, "fire.water_need_control")][k] == \
            f"{f.need_control_l_s:,.1f} L/s"
        assert cells[say(lang, "fire.water_on_control")][k] == f"{f.water_control_l_s:,.1f} L/s"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flood_only_drill_has_no_water_table(reports, lang):
    from drillsim.report.wording import say

    ctx, rep = reports["rainstorm-50y-afternoon", lang]
    assert _water_table(rep, lang) is None
    text = " ".join(c for s in rep.sections for t in s.tables for row in t.rows for c in row)
    assert say(lang, "fire.water_flashover") not in text and "L/s" not in text
