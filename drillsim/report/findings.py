"""Sentences every hazard's findings share: the finding's title and the measured value."""

from __future__ import annotations

from drillsim.metric_catalog import METRICS
from drillsim.report import text as tx
from drillsim.report.context import ReportContext


def finding_title(ctx: ReportContext, res, rating) -> str:
    obj = res.objective
    text = ctx.t(obj.text, obj.text_zh) or ctx.t(METRICS[obj.metric].en, METRICS[obj.metric].zh)
    return f"{obj.id} ({rating.code}/{rating.zh}): {text}"


def measured_sentence(ctx: ReportContext, res, rating) -> str:
    obj = res.objective
    unit = METRICS[obj.metric].unit
    m = ctx.t(METRICS[obj.metric].en, METRICS[obj.metric].zh)
    return ctx.t(
        f"Measured {m}: {tx.value(res.value, unit)} against a target of {obj.target} "
        f"(gap {tx.percent(rating.gap)}).",
        f"实测{m}：{tx.value(res.value, unit, 'zh')}，目标{obj.target}"
        f"（差距{tx.percent(rating.gap)}）。")
