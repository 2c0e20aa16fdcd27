"""The edit of a document of a known shape, filled in instead of spliced.

A stream of workloads built from one template gets the same edit in every document:
the sidecar goes into the same place of texts that differ only in a dozen strings
(names, namespaces, images, versions). `edit_document` asks this cache first; on a miss
it splices and verifies as always, and the third document of a shape leaves its edited
text here, its strings replaced by placeholders (`masked.mask`, the strings being
`shape_values` of the document). A later document whose masked text is the same gets
that edited text with its own strings put back.

Why the filled text is what the splice would have written for that document:

1. Meaning (checked for every document). The masked edited text was parsed once
   (`masked.shape_of`); filling a document's strings into that parse gives the parse of
   the filled text (`masked`, argument 2: values of the safe alphabet commute with
   parsing, plain scalars are resolved again, shapes with placeholders in keys, tags,
   anchors or aliases are not kept). That filled parse must equal the new data the
   caller asked for, with the same `same` comparison the splice's own verification
   uses, or the document is spliced. So a filled text always reads back as the asked-for
   data, exactly as a spliced one does.
2. Bytes. The splice writes a function of (text, old data, new data). Texts of one shape
   are the masked text with different strings put back (`masked`, argument 1); their old
   data are the masked parse filled (argument 2), and their new data are too (point 1).
   The splice only copies text between edits, and where it writes new text it writes
   `emit.scalar_text` of each scalar: plain text as is, double- or single-quoted text
   with escapes only for quotes, backslashes and control characters (never in a value
   of the safe alphabet), block literals line by line. So each written scalar is its
   masked text with the strings put back, provided the emitter picks the same style for
   the filled scalar as it did for the first document's. The emitter's choice depends
   on the scalar's text only through `plain_ok` (block and flow), `retyped`,
   `single_quote_ok`, `literal_ok` and whether it holds a `"`: these are recorded per
   placeholder-holding scalar (mapping keys included) for the first document and
   compared for every later one;
   a difference means a splice. The order of keys in every mapping of the new data
   (which `same` ignores, and which orders the keys of a written mapping) is recorded
   and compared too. The rest of the splice's decisions (where a key goes,
   which list items match, indentation, the document's quote preference) read the
   structure and the old/new data, which are the same masked data for every document of
   the shape; the one way a later document could differ is an old and a new scalar that
   are equal for it but were not for the first (`P1` against `P2-P3`): the meaning is
   still checked (point 1), and the written scalar keeps the style of the text it
   replaces (`prefer`), which for a value of the safe alphabet is its own spelling.
3. Only splices are kept (not the ruamel round-trip, whose line folding depends on
   string lengths), and only texts without node properties on the `---` line.

tests/yamltext/test_edit_cache.py checks cached == spliced, byte for byte, on generated
documents and values; the benchmark stream and the conformance corpus run through it.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from meshinject.yamltext import masked as mk
from meshinject.yamltext.diff import same
from meshinject.yamltext.emit import literal_ok, plain_ok, single_quote_ok
from meshinject.yamltext.resolve import retyped

# Edits kept per process (least recently used go first). An edit is kept the third time
# its masked text is seen: documents unlike any other cost only the masking, and in a run
# where `inject.document_cache` fills workloads in, each shape is edited only twice (its
# two witnesses), so no edit is kept that would never be used.
MAX_EDITS = 256
MAX_SEEN = 4096

Style = tuple[bool, bool, bool, bool, bool, bool]


@dataclass(frozen=True, slots=True)
class _Edit:
    masked: str  # the edited text with the first document's strings masked
    shape: mk.Shape  # its parse and where its placeholders are
    styles: tuple[Style, ...]  # per slot of `shape`: the emitter's view of its scalar
    order: list[Any]  # the key order of every mapping of the first document's new data


_EDITS: OrderedDict[str, _Edit | None] = OrderedDict()
_SEEN: OrderedDict[int, None] = OrderedDict()
_SEEN_TWICE: OrderedDict[int, None] = OrderedDict()


def clear_cache() -> None:
    _EDITS.clear()
    _SEEN.clear()
    _SEEN_TWICE.clear()


_STYLES: dict[str, Style] = {}
_STYLES_MAX = 8192


def style_of(text: str) -> Style:
    """What `emit.scalar_text` looks at in a string to choose its style."""
    style = _STYLES.get(text)
    if style is None:
        if len(_STYLES) >= _STYLES_MAX:  # bounded, so memory stays flat on huge streams
            _STYLES.clear()
        style = _STYLES[text] = _style_of(text)
    return style


def _style_of(text: str) -> Style:
    stripped = text.strip()
    return (
        plain_ok(text),
        plain_ok(text, flow=True),
        bool(stripped) and retyped(stripped),
        single_quote_ok(text),
        literal_ok(text),
        '"' in text,
    )


def edit_through_cache(
    text: str,
    values: Sequence[str],
    new_data: Any,
    splice: Callable[[], tuple[str, bool]],
) -> str:
    """The edited text of `text` for `new_data`: filled from the cache when a document of
    the same shape was edited before (see the module's argument), else `splice()`, which
    returns the edited text and whether it may be kept (a verified splice)."""
    masking = mk.mask(text, values)
    if masking is None:
        return splice()[0]
    masked, fill = masking
    entry = _EDITS.get(masked)
    if entry is not None:
        _EDITS.move_to_end(masked)
        filled = _filled(entry, fill, new_data)
        if filled is not None:
            return filled
        return splice()[0]
    edited, keep = splice()
    if masked in _EDITS:  # a shape found not fillable: spliced every time
        return edited
    if not mk.seen_before(_SEEN, masked, MAX_SEEN) or not mk.seen_before(
        _SEEN_TWICE, masked, MAX_SEEN
    ):
        return edited
    _EDITS[masked] = _entry(edited, fill, new_data) if keep else None
    if len(_EDITS) > MAX_EDITS:
        _EDITS.popitem(last=False)
    return edited


def _entry(edited: str, fill: dict[str, str], new_data: Any) -> _Edit | None:
    masked = mk.mask_like(edited, fill)
    if masked is None or mk.unmask(masked, fill) != edited:
        return None
    shape = mk.shape_of(masked)
    if shape is None:
        return None
    styles = tuple(style_of(mk.unmask(slot.masked, fill)) for slot in shape.slots)
    return _Edit(masked, shape, styles, key_order(new_data))


def key_order(data: Any) -> list[Any]:
    """The keys of every mapping in `data`, in order (depth first): `same` ignores the
    order of keys, and the splice writes the keys of a new mapping in its data's order."""
    out: list[Any] = []
    stack = [data]
    while stack:
        node = stack.pop()
        if node.__class__ is dict:
            out.extend(node)
            out.append(None)  # a mapping's end (keys are never None)
            stack.extend(node.values())
        elif node.__class__ is list:
            stack.extend(node)
    return out


def _filled(entry: _Edit, fill: dict[str, str], new_data: Any) -> str | None:
    for slot, style in zip(entry.shape.slots, entry.styles, strict=True):
        if style_of(mk.unmask(slot.masked, fill)) != style:
            return None
    try:
        data = mk.filled(entry.shape, fill)
    except mk.Unfillable:
        return None
    if not same(data, new_data) or key_order(new_data) != entry.order:
        return None
    return mk.unmask(entry.masked, fill)
