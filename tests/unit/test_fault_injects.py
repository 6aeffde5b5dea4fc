"""Faults as injects (issue 13): the worst a drill designer can script still completes,
and the summary and the report say what was left undone.

Each fault is a drill file written as a designer would: every station's units out of
service, every named road closed, the depots emptied, the shelters full, a 100-hour
communications delay. The fast tests run each through `drillsim run --out` and read
the summary; the slow test builds the English report and reads what it says.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from drillsim.cli import main
from drillsim.scenarios.loader import default_forces

HEAD = {"name": "fault", "start": "2026-07-20T13:30:00+08:00", "duration": "04:00"}
FIRE = [{"id": "F1", "kind": "fire", "occupancy": "dwelling", "location": "xigu_park",
         "at": "+00:10"}]
FLOOD = {"rain": {"return_period": 50, "duration": "2 h", "start": "+00:10"},
         "activation": "+00:10"}
NO_AID = {"mutual_aid": {"enabled": False}}  # aid from outside arrives without the roads


@cache
def fault_drills() -> dict[str, dict]:
    from drillsim.network.graphml import load_network

    forces = default_forces()[1].data
    units = [a["id"] for s in forces["stations"] for a in s["apparatus"]]
    roads = sorted({name for name in load_network("default").edge_name if name})
    return {
        "every station out": {**HEAD, "forces": {"out_of_service": units, **NO_AID},
                              "incidents": FIRE},
        "all roads closed": {**HEAD, "forces": NO_AID, "incidents": FIRE, "injects": [
            {"kind": "road_closed", "at": "+00:01", "road": r} for r in roads]},
        "depots empty": {**HEAD, "duration": "14:00", "flood": FLOOD, "injects": [
            {"kind": "stock_change", "at": "+00:01", "depot": d["id"],
             "stock": {k: -v for k, v in d["stock"].items()}} for d in forces["depots"]]},
        "shelters full": {**HEAD, "duration": "08:00", "flood": FLOOD, "forces": {
            "shelters": [{**s, "capacity": 1} for s in forces["shelters"]]}},
        "huge comms delay": {**HEAD, "incidents": FIRE, "injects": [
            {"kind": "comms_delay", "at": "+00:05", "delay": "100 h"}]},
    }


# what the run's metrics must show, and the line of the terminal summary that says it
UNMET = {
    "every station out": ({"calls_unmet": 1.0}, "calls no unit reached before the drill ended"),
    "all roads closed": ({"calls_unmet": 1.0}, "calls no unit reached before the drill ended"),
    "depots empty": ({"relief_share_10h": 0.0, "relief_t100": "inf"},
                     "time by which every displaced person was relieved"),
    "shelters full": ({"people_unsheltered": "displaced - 4"},  # 4 shelters of 1 place
                      "displaced people who found no shelter place"),
    "huge comms delay": ({"calls_unmet": 1.0}, "calls no unit reached before the drill ended"),
}
# what the English report must say (a line of its Markdown)
REPORT = {
    "every station out": "| F1 | dwelling fire | +00:11:35 | not by the end |",
    "all roads closed": "UNMET, CUT OFF |",  # unreachable: said so, no mutual aid asked
    "depots empty": "relieved within the relief target (10 h, indicator 8) | 0% |",
    "shelters full": "| displaced people who found no shelter place | {unsheltered:,.0f} |",
    "huge comms delay": "UNMET |",
}


def run_fault(tmp_path: Path, fault: str, *extra: str):
    f = tmp_path / "fault.yaml"
    f.write_text(yaml.safe_dump(fault_drills()[fault], allow_unicode=True, sort_keys=False),
                 encoding="utf-8")
    out = tmp_path / "run"
    r = CliRunner().invoke(main, ["run", str(f), "--out", str(out), *extra])
    assert r.exit_code == 0, r.output
    return r, out


@pytest.mark.parametrize("fault", list(UNMET))
def test_a_fault_completes_and_the_summary_reports_the_unmet_demand(tmp_path, fault):
    r, out = run_fault(tmp_path, fault)
    metrics = json.loads((out / "summary.json").read_text(encoding="utf-8"))["metrics"]
    expected, line = UNMET[fault]
    if fault == "shelters full":  # everyone displaced but the four who found a place
        assert metrics["people_displaced"] > 1000
        expected = {"people_unsheltered": metrics["people_displaced"] - 4}
    assert {k: metrics[k] for k in expected} == expected
    said = [ln for ln in r.output.splitlines() if line in ln]
    assert said, r.output
    if "calls no unit" in line:
        assert said[0].split("│")[-2].strip() == "1"


@pytest.mark.slow
@pytest.mark.parametrize("fault", list(REPORT))
def test_a_fault_completes_and_the_report_says_what_was_left_undone(tmp_path, fault):
    _, out = run_fault(tmp_path, fault, "--report", "--lang", "en")
    report = (out / "report.en.md").read_text(encoding="utf-8")
    metrics = json.loads((out / "summary.json").read_text(encoding="utf-8"))["metrics"]
    assert REPORT[fault].format(unsheltered=metrics.get("people_unsheltered", 0)) in report
