"""Reading YAML the core needs as data: rendered templates and the proxy-config annotation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from meshinject.errors import InjectionError, MeshInjectError, TemplateError
from meshinject.yamltext import load_document
from meshinject.yamltext.masked import load_masked


class RenderedYAMLError(TemplateError):
    """A template's output is not YAML; `output_line` is the failing line of that output."""

    def __init__(self, name: str, output_line: int, detail: str) -> None:
        super().__init__(
            f'template "{name}" rendered invalid YAML: output line {output_line}: {detail}'
        )
        self.template = name
        self.output_line = output_line
        self.detail = detail


def parse_template_output(text: str, name: str, values: Sequence[str] = ()) -> dict[str, Any]:
    """A rendered template must be one YAML mapping (a partial pod).

    `values` (`shape_values` of the pod) let a text of a shape already read be filled in
    instead of parsed (`load_masked`: the same data, exactly).
    """
    try:
        data = load_masked(text, values, private=True) if values else load_document(text).data
    except MeshInjectError as exc:
        raise RenderedYAMLError(name, exc.location.line, exc.message) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(f'template "{name}" must render a mapping, got {type(data).__name__}')
    return data


_PROXY_CONFIG_PATH = ("metadata", "annotations", "proxy.istio.io/config")


def parse_proxy_config(text: str) -> dict[str, Any]:
    """The `proxy.istio.io/config` annotation: a ProxyConfig in YAML or JSON."""
    try:
        data = load_document(text).data
    except MeshInjectError as exc:
        raise InjectionError(
            f"invalid value for annotation 'proxy.istio.io/config': {exc.message}",
            data_path=_PROXY_CONFIG_PATH,
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise InjectionError(
            "invalid value for annotation 'proxy.istio.io/config': expected a ProxyConfig mapping",
            data_path=_PROXY_CONFIG_PATH,
        )
    return data
