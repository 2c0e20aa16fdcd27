"""Go's `fmt` formatting for template values: `%v` printing, `Sprint`, `Sprintln`, `Sprintf`.

Python values stand for Go values of type `interface{}` holding: `string` (str),
`int` (int), `float64` (float), `bool` (bool), `map[string]interface {}` (dict),
`[]interface {}` (list) and nil (None). Maps print with sorted keys (`map[a:1 b:2]`),
lists as `[a b]`, nil as `<nil>` and floats as Go's shortest `%v` (`1e+06`, `0.5`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any


class Missing:
    """Go's invalid `reflect.Value`: what a missing map key or an absent value yields.

    Printed by an action as `<no value>`; passed to a function it becomes nil.
    """

    _instance: Missing | None = None

    def __new__(cls) -> Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING = Missing()


def go_type(value: Any) -> str:
    """The Go type name `%T` would print for a value of the data model."""
    if value is None or value is MISSING:
        return "<nil>"
    declared = getattr(value, "GO_TYPE", None)
    if isinstance(declared, str):
        return declared
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    if isinstance(value, Mapping):
        return "map[string]interface {}"
    if isinstance(value, list | tuple):
        return "[]interface {}"
    if callable(value):
        return "func"
    return type(value).__name__


def go_kind(value: Any) -> str:
    """The `reflect.Kind` name of a value (`map`, `slice`, `string`, `invalid`, ...)."""
    if value is None or value is MISSING:
        return "invalid"
    if isinstance(value, Mapping):
        return "map"
    if isinstance(value, list | tuple):
        return "slice"
    if callable(value) and not isinstance(value, str | int | float):
        return "func"
    name = go_type(value)
    return name if name in ("bool", "int", "float64", "string") else "struct"


def format_float(value: float, fmt: str = "g", prec: int = -1) -> str:
    """Go's strconv.FormatFloat for the 'g' (shortest), 'e' and 'f' formats."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if fmt == "f":
        return f"{value:.{6 if prec < 0 else prec}f}"
    if fmt == "e":
        if prec < 0:
            digits, exp = _shortest(value)
            mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
            sign = "-" if value < 0 or (value == 0 and math.copysign(1, value) < 0) else ""
            return f"{sign}{mantissa}e{_exp(exp)}"
        text = f"{value:.{prec}e}"
        mant, _, e = text.partition("e")
        return f"{mant}e{_exp(int(e))}"
    # 'g': %e form when the exponent is < -4 or >= the precision (6 for the shortest).
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    digits, exp = _shortest(value)
    sign = "-" if value < 0 else ""
    eprec = 6 if prec < 0 else prec
    if prec >= 0:
        text = f"{abs(value):.{max(prec, 1)}e}"
        mant, _, e = text.partition("e")
        digits = mant.replace(".", "").rstrip("0") or "0"
        exp = int(e)
        if len(digits) > eprec:
            digits = digits[:eprec]
    if exp < -4 or exp >= eprec:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{_exp(exp)}"
    if exp >= len(digits) - 1:
        return sign + digits + "0" * (exp - len(digits) + 1)
    if exp >= 0:
        return f"{sign}{digits[: exp + 1]}.{digits[exp + 1 :]}"
    return f"{sign}0.{'0' * (-exp - 1)}{digits}"


def _shortest(value: float) -> tuple[str, int]:
    """Shortest round-tripping decimal digits of |value| and its decimal exponent."""
    text = repr(abs(value))
    mant, _, e = text.partition("e")
    exp = int(e) if e else 0
    whole, _, frac = mant.partition(".")
    frac = frac.rstrip("0") if frac != "0" else ""
    digits = (whole + frac).lstrip("0")
    lead_zeros = len(whole + frac) - len((whole + frac).lstrip("0"))
    exp += len(whole) - 1 - lead_zeros
    return digits.rstrip("0") or "0", exp


def _exp(exp: int) -> str:
    return f"{'-' if exp < 0 else '+'}{abs(exp):02d}"


