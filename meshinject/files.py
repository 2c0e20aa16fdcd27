"""Files and streams at the edge: bytes in, bytes out, atomically and only when changed.

This is the one layer that touches the file system. It keeps each file's encoding details
(BOM, CRLF line endings, final newline) and never leaves a half-written file: in-place
writes go to a temporary file in the same folder, keep the mode, and `os.replace` it.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO, TextIO

from meshinject.errors import InputError, Location, MeshInjectError, OutputError
from meshinject.stream import StreamResult
from meshinject.yamltext import RawDocument, split_stream
from meshinject.yamltext.split import _START

BOM = "\ufeff"


class WriteBack(Enum):
    STDOUT = "stdout"
    IN_PLACE = "in-place"
    CHECK = "check"
    DIFF = "diff"

    @classmethod
    def from_flags(cls, *, in_place: bool, check: bool, diff: bool) -> WriteBack:
        """`--check --diff` prints the diff (and `--check` still sets the exit code)."""
        if diff:
            return cls.DIFF
        if check:
            return cls.CHECK
        return cls.IN_PLACE if in_place else cls.STDOUT


@dataclass
class FileResult:
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
        if path != "-" and Path(path).is_dir():
            found: list[str] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(str(Path(root, f)) for f in files if f.endswith((".yaml", ".yml")))
            yield from sorted(found)
        else:
            yield path


def display_path(path: str) -> str:
    """How a path is named in messages (`-` is standard input)."""
    return "<stdin>" if path == "-" else path


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
    with _interrupts_deferred():
        fd, tmp = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".meshinject", dir=target.parent
        )
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


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done (POSIX, main thread).

    A KeyboardInterrupt between creating the temporary file and the `try` that removes it
    would strand it; with the signals blocked, one that arrives meanwhile is delivered right
    after, when the file is either replaced or untouched and the temporary file is gone.
    """
    if not hasattr(signal, "pthread_sigmask") or (
        threading.current_thread() is not threading.main_thread()
    ):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _write_all(handle: TextIO, data: str | Iterable[str]) -> None:
    if isinstance(data, str):
        handle.write(data)
        return
    for piece in data:
        handle.write(piece)


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


# --- Streaming: files of any size in bounded memory -------------------------------------

BLOCK = 1 << 20  # bytes read at a time
PIECE = 1 << 20  # characters of text split at once (cut at a `---` line)
SPOOL_IN_MEMORY = 1 << 20  # a file's output stays in memory up to this, then goes to disk


@dataclass(frozen=True)
class Encoding:
    bom: bool
    crlf: bool


class Source:
    """A file's bytes, readable more than once: a path, or standard input spooled to disk."""

    def __init__(self, path: str, handle: BinaryIO | None = None) -> None:
        self.path = path
        self._handle = handle

    @classmethod
    def stdin(cls, stream: BinaryIO) -> Source:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        shutil.copyfileobj(stream, spool)
        return cls("-", spool)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> Source:
        return cls(path, io.BytesIO(data))

    def blocks(self) -> Iterator[bytes]:
        """The bytes in blocks that end at a line end (or at the end of the file)."""
        if self._handle is not None:
            self._handle.seek(0)
            yield from _line_blocks(self._handle)
            return
        try:
            handle = Path(self.path).open("rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", Location(self.path)) from None
        with handle:
            yield from _line_blocks(handle)

    def size(self) -> int:
        if self._handle is not None:
            return self._handle.seek(0, io.SEEK_END)
        try:
            return Path(self.path).stat().st_size
        except OSError:
            return 0

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def _line_blocks(handle: BinaryIO) -> Iterator[bytes]:
    rest = b""
    while True:
        block = handle.read(BLOCK)
        if not block:
            if rest:
                yield rest
            return
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            rest = block
            continue
        rest = block[cut:]
        yield block[:cut]


def check_encoding(source: Source) -> Encoding:
    """Pass 0: UTF-8 validity (located error), BOM, and whether every line ends in CRLF."""
    line = 1
    lf = crlf = 0
    bom = False
    first = True
    for block in source.blocks():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = exc.start - (block.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError(
                f"not valid UTF-8 (byte 0x{block[exc.start]:02x}); "
                "Kubernetes manifests must be UTF-8",
                Location(source.path, line + block.count(b"\n", 0, exc.start), column),
            ) from None
        if first:
            bom = block.startswith(BOM.encode("utf-8"))
            first = False
        line += block.count(b"\n")
        lf += block.count(b"\n")
        crlf += block.count(b"\r\n")
    return Encoding(bom=bom, crlf=crlf > 0 and lf == crlf)


def iter_documents(source: Source, encoding: Encoding) -> Iterator[RawDocument]:
    """The documents of `source`, as `split_stream` of its decoded text would give them.

    Text is split a piece at a time, each piece ending right before a `---` line, so
    memory does not grow with the file. Streams with directives (`%YAML`) or `...` end
    markers are split whole, since a cut there could move.
    """
    buf = ""
    index = offset = 0
    line = 1
    first = True
    for block in source.blocks():
        text = block.decode("utf-8")
        if first:
            first = False
            if encoding.bom and text.startswith(BOM):
                text = text[1:]
        if encoding.crlf:
            text = text.replace("\r\n", "\n")
        buf += text
        if len(buf) < PIECE or _exotic(buf):
            continue
        cut = _last_cut(buf)
        if cut <= 0:
            continue
        piece, buf = buf[:cut], buf[cut:]
        for doc in split_stream(piece):
            yield RawDocument(doc.text, index, line, offset)
            index += 1
            line += doc.text.count("\n")
            offset += len(doc.text)
    for doc in split_stream(buf):
        yield RawDocument(doc.text, index, line, offset)
        index += 1
        line += doc.text.count("\n")
        offset += len(doc.text)


def _exotic(text: str) -> bool:
    return text.startswith(("%", "...")) or "\n%" in text or "\n..." in text


def _last_cut(text: str) -> int:
    """Offset of the last `---` document marker line in `text` (0 if none)."""
    pos = len(text)
    while True:
        pos = text.rfind("\n---", 0, pos)
        if pos < 0:
            return 0
        if _START.match(text, pos):
            return pos + 1


class Sink:
    """Where one file's output goes while it is produced (dropped if the file fails)."""

    def write(self, text: str) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """The file failed: drop everything written."""


class NullSink(Sink):
    def write(self, text: str) -> None:
        pass


class TextSink(Sink):
    """Output kept in memory as text (`meshinject.api`: one text in, one text out)."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def text(self) -> str:
        return "".join(self._parts)

    def discard(self) -> None:
        self._parts.clear()


class SpoolSink(Sink):
    """Output kept in memory up to `SPOOL_IN_MEMORY`, then in an unnamed temporary file."""

    def __init__(self) -> None:
        self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by discard/copy
            max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline=""
        )
        self.first = ""
        self.last = ""  # the last characters written (up to TAIL)

    TAIL = 64

    def write(self, text: str) -> None:
        if not text:
            return
        if len(self.first) < 3:
            self.first = (self.first + text)[:3]
        self.last = (self.last + text)[-self.TAIL :]
        self._spool.write(text)

    def iter_text(self) -> Iterator[str]:
        """The output in blocks (once: the spool is closed after)."""
        self._spool.seek(0)
        while block := self._spool.read(BLOCK):
            yield block
        self._spool.close()

    def text(self) -> str:
        self._spool.seek(0)
        text = self._spool.read()
        self._spool.close()
        return text

    def discard(self) -> None:
        self._spool.close()
