"""Sprig's time and randomness functions (`now`, `date`, `uuidv4`, `randAlphaNum`, ...).

Istio parses injection templates with the whole Sprig function map, so a template may use
them; their results change from run to run, as they do in istiod.
"""

from __future__ import annotations

import datetime
import secrets
import string
import uuid
from collections.abc import Callable
from typing import Any

from .values import FuncError

_LAYOUT = [
    ("2006", "%Y"),
    ("January", "%B"),
    ("Jan", "%b"),
    ("Monday", "%A"),
    ("Mon", "%a"),
    ("MST", "%Z"),
    ("-0700", "%z"),
    ("01", "%m"),
    ("02", "%d"),
    ("15", "%H"),
    ("03", "%I"),
    ("04", "%M"),
    ("05", "%S"),
    ("PM", "%p"),
    ("06", "%y"),
]


class GoTime:
    """A time.Time; prints as Go's Time.String() does."""

    GO_TYPE = "time.Time"

    def __init__(self, moment: datetime.datetime) -> None:
        self.moment = moment

    def format(self, layout: str) -> str:
        out, i = [], 0
        while i < len(layout):
            if layout.startswith(".000", i) or layout.startswith(".999", i):
                digits = len(layout[i + 1 :]) - len(layout[i + 1 :].lstrip(layout[i + 1]))
                out.append("." + f"{self.moment.microsecond:06d}".ljust(9, "0")[:digits])
                i += 1 + digits
                continue
            for token, directive in _LAYOUT:
                if layout.startswith(token, i):
                    out.append(self.moment.strftime(directive))
                    i += len(token)
                    break
            else:
                out.append(layout[i])
                i += 1
        return "".join(out)

    def __go_format__(self) -> str:
        return self.format("2006-01-02 15:04:05.999999999 -0700 MST")

    def Unix(self) -> int:
        return int(self.moment.timestamp())


def now() -> GoTime:
    return GoTime(datetime.datetime.now(datetime.UTC))


def date(layout: str, when: Any) -> str:
    if isinstance(when, GoTime):
        return when.format(layout)
    if isinstance(when, int | float) and not isinstance(when, bool):
        return GoTime(datetime.datetime.fromtimestamp(when, datetime.UTC)).format(layout)
    raise FuncError("date: expected a time or a Unix timestamp")


def _random(alphabet: str) -> Callable[[int], str]:
    def pick(count: int) -> str:
        return "".join(secrets.choice(alphabet) for _ in range(max(count, 0)))

    return pick


CLOCK_AND_RANDOM: dict[str, Callable[..., Any]] = {
    "now": now,
    "date": date,
    "unixEpoch": lambda when: str(when.Unix()) if isinstance(when, GoTime) else "0",
    "uuidv4": lambda: str(uuid.uuid4()),
    "randAlphaNum": _random(string.ascii_letters + string.digits),
    "randAlpha": _random(string.ascii_letters),
    "randNumeric": _random(string.digits),
    "randAscii": _random("".join(chr(c) for c in range(33, 127))),
}
