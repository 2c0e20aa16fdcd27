"""The merge rules: Helm's deep merge for values, Istio's rules for mesh and proxy config.

All functions return new data and never modify their inputs. The `*_layer` functions also
update a `Provenance` so that later validation errors can name the file that set a key.
"""

from __future__ import annotations

import copy
from typing import Any

from meshinject.config.provenance import KeyPath, Provenance, SourceDoc

# Fields of ProxyConfig's `cluster_name` oneof: setting one clears the other.
_PROXY_ONEOF = ("serviceCluster", "tracingServiceName")


def deep_merge(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Helm-style merge: mappings merge key by key, `null` deletes, anything else replaces."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def values_layer(
    base: dict[str, Any], doc: SourceDoc, prov: Provenance, at: KeyPath = ()
) -> dict[str, Any]:
    """`deep_merge(base, doc.data)`, recording where each key came from."""
    overlay = doc.data
    assert isinstance(overlay, dict)
    return _merge_tracked(base, overlay, doc, prov, target=at, source=())


def _merge_tracked(
    base: dict[str, Any],
    overlay: dict[str, Any],
    doc: SourceDoc,
    prov: Provenance,
    *,
    target: KeyPath,
    source: KeyPath,
) -> dict[str, Any]:
    out = dict(base)
    for key, value in overlay.items():
        t, s = (*target, key), (*source, key)
        if value is None:
            out.pop(key, None)
            prov.forget(t)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            prov.set(t, doc.origin(s))
            out[key] = _merge_tracked(out[key], value, doc, prov, target=t, source=s)
        else:
            out[key] = copy.deepcopy(value)
            prov.replace(t, doc, s)
    return out


def merge_proxy_config(base: dict[str, Any], overlay: dict[str, Any]) -> dict[str, Any]:
    """Istio's ProxyConfig merge (mesh `defaultConfig` layers, `proxy.istio.io/config`).

    Every field the overlay sets replaces the base field as a whole (no deep merge of
    `tracing` etc.), except `proxyMetadata`, which merges key by key. A `null` removes a
    field (or a metadata key). Setting `serviceCluster` clears `tracingServiceName` and
    vice versa, as they are one protobuf oneof.
    """
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        if key in _PROXY_ONEOF and value is not None:
            for other in _PROXY_ONEOF:
                out.pop(other, None)
        if value is None:
            out.pop(key, None)
        elif key == "proxyMetadata" and isinstance(value, dict):
            merged = dict(out.get("proxyMetadata") or {})
            for name, item in value.items():
                if item is None:
                    merged.pop(name, None)
                else:
                    merged[name] = item
            out[key] = merged
        else:
            out[key] = copy.deepcopy(value)
    return out


def mesh_layer(
    base: dict[str, Any], doc: SourceDoc, prov: Provenance, at: KeyPath = ()
) -> dict[str, Any]:
    """Apply a MeshConfig document the way Istio's `ApplyMeshConfig` does.

    Top-level fields replace; `defaultConfig` merges via `merge_proxy_config`;
    `defaultProviders` merges field by field; `extensionProviders` merge by name (a
    provider with a known name replaces it in place, new ones are appended);
    `trustDomainAliases` become the sorted union. A `null` field is removed.
    """
    overlay = doc.data
    assert isinstance(overlay, dict)
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        t, s = (*at, key), (key,)
        if value is None:
            out.pop(key, None)
            prov.forget(t)
        elif key == "defaultConfig" and isinstance(value, dict):
            old = out.get(key)
            out[key] = merge_proxy_config(old if isinstance(old, dict) else {}, value)
            prov.set(t, doc.origin(s))
            for field in value:
                if field in _PROXY_ONEOF:
                    for other in _PROXY_ONEOF:
                        prov.forget((*t, other))
                if field == "proxyMetadata" and isinstance(value[field], dict):
                    prov.set((*t, field), doc.origin((*s, field)))
                    for name in value[field]:
                        prov.replace((*t, field, name), doc, (*s, field, name))
                else:
                    prov.replace((*t, field), doc, (*s, field))
        elif key == "defaultProviders" and isinstance(value, dict):
            old = out.get(key)
            merged = dict(old) if isinstance(old, dict) else {}
            for field, item in value.items():
                if item is None:
                    merged.pop(field, None)
                else:
                    merged[field] = copy.deepcopy(item)
                prov.replace((*t, field), doc, (*s, field))
            out[key] = merged
            prov.set(t, doc.origin(s))
        elif key == "extensionProviders" and isinstance(value, list):
            out[key] = _merge_providers(out.get(key), value, doc, prov, target=t, source=s)
        elif key == "trustDomainAliases" and isinstance(value, list):
            old = out.get(key)
            union = {str(v) for v in value} | {str(v) for v in (old or [])}
            out[key] = sorted(union)
            prov.replace(t, doc, s)
        else:
            out[key] = copy.deepcopy(value)
            prov.replace(t, doc, s)
    return out


def _merge_providers(
    old: Any, new: list[Any], doc: SourceDoc, prov: Provenance, *, target: KeyPath, source: KeyPath
) -> list[Any]:
    providers = [copy.deepcopy(p) for p in old] if isinstance(old, list) else []
    prov.set(target, doc.origin(source))
    for index, item in enumerate(new):
        name = item.get("name") if isinstance(item, dict) else None
        slot = next(
            (
                i
                for i, p in enumerate(providers)
                if name is not None and isinstance(p, dict) and p.get("name") == name
            ),
            None,
        )
        if slot is None:
            slot = len(providers)
            providers.append(copy.deepcopy(item))
        else:
            providers[slot] = copy.deepcopy(item)
        prov.replace((*target, slot), doc, (*source, index))
    return providers
