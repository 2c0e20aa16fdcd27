"""Events -> plain Python data, in one flat loop (no recursion, so no RecursionError).

The loop is the hot path of `load_document`; it stays close to the raw event loop: one
dispatch per event, plain scalars resolved through a first-character fast path, marks
only touched when something goes wrong. Aliases are expanded as copies (like Kubernetes
does after its JSON conversion) and their expanded size is bounded.
"""

from __future__ import annotations

from typing import Any

from meshinject.errors import InputError, Location
from meshinject.yamltext import events as ev
from meshinject.yamltext.resolve import SPECIAL_START, key_string, resolve_plain, resolve_tagged

MAX_DEPTH = 500
# Nodes an alias may add by expansion, summed over the document. Real manifests use a
# handful of small anchors; a billion-laughs document hits this after a few expansions.
MAX_ALIAS_NODES = 100_000

_NO_KEY: Any = object()
_MERGE: Any = object()


def _at(event: Any) -> Location:
    mark = event.start_mark
    return Location(line=mark.line + 1, column=mark.column + 1)


def _clone(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clone(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clone(v) for v in value]
    return value


def _merged(explicit: dict[str, Any], merges: list[Any], event: Any) -> dict[str, Any]:
    sources: list[Any] = []
    for merge in merges:
        sources.extend(merge if isinstance(merge, list) else [merge])
    out: dict[str, Any] = {}
    for source in sources:
        if not isinstance(source, dict):
            raise InputError("merge key '<<' needs a mapping or a list of mappings", _at(event))
        for k, v in source.items():
            if k not in explicit and k not in out:
                out[k] = v
    out.update(explicit)
    return out


def compose(get_event: Any, keep: list[Any] | None = None) -> Any:
    """Consume one document's events; return its data (and append the events to `keep`)."""
    codes = ev.CODES
    scalar, alias, doc_start = ev.SCALAR, ev.ALIAS, ev.DOC_START
    m_start, m_end, s_start, s_end = (
        ev.MAPPING_START,
        ev.MAPPING_END,
        ev.SEQUENCE_START,
        ev.SEQUENCE_END,
    )
    special_start = SPECIAL_START
    anchors: dict[str, tuple[Any, int]] = {}
    # Saved frames of the enclosing collections: (container, is_map, key, start event,
    # node count at start, merges).
    stack: list[tuple[Any, bool, Any, Any, int, list[Any] | None]] = []
    cur: Any = None
    is_map = False
    key: Any = _NO_KEY
    merges: list[Any] | None = None
    start_event: Any = None
    start_count = 0
    count = 0  # nodes seen, aliases counted at their expanded size
    alias_nodes = 0
    root: Any = None
    documents = 0
    value: Any
    while True:
        e = get_event()
        if e is None:
            break
        if keep is not None:
            keep.append(e)
        code = codes[e.__class__]
        if code == scalar:
            count += 1
            raw = e.value
            tag = e.ctag  # the `tag` property is `None if ctag is None else str(ctag)`
            if tag is None:
                if e.style:
                    value = raw
                elif is_map and key is _NO_KEY and raw == "<<":
                    if merges is not None:
                        raise InputError("duplicate merge key '<<'", _at(e))
                    merges = []
                    key = _MERGE
                    continue
                elif raw and raw[0] not in special_start:
                    value = raw  # resolve_plain's own first test, without the call
                else:
                    value = resolve_plain(raw)
            else:
                m = e.start_mark
                value = resolve_tagged(raw, str(tag), bool(e.style), m.line + 1, m.column + 1)
            if e.anchor is not None:
                anchors[e.anchor] = (value, 1)
        elif code in (m_start, s_start):
            if len(stack) >= MAX_DEPTH:
                raise InputError(f"nesting deeper than {MAX_DEPTH} levels", _at(e))
            stack.append((cur, is_map, key, start_event, start_count, merges))
            is_map = code == m_start
            cur = {} if is_map else []
            key = _NO_KEY
            merges = None
            start_event = e
            start_count = count
            count += 1
            continue
        elif code in (m_end, s_end):
            value = cur
            if merges:
                value = _merged(value, merges, e)
            if start_event.anchor is not None:
                anchors[start_event.anchor] = (value, count - start_count)
            cur, is_map, key, start_event, start_count, merges = stack.pop()
        elif code == alias:
            name = e.anchor
            if name not in anchors:
                raise InputError(f"found undefined alias {name!r}", _at(e))
            value, size = anchors[name]
            alias_nodes += size
            count += size
            if alias_nodes > MAX_ALIAS_NODES:
                raise InputError(
                    f"too many alias expansions: the aliases expand to more than "
                    f"{MAX_ALIAS_NODES:,} nodes (refusing what looks like an alias bomb)",
                    _at(e),
                )
            if size > 1:
                value = _clone(value)
        else:
            if code == doc_start:
                documents += 1
                if documents > 1:
                    raise InputError("expected a single document, found another", _at(e))
            continue
        # Attach `value` to the enclosing collection.
        if not stack:
            root = value
        elif not is_map:
            cur.append(value)
        elif key is _NO_KEY:
            if value.__class__ is not str:
                if isinstance(value, dict | list):
                    raise InputError("unsupported mapping key: a collection", _at(e))
                m = e.start_mark
                value = key_string(value, m.line + 1, m.column + 1)
            if value in cur:
                raise InputError(f"duplicate key {value!r}", _at(e))
            key = value
        else:
            if key is _MERGE:
                assert merges is not None
                merges.append(value)
            else:
                cur[key] = value
            key = _NO_KEY
    return root
