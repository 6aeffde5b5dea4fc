"""The fire reports say what the records show (issue 10, fourth review): an outdoor fire
typed once, findings written as sentences, a first alarm that never completed named as
such, the commander's escalation while short of water, the surge's empty spells and
waiting calls in full, no "within the standards" after a cause that changed the outcome,
the first engine of any origin, whole minutes without ".0" and Chinese lists with 、."""

from __future__ import annotations

import pytest

from drillsim.report import render_markdown
from drillsim.report import text as tx
from drillsim.report.msel import msel_rows

LANGS = ["en", "zh"]


def _finding(rep, objective):
    return next(f for f in rep.findings if f.objective == objective)


# ----------------------------------------------------------------------------- item 1


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("drill", ["highrise-evening", "warehouse-escalation"])
def test_outdoor_fire_is_typed_once(reports, drill, lang):
    ctx, rep = reports[drill, lang]
    outdoor = [r.incident for r in ctx.summary.rows if r.occupancy == "outdoor"]
    assert outdoor  # the premise: BG005 / BG006, BG015
    typed = "outdoor fire" if lang == "en" else "室外火灾"
    assert tx.incident_type("outdoor", "fire", lang) == typed
    text = render_markdown(rep) + "\n".join(r.sim_what for r in msel_rows(ctx))
    assert typed in text
    assert ("fire fire" if lang == "en" else "火灾火灾") not in text


# ----------------------------------------------------------------------------- item 2


@pytest.mark.parametrize("lang", LANGS)
def test_every_finding_paragraph_is_a_sentence(reports, lang):
    for drill in ("warehouse-escalation", "highrise-evening", "flood-and-fire",
                  "night-compound-fire"):
        _, rep = reports[drill, lang]
        for f in rep.findings:
            for p in filter(None, f.paragraphs):
                assert not p[0].islower(), (drill, f.objective, p)
                assert not p.startswith("但"), (drill, f.objective, p)
    _, rep = reports["warehouse-escalation", lang]
    o3 = _finding(rep, "O3")
    said = [p for p in o3.paragraphs if "BG001" in p]
    assert said and said[0].startswith("The target is met, but" if lang == "en"
                                       else "目标虽已达成，但")
