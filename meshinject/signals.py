"""SIGTERM as an exception, so a terminated run cleans up like an interrupted one.

CI cancellation, `timeout` and `docker stop` send SIGTERM. Its default action ends the
process at once, in whichever thread the kernel picks: in the middle of an in-place
write (a temporary file left behind) or with pool workers still running (orphaned, and
holding the caller's stdout). As an exception in the main thread it unwinds instead:
writes finish or are undone (`files.atomic._interrupts_deferred`), workers are stopped
(`parallel.Engine`), and the exit code is 143 (128 + SIGTERM), the shell convention.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator
from typing import Any

EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(BaseException):
    """The process received SIGTERM."""


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated


@contextlib.contextmanager
def sigterm_raises() -> Iterator[None]:
    """Within the block (main thread only), SIGTERM raises `Terminated`."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.getsignal(signal.SIGTERM)
    if previous not in (signal.SIG_DFL, None):
        yield  # someone (an embedding program) handles SIGTERM already
        return
    signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def die_with_parent(parent: int | None = None) -> None:
    """In a worker process: be killed when the parent process dies (Linux), even by SIGKILL,
    and leave Ctrl-C and SIGTERM to the parent, which stops the workers itself.

    `parent` is the pid of the process that started the worker. The death signal only
    covers a parent that dies after it is armed; a parent that died between the fork and
    this call (SIGKILL or SIGTERM while starting the pool) has already re-parented the
    worker, which would then wait on the task queue forever: it exits instead.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    with contextlib.suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        libc.prctl(pr_set_pdeathsig, signal.SIGKILL)
    if parent is not None and os.getppid() != parent:
        os._exit(1)
