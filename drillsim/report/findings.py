"""Sentences every hazard's findings share: the finding's title, the measured value and
the drafted improvement actions (owners and capabilities worded in ``common.yaml``)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.response import unanswered_plans, unreachable_calls
from drillsim.metrics.standards import BY_METRIC, FIVE_MINUTE, NFPA_TRAVEL, NFPA_TURNOUT
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.ratings import Rating, capped, overall, rate
from drillsim.report.registry import Action, Finding, Table
from drillsim.report.wording import say

LEVEL_NAME = {"P": "rating.name_p", "S": "rating.name_s", "M": "rating.name_m",
              "U": "rating.name_u"}
"""The name of each rating level in the report language (优/良/中/差; Performed ...)."""

MEASURED_OVER: dict[str, Callable[[str], bool]] = {
    "five_minute_share": FIVE_MINUTE.applies,
    "nfpa_turnout_share": NFPA_TURNOUT.applies,
    "nfpa_travel_share": NFPA_TRAVEL.applies,
    "fire_size_at_first_arrival_p90": lambda kind: kind == "fire",
}
"""Measures taken over some kinds of call only: metric -> whether it is measured over a
call of that kind. The report and the terminal show such a measure only where the run has
such calls (:func:`measured_here`); elsewhere it could only say "not measured"."""


def measured_here(ctx: ReportContext, metric: str) -> bool:
    """Whether the run made a call ``metric`` is measured over (always, for a measure not
    tied to kinds of call in :data:`MEASURED_OVER`)."""
    over = MEASURED_OVER.get(metric)
    return over is None or any(over(r.kind) for r in ctx.summary.rows
                               if not math.isnan(r.call))


def level_name(ctx: ReportContext, rating) -> str:
    """The rating's level name in the report language."""
    return ctx.say(LEVEL_NAME[rating.code])

OWNERS = {  # who an improvement action is for: key -> wording
    "detachment": "owner.detachment",
    "hazmat": "owner.hazmat",
    "command": "owner.command",
    "bureau": "owner.bureau",
    "hq": "owner.hq",
    "citymgmt": "owner.citymgmt",
    "civil": "owner.civil",
    "air": "owner.air",
    "bluestar": "owner.bluestar",
    "ecology": "owner.ecology",
    "health": "owner.health",
    "subdistricts": "owner.subdistricts",
    "community": "owner.community",
    "premises": "owner.premises",
    "traffic": "owner.traffic",
}
CAPABILITIES = {  # capability elements of drill evaluation (AQ/T 9007-2019): key -> wording
    "warning": "capability.warning",
    "mobilisation": "capability.mobilisation",
    "command": "capability.command",
    "operations": "capability.operations",
    "resources": "capability.resources",
    "traffic": "capability.traffic",
    "comms": "capability.comms",
    "protection": "capability.protection",
    "monitoring": "capability.monitoring",
    "shelter": "capability.shelter",
    "medical": "capability.medical",
    "safety": "capability.safety",
    "prevention": "capability.prevention",
}


def named(ctx: ReportContext, item) -> str:
    """The name of a catalogue entry that carries ``en`` and ``zh`` (a metric of
    :data:`~drillsim.metrics.catalog.METRICS`, a response standard or component)."""
    return ctx.name(item.en, item.zh)


def objective_text(ctx: ReportContext, obj) -> str:
    """An objective's text from the drill file, else the name of its metric."""
    return ctx.name(obj.text, obj.text_zh) or named(ctx, METRICS[obj.metric])


def draft_action(ctx: ReportContext, text: str, *rest: str | tuple[str, str],
                 ref: str | None = None, aim: str = "") -> Action:
    """A drafted improvement action.

    Called ``draft_action(ctx, text, owner, capability, ref)`` with the action already
    worded in the report language; ``owner`` is a key of :data:`OWNERS` or an
    (English, Chinese) name pair from the drill file, ``capability`` a key of
    :data:`CAPABILITIES`; ``aim`` names what differently worded actions share (the plan
    keeps the first of one owner and aim, :attr:`Action.aim`).
    """
    owner, cap, ref = [*rest] if ref is None else [*rest, ref]
    who = ctx.name(*owner) if isinstance(owner, tuple) else ctx.say(
        OWNERS[owner], detachment=ctx.say(OWNERS["detachment"]))  # one name of the detachment
    return Action(text, who, ctx.say(CAPABILITIES[cap]), ref, aim=aim)


