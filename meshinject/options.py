"""The user's settings, each declared once.

Every setting is one field of `RunOptions` whose metadata (`Setting`) says how it is
spelled on the command line, in a project configuration file (`.meshinject.yaml`,
`[tool.meshinject]`) and in a kustomize `SidecarInjector` spec, what it means, and what
shape its value has. The Click options (`click_options`), the parser of configuration
files and kustomize specs (`meshinject.settings_file`) and their help are generated from
these fields, so a new setting is one new field here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from meshinject.policy import NamespaceInfo

#: How a setting's value is written: "files" one file name or a list of them (relative to
#: the configuration file); "set" `path=value` strings or a mapping of them; "pairs"
#: `NAME=VALUE` strings or a mapping; "file-pairs" the same with file values; "labels" a
#: file name or the labels themselves, inline; "text" one string; "choice" one of `choices`.
Shape = Literal["files", "set", "pairs", "file-pairs", "labels", "text", "choice"]


@dataclass(frozen=True)
class Setting:
    """How one `RunOptions` field is given, by flag and by configuration key."""

    key: str  # in configuration files and kustomize specs
    flags: tuple[str, ...]  # on the command line (first: the preferred spelling)
    help: str
    shape: Shape = "text"
    metavar: str | None = None
    choices: tuple[str, ...] = ()
    per_path: bool = False  # may differ per path (meshinject.path_settings)
    show_default: bool = False
    # The flag also takes PATH=VALUE (repeatable): the value for the files under PATH, a
    # per-path override like a configuration file's (`-n k8s/shop=shop`, see
    # meshinject.path_settings.from_flags); needs per_path.
    flag_takes_paths: bool = False
    # It only decides whether (and by which revision's webhook) a pod is injected, so
    # `uninject`, which removes every injection, has no use for it (U14).
    decides_injection: bool = False

    @property
    def multiple(self) -> bool:
        return self.shape in ("files", "set", "pairs", "file-pairs") or self.flag_takes_paths


def _setting(default: Any, **how: Any) -> Any:
    return field(default=default, metadata={"setting": Setting(**how)})


@dataclass(frozen=True)
class RunOptions:
    """The user's choices, from flags, a configuration file or a kustomize spec."""

    values_files: Sequence[str] = _setting(
        (),
        key="values",
        flags=("--values", "--valuesFile"),
        shape="files",
        metavar="FILE",
        help="Istio injector values (deep-merged in order; null deletes a key).",
    )
    mesh_config_files: Sequence[str] = _setting(
        (),
        key="meshConfig",
        flags=("--mesh-config", "--meshConfigFile"),
        shape="files",
        metavar="FILE",
        help="Istio mesh config (defaultConfig and proxyMetadata merge).",
    )
    iop_files: Sequence[str] = _setting(
        (),
        key="iop",
        flags=("--iop", "--operatorFileName"),
        shape="files",
        metavar="FILE",
        help="IstioOperator file: its spec.values and spec.meshConfig.",
    )
    inject_config_files: Sequence[str] = _setting(
        (),
        key="injectConfig",
        flags=("--inject-config", "--injectConfigFile"),
        shape="files",
        metavar="FILE",
        help="Injector config or a template (Go template syntax).",
    )
    set_args: Sequence[str] = _setting(
        (),
        key="set",
        flags=("--set",),
        shape="set",
        metavar="PATH=VALUE",
        help="Override a value, Helm style (e.g. global.tag=1.31.0). Applied last.",
    )
    revision: str = _setting(
        "",
        key="revision",
        flags=("-r", "--revision"),
        per_path=True,
        help="Control-plane revision to inject.",
    )
    revision_values: Sequence[str] = _setting(
        (),
        key="revisionValues",
        flags=("--revision-values",),
        shape="file-pairs",
        metavar="REV=FILE",
        help="Another control plane and its own values (hub, tag, resources...). "
        "Repeatable; implies webhook mode (inject, explain).",
    )
    tags: Sequence[str] = _setting(
        (),
        key="tags",
        flags=("--tag",),
        shape="pairs",
        metavar="TAG=REV",
        help="A revision tag (istioctl tag set TAG --revision REV). Repeatable.",
    )
    namespace: str = _setting(
        "default",
        key="namespace",
        flags=("-n", "--namespace"),
        per_path=True,
        flag_takes_paths=True,
        metavar="[PATH=]NAMESPACE",
        help="Namespace of documents without metadata.namespace (default: default). "
        "PATH=NAMESPACE: for the files under PATH (a folder or file; the longest "
        "match wins). Repeatable.",
    )
    namespace_labels_file: str | None = _setting(
        None,
        key="namespaceLabels",
        flags=("--namespace-labels",),
        shape="labels",
        metavar="FILE",
        decides_injection=True,
        help="Namespace labels: a file or folder holding a mapping ns -> {label: value}, "
        "Namespace objects (several documents allowed) or `kubectl get ns -o yaml` "
        "Lists. Namespace objects among the inputs count too.",
    )
    mode: Literal["manual", "webhook"] | None = _setting(
        None,
        key="mode",
        flags=("--mode",),
        shape="choice",
        choices=("manual", "webhook"),
        decides_injection=True,
        help="manual: inject unless the pod opts out (istioctl kube-inject); "
        "webhook: decide like Istio's webhook from namespace labels. "
        "Default: webhook when --namespace-labels is given or a namespace in the "
        "input has istio-injection or istio.io/rev, else manual.",
    )
    kube_version: str | None = _setting(
        None,
        key="kubeVersion",
        flags=("--kube-version",),
        metavar="MAJOR.MINOR",
        help="Cluster version for ENABLE_NATIVE_SIDECARS=auto (default: native sidecars).",
    )
    output_style: Literal["istio", "minimal"] = _setting(
        "minimal",
        key="style",
        flags=("--style",),
        shape="choice",
        choices=("minimal", "istio"),
        show_default=True,
        help="minimal: only the sidecar (for manifests kept in git); istio: also the "
        "zero-value fields istioctl kube-inject writes (status counters, "
        "updateStrategy: {}).",
    )
    # Not a setting of its own: inline `namespaceLabels` of a configuration file.
    extra_namespaces: dict[str, NamespaceInfo] = field(default_factory=dict)

    def replace(self, **changes: Any) -> RunOptions:
        return dataclasses.replace(self, **changes)


