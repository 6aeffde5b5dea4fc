"""Sentences every hazard's findings share: the finding's title and the measured value."""

from __future__ import annotations

from drillsim.metrics.catalog import METRICS
from drillsim.report import text as tx
from drillsim.report.context import ReportContext
from drillsim.report.registry import Action

OWNERS = {  # who an improvement action is for: key -> (English, Chinese)
    "detachment": ("Hongqiao District Fire Rescue Detachment", "区消防救援支队"),
    "hazmat": ("District Fire Rescue Detachment (hazmat)", "区消防救援支队（危化品处置）"),
    "command": ("District fire rescue command centre (119)", "区消防救援指挥中心（119）"),
    "bureau": ("District Emergency Management Bureau", "区应急管理局"),
    "hq": ("District Flood-Control Headquarters", "区防汛指挥部"),
    "citymgmt": ("District City Management Commission (pumps)", "区城市管理委（排水抢险）"),
    "civil": ("District Civil Affairs Bureau / relief desk", "区民政局（救灾物资组）"),
    "air": ("District Civil Air Defence Office", "区人防办"),
    "bluestar": ("Blue Star Emergency Rescue Team", "蓝星应急救援队"),
    "ecology": ("District Ecology and Environment Bureau (monitoring)",
                "区生态环境局（环境监测）"),
    "health": ("District Health Commission (poisoning care)", "区卫生健康委（中毒救治）"),
    "subdistricts": ("Subdistrict offices and property managers (evacuation, shelters, grid "
                     "workers)", "各街道办事处及物业服务企业（疏散、安置、网格员）"),
    "traffic": ("District traffic police", "区公安交通管理部门"),
}
CAPABILITIES = {  # capability elements of drill evaluation (AQ/T 9007-2019): key -> (en, zh)
    "warning": ("warning and information reporting", "预警与信息报告"),
    "mobilisation": ("mobilisation", "力量调集"),
    "command": ("command and coordination", "指挥与协调"),
    "operations": ("operations", "现场处置"),
    "resources": ("resource management", "资源管理与保障"),
    "traffic": ("cordon and traffic control", "警戒与交通管制"),
    "comms": ("communications", "通信保障"),
    "protection": ("protection of people", "群众防护"),
    "monitoring": ("monitoring and assessment", "监测与研判"),
    "shelter": ("evacuation and shelter", "转移安置"),
    "medical": ("medical care", "医疗救治"),
    "safety": ("responder safety", "救援人员安全"),
    "prevention": ("source prevention and storage", "源头防控与储存管理"),
}


def draft_action(ctx: ReportContext, en: str, zh: str, owner: str | tuple[str, str], cap: str,
           ref: str) -> Action:
    """A drafted improvement action; ``owner`` is a key of :data:`OWNERS` or a name pair."""
    o_en, o_zh = OWNERS[owner] if isinstance(owner, str) else owner
    c_en, c_zh = CAPABILITIES[cap]
    return Action(ctx.t(en, zh), ctx.t(o_en, o_zh), ctx.t(c_en, c_zh), ref)


def finding_title(ctx: ReportContext, res, rating) -> str:
    obj = res.objective
    text = ctx.t(obj.text, obj.text_zh) or ctx.t(METRICS[obj.metric].en, METRICS[obj.metric].zh)
    return f"{obj.id} ({rating.code}/{rating.zh}): {text}"


def measured_sentence(ctx: ReportContext, res, rating) -> str:
    obj = res.objective
    unit = METRICS[obj.metric].unit
    m = ctx.t(METRICS[obj.metric].en, METRICS[obj.metric].zh)
    return ctx.t(
        f"Measured {m}: {tx.value(res.value, unit)} against a target of {obj.target} "
        f"(gap {tx.percent(rating.gap)}).",
        f"实测{m}：{tx.value(res.value, unit, 'zh')}，目标{obj.target}"
        f"（差距{tx.percent(rating.gap)}）。")
