"""The drill file format as typed, immutable objects.

Every model forbids unknown keys and is frozen. Times are stored in seconds:
durations are written ``"90 s"``, ``"5 min"`` or ``"01:30"``, drill times
``"+00:30"`` or a clock time ``"19:05"`` (resolved against ``start``, passed in
the validation context by the loader). See ``docs/scenario-format.md``.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    WithJsonSchema,
    field_validator,
    model_validator,
)

from drillsim.hazards.fire_growth import OCCUPANCIES
from drillsim.metrics.catalog import METRICS
from drillsim.network.places import looks_swapped
from drillsim.timefmt import DURATION_HELP, TIME_HELP, parse_drill_time, parse_duration

CHINA_STANDARD_TIME = timezone(timedelta(hours=8), "CST")
APPARATUS_TYPES = ("engine", "ladder", "rescue", "hazmat", "tanker", "command", "pump")
ApparatusType = Literal["engine", "ladder", "rescue", "hazmat", "tanker", "command", "pump"]
TEAM_UNIT_TYPES = ("pump_crew", "boat_team", "rescue_team", "medical_team", "volunteer_squad")
TeamUnitType = Literal["pump_crew", "boat_team", "rescue_team", "medical_team", "volunteer_squad"]
UNIT_TYPES = APPARATUS_TYPES + TEAM_UNIT_TYPES
VehicleClass = Literal["fire_engine", "truck", "car", "foot", "high_clearance"]
IncidentKind = Literal["fire", "rescue", "alarm", "flood_rescue", "hazmat"]
Occupancy = Literal[tuple(OCCUPANCIES)]  # type: ignore[valid-type]

_ID = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
LONGEST_S = 7 * 86400.0
"""The longest drill (7 days), s: no duration or time in a drill file may be longer."""
FIRST_YEAR, LAST_YEAR = 1990, 2100
"""The years a drill may start in (the plan is for 2021-2025; older and later dates are
allowed for replaying past events and planning ahead)."""
MAX_PEOPLE = 500_000
"""Most people in one group, team, shelter or neighbourhood: Hongqiao had about 483,000
residents in the 2020 census (brief, seed-facts.md)."""
MAX_STOCK = 1e9
"""Most of one relief item at a depot, in its unit (kg, l or sets): 10^9 is far above the
city's reserve."""

Id = Annotated[str, Field(pattern=_ID, max_length=64, description="letters, digits, _ . -")]


def _from_file(info: ValidationInfo) -> bool:
    """True when the loader validates a drill file: there, a bare number has no unit."""
    return bool((info.context or {}).get("from_file"))


def _within_a_drill(seconds: float, value: Any) -> float:
    """The seconds, when finite and at most the longest drill (7 days)."""
    if not math.isfinite(seconds) or seconds > LONGEST_S:
        raise ValueError(f"at most 7 days (the longest drill), got {value!r}")
    return seconds


def _duration(value: Any, info: ValidationInfo) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and not _from_file(info):
        seconds = float(value) if value >= 0 else parse_duration(str(value))
    else:
        seconds = parse_duration(value)
    return _within_a_drill(seconds, value)


def _drill_time(value: Any, info: ValidationInfo) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and not _from_file(info):
        return _within_a_drill(float(value), value)  # already in seconds (Python callers)
    start = (info.context or {}).get("start")
    if start is None:
        if isinstance(value, str) and value.strip().startswith("+"):
            return _within_a_drill(parse_duration(value.strip()[1:]), value)
        raise ValueError(f"expected {TIME_HELP}, got {value!r}")
    return _within_a_drill(parse_drill_time(value, start), value)


Duration = Annotated[
    float,
    BeforeValidator(_duration),
    WithJsonSchema({"type": "string", "description": DURATION_HELP, "examples": ["90 s", "5 min"]}),
]
DrillTime = Annotated[
    float,
    BeforeValidator(_drill_time),
    WithJsonSchema({"type": "string", "description": TIME_HELP, "examples": ["+00:30", "19:05"]}),
]


SHORTEST_STEP_S = 10.0
"""The shortest simulation step, s: a week of 10-s steps is 60,480 updates."""


def _positive(value: float) -> float:
    if value < SHORTEST_STEP_S:
        raise ValueError(f"a time step must be at least {SHORTEST_STEP_S:g} s")
    return value


Step = Annotated[Duration, AfterValidator(_positive)]
"""A simulation time step: a duration of at least :data:`SHORTEST_STEP_S`."""


