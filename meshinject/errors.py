"""Typed errors with a location, rendered in one place (`MeshInjectError.render`).

Every error meshinject reports about a user's input, configuration or template is one of
these. The core raises them without a file path when it does not know one; the stream
and file layer fills the path in with `located_in` before the CLI prints them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# Characters that must not reach a terminal or a log raw: C0/C1 controls (newlines forge
# log lines and CI workflow commands, ESC drives the terminal), DEL, Unicode line and
# paragraph separators, and the bidirectional controls that reorder displayed text.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escaped(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_controls(text: str) -> str:
    """`text` with control characters written as escapes (`\\n`, `\\x1b`), `repr`-style.

    The one place where text quoting input (values, names, paths) is made safe to print:
    every error renders through it, and so do the warnings and notes the CLI prints.
    """
    return _CONTROL.sub(_escaped, text) if _CONTROL.search(text) else text


@dataclass(frozen=True)
class Location:
    """Where an error is: a path (may be empty), 1-based line and column (0 = unknown)."""

    path: str = ""
    line: int = 0
    column: int = 0

    def render(self) -> str:
        parts = [escape_controls(self.path) or "<input>"]
        if self.line:
            parts.append(str(self.line))
            if self.column:
                parts.append(str(self.column))
        return ":".join(parts)


class MeshInjectError(Exception):
    """Base class: a problem with the user's input, config or templates (never a bug)."""

    kind = "error"

    #: The manifest being injected when the error is about another file (a template, a
    #: config file): its path and the first line of the document.
    while_in: Location | None = None

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()

    def located_in(self, path: str, line_offset: int = 0) -> MeshInjectError:
        """Return the same error with `path` filled in and lines shifted by `line_offset`.

        The stream layer parses one document at a time, so a parser reports lines relative
        to the document; `line_offset` is the document's first line in the file minus one.
        An error already located in another file (a template) keeps its location; the
        manifest and document are kept beside it, in `while_in`.
        """
        loc = self.location
        clone = self.__class__.__new__(self.__class__)
        clone.__dict__.update(self.__dict__)
        Exception.__init__(clone, self.message)
        if loc.path and loc.path != path:
            where = self.while_in or Location()
            if not path:  # the stream layer: the document's first line, no path yet
                clone.while_in = Location(where.path, where.line or line_offset + 1)
            else:
                clone.while_in = Location(where.path or path, where.line)
            return clone
        new_line = loc.line + line_offset if loc.line else 0
        clone.location = replace(loc, path=loc.path or path, line=new_line)
        return clone

    def render(self) -> str:
        """`path:line:col: message`, the one format every error is printed in (plus the
        manifest being injected, when the error is located in a template or config)."""
        text = f"{self.location.render()}: {escape_controls(self.message)}"
        if self.while_in is not None and self.while_in.path:
            text += f" (while injecting {self.while_in.render()})"
        return text

    def __str__(self) -> str:
        return self.render()


class InputError(MeshInjectError):
    """The manifest stream cannot be read as Kubernetes YAML."""


class OutputError(MeshInjectError):
    """An output file (`-o`, or a file rewritten with `-i`) cannot be written."""


class ConfigError(MeshInjectError):
    """A values, mesh-config, IstioOperator, inject-config file or `--set` is invalid.

    `key_path` names the offending key (`global.proxy.resources.limits.cpu`).
    """

    def __init__(self, message: str, location: Location | None = None, key_path: str = "") -> None:
        super().__init__(f"{key_path}: {message}" if key_path else message, location)
        self.key_path = key_path


class TemplateError(MeshInjectError):
    """An injection template failed to parse or render."""


class InjectionError(MeshInjectError):
    """A workload cannot be injected (bad annotation value, unknown template, ...).

    `data_path` names the offending node inside the document (e.g. `("spec", "template",
    "metadata", "annotations", "sidecar.istio.io/proxyCPU")`); the stream layer turns it
    into a line and column.
    """

    def __init__(
        self,
        message: str,
        location: Location | None = None,
        data_path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(message, location)
        self.data_path = data_path