def finding_title(ctx: ReportContext, res, rating) -> str:
    obj = res.objective
    return ctx.say("finding.title", id=obj.id, code=rating.code, level=level_name(ctx, rating),
                   text=objective_text(ctx, obj))


def measured_sentence(ctx: ReportContext, res, rating) -> str:
    obj = res.objective
    info = METRICS[obj.metric]
    return ctx.say("finding.measured", metric=named(ctx, info),
                   value=tx.value(res.value, info.unit, ctx.lang), target=target_text(ctx, obj),
                   gap=gap_text(ctx, res), over=cases_over(ctx, obj.metric))


def cases_over(ctx: ReportContext, metric: str) -> str:
    """What a fractile or share metric is taken over, to follow its measured value
    (``; taken over all 18 calls``): "" for other metrics and below
    :data:`~drillsim.metrics.response.MIN_CASES` cases (each case is then stated)."""
    got = objective_cases(ctx, metric)
    if not got or few_cases(ctx, metric):
        return ""
    calls = all(i in ctx.rows for i, _ in got)
    return ctx.say("report.over_calls" if calls else "report.over_cases", n=len(got))


def objective_cases(ctx: ReportContext, metric: str) -> list[tuple[str, float]] | None:
    """The cases of a fractile or share metric (:func:`drillsim.metrics.response.metric_cases`;
    ``None`` for other metrics), once per metric."""
    from drillsim.metrics.response import metric_cases

    key = ("cases", metric)
    if key not in ctx.extra:
        ctx.extra[key] = metric_cases(ctx.result, ctx.summary.rows, metric,
                                      ctx.extra.get("unit_activity"))
    return ctx.extra[key]


def few_cases(ctx: ReportContext, metric: str) -> int:
    """How many cases a fractile or share metric has when they are fewer than
    :data:`~drillsim.metrics.response.MIN_CASES` (the objective is rated on their values,
    which the report states); 0 otherwise."""
    from drillsim.metrics.response import MIN_CASES

    got = objective_cases(ctx, metric)
    return len(got) if got and len(got) < MIN_CASES else 0


def case_values(ctx: ReportContext, metric: str) -> str:
    """Each case of a metric with its value (``F1 (5.5 MW)``; turnouts by unit), in the
    page's language, smallest value first (the reader compares them with the target); a
    share metric's cases are times."""
    unit = METRICS[metric].unit
    unit = "seconds" if unit == "share" else unit
    std = BY_METRIC.get(metric)

    def shown(v: float) -> str:  # a time, in the scale of the standard it is measured by
        return tx.against(v, std.threshold_s, ctx.lang) if std else tx.value(v, unit, ctx.lang)

    cases = sorted(objective_cases(ctx, metric) or [], key=lambda c: c[1])
    return tx.join([ctx.say("fire.name_value", incident=ctx.incident_short(i), value=shown(v))
                    for i, v in cases], ctx.lang, words=True)


def measure_text(ctx: ReportContext, metric: str) -> str:
    """A metric's value as the tables and the terminal summary state it: a fractile or
    share over fewer than :data:`~drillsim.metrics.response.MIN_CASES` cases gives each
    case's value instead (as the findings do), never a share of 3 cases."""
    from drillsim.metrics.response import MIN_CASES

    if few_cases(ctx, metric):
        return ctx.say("report.few_case_values", values=case_values(ctx, metric),
                       min=MIN_CASES)
    v, unit = ctx.summary.metrics.get(metric, math.nan), METRICS[metric].unit
    if unit == "seconds" and metric in BY_METRIC and not math.isnan(v):
        return tx.against(v, BY_METRIC[metric].threshold_s, ctx.lang)
    return tx.count(v) if unit == "count" and not math.isnan(v) else \
        tx.value(v, unit, ctx.lang)


