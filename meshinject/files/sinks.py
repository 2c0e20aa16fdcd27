"""Where one file's output goes while it is produced: dropped if the file fails."""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Iterator

from meshinject.files import source
from meshinject.files.stdout import HEAD

SPOOL_IN_MEMORY = 1 << 20  # a file's output stays in memory up to this, then goes to disk


class Sink:
    """Where one file's output goes while it is produced (dropped if the file fails)."""

    def write(self, text: str) -> None:
        raise NotImplementedError

    def write_bytes(self, data: bytes | bytearray) -> None:
        """Output given as its UTF-8 bytes (whole lines, as read from an input file)."""
        self.write(data.decode("utf-8"))

    def discard(self) -> None:
        """The file failed: drop everything written."""


class NullSink(Sink):
    """Output nobody reads (`--check`): written text is dropped at once."""

    def write(self, text: str) -> None:
        pass

    def write_bytes(self, data: bytes | bytearray) -> None:
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
    """Output kept in memory up to `SPOOL_IN_MEMORY`, then in an unnamed temporary file.

    The spool holds UTF-8 bytes: text is encoded as it is written, and bytes read from an
    input file (`write_bytes`) go in as they are, so a file passed through is never
    decoded and encoded again; `iter_bytes` hands them to standard output the same way.
    """

    def __init__(self) -> None:
        self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by discard/copy
            max_size=SPOOL_IN_MEMORY, mode="w+b"
        )
        self.first = ""  # the first characters written (up to HEAD)
        self.last = ""  # the last characters written (up to HEAD): to join outputs

    def write(self, text: str) -> None:
        if not text:
            return
        if len(self.first) < HEAD:
            self.first = (self.first + text)[:HEAD]
        self.last = (self.last + text)[-HEAD:]
        self._spool.write(text.encode("utf-8"))

    def write_bytes(self, data: bytes | bytearray) -> None:
        if not data:
            return
        # HEAD characters take at most 4 * HEAD bytes, so the slices hold them whole;
        # a character a slice cuts (at its end for `first`, its start for `last`) is
        # dropped by "ignore", and it lies outside the HEAD characters kept.
        if len(self.first) < HEAD:
            self.first = (self.first + data[: 4 * HEAD].decode("utf-8", "ignore"))[:HEAD]
        self.last = (self.last + data[-4 * HEAD :].decode("utf-8", "ignore"))[-HEAD:]
        self._spool.write(data)

    def iter_bytes(self) -> Iterator[bytes]:
        """The output's UTF-8 bytes in blocks (once: the spool is closed after)."""
        self._spool.seek(0)
        while block := self._spool.read(source.BLOCK):
            yield block
        self._spool.close()

    def iter_text(self) -> Iterator[str]:
        """The output in blocks of text (once: the spool is closed after)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        for block in self.iter_bytes():
            if text := decoder.decode(block):
                yield text
        if text := decoder.decode(b"", final=True):
            yield text

    def text(self) -> str:
        return "".join(self.iter_text())

    def discard(self) -> None:
        self._spool.close()
