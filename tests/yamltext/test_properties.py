"""Properties of edit_document over generated block documents and generated edits.

1. the edited text reads back as exactly the new data;
2. input lines outside the changed nodes survive, in order;
3. editing back to the old data restores the original text (documents rendered in the
   style the splicer itself would pick, and scalar changes that keep their quoting).
"""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meshinject.yamltext import dump_yaml, edit_document_ex, load_document
from meshinject.yamltext.nodes import MappingNode, Node, SequenceNode, content_end

_words = st.sampled_from(["app", "web", "x1", "port", "data", "v2", "on-call", "a.b/c"])
_plain = st.one_of(_words, st.integers(-5, 99999), st.booleans())
_quoted = st.sampled_from(["15020", "true", "null", "1.5", "0x10"])
_keys = st.sampled_from(["name", "image", "env", "ports", "spec", "meta", "k8s", "z", "a-b"])


def _named_list() -> st.SearchStrategy[list[dict[str, Any]]]:
    item = st.fixed_dictionaries(
        {"name": st.sampled_from(["a", "b", "c", "d", "e"])},
        optional={"value": _plain, "port": st.integers(1, 9)},
    )
    return st.lists(item, min_size=1, max_size=4, unique_by=lambda d: d["name"])


_values = st.recursive(
    st.one_of(_plain, _quoted),
    lambda children: st.one_of(
        st.dictionaries(_keys, children, min_size=1, max_size=4),
        _named_list(),
        st.lists(_plain, min_size=1, max_size=3),
    ),
    max_leaves=12,
)
_documents = st.dictionaries(_keys, _values, min_size=1, max_size=5)


