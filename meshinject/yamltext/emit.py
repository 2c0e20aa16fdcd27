"""Rendering new YAML text: scalars in a safe style, block collections at a given column.

Everything emitted here must read back (with `load_document`) as exactly the value it was
rendered from; `splice.py` verifies that anyway, but the rules below make it the norm:
plain only when the text resolves back to the same string, double quotes for strings that
look like another type or need escapes, single quotes for text with YAML indicators,
`|`/`|-` literals for multi-line text.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

from meshinject.yamltext.resolve import retyped


@dataclass(frozen=True, slots=True)
class Style:
    """How a document lays out block collections, measured by `splice.measure_style`."""

    indent: int = 2  # columns from a key to its nested mapping's keys
    indent_sequences: bool = False  # `key:\n  - x` (True) or `key:\n- x` (False)
    quote: str = ""  # the document's preferred quote for strings that need one ("" = choose)
    dash_gap: int = 2  # columns from a `-` to its item's content (`-   name:` has 4)


_INDICATOR_START = frozenset("-?:,[]{}#&*!|>'\"%@`")
_FLOW_CHARS = frozenset(",[]{}")
# Characters YAML does not allow raw (they must be escaped in a double-quoted scalar).
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff]")


# plain_ok answers for short strings, per context: the same names, images, ports and
# flags come back in every injected workload. Bounded (cleared when full; long strings
# are not kept), so memory stays flat on huge streams.
_PLAIN_CACHE: tuple[dict[str, bool], dict[str, bool]] = ({}, {})
_PLAIN_CACHE_MAX = 4096
_PLAIN_CACHE_LEN = 256


def plain_ok(text: str, *, flow: bool = False) -> bool:
    """True if `text` can be written as a plain scalar and read back as this string."""
    cache = _PLAIN_CACHE[flow]
    ok = cache.get(text)
    if ok is None:
        ok = _plain_ok(text, flow)
        if len(text) <= _PLAIN_CACHE_LEN:
            if len(cache) >= _PLAIN_CACHE_MAX:
                cache.clear()
            cache[text] = ok
    return ok


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text != text.strip(" \t") or text in ("<<", "="):
        return False
    first = text[0]
    if first in _INDICATOR_START and not (
        first in "-?:" and len(text) > 1 and text[1] not in " \t" and not flow
    ):
        return False
    if "\n" in text or "\r" in text or ": " in text or " #" in text or text.endswith(":"):
        return False
    if "\t" in text or _NON_PRINTABLE.search(text):
        return False
    if flow and (":" in text or any(c in _FLOW_CHARS for c in text)):
        return False
    if text.startswith(("---", "...")):
        return False
    return not retyped(text)


def double_quoted(text: str) -> str:
    out = json.dumps(text, ensure_ascii=False)
    return _NON_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", out)


def single_quote_ok(text: str) -> bool:
    return "\n" not in text and "\r" not in text and not _NON_PRINTABLE.search(text)


def single_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def literal_ok(text: str) -> bool:
    """Multi-line text a `|` / `|-` block literal represents exactly."""
    if "\n" not in text or "\r" in text or _NON_PRINTABLE.search(text) or "\t" in text:
        return False
    body = text[:-1] if text.endswith("\n") else text
    if not body or body.endswith("\n") or body[0] == " ":
        return False
    return all(line == "" or line.strip() != "" for line in body.split("\n")) and not any(
        line != line.rstrip(" ") for line in body.split("\n")
    )


# scalar_text of short strings in block context, per document quote preference: keys and
# values repeat across workloads (bounded like _PLAIN_CACHE).
_BLOCK_TEXT: dict[str, dict[str, str]] = {}


def scalar_text(value: Any, *, quote: str = "", flow: bool = False, prefer: str = "") -> str:
    """One-line text for a scalar (`prefer` is the style of the text it replaces)."""
    if value.__class__ is not str or flow or prefer:
        return _scalar_text(value, quote, flow, prefer)
    cache = _BLOCK_TEXT.get(quote)
    if cache is None:
        cache = _BLOCK_TEXT[quote] = {}
    text = cache.get(value)
    if text is None:
        text = _scalar_text(value, quote, flow, prefer)
        if len(value) <= _PLAIN_CACHE_LEN:
            if len(cache) >= _PLAIN_CACHE_MAX:
                cache.clear()
            cache[value] = text
    return text


def _scalar_text(value: Any, quote: str, flow: bool, prefer: str) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float_text(value)
    text = str(value)
    if prefer == '"':
        return double_quoted(text)
    if prefer == "'" and single_quote_ok(text):
        return single_quoted(text)
    if plain_ok(text, flow=flow):
        return text
    if quote == "'" and single_quote_ok(text):
        return single_quoted(text)
    if '"' in text and "'" not in text and single_quote_ok(text):
        # JSON in an annotation or env value: single quotes need no escapes, so every
        # document writes it the same way, whatever quotes it prefers elsewhere.
        return single_quoted(text)
    if quote == '"' or not single_quote_ok(text):
        return double_quoted(text)
    # No document preference: type look-alikes ("15020", "true") get double quotes,
    # text that is merely awkward for plain style (indicators, ": ") gets single quotes.
    if text.strip() and retyped(text.strip()):
        return double_quoted(text)
    return single_quoted(text)


def _float_text(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    if "e" in text and "." not in text.split("e")[0]:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}.0e{exponent}"
    if "e" in text and exponent_unsigned(text):
        text = text.replace("e", "e+")
    return text


def exponent_unsigned(text: str) -> bool:
    return text.split("e")[1][:1] not in "+-"


def literal_lines(text: str, col: int) -> tuple[str, list[str]]:
    """A block literal: its header (`|` or `|-`) and its content lines indented to `col`."""
    header = "|" if text.endswith("\n") else "|-"
    body = text[:-1] if text.endswith("\n") else text
    return header, [(" " * col + line) if line else "" for line in body.split("\n")]


def flow_text(value: Any, quote: str = "") -> str:
    """JSON-like one-line flow text."""
    if isinstance(value, dict):
        inner = ", ".join(
            f"{scalar_text(k, quote=quote, flow=True)}: {flow_text(v, quote)}"
            for k, v in value.items()
        )
        return "{" + inner + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(v, quote) for v in value) + "]"
    if isinstance(value, str) and "\n" in value:
        return double_quoted(value)
    return scalar_text(value, quote=quote, flow=True)


def _is_block(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)


def value_after_key(value: Any, key_col: int, style: Style) -> tuple[str, list[str]]:
    """What follows `key:` on its line, and the lines below it, for a value at `key_col`."""
    if isinstance(value, dict) and value:
        return "", entry_lines(value, key_col + style.indent, style)
    if isinstance(value, list) and value:
        dash_col = key_col + style.indent if style.indent_sequences else key_col
        return "", item_lines(value, dash_col, style)
    if isinstance(value, str) and literal_ok(value):
        header, lines = literal_lines(value, key_col + style.indent)
        return " " + header, lines
    return " " + inline_text(value, style), []


def inline_text(value: Any, style: Style) -> str:
    if isinstance(value, dict | list):
        return flow_text(value, style.quote)
    return scalar_text(value, quote=style.quote)


def entry_lines(mapping: dict[str, Any], col: int, style: Style) -> list[str]:
    """`key: value` lines for a block mapping whose keys sit at `col`."""
    lines: list[str] = []
    pad = " " * col
    for key, value in mapping.items():
        after, below = value_after_key(value, col, style)
        lines.append(f"{pad}{scalar_text(key, quote=style.quote)}:{after}")
        lines.extend(below)
    return lines


def item_lines(items: list[Any], col: int, style: Style) -> list[str]:
    """`- item` lines for a block sequence whose dashes sit at `col`."""
    lines: list[str] = []
    for item in items:
        lines.extend(single_item_lines(item, col, style))
    return lines


def single_item_lines(item: Any, col: int, style: Style) -> list[str]:
    gap = style.dash_gap
    dash = " " * col + "-" + " " * (gap - 1)
    if _is_block(item):
        nested = (
            entry_lines(item, col + gap, style)
            if isinstance(item, dict)
            else item_lines(item, col + gap, style)
        )
        return [dash + nested[0][col + gap :], *nested[1:]]
    if isinstance(item, str) and literal_ok(item):
        header, below = literal_lines(item, col + gap)
        return [dash + header, *below]
    return [dash + inline_text(item, style)]


def dump_yaml(data: Any, *, indent: int = 2, indent_sequences: bool = False) -> str:
    """Block-style YAML for a whole document (ends with a newline)."""
    style = Style(indent=indent, indent_sequences=indent_sequences)
    if isinstance(data, dict) and data:
        lines = entry_lines(data, 0, style)
    elif isinstance(data, list) and data:
        lines = item_lines(data, 0, style)
    elif isinstance(data, str) and literal_ok(data):
        header, below = literal_lines(data, indent)
        lines = [header, *below]
    else:
        lines = [inline_text(data, style)]
    return "\n".join(lines) + "\n"
