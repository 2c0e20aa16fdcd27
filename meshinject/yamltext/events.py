"""Access to a YAML event parser: ruamel.yaml.clib's libyaml binding, or ruamel's pure parser.

Both produce events whose marks carry CHARACTER offsets (`index`), 0-based `line` and
`column`. Parser errors are ruamel `MarkedYAMLError`s; `input_error` turns them into our
`InputError` with 1-based positions relative to the parsed text.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from meshinject.errors import InputError, Location

try:
    import _ruamel_yaml as _c

    HAVE_C = True
except ImportError:  # pragma: no cover - exercised only without the C extension
    HAVE_C = False

# Event kinds, so the composer can dispatch on a small int instead of on class names.
SCALAR, MAPPING_START, MAPPING_END, SEQUENCE_START, SEQUENCE_END, ALIAS, DOC_START, OTHER = range(8)


def _codes(module: Any) -> dict[type, int]:
    return {
        module.ScalarEvent: SCALAR,
        module.MappingStartEvent: MAPPING_START,
        module.MappingEndEvent: MAPPING_END,
        module.SequenceStartEvent: SEQUENCE_START,
        module.SequenceEndEvent: SEQUENCE_END,
        module.AliasEvent: ALIAS,
        module.DocumentStartEvent: DOC_START,
        module.DocumentEndEvent: OTHER,
        module.StreamStartEvent: OTHER,
        module.StreamEndEvent: OTHER,
    }


if HAVE_C:
    CODES = _codes(_c)
else:  # pragma: no cover
    import ruamel.yaml.events as _py_events

    CODES = _codes(_py_events)


def event_source(text: str) -> Callable[[], Any]:
    """A `get_event()` callable over `text`; returns None after the stream end."""
    if HAVE_C:
        return _c.CParser(text).get_event  # type: ignore[no-any-return]
    return _pure_source(text)  # pragma: no cover


def _pure_source(text: str) -> Callable[[], Any]:  # pragma: no cover
    iterator = iter(YAML(typ="safe", pure=True).parse(text))

    def get() -> Any:
        return next(iterator, None)

    return get


def input_error(exc: YAMLError) -> InputError:
    """libyaml's problem text at its 1-based line:column."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    if context:
        problem = f"{problem} ({context})"
    if mark is None:
        return InputError(str(problem))
    return InputError(str(problem), Location(line=mark.line + 1, column=mark.column + 1))


__all__ = ["CODES", "HAVE_C", "YAMLError", "event_source", "input_error"]
