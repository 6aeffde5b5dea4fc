"""The seats around the table: who plays, what each may decide, which injects reach whom.

A role is one seat of the tabletop exercise. The command centre (指挥中心) always plays;
each fire rescue station has its officer (``station:<id>``); the flood-control
headquarters (防汛指挥部), the civil-affairs relief desk (民政救助组), civil air defence
(人防办), the Blue Star team (蓝星救援队) and the hazmat officer (危化品处置指挥) sit at
the table when the drill has what they command. The permissions are an ASSUMPTION after
the division of duties in the Hongqiao plan (seed-facts: the 119 command centre
dispatches the stations; flood control commands the pump crews and the part-time teams;
civil affairs runs the depots and shelters). Units: the command centre commands every
unit; a station officer the units of that station; flood control the units of every team
(it may call out any team, and the plan puts the pump crews and the part-time teams under
it: ASSUMPTION, Blue Star's volunteers included, as flood control directs the social
rescue forces in a rainstorm); Blue Star the units of its own team. Flood control and Blue
Star send, hold, release and recall their units; moving a unit up to cover a fire station
stays with the command centre and the station officers.

The roles are a pure function of the drill file, so the metrics of a played exercise
(:mod:`drillsim.metrics.decisions`: which seats an inject reached) use them as the play
package does.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillsim.scenarios.schema import Scenario, Team

UNIT_KINDS = frozenset({"send_unit", "hold_unit", "release_hold", "recall_unit", "move_up"})
"""Decisions about one response unit."""

TEAM_UNIT_KINDS = UNIT_KINDS - {"move_up"}
"""What flood control and Blue Star decide about the team units they command."""


@dataclass(frozen=True)
class Role:
    """One seat.

    Attributes
    ----------
    id
        ``command_centre``, ``station:<station id>``, ``flood_control``, ``relief_desk``,
        ``civil_air_defence``, ``blue_star`` or ``hazmat_officer``.
    name_en, name_zh
        What the pages call it.
    kinds
        The decision kinds it may take.
    station
        The station whose units it commands (station officers), else ``""``: the command
        centre commands every unit.
    teams
        The team ids whose units it commands (flood control: every team; Blue Star: its
        own).
    """

    id: str
    name_en: str
    name_zh: str
    kinds: frozenset[str]
    station: str = ""
    teams: frozenset[str] = frozenset()

    def commands(self, unit_station: str) -> bool:
        """Whether this role may decide about a unit of station (or team) ``unit_station``."""
        if self.id == "command_centre":
            return True
        if self.station:
            return unit_station == self.station
        return unit_station in self.teams


_ALL = frozenset({"send_unit", "hold_unit", "release_hold", "recall_unit", "move_up",
                  "close_road", "reopen_road", "open_shelters", "protective_action",
                  "send_truck", "call_mutual_aid", "mobilise_team", "send_pump"})

# role id -> (en, zh, kinds, words that name it in an inject's deliver_to)
_FIXED = {
    "command_centre": ("Command centre", "指挥中心", _ALL, ("command", "指挥中心", "119")),
    "flood_control": ("Flood-control headquarters", "防汛指挥部",
                      frozenset({"close_road", "reopen_road", "mobilise_team", "send_pump"})
                      | TEAM_UNIT_KINDS,
                      ("flood", "防汛", "pump", "泵站")),
    "relief_desk": ("Civil-affairs relief desk", "民政救助组",
                    frozenset({"send_truck", "open_shelters"}),
                    ("relief", "civil-affairs", "civil affairs", "depot", "救助", "民政",
                     "储备")),
    "civil_air_defence": ("Civil air defence", "人防办", frozenset({"open_shelters"}),
                          ("civil air", "air defence", "人防", "shelter", "避难")),
    "blue_star": ("Blue Star rescue team", "蓝星救援队",
                  frozenset({"mobilise_team"}) | TEAM_UNIT_KINDS,
                  ("blue star", "蓝星")),
    "hazmat_officer": ("Hazmat officer", "危化品处置指挥",
                       frozenset({"protective_action", "close_road", "reopen_road"}),
                       ("hazmat", "chemical", "危化", "化工")),
}


def roles_for(scenario: Scenario) -> list[Role]:
    """The seats of this drill, command centre first, then one officer per station, then
    the desks whose forces or hazards the drill has."""
    out = [_fixed("command_centre")]
    for st in scenario.forces.stations:
        out.append(Role(f"station:{st.id}", f"Officer, {st.name_en or st.id}",
                        f"{st.name_zh or st.id}指挥员", UNIT_KINDS, st.id))
    teams = scenario.forces.teams
    if scenario.flood is not None:
        out.append(_fixed("flood_control", frozenset(t.id for t in teams)))
    if scenario.forces.depots or scenario.forces.shelters:
        out.append(_fixed("relief_desk"))
    if scenario.forces.shelters:
        out.append(_fixed("civil_air_defence"))
    if any(is_blue_star(t) for t in teams):
        out.append(_fixed("blue_star", frozenset(t.id for t in teams if is_blue_star(t))))
    if getattr(scenario, "chemical", None) is not None:
        out.append(_fixed("hazmat_officer"))
    return out


def is_blue_star(team: Team) -> bool:
    """Whether ``team`` is the Blue Star rescue team (蓝星救援队), by its id or Chinese name."""
    return team.id.lower().startswith(("bluestar", "blue_star", "lanxing")) \
        or "蓝星" in team.name_zh


def _fixed(role_id: str, teams: frozenset[str] = frozenset()) -> Role:
    en, zh, kinds, _ = _FIXED[role_id]
    return Role(role_id, en, zh, kinds, teams=teams)


def inject_roles(scenario: Scenario, deliver_to: str, deliver_to_zh: str = "") -> list[str]:
    """The role ids an inject's ``deliver_to`` names (matched on the roles' words and the
    stations' names, either language); the command centre when it names none."""
    text = f"{deliver_to} {deliver_to_zh}".lower()
    found = []
    roles = {r.id: r for r in roles_for(scenario)}
    for st in scenario.forces.stations:
        names = [n.lower() for n in (st.name_en, st.name_zh) if n]
        if any(n in text for n in names) and f"station:{st.id}" in roles:
            found.append(f"station:{st.id}")
    for role_id, (_, _, _, words) in _FIXED.items():
        if role_id in roles and any(w in text for w in words) and role_id not in found:
            found.append(role_id)
    if found:
        return found
    return ["command_centre"]