class Model(BaseModel):
    """Base of every drill-file model: unknown keys rejected, values frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- distributions


class Fixed(Model):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: Duration

    def sample(self, rng: np.random.Generator) -> float:  # noqa: ARG002 - same signature
        return self.value

    def mean(self) -> float:
        return self.value

    def central(self) -> float:
        """The value a deterministic drill uses: ``value``."""
        return self.value


class LogNormal(Model):
    """Log-normal, given by its median and 90th percentile (both durations)."""

    dist: Literal["lognormal"]
    median: Duration = Field(gt=0)
    p90: Duration

    @field_validator("p90")
    @classmethod
    def _ordered(cls, v: float, info: ValidationInfo) -> float:
        median = info.data.get("median")
        if median is not None and v <= median:
            raise ValueError("p90 must be longer than median")
        return v

    @property
    def sigma(self) -> float:
        return math.log(self.p90 / self.median) / 1.2815515655446004  # z(0.90)

    def sample(self, rng: np.random.Generator) -> float:
        return float(self.median * math.exp(self.sigma * rng.standard_normal()))

    def mean(self) -> float:
        return self.median * math.exp(self.sigma**2 / 2)

    def central(self) -> float:
        """The value a deterministic drill uses: the median."""
        return self.median


class Uniform(Model):
    """Uniform between low and high."""

    dist: Literal["uniform"]
    low: Duration
    high: Duration

    @field_validator("high")
    @classmethod
    def _ordered(cls, v: float, info: ValidationInfo) -> float:
        low = info.data.get("low")
        if low is not None and v < low:
            raise ValueError("high must not be below low")
        return v

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.uniform(self.low, self.high))

    def mean(self) -> float:
        return (self.low + self.high) / 2

    def central(self) -> float:
        """The value a deterministic drill uses: the middle of the range."""
        return self.mean()


class Exponential(Model):
    """Exponential with the given mean."""

    dist: Literal["exponential"]
    mean_: Duration = Field(alias="mean", gt=0)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True,
                              allow_inf_nan=False)

    def sample(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean_))

    def mean(self) -> float:
        return self.mean_

    def central(self) -> float:
        """The value a deterministic drill uses: the mean."""
        return self.mean_


def _shorthand_fixed(value: Any) -> Any:
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return {"dist": "fixed", "value": value}
    if isinstance(value, dict) and "dist" not in value and "value" in value:
        return {"dist": "fixed", **value}
    return value


Distribution = Annotated[
    # the discriminator sits on the inner union so that `Distribution | None` keeps the
    # shorthand validator outside the tagged union (else '10 min' is not accepted there)
    Annotated[Fixed | LogNormal | Uniform | Exponential, Field(discriminator="dist")],
    BeforeValidator(_shorthand_fixed),
]


# --------------------------------------------------------------------------- places


class Location(Model):
    """Where something is: a named place, a coordinate, or a network node id.

    A bare string is read as a place id: ``location: xigu_park``.
    """

    place: str | None = None
    lat: float | None = Field(default=None, ge=-90, le=90)
    lon: float | None = Field(default=None, ge=-180, le=180)
    node: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        if isinstance(value, dict) and isinstance(value.get("lat"), int | float) \
                and abs(value["lat"]) > 90 and looks_swapped(value["lat"], value.get("lon")):
            raise ValueError(f"lat {value['lat']} is beyond 90°: lat and lon swapped? "
                             f"latitude comes first: {{lat: {value['lon']}, lon: "
                             f"{value['lat']}}}")
        return {"place": value} if isinstance(value, str) else value

    @field_validator("node", mode="before")
    @classmethod
    def _node_number(cls, value: Any) -> Any:
        """A node id written as a whole number (``node: 1009``, an OSM node id, as
        docs/districts.md writes it) is that id: ids are text, and 1009 reads the same."""
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @model_validator(mode="after")
    def _exactly_one(self) -> Location:
        given = [self.place is not None, self.lat is not None or self.lon is not None,
                 self.node is not None]
        if sum(given) != 1:
            raise ValueError("give exactly one of: place, lat+lon, node")
        if (self.lat is None) != (self.lon is None):
            raise ValueError("give both lat and lon")
        return self


# --------------------------------------------------------------------------- forces


class Apparatus(Model):
    """One fire apparatus (vehicle with its crew)."""

    id: Id
    type: ApparatusType
    crew: int = Field(ge=1, le=20, description="firefighters riding it")
    hazmat: bool = Field(default=False, description="crew trained and equipped for hazmat")


class Turnout(Model):
    """Turnout time (order to wheels rolling) by day and night."""

    day: Distribution
    night: Distribution
    day_starts: Duration = Field(default=7 * 3600.0, description="clock time, e.g. '07:00'")
    night_starts: Duration = Field(default=19 * 3600.0, description="clock time, e.g. '19:00'")

    def for_clock(self, seconds_of_day: float) -> Fixed | LogNormal | Uniform | Exponential:
        """The distribution that applies at a clock time (seconds after midnight)."""
        s = seconds_of_day % 86400.0
        is_day = self.day_starts <= s < self.night_starts
        return self.day if is_day else self.night


class Station(Model):
    """A fire rescue station: where it is, who is on duty, what it runs."""

    id: Id
    name_zh: str = ""
    name_en: str = ""
    location: Location | None = Field(
        default=None, description="defaults to the place with the station's id")
    personnel: int = Field(ge=0, le=1000, description="firefighters on the station's roll")
    on_duty_fraction: float = Field(
        default=0.5, gt=0, le=1, description="share of the roll on duty at any time")
    apparatus: list[Apparatus] = Field(
        min_length=1, description="in staffing priority: crews are filled in this order")
    turnout: Turnout

    @property
    def on_duty(self) -> int:
        """Firefighters on duty (rounded down)."""
        return int(self.personnel * self.on_duty_fraction)

    def staffed(self) -> list[Apparatus]:
        """Apparatus that the on-duty crew can staff, in priority order."""
        left, out = self.on_duty, []
        for app in self.apparatus:
            if app.crew <= left:
                out.append(app)
                left -= app.crew
        return out


class MutualAid(Model):
    """Help from outside the district (neighbouring districts, the city detachment)."""

    enabled: bool = True
    request_after: Duration = Field(
        default=300.0, description="how long a call waits short of units before help is asked")
    arrival_delay: Duration = Field(
        default=1500.0, description="from the request to arrival on scene")
    max_units: int = Field(default=6, ge=0, le=100)


def _unit_types_key(key: str) -> str:
    """A response-plan key: a unit type, or alternatives 'a|b' (any one of them)."""
    bad = [t for t in key.split("|") if t not in UNIT_TYPES]
    if bad:
        raise ValueError(f"unknown unit type {bad[0]!r}; use one of {', '.join(UNIT_TYPES)} "
                         "(or alternatives joined by '|', e.g. 'rescue|boat_team')")
    return key


UnitTypesKey = Annotated[str, BeforeValidator(_unit_types_key)]


class TeamUnits(Model):
    """Units a team can field: how many, with how many members each."""

    type: TeamUnitType
    count: int = Field(ge=0, le=500, description="at most this many units")
    crew: int = Field(ge=1, le=50, description="members per unit")
    vehicle: VehicleClass = Field(default="truck", description="how the unit travels")
    pump_m3_s: float = Field(default=0.0, ge=0, le=10, description="pumping capacity (pump crews)")


class Team(Model):
    """A part-time, volunteer or professional team with a roster and a mobilisation delay."""

    id: Id
    name_zh: str = ""
    name_en: str = ""
    kind: Literal["professional", "part_time", "volunteer"]
    base: Location | None = Field(default=None, description="defaults to the place with the id")
    members: int = Field(ge=0, le=MAX_PEOPLE, description="people on the team's roster")
    shared_members: dict[str, Annotated[int, Field(ge=0, le=MAX_PEOPLE)]] = Field(
        default={}, description="people also on another team's roster, by team id")
    mobilisation: Distribution = Field(
        description="from activation to the team assembled at its base")
    assembled_at: Location | None = Field(
        default=None,
        description="where the team already waits, assembled, when it is called out "
                    "(pre-positioned): its units start there at activation, without the "
                    "mobilisation delay, and return there; default: not assembled")
    units: list[TeamUnits] = Field(
        default=[], description="what it fields, in priority order, while members last")


def shared_pairs(teams: list[Team]) -> dict[frozenset[str], int]:
    """People shared by each pair of teams (the larger figure if both teams state one)."""
    pairs: dict[frozenset[str], int] = {}
    for team in teams:
        for other, n in team.shared_members.items():
            key = frozenset((team.id, other))
            pairs[key] = max(pairs.get(key, 0), n)
    return pairs


class Truck(Model):
    """A relief truck based at a depot."""

    id: Id
    capacity_kg: float = Field(gt=0, le=40_000)


class Depot(Model):
    """A relief-material depot with stock by item and its trucks."""

    id: Id
    name_zh: str = ""
    name_en: str = ""
    location: Location | None = Field(default=None, description="defaults to the place")
    stock: dict[str, Annotated[float, Field(ge=0, le=MAX_STOCK)]] = Field(
        description="quantity by item, in the item's unit (see relief.item_kg)")
    trucks: list[Truck] = []
    loading: Distribution = Field(
        default=LogNormal(dist="lognormal", median=900.0, p90=1500.0),
        description="time to load a truck (plus loading_per_t)")
    loading_per_t: Duration = Field(default=300.0, description="extra loading time per tonne")


class Shelter(Model):
    """A shelter: capacity, when it can take people, and what it lacks."""

    id: Id
    name_zh: str = ""
    name_en: str = ""
    location: Location | None = Field(default=None, description="defaults to the place")
    kind: Literal["fixed", "emergency"] = "fixed"
    capacity: int | None = Field(
        default=None, ge=1, le=MAX_PEOPLE,
        description="people it can hold (default: the place's capacity)")
    open_delay: Duration = Field(
        default=3600.0, description="from the order to open to taking people in")
    lacks: list[str] = Field(default=[], description="e.g. emergency_communications, medical")


class Forces(Model):
    """Everything the command centre can send, store and open."""

    stations: list[Station] = Field(min_length=1)
    response_plans: dict[str, list[dict[UnitTypesKey, Annotated[int, Field(ge=1)]]]] = Field(
        description="per incident type (occupancy, 'rescue', 'alarm', 'flood_rescue'): "
        "units per alarm level; 'a|b' means any one of the types; a fire occupancy "
        "left out gets the occupancy catalogue's plan")
    mutual_aid: MutualAid = MutualAid()
    out_of_service: list[str] = Field(default=[], description="unit ids out at the start")
    teams: list[Team] = []
    depots: list[Depot] = []
    shelters: list[Shelter] = []

    def unit_ids(self) -> list[str]:
        """All apparatus ids, in station order."""
        return [a.id for st in self.stations for a in st.apparatus]

    def has_plan(self, key: str) -> bool:
        """True when incidents of type ``key`` have a response plan (given or catalogued)."""
        return key in self.response_plans or key in OCCUPANCIES

    def plan(self, key: str) -> Sequence[Mapping[str, int]]:
        """Units per alarm level for incident type ``key``: the drill's plan, else (for a
        fire occupancy) the occupancy catalogue's first-alarm plan and further alarms
        (read-only: the engine asks at every call and every size-up).

        Raises
        ------
        KeyError
            For a type with neither (the scenario checks report these first).
        """
        if key in self.response_plans:
            return self.response_plans[key]
        return OCCUPANCIES[key].plan


class Dispatch(Model):
    """How the command centre works."""

    policy: Literal["nearest_available"] = "nearest_available"
    priority: Literal["risk", "call_order"] = Field(
        default="risk", description="order of the waiting calls: life risk first "
        "(risk), or first come, first served (call_order)")
    processing: Distribution = Field(
        default=LogNormal(dist="lognormal", median=45.0, p90=64.0),
        description="call answering and processing time (NFPA 1710: 64 s at 90 %)")


# --------------------------------------------------------------------------- incidents


class Incident(Model):
    """A scripted incident: where, when, what."""

    id: Id
    kind: IncidentKind = "fire"
    occupancy: Occupancy | None = Field(default=None, description="required for fires")
    at: DrillTime | None = Field(
        default=None, description="when it starts (ignition for fires)")
    location: Location
    detection_delay: Distribution = Field(
        default=LogNormal(dist="lognormal", median=120.0, p90=300.0),
        description="from ignition to the call reaching the command centre")
    work_time: Distribution | None = Field(
        default=None, description="on-scene work after control (default by kind)")
    alpha: float | None = Field(
        default=None, gt=0, le=1.0, description="override the t² growth coefficient, kW/s²")
    name_zh: str = ""
    name_en: str = ""
    text: str = Field(default="", description="free text for the players")
    text_zh: str = ""

    @model_validator(mode="after")
    def _fire_has_occupancy(self) -> Incident:
        if self.kind == "fire" and self.occupancy is None:
            raise ValueError("a fire needs an occupancy: " + ", ".join(OCCUPANCIES))
        return self

    @property
    def plan_key(self) -> str:
        """The response-plan key: the occupancy for fires, else the kind."""
        return self.occupancy if self.kind == "fire" else self.kind  # type: ignore[return-value]


class Background(Model):
    """Everyday calls arriving as a Poisson process with an hourly rate profile."""

    calls_per_day: float = Field(ge=0, le=2000)
    hourly_profile: list[Annotated[float, Field(ge=0, le=1000)]] = Field(
        default=[0.5, 0.4, 0.35, 0.3, 0.3, 0.35, 0.5, 0.7, 0.9, 1.0, 1.1, 1.2,
                 1.2, 1.2, 1.2, 1.25, 1.3, 1.4, 1.5, 1.5, 1.4, 1.2, 0.9, 0.7],
        min_length=24, max_length=24,
        description="relative call rate for each hour 00-23 (scaled to calls_per_day)")
    mix: dict[str, Annotated[float, Field(ge=0, le=1000)]] = Field(
        default={"dwelling": 0.2, "outdoor": 0.15, "rescue": 0.3, "alarm": 0.35},
        description="share of each incident type (response-plan keys)")
    work_time: Distribution | None = Field(
        default=None, description="on-scene work of background calls (default by kind)")
    where: Literal["people", "junctions"] = Field(
        default="people", description="where calls are placed: 'people' by the residents "
        "and activity centres present at that hour, 'junctions' uniformly over road nodes")

    @field_validator("mix")
    @classmethod
    def _some_share(cls, v: dict[str, float]) -> dict[str, float]:
        if sum(v.values()) <= 0:
            raise ValueError("at least one incident type needs a share above 0")
        return v

    @field_validator("hourly_profile")
    @classmethod
    def _some_rate(cls, v: list[float]) -> list[float]:
        if sum(v) <= 0:
            raise ValueError("at least one hour needs a positive rate")
        return v

    def rate_per_s(self, hour: int) -> float:
        """Call rate in calls per second during a clock hour."""
        weights = self.hourly_profile
        return self.calls_per_day / 86400.0 * 24 * weights[hour] / sum(weights)


# --------------------------------------------------------------------------- injects


class InjectBase(Model):
    """What every inject has: when, what the players are told, and the MSEL columns."""

    id: Id | None = None
    at: DrillTime
    text: str = Field(default="", description="what the players are told")
    text_zh: str = ""
    deliver_to: str = Field(default="", description="who receives it (MSEL 'to')")
    deliver_to_zh: str = ""
    sender: str = Field(default="", description="who sends it (MSEL 'from')")
    sender_zh: str = ""
    method: str = Field(default="", description="how: phone, radio, in person ...")
    method_zh: str = ""
    expected_action: str = Field(default="", description="what the players should do")
    expected_action_zh: str = ""
    objective: str = Field(default="", description="id of the objective it tests")
    respond_within: Duration = Field(
        default=600.0, gt=0, description="how long after the inject the players' answer "
        "counts as on time in a played exercise (an assumption: 10 min by default)")


class UnitOutOfService(InjectBase):
    kind: Literal["unit_out_of_service"]
    unit: str


class UnitInService(InjectBase):
    kind: Literal["unit_in_service"]
    unit: str


class RoadChange(InjectBase):
    kind: Literal["road_closed", "road_reopened"]
    road: str = Field(description="road name, Chinese or English")
    near: Location | None = Field(default=None, description="only the part of the road near here")
    radius_m: float = Field(default=400.0, gt=0, le=20000)
    vehicles: list[VehicleClass] | None = Field(
        default=None, description="only these vehicle classes (default: all)")


class NewIncident(InjectBase):
    kind: Literal["incident"]
    incident: Incident


class CallSurge(InjectBase):
    kind: Literal["call_surge"]
    factor: float = Field(gt=0, le=100, description="multiplies the background call rate")
    lasting: Duration | None = Field(default=None, description="until the end if omitted")


class CommsDelay(InjectBase):
    kind: Literal["comms_delay"]
    delay: Duration = Field(description="extra time before each dispatch order gets through")
    lasting: Duration | None = None


class Note(InjectBase):
    kind: Literal["note"]
    points: list[str] = Field(
        default=[], description="waterlogging point ids the note reports on (underpasses "
        "closed): the MSEL answers with the units routed around them")


class PumpStation(InjectBase):
    kind: Literal["pump_station_failed", "pump_station_restored"]
    point: str = Field(description="waterlogging point id")
    capacity_share: float = Field(
        default=0.0, ge=0, le=1, description="share of drainage left when failed")


class WindShift(InjectBase):
    kind: Literal["wind_shift"]
    wind_from_deg: float = Field(ge=0, le=360, description="where the wind now blows from")
    wind_speed_m_s: float | None = Field(default=None, gt=0, le=30)


class StockChange(InjectBase):
    kind: Literal["stock_change"]
    depot: str
    stock: dict[str, Annotated[float, Field(ge=-MAX_STOCK, le=MAX_STOCK)]] = Field(
        description="change by item; negative takes stock away")


Inject = Annotated[
    UnitOutOfService | UnitInService | RoadChange | NewIncident | CallSurge | CommsDelay | Note
    | PumpStation | StockChange | WindShift,
    Field(discriminator="kind"),
]


# --------------------------------------------------------------------------- objectives

_TARGET = re.compile(r"^\s*(<=|>=|<|>|≤|≥)\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z%]*)\s*$")


class Objective(Model):
    """A measurable objective: a metric from the catalogue and a target."""

    id: Id
    metric: str = Field(description="a metric name, see `drillsim schema --metrics`")
    target: str = Field(description="e.g. '<= 5 min', '>= 90 %', '<= 0'")
    text: str = ""
    text_zh: str = ""
    capability: str = Field(default="", description="capability element it tests")
    critical: bool = Field(
        default=False, description="the plan's own target: if it fails (or is not measured), "
        "the drill fails: the overall rating is capped at the lowest grade (差)")

    @field_validator("metric")
    @classmethod
    def _known_metric(cls, v: str) -> str:
        if v not in METRICS:
            close = difflib.get_close_matches(v, list(METRICS), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"unknown metric {v!r}{hint}; choose one of: {', '.join(METRICS)}")
        return v

    @field_validator("target")
    @classmethod
    def _target_parses(cls, v: str, info: ValidationInfo) -> str:
        metric = info.data.get("metric")
        if metric is not None:  # an unknown metric is reported on its own line
            parse_target(metric, v)
        return v

    def bound(self) -> tuple[str, float]:
        """The comparison and the target in the metric's unit (seconds, share 0-1, count, kW)."""
        return parse_target(self.metric, self.target)


