"""What the built-in Jinja templates read for one pod, derived from its template data.

There is one context per pod: `SidecarTemplateData` (meshinject.inject.template_data),
Istio's typed data, which a Go template reads as its dot. Istio's template computes most
values inline with Go template functions from that data; the built-in templates read them
here, computed once in Python from the same data (`data` in the returned mapping), so the
two renderers share Istio's computed fields and cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from meshinject.errors import InjectionError
from meshinject.gotemplate.istio_funcs import (
    append_multus_network,
    otel_resource_attributes,
    struct_to_json,
)
from meshinject.inject.jsonmap import template_json_object
from meshinject.inject.settings import InjectSettings
from meshinject.inject.template_data import (
    SidecarTemplateData,
    Workload,
    proxy_image_name,
    proxy_init_image_name,
)
from meshinject.quantity import canonical_resources

RESOURCE_ANNOTATIONS = {
    ("requests", "cpu"): "sidecar.istio.io/proxyCPU",
    ("requests", "memory"): "sidecar.istio.io/proxyMemory",
    ("limits", "cpu"): "sidecar.istio.io/proxyCPULimit",
    ("limits", "memory"): "sidecar.istio.io/proxyMemoryLimit",
}


def native_sidecars(data: SidecarTemplateData, annotations: Mapping[str, Any]) -> bool:
    """The sidecar template's rule: a non-empty `sidecar.istio.io/nativeSidecar` annotation
    means native unless it is exactly `false`; without one, `.NativeSidecars` decides."""
    override = annotations.get("sidecar.istio.io/nativeSidecar")
    if override is not None and str(override) != "":
        return str(override) != "false"
    return bool(data.NativeSidecars)


def exclude_inbound_ports(status_port: int, excluded: str) -> str:
    """The user's excluded inbound ports plus the status port (unless 0 or already there)."""
    ports = [p.strip() for p in excluded.split(",") if p.strip()]
    if status_port and str(status_port) not in ports:
        ports.append(str(status_port))
    return ",".join(ports)


def _annotation(annotations: dict[str, Any], name: str, default: Any) -> Any:
    # Present-but-empty wins over the default, as Istio's `annotation` helper does.
    return annotations.get(name, default)


def _resources(settings: InjectSettings, annotations: dict[str, Any]) -> dict[str, Any]:
    if any(name in annotations for name in RESOURCE_ANNOTATIONS.values()):
        out: dict[str, dict[str, str]] = {}
        for (section, resource), name in RESOURCE_ANNOTATIONS.items():
            if name in annotations:
                out.setdefault(section, {})[resource] = str(annotations[name])
        return _as_dict(canonical_resources(out))
    values = settings.value("global", "proxy", "resources", default={})
    cleaned = {
        section: {k: v for k, v in (items or {}).items() if v is not None}
        for section, items in (values or {}).items()
        if isinstance(items, dict) or items is None
    }
    return _as_dict(canonical_resources({k: v for k, v in cleaned.items() if v}))


def _as_dict(value: object) -> dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


def _pod_ports_json(data: SidecarTemplateData) -> str:
    """ISTIO_META_POD_PORTS: every container port as Istio's template writes it
    (`structToJSON` of corev1.ContainerPort: Go field order, empty fields left out)."""
    ports = []
    for container in data.Spec.Containers:
        for port in container.Ports:
            text = struct_to_json(port)
            if text:
                ports.append(text)
    if not ports:
        return "[\n]"
    return "[\n    " + "\n    ,".join(ports) + "\n]"


def _canonical(labels: dict[str, Any], keys: tuple[str, ...], fallback: str) -> str:
    for key in keys:
        if labels.get(key):
            return str(labels[key])
    return fallback


