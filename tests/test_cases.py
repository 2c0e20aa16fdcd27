"""Golden cases, the one golden runner: `tests/cases/<name>/input.yaml`, run through the
command line, must equal `expected.yaml` byte for byte (CRLF, BOM and final newline
included). A case may carry the flags of its run in `flags` (one line, shell words, e.g.
`--style minimal -n shop`); without it the built-in defaults apply. Cases named `noop-*`
have no expected file: their output must be the input, byte for byte."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from tests.runner import invoke

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "input.yaml").exists())
INJECTED = [name for name in NAMES if not name.startswith("noop-")]


def flags(name: str) -> list[str]:
    file = CASES / name / "flags"
    return shlex.split(file.read_text(encoding="utf-8")) if file.exists() else []


def expected(name: str) -> bytes:
    return (
        CASES / name / ("input.yaml" if name.startswith("noop-") else "expected.yaml")
    ).read_bytes()


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    result = invoke(*flags(name), "-f", str(CASES / name / "input.yaml"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == expected(name)


@pytest.mark.parametrize("name", INJECTED)
def test_injecting_twice_changes_nothing(name: str) -> None:
    result = invoke(*flags(name), "-f", "-", input=expected(name))
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == expected(name)


@pytest.mark.parametrize("name", INJECTED)
def test_every_input_line_survives_in_order(name: str) -> None:
    """Only added lines, plus rewritten probe lines: the GitOps diff promise."""
    from tests.gitops.support import assert_lines_survive

    source = (CASES / name / "input.yaml").read_bytes().decode("utf-8")
    assert_lines_survive(source, expected(name).decode("utf-8"))
