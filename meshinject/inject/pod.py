"""Inject one pod: render the templates, overlay them, then Istio's post-processing.

The steps and their order follow Istio's injector so the result is what the cluster would
run: strip a previous injection, render each selected template and strategically merge it
over the pod, re-apply the user's own istio-proxy/istio-init fields, then cluster info,
Prometheus merge, probe rewriting, the status annotation and container ordering.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from meshinject.datacopy import clone
from meshinject.errors import InjectionError
from meshinject.inject import prometheus
from meshinject.inject.context import build_context
from meshinject.inject.forged import blame_value, check_output
from meshinject.inject.gonormal import go_field_order, normalise_pod_overlay
from meshinject.inject.jsonmap import json_mapping
from meshinject.inject.merge import strategic_merge
from meshinject.inject.probes import dump_app_probers, probers_json, rewrite_probes
from meshinject.inject.settings import InjectSettings
from meshinject.inject.shape_values import shape_values
from meshinject.inject.status import OVERRIDES, STATUS, InjectionStatus, unapply
from meshinject.inject.template_data import Workload, sidecar_template_data
from meshinject.inject.templates import invalid_output_error, render_template, select_templates
from meshinject.inject.validate import annotation_problems
from meshinject.inject.yamldata import (
    RenderedYAMLError,
    parse_proxy_config,
    parse_template_output,
)
from meshinject.quantity import canonical_resources

PROXY = "istio-proxy"
INIT_ORDER_NATIVE = ("enable-core-dump", PROXY, "istio-validation", "istio-init")


@dataclass
class PodResult:
    pod: dict[str, Any]
    templates: tuple[str, ...]
    warnings: list[str] = field(default_factory=list)
    # What the selected templates wrote (their overlays merged), before the post-processing:
    # uninject uses it to tell a template's additions from the user's (R8).
    written: dict[str, Any] = field(default_factory=dict)


def inject_pod(
    pod: dict[str, Any],
    *,
    workload: Workload,
    settings: InjectSettings,
    proxy_uid: int = 1337,
    proxy_gid: int = 1337,
    openshift: bool = False,
    manual: bool = False,
) -> PodResult:
    """Return the injected copy of `pod` ({metadata, spec}); `pod` is not modified.

    `openshift`: Istio's webhook on OpenShift, which drops a user istio-proxy's
    runAsUser/runAsGroup when they equal the app's (OpenShift gives every container the
    same UID, which would defeat traffic capture).

    `manual`: istioctl kube-inject, which applies the pod's `proxy.istio.io/config` to the
    mesh config itself, so probe rewriting and the Prometheus merge use the pod's
    `statusPort` (P42); the webhook keeps the mesh's.
    """
    original = clone(pod)
    if openshift:
        _reset_proxy_user_matching_app(original)
    annotations = (original.get("metadata") or {}).get("annotations") or {}
    problems = annotation_problems(annotations)
    if problems:
        name, message = problems[0]
        raise InjectionError(message, data_path=("metadata", "annotations", name))
    from meshinject.config.merge import merge_proxy_config
    from meshinject.config.proxyconfig import proxy_config_json

    proxy_config = dict(settings.proxy_config)
    if "proxy.istio.io/config" in annotations:
        overlay = parse_proxy_config(str(annotations["proxy.istio.io/config"]))
        proxy_config = merge_proxy_config(proxy_config, overlay)
    pc_json = proxy_config_json(proxy_config)

    stripped = unapply(original)
    # One context per pod, for both renderers: Istio's typed template data (a Go
    # template's dot) and the values the built-in templates derive from it.
    data = sidecar_template_data(
        settings=settings,
        pod=stripped,
        workload=workload,
        proxy_config=proxy_config,
        proxy_uid=proxy_uid,
        proxy_gid=proxy_gid,
    )
    context = build_context(data=data, settings=settings, pod=stripped, proxy_config_json=pc_json)
    names = select_templates(annotations, settings)
    merged = clone(stripped)
    template_pod: dict[str, Any] = {}
    values = shape_values(stripped, workload.name, workload.namespace)
    for name in names:
        text = render_template(name, context, settings)
        try:
            parsed = parse_template_output(text, name, values)
        except RenderedYAMLError as exc:
            blamed = (
                blame_value(text, stripped, name) if name in settings.custom_templates else None
            )
            raise blamed or invalid_output_error(exc, context, settings, workload) from None
        if name in settings.custom_templates:  # built-in templates quote every value
            check_output(text, parsed, stripped, name)
        overlay = normalise_pod_overlay(parsed)
        template_pod = strategic_merge(template_pod, overlay)
        merged = strategic_merge(merged, overlay)
    merged_spec = merged.get("spec")
    # A template's `initContainers: []` (interception NONE) adds nothing: Go's omitempty
    # leaves an empty list out of the injected pod. A user's own `[]` is theirs and stays.
    if (
        isinstance(merged_spec, dict)
        and merged_spec.get("initContainers") == []
        and "initContainers" not in (stripped.get("spec") or {})
    ):
        del merged_spec["initContainers"]

    _reapply_user_containers(merged, original, template_pod, context)
    mesh_status_port = (proxy_config if manual else settings.proxy_config).get("statusPort")
    _post_process(merged, template_pod, context, settings, _port(mesh_status_port))
    return PodResult(pod=merged, templates=tuple(names), written=template_pod)


def _find(containers: Any, name: str) -> dict[str, Any] | None:
    for c in containers or []:
        if isinstance(c, dict) and c.get("name") == name:
            return c
    return None


def _go_ordered(container: dict[str, Any]) -> dict[str, Any]:
    """The user's container with its keys in Go's field order (nested structs too; unknown
    keys last, as given).

    The overrides annotation records it that way, and re-injection and uninject restore
    it from there: ordering it so on the first injection too makes injection idempotent.
    """
    ordered: dict[str, Any] = go_field_order(container, "Container")
    return ordered


def _go_container(container: dict[str, Any]) -> dict[str, Any]:
    """A container as Go serialises it in the overrides annotation: `resources` always
    there, keys in corev1.Container's field order."""
    out = clone(container)
    out["resources"] = canonical_resources(out.get("resources") or {})
    return _go_ordered(out)