def format_value(value: Any) -> str:
    """Go's `fmt.Sprint(v)` / `%v` for one value."""
    if isinstance(value, str):
        return value
    if value is None or value is MISSING:
        return "<nil>"
    hook = getattr(value, "__go_format__", None)
    if hook is not None:
        return str(hook())
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return format_float(value)
    if isinstance(value, Mapping):
        items = sorted(value.items(), key=lambda kv: sort_key(kv[0]))
        return "map[" + " ".join(f"{format_value(k)}:{format_value(v)}" for k, v in items) + "]"
    if isinstance(value, list | tuple):
        return "[" + " ".join(format_value(v) for v in value) + "]"
    string_method = getattr(value, "String", None)
    if callable(string_method):
        return str(string_method())
    return str(value)


def sort_key(key: Any) -> tuple[int, Any]:
    """Order map keys as Go's fmt and text/template do: numbers, then strings."""
    if isinstance(key, bool):
        return (0, int(key))
    if isinstance(key, int | float):
        return (1, key)
    return (2, str(key))


def sprint(args: Sequence[Any]) -> str:
    """fmt.Sprint: spaces between operands when neither side is a string."""
    out: list[str] = []
    for i, arg in enumerate(args):
        if i > 0 and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(format_value(arg))
    return "".join(out)


def sprintln(args: Sequence[Any]) -> str:
    return " ".join(format_value(a) for a in args) + "\n"


def go_quote(text: str, ascii_only: bool = False) -> str:
    """strconv.Quote: a double-quoted Go string literal."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in _QUOTE_ESCAPES:
            out.append(_QUOTE_ESCAPES[ch])
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x7F or (not ascii_only and ch.isprintable()):
            out.append(ch)
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


_QUOTE_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_QUOTE_ESCAPES["\v"] = "\\v"


class _Spec:
    __slots__ = ("minus", "plus", "precision", "sharp", "space", "verb", "width", "zero")

    def __init__(self) -> None:
        self.minus = self.plus = self.sharp = self.zero = self.space = False
        self.width = -1
        self.precision = -1
        self.verb = ""


def sprintf(fmt: str, args: Sequence[Any]) -> str:
    """fmt.Sprintf with Go's verbs, flags, width and precision, and its error notation."""
    out: list[str] = []
    argi = 0
    i = 0
    n = len(fmt)
    while i < n:
        j = fmt.find("%", i)
        if j < 0:
            out.append(fmt[i:])
            break
        out.append(fmt[i:j])
        i = j + 1
        spec = _Spec()
        while i < n and fmt[i] in "+-# 0":
            flag = fmt[i]
            spec.plus |= flag == "+"
            spec.minus |= flag == "-"
            spec.sharp |= flag == "#"
            spec.space |= flag == " "
            spec.zero |= flag == "0"
            i += 1
        if i < n and fmt[i] == "*":
            i += 1
            spec.width, argi = _star(args, argi)
        else:
            start = i
            while i < n and fmt[i].isdigit():
                i += 1
            if i > start:
                spec.width = int(fmt[start:i])
        if i < n and fmt[i] == ".":
            i += 1
            if i < n and fmt[i] == "*":
                i += 1
                spec.precision, argi = _star(args, argi)
            else:
                start = i
                while i < n and fmt[i].isdigit():
                    i += 1
                spec.precision = int(fmt[start:i] or "0")
        if i >= n:
            out.append("%!(NOVERB)")
            break
        spec.verb = fmt[i]
        i += 1
        if spec.verb == "%":
            out.append("%")
            continue
        if argi >= len(args):
            out.append(f"%!{spec.verb}(MISSING)")
            continue
        out.append(_format_arg(args[argi], spec))
        argi += 1
    if argi < len(args):
        extra = ", ".join(f"{go_type(a)}={format_value(a)}" for a in args[argi:])
        out.append(f"%!(EXTRA {extra})")
    return "".join(out)


def _star(args: Sequence[Any], argi: int) -> tuple[int, int]:
    if argi < len(args) and isinstance(args[argi], int) and not isinstance(args[argi], bool):
        return int(args[argi]), argi + 1
    return -1, argi + 1


def _pad(text: str, spec: _Spec, numeric: bool = False) -> str:
    if spec.width < 0 or len(text) >= spec.width:
        return text
    fill = spec.width - len(text)
    if spec.minus:
        return text + " " * fill
    if spec.zero and numeric:
        sign = text[0] if text[:1] in ("-", "+", " ") else ""
        return sign + "0" * fill + text[len(sign) :]
    return " " * fill + text


