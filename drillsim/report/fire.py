"""The fire and rescue part of the report: incidents, response times, bottlenecks.

Bottlenecks come from the records: for an objective not fully met, the incidents
that drove its metric are taken apart into the segments of their response
(detection, call processing, queueing for a free unit, turnout, travel, mutual
aid), the largest segment is named, and what else the records show at the time
(units out of service, closed roads and the extra travel they caused,
escalations, a communications delay, a call surge) is listed with it.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

from drillsim.hazards.fire_growth import OCCUPANCIES, SETUP_S
from drillsim.metrics.catalog import METRICS
from drillsim.metrics.evaluation import LATE_CALL_S, OPS
from drillsim.metrics.evaluation import late_calls as ev_late_calls
from drillsim.metrics.fire_water import FireWater, fire_water, first_alarm
from drillsim.metrics.response import (
    COMPONENTS,
    MIN_CASES,
    Assignment,
    IncidentRow,
    ResponseSegments,
    Turnout,
    Wait,
    after_control,
    call_surge_span,
    call_waits,
    comms_delay_at,
    escalation,
    fire_station_turnouts,
    five_minute_cases,
    grew_while_waiting,
    held_at,
    largest_fires,
    metric_cases,
    missed_measure,
    mutual_aid_cap_reached,
    never_came,
    open_calls,
    queued_needs,
    response_segments,
    segment_shares,
    size_at,
    uncontrolled,
    unit_activity,
    value_if_sooner,
    waited_s,
)
from drillsim.metrics.roads import (
    NOTICEABLE_S,
    nearer_of_type,
    outage_effect,
    time_from_home,
)
from drillsim.metrics.standards import (
    FIRE_CALLS,
    FIVE_MINUTE,
    NFPA_BY_SEGMENT,
    NFPA_PROCESSING,
    NFPA_TRAVEL,
    NFPA_TURNOUT,
    rescue_target_s,
)
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.figures import (
    MIN_FONT,
    SEGMENT_STYLE,
    finite,
    png,
    pyplot,
    style_axes,
    thicken,
)
from drillsim.report.findings import (
    beyond_objectives,
    case_values,
    control_cell,
    control_note,
    draft_action,
    few_cases,
    finding_title,
    gap_text,
    measure_text,
    measured_sentence,
    named,
    observation,
    rated_objectives,
    restates_objective,
    target_text,
    unanswered_text,
    unreachable_text,
)
from drillsim.report.registry import (
    Action,
    Figure,
    Finding,
    HazardPart,
    Section,
    Table,
    register,
)
from drillsim.report.wording import say

# ----------------------------------------------------------------------------- owners

SEGMENT_WORDING = {
    "detection": "fire.segment_detection",
    "processing": "fire.segment_processing",
    "queue": "fire.segment_queue",
    "turnout": "fire.segment_turnout",
    "travel": "fire.segment_travel",
    "aid": "fire.segment_aid",
}
"""The name of each response segment (a wording key)."""
# What to do about the largest segment: (action wording, owner key, capability key)
SEGMENT_ACTIONS = {
    "detection": ("fire.action_detection", "subdistricts", "warning"),
    "processing": ("fire.action_processing", "command", "command"),
    "queue": ("fire.action_queue", "detachment", "resources"),
    "turnout": ("fire.action_turnout", "detachment", "mobilisation"),
    "travel": ("fire.action_travel", "detachment", "operations"),
    "aid": ("fire.action_aid", "bureau", "resources"),
}

FIRST_MINUTES = {
    "residential": ("fire.action_first_minutes", "community"),
    "workplace": ("fire.action_first_minutes_workplace", "premises"),
    "care": ("fire.action_first_minutes_care", "premises"),
    "outdoor": ("fire.action_first_minutes_outdoor", "community"),
}
"""What acts in the first minutes, by the occupancy's ``first_minutes`` class
(``drillsim/data/occupancies.json``): (action wording, owner key)."""


def _first_minutes(occupancy: str) -> str:
    """The occupancy's first-minutes class (``residential`` for an unknown type)."""
    occ = OCCUPANCIES.get(occupancy)
    return occ.first_minutes if occ is not None and occ.first_minutes in FIRST_MINUTES \
        else "residential"


# ----------------------------------------------------------------------------- decomposition


@dataclass(frozen=True)
class Draft:
    """An improvement action a fact calls for: its wording with the fields filled, owner
    and capability (the fields hold no language-dependent text)."""

    key: str
    values: tuple[tuple[str, str], ...]
    owner: str
    capability: str

    def text(self, lang: str) -> str:
        return say(lang, self.key, **dict(self.values))

    def action(self, ctx: ReportContext, ref: str) -> Action:
        return draft_action(ctx, self.text(ctx.lang), self.owner, self.capability, ref)


def _draft(key: str, owner: str, capability: str, **values: str) -> Draft:
    return Draft(key, tuple(sorted(values.items())), owner, capability)


@dataclass(frozen=True)
class Breakdown:
    """One incident's response up to an end point, in segments (seconds), with the facts
    the records show around it (worded in the report language) and the actions they call
    for."""

    incident: str
    unit: str
    end: float
    segments: dict[str, float]
    facts: list[str]
    actions: list[Draft]
    held: list[str]
    """Where the district's units were held when the call queued (one item per place)."""
    saved: float = 0.0
    """How much sooner the first unit would have arrived without the delays the records
    show (a closure or an outage that cost the first-due unit its place: the larger; plus
    a communications delay), s; to the full assignment, how much sooner the first alarm
    would have been complete had its last unit arrived with the rest."""


def activity(ctx: ReportContext) -> dict[str, list[Assignment]]:
    """Every unit's assignments (:func:`drillsim.metrics.response.unit_activity`), once."""
    if "unit_activity" not in ctx.extra:
        ctx.extra["unit_activity"] = unit_activity(ctx.result)
    return ctx.extra["unit_activity"]


def turnouts(ctx: ReportContext) -> list[Turnout]:
    """The fire-station turnouts the turnout metrics count, once."""
    if "turnouts" not in ctx.extra:
        ctx.extra["turnouts"] = fire_station_turnouts(ctx.result, activity(ctx))
    return ctx.extra["turnouts"]


def segments(ctx: ReportContext, row: IncidentRow, endpoint: str = "first",
             from_ignition: bool = False) -> ResponseSegments:
    """The segments of an incident's response (computed by the metrics)."""
    return response_segments(ctx.result, row, activity(ctx), endpoint, from_ignition)


def breakdown(ctx: ReportContext, row: IncidentRow, endpoint: str = "first",
              from_ignition: bool = False) -> Breakdown:
    """Split an incident's response up to its first (or full-assignment) arrival."""
    rs = segments(ctx, row, endpoint, from_ignition)
    facts: list[str] = []
    actions: list[Draft] = []
    held: list[str] = []
    a = rs.assignment
    gains: list[float] = []  # how much sooner the first unit arrives without each cause
    if a is not None and not a.mutual_aid and not math.isnan(a.enroute):
        _travel_facts(ctx, row, a, facts, actions, gains)
    comms = _context_facts(ctx, row, facts, actions, held, gains,
                           waited=rs.segments.get("queue", 0.0) > 0)
    if endpoint == "first":
        saved = max(gains, default=0.0) + comms
    else:
        saved = _first_alarm_facts(ctx, row, facts, actions)
    return Breakdown(row.incident, rs.unit, rs.end, rs.segments, facts, actions, held, saved)


def _travel_facts(ctx: ReportContext, row: IncidentRow, a: Assignment,
                  facts: list[str], actions: list[Draft], gains: list[float]) -> None:
    """What closed roads cost the units sent to an incident (every unit a closure delayed,
    :attr:`ReportContext.closure_delays`), and the first unit's route changes when they
    made it late."""
    delays = [d for d in ctx.closure_delays if d.incident == row.incident]
    for d in delays:
        road = ctx.say("fire.name_value", incident=ctx.road_name(d.road), value=d.inject)
        if d.first_due:
            facts.append(ctx.say("fire.fact_closed_first_due", road=road,
                                 unit=ctx.unit_label(d.unit),
                                 extra=tx.minutes(d.delay, ctx.lang),
                                 at=tx.offset(d.arrival_open), first=tx.offset(d.first_arrival)))
            gains.append(d.first_arrival - d.arrival_open)
            q_open = size_at(ctx.result, row.incident, d.arrival_open)
            if row.kind == "fire" and math.isfinite(q_open):
                facts[-1] = ctx.say("join_sentences", first=facts[-1], then=ctx.say(
                    "fire.fact_closed_size", q_open=tx.value(q_open, "kW", ctx.lang),
                    q_first=tx.value(row.q_first_arrival_kw, "kW", ctx.lang)))
            actions.append(_draft("fire.action_closed_road", "traffic", "traffic", roads=road))
        else:
            facts.append(ctx.say("fire.fact_closed_not_first", road=road,
                                 unit=ctx.unit_label(d.unit),
                                 extra=tx.minutes(d.delay, ctx.lang),
                                 at=tx.offset(d.arrival_open), first=tx.offset(d.first_arrival)))
    closed = [c for c in ctx.road_closures if c.start < a.arrive and c.end > a.dispatch]
    if closed and not delays:
        roads = ctx.say("sep_words").join(ctx.say("fire.name_value",
                                                  incident=ctx.road_name(c.road),
                                                  value=c.inject) for c in closed)
        facts.append(ctx.say("fire.fact_closed_no_delay", roads=roads))
    if a.reroutes and a.late > NOTICEABLE_S:  # a route change that cost nothing is no fact
        facts.append(ctx.say("fire.fact_reroutes", unit=ctx.unit_label(a.unit),
                             times=times(ctx, a.reroutes), late=tx.minutes(a.late, ctx.lang)))