def _reapply_user_containers(
    merged: dict[str, Any],
    original: dict[str, Any],
    template_pod: dict[str, Any],
    context: dict[str, Any],
) -> None:
    """The user's own istio-proxy / istio-init fields win over the template's (Istio overrides)."""
    meta = original.get("metadata") or {}
    ann = meta.get("annotations") or {}
    status = InjectionStatus.parse(ann.get(STATUS))
    existing = json_mapping(ann.get(OVERRIDES))  # hand-edited to a non-object: ignored
    spec = original.get("spec") or {}
    overrides: dict[str, list[dict[str, Any]]] = {}
    for field_name in ("containers", "initContainers"):
        already = status.containers if field_name == "containers" else status.init_containers
        for c in (template_pod.get("spec") or {}).get(field_name) or []:
            name = c.get("name")
            if status.present and name in already:
                continue
            saved = existing.get(field_name)
            match = _find(saved if isinstance(saved, list) else None, name)
            source_field = field_name
            if match is None:
                match = _find(spec.get(field_name), name)
            if match is None:
                other = "initContainers" if field_name == "containers" else "containers"
                match = _find(spec.get(other), name)
                source_field = other
            if match is None:
                continue
            overlay = _go_ordered(clone(match))
            if overlay.get("image") == "auto":
                overlay.pop("image")
            overrides.setdefault(field_name, []).append(_go_container(overlay))
            merged_spec = merged.setdefault("spec", {})
            if source_field != field_name:
                merged_spec[source_field] = [
                    x for x in merged_spec.get(source_field) or [] if x.get("name") != name
                ]
            else:  # start again from the template's container, wherever the user's was
                merged_spec[field_name] = [
                    clone(c) if isinstance(x, dict) and x.get("name") == name else x
                    for x in merged_spec.get(field_name) or []
                ]
            overlay_for_merge = dict(overlay)
            if "resources" in overlay_for_merge:
                overlay_for_merge["resources"] = canonical_resources(overlay_for_merge["resources"])
            merged["spec"] = strategic_merge(
                merged_spec, {field_name: [overlay_for_merge]}, append=True
            )
    _adjust_init_container_user(merged, original, context)
    if overrides and not status.present:
        doc = {k: overrides[k] for k in ("containers", "initContainers") if k in overrides}
        merged.setdefault("metadata", {}).setdefault("annotations", {})[OVERRIDES] = json.dumps(
            doc, separators=(",", ":")
        )


