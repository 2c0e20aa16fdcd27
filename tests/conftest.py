"""Shared fixtures and test settings.

Hypothesis explores new examples on developers' machines; under CI (`CI` set, as
`.ci/run` is run) it is derandomized so a CI result can be reproduced, and no test has a
deadline because CI machines are shared and timing is not what these tests check.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import settings

from tests.runner import invoke

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
CORPUS = ROOT.parent / "shared" / "conformance"

# The command line keeps compiled templates and parsed defaults in the user's cache folder
# (meshinject/cache.py); tests run without it, except tests/test_cache.py.
os.environ.setdefault("MESHINJECT_NO_CACHE", "1")

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture
def examples() -> Path:
    return ROOT / "examples"


@pytest.fixture
def cli() -> Callable[..., Result]:
    """`cli("-f", "app.yaml", input=...)`: meshinject run in-process (tests/runner.py)."""
    return invoke
