"""Go-style parameter typing for template functions written in Python.

A function's type hints say what Go type each parameter has, so that argument checks
and conversions behave like Go's `text/template` calling a typed Go function:
`str` is `string`, `int` is `int`, `float` is `float64`, `bool` is `bool`,
`dict[str, str]` is `map[string]string`, `dict[str, Any]` or `Mapping[str, Any]` is
`map[string]interface {}`, `list[Any]` is `[]interface {}`, `Any` is `interface{}`,
and `Raw` receives the value untouched (MISSING included) like Go's `reflect.Value`
parameters of the builtins. Functions without hints take `interface{}` arguments.
"""

from __future__ import annotations

import inspect
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin, get_type_hints

from .printing import MISSING, go_type
from .values import ExecError

RAW_MARKER = "raw"
Raw = Annotated[Any, RAW_MARKER]

GO_NAMES = {
    "str": "string",
    "int": "int",
    "float": "float64",
    "bool": "bool",
    "map": "map[string]interface {}",
    "strmap": "map[string]string",
    "list": "[]interface {}",
}


@dataclass(frozen=True, slots=True)
class Signature:
    params: tuple[str, ...]  # kinds of the fixed parameters
    variadic: str | None  # kind of the variadic parameter, if any

    def kind_at(self, index: int) -> str:
        if index < len(self.params):
            return self.params[index]
        return self.variadic or "any"

    def check_count(self, name: str, count: int) -> None:
        fixed = len(self.params)
        if self.variadic is not None:
            if count < fixed:
                message = f"want at least {fixed} got {count}"
                raise ExecError(f"wrong number of args for {name}: {message}")
        elif count != fixed:
            raise ExecError(f"wrong number of args for {name}: want {fixed} got {count}")


_POSITIONAL = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
_CACHE: dict[Callable[..., Any], Signature] = {}


def _kind(hint: Any) -> str:
    if hint is Any or hint is object or hint is inspect.Parameter.empty:
        return "any"
    if isinstance(hint, types.UnionType):
        members = [m for m in get_args(hint) if m is not type(None)]
        return _kind(members[0]) if len(members) == 1 else "any"
    if get_origin(hint) is Annotated:
        return "raw" if RAW_MARKER in get_args(hint)[1:] else _kind(get_args(hint)[0])
    simple = {str: "str", int: "int", float: "float", bool: "bool"}
    if hint in simple:
        return simple[hint]
    origin = get_origin(hint)
    if origin in (dict, Mapping):
        args = get_args(hint)
        return "strmap" if len(args) == 2 and args[1] is str else "map"
    if origin is list:
        return "list"
    return "any"


def signature_of(fn: Callable[..., Any]) -> Signature:
    cached = _CACHE.get(fn)
    if cached is not None:
        return cached
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        result = Signature((), "any")
        _CACHE[fn] = result
        return result
    try:
        hints = get_type_hints(fn, include_extras=True)
    except Exception:
        hints = {}
    params: list[str] = []
    variadic: str | None = None
    for param in sig.parameters.values():
        kind = _kind(hints.get(param.name, inspect.Parameter.empty))
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            variadic = kind
        elif param.kind in _POSITIONAL and param.default is inspect.Parameter.empty:
            params.append(kind)
    result = Signature(tuple(params), variadic)
    _CACHE[fn] = result
    return result


def convert(value: Any, kind: str) -> Any:
    """Check (and convert) an evaluated argument for a parameter of `kind`, as Go does."""
    if kind == "raw":
        return value
    if value is MISSING or value is None:
        if kind in ("any", "map", "strmap", "list"):
            return None
        raise ExecError(f"invalid value; expected {GO_NAMES[kind]}")
    if kind == "any":
        return value
    ok = {
        "str": lambda v: isinstance(v, str),
        "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
        "float": lambda v: isinstance(v, float),
        "bool": lambda v: isinstance(v, bool),
        "map": lambda v: isinstance(v, Mapping),
        "strmap": lambda v: isinstance(v, Mapping) and all(isinstance(x, str) for x in v.values()),
        "list": lambda v: isinstance(v, list | tuple),
    }[kind](value)
    if not ok:
        got = go_type(value)
        raise ExecError(f"wrong type for value; expected {GO_NAMES[kind]}; got {got}")
    return value
