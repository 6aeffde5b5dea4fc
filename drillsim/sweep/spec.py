"""Experiment files: what to vary in a drill, how, how often, and what to measure.

An experiment is read from YAML (with the line of every field, like drill files),
checked field by field, and expanded into *points*: one validated
:class:`~drillsim.scenarios.schema.Scenario` per combination of parameter values
(and variant). Every point is built and validated before anything runs, so a
value that makes the drill invalid is reported at once, at the line of the
parameter that set it. See ``docs/sweeps.md`` for the format.
"""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from drillsim.errors import DrillsimError, FileProblem, ScenarioError
from drillsim.scenarios.schema import Scenario
from drillsim.sweep import paths

DESIGNS = ("grid", "zip", "lhs", "random")
TOP_KEYS = ("name", "description", "base", "seed", "replications", "metrics", "set",
            "parameters", "design", "samples", "variants", "baseline")
PARAM_KEYS = ("path", "name", "values", "range", "between", "integer", "unit")


class ExperimentError(DrillsimError):
    """An experiment file (or quick-form option) that cannot be used."""


@dataclass(frozen=True)
class Parameter:
    """One varied parameter."""

    name: str
    path: str
    values: tuple[Any, ...] | None = None      # list or range
    between: tuple[float, float] | None = None  # for lhs / random
    integer: bool = False
    line: int | None = None
    index: int = 0
    unit: str | None = None     # appended to numbers for duration fields: 90 -> '90 s'

    def written(self, value: Any) -> Any:
        """The value as set in the drill data (with the unit, if any)."""
        return f"{value:g} {self.unit}" if self.unit and _is_num(value) else value

    @property
    def numeric(self) -> bool:
        vals = self.values if self.values is not None else self.between
        return all(isinstance(v, int | float) and not isinstance(v, bool) for v in vals or ())


@dataclass(frozen=True)
class Variant:
    """A named patch of the base drill: ``{path: value}`` set before the parameters."""

    name: str
    set: dict[str, Any]
    lines: dict[str, int]
    line: int | None = None


@dataclass(frozen=True)
class Point:
    """One combination of settings, with its validated drill."""

    index: int
    variant: str | None
    values: dict[str, Any]
    scenario: Scenario = field(repr=False)

    @property
    def label(self) -> str:
        parts = [self.variant] if self.variant is not None else []
        parts += [f"{k}={_short(v)}" for k, v in self.values.items()]
        return ", ".join(parts) or "base"


