"""Shared paths for the config tests."""

from pathlib import Path

FIXTURES = Path(__file__).with_name("fixtures")


def fixture(name: str) -> str:
    return str(FIXTURES / name)
