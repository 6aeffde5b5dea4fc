"""The result of a run: its records and the tables that describe its actors.

Defined apart from the engine so that metrics, the report and the sweep read results
without importing SimPy.
"""

from __future__ import annotations

from dataclasses import dataclass

from drillsim.records.record import Record
from drillsim.scenarios.schema import Scenario


@dataclass(frozen=True)
class UnitInfo:
    """A unit as it stood at the start of the drill."""

    id: str
    type: str
    station: str
    crew: int
    staffed: bool


@dataclass(frozen=True)
class IncidentInfo:
    """What the metrics need to know of an incident besides its records."""

    id: str
    kind: str
    occupancy: str
    node: int
    background: bool
    alpha: float
    max_kw: float


@dataclass(frozen=True)
class RunResult:
    """Everything a run produced: records plus the tables that describe its actors."""

    scenario: Scenario
    seed: int
    records: tuple[Record, ...]
    units: tuple[UnitInfo, ...]
    incidents: tuple[IncidentInfo, ...]
