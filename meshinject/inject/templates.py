"""Choosing and rendering the injection templates for a pod.

Built-in templates are Jinja files shipped with meshinject. Templates from the user's Istio
values (`sidecarInjectorWebhook.templates`) or `--inject-config` are Go text/template, as
Istio users already write them; they render through meshinject's Go template interpreter
with the data Istio's injector gives them.
"""

from __future__ import annotations

import functools
from typing import Any

from meshinject.errors import InjectionError, Location, TemplateError
from meshinject.inject.context import Workload
from meshinject.inject.render import builtin_template_names, render_builtin
from meshinject.inject.settings import InjectSettings
from meshinject.inject.template_data import SidecarTemplateData, sidecar_template_data

TEMPLATES_ANNOTATION = "inject.istio.io/templates"


@functools.cache
def _builtin_names() -> frozenset[str]:
    """The shipped templates (package data: listed once per process, not per workload)."""
    return frozenset(builtin_template_names())


def available(settings: InjectSettings) -> list[str]:
    return sorted(_builtin_names() | set(settings.custom_templates))


def select_templates(annotations: dict[str, Any], settings: InjectSettings) -> list[str]:
    """Template names from `inject.istio.io/templates`, else the defaults; aliases expanded."""
    raw = annotations.get(TEMPLATES_ANNOTATION)
    if isinstance(raw, str) and raw.strip():
        requested = [t.strip() for t in raw.split(",") if t.strip()]
    else:
        requested = list(settings.default_templates) or ["sidecar"]
    names: list[str] = []
    for name in requested:
        names.extend(settings.aliases.get(name, (name,)))
    have = available(settings)
    for name in names:
        if name not in have:
            raise InjectionError(f'requested template "{name}" not found; have {", ".join(have)}')
    return names


def go_template_data(
    context: dict[str, Any], settings: InjectSettings, pod: dict[str, Any], workload: Workload
) -> SidecarTemplateData:
    """The data a Go template sees: Istio's SidecarTemplateData, typed."""
    return sidecar_template_data(
        settings=settings,
        pod=pod,
        workload=workload,
        proxy_config=context["proxy_config"],
        native_sidecars=context["native_sidecar"],
        proxy_uid=context["validation_uid"],
        proxy_gid=context["validation_gid"],
        compliance_policy=context["compliance_policy"],
    )


def render_template(
    name: str,
    context: dict[str, Any],
    settings: InjectSettings,
    pod: dict[str, Any],
    workload: Workload,
) -> str:
    custom = settings.custom_templates.get(name)
    if custom is None:
        return render_builtin(name, context)
    from meshinject.gotemplate import render_string

    data = go_template_data(context, settings, pod, workload)
    try:
        return render_string(custom.text, name, data, strict=True)
    except TemplateError as exc:
        # Located at the template (its file and where it is defined there), not the input.
        raise TemplateError(exc.message, Location(custom.origin or "<template>")) from None
