"""Shared fixtures: a small hand-checkable world and a minimal scenario builder."""

from __future__ import annotations

import copy
from datetime import datetime

import networkx as nx
import pytest

from drillsim.network.graph import RoadNetwork
from drillsim.network.places import Places
from drillsim.network.world import World
from drillsim.scenarios.schema import CHINA_STANDARD_TIME, Scenario

START = datetime(2026, 7, 15, 10, 0, tzinfo=CHINA_STANDARD_TIME)


def line_graph(n: int = 4, spacing_deg: float = 0.009) -> nx.MultiDiGraph:
    """Nodes N0..N{n-1} on a west-east line, two-way primary roads at 36 km/h."""
    g = nx.MultiDiGraph()
    for i in range(n):
        g.add_node(f"N{i}", y=39.15, x=117.15 + i * spacing_deg)
    for i in range(n - 1):
        for u, v in ((f"N{i}", f"N{i + 1}"), (f"N{i + 1}", f"N{i}")):
            g.add_edge(u, v, length=1000.0, highway="primary", maxspeed=36, oneway=False,
                       name="Test Road")
    return g


@pytest.fixture
def line_world() -> World:
    return World(RoadNetwork.from_networkx(line_graph()), Places([]))


@pytest.fixture
def ring_world() -> World:
    """A square ring N0-N1-N2-N3-N0; N0-N1-N2 is 'North Road' (1.2 km), N2-N3-N0 'South Road'."""
    g = nx.MultiDiGraph()
    coords = {"N0": (39.15, 117.15), "N1": (39.155, 117.15), "N2": (39.155, 117.16),
              "N3": (39.15, 117.16)}
    for n, (lat, lon) in coords.items():
        g.add_node(n, y=lat, x=lon)
    roads = (("N0", "N1", "North Road", 600.0), ("N1", "N2", "North Road", 600.0),
             ("N2", "N3", "South Road", 900.0), ("N3", "N0", "South Road", 900.0))
    for u, v, name, length in roads:
        for a, b in ((u, v), (v, u)):
            g.add_edge(a, b, length=length, highway="primary", maxspeed=36, oneway=False, name=name)
    return World(RoadNetwork.from_networkx(g), Places([]))


BASE = {
    "name": "test drill",
    "start": START,
    "duration": "02:00",
    "seed": 1,
    "forces": {
        "stations": [{
            "id": "st", "location": {"node": "N0"}, "personnel": 10, "on_duty_fraction": 1.0,
            "apparatus": [{"id": "E1", "type": "engine", "crew": 5},
                          {"id": "E2", "type": "engine", "crew": 5}],
            "turnout": {"day": "60 s", "night": "90 s"},
        }],
        "response_plans": {"alarm": [{"engine": 1}], "rescue": [{"engine": 1}],
                           "dwelling": [{"engine": 1}, {"engine": 1}]},
        "mutual_aid": {"enabled": False},
    },
    "dispatch": {"processing": "30 s"},
}


def make_scenario(**changes) -> Scenario:
    """The base test scenario with top-level keys replaced (``forces__x`` sets forces.x)."""
    data = copy.deepcopy(BASE)
    for key, value in changes.items():
        if key.startswith("forces__"):
            data["forces"][key.removeprefix("forces__")] = value
        else:
            data[key] = value
    return Scenario.model_validate(data, context={"start": START})


class ReadyReports(dict):
    """Ready drills' report contexts and reports without figures, keyed by (drill, lang),
    each drill run once per test session (shared by the report-truth test modules)."""

    def __missing__(self, key: tuple[str, str]):
        from pathlib import Path

        from drillsim.api import load_world, run_drill
        from drillsim.report import build_report, make_context
        from drillsim.scenarios.loader import load_scenario

        name, _ = key
        drill, _, duration = name.partition("@")  # "drill@seconds": ended early
        s = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / f"{drill}.yaml")
        if duration:
            s = s.model_copy(update={"duration": float(duration)})
        result = run_drill(s, world=load_world(s.network))
        for lang in ("en", "zh"):
            ctx = make_context(result, lang=lang)
            self[name, lang] = (ctx, build_report(ctx, figures=False))
        return self[key]


@pytest.fixture(scope="session")
def reports() -> ReadyReports:
    """``reports[drill, lang]`` → ``(ReportContext, Report)`` of a ready drill (no figures);
    ``reports["drill@8820", lang]``: the drill ended after 8820 s."""
    return ReadyReports()
