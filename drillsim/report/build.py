"""Assemble a report from a run: objectives rated, findings, plan, figures, sections."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.evaluation import late_after_s
from drillsim.metrics.response import TURNOUT_METRICS, FireState
from drillsim.metrics.standards import rescue_target_s
from drillsim.metrics.summary import Summary
from drillsim.network.world import World, load_world
from drillsim.records.result import RunResult
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.findings import (
    LEVEL_NAME,
    capability_text,
    case_values,
    cases_over,
    few_cases,
    finding_title,
    gap_text,
    measured_sentence,
    named,
    objective_text,
    overall_score,
    rated_objectives,
    target_text,
)
from drillsim.report.ratings import (
    CONTRADICTED_CAP,
    LEVEL_TEXT,
    RULE_TEXT,
    SCORE_NOT_MEASURED,
    SCORES,
    Rating,
    grade,
    mean_score,
    rule_fields,
)
from drillsim.report.registry import (
    Action,
    Figure,
    Finding,
    Section,
    Table,
    hazard_names,
    load_parts,
)
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
    label: str = ""
    """The id as the objectives table shows it: marked when the objective is critical."""


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
    score_note: str
    strengths: list[str]
    findings: list[Finding]
    plan: list[Action]
    observed: Section | None
    msel: Table
    rules: Table
    provenance: list[tuple[str, str]]
    labels: dict[str, str] = field(default_factory=dict)
    debrief: Section | None = None
    """A played exercise's debrief (:mod:`drillsim.report.debrief`), after the objectives."""


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
        world = load_world(result.scenario.network, result.scenario.district)
    if summary is None:
        from drillsim.metrics.summary import summarize

        summary = summarize(result)
    return ReportContext(result, summary, world, lang, run_dir)


def _network_label(ctx: ReportContext) -> str:
    """The road network of the run, as the report's header names it."""
    from drillsim.network.district import DEFAULT_DISTRICT, load_district

    s = ctx.scenario
    if s.network != "default":
        return s.network
    if s.district == DEFAULT_DISTRICT:
        return ctx.say("report.network_default")
    d = load_district(s.district)
    return ctx.say("report.network_district", name=d.name_zh if ctx.lang == "zh" else d.name_en,
                   version=d.version)


