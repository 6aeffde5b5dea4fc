"""Relief, shelter and depot measures: pure functions of a run's records.

The relief clock (indicator 8 of the plan, and the national 14th five-year
disaster-reduction plan: victims' basic living needs effectively relieved within
10 hours) starts at the disaster onset (the ``onset`` record) or, with
``relief.clock_from: displacement``, when each person left home. A person is
relieved at the ``relieved`` record of their group. People never relieved count
as infinitely late.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from drillsim.metrics.warning import warning_metrics
from drillsim.records.result import RunResult


@dataclass(frozen=True)
class ReliefBatch:
    """People relieved together (or never: ``t`` is ``inf``)."""

    shelter: str
    people: int
    t: float
    clock_start: float

    @property
    def delay(self) -> float:
        return self.t - self.clock_start


def relief_batches(result: RunResult) -> list[ReliefBatch]:
    """Every displaced person in a batch: relieved at a shelter, or still waiting at the end."""
    onset = next((r for r in result.records if r.event == "onset"), None)
    if onset is None:
        return []
    from_onset = relief_clock(result) == "onset"
    displaced_at: dict[str, float] = {}
    people: dict[str, int] = defaultdict(int)
    shelter_of: dict[str, str] = {}
    out: list[ReliefBatch] = []
    for r in result.records:
        d = r.data
        if r.event == "displaced":
            displaced_at[d["group"]] = r.t
            people[d["group"]] += int(d["people"])
        elif r.event == "shelter_admit":
            shelter_of[d["group"]] = r.place
        elif r.event == "relieved":
            g = d["group"]
            start = onset.t if from_onset else displaced_at[g]
            out.append(ReliefBatch(r.place, int(d["people"]), r.t, start))
            people[g] -= int(d["people"])
    for g, n in people.items():
        if n > 0:
            start = onset.t if from_onset else displaced_at[g]
            out.append(ReliefBatch(shelter_of.get(g, ""), n, math.inf, start))
    return out


def _weighted_fractile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    """Smallest value with at least ``q`` % of the weight at or below it (inverted CDF)."""
    if weights.sum() == 0:
        return math.nan
    order = np.argsort(values, kind="stable")
    cum = np.cumsum(weights[order])
    k = int(np.searchsorted(cum, q / 100 * cum[-1] - 1e-9, side="left"))
    return float(values[order][min(k, len(order) - 1)])


def relief_metrics(result: RunResult) -> dict[str, float]:
    """The relief, shelter and warning metrics of the catalogue (NaN when not in the drill)."""
    batches = relief_batches(result)
    target = result.scenario.relief.target
    nan = math.nan
    out = {"people_displaced": nan, "people_unsheltered": nan, "relief_share_10h": nan,
           "relief_t95": nan, "relief_t100": nan}
    if result.scenario.flood is not None:  # a flood that displaced nobody displaced 0 people
        out["people_displaced"] = out["people_unsheltered"] = 0.0
    if batches:
        delays = np.array([b.delay for b in batches])
        weights = np.array([b.people for b in batches], dtype=float)
        total = weights.sum()
        out["people_displaced"] = float(total)
        out["people_unsheltered"] = float(sum(
            int(r.data["people"]) for r in result.records if r.event == "unsheltered"))
        out["relief_share_10h"] = float(weights[delays <= target].sum() / total) if total else nan
        out["relief_t95"] = _weighted_fractile(delays, weights, 95)
        out["relief_t100"] = float(delays.max())
    return out | warning_metrics(result)


def relief_curve(result: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Share of displaced people relieved against the relief clock (s), as a step curve."""
    batches = sorted(relief_batches(result), key=lambda b: b.delay)
    total = sum(b.people for b in batches)
    if not total:
        return np.array([]), np.array([])
    done = [b for b in batches if math.isfinite(b.delay)]
    t = np.array([0.0] + [b.delay for b in done])
    share = np.concatenate([[0.0], np.cumsum([b.people for b in done]) / total])
    return t, share