@dataclass(frozen=True)
class Experiment:
    """A fully expanded, validated experiment."""

    name: str
    file: str
    base_file: str
    seed: int
    replications: int
    metrics: tuple[str, ...]
    objectives: tuple[str, ...]
    parameters: tuple[Parameter, ...]
    variants: tuple[Variant, ...]
    points: tuple[Point, ...]
    baseline: tuple[int, ...]   # baseline point of each point (for paired differences)
    design: str = "grid"
    description: str = ""
    source_text: str = ""

    @property
    def network(self) -> str:
        return self.points[0].scenario.network

    @property
    def district(self) -> str:
        """The district of the experiment's drill (an embedded name or a package folder)."""
        return self.points[0].scenario.district

    def spec_hash(self) -> str:
        """SHA-256 of everything that decides the results (not workers, executor or folder)."""
        doc = {
            "seed": self.seed, "replications": self.replications,
            "metrics": list(self.metrics), "objectives": list(self.objectives),
            "points": [[p.label, p.scenario.model_dump(mode="json")] for p in self.points],
        }
        text = json.dumps(doc, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()

    def columns(self) -> list[str]:
        """The measured columns of a replication row: metrics, then objectives met."""
        return list(self.metrics) + [met_column(o) for o in self.objectives]


MAX_REPLICATIONS = 10_000
"""Most replications per point."""
MAX_POINTS = 10_000
"""Most points in one sweep (each is a drill to validate)."""
MAX_RUNS = 1_000_000
"""Most runs (points x replications) in one sweep: at about 1 s a run, 12 days of a core."""
TABLE_COLUMNS = frozenset({
    "point", "label", "variant", "replication", "seed", "status", "error",  # replications
    "measure", "kind", "errors", "n", "mean", "sd", "ci_low", "ci_high", "p10", "p50", "p90",
    "baseline", "diff_mean", "diff_ci_low", "diff_ci_high"})                # summary
"""The columns of the result tables other than parameters and measures."""


def column_clash(name: str) -> str | None:
    """Why a parameter may not have this name (a column of the result tables), or ``None``."""
    from drillsim.metrics.catalog import METRICS

    if name in TABLE_COLUMNS or name in METRICS or name.startswith("met_"):
        return (f"a parameter named {name!r} would overwrite the result tables' column of "
                "that name; give it another name: (e.g. name: param_" + name + ")")
    return None


def met_column(objective_id: str) -> str:
    """The column that holds 1 (met), 0 (not met) or NaN (not measured) for an objective."""
    return f"met_{objective_id}"


def number(v: float, sign: str = "") -> str:
    """A number for people: thousands separated (``4,000``), never scientific notation;
    three significant digits below 1,000 (``12.3``); ``sign`` ``"+"`` shows the sign."""
    if abs(v) >= 1000 or float(v).is_integer():
        return f"{v:{sign},.0f}"
    return f"{v:{sign},.{max(0, 2 - math.floor(math.log10(abs(v))))}f}" if v else f"{v:{sign}.0f}"


def _short(v: Any) -> str:
    if isinstance(v, float):
        return number(v)
    if isinstance(v, dict):
        return str(v.get("id", "{...}"))
    return str(v)


# --------------------------------------------------------------------------- reading


def load_experiment(path: str | Path) -> Experiment:
    """Read, check and expand an experiment file.

    Raises
    ------
    ExperimentError
        With every problem found, one line each (file, line, field, message);
        problems in the points' drills name the parameter that caused them.
    """
    from drillsim.scenarios.loader import _decode, _read_bytes
    from drillsim.scenarios.yamlsrc import read_yaml

    file = str(path)
    try:
        raw = _read_bytes(Path(path), file)
        text = _decode(raw, file)
        doc = read_yaml(text, file)
    except ScenarioError as exc:
        raise ExperimentError(exc.problems) from None
    if not isinstance(doc.data, dict):
        raise ExperimentError([FileProblem(file, 1, "", "an experiment file is a mapping of "
                                           "keys (base:, replications:, parameters:, ...)")])
    return build_experiment(doc.data, file=file, lines=doc.lines,
                            folder=Path(path).resolve().parent, source_text=text)


def build_experiment(data: dict[str, Any], *, file: str, lines: dict | None = None,
                     folder: Path | None = None, source_text: str = "") -> Experiment:
    """Check an experiment given as data and expand it into validated points."""
    return _Builder(data, file, lines or {}, folder or Path.cwd(), source_text).build()


class _Builder:
    def __init__(self, data: dict, file: str, lines: dict, folder: Path, text: str) -> None:
        self.data, self.file, self.lines, self.folder, self.text = data, file, lines, folder, text
        self.problems: list[FileProblem] = []

    # ---- problems

    def line(self, *path: Any) -> int | None:
        for n in range(len(path), -1, -1):
            if tuple(path[:n]) in self.lines:
                return self.lines[tuple(path[:n])]
        return None

    def problem(self, path: tuple, message: str) -> None:
        from drillsim.scenarios.loader import dotted

        self.problems.append(FileProblem(self.file, self.line(*path), dotted(path), message))

    def fail_if_problems(self) -> None:
        if self.problems:
            unique = list(dict.fromkeys(self.problems))
            raise ExperimentError(sorted(unique, key=lambda p: p.line or 0))

    # ---- fields

    def build(self) -> Experiment:
        from drillsim.metrics.catalog import METRICS

        d = self.data
        for key in d:
            if key not in TOP_KEYS:
                self.problem((key,), f"unknown key {key!r} (allowed: {', '.join(TOP_KEYS)})")
        base = d.get("base")
        if not isinstance(base, str) or not base.strip():
            self.problem(("base",), "missing 'base': the drill file to vary, e.g. "
                         "base: ../scenarios/highrise-evening.yaml (relative to this file)")
        reps = d.get("replications")
        if not _is_int(reps) or not 1 <= reps <= MAX_REPLICATIONS:
            what = "missing" if reps is None else f"got {reps!r}"
            self.problem(("replications",), f"replications must be a whole number from 1 to "
                         f"{MAX_REPLICATIONS:,} ({what}); a 95 % interval narrows as "
                         "1/sqrt(n), so 10,000 replications already pin a mean to 2 % of "
                         "its spread")
        seed = d.get("seed")
        if seed is not None and (not _is_int(seed) or not 0 <= seed < 2**63):
            self.problem(("seed",), f"seed must be a whole number >= 0, got {seed!r}")
        metrics = d.get("metrics", list(METRICS))
        if isinstance(metrics, str):
            metrics = [metrics]
        if not isinstance(metrics, list) or not metrics:
            self.problem(("metrics",), "metrics must be a list of metric names "
                         "(see `drillsim schema --metrics`)")
            metrics = []
        seen_metrics: set[Any] = set()
        for i, m in enumerate(metrics):
            if isinstance(m, str) and m in seen_metrics:
                self.problem(("metrics", i), f"metric {m!r} is listed twice; list each once")
            if isinstance(m, str):
                seen_metrics.add(m)
            if not isinstance(m, str) or m not in METRICS:
                import difflib

                close = difflib.get_close_matches(str(m), list(METRICS), n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.problem(("metrics", i), f"unknown metric {m!r}; {hint}"
                             f"known: {', '.join(METRICS)}")
        design = d.get("design", "grid")
        if design not in DESIGNS:
            self.problem(("design",), f"unknown design {design!r}; expected one of "
                         f"{', '.join(DESIGNS)}")
        samples = d.get("samples")
        if design in ("lhs", "random"):
            if not _is_int(samples) or not 1 <= samples <= MAX_POINTS:
                self.problem(("samples",), f"design {design} needs samples: a whole number "
                             f"of points from 1 to {MAX_POINTS:,} (got {samples!r})")
        elif samples is not None:
            self.problem(("samples",), "samples is only used with design: lhs or random")
        params = self.parameters(d.get("parameters", []), design)
        variants = self.variants(d.get("variants"))
        fixed = self.patch(d.get("set"), ("set",))
        if not params and not variants:
            self.problem(("parameters",), "nothing to vary: give parameters: (a list) "
                         "or variants: (named changes)")
        self.fail_if_problems()

        n_points = max(1, len(variants)) * (
            samples if design in ("lhs", "random") else len(params[0].values or ()) if
            design == "zip" and params else math.prod(len(p.values or ()) for p in params))
        if n_points > MAX_POINTS or n_points * int(reps) > MAX_RUNS:
            self.problem(("parameters",), f"{n_points:,} point(s) x {reps:,} replication(s) "
                         f"is too many: at most {MAX_POINTS:,} points and {MAX_RUNS:,} runs "
                         "in one sweep; split it into several experiments")
        self.fail_if_problems()
        drill = self.read_base(base)
        root_seed = seed if seed is not None else int(drill.data.get("seed", 1) or 1)
        combos = self.combinations(params, design, samples, root_seed)
        points = self.points(drill, fixed, variants, params, combos)
        objectives = tuple(dict.fromkeys(o.id for p in points for o in p.scenario.objectives))
        baseline = self.baselines(points, variants, d.get("baseline"))
        self.fail_if_problems()
        return Experiment(
            name=str(d.get("name") or Path(self.file).stem), file=self.file,
            base_file=drill.file, seed=root_seed, replications=int(reps),
            metrics=tuple(metrics), objectives=objectives, parameters=tuple(params),
            variants=tuple(variants), points=tuple(points), baseline=baseline, design=design,
            description=str(d.get("description") or ""), source_text=self.text)

    def read_base(self, base: str):
        from drillsim.scenarios.loader import read_drill_data

        path = Path(base) if Path(base).is_absolute() else self.folder / base
        try:
            path = path.resolve().relative_to(Path.cwd())
        except ValueError:
            path = path.resolve()
        try:
            return read_drill_data(path)
        except ScenarioError as exc:
            if all(isinstance(p, FileProblem) and p.line is None for p in exc.problems):
                for p in exc.problems:
                    self.problem(("base",), f"base drill {str(path)!r}: {p.message}")
                self.fail_if_problems()
            raise

    def parameters(self, raw: Any, design: str) -> list[Parameter]:
        if raw is None:
            return []
        if not isinstance(raw, list):
            self.problem(("parameters",), "parameters must be a list of "
                         "{path: ..., values: [...]} entries")
            return []
        out, names = [], set()
        for i, p in enumerate(raw):
            at = ("parameters", i)
            if not isinstance(p, dict) or "path" not in p:
                self.problem(at, "a parameter needs path: (e.g. forces.stations."
                             "xizhan_station.personnel) and values:, range: or between:")
                continue
            for key in p:
                if key not in PARAM_KEYS:
                    self.problem((*at, key), f"unknown key {key!r} (allowed: "
                                 f"{', '.join(PARAM_KEYS)})")
            try:
                paths.split(p["path"])
            except paths.PathError as exc:
                self.problem((*at, "path"), str(exc))
                continue
            name = str(p.get("name") or p["path"])
            if name in names:
                self.problem((*at, "path"), f"parameter {name!r} is given twice")
            clash = column_clash(name)
            if clash:
                self.problem((*at, "name" if "name" in p else "path"), clash)
            names.add(name)
            given = [k for k in ("values", "range", "between") if k in p]
            if len(given) != 1:
                self.problem(at, "give exactly one of values: [..], range: {from: .., to: .., "
                             "step: ..} or between: [low, high]")
                continue
            values = between = None
            if "values" in p:
                values = p["values"]
                if not isinstance(values, list) or not values:
                    self.problem((*at, "values"), "values must be a non-empty list, "
                                 "e.g. [52, 59]")
                    continue
            elif "range" in p:
                values = self.range_values(p["range"], (*at, "range"))
                if values is None:
                    continue
            else:
                b = p["between"]
                if not (isinstance(b, list) and len(b) == 2 and all(_is_num(x) for x in b)
                        and b[0] < b[1]):
                    self.problem((*at, "between"), f"between must be [low, high] with "
                                 f"low < high, got {b!r}")
                    continue
                between = (b[0], b[1])
                if design not in ("lhs", "random"):
                    self.problem((*at, "between"), "between: is for design: lhs or random; "
                                 "use values: or range: for a grid")
            integer = p.get("integer", False)
            if not isinstance(integer, bool):
                self.problem((*at, "integer"), "integer must be true or false")
            unit = p.get("unit")
            if unit is not None and not isinstance(unit, str):
                self.problem((*at, "unit"), "unit must be text such as 's' or 'min'")
            out.append(Parameter(name, str(p["path"]), tuple(values) if values else None,
                                 between, bool(integer), self.line(*at), i, unit))
        if design == "zip" and out:
            sizes = {len(p.values or ()) for p in out}
            if len(sizes) > 1:
                self.problem(("parameters",), "design zip walks the value lists together: "
                             f"they must have the same length, got {sorted(sizes)}")
        return out

    def range_values(self, r: Any, at: tuple) -> list | None:
        if not isinstance(r, dict) or not {"from", "to"} <= set(r) \
                or len(set(r) & {"step", "num"}) != 1 or set(r) - {"from", "to", "step", "num"}:
            self.problem(at, "range must be {from: .., to: .., step: ..} or "
                         "{from: .., to: .., num: ..}")
            return None
        lo, hi = r["from"], r["to"]
        if not (_is_num(lo) and _is_num(hi)):
            self.problem(at, f"range from and to must be numbers, got {lo!r} and {hi!r}")
            return None
        if "num" in r:
            n = r["num"]
            if not _is_int(n) or n < 1:
                self.problem((*at, "num"), f"num must be a whole number >= 1, got {n!r}")
                return None
            if n > MAX_POINTS:
                self.problem((*at, "num"), f"num must be at most {MAX_POINTS:,}, got {n!r}")
                return None
            if n == 1:
                return [lo]
            vals = [lo + (hi - lo) * k / (n - 1) for k in range(n)]
        else:
            step = r["step"]
            if not _is_num(step) or step == 0:
                self.problem((*at, "step"), f"step must be a non-zero number, got {step!r}")
                return None
            span = (hi - lo) / step + 1e-9
            n = math.floor(span) + 1 if math.isfinite(span) else MAX_POINTS + 1
            if n < 1:
                self.problem(at, f"the range from {lo} to {hi} by {step} is empty")
                return None
            if n > MAX_POINTS:
                self.problem(at, f"the range from {lo} to {hi} by {step} has more than "
                             f"{MAX_POINTS:,} values")
                return None
            vals = [lo + k * step for k in range(n)]
        if all(_is_int(x) for x in (lo, hi, r.get("step", 1))) and "num" not in r:
            vals = [int(v) for v in vals]
        else:
            vals = [round(float(v), 12) for v in vals]
        return vals

    def patch(self, raw: Any, at: tuple) -> dict[str, Any]:
        if raw is None:
            return {}
        if not isinstance(raw, dict):
            self.problem(at, "set must be a mapping of path: value, e.g. "
                         "{duration: '24:00', forces.stations.+: {...}}")
            return {}
        return dict(raw)

    def variants(self, raw: Any) -> list[Variant]:
        if raw is None:
            return []
        if not isinstance(raw, list) or not raw:
            self.problem(("variants",), "variants must be a non-empty list of "
                         "{name: .., set: {path: value}}")
            return []
        out, seen = [], set()
        for i, v in enumerate(raw):
            at = ("variants", i)
            if not isinstance(v, dict) or not isinstance(v.get("name"), str):
                self.problem(at, "a variant needs name: (text) and optionally set: "
                             "{path: value}")
                continue
            for key in v:
                if key not in ("name", "set", "description"):
                    self.problem((*at, key), f"unknown key {key!r} (allowed: name, set, "
                                 "description)")
            if v["name"] in seen:
                self.problem((*at, "name"), f"variant {v['name']!r} is given twice")
            seen.add(v["name"])
            patch = self.patch(v.get("set"), (*at, "set"))
            lines = {k: self.line(*at, "set", k) for k in patch}
            out.append(Variant(v["name"], patch, lines, self.line(*at)))
        return out

    # ---- expansion

    def combinations(self, params: list[Parameter], design: str, samples: int | None,
                     seed: int) -> list[dict[str, Any]]:
        if not params:
            return [{}]
        if design == "grid":
            return [dict(zip([p.name for p in params], combo, strict=True))
                    for combo in itertools.product(*(p.values for p in params))]
        if design == "zip":
            return [dict(zip([p.name for p in params], combo, strict=True))
                    for combo in zip(*(p.values for p in params), strict=True)]
        from drillsim.rng import Streams

        rng = Streams(seed, ())["sweep/design"]
        if design == "lhs":  # one sample in each of `samples` strata of every parameter
            import numpy as np

            u = np.column_stack([(rng.permutation(samples) + rng.random(samples)) / samples
                                 for _ in params])
        else:
            u = rng.random((samples, len(params)))
        out = []
        for row in u:
            out.append({p.name: _from_unit(p, float(x)) for p, x in zip(params, row,
                                                                        strict=True)})
        return out

    def points(self, drill, fixed: dict, variants: list[Variant], params: list[Parameter],
               combos: list[dict]) -> list[Point]:
        from drillsim.api import load_world
        from drillsim.scenarios.loader import load_scenario_data

        by_name = {p.name: p for p in params}
        world = None
        points: list[Point] = []
        cache: dict[str, Scenario] = {}
        for variant in (variants or [None]):
            for combo in combos:
                data = copy.deepcopy(drill.data)
                origin: dict[str, tuple[tuple, str]] = {}  # dotted path -> (exp path, what)
                ok = self.apply(data, fixed, ("set",), {k: self.line("set", k) for k in fixed},
                                origin)
                if variant is not None:
                    at = ("variants", variants.index(variant), "set")
                    ok &= self.apply(data, variant.set, at, variant.lines, origin)
                for name, value in combo.items():
                    p = by_name[name]
                    ok &= self.apply(data, {p.path: p.written(value)},
                                     ("parameters", p.index, "path"), {p.path: p.line}, origin,
                                     label=f"{name}={_short(value)}")
                if not ok:
                    continue
                point = Point(len(points), variant.name if variant else None, combo, None)
                key = json.dumps(data, sort_keys=True, default=str)
                scenario = cache.get(key)
                if scenario is None:
                    if world is None:
                        net = drill.data.get("network", "default")
                        try:
                            world = load_world(net if net == "default" else str(
                                (Path(drill.file).parent / net).resolve()),
                                drill.data["district"])
                        except Exception:  # noqa: BLE001 - the loader reports the network
                            world = False
                    try:
                        scenario = load_scenario_data(
                            data, file=drill.file, lines=drill.lines,
                            from_default=drill.from_default, folder=Path(drill.file).parent,
                            places=world.places if world else None,
                            network=world.network if world else None)
                    except ScenarioError as exc:
                        self.point_problems(point, exc, origin)
                        continue
                    cache[key] = scenario
                points.append(Point(point.index, point.variant, combo, scenario))
                if len(self.problems) > 40:
                    self.fail_if_problems()
        return points

    def apply(self, data: dict, patch: dict[str, Any], at: tuple, lines: dict[str, int | None],
              origin: dict, label: str = "") -> bool:
        ok = True
        for path, value in patch.items():
            try:
                keys = paths.resolve(data, path)
            except paths.PathError as exc:
                where = at if at[0] == "parameters" else (*at, path)
                self.problems.append(FileProblem(self.file, lines.get(path) or self.line(*at),
                                                 _dotted(where), f"unknown path {path!r}: {exc}"))
                ok = False
                continue
            paths.set_value(data, keys, copy.deepcopy(value))
            if keys[-1] == paths.APPEND:
                keys = [*keys[:-1], len(_get(data, keys[:-1])) - 1]
            what = label or f"{path}={_short(value)}"
            origin[paths.dotted(keys)] = ((at if at[0] == "parameters" else (*at, path)),
                                          lines.get(path), what)
        return ok

    def point_problems(self, point: Point, exc: ScenarioError, origin: dict) -> None:
        for prob in exc.problems:
            if not isinstance(prob, FileProblem):
                self.problems.append(FileProblem(self.file, None, "", str(prob)))
                continue
            match = next((o for d, o in sorted(origin.items(), key=lambda x: -len(x[0]))
                          if prob.path == d or prob.path.startswith(d + ".")
                          or prob.path.startswith(d + "[") or d.startswith(prob.path + ".")
                          or d.startswith(prob.path + "[")), None)
            if match is not None:
                at, line, what = match
                self.problems.append(FileProblem(
                    self.file, line or self.line(*at), _dotted(at),
                    f"with {what} (point {point.index}) the drill is invalid: "
                    f"{prob.path}: {prob.message}"))
            else:
                self.problems.append(prob._replace(
                    message=f"{prob.message} (in point {point.index} of {self.file})"))

    def baselines(self, points: list[Point], variants: list[Variant],
                  name: Any) -> tuple[int, ...]:
        if not points:
            return ()
        if name is not None and variants and name not in [v.name for v in variants]:
            self.problem(("baseline",), f"no variant {name!r}; variants: "
                         f"{', '.join(v.name for v in variants)}")
            return tuple(0 for _ in points)
        if name is not None and not variants:
            self.problem(("baseline",), "baseline names a variant, but there are no variants")
            return tuple(0 for _ in points)
        if not variants:
            return tuple(points[0].index for _ in points)
        base_variant = name if name is not None else variants[0].name
        index = {(p.variant, json.dumps(p.values, sort_keys=True, default=str)): p.index
                 for p in points}
        return tuple(index.get((base_variant, json.dumps(p.values, sort_keys=True,
                                                         default=str)), 0) for p in points)


def _get(data: Any, keys: list) -> Any:
    for k in keys:
        data = data[k]
    return data


def _dotted(path: tuple) -> str:
    from drillsim.scenarios.loader import dotted

    return dotted(path)


def _from_unit(p: Parameter, u: float) -> Any:
    if p.values is not None:
        return p.values[min(int(u * len(p.values)), len(p.values) - 1)]
    lo, hi = p.between
    x = lo + u * (hi - lo)
    return int(round(x)) if p.integer else round(x, 9)


def _is_int(x: Any) -> bool:
    return isinstance(x, int) and not isinstance(x, bool)


def _is_num(x: Any) -> bool:
    return isinstance(x, int | float) and not isinstance(x, bool) and math.isfinite(x)


# --------------------------------------------------------------------------- quick form


def quick_experiment(*, base: str | Path, vary: list[str], replications: int,
                     metrics: list[str] | None, seed: int | None) -> Experiment:
    """An experiment from ``--base``, ``--vary PATH=V1,V2`` and ``--reps`` options."""
    from drillsim.scenarios.yamlsrc import read_yaml

    if not vary:
        raise ExperimentError("--base needs at least one --vary PATH=V1,V2,...")
    params = []
    for text in vary:
        path, sep, rest = text.partition("=")
        if not sep or not path.strip() or not rest.strip():
            raise ExperimentError(f"--vary {text!r}: expected PATH=V1,V2,... e.g. "
                                  "forces.stations.xizhan_station.personnel=52,59")
        try:
            values = read_yaml(f"[{rest}]", "--vary").data
        except ScenarioError as exc:
            raise ExperimentError(f"--vary {text!r}: the values cannot be read "
                                  f"({'; '.join(exc.lines())})") from None
        params.append({"path": path.strip(), "values": values})
    data: dict[str, Any] = {"name": f"quick sweep of {Path(base).stem}",
                            "base": str(Path(base).resolve()), "replications": replications,
                            "parameters": params}
    if metrics:
        data["metrics"] = list(metrics)
    if seed is not None:
        data["seed"] = seed
    return build_experiment(data, file="command line")
