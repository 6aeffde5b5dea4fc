"""The command centre as an M/M/c queue, checked against Erlang C.

One station with ``c`` engines, Poisson background calls at a flat hourly rate,
exponential on-scene work, no turnout, no call processing, no mutual aid and
negligible travel (every call is at the station: the network is two coincident
nodes joined by a 1 mm road). Each call needs one engine, so the dispatcher is
an M/M/c queue with first-come first-served discipline and (Larson & Odoni,
*Urban Operations Research*, 1981, sec. 4.7; models-and-standards.md):

    a = λ/μ,  C(c, a) = [a^c/c! · c/(c−a)] / [Σ_{k<c} a^k/k! + a^c/c! · c/(c−a)]
    P(wait > 0) = C,  Wq = C/(cμ − λ),  P(Wq > t) = C·e^{−(cμ−λ)t}.

Estimates come from the records only: a call waited when it has a ``queued``
record, its wait is its first ``dispatch`` minus its ``call``.

Tolerances are statistical, not fitted to output. Waits of successive calls are
correlated, so the standard error is computed by batch means: the calls after a
one-day warm-up are split, in call order, into 20 consecutive batches; a batch
spans about 7 h, far longer than the queue's relaxation time (of the order of
1/(μ(√c−√a)²), 20-30 min for the cases here), so batch means are nearly independent and
SE = sd(batch means)/√20. The estimate must lie within 4 SE of theory (with 19
degrees of freedom, a correct model fails one such check with probability about
0.1 %; the seeds are fixed, so a run is reproducible anyway). The SE is also
required to be small (a check that the run is long enough to be a test at all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pytest
from conftest import START

from drillsim.engine import run_drill
from drillsim.network.graph import RoadNetwork
from drillsim.network.places import Places
from drillsim.network.world import World
from drillsim.scenarios.schema import Scenario

CALLS_PER_DAY = 2000.0  # the schema's maximum: as many calls per simulated day as allowed
LAMBDA = CALLS_PER_DAY / 86400.0  # calls per second
DAYS = 7  # the schema's longest drill
WARMUP_S = 86400.0  # discard the first day (the queue starts empty)
TAIL_S = 6 * 3600.0  # calls in the last hours may still wait at the end: censored, dropped
BATCHES = 20
Z = 4.0


def erlang_c(c: int, a: float) -> float:
    """Probability that a call waits in an M/M/c queue with offered load ``a`` = λ/μ < c."""
    top = a**c / math.factorial(c) * c / (c - a)
    return top / (sum(a**k / math.factorial(k) for k in range(c)) + top)


def point_world() -> World:
    """Two nodes at the same spot joined by a 1 mm two-way road: travel takes ~0.1 ms."""
    g = nx.MultiDiGraph()
    g.add_node("A", y=39.15, x=117.15)
    g.add_node("B", y=39.15, x=117.15)
    for u, v in (("A", "B"), ("B", "A")):
        g.add_edge(u, v, length=0.001, highway="primary", maxspeed=50, oneway=False, name="R")
    return World(RoadNetwork.from_networkx(g), Places([]))


def mmc_scenario(c: int, mean_service_s: float) -> Scenario:
    return Scenario.model_validate({
        "name": f"M/M/{c}",
        "start": START,
        "duration": f"{24 * DAYS}:00",
        "forces": {
            "stations": [{
                "id": "st", "location": {"node": "A"}, "personnel": 4 * c,
                "on_duty_fraction": 1.0,
                "apparatus": [{"id": f"E{i + 1}", "type": "engine", "crew": 4}
                              for i in range(c)],
                "turnout": {"day": "0 s", "night": "0 s"},
            }],
            "response_plans": {"alarm": [{"engine": 1}]},
            "mutual_aid": {"enabled": False},
        },
        "dispatch": {"processing": "0 s"},
        "background": {
            "calls_per_day": CALLS_PER_DAY,
            "hourly_profile": [1.0] * 24,
            "mix": {"alarm": 1.0},
            "work_time": {"dist": "exponential", "mean": mean_service_s},
        },
    }, context={"start": START})


@dataclass
class Observed:
    call: np.ndarray  # call times of the kept calls, s
    wait: np.ndarray  # first dispatch - call, s
    queued: np.ndarray  # bool: the call got a `queued` record
    n_calls_total: int  # every call of the run (for the arrival rate)
    busy: np.ndarray  # (start, end) of every commitment of an engine: dispatch to release
    window: tuple[float, float]

    def busy_by_batch(self, batches: int) -> np.ndarray:
        """Mean number of busy engines in each of ``batches`` equal slices of the window."""
        edges = np.linspace(*self.window, batches + 1)
        start, end = self.busy[:, :1], self.busy[:, 1:]
        overlap = np.minimum(end, edges[1:]) - np.maximum(start, edges[:-1])
        return np.clip(overlap, 0.0, None).sum(axis=0) / np.diff(edges)


def observe(result) -> Observed:
    calls: dict[str, float] = {}
    first_dispatch: dict[str, float] = {}
    queued: set[str] = set()
    lo, hi = WARMUP_S, DAYS * 86400.0 - TAIL_S
    busy: list[tuple[float, float]] = []
    since: dict[str, float] = {}
    for r in result.records:
        if r.event == "call":
            calls[r.incident] = r.t
        elif r.event == "queued":
            queued.add(r.incident)
        elif r.event == "dispatch":
            first_dispatch.setdefault(r.incident, r.t)
            since[r.unit] = r.t
        elif r.event == "release":
            busy.append((since.pop(r.unit), r.t))
    busy += [(t0, math.inf) for t0 in since.values()]  # still busy at the end
    kept = [i for i, t in calls.items() if lo <= t < hi]
    assert all(i in first_dispatch for i in kept), "a kept call was never dispatched"
    return Observed(
        call=np.array([calls[i] for i in kept]),
        wait=np.array([first_dispatch[i] - calls[i] for i in kept]),
        queued=np.array([i in queued for i in kept]),
        n_calls_total=len(calls),
        busy=np.array(busy).reshape(-1, 2),
        window=(lo, hi),
    )


def batch_mean_se(values: np.ndarray, batches: int = BATCHES) -> tuple[float, float]:
    """Mean and its batch-means standard error (values in time order)."""
    means = np.array([b.mean() for b in np.array_split(values, batches)])
    return float(values.mean()), float(means.std(ddof=1) / math.sqrt(batches))


def pooled(observations: list[Observed], field: str, batches: int) -> tuple[float, float]:
    """Batch means over several independent runs: each run gives its own batches."""
    means = np.concatenate([
        [b.mean() for b in np.array_split(getattr(o, field), batches)] for o in observations])
    return float(means.mean()), float(means.std(ddof=1) / math.sqrt(means.size))


def run_case(c: int, rho: float, seeds: list[int]) -> tuple[list[Observed], dict]:
    mu = LAMBDA / (rho * c)  # service rate per engine, 1/s
    a = LAMBDA / mu
    world = point_world()
    scenario = mmc_scenario(c, 1.0 / mu)
    obs = [observe(run_drill(scenario, world, seed=s)) for s in seeds]
    C = erlang_c(c, a)
    theta = c * mu - LAMBDA
    t_star = 1.0 / theta  # P(Wq > 1/(cμ−λ)) = C/e
    theory = {"C": C, "Wq": C / theta, "t": t_star, "P_gt_t": C * math.exp(-theta * t_star),
              "a": a, "mu": mu}
    return obs, theory


def check(obs: list[Observed], theory: dict, batches: int, max_se: dict) -> dict:
    for o in obs:
        o.gt_t = (o.wait > theory["t"]).astype(float)  # type: ignore[attr-defined]
        o.waited = o.queued.astype(float)  # type: ignore[attr-defined]
        # A queued call and a positive wait are the same thing (no processing time).
        np.testing.assert_array_equal(o.queued, o.wait > 0)
    report = {}
    for name, field, target in (("P(wait>0)", "waited", theory["C"]),
                                ("Wq", "wait", theory["Wq"]),
                                ("P(Wq>t)", "gt_t", theory["P_gt_t"])):
        est, se = pooled(obs, field, batches)
        report[name] = (est, se, target)
        assert se < max_se[name], f"{name}: SE {se:.4g} too large for a meaningful test"
        assert abs(est - target) < Z * se, f"{name}: {est:.4g} vs Erlang C {target:.4g} " \
                                           f"(SE {se:.3g})"
    # Little's law at the servers: mean number of busy engines = λ·E[S] = a (batch
    # means over time slices of the same window, same 4 SE rule).
    means = np.concatenate([o.busy_by_batch(batches) for o in obs])
    est, se = float(means.mean()), float(means.std(ddof=1) / math.sqrt(means.size))
    report["busy engines"] = (est, se, theory["a"])
    assert abs(est - theory["a"]) < Z * se, f"busy {est:.4g} vs a = {theory['a']:.4g}"
    # The arrival process has the configured rate: N ~ Poisson(λT), SE = sqrt(λT).
    n = sum(o.n_calls_total for o in obs)
    expected = LAMBDA * DAYS * 86400.0 * len(obs)
    assert abs(n - expected) < Z * math.sqrt(expected)
    report["calls"] = (n, math.sqrt(expected), expected)
    for name, (est, se, target) in report.items():  # shown with `pytest -s`
        print(f"{name:>13}: {est:10.4f} ± {se:.4f} (SE)  theory {target:.4f}")
    return report


@pytest.mark.parametrize(("c", "rho", "seed"), [(1, 0.7, 11), (3, 0.75, 12)])
def test_dispatcher_is_erlang_c(c, rho, seed):
    obs, theory = run_case(c, rho, [seed])
    # One 7-day run: about 11,000 kept calls; these SE ceilings are about twice
    # what such a run gives, so the checks are meaningful.
    check(obs, theory, BATCHES, {"P(wait>0)": 0.03, "Wq": 0.3 * theory["Wq"],
                                 "P(Wq>t)": 0.03})


@pytest.mark.slow
@pytest.mark.parametrize(("c", "rho"), [(1, 0.7), (3, 0.75), (3, 0.6)])
def test_dispatcher_is_erlang_c_long(c, rho):
    # Eight independent 7-day runs, 20 batches each: the SE shrinks by about √8.
    seeds = [1000 * c + int(100 * rho) + k for k in range(8)]  # independent across cases
    obs, theory = run_case(c, rho, seeds)
    check(obs, theory, BATCHES, {"P(wait>0)": 0.01, "Wq": 0.1 * theory["Wq"],
                                 "P(Wq>t)": 0.01})
