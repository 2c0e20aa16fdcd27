"""`SidecarTemplateData`: what Istio's injector hands an injection template, typed.

One value per pod, built once and read by both renderers: a Go template (the user's or
Istio's own) gets it as its dot, and the built-in Jinja templates read the helper values
`meshinject.inject.context` derives from it, so Istio's computed fields (`ProxyImage`,
`NativeSidecars`, `ProxyUID`, ...) have one implementation.

Mirrors `pkg/kube/inject/inject.go` of Istio: the pod's `ObjectMeta` and `Spec` as
Kubernetes structs, `ProxyConfig` and `MeshConfig` as protobuf messages, `.Values` as the
`map[string]interface{}` Go decodes from the values JSON (numbers are float64), and the
computed fields (`ProxyImage`, `ProxyInitImage`, `InboundTrafficPolicyMode`, ...).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from meshinject.gotemplate import kubetypes  # noqa: F401 - registers the Kubernetes types
from meshinject.gotemplate.gotypes import GoMap, ProtoMessage, typed
from meshinject.gotemplate.values import ExecError
from meshinject.inject.settings import InjectSettings

KNOWN_IMAGE_TYPES = ("distroless", "debug")


@dataclass(frozen=True)
class Workload:
    """Who owns the pod: the object Istio calls DeploymentMeta / TypeMeta."""

    kind: str
    api_version: str
    name: str
    namespace: str


def go_values(value: Any) -> Any:
    """Values as Go's yaml/json decoding into interface{} sees them: typed maps, float64s."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, Mapping):
        return GoMap(
            {str(k): go_values(v) for k, v in value.items()},
            zero=None,
            go_type="map[string]interface {}",
        )
    if isinstance(value, list | tuple):
        return [go_values(v) for v in value]
    return str(value)


def native_sidecars_setting(settings: InjectSettings) -> bool:
    """Istio's `.NativeSidecars`: the setting alone (`auto` = Kubernetes >= 1.33)."""
    mode = settings.pilot_env.get("ENABLE_NATIVE_SIDECARS", settings.native_mode).lower()
    if mode in ("true", "false"):
        return mode == "true"
    return settings.kube_version is None or settings.kube_version >= (1, 33)


def with_image_type(tag: str, image_type: str) -> str:
    """`tag` with Istio's image-type suffix: a known suffix is replaced, `default` drops it."""
    if not image_type:
        return tag
    for known in KNOWN_IMAGE_TYPES:
        if tag.endswith("-" + known):
            tag = tag[: -(len(known) + 1)]
            break
    if image_type == "default":
        return tag
    return f"{tag}-{image_type}"


def image_url(
    settings: InjectSettings, name: str, annotations: Mapping[str, Any], image_type: str = ""
) -> str:
    """Istio's imageURL: `hub/name:tag[-type]`.

    The type is `image_type` (ProxyConfig `image.imageType`, proxy only), else
    `global.variant`; a `sidecar.istio.io/proxyImageType` annotation, even an empty one,
    wins over both.
    """
    hub = settings.value("global", "hub", default="")
    tag = _go_scalar_text(settings.value("global", "tag", default=""))
    if not image_type:
        image_type = str(settings.value("global", "variant", default="") or "")
    if "sidecar.istio.io/proxyImageType" in annotations:
        image_type = str(annotations["sidecar.istio.io/proxyImageType"] or "")
    return f"{hub}/{name}:{with_image_type(tag, image_type)}"


def _go_scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def proxy_image_name(settings: InjectSettings) -> str:
    return str(settings.value("global", "proxy", "image", default="") or "proxyv2")


def proxy_init_image_name(settings: InjectSettings) -> str:
    return str(settings.value("global", "proxy_init", "image", default="") or "proxyv2")


def proxy_image_type(proxy_config: Mapping[str, Any]) -> str:
    image = proxy_config.get("image")
    return str(image.get("imageType") or "") if isinstance(image, Mapping) else ""


def proxy_image(
    settings: InjectSettings, proxy_config: Mapping[str, Any], annotations: Mapping[str, Any]
) -> str:
    """Istio's ProxyImage: hub/image:tag with the image type of proxyConfig.image/variant."""
    return image_url(
        settings, proxy_image_name(settings), annotations, proxy_image_type(proxy_config)
    )


def proxy_init_image(settings: InjectSettings, annotations: Mapping[str, Any]) -> str:
    return image_url(settings, proxy_init_image_name(settings), annotations)


def inbound_traffic_policy_mode(mesh: Mapping[str, Any]) -> str:
    policy = mesh.get("inboundTrafficPolicy")
    mode = policy.get("mode") if isinstance(policy, Mapping) else None
    return "localhost" if mode in ("LOCALHOST", 1) else "passthrough"


def compliance_policy(settings: InjectSettings) -> str:
    """Istio's COMPLIANCE_POLICY feature flag (istiod's environment, `pilot.env` here)."""
    return settings.compliance_policy or settings.pilot_env.get("COMPLIANCE_POLICY", "")


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
    proxy_uid: int = 1337,
    proxy_gid: int = 1337,
) -> SidecarTemplateData:
    """The data of one (stripped) pod. `proxy_uid`/`proxy_gid`: Istio's GetProxyIDs (1337,
    or the top of an OpenShift namespace's UID range / its first supplemental group)."""
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
            "Values": settings.go_values,
            "Revision": settings.revision,
            "NativeSidecars": native_sidecars_setting(settings),
            "ProxyImage": proxy_image(settings, proxy_config, annotations),
            "ProxyInitImage": proxy_init_image(settings, annotations),
            "ProxyUID": proxy_uid,
            "ProxyGID": proxy_gid,
            "InboundTrafficPolicyMode": inbound_traffic_policy_mode(mesh),
            "CompliancePolicy": compliance_policy(settings),
        }
    )
