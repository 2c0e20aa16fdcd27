"""The oracle's decisions hold for every workload kind, not only for a bare pod template.

The webhook sees only the Pod, so what decides is the pod template's own metadata: a
Deployment's `spec.template.metadata`, a CronJob's `spec.jobTemplate.spec.template.metadata`,
a List item's template. Each case puts the scenario's labels and annotations there, and
contrary decoys where the webhook never looks (the workload's own metadata, a CronJob's
`spec.jobTemplate.metadata`), then runs the whole document through `inject_document`.
"""

from __future__ import annotations

import itertools
from functools import cache
from typing import Any

import pytest

from meshinject.config import build_config
from meshinject.inject.document import InjectionRequest, inject_document
from meshinject.inject.settings import InjectSettings, settings_from_config
from meshinject.options import RunOptions
from meshinject.policy import NamespaceInfo, PolicySettings

from .webhook_oracle import INJECT, INJECTION, REV, Scenario, expected_manual, expected_webhook

KINDS = [
    "Pod",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "ReplicaSet",
    "ReplicationController",
    "Job",
    "CronJob",
    "DeploymentConfig",
    "List",
]
NAMESPACE_LABELS: list[dict[str, str]] = [
    {},
    {INJECTION: "enabled"},
    {INJECTION: "disabled"},
    {REV: "default"},
    {REV: "1-20"},
    {REV: "canary"},
]
POD_INJECT_LABELS: list[str | None] = [None, "true", "false"]
POD_INJECT_ANNOTATIONS: list[str | None] = [None, "false"]
POD_REVISIONS: list[str | None] = [None, "1-20"]
REVISIONS = frozenset({"default", "1-20"})
NAMESPACE = "shop"
COMBINATIONS = len(NAMESPACE_LABELS) * 3 * 2 * 2


@cache
def _settings(revision: str) -> InjectSettings:
    config = build_config(RunOptions(revision="" if revision == "default" else revision))
    return settings_from_config(config)


def _request(mode: str, ns_labels: dict[str, str]) -> InjectionRequest:
    return InjectionRequest(
        settings=_settings("default"),
        policy=PolicySettings(
            mode="manual" if mode == "manual" else "webhook", revisions=REVISIONS
        ),
        namespaces={NAMESPACE: NamespaceInfo(NAMESPACE, ns_labels)},
        settings_for_revision=_settings,
        output_style="minimal",
    )


def _decoy(labels: dict[str, str]) -> dict[str, Any]:
    """Metadata the webhook never sees, saying the opposite of the pod's."""
    opposite = "true" if labels.get(INJECT) == "false" else "false"
    return {"labels": {INJECT: opposite, REV: "canary"}, "annotations": {INJECT: opposite}}


def _document(kind: str, labels: dict[str, str], annotations: dict[str, str]) -> dict[str, Any]:
    pod_meta: dict[str, Any] = {"labels": dict(labels)}
    if annotations:
        pod_meta["annotations"] = dict(annotations)
    pod_spec = {"containers": [{"name": "web", "image": "web:1"}]}
    top = {"name": "web", "namespace": NAMESPACE}
    if kind == "Pod":
        return {
            "apiVersion": "v1",
            "kind": "Pod",
            "metadata": {**top, **pod_meta},
            "spec": pod_spec,
        }
    template = {"metadata": pod_meta, "spec": pod_spec}
    if kind == "CronJob":
        job = {"metadata": _decoy(labels), "spec": {"template": template}}
        spec: dict[str, Any] = {"schedule": "@hourly", "jobTemplate": job}
    else:
        spec = {"template": template}
    doc = {"apiVersion": "v1", "kind": kind, "metadata": {**top, **_decoy(labels)}, "spec": spec}
    if kind == "List":
        doc["kind"] = "Deployment"
        return {"apiVersion": "v1", "kind": "List", "items": [doc]}
    return doc


@pytest.mark.parametrize("mode", ["webhook", "manual"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_decides_on_its_pod_template_as_the_oracle_does(kind: str, mode: str) -> None:
    count, failures = 0, []
    for ns_labels, label, annotation, pod_rev in itertools.product(
        NAMESPACE_LABELS, POD_INJECT_LABELS, POD_INJECT_ANNOTATIONS, POD_REVISIONS
    ):
        labels = {"app": "web"}
        if label is not None:
            labels[INJECT] = label
        if pod_rev is not None:
            labels[REV] = pod_rev
        annotations = {} if annotation is None else {INJECT: annotation}
        scenario = Scenario(
            ns_name=NAMESPACE,
            ns_labels=ns_labels,
            pod_labels=labels,
            pod_annotations=annotations,
            revisions=REVISIONS,
        )
        if mode == "webhook":
            expected = expected_webhook(scenario)
        else:
            expected = expected_manual(scenario, None, "default")
        result = inject_document(_document(kind, labels, annotations), _request(mode, ns_labels))
        [report] = result.workloads
        got = (report.outcome == "injected", report.revision or None)
        if got != (expected.inject, expected.revision):
            failures.append(f"{scenario}: got {got}, oracle {expected}: {report.reason}")
        assert result.changed == expected.inject
        count += 1
    assert failures[:3] == []
    assert count == COMBINATIONS
