"""`--namespace-labels` files and Namespace documents."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from meshinject.errors import ConfigError, InputError
from meshinject.policy.namespaces import (
    NAME_LABEL,
    NamespaceInfo,
    namespace_from_object,
    parse_namespace_labels,
)

KUBECTL_GET_NAMESPACES = """\
apiVersion: v1
kind: List
metadata:
  resourceVersion: ""
items:
- apiVersion: v1
  kind: Namespace
  metadata:
    name: production
    labels:
      istio.io/rev: 1-19
      kubernetes.io/metadata.name: production
    annotations:
      openshift.io/sa.scc.uid-range: 1000680000/10000
- apiVersion: v1
  kind: Namespace
  metadata:
    name: staging
    labels:
      istio.io/rev: 1-20
- apiVersion: v1
  kind: Namespace
  metadata:
    name: scratch
"""


def test_plain_mapping_of_namespace_to_labels() -> None:
    data = yaml.safe_load("production:\n  istio-injection: enabled\nscratch:\n")

    result = parse_namespace_labels(data, source="ns.yaml")

    assert result == {
        "production": NamespaceInfo("production", {"istio-injection": "enabled"}),
        "scratch": NamespaceInfo("scratch"),
    }


def test_kubectl_get_namespaces_output_keeps_labels_and_annotations() -> None:
    result = parse_namespace_labels(yaml.safe_load(KUBECTL_GET_NAMESPACES), source="ns.yaml")

    assert sorted(result) == ["production", "scratch", "staging"]
    assert result["staging"].labels == {"istio.io/rev": "1-20", NAME_LABEL: "staging"}
    assert result["production"].annotations == {"openshift.io/sa.scc.uid-range": "1000680000/10000"}
    assert result["scratch"].labels == {NAME_LABEL: "scratch"}


def test_namespace_list_items_may_omit_kind() -> None:
    data = {"kind": "NamespaceList", "items": [{"metadata": {"name": "a"}}]}

    assert parse_namespace_labels(data, source="ns.yaml") == {"a": NamespaceInfo("a")}


def test_single_namespace_object() -> None:
    data = {"kind": "Namespace", "metadata": {"name": "a", "labels": {"x": "y"}}}

    assert parse_namespace_labels(data, source="ns.yaml")["a"].labels["x"] == "y"


def test_metadata_name_label_is_implied_and_cannot_disagree() -> None:
    # Kubernetes sets kubernetes.io/metadata.name itself, so selectors on it always work.
    info = NamespaceInfo("payments", {NAME_LABEL: "something-else", "team": "a"})

    assert info.labels == {NAME_LABEL: "payments", "team": "a"}


def test_a_namespace_may_be_called_kind() -> None:
    data = {"kind": {"istio-injection": "enabled"}}

    assert parse_namespace_labels(data, source="ns.yaml")["kind"].labels["istio-injection"] == (
        "enabled"
    )


def test_empty_file_means_no_namespaces() -> None:
    assert parse_namespace_labels(None, source="ns.yaml") == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "production:\n  istio-injection: true\n",
            "ns.yaml: production.istio-injection: expected a string, got boolean true "
            "(quote it in YAML)",
        ),
        (
            "production:\n  version: 1.20\n",
            "ns.yaml: production.version: expected a string, got number 1.2 (quote it in YAML)",
        ),
        (
            "production: enabled\n",
            "ns.yaml: production: expected a mapping of strings, got string 'enabled'",
        ),
        (
            "- production\n",
            "ns.yaml: expected a mapping of namespace -> labels, or a "
            "Namespace List, got list ['production']",
        ),
        (
            "kind: Deployment\n",
            "ns.yaml: expected a Namespace or a List of Namespaces, got kind 'Deployment'",
        ),
        (
            "kind: List\nitems:\n- kind: Deployment\n  metadata: {name: web}\n",
            "ns.yaml: items[0]: expected a Namespace, got kind 'Deployment'",
        ),
        (
            "kind: List\nitems:\n- kind: Namespace\n  metadata: {labels: {a: b}}\n",
            "ns.yaml: items[0].metadata.name: expected a namespace name, got null",
        ),
        (
            "kind: List\nitems:\n- metadata: {name: a, annotations: {x: 1}}\n",
            "ns.yaml: items[0].metadata.annotations.x: expected a string, got number 1 "
            "(quote it in YAML)",
        ),
        (
            "kind: List\nitems:\n- metadata: {name: a}\n- metadata: {name: a}\n",
            "ns.yaml: items[1]: namespace 'a' is listed twice",
        ),
        ("kind: List\nitems: {}\n", "ns.yaml: items: expected a list, got mapping {}"),
    ],
)
def test_errors_name_source_and_key_path(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_namespace_labels(yaml.safe_load(text), source="ns.yaml")

    assert str(info.value) == message


def test_namespace_document_from_the_stream() -> None:
    doc: dict[str, Any] = {
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": {"name": "shop", "labels": {"istio-injection": "enabled"}},
    }

    info = namespace_from_object(doc)

    assert info == NamespaceInfo("shop", {"istio-injection": "enabled"})


def test_bad_namespace_document_is_an_input_error() -> None:
    with pytest.raises(InputError) as info:
        namespace_from_object({"kind": "Namespace", "metadata": {"name": "a", "labels": []}})

    assert str(info.value) == "<input>: metadata.labels: expected a mapping of strings, got list []"
