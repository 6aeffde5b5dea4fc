"""The terminal summary of ``drillsim run``, in English or Chinese.

:func:`summary_tables` turns what the metrics measured into titled tables of text in
the report's words (:mod:`drillsim.report.wording`, metric descriptions from
:data:`drillsim.metrics.catalog.METRICS`); :mod:`drillsim.cli` prints them with Rich.
A table appears only for what the drill contains: fire standards for fire calls,
relief and shelters for a rainstorm, warning for a warning, the rescue table for
water rescue calls, the threat zones for a chemical release.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from drillsim.metrics.catalog import METRICS
from drillsim.metrics.evacuation import evacuation_flows
from drillsim.metrics.relief import bottleneck, item_caps, shelter_table
from drillsim.metrics.rescue import rescue_calls, rescue_points, rescue_takers
from drillsim.metrics.response import COMPONENTS
from drillsim.metrics.standards import NFPA_BY_SEGMENT
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.findings import (
    control_note,
    level_name,
    measure_text,
    measured_here,
    overall_score,
    rated_objectives,
    target_text,
    unanswered_text,
    unreachable_text,
)

FIRE_STANDARDS = ("five_minute_share", "nfpa_turnout_share", "nfpa_travel_share")
"""The fire-service standards' metrics: the summary shows each only where the drill has
calls it is measured over (:func:`~drillsim.report.findings.measured_here`)."""
LOAD = ("calls_queued", "mutual_aid_calls", "calls_unmet", "utilisation_max")
RELIEF = ("people_displaced", "people_unsheltered", "relief_share_10h", "relief_t95",
          "relief_t100")
WARNING = ("warning_t95", "warning_share_1h")
RESCUE = ("rescue_first_arrival_p90",)
CHEMICAL = ("hazmat_first_arrival", "people_above_aegl1", "people_above_aegl2",
            "people_above_aegl3", "person_minutes_aegl2", "evacuation_time",
            "responders_exposed")
STATUS = {"met": "sum.met", "not_met": "sum.not_met", "not_measured": "not_measured"}
"""Objective status -> its wording."""


@dataclass
class SummaryTable:
    """One table of the summary, every cell already text in the summary's language.

    Attributes
    ----------
    title
        Title above the table.
    columns
        Column headings.
    rows
        Cells, row by row.
    styles
        Per row: ``good``, ``bad``, ``warn`` or ``""``.
    right
        Indices of the columns aligned right (numbers).
    notes
        Lines printed under the table.
    """

    title: str
    columns: list[str]
    rows: list[list[str]] = field(default_factory=list)
    styles: list[str] = field(default_factory=list)
    right: tuple[int, ...] = ()
    notes: list[str] = field(default_factory=list)

    def add(self, *cells: str, style: str = "") -> None:
        self.rows.append(list(cells))
        self.styles.append(style)


def _metric(ctx: ReportContext, name: str) -> str:
    info = METRICS[name]
    return info.zh if ctx.lang == "zh" else info.en


def _count(v: float) -> str:
    return "—" if math.isnan(v) else tx.count(v)


def _measures(ctx: ReportContext, title: str, names: tuple[str, ...]) -> SummaryTable:
    t = SummaryTable(title, [ctx.say("sum.col_measure"), ctx.say("sum.col_value")], right=(1,))
    for name in names:
        t.add(_metric(ctx, name), measure_text(ctx, name))
    return t


def header(ctx: ReportContext, wall_s: float) -> tuple[str, str]:
    """The drill's name and one line on the run."""
    s, rows = ctx.scenario, ctx.summary.rows
    title = ctx.name(s.name, s.name_zh) if ctx.lang == "zh" else \
        s.name + (f" / {s.name_zh}" if s.name_zh else "")
    line = ctx.say("sum.run_line", start=f"{s.start:%Y-%m-%d %H:%M}",
                   hours=f"{s.duration / 3600:.1f}", seed=ctx.result.seed,
                   incidents=ctx.say("sum.run_incidents_one") if len(rows) == 1
                   else ctx.say("sum.run_incidents", n=len(rows)),
                   background=sum(r.background for r in rows),
                   events=tx.count(len(ctx.result.records)), wall=f"{wall_s:.2f}")
    return title, line


