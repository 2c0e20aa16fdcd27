"""What decoding a rendered template into Go's `corev1.Pod` does to it, in place.

Istio parses every template's output into a typed Pod before merging it, so whichever
renderer produced it (meshinject's Jinja templates or a user's Go templates), the overlay
is normalised the same way here: `omitempty` zero values disappear (`initialDelaySeconds:
0`, `value: ""`), a null field is absent, quantities take the API server's canonical
spelling (`2000m` becomes `"2"`), and a null request/limit is no request/limit. The keys
keep the order they were written in.
"""

from __future__ import annotations

from typing import Any

from meshinject.gotemplate import kubetypes  # noqa: F401 - registers the Kubernetes types
from meshinject.gotemplate.gotypes import STRUCTS, go_json
from meshinject.quantity import QuantityError, canonical_quantity


def _is_zero(value: Any, kind: str) -> bool:
    if value is None:
        return True
    if kind.startswith("*") or kind in STRUCTS or kind == "raw":
        return False
    if kind.startswith("[]") or kind in ("map", "anymap", "resourcelist"):
        return not value
    if kind == "intstr":
        return False
    return value is False or value in {0, ""}


def _resource_list(values: Any) -> Any:
    if not isinstance(values, dict):
        return values
    out: dict[str, Any] = {}
    for name, quantity in values.items():
        if quantity is None:
            continue
        try:
            out[name] = canonical_quantity(quantity)
        except (QuantityError, TypeError):
            out[name] = quantity
    return out


def normalise(data: Any, struct: str) -> Any:
    """`data` (JSON-shaped) as Go's encoding of struct type `struct` would write it back."""
    cls = STRUCTS.get(struct)
    if cls is None or not isinstance(data, dict):
        return data
    fields = {f.json: f for f in cls.FIELDS}
    out: dict[str, Any] = {}
    for key, value in data.items():
        spec = fields.get(key)
        if spec is None:
            if value is not None:
                out[key] = value
            continue
        if spec.omitempty and _is_zero(value, spec.kind):
            continue
        if value is None:
            continue
        out[key] = _normalise_value(value, spec.kind)
    for spec in cls.FIELDS:  # non-omitempty struct fields always appear (`resources: {}`)
        if not spec.omitempty and spec.kind in STRUCTS and spec.json not in out:
            out[spec.json] = {}
    return out


def _normalise_value(value: Any, kind: str) -> Any:
    if kind == "resourcelist":
        return _resource_list(value)
    if kind.startswith("[]") and isinstance(value, list):
        elem = kind[2:]
        return [normalise(v, elem) if elem in STRUCTS else v for v in value]
    name = kind.lstrip("*")
    if name in STRUCTS:
        return normalise(value, name)
    return value


def normalise_pod_overlay(overlay: dict[str, Any]) -> dict[str, Any]:
    """A rendered template (a partial pod): its containers as Go would re-encode them."""
    spec = overlay.get("spec")
    if isinstance(spec, dict):
        for field in ("containers", "initContainers"):
            items = spec.get(field)
            if isinstance(items, list):
                spec[field] = [normalise(c, "Container") for c in items]
    return overlay


def go_marshal_data(data: Any, struct: str) -> Any:
    """What Go's json.Marshal writes for `data` decoded into struct `struct`: keys in field
    declaration order (nested structs too), `omitempty` zero values dropped, and unset
    fields without `omitempty` written as their zero value (a nil pointer as `null`, as
    in a gRPC probe's `"service":null`). Keys Go does not know are kept, last."""
    cls = STRUCTS.get(struct)
    if cls is None or not isinstance(data, dict):
        return data
    return go_json(cls(data))


def go_field_order(data: Any, struct: str) -> Any:
    """`data` with its keys in the order Go's json.Marshal writes struct `struct` (field
    declaration order, nested structs too); keys Go does not know keep their place last.
    Unlike `go_marshal_data`, no value is dropped or added: this orders the user's own
    fields where meshinject writes them back (the overrides annotation)."""
    cls = STRUCTS.get(struct)
    if cls is None or not isinstance(data, dict):
        return data
    out: dict[str, Any] = {}
    for spec in cls.FIELDS:
        if spec.json in data:
            out[spec.json] = _ordered_value(data[spec.json], spec.kind)
    for key, value in data.items():
        out.setdefault(key, value)
    return out


def _ordered_value(value: Any, kind: str) -> Any:
    if kind.startswith("[]") and isinstance(value, list):
        return [go_field_order(v, kind[2:]) for v in value]
    return go_field_order(value, kind.lstrip("*"))
