"""Sprig's dictionary functions."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from meshinject.gotemplate.sprig.conversions import _as_map, strval
from meshinject.gotemplate.values import FuncError, is_empty

# -- dictionaries ---------------------------------------------------------------------


def dict_(*pairs: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(pairs), 2):
        key = strval(pairs[i])
        out[key] = pairs[i + 1] if i + 1 < len(pairs) else ""
    return out


def get(d: dict[str, Any], key: str) -> Any:
    if d is None or key not in d:
        return ""
    return d[key]


def set_(d: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    _as_map(d)[key] = value
    return d


def unset(d: dict[str, Any], key: str) -> dict[str, Any]:
    _as_map(d).pop(key, None)
    return d


def has_key(d: dict[str, Any], key: str) -> bool:
    return d is not None and key in d


def keys(*dicts: dict[str, Any]) -> list[Any]:
    out: list[Any] = []
    for d in dicts:
        out.extend((d or {}).keys())
    return sorted(out)


def values(d: dict[str, Any]) -> list[Any]:
    d = d or {}
    return [d[k] for k in sorted(d)]


def pluck(name: str, *dicts: dict[str, Any]) -> list[Any]:
    return [d[name] for d in dicts if d is not None and name in d]


def pick(d: dict[str, Any], *names: str) -> dict[str, Any]:
    return {k: v for k, v in (d or {}).items() if k in names}


def dig(*args: Any) -> Any:
    if len(args) < 3:
        raise FuncError(f"dig needs at least three arguments, got {len(args)}")
    path, fallback, data = args[:-2], args[-2], args[-1]
    current: Any = data
    for key in path:
        if not isinstance(current, Mapping) or strval(key) not in current:
            return fallback
        current = current[strval(key)]
    return current


def _merge_into(dst: dict[str, Any], src: Mapping[str, Any], overwrite: bool) -> None:
    for key, value in src.items():
        if key in dst and isinstance(dst[key], dict) and isinstance(value, Mapping):
            _merge_into(dst[key], value, overwrite)
        elif key not in dst or is_empty(dst[key]) or (overwrite and not is_empty(value)):
            dst[key] = copy.deepcopy(value)


def merge(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    target = _as_map(dst)
    for src in srcs:
        _merge_into(target, src or {}, overwrite=False)
    return target


def merge_overwrite(dst: dict[str, Any], *srcs: dict[str, Any]) -> Any:
    target = _as_map(dst)
    for src in srcs:
        _merge_into(target, src or {}, overwrite=True)
    return target


def deep_copy(value: Any) -> Any:
    return copy.deepcopy(value)
