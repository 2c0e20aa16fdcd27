"""Typed Go values for template data: maps, structs, protobuf messages, enums, quantities.

Istio hands its injection templates typed Go data (`SidecarTemplateData`): Kubernetes
structs, protobuf messages and `map[string]string`s. Their semantics differ from plain
JSON-shaped data in ways templates rely on:

* a typed map (`GoMap`) gives its element's zero value to `index` for a missing key, also
  when the map itself is nil (`index .ObjectMeta.Annotations "x"` is `""`), prints as
  `map[k:v]`, and `.key` reads the exact key only;
* a struct (`GoStruct`) has a declared field set: an unset field is its zero value
  (`""`, `0`, `false`, `[]`, a nil map), a field Go does not have is an error, and a field
  meshinject does not model is an error saying so (never a silent `<no value>`);
* a protobuf message (`ProtoMessage`) also has nil-safe `GetX` getters, and its enums
  (`ProtoEnum`) print their names (`REDIRECT`) while comparing as numbers;
* `Quantity` and `IntOrString` print as Kubernetes prints them.

`go_json` turns any of these into plain data in Go's field order with `omitempty` applied,
which is what `json.Marshal` (and so `structToJSON`/`toYaml`) writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from .values import ExecError

# Field kinds: "string", "int", "bool", "float", "*int", "*bool", "*string", "map" (a
# map[string]string), "anymap" (map[string]interface{}), "[]string", "[]X" / "X" / "*X"
# (a struct type registered by name), "quantity", "intstr", "enum:Name" (protobuf enum),
# "raw" (known to exist but not modelled: reading it is an error), "json" (kept as data).


class GoMap(dict[str, Any]):
    """A typed Go map: `index` of a missing key gives `zero`; `nil` marks a nil map."""

    GO_TYPE = "map[string]string"

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        zero: Any = "",
        go_type: str = "map[string]string",
    ) -> None:
        super().__init__(data or {})
        self.zero = zero
        self.nil = data is None
        self.GO_TYPE = go_type


@dataclass(frozen=True, slots=True)
class FieldSpec:
    go: str
    json: str
    kind: str
    omitempty: bool = True


class GoStruct:
    """A Go struct over JSON-shaped data; fields read lazily by their Go names.

    Subclasses (or `struct_type`) set `GO_TYPE` and `FIELDS`. Reading `.Name` converts
    the JSON value under the field's JSON name to the field's Go type, or gives the Go
    zero value when it is absent.
    """

    GO_TYPE: ClassVar[str] = "struct"
    FIELDS: ClassVar[tuple[FieldSpec, ...]] = ()
    _BY_GO: ClassVar[dict[str, FieldSpec]] = {}

    __slots__ = ("_cache", "_raw")

    def __init__(self, raw: Mapping[str, Any] | None) -> None:
        self._raw: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
        self._cache: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        spec = self._BY_GO.get(name)
        if spec is None:
            raise ExecError(f"can't evaluate field {name} in type {self.GO_TYPE}")
        if name not in self._cache:
            value = typed(spec.kind, self._raw.get(spec.json), self.GO_TYPE, name)
            if isinstance(value, Unmodelled):
                raise value.fail()
            self._cache[name] = value
        return self._cache[name]

    def __go_format__(self) -> str:
        from .printing import format_value

        return "{" + " ".join(format_value(getattr(self, f.go)) for f in self.FIELDS) + "}"

    def go_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for spec in self.FIELDS:
            if spec.json not in self._raw:
                if not spec.omitempty and spec.kind in STRUCTS:
                    out[spec.json] = {}
                elif not spec.omitempty:
                    out[spec.json] = go_json(typed(spec.kind, None, self.GO_TYPE, spec.go))
                continue
            raw = self._raw[spec.json]
            if spec.kind == "raw":  # not modelled: written back as given
                if raw is not None:
                    out[spec.json] = raw
                continue
            value = go_json(typed(spec.kind, raw, self.GO_TYPE, spec.go))
            if spec.omitempty and _empty(value) and not _is_struct_kind(spec.kind):
                continue
            out[spec.json] = value
        known = {f.json for f in self.FIELDS}
        for key, value in self._raw.items():  # fields this model does not list: as given
            if key not in known and value is not None:
                out[key] = value
        return out


def _is_struct_kind(kind: str) -> bool:
    return kind in STRUCTS


def _empty(value: Any) -> bool:
    return value is None or value is False or value == 0 or value in ("", [], {})


STRUCTS: dict[str, type[GoStruct]] = {}


def struct_type(name: str, go_type: str, fields: str) -> type[GoStruct]:
    """Declare a struct: `fields` is `GoName jsonName kind[!]` entries separated by `;`
    (a trailing `!` on the kind = no omitempty)."""
    specs: list[FieldSpec] = []
    for entry in fields.split(";"):
        parts = entry.split()
        if not parts:
            continue
        go, js, kind = parts
        specs.append(FieldSpec(go, js, kind.rstrip("!"), omitempty=not kind.endswith("!")))
    cls = type(
        name,
        (GoStruct,),
        {
            "GO_TYPE": go_type,
            "FIELDS": tuple(specs),
            "_BY_GO": {s.go: s for s in specs},
            "__slots__": (),
        },
    )
    STRUCTS[name] = cls
    return cls


class Unmodelled:
    """A field Go has but meshinject does not model: any use is a located error."""

    __slots__ = ("where",)

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self) -> ExecError:
        return ExecError(f"{self.where} is not modelled by meshinject (the template reads it)")

    def __bool__(self) -> bool:
        raise self.fail()

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_") or name == "where":
            raise AttributeError(name)
        raise self.fail()

    def __go_format__(self) -> str:
        raise self.fail()


class Quantity(str):
    """resource.Quantity: prints (and marshals) in the API server's canonical form."""

    GO_TYPE = "resource.Quantity"

    def __new__(cls, text: Any) -> Quantity:
        from meshinject.quantity import QuantityError, canonical_quantity

        try:
            return super().__new__(cls, canonical_quantity(str(text)))
        except QuantityError:
            return super().__new__(cls, str(text))


