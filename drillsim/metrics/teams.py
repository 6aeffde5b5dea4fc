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
    planned, fielded
        Units by type: planned in the drill file, and fielded.
    shared
        Members shared with each other team, people.
    needed_at
        Drill time (s) of the first alarm called whose units include a type the team
        fields (NaN: none did; :func:`first_need`).
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

    @property
    def short(self) -> bool:
        """Whether the team fielded fewer units of some type than planned."""
        return any(self.fielded.get(k, 0) < n for k, n in self.planned.items())

    @property
    def late(self) -> bool:
        """Whether a call needed the team's units before it assembled (or it never did)."""
        return self.needed_at < self.assembled_at or (
            math.isfinite(self.needed_at) and math.isnan(self.assembled_at))


def first_need(result: RunResult, types: set[str]) -> float:
    """Drill time (s) of the first alarm actually called (the first alarm at the ``call``,
    a later one at its ``escalate``) whose units in the response plan include one of
    ``types`` (a plan entry ``a|b`` asks for any of them), NaN if none.

    An alarm level of the plan that no incident called does not count: a hazmat plan
    with medical teams in its second alarm needs no team while every call stays at the
    first alarm.
    """
    forces = result.scenario.forces
    plan_key: dict[str, str] = {}
    for r in result.records:
        if r.event == "call":
            plan_key[r.incident] = key = str(r.get("type", ""))
            level = 0
        elif r.event == "escalate" and r.incident in plan_key:
            key, level = plan_key[r.incident], int(r.data["alarm"]) - 1
        else:
            continue
        plan = forces.plan(key) if forces.has_plan(key) else []
        if level < len(plan) and any(types & set(k.split("|")) for k in plan[level]):
            return r.t
    return math.nan


def team_mobilisation(result: RunResult) -> list[TeamMeasure]:
    """Every team of the drill (in the drill file's order) and how it mobilised."""
    teams = list(result.scenario.forces.teams)
    activated = {r.place: r.t for r in result.records if r.event == "team_activated"}
    assembled = {r.place: r for r in result.records if r.event == "team_assembled"}
    fielded: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in result.records:
        if r.event == "mobilised":
            fielded[r.place][r.data["type"]] += 1
    pairs = shared_pairs(teams)
    out = []
    for team in teams:
        a = assembled.get(team.id)
        shared = {next(iter(k - {team.id})): n for k, n in pairs.items()
                  if team.id in k and len(k) == 2}
        out.append(TeamMeasure(
            team.id, activated.get(team.id, math.nan),
            a.t if a is not None else math.nan,
            float(a.data["delay_s"]) if a is not None else math.nan,
            int(a.data["free_members"]) if a is not None else None,
            {u.type: u.count for u in team.units}, dict(fielded[team.id]), shared,
            first_need(result, {u.type for u in team.units})))
    return out