def _first_alarm_facts(ctx: ReportContext, row: IncidentRow, facts: list[str],
                       actions: list[Draft]) -> float:
    """A fire's first alarm completed by a unit that arrived well after the rest of it
    (:func:`drillsim.metrics.fire_water.first_alarm`): the fact, and when no unit of its
    type was nearer (:func:`drillsim.metrics.roads.nearer_of_type`: it was the nearest the
    dispatcher could send) the action to have one nearer; returns how much sooner the
    first alarm would have been complete had it arrived with the rest, s (0: none)."""
    fa = first_alarm(ctx.result, row)
    if fa is None or not math.isfinite(fa.rest_arrive) \
            or fa.last_arrive - fa.rest_arrive <= NOTICEABLE_S or not fa.last_eta > fa.rest_eta:
        return 0.0
    unit = ctx.units.get(fa.last)
    if unit is None or unit.station == "mutual_aid":
        return 0.0
    lang = ctx.lang
    fields = dict(unit=ctx.unit_label(fa.last), station=ctx.place_name(unit.station),
                  at=tx.offset(fa.last_arrive), lag=tx.minutes(fa.last_arrive - fa.rest_arrive,
                                                               lang),
                  rest=tx.join((ctx.unit_label(u) for u in fa.rest), lang, words=True),
                  eta=tx.minutes(fa.last_eta, lang), rest_eta=tx.minutes(fa.rest_eta, lang))
    nearer = nearer_of_type(ctx.result, ctx.world, fa.last, row.node, fa.rest)
    if nearer:
        facts.append(ctx.say("fire.fact_last_unit_nearer", **fields, nearer=tx.join(
            (ctx.unit_label(u) for u in nearer), lang, words=True)))
        return fa.last_arrive - fa.rest_arrive
    facts.append(ctx.say("fire.fact_last_unit_far", **fields))
    rest = [ctx.units[u] for u in fa.rest if u in ctx.units]
    home = next((u.station for u in rest if u.station != "mutual_aid"), unit.station)
    actions.append(_draft("fire.action_last_unit_far", "detachment", "resources",
                          type=tx.term("unit", unit.type, lang), near=ctx.place_name(home),
                          kind=tx.incident_type(row.occupancy, row.kind, lang),
                          unit=fields["unit"], eta=fields["eta"], rest_eta=fields["rest_eta"],
                          far=fields["station"]))
    return fa.last_arrive - fa.rest_arrive


def _context_facts(ctx: ReportContext, row: IncidentRow, facts: list[str],
                   actions: list[Draft], held: list[str], gains: list[float],
                   waited: bool) -> float:
    """What the records show around a call; what kept units away (units held elsewhere,
    the mutual-aid cap, a call surge) only when the response ``waited`` for a free unit.
    Appends to ``gains`` how much sooner the first unit would have arrived without an
    outage; returns the communications delay at the call, s."""
    t_call = row.call
    if math.isnan(t_call):
        return 0.0
    for u in ctx.units_out_at(t_call):  # running text: the station in the page's language
        station = ctx.place_name(ctx.units[u].station) if u in ctx.units else ""
        # blame the outage only when the unit would have been first on scene
        effect = outage_effect(ctx.result, ctx.world, row, u, ctx.road_closures)
        if effect is None:
            eta = time_from_home(ctx.result, ctx.world, u, row.node)
            near = ctx.say("fire.from_scene", minutes=tx.minutes(eta, ctx.lang)) \
                if math.isfinite(eta) else ""
            facts.append(ctx.say("fire.fact_out_of_service", unit=u, station=station,
                                 near=near))
        elif effect.first_due:
            facts.append(ctx.say("fire.fact_out_first_due", unit=u, station=station,
                                 at=tx.offset(effect.arrival), first=tx.offset(effect.actual),
                                 delay=tx.minutes(effect.delay, ctx.lang)))
            actions.append(_draft("fire.action_out_of_service", "detachment", "resources",
                                  unit=u))
            gains.append(effect.delay)
        else:
            facts.append(ctx.say("fire.fact_out_not_first", unit=u, station=station,
                                 at=tx.offset(effect.arrival), first=tx.offset(effect.actual)))
    esc = escalation(ctx.result, row)
    if esc is not None:
        esc_fields = dict(times=times(ctx, esc.count), at=tx.offset(esc.first_t),
                          size=tx.value(esc.first_q_kw, "kW", ctx.lang))
        fa = first_alarm(ctx.result, row)
        if fa is None or fa.short:  # more units were needed than the first alarm sent
            facts.append(ctx.say("fire.fact_escalated", **esc_fields))
            actions.append(_draft("fire.action_escalate", "detachment", "command",
                                  kind=tx.incident_type(row.occupancy, row.kind, ctx.lang)))
        else:  # escalated before the first alarm was all there: it came late, not small
            facts.append(ctx.say("fire.fact_escalated_early", **esc_fields,
                                 water=f"{fa.water_l_s:,.1f} L/s",
                                 need=f"{fa.need_first_l_s:,.1f} L/s"))
    if row.mutual_aid:
        facts.append(ctx.say("fire.fact_mutual_aid"))
    delay = comms_delay_at(ctx.result, t_call)
    if delay > 0:
        facts.append(ctx.say("fire.fact_comms_delay", delay=tx.minutes(delay, ctx.lang)))
        actions.append(_draft("fire.action_comms", "command", "comms"))
    if waited:  # what kept units away matters only to a call that waited for one
        _waiting_facts(ctx, row, facts, actions, held)
        surge, start, end = call_surge_span(ctx.result, t_call)
        if surge > 1:
            facts.append(ctx.say("fire.fact_call_surge", factor=f"{surge:g}",
                                 start=tx.offset(start), end=tx.offset(end))
                         if math.isfinite(end) else
                         ctx.say("fire.fact_call_surge_open", factor=f"{surge:g}",
                                 start=tx.offset(start)))
    return max(delay, 0.0)


def times(ctx: ReportContext, n: int) -> str:
    """How many times, in the page's language ("once", "2 times"; "1次")."""
    return ctx.say("fire.once") if n == 1 else ctx.say("fire.n_times", n=n)


def _waiting_facts(ctx: ReportContext, row: IncidentRow, facts: list[str],
                   actions: list[Draft], held: list[str]) -> None:
    """Why a call waited for a free unit: where the district's units were held when it
    queued (and until when), and whether mutual aid had reached its cap by then."""
    needs = queued_needs(ctx.result, row.incident) or None
    holders = held_at(ctx.result, activity(ctx), row.queued_at, row.incident, needs)[:2]
    for h in holders:
        until = tx.offset(h.until) if math.isfinite(h.until) else ctx.say("fire.to_the_end")
        incident = h.incident in ctx.rows  # else a task's place (a pump site)
        at = ctx.incident_short(h.incident) if incident else (
            ctx.point_name(h.incident) if ctx.point_spec(h.incident) else
            ctx.place_name(h.incident))
        held.append(ctx.say("fire.held_item", at=at, until=until,
                            units=tx.join((ctx.unit_label(u) for u in h.units), ctx.lang,
                                          words=True)))
        if incident and len(h.units) > 1:
            actions.append(_draft("fire.action_release_units", "detachment", "resources",
                                  at=h.incident))
    cap_t = mutual_aid_cap_reached(ctx.result)
    aid = ctx.scenario.forces.mutual_aid
    if aid.enabled and cap_t <= row.queued_at:
        facts.append(ctx.say("fire.fact_aid_cap", cap=aid.max_units, at=tx.offset(cap_t)))
        if any(h.incident in ctx.rows and len(h.units) > 1 for h in holders):
            actions.append(_draft("fire.action_aid_cap", "bureau", "resources",
                                  cap=str(aid.max_units)))
        else:  # units held one or so per call: many calls at once, not one long incident
            actions.append(_draft("fire.action_aid_cap_surge", "bureau", "resources",
                                  cap=str(aid.max_units), at=tx.offset(cap_t),
                                  n=len(open_calls(ctx.summary.rows, cap_t))))


WAITING_ACTIONS = {"fire.action_release_units", "fire.action_aid_cap",
                   "fire.action_aid_cap_surge"}
"""Actions a waiting call's causes call for; they replace the general queue action."""

DELAY_ACTIONS = {"fire.action_closed_road", "fire.action_out_of_service", "fire.action_comms",
                 "fire.action_last_unit_far"}
"""Actions of causes the records show delayed a response (a closed road or an outage that
cost the first-due unit its place, a communications delay, a first alarm whose last unit
came from far): after one, the response was not "within the standards"."""


# ----------------------------------------------------------------------------- explainers

# metric -> (per-incident value, end point, from ignition, threshold for share metrics)
_BY_INCIDENT = {
    "first_arrival_p50": (lambda r: r.response, "first", False, None),
    "first_arrival_p90": (lambda r: r.response, "first", False, None),
    "dispatch_to_arrival_p90": (lambda r: r.dispatch_to_arrival, "first", False, None),
    "travel_p90": (lambda r: r.first_unit_travel, "first", False, None),
    "full_assignment_p90": (lambda r: r.call_to_full_assignment, "full", False, None),
    "five_minute_share": (lambda r: r.dispatch_to_arrival, "first", False,
                          FIVE_MINUTE.threshold_s),
    "nfpa_travel_share": (lambda r: r.first_engine_travel, "first", False,
                          NFPA_TRAVEL.threshold_s),
    "fire_size_at_first_arrival_p90": (lambda r: r.q_first_arrival_kw, "first", True, None),
    "fire_size_at_full_assignment_max": (lambda r: r.q_full_assignment_kw, "full", True, None),
    "calls_unmet": (lambda r: float(r.unmet), "first", False, 0.5),
    "calls_queued": (lambda r: float(r.queued), "first", False, 0.5),
    "mutual_aid_calls": (lambda r: float(r.mutual_aid), "first", False, 0.5),
}

_STANDARD_OF = {"five_minute_share": FIVE_MINUTE, "nfpa_travel_share": NFPA_TRAVEL}
"""The standard of each per-incident compliance metric (its incident kinds)."""


