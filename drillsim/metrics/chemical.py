"""Chemical-release measures: pure functions of a run's records.

:func:`chemical_facts` is the one place that reads what happened in a release: when and
how the leak ended, the weather states and zone lengths, people above each AEGL level
over time, the evacuation group by group and the responders exposed. The metrics of the
catalogue (:func:`chemical_metrics`) and the report's chemical part only present it.

Exposure counts come from the ``plume`` records (people above each AEGL level at each
zone update); person-minutes multiply them by the update step. Times are from the
hazmat incident's call. The rules (isolation radius, downwind distance, when the
container runs empty) are those of :mod:`drillsim.hazards.chemical_zones`, the engine's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from drillsim.hazards import chemical_zones as rules
from drillsim.hazards.chemical_zones import LEVELS, LeakEndHow
from drillsim.hazards.plume import ErgDistances
from drillsim.hazards.warning import max_coverage, order_channels
from drillsim.metrics.warning import warning_issued_at
from drillsim.records.record import Record
from drillsim.records.result import RunResult

CHEMICAL_METRICS = ("hazmat_first_arrival", "source_control_time", "people_above_aegl1",
                    "people_above_aegl2", "people_above_aegl3", "person_minutes_aegl2",
                    "evacuation_time", "responders_exposed")


@dataclass(frozen=True)
class LeakEnd:
    """When and how the leak ended.

    Attributes
    ----------
    t
        Drill time, s (``inf``: not by the end of the drill).
    how
        ``source_control`` (a crew stopped it), ``container_empty`` or ``not_ended``.
    unit
        The crew that stopped it (``""`` unless ``source_control``).
    since_call
        Seconds from the hazmat incident's call (``inf`` if not ended, NaN with no call).
    """

    t: float
    how: LeakEndHow
    unit: str
    since_call: float


@dataclass(frozen=True)
class WeatherState:
    """The weather of one stretch of the release and the zone lengths it gives.

    Attributes
    ----------
    t
        Drill time the state began, s.
    wind_from, u, cls
        Wind-from direction (deg), wind speed (m/s), Pasquill-Gifford class.
    shifted
        True after a change of the weather at the release.
    extent_m
        AEGL level -> farthest downwind distance above the level on the plume axis by the
        Gaussian estimate, m.
    dense_m
        The same by the dense-gas estimate, m (NaN for a gas lighter than air).
    """

    t: float
    wind_from: float
    u: float
    cls: str
    shifted: bool
    extent_m: dict[int, float]
    dense_m: dict[int, float]

    def drives(self, level: int) -> str:
        """The estimate that reaches farther at a level, ``dense`` or ``gaussian``: the
        zones used for the protective actions are the union of the two, so the longer
        one sets how far they reach."""
        d = self.dense_m[level]
        return "dense" if math.isfinite(d) and d > self.extent_m[level] else "gaussian"

    def driving_m(self, level: int) -> float:
        """Downwind length of the zone the protective actions use at a level, m."""
        d = self.dense_m[level]
        return max(self.extent_m[level], d) if math.isfinite(d) else self.extent_m[level]


@dataclass(frozen=True)
class Exposure:
    """People above one AEGL level over the run.

    Attributes
    ----------
    level
        AEGL level.
    peak, peak_t
        Most people above the level at one update, and when (s; NaN with no update).
    before, after
        Person-minutes above the level before and after the protective-action order.
    peak_until
        Drill time of the last update of the stretch at the peak that began at ``peak_t``
        (s; NaN with no update): the count stayed at the peak from ``peak_t`` to it.
    """

    level: int
    peak: float
    peak_t: float
    before: float
    after: float
    peak_until: float = math.nan

    @property
    def person_minutes(self) -> float:
        """Person-minutes above the level over the run."""
        return self.before + self.after


@dataclass(frozen=True)
class EvacGroup:
    """One group of people ordered out by the release.

    Attributes
    ----------
    group, people
        Group id and its size.
    out, node
        Drill time the group left home (s) and the road node it left from.
    wait
        First time it waited at a shelter not yet open, s (NaN: never waited).
    admit, last_admit
        First and last time people of the group were admitted to a shelter, s (NaN: never).
    admitted
        People of the group admitted to a shelter.
    shelter
        The first shelter that admitted them (``""`` if none).
    """

    group: str
    people: int
    out: float
    node: int
    wait: float
    admit: float
    last_admit: float
    admitted: int
    shelter: str

    @property
    def complete(self) -> bool:
        """Every person of the group is in a shelter."""
        return self.admitted >= self.people


@dataclass(frozen=True)
class Evacuation:
    """The evacuation of the release's zones.

    Attributes
    ----------
    groups
        Every group ordered out, in the order they left.
    order
        Drill time of the protective-action order, s (NaN: no order).
    first_open
        First time any shelter opened, s (NaN: none did).
    walk_s, wait_s
        Person-seconds walking to a shelter, and waiting outside one not yet open.
    reach_s
        Person-seconds from the order until each evacuee left home (the order reaching
        them, and their reaction time).
    """

    groups: tuple[EvacGroup, ...]
    order: float
    first_open: float
    walk_s: float
    wait_s: float
    reach_s: float = 0.0

    @property
    def last_group(self) -> EvacGroup | None:
        """The group whose admission set :attr:`time` (the last admitted; None if none)."""
        done = [g for g in self.groups if math.isfinite(g.last_admit)]
        return max(done, key=lambda g: (g.last_admit, g.out)) if done else None

    @property
    def people(self) -> int:
        """People ordered out."""
        return sum(g.people for g in self.groups)

    @property
    def sizes(self) -> tuple[int, float, int]:
        """The groups' sizes as recorded: (count, median people, largest); (0, NaN, 0)
        without groups. The model splits the people of one road node leaving together
        into groups of at most ``group_size``, so most are smaller."""
        if not self.groups:
            return 0, math.nan, 0
        people = [g.people for g in self.groups]
        return len(people), float(np.median(people)), max(people)

    @property
    def admitted(self) -> int:
        """People admitted to a shelter."""
        return sum(g.admitted for g in self.groups)

    @property
    def missing(self) -> tuple[str, ...]:
        """Groups not (wholly) in a shelter by the end."""
        return tuple(g.group for g in self.groups if not g.complete)

    @property
    def last_admit(self) -> float:
        """Last admission of any of them, s (NaN: none)."""
        return max((g.last_admit for g in self.groups if math.isfinite(g.last_admit)),
                   default=math.nan)

    @property
    def time(self) -> float:
        """Order to the last evacuee in a shelter, s (``inf``: some never got in; NaN: no
        order or nobody ordered out): the ``evacuation_time`` metric."""
        if math.isnan(self.order) or not self.groups:
            return math.nan
        return self.last_admit - self.order if not self.missing else math.inf


@dataclass(frozen=True)
class OrderReach:
    """How the protective-action order reached people (the ``protective_action`` record).

    Attributes
    ----------
    order
        Drill time of the order, s.
    told_from
        Drill time from which the order went out on the channels, s (the order, or the
        public warning's decision if later).
    channels
        The channels that carried it (the drill's warning channels, or the district's
        default ones).
    default_channels
        True when the drill has no ``warning:`` section (the district's default channels
        were assumed).
    reaction_s
        From being reached to acting on the order, s (an assumption of the engine).
    first_out
        When the first evacuee left home, s (NaN: nobody did).
    at_once
        Share of the public the channels other than door to door in the ordered area reach
        on their ramps at the hour the order goes out (the people awake and those an alert
        wakes), 0-1 (:func:`drillsim.hazards.warning.order_channels`).
    in_end
        Share they reach in the end, the sleepers they did not wake reached on getting
        up, 0-1.
    waking_from
        Drill time from which they reach those sleepers, s (NaN: no such reach, by day or
        with channels that do not follow the hour).
    warned
        Drill time of the drill's public warning (its ``warning_issued`` record), s (NaN:
        none): the warning measures are timed from it, not from the order.
    """

    order: float
    told_from: float
    channels: tuple[str, ...]
    default_channels: bool
    reaction_s: float
    first_out: float
    at_once: float = math.nan
    in_end: float = math.nan
    waking_from: float = math.nan
    warned: float = math.nan


@dataclass(frozen=True)
class DoorRound:
    """A door-to-door round of the protective-action order (a ``door_to_door`` record).

    Attributes
    ----------
    t
        Drill time the round was planned (the order, or a zone update), s.
    action
        ``evacuate`` or ``shelter_in_place``.
    households
        Households visited.
    staff
        Grid workers on the round.
    communities
        Communities the order had touched.
    first_visit, last_visit
        Drill times of the round's first and last visit, s.
    """

    t: float
    action: str
    households: float
    staff: float
    communities: int
    first_visit: float
    last_visit: float


REASONS = ("isolation", "aegl3", "aegl2", "aegl1", "downwind", "area")
"""Why people were ordered out (the ``evacuation_ordered`` record), in the engine's order."""


