"""Relief logistics: depots with stock, trucks, replenishment, and the dispatch policy.

Policy ``largest_unmet_need``: a free truck at a depot goes to the shelter whose
people (there and on their way) lack the most first rations, counting what is
already in stock there or on a truck to it, among the shelters its depot has a
needed item for and that it can reach. It loads the missing items in proportion
to the need, up to its capacity (kg) and the depot's stock, and returns to its
depot after unloading. A depot that has none of the items needed records a
stock-out; its trucks wait for replenishment.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from drillsim.agents.hazard import Hazard, InjectHandler
from drillsim.agents.shelters import ShelterState
from drillsim.agents.units import Unit
from drillsim.scenarios.schema import Depot, Location, Scenario, StockChange

if TYPE_CHECKING:
    from drillsim.agents.hazard import DrillContext

TRUCK_VEHICLE = "truck"


@dataclass
class DepotState:
    """A depot during the drill."""

    spec: Depot
    node: int
    stock: dict[str, float]
    stocked_out: bool = False

    @property
    def id(self) -> str:
        return self.spec.id


def _items(load: dict[str, float]) -> dict[str, float]:
    """The positive quantities by item, in item order (the ``items`` field of a record)."""
    return {k: float(v) for k, v in sorted(load.items()) if v > 0}


class Relief(Hazard):
    """Depots and their trucks for one drill (the ``"relief"`` module)."""

    name = "relief"

    @classmethod
    def build(cls, drill: DrillContext, scenario: Scenario) -> Relief | None:
        """The relief chain, when the drill has shelters to supply (else ``None``)."""
        return cls(drill, scenario.forces.depots) if drill.shelters is not None else None

    def handlers(self) -> Mapping[type, InjectHandler]:
        return {StockChange: self.change_stock}

    def __init__(self, drill: DrillContext, depots: list[Depot]) -> None:
        self.drill = drill
        self.spec = drill.scenario.relief
        self.depots: dict[str, DepotState] = {}
        self.trucks: list[tuple[Unit, DepotState, float]] = []
        for d in depots:
            node = drill.world.node_of(d.location or Location(place=d.id))
            depot = DepotState(d, node, dict(d.stock))
            self.depots[d.id] = depot
            for truck in d.trucks:
                unit = Unit(id=truck.id, type="truck", station=d.id, home=node, crew=0,
                            vehicle=TRUCK_VEHICLE, return_vehicle=TRUCK_VEHICLE, node=node)
                self.trucks.append((unit, depot, truck.capacity_kg))
                drill.add_mover(unit)
        self.need = drill.env.event()
        self.idle: set[str] = set()  # trucks waiting at their depot for a need
        self.orders: dict[str, ShelterState] = {}  # truck id -> shelter a player sent it to

    def start(self) -> None:
        """Start every truck and the scheduled replenishments."""
        for unit, depot, capacity in self.trucks:
            unit.process = self.drill.env.process(self._truck(unit, depot, capacity))
        for rep in self.spec.replenishment:
            self.drill.env.process(self._replenish(rep.at, rep.depot, rep.stock, "replenish"))

    def need_changed(self) -> None:
        """Wake idle trucks: a need or a stock level changed."""
        event, self.need = self.need, self.drill.env.event()
        event.succeed()

    def free_truck(self, depot_id: str) -> tuple[Unit, float] | None:
        """The depot's first truck waiting for a job (not yet ordered out), and its capacity
        (kg); ``None`` when every truck of the depot is busy."""
        return next(((u, cap) for u, d, cap in self.trucks if d.id == depot_id
                     and u.id in self.idle and u.id not in self.orders), None)

    def load_for(self, depot_id: str, shelter: ShelterState, capacity_kg: float
                 ) -> dict[str, float]:
        """What a truck of ``capacity_kg`` (kg) would load at the depot for ``shelter`` now
        (:meth:`_load` with ``fill``: a full truck when the shelter needs nothing yet;
        empty when the depot has none of what it would carry)."""
        return self._load(self.depots[depot_id], shelter, capacity_kg, fill=True)

    def send(self, depot_id: str, shelter: ShelterState) -> Unit:
        """A player sends the depot's next free truck to ``shelter``: it loads for that
        shelter now instead of the one the policy would choose (:meth:`_choose`): what the
        shelter lacks, or a full truck of rations when it lacks nothing yet
        (:meth:`_load`), and makes the trip as any other (``truck_load`` ...
        ``truck_return``).

        Raises
        ------
        ValueError
            When no truck of the depot is free.
        """
        found = self.free_truck(depot_id)
        if found is None:
            raise ValueError(f"no truck of depot {depot_id!r} is free")
        self.orders[found[0].id] = shelter
        self.need_changed()
        return found[0]

    def change_stock(self, inj: StockChange) -> None:
        """An inject adds or takes away stock (never below zero)."""
        depot = self.depots[inj.depot]
        for item, qty in inj.stock.items():
            depot.stock[item] = max(depot.stock.get(item, 0.0) + qty, 0.0)
        self.drill.log("stock_change", node=depot.node, place=depot.id, items=_items(
            {k: abs(v) for k, v in inj.stock.items()}),
            removed=any(v < 0 for v in inj.stock.values()))
        self.need_changed()

    def _replenish(self, at: float, depot_id: str, stock: dict[str, float], event: str):
        yield self.drill.env.timeout(max(at - self.drill.env.now, 0.0))
        depot = self.depots[depot_id]
        for item, qty in stock.items():
            depot.stock[item] = depot.stock.get(item, 0.0) + qty
        depot.stocked_out = False
        self.drill.log(event, node=depot.node, place=depot.id, items=_items(stock))
        self.need_changed()

    def _choose(self, depot: DepotState, unit: Unit) -> ShelterState | None:
        """The shelter this truck should serve now (see the module docstring), or ``None``."""
        ration = self.spec.ration
        times = None  # from the depot, looked up once a shelter needs something
        best, best_short = None, 0.0
        for shelter in self.drill.shelters.by_id.values():
            if not shelter.people:
                continue  # it needs nothing
            unmet = shelter.unmet(ration)
            if not any(v > 0 and depot.stock.get(k, 0.0) > 0 for k, v in unmet.items()):
                continue
            if times is None:
                times = self.drill.world.travel.times_from(depot.node, unit.vehicle)
            if not math.isfinite(times[shelter.node]):
                continue
            short = max(v / ration[k] for k, v in unmet.items())
            if short > best_short:
                best, best_short = shelter, short
        return best

    def _load(self, depot: DepotState, shelter: ShelterState, capacity_kg: float,
              fill: bool = False) -> dict[str, float]:
        """What to load for ``shelter``: its unmet need, in proportion, up to the truck's
        capacity (kg) and the depot's stock. With ``fill`` (a truck a player sent) and no
        unmet need, a full truck of rations in the ration's proportions (pre-positioning)."""
        ration = self.spec.ration
        unmet = shelter.unmet(ration)
        if fill and not any(v > 0 for v in unmet.values()):
            per_person_kg = sum(per * self.spec.item_kg[k] for k, per in ration.items())
            unmet = {k: per * capacity_kg / per_person_kg for k, per in ration.items()}
        want = {k: min(v, depot.stock.get(k, 0.0)) for k, v in unmet.items() if v > 0}
        kg = sum(q * self.spec.item_kg[k] for k, q in want.items())
        scale = min(1.0, capacity_kg / kg) if kg > 0 else 0.0
        return {k: math.floor(q * scale) for k, q in want.items() if math.floor(q * scale) > 0}

    def _shortage(self, depot: DepotState) -> bool:
        """True when shelters need items of which this depot has none."""
        ration = self.spec.ration
        for shelter in self.drill.shelters.by_id.values():
            if not shelter.people:
                continue  # it needs nothing
            for item, qty in shelter.unmet(ration).items():
                if qty > 0 and depot.stock.get(item, 0.0) <= 0:
                    return True
        return False

    def _truck(self, unit: Unit, depot: DepotState, capacity_kg: float):
        drill, env = self.drill, self.drill.env
        while True:
            ordered = self.orders.pop(unit.id, None)  # a player's choice, else the policy's
            shelter = ordered or self._choose(depot, unit)
            load = self._load(depot, shelter, capacity_kg, fill=ordered is not None) \
                if shelter else {}
            if shelter is None or not load:
                if self._shortage(depot) and not depot.stocked_out:
                    depot.stocked_out = True
                    drill.log("stock_out", node=depot.node, place=depot.id,
                              items=_items({k: 1 for k, v in depot.stock.items() if v <= 0}))
                self.idle.add(unit.id)
                yield self.need
                self.idle.discard(unit.id)
                continue
            for item, qty in load.items():
                depot.stock[item] -= qty
                shelter.in_transit[item] = shelter.in_transit.get(item, 0.0) + qty
            kg = sum(q * self.spec.item_kg[k] for k, q in load.items())
            drill.log("truck_load", unit=unit.id, node=depot.node, place=depot.id,
                      shelter=shelter.id, kg=float(round(kg)), items=_items(load))
            yield env.timeout(drill.draw(depot.spec.loading, f"relief/load/{unit.id}")
                              + depot.spec.loading_per_t * kg / 1000)
            dry = drill.world.dry.time(depot.node, shelter.node, unit.vehicle)
            eta = drill.world.travel.time(depot.node, shelter.node, unit.vehicle)
            drill.log("truck_depart", unit=unit.id, node=depot.node, place=shelter.id,
                      eta_s=_seconds(eta), dry_eta_s=_seconds(dry))
            yield from drill.drive(unit, shelter.node, unit.vehicle)
            drill.log("truck_arrive", unit=unit.id, node=shelter.node, place=shelter.id)
            yield env.timeout(drill.draw(self.spec.unload, f"relief/unload/{unit.id}"))
            drill.shelters.deliver(shelter, load)
            drill.log("relief_delivered", unit=unit.id, node=shelter.node, place=shelter.id,
                      items=_items(load))
            yield from drill.drive(unit, depot.node, unit.vehicle)
            drill.log("truck_return", unit=unit.id, node=depot.node, place=depot.id)


def _seconds(t: float) -> float:
    """A travel time for a record: whole seconds, or ``inf`` when no route exists now."""
    return float(round(t)) if math.isfinite(t) else math.inf
