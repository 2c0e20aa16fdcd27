"""One `meshinject explain` row per workload: the data, not the table rendering."""

from __future__ import annotations

from dataclasses import dataclass

from meshinject.policy.decide import Decision


@dataclass(frozen=True)
class ExplainRow:
    """`decision` is "inject" or "skip"; `revision` is "-" when nothing injects."""

    workload: str
    namespace: str
    revision: str
    decision: str
    rule: str
    reason: str
    warnings: tuple[str, ...] = ()


def explain_row(decision: Decision, *, workload: str, namespace: str) -> ExplainRow:
    """`workload` is how the CLI names it (e.g. `Deployment/web`)."""
    return ExplainRow(
        workload=workload,
        namespace=namespace,
        revision=decision.revision or "-",
        decision="inject" if decision.inject else "skip",
        rule=decision.rule,
        reason=decision.reason,
        warnings=decision.warnings,
    )
