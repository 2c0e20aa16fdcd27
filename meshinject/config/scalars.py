"""Scalar checks shared by the values and mesh-config models.

Each function takes the raw YAML/`--set` value and returns the normalised value or
raises `ValueError` with a message that names the offending input; the models turn
these into `ConfigError`s carrying the file, line and key path.
"""

from __future__ import annotations

import ipaddress
import re
from typing import Any

_TRUE = frozenset({"1", "t", "true"})
_FALSE = frozenset({"0", "f", "false"})

# Kubernetes resource.Quantity: sign, number, then a binary-SI, decimal-SI or exponent suffix.
_QUANTITY = re.compile(
    r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$"
)
_GO_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)")
_DURATION_UNITS_NS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
}


def show(value: Any) -> str:
    """A short, quoted rendering of a user value for error messages."""
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else repr(value[:57] + "...")
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    return str(value)


def to_bool(value: Any) -> bool:
    """YAML booleans, plus the strings Go's strconv.ParseBool accepts ("true", "False", "1")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in _TRUE:
        return True
    if isinstance(value, str) and value.strip().lower() in _FALSE:
        return False
    raise ValueError(f"expected true or false, got {show(value)}")


def to_int(value: Any, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Integers, and strings holding one (Helm values often quote numbers)."""
    number: int
    if isinstance(value, bool):
        raise ValueError(f"expected an integer, got {show(value)}")
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    elif isinstance(value, str) and re.fullmatch(r"[+-]?\d+", value.strip()):
        number = int(value.strip())
    else:
        raise ValueError(f"expected an integer, got {show(value)}")
    if minimum is not None and number < minimum:
        raise ValueError(f"must be at least {minimum}, got {number}")
    if maximum is not None and number > maximum:
        raise ValueError(f"must be at most {maximum}, got {number}")
    return number


def to_port(value: Any) -> int:
    """A TCP port number; 0 is allowed (Istio uses it to switch a feature off)."""
    try:
        return to_int(value, minimum=0, maximum=65535)
    except ValueError:
        raise ValueError(f"expected a port number (0-65535), got {show(value)}") from None


def to_text(value: Any) -> str:
    """A string; numbers and booleans are accepted and printed the way Helm prints them."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    raise ValueError(f"expected a string, got {show(value)}")


def to_quantity(value: Any) -> str | int | float:
    """A Kubernetes quantity (`100m`, `1Gi`, `2`); the original spelling is kept."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"invalid quantity {show(value)}")
    if isinstance(value, str) and not _QUANTITY.match(value.strip()):
        raise ValueError(f"invalid quantity {show(value)}")
    from meshinject.quantity import QuantityError, parse_quantity

    try:
        parse_quantity(str(value))  # also bounds the size: `1e99999999` is refused here
    except QuantityError as exc:
        raise ValueError(f"invalid quantity {show(value)}: {exc}") from None
    return value


def to_port_list(value: Any, *, wildcard: bool) -> str:
    """A comma-separated port list (`"15090,8080"`), or `*` when `wildcard` is allowed."""
    text = to_text(value)
    stripped = text.strip()
    if stripped == "" or (wildcard and stripped == "*"):
        return text
    for raw in stripped.split(","):
        port = raw.strip()
        if not port.isdigit() or not 0 <= int(port) <= 65535:
            where = f" in port list {show(text)}" if "," in stripped else ""
            raise ValueError(f"invalid port {port!r}{where}")
    return text


def to_cidr_list(value: Any, *, wildcard: bool) -> str:
    """A comma-separated list of CIDRs (`"10.0.0.0/8,fd00::/8"`), or `*` when allowed."""
    text = to_text(value)
    stripped = text.strip()
    if stripped == "" or (wildcard and stripped == "*"):
        return text
    for part in stripped.split(","):
        try:
            ipaddress.ip_network(part.strip(), strict=False)
        except ValueError:
            where = f" in {show(text)}" if "," in stripped else ""
            raise ValueError(f"invalid CIDR {part.strip()!r}{where}") from None
    return text


def parse_duration(value: Any) -> tuple[int, int]:
    """(seconds, nanos) of a protobuf Duration (`"45s"`, `"1.5s"`) or a Go duration (`"1m30s"`)."""
    if isinstance(value, bool) or not isinstance(value, str):
        raise ValueError(f"expected a duration such as '5s', got {show(value)}")
    text = value.strip()
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    pos = 0
    total_ns = 0
    for match in _GO_DURATION_PART.finditer(body):
        if match.start() != pos:
            break
        number, unit = match.groups()
        whole, _, frac = number.partition(".")
        scale = _DURATION_UNITS_NS[unit]
        total_ns += int(whole or "0") * scale
        if frac:
            total_ns += int(frac) * scale // 10 ** len(frac)
        pos = match.end()
    if pos == 0 or pos != len(body):
        raise ValueError(f"expected a duration such as '5s', got {show(value)}")
    total_ns *= sign
    seconds = int(total_ns / 1_000_000_000)
    return seconds, total_ns - seconds * 1_000_000_000


def format_duration(seconds: int, nanos: int) -> str:
    """Protobuf JSON form of a Duration: `45s`, `1.500s`, `0.000001s`."""
    sign = "-" if seconds < 0 or nanos < 0 else ""
    seconds, nanos = abs(seconds), abs(nanos)
    if nanos == 0:
        return f"{sign}{seconds}s"
    frac = f"{nanos:09d}"
    for digits in (3, 6):
        if frac[digits:] == "0" * (9 - digits):
            frac = frac[:digits]
            break
    return f"{sign}{seconds}.{frac}s"


def to_duration(value: Any) -> str:
    """A duration normalised to the protobuf JSON spelling."""
    return format_duration(*parse_duration(value))
