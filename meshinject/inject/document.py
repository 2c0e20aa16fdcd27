"""Inject one Kubernetes document (a workload, or a List of them), as pure data.

`inject_document` finds the pod template of every workload kind Istio injects (matched on
`kind` whatever the apiVersion), asks the policy whether to inject, injects, and returns
the new document plus a report per workload. It never prints and never touches files.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from meshinject.datacopy import clone
from meshinject.errors import InjectionError, MeshInjectError
from meshinject.inject.context import Workload
from meshinject.inject.godefaults import apply_go_defaults
from meshinject.inject.pod import inject_pod
from meshinject.inject.settings import InjectSettings
from meshinject.policy import Decision, NamespaceInfo, PolicySettings, decide
from meshinject.quantity import QuantityError, parse_quantity
from meshinject.yamltypes import yaml_type_name

POD_TEMPLATE_KINDS = frozenset(
    {
        "Deployment",
        "StatefulSet",
        "DaemonSet",
        "ReplicaSet",
        "ReplicationController",
        "Job",
        "DeploymentConfig",
    }
)
WORKLOAD_KINDS = POD_TEMPLATE_KINDS | {"Pod", "CronJob"}
LIST_KINDS = frozenset({"List"})

# "removed": policy says no sidecar, and the one an injection wrote is taken out.
Outcome = Literal["injected", "skipped", "removed", "failed"]


@dataclass(slots=True)  # one per workload, all kept for the report: keep them small
class WorkloadReport:
    kind: str
    name: str
    namespace: str
    outcome: Outcome
    reason: str
    rule: str = ""
    revision: str = ""
    templates: tuple[str, ...] = ()
    warnings: list[str] = field(default_factory=list)
    error: MeshInjectError | None = None
    item: int | None = None  # index inside a List


@dataclass
class DocumentResult:
    data: Any
    changed: bool
    workloads: list[WorkloadReport]


@dataclass(frozen=True)
class InjectionRequest:
    """Everything `inject_document` needs besides the document: frozen per run."""

    settings: InjectSettings
    policy: PolicySettings
    default_namespace: str = "default"
    namespaces: Mapping[str, NamespaceInfo] = field(default_factory=dict)
    settings_for_revision: Callable[[str], InjectSettings] | None = None
    # "istio": add the Go zero-value fields istioctl's output has; "minimal": only the sidecar.
    output_style: Literal["istio", "minimal"] = "istio"
    # No mode was asked for and none of the settings implied one: namespace labels found
    # in the input switch the run to webhook mode.
    auto_mode: bool = False
    # (path, namespace): the namespace of documents without one, for the files under a
    # path (`-n PATH=NAMESPACE`); the longest matching path wins over `default_namespace`.
    path_namespaces: tuple[tuple[str, str], ...] = ()

    def namespace_for(self, path: str) -> str:
        """The namespace of documents without `metadata.namespace` in the file `path`."""
        if not self.path_namespaces or path == "-":
            return self.default_namespace
        parts = _path_parts(path)
        best, best_length = self.default_namespace, -1
        for prefix, namespace in self.path_namespaces:
            prefix_parts = _path_parts(prefix)
            if parts[: len(prefix_parts)] == prefix_parts and len(prefix_parts) > best_length:
                best, best_length = namespace, len(prefix_parts)
        return best

    def with_namespaces(self, found: Mapping[str, NamespaceInfo]) -> InjectionRequest:
        """This request with the namespaces the input declares (they win over earlier
        sources); a namespace with injection labels chooses webhook mode if none was set."""
        namespaces = {**self.namespaces, **found}
        policy = self.policy
        if self.auto_mode and any(info.has_injection_labels for info in found.values()):
            policy = replace(policy, mode="webhook")
        return replace(self, namespaces=namespaces, policy=policy, auto_mode=False)


def _path_parts(path: str) -> tuple[str, ...]:
    return Path(path).resolve().parts


def is_workload(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("kind"), str):
        return False
    return data["kind"] in WORKLOAD_KINDS or data["kind"] in LIST_KINDS


def _str_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        return {}
    return {str(k): "" if v is None else str(v) for k, v in value.items()}


def pod_paths(kind: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(path of the metadata Istio reads and writes, path of the pod spec)."""
    if kind == "Pod":
        return ("metadata",), ("spec",)
    if kind == "CronJob":
        return ("spec", "jobTemplate", "metadata"), (
            "spec",
            "jobTemplate",
            "spec",
            "template",
            "spec",
        )
    return ("spec", "template", "metadata"), ("spec", "template", "spec")


