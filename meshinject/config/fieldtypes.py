"""Annotated pydantic field types built on `scalars`, and the base model every config model uses."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError

from meshinject.config import scalars


class StrictModel(BaseModel):
    """Frozen, rejects unknown keys, populated by the camelCase/YAML names (aliases)."""

    # defer_build: a schema is built when a model first validates, not when its class is
    # made: a run whose configuration comes from the cache validates nothing.
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, defer_build=True)


def _checked(check: Callable[[Any], Any]) -> BeforeValidator:
    def run(value: Any) -> Any:
        try:
            return check(value)
        except ValueError as exc:
            raise PydanticCustomError("meshinject", "{detail}", {"detail": str(exc)}) from None

    return BeforeValidator(run)


def _string_map(value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping, got {scalars.show(value)}")
    return {str(k): scalars.to_text(v) for k, v in value.items()}


def _proto_string(value: Any) -> str:
    """A value of a protobuf `map<string, string>` (ProxyConfig `proxyMetadata`): Istio's
    proto-JSON decoding rejects one that is not a string, so a YAML `true` or `1` is an
    error here too, with a hint to quote it, not a string Istio would never have seen."""
    if value is None:
        return ""
    if not isinstance(value, str):
        shown = scalars.show(value)
        hint = f' (quote it: "{shown}")' if not isinstance(value, dict | list) else ""
        raise ValueError(
            f"expected a string, got {shown}: a map<string, string> in Istio's API, which"
            f" rejects any other value{hint}"
        )
    return value


def _scalar_map(value: Any) -> dict[str, Any]:
    """A map of scalars that keep their YAML type (Istio's `pilot.env` is a Struct)."""
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping, got {scalars.show(value)}")
    out: dict[str, Any] = {}
    for key, item in value.items():
        if isinstance(item, dict | list):
            raise ValueError(
                f"{key}: expected a string, number or boolean, got {scalars.show(item)}"
            )
        out[str(key)] = item
    return out


def _selector_list(value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list):
        raise ValueError(f"expected a list of label selectors, got {scalars.show(value)}")
    for item in value:
        if not isinstance(item, dict):
            raise ValueError(f"expected a label selector mapping, got {scalars.show(item)}")
    return value


def _quantity_map(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping of resource quantities, got {scalars.show(value)}")
    return value


Bool = Annotated[bool, _checked(scalars.to_bool)]
Port = Annotated[int, _checked(scalars.to_port)]
NonNegInt = Annotated[int, _checked(lambda v: scalars.to_int(v, minimum=0))]
Text = Annotated[str, _checked(scalars.to_text)]
Quantity = Annotated[str | int | float, _checked(scalars.to_quantity)]
QuantityMap = Annotated[dict[str, Quantity], _checked(_quantity_map)]
Duration = Annotated[str, _checked(scalars.to_duration)]
StringMap = Annotated[dict[str, str], _checked(_string_map)]
ProtoStringMap = dict[str, Annotated[str, _checked(_proto_string)]]
ScalarMap = Annotated[dict[str, Any], _checked(_scalar_map)]
Selectors = Annotated[list[dict[str, Any]], _checked(_selector_list)]
InboundPorts = Annotated[str, _checked(lambda v: scalars.to_port_list(v, wildcard=True))]
PortList = Annotated[str, _checked(lambda v: scalars.to_port_list(v, wildcard=False))]
IncludeCidrs = Annotated[str, _checked(lambda v: scalars.to_cidr_list(v, wildcard=True))]
ExcludeCidrs = Annotated[str, _checked(lambda v: scalars.to_cidr_list(v, wildcard=False))]
