"""Make an uninjected workload exact: drop what the templates wrote, keep what was there.

`meshinject.uninject` removes what every injection adds (the status annotation's lists,
the recorded probes, the labels and annotations of Istio's sidecar template). A template
may write more: `grpc-agent` adds `sidecar.istio.io/rewriteAppHTTPProbers` and
`securityContext.fsGroup`, `gateway` a sysctl, a user's own template any key anywhere
(R8, R23). And the removal cannot see everything the user had: a key injection filled
(`annotations: {}`, `volumes: []`, a CronJob's `metadata:`) is gone with its contents, and
`--style istio` takes a user's own `updateStrategy: {}` for its Go default (R9).

Nothing is recorded for that; the answer is checked instead. Injecting the original again
must give the injected workload back, key order included (injection appends what it adds,
so order tells a user's key from an added one). The candidates, in order of preference:

1. the first removal, minus every value the templates write (rendered for a pod without
   any of them, so `if not set` conditions show their keys) that the pod holds unchanged;
2. with the emptied keys of the injected workload put back empty, fewest first;
3. keeping one of those template values (the user's own, at a place injection would not
   have put it).

The first candidate that injects back to the input, value for value and in the same order,
is the answer. When none does (a workload istioctl injected, or one edited since), the
first removal stands and the caller warns. Where the order cannot tell (a user's key last
and equal to what the template writes), both candidates inject to the same workload and
the one without the key wins.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from typing import Any

from meshinject.datacopy import clone
from meshinject.inject.kinds import get_path, pod_paths
from meshinject.inject.status import ANNOTATION_ORDER, LABEL_ORDER, STATUS
from meshinject.yamltext.diff import same

Path = tuple[Any, ...]
# Injects a candidate workload in the run's output style (attempt 0) or the other one (1):
# (the injected workload or None on error, what the templates wrote).
Reinject = Callable[[dict[str, Any], int], tuple[Any, dict[str, Any] | None]]

# Listed by name in the status annotation: removed by `unapply`, not here.
_LISTED = frozenset({"containers", "initContainers", "volumes", "imagePullSecrets"})
# The pod template and pod spec of every workload kind stay even when emptied.
_KEEP = frozenset(
    {
        ("spec", "template"),
        ("spec", "template", "spec"),
        ("spec", "jobTemplate"),
        ("spec", "jobTemplate", "spec"),
        ("spec", "jobTemplate", "spec", "template"),
        ("spec", "jobTemplate", "spec", "template", "spec"),
    }
)
# At most this many emptied keys the order cannot place are tried in combination.
_MAX_EMPTIED = 3


def refine(
    original: dict[str, Any], first: dict[str, Any], reinject: Reinject
) -> tuple[dict[str, Any], bool]:
    """The exact uninjected form of the workload `original`, starting from `first` (the
    removal's result), and whether it was verified (see the module docstring)."""
    kind = str(original.get("kind"))
    meta_path, spec_path = pod_paths(kind)
    checked = _Checker(original, reinject, meta_path, spec_path)
    ok, written = checked(first, ())
    loosely = ok or checked.loosely
    suspects = _written_again(_pod(first, meta_path, spec_path), written or {})
    if ok and not suspects:
        return first, True
    # Render once more for a pod without anything a template may write conditionally.
    known = [_absolute(p, meta_path, spec_path) for p in suspects]
    bare = _without(first, known + _injection_keys(first, meta_path))
    again = reinject(bare, 0)[1]
    if again is not None:
        for path in _written_again(_pod(first, meta_path, spec_path), again):
            if path not in suspects:
                suspects.append(path)
    absolute = [_absolute(p, meta_path, spec_path) for p in suspects]
    # Injection appends: a value followed by one of the user's is the user's own.
    removed = set(absolute)
    absolute = [p for p in absolute if not _followed_by(first, p, lambda q: q not in removed)]
    base = _without(first, absolute)
    emptied = _emptied(original, base, meta_path, spec_path)
    # A key injection filled that the user's keys follow was there before injection.
    sure = [p for p in emptied if _followed_by(original, p, lambda q: _has(base, q))]
    unsure = [p for p in emptied if p not in sure][:_MAX_EMPTIED]
    variants = [absolute] + [[p for p in absolute if p != keep] for keep in absolute]
    for remove in variants:
        start = base if remove is absolute else _without(first, remove)
        for size in range(len(unsure) + 1):
            for chosen in combinations(unsure, size):
                restored = (*sure, *chosen)
                candidate = _restored(start, restored, original)
                if checked(candidate, (*absolute, *restored))[0]:
                    return candidate, True
    return first, loosely


def _followed_by(doc: dict[str, Any], path: Path, kept: Callable[[Path], bool]) -> bool:
    """Does a key (or named item) for which `kept` holds come after `path` in its parent?"""
    parent = get_any(doc, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        keys: list[Any] = list(parent)
        at = keys.index(last) if last in parent else -1
    elif isinstance(parent, list) and isinstance(last, tuple):
        keys = [("name", i.get("name")) if isinstance(i, dict) else None for i in parent]
        at = keys.index(last) if last in keys else -1
    else:
        return False
    return at >= 0 and any(k is not None and kept((*path[:-1], k)) for k in keys[at + 1 :])


def _has(doc: dict[str, Any], path: Path) -> bool:
    parent = get_any(doc, path[:-1])
    last = path[-1]
    if isinstance(parent, dict):
        return last in parent
    return isinstance(last, tuple) and _named(parent, last[1]) is not None


class _Checker:
    """Does a candidate inject back to the original workload, in the same key order?"""

    def __init__(
        self,
        original: dict[str, Any],
        reinject: Reinject,
        meta_path: tuple[str, ...],
        spec_path: tuple[str, ...],
    ) -> None:
        self.original = original
        self.reinject = reinject
        # The last check found the same workload, in another key order (an istioctl file).
        self.loosely = False
        self.fixed: tuple[Path, ...] = (
            (),
            ("spec",),
            meta_path,
            (*meta_path, "labels"),
            (*meta_path, "annotations"),
            meta_path[:-1],
            spec_path,
        )

    def __call__(
        self, candidate: dict[str, Any], moved: tuple[Path, ...]
    ) -> tuple[bool, dict[str, Any] | None]:
        written = None
        self.loosely = False
        for attempt in (0, 1):
            injected, wrote = self.reinject(candidate, attempt)
            written = written if written is not None else wrote
            if injected is not None and self.matches(injected, moved):
                return True, written
        return False, written

    def matches(self, injected: Any, moved: tuple[Path, ...]) -> bool:
        if not same(injected, self.original):
            return False
        self.loosely = True  # the same workload, if not in the same order
        return all(
            _keys(get_any(injected, path)) == _keys(get_any(self.original, path))
            for path in {*self.fixed, *(p[:n] for p in moved for n in range(len(p)))}
        )


def get_any(data: Any, path: Path) -> Any:
    for step in path:
        if isinstance(step, tuple):  # ("name", value): the list item of that name
            data = _named(data, step[1])
        elif isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def _keys(value: Any) -> list[Any] | None:
    if isinstance(value, dict):
        return list(value)
    if isinstance(value, list):
        return [i.get("name") if isinstance(i, dict) else i for i in value]
    return None


def _named(items: Any, name: Any) -> Any:
    if not isinstance(items, list):
        return None
    return next((i for i in items if isinstance(i, dict) and i.get("name") == name), None)


def _pod(doc: dict[str, Any], meta_path: tuple[str, ...], spec_path: tuple[str, ...]) -> Any:
    meta = get_path(doc, meta_path)
    spec = get_path(doc, spec_path)
    return {
        "metadata": meta if isinstance(meta, dict) else {},
        "spec": spec if isinstance(spec, dict) else {},
    }


def _absolute(path: Path, meta_path: tuple[str, ...], spec_path: tuple[str, ...]) -> Path:
    """A pod-relative path (`metadata...`/`spec...`) inside the workload document."""
    return (*(meta_path if path[0] == "metadata" else spec_path), *path[1:])


def _written_again(pod: dict[str, Any], written: dict[str, Any]) -> list[Path]:
    """Pod-relative paths of the values `written` (a template's output) that `pod` holds
    unchanged, leaves and named list items, outside what the status annotation lists."""
    found: list[Path] = []

    def walk(have: dict[str, Any], wrote: dict[str, Any], path: Path) -> None:
        for key, value in wrote.items():
            if key not in have or (path == ("spec",) and key in _LISTED):
                continue
            if path == ("metadata", "annotations") and key == STATUS:
                continue
            mine = have[key]
            if isinstance(value, dict) and isinstance(mine, dict) and value:
                walk(mine, value, (*path, key))
            elif isinstance(value, list) and isinstance(mine, list) and _all_named(value):
                for item in value:
                    match = _named(mine, item["name"])
                    if match is not None and same(match, item):
                        found.append((*path, key, ("name", item["name"])))
            elif same(mine, value):
                found.append((*path, key))

    walk(pod, written, ())
    return found


def _all_named(items: list[Any]) -> bool:
    return bool(items) and all(isinstance(i, dict) and "name" in i for i in items)


def _injection_keys(doc: dict[str, Any], meta_path: tuple[str, ...]) -> list[Path]:
    """The labels and annotations Istio's templates write (whoever wrote them here)."""
    meta = get_path(doc, meta_path)
    paths: list[Path] = []
    if isinstance(meta, dict):
        for field, keys in (("labels", LABEL_ORDER), ("annotations", ANNOTATION_ORDER)):
            mapping = meta.get(field)
            if isinstance(mapping, dict):
                paths.extend((*meta_path, field, k) for k in keys if k in mapping)
    return paths


def _without(doc: dict[str, Any], paths: list[Path]) -> dict[str, Any]:
    """A copy of `doc` without the values at `paths`; a mapping or list left empty by that
    goes too (the document's metadata and spec, pod templates and pod specs stay)."""
    out = clone(doc)
    for path in paths:
        if not path:
            continue
        parents: list[Any] = [out]
        for step in path[:-1]:
            parents.append(get_any(parents[-1], (step,)))
        last = path[-1]
        container = parents[-1]
        if isinstance(last, tuple) and isinstance(container, list):
            container[:] = [
                i for i in container if not (isinstance(i, dict) and i.get("name") == last[1])
            ]
        elif isinstance(container, dict):
            container.pop(last, None)
        else:
            continue
        for depth in range(len(path) - 1, 1, -1):
            node, parent, step = parents[depth], parents[depth - 1], path[depth - 1]
            if node or path[:depth] in _KEEP or not isinstance(parent, dict):
                break
            parent.pop(step, None)
    return out


def _emptied(
    original: dict[str, Any],
    base: dict[str, Any],
    meta_path: tuple[str, ...],
    spec_path: tuple[str, ...],
) -> list[Path]:
    """Keys of the injected workload the removal deleted whole (a user's `annotations: {}`
    filled by injection, `volumes: []`, a CronJob's `metadata:`, an istio-style default)."""
    found: list[Path] = []
    for parent in ((), ("spec",), meta_path[:-1], meta_path, spec_path):
        had = get_path(original, parent)
        has = get_path(base, parent)
        if not isinstance(had, dict) or (
            parent and not isinstance(has, dict) and parent != meta_path
        ):
            continue
        for key, value in had.items():
            if isinstance(value, dict | list) and not (isinstance(has, dict) and key in has):
                path = (*parent, key)
                if path not in found:
                    found.append(path)
    return found


def _restored(
    base: dict[str, Any], paths: tuple[Path, ...], original: dict[str, Any]
) -> dict[str, Any]:
    """`base` with each of `paths` put back empty, at its place in the original's order."""
    if not paths:
        return base
    out = clone(base)
    for path in sorted(paths, key=len):
        parent_path, key = path[:-1], path[-1]
        parent = get_path(out, parent_path)
        if parent is None and parent_path:
            grand = get_path(out, parent_path[:-1])
            if not isinstance(grand, dict):
                continue
            grand[parent_path[-1]] = {}
            _reorder_like(grand, get_path(original, parent_path[:-1]))
            parent = grand[parent_path[-1]]
        if not isinstance(parent, dict):
            continue
        value = get_path(original, path)
        if key == "metadata" and parent_path:
            parent[key] = None  # `metadata:` with nothing (how such a key is left)
        elif _is_go_default(path, value):
            parent[key] = clone(value)
        else:
            parent[key] = [] if isinstance(value, list) else {}
        _reorder_like(parent, get_path(original, parent_path))
    return out


def _is_go_default(path: Path, value: Any) -> bool:
    """`updateStrategy: {}` / a zero `status` (what `--style istio` writes) put back as is."""
    return path in (("spec", "updateStrategy"), ("status",)) and (
        value == {} or (isinstance(value, dict) and all(v == 0 for v in value.values()))
    )


def _reorder_like(mapping: dict[str, Any], model: Any) -> None:
    """Order `mapping`'s keys as `model` has them (keys `model` lacks go last)."""
    if not isinstance(model, dict):
        return
    rank = {k: i for i, k in enumerate(model)}
    items = sorted(mapping.items(), key=lambda kv: rank.get(kv[0], len(rank)))
    mapping.clear()
    mapping.update(items)
