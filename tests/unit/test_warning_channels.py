"""The public-warning channels are defined once: the engine plays forward and the metrics
and the report measure the list :func:`drillsim.hazards.warning.channels_for` builds."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from drillsim.api import load_world, run_drill
from drillsim.hazards.warning import DEFAULT_CHANNELS, Channel, channels_for
from drillsim.metrics import warning as wm
from drillsim.report import build_report, make_context
from drillsim.report import text as tx
from drillsim.scenarios.loader import load_scenario

DRILL = """\
name: Warning drill
start: 2026-07-15 18:30
duration: 03:00
warning:
  issued_at: "18:40"
{channels}objectives:
  - id: O1
    metric: warning_t95
    target: "<= 1 h"
    capability: warning
"""
TWO_CHANNELS = """\
  channels:
    - {name: sirens, reach: 0.4, delay: 10 min, ramp: 5 min}
    - {name: cell broadcast, reach: 0.5, delay: 5 min, ramp: 10 min}
"""


def _run(tmp_path: Path, channels: str, within: str = "1 h"):
    path = tmp_path / "drill.yaml"
    path.write_text(DRILL.format(channels=channels).replace("<= 1 h", f"<= {within}"),
                    encoding="utf-8")
    s = load_scenario(path)
    return run_drill(s, world=load_world(s.network))


def test_channels_for_gives_the_defaults_or_the_drill_files_channels_in_seconds():
    assert channels_for(None, 14 * 3600.0) == [p.at(14 * 3600.0) for p in DEFAULT_CHANNELS]

    class Spec:  # a channel as the drill file gives it (delay, ramp in s)
        name, reach, delay, ramp, wakes, on_waking = "sirens", 0.4, 600.0, 300.0, None, False

    assert channels_for([Spec()], 0.0) == [Channel("sirens", 0.4, 600.0, 300.0)]


@pytest.mark.parametrize("channels", ["", TWO_CHANNELS])
def test_engine_and_metrics_use_the_same_channels(tmp_path, channels):
    result = _run(tmp_path, channels)
    issued = next(r for r in result.records if r.event == "warning_issued")
    chans = wm.channels_of(result.scenario)
    assert issued.data["channels"] == [c.name for c in chans]
    assert [c.name for c in wm.warning_channels(result).channels] == issued.data["channels"]
    if not channels:
        assert chans == [p.at(18 * 3600 + 40 * 60) for p in DEFAULT_CHANNELS]


def test_report_says_when_the_channels_never_reach_the_target(tmp_path):
    result = _run(tmp_path, TWO_CHANNELS)  # at most 1 − 0.6 × 0.5 = 70 %
    en = build_report(make_context(result, lang="en"), figures=False)
    zh = build_report(make_context(result, lang="zh"), figures=False)
    sec_en = next(s for s in en.sections if s.key == "warning")
    sec_zh = next(s for s in zh.sections if s.key == "warning")
    assert sec_en.paragraphs[0].endswith("; 95% not reached during the drill.")
    assert sec_zh.paragraphs[0].endswith("；演练期间未达到95%。")
    text_en = " ".join(en.findings[0].paragraphs)
    text_zh = " ".join(zh.findings[0].paragraphs)
    assert "Together the channels can never reach 95% (at most 70%)." in text_en
    assert "各渠道合计覆盖上限仅70%，无法达到95%。" in text_zh


def test_an_order_goes_door_to_door_only_with_the_default_channels():
    """The district's defaults: every channel but door to door reaches the whole ordered
    area at once, at the hour the order goes out, and door to door is sized to the ordered
    area (DoorToDoor), reaching as many at night as by day (a knock wakes people); a
    drill's own channels are used as written."""
    from drillsim.hazards.warning import DOOR_TO_DOOR, DoorToDoor, order_channels

    for clock in (14 * 3600.0, 2 * 3600.0):
        broadcast, door = order_channels(None, clock)
        assert broadcast == [p.at(clock) for p in DEFAULT_CHANNELS if p.name != DOOR_TO_DOOR]
        assert door == DoorToDoor()
        # 1,000 households, two communities' 10 grid workers at 20 an hour: 5 h
        rnd = door.round(1000.0, 2, start_s=1800.0, order_clock_s=clock)
        assert (rnd.delay_s, rnd.ramp_s, rnd.reach, rnd.later_reach) == (
            1800.0, 5 * 3600.0, door.reach, 0.0)
    # at 02:00 the cell broadcast reaches fewer at once and the rest on waking
    night = order_channels(None, 2 * 3600.0)[0][0]
    assert night.reach < DEFAULT_CHANNELS[0].reach and night.later_reach > 0
    assert door.staff(0) == door.staff(1)  # at least one community's staff
    spec = [SimpleNamespace(name="sms", reach=0.5, delay=60.0, ramp=0.0, wakes=None,
                            on_waking=False)]
    assert order_channels(spec, 2 * 3600.0) == ([Channel("sms", 0.5, 60.0, 0.0)], None)


# needed by the drill's end: the first judgement (eventual reach, review 7) called B not
# needed (A and C eventually 1 − 0.1 × 0.3 = 97 %), but C ramps over 600 min from 1 h, past
# the drill's end; the second (at the moment the target was reached, review 8) called every
# channel that had reached anyone needed, by construction
HIT_WITH_TWO = """\
  channels:
    - {name: sirens, reach: 0.9, delay: 0 min, ramp: 10 min}
    - {name: cell broadcast, reach: 0.8, delay: 0 min, ramp: 10 min}
    - {name: grid workers, reach: 0.7, delay: 60 min, ramp: 600 min}
"""


def _leave_one_out(result) -> tuple[float, dict[str, float]]:
    """Independently of the metrics: the time the needs are judged at (the drill's last
    record) since the warning's issue, s, and per
    channel the coverage 1 − Π (1 − share) of the others then, from each channel's own
    ramp."""
    issued = next(r.t for r in result.records if r.event == "warning_issued")
    t = max(r.t for r in result.records) - issued
    chans = wm.channels_of(result.scenario)
    out = {}
    for c in chans:
        miss = 1.0
        for x in chans:
            if x is not c:
                miss *= 1.0 - float(x.share_at(t))
        out[c.name] = 1.0 - miss
    return t, out


@pytest.mark.parametrize(("channels", "needed"), [
    (HIT_WITH_TWO, {"sirens": True, "cell broadcast": True, "grid workers": False}),
    (TWO_CHANNELS, {"sirens": True, "cell broadcast": True}),  # never reached: drill end
])
def test_needed_channels_are_judged_within_the_drill(tmp_path, channels, needed):
    """'needed for 95 %' is judged with the coverage the others had by the drill's end, not
    with what they would reach eventually nor at the moment the target was reached; the table's
    column says so, in both languages, and agrees with a leave-one-out recomputation."""
    result = _run(tmp_path, channels, within="5 min")  # missed: the finding shows the table
    t, without = _leave_one_out(result)
    assert {n: w < 0.95 for n, w in without.items()} == needed
    wc = wm.warning_channels(result)
    assert wc.judged_s == pytest.approx(t)
    at = tx.offset(600.0 + t)  # the warning went out at 18:40, 10 min into the drill
    for lang, yes, head in (("en", "yes", "needed for 95% by "), ("zh", "是", "达到95%所必需")):
        found = build_report(make_context(result, lang=lang), figures=False).findings[0]
        table = found.table
        assert head in table.columns[4] and at in table.columns[4], table.columns[4]
        assert {r[0]: r[4] == yes for r in table.rows} == {
            tx.term("channel", n, lang): v for n, v in needed.items()}
