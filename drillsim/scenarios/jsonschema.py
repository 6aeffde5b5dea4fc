"""The JSON Schema of the drill-file format, for editors that complete and check YAML.

Made from :class:`~drillsim.scenarios.schema.Scenario` and adjusted to what a
file may hold (the loader is kinder than the Python models): a distribution
may be a plain duration, a location a plain place id, ``start`` a local date and
time, and ``forces`` may be left out or given in part (the defaults fill in).

Point an editor at it, e.g. with the YAML language server::

    # yaml-language-server: $schema=drill.schema.json
"""

from __future__ import annotations

import copy
from typing import Any

from drillsim.scenarios.schema import Scenario
from drillsim.timefmt import DURATION_HELP

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_DURATION = {"type": "string", "description": DURATION_HELP, "examples": ["90 s", "5 min"]}
_DIST_KEYS = ("value", "median", "p90", "low", "high", "mean")


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a drill file.

    Returns
    -------
    dict
        A JSON-serialisable schema; ``json.dumps(..., ensure_ascii=False)`` it.
    """
    schema = copy.deepcopy(Scenario.model_json_schema())
    defs = schema["$defs"]
    schema = {
        "$schema": SCHEMA_DIALECT,
        "title": "drillsim drill file",
        "description": "A tabletop drill for drillsim; see docs/scenario-format.md.",
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }
    schema["required"] = [k for k in schema.get("required", []) if k != "forces"]
    defs["Forces"].pop("required", None)
    defs["Location"] = {
        "description": "a place id, {lat: .., lon: ..} or {node: ..}",
        "anyOf": [{"type": "string", "description": "a place id, e.g. xigu_park"},
                  defs["Location"]],
    }
    schema["properties"]["start"] = {
        "type": "string",
        "description": "date and time the drill begins; China Standard Time unless a zone "
                       "is given",
        "pattern": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}",
        "examples": ["2026-07-15 18:30", "2026-07-15T18:30:00+08:00"],
    }
    return _adjust(schema)


def _adjust(node: Any) -> Any:
    """Let distributions be plain durations, and show duration defaults as durations."""
    if isinstance(node, list):
        return [_adjust(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {k: _adjust(v) for k, v in node.items()}
    if node.get("discriminator", {}).get("propertyName") == "dist":
        node = {"anyOf": [dict(_DURATION), node]}
    if node.get("type") == "string" and _is_number(node.get("default")):
        node["default"] = seconds_text(node["default"])
    if isinstance(node.get("default"), dict) and "dist" in node["default"]:
        node["default"] = {k: seconds_text(v) if k in _DIST_KEYS and _is_number(v) else v
                           for k, v in node["default"].items()}
    return node


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def seconds_text(seconds: float) -> str:
    """A duration in the drill-file form: ``'5 min'``, ``'2 h'``, ``'45 s'``."""
    if seconds and seconds % 3600 == 0:
        return f"{seconds / 3600:g} h"
    if seconds and seconds % 60 == 0:
        return f"{seconds / 60:g} min"
    return f"{seconds:g} s"