@dataclass(frozen=True)
class OrderedOut:
    """People newly ordered out at one zone update (an ``evacuation_ordered`` record).

    Attributes
    ----------
    t
        Drill time, s.
    people
        Reason (:data:`REASONS`) -> residents at home in the cells newly ordered out.
    """

    t: float
    people: dict[str, float]

    @property
    def total(self) -> float:
        """People newly ordered out."""
        return sum(self.people.values())


@dataclass(frozen=True)
class ShelterClosed:
    """A shelter a threat zone reached while the release's evacuees were using it.

    Attributes
    ----------
    shelter
        Shelter id.
    t
        First time evacuees of the release were turned away from it, s.
    people
        People of the release turned away (on arrival, or while waiting outside).
    waited
        Of whom were waiting outside it for its opening when the zone reached it.
    """

    shelter: str
    t: float
    people: int
    waited: int


@dataclass(frozen=True)
class Responder:
    """A crew at a staging point inside the AEGL-2 zone (on arrival, or when the zone moved
    over it)."""

    t: float
    unit: str
    crew: int


@dataclass(frozen=True)
class ChemicalFacts:
    """What happened in a chemical release, measured once.

    Attributes
    ----------
    call
        Drill time of the hazmat incident's call, s (NaN: none).
    hazmat_arrival
        Drill time the first hazmat-capable unit arrived, s (``inf``: none).
    isolation_m
        Initial isolation radius, m (the engine's rule).
    erg
        ERG Table 3 row for the wind at the release (None: no row for the chemical).
    downwind_m
        Side of the protective-action square the order used, m (NaN: no order).
    leak_end
        When and how the leak ended.
    weather
        The weather at the release and after each change, until the leak ended.
    plume_t, people
        Drill times of the zone updates (s) and people above each level at each.
    exposure
        AEGL level -> exposure over the run.
    evacuation
        The evacuation.
    responders
        Crews at a staging point inside the AEGL-2 zone.
    order_reach
        How the order reached people (None: no order).
    shelters_closed
        Shelters a zone reached while the release's evacuees were using them, in time order.
    ordered_out
        Who was ordered out and why, update by update (the evacuation's denominator: the
        groups that left are those of these people the order reached).
    aegl1_nodes
        Road nodes inside the AEGL-1 zone at each zone update.
    step_s
        Time between zone updates, s (each update's people count for one step).
    door_rounds
        The order's door-to-door rounds, in the order they were planned (none when the
        drill's own channels carried the order).
    """

    call: float
    hazmat_arrival: float
    isolation_m: float
    erg: ErgDistances | None
    downwind_m: float
    leak_end: LeakEnd
    weather: tuple[WeatherState, ...]
    plume_t: np.ndarray
    people: dict[int, np.ndarray]
    exposure: dict[int, Exposure]
    evacuation: Evacuation
    responders: tuple[Responder, ...]
    order_reach: OrderReach | None = None
    shelters_closed: tuple[ShelterClosed, ...] = ()
    ordered_out: tuple[OrderedOut, ...] = ()
    aegl1_nodes: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    step_s: float = 0.0
    door_rounds: tuple[DoorRound, ...] = ()

    def door_summary(self, action: str) -> DoorRound | None:
        """Every door-to-door round of ``action`` as one: households summed, the most
        staff, first and last visit (None: no such round)."""
        rounds = [r for r in self.door_rounds if r.action == action]
        if not rounds:
            return None
        return DoorRound(rounds[0].t, action, sum(r.households for r in rounds),
                         max(r.staff for r in rounds), max(r.communities for r in rounds),
                         min(r.first_visit for r in rounds), max(r.last_visit for r in rounds))

    def door_later(self, action: str) -> DoorRound | None:
        """The rounds of ``action`` planned after its first one (the ordered area grew:
        the zones reached new streets, or the wind turned) as one: ``t`` the first of them,
        ``last_visit`` their last visit, households summed (None: no later round)."""
        rounds = [r for r in self.door_rounds if r.action == action]
        later = [r for r in rounds if r.t > rounds[0].t] if rounds else []
        if not later:
            return None
        return DoorRound(later[0].t, action, sum(r.households for r in later),
                         max(r.staff for r in later), max(r.communities for r in later),
                         min(r.first_visit for r in later), max(r.last_visit for r in later))

    def door_later_times(self, action: str) -> tuple[float, ...]:
        """Drill times of the later rounds of ``action`` (:meth:`door_later`), s."""
        rounds = [r for r in self.door_rounds if r.action == action]
        return tuple(sorted({r.t for r in rounds if r.t > rounds[0].t})) if rounds else ()

    @property
    def people_ordered_out(self) -> float:
        """Everyone ordered out over the run."""
        return sum(o.total for o in self.ordered_out)

    @property
    def ordered_later(self) -> float:
        """Residents ordered out after the order itself, as the zones reached new streets."""
        return sum(o.total for o in self.ordered_out if o.t > self.evacuation.order)

    @property
    def responders_exposed(self) -> int:
        """Crew members at a staging point inside the AEGL-2 zone."""
        return sum(r.crew for r in self.responders)

    @property
    def order_times(self) -> dict[str, float]:
        """The one source of the order's times, drill s (NaN: did not happen): ``call``
        (the release call), ``decided`` (the protective-action order), ``issued`` (it went
        out on the warning channels) and ``acted`` (the first evacuee left home)."""
        reach = self.order_reach
        nan = math.nan
        return {"call": self.call,
                "decided": reach.order if reach else nan,
                "issued": reach.told_from if reach else nan,
                "acted": reach.first_out if reach else nan}

    def people_at(self, level: int, t: float) -> float:
        """People above ``level`` at the last zone update at or before drill time ``t`` (s;
        0 before the first update)."""
        k = int(np.searchsorted(self.plume_t, t, side="right")) - 1
        return float(self.people[level][k]) if k >= 0 else 0.0

    def exposed_until(self, level: int) -> float:
        """End of the last zone update with anyone above ``level``: its time plus one
        update step (each update counts one step, as in :class:`Exposure`), drill s; NaN
        when nobody was ever above it."""
        above = np.flatnonzero(self.people[level] > 0)
        return float(self.plume_t[above[-1]]) + self.step_s if above.size else math.nan

    def _person_minutes(self, level: int, lo: float, hi: float) -> float:
        """Person-minutes above ``level`` between drill times ``lo`` and ``hi`` (s)
        (:func:`held_person_minutes`)."""
        return held_person_minutes(self.plume_t, self.people[level], self.step_s, lo, hi)

    def person_minutes_before(self, level: int, t: float) -> tuple[float, float]:
        """Person-minutes above ``level`` before drill time ``t`` (s), each update's people
        held one step from its time and cut at ``t``, and the first update with anyone
        above it (NaN: none before ``t``): (person-minutes, first drill s)."""
        before = (self.plume_t < t) & (self.people[level] > 0)
        if not before.any():
            return 0.0, math.nan
        return (self._person_minutes(level, -math.inf, t),
                float(self.plume_t[np.flatnonzero(before)[0]]))

    def person_minutes_by_phase(self, level: int) -> dict[str, float]:
        """Person-minutes above ``level`` in each stretch of the order (:attr:`order_times`):
        ``to_decision`` (before the order was decided), ``to_issue`` (decided, not yet
        out), ``to_action`` (out, nobody yet left home) and ``after`` (from the first
        evacuee leaving on). A stretch whose end did not happen runs to the end of the run.
        Each update's people are held one step from its time and split at the stretch
        edges, so the stretches add up to the whole exposure."""
        times = self.order_times
        edges = [times["decided"], times["issued"], times["acted"]]
        out = {}
        lo = -math.inf
        for name, hi in zip(("to_decision", "to_issue", "to_action"), edges, strict=True):
            hi = hi if math.isfinite(hi) else math.inf
            hi = max(hi, lo)
            out[name] = self._person_minutes(level, lo, hi)
            lo = hi
        out["after"] = self._person_minutes(level, lo, math.inf)
        return out

    @property
    def clear_t(self) -> float:
        """First zone update, once the leak had ended, with nobody and no road node above
        AEGL-1: the hazard over for the public, drill s (NaN: not by the end)."""
        end = self.leak_end.t
        if not math.isfinite(end):
            return math.nan
        for k, t in enumerate(self.plume_t):
            if t >= end and self.people[1][k] == 0 and self.aegl1_nodes[k] == 0:
                return float(t)
        return math.nan


