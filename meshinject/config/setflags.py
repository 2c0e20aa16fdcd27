"""`--set a.b.c=v`, parsed and typed the way Helm's strvals package does it.

One argument may hold several comma-separated assignments (`a=1,b=2`); `\\` escapes
`.`, `,`, `=`, `[` and `{`. Values: `true`/`false` (any case) → bool, `null` → delete the
key, decimal integers without a leading zero → int, `{x,y}` → a list of typed items,
anything else (including `1.5` and `0755`) → string. A key may index lists:
`a.b[0]=x`, `a[1].c=y`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from meshinject.config.provenance import KeyPath, render_path
from meshinject.errors import ConfigError, Location

SET_LOCATION = Location("--set")


@dataclass(frozen=True)
class Assignment:
    """One `key=value` of a `--set` argument."""

    path: KeyPath
    value: Any
    text: str  # the `key=value` text, quoted in error messages

    @property
    def key(self) -> str:
        return render_path(self.path)


def typed_value(text: str) -> Any:
    lowered = text.lower()
    if lowered == "true":
        return True
    if lowered == "false":
        return False
    if lowered == "null":
        return None
    if text == "0":
        return 0
    if text and text[0] != "0":
        body = text[1:] if text[0] in "+-" else text
        if body.isdigit() and body.isascii():
            number = int(text)
            if -(2**63) <= number < 2**63:
                return number
    return text


MAX_INDEX = 65536


def parse_set(argument: str) -> list[Assignment]:
    """Split one `--set` argument into typed assignments, or raise `ConfigError`."""
    return _Parser(argument).parse()


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def fail(self, message: str) -> ConfigError:
        return ConfigError(f"invalid --set argument {self.text!r}: {message}", SET_LOCATION)

    def parse(self) -> list[Assignment]:
        out: list[Assignment] = []
        if not self.text.strip():
            raise self.fail("expected key=value")
        while self.pos < len(self.text):
            start = self.pos
            path = self.key()
            value = self.value()
            out.append(Assignment(path, value, self.text[start : self.pos].rstrip(",")))
        return out

    def key(self) -> KeyPath:
        parts: list[str | int] = []
        name = ""
        while True:
            if self.pos >= len(self.text):
                shown = self.text[: self.pos].rsplit(",", 1)[-1]
                raise self.fail(f"key {shown!r} has no value (expected key=value)")
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\" and self.pos < len(self.text):
                name += self.text[self.pos]
                self.pos += 1
            elif char == ",":
                raise self.fail(f"key {name!r} has no value (expected key=value)")
            elif char in ".=":
                if name:
                    parts.append(name)
                elif not parts or not isinstance(parts[-1], int):
                    raise self.fail("empty key segment")
                name = ""
                if char == "=":
                    return tuple(parts)
            elif char == "[":
                if name:
                    parts.append(name)
                    name = ""
                elif not parts:
                    raise self.fail("a list index needs a key before it")
                end = self.text.find("]", self.pos)
                index = self.text[self.pos : end] if end >= 0 else ""
                if not index.isdigit():
                    raise self.fail(f"invalid list index [{index}]")
                if int(index) > MAX_INDEX:  # Helm's limit too; a huge index would fill memory
                    raise self.fail(f"list index [{index}] is larger than {MAX_INDEX}")
                parts.append(int(index))
                self.pos = end + 1
            else:
                name += char

    def value(self) -> Any:
        if self.text.startswith("{", self.pos):
            self.pos += 1
            items: list[Any] = []
            item = ""
            while True:
                if self.pos >= len(self.text):
                    raise self.fail("list value is missing its closing '}'")
                char = self.text[self.pos]
                self.pos += 1
                if char == "\\" and self.pos < len(self.text):
                    item += self.text[self.pos]
                    self.pos += 1
                elif char in ",}":
                    if item or char == ",":
                        items.append(typed_value(item))
                    item = ""
                    if char == "}":
                        break
                else:
                    item += char
            if self.pos < len(self.text):
                if self.text[self.pos] != ",":
                    raise self.fail("expected ',' after a '{...}' list")
                self.pos += 1
            return items
        raw = ""
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\" and self.pos < len(self.text):
                raw += self.text[self.pos]
                self.pos += 1
            elif char == ",":
                break
            else:
                raw += char
        return typed_value(raw)


def set_path(data: dict[str, Any], path: KeyPath, value: Any) -> dict[str, Any]:
    """A copy of `data` with `value` at `path` (`None` deletes it), creating parents."""
    out = copy.deepcopy(data)
    _assign(out, path, value)
    return out


def _assign(container: Any, path: KeyPath, value: Any) -> None:
    head, rest = path[0], path[1:]
    if isinstance(head, int):
        assert isinstance(container, list)
        while len(container) <= head:
            container.append(None)
    else:
        assert isinstance(container, dict)
    if not rest:
        if value is None and isinstance(container, dict):
            container.pop(head, None)
        else:
            container[head] = value
        return
    wanted: type = list if isinstance(rest[0], int) else dict
    current = container.get(head) if isinstance(container, dict) else container[head]
    if not isinstance(current, wanted):
        if value is None:
            return
        current = wanted()
        container[head] = current
    _assign(current, rest, value)
