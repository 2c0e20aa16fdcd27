"""An independent model of Istio injection, written from peers.md §5 without `decide()`.

The webhook stage is evaluated literally: the MutatingWebhookConfigurations of §5.1 are
written out as data (namespace and object selectors per webhook) and matched with
`LabelSelector`. The per-pod stage is a straight transcription of §5.3, and manual mode
of §5.4. `decide()` instead reasons from the §5.2 decision table, so the two can disagree.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from meshinject.policy.selectors import LabelSelector

INJECT = "sidecar.istio.io/inject"
REV = "istio.io/rev"
INJECTION = "istio-injection"
SYSTEM = ("kube-system", "kube-public", "kube-node-lease", "local-path-storage")


def _expr(key: str, operator: str, *values: str) -> dict[str, Any]:
    expr: dict[str, Any] = {"key": key, "operator": operator}
    if values:
        expr["values"] = list(values)
    return expr


def _selector(*exprs: dict[str, Any]) -> LabelSelector:
    return LabelSelector.parse({"matchExpressions": list(exprs)})


@dataclass(frozen=True)
class Webhook:
    name: str
    namespace_selector: LabelSelector
    object_selector: LabelSelector


@dataclass(frozen=True)
class MWC:
    name: str
    routes_to: str
    webhooks: tuple[Webhook, ...]


def rev_webhooks(value: str) -> list[Webhook]:
    """`rev.namespace.` and `rev.object.` for `istio.io/rev=value` (§5.1 table)."""
    return [
        Webhook(
            "rev.namespace",
            _selector(_expr(REV, "In", value), _expr(INJECTION, "DoesNotExist")),
            _selector(_expr(INJECT, "NotIn", "false")),
        ),
        Webhook(
            "rev.object",
            _selector(_expr(REV, "DoesNotExist"), _expr(INJECTION, "DoesNotExist")),
            _selector(_expr(INJECT, "NotIn", "false"), _expr(REV, "In", value)),
        ),
    ]


def default_webhooks(with_auto: bool) -> list[Webhook]:
    """`namespace.`, `object.` and (with enableNamespacesByDefault) `auto.`."""
    hooks = [
        Webhook(
            "namespace",
            _selector(_expr(INJECTION, "In", "enabled")),
            _selector(_expr(INJECT, "NotIn", "false")),
        ),
        Webhook(
            "object",
            _selector(_expr(INJECTION, "DoesNotExist"), _expr(REV, "DoesNotExist")),
            _selector(_expr(INJECT, "In", "true"), _expr(REV, "DoesNotExist")),
        ),
    ]
    if with_auto:
        hooks.append(
            Webhook(
                "auto",
                _selector(
                    _expr(INJECTION, "DoesNotExist"),
                    _expr(REV, "DoesNotExist"),
                    _expr("kubernetes.io/metadata.name", "NotIn", *SYSTEM),
                ),
                _selector(_expr(INJECT, "DoesNotExist"), _expr(REV, "DoesNotExist")),
            )
        )
    return hooks


@cache
def cluster(
    revisions: frozenset[str], tags: tuple[tuple[str, str], ...], enable_by_default: bool
) -> tuple[MWC, ...]:
    """Every MWC a cluster with these revisions and tags would have."""
    mwcs = []
    for rev in sorted(revisions):
        hooks = rev_webhooks(rev)
        if rev == "default":
            mwcs.append(
                MWC("istio-sidecar-injector", rev, (*hooks, *default_webhooks(enable_by_default)))
            )
        else:
            mwcs.append(MWC(f"istio-sidecar-injector-{rev}", rev, tuple(hooks)))
    for tag, target in tags:
        hooks = rev_webhooks(tag)
        if tag == "default":
            hooks += default_webhooks(enable_by_default)
        mwcs.append(MWC(f"istio-revision-tag-{tag}", target, tuple(hooks)))
    return tuple(mwcs)


@dataclass(frozen=True)
class Scenario:
    """Everything about one pod and the cluster, in plain data."""

    ns_name: str
    ns_labels: Mapping[str, str]
    pod_labels: Mapping[str, str]
    pod_annotations: Mapping[str, str]
    host_network: bool = False
    revisions: frozenset[str] = frozenset({"default"})
    tags: Mapping[str, str] = field(default_factory=dict)
    policy: str = "enabled"
    never: tuple[LabelSelector, ...] = ()
    always: tuple[LabelSelector, ...] = ()
    enable_by_default: bool = False


@dataclass(frozen=True)
class Expected:
    inject: bool
    revision: str | None
    fired: tuple[tuple[str, str], ...]  # (webhook name, revision), first one used
    step: str  # which §5.3 step decided ("" when no webhook fired)
    warnings: frozenset[str]  # warning kinds, see `warning_kinds` in the tests


def fired_webhooks(s: Scenario) -> tuple[tuple[str, str, str], ...]:
    """(MWC name, webhook name, revision) for every webhook that matches, in MWC name order."""
    ns_labels = {**s.ns_labels, "kubernetes.io/metadata.name": s.ns_name}
    return _fired(
        s.revisions,
        tuple(sorted(s.tags.items())),
        s.enable_by_default,
        tuple(sorted(ns_labels.items())),
        tuple(sorted(s.pod_labels.items())),
    )


@cache  # a pure function of small hashable keys; keeps the exhaustive test fast
def _fired(
    revisions: frozenset[str],
    tags: tuple[tuple[str, str], ...],
    enable_by_default: bool,
    ns_labels: tuple[tuple[str, str], ...],
    pod_labels: tuple[tuple[str, str], ...],
) -> tuple[tuple[str, str, str], ...]:
    mwcs = cluster(revisions, tags, enable_by_default)
    ns, pod = dict(ns_labels), dict(pod_labels)
    return tuple(
        sorted(
            (mwc.name, hook.name, mwc.routes_to)
            for mwc in mwcs
            for hook in mwc.webhooks
            if hook.namespace_selector.matches(ns) and hook.object_selector.matches(pod)
        )
    )


def inject_required(s: Scenario, namespace: str | None, *, manual: bool) -> tuple[bool, str]:
    """§5.3 in order; returns (inject, step). Manual mode: policy enabled, no selectors."""
    if s.host_network:
        return False, "host-network"
    if namespace in SYSTEM:
        return False, "ignored-namespace"
    if INJECT in s.pod_labels:
        value, source = s.pod_labels[INJECT], "label"
    else:
        value, source = s.pod_annotations.get(INJECT, ""), "annotation"
    if value == "true":
        return True, f"pod-{source}-true"
    if value == "false":
        return False, f"pod-{source}-false"
    if manual:
        return True, "policy-enabled"
    for selector in s.never:
        if selector != LabelSelector() and selector.matches(s.pod_labels):
            return False, "never-selector"
    for selector in s.always:
        if selector != LabelSelector() and selector.matches(s.pod_labels):
            return True, "always-selector"
    if s.policy == "enabled":
        return True, "policy-enabled"
    if s.policy == "disabled":
        return False, "policy-disabled"
    return False, "policy-invalid"


def _invalid_value(s: Scenario) -> bool:
    value = s.pod_labels.get(INJECT, s.pod_annotations.get(INJECT))
    return value is not None and value not in ("", "true", "false")


def expected_webhook(s: Scenario) -> Expected:
    fired = fired_webhooks(s)
    known = s.revisions | set(s.tags)
    has_default = "default" in s.revisions or "default" in s.tags
    injection, ns_rev = s.ns_labels.get(INJECTION), s.ns_labels.get(REV)
    pod_rev = s.pod_labels.get(REV)
    kinds = set()
    if _invalid_value(s):
        kinds.add("invalid-inject-value")
    if injection is not None and injection not in ("enabled", "disabled"):
        kinds.add("injection-value")
    if injection is not None and ns_rev is not None:
        kinds.add("both-namespace-labels")
    namespace_choice = "default" if injection is not None else ns_rev
    if pod_rev is not None and namespace_choice is not None and pod_rev != namespace_choice:
        kinds.add("pod-rev-ignored")
    if injection is None and ns_rev is not None and ns_rev not in known:
        kinds.add("unknown-revision")
    if injection is None and ns_rev is None and pod_rev is not None and pod_rev not in known:
        kinds.add("unknown-revision")
    asks_default = injection == "enabled" or (
        injection is None
        and ns_rev is None
        and pod_rev is None
        and s.pod_labels.get(INJECT) == "true"
    )
    if asks_default and not has_default:
        kinds.add("no-default-revision")
    if len({revision for _, _, revision in fired}) > 1:
        kinds.add("conflict")
    if not fired:
        return Expected(False, None, (), "", frozenset(kinds))
    revision = fired[0][2]
    inject, step = inject_required(s, s.ns_name, manual=False)
    if step == "policy-invalid":
        kinds.add("policy-invalid")
    pairs = tuple((hook, rev) for _, hook, rev in fired)
    return Expected(inject, revision if inject else None, pairs, step, frozenset(kinds))


def expected_manual(s: Scenario, pod_namespace: str | None, revision: str) -> Expected:
    inject, step = inject_required(s, pod_namespace, manual=True)
    kinds = frozenset({"invalid-inject-value"}) if _invalid_value(s) else frozenset()
    return Expected(inject, revision if inject else None, (), step, kinds)


#: The rule `decide()` must report when a webhook fired and the policy let it through.
ROUTE_RULES = {
    "namespace": "namespace-label-enabled",
    "rev.namespace": "namespace-revision",
    "rev.object": "pod-revision",
    "object": "pod-label-true",
    "auto": "enabled-by-default",
}
