"""The sandboxed Jinja environment that renders injection templates.

Templates are package data (`meshinject/templates/*.yaml.j2` in the wheel, the repository's
top-level `templates/` in a checkout). They render YAML text; every value that comes from a
manifest passes through `q` or `to_flow`, which emit quoted scalars / JSON flow collections,
so no annotation, label or name can add structure to the output.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any

from jinja2 import FileSystemLoader, StrictUndefined
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from meshinject.cache import jinja_bytecode_cache
from meshinject.errors import TemplateError
from meshinject.inject.sourceline import JINJA_TAGS, mark_source

# Characters a YAML double-quoted scalar may not hold raw: C0/C1 controls, DEL, the YAML 1.1
# line separators (which would fold the line), the BOM, the noncharacters U+FFFE/U+FFFF
# and lone surrogates (which YAML text cannot hold at all).
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    short = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x00": "\\0"}
    return short.get(char) or f"\\u{ord(char):04x}"


def yaml_quote(value: object) -> str:
    """Return `value` as a YAML double-quoted scalar (always a string when read back)."""
    if value is None:
        text = ""
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    body = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + _UNSAFE.sub(_escape, body) + '"'


def to_flow(value: object) -> str:
    """Render data as a single-line flow collection (JSON, which YAML reads identically)."""
    return _UNSAFE.sub(_escape, json.dumps(value, ensure_ascii=False, separators=(", ", ": ")))


def yaml_bool(value: object) -> str:
    return "true" if value else "false"


def templates_dir() -> Path:
    """Where the built-in templates live: package data, `meshinject/templates/`."""
    return Path(__file__).resolve().parent.parent / "templates"


@functools.cache
def environment() -> ImmutableSandboxedEnvironment:
    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(templates_dir())),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        bytecode_cache=jinja_bytecode_cache(),  # None unless the command line enabled it
    )
    env.filters.update(q=yaml_quote, to_flow=to_flow, yaml_bool=yaml_bool)
    return env


def warm() -> None:
    """Compile every built-in template now: worker processes forked after this inherit
    them instead of each compiling its own."""
    env = environment()
    for name in builtin_template_names():
        env.get_template(f"{name}.yaml.j2")


def builtin_template_names() -> list[str]:
    return sorted(p.name.removesuffix(".yaml.j2") for p in templates_dir().glob("*.yaml.j2"))


def builtin_template_path(name: str) -> Path:
    return templates_dir() / f"{name}.yaml.j2"


def render_builtin_marked(name: str, context: dict[str, Any]) -> str:
    """Render `name` with source-line markers (see `sourceline`); for error messages only."""
    source = builtin_template_path(name).read_text(encoding="utf-8")
    return environment().from_string(mark_source(source, JINJA_TAGS)).render(context)


def render_builtin(name: str, context: dict[str, Any]) -> str:
    """Render the built-in template `name` (e.g. "sidecar") with `context`."""
    try:
        template = environment().get_template(f"{name}.yaml.j2")
        return template.render(context)
    except JinjaTemplateError as exc:
        line = getattr(exc, "lineno", None)
        where = f"line {line}: " if line else ""
        raise TemplateError(f'template "{name}": {where}{exc}') from None
