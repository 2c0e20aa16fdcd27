"""`load_document`: one document's text -> data plus a lazily built position tree."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from meshinject.yamltext import events as ev
from meshinject.yamltext.compose import compose
from meshinject.yamltext.nodes import Node, build_tree


class LoadedDocument:
    """A parsed document: `data` (plain Python), `root` (position tree), `text`.

    The tree is built on first access by parsing the text again: most loaded documents
    are only inspected, never edited, so they never pay for it, and keeping every event
    alive instead would cost memory and garbage-collector time on large streams.
    """

    def __init__(self, text: str, data: Any) -> None:
        self.text = text
        self.data = data

    @cached_property
    def root(self) -> Node | None:
        get = ev.event_source(self.text)
        events: list[Any] = []
        while (event := get()) is not None:
            events.append(event)
        return build_tree(events)

    def __repr__(self) -> str:
        return f"LoadedDocument(data={self.data!r})"


def load_document(text: str) -> LoadedDocument:
    """Parse one YAML document; InputError carries line:col relative to `text` (1-based)."""
    try:
        data = compose(ev.event_source(text))
    except ev.YAMLError as exc:
        raise ev.input_error(exc, text) from None
    return LoadedDocument(text, data)
