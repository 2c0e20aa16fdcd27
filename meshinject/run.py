"""A command's run, between the parsed flags and the exit code.

`cli.py` parses flags and picks the exit code; this module does the rest: it resolves the
settings (`meshinject.run_settings`: project configuration file, flags, per path), feeds
every input through the engine (`meshinject.parallel`), writes, prints or diffs the results
(`meshinject.joined_output` for stdout and `-o`), and shows the report
(`meshinject.output.run_report`). It returns the report's exit code (`meshinject.report`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from meshinject.errors import MeshInjectError
from meshinject.exitcodes import Exit
from meshinject.files.write_back import WriteBack
from meshinject.joined_output import Outputs
from meshinject.output.run_report import show_report
from meshinject.output.text import console as make_console
from meshinject.output.text import escape, print_error
from meshinject.report import Report
from meshinject.run_settings import Requests, resolve

if TYPE_CHECKING:
    from meshinject.parallel import FileDone


def explain(paths: list[str], params: dict[str, Any], keep: frozenset[str]) -> int:
    """`meshinject explain`: the same pipeline as `inject --check`, nothing is written."""
    from meshinject.output.explain import render_explain

    console = make_console()
    report = Report(preview=True)
    try:
        requests = resolve(params, keep, paths)
    except MeshInjectError as exc:
        print_error(console, exc)
        return Exit.FAILED
    for done in processed(paths, requests, "inject", None, WriteBack.CHECK):
        report.add(done.result)
    render_explain(report, params["output_format"], console=console)
    return report.return_code


def inject(
    paths: list[str],
    params: dict[str, Any],
    keep: frozenset[str],
    *,
    operation: str,
    write_back: WriteBack,
) -> int:
    """`meshinject inject` and `uninject`: write, print, diff or check every input."""
    from meshinject.files.atomic import write_atomic
    from meshinject.files.paths import check_inside_named, display_path
    from meshinject.output.formats import default_format

    console = make_console()
    report = Report(
        check=bool(params.get("check")),
        preview=write_back in (WriteBack.CHECK, WriteBack.DIFF),
        operation=operation,
    )
    try:
        requests = resolve(params, keep, paths, operation=operation)
    except MeshInjectError as exc:
        show_report(
            console, report, params, operation=operation, write_back=write_back, config_errors=[exc]
        )
        return Exit.FAILED
    outputs = Outputs(params.get("output"))
    # `--format json` is the whole report: no line for people besides it, since it may be
    # on stderr itself (`2> report.json`).
    people = params.get("report_format") != "json"
    # The text report prints no line for a workload injected without a warning: keep
    # counts of those, not their reports (memory flat however many workloads run).
    counts_only = (params.get("report_format") or default_format()) == "text"
    done_files = processed(
        paths, requests, operation, params.get("jobs"), write_back, counts_only=counts_only
    )
    for done in with_progress(done_files, paths, console, quiet=params["quiet"]):
        result = done.result
        report.add(result)
        if result.errors or done.sink is None:
            continue
        path = result.path
        if write_back is WriteBack.STDOUT:
            outputs.add(done.sink)
        elif write_back is WriteBack.DIFF and result.changed:
            from meshinject.output.diff import unified_diff  # difflib: only for --diff

            before = _BEFORE.pop(path, b"").decode("utf-8", errors="replace")
            outputs.add(unified_diff(path, before, done.sink.text()))
        elif write_back is WriteBack.IN_PLACE and result.changed:
            try:
                check_inside_named(path, paths)
                write_atomic(path, done.sink.iter_bytes(), in_place=True, expect=done.signature)
            except MeshInjectError as exc:
                result.error = exc
                done.sink.discard()  # the failed write may not have read the spool
                continue
            if people and not params["quiet"]:
                console.print(f"rewrote {escape(path)}")
        elif write_back is WriteBack.CHECK and result.changed:
            if people:
                console.print(f"would rewrite {escape(display_path(path))}")
        else:
            done.sink.discard()
    not_written = outputs.emit(report)
    show_report(console, report, params, operation=operation, write_back=write_back)
    if not_written and people:
        console.print(escape(not_written))
    return report.return_code


def with_progress(processed: Any, paths: list[str], console: Any, *, quiet: bool) -> Any:
    """A progress bar on a terminal when the run takes a while (see output.progress)."""
    from meshinject.files.paths import iter_paths
    from meshinject.output.progress import interactive, track

    if quiet or not interactive(console):
        return processed
    total = sum(1 for _ in iter_paths(paths))
    return track(processed, console, total=total, describe=lambda done: done.result.path)


# --diff: each input's bytes, read once (a pipe or FIFO cannot be read again).
_BEFORE: dict[str, bytes] = {}


def processed(
    paths: list[str],
    requests: Requests,
    operation: Any,
    jobs: int | None,
    write_back: WriteBack,
    *,
    counts_only: bool = False,
) -> Iterator[FileDone]:
    """Every input file processed (in order; in parallel when worth it), as `FileDone`s."""
    from meshinject.files.file_result import FileResult
    from meshinject.files.paths import iter_paths
    from meshinject.files.sinks import NullSink, SpoolSink
    from meshinject.files.source import Source
    from meshinject.kustomize.patches import PatchFinder
    from meshinject.parallel import Engine, FileDone, FileJob, resolve_jobs

    sink = NullSink if write_back is WriteBack.CHECK else SpoolSink
    stdin = Source.stdin(sys.stdin.buffer) if "-" in paths else None
    inputs = list(iter_paths(paths))
    patches = PatchFinder(inputs)
    files = []
    for path in inputs:
        reason = patches.reason(path)
        if reason is not None:  # a kustomize patch: not a workload (U23)
            yield FileDone(FileResult(path, None, skipped=reason), None)
            continue
        source = stdin if path == "-" and stdin is not None else Source(path)
        unchanged = write_back is WriteBack.STDOUT  # an unchanged file's output is printed
        files.append(FileJob(path, source, sink, requests.index_for(path), unchanged))
    if write_back is WriteBack.DIFF:
        for job in files:
            try:
                _BEFORE[job.path] = b"".join(job.source.raw_blocks())
            except MeshInjectError:
                continue  # reported when the file is processed
            finally:
                job.source.release()
    built = requests.built
    # Namespace objects in any input apply to the whole run. One input needs no look ahead:
    # its own pass 1 (`scan_documents`) finds the same Namespaces and its documents get
    # them the same way (`request.with_namespaces`), without this extra read of the file.
    if operation == "inject" and len(files) > 1:
        from meshinject.run_namespaces import declared_namespaces

        found = declared_namespaces((job.source for job in files), built[0])
        if found:
            built = [request.with_namespaces(found) for request in built]
    total = sum(job.source.size() for job in files)
    first, *more = built
    engine = Engine(
        first,
        operation,
        resolve_jobs(jobs, total),
        more_requests=more,
        counts_only=counts_only,
    )
    yield from engine.run(files)
