"""Running the CLI in-process for the reliability tests."""

from __future__ import annotations

from click.testing import CliRunner, Result

from meshinject.cli import main


def run(*args: str, input: str | bytes | None = None) -> Result:
    """The CLI, in-process; unexpected exceptions fail the test."""
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def inject(text: str, *args: str) -> Result:
    """`meshinject -q --style minimal [args] -f -` on `text`."""
    return run("-q", "--style", "minimal", *args, "-f", "-", input=text)


def uninject(text: str, *args: str) -> Result:
    return run("uninject", "-q", "--style", "minimal", *args, "-f", "-", input=text)


# The smallest injectable workload, shared by the R tests.
POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: web
    image: web:1
"""