@dataclass(frozen=True)
class RatedObjective:
    """An objective's result with its rating as the report gives it.

    Attributes
    ----------
    res
        The objective's result (:class:`drillsim.metrics.evaluation.ObjectiveResult`).
    rating
        Its rating, capped at S when the records contradict a met objective.
    failures
        Fires its metric covers still burning at the end (contradict a met objective).
    beyond
        Cases past the target of a met percentile, slowest first.
    cases
        The cases of a fractile or share metric (``None`` for other metrics).
    late
        Calls a met "every call answered" objective counts that were first reached later
        than their kind allows (:func:`~drillsim.metrics.evaluation.late_after_s`), slowest
        first.
    """

    res: object
    rating: Rating
    failures: list
    beyond: list[tuple[str, float]]
    cases: list[tuple[str, float]] | None
    late: list[tuple[str, float]] = field(default_factory=list)


def rated_objectives(ctx: ReportContext) -> list[RatedObjective]:
    """Every objective rated (:func:`drillsim.report.ratings.rate`; capped where the records
    contradict it), once per context: the report's table and score and the terminal
    summary read this one list."""
    from drillsim.metrics.evaluation import calls_late, cases_beyond, covered_failures
    from drillsim.metrics.response import uncontrolled
    from drillsim.metrics.standards import rescue_target_s

    key = ("rated_objectives",)
    if key not in ctx.extra:
        states = uncontrolled(ctx.result, ctx.summary.rows)
        out = []
        for res in ctx.summary.objectives:
            failures = covered_failures(res, states, ctx.summary.rows)
            cases = objective_cases(ctx, res.objective.metric)
            beyond = cases_beyond(res, cases)
            late = calls_late(res, ctx.summary.rows, rescue_target_s(ctx.scenario.objectives))
            rating = capped(rate(res)) if failures or beyond or late else rate(res)
            out.append(RatedObjective(res, rating, failures, beyond, cases, late))
        ctx.extra[key] = out
    return ctx.extra[key]


def overall_score(ctx: ReportContext) -> tuple[float, list]:
    """The drill's overall score (:func:`drillsim.report.ratings.overall` of the objectives'
    ratings, capped when a critical objective failed) and the failed critical objectives'
    results."""
    from drillsim.metrics.evaluation import failed_critical

    failed = failed_critical(ctx.summary.objectives)
    return overall([r.rating for r in rated_objectives(ctx)],
                   critical_failed=bool(failed)), failed


def control_cell(ctx: ReportContext, row) -> str:
    """An incident's control time for a table cell; for a release that ran out before the
    crew entered (:func:`control_note`), with what ended it and the crew's entry."""
    if not (row.entry_after_end and math.isfinite(row.entry)):
        return tx.offset(row.control)
    return ctx.say("report.control_after_end", end=tx.offset(row.control),
                   what=_source_out(ctx), entry=tx.offset(row.entry))


def _source_out(ctx: ReportContext) -> str:
    """How a release's source ran out, by release kind (a line's inventory, a container)."""
    chem = ctx.scenario.chemical
    line = chem is not None and chem.release.kind == "ruptured_line"
    return ctx.say("chem.mark_line_empty" if line else "chem.mark_container_empty")


def control_note(ctx: ReportContext, row) -> str:
    """What a release incident's control time means when its source ran out before the
    crew entered (:attr:`~drillsim.metrics.response.IncidentRow.entry_after_end`): the
    leak ended then, worded by release kind, and the crew entered after it; ``""``
    otherwise. The tables and the terminal summary put it beside the control time."""
    if not row.entry_after_end:
        return ""
    what = _source_out(ctx)
    if math.isnan(row.entry):
        return ctx.say("report.note_ended_no_entry", end=tx.offset(row.source_empty),
                       what=what)
    return ctx.say("report.note_entry_after_end", end=tx.offset(row.source_empty),
                   what=what, entry=tx.offset(row.entry))


