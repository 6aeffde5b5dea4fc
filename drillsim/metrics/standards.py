"""Response-time standards, defined once: metrics measure against them, the report cites them.

Each standard is data: what part of the response it times, its threshold, the share of
cases that must meet it, where it comes from and which incident kinds it is measured
over. Nothing here imports SimPy.

The fire-station standards apply to the calls they were written for. 建标152-2017 sets
the 5-minute rule for a fire station's 责任区 (接到出动指令后5分钟内到达辖区边缘), that is
for the station's emergency calls: fires, technical rescues and alarms (:data:`FIRE_CALLS`).
NFPA 1710 times turnout "for fire and special operations" and the first engine's travel
"to a fire suppression incident". Neither is measured over flood rescues (water rescues
by the teams and the fire service in a rainstorm, measured by ``rescue_first_arrival_p90``)
or a hazardous-chemical release (measured by ``hazmat_first_arrival``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Segment = Literal["processing", "turnout", "travel", "dispatch_to_arrival"]


@dataclass(frozen=True)
class ResponseStandard:
    """One response-time standard.

    Attributes
    ----------
    key
        Short name (``five_minute``, ``nfpa_processing`` ...).
    segment
        What it times: ``processing`` (call to the first dispatch or queueing decision),
        ``turnout`` (turnout order to wheels rolling, from quarters), ``travel`` (wheels
        rolling to arrival of the first engine) or ``dispatch_to_arrival`` (turnout order
        to the first unit on scene).
    threshold_s
        The time limit, s.
    fractile
        Share of cases (0-1) that must be within ``threshold_s``.
    source
        Citation.
    en, zh
        Short description naming threshold and source, in English and Chinese.
    kinds
        Incident kinds it is measured over; ``None``: every kind.
    """

    key: str
    segment: Segment
    threshold_s: float
    fractile: float
    source: str
    en: str
    zh: str
    kinds: tuple[str, ...] | None = None

    def applies(self, kind: str) -> bool:
        """Whether the standard is measured over incidents of ``kind``."""
        return self.kinds is None or kind in self.kinds

    def met(self, seconds: float) -> bool:
        """Whether one case (a time in s) is within the threshold."""
        return seconds <= self.threshold_s


FIRE_CALLS: tuple[str, ...] = ("fire", "rescue", "alarm")
"""The fire stations' emergency calls: the incident kinds the 5-minute rule and the NFPA
turnout are measured over (not ``flood_rescue`` nor ``hazmat``)."""

FIVE_MINUTE = ResponseStandard(
    "five_minute", "dispatch_to_arrival", 300.0, 0.9,
    "建标152-2017《城市消防站建设标准》",
    "the 5-minute rule (建标152-2017)", "5分钟到场要求（建标152-2017）", kinds=FIRE_CALLS)
"""建标152-2017: "消防站的布局一般应以接到出动指令后5min内消防队可以到达辖区边缘为原则"
(a station reaches the edge of its district within 5 min of the turnout order); measured
over the station's emergency calls, :data:`FIRE_CALLS`."""

NFPA_PROCESSING = ResponseStandard(
    "nfpa_processing", "processing", 64.0, 0.9,
    "NFPA 1710 (2020) 4.1.2.3",
    "the 64 s call processing (NFPA 1710)", "64秒接警处理（NFPA 1710）")
"""NFPA 1710: alarm processing within 64 s for 90 % of calls."""

NFPA_TURNOUT = ResponseStandard(
    "nfpa_turnout", "turnout", 80.0, 0.9,
    "NFPA 1710 (2020) 4.1.2.1",
    "the 80 s turnout (NFPA 1710)", "80秒出动（NFPA 1710）", kinds=FIRE_CALLS)
"""NFPA 1710: "80 seconds for turnout time for fire and special operations response",
90 % of turnouts; measured over turnouts to :data:`FIRE_CALLS`."""

NFPA_TRAVEL = ResponseStandard(
    "nfpa_travel", "travel", 240.0, 0.9,
    "NFPA 1710 (2020) 4.1.2.1",
    "the 240 s first-engine travel (NFPA 1710)", "首辆水罐车240秒行驶（NFPA 1710）",
    kinds=("fire",))
"""NFPA 1710: "240 seconds or less travel time for the arrival of the first arriving engine
company at a fire suppression incident", 90 % of fires."""

STANDARDS: tuple[ResponseStandard, ...] = (FIVE_MINUTE, NFPA_PROCESSING, NFPA_TURNOUT,
                                           NFPA_TRAVEL)
"""Every response standard, in the order the report lists them."""

NFPA_BY_SEGMENT: dict[str, ResponseStandard] = {
    s.segment: s for s in STANDARDS if s.key.startswith("nfpa_")}
"""The NFPA 1710 standard of each response segment it times."""

BY_METRIC: dict[str, ResponseStandard] = {f"{s.key}_share": s for s in STANDARDS} | {
    "turnout_p90": NFPA_TURNOUT}
"""The standard each metric's cases are times against: every share metric's
(``five_minute_share``, ``nfpa_turnout_share`` ...) and the turnout fractile's."""

FLOOD_RESCUE_TARGET_S = 1800.0
"""The call-to-first-arrival time a flood rescue call is measured against when the drill
sets no ``rescue_first_arrival_p90`` objective, s: 30 min, a labelled assumption (the
target of the ready rainstorm drills; no national standard times a water rescue)."""


def rescue_target_s(objectives) -> float:
    """The target a flood rescue call is measured against, s: the drill's
    ``rescue_first_arrival_p90`` objective (its bound), else
    :data:`FLOOD_RESCUE_TARGET_S`."""
    obj = next((o for o in objectives if o.metric == "rescue_first_arrival_p90"), None)
    return obj.bound()[1] if obj is not None else FLOOD_RESCUE_TARGET_S
