"""The Kubernetes kinds Istio injects, and where each keeps its pod template."""

from __future__ import annotations

from typing import Any

POD_TEMPLATE_KINDS = frozenset(
    {
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "DeploymentConfig",
    }
)
WORKLOAD_KINDS = POD_TEMPLATE_KINDS | {"Pod", "CronJob"}
LIST_KINDS = frozenset({"List"})


def pod_paths(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(path of the metadata Istio reads and writes, path of the pod spec)."""
    if kind == "Pod":
        return ("metadata",), ("spec",)
    if kind == "CronJob":
        return ("spec", "jobTemplate", "metadata"), (
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "spec",
        )
    return ("spec", "template", "metadata"), ("spec", "template", "spec")


def get_path(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
