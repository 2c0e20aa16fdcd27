"""Which injection webhook, if any, the API server sends a pod to (peers.md §5.1, §5.2).

Istio's webhook selectors are written so that at most one *kind* of webhook matches a
pod: `istio-injection=enabled` → the default webhooks; otherwise a namespace
`istio.io/rev` → that revision; otherwise a pod `istio.io/rev` label → that revision;
otherwise the pod label `sidecar.istio.io/inject=true` → the default webhooks; otherwise,
with `enableNamespacesByDefault`, every pod without either label. Several MWCs can carry
the same kind (an unnamed revision and a `default` tag, or a revision and a tag of the
same name); then the pod would be injected more than once, which we report.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from meshinject.policy.inject_required import InjectValue
from meshinject.policy.namespaces import NamespaceInfo
from meshinject.policy.settings import (
    DEFAULT_REVISION,
    IGNORED_NAMESPACES,
    INJECT_KEY,
    INJECTION_LABEL,
    REV_LABEL,
    PolicySettings,
    WebhookConfig,
)


@dataclass(frozen=True)
class WebhookRoute:
    """Where the pod goes: `webhook` is None when no injection webhook matches it."""

    webhook: WebhookConfig | None
    rule: str
    reason: str
    warnings: tuple[str, ...] = ()


def route_pod(
    namespace: NamespaceInfo,
    pod_labels: Mapping[str, str],
    settings: PolicySettings,
    pod_annotations: Mapping[str, str] | None = None,
) -> WebhookRoute:
    """Evaluate the webhooks' namespace and object selectors for one pod.

    Only labels matter: annotations are invisible to webhook selectors, and
    `pod_annotations` is used only to explain why an annotation did not opt a pod in.
    """
    ns = namespace.name
    injection = namespace.labels.get(INJECTION_LABEL)
    ns_rev = namespace.labels.get(REV_LABEL)
    pod_rev = pod_labels.get(REV_LABEL)
    pod_inject = pod_labels.get(INJECT_KEY)
    warnings = _ignored_label_warnings(ns, injection, ns_rev, pod_rev)

    def opted_out(extra: tuple[str, ...]) -> WebhookRoute:
        # Every webhook's object selector has `sidecar.istio.io/inject NotIn [false]`.
        value = InjectValue.of(pod_labels, pod_annotations or {})
        return WebhookRoute(
            None,
            "pod-label-false",
            value.says("opts the pod out, so no injection webhook matches it"),
            warnings + extra,
        )

    if injection is not None:
        if injection != "enabled":
            extra = () if injection == "disabled" else (_not_enabled_warning(ns, injection),)
            why = (
                "which turns off every injection webhook"
                if injection == "disabled"
                else "and only 'enabled' turns injection on: any other value turns it off"
            )
            return WebhookRoute(
                None,
                "namespace-label-disabled",
                f"namespace {ns} has {INJECTION_LABEL}={_v(injection)}, {why}",
                warnings + extra,
            )
        hooks = settings.default_webhooks()
        missing = (
            () if hooks else (_no_default_warning(f"namespace {ns}'s {INJECTION_LABEL}=enabled"),)
        )
        if pod_inject == "false":
            return opted_out(missing)
        return _fire(
            hooks,
            "namespace-label-enabled",
            f"namespace {ns} has {INJECTION_LABEL}=enabled",
            missing_rule="no-default-revision",
            warnings=warnings + missing,
        )
    if ns_rev is not None:
        hooks = settings.webhooks_for_rev(ns_rev)
        missing = () if hooks else (_unknown_revision_warning(f"namespace {ns} has", ns_rev),)
        if pod_inject == "false":
            return opted_out(missing)
        return _fire(
            hooks,
            "namespace-revision",
            f"namespace {ns} has {REV_LABEL}={_v(ns_rev)}",
            missing_rule="revision-not-installed",
            warnings=warnings + missing,
        )
    unlabelled = f"namespace {ns} has no {INJECTION_LABEL} or {REV_LABEL} label"
    if pod_rev is not None:
        hooks = settings.webhooks_for_rev(pod_rev)
        missing = () if hooks else (_unknown_revision_warning("the pod has", pod_rev),)
        if pod_inject == "false":
            return opted_out(missing)
        return _fire(
            hooks,
            "pod-revision",
            f"{unlabelled}, and pod label {REV_LABEL}={_v(pod_rev)} selects the revision",
            missing_rule="revision-not-installed",
            warnings=warnings + missing,
        )
    if pod_inject == "true":
        hooks = settings.default_webhooks()
        missing = () if hooks else (_no_default_warning(f"pod label {INJECT_KEY}=true"),)
        return _fire(
            hooks,
            "pod-label-true",
            f"{unlabelled}, and pod label {INJECT_KEY}=true opts in",
            missing_rule="no-default-revision",
            warnings=warnings + missing,
        )
    if pod_inject == "false":
        return opted_out(())
    if pod_inject is None:
        auto = tuple(
            hook
            for hook in settings.default_webhooks()
            if settings.policy_for(hook.revision).enable_namespaces_by_default
        )
        if auto and ns in IGNORED_NAMESPACES:
            return WebhookRoute(None, "ignored-namespace", f"{ns} is never injected", warnings)
        if auto:
            return _fire(
                auto,
                "enabled-by-default",
                f"{unlabelled}, and enableNamespacesByDefault injects such namespaces",
                missing_rule="no-webhook",
                warnings=warnings,
            )
        if (pod_annotations or {}).get(INJECT_KEY) == "true":
            why = (
                f"the annotation {INJECT_KEY}=true cannot opt a pod in, because injection "
                f"webhooks only see labels (use the label {INJECT_KEY}=true)"
            )
        else:
            why = f"the pod does not opt in with the label {INJECT_KEY}=true or {REV_LABEL}"
        return WebhookRoute(None, "no-webhook", f"{unlabelled}, and {why}", warnings)
    return WebhookRoute(
        None,
        "no-webhook",
        f"{unlabelled}, and pod label {INJECT_KEY}={_v(pod_inject)} is not 'true', so no "
        "injection webhook matches the pod",
        warnings,
    )


def _fire(
    hooks: tuple[WebhookConfig, ...],
    rule: str,
    reason: str,
    *,
    missing_rule: str,
    warnings: tuple[str, ...],
) -> WebhookRoute:
    """The pod matches `hooks` (sorted by MWC name); pick the first, report several."""
    if not hooks:
        return WebhookRoute(None, missing_rule, f"{reason}, but {_missing(missing_rule)}", warnings)
    chosen = hooks[0]
    if chosen.tag is not None and chosen.tag != chosen.revision:
        reason = f"{reason} (tag {chosen.tag} for revision {chosen.revision})"
    if len({hook.revision for hook in hooks}) > 1:
        listed = ", ".join(f"{hook.revision} via {hook.name}" for hook in hooks)
        warnings += (
            f"conflict: several revisions would inject this pod ({listed}); the cluster "
            f"would inject it more than once. meshinject uses revision {chosen.revision}, "
            "whose webhook configuration the API server calls first (name order)",
        )
    return WebhookRoute(chosen, rule, reason, warnings)


def _missing(rule: str) -> str:
    if rule == "no-default-revision":
        return "no default revision is configured (no unnamed control plane, no 'default' tag)"
    return "no such revision or tag is configured"


def _ignored_label_warnings(
    ns: str, injection: str | None, ns_rev: str | None, pod_rev: str | None
) -> tuple[str, ...]:
    found = []
    if injection is not None and ns_rev is not None:
        found.append(
            f"namespace {ns} has both {INJECTION_LABEL}={_v(injection)} and "
            f"{REV_LABEL}={_v(ns_rev)}; {INJECTION_LABEL} decides and {REV_LABEL} is ignored"
        )
    namespace_choice = DEFAULT_REVISION if injection is not None else ns_rev
    if pod_rev is not None and namespace_choice is not None and pod_rev != namespace_choice:
        found.append(
            f"pod label {REV_LABEL}={_v(pod_rev)} is ignored: namespace {ns}'s labels choose "
            "the revision"
        )
    return tuple(found)


def _not_enabled_warning(ns: str, value: str) -> str:
    return (
        f"namespace {ns} has {INJECTION_LABEL}={_v(value)}, which Istio treats as disabled; "
        "use 'enabled' or 'disabled'"
    )


def _no_default_warning(what: str) -> str:
    return (
        f"{what} asks for the default revision, but none is configured (no unnamed control "
        "plane and no 'default' tag), so nothing injects it"
    )


def _unknown_revision_warning(who: str, revision: str) -> str:
    return (
        f"{who} {REV_LABEL}={_v(revision)}, which is neither a configured revision nor a "
        "tag, so nothing injects it"
    )


def _v(value: str) -> str:
    """A label value as the user would write it; `""` makes an empty value visible."""
    return value if value else '""'
