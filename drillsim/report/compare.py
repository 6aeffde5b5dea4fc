"""Present a :class:`~drillsim.metrics.compare.Comparison`: a table for the terminal and
a self-contained HTML page, in English or Chinese (words: ``wording/compare.yaml``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.compare import Comparison, MetricChange
from drillsim.report import text as tx
from drillsim.report.wording import Words, say

VERDICT_KEYS = {"better": "compare.better", "worse": "compare.worse",
                "changed": "compare.changed", "same": "compare.same", "new": "compare.new",
                "lost": "compare.lost", "none": "compare.none"}
STATUS_KEYS = {"met": "compare.status_met", "not_met": "compare.status_not_met",
               "not_measured": "compare.status_not_measured", "": "compare.status_absent"}


@dataclass(frozen=True)
class CompareTable:
    """One table of the comparison: column headings, rows of text, a class per row."""

    columns: list[str]
    rows: list[list[str]]
    row_classes: list[str]


def delta_text(delta: float, unit: str, lang: str) -> str:
    """A signed change in a metric's unit: ``+1.2 min``, ``−5 pp``, ``+0.4 MW``, ``+2``."""
    if math.isnan(delta) or math.isinf(delta):
        return "—"
    sign = "+" if delta >= 0 else "−"
    size = abs(delta)
    if unit == "seconds":
        return sign + tx.minutes(size, lang)
    if unit == "share":
        return say(lang, "compare.pp", delta=f"{sign}{size * 100:.1f}")
    if unit == "kW":
        return f"{sign}{size / 1000:.1f} MW"
    return f"{sign}{size:,.0f}" if float(size).is_integer() else f"{sign}{size:,.2f}"


def _metric_name(name: str, lang: str) -> str:
    """A metric as the reader knows it: its catalogue description in the language."""
    info = METRICS[name]
    return info.zh if lang == "zh" else info.en


def _metric_row(m: MetricChange, lang: str) -> list[str]:
    info = METRICS[m.name]
    row = [_metric_name(m.name, lang)]
    row += [tx.value(v, info.unit, lang) for v in m.values]
    for d, v in zip(m.deltas[1:], m.verdicts[1:], strict=True):
        word = say(lang, VERDICT_KEYS[v])
        row.append(word if v in ("same", "none", "new", "lost") else say(
            lang, "compare.delta", delta=delta_text(d, info.unit, lang), verdict=word))
    return row


def tables(cmp: Comparison, lang: str, *, changed_only: bool = True
           ) -> tuple[CompareTable, CompareTable, CompareTable, int]:
    """The runs, metrics and objectives tables, and how many unchanged metrics were left out."""
    runs = CompareTable(
        [say(lang, "compare.run"), say(lang, "compare.scenario"), say(lang, "compare.seed")],
        [[label, scen, str(seed)] for label, scen, seed in
         zip(cmp.labels, cmp.scenarios_zh if lang == "zh" else cmp.scenarios, cmp.seeds,
             strict=True)], ["" for _ in cmp.labels])
    shown = [m for m in cmp.metrics if m.changed or not changed_only]
    cols = [say(lang, "compare.metric"), *cmp.labels,
            *(say(lang, "compare.change", label=label) for label in cmp.labels[1:])]
    metrics = CompareTable(cols, [_metric_row(m, lang) for m in shown],
                           [_row_class(m.verdicts[1:]) for m in shown])
    objs = [o for o in cmp.objectives if o.changed or not changed_only]
    objectives = CompareTable(
        [say(lang, "compare.objective"), say(lang, "compare.metric"),
         say(lang, "compare.target"), *cmp.labels],
        [[o.id, _metric_name(o.metric, lang), _target(o.metric, o.target, lang),
          *(say(lang, STATUS_KEYS.get(s, "compare.status_absent")) for s in o.statuses)]
         for o in objs],
        ["worse" if "not_met" in o.statuses[1:] and o.statuses[0] == "met" else
         "better" if o.statuses[0] == "not_met" and "met" in o.statuses[1:] else ""
         for o in objs])
    return runs, metrics, objectives, len(cmp.metrics) - len(shown)


def _target(metric: str, target: str, lang: str) -> str:
    """The objective's target as the report prints it (``≥ 90%``), or as written when the
    metric is not in this version's catalogue."""
    try:
        return tx.target(metric, target, lang)
    except (KeyError, ValueError):
        return target


def _row_class(verdicts) -> str:
    if "worse" in verdicts or "lost" in verdicts:
        return "worse"
    return "better" if "better" in verdicts else ""


def render_compare_html(cmp: Comparison, lang: str, *, other_lang_href: str | None = None,
                        embed_font: bool = True) -> str:
    """The comparison as one self-contained HTML page."""
    from markupsafe import Markup

    from drillsim.report.render import template

    runs, metrics, objectives, unchanged = tables(cmp, lang)
    page = template("compare.html.j2")
    values = dict(lang=lang, L=Words(lang), runs=runs, metrics=metrics, objectives=objectives,
                  note=say(lang, "compare.baseline_note", label=cmp.labels[0]),
                  unchanged=say(lang, "compare.unchanged", n=unchanged) if unchanged else "",
                  other_lang_href=other_lang_href)
    html = page.render(**values, font_css=Markup(""))
    if not embed_font:
        return html
    from drillsim.report.fontembed import font_face_css

    return page.render(**values, font_css=Markup(font_face_css(html)))
