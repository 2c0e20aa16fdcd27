"""Edit a document by splicing new text into the original at node positions.

The edit is a structural diff of old and new data turned into (start, end, text)
replacements on the document text; everything outside them is untouched. Insertions and
deletions are designed as exact inverses: an entry or item is inserted as whole lines at
a line start (or after `- ` for the first key of an item) and deleted as exactly those
lines, so deleting what an earlier edit inserted gives back the earlier text.

Anything this module cannot place with confidence raises `Unsupported`; the caller then
falls back to the ruamel round-trip. The caller also verifies every spliced result.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from meshinject.yamltext.diff import match_items, same
from meshinject.yamltext.emit import (
    Style,
    entry_lines,
    flow_text,
    item_lines,
    literal_ok,
    scalar_text,
    single_item_lines,
    value_after_key,
)
from meshinject.yamltext.loaded import LoadedDocument
from meshinject.yamltext.nodes import (
    AliasNode,
    Entry,
    MappingNode,
    Node,
    ScalarNode,
    SequenceNode,
    content_end,
)
from meshinject.yamltext.resolve import resolve_plain

# Flow collections that change are re-rendered in flow style only while this short.
_MAX_FLOW_WIDTH = 80


class Unsupported(Exception):
    """The edit cannot be spliced safely (the round-trip fallback takes over)."""


@dataclass(frozen=True, slots=True)
class _Where:
    """Where a node sits: the document root, a mapping entry, or a sequence item."""

    entry: Entry | None = None
    dash: int = -1  # offset of the item's `-` when the node is a sequence item
    flow: bool = False  # inside a flow collection edited in place


_ROOT = _Where()


def plain_string(raw: str) -> bool:
    return isinstance(resolve_plain(raw), str)


def measure_style(root: Node | None) -> Style:
    """The document's indentation step, sequence-indent habit and quote preference."""
    steps: Counter[int] = Counter()
    seq_votes: Counter[bool] = Counter()
    quotes: Counter[str] = Counter()
    gaps: Counter[int] = Counter()
    stack: list[Node] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, MappingNode):
            for entry in node.entries:
                value = entry.value
                if not node.flow and isinstance(value, MappingNode) and not value.flow:
                    if value.col > entry.key_node.col and value.line > entry.key_node.line:
                        steps[value.col - entry.key_node.col] += 1
                elif not node.flow and isinstance(value, SequenceNode) and not value.flow:
                    seq_votes[value.col > entry.key_node.col] += 1
                stack.append(value)
        elif isinstance(node, SequenceNode):
            stack.extend(node.items)
            if not node.flow:
                # A block sequence's first item shares the line of the first dash.
                first = node.items[0] if node.items else None
                if first is not None and first.line == node.line and 2 <= first.col - node.col <= 8:
                    gaps[first.col - node.col] += 1
        elif isinstance(node, ScalarNode) and node.style in ("'", '"'):
            quotes[node.style] += 1
    indent = steps.most_common(1)[0][0] if steps else 2
    indented = seq_votes[True] > seq_votes[False]
    quote = ""
    if quotes:
        quote = '"' if quotes['"'] >= quotes["'"] else "'"
    gap = gaps.most_common(1)[0][0] if gaps else 2
    return Style(indent=indent, indent_sequences=indented, quote=quote, dash_gap=gap)


