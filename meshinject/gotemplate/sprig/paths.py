"""Sprig's path functions, and the hermetic env/expandenv."""

from __future__ import annotations

import posixpath
import re

from meshinject.gotemplate.semver import semver_compare

# -- paths and environment ------------------------------------------------------------


def path_base(path: str) -> str:
    if path == "":
        return "."
    stripped = path.rstrip("/")
    return posixpath.basename(stripped) if stripped else "/"


def path_dir(path: str) -> str:
    return posixpath.normpath(posixpath.dirname(path)) if "/" in path else "."


def path_ext(path: str) -> str:
    base = path.rsplit("/", 1)[-1]
    i = base.rfind(".")
    return base[i:] if i >= 0 else ""


def path_clean(path: str) -> str:
    if path == "":
        return "."
    cleaned = posixpath.normpath(path)
    return cleaned[1:] if cleaned.startswith("//") else cleaned


def path_is_abs(path: str) -> bool:
    return path.startswith("/")


def env(name: str) -> str:
    """Sprig's env reads the process environment; rendering is hermetic, so it is ""."""
    return ""


def expandenv(text: str) -> str:
    return re.sub(r"\$\{[^}]*\}|\$[A-Za-z0-9_]+", "", text)


def semver_compare_func(constraint: str, version: str) -> bool:
    return semver_compare(constraint, version)
