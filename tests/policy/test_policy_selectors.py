"""Kubernetes LabelSelector parsing and matching."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from meshinject.errors import ConfigError
from meshinject.policy.selectors import LabelSelector, parse_selector_list

WEB = {"app": "web", "tier": "front"}


def _expr(key: str, operator: str, values: list[str] | None = None) -> LabelSelector:
    expr: dict[str, Any] = {"key": key, "operator": operator}
    if values is not None:
        expr["values"] = values
    return LabelSelector.parse({"matchExpressions": [expr]})


@pytest.mark.parametrize(
    ("selector", "labels", "matches"),
    [
        (_expr("app", "In", ["web", "api"]), WEB, True),
        (_expr("app", "In", ["api"]), WEB, False),
        (_expr("team", "In", ["a"]), WEB, False),
        (_expr("app", "NotIn", ["api"]), WEB, True),
        (_expr("app", "NotIn", ["web"]), WEB, False),
        (_expr("team", "NotIn", ["a"]), WEB, True),  # a missing key satisfies NotIn
        (_expr("app", "Exists"), WEB, True),
        (_expr("team", "Exists"), WEB, False),
        (_expr("team", "DoesNotExist"), WEB, True),
        (_expr("app", "DoesNotExist"), WEB, False),
        (LabelSelector.parse({"matchLabels": {"app": "web"}}), WEB, True),
        (LabelSelector.parse({"matchLabels": {"app": "web", "tier": "back"}}), WEB, False),
        (LabelSelector.parse({"matchLabels": {"app": ""}}), {"app": ""}, True),
        (LabelSelector.parse({}), WEB, True),  # empty selects everything
        (LabelSelector.parse(None), {}, True),
    ],
)
def test_matches(selector: LabelSelector, labels: dict[str, str], matches: bool) -> None:
    assert selector.matches(labels) is matches


def test_match_labels_and_expressions_are_anded() -> None:
    selector = LabelSelector.parse(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [{"key": "tier", "operator": "In", "values": ["back"]}],
        }
    )

    assert not selector.matches(WEB)
    assert selector.matches({"app": "web", "tier": "back"})


def test_describe_reads_like_kubectl() -> None:
    selector = LabelSelector.parse(
        {
            "matchLabels": {"app": "web"},
            "matchExpressions": [
                {"key": "tier", "operator": "NotIn", "values": ["db", "cache"]},
                {"key": "canary", "operator": "Exists"},
                {"key": "legacy", "operator": "DoesNotExist"},
            ],
        }
    )

    assert selector.describe() == "app=web,tier notin (db,cache),canary,!legacy"
    assert LabelSelector().describe() == "<everything>"
    assert LabelSelector().is_empty
    assert not selector.is_empty


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            [],
            "cfg.yaml: neverInjectSelector[0]: expected a mapping, got list []",
        ),
        (
            {"matchLabel": {"a": "b"}},
            "cfg.yaml: neverInjectSelector[0]: unknown field 'matchLabel' "
            "(a LabelSelector has matchLabels and matchExpressions)",
        ),
        (
            {"matchLabels": {"enabled": True}},
            "cfg.yaml: neverInjectSelector[0].matchLabels.enabled: "
            "expected a string, got boolean true",
        ),
        (
            {"matchExpressions": {"key": "a"}},
            "cfg.yaml: neverInjectSelector[0].matchExpressions: "
            "expected a list, got mapping {'key': 'a'}",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "Equals", "values": ["x"]}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].operator: unknown operator "
            "'Equals' (expected one of In, NotIn, Exists, DoesNotExist)",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "In"}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].values: "
            "must be a non-empty list for operator In",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "NotIn", "values": []}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].values: "
            "must be a non-empty list for operator NotIn",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].values: "
            "must be empty for operator Exists",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "DoesNotExist", "values": ["x"]}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].values: "
            "must be empty for operator DoesNotExist",
        ),
        (
            {"matchExpressions": [{"operator": "Exists"}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].key: "
            "expected a non-empty string, got null",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "In", "values": ["x", 1]}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0].values[1]: "
            "expected a string, got number 1",
        ),
        (
            {"matchExpressions": [{"key": "a", "operator": "Exists", "value": "x"}]},
            "cfg.yaml: neverInjectSelector[0].matchExpressions[0]: "
            "unknown field 'value' (expected key, operator, values)",
        ),
    ],
)
def test_invalid_selectors_name_the_key_path(data: Any, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_selector_list([data], key_path="neverInjectSelector", source="cfg.yaml")

    assert str(info.value) == message


def test_selector_list_must_be_a_list() -> None:
    with pytest.raises(ConfigError) as info:
        parse_selector_list({"matchLabels": {}}, key_path="alwaysInjectSelector")

    assert str(info.value) == (
        "<input>: alwaysInjectSelector: expected a list, got mapping {'matchLabels': {}}"
    )
    assert parse_selector_list(None, key_path="alwaysInjectSelector") == ()


_keys = st.sampled_from(["app", "tier", "team"])
_values = st.sampled_from(["web", "db", ""])
_label_sets = st.dictionaries(_keys, _values)


@given(labels=_label_sets, key=_keys, values=st.lists(_values, min_size=1, max_size=3))
def test_not_in_is_the_negation_of_in(labels: dict[str, str], key: str, values: list[str]) -> None:
    assert _expr(key, "NotIn", values).matches(labels) is not _expr(key, "In", values).matches(
        labels
    )
    assert _expr(key, "DoesNotExist").matches(labels) is not _expr(key, "Exists").matches(labels)


@given(labels=_label_sets, wanted=_label_sets)
def test_match_labels_means_subset(labels: dict[str, str], wanted: dict[str, str]) -> None:
    selector = LabelSelector.from_labels(wanted)

    assert selector.matches(labels) is (wanted.items() <= labels.items())
