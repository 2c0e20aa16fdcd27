"""Per-path settings: one model for `-n PATH=NAMESPACE` and a configuration file's `overrides:`.

Both say "for the input files here, use these settings instead of the run's". A
`PathOverride` holds the settings (`RunOptions` field names) and which files it selects:
path globs relative to a folder. The ones that may differ per path are the `per_path`
settings of `meshinject.options` (namespace, revision).

- A project configuration file's `overrides: [{paths: [globs], namespace: ..}]` gives one
  override per entry, in file order (`meshinject.settings_file`).
- A flag declared `flag_takes_paths` (`-n k8s/shop=shop`) gives one override for that file
  or folder and everything under it (`from_flags`).

`apply` applies every override that selects a file, in order, so the last one wins. The
run puts the file's overrides first and the flags' after them, shortest path first: a flag
wins over the file, and the most specific flag wins (`meshinject.run_settings.Requests`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meshinject.errors import ConfigError, Location

if TYPE_CHECKING:
    from meshinject.options import RunOptions


@dataclass(frozen=True)
class PathOverride:
    """Settings for the input files that `patterns` (globs relative to `base_dir`) select.

    A glob's `*` and `?` stay within one folder, `**` crosses folders, and a folder
    selects everything under it. Standard input (`-`) is never selected.
    """

    values: Mapping[str, Any]  # RunOptions field name -> value
    patterns: tuple[str, ...]
    base_dir: Path

    def matches(self, path: str) -> bool:
        if path == "-":
            return False
        try:
            relative = Path(path).resolve().relative_to(self.base_dir.resolve()).as_posix()
        except ValueError:
            return False
        return any(_glob(pattern).fullmatch(relative) for pattern in self.patterns)

    def without(self, fields: Iterable[str]) -> PathOverride:
        """This override without the settings in `fields` (given on the command line)."""
        skip = frozenset(fields)
        return PathOverride(
            {k: v for k, v in self.values.items() if k not in skip}, self.patterns, self.base_dir
        )


def apply(overrides: Iterable[PathOverride], path: str, options: RunOptions) -> RunOptions:
    """`options` for the input file `path`: every override selecting it, in order."""
    changes: dict[str, Any] = {}
    for override in overrides:
        if override.matches(path):
            changes.update(override.values)
    return options.replace(**changes) if changes else options


def from_flags(params: Mapping[str, Any]) -> tuple[PathOverride, ...]:
    """The `PATH=VALUE` values of the flags that take paths (`-n k8s/shop=shop`), shortest
    path first. ConfigError (located at the flag) if a PATH does not exist or a value is
    empty."""
    from meshinject.options import settings

    found: list[tuple[int, PathOverride]] = []
    for name, setting in settings():
        if not setting.flag_takes_paths:
            continue
        flag = next(f for f in setting.flags if f.startswith("--"))
        for item in params.get(name) or ():
            path, sep, value = str(item).partition("=")
            if not sep:
                continue  # the run's own value (`-n shop`)
            path, value = path.strip(), value.strip()
            if not path or not value:
                raise ConfigError(f"expected PATH={name.upper()}, got {item!r}", Location(flag))
            if not Path(path).exists():
                raise ConfigError(f"{path}={value}: no such file or folder", Location(flag))
            override = PathOverride({name: value}, ("**",), Path(path))
            found.append((len(Path(path).resolve().parts), override))
    return tuple(override for _, override in sorted(found, key=lambda pair: pair[0]))


def _glob(pattern: str) -> re.Pattern[str]:
    pattern = pattern.strip().removeprefix("./")
    out = ""
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out += "(?:.*/)?"
            i += 3
        elif pattern.startswith("**", i):
            out += ".*"
            i += 2
        elif pattern[i] == "*":
            out += "[^/]*"
            i += 1
        elif pattern[i] == "?":
            out += "[^/]"
            i += 1
        else:
            out += re.escape(pattern[i])
            i += 1
    return re.compile(out.rstrip("/") + "(?:/.*)?")
