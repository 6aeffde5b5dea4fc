"""The drill script (MSEL) and observed-versus-simulated comparison."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.errors import DrillsimError
from drillsim.report.build import make_context
from drillsim.report.msel import MSEL_COLUMNS, msel_rows, write_msel_csv
from drillsim.report.observed import compare, load_observed
from drillsim.scenarios.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def ctx():
    s = load_scenario(ROOT / "scenarios" / "night-compound-fire.yaml")
    return make_context(run_drill(s, world=load_world(s.network)), lang="en")


def test_msel_rows_in_time_order_with_simulated_actions(ctx, tmp_path):
    rows = msel_rows(ctx)
    assert [r.id for r in rows] == ["I1", "F1", "I2", "I3"]
    assert [r.number for r in rows] == [1, 2, 3, 4]
    f1 = next(r for r in rows if r.id == "F1")
    first_dispatch = min(r.t for r in ctx.records if r.event == "dispatch" and r.incident == "F1")
    assert f1.sim_t == first_dispatch
    back = next(r for r in rows if r.id == "I2")
    assert back.sim_t == next(r.t for r in ctx.records if r.event == "in_service")
    road = next(r for r in rows if r.id == "I1")
    reroutes = [r.t for r in ctx.records if r.event == "reroute"]
    assert (road.sim_t == reroutes[0]) if reroutes else math.isnan(road.sim_t)
    out = tmp_path / "msel.csv"
    write_msel_csv(ctx, out)
    with open(out, encoding="utf-8-sig", newline="") as fh:
        table = list(csv.DictReader(fh))
    assert list(table[0]) == MSEL_COLUMNS
    assert table[0]["clock_time"] == "02:00:00" and table[0]["to"] == "command centre"
    assert table[1]["simulated_action_time"].startswith("+00:")


def _write(tmp_path, text: str) -> Path:
    p = tmp_path / "observed.csv"
    p.write_text(text, encoding="utf-8")
    return p


def test_observed_rows_are_matched_and_late_ones_flagged(ctx, tmp_path):
    first_arrival = min(r.t for r in ctx.records if r.event == "arrive" and r.incident == "F1")
    m, s = divmod(int(first_arrival) + 400, 60)  # 6.7 min late
    path = _write(tmp_path, "time,actor,action,incident,inject,note\n"
                  f"+00:{m:02d}:{s:02d},NY-E2,arrive,F1,,engine on scene\n"
                  "+00:11:50,nanyunhe_station,dispatch,F1,,\n"
                  "+00:20,command centre,mutual_aid_request,F1,,asked for help\n")
    rows = load_observed(ctx, path)
    comps = compare(ctx, rows, late_after=120)
    by_action = {c.row.action: c for c in comps if c.row}
    assert by_action["arrive"].status == "late"
    assert by_action["arrive"].delta == pytest.approx(
        rows[0].t - next(r.t for r in ctx.records if r.event == "arrive" and r.unit == "NY-E2"))
    assert by_action["dispatch"].status == "on_time"
    assert by_action["mutual_aid_request"].status == "not_simulated"
    missing = {c.sim_what for c in comps if c.status == "not_observed"}
    assert "control F1" in missing and "clear F1" in missing


def test_bad_observed_rows_name_file_line_and_column(ctx, tmp_path):
    path = _write(tmp_path, "time,actor,action,incident\n"
                  "+00:10,NY-E2,arive,F1\n"
                  "25:99,NY-E2,arrive,F9\n"
                  ",,,\n")
    with pytest.raises(DrillsimError) as exc:
        load_observed(ctx, path)
    lines = exc.value.lines()
    assert any(line.startswith(f"{path}:2: action:") and "'arrive'" in line for line in lines)
    assert any(line.startswith(f"{path}:3: time:") for line in lines)
    assert any(line.startswith(f"{path}:3: incident:") for line in lines)
    bad_header = _write(tmp_path, "when,who,what\n+00:10,a,b\n")
    with pytest.raises(DrillsimError, match=r":1: header: missing column"):
        load_observed(ctx, bad_header)


def test_cli_report_and_msel(tmp_path):
    from click.testing import CliRunner

    from drillsim.cli import main

    runner = CliRunner()
    drill = ROOT / "scenarios" / "night-compound-fire.yaml"
    out = tmp_path / "run"
    res = runner.invoke(main, ["run", str(drill), "--out", str(out), "--report", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert (out / "report.en.html").is_file() and (out / "report.en.md").is_file()
    obs = _write(tmp_path, "time,actor,action\n+00:10,NY-E2,dispatsh\n")
    res = runner.invoke(main, ["report", str(out), "--lang", "en", "--observed", str(obs)])
    assert res.exit_code == 2 and f"{obs}:2: action:" in res.output
    res = runner.invoke(main, ["msel", str(out), "--out", str(tmp_path / "m.csv")])
    assert res.exit_code == 0 and (tmp_path / "m.csv").is_file()
