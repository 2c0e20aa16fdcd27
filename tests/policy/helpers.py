"""Shared by the policy tests: run `decide()` on an oracle `Scenario`, classify warnings."""

from __future__ import annotations

from meshinject.policy.decide import Decision, PolicySettings, decide
from meshinject.policy.namespaces import NamespaceInfo

from .webhook_oracle import ROUTE_RULES, Expected, Scenario

# Each warning `decide()` emits must fall in exactly one of these kinds.
_KIND_MARKERS = {
    "conflict": "conflict: several revisions",
    "invalid-inject-value": "is neither 'true' nor 'false'",
    "unknown-revision": "which is neither a configured revision nor a tag",
    "no-default-revision": "asks for the default revision, but none is configured",
    "injection-value": "which Istio treats as disabled",
    "both-namespace-labels": "istio-injection decides and istio.io/rev is ignored",
    "pod-rev-ignored": "labels choose the revision",
    "policy-invalid": "is neither 'enabled' nor 'disabled'",
}


def warning_kinds(warnings: tuple[str, ...]) -> frozenset[str]:
    kinds = set()
    for warning in warnings:
        matched = [kind for kind, marker in _KIND_MARKERS.items() if marker in warning]
        assert len(matched) == 1, f"unclassified warning: {warning}"
        kinds.add(matched[0])
    assert len(kinds) == len(warnings), f"duplicate warnings: {warnings}"
    return frozenset(kinds)


def settings_for(
    scenario: Scenario, *, mode: str = "webhook", manual_revision: str = "default"
) -> PolicySettings:
    return PolicySettings(
        mode="manual" if mode == "manual" else "webhook",
        policy=scenario.policy,
        never_inject_selectors=scenario.never,
        always_inject_selectors=scenario.always,
        enable_namespaces_by_default=scenario.enable_by_default,
        revisions=scenario.revisions,
        tags=scenario.tags,
        manual_revision=manual_revision,
    )


def decide_webhook(scenario: Scenario, settings: PolicySettings | None = None) -> Decision:
    return decide(
        pod_labels=scenario.pod_labels,
        pod_annotations=scenario.pod_annotations,
        host_network=scenario.host_network,
        pod_namespace=None,
        workload_namespace=scenario.ns_name,
        namespace=NamespaceInfo(scenario.ns_name, scenario.ns_labels),
        settings=settings or settings_for(scenario),
    )


def mismatch(decision: Decision, expected: Expected) -> str | None:
    """Why `decision` disagrees with the oracle, or None."""
    if (decision.inject, decision.revision) != (expected.inject, expected.revision):
        return f"decided {decision.inject}/{decision.revision}, oracle {expected}"
    kinds = warning_kinds(decision.warnings)
    if kinds != expected.warnings:
        return f"warnings {sorted(kinds)}, oracle {sorted(expected.warnings)}: {decision}"
    if expected.fired and expected.step == "policy-enabled":
        want = ROUTE_RULES[expected.fired[0][0]]
    elif expected.step:
        want = expected.step
    else:
        want = None  # no webhook fired: any webhook-stage rule, checked in named tests
    if want is not None and decision.rule != want:
        return f"rule {decision.rule}, oracle {want}: {decision}"
    if want is None and decision.rule not in NO_WEBHOOK_RULES:
        return f"rule {decision.rule} for a pod no webhook matches: {decision}"
    return None


NO_WEBHOOK_RULES = frozenset(
    {
        "namespace-label-disabled",
        "pod-label-false",
        "revision-not-installed",
        "no-default-revision",
        "no-webhook",
        "ignored-namespace",
    }
)
