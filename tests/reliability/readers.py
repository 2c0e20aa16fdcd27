"""How other YAML readers type a plain scalar: go-yaml v2, YAML 1.2 core, YAML 1.1.

Written from the readers' rules, independently of meshinject's own resolver, so that the
property tests compare meshinject against the readers and not against itself. Where a
rule is not modelled exactly the model says "not a string" (stricter, never laxer).
"""

from __future__ import annotations

import re

import yaml

_GO_MAP = {
    *("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE"),
    *("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE"),
    *("~", "null", "Null", "NULL", "", "<<"),
    *(".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF"),
    *("+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"),
}
_GO_STYLE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_GO_PARSE_FLOAT = re.compile(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")
_DATE = re.compile(r"^[0-9]{4}-")
_DIGITS = {2: "01", 8: "01234567", 10: "0123456789", 16: "0123456789abcdefABCDEF"}


def _go_parse_int(text: str) -> bool:
    """strconv.ParseInt(text, 0, 64) or ParseUint succeeds (range not modelled)."""
    body = text[1:] if text[:1] in "+-" else text
    prefix = body[:2].lower()
    if prefix in ("0x", "0b", "0o"):
        base, digits = {"0x": 16, "0b": 2, "0o": 8}[prefix], body[2:]
    elif body[:1] == "0" and len(body) > 1:
        base, digits = 8, body[1:]
    else:
        base, digits = 10, body
    return bool(digits) and all(c in _DIGITS[base] for c in digits)


def go_yaml_v2_string(text: str) -> bool:
    """go-yaml v2 (`resolve()` in resolve.go) reads plain `text` as a string."""
    if text in _GO_MAP:
        return False
    hint = text[:1]
    if hint == ".":
        return not _GO_PARSE_FLOAT.match(text)
    if hint and hint in "+-0123456789":
        if _DATE.match(text) and re.match(r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}", text):
            return False  # a timestamp candidate (time.Parse not modelled: stricter)
        plain = text.replace("_", "")
        if _go_parse_int(plain) or _GO_STYLE_FLOAT.match(plain):
            return False
        for sign in ("", "-", "+"):
            rest = plain[len(sign) + 2 :]
            if plain.startswith(sign + "0b") and rest and set(rest) <= set("01"):
                return False
    return True


_CORE_12 = re.compile(
    r"^(?:null|Null|NULL|~|true|True|TRUE|false|False|FALSE"
    r"|[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def yaml_12_core_string(text: str) -> bool:
    return bool(text) and not _CORE_12.match(text)


def yaml_11_string(text: str) -> bool:
    """PyYAML (YAML 1.1, timestamps included) reads plain `text` as this string."""
    try:
        value = yaml.load(f"v: {text}\n", Loader=yaml.CSafeLoader)["v"]
    except yaml.YAMLError:
        return False
    return value == text and isinstance(value, str)


def every_reader_string(text: str) -> bool:
    return go_yaml_v2_string(text) and yaml_12_core_string(text) and yaml_11_string(text)


def typed_by_some_reader(node: yaml.ScalarNode) -> bool:
    """A scalar node meant as a string that some reader would read as another type."""
    return not node.style and not every_reader_string(node.value)
