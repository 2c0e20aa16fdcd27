"""Setting values as files write them -> `RunOptions` field values, with located errors.

One parser for every file that holds settings: the project configuration file
(`meshinject.settings_file`) and a kustomize `SidecarInjector` spec
(`meshinject.kustomize.transformer_config`), so both take exactly the settings the command
line has (`meshinject.options`), spelled by their `key`, shaped by their `shape`.
A value's location comes from the caller's `Locate` (a YAML node's line, a TOML line).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from meshinject.errors import ConfigError, Location
from meshinject.options import Setting, by_key
from meshinject.yamltypes import yaml_type_name

KeyPath = tuple[str | int, ...]
Locate = Callable[[KeyPath], Location]


def parse_settings(
    data: Mapping[Any, Any], *, locate: Locate, base_dir: Path, prefix: KeyPath = ()
) -> dict[str, Any]:
    """Setting keys -> `RunOptions` field values (only the keys given; null = not given).

    Shared by project configuration files and kustomize specs, so both take exactly the
    settings the command line has.
    """
    known = by_key()
    fields: dict[str, Any] = {}
    for key, value in data.items():
        at = (*prefix, str(key))
        if key not in known:
            names = ", ".join(sorted(known))
            raise error_at(f"unknown setting (known: {names})", locate, at)
        if value is None:
            continue
        name, setting = known[key]
        if setting.shape == "labels" and not isinstance(value, str):
            from meshinject.policy import parse_namespace_labels

            fields["extra_namespaces"] = parse_namespace_labels(value, source=locate(at).path)
            continue
        fields[name] = _value(setting, value, locate, at, base_dir)
    return fields


def _value(setting: Setting, value: Any, locate: Locate, at: KeyPath, base_dir: Path) -> Any:
    shape = setting.shape
    if shape == "files":
        return tuple(_path(item, base_dir) for item in strings_at(value, locate, at))
    if shape == "set":
        if isinstance(value, Mapping):
            return tuple(f"{k}={_set_value(v)}" for k, v in value.items())
        return tuple(strings_at(value, locate, at))
    if shape in ("pairs", "file-pairs"):
        pairs = _mapping_of_strings(value, locate, at)
        if shape == "file-pairs":
            pairs = {k: _path(v, base_dir) for k, v in pairs.items()}
        return tuple(f"{k}={v}" for k, v in pairs.items())
    if shape == "labels":
        return _path(_string(value, locate, at), base_dir)
    text = _string(value, locate, at)
    if setting.choices and text not in setting.choices:
        choices = ", ".join(setting.choices)
        raise error_at(f"expected one of {choices}, got {text!r}", locate, at)
    return text


def _path(name: str, base_dir: Path) -> str:
    return name if name == "-" or Path(name).is_absolute() else str(base_dir / name)


def _string(value: Any, locate: Locate, at: KeyPath) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise error_at(f"expected a string, got {yaml_type_name(value)}", locate, at)
    return str(value)


def strings_at(value: Any, locate: Locate, at: KeyPath) -> list[str]:
    """One string or a list of them, as a list; ConfigError located at `at` otherwise."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [_string(item, locate, (*at, i)) for i, item in enumerate(value)]
    raise error_at(
        f"expected a file name or a list of them, got {yaml_type_name(value)}", locate, at
    )


def _set_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _mapping_of_strings(value: Any, locate: Locate, at: KeyPath) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise error_at(f"expected a mapping, got {yaml_type_name(value)}", locate, at)
    return {str(k): _string(v, locate, (*at, str(k))) for k, v in value.items()}


def error_at(message: str, locate: Locate, at: KeyPath) -> ConfigError:
    """A ConfigError located at the key path `at`, which it also names (`key.sub[0]`)."""
    return ConfigError(message, locate(at), key_path=render_key_path(at))


def render_key_path(path: KeyPath) -> str:
    """A key path as a message names it: `overrides[0].namespace`."""
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out
