"""Parser from tokens to the syntax tree, following Go's `text/template/parse` grammar.

`parse` returns the named trees of one template text: the main template plus every
`{{define}}` and `{{block}}` in it. Variables are checked at parse time (using an
undeclared `$x` is an error, as in Go); function names are checked when the template
is executed, because the caller can supply extra functions then.
"""

from __future__ import annotations

from meshinject.errors import TemplateError

from .lexer import Lexer, Tok, Token, template_error
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

_OPERAND_START = frozenset(
    {
        Tok.BOOL,
        Tok.CHAR,
        Tok.DOT,
        Tok.FIELD,
        Tok.IDENT,
        Tok.NUMBER,
        Tok.NIL,
        Tok.RAW_STRING,
        Tok.STRING,
        Tok.VARIABLE,
        Tok.LPAREN,
    }
)


class _End:
    """Marker returned by `_item_list` for `{{end}}`."""


class _Else:
    """Marker returned by `_item_list` for `{{else}}`; `chained` is "if"/"with" or ""."""

    def __init__(self, chained: str, token: Token) -> None:
        self.chained = chained
        self.token = token


def describe(tok: Token) -> str:
    if tok.kind is Tok.EOF:
        return "EOF"
    if tok.kind is Tok.RIGHT:
        return '"}}"'
    if tok.kind is Tok.KEYWORD:
        return f"<{tok.value}>"
    if tok.kind is Tok.STRING:
        return f"{tok.value!r}"
    return f'"{tok.value}"'


