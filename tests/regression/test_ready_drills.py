"""Each ready drill, run with its own seed, against its committed key figures.

The expectations change only on purpose: after a deliberate model change, run
``python tests/regression/test_ready_drills.py --regenerate`` and commit the
JSON files with a note of why the figures moved.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = Path(__file__).resolve().parent / "expected"
READY = sorted((ROOT / "scenarios").glob("*.yaml"))


def key_figures(path: Path) -> dict:
    """The figures a designer would quote from a drill, as plain JSON data."""
    from drillsim.api import load_scenario, run_drill
    from drillsim.metrics.summary import summarize

    result = run_drill(load_scenario(path))
    summary = summarize(result)
    scripted = {
        r.incident: {"response_s": r.response, "full_assignment_s": r.call_to_full_assignment,
                     "q_first_arrival_kw": r.q_first_arrival_kw, "alarms": r.alarms,
                     "units_sent": r.units_sent}
        for r in summary.rows if not r.background}
    return json.loads(json.dumps({
        "records": len(result.records),
        "incidents": len(summary.rows),
        "scripted": scripted,
        "metrics": summary.metrics,
        "objectives": {o.objective.id: o.status for o in summary.objectives},
    }, default=str).replace("NaN", "null").replace("Infinity", '"inf"'))


def _close(a, b, path="") -> None:
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            _close(a[k], b[k], f"{path}.{k}")
    elif isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6), (path, a, b)
    else:
        assert a == b, (path, a, b)


@pytest.mark.parametrize("path", READY, ids=[p.stem for p in READY])
def test_ready_drill_matches_expectation(path):
    expected = json.loads((EXPECTED / f"{path.stem}.json").read_text(encoding="utf-8"))
    _close(key_figures(path), expected)


def test_every_ready_drill_has_an_expectation_and_a_header():
    for path in READY:
        assert (EXPECTED / f"{path.stem}.json").exists(), path.name
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# "), f"{path.name} must start with a comment for the designer"


if __name__ == "__main__" and "--regenerate" in sys.argv:
    EXPECTED.mkdir(exist_ok=True)
    for p in READY:
        (EXPECTED / f"{p.stem}.json").write_text(
            json.dumps(key_figures(p), ensure_ascii=False, indent=2, allow_nan=False) + "\n",
            encoding="utf-8")
        print("wrote", EXPECTED / f"{p.stem}.json")
