"""Run the injection over many files or one huge stream, in order, on every core.

Each file goes through three passes: its encoding is checked (`check_encoding`), its
Namespace documents are collected (`scan_documents`), then its documents are cut into
chunks of consecutive documents and each chunk is transformed (`transform_documents`),
in this process (`jobs=1`) or in a pool of worker processes. Chunk outputs are written
to the file's sink in document order, whatever order the workers finish in, so the
output is byte-identical to a sequential run. At most a few chunks are in flight, so
memory stays flat however long the stream is. Workers are forked once the parent has
transformed one document (`_warm_up`), so they inherit what start-up loads instead of
loading it again; each writes its chunk's text to a file the parent reads in order
(`_Outputs`), so no output goes back through the pool's pipe.
"""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import os
import shutil
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from meshinject.errors import MeshInjectError
from meshinject.files.documents import iter_documents
from meshinject.files.encoding import Encoding, check_encoding, encode
from meshinject.files.file_result import FileResult
from meshinject.files.passthrough import copy_passthrough
from meshinject.files.paths import display_path
from meshinject.files.sinks import NullSink, Sink
from meshinject.files.source import BLOCK, Source, changed_underneath
from meshinject.inject.document import InjectionRequest
from meshinject.stream import (
    INTERESTING_KINDS,
    PARSE,
    ChunkResult,
    Operation,
    StreamResult,
    StreamScan,
    finish_stream,
    scan_documents,
    transform_documents,
)
from meshinject.yamltext import RawDocument

if TYPE_CHECKING:
    from concurrent.futures import Future, ProcessPoolExecutor

CHUNK = 256 * 1024  # characters of input per chunk sent to a worker
# Below this much input, `jobs=None` runs in-process: each worker pays its own start and
# the first injections of every shape of workload (inject/document_cache.py), which the
# benchmark stream repays only past ~10 MB (2 cores: -j 2 takes 0.86x the time of -j 1's
# wall at 6.7 MB, 1.1-1.3x faster at 17.5 MB, 1.35x at 35 MB).
AUTO_PARALLEL_BYTES = 12 * 1024 * 1024
IN_FLIGHT_PER_WORKER = 3

DocTuple = tuple[str, int, int, int, int]


@dataclass
class FileJob:
    """One input: where to read it and how to make the sink for its output."""

    path: str
    source: Source
    sink: Callable[[], Sink]
    request: int = 0  # which of the engine's requests (a project's per-path settings)
    # Whether the output of a file that does not change is used (stdout, -o); -i, --diff
    # and --check use only changed outputs, so a file that only passes through is not
    # copied for them.
    unchanged_output: bool = True


@dataclass
class FileDone:
    """A finished file: its result, and its sink (holding the output) unless it failed."""

    result: FileResult
    sink: Sink | None
    encoding: Encoding | None = None
    signature: tuple[int, ...] | None = None  # the input file's, for `-i` (see Source)


@dataclass
class _Task:
    docs: list[DocTuple]
    namespaces: dict[str, Any] | None
    enabled: bool
    failed: frozenset[int]
    parse: bytes  # pass 1's "needs parsing" flags for these documents
    request: int = 0  # which of the engine's requests
    number: int = 0  # the task's number in the run (names the file of its output)


@dataclass
class _FileStart:
    job: FileJob
    encoding: Encoding


@dataclass
class _FileEnd:
    job: FileJob
    scan: StreamScan | None = None
    error: MeshInjectError | None = None
    signature: tuple[int, ...] | None = None


@dataclass
class _Passed:
    """A file that only passes through, already copied to its sink (`copy_passthrough`)."""

    job: FileJob
    sink: Sink
    count: int  # documents
    signature: tuple[int, ...] | None


@dataclass
class _Open:
    job: FileJob
    encoding: Encoding
    sink: Sink
    wrote: bool = False
    chunks: list[ChunkResult] = field(default_factory=list)


def resolve_jobs(jobs: int | None, total_bytes: int) -> int:
    """Worker processes to use: `jobs` if given, else all cores for large inputs only."""
    if jobs is not None:
        return max(1, jobs)
    if total_bytes < AUTO_PARALLEL_BYTES:
        return 1
    return os.cpu_count() or 1


