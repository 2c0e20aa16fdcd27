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
        json.loads(original)
    except ValueError:
        return None  # a YAML flow mapping such as `{kind: Pod}`: edit it as YAML
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
