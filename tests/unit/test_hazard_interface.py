"""The hazard interface: a fourth hazard plugs in without touching the engine, every inject
has exactly one handler, pump crews and incidents share one nearest-unit search, and the
agents use only the documented part of the drill."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import numpy as np
import pytest
from conftest import make_scenario

from drillsim.agents.hazard import DrillContext, Hazard, InjectHandler
from drillsim.agents.registry import HAZARDS
from drillsim.agents.units import Unit
from drillsim.engine import Drill
from drillsim.scenarios.schema import InjectBase, Location, PumpStation, RoadChange

SLOW = 0.5
"""Speed factor on every road while the traffic lights are out (the toy hazard)."""


class PowerCut(InjectBase):
    """The toy hazard's own inject kind (not in the scenario schema)."""

    kind: Literal["power_cut"] = "power_cut"
    node: str


class PowerGrid(Hazard):
    """A toy fourth hazard: a power cut slows every road and traps people in a lift."""

    name = "power"

    def __init__(self, drill: DrillContext) -> None:
        self.drill = drill
        self.started = False
        self.arrived: list[str] = []
        self.cleared: list[str] = []
        self.edges = np.arange(drill.world.network.n_edges)

    @classmethod
    def build(cls, drill, scenario):
        return cls(drill) if any(isinstance(i, PowerCut) for i in scenario.injects) else None

    def start(self) -> None:
        self.started = True

    def handlers(self) -> Mapping[type, InjectHandler]:
        return {PowerCut: self.cut}

    def cut(self, inj: PowerCut) -> None:
        from drillsim.scenarios.schema import Incident

        self.drill.world.travel.set_edge_factor(self.edges, SLOW)
        self.drill.network_changed()
        self.drill.start_incident(Incident(id="LIFT-1", kind="rescue", at=inj.at,
                                           location=Location(node=inj.node)))

    def restore(self) -> None:
        self.drill.world.travel.reopen(self.edges)

    def on_unit_arrived(self, unit, inc) -> None:
        self.arrived.append(unit.id)

    def on_incident_cleared(self, inc) -> None:
        self.cleared.append(inc.id)


def power_scenario():
    s = make_scenario(duration="03:00")
    return s.model_copy(update={"injects": [PowerCut(id="blackout", at=600.0, node="N3")]})


def test_a_fourth_hazard_runs_from_its_registration_alone(line_world):
    drill = Drill(power_scenario(), line_world, seed=1, hazards=(*HAZARDS, PowerGrid))
    result = drill.run()
    power = drill.hazards["power"]
    assert power.started
    calls = [r for r in result.records if r.event == "call" and r.incident == "LIFT-1"]
    assert [r.t for r in calls] == [600.0]  # the inject's handler called for help at once
    arrive = next(r for r in result.records if r.event == "arrive" and r.incident == "LIFT-1")
    dispatch = next(r for r in result.records if r.event == "dispatch" and r.incident == "LIFT-1")
    normal = line_world.dry.time(0, 3, "fire_engine")  # E1 from N0 to N3 on normal roads
    assert dispatch.get("eta_s") == round(normal / SLOW)  # the slowed roads were used
    assert power.arrived == [arrive.unit]  # the engine's hooks reach the new hazard
    assert power.cleared == ["LIFT-1"]
    travel = line_world.travel  # restored at the end: the world is shared by runs
    assert np.all(travel.edge_factors(power.edges, "fire_engine") == 1.0)


def test_an_inject_nothing_handles_fails_at_set_up(line_world):
    with pytest.raises(ValueError, match=r"'blackout' of kind 'power_cut'.*nothing in this "
                                         r"drill handles it"):
        Drill(power_scenario(), line_world, seed=1)  # the toy hazard is not registered


def test_a_hazard_inject_without_its_hazard_fails_at_set_up(line_world):
    s = make_scenario()
    s = s.model_copy(update={"injects": [PumpStation(kind="pump_station_failed", at=60.0,
                                                     point="P1")]})
    with pytest.raises(ValueError, match=r"'inject-1' of kind 'pump_station_failed'.*"
                                         r"hazards here: none"):
        Drill(s, line_world, seed=1)


def test_two_handlers_for_one_inject_class_fail_at_set_up(line_world):
    class Thief(PowerGrid):
        name = "thief"

        def handlers(self):
            return {RoadChange: self.cut}

    with pytest.raises(ValueError, match="RoadChange is handled by both the engine and hazard"):
        Drill(power_scenario(), line_world, seed=1, hazards=(*HAZARDS, PowerGrid, Thief))


def test_every_registered_hazard_has_a_unique_name():
    names = [h.name for h in HAZARDS]
    assert all(names) and len(set(names)) == len(names)


# --------------------------------------------------------------------------- nearest unit


def _unit(uid: str, node: int, kind: str = "pump_crew") -> Unit:
    return Unit(id=uid, type=kind, station="t", home=node, crew=4, vehicle="truck",
                return_vehicle="truck", node=node)


def test_the_dispatcher_finds_the_nearest_free_unit_of_a_type(line_world):
    drill = Drill(make_scenario(), line_world, seed=1)
    d = drill.dispatcher
    busy = _unit("busy", 2)
    busy.status = "committed"
    for unit in (_unit("far", 0), busy, _unit("engine", 2, kind="engine"), _unit("near", 3)):
        d.add_unit(unit)
    unit, eta = d.nearest(2, ("pump_crew",))
    to_2 = line_world.travel.times_to(2, "truck")
    assert unit.id == "near" and eta == pytest.approx(float(to_2[3]))
    assert d.nearest(2, ("boat",)) is None


def test_ties_go_to_the_unit_fielded_first(line_world):
    drill = Drill(make_scenario(), line_world, seed=1)
    for uid, node in (("west", 1), ("east", 3)):  # both 1 km from N2
        drill.dispatcher.add_unit(_unit(uid, node))
    assert drill.dispatcher.nearest(2, ("pump_crew",))[0].id == "west"


def test_no_unit_when_none_can_reach(line_world):
    drill = Drill(make_scenario(), line_world, seed=1)
    drill.dispatcher.add_unit(_unit("cut_off", 0))
    edges = np.arange(line_world.network.n_edges)
    line_world.travel.close(edges, ["truck"])
    try:
        assert drill.dispatcher.nearest(2, ("pump_crew",)) is None
    finally:
        line_world.travel.reopen(edges)


# --------------------------------------------------------------------------- the surface


def test_agents_use_only_the_documented_part_of_the_drill():
    documented = set(DrillContext.__annotations__) | {
        k for k in vars(DrillContext) if not k.startswith("_")}
    agents = Path(__file__).parents[2] / "drillsim" / "agents"
    used = set()
    for path in agents.glob("*.py"):
        if path.name != "hazard.py":
            used |= set(re.findall(r"\bdrill\.(\w+)", path.read_text(encoding="utf-8")))
    assert used <= documented, sorted(used - documented)
