"""`load_masked`: parse a document once per shape, fill in the strings that vary.

Injecting a stream parses text meshinject wrote itself twice per pod: each rendered
template, and each edited document (to verify the edit). Pods of one shape give texts
that differ only in a dozen strings (names, namespaces, versions, ports). `load_masked`
replaces the given strings (`values`) in the text with placeholders, parses that masked
text once per distinct masked text (the shape), and for every later text of the same
shape fills the strings into a copy of the cached data instead of parsing.

Why the result is `load_document(text).data`, exactly:

1. Masking is invertible. A placeholder is one character of Unicode's private use area
   (U+E000...), and a text that already holds any such character is parsed normally.
   Values are replaced longest first with `str.replace`; values are ASCII, so a later
   replacement can never touch an earlier placeholder, and putting each value back where
   its placeholder is gives the text back. So two texts with the same masked text and
   the same values are the same text, and a text is the masked text with its values put
   back.
2. Putting values back commutes with parsing. A value is used only if it is made of
   `[A-Za-z0-9._/:-]`, starts with a letter or digit, does not end with `:` and is at
   least 3 characters long: no such character is special inside a YAML scalar (no quote,
   backslash, space, line break, `#`, `,`, brackets or braces; a `:` is special only
   before a space, which a value never puts there, or anywhere in a plain scalar inside
   a flow collection: such slots take no value with a `:`, the text is parsed instead),
   so it cannot end, start, fold or escape anything; and a placeholder cannot follow an
   escaping backslash, since `\\` + a private-use character is not a valid escape (the
   masked text would not parse, and such a shape is not cached). So every placeholder
   sits in a comment (which means nothing) or inside one scalar
   whose text is literally the masked text of that scalar, and filling it in gives the
   scalar's text in the real document. What that text means then depends on the
   scalar's style: quoted and block scalars are strings as written; a plain scalar is
   resolved again (`resolve_plain`), as the composer does (`8080` is an int, `v1` a
   string); a mapping key is renamed in place (keeping the order), refused when the
   filled keys collide or the key grows past libyaml's simple-key length. Shapes where a
   placeholder sits in a tag, or that use tags on collections or filled scalars, anchors,
   aliases or merge keys (whose copies would break the one-to-one order of events and
   data) are not cached.
3. The first text of every shape is also parsed for real, and the shape is kept only if
   the filled copy equals that parse: a check of the argument on real data, once per
   shape.

tests/yamltext/test_masked.py checks `load_masked == load_document` on generated
documents and values.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from meshinject.datacopy import clone
from meshinject.errors import MeshInjectError
from meshinject.yamltext import events as ev
from meshinject.yamltext.compose import compose
from meshinject.yamltext.diff import same
from meshinject.yamltext.loaded import load_document
from meshinject.yamltext.resolve import key_string, resolve_plain

_FIRST = 0xE000
_LAST = 0xF8FF
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_SAFE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]+[A-Za-z0-9._/-]")
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:-]*[A-Za-z0-9._/-]")
# Shapes kept per process (least recently used go first). A shape is built the second
# time its masked text is seen, so documents unlike any other cost only the masking.
MAX_SHAPES = 128
MAX_SEEN = 4096

# A path into the data: mapping keys and list indexes, from the root.
Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class _Slot:
    path: Path  # of the scalar; for a key, of its mapping
    masked: str  # the scalar's masked text
    plain: bool  # a plain scalar: resolved again once filled
    flow_plain: bool  # a plain scalar inside a flow collection: no `:` may be filled in
    key: bool = False  # a mapping key (renamed in place, keeping the order)
    span: int = 0  # a key's length in the masked text (libyaml limits simple keys)


@dataclass(frozen=True, slots=True)
class Shape:
    data: Any  # the masked text's data (placeholders in some strings)
    slots: tuple[_Slot, ...]  # values first, then keys, deepest first


_SHAPES: OrderedDict[str, Shape | None] = OrderedDict()
_SEEN: OrderedDict[int, None] = OrderedDict()  # hashes of masked texts seen once


def clear_cache() -> None:
    _SHAPES.clear()
    _SEEN.clear()


def safe_values(candidates: Iterable[object]) -> list[str]:
    """The strings of `candidates` that may be masked (see the module's argument), in
    order, each once: ints as their decimal text, and of other strings their words
    (`-Xms256m -Xmx512m` gives `Xms256m`, `Xmx512m`)."""
    seen: set[str] = set()
    out: list[str] = []
    for value in candidates:
        if value.__class__ is int:
            words = [str(value)]
        elif value.__class__ is str:
            words = [value] if _SAFE.fullmatch(value) else _TOKEN.findall(value)
        else:
            continue
        for word in words:
            if word not in seen and len(word) > 2:
                seen.add(word)
                out.append(word)
    return out[: _LAST - _FIRST]


def leaves(data: Any) -> list[object]:
    """The scalar values of `data` (not its keys), in document order."""
    out: list[object] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            stack.extend(reversed(node.values()))
        elif isinstance(node, list):
            stack.extend(reversed(node))
        else:
            out.append(node)
    return out


def load_masked(text: str, values: Sequence[str], *, private: bool = False) -> Any:
    """`load_document(text).data`, from the cached parse of `text` with `values` masked.

    `values` must come from `safe_values`; their order names the placeholders, so give
    them in an order that stays the same for documents of one shape (document order).
    With `private=False` the result shares parts with the cache: read it, never change
    it (for comparisons); `private=True` gives a copy of its own. Raises like
    `load_document` does.
    """
    masking = mask(text, values)
    if masking is None:
        return load_document(text).data
    masked, fill = masking
    if masked in _SHAPES:
        _SHAPES.move_to_end(masked)
        shape = _SHAPES[masked]
        if shape is not None:
            try:
                return _filled(shape, fill, private)
            except Unfillable:
                pass
        return load_document(text).data
    data = load_document(text).data
    if not seen_before(_SEEN, masked, MAX_SEEN):
        return data
    shape = shape_of(masked)
    try:
        if shape is not None and not same(_filled(shape, fill, private=False), data):
            shape = None  # never expected: the argument above failed on this shape
    except Unfillable:
        pass
    _SHAPES[masked] = shape
    if len(_SHAPES) > MAX_SHAPES:
        _SHAPES.popitem(last=False)
    return data


def seen_before(seen: OrderedDict[int, None], masked: str, limit: int) -> bool:
    """Whether `masked` is in `seen` (by hash); if not, it is noted there (the oldest go
    past `limit`). Caches build a shape on its second sighting, so that a document unlike
    any other costs only its masking."""
    key = hash(masked)
    if key in seen:
        return True
    seen[key] = None
    if len(seen) > limit:
        seen.popitem(last=False)
    return False


def mask(text: str, values: Sequence[str]) -> tuple[str, dict[str, str]] | None:
    """`text` with `values` replaced by placeholders (longest first), and the map from
    each placeholder used to its value; None when no value occurs in `text` or `text`
    already holds a private-use character (point 1 of the module's argument)."""
    if not values or _PRIVATE.search(text) is not None:
        return None
    masked = text
    fill: dict[str, str] = {}
    for index, value in sorted(enumerate(values), key=lambda pair: -len(pair[1])):
        placeholder = chr(_FIRST + index)
        replaced = masked.replace(value, placeholder)
        if len(replaced) != len(masked):  # values are longer than their placeholder
            masked = replaced
            fill[placeholder] = value
    return (masked, fill) if fill else None


def mask_like(text: str, fill: dict[str, str]) -> str | None:
    """`text` masked with the placeholders of an earlier `mask` (same order, so just as
    invertible); None if `text` holds a private-use character."""
    if _PRIVATE.search(text) is not None:
        return None
    for placeholder, value in sorted(fill.items(), key=lambda pair: -len(pair[1])):
        text = text.replace(value, placeholder)
    return text


def unmask(masked: str, fill: dict[str, str]) -> str:
    """The text `masked` stands for: every placeholder replaced by its value."""
    put = fill.__getitem__
    return _PRIVATE.sub(lambda m: put(m.group()), masked)


class Unfillable(Exception):
    """A value cannot go where its placeholder is: a `:` in a flow plain scalar, or a key
    the parser would not take (a duplicate, a null, an over-long one)."""


_MAX_KEY = 1000  # libyaml refuses simple keys over 1024 characters


def filled(shape: Shape, fill: dict[str, str]) -> Any:
    """The shape's data with the values of `fill` in, sharing with the cache what no
    value changes (read it, never change it). Raises Unfillable."""
    return _filled(shape, fill, private=False)


def _filled(shape: Shape, fill: dict[str, str], private: bool) -> Any:
    """The shape's data with the values in; shared with the cache unless `private` (then
    only the collections on the way to a slot are copied: copy on write)."""
    data = clone(shape.data) if private else _copied_paths(shape)
    sub = _PRIVATE.sub
    put = fill.__getitem__
    for slot in shape.slots:
        text = sub(lambda m: put(m.group()), slot.masked)
        if slot.flow_plain and ":" in text:
            raise Unfillable
        value = resolve_plain(text) if slot.plain else text
        if slot.key:
            if slot.span + len(text) - len(slot.masked) > _MAX_KEY:
                raise Unfillable  # the filled key may be too long for the parser
            data = _renamed(data, slot, _key(value, text))
            continue
        if not slot.path:
            return value
        node = data
        for step in slot.path[:-1]:
            node = node[step]
        node[slot.path[-1]] = value
    return data


def _copied_paths(shape: Shape) -> Any:
    """A copy of the shape's data that shares everything no slot writes into."""
    root: Any = shape.data
    if not isinstance(root, dict | list):
        return root
    top: Any = root.copy()
    copied: dict[int, Any] = {id(root): top}
    for slot in shape.slots:
        node: Any = top
        original: Any = root
        steps = slot.path if slot.key else slot.path[:-1]
        for step in steps:
            child = original[step]
            original = child
            mine = copied.get(id(child))
            if mine is None:
                mine = copied[id(child)] = child.copy()
                node[step] = mine
            node = mine
    return top


def _key(value: Any, text: str) -> str:
    if value.__class__ is str:
        return value
    try:
        return key_string(value, 1, 1)
    except MeshInjectError:
        raise Unfillable from None


def _renamed(data: Any, slot: _Slot, key: str) -> Any:
    """`data` with the key `slot.masked` of the mapping at `slot.path` renamed, in place."""
    parent: Any = None
    mapping = data
    for step in slot.path:
        parent, mapping = mapping, mapping[step]
    if key in mapping:
        raise Unfillable  # a duplicate key: the parser says so
    renamed = {(key if k == slot.masked else k): v for k, v in mapping.items()}
    if parent is None:
        return renamed
    parent[slot.path[-1]] = renamed
    return data


def shape_of(masked: str) -> Shape | None:
    """The masked text's data and where its placeholders are; None if not cacheable."""
    events: list[Any] = []
    try:
        data = compose(ev.event_source(masked), events)
    except (MeshInjectError, ev.YAMLError):
        return None
    slots: list[_Slot] = []
    keys: list[_Slot] = []
    # Walk the events in order, keeping the path of the node each one is.
    # Per open collection: [kind, its path step, pending key, last index, inside a flow]
    stack: list[list[Any]] = []
    codes = ev.CODES
    for event in events:
        code = codes[event.__class__]
        if code in (ev.MAPPING_START, ev.SEQUENCE_START):
            if event.anchor is not None or event.ctag is not None:
                return None
            path_step = _next_step(stack)
            if path_step is _KEY:
                return None  # a collection as a key
            flow = bool(event.flow_style) or bool(stack and stack[-1][4])
            stack.append([code, path_step, None, -1, flow])
        elif code in (ev.MAPPING_END, ev.SEQUENCE_END):
            stack.pop()
            if stack and stack[-1][0] == ev.MAPPING_START:
                stack[-1][2] = None
        elif code == ev.ALIAS:
            return None
        elif code == ev.SCALAR:
            if event.anchor is not None:
                return None
            step = _next_step(stack)
            plain = not event.style
            has_placeholder = _PRIVATE.search(event.value) is not None
            if event.ctag is not None and (has_placeholder or _PRIVATE.search(str(event.ctag))):
                return None  # a tag with a placeholder (`!!P`) or on a filled scalar
            flow_plain = plain and bool(stack and stack[-1][4])
            if step is _KEY:
                key = event.value
                if plain and key == "<<":
                    return None  # a merge key
                if event.ctag is not None:
                    return None
                if plain:
                    resolved = resolve_plain(key)
                    if resolved.__class__ is not str:
                        if has_placeholder:
                            return None
                        key = key_string(resolved, 1, 1)
                if has_placeholder:
                    path = tuple(frame[1] for frame in stack[1:])
                    span = event.end_mark.index - event.start_mark.index
                    keys.append(_Slot(path, key, plain, flow_plain, key=True, span=span))
                stack[-1][2] = key
                continue
            if has_placeholder:
                path = tuple(frame[1] for frame in stack[1:]) + ((step,) if stack else ())
                slots.append(_Slot(path, event.value, plain, flow_plain))
            if stack and stack[-1][0] == ev.MAPPING_START:
                stack[-1][2] = None
    keys.sort(key=lambda slot: -len(slot.path))
    return Shape(data, (*slots, *keys))


_KEY: Any = object()


def _next_step(stack: list[list[Any]]) -> Any:
    """The path step of the next node: its key, its index, or `_KEY` if it is a key."""
    if not stack:
        return None
    frame = stack[-1]
    if frame[0] == ev.SEQUENCE_START:
        frame[3] += 1
        return frame[3]
    if frame[2] is None:
        return _KEY
    return frame[2]
