"""The chemical release keeps what has not changed between steps (the shares of people
acting on an order while every warning ramp holds, the groups of cells told at one time,
the weather of a drill time, the isolation radius, the slug's reach while no point can
have been reached or passed, and every value :meth:`_kept` keeps:
the zones while no point enters or leaves one, the cells ordered, the orders given, the
closed arcs, the people exposed): a run with those kept must log exactly what a run
recomputing them every step logs."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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

    def fresh_slug(t, x_m, t_start, t_stop, u_m_s):
        return t, t  # the slug's answer holds for no later time: asked anew every time

    monkeypatch.setattr(chem.ChemicalModel, "_acted_told", fresh_acted)
    monkeypatch.setattr(chem.ChemicalModel, "_told_groups", fresh_groups)
    monkeypatch.setattr(chem.ChemicalModel, "weather_at", fresh_weather)
    monkeypatch.setattr(chem.ChemicalModel, "isolation_m", fresh_isolation)
    monkeypatch.setattr(chem.ChemicalModel, "_kept", fresh_kept)
    monkeypatch.setattr(chem.rules, "slug_holds", fresh_slug)


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


@settings(max_examples=300, deadline=None)
@given(x=st.lists(st.floats(-3000, 8000), min_size=1, max_size=30),
       t_start=st.floats(0, 20_000), duration=st.floats(0, 20_000),
       u=st.floats(0.3, 15), t=st.floats(0, 60_000), later=st.floats(0, 30_000))
def test_the_slug_holds_its_answer_exactly_as_long_as_it_says(x, t_start, duration, u, t,
                                                               later):
    """:func:`slug_holds` bounds the times at which :func:`in_slug` answers as at ``t``:
    the same answer at any time inside the bounds, a different one at the first time
    past them."""
    x = np.asarray(x)
    t_stop = t_start + duration
    now = chem.rules.in_slug(t, x, t_start, t_stop, u)
    before, through = chem.rules.slug_holds(t, x, t_start, t_stop, u)
    assert before > t and through >= t
    t2 = t + later
    if t2 < before and t2 <= through:
        assert np.array_equal(chem.rules.in_slug(t2, x, t_start, t_stop, u), now)
    first_past = min(before, np.nextafter(through, np.inf))
    if np.isfinite(first_past):
        assert not np.array_equal(chem.rules.in_slug(first_past, x, t_start, t_stop, u), now)
