"""How a run's report is shown: `--format text | github | json`.

- `text` (default): messages and a summary for people on stderr (the CLI's own printer).
- `github` (default when `GITHUB_ACTIONS=true`): the text output plus GitHub Actions
  workflow commands on stderr, `::error file=...,line=...,col=...::message` for every error
  and every file `--check` would change, `::warning` for warnings. The runner reads them
  from both streams, so stdout stays data only.
- `json`: one machine-readable report (schema below) and nothing else for people. It goes
  to stdout when stdout carries no YAML (with `-i`, `--check`, or `-o FILE`), otherwise to
  stderr, so `meshinject --format json -f app.yaml > out.yaml 2> report.json` works too.

JSON report (`"schema": 1`)::

    {"schema": 1, "tool": "meshinject", "version": "...", "operation": "inject",
     "mode": "stdout|in-place|check|diff", "exit_code": 0,
     "summary": {"files": 1, "changed": 1, "failed": 0, "injected": 1, "up_to_date": 0,
                 "skipped": 0, "removed": 0, "failed_workloads": 0, "passed_through": 1},
     "errors": [ERROR, ...],                  # config errors (no file was processed)
     "files": [{"path": "k8s/app.yaml", "changed": true, "written": false,
                "errors": [ERROR, ...],
                "workloads": [{"kind": "Deployment", "name": "web", "namespace": "shop",
                               "decision": "inject|skip|remove|error", "reason": "...",
                               "rule": "...", "revision": "default", "templates": ["sidecar"],
                               "changed": true, "warnings": [], "error": ERROR|null}]}]}
    ERROR = {"message": "...", "type": "InputError", "path": "...", "line": 3, "column": 5}

`injected` counts workloads whose document changed (or would change, under `--check`),
`up_to_date` those that were already injected as this run would inject them. A workload's
`changed` is true when its document changed; a file's `changed` is exact.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, TextIO

from meshinject import __version__

if TYPE_CHECKING:  # imported lazily: the CLI reads FORMAT_HELP at start-up
    from meshinject.errors import MeshInjectError
    from meshinject.report import Report

Format = Literal["text", "github", "json"]
FORMATS: tuple[Format, ...] = ("text", "github", "json")
FORMAT_HELP = (
    "text: for people (stderr). github: text plus GitHub Actions ::error/::warning "
    "annotations (default when GITHUB_ACTIONS=true). json: one machine-readable report, "
    "on stdout when stdout carries no YAML (-i, --check, -o FILE), else on stderr."
)
_DECISIONS = {"injected": "inject", "skipped": "skip", "removed": "remove", "failed": "error"}


def default_format(environ: Mapping[str, str] | None = None) -> Format:
    """`github` inside GitHub Actions (`GITHUB_ACTIONS=true`), else `text`."""
    env = os.environ if environ is None else environ
    return "github" if env.get("GITHUB_ACTIONS") == "true" else "text"


# --------------------------------------------------------------------------- JSON


def error_json(error: MeshInjectError) -> dict[str, Any]:
    """An error as the JSON report's ERROR object (message, type, path, line, column)."""
    loc = error.location
    return {
        "message": error.message,
        "type": type(error).__name__,
        "path": loc.path or None,
        "line": loc.line or None,
        "column": loc.column or None,
    }


