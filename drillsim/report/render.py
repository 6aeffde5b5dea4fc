"""Render a report to one self-contained HTML file and to Markdown (Jinja2 templates).

HTML: autoescape is on, so every string from the drill file (names, inject text)
is escaped; figures are embedded as base64 PNG data URIs, styles are inline, and
nothing is loaded from the network. Markdown: every value passes through
:func:`md_escape` by the environment's ``finalize`` hook, so a value cannot open a
table cell, a link, HTML or code; only :class:`MdRaw` values (image links built
here) pass unchanged.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from drillsim.report.build import Report
from drillsim.report.findings import LEVEL_NAME
from drillsim.report.registry import Table
from drillsim.report.wording import say

if TYPE_CHECKING:
    from jinja2 import Environment


class MdRaw(str):
    """Markdown that the report itself built (never user text): not escaped."""


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
"""Characters that open markup anywhere in a line (``(``, ``!`` and ``#`` only matter
next to an escaped ``[`` or at the start of a line)."""
_MD_LINE_START = re.compile(r"^(\d+\.|[#+-])(?=\s|$)|^(=+|-+)$")


def md_escape(value: object) -> str:
    """Escape text for a Markdown table cell or paragraph (one line, no markup)."""
    if value is None:
        return ""
    if isinstance(value, MdRaw):
        return str(value)
    if isinstance(value, float) and math.isnan(value):
        return "—"
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    # a leading "1.", "#", "+", "-" or "=" could start a list or heading
    return _MD_LINE_START.sub(lambda m: "\\" + m.group(0) if not m.group(0)[0].isdigit()
                              else m.group(0)[:-1] + "\\.", text)


def md_table(table: Table) -> MdRaw:
    """A table as GitHub-flavoured Markdown: a header row, a separator row and one line per
    row, every cell escaped (a ``|`` in a cell is ``\\|``), short rows padded; then the
    caption in italics."""
    n = len(table.columns)

    def line(cells) -> str:
        cells = [md_escape(c) for c in cells]
        cells += [""] * (n - len(cells))
        return "| " + " | ".join(cells) + " |"

    out = [line(table.columns), "|" + " --- |" * n, *(line(r) for r in table.rows)]
    if table.caption:
        out += ["", f"*{md_escape(table.caption)}*"]
    return MdRaw("\n".join(out) + "\n")


_GRADE_LEVEL = {"优": "P", "良": "S", "中": "M", "差": "U"}


def _level_name(code: str, lang: str) -> str:
    """The name of a rating level (``P``) in ``lang``: ``excellent`` / ``优``."""
    return say(lang, LEVEL_NAME[code])


def grade_name(grade: str, lang: str) -> str:
    """The overall grade (优/良/中/差, :func:`~drillsim.report.ratings.grade`) in ``lang``."""
    return say(lang, LEVEL_NAME[_GRADE_LEVEL[grade]]) if grade in _GRADE_LEVEL else grade


SHORT_COLUMN = 20
"""Widest column (display width: a Chinese character counts 2) that never wraps: ids,
channels, "无线电台", "1.0 分钟"; below it a column would shrink to a character a line
beside a long text column."""
LONG_COLUMN = 48
"""Display width above which a column is long text: it wraps, at a readable minimum
width (``td.long``), and gives the short ones room."""
NUMBER_UNIT = re.compile(r"^[≤≥<>~+−-]?\s?[\d.,:/%]+\s?\S{0,6}$")
"""A number with its unit (``1.0 分钟``, ``35.9 min``, ``90%``, ``+01:10``): never
broken between the two."""


UNIT_SPACE = re.compile(r"(?<=\d) (?=(?:min|s|h|km|m|kW|MW|L|分钟|小时|秒|米|千米|人|起|辆)\b"
                        r"|分钟|小时|秒|米|千米)")
"""The space between a number and its unit in the text of a page."""


def keep_units(value: object) -> object:
    """``value`` with a no-break space between a number and its unit (``22.3 分钟``
    never breaks into ``22.3`` / ``分钟``): the HTML environment's ``finalize`` hook, so
    every value on the page gets it and the Markdown and figures keep plain spaces."""
    from markupsafe import Markup

    if isinstance(value, Markup):
        return Markup(UNIT_SPACE.sub("\u00a0", str(value)))
    if isinstance(value, str):
        return UNIT_SPACE.sub("\u00a0", value)
    return value


def display_width(text: str) -> int:
    """Width of ``text`` in Latin character cells (a wide Chinese character counts 2)."""
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


TABLE_WIDTH_EM = 75.0
"""Width of the page's content box in ems of a table's font: 1036 px (``body`` 1100 px
less 2 × 2rem padding) over 13.76 px (``table`` 0.86rem); see style.css.j2."""
EM_PER_CELL = 0.55
"""Width of one display cell (:func:`display_width`) in ems: a Latin letter or digit of
Helvetica/Arial is 0.5-0.56 em, a Chinese character (2 cells) 1 em."""
CELL_PAD_EM = 1.0
"""A cell's padding and border in ems (``padding: .25rem .45rem``, 1 px border)."""
MIN_EM = {"mid": 12.0, "mid9": 9.0, "mid6": 6.0, "long": 10.0}
"""Minimum width of a wrapping column in ems (``td.mid``, ``td.mid9``, ``td.mid6``,
``td.long`` in style.css.j2): a ``mid`` column narrows to the widest that fits."""


def column_classes(columns: list[str], rows: list[list[str]]) -> tuple[list[str], list[str]]:
    """CSS classes of a table's header cells and columns: ``nw`` (no wrap) for a column
    whose widest cell is at most :data:`SHORT_COLUMN` wide (and for such a header),
    ``long`` for one wider than :data:`LONG_COLUMN`, else ``mid`` (it wraps, at a smaller
    minimum width: an incident's name or a Chinese inject's text is not squeezed to a few
    characters a line beside a long column).

    The minimums must fit the page: when the no-wrap columns and the minimums of the
    wrapping ones add up to more than :data:`TABLE_WIDTH_EM`, the ``mid`` columns get the
    widest smaller minimum that fits (``mid9``, ``mid6``) and then the headers wrap, so no
    table is wider than the page (checked in a browser by tests/browser/table_widths.py)."""
    heads, cols, widths = [], [], []
    for j, head in enumerate(columns):
        wide = max((display_width(str(r[j])) for r in rows if j < len(r)), default=0)
        cols.append("nw" if wide <= SHORT_COLUMN else "long" if wide > LONG_COLUMN else "mid")
        heads.append("nw" if display_width(head) <= SHORT_COLUMN else "")
        widths.append((wide, display_width(head)))

    def need(heads: list[str], cols: list[str]) -> float:
        em = 0.0
        for (wide, head), h, c in zip(widths, heads, cols, strict=True):
            cell = wide * EM_PER_CELL if c == "nw" else MIN_EM[c]
            em += max(cell, head * EM_PER_CELL if h == "nw" else 0.0) + CELL_PAD_EM
        return em

    for narrower in ("mid9", "mid6"):
        if need(heads, cols) > TABLE_WIDTH_EM:
            cols = [narrower if c.startswith("mid") else c for c in cols]
    if need(heads, cols) > TABLE_WIDTH_EM:
        heads = ["" if " " in head else h for head, h in zip(columns, heads, strict=True)]
    return heads, cols


def cell_class(cell: object, column: str) -> str:
    """A body cell's CSS class: its column's (:func:`column_classes`), ``nw`` for a
    number with its unit in any column."""
    wraps = column == "" or column.startswith("mid")
    return "nw" if wraps and NUMBER_UNIT.match(str(cell)) else column


@lru_cache(maxsize=2)
def _env(autoescape: bool) -> Environment:
    """The template environment, one per process and mode: it keeps the compiled
    templates, so a report in two languages compiles each template once."""
    # here: jinja2 costs ~30 ms to import, and `drillsim run` without --report needs none
    from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

    env = Environment(
        loader=PackageLoader("drillsim.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]) if autoescape else False,
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
        finalize=keep_units if autoescape else md_escape)
    env.globals["md_table"] = md_table
    env.globals["column_classes"] = column_classes
    env.globals["cell_class"] = cell_class
    env.filters["as_is"] = MdRaw  # the report's own separators, spaces kept (": ")
    env.filters["level"] = _level_name
    env.filters["grade"] = grade_name
    env.filters["score"] = lambda v: "—" if v is None or math.isnan(v) else f"{v:.0f}"
    return env


def template(name: str):
    """An HTML template of the report package (autoescaped)."""
    return _env(True).get_template(name)


def render_html(report: Report, *, other_lang_href: str | None = None,
                embed_font: bool = True) -> str:
    """The report as one self-contained HTML page.

    With ``embed_font`` the CJK glyphs the page uses are embedded as a font subset
    (see :mod:`drillsim.report.fontembed`), so Chinese renders without system fonts.
    """
    from markupsafe import Markup

    template = _env(True).get_template("report.html.j2")
    page = template.render(r=report, L=report.labels, other_lang_href=other_lang_href,
                           font_css=Markup(""))
    if not embed_font:
        return page
    from drillsim.report.fontembed import font_face_css

    # the CSS is built here from base64 only: safe to mark as markup
    return template.render(r=report, L=report.labels, other_lang_href=other_lang_href,
                           font_css=Markup(font_face_css(page)))


def render_markdown(report: Report, figure_dir: str = "figures") -> str:
    """The report as Markdown; figures are linked as ``figure_dir/<key>.<lang>.png``."""
    figs = {f.key: MdRaw(f"![{md_escape(f.alt)}]({figure_dir}/{f.key}.{report.lang}.png)")
            for f in report.figures + [f for s in report.sections for f in s.figures]}
    return _env(False).get_template("report.md.j2").render(
        r=report, L=report.labels, figs=figs)


def write_report(report: Report, out_dir: Path, *, stem: str = "report") -> tuple[Path, Path]:
    """Write ``<stem>.<lang>.html``, ``<stem>.<lang>.md`` and the Markdown's figures."""
    out_dir.mkdir(parents=True, exist_ok=True)
    lang = report.lang
    other = "zh" if lang == "en" else "en"
    html = out_dir / f"{stem}.{lang}.html"
    html.write_text(render_html(report, other_lang_href=f"{stem}.{other}.html"),
                    encoding="utf-8")
    fig_dir = out_dir / "figures"
    fig_dir.mkdir(exist_ok=True)
    for f in report.figures + [f for s in report.sections for f in s.figures]:
        (fig_dir / f"{f.key}.{lang}.png").write_bytes(f.png)
    md = out_dir / f"{stem}.{lang}.md"
    md.write_text(render_markdown(report), encoding="utf-8")
    return html, md
