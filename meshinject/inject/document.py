"""Inject one Kubernetes document (a workload, or a List of them), as pure data.

`inject_document` finds the pod template of every workload kind Istio injects (matched on
`kind` whatever the apiVersion), asks the policy whether to inject, injects, and returns
the new document plus a report per workload. It never prints and never touches files.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from meshinject.datacopy import clone
from meshinject.errors import InjectionError, MeshInjectError
from meshinject.gostring import go_string
from meshinject.inject.godefaults import apply_go_defaults
from meshinject.inject.kinds import LIST_KINDS, WORKLOAD_KINDS, get_path, pod_paths
from meshinject.inject.pod import inject_pod
from meshinject.inject.settings import InjectSettings
from meshinject.inject.shape import check_kind, check_shape
from meshinject.inject.template_data import Workload
from meshinject.policy import Decision, NamespaceInfo, PolicySettings, decide
from meshinject.yamltypes import yaml_type_name

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
    # Injected (or uninjected) and its document's text changed; False for a workload that
    # was already up to date. Set by the stream layer, which sees the text.
    changed: bool = False


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
    # "minimal" (the GitOps default): only the sidecar; "istio": also the Go zero-value
    # fields istioctl's output has (what Istio's kube-inject goldens hold).
    output_style: Literal["istio", "minimal"] = "minimal"
    # No mode was asked for and none of the settings implied one: namespace labels found
    # in the input switch the run to webhook mode.
    auto_mode: bool = False

    def with_namespaces(self, found: Mapping[str, NamespaceInfo]) -> InjectionRequest:
        """This request with the namespaces the input declares (they win over earlier
        sources); any declared namespace chooses webhook mode if no mode was set, as the
        issue's contract says: the run then knows what the webhook would see (`--mode manual`
        keeps istioctl's manual injection)."""
        namespaces = {**self.namespaces, **found}
        policy = self.policy
        if self.auto_mode and found:
            policy = replace(policy, mode="webhook")
        return replace(self, namespaces=namespaces, policy=policy, auto_mode=False)


def _str_map(value: Any) -> dict[str, str]:
    """A `map[string]string` (labels, annotations) as Go decodes it (P64)."""
    if not isinstance(value, dict):
        return {}
    return {str(k): go_string(v) for k, v in value.items()}


def _meta_string(meta: dict[str, Any], key: str) -> str:
    """A string field of metadata as Go decodes it: an unquoted `on` is "true" (P64)."""
    value = meta.get(key)
    return "" if value is None else go_string(value)


def _not_string_warnings(metas: list[Any]) -> list[str]:
    """A name or namespace YAML 1.1 reads as a boolean or a number: istioctl (and so
    meshinject) uses its Go spelling, which is seldom what was meant."""
    out: list[str] = []
    for meta in {id(m): m for m in metas}.values():
        for key in ("name", "generateName", "namespace") if isinstance(meta, dict) else ():
            value = meta.get(key)
            if value is not None and not isinstance(value, str):
                spelled = go_string(value)
                out.append(
                    f"metadata.{key} is {yaml_type_name(value)}, not a string (YAML 1.1 reads "
                    f'unquoted on/off/yes/no as booleans): injected as "{spelled}", as '
                    "istioctl does; quote the value you meant"
                )
    return out


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
    name = _meta_string(meta, "name")
    if kind == "Pod" and meta.get("generateName"):
        for ref in meta.get("ownerReferences") or []:
            if isinstance(ref, dict) and ref.get("controller") is True:
                labels = meta.get("labels")
                return _controller_workload(
                    ref, labels if isinstance(labels, dict) else {}, namespace
                )
    return Workload(kind=kind, api_version=api_version, name=name, namespace=namespace)


_CRONJOB_RUN = re.compile(r"(.+)-\d{8,10}$")


def _controller_workload(ref: dict[str, Any], labels: dict[str, Any], namespace: str) -> Workload:
    """Istio's guess of the real workload behind a generated Pod's controller (P29)."""
    kind, api_version = go_string(ref.get("kind")), go_string(ref.get("apiVersion"))
    name = go_string(ref.get("name"))
    pod_hash = go_string(labels.get("pod-template-hash"))
    rollout_hash = go_string(labels.get("rollouts-pod-template-hash"))
    if kind == "ReplicaSet" and pod_hash and name.endswith(pod_hash):
        kind, name = "Deployment", name.removesuffix("-" + pod_hash)
    elif kind == "ReplicaSet" and rollout_hash and name.endswith(rollout_hash):
        kind, api_version, name = "Rollout", "v1alpha1", name.removesuffix("-" + rollout_hash)
    elif kind == "ReplicationController" and labels.get("deploymentconfig"):
        kind, name = "DeploymentConfig", go_string(labels["deploymentconfig"])
    elif kind == "Job" and (run := _CRONJOB_RUN.match(name)):
        kind, api_version, name = "CronJob", "batch/v1", run.group(1)
    return Workload(kind=kind, api_version=api_version, name=name, namespace=namespace)


