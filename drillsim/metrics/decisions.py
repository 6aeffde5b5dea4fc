"""The debrief of a played exercise: the players' decisions against the injects, and what
they changed against the default policy.

A played exercise (``drillsim play``, :mod:`drillsim.play`) records each decision as a
``decision`` record (seq, role, decision kind, target, the inject it answers). From
those records and the drill file this module gives

- the decision time line per role (:func:`decision_rows`);
- for every inject with an expected action and every role it is delivered to
  (:func:`drillsim.scenarios.roles.inject_roles`), the answer (:func:`inject_answers`):
  **on time** when a decision of that role names the inject no later than the inject's
  ``respond_within`` after it (10 min by default, an ASSUMPTION: docs/scenario-format.md),
  **late** when the first such decision comes after that, **missing** when there is none;
- what the decisions changed (:func:`decision_effect`): the played run's summary against
  the summary of the same drill and seed played with no decision (the default policy),
  through :func:`drillsim.metrics.compare.compare`, the measures the issue names first.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from drillsim.metrics.compare import Comparison, MetricChange, ObjectiveChange, compare
from drillsim.records.record import Record
from drillsim.records.result import RunResult
from drillsim.scenarios.roles import inject_roles

Answer = Literal["on_time", "late", "missing"]
Verdict = Literal["on_time", "late", "own_initiative", "further", "not_asked"]

HEADLINE_METRICS = ("first_arrival_p50", "first_arrival_p90", "people_above_aegl2",
                    "relief_share_10h")
"""The measures the debrief shows first when the drill has them (the ones the exercise's
fork compares: first arrival P50/P90, people above AEGL-2, relief within 10 h)."""


@dataclass(frozen=True)
class DecisionRow:
    """One decision as its ``decision`` record gives it.

    Attributes
    ----------
    seq
        Its number in the exercise's log (1, 2 ...).
    t
        Drill time it was taken, s.
    role, kind, target, inject
        The seat, the decision kind, what it is about, the inject it names (``""``: none).
    incident, unit
        The record's incident and unit columns (``""`` when the kind has none).
    station, own
        ``move_up``: the station the unit now covers and whether it is its own (a unit
        sent back home), from the ``move_up`` record the decision made; ``""``/``False``
        for the other kinds.
    verdict
        ``on_time`` or ``late`` when it is the answer of its role to an inject with an
        expected action delivered to that role; ``own_initiative`` when it names no
        inject; ``further`` when the role had already answered that inject (a second
        decision for it); ``not_asked`` when the inject it names was not delivered to its
        role or asks no action.
    place
        The record's place column: the shelter a truck is sent to, the station a unit
        moves up to (``""`` for the other kinds).
    """

    seq: int
    t: float
    role: str
    kind: str
    target: str
    inject: str
    incident: str
    unit: str
    verdict: Verdict = "own_initiative"
    station: str = ""
    own: bool = False
    place: str = ""


@dataclass(frozen=True)
class InjectAnswer:
    """A role's answer to one inject with an expected action.

    Attributes
    ----------
    inject
        The inject's id (``inject-N`` for one without an id, as the exercise names it).
    role
        A role it is delivered to.
    at
        When the inject comes, s.
    window
        Its ``respond_within``, s.
    answer
        ``on_time``, ``late`` or ``missing``.
    seq
        The answering decision's number (0: missing).
    t
        When it was taken, s (NaN: missing).
    """

    inject: str
    role: str
    at: float
    window: float
    answer: Answer
    seq: int = 0
    t: float = math.nan

    @property
    def after_s(self) -> float:
        """How long after the inject the answer came, s (NaN: missing)."""
        return self.t - self.at


def decision_rows(result: RunResult | Sequence[Record]) -> list[DecisionRow]:
    """Every decision of the run (or of its records so far: a drill being played), in the
    order taken (empty for a run nobody played), without verdicts (:func:`debrief` adds
    them)."""
    records = result.records if isinstance(result, RunResult) else result
    rows: list[DecisionRow] = []
    moving: dict[str, int] = {}  # unit -> its move-up decision's row, until its record
    for r in records:
        if r.event == "decision":
            if r.get("decision") == "move_up":
                moving[r.unit] = len(rows)
            rows.append(DecisionRow(int(r.get("seq", 0)), r.t, str(r.get("role", "")),
                                    str(r.get("decision", "")), str(r.get("target", "")),
                                    str(r.get("inject", "")), r.incident, r.unit,
                                    place=r.place))
        elif r.event == "move_up" and r.unit in moving:  # what that move-up did
            k = moving.pop(r.unit)
            rows[k] = dataclasses.replace(rows[k], station=str(r.get("station", "")),
                                          own=bool(r.get("own", False)))
    return rows


def played(result: RunResult) -> bool:
    """Whether the run is a played exercise with at least one decision."""
    return any(r.event == "decision" for r in result.records)


def inject_answers(result: RunResult, rows: list[DecisionRow] | None = None
                   ) -> list[InjectAnswer]:
    """Each (inject with an expected action, role it is delivered to) and its answer, in
    inject order: the role's first decision naming the inject, on time when taken no later
    than ``respond_within`` after the inject (a decision taken before the inject came,
    ready in advance, is on time), late after that, missing when there is none."""
    rows = decision_rows(result) if rows is None else rows
    s = result.scenario
    out = []
    for iid, inj in zip(s.inject_ids(), s.injects, strict=True):
        if not (inj.expected_action or inj.expected_action_zh):
            continue
        for role in inject_roles(s, inj.deliver_to, inj.deliver_to_zh):
            first = next((d for d in rows if d.inject == iid and d.role == role), None)
            if first is None:
                out.append(InjectAnswer(iid, role, inj.at, inj.respond_within, "missing"))
                continue
            answer: Answer = "on_time" if first.t <= inj.at + inj.respond_within else "late"
            out.append(InjectAnswer(iid, role, inj.at, inj.respond_within, answer,
                                    first.seq, first.t))
    return out


@dataclass(frozen=True)
class Debrief:
    """The decision time line and the answers of a played exercise."""

    decisions: tuple[DecisionRow, ...]
    answers: tuple[InjectAnswer, ...]

    def by_role(self) -> dict[str, list[DecisionRow]]:
        """The decisions per role, in the order the roles first decided."""
        out: dict[str, list[DecisionRow]] = {}
        for d in self.decisions:
            out.setdefault(d.role, []).append(d)
        return out


def debrief(result: RunResult) -> Debrief:
    """The decisions of ``result`` with their verdicts, and every inject's answers."""
    rows = decision_rows(result)
    answers = inject_answers(result, rows)
    by_seq = {a.seq: a.answer for a in answers if a.seq}
    answered = {(a.inject, a.role) for a in answers if a.seq}

    def verdict(d: DecisionRow) -> Verdict:
        if d.seq in by_seq:
            return by_seq[d.seq]
        if not d.inject:
            return "own_initiative"
        return "further" if (d.inject, d.role) in answered else "not_asked"

    rows = [dataclasses.replace(d, verdict=verdict(d)) for d in rows]
    return Debrief(tuple(rows), tuple(answers))


