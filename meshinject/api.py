"""meshinject as a library: one pipeline, entered with text, bytes or files.

Like isort's `sort_code_string` over `sort_stream`, `inject_text` and `inject_bytes` run
the very engine the CLI runs on files (`meshinject.parallel.Engine`, in this process),
over one in-memory text: the kustomize plugin, the tests and the fuzzers all inject
exactly as `meshinject inject` does. Nothing here prints, exits or touches files.

    >>> from meshinject.api import RunOptions, build_request, inject_text
    >>> request = build_request(RunOptions(revision="canary"))
    >>> result = inject_text(manifest, request)   # result.text, result.workloads, result.errors
"""

from __future__ import annotations

from meshinject.files.file_result import FileResult
from meshinject.files.sinks import TextSink
from meshinject.files.source import Source
from meshinject.inject.document import InjectionRequest, WorkloadReport
from meshinject.options import RunOptions
from meshinject.parallel import Engine, FileJob
from meshinject.request import build_request
from meshinject.stream import Operation, StreamResult

__all__ = [
    "FileResult",
    "InjectionRequest",
    "RunOptions",
    "StreamResult",
    "WorkloadReport",
    "build_request",
    "inject_bytes",
    "inject_text",
]


def inject_bytes(
    data: bytes, path: str, request: InjectionRequest, *, operation: Operation = "inject"
) -> FileResult:
    """Inject (or uninject) the bytes of a file named `path`, as the CLI would.

    The encoding is kept (BOM, CRLF); errors are collected, located in `path`, never
    raised. `result.output` is the new text when nothing failed, else empty.
    """
    sink = TextSink()
    job = FileJob(path, Source.from_bytes(path, data), lambda: sink)
    (done,) = Engine(request, operation, jobs=1).run([job])
    if done.sink is not None:
        done.result.output = sink.text()
    return done.result


def inject_text(
    text: str, request: InjectionRequest, *, operation: Operation = "inject"
) -> StreamResult:
    """Inject (or uninject) a YAML stream: the pure core, like black's `format_str`.

    `result.text` is the new stream (the input unchanged if anything failed),
    `result.workloads` what happened to each workload, `result.errors` every error
    (a failed workload's report carries its own, see `StreamResult.errors_outside_workloads`).
    """
    result = inject_bytes(
        text.encode("utf-8", errors="surrogatepass"), "", request, operation=operation
    )
    stream = result.stream or StreamResult(text="", changed=False)
    if result.error is not None:
        stream.errors = [result.error]
    stream.text = result.output if result.output or not result.errors else text
    if result.errors:
        stream.changed = False
    return stream
