"""`drillsim run FILE --report` does each piece of work exactly once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from click.testing import CliRunner

import drillsim.engine
import drillsim.metrics.summary
import drillsim.network.graphml
import drillsim.network.world
import drillsim.scenarios.loader
from drillsim.cli import main

ROOT = Path(__file__).resolve().parents[2]
HIGHRISE = ROOT / "scenarios" / "highrise-evening.yaml"


def _count(monkeypatch, counts: Counter, owner, name: str, key: str | None = None) -> None:
    real = getattr(owner, name)

    def spy(*args, **kwargs):
        counts[key or name] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, name, spy)


def test_run_with_report_reads_builds_runs_and_summarizes_once(tmp_path, monkeypatch):
    counts: Counter = Counter()
    reads: list[str] = []
    real_read = drillsim.scenarios.loader._read_bytes

    def read_spy(path, file):
        reads.append(str(path))
        return real_read(path, file)

    monkeypatch.setattr(drillsim.scenarios.loader, "_read_bytes", read_spy)
    _count(monkeypatch, counts, drillsim.network.graphml, "load_network")
    _count(monkeypatch, counts, drillsim.network.graphml, "load_places")
    _count(monkeypatch, counts, drillsim.network.world.World, "__post_init__", "World")
    _count(monkeypatch, counts, drillsim.engine.Drill, "run", "Drill.run")
    _count(monkeypatch, counts, drillsim.metrics.summary, "summarize")

    r = CliRunner().invoke(main, ["run", str(HIGHRISE), "--report", "--out", str(tmp_path)])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "report.zh.html").is_file() and (tmp_path / "report.en.html").is_file()
    assert reads == [str(HIGHRISE)]
    assert counts == Counter({"load_network": 1, "load_places": 1, "World": 1, "Drill.run": 1,
                              "summarize": 1})
