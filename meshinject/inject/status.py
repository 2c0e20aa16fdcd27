"""The `sidecar.istio.io/status` annotation: what an injection added, and undoing it.

Istio records the names of the containers, init containers, volumes and pull secrets a
template added. Re-injection removes exactly those before injecting again, so injecting an
injected manifest (or upgrading it to a new config) gives the same result as injecting the
original.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from typing import Any

from meshinject.inject import prometheus

STATUS = "sidecar.istio.io/status"
OVERRIDES = "proxy.istio.io/overrides"
PROXY = "istio-proxy"


@dataclass(frozen=True)
class InjectionStatus:
    present: bool = False
    init_containers: tuple[str, ...] = ()
    containers: tuple[str, ...] = ()
    volumes: tuple[str, ...] = ()
    image_pull_secrets: tuple[str, ...] = ()
    revision: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, text: object) -> InjectionStatus:
        if not isinstance(text, str):
            return cls()
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return cls(present=True)
        if not isinstance(data, dict):
            return cls(present=True)

        def names(key: str) -> tuple[str, ...]:
            value = data.get(key)
            return tuple(str(v) for v in value) if isinstance(value, list) else ()

        return cls(
            present=True,
            init_containers=names("initContainers"),
            containers=names("containers"),
            volumes=names("volumes"),
            image_pull_secrets=names("imagePullSecrets"),
            revision=str(data.get("revision") or ""),
        )

    @classmethod
    def from_template(cls, template_pod: dict[str, Any], revision: str) -> InjectionStatus:
        spec = template_pod.get("spec") or {}

        def names(key: str) -> tuple[str, ...]:
            return tuple(str(i.get("name")) for i in spec.get(key) or [] if isinstance(i, dict))

        return cls(
            present=True,
            init_containers=names("initContainers"),
            containers=names("containers"),
            volumes=names("volumes"),
            image_pull_secrets=names("imagePullSecrets"),
            revision=revision or "default",
        )

    def render(self) -> str:
        def listed(items: tuple[str, ...]) -> list[str] | None:
            return list(items) if items else None

        return json.dumps(
            {
                "initContainers": listed(self.init_containers),
                "containers": listed(self.containers),
                "volumes": listed(self.volumes),
                "imagePullSecrets": listed(self.image_pull_secrets),
                "revision": self.revision,
            },
            separators=(",", ":"),
        )


def find_sidecar(spec: dict[str, Any]) -> dict[str, Any] | None:
    for key in ("containers", "initContainers"):
        for c in spec.get(key) or []:
            if isinstance(c, dict) and c.get("name") == PROXY:
                return c
    return None


def env_value(container: dict[str, Any] | None, name: str) -> str | None:
    for env in (container or {}).get("env") or []:
        if isinstance(env, dict) and env.get("name") == name:
            value = env.get("value")
            return value if isinstance(value, str) else None
    return None


def restore_probes(spec: dict[str, Any], probers_text: str | None) -> None:
    """Give app containers back the probes recorded in ISTIO_KUBE_APP_PROBERS."""
    if not probers_text:
        return
    try:
        probers = json.loads(probers_text)
    except json.JSONDecodeError:
        return
    if not isinstance(probers, dict):
        return
    fields = {"readyz": "readinessProbe", "livez": "livenessProbe", "startupz": "startupProbe",
              "prestopz": "preStop", "poststartz": "postStart"}
    for path, prober in probers.items():
        parts = str(path).strip("/").split("/")
        if len(parts) != 3 or parts[2] not in fields or not isinstance(prober, dict):
            continue
        kind, container_name, suffix = parts
        target = None
        for key in ("containers", "initContainers"):
            for c in spec.get(key) or []:
                if isinstance(c, dict) and c.get("name") == container_name:
                    target = c
        if target is None:
            continue
        holder = target.get("lifecycle") if kind == "app-lifecycle" else target
        if not isinstance(holder, dict):
            continue
        probe = holder.get(fields[suffix])
        if not isinstance(probe, dict):
            continue
        restored = {k: v for k, v in probe.items() if k not in ("httpGet", "tcpSocket", "grpc")}
        for action in ("httpGet", "tcpSocket", "grpc"):
            if action in prober:
                restored[action] = prober[action]
        holder[fields[suffix]] = restored


def strip_injection(pod: dict[str, Any]) -> dict[str, Any]:
    """Remove what a previous injection added (per its status annotation); copy of `pod`."""
    meta = pod.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    status = InjectionStatus.parse(annotations.get(STATUS))
    if not status.present:
        return pod
    out = copy.deepcopy(pod)
    spec = out.setdefault("spec", {})
    sidecar = find_sidecar(spec)
    restore_probes(spec, env_value(sidecar, "ISTIO_KUBE_APP_PROBERS"))
    prometheus.restore(out, env_value(sidecar, "ISTIO_PROMETHEUS_ANNOTATIONS"))
    removals = {
        "containers": status.containers,
        "initContainers": status.init_containers,
        "volumes": status.volumes,
        "imagePullSecrets": status.image_pull_secrets,
    }
    for key, names in removals.items():
        if key in spec and isinstance(spec[key], list):
            spec[key] = [i for i in spec[key] if not (isinstance(i, dict) and i.get("name") in names)]
            if not spec[key]:
                del spec[key]
    out_annotations = out["metadata"].setdefault("annotations", {})
    out_annotations.pop(STATUS, None)
    return out
