"""What happens to each file's result: printed, written back, checked or diffed."""

from __future__ import annotations

from enum import Enum


class WriteBack(Enum):
    STDOUT = "stdout"
    IN_PLACE = "in-place"
    CHECK = "check"
    DIFF = "diff"

    @classmethod
    def from_flags(cls, *, in_place: bool, check: bool, diff: bool) -> WriteBack:
        """`--check --diff` prints the diff (and `--check` still sets the exit code)."""
        if diff:
            return cls.DIFF
        if check:
            return cls.CHECK
        return cls.IN_PLACE if in_place else cls.STDOUT
