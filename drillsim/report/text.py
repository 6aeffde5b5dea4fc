"""Value formatting for the report in English and Chinese (words: :mod:`.wording`)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from datetime import timedelta

from drillsim.hazards.pluvial_flood import DEPTH_LIMIT_M
from drillsim.report.wording import LANGS, denest, say

__all__ = ["LANGS", "TERMS", "clock", "count", "duration", "gap", "incident_type", "minutes",
           "item_names", "join", "label", "offset", "paren", "quantities", "sizes", "term", "tr",
           "value"]

TERMS: dict[str, dict[str, str]] = {
    "occupancy": {
        "high_rise_residential": "term.occupancy.high_rise_residential",
        "old_residential_compound": "term.occupancy.old_residential_compound",
        "large_commercial_complex": "term.occupancy.large_commercial_complex",
        "warehouse": "term.occupancy.warehouse",
        "three_in_one": "term.occupancy.three_in_one",
        "elderly_care_home": "term.occupancy.elderly_care_home",
        "dwelling": "term.occupancy.dwelling",
        "outdoor": "term.occupancy.outdoor",
        "hospital": "term.occupancy.hospital",
        "school": "term.occupancy.school",
        "market": "term.occupancy.market",
        "factory": "term.occupancy.factory",
        "hazardous_chemical_site": "term.occupancy.hazardous_chemical_site",
    },
    "kind": {
        "fire": "term.kind.fire",
        "rescue": "term.kind.rescue",
        "alarm": "term.kind.alarm",
        "flood_rescue": "term.kind.flood_rescue",
        "hazmat": "term.kind.hazmat",
    },
    "unit": {
        "engine": "term.unit.engine",
        "truck": "term.unit.truck",
        "ladder": "term.unit.ladder",
        "rescue": "term.unit.rescue",
        "hazmat": "term.unit.hazmat",
        "tanker": "term.unit.tanker",
        "command": "term.unit.command",
        "pump": "term.unit.pump",
        "pump_crew": "term.unit.pump_crew",
        "boat_team": "term.unit.boat_team",
        "rescue_team": "term.unit.rescue_team",
        "medical_team": "term.unit.medical_team",
        "volunteer_squad": "term.unit.volunteer_squad",
    },
    "item": {
        "water_l": "term.item.water_l",
        "food_ration": "term.item.food_ration",
        "food_kg": "term.item.food_kg",
        "bedding_set": "term.item.bedding_set",
        "clothing_set": "term.item.clothing_set",
        "medical_kit": "term.item.medical_kit",
        "tent": "term.item.tent",
    },
    "vehicle": {
        "fire_engine": "term.vehicle.fire_engine",
        "truck": "term.vehicle.truck",
        "car": "term.vehicle.car",
        "foot": "term.vehicle.foot",
        "high_clearance": "term.vehicle.high_clearance",
    },
    "channel": {  # the district's channel names (drill files may write them without commas)
        "cell broadcast": "term.channel.cell_broadcast",
        "sirens and loudspeakers": "term.channel.sirens",
        "tv, radio and social media": "term.channel.media",
        "tv radio and social media": "term.channel.media",
        "grid workers door to door": "term.channel.grid_workers",
    },
    "inject": {
        "unit_out_of_service": "term.inject.unit_out_of_service",
        "unit_in_service": "term.inject.unit_in_service",
        "road_closed": "term.inject.road_closed",
        "road_reopened": "term.inject.road_reopened",
        "incident": "term.inject.incident",
        "release": "term.inject.release",
        "call_surge": "term.inject.call_surge",
        "comms_delay": "term.inject.comms_delay",
        "note": "term.inject.note",
        "pump_station_failed": "term.inject.pump_station_failed",
        "pump_station_restored": "term.inject.pump_station_restored",
        "wind_shift": "term.inject.wind_shift",
        "stock_change": "term.inject.stock_change",
    },
    "event": {  # record kinds (drillsim.records.catalogue.EVENTS)
        "ignition": "term.event.ignition",
        "call": "term.event.call",
        "queued": "term.event.queued",
        "dispatch": "term.event.dispatch",
        "enroute": "term.event.enroute",
        "reroute": "term.event.reroute",
        "arrive": "term.event.arrive",
        "escalate": "term.event.escalate",
        "full_assignment": "term.event.full_assignment",
        "control": "term.event.control",
        "clear": "term.event.clear",
        "release": "term.event.release",
        "quarters": "term.event.quarters",
        "mutual_aid_request": "term.event.mutual_aid_request",
        "unmet": "term.event.unmet",
        "rescued": "term.event.rescued",
        "out_of_service": "term.event.out_of_service",
        "in_service": "term.event.in_service",
        "inject": "term.event.inject",
        "road_closed": "term.event.road_closed",
        "road_reopened": "term.event.road_reopened",
        "call_surge": "term.event.call_surge",
        "comms_delay": "term.event.comms_delay",
        "end": "term.event.end",
        "onset": "term.event.onset",
        "shelter_open": "term.event.shelter_open",
        "displaced": "term.event.displaced",
        "stranded": "term.event.stranded",
        "unsheltered": "term.event.unsheltered",
        "shelter_blocked": "term.event.shelter_blocked",
        "shelter_wait": "term.event.shelter_wait",
        "shelter_admit": "term.event.shelter_admit",
        "shelter_full": "term.event.shelter_full",
        "relieved": "term.event.relieved",
        "stock_change": "term.event.stock_change",
        "replenish": "term.event.replenish",
        "stock_out": "term.event.stock_out",
        "truck_load": "term.event.truck_load",
        "truck_depart": "term.event.truck_depart",
        "truck_arrive": "term.event.truck_arrive",
        "relief_delivered": "term.event.relief_delivered",
        "truck_return": "term.event.truck_return",
        "team_activated": "term.event.team_activated",
        "mobilised": "term.event.mobilised",
        "team_assembled": "term.event.team_assembled",
        "warning_issued": "term.event.warning_issued",
        "warning_target": "term.event.warning_target",
        "warning": "term.event.warning",
        "rain": "term.event.rain",
        "depth": "term.event.depth",
        "road_state": "term.event.road_state",
        "displacement": "term.event.displacement",
        "pump_start": "term.event.pump_start",
        "pump_station_failed": "term.event.pump_station_failed",
        "pump_station_restored": "term.event.pump_station_restored",
        "release_start": "term.event.release_start",
        "model_limit": "term.event.model_limit",
        "wind_shift": "term.event.wind_shift",
        "plume": "term.event.plume",
        "protective_action": "term.event.protective_action",
        "evacuation_ordered": "term.event.evacuation_ordered",
        "responder_exposed": "term.event.responder_exposed",
        "ppe_on": "term.event.ppe_on",
        "entry": "term.event.entry",
        "source_control": "term.event.source_control",
        "source_empty": "term.event.source_empty",
    },
    "team_kind": {
        "professional": "term.team_kind.professional",
        "part_time": "term.team_kind.part_time",
        "volunteer": "term.team_kind.volunteer",
    },
}
"""The wording key of every id the drill file and the records use, by group (ids a
designer invents, such as a new relief item, are shown as written)."""


def term(group: str, ident: str, lang: str = "en") -> str:
    """The name of an id of ``group`` (a key of :data:`TERMS`) in ``lang``; the id itself
    when the catalogue does not know it (a name the drill designer made up)."""
    key = TERMS[group].get(ident if group != "channel" else ident.strip().lower())
    return say(lang, key) if key else ident


def tr(key: str, lang: str) -> str:
    """The text of wording ``key`` in ``lang`` (``en`` or ``zh``; :mod:`.wording`)."""
    return say(lang, key)


def minutes(seconds: float, lang: str = "en", digits: int = 1) -> str:
    """A duration as minutes: ``4.3 min`` / ``4.3 分钟`` (``digits`` decimals); NaN as a
    dash."""
    if seconds is None or math.isnan(seconds):
        return "—"
    if math.isinf(seconds):
        return tr("not_by_end", lang)
    m = f"{seconds / 60:.{digits}f}"
    return f"{m} 分钟" if lang == "zh" else f"{m} min"


SECONDS_SCALE_S = 120.0
"""A standard with a limit under this (s) is stated in seconds (NFPA 1710's 64 s call
processing, 80 s turnout), and so is every time measured against it: in minutes to one
decimal (6 s) a 64.7 s miss of 64 s would read "1.1 min" against "1.1 min"."""


def seconds(v: float, lang: str = "en", digits: int = 1) -> str:
    """A duration in seconds: ``64.7 s`` / ``64.7 秒`` (``digits`` decimals); NaN as a dash."""
    if v is None or math.isnan(v):
        return "—"
    if math.isinf(v):
        return tr("not_by_end", lang)
    return f"{v:.{digits}f} 秒" if lang == "zh" else f"{v:.{digits}f} s"


def against(v: float, threshold_s: float, lang: str = "en", digits: int = 1) -> str:
    """A time (s) measured against a standard's limit ``threshold_s`` (s), in the
    standard's scale: seconds under :data:`SECONDS_SCALE_S`, else minutes."""
    return seconds(v, lang, digits) if threshold_s < SECONDS_SCALE_S else \
        minutes(v, lang, digits)


