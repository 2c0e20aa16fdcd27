"""Wording for "wrong YAML type" errors, shared by the selector and namespace parsers."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def expected(what: str, got: Any) -> str:
    """`expected a string, got boolean true`: an unquoted YAML true/1.5 is the usual cause."""
    if got is None:
        return f"expected {what}, got null"
    shown = str(got).lower() if isinstance(got, bool) else repr(got)
    return f"expected {what}, got {type_name(got)} {shown}"


def type_name(value: Any) -> str:
    """The YAML name of a loaded value's type."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "list"
    if isinstance(value, Mapping):
        return "mapping"
    return type(value).__name__
