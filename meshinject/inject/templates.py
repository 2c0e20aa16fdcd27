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
from meshinject.inject.render import (
    builtin_template_names,
    builtin_template_path,
    render_builtin,
    render_builtin_marked,
)
from meshinject.inject.settings import InjectSettings
from meshinject.inject.sourceline import GO_TAGS, locate, mark_source
from meshinject.inject.template_data import Workload
from meshinject.inject.yamldata import RenderedYAMLError

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
            raise InjectionError(
                f'requested template "{name}" not found; have {", ".join(have)}',
                data_path=("metadata", "annotations", TEMPLATES_ANNOTATION),
            )
    return names


def render_template(name: str, context: dict[str, Any], settings: InjectSettings) -> str:
    """Render template `name` for the pod of `context` (see `inject.context`): a built-in
    one with Jinja, a user's or Istio's with Go text/template over `context["data"]`."""
    custom = settings.custom_templates.get(name)
    if custom is None:
        return render_builtin(name, context)
    from meshinject.gotemplate import render_string

    data = context["data"]
    try:
        return render_string(custom.text, name, data, strict=True)
    except TemplateError as exc:
        # Located at the template (its file and where it is defined there), not the input.
        raise TemplateError(exc.message, Location(custom.origin or "<template>")) from None


def invalid_output_error(
    exc: RenderedYAMLError,
    context: dict[str, Any],
    settings: InjectSettings,
    workload: Workload,
) -> TemplateError:
    """Say which template line wrote the bad output line, and for which pod.

    A built-in template rendering invalid YAML is a meshinject bug, never the user's
    template: the message says so instead of asking the user to check a template.
    """
    name = exc.template
    who = f'{workload.kind} "{workload.namespace or "default"}/{workload.name}"'
    custom = settings.custom_templates.get(name)
    if custom is None:
        line = locate(lambda: render_builtin_marked(name, context), exc.output_line)
        path = builtin_template_path(name)
        where = f"{path.parent.name}/{path.name}" + (f" line {line}" if line else "")
        return TemplateError(
            f'built-in template "{name}" ({where}) rendered invalid YAML for {who}: '
            f"output line {exc.output_line}: {exc.detail}. This is a meshinject bug: please "
            "report it with this message and the workload's annotations"
        )
    from meshinject.gotemplate import render_string

    data = context["data"]
    line = locate(
        lambda: render_string(mark_source(custom.text, GO_TAGS), name, data, strict=True),
        exc.output_line,
    )
    where = f" (template line {line})" if line else ""
    return TemplateError(
        f'template "{name}"{where} rendered invalid YAML for {who}: '
        f"output line {exc.output_line}: {exc.detail}"
    )