class Parser:
    def __init__(self, text: str, name: str) -> None:
        self.name = name
        self.tokens = Lexer(text, name).tokens()
        self.i = 0
        self.vars: list[str] = ["$"]
        self.range_depth = 0
        self.trees: dict[str, Tree] = {}
        self.functions: list[IdentifierNode] = []

    # -- token helpers ----------------------------------------------------------------
    def _next(self) -> Token:
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def _peek(self) -> Token:
        return self.tokens[self.i]

    def _next_non_space(self) -> Token:
        tok = self._next()
        while tok.kind is Tok.SPACE:
            tok = self._next()
        return tok

    def _peek_non_space(self) -> Token:
        j = self.i
        while self.tokens[j].kind is Tok.SPACE:
            j += 1
        return self.tokens[j]

    def _error(self, tok: Token | Node, message: str) -> TemplateError:
        return template_error(self.name, tok.line, tok.column, message)

    def _expect_right(self, context: str) -> Token:
        tok = self._next_non_space()
        if tok.kind is not Tok.RIGHT:
            raise self._error(tok, f"unexpected {describe(tok)} in {context}")
        return tok

    # -- top level --------------------------------------------------------------------
    def parse(self) -> dict[str, Tree]:
        body: list[Node] = []
        while self._peek().kind is not Tok.EOF:
            tok = self._peek()
            if tok.kind is Tok.LEFT:
                after = self.tokens[self.i + 1]
                j = self.i + 1
                while self.tokens[j].kind is Tok.SPACE:
                    j += 1
                after = self.tokens[j]
                if after.kind is Tok.KEYWORD and after.value == "define":
                    self.i = j + 1
                    self._definition(after)
                    continue
            node = self._text_or_action()
            if isinstance(node, _End | _Else):
                word = "end" if isinstance(node, _End) else "else"
                raise self._error(tok, f"unexpected {{{{{word}}}}}")
            body.append(node)
        main = Tree(self.name, body, self.functions)
        existing = self.trees.get(self.name)
        if existing is None or _has_content(body):
            self.trees[self.name] = main
        return self.trees

    def _add_tree(self, name: str, body: list[Node], functions: list[IdentifierNode]) -> None:
        existing = self.trees.get(name)
        # As in Go, an empty redefinition does not replace a template with content.
        if existing is not None and not _has_content(body) and _has_content(existing.body):
            return
        self.trees[name] = Tree(name, body, functions)

    def _definition(self, define: Token) -> None:
        name_tok = self._next_non_space()
        if name_tok.kind not in (Tok.STRING, Tok.RAW_STRING):
            raise self._error(name_tok, f"unexpected {describe(name_tok)} in define clause")
        self._expect_right("define clause")
        saved = self.vars, self.functions
        self.vars, self.functions = ["$"], []
        body, end = self._item_list()
        if not isinstance(end, _End):
            raise self._error(define, "unexpected {{else}} in define clause")
        self._add_tree(name_tok.value, body, self.functions)
        self.vars, self.functions = saved

    def _item_list(self) -> tuple[list[Node], _End | _Else]:
        body: list[Node] = []
        while True:
            tok = self._peek()
            if tok.kind is Tok.EOF:
                raise self._error(tok, "unexpected EOF")
            node = self._text_or_action()
            if isinstance(node, _End | _Else):
                return body, node
            body.append(node)

    def _text_or_action(self) -> Node | _End | _Else:
        tok = self._next()
        if tok.kind is Tok.TEXT:
            return TextNode(tok.line, tok.column, tok.value)
        if tok.kind is Tok.LEFT:
            return self._action(tok)
        raise self._error(tok, f"unexpected {describe(tok)} in input")

    # -- actions ----------------------------------------------------------------------
    def _action(self, left: Token) -> Node | _End | _Else:
        tok = self._next_non_space()
        if tok.kind is Tok.KEYWORD:
            word = tok.value
            if word == "end":
                self._expect_right("end")
                return _End()
            if word == "else":
                peek = self._peek_non_space()
                if peek.kind is Tok.KEYWORD and peek.value in ("if", "with"):
                    return _Else(peek.value, tok)
                self._expect_right("else")
                return _Else("", tok)
            if word in ("if", "with", "range"):
                return self._control(word, tok)
            if word in ("break", "continue"):
                if self.range_depth == 0:
                    raise self._error(tok, f"{{{{{word}}}}} outside {{{{range}}}}")
                self._expect_right(word)
                if word == "break":
                    return BreakNode(tok.line, tok.column)
                return ContinueNode(tok.line, tok.column)
            if word == "template":
                return self._template(tok)
            if word == "block":
                return self._block(tok)
            raise self._error(tok, f"unexpected <{word}> in command")
        self.i -= 1
        pipe = self._pipeline("command", Tok.RIGHT)
        return ActionNode(left.line, left.column, pipe)

    def _control(self, keyword: str, tok: Token) -> BranchNode:
        mark = len(self.vars)
        try:
            pipe = self._pipeline(keyword, Tok.RIGHT)
            if keyword == "range":
                self.range_depth += 1
            body, nxt = self._item_list()
            if keyword == "range":
                self.range_depth -= 1
            else_body: list[Node] | None = None
            if isinstance(nxt, _Else):
                if nxt.chained:
                    if nxt.chained != keyword:
                        raise self._error(nxt.token, f"unexpected else {nxt.chained} in {keyword}")
                    chained_tok = self._next_non_space()  # the "if"/"with" after "else"
                    else_body = [self._control(keyword, chained_tok)]
                else:
                    else_body, end = self._item_list()
                    if not isinstance(end, _End):
                        raise self._error(tok, f"expected end; found {{{{else}}}} in {keyword}")
            return BranchNode(tok.line, tok.column, keyword, pipe, body, else_body)
        finally:
            del self.vars[mark:]

    def _template(self, tok: Token) -> TemplateNode:
        name_tok = self._next_non_space()
        if name_tok.kind not in (Tok.STRING, Tok.RAW_STRING):
            raise self._error(name_tok, f"unexpected {describe(name_tok)} in template clause")
        pipe: PipeNode | None = None
        if self._peek_non_space().kind is not Tok.RIGHT:
            pipe = self._pipeline("template clause", Tok.RIGHT)
        else:
            self._next_non_space()
        return TemplateNode(tok.line, tok.column, name_tok.value, pipe)

    def _block(self, tok: Token) -> TemplateNode:
        name_tok = self._next_non_space()
        if name_tok.kind not in (Tok.STRING, Tok.RAW_STRING):
            raise self._error(name_tok, f"unexpected {describe(name_tok)} in block clause")
        pipe = self._pipeline("block clause", Tok.RIGHT)
        saved = self.vars, self.functions, self.range_depth
        self.vars, self.functions, self.range_depth = ["$"], [], 0
        body, end = self._item_list()
        if not isinstance(end, _End):
            raise self._error(tok, "unexpected {{else}} in block clause")
        self._add_tree(name_tok.value, body, self.functions)
        self.vars, self.functions, self.range_depth = saved
        return TemplateNode(tok.line, tok.column, name_tok.value, pipe)

    # -- pipelines --------------------------------------------------------------------
    def _pipeline(self, context: str, end: Tok) -> PipeNode:
        start = self._peek_non_space()
        pipe = PipeNode(start.line, start.column, [], False, [])
        self._declarations(pipe, context)
        while True:
            tok = self._next_non_space()
            if tok.kind is end:
                self._check_pipeline(pipe, context, tok)
                return pipe
            if tok.kind in _OPERAND_START:
                self.i -= 1
                pipe.cmds.append(self._command())
            else:
                raise self._error(tok, f"unexpected {describe(tok)} in {context}")

    def _declarations(self, pipe: PipeNode, context: str) -> None:
        while True:
            var = self._peek_non_space()
            if var.kind is not Tok.VARIABLE:
                return
            save = self.i
            self._next_non_space()
            nxt = self._peek_non_space()
            if nxt.kind in (Tok.ASSIGN, Tok.DECLARE):
                self._next_non_space()
                pipe.is_assign = nxt.kind is Tok.ASSIGN
                pipe.decl.append(var.value)
                if nxt.kind is Tok.DECLARE:
                    self.vars.append(var.value)
                elif var.value not in self.vars:
                    raise self._error(var, f'undefined variable "{var.value}"')
                return
            if nxt.kind is Tok.COMMA:
                self._next_non_space()
                pipe.decl.append(var.value)
                self.vars.append(var.value)
                if context == "range" and len(pipe.decl) < 2:
                    if self._peek_non_space().kind is Tok.VARIABLE:
                        continue
                    raise self._error(nxt, "range can only initialize variables")
                raise self._error(nxt, f"too many declarations in {context}")
            self.i = save
            return

    def _check_pipeline(self, pipe: PipeNode, context: str, tok: Token) -> None:
        if not pipe.cmds:
            raise self._error(tok, f"missing value for {context}")
        for index, cmd in enumerate(pipe.cmds[1:], start=2):
            first = cmd.args[0]
            if isinstance(first, BoolNode | DotNode | NilNode | NumberNode | StringNode):
                raise self._error(first, f"non executable command in pipeline stage {index}")

    def _command(self) -> CommandNode:
        start = self._peek_non_space()
        cmd = CommandNode(start.line, start.column, [])
        while True:
            self._peek_non_space()
            operand = self._operand()
            if operand is not None:
                cmd.args.append(operand)
            tok = self._next()
            if tok.kind is Tok.SPACE:
                continue
            if tok.kind in (Tok.RIGHT, Tok.RPAREN):
                self.i -= 1
            elif tok.kind is not Tok.PIPE:
                raise self._error(tok, f"unexpected {describe(tok)} in operand")
            break
        if not cmd.args:
            raise self._error(start, "empty command")
        return cmd

    def _operand(self) -> Node | None:
        node = self._term()
        if node is None or self._peek().kind is not Tok.FIELD:
            return node
        idents: list[str] = []
        while self._peek().kind is Tok.FIELD:
            idents.append(self._next().value[1:])
        if isinstance(node, FieldNode):
            return FieldNode(node.line, node.column, node.idents + tuple(idents))
        if isinstance(node, VariableNode):
            return VariableNode(node.line, node.column, node.name, node.idents + tuple(idents))
        if isinstance(node, BoolNode | StringNode | NumberNode | NilNode | DotNode):
            raise self._error(node, "unexpected . after term")
        return ChainNode(node.line, node.column, node, tuple(idents))

    def _term(self) -> Node | None:
        tok = self._next_non_space()
        kind, line, col = tok.kind, tok.line, tok.column
        if kind is Tok.IDENT:
            ident = IdentifierNode(line, col, tok.value)
            self.functions.append(ident)
            return ident
        if kind is Tok.DOT:
            return DotNode(line, col)
        if kind is Tok.NIL:
            return NilNode(line, col)
        if kind is Tok.VARIABLE:
            if tok.value not in self.vars:
                raise self._error(tok, f'undefined variable "{tok.value}"')
            return VariableNode(line, col, tok.value, ())
        if kind is Tok.FIELD:
            return FieldNode(line, col, (tok.value[1:],))
        if kind is Tok.BOOL:
            return BoolNode(line, col, tok.value == "true")
        if kind is Tok.NUMBER:
            return self._number(tok)
        if kind is Tok.CHAR:
            code = int(tok.value)
            return NumberNode(line, col, tok.value, code, True, code)
        if kind is Tok.LPAREN:
            return self._pipeline("parenthesized pipeline", Tok.RPAREN)
        if kind in (Tok.STRING, Tok.RAW_STRING):
            return StringNode(line, col, tok.value, tok.value)
        self.i -= 1
        return None

    def _number(self, tok: Token) -> NumberNode:
        text = tok.value
        clean = text.replace("_", "")
        body = clean.lstrip("+-")
        negative = clean.startswith("-")
        lowered = body.lower()
        is_hex = lowered.startswith("0x")
        try:
            if is_hex and "p" in lowered:
                value: int | float = float.fromhex(clean)
            elif not is_hex and any(c in lowered for c in ".e"):
                value = float(clean)
            elif lowered.startswith(("0x", "0o", "0b")):
                value = int(body, 0) * (-1 if negative else 1)
            elif len(body) > 1 and body.startswith("0"):
                value = int(body, 8) * (-1 if negative else 1)
            else:
                value = int(body) * (-1 if negative else 1)
        except ValueError:
            raise self._error(tok, f"illegal number syntax: {text!r}") from None
        if isinstance(value, int):
            if not -(2**63) <= value < 2**63:
                raise self._error(tok, f"{text} overflows int")
            return NumberNode(tok.line, tok.column, text, value, True, value)
        is_int = value.is_integer() and abs(value) < 2**63
        return NumberNode(tok.line, tok.column, text, value, is_int, int(value) if is_int else 0)


def _has_content(body: list[Node]) -> bool:
    return any(not (isinstance(n, TextNode) and not n.text.strip()) for n in body)


def parse(text: str, name: str) -> dict[str, Tree]:
    """Parse `text` as template `name`; returns every template it defines by name."""
    return Parser(text, name).parse()
