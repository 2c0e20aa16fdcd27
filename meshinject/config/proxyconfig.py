"""The `PROXY_CONFIG` env value: proto-JSON of a ProxyConfig minus default-valued fields.

Istio's template function `protoToJSON` first drops the fields that equal
`mesh.DefaultProxyConfig()` (config/binary path, service cluster, drain and termination
drain durations, discovery address, admin port, stat name length, status port, control
plane auth policy, and — when unset by default — tracing, concurrency and the envoy
metrics/access-log services; an empty `proxyMetadata`), then marshals with Go's
protojson: fields in `.proto` declaration order, proto3 zero scalars omitted, wrapper and
message fields kept when present (`"concurrency":0`, `"tracing":{}`), map keys sorted,
compact separators.
"""

from __future__ import annotations

import json
from typing import Any

from meshinject.config.scalars import parse_duration

# mesh.DefaultProxyConfig() of the current Istio release, in proto-JSON form.
DEFAULT_PROXY_CONFIG: dict[str, Any] = {
    "configPath": "./etc/istio/proxy",
    "binaryPath": "/usr/local/bin/envoy",
    "serviceCluster": "istio-proxy",
    "drainDuration": "45s",
    "discoveryAddress": "istiod.istio-system.svc:15012",
    "proxyAdminPort": 15000,
    "controlPlaneAuthPolicy": "MUTUAL_TLS",
    "statNameLength": 189,
    "terminationDrainDuration": "5s",
    "statusPort": 15020,
}

# Fields compared with DEFAULT_PROXY_CONFIG and dropped when equal (Istio's cleanProxyConfig).
_CLEANED = (
    "configPath",
    "binaryPath",
    "controlPlaneAuthPolicy",
    "serviceCluster",
    "drainDuration",
    "terminationDrainDuration",
    "parentShutdownDuration",
    "discoveryAddress",
    "envoyMetricsService",
    "envoyAccessLogService",
    "tracing",
    "proxyAdminPort",
    "statNameLength",
    "statusPort",
    "concurrency",
)

Spec = tuple[tuple[str, str, Any], ...]

_TRACING: Spec = (
    ("zipkin", "message", (("address", "string", None),)),
    ("lightstep", "message", (("address", "string", None), ("accessToken", "string", None))),
    ("datadog", "message", (("address", "string", None),)),
    (
        "stackdriver",
        "message",
        (
            ("debug", "bool", None),
            ("maxNumberOfAttributes", "int64wrapper", None),
            ("maxNumberOfAnnotations", "int64wrapper", None),
            ("maxNumberOfMessageEvents", "int64wrapper", None),
        ),
    ),
    ("openCensusAgent", "message", (("address", "string", None), ("context", "list", None))),
    ("customTags", "map", None),
    ("maxPathTagLength", "int", None),
    ("sampling", "double", None),
    ("tlsSettings", "message", None),
)

_REMOTE_SERVICE: Spec = (
    ("address", "string", None),
    ("tlsSettings", "message", None),
    ("tcpKeepalive", "message", None),
)

# ProxyConfig fields in mesh/v1alpha1/proxy.proto declaration order: (name, kind, detail).
# For "enum" the detail is the zero value's name; for "message" a nested Spec or None.
PROXY_CONFIG_FIELDS: Spec = (
    ("configPath", "string", None),
    ("binaryPath", "string", None),
    ("serviceCluster", "oneof", None),
    ("tracingServiceName", "oneof", None),
    ("drainDuration", "message", None),
    ("parentShutdownDuration", "message", None),
    ("discoveryAddress", "string", None),
    ("discoveryRefreshDelay", "message", None),
    ("zipkinAddress", "string", None),
    ("statsdUdpAddress", "string", None),
    ("envoyMetricsServiceAddress", "string", None),
    ("proxyAdminPort", "int", None),
    ("availabilityZone", "string", None),
    ("controlPlaneAuthPolicy", "enum", "NONE"),
    ("customConfigFile", "string", None),
    ("statNameLength", "int", None),
    ("concurrency", "wrapper", None),
    ("proxyBootstrapTemplatePath", "string", None),
    ("interceptionMode", "enum", "REDIRECT"),
    ("tracing", "message", _TRACING),
    ("sds", "message", None),
    ("envoyAccessLogService", "message", _REMOTE_SERVICE),
    ("envoyMetricsService", "message", _REMOTE_SERVICE),
    ("proxyMetadata", "map", None),
    ("runtimeValues", "map", None),
    ("statusPort", "int", None),
    ("extraStatTags", "list", None),
    ("gatewayTopology", "message", None),
    ("terminationDrainDuration", "message", None),
    ("meshId", "string", None),
    ("readinessProbe", "message", None),
    ("proxyStatsMatcher", "message", None),
    ("holdApplicationUntilProxyStarts", "wrapper", None),
    ("caCertificatesPem", "list", None),
    ("image", "message", None),
    ("privateKeyProvider", "message", None),
    ("proxyHeaders", "message", None),
    ("fileFlushInterval", "message", None),
    ("fileFlushMinSizeKb", "int", None),
    ("statsCompression", "wrapper", None),
    ("enableHttp2Connect", "wrapper", None),
)


def _same(field: str, value: Any, default: Any) -> bool:
    if default is None or value is None:
        return value is None and default is None
    if field.endswith("Duration"):
        try:
            return parse_duration(value) == parse_duration(default)
        except ValueError:
            return False
    return bool(value == default)


def clean_proxy_config(pc: dict[str, Any]) -> dict[str, Any]:
    """`pc` without the fields Istio's injector leaves out of PROXY_CONFIG."""
    out = dict(pc)
    for field in _CLEANED:
        if field in out and _same(field, out[field], DEFAULT_PROXY_CONFIG.get(field)):
            del out[field]
    if not out.get("proxyMetadata"):
        out.pop("proxyMetadata", None)
    return out


def proxy_config_json(pc: dict[str, Any]) -> str:
    """PROXY_CONFIG for the effective proxy config `pc` (camelCase dict), e.g. `{}`."""
    return json.dumps(_message(clean_proxy_config(pc), PROXY_CONFIG_FIELDS), separators=(",", ":"))


def _message(data: dict[str, Any], spec: Spec | None) -> dict[str, Any]:
    if spec is None:
        opaque: dict[str, Any] = _opaque(data)
        return opaque
    out: dict[str, Any] = {}
    known: set[str] = set()
    for name, kind, detail in spec:
        known.add(name)
        if name not in data or data[name] is None:
            continue
        value = _field(data[name], kind, detail)
        if value is not _OMIT:
            out[name] = value
    for name, value in data.items():  # fields this table does not know: keep as given
        if name not in known and value is not None:
            out[name] = _opaque(value)
    return out


_OMIT = object()


def _field(value: Any, kind: str, detail: Any) -> Any:
    if kind == "string":
        return value if value != "" else _OMIT
    if kind in ("int", "double"):
        if value == 0:
            return _OMIT
        return _number(value) if kind == "double" else value
    if kind == "bool":
        return value if value else _OMIT
    if kind == "enum":
        return value if value != detail else _OMIT
    if kind == "int64wrapper":
        return str(value)
    if kind in ("map", "list"):
        if not value:
            return _OMIT
        if kind == "map" and isinstance(value, dict):
            return {k: _opaque(value[k]) for k in sorted(value)}
        return _opaque(value)
    if kind == "message" and isinstance(value, dict):
        return _message(value, detail)
    return _opaque(value)  # oneof members, wrappers, durations: present means emitted


def _number(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e21:
        return int(value)
    return value


def _opaque(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _opaque(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_opaque(v) for v in value]
    return _number(value)