def parse_target(metric: str, target: str) -> tuple[str, float]:
    """Parse an objective target such as ``'<= 5 min'`` for a catalogue metric.

    Returns
    -------
    tuple of (str, float)
        The comparison (``<=``, ``>=``, ``<``, ``>``) and the bound in the metric's
        unit (seconds, share 0-1, count, kW).

    Raises
    ------
    ValueError
        When the target does not parse or its unit does not suit the metric.
    """
    m = _TARGET.match(target)
    if not m:
        raise ValueError(f"target {target!r} should look like '<= 5 min' or '>= 90 %'")
    op = {"≤": "<=", "≥": ">="}.get(m.group(1), m.group(1))
    number, unit = float(m.group(2)), m.group(3)
    kind = METRICS[metric].unit
    if kind == "seconds":
        value = parse_duration(f"{number} {unit or 's'}")
    elif kind == "share":
        if unit not in ("%", ""):
            raise ValueError(f"target of {metric} is a share: write e.g. '>= 90 %'")
        value = number / 100 if unit == "%" or number > 1 else number
    else:
        if unit not in ("", "kW") and not (kind == "kW" and unit == "MW"):
            raise ValueError(f"target of {metric} takes no unit {unit!r}")
        value = number * (1000 if unit == "MW" else 1)
    return op, value


