"""Read a YAML or JSON config file into plain data plus the line:col of every key.

ruamel.yaml's round-trip loader builds only plain mappings, sequences and scalars (no
arbitrary objects) and keeps positions; duplicate keys are rejected. The result is
converted to plain `dict`/`list`/`str`/`int`/`float`/`bool`/`None`.
"""

from __future__ import annotations

import datetime
import json
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from meshinject.config.provenance import KeyPath, SourceDoc
from meshinject.errors import ConfigError, Location


def read_text(path: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"cannot read file: not UTF-8 text ({exc.reason})", Location(path)
        ) from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(f"cannot read file: {reason}", Location(path)) from None


def parse_text(text: str, path: str) -> SourceDoc:
    """Parse YAML (or JSON) text; an empty document gives `None` data."""
    yaml = YAML(typ="rt", pure=False)
    try:
        raw = yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        json_doc = _parse_json_fallback(text, path)
        if json_doc is not None:
            return json_doc
        message = " ".join(str(exc.problem or exc.context or "invalid YAML").split())
        if "duplicate key" in message:
            message = message.split(" with value")[0]
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
        raise ConfigError(f"invalid YAML: {message}", loc) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", Location(path)) from None
    except RecursionError:
        raise ConfigError("invalid YAML: nesting too deep", Location(path)) from None
    positions: dict[KeyPath, Location] = {(): Location(path, 1, 1)}
    data = _plain(raw, (), path, positions, [MAX_NODES])
    return SourceDoc(path, data, positions)


# Bounds on what a config file may expand to: aliases are copied, so a small "billion
# laughs" file would otherwise expand without end. Real values files have a few thousand.
MAX_NODES = 200_000
MAX_DEPTH = 200


def load_mapping(path: str, what: str) -> SourceDoc:
    """Read `path`; it must hold a mapping (`what` names it in the error) or be empty."""
    doc = parse_text(read_text(path), path)
    return require_mapping(doc, what)


def require_mapping(doc: SourceDoc, what: str) -> SourceDoc:
    if doc.data is None:
        return SourceDoc(doc.path, {}, doc.positions, doc.note)
    if not isinstance(doc.data, dict):
        kind = "a list" if isinstance(doc.data, list) else f"a {type(doc.data).__name__} value"
        kind = "a string" if isinstance(doc.data, str) else kind
        raise ConfigError(f"expected a mapping of {what}, got {kind}", doc.origin(()).location)
    return doc


def _parse_json_fallback(text: str, path: str) -> SourceDoc | None:
    """JSON that YAML rejects (tabs for indentation); no positions below the root."""
    if not text.lstrip().startswith(("{", "[")):
        return None

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                raise ConfigError(f"invalid JSON: duplicate key {key!r}", Location(path))
            out[key] = value
        return out

    try:
        data = json.loads(text, object_pairs_hook=pairs)
    except ValueError:
        return None
    return SourceDoc(path, data, {(): Location(path, 1, 1)})


def _plain(
    node: Any, at: KeyPath, path: str, positions: dict[KeyPath, Location], budget: list[int]
) -> Any:
    budget[0] -= 1
    if budget[0] < 0 or len(at) > MAX_DEPTH:
        where = positions.get(at, Location(path))
        problem = (
            f"nesting deeper than {MAX_DEPTH} levels"
            if len(at) > MAX_DEPTH
            else f"the file expands to more than {MAX_NODES:,} values (an alias bomb?)"
        )
        raise ConfigError(f"invalid YAML: {problem}", where)
    if isinstance(node, dict):
        out: dict[str, Any] = {}
        for key, value in node.items():
            name = _key_text(key)
            child = (*at, name)
            lc = getattr(node, "lc", None)
            if lc is not None:
                line, col = lc.key(key)
                positions[child] = Location(path, line + 1, col + 1)
            out[name] = _plain(value, child, path, positions, budget)
        return out
    if isinstance(node, list):
        items: list[Any] = []
        for index, value in enumerate(node):
            child = (*at, index)
            lc = getattr(node, "lc", None)
            if lc is not None:
                line, col = lc.item(index)
                positions[child] = Location(path, line + 1, col + 1)
            items.append(_plain(value, child, path, positions, budget))
        return items
    return _scalar(node)


def _key_text(key: Any) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, bool):
        return "true" if key else "false"
    if key is None:
        return "null"
    return str(_scalar(key))


def _scalar(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return value
    if type(value).__name__ == "ScalarBoolean":  # an anchored boolean
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return str(value)
