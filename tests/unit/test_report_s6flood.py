"""Sixth review, flood and chemical drills: what the report says (both languages).

Each test reads what an output says and compares it with the records or the data,
counted here independently of the code that wrote it.
"""

from __future__ import annotations

import pytest

from drillsim.metrics import teams as tm_

LANGS = ("en", "zh")
FLOOD = ("rainstorm-50y-night",)  # the drill whose rescue objective gets a finding


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", FLOOD)
def test_rescue_finding_names_only_the_listed_teams(reports, name, lang):
    """A1: the rescue finding said "Health commission emergency teams assembled at
    +01:21:06" while the teams table left that team out (not called for, not sent): the
    finding names exactly the teams the table lists."""
    ctx, rep = reports[name, lang]
    specs = {t.id: t for t in ctx.scenario.forces.teams}
    measures = tm_.team_mobilisation(ctx.result)
    shown = {m.team for m in tm_.shown_teams(ctx.result, measures)}
    hidden = [specs[m.team] for m in measures if m.team not in shown]
    assert hidden  # the health commission teams: not called for, not sent
    ids = {r.objective.id for r in ctx.summary.objectives
           if r.objective.metric == "rescue_first_arrival_p90"}
    (finding,) = [f for f in rep.findings if f.objective in ids]
    text = "\n".join(finding.paragraphs)
    for spec in hidden:
        assert ctx.name(spec.name_en, spec.name_zh) not in text, spec.id
    named = [specs[t] for t in shown if ctx.name(specs[t].name_en, specs[t].name_zh) in text]
    assert len(named) == len(shown)
    assert finding.table is not None and len(finding.table.rows) == len(shown)
