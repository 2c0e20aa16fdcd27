"""A run's report on stderr (or stdout), in the chosen `--format`, with fix hints that
repeat the run's settings."""

from __future__ import annotations

import sys
from typing import Any

import click

from meshinject.errors import MeshInjectError
from meshinject.files.write_back import WriteBack
from meshinject.output.text import print_error, print_report
from meshinject.report import Report


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
