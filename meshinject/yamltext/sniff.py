"""`sniff_kind`: a document's `kind` from its text alone, when that is unambiguous.

Most documents in a stream are never injected (Services, ConfigMaps...). Knowing their
kind without a parse lets the caller copy them through untouched. The scan is regexes
over the whole text (C speed); whenever the text has anything that could make a
column-0 `kind:` line mean something else, the answer is UNKNOWN and the caller parses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import ClassVar

# A line that carries content: not blank, not a comment, not a marker or directive.
_CONTENT_LINE = re.compile(
    r"^(?![ \t]*(?:#|\r?$))(?!(?:---|\.\.\.)(?:[ \t]+(?:#[^\n]*)?)?\r?$)(?!%)[^\n]*",
    re.MULTILINE,
)
# The first content line of a block mapping at column 0: a simple key then `:`.
_BLOCK_KEY = re.compile(
    r"""(?:(?!-[ \t])[A-Za-z0-9_$./-][^:#\n]*|"[^"\n]*"|'[^'\n]*')[ \t]*:(?:[ \t]|\r?$)"""
)
_KIND_LINE = re.compile(r"""(?:kind|"kind"|'kind')[ \t]*:(?:[ \t]+([^\n]*?))?[ \t]*\r?(?:\n|\Z)""")
_KIND_VALUE = re.compile(
    r"""(?:([A-Za-z][A-Za-z0-9]*)|"([A-Za-z][A-Za-z0-9]*)"|'([A-Za-z][A-Za-z0-9]*)')"""
    r"""(?:[ \t]+#[^\n]*)?"""
)
# Things a line scan cannot see through, each pattern led by a literal so `re` scans at
# C speed: flow / explicit-key / anchor / tag / block-scalar documents (an indicator at
# column 0), content on a `---` line, and quoted scalars still open at the end of a line
# (their continuation lines may start at column 0). False alarms only cost a parse.
_COL0_INDICATORS = frozenset("?{[&!*|>\"'")
_MARKER_WITH_CONTENT = re.compile(r"(?:---|\.\.\.)[ \t]+[^#\s]")
_UNSURE = tuple(
    re.compile(p)
    for p in (
        r"\n(?:[?{\[&!*|>\"']|(?:---|\.\.\.)[ \t]+[^#\s])",
        r'(?m)"(?<=[ \t]")(?:[^"\\\n]|\\.)*$',
        r"(?m)'(?<=[ \t]')[^'\n]*$",
    )
)


# Plain words that are not strings (`kind: null` has no kind): a parse decides.
_NOT_STRINGS = frozenset(
    [
        "null",
        "Null",
        "NULL",
        "true",
        "True",
        "TRUE",
        "false",
        "False",
        "FALSE",
        "yes",
        "Yes",
        "YES",
        "no",
        "No",
        "NO",
        "on",
        "On",
        "ON",
        "off",
        "Off",
        "OFF",
        "y",
        "Y",
        "n",
        "N",
    ]
)


@dataclass(frozen=True, slots=True)
class Sniff:
    """EMPTY, UNKNOWN, or `Sniff.kind(name)`; compare with `==`."""

    state: str  # "empty" | "unknown" | "kind"
    name: str | None = None

    EMPTY: ClassVar[Sniff]
    UNKNOWN: ClassVar[Sniff]

    @classmethod
    def kind(cls, name: str) -> Sniff:
        known = _KINDS.get(name)
        if known is None:
            known = _KINDS[name] = cls("kind", name)
        return known

    @property
    def is_empty(self) -> bool:
        return self.state == "empty"

    @property
    def is_unknown(self) -> bool:
        return self.state == "unknown"

    def __repr__(self) -> str:
        return (
            f"Sniff.kind({self.name!r})" if self.state == "kind" else f"Sniff.{self.state.upper()}"
        )


_KINDS: dict[str, Sniff] = {}
Sniff.EMPTY = Sniff("empty")
Sniff.UNKNOWN = Sniff("unknown")


# Bound methods, so the per-document hot path does no attribute look-ups.
_content_line = _CONTENT_LINE.search
_block_key = _BLOCK_KEY.match
_marker_with_content = _MARKER_WITH_CONTENT.match
_unsure_line_start, _unsure_double, _unsure_single = (p.search for p in _UNSURE)


def sniff_kind(text: str) -> Sniff:
    """Classify a document's text without parsing it."""
    first = _content_line(text)
    if first is None:
        return Sniff.EMPTY
    if (
        _block_key(first.group()) is None
        or text[0] in _COL0_INDICATORS
        or _marker_with_content(text) is not None
        or _unsure_line_start(text) is not None
        or _unsure_double(text) is not None
        or _unsure_single(text) is not None
    ):
        return Sniff.UNKNOWN
    found = _kind_values(text)
    if len(found) != 1:
        return Sniff.UNKNOWN
    value = _KIND_VALUE.fullmatch(found[0])
    if value is None or value.group(1) in _NOT_STRINGS:
        return Sniff.UNKNOWN
    return Sniff.kind(value.group(1) or value.group(2) or value.group(3))


def _kind_values(text: str) -> list[str]:
    """Values of the column-0 `kind:` lines (one `str.find` scan for "kind")."""
    values: list[str] = []
    pos = text.find("kind")
    while pos >= 0:
        line_start = pos
        if pos > 0 and text[pos - 1] in "\"'":
            line_start = pos - 1
        if line_start == 0 or text[line_start - 1] == "\n":
            m = _KIND_LINE.match(text, line_start)
            if m is not None:
                values.append(m.group(1) or "")
        pos = text.find("kind", pos + 4)
    return values
