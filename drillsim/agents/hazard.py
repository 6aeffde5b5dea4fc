"""The hazard interface: what a hazard module gives the engine, and what it may use of the drill.

A *hazard module* is one part of a drill that the engine does not know by name: the
flood (waterlogging points, pumps, rescue calls), the chemical release, the public
warning, and the shelters and relief chain they use. Each is a subclass of
:class:`Hazard`, listed once in :data:`drillsim.agents.registry.HAZARDS`. The engine

1. calls ``build(drill, scenario)`` of every registered class, in registry order, when
   the drill is set up; a class returns ``None`` when the scenario does not contain it
   (a later class may use an earlier one, e.g. relief uses the shelters);
2. collects every hazard's :meth:`Hazard.handlers` into its inject table (beside its own
   core handlers: units out of / back in service, road changes, new incidents, call
   surges, communication delays, notes). Two handlers for one inject class, or an inject
   of the scenario that nothing handles, is a ``ValueError`` at set-up;
3. calls :meth:`Hazard.start` of each hazard, in registry order, when the run begins
   (after the scripted incidents, injects and background calls are scheduled);
4. calls the hooks :meth:`Hazard.on_unit_arrived`, :meth:`Hazard.on_team_ready` and
   :meth:`Hazard.on_incident_cleared` of every hazard when those happen;
5. calls :meth:`Hazard.restore` of each hazard at the end, even after an error, so that
   a shared :class:`~drillsim.network.world.World` is left as it was (road speeds).

Adding a hazard (a power-grid failure, an earthquake) is one new module with one
:class:`Hazard` subclass, plus its line in :data:`drillsim.agents.registry.HAZARDS`
(and, for a new inject kind or scenario section, its schema class).

What a hazard may use of the drill
----------------------------------
:class:`DrillContext` lists it: every attribute or method that the modules of
``drillsim.agents`` reach through ``drill.`` is one of these (a test checks it).
Everything else on :class:`~drillsim.engine.Drill` is the engine's own.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    import simpy

    from drillsim.agents.dispatch import Dispatcher
    from drillsim.agents.incident import IncidentState
    from drillsim.agents.relief import Relief
    from drillsim.agents.shelters import Shelters
    from drillsim.agents.teams import Rosters
    from drillsim.agents.units import Leg, Unit
    from drillsim.network.world import World
    from drillsim.rng import Streams
    from drillsim.scenarios.schema import Distribution, Incident, Scenario

InjectHandler = Callable[[Any], "Generator[Any, Any, None] | None"]
"""Handles one inject at its time: does it now, or returns a SimPy generator that the
engine runs to its end in the inject's own process (e.g. to undo it after ``lasting``)."""


