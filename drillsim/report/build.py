"""Assemble a report from a run: objectives rated, findings, plan, figures, sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.summary import Summary
from drillsim.network.world import World, load_world
from drillsim.records.result import RunResult
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.ratings import (
    EN_LEVEL,
    RULE_TEXT,
    ZH_LEVEL_TEXT,
    Rating,
    grade,
    overall,
    rate,
)
from drillsim.report.registry import Action, Figure, Finding, Section, Table, load_parts
from drillsim.report.wording import Words


@dataclass
class ObjectiveRow:
    id: str
    text: str
    capability: str
    metric: str
    target: str
    measured: str
    rating: Rating
    level_text: str
    rule: str
    evidence: str


@dataclass
class Report:
    """Everything the templates show; all strings are plain text (escaped on output)."""

    lang: str
    title: str
    scenario_name: str
    meta: list[tuple[str, str]]
    description: str
    hazards: list[str]
    overview_tables: list[Table]
    injects: Table
    figures: list[Figure]
    sections: list[Section]
    objectives: list[ObjectiveRow]
    score: float
    grade: str
    strengths: list[str]
    findings: list[Finding]
    plan: list[Action]
    observed: Section | None
    msel: Table
    rules: Table
    provenance: list[tuple[str, str]]
    labels: dict[str, str] = field(default_factory=dict)


def make_context(result: RunResult, *, lang: str = "en", world: World | None = None,
                 summary: Summary | None = None, run_dir: Path | None = None) -> ReportContext:
    """The context of a report.

    Parameters
    ----------
    result
        The run.
    lang
        ``en`` or ``zh``.
    world
        The world the run used; loaded (cached) from the scenario's network when not given.
    summary
        ``summarize(result)`` when the caller has it already; computed here otherwise.
    run_dir
        The run folder, for the provenance section.
    """
    if lang not in tx.LANGS:
        raise ValueError(f"lang must be one of {tx.LANGS}, got {lang!r}")
    if world is None:
        world = load_world(result.scenario.network)
    if summary is None:
        from drillsim.metrics.summary import summarize

        summary = summarize(result)
    return ReportContext(result, summary, world, lang, run_dir)


def build_report(ctx: ReportContext, *, observed=None, late_after: float = 120.0,
                 figures: bool = True) -> Report:
    """Build the report of a run (``observed``: rows of an observed-actions file)."""
    from drillsim.report import msel as msel_mod
    from drillsim.report.figures import gantt_figure, map_figure

    s = ctx.scenario
    lang = ctx.lang
    parts = [p for p in load_parts().values() if p.applies(ctx)]
    explainers = {}
    for p in parts:
        explainers.update(p.explainers)

    # objectives
    rows: list[ObjectiveRow] = []
    findings: list[Finding] = []
    for res in ctx.summary.objectives:
        obj = res.objective
        info = METRICS[obj.metric]
        rating = rate(res)
        level = ctx.t(EN_LEVEL[rating.code], ZH_LEVEL_TEXT[rating.code])
        rule_en, rule_zh = RULE_TEXT[rating.rule]
        measured = tx.value(res.value, info.unit, lang)
        evidence = ctx.t(
            f"{info.en}: {measured} vs {obj.target} (gap {tx.percent(rating.gap)})",
            f"{info.zh}：{measured}，目标{obj.target}（差距{tx.percent(rating.gap)}）")
        rows.append(ObjectiveRow(obj.id, ctx.t(obj.text, obj.text_zh) or ctx.t(info.en, info.zh),
                                 obj.capability, obj.metric, obj.target, measured, rating,
                                 level, ctx.t(rule_en, rule_zh), evidence))
        if rating.code != "P":
            explain = explainers.get(obj.metric)
            if rating.rule == "not_measured":
                findings.append(_not_measured_finding(ctx, res, rating))
            elif explain is not None:
                findings.append(explain(ctx, res, rating))
            else:  # a metric no hazard part explains yet: the evidence alone
                findings.append(Finding(f"{obj.id} ({rating.code}/{rating.zh}): {rows[-1].text}",
                                        obj.id, [rows[-1].evidence]))
    score = overall([r.rating for r in rows])

    strengths = []
    for r in rows:
        if r.rating.code == "P":
            strengths.append(ctx.t(f"{r.id} met with margin — {r.evidence}.",
                                   f"{r.id}顺利达成——{r.evidence}。"))
    for p in parts:
        strengths += p.strengths(ctx)

    plan = [a for f in findings for a in f.actions]
    # drop repeated actions (same text and owner), keep the first finding it answers
    seen: dict[tuple[str, str], Action] = {}
    for a in plan:
        key = (a.action, a.owner)
        if key in seen:
            if a.finding and a.finding not in seen[key].finding:
                seen[key].finding += f", {a.finding}"
        else:
            seen[key] = a
    plan = list(seen.values())

    figs: list[Figure] = []
    sections: list[Section] = []
    overview: list[Table] = []
    for p in parts:
        overview += p.overview(ctx)
    if figures:
        figs.append(map_figure(ctx, parts))
        figs.append(gantt_figure(ctx))
        for p in parts:
            figs += p.figures(ctx)
    for p in parts:
        secs = p.sections(ctx)
        if not figures:
            for sec in secs:
                sec.figures = []
        sections += secs

    m_rows = msel_mod.msel_rows(ctx)
    msel_table = msel_mod.msel_table(ctx, m_rows)
    injects = Table(msel_table.columns[:5], [r[:5] for r in msel_table.rows],
                    ctx.t("Injects in time order (the full script is in the MSEL section).",
                          "按时间排列的情景注入（完整脚本见情景事件清单一节）。"))

    obs_section = None
    if observed is not None:
        from drillsim.report.observed import compare, observed_section

        obs_section = observed_section(ctx, compare(ctx, observed, m_rows, late_after),
                                       late_after)

    meta = [
        (tx.tr("scenario", lang), _both(s.name, s.name_zh)),
        (tx.tr("start", lang), f"{s.start:%Y-%m-%d %H:%M} (UTC{s.start:%z})"),
        (tx.tr("duration", lang), tx.minutes(s.duration, lang)),
        (tx.tr("seed", lang), str(ctx.result.seed)),
        (ctx.t("network", "路网"), ctx.t("embedded Hongqiao network (schematic)",
                                         "内置红桥区路网（示意）")
         if s.network == "default" else s.network),
    ]
    hazards = [ctx.t(p.name_en, p.name_zh) for p in parts]
    prov = _provenance(ctx)
    rules = Table([tx.tr("rating", lang), ctx.t("中文", "中文"), tx.tr("score", lang),
                   tx.tr("rule", lang)],
                  [["P", "优", "95", ctx.t(*RULE_TEXT["margin"]) + "; " +
                    ctx.t(*RULE_TEXT["ideal"])],
                   ["S", "良", "82", ctx.t(*RULE_TEXT["narrow"])],
                   ["M", "中", "67", ctx.t(*RULE_TEXT["short"])],
                   ["U", "差", "40", ctx.t(*RULE_TEXT["far"])],
                   ["U", "差", "0", ctx.t(*RULE_TEXT["not_measured"])]],
                  ctx.t("Gap d = (measured − target) / |target| in the bad direction "
                        "(one unit of the metric when the target is 0). Overall score: mean "
                        "of the objective scores; 优 ≥ 90, 良 75–89, 中 60–74, 差 < 60 "
                        "(after AQ/T 9009-2015 and GB/T 46792-2025); P/S/M/U after the HSEEP "
                        "After-Action Report.",
                        "差距 d =（实测值 − 目标值）/ |目标值|，以不利方向为正"
                        "（目标为0时以指标的一个单位为分母）。"
                        "综合得分为各目标得分的算术平均：优≥90，良75–89，中60–74，差<60"
                        "（参照AQ/T 9009-2015、GB/T 46792-2025）；P/S/M/U参照美国HSEEP总结报告。"))
    return Report(
        lang=lang, title=tx.tr("title", lang), scenario_name=_both(s.name, s.name_zh),
        meta=meta, description=s.description, hazards=hazards, overview_tables=overview,
        injects=injects, figures=figs, sections=sections, objectives=rows, score=score,
        grade=grade(score), strengths=strengths, findings=findings, plan=plan,
        observed=obs_section, msel=msel_table, rules=rules, provenance=prov,
        labels=Words(lang))


def _both(en: str, zh: str) -> str:
    return f"{zh} / {en}" if zh and en else (zh or en)


def _not_measured_finding(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    info = METRICS[obj.metric]
    return Finding(
        f"{obj.id} ({rating.code}/{rating.zh}): {ctx.t(obj.text, obj.text_zh) or info.en}",
        obj.id,
        [ctx.t(f"The metric {obj.metric} got no value: nothing in the run exercised it. "
               "Add an incident or inject that does, or drop the objective.",
               f"指标{obj.metric}未测得数值：本次演练没有检验该目标的情景。请增加相应警情或注入，或删除该目标。")],
        None,
        [Action(ctx.t("Revise the drill script so that it exercises this objective.",
                      "修订演练脚本，使其能够检验该目标。"),
                ctx.t("District Emergency Management Bureau (drill planning team)",
                      "区应急管理局（演练策划组）"),
                obj.capability or ctx.t("planning", "演练策划"), obj.id)])


def _provenance(ctx: ReportContext) -> list[tuple[str, str]]:
    import json

    out = [("seed", str(ctx.result.seed)), ("records", str(len(ctx.records)))]
    if ctx.run_dir is not None:
        out.append(("run folder", str(ctx.run_dir)))
        mf = ctx.run_dir / "manifest.json"
        if mf.is_file():
            try:
                m = json.loads(mf.read_text(encoding="utf-8"))
                out += [("scenario sha256", str(m.get("scenario_sha256", ""))),
                        ("drillsim", str(m.get("drillsim", ""))),
                        ("python", str(m.get("python", "")))]
            except ValueError:
                pass
    return out
