"""`drillsim compare`: what changed between runs, stated as the metrics computed it."""

from __future__ import annotations

import html
import json
import math
import re

import pytest
from click.testing import CliRunner

from drillsim.cli import main
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.compare import compare, verdict
from drillsim.report.compare import render_compare_html, tables


def summary(metrics: dict, objectives=(), seed=1) -> dict:
    return {"scenario": "S", "scenario_zh": "情景", "seed": seed, "metrics": metrics,
            "objectives": list(objectives)}


def test_verdicts_follow_each_metrics_direction():
    assert verdict(300.0, 240.0, "lower") == "better"
    assert verdict(0.9, 0.8, "higher") == "worse"
    assert verdict(300.0, math.inf, "lower") == "worse"  # never reached is worse
    assert verdict(math.inf, math.inf, "lower") == "same"
    assert verdict(math.nan, 5.0, "lower") == "new"
    assert verdict(5.0, math.nan, "lower") == "lost"
    assert verdict(14.0, 20.0, "neither") == "changed"


def test_compare_reads_summary_json_values():
    a = summary({"first_arrival_p90": 337.886, "relief_t95": "inf", "calls_unmet": 0.0},
                [{"id": "O1", "metric": "first_arrival_p90", "target": "<= 5 min",
                  "status": "not_met"}])
    b = summary({"first_arrival_p90": 290.0, "relief_t95": 30000.0, "calls_unmet": 0.0},
                [{"id": "O1", "metric": "first_arrival_p90", "target": "<= 5 min",
                  "status": "met"}], seed=2)
    cmp = compare([a, b], ["A", "B"])
    by = {m.name: m for m in cmp.metrics}
    assert by["first_arrival_p90"].deltas[1] == pytest.approx(290.0 - 337.886)
    assert by["first_arrival_p90"].verdicts[1] == "better"
    assert by["relief_t95"].verdicts[1] == "better" and by["relief_t95"].values[0] == math.inf
    assert not by["calls_unmet"].changed
    assert cmp.objectives[0].statuses == ("not_met", "met") and cmp.objectives[0].changed


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tables_state_the_computed_differences(lang):
    a = summary({"first_arrival_p90": 360.0, "five_minute_share": 0.9, "calls_unmet": 1.0})
    b = summary({"first_arrival_p90": 300.0, "five_minute_share": 0.95, "calls_unmet": 1.0})
    runs, metrics, objectives, unchanged = tables(compare([a, b], ["A", "B"]), lang)
    assert unchanged == 1 and len(metrics.rows) == 2  # calls_unmet is left out
    rows = {r[0]: r for r in metrics.rows}
    name = METRICS["first_arrival_p90"].zh if lang == "zh" else METRICS["first_arrival_p90"].en
    assert re.match(r"−1\.0 (min|分钟)", rows[name][3])  # 300 - 360 s
    share = METRICS["five_minute_share"].zh if lang == "zh" else METRICS["five_minute_share"].en
    assert rows[share][3].startswith("+5.0")  # percentage points
    assert metrics.row_classes == ["better", "better"]
    assert runs.rows[0][1] == ("情景" if lang == "zh" else "S")


def test_chinese_page_names_metrics_not_ids():
    a = summary({"first_arrival_p90": 360.0},
                [{"id": "O1", "metric": "first_arrival_p90", "target": "<= 5 min",
                  "status": "not_met"}])
    b = summary({"first_arrival_p90": 240.0},
                [{"id": "O1", "metric": "first_arrival_p90", "target": "<= 5 min",
                  "status": "met"}])
    page = html.unescape(render_compare_html(compare([a, b], ["A", "B"]), "zh",
                                             embed_font=False))
    assert "first_arrival_p90" not in page
    assert METRICS["first_arrival_p90"].zh in page and "达成" in page and "未达成" in page
    # the target as the report says it, number and unit kept together on the page
    assert "≤ 5\u00a0分钟" in page and "<= 5 min" not in page


def test_command_compares_two_run_folders(tmp_path):
    runner = CliRunner()
    dirs = []
    for seed in (1, 2):
        out = tmp_path / f"seed{seed}"
        r = runner.invoke(main, ["run", "scenarios/night-compound-fire.yaml", "--seed",
                                 str(seed), "--out", str(out)])
        assert r.exit_code == 0, r.output
        dirs.append(out)
    r = runner.invoke(main, ["compare", *map(str, dirs), "--html", str(tmp_path / "cmp")])
    assert r.exit_code == 0, r.output
    a, b = (json.loads((d / "summary.json").read_text())["metrics"] for d in dirs)
    if a["first_arrival_p90"] != b["first_arrival_p90"]:
        assert "90th percentile of time from call to first unit on scene" in r.output
    assert (tmp_path / "cmp" / "compare.zh.html").read_text(encoding="utf-8").count("<tr") > 2


def test_command_says_which_folder_is_not_a_run(tmp_path):
    (tmp_path / "empty").mkdir()
    r = CliRunner().invoke(main, ["compare", str(tmp_path / "empty"), str(tmp_path / "empty")])
    assert r.exit_code == 2
    assert "missing summary.json" in r.output and "Traceback" not in r.output