class DrillContext(Protocol):
    """The part of :class:`~drillsim.engine.Drill` that hazard modules and agents use.

    Attributes
    ----------
    env
        The SimPy environment; ``env.now`` is drill time, s.
    streams
        Named random streams (:class:`drillsim.rng.Streams`); a module names its own.
    world
        Road network, places, ``travel`` (current speeds) and ``dry`` (normal speeds).
    scenario
        The validated scenario.
    dispatcher
        The command centre: ``nearest(node, types)`` finds the nearest free unit,
        ``add_unit(unit)`` puts a fielded unit at its disposal, ``serve_queue()``.
    net_changed
        A SimPy event that fires at the next road change (wait on it to retry a trip).
    rosters
        The teams' rosters (:class:`drillsim.agents.teams.Rosters`), one per drill: who
        serves in which team, which teams are called out.
    shelters, relief
        The shelters and the relief chain, or ``None`` when the drill has none.
    """

    env: simpy.Environment
    streams: Streams
    world: World
    scenario: Scenario
    dispatcher: Dispatcher
    net_changed: simpy.Event
    rosters: Rosters

    @property
    def shelters(self) -> Shelters | None: ...

    @property
    def relief(self) -> Relief | None: ...

    def log(self, event: str, incident: str = "", unit: str = "", node: int = -1,
            place: str = "", **data: object) -> None:
        """Append one record now (``event`` from :data:`drillsim.records.catalogue.EVENTS`)."""

    def start_incident(self, spec: Incident, place: str = "") -> None:
        """A call for help that starts now (dispatched like any other), from ``place``
        (e.g. a waterlogging point id; recorded with the call)."""

    def draw(self, dist: Distribution, stream: str) -> float:
        """A time from ``dist`` on the named stream (its central value when deterministic)."""

    def network_changed(self) -> None:
        """Road speeds changed: units on the road re-route, waiting trips retry."""

    def drive(self, unit: Unit, dest: int, vehicle: str,
              walk_m: float = math.inf) -> Generator[Any, Any, None]:
        """SimPy process body: move ``unit`` to ``dest``, re-routing on road changes (when
        every road into ``dest`` is closed, it stops at the nearest entry within
        ``walk_m``, m)."""

    def closures_into(self, node: int) -> list[str]:
        """The injects (ids) whose closures shut roads into ``node`` now, in inject order."""

    def plan(self, origin: int, dest: int, vehicle: str, t0: float) -> Leg | None:
        """The fastest trip leaving at ``t0``, or ``None`` when unreachable."""

    def release_unit(self, unit: Unit) -> None:
        """A unit's job is done: it is free again and heads home."""

    def add_mover(self, unit: Unit) -> None:
        """A vehicle that is not a response unit (a relief truck) that drives the roads."""

    def is_day(self, t: float) -> bool:
        """Daytime (06:00-18:00 local) at drill time ``t``."""

    def clock_seconds(self, t: float) -> float:
        """Local clock time at drill time ``t``, seconds since midnight."""

    def team_ready(self, team_id: str) -> None:
        """A team has assembled (calls :meth:`Hazard.on_team_ready` of every hazard)."""

    def relief_need_changed(self) -> None:
        """Someone was admitted or relieved: idle relief trucks look again."""

    # The dispatcher alone also calls these two (it is the engine's own agent).
    def commit(self, unit: Unit, inc: IncidentState, alarm: int, eta: float) -> None:
        """Send a unit to an incident."""

    def commit_mutual_aid(self, unit: Unit, inc: IncidentState, delay: float) -> None:
        """Send a unit from outside the district; it arrives after ``delay`` s."""


class Hazard:
    """One hazard module of a drill (see the module docstring).

    Subclasses set :attr:`name` and implement :meth:`build`; the other methods do
    nothing unless overridden.
    """

    name: ClassVar[str] = ""
    """Key of the hazard in ``drill.hazards`` (e.g. ``"flood"``), unique in the registry."""

    @classmethod
    def build(cls, drill: DrillContext, scenario: Scenario) -> Hazard | None:
        """The hazard for this drill, or ``None`` when the scenario does not contain it."""
        raise NotImplementedError

    def start(self) -> None:
        """Schedule the hazard's SimPy processes (called once, at drill time 0)."""

    def handlers(self) -> Mapping[type, InjectHandler]:
        """The inject classes this hazard handles, each with its handler."""
        return {}

    def restore(self) -> None:
        """Put back what the run changed in the shared world (road speeds)."""

    def on_unit_arrived(self, unit: Unit, inc: IncidentState) -> None:
        """A unit reached the scene of an incident."""

    def on_team_ready(self, team_id: str) -> None:
        """A team has assembled and fielded its units."""

    def on_incident_cleared(self, inc: IncidentState) -> None:
        """An incident was cleared (its units are being released)."""


def call_at(drill: DrillContext, t: float, action: Callable[[], object]
            ) -> Generator[Any, Any, None]:
    """SimPy process body: run ``action()`` at drill time ``t`` (at once if past)."""
    yield drill.env.timeout(max(t - drill.env.now, 0.0))
    action()
