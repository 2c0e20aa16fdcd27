"""The run's report and the exit code it ends with (the table: `meshinject.exitcodes`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from meshinject.exitcodes import Exit
from meshinject.files.file_result import FileResult


@dataclass
class Report:
    """What happened to every file of a run.

    `check` is `--check` (exit 1 when a file would change); `preview` says nothing is
    written (`--check`, `--diff`, `explain`), so the summary says "would be injected".
    """

    check: bool = False
    files: list[FileResult] = field(default_factory=list)
    config_failed: bool = False
    operation: str = "inject"
    preview: bool = False

    def add(self, result: FileResult) -> None:
        self.files.append(result)

    @property
    def failed(self) -> list[FileResult]:
        return [f for f in self.files if f.errors]

    @property
    def changed(self) -> list[FileResult]:
        return [f for f in self.files if f.changed and not f.errors]

    @property
    def return_code(self) -> int:
        if self.config_failed or self.failed:
            return Exit.FAILED
        if self.check and self.changed:
            return Exit.WOULD_CHANGE
        return Exit.OK

    def counts(self) -> dict[str, int]:
        """Workloads `injected` (their file changed), `up_to_date` (injected already, as
        this run would inject them), `skipped`, `removed` (a sidecar taken out because
        policy now says skip), `failed`; documents `passed` through."""
        injected = up_to_date = skipped = removed = failed = passed = 0
        for f in self.files:
            if f.stream is None:
                continue
            if f.errors:  # nothing of a failed file is written: count only what failed
                failed += sum(w.outcome == "failed" for w in f.stream.workloads)
                continue
            passed += f.stream.passed_through
            injected += f.stream.plain_changed  # the reports kept as counts only
            up_to_date += f.stream.plain_unchanged
            for w in f.stream.workloads:
                if w.outcome == "injected" and w.changed:
                    injected += 1
                elif w.outcome == "injected":
                    up_to_date += 1
                elif w.outcome == "skipped":
                    skipped += 1
                elif w.outcome == "removed":
                    removed += 1
                else:
                    failed += 1
        return {
            "injected": injected,
            "up_to_date": up_to_date,
            "skipped": skipped,
            "removed": removed,
            "failed": failed,
            "passed": passed,
        }

    @property
    def verb(self) -> str:
        """What happened to changed workloads: "injected", or "would be injected"."""
        done = self.operation + "ed"
        return f"would be {done}" if self.preview or self.check else done

    def summary(self) -> str:
        c = self.counts()
        parts = [f"{c['injected']} workload{'s' if c['injected'] != 1 else ''} {self.verb}"]
        if c["up_to_date"]:
            parts.append(f"{c['up_to_date']} already up to date")
        parts += [
            f"{c['skipped']} skipped",
        ]
        if c["removed"]:
            removed = "would be removed" if self.check or self.preview else "removed"
            parts.append(f"{c['removed']} sidecar{'s' if c['removed'] != 1 else ''} {removed}")
        parts += [
            f"{c['passed']} document{'s' if c['passed'] != 1 else ''} passed through",
        ]
        if c["failed"] or self.failed:
            parts.append(f"{len(self.failed)} file{'s' if len(self.failed) != 1 else ''} failed")
        return ", ".join(parts)
