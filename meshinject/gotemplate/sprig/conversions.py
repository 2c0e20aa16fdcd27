"""Sprig's conversions (lenient, Go zero values), defaults and flow."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from meshinject.gotemplate.printing import MISSING, format_value, go_type
from meshinject.gotemplate.values import FuncError, is_empty

# -- conversions ----------------------------------------------------------------------


def strval(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return format_value(value)


def _trim_zero_decimal(text: str) -> str:
    whole, dot, frac = text.partition(".")
    if dot and frac and set(frac) == {"0"}:
        return whole
    return text


def to_int64(value: Any) -> int:
    if value is None or value is MISSING:
        return 0
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if math.isfinite(value) else 0
    if isinstance(value, str):
        return _parse_go_int(_trim_zero_decimal(value))
    return 0


def _parse_go_int(text: str) -> int:
    body = text.lstrip("+-")
    sign = -1 if text.startswith("-") else 1
    try:
        if body[:2].lower() in ("0x", "0o", "0b"):
            return sign * int(body, 0)
        if len(body) > 1 and body.startswith("0"):
            return sign * int(body, 8)
        if not body.isdigit():
            return 0
        return sign * int(body)
    except ValueError:
        return 0


def to_float64(value: Any) -> float:
    if value is None or value is MISSING:
        return 0.0
    if isinstance(value, bool | int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace("_", "")) if value.strip() == value else 0.0
        except ValueError:
            return 0.0
    return 0.0


def _as_list(value: Any, name: str) -> list[Any]:
    if isinstance(value, list | tuple):
        return list(value)
    if value is None or value is MISSING:
        raise FuncError(f"Cannot {name} on type <nil>")
    raise FuncError(f"Cannot {name} on type {go_type(value)}")


def _as_map(value: Any, what: str = "map") -> dict[str, Any]:
    if isinstance(value, dict):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    raise FuncError(f"wrong type for value; expected {what}; got {go_type(value)}")


# -- defaults and flow ----------------------------------------------------------------


def default(d: Any, *given: Any) -> Any:
    if not given or is_empty(given[0]):
        return d
    return given[0]


def empty(given: Any) -> bool:
    return is_empty(given)


def coalesce(*values: Any) -> Any:
    for v in values:
        if not is_empty(v):
            return v
    return None


def all_(*values: Any) -> bool:
    return all(not is_empty(v) for v in values)


def any_(*values: Any) -> bool:
    return any(not is_empty(v) for v in values)


def ternary(vt: Any, vf: Any, cond: bool) -> Any:
    return vt if cond else vf


def fail(msg: str) -> str:
    raise FuncError(msg)
