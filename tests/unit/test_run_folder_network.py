"""A run folder names its road network (path as given, absolute path, SHA-256), holds a copy
of a drill's own GraphML network and is read back from it wherever it was moved, after the
file moved or changed too (a run folder written before copies needs the file the run
used)."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from osm_world import write_osm_like

from drillsim.cli import main
from drillsim.errors import DrillsimError
from drillsim.records.run_folder import read_run

DRILL = """\
name: Chengdu test
start: 2026-07-15 10:00
duration: 01:00
seed: 3
network: roads/city.graphml
forces:
  stations:
    - id: s1
      location: {node: g00}
      personnel: 10
      apparatus: [{id: E1, type: engine, crew: 5}]
      turnout: {day: 60 s, night: 90 s}
  teams: []
  depots: []
  shelters: []
incidents:
  - {id: F1, occupancy: dwelling, at: '+00:10', location: {node: g33}}
"""


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.fixture
def moved_run(tmp_path: Path) -> tuple[Path, Path]:
    """A run of a drill with a relative network path, its folder moved elsewhere; returns
    (run folder, network file)."""
    (tmp_path / "drills" / "roads").mkdir(parents=True)
    graphml = write_osm_like(tmp_path / "drills" / "roads" / "city.graphml")
    drill = tmp_path / "drills" / "drill.yaml"
    drill.write_text(DRILL, encoding="utf-8")
    r = invoke("run", drill, "--out", tmp_path / "run")
    assert r.exit_code == 0, r.output
    shutil.move(tmp_path / "run", tmp_path / "archive")
    return tmp_path / "archive", graphml


def test_manifest_names_the_network(moved_run: tuple[Path, Path]) -> None:
    run, graphml = moved_run
    info = json.loads((run / "manifest.json").read_text(encoding="utf-8"))["network"]
    assert info == {"given": "roads/city.graphml", "path": str(graphml.resolve()),
                    "drill_folder": str(graphml.parent.parent.resolve()),
                    "sha256": hashlib.sha256(graphml.read_bytes()).hexdigest()}


def test_default_network_is_named_with_the_embedded_file_hash(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    r = invoke("run", root / "scenarios" / "highrise-evening.yaml", "--out", tmp_path / "r")
    assert r.exit_code == 0, r.output
    info = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8"))["network"]
    embedded = root / "drillsim" / "data" / "hongqiao" / "network.yaml"
    assert info["given"] == "default" and info["path"] is None
    assert info["sha256"] == hashlib.sha256(embedded.read_bytes()).hexdigest()
    # the district: the embedded Hongqiao package, hashed over its files, not copied
    district = json.loads((tmp_path / "r" / "manifest.json").read_text(encoding="utf-8")
                          )["district"]
    package = embedded.parent
    h = hashlib.sha256()
    for name in ("district.yaml", "network.yaml", "places.yaml", "activity.yaml",
                 "waterlogging.yaml", "forces.yaml"):
        h.update(name.encode() + b"\0" + hashlib.sha256((package / name).read_bytes()).digest())
    assert district == {"name": "hongqiao", "name_en": "Hongqiao District", "name_zh": "红桥区",
                        "version": "2021-2025.1", "sha256": h.hexdigest(), "path": None}
    assert not (tmp_path / "r" / "district").exists()


def test_moved_run_is_read_with_its_network(moved_run: tuple[Path, Path]) -> None:
    run, graphml = moved_run
    copy = run / "network.graphml"
    assert copy.read_bytes() == graphml.read_bytes()
    result = read_run(run)
    assert result.scenario.network == str(copy.resolve())
    assert [i.id for i in result.incidents] == ["F1"]


def test_report_of_a_moved_run(moved_run: tuple[Path, Path]) -> None:
    run, _ = moved_run
    r = invoke("report", run, "--lang", "en")
    assert r.exit_code == 0, r.output
    assert "F1" in (run / "report.en.md").read_text(encoding="utf-8")


def test_network_gone(moved_run: tuple[Path, Path]) -> None:
    run, graphml = moved_run
    sha = hashlib.sha256(graphml.read_bytes()).hexdigest()
    graphml.unlink()
    r = invoke("report", run, "--lang", "en")  # the run folder's copy serves
    assert r.exit_code == 0, r.output
    assert "F1" in (run / "report.en.md").read_text(encoding="utf-8")
    (run / "network.graphml").unlink()  # a run folder written before copies
    with pytest.raises(DrillsimError) as info:
        read_run(run)
    assert str(info.value) == (
        f"{run}: the run used the road network 'roads/city.graphml' ({graphml.resolve()}), "
        f"which is no longer there; put that file back (SHA-256 {sha[:12]}...) to read the run")
    r = invoke("report", run)
    assert r.exit_code == 2 and "which is no longer there" in r.output


def test_network_changed(moved_run: tuple[Path, Path]) -> None:
    run, graphml = moved_run
    before = hashlib.sha256(graphml.read_bytes()).hexdigest()
    graphml.write_bytes(graphml.read_bytes() + b"<!-- edited -->\n")
    after = hashlib.sha256(graphml.read_bytes()).hexdigest()
    assert [i.id for i in read_run(run).incidents] == ["F1"]  # read from the copy
    (run / "network.graphml").unlink()  # a run folder written before copies
    with pytest.raises(DrillsimError) as info:
        read_run(run)
    assert str(info.value) == (
        f"{run}: the road network {graphml.resolve()} changed since the run (SHA-256 "
        f"{before[:12]}... then, {after[:12]}... now); the report would put the run on other "
        "roads: restore the file the run used, or run the drill again")
