"""The ready drills speak Chinese: every free text a designer wrote has a Chinese twin, and the
Chinese MSEL of two drills shows no English sentence (issue 10, item 8)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from drillsim.api import load_world, run_drill
from drillsim.report import make_context, msel_rows
from drillsim.scenarios.loader import load_scenario
from drillsim.scenarios.schema import Scenario

ROOT = Path(__file__).resolve().parents[2]
READY = sorted((ROOT / "scenarios").glob("*.yaml"))

CJK = re.compile(r"[\u4e00-\u9fff]")
# three or more ASCII words in a row: an English phrase, not a name like "NY-E1" or "AEGL-2"
ENGLISH_RUN = re.compile(r"[A-Za-z]+(?:[ ,;.'-]+[A-Za-z]+){2,}")
# ids (unit, incident, objective, AEGL level): letters and digits joined by hyphens
IDS = re.compile(r"\b[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+\b")
INJECT_FIELDS = ("text", "sender", "deliver_to", "method", "expected_action")


def english_runs(cell: str) -> list[str]:
    """The runs of 3+ English words in ``cell``, ids removed."""
    return ENGLISH_RUN.findall(IDS.sub(" ", cell))


def free_texts(s: Scenario) -> Iterator[tuple[str, str, str]]:
    """(where, English, Chinese twin) for every free-text field of a drill."""
    yield "description", s.description, s.description_zh
    incidents = [("incidents", i) for i in s.incidents]
    for inj in s.injects:
        where = f"injects.{inj.id or inj.at}"
        for field in INJECT_FIELDS:
            yield f"{where}.{field}", getattr(inj, field), getattr(inj, f"{field}_zh")
        if getattr(inj, "incident", None) is not None:
            incidents.append((where, inj.incident))
    for where, inc in incidents:
        yield f"{where}.{inc.id}.text", inc.text, inc.text_zh
    for o in s.objectives:
        yield f"objectives.{o.id}.text", o.text, o.text_zh


def test_english_run_pattern_finds_phrases_not_ids() -> None:
    assert english_runs("phone from the meteorological bureau") == [
        "phone from the meteorological bureau"]
    assert english_runs("NY-E1 水泵修复，恢复执勤。") == []
    assert english_runs("无人处于AEGL-2区域内，XZ-E1 → 指挥中心") == []
    assert english_runs("电话(119)") == []


@pytest.mark.parametrize("path", READY, ids=lambda p: p.stem)
def test_every_free_text_has_a_chinese_twin(path: Path) -> None:
    s = load_scenario(path)
    missing = [where for where, en, zh in free_texts(s) if en.strip() and not CJK.search(zh)]
    assert not missing, f"{path.name}: English text without a Chinese twin: {missing}"


@pytest.fixture(scope="module", params=["flood-and-fire", "chlorine-day-wind-shift"])
def zh_context(request):
    s = load_scenario(ROOT / "scenarios" / f"{request.param}.yaml")
    return make_context(run_drill(s, world=load_world(s.network)), lang="zh")


def test_chinese_msel_has_no_english_sentence(zh_context) -> None:
    rows = msel_rows(zh_context)
    assert rows, "the drill has scripted injects"
    leaks = []
    for r in rows:
        cells = {"text": zh_context.name(r.text, r.text_zh), "from": r.sender,
                 "to": r.deliver_to, "method": r.method, "expected": r.expected_action}
        for column, cell in cells.items():
            assert column != "text" or CJK.search(cell), f"{r.id}: text not in Chinese: {cell!r}"
            leaks += [(r.id, column, run) for run in english_runs(cell)]
    assert not leaks
