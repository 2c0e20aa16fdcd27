"""Copying parsed YAML data: plain dicts, lists and scalars, nothing else.

`copy.deepcopy` keeps a memo for shared and cyclic objects that YAML data never has (the
loader expands aliases into independent copies), and that bookkeeping made copying the
single largest cost of injecting a large stream.
"""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")


def clone(value: T) -> T:
    """A deep copy of JSON-like data."""
    kind = type(value)
    if kind is dict:
        return {k: clone(v) for k, v in value.items()}  # type: ignore[attr-defined,return-value]
    if kind is list:
        return [clone(v) for v in value]  # type: ignore[attr-defined,return-value]
    return value
