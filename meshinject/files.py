"""Files and streams at the edge: bytes in, bytes out, atomically and only when changed.

This is the one layer that touches the file system. It keeps each file's encoding details
(BOM, CRLF line endings, final newline) and never leaves a half-written file: in-place
writes go to a temporary file in the same folder, keep the mode, and `os.replace` it.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import BinaryIO, TextIO

from meshinject.errors import InputError, Location, MeshInjectError, OutputError
from meshinject.stream import StreamResult
from meshinject.yamltext import RawDocument, split_stream
from meshinject.yamltext.split import _START

BOM = "\ufeff"


class WriteBack(Enum):
    STDOUT = "stdout"
    IN_PLACE = "in-place"
    CHECK = "check"
    DIFF = "diff"

    @classmethod
    def from_flags(cls, *, in_place: bool, check: bool, diff: bool) -> WriteBack:
        """`--check --diff` prints the diff (and `--check` still sets the exit code)."""
        if diff:
            return cls.DIFF
        if check:
            return cls.CHECK
        return cls.IN_PLACE if in_place else cls.STDOUT


@dataclass
class FileResult:
    path: str
    stream: StreamResult | None
    output: str = ""
    error: MeshInjectError | None = None
    skipped: str = ""  # why the whole file was left alone (a kustomize patch)

    @property
    def changed(self) -> bool:
        return self.stream is not None and self.stream.changed

    @property
    def errors(self) -> list[MeshInjectError]:
        if self.error is not None:
            return [self.error]
        return list(self.stream.errors) if self.stream else []


def decode(data: bytes, path: str) -> tuple[str, bool, bool]:
    """Text with LF line ends, whether it had a BOM, whether it used CRLF."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError(
            f"not valid UTF-8 (byte 0x{data[exc.start]:02x}); Kubernetes manifests must be UTF-8",
            Location(path, line, column),
        ) from None
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    crlf = "\r\n" in text and text.count("\n") == text.count("\r\n")
    if crlf:
        text = text.replace("\r\n", "\n")
    return text, bom, crlf


def encode(text: str, *, bom: bool, crlf: bool) -> str:
    if crlf:
        text = text.replace("\n", "\r\n")
    return (BOM + text) if bom else text


def iter_paths(paths: list[str]) -> Iterator[str]:
    """Expand folders into their `*.yaml`/`*.yml` files (sorted); `-` is standard input."""
    for path in paths:
        if path != "-" and Path(path).is_dir():
            found: list[str] = []
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs.sort()
                found.extend(str(Path(root, f)) for f in files if f.endswith((".yaml", ".yml")))
            yield from sorted(found)
        else:
            yield path


def check_inside_named(path: str, named: list[str]) -> None:
    """OutputError if `path`, found in a named folder, resolves outside that folder.

    `-i k8s/` must not rewrite a file elsewhere through a symbolic link committed into the
    tree (folder links are not followed by the walk either). A file named on the command
    line itself is the user's choice and is written through.
    """
    if path in named:
        return
    norm = os.path.normpath(Path(path).absolute())
    for folder in named:
        if folder == "-" or not Path(folder).is_dir():
            continue
        base = os.path.normpath(Path(folder).absolute())
        if os.path.commonpath([norm, base]) != base:
            continue  # not found in this folder
        root = os.path.realpath(folder)
        if os.path.commonpath([os.path.realpath(path), root]) != root:
            raise OutputError(
                f"a symbolic link to a file outside {folder}; -i does not rewrite it",
                Location(path),
            )


def display_path(path: str) -> str:
    """How a path is named in messages (`-` is standard input)."""
    return "<stdin>" if path == "-" else path


def read_input(path: str, stdin: bytes | None = None) -> bytes:
    if path == "-":
        return stdin if stdin is not None else b""
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror}", Location(path)) from None


