"""Validate merged data against a model; turn pydantic errors into located `ConfigError`s."""

from __future__ import annotations

import difflib
import re
import types
import typing
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from meshinject.config.provenance import KeyPath, Provenance, render_path
from meshinject.config.scalars import show
from meshinject.errors import ConfigError, Location

M = TypeVar("M", bound=BaseModel)


def validate(model: type[M], data: Any, prov: Provenance, fallback: Location) -> M:
    """`model.model_validate(data)`, or a ConfigError naming the source of the first problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise to_config_error(exc, model, prov, fallback) from None


def to_config_error(
    exc: ValidationError, model: type[BaseModel], prov: Provenance, fallback: Location
) -> ConfigError:
    errors = exc.errors(include_url=False)
    first = errors[0]
    loc: KeyPath = tuple(
        part for part in first["loc"] if not (isinstance(part, str) and "[" in part and "(" in part)
    )
    message = _message(first, model, loc)
    if len(errors) > 1:
        extra = len(errors) - 1
        message += f" (and {extra} more problem{'s' if extra > 1 else ''})"
    origin = prov.lookup(loc)
    location = origin.location if origin else fallback
    if origin and origin.note:
        message += f" in {origin.note!r}"
    return ConfigError(message, location, render_path(loc))


def _message(error: Any, model: type[BaseModel], loc: KeyPath) -> str:
    kind = error["type"]
    value = error.get("input")
    ctx = error.get("ctx") or {}
    if kind == "extra_forbidden":
        hint = _suggest(str(loc[-1]), _known_keys(model, loc[:-1]))
        return "unknown key" + (f" (did you mean {hint!r}?)" if hint else "")
    if kind == "meshinject":
        return str(ctx.get("detail", error["msg"]))
    if kind == "literal_error":
        return f"invalid value {show(value)} (expected {ctx.get('expected', 'another value')})"
    if kind == "missing":
        return "required key is missing"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected a mapping, got {show(value)}"
    if kind in ("list_type", "tuple_type"):
        return f"expected a list, got {show(value)}"
    if kind in ("string_type",):
        return f"expected a string, got {show(value)}"
    if kind in ("none_required",):
        return f"expected no value, got {show(value)}"
    return str(error["msg"])


def _suggest(key: str, known: list[str]) -> str | None:
    camel = re.sub(r"_([a-z])", lambda m: m.group(1).upper(), key)
    if camel != key and camel in known:
        return camel
    lowered = {k.lower(): k for k in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _known_keys(model: type[BaseModel], path: KeyPath) -> list[str]:
    """Field names (aliases) of the model reached by following `path` from `model`."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(part, int):
            args = typing.get_args(current)
            current = args[0] if typing.get_origin(current) is list and args else None
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return []
        field = next(
            (f for name, f in current.model_fields.items() if (f.alias or name) == part), None
        )
        if field is None:
            return []
        current = field.annotation
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [f.alias or name for name, f in current.model_fields.items()]
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            members = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(members) != 1:
                return annotation
            annotation = members[0]
        else:
            return annotation
