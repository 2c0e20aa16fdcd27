"""The settings of a run: the project configuration file's, then the flags, then per path.

`resolve` reads the project configuration file (`meshinject.settings_file`), lets the flags
given on the command line win over it, and gathers the per-path overrides (the file's and
the flags' `PATH=VALUE`s, `meshinject.path_settings`). `Requests` turns that into one
`InjectionRequest` per distinct per-path settings the inputs need.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from meshinject.options import RunOptions, options_from_params, settings

if TYPE_CHECKING:
    from meshinject.inject.document import InjectionRequest
    from meshinject.path_settings import PathOverride


class Requests:
    """The requests of a run: one per distinct per-path settings (namespace, revision).

    `overrides` are the run's per-path settings (`meshinject.path_settings`), in the order
    they apply. A config is built once per distinct revision settings; files that differ
    only in their namespace share it.
    """

    def __init__(self, options: RunOptions, overrides: tuple[PathOverride, ...] = ()):
        self.options = options
        self.overrides = overrides
        self.built: list[InjectionRequest] = []
        self._index: dict[tuple[Any, ...], int] = {}
        self._configs: dict[tuple[Any, ...], InjectionRequest] = {}
        self.index_for("")  # the run's own settings: request 0, built (and checked) first

    def index_for(self, path: str) -> int:
        from dataclasses import replace

        from meshinject.path_settings import apply
        from meshinject.request import build_request

        options = apply(self.overrides, path, self.options) if path else self.options
        key = tuple(getattr(options, name) for name, s in settings() if s.per_path)
        if key not in self._index:
            config_key = tuple(
                getattr(options, name)
                for name, s in settings()
                if s.per_path and name != "namespace"
            )
            if config_key not in self._configs:
                self._configs[config_key] = build_request(options)
            request = replace(self._configs[config_key], default_namespace=options.namespace)
            self._index[key] = len(self.built)
            self.built.append(request)
        return self._index[key]


def resolve(
    params: dict[str, Any], keep: frozenset[str], paths: list[str], *, operation: str = "inject"
) -> Requests:
    """The run's settings: the project configuration file's, overridden by the flags
    given (`keep`), and a request for each per-path variant the inputs need. Per path, the
    file's `overrides:` apply first, then the flags' `PATH=VALUE`s (they win). Raises
    MeshInjectError (ConfigError) if a file or setting is wrong, before any input is read.

    `uninject` removes every injection, whatever a webhook would decide: the settings that
    decide injection do not apply (its flags refuse them), and the check of its result
    re-injects as `istioctl kube-inject` does (manual mode), with the run's config.
    """
    from meshinject.files.paths import iter_paths
    from meshinject.path_settings import from_flags
    from meshinject.settings_file import find_project_config, load_project_config

    options = options_from_params(params)
    found = params.get("config") or find_project_config(Path.cwd())
    project = load_project_config(found) if found else None
    overrides: tuple[PathOverride, ...] = ()
    if project is not None:
        options = project.options(options, keep)
        overrides = tuple(override.without(keep) for override in project.overrides)
    overrides += from_flags(params)
    if operation == "uninject":
        options = options.replace(mode="manual", namespace_labels_file=None, extra_namespaces={})
    requests = Requests(options, overrides)
    if overrides:
        for path in iter_paths(paths):
            requests.index_for(path)
    return requests
