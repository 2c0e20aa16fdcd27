"""Shared fixtures: paths to the golden cases and the Istio conformance corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CASES = Path(__file__).resolve().parent / "cases"
CORPUS = ROOT.parent / "shared" / "conformance"


@pytest.fixture
def examples() -> Path:
    return ROOT / "examples"
