"""Where the evacuees went: pure functions of a run's ``evacuate`` and ``shelter_admit``
records (:mod:`drillsim.agents.shelters`).

Per origin (a waterlogging point, a release) and shelter: the people admitted there, the
median and longest trip (distance and travel time from leaving home, every leg, people-
weighted), and how many were re-routed on the way. Per origin: the travel time at
setting off to each open shelter with room (the first leg's ``options_s``), so a shelter
that took nobody although it lies nearer on the map can be explained: longer to reach
over the flooded network, closed, or full. Admitted against capacity per shelter is
:func:`drillsim.metrics.relief.shelter_measures`.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import numpy as np

from drillsim.records.result import RunResult


@dataclass(frozen=True)
class EvacuationFlow:
    """The people of one origin admitted at one shelter, by one way of travel.

    Attributes
    ----------
    origin
        Where they came from (waterlogging point or release id).
    shelter
        Shelter id.
    by
        ``foot`` (walked), else the vehicle class that carried rescued people.
    people
        People admitted.
    median_m, max_m
        People-weighted median and longest route from home to the shelter, m.
    median_s, max_s
        People-weighted median and longest travel time from home to the shelter, s.
    rerouted
        Of them, people who found a shelter full or closed on the way first.
    """

    origin: str
    shelter: str
    by: str
    people: int
    median_m: float
    max_m: float
    median_s: float
    max_s: float
    rerouted: int


def _median(values: list[float], weights: list[int]) -> float:
    """People-weighted median (lower median: the smallest value with half the weight)."""
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(np.asarray(weights, dtype=float)[order])
    k = int(np.searchsorted(cum, 0.5 * cum[-1] - 1e-9, side="left"))
    return float(np.asarray(values, dtype=float)[order][min(k, len(order) - 1)])


def evacuation_flows(result: RunResult) -> list[EvacuationFlow]:
    """Per (origin, shelter, way of travel): :class:`EvacuationFlow`; origins in the order
    their first people were admitted, within one origin walkers first, then by people
    (most first)."""
    admits: dict[tuple[str, str, str], list[tuple[int, float, float, int]]] = {}
    for r in result.records:
        if r.event == "shelter_admit" and "origin" in r.data:
            d = r.data
            admits.setdefault((d["origin"], r.place, d["by"]), []).append(
                (int(d["people"]), float(d["distance_m"]), float(d["travel_s"]),
                 int(d["reroutes"])))
    first: dict[str, int] = {}
    for origin, _, _ in admits:
        first.setdefault(origin, len(first))
    out = []
    for (origin, shelter, by), rows in admits.items():
        people = [n for n, *_ in rows]
        dist = [m for _, m, _, _ in rows]
        time = [s for _, _, s, _ in rows]
        out.append(EvacuationFlow(origin, shelter, by, sum(people), _median(dist, people),
                                  max(dist), _median(time, people), max(time),
                                  sum(n for n, *_, k in rows if k > 0)))
    return sorted(out, key=lambda f: (first[f.origin], f.by != "foot", -f.people))


def walk_options(result: RunResult) -> dict[str, dict[str, float]]:
    """Per origin whose people walked: the median over its walking groups of the walking
    time at setting off (first leg) to each shelter, s; a shelter that was closed, full or
    unreachable when a group set off counts as infinitely far for that group.

    Returns
    -------
    dict
        ``{origin: {shelter: s}}``, origins in order of first departure, shelters in the
        drill file's order.
    """
    shelters = [s.id for s in result.scenario.forces.shelters]
    groups: dict[str, list[dict[str, float]]] = defaultdict(list)
    for r in result.records:
        if r.event == "evacuate" and r.data["by"] == "foot" and r.data["leg"] == 1:
            groups[r.data["origin"]].append(r.data["options_s"])
    return {origin: {sid: float(np.median([o.get(sid, math.inf) for o in opts]))
                     for sid in shelters}
            for origin, opts in groups.items()}
