"""JSON encoding and decoding as Go's `encoding/json` does it.

`marshal` writes map keys sorted (Go sorts map keys; pass `sort_keys=False` to keep a
dict's insertion order, which is how meshinject stands in for a Go struct's field
order), escapes `<`, `>` and `&` as `\\u003c`-style sequences unless `escape_html` is
off, and prints floats the way Go does (`1` for 1.0, `1e-7`, `1e+21`).
`unmarshal` decodes every number as a float, as Go does into `interface{}`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from typing import Any

from .printing import MISSING, format_float
from .values import FuncError

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_HTML = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"}


def quote(text: str, escape_html: bool = True) -> str:
    out = ['"']
    for ch in text:
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif escape_html and ch in _HTML:
            out.append(_HTML[ch])
        elif ord(ch) < 0x20 or ch in "\u2028\u2029":
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def float_text(value: float) -> str:
    """Go's encoding of a float64 in JSON."""
    if math.isnan(value) or math.isinf(value):
        raise FuncError(f"json: unsupported value: {format_float(value)}")
    magnitude = abs(value)
    if magnitude != 0 and (magnitude < 1e-6 or magnitude >= 1e21):
        text = format_float(value, "e")
        mant, _, exp = text.partition("e")
        sign, digits = exp[0], exp[1:].lstrip("0") or "0"
        return f"{mant}e{sign}{digits}"
    if value == int(value) and magnitude < 1e21:
        return str(int(value)) if value != 0 or math.copysign(1, value) > 0 else "-0"
    return repr(value)


def marshal(
    value: Any,
    *,
    sort_keys: bool = True,
    escape_html: bool = True,
    indent: str = "",
    level: int = 0,
) -> str:
    """Go's json.Marshal (or MarshalIndent with prefix "" when `indent` is set)."""
    if value is None or value is MISSING:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, str):
        return quote(value, escape_html)
    if hasattr(value, "go_json"):
        from .gotypes import go_json

        return marshal(
            go_json(value), sort_keys=False, escape_html=escape_html, indent=indent, level=level
        )
    kw: dict[str, Any] = {"sort_keys": sort_keys, "escape_html": escape_html, "indent": indent}
    inner = "\n" + indent * (level + 1) if indent else ""
    outer = "\n" + indent * level if indent else ""
    if isinstance(value, Mapping):
        if not value:
            return "{}"
        keys = [str(k) for k in value]
        pairs = list(zip(keys, value.values(), strict=True))
        if sort_keys:
            pairs.sort(key=lambda kv: kv[0])
        colon = ": " if indent else ":"
        body = ("," + inner).join(
            quote(k, escape_html) + colon + marshal(v, level=level + 1, **kw) for k, v in pairs
        )
        return "{" + inner + body + outer + "}"
    if isinstance(value, list | tuple):
        if not value:
            return "[]"
        body = ("," + inner).join(marshal(v, level=level + 1, **kw) for v in value)
        return "[" + inner + body + outer + "]"
    raise FuncError(f"json: unsupported type: {type(value).__name__}")


def unmarshal(text: str) -> Any:
    """Go's json.Unmarshal into interface{}: numbers become floats."""
    try:
        return json.loads(text, parse_int=float, parse_constant=_reject)
    except (ValueError, RecursionError) as exc:
        raise FuncError(_json_error(exc)) from None


def _reject(name: str) -> Any:
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


def _json_error(exc: Exception) -> str:
    if isinstance(exc, json.JSONDecodeError):
        if exc.msg.startswith("Expecting value") and exc.pos >= len(exc.doc.rstrip()):
            return "unexpected end of JSON input"
        return f"invalid JSON: {exc.msg} at offset {exc.pos}"
    return str(exc)
