"""Each report speaks its own language: the Chinese report shows no catalogue id and no
English sentence, the English report no Chinese, outside names and texts the drill file and
the map give (issue 10, item 8); figures' words included. And the Markdown report's tables
render (item 9).

The report's own words come from the wording catalogue; what is left in the other language
is data: names that the map or the drill file gives (``西站消防救援站 Xizhan Fire Rescue
Station``), the drill's description and inject texts written by the designer, call signs.
Those strings are taken out of the page before the checks, so the checks see only what the
report itself wrote.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.hazards.fire_growth import OCCUPANCIES
from drillsim.hazards.plume import CHEMICALS
from drillsim.metrics import relief as rm
from drillsim.metrics.catalog import METRICS
from drillsim.records.catalogue import EVENTS
from drillsim.report import build_report, make_context, render_html, render_markdown
from drillsim.report import text as tx
from drillsim.report.figures import MAP_LEGEND
from drillsim.report.wording import say
from drillsim.scenarios.loader import load_scenario
from drillsim.scenarios.schema import ApparatusType, IncidentKind, TeamUnitType, VehicleClass

# Renders every ready drill's report in both languages: under the slow marker, which
# .ci/run runs after the README's fast suite.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
DRILLS = sorted(p.stem for p in (ROOT / "scenarios").glob("*.yaml"))
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
WORD = r"[A-Za-z][A-Za-z'’-]*"
ENGLISH_RUN = re.compile(rf"{WORD}(?:[ ,]+{WORD}){{2,}}")

ALLOWED_CJK = ("建标", "中文版")
"""Chinese the English report may show besides names: the designation of the standard
建标152-2017 (it has no English designation) and the link to the Chinese version, which
names its language in that language."""

ALLOWED_RUNS: set[str] = set()
"""Runs of three or more English words the Chinese report may show besides data (none so far:
abbreviations such as AEGL, ERG, NFPA 1710, MW, km and call signs are one word)."""


def _ids() -> set[str]:
    """Every id of the catalogues a report could leak."""
    out = set(OCCUPANCIES) | set(EVENTS) | set(METRICS)
    for lit in (ApparatusType, IncidentKind, TeamUnitType, VehicleClass):
        out |= set(lit.__args__)
    for group in tx.TERMS.values():
        out |= {k for k in group if " " not in k}
    return out | {k for k in MAP_LEGEND if k.isascii()}  # road classes of the map


IDS = _ids()


class _Visible(HTMLParser):
    """The text a reader meets on a page: its visible text and the ``title`` (shown on hover)
    and ``alt`` (read aloud) attributes; no style, script or other attribute values."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        self.parts += [v for k, v in attrs if k in ("title", "alt") and v]

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(page: str) -> str:
    p = _Visible()
    p.feed(page)
    return "\n".join(p.parts)


def _strings(value, skip=("capability", "channels", "id")) -> list[str]:
    """Names and texts (strings with a space or a non-ASCII letter) of a drill file dump,
    except capability elements and warning channels (the report words those)."""
    if isinstance(value, dict):
        return [s for k, v in value.items() if k not in skip for s in _strings(v, skip)]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v, skip)]
    if isinstance(value, str) and (" " in value.strip() or not value.isascii()):
        return [value]
    return []


def data_strings(result, world) -> list[str]:
    """Names and texts the drill file and the map give, longest first."""
    s = result.scenario
    out = _strings(s.model_dump())
    for p in world.places:
        out += [p.name_zh, p.name_en, getattr(p, "label", "")]
    for c in CHEMICALS.values():
        out += [c.name_en, c.name_zh, c.name_en.lower()]
    from drillsim.network.graphml import load_map_layers

    for zh, en, _ in load_map_layers().rivers:
        out += [zh, en, f"{zh} {en}"]
    names = getattr(world.network, "node_names", None) or []
    out += [n for n in names if n] + [n.split(" (")[0] for n in names if n]
    return sorted({x for x in out if x and len(x) > 1}, key=len, reverse=True)


