"""Properties of the drill engine on random small networks and random valid scenarios.

Every property reads the records only (plus the world's travel-time tables for
the network-restoration check). The strategies draw grid road networks (2x2 to
5x5, osmnx-style, two-way except some one-way arcs that all run clockwise on the
outer ring, so the network stays strongly connected), 1-3 stations with 1-4
engines, ladders or rescue units, 0-6 scripted incidents, optional background
calls and injects (units out of and back in service, roads closed and reopened
by name, call surges, communication delays, a new incident) and mutual aid on or
off.
"""

from __future__ import annotations

from datetime import datetime

import networkx as nx
import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from drillsim.engine import run_drill
from drillsim.hazards.fire_growth import OCCUPANCIES
from drillsim.network.graph import RoadNetwork
from drillsim.network.places import Places
from drillsim.network.world import World
from drillsim.scenarios.schema import CHINA_STANDARD_TIME, Scenario

CLASSES = ("primary", "secondary", "tertiary", "residential")
UNIT_TYPES = ("engine", "ladder", "rescue")
SPACING_DEG = 0.005
SETTINGS = dict(deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- strategies


@st.composite
def grid_graphs(draw, max_side: int = 5) -> nx.MultiDiGraph:
    """A rows x cols grid; row roads are 'Row r', column roads 'Col c'."""
    rows, cols = draw(st.integers(2, max_side)), draw(st.integers(2, max_side))
    g = nx.MultiDiGraph()
    for r in range(rows):
        for c in range(cols):
            g.add_node(f"{r}-{c}", y=39.15 + SPACING_DEG * r, x=117.15 + SPACING_DEG * c)
    # The outer ring, clockwise as seen on a map (north up): a directed cycle.
    ring = ([(0, c) for c in range(cols)] + [(r, cols - 1) for r in range(1, rows)]
            + [(rows - 1, c) for c in range(cols - 2, -1, -1)]
            + [(r, 0) for r in range(rows - 2, 0, -1)])
    clockwise = {(ring[i], ring[(i + 1) % len(ring)]) for i in range(len(ring))}
    for r in range(rows):
        for c in range(cols):
            for dr, dc in ((0, 1), (1, 0)):
                if r + dr >= rows or c + dc >= cols:
                    continue
                a, b = (r, c), (r + dr, c + dc)
                attrs = dict(length=draw(st.floats(100.0, 2000.0)),
                             highway=draw(st.sampled_from(CLASSES)),
                             name=f"Row {r}" if dr == 0 else f"Col {c}")
                on_ring = (a, b) in clockwise or (b, a) in clockwise
                one_way = on_ring and draw(st.booleans()) and draw(st.booleans())
                if one_way:
                    a, b = (a, b) if (a, b) in clockwise else (b, a)
                    g.add_edge(f"{a[0]}-{a[1]}", f"{b[0]}-{b[1]}", oneway=True, **attrs)
                else:
                    g.add_edge(f"{a[0]}-{a[1]}", f"{b[0]}-{b[1]}", oneway=False, **attrs)
                    g.add_edge(f"{b[0]}-{b[1]}", f"{a[0]}-{a[1]}", oneway=False, **attrs)
    return g


def make_world(g: nx.MultiDiGraph) -> World:
    return World(RoadNetwork.from_networkx(g), Places([]))


def _fixed(draw, lo: float, hi: float) -> str:
    return f"{draw(st.integers(int(lo), int(hi)))} s"


def _dist(draw, lo: float, hi: float, fixed_only: bool):
    if fixed_only or draw(st.booleans()):
        return _fixed(draw, lo, hi)
    median = draw(st.integers(max(int(lo), 1), int(hi)))
    return {"dist": "lognormal", "median": f"{median} s",
            "p90": f"{median + draw(st.integers(1, int(hi)))} s"}


@st.composite
def scenarios(draw, g: nx.MultiDiGraph, *, deterministic: bool = False,
              min_incidents: int = 0, max_incidents: int = 6) -> dict:
    """A valid scenario as a dict (validated by :func:`validate`).

    ``deterministic``: every duration fixed, no background calls, no injects.
    """
    nodes = sorted(g.nodes)
    node = st.sampled_from(nodes)
    hours = draw(st.integers(1, 4))
    duration = hours * 3600
    stations = []
    shared_turnout = {"day": _fixed(draw, 0, 120), "night": _fixed(draw, 0, 180)}
    for k in range(draw(st.integers(1, 3))):
        types = draw(st.lists(st.sampled_from(UNIT_TYPES), min_size=1, max_size=4))
        apparatus = [{"id": f"S{k + 1}-{t[0].upper()}{i + 1}", "type": t, "crew": 4}
                     for i, t in enumerate(types)]
        # Deterministic drills share one turnout: dispatch ranks units by travel time
        # alone (see test_an_extra_engine_never_delays_a_deterministic_drill).
        turnout = shared_turnout if deterministic else {
            "day": _dist(draw, 0, 120, False), "night": _dist(draw, 0, 180, False)}
        stations.append({"id": f"S{k + 1}", "location": {"node": draw(node)},
                         "personnel": 4 * len(apparatus), "on_duty_fraction": 1.0,
                         "apparatus": apparatus, "turnout": turnout})
    unit_ids = [a["id"] for s in stations for a in s["apparatus"]]

    kinds = st.sampled_from(["fire", "rescue", "alarm"])
    occupancy = st.sampled_from(sorted(OCCUPANCIES))

    def incident(i: int, at: float | None) -> dict:
        kind = draw(kinds)
        inc = {"id": f"I{i}", "kind": kind, "location": {"node": draw(node)}}
        if at is not None:
            inc["at"] = at
        if kind == "fire":
            inc["occupancy"] = draw(occupancy)
            if deterministic or draw(st.booleans()):
                inc["detection_delay"] = _fixed(draw, 0, 300)
        if deterministic or draw(st.booleans()):
            inc["work_time"] = _fixed(draw, 60, 3600)
        return inc

    incidents = [incident(i + 1, float(draw(st.integers(0, duration))))
                 for i in range(draw(st.integers(min_incidents, max_incidents)))]

    injects: list[dict] = []
    background = None
    if not deterministic:
        roads = sorted({d["name"] for _, _, d in g.edges(data=True)})
        for _ in range(draw(st.integers(0, 5))):
            at = float(draw(st.integers(0, duration)))
            kind = draw(st.sampled_from(["unit_out_of_service", "unit_in_service",
                                         "road_closed", "road_reopened", "call_surge",
                                         "comms_delay", "incident"]))
            inj: dict = {"kind": kind, "at": at}
            if kind.startswith("unit_"):
                inj["unit"] = draw(st.sampled_from(unit_ids))
            elif kind.startswith("road_"):
                inj["road"] = draw(st.sampled_from(roads))
                if draw(st.booleans()):
                    inj["near"] = {"node": draw(node)}
                    inj["radius_m"] = float(draw(st.integers(100, 2000)))
            elif kind == "call_surge":
                inj["factor"] = float(draw(st.integers(1, 5)))
                if draw(st.booleans()):
                    inj["lasting"] = _fixed(draw, 60, 3600)
            elif kind == "comms_delay":
                inj["delay"] = _fixed(draw, 0, 120)
                if draw(st.booleans()):
                    inj["lasting"] = _fixed(draw, 60, 3600)
            else:
                inj["incident"] = incident(100 + len(injects), None)
            injects.append(inj)

    plan_keys = {i["occupancy"] if i["kind"] == "fire" else i["kind"] for i in incidents}
    plan_keys |= {i["incident"]["occupancy"] if i["incident"]["kind"] == "fire"
                  else i["incident"]["kind"] for i in injects if i["kind"] == "incident"}
    if not deterministic and draw(st.booleans()):
        extra = draw(st.lists(st.sampled_from(sorted(OCCUPANCIES) + ["rescue", "alarm"]),
                              min_size=1, max_size=3, unique=True))
        background = {"calls_per_day": float(draw(st.integers(0, 300))),
                      "mix": {k: float(draw(st.integers(1, 5))) for k in extra}}
        if draw(st.booleans()):
            background["work_time"] = _fixed(draw, 60, 1800)
        plan_keys |= set(extra)
    level = st.dictionaries(st.sampled_from(UNIT_TYPES), st.integers(1, 3),
                            min_size=1, max_size=2)
    plans = {k: draw(st.lists(level, min_size=1, max_size=3)) for k in sorted(plan_keys)}
    if not plans:
        plans = {"alarm": [{"engine": 1}]}
    mutual_aid = {"enabled": draw(st.booleans()),
                  "request_after": _fixed(draw, 60, 600),
                  "arrival_delay": _fixed(draw, 300, 1500),
                  "max_units": draw(st.integers(0, 4))}
    out = draw(st.lists(st.sampled_from(unit_ids), max_size=2, unique=True))
    start = datetime(2026, 7, 15, draw(st.integers(0, 23)), 0, tzinfo=CHINA_STANDARD_TIME)
    return {
        "name": "property drill", "start": start, "duration": f"{hours:02d}:00",
        "forces": {"stations": stations, "response_plans": plans, "mutual_aid": mutual_aid,
                   "out_of_service": out},
        "dispatch": {"processing": _dist(draw, 0, 90, deterministic)},
        "incidents": incidents, "background": background, "injects": injects,
    }


def validate(data: dict) -> Scenario:
    return Scenario.model_validate(data, context={"start": data["start"]})


@st.composite
def cases(draw, max_side: int = 5, **kwargs):
    g = draw(grid_graphs(max_side))
    data = draw(scenarios(g, **kwargs))
    seed = draw(st.integers(0, 2**32 - 1))
    return g, data, seed


# --------------------------------------------------------------------------- invariants


def check_invariants(records) -> None:
    """The record-level invariants every run must satisfy."""
    times = [r.t for r in records]
    assert all(a <= b for a, b in zip(times, times[1:], strict=False)), "time went backwards"
    assert records[-1].event == "end"

    committed: dict[str, str] = {}  # unit -> incident it is committed to
    out: set[str] = set()  # units out of service
    called, arrived, unmet = set(), set(), set()
    cleared: set[str] = set()
    controlled: set[str] = set()
    on_scene: set[tuple[str, str]] = set()  # (unit, incident)
    cut_off: set[str] = set()  # incidents a unit was turned back from, roads closed
    unreachable: set[str] = set()
    for r in records:
        if r.event == "dispatch":
            assert r.unit not in committed, \
                f"{r.unit} dispatched to {r.incident} while committed to {committed[r.unit]}"
            assert r.unit not in out, f"{r.unit} dispatched while out of service"
            assert r.incident in called, f"{r.incident} dispatched before its call"
            assert r.incident not in cleared, f"{r.unit} dispatched to closed {r.incident}"
            assert r.incident not in controlled, \
                f"{r.unit} dispatched to {r.incident} after its control"
            committed[r.unit] = r.incident
        elif r.event in ("enroute", "arrive"):
            assert committed.get(r.unit) == r.incident, \
                f"{r.unit} {r.event} at {r.incident} without being committed to it"
            if r.event == "arrive":
                assert r.incident not in controlled, f"{r.unit} arrived after control"
                arrived.add(r.incident)
                on_scene.add((r.unit, r.incident))
        elif r.event == "release":
            assert committed.get(r.unit) == r.incident, f"{r.unit} released from a stranger"
            if r.get("recalled"):  # turned back on the way: the incident is under control
                assert r.incident in controlled and (r.unit, r.incident) not in on_scene
            elif r.get("cut_off"):  # turned back on the way: every road into it closed
                assert (r.unit, r.incident) not in on_scene, f"{r.unit} cut off on scene"
                cut_off.add(r.incident)
            else:
                assert r.incident in cleared
            del committed[r.unit]
        elif r.event == "quarters":
            assert r.unit not in committed, f"{r.unit} back in quarters while committed"
        elif r.event == "out_of_service":
            assert r.unit not in committed, f"{r.unit} went out of service while committed"
            out.add(r.unit)
        elif r.event == "in_service":
            out.discard(r.unit)
        elif r.event == "call":
            assert r.incident not in called, f"{r.incident} called twice"
            called.add(r.incident)
        elif r.event == "control":
            controlled.add(r.incident)
        elif r.event == "clear":
            cleared.add(r.incident)
        elif r.event == "unmet":
            unmet.add(r.incident)
        elif r.event == "unreachable":
            unreachable.add(r.incident)
    assert cut_off <= unreachable, "a unit turned back from a call never recorded unreachable"
    assert called == arrived | unmet, "a call ended neither answered nor reported unmet"
    assert not (arrived & unmet), "a call both answered and reported unmet"


def all_times(world: World) -> np.ndarray:
    n = world.network.n_nodes
    return np.array([[world.travel.times_from(o, v) for o in range(n)]
                     for v in ("fire_engine", "truck")])


# --------------------------------------------------------------------------- properties


@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
@settings(max_examples=400, **SETTINGS)
@given(cases())
def test_random_drills_keep_the_invariants_and_restore_the_network(case):
    g, data, seed = case
    world = make_world(g)
    before = all_times(world)
    result = run_drill(validate(data), world, seed=seed)
    check_invariants(result.records)
    seen = {r.event for r in result.records}
    for name in ("dispatch", "queued", "reroute", "out_of_service", "in_service",
                 "mutual_aid_request", "escalate", "unmet", "road_closed"):
        event(f"has {name}: {name in seen}")  # coverage, see --hypothesis-show-statistics
    np.testing.assert_array_equal(all_times(world), before)


@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
@settings(max_examples=100, **SETTINGS)
@given(cases(max_side=4))
def test_same_seed_same_records_in_any_world_instance(case):
    g, data, seed = case
    scenario = validate(data)
    world = make_world(g)
    first = run_drill(scenario, world, seed=seed).records
    assert run_drill(scenario, world, seed=seed).records == first
    # A fresh world has cold travel-time caches: the records must not depend on them.
    assert run_drill(scenario, make_world(g), seed=seed).records == first


def first_arrival_gaps(records) -> dict[str, float]:
    """Call to first arrival of each called incident (inf when nobody arrived)."""
    call, first = {}, {}
    for r in records:
        if r.event == "call":
            call[r.incident] = r.t
        elif r.event == "arrive":
            first.setdefault(r.incident, r.t)
    return {i: first.get(i, np.inf) - t for i, t in call.items()}


def with_extra_engine(data: dict, station: int) -> dict:
    stations = [dict(s) for s in data["forces"]["stations"]]
    st_ = stations[station]
    st_["apparatus"] = [*st_["apparatus"], {"id": f"{st_['id']}-XE", "type": "engine",
                                             "crew": 4}]
    st_["personnel"] += 4
    return {**data, "forces": {**data["forces"], "stations": stations}}


@pytest.mark.slow  # over 5 s: .ci/run's slow suite runs it
@settings(max_examples=300, **SETTINGS)
@given(cases(deterministic=True, min_incidents=1, max_incidents=1), st.integers(0, 2))
def test_an_extra_engine_never_delays_a_deterministic_drill(case, which):
    """One more engine at an existing station never delays the first arrival.

    Stated for a single incident, without mutual aid and with one turnout shared by
    all stations, because the nearest-available policy is greedy and hypothesis
    found genuine counter-examples outside that case (none is an engine bug):

    - Turnout differs between stations: dispatch ranks units by travel time only,
      so an extra engine at a station close by but slow to turn out is sent in
      place of a faster one (one fire at the station node, S1 turnout 1 s and
      S2 turnout 0 s: 0 s -> 1 s).
    - Mutual aid: without the extra engine the call is short of units and asks for
      mutual aid, which arrives after a fixed delay wherever the scene is; with it,
      no help is asked and the distant local engines arrive later (line of 3 x 2 km,
      one engine, plan 2 engines, request after 60 s + 300 s: 360 s -> 605 s). With
      several incidents the capped mutual-aid budget also moves between calls.
    - Several incidents, no mutual aid: a unit sent on from the road skips turnout,
      so a different earlier assignment can leave a unit in quarters (with turnout)
      instead of one driving past the scene (0.06 s -> 1.0 s).
    """
    g, data, seed = case
    data = {**data, "forces": {**data["forces"], "mutual_aid": {"enabled": False}}}
    station = which % len(data["forces"]["stations"])
    world = make_world(g)
    base = first_arrival_gaps(run_drill(validate(data), world, seed=seed).records)
    more = first_arrival_gaps(
        run_drill(validate(with_extra_engine(data, station)), world, seed=seed).records)
    assert base.keys() == more.keys()
    for inc, gap in base.items():
        assert more[inc] <= gap + 1e-6, f"{inc}: {gap:.1f} s -> {more[inc]:.1f} s"
