"""Several files' outputs joined into one stream: on stdout as each file finishes, or in
`-o FILE`, written atomically at the end and only when every input succeeded."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from meshinject.errors import MeshInjectError
from meshinject.report import Report


class Outputs:
    """File outputs joined as one stream (a `---` between files): to stdout as each file
    finishes, or to `-o FILE` atomically at the end."""

    def __init__(self, output: str | None) -> None:
        self.output = output
        self.parts: list[Any] = []
        self.count = 0
        self.last = ""
        self.error: MeshInjectError | None = None  # stdout failed: nothing more is written

    def add(self, part: Any) -> None:
        from meshinject.errors import OutputError
        from meshinject.files.stdout import HEAD, joint, write_stdout

        if self.error is not None:
            if not isinstance(part, str):
                part.discard()
            return
        head = part[:HEAD] if isinstance(part, str) else part.first
        pieces: list[str] = [joint(self.last, head)] if self.count else []
        # A byte order mark belongs at the start of the stream only, not between files.
        body = _blocks(part) if not self.count else _without_bom(_blocks(part))
        self.count += 1
        self.last = part[-HEAD:] if isinstance(part, str) else part.last
        if self.output:
            self.parts.append((pieces, part, self.count != 1))
            return
        try:
            for part_pieces in (pieces, body):  # one block at a time: never the whole output
                for piece in part_pieces:
                    write_stdout(piece)
        except OutputError as exc:
            self.error = exc
            if not isinstance(part, str):
                part.discard()

    def emit(self, report: Report) -> str:
        """Write `-o FILE`, only when every input succeeded (else say why it was not)."""
        if self.error is not None:
            from meshinject.files.file_result import FileResult

            report.add(FileResult("<stdout>", None, error=self.error))
        if not self.output:
            return ""
        if report.failed:
            self.discard()
            failed = len(report.failed)
            return (
                f"{self.output} not written (left as it was): {failed} input "
                f"file{'s' if failed != 1 else ''} failed, and -o is written only when "
                "every input succeeds"
            )
        from meshinject.files.atomic import write_atomic
        from meshinject.files.file_result import FileResult

        text = (  # lazily, a block at a time: a list here would hold a whole file's output
            piece
            for pieces, part, later in self.parts
            for group in (pieces, _without_bom(_blocks(part)) if later else _blocks(part))
            for piece in group
        )
        try:
            write_atomic(self.output, text)
        except MeshInjectError as exc:
            report.add(FileResult(self.output, None, error=exc))
        finally:
            self.discard()  # spools the failed write did not read: close them
        return ""

    def discard(self) -> None:
        for _, part, _ in self.parts:
            if not isinstance(part, str):
                part.discard()


def _without_bom(pieces: Iterator[str | bytes]) -> Iterator[str | bytes]:
    first = True
    for piece in pieces:
        if not first:
            yield piece
        elif isinstance(piece, str):
            yield piece.removeprefix("\ufeff")
        else:
            yield piece.removeprefix(b"\xef\xbb\xbf")  # the BOM's UTF-8 bytes
        first = first and not piece


def _blocks(part: Any) -> Iterator[str | bytes]:
    """A part's output: a spool's bytes as they are (nothing decoded again), or the text."""
    if isinstance(part, str):
        yield part
    else:
        yield from part.iter_bytes()
