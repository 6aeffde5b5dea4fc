"""Issue 10, fourth review of the chemical (and rainstorm) drills' reports: what the
output says, in both languages, read from the ready drills run once per session
(``reports`` in tests/conftest.py)."""

from __future__ import annotations

import pytest

from drillsim.report import text as tx

CHEM = ("chlorine-night", "chlorine-day-wind-shift", "ammonia-liquor-group")
LANGS = ("en", "zh")


def _records(ctx, kind: str) -> list:
    return [r for r in ctx.records if r.event == kind]


def _release_over(ctx) -> float:
    """Drill time the leak stopped (source control or the container empty), s."""
    (end,) = [r.t for r in ctx.records if r.event in ("source_control", "source_empty")]
    return end


def _zones_clear_from(ctx) -> float:
    """First drill time after the leak stopped at which every zone is empty, s."""
    end = _release_over(ctx)
    return min(r.t for r in _records(ctx, "plume") if r.t >= end
               and not any(r.data[f"aegl{lvl}_nodes"] for lvl in (1, 2, 3)))


@pytest.mark.parametrize("name", CHEM)
def test_no_door_to_door_round_once_the_release_is_over(reports, name):
    """Item 1: chlorine-day ordered 8,315 households to shelter at +08:15 (dusk: the ERG
    night distance) and ammonia 2,468 at +03:15, hours after the leak ended and every zone
    was clear. No round (no new protective-action area) once the release is over."""
    ctx, _ = reports[name, "en"]
    clear = _zones_clear_from(ctx)
    late = [r for r in _records(ctx, "door_to_door") if r.t >= clear]
    assert late == []


@pytest.mark.parametrize("lang", LANGS)
def test_door_to_door_paragraph_says_when_later_rounds_were_added(reports, lang):
    """Item 1: the paragraph summing every round says when households were added after
    the order (chlorine-day: the wind shift at +00:55 adds 102 households ordered out
    and 2,638 told to shelter), in the page's language."""
    ctx, rep = reports["chlorine-day-wind-shift", lang]
    rounds = _records(ctx, "door_to_door")
    first = min(r.t for r in rounds)
    sec = next(s for s in rep.sections if s.key == "chemical")
    (text,) = [p for p in sec.paragraphs if ctx.name("Door to door", "逐户通知") in p]
    for action in ("evacuate", "shelter_in_place"):
        later = [r for r in rounds if r.data["action"] == action and r.t > first]
        (t,) = {r.t for r in later}
        assert ctx.say("chem.door_later_once",
                       households=f"{sum(r.data['households'] for r in later):,.0f}",
                       t=tx.offset(t)) in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CHEM)
def test_erg_square_is_a_protective_action_with_its_residents(reports, name, lang):
    """Item 2: chlorine-night told 37,517 households (about 90,000 people) to shelter in
    place over the 2,414 m ERG square while the zone table listed only the AEGL zones
    (AEGL-1: 18,413 residents). The overview's protective actions name the square and the
    table has a row per weather state with the square's side and the residents,
    subdistricts and communities inside it (those of the metrics, adding up)."""
    from drillsim.metrics.chemical import downwind_reach
    from drillsim.report import chemical as ch

    ctx, rep = reports[name, lang]
    (order,) = [r for r in ctx.records if r.event == "protective_action"]
    action = order.data["action_downwind"]
    label = ctx.say("chem.erg_square", action=ctx.say(f"chem.action_{action}"))
    overview = dict((r[0], r[1]) for r in rep.overview_tables[0].rows)
    assert label in overview[ctx.say("chem.protective_actions")]
    reach = downwind_reach(ctx.result, ctx.world)
    rows = [r for r in rep.overview_tables[1].rows if r[1] == label]
    assert len(rows) == len(reach) > 0
    for row, (_, dr) in zip(rows, reach, strict=True):
        assert row[2] == f"{order.data['downwind_m']:,.0f} m"
        assert row[4] == f"{dr.residents:,.0f}"
        assert sum(p for _, p in dr.communities) == pytest.approx(dr.residents)
        assert row[5] == ch.areas_text(ctx, dr.subdistricts)
        assert row[6] == ch.areas_text(ctx, dr.communities)
    if name == "chlorine-night":  # the square holds far more than the AEGL-1 zone
        aegl1 = [r for r in rep.overview_tables[1].rows if r[1] == "AEGL-1"]
        assert reach[0][1].residents > 4 * float(aegl1[0][4].replace(",", ""))