def build_context(
    *,
    data: SidecarTemplateData,
    settings: InjectSettings,
    pod: dict[str, Any],
    proxy_config_json: str,
) -> dict[str, Any]:
    """Everything the built-in Jinja templates read for one (stripped) pod, from its
    template data `data` (built from the same `pod`); `data` is in it for Go templates."""
    raw_proxy_config = data.ProxyConfig.raw()
    proxy_config: dict[str, Any] = dict(raw_proxy_config) if raw_proxy_config else {}
    workload = Workload(
        kind=data.TypeMeta.Kind,
        api_version=data.TypeMeta.APIVersion,
        name=data.DeploymentMeta.Name,
        namespace=data.DeploymentMeta.Namespace,
    )
    proxy_uid = int(data.ProxyUID)
    proxy_gid = int(data.ProxyGID)
    meta = pod.get("metadata") or {}
    spec = pod.get("spec") or {}
    annotations: dict[str, Any] = dict(meta.get("annotations") or {})
    labels: dict[str, Any] = dict(meta.get("labels") or {})
    values = settings.values
    proxy_values = settings.value("global", "proxy", default={}) or {}
    containers = [c for c in spec.get("containers") or [] if isinstance(c, dict)]
    native = native_sidecars(data, annotations)
    mode = str(
        _annotation(
            annotations,
            "sidecar.istio.io/interceptionMode",
            proxy_config.get("interceptionMode") or "REDIRECT",
        )
    )
    status_port = int(
        _annotation(
            annotations, "status.sidecar.istio.io/port", proxy_values.get("statusPort", 15020)
        )
    )
    cni = settings.value("pilot", "cni", default={}) or {}
    cni_enabled = bool(cni.get("enabled"))
    tproxy = mode == "TPROXY"
    cap_net_bind = (
        str(
            _annotation(
                annotations,
                "sidecar.istio.io/capNetBindService",
                proxy_values.get("capNetBindService"),
            )
        ).lower()
        == "true"
    )
    if tproxy:  # a TPROXY proxy runs as root; iptables and validation keep Istio's 1337
        proxy_uid = proxy_gid = 1337
    capabilities = (["NET_ADMIN"] if tproxy else []) + (
        ["NET_BIND_SERVICE"] if cap_net_bind else []
    )
    hold = bool(
        proxy_config.get("holdApplicationUntilProxyStarts")
        or proxy_values.get("holdApplicationUntilProxyStarts")
    )
    mesh = settings.mesh
    trust_domain = mesh.get("trustDomain") or settings.value("global", "trustDomain", default="")
    revision = data.Revision
    # CA_ADDR names the istiod of `values.revision`, as Istio's template does. Without one,
    # the built-in values stand for the istiod of the revision asked for (README).
    istiod_revision = str(settings.value("revision", default="") or revision)
    istiod_suffix = "" if istiod_revision in ("", "default") else f"-{istiod_revision}"
    ca_address = settings.value("global", "caAddress", default="") or (
        f"istiod{istiod_suffix}."
        f"{settings.value('global', 'istioNamespace', default='istio-system')}.svc:15012"
    )
    startup = proxy_values.get("startupProbe") or {}

    def ann(name: str, default: Any) -> str:
        value = _annotation(annotations, name, default)
        return "" if value is None else str(value)

    include_outbound = (
        ann(
            "traffic.sidecar.istio.io/includeOutboundPorts",
            proxy_values.get("includeOutboundPorts"),
        )
        if "traffic.sidecar.istio.io/includeOutboundPorts" in annotations
        or proxy_values.get("includeOutboundPorts")
        else None
    )
    exclude_outbound = (
        ann(
            "traffic.sidecar.istio.io/excludeOutboundPorts",
            proxy_values.get("excludeOutboundPorts"),
        )
        if "traffic.sidecar.istio.io/excludeOutboundPorts" in annotations
        or proxy_values.get("excludeOutboundPorts")
        else None
    )
    traffic = {
        "include_ip_ranges": ann(
            "traffic.sidecar.istio.io/includeOutboundIPRanges", proxy_values.get("includeIPRanges")
        ),
        "exclude_ip_ranges": ann(
            "traffic.sidecar.istio.io/excludeOutboundIPRanges", proxy_values.get("excludeIPRanges")
        ),
        "include_inbound_ports": ann(
            "traffic.sidecar.istio.io/includeInboundPorts", proxy_values.get("includeInboundPorts")
        ),
        "exclude_inbound_ports": exclude_inbound_ports(
            status_port,
            ann(
                "traffic.sidecar.istio.io/excludeInboundPorts",
                proxy_values.get("excludeInboundPorts"),
            ),
        ),
        "include_outbound_ports": include_outbound,
        "exclude_outbound_ports": exclude_outbound,
        "kubevirt_interfaces": ann("traffic.sidecar.istio.io/kubevirtInterfaces", ""),
        "reroute_interfaces": ann("istio.io/reroute-virtual-interfaces", ""),
        "exclude_interfaces": ann("traffic.sidecar.istio.io/excludeInterfaces", ""),
    }
    secrets = []
    for secret in settings.value("global", "imagePullSecrets", default=[]) or []:
        secrets.append(secret.get("name") if isinstance(secret, dict) else secret)
    user_volumes = _named_objects(annotations, "sidecar.istio.io/userVolume")
    user_mounts = _named_objects(annotations, "sidecar.istio.io/userVolumeMount")
    datadog: dict[str, Any] = {}
    if proxy_values.get("tracer") == "datadog" and "apm.datadoghq.com/env" in annotations:
        datadog = {
            k: _go_print(v)
            for k, v in template_json_object(annotations, "apm.datadoghq.com/env").items()
        }
    outbound_port = mesh.get("proxyListenPort") or 15001
    inbound_port = mesh.get("proxyInboundListenPort") or 15006
    return {
        "data": data,
        "pod": pod,
        "opt": settings.value,
        "annotations": annotations,
        "labels": labels,
        "values": values,
        "mesh": mesh,
        "proxy_config": proxy_config,
        "proxy_config_json": proxy_config_json,
        "proxy_metadata": {
            str(k): str(v) for k, v in (proxy_config.get("proxyMetadata") or {}).items()
        },
        "revision": revision,
        "native_sidecar": native,
        "native_sidecars_setting": data.NativeSidecars,
        "interception_mode": mode,
        "status_port": status_port,
        "traffic": traffic,
        "cni": {"enabled": cni_enabled, "provider": cni.get("provider", "default")},
        "multus_networks": append_multus_network(
            str(annotations.get("k8s.v1.cni.cncf.io/networks") or ""), "default/istio-cni"
        ),
        "init_container_name": (
            None if mode == "NONE" else ("istio-validation" if cni_enabled else "istio-init")
        ),
        "init_image": _image(annotations, proxy_init_image_name(settings), data.ProxyInitImage),
        "proxy_image": _image(annotations, proxy_image_name(settings), data.ProxyImage),
        "proxy_image_url": data.ProxyImage,
        "proxy_init_image_url": data.ProxyInitImage,
        "iptables_uid": str(proxy_uid),
        "validation_uid": proxy_uid,
        "validation_gid": proxy_gid,
        "proxy_gid": proxy_gid,
        "proxy_run_as_user": 0 if (tproxy or cap_net_bind) else proxy_uid,
        "proxy_capabilities": capabilities,
        "privileged": bool(proxy_values.get("privileged")),
        "core_dump": False,
        "hold_application": hold and not native,
        # Istio's reorderPod puts istio-proxy first in `containers` on hold, for any template.
        "hold_proxy_first": hold,
        "proxy_resources": _resources(settings, annotations),
        "image_pull_policy": settings.value("global", "imagePullPolicy", default=""),
        "image_pull_secrets": [s for s in secrets if s],
        "agent_log_level": ann(
            "sidecar.istio.io/agentLogLevel",
            settings.value("global", "logging", "level", default="default:info"),
        ),
        "proxy_log_level": ann(
            "sidecar.istio.io/logLevel", proxy_values.get("logLevel", "warning")
        ),
        "proxy_component_log_level": ann(
            "sidecar.istio.io/componentLogLevel",
            proxy_values.get("componentLogLevel", "misc:error"),
        ),
        "readiness": {
            "initial_delay": int(
                ann(
                    "readiness.status.sidecar.istio.io/initialDelaySeconds",
                    proxy_values.get("readinessInitialDelaySeconds", 0),
                )
                or 0
            ),
            "period": int(
                ann(
                    "readiness.status.sidecar.istio.io/periodSeconds",
                    proxy_values.get("readinessPeriodSeconds", 15),
                )
                or 15
            ),
            "failure_threshold": int(
                ann(
                    "readiness.status.sidecar.istio.io/failureThreshold",
                    proxy_values.get("readinessFailureThreshold", 4),
                )
                or 4
            ),
        },
        "startup_probe": (
            {"failure_threshold": int(startup.get("failureThreshold", 600))}
            if startup.get("enabled", True)
            else None
        ),
        "ca_address": ca_address,
        "app_containers": [
            str(c.get("name")) for c in containers if c.get("name") != "istio-proxy"
        ],
        "pod_ports_json": _pod_ports_json(data),
        "workload_name": labels.get("service.istio.io/workload-name") or workload.name,
        "owner": (
            f"kubernetes://apis/{workload.api_version}/namespaces/{workload.namespace or 'default'}"
            f"/{workload.kind.lower()}s/{workload.name}"
            if workload.api_version and workload.name
            else ""
        ),
        "canonical_name": _truncate_name(
            _canonical(
                labels,
                ("service.istio.io/canonical-name", "app.kubernetes.io/name", "app"),
                workload.name,
            )
        ),
        "canonical_revision": _canonical(
            labels,
            ("service.istio.io/canonical-revision", "app.kubernetes.io/version", "version"),
            "latest",
        ),
        "mesh_id": settings.value("global", "meshID", default="") or trust_domain,
        "trust_domain": trust_domain,
        "inbound_localhost": data.InboundTrafficPolicyMode == "localhost",
        "mesh_ports": {"outbound": str(outbound_port), "inbound": str(inbound_port)},
        "compliance_policy": data.CompliancePolicy,
        "user_volumes": user_volumes,
        "user_volume_mounts": user_mounts,
        "datadog_env": datadog,
        "otel_env": [
            ("OTEL_RESOURCE_ATTRIBUTES", otel)
            for otel in [
                otel_resource_attributes(
                    mesh, annotations, labels, workload.namespace, spec.get("containers") or []
                )
            ]
            if otel
        ],
        "trust_bundle_name": settings.value("global", "trustBundleName", default="")
        or "istio-ca-root-cert",
        "crl_config_map_name": settings.value("pilot", "crlConfigMapName", default="")
        or "istio-ca-crl",
        "cluster_trust_bundle": _cluster_trust_bundle(settings),
        "seccomp_profile": proxy_values.get("seccompProfile") or None,
        "lightstep_ca_dir": _lightstep_ca_dir(proxy_values, proxy_config),
        "dns_search_namespaces": [],
        # Gateway / gRPC templates: the owner's name (not the workload-name label), the
        # untruncated canonical name, the mesh-config interception mode (annotation ignored)
        # and the proxy image built without the `sidecar.istio.io/proxyImage` override.
        "deployment_name": workload.name,
        "canonical_name_untruncated": _canonical(
            labels,
            ("service.istio.io/canonical-name", "app.kubernetes.io/name", "app"),
            workload.name,
        ),
        "proxy_config_interception_mode": str(proxy_config.get("interceptionMode") or "REDIRECT"),
    }