def _bad(value: Any, spec: _Spec) -> str:
    if value is None or value is MISSING:
        return f"%!{spec.verb}(<nil>)"
    return f"%!{spec.verb}({go_type(value)}={format_value(value)})"


def _format_arg(value: Any, spec: _Spec) -> str:
    verb = spec.verb
    if verb == "T":
        return _pad(go_type(value), spec)
    if isinstance(value, list | tuple) and verb != "v":
        return "[" + " ".join(_format_arg(v, spec) for v in value) + "]"
    if isinstance(value, Mapping) and verb != "v":
        items = sorted(value.items(), key=lambda kv: sort_key(kv[0]))
        inner = " ".join(f"{_format_arg(k, spec)}:{_format_arg(v, spec)}" for k, v in items)
        return "map[" + inner + "]"
    if verb == "v":
        if isinstance(value, float):
            return _pad(_float(value, "g", spec), spec, True)
        if isinstance(value, int) and not isinstance(value, bool):
            return _pad(_int(value, 10, spec), spec, True)
        return _pad(format_value(value), spec)
    if isinstance(value, bool):
        return _pad("true" if value else "false", spec) if verb == "t" else _bad(value, spec)
    if isinstance(value, int):
        return _format_int(value, spec)
    if isinstance(value, float):
        if verb in "eEfFgG":
            return _pad(_float(value, verb, spec), spec, True)
        return _bad(value, spec)
    if isinstance(value, str):
        return _format_str(value, spec)
    return _bad(value, spec)


def _int(value: int, base: int, spec: _Spec) -> str:
    text = format(abs(value), {10: "d", 16: "x", 8: "o", 2: "b"}[base])
    if spec.precision >= 0:
        text = text.zfill(spec.precision)
    if spec.sharp and base == 16:
        text = "0x" + text
    elif spec.sharp and base == 8:
        text = "0" + text
    if value < 0:
        return "-" + text
    if spec.plus:
        return "+" + text
    if spec.space:
        return " " + text
    return text


def _format_int(value: int, spec: _Spec) -> str:
    verb = spec.verb
    if verb == "d":
        return _pad(_int(value, 10, spec), spec, True)
    if verb in "xX":
        text = _int(value, 16, spec)
        return _pad(text.upper() if verb == "X" else text, spec, True)
    if verb == "o":
        return _pad(_int(value, 8, spec), spec, True)
    if verb == "b":
        return _pad(_int(value, 2, spec), spec, True)
    if verb == "c":
        return _pad(chr(value), spec)
    if verb == "q":
        return _pad("'" + go_quote(chr(value))[1:-1].replace("'", "\\'") + "'", spec)
    if verb == "U":
        return _pad(f"U+{value:04X}", spec)
    if verb in "eEfFgG":
        return _bad(value, spec)
    return _bad(value, spec)


def _float(value: float, verb: str, spec: _Spec) -> str:
    lower = verb.lower()
    if lower == "f":
        text = format_float(value, "f", spec.precision)
    elif lower == "e":
        text = format_float(value, "e", 6 if spec.precision < 0 else spec.precision)
    else:
        text = format_float(value, "g", spec.precision)
    if verb.isupper():
        text = text.upper()
    if spec.plus and not text.startswith("-"):
        text = "+" + text
    elif spec.space and not text.startswith("-"):
        text = " " + text
    return text


def _format_str(value: str, spec: _Spec) -> str:
    verb = spec.verb
    if spec.precision >= 0 and verb in "sq":
        value = value[: spec.precision]
    if verb == "s":
        return _pad(value, spec)
    if verb == "q":
        if spec.sharp and "`" not in value and all(c.isprintable() for c in value):
            return _pad("`" + value + "`", spec)
        return _pad(go_quote(value, ascii_only=spec.plus), spec)
    if verb in "xX":
        raw = value.encode("utf-8").hex()
        if spec.space:
            raw = " ".join(raw[k : k + 2] for k in range(0, len(raw), 2))
        return _pad(raw.upper() if verb == "X" else raw, spec)
    return _bad(value, spec)
