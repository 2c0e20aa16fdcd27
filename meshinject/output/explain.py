"""Rendering `meshinject explain`: a rich table for people, JSON for machines (stdout)."""

from __future__ import annotations

import json
import sys
from typing import Any

from meshinject.report import Report

_DECISIONS = {"injected": "inject", "skipped": "skip", "removed": "remove"}


def explain_rows(report: Report) -> list[dict[str, Any]]:
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
    rows = explain_rows(report)
    if fmt == "json":
        sys.stdout.write(json.dumps({"workloads": rows}, indent=2) + "\n")
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("workload", "namespace", "revision", "decision", "why", "templates"):
        table.add_column(column, overflow="fold", no_wrap=column in ("workload", "revision"))
    for row in rows:
        if "kind" not in row:
            table.add_row(row["file"], "", "", "[red]error[/red]", row["error"], "")
            continue
        decision = {
            "inject": "[green]inject[/green]",
            "skip": "[yellow]skip[/yellow]",
            "remove": "[magenta]remove[/magenta]",
        }.get(row["decision"], "[red]error[/red]")
        why = row["error"] or row["reason"]
        if row["warnings"]:
            why += "".join(f"\n[yellow]! {w}[/yellow]" for w in row["warnings"])
        table.add_row(
            f"{row['kind']}/{row['name']}",
            row["namespace"],
            row["revision"] or "-",
            decision,
            why,
            ",".join(row["templates"]) or "-",
        )
    out = Console(highlight=False, soft_wrap=False)
    if not out.is_terminal:
        out = Console(highlight=False, soft_wrap=False, width=200)
    out.print(table)
    console.print(report.summary())