class Engine:
    """Processes `FileJob`s in order; `run` yields a `FileDone` per file, in input order."""

    def __init__(
        self,
        request: InjectionRequest,
        operation: Operation,
        jobs: int = 1,
        *,
        more_requests: Sequence[InjectionRequest] = (),
        counts_only: bool = False,
    ) -> None:
        self.requests = (request, *more_requests)  # FileJob.request indexes these
        self.operation = operation
        self.jobs = max(1, jobs)
        # Keep counts instead of the reports that print no line (the text report): see
        # `StreamResult.count_plain_reports`; done by the workers, before sending results.
        self.counts_only = counts_only

    def run(self, jobs: Iterable[FileJob]) -> Iterator[FileDone]:
        items = self._items(jobs)
        if self.jobs == 1:
            yield from self._consume((item, None) for item in items)
            return
        # The items before the first chunk (the first file's start, files that failed) are
        # held until it comes: the pool starts then, warmed on it (see `_warm_up`).
        held: list[Any] = []
        for item in items:
            if not held and isinstance(item, _Passed | _FileEnd):
                # A file done before any chunk (copied, or failed): nothing to hold it for,
                # and holding every such file of a long run would hold all their outputs.
                yield from self._consume([(item, None)])
                continue
            held.append(item)
            if isinstance(item, _Task):
                break
        else:  # no chunk to transform: no pool
            yield from self._consume((item, None) for item in held)
            return
        with _Outputs() as outputs, self._pool(outputs.folder, held[-1]) as pool:
            try:
                queued = itertools.chain(held, items)
                yield from self._consume(self._submitted(pool, queued), outputs)
            except BaseException:
                _stop(pool)  # interrupted, terminated or failed: no worker outlives the run
                raise

    def _pool(self, folder: str, first: _Task | None = None) -> ProcessPoolExecutor:
        """Workers forked with the request (no copy to make) after a warm-up on the first
        chunk, else sent a pickled copy; they write their chunks' texts into `folder`."""
        # Imported here, not at the top: a `-j 1` run (one small file) never needs them,
        # and they cost more than injecting one workload.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from meshinject.signals import die_with_parent

        if "fork" in multiprocessing.get_all_start_methods():
            import ctypes  # noqa: F401 - die_with_parent's, imported once for every worker

            _init_worker(self.requests, self.operation, folder, self.counts_only)  # inherited
            if first is not None:
                _warm_up(self.requests, self.operation, first)  # so is what it loaded
            fork = multiprocessing.get_context("fork")
            return ProcessPoolExecutor(
                self.jobs, mp_context=fork, initializer=die_with_parent, initargs=(os.getpid(),)
            )
        return ProcessPoolExecutor(
            self.jobs,
            initializer=_init_spawned,
            initargs=(self.requests, self.operation, folder, self.counts_only, os.getpid()),
        )

    def _submitted(
        self, pool: ProcessPoolExecutor, items: Iterator[Any]
    ) -> Iterator[tuple[Any, Future[ChunkResult] | None]]:
        """Submit tasks ahead (bounded), hand back every item in order with its future."""
        window: deque[tuple[Any, Future[ChunkResult] | None]] = deque()
        limit = self.jobs * IN_FLIGHT_PER_WORKER
        in_flight = 0
        for item in items:
            if isinstance(item, _Task):
                window.append((item, pool.submit(_run_chunk, item)))
                in_flight += 1
            else:
                window.append((item, None))
            while window and (window[0][1] is None or window[0][1].done() or in_flight >= limit):
                first = window.popleft()
                if first[1] is not None:
                    in_flight -= 1
                yield first
        while window:
            yield window.popleft()

    def _consume(
        self,
        items: Iterable[tuple[Any, Future[ChunkResult] | None]],
        outputs: _Outputs | None = None,
    ) -> Iterator[FileDone]:
        current: _Open | None = None
        for item, future in items:
            if isinstance(item, _FileStart):
                sink = item.job.sink()
                current = _Open(item.job, item.encoding, sink)
                if item.encoding.bom:
                    sink.write(encode("", bom=True, crlf=False))
            elif isinstance(item, _Task):
                assert current is not None
                chunk = future.result() if future is not None else self._inline(item)
                encoding = current.encoding
                texts = outputs.read(chunk) if outputs is not None else [chunk.text]
                for text in texts:
                    if text:
                        current.sink.write(
                            encode(text, bom=False, crlf=encoding.crlf, cr=encoding.cr)
                        )
                chunk.text = ""
                current.chunks.append(chunk)
            elif isinstance(item, _Passed):
                # What `_finish` makes of a file whose documents all pass through.
                stream = StreamResult(text="", changed=False, passed_through=item.count)
                result = FileResult(item.job.path, stream)
                yield FileDone(result, item.sink, _PLAIN, item.signature)
            else:
                yield self._finish(item, current)
                current = None

    def _finish(self, end: _FileEnd, current: _Open | None) -> FileDone:
        path = end.job.path
        shown = display_path(path)
        if end.error is not None or end.scan is None or current is None:
            if current is not None:
                current.sink.discard()
            error = end.error.located_in(shown) if end.error is not None else None
            return FileDone(FileResult(path, None, error=error), None)
        stream = finish_stream(end.scan, current.chunks)
        stream.located_in(shown)
        result = FileResult(path, stream)
        if stream.errors:
            current.sink.discard()
            return FileDone(result, None, current.encoding)
        return FileDone(result, current.sink, current.encoding, end.signature)

    def _inline(self, task: _Task) -> ChunkResult:
        return _transform(self.requests, self.operation, task, counts_only=self.counts_only)

    def _items(self, jobs: Iterable[FileJob]) -> Iterator[Any]:
        """Per file: start marker, chunk tasks, end marker (pass 0 and 1 happen here); or,
        for a file that only passes through, its copy (`copy_passthrough`)."""
        numbers = itertools.count()
        for job in jobs:
            passed = _passed_through(job)
            if passed is not None:
                yield passed
                continue
            try:
                encoding = check_encoding(job.source)
                request = self.requests[job.request]
                docs = iter_documents(job.source, encoding, runs_outside=INTERESTING_KINDS)
                scan = scan_documents(docs, request)
                job.source.check_unchanged()
            except MeshInjectError as exc:
                job.source.close()
                yield _FileEnd(job, error=exc)
                continue
            namespaces = scan.namespaces if scan.changes_namespaces else None
            enabled = not scan.errors
            failed = scan.failed
            yield _FileStart(job, encoding)
            chunk: list[DocTuple] = []
            size = 0
            parse = scan.parse
            count = 0
            for doc in iter_documents(
                job.source, encoding, runs_outside=INTERESTING_KINDS, known_runs=scan.runs
            ):
                count += doc.count
                if doc.index + doc.count > len(parse):
                    break  # more documents than pass 1 saw: the file changed (below)
                chunk.append((doc.text, doc.index, doc.start_line, doc.start_offset, doc.count))
                size += len(doc.text)
                if size >= CHUNK:
                    flags = bytes(parse[chunk[0][1] : doc.index + doc.count])
                    yield _Task(
                        chunk, namespaces, enabled, failed, flags, job.request, next(numbers)
                    )
                    chunk, size = [], 0
            if chunk:
                flags = bytes(parse[chunk[0][1] : chunk[-1][1] + chunk[-1][4]])
                yield _Task(chunk, namespaces, enabled, failed, flags, job.request, next(numbers))
            try:
                job.source.check_unchanged()
                if count != len(parse):
                    raise changed_underneath(job.source.path)
            except MeshInjectError as exc:
                yield _FileEnd(job, error=exc)
                continue
            finally:
                job.source.close()
            yield _FileEnd(job, scan=scan, signature=job.source.signature)


