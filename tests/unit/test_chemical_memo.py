"""The chemical release keeps what has not changed between steps (the shares of people
acting on an order while every warning ramp holds, the weather of a drill time, the
isolation radius): a run with those kept must log exactly what a run recomputing them
every step logs."""

from __future__ import annotations

from pathlib import Path

import pytest

import drillsim.agents.chemical_release as chem
from drillsim.api import open_drill, run_drill

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"


def _recomputing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing kept: the shares, the weather and the isolation radius are computed anew
    whenever asked."""
    acted = chem.ChemicalModel._acted

    def fresh_acted(self, since, door):
        self._acted_memo.clear()
        return acted(self, since, door)

    weather_at = chem.ChemicalModel.weather_at

    def fresh_weather(self, t):
        self._weather_memo = None
        return weather_at(self, t)

    def fresh_isolation(self):
        return chem.rules.isolation_m(self.spec)

    monkeypatch.setattr(chem.ChemicalModel, "_acted", fresh_acted)
    monkeypatch.setattr(chem.ChemicalModel, "weather_at", fresh_weather)
    monkeypatch.setattr(chem.ChemicalModel, "isolation_m", fresh_isolation)


@pytest.mark.parametrize("drill", ["chlorine-night", "chlorine-day-wind-shift"])
def test_kept_values_log_what_recomputing_logs(drill, monkeypatch):
    opened = open_drill(SCENARIOS / f"{drill}.yaml")
    kept = run_drill(opened.scenario, 2, world=opened.world).records
    _recomputing(monkeypatch)
    recomputed = run_drill(opened.scenario, 2, world=opened.world).records
    assert sum(r.event == "plume" for r in kept) > 100
    assert kept == recomputed