def build_report(ctx: ReportContext, *, observed=None, late_after: float = 120.0,
                 figures: bool = True) -> Report:
    """Build the report of a run (``observed``: rows of an observed-actions file)."""
    from drillsim.report import msel as msel_mod
    from drillsim.report.debrief import debrief_section
    from drillsim.report.figures import gantt_figure, map_figure

    s = ctx.scenario
    lang = ctx.lang
    every = list(load_parts().values())
    parts = [p for p in every if p.applies(ctx)]
    explainers = {}  # an objective on a metric is explained whether or not its part applies
    notes = {}  # per metric: what it leaves out that the records show, beside the rating
    for p in every:
        explainers.update(p.explainers)
        notes.update(p.rating_notes)

    # objectives
    rows: list[ObjectiveRow] = []
    findings: list[Finding] = []
    contradicted: list[tuple[str, str]] = []  # (objective, what the records show)
    for rated in rated_objectives(ctx):
        res, rating, failures, beyond, cases, late = (
            rated.res, rated.rating, rated.failures, rated.beyond, rated.cases, rated.late)
        obj = res.objective
        info = METRICS[obj.metric]
        level = ctx.say(LEVEL_TEXT[rating.code])
        sentence = ""
        if failures or beyond or late:  # the rating must not contradict the records: say why
            what = ctx.say("sep_semicolon").join(filter(None, [
                _still_burning(ctx, failures) if failures else "",
                _cases_beyond_text(ctx, obj, beyond, len(cases or [])) if beyond else "",
                _calls_late_text(ctx, late) if late else ""]))
            contradicted.append((obj.id, what))
            cap = _cap_level(ctx)
            level = level + ctx.say("sep_semicolon") + ctx.say(
                "report.contradicted", what=what, level=cap)
            sentence = ctx.say("report.contradicted_sentence", what=what, level=cap)
        if obj.metric in notes:
            level += notes[obj.metric](ctx, res)
        measured = tx.value(res.value, info.unit, lang)
        evidence = ctx.say("report.evidence", metric=named(ctx, info), measured=measured,
                           target=target_text(ctx, obj), gap=gap_text(ctx, res),
                           over=cases_over(ctx, obj.metric))
        rule = _rule(ctx, rating.rule)
        n_few = few_cases(ctx, obj.metric)
        if n_few:  # a fractile or share of fewer than 5 cases is rated on their values
            evidence += ctx.say("report.evidence_cases", values=case_values(ctx, obj.metric))
            rule += ctx.say("report.rule_one_case") if n_few == 1 else \
                ctx.say("report.rule_few_cases", n=n_few)
        rows.append(ObjectiveRow(obj.id, objective_text(ctx, obj),
                                 capability_text(ctx, obj.capability), obj.metric,
                                 target_text(ctx, obj), measured, rating,
                                 level, rule, evidence,
                                 obj.id + (ctx.say("sum.critical") if obj.critical else "")))
        if rating.code != "P":
            explain = explainers.get(obj.metric)
            if failures and res.status == "met":  # met, but the records show a failure
                findings.append(Finding(finding_title(ctx, res, rating), obj.id,
                                        [measured_sentence(ctx, res, rating), sentence]))
            elif (beyond or late) and res.status == "met":  # met, but cases late
                found = explain(ctx, res, rating) if explain is not None else Finding(
                    finding_title(ctx, res, rating), obj.id, [measured_sentence(ctx, res, rating)])
                found.paragraphs.insert(1, sentence)
                if late:  # the late calls named: "no single incident stands out" is wrong
                    from drillsim.report.fire import late_table

                    found.paragraphs = [p for p in found.paragraphs
                                        if p != ctx.say("fire.no_driving_incident")]
                    if found.table is None:
                        found.table = late_table(ctx, [i for i, _ in late])
                findings.append(found)
            elif rating.rule == "not_measured":
                findings.append(_not_measured_finding(ctx, res, rating))
            elif explain is not None:
                findings.append(explain(ctx, res, rating))
            else:  # a metric no hazard part explains yet: the evidence alone
                findings.append(Finding(finding_title(ctx, res, rating), obj.id,
                                        [rows[-1].evidence]))
    beyond = [f for p in parts for f in p.observations(ctx)]
    findings += beyond  # what the records show beyond the objectives, after them
    score, failed = overall_score(ctx)
    score_note = _score_note(ctx, failed, rows, score) if failed else ""
    def then(first: str, second: str) -> str:  # no space between Chinese sentences
        return ctx.say("join_sentences", first=first, then=second) if first else second

    if contradicted:  # the ratings capped at S: the score note says which and why
        score_note = then(score_note, ctx.say(
            "report.score_contradicted", objectives=ctx.say("sep_semicolon").join(
                tx.label(i, w, lang) for i, w in contradicted)))
    if beyond:  # the score rates the objectives: say what it leaves out
        score_note = then(score_note, ctx.say("report.score_beyond_one") if len(beyond) == 1
                          else ctx.say("report.score_beyond", n=len(beyond)))
    # a failed critical objective is stated first (its finding, then its actions)
    critical_ids = {r.objective.id for r in failed}
    findings.sort(key=lambda f: f.objective not in critical_ids)

    strengths = []
    for r in rows:
        if r.rating.code == "P":
            strengths.append(ctx.say("report.strength_met", id=r.id, evidence=r.evidence))
    for p in parts:
        strengths += p.strengths(ctx)

    plan = [a for f in findings for a in f.actions]
    # drop repeated actions (same owner and text, or aim: the first, an objective's, is
    # kept), listing every finding it answers
    # ("O2、目标之外" in Chinese: a list of ids and words, GB/T 15834-2011 4.5)
    seen: dict[tuple[str, str], Action] = {}
    for a in plan:
        key = (a.aim or a.action, a.owner)
        if key in seen:
            if a.finding and a.finding not in seen[key].finding:
                seen[key].finding = tx.join([seen[key].finding, a.finding], ctx.lang,
                                            words=True)
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
                    ctx.say("report.injects_caption"))

    obs_section = None
    if observed is not None:
        from drillsim.report.observed import compare, observed_section

        obs_section = observed_section(ctx, compare(ctx, observed, m_rows, late_after),
                                       late_after)

    meta = [
        (ctx.say("scenario"), _both(s.name, s.name_zh)),
        (ctx.say("start"), f"{s.start:%Y-%m-%d %H:%M}" + tx.paren(f"UTC{s.start:%z}", ctx.lang)),
        (ctx.say("duration"), tx.duration(s.duration, lang)),
        (ctx.say("seed"), str(ctx.result.seed)),
        (ctx.say("report.network"), _network_label(ctx)),
    ]
    hazards = hazard_names(ctx, parts)
    prov = _provenance(ctx)
    rules = rules_table(ctx)
    return Report(
        lang=lang, title=ctx.say("title"), scenario_name=_both(s.name, s.name_zh),
        meta=meta, description=ctx.name(s.description, s.description_zh), hazards=hazards,
        overview_tables=overview,
        injects=injects, figures=figs, sections=sections, objectives=rows, score=score,
        grade=grade(score), score_note=score_note, strengths=strengths, findings=findings,
        plan=plan,
        observed=obs_section, msel=msel_table, rules=rules, provenance=prov,
        labels=Words(lang), debrief=debrief_section(ctx))


