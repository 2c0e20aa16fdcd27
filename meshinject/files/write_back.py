"""What happens to each file's result: printed, written back, checked or diffed."""

from __future__ import annotations

from enum import Enum


class WriteBack(Enum):
    """What the run does with each file's result: print it (`STDOUT`, or `-o`), rewrite the
    file (`IN_PLACE`, `-i`), only say whether it would change (`CHECK`) or print a diff
    (`DIFF`). Black's `WriteBack`, built from the flags by `from_flags`.
    """

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
