"""Every usability test runs twice: through Click's `CliRunner` (fast, in process) and as
the installed `meshinject` console script in a real subprocess (what a user runs).

The `cli` fixture is a function `cli(*args, input=None) -> Outcome` that runs in the
test's own temporary folder (the working directory), with a clean environment: no CI
variables, no colour, a wide terminal.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from meshinject.cli import main

EXE = Path(sys.executable).with_name("meshinject")
_DROPPED = ("CI", "GITHUB_ACTIONS", "GITLAB_CI", "MESHINJECT_TRACEBACK", "FORCE_COLOR")


@dataclass(frozen=True)
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


Cli = Callable[..., Outcome]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED}
    env.update({"NO_COLOR": "1", "COLUMNS": "200", "TERM": "dumb", **extra})
    return env


@pytest.fixture(params=["clirunner", "subprocess"])
def cli(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Cli:
    monkeypatch.chdir(tmp_path)
    for name in _DROPPED:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "200")

    if request.param == "clirunner":

        def run_in_process(*args: str, input: str | None = None, **env: str) -> Outcome:
            result = CliRunner().invoke(
                main,
                list(args),
                input=input,
                env=env or None,
                prog_name="meshinject",
                catch_exceptions=False,
            )
            return Outcome(result.exit_code, result.stdout, result.stderr)

        return run_in_process

    def run_subprocess(*args: str, input: str | None = None, **env: str) -> Outcome:
        done = subprocess.run(
            [str(EXE), *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=environment(**env),
            timeout=120,
            check=False,
        )
        return Outcome(done.returncode, done.stdout, done.stderr)

    return run_subprocess