def _rule(ctx: ReportContext, rule: str) -> str:
    """The sentence of a rating rule, with the numbers the ratings use."""
    fields = rule_fields()
    # the flood-rescue clause only in a drill with a rainstorm (its rescue calls)
    rescue = ctx.say("rating.rule_contradicted_rescue", rescue=fields["rescue"]) \
        if ctx.scenario.flood is not None else ""
    return ctx.say(RULE_TEXT[rule], code=CONTRADICTED_CAP,
                   name=ctx.say(LEVEL_NAME[CONTRADICTED_CAP]), rescue_rule=rescue, **fields)


def _cap_level(ctx: ReportContext) -> str:
    """The highest rating of a met objective its records contradict: ``S/good``."""
    return f"{CONTRADICTED_CAP}/{ctx.say(LEVEL_NAME[CONTRADICTED_CAP])}"


def rules_table(ctx: ReportContext) -> Table:
    """The appendix's rating rules, from the constants :mod:`drillsim.report.ratings` rates
    with: the critical-objective cap first (it overrides the mean), then each rating's
    rule, the cap of a met objective whose own records show its subject failing among
    them."""
    nm = {c: ctx.say(LEVEL_NAME[c]) for c in LEVEL_NAME}
    fields = rule_fields()
    rows = [
        [ctx.say("rating.critical_row"), nm["U"],
         ctx.say("rating.overall_at_most", cap=fields["cap"]),
         ctx.say("rating.rule_critical", grade=nm["U"], cap=fields["cap"])],
        ["P", nm["P"], str(SCORES["P"]), ctx.say("rating.rule_p_either",
                                                 margin=fields["margin"])],
        ["S", nm["S"], str(SCORES["S"]), _rule(ctx, "narrow")],
        [CONTRADICTED_CAP, nm[CONTRADICTED_CAP], str(SCORES[CONTRADICTED_CAP]),
         _rule(ctx, "contradicted")],
        ["M", nm["M"], str(SCORES["M"]), _rule(ctx, "short")],
        ["U", nm["U"], str(SCORES["U"]), _rule(ctx, "far")],
        ["U", nm["U"], str(SCORE_NOT_MEASURED), _rule(ctx, "not_measured")],
    ]
    return Table([ctx.say("rating"), ctx.say("report.col_grade"), ctx.say("score"),
                  ctx.say("rule")], rows, ctx.say("report.rules_caption", **fields))


def _both(en: str, zh: str) -> str:
    return f"{zh} / {en}" if zh and en else (zh or en)