# --------------------------------------------------------------------------- flood, relief, warning


class StormFormulaSpec(Model):
    """Storm-intensity formula q = A(1 + C·lgP)/(t + b)^n, q in L/(s·ha), t in minutes."""

    A: float = Field(default=3833.34, gt=0, le=100_000)
    C: float = Field(default=0.85, ge=0, le=100)
    b: float = Field(default=17.0, ge=0, le=1000)
    n: float = Field(default=0.85, gt=0, lt=2)


MAX_RAIN_MM_H = 2300.0
"""The most intense rain ever measured, mm/h: 38 mm in one minute at Barot, Guadeloupe,
26 Nov 1970 (WMO world weather and climate extremes archive), about 2,290 mm/h."""


class RainStep(Model):
    """Rain intensity from ``at`` until the next step (the last one lasts to the end)."""

    at: DrillTime
    mm_h: float = Field(ge=0, le=500)


class Rain(Model):
    """A design storm from the storm-intensity formula, or a rain series."""

    formula: StormFormulaSpec = StormFormulaSpec()
    return_period: float | None = Field(default=None, gt=0, le=10_000, description="years")
    duration: Duration = Field(default=7200.0, description="length of the design storm")
    peak_ratio: float = Field(default=0.4, gt=0, lt=1, description="Chicago storm peak position")
    start: DrillTime = Field(default=0.0, description="when the rain starts")
    step: Step = Field(default=300.0, description="length of each hyetograph block")
    series: list[RainStep] | None = Field(
        default=None, description="a rain series instead of a design storm")

    @field_validator("duration")
    @classmethod
    def _lasts(cls, v: float) -> float:
        if v <= 0:
            raise ValueError("the design storm must last longer than 0 s")
        return v

    @model_validator(mode="after")
    def _one_source(self) -> Rain:
        if (self.return_period is None) == (self.series is None):
            raise ValueError("give either return_period (a design storm) or series")
        if self.series is not None:
            times = [s.at for s in self.series]
            if any(b <= a for a, b in zip(times, times[1:], strict=False)):
                raise ValueError("series times must increase from one step to the next")
        else:
            self._check_design_storm()
        return self

    def _check_design_storm(self) -> None:
        """The blocks fit the duration, and the storm is rain that can fall."""
        from drillsim.hazards.pluvial_flood import StormFormula, chicago_hyetograph

        blocks = self.duration / self.step
        if abs(blocks - round(blocks)) > 1e-9 * blocks or round(blocks) < 1:
            lower, upper = math.floor(blocks) * self.step, math.ceil(blocks) * self.step
            raise ValueError(
                f"the duration ({self.duration / 60:g} min) is not a whole number of "
                f"{self.step / 60:g}-min steps; give a duration of "
                + (f"{lower / 60:g} or " if lower > 0 else "") + f"{upper / 60:g} min, "
                "or a step that divides it")
        f = self.formula
        with np.errstate(all="ignore"):
            mm_h = chicago_hyetograph(StormFormula(f.A, f.C, f.b, f.n), self.return_period,
                                      self.duration / 60, self.peak_ratio, self.step / 60)
        if not np.all(np.isfinite(mm_h)) or np.any(mm_h < 0):
            raise ValueError(
                f"the storm formula gives no real rain for a {self.return_period:g}-year "
                "return period (1 + C·lgP must be above 0 and the intensities finite); "
                "check return_period and formula")
        if mm_h.max() > MAX_RAIN_MM_H:
            raise ValueError(
                f"the design storm's most intense block is {mm_h.max():,.0f} mm/h, above "
                f"{MAX_RAIN_MM_H:,.0f} mm/h, the most intense rain ever measured; check "
                "return_period and formula")