def own_words(text: str, data: list[str]) -> str:
    """``text`` without the data strings (each replaced by a line break)."""
    for d in data:
        text = text.replace(d, "\n")
    return text


@pytest.fixture(scope="module")
def world():
    return load_world("default")


@pytest.fixture(scope="module")
def pages(world):
    """(drill, lang) -> (report's own text of the Markdown and HTML, figure texts, Markdown,
    report, run)."""
    import matplotlib.figure
    from matplotlib.text import Text

    texts: list[str] = []

    def recording_savefig(fig, *args, **kwargs):
        # the figures' words are all set before saving; rasterising them is not needed here
        texts.extend(t.get_text() for t in fig.findobj(Text) if t.get_visible())

    mp = pytest.MonkeyPatch()
    mp.setattr(matplotlib.figure.Figure, "savefig", recording_savefig)
    out = {}
    try:
        for name in DRILLS:
            s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
            result = run_drill(s, world=world)
            data = data_strings(result, world)
            for lang in ("en", "zh"):
                texts.clear()
                rep = build_report(make_context(result, lang=lang, world=world))
                md = render_markdown(rep)
                body = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", md)
                body += "\n" + visible_text(render_html(rep, embed_font=False))
                out[(name, lang)] = (own_words(body, data), own_words("\n".join(texts), data),
                                     md, rep, result)
    finally:
        mp.undo()
    return out


def _leaked_ids(text: str, ids) -> list[str]:
    return sorted(i for i in ids if re.search(rf"(?<![A-Za-z0-9_]){re.escape(i)}"
                                              rf"(?![A-Za-z0-9_])", text))


@pytest.mark.parametrize("name", DRILLS)
def test_chinese_report_has_no_ids_and_no_english_sentences(pages, name):
    body, figures, *_ = pages[(name, "zh")]
    for where, text in (("page", body), ("figures", figures)):
        assert _leaked_ids(text, IDS) == [], (name, where)
        runs = [r for r in ENGLISH_RUN.findall(text) if r not in ALLOWED_RUNS]
        assert runs == [], (name, where)
    assert "(shape point)" not in body + figures


@pytest.mark.parametrize("name", DRILLS)
def test_english_report_has_no_chinese_and_no_ids(pages, name):
    body, figures, *_ = pages[(name, "en")]
    for where, text in (("page", body), ("figures", figures)):
        for allowed in ALLOWED_CJK:
            text = text.replace(allowed, "")
        assert CJK.findall(text) == [], (name, where, CJK.search(text) and
                                         text[max(CJK.search(text).start() - 40, 0):
                                              CJK.search(text).start() + 40])
        assert _leaked_ids(text, {i for i in IDS if "_" in i}) == [], (name, where)


def _table_blocks(md: str) -> list[list[str]]:
    """The Markdown tables: runs of lines that start with ``|``."""
    blocks, cur = [], []
    for line in md.splitlines():
        if line.startswith("|"):
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    return blocks + ([cur] if cur else [])


def _cells(line: str) -> list[str]:
    """The cells of a table line, split at ``|`` not escaped by a backslash."""
    assert line.startswith("|") and line.rstrip().endswith("|") and not line.endswith("\\|"), line
    return re.split(r"(?<!\\)\|", line.strip()[1:-1])


