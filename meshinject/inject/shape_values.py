"""`shape_values`: the strings that tell one workload from another of the same shape.

Rendered templates and injected documents are parsed through
`meshinject.yamltext.masked.load_masked`, which masks these strings and parses each
distinct masked text once. Which strings are masked never changes a result (the masked
loader is exact for any values, see there); it only decides how often a text is found
among the shapes already parsed. These are the strings that vary between workloads
built from one template: names, namespaces, label and annotation values, images,
environment values and resource amounts.
"""

from __future__ import annotations

import re
from typing import Any

from meshinject.yamltext.masked import safe_values

_CONTAINER_LISTS = ("initContainers", "containers", "ephemeralContainers")
_MAX_DEPTH = 8  # Deployment -> spec -> template -> spec -> containers (CronJob: deeper)


def shape_values(document: Any, *extra: object) -> list[str]:
    """The maskable strings of a Kubernetes document (`extra` first), in document order."""
    found: list[object] = list(extra)
    _collect(document, found, 0)
    return safe_values(found)


def _collect(node: Any, found: list[object], depth: int) -> None:
    if depth > _MAX_DEPTH or not isinstance(node, dict):
        return
    for key, value in node.items():
        if key == "metadata" and isinstance(value, dict):
            found.append(value.get("name"))
            found.append(value.get("namespace"))
            for field in ("labels", "annotations"):
                entries = value.get(field)
                if isinstance(entries, dict):
                    found.extend(entries.values())
        elif key in _CONTAINER_LISTS and isinstance(value, list):
            for container in value:
                if isinstance(container, dict):
                    _container(container, found)
        elif isinstance(value, dict):
            _collect(value, found, depth + 1)
        elif isinstance(value, list) and key == "items":  # a List's workloads
            for item in value:
                _collect(item, found, depth + 1)


def _container(container: dict[str, Any], found: list[object]) -> None:
    # Not container names and ports: workloads of one shape mostly share them (`app`,
    # `http`, 8080), and short common words masked everywhere only add slots to fill.
    found.append(container.get("image"))
    for variable in _dicts(container.get("env")):
        found.append(variable.get("value"))
    resources = container.get("resources")
    if isinstance(resources, dict):
        for amounts in resources.values():
            if isinstance(amounts, dict):
                found.extend(amounts.values())


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


# Lines whose scalar usually differs between workloads of one shape: names, namespaces,
# labels, images, environment values, amounts, paths. Only a guess from the text (the
# data is not read yet): which strings are masked never changes a parse (see masked.py).
_VARYING_LINE = re.compile(
    r"^[ \t-]*(?:name|namespace|app|version|image|serviceAccountName|value|cpu|memory"
    r"|mountPath|claimName|secretName|app\.kubernetes\.io/[a-z]+)[ \t]*:[ \t]+([^\n#]+)",
    re.MULTILINE,
)


def text_values(text: str) -> list[str]:
    """The maskable strings of a document's text, found without parsing it (for parsing
    an input document through `load_masked`), in text order."""
    return safe_values(value.strip(" \t\r'\"") for value in _VARYING_LINE.findall(text))