def get_path(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _ensure(data: dict[str, Any], path: tuple[str, ...]) -> dict[str, Any]:
    for key in path:
        if not isinstance(data.get(key), dict):
            data[key] = {}
        data = data[key]
    return data


def _workload_identity(doc: dict[str, Any], namespace: str) -> Workload:
    meta = doc.get("metadata") or {}
    kind = str(doc.get("kind"))
    api_version = str(doc.get("apiVersion") or "")
    name = str(meta.get("name") or "")
    if kind == "Pod" and meta.get("generateName"):
        for ref in meta.get("ownerReferences") or []:
            if isinstance(ref, dict) and ref.get("controller"):
                return Workload(
                    kind=str(ref.get("kind")),
                    api_version=str(ref.get("apiVersion")),
                    name=str(ref.get("name")),
                    namespace=namespace,
                )
    return Workload(kind=kind, api_version=api_version, name=name, namespace=namespace)


def inject_document(data: Any, request: InjectionRequest) -> DocumentResult:
    """Inject every workload in `data`; returns the original object when nothing changed."""
    if not isinstance(data, dict):
        return DocumentResult(data, False, [])
    _check_kind(data, ())
    kind = data.get("kind")
    if kind in LIST_KINDS:
        return _inject_list(data, request)
    if kind not in WORKLOAD_KINDS:
        return DocumentResult(data, False, [])
    new = clone(data)
    report = _inject_workload(new, request)
    changed = report.outcome == "injected"
    if changed and request.output_style == "istio":
        apply_go_defaults(new)
    return DocumentResult(new if changed else data, changed, [report])


def _inject_list(data: dict[str, Any], request: InjectionRequest) -> DocumentResult:
    items = data.get("items")
    if items is None:
        return DocumentResult(data, False, [])
    if not isinstance(items, list):
        raise InjectionError(
            f"List.items must be a list of objects, not {yaml_type_name(items)}",
            data_path=("items",),
        )
    new = clone(data)
    reports: list[WorkloadReport] = []
    for index, item in enumerate(new["items"]):
        if not isinstance(item, dict):
            raise InjectionError(
                f"List.items[{index}] must be a Kubernetes object (a mapping), "
                f"not {yaml_type_name(item)}",
                data_path=("items", index),
            )
        _check_kind(item, ("items", index))
        if item.get("kind") in WORKLOAD_KINDS:
            report = _inject_workload(item, request)
            report.item = index
            if isinstance(report.error, InjectionError) and report.error.data_path:
                report.error.data_path = ("items", index, *report.error.data_path)
            reports.append(report)
            if report.outcome == "injected" and request.output_style == "istio":
                apply_go_defaults(item, in_list=True)
    changed = any(r.outcome == "injected" for r in reports)
    return DocumentResult(new if changed else data, changed, reports)


def _inject_workload(doc: dict[str, Any], request: InjectionRequest) -> WorkloadReport:
    kind = sys.intern(str(doc.get("kind")))  # interned: reports of a big stream share them
    raw_meta = doc.get("metadata")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    name = str(meta.get("name") or meta.get("generateName") or "")
    namespace = sys.intern(str(meta.get("namespace") or request.default_namespace))
    report = WorkloadReport(kind=kind, name=name, namespace=namespace, outcome="skipped", reason="")
    try:
        _check_shape(doc, kind)
        meta_path, spec_path = pod_paths(kind)
        pod_meta = get_path(doc, meta_path) or {}
        spec = get_path(doc, spec_path)
        template_meta = get_path(doc, (*spec_path[:-1], "metadata")) if kind != "Pod" else pod_meta
        decision = _decide(
            kind, pod_meta, spec, template_meta, namespace=namespace, request=request
        )
        report.reason, report.rule = decision.reason, decision.rule
        report.warnings.extend(decision.warnings)
        if not decision.inject:
            return report
        revision = decision.revision or "default"
        settings = request.settings
        if request.settings_for_revision is not None:
            settings = request.settings_for_revision(revision)
        workload = _workload_identity(doc, namespace)
        pod = {"metadata": pod_meta, "spec": spec}  # inject_pod copies before changing
        uid, gid = _proxy_ids(settings, request.namespaces.get(namespace))
        result = inject_pod(pod, workload=workload, settings=settings, proxy_uid=uid, proxy_gid=gid)
        new_meta = result.pod.get("metadata") or {}
        target_meta = _ensure(doc, meta_path)
        for key in ("labels", "annotations"):
            if new_meta.get(key):
                target_meta[key] = new_meta[key]
            elif key in target_meta and not new_meta.get(key):
                target_meta.pop(key)
        parent = get_path(doc, spec_path[:-1])
        assert isinstance(parent, dict)
        parent[spec_path[-1]] = result.pod.get("spec") or {}
        report.outcome = "injected"
        report.revision = revision
        report.templates = result.templates
        report.warnings.extend(result.warnings)
    except MeshInjectError as exc:
        if isinstance(exc, InjectionError) and exc.data_path[:1] == ("metadata",):
            # The pod's metadata lives at `meta_path` inside the document.
            exc.data_path = pod_paths(kind)[0] + exc.data_path[1:]
        report.outcome = "failed"
        report.reason = exc.message
        report.error = exc
    return report


def _last_id(annotation: str | None) -> int | None:
    """The last ID of an OpenShift range `start/size` (or `start-end`)."""
    if not annotation:
        return None
    first = annotation.split(",")[0].strip()
    try:
        if "/" in first:
            start, size = first.split("/")
            return int(start) + int(size) - 1
        if "-" in first:
            return int(first.split("-")[1])
    except ValueError:
        return None
    return None


def _proxy_ids(settings: InjectSettings, namespace: NamespaceInfo | None) -> tuple[int, int]:
    """On OpenShift the proxy runs as the namespace's assigned UID/GID, else 1337."""
    platform = settings.platform or settings.pilot_env.get("PLATFORM", "")
    if platform.lower() != "openshift" or namespace is None:
        return 1337, 1337
    uid = _last_id(namespace.annotations.get("openshift.io/sa.scc.uid-range"))
    gid = _last_id(namespace.annotations.get("openshift.io/sa.scc.supplemental-groups"))
    return uid or 1337, gid or uid or 1337


def _check_kind(data: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """A Kubernetes object (it has an apiVersion) must say what it is, as a string."""
    kind = data.get("kind")
    if kind is None and "apiVersion" in data:
        raise InjectionError(
            "kind is missing: every Kubernetes object needs one (for example `kind: Deployment`)",
            data_path=(*path, "apiVersion"),
        )
    if kind is not None and not isinstance(kind, str):
        raise InjectionError(
            f"kind must be a string such as Deployment, not {yaml_type_name(kind)}",
            data_path=(*path, "kind"),
        )


def _check_shape(doc: dict[str, Any], kind: str) -> None:
    """The structure injection relies on, with messages that say what is wrong and where."""
    meta_path, spec_path = pod_paths(kind)
    top_meta = doc.get("metadata")
    if top_meta is not None and not isinstance(top_meta, dict):
        raise _shape_error(("metadata",), "must be a mapping", top_meta)
    for key, expected in _METADATA_SHAPE.items():
        _check_field(top_meta or {}, ("metadata", key), expected)
    if kind != "Pod" and not isinstance(get_path(doc, spec_path[:-1]), dict):
        where = ".".join(spec_path[:-1])
        raise InjectionError(
            f"{kind} has no pod template: {where} is required",
            data_path=_existing_prefix(doc, spec_path[:-1]),
        )
    spec = get_path(doc, spec_path)
    if not isinstance(spec, dict):
        raise InjectionError(
            f"{kind} has no pod spec: {'.'.join(spec_path)} must be a mapping",
            data_path=_existing_prefix(doc, spec_path),
        )
    for key, expected in _POD_SPEC_SHAPE.items():
        _check_field(spec, (*spec_path, key), expected)
    for field_name in ("containers", "initContainers"):
        containers = spec.get(field_name)
        if containers is None:
            continue
        for index, container in enumerate(containers):
            at: tuple[str | int, ...] = (*spec_path, field_name, index)
            if not isinstance(container, dict):
                raise _shape_error(at, "must be a container (a mapping)", container)
            if not isinstance(container.get("name"), str) or not container["name"]:
                raise InjectionError(
                    f"{_dotted(at)} has no name: every container needs `name`", data_path=at
                )
            for key, expected in _CONTAINER_SHAPE.items():
                _check_field(container, (*at, key), expected)
            _check_resources(container.get("resources") or {}, (*at, "resources"))
            _check_probes(container, at)
            for port_index, port in enumerate(container.get("ports") or []):
                number = port.get("containerPort")
                if number is not None and (not isinstance(number, int) or isinstance(number, bool)):
                    raise _shape_error(
                        (*at, "ports", port_index, "containerPort"),
                        "must be a port number",
                        number,
                    )
    meta = get_path(doc, meta_path)
    if meta is not None and not isinstance(meta, dict):
        raise _shape_error(meta_path, "must be a mapping", meta)
    for key, expected in _METADATA_SHAPE.items():
        _check_field(meta or {}, (*meta_path, key), expected)


# Fields of a pod spec and of a container that injection reads, and the YAML type each must
# have ("list of mappings" = a list whose items are all mappings). Kubernetes would reject
# anything else, so we stop with a located message instead of guessing.
_METADATA_SHAPE = {
    "labels": "mapping",
    "annotations": "mapping",
    "ownerReferences": "list of mappings",
}
_POD_SPEC_SHAPE = {
    "containers": "list of containers",
    "initContainers": "list of containers",
    "volumes": "list of mappings",
    "imagePullSecrets": "list",
    "securityContext": "mapping",
}
_CONTAINER_SHAPE = {
    "ports": "list of mappings",
    "env": "list of mappings",
    "volumeMounts": "list of mappings",
    "readinessProbe": "mapping",
    "livenessProbe": "mapping",
    "startupProbe": "mapping",
    "securityContext": "mapping",
    "resources": "mapping",
    "lifecycle": "mapping",
}


def _check_probes(container: dict[str, Any], at: tuple[str | int, ...]) -> None:
    """Probe actions injection rewrites: mappings, with a port number or name."""
    probes: list[tuple[tuple[str | int, ...], Any]] = [
        ((*at, name), container.get(name)) for name in _PROBES
    ]
    lifecycle = container.get("lifecycle")
    if isinstance(lifecycle, dict):
        probes += [((*at, "lifecycle", hook), lifecycle.get(hook)) for hook in _HOOKS]
    for path, probe in probes:
        if not isinstance(probe, dict):
            continue
        for action in ("httpGet", "tcpSocket", "grpc"):
            _check_field(probe, (*path, action), "mapping")
            port = (probe.get(action) or {}).get("port")
            if port is not None and (isinstance(port, bool) or not isinstance(port, int | str)):
                raise _shape_error(
                    (*path, action, "port"), "must be a port number or a port name", port
                )


_PROBES = ("readinessProbe", "livenessProbe", "startupProbe")
_HOOKS = ("postStart", "preStop")


def _check_resources(resources: dict[str, Any], path: tuple[str | int, ...]) -> None:
    """requests and limits must be mappings of valid quantities (injection rewrites them)."""
    for section in ("requests", "limits"):
        values = resources.get(section)
        if values is None:
            continue
        if not isinstance(values, dict):
            raise _shape_error((*path, section), "must be a mapping", values)
        for name, quantity in values.items():
            where = (*path, section, name)
            if isinstance(quantity, bool) or not isinstance(quantity, str | int | float):
                raise _shape_error(where, "must be a quantity such as 100m or 1Gi", quantity)
            try:
                parse_quantity(str(quantity))
            except QuantityError as exc:
                raise InjectionError(f"{_dotted(where)}: {exc}", data_path=where) from None


def _check_field(parent: dict[str, Any], path: tuple[str | int, ...], expected: str) -> None:
    value = parent.get(str(path[-1]))
    if value is None:
        return
    if expected == "mapping":
        if not isinstance(value, dict):
            raise _shape_error(path, "must be a mapping", value)
        return
    if not isinstance(value, list):
        raise _shape_error(path, f"must be a {expected}", value)
    if expected.startswith("list of "):
        what = "a container (a mapping)" if expected == "list of containers" else "a mapping"
        for index, item in enumerate(value):
            if not isinstance(item, dict):
                raise _shape_error((*path, index), f"must be {what}", item)


def _shape_error(path: tuple[str | int, ...], problem: str, value: Any) -> InjectionError:
    return InjectionError(f"{_dotted(path)} {problem}, not {yaml_type_name(value)}", data_path=path)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def _existing_prefix(doc: Any, path: tuple[str, ...]) -> tuple[str, ...]:
    """The longest prefix of `path` present in `doc` (where to point a "missing" error)."""
    found: tuple[str, ...] = ()
    for key in path:
        if not isinstance(doc, dict) or key not in doc:
            break
        doc = doc[key]
        found = (*found, key)
    return found


def _decide(
    kind: str,
    pod_meta: dict[str, Any],
    spec: dict[str, Any],
    template_meta: Any,
    *,
    namespace: str,
    request: InjectionRequest,
) -> Decision:
    """Decide on the pod template's own metadata: the only metadata the webhook sees.

    For every kind but CronJob that is also the metadata injection writes to. A CronJob's
    pods are created from `spec.jobTemplate.spec.template`; istioctl reads (and writes)
    `spec.jobTemplate.metadata` instead, so where that makes its manual decision differ,
    the reason says so.
    """
    own = template_meta if isinstance(template_meta, dict) else {}
    own_namespace = own.get("namespace")
    policy = request.policy
    decision = decide(
        pod_labels=_str_map(own.get("labels")),
        pod_annotations=_str_map(own.get("annotations")),
        host_network=spec.get("hostNetwork") is True,
        pod_namespace=str(own_namespace) if own_namespace else None,
        workload_namespace=namespace,
        namespace=request.namespaces.get(namespace),
        settings=policy,
        known_namespaces=request.namespaces if policy.mode == "webhook" else None,
    )
    if kind == "CronJob" and policy.mode == "manual" and pod_meta is not template_meta:
        istioctl = decide(
            pod_labels=_str_map(pod_meta.get("labels")),
            pod_annotations=_str_map(pod_meta.get("annotations")),
            host_network=spec.get("hostNetwork") is True,
            pod_namespace=str(own_namespace) if own_namespace else None,
            workload_namespace=namespace,
            namespace=None,
            settings=policy,
        )
        if istioctl.inject != decision.inject:
            would = "inject" if istioctl.inject else "skip"
            note = (
                f"istioctl kube-inject would {would} it: it decides on "
                "spec.jobTemplate.metadata, which the CronJob's pods never get"
            )
            return replace(decision, reason=f"{decision.reason}; {note}")
    return decision
