"""A file that only passes through, copied as its bytes after one read.

A stream of Services, ConfigMaps and other kinds meshinject never changes comes out as it
went in. `copy_passthrough` finds that out from the file's bytes, in one read, and copies
them to the sink as it goes; it answers None as soon as anything could make the file
come out otherwise, and the caller then takes the per-document path
(`parallel.Engine`: encoding check, pass 1, pass 2) from the start. A None costs only
the bytes read so far, never a different output.

Why copying the bytes gives exactly what the per-document path gives, errors included:

* Only a file that is valid UTF-8, does not start with a byte order mark and holds no
  carriage return is taken: `check_encoding` would raise nothing and find
  Encoding(bom=False, crlf=False, cr=False) (without `\\r` no line ends in CRLF or CR),
  so the text the per-document path splits is the bytes decoded, unchanged, and its
  output text is encoded back to the same bytes. ASCII blocks are valid as they are
  (`isascii`, at C speed); the others go through an incremental UTF-8 decoder, which
  also sees any block that follows a character left incomplete (an ASCII block after
  a cut character is an error the decoder must see).
* The bytes are cut into pieces right before a `---` document marker line, the way
  `iter_documents` cuts text (`split_stream` cuts at every such line, so the documents of
  the file are the documents of its pieces), and each piece must be a run
  (`yamltext.runs.framed_run`: every document sniffs as a kind outside
  INTERESTING_KINDS; it takes UTF-8 bytes). Such a document is never parsed: pass 1
  finds no Namespace and no load error, pass 2 writes its text back as it is. So the
  output is every document's text in order, which is the file's text (the split loses
  nothing), the file is unchanged, no workload is reported, and every document counts
  as passed through. `%` directives and `...` end markers at a line start are tokens
  that break a run, so the pieces never need the whole-file split they would get.
* The file is read once, through the same open handle the per-document path would use,
  and `check_unchanged` is asked after the read, as the per-document path asks after
  each pass: what goes to the sink is the version that was checked. Any error here
  (unreadable, changed) falls back to the per-document path, which reports it.

The property test in tests/test_passthrough_file.py compares both paths on generated
files (runs, near-runs, CRLF, BOM, non-ASCII, directives).
"""

from __future__ import annotations

import codecs
import re

from meshinject.files.sinks import Sink
from meshinject.files.source import Source
from meshinject.yamltext.runs import framed_run

# A `---` marker line start whose line goes on in the bytes read so far (the line's next
# byte is there): `yamltext.split._START` over bytes, where the end of the bytes read is
# not yet the end of the file.
_CUT = re.compile(rb"\n---[ \t\r\n]")
_MARKER = re.compile(rb"---(?=[ \t\r\n]|\Z)")  # as yamltext.runs._MARKER
BOM = "\ufeff".encode()


def copy_passthrough(source: Source, sink: Sink, interesting: frozenset[str]) -> int | None:
    """Copy `source` to `sink` and say how many documents it holds, if it is all runs of
    documents of kinds outside `interesting`; None otherwise (the sink then holds part
    of the file: discard it).

    The bytes read are kept framed for `framed_run`: after each judged piece, what is
    left starts with the newline before the next `---` line, so only the first piece
    needs a frame of its own (a `---` line when the file does not start with one).
    """
    data = bytearray()
    start = -1  # where the file's bytes begin in `data`, once the first frame is in
    count = 0
    utf8 = codecs.getincrementaldecoder("utf-8")()  # checks the blocks that are not ASCII
    try:
        for block in source.raw_blocks():
            if b"\r" in block:
                return None
            if not block.isascii() or utf8.getstate()[0]:
                utf8.decode(block)
            data += block
            if start < 0:
                if len(data) < 4:  # too short yet to tell how it starts
                    continue
                if data.startswith(BOM):
                    return None
                start = _frame(data)
            cut = _last_cut(data, start)
            if cut < 0:
                continue
            found = framed_run(data, interesting, 0, cut)
            if found is None:
                return None
            sink.write_bytes(data[start:cut])
            count += found
            del data[: cut - 1]  # keep the newline before the `---` line: the next frame
            start = 1
        utf8.decode(b"", final=True)  # no character left incomplete at the end
    except UnicodeDecodeError:
        return None
    if start < 0:  # a file shorter than 4 bytes
        if data.startswith(BOM):
            return None
        start = _frame(data)
    if len(data) > start:
        end = len(data)
        if not data.endswith(b"\n"):
            data += b"\n"
        found = framed_run(data, interesting)
        if found is None:
            return None
        sink.write_bytes(data[start:end])
        count += found
    return count or None


def _frame(data: bytearray) -> int:
    """Put the first frame in front of the file's first bytes; where they now begin."""
    frame = b"\n" if _MARKER.match(data) else b"\n---\n"
    data[:0] = frame
    return len(frame)


def _last_cut(data: bytearray, start: int) -> int:
    """Offset of the last `---` marker line in `data` after `start` (-1 if none)."""
    pos = len(data)
    while True:
        pos = data.rfind(b"\n---", start, pos)
        if pos < 0:
            return -1
        if _CUT.match(data, pos):
            return pos + 1
