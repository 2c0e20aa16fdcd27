"""Executes parsed templates with Go `text/template` semantics.

Walks the syntax tree writing text to an output buffer. Scoping of variables, the
value passed along a pipeline, the lazy `and`/`or`, `range` over lists, maps (in
sorted key order) and integers, `break`/`continue`, and nested `{{template}}` calls
follow Go's `text/template/exec.go`. Every failure is a TemplateError that names the
template, the line and column of the construct, and what went wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from meshinject.errors import TemplateError

from .lexer import template_error
from .nodes import (
    ActionNode,
    BoolNode,
    BranchNode,
    BreakNode,
    ChainNode,
    CommandNode,
    ContinueNode,
    DotNode,
    FieldNode,
    IdentifierNode,
    NilNode,
    Node,
    NumberNode,
    PipeNode,
    StringNode,
    TemplateNode,
    TextNode,
    Tree,
    VariableNode,
)
from .printing import MISSING, format_value, go_type, sort_key
from .signature import GO_NAMES, convert, signature_of
from .values import ExecError, FuncError, get_field, is_true

Func = Callable[..., Any]
MAX_DEPTH = 100
# What Go prints for unset or mistyped values; never acceptable in an injected pod.
UNSET_MARKERS = ("<no value>", "<nil>", "%!", "map[")


class _NoFinal:
    """No value is piped into this command (Go's `missingVal`)."""


NO_FINAL: Any = _NoFinal()


class _Break(Exception):
    pass


class _Continue(Exception):
    pass


class Unsupported:
    """A function Go has that meshinject deliberately does not run (say why)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __call__(self, *args: Any) -> Any:
        raise ExecError(self.reason)


class Executor:
    """One execution of a template set: variables, output and function lookup."""

    def __init__(
        self,
        trees: Mapping[str, Tree],
        source_name: str,
        table: Mapping[str, Func],
        builtins: Mapping[str, Func],
        funcs: Mapping[str, Func] | None,
        *,
        strict: bool = False,
    ) -> None:
        self.trees = trees
        self.source_name = source_name
        self.table = table
        self.builtins = builtins
        self.funcs = funcs or {}
        self.out: list[str] = []
        self.vars: list[list[Any]] = []
        self.current = source_name
        self.depth = 0
        self.strict = strict

    # -- errors -----------------------------------------------------------------------
    def error(self, node: Node, message: str) -> TemplateError:
        if self.current != self.source_name:
            message = f'executing "{self.current}": {message}'
        return template_error(self.source_name, node.line, node.column, message)

    def lookup(self, name: str) -> tuple[Func | None, bool]:
        """The function called `name` and whether it is Go's builtin of that name."""
        fn = self.funcs.get(name)
        if fn is not None:
            return fn, False
        fn = self.table.get(name)
        return fn, fn is not None and fn is self.builtins.get(name)

    def check_functions(self) -> None:
        for tree in self.trees.values():
            for ident in tree.functions:
                if self.lookup(ident.name)[0] is None:
                    raise template_error(
                        self.source_name,
                        ident.line,
                        ident.column,
                        f'function "{ident.name}" not defined',
                    )

    # -- entry points -----------------------------------------------------------------
    def run(self, name: str, data: Any) -> str:
        tree = self.trees.get(name)
        if tree is None:
            raise TemplateError(f'template "{self.source_name}": no template "{name}" defined')
        self.check_functions()
        self.vars = [["$", data]]
        self.current = name
        try:
            self.walk_list(data, tree.body)
        except RecursionError:
            raise TemplateError(
                f'template "{self.source_name}": template recursion too deep'
            ) from None
        return "".join(self.out)

    # -- variables --------------------------------------------------------------------
    def var_value(self, node: Node, name: str) -> Any:
        for entry in reversed(self.vars):
            if entry[0] == name:
                return entry[1]
        raise self.error(node, f"undefined variable: {name}")

    def set_var(self, node: Node, name: str, value: Any) -> None:
        for entry in reversed(self.vars):
            if entry[0] == name:
                entry[1] = value
                return
        raise self.error(node, f"undefined variable: {name}")

    # -- statements -------------------------------------------------------------------
    def walk_list(self, dot: Any, body: list[Node]) -> None:
        for node in body:
            self.walk(dot, node)

    def walk(self, dot: Any, node: Node) -> None:
        if isinstance(node, TextNode):
            self.out.append(node.text)
        elif isinstance(node, ActionNode):
            # Variables declared here live until the end of the enclosing block.
            value = self.eval_pipeline(dot, node.pipe)
            if not node.pipe.decl:
                self.out.append(self.printable(node, value))
        elif isinstance(node, BranchNode):
            if node.keyword == "range":
                self.walk_range(dot, node)
            else:
                self.walk_if_or_with(dot, node)
        elif isinstance(node, TemplateNode):
            self.walk_template(dot, node)
        elif isinstance(node, BreakNode):
            raise _Break
        elif isinstance(node, ContinueNode):
            raise _Continue
        else:  # pragma: no cover - the parser produces no other statement nodes
            raise self.error(node, f"unknown node {type(node).__name__}")

    def printable(self, node: Node, value: Any) -> str:
        if value is MISSING or value is None:
            text = "<no value>"
        elif callable(value) and not isinstance(value, Mapping | list | str):
            raise self.error(node, f"can't print value of type {go_type(value)}")
        else:
            try:
                text = format_value(value)
            except ExecError as exc:
                raise self.error(node, str(exc)) from None
        if self.strict:
            marker = next((m for m in UNSET_MARKERS if m in text), None)
            if marker is not None:
                raise self.error(
                    node,
                    f"{describe(node)} printed {marker!r} (a value the template reads is"
                    " unset or of the wrong type); refusing to write it",
                )
        return text

    def walk_if_or_with(self, dot: Any, node: BranchNode) -> None:
        mark = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        if is_true(value):
            self.walk_list(value if node.keyword == "with" else dot, node.body)
        elif node.else_body is not None:
            self.walk_list(dot, node.else_body)
        del self.vars[mark:]

    def walk_range(self, dot: Any, node: BranchNode) -> None:
        mark = len(self.vars)
        value = self.eval_pipeline(dot, node.pipe)
        pipe = node.pipe
        if isinstance(value, list | tuple):
            items: list[tuple[Any, Any]] = list(enumerate(value))
        elif isinstance(value, Mapping):
            items = [(k, value[k]) for k in sorted(value, key=sort_key)]
        elif isinstance(value, int) and not isinstance(value, bool):
            if len(pipe.decl) > 1:
                raise self.error(node, f"can't use {value} to iterate over more than one variable")
            items = [(i, i) for i in range(value)]
        elif value is MISSING or value is None:
            items = []
        else:
            raise self.error(node, f"range can't iterate over {format_value(value)}")
        if not items:
            if node.else_body is not None:
                self.walk_list(dot, node.else_body)
            del self.vars[mark:]
            return
        for index, elem in items:
            if pipe.decl:
                if pipe.is_assign:
                    first = index if len(pipe.decl) > 1 else elem
                    self.set_var(node, pipe.decl[0], first)
                    if len(pipe.decl) > 1:
                        self.set_var(node, pipe.decl[1], elem)
                else:
                    self.vars[-1][1] = elem
                    if len(pipe.decl) > 1:
                        self.vars[-2][1] = index
            inner = len(self.vars)
            try:
                self.walk_list(elem, node.body)
            except _Break:
                del self.vars[inner:]
                break
            except _Continue:
                pass
            del self.vars[inner:]
        del self.vars[mark:]

    def walk_template(self, dot: Any, node: TemplateNode) -> None:
        tree = self.trees.get(node.name)
        if tree is None:
            raise self.error(node, f'no such template "{node.name}"')
        new_dot = self.eval_pipeline(dot, node.pipe) if node.pipe is not None else MISSING
        if self.depth >= MAX_DEPTH:
            raise self.error(node, f"exceeded maximum template depth ({MAX_DEPTH})")
        saved = self.vars, self.current
        self.vars, self.current = [["$", new_dot]], node.name
        self.depth += 1
        try:
            self.walk_list(new_dot, tree.body)
        finally:
            self.depth -= 1
            self.vars, self.current = saved

    # -- expressions ------------------------------------------------------------------
    def eval_pipeline(self, dot: Any, pipe: PipeNode) -> Any:
        value: Any = NO_FINAL
        for cmd in pipe.cmds:
            value = self.eval_command(dot, cmd, value)
            if value is None:  # a nil interface{} result is an invalid value afterwards
                value = MISSING
        for name in pipe.decl:
            if pipe.is_assign:
                self.set_var(pipe, name, value)
            else:
                self.vars.append([name, value])
        return value

    def eval_command(self, dot: Any, cmd: CommandNode, final: Any) -> Any:
        first = cmd.args[0]
        if isinstance(first, FieldNode):
            return self.eval_field_chain(dot, dot, first, cmd.args, final)
        if isinstance(first, ChainNode):
            return self.eval_chain(dot, first, cmd.args, final)
        if isinstance(first, IdentifierNode):
            return self.eval_function(dot, first, cmd.args, final)
        if isinstance(first, VariableNode):
            return self.eval_variable(dot, first, cmd.args, final)
        self.not_a_function(first, cmd.args, final)
        if isinstance(first, PipeNode):
            return self.eval_pipeline(dot, first)
        if isinstance(first, BoolNode):
            return first.value
        if isinstance(first, DotNode):
            return dot
        if isinstance(first, NilNode):
            raise self.error(first, "nil is not a command")
        if isinstance(first, NumberNode):
            return first.value
        if isinstance(first, StringNode):
            return first.value
        raise self.error(first, f"can't evaluate command {type(first).__name__}")

    def not_a_function(self, node: Node, args: list[Node], final: Any) -> None:
        if len(args) > 1 or final is not NO_FINAL:
            raise self.error(node, f"can't give argument to non-function {describe(node)}")

    def eval_variable(self, dot: Any, node: VariableNode, args: list[Node], final: Any) -> Any:
        value = self.var_value(node, node.name)
        if not node.idents:
            self.not_a_function(node, args, final)
            return value
        return self.eval_field_chain(dot, value, node, args, final)

    def eval_chain(self, dot: Any, node: ChainNode, args: list[Node], final: Any) -> Any:
        if isinstance(node.node, NilNode):
            raise self.error(node, "indirection through explicit nil")
        receiver = self.eval_arg(dot, node.node, "raw")
        return self.eval_field_chain(dot, receiver, node, args, final)

    def eval_field_chain(
        self,
        dot: Any,
        receiver: Any,
        node: FieldNode | VariableNode | ChainNode,
        args: list[Node],
        final: Any,
    ) -> Any:
        idents = node.idents
        try:
            for name in idents[:-1]:
                receiver = get_field(receiver, name, None)
            call_args: list[Any] | None = None
            if len(args) > 1 or final is not NO_FINAL:
                call_args = [self.eval_arg(dot, a, "any") for a in args[1:]]
                if final is not NO_FINAL:
                    call_args.append(None if final is MISSING else final)
            return get_field(receiver, idents[-1], call_args)
        except ExecError as exc:
            raise self.error(node, str(exc)) from None
        except (FuncError, TypeError, ValueError) as exc:
            raise self.error(node, f"error calling {idents[-1]}: {exc}") from None

    def eval_function(self, dot: Any, node: IdentifierNode, args: list[Node], final: Any) -> Any:
        name = node.name
        fn, is_builtin = self.lookup(name)
        if fn is None:
            raise self.error(node, f'function "{name}" not defined')
        if isinstance(fn, Unsupported):
            raise self.error(node, f'function "{name}" is not supported: {fn.reason}')
        sig = signature_of(fn)
        count = len(args) - 1 + (0 if final is NO_FINAL else 1)
        try:
            sig.check_count(name, count)
        except ExecError as exc:
            raise self.error(node, str(exc)) from None
        if is_builtin and name in ("and", "or"):
            return self.eval_and_or(dot, name, args[1:], final)
        argv: list[Any] = []
        for index, arg in enumerate(args[1:]):
            argv.append(self.eval_arg(dot, arg, sig.kind_at(index)))
        if final is not NO_FINAL:
            try:
                argv.append(convert(final, sig.kind_at(len(argv))))
            except ExecError as exc:
                raise self.error(node, str(exc)) from None
        try:
            return fn(*argv)
        except TemplateError:
            raise
        except ExecError as exc:
            raise self.error(node, f"error calling {name}: {exc}") from None
        except RecursionError:
            raise
        except Exception as exc:  # Go recovers panics in functions into errors too
            raise self.error(node, f"error calling {name}: {exc}") from None

    def eval_and_or(self, dot: Any, name: str, args: list[Node], final: Any) -> Any:
        value: Any = MISSING
        for arg in args:
            value = self.eval_arg(dot, arg, "raw")
            if is_true(value) == (name == "or"):
                return value
        if final is not NO_FINAL:
            value = final
        return value

    def eval_arg(self, dot: Any, node: Node, kind: str) -> Any:
        if isinstance(node, DotNode):
            value = dot
        elif isinstance(node, NilNode):
            if kind in ("any", "raw", "map", "strmap", "list"):
                return None
            raise self.error(node, f"cannot assign nil to {_go_name(kind)}")
        elif isinstance(node, FieldNode):
            value = self.eval_field_chain(dot, dot, node, [node], NO_FINAL)
        elif isinstance(node, VariableNode):
            value = self.eval_variable(dot, node, [node], NO_FINAL)
        elif isinstance(node, PipeNode):
            value = self.eval_pipeline(dot, node)
        elif isinstance(node, IdentifierNode):
            value = self.eval_function(dot, node, [node], NO_FINAL)
        elif isinstance(node, ChainNode):
            value = self.eval_chain(dot, node, [node], NO_FINAL)
        else:
            value = self.literal(node, kind)
        try:
            return convert(value, kind)
        except ExecError as exc:
            raise self.error(node, str(exc)) from None

    def literal(self, node: Node, kind: str) -> Any:
        if isinstance(node, NumberNode):
            if kind == "int":
                if not node.is_int:
                    raise self.error(node, f"expected integer; found {node.text}")
                return node.int_value
            if kind == "float":
                return float(node.value)
            if kind in ("any", "raw"):
                return node.value
            raise self.error(node, f"expected {_go_name(kind)}; found {node.text}")
        if isinstance(node, StringNode):
            if kind in ("any", "raw", "str"):
                return node.value
            raise self.error(node, f'expected {_go_name(kind)}; found "{node.value}"')
        if isinstance(node, BoolNode):
            if kind in ("any", "raw", "bool"):
                return node.value
            raise self.error(node, f"expected {_go_name(kind)}; found {node.value}")
        raise self.error(node, f"can't handle {describe(node)} for arg of type {_go_name(kind)}")


def _go_name(kind: str) -> str:
    return GO_NAMES.get(kind, "interface {}")


def describe(node: Node) -> str:
    """Go's String() of a node, for error messages."""
    if isinstance(node, FieldNode):
        return "." + ".".join(node.idents)
    if isinstance(node, VariableNode):
        return node.name + "".join("." + i for i in node.idents)
    if isinstance(node, IdentifierNode):
        return node.name
    if isinstance(node, StringNode):
        return f'"{node.value}"'
    if isinstance(node, NumberNode):
        return node.text
    if isinstance(node, BoolNode):
        return "true" if node.value else "false"
    if isinstance(node, NilNode):
        return "nil"
    if isinstance(node, DotNode):
        return "."
    if isinstance(node, ChainNode):
        return f"({describe(node.node)})." + ".".join(node.idents)
    if isinstance(node, PipeNode):
        return "(" + " | ".join(" ".join(describe(a) for a in c.args) for c in node.cmds) + ")"
    return type(node).__name__
