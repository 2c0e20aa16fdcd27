"""A YAML scalar read into a Go `string` field, as istioctl's decoding spells it.

Kubernetes tooling reads manifests with go-yaml v2 (YAML 1.1) and then converts into the
typed object: a scalar that YAML resolves to a boolean or a number, where the Go field is
a string (a name, a namespace, an annotation value), becomes its Go spelling. So an
unquoted `namespace: on` is the namespace `"true"`, and `1.10` is `"1.1"`. Python's own
`str()` would give `True` and `1.1`.
"""

from __future__ import annotations

import math
import struct
from typing import Any


def go_string(value: Any) -> str:
    """`value` as a Go string field holds it (None is the empty string)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):  # rare: the Go formatting is imported only when needed
        from meshinject.gotemplate.printing import format_float

        return format_float(_as_float32(value))
    return str(value)


def _as_float32(value: float) -> float:
    """The shortest decimal that names the same float32 (Go formats these floats at 32
    bits), as a float whose own shortest spelling is that decimal."""
    if math.isnan(value) or math.isinf(value) or value == 0:
        return value
    try:
        single = struct.unpack("f", struct.pack("f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)
    for digits in range(1, 10):
        text = f"{single:.{digits}g}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            return float(text)
    return float(single)
