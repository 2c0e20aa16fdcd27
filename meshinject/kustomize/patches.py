"""Kustomize patch files are not workloads: find them, so they are skipped, not injected.

A strategic-merge patch looks like a workload (`kind: Deployment` with a partial pod
spec), but kustomize merges it into a resource; injecting it would add a whole sidecar to
the patch (or fail: "Deployment has no pod template"). A file is a patch when a
kustomization lists it under `patches` (`path:`), `patchesStrategicMerge` or
`patchesJson6902`. The kustomizations looked at are those in the file's own folder and
every folder above it (up to the repository root, the folder holding `.git`), plus every
kustomization among the run's inputs (a walked tree), so a patch passed alone (as
pre-commit does) is recognised too.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

KUSTOMIZATION_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


class PatchFinder:
    """Which input files are kustomize patches (folders' kustomizations read once)."""

    def __init__(self, inputs: Iterable[str] = ()) -> None:
        self._folders: dict[Path, dict[Path, Path]] = {}
        self._patches: dict[Path, Path] = {}  # patch file -> the kustomization listing it
        for path in inputs:
            if path != "-" and Path(path).name in KUSTOMIZATION_NAMES:
                self._patches.update(self._read_folder(Path(path).parent))

    def kustomization_of(self, path: str) -> Path | None:
        """The kustomization that lists `path` as a patch, or None."""
        if path == "-":
            return None
        target = _real(Path(path))
        if target in self._patches:
            return self._patches[target]
        folder = target.parent
        while True:
            found = self._read_folder(folder).get(target)
            if found is not None:
                return found
            if (folder / ".git").exists() or folder.parent == folder:
                return None
            folder = folder.parent

    def reason(self, path: str) -> str | None:
        """Why `path` is skipped ("a kustomize patch, listed in ..."), or None."""
        kustomization = self.kustomization_of(path)
        if kustomization is None:
            return None
        return f"a kustomize patch (listed in {_shown(kustomization)}), not a workload"

    def _read_folder(self, folder: Path) -> dict[Path, Path]:
        folder = _real(folder)
        if folder not in self._folders:
            self._folders[folder] = _patches_of(folder)
        return self._folders[folder]


def _patches_of(folder: Path) -> dict[Path, Path]:
    for name in KUSTOMIZATION_NAMES:
        kustomization = folder / name
        if kustomization.is_file():
            break
    else:
        return {}
    try:
        data = _load(kustomization)
    except (OSError, ValueError):
        return {}  # not readable as a kustomization: kustomize will say so, not us
    return {_real(folder / name): kustomization for name in _patch_names(data)}


def _load(path: Path) -> Any:
    from meshinject.errors import MeshInjectError
    from meshinject.yamltext import load_document

    try:
        return load_document(path.read_text(encoding="utf-8")).data
    except (MeshInjectError, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None


def _patch_names(data: Any) -> list[str]:
    if not isinstance(data, dict):
        return []
    names: list[str] = []
    for key in ("patches", "patchesJson6902"):
        for entry in data.get(key) or []:
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                names.append(entry["path"])
            elif isinstance(entry, str) and "\n" not in entry:  # kustomize's short form
                names.append(entry)
    for entry in data.get("patchesStrategicMerge") or []:
        if isinstance(entry, str) and "\n" not in entry:  # a file name, not an inline patch
            names.append(entry)
    return names


def _real(path: Path) -> Path:
    return Path(os.path.realpath(path))


def _shown(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)
