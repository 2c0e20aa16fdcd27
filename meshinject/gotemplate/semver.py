"""Semantic-version constraints for Sprig's `semverCompare` (Masterminds/semver v3 rules).

Supports `=`, `!=`, `>`, `<`, `>=`, `<=`, `~` (patch range), `^` (compatible range),
wildcards (`1.2.x`, `1.*`, `*`), partial versions (`1.2` is `1.2.0`), hyphen ranges
(`1.2 - 1.4.5`), comma/space for AND and `||` for OR. A pre-release version only
satisfies constraints that themselves name a pre-release.
"""

from __future__ import annotations

import re

from .values import FuncError

_VERSION = re.compile(
    r"^v?(\d+)(?:\.(\d+|[xX*]))?(?:\.(\d+|[xX*]))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$"
)
_WILD = ("x", "X", "*")

Version = tuple[int, int, int, tuple[int | str, ...]]


def _pre_key(pre: str) -> tuple[int | str, ...]:
    return tuple(int(p) if p.isdigit() else p for p in pre.split(".")) if pre else ()


def parse_version(text: str) -> Version:
    m = _VERSION.match(text.strip())
    if not m or any(g in _WILD for g in m.groups()[1:3] if g):
        raise FuncError(f"Invalid Semantic Version: {text}")
    major, minor, patch, pre = m.groups()
    return int(major), int(minor or 0), int(patch or 0), _pre_key(pre or "")


def _cmp(a: Version, b: Version) -> int:
    if a[:3] != b[:3]:
        return -1 if a[:3] < b[:3] else 1
    pa, pb = a[3], b[3]
    if pa == pb:
        return 0
    if not pa:
        return 1
    if not pb:
        return -1
    for x, y in zip(pa, pb, strict=False):
        if x == y:
            continue
        if isinstance(x, int) and isinstance(y, int):
            return -1 if x < y else 1
        if isinstance(x, int):
            return -1
        if isinstance(y, int):
            return 1
        return -1 if str(x) < str(y) else 1
    return -1 if len(pa) < len(pb) else 1


def _bounds(op: str, text: str) -> list[tuple[str, Version]]:
    """Turn one constraint into a list of (comparison, version) checks."""
    if text in _WILD or text == "":
        return [(">=", (0, 0, 0, ()))] if op in ("", "=", ">=", "<=", "~", "^") else []
    m = _VERSION.match(text)
    if not m:
        raise FuncError(f"improper constraint: {op}{text}")
    major_s, minor_s, patch_s, pre = m.groups()
    major = int(major_s)
    minor_wild = minor_s is None or minor_s in _WILD
    patch_wild = minor_wild or patch_s is None or patch_s in _WILD
    minor = 0 if minor_wild else int(minor_s)
    patch = 0 if patch_wild else int(patch_s)
    pre_key = _pre_key(pre or "")
    low: Version = (major, minor, patch, pre_key)
    if minor_wild:
        high: Version = (major + 1, 0, 0, ())
    elif patch_wild:
        high = (major, minor + 1, 0, ())
    else:
        high = (major, minor, patch + 1, ())
    dirty = minor_wild or patch_wild
    if op in ("", "="):
        return [(">=", low), ("<", high)] if dirty else [("==", low)]
    if op == "!=":
        return [("!range", low), ("!range", high)] if dirty else [("!=", low)]
    if op == ">":
        return [(">=", high)] if dirty else [(">", low)]
    if op in (">=", "=>"):
        return [(">=", low)]
    if op == "<":
        return [("<", low)]
    if op in ("<=", "=<"):
        return [("<", high)] if dirty else [("<=", low)]
    if op in ("~", "~>"):
        upper = (major + 1, 0, 0, ()) if minor_s is None else (major, minor + 1, 0, ())
        return [(">=", low), ("<", upper)]
    if op == "^":
        if major > 0 or minor_s is None:
            upper = (major + 1, 0, 0, ())
        elif minor > 0 or patch_s is None or patch_wild:
            upper = (0, minor + 1, 0, ())
        else:
            upper = (0, 0, patch + 1, ())
        return [(">=", low), ("<", upper)]
    raise FuncError(f"improper constraint: {op}{text}")


_CONSTRAINT = re.compile(r"(!=|>=|=>|<=|=<|~>|>|<|=|~|\^)?\s*(v?[0-9xX*][0-9A-Za-z.+*-]*|\*)")


def _check(version: Version, checks: list[tuple[str, Version]]) -> bool:
    for op, bound in checks:
        c = _cmp(version, bound)
        ok = {
            "==": c == 0,
            "!=": c != 0,
            ">": c > 0,
            ">=": c >= 0,
            "<": c < 0,
            "<=": c <= 0,
        }.get(op)
        if op == "!range":
            continue
        if not ok:
            return False
    ranges = [b for op, b in checks if op == "!range"]
    if ranges:
        return not (_cmp(version, ranges[0]) >= 0 and _cmp(version, ranges[1]) < 0)
    return True


def semver_compare(constraint: str, version: str) -> bool:
    """Whether `version` satisfies `constraint`."""
    parsed = parse_version(version)
    for raw_group in constraint.split("||"):
        group = raw_group.strip()
        hyphen = re.fullmatch(r"(\S+)\s+-\s+(\S+)", group)
        if hyphen:
            checks = _bounds(">=", hyphen.group(1)) + _bounds("<=", hyphen.group(2))
            has_pre = "-" in hyphen.group(1) or "-" in hyphen.group(2)
        else:
            checks = []
            has_pre = False
            pos = 0
            text = group.replace(",", " ")
            for m in _CONSTRAINT.finditer(text):
                if text[pos : m.start()].strip():
                    raise FuncError(f"improper constraint: {constraint}")
                checks += _bounds(m.group(1) or "", m.group(2))
                has_pre = has_pre or "-" in m.group(2)
                pos = m.end()
            if text[pos:].strip() or not text.strip():
                raise FuncError(f"improper constraint: {constraint}")
        if parsed[3] and not has_pre:
            continue
        if _check(parsed, checks):
            return True
    return False
