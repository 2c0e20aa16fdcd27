"""Tokenizer for Go `text/template` source.

Splits template text into literal text and the tokens inside `{{ }}` actions, the way
Go's `text/template/parse` lexer does: trim markers (`{{- ` and ` -}}`) remove the
adjacent whitespace of the neighbouring text, comments (`{{/* */}}`) vanish, and
spaces inside actions are kept as tokens because they separate arguments
(`.A.B` is one field chain, `.A .B` two operands).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, auto

from meshinject.errors import Location, TemplateError


class Tok(Enum):
    TEXT = auto()
    LEFT = auto()  # {{
    RIGHT = auto()  # }}
    SPACE = auto()
    FIELD = auto()  # .Name
    DOT = auto()  # .
    VARIABLE = auto()  # $ or $name
    IDENT = auto()  # function name
    KEYWORD = auto()  # if, range, end, ...
    STRING = auto()  # "..." (value is unquoted)
    RAW_STRING = auto()  # `...`
    CHAR = auto()  # 'x' (value is the code point as text)
    NUMBER = auto()
    BOOL = auto()
    NIL = auto()
    PIPE = auto()
    LPAREN = auto()
    RPAREN = auto()
    DECLARE = auto()  # :=
    ASSIGN = auto()  # =
    COMMA = auto()
    EOF = auto()


KEYWORDS = frozenset(
    {"block", "break", "continue", "define", "else", "end", "if", "range", "template", "with"}
)
_SPACE = " \t\r\n"
_TRIM = " \t\r\n"


@dataclass(frozen=True, slots=True)
class Token:
    kind: Tok
    value: str
    line: int
    column: int


def template_error(name: str, line: int, column: int, message: str) -> TemplateError:
    """A TemplateError whose message names the template, the line and the column."""
    where = f"line {line}, column {column}" if column else f"line {line}"
    return TemplateError(f'template "{name}": {where}: {message}', Location("", line, column))


class Lexer:
    """Turns one template's text into a list of tokens (call `tokens()`)."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.pos = 0
        self.out: list[Token] = []
        self.paren_depth = 0
        self.line_starts = [0] + [m + 1 for m in _newlines(text)]

    # -- position helpers -------------------------------------------------------------
    def _loc(self, pos: int) -> tuple[int, int]:
        index = bisect.bisect_right(self.line_starts, pos) - 1
        return index + 1, pos - self.line_starts[index] + 1

    def _error(self, pos: int, message: str) -> TemplateError:
        line, col = self._loc(pos)
        return template_error(self.name, line, col, message)

    def _emit(self, kind: Tok, value: str, pos: int) -> None:
        line, col = self._loc(pos)
        self.out.append(Token(kind, value, line, col))

    # -- text and delimiters ----------------------------------------------------------
    def tokens(self) -> list[Token]:
        text = self.text
        trim_next = False
        while True:
            start = self.pos
            idx = text.find("{{", start)
            end = len(text) if idx < 0 else idx
            chunk = text[start:end]
            left_trim = idx >= 0 and text.startswith("{{-", idx) and idx + 3 < len(text)
            left_trim = left_trim and text[idx + 3] in _SPACE
            if trim_next:
                stripped = chunk.lstrip(_TRIM)
                start += len(chunk) - len(stripped)
                chunk = stripped
            if left_trim:
                chunk = chunk.rstrip(_TRIM)
            if chunk:
                self._emit(Tok.TEXT, chunk, start)
            if idx < 0:
                self._emit(Tok.EOF, "", len(text))
                return self.out
            self.pos = idx + (4 if left_trim else 2)
            trim_next = self._action(idx)

    def _at_right(self) -> tuple[bool, bool]:
        """(at a right delimiter, with a trim marker) at the current position."""
        text, p = self.text, self.pos
        if text.startswith("}}", p):
            return True, False
        if text.startswith("-}}", p) and p > 0 and text[p - 1] in _SPACE:
            return True, True
        return False, False

    def _action(self, left_pos: int) -> bool:
        """Lex one action; returns whether its right delimiter trims following text."""
        text = self.text
        # Comments: {{/* ... */}} with optional trim markers around them.
        if text.startswith("/*", self.pos):
            close = text.find("*/", self.pos + 2)
            if close < 0:
                raise self._error(left_pos, "unclosed comment")
            self.pos = close + 2
            while self.pos < len(text) and text[self.pos] in _SPACE:
                self.pos += 1
            at_right, trim = self._at_right()
            if not at_right:
                raise self._error(left_pos, "comment ends before closing delimiter")
            self.pos += 3 if trim else 2
            return trim
        self._emit(Tok.LEFT, "{{", left_pos)
        self.paren_depth = 0
        while True:
            at_right, trim = self._at_right()
            if at_right:
                if self.paren_depth:
                    raise self._error(self.pos, "unclosed left paren")
                self._emit(Tok.RIGHT, "}}", self.pos)
                self.pos += 3 if trim else 2
                return trim
            if self.pos >= len(text):
                raise self._error(left_pos, "unclosed action")
            self._inside()

    def _inside(self) -> None:
        text, p = self.text, self.pos
        c = text[p]
        if c in _SPACE:
            q = p
            while q < len(text) and text[q] in _SPACE:
                q += 1
            self.pos = q
            # A trim marker belongs to the delimiter, not to the space before it.
            if text.startswith("-}}", q):
                self._emit(Tok.SPACE, text[p:q], p)
                return
            self._emit(Tok.SPACE, text[p:q], p)
            return
        if c == "=":
            self._emit(Tok.ASSIGN, "=", p)
            self.pos += 1
        elif c == ":":
            if not text.startswith(":=", p):
                raise self._error(p, "expected :=")
            self._emit(Tok.DECLARE, ":=", p)
            self.pos += 2
        elif c == "|":
            self._emit(Tok.PIPE, "|", p)
            self.pos += 1
        elif c == ",":
            self._emit(Tok.COMMA, ",", p)
            self.pos += 1
        elif c == "(":
            self.paren_depth += 1
            self._emit(Tok.LPAREN, "(", p)
            self.pos += 1
        elif c == ")":
            self.paren_depth -= 1
            if self.paren_depth < 0:
                raise self._error(p, "unexpected right paren")
            self._emit(Tok.RPAREN, ")", p)
            self.pos += 1
        elif c == '"':
            self._quote(p)
        elif c == "`":
            close = text.find("`", p + 1)
            if close < 0:
                raise self._error(p, "unterminated raw quoted string")
            self._emit(Tok.RAW_STRING, text[p + 1 : close], p)
            self.pos = close + 1
        elif c == "'":
            self._char(p)
        elif c == "$":
            q = self._alnum_end(p + 1)
            self._emit(Tok.VARIABLE, text[p:q], p)
            self.pos = q
            self._check_terminator()
        elif c == ".":
            if p + 1 < len(text) and text[p + 1].isdigit():
                self._number(p)
                return
            q = self._alnum_end(p + 1)
            if q == p + 1:
                self._emit(Tok.DOT, ".", p)
            else:
                self._emit(Tok.FIELD, text[p:q], p)
            self.pos = q
            self._check_terminator()
        elif c.isdigit() or (c in "+-" and p + 1 < len(text) and text[p + 1] in "0123456789."):
            self._number(p)
        elif c.isalpha() or c == "_":
            q = self._alnum_end(p)
            word = text[p:q]
            self.pos = q
            if word in KEYWORDS:
                self._emit(Tok.KEYWORD, word, p)
            elif word in ("true", "false"):
                self._emit(Tok.BOOL, word, p)
            elif word == "nil":
                self._emit(Tok.NIL, word, p)
            else:
                self._emit(Tok.IDENT, word, p)
            self._check_terminator()
        else:
            raise self._error(p, f'unexpected "{c}" in command')

    def _alnum_end(self, q: int) -> int:
        text = self.text
        while q < len(text) and (text[q].isalnum() or text[q] == "_"):
            q += 1
        return q

    def _check_terminator(self) -> None:
        text, p = self.text, self.pos
        if p >= len(text) or text[p] in _SPACE or text[p] in ".,|:()=":
            return
        if self._at_right()[0]:
            return
        raise self._error(p, f"bad character {text[p]!r}")

    def _quote(self, p: int) -> None:
        text = self.text
        q = p + 1
        while True:
            if q >= len(text) or text[q] == "\n":
                raise self._error(p, "unterminated quoted string")
            if text[q] == "\\":
                q += 2
                continue
            if text[q] == '"':
                break
            q += 1
        raw = text[p + 1 : q]
        self._emit(Tok.STRING, unescape(raw, '"', lambda m: self._error(p, m)), p)
        self.pos = q + 1

    def _char(self, p: int) -> None:
        text = self.text
        q = p + 1
        while True:
            if q >= len(text) or text[q] == "\n":
                raise self._error(p, "unterminated character constant")
            if text[q] == "\\":
                q += 2
                continue
            if text[q] == "'":
                break
            q += 1
        value = unescape(text[p + 1 : q], "'", lambda m: self._error(p, m))
        if len(value) != 1:
            raise self._error(p, f"malformed character constant: {text[p : q + 1]}")
        self._emit(Tok.CHAR, str(ord(value)), p)
        self.pos = q + 1

    def _number(self, p: int) -> None:
        text = self.text
        q = p
        if text[q] in "+-":
            q += 1
        digits = "0123456789_"
        if text.startswith(("0x", "0X"), q):
            q += 2
            digits = "0123456789abcdefABCDEF_"
        elif text.startswith(("0o", "0O"), q):
            q += 2
            digits = "01234567_"
        elif text.startswith(("0b", "0B"), q):
            q += 2
            digits = "01_"
        while q < len(text) and text[q] in digits:
            q += 1
        if q < len(text) and text[q] == ".":
            q += 1
            while q < len(text) and text[q] in digits:
                q += 1
        exp = "pP" if "a" in digits else "eE"
        if q < len(text) and text[q] in exp:
            q += 1
            if q < len(text) and text[q] in "+-":
                q += 1
            while q < len(text) and text[q] in "0123456789_":
                q += 1
        if q < len(text) and (text[q].isalnum() or text[q] == "_"):
            raise self._error(p, f"bad number syntax: {text[p : q + 1]!r}")
        self._emit(Tok.NUMBER, text[p:q], p)
        self.pos = q


