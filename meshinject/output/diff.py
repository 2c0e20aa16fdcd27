"""What `--diff` prints for one file: a unified diff from a/PATH to b/PATH."""

from __future__ import annotations

import difflib


def unified_diff(path: str, before: str, after: str) -> str:
    """The unified diff from `before` to `after`, headed `a/PATH` and `b/PATH` (git's style);
    `""` when they are equal.
    """
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )
