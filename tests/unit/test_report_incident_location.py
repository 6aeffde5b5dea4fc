"""The overview's location column names the place the drill named (issue 15, G6)."""

from __future__ import annotations

import pytest


def _locations(report, ctx) -> dict[str, str]:
    table = report.overview_tables[0]
    col = table.columns.index(ctx.say("fire.col_location"))
    return {row[0].split()[0]: row[col] for row in table.rows}


@pytest.mark.parametrize(("lang", "name"), [
    ("en", "West Station dangerous-goods handling"), ("zh", "天津西站危险货物装卸储存")])
def test_an_incident_located_by_a_place_shows_the_place_name(reports, lang, name):
    """warehouse-escalation writes ``location: xizhan_railway_goods``: the column shows that
    place in the page's language, not the roads at the node it snapped to."""
    ctx, report = reports["warehouse-escalation", lang]
    spec = next(i for i in ctx.scenario.incidents if i.location.place)
    assert spec.location.place == "xizhan_railway_goods"
    row = ctx.rows[spec.id]
    cell = _locations(report, ctx)[spec.id]
    assert cell == name
    assert cell != ctx.node_label(row.node)


def test_an_incident_at_coordinates_shows_the_roads_at_its_node(reports):
    """night-compound-fire gives coordinates: the column keeps the node's roads."""
    ctx, report = reports["night-compound-fire", "en"]
    spec = next(i for i in ctx.scenario.incidents if i.location.lat is not None)
    cell = _locations(report, ctx)[spec.id]
    assert cell == ctx.node_label(ctx.rows[spec.id].node)
    assert " × " in cell or "Road" in cell or "Street" in cell
