"""Parameter paths: address and change values in a drill file's raw data.

A path is dotted: ``forces.stations.xizhan_station.personnel``. In a list, a
segment is an item's position (``forces.stations.0``) or its ``id``
(``forces.stations.xizhan_station``); ``+`` after a list appends an item
(``forces.stations.+``). A key missing from a mapping may be set when the drill
format allows it there (e.g. ``dispatch.processing`` in a file without
``dispatch:``).
"""

from __future__ import annotations

import difflib
from typing import Any

from drillsim.scenarios.messages import field_names, walk
from drillsim.scenarios.schema import Scenario

Key = str | int
APPEND = "+"


class PathError(ValueError):
    """A path that does not lead anywhere in the data; the message says what exists."""


def split(path: str) -> list[str]:
    """The segments of a dotted path (ids with dots are matched later, greedily)."""
    parts = [p.strip() for p in str(path).split(".")]
    if not path or any(p == "" for p in parts):
        raise PathError(f"{path!r} is not a dotted path such as "
                        "forces.stations.xizhan_station.personnel")
    return parts


def resolve(data: Any, path: str) -> list[Key]:
    """The concrete keys (mapping keys and list positions) that ``path`` names in ``data``.

    A final ``+`` stays ``"+"`` (append). Raises :class:`PathError` naming the
    segment where the path broke and what exists there.
    """
    parts = split(path)
    keys: list[Key] = []
    node: Any = data
    i = 0
    while i < len(parts):
        seg = parts[i]
        here = ".".join(parts[:i]) or "the top level"
        if isinstance(node, list):
            if seg == APPEND:
                if i != len(parts) - 1:
                    raise PathError(f"'+' (append) must end the path, in {path!r}")
                keys.append(APPEND)
                return keys
            index, used = _list_index(node, parts, i)
            if index is None:
                raise PathError(f"no item {seg!r} in the list at {here}; "
                                f"it has {_list_items(node)}")
            keys.append(index)
            node = node[index]
            i += used
            continue
        if isinstance(node, dict):
            if seg in node:
                keys.append(seg)
                node = node[seg]
                i += 1
                continue
            allowed = _allowed_keys(keys)
            if allowed is not None and (seg in allowed or allowed == ["*"]):
                keys.append(seg)
                node = None  # created when set
                i += 1
                continue
            existing = sorted(map(str, node)) + [k for k in (allowed or [])
                                                 if k not in node and k != "*"]
            close = difflib.get_close_matches(seg, existing, n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise PathError(f"no key {seg!r} at {here}; {hint}"
                            f"keys there: {', '.join(existing) or '(none)'}")
        if node is None:
            allowed = _allowed_keys(keys)
            if allowed is not None and (seg in allowed or allowed == ["*"]):
                keys.append(seg)
                i += 1
                continue
            raise PathError(f"no key {seg!r} at {here}"
                            + (f"; keys there: {', '.join(allowed)}" if allowed else ""))
        raise PathError(f"{here} holds the value {node!r}, which has no field {seg!r}")
    return keys


def _list_index(items: list, parts: list[str], i: int) -> tuple[int | None, int]:
    seg = parts[i]
    if seg.lstrip("-").isdigit():
        k = int(seg)
        return (k, 1) if 0 <= k < len(items) else (None, 1)
    # an id may contain dots: try the longest match first
    for n in range(len(parts) - i, 0, -1):
        ident = ".".join(parts[i:i + n])
        for k, item in enumerate(items):
            if isinstance(item, dict) and str(item.get("id")) == ident:
                return k, n
    return None, 1


def _list_items(items: list) -> str:
    ids = [str(it["id"]) for it in items if isinstance(it, dict) and "id" in it]
    size = f"{len(items)} item(s), positions 0-{len(items) - 1}" if items else "no items"
    return f"{size}" + (f", ids: {', '.join(ids)}" if ids else "")


def _allowed_keys(keys: list[Key]) -> list[str] | None:
    """Keys the drill format accepts in the mapping at ``keys`` (``['*']``: any)."""
    try:
        _, tp = walk(Scenario, tuple(keys))
    except Exception:  # noqa: BLE001 - an unknown shape: only existing keys
        return None
    if isinstance(tp, type) and hasattr(tp, "model_fields"):
        return field_names(tp)
    if getattr(tp, "__origin__", None) is dict:
        return ["*"]
    return None


def dotted(keys: list[Key]) -> str:
    """Keys as the loader's error messages write them: ``forces.stations[0].personnel``."""
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def set_value(data: Any, keys: list[Key], value: Any) -> None:
    """Set (or append, for a final ``+``) ``value`` at ``keys``, creating missing mappings."""
    node = data
    for k in keys[:-1]:
        if isinstance(node, dict) and node.get(k) is None:
            node[k] = {}
        node = node[k]
    last = keys[-1]
    if last == APPEND:
        node.append(value)
    else:
        node[last] = value
