"""The input paths: folders walked for YAML files, links out of them refused, `-` is stdin."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

from meshinject.errors import InputError, Location, OutputError


def iter_paths(paths: list[str]) -> Iterator[str]:
    """Expand folders into their `*.yaml`/`*.yml` files (sorted); `-` is standard input."""
    for path in paths:
        if path != "-" and Path(path).is_dir():
            found: list[str] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(str(Path(root, f)) for f in files if f.endswith((".yaml", ".yml")))
            yield from sorted(found)
        else:
            yield path


def check_inside_named(path: str, named: list[str]) -> None:
    """OutputError if `path`, found in a named folder, resolves outside that folder.

    `-i k8s/` must not rewrite a file elsewhere through a symbolic link committed into the
    tree (folder links are not followed by the walk either). A file named on the command
    line itself is the user's choice and is written through.
    """
    if path in named:
        return
    norm = os.path.normpath(Path(path).absolute())
    for folder in named:
        if folder == "-" or not Path(folder).is_dir():
            continue
        base = os.path.normpath(Path(folder).absolute())
        if os.path.commonpath([norm, base]) != base:
            continue  # not found in this folder
        root = os.path.realpath(folder)
        if os.path.commonpath([os.path.realpath(path), root]) != root:
            raise OutputError(
                f"a symbolic link to a file outside {folder}; -i does not rewrite it",
                Location(path),
            )


def display_path(path: str) -> str:
    """How a path is named in messages (`-` is standard input)."""
    return "<stdin>" if path == "-" else path


def read_input(path: str, stdin: bytes | None = None) -> bytes:
    """The bytes of `path` (`stdin`'s bytes for `-`); InputError naming the path if unreadable."""
    if path == "-":
        return stdin if stdin is not None else b""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Location(path)) from None
