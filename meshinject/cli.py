"""Command line: the commands and their flags, and the exit code.

Each command checks its flags (`meshinject.usage`), hands the run to `meshinject.run`
(settings, engine, outputs, report) and exits with the code the run returns.

Heavy modules (pydantic, ruamel, jinja2, rich) are imported inside the commands so that
`meshinject --help` and `--version` start instantly.
"""

from __future__ import annotations

import contextlib
import gc
import os
import sys
from collections.abc import Callable, Iterator
from typing import Any

import click

from meshinject import ISTIO_VERSION, __version__
from meshinject.exitcodes import HELP as EXIT_HELP
from meshinject.exitcodes import Exit
from meshinject.options import click_options, settings
from meshinject.output.formats import FORMAT_HELP, FORMATS

EXPLAIN_EXIT_HELP = "Exit codes: 0 success; 2 usage error; 123 some file could not be processed."
VERSION = f"meshinject {__version__} (Istio {ISTIO_VERSION} defaults)"


def _print_version(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(VERSION)
        ctx.exit()


class DefaultGroup(click.Group):
    """`meshinject -f x.yaml` and `meshinject x.yaml` mean `meshinject inject ...`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from meshinject.usage import looks_like_command

        if ctx.resilient_parsing and not args:
            return super().parse_args(ctx, args)  # shell completion of the command name
        if args and args[0] not in self.commands and looks_like_command(args[0]):
            # `meshinject explian -i f.yaml`: Click says "No such command 'explian'. Did you
            # mean 'explain'?" (exit 2) and nothing runs.
            return super().parse_args(ctx, args)
        if not args or (
            args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")
        ):
            args = ["inject", *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPTIONS] [PATHS]...   (inject, the default)")
        formatter.write_usage(ctx.command_path, "COMMAND [ARGS]...", prefix="   or: ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The group's options and commands, then the options of the default command
        (`inject`), since `meshinject -f app.yaml` is the main form."""
        super().format_options(ctx, formatter)
        inject = self.commands["inject"]
        records = [
            record
            for param in inject.params
            if isinstance(param, click.Option)
            and (record := param.get_help_record(ctx)) is not None
        ]
        with formatter.section("Options of inject, the default command"):
            formatter.write_dl(records)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        """At the top level, complete the commands, the default command's options
        (`meshinject --st<TAB>`) and file names (`meshinject k8s/pro<TAB>`)."""
        from click.shell_completion import CompletionItem

        items = super().shell_complete(ctx, incomplete)
        inject = self.commands["inject"]
        if incomplete.startswith("-"):
            known = {item.value for item in items}
            items += [i for i in inject.shell_complete(ctx, incomplete) if i.value not in known]
        else:
            items.append(CompletionItem(incomplete, type="file"))
        return items

    def invoke(self, ctx: click.Context) -> Any:
        """Last resort: Ctrl-C and bugs end with one line on stderr, never a traceback.

        In-place rewrites are atomic, so after an interrupt every file is either rewritten
        or untouched. Set MESHINJECT_TRACEBACK=1 to see the traceback of an internal error.
        """
        from meshinject.signals import EXIT_TERMINATED, Terminated, sigterm_raises

        try:
            with sigterm_raises(), _fewer_collections():
                return super().invoke(ctx)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except Terminated:
            click.echo("meshinject: terminated; files not yet rewritten are unchanged", err=True)
            sys.exit(EXIT_TERMINATED)
        except BrokenPipeError:
            raise  # stdout closed early (`| head`): Click exits quietly
        except KeyboardInterrupt:
            click.echo("meshinject: interrupted; files not yet rewritten are unchanged", err=True)
            sys.exit(Exit.INTERRUPTED)
        except Exception as exc:
            if os.environ.get("MESHINJECT_TRACEBACK"):
                raise
            from meshinject.errors import escape_controls

            detail = escape_controls(" ".join(str(exc).split()))[:200]
            click.echo(
                f"meshinject: internal error ({type(exc).__name__}: {detail}); this is a bug, "
                "please report it with the input that caused it",
                err=True,
            )
            sys.exit(Exit.FAILED)


@contextlib.contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run the cycle collector less often during the command (restored after it).

    A run allocates containers by the million (imported modules, parsed documents, their
    data), nearly all freed by reference counting as soon as a document is written. At the
    default first threshold (700 allocations) the collector scanned the young objects
    about 60 times for one Deployment and 700 times for 500 (15% and 12% of the CPU).
    Reference cycles are rare in a run; with a threshold of 10,000 the same garbage is
    found in fewer scans, and memory still stays bounded (the benchmark's peak RSS grew
    by about a megabyte). Outputs do not depend on when the collector runs.
    """
    old = gc.get_threshold()
    gc.set_threshold(_FIRST_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)


_FIRST_THRESHOLD = 10_000


def _config_options(command: str) -> Callable[[Any], Any]:
    """The inputs, the project configuration file and the settings that have an effect in
    `command` (meshinject.options)."""

    def decorate(func: Any) -> Any:
        func = click.argument("paths", nargs=-1, type=click.Path())(func)
        func = click_options(command)(func)
        func = click.option(
            "--config",
            type=click.Path(dir_okay=False),
            default=None,
            metavar="FILE",
            help="Project configuration file (default: .meshinject.yaml, or [tool.meshinject] "
            "in pyproject.toml, the nearest from the working directory up). Flags win over it.",
        )(func)
        return click.option(
            "-f",
            "--filename",
            "filenames",
            multiple=True,
            metavar="PATH",
            type=click.Path(),
            help="Manifest file or folder (walks *.yaml, *.yml); '-' reads stdin. Repeatable.",
        )(func)

    return decorate


def _write_options(command: str) -> Callable[[Any], Any]:
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

    def decorate(func: Any) -> Any:
        for option in reversed(options):
            func = option(func)
        return _config_options(command)(func)

    return decorate


@click.group(
    cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_HELP
)
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_print_version,
    help="Print the version (as `meshinject version` does) and exit.",
)
def main() -> None:
    """Inject Istio sidecars into Kubernetes manifests, offline, keeping your YAML as written.

    \b
    Example:
      meshinject -f deployment.yaml > injected.yaml
      meshinject -i k8s/            # rewrite files in place
      meshinject --check k8s/       # CI: fail if anything is not injected
    """


@main.command(epilog=EXIT_HELP)
@_write_options("inject")
def inject(**opts: Any) -> None:
    """Inject sidecars (the default command).

    \b
    Example:
      meshinject inject -f app.yaml --values istio-values.yaml > app.injected.yaml
    """
    _run(opts, operation="inject")


@main.command(epilog=EXIT_HELP)
@_write_options("uninject")
def uninject(**opts: Any) -> None:
    """Remove injected sidecars, using the sidecar.istio.io/status annotation.

    Every injection is removed, whatever a webhook would decide. The settings name the
    config the result is checked with: injecting it again should give the input back,
    else a "best effort" warning says to review it.

    \b
    Example:
      meshinject uninject -f app.injected.yaml > app.yaml
    """
    _run(opts, operation="uninject")


@main.command(epilog=EXPLAIN_EXIT_HELP)
@_config_options("explain")
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
    from meshinject import run

    sys.exit(run.explain(_inputs(opts), opts, _given_flags()))


@main.command()
def version() -> None:
    """Print meshinject's version and the Istio release its defaults come from.

    \b
    Example:
      meshinject version
    """
    click.echo(VERSION)


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
    from meshinject.kustomize.commands import kustomize_plugin

    main.add_command(kustomize_plugin)


_register_integrations()


def _inputs(opts: dict[str, Any]) -> list[str]:
    from meshinject.usage import check_paths

    paths = list(opts["filenames"]) + list(opts["paths"])
    if not paths:
        raise click.UsageError("no input: give files or folders with -f (use '-' for stdin)")
    check_paths(paths, main.commands)
    return paths


def _given_flags() -> frozenset[str]:
    """The settings given on the command line: they win over the configuration file."""
    ctx = click.get_current_context()
    given = (click.core.ParameterSource.COMMANDLINE, click.core.ParameterSource.ENVIRONMENT)
    return frozenset(
        name
        for name, setting in settings()
        if ctx.get_parameter_source(name) in given
        # `-n PATH=NS` alone leaves the run's own namespace to the configuration file
        and not (setting.flag_takes_paths and all("=" in v for v in ctx.params[name]))
    )


def _run(opts: dict[str, Any], *, operation: str) -> None:
    from meshinject import cache, run
    from meshinject.files.write_back import WriteBack
    from meshinject.usage import check_write_flags

    check_write_flags(opts)
    cache.enable_user_cache()  # compiled templates and parsed defaults, kept between runs
    paths = _inputs(opts)
    write_back = WriteBack.from_flags(
        in_place=opts["in_place"], check=opts["check"], diff=opts["diff"]
    )
    if write_back is WriteBack.IN_PLACE and "-" in paths:
        raise click.UsageError("--in-place cannot rewrite standard input")
    code = run.inject(paths, opts, _given_flags(), operation=operation, write_back=write_back)
    sys.exit(code)
