"""The terminal summary of ``drillsim run``: in the user's language, answering the drill's
questions, with only the tables the drill's contents call for; and the cached font subset."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from drillsim.api import open_drill, run_drill
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.chemical import zone_reach
from drillsim.metrics.summary import summarize
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.summary_text import summary_tables

ROOT = Path(__file__).resolve().parents[2]
READY = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
ENGLISH = re.compile(r"\b[A-Za-z]{2,}(?:[ ,;:]+[A-Za-z]{2,}){2,}\b")
"""Three or more English words in a row."""


@cache
def _run(name: str):
    drill = open_drill(ROOT / "scenarios" / f"{name}.yaml")
    result = run_drill(drill.scenario, None, world=drill.world)
    return result, summarize(result), drill.world


def _tables(name: str, lang: str):
    result, summary, world = _run(name)
    return summary_tables(ReportContext(result, summary, world, lang))


def _cells(tables) -> list[str]:
    return [c for t in tables for c in (t.title, *t.columns, *(x for r in t.rows for x in r),
                                        *t.notes)]


def _table(tables, title_start: str):
    return next(t for t in tables if t.title.startswith(title_start))


@pytest.mark.parametrize("name", READY)
def test_chinese_summary_has_no_english_sentence_and_no_metric_id(name):
    tables = _tables(name, "zh")
    limits = {r[0] for t in tables if t.title == "模型局限" for r in t.rows}
    for cell in _cells(tables):
        if cell in limits:  # the engine's model-limit texts: worded by the report's part
            continue
        assert not ENGLISH.search(cell), cell
        assert not any(re.search(rf"\b{m}\b", cell) for m in METRICS), cell


def test_chemical_summary_states_the_zone_lengths_of_the_metric():
    result, summary, world = _run("chlorine-day-wind-shift")
    zones = zone_reach(result, world)
    assert len(zones) == 2  # the wind shift gives a second weather state
    for lang in ("en", "zh"):
        tables = _tables("chlorine-day-wind-shift", lang)
        z = tables[[t.title for t in tables].index(
            "Threat zones (steady plume of each weather state)" if lang == "en"
            else "威胁区域（各气象条件下的稳定烟羽）")]
        stated = [(r[1], float(r[2].removesuffix(" m").replace(",", "")),
                   float(r[4].replace(",", ""))) for r in z.rows
                  if r[1].startswith("AEGL-")]  # then the ERG square's row
        expected = [(f"AEGL-{lvl}", zs[lvl].length_m, zs[lvl].residents)
                    for _, zs in zones for lvl in (3, 2, 1)]
        assert [s[0] for s in stated] == [e[0] for e in expected]
        for (_, length, people), (_, m_length, m_people) in zip(stated, expected, strict=True):
            assert length == pytest.approx(m_length, abs=0.5)
            assert people == pytest.approx(m_people, abs=0.5)
        assert any("芥园" in r[5] or "Jieyuan" in r[5] for r in z.rows)
        titles = " ".join(t.title for t in tables)
        # the release's evacuees need relief: its rows and the shelters, as in a rainstorm
        assert ("Shelters" if lang == "en" else "避难场所") in titles


def test_the_bottleneck_line_names_the_binding_item_and_its_cap():
    result, summary, world = _run("rainstorm-50y-night")
    s = result.scenario
    stock: dict[str, float] = {}
    for d in s.forces.depots:
        for k, v in d.stock.items():
            stock[k] = stock.get(k, 0.0) + v
    for rep in s.relief.replenishment:
        for k, v in rep.stock.items():
            stock[k] = stock.get(k, 0.0) + v
    for inj in s.injects:
        for k, v in (getattr(inj, "stock", None) or {}).items():
            stock[k] = stock.get(k, 0.0) + v
    caps = {k: stock.get(k, 0.0) / r for k, r in s.relief.ration.items()}
    binding = min(caps, key=caps.get)
    relief = _table(_tables("rainstorm-50y-night", "en"), "Relief and warning")
    # the stock is the bottleneck: its row names the item (no second 'item that binds' row)
    assert "item that binds" not in [r[0] for r in relief.rows]
    line = next(r[1] for r in relief.rows if r[0] == "relief bottleneck (from the records)")
    assert line.startswith(f"{tx.term('item', binding, 'en')}:")
    assert f"covers {caps[binding]:,.0f} of the" in line


def test_the_rescue_table_counts_equal_the_incident_table():
    result, summary, world = _run("rainstorm-50y-night")
    calls = [r for r in summary.rows if r.kind == "flood_rescue"]
    owners = {u.id: u.station for u in result.units}
    blue = sum(owners.get(r.first_unit) == "blue_star" for r in calls)
    t = _table(_tables("rainstorm-50y-night", "en"), "Who reached the water rescue calls")
    counts = {r[0]: int(r[1].split(" of ")[0]) for r in t.rows}
    assert sum(counts.values()) == len(calls)
    assert all(r[1].endswith(f" of {len(calls)}") for r in t.rows)
    blue_name = next(tm.name_en for tm in result.scenario.forces.teams if tm.id == "blue_star")
    assert counts[blue_name] == blue


def test_fire_only_summary_has_no_relief_warning_or_chemical_rows():
    for lang in ("en", "zh"):
        text = " ".join(_cells(_tables("highrise-evening", lang)))
        for word in ("Relief", "warning", "Shelters", "Threat zones", "AEGL", "救助", "预警",
                     "避难场所", "威胁区域"):
            assert word not in text


def test_the_font_subset_is_cached_on_disk(tmp_path, monkeypatch):
    from drillsim.report import fontembed

    if fontembed._font_path() is None:
        pytest.skip("the CJK font package is not installed")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls = []
    real = fontembed._faces
    monkeypatch.setattr(fontembed, "_faces",
                        lambda *a: calls.append(a) or real(*a))
    fontembed._fonts.cache_clear()
    first = fontembed.font_face_css("演练报告")
    fontembed._fonts.cache_clear()  # a new process: only the disk cache is left
    second = fontembed.font_face_css("演练报告")
    assert len(calls) == 1 and first == second and "@font-face" in first
    assert list((tmp_path / "drillsim" / "fonts").glob("*.otf"))


def test_an_unwritable_font_cache_does_not_fail_the_report(tmp_path, monkeypatch):
    from drillsim.report import fontembed

    if fontembed._font_path() is None:
        pytest.skip("the CJK font package is not installed")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    fontembed._fonts.cache_clear()
    assert "@font-face" in fontembed.font_face_css("报告")
    fontembed._fonts.cache_clear()


def test_run_lang_zh_prints_the_summary_in_chinese():
    from click.testing import CliRunner

    from drillsim.cli import main

    r = CliRunner().invoke(main, ["run", str(ROOT / "scenarios" / "highrise-evening.yaml"),
                                  "--lang", "zh"])
    assert r.exit_code == 0, r.output
    assert "警情（自接警起计时）" in r.output and "目标" in r.output
    assert "Incidents (times from the call)" not in r.output


def test_flood_rescue_calls_are_summed_up_per_point_by_name():
    """rainstorm night: the incident table lists no generated ``FR-…`` id; the per-point
    table names each point as the report does and its calls add up to every rescue call
    (issue 10, third review item 4)."""
    result, summary, world = _run("rainstorm-50y-night")
    calls = [r for r in summary.rows if r.kind == "flood_rescue"]
    for lang, title, point in (("en", "Water rescue calls by point", "West of West Station"),
                               ("zh", "各积水点内涝求救", "西站西积水点")):
        tables = _tables("rainstorm-50y-night", lang)
        assert not any(c.startswith("FR-") for c in _cells(tables))
        t = _table(tables, title)
        assert sum(int(r[1]) for r in t.rows) == len(calls)
        by_point = {r[0]: int(r[1]) for r in t.rows}
        ctx = ReportContext(result, summary, world, lang)
        assert by_point[ctx.point_name("xizhan_west")] == sum(
            r.place == "xizhan_west" for r in calls)
        assert any(name.startswith(point) for name in by_point)
    # --all-incidents lists each call by the report's name ("西站西积水点求救3")
    ctx = ReportContext(result, summary, world, "zh")
    every = summary_tables(ctx, all_incidents=True)[0]
    assert {r[0] for r in every.rows} >= {ctx.incident_short(r.incident) for r in calls}
    assert any(re.fullmatch(r"西站西积水点求救\d+", r[0]) for r in every.rows)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_summary_cuts_nothing_at_100_columns(lang, monkeypatch):
    """Every header and cell of the printed summary appears whole at 100 columns (Chinese
    has no spaces to wrap at; Rich used to cut "首车到场时 …", "排队，区外增…")."""
    from click.testing import CliRunner
    from rich.cells import cell_len

    from drillsim import cli

    monkeypatch.setattr(cli.console, "width", 100)
    r = CliRunner().invoke(cli.main, ["run", str(ROOT / "scenarios" / "rainstorm-50y-night.yaml"),
                                      "--lang", lang])
    assert r.exit_code == 0, r.output
    assert "…" not in r.output
    assert max(cell_len(line) for line in r.output.splitlines()) <= 100  # terminal cells
