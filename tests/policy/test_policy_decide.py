"""The notable injection rules, one named case each (peers.md §5)."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from meshinject.errors import ConfigError
from meshinject.policy.decide import Decision, PolicySettings, decide
from meshinject.policy.namespaces import NamespaceInfo
from meshinject.policy.selectors import LabelSelector
from meshinject.policy.settings import InjectorPolicy

from .helpers import warning_kinds

INJECT = "sidecar.istio.io/inject"
REV = "istio.io/rev"
ENABLED = {"istio-injection": "enabled"}
WEBHOOK = PolicySettings(mode="webhook")
MANUAL = PolicySettings(mode="manual")
TWO_REVISIONS = PolicySettings(
    mode="webhook", revisions=frozenset({"1-19", "1-20"}), tags={"prod": "1-19"}
)


def run(
    namespace_labels: Mapping[str, str] | None = None,
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
    *,
    settings: PolicySettings = WEBHOOK,
    namespace: str = "production",
    pod_namespace: str | None = None,
    host_network: bool = False,
) -> Decision:
    return decide(
        pod_labels=labels or {},
        pod_annotations=annotations or {},
        host_network=host_network,
        pod_namespace=pod_namespace,
        workload_namespace=namespace,
        namespace=None if namespace_labels is None else NamespaceInfo(namespace, namespace_labels),
        settings=settings,
    )


# --- webhook mode -------------------------------------------------------------------------


def test_enabled_namespace_injects_with_the_default_revision() -> None:
    decision = run(ENABLED)

    assert decision == Decision(
        True,
        "default",
        "namespace-label-enabled",
        "namespace production has istio-injection=enabled",
    )


def test_label_wins_even_when_empty() -> None:
    decision = run(ENABLED, {INJECT: ""}, {INJECT: "false"})

    assert decision.inject
    assert decision.reason == (
        'namespace production has istio-injection=enabled; pod label sidecar.istio.io/inject="" '
        "beats the annotation sidecar.istio.io/inject=false"
    )


def test_pod_label_false_beats_the_annotation() -> None:
    decision = run(ENABLED, {INJECT: "false"}, {INJECT: "true"})

    assert (decision.inject, decision.rule) == (False, "pod-label-false")
    assert decision.reason == (
        "pod label sidecar.istio.io/inject=false beats the annotation "
        "sidecar.istio.io/inject=true and opts the pod out, so no injection webhook matches it"
    )


def test_annotation_false_opts_out_of_an_enabled_namespace() -> None:
    decision = run(ENABLED, annotations={INJECT: "false"})

    assert (decision.inject, decision.rule) == (False, "pod-annotation-false")
    assert decision.reason == (
        "namespace production has istio-injection=enabled, but pod annotation "
        "sidecar.istio.io/inject=false opts the pod out"
    )


def test_annotation_true_cannot_opt_in_from_an_unlabelled_namespace() -> None:
    decision = run({}, annotations={INJECT: "true"})

    assert (decision.inject, decision.rule) == (False, "no-webhook")
    assert "cannot opt a pod in, because injection webhooks only see labels" in decision.reason


def test_label_true_opts_in_from_an_unlabelled_namespace() -> None:
    decision = run({}, {INJECT: "true"})

    assert (decision.inject, decision.revision, decision.rule) == (
        True,
        "default",
        "pod-label-true",
    )


def test_manual_mode_injects_the_same_pod() -> None:
    # What kube-inject writes to git differs from what the cluster would run.
    assert run({}, settings=MANUAL).inject
    assert not run({}, settings=WEBHOOK).inject


@pytest.mark.parametrize(
    "labels", [{INJECT: "true"}, {REV: "default"}, {INJECT: "true", REV: "default"}]
)
def test_istio_injection_disabled_beats_everything(labels: dict[str, str]) -> None:
    settings = PolicySettings(
        mode="webhook",
        always_inject_selectors=(
            LabelSelector.parse({"matchExpressions": [{"key": INJECT, "operator": "Exists"}]}),
        ),
        enable_namespaces_by_default=True,
    )

    decision = run(
        {"istio-injection": "disabled", REV: "default"}, labels, {INJECT: "true"}, settings=settings
    )

    assert (decision.inject, decision.rule) == (False, "namespace-label-disabled")


def test_any_istio_injection_value_but_enabled_disables_with_a_warning() -> None:
    decision = run({"istio-injection": "true"})

    assert (decision.inject, decision.rule) == (False, "namespace-label-disabled")
    assert decision.warnings == (
        "namespace production has istio-injection=true, which Istio treats as disabled; "
        "use 'enabled' or 'disabled'",
    )


def test_istio_injection_enabled_ignores_the_namespace_revision() -> None:
    settings = PolicySettings(mode="webhook", revisions=frozenset({"default", "1-20"}))

    decision = run({**ENABLED, REV: "1-20"}, settings=settings)

    assert decision.revision == "default"
    assert warning_kinds(decision.warnings) == {"both-namespace-labels"}


def test_pod_revision_is_ignored_when_the_namespace_has_one() -> None:
    decision = run({REV: "1-19"}, {REV: "1-20"}, settings=TWO_REVISIONS)

    assert (decision.revision, decision.rule) == ("1-19", "namespace-revision")
    assert decision.warnings == (
        "pod label istio.io/rev=1-20 is ignored: namespace production's labels choose the revision",
    )


def test_pod_revision_label_selects_without_inject_true() -> None:
    decision = run({}, {REV: "1-20"}, settings=TWO_REVISIONS)

    assert (decision.inject, decision.revision, decision.rule) == (True, "1-20", "pod-revision")


def test_each_namespace_gets_its_own_revision_in_one_run() -> None:
    settings = PolicySettings(
        mode="webhook", revisions=frozenset({"1-19", "1-20"}), tags={"prod": "1-19"}
    )

    production = run({REV: "prod"}, settings=settings, namespace="production")
    staging = run({REV: "1-20"}, settings=settings, namespace="staging")

    assert (production.revision, staging.revision) == ("1-19", "1-20")
    assert (
        production.reason
        == "namespace production has istio.io/rev=prod (tag prod for revision 1-19)"
    )


def test_namespace_naming_an_unknown_revision_is_reported() -> None:
    decision = run({REV: "canary"}, settings=TWO_REVISIONS)

    assert (decision.inject, decision.rule) == (False, "revision-not-installed")
    assert decision.warnings == (
        "namespace production has istio.io/rev=canary, which is neither a configured revision "
        "nor a tag, so nothing injects it",
    )


def test_enabled_namespace_without_a_default_revision_is_reported() -> None:
    decision = run(ENABLED, settings=TWO_REVISIONS)

    assert (decision.inject, decision.rule) == (False, "no-default-revision")
    assert warning_kinds(decision.warnings) == {"no-default-revision"}


def test_default_tag_moves_istio_injection_enabled_to_its_revision() -> None:
    settings = PolicySettings(
        mode="webhook", revisions=frozenset({"1-19", "1-20"}), tags={"default": "1-20"}
    )

    assert run(ENABLED, settings=settings).revision == "1-20"


def test_two_revisions_injecting_one_pod_is_a_conflict() -> None:
    # The unnamed control plane and a `default` tag both carry the default webhooks.
    settings = PolicySettings(
        mode="webhook", revisions=frozenset({"default", "1-20"}), tags={"default": "1-20"}
    )

    decision = run(ENABLED, settings=settings)

    assert decision.revision == "1-20"  # istio-revision-tag-default sorts first
    assert decision.warnings == (
        "conflict: several revisions would inject this pod (1-20 via "
        "istio-revision-tag-default, default via istio-sidecar-injector); the cluster would "
        "inject it more than once. meshinject uses revision 1-20, whose webhook configuration "
        "the API server calls first (name order)",
    )


def test_host_network_pods_are_skipped() -> None:
    decision = run(ENABLED, {INJECT: "true"}, host_network=True)

    assert (decision.inject, decision.rule) == (False, "host-network")


def test_system_namespaces_are_never_injected() -> None:
    decision = run(ENABLED, {INJECT: "true"}, namespace="kube-system")

    assert (decision.inject, decision.rule) == (False, "ignored-namespace")
    assert decision.reason.endswith("kube-system is never injected")


def test_enable_namespaces_by_default_injects_unlabelled_namespaces_except_system_ones() -> None:
    settings = PolicySettings(mode="webhook", enable_namespaces_by_default=True)

    assert run({}, settings=settings).rule == "enabled-by-default"
    assert run({}, settings=settings, namespace="kube-public").rule == "ignored-namespace"
    # Any pod inject label, even "true", takes the pod away from the `auto.` webhook.
    assert not run({}, {INJECT: ""}, settings=settings).inject


def test_unknown_namespace_is_treated_as_unlabelled() -> None:
    assert run(None).rule == "no-webhook"


def test_never_selector_wins_over_always_selector() -> None:
    selector = LabelSelector.from_labels({"app": "legacy"})
    settings = PolicySettings(
        mode="webhook", never_inject_selectors=(selector,), always_inject_selectors=(selector,)
    )

    decision = run(ENABLED, {"app": "legacy"}, settings=settings)

    assert (decision.inject, decision.rule) == (False, "never-selector")
    assert decision.reason == (
        "namespace production has istio-injection=enabled, but pod labels match "
        "neverInjectSelector[0] (app=legacy)"
    )


def test_empty_never_selector_is_ignored() -> None:
    settings = PolicySettings(mode="webhook", never_inject_selectors=(LabelSelector(),))

    assert run(ENABLED, settings=settings).inject


def test_policy_disabled_injects_only_opted_in_pods() -> None:
    always = LabelSelector.from_labels({"app": "web"})
    settings = PolicySettings(mode="webhook", policy="disabled", always_inject_selectors=(always,))

    assert run(ENABLED, settings=settings).rule == "policy-disabled"
    assert run(ENABLED, {"app": "web"}, settings=settings).rule == "always-selector"
    opted_in = run(ENABLED, annotations={INJECT: "true"}, settings=settings)
    assert (opted_in.inject, opted_in.rule) == (True, "pod-annotation-true")


def test_unknown_policy_value_does_not_inject_and_warns() -> None:
    decision = run(ENABLED, settings=PolicySettings(mode="webhook", policy="Enabled"))

    assert (decision.inject, decision.rule) == (False, "policy-invalid")
    assert warning_kinds(decision.warnings) == {"policy-invalid"}


def test_invalid_inject_value_warns_and_the_default_applies() -> None:
    decision = run(ENABLED, annotations={INJECT: "yes"})

    assert decision.inject
    assert decision.warnings == (
        "pod annotation sidecar.istio.io/inject=yes is neither 'true' nor 'false'; Istio "
        "ignores it and applies the default injection policy",
    )


def test_each_revision_uses_its_own_injector_policy() -> None:
    settings = PolicySettings(
        mode="webhook",
        revisions=frozenset({"1-19", "1-20"}),
        revision_policies={"1-19": InjectorPolicy(policy="disabled")},
    )

    assert not run({REV: "1-19"}, settings=settings).inject
    assert run({REV: "1-20"}, settings=settings).inject


# --- manual mode (istioctl kube-inject) --------------------------------------------------


def test_manual_mode_ignores_namespace_labels_selectors_and_policy() -> None:
    settings = PolicySettings(
        mode="manual", policy="disabled", never_inject_selectors=(LabelSelector(),)
    )

    decision = run({"istio-injection": "disabled"}, {REV: "canary"}, settings=settings)

    assert (decision.inject, decision.revision, decision.rule) == (
        True,
        "default",
        "manual-default",
    )


def test_manual_mode_uses_the_revision_flag_and_follows_tags() -> None:
    settings = PolicySettings(
        mode="manual", revisions=frozenset({"1-20"}), tags={"prod": "1-20"}, manual_revision="prod"
    )

    assert run(settings=settings).revision == "1-20"


def test_manual_mode_skips_system_namespaces_only_from_the_pod_template() -> None:
    # A Deployment in kube-system whose template has no namespace is injected by kube-inject.
    assert run(settings=MANUAL, namespace="kube-system").inject
    decision = run(settings=MANUAL, namespace="kube-system", pod_namespace="kube-system")
    assert (decision.inject, decision.rule) == (False, "ignored-namespace")
    assert decision.reason == (
        "kube-system is never injected (the pod template sets metadata.namespace: kube-system)"
    )


def test_manual_mode_honours_the_pod_opt_out() -> None:
    decision = run(labels={INJECT: "false"}, settings=MANUAL)

    assert (decision.inject, decision.rule) == (False, "pod-label-false")


# --- settings validation and explain rows -------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"mode": "webhook", "tags": {"prod": "1-21"}},
            "revision tag 'prod' points to revision '1-21', which is not configured "
            "(configured: default)",
        ),
        (
            {"mode": "manual", "manual_revision": "1-21"},
            "--revision '1-21' is neither a configured revision nor a tag (configured: default)",
        ),
        (
            {"mode": "webhook", "revision_policies": {"1-21": InjectorPolicy()}},
            "injector settings given for revision '1-21', which is not configured "
            "(configured: default)",
        ),
        ({"mode": "auto"}, "unknown injection mode 'auto' (expected manual or webhook)"),
    ],
)
def test_inconsistent_settings_are_config_errors(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as info:
        PolicySettings(**kwargs)  # type: ignore[arg-type]

    assert info.value.message == message