def driving_incidents(ctx: ReportContext, metric: str, value: float, op: str,
                      target: float, limit: int = 5) -> list[tuple[IncidentRow, float]]:
    """The incidents that drove a metric: beyond the target (or the threshold of a share
    metric), else those at or beyond the measured value; worst first."""
    fn, _end, _ign, threshold = _BY_INCIDENT[metric]
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    if metric.startswith("fire_size"):
        rows = [r for r in rows if r.kind == "fire"]
    elif metric in _STANDARD_OF:
        rows = [r for r in rows if _STANDARD_OF[metric].applies(r.kind)]
    vals = [(r, fn(r)) for r in rows]
    vals = [(r, v) for r, v in vals if not math.isnan(v)]
    if threshold is not None:
        out = [(r, v) for r, v in vals if v > threshold]
    else:
        bad = [(r, v) for r, v in vals if v > target] if op in ("<=", "<") else []
        out = bad or [(r, v) for r, v in vals if v >= value - 1e-9]
    out.sort(key=lambda rv: (-rv[1] if math.isfinite(rv[1]) else -math.inf, rv[0].incident))
    return out[:limit]


def _unit_of(metric: str) -> str:
    """The unit of the per-incident value that drives ``metric`` (:data:`_BY_INCIDENT`):
    the metric's own, except that a share metric's cases are times."""
    unit = METRICS[metric].unit
    return "seconds" if unit == "share" else unit


def _with_stations(ctx: ReportContext, action: str, stations: list[str]) -> str:
    """An action with the stations it is for."""
    if not stations:
        return action
    return ctx.say("fire.action_at_stations", action=action,
                   stations=ctx.say("sep_semicolon").join(stations))


def _measured(ctx: ReportContext, res, rating) -> str:
    """What an objective measured: below :data:`MIN_CASES` cases each case's value (the
    objective is rated on them: a 90th percentile of one call is that call), else the
    measured value against the target."""
    obj = res.objective
    n = few_cases(ctx, obj.metric)
    if not n:
        return measured_sentence(ctx, res, rating)
    values = case_values(ctx, obj.metric)
    info = METRICS[obj.metric]
    fields = {"values": values, "target": target_text(ctx, obj), "metric": named(ctx, info),
              "value": tx.value(res.value, info.unit, ctx.lang), "gap": gap_text(ctx, res)}
    if n == 1:
        return ctx.say("fire.measured_one", **fields)
    return ctx.say("fire.measured_few", n=n, **fields)


MAX_NAMED_DRIVERS = 2
"""Driving incidents a finding names in its text; more are counted there and listed in
its table (a finding says its cause in a few sentences, the details go in the table)."""


def explain_incident_metric(ctx: ReportContext, res, rating) -> Finding:
    """Bottleneck of an objective whose metric is computed per incident: the measured value,
    the driving incidents (named, or counted when there are more than
    :data:`MAX_NAMED_DRIVERS`), the largest segment and its cause in a few sentences; each
    incident's segments and what the records show around its call in the table."""
    obj = res.objective
    metric = obj.metric
    op, target = obj.bound()
    fn, endpoint, from_ign, threshold = _BY_INCIDENT[metric]
    drivers = driving_incidents(ctx, metric, res.value, op, target)
    title = finding_title(ctx, res, rating)
    paras = [_measured(ctx, res, rating)]
    if not drivers:
        paras.append(ctx.say("fire.no_driving_incident"))
        return Finding(title, obj.id, paras)
    bds = [breakdown(ctx, row, endpoint, from_ign) for row, _ in drivers]
    shares = segment_shares(b.segments for b in bds)
    totals, largest = shares.totals, shares.largest
    unit = _unit_of(metric)

    def _shown(v: float) -> str:
        return ctx.say("fire.yes") if unit == "count" else tx.value(v, unit, ctx.lang)

    shown = tx.join([ctx.say(
        "fire.name_value", incident=ctx.incident_short(row.incident), value=_shown(v))
        for row, v in drivers], ctx.lang, words=True)
    span = ctx.say("fire.ignition") if from_ign else ctx.say("fire.call")
    goal = ctx.say("fire.goal_full") if endpoint == "full" else ctx.say("fire.first_arrival")
    if len(drivers) <= MAX_NAMED_DRIVERS:
        paras.append(ctx.say("fire.driving_incidents", incidents=shown))
    else:  # the table names them with their times
        paras.append(ctx.say("fire.driving_incidents_n", n=len(drivers)))
    if largest:
        paras.append(ctx.say(
            "fire.bottleneck", span=span, goal=goal,
            segment=ctx.say(SEGMENT_WORDING[largest]),
            largest=tx.minutes(totals[largest], ctx.lang),
            whole=tx.minutes(shares.whole, ctx.lang), share=f"{shares.share:.0%}"))
    paras += _held_sentence(ctx, bds)
    # a fact every driving incident shares is a cause: said once; the others go in the table
    common = [f for f in bds[0].facts if all(f in b.facts for b in bds)]
    if common and len(bds) > 1:
        paras.append(ctx.say("fire.facts_of_all", facts=" ".join(common)))
    elif common:  # one driving call: its facts are the cause, said in the text
        paras.append(functools.reduce(
            lambda a, b: ctx.say("join_sentences", first=a, then=b), common))
    shown_ids = {row.incident for row, _ in drivers}
    if all(row.background for row, _ in drivers):
        own = [(r, fn(r)) for r in ctx.summary.rows if not r.background and not r.place
               and r.incident not in shown_ids and not math.isnan(r.call)]
        own = [(r, v) for r, v in own if math.isfinite(v)]
        if own:  # the metric was driven by background calls, not the drill's own incidents
            paras.append(ctx.say("fire.scripted_not_driving", incidents=tx.join([
                ctx.say("fire.name_value", incident=ctx.incident_short(r.incident),
                        value=_shown(v)) for r, v in own], ctx.lang, words=True)))
    cols = [ctx.say("fire.col_incident"), ctx.say("fire.col_unit")] + \
        [ctx.say(SEGMENT_WORDING[k]) for k in SEGMENT_WORDING if k in totals] + \
        [ctx.say("fire.col_total")]
    facts = any(f not in common for b in bds for f in b.facts)
    if facts:  # what the records show around each call: a column, not a paragraph each
        cols.append(ctx.say("fire.col_facts"))
    rows = []
    for b in bds:
        cells = [ctx.incident_label(b.incident), ctx.unit_label(b.unit) if b.unit else "—"]
        cells += [tx.minutes(b.segments.get(k, math.nan), ctx.lang) for k in SEGMENT_WORDING
                  if k in totals]
        cells.append(tx.minutes(sum(b.segments.values()), ctx.lang))
        if facts:
            cells.append(" ".join(f for f in b.facts if f not in common) or "—")
        rows.append(cells)
    table = Table(cols, rows, ctx.say("fire.segments_caption", goal=goal))
    actions = []
    ref = obj.id
    std = NFPA_BY_SEGMENT.get(largest)
    largest_met = std is not None and all(std.met(b.segments.get(largest, 0.0)) for b in bds)
    # segments over their own standard, and causes the records show delayed the response
    # (:data:`DELAY_ACTIONS`): then the response was not "within the standards"
    over = {seg: [b for b in bds if seg in b.segments and not st.met(b.segments[seg])]
            for seg, st in NFPA_BY_SEGMENT.items()}
    over = {seg: lst for seg, lst in over.items() if lst}
    caused = any(b.saved > 0 for b in bds) or \
        any(a.key in DELAY_ACTIONS for b in bds for a in b.actions)
    first_minutes = from_ign and largest_met and not over and not caused
    # cutting the over-standard parts back to their standards and undoing the delays the
    # records show: would that have met the target? if not, they are not the lever
    missed = _out_of_reach(ctx, res, drivers, bds, over) \
        if largest_met and (over or caused) else None
    if largest_met and over:  # the largest part met its standard, another did not
        for seg, lst in over.items():
            paras.append(ctx.say(
                "fire.segment_over_standard", standard=named(ctx, NFPA_BY_SEGMENT[seg]),
                incidents=tx.join((ctx.say("fire.name_value",
                                           incident=ctx.incident_short(b.incident),
                                           value=ctx.say("fire.seconds",
                                                         s=f"{b.segments[seg]:.0f}"))
                                   for b in lst), ctx.lang, words=True)))
    if missed is not None:
        paras.append(missed)
    if first_minutes:
        # the fire outgrew a response whose largest part met its standard: what acts in the
        # first minutes, not that part, is the lever
        paras.append(ctx.say("fire.segment_within_standard",
                             segment=ctx.say(SEGMENT_WORDING[largest]), standard=named(ctx, std)))
    if first_minutes or (missed is not None and from_ign):
        uses = sorted({_first_minutes(ctx.rows[b.incident].occupancy) for b in bds})
        for use in uses:  # worded by who is there before the engines (the occupancy)
            key, owner = FIRST_MINUTES[use]
            actions.append(draft_action(ctx, ctx.say(key), owner, "operations", ref))
    if largest == "queue":  # units the plan never sends to these calls, left idle
        idle_paras, idle_actions = _idle_units(ctx, bds, ref)
        paras += idle_paras
        actions += idle_actions
    if first_minutes:
        pass  # what acts in the first minutes is the lever
    elif largest == "queue" and _team_units(ctx, bds):
        # the calls waited for team units: how fast the teams assembled is the lever
        team_paras, team_actions = _team_mobilisation(ctx, bds, ref)
        paras += team_paras
        actions += team_actions
    elif largest == "queue" and any(a.key in WAITING_ACTIONS for b in bds for a in b.actions):
        pass  # the causes the records show (units held elsewhere, the aid cap) have actions
    elif largest_met and (over or caused):
        # the lever is the segment over its standard, or the causes; neither when cutting
        # them back would not have met the target (``missed``: the first minutes are)
        for seg in over if missed is None else ():
            key, owner, cap = SEGMENT_ACTIONS[seg]
            actions.append(draft_action(ctx, ctx.say(key), owner, cap, ref))
    elif largest:
        key, owner, cap = SEGMENT_ACTIONS[largest]
        text = ctx.say(key)
        if largest == "travel":
            text = _travel_action(ctx, [ctx.rows[b.incident].node for b in bds])
        if largest == "turnout":
            stations = sorted({ctx.station_label(ctx.units[b.unit].station) for b in bds
                               if b.unit in ctx.units})
            text = _with_stations(ctx, text, stations)
        actions.append(draft_action(ctx, text, owner, cap, ref))
    # the same order in both languages: that of the English text
    extra = {a for b in bds for a in b.actions
             if missed is None or a.key != "fire.action_last_unit_far"}
    for a in sorted(extra, key=lambda d: (d.text("en"), d.owner, d.capability)):
        actions.append(a.action(ctx, ref))
    return Finding(title, obj.id, paras, table, actions)


