"""Command line: parse flags, build the config, run, print the report, pick the exit code.

Heavy modules (pydantic, ruamel, jinja2, rich) are imported inside the commands so that
`meshinject --help` and `--version` start instantly.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Any

import click

from meshinject import __version__
from meshinject.output.formats import FORMAT_HELP, FORMATS

if TYPE_CHECKING:
    from collections.abc import Iterator

    from meshinject.inject.document import InjectionRequest
    from meshinject.parallel import FileDone
    from meshinject.report import Report
    from meshinject.request import RunOptions

EXIT_HELP = (
    "Exit codes: 0 success; 1 --check found files that would change; "
    "2 usage error; 123 some file could not be processed."
)


class DefaultGroup(click.Group):
    """`meshinject -f x.yaml` and `meshinject x.yaml` mean `meshinject inject ...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.resilient_parsing and not args:
            return super().parse_args(ctx, args)  # shell completion of the command name
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["inject", *args]
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        """Last resort: Ctrl-C and bugs end with one line on stderr, never a traceback.

        In-place rewrites are atomic, so after an interrupt every file is either rewritten
        or untouched. Set MESHINJECT_TRACEBACK=1 to see the traceback of an internal error.
        """
        try:
            return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except BrokenPipeError:
            raise  # stdout closed early (`| head`): Click exits quietly
        except KeyboardInterrupt:
            click.echo("meshinject: interrupted; files not yet rewritten are unchanged", err=True)
            sys.exit(130)  # report.EXIT_INTERRUPTED (128 + SIGINT), the shell convention
        except Exception as exc:
            if os.environ.get("MESHINJECT_TRACEBACK"):
                raise
            detail = " ".join(str(exc).split())[:200]
            click.echo(
                f"meshinject: internal error ({type(exc).__name__}: {detail}); this is a bug, "
                "please report it with the input that caused it",
                err=True,
            )
            sys.exit(123)  # report.EXIT_FAILED


def _config_options(func: Any) -> Any:
    options = [
        click.option(
            "-f",
            "--filename",
            "filenames",
            multiple=True,
            metavar="PATH",
            help="Manifest file or folder (walks *.yaml, *.yml); '-' reads stdin. Repeatable.",
        ),
        click.option(
            "--values",
            "--valuesFile",
            "values_files",
            multiple=True,
            metavar="FILE",
            help="Istio injector values (deep-merged in order; null deletes a key).",
        ),
        click.option(
            "--mesh-config",
            "--meshConfigFile",
            "mesh_files",
            multiple=True,
            metavar="FILE",
            help="Istio mesh config (defaultConfig and proxyMetadata merge).",
        ),
        click.option(
            "--iop",
            "--operatorFileName",
            "iop_files",
            multiple=True,
            metavar="FILE",
            help="IstioOperator file: its spec.values and spec.meshConfig.",
        ),
        click.option(
            "--inject-config",
            "--injectConfigFile",
            "inject_config_files",
            multiple=True,
            metavar="FILE",
            help="Injector config or a template (Go template syntax).",
        ),
        click.option(
            "--set",
            "set_args",
            multiple=True,
            metavar="PATH=VALUE",
            help="Override a value, Helm style (e.g. global.tag=1.31.0). Applied last.",
        ),
        click.option("-r", "--revision", default="", help="Control-plane revision to inject."),
        click.option(
            "--revision-values",
            "revision_values",
            multiple=True,
            metavar="REV=FILE",
            help="Another control plane and its own values (hub, tag, resources...). "
            "Repeatable; implies webhook mode.",
        ),
        click.option(
            "--tag",
            "tags",
            multiple=True,
            metavar="TAG=REV",
            help="A revision tag (istioctl tag set TAG --revision REV). Repeatable.",
        ),
        click.option(
            "-n",
            "--namespace",
            "namespaces",
            multiple=True,
            metavar="[PATH=]NAMESPACE",
            help="Namespace of documents without metadata.namespace (default: default). "
            "PATH=NAMESPACE: for the files under PATH (a folder or file; the longest "
            "match wins). Repeatable.",
        ),
        click.option(
            "--namespace-labels",
            "namespace_labels",
            metavar="FILE",
            help="Namespace labels: a file or folder holding a mapping ns -> {label: value}, "
            "Namespace objects (several documents allowed) or `kubectl get ns -o yaml` "
            "Lists. Namespace objects among the inputs count too.",
        ),
        click.option(
            "--mode",
            type=click.Choice(["manual", "webhook"]),
            default=None,
            help="manual: inject unless the pod opts out (istioctl kube-inject); "
            "webhook: decide like Istio's webhook from namespace labels. "
            "Default: webhook when --namespace-labels is given or a namespace in the "
            "input has istio-injection or istio.io/rev, else manual.",
        ),
        click.option(
            "--kube-version",
            default=None,
            metavar="MAJOR.MINOR",
            help="Cluster version for ENABLE_NATIVE_SIDECARS=auto (default: native sidecars).",
        ),
        click.option(
            "--style",
            type=click.Choice(["istio", "minimal"]),
            default="istio",
            show_default=True,
            help="istio: also write the zero-value fields istioctl kube-inject writes "
            "(status counters, updateStrategy: {}); minimal: only the sidecar.",
        ),
        click.argument("paths", nargs=-1, type=click.Path()),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _write_options(func: Any) -> Any:
    """The options of the commands that write manifests (inject, uninject)."""
    options = [
        click.option(
            "-o", "--output", metavar="FILE", help="Write the output here instead of stdout."
        ),
        click.option(
            "-i",
            "--in-place",
            is_flag=True,
            help="Rewrite the files (atomically, only if changed).",
        ),
        click.option(
            "--check", is_flag=True, help="Write nothing; exit 1 if any file would change."
        ),
        click.option("--diff", is_flag=True, help="Print a unified diff instead of the YAML."),
        click.option(
            "--format", "report_format", type=click.Choice(FORMATS), default=None, help=FORMAT_HELP
        ),
        click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr."),
        click.option(
            "-j",
            "--jobs",
            type=click.IntRange(min=1),
            default=None,
            metavar="N",
            help="Worker processes (default: all cores for large inputs; "
            "1: sequential). Output is the same whatever N.",
        ),
    ]
    for option in reversed(options):
        func = option(func)
    return _config_options(func)


@click.group(
    cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP
)
@click.version_option(__version__, "--version", prog_name="meshinject")
def main() -> None:
    """Inject Istio sidecars into Kubernetes manifests, offline, keeping your YAML as written.

    \b
    Example:
      meshinject -f deployment.yaml > injected.yaml
      meshinject -i k8s/            # rewrite files in place
      meshinject --check k8s/       # CI: fail if anything is not injected
    """


@main.command(epilog=EXIT_HELP)
@_write_options
def inject(**opts: Any) -> None:
    """Inject sidecars (the default command).

    \b
    Example:
      meshinject inject -f app.yaml --values istio-values.yaml > app.injected.yaml
    """
    _run(opts, operation="inject")


@main.command(epilog=EXIT_HELP)
@_write_options
def uninject(**opts: Any) -> None:
    """Remove injected sidecars, using the sidecar.istio.io/status annotation.

    \b
    Example:
      meshinject uninject -f app.injected.yaml > app.yaml
    """
    _run(opts, operation="uninject")


@main.command(epilog=EXIT_HELP)
@_config_options
@click.option(
    "--output",
    "output_format",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="A table for people, or JSON for machines.",
)
def explain(**opts: Any) -> None:
    """Show, per workload, whether it would be injected, by which revision, and why.

    Nothing is written. With --namespace-labels (or Namespace objects in the input) the
    decision is the one Istio's webhook would make in the cluster.

    \b
    Example:
      meshinject explain --namespace-labels namespaces.yaml -f k8s/
    """
    from meshinject.output.explain import render_explain

    report, request_failed = _collect(opts)
    if request_failed:
        sys.exit(123)
    render_explain(report, opts["output_format"], console=_console())
    sys.exit(report.return_code)


def _collect(opts: dict[str, Any]) -> tuple[Report, bool]:
    """Run the injection over every input without writing anything."""
    from meshinject.errors import MeshInjectError
    from meshinject.files import WriteBack
    from meshinject.report import Report

    console = _console()
    paths = list(opts["filenames"]) + list(opts["paths"])
    if not paths:
        raise click.UsageError("no input: give files or folders with -f (use '-' for stdin)")
    report = Report()
    try:
        request = _build_request(opts)
    except MeshInjectError as exc:
        console.print(f"[red]error[/red]: {_escape(exc.render())}")
        return report, True
    # The same pipeline as `inject --check`: nothing is kept or written.
    for done in _processed(paths, request, "inject", None, WriteBack.CHECK):
        report.add(done.result)
    return report, False


@main.command()
def version() -> None:
    """Print meshinject's version and the Istio release its defaults come from.

    \b
    Example:
      meshinject version
    """
    from meshinject.config import ISTIO_VERSION

    click.echo(f"meshinject {__version__} (Istio {ISTIO_VERSION} defaults)")


@main.command()
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the shell completion script for SHELL (commands, options, choices, files).

    \b
    Example:
      meshinject completion bash > ~/.local/share/bash-completion/completions/meshinject
      meshinject completion zsh > "${fpath[1]}/_meshinject"
      meshinject completion fish > ~/.config/fish/completions/meshinject.fish
    """
    from click.shell_completion import get_completion_class

    cls = get_completion_class(shell)
    assert cls is not None  # the Choice above only allows shells click supports
    click.echo(cls(main, {}, "meshinject", "_MESHINJECT_COMPLETE").source())


def _register_integrations() -> None:
    from meshinject.kustomize import kustomize_plugin

    main.add_command(kustomize_plugin)


_register_integrations()


def _console() -> Any:
    from rich.console import Console

    return Console(
        stderr=True, no_color=bool(os.environ.get("NO_COLOR")), highlight=False, soft_wrap=True
    )


def _run_options(opts: dict[str, Any]) -> RunOptions:
    from meshinject.request import RunOptions

    return RunOptions(
        values_files=opts["values_files"],
        mesh_config_files=opts["mesh_files"],
        iop_files=opts["iop_files"],
        inject_config_files=opts["inject_config_files"],
        set_args=opts["set_args"],
        revision=opts["revision"],
        revision_values=opts["revision_values"],
        tags=opts["tags"],
        namespace=next((n for n in reversed(opts["namespaces"]) if "=" not in n), "default"),
        path_namespaces=[n for n in opts["namespaces"] if "=" in n],
        namespace_labels_file=opts.get("namespace_labels"),
        mode=opts.get("mode"),
        kube_version=opts.get("kube_version"),
        output_style=opts["style"],
    )


def _build_request(opts: dict[str, Any]) -> InjectionRequest:
    from meshinject.request import build_request

    return build_request(_run_options(opts))


def _run(opts: dict[str, Any], *, operation: str) -> None:
    from meshinject.errors import MeshInjectError
    from meshinject.files import WriteBack, display_path, read_input, unified_diff, write_atomic
    from meshinject.report import Report

    console = _console()
    paths = list(opts["filenames"]) + list(opts["paths"])
    if not paths:
        raise click.UsageError("no input: give files or folders with -f (use '-' for stdin)")
    write_back = WriteBack.from_flags(
        in_place=opts["in_place"], check=opts["check"], diff=opts["diff"]
    )
    if write_back is WriteBack.IN_PLACE and "-" in paths:
        raise click.UsageError("--in-place cannot rewrite standard input")
    report = Report(check=write_back is WriteBack.CHECK, operation=operation)
    try:
        request = _build_request(opts)
    except MeshInjectError as exc:
        _show_report(
            console, report, opts, operation=operation, write_back=write_back, config_errors=[exc]
        )
        sys.exit(123)
    outputs = _Outputs(opts.get("output"))
    processed = _processed(paths, request, operation, opts.get("jobs"), write_back)
    for done in _with_progress(processed, paths, console, quiet=opts["quiet"]):
        result = done.result
        report.add(result)
        if result.errors or done.sink is None:
            continue
        path = result.path
        if write_back is WriteBack.STDOUT:
            outputs.add(done.sink)
        elif write_back is WriteBack.DIFF and result.changed:
            before = read_input(path, _STDIN[0]).decode("utf-8", errors="replace")
            outputs.add(unified_diff(path, before, done.sink.text()))
        elif write_back is WriteBack.IN_PLACE and result.changed:
            try:
                write_atomic(path, done.sink.iter_text())
            except MeshInjectError as exc:
                result.error = exc
                done.sink.discard()  # the failed write may not have read the spool
                continue
            if not opts["quiet"]:
                console.print(f"rewrote {_escape(path)}")
        elif write_back is WriteBack.CHECK and result.changed:
            console.print(f"would rewrite {_escape(display_path(path))}")
        else:
            done.sink.discard()
    outputs.emit(report)
    _show_report(console, report, opts, operation=operation, write_back=write_back)
    sys.exit(report.return_code)


def _with_progress(processed: Any, paths: list[str], console: Any, *, quiet: bool) -> Any:
    """A progress bar on a terminal when the run takes a while (see meshinject.output.progress)."""
    from meshinject.files import iter_paths
    from meshinject.output.progress import interactive, track

    if quiet or not interactive(console):
        return processed
    total = sum(1 for _ in iter_paths(paths))
    return track(processed, console, total=total, describe=lambda done: done.result.path)


def _show_report(
    console: Any,
    report: Report,
    opts: dict[str, Any],
    *,
    operation: str,
    write_back: Any,
    config_errors: list[Any] | None = None,
) -> None:
    """The report in the chosen --format (see meshinject.output.formats)."""
    from meshinject.files import WriteBack
    from meshinject.output.formats import default_format, github_commands, report_json, write_json

    fmt = opts.get("report_format") or default_format()
    errors = config_errors or []
    if fmt == "json":
        stdout_free = write_back in (WriteBack.IN_PLACE, WriteBack.CHECK) or bool(
            opts.get("output")
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
        console.print(f"[red]error[/red]: {_escape(exc.render())}")
    if not errors:
        _print_report(console, report, quiet=opts["quiet"])
    if fmt == "github":
        for line in github_commands(report, operation=operation, config_errors=errors):
            click.echo(line, err=True)


_STDIN: list[bytes | None] = [None]


def _processed(
    paths: list[str], request: InjectionRequest, operation: str, jobs: int | None, write_back: Any
) -> Iterator[FileDone]:
    """Every input file processed (in order; in parallel when worth it), as `FileDone`s."""
    from meshinject.files import NullSink, Source, SpoolSink, WriteBack, iter_paths
    from meshinject.parallel import Engine, FileJob, resolve_jobs

    sink = NullSink if write_back is WriteBack.CHECK else SpoolSink
    stdin = Source.stdin(sys.stdin.buffer) if "-" in paths else None
    if stdin is not None and write_back is WriteBack.DIFF:
        _STDIN[0] = b"".join(stdin.blocks())
    files = [
        FileJob(path, stdin if path == "-" and stdin is not None else Source(path), sink)
        for path in iter_paths(paths)
    ]
    if operation == "inject":  # Namespace objects in any input apply to the whole run
        from meshinject.run_namespaces import with_run_namespaces

        request = with_run_namespaces(request, (job.source for job in files))
    total = sum(job.source.size() for job in files)
    engine = Engine(request, operation, resolve_jobs(jobs, total))  # type: ignore[arg-type]
    yield from engine.run(files)


class _Outputs:
    """File outputs joined as one stream (a `---` between files): to stdout as each file
    finishes, or to `-o FILE` atomically at the end."""

    def __init__(self, output: str | None) -> None:
        self.output = output
        self.parts: list[Any] = []
        self.count = 0
        self.last = ""

    def add(self, part: Any) -> None:
        first = (part[:4] if isinstance(part, str) else part.first).lstrip("\ufeff")
        pieces: list[str] = []
        if self.count and not self.last.endswith("\n"):
            pieces.append("\n")
        if self.count and not first.startswith("---"):
            pieces.append("---\n")
        # A byte order mark belongs at the start of the stream only, not between files.
        body = _pieces(part) if not self.count else _without_bom(_pieces(part))
        self.count += 1
        self.last = part[-1:] if isinstance(part, str) else part.last
        if self.output:
            self.parts.append((pieces, part, self.count != 1))
            return
        for part_pieces in (pieces, body):  # one block at a time: never the whole output
            for piece in part_pieces:
                sys.stdout.write(piece)

    def emit(self, report: Report) -> None:
        if not self.output or (report.failed and not self.count):
            return
        from meshinject.errors import MeshInjectError
        from meshinject.files import FileResult, write_atomic

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
            for _, part, _ in self.parts:  # spools the failed write did not read: close them
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


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _print_report(console: Any, report: Report, *, quiet: bool) -> None:
    for result in report.files:
        for error in result.errors:
            console.print(f"[red]error[/red]: {_escape(error.render())}")
        if result.stream is None or quiet:
            continue
        for w in result.stream.workloads:
            where = f"{result.path}: {w.kind} {w.namespace}/{w.name}"
            for warning in w.warnings:
                console.print(f"[yellow]warning[/yellow]: {_escape(where)}: {_escape(warning)}")
            if w.outcome == "skipped":
                console.print(f"skipped {_escape(where)}: {_escape(w.reason)}")
            elif w.outcome == "removed":
                verb = "would remove" if report.check else "removed"
                console.print(f"{verb} the sidecar of {_escape(where)}: {_escape(w.reason)}")
    if not quiet:
        from meshinject.output.progress import print_summary

        print_summary(console, report)
