"""Hostile and extreme input (issue 13): each class found by fuzzing, as a small file.

Every drill file either runs or gets one clear line per problem (exit 2); nothing a
user wrote acts on the terminal, a spreadsheet or a figure.
"""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from drillsim.cli import main, os_error_line
from drillsim.records.spreadsheet import cell_text, spreadsheet_cell
from drillsim.terminal import SafeConsole, visible

HEAD = 'name: t\nstart: 2026-07-20T13:30:00+08:00\nduration: "06:00"\n'
STORM = HEAD + 'flood:\n  rain:\n    return_period: 50\n    duration: "2 h"\n    start: "14:00"\n'


def write(tmp_path: Path, text: str, name: str = "d.yaml") -> Path:
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    return f


def invoke(*args: object):
    return CliRunner().invoke(main, [str(a) for a in args])


def errors(tmp_path: Path, text: str) -> list[str]:
    """The error lines of `drillsim validate` (exit 2 asserted), file name as FILE."""
    f = write(tmp_path, text)
    r = invoke("validate", f)
    assert r.exit_code == 2, r.output
    return [ln.replace(str(f), "FILE") for ln in r.output.splitlines() if ln.startswith("error")]


# ------------------------------------------------- files that validated, then crashed the run

VALIDATED_THEN_CRASHED = {
    "rain duration 0": (STORM.replace('"2 h"', '"0 min"'), "FILE:7: flood.rain.duration: "
                        "the design storm must last longer than 0 s"),
    "huge rain duration": (STORM.replace('"2 h"', '"' + "9" * 40 + ' h"'),
                           "FILE:7: flood.rain.duration: at most 7 days (the longest drill)"),
    "huge storm coefficient": (STORM + "    formula: {A: 1e300}\n",
                               "FILE:9: flood.rain.formula.A: must be at most 100000"),
    "tiny return period": (STORM.replace("return_period: 50", "return_period: 0.0000001"),
                           "FILE:5: flood.rain: the storm formula gives no real rain"),
    "step not dividing the duration": (
        STORM + "    step: 7 min\n", "FILE:5: flood.rain: the duration (120 min) is not a whole "
        "number of 7-min steps; give a duration of 119 or 126 min"),
    "92 min with the default step": (
        STORM.replace('"2 h"', '"92 min"'), "FILE:5: flood.rain: the duration (92 min) is not "
        "a whole number of 5-min steps; give a duration of 90 or 95 min"),
    "warning delay huge": (
        HEAD + 'warning:\n  channels:\n    - {name: sms, reach: 0.9, delay: "' + "9" * 400
        + ' h"}\n', "FILE:6: warning.channels[0].delay: at most 7 days (the longest drill)"),
    "warning wakes above 1": (
        HEAD + 'warning:\n  channels:\n    - {name: sms, reach: 0.9, delay: 10 min, wakes: 1.5}\n',
        "FILE:6: warning.channels[0].wakes: must be at most 1, got 1.5"),
    "warning on_waking without wakes": (
        HEAD + 'warning:\n  channels:\n    - {name: sms, reach: 0.9, delay: 10 min, '
        'on_waking: true}\n', "FILE:6: warning.channels[0]: on_waking needs wakes (the share "
        "of sleeping people the channel wakes)"),
    "uniform with huge bounds": (
        HEAD + 'dispatch:\n  processing: {dist: uniform, low: "0 s", high: "' + "9" * 300
        + ' h"}\n', "FILE:5: dispatch.processing.high: at most 7 days (the longest drill)"),
    "empty mix": (HEAD + "background:\n  calls_per_day: 50\n  mix: {}\n",
                  "FILE:6: background.mix: at least one incident type needs a share above 0"),
    "chemical site naming no place": (
        HEAD + "chemical:\n  chemical: ammonia\n  site: nowhere_at_all\n  at: '+00:10'\n"
        "  release: {rate_kg_min: 40, quantity_kg: 800}\n"
        "  weather:\n    - {at: '+00:00', wind_speed_m_s: 2.5, wind_from_deg: 315}\n",
        "FILE:6: chemical.site: unknown place 'nowhere_at_all'"),
    "infinite number": (HEAD + "background:\n  calls_per_day: 5\n  hourly_profile: ["
                        + ", ".join([".inf"] * 24) + "]\n",
                        "FILE:6: background.hourly_profile[0]"),
    "step of a millisecond": (HEAD + "flood:\n  rain: {series: [{at: '+00:00', mm_h: 50}]}\n"
                              "  step: 0.001 s\n", "FILE:6: flood.step: a time step must be "
                              "at least 10 s"),
}


