"""Desired state: the file says what the cluster would run.

Re-injection starts from the workload with its previous injection removed (see
`meshinject.uninject.reinjection_source`), and policy decides on that. So when policy now
says "no sidecar" for a workload whose file carries one that an injection wrote (it has a
`sidecar.istio.io/status`), the output is the workload without it, exactly the text
`meshinject uninject` writes; and a workload injected by another revision than the one
policy now selects is injected again by the right one. This module only names those
outcomes in the workload reports: "removed", and a reason that mentions the revision
change.
"""

from __future__ import annotations

from typing import Any

from meshinject.inject.document import LIST_KINDS, WORKLOAD_KINDS, WorkloadReport, get_path
from meshinject.inject.document import pod_paths as _pod_paths
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


def mark_changes(original: Any, reports: list[WorkloadReport]) -> None:
    """Name, in `reports` (made on the workloads with their injection removed), what the
    desired state changes in `original`: a sidecar removed, or a revision changed."""
    previous = previous_injections(original)
    if not previous:
        return
    for report in reports:
        status = previous.get(report.item)
        if status is None:
            continue
        if report.outcome == "skipped":
            report.outcome = "removed"
            report.rule = report.rule or "removed"
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