def relief_horizon(result: RunResult) -> float:
    """How far the relief clock runs before the drill ends, s: from the earliest start of a
    displaced person's relief clock (the onset, or the first displacement) to the drill's
    end (NaN: nobody displaced). When it is shorter than the relief target, relief "within
    the target" can only be counted up to the drill's end: later deliveries are not in the
    records."""
    batches = relief_batches(result)
    if not batches:
        return math.nan
    return result.scenario.duration - min(b.clock_start for b in batches)


def target_after_end(result: RunResult) -> bool:
    """Whether the relief target time falls after the drill's end (:func:`relief_horizon`)."""
    return relief_horizon(result) < result.scenario.relief.target


def relief_clock(result: RunResult) -> str:
    """What starts the relief clock: ``onset`` (the disaster onset) or ``displacement``."""
    onset = next((r for r in result.records if r.event == "onset"), None)
    if onset is None:
        return result.scenario.relief.clock_from
    return onset.data.get("clock", "onset")


@dataclass(frozen=True)
class ShelterMeasure:
    """What happened at one shelter.

    Attributes
    ----------
    shelter
        Shelter id.
    capacity
        Places: the drill file's, else the one the shelter opened with (``None``: neither).
    opened_at
        Drill time the shelter opened, s (NaN: never).
    admitted
        People admitted.
    relieved_in_target
        Of them, people relieved within the relief target.
    t95_s, t100_s
        Relief-clock time by which 95 % / all of its people were relieved, s (NaN: none
        admitted; inf: someone never relieved).
    occupancy
        (drill time s, people admitted so far) after each admission.
    """

    shelter: str
    capacity: int | None
    opened_at: float
    admitted: int
    relieved_in_target: int
    t95_s: float
    t100_s: float
    occupancy: tuple[tuple[float, int], ...]

    @property
    def share_in_target(self) -> float:
        """Share of the admitted relieved within the target (NaN: none admitted)."""
        return self.relieved_in_target / self.admitted if self.admitted else math.nan


def shelter_measures(result: RunResult) -> dict[str, ShelterMeasure]:
    """Per shelter: the drill's shelters in file order, then any other place that admitted."""
    target = result.scenario.relief.target
    specs = {s.id: s for s in result.scenario.forces.shelters}
    opened: dict[str, tuple[float, int]] = {}
    occupancy: dict[str, list[tuple[float, int]]] = defaultdict(list)
    admitted: dict[str, int] = defaultdict(int)
    for r in result.records:
        if r.event == "shelter_open":
            opened.setdefault(r.place, (r.t, int(r.data["capacity"])))
        elif r.event == "shelter_admit":
            admitted[r.place] += int(r.data["people"])
            occupancy[r.place].append((r.t, admitted[r.place]))
    by_shelter: dict[str, list[ReliefBatch]] = defaultdict(list)
    for b in relief_batches(result):
        if b.shelter:
            by_shelter[b.shelter].append(b)
    out: dict[str, ShelterMeasure] = {}
    for sid in [*specs, *sorted(set(admitted) - set(specs))]:
        bs = by_shelter[sid] if admitted[sid] else []
        delays = np.array([b.delay for b in bs])
        weights = np.array([b.people for b in bs], dtype=float)
        spec = specs.get(sid)
        cap = spec.capacity if spec is not None and spec.capacity is not None else \
            opened.get(sid, (math.nan, None))[1]
        out[sid] = ShelterMeasure(
            sid, cap, opened.get(sid, (math.nan, 0))[0], admitted[sid],
            int(weights[delays <= target].sum()) if bs else 0,
            _weighted_fractile(delays, weights, 95) if bs else math.nan,
            float(delays.max()) if bs else math.nan, tuple(occupancy[sid]))
    return out


def shelter_table(result: RunResult) -> list[dict[str, object]]:
    """Per shelter that admitted people, by id: admitted, relieved within the target, t95/t100."""
    return [{"shelter": m.shelter, "admitted": m.admitted,
             "relieved_in_target": m.relieved_in_target, "t95_s": m.t95_s, "t100_s": m.t100_s}
            for m in sorted(shelter_measures(result).values(), key=lambda m: m.shelter)
            if m.admitted]


