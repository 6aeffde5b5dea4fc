"""Durations and drill times as drill designers write them.

Durations: ``"90 s"``, ``"5 min"``, ``"1.5 h"``, ``"01:30"`` (hours:minutes),
``"01:30:00"``. Inject times: ``"+00:30"`` (after the drill start) or ``"19:05"``
(a clock time on or after the start, wrapping past midnight).
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

_UNITS = {
    "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
    "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
    "h": 3600.0, "hr": 3600.0, "hrs": 3600.0, "hour": 3600.0, "hours": 3600.0,
    "d": 86400.0, "day": 86400.0, "days": 86400.0,
}
_AMOUNT = re.compile(r"^\s*([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*([a-zA-Z]+)\s*$")
_CLOCK = re.compile(r"^\s*([0-9]{1,3}):([0-5][0-9])(?::([0-5][0-9](?:\.[0-9]+)?))?\s*$")

DURATION_HELP = "a duration such as '90 s', '5 min', '1.5 h' or '01:30' (hours:minutes)"
TIME_HELP = "'+HH:MM' after the drill start, or a clock time 'HH:MM'"


def parse_duration(value: object) -> float:
    """Parse a duration into seconds.

    Parameters
    ----------
    value
        A string with a unit (``"5 min"``), an ``HH:MM[:SS]`` string, or a number
        that is already in seconds (only from Python, not from YAML strings).

    Returns
    -------
    float
        Seconds, never negative.

    Raises
    ------
    ValueError
        With a message that says what was expected.
    """
    if isinstance(value, bool):
        raise ValueError(f"expected {DURATION_HELP}, got {value!r}")
    if isinstance(value, int | float):
        raise ValueError(
            f"a bare number ({value}) has no unit; write {DURATION_HELP}"
        )
    if not isinstance(value, str):
        raise ValueError(f"expected {DURATION_HELP}, got {value!r}")
    text = value.strip().lstrip("+")
    if text.startswith("-"):
        raise ValueError(f"a duration cannot be negative, got {value!r}")
    m = _AMOUNT.match(text)
    if m:
        unit = m.group(2).lower()
        if unit not in _UNITS:
            raise ValueError(f"unknown time unit {m.group(2)!r}; write {DURATION_HELP}")
        return float(m.group(1)) * _UNITS[unit]
    m = _CLOCK.match(text)
    if m:
        return int(m.group(1)) * 3600.0 + int(m.group(2)) * 60.0 + float(m.group(3) or 0)
    raise ValueError(f"expected {DURATION_HELP}, got {value!r}")


def parse_drill_time(value: object, start: datetime) -> float:
    """Parse an inject or incident time into seconds after the drill start.

    ``"+HH:MM"`` (or ``"+5 min"``) is an offset; ``"HH:MM"`` is a clock time on the
    start day, or the next day when it is earlier than the start clock time.
    """
    if not isinstance(value, str):
        raise ValueError(f"expected {TIME_HELP}, got {value!r}")
    text = value.strip()
    if text.startswith("+"):
        return parse_duration(text[1:])
    m = _CLOCK.match(text)
    if not m or int(m.group(1)) > 23:
        raise ValueError(f"expected {TIME_HELP}, got {value!r}")
    clock = start.replace(
        hour=int(m.group(1)), minute=int(m.group(2)), second=int(float(m.group(3) or 0)),
        microsecond=0,
    )
    if clock < start:
        clock += timedelta(days=1)
    return (clock - start).total_seconds()


def format_offset(seconds: float) -> str:
    """Format seconds after the start as ``+HH:MM:SS``."""
    s = int(round(seconds))
    return f"+{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def format_minutes(seconds: float) -> str:
    """Format a duration in seconds as minutes with one decimal, e.g. ``4.3 min``."""
    return f"{seconds / 60:.1f} min"
