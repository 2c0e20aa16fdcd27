"""Where each merged setting came from, so validation errors can point at a file and line.

Every layer (built-in defaults, a values file, `--set`...) records, for each key path it
sets, an `Origin`. Later layers overwrite or forget the entries under the paths they
replace or delete. A lookup takes the longest recorded prefix of a path.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from meshinject.errors import Location

KeyPath = tuple[str | int, ...]


def render_path(path: Iterable[str | int]) -> str:
    """`global.proxy.resources`, with list indexes as `[0]`."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Origin:
    """A source location, plus a note for `--set` (the argument that set the value)."""

    location: Location
    note: str = ""


@dataclass(frozen=True)
class SourceDoc:
    """A parsed config document: plain data and the location of every key path in it."""

    path: str
    data: object
    positions: Mapping[KeyPath, Location]
    note: str = ""

    def origin(self, path: KeyPath) -> Origin:
        """The location of `path` in this document, or of its nearest located ancestor."""
        for end in range(len(path), -1, -1):
            found = self.positions.get(path[:end])
            if found is not None:
                return Origin(found, self.note)
        return Origin(Location(self.path), self.note)

    def sub(self, prefix: KeyPath) -> SourceDoc:
        """The document below `prefix` (e.g. an IstioOperator's `spec.values`)."""
        data: object = self.data
        for part in prefix:
            data = data[part]  # type: ignore[index]
        size = len(prefix)
        positions = {p[size:]: loc for p, loc in self.positions.items() if p[:size] == prefix}
        return SourceDoc(self.path, data, positions, self.note)


class Provenance:
    """Key path → the origin of the layer that set it last."""

    def __init__(self) -> None:
        self._origins: dict[KeyPath, Origin] = {}

    def forget(self, prefix: KeyPath) -> None:
        """Drop everything recorded at or below `prefix` (it was replaced or deleted)."""
        size = len(prefix)
        for path in [p for p in self._origins if p[:size] == prefix]:
            del self._origins[path]

    def set(self, target: KeyPath, origin: Origin) -> None:
        self._origins[target] = origin

    def record(self, target: KeyPath, doc: SourceDoc, source: KeyPath) -> None:
        """Record `doc`'s locations for the subtree at `source`, re-rooted at `target`."""
        self._origins[target] = doc.origin(source)
        size = len(source)
        for path, loc in doc.positions.items():
            if len(path) > size and path[:size] == source:
                self._origins[target + path[size:]] = Origin(loc, doc.note)

    def replace(self, target: KeyPath, doc: SourceDoc, source: KeyPath) -> None:
        """`forget` then `record`: the subtree at `target` now comes wholly from `doc`."""
        self.forget(target)
        self.record(target, doc, source)

    def claim(self, target: KeyPath, origin: Origin) -> None:
        """`origin` created `target`: record it for `target` and for each of its parents
        that no layer had set, so an error about a new (misspelt) key names `origin`."""
        for end in range(len(target), 0, -1):
            prefix = target[:end]
            if end < len(target) and prefix in self._origins:
                return
            self._origins[prefix] = origin

    def lookup(self, path: KeyPath) -> Origin | None:
        for end in range(len(path), -1, -1):
            found = self._origins.get(path[:end])
            if found is not None:
                return found
        return None