class WaterloggingPoint(Model):
    """A waterlogging point (易涝点): a small reservoir that floods nearby roads and homes."""

    id: Id
    name_zh: str = ""
    name_en: str = ""
    location: Location
    catchment_ha: float = Field(gt=0, le=10_000)
    runoff_coeff: float = Field(gt=0, le=1)
    drain_m3_s: float = Field(ge=0, le=100, description="drainage or pump-station capacity")
    area_m2: float = Field(gt=0, le=10_000_000, description="ponding area")
    radius_m: float = Field(default=250.0, gt=0, le=5000, description="roads within this distance")
    roads: list[str] | None = Field(default=None, description="only roads with these names")
    residents: int = Field(default=0, ge=0, le=MAX_PEOPLE,
                           description="people in low-lying homes nearby")
    displace_depth_m: float = Field(
        default=0.3, gt=0, le=5,
        description="median floor height of the homes: half have water inside at this depth")
    displace_spread_m: float = Field(
        default=0.2, ge=0, le=5, description="floor heights spread over median ± this")
    leave_delay: Duration = Field(
        default=3600.0, description="decision delays spread over 0 to this after water enters")
    trapped_share: float = Field(default=0.02, ge=0, le=1)
    people_per_call: int = Field(default=5, ge=1, le=1000,
                                 description="trapped people per rescue call")


