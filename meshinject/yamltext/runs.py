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

How the scan stays cheap (none of it changes which lines are tokens):

* A token is one character where it can be: `-` for a good document start, `k` for a
  good kind line; the other tokens are `--` (another `---` line), `ki` (another `kind`
  line) or the indicator character itself. One-character strings are shared objects in
  CPython, so the scan allocates nothing per token; the piece is a run exactly when the
  tokens joined are `-k` repeated, since no other token is `-` or `k` and `--`, `ki` and
  the indicators cannot appear in `-k-k...`. Each alternative starts with a literal, so
  `re` rejects the other lines (almost all of them) at their first character.
* A document start's test tries first the common case, a key line right after `---`
  (`apiVersion: v1`), which the full test (comments and blank lines, quoted keys) would
  also accept: the alternation accepts exactly what the full test accepts. Likewise a
  kind line's test tries first `kind: Name` and a newline, which the full test accepts
  when Name is not excluded (an excluded word followed by the newline is Name itself,
  as Name is all letters and digits): the same words are excluded either way. The
  common case reads the key with `[^:#\n]*+`, which never gives back a character the
  `:` after it could match (it matches no `:`), so it matches what `[^:#\n]*` does.
* The names a kind line must not have are matched as a trie (one branch per first
  letter), which accepts the same words as their plain alternation.
* The quote tests first look for a quote character at all (a `memchr`), and are skipped
  when there is none, where they could not match.
* The same patterns run over valid UTF-8 `bytes` (`framed_run`, `files.passthrough`),
  with the answer their decoded text gets. Every part of the patterns is ASCII:
  literals, classes of ASCII characters, `$`, `\\Z`, lookarounds of those (no `\\w`,
  `\\s`, `\\d` or IGNORECASE). UTF-8 writes an ASCII character as that one byte and any
  other character as 2 to 4 bytes of 0x80 or more. So a positive class or literal
  matches neither a non-ASCII character nor any of its bytes, and each negated class
  (`[^:#\\n]`, `[^"\\\\\\n]`...) matches both the character and each of its bytes. Every
  negated class stands under `*` (a character's bytes are matched one after the other
  where the text matches the character once), and the one `.` (after a backslash in a
  quoted scalar) sits in a starred alternation with `[^"\\\\\\n]`, which takes the bytes
  the `.` leaves. Matches start after a newline or at a quote and end at a newline or
  the end, which are character boundaries in both. Hence the same lines are tokens,
  with the same token strings, and a quote test matches the bytes exactly when it
  matches the text.

The property tests in tests/yamltext/test_runs.py check the agreement on generated
pieces, for text and for bytes.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any, AnyStr

_OPEN_DOUBLE = r'(?m)"(?<=[ \t]")(?:[^"\\\n]|\\.)*$'
_OPEN_SINGLE = r"(?m)'(?<=[ \t]')[^'\n]*$"
_BLOCK_KEY = r"""(?:(?!-[ \t])[A-Za-z0-9_$./-][^:#\n]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|\r?$)"""
_SKIPPED_LINES = r"(?:[ \t]*(?:#[^\n]*)?\r?\n)*"
# Plain words YAML 1.1 does not read as strings (see sniff._NOT_STRINGS).
_NOT_STRINGS = (
    "null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|"
    "on|On|ON|off|Off|OFF|y|Y|n|N"
)


def _trie(words: set[str]) -> str:
    """A regex matching exactly `words` (non-empty, plain letters), as a trie."""
    branches: dict[str, set[str]] = {}
    for word in words:
        if word:
            branches.setdefault(word[0], set()).add(word[1:])
    alternatives = [first + _trie(rest) for first, rest in sorted(branches.items())]
    body = "|".join(alternatives)
    if "" in words:  # a word may end here
        return f"(?:{body})?" if body else ""
    return body if len(alternatives) == 1 else f"(?:{body})"