def report_json(
    report: Report,
    *,
    operation: str,
    mode: str,
    written: bool = False,
    config_errors: list[MeshInjectError] | tuple[MeshInjectError, ...] = (),
) -> dict[str, Any]:
    """The whole run as plain data (see the module docstring for the schema)."""
    files = []
    for result in report.files:
        workloads = []
        stream = result.stream
        for w in stream.workloads if stream else []:
            workloads.append(
                {
                    "kind": w.kind,
                    "name": w.name,
                    "namespace": w.namespace,
                    "decision": _DECISIONS.get(w.outcome, w.outcome),
                    "reason": w.reason,
                    "rule": w.rule or None,
                    "revision": w.revision or None,
                    "templates": list(w.templates),
                    "changed": w.changed and not result.errors,
                    "warnings": list(w.warnings),
                    "error": error_json(w.error) if w.error is not None else None,
                    **({"item": w.item} if w.item is not None else {}),
                }
            )
        files.append(
            {
                "path": result.path,
                "changed": result.changed and not result.errors,
                "written": written and result.changed and not result.errors,
                "errors": [error_json(e) for e in result.errors],
                "skipped": result.skipped or None,
                "workloads": workloads,
            }
        )
    counts = report.counts()
    return {
        "schema": 1,
        "tool": "meshinject",
        "version": __version__,
        "operation": operation,
        "mode": mode,
        "exit_code": 123 if config_errors else report.return_code,
        "summary": {
            "files": len(report.files),
            "changed": len(report.changed),
            "failed": len(report.failed),
            "injected": counts["injected"],
            "up_to_date": counts["up_to_date"],
            "skipped": counts["skipped"],
            "removed": counts["removed"],
            "failed_workloads": counts["failed"],
            "passed_through": counts["passed"],
        },
        "errors": [error_json(e) for e in config_errors],
        "files": files,
    }


def write_json(data: Mapping[str, Any], stream: TextIO) -> None:
    """Write `data` as indented JSON (UTF-8 kept as is) and one newline, then flush."""
    stream.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    stream.flush()


# --------------------------------------------------------------------------- GitHub


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def workflow_command(
    level: Literal["error", "warning", "notice"],
    message: str,
    *,
    path: str = "",
    line: int = 0,
    column: int = 0,
    title: str = "",
) -> str:
    """One GitHub Actions workflow command, escaped as the runner expects."""
    props = []
    if path and path != "-" and not path.startswith("<"):  # not "<stdin>": no file to annotate
        props.append(f"file={_escape_property(path)}")
        if line:
            props.append(f"line={line}")
            if column:
                props.append(f"col={column}")
    if title:
        props.append(f"title={_escape_property(title)}")
    head = f"::{level} {','.join(props)}" if props else f"::{level}"
    return f"{head}::{_escape_data(message)}"


def github_commands(
    report: Report,
    *,
    operation: str,
    config_errors: list[MeshInjectError] | tuple[MeshInjectError, ...] = (),
    settings_args: Sequence[str] = (),
) -> list[str]:
    """Annotations for errors, warnings and (with --check) files that would change.

    The fix hint of a file that would change repeats `settings_args` (the run's settings
    flags), so running it injects with the same settings as the check.
    """
    import shlex

    lines = [_error_command(e) for e in config_errors]
    for result in report.files:
        lines.extend(_error_command(e) for e in result.errors)
        stream = result.stream
        for w in stream.workloads if stream else []:
            for warning in w.warnings:
                where = f"{w.kind} {w.namespace}/{w.name}: "
                lines.append(
                    workflow_command(
                        "warning", where + warning, path=result.path, title="meshinject"
                    )
                )
        if report.check and result.changed and not result.errors:
            names = [
                f"{w.kind} {w.namespace}/{w.name}"
                for w in (stream.workloads if stream else [])
                if w.changed
            ]
            what = f" ({', '.join(names)})" if names else ""
            command = ["meshinject"] if operation == "inject" else ["meshinject", "uninject"]
            fix = shlex.join([*command, "-i", *settings_args, result.path])
            lines.append(
                workflow_command(
                    "error",
                    f"{operation} would change this file{what}; run `{fix}` and commit the result",
                    path=result.path,
                    title=f"meshinject --check: not {operation}ed",
                )
            )
    return lines


def _error_command(error: MeshInjectError) -> str:
    loc = error.location
    in_a_file = bool(loc.path) and loc.path != "-" and not loc.path.startswith("<")
    return workflow_command(
        "error",
        error.message if in_a_file else error.render(),
        path=loc.path,
        line=loc.line,
        column=loc.column,
        title=f"meshinject: {type(error).__name__}",
    )
