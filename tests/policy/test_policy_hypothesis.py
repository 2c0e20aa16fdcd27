"""`decide()` against the oracle on random label sets, selectors and clusters."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from meshinject.policy.decide import decide
from meshinject.policy.namespaces import NamespaceInfo
from meshinject.policy.selectors import LabelSelector

from .helpers import decide_webhook, mismatch, settings_for, warning_kinds
from .webhook_oracle import INJECT, INJECTION, REV, Scenario, expected_manual, expected_webhook

REVISION_NAMES = ["default", "1-19", "1-20"]
TAG_NAMES = ["default", "prod", "1-19"]  # "1-19" as a tag collides with a revision name
VALUES = st.sampled_from(
    ["", "true", "false", "enabled", "disabled", "yes", "web", *REVISION_NAMES, "prod", "x"]
)
KEYS = st.sampled_from([INJECT, REV, INJECTION, "app", "tier"])
LABELS = st.dictionaries(KEYS, VALUES, max_size=4)
NAMESPACES = st.sampled_from(["production", "staging", "kube-system", "local-path-storage"])


@st.composite
def selectors(draw: st.DrawFn) -> LabelSelector:
    exprs: list[dict[str, Any]] = []
    for _ in range(draw(st.integers(0, 2))):
        operator = draw(st.sampled_from(["In", "NotIn", "Exists", "DoesNotExist"]))
        expr: dict[str, Any] = {"key": draw(KEYS), "operator": operator}
        if operator in ("In", "NotIn"):
            expr["values"] = draw(st.lists(VALUES, min_size=1, max_size=2))
        exprs.append(expr)
    return LabelSelector.parse(
        {"matchLabels": draw(st.dictionaries(KEYS, VALUES, max_size=1)), "matchExpressions": exprs}
    )


@st.composite
def scenarios(draw: st.DrawFn) -> Scenario:
    revisions = frozenset(draw(st.sets(st.sampled_from(REVISION_NAMES), max_size=3)))
    tags = (
        draw(st.dictionaries(st.sampled_from(TAG_NAMES), st.sampled_from(sorted(revisions))))
        if revisions
        else {}
    )
    return Scenario(
        ns_name=draw(NAMESPACES),
        ns_labels=draw(LABELS),
        pod_labels=draw(LABELS),
        pod_annotations=draw(st.dictionaries(st.just(INJECT), VALUES)),
        host_network=draw(st.booleans()),
        revisions=revisions,
        tags=tags,
        policy=draw(st.sampled_from(["enabled", "disabled", "Enabled"])),
        never=tuple(draw(st.lists(selectors(), max_size=2))),
        always=tuple(draw(st.lists(selectors(), max_size=2))),
        enable_by_default=draw(st.booleans()),
    )


@settings(max_examples=400, deadline=None)
@given(scenario=scenarios())
def test_webhook_mode_agrees_with_the_oracle(scenario: Scenario) -> None:
    assert mismatch(decide_webhook(scenario), expected_webhook(scenario)) is None


@settings(max_examples=200, deadline=None)
@given(scenario=scenarios(), pod_namespace=st.none() | NAMESPACES)
def test_manual_mode_agrees_with_the_oracle(scenario: Scenario, pod_namespace: str | None) -> None:
    revisions = scenario.revisions | {"default"}
    decision = decide(
        pod_labels=scenario.pod_labels,
        pod_annotations=scenario.pod_annotations,
        host_network=scenario.host_network,
        pod_namespace=pod_namespace,
        workload_namespace=scenario.ns_name,
        namespace=NamespaceInfo(scenario.ns_name, scenario.ns_labels),
        settings=settings_for(replace(scenario, revisions=revisions), mode="manual"),
    )

    expected = expected_manual(scenario, pod_namespace, "default")
    assert (decision.inject, decision.revision) == (expected.inject, expected.revision)
    assert warning_kinds(decision.warnings) == expected.warnings
