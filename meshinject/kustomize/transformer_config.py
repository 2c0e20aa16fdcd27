"""The transformer config: a `SidecarInjector` document (or kpt's ConfigMap) -> RunOptions.

Its `spec` takes the same keys as the project configuration file (one per setting of
`meshinject.options`), and wins over the project file found from the kustomization's folder.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from meshinject.errors import ConfigError, Location, MeshInjectError
from meshinject.kustomize import API_VERSION, KIND
from meshinject.yamltypes import yaml_type_name

if TYPE_CHECKING:
    from meshinject.options import RunOptions


def parse_config(data: Any, *, source: str, base_dir: Path) -> RunOptions:
    """A `SidecarInjector` document (or a kpt ConfigMap) -> the same options as the CLI's.

    Raises ConfigError located in `source`, naming the offending key.
    """
    where = Location(source)
    if not isinstance(data, Mapping):
        raise ConfigError(f"expected a {KIND} object, got {yaml_type_name(data)}", where)
    kind, api_version = data.get("kind"), data.get("apiVersion")
    if kind == "ConfigMap" and api_version == "v1":
        return _options(_from_configmap(data.get("data"), where), where, base_dir)
    if kind != KIND or api_version != API_VERSION:
        raise ConfigError(
            f"expected apiVersion: {API_VERSION} and kind: {KIND}, "
            f"got {api_version or '(none)'} {kind or '(none)'}",
            where,
        )
    unknown = sorted(set(data) - {"apiVersion", "kind", "metadata", "spec"})
    if unknown:
        raise ConfigError(
            f"unknown field {unknown[0]!r}: settings go under spec: (see meshinject "
            "kustomize-plugin --help)",
            where,
            key_path=unknown[0],
        )
    spec = data.get("spec")
    if spec is None:
        spec = {}
    if not isinstance(spec, Mapping):
        raise ConfigError(f"expected a mapping, got {yaml_type_name(spec)}", where, key_path="spec")
    return _options(spec, where, base_dir)


def _from_configmap(data: Any, where: Location) -> dict[str, Any]:
    """`kpt fn eval --exec meshinject -- revision=canary values=a.yaml,b.yaml`."""
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise ConfigError(f"expected a mapping, got {yaml_type_name(data)}", where, key_path="data")
    from meshinject.options import by_key

    known = by_key()
    spec: dict[str, Any] = {}
    for key, value in data.items():
        shape = known[str(key)][1].shape if str(key) in known else ""
        text = str(value)
        if shape in ("files", "set"):
            spec[str(key)] = [part.strip() for part in text.split(",") if part.strip()]
        elif shape in ("pairs", "file-pairs"):
            spec[str(key)] = dict(
                part.strip().partition("=")[::2] for part in text.split(",") if part.strip()
            )
        else:
            spec[str(key)] = text
    return spec


def _options(spec: Mapping[str, Any], where: Location, base_dir: Path) -> RunOptions:
    """The spec's settings over the project configuration file's (found from `base_dir`)."""
    from meshinject.options import RunOptions
    from meshinject.setting_values import parse_settings
    from meshinject.settings_file import find_project_config, load_project_config

    values = parse_settings(spec, locate=lambda _: where, base_dir=base_dir, prefix=("spec",))
    project = find_project_config(base_dir)
    options = load_project_config(project).options(RunOptions()) if project else RunOptions()
    return options.replace(**values)


def load_config_file(path: str, *, base_dir: Path | None = None, source: str = "") -> RunOptions:
    """Read a transformer config file (exec plugin protocol) and parse it (`parse_config`).

    `base_dir` anchors relative file names (default: the config's folder); `source` names
    the file in messages. Raises MeshInjectError located in `source`.
    """
    from meshinject.files.encoding import decode
    from meshinject.files.paths import read_input
    from meshinject.yamltext import load_document

    source = source or path
    text, _, _ = decode(read_input(path), source)
    try:
        data = load_document(text).data
    except MeshInjectError as exc:
        raise exc.located_in(source) from None
    return parse_config(data, source=source, base_dir=base_dir or Path(path).parent)
