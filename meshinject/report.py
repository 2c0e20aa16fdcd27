"""The run's report and its exit code: the one place exit codes are defined.

Exit codes:

    0    success: everything was injected, skipped or passed through as asked
    1    --check: some file would change (nothing was written)
    2    usage error: bad flags or arguments (Click's convention)
    123  some file or workload could not be processed (the others still were), or an
         internal error (reported as one line asking for a bug report)
    130  interrupted (Ctrl-C): files already rewritten stay rewritten, the rest are unchanged
"""

from __future__ import annotations

from dataclasses import dataclass, field

from meshinject.files import FileResult

EXIT_OK = 0
EXIT_WOULD_CHANGE = 1
EXIT_USAGE = 2
EXIT_FAILED = 123
EXIT_INTERRUPTED = 130

EXIT_CODES_HELP = (
    "Exit codes: 0 success; 1 --check found files that would change; "
    "2 usage error; 123 some file could not be processed."
)


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
            return EXIT_FAILED
        if self.check and self.changed:
            return EXIT_WOULD_CHANGE
        return EXIT_OK

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
