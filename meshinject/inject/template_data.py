"""`SidecarTemplateData`: what Istio's injector hands a Go injection template, typed.

Mirrors `pkg/kube/inject/inject.go` of Istio: the pod's `ObjectMeta` and `Spec` as
Kubernetes structs, `ProxyConfig` and `MeshConfig` as protobuf messages, `.Values` as the
`map[string]interface{}` Go decodes from the values JSON (numbers are float64), and the
computed fields (`ProxyImage`, `ProxyInitImage`, `InboundTrafficPolicyMode`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from meshinject.gotemplate import kubetypes  # noqa: F401 - registers the Kubernetes types
from meshinject.gotemplate.gotypes import GoMap, ProtoMessage, typed
from meshinject.gotemplate.values import ExecError
from meshinject.inject.context import Workload
from meshinject.inject.settings import InjectSettings

KNOWN_IMAGE_TYPES = ("distroless", "debug")


def _go_values(value: Any) -> Any:
    """Values as Go's yaml/json decoding into interface{} sees them: typed maps, float64s."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return GoMap(
            {str(k): _go_values(v) for k, v in value.items()},
            zero=None,
            go_type="map[string]interface {}",
        )
    if isinstance(value, list | tuple):
        return [_go_values(v) for v in value]
    return str(value)


def _update_image_type(tag: str, image_type: str) -> str:
    if not image_type:
        return tag
    for known in KNOWN_IMAGE_TYPES:
        if tag.endswith("-" + known):
            tag = tag[: -(len(known) + 1)]
            break
    if image_type == "default":
        return tag
    return f"{tag}-{image_type}"


def _image_url(
    settings: InjectSettings, name: str, image_type: str, annotations: Mapping[str, Any]
) -> str:
    hub = settings.value("global", "hub", default="")
    tag_value = settings.value("global", "tag", default="")
    tag = _go_scalar_text(tag_value)
    if not image_type:
        image_type = str(settings.value("global", "variant", default="") or "")
    if "sidecar.istio.io/proxyImageType" in annotations:
        image_type = str(annotations["sidecar.istio.io/proxyImageType"])
    return f"{hub}/{name}:{_update_image_type(tag, image_type)}"


def _go_scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def proxy_image(
    settings: InjectSettings, proxy_config: Mapping[str, Any], annotations: Mapping[str, Any]
) -> str:
    """Istio's ProxyImage: hub/image:tag with the image type of proxyConfig.image/variant."""
    name = settings.value("global", "proxy", "image", default="") or "proxyv2"
    image = proxy_config.get("image")
    image_type = str(image.get("imageType") or "") if isinstance(image, Mapping) else ""
    return _image_url(settings, str(name), image_type, annotations)


def proxy_init_image(settings: InjectSettings, annotations: Mapping[str, Any]) -> str:
    name = settings.value("global", "proxy_init", "image", default="") or "proxyv2"
    return _image_url(settings, str(name), "", annotations)


def inbound_traffic_policy_mode(mesh: Mapping[str, Any]) -> str:
    policy = mesh.get("inboundTrafficPolicy")
    mode = policy.get("mode") if isinstance(policy, Mapping) else None
    return "localhost" if mode in ("LOCALHOST", 1) else "passthrough"


class SidecarTemplateData:
    """The template's dot: fields by their Go names; any other field is Go's error."""

    GO_TYPE = "*inject.SidecarTemplateData"
    FIELDS = (
        "TypeMeta",
        "DeploymentMeta",
        "ObjectMeta",
        "Spec",
        "ProxyConfig",
        "MeshConfig",
        "Values",
        "Revision",
        "NativeSidecars",
        "ProxyImage",
        "ProxyInitImage",
        "ProxyUID",
        "ProxyGID",
        "InboundTrafficPolicyMode",
        "CompliancePolicy",
    )

    def __init__(self, fields: dict[str, Any]) -> None:
        self.__dict__.update(fields)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise ExecError(f"can't evaluate field {name} in type {self.GO_TYPE}")


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def sidecar_template_data(
    *,
    settings: InjectSettings,
    pod: Mapping[str, Any],
    workload: Workload,
    proxy_config: Mapping[str, Any],
    native_sidecars: bool,
    proxy_uid: int,
    proxy_gid: int,
    compliance_policy: str,
) -> SidecarTemplateData:
    meta = _mapping(pod.get("metadata"))
    spec = _mapping(pod.get("spec"))
    annotations = _mapping(meta.get("annotations"))
    mesh = settings.mesh
    return SidecarTemplateData(
        {
            "TypeMeta": typed(
                "TypeMeta", {"kind": workload.kind, "apiVersion": workload.api_version}, "", ""
            ),
            "DeploymentMeta": typed(
                "NamespacedName", {"name": workload.name, "namespace": workload.namespace}, "", ""
            ),
            "ObjectMeta": typed("ObjectMeta", meta, "", ""),
            "Spec": typed("PodSpec", spec, "", ""),
            "ProxyConfig": ProtoMessage("ProxyConfig", dict(proxy_config)),
            "MeshConfig": ProtoMessage("MeshConfig", mesh),
            "Values": _go_values(settings.values),
            "Revision": settings.revision,
            "NativeSidecars": native_sidecars,
            "ProxyImage": proxy_image(settings, proxy_config, annotations),
            "ProxyInitImage": proxy_init_image(settings, annotations),
            "ProxyUID": proxy_uid,
            "ProxyGID": proxy_gid,
            "InboundTrafficPolicyMode": inbound_traffic_policy_mode(settings.mesh),
            "CompliancePolicy": compliance_policy,
        }
    )
