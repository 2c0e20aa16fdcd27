"""Uninject: give back the manifest an injection started from, byte for byte.

`meshinject uninject` and re-injection (injecting an injected file, e.g. with a newer
config) both start by removing a previous injection. Removal is data-level (`unapply` in
`meshinject.inject.status`); the text editor then deletes exactly the lines injection
inserted and puts back exactly the scalars it replaced, because its insertions and
deletions are inverses. So `uninject(inject(x)) == x` needs the data to be exact.

Nothing new is recorded for that: the status JSON, env vars and annotations must stay
what Istio writes (the conformance corpus compares them as data), and comments would be
noise in the user's diff. What injection added is deduced instead:

* containers, init containers, volumes and pull secrets: listed in the status annotation;
* probes and lifecycle hooks: recorded by Istio in ISTIO_KUBE_APP_PROBERS; the recorded
  action goes back at the key position of the rewritten `httpGet`, and a port number a
  container port names is written as that name (the recording resolves names);
* Prometheus annotations: the app's own values are recorded in
  ISTIO_PROMETHEUS_ANNOTATIONS and go back in place; the others were added;
* labels and annotations the template adds: injection appends them, in a fixed order,
  after the user's keys. The tail of each mapping that consists of such keys, in that
  order and with the values injection writes, is injection's; a user's key of the same
  name sits before it (see `_trailing_additions`);
* Go zero-value fields of `--style istio` (`status: {replicas: 0}`, `updateStrategy: {}`):
  removed when the style is istio and they hold exactly the zero values.

The text side cooperates (`meshinject.yamltext.splice`): a key replacing deleted ones
(httpGet for tcpSocket) takes their place, a number turned back into text (a probe port
back to its name) is quoted the way the document quotes that text elsewhere, and changed
`List` items are edited in place.

Where the input does not determine the original, the choice is one that injects to the
same pod, so `inject(uninject(inject(x))) == inject(x)` always holds (as data). Those cases:
a probe written with the number of a named container port comes back with the name; a
user's own label or annotation that injection would add, as the user's last key, in the
order and with the value injection writes, is removed; a TCP/gRPC probe action comes back
without comments inside it and with a plain port name (injection replaces it, and only its
data is recorded); an empty collection injection filled that was its mapping's last key is
not restored, and a null one comes back empty; the DeploymentConfig defaults istio style
changes (`test: false`, dropped zero values) stay; a user's own istio-proxy container comes
back from `proxy.istio.io/overrides` as Go wrote it there. What non-default and user
templates wrote, and emptied collections that were there, are found by
`meshinject.uninject_exact` (re-injection, key order included).

A workload injected by istioctl (or with another config, or edited since) is handled the
same way, best effort: `uninject` re-injects its result and warns when that does not
reproduce the input. It never adds `sidecar.istio.io/inject: "false"`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from meshinject.datacopy import clone
from meshinject.errors import InjectionError, MeshInjectError
from meshinject.inject.document import (
    DocumentResult,
    InjectionRequest,
    WorkloadReport,
    inject_document,
)
from meshinject.inject.godefaults import _STATUS as GO_ZERO_STATUS
from meshinject.inject.godefaults import _UPDATE_STRATEGY as GO_UPDATE_STRATEGY
from meshinject.inject.kinds import LIST_KINDS, WORKLOAD_KINDS, get_path, pod_paths
from meshinject.inject.status import STATUS, unapply
from meshinject.uninject_exact import refine
from meshinject.yamltext import LoadedDocument, edit_document, load_document
from meshinject.yamltext.diff import same

BEST_EFFORT = (
    "best effort: injecting the result again does not give this workload back (it was "
    "injected by istioctl or with another config, or edited since); review the result"
)


def _workloads(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict):
        return []
    if _kind(data) in LIST_KINDS:
        items = data.get("items")
        if not isinstance(items, list):
            return []
        return [i for i in items if isinstance(i, dict) and _kind(i) in WORKLOAD_KINDS]
    return [data] if _kind(data) in WORKLOAD_KINDS else []


def _kind(data: dict[str, Any]) -> str:
    """`kind` as a string ("" when missing or not a string, such as a mapping typed by mistake)."""
    kind = data.get("kind")
    return kind if isinstance(kind, str) else ""


def _pod_meta(doc: dict[str, Any]) -> Any:
    return get_path(doc, pod_paths(str(doc.get("kind")))[0])


def is_injected(data: Any) -> bool:
    """True if any workload of the document carries a `sidecar.istio.io/status`."""
    for doc in _workloads(data):
        meta = _pod_meta(doc)
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(annotations, dict) and STATUS in annotations:
            return True
    return False


def _drop_go_defaults(doc: dict[str, Any]) -> None:
    """Remove the zero-value fields `--style istio` adds, when they hold exactly those."""
    kind = str(doc.get("kind"))
    spec = doc.get("spec")
    if kind in GO_UPDATE_STRATEGY and isinstance(spec, dict) and spec.get("updateStrategy") == {}:
        del spec["updateStrategy"]
    fields = GO_ZERO_STATUS.get(kind, ())
    status = doc.get("status")
    zero: dict[str, Any] = dict.fromkeys(fields, 0)
    if isinstance(status, dict) and same(status, zero):
        del doc["status"]


def _uninject_workload(doc: dict[str, Any], request: InjectionRequest) -> WorkloadReport | None:
    kind = str(doc.get("kind"))
    meta_path, spec_path = pod_paths(kind)
    meta = get_path(doc, meta_path)
    spec = get_path(doc, spec_path)
    top: dict[str, Any] = doc["metadata"] if isinstance(doc.get("metadata"), dict) else {}
    name = str(top.get("name") or top.get("generateName") or "")
    namespace = str(top.get("namespace") or request.default_namespace)
    if not isinstance(meta, dict) or not isinstance(spec, dict):
        return None
    annotations = meta.get("annotations")
    if not isinstance(annotations, dict) or STATUS not in annotations:
        return WorkloadReport(
            kind, name, namespace, "skipped", "not injected (no sidecar.istio.io/status)"
        )
    extra = tuple(request.settings.injected_annotations)
    try:
        pod = unapply({"metadata": meta, "spec": spec}, injected_annotations=extra)
    except InjectionError as exc:
        exc.data_path = meta_path + exc.data_path[1:]  # pod-relative -> document path
        raise
    new_meta = pod["metadata"]
    if new_meta or kind == "Pod":
        meta.clear()
        meta.update(new_meta)
    else:  # injection created the pod template's metadata
        parent = get_path(doc, meta_path[:-1])
        parent.pop(meta_path[-1], None)
    parent = get_path(doc, spec_path[:-1])
    parent[spec_path[-1]] = pod["spec"]
    if request.output_style == "istio":
        _drop_go_defaults(doc)
    return WorkloadReport(kind, name, namespace, "injected", "sidecar removed", rule="uninjected")


# What Istio's non-default templates (grpc-agent, gateway, grpc-simple...) add to a pod
# besides what the status annotation lists; a user may write them too, so they stay.
_TEMPLATE_ANNOTATIONS = (
    "kubectl.kubernetes.io/default-logs-container",
    "kubectl.kubernetes.io/default-container",
    "sidecar.istio.io/rewriteAppHTTPProbers",
    "istio.io/rev",
)
_UNPRIVILEGED_PORTS = "net.ipv4.ip_unprivileged_port_start"


def template_residue(pod: dict[str, Any]) -> str:
    """A warning naming what a non-default template may have left in the uninjected `pod`
    (its own additions cannot be told from the user's), or "" when there is nothing."""
    meta = pod.get("metadata") or {}
    annotations = meta.get("annotations") or {}
    templates = str(annotations.get("inject.istio.io/templates") or "")
    if not templates or templates == "sidecar":
        return ""
    left = [f"annotation {key}" for key in _TEMPLATE_ANNOTATIONS if key in annotations]
    security = (pod.get("spec") or {}).get("securityContext")
    if isinstance(security, dict):
        if security.get("fsGroup") == 1337:  # the proxy's group
            left.append("securityContext.fsGroup: 1337")
        sysctls = security.get("sysctls")
        if isinstance(sysctls, list) and any(
            isinstance(item, dict) and item.get("name") == _UNPRIVILEGED_PORTS for item in sysctls
        ):
            left.append(f"securityContext.sysctls {_UNPRIVILEGED_PORTS}")
    if not left:
        return ""
    return (
        f"the {templates} template(s) may have added {', '.join(left)}; they stay, since "
        "they cannot be told from your own: review the result"
    )


def _uninject(data: Any, request: InjectionRequest) -> DocumentResult:
    if not isinstance(data, dict):
        return DocumentResult(data, False, [])
    new = clone(data)
    in_list = _kind(new) in LIST_KINDS
    reports = []
    items = new.get("items") if in_list else [new]
    for index, item in enumerate(items if isinstance(items, list) else []):
        if isinstance(item, dict) and _kind(item) in WORKLOAD_KINDS:
            try:
                report = _uninject_workload(item, request)
            except InjectionError as exc:
                if in_list:
                    exc.data_path = ("items", index, *exc.data_path)
                raise
            if report is not None:
                report.item = index if in_list else None
                reports.append(report)
    if in_list and new.get("metadata") == {} and "metadata" not in data:
        del new["metadata"]
    changed = not same(new, data)
    return DocumentResult(new if changed else data, changed, reports)


def _reinjector(
    request: InjectionRequest, *, in_list: bool
) -> Callable[[dict[str, Any], int], tuple[Any, dict[str, Any] | None]]:
    """Injects one workload in the run's output style (attempt 0) or the other one
    (attempt 1): the injected workload (None when that fails) and what its templates
    wrote."""
    other = "minimal" if request.output_style == "istio" else "istio"
    requests = (request, _with_style(request, other))

    def reinject(workload: dict[str, Any], attempt: int) -> tuple[Any, dict[str, Any] | None]:
        doc = {"apiVersion": "v1", "kind": "List", "items": [workload]} if in_list else workload
        written: list[dict[str, Any]] = []
        try:
            again = inject_document(doc, requests[attempt], written=written)
        except MeshInjectError:
            return None, None
        data = again.data
        if in_list:
            items = data.get("items") if isinstance(data, dict) else None
            data = items[0] if isinstance(items, list) and items else None
        return data, written[0] if written else None

    return reinject


def _with_style(request: InjectionRequest, style: str) -> InjectionRequest:
    from dataclasses import replace

    return replace(request, output_style=style)  # type: ignore[arg-type]


def uninject_document(data: Any, request: InjectionRequest) -> DocumentResult:
    """Remove every injection in `data`, exactly (see `meshinject.uninject_exact`); warns
    on workloads it cannot verify (best effort)."""
    result = _uninject(data, request)
    if not result.changed:
        return result
    in_list = _kind(data) in LIST_KINDS
    reinject = _reinjector(request, in_list=in_list)
    for report in result.workloads:
        if report.outcome != "injected":
            continue
        if in_list:
            index = report.item if report.item is not None else -1
            original, first = data["items"][index], result.data["items"][index]
        else:
            original, first = data, result.data
        exact, verified = refine(original, first, reinject)
        if in_list:
            result.data["items"][index] = exact
        elif exact is not first:
            result.data = exact
        if not verified:
            report.warnings.append(BEST_EFFORT)
            residue = template_residue(_pod_of(exact))
            if residue:
                report.warnings.append(residue)
    result.changed = not same(result.data, data)
    if not result.changed:
        result.data = data
    return result


def _pod_of(doc: dict[str, Any]) -> dict[str, Any]:
    meta_path, spec_path = pod_paths(str(doc.get("kind")))
    meta, spec = get_path(doc, meta_path), get_path(doc, spec_path)
    return {
        "metadata": meta if isinstance(meta, dict) else {},
        "spec": spec if isinstance(spec, dict) else {},
    }


def reinjection_source(loaded: LoadedDocument, request: InjectionRequest) -> LoadedDocument:
    """`loaded` with any previous injection removed from its text, ready to inject again.

    Injecting this text instead of editing the injected one makes re-injection give
    exactly what injecting the original gives (with any config). When the text cannot be
    edited safely, `loaded` itself is returned (injection then strips the data only).
    """
    if not is_injected(loaded.data):
        return loaded
    try:
        result = _uninject(loaded.data, request)
    except MeshInjectError:
        return loaded  # injection strips the data itself and reports the problem
    if not result.changed:
        return loaded
    try:
        return load_document(edit_document(loaded, result.data))
    except MeshInjectError:
        return loaded
