"""Which template line wrote a given line of a template's output.

Used only when a rendered template is not valid YAML, to name the template line in the
error. The template is rendered a second time with an invisible marker at the end of every
source line that ends in plain text (outside any tag, not blank, and not trimmed by a `-`
tag end);
the markers left on the failing output line tell which source line wrote it. Markers hold
no newline, so the marked output has the same lines as the real one.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_START, _END = "\ue000", "\ue001"  # private-use: not whitespace, so no `-` trim eats them
_MARKER = re.compile(f"{_START}(\\d+){_END}")


def _tag_state(line: str, inside: str | None, tags: dict[str, str]) -> str | None:
    """The closing delimiter still open at the end of `line` (None when outside tags)."""
    pos = 0
    while pos < len(line):
        if inside is None:
            starts = [(line.find(o, pos), o) for o in tags if line.find(o, pos) >= 0]
            if not starts:
                return None
            index, opener = min(starts)
            inside = tags[opener]
            pos = index + len(opener)
        else:
            index = line.find(inside, pos)
            if index < 0:
                return inside
            pos = index + len(inside)
            inside = None
    return inside


def mark_source(text: str, tags: dict[str, str]) -> str:
    """`text` with a marker (U+E000 n U+E001) at the end of each line n that ends outside tags.

    `tags` maps each opening delimiter to its closing one (`{{` -> `}}` ...).
    """
    out: list[str] = []
    inside: str | None = None
    for number, line in enumerate(text.split("\n"), start=1):
        inside = _tag_state(line, inside, tags)
        trimmed = line.rstrip().endswith(tuple(f"-{close}" for close in tags.values()))
        marked = inside is None and not trimmed and line.strip()
        out.append(f"{line}{_START}{number}{_END}" if marked else line)
    return "\n".join(out)


def source_line(marked_output: str, output_line: int) -> int | None:
    """The template line that wrote `output_line` (1-based) of a marked rendering."""
    lines = marked_output.split("\n")
    for line in lines[max(output_line - 1, 0) :]:
        found = _MARKER.search(line)
        if found:
            return int(found.group(1))
    return None


def locate(render_marked: Callable[[], str], output_line: int) -> int | None:
    """Render with markers (via `render_marked`) and find the line; None if that fails."""
    try:
        return source_line(render_marked(), output_line)
    except Exception:  # only a hint for an error message that is being raised anyway
        return None


JINJA_TAGS = {"{{": "}}", "{%": "%}", "{#": "#}"}
GO_TAGS = {"{{": "}}"}
