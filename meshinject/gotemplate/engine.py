"""The interpreter's entry points (re-exported by `meshinject.gotemplate`, see there)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from typing import Any

from .builtins import BUILTINS, StringMap
from .evaluate import Executor, Unsupported
from .istio_funcs import ISTIO
from .nodes import Tree
from .parser import parse
from .sprig import SPRIG

Func = Callable[..., Any]

#: Every default function: Istio's over Sprig's over Go's builtins.
DEFAULT_FUNCS: dict[str, Func] = {**BUILTINS, **SPRIG, **ISTIO}


class GoTemplate:
    """A parsed template (with the templates it `define`s); execute it many times."""

    def __init__(self, name: str, trees: Mapping[str, Tree]) -> None:
        self.name = name
        self.trees = dict(trees)

    def execute(
        self, data: Any, *, funcs: Mapping[str, Func] | None = None, strict: bool = False
    ) -> str:
        """Render the template with `data` as dot and `$`; `funcs` add or override.

        `strict`: an action that would print `<no value>`, `<nil>`, `%!...` or `map[...]`
        is an error at that action instead."""
        executor = Executor(self.trees, self.name, DEFAULT_FUNCS, BUILTINS, funcs, strict=strict)
        return executor.run(self.name, data)

    def check_functions(self, funcs: Mapping[str, Func] | None = None) -> None:
        """Fail (TemplateError) on a function name that is not defined, as Go's parser does."""
        Executor(self.trees, self.name, DEFAULT_FUNCS, BUILTINS, funcs).check_functions()

    def __repr__(self) -> str:
        return f"GoTemplate({self.name!r}, templates={sorted(self.trees)!r})"


@lru_cache(maxsize=256)
def _parse_cached(text: str, name: str) -> GoTemplate:
    return GoTemplate(name, parse(text, name))


def parse_template(text: str, name: str) -> GoTemplate:
    """Parse Go template `text` named `name` (parse results are cached by text)."""
    return _parse_cached(text, name)


def render_string(
    text: str,
    name: str,
    data: Any,
    funcs: Mapping[str, Func] | None = None,
    *,
    strict: bool = False,
) -> str:
    """Parse (cached) and execute in one call."""
    return parse_template(text, name).execute(data, funcs=funcs, strict=strict)


__all__ = [
    "DEFAULT_FUNCS",
    "GoTemplate",
    "StringMap",
    "Unsupported",
    "parse_template",
    "render_string",
]
