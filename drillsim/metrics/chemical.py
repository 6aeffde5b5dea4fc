"""Chemical-release measures: pure functions of a run's records.

Exposure counts come from the ``plume`` records (people above each AEGL level at
each zone update); person-minutes multiply them by the update step. Times are
from the hazmat incident's call.
"""

from __future__ import annotations

import math

from drillsim.records.result import RunResult

CHEMICAL_METRICS = ("hazmat_first_arrival", "source_control_time", "people_above_aegl1",
                    "people_above_aegl2", "people_above_aegl3", "person_minutes_aegl2",
                    "evacuation_time", "responders_exposed")


def chemical_metrics(result: RunResult) -> dict[str, float]:
    """The chemical-release metrics of the catalogue (NaN when the drill has no release)."""
    out = dict.fromkeys(CHEMICAL_METRICS, math.nan)
    spec = result.scenario.chemical
    if spec is None:
        return out
    recs = result.records
    inc = f"HZ-{spec.id}"
    call = next((r.t for r in recs if r.event == "call" and r.incident == inc), math.nan)
    hazmat_units = {u.id for u in result.units if u.type == "hazmat"}
    hazmat_units |= {r.unit for r in recs if r.event == "ppe_on"}
    arrive = next((r.t for r in recs if r.event == "arrive" and r.incident == inc
                   and r.unit in hazmat_units), math.inf)
    control = next((r.t for r in recs if r.event == "source_control"
                    and r.place == spec.id), math.inf)
    plumes = [r.data for r in recs if r.event == "plume" and r.place == spec.id]
    step_min = spec.step / 60.0
    out["hazmat_first_arrival"] = arrive - call
    out["source_control_time"] = control - call
    for lvl in (1, 2, 3):
        out[f"people_above_aegl{lvl}"] = max(
            (float(p[f"aegl{lvl}_people"]) for p in plumes), default=0.0)
    out["person_minutes_aegl2"] = sum(float(p["aegl2_people"]) for p in plumes) * step_min
    order = next((r.t for r in recs if r.event == "protective_action"), None)
    groups = {r.data["group"] for r in recs if r.event == "displaced" and r.place == spec.id}
    admits = [r.t for r in recs if r.event == "shelter_admit" and r.data["group"] in groups]
    if order is not None and groups:
        all_in = len({r.data["group"] for r in recs if r.event == "shelter_admit"
                      and r.data["group"] in groups}) == len(groups)
        out["evacuation_time"] = (max(admits) - order) if admits and all_in else math.inf
    out["responders_exposed"] = float(sum(int(r.data["crew"]) for r in recs
                                          if r.event == "responder_exposed"))
    return out
