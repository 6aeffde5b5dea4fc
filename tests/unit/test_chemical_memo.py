"""The chemical release keeps what has not changed between steps (the shares of people
acting on an order while every warning ramp holds, the groups of cells told at one time,
the weather of a drill time, the isolation radius, and every value :meth:`_kept` keeps:
the zones while no point enters or leaves one, the cells ordered, the orders given, the
closed arcs, the people exposed): a run with those kept must log exactly what a run
recomputing them every step logs."""

from __future__ import annotations

from pathlib import Path

import pytest

import drillsim.agents.chemical_release as chem
from drillsim.api import open_drill, run_drill

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _recomputing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing kept: the shares, the groups, the weather, the isolation radius and every
    kept value are computed anew whenever asked."""
    acted = chem.ChemicalModel._acted_told

    def fresh_acted(self, since, door):
        self._acted_memo.clear()
        return acted(self, since, door)

    groups = chem.ChemicalModel._told_groups

    def fresh_groups(self, since, door):
        self._groups.clear()
        self._rows.clear()
        return groups(self, since, door)

    weather_at = chem.ChemicalModel.weather_at

    def fresh_weather(self, t):
        self._weather_memo = None
        return weather_at(self, t)

    def fresh_isolation(self):
        return chem.rules.isolation_m(self.spec)

    def fresh_kept(self, name, key, make):
        return make()

    monkeypatch.setattr(chem.ChemicalModel, "_acted_told", fresh_acted)
    monkeypatch.setattr(chem.ChemicalModel, "_told_groups", fresh_groups)
    monkeypatch.setattr(chem.ChemicalModel, "weather_at", fresh_weather)
    monkeypatch.setattr(chem.ChemicalModel, "isolation_m", fresh_isolation)
    monkeypatch.setattr(chem.ChemicalModel, "_kept", fresh_kept)


@pytest.mark.parametrize("drill", ["chlorine-night", "chlorine-day-wind-shift",
                                   "ammonia-liquor-group"])
def test_kept_values_log_what_recomputing_logs(drill, monkeypatch):
    opened = open_drill(SCENARIOS / f"{drill}.yaml")
    kept = run_drill(opened.scenario, 2, world=opened.world).records
    _recomputing(monkeypatch)
    recomputed = run_drill(opened.scenario, 2, world=opened.world).records
    assert sum(r.event == "plume" for r in kept) > 100
    assert kept == recomputed


def test_kept_exposure_follows_people_leaving_when_nobody_shelters(monkeypatch):
    """Every zone ordered out: no share sheltering ever changes, so only the people leaving
    home change the exposure counts between steps; kept, they must still follow."""
    opened = open_drill(SCENARIOS / "chlorine-night.yaml")
    spec = opened.scenario.chemical
    actions = spec.protective_actions.model_copy(
        update={"aegl3": "evacuate", "aegl2": "evacuate", "aegl1": "evacuate",
                "downwind": "evacuate"})
    scenario = opened.scenario.model_copy(
        update={"chemical": spec.model_copy(update={"protective_actions": actions})})
    kept = run_drill(scenario, 2, world=opened.world).records
    _recomputing(monkeypatch)
    recomputed = run_drill(scenario, 2, world=opened.world).records
    assert sum(r.event == "evacuation_ordered" for r in kept) > 1
    assert len({r.data["aegl2_people"] for r in kept if r.event == "plume"}) > 5
    assert kept == recomputed


def test_the_world_grid_is_built_once_and_never_written_to():
    """The population grid is kept on the world (everyday calls, the release and its
    metrics share it): a run of a release reads it and leaves every array as it was."""
    opened = open_drill(SCENARIOS / "chlorine-night.yaml")
    grid = opened.world.population
    before = {k: v.copy() for k, v in vars(grid).items() if hasattr(v, "copy")}
    result = run_drill(opened.scenario, 1, world=opened.world)
    assert opened.world.population is grid
    assert any(r.event == "displaced" for r in result.records)
    for name, value in before.items():
        assert (vars(grid)[name] == value) if not hasattr(value, "shape") \
            else (vars(grid)[name] == value).all(), name
