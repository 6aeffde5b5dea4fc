"""Teams: rosters with overlapping membership, mobilisation, and the units they field.

The plan names overlapping membership of part-time teams as a weakness: the same
person is on several rosters but can serve in only one unit at a time. Each pair
of teams shares ``shared_members`` people; a team fields units (in its priority
order) from the people on its roster who are not already serving, so the team
that assembles later finds its shared members gone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from drillsim.agents.units import Unit
from drillsim.scenarios.schema import Location, Team, shared_pairs

if TYPE_CHECKING:
    from drillsim.engine import Drill


class Rosters:
    """Who is on which team, and who is already serving."""

    def __init__(self, teams: list[Team]) -> None:
        self.roster: dict[str, list[str]] = {}
        pairs = shared_pairs(teams)
        for team in teams:
            shared = [(key, n) for key, n in sorted(pairs.items(), key=lambda kv: sorted(kv[0]))
                      if team.id in key]
            own = team.members - sum(n for _, n in shared)
            people = [f"{team.id}#{i}" for i in range(max(own, 0))]
            for key, n in shared:
                tag = "+".join(sorted(key))
                people += [f"{tag}#{i}" for i in range(n)]
            self.roster[team.id] = people
        self.serving: set[str] = set()
        self.called: set[str] = set()
        """Teams already called out (by the drill's activation or by a player)."""

    def take(self, team_id: str, n: int) -> list[str] | None:
        """``n`` free people of the team (own members first), marked serving; ``None`` if short."""
        free = [p for p in self.roster[team_id] if p not in self.serving]
        if len(free) < n:
            return None
        chosen = free[:n]
        self.serving.update(chosen)
        return chosen

    def free_count(self, team_id: str) -> int:
        """People of the team not serving anywhere."""
        return sum(p not in self.serving for p in self.roster[team_id])


def mobilise(drill: Drill, team: Team, rosters: Rosters, activation: float):
    """SimPy process: at ``activation`` (drill time, s) the team is called out, unless it
    already has been (a player of a played exercise called it earlier:
    :func:`call_out`); then it assembles (:func:`_assemble`)."""
    yield drill.env.timeout(max(activation - drill.env.now, 0.0))
    if team.id in rosters.called:
        return
    rosters.called.add(team.id)
    yield from _assemble(drill, team, rosters)


def call_out(drill: Drill, team_id: str) -> None:
    """Call team ``team_id`` out now (a player's decision): it assembles as at the drill's
    activation (:func:`_assemble`), and the activation does not call it again.

    Raises
    ------
    ValueError
        When the team has already been called out.
    """
    rosters = drill.rosters
    if team_id in rosters.called:
        raise ValueError(f"team {team_id!r} has already been called out")
    rosters.called.add(team_id)
    team = next(t for t in drill.scenario.forces.teams if t.id == team_id)
    drill.env.process(_assemble(drill, team, rosters))


def _assemble(drill: Drill, team: Team, rosters: Rosters):
    """SimPy process: the team is activated now, assembles after its mobilisation delay at
    its base and fields its units there; a team already assembled (``assembled_at``)
    fields them at once where it waits."""
    env = drill.env
    drill.log("team_activated", place=team.id)
    if team.assembled_at is not None:  # its own stream: skipping the draw shifts no other
        delay, home = 0.0, drill.world.node_of(team.assembled_at)
    else:
        delay = drill.draw(team.mobilisation, f"team/{team.id}")
        home = drill.world.node_of(team.base or Location(place=team.id))
    yield env.timeout(delay)
    fielded = 0
    for spec in team.units:
        for k in range(spec.count):
            if rosters.take(team.id, spec.crew) is None:
                break
            unit = Unit(id=f"{team.id}-{spec.type}-{k + 1}", type=spec.type, station=team.id,
                        home=home, crew=spec.crew, vehicle=spec.vehicle,
                        return_vehicle=spec.vehicle, node=home)
            unit.pump_m3_s = spec.pump_m3_s
            drill.dispatcher.add_unit(unit)
            drill.log("mobilised", unit=unit.id, node=home, place=team.id, type=spec.type,
                      crew=int(spec.crew))
            fielded += 1
    drill.log("team_assembled", node=home, place=team.id, units=fielded,
              free_members=int(rosters.free_count(team.id)), delay_s=float(round(delay)))
    drill.dispatcher.serve_queue()
    drill.team_ready(team.id)


def mobilise_teams(drill: Drill, activation: float) -> None:
    """Call out, at drill time ``activation`` (s), every team of the scenario not yet called
    (one set of rosters per drill: :attr:`drillsim.engine.Drill.rosters`)."""
    for team in drill.scenario.forces.teams:
        drill.env.process(mobilise(drill, team, drill.rosters, activation))
