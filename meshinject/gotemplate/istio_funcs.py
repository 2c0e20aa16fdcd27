"""Istio's injection-template functions (`pkg/kube/inject/template.go`), reimplemented.

Istio registers these over Sprig's, so where names clash (`indent`, `contains`,
`toYaml`, `env`) Istio's version wins: `indent N s` pads every line but the first,
`toYaml` keeps its trailing newline, `env NAME default` reads the injecting process's
environment as istioctl does. Kubernetes objects are the typed structs of `kubetypes`
(plain JSON-shaped dicts are read too), so `annotation .ObjectMeta ...` reads
`.Annotations` and `includeInboundPorts` reads `.Ports[].ContainerPort`. `structToJSON`
writes Go's field order; `protoToJSON` of a ProxyConfig drops its default-valued fields
first, as Istio's `cleanProxyConfig` does.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Mapping
from typing import Any

from . import gojson, goyaml
from .printing import format_value
from .values import FuncError, field_key

PROXY_CONTAINER = "istio-proxy"


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, Mapping):
        key = field_key(obj, name)
        return obj[key] if key is not None else None
    if obj is None:
        return None
    return getattr(obj, name[:1].upper() + name[1:], None)


def format_duration(value: Any) -> str:
    """Go's Duration.String() of a protobuf Duration ("90s", {"seconds": 90}, 90)."""
    return go_duration(_duration_nanos(value))


def _duration_nanos(value: Any) -> int:
    if value is None:
        raise FuncError("invalid value; expected *durationpb.Duration")
    if isinstance(value, Mapping):
        seconds = _field(value, "seconds") or 0
        nanos = _field(value, "nanos") or 0
        return int(seconds) * 1_000_000_000 + int(nanos)
    if isinstance(value, bool):
        raise FuncError("wrong type for value; expected *durationpb.Duration; got bool")
    if isinstance(value, int | float):
        return round(value * 1_000_000_000)
    if isinstance(value, str):
        m = re.fullmatch(r"(-?)(\d+)(?:\.(\d{1,9}))?s", value.strip())
        if not m:
            raise FuncError(f"invalid duration {value!r}")
        nanos = int(m.group(2)) * 1_000_000_000 + int((m.group(3) or "").ljust(9, "0") or 0)
        return -nanos if m.group(1) else nanos
    raise FuncError("wrong type for value; expected *durationpb.Duration")


def go_duration(nanos: int) -> str:
    """time.Duration.String()."""
    if nanos == 0:
        return "0s"
    sign = "-" if nanos < 0 else ""
    u = abs(nanos)
    if u < 1_000_000_000:
        for unit, size in (("ns", 1), ("µs", 1_000), ("ms", 1_000_000)):
            if u < size * 1000:
                return sign + _fraction(u, size) + unit
    hours, rest = divmod(u, 3_600_000_000_000)
    minutes, rest = divmod(rest, 60_000_000_000)
    text = _fraction(rest, 1_000_000_000) + "s"
    if hours or minutes:
        text = f"{minutes}m{text}"
    if hours:
        text = f"{hours}h{text}"
    return sign + text


def _fraction(value: int, size: int) -> str:
    whole, frac = divmod(value, size)
    if not frac:
        return str(whole)
    digits = str(frac).rjust(len(str(size)) - 1, "0").rstrip("0")
    return f"{whole}.{digits}"


def isset(m: dict[str, str] | None, key: str) -> bool:
    return m is not None and key in m


def exclude_inbound_port(port: Any, excluded: str) -> str:
    port_str = format_value(port).strip()
    if not port_str or port_str == "0":
        return excluded
    out: list[str] = []
    for item in excluded.split(","):
        if item == port_str:
            return excluded
        if item.strip():
            out.append(item.strip())
    out.append(port_str)
    return ",".join(out)


def _container_ports(containers: Any, include: Callable[[Any], bool]) -> str:
    parts: list[str] = []
    for container in containers or []:
        if not include(container):
            continue
        for port in _field(container, "ports") or []:
            if _field(port, "protocol") in ("UDP", "SCTP"):
                continue
            parts.append(format_value(_field(port, "containerPort") or 0))
    return ",".join(parts)


