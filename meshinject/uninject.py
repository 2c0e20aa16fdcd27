"""Uninject: remove what an injection added, guided by the `sidecar.istio.io/status` annotation.

The containers, init containers, volumes and pull secrets the status lists are removed, the
app probes recorded in ISTIO_KUBE_APP_PROBERS and the Prometheus annotations recorded in
ISTIO_PROMETHEUS_ANNOTATIONS are restored, and the annotations and labels injection writes
are dropped. It never adds `sidecar.istio.io/inject: "false"`.
"""

from __future__ import annotations

import copy
from typing import Any

from meshinject.inject.document import (
    LIST_KINDS,
    WORKLOAD_KINDS,
    DocumentResult,
    InjectionRequest,
    WorkloadReport,
    _get,
    _pod_paths,
)
from meshinject.inject.status import OVERRIDES, STATUS, strip_injection

INJECTED_ANNOTATIONS = ("istio.io/rev", OVERRIDES)


def _uninject_workload(doc: dict[str, Any]) -> WorkloadReport | None:
    kind = str(doc.get("kind"))
    meta_path, spec_path = _pod_paths(kind)
    meta = _get(doc, meta_path)
    spec = _get(doc, spec_path)
    name = str((doc.get("metadata") or {}).get("name") or "")
    namespace = str((doc.get("metadata") or {}).get("namespace") or "default")
    if not isinstance(meta, dict) or not isinstance(spec, dict):
        return None
    annotations = meta.get("annotations") or {}
    if STATUS not in annotations:
        return WorkloadReport(kind, name, namespace, "skipped", "not injected (no sidecar.istio.io/status)")
    pod = strip_injection({"metadata": meta, "spec": spec})
    new_ann = dict(pod["metadata"].get("annotations") or {})
    for key in INJECTED_ANNOTATIONS:
        new_ann.pop(key, None)
    new_meta = dict(pod["metadata"])
    if new_ann:
        new_meta["annotations"] = new_ann
    else:
        new_meta.pop("annotations", None)
    meta.clear()
    meta.update(new_meta)
    parent = _get(doc, spec_path[:-1])
    parent[spec_path[-1]] = pod["spec"]
    return WorkloadReport(kind, name, namespace, "injected", "sidecar removed", rule="uninjected")


def uninject_document(data: Any, request: InjectionRequest) -> DocumentResult:
    if not isinstance(data, dict):
        return DocumentResult(data, False, [])
    new = copy.deepcopy(data)
    items = new.get("items") if data.get("kind") in LIST_KINDS else [new]
    reports = []
    for item in items or []:
        if isinstance(item, dict) and item.get("kind") in WORKLOAD_KINDS:
            report = _uninject_workload(item)
            if report is not None:
                reports.append(report)
    changed = new != data
    return DocumentResult(new if changed else data, changed, reports)
