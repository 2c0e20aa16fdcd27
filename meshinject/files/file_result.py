"""One input file's result: its stream result, output, error, or why it was skipped."""

from __future__ import annotations

from dataclasses import dataclass

from meshinject.errors import MeshInjectError
from meshinject.stream import StreamResult


@dataclass
class FileResult:
    """What happened to one input file.

    `path` as the user named it (`-` for stdin); `stream` the result of its documents
    (None when the file could not be read or was skipped); `output` the new text (only
    filled by `meshinject.api.inject_bytes`); `error` a file-level error (reading,
    writing); `skipped` why the whole file was left alone (a kustomize patch).
    """

    path: str
    stream: StreamResult | None
    output: str = ""
    error: MeshInjectError | None = None
    skipped: str = ""  # why the whole file was left alone (a kustomize patch)

    @property
    def changed(self) -> bool:
        return self.stream is not None and self.stream.changed

    @property
    def errors(self) -> list[MeshInjectError]:
        if self.error is not None:
            return [self.error]
        return list(self.stream.errors) if self.stream else []
