"""`OTEL_RESOURCE_ATTRIBUTES` for istio-proxy (OpenTelemetry Kubernetes service attributes).

Set only when a mesh extension provider asks for OpenTelemetry semantic conventions
(`opentelemetry.serviceAttributeEnrichment: OTEL_SEMANTIC_CONVENTIONS`), as Istio's
`otelResourceAttributes` template function does.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

PREFIX = "resource.opentelemetry.io/"


def semantic_conventions_enabled(mesh: Mapping[str, Any]) -> bool:
    for provider in mesh.get("extensionProviders") or []:
        otel = provider.get("opentelemetry") if isinstance(provider, dict) else None
        if isinstance(otel, dict) and (
            otel.get("serviceAttributeEnrichment") == "OTEL_SEMANTIC_CONVENTIONS"
        ):
            return True
    return False


def image_tag_digest(image: str) -> tuple[str, str]:
    """(tag, digest) of an image reference `[registry[:port]/]name[:tag][@digest]`."""
    name, _, digest = image.partition("@")
    colon = name.rfind(":")
    tag = name[colon + 1 :] if colon > name.rfind("/") else ""
    return tag, digest


def _version(
    annotations: Mapping[str, Any], labels: Mapping[str, Any], containers: Sequence[Any]
) -> str:
    if annotations.get(PREFIX + "service.version"):
        return str(annotations[PREFIX + "service.version"])
    if labels.get("app.kubernetes.io/version"):
        return str(labels["app.kubernetes.io/version"])
    if len(containers) == 1 and isinstance(containers[0], dict):
        tag, digest = image_tag_digest(str(containers[0].get("image") or ""))
        return f"{tag}@{digest}" if tag and digest else digest or tag
    return ""


def resource_attributes(
    mesh: Mapping[str, Any],
    annotations: Mapping[str, Any],
    labels: Mapping[str, Any],
    namespace: str,
    containers: Sequence[Any],
) -> str:
    """The env value (`service.namespace=...,service.version=...,service.instance.id=...`),
    or "" when no provider enables the semantic conventions."""
    if not semantic_conventions_enabled(mesh):
        return ""
    attrs = []
    service_namespace = str(annotations.get(PREFIX + "service.namespace") or namespace)
    if service_namespace:
        attrs.append(f"service.namespace={service_namespace}")
    version = _version(annotations, labels, containers)
    if version:
        attrs.append(f"service.version={version}")
    if annotations.get(PREFIX + "service.instance.id"):
        attrs.append(f"service.instance.id={annotations[PREFIX + 'service.instance.id']}")
    elif containers and isinstance(containers[0], dict):
        attrs.append(f"service.instance.id={namespace}.$(POD_NAME).{containers[0].get('name')}")
    return ",".join(attrs)
