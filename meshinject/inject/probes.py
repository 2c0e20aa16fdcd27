"""Application probe rewriting: kubelet probes go through the sidecar's status port.

With mTLS the kubelet cannot reach the app's HTTP/TCP/gRPC probes directly, so Istio points
each probe at the agent (`/app-health/<container>/readyz` on the status port) and hands the
original probes to the agent in `ISTIO_KUBE_APP_PROBERS`. Lifecycle hooks are treated alike
(`/app-lifecycle/<container>/prestopz`). Exec probes are left alone.
"""

from __future__ import annotations

import json
from typing import Any

from meshinject.datacopy import clone
from meshinject.inject.gonormal import go_marshal_data
from meshinject.inject.jsonmap import json_mapping

PROXY = "istio-proxy"
PROBES = (("readinessProbe", "readyz"), ("livenessProbe", "livez"), ("startupProbe", "startupz"))
HOOKS = (("preStop", "prestopz"), ("postStart", "poststartz"))
# The corev1 type of each probe action: the agent's copy is that type as Go marshals it.
_ACTION_TYPES = {"httpGet": "HTTPGetAction", "tcpSocket": "TCPSocketAction", "grpc": "GRPCAction"}


def app_health_path(container: str, suffix: str) -> str:
    return f"/app-health/{container}/{suffix}"


def app_lifecycle_path(container: str, suffix: str) -> str:
    return f"/app-lifecycle/{container}/{suffix}"


def _containers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for field in ("containers", "initContainers"):
        for c in spec.get(field) or []:
            if isinstance(c, dict) and c.get("name") != PROXY:
                out.append(c)
    return out


def _named_ports(container: dict[str, Any]) -> dict[str, Any]:
    ports: dict[str, Any] = {}
    for port in container.get("ports") or []:
        if isinstance(port, dict) and port.get("name"):
            ports[str(port["name"])] = port.get("containerPort")
    return ports


def _prober(probe: Any, ports: dict[str, int], target_port: int) -> dict[str, Any] | None:
    """The agent's view of a kubelet probe, with named ports resolved; None = not rewritten."""
    if not isinstance(probe, dict):
        return None
    timeout = probe.get("timeoutSeconds")
    for action in ("httpGet", "tcpSocket", "grpc"):
        spec = probe.get(action)
        if not isinstance(spec, dict):
            continue
        spec = clone(spec)
        if action != "grpc":
            port = spec.get("port")
            if isinstance(port, str) and not port.isdigit():
                if port not in ports:
                    return None
                spec["port"] = ports[port]
            elif port is not None and int(port) == target_port:
                return None  # already points at the agent
        # json.Marshal of the typed action: Go's field order (`path` before `port`), and a
        # gRPC probe's unset `service` (a pointer without omitempty) as `null` (P43, P44).
        out: dict[str, Any] = {action: go_marshal_data(spec, _ACTION_TYPES[action])}
        if timeout:
            out["timeoutSeconds"] = timeout
        return out
    return None


def dump_app_probers(spec: dict[str, Any], target_port: int) -> dict[str, Any]:
    """Collect the probes the agent must run, keyed by their rewritten path."""
    out: dict[str, Any] = {}
    for container in _containers(spec):
        name = str(container.get("name"))
        ports = _named_ports(container)
        for field, suffix in PROBES:
            prober = _prober(container.get(field), ports, target_port)
            if prober:
                out[app_health_path(name, suffix)] = prober
        lifecycle = container.get("lifecycle")
        if isinstance(lifecycle, dict):
            for field, suffix in HOOKS:
                prober = _prober(lifecycle.get(field), ports, target_port)
                if prober:
                    out[app_lifecycle_path(name, suffix)] = prober
    return dict(sorted(out.items()))


def _rewritten(probe: Any, path: str, status_port: int, *, hook: bool) -> Any:
    if not isinstance(probe, dict):
        return probe
    if isinstance(probe.get("httpGet"), dict):
        new = dict(probe)
        http = dict(probe["httpGet"])
        http["port"] = status_port
        http["path"] = path
        if http.get("scheme") == "HTTPS":
            http["scheme"] = "HTTP"
        new["httpGet"] = http
        return new
    for action in ("tcpSocket",) if hook else ("tcpSocket", "grpc"):
        if isinstance(probe.get(action), dict):
            # httpGet takes the replaced action's place, so the text edit stays in place
            # (and uninject can put the action back where it was).
            http = {"path": path, "port": status_port}
            return {
                ("httpGet" if k == action else k): (http if k == action else v)
                for k, v in probe.items()
            }
    return probe