@pytest.mark.parametrize("case", VALIDATED_THEN_CRASHED)
def test_files_that_crashed_the_run_now_fail_validation_in_one_line(tmp_path, case):
    text, expected = VALIDATED_THEN_CRASHED[case]
    lines = errors(tmp_path, text)
    assert any(ln.startswith(f"error: {expected}") for ln in lines), lines
    assert not any("internal error" in ln for ln in lines)


def test_a_communications_delay_of_100_hours_runs_and_leaves_the_call_unanswered(tmp_path):
    f = write(tmp_path, HEAD + "incidents:\n  - {id: F1, kind: fire, occupancy: dwelling, "
              "location: xigu_park, at: '+00:10'}\ninjects:\n  - {kind: comms_delay, "
              "at: '+00:05', delay: '100 h'}\n")
    out = tmp_path / "run"
    r = invoke("run", f, "--out", out)
    assert r.exit_code == 0, r.output
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["metrics"]["calls_unmet"] == 1.0  # no order got through within the drill
    assert "calls no unit reached before the drill ended" in r.output


# ------------------------------------------------- files that crashed `validate` itself


def test_a_start_in_year_9999_is_refused(tmp_path):
    text = HEAD.replace("2026-07-20T13:30", "9999-12-31T23:00")
    assert errors(tmp_path, text) == [
        "error: FILE:2: start: a drill starts between 1990 and 2100, got 9999-12-31"]


@pytest.mark.parametrize(("tag", "shown"), [
    ("!!timestamp 2026-01-01", "!!timestamp"),
    ('!!python/object/apply:os.system ["echo hi"]', "!!python/object/apply:os.system"),
    ("!!binary aGk=", "!!binary"),
    ("!local x", "!local"),
])
def test_yaml_tags_other_than_plain_values_are_refused(tmp_path, tag, shown):
    text = HEAD.replace("name: t", f"name: {tag}")
    assert errors(tmp_path, text) == [
        f"error: FILE:1: the YAML tag '{shown}' is not allowed; drill and experiment files "
        "hold plain text, numbers, true/false, lists and maps"]


def test_plain_tags_still_work(tmp_path):
    f = write(tmp_path, HEAD.replace("name: t", "name: !!str 2026"))
    assert invoke("validate", f).exit_code == 0


@pytest.mark.parametrize("opening", ["[", "{a: "])
def test_deep_nesting_is_refused_before_python_recursion(tmp_path, opening):
    closing = "]" if opening == "[" else "}"
    text = HEAD + "description: " + opening * 500 + "x" + closing * 500 + "\n"
    assert errors(tmp_path, text) == [
        "error: FILE:4: maps and lists nested more than 40 deep; a drill file needs fewer "
        "than 10 levels"]


# ------------------------------------------------- files that exhausted the machine

