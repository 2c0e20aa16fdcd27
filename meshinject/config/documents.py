"""Reading each kind of config file into the documents the merge layers apply.

Values, mesh-config and inject-config files may also be the ConfigMap itself
(`kubectl get cm istio -o yaml`): its `data.values`, `data.mesh` or `data.config` string
is used, with line numbers counted from the file.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

from meshinject.config.load import load_mapping, parse_text, read_text, require_mapping
from meshinject.config.provenance import KeyPath, SourceDoc
from meshinject.errors import ConfigError, Location

_IOP_SPEC_KEYS = (
    "components",
    "compatibilityVersion",
    "hub",
    "installPackagePath",
    "meshConfig",
    "namespace",
    "profile",
    "resourceSuffix",
    "revision",
    "tag",
    "unvalidatedValues",
    "values",
)


def read_values(path: str) -> SourceDoc:
    return _from_configmap(load_mapping(path, "Istio values"), "values", "Istio values")


def read_mesh(path: str) -> SourceDoc:
    return _from_configmap(load_mapping(path, "mesh config fields"), "mesh", "mesh config fields")


def is_injector_configmap(path: str) -> bool:
    """Whether `path` is ConfigMap istio-sidecar-injector as `kubectl get cm -o yaml` writes
    it: its `data.values` are values and its `data.config` the injector config."""
    try:
        data = load_mapping(path, "Istio values").data
    except ConfigError:
        return False
    inner = data.get("data") if isinstance(data, dict) else None
    return (
        isinstance(data, dict)
        and data.get("kind") == "ConfigMap"
        and isinstance(inner, dict)
        and isinstance(inner.get("config"), str)
    )


def _from_configmap(doc: SourceDoc, key: str, what: str) -> SourceDoc:
    data = doc.data
    assert isinstance(data, dict)
    if data.get("kind") != "ConfigMap" or not isinstance(data.get("data"), dict):
        return doc
    text = data["data"].get(key)
    if not isinstance(text, str):
        raise ConfigError(
            f"ConfigMap has no data.{key} string", doc.origin(("data",)).location, f"data.{key}"
        )
    inner = parse_text(text, doc.path)
    key_line = doc.origin(("data", key)).location.line
    positions = {
        p: Location(doc.path, key_line + loc.line if key_line else 0, 0)
        for p, loc in inner.positions.items()
    }
    return require_mapping(SourceDoc(doc.path, inner.data, positions), what)


@dataclass
class IstioOperatorDocs:
    """The values and mesh-config layers an IstioOperator file contributes, in order."""

    values: list[SourceDoc] = field(default_factory=list)
    mesh: list[SourceDoc] = field(default_factory=list)


def read_iop(path: str) -> IstioOperatorDocs:
    """Split an IstioOperator into values/mesh layers, applying the operator translations.

    `spec.values` and `spec.unvalidatedValues` are values layers; `spec.hub`, `spec.tag`
    and `spec.revision` set `global.hub`, `global.tag` and `revision`;
    `spec.components.cni.enabled` sets `pilot.cni.enabled` and `spec.values.cni.provider`
    sets `pilot.cni.provider`; `spec.meshConfig` is a mesh-config layer.
    """
    doc = load_mapping(path, "IstioOperator fields")
    data = doc.data
    assert isinstance(data, dict)
    kind = data.get("kind")
    if kind is not None and kind != "IstioOperator":
        raise ConfigError(
            f"expected kind IstioOperator, got {kind!r}", doc.origin(("kind",)).location, "kind"
        )
    if kind is None and "spec" not in data:
        raise ConfigError(
            "not an IstioOperator (it has neither `kind: IstioOperator` nor `spec`); plain"
            " Istio values go to --values",
            doc.origin(()).location,
        )
    spec = data.get("spec") or {}
    if not isinstance(spec, dict):
        raise ConfigError("expected a mapping", doc.origin(("spec",)).location, "spec")
    for key in spec:
        if key not in _IOP_SPEC_KEYS:
            close = difflib.get_close_matches(key, _IOP_SPEC_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ConfigError(
                f"unknown key{hint}", doc.origin(("spec", key)).location, f"spec.{key}"
            )
    out = IstioOperatorDocs()
    for key in ("values", "unvalidatedValues"):
        if spec.get(key) is not None:
            out.values.append(require_mapping(doc.sub(("spec", key)), "Istio values"))
    moves: list[tuple[KeyPath, KeyPath]] = [
        (("spec", "hub"), ("global", "hub")),
        (("spec", "tag"), ("global", "tag")),
        (("spec", "revision"), ("revision",)),
        (("spec", "profile"), ("profile",)),
        (("spec", "compatibilityVersion"), ("compatibilityVersion",)),
        (("spec", "components", "cni", "enabled"), ("pilot", "cni", "enabled")),
        (("spec", "values", "cni", "provider"), ("pilot", "cni", "provider")),
    ]
    translated = _translate(doc, moves)
    if translated is not None:
        out.values.append(translated)
    if spec.get("meshConfig") is not None:
        out.mesh.append(require_mapping(doc.sub(("spec", "meshConfig")), "mesh config fields"))
    return out


def _translate(doc: SourceDoc, moves: list[tuple[KeyPath, KeyPath]]) -> SourceDoc | None:
    data: dict[str, Any] = {}
    positions = {}
    for source, target in moves:
        found, value = _lookup(doc.data, source)
        if not found:
            continue
        node = data
        for part in target[:-1]:
            node = node.setdefault(str(part), {})
        node[str(target[-1])] = value
        positions[target] = doc.origin(source).location
    return SourceDoc(doc.path, data, positions) if data else None


def _lookup(data: Any, path: KeyPath) -> tuple[bool, Any]:
    for part in path:
        if not isinstance(data, dict) or part not in data:
            return False, None
        data = data[part]
    return True, data


INJECT_CONFIG_KEYS = (
    "aliases",
    "alwaysInjectSelector",
    "defaultTemplates",
    "injectedAnnotations",
    "neverInjectSelector",
    "policy",
    "template",
    "templates",
)


def read_inject_config(path: str) -> tuple[SourceDoc | None, str | None]:
    """(injector Config document, None) or (None, bare template text) for an inject config.

    A file that is a mapping with at least one injector Config key is a full Config (as in
    `kubectl get cm istio-sidecar-injector -o jsonpath={.data.config}`); anything else —
    including text that is not valid YAML, as Go templates often are — is a bare template.
    """
    text = read_text(path)
    try:
        doc = parse_text(text, path)
    except ConfigError:
        return None, text
    if isinstance(doc.data, dict):
        data = doc.data
        if data.get("kind") == "ConfigMap" and isinstance(data.get("data"), dict):
            doc = _from_configmap(doc, "config", "injector config fields")
            return doc, None
        if any(key in data for key in INJECT_CONFIG_KEYS):
            return doc, None
    return None, text