_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def _newlines(text: str) -> list[int]:
    found: list[int] = []
    i = text.find("\n")
    while i >= 0:
        found.append(i)
        i = text.find("\n", i + 1)
    return found


def unescape(raw: str, quote: str, error: Callable[[str], TemplateError]) -> str:
    """Interpret Go escape sequences in the body of a quoted string or char literal.

    `\\x` and octal escapes give the code point of the byte (Python strings hold code
    points, not bytes).
    """
    if "\\" not in raw:
        return raw
    out: list[str] = []
    i = 0
    while i < len(raw):
        c = raw[i]
        if c != "\\":
            out.append(c)
            i += 1
            continue
        if i + 1 >= len(raw):
            raise error("invalid syntax in quoted string")
        e = raw[i + 1]
        if e in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[e])
            i += 2
        elif e == quote:
            out.append(quote)
            i += 2
        elif e in "xuU":
            width = {"x": 2, "u": 4, "U": 8}[e]
            hexdigits = raw[i + 2 : i + 2 + width]
            if len(hexdigits) != width or any(h not in "0123456789abcdefABCDEF" for h in hexdigits):
                raise error("invalid syntax in quoted string")
            out.append(chr(int(hexdigits, 16)))
            i += 2 + width
        elif e in "01234567":
            octal = raw[i + 1 : i + 4]
            if len(octal) != 3 or any(o not in "01234567" for o in octal) or int(octal, 8) > 255:
                raise error("invalid syntax in quoted string")
            out.append(chr(int(octal, 8)))
            i += 4
        else:
            raise error(f"invalid escape sequence \\{e} in quoted string")
    return "".join(out)