@cache
def _patterns(interesting: frozenset[str], binary: bool) -> tuple[re.Pattern[Any], ...]:
    """The token scan and the two quote tests, over `str` or over `bytes`.

    Tokens, one per line start that matters (see the module docstring):
    `-`   a bare `---` marker line (a comment allowed) whose next content line is a block key
    `--`  any other line starting with `---`
    `k`   a `kind: Name` line, Name plain and outside `interesting` (a comment allowed)
    `ki`  any other line starting with `kind`
    one of `?{[&!*|>"'%.`: a column-0 indicator, directive or end marker (sniff: UNKNOWN)
    """
    excluded = _trie({*interesting, *_NOT_STRINGS.split("|")})
    good_kind = (
        rf"ind(?:: (?!{excluded}\n)[A-Za-z][A-Za-z0-9]*\n"  # the common case of the full test
        rf"|[ \t]*:[ \t]+(?!{excluded}(?:[ \t\r\n]|\Z))[A-Za-z][A-Za-z0-9]*"
        r"(?:[ \t]+#[^\n]*)?[ \t]*\r?\n)"
    )
    good_start = (
        r"--(?:\n[A-Za-z][^:#\n]*+:[ \t\n]"  # the common case of the full test below
        rf"|(?:[ \t]+(?:#[^\n]*)?)?\r?\n{_SKIPPED_LINES}{_BLOCK_KEY})"
    )
    tokens = rf"\n(-(?={good_start})|k(?={good_kind})|--(?=-)|ki(?=nd)|[?{{\[&!*|>\"'%.])"
    sources = (tokens, _OPEN_DOUBLE, _OPEN_SINGLE)
    if binary:
        return tuple(re.compile(source.encode("ascii"), re.MULTILINE) for source in sources)
    return tuple(re.compile(source, re.MULTILINE) for source in sources)


_MARKER = re.compile(r"---(?=[ \t\r\n]|\Z)")
_MARKER_BYTES = re.compile(rb"---(?=[ \t\r\n]|\Z)")


def passthrough_run(piece: AnyStr, interesting: frozenset[str]) -> int | None:
    """How many documents `piece` holds, if every one sniffs as a kind not in
    `interesting` (so it is copied through unparsed); None if any might not.

    `piece` is text, or bytes that are valid UTF-8 (the caller checks them)."""
    if not piece:
        return None
    if isinstance(piece, bytes):
        start = b"\n" if _MARKER_BYTES.match(piece) else b"\n---\n"
        end = b"" if piece.endswith(b"\n") else b"\n"
        return framed_run(start + piece + end, interesting)
    framed = ("\n" if _MARKER.match(piece) else "\n---\n") + piece
    if not piece.endswith("\n"):
        framed += "\n"
    tokens, open_double, open_single = _patterns(interesting, False)
    found = tokens.findall(framed)
    count = len(found) // 2
    if "".join(found) != "-k" * count or count == 0:
        return None
    if '"' in piece and open_double.search(framed) is not None:
        return None
    if "'" in piece and open_single.search(framed) is not None:
        return None
    return count


def framed_run(
    framed: bytes | bytearray, interesting: frozenset[str], pos: int = 0, end: int | None = None
) -> int | None:
    """`passthrough_run` of valid UTF-8 bytes, given framed: `framed[pos:end]` is the piece
    with a newline in front (and a `---` line before that when the piece does not start
    with one), ending in a newline (one added when the piece does not end with one).

    The framing is what the scan needs (every line start after a newline, a first
    document with its `---` line, the last line ended), so a caller reading a file can
    keep its bytes framed as it goes, instead of copying each piece. The quote tests run
    over the framed piece too: what the frame adds is newlines and a `---` line, without
    quotes, so it adds no match (the character before the piece is a newline, which a
    lookbehind for a space or tab does not accept, as at the start of a text).
    """
    end = len(framed) if end is None else end
    tokens, open_double, open_single = _patterns(interesting, True)
    found = tokens.findall(framed, pos, end)
    count = len(found) // 2
    if b"".join(found) != b"-k" * count or count == 0:
        return None
    if framed.find(b'"', pos, end) >= 0 and open_double.search(framed, pos, end) is not None:
        return None
    if framed.find(b"'", pos, end) >= 0 and open_single.search(framed, pos, end) is not None:
        return None
    return count
