"""A command's run, between the parsed flags and the exit code.

`cli.py` parses flags and picks the exit code; this module does the rest: it resolves
the settings (project configuration file, then flags), builds one request per distinct
per-path settings, feeds every input through the engine (`meshinject.parallel`), writes
or prints the results, and shows the report (`meshinject.output`). It returns the
report's exit code (see `meshinject.report`).
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from meshinject.errors import MeshInjectError
from meshinject.exitcodes import Exit
from meshinject.files.write_back import WriteBack
from meshinject.options import RunOptions, options_from_params, settings
from meshinject.output.text import console as make_console
from meshinject.output.text import escape, print_error, print_report
from meshinject.report import Report

if TYPE_CHECKING:
    from meshinject.inject.document import InjectionRequest
    from meshinject.parallel import FileDone
    from meshinject.path_settings import PathOverride


class Requests:
    """The requests of a run: one per distinct per-path settings (namespace, revision).

    `overrides` are the run's per-path settings (`meshinject.path_settings`), in the order
    they apply. A config is built once per distinct revision settings; files that differ
    only in their namespace share it.
    """

    def __init__(self, options: RunOptions, overrides: tuple[PathOverride, ...] = ()):
        self.options = options
        self.overrides = overrides
        self.built: list[InjectionRequest] = []
        self._index: dict[tuple[Any, ...], int] = {}
        self._configs: dict[tuple[Any, ...], InjectionRequest] = {}
        self.index_for("")  # the run's own settings: request 0, built (and checked) first

    def index_for(self, path: str) -> int:
        from dataclasses import replace

        from meshinject.path_settings import apply
        from meshinject.request import build_request

        options = apply(self.overrides, path, self.options) if path else self.options
        key = tuple(getattr(options, name) for name, s in settings() if s.per_path)
        if key not in self._index:
            config_key = tuple(
                getattr(options, name)
                for name, s in settings()
                if s.per_path and name != "namespace"
            )
            if config_key not in self._configs:
                self._configs[config_key] = build_request(options)
            request = replace(self._configs[config_key], default_namespace=options.namespace)
            self._index[key] = len(self.built)
            self.built.append(request)
        return self._index[key]


def resolve(
    params: dict[str, Any], keep: frozenset[str], paths: list[str], *, operation: str = "inject"
) -> Requests:
    """The run's settings: the project configuration file's, overridden by the flags
    given (`keep`), and a request for each per-path variant the inputs need. Per path, the
    file's `overrides:` apply first, then the flags' `PATH=VALUE`s (they win). Raises
    MeshInjectError (ConfigError) if a file or setting is wrong, before any input is read.

    `uninject` removes every injection, whatever a webhook would decide: the settings that
    decide injection do not apply (its flags refuse them), and the check of its result
    re-injects as `istioctl kube-inject` does (manual mode), with the run's config.
    """
    from meshinject.files.paths import iter_paths
    from meshinject.path_settings import from_flags
    from meshinject.settings_file import find_project_config, load_project_config

    options = options_from_params(params)
    found = params.get("config") or find_project_config(Path.cwd())
    project = load_project_config(found) if found else None
    overrides: tuple[PathOverride, ...] = ()
    if project is not None:
        options = project.options(options, keep)
        overrides = tuple(override.without(keep) for override in project.overrides)
    overrides += from_flags(params)
    if operation == "uninject":
        options = options.replace(mode="manual", namespace_labels_file=None, extra_namespaces={})
    requests = Requests(options, overrides)
    if overrides:
        for path in iter_paths(paths):
            requests.index_for(path)
    return requests


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
    from meshinject.output.diff import unified_diff

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
    done_files = processed(paths, requests, operation, params.get("jobs"), write_back)
    for done in with_progress(done_files, paths, console, quiet=params["quiet"]):
        result = done.result
        report.add(result)
        if result.errors or done.sink is None:
            continue
        path = result.path
        if write_back is WriteBack.STDOUT:
            outputs.add(done.sink)
        elif write_back is WriteBack.DIFF and result.changed:
            before = _BEFORE.pop(path, b"").decode("utf-8", errors="replace")
            outputs.add(unified_diff(path, before, done.sink.text()))
        elif write_back is WriteBack.IN_PLACE and result.changed:
            try:
                check_inside_named(path, paths)
                write_atomic(path, done.sink.iter_text(), in_place=True, expect=done.signature)
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


def show_report(
    console: Any,
    report: Report,
    params: dict[str, Any],
    *,
    operation: str,
    write_back: WriteBack,
    config_errors: list[MeshInjectError] | None = None,
) -> None:
    """The report in the chosen --format (see meshinject.output.formats)."""
    from meshinject.output.formats import (
        default_format,
        github_commands,
        report_json,
        write_json,
    )

    fmt = params.get("report_format") or default_format()
    errors = config_errors or []
    if fmt == "json":
        stdout_free = write_back in (WriteBack.IN_PLACE, WriteBack.CHECK) or bool(
            params.get("output")
        )
        data = report_json(
            report,
            operation=operation,
            mode=write_back.value,
            written=write_back is WriteBack.IN_PLACE,
            config_errors=errors,
        )
        write_json(data, sys.stdout if stdout_free else sys.stderr)
        return
    for exc in errors:
        print_error(console, exc)
    if not errors:
        print_report(console, report, quiet=params["quiet"])
    if fmt == "github":
        rerun = settings_args(click.get_current_context())
        for line in github_commands(
            report, operation=operation, config_errors=errors, settings_args=rerun
        ):
            click.echo(line, err=True)


# --diff: each input's bytes, read once (a pipe or FIFO cannot be read again).
_BEFORE: dict[str, bytes] = {}

# Options that say what to do with the result, not how to inject: left out of fix hints.
_NOT_SETTINGS = frozenset(
    {"filenames", "paths", "in_place", "check", "diff", "output", "report_format", "quiet", "jobs"}
)


def settings_args(ctx: click.Context) -> list[str]:
    """The settings the user gave on the command line, as flags to repeat in a fix hint
    (`run meshinject -i --values v.yaml FILE`), so following the hint injects the same."""
    from click.core import ParameterSource

    args: list[str] = []
    for param in ctx.command.params:
        name = param.name
        if not isinstance(param, click.Option) or name is None or name in _NOT_SETTINGS:
            continue
        if ctx.get_parameter_source(name) is not ParameterSource.COMMANDLINE:
            continue
        flag = next((o for o in param.opts if o.startswith("--")), param.opts[0])
        value = ctx.params[name]
        if param.is_flag:
            args.append(flag)
            continue
        for item in value if param.multiple else (value,):
            args += [flag, str(item)]
    return args


def processed(
    paths: list[str],
    requests: Requests,
    operation: Any,
    jobs: int | None,
    write_back: WriteBack,
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
        files.append(FileJob(path, source, sink, requests.index_for(path)))
    if write_back is WriteBack.DIFF:
        for job in files:
            try:
                _BEFORE[job.path] = b"".join(job.source.blocks())
            except MeshInjectError:
                continue  # reported when the file is processed
            finally:
                job.source.release()
    built = requests.built
    if operation == "inject":  # Namespace objects in any input apply to the whole run
        from meshinject.run_namespaces import declared_namespaces

        found = declared_namespaces((job.source for job in files), built[0])
        if found:
            built = [request.with_namespaces(found) for request in built]
    total = sum(job.source.size() for job in files)
    first, *more = built
    engine = Engine(first, operation, resolve_jobs(jobs, total), more_requests=more)
    yield from engine.run(files)


class Outputs:
    """File outputs joined as one stream (a `---` between files): to stdout as each file
    finishes, or to `-o FILE` atomically at the end."""

    def __init__(self, output: str | None) -> None:
        self.output = output
        self.parts: list[Any] = []
        self.count = 0
        self.last = ""
        self.error: MeshInjectError | None = None  # stdout failed: nothing more is written

    def add(self, part: Any) -> None:
        from meshinject.errors import OutputError
        from meshinject.files.stdout import HEAD, joint, write_stdout

        if self.error is not None:
            if not isinstance(part, str):
                part.discard()
            return
        head = part[:HEAD] if isinstance(part, str) else part.first
        pieces: list[str] = [joint(self.last, head)] if self.count else []
        # A byte order mark belongs at the start of the stream only, not between files.
        body = _pieces(part) if not self.count else _without_bom(_pieces(part))
        self.count += 1
        self.last = part[-HEAD:] if isinstance(part, str) else part.last
        if self.output:
            self.parts.append((pieces, part, self.count != 1))
            return
        try:
            for part_pieces in (pieces, body):  # one block at a time: never the whole output
                for piece in part_pieces:
                    write_stdout(piece)
        except OutputError as exc:
            self.error = exc
            if not isinstance(part, str):
                part.discard()

    def emit(self, report: Report) -> str:
        """Write `-o FILE`, only when every input succeeded (else say why it was not)."""
        if self.error is not None:
            from meshinject.files.file_result import FileResult

            report.add(FileResult("<stdout>", None, error=self.error))
        if not self.output:
            return ""
        if report.failed:
            self.discard()
            failed = len(report.failed)
            return (
                f"{self.output} not written (left as it was): {failed} input "
                f"file{'s' if failed != 1 else ''} failed, and -o is written only when "
                "every input succeeds"
            )
        from meshinject.files.atomic import write_atomic
        from meshinject.files.file_result import FileResult

        text = (  # lazily, a block at a time: a list here would hold a whole file's output
            piece
            for pieces, part, later in self.parts
            for group in (pieces, _without_bom(_pieces(part)) if later else _pieces(part))
            for piece in group
        )
        try:
            write_atomic(self.output, text)
        except MeshInjectError as exc:
            report.add(FileResult(self.output, None, error=exc))
        finally:
            self.discard()  # spools the failed write did not read: close them
        return ""

    def discard(self) -> None:
        for _, part, _ in self.parts:
            if not isinstance(part, str):
                part.discard()


def _without_bom(pieces: Iterator[str]) -> Iterator[str]:
    first = True
    for piece in pieces:
        yield piece.removeprefix("\ufeff") if first else piece
        first = first and not piece


def _pieces(part: Any) -> Iterator[str]:
    if isinstance(part, str):
        yield part
    else:
        yield from part.iter_text()
