"""Settings written in files: the project configuration file and kustomize specs.

A project keeps its settings in `.meshinject.yaml`, or under `[tool.meshinject]` in
`pyproject.toml`, found from the working directory upward (as black, ruff and yamllint
find theirs; the search stops at the repository root, the folder holding `.git`). The
keys are the ones a kustomize `SidecarInjector` spec takes, one per setting of
`meshinject.options.RunOptions`; file names are relative to the file's folder:

    values: istio/values.yaml          # one file or a list, like --values
    revision: stable
    namespaceLabels: {shop: {istio-injection: enabled}}
    overrides:                         # per path: the last matching entry wins
      - paths: ["k8s/canary/**"]       # globs relative to this file's folder
        revision: canary
        namespace: shop

Flags given on the command line win over the file. Unknown keys and wrong values are
located errors (`path:line:col: key: message`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meshinject.errors import ConfigError, Location, MeshInjectError
from meshinject.options import RunOptions, Setting, by_key, settings
from meshinject.path_settings import PathOverride

CONFIG_NAME = ".meshinject.yaml"
PYPROJECT = "pyproject.toml"
KeyPath = tuple[str | int, ...]
Locate = Callable[[KeyPath], Location]


@dataclass(frozen=True)
class ProjectConfig:
    """A project configuration file: its settings and its per-path overrides."""

    path: str
    values: Mapping[str, Any] = field(default_factory=dict)  # field name -> value
    overrides: tuple[PathOverride, ...] = ()  # in file order (see meshinject.path_settings)

    def options(self, defaults: RunOptions, keep: frozenset[str] = frozenset()) -> RunOptions:
        """`defaults` with this file's settings, except the fields in `keep` (flags given)."""
        changes = {k: v for k, v in self.values.items() if k not in keep}
        return defaults.replace(**changes)


# --------------------------------------------------------------------------- finding


def find_project_config(start: Path) -> Path | None:
    """The nearest `.meshinject.yaml`, or `pyproject.toml` with `[tool.meshinject]`."""
    folder = start.resolve()
    while True:
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
        if (folder / ".git").exists() or folder.parent == folder:
            return None
        folder = folder.parent


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\[?tool\.meshinject[\].]", text, re.MULTILINE) is not None


def load_project_config(path: Path | str) -> ProjectConfig:
    """Read a project configuration file; ConfigError (located) if it is wrong."""
    path = Path(path)
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"cannot read file: {exc.strerror}", Location(source)) from None
    except UnicodeDecodeError:
        raise ConfigError("not valid UTF-8", Location(source)) from None
    if path.name == PYPROJECT:
        data, locate = _read_toml(text, source)
    else:
        data, locate = _read_yaml(text, source)
    if data is None:
        return ProjectConfig(source)
    if not isinstance(data, Mapping):
        raise ConfigError(f"expected a mapping of settings, got {type_name(data)}", locate(()))
    base_dir = path.parent
    values = parse_settings(
        {k: v for k, v in data.items() if k != "overrides"}, locate=locate, base_dir=base_dir
    )
    overrides = _overrides(data.get("overrides"), locate, base_dir)
    return ProjectConfig(source, values, overrides)


def _overrides(data: Any, locate: Locate, base_dir: Path) -> tuple[PathOverride, ...]:
    if data is None:
        return ()
    if not isinstance(data, list):
        where = ("overrides",)
        raise _error(f"expected a list of overrides, got {type_name(data)}", locate, where)
    per_path = {s.key for _, s in settings() if s.per_path}
    out = []
    for index, item in enumerate(data):
        at: KeyPath = ("overrides", index)
        if not isinstance(item, Mapping):
            raise _error(f"expected a mapping, got {type_name(item)}", locate, at)
        for key in item:
            if key != "paths" and key not in per_path:
                known = ", ".join(["paths", *sorted(per_path)])
                raise _error(f"unknown key in an override (known: {known})", locate, (*at, key))
        patterns = _strings(item.get("paths"), locate, (*at, "paths"))
        if not patterns:
            raise _error("an override needs `paths:` (globs)", locate, at)
        values = parse_settings(
            {k: v for k, v in item.items() if k != "paths"},
            locate=locate,
            base_dir=base_dir,
            prefix=at,
        )
        out.append(PathOverride(values, tuple(patterns), base_dir))
    return tuple(out)