class FloodUncertainty(Model):
    """What is uncertain in a rainstorm, drawn afresh in every run (off when deterministic)."""

    storm_depth_sd: float = Field(
        default=0.09, ge=0, le=1,
        description="design storm depth × a log-normal factor of median 1 and this log-sd")
    peak_ratio_spread: float = Field(
        default=0.1, ge=0, lt=0.5, description="peak ratio uniform within ± this")
    drain_failure_p: float = Field(
        default=0.05, ge=0, le=1, description="chance that a point's drainage fails")
    drain_failure_share: float = Field(
        default=0.5, ge=0, le=1, description="share of its drainage a failed point keeps")


class Flood(Model):
    """The rainstorm, the waterlogging points and how the response to them works."""

    rain: Rain
    points: list[WaterloggingPoint] = Field(
        default=[], description="the points (default: the district's known points)")
    step: Step = Field(default=300.0, description="hydrology and road-update step")
    activation: DrillTime | None = Field(
        default=None, description="teams activated, shelters ordered open (default: rain start)")
    pump_threshold_m: float = Field(default=0.15, ge=0, le=10)

    pump_setup: Duration = Field(default=1200.0)
    max_pumps_per_point: int = Field(default=2, ge=0, le=100)
    pump_priority: Literal["failed_first", "deepest_first"] = Field(
        default="failed_first", description="which points pump crews go to first")
    group_size: int = Field(default=100, ge=1, le=10_000, description="people per moving group")
    uncertainty: FloodUncertainty = FloodUncertainty()