def _score_note(ctx: ReportContext, failed: list, rows: list[ObjectiveRow],
                score: float) -> str:
    """The sentence beside the overall score when critical objectives failed."""
    by_id = {r.id: r for r in rows}
    objectives = ctx.say("report.critical_sep").join(
        ctx.say("report.critical_objective", id=res.objective.id,
                text=by_id[res.objective.id].text.rstrip("。. "),
                measured=by_id[res.objective.id].measured, target=by_id[res.objective.id].target)
        for res in failed)
    from drillsim.report.render import grade_name

    return ctx.say("report.score_capped", cap=f"{score:.0f}",
                   grade=grade_name(grade(score), ctx.lang),
                   mean=f"{mean_score([r.rating for r in rows]):.0f}", objectives=objectives)


def _still_burning(ctx: ReportContext, states: list[FireState]) -> str:
    """``BG001 (21.5 MW) still uncontrolled at the drill's end (+05:00:00)``: the incidents
    with their last recorded fire size (none for a call no unit reached)."""
    fires = tx.join((ctx.say("fire.name_value", incident=ctx.incident_short(st.incident),
                             value=tx.value(st.q_kw, "kW", ctx.lang))
                     if not math.isnan(st.q_kw) else ctx.incident_short(st.incident)
                     for st in states), ctx.lang, words=True)
    return ctx.say("report.still_uncontrolled", incidents=fires,
                   end=tx.offset(ctx.end_time))


def _cases_beyond_text(ctx: ReportContext, obj, beyond: list[tuple[str, float]],
                       total: int) -> str:
    """``6 of the 63 cases counted beyond the target (≤ 30 min) themselves: …``: the cases
    of a met fractile objective beyond its bound
    (:func:`drillsim.metrics.evaluation.cases_beyond`), the worst :data:`_CASES_SHOWN`
    named with their values."""
    unit = METRICS[obj.metric].unit
    named_cases = [ctx.say("fire.name_value", incident=ctx.incident_short(i),
                           value=tx.value(v, unit, ctx.lang))
                   for i, v in beyond[:_CASES_SHOWN]]
    if len(beyond) > _CASES_SHOWN:
        named_cases.append(ctx.say(
            "report.cases_more" if obj.metric in TURNOUT_METRICS else "report.calls_more",
            n=len(beyond) - _CASES_SHOWN))
    return ctx.say("report.cases_beyond", n=len(beyond), total=total,
                   target=target_text(ctx, obj),
                   cases=tx.join(named_cases, ctx.lang, words=True))


def _calls_late_text(ctx: ReportContext, late: list[tuple[str, float]]) -> str:
    """``57 calls it counts were first reached late (flood rescue: 53 beyond 30 min; fire:
    4 beyond 15 min): Nancang Road ponding, rescue call 10 (47.3 min); …``: the late calls
    of a met "every call answered" objective
    (:func:`drillsim.metrics.evaluation.calls_late`), counted per kind with its threshold
    (:func:`drillsim.metrics.evaluation.late_after_s`), the slowest :data:`_CASES_SHOWN`
    named."""
    rescue = rescue_target_s(ctx.scenario.objectives)
    counts: dict[str, int] = {}
    for i, _ in late:
        counts[ctx.rows[i].kind] = counts.get(ctx.rows[i].kind, 0) + 1
    per_kind = [ctx.say("report.calls_late_kind", kind=tx.term("kind", k, ctx.lang), n=n,
                        minutes=f"{late_after_s(k, rescue) / 60:g}")
                for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]
    named_cases = [ctx.say("fire.name_value", incident=ctx.incident_short(i),
                           value=tx.minutes(v, ctx.lang)) for i, v in late[:_CASES_SHOWN]]
    if len(late) > _CASES_SHOWN:
        named_cases.append(ctx.say("report.calls_more", n=len(late) - _CASES_SHOWN))
    return ctx.say("report.calls_late", n=len(late),
                   kinds=ctx.say("sep_semicolon").join(per_kind),
                   cases=tx.join(named_cases, ctx.lang, words=True))


