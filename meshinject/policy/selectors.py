"""Kubernetes LabelSelectors: parse, validate and match label sets.

Used for Istio's `neverInjectSelector`/`alwaysInjectSelector` and for evaluating webhook
selectors in tests. Semantics follow Kubernetes `metav1.LabelSelector`: every
`matchLabels` pair and every `matchExpressions` requirement must hold, and an empty
selector matches everything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, get_args

from meshinject.errors import ConfigError, Location
from meshinject.policy._values import expected as _expected

Operator = Literal["In", "NotIn", "Exists", "DoesNotExist"]
OPERATORS: tuple[Operator, ...] = get_args(Operator)
_SELECTOR_KEYS = ("matchLabels", "matchExpressions")
_REQUIREMENT_KEYS = ("key", "operator", "values")


@dataclass(frozen=True)
class Requirement:
    """One `matchExpressions` entry: `key <operator> values`."""

    key: str
    operator: Operator
    values: tuple[str, ...] = ()

    def matches(self, labels: Mapping[str, str]) -> bool:
        if self.operator == "In":
            return labels.get(self.key) in self.values
        if self.operator == "NotIn":
            # Kubernetes: a missing key satisfies NotIn.
            return self.key not in labels or labels[self.key] not in self.values
        if self.operator == "Exists":
            return self.key in labels
        return self.key not in labels

    def describe(self) -> str:
        """kubectl-style text: `app in (a,b)`, `!tier`."""
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        op = "in" if self.operator == "In" else "notin"
        return f"{self.key} {op} ({','.join(self.values)})"


@dataclass(frozen=True)
class LabelSelector:
    """A parsed Kubernetes LabelSelector. Build with `LabelSelector.parse`."""

    match_labels: tuple[tuple[str, str], ...] = ()
    match_expressions: tuple[Requirement, ...] = ()

    @classmethod
    def parse(cls, data: Any, *, key_path: str = "", source: str = "") -> LabelSelector:
        """Parse a LabelSelector mapping; `None` is read as the empty selector.

        Errors are `ConfigError`s naming `key_path` (e.g. `neverInjectSelector[0]`) plus
        the offending sub-key, located in `source` (a file name) when given.
        """
        where = Location(path=source)
        if data is None:
            return cls()
        if not isinstance(data, Mapping):
            raise ConfigError(_expected("a mapping", data), where, key_path or "selector")
        for key in data:
            if key not in _SELECTOR_KEYS:
                raise ConfigError(
                    f"unknown field {key!r} (a LabelSelector has matchLabels and matchExpressions)",
                    where,
                    key_path or "selector",
                )
        labels = _parse_match_labels(data.get("matchLabels"), _join(key_path, "matchLabels"), where)
        exprs_data = data.get("matchExpressions")
        exprs_path = _join(key_path, "matchExpressions")
        if exprs_data is None:
            exprs_data = []
        if not isinstance(exprs_data, list):
            raise ConfigError(_expected("a list", exprs_data), where, exprs_path)
        exprs = tuple(
            _parse_requirement(item, f"{exprs_path}[{i}]", where)
            for i, item in enumerate(exprs_data)
        )
        return cls(match_labels=labels, match_expressions=exprs)

    @classmethod
    def from_labels(cls, labels: Mapping[str, str]) -> LabelSelector:
        """The selector `matchLabels: labels`."""
        return cls(match_labels=tuple(sorted(labels.items())))

    @property
    def is_empty(self) -> bool:
        return not self.match_labels and not self.match_expressions

    def matches(self, labels: Mapping[str, str]) -> bool:
        """Kubernetes semantics: all requirements hold; the empty selector matches all."""
        return all(labels.get(k) == v for k, v in self.match_labels) and all(
            r.matches(labels) for r in self.match_expressions
        )

    def describe(self) -> str:
        """kubectl-style text, e.g. `app=web,tier notin (db)`; `<everything>` if empty."""
        parts = [f"{k}={v}" for k, v in self.match_labels]
        parts += [r.describe() for r in self.match_expressions]
        return ",".join(parts) or "<everything>"


def parse_selector_list(data: Any, *, key_path: str, source: str = "") -> tuple[LabelSelector, ...]:
    """Parse a list of selectors such as the injector's `neverInjectSelector`."""
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ConfigError(_expected("a list", data), Location(path=source), key_path)
    return tuple(
        LabelSelector.parse(item, key_path=f"{key_path}[{i}]", source=source)
        for i, item in enumerate(data)
    )


def _parse_match_labels(data: Any, key_path: str, where: Location) -> tuple[tuple[str, str], ...]:
    if data is None:
        return ()
    if not isinstance(data, Mapping):
        raise ConfigError(_expected("a mapping", data), where, key_path)
    pairs = []
    for key, value in data.items():
        if not isinstance(key, str):
            raise ConfigError(_expected("a string key", key), where, key_path)
        if not isinstance(value, str):
            raise ConfigError(_expected("a string", value), where, f"{key_path}.{key}")
        pairs.append((key, value))
    return tuple(sorted(pairs))


def _parse_requirement(data: Any, key_path: str, where: Location) -> Requirement:
    if not isinstance(data, Mapping):
        raise ConfigError(_expected("a mapping", data), where, key_path)
    for field in data:
        if field not in _REQUIREMENT_KEYS:
            raise ConfigError(
                f"unknown field {field!r} (expected key, operator, values)", where, key_path
            )
    key = data.get("key")
    if not isinstance(key, str) or not key:
        raise ConfigError(_expected("a non-empty string", key), where, f"{key_path}.key")
    operator = data.get("operator")
    if operator not in OPERATORS:
        raise ConfigError(
            f"unknown operator {operator!r} (expected one of {', '.join(OPERATORS)})",
            where,
            f"{key_path}.operator",
        )
    values = _parse_values(data.get("values"), f"{key_path}.values", where)
    if operator in ("In", "NotIn") and not values:
        raise ConfigError(
            f"must be a non-empty list for operator {operator}", where, f"{key_path}.values"
        )
    if operator in ("Exists", "DoesNotExist") and values:
        raise ConfigError(f"must be empty for operator {operator}", where, f"{key_path}.values")
    return Requirement(key=key, operator=operator, values=values)


def _parse_values(data: Any, key_path: str, where: Location) -> tuple[str, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        raise ConfigError(_expected("a list of strings", data), where, key_path)
    for i, value in enumerate(data):
        if not isinstance(value, str):
            raise ConfigError(_expected("a string", value), where, f"{key_path}[{i}]")
    return tuple(data)


def _join(key_path: str, key: str) -> str:
    return f"{key_path}.{key}" if key_path else key