def incidents_table(ctx: ReportContext, all_incidents: bool) -> SummaryTable:
    """Every scripted incident, named as the report names it (with ``all_incidents``,
    background calls and each water rescue call too; otherwise :func:`rescue_points_table`
    sums the rescue calls up per point)."""
    lg = ctx.lang
    shown = [r for r in ctx.summary.rows
             if all_incidents or not (r.background or r.kind == "flood_rescue")]
    fires = any(r.kind == "fire" for r in shown)  # the fire size column is for fires only
    keys = ["sum.col_incident", "sum.col_type", "sum.col_first_arrival",
            "sum.col_full_assignment", *(["sum.col_fire_at_arrival"] if fires else []),
            "fire.col_alarms", "sum.col_units", "sum.col_control", "sum.col_note"]
    t = SummaryTable(ctx.say("sum.incidents"), [ctx.say(k) for k in keys],
                     right=tuple(range(2, len(keys) - 1)))
    for r in shown:
        note = ctx.say("sep_list").join(ctx.say(k) for k, flag in (
            ("sum.note_queued", r.queued), ("sum.note_mutual_aid", r.mutual_aid),
            ("sum.note_unmet", r.unmet), ("sum.note_unreachable", r.unreachable)) if flag)
        if r.entry_after_end:
            note = ctx.say("sep_list").join(filter(None, [note, control_note(ctx, r)]))
        fire = r.q_first_arrival_kw
        size = ["—" if math.isnan(fire) else tx.fire_size(fire, lg)] if fires else []
        t.add(ctx.incident_short(r.incident), tx.incident_type(r.occupancy, r.kind, lg),
              tx.minutes(r.response, lg),
              tx.minutes(r.call_to_full_assignment, lg), *size, tx.count(r.alarms),
              tx.count(r.units_sent), tx.minutes(COMPONENTS["control"].of(r), lg), note,
              style="bad" if r.unmet else "")
    t.notes += unreachable_text(ctx) + unanswered_text(ctx)
    return t


def components_table(ctx: ReportContext) -> SummaryTable:
    """50th and 90th percentiles of each response component."""
    t = SummaryTable(ctx.say("sum.components"),
                     [ctx.say("sum.col_component"), "P50", "P90", ctx.say("sum.col_n")],
                     right=(1, 2, 3))
    for name, vals in ctx.summary.components.items():
        comp = COMPONENTS[name]
        std = NFPA_BY_SEGMENT.get(name)  # a segment with a standard: in its scale
        limit = std.threshold_s if std else math.inf
        t.add(comp.zh if ctx.lang == "zh" else comp.en, tx.against(vals["p50"], limit, ctx.lang),
              tx.against(vals["p90"], limit, ctx.lang), str(vals["n"]))
    return t


def has_relief(ctx: ReportContext) -> bool:
    """Relief is in the drill: a rainstorm, or people displaced (a release's evacuees)."""
    return ctx.scenario.flood is not None or any(r.event == "displaced" for r in ctx.records)


def relief_table(ctx: ReportContext) -> SummaryTable:
    """Relief measures, the bottleneck from the records and the item that binds."""
    from drillsim.report.flood import bottleneck_name, relief_value

    s = ctx.scenario
    relief = has_relief(ctx)
    names = (RELIEF if relief else ()) + \
        (RESCUE if any(r.kind == "flood_rescue" for r in ctx.summary.rows) else ()) + \
        (WARNING if s.warning is not None else ())
    t = _measures(ctx, ctx.say("sum.relief"), names)
    if not relief:
        return t
    for row in t.rows:  # the share within the target, when it falls after the drill's end
        if row[0] == _metric(ctx, "relief_share_10h"):
            row[1] = relief_value(ctx, "relief_share_10h")
    found = bottleneck(ctx.result)
    name = found["bottleneck"]
    short = found["shortfall"]
    if name == "stock" and short.capped:
        t.add(ctx.say("sum.bottleneck"), ctx.say(
            "sum.bottleneck_binding", item=item_name(short.binding.item, ctx.lang),
            covered=f"{short.covered:,}", displaced=f"{short.displaced:,}",
            capped=f"{short.capped:,}"), style="bad")
    elif name == "left_late":
        t.add(ctx.say("sum.bottleneck"), ctx.say(
            "sum.bottleneck_left_late", late=f"{short.left_late:,}",
            missed=f"{short.missed:,}"), style="bad")
    elif name:
        t.add(ctx.say("sum.bottleneck"), ctx.say(
            "sum.bottleneck_value", cause=bottleneck_name(ctx, found),
            hours=tx.count(found['person_hours'][name])))
    if short.capped and name != "stock":  # an item binds only when it caps relief below
        c = short.binding  # the displaced; the bottleneck row names it when it is the stock
        t.add(ctx.say("sum.binding_item"), ctx.say(
            "sum.binding_item_value", item=item_name(c.item, ctx.lang),
            people=tx.count(c.people), displaced=_count(short.displaced)), style="bad")
    return t