def held_person_minutes(start_s: np.ndarray, people: np.ndarray, step_s: float,
                        lo: float, hi: float) -> float:
    """Person-minutes between drill times ``lo`` and ``hi`` (s): the people of each zone
    update (``people`` at ``start_s``) held for one update step ``step_s`` from its time,
    cut at ``lo`` and ``hi``; over all time, people × step summed, as :class:`Exposure`
    counts exposure."""
    held = np.clip(np.minimum(start_s + step_s, hi) - np.maximum(start_s, lo), 0.0, None)
    return float((people * held).sum()) / 60.0


def _weather(result: RunResult, end: float) -> tuple[WeatherState, ...]:
    """The release's weather at the start and after each change up to ``end`` (s), from the
    ``release_start`` and ``plume`` records, with the zone lengths of each state."""
    spec = result.scenario.chemical
    keys: list[tuple[float, float, float, str]] = []
    for r in result.records:
        if r.place != spec.id:
            continue
        if r.event == "release_start":
            keys.append((r.t, float(r.data["wind_from_deg"]), float(r.data["wind_m_s"]),
                         str(r.data["stability"])))
        elif r.event == "plume":
            if r.t > end:  # no plume once the leak has stopped
                break
            key = (float(r.data["wind_from_deg"]), float(r.data["u_m_s"]),
                   str(r.data["stability"]))
            if not keys or keys[-1][1:] != key:
                keys.append((r.t, *key))
    return tuple(WeatherState(
        t, wf, u, cls, k > 0,
        {lvl: rules.gaussian_extent(spec, u, cls, lvl) for lvl in LEVELS},
        {lvl: rules.dense_extent(spec, u, cls, lvl) for lvl in LEVELS})
        for k, (t, wf, u, cls) in enumerate(keys))


