"""Naming a loaded value's type the way a YAML author thinks of it, for messages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def yaml_type_name(value: Any, *, article: bool = True) -> str:
    """`a mapping`, `a list`, `a string`, `a number`, `a boolean` or `null` (no Python names)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        name = "boolean"
    elif isinstance(value, int | float):
        name = "number"
    elif isinstance(value, str):
        name = "string"
    elif isinstance(value, Mapping):
        name = "mapping"
    elif isinstance(value, list):
        name = "list"
    else:
        name = type(value).__name__
    return f"a {name}" if article else name