# --------------------------------------------------------------------------- settings


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
            raise _error(f"unknown setting (known: {names})", locate, at)
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
        return tuple(_path(item, base_dir) for item in _strings(value, locate, at))
    if shape == "set":
        if isinstance(value, Mapping):
            return tuple(f"{k}={_set_value(v)}" for k, v in value.items())
        return tuple(_strings(value, locate, at))
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
        raise _error(f"expected one of {choices}, got {text!r}", locate, at)
    return text


def _path(name: str, base_dir: Path) -> str:
    return name if name == "-" or Path(name).is_absolute() else str(base_dir / name)


def _string(value: Any, locate: Locate, at: KeyPath) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise _error(f"expected a string, got {type_name(value)}", locate, at)
    return str(value)


def _strings(value: Any, locate: Locate, at: KeyPath) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [_string(item, locate, (*at, i)) for i, item in enumerate(value)]
    raise _error(f"expected a file name or a list of them, got {type_name(value)}", locate, at)


def _set_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "null" if value is None else str(value)


def _mapping_of_strings(value: Any, locate: Locate, at: KeyPath) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise _error(f"expected a mapping, got {type_name(value)}", locate, at)
    return {str(k): _string(v, locate, (*at, str(k))) for k, v in value.items()}


def _error(message: str, locate: Locate, at: KeyPath) -> ConfigError:
    return ConfigError(message, locate(at), key_path=render_key_path(at))


def render_key_path(path: KeyPath) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else step)
    return out


def type_name(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "a mapping", list: "a list", str: "a string", bool: "a boolean"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


# --------------------------------------------------------------------------- formats


def _read_yaml(text: str, source: str) -> tuple[Any, Locate]:
    from meshinject.yamltext import load_document

    try:
        loaded = load_document(text)
    except MeshInjectError as exc:
        raise ConfigError(exc.message, exc.located_in(source).location) from None

    def locate(path: KeyPath) -> Location:
        node: Any = loaded.root
        line, column = (node.line + 1, node.col + 1) if node is not None else (0, 0)
        for step in path:
            if isinstance(step, int):
                items = getattr(node, "items", None)
                if items is None or step >= len(items):
                    break
                node = items[step]
                line, column = node.line + 1, node.col + 1
            else:
                entry = next((e for e in getattr(node, "entries", []) if e.key == step), None)
                if entry is None:
                    break
                line, column = entry.key_node.line + 1, entry.key_node.col + 1
                node = entry.value
        return Location(source, line, column)

    return loaded.data, locate


def _read_toml(text: str, source: str) -> tuple[Any, Locate]:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, column = (int(match[1]), int(match[2])) if match else (0, 0)
        raise ConfigError(f"not valid TOML: {exc}", Location(source, line, column)) from None
    lines = text.splitlines()

    def locate(path: KeyPath) -> Location:
        """The line of the table (or `key =`) a key path names: TOML keeps no positions."""
        tables = [i for i, line in enumerate(lines) if re.match(r"\s*\[\[?tool\.meshinject", line)]
        start = tables[0] if tables else 0
        if len(path) >= 2 and path[0] == "overrides" and isinstance(path[1], int):
            found = [i for i in tables if "overrides" in lines[i]]
            if path[1] < len(found):
                start = found[path[1]]
            path = path[2:]
        key = next((step for step in path if isinstance(step, str)), None)
        if key is not None:
            pattern = re.compile(rf"\s*\"?{re.escape(key)}\"?\s*=")
            for number in range(start, len(lines)):
                if pattern.match(lines[number]):
                    column = len(lines[number]) - len(lines[number].lstrip()) + 1
                    return Location(source, number + 1, column)
        return Location(source, start + 1, 1)

    tool = data.get("tool", {}).get("meshinject")
    return tool, locate