def target_text(ctx: ReportContext, obj) -> str:
    """An objective's target in the report language (:func:`drillsim.report.text.target`)."""
    return tx.target(obj.metric, obj.target, ctx.lang)


def gap_text(ctx: ReportContext, res) -> str:
    """How far an objective's measured value is from its target, in the metric's unit
    (``+2.3 min over the target``; :func:`drillsim.report.text.gap`)."""
    obj = res.objective
    _, target = obj.bound()
    return tx.gap(res.value, target, METRICS[obj.metric].unit, ctx.lang)


def capability_text(ctx: ReportContext, capability: str) -> str:
    """An objective's capability element in the report language: a key of
    :data:`CAPABILITIES` or its English name is worded; other text is shown as written."""
    for key, wording in CAPABILITIES.items():
        if capability and capability.strip().lower() in (key, ctx.say(wording).lower(),
                                                         say("en", wording).lower()):
            return ctx.say(wording)
    return capability


def beyond_objectives(ctx: ReportContext, metric: str) -> bool:
    """Whether ``metric`` is one no objective of the drill measures (an observation on it
    is then the report's own, beyond the objectives)."""
    return all(o.metric != metric for o in ctx.scenario.objectives)


def restates_objective(ctx: ReportContext, *metrics: str) -> bool:
    """Whether an objective of the drill measures one of ``metrics``, or counts the same
    cases with the same values under another metric (night-compound-fire O1, first arrival
    within 5 min of the turnout order at the 90th percentile, and the 5-minute rule's share
    both over F1 at 4.0 min): its own row says how it went (and, met with a margin, its own
    strength), so a part's strength on the same measure would say it twice."""
    if not all(beyond_objectives(ctx, m) for m in metrics):
        return True
    own = [sorted(c) for m in metrics if (c := objective_cases(ctx, m))]
    return any(sorted(objective_cases(ctx, o.metric) or []) == c
               for o in ctx.scenario.objectives for c in own)


def observation(ctx: ReportContext, what: str, paragraphs: list[str],
                table: Table | None = None, actions: list[Action] | None = None) -> Finding:
    """An area for improvement found beyond the objectives (no objective id, no score);
    its ``actions`` are drafted with :func:`beyond_ref` as their finding."""
    return Finding(ctx.say("finding.beyond_title", what=what), "", paragraphs, table,
                   actions or [])


def beyond_ref(ctx: ReportContext) -> str:
    """What the improvement plan names as the finding of an action beyond the objectives."""
    return ctx.say("finding.beyond_ref")


def unreachable_text(ctx: ReportContext) -> list[str]:
    """One sentence per call no unit could get to (every road into it closed,
    :func:`~drillsim.metrics.response.unreachable_calls`): the closures and the distance
    to the nearest junction a vehicle could reach."""
    out = []
    for c in unreachable_calls(ctx.result):
        closures = ctx.say("sep_list").join(c.closures) or ctx.say("fire.unreachable_hazard")
        incident = ctx.incident_short(c.incident)
        if math.isinf(c.nearest_m):
            line = ctx.say("fire.unreachable_none", incident=incident, closures=closures)
        else:
            line = ctx.say("fire.unreachable", incident=incident, closures=closures,
                           distance=f"{c.nearest_m:,.0f} m")
        if not math.isnan(c.reached_t):
            line += ctx.say("fire.unreachable_later", offset=tx.offset(c.reached_t))
        out.append(line)
    return out


def unanswered_text(ctx: ReportContext) -> list[str]:
    """One sentence per response plan no staffed unit of the district can answer whose
    calls went to mutual aid or were never reached
    (:func:`~drillsim.metrics.response.unanswered_plans`): that is their cause."""
    sep = ctx.say("sep_list")
    return [ctx.say("fire.unanswered_plan", plan=p.plan, types=sep.join(p.types),
                    incidents=sep.join(ctx.incident_short(i) for i in p.incidents))
            for p in unanswered_plans(ctx.result) if p.incidents]