def inject_document(
    data: Any, request: InjectionRequest, *, written: list[dict[str, Any]] | None = None
) -> DocumentResult:
    """Inject every workload in `data`; returns the original object when nothing changed.

    `written`, when given, receives per injected workload what its templates wrote
    (`PodResult.written`), in document order: uninject reads it (R8).
    """
    if not isinstance(data, dict):
        return DocumentResult(data, False, [])
    check_kind(data, ())
    kind = data.get("kind")
    if kind in LIST_KINDS:
        return _inject_list(data, request, written)
    if kind not in WORKLOAD_KINDS:
        return DocumentResult(data, False, [])
    new = clone(data)
    report = _inject_workload(new, request, written)
    changed = report.outcome == "injected"
    if changed and request.output_style == "istio":
        apply_go_defaults(new)
    return DocumentResult(new if changed else data, changed, [report])


def _inject_list(
    data: dict[str, Any], request: InjectionRequest, written: list[dict[str, Any]] | None
) -> DocumentResult:
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
        check_kind(item, ("items", index))
        if item.get("kind") in WORKLOAD_KINDS:
            report = _inject_workload(item, request, written)
            report.item = index
            if isinstance(report.error, InjectionError) and report.error.data_path:
                report.error.data_path = ("items", index, *report.error.data_path)
            reports.append(report)
            if report.outcome == "injected" and request.output_style == "istio":
                apply_go_defaults(item)
    changed = any(r.outcome == "injected" for r in reports)
    return DocumentResult(new if changed else data, changed, reports)


def _inject_workload(
    doc: dict[str, Any],
    request: InjectionRequest,
    written: list[dict[str, Any]] | None = None,
) -> WorkloadReport:
    kind = sys.intern(str(doc.get("kind")))  # interned: reports of a big stream share them
    raw_meta = doc.get("metadata")
    meta: dict[str, Any] = raw_meta if isinstance(raw_meta, dict) else {}
    name = _meta_string(meta, "name") or _meta_string(meta, "generateName")
    namespace = sys.intern(_meta_string(meta, "namespace") or request.default_namespace)
    report = WorkloadReport(kind=kind, name=name, namespace=namespace, outcome="skipped", reason="")
    try:
        check_shape(doc, kind)
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
        report.warnings.extend(_not_string_warnings([meta, template_meta]))
        revision = decision.revision or "default"
        settings = request.settings
        if request.settings_for_revision is not None:
            settings = request.settings_for_revision(revision)
        workload = _workload_identity(doc, namespace)
        pod = {"metadata": pod_meta, "spec": spec}  # inject_pod copies before changing
        # Only Istio's webhook sees the namespace (OpenShift UIDs); kube-inject never does.
        openshift = request.policy.mode == "webhook" and _is_openshift(settings)
        uid, gid = _proxy_ids(request.namespaces.get(namespace) if openshift else None)
        result = inject_pod(
            pod,
            workload=workload,
            settings=settings,
            proxy_uid=uid,
            proxy_gid=gid,
            openshift=openshift,
            manual=request.policy.mode == "manual",
        )
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
        if settings.release_skew and not set(result.templates) <= set(settings.custom_templates):
            report.warnings.append(settings.release_skew)
        if written is not None:
            written.append(result.written)
    except MeshInjectError as exc:
        if isinstance(exc, InjectionError) and exc.data_path[:1] == ("metadata",):
            # The pod's metadata lives at `meta_path` inside the document.
            exc.data_path = pod_paths(kind)[0] + exc.data_path[1:]
        elif isinstance(exc, InjectionError) and getattr(exc, "pod_relative", False):
            exc.data_path = pod_paths(kind)[1] + exc.data_path[1:]  # ("spec", ...)
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


def _is_openshift(settings: InjectSettings) -> bool:
    platform = settings.platform or settings.pilot_env.get("PLATFORM", "")
    return platform.lower() == "openshift"


def _proxy_ids(namespace: NamespaceInfo | None) -> tuple[int, int]:
    """The proxy's UID/GID: the top of an OpenShift namespace's assigned ranges, else 1337."""
    if namespace is None:
        return 1337, 1337
    uid = _last_id(namespace.annotations.get("openshift.io/sa.scc.uid-range"))
    gid = _last_id(namespace.annotations.get("openshift.io/sa.scc.supplemental-groups"))
    return uid or 1337, gid or 1337


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
    policy = request.policy
    decision = decide(
        pod_labels=_str_map(own.get("labels")),
        pod_annotations=_str_map(own.get("annotations")),
        host_network=spec.get("hostNetwork") is True,
        pod_namespace=_meta_string(own, "namespace") or None,
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
            pod_namespace=_meta_string(own, "namespace") or None,
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
