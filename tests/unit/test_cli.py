"""The `drillsim` command as a user runs it: summaries, files, errors without tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drillsim.cli import main
from drillsim.metrics.catalog import METRICS

ROOT = Path(__file__).resolve().parents[2]
HIGHRISE = ROOT / "scenarios" / "highrise-evening.yaml"


def invoke(*args: str):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_run_prints_summary_and_objectives():
    r = invoke("run", HIGHRISE)
    assert r.exit_code == 0, r.output
    for text in ("High-rise residential fire", "Incidents", "F1", "call to first arrival",
                 "Objectives", METRICS["first_arrival_p90"].en):
        assert text in r.output


def test_run_twice_with_same_seed_writes_identical_files(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert invoke("run", HIGHRISE, "--seed", "7", "--out", a).exit_code == 0
    assert invoke("run", HIGHRISE, "--seed", "7", "--out", b).exit_code == 0
    for name in ("events.csv", "incidents.csv", "summary.json"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    ma, mb = (json.loads((d / "manifest.json").read_text()) for d in (a, b))
    ma.pop("wall_time_s"), mb.pop("wall_time_s")
    assert ma == mb
    assert ma["seed"] == 7 and len(ma["scenario_sha256"]) == 64
    summary = json.loads((a / "summary.json").read_text())
    assert {o["id"] for o in summary["objectives"]} == {"O1", "O2", "O3"}


def test_different_seed_changes_the_events(tmp_path):
    invoke("run", HIGHRISE, "--seed", "1", "--out", tmp_path / "a")
    invoke("run", HIGHRISE, "--seed", "2", "--out", tmp_path / "b")
    assert (tmp_path / "a/events.csv").read_bytes() != (tmp_path / "b/events.csv").read_bytes()


@pytest.mark.parametrize("body", [
    "name: x\nstart: 2026-01-01T00:00\nduration: 1 h\nincidents: [\n",        # malformed YAML
    "name: x\nstart: 2026-01-01T00:00\nduration: -1 h\n",                      # negative
    "name: x\nstart: 2026-01-01T00:00\nduration: 1 h\nincidents:\n"
    "  - {id: F, occupancy: dwelling, at: '+00:10', location: nowhere_park}\n",  # unknown place
])
def test_bad_files_give_one_line_errors_and_exit_2(tmp_path, body):
    f = tmp_path / "bad.yaml"
    f.write_text(body, encoding="utf-8")
    for cmd in ("run", "validate"):
        r = invoke(cmd, f)
        assert r.exit_code == 2, r.output
        assert "Traceback" not in r.output
        assert f"{f}:" in r.output


def test_missing_file_is_a_clear_error(tmp_path):
    r = invoke("run", tmp_path / "nope.yaml")
    assert r.exit_code == 2
    assert "nope.yaml" in r.output and "Traceback" not in r.output


def test_validate_ready_drills():
    r = invoke("validate", *sorted((ROOT / "scenarios").glob("*.yaml")))
    assert r.exit_code == 0, r.output
    assert r.output.count("ok ") == len(list((ROOT / "scenarios").glob("*.yaml")))


def test_schema_is_json_and_lists_metrics(tmp_path):
    r = invoke("schema")
    assert r.exit_code == 0
    assert json.loads(r.output)["title"]
    r = invoke("schema", "--metrics")
    assert "first_arrival_p90" in r.output


def test_network_summary_and_map(tmp_path):
    png = tmp_path / "map.png"
    r = invoke("network", "--png", png, "--places")
    assert r.exit_code == 0, r.output
    assert "5-minute reach" in r.output and "xigu_park" in r.output
    assert png.stat().st_size > 10_000


def test_internal_error_is_one_line_and_recorded_in_the_manifest(tmp_path, monkeypatch):
    import drillsim.api

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(drillsim.api, "run_drill", broken)
    monkeypatch.delenv("DRILLSIM_DEBUG", raising=False)
    r = invoke("run", HIGHRISE, "--out", tmp_path)
    assert r.exit_code == 3
    assert "internal error (RuntimeError: boom)" in r.output and "Traceback" not in r.output
    assert json.loads((tmp_path / "manifest.json").read_text())["error"] == "RuntimeError('boom')"


def test_run_folder_reads_back_to_the_same_result(tmp_path):
    from drillsim.api import load_scenario, run_drill
    from drillsim.records.run_folder import read_run

    assert invoke("run", HIGHRISE, "--out", tmp_path).exit_code == 0
    back = read_run(tmp_path)
    fresh = run_drill(load_scenario(HIGHRISE))
    assert back.units == fresh.units and back.incidents == fresh.incidents
    assert [(round(r.t, 3), r.event, r.unit) for r in back.records] == [
        (round(r.t, 3), r.event, r.unit) for r in fresh.records]
    assert (tmp_path / "scenario.yaml").read_bytes() == HIGHRISE.read_bytes()