def include_inbound_ports(containers: list[Any]) -> str:
    return _container_ports(containers, lambda _c: True)


def application_ports(containers: list[Any]) -> str:
    return _container_ports(containers, lambda c: _field(c, "name") != PROXY_CONTAINER)


def kubevirt_interfaces(interfaces: str) -> str:
    return interfaces


def exclude_interfaces(interfaces: str) -> str:
    return interfaces


def annotation(meta: Any, name: str, default: Any) -> str:
    if meta is None:
        raise FuncError("invalid value; expected v1.ObjectMeta")
    annotations = _field(meta, "annotations") or {}
    if not isinstance(annotations, Mapping):
        raise FuncError("wrong type for value; expected v1.ObjectMeta")
    if name in annotations:
        return format_value(annotations[name])
    return format_value(default)


def value_or_default(value: Any, default: Any) -> Any:
    if value is None or value == "":
        return default
    return value


def to_json_istio(m: dict[str, str] | None) -> str:
    if m is None:
        return "{}"
    return gojson.marshal(m)


def from_json_istio(text: str) -> Any:
    try:
        return gojson.unmarshal(text)
    except FuncError:
        return "{}"


def struct_to_json(value: Any) -> str:
    if value is None:
        return "{}"
    try:
        return gojson.marshal(value, sort_keys=False)
    except FuncError:
        return "{}"


def proto_to_json(value: Any) -> str:
    """protojson of a message; a ProxyConfig first loses its default-valued fields."""
    from .gotypes import ProtoMessage

    if value is None:
        return "{}"
    if isinstance(value, ProtoMessage):
        raw = value.raw()
        if raw is None:
            return "{}"
        if value.GO_TYPE == "*v1alpha1.ProxyConfig":
            from meshinject.config.proxyconfig import proxy_config_json

            return proxy_config_json(dict(raw))
        return gojson.marshal(dict(raw), sort_keys=False)
    if isinstance(value, Mapping):
        return struct_to_json(value)
    raise FuncError(f"wrong type for value; expected proto.Message; got {type(value).__name__}")


def to_yaml_istio(value: Any) -> str:
    try:
        return goyaml.marshal(value)
    except FuncError:
        return ""


def indent_istio(spaces: int, source: str) -> str:
    pad = " " * max(spaces, 0)
    lines = source.split("\n")
    return "\n".join([lines[0], *(pad + line for line in lines[1:])])


def directory(filepath: str) -> str:
    return filepath[: filepath.rfind("/") + 1]


def flipped_contains(needle: str, haystack: str) -> bool:
    return needle in haystack


def to_lower(text: str) -> str:
    return text.lower()


def append_multus_network(existing: str, network: str) -> str:
    if existing == "":
        return network
    i = existing.rfind("]")
    if i != -1:
        try:
            networks = json.loads(existing)
        except ValueError:
            return existing
        if not isinstance(networks, list) or not all(isinstance(n, dict) for n in networks):
            return existing
        namespace, _, name = network.rpartition("/")
        for net in networks:
            if net.get("name") == name and (net.get("namespace") or "") == namespace:
                return existing
        if namespace:
            entry = f', {{"name": "{name}", "namespace": "{namespace}"}}'
        else:
            entry = f', {{"name": "{name}"}}'
        return existing[:i] + entry + existing[i:]
    for net in existing.split(","):
        if net.strip() == network:
            return existing
    return existing + ", " + network


def env_istio(key: str, default: str) -> str:
    """The injecting process's environment variable `key`, or `default` when unset/empty
    (as istioctl and istiod do)."""
    return os.environ.get(key, "") or default


def omit(m: dict[str, str] | None, *keys: str) -> dict[str, Any]:
    return {k: v for k, v in (m or {}).items() if k not in keys}


