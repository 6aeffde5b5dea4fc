"""The record type: every state change of a drill is one row, the only source of results."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, NamedTuple

NO_DATA: Mapping[str, Any] = MappingProxyType({})
"""The ``data`` of a record whose kind has no fields."""


class Record(NamedTuple):
    """One state change of the drill.

    Which columns a kind fills and which typed fields its ``data`` holds is declared
    once, in :data:`drillsim.records.catalogue.EVENTS` (``docs/records.md``).

    Attributes
    ----------
    t
        Simulated time in seconds since the drill start.
    event
        What happened: a kind of :data:`~drillsim.records.catalogue.EVENTS`.
    incident
        Incident id, or ``""``.
    unit
        Unit (apparatus, team unit or truck) id, or ``""``.
    node
        Road-network node index where it happened, or ``-1``.
    place
        Id of the place or hazard object concerned (a shelter, depot, waterlogging
        point, team, release), or ``""``.
    data
        The kind's typed fields by name (numbers in the units the catalogue gives).
        Never mutated after the record is made.
    """

    t: float
    event: str
    incident: str = ""
    unit: str = ""
    node: int = -1
    place: str = ""
    data: Mapping[str, Any] = NO_DATA

    def get(self, field: str, default: Any = None) -> Any:
        """The value of one typed field, or ``default`` when the record has none."""
        return self.data.get(field, default)
