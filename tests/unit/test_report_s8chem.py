"""Eighth round, chemical drills (review 7d): what the report says, in both languages.

Each test reads what the page says and compares it with the records or the model,
counted here independently of the code that wrote it.
"""

from __future__ import annotations

import statistics

import pytest

from drillsim.metrics.catalog import METRICS
from drillsim.report import render_markdown
from drillsim.report.findings import named
from drillsim.report.summary_text import summary_tables

LANGS = ("en", "zh")
CHEMICAL = ("chlorine-night", "chlorine-day-wind-shift", "ammonia-liquor-group")


def _fire_section(rep):
    return next(s for s in rep.sections if s.key == "fire")


def _cells(table) -> list[str]:
    return [c for row in table.rows for c in row]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", CHEMICAL)
def test_walking_groups_are_at_most_the_size_with_recorded_sizes(reports, drill, lang):
    """A1: the model-limits table said "in groups of 200" while the groups recorded were
    mostly of 1 to 5 people (the model splits each road node's leavers into groups of at
    most ``group_size``). The page says "at most" and the count, median and largest of
    the groups the displaced records hold, counted here from the records."""
    ctx, rep = reports[drill, lang]
    spec = ctx.scenario.chemical
    sizes = [int(r.data["people"]) for r in ctx.result.records
             if r.event == "displaced" and r.place == spec.id]
    assert sizes and max(sizes) <= spec.group_size
    assert max(sizes) < spec.group_size or drill != "ammonia-liquor-group"
    text = render_markdown(rep)
    at_most = "at most 200" if lang == "en" else "每组至多200人"
    assert at_most in text
    median = f"{statistics.median(sizes):g}"
    if lang == "en":
        said = f"this run: {len(sizes):,} groups, median {median} people, largest {max(sizes):,})"
    else:
        said = f"{len(sizes):,}组，中位数{median}人，最大{max(sizes):,}人"
    assert said in text, said
    assert ("groups of 200" if lang == "en" else "每组200人") not in text


FIRE_ONLY_EN = ("within 240 s", "heat-release rate when the first unit arrives",
                "fire at 1st arrival", "first-engine travel to fires")
FIRE_ONLY_ZH = ("240秒", "首车到场时火灾热释放速率", "首车到场时火灾规模", "首辆水罐车赴火灾现场")


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", ("chlorine-day-wind-shift", "ammonia-liquor-group"))
def test_no_fire_rows_without_fire_calls(reports, drill, lang):
    """A2: chlorine-day (alarm calls) and ammonia (rescue calls) showed "share of
    first-engine travel within 240 s | not measured", the fire heat-release row, an
    always-empty "fire at 1st arrival" column and a caption comparing "first-engine
    travel to fires". None is on the page (as the terminal already left them out); the
    turnout measure, over these calls too, stays."""
    ctx, rep = reports[drill, lang]
    kinds = {r.kind for r in ctx.summary.rows if r.call == r.call}
    assert kinds and "fire" not in kinds
    sec = _fire_section(rep)
    words = FIRE_ONLY_EN if lang == "en" else FIRE_ONLY_ZH
    page = "\n".join([*sec.paragraphs, *(t.caption for t in sec.tables),
                      *(c for t in sec.tables for c in t.columns),
                      *(c for t in sec.tables for c in _cells(t))])
    for w in words:
        assert w not in page, w
    firsts = {row[0] for t in sec.tables for row in t.rows}
    terminal = {row[0] for t in summary_tables(ctx) for row in t.rows}
    for name, shown in (("nfpa_travel_share", False), ("fire_size_at_first_arrival_p90", False),
                        ("nfpa_turnout_share", True), ("five_minute_share", True)):
        label = named(ctx, METRICS[name])
        assert (label in firsts) is shown, label
        if name != "fire_size_at_first_arrival_p90":  # the terminal never shows it
            assert (label in terminal) is shown, label


@pytest.mark.parametrize("lang", LANGS)
def test_fire_drill_keeps_fire_rows(reports, lang):
    """A2, the other side: a drill with fires keeps the travel and fire-size rows, the
    column and (when other calls remove the NFPA column) the caption's travel clause."""
    ctx, rep = reports["highrise-evening", lang]
    sec = _fire_section(rep)
    words = FIRE_ONLY_EN if lang == "en" else FIRE_ONLY_ZH
    page = "\n".join([*(c for t in sec.tables for c in t.columns),
                      *(c for t in sec.tables for c in _cells(t))])
    for w in words[:3]:
        assert w in page, w
