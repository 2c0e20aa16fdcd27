"""What meshinject computes once per release and keeps between runs.

Compiling the built-in templates, parsing the built-in defaults and validating the
configuration cost more than injecting one workload, and a pre-commit hook on one file
would pay them on every commit. The command line keeps them in the user's cache folder,
`$XDG_CACHE_HOME/meshinject/<version>` (by default `~/.cache/meshinject/<version>`): Jinja's
bytecode cache for the templates (keyed by the template's text), and for the defaults and
a configuration built from flags alone (no configuration file), a pickle keyed by the flags
and by a fingerprint of meshinject's own files, so an upgrade or an edited checkout never
reads an entry another version wrote. An entry that cannot be read is computed again; a
folder that cannot be written is not used. The library never writes files by itself: only
the command line turns the cache on (`enable_user_cache`); `MESHINJECT_NO_CACHE=1` keeps
it off.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from meshinject import __version__

T = TypeVar("T")

_DIRECTORY: list[Path] = []  # the cache folder, once the command line enabled it


def enable_user_cache() -> None:
    """Use the user's cache folder from now on (the command line calls this)."""
    if os.environ.get("MESHINJECT_NO_CACHE") or _DIRECTORY:
        return
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    _DIRECTORY.append(Path(base) / "meshinject" / __version__)


def directory() -> Path | None:
    return _DIRECTORY[0] if _DIRECTORY else None


def jinja_bytecode_cache() -> Any:
    """A Jinja bytecode cache in the cache folder, or None when the cache is off."""
    folder = directory()
    if folder is None:
        return None
    from jinja2 import FileSystemBytecodeCache

    try:
        (folder / "jinja").mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder / "jinja"))


def memo(kind: str, key: str, compute: Callable[[], T]) -> T:
    """`compute()`, kept in the cache folder under `kind` and `key`.

    The entry's name also hashes meshinject's own files (their names, sizes and change
    times) and the Python version: whatever the code or its data files computed it from,
    a different installation or an edited checkout never reads it.
    """
    folder = directory()
    if folder is None:
        return compute()
    digest = hashlib.sha256(f"{_fingerprint()}\0{kind}\0{key}".encode()).hexdigest()[:32]
    entry = folder / f"{kind}-{digest}.pickle"
    try:
        with entry.open("rb") as handle:
            return pickle.load(handle)  # type: ignore[no-any-return]
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    value = compute()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=folder, prefix=f".{kind}-")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        Path(name).replace(entry)
    except OSError:
        pass
    return value


@functools.cache
def _fingerprint() -> str:
    package = Path(__file__).parent
    digest = hashlib.sha256(f"{__version__} {sys.version}".encode())
    for root, folders, files in os.walk(package):
        folders[:] = sorted(f for f in folders if f != "__pycache__")
        for name in sorted(files):
            info = os.stat(os.path.join(root, name))  # noqa: PTH116 PTH118
            digest.update(f"{root}/{name} {info.st_size} {info.st_mtime_ns}\n".encode())
    return digest.hexdigest()