class IntOrString:
    """intstr.IntOrString: an int or a string, printed as `{type intval strval}` by %v."""

    GO_TYPE = "intstr.IntOrString"
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value: int | str = value if isinstance(value, int | str) else 0

    @property
    def Type(self) -> int:
        return 1 if isinstance(self.value, str) else 0

    @property
    def IntVal(self) -> int:
        return self.value if isinstance(self.value, int) else 0

    @property
    def StrVal(self) -> str:
        return self.value if isinstance(self.value, str) else ""

    def String(self) -> str:
        return str(self.value)

    def __go_format__(self) -> str:
        return f"{{{self.Type} {self.IntVal} {self.StrVal}}}"

    def go_json(self) -> Any:
        return self.value


class ProtoEnum(int):
    """A protobuf enum: an int32 that prints (and has `.String`) as its name."""

    GO_TYPE = "protoenum"

    def __new__(cls, number: int, name: str, go_type: str) -> ProtoEnum:
        obj = super().__new__(cls, number)
        obj._name = name  # type: ignore[attr-defined]
        obj._go_type = go_type  # type: ignore[attr-defined]
        return obj

    def String(self) -> str:
        return str(self._name)  # type: ignore[attr-defined]

    def __go_format__(self) -> str:
        return self.String()

    def go_json(self) -> Any:
        return int(self)


ENUMS: dict[str, tuple[str, ...]] = {}


