"""The catalogue of drill metrics that objectives can name.

One entry per metric: its unit, which direction is better and what it measures.
The functions that compute them live in :mod:`drillsim.metrics`; a test checks
that every name here has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Unit = Literal["seconds", "share", "count", "kW"]


@dataclass(frozen=True)
class MetricInfo:
    """What a metric measures.

    Attributes
    ----------
    unit
        ``seconds``, ``share`` (0-1, written as a percentage), ``count`` or ``kW``.
    better
        ``lower`` or ``higher``; ``neither`` for a count that only describes the run
        (more turnouts is neither better nor worse).
    en, zh
        Short description in English and Chinese.
    """

    unit: Unit
    better: Literal["lower", "higher", "neither"]
    en: str
    zh: str


METRICS: dict[str, MetricInfo] = {
    "first_arrival_p50": MetricInfo(
        "seconds", "lower", "median time from call to first unit on scene",
        "接警至首车到场时间中位数"),
    "first_arrival_p90": MetricInfo(
        "seconds", "lower", "90th percentile of time from call to first unit on scene",
        "接警至首车到场时间第90百分位"),
    "dispatch_to_arrival_p90": MetricInfo(
        "seconds", "lower", "90th percentile of time from turnout order to first arrival",
        "出动命令至首车到场时间第90百分位"),
    "turnouts_n": MetricInfo(
        "count", "neither", "fire-station turnouts from quarters (the cases the turnout measures "
        "count)", "消防站车辆自驻地出动次数（出动准备指标的统计对象）"),
    "turnout_p90": MetricInfo(
        "seconds", "lower", "90th percentile of turnout time (order to wheels rolling)",
        "出动准备时间第90百分位"),
    "travel_p90": MetricInfo(
        "seconds", "lower", "90th percentile of first-unit travel time", "首车行驶时间第90百分位"),
    "full_assignment_p90": MetricInfo(
        "seconds", "lower", "90th percentile of time from call to the full first alarm on scene",
        "接警至首批力量全部到场时间第90百分位"),
    "five_minute_share": MetricInfo(
        "share", "higher", "share of fire, rescue and alarm calls reached within 5 min of "
        "the turnout order (建标152-2017)", "火灾、抢险救援和报警警情中出动命令后5分钟内到场的比例"
        "（建标152-2017）"),
    "five_minute_n": MetricInfo(
        "count", "neither", "fire, rescue and alarm calls the 5-minute rule is measured over",
        "5分钟到场要求的统计警情数（火灾、抢险救援和报警）"),
    "nfpa_travel_n": MetricInfo(
        "count", "neither", "fires the first-engine travel standard is measured over",
        "首车行驶时间标准的统计火灾数"),
    "nfpa_turnout_share": MetricInfo(
        "share", "higher", "share of fire turnouts within 80 s (NFPA 1710)",
        "80秒内出动的比例（NFPA 1710）"),
    "nfpa_travel_share": MetricInfo(
        "share", "higher", "share of first-engine travel to fires within 240 s (NFPA 1710)",
        "火灾警情首辆水罐车行驶时间240秒内的比例（NFPA 1710）"),
    "fire_size_at_first_arrival_p90": MetricInfo(
        "kW", "lower", "90th percentile of fire heat-release rate when the first unit arrives",
        "首车到场时火灾热释放速率第90百分位"),
    "fire_size_at_full_assignment_max": MetricInfo(
        "kW", "lower", "largest fire heat-release rate when the full assignment is on scene",
        "力量全部到场时的最大火灾热释放速率"),
    "calls_unmet": MetricInfo(
        "count", "lower", "calls no unit reached before the drill ended",
        "演练结束时仍未到场的警情数"),
    "calls_queued": MetricInfo(
        "count", "lower", "calls that waited for a free unit", "因无可用力量而排队的警情数"),
    "mutual_aid_calls": MetricInfo(
        "count", "lower", "incidents that needed help from outside the district",
        "需要区外增援的警情数"),
    "rescue_first_arrival_p90": MetricInfo(
        "seconds", "lower", "90th percentile of time from a trapped person's call to the first "
        "rescuers on scene", "被困群众求救至救援力量到场时间第90百分位"),
    "people_displaced": MetricInfo(
        "count", "lower", "people who had to leave their homes", "转移安置人数"),
    "people_unsheltered": MetricInfo(
        "count", "lower", "displaced people who found no shelter place", "未能安置的人数"),
    "relief_share_10h": MetricInfo(
        "share", "higher", "share of displaced people whose basic needs were relieved within the "
        "relief target (10 h, indicator 8)", "10小时内基本生活得到救助的受灾人员比例（指标8）"),
    "relief_t95": MetricInfo(
        "seconds", "lower", "time by which 95 % of displaced people were relieved",
        "95%受灾人员得到救助的时间"),
    "relief_t100": MetricInfo(
        "seconds", "lower", "time by which every displaced person was relieved",
        "全部受灾人员得到救助的时间"),
    "warning_t95": MetricInfo(
        "seconds", "lower", "time from the decision to warn until the warning target "
        "(95 %, indicator 7) was reached", "预警发布至覆盖率达到目标（95%，指标7）的时间"),
    "warning_share_1h": MetricInfo(
        "share", "higher", "share of the public warned one hour after the decision to warn",
        "预警发布1小时后的公众覆盖率"),
    "hazmat_first_arrival": MetricInfo(
        "seconds", "lower", "time from the release call to the first hazmat-capable unit on scene",
        "接警至首个危化品处置力量到场时间"),
    "source_control_time": MetricInfo(
        "seconds", "lower", "time from the release call until a crew stopped the leak",
        "接警至处置人员堵漏成功的时间"),
    "people_above_aegl1": MetricInfo(
        "count", "lower", "most people exposed above AEGL-1 at one time",
        "同时暴露于AEGL-1以上的最多人数"),
    "people_above_aegl2": MetricInfo(
        "count", "lower", "most people exposed above AEGL-2 at one time",
        "同时暴露于AEGL-2以上的最多人数"),
    "people_above_aegl3": MetricInfo(
        "count", "lower", "most people exposed above AEGL-3 at one time",
        "同时暴露于AEGL-3以上的最多人数"),
    "person_minutes_aegl2": MetricInfo(
        "count", "lower", "person-minutes spent above AEGL-2", "暴露于AEGL-2以上的人·分钟"),
    "evacuation_time": MetricInfo(
        "seconds", "lower", "from the protective-action order until the last evacuee reached a "
        "shelter", "疏散命令下达至最后一名疏散人员进入避难场所的时间"),
    "responders_exposed": MetricInfo(
        "count", "lower", "responders at a staging point inside the AEGL-2 zone, on arrival "
        "or when the zone moved over them", "到场时或区域移至集结点时处于AEGL-2区域内的救援人员数"),
    "utilisation_max": MetricInfo(
        "share", "lower", "highest share of the drill a unit spent committed",
        "单车最高出动占用率"),
}
