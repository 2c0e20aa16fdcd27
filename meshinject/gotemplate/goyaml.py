"""YAML output as Go's `sigs.k8s.io/yaml` (go-yaml v2) writes it, and YAML input.

`marshal` goes through JSON first, as sigs.k8s.io/yaml does: integral floats become
ints, map keys are sorted in go-yaml's natural order (`a2` before `a10`), block
sequences are not indented under their key, strings that would read back as another
type (`"true"`, `"1.0"`, `"2024-01-01"`, `""`) are double-quoted, strings that cannot
be plain are single-quoted, and multi-line strings use literal block style (`|-`).
Known difference: go-yaml folds plain strings longer than 80 columns onto several
lines; meshinject keeps them on one line (the YAML value is the same).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from .gojson import float_text
from .printing import MISSING, format_float
from .values import FuncError

_BOOL_WORDS = frozenset(
    [
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
    ]
)
_NULL_WORDS = frozenset(["", "~", "null", "Null", "NULL"])
_SPECIAL_FLOATS = frozenset(
    [
        ".inf",
        ".Inf",
        ".INF",
        "+.inf",
        "+.Inf",
        "+.INF",
        "-.inf",
        "-.Inf",
        "-.INF",
        ".nan",
        ".NaN",
        ".NAN",
    ]
)
_FLOAT_RE = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_BASE60_RE = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
_TIMESTAMP_RE = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    r"(?:(?:[Tt]|[ \t]+)\d{1,2}:\d{1,2}:\d{1,2}(?:\.\d*)?(?:[ \t]*(?:Z|[-+]\d{1,2}(?::\d{2})?))?)?$"
)
_INT_RE = re.compile(r"^[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]+|0[bB][01]+|[0-9]+)$")


def _resolves_to_non_string(s: str) -> bool:
    if s in _NULL_WORDS or s in _BOOL_WORDS or s in _SPECIAL_FLOATS or s == "<<":
        return True
    if not s or s[0] not in "0123456789+-.":
        return False
    plain = s.replace("_", "")
    if _INT_RE.match(plain) or _FLOAT_RE.match(plain):
        return True
    if plain.startswith(("-0b", "+0b")) and set(plain[3:]) <= set("01") and plain[3:]:
        return True
    return bool(s[0].isdigit() and _TIMESTAMP_RE.match(s)) or bool(_BASE60_RE.match(s))


def _plain_allowed(s: str) -> bool:
    """go-yaml's scalar analysis for a single-line string in block context."""
    if s.startswith(("---", "...")):
        return False
    if s[0] in " \t" or s[-1] in " \t":
        return False
    if s[0] in "#,[]{}&*!|>'\"%@`":
        return False
    if s[0] in "?:-" and (len(s) == 1 or s[1] in " \t"):
        return False
    for i, ch in enumerate(s):
        if ch == ":" and (i + 1 == len(s) or s[i + 1] in " \t"):
            return False
        if ch == "#" and i > 0 and s[i - 1] in " \t":
            return False
        if not ch.isprintable() or ch == "\ufeff":
            return False
    return True


def _double_quoted(s: str) -> str:
    out = ['"']
    for ch in s:
        code = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif ch.isprintable() and ch != "\ufeff":
            out.append(ch)
        elif code <= 0xFF:
            out.append(f"\\x{code:02X}")
        elif code <= 0xFFFF:
            out.append(f"\\u{code:04X}")
        else:
            out.append(f"\\U{code:08X}")
    out.append('"')
    return "".join(out)


def _literal_allowed(s: str) -> bool:
    lines = s.split("\n")
    if any(not ch.isprintable() and ch != "\n" for ch in s):
        return False
    # go-yaml refuses block style when a line has trailing spaces before a break.
    return not any(line.endswith((" ", "\t")) for line in lines[:-1])


def _string(s: str, indent: int, is_key: bool) -> str:
    if "\n" in s and not is_key and _literal_allowed(s):
        stripped = s.rstrip("\n")
        trailing = len(s) - len(stripped)
        chomp = "-" if trailing == 0 else ("" if trailing == 1 else "+")
        indicator = str(2) if s[:1] in (" ", "\n") else ""
        pad = " " * (indent + 2)
        body_lines = s[: len(s) - 1].split("\n") if trailing else s.split("\n")
        body = "\n".join(pad + line if line else "" for line in body_lines)
        return f"|{indicator}{chomp}\n{body}"
    if "\n" in s or _resolves_to_non_string(s):
        return _double_quoted(s)
    if _plain_allowed(s):
        return s
    if all(ch.isprintable() for ch in s):
        return "'" + s.replace("'", "''") + "'"
    return _double_quoted(s)


