"""The debrief section of a played exercise's report: the decisions per role against the
injects' expected actions, and what the decisions changed against the default policy.

The numbers come from :mod:`drillsim.metrics.decisions` (answers, the comparison) and
from the two run folders' ``summary.json``: the exercise folder's own and ``default/``
(the same drill and seed with no decision, written by
:meth:`drillsim.play.exercise.Exercise.finish`). This module only words them
(``debrief.*`` in ``wording/debrief.yaml``). A run with no ``decision`` record gets no
section.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.compare import MetricChange
from drillsim.metrics.decisions import (
    HEADLINE_METRICS,
    Debrief,
    DecisionRow,
    Effect,
    InjectAnswer,
    debrief,
    decision_effect,
    played,
)
from drillsim.report import text as tx
from drillsim.report.compare import VERDICT_KEYS, delta_text
from drillsim.report.context import ReportContext
from drillsim.report.registry import Section, Table
from drillsim.scenarios.roles import roles_for

DEFAULT_FOLDER = "default"
"""Where a finished exercise keeps the default policy's run folder
(:data:`drillsim.play.exercise.DEFAULT_FOLDER`)."""

_DO = {"send_unit": "debrief.do_send_unit", "hold_unit": "debrief.do_hold_unit",
       "release_hold": "debrief.do_release_hold", "recall_unit": "debrief.do_recall_unit",
       "move_up": "debrief.do_move_up", "close_road": "debrief.do_close_road",
       "reopen_road": "debrief.do_reopen_road", "open_shelters": "debrief.do_open_shelters",
       "protective_action": "debrief.do_protective_action",
       "send_truck": "debrief.do_send_truck", "call_mutual_aid": "debrief.do_call_mutual_aid",
       "mobilise_team": "debrief.do_mobilise_team", "send_pump": "debrief.do_send_pump"}
"""The wording of each decision kind (:mod:`drillsim.play.decisions`)."""


def debrief_section(ctx: ReportContext) -> Section | None:
    """The debrief of a played exercise (``None`` for a run nobody played)."""
    if not played(ctx.result):
        return None
    d = debrief(ctx.result)
    names = _role_names(ctx)
    deciding = list(d.by_role())
    intro = ctx.say("debrief.intro_one" if len(d.decisions) == 1 else "debrief.intro",
                    n=len(d.decisions),
                    roles=tx.join([names.get(r, r) for r in deciding], ctx.lang, words=True))
    counts = {a: sum(x.answer == a for x in d.answers) for a in ("on_time", "late", "missing")}
    paragraphs = [intro]
    if d.answers:
        paragraphs.append(ctx.say("debrief.answers", **counts))
    asked = {a.role for a in d.answers}
    idle = [names[r.id] for r in roles_for(ctx.scenario)
            if r.id not in deciding and r.id not in asked]
    if idle:
        paragraphs.append(ctx.say("debrief.idle_roles",
                                  roles=tx.join(idle, ctx.lang, words=True)))
    tables = _role_tables(ctx, d, names)
    effect = _effect(ctx)
    if effect is None:
        paragraphs.append(ctx.say("debrief.no_default"))
    else:
        eff, ratings = effect
        paragraphs += _effect_sentences(ctx, eff, ratings)
        tables.append(_effect_table(ctx, eff, ratings))
    return Section("debrief", ctx.say("debrief.title"), paragraphs, tables)


def _role_names(ctx: ReportContext) -> dict[str, str]:
    """Role id -> its name in the report language."""
    return {r.id: ctx.name(r.name_en, r.name_zh) for r in roles_for(ctx.scenario)}


def _injects(ctx: ReportContext) -> dict[str, object]:
    return dict(zip(ctx.scenario.inject_ids(), ctx.scenario.injects, strict=True))


def decision_text(ctx: ReportContext, d: DecisionRow) -> str:
    """A decision in words: ``sent XZ-E1 to F1`` / ``派XZ-E1前往F1``.

    ``ctx`` is the report's context, or anything naming things as it does (``lang``,
    ``world``, ``name``, ``say``, ``unit_label``, ``incident_short``, ``road_name``,
    ``place_name``, ``point_name``: the exercise pages'
    :class:`drillsim.play.state.LiveNames`)."""
    from drillsim.report.chemical import area_name

    target = d.target
    values = {"unit": ctx.unit_label(d.unit or target), "incident": ctx.incident_short(
        d.incident or target), "road": ctx.road_name(target), "depot": ctx.place_name(target),
        "team": ctx.place_name(target), "shelter": ctx.place_name(d.place) if d.place else "—",
        "point": ctx.point_name(d.place) if d.kind == "send_pump" else "—",
        "communities": tx.join([area_name(ctx, c.strip()) for c in target.split(",")],
                               ctx.lang, words=True)}
    if d.kind == "move_up" and d.station:  # where it went: to cover, or back home
        return ctx.say("debrief.do_move_home" if d.own else "debrief.do_move_up_to",
                       unit=values["unit"], station=ctx.place_name(d.station))
    key = _DO.get(d.kind)
    return ctx.say(key, **values) if key is not None else d.kind


def answer_text(ctx: ReportContext, a: InjectAnswer) -> str:
    """An inject's answer: ``on time (4.0 min after the inject; window 10.0 min)``."""
    window = tx.minutes(a.window, ctx.lang)
    if a.answer == "missing":
        return ctx.say("debrief.missing", window=window)
    if a.answer == "late":
        return ctx.say("debrief.late", after=tx.minutes(a.after_s, ctx.lang), window=window)
    if a.after_s < 0:
        return ctx.say("debrief.early", before=tx.minutes(-a.after_s, ctx.lang))
    return ctx.say("debrief.on_time", after=tx.minutes(a.after_s, ctx.lang), window=window)


