"""A source's YAML documents, split a piece at a time: files of any size in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from meshinject.files.encoding import BOM, Encoding
from meshinject.files.source import Source
from meshinject.yamltext import RawDocument, split_stream
from meshinject.yamltext.runs import passthrough_run
from meshinject.yamltext.split import _START

PIECE = 1 << 20  # characters of text split at once (cut at a `---` line)


def iter_documents(
    source: Source,
    encoding: Encoding,
    *,
    runs_outside: frozenset[str] | None = None,
    known_runs: Mapping[int, tuple[int, int]] | None = None,
) -> Iterator[RawDocument]:
    """The documents of `source`, as `split_stream` of its decoded text would give them.

    Text is split a piece at a time, each piece ending right before a `---` line, so
    memory does not grow with the file. Streams with directives (`%YAML`) or `...` end
    markers are split whole, since a cut there could move. With `runs_outside`, a piece
    whose documents all sniff as kinds outside that set comes as one `RawDocument` of
    `count` documents (`passthrough_run`), without a split. `known_runs` are the runs an
    earlier pass over the same text found (`StreamScan.runs`: offset -> (length, count)),
    so a later pass does not look again.
    """
    buf = ""
    index = offset = 0
    line = 1
    first = True
    exotic = False  # whether `buf` (since the start) has directives or end markers
    for block in source.blocks():
        text = block.decode("utf-8")
        if first:
            first = False
            if encoding.bom and text.startswith(BOM):
                text = text[1:]
        if encoding.crlf:
            text = text.replace("\r\n", "\n")
        elif encoding.cr:
            text = text.replace("\r", "\n")
        exotic = exotic or _exotic(buf[-1:] + text if buf else text)
        buf += text
        if len(buf) < PIECE or exotic:
            continue
        cut = _last_cut(buf)
        if cut <= 0:
            continue
        piece, buf = buf[:cut], buf[cut:]
        for doc in _split(piece, runs_outside, known_runs, offset):
            yield RawDocument(doc.text, index, line, offset, doc.count)
            index += doc.count
            line += doc.text.count("\n")
            offset += len(doc.text)
    for doc in _split(buf, runs_outside, known_runs, offset):
        yield RawDocument(doc.text, index, line, offset, doc.count)
        index += doc.count
        line += doc.text.count("\n")
        offset += len(doc.text)


def _split(
    piece: str,
    runs_outside: frozenset[str] | None,
    known_runs: Mapping[int, tuple[int, int]] | None,
    offset: int,
) -> list[RawDocument]:
    if runs_outside is not None:
        known = known_runs.get(offset) if known_runs is not None else None
        if known is not None and known[0] == len(piece):
            return [RawDocument(piece, 0, 1, 0, known[1])]
        count = passthrough_run(piece, runs_outside)
        if count is not None:
            return [RawDocument(piece, 0, 1, 0, count)]
    return split_stream(piece)


def _exotic(text: str) -> bool:
    """Whether `text` has a directive (`%` at a line start) or an end marker (`...`)."""
    if text.startswith(("%", "...")) or "\n..." in text:
        return True
    pos = text.find("%")  # rare: far cheaper to find than "\n%" (a newline every line)
    while pos > 0:
        if text[pos - 1] == "\n":
            return True
        pos = text.find("%", pos + 1)
    return False


def _last_cut(text: str) -> int:
    """Offset of the last `---` document marker line in `text` (0 if none)."""
    pos = len(text)
    while True:
        pos = text.rfind("\n---", 0, pos)
        if pos < 0:
            return 0
        if _START.match(text, pos):
            return pos + 1