def _natural_less(a: str, b: str) -> bool:
    """go-yaml v2's key order: letters by code point, digit runs by numeric value."""
    for i in range(min(len(a), len(b))):
        ca, cb = a[i], b[i]
        if ca == cb:
            continue
        la, lb = ca.isalpha(), cb.isalpha()
        if la and lb:
            return ca < cb
        if la or lb:
            return lb
        an = bn = 0
        if ca == "0" or cb == "0":
            j = i - 1
            while j >= 0 and a[j].isdigit():
                if a[j] != "0":
                    an = bn = 1
                    break
                j -= 1
        ai = i
        while ai < len(a) and a[ai].isdigit():
            an = an * 10 + int(a[ai])
            ai += 1
        bi = i
        while bi < len(b) and b[bi].isdigit():
            bn = bn * 10 + int(b[bi])
            bi += 1
        if an != bn:
            return an < bn
        if ai != bi:
            return ai < bi
        return ca < cb
    return len(a) < len(b)


class _Key:
    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __lt__(self, other: _Key) -> bool:
        return _natural_less(self.text, other.text)


def _scalar(value: Any, indent: int, is_key: bool = False) -> str:
    if value is None or value is MISSING:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = float_text(value)  # the JSON round trip decides int or float
        if "e" in text or "." in text:
            return format_float(float(text), "g")
        return text
    if isinstance(value, str):
        return _string(value, indent, is_key)
    raise FuncError(f"json: unsupported type: {type(value).__name__}")


def _emit(value: Any, indent: int, out: list[str]) -> None:
    """Append the block-style lines for a mapping or sequence value at `indent`."""
    pad = " " * indent
    if isinstance(value, Mapping):
        for key in sorted((str(k) for k in value), key=_Key):
            item = value[key] if key in value else _lookup(value, key)
            head = f"{pad}{_scalar(key, indent, is_key=True)}:"
            _emit_item(head, item, indent, out, in_sequence=False)
    else:
        for item in value:
            _emit_item(f"{pad}-", item, indent, out, in_sequence=True)


def _lookup(mapping: Mapping[Any, Any], key: str) -> Any:
    for k, v in mapping.items():
        if str(k) == key:
            return v
    return None


def _emit_item(head: str, item: Any, indent: int, out: list[str], in_sequence: bool) -> None:
    if isinstance(item, Mapping) and item:
        if in_sequence:
            sub: list[str] = []
            _emit(item, indent + 2, sub)
            out.append(head + " " + sub[0].lstrip(" "))
            out.extend(sub[1:])
        else:
            out.append(head)
            _emit(item, indent + 2, out)
    elif isinstance(item, list | tuple) and item:
        if in_sequence:
            sub = []
            _emit(item, indent + 2, sub)
            out.append(head + " " + sub[0].lstrip(" "))
            out.extend(sub[1:])
        else:
            out.append(head)
            _emit(item, indent, out)
    elif isinstance(item, Mapping):
        out.append(head + " {}")
    elif isinstance(item, list | tuple):
        out.append(head + " []")
    else:
        out.append(head + " " + _scalar(item, indent))


def marshal(value: Any) -> str:
    """sigs.k8s.io/yaml.Marshal: YAML text ending in a newline."""
    from .gotypes import go_json

    value = go_json(value)
    if isinstance(value, Mapping):
        if not value:
            return "{}\n"
    elif isinstance(value, list | tuple):
        if not value:
            return "[]\n"
    else:
        return _scalar(value, -2) + "\n"
    out: list[str] = []
    _emit(value, 0, out)
    return "\n".join(out) + "\n"


def unmarshal(text: str) -> Any:
    """sigs.k8s.io/yaml.Unmarshal into interface{}: via JSON, so numbers are floats."""
    loader = YAML(typ="safe", pure=True)
    loader.version = (1, 1)
    try:
        data = loader.load(text)
    except YAMLError as exc:
        raise FuncError(f"error converting YAML to JSON: {exc}") from None
    return _jsonish(data)


def _jsonish(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, dict):
        return {str(k): _jsonish(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonish(v) for v in value]
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
