"""Pydantic's validation errors, told in a drill designer's words.

:func:`explain` turns one error of ``ValidationError.errors()`` into the field
path as the designer wrote it (without the union tags pydantic adds) and a plain
message that says what was expected.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

Path = tuple[Any, ...]

DISTRIBUTION_HELP = (
    "expected a duration like '60 s' or a distribution such as "
    "{dist: lognormal, median: 50 s, p90: 70 s}, {dist: uniform, low: .., high: ..}, "
    "{dist: exponential, mean: ..} or {dist: fixed, value: ..}"
)
LOCATION_HELP = (
    "expected a place id (e.g. xigu_park), {lat: .., lon: ..} or {node: <network node id>}"
)

_TYPE_WORDS = {
    "int_type": "expected a whole number",
    "int_parsing": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
    "finite_number": "expected a finite number",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "list_type": "expected a list (lines starting with '- ', or [a, b])",
    "dict_type": "expected a mapping ('key: value' lines, or {key: value})",
    "model_type": "expected a mapping ('key: value' lines, or {key: value})",
    "model_attributes_type": "expected a mapping ('key: value' lines, or {key: value})",
    "datetime_type": "expected a date and time such as '2026-07-15 18:30'",
    "datetime_parsing": "expected a date and time such as '2026-07-15 18:30'",
    "datetime_from_date_parsing": "expected a date and time such as '2026-07-15 18:30'",
}
_BOUNDS = {
    "greater_than": ("gt", "more than"),
    "greater_than_equal": ("ge", "at least"),
    "less_than": ("lt", "less than"),
    "less_than_equal": ("le", "at most"),
}


def explain(err: dict[str, Any], root: type[BaseModel]) -> tuple[Path, str]:
    """The designer's field path and a plain message for one pydantic error.

    Parameters
    ----------
    err
        One item of ``ValidationError.errors()``.
    root
        The model that was validated (e.g. ``Scenario``).

    Returns
    -------
    tuple
        The path without union tags or ``[key]`` markers, and the message.
    """
    path, target = walk(root, tuple(err["loc"]))
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "extra_forbidden":
        return path, _unknown_key(path[-1] if path else "?", _parent_model(root, err["loc"]))
    if kind == "missing":
        return path, _missing(path, target, _parent_model(root, err["loc"]))
    if kind.startswith("union_tag"):
        return path, _union_tag(kind, ctx, value, target)
    if kind in ("model_type", "model_attributes_type") and _is_location(target):
        return path, f"{LOCATION_HELP}, got {_show(value)}"
    if kind in ("model_type", "model_attributes_type") and _is_distribution(target):
        return path, f"{DISTRIBUTION_HELP}, got {_show(value)}"
    if kind in _TYPE_WORDS:
        empty = "; leave the key out if there is none" if value is None else ""
        return path, f"{_TYPE_WORDS[kind]}, got {_show(value)}{empty}"
    if kind == "invalid_key":
        return path, f"a key must be text, got {_show(value)}; put it in quotes"
    if kind == "string_type":
        return path, _text_expected(value)
    if kind == "literal_error":
        return path, _literal(err["loc"], value, ctx["expected"])
    if kind in _BOUNDS:
        key, words = _BOUNDS[kind]
        return path, f"must be {words} {_number(ctx[key])}, got {_show(value)}"
    return path, _other(kind, ctx, value, err["msg"])


def _other(kind: str, ctx: dict[str, Any], value: Any, msg: str) -> str:
    if kind == "too_short":
        what = "character" if isinstance(value, str) else "item"
        return f"needs at least {ctx['min_length']} {what}(s), got {ctx.get('actual_length', 0)}"
    if kind == "too_long":
        return f"allows at most {ctx['max_length']} item(s), got {ctx.get('actual_length')}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"is too long: at most {ctx['max_length']} characters"
    if kind == "string_pattern_mismatch":
        return (f"{_show(value)} is not a valid id: use letters, digits, '_', '.' and '-', "
                "starting with a letter or digit, no spaces")
    if kind in ("value_error", "assertion_error"):
        text = str(ctx.get("error", msg))
        return text.replace("got None", "got nothing")
    return msg


def _literal(loc: Path, value: Any, expected: str) -> str:
    if loc and loc[-1] == "[key]":
        return f"unknown key {_show(value)}; expected one of {expected}"
    names = [seg for seg in loc if isinstance(seg, str)]
    what = names[-1] if names else "value"
    options = re.findall(r"'([^']*)'", expected)
    close = difflib.get_close_matches(str(value), options, n=1) if isinstance(value, str) else []
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    return f"unknown {what} {_show(value)}{hint}; expected one of {expected}"


def _show(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number(value)
    return repr(value)


def _number(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _text_expected(value: Any) -> str:
    if isinstance(value, bool | int | float):
        return f"expected text, got the {'value' if isinstance(value, bool) else 'number'} " \
               f"{_show(value)}; put it in quotes if it is meant as text: '{value}'"
    return f"expected text, got {_show(value)}"


def _unknown_key(key: Any, model: type[BaseModel] | None) -> str:
    if model is None:
        return f"unknown key {key!r}"
    allowed = field_names(model)
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return f"unknown key {key!r}{hint} (allowed: {', '.join(allowed)})"


def _missing(path: Path, target: Any, model: type[BaseModel] | None) -> str:
    key = path[-1] if path else "?"
    field = model.model_fields.get(str(key)) if model is not None else None
    extra = f" ({field.description})" if field is not None and field.description else ""
    if _is_distribution(target):
        extra = f"; {DISTRIBUTION_HELP}"
    elif _is_location(target):
        extra = f"; {LOCATION_HELP}"
    return f"missing required key {key!r}{extra}"


def _union_tag(kind: str, ctx: dict[str, Any], value: Any, target: Any) -> str:
    field = str(ctx.get("discriminator", "")).strip("'\"")
    if field == "dist":
        if kind == "union_tag_invalid":
            return f"unknown distribution {ctx.get('tag')!r}; {DISTRIBUTION_HELP}"
        return DISTRIBUTION_HELP
    expected = ", ".join(union_tags(target, field))
    if kind == "union_tag_invalid":
        return f"unknown {field} {ctx.get('tag')!r}; expected one of: {expected}"
    if not isinstance(value, dict):
        return f"expected a mapping with '{field}:', got {_show(value)}"
    return f"missing {field!r}: one of {expected}"


# --------------------------------------------------------------------------- type walking


def walk(root: type[BaseModel], loc: Path) -> tuple[Path, Any]:
    """Follow a pydantic error location through the model types.

    Returns
    -------
    tuple
        The path as written in the file (union tags and ``[key]`` dropped) and the
        type found at its end (``None`` when unknown).
    """
    tp: Any = root
    path: list[Any] = []
    for seg in loc:
        tp = _unwrap(tp)
        member = _union_member(tp, seg)
        if member is not None:
            tp = member
            continue
        if seg == "[key]":
            args = get_args(tp)
            tp = args[0] if len(args) == 2 else None
            continue
        path.append(seg)
        tp = _child(tp, seg)
    return tuple(path), _unwrap(tp)


def _parent_model(root: type[BaseModel], loc: Path) -> type[BaseModel] | None:
    _, tp = walk(root, tuple(loc)[:-1])
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


def field_names(model: type[BaseModel]) -> list[str]:
    """The keys a model accepts, as written in the file (aliases where given)."""
    return [f.alias or name for name, f in model.model_fields.items()]


def _unwrap(tp: Any) -> Any:
    while get_origin(tp) is typing.Annotated:
        tp = get_args(tp)[0]
    if _is_union(tp):
        rest = [a for a in get_args(tp) if a is not type(None)]
        if len(rest) == 1:
            return _unwrap(rest[0])
    return tp


def _is_union(tp: Any) -> bool:
    return get_origin(tp) in (Union, types.UnionType)


def _union_member(tp: Any, seg: Any) -> Any:
    if not _is_union(tp) or not isinstance(seg, str):
        return None
    for member in get_args(tp):
        member = _unwrap(member)
        if isinstance(member, type) and issubclass(member, BaseModel):
            for f in member.model_fields.values():
                if get_origin(f.annotation) is Literal and seg in get_args(f.annotation):
                    return member
    return None


def _child(tp: Any, seg: Any) -> Any:
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        for name, f in tp.model_fields.items():
            if seg in (name, f.alias):
                return f.annotation
        return None
    origin, args = get_origin(tp), get_args(tp)
    if origin is list and isinstance(seg, int):
        return args[0]
    if origin is dict and args:
        return args[1]
    return None


def _is_distribution(tp: Any) -> bool:
    return _is_union(tp) and any(
        getattr(_unwrap(m), "__name__", "") == "LogNormal" for m in get_args(tp))


def _is_location(tp: Any) -> bool:
    return getattr(tp, "__name__", "") == "Location"


def union_tags(tp: Any, field: str) -> list[str]:
    """The values a discriminated union's ``field`` may take, in member order."""
    tags: list[str] = []
    for member in get_args(_unwrap(tp)) if _is_union(_unwrap(tp)) else ():
        member = _unwrap(member)
        f = getattr(member, "model_fields", {}).get(field)
        if f is not None and get_origin(f.annotation) is Literal:
            tags += [str(t) for t in get_args(f.annotation)]
    return tags
