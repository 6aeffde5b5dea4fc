"""Value formatting for the report in English and Chinese (words: :mod:`.wording`)."""

from __future__ import annotations

import math
from datetime import timedelta

from drillsim.report.wording import LANGS, say

__all__ = ["LANGS", "clock", "minutes", "offset", "percent", "tr", "value"]


def tr(key: str, lang: str) -> str:
    """The text of wording ``key`` in ``lang`` (``en`` or ``zh``; :mod:`.wording`)."""
    return say(lang, key)


def minutes(seconds: float, lang: str = "en") -> str:
    """A duration as minutes: ``4.3 min`` / ``4.3 分钟``; NaN as a dash."""
    if seconds is None or math.isnan(seconds):
        return "—"
    if math.isinf(seconds):
        return tr("not_by_end", lang)
    return f"{seconds / 60:.1f} 分钟" if lang == "zh" else f"{seconds / 60:.1f} min"


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
    t = start + timedelta(seconds=float(seconds))
    day = "" if t.date() == start.date() else f"{t:%m-%d} "
    return f"{day}{t:%H:%M:%S}"


def value(v: float, unit: str, lang: str = "en") -> str:
    """A metric value in its unit, for people: minutes, %, MW or a count."""
    if v is None or math.isnan(v):
        return tr("not_measured", lang)
    if unit == "seconds":
        return minutes(v, lang)
    if unit == "share":
        return f"{v:.0%}"
    if unit == "kW":
        return f"{v / 1000:.1f} MW"
    return f"{v:g}"


def percent(d: float) -> str:
    """A signed relative gap as a percentage."""
    if d is None or math.isnan(d):
        return "—"
    return f"{d:+.0%}"
