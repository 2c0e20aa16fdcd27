"""The property every fuzzer checks: bytes in, either YAML out or typed, located errors.

`check(data)` runs meshinject's file layer (decode -> split -> parse -> inject -> splice ->
encode) the way the CLI does, for both `inject` and `uninject`, and raises AssertionError
if anything other than a `MeshInjectError` escapes, if an error has no location, or if a
successful injection does not itself re-inject cleanly (output that meshinject cannot read
back would be wrong-but-plausible YAML). Shared by the atheris harness and the hypothesis
fuzz test so that both fuzz the same thing.
"""

from __future__ import annotations

from functools import cache

from meshinject.api import InjectionRequest, RunOptions, build_request, inject_bytes
from meshinject.errors import MeshInjectError
from meshinject.stream import Operation


@cache
def default_request() -> InjectionRequest:
    """The request `meshinject -f FILE` builds with no flags."""
    return build_request(RunOptions())


def _check_errors(errors: list[MeshInjectError], what: str) -> None:
    for error in errors:
        assert isinstance(error, MeshInjectError), f"{what}: untyped error {error!r}"
        assert error.location.path == "fuzz.yaml", f"{what}: error without a path: {error.render()}"
        text = error.render()
        assert "Traceback" not in text, text
        assert "\n" not in error.message.strip() or len(error.message) < 2000, text


def check(data: bytes) -> None:
    request = default_request()
    operations: tuple[Operation, ...] = ("inject", "uninject")
    for operation in operations:
        result = inject_bytes(data, "fuzz.yaml", request, operation=operation)
        _check_errors(result.errors, operation)
        if result.errors or not result.changed:
            continue
        output = result.output.encode("utf-8")
        again = inject_bytes(output, "fuzz.yaml", request, operation=operation)
        _check_errors(again.errors, f"{operation} of its own output")
        assert not again.errors, f"{operation} output could not be processed again: " + "; ".join(
            e.render() for e in again.errors
        )
