"""Sprig's math functions."""

from __future__ import annotations

from typing import Any

from meshinject.gotemplate.sprig.conversions import strval, to_float64, to_int64
from meshinject.gotemplate.values import FuncError

# -- math -----------------------------------------------------------------------------


def add(*values: Any) -> int:
    return sum(to_int64(v) for v in values)


def add1(value: Any) -> int:
    return to_int64(value) + 1


def sub(a: Any, b: Any) -> int:
    return to_int64(a) - to_int64(b)


def mul(a: Any, *values: Any) -> int:
    result = to_int64(a)
    for v in values:
        result *= to_int64(v)
    return result


def div(a: Any, b: Any) -> int:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise FuncError("runtime error: integer divide by zero")
    q = abs(x) // abs(y)
    return q if (x >= 0) == (y >= 0) else -q


def mod(a: Any, b: Any) -> int:
    x, y = to_int64(a), to_int64(b)
    if y == 0:
        raise FuncError("runtime error: integer divide by zero")
    return x - div(x, y) * y


def max_(a: Any, *values: Any) -> int:
    return max([to_int64(a), *(to_int64(v) for v in values)])


def min_(a: Any, *values: Any) -> int:
    return min([to_int64(a), *(to_int64(v) for v in values)])


def addf(*values: Any) -> float:
    return sum(to_float64(v) for v in values)


def subf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for v in values:
        result -= to_float64(v)
    return result


def mulf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for v in values:
        result *= to_float64(v)
    return result


def divf(a: Any, *values: Any) -> float:
    result = to_float64(a)
    for v in values:
        divisor = to_float64(v)
        if divisor == 0:
            result = float("inf") if result > 0 else float("-inf") if result < 0 else float("nan")
        else:
            result /= divisor
    return result


def to_int(value: Any) -> int:
    return to_int64(value)


def atoi(text: str) -> int:
    body = text[1:] if text[:1] in "+-" else text
    if not body.isdigit() or not body.isascii():
        return 0
    return int(text)


def to_string(value: Any) -> str:
    return strval(value)


def to_strings(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [strval(v) for v in value]
    return [strval(value)]


def to_decimal(value: Any) -> int:
    try:
        return int(strval(value), 8)
    except ValueError:
        return 0
