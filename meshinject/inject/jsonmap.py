"""JSON objects kept in annotations and env values (userVolume, overrides, probers, ...)."""

from __future__ import annotations

import json
from typing import Any

from meshinject.errors import InjectionError


def json_mapping(text: object) -> dict[str, Any]:
    """The JSON object in `text`; `{}` when it is missing, not JSON, or not an object.

    These values are written by Istio or by hand; a damaged one is ignored, as Istio does.
    """
    if not isinstance(text, str) or not text:
        return {}
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
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
