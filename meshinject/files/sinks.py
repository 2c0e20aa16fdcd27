"""Where one file's output goes while it is produced: dropped if the file fails."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator

from meshinject.files import source
from meshinject.files.stdout import HEAD

SPOOL_IN_MEMORY = 1 << 20  # a file's output stays in memory up to this, then goes to disk


class Sink:
    """Where one file's output goes while it is produced (dropped if the file fails)."""

    def write(self, text: str) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """The file failed: drop everything written."""


class NullSink(Sink):
    """Output nobody reads (`--check`): written text is dropped at once."""

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
        self.first = ""  # the first characters written (up to HEAD)
        self.last = ""  # the last characters written (up to HEAD): to join outputs

    def write(self, text: str) -> None:
        if not text:
            return
        if len(self.first) < HEAD:
            self.first = (self.first + text)[:HEAD]
        self.last = (self.last + text)[-HEAD:]
        self._spool.write(text)

    def iter_text(self) -> Iterator[str]:
        """The output in blocks (once: the spool is closed after)."""
        self._spool.seek(0)
        while block := self._spool.read(source.BLOCK):
            yield block
        self._spool.close()

    def text(self) -> str:
        self._spool.seek(0)
        text = self._spool.read()
        self._spool.close()
        return text

    def discard(self) -> None:
        self._spool.close()