def offset(seconds: float) -> str:
    """Drill time ``+HH:MM:SS``; NaN as a dash."""
    if seconds is None or math.isnan(seconds) or math.isinf(seconds):
        return "—"
    s = int(round(seconds))
    return f"+{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def clock(start, seconds: float) -> str:
    """Clock time ``HH:MM:SS`` of a drill time (day shown when it is not the start day)."""
    if seconds is None or math.isnan(seconds) or math.isinf(seconds):
        return "—"
    t = start + timedelta(seconds=round(float(seconds)))  # rounded as :func:`offset` rounds
    day = "" if t.date() == start.date() else f"{t:%m-%d} "
    return f"{day}{t:%H:%M:%S}"


def share(v: float) -> str:
    """A share 0-1 as a percentage, whole unless rounding would hide that it is not all or
    not none: 0.997 is ``99.7%``, never ``100%`` (and 0.003 is ``0.3%``, never ``0%``)."""
    if v is None or math.isnan(v):
        return "—"
    text = f"{v:.0%}"
    if (v < 1 and text == "100%") or (0 < v and text == "0%"):
        tenths = math.floor(v * 1000) if v > 0.5 else math.ceil(v * 1000)
        text = f"{tenths / 10:.1f}%"
    return text


def depth(metres: float, limits: Iterable[float] | None = None) -> str:
    """A water depth, m, to the centimetre, without the unit (``0.42``); a depth that
    rounds onto or across one of the stated ``limits`` (m; default the vehicles' depth
    limits, :data:`drillsim.hazards.pluvial_flood.DEPTH_LIMIT_M`) keeps the millimetre,
    truncated towards the value, so it stays on its own side: 0.5997 m below the 0.6 m
    truck limit is ``0.599``, never ``0.60``."""
    if metres is None or math.isnan(metres):
        return "—"
    text = f"{metres:.2f}"
    for limit in DEPTH_LIMIT_M.values() if limits is None else limits:
        if (metres < limit) != (float(text) < limit):
            return f"{math.floor(metres * 1000) / 1000:.3f}" if metres < limit \
                else f"{math.ceil(metres * 1000) / 1000:.3f}"
    return text