@dataclass(frozen=True)
class StockEvent:
    """A change of a depot's stock other than a truck load.

    Attributes
    ----------
    t
        Drill time, s.
    depot
        Depot id.
    kind
        ``stock_out`` (items ran out), ``replenish`` (scheduled stock arrived) or
        ``stock_change`` (an inject added or, with ``removed``, took away stock).
    items
        Quantity by item (for ``stock_out``: the items that ran out).
    removed
        The inject took the stock away.
    """

    t: float
    depot: str
    kind: str
    items: dict[str, float]
    removed: bool = False


@dataclass(frozen=True)
class DepotMeasure:
    """What happened at one relief depot.

    Attributes
    ----------
    depot
        Depot id.
    initial, final
        Stock by item at the start and at the end of the drill.
    loads
        Truck loads.
    events
        Stock-outs, replenishments and stock injects, in drill order.
    levels
        Per item, (drill time s, stock) steps from the initial stock on.
    """

    depot: str
    initial: dict[str, float]
    final: dict[str, float]
    loads: int
    events: tuple[StockEvent, ...]
    levels: dict[str, tuple[tuple[float, float], ...]]

    @property
    def stock_outs(self) -> tuple[StockEvent, ...]:
        """The depot's stock-outs."""
        return tuple(e for e in self.events if e.kind == "stock_out")


_STOCK_MOVES = ("truck_load", "replenish", "stock_change")
"""The records that change a depot's stock (a load takes it, the others add or remove)."""


def _stock_steps(result: RunResult) -> dict[str, dict[str, list[tuple[float, float]]]]:
    """Per depot and item, (drill time s, stock) steps from the initial stock on, replaying
    the records that move stock (:data:`_STOCK_MOVES`); a stock never goes below 0."""
    steps: dict[str, dict[str, list[tuple[float, float]]]] = {
        d.id: {k: [(0.0, v)] for k, v in d.stock.items()} for d in result.scenario.forces.depots}
    for r in result.records:
        if r.place not in steps or r.event not in _STOCK_MOVES:
            continue
        sign = -1.0 if r.event == "truck_load" or r.get("removed") else 1.0
        for item, qty in r.data["items"].items():
            series = steps[r.place].setdefault(item, [(0.0, 0.0)])
            series.append((r.t, max(series[-1][1] + sign * qty, 0.0)))
    return steps


def _ran_out_at(series: list[tuple[float, float]], noticed: float) -> float:
    """When a stock series last fell from above 0 to 0 at or before ``noticed`` (s), the
    time the last unit left; ``noticed`` when it never held any."""
    at = noticed
    for (_, before), (t, after) in pairwise(series):
        if t > noticed:
            break
        if before > 0 and after <= 0:
            at = t
        elif after > 0:
            at = noticed
    return at


def stock_events(result: RunResult) -> list[StockEvent]:
    """Stock-outs, replenishments and stock injects at every depot, in drill order.

    A stock-out is dated when the item ran out, not when it was noticed: the time of the
    record that took the item's last unit from the depot (a truck load, or an inject that
    removed it), where the depot's stock curve reaches 0. The ``stock_out`` record itself
    is written later, when a truck back at the depot finds nothing to load; its time dates
    an item the depot never held (the first request that could not be met). Items of one
    ``stock_out`` record that ran out at different times are separate events.
    """
    steps = _stock_steps(result)
    out: list[StockEvent] = []
    for r in result.records:
        if r.event == "stock_out":
            dated: dict[float, dict[str, float]] = {}
            for item, qty in r.data["items"].items():
                series = steps.get(r.place, {}).get(item, [])
                dated.setdefault(_ran_out_at(series, r.t), {})[item] = qty
            out += [StockEvent(t, r.place, r.event, items) for t, items in sorted(dated.items())]
        elif r.event in ("replenish", "stock_change"):
            out.append(StockEvent(r.t, r.place, r.event, dict(r.data["items"]),
                                  bool(r.data.get("removed", False))))
    return sorted(out, key=lambda e: e.t)


