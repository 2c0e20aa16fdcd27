"""Kubernetes resource quantities: parsing and the API server's canonical spelling.

Istio's injector round-trips every pod through Go structs, so a proxy CPU request written as
`4000m` comes out as `"4"` and `1024Mi` as `1Gi`. We canonicalise the quantities we inject
the same way so our output matches what the cluster would store.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fractions import Fraction

_BINARY = {"Ki": 1, "Mi": 2, "Gi": 3, "Ti": 4, "Pi": 5, "Ei": 6}
_DECIMAL = {"n": -9, "u": -6, "m": -3, "": 0, "k": 3, "M": 6, "G": 9, "T": 12, "P": 15, "E": 18}
_DECIMAL_SUFFIX = {exp: suffix for suffix, exp in _DECIMAL.items()}
_BINARY_SUFFIX = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"]

_QUANTITY = re.compile(
    r"^(?P<num>[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))"
    r"(?P<suffix>[eE][+-]?[0-9]+|[KMGTPE]i|[numkMGTPE]?)$"
)


# Kubernetes stores quantities as int64 scaled values; anything this long is a mistake.
MAX_DIGITS = 40


class QuantityError(ValueError):
    """The text is not a Kubernetes quantity."""


def parse_quantity(text: str) -> tuple[Fraction, str]:
    """Return the exact value and its format: "BinarySI", "DecimalSI" or "DecimalExponent"."""
    match = _QUANTITY.match(text.strip())
    if not match:
        raise QuantityError(
            "not a Kubernetes quantity (a number with an optional suffix such as 100m, "
            "0.5, 128Mi or 1Gi)"
        )
    suffix = match["suffix"]
    digits = sum(c.isdigit() for c in match["num"])
    decimal_exponent = suffix not in _BINARY and suffix[:1] in ("e", "E") and len(suffix) > 1
    exponent = int(suffix[1:]) if decimal_exponent else 0
    if digits > MAX_DIGITS or abs(exponent) > MAX_DIGITS:
        # Bounded so that a hostile `1e999999999` cannot make us compute a huge number.
        raise QuantityError(f"quantity out of range (more than {MAX_DIGITS} digits)")
    # Imported here: `fractions` loads `decimal` (~10 ms), which a run that reads no
    # quantity (one Deployment with the default resources) need not pay.
    from fractions import Fraction

    number = Fraction(match["num"])
    if suffix in _BINARY:
        return number * 1024 ** _BINARY[suffix], "BinarySI"
    if decimal_exponent:
        return number * Fraction(10) ** exponent, "DecimalExponent"
    return number * Fraction(10) ** _DECIMAL[suffix], "DecimalSI"


def canonical_quantity(value: str | int | float) -> str:
    """Spell a quantity the way the Kubernetes API server serialises it."""
    return _canonical(str(value))


@lru_cache(maxsize=4096)  # every workload repeats the same few amounts (bounded memory)
def _canonical(text: str) -> str:
    from fractions import Fraction  # imported on use, see parse_quantity

    number, fmt = parse_quantity(text)
    if number == 0:
        return "0"
    # Kubernetes rounds up to nano precision.
    nanos = -((-number * 10**9) // 1)
    number = Fraction(nanos, 10**9)
    if fmt == "BinarySI" and (abs(number) < 1024 or number.denominator != 1):
        fmt = "DecimalSI"
    sign = "-" if number < 0 else ""
    magnitude = abs(number)
    if fmt == "BinarySI":
        mantissa = int(magnitude)
        power = 0
        while power < 6 and mantissa % 1024 == 0:
            mantissa //= 1024
            power += 1
        return f"{sign}{mantissa}{_BINARY_SUFFIX[power]}"
    mantissa_frac = magnitude * 10**9
    mantissa, exponent = int(mantissa_frac), -9
    while mantissa % 1000 == 0 and exponent < 18:
        mantissa //= 1000
        exponent += 3
    if fmt == "DecimalExponent":
        return f"{sign}{mantissa}" + (f"e{exponent}" if exponent else "")
    return f"{sign}{mantissa}{_DECIMAL_SUFFIX[exponent]}"


def canonical_resources(resources: object) -> object:
    """Canonicalise the quantities of a `resources` mapping (requests/limits); a copy."""
    if not isinstance(resources, dict):
        return resources
    out: dict[str, object] = {}
    for section, values in resources.items():
        if section in ("requests", "limits") and isinstance(values, dict):
            out[section] = {
                name: canonical_quantity(q) if isinstance(q, (str, int, float)) else q
                for name, q in values.items()
            }
        else:
            out[section] = values
    return out
