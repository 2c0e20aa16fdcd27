"""Structural comparison shared by the splice and round-trip editors.

Python's `==` says `1 == True == 1.0` and `nan != nan`; YAML text for those differs, so
edits compare with `same` (type-strict, nan equals nan, mapping order ignored).
Sequences are aligned by `match_items`: mappings with a unique `name` (containers, env,
volumes, ports...) pair up by name, everything else by equality (longest common
subsequence), so an inserted item does not look like every later item changing.
"""

from __future__ import annotations

import math
from typing import Any

# Above this many cells the LCS table costs more than re-rendering the sequence.
_MAX_LCS_CELLS = 250_000


def same(a: Any, b: Any) -> bool:
    cls = a.__class__
    if cls is not b.__class__:
        return False
    if cls is str or cls is int or cls is bool:  # the common leaves, first
        return bool(a == b)
    if isinstance(a, dict):
        if len(a) != len(b):
            return False
        for k, v in a.items():  # noqa: SIM110 - plain loops: all(generator) is ~2x slower here
            if k not in b or not same(v, b[k]):
                return False
        return True
    if isinstance(a, list):
        if len(a) != len(b):
            return False
        for x, y in zip(a, b, strict=True):  # noqa: SIM110
            if not same(x, y):
                return False
        return True
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


def canon(value: Any) -> Any:
    """A hashable, type-strict stand-in for `value` (equal iff `same`)."""
    if isinstance(value, dict):
        return ("m", frozenset((k, canon(v)) for k, v in value.items()))
    if isinstance(value, list):
        return ("s", tuple(canon(v) for v in value))
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (value.__class__.__name__, value)


def _name(item: Any) -> str | None:
    if isinstance(item, dict):
        name = item.get("name")
        if isinstance(name, str):
            return name
    return None


def match_items(old: list[Any], new: list[Any]) -> list[tuple[int, int]] | None:
    """Increasing (old index, new index) pairs of items that correspond.

    None means the items that correspond by name changed their relative order: the
    caller then rewrites the whole sequence instead of moving text around.
    """
    old_names = [_name(x) for x in old]
    new_names = [_name(x) for x in new]
    unique = {n for n in old_names if n is not None and old_names.count(n) == 1}
    unique &= {n for n in new_names if n is not None and new_names.count(n) == 1}
    ids: dict[Any, int] = {}

    def token(item: Any, name: str | None) -> int:
        key = ("name", name) if name in unique else canon(item)
        return ids.setdefault(key, len(ids))

    a = [token(x, n) for x, n in zip(old, old_names, strict=True)]
    b = [token(x, n) for x, n in zip(new, new_names, strict=True)]
    pairs = _lcs(a, b)
    if pairs is None:
        return None
    matched_names = {old_names[i] for i, _ in pairs}
    if any(n not in matched_names for n in unique):
        return None
    return _pair_changed_mappings(old, new, old_names, new_names, pairs)


def _pair_changed_mappings(
    old: list[Any],
    new: list[Any],
    old_names: list[str | None],
    new_names: list[str | None],
    pairs: list[tuple[int, int]],
) -> list[tuple[int, int]]:
    """Between matched items, pair unnamed mappings one to one when both sides have the
    same number of them there (a changed `List` item is edited in place, not rewritten)."""
    out: list[tuple[int, int]] = []
    prev_i = prev_j = -1
    for i, j in [*pairs, (len(old), len(new))]:
        gap_a, gap_b = range(prev_i + 1, i), range(prev_j + 1, j)
        if len(gap_a) == len(gap_b) and all(
            isinstance(old[x], dict)
            and isinstance(new[y], dict)
            and old_names[x] is None
            and new_names[y] is None
            for x, y in zip(gap_a, gap_b, strict=True)
        ):
            out.extend(zip(gap_a, gap_b, strict=True))
        if i < len(old):
            out.append((i, j))
        prev_i, prev_j = i, j
    return out


def _lcs(a: list[int], b: list[int]) -> list[tuple[int, int]] | None:
    head = 0
    while head < len(a) and head < len(b) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < len(a) - head and tail < len(b) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    pairs = [(i, i) for i in range(head)]
    if mid_a and mid_b:
        if len(mid_a) * len(mid_b) > _MAX_LCS_CELLS:
            return None
        n, m = len(mid_a), len(mid_b)
        table = [[0] * (m + 1) for _ in range(n + 1)]
        for i in range(n - 1, -1, -1):
            row, below = table[i], table[i + 1]
            for j in range(m - 1, -1, -1):
                row[j] = below[j + 1] + 1 if mid_a[i] == mid_b[j] else max(below[j], row[j + 1])
        i = j = 0
        while i < n and j < m:
            if mid_a[i] == mid_b[j]:
                pairs.append((head + i, head + j))
                i += 1
                j += 1
            elif table[i + 1][j] >= table[i][j + 1]:
                i += 1
            else:
                j += 1
    pairs.extend((len(a) - tail + k, len(b) - tail + k) for k in range(tail))
    return pairs
