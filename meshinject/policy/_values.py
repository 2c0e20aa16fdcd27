"""Wording for "wrong YAML type" errors, shared by the selector and namespace parsers."""

from __future__ import annotations

from typing import Any

from meshinject.yamltypes import yaml_type_name


def expected(what: str, got: Any) -> str:
    """`expected a string, got boolean true`: an unquoted YAML true/1.5 is the usual cause."""
    if got is None:
        return f"expected {what}, got null"
    shown = str(got).lower() if isinstance(got, bool) else repr(got)
    return f"expected {what}, got {type_name(got)} {shown}"


def type_name(value: Any) -> str:
    """The YAML name of a loaded value's type."""
    return yaml_type_name(value, article=False)
