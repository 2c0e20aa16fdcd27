"""Syntax tree of a parsed Go template (the shapes of Go's `text/template/parse` nodes).

Every node records the line and column where it starts so that execution errors can
point at the construct that failed.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Node:
    line: int
    column: int


@dataclass(slots=True)
class TextNode(Node):
    text: str


@dataclass(slots=True)
class DotNode(Node):
    pass


@dataclass(slots=True)
class NilNode(Node):
    pass


@dataclass(slots=True)
class BoolNode(Node):
    value: bool


@dataclass(slots=True)
class StringNode(Node):
    value: str
    source: str


@dataclass(slots=True)
class NumberNode(Node):
    """A numeric literal. `value` is what the literal means as `interface{}`."""

    text: str
    value: int | float
    is_int: bool  # representable as an int (also true for 3.0)
    int_value: int


@dataclass(slots=True)
class FieldNode(Node):
    idents: tuple[str, ...]  # .A.B -> ("A", "B")


@dataclass(slots=True)
class VariableNode(Node):
    name: str  # "$" or "$x"
    idents: tuple[str, ...]  # $x.A.B -> ("A", "B")


@dataclass(slots=True)
class IdentifierNode(Node):
    name: str


@dataclass(slots=True)
class CommandNode(Node):
    args: list[Node]


@dataclass(slots=True)
class PipeNode(Node):
    decl: list[str]
    is_assign: bool
    cmds: list[CommandNode]


@dataclass(slots=True)
class ChainNode(Node):
    """A field chain on a term that is not itself a field: `(index .A 0).Name`."""

    node: Node
    idents: tuple[str, ...]


@dataclass(slots=True)
class ActionNode(Node):
    pipe: PipeNode


@dataclass(slots=True)
class BranchNode(Node):
    """`if`, `with` or `range`; `keyword` says which."""

    keyword: str
    pipe: PipeNode
    body: list[Node]
    else_body: list[Node] | None


@dataclass(slots=True)
class BreakNode(Node):
    pass


@dataclass(slots=True)
class ContinueNode(Node):
    pass


@dataclass(slots=True)
class TemplateNode(Node):
    name: str
    pipe: PipeNode | None


@dataclass(slots=True)
class Tree:
    """One named template: its body and the function names it calls (checked at run)."""

    name: str
    body: list[Node]
    functions: list[IdentifierNode] = field(default_factory=list)
