"""What one transformer run produced, for `meshinject kustomize-plugin run` to print."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class PluginRun:
    """What a transformer run produced: stdout text, messages for stderr, an exit code."""

    output: str
    messages: list[str] = field(default_factory=list)
    exit_code: int = 0
