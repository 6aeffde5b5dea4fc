"""Experiment files: parameter paths, designs, and clear one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from drillsim.cli import main
from drillsim.sweep import ExperimentError, load_experiment, paths

ROOT = Path(__file__).resolve().parents[2]
NIGHT = ROOT / "scenarios" / "night-compound-fire.yaml"


def write(tmp_path: Path, body: str) -> Path:
    f = tmp_path / "exp.yaml"
    f.write_text(f"base: {NIGHT}\n" + body, encoding="utf-8")
    return f


def error_lines(f: Path) -> list[str]:
    with pytest.raises(ExperimentError) as info:
        load_experiment(f)
    return info.value.lines()


# ---------------------------------------------------------------- paths


def test_paths_by_id_and_by_index_and_append():
    data = {"forces": {"stations": [{"id": "a", "personnel": 1}, {"id": "b.c", "personnel": 2}]}}
    assert paths.resolve(data, "forces.stations.a.personnel") == ["forces", "stations", 0,
                                                                  "personnel"]
    assert paths.resolve(data, "forces.stations.1.personnel") == ["forces", "stations", 1,
                                                                  "personnel"]
    assert paths.resolve(data, "forces.stations.b.c.personnel")[2] == 1   # ids with dots
    keys = paths.resolve(data, "forces.stations.+")
    paths.set_value(data, keys, {"id": "new"})
    assert data["forces"]["stations"][-1] == {"id": "new"}


def test_unknown_path_lists_what_exists():
    data = {"forces": {"stations": [{"id": "a", "personnel": 1}]}}
    with pytest.raises(paths.PathError, match="ids: a"):
        paths.resolve(data, "forces.stations.zz.personnel")
    with pytest.raises(paths.PathError, match="did you mean 'personnel'"):
        paths.resolve(data, "forces.stations.a.personel")


def test_missing_key_allowed_by_the_format_can_be_set():
    assert paths.resolve({}, "dispatch.processing") == ["dispatch", "processing"]


# ---------------------------------------------------------------- designs


def test_grid_of_two_parameters_and_variants(tmp_path):
    e = load_experiment(write(tmp_path, """\
replications: 3
metrics: [first_arrival_p90]
parameters:
  - {path: forces.stations.xizhan_station.personnel, name: xz, values: [52, 59]}
  - {path: dispatch.processing, name: proc, values: ["30 s", "60 s", "90 s"]}
variants:
  - {name: base}
  - name: slow
    set: {forces.mutual_aid.arrival_delay: 40 min}
"""))
    assert len(e.points) == 2 * 2 * 3
    assert e.points[0].label == "base, xz=52, proc=30 s"
    assert e.points[7].scenario.forces.mutual_aid.arrival_delay == 2400
    xz = next(s for s in e.points[3].scenario.forces.stations if s.id == "xizhan_station")
    assert xz.personnel == 59
    assert e.baseline[7] == 1  # same parameter values, baseline variant
    assert e.metrics == ("first_arrival_p90",) and e.objectives  # the drill's objectives


def test_range_and_lhs(tmp_path):
    e = load_experiment(write(tmp_path, """\
replications: 2
parameters:
  - {path: forces.stations.xizhan_station.personnel, range: {from: 40, to: 60, step: 10}}
"""))
    assert [p.values["forces.stations.xizhan_station.personnel"] for p in e.points] == [40, 50, 60]
    e = load_experiment(write(tmp_path, """\
replications: 2
design: lhs
samples: 5
parameters:
  - {path: forces.stations.xizhan_station.personnel, between: [40, 60], integer: true}
  - {path: forces.mutual_aid.request_after, between: [60, 600], unit: s}
"""))
    xs = sorted(p.values["forces.stations.xizhan_station.personnel"] for p in e.points)
    assert len(xs) == 5 and 40 <= xs[0] and xs[-1] <= 60
    # one sample per fifth of the range (Latin hypercube)
    ys = sorted(p.values["forces.mutual_aid.request_after"] for p in e.points)
    assert all(60 + k * 108 <= y <= 60 + (k + 1) * 108 for k, y in enumerate(ys))
    assert load_experiment(tmp_path / "exp.yaml").spec_hash() == e.spec_hash()  # reproducible


# ---------------------------------------------------------------- bad files


def test_unknown_parameter_path_names_line_and_existing_items(tmp_path):
    f = write(tmp_path, """\
