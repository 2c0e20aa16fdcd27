"""JSON objects kept in annotations and env values (userVolume, overrides, probers, ...)."""

from __future__ import annotations

import json
from typing import Any


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