def value(v: float, unit: str, lang: str = "en") -> str:
    """A metric value in its unit, for people: minutes, %, MW or a count."""
    if v is None or math.isnan(v):
        return tr("not_measured", lang)
    if unit == "seconds":
        return minutes(v, lang)
    if unit == "share":
        return share(v)
    if unit == "kW":
        return f"{v / 1000:.1f} MW"
    return count(v)


def fire_size(q_kw: float, lang: str = "en") -> str:
    """A fire's heat-release rate at a moment after ignition, for people: ``burnt out``
    when it is 0 kW (every square metre it reached has burnt its fire load,
    :class:`drillsim.hazards.fire_growth.FireDevelopment`), else as :func:`value`."""
    return say(lang, "unit.burnt_out") if q_kw is not None and q_kw <= 0 \
        else value(q_kw, "kW", lang)


def incident_type(occupancy: str | None, kind: str, lang: str = "en") -> str:
    """What an incident is: a fire with its occupancy (``住宅火灾``, ``dwelling fire``),
    else its occupancy when it has one, else its kind."""
    if not occupancy:
        return term("kind", kind, lang)
    what = term("occupancy", occupancy, lang)
    return say(lang, "report.occupancy_fire", occupancy=what) if kind == "fire" else what


def duration(seconds: float, lang: str = "en") -> str:
    """A set duration (a target, a clock): whole hours as hours (``10 h`` / ``10 小时``),
    whole minutes without a decimal (``450 min`` / ``450 分钟``), else :func:`minutes`."""
    if seconds is not None and math.isfinite(seconds) and seconds >= 3600 \
            and seconds % 3600 == 0:
        return say(lang, "unit.hours", hours=f"{seconds / 3600:.0f}")
    if seconds is not None and math.isfinite(seconds) and seconds % 60 == 0:
        return minutes(seconds, lang, digits=0)
    return minutes(seconds, lang)


def count(n: float) -> str:
    """A count of things or people with thousands separators (``4,000``), never in
    scientific notation; a dash for NaN."""
    if n is None or not math.isfinite(n):
        return "—"
    return f"{n:,.0f}" if float(n).is_integer() or abs(n) >= 100 else f"{n:,.1f}"


