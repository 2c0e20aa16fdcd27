"""Injector settings: the policy, selectors and templates of Istio's injector `Config`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from meshinject.config.fieldtypes import Selectors, StrictModel, StringMap, Text

Policy = Literal["enabled", "disabled"]


class TemplateSource(StrictModel):
    """An injection template given by the user (`syntax="go"`) or shipped (`"jinja"`)."""

    name: str
    text: str
    syntax: Literal["go", "jinja"]
    origin: str


class InjectorSettings(StrictModel):
    """What Istio's injector `Config` holds, after values and `--inject-config` files.

    `templates` holds the user-provided templates (Go syntax); `builtin_templates` names
    the templates meshinject ships (Jinja, under `templates/`) that were not overridden.
    """

    policy: Policy
    always_inject_selector: list[dict[str, Any]] = Field(default_factory=list)
    never_inject_selector: list[dict[str, Any]] = Field(default_factory=list)
    injected_annotations: dict[str, str] = Field(default_factory=dict)
    default_templates: list[str] = Field(default_factory=lambda: ["sidecar"])
    aliases: dict[str, list[str]] = Field(default_factory=dict)
    templates: dict[str, TemplateSource] = Field(default_factory=dict)
    builtin_templates: list[str] = Field(default_factory=list)

    def template_names(self) -> list[str]:
        """Every template name usable in `inject.istio.io/templates`."""
        return [*self.builtin_templates, *self.templates]


class InjectConfigFile(StrictModel):
    """An `--inject-config` file in the full injector Config form."""

    policy: Policy | None = None
    alwaysInjectSelector: Selectors | None = None
    neverInjectSelector: Selectors | None = None
    injectedAnnotations: StringMap | None = None
    defaultTemplates: list[Text] | None = None
    aliases: dict[str, list[Text]] | None = None
    templates: StringMap | None = None
    template: Text | None = None
