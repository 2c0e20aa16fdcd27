"""What the injection core needs from the configuration, as one frozen value.

`meshinject.config.Config` is the user-facing, validated configuration; the core reads it
through this narrow view so it can be built from a Config or directly in tests.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any, Literal

NativeMode = Literal["true", "false", "auto"]


@dataclass(frozen=True)
class TemplateSource:
    """One injection template: Jinja (built in) or Go text/template (from the user's values)."""

    name: str
    text: str
    syntax: Literal["go", "jinja"]
    origin: str = ""


@dataclass(frozen=True)
class InjectSettings:
    values: dict[str, Any]
    mesh: dict[str, Any]
    proxy_config: dict[str, Any]
    revision: str = ""
    native_mode: NativeMode = "auto"
    kube_version: tuple[int, int] | None = None
    platform: str = ""
    compliance_policy: str = ""
    custom_templates: dict[str, TemplateSource] = field(default_factory=dict)
    default_templates: tuple[str, ...] = ("sidecar",)
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    injected_annotations: dict[str, str] = field(default_factory=dict)
    # Said of every workload rendered with a built-in template although the revision's
    # proxy is of another Istio release (usability-defects U19); empty when they agree.
    release_skew: str = ""

    def value(self, *path: str, default: Any = None) -> Any:
        """Read `values.a.b.c`, returning `default` where any step is missing or null."""
        node: Any = self.values
        for key in path:
            if not isinstance(node, dict) or node.get(key) is None:
                return default
            node = node[key]
        return node

    @functools.cached_property
    def pilot_env(self) -> dict[str, str]:
        """`values.pilot.env` as strings; read for every workload, so computed once."""
        env = self.value("pilot", "env", default={})
        return {str(k): _env_string(v) for k, v in env.items()} if isinstance(env, dict) else {}

    @functools.cached_property
    def go_values(self) -> Any:
        """`values` as Go templates see them (`.Values`); the same for every workload."""
        from meshinject.inject.template_data import go_values

        return go_values(self.values)


def _env_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def settings_from_config(
    config: Any, *, kube_version: tuple[int, int] | None = None
) -> InjectSettings:
    """The core's view of a validated `meshinject.config.Config`."""
    injector = config.injector
    return InjectSettings(
        values=config.values_dict(),
        mesh=config.mesh_dict(),
        proxy_config=config.default_proxy_config(),
        revision=config.revision,
        native_mode=config.native_sidecars_setting,
        kube_version=kube_version,
        platform=config.platform,
        compliance_policy=config.compliance_policy,
        custom_templates={
            name: TemplateSource(name=t.name, text=t.text, syntax=t.syntax, origin=t.origin)
            for name, t in injector.templates.items()
        },
        default_templates=tuple(injector.default_templates) or ("sidecar",),
        aliases={k: tuple(v) for k, v in injector.aliases.items()},
        injected_annotations=dict(injector.injected_annotations),
    )
