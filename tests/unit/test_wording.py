"""The report's words are data: both languages for every key, the same fields, no dead
keys, and no sentence left in code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from drillsim.report.wording import LANGS, WordingError, catalogue, fields, say

REPORT = Path(__file__).resolve().parents[2] / "drillsim" / "report"
CODE = "\n".join(p.read_text(encoding="utf-8") for p in
                 [*REPORT.rglob("*.py"), *REPORT.rglob("*.j2"),
                  REPORT.parent / "cli.py"])


def test_every_key_has_both_languages_with_the_same_fields():
    for key, texts in catalogue().items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), f"{key}: empty text"
        assert fields(texts["en"]) == fields(texts["zh"]), f"{key}: fields differ"


def test_every_key_is_used_somewhere():
    unused = [k for k in catalogue()
              if not re.search(rf"""["']{re.escape(k)}["']|\bL\.{re.escape(k)}\b""", CODE)]
    assert unused == []


def test_say_fills_fields_and_names_missing_ones(monkeypatch):
    from drillsim.report import wording

    monkeypatch.setattr(wording, "catalogue", lambda: {
        "calls": {"en": "{n} calls waited", "zh": "{n}起警情等待"}})
    assert say("en", "calls", n=3) == "3 calls waited"
    assert say("zh", "calls", n=3) == "3起警情等待"
    with pytest.raises(WordingError, match="needs the field 'n'"):
        say("en", "calls")
    with pytest.raises(WordingError, match="no wording"):
        say("zh", "no-such-key")
