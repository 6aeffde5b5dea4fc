"""Team mobilisation: when each team was called out and assembled, and what it fielded.

Pure functions of a run's records (``team_activated``, ``mobilised``,
``team_assembled``) and the drill's teams (planned units, shared members).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from drillsim.records.result import RunResult
from drillsim.scenarios.schema import shared_pairs


@dataclass(frozen=True)
class TeamMeasure:
    """How one team mobilised.

    Attributes
    ----------
    team
        Team id.
    activated_at, assembled_at
        Drill time (s) of the call-out and of assembly (NaN when it did not happen).
    assembly_s
        Assembly time after the call-out, s (NaN when the team did not assemble).
    free_members
        Members not serving in a unit after assembly (``None`` when it did not assemble).
    free_shared
        Of ``free_members``, those also on another team's roster (:attr:`shared`): free
        for either team, so counted in both teams' ``free_members`` (``None`` when it did
        not assemble). A team fields its units from its own members first
        (:meth:`drillsim.agents.teams.Rosters.take`): its own members left are
        ``max(own − crews fielded, 0)``, the rest of ``free_members`` shared.
    planned, fielded
        Units by type: planned in the drill file, and fielded.
    shared
        Members shared with each other team, people.
    needed_at, needed_by
        Drill time (s) at which the first call waited for a unit type the team fields,
        and that call (:func:`first_need`; NaN and ``""``: no call did).
    first_sent
        Drill time (s) of the first dispatch of one of the team's units (NaN: none was
        ever sent).
    """

    team: str
    activated_at: float
    assembled_at: float
    assembly_s: float
    free_members: int | None
    planned: dict[str, int]
    fielded: dict[str, int]
    shared: dict[str, int]
    needed_at: float = math.nan
    needed_by: str = ""
    first_sent: float = math.nan
    free_shared: int | None = None

    @property
    def short(self) -> bool:
        """Whether the team fielded fewer units of some type than planned."""
        return any(self.fielded.get(k, 0) < n for k, n in self.planned.items())

    @property
    def ready_when_needed(self) -> bool:
        """Whether the team was used and on time: some unit of it was sent, and it had
        assembled before any call waited for its unit types (or none did)."""
        return math.isfinite(self.first_sent) and not self.late

    @property
    def late(self) -> bool:
        """Whether a call waited for the team's units before it assembled (or it never
        did)."""
        return self.needed_at < self.assembled_at or (
            math.isfinite(self.needed_at) and math.isnan(self.assembled_at))


def asked_types(scenario) -> set[str]:
    """The unit types the drill's hazards can ask for: every type (each alternative of
    ``a|b``) in the response plans of the incident kinds the drill can raise (flood
    rescues only with a rainstorm, hazmat only with a release; fires, rescues and alarms
    always, as background calls), and pump crews with a rainstorm (waterlogging points)."""
    skip = set()
    if scenario.flood is None:
        skip.add("flood_rescue")
    if scenario.chemical is None:
        skip.add("hazmat")
    types = {t for key, alarms in scenario.forces.response_plans.items() if key not in skip
             for level in alarms for k in level for t in k.split("|")}
    return types | ({"pump_crew"} if scenario.flood is not None else set())


def shown_teams(result: RunResult, measures: list[TeamMeasure]) -> list[TeamMeasure]:
    """The teams a report lists: those fielding a unit type the drill's hazards can ask
    for (:func:`asked_types`), or any of whose units was sent."""
    types = asked_types(result.scenario)
    return [m for m in measures if types & set(m.planned) or not math.isnan(m.first_sent)]


def first_need(result: RunResult, types: set[str]) -> tuple[float, str]:
    """The first call that waited for one of ``types``: the drill time (s) of its first
    ``queued`` record whose ``needs`` ask for one of them (a key ``a|b`` asks for any), and
    its incident; (NaN, ``""``) if no call did. A call another unit of the plan covered at
    once (a fire station's rescue truck) never waited for the team."""
    for r in result.records:
        if r.event == "queued" and any(types & set(str(k).split("|"))
                                       for k in r.get("needs", {})):
            return r.t, r.incident
    return math.nan, ""


def team_mobilisation(result: RunResult) -> list[TeamMeasure]:
    """Every team of the drill (in the drill file's order) and how it mobilised."""
    teams = list(result.scenario.forces.teams)
    activated = {r.place: r.t for r in result.records if r.event == "team_activated"}
    assembled = {r.place: r for r in result.records if r.event == "team_assembled"}
    fielded: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    crews: dict[str, int] = defaultdict(int)  # people a team's fielded units took
    team_of: dict[str, str] = {}
    sent: dict[str, float] = {}
    for r in result.records:
        if r.event == "mobilised":
            fielded[r.place][r.data["type"]] += 1
            crews[r.place] += int(r.data["crew"])
            team_of[r.unit] = r.place
        elif r.event == "dispatch" and r.unit in team_of:
            sent.setdefault(team_of[r.unit], r.t)
    pairs = shared_pairs(teams)
    out = []
    for team in teams:
        a = assembled.get(team.id)
        shared = {next(iter(k - {team.id})): n for k, n in pairs.items()
                  if team.id in k and len(k) == 2}
        free = int(a.data["free_members"]) if a is not None else None
        own_free = max(team.members - sum(shared.values()) - crews[team.id], 0)
        out.append(TeamMeasure(
            team.id, activated.get(team.id, math.nan),
            a.t if a is not None else math.nan,
            float(a.data["delay_s"]) if a is not None else math.nan,
            free, {u.type: u.count for u in team.units}, dict(fielded[team.id]), shared,
            *first_need(result, {u.type for u in team.units}),
            sent.get(team.id, math.nan), None if free is None else max(free - own_free, 0)))
    return out