class Relief(Model):
    """The relief chain and its clock (indicator 8: basic needs relieved within 10 hours)."""

    clock_from: Literal["onset", "displacement"] = "onset"
    onset: DrillTime | None = Field(default=None, description="default: the rain start")
    target: Duration = Field(default=36000.0, description="the relief target (10 h)")
    ration: dict[str, Annotated[float, Field(gt=0, le=1000)]] = Field(
        default={"water_l": 3.0, "food_ration": 1.0, "bedding_set": 1.0},
        description="first basic-needs ration per person, by item")
    item_kg: dict[str, Annotated[float, Field(gt=0, le=1000)]] = Field(
        default={"water_l": 1.0, "food_ration": 0.6, "bedding_set": 2.5, "clothing_set": 1.0,
                 "medical_kit": 1.5, "tent": 25.0},
        description="weight of one unit of each item, kg")
    unload: Distribution = Field(
        default=LogNormal(dist="lognormal", median=900.0, p90=1500.0),
        description="time to unload a truck at a shelter")
    policy: Literal["largest_unmet_need"] = "largest_unmet_need"
    replenishment: list[Replenishment] = []


class Replenishment(Model):
    """Stock arriving at a depot: enterprise reserves or the city's."""

    at: DrillTime
    depot: str
    stock: dict[str, Annotated[float, Field(ge=0, le=MAX_STOCK)]]


class ChannelSpec(Model):
    """A warning channel."""

    name: str
    reach: float = Field(ge=0, le=1, description="share of people it alone eventually reaches")
    delay: Duration = Field(description="from the decision to warn to the first people reached")
    ramp: Duration = Field(default=0.0, description="from first reached to full reach")
    wakes: float | None = Field(
        default=None, ge=0, le=1,
        description="share of sleeping people it wakes; when given, reach is among people "
                    "awake and the channel follows the hour (default: as written, any hour)")
    on_waking: bool = Field(
        default=False,
        description="with wakes: those it did not wake get it when they wake (06:00-08:30)")

    @model_validator(mode="after")
    def _on_waking_needs_wakes(self) -> ChannelSpec:
        if self.on_waking and self.wakes is None:
            raise ValueError("on_waking needs wakes (the share of sleeping people the "
                             "channel wakes)")
        return self


class PublicWarning(Model):
    """Public warning (indicator 7: coverage ≥ 95 %)."""

    issued_at: DrillTime = Field(default=0.0, description="decision to warn the public")
    channels: list[ChannelSpec] | None = Field(default=None, description="default: the district's")
    target: float = Field(default=0.95, gt=0, le=1)


Relief.model_rebuild()


class WeatherStep(Model):
    """Weather from ``at`` until the next step: wind and cloud, or a stability class."""

    at: DrillTime = 0.0
    wind_speed_m_s: float = Field(gt=0, le=30, description="at 10 m, m/s")
    wind_from_deg: float = Field(
        ge=0, le=360, description="where the wind blows from: 0 north, 90 east, 180 south")
    cloud_eighths: float = Field(default=4, ge=0, le=8, description="cloud cover, eighths")
    stability: Literal["A", "B", "C", "D", "E", "F"] | None = Field(
        default=None, description="Pasquill class (default: from wind, cloud, day or night)")


class Release(Model):
    """The source term of a hazardous-chemical release."""

    kind: Literal["leaking_valve", "ruptured_line", "container_failure"] = "leaking_valve"
    rate_kg_min: float = Field(gt=0, le=100_000, description="release rate, kg/min")
    quantity_kg: float = Field(gt=0, le=10_000_000,
                               description="what can leak: the container's contents, kg")
    containers_stored: int = Field(default=1, ge=1, le=1000, description="containers at the site")
    height_m: float = Field(default=1.0, ge=0, le=300, description="release height, m")


class AreaAction(Model):
    """A protective action for a named subdistrict or community, whatever the zones say."""

    area: str = Field(min_length=1, description="a subdistrict or community id, e.g. jieyuan")
    action: Literal["evacuate", "shelter_in_place"]


class ProtectiveActions(Model):
    """What people in each threat zone are told to do."""

    aegl3: Literal["evacuate", "shelter_in_place", "none"] = "evacuate"
    aegl2: Literal["evacuate", "shelter_in_place", "none"] = "evacuate"
    aegl1: Literal["evacuate", "shelter_in_place", "none"] = "shelter_in_place"
    downwind: Literal["evacuate", "shelter_in_place", "none"] = Field(
        default="shelter_in_place",
        description="the ERG protective-action area: a square downwind of the source")
    downwind_m: float | None = Field(
        default=None, ge=0, le=20_000,
        description="its side, m (default: the ERG's for the container, day or night, wind)")
    areas: list[AreaAction] = Field(
        default_factory=list,
        description="actions for named subdistricts or communities, given with the order")
    decided_after: Duration = Field(
        default=900.0, description="from the hazmat call reaching the command centre to the "
        "order")