def enum_value(type_name: str, raw: Any) -> ProtoEnum:
    names = ENUMS[type_name]
    if isinstance(raw, str) and raw in names:
        number = names.index(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < len(names):
        number = raw
    else:
        number = 0
    return ProtoEnum(number, names[number], type_name)


def typed(kind: str, raw: Any, owner: str, field: str) -> Any:
    """The Go value of a field of `kind` holding JSON value `raw` (None = unset)."""
    if kind == "string":
        return raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    if kind == "int":
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else 0
    if kind == "bool":
        return bool(raw) if isinstance(raw, bool) else False
    if kind == "float":
        return float(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else 0.0
    if kind in ("*int", "*bool", "*string"):
        return raw
    if kind == "map":
        if not isinstance(raw, Mapping):
            return GoMap(None)
        return GoMap({str(k): "" if v is None else str(v) for k, v in raw.items()})
    if kind == "anymap":
        return GoMap(
            raw if isinstance(raw, Mapping) else None,
            zero=None,
            go_type="map[string]interface {}",
        )
    if kind == "quantity":
        return Quantity(raw) if raw is not None else Quantity("0")
    if kind == "intstr":
        return IntOrString(raw)
    if kind == "json":
        return raw
    if kind == "raw":
        return Unmodelled(f"{owner}.{field}") if raw is not None else None
    if kind.startswith("enum:"):
        return enum_value(kind[5:], raw)
    if kind == "resourcelist":
        if not isinstance(raw, Mapping):
            return GoMap(None, zero=Quantity("0"), go_type="v1.ResourceList")
        return GoMap(
            {str(k): Quantity(v) for k, v in raw.items() if v is not None},
            zero=Quantity("0"),
            go_type="v1.ResourceList",
        )
    if kind.startswith("[]"):
        elem = kind[2:]
        if not isinstance(raw, list):
            return GoSlice(None, elem)
        return GoSlice([typed(elem, item, owner, field) for item in raw], elem)
    if kind.startswith("*"):
        cls = STRUCTS[kind[1:]]
        return cls(raw) if isinstance(raw, Mapping) else None
    cls = STRUCTS[kind]
    return cls(raw if isinstance(raw, Mapping) else None)


class GoSlice(list[Any]):
    """A typed Go slice; `nil` marks a nil slice (marshals as null, prints `[]`)."""

    def __init__(self, items: Iterable[Any] | None, elem: str = "interface {}") -> None:
        super().__init__(items or [])
        self.nil = items is None
        self.GO_TYPE = f"[]{elem}"


def go_json(value: Any) -> Any:
    """Plain JSON data for a typed value, as Go's json.Marshal would see it."""
    if isinstance(value, GoStruct | IntOrString | ProtoEnum):
        return value.go_json()
    if isinstance(value, Quantity):
        return str(value)
    if isinstance(value, GoSlice) and value.nil:
        return None
    if isinstance(value, GoMap) and value.nil:
        return None
    if isinstance(value, ProtoMessage):
        return value.go_json()
    if isinstance(value, Unmodelled):
        raise value.fail()
    if isinstance(value, Mapping):
        return {k: go_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [go_json(v) for v in value]
    return value


# --- protobuf messages --------------------------------------------------------------


class ProtoMessage:
    """A pointer to a protobuf message over its proto-JSON data (None = nil pointer).

    `MESSAGE_FIELDS[type]` maps Go field names to (json name, kind); `.Field` on a nil
    message is Go's nil-pointer error; `GetField` is nil-safe and gives the zero value.
    """

    __slots__ = ("_cache", "_raw", "_type")

    def __init__(self, type_name: str, raw: Mapping[str, Any] | None) -> None:
        self._type = type_name
        self._raw = raw
        self._cache: dict[str, Any] = {}

    @property
    def GO_TYPE(self) -> str:
        return f"*v1alpha1.{self._type}"

    def __bool__(self) -> bool:
        return self._raw is not None

    def raw(self) -> Mapping[str, Any] | None:
        return self._raw

    def field(self, name: str) -> Any:
        fields = MESSAGE_FIELDS.get(self._type, {})
        spec = fields.get(name)
        if spec is None:
            raise ExecError(f"can't evaluate field {name} in type {self.GO_TYPE}")
        if name not in self._cache:
            json_name, kind = spec
            raw = None if self._raw is None else self._raw.get(json_name)
            self._cache[name] = proto_typed(kind, raw, f"{self._type}.{name}")
        return self._cache[name]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name.startswith("Get") and name[3:] in MESSAGE_FIELDS.get(self._type, {}):
            field = name[3:]
            return lambda: self.field(field)
        if self._raw is None:
            raise ExecError(f"nil pointer evaluating {self.GO_TYPE}.{name}")
        return self.field(name)

    def __go_format__(self) -> str:
        if self._raw is None:
            return "<nil>"
        from .gojson import marshal

        return marshal(self.go_json(), sort_keys=False)

    def go_json(self) -> Any:
        return None if self._raw is None else dict(self._raw)


def proto_typed(kind: str, raw: Any, where: str) -> Any:
    if kind.startswith("msg:"):
        return ProtoMessage(kind[4:], raw if isinstance(raw, Mapping) else None)
    if kind == "duration":
        return raw  # formatDuration reads the proto-JSON spelling ("45s")
    if kind in ("boolvalue", "int32value", "uint32value", "doublevalue"):
        return WrapperValue(kind, raw)
    owner, _, field = where.rpartition(".")
    if kind == "[]msg":
        items = raw if isinstance(raw, list) else None
        return GoSlice(None if items is None else [ProtoMessage(field, r) for r in items])
    return typed(kind, raw, owner, field)


class WrapperValue:
    """A `*wrapperspb.BoolValue` / `Int32Value`: nil when unset, `.GetValue` nil-safe."""

    __slots__ = ("kind", "raw")

    def __init__(self, kind: str, raw: Any) -> None:
        self.kind = kind
        self.raw = raw

    @property
    def GO_TYPE(self) -> str:
        return "*wrapperspb." + {"boolvalue": "BoolValue"}.get(self.kind, "Int32Value")

    def __bool__(self) -> bool:
        return self.raw is not None

    def GetValue(self) -> Any:
        if self.kind == "boolvalue":
            return bool(self.raw) if isinstance(self.raw, bool) else False
        if self.kind == "doublevalue":
            return float(self.raw) if isinstance(self.raw, int | float) else 0.0
        return self.raw if isinstance(self.raw, int) and not isinstance(self.raw, bool) else 0

    @property
    def Value(self) -> Any:
        if self.raw is None:
            raise ExecError(f"nil pointer evaluating {self.GO_TYPE}.Value")
        return self.GetValue()

    def __go_format__(self) -> str:
        if self.raw is None:
            return "<nil>"
        from .printing import format_value

        return f"value:{format_value(self.GetValue())}"

    def go_json(self) -> Any:
        return self.raw


MESSAGE_FIELDS: dict[str, dict[str, tuple[str, str]]] = {}


def message_type(name: str, fields: str) -> None:
    """Declare a protobuf message: `GoName jsonName kind` entries separated by `;`."""
    table: dict[str, tuple[str, str]] = {}
    for entry in fields.split(";"):
        parts = entry.split()
        if parts:
            table[parts[0]] = (parts[1], parts[2])
    MESSAGE_FIELDS[name] = table


def go_truth(value: Any) -> bool | None:
    """Truth of a typed value (None: not one of ours)."""
    if isinstance(value, GoStruct):
        return True
    if isinstance(value, ProtoMessage | WrapperValue | Unmodelled):
        return bool(value)
    return None