def _containers(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Paths of all dicts and lists in `data`."""
    found = [path] if isinstance(data, dict | list) else []
    children = (
        data.items()
        if isinstance(data, dict)
        else enumerate(data)
        if isinstance(data, list)
        else ()
    )
    for key, value in children:
        found.extend(_containers(value, (*path, key)))
    return found


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


def _node_lines(doc: Any, path: tuple[Any, ...]) -> set[int]:
    """0-based input lines of the node at `path` (with its key line, if it has one)."""
    node: Node | None = doc.root
    first: int | None = None
    for part in path:
        if isinstance(node, MappingNode):
            entry = next(e for e in node.entries if e.key == part)
            first, node = entry.key_node.line, entry.value
        elif isinstance(node, SequenceNode):
            node = node.items[part]
            first = node.line
    assert node is not None
    start_line = node.line if first is None else min(first, node.line)
    end_line = doc.text.count("\n", 0, content_end(node, doc.text))
    return set(range(start_line, end_line + 1))


@st.composite
def _edits(draw: st.DrawFn, data: dict[str, Any]) -> tuple[Any, list[tuple[Any, ...]]]:
    """New data plus the paths whose input text may change."""
    new = copy.deepcopy(data)
    touched: list[tuple[Any, ...]] = []
    dirty: list[tuple[Any, ...]] = []  # lists already edited: their indices shifted
    for _ in range(draw(st.integers(1, 3))):
        paths = [p for p in _containers(new) if not any(p[: len(d)] == d for d in dirty)]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        target = _get(new, path)
        if isinstance(target, dict):
            op = draw(st.sampled_from(["add", "remove", "change"]))
            if op == "add":
                key = draw(st.sampled_from(["new1", "new2", "zz"]))
                if key not in target:
                    target[key] = draw(_values)
                    if len(target) == 1 or path in touched:
                        touched.append(path)
                    touched.append((*path, "<insert>"))
            elif len(target) > 1:
                key = draw(st.sampled_from(sorted(target)))
                if key == "name" and path and isinstance(path[-1], int):
                    touched.append(path[:-1])  # the item no longer matches by name
                if op == "remove":
                    del target[key]
                    touched.append((*path, key))
                    if path and isinstance(path[-1], int):
                        touched.append(path)  # the next key may move up onto the dash line
                elif not isinstance(target[key], dict | list):
                    same_class = _quoted if target[key] in _QUOTED else _plain
                    target[key] = draw(same_class)
                    touched.append((*path, key))
        elif target and all(isinstance(x, dict) and "name" in x for x in target):
            dirty.append(path)
            if draw(st.booleans()) and len(target) > 1:
                index = draw(st.integers(0, len(target) - 1))
                touched.append((*path, index))
                target.pop(index)
            else:
                names = {x["name"] for x in target}
                free = [n for n in "vwxy" if n not in names]
                target.insert(draw(st.integers(0, len(target))), {"name": free[0], "port": 7})
                touched.append((*path, "<insert>"))
    return new, touched


_QUOTED = {"15020", "true", "null", "1.5", "0x10"}
_settings = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _render(data: dict[str, Any], indent_sequences: bool) -> str:
    return dump_yaml(data, indent=2, indent_sequences=indent_sequences)


def _with_comments(text: str) -> str:
    """A comment line above every third line, at that line's indentation."""
    out = ["# document head\n"]
    for i, line in enumerate(text.splitlines(keepends=True)):
        if i % 3 == 1:
            pad = len(line) - len(line.lstrip(" "))
            out.append(" " * pad + f"# note {i}\n")
        out.append(line)
    return "".join(out)


@_settings
@given(_documents, st.booleans(), st.data())
def test_edits_read_back_and_keep_untouched_lines(
    data: dict[str, Any], indent_sequences: bool, draw: st.DataObject
) -> None:
    source = _with_comments(_render(data, indent_sequences))
    doc = load_document(source)
    assert doc.data == data
    new, touched = draw.draw(_edits(data))
    out, path = edit_document_ex(doc, new)
    assert path == "splice"
    assert load_document(out).data == new

    changed: set[int] = set()
    for t in touched:
        real = tuple(p for p in t if p != "<insert>")
        if t and t[-1] == "<insert>":
            container = _get(data, real) if _exists(data, real) else None
            if container in ({}, []):
                changed |= _node_lines(doc, real)
            continue
        if _exists(data, real):
            changed |= _node_lines(doc, real)
    kept = [line for i, line in enumerate(source.splitlines()) if i not in changed]
    _assert_subsequence(kept, out.splitlines())


def _exists(data: Any, path: tuple[Any, ...]) -> bool:
    try:
        _get(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


def _assert_subsequence(needles: list[str], haystack: list[str]) -> None:
    it = iter(haystack)
    for line in needles:
        assert any(line == h for h in it), f"line {line!r} lost or out of order"


@_settings
@given(_documents, st.booleans(), st.data())
def test_editing_back_restores_the_text(
    data: dict[str, Any], indent_sequences: bool, draw: st.DataObject
) -> None:
    source = _render(data, indent_sequences)
    doc = load_document(source)
    new, _ = draw.draw(_edits(data))
    out, _ = edit_document_ex(doc, new)
    if _lost_first_key_of_an_item(data, new):
        # A sequence item whose first key was removed has another key on its dash line;
        # putting the removed key back inserts it on the next line (`-` then the keys), the
        # same data in a different layout. Known limitation of the splice engine.
        return
    if _has_block_sequence(source) and not _has_block_sequence(out):
        # The edit removed every sequence: nothing in `out` records whether this document
        # indents its sequences, so going back can only guess (and guesses the default).
        return
    back, path = edit_document_ex(load_document(out), data)
    assert path == "splice"
    assert back == source


def _lost_first_key_of_an_item(old: Any, new: Any) -> bool:
    if isinstance(old, dict) and isinstance(new, dict):
        return any(_lost_first_key_of_an_item(v, new[k]) for k, v in old.items() if k in new)
    if isinstance(old, list) and isinstance(new, list):
        for before in old:
            if not isinstance(before, dict) or not before:
                continue
            after = next(
                (x for x in new if isinstance(x, dict) and x.get("name") == before.get("name")),
                None,
            )
            if after is None:
                continue
            if next(iter(before)) not in after or _lost_first_key_of_an_item(before, after):
                return True
    return False


def _has_block_sequence(text: str) -> bool:
    return any(line.lstrip().startswith("- ") or line.strip() == "-" for line in text.splitlines())
