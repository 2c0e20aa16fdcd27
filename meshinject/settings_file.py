"""The project configuration file: found, read, located errors, per-path overrides.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from meshinject.errors import ConfigError, Location, MeshInjectError
from meshinject.options import RunOptions, settings
from meshinject.path_settings import PathOverride
from meshinject.setting_values import KeyPath, Locate, error_at, parse_settings, strings_at
from meshinject.yamltypes import yaml_type_name

CONFIG_NAME = ".meshinject.yaml"
PYPROJECT = "pyproject.toml"


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
        raise ConfigError(f"expected a mapping of settings, got {yaml_type_name(data)}", locate(()))
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
        raise error_at(f"expected a list of overrides, got {yaml_type_name(data)}", locate, where)
    per_path = {s.key for _, s in settings() if s.per_path}
    out = []
    for index, item in enumerate(data):
        at: KeyPath = ("overrides", index)
        if not isinstance(item, Mapping):
            raise error_at(f"expected a mapping, got {yaml_type_name(item)}", locate, at)
        for key in item:
            if key != "paths" and key not in per_path:
                known = ", ".join(["paths", *sorted(per_path)])
                raise error_at(f"unknown key in an override (known: {known})", locate, (*at, key))
        patterns = strings_at(item.get("paths"), locate, (*at, "paths"))
        if not patterns:
            raise error_at("an override needs `paths:` (globs)", locate, at)
        values = parse_settings(
            {k: v for k, v in item.items() if k != "paths"},
            locate=locate,
            base_dir=base_dir,
            prefix=at,
        )
        out.append(PathOverride(values, tuple(patterns), base_dir))
    return tuple(out)


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