BILLION_LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{b}: &{b} [{', '.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefg", "bcdefgh", strict=True))


def test_an_alias_bomb_is_refused_before_it_is_expanded(tmp_path):
    assert len(BILLION_LAUGHS.encode()) < 600
    [line] = errors(tmp_path, BILLION_LAUGHS + HEAD)
    assert line.startswith("error: FILE:")
    assert "with its aliases ('*name') expanded the file holds more than 200,000 values" in line


def test_aliases_of_ordinary_size_still_work(tmp_path):
    text = HEAD + ("incidents:\n  - &fire {id: F1, kind: fire, occupancy: dwelling, "
                   "location: xigu_park, at: '+00:10'}\n  - {<<: *fire, id: F2}\n")
    assert invoke("validate", write(tmp_path, text)).exit_code == 0


def test_a_huge_file_is_refused_before_it_is_read(tmp_path):
    f = tmp_path / "big.yaml"
    with open(f, "wb") as fh:
        fh.truncate(9_000_000)
    r = invoke("validate", f)
    assert r.exit_code == 2
    assert "9,000,000 bytes long; a drill or experiment file is at most 2,000,000" in r.output


@pytest.mark.parametrize(("text", "expected"), [
    (STORM.replace('start: "14:00"\n', 'start: "14:00"\n  points:\n    - {id: P1, location: '
                   "xigu_park, catchment_ha: 50, runoff_coeff: 0.9, drain_m3_s: 0.1, "
                   "area_m2: 5000, residents: 1000000000}\n"),
     "FILE:10: flood.points[0].residents: must be at most 500000, got 1000000000"),
    (HEAD + "forces:\n  teams:\n    - {id: t1, members: 1e30, units: []}\n",
     "FILE:6: forces.teams[0].members"),
    (STORM.replace('start: "14:00"\n', 'start: "14:00"\n  points:\n    - {id: P1, location: '
                   "xigu_park, catchment_ha: 50, runoff_coeff: 0.9, drain_m3_s: 0.1, "
                   "area_m2: 5000, residents: 100000, trapped_share: 1, people_per_call: 1}\n"),
     "FILE:9: flood.points: the drill would bring about 100,000 calls"),
    (HEAD + "background:\n  calls_per_day: 2000\ninjects:\n  - {kind: call_surge, at: '+00:10',"
     " factor: 100}\n", "FILE:5: background.calls_per_day: the drill would bring about"),
    (HEAD + "chemical:\n  chemical: chlorine\n  site: tianjin_liquor_group\n  at: '+00:10'\n"
     "  group_size: 1\n  release: {rate_kg_min: 100000, quantity_kg: 10000000}\n"
     "  weather:\n    - {at: '+00:00', wind_speed_m_s: 1, wind_from_deg: 315}\n",
     "FILE:8: chemical.group_size: must be at least 50, got 1"),
])
def test_populations_team_sizes_and_workloads_are_bounded(tmp_path, text, expected):
    lines = errors(tmp_path, text)
    assert any(ln.startswith(f"error: {expected}") for ln in lines), lines


# ------------------------------------------------- the terminal


@pytest.mark.parametrize("name", ["[/x] closing tag", "[bold red]red[/] [link=http://e.com]click"
                                  "[/link]", ":100: :smile:"])
def test_markup_and_emoji_codes_in_a_name_are_shown_as_written(tmp_path, name):
    f = write(tmp_path, HEAD.replace("name: t", f"name: '{name}'"))
    r = invoke("validate", f)
    assert r.exit_code == 0 and f"{f}: {name} —" in r.output, r.output
    out = tmp_path / "run"
    r = invoke("run", f, "--out", out)
    assert r.exit_code == 0, r.output
    assert name in r.output
    assert (out / "events.csv").is_file() and (out / "summary.json").is_file()


def test_control_characters_in_a_name_never_reach_the_terminal(tmp_path):
    f = write(tmp_path, HEAD.replace("name: t", 'name: "\\e]0;owned\\a\\e[2J\\u202eevil"'))
    r = invoke("run", f)
    assert r.exit_code == 0, r.output
    assert "\x1b" not in r.output and "\x07" not in r.output and "\u202e" not in r.output
    assert "\\x1b]0;owned\\x07\\x1b[2J\\u202eevil" in r.output


def test_safe_console_prints_text_literally():
    console = SafeConsole(width=200, force_terminal=False)
    with console.capture() as cap:
        console.print("[bold]x[/] :100: \x1b[2J")
    assert cap.get() == "[bold]x[/] :100: \\x1b[2J\n"
    assert visible("a\tb\nc\x00\x9b") == "a\tb\nc\\x00\\x9b"


def test_an_error_on_line_100_keeps_its_line_number(tmp_path):
    text = HEAD + "\n" * 96 + "seed: -1\n"
    assert errors(tmp_path, text) == ["error: FILE:100: seed: must be at least 0, got -1"]


def test_schema_to_a_full_disk_is_one_clean_line(tmp_path):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    r = invoke("schema", "--out", "/dev/full")
    assert r.exit_code == 2
    assert r.output.strip() == "error: /dev/full: No space left on device"


def test_os_errors_without_a_file_never_read_none():
    assert os_error_line(OSError(errno.ENOSPC, "No space left on device")) == \
        "No space left on device"
    assert os_error_line(ConnectionRefusedError(111, "Connection refused")) == \
        "Connection refused"
    assert os_error_line(OSError(errno.EACCES, "Permission denied", "/x")) == \
        "/x: Permission denied"


# ------------------------------------------------- spreadsheets and figures


@pytest.mark.parametrize("text", ['=HYPERLINK("http://example.com","x")', "+1+1", "-2+3",
                                  "@SUM(A1)", "\t=1", "\r=1"])
def test_formula_cells_are_neutralised_and_read_back(text):
    cell = spreadsheet_cell(text)
    assert cell == "'" + text
    assert cell_text(cell) == text


@pytest.mark.parametrize("value", ["-1", "-2.5e3", "+4", "plain", "", 3, -1.5, None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert spreadsheet_cell(value) == value


def test_events_csv_holds_no_live_formula(tmp_path):
    f = write(tmp_path, HEAD + "warning:\n  channels:\n    - {name: '=HYPERLINK(\"http://e.com\""
              ",\"x\")', reach: 0.9, delay: 5 min}\n    - {name: '@SUM(1+1)', reach: 0.5, "
              "delay: 10 min}\n")
    out = tmp_path / "run"
    assert invoke("run", f, "--out", out).exit_code == 0
    import csv

    for name in ("events.csv", "incidents.csv"):
        with open(out / name, newline="", encoding="utf-8") as fh:
            cells = [c for row in csv.reader(fh) for c in row]
        live = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")
                or (c[:1] == "-" and not c.lstrip("-").replace(".", "").isdigit())]
        assert live == [], name
    from drillsim.records.run_folder import read_events

    issued = [r for r in read_events(out / "events.csv") if r.event == "warning_issued"]
    assert issued[0].data["channels"] == ['=HYPERLINK("http://e.com","x")', "@SUM(1+1)"]


def test_sweep_tables_neutralise_names_and_labels():
    import pandas as pd

    from drillsim.sweep.runner import _spreadsheet_safe

    table = pd.DataFrame({"label": ["=cmd|' /C calc'!A0", "ok"], "=x": [1.0, -2.0]})
    safe = _spreadsheet_safe(table)
    assert list(safe.columns) == ["label", "'=x"]
    assert list(safe["label"]) == ["'=cmd|' /C calc'!A0", "ok"]
    assert list(safe["'=x"]) == [1.0, -2.0]


def test_figure_labels_are_never_mathtext():
    from drillsim.report.figures import png, pyplot

    plt = pyplot()
    fig, ax = plt.subplots()
    label = ax.set_title("$x^$ station")  # broken mathtext: would raise when parsed
    png(fig)
    assert label.get_text() == "$x^$ station"
    assert plt.rcParams["text.parse_math"] is False


# ------------------------------------------------- sweeps

EXPERIMENT = """\
base: {base}
replications: {reps}
metrics: [first_arrival_p90{extra_metric}]
parameters:
  - {{path: forces.stations.dingzigu_station.personnel, name: {name}, values: [44, 51]}}
"""


@pytest.mark.parametrize(("name", "extra", "reps", "expected"), [
    ("seed", "", 2, "parameters[0].name: a parameter named 'seed' would overwrite"),
    ("mean", "", 2, "parameters[0].name: a parameter named 'mean' would overwrite"),
    ("first_arrival_p90", "", 2, "parameters[0].name: a parameter named 'first_arrival_p90'"),
    ("met_O1", "", 2, "parameters[0].name: a parameter named 'met_O1'"),
    ("dz", ", first_arrival_p90", 2, "metrics[1]: metric 'first_arrival_p90' is listed twice"),
    ("dz", "", 1_000_000_000, "replications: replications must be a whole number from 1 to "
     "10,000"),
])
def test_sweep_specs_that_lost_results_are_refused(tmp_path, name, extra, reps, expected):
    base = Path(__file__).resolve().parents[2] / "scenarios" / "night-compound-fire.yaml"
    f = write(tmp_path, EXPERIMENT.format(base=base, reps=reps, extra_metric=extra, name=name),
              "exp.yaml")
    r = invoke("sweep", f, "--out", tmp_path / "o")
    assert r.exit_code == 2
    assert expected in r.output, r.output
    assert not (tmp_path / "o").exists()


def test_sweep_workers_are_bounded(tmp_path):
    from drillsim.sweep.runner import max_workers

    base = Path(__file__).resolve().parents[2] / "scenarios" / "night-compound-fire.yaml"
    f = write(tmp_path, EXPERIMENT.format(base=base, reps=1, extra_metric="", name="dz"),
              "exp.yaml")
    r = invoke("sweep", f, "--workers", 1000, "--out", tmp_path / "o")
    assert r.exit_code == 2
    assert f"--workers must be from 1 to {max_workers()}" in r.output
    assert not (tmp_path / "o" / "sweep.sqlite").exists()