replications: 3
parameters:
  - path: forces.stations.westgate_station.personnel
    values: [1, 2]
""")
    [line] = error_lines(f)
    assert line.startswith(f"{f}:4: parameters[0].path: unknown path")
    assert "xizhan_station" in line and "nanyunhe_station" in line


def test_empty_range_and_zero_replications(tmp_path):
    f = write(tmp_path, """\
replications: 0
parameters:
  - path: forces.stations.xizhan_station.personnel
    range: {from: 60, to: 40, step: 10}
""")
    lines = error_lines(f)
    assert any(ln.startswith(f"{f}:2: replications:") and "from 1 to 10,000" in ln for ln in lines)
    assert any(ln.startswith(f"{f}:5: parameters[0].range:") and "empty" in ln for ln in lines)


def test_value_that_breaks_the_drill_is_reported_at_the_parameter(tmp_path):
    f = write(tmp_path, """\
replications: 3
parameters:
  - path: forces.stations.xizhan_station.personnel
    values: [52, -5]
""")
    [line] = error_lines(f)
    assert line.startswith(f"{f}:4: parameters[0].path:")
    assert "personnel=-5" in line and "must be at least 0" in line


@pytest.mark.parametrize("body, expect", [
    ("replications: 2\nmetrics: [first_arival_p90]\nparameters:\n"
     "  - {path: seed, values: [1]}\n", "did you mean 'first_arrival_p90'"),
    ("replications: 2\n", "nothing to vary"),
    ("replications: 2\nparameters:\n  - {path: seed}\n", "give exactly one of values"),
    ("replications: 2\nparameters:\n  - {path: seed, values: []}\n", "non-empty list"),
    ("replications: 2\nfoo: 1\nparameters:\n  - {path: seed, values: [1]}\n", "unknown key 'foo'"),
    ("replications: 2\ndesign: lhs\nparameters:\n  - {path: seed, between: [1, 2]}\n",
     "needs samples"),
])
def test_other_bad_files(tmp_path, body, expect):
    lines = error_lines(write(tmp_path, body))
    assert any(expect in ln for ln in lines), lines


def test_cli_bad_experiment_one_line_no_traceback(tmp_path):
    f = write(tmp_path, "replications: 0\nparameters:\n  - {path: nope.x, values: [1]}\n")
    r = CliRunner().invoke(main, ["sweep", str(f), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert "Traceback" not in r.output and "replications" in r.output
    r = CliRunner().invoke(main, ["sweep", "--base", str(NIGHT), "--vary", "forces.x=1,2"])
    assert r.exit_code == 2 and "command line" in r.output and "unknown path" in r.output
    r = CliRunner().invoke(main, ["sweep", str(tmp_path / "missing.yaml")])
    assert r.exit_code == 2 and "no such file" in r.output


def test_ready_experiments_validate():
    for f in sorted((ROOT / "experiments").glob("*.yaml")):
        e = load_experiment(f)
        assert e.points and e.replications >= 20, f


def test_numbers_are_never_in_scientific_notation():
    """Counts and people in sweep tables, labels and plots read 4,000, not 4e+03."""
    from drillsim.sweep.cli import _fmt
    from drillsim.sweep.spec import number

    assert number(4000.0) == "4,000" and number(4321.6) == "4,322"
    assert number(12.345) == "12.3" and number(0.01234) == "0.0123" and number(3.0) == "3"
    assert number(1_234_567.0, "+") == "+1,234,567"
    for v in (4000.0, 12_345.0, 1e6, 250.0):
        text = _fmt(v, "count")
        assert "e+" not in text and float(text.replace(",", "")) == pytest.approx(v, rel=5e-3)
    assert _fmt(-4000.0, "people", signed=True) == "-4,000"
