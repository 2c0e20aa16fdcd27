"""`passthrough_run`: a whole piece of a stream that certainly passes through, in one look.

A stream of Services and ConfigMaps is copied through untouched; deciding that one
document at a time (`split_stream`, then `sniff_kind` per document) costs more than the
copy itself. This module decides it for a whole piece of text (many documents) with a
handful of regex scans at C speed, and answers with the number of documents in it only
when the per-document path would have split it into exactly that many documents and
sniffed every one as a kind outside `interesting`. Otherwise it answers None and the
caller takes the per-document path: any doubt only costs speed, never a different output.

Why the answer agrees with the per-document path (`split_stream` + `sniff_kind`):

* One scan over the line starts of the piece turns every line that matters into a token,
  in text order: `---` lines (the same lines `split_stream` cuts at), `kind` lines, and
  the column-0 characters that make `sniff_kind` answer UNKNOWN (an indicator, `%`
  directives, `...` end markers). A `---` line counts as a document start only when it is
  a bare marker (a comment allowed) whose next content line is a block key, which is
  `sniff_kind`'s first test; a `kind` line counts only as `kind: Name` with a plain name
  outside `interesting` that YAML 1.1 reads as a string, which is what `sniff_kind` reads
  from it. Any other such line is a token of its own that breaks the run.
* The piece is a run exactly when the tokens read (document start, kind line) repeated:
  every document has exactly one good `kind` line and nothing else `sniff_kind` doubts.
  A first document without a `---` line gets one in front (prepended to the scanned
  copy), and a newline is appended so no line is cut short by the end of the text.
* `sniff_kind`'s last tests (a quoted scalar left open at a line end) are the same
  patterns run over the whole piece: a match inside one document is a match inside the
  piece, so "no match in the piece" implies "no match in any of its documents".

The property tests in tests/yamltext/test_runs.py check the agreement on generated
pieces.
"""

from __future__ import annotations

import re
from functools import cache

_OPEN_DOUBLE = re.compile(r'(?m)"(?<=[ \t]")(?:[^"\\\n]|\\.)*$')
_OPEN_SINGLE = re.compile(r"(?m)'(?<=[ \t]')[^'\n]*$")
_BLOCK_KEY = r"""(?:(?!-[ \t])[A-Za-z0-9_$./-][^:#\n]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|\r?$)"""
_SKIPPED_LINES = r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*"
# Plain words YAML 1.1 does not read as strings (see sniff._NOT_STRINGS).
_NOT_STRINGS = (
    "null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|"
    "on|On|ON|off|Off|OFF|y|Y|n|N"
)


@cache
def _line_starts(interesting: frozenset[str]) -> re.Pattern[str]:
    """One token per line that matters, captured as a distinct string:

    `---`  a bare marker line (a comment allowed) whose next content line is a block key
    `--`   any other line starting with `---`
    `kind` a `kind: Name` line, Name plain and outside `interesting` (a comment allowed)
    `kin`  any other line starting with `kind`
    one of `?{[&!*|>"'%.`: a column-0 indicator, directive or end marker (sniff: UNKNOWN)
    """
    excluded = "|".join(sorted({*interesting, *_NOT_STRINGS.split("|")}, key=len, reverse=True))
    good_kind = (
        rf"[ \t]*:[ \t]+(?!(?:{excluded})(?:[ \t\r\n]|\Z))[A-Za-z][A-Za-z0-9]*"
        r"(?:[ \t]+#[^\n]*)?[ \t]*\r?\n"
    )
    return re.compile(
        rf"\n(---(?=(?:[ \t]+(?:#[^\n]*)?)?\r?\n{_SKIPPED_LINES}{_BLOCK_KEY})|--(?=-)"
        rf"|kind(?={good_kind})|kin(?=d)|[?{{\[&!*|>\"'%.])",
        re.MULTILINE,
    )


_MARKER = re.compile(r"---(?=[ \t\r\n]|\Z)")
_RUN = re.compile(r"(?:Dk)+")


def passthrough_run(piece: str, interesting: frozenset[str]) -> int | None:
    """How many documents `piece` holds, if every one sniffs as a kind not in
    `interesting` (so it is copied through unparsed); None if any might not."""
    if not piece:
        return None
    # A newline before every line start, a `---` line for a first document without one,
    # and a final newline (so no token is cut short by the end of the text).
    scanned = ("\n" if _MARKER.match(piece) else "\n---\n") + piece + "\n"
    tokens = "".join(_line_starts(interesting).findall(scanned))
    tokens = tokens.replace("---", "D").replace("kind", "k")
    if (
        _RUN.fullmatch(tokens) is None
        or _OPEN_DOUBLE.search(piece) is not None
        or _OPEN_SINGLE.search(piece) is not None
    ):
        return None
    return len(tokens) // 2