def restock_split(result: RunResult, item: str) -> list[tuple[float, str, dict[str, float]]]:
    """Where each restock of ``item`` went: per replenishment (or stock inject adding it)
    of a depot, the drill time (s), the depot and the quantity of ``item`` its trucks
    loaded for each shelter from then until the depot's next restock, largest first
    (``truck_load`` records). Restocks no truck loaded ``item`` from are left out."""
    adds = [(r.t, r.place) for r in result.records
            if r.event in ("replenish", "stock_change") and not r.get("removed")
            and item in r.data.get("items", {})]
    out = []
    for k, (t0, depot) in enumerate(adds):
        t1 = next((t for t, d in adds[k + 1:] if d == depot and t > t0), math.inf)
        split: dict[str, float] = defaultdict(float)
        for r in result.records:
            if r.event == "truck_load" and r.place == depot and t0 <= r.t < t1:
                qty = float(r.data["items"].get(item, 0.0))
                if qty > 0:
                    split[str(r.data["shelter"])] += qty
        if split:
            out.append((t0, depot, dict(sorted(split.items(), key=lambda kv: -kv[1]))))
    return out


def depot_measures(result: RunResult) -> dict[str, DepotMeasure]:
    """Per depot of the drill (file order): stock levels over time, loads and stock events
    (:func:`stock_events`)."""
    steps = _stock_steps(result)
    loads = {d.id: 0 for d in result.scenario.forces.depots}
    for r in result.records:
        if r.event == "truck_load" and r.place in loads:
            loads[r.place] += 1
    events: dict[str, list[StockEvent]] = {d: [] for d in loads}
    for e in stock_events(result):
        if e.depot in events:
            events[e.depot].append(e)
    return {d.id: DepotMeasure(d.id, dict(d.stock),
                               {k: v[-1][1] for k, v in steps[d.id].items()}, loads[d.id],
                               tuple(events[d.id]), {k: tuple(v) for k, v in steps[d.id].items()})
            for d in result.scenario.forces.depots}


UNAVOIDABLE = ("walking", "transport")
"""Waiting causes that are the irreducible part of relief (never the bottleneck)."""


