"""Scalar resolution: YAML 1.1 implicit types as PyYAML's SafeLoader, minus timestamps.

Kubernetes reads manifests with go-yaml v2 (YAML 1.1), so `yes`, `on`, `0x1F`, `017` and
`1_000` are not strings there. We follow PyYAML's resolver tables exactly (they are the
reference the tests compare against), except that timestamps stay strings: Kubernetes
fields are never YAML timestamps and round-tripping them through `datetime` loses text.
"""

from __future__ import annotations

import math
import re
import struct

from meshinject.errors import InputError, Location

Scalar = str | int | float | bool | None

_BOOL_NULL: dict[str, Scalar] = {
    **dict.fromkeys(("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True),
    **dict.fromkeys(("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False),
    **dict.fromkeys(("", "~", "null", "Null", "NULL")),
}
_INT = re.compile(
    r"[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
)
_FLOAT = re.compile(
    r"[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)"
)
# First characters that can start a non-string plain scalar; anything else is a string.
_NUMBER_START = frozenset("-+0123456789.")
_SPECIAL_START = frozenset("yYnNtTfFoO~") | _NUMBER_START
# A plain scalar whose first character is not in here is a string (composers test this
# inline before calling `resolve_plain`).
SPECIAL_START = _SPECIAL_START


def _sexagesimal(digits: str) -> list[int]:
    return [int(part) for part in digits.split(":")]


def construct_int(text: str) -> int:
    value = text.replace("_", "")
    sign = 1
    if value[0] in "+-":
        sign = -1 if value[0] == "-" else 1
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        total = 0
        for part in _sexagesimal(value):
            total = total * 60 + part
        return sign * total
    return sign * int(value)


def construct_float(text: str) -> float:
    value = text.replace("_", "").lower()
    sign = 1.0
    if value[0] in "+-":
        sign = -1.0 if value[0] == "-" else 1.0
        value = value[1:]
    if value == ".inf":
        return sign * math.inf
    if value == ".nan":
        return math.nan
    if ":" in value:
        total = 0.0
        for part in value.split(":"):
            total = total * 60 + float(part)
        return sign * total
    return sign * float(value)


def resolve_plain(text: str) -> Scalar:
    """The value of an untagged plain scalar."""
    if not text:
        return None
    if text[0] not in _SPECIAL_START:
        return text
    special = _BOOL_NULL.get(text, text)
    if special is not text:
        return special
    if text[0] in _NUMBER_START:
        if _INT.fullmatch(text):
            return construct_int(text)
        if _FLOAT.fullmatch(text):
            return construct_float(text)
    return text


# What other YAML readers retype, beyond the PyYAML tables above. go-yaml v2 (Kubernetes'
# reader, through sigs.k8s.io/yaml) resolves by first character: y/n words, `<<`, any
# Go `ParseInt(s, 0, 64)` / `ParseUint` after removing `_` (so `0o17`, `0b1`, `0x1F`, `+1`),
# floats `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` (so `8675e30`, `1e3`), and
# timestamps `YYYY-M-D[( |t|T)h:m:s[.f][zone]]`. YAML 1.2 core adds nothing beyond those;
# YAML 1.1 adds timestamps with the same shape and `=` (the value key).
_GO_WORDS = frozenset(("y", "Y", "n", "N", "<<", "="))
_GO_INT = re.compile(r"[-+]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|[0-9]+)")
_GO_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::?[0-9]{2})?))?)?"
)


def retyped(text: str) -> bool:
    """True if some reader (PyYAML/YAML 1.1, YAML 1.2 core, go-yaml v2) would not read
    `text`, written as a plain scalar, back as this string: such strings must be quoted."""
    if not text:
        return True
    first = text[0]
    if first not in _SPECIAL_START and first not in "<=":
        return False
    if text in _GO_WORDS or not isinstance(resolve_plain(text), str):
        return True
    if first not in _NUMBER_START:
        return False
    plain = text.replace("_", "")
    return bool(
        _GO_INT.fullmatch(plain) or _GO_FLOAT.fullmatch(plain) or _TIMESTAMP.fullmatch(text)
    )


_TAG_PREFIX = "tag:yaml.org,2002:"


def resolve_tagged(text: str, tag: str, quoted: bool, line: int, col: int) -> Scalar:
    """The value of a scalar with an explicit tag (`!!str 1`, `!!int "3"`, `! x`)."""
    if tag == "!" or tag == _TAG_PREFIX + "str":
        return text
    name = tag[len(_TAG_PREFIX) :] if tag.startswith(_TAG_PREFIX) else ""
    if name in ("binary", "timestamp"):
        return text
    plain = resolve_plain(text)
    expected: dict[str, tuple[type, ...]] = {
        "int": (int,),
        "float": (float, int),
        "bool": (bool,),
        "null": (type(None),),
    }
    if name in expected:
        if name == "float" and _INT.fullmatch(text):
            return float(construct_int(text))
        if isinstance(plain, expected[name]) and not (name != "bool" and isinstance(plain, bool)):
            return plain
        raise InputError(f"cannot read {text!r} as !!{name}", Location(line=line, column=col))
    raise InputError(f"unsupported tag {tag!r}", Location(line=line, column=col))


def key_string(key: Scalar, line: int, col: int) -> str:
    """A mapping key as Kubernetes sees it after its YAML-to-JSON conversion.

    sigs.k8s.io/yaml turns int, float and bool keys into their string form (`1:` -> "1",
    `on:` -> "true") and rejects null keys; we do the same so `data` is what the API
    server would store.
    """
    if isinstance(key, str):
        return key
    if isinstance(key, bool):
        return "true" if key else "false"
    if isinstance(key, int):
        return str(key)
    if isinstance(key, float):
        if math.isnan(key):
            return ".nan"
        if math.isinf(key):
            return ".inf" if key > 0 else "-.inf"
        return _go_float32(key)
    raise InputError(
        'a key cannot be null; quote it ("null" or "~") to use it as text',
        Location(line=line, column=col),
    )


def _go_float32(value: float) -> str:
    # Go formats float keys with FormatFloat(v, 'g', -1, 32): the shortest text that
    # round-trips as a float32.
    target = struct.unpack("f", struct.pack("f", value))[0]
    for digits in range(1, 10):
        text = f"{target:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == target:
            return text
    return repr(target)
