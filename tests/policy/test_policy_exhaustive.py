"""`decide()` against the independent oracle over the whole decision space.

Webhook mode crosses namespace label states x pod inject label x pod inject annotation x
pod `istio.io/rev` x never/always selectors x policy x installed revisions and tags x
enableNamespacesByDefault x pod placement (hostNetwork, system namespace). Manual mode
crosses what kube-inject reads. The counts are asserted so a shrunk space is noticed.
"""

from __future__ import annotations

import itertools

from meshinject.policy.decide import decide
from meshinject.policy.namespaces import NamespaceInfo
from meshinject.policy.selectors import LabelSelector

from .helpers import mismatch, settings_for, warning_kinds
from .webhook_oracle import INJECT, INJECTION, REV, Scenario, expected_manual, expected_webhook

NAMESPACE_LABELS: list[dict[str, str]] = [
    {},
    {INJECTION: "enabled"},
    {INJECTION: "disabled"},
    {INJECTION: "true"},  # a common mistake: any value but "enabled" disables
    {REV: "default"},
    {REV: "1-20"},
    {REV: "prod"},  # a tag, when configured
    {REV: "canary"},  # never configured
    {INJECTION: "enabled", REV: "1-20"},
]
INJECT_VALUES: list[str | None] = [None, "true", "false", "", "yes"]
POD_REVISIONS: list[str | None] = [None, "default", "1-20", "prod", "canary"]

_EMPTY = LabelSelector()
_MATCH_WEB = LabelSelector.parse({"matchLabels": {"app": "web"}})
_APP_EXISTS = LabelSelector.parse({"matchExpressions": [{"key": "app", "operator": "Exists"}]})
_NOT_WEB = LabelSelector.parse(
    {"matchExpressions": [{"key": "app", "operator": "NotIn", "values": ["web"]}]}
)
# (never, always) for pods labelled app=web. Istio skips empty selectors (an empty
# Kubernetes selector would match everything), so they ride along where matching them
# would change the outcome.
SELECTORS: list[tuple[tuple[LabelSelector, ...], tuple[LabelSelector, ...]]] = [
    ((_EMPTY,), (_EMPTY, _NOT_WEB)),  # nothing effective
    ((_EMPTY, _NOT_WEB, _MATCH_WEB), ()),  # never matches
    ((_EMPTY, _NOT_WEB), (_EMPTY, _APP_EXISTS)),  # always matches
    ((_MATCH_WEB,), (_APP_EXISTS,)),  # both match: never wins
]
POLICIES = ["enabled", "disabled", "on"]
CLUSTERS: list[tuple[frozenset[str], dict[str, str]]] = [
    (frozenset({"default"}), {}),
    (frozenset({"default"}), {"prod": "default"}),
    (frozenset({"default", "1-20"}), {}),
    (frozenset({"default", "1-20"}), {"prod": "1-20"}),
    (frozenset({"default", "1-20"}), {"default": "1-20", "prod": "1-20"}),  # double injection
    (frozenset({"1-20"}), {}),
    (frozenset({"1-20"}), {"prod": "1-20"}),
    (frozenset({"1-20"}), {"default": "1-20"}),
]
# (namespace, hostNetwork): hostNetwork and system namespaces both end the §5.3 check.
PLACEMENTS = [("production", False), ("production", True), ("kube-system", False)]

WEBHOOK_COMBINATIONS = 648_000
MANUAL_COMBINATIONS = 1_800


def _pod(inject_label: str | None, rev: str | None) -> dict[str, str]:
    labels = {"app": "web"}
    if inject_label is not None:
        labels[INJECT] = inject_label
    if rev is not None:
        labels[REV] = rev
    return labels


def _annotations(value: str | None) -> dict[str, str]:
    return {} if value is None else {INJECT: value}


def test_webhook_mode_matches_oracle_for_every_combination() -> None:
    count, failures = 0, []
    for (revisions, tags), by_default, (never, always), policy in itertools.product(
        CLUSTERS, [False, True], SELECTORS, POLICIES
    ):
        base = Scenario(
            ns_name="",
            ns_labels={},
            pod_labels={},
            pod_annotations={},
            revisions=revisions,
            tags=tags,
            policy=policy,
            never=never,
            always=always,
            enable_by_default=by_default,
        )
        settings = settings_for(base)
        for ns_labels, (ns_name, host), label, annotation, pod_rev in itertools.product(
            NAMESPACE_LABELS, PLACEMENTS, INJECT_VALUES, INJECT_VALUES, POD_REVISIONS
        ):
            scenario = Scenario(
                ns_name=ns_name,
                ns_labels=ns_labels,
                pod_labels=_pod(label, pod_rev),
                pod_annotations=_annotations(annotation),
                host_network=host,
                revisions=revisions,
                tags=tags,
                policy=policy,
                never=never,
                always=always,
                enable_by_default=by_default,
            )
            decision = decide(
                pod_labels=scenario.pod_labels,
                pod_annotations=scenario.pod_annotations,
                host_network=host,
                pod_namespace=None,
                workload_namespace=ns_name,
                namespace=NamespaceInfo(ns_name, ns_labels),
                settings=settings,
            )
            problem = mismatch(decision, expected_webhook(scenario))
            if problem is not None:
                failures.append(f"{scenario}: {problem}")
            count += 1
    assert failures[:5] == []
    assert count == WEBHOOK_COMBINATIONS


def test_manual_mode_matches_oracle_for_every_combination() -> None:
    count, failures = 0, []
    # Manual mode must ignore namespace labels, pod istio.io/rev, selectors and policy.
    ignored_inputs = [
        ({}, None, (), "enabled"),
        ({INJECTION: "disabled"}, "canary", (_MATCH_WEB,), "disabled"),
    ]
    for (
        ns_labels,
        pod_rev,
        never,
        policy,
    ), revision, pod_namespace, workload_ns, host in itertools.product(
        ignored_inputs,
        ["default", "1-20", "prod"],
        [None, "production", "kube-system"],
        ["production", "kube-system"],
        [False, True],
    ):
        settings = settings_for(
            Scenario(
                ns_name=workload_ns,
                ns_labels={},
                pod_labels={},
                pod_annotations={},
                revisions=frozenset({"default", "1-20"}),
                tags={"prod": "1-20"},
                policy=policy,
                never=never,
            ),
            mode="manual",
            manual_revision=revision,
        )
        for label, annotation in itertools.product(INJECT_VALUES, INJECT_VALUES):
            scenario = Scenario(
                ns_name=workload_ns,
                ns_labels=ns_labels,
                pod_labels=_pod(label, pod_rev),
                pod_annotations=_annotations(annotation),
                host_network=host,
            )
            decision = decide(
                pod_labels=scenario.pod_labels,
                pod_annotations=scenario.pod_annotations,
                host_network=host,
                pod_namespace=pod_namespace,
                workload_namespace=workload_ns,
                namespace=NamespaceInfo(workload_ns, ns_labels),
                settings=settings,
            )
            target = "1-20" if revision == "prod" else revision
            expected = expected_manual(scenario, pod_namespace, target)
            want_rule = "manual-default" if expected.step == "policy-enabled" else expected.step
            got = (decision.inject, decision.revision, decision.rule)
            got_kinds = warning_kinds(decision.warnings)
            if got != (expected.inject, expected.revision, want_rule) or (
                got_kinds != expected.warnings
            ):
                failures.append(f"{scenario} {pod_namespace=}: {decision} vs {expected}")
            count += 1
    assert failures[:5] == []
    assert count == MANUAL_COMBINATIONS
