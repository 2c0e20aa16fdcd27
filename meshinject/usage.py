"""Usage checks made before anything runs: contradictory flags, an output that is a
folder, and a command name where a file was expected. Each failure is a
`click.UsageError` (exit 2) and nothing is read or written."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import click

# Flags of the writing commands, by option name, as the user typed them.
_SHOWN = {
    "in_place": "-i/--in-place",
    "output": "-o/--output",
    "check": "--check",
    "diff": "--diff",
}
# Pairs that cannot go together, and why.
_CONFLICTS = (
    ("in_place", "output", "-i rewrites each input file, -o writes one output file"),
    ("in_place", "check", "--check writes nothing"),
    ("in_place", "diff", "--diff prints the changes instead of writing them"),
    ("check", "output", "--check writes nothing"),
)


def check_write_flags(opts: Mapping[str, Any]) -> None:
    """Refuse contradictory write flags and an `-o` that names a folder."""
    for first, second, why in _CONFLICTS:
        if opts.get(first) and opts.get(second):
            raise click.UsageError(
                f"{_SHOWN[first]} and {_SHOWN[second]} cannot be used together: {why}"
            )
    output = opts.get("output")
    if output and (output.endswith(("/", os.sep)) or Path(output).is_dir()):
        raise click.UsageError(
            f"-o/--output {output!r} is a folder; -o writes the joined output to one file "
            "(to rewrite each file where it is, use -i)"
        )


def looks_like_command(token: str) -> bool:
    """A first argument that is no file, no option and no path-like name is meant as a
    command (`meshinject explian ...`), not as a file to inject."""
    return (
        token != "-"
        and not token.startswith("-")
        and "/" not in token
        and "." not in token
        and not os.path.lexists(token)
    )


def check_paths(paths: Iterable[str], commands: Iterable[str]) -> None:
    """Refuse a missing input named like a command: the command was given too late
    (`meshinject -q uninject -f x`) or misspelt, and injecting would be the wrong action."""
    names = sorted(commands)
    for path in paths:
        if not looks_like_command(path):
            continue
        close = [path] if path in names else difflib.get_close_matches(path, names, n=1)
        if close:
            raise click.UsageError(
                f"{path!r} is not a file or folder. To run the {close[0]!r} command, put it "
                f"first, before any option: meshinject {close[0]} [OPTIONS]"
            )
