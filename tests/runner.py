"""The one way tests run the command line in-process (the `cli` fixture hands it out).

stdout and stderr are kept apart (Click 8.2+), unexpected exceptions fail the test
instead of becoming exit code 1, and the environment is isolated from the machine's:
`GITHUB_ACTIONS` is cleared so the text report is the default everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from click.testing import CliRunner, Result

from meshinject.cli import main


def invoke(
    *args: str,
    input: str | bytes | None = None,
    env: Mapping[str, str | None] | None = None,
) -> Result:
    """Run `meshinject ARGS...`; the result has exit_code, stdout and stderr."""
    isolated: dict[str, str | None] = {"GITHUB_ACTIONS": "", **(env or {})}
    return CliRunner().invoke(main, list(args), input=input, env=isolated, catch_exceptions=False)