def item_name(item: str, lang: str) -> str:
    """A relief item's name in ``lang`` (:func:`drillsim.report.text.term`)."""
    return tx.term("item", item, lang)


def caps_table(ctx: ReportContext) -> SummaryTable | None:
    """People each relief item's stock covers (stock / ration per person)."""
    caps = item_caps(ctx.result)
    if not caps or not has_relief(ctx):
        return None
    capped = bottleneck(ctx.result)["shortfall"].capped > 0
    # the mark column only when an item binds (the fewest covers fewer than the displaced)
    t = SummaryTable(ctx.say("sum.item_caps"), [ctx.say(k) for k in (
        "sum.col_item", "sum.col_stock", "sum.col_ration", "sum.col_people_covered")] + (
        [ctx.say("sum.col_binds")] if capped else []), right=(1, 2, 3))
    for k, c in enumerate(caps):
        binds = k == 0 and capped
        mark = [ctx.say("sum.binds") if binds else ""] if capped else []
        t.add(item_name(c.item, ctx.lang), tx.count(c.stock), f"{c.ration:g}",
              tx.count(c.people), *mark, style="warn" if binds else "")
    return t


def shelters_table(ctx: ReportContext) -> SummaryTable | None:
    """Per shelter that admitted people: admitted, relieved in target, t95, t100."""
    rows = shelter_table(ctx.result) if has_relief(ctx) else []
    if not rows:
        return None
    from drillsim.report.flood import relieved_header

    t = SummaryTable(ctx.say("sum.shelters"), [
        ctx.say("sum.col_shelter"), ctx.say("sum.col_admitted"), relieved_header(ctx),
        ctx.say("sum.col_t95"), ctx.say("sum.col_t100")], right=(1, 2, 3, 4))
    for row in rows:
        p = ctx.world.places.get(str(row["shelter"]))
        name = ctx.name(p.name_en, p.name_zh) if p is not None else str(row["shelter"])
        t.add(name, tx.count(row['admitted']), tx.count(row['relieved_in_target']),
              tx.minutes(row["t95_s"], ctx.lang), tx.minutes(row["t100_s"], ctx.lang))
    return t


def evacuation_table(ctx: ReportContext) -> SummaryTable | None:
    """Where the evacuees went: origin → shelter, way, people, route km and travel min
    (median / longest), re-routed (:func:`~drillsim.metrics.evacuation.evacuation_flows`)."""
    from drillsim.report.flood import origin_name

    flows = evacuation_flows(ctx.result) if ctx.scenario.flood is not None else []
    if not flows:
        return None
    t = SummaryTable(ctx.say("sum.evacuation"), [ctx.say(k) for k in (
        "flood.col_evac_origin", "sum.col_shelter", "flood.col_evac_way",
        "flood.col_evac_people", "flood.col_evac_km", "flood.col_evac_min",
        "flood.col_evac_rerouted")], right=(3, 4, 5, 6))
    for f in flows:
        t.add(origin_name(ctx, f.origin), ctx.place_name(f.shelter),
              ctx.say("flood.evac_on_foot" if f.by == "foot" else "flood.evac_rescued"),
              tx.count(f.people), f"{f.median_m / 1000:.2f} / {f.max_m / 1000:.2f}",
              f"{f.median_s / 60:.1f} / {f.max_s / 60:.1f}", tx.count(f.rerouted))
    return t