def _evacuation(result: RunResult, order: float) -> Evacuation:
    spec = result.scenario.chemical
    rows: dict[str, dict] = {}
    for r in result.records:
        if r.event == "displaced" and r.place == spec.id:
            rows[str(r.data["group"])] = {
                "group": str(r.data["group"]), "people": int(r.data["people"]), "out": r.t,
                "node": r.node, "wait": math.nan, "admit": math.nan, "last_admit": math.nan,
                "admitted": 0, "shelter": ""}
    for r in result.records:
        if r.event not in ("shelter_wait", "shelter_admit"):
            continue
        g = rows.get(str(r.data.get("group", "")))
        if g is None:
            continue
        if r.event == "shelter_wait":
            if math.isnan(g["wait"]):
                g["wait"] = r.t
        else:
            if math.isnan(g["admit"]):
                g["admit"], g["shelter"] = r.t, r.place
            g["last_admit"] = r.t
            g["admitted"] += int(r.data["people"])
    groups = tuple(EvacGroup(**g) for g in rows.values())
    walk = wait = 0.0
    reach = sum(g.people * (g.out - order) for g in groups) if math.isfinite(order) else 0.0
    for g in groups:
        arrived = g.wait if math.isfinite(g.wait) else g.admit
        if math.isfinite(arrived):
            walk += g.people * (arrived - g.out)
        if math.isfinite(g.admit) and math.isfinite(g.wait):
            wait += g.people * (g.admit - g.wait)
    opened = min((r.t for r in result.records if r.event == "shelter_open"), default=math.nan)
    return Evacuation(groups, order, opened, walk, wait, reach)


