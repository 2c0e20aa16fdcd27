"""Entries of a ResourceList's `results`: severity, message, resourceRef and file.

The file comes from the item's `config.kubernetes.io/path` and `index` annotations (or their
`internal.` forms), so kpt and kustomize can point at the source file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def resource_ref(item: Any) -> dict[str, str]:
    """A `resourceRef` for a KRM result: the item's apiVersion, kind, name and namespace
    (those it has, as strings); `{}` for something that is not an object.
    """
    if not isinstance(item, Mapping):
        return {}
    meta = item.get("metadata")
    if not isinstance(meta, Mapping):
        meta = {}
    ref = {
        "apiVersion": item.get("apiVersion"),
        "kind": item.get("kind"),
        "name": meta.get("name"),
        "namespace": meta.get("namespace"),
    }
    return {k: str(v) for k, v in ref.items() if v}


def ref_key(ref: Mapping[str, str]) -> tuple[str, str, str]:
    """(kind, namespace, name) of a `resourceRef`, the namespace `default` when unset."""
    return ref.get("kind", ""), ref.get("namespace", "default"), ref.get("name", "")


def result_entry(
    severity: str, message: str, ref: Mapping[str, str] | None = None, item: Any = None
) -> dict[str, Any]:
    """One entry of a ResourceList's `results`: `severity` (error, warning, info), the
    `message`, the `resourceRef` (a `default` namespace left out) and, from the item's
    `config.kubernetes.io/path`/`index` annotations, the `file` it came from.
    """
    out: dict[str, Any] = {"message": message, "severity": severity}
    if ref:
        out["resourceRef"] = {k: v for k, v in ref.items() if k != "namespace" or v != "default"}
        annotations = _annotations(item)
        path = annotations.get("internal.config.kubernetes.io/path") or annotations.get(
            "config.kubernetes.io/path"
        )
        if path:
            out["file"] = {"path": str(path)}
            index = annotations.get("internal.config.kubernetes.io/index") or annotations.get(
                "config.kubernetes.io/index"
            )
            if index is not None and str(index).isdigit():
                out["file"]["index"] = int(str(index))
    return out


def _annotations(item: Any) -> Mapping[str, Any]:
    meta = item.get("metadata") if isinstance(item, Mapping) else None
    annotations = meta.get("annotations") if isinstance(meta, Mapping) else None
    return annotations if isinstance(annotations, Mapping) else {}


def result_text(result: Mapping[str, Any]) -> str:
    """A result as one line for stderr: `Kind name: message`."""
    ref = result.get("resourceRef") or {}
    where = f"{ref.get('kind')} {ref.get('name')}: " if ref else ""
    return f"{where}{result['message']}"
