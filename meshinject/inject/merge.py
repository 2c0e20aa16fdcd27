"""Kubernetes strategic merge of a template's partial pod over the workload's pod.

Istio overlays each rendered template on the pod with a strategic merge patch. The result
order of merged lists matters (it is visible in the output): items the patch brings come
first, in patch order, and the pod's own items are slotted in where they stood relative to
patch items they share with the pod (apimachinery's `mergeSortedSlice`).
"""

from __future__ import annotations

from typing import Any

from meshinject.datacopy import clone

# Lists Kubernetes merges by key (patchStrategy=merge) in a pod, and their merge keys.
MERGE_KEYS = {
    "containers": "name",
    "initContainers": "name",
    "ephemeralContainers": "name",
    "volumes": "name",
    "imagePullSecrets": "name",
    "env": "name",
    "volumeMounts": "mountPath",
    "ports": "containerPort",
    "hostAliases": "ip",
    "resourceClaims": "name",
    "schedulingGates": "name",
}


def strategic_merge(original: Any, patch: Any, field: str = "", *, append: bool = False) -> Any:
    """Return `patch` strategically merged over `original` (neither is modified).

    `append=True` keeps the original's items first and appends new ones, which is how a
    user's own istio-proxy fields land on the generated container.
    """
    if isinstance(original, dict) and isinstance(patch, dict):
        out = dict(original)
        for key, value in patch.items():
            if value is None:
                out.pop(key, None)
            elif key in out:
                out[key] = strategic_merge(out[key], value, key, append=append)
            else:
                out[key] = clone(value)
        return out
    if isinstance(original, list) and isinstance(patch, list) and field in MERGE_KEYS:
        return _merge_keyed_list(original, patch, MERGE_KEYS[field], append=append)
    return clone(patch)


def _key(item: Any, merge_key: str) -> Any:
    """The item's merge key; None when missing or not a scalar (a list can't identify it)."""
    key = item.get(merge_key) if isinstance(item, dict) else None
    return key if isinstance(key, str | int | float) else None


def _merge_keyed_list(
    original: list[Any], patch: list[Any], merge_key: str, *, append: bool = False
) -> list[Any]:
    server_order = [_key(item, merge_key) for item in original]
    merged = list(original)
    patch_items: list[Any] = []
    for item in patch:
        key = _key(item, merge_key)
        if key is not None and key in server_order:
            index = server_order.index(key)
            merged[index] = strategic_merge(merged[index], item, append=append)
            patch_items.append(merged[index])
        else:
            patch_items.append(clone(item))
    if append:
        known = set(server_order)
        return merged + [i for i in patch_items if _key(i, merge_key) not in known]
    patch_keys = {_key(item, merge_key) for item in patch}
    server_only = [item for item in merged if _key(item, merge_key) not in patch_keys]

    def position(item: Any) -> int:
        key = _key(item, merge_key)
        return server_order.index(key) if key in server_order else -1

    result: list[Any] = []
    i = j = 0
    while i < len(server_only) or j < len(patch_items):
        if j >= len(patch_items):
            result.append(server_only[i])
            i += 1
        elif i >= len(server_only):
            result.append(patch_items[j])
            j += 1
        else:
            left, right = position(server_only[i]), position(patch_items[j])
            if left >= 0 and right >= 0 and left < right:
                result.append(server_only[i])
                i += 1
            else:
                result.append(patch_items[j])
                j += 1
    return result
