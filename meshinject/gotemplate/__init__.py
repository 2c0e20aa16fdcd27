"""A Go `text/template` interpreter with Sprig's and Istio's template functions.

    tpl = parse_template(text, "custom")          # TemplateError on syntax errors
    out = tpl.execute(data, funcs={"extra": fn})  # TemplateError on runtime errors
    out = render_string(text, "custom", data)     # both at once (parse cached)

Data is plain Python (dict, list, str, int, float, bool, None); see `values` for how
`.Field` reads dicts. Functions are looked up in the caller's `funcs`, then Istio's
table, then Sprig's, then Go's builtins. Function names are checked when a template
is executed (Go checks them at parse time, but the caller's functions are only known
then): an unknown name fails the whole execution, even in a branch not taken.

The interpreter is imported on first use of these names: the Go-semantics helpers the
built-in templates' path needs (`gojson`, `gotypes`, `kubetypes`, `istio_funcs`) load
without it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .engine import (
        DEFAULT_FUNCS,
        GoTemplate,
        StringMap,
        Unsupported,
        parse_template,
        render_string,
    )

__all__ = [
    "DEFAULT_FUNCS",
    "GoTemplate",
    "StringMap",
    "Unsupported",
    "parse_template",
    "render_string",
]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from . import engine

        return getattr(engine, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