def _order_reach(result: RunResult, order: Record | None,
                 evacuation: Evacuation) -> OrderReach | None:
    if order is None:
        return None
    data = order.data
    told_from = float(data.get("told_from", order.t))
    spec = result.scenario.warning
    broadcast, _ = order_channels(spec.channels if spec is not None else None,
                                  result.scenario.clock_seconds(told_from))
    later = [c.later_s for c in broadcast if c.later_reach > 0]
    return OrderReach(
        order=order.t, told_from=told_from,
        channels=tuple(str(c) for c in data.get("channels", ())),
        default_channels=spec is None,
        reaction_s=float(data.get("reaction_s", 0.0)),
        first_out=min((g.out for g in evacuation.groups), default=math.nan),
        at_once=1.0 - math.prod(1.0 - c.reach for c in broadcast),
        in_end=max_coverage(broadcast),
        waking_from=told_from + min(later) if later else math.nan,
        warned=warning_issued_at(result))


def _shelters_closed(result: RunResult, evacuation: Evacuation) -> tuple[ShelterClosed, ...]:
    mine = {g.group for g in evacuation.groups}
    waits: set[tuple[str, str]] = set()
    rows: dict[str, list] = {}
    for r in result.records:
        group = str(r.data.get("group", ""))
        if group not in mine:
            continue
        if r.event == "shelter_wait":
            waits.add((group, r.place))
        elif r.event == "shelter_blocked":
            row = rows.setdefault(r.place, [r.t, 0, 0])
            row[1] += int(r.data["people"])
            if (group, r.place) in waits:
                row[2] += int(r.data["people"])
    return tuple(sorted((ShelterClosed(k, t, p, w) for k, (t, p, w) in rows.items()),
                        key=lambda c: (c.t, c.shelter)))


def _run_end(result: RunResult) -> float:
    return max((r.t for r in result.records), default=float(result.scenario.duration))


def hazmat_units(result: RunResult) -> set[str]:
    """The units that count as hazmat crews: hazmat apparatus and any unit that donned
    protective gear."""
    units = {u.id for u in result.units if u.type == "hazmat"}
    return units | {r.unit for r in result.records if r.event == "ppe_on" and r.unit}


def wind_shift_response(result: RunResult, wind_from_deg: float,
                        t: float) -> tuple[Record | None, Record | None, int]:
    """The answer to a wind shift from drill time ``t`` (s) on: the first zone update
    (``plume`` record) of the release showing the new wind, and the next evacuation
    extension (``evacuation_ordered``), protective-action order or responder exposure at
    the release (None for either when there is none), and the people newly ordered out
    then (0 unless the next is an evacuation extension)."""
    spec = result.scenario.chemical
    if spec is None:
        return None, None, 0
    recs = result.records
    plume = next((r for r in recs if r.t >= t and r.event == "plume" and r.place == spec.id
                  and math.isclose(float(r.data.get("wind_from_deg", "nan")), wind_from_deg)),
                 None)
    if plume is None:
        return None, None, 0
    nxt = next((r for r in recs if r.t >= t and r.place == spec.id
                and r.event in ("evacuation_ordered", "protective_action",
                                "responder_exposed")), None)
    people = int(round(float(nxt.data["total"]))) \
        if nxt is not None and nxt.event == "evacuation_ordered" else 0
    return plume, nxt, people


