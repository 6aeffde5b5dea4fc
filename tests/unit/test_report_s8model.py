"""What the fire drills' report pages say after the seventh review's model findings (issue
10): the first alarm judged against the fire's need when its water can first be on the
fire, the units asked for that never came, "no nearer staffed" unit and the unstaffed
apparatus to staff, units released while calls waited for their type."""

from __future__ import annotations

import dataclasses

import pytest

from drillsim.hazards.fire_growth import SETUP_S
from drillsim.metrics.fire_water import first_alarm
from drillsim.metrics.response import call_waits
from drillsim.report import fire as fi
from drillsim.report import text as tx

LANGS = ["en", "zh"]


def _finding(rep, objective):
    return next(f for f in rep.findings if f.objective == objective)


def _prefix(ctx, key: str) -> str:
    """The fixed text of a wording up to its first field."""
    from drillsim.report.wording import catalogue

    return catalogue()[key][ctx.lang].split("{")[0]


# ----------------------------------------------------------------------------- 2


@pytest.mark.parametrize("lang", LANGS)
def test_warehouse_first_alarm_was_too_small_when_its_water_could_be_on(reports, lang):
    """rev7c A1: W1's first alarm (XZ-E1, XZ-E2, XZ-T1 arrived 537.8-550.2 s, NY-E1 669.8 s)
    brings 35 L/s (3 engines x 10 L/s + the tanker's 5 L/s: WATER_FLOW_L_S). Hose
    streams are on SETUP_S after arrival, so no first-alarm water before 537.8 + 120 =
    657.8 s, after the flashover at 634.4 s (need 67.9 L/s): too small, not too late. The
    advice is the larger first alarm, not a further engine at Xizhan."""
    ctx, rep = reports["warehouse-escalation", lang]
    fa = first_alarm(ctx.result, ctx.rows["W1"])
    first = min(r.t for r in ctx.result.records if r.incident == "W1" and r.event == "arrive")
    flash = next(r for r in ctx.result.records if r.incident == "W1" and r.event == "flashover")
    assert fa.water_on == pytest.approx(first + SETUP_S)
    assert flash.t < fa.water_on < fa.last_arrive
    assert fa.need_on_l_s == pytest.approx(float(flash.get("need_l_s"))) == pytest.approx(67.9)
    assert fa.water_l_s == pytest.approx(35.0)
    assert fa.short
    f = _finding(rep, "O2")
    text = " ".join(f.paragraphs)
    assert ctx.say("fire.fact_first_alarm_small", water="35.0 L/s", need="67.9 L/s",
                   on=tx.offset(fa.water_on), setup=tx.minutes(SETUP_S, lang)) in text
    assert ("complete too late" if lang == "en" else "到齐太晚") not in text
    actions = [a.action for a in f.actions]
    assert any(a.startswith(_prefix(ctx, "fire.action_escalate")) for a in actions)
    far = [_prefix(ctx, k) for k in fi.LAST_UNIT_ACTIONS]
    assert not any(a.startswith(p) for a in actions for p in far)


# ----------------------------------------------------------------------------- 3


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize(("drill", "incident", "objective", "alarm", "need", "n"), [
    ("warehouse-escalation", "W1", "O2", 4, "engine", 2),  # rev7c B2
    ("flood-and-fire", "F1", "O1", 1, "rescue", 1),  # rev7c B8
])
def test_finding_says_which_requested_units_never_came(reports, lang, drill, incident,
                                                        objective, alarm, need, n):
    ctx, rep = reports[drill, lang]
    never = [w for w in call_waits(ctx.result)[incident] if not w.served]
    assert [(w.alarm, w.missing) for w in never] == [(alarm, ((need, n),))]
    # the records: that request queued, and no unit of the type was sent after it
    types = {u.id: u.type for u in ctx.result.units}
    later = [r for r in ctx.result.records if r.incident == incident and r.event == "dispatch"
             and r.t >= never[0].start and types.get(r.unit) == need]
    assert not later
    at = tx.offset(never[0].start)
    when = ctx.say("fire.asked_at_alarm", alarm=alarm, at=at) if alarm > 1 else \
        ctx.say("fire.asked_at_call", at=at)
    said = ctx.say("fire.fact_never_came", when=when, units=ctx.say(
        "fire.units_of_type", n=n, type=tx.term("unit", need, lang)))
    assert said in _finding(rep, objective).paragraphs[-1] or \
        any(said in p for p in _finding(rep, objective).paragraphs)


# ----------------------------------------------------------------------------- 4


@pytest.mark.parametrize("lang", LANGS)
def test_far_last_unit_advice_names_the_unstaffed_engine(reports, lang, monkeypatch):
    """rev7c B3: had W1's first alarm been big enough, the advice to have it on scene
    together names XZ-E3, the engine kept at Xizhan without a crew (the station table's
    "not staffed" column), and says no nearer STAFFED engine exists."""
    ctx, _ = reports["warehouse-escalation", lang]
    row = ctx.rows["W1"]
    fa = first_alarm(ctx.result, row)
    xz_e3 = next(u for u in ctx.result.units if u.id == "XZ-E3")
    assert xz_e3.station == "xizhan_station" and xz_e3.type == "engine" and not xz_e3.staffed
    monkeypatch.setattr(fi, "first_alarm", lambda *_: dataclasses.replace(fa, short=False))
    facts, actions = [], []
    fi._first_alarm_facts(ctx, row, facts, actions)
    assert [a.key for a in actions] == ["fire.action_last_unit_far_unstaffed"]
    text = actions[0].text(lang)
    assert ("staff XZ-E3 at" if lang == "en" else "为XZ-E3配员") in text
    assert ("no nearer staffed engine" if lang == "en" else "没有更近的在岗") in text
    assert ("No other staffed unit" if lang == "en" else "没有在岗的同类单位") in facts[-1]


# ----------------------------------------------------------------------------- 5


@pytest.mark.parametrize("lang", LANGS)
def test_o1_says_mutual_aid_went_home_while_calls_waited(reports, lang):
    """rev7c B1: after the cap of 6 mutual-aid units was reached, MA units were released
    home while calls waited for engines; the cap counts units sent, so none replaced them.
    The O1 row of a call that waited says which went home (from the release records)."""
    from drillsim.metrics.response import aid_released_while_waiting, mutual_aid_cap_reached

    ctx, rep = reports["warehouse-escalation", lang]
    cap_t = mutual_aid_cap_reached(ctx.result)
    waits = call_waits(ctx.result)
    gone = aid_released_while_waiting(ctx.result, waits["BG006"], cap_t)
    released = {r.unit: r.t for r in ctx.result.records if r.event == "release"
                and r.unit.startswith("MA-")}
    bg006 = waits["BG006"][0]
    # every MA release inside BG006's wait, and only those (all MA units are engines here)
    assert gone == sorted(((u, t) for u, t in released.items()
                           if bg006.start <= t < bg006.end and t >= cap_t), key=lambda x: x[1])
    assert [u for u, _ in gone] == ["MA-3", "MA-5", "MA-6", "MA-4"]
    said = ctx.say("fire.fact_aid_released", units=tx.join(
        (ctx.say("fire.name_value", incident=u, value=tx.offset(t)) for u, t in gone),
        lang, words=True))
    f = _finding(rep, "O1")
    row = next(r for r in f.table.rows if r[0].startswith("BG006"))
    assert said in row[-1]
