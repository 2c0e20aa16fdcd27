"""Decide whether a pod is injected, by which revision, and why.

Two modes:

- **manual**: `istioctl kube-inject` semantics (peers.md §5.4). Every pod is injected
  unless it opts out; namespace labels, `istio.io/rev`, selectors and `policy` are not
  consulted, and the revision is `--revision`.
- **webhook**: the cluster's behaviour. The webhooks' selectors pick the revision from
  namespace and pod labels (§5.1, §5.2), then that revision's istiod runs its per-pod
  check (§5.3).

When several revisions' webhooks would match one pod, the cluster injects it more than
once. We report a conflict warning and use the revision whose MutatingWebhookConfiguration
name sorts first (the API server calls them in name order): `istio-revision-tag-*`
before `istio-sidecar-injector`, before `istio-sidecar-injector-<rev>`.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

from meshinject.policy.inject_required import (
    POLICY_ENABLED,
    InjectValue,
    Verdict,
    inject_required,
)
from meshinject.policy.namespaces import NamespaceInfo
from meshinject.policy.settings import InjectorPolicy, PolicySettings
from meshinject.policy.webhooks import route_pod

__all__ = ["Decision", "PolicySettings", "decide"]

_MANUAL_POLICY = InjectorPolicy()  # kube-inject forces `enabled` and ignores selectors


@dataclass(frozen=True)
class Decision:
    """The outcome for one pod (template).

    `rule` is a stable id for tooling; `reason` is a sentence for people; `warnings` are
    problems a cluster would hit (conflicting revisions, unknown revisions, invalid values).
    """

    inject: bool
    revision: str | None
    rule: str
    reason: str
    warnings: tuple[str, ...] = ()


def decide(
    *,
    pod_labels: Mapping[str, str],
    pod_annotations: Mapping[str, str],
    host_network: bool,
    pod_namespace: str | None,
    workload_namespace: str,
    namespace: NamespaceInfo | None,
    settings: PolicySettings,
    known_namespaces: Collection[str] | None = None,
) -> Decision:
    """Decide injection for one pod template.

    `pod_namespace` is the template's own `metadata.namespace` (manual mode only honours
    ignored system namespaces through it); `workload_namespace` is the object's namespace
    (its `metadata.namespace`, or `-n`); `namespace` holds that namespace's labels, or None
    when nothing is known about it (treated as a namespace without labels).

    `known_namespaces`, when given, are the namespaces the run's sources declare: in
    webhook mode a workload whose namespace is not among them gets a warning (with a "did
    you mean" when a declared name is close), since a typo there silently changes the
    decision.
    """
    value_warning = InjectValue.of(pod_labels, pod_annotations).warning()
    warnings: tuple[str, ...] = (value_warning,) if value_warning else ()

    if settings.mode == "manual":
        verdict = inject_required(
            pod_labels=pod_labels,
            pod_annotations=pod_annotations,
            host_network=host_network,
            namespace=pod_namespace,
            policy=_MANUAL_POLICY,
        )
        rule, reason = verdict.rule, verdict.with_note(verdict.reason)
        if rule == POLICY_ENABLED:
            rule = "manual-default"
            reason = verdict.with_note(
                "istioctl kube-inject injects every pod that does not opt out (namespace "
                "labels, selectors and the injector policy are not consulted)"
            )
        elif verdict.rule == "ignored-namespace":
            reason += f" (the pod template sets metadata.namespace: {pod_namespace})"
        revision = settings.manual_target() if verdict.inject else None
        return Decision(verdict.inject, revision, rule, reason, warnings + verdict.warnings)

    info = namespace if namespace is not None else NamespaceInfo(workload_namespace)
    route = route_pod(info, pod_labels, settings, pod_annotations)
    warnings += route.warnings
    undeclared = ""
    if namespace is None and known_namespaces is not None:
        undeclared = undeclared_namespace(workload_namespace, tuple(sorted(known_namespaces)))
        warnings = (undeclared, *warnings)
    if route.webhook is None:
        reason = f"{route.reason}; {undeclared}" if undeclared else route.reason
        return Decision(False, None, route.rule, reason, warnings)

    revision = route.webhook.revision
    verdict = inject_required(
        pod_labels=pod_labels,
        pod_annotations=pod_annotations,
        host_network=host_network,
        namespace=workload_namespace,
        policy=settings.policy_for(revision),
    )
    rule, reason = _combine(route.rule, route.reason, verdict)
    if undeclared:
        reason = f"{reason}; {undeclared}"
    return Decision(
        verdict.inject,
        revision if verdict.inject else None,
        rule,
        reason,
        warnings + verdict.warnings,
    )


def _combine(route_rule: str, route_reason: str, verdict: Verdict) -> tuple[str, str]:
    """Name the step that decided; keep the webhook's reason, which says whose istiod."""
    if verdict.rule in (POLICY_ENABLED, route_rule):
        # Nothing beyond the webhook decided (or the opt-in label both routed and decided).
        return route_rule, verdict.with_note(route_reason)
    joiner = "and" if verdict.inject else "but"
    return verdict.rule, verdict.with_note(f"{route_reason}, {joiner} {verdict.reason}")


@lru_cache(maxsize=256)
def undeclared_namespace(name: str, known: tuple[str, ...]) -> str:
    """The warning for a namespace no source declares (cached: one per namespace, not pod)."""
    text = (
        f"namespace {name} is declared nowhere (no Namespace object in the input, not in "
        "--namespace-labels), so it is treated as having no labels"
    )
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    if close:
        text += f"; did you mean {close[0]}?"
    return text