def settings() -> list[tuple[str, Setting]]:
    """Every setting, as (RunOptions field name, Setting), in declaration order."""
    return [
        (f.name, f.metadata["setting"])
        for f in dataclasses.fields(RunOptions)
        if "setting" in f.metadata
    ]


def by_key() -> dict[str, tuple[str, Setting]]:
    """Settings by their configuration key."""
    return {setting.key: (name, setting) for name, setting in settings()}


def click_options(command: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorate the Click command `command` with one option per setting (parameter = field
    name). `uninject` does not show the settings that decide injection; given there, they
    are a usage error (exit 2)."""

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for name, setting in reversed(settings()):
            if command == "uninject" and setting.decides_injection:
                func = _refused_option(name, setting, command)(func)
            else:
                func = _option(name, setting)(func)
        return func

    return decorate


def _option(name: str, setting: Setting) -> Callable[..., Any]:
    import click

    default = next(f.default for f in dataclasses.fields(RunOptions) if f.name == name)
    return click.option(
        *setting.flags,
        name,
        multiple=setting.multiple,
        metavar=setting.metavar,
        type=click.Choice(setting.choices) if setting.choices else None,
        default=None if setting.multiple else default,
        show_default=setting.show_default,
        help=setting.help,
    )


def _refused_option(name: str, setting: Setting, command: str) -> Callable[..., Any]:
    """A hidden option whose flags are a usage error that says why (Click's own "No such
    option" would suggest a typo)."""
    import click

    flag = next(f for f in setting.flags if f.startswith("--"))

    def refuse(ctx: click.Context, _param: click.Parameter, value: Any) -> None:
        if ctx.get_parameter_source(name) is click.core.ParameterSource.COMMANDLINE:
            raise click.UsageError(
                f"{flag} has no effect on {command}: it removes every injection, "
                "whatever a webhook would decide",
                ctx,
            )

    return click.option(*setting.flags, name, hidden=True, default=None, callback=refuse)


def options_from_params(params: dict[str, Any]) -> RunOptions:
    """The `RunOptions` of a Click command decorated with `click_options`.

    The `PATH=VALUE` values of a flag that takes paths are per-path overrides, not part of
    the run's options: see `meshinject.path_settings.from_flags`.
    """
    given: dict[str, Any] = {}
    for name, setting in settings():
        if name not in params:
            continue
        value = params[name]
        if setting.flag_takes_paths:
            plain = [item for item in value if "=" not in item]
            if plain:
                given[name] = plain[-1]
        else:
            given[name] = tuple(value) if isinstance(value, list | tuple) else value
    return RunOptions(**given)
