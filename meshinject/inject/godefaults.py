"""The fields `istioctl kube-inject` adds by re-serialising objects through Go structs.

Istio decodes every injected object into its Go type and encodes it again, so a status
(`status: {}`, or zero-valued counters), empty update strategies and a few DeploymentConfig
defaults appear in its output, and zero-valued `omitempty` fields of the input disappear.
The `istio` output style reproduces exactly that (it is what the kube-inject goldens
hold); the `minimal` style leaves the object as the user wrote it, plus the sidecar.
"""

from __future__ import annotations

from typing import Any

_STATUS = {
    "DaemonSet": (
        "currentNumberScheduled",
        "desiredNumberScheduled",
        "numberMisscheduled",
        "numberReady",
    ),
    "StatefulSet": ("availableReplicas", "replicas"),
    "ReplicaSet": ("replicas",),
    "ReplicationController": ("replicas",),
    "DeploymentConfig": (
        "availableReplicas",
        "latestVersion",
        "observedGeneration",
        "replicas",
        "unavailableReplicas",
        "updatedReplicas",
    ),
}
_UPDATE_STRATEGY = frozenset({"DaemonSet", "StatefulSet"})
# DeploymentConfigSpec fields Go drops when zero (`omitempty`).
_DC_OMITEMPTY = {"paused": False, "minReadySeconds": 0, "revisionHistoryLimit": None}


def apply_go_defaults(doc: dict[str, Any]) -> None:
    """Add (in place) what Go's encoding of an injected object of this kind would show."""
    kind = doc.get("kind")
    spec = doc.get("spec")
    if isinstance(spec, dict):
        if kind in _UPDATE_STRATEGY and "updateStrategy" not in spec:
            spec["updateStrategy"] = {}
        if kind == "DeploymentConfig":
            spec.setdefault("test", False)
            for field, zero in _DC_OMITEMPTY.items():
                if field in spec and spec[field] == zero:
                    del spec[field]
    if "status" not in doc:  # a struct, so never omitted: `{}` when all its fields are (P60)
        doc["status"] = dict.fromkeys(_STATUS.get(str(kind), ()), 0)