def chemical_facts(result: RunResult) -> ChemicalFacts | None:
    """Measure the chemical release of a run (None when the drill has none)."""
    spec = result.scenario.chemical
    if spec is None:
        return None
    recs = result.records
    inc = spec.incident_id
    mine = [r for r in recs if r.place == spec.id]
    call = next((r.t for r in recs if r.event == "call" and r.incident == inc), math.nan)
    crews = hazmat_units(result)
    arrive = next((r.t for r in recs if r.event == "arrive" and r.incident == inc
                   and r.unit in crews), math.inf)
    control = next((r for r in mine if r.event == "source_control"), None)
    empty = next((r.t for r in mine if r.event == "source_empty"), None)
    t_end, how = rules.leak_end(spec, controlled_at=control.t if control else None,
                                emptied_at=empty, run_end=_run_end(result))
    leak = LeakEnd(t_end, how, control.unit if control else "",
                   t_end - call if math.isfinite(t_end) else math.inf)
    weather = _weather(result, t_end)
    order_rec = next((r for r in mine if r.event == "protective_action"), None)
    order = order_rec.t if order_rec is not None else math.nan
    plumes = [r for r in mine if r.event == "plume"]
    plume_t = np.array([r.t for r in plumes], dtype=float)
    people = {lvl: np.array([float(r.data[f"aegl{lvl}_people"]) for r in plumes])
              for lvl in LEVELS}
    exposure = {}
    for lvl in LEVELS:
        p = people[lvl]
        cut = order if math.isfinite(order) else math.inf
        before = held_person_minutes(plume_t, p, spec.step, -math.inf, cut)
        after = held_person_minutes(plume_t, p, spec.step, cut, math.inf)
        k = int(np.argmax(p)) if p.size else -1
        until = k
        while 0 <= until < p.size - 1 and p[until + 1] == p[k]:
            until += 1
        exposure[lvl] = Exposure(lvl, float(p[k]) if k >= 0 else 0.0,
                                 float(plume_t[k]) if k >= 0 else math.nan,
                                 before, after,
                                 float(plume_t[until]) if k >= 0 else math.nan)
    u0 = weather[0].u if weather else spec.weather[0].wind_speed_m_s
    responders = tuple(Responder(r.t, r.unit, int(r.data["crew"])) for r in recs
                       if r.event == "responder_exposed")
    evacuation = _evacuation(result, order)
    return ChemicalFacts(
        call=call, hazmat_arrival=arrive, isolation_m=rules.isolation_m(spec),
        erg=rules.erg(spec, u0),
        downwind_m=float(order_rec.data["downwind_m"]) if order_rec else math.nan,
        leak_end=leak, weather=weather, plume_t=plume_t, people=people, exposure=exposure,
        evacuation=evacuation, responders=responders,
        order_reach=_order_reach(result, order_rec, evacuation),
        shelters_closed=_shelters_closed(result, evacuation),
        ordered_out=tuple(OrderedOut(r.t, {k: float(v) for k, v in r.data["people"].items()})
                          for r in mine if r.event == "evacuation_ordered"),
        aegl1_nodes=np.array([int(r.data["aegl1_nodes"]) for r in plumes], dtype=int),
        step_s=float(spec.step),
        door_rounds=tuple(
            DoorRound(r.t, str(r.data["action"]), float(r.data["households"]),
                      float(r.data["staff"]), int(r.data["communities"]),
                      float(r.data["first_visit"]),
                      float(r.data["first_visit"]) + float(r.data["ramp_s"]))
            for r in mine if r.event == "door_to_door"))


def chemical_metrics(result: RunResult, facts: ChemicalFacts | None = None) -> dict[str, float]:
    """The chemical-release metrics of the catalogue (NaN when the drill has no release)."""
    out = dict.fromkeys(CHEMICAL_METRICS, math.nan)
    f = chemical_facts(result) if facts is None else facts
    if f is None:
        return out
    out["hazmat_first_arrival"] = f.hazmat_arrival - f.call
    out["source_control_time"] = (f.leak_end.t if f.leak_end.how == "source_control"
                                  else math.inf) - f.call
    for lvl in LEVELS:
        out[f"people_above_aegl{lvl}"] = f.exposure[lvl].peak
    out["person_minutes_aegl2"] = f.exposure[2].person_minutes
    if f.evacuation.groups and not math.isnan(f.evacuation.order):
        out["evacuation_time"] = f.evacuation.time
    out["responders_exposed"] = float(f.responders_exposed)
    return out


@dataclass(frozen=True)
class ZoneReach:
    """One threat zone of one weather state: how far and wide it reaches and who lives in it.

    Attributes
    ----------
    level
        AEGL level.
    length_m, area_km2
        Farthest downwind distance above the level (0: never reached), m, and ground area,
        km², by the Gaussian estimate.
    dense_length_m, dense_area_km2
        The same by the dense-gas estimate (NaN for a gas lighter than air).
    drives
        The estimate that reaches farther (``dense`` or ``gaussian``,
        :meth:`WeatherState.drives`).
    residents
        People living inside the zone the protective actions use (the union of the two
        estimates; the population grid), not time-weighted.
    subdistricts
        (subdistrict id, residents inside that zone) for every subdistrict with residents
        inside, most first.
    communities
        (community id, residents inside that zone) likewise, for the synthetic communities
        (:class:`drillsim.network.population.Community`).
    places
        (kind, id) of the drill's stations, shelters and depots inside that zone (kind
        ``station``, ``shelter`` or ``depot``), in the drill file's order.
    """

    level: int
    length_m: float
    area_km2: float
    dense_length_m: float
    dense_area_km2: float
    drives: str
    residents: float
    subdistricts: tuple[tuple[str, float], ...]
    communities: tuple[tuple[str, float], ...]
    places: tuple[tuple[str, str], ...] = ()


def force_places(scenario, world) -> list[tuple[str, str, float, float]]:
    """(kind, id, lat, lon) of the drill's stations, shelters and depots: the place's
    position, or its road node's when the drill file gives a location."""
    net = world.network
    out = []
    forces = scenario.forces
    for kind, items in (("station", forces.stations), ("shelter", forces.shelters),
                        ("depot", forces.depots)):
        for item in items:
            place = world.places.get(item.id) if item.location is None else None
            if place is not None:
                out.append((kind, item.id, float(place.lat), float(place.lon)))
            else:
                node = world.node_of(item.location) if item.location is not None else -1
                if node >= 0:
                    out.append((kind, item.id, float(net.lat[node]), float(net.lon[node])))
    return out