class Splicer:
    def __init__(self, doc: LoadedDocument) -> None:
        self.text = doc.text
        self.root = doc.root
        self.style = measure_style(self.root)
        self.edits: list[tuple[int, int, str]] = []
        self.old_values: dict[int, Any] = {}
        self._aliases: set[str] | None = None

    def aliased(self, node: Node) -> bool:
        """The node has an anchor some alias in the document refers to: editing it would
        change the aliases too. (An anchor nothing refers to is edited like any node.)"""
        if node.anchor is None:
            return False
        if self._aliases is None:
            self._aliases = set()
            stack: list[Node] = [self.root] if self.root is not None else []
            while stack:
                item = stack.pop()
                if isinstance(item, AliasNode):
                    self._aliases.add(item.name)
                elif isinstance(item, MappingNode):
                    for entry in item.entries:
                        stack.extend((entry.key_node, entry.value))
                elif isinstance(item, SequenceNode):
                    stack.extend(item.items)
        return node.anchor in self._aliases

    # -- text positions -------------------------------------------------------------

    def line_start(self, pos: int) -> int:
        return self.text.rfind("\n", 0, pos) + 1

    def line_end(self, pos: int) -> int:
        """Offset of the newline ending the line of `pos` (or the end of the text)."""
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end

    def after_line(self, pos: int) -> int:
        end = self.text.find("\n", pos)
        return len(self.text) if end < 0 else end + 1

    def first_on_line(self, pos: int) -> bool:
        return not self.text[self.line_start(pos) : pos].strip(" ")

    def end_of_last(self, node: Node, col: int) -> int:
        """Where to append after `node`, the last entry/item of a collection at `col`.

        That is past the node's last line and past comment lines indented deeper than
        `col` (they belong to that node's value), but before comment lines at `col` or
        less, which belong to whatever follows.
        """
        text = self.text
        pos = self.after_line(content_end(node, text))
        while pos < len(text):
            line_end = self.line_end(pos)
            line = text[pos:line_end]
            body = line.lstrip(" ")
            if not body.startswith("#") or len(line) - len(body) <= col:
                break
            pos = self.after_line(pos)
        return pos

    def add(self, start: int, end: int, text: str) -> None:
        self.edits.append((start, end, text))

    def delete_lines(self, first_line_start: int, end: int) -> None:
        """Delete whole lines; at an end without newline, eat the newline before them."""
        if end == len(self.text) and not self.text.endswith("\n") and first_line_start > 0:
            first_line_start -= 1
        self.add(first_line_start, end, "")

    def insert_lines(self, pos: int, lines: list[str]) -> None:
        """Insert whole lines at a line start, or at the end of a text without newline."""
        if pos == len(self.text) and self.text and not self.text.endswith("\n"):
            self.add(pos, pos, "\n" + "\n".join(lines))
        else:
            self.add(pos, pos, "\n".join(lines) + "\n")

    # -- the diff walk --------------------------------------------------------------

    def run(self, old: Any, new: Any) -> str:
        if self.root is None:
            raise Unsupported("empty document")
        self.edit(self.root, old, new, _ROOT)
        return self.apply()

    def edit(self, node: Node, old: Any, new: Any, where: _Where) -> None:
        if same(old, new):
            return
        self.old_values[id(node)] = old
        if isinstance(node, MappingNode) and isinstance(old, dict) and isinstance(new, dict):
            if node.flow:
                self.edit_flow(node, new, where)
            else:
                self.edit_mapping(node, old, new, where)
        elif isinstance(node, SequenceNode) and isinstance(old, list) and isinstance(new, list):
            if node.flow:
                self.edit_flow(node, new, where)
            else:
                self.edit_sequence(node, old, new, where)
        else:
            self.replace(node, new, where)

    def edit_flow(self, node: MappingNode | SequenceNode, new: Any, where: _Where) -> None:
        text = self.text[node.start : node.end]
        has_content = node.entries if isinstance(node, MappingNode) else node.items
        if (
            isinstance(node, MappingNode)
            and new
            and any(e.key in new for e in node.entries)  # else it is a new mapping
        ):
            # Edit the entries where they are: re-rendering would lose what the user wrote
            # (comments, quotes, line breaks), and the flow style itself (so uninject could
            # not give the text back).
            self.edit_flow_mapping(node, self.old_of(node), new)
            return
        if isinstance(node, SequenceNode) and new and node.items:
            pairs = match_items(self.old_of(node), new)
            if pairs:
                # Same for a flow sequence (`containers: [{name: web, image: web}]`): items
                # edited where they are, so uninject gives the text back (R8, R9).
                self.edit_flow_sequence(node, self.old_of(node), new, pairs)
                return
        if new and has_content and "\n" not in text:
            flow = flow_text(new, self.style.quote)
            if len(flow) <= _MAX_FLOW_WIDTH and "\n" not in flow:
                if node.anchor is not None:
                    raise Unsupported("anchored node changes")
                self.add(node.start, node.end, flow)
                return
        self.replace(node, new, where)

    def old_of(self, node: Node) -> Any:
        return self.old_values[id(node)]

    def edit_flow_mapping(
        self, node: MappingNode, old: dict[str, Any], new: dict[str, Any]
    ) -> None:
        """Edit a flow mapping in place: changed values spliced, removed entries cut out
        with their comma, new entries appended after the last one (`, key: value`)."""
        entries = node.entries
        if self.aliased(node) or any(e.is_merge for e in entries):
            raise Unsupported("anchors or merge keys in an edited mapping")
        by_key = {e.key: e for e in entries}
        if len(by_key) != len(old) or by_key.keys() != old.keys():
            raise Unsupported("mapping entries do not match the data")
        if any(not isinstance(e.key_node, ScalarNode) for e in entries):
            raise Unsupported("complex mapping key")
        for e in entries:
            if e.key in new:
                self.edit(e.value, old[e.key], new[e.key], _Where(entry=e, flow=True))
        text = self.text
        last_kept = max(i for i, e in enumerate(entries) if e.key in new)
        for i, e in enumerate(entries):
            if e.key in new:
                continue
            if i < last_kept:  # `key: value, ` up to the next key
                start, end = e.key_node.start, entries[i + 1].key_node.start
            else:  # `, key: value` after the last kept entry
                start = content_end(entries[i - 1].value, text)
                end = content_end(e.value, text)
            if "#" in text[start:end] and not self.only_in_scalars(start, end, e):
                raise Unsupported("a comment next to a removed flow entry")
            self.add(start, end, "")
        # A new key goes before the kept key that follows it in `new` (a probe's httpGet in
        # place of its tcpSocket), else after the last entry: uninject cuts it again.
        keys = list(new)
        tail: list[str] = []
        for index, key in enumerate(keys):
            if key in old:
                continue
            piece = (
                f"{scalar_text(key, quote=self.style.quote, flow=True)}: "
                f"{flow_text(new[key], self.style.quote)}"
            )
            successor = next((k for k in keys[index + 1 :] if k in old), None)
            if successor is None:
                tail.append(f", {piece}")
            else:
                at = by_key[successor].key_node.start
                self.add(at, at, f"{piece}, ")
        if tail:
            at = content_end(entries[-1].value, text)
            self.add(at, at, "".join(tail))

    def edit_flow_sequence(
        self, node: SequenceNode, old: list[Any], new: list[Any], pairs: list[tuple[int, int]]
    ) -> None:
        """Edit a flow sequence in place, the way `edit_flow_mapping` edits a mapping:
        matched items edited, removed ones cut with their comma, new ones inserted with
        `, ` so that cutting them again gives the text back."""
        items = node.items
        if self.aliased(node) or len(items) != len(old):
            raise Unsupported("anchored or inconsistent sequence")
        text = self.text
        for i, j in pairs:
            self.edit(items[i], old[i], new[j], _Where(flow=True))
        matched = {i for i, _ in pairs}
        last_kept = max(matched)
        for i, item in enumerate(items):
            if i in matched:
                continue
            if i < last_kept:  # `item, ` up to the next item
                start, end = item.start, items[i + 1].start
            else:  # `, item` after the last kept item
                start, end = content_end(items[i - 1], text), content_end(item, text)
            if "#" in text[start:end] and not (
                isinstance(item, ScalarNode) and "#" not in text[start : item.start]
            ):
                raise Unsupported("a comment next to a removed flow item")
            self.add(start, end, "")
        new_to_old = {j: i for i, j in pairs}
        pending: list[str] = []
        for j, value in enumerate(new):
            if j in new_to_old:
                continue
            pending.append(flow_text(value, self.style.quote))
            if j + 1 < len(new) and j + 1 not in new_to_old:
                continue
            successor = next(
                (new_to_old[k] for k in range(j + 1, len(new)) if k in new_to_old), None
            )
            if successor is None:
                at = content_end(items[last_kept], text)
                self.add(at, at, "".join(f", {p}" for p in pending))
            else:
                at = items[successor].start
                self.add(at, at, "".join(f"{p}, " for p in pending))
            pending = []

    def only_in_scalars(self, start: int, end: int, entry: Entry) -> bool:
        """Every `#` between `start` and `end` lies inside the entry's own key or value."""
        inside = [(entry.key_node.start, entry.key_node.end)]
        if isinstance(entry.value, ScalarNode):
            inside.append((entry.value.start, entry.value.end))
        return all(
            any(a <= pos < b for a, b in inside)
            for pos in range(start, end)
            if self.text[pos] == "#"
        )

    def edit_mapping(
        self, node: MappingNode, old: dict[str, Any], new: dict[str, Any], where: _Where
    ) -> None:
        entries = node.entries
        if self.aliased(node) or any(e.is_merge for e in entries):
            raise Unsupported("anchors or merge keys in an edited mapping")
        by_key = {e.key: e for e in entries}
        if len(by_key) != len(old) or by_key.keys() != old.keys():
            raise Unsupported("mapping entries do not match the data")
        for e in entries:
            k = e.key_node
            if not isinstance(k, ScalarNode) or k.style in ("|", ">") or k.col != node.col:
                raise Unsupported("complex mapping key")
        kept = [e for e in entries if e.key in new]
        if not new or not kept:
            self.replace(node, new, where)
            return
        for e in kept:
            self.edit(e.value, old[e.key], new[e.key], _Where(entry=e))
        for i, e in enumerate(entries):
            if e.key not in new:
                self.delete_entry(e, entries[i + 1 :], new)
        self.insert_entries(node, old, new, by_key)

    def delete_entry(self, entry: Entry, later: list[Entry], new: dict[str, Any]) -> None:
        key_start = entry.key_node.start
        end = self.after_line(content_end(entry.value, self.text))
        if self.first_on_line(key_start):
            self.delete_lines(self.line_start(key_start), end)
            return
        # The first key of a `- ` item: pull the next surviving key up onto the dash line.
        following = next((e for e in later if e.key in new), None)
        if following is None:
            raise Unsupported("removing the only key on a dash line")
        if self.text[end : following.key_node.start].strip():
            # Comment lines in between: keep them, leave a bare `-` on the dash line.
            bare = key_start
            while bare > 0 and self.text[bare - 1] == " ":
                bare -= 1
            self.add(bare, self.line_end(content_end(entry.value, self.text)), "")
            return
        self.add(key_start, following.key_node.start, "")

    def insert_entries(
        self, node: MappingNode, old: dict[str, Any], new: dict[str, Any], by_key: dict[str, Entry]
    ) -> None:
        keys = list(new)
        pending: dict[str, Any] = {}
        for index, key in enumerate(keys):
            if key in old:
                continue
            pending[key] = new[key]
            successor = keys[index + 1] if index + 1 < len(keys) else None
            if successor is not None and successor not in old:
                continue  # the next key is new too: insert them together
            lines = entry_lines(pending, node.col, self.style)
            pending = {}
            replaced = self.replaced_entry(node, new, successor)
            if replaced is not None:
                # New keys taking the place of deleted ones go where the first of those
                # stood: deleting them again puts the deleted ones back in the same place.
                # (At the end of a text without final newline the deletion eats the newline
                # before them, so the new lines go after it, at the end.)
                at = self.line_start(replaced.key_node.start)
                if successor is None and not self.text.endswith("\n"):
                    last = node.entries[-1].value
                    if self.after_line(content_end(last, self.text)) == len(self.text):
                        at = len(self.text)
                self.insert_lines(at, lines)
                continue
            if successor is None:
                self.insert_lines(self.end_of_last(node.entries[-1].value, node.col), lines)
                continue
            start = by_key[successor].key_node.start
            if self.first_on_line(start):
                self.insert_lines(self.line_start(start), lines)
            else:
                text = "\n".join(lines)[node.col :] + "\n" + " " * node.col
                self.add(start, start, text)

    def replaced_entry(
        self, node: MappingNode, new: dict[str, Any], successor: str | None
    ) -> Entry | None:
        """The first of the deleted entries right before `successor` (or at the end)."""
        entries = node.entries
        stop = (
            len(entries)
            if successor is None
            else next(i for i, e in enumerate(entries) if e.key == successor)
        )
        first = stop
        while first > 0 and entries[first - 1].key not in new:
            first -= 1
        if first == stop or not self.first_on_line(entries[first].key_node.start):
            return None
        return entries[first]

    def dash_of(self, seq: SequenceNode, item: Node) -> int:
        """Offset of the `-` that introduces `item` in a block sequence."""
        pos = item.start
        col = seq.col
        text = self.text
        while True:
            line_start = self.line_start(pos)
            dash = line_start + col
            if (
                dash <= item.start
                and text[dash : dash + 1] == "-"
                and text[dash + 1 : dash + 2] in (" ", "\t", "\n", "")
                and not text[line_start:dash].strip(" -")
            ):
                return dash
            if line_start == 0 or line_start <= seq.start:
                raise Unsupported("cannot find a sequence item's dash")
            pos = line_start - 1

    def edit_sequence(
        self, node: SequenceNode, old: list[Any], new: list[Any], where: _Where
    ) -> None:
        items = node.items
        if self.aliased(node) or len(items) != len(old):
            raise Unsupported("anchored or inconsistent sequence")
        pairs = match_items(old, new) if new else None
        if not pairs:
            self.replace(node, new, where)
            return
        dashes = [self.dash_of(node, item) for item in items]
        matched = {i for i, _ in pairs}
        for i, j in pairs:
            self.edit(items[i], old[i], new[j], _Where(dash=dashes[i]))
        for i, item in enumerate(items):
            if i not in matched:
                if not self.first_on_line(dashes[i]):
                    raise Unsupported("removing an item that shares its line")
                end = self.after_line(content_end(item, self.text))
                self.delete_lines(self.line_start(dashes[i]), end)
        new_to_old = {j: i for i, j in pairs}
        pending: list[Any] = []
        for j, value in enumerate(new):
            if j in new_to_old:
                continue
            pending.append(value)
            if j + 1 < len(new) and j + 1 not in new_to_old:
                continue
            lines = item_lines(pending, node.col, self.style)
            pending = []
            successor = next(
                (new_to_old[k] for k in range(j + 1, len(new)) if k in new_to_old), None
            )
            if successor is None:
                self.insert_lines(self.end_of_last(items[-1], node.col), lines)
            elif self.first_on_line(dashes[successor]):
                self.insert_lines(self.line_start(dashes[successor]), lines)
            else:
                raise Unsupported("inserting before an item that shares its line")

    # -- replacing a whole value ----------------------------------------------------

    def string_style(self, text: str) -> str:
        """The style ("", "'" or '"') the document's values equal to `text` mostly use."""
        votes: Counter[str] = Counter()
        stack: list[Node] = [self.root] if self.root is not None else []
        while stack:
            node = stack.pop()
            if isinstance(node, MappingNode):
                stack.extend(e.value for e in node.entries)
            elif isinstance(node, SequenceNode):
                stack.extend(node.items)
            elif (
                isinstance(node, ScalarNode)
                and node.raw == text
                and (node.style in ("'", '"') or (not node.style and plain_string(node.raw)))
            ):
                votes[node.style] += 1
        return votes.most_common(1)[0][0] if votes else ""

    def replace(self, node: Node, new: Any, where: _Where) -> None:
        if node.anchor is not None:
            raise Unsupported("anchored node changes")
        if isinstance(node, ScalarNode) and node.style not in ("|", ">"):
            # Multi-line text replacing a double-quoted scalar stays double-quoted (escaped):
            # a probe path `"/a\nb"` put back by uninject is written as it was (R9).
            one_line = not isinstance(new, dict | list) and not (
                isinstance(new, str) and literal_ok(new) and node.style != '"'
            )
            if one_line and node.start < node.end:
                prefer = node.style
                if (
                    not prefer
                    and isinstance(new, str)
                    and not isinstance(resolve_plain(node.raw), str)
                ):
                    # A number becoming text (a probe port back to its name): quote it
                    # the way the document writes that text elsewhere.
                    prefer = self.string_style(new)
                text = scalar_text(new, quote=self.style.quote, flow=where.flow, prefer=prefer)
                self.add(node.start, node.end, text)
                return
        if where.flow:
            if isinstance(node, ScalarNode | AliasNode) or node.flow:
                self.add(node.start, content_end(node, self.text), flow_text(new, self.style.quote))
                return
            raise Unsupported("a block value inside a flow mapping")
        if where.entry is not None:
            self.replace_entry_value(node, new, where.entry)
        elif where.dash >= 0:
            if node.start == node.end:
                raise Unsupported("empty sequence item")
            col = where.dash - self.line_start(where.dash)
            lines = single_item_lines(new, col, self.style)
            end = content_end(node, self.text)
            self.add(where.dash, end, "\n".join(lines)[col:])
        else:
            end = content_end(node, self.text)
            if isinstance(new, dict) and new:
                lines = entry_lines(new, 0, self.style)
            elif isinstance(new, list) and new:
                lines = item_lines(new, 0, self.style)
            else:
                raise Unsupported("replacing a scalar document")
            if node.col != 0:
                raise Unsupported("indented root")
            self.add(node.start, end, "\n".join(lines))

    def replace_entry_value(self, node: Node, new: Any, entry: Entry) -> None:
        key = entry.key_node
        colon = self.text.find(":", key.end)
        if colon < 0 or self.text[key.end : colon].strip(" "):
            raise Unsupported("cannot find the key's colon")
        after_colon = colon + 1
        after, below = value_after_key(new, key.col, self.style)
        if new is None and isinstance(node, MappingNode | SequenceNode) and not node.flow:
            after = ""  # a block collection emptied to null: `key:`, as such keys are left
        end = content_end(node, self.text)
        if isinstance(node, AliasNode | ScalarNode) or node.flow:
            if node.line != key.line:
                raise Unsupported("value on the line after its key")
            # `key: {}  # c` -> `key:  # c` + block lines below: the comment stays put.
            self.add(after_colon, end, after)
            if below:
                self.add(self.line_end(end), self.line_end(end), "\n" + "\n".join(below))
            return
        # A block collection below the key: keep the key line (and its comment) and any
        # comment lines above the first child as they are.
        if after:
            self.add(after_colon, after_colon, after)
        if below and self.first_on_line(node.start):
            self.add(self.line_start(node.start), end, "\n".join(below))
            return
        body = "\n" + "\n".join(below) if below else ""
        self.add(self.line_end(key.start), end, body)

    # -- applying -------------------------------------------------------------------

    def apply(self) -> str:
        # At one offset, insertions go before a deletion that starts there.
        edits = sorted(enumerate(self.edits), key=lambda x: (x[1][0], x[1][1] > x[1][0], x[0]))
        merged: list[tuple[int, int, str]] = []
        for _, (start, end, text) in edits:
            touching = bool(merged) and start == merged[-1][1] and not text and not merged[-1][2]
            if merged and (start < merged[-1][1] or touching):
                prev_start, prev_end, prev_text = merged[-1]
                if text or prev_text:
                    raise Unsupported("overlapping edits")
                merged[-1] = (prev_start, max(prev_end, end), "")
                continue
            merged.append((start, end, text))
        out: list[str] = []
        pos = 0
        for start, end, text in merged:
            out.append(self.text[pos:start])
            out.append(text)
            pos = end
        out.append(self.text[pos:])
        result = "".join(out)
        if self.text and not self.text.endswith("\n") and result.endswith("\n"):
            # Edits that together reach the end of a text without a final newline (each
            # only ate its own line's newline) must not leave one behind either.
            result = result[:-1]
        return result