@dataclass(frozen=True)
class Effect:
    """What the players' decisions changed against the default policy.

    Attributes
    ----------
    comparison
        :func:`drillsim.metrics.compare.compare` of (default, played).
    metrics
        The headline measures the drill has (:data:`HEADLINE_METRICS`, changed or not),
        then every other metric that changed.
    objectives
        Every objective whose status changed.
    largest
        The metric with the largest change relative to its default value among the
        headline measures that got better or worse (not negligibly), or when none did
        among the others (``None`` when no metric got better or worse).
    """

    comparison: Comparison
    metrics: tuple[MetricChange, ...]
    objectives: tuple[ObjectiveChange, ...]
    largest: MetricChange | None


def relative_change(m: MetricChange) -> float:
    """``|played − default| / |default|`` of a compared metric (infinite from a default of
    0; 0 when unchanged or not measured in both)."""
    base, delta = m.values[0], m.deltas[1]
    if math.isnan(delta) or math.isinf(delta) or delta == 0:
        return 0.0
    return abs(delta) / abs(base) if base else math.inf


def decision_effect(default: Mapping, played_summary: Mapping,
                    negligible: Callable[[MetricChange], bool] | None = None) -> Effect:
    """Compare the ``summary.json`` of the default run with the played run's.

    Parameters
    ----------
    default
        Summary of the same drill and seed played with no decision.
    played_summary
        Summary of the played exercise.
    negligible
        Whether a change is too small to be told (the report's: it rounds to no change at
        the precision shown); such a change is never :attr:`Effect.largest`.
    """
    cmp = compare([default, played_summary], ["default", "played"])
    by_name = {m.name: m for m in cmp.metrics}
    head = [by_name[n] for n in HEADLINE_METRICS
            if n in by_name and by_name[n].verdicts[1] != "none"]
    rest = [m for m in cmp.metrics if m.changed and m.name not in HEADLINE_METRICS]

    def moved(m: MetricChange) -> bool:
        return m.verdicts[1] in ("better", "worse") and not (negligible and negligible(m))

    rated = [m for m in head if moved(m)] or [m for m in rest if moved(m)]
    largest = max(rated, key=relative_change, default=None)
    return Effect(cmp, tuple(head + rest), tuple(o for o in cmp.objectives if o.changed),
                  largest)