def _ring_area_km2(ring: list[tuple[float, float]]) -> float:
    """Area of a closed (lat, lon) ring, km² (shoelace on a local flat projection)."""
    if len(ring) < 4:
        return 0.0
    lat = np.array([p[0] for p in ring])
    lon = np.array([p[1] for p in ring])
    y = (lat - lat[0]) * 111_195.0
    x = (lon - lon[0]) * 111_195.0 * math.cos(math.radians(float(lat.mean())))
    return float(abs(np.dot(x[:-1], y[1:]) - np.dot(x[1:], y[:-1])) / 2.0 / 1e6)


def _by_owner(people: np.ndarray, owners: np.ndarray, ids: list[str]
              ) -> tuple[tuple[str, float], ...]:
    """(id, residents) of every owner with residents, most first then by id."""
    out = sorted(((ids[j], float(people[owners == j].sum())) for j in set(owners.tolist())
                  if j >= 0), key=lambda s: (-s[1], s[0]))
    return tuple(s for s in out if s[1] > 0)


def _grid_of(result: RunResult, world) -> tuple:
    """The population grid around the release's source, as the engine builds it: (grid,
    source lat and lon (degrees), subdistrict ids, community ids)."""

    spec = result.scenario.chemical
    net = world.network
    start = next((r for r in result.records if r.event == "release_start"
                  and r.place == spec.id), None)
    node = start.node if start is not None and start.node >= 0 else world.node_of(spec.site)
    src_lat, src_lon = float(net.lat[node]), float(net.lon[node])
    grid = world.population.near_source(src_lat, src_lon)
    return (grid, src_lat, src_lon, [s.id for s in grid.subdistricts],
            [c.id for c in grid.communities])


def zone_reach(result: RunResult, world, facts: ChemicalFacts | None = None
               ) -> list[tuple[WeatherState, dict[int, ZoneReach]]]:
    """Per weather state of the release: each AEGL zone's length and area by each estimate,
    and the residents, subdistricts and communities inside the zone the protective actions
    use, for the steady plume of that state.

    Parameters
    ----------
    result
        The run.
    world
        The world the run was played on (:class:`drillsim.network.world.World`): its road
        network and places give the source and the population grid.
    facts
        :func:`chemical_facts` of the run, when already measured.

    Returns
    -------
    list
        (weather state, AEGL level -> :class:`ZoneReach`), in drill order; empty when the
        drill has no release.
    """
    spec = result.scenario.chemical
    f = chemical_facts(result) if facts is None else facts
    if spec is None or f is None:
        return []
    grid, src_lat, src_lon, sub_ids, com_ids = _grid_of(result, world)
    places = force_places(result.scenario, world)
    p_lat = np.array([p[2] for p in places], dtype=float)
    p_lon = np.array([p[3] for p in places], dtype=float)
    out = []
    for st in f.weather:
        zones = {}
        for lvl in LEVELS:
            at = rules.driving_mask(rules.zone_masks(
                spec, p_lat, p_lon, src_lat=src_lat, src_lon=src_lon,
                wind_from_deg=st.wind_from, u_m_s=st.u, cls=st.cls, level=lvl)) \
                if places else np.zeros(0, dtype=bool)
            masks = rules.zone_masks(spec, grid.lat, grid.lon, src_lat=src_lat,
                                     src_lon=src_lon, wind_from_deg=st.wind_from, u_m_s=st.u,
                                     cls=st.cls, level=lvl)
            inside = rules.driving_mask(masks)
            gauss, dense = rules.zone_outlines(spec, src_lat, src_lon, st.wind_from, st.u,
                                               st.cls, lvl)
            people = grid.people[inside]
            zones[lvl] = ZoneReach(
                lvl, st.extent_m[lvl], _ring_area_km2(gauss), st.dense_m[lvl],
                _ring_area_km2(dense) if rules.is_dense(spec) else math.nan, st.drives(lvl),
                float(people.sum()), _by_owner(people, grid.owner[inside], sub_ids),
                _by_owner(people, grid.community[inside], com_ids),
                tuple((k, i) for (k, i, _, _), a in zip(places, at, strict=True) if a))
        out.append((st, zones))
    return out


@dataclass(frozen=True)
class DownwindReach:
    """The ERG protective-action area (a square downwind of the source) of one weather
    state, and who lives in it.

    Attributes
    ----------
    side_m
        Its side, the one the order used, m.
    action
        What its people were told (``evacuate`` or ``shelter_in_place``).
    residents, subdistricts, communities
        As :class:`ZoneReach`'s, for the square.
    """

    side_m: float
    action: str
    residents: float
    subdistricts: tuple[tuple[str, float], ...]
    communities: tuple[tuple[str, float], ...]