def bottleneck(result: RunResult) -> dict[str, object]:
    """Person-hours of waiting for relief, by cause, from the records; the largest names it.

    Every displaced person is, at each moment until relieved, in one state:
    walking (or ``stranded`` by water: roads), turned away by a full shelter or
    without a place (shelter space), waiting at a closed shelter (mobilisation),
    or admitted and waiting for a ration. Ration waiting is charged to the state
    of the relief chain at that moment: a depot stocked out of a needed item
    (stock); else every truck on a trip, with a truck slowed by flooding (roads) or
    not (trucks); else loading and driving (transport); with no relief truck in the drill
    at all (no depot, or depots without trucks), no ration can come (no_trucks). Walking and
    normal
    transport are the irreducible part; the bottleneck is the largest of the
    others. Only waiting beyond the relief target's start counts the same as any
    other: the figures are person-hours over the whole drill.

    The bottleneck is what kept people from relief, when the records show it outright:
    ``no_trucks`` when the drill has no relief truck; else (:func:`relief_shortfall`)
    ``stock`` when one ration item's whole stock over the drill
    covers fewer people than were displaced (the binding item caps the relieved count,
    whatever the trucks do); ``left_late`` when every person not relieved within the
    target left home only after their relief deadline had passed (told or displaced too
    late for any relief chain). Otherwise it is the avoidable cause with the most
    person-hours.

    Returns
    -------
    dict
        ``person_hours`` by cause; ``bottleneck`` (``""``: none); ``unavoidable_larger``:
        every unavoidable cause with more person-hours than an avoidable bottleneck, most
        first (the bottleneck is then only the largest *avoidable* wait; empty: none);
        ``stock_out_items``;
        ``shortfall`` (:class:`Shortfall`); ``share`` of all waiting by cause and
        ``avoidable_share`` of the avoidable waiting by avoidable cause (0-1).
    """
    end = result.records[-1].t if result.records else 0.0
    n_trucks = sum(len(d.trucks) for d in result.scenario.forces.depots)  # relief trucks
    hours: dict[str, float] = defaultdict(float)
    phase: dict[str, tuple[str, int]] = {}  # group -> (state, people)
    waiting_ration = 0
    stocked_out: set[str] = set()
    busy: set[str] = set()
    slowed: set[str] = set()
    last = 0.0

    def account(until: float) -> None:
        dt = (until - last) / 3600.0
        if dt <= 0:
            return
        for state, people in phase.values():
            hours[state] += people * dt
        if waiting_ration:
            if stocked_out:
                cause = "stock"
            elif not n_trucks:
                cause = "no_trucks"
            elif len(busy) >= n_trucks:
                cause = "roads" if slowed else "trucks"
            else:
                cause = "transport"
            hours[cause] += waiting_ration * dt

    for r in result.records:
        account(r.t)
        last = r.t
        d = r.data
        g = d.get("group")
        if r.event == "displaced":
            phase[g] = ("walking", int(d["people"]))
        elif r.event == "stranded" and g in phase:
            phase[g] = ("roads", phase[g][1])
        elif r.event == "shelter_full" and g in phase:
            phase[g] = ("shelter_space", int(d["people"]))
        elif r.event == "unsheltered" and g in phase:
            phase[g] = ("shelter_space", int(d["people"]))
        elif r.event == "shelter_wait" and g in phase:
            phase[g] = ("mobilisation", int(d["people"]))
        elif r.event == "shelter_admit" and g in phase:
            state, n = phase[g]
            left = n - int(d["people"])
            if left > 0:
                phase[g] = (state, left)
            else:
                phase.pop(g)
            waiting_ration += int(d["people"])
        elif r.event == "relieved":
            waiting_ration -= int(d["people"])
        elif r.event == "stock_out":
            stocked_out.add(r.place)
        elif r.event in ("replenish", "stock_change"):
            stocked_out.discard(r.place)
        elif r.event == "truck_load":
            busy.add(r.unit)
        elif r.event == "truck_depart":
            if float(d["eta_s"]) > 1.05 * float(d["dry_eta_s"]):
                slowed.add(r.unit)
        elif r.event == "truck_arrive":
            slowed.discard(r.unit)
        elif r.event == "truck_return":
            busy.discard(r.unit)
    account(end)
    causes = {k: v for k, v in hours.items() if k not in UNAVOIDABLE and v > 0}
    name = max(causes, key=causes.get) if causes else ""
    short = relief_shortfall(result)
    if "no_trucks" in causes:  # no truck at all: no stock or timing could have helped
        name = "no_trucks"
    elif short.capped:  # an item's whole stock caps the relieved below the displaced
        name = "stock"
    elif short.missed and short.left_late == short.missed:  # every miss left home too late
        name = "left_late"
    items = sorted({k for r in result.records if r.event == "stock_out" for k in r.data["items"]})
    total = sum(hours.values())
    avoidable = {k: v for k, v in hours.items() if k not in UNAVOIDABLE}
    total_avoidable = sum(avoidable.values())
    return {"person_hours": dict(sorted(hours.items())), "bottleneck": name,
            "unavoidable_larger": tuple(sorted(
                (k for k in UNAVOIDABLE if name in causes and hours.get(k, 0.0) > hours[name]),
                key=lambda k: -hours[k])),
            "stock_out_items": items, "shortfall": short,
            "share": {k: v / total for k, v in sorted(hours.items())} if total else {},
            "avoidable_share": {k: v / total_avoidable for k, v in sorted(avoidable.items())}
            if total_avoidable else {}}


@dataclass(frozen=True)
class ItemCap:
    """How many people one relief item's stock can serve.

    Attributes
    ----------
    item
        Item id (a key of ``relief.ration``).
    stock
        Quantity the depots had over the drill: the initial stock plus replenishments and
        stock injects (items removed by an inject subtracted), in the item's unit.
    ration
        Quantity of the item one person's first ration needs, in the item's unit.
    """

    item: str
    stock: float
    ration: float

    @property
    def people(self) -> float:
        """People the stock covers: stock / ration per person."""
        return self.stock / self.ration


def item_caps(result: RunResult) -> list[ItemCap]:
    """For every item of the ration: the stock the depots had over the drill and the people
    it covers, fewest people first (the first binds). Empty when the drill has no depots.
    """
    depots = result.scenario.forces.depots
    if not depots:
        return []
    ids = {d.id for d in depots}
    stock: dict[str, float] = defaultdict(float)
    for d in depots:
        for item, qty in d.stock.items():
            stock[item] += qty
    for e in stock_events(result):
        if e.depot in ids and e.kind in ("replenish", "stock_change"):
            for item, qty in e.items.items():
                stock[item] += -qty if e.removed else qty
    caps = [ItemCap(item, max(stock.get(item, 0.0), 0.0), ration)
            for item, ration in result.scenario.relief.ration.items()]
    return sorted(caps, key=lambda c: (c.people, c.item))


