"""The position tree of a loaded document: where each node's text is, and in what style.

Offsets are CHARACTER offsets into the document text; `line`/`col` are 0-based (add one
for messages). Block collections have no reliable end mark in libyaml (it points at the
next token, after comments), so the tree records `end` only for scalars, aliases and flow
collections; `content_end()` computes where a node's own text really stops.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from meshinject.yamltext import events as ev
from meshinject.yamltext.resolve import key_string, resolve_plain


@dataclass(slots=True, eq=False)
class ScalarNode:
    start: int
    end: int
    line: int
    col: int
    style: str  # "" plain, "'", '"', "|", ">"
    raw: str  # the scalar's string content before type resolution
    tag: str | None = None
    anchor: str | None = None


@dataclass(slots=True, eq=False)
class AliasNode:
    start: int
    end: int
    line: int
    col: int
    name: str
    anchor: None = None
    tag: None = None


@dataclass(slots=True, eq=False)
class Entry:
    """One `key: value` of a mapping; `key` is the string the data uses."""

    key: str
    key_node: ScalarNode | AliasNode | MappingNode | SequenceNode
    value: Node
    is_merge: bool = False


@dataclass(slots=True, eq=False)
class MappingNode:
    start: int
    end: int
    line: int
    col: int
    flow: bool
    tag: str | None = None
    anchor: str | None = None
    entries: list[Entry] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class SequenceNode:
    start: int
    end: int
    line: int
    col: int
    flow: bool
    tag: str | None = None
    anchor: str | None = None
    items: list[Node] = field(default_factory=list)


Node = ScalarNode | AliasNode | MappingNode | SequenceNode


def build_tree(events: list[Any], text: str = "") -> Node | None:
    """Rebuild the node tree from a document's (already validated) events.

    A block collection with node properties (`labels: !!map`, `items: &x`) starts, for
    libyaml, at its tag or anchor on the key's line; its `line`/`col` are set to where its
    content sits (the first key, the first `-`), which is what editing needs (R9).
    """
    codes = ev.CODES
    stack: list[MappingNode | SequenceNode] = []
    pending_key: list[ScalarNode | AliasNode | MappingNode | SequenceNode | None] = []
    root: Node | None = None
    for e in events:
        code = codes[e.__class__]
        node: Node
        sm = e.start_mark
        if code == ev.SCALAR:
            tag = e.ctag  # the `tag` property, without the property call
            node = ScalarNode(
                sm.index,
                e.end_mark.index,
                sm.line,
                sm.column,
                e.style or "",
                e.value,
                None if tag is None else str(tag),
                e.anchor,
            )
        elif code == ev.ALIAS:
            node = AliasNode(sm.index, e.end_mark.index, sm.line, sm.column, e.anchor)
        elif code in (ev.MAPPING_START, ev.SEQUENCE_START):
            flow = bool(e.flow_style)
            cls = MappingNode if code == ev.MAPPING_START else SequenceNode
            stack.append(cls(sm.index, sm.index, sm.line, sm.column, flow, e.tag, e.anchor))
            pending_key.append(None)
            continue
        elif code in (ev.MAPPING_END, ev.SEQUENCE_END):
            node = stack.pop()
            pending_key.pop()
            node.end = e.end_mark.index
            if not node.flow and (node.tag is not None or node.anchor is not None):
                _content_position(node, text)
        else:
            continue
        if not stack:
            root = node
            continue
        parent = stack[-1]
        if isinstance(parent, SequenceNode):
            parent.items.append(node)
        elif pending_key[-1] is None:
            pending_key[-1] = node
        else:
            key_node = pending_key[-1]
            pending_key[-1] = None
            parent.entries.append(_entry(key_node, node))
    return root


def _content_position(node: MappingNode | SequenceNode, text: str) -> None:
    if isinstance(node, MappingNode):
        if node.entries:
            node.line, node.col = node.entries[0].key_node.line, node.entries[0].key_node.col
        return
    if not node.items or not text:
        return
    first = node.items[0]
    dash = text.rfind("-", node.start, first.start)
    if dash >= 0 and not text[dash + 1 : first.start].strip():
        line_start = text.rfind("\n", 0, dash) + 1
        node.line, node.col = text.count("\n", 0, dash), dash - line_start


def _entry(key_node: ScalarNode | AliasNode | MappingNode | SequenceNode, value: Node) -> Entry:
    if isinstance(key_node, ScalarNode):
        if not key_node.style and key_node.tag is None and key_node.raw == "<<":
            return Entry("<<", key_node, value, is_merge=True)
        raw = key_node.raw
        key = raw if key_node.style or key_node.tag else resolve_plain(raw)
        return Entry(key_string(key, key_node.line + 1, key_node.col + 1), key_node, value)
    return Entry("", key_node, value)


def content_end(node: Node, text: str) -> int:
    """Offset just past the node's own text (not past following comments or blank lines)."""
    while True:
        if isinstance(node, MappingNode) and not node.flow:
            if not node.entries:
                return node.start
            node = node.entries[-1].value
        elif isinstance(node, SequenceNode) and not node.flow:
            if not node.items:
                return node.start
            node = node.items[-1]
        else:
            break
    if isinstance(node, ScalarNode) and node.style in ("|", ">"):
        header_end = text.find("\n", node.start)
        if "+" in text[node.start : header_end if header_end >= 0 else node.end]:
            return node.end  # keep-chomping: trailing blank lines are content
        body = text[node.start : node.end].rstrip(" \t\n")
        return node.start + len(body)
    return node.end
