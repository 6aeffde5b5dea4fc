"""libyaml's parser reads drill files when PyYAML has it (5-10x faster); it must give the
same data and the same line of every field as the pure-Python parser, and anything wrong
must still be told in that parser's words."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from drillsim.errors import ScenarioError
from drillsim.scenarios import yamlsrc
from drillsim.scenarios.yamlsrc import DrillYamlLoader, read_yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p for p in ROOT.glob("**/*.yaml")
                 if "wording" not in p.parts and ".git" not in p.parts
                 and not any(part.startswith(".") for part in p.relative_to(ROOT).parts))
TRICKY = """\
start: 18:30
flag: no
other: True
count: 0123
ratio: 1_000.5
big: 1e3
day: 2026-07-15
base: &b {a: 1, b: [x, y]}
merged:
  <<: *b
  b: [z]
listed:
  - *b
  - {c: .inf}
"""

pytestmark = pytest.mark.skipif(yamlsrc._FastLoader is None, reason="PyYAML without libyaml")


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return a == b


@pytest.mark.parametrize("text", [p.read_text(encoding="utf-8") for p in SHIPPED] + [TRICKY],
                         ids=[str(p.relative_to(ROOT)) for p in SHIPPED] + ["tricky"])
def test_libyaml_gives_the_same_data_and_lines(text):
    fast = yamlsrc._read_yaml(text, "f.yaml", yamlsrc._FastLoader)
    slow = yamlsrc._read_yaml(text, "f.yaml", DrillYamlLoader)
    assert _same(fast.data, slow.data) and fast.lines == slow.lines


def test_the_kind_scalars_hold_on_libyaml():
    data = read_yaml(TRICKY, "f.yaml").data
    assert data["start"] == "18:30" and data["flag"] == "no" and data["other"] is True
    assert data["count"] == 123 and data["ratio"] == 1000.5 and data["day"] == "2026-07-15"
    assert data["merged"] == {"a": 1, "b": ["z"]} and data["listed"][1]["c"] == math.inf


@pytest.mark.parametrize("text", [
    "a: 1\n\tb: 2\n",                    # a tab
    "a: 1\na: 2\n",                      # duplicate key
    "a: [1, 2\nb: 3\n",                  # unclosed list
    "a: !!python/object:os.system x\n",  # a tag
    "a: 'open\n",                         # unclosed quote
    "a: 1\x07\n",                          # a control character
])
def test_problems_are_told_as_the_pure_python_parser_tells_them(text):
    with pytest.raises(ScenarioError) as told:
        read_yaml(text, "f.yaml")
    with pytest.raises(ScenarioError) as reference:
        yamlsrc._read_yaml(text, "f.yaml", DrillYamlLoader)
    assert str(told.value) == str(reference.value)