@dataclass(frozen=True)
class Shortfall:
    """Why displaced people were not relieved within the relief target.

    Attributes
    ----------
    displaced
        People displaced.
    missed
        Of them, people not relieved within the target (relieved later, or never).
    left_late
        Of the missed, people who left home so late that even the drill's typical relief
        (the people-weighted median time from leaving home to relief) would have come
        after their deadline (clock start + target): told, or displaced, too late.
    binding
        The ration item whose stock over the drill covers the fewest people
        (:func:`item_caps`; None: the drill has no depots).
    capped
        People the binding item's stock leaves without a ration: displaced − people it
        covers (0 when it covers everyone).
    typical_s
        The drill's typical time from leaving home to relief, s (people-weighted median
        over those relieved; 0: nobody was).
    last_left
        Drill time the last of the ``left_late`` people left home, s (NaN: none).
    """

    displaced: int
    missed: int
    left_late: int
    binding: ItemCap | None
    capped: int
    typical_s: float = 0.0
    last_left: float = math.nan

    @property
    def covered(self) -> int:
        """People the binding item's stock covers (all the displaced when none binds)."""
        return self.displaced - self.capped

    @property
    def needed(self) -> float:
        """Quantity of the binding item missing to cover every displaced person, in the
        item's unit (0: it covers them)."""
        if self.binding is None or not self.capped:
            return 0.0
        return self.displaced * self.binding.ration - self.binding.stock


def relief_shortfall(result: RunResult) -> Shortfall:
    """The people not relieved within the target and the two causes the records show
    outright: the binding item's stock (over the drill, restocks included) and leaving
    home too late for the drill's typical relief to come before the deadline."""
    target = result.scenario.relief.target
    batches = relief_batches(result)
    displaced = sum(b.people for b in batches)
    missed = sum(b.people for b in batches if not b.delay <= target)
    left: dict[str, float] = {}
    size: dict[str, int] = defaultdict(int)
    for r in result.records:
        if r.event == "displaced":
            left.setdefault(str(r.data["group"]), r.t)
            size[str(r.data["group"])] += int(r.data["people"])
    onset = next((r.t for r in result.records if r.event == "onset"), 0.0)
    from_onset = relief_clock(result) == "onset"
    # the drill's typical time from leaving home to relief (people-weighted median)
    after = [(r.t - left[str(r.data["group"])], int(r.data["people"]))
             for r in result.records if r.event == "relieved"]
    typical = _weighted_fractile(np.array([a for a, _ in after]),
                                 np.array([n for _, n in after], dtype=float), 50) \
        if after else 0.0
    # with the clock from leaving home nobody leaves after their own deadline
    in_time: dict[str, int] = defaultdict(int)
    for r in result.records:
        g = str(r.data.get("group", ""))
        if r.event == "relieved" and r.t - (onset if from_onset else left[g]) <= target:
            in_time[g] += int(r.data["people"])
    too_late = [g for g, t in left.items() if from_onset and t + typical > onset + target
                and size[g] > in_time[g]]
    late = sum(size[g] - in_time[g] for g in too_late)
    last = max((left[g] for g in too_late), default=math.nan)
    caps = item_caps(result)
    binding = caps[0] if caps else None
    covered = math.floor(binding.people + 1e-9) if binding is not None else displaced
    return Shortfall(displaced, missed, late, binding,
                     max(displaced - covered, 0), typical, last)