def _out_of_reach(ctx: ReportContext, res, drivers: list[tuple[IncidentRow, float]],
                  bds: list[Breakdown], over: dict[str, list[Breakdown]]) -> str | None:
    """The sentence saying the objective's target was out of reach within the standards,
    or ``None`` when it was not.

    Out of reach: a driving incident would still miss the target had each segment over its
    standard been cut back to it and the delays the records show (a closure, an outage, a
    communications delay: :attr:`Breakdown.saved`) not happened
    (:func:`drillsim.metrics.response.value_if_sooner`). Then neither is the lever, and
    the improvement plan aims at the first minutes.
    """
    op, target = res.objective.bound()
    metric = res.objective.metric
    for (row, value), b in zip(drivers, bds, strict=True):
        cut = {seg: b.segments[seg] - NFPA_BY_SEGMENT[seg].threshold_s
               for seg, lst in over.items() if b in lst}
        saved = sum(cut.values()) + b.saved
        sooner = value_if_sooner(ctx.result, row, metric, value, saved)
        if not math.isfinite(sooner) or OPS[op](sooner, target):
            continue
        cuts = [ctx.say("fire.cut_segment", segment=ctx.say(SEGMENT_WORDING[seg]),
                        limit=ctx.say("fire.seconds",
                                      s=f"{NFPA_BY_SEGMENT[seg].threshold_s:.0f}"))
                 for seg in cut]
        if b.saved > 0:
            cuts.append(ctx.say("fire.cut_delays"))
        unit = _unit_of(metric)
        return ctx.say("fire.out_of_reach", cuts=tx.join(cuts, ctx.lang, words=True),
                       incident=ctx.incident_short(row.incident), saved=_span(ctx, saved),
                       value=tx.value(sooner, unit, ctx.lang),
                       actual=tx.value(value, unit, ctx.lang),
                       target=target_text(ctx, res.objective))
    return None


def _span(ctx: ReportContext, s: float) -> str:
    """A short time span: seconds under a minute, else minutes."""
    return ctx.say("fire.seconds", s=f"{s:.0f}") if s < 60 else tx.minutes(s, ctx.lang)


def _idle_units(ctx: ReportContext, bds: list[Breakdown],
                ref: str) -> tuple[list[str], list[Action]]:
    """District units of types the flood-rescue plan never sends, idle while these rescue
    calls waited (:func:`drillsim.metrics.rescue.idle_while_waiting`), and the water depth
    at the calls' points against the depth that stops fire engines; the action to let
    them take rescues where the water stayed below it."""
    from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M
    from drillsim.metrics.rescue import idle_while_waiting

    if not all(ctx.rows[b.incident].kind == "flood_rescue" for b in bds):
        return [], []
    got = idle_while_waiting(ctx.result, ctx.summary.rows, activity(ctx))
    if got is None or not got.n_idle:
        return [], []
    limit = DEPTH_LIMIT_M["fire_engine"]
    units = ctx.say("sep_words").join(ctx.say(
        "fire.units_of_type", type=tx.term("unit", t, ctx.lang), n=len(ids))
        for t, ids in got.idle.items())
    plan = ctx.say("sep_words").join(tx.term("unit", t, ctx.lang) for t in got.plan_types)
    depths = ctx.say("sep_words").join(ctx.say(
        "fire.name_value", incident=ctx.point_name(p), value=f"{tx.depth(d)} m")
        for p, d in got.peak_depth_m.items())
    para = ctx.say("fire.idle_while_waiting", start=tx.offset(got.start),
                   end=tx.offset(got.end), n=got.n_idle, units=units, plan=plan,
                   depths=depths or "—", limit=f"{limit:.1f} m")
    shallow = got.peak_depth_m and max(got.peak_depth_m.values()) < limit
    if not shallow:
        return [para], []
    action = draft_action(ctx, ctx.say("fire.action_engines_rescue", limit=f"{limit:.1f} m",
                                       n=got.n_idle, plan=plan), "hq", "resources", ref)
    return [para], [action]


def _held_sentence(ctx: ReportContext, bds: list[Breakdown]) -> list[str]:
    """Where the district's units were held when the driving calls queued, in one sentence
    (each place with the calls that waited while it held them; none when no call waited).
    Call names can hold commas: lists of calls are separated by semicolons. The calls' other
    facts are said once when all share them, else in the finding's table."""
    by_held: dict[str, list[str]] = {}
    for b in bds:
        for item in b.held:
            by_held.setdefault(item, []).append(ctx.incident_short(b.incident))
    by_calls: dict[tuple[str, ...], list[str]] = {}  # the places holding for the same calls
    for item, incs in by_held.items():
        by_calls.setdefault(tuple(incs), []).append(item)
    if not by_calls:
        return []
    said = [ctx.say("fire.fact_held", incidents=tx.join(incs, ctx.lang, words=True),
                    places=ctx.say("sep_semicolon").join(items))
            for incs, items in by_calls.items()]
    return [functools.reduce(lambda a, b: ctx.say("join_sentences", first=a, then=b), said)]


def _travel_action(ctx: ReportContext, nodes: list[int]) -> str:
    """The travel action, naming the subdistricts the incidents lie in."""
    from drillsim.network.population import nearest_subdistrict

    subs = ctx.world.places.of_kind("subdistrict")
    nodes = [n for n in nodes if n >= 0]
    if not subs or not nodes:
        return ctx.say("fire.action_travel")
    net = ctx.world.network
    idx = nearest_subdistrict(subs, net.lat[nodes], net.lon[nodes])
    names = [ctx.name(subs[j].name_en, subs[j].name_zh) or subs[j].id
             for j in sorted(set(idx.tolist()))]
    return ctx.say("fire.action_travel_area", area=ctx.say("sep_words").join(names))


def _team_units(ctx: ReportContext, bds: list[Breakdown]) -> bool:
    """Whether most of the units that ended these responses were team units."""
    teams = {t.id for t in ctx.scenario.forces.teams}
    came = [b.unit for b in bds if b.unit]
    return bool(came) and 2 * sum(ctx.units[u].station in teams for u in came
                                  if u in ctx.units) > len(came)


def _team_mobilisation(ctx: ReportContext, bds: list[Breakdown],
                       ref: str) -> tuple[list[str], list[Action]]:
    """Team mobilisation as the cause of a wait for team units: each team's assembly
    (metrics.teams) against the first of these calls, and the assembly action for the
    teams that assembled after it (worded as the flood part words it)."""
    from drillsim.metrics.teams import team_mobilisation
    from drillsim.report.flood import assembly_action, team_name

    first = min(ctx.rows[b.incident].call for b in bds)
    specs = {t.id: t for t in ctx.scenario.forces.teams}
    needs = set().union(*(queued_needs(ctx.result, b.incident) for b in bds))
    measures = [m for m in team_mobilisation(ctx.result) if not math.isnan(m.assembled_at)
                and (not needs or needs & set(m.planned))]  # teams that could have come
    late = [m for m in measures if m.assembled_at > first]
    if not late:
        return [], []
    teams = ctx.say("sep_semicolon").join(ctx.say(
        "fire.team_assembled", team=team_name(ctx, specs[m.team]), at=tx.offset(m.assembled_at),
        minutes=tx.minutes(m.assembly_s, ctx.lang)) for m in late)
    para = ctx.say("fire.waited_for_teams", first=tx.offset(first), teams=teams)
    actions = [assembly_action(ctx, specs[m.team], m, ref)  # late against its own need
               for m in sorted(late, key=lambda m: -m.assembly_s)[:2] if m.late]
    return [para], actions


def explain_turnout(ctx: ReportContext, res, rating) -> Finding:
    """Bottleneck of a turnout objective: the slow turnouts, by station and time of day."""
    obj = res.objective
    title = finding_title(ctx, res, rating)
    paras = [_measured(ctx, res, rating)]
    op, target = obj.bound()
    limit = target if obj.metric == "turnout_p90" else NFPA_TURNOUT.threshold_s
    n = ctx.summary.metrics["turnouts_n"]
    slow = sorted((t for t in turnouts(ctx) if t.seconds > limit), key=lambda t: -t.seconds)
    by_station: dict[str, int] = {}
    for t in slow:
        by_station[t.station] = by_station.get(t.station, 0) + 1
    if slow:
        worst = ctx.say("sep_words").join(ctx.say(
            "fire.name_value", incident=ctx.place_name(s), value=str(k)) for s, k in
                          sorted(by_station.items(), key=lambda kv: -kv[1]))
        paras.append(ctx.say("fire.turnouts_slow", slow=len(slow), n=f"{n:.0f}",
                             limit=tx.minutes(limit, ctx.lang), stations=worst))
    else:
        paras.append(ctx.say("fire.turnouts_none_slow", n=f"{n:.0f}",
                             limit=tx.minutes(limit, ctx.lang)))
    table = Table([ctx.say("fire.col_unit"), ctx.say("fire.col_incident"),
                   ctx.say("fire.col_order"), ctx.say("fire.col_turnout")],
                  [[ctx.unit_label(t.unit), ctx.incident_label(t.incident), tx.offset(t.order),
                    tx.minutes(t.seconds, ctx.lang)] for t in slow[:10]]) if slow else None
    key, owner, cap = SEGMENT_ACTIONS["turnout"]
    text = _with_stations(ctx, ctx.say(key), sorted(ctx.station_label(s) for s in by_station))
    return Finding(title, obj.id, paras, table, [draft_action(ctx, text, owner, cap, obj.id)])


