"""Fourth review, flood / relief / chemical area: what the report and the summary say.

Each test reads what an output says (both languages where it is text) and compares it
with the records, counted here independently of the code that wrote it.
"""

from __future__ import annotations

import math

import pytest

from drillsim.metrics.evaluation import cases_beyond, evaluate
from drillsim.scenarios.schema import Objective

LANGS = ("en", "zh")


def test_cases_beyond_lists_the_cases_of_a_met_percentile_past_its_bound():
    """A 90th percentile met with 2 of 10 cases past the bound: those 2, slowest first;
    an objective not met, or a share, gives none (their rating already counts them)."""
    cases = [(f"C{i}", 600.0) for i in range(8)] + [("C8", 1900.0), ("C9", 2000.0)]
    p90 = [Objective(id="O1", metric="rescue_first_arrival_p90", target="<= 30 min")]
    met = evaluate(p90, {"rescue_first_arrival_p90": 1500.0})[0]
    assert met.status == "met"
    assert cases_beyond(met, cases) == [("C9", 2000.0), ("C8", 1900.0)]
    assert cases_beyond(met, cases[:8]) == []
    missed = evaluate(p90, {"rescue_first_arrival_p90": 1950.0})[0]
    assert cases_beyond(missed, cases) == []
    share = evaluate([Objective(id="O2", metric="five_minute_share", target=">= 90%")],
                     {"five_minute_share": 0.9})[0]
    assert cases_beyond(share, [("C1", 400.0)]) == []


@pytest.mark.parametrize("lang", LANGS)
def test_night_rescue_objective_is_not_p_while_rescues_came_late(reports, lang):
    """rainstorm-50y-night O2 (90th percentile ≤ 30 min) is met, but some rescue calls
    were reached more than 30 min after the call: rated S (not P), and the row says how
    many of how many, counted here from the incident rows."""
    ctx, rep = reports["rainstorm-50y-night", lang]
    rescues = [r for r in ctx.summary.rows if r.kind == "flood_rescue"]
    late = [r for r in rescues if not r.first_arrival - r.call <= 1800.0]
    assert late, "the drill no longer has late rescues: this test checks nothing"
    row = next(o for o in rep.objectives if o.id == "O2")
    assert row.metric == "rescue_first_arrival_p90"
    assert (row.rating.code, row.rating.score, row.rating.rule) == ("S", 82, "contradicted")
    said = (f"{len(late)} of the {len(rescues)} cases" if lang == "en"
            else f"其所计{len(rescues)}个对象中有{len(late)}个")
    assert said in row.level_text
    slowest = max(late, key=lambda r: r.first_arrival - r.call)
    assert ctx.incident_short(slowest.incident) in row.level_text
    assert said in rep.score_note


@pytest.mark.parametrize("lang", LANGS)
def test_afternoon_rescue_objective_keeps_p_when_every_call_was_reached_in_time(reports,
                                                                                 lang):
    """rainstorm-50y-afternoon O3: every rescue call reached within 30 min, so no case
    contradicts it (its rating follows the percentile's margin)."""
    ctx, rep = reports["rainstorm-50y-afternoon", lang]
    rescues = [r for r in ctx.summary.rows if r.kind == "flood_rescue"]
    assert all(r.first_arrival - r.call <= 1800.0 for r in rescues)
    row = next(o for o in rep.objectives if o.id == "O3")
    assert row.rating.rule != "contradicted"
    assert not math.isnan(row.rating.gap)
