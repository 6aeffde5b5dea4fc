"""The world a drill runs in: the road network, its travel times and the named places."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from drillsim.network.demand import Demand
from drillsim.network.fit import snap
from drillsim.network.graph import RoadNetwork, TravelTimes
from drillsim.network.places import Places
from drillsim.scenarios.schema import Location

if TYPE_CHECKING:
    import numpy as np

    from drillsim.network.population import PopulationGrid


@dataclass
class World:
    """Road network, named places and the travel-time engine shared by the runs.

    The travel-time tables survive between runs: a drill that closes roads
    reopens them when it ends, and only the trees the closure touched are
    recomputed. ``dry`` answers the same queries on the unchanged network, so a
    delay can be split into its normal part and the part that closures caused.
    """

    network: RoadNetwork
    places: Places
    district: str | None = None
    """The district package whose own network this is (an embedded name or a package
    folder): its outline bounds where everyday calls come from. ``None`` for a GraphML
    network, which has no outline."""
    disk: bool = False
    """Keep the trees of the unchanged roads in the per-user disk cache
    (:class:`~drillsim.network.graph.TravelTimes`): set for a network read from a file
    (a district package or GraphML), so the next command reads them; off for a network
    built in memory (tests, generated towns), which no later command asks for again."""
    travel: TravelTimes = field(init=False)
    dry: TravelTimes = field(init=False)
    _snapped: dict[Location, int] = field(init=False, repr=False, compare=False,
                                          default_factory=dict)
    # arcs of each road change asked so far (drillsim.network.road_changes): the network
    # and the places never change
    road_edges: dict[tuple, np.ndarray] = field(init=False, repr=False, compare=False,
                                                default_factory=dict)

    def __post_init__(self) -> None:
        self.travel = TravelTimes(self.network, disk=self.disk)
        # never changed: the reference for road delays
        self.dry = TravelTimes(self.network, disk=self.disk)

    @cached_property
    def outline(self) -> np.ndarray | None:
        """The district outline, ``(k, 2)`` ``[lat, lon]`` degrees, or ``None`` (no
        outline: a GraphML network, or a package whose network file gives none). Read on
        first use: only drills with everyday calls need it."""
        if self.district is None:
            return None
        from drillsim.network.graphml import load_map_layers

        return load_map_layers(self.district).boundary

    @cached_property
    def population(self) -> PopulationGrid:
        """Residents on the grid over the road network
        (:class:`~drillsim.network.population.PopulationGrid`; built once per world and
        shared by everyday calls, the chemical release and its metrics: not to be written
        to)."""
        from drillsim.network.population import PopulationGrid

        return PopulationGrid(self.network, self.places)

    @cached_property
    def demand(self) -> Demand:
        """Where everyday calls come from, by time of day (computed once per world)."""
        return Demand(self)

    def node_of(self, loc: Location) -> int:
        """Network node index of a location.

        A place or coordinate snaps to the nearest node of the network's reachable
        core (:func:`drillsim.network.fit.snap`), so units can always come and go.

        Raises
        ------
        KeyError
            For an unknown place or node id (the scenario checks catch these first).
        """
        if loc.node is not None:
            return self.network.node_index[loc.node]
        node = self._snapped.get(loc)  # a place or coordinate snaps the same every run
        if node is None:
            if loc.place is not None:
                place = self.places.get(loc.place)
                if place is None:
                    raise KeyError(f"unknown place {loc.place!r}")
                node = snap(self.network, place.lat, place.lon)[0]
            else:
                node = snap(self.network, loc.lat, loc.lon)[0]
            self._snapped[loc] = node
        return node


@lru_cache(maxsize=4)
def load_world(network: str = "default", district: str = "hongqiao") -> World:
    """The world of a district (an embedded name or a package folder, absolute): its
    places, and its road network unless ``network`` is a GraphML path.

    Worlds are cached, so repeated runs (a sweep, the report of a run folder) share
    their travel-time tables.
    """
    from drillsim.network.graphml import load_network, load_places

    return World(load_network(network, district), load_places(district),
                 district if network == "default" else None, disk=True)