def explain_utilisation(ctx: ReportContext, res, rating) -> Finding:
    obj = res.objective
    util = ctx.summary.utilisation
    paras = [measured_sentence(ctx, res, rating)]
    if util:
        top = sorted(util.items(), key=lambda kv: -kv[1])[:3]
        paras.append(ctx.say("fire.busiest_units", units=ctx.say("sep_words").join(
            f"{u} {v:.0%}" for u, v in top)))
    key, owner, cap = SEGMENT_ACTIONS["queue"]
    return Finding(finding_title(ctx, res, rating), obj.id, paras, None,
                   [draft_action(ctx, ctx.say(key), owner, cap, obj.id)])


EXPLAINERS = {m: explain_incident_metric for m in _BY_INCIDENT}
EXPLAINERS["turnout_p90"] = explain_turnout
EXPLAINERS["nfpa_turnout_share"] = explain_turnout
EXPLAINERS["utilisation_max"] = explain_utilisation


# ----------------------------------------------------------------------------- overview


def full_assignment_cell(ctx: ReportContext, row: IncidentRow) -> str:
    """When the full first alarm was on scene; when it never was before control, why: the
    unit types that never came and where such units were when the call queued for them."""
    if not row.full_before_control:
        return tx.offset(row.full_assignment)
    nc = never_came(ctx.result, activity(ctx), row)
    if nc is None:
        return ctx.say("fire.not_before_control")
    types = tx.join((ctx.say("fire.sep_or").join(tx.term("unit", t, ctx.lang) for t in k.split("|"))
                     for k in nc.types), ctx.lang, words=True)
    if not nc.district_held and not nc.aid_held:
        return ctx.say("fire.never_came_none", types=types)
    held = [ctx.say("fire.never_came_all", n=nc.district_total)
            if nc.district_held == nc.district_total else
            ctx.say("fire.never_came_some", n=nc.district_total, held=nc.district_held)] \
        if nc.district_held else []
    if nc.aid_held:
        held.append(ctx.say("fire.never_came_aid", n=nc.aid_held))
    kinds = tx.join((tx.term("kind", k, ctx.lang) for k in nc.kinds), ctx.lang, words=True)
    return ctx.say("fire.never_came", types=types, held=ctx.say("fire.and").join(held),
                   kinds=kinds or ctx.say("fire.other_tasks"))


def _kind_label(ctx: ReportContext, row: IncidentRow) -> str:
    return tx.incident_type(row.occupancy, row.kind, ctx.lang)


def overview_tables(ctx: ReportContext) -> list[Table]:
    rows = [r for r in ctx.summary.rows if not r.background and not r.place]  # scripted
    n_bg = sum(r.background for r in ctx.summary.rows)
    n_raised = sum(bool(r.place) for r in ctx.summary.rows)  # calls a hazard raised
    raised = "" if not n_raised else ctx.say("fire.incidents_caption_raised_one") \
        if n_raised == 1 else ctx.say("fire.incidents_caption_raised", n=n_raised)
    caption = ctx.say("fire.incidents_caption_none") if n_bg == 0 else \
        ctx.say("fire.incidents_caption_one") if n_bg == 1 else \
        ctx.say("fire.incidents_caption", background=tx.count(n_bg))
    caption += raised
    inc = Table(
        [ctx.say("fire.col_incident"), ctx.say("fire.col_type"), ctx.say("fire.col_location"),
         ctx.say("fire.col_start"), ctx.say("fire.call"), ctx.say("fire.first_arrival"),
         ctx.say("fire.col_full_assignment"), ctx.say("fire.col_alarms"),
         ctx.say("fire.col_units"), ctx.say("fire.col_control")],
        [[ctx.incident_label(r.incident), _kind_label(ctx, r),
          ctx.incident_location(r.incident, r.node),
          tx.offset(incident_start(ctx, r)), tx.offset(r.call),
          tx.offset(r.first_arrival), full_assignment_cell(ctx, r), str(r.alarms),
          str(r.units_sent), control_cell(ctx, r)] for r in rows],
        caption)
    forces = ctx.scenario.forces
    out0 = set(forces.out_of_service)
    f_rows = []
    for st in forces.stations:
        staffed = [a.id for a in st.staffed()]
        unstaffed = [a.id for a in st.apparatus if a.id not in staffed]
        f_rows.append([ctx.station_label(st.id), f"{st.on_duty}/{st.personnel}",
                       tx.join((a for a in staffed if a not in out0), ctx.lang, words=True) or "—",
                       tx.join((a for a in staffed if a in out0), ctx.lang, words=True) or "—",
                       tx.join(unstaffed, ctx.lang, words=True) or "—"])
    aid = forces.mutual_aid
    if aid.enabled:
        cap = ctx.say("fire.mutual_aid_terms", units=aid.max_units,
                      after=tx.minutes(aid.request_after, ctx.lang),
                      delay=tx.minutes(aid.arrival_delay, ctx.lang))
    else:
        cap = ctx.say("fire.mutual_aid_none")
    force = Table([ctx.say("fire.col_station"), ctx.say("fire.col_on_duty"),
                   ctx.say("fire.col_staffed"), ctx.say("fire.col_out_at_start"),
                   ctx.say("fire.col_not_staffed")], f_rows, cap)
    if rows:
        return [inc, force]
    # nothing scripted: no empty table, the counts go with the forces
    none = ctx.say("fire.no_scripted_one") if n_bg == 1 else \
        ctx.say("fire.no_scripted", background=tx.count(n_bg))
    force.caption = none + raised + " " + force.caption
    return [force]


def _release_start(ctx: ReportContext, row):
    """The ``release_start`` record of the chemical release whose hazmat call ``row`` is
    (None: another incident, or no such record)."""
    chem = ctx.scenario.chemical
    if chem is None or row.incident != chem.incident_id:
        return None
    return next((r for r in ctx.records if r.event == "release_start" and r.place == chem.id),
                None)


def incident_start(ctx: ReportContext, row) -> float:
    """When a scripted incident started, drill s: its ignition; a chemical release's
    hazmat call, the release; else its call."""
    if not math.isnan(row.ignition):
        return row.ignition
    start = _release_start(ctx, row)
    return start.t if start is not None else row.call


def incident_node(ctx: ReportContext, row) -> int:
    """Where a scripted incident is drawn: a chemical release's hazmat call at the release
    site (the ``release_start`` record's node; its incident sits at the staging point),
    any other at its own node."""
    start = _release_start(ctx, row)
    return start.node if start is not None and start.node >= 0 else row.node


def map_layer(ctx: ReportContext, ax, handles: list) -> None:
    from matplotlib.lines import Line2D

    from drillsim.fonts import text_effects

    net = ctx.world.network
    bg = [r for r in ctx.summary.rows if r.background and r.node >= 0]
    if bg:
        ax.scatter(net.lon[[r.node for r in bg]], net.lat[[r.node for r in bg]], s=16,
                   marker="o", color="#f5b041", edgecolors="#7e5109", linewidths=0.5, zorder=7)
        handles.append(Line2D([], [], marker="o", color="#f5b041", ls="",
                              label=ctx.say("fire.map_background_call")))
    rescues = [r for r in ctx.summary.rows if not r.background and r.node >= 0
               and r.kind == "flood_rescue"]
    if rescues:  # calls the water raised: their own marker, not a scripted incident's
        ax.scatter(net.lon[[r.node for r in rescues]], net.lat[[r.node for r in rescues]],
                   s=40, marker="D", color="white", edgecolors="#1a5276", linewidths=1.0,
                   zorder=8)
        handles.append(Line2D([], [], marker="D", color="white", markeredgecolor="#1a5276",
                              ls="", label=ctx.say("fire.map_flood_rescue_call")))
    scripted = [r for r in ctx.summary.rows if not r.background and r.node >= 0
                and r.kind != "flood_rescue"]
    if scripted:
        nodes = [incident_node(ctx, r) for r in scripted]
        ax.scatter(net.lon[nodes], net.lat[nodes],
                   s=260, marker="*", color="#e74c3c", edgecolors="#641e16", linewidths=0.8,
                   zorder=8)
        at_node: dict[int, list] = {}
        for r, node in zip(scripted, nodes, strict=True):  # one label per place
            at_node.setdefault(node, []).append(r)
        for node, rows in at_node.items():
            # ids the designer wrote; the calls a hazard raised (flood rescues) are counted
            # in the label of the point they came from (drillsim.report.flood.map_layer)
            named = [ctx.incident_short(r.incident) for r in rows if not r.place]
            if not named:
                continue
            label = ctx.say("figure.list_sep").join(named)
            ax.annotate(label, (net.lon[node], net.lat[node]), xytext=(7, -10),
                        textcoords="offset points", fontsize=9,
                        color="#641e16", zorder=9, path_effects=text_effects("#641e16"))
        handles.append(Line2D([], [], marker="*", color="#e74c3c", ls="", markersize=12,
                              label=ctx.say("fire.map_scripted_incident")))


BIN_MIN = 0.5
"""Width of the response histogram's bins up to :data:`BREAK_MIN`, min."""
BREAK_MIN = 10.0
"""Where the response histogram's time axis is squeezed, min (twice the 5-minute line):
past it the bins are :data:`SQUEEZE` times wider and the axis :data:`SQUEEZE` times
denser, so a few very late calls do not crowd the many quick ones into a corner."""
SQUEEZE = 5.0


def histogram_bins(minutes: list[float]) -> tuple[list[float], list[float]]:
    """The response histogram's values and bin edges (min): values rounded to 1e-6 min, so
    that equal times (25.0 min, some a float's width under) fall in one bin; edges every
    :data:`BIN_MIN` from 0 to :data:`BREAK_MIN`, then every ``BIN_MIN * SQUEEZE``, to past
    the largest value (at least 6 min), so the last bar is drawn whole. A value on an edge
    counts in the bin it starts (numpy's half-open bins)."""
    vals = [round(v, 6) for v in minutes]
    if not vals:
        return [], []
    top = max(max(vals), 6.0)
    edges = [i * BIN_MIN for i in range(math.floor(min(top, BREAK_MIN) / BIN_MIN) + 1)]
    while edges[-1] <= top:
        edges.append(edges[-1] + (BIN_MIN if edges[-1] < BREAK_MIN else BIN_MIN * SQUEEZE))
    return vals, edges


