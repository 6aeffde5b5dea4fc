"""What the third review of issue 10 found in the report's words, checked on what the pages
say, in both languages: counts with thousands separators from one helper, Chinese
punctuation of the report's own lists and captions, names in the page's language, English
plurals and labels that do not repeat themselves."""

from __future__ import annotations

import re

import pytest

from drillsim.report import render_markdown
from drillsim.report import text as tx


def _md(reports, name: str, lang: str) -> str:
    return render_markdown(reports[name, lang][1])


def test_count_has_thousands_separators_in_both_languages():
    """One helper for every count (GB/T 15835-2011 allows the comma grouping in Chinese too,
    so both pages show the same figure)."""
    assert [tx.count(n) for n in (73044, 5700, 999, 0, 2.5)] == [
        "73,044", "5,700", "999", "0", "2.5"]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_flood_tables_and_sentences_group_thousands(reports, lang):
    """flood-and-fire: shelter capacities (73,044), displaced people ("All 5,700 displaced")
    and relieved shares ("3,206 (64%)" / "3,206（64%）") with separators."""
    ctx, rep = reports["flood-and-fire", lang]
    md = _md(reports, "flood-and-fire", lang)
    bare = re.findall(r"(?<![\d,.:+\-/A-Za-z])\d{4,}(?![\d:\-])", md)
    bare = [b for b in bare if not b.startswith(("20", "1710", "9009", "4679", "1517"))]
    assert bare == [], bare[:10]
    tables = [*rep.overview_tables, *(t for s in rep.sections for t in s.tables)]
    shelters = next(t for t in tables if ctx.say("flood.col_capacity") in t.columns)
    assert any(re.fullmatch(r"\d{1,3}(,\d{3})+", r[1]) for r in shelters.rows)  # 73,044
    displaced = tx.count(ctx.summary.metrics["people_displaced"])
    assert "," in displaced and displaced in md
    shares = [r[4] for r in shelters.rows if r[4] != "—"]
    assert shares and all(re.fullmatch(r"[\d,]+" + (r"（\d+%）" if lang == "zh" else
                                                     r" \(\d+%\)"), s) for s in shares)


def test_chinese_page_lists_ids_with_the_enumeration_comma(reports):
    """Station table and protective actions: ids listed with 、, actions with ；."""
    ctx, rep = reports["chlorine-night", "zh"]
    md = _md(reports, "chlorine-night", "zh")
    assert "XZ-E1、XZ-E2、" in md and "XZ-E1，XZ-E2" not in md
    row = next(r for t in rep.overview_tables for r in t.rows
               if r[0] == ctx.say("chem.protective_actions"))
    assert row[1].startswith("AEGL-3 疏散；AEGL-2 疏散；AEGL-1 就地避险"), row[1]
    assert "; " not in row[1]


@pytest.mark.parametrize("lang, end", [("en", "."), ("zh", "。")])
def test_figure_caption_titles_end_in_the_page_language(reports, lang, end):
    from drillsim.report.registry import Figure

    ctx, rep = reports["highrise-evening", lang]
    rep.figures = [Figure("map", ctx.say("figure.map_name"), "caption", b"")]
    md = render_markdown(rep)
    assert f"*{ctx.say('figure.map_name')}{end}* caption" in md


def test_chinese_page_names_incidents_in_chinese_and_rules_in_words(reports):
    """highrise: "F1 丁字沽高层住宅14层火灾", never the English description beside it; the
    MSEL caption says where the rules are in words, not as a file path."""
    ctx, _ = reports["highrise-evening", "zh"]
    md = _md(reports, "highrise-evening", "zh")
    f1 = ctx.incident_specs["F1"]
    assert ctx.incident_label("F1") == f"F1 {f1.name_zh}"
    assert f1.name_en not in md
    assert "docs/" not in md and "《报告说明》" in md
    en_ctx, _ = reports["highrise-evening", "en"]
    assert en_ctx.incident_label("F1") == f"F1 {f1.name_en}"


def test_english_plurals_and_labels(reports):
    """"1 container", "6 containers", never "(s)"; "Network" like the other overview labels;
    the end of the leak row does not repeat its label ("end of the leak | leak ended: …")."""
    for name, one in (("ammonia-liquor-group", True), ("chlorine-night", False)):
        ctx, rep = reports[name, "en"]
        md = _md(reports, name, "en")
        assert "(s)" not in md
        n = ctx.scenario.chemical.release.containers_stored
        assert (n == 1) == one
        # ammonia's release is a ruptured line: no containers (s5flood B4)
        assert ("container" not in md) if one else f"; {n} containers stored" in md
        assert "- **Network**:" in md
        row = next(r for t in rep.overview_tables for r in t.rows if r[0] == "end of the leak")
        assert not row[1].startswith("leak ended")
    md = _md(reports, "night-compound-fire", "en")
    assert "Each of the 1 cases" not in md and "background call(s)" not in md
