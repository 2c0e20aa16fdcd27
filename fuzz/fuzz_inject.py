"""Atheris (libFuzzer) harness for parse -> inject -> write: `nox -s fuzz` (not run in CI).

    python fuzz/fuzz_inject.py fuzz/corpus -max_total_time=600

Seeds come from `fuzz/seeds` (copied into the corpus folder on first run by the nox
session). A crash is any exception other than a typed, located `MeshInjectError`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import atheris

sys.path.insert(0, str(Path(__file__).resolve().parent))

with atheris.instrument_imports(include=["meshinject"]):
    import harness

harness.default_request()  # build the config once, outside the measured loop


def test_one_input(data: bytes) -> None:
    harness.check(data)


def main() -> None:
    atheris.Setup(sys.argv, test_one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
