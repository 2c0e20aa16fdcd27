"""Go semantics of data-model values: truth, emptiness, field access, function errors.

Field access `.Foo` on a dict reads key `Foo`, or else `foo` (first letter lower-cased;
a leading acronym is lower-cased whole, `.APIVersion` reads `apiVersion`), so Go
struct-style templates read JSON-shaped Kubernetes data. A missing key yields
`MISSING` (Go's invalid value, printed `<no value>`); a key holding None yields None
(a nil interface: a further `.Bar` on it is Go's "nil pointer evaluating" error).
A callable dict value is a method: it is called, with the action's arguments if any,
unless it needs arguments and none are given (then it is a function value for `call`).
Other Python objects are read like Go structs: `.Foo` is the attribute `Foo`, and a
callable (method) is called with the arguments given.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import Any

from .printing import MISSING, go_type


class FuncError(Exception):
    """Raised by template functions; becomes `error calling NAME: MESSAGE`."""


class ExecError(Exception):
    """An execution error with no position yet; the evaluator adds the location."""


def is_true(value: Any) -> bool:
    """Go's truth: false, 0, nil, and empty strings, lists and maps are false."""
    if value is None or value is MISSING:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return value != 0
    if isinstance(value, str | list | tuple | Mapping):
        return len(value) > 0
    typed = go_truth(value)
    return True if typed is None else typed


def is_empty(value: Any) -> bool:
    """Sprig's `empty`: the same as Go falsiness for the data model."""
    return not is_true(value)


def field_key(mapping: Mapping[str, Any], name: str) -> str | None:
    """The key `.name` reads in a dict: `name`, else `name` with a lower-case initial."""
    if name in mapping:
        return name
    lowered = name[:1].lower() + name[1:]
    if lowered in mapping:
        return lowered
    # A leading acronym is lower-cased whole, as in JSON tags: APIVersion -> apiVersion.
    run = len(name) - len(name.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    if run > 1:
        cut = run if run == len(name) else run - 1
        acronym = name[:cut].lower() + name[cut:]
        if acronym in mapping:
            return acronym
    return None


def get_field(receiver: Any, name: str, args: list[Any] | None) -> Any:
    """Evaluate `.name` (with method arguments `args`, or None for none) on receiver."""
    if receiver is MISSING:
        return MISSING
    if receiver is None:
        raise ExecError(f"nil pointer evaluating interface {{}}.{name}")
    if isinstance(receiver, Mapping):
        key = (
            (name if name in receiver else None)
            if _is_go_map(receiver)
            else field_key(receiver, name)
        )
        if key is None:
            if args:
                raise ExecError(f"{name} is not a method but has arguments")
            return MISSING
        value = receiver[key]
        if callable(value) and not isinstance(value, type):
            if not args and _needs_arguments(value):
                return value  # a function value, for `call`
            return value(*(args or []))
        if args:
            raise ExecError(f"{name} is not a method but has arguments")
        return value
    if isinstance(receiver, str | int | float | bool | list | tuple) and not hasattr(
        receiver, "GO_TYPE"
    ):
        raise ExecError(f"can't evaluate field {name} in type {go_type(receiver)}")
    attr = getattr(receiver, name, MISSING)
    if attr is MISSING:
        raise ExecError(f"can't evaluate field {name} in type {go_type(receiver)}")
    if callable(attr):
        return attr(*(args or []))
    if args:
        raise ExecError(f"{name} is not a method but has arguments")
    return attr


def _is_go_map(value: Any) -> bool:
    from .gotypes import GoMap

    return isinstance(value, GoMap)


def go_truth(value: Any) -> bool | None:
    from .gotypes import go_truth as typed_truth

    return typed_truth(value)


def _needs_arguments(fn: Any) -> bool:
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return any(
        p.default is inspect.Parameter.empty
        and p.kind in (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        for p in params
    )