@pytest.mark.parametrize("name", DRILLS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_markdown_tables_render(pages, name, lang):
    md = pages[(name, lang)][2]
    blocks = _table_blocks(md)
    assert len(blocks) >= 5
    for rows in blocks:
        n = len(_cells(rows[0]))
        assert all(c.strip() == "---" for c in _cells(rows[1])), rows[:2]
        for row in rows:
            assert len(_cells(row)) == n, row
    assert "\\| --- \\|" not in md and "\\|\\|" not in md  # no table escaped onto one line


def test_md_table_escapes_a_pipe_in_a_cell():
    from drillsim.report.registry import Table
    from drillsim.report.render import md_table

    lines = md_table(Table(["a", "b"], [["x | y", "1. z"], ["only one"]], "cap")).splitlines()
    assert lines[:4] == ["| a | b |", "| --- | --- |", "| x \\| y | 1\\. z |", "| only one |  |"]
    assert lines[-1] == "*cap*"


# ----------------------------------------------------------------------------- item 3: formats


def test_gap_is_stated_in_the_metric_unit():
    """311.09 s against a target of 0 s is 5.2 minutes over, not "31109%"."""
    assert tx.gap(311.09, 0.0, "seconds", "en") == "+5.2 min over the target"
    assert tx.gap(311.09, 0.0, "seconds", "zh") == "超出目标5.2 分钟"
    assert tx.gap(0.69, 1.0, "share", "en") == "31 percentage points under the target"
    assert tx.gap(0.69, 1.0, "share", "zh") == "低于目标31个百分点"
    assert tx.gap(5200.0, 4000.0, "kW", "en") == "+1.2 MW over the target"
    assert tx.gap(4000.0, 0.0, "count", "en") == "+4,000 over the target"
    assert tx.gap(0.0, 0.0, "count", "zh") == "与目标持平"


@pytest.mark.parametrize("name", DRILLS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_objectives_state_the_gap_in_the_metric_unit(pages, name, lang):
    rep, result = pages[(name, lang)][3:]
    from drillsim.metrics.summary import summarize

    results = {r.objective.id: r for r in summarize(result).objectives}
    md = pages[(name, lang)][2]
    for row in rep.objectives:
        res = results[row.id]
        _, target = res.objective.bound()
        gap = tx.gap(res.value, target, METRICS[res.objective.metric].unit, lang)
        assert gap in row.evidence and gap in md, (row.id, row.evidence)
        assert not re.search(r"\d%\)|差距", row.evidence), row.evidence


@pytest.mark.parametrize("name", DRILLS)
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_hours_trucks_and_protective_actions_read_as_meant(pages, name, lang):
    md, rep, result = pages[(name, lang)][2:]
    s = result.scenario
    tables = list(rep.overview_tables)
    headers = [c for t in tables for c in t.columns]
    if s.relief is not None and any(say(lang, "flood.col_t95") in t.columns for t in tables):
        hours = s.relief.target / 3600
        assert hours.is_integer()
        within = say(lang, "flood.col_relieved_within",
                     target=say(lang, "unit.hours", hours=f"{hours:.0f}"))
        by_end = say(lang, "flood.col_relieved_by_end")
        if rm.target_after_end(result):  # the records stop before the target for everyone
            assert rm.relief_horizon(result) < s.relief.target
            assert by_end in headers and within not in headers
        else:
            assert within in headers and by_end not in headers and "600.0" not in within
            assert (f"relieved within {hours:.0f} h" if lang == "en"
                    else f"{hours:.0f} 小时内救助") in within
    for t in tables:  # trucks: "3 × 5 t" (3辆5吨), each size once
        if say(lang, "flood.col_trucks") in t.columns:
            k = t.columns.index(say(lang, "flood.col_trucks"))
            each = r"(\d+) × ([\d.]+) t" if lang == "en" else r"(\d+)辆([\d.]+)吨"
            for row, dep in zip(t.rows, s.forces.depots, strict=True):
                sizes = re.findall(each, row[k])
                assert len({size for _, size in sizes}) == len(sizes)
                assert sum(int(n) for n, _ in sizes) == len(dep.trucks)
    # protective actions: an AEGL level is a number, never a field name ("AEGL-d", "AEGL-m")
    assert not re.search(r"AEGL-[A-Za-z]", md)
    if s.chemical is not None:
        row = next(r for t in tables for r in t.rows
                   if r[0] == say(lang, "chem.protective_actions"))
        assert re.match(r"AEGL-3 \S+.*AEGL-2 \S+.*AEGL-1 \S+", row[1]), row[1]


# ----------------------------------------------------------------------------- punctuation

HAN = r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]"
CALL_SIGN = r"(?<![\w-])[A-Z]{1,3}(?:-[A-Z]{1,2})?\d+(?![\w-])"
"""An id a list can hold: a call sign, an incident, inject or objective id (``XZ-E1``,
``BG001``, ``I1``, ``O2``)."""
ASCII_COMMA = re.compile(rf"(?:{HAN}|{CALL_SIGN})\s*,\s*(?={HAN}|{CALL_SIGN})")
ASCII_PAREN = re.compile(rf"{HAN}\s?\(|\([^()\n]*{HAN}[^()\n]*\)|{CALL_SIGN} \([^()\n]*\d\s*{HAN}")
ASCII_COLON = re.compile(rf"{HAN}:")
ID = rf"(?:{CALL_SIGN}|AEGL-\d)"
ASCII_SEMICOLON = re.compile(rf"(?:{HAN}|{ID})\s*;")
ASCII_FULL_STOP = re.compile(rf"{HAN}\.(?=[\s*<]|$)", re.M)  # "态势图." (a caption's title)
ID_LIST_COMMA = re.compile(rf"{ID}，(?={ID})")  # ids are listed with 、 ("XZ-E1、XZ-E2")
FILE_PATH = re.compile(r"\b[\w-]+/[\w./-]+\.(?:md|py|yaml)\b")  # "docs/report.md"


def ascii_punctuation(text: str) -> list[str]:
    """Places where Chinese text uses ASCII punctuation: ", " between Chinese words or ids,
    "(" after a Chinese character or around Chinese words, ":" or ";" or "." after one; ids
    listed with "，" instead of "、"; a file path instead of words. An English fragment's own
    brackets (``Chlorine (UN 1017``, ``(UTC+0800)``, ``(AEGL-2)`` after a Latin word) are
    English punctuation in an English fragment and pass."""
    return [text[max(m.start() - 12, 0): m.end() + 12]
            for rx in (ASCII_COMMA, ASCII_PAREN, ASCII_COLON, ASCII_SEMICOLON, ASCII_FULL_STOP,
                       ID_LIST_COMMA, FILE_PATH) for m in rx.finditer(text)]


def test_ascii_punctuation_check_finds_what_it_should():
    assert ascii_punctuation("排队, 增援") and ascii_punctuation("XZ-E1, XZ-E2")
    assert ascii_punctuation("BG001 (6.1 分钟), BG002") and ascii_punctuation("I1 (提示)")
    assert ascii_punctuation("综合得分: 95") and ascii_punctuation("浓度 (AEGL-2)")
    assert not ascii_punctuation("氯气 Chlorine (UN 1017, CAS 7782-50-5；2.47 × 空气）")
    assert not ascii_punctuation("开始时间：2026-07-26 09:45 (UTC+0800)")
    assert not ascii_punctuation("Dingzigu high-rise, fire on the 14th floor (AEGL-2)")
    assert ascii_punctuation("AEGL-3 疏散; AEGL-2 疏散") and ascii_punctuation("态势图. 图例")
    assert ascii_punctuation("XZ-E1，XZ-E2") and ascii_punctuation("AEGL-3，AEGL-2")
    assert ascii_punctuation("（规则见docs/report.md）")
    assert not ascii_punctuation("XZ-E1、XZ-E2；AEGL-3疏散。态势图。Fire rules; end.")


@pytest.mark.parametrize("name", DRILLS)
def test_chinese_report_uses_chinese_punctuation(pages, name):
    """No ASCII list comma, bracket or colon inside the Chinese report's own words (issue 10,
    fix 10 item 1); the drill file's and the map's texts are taken out first, since nothing a
    designer wrote is changed (``电话(119)`` is theirs)."""
    body = pages[(name, "zh")][0]
    assert ascii_punctuation(body) == [], name
    # an action answering several findings lists them with 、 ("O2、目标之外")
    assert not any("," in a.finding or "，" in a.finding for a in pages[(name, "zh")][3].plan)
