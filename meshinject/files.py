"""Files and streams at the edge: bytes in, bytes out, atomically and only when changed.

This is the one layer that touches the file system. It keeps each file's encoding details
(BOM, CRLF line endings, final newline) and never leaves a half-written file: in-place
writes go to a temporary file in the same folder, keep the mode, and `os.replace` it.
"""

from __future__ import annotations

import difflib
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from meshinject.errors import InputError, Location, MeshInjectError, OutputError
from meshinject.inject.document import InjectionRequest
from meshinject.stream import Operation, StreamResult, inject_text

BOM = "\ufeff"


class WriteBack(Enum):
    STDOUT = "stdout"
    IN_PLACE = "in-place"
    CHECK = "check"
    DIFF = "diff"

    @classmethod
    def from_flags(cls, *, in_place: bool, check: bool, diff: bool) -> WriteBack:
        if check:
            return cls.CHECK
        if diff:
            return cls.DIFF
        return cls.IN_PLACE if in_place else cls.STDOUT


@dataclass
class FileResult:
    path: str
    stream: StreamResult | None
    output: str = ""
    error: MeshInjectError | None = None

    @property
    def changed(self) -> bool:
        return self.stream is not None and self.stream.changed

    @property
    def errors(self) -> list[MeshInjectError]:
        if self.error is not None:
            return [self.error]
        return list(self.stream.errors) if self.stream else []


def decode(data: bytes, path: str) -> tuple[str, bool, bool]:
    """Text with LF line ends, whether it had a BOM, whether it used CRLF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); Kubernetes manifests must be UTF-8",
            Location(path, line, column),
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    return text, bom, crlf


def encode(text: str, *, bom: bool, crlf: bool) -> str:
    if crlf:
        text = text.replace("\n", "\r\n")
    return (BOM + text) if bom else text


def iter_paths(paths: list[str]) -> Iterator[str]:
    """Expand folders into their `*.yaml`/`*.yml` files (sorted); `-` is standard input."""
    for path in paths:
        if path != "-" and os.path.isdir(path):
            found = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(
                    os.path.join(root, f) for f in files if f.endswith((".yaml", ".yml"))
                )
            yield from sorted(found)
        else:
            yield path


def process_text(
    data: bytes, path: str, request: InjectionRequest, operation: Operation
) -> FileResult:
    try:
        text, bom, crlf = decode(data, path)
        stream = inject_text(text, request, operation=operation) if operation == "inject" else _uninject(text, request)
    except MeshInjectError as exc:
        return FileResult(path, None, error=exc.located_in(path))
    stream.errors = [e.located_in(path) for e in stream.errors]
    return FileResult(path, stream, output=encode(stream.text, bom=bom, crlf=crlf))


def _uninject(text: str, request: InjectionRequest) -> StreamResult:
    from meshinject.uninject import uninject_document

    return inject_text(text, request, operation="uninject", transform=uninject_document)


def read_input(path: str, stdin: bytes | None = None) -> bytes:
    if path == "-":
        return stdin if stdin is not None else b""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Location(path)) from None


def write_atomic(path: str, data: str | Iterable[str]) -> None:
    """Replace `path` with `data` atomically, keeping its permission bits.

    The new text goes to a temporary file next to the target, is flushed to disk and then
    renamed over it, so a crash or a kill leaves either the old or the new file, never a
    mix. A symlink is written through (the link stays a link). Something that is not a
    regular file, such as `/dev/stdout` or a pipe, is written to directly. Failures are an
    `OutputError` naming the path. `data` may be text or pieces of text (a spooled output).
    """
    try:
        _write_atomic(path, data)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write file: {reason}", Location(path)) from None


def _write_atomic(path: str, data: str | Iterable[str]) -> None:
    try:
        mode: int | None = Path(path).stat().st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
            _write_all(handle, data)
        return
    target = Path(os.path.realpath(path))
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".meshinject", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            _write_all(handle, data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(tmp).chmod(stat.S_IMODE(mode))
        Path(tmp).replace(target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_all(handle: TextIO, data: str | Iterable[str]) -> None:
    if isinstance(data, str):
        handle.write(data)
        return
    for piece in data:
        handle.write(piece)


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True), after.splitlines(keepends=True),
            fromfile=f"a/{path}", tofile=f"b/{path}",
        )
    )