def _image(annotations: dict[str, Any], name: str, url: str) -> str:
    """The template's image: the `sidecar.istio.io/proxyImage` annotation (if present, else
    the values image `name`) verbatim when it names a registry, else Istio's image `url`."""
    chosen = str(annotations.get("sidecar.istio.io/proxyImage", name))
    return chosen if "/" in chosen else url


def _truncate_name(name: str) -> str:
    return name[:63].strip("-_.")


def _cluster_trust_bundle(settings: InjectSettings) -> bool:
    """`pilot.env.ENABLE_CLUSTER_TRUST_BUNDLE_API`. Istio's template compares it with the
    boolean `true` (a string there fails its render); `pilot.env` values are strings here,
    so `"true"` in any case is accepted (README: deliberate differences)."""
    value = settings.value("pilot", "env", "ENABLE_CLUSTER_TRUST_BUNDLE_API", default=None)
    return str(value).lower() == "true"


def _lightstep_ca_dir(proxy_values: dict[str, Any], proxy_config: dict[str, Any]) -> str | None:
    """The folder of the Lightstep CA certificate, when tracer lightstep has TLS settings."""
    tls = (proxy_config.get("tracing") or {}).get("tlsSettings")
    if proxy_values.get("tracer") != "lightstep" or tls is None:
        return None
    ca = str((tls or {}).get("caCertificates") or "")
    return ca[: ca.rfind("/") + 1]


def _named_objects(annotations: dict[str, Any], name: str) -> dict[str, dict[str, Any]]:
    """userVolume / userVolumeMount: a JSON object of name -> volume (mount) object."""
    items = template_json_object(annotations, name)
    for key, value in items.items():
        if not isinstance(value, dict):
            raise InjectionError(
                f"annotation '{name}': entry {key!r} must be a JSON object, not "
                f"{json.dumps(value)}: Istio's sidecar template fails on it",
                data_path=("metadata", "annotations", name),
            )
    return items


def _go_print(value: Any) -> str:
    """A JSON value as Go's template prints it (`{{ $value }}`)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "<nil>"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    return str(value)
