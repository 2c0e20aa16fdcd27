"""Developer tasks: `nox -l` lists them."""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.options.sessions = ["tests", "lint", "typecheck"]
PYTHONS = ["3.11", "3.12", "3.13"]
LINTED = ["meshinject", "tests", "fuzz", "benchmarks", "noxfile.py"]


def _find_pyenv_pythons() -> None:
    """Let nox find pyenv's interpreters even when they are not the active pyenv version."""
    versions = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    found = [
        str(sorted(versions.glob(f"{version}.*"))[-1] / "bin")
        for version in PYTHONS
        if any(versions.glob(f"{version}.*"))
    ]
    os.environ["PATH"] = os.pathsep.join([*found, os.environ.get("PATH", "")])


_find_pyenv_pythons()


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite (the same command CI runs)."""
    session.install("-e", ".[test]")
    session.run("python", "-m", "pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check (the pinned ruff of the `lint` extra)."""
    session.install("-e", ".[lint]")
    session.run("ruff", "check", *LINTED)
    session.run("ruff", "format", "--check", *LINTED)


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy: strict over the package, relaxed over the tests (see pyproject.toml)."""
    session.install("-e", ".[test,lint]")
    session.run("mypy")


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark against PyYAML (libyaml) and ruamel round-trip baselines."""
    session.install("-e", ".[test]")
    session.run("python", "benchmarks/run.py", *session.posargs)


@nox.session
def fuzz(session: nox.Session) -> None:
    """Coverage-guided fuzzing with atheris (not in CI). `nox -s fuzz -- SECONDS` (default 600).

    Findings are written to fuzz/artifacts/; replay one with
    `python -c "import sys; sys.path.insert(0, 'fuzz'); import harness;
    harness.check(open('fuzz/artifacts/crash-...', 'rb').read())"`.
    """
    session.install("-e", ".", "atheris")
    seconds = session.posargs[0] if session.posargs else "600"
    session.run("sh", "fuzz/run.sh", seconds, env={"PYTHON": "python"}, external=True)
