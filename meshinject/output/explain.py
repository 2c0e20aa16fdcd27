"""Rendering `meshinject explain`: a rich table for people, JSON for machines (stdout)."""

from __future__ import annotations

import json
import sys
from typing import Any

from meshinject.report import Report

_DECISIONS = {"injected": "inject", "skipped": "skip", "removed": "remove"}


def explain_rows(report: Report) -> list[dict[str, Any]]:
    """One row per workload (and per error outside a workload), as `explain --output json`
    lists them: file, kind, name, namespace, decision (inject, skip, remove, error),
    revision, rule, reason, templates, warnings, error.
    """
    rows: list[dict[str, Any]] = []
    for result in report.files:
        stream = result.stream if result.error is None else None
        outside = stream.errors_outside_workloads() if stream else result.errors
        for error in outside:
            rows.append({"file": result.path, "error": error.render()})
        if result.stream is None:
            continue
        for w in result.stream.workloads:
            rows.append(
                {
                    "file": result.path,
                    "kind": w.kind,
                    "name": w.name,
                    "namespace": w.namespace,
                    "decision": _DECISIONS.get(w.outcome, "error"),
                    "revision": w.revision or None,
                    "rule": w.rule,
                    "reason": w.reason,
                    "templates": list(w.templates),
                    "warnings": list(w.warnings),
                    "error": w.error.render() if w.error else None,
                }
            )
    return rows


def render_explain(report: Report, fmt: str, *, console: Any) -> None:
    """Print the rows: JSON on stdout (`fmt == "json"`), else a table sized to the terminal."""
    rows = explain_rows(report)
    if fmt == "json":
        sys.stdout.write(json.dumps({"workloads": rows}, indent=2) + "\n")
        return
    from rich.console import Console

    out = Console(highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out = Console(highlight=False, soft_wrap=False, width=max(out.width, 120))
    out.print(explain_table(rows))
    console.print(report.summary())


def explain_table(rows: list[dict[str, Any]]) -> Any:
    """A table that stays readable in 80 columns: the workload with its file below it,
    the decision with the revision below it, and the reason, which wraps. A templates
    column only when some workload uses templates other than the default `sidecar`."""
    from rich.markup import escape
    from rich.table import Table

    templates = any(
        row.get("templates") not in (None, [], ["sidecar"]) for row in rows if "kind" in row
    )
    table = Table(show_lines=True)
    table.add_column("workload / file", overflow="fold", max_width=48)
    table.add_column("decision", no_wrap=True)
    table.add_column("why", overflow="fold", ratio=1, min_width=24)
    if templates:
        table.add_column("templates", overflow="fold", max_width=24)
    for row in rows:
        file = f"[dim]{escape(row['file'])}[/dim]"
        if "kind" not in row:
            cells = [file, "[red]error[/red]", escape(row["error"])]
        else:
            decision = _DECISION.get(row["decision"], "[red]error[/red]")
            if row["revision"]:
                decision += f"\n[dim]rev {escape(row['revision'])}[/dim]"
            why = escape(row["error"] or row["reason"])
            why += "".join(f"\n[yellow]! {escape(w)}[/yellow]" for w in row["warnings"])
            workload = escape(f"{row['kind']}/{row['name']}")
            if row["namespace"]:
                workload += f" [dim]in {escape(row['namespace'])}[/dim]"
            cells = [f"{workload}\n{file}", decision, why]
        if templates:
            cells.append(",".join(row.get("templates") or []) or "-")
        table.add_row(*cells)
    return table


_DECISION = {
    "inject": "[green]inject[/green]",
    "skip": "[yellow]skip[/yellow]",
    "remove": "[magenta]remove[/magenta]",
}
