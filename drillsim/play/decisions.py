"""What a player can decide: one typed model per kind, read from a page's request.

Every decision names its ``role`` (the seat that takes it), may name the ``inject`` it
answers (for the debrief: on time, late or missing against the inject's expected
action) and a free-text ``note``. The simulated time is not the player's to give: a
decision takes effect at the drill clock's current time (:mod:`drillsim.play.live`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated, Literal

import yaml
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


class SendPump(_Decision):
    """Send a pump crew (a team unit with a mobile pump) to a waterlogging point now,
    before or instead of the model's rule (depth at the threshold, by priority)."""
    kind: Literal["send_pump"]
    unit: str
    point: str


class MobiliseTeam(_Decision):
    """Activate a team (part-time, professional or volunteer) now."""
    kind: Literal["mobilise_team"]
    team: str


Decision = Annotated[
    SendUnit | HoldUnit | ReleaseHold | RecallUnit | MoveUp | CloseRoad | ReopenRoad
    | OpenShelters | ProtectiveAction | SendTruck | CallMutualAid | MobiliseTeam | SendPump,
    Field(discriminator="kind")]

_ADAPTER: TypeAdapter = TypeAdapter(Decision)


WORDING = Path(__file__).parent / "static" / "wording.yaml"
"""The exercise pages' words (``en`` and ``zh`` per key), the refusals' among them."""

Name = dict[str, str]
"""A name in both languages, ``{"en": ..., "zh": ...}`` (as :mod:`drillsim.play.state`
gives names)."""


@cache
def play_words() -> dict[str, dict[str, str]]:
    """The pages' wording (:data:`WORDING`), read once."""
    return yaml.safe_load(WORDING.read_text(encoding="utf-8"))


def word(key: str) -> Name:
    """One word of the pages' wording in both languages."""
    return dict(play_words()[key])


class DecisionRefused(ValueError):
    """A decision (or a request) that cannot be taken; says why, in both languages.

    Parameters
    ----------
    key
        The wording key of the reason (``refused_*`` in :data:`WORDING`), whose ``en`` and
        ``zh`` texts name the fields ``{name}``.
    **fields
        The values: a string (an id or what the player typed, the same in both
        languages), a number, or a :data:`Name` (each language its own).

    ``str(exc)`` is the English text (logs, tests); :meth:`text` gives either.
    """

    def __init__(self, key: str, **fields: str | float | Name) -> None:
        self.key = key
        self.fields = fields
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The reason in ``lang`` (``en`` or ``zh``)."""
        values = {k: (v.get(lang) or v.get("en") or v.get("zh", "")) if isinstance(v, dict)
                  else v for k, v in self.fields.items()}
        return play_words()[self.key][lang].format(**values)

    def as_json(self) -> dict[str, str]:
        """``{"error": English, "error_zh": Chinese}``, as the server answers a refusal."""
        return {"error": self.text("en"), "error_zh": self.text("zh")}


_PYDANTIC_KEYS = {"union_tag_invalid": "refused_unknown_kind",
                  "union_tag_not_found": "refused_no_kind",
                  "missing": "refused_missing_field", "extra_forbidden": "refused_extra_field"}


def field_name(name: str) -> Name:
    """A decision's field named in both languages (the pages' ``field_*`` word), else the
    field's own name."""
    words = play_words()
    return word(f"field_{name}") if f"field_{name}" in words else {"en": name, "zh": name}


def parse_decision(data: object) -> _Decision:
    """A decision from a page's JSON, or :class:`DecisionRefused` naming the bad field."""
    if not isinstance(data, dict):
        raise DecisionRefused("refused_not_object")
    try:
        return _ADAPTER.validate_python(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        key = _PYDANTIC_KEYS.get(err["type"], "refused_bad_value")
        if key == "refused_unknown_kind":
            raise DecisionRefused(key, kind=str(data.get("kind"))) from None
        names = [str(p) for p in err["loc"] if isinstance(p, str)]
        name = names[1] if len(names) > 1 else (names[0] if names else "kind")
        raise DecisionRefused(key, field=field_name(name),
                              detail={"en": err["msg"], "zh": ""}) from None


def target_of(decision: _Decision) -> str:
    """What the decision is about, in one string (the record's ``target``)."""
    for name in ("unit", "team", "road", "depot", "incident"):
        value = getattr(decision, name, "")
        if value:
            return str(value)
    if isinstance(decision, ProtectiveAction):
        return ", ".join(decision.communities)
    return ""