def _inject_cell(ctx: ReportContext, iid: str, spec) -> str:
    text = ctx.name(spec.text, spec.text_zh) if spec is not None else ""
    return f"{iid} {text}".strip()


def _role_tables(ctx: ReportContext, d: Debrief, names: dict[str, str]) -> list[Table]:
    """One table per role that decided or was asked to answer: its decisions in time
    order, and the injects it never answered at their time."""
    injects = _injects(ctx)
    answers = {a.seq: a for a in d.answers if a.seq}
    by_role = d.by_role()
    for a in d.answers:
        by_role.setdefault(a.role, [])
    start = ctx.scenario.start
    out = []
    for role in [r.id for r in roles_for(ctx.scenario) if r.id in by_role]:
        rows: list[tuple[float, list[str], str]] = []
        for x in by_role[role]:
            spec = injects.get(x.inject)
            a = answers.get(x.seq)
            expected = ctx.name(spec.expected_action, spec.expected_action_zh) \
                if spec is not None else ""
            if a is not None:
                verdict = answer_text(ctx, a)
            elif x.verdict == "own_initiative":
                verdict = ctx.say("debrief.own_initiative")
            elif x.verdict == "further":
                verdict = ctx.say("debrief.further")
            else:  # why it is no answer: the inject asks nothing, or not of this role
                verdict = ctx.say("debrief.not_asked" if expected else "debrief.no_action_asked")
            rows.append((x.t, [tx.offset(x.t) + tx.paren(tx.clock(start, x.t), ctx.lang),
                               decision_text(ctx, x),
                               _inject_cell(ctx, x.inject, spec) if x.inject else "—",
                               expected or "—", verdict],
                         "late" if a is not None and a.answer == "late" else ""))
        for a in d.answers:
            if a.role == role and a.answer == "missing":
                spec = injects[a.inject]
                rows.append((a.at + a.window, [
                    "—", ctx.say("debrief.no_decision"), _inject_cell(ctx, a.inject, spec),
                    ctx.name(spec.expected_action, spec.expected_action_zh),
                    answer_text(ctx, a)], "missing"))
        rows.sort(key=lambda r: r[0])
        out.append(Table([ctx.say("debrief.col_time"), ctx.say("debrief.col_decision"),
                          ctx.say("debrief.col_inject"), ctx.say("debrief.col_expected"),
                          ctx.say("debrief.col_answer")],
                         [r for _, r, _ in rows],
                         ctx.say("debrief.role_caption", role=names.get(role, role)),
                         [c for _, _, c in rows]))
    return out


def _effect(ctx: ReportContext) -> tuple[Effect, tuple[float, float]] | None:
    """What the decisions changed, with the overall score of (default, played); ``None``
    when the folder holds no default run."""
    from drillsim.records.run_folder import read_run, read_summary
    from drillsim.report.findings import overall_score

    run_dir = ctx.run_dir
    if run_dir is None or not (Path(run_dir) / DEFAULT_FOLDER / "summary.json").is_file():
        return None
    default_dir = Path(run_dir) / DEFAULT_FOLDER
    eff = decision_effect(read_summary(default_dir), read_summary(run_dir),
                          negligible=lambda m: negligible(m, ctx.lang))
    key = ("debrief_default_score",)  # rated once per report
    if key not in ctx.extra:
        from drillsim.report.build import make_context

        default = make_context(read_run(default_dir), lang=ctx.lang, world=ctx.world)
        ctx.extra[key] = overall_score(default)[0]
    return eff, (ctx.extra[key], overall_score(ctx)[0])


