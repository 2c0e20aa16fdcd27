"""Sprig's string functions, and regular expressions (RE2 syntax; the common subset)."""

from __future__ import annotations

import re
from typing import Any

from meshinject.gotemplate.printing import format_value, go_quote
from meshinject.gotemplate.sprig.conversions import strval
from meshinject.gotemplate.values import FuncError

# -- strings --------------------------------------------------------------------------


def quote(*values: Any) -> str:
    return " ".join(go_quote(strval(v)) for v in values if v is not None)


def squote(*values: Any) -> str:
    return " ".join(f"'{strval(v)}'" for v in values if v is not None)


def cat(*values: Any) -> str:
    return " ".join(format_value(v) for v in values if v is not None)


def indent(spaces: int, text: str) -> str:
    pad = " " * spaces
    return pad + text.replace("\n", "\n" + pad)


def nindent(spaces: int, text: str) -> str:
    return "\n" + indent(spaces, text)


def title(text: str) -> str:
    out = []
    prev = " "
    for ch in text:
        out.append(ch.upper() if not (prev.isalnum() or prev in "_'") else ch)
        prev = ch
    return "".join(out)


def untitle(text: str) -> str:
    return " ".join(w[:1].lower() + w[1:] for w in text.split(" "))


def contains(substr: str, text: str) -> bool:
    return substr in text


def has_prefix(prefix: str, text: str) -> bool:
    return text.startswith(prefix)


def has_suffix(suffix: str, text: str) -> bool:
    return text.endswith(suffix)


def trim_prefix(prefix: str, text: str) -> str:
    return text.removeprefix(prefix)


def trim_suffix(suffix: str, text: str) -> str:
    return text.removesuffix(suffix)


def trim(text: str) -> str:
    return text.strip(" \t\n\r\v\f\u0085\u00a0")


def lower(text: str) -> str:
    return text.lower()


def upper(text: str) -> str:
    return text.upper()


def nospace(text: str) -> str:
    return "".join(text.split())


def trim_all(cutset: str, text: str) -> str:
    return text.strip(cutset)


def substr(start: int, end: int, text: str) -> str:
    if start < 0:
        return text[:end]
    if end < 0 or end > len(text):
        return text[start:]
    return text[start:end]


def trunc(count: int, text: str) -> str:
    if count < 0 and len(text) + count > 0:
        return text[len(text) + count :]
    if count >= 0 and len(text) > count:
        return text[:count]
    return text


def split(sep: str, orig: str) -> dict[str, Any]:
    return {f"_{i}": part for i, part in enumerate(_go_split(orig, sep))}


def splitn(sep: str, n: int, orig: str) -> dict[str, Any]:
    return {f"_{i}": part for i, part in enumerate(_go_split(orig, sep, n))}


def split_list(sep: str, orig: str) -> list[Any]:
    return list(_go_split(orig, sep))


def _go_split(text: str, sep: str, n: int = -1) -> list[str]:
    if n == 0:
        return []
    if sep == "":
        chars = list(text)
        if n > 0 and len(chars) > n:
            chars = [*chars[: n - 1], "".join(chars[n - 1 :])]
        return chars
    return text.split(sep, n - 1) if n > 0 else text.split(sep)


def _strslice(value: Any) -> list[str]:
    if isinstance(value, list | tuple):
        return [strval(v) for v in value if v is not None]
    if value is None:
        return []
    return [strval(value)]


def join(sep: str, value: Any) -> str:
    return sep.join(_strslice(value))


def sort_alpha(value: Any) -> list[Any]:
    return sorted(_strslice(value))


def repeat(count: int, text: str) -> str:
    return text * max(count, 0)


def replace(old: str, new: str, src: str) -> str:
    if old == "":
        return new + new.join(src) + new if src else new
    return src.replace(old, new)


# -- regular expressions (RE2 syntax; Python's `re` for the common subset) -------------


def _regex(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern.replace("\\z", "\\Z"))
    except re.error as exc:
        raise FuncError(f"error parsing regexp: {exc}") from None


def regex_match(regex: str, s: str) -> bool:
    return _regex(regex).search(s) is not None


def regex_find(regex: str, s: str) -> str:
    m = _regex(regex).search(s)
    return m.group(0) if m else ""


def regex_find_all(regex: str, s: str, n: int) -> list[Any]:
    found = [m.group(0) for m in _regex(regex).finditer(s)]
    return found if n < 0 else found[:n]


def _expand(template: str, m: re.Match[str]) -> str:
    def repl(g: re.Match[str]) -> str:
        if g.group(0) == "$$":
            return "$"
        name = g.group(1) or g.group(2)
        try:
            return m.group(int(name) if name.isdigit() else name) or ""
        except IndexError:
            return ""

    return re.sub(r"\$\$|\$\{(\w+)\}|\$(\w+)", repl, template)


def regex_replace_all(regex: str, s: str, repl: str) -> str:
    return _regex(regex).sub(lambda m: _expand(repl, m), s)


def regex_replace_all_literal(regex: str, s: str, repl: str) -> str:
    return _regex(regex).sub(lambda _m: repl, s)


def regex_split(regex: str, s: str, n: int) -> list[Any]:
    if n == 0:
        return []
    pattern = _regex(regex)
    if regex == "" and s:
        parts: list[Any] = list(s)
    else:
        parts = pattern.split(s) if pattern.groups == 0 else re.split(f"(?:{regex})", s)
    if n > 0 and len(parts) > n:
        out: list[Any] = []
        pos = 0
        for count, m in enumerate(pattern.finditer(s)):
            if count == n - 1:
                break
            out.append(s[pos : m.start()])
            pos = m.end()
        out.append(s[pos:])
        return out
    return parts


def regex_quote_meta(s: str) -> str:
    return "".join("\\" + c if c in r"\.+*?()|[]{}^$" else c for c in s)