@dataclass(frozen=True)
class StockGap:
    """A ration item that ran out: what the depots held of it until then, against the
    displaced people's need.

    Attributes
    ----------
    item
        Item id (a key of ``relief.ration``).
    first_out
        Drill time the item first ran out at a depot (:func:`stock_events`), s.
    held
        The item the depots held up to then: initial stock plus replenishments and stock
        injects before it, in the item's unit.
    needed
        Displaced people × the item's ration, in the item's unit.
    depots
        The depots it ran out at (first stock-out first).
    refill_t
        Drill time of the first replenishment or stock added of the item after it first ran
        out, s (NaN: none).
    per_person
        The item's ration: quantity one person's first ration needs, in the item's unit.
    """

    item: str
    first_out: float
    held: float
    needed: float
    depots: tuple[str, ...]
    refill_t: float
    per_person: float

    @property
    def covered(self) -> float:
        """People the held stock covers: held / ration (needed / displaced)."""
        return self.held / self.per_person if self.per_person > 0 else math.inf

    @property
    def more(self) -> float:
        """How much more of the item the depots needed to hold for no one to wait for it:
        needed − held (0 when they held enough: it ran out only by where it lay)."""
        return max(self.needed - self.held, 0.0)


def stock_gaps(result: RunResult) -> list[StockGap]:
    """:class:`StockGap` of each ration item that ran out, first stock-out first."""
    depots = result.scenario.forces.depots
    ration = result.scenario.relief.ration
    displaced = sum(b.people for b in relief_batches(result))
    events = stock_events(result)
    out = []
    for item, per in ration.items():
        outs = [e for e in events if e.kind == "stock_out" and item in e.items]
        if not outs:
            continue
        first = outs[0].t
        held = sum(d.stock.get(item, 0.0) for d in depots)
        for e in events:
            if e.t < first and e.kind in ("replenish", "stock_change") and item in e.items:
                held += -e.items[item] if e.removed else e.items[item]
        refill = next((e.t for e in events if e.t >= first and item in e.items and (
            e.kind == "replenish" or (e.kind == "stock_change" and not e.removed))), math.nan)
        out.append(StockGap(item, first, max(held, 0.0), displaced * per,
                            tuple(dict.fromkeys(e.depot for e in outs)), refill, per))
    return sorted(out, key=lambda g: (g.first_out, g.item))


@dataclass(frozen=True)
class LastRelief:
    """The last people relieved, and the rescue they came from when they were rescued.

    Attributes
    ----------
    group
        Their group id (``displaced`` record).
    people
        People in it.
    shelter
        Shelter that relieved them.
    delay_s
        Their time on the relief clock (what sets "every displaced person relieved"), s.
    admitted_t, relieved_t
        Drill times they were admitted to the shelter and relieved, s.
    incident
        The rescue call they were displaced from (``""``: they left home themselves).
    on_scene_s
        That rescue's time on scene: first arrival to the ``rescued`` record, s (NaN).
    median_on_scene_s
        Median of that time over every rescue of the run with both records, s (NaN).
    rescues
        Rescues that median is taken over.
    """

    group: str
    people: int
    shelter: str
    delay_s: float
    admitted_t: float
    relieved_t: float
    incident: str
    on_scene_s: float
    median_on_scene_s: float
    rescues: int


def last_relief(result: RunResult) -> LastRelief | None:
    """:class:`LastRelief` of the run (``None``: nobody relieved, or someone never was:
    then no time sets the last relief)."""
    batches = relief_batches(result)
    if not batches or not all(math.isfinite(b.t) for b in batches):
        return None
    last = next((r for r in reversed(result.records) if r.event == "relieved"), None)
    if last is None:
        return None
    group = str(last.data["group"])
    by_group = [r for r in result.records if r.data and str(r.data.get("group", "")) == group]
    origin = next((r.place for r in by_group if r.event == "displaced"), "")
    admitted = next((r.t for r in by_group if r.event == "shelter_admit"), math.nan)
    arrive: dict[str, float] = {}
    scene: dict[str, float] = {}
    for r in result.records:
        if r.event == "arrive" and r.incident:
            arrive.setdefault(r.incident, r.t)
        elif r.event == "rescued" and r.incident in arrive:
            scene.setdefault(r.incident, r.t - arrive[r.incident])
    incident = origin if origin in scene else ""
    times = np.array(list(scene.values()))
    batch = max(batches, key=lambda b: b.t)
    return LastRelief(group, int(last.data["people"]), last.place, batch.delay, admitted,
                      last.t, incident, scene.get(incident, math.nan),
                      float(np.median(times)) if times.size else math.nan, int(times.size))