class ChemicalRelease(Model):
    """A hazardous-chemical release: where, what, how much, the weather and the response."""

    id: Id = "CHEM1"
    chemical: str = Field(description="a chemical from the catalogue, e.g. chlorine, ammonia")
    site: Location
    at: DrillTime = Field(description="when the release starts")
    release: Release
    weather: list[WeatherStep] = Field(min_length=1)
    dispersion: Literal["urban", "rural"] = "urban"
    exposure_min: float = Field(default=60, ge=10, le=480, description="AEGL exposure duration")
    step: Step = Field(default=120.0, description="how often zones are recomputed")
    isolation_m: float | None = Field(
        default=None, ge=0, le=5000, description="initial isolation radius (default: the ERG's)")
    protective_actions: ProtectiveActions = ProtectiveActions()
    indoor_factor: float = Field(
        default=0.2, ge=0, le=1, description="indoor/outdoor concentration when sheltering")
    indoor_share: float | None = Field(
        default=None, ge=0, le=1,
        description="share of people indoors when no order holds (default: by hour of day)")
    detection_delay: Distribution = Field(
        default=LogNormal(dist="lognormal", median=120.0, p90=300.0),
        description="from the release start to the hazmat call reaching the command centre")
    ppe_time: Duration = Field(default=600.0, description="hazmat crews put on protective gear")
    source_control: Distribution = Field(
        default=LogNormal(dist="lognormal", median=1800.0, p90=3600.0),
        description="hazmat work at the source until the leak is stopped")
    group_size: int = Field(
        default=200, ge=50, le=10_000, description="people per moving group (at least 50: "
        "the district's 483,000 people make at most about 10,000 groups)")

    @property
    def incident_id(self) -> str:
        """The id of the hazmat incident the release raises when its call comes in."""
        return f"HZ-{self.id}"

    @field_validator("chemical")
    @classmethod
    def _known(cls, v: str) -> str:
        from drillsim.hazards.plume import CHEMICALS

        if v not in CHEMICALS:
            raise ValueError(f"unknown chemical {v!r}; choose one of: {', '.join(CHEMICALS)}")
        return v

    @field_validator("weather")
    @classmethod
    def _ordered(cls, v: list[WeatherStep]) -> list[WeatherStep]:
        times = [w.at for w in v]
        if any(b <= a for a, b in zip(times, times[1:], strict=False)):
            raise ValueError("weather times must increase from one step to the next")
        return v


# --------------------------------------------------------------------------- the drill


class Scenario(Model):
    """A whole drill: when, where, who, what happens and what it must achieve."""

    name: str = Field(min_length=1, max_length=200)
    name_zh: str = ""
    description: str = ""
    description_zh: str = ""
    start: datetime = Field(description="e.g. 2026-07-15T18:30 (China Standard Time if no zone)")
    duration: Duration = Field(description="how long the drill runs, e.g. '04:00'")
    seed: int = Field(default=1, ge=0, lt=2**63)
    deterministic: bool = Field(
        default=False, description="every uncertain time at its central value; no random floods")
    district: str = Field(
        default="hongqiao", description="'hongqiao' or the folder of a district package "
        "(docs/districts.md): its road network, places, population and default forces")
    network: str = Field(default="default",
                         description="'default' (the district's) or a path to a GraphML file")
    snap_max_m: float | None = Field(
        default=None, gt=0, le=2000,
        description="farthest a coordinate of the drill may lie from its road node, m "
        "(default: the district's snap_max_m, else 200)")
    forces: Forces
    dispatch: Dispatch = Dispatch()
    incidents: list[Incident] = []
    background: Background | None = None
    injects: list[Inject] = []
    objectives: list[Objective] = []
    flood: Flood | None = None
    relief: Relief = Relief()
    warning: PublicWarning | None = None
    chemical: ChemicalRelease | None = None

    @field_validator("start")
    @classmethod
    def _zone(cls, v: datetime) -> datetime:
        if not FIRST_YEAR <= v.year <= LAST_YEAR:  # and the drill's week stays in the calendar
            raise ValueError(f"a drill starts between {FIRST_YEAR} and {LAST_YEAR}, got "
                             f"{v:%Y-%m-%d}")
        return v if v.tzinfo else v.replace(tzinfo=CHINA_STANDARD_TIME)

    @field_validator("duration")
    @classmethod
    def _positive(cls, v: float) -> float:
        if not 0 < v <= 7 * 86400:
            raise ValueError("the drill must last more than 0 s and at most 7 days")
        return v

    def clock_seconds(self, t: float) -> float:
        """Seconds after local midnight at drill time ``t`` (s from the start)."""
        midnight = self.start.replace(hour=0, minute=0, second=0, microsecond=0)
        return ((self.start - midnight).total_seconds() + t) % 86400.0

    def inject_ids(self) -> list[str]:
        """Each inject's id as the records name it: its own, or ``inject-N`` (N from 1, in
        file order) for one the drill file gave no id."""
        return [inj.id or f"inject-{k + 1}" for k, inj in enumerate(self.injects)]

    def all_incidents(self) -> list[Incident]:
        """Scripted incidents and those that injects bring, in file order."""
        out = list(self.incidents)
        out += [inj.incident for inj in self.injects if isinstance(inj, NewIncident)]
        return out
