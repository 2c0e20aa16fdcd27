"""JSON manifests stay JSON: a document written as JSON is rewritten as JSON.

Kubernetes accepts JSON manifests, and YAML reads them, so meshinject injects them like any
other document. Splicing the sidecar into the text would give YAML in a `.json` file;
instead the injected object is written back as JSON, indented as the original was.
"""

from __future__ import annotations

import json
from typing import Any


def json_like(original: str, data: Any) -> str | None:
    """`data` as JSON formatted like `original`, or None when `original` is not JSON."""
    try:
        model = json.loads(original)
    except ValueError:
        return None  # a YAML flow mapping such as `{kind: Pod}`: edit it as YAML
    data = ordered_like(data, model)
    body = original.rstrip()
    trailing = original[len(body) :]
    leading = original[: len(original) - len(original.lstrip())]
    indent = _indent(body)
    if indent is None:
        text = json.dumps(data, ensure_ascii=False)
    else:
        text = json.dumps(data, ensure_ascii=False, indent=indent)
    return leading + text + trailing


def _indent(body: str) -> int | str | None:
    """The original's indentation step: None for one-line JSON, else spaces or a tab."""
    for line in body.splitlines()[1:]:
        stripped = line.lstrip(" \t")
        if stripped and len(stripped) < len(line):
            prefix = line[: len(line) - len(stripped)]
            return "\t" if prefix.startswith("\t") else len(prefix)
    return None


def ordered_like(data: Any, model: Any) -> Any:
    """`data` with every mapping's keys in the order `model` (the document as it was) has
    them, a new key right after the one it follows: JSON is written from data, and
    injection may reorder a container it changes (Go's field order); uninject then gives
    back the file's own order (R9). List items pair up by `name`, else by position."""
    if isinstance(data, dict) and isinstance(model, dict):
        rank = {k: float(i) for i, k in enumerate(model)}
        ranks: dict[str, float] = {}
        last = -1.0
        for key in data:  # a new key stays right after the key it follows in `data`
            last = rank[key] if key in rank else last + 1e-6
            ranks[key] = last
        keys = sorted(data, key=ranks.__getitem__)
        return {k: ordered_like(data[k], model[k]) if k in model else data[k] for k in keys}
    if isinstance(data, list) and isinstance(model, list):
        named = {
            item.get("name"): item
            for item in model
            if isinstance(item, dict) and isinstance(item.get("name"), str)
        }
        paired = []
        for index, item in enumerate(data):
            name = item.get("name") if isinstance(item, dict) else None
            if isinstance(name, str) and name in named:
                paired.append(ordered_like(item, named[name]))
            elif not named and index < len(model):
                paired.append(ordered_like(item, model[index]))
            else:
                paired.append(item)
        return paired
    return data
