"""Fallback editor: a ruamel.yaml round-trip that applies the same structural diff.

Used only when splicing cannot place an edit (merge keys, anchors touched, layouts the
splicer does not model). ruamel keeps most comments and the quoting of untouched scalars;
the indentation is taken from the document so the unchanged parts mostly stay the same.
"""

from __future__ import annotations

import copy
import io
import re
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import (
    DoubleQuotedScalarString,
    LiteralScalarString,
    ScalarString,
    SingleQuotedScalarString,
)

from meshinject.yamltext.diff import match_items, same
from meshinject.yamltext.emit import Style, literal_ok, plain_ok, single_quote_ok
from meshinject.yamltext.resolve import key_string, resolve_plain

# The document's `---` line (and directives before it): kept verbatim, not round-tripped.
_HEADER = re.compile(r"(?:%[^\n]*\n|[ \t]*(?:#[^\n]*)?\n)*---[ \t]*(?:#[^\n]*)?(?:\n|\Z)")


def _our_key(key: Any) -> str:
    """The data key (as `load_document` makes it) for a key ruamel loaded."""
    if isinstance(key, ScalarString):
        return str(key)
    if type(key) is str:
        return key_string(resolve_plain(key), 0, 0)
    return key_string(key, 0, 0)


def _to_ruamel(value: Any, style: Style) -> Any:
    if isinstance(value, dict):
        out = CommentedMap()
        for k, v in value.items():
            out[_to_ruamel(k, style)] = _to_ruamel(v, style)
        return out
    if isinstance(value, list):
        return CommentedSeq(_to_ruamel(v, style) for v in value)
    if isinstance(value, str):
        if literal_ok(value):
            return LiteralScalarString(value)
        if plain_ok(value):
            return value
        if style.quote == "'" and single_quote_ok(value):
            return SingleQuotedScalarString(value)
        return DoubleQuotedScalarString(value)
    return value


def _apply(target: Any, old: Any, new: Any, style: Style) -> Any:
    """Mutate ruamel `target` (loaded from data `old`) into `new`; return the result node."""
    if same(old, new):
        return target
    if isinstance(target, CommentedMap) and isinstance(old, dict) and isinstance(new, dict):
        keys = {_our_key(k): k for k in target}
        for k in old:
            if k not in new and k in keys:
                del target[keys[k]]
        for k, v in new.items():
            if k in old and k in keys:
                result = _apply(target[keys[k]], old[k], v, style)
                if result is not target[keys[k]]:
                    target[keys[k]] = result
        for position, (k, v) in enumerate(new.items()):
            if k not in old:
                target.insert(min(position, len(target)), k, _to_ruamel(v, style))
        return target
    if isinstance(target, CommentedSeq) and isinstance(old, list) and isinstance(new, list):
        pairs = match_items(old, new) if len(target) == len(old) else None
        if pairs is None:
            return _to_ruamel(new, style)
        new_to_old = {j: i for i, j in pairs}
        items = [
            _apply(target[new_to_old[j]], old[new_to_old[j]], value, style)
            if j in new_to_old
            else _to_ruamel(value, style)
            for j, value in enumerate(new)
        ]
        target[:] = items
        return target
    return _to_ruamel(new, style)


def _expand_aliases(node: Any, seen: set[int] | None = None) -> Any:
    """Give every alias its own copy and drop anchors, so an edit changes one place only.

    An anchored node that injection changes (labels reused as a selector, say) cannot stay
    shared: Kubernetes expands aliases anyway, so writing the copies out is equivalent.
    """
    seen = set() if seen is None else seen
    if isinstance(node, CommentedMap | CommentedSeq):
        if id(node) in seen:
            node = copy.deepcopy(node)
        seen.add(id(node))
        if node.anchor.value is not None:
            node.yaml_set_anchor(None)
        if isinstance(node, CommentedMap):
            for key in list(node):
                value = node[key]
                expanded = _expand_aliases(value, seen)
                if expanded is not value:
                    node[key] = expanded
        else:
            for index, value in enumerate(node):
                expanded = _expand_aliases(value, seen)
                if expanded is not value:
                    node[index] = expanded
    return node


def roundtrip_edit(
    text: str, old: Any, new: Any, style: Style, *, expand_aliases: bool = False
) -> str:
    header_match = _HEADER.match(text)
    header = header_match.group() if header_match else ""
    body = text[len(header) :]
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    if style.indent_sequences:
        yaml.indent(mapping=style.indent, sequence=style.indent + 2, offset=style.indent)
    else:
        yaml.indent(mapping=style.indent, sequence=2, offset=0)
    target = yaml.load(body)
    if expand_aliases:
        target = _expand_aliases(target)
    result = _apply(target, old, new, style)
    stream = io.StringIO()
    yaml.dump(result, stream)
    out = stream.getvalue()
    if not text.endswith("\n"):
        out = out.rstrip("\n")
    return header + out