def downwind_reach(result: RunResult, world, facts: ChemicalFacts | None = None
                   ) -> list[tuple[WeatherState, DownwindReach]]:
    """Per weather state of the release: the residents, subdistricts and communities inside
    the ERG protective-action square the order used (``action_downwind`` and ``downwind_m``
    of the ``protective_action`` record; the wind of that state), as the engine orders it
    (:func:`drillsim.hazards.chemical_zones.downwind_square`). Empty without an order or
    when the order gave the square no action."""
    from drillsim.hazards.plume import downwind_crosswind

    spec = result.scenario.chemical
    f = chemical_facts(result) if facts is None else facts
    order = next((r for r in result.records if r.event == "protective_action"
                  and spec is not None and r.place == spec.id), None)
    action = order.data.get("action_downwind") if order is not None else None
    if f is None or action in (None, "none") or not math.isfinite(f.downwind_m):
        return []
    grid, src_lat, src_lon, sub_ids, com_ids = _grid_of(result, world)
    out = []
    for st in f.weather:
        x, y = downwind_crosswind(grid.lat, grid.lon, src_lat, src_lon, st.wind_from)
        inside = rules.downwind_square(x, y, f.downwind_m)
        people = grid.people[inside]
        out.append((st, DownwindReach(
            f.downwind_m, str(action), float(people.sum()),
            _by_owner(people, grid.owner[inside], sub_ids),
            _by_owner(people, grid.community[inside], com_ids))))
    return out


def _owners(pairs: tuple[tuple[str, float], ...]) -> list[dict[str, object]]:
    """(id, residents) pairs as plain data."""
    return [{"id": i, "residents": p} for i, p in pairs]


def downwind_reach_dict(result: RunResult, world,
                        facts: ChemicalFacts | None = None) -> list[dict[str, object]]:
    """:func:`downwind_reach` as plain data, for ``summary.json``: per weather state, the
    ERG protective-action square the order used (side, action) and the residents,
    subdistricts and communities inside it (what the report's zone table shows)."""
    return [{"from_s": st.t, "wind_from_deg": st.wind_from, "side_m": dr.side_m,
             "action": dr.action, "residents": dr.residents,
             "subdistricts": _owners(dr.subdistricts), "communities": _owners(dr.communities)}
            for st, dr in downwind_reach(result, world, facts)]


def zone_reach_dict(result: RunResult, world) -> list[dict[str, object]]:
    """:func:`zone_reach` as plain data, for ``summary.json``: one entry per weather state
    and AEGL level."""
    out: list[dict[str, object]] = []
    for st, zones in zone_reach(result, world):
        for lvl in sorted(zones, reverse=True):
            z = zones[lvl]
            out.append({
                "from_s": st.t, "wind_from_deg": st.wind_from, "wind_m_s": st.u,
                "stability": st.cls, "level": f"AEGL-{lvl}",
                "gaussian_length_m": z.length_m, "gaussian_area_km2": z.area_km2,
                "dense_length_m": z.dense_length_m, "dense_area_km2": z.dense_area_km2,
                "drives": z.drives, "residents": z.residents,
                "subdistricts": _owners(z.subdistricts), "communities": _owners(z.communities),
                "places": [{"kind": k, "id": i} for k, i in z.places]})
    return out


@dataclass(frozen=True)
class ShelterUse:
    """Where a release's evacuees were sent, against when a threat zone closed it.

    Attributes
    ----------
    shelter
        Shelter id.
    people
        People of the release sent there (``evacuate`` records, every leg).
    first, last
        Drill times the first and last of them set off for it, s.
    closed
        (closed, reopened) drill times, s, of each time a threat zone closed it
        (``shelter_closed`` / ``shelter_reopened`` records; reopened ``inf``: not by the end).
    sent_while_closed
        Of ``people``, those who set off for it while a threat zone closed it.
    """

    shelter: str
    people: int
    first: float
    last: float
    closed: tuple[tuple[float, float], ...]
    sent_while_closed: int


THREAT_ZONE = "threat zone"
"""The reason of the ``shelter_closed`` records a release's zones write."""


def shelter_use(result: RunResult) -> dict[str, ShelterUse]:
    """Per shelter the release's evacuees were sent to (first sent first): how many, when,
    and whether a threat zone had closed it then (empty without a release)."""
    spec = result.scenario.chemical
    if spec is None:
        return {}
    mine = {str(r.data["group"]) for r in result.records
            if r.event == "displaced" and r.place == spec.id}
    spans: dict[str, list[list[float]]] = {}
    sent: dict[str, list[tuple[float, int]]] = {}
    for r in result.records:
        if r.event in ("shelter_closed", "shelter_reopened") \
                and r.data.get("reason") == THREAT_ZONE:
            if r.event == "shelter_closed":
                spans.setdefault(r.place, []).append([r.t, math.inf])
            elif spans.get(r.place):
                spans[r.place][-1][1] = r.t
        elif r.event == "evacuate" and str(r.data["group"]) in mine:
            sent.setdefault(r.place, []).append((r.t, int(r.data["people"])))
    out = {}
    for sid, legs in sent.items():
        closed = tuple((a, b) for a, b in spans.get(sid, []))
        inside = sum(n for t, n in legs if any(a <= t < b for a, b in closed))
        out[sid] = ShelterUse(sid, sum(n for _, n in legs), legs[0][0], legs[-1][0], closed,
                              inside)
    return out