_PLAIN = Encoding(bom=False, crlf=False)  # what `check_encoding` finds in ASCII without CR


def _passed_through(job: FileJob) -> _Passed | None:
    """The file copied to a new sink, if all its documents pass through (see
    `meshinject.files.passthrough` for why that is what the passes would give); else
    None, and the passes read it from the start (and report any error met here)."""
    sink = job.sink() if job.unchanged_output else NullSink()
    try:
        count = copy_passthrough(job.source, sink, INTERESTING_KINDS)
        if count is not None:
            job.source.check_unchanged()
    except MeshInjectError:
        count = None
    if count is None:
        sink.discard()
        return None
    job.source.close()
    return _Passed(job, sink, count, job.source.signature)


def _transform(
    requests: Sequence[InjectionRequest],
    operation: Operation,
    task: _Task,
    *,
    counts_only: bool = False,
) -> ChunkResult:
    request = requests[task.request]
    if task.namespaces is not None:
        request = request.with_namespaces(task.namespaces)
    docs = [RawDocument(*doc) for doc in task.docs]
    chunk = transform_documents(
        docs,
        request,
        operation=operation,
        enabled=task.enabled,
        failed=task.failed,
        parse=task.parse,
        first_index=docs[0].index if docs else 0,
    )
    if counts_only:
        chunk.count_plain_reports()
    return chunk


