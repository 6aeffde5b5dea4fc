"""Where everyday calls come from: people at home and people at work, by time of day.

Emergency call rates follow the people present: residential fires and medical calls
where people live by night, commercial calls where they work, shop and travel by
day (e.g. the demand models of station-siting studies, which place calls by
population; Larson & Odoni, *Urban Operations Research*, 1981, ch. 3). Here each
road node weighs the people near it at that hour:

- residents (:class:`drillsim.network.population.PopulationGrid`, the subdistrict
  populations spread over their cells), all at home by night and
  :data:`RESIDENTS_HOME_BY_DAY` of them by day;
- the people of each activity centre (``drillsim/data/hongqiao/activity.yaml``: West
  Station, the Dahutong trade area, ...), ``day_people`` by day and ``night_people``
  by night, spread evenly over the road nodes within its ``radius_m``.

A call is placed at a node with probability proportional to its weight. Day is
:data:`DAY_START_H` to :data:`DAY_END_H`. Every number but the census total is an
ASSUMPTION (see the data files).

Calls come from the district's own people, so when the district has an outline (the
``boundary`` of a schematic ``network.yaml``) only road nodes inside it take calls
(:func:`call_nodes`): a population cell whose nearest node lies outside (across a
boundary river) leaves from the nearest node inside, and an activity centre spreads its
people over the inside nodes within its radius. A network without an outline (GraphML,
OpenStreetMap imports) takes calls at every node units can drive to and back from.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from typing import TYPE_CHECKING

import numpy as np

from drillsim import diskcache
from drillsim.network.fit import _project, drive_core
from drillsim.network.graph import NearestPoint

if TYPE_CHECKING:
    from drillsim.network.graph import RoadNetwork
    from drillsim.network.world import World

RESIDENTS_HOME_BY_DAY = 0.6
"""Share of residents at home by day (ASSUMPTION: four in ten out at work or school)."""

DAY_START_H, DAY_END_H = 7, 19
"""Day hours for the activity weights, local clock (ASSUMPTION)."""

ACTIVITY_KIND = "activity_centre"
"""Places catalogue kind of the activity centres."""


class Demand:
    """Call weights of the road nodes by day and by night.

    Attributes
    ----------
    day, night
        Probability of each node (sums to 1) for a call by day and by night.
    residents, visitors_day, visitors_night
        People near each node: residents, and activity-centre people by day and night.
    """

    def __init__(self, world: World) -> None:
        net = world.network
        n = len(net.node_ids)
        inside = inside_outline(net, world.outline)
        nodes = call_nodes(world)
        grid = world.population
        home = grid.node.copy()
        out = ~inside[home]  # cells whose nearest node is outside: the nearest inside node
        if out.any():
            lat0 = float(net.lat.mean())
            near = NearestPoint(_project(net.lat[nodes], net.lon[nodes], lat0))
            home[out] = nodes[near.nearest_many(_project(grid.lat[out], grid.lon[out], lat0))]
        self.residents = np.bincount(home, weights=grid.people, minlength=n)
        self.visitors_day = np.zeros(n)
        self.visitors_night = np.zeros(n)
        k = math.cos(math.radians(float(net.lat.mean())))
        for centre in world.places.of_kind(ACTIVITY_KIND):
            dist = np.hypot((net.lat - centre.lat) * 111_195.0,
                            (net.lon - centre.lon) * 111_195.0 * k)
            near = inside & (dist <= float(centre.attrs.get("radius_m", 0.0)))
            if not near.any():
                near = dist == dist[inside].min()
            self.visitors_day[near] += float(centre.attrs.get("day_people", 0)) / near.sum()
            self.visitors_night[near] += float(centre.attrs.get("night_people", 0)) / near.sum()
        usable = np.zeros(n)  # calls only inside, where units can drive to and back
        usable[nodes] = 1.0
        self.day = _share(usable * (RESIDENTS_HOME_BY_DAY * self.residents
                                    + self.visitors_day), usable)
        self.night = _share(usable * (self.residents + self.visitors_night), usable)
        # cumulative weights as lists: a call's node is found by bisection in plain floats
        # (np.searchsorted on a numpy scalar costs about 1 us more a call, same index)
        self._cum = {True: np.cumsum(self.day).tolist(), False: np.cumsum(self.night).tolist()}

    @staticmethod
    def is_day(seconds_of_day: float) -> bool:
        """True in the day hours (:data:`DAY_START_H` to :data:`DAY_END_H`)."""
        return DAY_START_H <= seconds_of_day / 3600.0 < DAY_END_H

    def weights(self, seconds_of_day: float) -> np.ndarray:
        """Probability of each node for a call at this time of day (seconds after midnight)."""
        return self.day if self.is_day(seconds_of_day) else self.night

    def node_at(self, seconds_of_day: float, u: float) -> int:
        """The node index a call lands on, for a uniform draw ``u`` in [0, 1)."""
        cum = self._cum[self.is_day(seconds_of_day)]
        return min(bisect_right(cum, u * cum[-1]), len(cum) - 1)


def call_nodes(world: World) -> np.ndarray:
    """The node indices everyday calls can come from, ascending: the nodes of the drivable
    core (units can drive to and back) inside the district outline, or every core node
    when the district has no outline (or none of the core lies inside it)."""
    core = drive_core(world.network)
    mine = core.mask & inside_outline(world.network, world.outline)
    return np.flatnonzero(mine) if mine.any() else core.nodes


def inside_outline(network: RoadNetwork, outline: np.ndarray | None) -> np.ndarray:
    """Whether each node of ``network`` lies inside ``outline`` (``(k, 2)`` ``[lat, lon]``
    degrees, a closed or open ring); all true without an outline.

    Point in polygon by ``matplotlib.path.Path.contains_points`` (imported here, only on
    the first use for a network and outline); the answer is kept in the per-user disk
    cache (:mod:`drillsim.diskcache`), keyed by the node coordinates and the outline.
    """
    n = network.n_nodes
    if outline is None or len(outline) < 3:
        return np.ones(n, dtype=bool)
    ring = np.asarray(outline, dtype=float)
    name = diskcache.key("outline", network.lat.tobytes(), network.lon.tobytes(),
                         ring.tobytes(), diskcache.code_digest(__name__))
    kept = diskcache.load(name, ("inside",))
    if kept is not None and kept["inside"].shape == (n,) and kept["inside"].dtype == bool:
        return kept["inside"]
    from matplotlib.path import Path

    inside = Path(ring[:, ::-1]).contains_points(np.column_stack([network.lon, network.lat]))
    diskcache.store(name, {"inside": inside})
    return inside


def _share(w: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """``w`` scaled to sum to 1 (uniform over the ``usable`` nodes when nobody is anywhere)."""
    total = float(w.sum())
    return w / total if total > 0 else usable / usable.sum()
