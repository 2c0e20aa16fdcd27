"""Injection policy: decide, as Istio's webhook or `istioctl kube-inject` would, whether and
by which revision a pod is injected, and explain why."""

from meshinject.policy.decide import Decision, decide
from meshinject.policy.namespaces import (
    NamespaceInfo,
    namespace_from_object,
    parse_namespace_labels,
)
from meshinject.policy.selectors import LabelSelector, Requirement, parse_selector_list
from meshinject.policy.settings import InjectorPolicy, PolicySettings

__all__ = [
    "Decision",
    "InjectorPolicy",
    "LabelSelector",
    "NamespaceInfo",
    "PolicySettings",
    "Requirement",
    "decide",
    "namespace_from_object",
    "parse_namespace_labels",
    "parse_selector_list",
]
