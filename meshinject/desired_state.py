"""Desired state: the file says what the cluster would run.

Re-injection starts from the workload with its previous injection removed (see
`meshinject.uninject.reinjection_source`), and policy decides on that. So when policy now
says "no sidecar" for a workload whose file carries one that an injection wrote (it has a
`sidecar.istio.io/status`), the output is the workload without it, exactly the text
`meshinject uninject` writes; and a workload injected by another revision than the one
policy now selects is injected again by the right one. This module decides what to write
from that and names the outcomes in the workload reports: "removed", and a reason that
mentions the revision change.
"""

from __future__ import annotations

from typing import Any

from meshinject.datacopy import clone
from meshinject.inject.document import DocumentResult, InjectionRequest
from meshinject.inject.kinds import LIST_KINDS, WORKLOAD_KINDS, get_path
from meshinject.inject.kinds import pod_paths as _pod_paths
from meshinject.inject.status import STATUS, InjectionStatus


def previous_injections(data: Any) -> dict[int | None, InjectionStatus]:
    """The status of every workload of a document that carries one (key: List item index,
    None for a single workload)."""
    found: dict[int | None, InjectionStatus] = {}
    if not isinstance(data, dict):
        return found
    pairs: list[tuple[int | None, Any]] = [(None, data)]
    if data.get("kind") in LIST_KINDS:
        items = data.get("items")
        pairs = list(enumerate(items)) if isinstance(items, list) else []
    for index, item in pairs:
        if not isinstance(item, dict) or item.get("kind") not in WORKLOAD_KINDS:
            continue
        meta = get_path(item, _pod_paths(str(item["kind"]))[0])
        annotations = meta.get("annotations") if isinstance(meta, dict) else None
        if isinstance(annotations, dict) and STATUS in annotations:
            found[index] = InjectionStatus.parse(annotations[STATUS])
    return found


def desired_data(original: Any, result: DocumentResult, request: InjectionRequest) -> Any:
    """What to write for a document that carried injections (`original`), given `result`,
    the injection of its workloads with those injections removed.

    The reports are updated to name what changes: a sidecar removed, or a revision
    changed. One exception keeps the file's sidecar: in webhook mode, a workload whose
    namespace no source declares. Its labels are unknown (a namespace kept outside the
    repository, or a typo, which gets a warning), so its sidecar is not taken away on a
    guess.
    """
    previous = previous_injections(original)
    data = result.data
    for report in result.workloads:
        status = previous.get(report.item)
        if status is None:
            continue
        if report.outcome == "skipped" and _unknown_namespace(report.namespace, request):
            report.reason += (
                f"; the sidecar in the file is kept, since namespace {report.namespace}'s "
                "labels are unknown"
            )
            data = _restored(data, original, report.item)
        elif report.outcome == "skipped":
            report.outcome = "removed"
            report.reason = (
                f"{report.reason}, so the sidecar injection wrote into the file is removed "
                "(as meshinject uninject does)"
            )
        elif report.outcome == "injected":
            before = status.revision or "default"
            if before != report.revision:
                report.reason = (
                    f"{report.reason}; re-injected by revision {report.revision} (the file's "
                    f"sidecar came from revision {before})"
                )
    return data


def _unknown_namespace(namespace: str, request: InjectionRequest) -> bool:
    return request.policy.mode == "webhook" and namespace not in request.namespaces


def _restored(data: Any, original: Any, item: int | None) -> Any:
    """`data` with the workload at `item` (None: the document) as in `original`."""
    if item is None:
        return original
    new = clone(data)
    new["items"][item] = clone(original["items"][item])
    return new
