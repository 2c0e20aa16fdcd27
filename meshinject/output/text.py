"""The text report for people, on stderr: errors, warnings, skips and the summary."""

from __future__ import annotations

import os
import re
import sys
from typing import Any

from meshinject.errors import MeshInjectError
from meshinject.report import Report


def console() -> Any:
    """The stderr console every message for people goes to (no colour with NO_COLOR).

    rich is imported when the first message is written: a quiet run that writes none
    (a pre-commit hook on a file already injected) does not pay for it.
    """
    return LazyConsole()


# Text rich prints exactly as it is, followed by a newline, with this console's settings
# (soft wrap, no highlighting): printable ASCII (no control character rich would strip, no
# tab it would expand, no wide character) without `[` (markup) or `:` (emoji codes such as
# `:smile:`). Nothing else in rich's rendering of unstyled text changes a character.
_PLAIN = re.compile(r"[\x20-\x39\x3b-\x5a\x5c-\x7e]*")  # ':' is 0x3a, '[' is 0x5b


def is_plain(text: str) -> bool:
    """True when rich would print `text` unchanged (see `_PLAIN`)."""
    return _PLAIN.fullmatch(text) is not None


class LazyConsole:
    """A rich Console on stderr, made on first use (`real` is the Console itself).

    A plain line (`is_plain`: the summary line of most runs) is written to stderr directly,
    as rich would write it: importing rich and building its Console costs more than
    injecting one workload.
    """

    def __init__(self) -> None:
        self._real: Any = None

    @property
    def file(self) -> Any:
        """Where the messages go (rich's Console(stderr=True) writes to the current
        sys.stderr too)."""
        return self._real.file if self._real is not None else sys.stderr

    def print(self, *objects: Any, **options: Any) -> None:
        if (
            self._real is None
            and not options
            and len(objects) == 1
            and isinstance(objects[0], str)
            and is_plain(objects[0])
        ):
            stream = sys.stderr
            stream.write(objects[0] + "\n")
            stream.flush()
            return
        self.real.print(*objects, **options)

    @property
    def real(self) -> Any:
        if self._real is None:
            from rich.console import Console

            self._real = Console(
                stderr=True,
                no_color=bool(os.environ.get("NO_COLOR")),
                highlight=False,
                soft_wrap=True,
            )
        return self._real

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def escape(text: str) -> str:
    """Text quoting input, safe for the console: control characters escaped, then markup."""
    from meshinject.errors import escape_controls

    text = escape_controls(text)
    if "[" not in text and not text.endswith("\\"):
        return text  # what rich's escape returns for it (it changes `[` and a last `\\`)
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def print_error(console: Any, error: MeshInjectError) -> None:
    """One error as `error: path:line:col: message` (control characters escaped)."""
    console.print(f"[red]error[/red]: {escape(error.render())}")


def print_report(console: Any, report: Report, *, quiet: bool) -> None:
    """Every error, skip, warning and removed sidecar of the run, then the summary (stderr);
    with `quiet`, the errors only.
    """
    for result in report.files:
        for error in result.errors:
            print_error(console, error)
        if result.skipped and not quiet:
            console.print(f"skipped {escape(result.path)}: {escape(result.skipped)}")
        if result.stream is None or quiet:
            continue
        for w in result.stream.workloads:
            where = f"{result.path}: {w.kind} {w.namespace}/{w.name}"
            for warning in w.warnings:
                console.print(f"[yellow]warning[/yellow]: {escape(where)}: {escape(warning)}")
            if w.outcome == "skipped":
                console.print(f"skipped {escape(where)}: {escape(w.reason)}")
            elif w.outcome == "removed":
                verb = "would remove" if report.check or report.preview else "removed"
                console.print(f"{verb} the sidecar of {escape(where)}: {escape(w.reason)}")
    if not quiet:
        from meshinject.output.progress import print_summary

        print_summary(console, report)