def owner_name(ctx: ReportContext, owner: str) -> str:
    """A team's, fire station's or mutual aid's name in the summary's language."""
    if owner == "":
        return ctx.say("sum.nobody")
    if owner == "mutual_aid":
        return ctx.say("sum.note_mutual_aid")
    for spec in (*ctx.scenario.forces.teams, *ctx.scenario.forces.stations):
        if spec.id == owner and (spec.name_en or spec.name_zh):
            return ctx.name(spec.name_en, spec.name_zh)
    p = ctx.world.places.get(owner)
    return ctx.name(p.name_en, p.name_zh) if p is not None else owner


def rescue_points_table(ctx: ReportContext) -> SummaryTable | None:
    """The water rescue calls per waterlogging point (:func:`rescue_points`): a flood
    drill makes dozens, the incident table lists them only with ``--all``."""
    calls = rescue_calls(ctx.summary.rows, math.inf)
    if not calls.calls:
        return None
    lg = ctx.lang
    t = SummaryTable(ctx.say("sum.rescue_points"), [ctx.say(k) for k in (
        "sum.col_point", "sum.col_calls", "sum.col_arrival_p50", "sum.col_arrival_max",
        "sum.col_queued", "sum.col_mutual_aid", "sum.col_unmet")], right=(1, 2, 3, 4, 5, 6))
    for p in rescue_points(calls):
        t.add(ctx.point_name(p.point), tx.count(p.calls), tx.minutes(p.response_p50, lg),
              tx.minutes(p.response_max, lg), tx.count(p.queued), tx.count(p.mutual_aid),
              tx.count(p.unmet), style="bad" if p.unmet else "")
    return t


def rescue_table(ctx: ReportContext) -> SummaryTable | None:
    """Who reached the water rescue calls first, by team or station."""
    calls = rescue_calls(ctx.summary.rows, math.inf)
    if not calls.calls:
        return None
    n = len(calls.calls)
    t = SummaryTable(ctx.say("sum.rescues", calls=n), [ctx.say(k) for k in (
        "sum.col_responder", "sum.col_first_on", "sum.col_response_p50")], right=(1, 2))
    owners = {u.id: u.station for u in ctx.result.units}
    for taker in rescue_takers(calls, owners):
        t.add(owner_name(ctx, taker.owner), ctx.say("sum.first_on_value", n=taker.first, calls=n),
              tx.minutes(taker.response_p50, ctx.lang), style="bad" if not taker.owner else "")
    return t


def chemical_tables(ctx: ReportContext) -> list[SummaryTable]:
    """The release: leak end, hazmat arrival, isolation and ERG distance, the threat zones
    per weather state with the subdistricts inside, and the model limits."""
    if ctx.scenario.chemical is None:
        return []
    from drillsim.hazards.chemical_zones import LEVELS
    from drillsim.metrics.chemical import zone_reach
    from drillsim.report import chemical as ch

    f = ch.facts(ctx)
    t = _measures(ctx, ctx.say("sum.chemical"), CHEMICAL)
    t.right = ()  # sentences beside the numbers
    t.rows.insert(0, [ctx.say("chem.end_of_leak"), ch.leak_end_value(ctx)])
    t.styles.insert(0, "")
    e = f.erg
    t.add(ctx.say("chem.isolation"), (
        ctx.say("chem.isolation_radius", radius=f"{f.isolation_m:.0f}")
        + (ctx.say("chem.erg_distance", day=f"{e.day_km:.1f}", night=f"{e.night_km:.1f}")
           if e is not None else "")
        + (ctx.say("chem.order_downwind", metres=tx.count(f.downwind_m))
           if math.isfinite(f.downwind_m) else "")).lstrip("; ；"))
    z = SummaryTable(ctx.say("sum.zones"), [ctx.say(k) for k in (
        "sum.col_weather", "sum.col_zone", "sum.col_gauss_length", "sum.col_dense_length",
        "sum.col_residents", "sum.col_subdistricts", "sum.col_communities")], right=(2, 3, 4))
    for st, zones in zone_reach(ctx.result, ctx.world, f):
        weather = ctx.say("chem.weather_from", offset=tx.offset(st.t)) + " " + ctx.say(
            "chem.weather_later", u=f"{st.u:g}", wind=ch._wind_from(ctx, st.wind_from),
            cls=st.cls)
        for k, lvl in enumerate(sorted(LEVELS, reverse=True)):
            zr = zones[lvl]
            z.add(weather if k == 0 else "", f"AEGL-{lvl}", ch.gauss_length_text(zr),
                  ch.dense_length_text(ctx, zr), tx.count(round(zr.residents)),
                  ch.areas_text(ctx, zr.subdistricts), ch.areas_text(ctx, zr.communities))
        dr = ch.downwind_reach(ctx).get(st.t)
        if dr is not None:  # the ERG square the order used
            z.add("", ch.downwind_label(ctx, dr.action, dr.side_m), "—", "—",
                  tx.count(round(dr.residents)), ch.areas_text(ctx, dr.subdistricts),
                  ch.areas_text(ctx, dr.communities))
    people, com = ch.population_kind(ctx)
    z.notes.append(ctx.say("sum.zones_note" if ch.dense_release(ctx) else "sum.zones_note_gauss",
                           people=ctx.say({"synthetic": "sum.people_synthetic",
                                           "listed": "sum.people_listed",
                                           "grid": "sum.people_grid"}[people]),
                           communities=ctx.say({"synthetic": "sum.com_synthetic",
                                                "listed": "sum.com_listed",
                                                "mixed": "sum.com_mixed"}[com])))
    out = [t, z]
    lim = [*ch.limits(ctx), *ch.report_limits(ctx)]
    if lim:
        m = SummaryTable(ctx.say("sum.model_limits"), [ctx.say("chem.col_model_limit")])
        for w in lim:
            m.add(w)
        out.append(m)
    return out


