"""The record type: every state change of a drill is one row, the only source of results."""

from __future__ import annotations

from typing import NamedTuple


class Record(NamedTuple):
    """One state change of the drill.

    Attributes
    ----------
    t
        Simulated time in seconds since the drill start.
    event
        What happened; see :data:`EVENTS`.
    incident
        Incident id, or ``""``.
    unit
        Unit (apparatus or team) id, or ``""``.
    node
        Road-network node index where it happened, or ``-1``.
    detail
        Short ``key=value`` detail, or ``""``.
    place
        Id of the place or hazard object concerned (a shelter, depot, waterlogging
        point, team), or ``""``.
    """

    t: float
    event: str
    incident: str = ""
    unit: str = ""
    node: int = -1
    detail: str = ""
    place: str = ""


#: Every event name the engine writes, with its meaning (documentation and a test use it).
EVENTS: dict[str, str] = {
    "ignition": "a fire starts (not yet known to anyone)",
    "call": "the call reaches the command centre",
    "queued": "no suitable unit is free; the call waits",
    "dispatch": "a unit is assigned to an incident",
    "enroute": "the unit has turned out and leaves its position",
    "reroute": "a unit on the road changed its route",
    "arrive": "the unit arrives on scene",
    "escalate": "the incident commander calls the next alarm",
    "full_assignment": "every unit of the current alarm is on scene",
    "control": "the incident is under control",
    "clear": "the incident is closed; units are released",
    "release": "the unit leaves the scene",
    "quarters": "the unit is back in quarters and available",
    "mutual_aid_request": "help is asked from outside the district",
    "unmet": "a call that no unit reached before the drill ended",
    "out_of_service": "a unit is taken out of service",
    "in_service": "a unit returns to service",
    "road_closed": "road edges close",
    "road_reopened": "road edges reopen",
    "inject": "an inject is delivered to the players",
    "call_surge": "the background call rate changes",
    "comms_delay": "the dispatch delay changes",
    "end": "the drill ends",
}