def rewrite_probes(spec: dict[str, Any], status_port: int) -> None:
    """Point every HTTP/TCP/gRPC probe and hook of the app containers at the agent, in place."""
    for container in _containers(spec):
        name = str(container.get("name"))
        for field, suffix in PROBES:
            if field in container:
                path = app_health_path(name, suffix)
                container[field] = _rewritten(container[field], path, status_port, hook=False)
        lifecycle = container.get("lifecycle")
        if isinstance(lifecycle, dict):
            lifecycle = dict(lifecycle)
            for field, suffix in HOOKS:
                if field in lifecycle:
                    path = app_lifecycle_path(name, suffix)
                    lifecycle[field] = _rewritten(lifecycle[field], path, status_port, hook=True)
            container["lifecycle"] = lifecycle


def probers_json(probers: dict[str, Any]) -> str:
    return json.dumps(probers, separators=(",", ":"), ensure_ascii=False)


# --- Undo (uninject and re-injection) ---------------------------------------------------

# Probe field for each path suffix of ISTIO_KUBE_APP_PROBERS.
_PROBE_FIELDS = {suffix: name for name, suffix in PROBES + HOOKS}
_ACTIONS = ("httpGet", "tcpSocket", "grpc")


def _port_name(container: dict[str, Any], port: Any) -> Any:
    """The name of the container port `port` resolves from, if it has one (else `port`)."""
    if not isinstance(port, int) or isinstance(port, bool):
        return port
    for declared in container.get("ports") or []:
        if (
            isinstance(declared, dict)
            and declared.get("containerPort") == port
            and isinstance(declared.get("name"), str)
            and declared["name"]
        ):
            return declared["name"]
    return port


def _in_order_of(value: dict[str, Any], rewritten: Any) -> dict[str, Any]:
    """`value` with the keys the rewritten `httpGet` also has in that one's order (the
    user's order: rewriting changes values in place), the others after them."""
    if not isinstance(rewritten, dict):
        return value
    first = {k: value[k] for k in rewritten if k in value}
    return first | value


def restore_probes(spec: dict[str, Any], probers_text: str | None) -> None:
    """Give app containers back the probes recorded in ISTIO_KUBE_APP_PROBERS, in place.

    The recorded action replaces the rewritten `httpGet` at the same key position (so a
    `tcpSocket` comes back where it was). A port number a container port names is written
    as that name again: the recording only keeps the number, and probes usually name it.
    """
    for path, prober in json_mapping(probers_text).items():
        parts = str(path).strip("/").split("/")
        if len(parts) != 3 or parts[2] not in _PROBE_FIELDS or not isinstance(prober, dict):
            continue
        kind, container_name, suffix = parts
        target = None
        for key in ("containers", "initContainers"):
            for c in spec.get(key) or []:
                if isinstance(c, dict) and c.get("name") == container_name != PROXY:
                    target = c
        if target is None:
            continue
        holder = target.get("lifecycle") if kind == "app-lifecycle" else target
        probe = holder.get(_PROBE_FIELDS[suffix]) if isinstance(holder, dict) else None
        action = next((a for a in _ACTIONS if isinstance(prober.get(a), dict)), None)
        if not isinstance(probe, dict) or action is None or not isinstance(holder, dict):
            continue
        value = {k: v for k, v in clone(prober[action]).items() if v is not None}
        value = _in_order_of(value, probe.get("httpGet"))
        if action != "grpc" and "port" in value:
            value["port"] = _port_name(target, value["port"])
        restored: dict[str, Any] = {}
        for key, old in probe.items():
            if key in ("httpGet", action):
                restored[action] = value
            elif key not in _ACTIONS:
                restored[key] = old
        restored.setdefault(action, value)
        holder[_PROBE_FIELDS[suffix]] = restored