def objectives_table(ctx: ReportContext) -> SummaryTable | None:
    """Each objective: what it measures, target, measured value and result."""
    if not ctx.summary.objectives:
        return None
    t = SummaryTable(ctx.say("sum.objectives"), [ctx.say(k) for k in (
        "id", "metric", "target", "measured", "rating")], right=(3,))
    for ro in rated_objectives(ctx):  # rated as the report rates them (capped, too)
        res = ro.res
        critical = ctx.say("sum.critical") if res.objective.critical else ""
        capped = res.status == "met" and bool(ro.failures or ro.beyond or ro.late)
        said = ctx.say("sum.met_capped", code=ro.rating.code,
                       level=level_name(ctx, ro.rating)) if capped \
            else ctx.say(STATUS[res.status])
        t.add(res.objective.id + critical, _metric(ctx, res.objective.metric),
              target_text(ctx, res.objective), tx.value(res.value, res.unit, ctx.lang), said,
              style="warn" if capped else {"met": "good", "not_met": "bad"}.get(res.status,
                                                                                "warn"))
    t.notes.append(score_line(ctx))
    return t


def score_line(ctx: ReportContext) -> str:
    """The overall score as the report gives it (:func:`drillsim.report.findings.overall_score`)
    with its grade, and the critical objectives that capped it."""
    from drillsim.report.ratings import CRITICAL_CAP, grade, mean_score
    from drillsim.report.render import grade_name

    score, failed = overall_score(ctx)
    name = grade_name(grade(score), ctx.lang)
    if not failed:
        return ctx.say("sum.score", score=f"{score:.0f}", grade=name)
    return ctx.say("sum.score_capped", score=f"{score:.0f}", grade=name,
                   ids=ctx.say("sep_words").join(r.objective.id for r in failed),
                   cap=f"{CRITICAL_CAP:.0f}",
                   mean=f"{mean_score([r.rating for r in rated_objectives(ctx)]):.0f}")


def summary_tables(ctx: ReportContext, *, all_incidents: bool = False) -> list[SummaryTable]:
    """Every table of the summary, in order, only those the drill's contents call for."""
    out: list[SummaryTable | None] = [incidents_table(ctx, all_incidents)]
    if not all_incidents:
        out.append(rescue_points_table(ctx))
    out.append(components_table(ctx))
    standards = tuple(m for m in FIRE_STANDARDS if measured_here(ctx, m))
    if standards:  # only the measures that apply to the drill's calls
        out.append(_measures(ctx, ctx.say("sum.standards"), standards))
    out.append(_measures(ctx, ctx.say("sum.load"), LOAD))
    s = ctx.scenario
    if s.flood is not None or s.warning is not None or has_relief(ctx):
        out += [relief_table(ctx), caps_table(ctx), rescue_table(ctx), shelters_table(ctx),
                evacuation_table(ctx)]
    out += chemical_tables(ctx)
    out.append(objectives_table(ctx))
    return [t for t in out if t is not None and t.rows]