def strdict(*values: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i in range(0, len(values), 2):
        out[values[i]] = values[i + 1] if i + 1 < len(values) else ""
    return out


def merge_maps(*maps: dict[str, str] | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in maps:
        out.update(m or {})
    return out


def to_json_map(*maps: dict[str, str] | None) -> str:
    return gojson.marshal(merge_maps(*maps))


def omit_nil(value: Any) -> Any:
    """Drop nils from maps and lists, recursively; a map or list left empty becomes nil."""
    cleaned, _ = _omit_nil(value)
    return cleaned


def _omit_nil(value: Any) -> tuple[Any, bool]:
    if value is None:
        return None, True
    if isinstance(value, Mapping):
        if not any(_omit_nil(v)[1] for v in value.values()):
            return value, False
        out = {k: c for k, c in ((k, omit_nil(v)) for k, v in value.items()) if c is not None}
        return (out or None), True
    if isinstance(value, list | tuple):
        if not any(_omit_nil(v)[1] for v in value):
            return value, False
        items = [c for c in (omit_nil(v) for v in value) if c is not None]
        return (items or None), True
    return value, False


def otel_resource_attributes(
    mesh: Any, annotations: Any, labels: Any, namespace: str, containers: Any
) -> str:
    """OTEL_RESOURCE_ATTRIBUTES when an OpenTelemetry provider asks for semantic conventions."""
    providers = _call_getter(mesh, "ExtensionProviders") or []
    enabled = False
    for provider in providers:
        otel = _call_getter(provider, "Opentelemetry")
        if otel and format_value(_call_getter(otel, "ServiceAttributeEnrichment")) == (
            "OTEL_SEMANTIC_CONVENTIONS"
        ):
            enabled = True
            break
    if not enabled:
        return ""
    ann = annotations or {}
    lab = labels or {}
    items = list(containers or [])
    attrs: list[str] = []
    if ann.get("resource.opentelemetry.io/service.namespace"):
        attrs.append("service.namespace=" + ann["resource.opentelemetry.io/service.namespace"])
    elif namespace:
        attrs.append("service.namespace=" + namespace)
    if ann.get("resource.opentelemetry.io/service.version"):
        attrs.append("service.version=" + ann["resource.opentelemetry.io/service.version"])
    elif lab.get("app.kubernetes.io/version"):
        attrs.append("service.version=" + lab["app.kubernetes.io/version"])
    elif len(items) == 1:
        tag, digest = _image_tag_digest(str(_field(items[0], "image") or ""))
        version = f"{tag}@{digest}" if tag and digest else (digest or tag)
        if version:
            attrs.append("service.version=" + version)
    if ann.get("resource.opentelemetry.io/service.instance.id"):
        attrs.append("service.instance.id=" + ann["resource.opentelemetry.io/service.instance.id"])
    elif items:
        attrs.append(f"service.instance.id={namespace}.$(POD_NAME).{_field(items[0], 'name')}")
    return ",".join(attrs)


def _call_getter(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, Mapping):
        return _field(obj, name)
    getter = getattr(obj, "Get" + name, None)
    return getter() if callable(getter) else None


def _image_tag_digest(image: str) -> tuple[str, str]:
    digest = ""
    if "@" in image:
        image, digest = image.split("@", 1)
    slash, colon = image.rfind("/"), image.rfind(":")
    return (image[colon + 1 :] if colon > slash else ""), digest


ISTIO: dict[str, Callable[..., Any]] = {
    "formatDuration": format_duration,
    "isset": isset,
    "excludeInboundPort": exclude_inbound_port,
    "includeInboundPorts": include_inbound_ports,
    "kubevirtInterfaces": kubevirt_interfaces,
    "excludeInterfaces": exclude_interfaces,
    "applicationPorts": application_ports,
    "annotation": annotation,
    "valueOrDefault": value_or_default,
    "toJSON": to_json_istio,
    "fromJSON": from_json_istio,
    "structToJSON": struct_to_json,
    "protoToJSON": proto_to_json,
    "toYaml": to_yaml_istio,
    "indent": indent_istio,
    "directory": directory,
    "contains": flipped_contains,
    "toLower": to_lower,
    "appendMultusNetwork": append_multus_network,
    "env": env_istio,
    "omit": omit,
    "strdict": strdict,
    "toJsonMap": to_json_map,
    "mergeMaps": merge_maps,
    "omitNil": omit_nil,
    "otelResourceAttributes": otel_resource_attributes,
}
