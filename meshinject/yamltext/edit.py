"""`edit_document`: splice when possible, round-trip when not, verify always."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any, Literal

from ruamel.yaml.error import YAMLError

from meshinject.errors import InputError, Location
from meshinject.yamltext.diff import same
from meshinject.yamltext.edit_cache import edit_through_cache
from meshinject.yamltext.emit import Style
from meshinject.yamltext.loaded import LoadedDocument, load_document
from meshinject.yamltext.masked import load_masked
from meshinject.yamltext.roundtrip import roundtrip_edit
from meshinject.yamltext.splice import Splicer, Unsupported, measure_style

EditPath = Literal["splice", "roundtrip"]

# How often each path was taken in this process (tests and the benchmark assert that
# ordinary manifests never need the round-trip).
EDIT_PATHS: Counter[str] = Counter()


def _verified(text: str, new: Any, values: Sequence[str] = ()) -> bool:
    """Whether `text` reads back as `new`. With `values` (see `masked.safe_values`), a
    text of a shape already read is not parsed again: `load_masked` gives the same data
    by filling the values into the shape's cached parse."""
    try:
        return same(load_masked(text, values) if values else load_document(text).data, new)
    except InputError:
        return False


# The `---` line of a document whose root is a block collection carrying node properties
# on the marker line (`--- !!map`, `--- &root # note`): group 1 is the properties.
_MARKER_PROPERTIES = re.compile(
    r"(?:(?:%[^\n]*|[ \t]*(?:#[^\n]*)?)\r?\n)*---[ \t]+"
    r"((?:[!&][^ \t\r\n]*[ \t]*)+)(?:#[^\n]*)?\r?(?:\n|\Z)"
)


def edit_document_ex(
    doc: LoadedDocument, new_data: Any, *, values: Sequence[str] = ()
) -> tuple[str, EditPath]:
    """Like `edit_document`, also saying which path produced the text.

    Node properties on the `---` line (`--- !!map`, `--- &x`) belong to the root node but
    live on the marker line: the edit runs on the text with them blanked out (same
    offsets), and the marker line goes back verbatim, so the document keeps its `---`.
    """
    if same(doc.data, new_data):
        return doc.text, "splice"
    marker = _MARKER_PROPERTIES.match(doc.text)
    if marker is None:
        if values:
            return _edit_cached(doc, new_data, values)
        return _edit_body(doc, new_data, values)
    start, end = marker.span(1)
    blanked = doc.text[:start] + " " * (end - start) + doc.text[end:]
    inner = load_document(blanked, keep_events=True)
    if not same(inner.data, doc.data):
        raise InputError("cannot edit this document safely: properties on its '---' line")
    text, path = _edit_body(inner, new_data)
    head = marker.end()
    if text[:head] != blanked[:head]:
        raise InputError("cannot edit this document safely: its '---' line would change")
    text = doc.text[:head] + text[head:]
    if not _verified(text, new_data):
        raise InputError("cannot edit this document safely: properties on its '---' line")
    return text, path


def _edit_cached(doc: LoadedDocument, new_data: Any, values: Sequence[str]) -> tuple[str, EditPath]:
    """`_edit_body` through the per-shape cache of edits (`edit_cache`). The path reported
    for a filled text is "splice": only verified splices are kept there."""
    path: list[EditPath] = []

    def splice() -> tuple[str, bool]:
        text, taken = _edit_body(doc, new_data, values)
        path.append(taken)
        return text, taken == "splice"

    text = edit_through_cache(doc.text, values, new_data, splice)
    if path:
        return text, path[0]
    EDIT_PATHS["splice"] += 1
    return text, "splice"


def _edit_body(
    doc: LoadedDocument, new_data: Any, values: Sequence[str] = ()
) -> tuple[str, EditPath]:
    reason = ""
    style: Style | None = None
    try:
        splicer = Splicer(doc)
        style = splicer.style
        text = splicer.run(doc.data, new_data)
        if _verified(text, new_data, values):
            EDIT_PATHS["splice"] += 1
            return text, "splice"
        reason = "spliced text did not read back as the new data"
    except Unsupported as exc:
        reason = str(exc)
    style = style or measure_style(doc.root)
    # Second try: the same round-trip with every alias written out as a copy, for an
    # anchored node that the edit changes while its aliases must keep the old value.
    for expand_aliases in (False, True):
        try:
            text = roundtrip_edit(
                doc.text, doc.data, new_data, style, expand_aliases=expand_aliases
            )
        except (YAMLError, ValueError, TypeError, KeyError) as exc:
            raise _unsupported_breaks(doc.text) or InputError(
                f"cannot edit this document safely: {reason}; {' '.join(str(exc).split())}"
            ) from None
        if _verified(text, new_data):
            EDIT_PATHS["roundtrip"] += 1
            return text, "roundtrip"
    raise _unsupported_breaks(doc.text) or InputError(f"cannot edit this document safely: {reason}")


_OTHER_BREAKS = re.compile("[\x85\u2028\u2029]")


def _unsupported_breaks(text: str) -> InputError | None:
    """A clear message for line breaks other than LF/CRLF (YAML 1.1 readers accept NEL,
    U+2028 and U+2029 as line breaks; meshinject's editor does not)."""
    found = _OTHER_BREAKS.search(text)
    if found is None:
        return None
    pos = found.start()
    return InputError(
        f"U+{ord(found.group()):04X} used as a line break is not supported when a document "
        "must be edited; use a newline instead",
        Location(line=text.count("\n", 0, pos) + 1, column=pos - text.rfind("\n", 0, pos)),
    )


def edit_document(doc: LoadedDocument, new_data: Any, *, values: Sequence[str] = ()) -> str:
    """Minimal text edit of `doc` so that `load_document(result).data == new_data`.

    `values` (`masked.safe_values`: the strings that tell this document from others of
    its shape) let the verification reuse the parse of an earlier edit of the same shape.
    """
    return edit_document_ex(doc, new_data, values=values)[0]
