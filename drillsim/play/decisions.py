"""What a player can decide: one typed model per kind, read from a page's request.

Every decision names its ``role`` (the seat that takes it), may name the ``inject`` it
answers (for the debrief: on time, late or missing against the inject's expected
action) and a free-text ``note``. The simulated time is not the player's to give: a
decision takes effect at the drill clock's current time (:mod:`drillsim.play.live`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from drillsim.scenarios.schema import Location


class _Decision(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    role: str = Field(min_length=1, max_length=80, description="the seat that decides")
    inject: str = Field(default="", max_length=64, description="the inject it answers")
    note: str = Field(default="", max_length=500, description="the player's words")


class SendUnit(_Decision):
    """Send a free unit (in quarters or driving home) to an incident, overriding the
    dispatcher's choice of the nearest."""
    kind: Literal["send_unit"]
    unit: str
    incident: str


class HoldUnit(_Decision):
    """Keep a free unit back: the dispatcher will not send it until released."""
    kind: Literal["hold_unit"]
    unit: str


class ReleaseHold(_Decision):
    """Give a held unit back to the dispatcher."""
    kind: Literal["release_hold"]
    unit: str


class RecallUnit(_Decision):
    """Turn a unit on its way to a call back to quarters; it is held there (the call gets
    the next nearest unit from the dispatcher)."""
    kind: Literal["recall_unit"]
    unit: str


class MoveUp(_Decision):
    """Move a free unit to another station to cover it; it answers calls from there."""
    kind: Literal["move_up"]
    unit: str
    station: str


class CloseRoad(_Decision):
    """Close a named road (only near a place, with ``near``)."""
    kind: Literal["close_road"]
    road: str = Field(min_length=1, max_length=80)
    near: Location | None = None
    radius_m: float = Field(default=400.0, gt=0, le=20000)


class ReopenRoad(_Decision):
    """Reopen a road closed by an inject or a decision."""
    kind: Literal["reopen_road"]
    road: str = Field(min_length=1, max_length=80)
    near: Location | None = None
    radius_m: float = Field(default=400.0, gt=0, le=20000)


class OpenShelters(_Decision):
    """Order the shelters opened now."""
    kind: Literal["open_shelters"]


class ProtectiveAction(_Decision):
    """Order evacuation or shelter in place for communities (a chemical release)."""
    kind: Literal["protective_action"]
    communities: list[str] = Field(min_length=1)
    action: Literal["evacuate", "shelter_in_place"]


class SendTruck(_Decision):
    """Send a depot's next free truck to a shelter."""
    kind: Literal["send_truck"]
    depot: str
    shelter: str


class CallMutualAid(_Decision):
    """Ask for units from outside the district for an incident now (``unit_type`` ``""``:
    the type the call waits for, else the first its plan asks for)."""
    kind: Literal["call_mutual_aid"]
    incident: str
    unit_type: str = ""
    count: int = Field(default=1, ge=1, le=10)


class MobiliseTeam(_Decision):
    """Activate a team (part-time, professional or volunteer) now."""
    kind: Literal["mobilise_team"]
    team: str


Decision = Annotated[
    SendUnit | HoldUnit | ReleaseHold | RecallUnit | MoveUp | CloseRoad | ReopenRoad
    | OpenShelters | ProtectiveAction | SendTruck | CallMutualAid | MobiliseTeam,
    Field(discriminator="kind")]

_ADAPTER: TypeAdapter = TypeAdapter(Decision)


class DecisionRefused(ValueError):
    """A decision that cannot be taken; the message says why, for the player."""


def parse_decision(data: object) -> _Decision:
    """A decision from a page's JSON, or :class:`DecisionRefused` naming the bad field."""
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"] if not str(p).startswith(("function-",)))
        raise DecisionRefused(f"{where or 'decision'}: {err['msg']}") from None


def target_of(decision: _Decision) -> str:
    """What the decision is about, in one string (the record's ``target``)."""
    for name in ("unit", "team", "road", "depot", "incident"):
        value = getattr(decision, name, "")
        if value:
            return str(value)
    if isinstance(decision, ProtectiveAction):
        return ", ".join(decision.communities)
    return ""
