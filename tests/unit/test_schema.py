"""The drill-file format: its JSON Schema, its documentation and its Python behaviour."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, get_args

import pytest
from pydantic import BaseModel, ValidationError

from drillsim.hazards.fire_growth import OCCUPANCIES
from drillsim.metrics.catalog import METRICS
from drillsim.scenarios.jsonschema import scenario_json_schema, seconds_text
from drillsim.scenarios.loader import load_scenario
from drillsim.scenarios.messages import field_names, union_tags
from drillsim.scenarios.schema import Inject, LogNormal, Objective, Scenario
from drillsim.scenarios.yamlsrc import read_yaml

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "scenario-format.md"
EXAMPLES = sorted((ROOT / "scenarios").glob("*.yaml"))


def all_models(tp: Any = Scenario, seen: set[type] | None = None) -> set[type[BaseModel]]:
    """Every model reachable from a type through field annotations."""
    seen = set() if seen is None else seen
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        if tp in seen:
            return seen
        seen.add(tp)
        for f in tp.model_fields.values():
            all_models(f.annotation, seen)
    for arg in get_args(tp):
        all_models(arg, seen)
    return seen


def doc_example(tmp_path: Path) -> Path:
    text = DOC.read_text(encoding="utf-8")
    block = text.split("## A full small example", 1)[1].split("```yaml\n", 1)[1].split("```")[0]
    path = tmp_path / "example.yaml"
    path.write_text(block, encoding="utf-8")
    return path


# --------------------------------------------------------------------------- documentation


def test_every_field_of_every_model_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    models = all_models()
    assert {m.__name__ for m in models} >= {"Scenario", "Station", "RoadChange", "LogNormal"}
    missing = sorted({f"{m.__name__}.{name}" for m in models for name in field_names(m)
                      if f"`{name}`" not in text})
    assert not missing, f"not in docs/scenario-format.md: {missing}"


def test_every_inject_kind_metric_and_occupancy_is_documented() -> None:
    text = DOC.read_text(encoding="utf-8")
    names = [*union_tags(Inject, "kind"), *METRICS, *OCCUPANCIES]
    assert [n for n in names if f"`{n}`" not in text] == []


def test_the_doc_example_loads(tmp_path: Path) -> None:
    s = load_scenario(doc_example(tmp_path), check_world=False)
    assert s.name == "Evening high-rise fire"
    assert [i.at for i in s.injects] == [300.0, 2100.0, 3600.0]


# --------------------------------------------------------------------------- JSON Schema


def test_json_schema_generates() -> None:
    schema = scenario_json_schema()
    json.dumps(schema, ensure_ascii=False)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "drillsim drill file"
    assert "forces" not in schema["required"]
    assert set(schema["required"]) == {"name", "start", "duration"}
    assert "required" not in schema["$defs"]["Forces"]
    mutual_aid = schema["$defs"]["MutualAid"]["properties"]
    assert mutual_aid["request_after"]["default"] == "5 min"


def test_seconds_text() -> None:
    assert [seconds_text(x) for x in (45, 300, 7200, 90.5)] == ["45 s", "5 min", "2 h", "90.5 s"]


def _validator() -> Any:
    import jsonschema  # a test dependency (pyproject [test])

    schema = scenario_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_json_schema_accepts_the_doc_example(tmp_path: Path) -> None:
    validator = _validator()
    path = doc_example(tmp_path)
    data = read_yaml(path.read_text(encoding="utf-8"), str(path)).data
    assert [e.message for e in validator.iter_errors(data)] == []
    bad = {**data, "duraton": "04:00"}
    assert [e.validator for e in validator.iter_errors(bad)] == ["additionalProperties"]


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_json_schema_accepts_the_ready_examples(path: Path) -> None:
    validator = _validator()
    load_scenario(path, check_world=False)  # a readable error first, if any
    data = read_yaml(path.read_text(encoding="utf-8"), str(path)).data
    assert [e.message for e in validator.iter_errors(data)] == []


# --------------------------------------------------------------------------- from Python


def test_python_callers_may_give_seconds() -> None:
    assert LogNormal(dist="lognormal", median=45, p90=64).median == 45.0


def test_p90_check_points_at_p90() -> None:
    with pytest.raises(ValidationError) as info:
        LogNormal(dist="lognormal", median="50 s", p90="40 s")
    assert [e["loc"] for e in info.value.errors()] == [("p90",)]


def test_target_check_points_at_target() -> None:
    with pytest.raises(ValidationError) as info:
        Objective(id="O1", metric="first_arrival_p90", target="soon")
    assert [e["loc"] for e in info.value.errors()] == [("target",)]
    assert Objective(id="O1", metric="five_minute_share", target="≥ 90 %").bound() == (">=", 0.9)


def test_doc_lists_every_metric_unit_correctly() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, info in METRICS.items():
        row = re.search(rf"^\| `{name}` \| (\w+) \| (\w+) \|", text, re.M)
        assert row, name
        unit = {"seconds": "time"}.get(info.unit, info.unit)
        assert (row.group(1), row.group(2)) == (unit, info.better), name