def write_atomic(
    path: str,
    data: str | Iterable[str],
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
    data: str | Iterable[str],
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
        with Path(path).open("w", encoding="utf-8", newline="") as handle:
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
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
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


def _write_all(handle: TextIO, data: str | Iterable[str]) -> None:
    if isinstance(data, str):
        handle.write(data)
        return
    for piece in data:
        handle.write(piece)


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


def write_stdout(text: str) -> None:
    """Write all of `text` to standard output, or raise OutputError (a full disk, EIO).

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
            stream.write(text)
            return
        data = memoryview(text.encode("utf-8"))
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


def unified_diff(path: str, before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path}",
            tofile=f"b/{path}",
        )
    )


# --- Streaming: files of any size in bounded memory -------------------------------------

BLOCK = 1 << 20  # bytes read at a time
PIECE = 1 << 20  # characters of text split at once (cut at a `---` line)
SPOOL_IN_MEMORY = 1 << 20  # a file's output stays in memory up to this, then goes to disk


@dataclass(frozen=True)
class Encoding:
    bom: bool
    crlf: bool


class Source:
    """A file's bytes, read once and readable again: each pass re-reads the same open file.

    A regular file is opened once (on first use) and every pass seeks back in that one
    handle, so a file replaced meanwhile (an editor's save, `git checkout`, another `-i`)
    is still read as the version that was opened; `check_unchanged` then tells whether the
    file changed, so nothing is written from a version that is gone. Anything else (a pipe,
    a FIFO, `/dev/stdin`, `<(...)`) can be read only once: it is copied to an unnamed
    temporary file on first use.
    """

    def __init__(self, path: str, handle: BinaryIO | None = None) -> None:
        self.path = path
        self._handle = handle
        self.signature: tuple[int, ...] | None = None  # of the regular file that was opened

    @classmethod
    def stdin(cls, stream: BinaryIO) -> Source:
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
        shutil.copyfileobj(stream, spool)
        return cls("-", spool)

    @classmethod
    def from_bytes(cls, path: str, data: bytes) -> Source:
        return cls(path, io.BytesIO(data))

    def _open(self) -> BinaryIO:
        if self._handle is not None:
            return self._handle
        try:
            handle = Path(self.path).open("rb")  # noqa: SIM115 - closed by `close`
            info = os.fstat(handle.fileno())
            if self.signature is not None and file_signature(info) != self.signature:
                handle.close()  # reopened after `release`, and it is another version
                raise changed_underneath(self.path)
            if not stat.S_ISREG(info.st_mode):
                spool = tempfile.TemporaryFile()  # noqa: SIM115 - closed by `close`
                with handle:
                    shutil.copyfileobj(handle, spool)
                self._handle = spool
                return spool
        except OSError as exc:
            raise InputError(f"cannot read file: {exc.strerror}", Location(self.path)) from None
        self._handle = handle
        self.signature = file_signature(info)
        return handle

    def blocks(self) -> Iterator[bytes]:
        """The bytes in blocks that end at a line end (or at the end of the file)."""
        handle = self._open()
        handle.seek(0)
        yield from _line_blocks(handle)

    def check_unchanged(self) -> None:
        """InputError if the file opened was modified, or its path now names another file."""
        if self.signature is None or self._handle is None:
            return
        try:
            now = file_signature(os.fstat(self._handle.fileno()))
            named = file_signature(Path(self.path).stat())
        except (OSError, ValueError):
            now = named = ()
        if now != self.signature or named != self.signature:
            raise changed_underneath(self.path)

    def release(self) -> None:
        """Close a regular file between passes (a run may hold thousands); the next pass
        reopens it and fails if it is no longer the version read so far."""
        if self.signature is not None and self._handle is not None:
            self._handle.close()
            self._handle = None

    def size(self) -> int:
        if self._handle is not None:
            return self._handle.seek(0, io.SEEK_END)
        try:
            return Path(self.path).stat().st_size
        except OSError:
            return 0

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()


def file_signature(info: os.stat_result) -> tuple[int, ...]:
    """What identifies one version of a file: device, inode, size, change times."""
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)


def changed_underneath(path: str) -> InputError:
    return InputError(
        "the file changed while it was being read; nothing was written for it (run again)",
        Location(path),
    )


def _line_blocks(handle: BinaryIO) -> Iterator[bytes]:
    rest = b""
    while True:
        block = handle.read(BLOCK)
        if not block:
            if rest:
                yield rest
            return
        block = rest + block
        cut = block.rfind(b"\n") + 1
        if cut == 0:
            rest = block
            continue
        rest = block[cut:]
        yield block[:cut]


def check_encoding(source: Source) -> Encoding:
    """Pass 0: UTF-8 validity (located error), BOM, and whether every line ends in CRLF."""
    line = 1
    lf = crlf = 0
    bom = False
    first = True
    for block in source.blocks():
        try:
            block.decode("utf-8")
        except UnicodeDecodeError as exc:
            column = exc.start - (block.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError(
                f"not valid UTF-8 (byte 0x{block[exc.start]:02x}); "
                "Kubernetes manifests must be UTF-8",
                Location(source.path, line + block.count(b"\n", 0, exc.start), column),
            ) from None
        if first:
            bom = block.startswith(BOM.encode("utf-8"))
            first = False
        line += block.count(b"\n")
        lf += block.count(b"\n")
        crlf += block.count(b"\r\n")
    return Encoding(bom=bom, crlf=crlf > 0 and lf == crlf)


def iter_documents(source: Source, encoding: Encoding) -> Iterator[RawDocument]:
    """The documents of `source`, as `split_stream` of its decoded text would give them.

    Text is split a piece at a time, each piece ending right before a `---` line, so
    memory does not grow with the file. Streams with directives (`%YAML`) or `...` end
    markers are split whole, since a cut there could move.
    """
    buf = ""
    index = offset = 0
    line = 1
    first = True
    for block in source.blocks():
        text = block.decode("utf-8")
        if first:
            first = False
            if encoding.bom and text.startswith(BOM):
                text = text[1:]
        if encoding.crlf:
            text = text.replace("\r\n", "\n")
        buf += text
        if len(buf) < PIECE or _exotic(buf):
            continue
        cut = _last_cut(buf)
        if cut <= 0:
            continue
        piece, buf = buf[:cut], buf[cut:]
        for doc in split_stream(piece):
            yield RawDocument(doc.text, index, line, offset)
            index += 1
            line += doc.text.count("\n")
            offset += len(doc.text)
    for doc in split_stream(buf):
        yield RawDocument(doc.text, index, line, offset)
        index += 1
        line += doc.text.count("\n")
        offset += len(doc.text)


def _exotic(text: str) -> bool:
    return text.startswith(("%", "...")) or "\n%" in text or "\n..." in text


def _last_cut(text: str) -> int:
    """Offset of the last `---` document marker line in `text` (0 if none)."""
    pos = len(text)
    while True:
        pos = text.rfind("\n---", 0, pos)
        if pos < 0:
            return 0
        if _START.match(text, pos):
            return pos + 1


class Sink:
    """Where one file's output goes while it is produced (dropped if the file fails)."""

    def write(self, text: str) -> None:
        raise NotImplementedError

    def discard(self) -> None:
        """The file failed: drop everything written."""


class NullSink(Sink):
    def write(self, text: str) -> None:
        pass


class TextSink(Sink):
    """Output kept in memory as text (`meshinject.api`: one text in, one text out)."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def write(self, text: str) -> None:
        self._parts.append(text)

    def text(self) -> str:
        return "".join(self._parts)

    def discard(self) -> None:
        self._parts.clear()


class SpoolSink(Sink):
    """Output kept in memory up to `SPOOL_IN_MEMORY`, then in an unnamed temporary file."""

    def __init__(self) -> None:
        self._spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - closed by discard/copy
            max_size=SPOOL_IN_MEMORY, mode="w+", encoding="utf-8", newline=""
        )
        self.first = ""
        self.last = ""  # the last characters written (up to TAIL)

    TAIL = 64

    def write(self, text: str) -> None:
        if not text:
            return
        if len(self.first) < HEAD:
            self.first = (self.first + text)[:HEAD]
        self.last = (self.last + text)[-HEAD:]
        self._spool.write(text)

    def iter_text(self) -> Iterator[str]:
        """The output in blocks (once: the spool is closed after)."""
        self._spool.seek(0)
        while block := self._spool.read(BLOCK):
            yield block
        self._spool.close()

    def text(self) -> str:
        self._spool.seek(0)
        text = self._spool.read()
        self._spool.close()
        return text

    def discard(self) -> None:
        self._spool.close()
