"""Run the injection over many files or one huge stream, in order, on every core.

Each file goes through three passes: its encoding is checked (`check_encoding`), its
Namespace documents are collected (`scan_documents`), then its documents are cut into
chunks of consecutive documents and each chunk is transformed (`transform_documents`),
in this process (`jobs=1`) or in a pool of worker processes. Chunk outputs are written
to the file's sink in document order, whatever order the workers finish in, so the
output is byte-identical to a sequential run. At most a few chunks are in flight, so
memory stays flat however long the stream is.
"""

from __future__ import annotations

import os
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
from meshinject.files.sinks import Sink
from meshinject.files.source import Source, changed_underneath
from meshinject.inject.document import InjectionRequest
from meshinject.stream import (
    INTERESTING_KINDS,
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
AUTO_PARALLEL_BYTES = 2 * 1024 * 1024  # below this much input, `jobs=None` runs in-process
IN_FLIGHT_PER_WORKER = 3

DocTuple = tuple[str, int, int, int, int]


@dataclass
class FileJob:
    """One input: where to read it and how to make the sink for its output."""

    path: str
    source: Source
    sink: Callable[[], Sink]
    request: int = 0  # which of the engine's requests (a project's per-path settings)


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
    ) -> None:
        self.requests = (request, *more_requests)  # FileJob.request indexes these
        self.operation = operation
        self.jobs = max(1, jobs)

    def run(self, jobs: Iterable[FileJob]) -> Iterator[FileDone]:
        items = self._items(jobs)
        if self.jobs == 1:
            yield from self._consume((item, None) for item in items)
            return
        with self._pool() as pool:
            try:
                yield from self._consume(self._submitted(pool, items))
            except BaseException:
                _stop(pool)  # interrupted, terminated or failed: no worker outlives the run
                raise

    def _pool(self) -> ProcessPoolExecutor:
        """Workers forked with the request (no copy to make), else sent a pickled copy."""
        # Imported here, not at the top: a `-j 1` run (one small file) never needs them,
        # and they cost more than injecting one workload.
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from meshinject.signals import die_with_parent

        if "fork" in multiprocessing.get_all_start_methods():
            from meshinject.inject.render import warm

            _init_worker(self.requests, self.operation)  # inherited by the forked workers
            warm()  # so are the compiled templates
            fork = multiprocessing.get_context("fork")
            return ProcessPoolExecutor(
                self.jobs, mp_context=fork, initializer=die_with_parent, initargs=(os.getpid(),)
            )
        return ProcessPoolExecutor(
            self.jobs,
            initializer=_init_spawned,
            initargs=(self.requests, self.operation, os.getpid()),
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
        self, items: Iterable[tuple[Any, Future[ChunkResult] | None]]
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
                if chunk.text:
                    encoding = current.encoding
                    text = encode(chunk.text, bom=False, crlf=encoding.crlf, cr=encoding.cr)
                    current.sink.write(text)
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
        return _transform(self.requests, self.operation, task)

    def _items(self, jobs: Iterable[FileJob]) -> Iterator[Any]:
        """Per file: start marker, chunk tasks, end marker (pass 0 and 1 happen here); or,
        for a file that only passes through, its copy (`copy_passthrough`)."""
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
                    yield _Task(chunk, namespaces, enabled, failed, flags, job.request)
                    chunk, size = [], 0
            if chunk:
                flags = bytes(parse[chunk[0][1] : chunk[-1][1] + chunk[-1][4]])
                yield _Task(chunk, namespaces, enabled, failed, flags, job.request)
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
    sink = job.sink()
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
    requests: Sequence[InjectionRequest], operation: Operation, task: _Task
) -> ChunkResult:
    request = requests[task.request]
    if task.namespaces is not None:
        request = request.with_namespaces(task.namespaces)
    docs = [RawDocument(*doc) for doc in task.docs]
    return transform_documents(
        docs,
        request,
        operation=operation,
        enabled=task.enabled,
        failed=task.failed,
        parse=task.parse,
        first_index=docs[0].index if docs else 0,
    )


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


def _init_spawned(requests: Sequence[InjectionRequest], operation: Operation, parent: int) -> None:
    from meshinject.signals import die_with_parent

    die_with_parent(parent)
    _init_worker(requests, operation)


def _init_worker(requests: Sequence[InjectionRequest], operation: Operation) -> None:
    _WORKER["requests"] = requests
    _WORKER["operation"] = operation


def _run_chunk(task: _Task) -> ChunkResult:
    return _transform(_WORKER["requests"], _WORKER["operation"], task)
