"""Golden cases: `tests/cases/<name>/input.yaml` injected with the built-in defaults must
equal `expected.yaml` byte for byte. Cases named `noop-*` have no expected file: their
output must be the input, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from meshinject.cli import main

CASES = Path(__file__).resolve().parent / "cases"
NAMES = sorted(p.name for p in CASES.iterdir() if (p / "input.yaml").exists())


@pytest.mark.parametrize("name", NAMES)
def test_case(name: str) -> None:
    case = CASES / name
    result = CliRunner().invoke(main, ["-f", str(case / "input.yaml")], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    expected = case / ("input.yaml" if name.startswith("noop-") else "expected.yaml")
    assert result.stdout == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("noop-")])
def test_injecting_twice_changes_nothing(name: str) -> None:
    expected = (CASES / name / "expected.yaml").read_text(encoding="utf-8")
    result = CliRunner().invoke(main, ["-f", "-"], input=expected, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == expected


@pytest.mark.parametrize("name", [n for n in NAMES if not n.startswith("noop-")])
def test_every_input_line_survives_in_order(name: str) -> None:
    """Only added lines, plus rewritten probe lines: the GitOps diff promise."""
    from tests.gitops.support import assert_lines_survive

    source = (CASES / name / "input.yaml").read_bytes().decode("utf-8")
    output = (CASES / name / "expected.yaml").read_bytes().decode("utf-8")
    assert_lines_survive(source, output)
