"""Which file of a kustomization a transformer config came from.

kustomize hands the exec plugin a temporary copy of its config; messages should name the
file the user wrote, listed under `transformers:` of the kustomization (U30).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from meshinject.errors import MeshInjectError
from meshinject.kustomize import KIND
from meshinject.kustomize.patches import KUSTOMIZATION_NAMES


def transformer_file(root: Path, copy: str) -> str | None:
    """The file under `transformers:` of the kustomization in `root` that `copy` (the
    temporary copy kustomize hands over) came from: same kind and metadata.name."""
    wanted = _identity(Path(copy))
    if wanted is None or wanted[0] != KIND:
        return None
    for name in KUSTOMIZATION_NAMES:
        kustomization = _load_mapping(root / name)
        if kustomization is not None:
            break
    else:
        return None
    for entry in kustomization.get("transformers") or []:
        if isinstance(entry, str) and "\n" not in entry and _identity(root / entry) == wanted:
            return str(root / entry)  # kustomize runs the plugin in `root`: not relative
    return None


def _load_mapping(path: Path) -> Mapping[str, Any] | None:
    from meshinject.yamltext import load_document

    try:
        data = load_document(path.read_text(encoding="utf-8")).data
    except (OSError, UnicodeDecodeError, MeshInjectError):
        return None
    return data if isinstance(data, Mapping) else None


def _identity(path: Path) -> tuple[Any, Any] | None:
    data = _load_mapping(path)
    if data is None:
        return None
    meta = data.get("metadata")
    return data.get("kind"), meta.get("name") if isinstance(meta, Mapping) else None
