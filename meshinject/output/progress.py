"""Feedback on large trees: a progress bar while running, a summary table at the end.

Both are for a person watching a terminal. The bar is drawn on stderr only when stderr is
a terminal, the run is not in CI (`CI` set) and has already taken about a second; it is
transient, so it leaves nothing behind in the scrollback. In pipes and CI logs nothing
changes: no bar, and the one-line summary.
"""

# Heavy modules (rich) are imported inside functions, so start-up stays instant.

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from meshinject.report import Report

T = TypeVar("T")

#: Seconds a run must have taken before the bar appears.
SHOW_AFTER = 1.0
#: Files that would change listed again after a run on a terminal.
LIST_AT_MOST = 50


def interactive(console: Any, environ: Mapping[str, str] | None = None) -> bool:
    """True when a person is watching `console` (a rich Console on stderr)."""
    env = os.environ if environ is None else environ
    if env.get("CI") or env.get("TERM") == "dumb":
        return False
    try:
        return bool(console.file.isatty())
    except (AttributeError, ValueError):
        return False


def track(
    items: Iterable[T],
    console: Any,
    *,
    total: int | None = None,
    describe: Callable[[T], str] = str,
    enabled: bool | None = None,
    show_after: float = SHOW_AFTER,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[T]:
    """Yield `items` (finished files); on a terminal, show a progress bar once the run has
    taken `show_after` seconds.

    The bar uses `console`, so anything printed through it meanwhile appears above the
    bar. The bar is removed when the loop ends, however it ends.
    """
    if enabled is None:
        enabled = interactive(console)
    if not enabled or (total is not None and total < 2):
        yield from items
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    progress = Progress(
        TextColumn("[bold]meshinject[/bold]"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        TextColumn("{task.fields[path]}", style="dim"),
        console=getattr(console, "real", console),
        transient=True,
    )
    task = progress.add_task("files", total=total, path="")
    started = clock()
    shown = False
    try:
        for item in items:
            if not shown and clock() - started >= show_after:
                progress.start()
                shown = True
            progress.update(task, advance=1, path=_short(describe(item)))
            yield item
    finally:
        if shown:
            progress.stop()


def _short(path: str, width: int = 60) -> str:
    return path if len(path) <= width else "…" + path[-(width - 1) :]


def print_summary(console: Any, report: Report, *, table: bool | None = None) -> None:
    """The run's summary: a table on a terminal when several files ran, else one line.

    With the table, the files `--check`/`--diff` would change are listed again first.
    """
    if table is None:
        table = interactive(console) and len(report.files) > 1
    if not table:
        console.print(report.summary())
        return
    from rich.markup import escape

    changed = [result.path for result in report.changed]
    if changed and (report.check or report.preview):
        # The per-file lines have scrolled away on a big tree: list them again, last.
        console.print(f"\nfiles that would change ({len(changed)}):")
        for path in changed[:LIST_AT_MOST]:
            console.print(f"  {escape(path)}")
        if len(changed) > LIST_AT_MOST:
            console.print(
                f"  ... and {len(changed) - LIST_AT_MOST} more (`--format json` lists them all)"
            )
    console.print(summary_table(report))


def summary_table(report: Report) -> Any:
    """The end-of-run table of counts (files and workloads), worded for a preview or a write."""
    from rich.table import Table

    counts = report.counts()
    preview = report.check or report.preview
    changed_label = "would change" if preview else "changed"
    rows = [
        ("files", len(report.files), ""),
        (f"files {changed_label}", len(report.changed), "yellow" if preview else "green"),
        ("files failed", len(report.failed), "red"),
        (f"workloads {report.verb}", counts["injected"], "green"),
        ("workloads already up to date", counts["up_to_date"], ""),
        ("workloads skipped", counts["skipped"], "yellow"),
        (
            "sidecars that would be removed" if report.check else "sidecars removed",
            counts["removed"],
            "yellow",
        ),
        ("workloads failed", counts["failed"], "red"),
        ("documents passed through", counts["passed"], ""),
    ]
    table = Table(title="meshinject", title_justify="left", show_header=False, box=None)
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, count, style in rows:
        table.add_row(label, str(count), style=style if count else "dim")
    return table
