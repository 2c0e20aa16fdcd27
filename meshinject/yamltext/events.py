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

from meshinject.errors import InputError, Location, MeshInjectError

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


def _install_fast_events(module: Any) -> None:
    """Have the C parser create events through one flat `__init__` each.

    ruamel.yaml's event classes chain three Python `__init__`s per node event (Scalar ->
    Node -> Event); creating them is a third of the cost of parsing a document. The C
    parser looks its event classes up in its module at call time, so it can be given
    subclasses whose `__init__` sets the very same slots to the very same values: every
    event is still an instance of ruamel's class with the same attributes (ruamel's own
    C-based loaders, if anything else in the process uses them, see no difference).
    """
    scalar_base = module.ScalarEvent
    mapping_base = module.MappingStartEvent
    sequence_base = module.SequenceStartEvent

    # Same signatures as ruamel's (the C parser passes arguments by position).
    def scalar_init(  # noqa: PLR0917
        self: Any,
        anchor: Any,
        tag: Any,
        implicit: Any,
        value: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        style: Any = None,
        comment: Any = None,
    ) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = comment
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.value = value
        self.style = style

    def collection_init(  # noqa: PLR0917
        self: Any,
        anchor: Any,
        tag: Any,
        implicit: Any,
        start_mark: Any = None,
        end_mark: Any = None,
        flow_style: Any = None,
        comment: Any = None,
        nr_items: Any = None,
    ) -> None:
        self.start_mark = start_mark
        self.end_mark = end_mark
        self.comment = comment
        self.anchor = anchor
        self.ctag = tag
        self.implicit = implicit
        self.flow_style = flow_style
        self.nr_items = nr_items

    class ScalarEvent(scalar_base):  # type: ignore[misc, valid-type]
        __slots__ = ()
        __init__ = scalar_init

    class MappingStartEvent(mapping_base):  # type: ignore[misc, valid-type]
        __slots__ = ()
        __init__ = collection_init

    class SequenceStartEvent(sequence_base):  # type: ignore[misc, valid-type]
        __slots__ = ()
        __init__ = collection_init

    for cls, base in (
        (ScalarEvent, scalar_base),
        (MappingStartEvent, mapping_base),
        (SequenceStartEvent, sequence_base),
    ):
        cls.__name__ = cls.__qualname__ = base.__name__
        cls.__module__ = base.__module__
        setattr(module, base.__name__, cls)


if HAVE_C:
    CODES = _codes(_c)
    if not hasattr(_c.ScalarEvent, "_meshinject_fast"):
        _install_fast_events(_c)
        _c.ScalarEvent._meshinject_fast = True
    CODES.update(_codes(_c))
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


# libyaml's parser contexts, said the way a manifest's author thinks of them.
_CONTEXTS = {
    "while parsing a flow mapping": "the { } mapping",
    "while parsing a flow sequence": "the [ ] list",
    "while parsing a block mapping": "the mapping",
    "while parsing a block collection": "the list",
    "while parsing a block node": "the value",
    "while parsing a flow node": "the value",
    "while scanning a quoted scalar": "the quoted string",
    "while parsing a quoted scalar": "the quoted string",
    "while scanning a plain scalar": "the unquoted value",
    "while parsing a plain scalar": "the unquoted value",
    "while scanning a simple key": "the key",
    "while scanning a block scalar": "the block string",
    "while scanning an anchor": "the anchor",
    "while scanning an alias": "the alias",
    "while scanning a tag": "the tag",
    "while scanning a directive": "the directive",
}


def input_error(exc: YAMLError, text: str | None = None) -> InputError:
    """libyaml's problem text at its 1-based line:column, in a user's words where we can.

    With the document `text`, a tab or a reserved character at the error is named.
    """
    position = getattr(exc, "position", None)
    if isinstance(position, int) and text is not None and 0 <= position < len(text):
        # The reader's complaint about a character YAML text cannot hold (NUL, U+FFFE...).
        char = text[position]
        line_start = text.rfind("\n", 0, position) + 1
        return InputError(
            f"character U+{ord(char):04X} is not allowed in YAML text; write it as an escape "
            f"(\\u{ord(char):04x}) inside a double-quoted string",
            Location(line=text.count("\n", 0, position) + 1, column=position - line_start + 1),
        )
    problem = str(getattr(exc, "problem", None) or exc)
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    found = ""
    if text is not None and mark is not None and 0 <= mark.index < len(text):
        found = text[mark.index]
    if problem == "found character that cannot start any token":
        if found == "\t":
            problem = "found a tab character; YAML must be indented with spaces, not tabs"
        elif found:
            problem = f"a value cannot start with {found!r}; put the value in quotes"
        context = None
    elif problem == "did not find expected <document start>":
        problem = (
            "unexpected text after the end of the document (a stray bracket or line? "
            "a new document needs a `---` line before it)"
        )
    elif problem in ("did not find expected key", "could not find expected ':'"):
        problem = "expected a `key: value` here; check the indentation"
    elif problem.startswith("mapping values are not allowed"):
        problem = (
            "unexpected ':' (check the indentation; a value that contains ': ' must be quoted)"
        )
    location = None if mark is None else Location(line=mark.line + 1, column=mark.column + 1)
    if context and context_mark is not None and context != "while scanning for the next token":
        what = _CONTEXTS.get(
            context, context.removeprefix("while parsing ").removeprefix("while scanning ")
        )
        if problem == "found unexpected end of stream":
            template = f"{what} that starts at {_START} is never closed"
        else:
            template = f"{problem} (in {what} that starts at {_START})"
        return SyntaxProblem(template, location, context_mark.line + 1, context_mark.column + 1)
    return InputError(problem, location)


_START = "\x00start\x00"  # where the construct's start goes in a SyntaxProblem message


class SyntaxProblem(InputError):
    """A YAML syntax error whose message also names where the construct started.

    That second position is a line in the same document, so it moves with the error when
    the stream layer shifts document-relative lines to file lines (`located_in`).
    """

    def __init__(
        self, template: str, location: Location | None, start_line: int, start_column: int
    ) -> None:
        self.template = template
        self.start_line = start_line
        self.start_column = start_column
        super().__init__(self._message(), location)

    def __reduce__(self) -> tuple[Any, ...]:
        # Errors cross the process pool (`--jobs`): rebuild from our own arguments.
        args = (self.template, self.location, self.start_line, self.start_column)
        return (self.__class__, args, self.__dict__)

    def _message(self) -> str:
        start = f"line {self.start_line}, column {self.start_column}"
        return self.template.replace(_START, start)

    def located_in(self, path: str, line_offset: int = 0) -> MeshInjectError:
        clone = super().located_in(path, line_offset)
        assert isinstance(clone, SyntaxProblem)
        clone.start_line = self.start_line + line_offset
        clone.message = clone._message()
        Exception.__init__(clone, clone.message)
        return clone


__all__ = ["CODES", "HAVE_C", "YAMLError", "event_source", "input_error"]
