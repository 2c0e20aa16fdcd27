"""A source's YAML documents, split a piece at a time: files of any size in bounded memory."""

from __future__ import annotations

from collections.abc import Iterator

from meshinject.files.encoding import BOM, Encoding
from meshinject.files.source import Source
from meshinject.yamltext import RawDocument, split_stream
from meshinject.yamltext.split import _START

PIECE = 1 << 20  # characters of text split at once (cut at a `---` line)


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
