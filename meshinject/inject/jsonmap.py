"""JSON objects kept in annotations and env values (userVolume, overrides, probers, ...)."""

from __future__ import annotations

import json
from typing import Any

from meshinject.errors import InjectionError

# Nesting allowed in JSON kept in annotations and env values (as for YAML documents).
MAX_JSON_DEPTH = 500


def too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True if brackets in `text` (outside JSON strings) nest more than `limit` levels."""
    if text.count("{") + text.count("[") <= limit:
        return False  # the common case, at C speed
    depth = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "{[":
            depth += 1
            if depth > limit:
                return True
        elif char in "}]":
            depth -= 1
    return False


def json_mapping(text: object) -> dict[str, Any]:
    """The JSON object in `text`; `{}` when it is missing, not JSON, or not an object.

    These values are written by Istio or by hand; a damaged one is ignored, as Istio does.
    """
    if not isinstance(text, str) or not text or too_deep(text):
        return {}
    try:
        data = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def _no_constants(name: str) -> Any:
    raise ValueError(f"invalid character '{name[0]}' looking for beginning of value")


def template_json_object(annotations: dict[str, Any], name: str) -> dict[str, Any]:
    """The JSON object an annotation read by Istio's template holds (userVolume, ...).

    Istio's template ranges over `fromJSON` of the value: JSON `null` gives nothing, an
    object its entries; anything else (not JSON, an empty value, a list, a string, ...)
    makes Istio's render fail, so it is an error here too, naming the annotation.
    """
    if name not in annotations:
        return {}
    text = annotations[name]
    problem = ""
    try:
        data = json.loads(str(text), parse_constant=_no_constants)
    except ValueError as exc:
        problem = f"is not valid JSON ({getattr(exc, 'msg', exc)})"
    else:
        if data is None:
            return {}
        if isinstance(data, dict):
            return data
        problem = f"must be a JSON object, not a JSON {type(data).__name__}"
    raise InjectionError(
        f"annotation '{name}' {problem}: Istio's sidecar template fails on it",
        data_path=("metadata", "annotations", name),
    )
