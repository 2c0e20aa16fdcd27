"""Replacing a file atomically: a crash, a kill or Ctrl-C leaves the old or the new file.

The new text goes to a temporary file in the same folder (unnamed where the system
allows), is flushed to disk, gets the original's mode (and, for `-i`, its owner), and is
renamed over the target with `os.replace`.
"""

from __future__ import annotations

import contextlib
import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from meshinject.errors import Location, OutputError
from meshinject.files.source import changed_underneath, file_signature


def write_atomic(
    path: str,
    data: str | Iterable[str | bytes],
    *,
    in_place: bool = False,
    expect: tuple[int, ...] | None = None,
) -> None:
    """Replace `path` with `data` atomically, keeping its permission bits.

    The new text goes to a temporary file next to the target, is flushed to disk and then
    renamed over it, so a crash or a kill leaves either the old or the new file, never a
    mix. A symlink is written through (the link stays a link). Something that is not a
    regular file, such as `/dev/stdout` or a pipe, is written to directly. Failures are an
    `OutputError` naming the path. `data` may be text or pieces of text (a spooled output).

    `in_place` (`-i`): only an existing regular file the user may write is replaced, and
    the replacement keeps its owner and group as well as its mode; with `expect` (the
    signature of the version that was read, see `Source`) a file changed since is left
    alone (InputError).
    """
    try:
        _write_atomic(path, data, in_place=in_place, expect=expect)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise OutputError(f"cannot write file: {reason}", Location(path)) from None


def _write_atomic(
    path: str,
    data: str | Iterable[str | bytes],
    *,
    in_place: bool = False,
    expect: tuple[int, ...] | None = None,
) -> None:
    try:
        info: os.stat_result | None = Path(path).stat()
    except FileNotFoundError:
        info = None
    mode = None if info is None else info.st_mode
    if in_place:
        _check_rewritable(path, info)
    if mode is not None and not stat.S_ISREG(mode):
        with Path(path).open("wb") as handle:
            _write_all(handle, data)
        return
    target = Path(os.path.realpath(path))
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    with _interrupts_deferred():
        fd, tmp = _temporary(target)
        try:
            with os.fdopen(fd, "wb") as handle:
                _write_all(handle, data)
                handle.flush()
                os.fsync(handle.fileno())
                if tmp is None:  # unnamed until now: a kill before this leaves nothing
                    tmp = _name_temporary(handle.fileno(), target)
            Path(tmp).chmod(stat.S_IMODE(mode))
            if info is not None and in_place:
                _keep_owner(tmp, info)
            if expect is not None and file_signature(Path(path).stat()) != expect:
                raise changed_underneath(path)
            Path(tmp).replace(target)
        except BaseException:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            raise


def _temporary(target: Path) -> tuple[int, str | None]:
    """A new file in the target's folder: unnamed (O_TMPFILE) where the system allows, so
    that even SIGKILL or a power cut mid-write leaves no file behind; else a hidden name."""
    flag = getattr(os, "O_TMPFILE", 0)
    if flag and Path("/proc/self/fd").is_dir():
        with contextlib.suppress(OSError):
            fd = os.open(target.parent, flag | os.O_WRONLY, 0o600)
            if _can_name(fd, target):
                return fd, None
            os.close(fd)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".meshinject", dir=target.parent)
    return fd, tmp


# Per file system: can an unnamed file be given a name (some, such as overlayfs, refuse)?
_NAMEABLE: dict[int, bool] = {}


def _can_name(fd: int, target: Path) -> bool:
    device = os.fstat(fd).st_dev
    if device not in _NAMEABLE:
        probe = os.open(target.parent, os.O_TMPFILE | os.O_WRONLY, 0o600)
        try:
            name = _name_temporary(probe, target)
            Path(name).unlink()
            _NAMEABLE[device] = True
        except OSError:
            _NAMEABLE[device] = False
        finally:
            os.close(probe)
    return _NAMEABLE[device]


def _name_temporary(fd: int, target: Path) -> str:
    # linkat(AT_SYMLINK_FOLLOW) on /proc/self/fd/N; a `src_dir_fd` makes Python use linkat
    # (a plain `os.link` calls link(), which would link the /proc symlink itself).
    proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
    try:
        for _ in range(100):
            tmp = str(target.parent / f".{target.name}.{os.urandom(4).hex()}.meshinject")
            try:
                os.link(str(fd), tmp, src_dir_fd=proc, follow_symlinks=True)
            except FileExistsError:
                continue
            return tmp
    finally:
        os.close(proc)
    raise FileExistsError(f"no free temporary name next to {target.name}")


def _check_rewritable(path: str, info: os.stat_result | None) -> None:
    if info is None or not stat.S_ISREG(info.st_mode):
        raise OutputError("not a regular file; -i rewrites only regular files", Location(path))
    if not info.st_mode & 0o222 or not os.access(path, os.W_OK):
        raise OutputError(
            "the file is read-only (no write permission); not rewritten", Location(path)
        )


def _keep_owner(tmp: str, info: os.stat_result) -> None:
    """Give the replacement the original's owner and group (as `sed -i` does), or the group
    at least when only root may change owners; left as it is when neither is allowed."""
    if (info.st_uid, info.st_gid) == (os.geteuid(), os.getegid()):
        return
    for uid in (info.st_uid, -1):
        try:
            os.chown(tmp, uid, info.st_gid)
            return
        except PermissionError:
            continue


@contextlib.contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM until the block is done (POSIX, main thread).

    A KeyboardInterrupt between creating the temporary file and the `try` that removes it
    would strand it. While the block runs, the signals are only recorded (by a handler:
    blocking them in this thread alone would let the kernel hand them to another thread,
    such as a process pool's, where the default action ends the process mid-write); the
    first one is raised again right after, when the file is either replaced or untouched
    and the temporary file is gone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: object) -> None:
        pending.append(signum)

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, hold) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, signal.SIG_DFL if handler is None else handler)
        if pending:
            signal.raise_signal(pending[0])


def _write_all(handle: BinaryIO, data: str | Iterable[str | bytes]) -> None:
    """Text as UTF-8 (what a text handle with newline="" writes), bytes as they are."""
    if isinstance(data, str):
        handle.write(data.encode("utf-8"))
        return
    for piece in data:
        handle.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
