"""A file's bytes, read once and readable again, and whether the file changed meanwhile."""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from meshinject.errors import InputError, Location

BLOCK = 1 << 20  # bytes read at a time


class Source:
    """A file's bytes, read once and readable again: each pass re-reads the same open file.

    A regular file is opened once (on first use) and every pass seeks back in that one
    handle, so a file replaced meanwhile (an editor's save, `git checkout`, another `-i`)
    is still read as the version that was opened; `check_unchanged` then tells whether the
    file changed, so nothing is written from a version that is gone. Anything else (a pipe,
    a FIFO, `/dev/stdin`, `<(...)`) can be read only once: it is copied to an unnamed
    temporary file on first use.
    """

    def __init__(self, path: str, handle: BinaryIO | None = None) -> None:
        self.path = path
        self._handle = handle
        self.signature: tuple[int, ...] | None = None  # of the regular file that was opened

    @classmethod
    def stdin(cls, stream: BinaryIO) -> Source:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        shutil.copyfileobj(stream, spool)
        return cls("-", spool)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> Source:
        return cls(path, io.BytesIO(data))

    def _open(self) -> BinaryIO:
        if self._handle is not None:
            return self._handle
        try:
            handle = Path(self.path).open("rb")  # noqa: SIM115 - closed by `close`
            info = os.fstat(handle.fileno())
            if self.signature is not None and file_signature(info) != self.signature:
                handle.close()  # reopened after `release`, and it is another version
                raise changed_underneath(self.path)
            if not stat.S_ISREG(info.st_mode):
                spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
                with handle:
                    shutil.copyfileobj(handle, spool)
                self._handle = spool
                return spool
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", Location(self.path)) from None
        self._handle = handle
        self.signature = file_signature(info)
        return handle

    def blocks(self) -> Iterator[bytes]:
        """The bytes in blocks that end at a line end (or at the end of the file)."""
        handle = self._open()
        handle.seek(0)
        yield from _line_blocks(handle)

    def raw_blocks(self) -> Iterator[bytes]:
        """The bytes in blocks as they are read (cut anywhere, even inside a character)."""
        handle = self._open()
        handle.seek(0)
        while block := handle.read(BLOCK):
            yield block

    def check_unchanged(self) -> None:
        """InputError if the file opened was modified, or its path now names another file."""
        if self.signature is None or self._handle is None:
            return
        try:
            now = file_signature(os.fstat(self._handle.fileno()))
            named = file_signature(Path(self.path).stat())
        except (OSError, ValueError):
            now = named = ()
        if now != self.signature or named != self.signature:
            raise changed_underneath(self.path)

    def release(self) -> None:
        """Close a regular file between passes (a run may hold thousands); the next pass
        reopens it and fails if it is no longer the version read so far."""
        if self.signature is not None and self._handle is not None:
            self._handle.close()
            self._handle = None

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


def file_signature(info: os.stat_result) -> tuple[int, ...]:
    """What identifies one version of a file: device, inode, size, change times."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def changed_underneath(path: str) -> InputError:
    """The error for a file that changed while it was read: nothing is written for it."""
    return InputError(
        "the file changed while it was being read; nothing was written for it (run again)",
        Location(path),
    )


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
