"""Standard output: several files' outputs joined into one YAML stream, written in full."""

from __future__ import annotations

import os
import re
import sys

from meshinject.errors import Location, OutputError
from meshinject.files.encoding import BOM

HEAD = 256  # characters kept of each output's start and end, to join outputs
_MARKER_LINE = re.compile(r"(?:---|\.\.\.)(?:[ \t][^\n]*)?\Z")


def joint(previous_end: str, next_start: str) -> str:
    """What goes between two files' outputs joined into one stream.

    One document boundary, never an empty document: nothing when the next output starts
    with its own `---` line (after comments) or the previous one ends with a bare `---`
    line; `...` before a next output that starts with directives (`%YAML`), which may
    only follow a document end; else `---`. A missing final newline is supplied first.
    """
    text = "" if previous_end.endswith("\n") or not previous_end else "\n"
    lines = (previous_end + text).split("\n")
    last_line = lines[-2] if len(lines) >= 2 else ""
    first = ""
    for line in next_start.removeprefix(BOM).split("\n"):
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            first = line
            break
    if first.startswith("%"):
        return text + ("" if last_line.startswith("...") else "...\n")
    if _MARKER_LINE.match(first) and first.startswith("---"):
        return text
    if last_line.rstrip() == "---":
        return text
    return text + "---\n"


def write_stdout(text: str | bytes) -> None:
    """Write all of `text` (or its UTF-8 bytes) to standard output, or raise OutputError
    (a full disk, EIO).

    Straight to the file descriptor, retrying partial writes: a buffered text stream
    may write only part of a large block and say nothing. A closed pipe (`| head`) stays
    a BrokenPipeError, which ends the run quietly.
    """
    stream = sys.stdout
    try:
        fd = stream.fileno()
    except (AttributeError, OSError, ValueError):  # not a real file (a test runner's capture)
        fd = -1
    try:
        stream.flush()
        if fd < 0:
            stream.write(text if isinstance(text, str) else text.decode("utf-8"))
            return
        data = memoryview(text.encode("utf-8") if isinstance(text, str) else text)
        while data:
            try:
                written = os.write(fd, data)
            except InterruptedError:
                continue
            data = data[written:]
    except BrokenPipeError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write: {reason}", Location("<stdout>")) from None
