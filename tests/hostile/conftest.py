"""Shared pieces of the hostile-input suite: a known-good manifest and a CLI runner.

Every bad-input test runs the bad file *together with* `good.yaml`, so that each one also
shows that one broken file does not stop the others from being processed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import Result

from tests.runner import invoke

GOOD = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: good
spec:
  selector:
    matchLabels: {app: good}
  template:
    metadata:
      labels: {app: good}
    spec:
      containers:
      - name: good
        image: good:1
"""


@dataclass
class Run:
    result: Result
    bad: Path
    good: Path
    good_alone: str  # stdout of a run over good.yaml alone

    @property
    def error_lines(self) -> list[str]:
        return [line for line in self.result.stderr.splitlines() if line.startswith("error:")]


@pytest.fixture(scope="session")
def good_output(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("good") / "good.yaml"
    path.write_text(GOOD)
    result = invoke(str(path))
    assert result.exit_code == 0, result.stderr
    assert "istio-proxy" in result.stdout
    return result.stdout


@pytest.fixture
def run_with_good(tmp_path: Path, good_output: str) -> Callable[..., Run]:
    """Write `bad.yaml` (text or bytes) and `good.yaml`; run the CLI over both, bad first."""

    def run(content: str | bytes, *args: str, name: str = "bad.yaml") -> Run:
        bad = tmp_path / name
        if isinstance(content, bytes):
            bad.write_bytes(content)
        else:
            bad.write_text(content, encoding="utf-8")
        good = tmp_path / "good.yaml"
        good.write_text(GOOD)
        return Run(invoke(*args, str(bad), str(good)), bad, good, good_output)

    return run