_CASES_SHOWN = 4
"""How many cases beyond a met objective's bound the report names (the worst first)."""


def _not_measured_finding(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    return Finding(
        finding_title(ctx, res, rating), obj.id,
        [ctx.say("report.not_measured_finding", metric=obj.metric)],
        None,
        [Action(ctx.say("report.action_revise_script"), ctx.say("report.owner_planning"),
                obj.capability or ctx.say("report.capability_planning"), obj.id)])


def _provenance(ctx: ReportContext) -> list[tuple[str, str]]:
    import json

    out = [(ctx.say("seed"), str(ctx.result.seed)),
           (ctx.say("report.records"), tx.count(len(ctx.records)))]
    if ctx.run_dir is not None:
        out.append((ctx.say("report.run_folder"), str(ctx.run_dir)))
        mf = ctx.run_dir / "manifest.json"
        if mf.is_file():
            try:
                m = json.loads(mf.read_text(encoding="utf-8"))
                out += [(ctx.say("report.scenario_sha256"), str(m.get("scenario_sha256", ""))),
                        ("drillsim", str(m.get("drillsim", ""))),
                        ("python", str(m.get("python", "")))]
                snaps = _snap_lines(ctx, m.get("snaps") or [])
                if snaps:  # places the drill uses played at a road node more than 50 m away
                    out.append((ctx.say("report.snaps"), ctx.say("sep_semicolon").join(snaps)))
            except ValueError:
                pass
    return out


def _snap_lines(ctx: ReportContext, snaps: list[dict]) -> list[str]:
    """The manifest's ``snaps`` (every location of the drill file, district defaults
    included, by field path and node id) as a reader reads them: only the places the
    drill uses, by name in the report language, at the roads that meet at their node.

    A station, incident, waterlogging point, chemical site or road inject's ``near`` is
    always used; a team base, relief depot or shelter only when the records name it
    (a fire-only drill mobilises no team and opens no shelter), and a team's not when
    the report does not list it (:func:`drillsim.report.figures.standby_teams`).
    """
    from drillsim.scenarios.checks import located
    from drillsim.scenarios.loader import dotted

    s = ctx.scenario
    from drillsim.report.figures import standby_teams

    recorded = {r.place for r in ctx.records if r.place} - set(standby_teams(ctx))
    optional = {"teams", "depots", "shelters"}
    where = {dotted(path): (path, loc) for path, loc in located(s)}
    net = ctx.world.network
    out = []
    for x in snaps:
        path, loc = where.get(str(x.get("where", "")), ((), None))
        if loc is None:
            continue
        owner = None
        if len(path) >= 3 and path[0] == "forces":
            owner = getattr(s.forces, str(path[1]))[path[2]]
            if path[1] in optional and owner.id not in recorded:
                continue
        if loc.place is not None:
            what = ctx.place_name(owner.id if owner is not None and path[-1] == "id"
                                  else loc.place)
        elif path[:2] == ("flood", "points"):
            what = ctx.point_name(_walk(s, path[:-1]).id)
        elif path[-1] == "near":
            what = ctx.say("report.snap_closure",
                           road=ctx.road_name(getattr(_walk(s, path[:-1]), "road", "")))
        elif path[-1] == "location" and path[0] in ("incidents", "injects"):
            what = ctx.incident_label(_walk(s, path[:-1]).id)
        else:
            what = ctx.say("report.coordinates", lat=f"{loc.lat:.5f}", lon=f"{loc.lon:.5f}")
        idx = net.node_index.get(str(x.get("node")))
        node = ctx.node_label(idx) if idx is not None else ctx.say("report.unnamed_node")
        out.append(ctx.say("report.snap", what=what, node=node,
                           distance=f"{float(x['distance_m']):.0f} m"))
    return list(dict.fromkeys(out))  # an inject closing and reopening a road: one point


def _walk(obj: object, path: tuple) -> object:
    """The object at a field path of the drill (``("injects", 1, "incident")``)."""
    for part in path:
        obj = obj[part] if isinstance(part, int) else getattr(obj, part)
    return obj