def squeezed_axis(ax, top: float) -> None:
    """Squeeze ``ax``'s x axis past :data:`BREAK_MIN` by :data:`SQUEEZE` (a dotted line
    marks where), when the data reach past it."""
    if top <= BREAK_MIN:
        return

    def fwd(x):
        import numpy as np

        x = np.asarray(x, dtype=float)
        return np.where(x <= BREAK_MIN, x, BREAK_MIN + (x - BREAK_MIN) / SQUEEZE)

    def inv(y):
        import numpy as np

        y = np.asarray(y, dtype=float)
        return np.where(y <= BREAK_MIN, y, BREAK_MIN + (y - BREAK_MIN) * SQUEEZE)

    from matplotlib.ticker import FixedLocator

    ax.set_xscale("function", functions=(fwd, inv))
    step = 5.0 if top - BREAK_MIN <= 30.0 else 10.0
    far = [BREAK_MIN + k * step for k in range(1, int((top - BREAK_MIN) // step) + 1)]
    ax.xaxis.set_major_locator(FixedLocator([0.0, 2.0, 4.0, 6.0, 8.0, BREAK_MIN] + far))
    ax.axvline(BREAK_MIN, color="#7f8c8d", lw=0.8, ls=":")


def response_figure(ctx: ReportContext) -> Figure:
    """Distribution of turnout order to first arrival, with the 5-minute line, and the
    segments of the slowest responses."""
    from matplotlib.ticker import MaxNLocator

    plt = pyplot()
    rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    d2a = [r.dispatch_to_arrival / 60 for r in five_minute_cases(rows)]
    limit_min = FIVE_MINUTE.threshold_s / 60
    pick = response_panel_rows(rows)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(9.2, max(4.2, 0.19 * len(pick) + 1.6)),
                                   gridspec_kw={"width_ratios": [1, 1.25]},
                                   layout="constrained")
    vals, bins = histogram_bins(finite(d2a))
    unmet = sum(1 for v in d2a if math.isinf(v))
    if vals:
        ax1.hist(vals, bins=bins, color="#5dade2", edgecolor="white")
        squeezed_axis(ax1, bins[-1])
        ax1.set_xlim(0.0, bins[-1] + 0.25)
        marks = [r.dispatch_to_arrival / 60 for r in _marked(rows)]
        if marks:  # a rug of markers; the panel on the right names each incident
            ax1.plot(marks, [0.0] * len(marks), ls="", marker="v", color="#c0392b", ms=7,
                     alpha=0.7, clip_on=False, transform=ax1.get_xaxis_transform(), zorder=5,
                     label=ctx.say("figure.scripted_incident"))
    # the rule's name goes in the legend: a label beside the line can run out of the axes
    ax1.axvline(limit_min, color="#c0392b", lw=2, ls="--", label=named(ctx, FIVE_MINUTE))
    lg1 = ax1.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=MIN_FONT,
                     frameon=False)  # below the axes: never over a bar
    thicken(*lg1.get_texts())
    share = ctx.summary.metrics.get("five_minute_share", math.nan)
    # fewer than MIN_CASES cases: no share (the tables give each case's value instead)
    ax1.set_title(ctx.say("fire.fig_order_to_arrival_few", n=len(vals), min=MIN_CASES)
                  if few_cases(ctx, "five_minute_share") else
                  ctx.say("fire.fig_order_to_arrival", n=len(vals),
                          share=tx.value(share, "share", ctx.lang)), fontsize=10)
    ax1.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax1.set_xlabel(ctx.say("fire.fig_minutes"))
    ax1.set_ylabel(ctx.say("fire.fig_incidents"))
    if unmet:
        ax1.text(0.98, 0.85, ctx.say("fire.fig_never_reached", n=unmet),
                 ha="right", transform=ax1.transAxes, color="#c0392b")
    # right: segments of the scripted incidents and the slowest background calls
    colours = {"processing": "#85929e", "queue": "#17a589", "turnout": "#f39c12",
               "travel": "#e74c3c", "aid": SEGMENT_STYLE["aid"][0]}  # as on the time line
    for y, r in enumerate(pick):
        b = segments(ctx, r)
        left = 0.0
        for k in ("processing", "queue", "turnout", "travel", "aid"):
            v = b.segments.get(k, 0.0) / 60
            if v > 0:
                ax2.barh(y, v, left=left, color=colours[k], height=0.6,
                         label=ctx.say(SEGMENT_WORDING[k]) if y == 0 or k not in
                         {h.get_label() for h in ax2.patches} else None)
                left += v
    ax2.set_yticks(range(len(pick)))
    starred = [aid_first(ctx, r) for r in pick]
    ax2.set_yticklabels([ctx.incident_short(r.incident) + (" *" if s else "")
                         for r, s in zip(pick, starred, strict=True)], fontsize=MIN_FONT)
    ax2.set_ylim(max(len(pick), 5) - 0.5, -0.5)
    handles, labels = ax2.get_legend_handles_labels()
    uniq = dict(zip(labels, handles, strict=False))
    if any(starred):
        from matplotlib.lines import Line2D

        uniq[ctx.say("fire.fig_mutual_aid_mark")] = Line2D([], [], ls="", marker="")
    lg = ax2.legend(uniq.values(), uniq.keys(), fontsize=MIN_FONT, loc="upper center",
                    bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False)  # never over a bar
    thicken(*lg.get_texts())
    ax2.set_title(ctx.say("fire.fig_segments_title"), fontsize=10)
    ax2.set_xlabel(ctx.say("fire.fig_minutes"))
    for ax in (ax1, ax2):
        ax.grid(axis="x", color="#eaeded")
        ax.set_axisbelow(True)
        style_axes(ax)
    return Figure("response", ctx.say("fire.fig_response_title"),
                  _response_caption(ctx, rows, pick), png(fig),
                  alt=ctx.say("fire.fig_response_alt"))


def _finite(v: float) -> float:
    return v if math.isfinite(v) else 1e9


PANEL_ROWS = 10
"""Rows of the response figure's segment panel: the incidents the designer scripted, then
the slowest other calls (background calls, flood rescues a hazard raised) up to this many
(at least :data:`PANEL_OTHERS`)."""
PANEL_OTHERS = 3


def response_panel_rows(rows: list[IncidentRow]) -> list[IncidentRow]:
    """The calls the segment panel shows: the designer's scripted incidents (not
    background, not raised by a hazard) in call order, then the slowest of the other
    calls (background calls, flood rescues), slowest first (a call never reached counts
    as slowest; ties by id)."""
    own = [r for r in rows if not r.background and not r.place]
    slow = sorted((r for r in rows if r.background or r.place),
                  key=lambda r: (-_finite(r.response), r.incident))
    return own + slow[:max(PANEL_ROWS - len(own), PANEL_OTHERS)]


def _marked(rows: list[IncidentRow]) -> list[IncidentRow]:
    """The calls the response histogram marks with a triangle: the 5-minute rule's cases
    that are not background calls, with a finite time."""
    return [r for r in five_minute_cases(rows)
            if not r.background and math.isfinite(r.dispatch_to_arrival)]


def _response_caption(ctx: ReportContext, rows: list[IncidentRow],
                      pick: list[IncidentRow]) -> str:
    """The response figure's caption, by what is drawn: what the left panel counts (naming
    other kinds only when the run has them), its triangles only when it has some, and what
    the right panel shows (the scripted incidents only when the drill has some)."""
    left = ctx.say("fire.fig_response_left")
    if _marked(rows):
        left += ctx.say("fire.fig_response_left_marks")
    other = sorted({_kind_label(ctx, r) for r in rows if not FIVE_MINUTE.applies(r.kind)})
    if other:
        left += ctx.say("fire.fig_response_left_other", kinds=ctx.say("sep_words").join(other))
    _, bins = histogram_bins(finite([r.dispatch_to_arrival / 60
                                     for r in five_minute_cases(rows)]))
    if bins and bins[-1] > BREAK_MIN:
        left += ctx.say("fire.fig_response_left_squeezed", at=tx.minutes(BREAK_MIN * 60, ctx.lang),
                        times=f"{SQUEEZE:g}")
    n_other = sum(1 for r in pick if r.background or r.place)
    n_all = sum(1 for r in rows if r.background or r.place)
    kinds = ([ctx.say("fire.background_calls")] if any(r.background for r in rows) else []) \
        + sorted({_kind_label(ctx, r) for r in rows if r.place and not r.background})
    own = len(pick) > n_other  # the designer's scripted incidents come first
    if n_other:
        key = "fire.fig_response_right" if own else "fire.fig_response_right_calls"
        key = {  # every other call shown: "all 6", not "6 of the 6"
            "fire.fig_response_right": "fire.fig_response_right_all",
            "fire.fig_response_right_calls": "fire.fig_response_right_calls_all",
        }[key] if n_other == n_all else key
        right = ctx.say(key, n=n_other, of=n_all,
                        kinds=tx.paren(ctx.say("sep_words").join(kinds), ctx.lang))
    else:
        right = ctx.say("fire.fig_response_right_own")
    if any(aid_first(ctx, r) for r in pick):
        right += ctx.say("fire.fig_response_mutual_aid")
    return left + right


def aid_first(ctx: ReportContext, row: IncidentRow) -> bool:
    """Whether the first unit at ``row`` came by mutual aid (the response panel stars it)."""
    a = segments(ctx, row).assignment
    return a is not None and a.mutual_aid


LARGEST_AT = {"first": "fire.largest_at_first", "control": "fire.largest_at_control"}
"""The name of each moment :func:`drillsim.metrics.response.largest_fires` gives (wording)."""


def teams_called(ctx: ReportContext) -> bool:
    """Whether a team was called out in the run (its units can take calls)."""
    return any(r.event == "team_activated" for r in ctx.records)


def _incidents_caption(ctx: ReportContext, rescue_target: float) -> str:
    """The every-incident table's caption: the rule that paints a row red, for each kind
    of call the run has (:func:`drillsim.metrics.response.missed_measure`)."""
    kinds = {r.kind for r in ctx.summary.rows if not math.isnan(r.call)}
    rules = []
    if kinds & set(FIRE_CALLS):
        rules.append(ctx.say("fire.red_rule_fire"))
    if "flood_rescue" in kinds:
        obj = next((o for o in ctx.scenario.objectives
                    if o.metric == "rescue_first_arrival_p90"), None)
        source = ctx.say("fire.rescue_target_objective", id=obj.id) if obj is not None \
            else ctx.say("fire.rescue_target_default")
        rules.append(ctx.say("fire.red_rule_rescue", target=tx.minutes(rescue_target, ctx.lang),
                             source=source))
    rules.append(ctx.say("fire.red_rule_unmet"))
    return ctx.say("fire.incidents_all_caption", rules=ctx.say("sep_semicolon").join(rules))


def sections(ctx: ReportContext) -> list[Section]:
    comp = ctx.summary.components
    called = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    # NFPA 1710 times fire-station responses to fire, rescue and alarm calls: beside
    # fractiles over other calls too (flood rescues, hazmat) its column would mislead
    other = sorted({_kind_label(ctx, r) for r in called if r.kind not in FIRE_CALLS})
    c_rows = []
    for name, component in COMPONENTS.items():
        vals = comp.get(name, {})
        std = NFPA_BY_SEGMENT.get(name)
        c_rows.append([named(ctx, component), tx.minutes(vals.get("p50", math.nan), ctx.lang),
                       tx.minutes(vals.get("p90", math.nan), ctx.lang), str(vals.get("n", 0))]
                      + ([] if other else
                         [tx.minutes(std.threshold_s, ctx.lang) if std else ""]))
    caption = ctx.say("fire.components_caption_one") if len(called) == 1 else \
        ctx.say("fire.components_caption", n=len(called))
    if teams_called(ctx):
        caption += ctx.say("fire.components_caption_teams")
    caption += ctx.say("fire.components_caption_no_nfpa",
                       kinds=ctx.say("sep_words").join(other)) if other else \
        ctx.say("fire.components_caption_nfpa")
    comp_table = Table([ctx.say("fire.col_segment"), "P50", "P90", ctx.say("sum.col_n")]
                       + ([] if other else [ctx.say("fire.col_nfpa")]), c_rows, caption)
    s_rows = [[named(ctx, METRICS[k]), measure_text(ctx, k)]
              for k in ("five_minute_share", "turnouts_n", "turnout_p90",
                        "nfpa_turnout_share", "nfpa_travel_share",
                        "fire_size_at_first_arrival_p90")]
    for moment, fire in largest_fires(ctx.result, ctx.summary.rows).items():
        s_rows.append([ctx.say(LARGEST_AT[moment]), ctx.say(
            "fire.name_value", incident=ctx.incident_short(fire.incident),
            value=tx.value(fire.q_kw, "kW", ctx.lang))])
    s_rows += [[named(ctx, METRICS[k]), measure_text(ctx, k)]
               for k in ("calls_queued", "mutual_aid_calls", "calls_unmet", "utilisation_max")]
    std_table = Table([ctx.say("fire.col_measure"), ctx.say("fire.col_value")], s_rows)
    all_rows = []
    classes = []
    rescue_target = rescue_target_s(ctx.scenario.objectives)
    # in the order the calls came (a call never made last), not by id
    for r in sorted(ctx.summary.rows, key=lambda r: (math.isnan(r.call), r.call)):
        note = ctx.say("sep_words").join(n for n, f in ((ctx.say("fire.note_queued"), r.queued),
                                        (ctx.say("fire.note_mutual_aid"), r.mutual_aid),
                                        (ctx.say("fire.note_unmet"), r.unmet),
                                        (ctx.say("fire.note_unreachable"), r.unreachable),
                                        (control_note(ctx, r), r.entry_after_end),
                                        (ctx.say("fire.note_already_there"),
                                         r.dispatch_to_arrival < 0.05))
                                        if f)
        if r.kind == "fire" and r.q_first_arrival_kw == 0 and r.clear > r.control:
            # the on-scene work after control is drawn whatever burned: say so beside it
            note = ctx.say("sep_words").join(filter(None, [note, ctx.say(
                "fire.note_burnt_out", overhaul=tx.minutes(r.clear - r.control, ctx.lang))]))
        all_rows.append([ctx.incident_label(r.incident), _kind_label(ctx, r),
                         tx.offset(r.call), tx.minutes(r.response, ctx.lang),
                         tx.minutes(r.dispatch_to_arrival, ctx.lang),
                         tx.fire_size(r.q_first_arrival_kw, ctx.lang)
                         if r.kind == "fire" else "",
                         ctx.unit_label(r.first_unit) if r.first_unit else "—", note])
        classes.append("bad" if missed_measure(r, rescue_target) else "")
    inc_table = Table([ctx.say("fire.col_incident"), ctx.say("fire.col_type"),
                       ctx.say("fire.call"), ctx.say("fire.col_call_to_first"),
                       ctx.say("fire.col_order_to_first"), ctx.say("fire.col_fire_at_first"),
                       ctx.say("fire.col_first_unit"), ctx.say("fire.col_note")],
                      all_rows, _incidents_caption(ctx, rescue_target), classes)
    water = water_table(ctx)
    return [Section("fire", ctx.say("fire.section_title"),
                    [ctx.say("fire.section_intro"), *unreachable_text(ctx),
                     *unanswered_text(ctx)],
                    [comp_table, std_table, inc_table, *water], [response_figure(ctx)])]


def water_table(ctx: ReportContext) -> list[Table]:
    """Each scripted fire's flashover, size and rooms, and water needed against water
    brought, at first arrival and at control (:func:`drillsim.metrics.fire_water.
    fire_water`): one column per fire, none without a scripted fire."""
    fires = fire_water(ctx.result, ctx.summary.rows)
    if not fires:
        return []

    def flow(v: float) -> str:
        return "—" if math.isnan(v) else f"{v:,.1f} L/s"

    def size(v: float) -> str:
        return "—" if math.isnan(v) else tx.value(v, "kW", ctx.lang)

    def rooms(v: float) -> str:
        return "—" if math.isnan(v) else f"{v:.0f}"

    def flashover(f: FireWater) -> str:
        if not math.isnan(f.flashover):
            when = "fire.water_before_arrival" if f.flashover < f.first_arrival \
                else "fire.water_after_arrival"
            return tx.offset(f.flashover) + tx.paren(ctx.say(when), ctx.lang)
        return ctx.say("fire.water_no_flashover_control" if not math.isnan(f.control)
                       else "fire.water_no_flashover_end")

    lines = [
        ("fire.water_flashover", flashover),
        ("fire.first_arrival", lambda f: tx.offset(f.first_arrival)),
        ("fire.water_q_first", lambda f: size(f.q_first_kw)),
        ("fire.water_rooms_first", lambda f: rooms(f.rooms_first)),
        ("fire.water_need_first", lambda f: flow(f.need_first_l_s)),
        ("fire.water_first_alarm", lambda f: flow(f.first_alarm_l_s)),
        ("fire.col_control", lambda f: tx.offset(f.control) if not math.isnan(f.control)
         else ctx.say("not_by_end")),
        ("fire.water_q_control", lambda f: size(f.q_control_kw)),
        ("fire.water_rooms_control", lambda f: rooms(f.rooms_control)),
        ("fire.water_need_control", lambda f: flow(f.need_control_l_s)),
        ("fire.water_on_control", lambda f: flow(f.water_control_l_s)),
    ]
    return [Table([ctx.say("fire.col_measure"), *(ctx.incident_short(f.incident) for f in fires)],
                  [[ctx.say(key), *(fn(f) for f in fires)] for key, fn in lines],
                  ctx.say("fire.water_caption", setup=tx.minutes(SETUP_S, ctx.lang)))]


STANDARD_SHARES = (("five_minute_share", "five_minute_n", FIVE_MINUTE),
                   ("nfpa_turnout_share", "turnouts_n", NFPA_TURNOUT),
                   ("nfpa_travel_share", "nfpa_travel_n", NFPA_TRAVEL))
"""Each response standard's share metric and the metric counting its cases."""

def late_calls(ctx: ReportContext) -> list[IncidentRow]:
    """Fire, rescue and alarm calls first reached more than :data:`LATE_CALL_S` after the
    call, or never (:func:`drillsim.metrics.evaluation.late_calls`)."""
    return ev_late_calls(ctx.summary.rows)


def cited_late(ctx: ReportContext) -> dict[str, str]:
    """The late calls an objective's capped rating already cites
    (:func:`drillsim.report.findings.rated_objectives`), each with the objective's id."""
    return {i: r.res.objective.id for r in rated_objectives(ctx) for i, _ in r.late}


def late_table(ctx: ReportContext, incidents: list[str]) -> Table:
    """The calls reached late: call to first arrival, every wait for a free unit
    (:func:`drillsim.metrics.response.waited_s`), mutual aid; in incident-table order."""
    wanted = set(incidents)
    rows = [[ctx.incident_label(r.incident), _kind_label(ctx, r),
             tx.minutes(r.response, ctx.lang) if math.isfinite(r.response)
             else ctx.say("fire.not_reached"),
             tx.minutes(waited_s(waits(ctx)[r.incident]), ctx.lang)
             if r.incident in waits(ctx) else "—",
             ctx.say("fire.yes") if r.mutual_aid else ctx.say("fire.no")]
            for r in ctx.summary.rows if r.incident in wanted]
    return Table([ctx.say("fire.col_incident"), ctx.say("fire.col_type"),
                  ctx.say("fire.col_call_to_first"), ctx.say("fire.col_waited"),
                  ctx.say("fire.col_mutual_aid")], rows,
                 ctx.say("fire.late_calls_caption_all"))


def observations(ctx: ReportContext) -> list[Finding]:
    """The standards missed when no objective measures them, and the calls reached late
    (always: a fractile objective can be met with a few calls far behind)."""
    m = ctx.summary.metrics
    out = []
    for key, n, std in STANDARD_SHARES:
        v = m.get(key, math.nan)
        if beyond_objectives(ctx, key) and not math.isnan(v) and v < std.fractile:
            cases = _case_values(ctx, key)
            text = ctx.say("fire.obs_standard_few", missed=sum(not std.met(c) for c in cases),
                           n=len(cases), standard=named(ctx, std),
                           values=_values(ctx, cases)) if len(cases) < MIN_CASES else ctx.say(
                "fire.obs_standard", share=f"{v:.0%}", n=f"{m[n]:.0f}", standard=named(ctx, std),
                fractile=f"{std.fractile:.0%}")
            out.append(observation(ctx, named(ctx, std), [text, *scope_note(ctx, std)]))
    late = late_calls(ctx)
    cited = cited_late(ctx)
    rest = [r for r in late if r.incident not in cited]
    if rest:  # a fractile objective can hide them: always named, once
        minutes = f"{LATE_CALL_S / 60:.0f}"
        paras = [ctx.say("fire.obs_late_one", minutes=minutes) if len(rest) == 1 else
                 ctx.say("fire.obs_late", n=len(rest), minutes=minutes)]
        also = sorted({cited[r.incident] for r in late if r.incident in cited})
        if also:  # the others are named under the objective whose rating they cap
            paras.append(ctx.say("fire.obs_late_cited", objectives=tx.join(
                also, ctx.lang, words=True)))
        out.append(observation(ctx, ctx.say("fire.obs_late_title"), paras,
                               late_table(ctx, [r.incident for r in rest])))
    out += _grew_while_waiting(ctx)
    out += _uncontrolled_observation(ctx) + _after_control_observation(ctx)
    return out


def waits(ctx: ReportContext) -> dict[str, list[Wait]]:
    """Every wait of every call (:func:`drillsim.metrics.response.call_waits`), once."""
    if "call_waits" not in ctx.extra:
        ctx.extra["call_waits"] = call_waits(ctx.result)
    return ctx.extra["call_waits"]


def _grew_while_waiting(ctx: ReportContext) -> list[Finding]:
    """A background fire whose later alarm waited for a free unit while it grew
    (:func:`drillsim.metrics.response.grew_while_waiting`): what grew, from the records."""
    out = []
    for row in ctx.summary.rows:
        if not (row.background and row.kind == "fire" and row.incident in waits(ctx)):
            continue
        for g in grew_while_waiting(ctx.result, waits(ctx)[row.incident]):
            out.append(observation(ctx, ctx.say("fire.obs_grew_title",
                                                incident=ctx.incident_short(row.incident)), [
                ctx.say("fire.obs_grew", incident=ctx.incident_short(row.incident),
                        alarm=g.wait.alarm, start=tx.offset(g.wait.start),
                        end=tx.offset(g.wait.end) if g.wait.served
                        else ctx.say("msel.not_served"),
                        minutes=tx.minutes(g.wait.seconds, ctx.lang),
                        rooms0=f"{g.rooms_start:.0f}", q0=tx.value(g.q_kw_start, "kW", ctx.lang),
                        rooms1=f"{g.rooms_end:.0f}", q1=tx.value(g.q_kw_end, "kW", ctx.lang),
                        t1=tx.offset(g.t_end),
                        total=tx.minutes(waited_s(waits(ctx)[row.incident]), ctx.lang))]))
    return out


def still_burning(ctx: ReportContext) -> list:
    """The incidents neither controlled nor cleared by the end (metrics), once."""
    if "uncontrolled" not in ctx.extra:
        ctx.extra["uncontrolled"] = uncontrolled(ctx.result, ctx.summary.rows)
    return ctx.extra["uncontrolled"]


def _uncontrolled_observation(ctx: ReportContext) -> list[Finding]:
    """The incidents not controlled by the end of the drill, with their last recorded size."""
    states = still_burning(ctx)
    if not states:
        return []
    rows = []
    for st in states:
        row = ctx.rows[st.incident]
        rows.append([ctx.incident_label(st.incident), _kind_label(ctx, row),
                     tx.offset(row.call), tx.offset(row.first_arrival),
                     tx.value(st.q_kw, "kW", ctx.lang) if not math.isnan(st.q_kw) else "—",
                     f"{st.rooms:.0f}" if not math.isnan(st.rooms) else "—",
                     tx.offset(st.t)])
    table = Table([ctx.say("fire.col_incident"), ctx.say("fire.col_type"), ctx.say("fire.call"),
                   ctx.say("fire.first_arrival"), ctx.say("fire.col_fire_size"),
                   ctx.say("fire.col_rooms"), ctx.say("fire.col_size_at")], rows,
                  ctx.say("fire.uncontrolled_caption", end=tx.offset(ctx.end_time)))
    names = tx.join((ctx.incident_short(st.incident) for st in states), ctx.lang, words=True)
    return [observation(ctx, ctx.say("fire.obs_uncontrolled_title"), [ctx.say(
        "fire.obs_uncontrolled", incidents=names,
        end=tx.offset(ctx.end_time))], table)]


def _after_control_observation(ctx: ReportContext) -> list[Finding]:
    """The incidents controlled before their full assignment: the units they never had
    while they burned."""
    paras = []
    for row in ctx.summary.rows:
        late = after_control(activity(ctx), row)
        if not late:
            continue
        units = ctx.say("sep_list").join(
            ctx.say("fire.unit_came_after", unit=ctx.unit_label(a.unit),
                    kind=tx.term("unit", ctx.units[a.unit].type, ctx.lang)
                    if a.unit in ctx.units else "",
                    at=tx.offset(a.arrive) if not math.isnan(a.arrive)
                    else ctx.say("fire.never")) for a in late)
        paras.append(ctx.say("fire.obs_after_control", incident=ctx.incident_short(row.incident),
                             control=tx.offset(row.ended), units=units))
    if not paras:
        return []
    return [observation(ctx, ctx.say("fire.obs_after_control_title"), paras)]


def scope_note(ctx: ReportContext, std) -> list[str]:
    """What a standard counts when some calls of the run are of kinds it does not apply to
    (flood rescues, hazmat): how many, and that they have their own measures."""
    others = [r for r in ctx.summary.rows if not math.isnan(r.call) and not std.applies(r.kind)]
    if not others or std is not FIVE_MINUTE:
        return []
    kinds = ctx.say("sep_words").join(sorted({_kind_label(ctx, r) for r in others}))
    if len(others) == 1:
        return [ctx.say("fire.standard_scope_one", kinds=kinds)]
    return [ctx.say("fire.standard_scope", n=len(others), kinds=kinds)]


def _case_values(ctx: ReportContext, key: str) -> list[float]:
    """The cases (s) a standard's share or fractile of the strengths is computed over
    (``processing``: call processing of every call)."""
    if key == "processing":
        rows = [r for r in ctx.summary.rows if not math.isnan(r.call)]
        return [v for v in (COMPONENTS["processing"].of(r) for r in rows) if not math.isnan(v)]
    return [v for _, v in metric_cases(ctx.result, ctx.summary.rows, key, activity(ctx)) or []]


def _values(ctx: ReportContext, values: list[float]) -> str:
    """Case times, shortest first, in the page's language."""
    return ctx.say("sep_words").join(tx.minutes(v, ctx.lang) for v in sorted(values))


def _few(ctx: ReportContext, values: list[float], std) -> str:
    """A strength over fewer than :data:`MIN_CASES` cases: each value, no share."""
    if len(values) == 1:
        return ctx.say("fire.strength_one_case", standard=named(ctx, std),
                       values=_values(ctx, values))
    return ctx.say("fire.strength_few_cases", standard=named(ctx, std), n=len(values),
                   values=_values(ctx, values))


def _standard_strengths(ctx: ReportContext) -> list[str]:
    """The response standards met (call processing, the shares of each standard)."""
    out = []
    comp = ctx.summary.components
    m = ctx.summary.metrics
    p90 = comp.get("processing", {}).get("p90", math.nan)
    std = NFPA_PROCESSING
    if math.isfinite(p90) and std.met(p90) and std.fractile == 0.9:
        cases = _case_values(ctx, "processing")
        out.append(_few(ctx, cases, std) if len(cases) < MIN_CASES else ctx.say(
            "fire.strength_processing", p90=tx.minutes(p90, ctx.lang), standard=named(ctx, std)))
    for key, n, std in STANDARD_SHARES:
        v = m.get(key, math.nan)
        if not math.isnan(v) and v >= std.fractile and not restates_objective(ctx, key, n):
            cases = _case_values(ctx, key)
            text = _few(ctx, cases, std) if len(cases) < MIN_CASES else ctx.say(
                "fire.strength_standard", share=f"{v:.0%}", n=f"{m[n]:.0f}",
                standard=named(ctx, std), fractile=f"{std.fractile:.0%}")
            for scope in scope_note(ctx, std):
                text = ctx.say("fire.with_scope", text=text, scope=scope)
            out.append(text)
    return out


def strengths(ctx: ReportContext) -> list[str]:
    """What went well; no standard is a strength while calls were reached late (a share
    of the calls reached in time would hide them: :func:`late_calls`)."""
    out = [] if late_calls(ctx) else _standard_strengths(ctx)
    m = ctx.summary.metrics
    called = [r for r in ctx.summary.rows if not math.isnan(r.call)]
    if still_burning(ctx):  # a call reached but never controlled is no strength
        return out
    if called and m.get("calls_unmet", 1) == 0 and not restates_objective(ctx, "calls_unmet"):
        out.append(ctx.say("fire.strength_all_reached_one") if len(called) == 1 else
                   ctx.say("fire.strength_all_reached", n=len(called)))
    if called and m.get("calls_queued", 1) == 0 and not restates_objective(ctx, "calls_queued"):
        out.append(ctx.say("fire.strength_no_queue"))
    return out


def applies(ctx: ReportContext) -> bool:
    """The response to calls: any incident (a hazmat or flood-rescue call too) or station."""
    return bool(ctx.result.incidents) or bool(ctx.scenario.forces.stations)


def has_fire(ctx: ReportContext) -> bool:
    """The drill scripts a fire (background calls are not the drill's hazard)."""
    return any(i.kind == "fire" for i in ctx.scenario.all_incidents())


PART = register(HazardPart(
    key="fire", name="hazard.fire", hazard=has_fire, applies=applies,
    overview=overview_tables, map_layer=map_layer, sections=sections, strengths=strengths,
    explainers=EXPLAINERS, observations=observations))
