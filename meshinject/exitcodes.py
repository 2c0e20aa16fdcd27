"""Exit codes: the one table every command and the report pick from.

0    success: everything was injected, skipped or passed through as asked
1    --check: some file would change (nothing was written)
2    usage error: bad flags or arguments (Click's convention)
123  some file or workload could not be processed (the others still were), or an
     internal error (reported as one line asking for a bug report)
130  interrupted (Ctrl-C): files already rewritten stay rewritten, the rest are unchanged
"""

from __future__ import annotations

from enum import IntEnum


class Exit(IntEnum):
    """Every exit code meshinject ends with (see the table above); `int(Exit.X)` is the code."""

    OK = 0
    WOULD_CHANGE = 1
    USAGE = 2
    FAILED = 123
    INTERRUPTED = 130  # 128 + SIGINT, the shell's convention


#: What `--help` says of each exit code a user acts on.
MEANINGS = {
    Exit.OK: "success",
    Exit.WOULD_CHANGE: "--check found files that would change",
    Exit.USAGE: "usage error",
    Exit.FAILED: "some file could not be processed",
}
HELP = "Exit codes: " + "; ".join(f"{int(code)} {text}" for code, text in MEANINGS.items()) + "."
