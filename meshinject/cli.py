"""Command line interface (placeholder until the stream layer lands)."""

from __future__ import annotations


def main() -> None:
    raise SystemExit("meshinject: not implemented yet")