def _adjust_init_container_user(
    merged: dict[str, Any], original: dict[str, Any], context: dict[str, Any]
) -> None:
    """A user's istio-proxy runAsUser/runAsGroup reach the iptables container (Istio's
    adjustInitContainerUser): a non-zero runAsUser becomes the `-u` UID iptables excludes
    (istio-init or istio-validation); outside TPROXY istio-validation runs as the user's
    UID/GID; under TPROXY the proxy's runAsUser stays 0."""
    ospec = original.get("spec") or {}
    user = _find(ospec.get("containers"), PROXY) or _find(ospec.get("initContainers"), PROXY)
    sc = (user or {}).get("securityContext")
    if not isinstance(sc, dict) or (sc.get("runAsUser") is None and sc.get("runAsGroup") is None):
        return
    spec = merged.get("spec") or {}
    init = _find(spec.get("initContainers"), "istio-init") or _find(
        spec.get("initContainers"), "istio-validation"
    )
    if init is None:
        return
    annotations = (merged.get("metadata") or {}).get("annotations") or {}
    tproxy = (
        context["proxy_config_interception_mode"] == "TPROXY"
        or annotations.get("sidecar.istio.io/interceptionMode") == "TPROXY"
    )
    if tproxy and sc.get("runAsUser") is not None:
        proxy = _find(spec.get("initContainers"), PROXY) or _find(spec.get("containers"), PROXY)
        if proxy is not None:
            proxy.setdefault("securityContext", {})["runAsUser"] = 0
    if not tproxy and init.get("name") == "istio-validation":
        isc = init.get("securityContext")
        if not isinstance(isc, dict):
            isc = init["securityContext"] = {}
        for key in ("runAsUser", "runAsGroup"):
            if sc.get(key) is not None:
                isc[key] = sc[key]
    uid = sc.get("runAsUser")
    if not uid:
        return
    args = init.get("args") or []
    for i, arg in enumerate(args[:-1]):
        if arg == "-u":
            args[i + 1] = str(uid)
            return


def _reset_proxy_user_matching_app(pod: dict[str, Any]) -> None:
    spec = pod.get("spec") or {}
    containers = [
        c
        for c in (spec.get("containers") or []) + (spec.get("initContainers") or [])
        if isinstance(c, dict)
    ]
    proxy_user = app_user = 0
    for c in containers:
        user = (c.get("securityContext") or {}).get("runAsUser") or 0
        if c.get("name") == PROXY:
            proxy_user = user
        elif c.get("name") not in ("istio-init", "istio-validation"):
            app_user = user
    proxy = _find(containers, PROXY)
    if (
        proxy is not None
        and isinstance(proxy.get("securityContext"), dict)
        and (proxy_user == app_user)
    ):
        proxy["securityContext"].pop("runAsUser", None)
        proxy["securityContext"].pop("runAsGroup", None)


def _mapping_at(parent: dict[str, Any], key: str) -> dict[str, Any]:
    """`parent[key]`, made an empty mapping first if it is missing or null."""
    value = parent.get(key)
    if not isinstance(value, dict):
        value = parent[key] = {}
    return value


