"""What a person at a terminal sees: the progress bar, the summary table, shell completion
and the help texts; and what a pipe sees instead (none of the above)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rich.console import Console
from rich.progress import Progress

from meshinject.cli import main
from meshinject.output.progress import interactive, print_summary, track
from meshinject.report import Report
from tests.runner import invoke as run

ROOT = Path(__file__).resolve().parents[2]


class TTY(io.StringIO):
    def isatty(self) -> bool:
        return True


def terminal() -> tuple[Console, TTY]:
    out = TTY()
    return Console(file=out, force_terminal=True, width=100), out


class Clock:
    def __init__(self, step: float) -> None:
        self.now, self.step = 0.0, step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


# --------------------------------------------------------------------------- progress


def test_bar_appears_on_a_terminal_once_the_run_is_slow() -> None:
    console, out = terminal()
    items = list(
        track(["a.yaml", "b.yaml", "c.yaml"], console, total=3, enabled=True, clock=Clock(step=0.6))
    )
    assert items == ["a.yaml", "b.yaml", "c.yaml"]
    assert "meshinject" in out.getvalue()


def test_no_bar_for_a_fast_run() -> None:
    console, out = terminal()
    list(track(["a.yaml", "b.yaml"], console, total=2, enabled=True, clock=Clock(step=0.01)))
    assert out.getvalue() == ""


def test_no_bar_when_stderr_is_a_pipe_or_in_ci() -> None:
    pipe = Console(file=io.StringIO())
    assert not interactive(pipe, {})
    tty, _ = terminal()
    assert interactive(tty, {})
    assert not interactive(tty, {"CI": "true"})
    assert not interactive(tty, {"TERM": "dumb"})
    out = io.StringIO()
    list(track(["a", "b"], Console(file=out), total=2, clock=Clock(step=5)))
    assert out.getvalue() == ""


def test_bar_is_removed_when_the_loop_stops_early() -> None:
    console, _ = terminal()
    walk: Any = track(["a", "b", "c"], console, total=3, enabled=True, clock=Clock(step=2))
    next(walk)
    walk.close()
    # Only one live display may be active on a console: a second one starts only if the
    # bar has really gone.
    with Progress(console=console, transient=True):
        pass


def test_summary_is_a_table_on_a_terminal_and_one_line_in_a_pipe(tmp_path: Path) -> None:
    from meshinject.files.file_result import FileResult

    report = Report(files=[FileResult("a.yaml", None), FileResult("b.yaml", None)])
    console, out = terminal()
    print_summary(console, report, table=True)
    assert "files" in out.getvalue()
    assert "documents passed through" in out.getvalue()
    pipe = io.StringIO()
    print_summary(Console(file=pipe), report)
    assert pipe.getvalue() == report.summary() + "\n"


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
def test_a_piped_run_has_the_one_line_summary_and_no_control_codes(tmp_path: Path) -> None:
    for i in range(3):
        (tmp_path / f"app{i}.yaml").write_text((ROOT / "examples" / "deployment.yaml").read_text())
    meshinject = Path(sys.executable).parent / "meshinject"
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "GITHUB_ACTIONS")}
    done = subprocess.run(
        [str(meshinject), "--check", str(tmp_path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "\x1b" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "3 workloads would be injected, 0 skipped, 3 documents passed through"
    )


# --------------------------------------------------------------------------- completion


@pytest.mark.parametrize(
    ("shell", "marker"),
    [
        ("bash", "complete -o nosort -F _meshinject_completion meshinject"),
        ("zsh", "compdef _meshinject_completion meshinject"),
        ("fish", "complete --no-files --command meshinject"),
    ],
)
def test_completion_prints_a_script_for_each_shell(shell: str, marker: str) -> None:
    result = run("completion", shell)
    assert result.exit_code == 0
    assert marker in result.stdout
    assert "_MESHINJECT_COMPLETE" in result.stdout


def test_completion_refuses_other_shells() -> None:
    result = run("completion", "powershell")
    assert result.exit_code == 2
    assert "'powershell' is not one of 'bash', 'zsh', 'fish'" in result.stderr


def complete(words: str) -> list[str]:
    env = {
        "_MESHINJECT_COMPLETE": "bash_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    result = CliRunner().invoke(main, [], env=env, prog_name="meshinject")
    return [line.split(",", 1)[1] for line in result.stdout.splitlines()]


def test_completion_offers_commands_options_and_choices() -> None:
    assert {"inject", "kustomize-plugin", "completion"} <= set(complete("meshinject "))
    assert "--format" in complete("meshinject inject --fo")
    assert complete("meshinject inject --format ") == ["text", "github", "json"]
    assert complete("meshinject kustomize-plugin ") == ["install", "run"]


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_script_completes_in_a_real_bash() -> None:
    meshinject = Path(sys.executable).parent
    script = run("completion", "bash").stdout
    probe = (
        f"{script}\nCOMP_WORDS=(meshinject kustomize-plugin i); COMP_CWORD=2;"
        ' _meshinject_completion meshinject; echo "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{meshinject}{os.pathsep}{os.environ['PATH']}"}
    done = subprocess.run(
        ["bash", "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=False
    )
    assert done.stdout.strip() == "install"


# --------------------------------------------------------------------------- help


def commands(group: Any, prefix: str = "") -> list[tuple[str, Any]]:
    found = []
    for name, command in group.commands.items():
        found.append((f"{prefix}{name}", command))
        if hasattr(command, "commands"):
            found.extend(commands(command, f"{prefix}{name} "))
    return found


@pytest.mark.parametrize("name", [name for name, _ in commands(main)])
def test_every_help_text_has_an_example(name: str) -> None:
    result = run(*name.split(), "--help")
    assert result.exit_code == 0
    example = result.stdout.split("Example:", 1)
    assert len(example) == 2, f"`meshinject {name} --help` has no example"
    assert "meshinject" in example[1] or "kubectl" in example[1]