def negligible(m: MetricChange, lang: str) -> bool:
    """Whether a change reads as none at the precision the debrief shows it: its change
    rounds to 0 (``+0.0 min``), or both values read alike (``7.8 min`` against ``7.8
    min``; a share's values are whole per cent, its change in tenths of a point, so only
    the change counts there)."""
    unit = METRICS[m.name].unit
    if not re.search(r"[1-9]", delta_text(m.deltas[1], unit, lang)):
        return True
    return unit != "share" and tx.value(m.values[0], unit, lang) == \
        tx.value(m.values[1], unit, lang)


def shown_verdict(m: MetricChange, lang: str) -> str:
    """A change's verdict as the debrief tells it: ``same`` ("no change") when a better or
    worse change is :func:`negligible`, else the comparison's."""
    v = m.verdicts[1]
    return "same" if v in ("better", "worse") and negligible(m, lang) else v


def _rating(ctx: ReportContext, score: float) -> str:
    from drillsim.report.ratings import grade
    from drillsim.report.render import grade_name

    if math.isnan(score):
        return "—"
    return ctx.say("debrief.rating", score=f"{score:.0f}",
                   grade=grade_name(grade(score), ctx.lang))


_ROW_CLASS = {"better": "good", "worse": "bad"}
"""The row colour of a change (style.css.j2)."""


def _metric_name(ctx: ReportContext, name: str) -> str:
    info = METRICS[name]
    return ctx.name(info.en, info.zh)


def _effect_table(ctx: ReportContext, eff: Effect,
                  ratings: tuple[float, float]) -> Table:
    """Measure, default policy, with the players' decisions, change, better / worse."""
    from drillsim.report.compare import STATUS_KEYS

    rows, classes = [], []
    for m in eff.metrics:
        unit = METRICS[m.name].unit
        v = shown_verdict(m, ctx.lang)
        if v == "same" and m.name not in HEADLINE_METRICS:
            continue  # listed for its change, which reads as none
        rows.append([_metric_name(ctx, m.name), tx.value(m.values[0], unit, ctx.lang),
                     tx.value(m.values[1], unit, ctx.lang),
                     delta_text(m.deltas[1], unit, ctx.lang)
                     if v not in ("new", "lost", "same", "none") else "—",
                     ctx.say(VERDICT_KEYS[v])])
        classes.append(_ROW_CLASS.get(v, ""))
    objectives = {o.id: o for o in ctx.scenario.objectives}
    for o in eff.objectives:
        spec = objectives.get(o.id)
        text = ctx.name(spec.text, spec.text_zh) if spec is not None else o.metric
        before, after = o.statuses
        v = "better" if after == "met" else "worse" if before == "met" else "changed"
        rows.append([ctx.say("debrief.objective_row", id=o.id, text=text),
                     ctx.say(STATUS_KEYS.get(before, "compare.status_absent")),
                     ctx.say(STATUS_KEYS.get(after, "compare.status_absent")), "—",
                     ctx.say(VERDICT_KEYS[v])])
        classes.append(_ROW_CLASS.get(v, ""))
    default, now = ratings
    if not (math.isnan(default) or math.isnan(now)):
        default, now = round(default), round(now)  # the change of the scores shown
        v = "same" if now == default else "better" if now > default else "worse"
        sign = "+" if now > default else "−"
        change = "—" if v == "same" else ctx.say("debrief.score_change",
                                                 delta=f"{sign}{abs(now - default)}")
        rows.append([ctx.say("debrief.overall_row"), _rating(ctx, default), _rating(ctx, now),
                     change, ctx.say(VERDICT_KEYS[v])])
        classes.append(_ROW_CLASS.get(v, ""))
    return Table([ctx.say("debrief.col_measure"), ctx.say("debrief.col_default"),
                  ctx.say("debrief.col_played"), ctx.say("debrief.col_change"),
                  ctx.say("debrief.col_verdict")], rows, ctx.say("debrief.changed_caption"),
                 classes)


def _effect_sentences(ctx: ReportContext, eff: Effect,
                      ratings: tuple[float, float]) -> list[str]:
    """The largest change in words and the tally, numbers from the table."""
    m = eff.largest
    if m is None and not eff.objectives and ratings[0] == ratings[1]:
        return [ctx.say("debrief.no_change")]
    out = []
    if m is not None:
        unit = METRICS[m.name].unit
        out.append(ctx.say("debrief.largest", metric=_metric_name(ctx, m.name),
                           played=tx.value(m.values[1], unit, ctx.lang),
                           default=tx.value(m.values[0], unit, ctx.lang),
                           delta=delta_text(m.deltas[1], unit, ctx.lang),
                           verdict=ctx.say(VERDICT_KEYS[m.verdicts[1]])))
    verdicts = [shown_verdict(x, ctx.lang) for x in eff.metrics]
    out.append(ctx.say("debrief.tally", better=verdicts.count("better"),
                       worse=verdicts.count("worse"), played=_rating(ctx, ratings[1]),
                       default=_rating(ctx, ratings[0])))
    return out