def _post_process(
    pod: dict[str, Any],
    template_pod: dict[str, Any],
    context: dict[str, Any],
    settings: InjectSettings,
    mesh_status_port: int,
) -> None:
    """Istio's postProcessPod; `mesh_status_port` is the mesh config's statusPort."""
    meta = _mapping_at(pod, "metadata")
    annotations = _mapping_at(meta, "annotations")
    labels = _mapping_at(meta, "labels")  # `labels:` with no value is null in YAML
    spec = _mapping_at(pod, "spec")
    sidecar = _find(spec.get("containers"), PROXY) or _find(spec.get("initContainers"), PROXY)
    _cluster_envs_last(sidecar, labels, settings)
    prometheus.apply_merge(pod, sidecar, mesh_status_port, settings)
    prometheus.apply_secure_port(pod, sidecar)
    if sidecar is not None and _rewrite_enabled(annotations, settings):
        probers = dump_app_probers(spec, mesh_status_port)
        if probers:
            sidecar.setdefault("env", []).append(
                {"name": "ISTIO_KUBE_APP_PROBERS", "value": probers_json(probers)}
            )
        status_port = int(annotations.get("status.sidecar.istio.io/port", mesh_status_port))
        rewrite_probes(spec, status_port)
    annotations[STATUS] = InjectionStatus.from_template(template_pod, settings.revision).render()
    for key, value in settings.injected_annotations.items():
        annotations[key] = value
    _reorder(spec, context)
    _drop_nulls(spec, template_pod)
    if not labels:
        meta.pop("labels")


def _port(value: Any) -> int:
    """A ProxyConfig statusPort (validated where it was read); unset is Istio's 15020."""
    return 15020 if value is None else int(value)


def _cluster_envs_last(
    sidecar: dict[str, Any] | None, labels: dict[str, Any], settings: InjectSettings
) -> None:
    """A set cluster name or network goes to the end of the proxy env, sorted (P62).

    The pod's `topology.istio.io/network` label wins over `global.network`.
    """
    cluster = str(settings.value("global", "multiCluster", "clusterName", default="") or "")
    network = str(labels.get("topology.istio.io/network") or "") or str(
        settings.value("global", "network", default="") or ""
    )
    moved = {"ISTIO_META_CLUSTER_ID": cluster, "ISTIO_META_NETWORK": network}
    moved = {name: value for name, value in moved.items() if value}
    if network:
        labels["topology.istio.io/network"] = network
    if not moved or sidecar is None:
        return
    env = [e for e in sidecar.get("env") or [] if e.get("name") not in moved]
    env.extend({"name": name, "value": moved[name]} for name in sorted(moved))
    sidecar["env"] = env


def _rewrite_enabled(annotations: dict[str, Any], settings: InjectSettings) -> bool:
    value = annotations.get("sidecar.istio.io/rewriteAppHTTPProbers")
    if isinstance(value, str) and value.lower() in ("true", "false", "1", "0", "t", "f"):
        return value.lower() in ("true", "1", "t")
    return bool(settings.value("sidecarInjectorWebhook", "rewriteAppHTTPProbe", default=True))


def _move(containers: list[dict[str, Any]], name: str, *, first: bool) -> list[dict[str, Any]]:
    found = [c for c in containers if c.get("name") == name]
    rest = [c for c in containers if c.get("name") != name]
    return found + rest if first else rest + found


def _reorder(spec: dict[str, Any], context: dict[str, Any]) -> None:
    if spec.get("containers"):
        spec["containers"] = _move(
            spec["containers"], PROXY, first=bool(context["hold_proxy_first"])
        )
    inits = spec.get("initContainers")
    if not inits:
        return
    if _find(inits, PROXY) is not None:
        for name in INIT_ORDER_NATIVE:
            inits = _move(inits, name, first=True)
    else:
        inits = _move(inits, "istio-validation", first=True)
        inits = _move(inits, "istio-init", first=False)
        inits = _move(inits, "enable-core-dump", first=False)
    spec["initContainers"] = inits


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _drop_nulls(spec: dict[str, Any], template_pod: dict[str, Any]) -> None:
    """Go drops nil fields of the injected items (a volume's `emptyDir:` with no value)."""
    tspec = template_pod.get("spec") or {}
    for field_name in ("containers", "initContainers", "volumes"):
        names = {c.get("name") for c in tspec.get(field_name) or [] if isinstance(c, dict)}
        items = spec.get(field_name)
        if items:
            spec[field_name] = [_without_nulls(i) if i.get("name") in names else i for i in items]
