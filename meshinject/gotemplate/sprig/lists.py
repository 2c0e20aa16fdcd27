"""Sprig's list functions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meshinject.gotemplate.sprig.conversions import _as_list, to_int64
from meshinject.gotemplate.values import is_empty

# -- lists ----------------------------------------------------------------------------


def list_(*values: Any) -> list[Any]:
    return list(values)


def append(values: Any, v: Any) -> list[Any]:
    return [*_as_list(values, "append"), v]


def prepend(values: Any, v: Any) -> list[Any]:
    return [v, *_as_list(values, "prepend")]


def first(values: Any) -> Any:
    items = _as_list(values, "find first")
    return items[0] if items else None


def last(values: Any) -> Any:
    items = _as_list(values, "find last")
    return items[-1] if items else None


def rest(values: Any) -> list[Any]:
    return _as_list(values, "find rest")[1:]


def initial(values: Any) -> list[Any]:
    return _as_list(values, "find initial")[:-1]


def _deep_equal(a: Any, b: Any) -> bool:
    if type(a) is not type(b) and not (isinstance(a, Mapping) and isinstance(b, Mapping)):
        return False
    return bool(a == b)


def uniq(values: Any) -> list[Any]:
    out: list[Any] = []
    for v in _as_list(values, "uniq"):
        if not any(_deep_equal(v, o) for o in out):
            out.append(v)
    return out


def without(values: Any, *omit: Any) -> list[Any]:
    return [v for v in _as_list(values, "find without") if not any(_deep_equal(v, o) for o in omit)]


def has(needle: Any, haystack: Any) -> bool:
    if haystack is None:
        return False
    return any(_deep_equal(needle, v) for v in _as_list(haystack, "find has"))


def compact(values: Any) -> list[Any]:
    return [v for v in _as_list(values, "compact") if not is_empty(v)]


def concat(*lists: Any) -> list[Any]:
    out: list[Any] = []
    for item in lists:
        out.extend(_as_list(item, "concat"))
    return out


def reverse(values: Any) -> list[Any]:
    return list(reversed(_as_list(values, "find reverse")))


def chunk(size: int, values: Any) -> list[Any]:
    items = _as_list(values, "chunk")
    return [items[i : i + size] for i in range(0, len(items), size)] if size > 0 else []


def until(count: int) -> list[Any]:
    return list(range(count)) if count >= 0 else list(range(0, count, -1))


def until_step(start: int, stop: int, step: int) -> list[Any]:
    if step == 0 or (step > 0 and start >= stop) or (step < 0 and start <= stop):
        return []
    return list(range(start, stop, step))


def seq(*params: Any) -> str:
    nums = [to_int64(p) for p in params]
    if len(nums) == 1:
        start, step, end = 1, 1, nums[0]
        if end < start:
            step = -1
    elif len(nums) == 2:
        start, end = nums
        step = 1 if end >= start else -1
    elif len(nums) == 3:
        start, step, end = nums
        if (end < start and step >= 0) or (end > start and step <= 0):
            return ""
    else:
        return ""
    if step == 0:
        return ""
    stop = end + (1 if step > 0 else -1)
    return " ".join(str(i) for i in range(start, stop, step))
