"""Sprig's reflection functions (typeOf, kindOf, ...)."""

from __future__ import annotations

from typing import Any

from meshinject.gotemplate.printing import go_kind, go_type
from meshinject.gotemplate.sprig.lists import _deep_equal

# -- reflection -----------------------------------------------------------------------


def type_of(value: Any) -> str:
    return go_type(value)


def kind_of(value: Any) -> str:
    return go_kind(value)


def kind_is(target: str, value: Any) -> bool:
    return go_kind(value) == target


def type_is(target: str, value: Any) -> bool:
    return go_type(value) == target


def type_is_like(target: str, value: Any) -> bool:
    t = go_type(value)
    return target in (t, "*" + t)


def deep_equal(a: Any, b: Any) -> bool:
    return _deep_equal(a, b)
