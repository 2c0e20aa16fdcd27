"""Namespace labels and annotations, from `--namespace-labels` files and Namespace documents.

Accepted shapes, for `--namespace-labels` (a file or a folder of `*.yaml`/`*.yml`) and,
except the first, for the manifests themselves:

- a plain mapping `namespace -> {label: value}` (a null value means "no labels");
- `kubectl get namespaces -o yaml` output: a `List` (or `NamespaceList`) of Namespaces
  (items of other kinds, as in `kubectl get ns,deploy -o yaml`, are not namespaces and
  are left alone);
- a `Namespace` object, or several in one multi-document file.

Namespaces count wherever the run declares them: every input file and every
`--namespace-labels` source apply to every workload of the run.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from meshinject.errors import ConfigError, InputError, Location, MeshInjectError
from meshinject.policy._values import expected

#: Kubernetes sets this label on every namespace; Istio's `auto.` webhook selects on it.
NAME_LABEL = "kubernetes.io/metadata.name"
#: The namespace labels Istio's injection webhooks select on.
INJECTION_LABELS = ("istio-injection", "istio.io/rev")


@dataclass(frozen=True)
class NamespaceInfo:
    """A namespace's labels and annotations.

    `labels` always contains `kubernetes.io/metadata.name=<name>`, as in a live cluster, so
    selectors on it behave as they would there.
    """

    name: str
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    annotations: Mapping[str, str] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        # Read-only views, so a shared NamespaceInfo cannot be changed behind a caller's back.
        labels = {**self.labels, NAME_LABEL: self.name}
        object.__setattr__(self, "labels", MappingProxyType(labels))
        object.__setattr__(self, "annotations", MappingProxyType(dict(self.annotations)))

    @property
    def has_injection_labels(self) -> bool:
        """Does this namespace carry a label Istio's injection webhooks select on?"""
        return any(label in self.labels for label in INJECTION_LABELS)

    def __reduce__(self) -> tuple[Any, ...]:
        # Read-only views do not pickle; parallel runs send namespaces to worker processes.
        return (NamespaceInfo, (self.name, dict(self.labels), dict(self.annotations)))


def parse_namespace_labels(
    data: Any, *, source: str, line: int = 0, other_kinds: bool = False
) -> dict[str, NamespaceInfo]:
    """Read a namespace-labels document (already loaded from YAML) into `name -> info`.

    With `other_kinds`, a document or List item of another kind (one document of a
    multi-document file or folder) declares nothing instead of being an error.
    Raises `ConfigError` located in `source` (at `line`, the document's first line, when
    given), naming the key path of the bad entry.
    """
    where = Location(path=source, line=line)
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(
            expected("a mapping of namespace -> labels, or a Namespace List", data), where
        )
    # A namespace may legally be called "kind", so only a string `kind` marks an object.
    kind = data.get("kind")
    if not isinstance(kind, str):
        return _parse_plain_mapping(data, where)
    if kind == "Namespace":
        info = _from_object(data, "", where, ConfigError)
        return {info.name: info}
    if kind in ("List", "NamespaceList"):
        return _parse_list(data, where, other_kinds=other_kinds)
    if other_kinds:
        return {}
    raise ConfigError(f"expected a Namespace or a List of Namespaces, got kind {kind!r}", where)


def namespace_from_object(doc: Mapping[str, Any]) -> NamespaceInfo:
    """A `kind: Namespace` document from the input stream.

    Raises `InputError` without a path; the stream layer adds file and line.
    """
    return _from_object(doc, "", Location(), InputError)


def namespaces_in_document(doc: Mapping[str, Any]) -> list[NamespaceInfo]:
    """The Namespaces a document of the input declares: itself, or the Namespace items of
    a List (`kubectl get ns -o yaml`). Raises `InputError` as `namespace_from_object`."""
    kind = doc.get("kind")
    if kind == "Namespace":
        return [namespace_from_object(doc)]
    items = doc.get("items") if kind in ("List", "NamespaceList") else None
    if not isinstance(items, list):
        return []
    found = []
    for index, item in enumerate(items):
        if isinstance(item, Mapping) and item.get("kind", _item_kind(kind)) == "Namespace":
            found.append(_from_object(item, f"items[{index}]", Location(), InputError))
    return found


def _item_kind(list_kind: Any) -> str:
    """NamespaceList items from the API omit `kind`; a generic List spells it out."""
    return "Namespace" if list_kind == "NamespaceList" else ""


def _parse_plain_mapping(data: Mapping[Any, Any], where: Location) -> dict[str, NamespaceInfo]:
    result = {}
    for name, labels in data.items():
        if not isinstance(name, str) or not name:
            raise ConfigError(expected("a namespace name", name), where)
        result[name] = NamespaceInfo(name, _string_map(labels, name, where, ConfigError))
    return result


def _parse_list(
    data: Mapping[str, Any], where: Location, *, other_kinds: bool = False
) -> dict[str, NamespaceInfo]:
    items = data.get("items")
    if items is None:
        return {}
    if not isinstance(items, list):
        raise ConfigError(expected("a list", items), where, "items")
    result: dict[str, NamespaceInfo] = {}
    for i, item in enumerate(items):
        path = f"items[{i}]"
        if not isinstance(item, Mapping):
            raise ConfigError(expected("a Namespace object", item), where, path)
        # NamespaceList items from the API omit `kind`; a generic List spells it out.
        item_kind = item.get("kind", "Namespace")
        if item_kind != "Namespace" and other_kinds:
            continue
        if item_kind != "Namespace":
            raise ConfigError(f"expected a Namespace, got kind {item_kind!r}", where, path)
        info = _from_object(item, path, where, ConfigError)
        if info.name in result:
            raise ConfigError(f"namespace {info.name!r} is listed twice", where, path)
        result[info.name] = info
    return result


def _from_object(
    doc: Mapping[str, Any], path: str, where: Location, error: type[MeshInjectError]
) -> NamespaceInfo:
    metadata = doc.get("metadata")
    meta_path = _join(path, "metadata")
    if not isinstance(metadata, Mapping):
        raise _error(error, expected("a mapping", metadata), where, meta_path)
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        raise _error(error, expected("a namespace name", name), where, _join(meta_path, "name"))
    labels = _string_map(metadata.get("labels"), _join(meta_path, "labels"), where, error)
    annotations = _string_map(
        metadata.get("annotations"), _join(meta_path, "annotations"), where, error
    )
    return NamespaceInfo(name, labels, annotations)


def _string_map(
    data: Any, path: str, where: Location, error: type[MeshInjectError]
) -> dict[str, str]:
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise _error(error, expected("a mapping of strings", data), where, path)
    result = {}
    for key, value in data.items():
        if not isinstance(key, str):
            raise _error(error, expected("a string key", key), where, path)
        if not isinstance(value, str):
            hint = " (quote it in YAML)" if isinstance(value, bool | int | float) else ""
            raise _error(error, expected("a string", value) + hint, where, f"{path}.{key}")
        result[key] = value
    return result


def _error(
    error: type[MeshInjectError], message: str, where: Location, path: str
) -> MeshInjectError:
    if error is ConfigError:
        return ConfigError(message, where, path)
    return error(f"{path}: {message}" if path else message, where)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key