# The request a worker process injects with, and the operation: set once per worker.
_WORKER: dict[str, Any] = {}


def _stop(pool: ProcessPoolExecutor) -> None:
    """Cancel what is queued and end the workers now (not after their current chunk).

    A signal can arrive while the pool forks, after a worker started but before the pool
    recorded it: `active_children` also lists that one.
    """
    import multiprocessing

    processes = list((getattr(pool, "_processes", None) or {}).values())
    known = {process.pid for process in processes}
    processes += [p for p in multiprocessing.active_children() if p.pid not in known]
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.terminate()
    for process in processes:
        process.join(5)


def _init_spawned(
    requests: Sequence[InjectionRequest],
    operation: Operation,
    folder: str,
    counts_only: bool,
    parent: int,
) -> None:
    from meshinject.signals import die_with_parent

    die_with_parent(parent)
    _init_worker(requests, operation, folder, counts_only)


def _init_worker(
    requests: Sequence[InjectionRequest], operation: Operation, folder: str, counts_only: bool
) -> None:
    _WORKER["requests"] = requests
    _WORKER["operation"] = operation
    _WORKER["folder"] = folder
    _WORKER["counts_only"] = counts_only


def _run_chunk(task: _Task) -> ChunkResult:
    """In a worker: transform a chunk; its text goes to a file of the run's folder, not
    back through the pipe (see `_Outputs`)."""
    chunk = _transform(
        _WORKER["requests"], _WORKER["operation"], task, counts_only=_WORKER["counts_only"]
    )
    folder = _WORKER["folder"]
    if chunk.text and folder:
        name = os.path.join(folder, str(task.number))  # noqa: PTH118
        try:
            with open(name, "w", encoding="utf-8", errors=_ERRORS, newline="") as out:  # noqa: PTH123
                out.write(chunk.text)
        except OSError:  # a full disk: the text goes back with the result, as it can
            with contextlib.suppress(OSError):
                os.unlink(name)  # noqa: PTH108
            return chunk
        chunk.text, chunk.output = "", name
    return chunk


# Any text the engine produces can be stored, as pickle stored it (lone surrogates too).
_ERRORS = "surrogatepass"


class _Outputs:
    """The folder the workers write their chunks' texts to, one file per chunk, and the
    reading of each (in document order, by `Engine._consume`), then its removal.

    A chunk's text goes through a file rather than back through the pool's pipe: the
    worker writes it once and the parent reads it in blocks into the file's sink, instead
    of the whole text being pickled, sent, received and unpickled as one object. The
    folder and whatever is left in it (chunks of a run that stopped) go when the run ends.
    """

    def __enter__(self) -> _Outputs:
        try:
            self.folder = tempfile.mkdtemp(prefix="meshinject-")
        except OSError:  # no writable temporary folder: texts go back with the results
            self.folder = ""
        return self

    def __exit__(self, *exc: object) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)

    def read(self, chunk: ChunkResult) -> Iterator[str]:
        if not chunk.output:
            yield chunk.text
            return
        try:
            with open(  # noqa: PTH123
                chunk.output, encoding="utf-8", errors=_ERRORS, newline=""
            ) as written:
                while block := written.read(BLOCK):
                    yield block
        finally:
            os.unlink(chunk.output)  # noqa: PTH108


def _warm_up(requests: Sequence[InjectionRequest], operation: Operation, task: _Task) -> None:
    """Transform the first document of `task` that is parsed, here, and drop the result.

    Workers are forked after this: the modules and caches the transformation loads on
    first use (uninjection for re-injection, the splice, the shape caches...) are then
    inherited by every worker instead of loaded by each. Transforming is pure (it reads
    the request and the text, and writes nothing), so this changes no output; that
    document is transformed again, in order, by a worker. An error is left to that worker,
    which meets it again and reports it as a run without this warm-up would.
    """
    from meshinject.inject.render import warm

    warm()  # the compiled templates
    if not task.enabled:
        return  # the file has load errors: nothing is transformed
    first = task.docs[0][1]
    for doc in task.docs:
        if doc[4] == 1 and task.parse[doc[1] - first] == PARSE:
            single = dataclasses.replace(task, docs=[doc], parse=bytes([PARSE]))
            with contextlib.suppress(Exception):
                _transform(requests, operation, single)
            return
