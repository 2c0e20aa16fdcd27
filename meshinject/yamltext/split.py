"""Split a YAML stream into documents as text, so untouched documents go out byte-for-byte.

A document starts at its `---` line (YAML: a column-0 `---` followed by a blank or the line
end is always a marker, even inside a block scalar), or at the first directive (`%YAML`)
of the prologue just above it, or after a `...` end marker when real content follows.
Everything else (comments between documents, `...` lines, trailing blank lines) stays in
the document it follows, so `"".join(d.text for d in docs) == text` always holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

# Patterns start with a literal "\n" so `re` can scan for it at C speed (a `^` with
# MULTILINE is several times slower); position 0 is checked separately.
_START = re.compile(r"\n---(?=[ \t\r\n]|\Z)")
_END = re.compile(r"\n\.\.\.(?=[ \t\r\n]|\Z)[^\n]*(?:\n|\Z)")
# A run of directive / comment / blank lines ending right before a `---` line.
_PROLOGUE_LINE = re.compile(r"(?:%[^\n]*|[ \t]*(?:#[^\n]*)?)\r?\n\Z")


@dataclass(slots=True)
class RawDocument:
    """One document's exact text and where it sits in the stream (treat as read-only).

    Not `frozen`: a frozen dataclass costs ~1 µs more per instance (its `__init__` goes
    through `object.__setattr__`), a sixth of the whole pass-through cost per document.
    """

    text: str
    index: int  # 0-based position in the stream
    start_line: int  # 1-based line of text[0] in the stream
    start_offset: int  # character offset of text[0] in the stream
    # How many documents `text` holds: 1, or more for a run of documents that certainly
    # pass through unparsed (`meshinject.yamltext.runs.passthrough_run`), indexes
    # `index` to `index + count - 1`.
    count: int = 1


def _prologue_start(text: str, sep: int, floor: int) -> int:
    """Move a `---` split point up over directive lines that belong to its document."""
    pos = sep
    first_directive = sep
    while pos > floor:
        line_start = text.rfind("\n", floor, pos - 1) + 1
        line_start = max(line_start, floor)
        line = text[line_start:pos]
        if not _PROLOGUE_LINE.match(line):
            break
        if line.startswith("%"):
            first_directive = line_start
        pos = line_start
    return first_directive


def split_stream(text: str) -> list[RawDocument]:
    """Cut `text` into documents; the concatenation of their texts is `text`."""
    cuts = [m.start() + 1 for m in _START.finditer(text)]
    if _START.match("\n" + text[:4]):
        cuts.insert(0, 0)
    if text.startswith("%") or "\n%" in text:
        floors = [0, *cuts]
        cuts = [_prologue_start(text, c, floors[i]) for i, c in enumerate(cuts)]
    if text.startswith("...") or "\n..." in text:
        cuts = sorted(set(cuts) | set(_after_end_markers(text, cuts)))
    if not cuts or cuts[0] != 0:
        cuts.insert(0, 0)
    cuts.append(len(text))
    docs: list[RawDocument] = []
    line = 1
    for start, end in pairwise(cuts):
        if end <= start and not (start == 0 and not text):
            continue
        docs.append(RawDocument(text[start:end], len(docs), line, start))
        line += text.count("\n", start, end)
    if not text:
        return []
    return docs


def _after_end_markers(text: str, cuts: list[int]) -> list[int]:
    """Split points after `...` lines that are followed by a bare document."""
    extra: list[int] = []
    for m in _END.finditer("\n" + text):
        end = m.end() - 1  # the match ran over "\n" + text
        nxt = next((c for c in cuts if c >= end), len(text))
        if _has_content(text, end, nxt):
            extra.append(end)
    return extra


def _has_content(text: str, start: int, end: int) -> bool:
    for line in text[start:end].splitlines():
        stripped = line.strip()
        # (another `...` line ends nothing new)
        if (
            stripped
            and not stripped.startswith("#")
            and not line.startswith("%")
            and not _END.match("\n" + line)
        ):
            return True
    return False


def first_content_line(text: str) -> int:
    """The 1-based line of a document's first content (not blank, a comment or `---`)."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and stripped != "---":
            return number
    return 1
