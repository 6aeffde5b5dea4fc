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
    """Seconds of a ``4.3 min`` cell (one decimal of a minute: ±3 s)."""
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
        _check(measures[METRICS[key].en], sd["metrics"][key], METRICS[key].unit)


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