def gap(v: float, target: float, unit: str, lang: str = "en") -> str:
    """How far a measured value is from its target, in the metric's unit.

    Parameters
    ----------
    v, target
        Measured value and target in the metric's unit (seconds, share 0-1, kW or count).
    unit
        The metric's unit (:data:`drillsim.metrics.catalog.METRICS`).

    Returns
    -------
    str
        ``+2.3 min over the target`` / ``超出目标2.3分钟``, ``12 percentage points under
        the target``, ``on the target``; a dash when not measured.
    """
    if v is None or target is None or not (math.isfinite(v) and math.isfinite(target)):
        return "—"
    d = v - target
    if unit == "seconds":
        amount = minutes(abs(d), lang)
        zero = round(abs(d) / 60, 1) == 0
    elif unit == "share":
        amount = say(lang, "unit.points", n=f"{abs(d) * 100:.0f}")
        zero = round(abs(d) * 100) == 0
    elif unit == "kW":
        amount = value(abs(d), unit, lang)
        zero = round(abs(d) / 1000, 1) == 0
    else:
        amount = count(abs(d))
        zero = abs(d) < 0.05
    if zero:
        return say(lang, "gap.on")
    return say(lang, "gap.over" if d > 0 else "gap.under", amount=amount)


def quantities(items: dict[str, float], lang: str = "en", sign: str = "") -> str:
    """Relief items with their quantities: ``drinking water (L) 18,000, tents 200``
    (``饮用水（升）18,000、帐篷（顶）200``)."""
    sep, gap = ("、", "") if lang == "zh" else (", ", " ")
    return sep.join(f"{term('item', k, lang)}{gap}{sign}{count(v)}" for k, v in items.items())


def amount(item: str, qty: float, lang: str = "en") -> str:
    """A quantity of a relief item standing alone, with the item's counter in Chinese (the
    bracketed unit of its name: ``3,500套`` for 被褥（套）); the bare count in English,
    where the item's name says its unit."""
    name = term("item", item, lang)
    unit = name[name.index("（") + 1:-1] if lang == "zh" and name.endswith("）") \
        and "（" in name else ""
    return f"{count(qty)}{unit}"


def item_names(items: Iterable[str], lang: str = "en") -> list[str]:
    """The names of relief items (:data:`TERMS`)."""
    return [term("item", k, lang) for k in items]


def sizes(capacities_kg: Iterable[float], lang: str = "en") -> str:
    """Vehicle capacities grouped: ``3 × 5 t`` or ``2 × 5 t, 1 × 2 t`` (largest first;
    ``2辆5吨，1辆2吨`` in Chinese)."""
    n = Counter(capacities_kg)
    each = "{k}辆{t:g}吨" if lang == "zh" else "{k} × {t:g} t"
    return join((each.format(k=k, t=c / 1000) for c, k in sorted(n.items(), reverse=True)),
                lang)


def join(items: Iterable[str], lang: str = "en", *, words: bool = False) -> str:
    """Items listed in the page's language: ``a, b, c`` / ``a，b，c`` (wording
    ``sep_list``; the one list separator of running text and table cells). With ``words``,
    a list of single words or ids (``XZ-E1、XZ-E2``, ``AEGL-3、AEGL-2``): Chinese joins
    those with the enumeration comma 、(wording ``sep_words``; GB/T 15834-2011 4.5).
    Items that contain the separator themselves (``Nancang Road ponding, rescue call 10``)
    are joined with semicolons (wording ``sep_semicolon``), so each item stays one."""
    items = list(items)
    sep = say(lang, "sep_words" if words else "sep_list")
    if any(sep.strip() in i for i in items):
        sep = say(lang, "sep_semicolon")
    return sep.join(items)


def paren(inner: str, lang: str = "en") -> str:
    """A bracketed addition to the word before it, in the page's language: `` (inner)`` /
    ``（inner）`` (Chinese full-width brackets, no space; brackets inside ``inner`` made
    square, :func:`~drillsim.report.wording.denest`)."""
    return denest(f"（{inner}）") if lang == "zh" else f" ({inner})"


def label(name: str, what: str, lang: str = "en") -> str:
    """``name: what`` / ``name：what`` (wording ``sep_label``)."""
    return f"{name}{say(lang, 'sep_label')}{what}"


def target(metric: str, target: str, lang: str = "en") -> str:
    """An objective's target for people, in the report's language: ``≤ 15 min`` /
    ``≤ 15 分钟``, ``≥ 95%``, ``≤ 0`` (the drill file's ``<= 15 min`` parsed by
    :func:`drillsim.scenarios.schema.parse_target`)."""
    from drillsim.metrics.catalog import METRICS
    from drillsim.scenarios.schema import parse_target

    op, bound = parse_target(metric, target)
    sign = {"<=": "≤", ">=": "≥"}.get(op, op)
    unit = METRICS[metric].unit
    if unit == "seconds" and bound % 60 == 0 and not (bound >= 3600 and bound % 3600 == 0):
        number = f"{bound / 60:g} 分钟" if lang == "zh" else f"{bound / 60:g} min"
    elif unit == "seconds":
        number = duration(bound, lang)
    else:
        number = value(bound, unit, lang)
    return f"{sign} {number}"
