"""Choosing and rendering the injection templates for a pod.

Built-in templates are Jinja files shipped with meshinject. Templates from the user's Istio
values (`sidecarInjectorWebhook.templates`) or `--inject-config` are Go text/template, as
Istio users already write them; they render through meshinject's Go template interpreter
with the data Istio's injector gives them.
"""

from __future__ import annotations

import functools
from typing import Any

from meshinject.errors import InjectionError
from meshinject.inject.context import Workload
from meshinject.inject.render import builtin_template_names, render_builtin
from meshinject.inject.settings import InjectSettings

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
) -> dict[str, Any]:
    """The data a Go template sees, shaped like Istio's SidecarTemplateData."""
    proxy_config = dict(context["proxy_config"])
    hold = proxy_config.get("holdApplicationUntilProxyStarts")
    proxy_config["HoldApplicationUntilProxyStarts"] = {"GetValue": lambda: bool(hold)}
    return {
        "TypeMeta": {"APIVersion": workload.api_version, "Kind": workload.kind},
        "DeploymentMeta": {"Name": workload.name, "Namespace": workload.namespace},
        "ObjectMeta": pod.get("metadata") or {},
        "Spec": pod.get("spec") or {},
        "ProxyConfig": proxy_config,
        "MeshConfig": settings.mesh,
        "Values": settings.values,
        "Revision": settings.revision,
        "ProxyImage": context["proxy_image"],
        "ProxyUID": context["validation_uid"],
        "ProxyGID": context["validation_gid"],
        "NativeSidecars": context["native_sidecar"],
        "CompliancePolicy": context["compliance_policy"],
    }


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
    return render_string(custom.text, name, data)
