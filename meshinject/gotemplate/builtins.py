"""Go's predefined template functions: and, or, not, len, index, slice, print, printf,
println, eq, ne, lt, le, gt, ge, html, js, urlquery and call.

Comparisons follow Go's rules for basic kinds: an int never equals a float (that is
an "incompatible types for comparison" error, as `eq 1 1.0` is in Go), nil compares
unequal to everything but nil, and maps and lists cannot be compared.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from .printing import MISSING, format_value, go_type, sprint, sprintf, sprintln
from .signature import Raw
from .values import FuncError, is_true


class StringMap(dict[str, str]):
    """A dict standing for a Go `map[string]string` (Kubernetes labels, annotations).

    `index` of a missing key yields "" (Go's zero string) instead of nil.
    """

    GO_TYPE = "map[string]string"


def _zero_of(mapping: Mapping[str, Any]) -> Any:
    """The value `index` gives for a missing key: a typed map's element zero value, else nil."""
    if isinstance(mapping, StringMap):
        return ""
    return getattr(mapping, "zero", None)


def _nil(value: Any) -> bool:
    return value is None or value is MISSING


def _basic_kind(value: Any) -> str:
    if _nil(value):
        return "invalid"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    return "other"


def go_and(arg0: Raw, *args: Raw) -> Any:
    """Used only when called through `call`; actions evaluate `and` lazily."""
    value = arg0
    for value in (arg0, *args):
        if not is_true(value):
            return value
    return value


def go_or(arg0: Raw, *args: Raw) -> Any:
    value = arg0
    for value in (arg0, *args):
        if is_true(value):
            return value
    return value


def go_not(arg: Raw) -> bool:
    return not is_true(arg)


def go_len(item: Raw) -> int:
    if _nil(item):
        raise FuncError("len of nil pointer")
    if isinstance(item, str):
        return len(item.encode("utf-8"))
    if isinstance(item, list | tuple | Mapping):
        return len(item)
    raise FuncError(f"len of type {go_type(item)}")


def _index_arg(index: Any, length: int) -> int:
    if _nil(index):
        raise FuncError("cannot index slice/array with nil")
    if isinstance(index, bool) or not isinstance(index, int):
        raise FuncError(f"cannot index slice/array with type {go_type(index)}")
    if index < 0 or index > length:
        raise FuncError(f"index out of range: {index}")
    return index


def go_index(item: Raw, *indexes: Raw) -> Any:
    if _nil(item):
        raise FuncError("index of untyped nil")
    for index in indexes:
        if item is None:
            raise FuncError("index of nil pointer")
        if isinstance(item, str | list | tuple):
            x = _index_arg(index, len(item))
            if isinstance(item, str):
                data = item.encode("utf-8")
                if x >= len(data):
                    raise FuncError(f"index out of range: {x}")
                item = data[x]
                continue
            if x >= len(item):
                raise FuncError(f"index out of range: {x}")
            item = item[x]
        elif isinstance(item, Mapping):
            if _nil(index):
                raise FuncError("value is nil; should be of type string")
            if not isinstance(index, str):
                raise FuncError(f"value has type {go_type(index)}; should be string")
            item = item[index] if index in item else _zero_of(item)
        else:
            raise FuncError(f"can't index item of type {go_type(item)}")
    return item


def go_slice(item: Raw, *indexes: Raw) -> Any:
    if _nil(item):
        raise FuncError("slice of untyped nil")
    if len(indexes) > 3:
        raise FuncError(f"too many slice indexes: {len(indexes)}")
    if isinstance(item, str):
        if len(indexes) == 3:
            raise FuncError("cannot 3-index slice a string")
        seq: Any = item.encode("utf-8")
    elif isinstance(item, list | tuple):
        seq = list(item)
    else:
        raise FuncError(f"can't slice item of type {go_type(item)}")
    bounds = [0, len(seq)]
    for i, index in enumerate(indexes):
        bounds_i = _index_arg(index, len(seq))
        if i < 2:
            bounds[i] = bounds_i
    if bounds[0] > bounds[1]:
        raise FuncError(f"invalid slice index: {bounds[0]} > {bounds[1]}")
    if len(indexes) == 3 and _index_arg(indexes[2], len(seq)) < bounds[1]:
        raise FuncError(f"invalid slice index: {bounds[1]} > {indexes[2]}")
    part = seq[bounds[0] : bounds[1]]
    return part.decode("utf-8", errors="replace") if isinstance(part, bytes) else part


def go_print(*args: Any) -> str:
    return sprint(args)


def go_printf(fmt: str, *args: Any) -> str:
    return sprintf(fmt, args)


def go_println(*args: Any) -> str:
    return sprintln(args)


def _eq_one(a: Any, b: Any) -> bool:
    ka, kb = _basic_kind(a), _basic_kind(b)
    if ka != kb:
        if ka == "invalid" or kb == "invalid":
            return False
        raise FuncError("incompatible types for comparison")
    if ka == "invalid":
        return True
    if ka == "other":
        if isinstance(a, Mapping | list | tuple) or isinstance(b, Mapping | list | tuple):
            raise FuncError(f"non-comparable type {format_value(b)}: {go_type(b)}")
        return bool(a is b or a == b)
    return bool(a == b)


def go_eq(arg1: Raw, *arg2: Raw) -> bool:
    if not arg2:
        raise FuncError("missing argument for comparison")
    return any(_eq_one(arg1, arg) for arg in arg2)


def go_ne(arg1: Raw, arg2: Raw) -> bool:
    return not _eq_one(arg1, arg2)


def go_lt(arg1: Raw, arg2: Raw) -> bool:
    k1, k2 = _basic_kind(arg1), _basic_kind(arg2)
    if k1 in ("invalid", "other") or k2 in ("invalid", "other"):
        raise FuncError("invalid type for comparison")
    if k1 != k2:
        raise FuncError("incompatible types for comparison")
    if k1 == "bool":
        raise FuncError("invalid type for comparison")
    return bool(arg1 < arg2)


def go_le(arg1: Raw, arg2: Raw) -> bool:
    return go_lt(arg1, arg2) or _eq_one(arg1, arg2)


def go_gt(arg1: Raw, arg2: Raw) -> bool:
    return not go_le(arg1, arg2)


def go_ge(arg1: Raw, arg2: Raw) -> bool:
    return not go_lt(arg1, arg2)


def _eval_args(args: tuple[Any, ...]) -> str:
    if len(args) == 1 and isinstance(args[0], str):
        return args[0]
    return sprint(args)


_HTML = {'"': "&#34;", "'": "&#39;", "&": "&amp;", "<": "&lt;", ">": "&gt;", "\0": "\ufffd"}


def go_html(*args: Any) -> str:
    return "".join(_HTML.get(c, c) for c in _eval_args(args))


_JS = {"\\": "\\\\", "'": "\\'", '"': '\\"', "<": "\\u003C", ">": "\\u003E"}
_JS.update({"&": "\\u0026", "=": "\\u003D", "`": "\\u0060"})


def go_js(*args: Any) -> str:
    out = []
    for c in _eval_args(args):
        if c in _JS:
            out.append(_JS[c])
        elif ord(c) < 0x20 or not c.isprintable():
            out.append(f"\\u{ord(c):04X}")
        else:
            out.append(c)
    return "".join(out)


_URL_SAFE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")


def go_urlquery(*args: Any) -> str:
    out = []
    for byte in _eval_args(args).encode("utf-8"):
        c = chr(byte)
        if c in _URL_SAFE:
            out.append(c)
        elif c == " ":
            out.append("+")
        else:
            out.append(f"%{byte:02X}")
    return "".join(out)


def go_call(fn: Raw, *args: Any) -> Any:
    if _nil(fn):
        raise FuncError("call of nil")
    if not callable(fn) or isinstance(fn, Mapping | list | str):
        raise FuncError(f"non-function {format_value(fn)} of type {go_type(fn)}")
    return fn(*args)


BUILTINS: dict[str, Callable[..., Any]] = {
    "and": go_and,
    "or": go_or,
    "not": go_not,
    "len": go_len,
    "index": go_index,
    "slice": go_slice,
    "print": go_print,
    "printf": go_printf,
    "println": go_println,
    "eq": go_eq,
    "ne": go_ne,
    "lt": go_lt,
    "le": go_le,
    "gt": go_gt,
    "ge": go_ge,
    "html": go_html,
    "js": go_js,
    "urlquery": go_urlquery,
    "call": go_call,
}
