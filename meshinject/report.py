"""The run's report and the exit code it ends with (the table: `meshinject.exitcodes`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from meshinject.exitcodes import Exit
from meshinject.files import FileResult


@dataclass
class Report:
    check: bool = False
    files: list[FileResult] = field(default_factory=list)
    config_failed: bool = False
    operation: str = "inject"

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
        injected = skipped = removed = failed = passed = 0
        for f in self.files:
            if f.stream is None:
                continue
            if f.errors:  # nothing of a failed file is written: count only what failed
                failed += sum(w.outcome == "failed" for w in f.stream.workloads)
                continue
            passed += f.stream.passed_through
            for w in f.stream.workloads:
                if w.outcome == "injected":
                    injected += 1
                elif w.outcome == "skipped":
                    skipped += 1
                elif w.outcome == "removed":
                    removed += 1
                else:
                    failed += 1
        return {
            "injected": injected,
            "skipped": skipped,
            "removed": removed,
            "failed": failed,
            "passed": passed,
        }

    def summary(self) -> str:
        c = self.counts()
        verb = ("would " + self.operation) if self.check else self.operation + "ed"
        parts = [
            f"{c['injected']} workload{'s' if c['injected'] != 1 else ''} {verb}",
            f"{c['skipped']} skipped",
        ]
        if c["removed"]:
            removed = "would be removed" if self.check else "removed"
            parts.append(f"{c['removed']} sidecar{'s' if c['removed'] != 1 else ''} {removed}")
        parts += [
            f"{c['passed']} document{'s' if c['passed'] != 1 else ''} passed through",
        ]
        if c["failed"] or self.failed:
            parts.append(f"{len(self.failed)} file{'s' if len(self.failed) != 1 else ''} failed")
        return ", ".join(parts)
